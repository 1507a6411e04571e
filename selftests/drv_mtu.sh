#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Jumbo frames and MTU changes: with MTU 9000 on both ends, unfragmented
# pings from 0 to 8972 bytes (one 9014-byte frame spanning several RX
# buffers) must all be answered, 8973 with DF must be refused; then the MTU
# changes back and forth on both ends while a TCP transfer runs.
source "$(dirname "$0")/lib.sh"
require_root_vm

SIZES="0 1472 1500 4000 8000 8972"
N=$(( $(echo $SIZES | wc -w) + 3 ))

set_mtu() {
	ip -n "$NS_A" link set "$IF_A" mtu "$1" && ip -n "$NS_B" link set "$IF_B" mtu "$1"
}

mtu_flaps() {
	local m
	for m in 9000 1500 4000 1500; do
		set_mtu $m || return 1
		sleep 0.5
	done
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} s
	[ -n "$broken" ] && { fail_cases $N "$drv $model: MTU"; return; }
	if ! set_mtu 9000; then
		fail_cases $N "$drv $model: MTU 9000 refused"
		return
	fi
	ktap_check "$drv $model: MTU 9000 set on both ends" \
		test "$(nsx "$NS_A" cat "/sys/class/net/$IF_A/mtu")" = 9000
	wait_until 10 carrier_is "$NS_A" "$IF_A" 1
	wait_until 10 carrier_is "$NS_B" "$IF_B" 1
	for s in $SIZES; do
		ktap_check "$drv $model: MTU 9000 ping size $s, DF" \
			ping_all "$NS_A" 2 -M do -s "$s" "$IP_B"
	done
	ktap_check "$drv $model: MTU 9000 ping size 8973 with DF refused" \
		ping_refused "$NS_A" -M do -s 8973 "$IP_B"
	set_mtu 1500
	# The in-tree e1000 resets on an MTU change: wait for both links and
	# for the path to answer before the transfer starts.
	wait_until 10 carrier_is "$NS_A" "$IF_A" 1
	wait_until 10 carrier_is "$NS_B" "$IF_B" 1
	wait_until 10 ping_all "$NS_A" 1 "$IP_B" >/dev/null
	under_traffic "$drv $model: MTU 9000/1500/4000/1500 on both ends under TCP" mtu_flaps
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
