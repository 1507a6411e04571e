#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures, with the kernel's fault injection (the debug
# kernel: failslab, fail_page_alloc; skipped where the kernel has none)
# and the driver's own knob (everywhere). Systematically, through
# fail-nth (pp_failnth.c): the 1st, 2nd, ... allocation of one operation
# fails, until the operation runs to completion without reaching its Nth.
# Operations: the probe (a bind), the open (ip link set up), a ring resize
# (ethtool -G). Every attempt ends with an errno or success and no splat;
# after the sweep, with injection off, the NIC comes up and answers;
# nothing leaks (kmemleak, checked by module_unload.sh at the end). Then the RX refill: every third
# page allocation fails during a TCP transfer (debugfs rx_alloc_fail_every),
# which arrives intact, the failures counted in rx_queue_0_alloc_failures.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/xdp_lib.sh"
require_root_vm

N=4
FNTH=$(dirname "$0")/pp_failnth
DBG=/sys/kernel/debug
# Sweeps stop here at the latest (the open and the probe reach hundreds
# of points: the first 24 one by one, where the driver's own allocations
# come first, then every 40th).
POINTS="$(seq 1 24) $(seq 40 40 400)"

have_injection() {
	[ -x "$FNTH" ] && [ -e /proc/self/fail-nth ] && [ -d "$DBG/failslab" ] &&
		[ -d "$DBG/fail_page_alloc" ]
}

# Sleeping allocations count too, and order-0 pages; no stack dumps.
injection_setup() {
	local f
	for f in failslab fail_page_alloc; do
		echo N >"$DBG/$f/ignore-gfp-wait"
		echo 0 >"$DBG/$f/verbose"
	done
	echo 0 >"$DBG/fail_page_alloc/min-order"
}

# sweep DESC SETUP OP...: for each N, SETUP (state before the operation)
# then pp_failnth N OP...; stops when the operation no longer reaches its
# Nth point. Prints "points P failed F".
sweep() {
	local setup=$2 n out points=0 failed=0
	shift 2
	for n in $POINTS; do
		eval "$setup" >/dev/null 2>&1
		out=$("$FNTH" "$n" "$@" 2>&1) || { echo "tool: $out"; return 1; }
		case "$out" in
		"errno 0 injected 0") break ;;
		*" injected 1") points=$n; [[ "$out" == "errno 0 "* ]] || failed=$((failed + 1)) ;;
		*) echo "at $n: $out"; return 1 ;;
		esac
	done
	echo "points $points failed $failed"
}

# The NIC back in $NS_A, configured and answering.
a_back() {
	local ifc
	wait_until 5 eval 'test -n "$(nic_ifname "$BDF_A")" || ip -n "$NS_A" link show "$IF_A" >/dev/null 2>&1'
	ifc=$(nic_ifname "$BDF_A")
	if [ -n "$ifc" ]; then
		IF_A=$ifc
		ip link set "$IF_A" netns "$NS_A" || return 1
		ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A" 2>/dev/null
		ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad 2>/dev/null
	fi
	ip -n "$NS_A" link set "$IF_A" up && wait_until 15 carrier_is "$NS_A" "$IF_A" 1 &&
		ping_all "$NS_A" 3 "$IP_B" >/dev/null
}

# The PCI device is held enabled from sysfs meanwhile, so that the
# probe's pci_enable_device() does not evaluate ACPI's _PRT: ACPICA does
# not survive allocation failures (seen: AE_NO_MEMORY on a reference
# count, then a KASAN use-after-free in its namespace on the next unbind).
case_probe() {
	local r drv=/sys/bus/pci/drivers/pktpath_e1000 en=/sys/bus/pci/devices/$BDF_A/enable
	# (sysfs enables only a device without a driver.)
	echo "$BDF_A" >"$drv/unbind"
	echo 1 >"$en" || return 1
	r=$(sweep probe "[ -e $drv/$BDF_A ] && echo $BDF_A >$drv/unbind" write "$drv/bind" "$BDF_A")
	ktap_diag "probe: $r"
	[ -e "$drv/$BDF_A" ] && echo "$BDF_A" >"$drv/unbind"
	echo 0 >"$en"
	echo "$BDF_A" >"$drv/bind"
	[[ "$r" == points* ]] && a_back
}

# Every third RX refill page fails (the driver's debugfs knob: the
# kernel's fail_function would do it too, but on 6.1 its random draw in
# kprobe context trips lockdep) during a transfer to A.
case_refill() {
	local knob=$DBG/pktpath_e1000/$BDF_A/rx_alloc_fail_every s0 s1 rc=0
	[ -w "$knob" ] || { ktap_diag "no $knob"; return 1; }
	s0=$(ethtool_stat "$NS_A" "$IF_A" rx_queue_0_alloc_failures)
	echo 3 >"$knob" || return 1
	make_file /tmp/faults_bulk "$(work 8 2)"
	tcp_transfer "$NS_B" "$NS_A" "$IP_A" /tmp/faults_bulk 5031 || rc=1
	echo 0 >"$knob"
	s1=$(ethtool_stat "$NS_A" "$IF_A" rx_queue_0_alloc_failures)
	ktap_diag "RX refill: $((s1 - s0)) page allocations failed during the transfer"
	[ $rc = 0 ] && [ "$s1" -gt "$s0" ] && ping_all "$NS_A" 3 "$IP_B" >/dev/null
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} c
	[ -n "$broken" ] && { fail_cases $N "$drv $model: faults"; return; }
	if [ "$drv" != pktpath_e1000 ]; then
		for c in probe open "ring resize" "RX refill"; do
			ktap_skip "$drv $model: allocation failures in $c" "our driver's fault points only"
		done
		return
	fi
	if have_injection; then
		injection_setup
		# The open and resize sweeps run on A in the initial namespace.
		ip -n "$NS_A" link set "$IF_A" netns 1
		ip addr add "$IP_A/24" dev "$IF_A"
		ktap_check "$drv $model: allocation failures in the open: errno or success, then it works" \
			eval 'case_open_init'
		ktap_check "$drv $model: allocation failures in a ring resize: errno or success, then it works" \
			eval 'case_rings_init'
		ip link set "$IF_A" netns "$NS_A"
		ktap_check "$drv $model: allocation failures in the probe: errno or success, then it works" case_probe
	else
		for c in probe open "ring resize"; do
			ktap_skip "$drv $model: allocation failures in $c" "no fault injection (fail-nth, failslab) in this kernel"
		done
	fi
	ktap_check "$drv $model: RX refill failing every 3rd page: transfer intact, failures counted" case_refill
}

# A in the initial namespace: the sweeps' ioctls work on it directly.
case_open_init() {
	local r
	r=$(sweep open "ip link set $IF_A down" up "$IF_A")
	ktap_diag "open: $r"
	ip link set "$IF_A" up
	[[ "$r" == points* ]] && wait_until 15 eval 'test "$(cat /sys/class/net/$IF_A/carrier)" = 1' &&
		ping -q -c 2 -W 2 "$IP_B" >/dev/null
}

case_rings_init() {
	local r
	r=$(sweep rings "ethtool -G $IF_A rx 256 tx 256; ip link set $IF_A up" rings "$IF_A" 512 512)
	ktap_diag "ring resize 256 -> 512: $r"
	ethtool -G "$IF_A" rx 256 tx 256 2>/dev/null
	ip link set "$IF_A" up
	[[ "$r" == points* ]] && wait_until 15 eval 'test "$(cat /sys/class/net/$IF_A/carrier)" = 1' &&
		ping -q -c 2 -W 2 "$IP_B" >/dev/null
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
