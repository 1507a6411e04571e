#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A TX hang and its recovery. pktpath_e1000's debugfs knob tx_stall makes
# the driver queue descriptors without moving the tail, so the device
# completes nothing. Either the queue stops (BQL, a full ring) and the
# stack's TX watchdog calls ndo_tx_timeout, or (TCP's small queues stop
# sending first) the driver's own watchdog sees work pending with nothing
# completed for 12 s; either way the reset brings the NIC back (counted in
# ethtool -S as tx_timeout_count or tx_hang_count, and reset_count; the
# reset ends the stall).
# Once at idle, once in the middle of a TCP transfer, which must complete
# intact. The in-tree e1000 has no such knob: skipped there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/xdp_lib.sh"
require_root_vm

N=3

knob() {
	echo "/sys/kernel/debug/pktpath_e1000/$BDF_A/tx_stall"
}

# stall_and_recover COUNTER...: inject, give A something to send, wait for
# the reset; one of the COUNTERs (the detectors allowed) must have moved.
stall_and_recover() {
	local c r0 pid rc=0 before=() moved=0 i
	for c in "$@"; do
		before+=("$(ethtool_stat "$NS_A" "$IF_A" "$c")")
	done
	r0=$(ethtool_stat "$NS_A" "$IF_A" reset_count)
	echo 1 >"$(knob)" || return 1
	# Something to send: 20 pings at idle (a transfer, under traffic).
	ip netns exec "$NS_A" ping -q -i 0.05 -c 20 -W 1 "$IP_B" >/dev/null 2>&1 &
	pid=$!
	wait_until $((30 * ${PKTPATH_TIMEOUT_SCALE:-1})) \
		eval 'test "$(ethtool_stat "$NS_A" "$IF_A" reset_count)" -gt "$r0"' || rc=1
	wait $pid 2>/dev/null
	i=0
	for c in "$@"; do
		ktap_diag "$c ${before[$i]} -> $(ethtool_stat "$NS_A" "$IF_A" "$c")"
		[ "$(ethtool_stat "$NS_A" "$IF_A" "$c")" -gt "${before[$i]}" ] && moved=1
		i=$((i + 1))
	done
	ktap_diag "reset_count $r0 -> $(ethtool_stat "$NS_A" "$IF_A" reset_count), tx_stall now $(cat "$(knob)")"
	[ $rc = 0 ] && [ $moved = 1 ] && [ "$(cat "$(knob)")" = N ] || return 1
	wait_until 15 carrier_is "$NS_A" "$IF_A" 1 || { ktap_diag "no carrier after the reset"; return 1; }
	ping_all "$NS_A" 3 "$IP_B"
}

bql() {
	echo "/sys/class/net/$IF_A/queues/tx-0/byte_queue_limits/limit_max"
}

# The stack's watchdog sees only a stopped queue. BQL stops it, but its
# limit grows with what earlier traffic completed (past 20 pings' worth
# on a slow kernel, where the driver's own 12 s detector then came first):
# with limit_max 0, applied by one completed ping, the first stalled
# frame stops the queue.
stall_queue_stopped() {
	local max rc
	max=$(nsx "$NS_A" cat "$(bql)") || return 1
	nsx "$NS_A" sh -c "echo 0 >$(bql)" || return 1
	ping_all "$NS_A" 1 "$IP_B" >/dev/null
	stall_and_recover tx_timeout_count
	rc=$?
	nsx "$NS_A" sh -c "echo $max >$(bql)"
	return $rc
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-}
	[ -n "$broken" ] && { fail_cases $N "$drv $model: TX hang"; return; }
	if [ "$drv" != pktpath_e1000 ] || [ ! -w "$(knob)" ]; then
		ktap_skip "$drv $model: TX stall: timeout, reset, recovery" "no tx_stall knob ($drv)"
		ktap_skip "$drv $model: after the reset: pings answered" "no tx_stall knob ($drv)"
		ktap_skip "$drv $model: TX stall under TCP" "no tx_stall knob ($drv)"
		return
	fi
	# Pings stop the queue (BQL): the stack's watchdog is first.
	ktap_check "$drv $model: TX stall: ndo_tx_timeout fired, reset counted, stall ended, link back" \
		stall_queue_stopped
	ktap_check "$drv $model: after the reset: pings answered both ways" \
		eval 'ping_all "$NS_A" 5 "$IP_B" >/dev/null && ping_all "$NS_B" 5 "$IP_A" >/dev/null'
	# TCP may stop sending before the queue stops: either detector.
	under_traffic "$drv $model: TX stall in the middle of a TCP transfer: recovered, intact" \
		stall_and_recover tx_timeout_count tx_hang_count
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
