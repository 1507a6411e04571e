#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Driver life cycle: the module removed while traffic flows (and loaded
# again, working), then PKTPATH_CYCLES (default 50) load/unload cycles,
# each probing both NICs of a cable. The in-tree e1000, whose probe is
# several times slower, does 10 as the reference.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=3
CYCLES=${PKTPATH_CYCLES:-50}

unload() {
	rmmod "$1" && ! lsmod | grep -q "^$1 "
}

bound_count() {
	local n=0
	[ "$(nic_driver "$BDF_A")" = "$1" ] && [ -n "$(nic_ifname "$BDF_A")" ] && n=$((n + 1))
	[ "$(nic_driver "$BDF_B")" = "$1" ] && [ -n "$(nic_ifname "$BDF_B")" ] && n=$((n + 1))
	echo $n
}

load_cycles() {
	local drv=$1 cycles=$2 i
	echo "$drv" >"/sys/bus/pci/devices/$BDF_A/driver_override"
	echo "$drv" >"/sys/bus/pci/devices/$BDF_B/driver_override"
	for ((i = 1; i <= cycles; i++)); do
		load_driver "$drv" || { ktap_diag "load #$i failed"; return 1; }
		wait_until 5 eval 'test "$(bound_count "$drv")" = 2' || { ktap_diag "load #$i: NICs not bound"; return 1; }
		unload "$drv" || { ktap_diag "unload #$i failed"; return 1; }
	done
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} pid
	[ -n "$broken" ] && { fail_cases $N "$drv $model: life cycle"; return; }
	nsx "$NS_A" ping -q -f -w 30 "$IP_B" >/dev/null 2>&1 &
	pid=$!
	make_file /tmp/bulk "$(work 32)"
	tcp_transfer "$NS_B" "$NS_A" "$IP_A" /tmp/bulk 5005 >/dev/null 2>&1 &
	wait_until 10 established "$NS_B" 5005
	ktap_check "$drv $model: rmmod under traffic" unload "$drv"
	# The interrupted transfer would otherwise sit out socat's timeout.
	kill $pid 2>/dev/null
	pkill socat
	wait 2>/dev/null
	cable_down
	if cable_up "$drv" "$model"; then
		ktap_check "$drv $model: reloaded, ping answered" ping_all "$NS_A" 3 "$IP_B"
	else
		ktap_not_ok "$drv $model: reloaded, cable up"
	fi
	local a=$BDF_A b=$BDF_B
	cable_down
	BDF_A=$a BDF_B=$b
	unload "$drv"
	local n=$CYCLES
	[ "$drv" = e1000 ] && [ "$n" -gt 10 ] && n=10
	ktap_check "$drv $model: $n load/unload cycles, both NICs probed each time" load_cycles "$drv" $n
	unbind_nic "$BDF_A" 2>/dev/null
	unbind_nic "$BDF_B" 2>/dev/null
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
