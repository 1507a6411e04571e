#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Link handling: ip link down/up repeated; the cable pulled in QEMU
# (set_link) seen as carrier loss and return; and both while a TCP
# transfer runs, which must complete intact.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=5

updown_cycles() {
	local i
	for i in 1 2 3 4 5; do
		ip -n "$NS_A" link set "$IF_A" down || return 1
		ip -n "$NS_A" link set "$IF_A" up || return 1
		ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad 2>/dev/null
		wait_until 10 carrier_is "$NS_A" "$IF_A" 1 || { ktap_diag "no carrier after up #$i"; return 1; }
		ping_all "$NS_A" 1 "$IP_B" >/dev/null || { ktap_diag "no ping after up #$i"; return 1; }
	done
}

pull_cable() {
	qemu_set_link "$MAC_B" off
	wait_until 8 carrier_is "$NS_B" "$IF_B" 0 || { ktap_diag "carrier stayed on"; qemu_set_link "$MAC_B" on; return 1; }
	sleep 2
	qemu_set_link "$MAC_B" on
	wait_until 8 carrier_is "$NS_B" "$IF_B" 1 || { ktap_diag "carrier did not return"; return 1; }
}

bounce_b() {
	ip -n "$NS_B" link set "$IF_B" down && sleep 1 && ip -n "$NS_B" link set "$IF_B" up &&
		ip -n "$NS_B" addr add "$IP6_B/64" dev "$IF_B" nodad 2>/dev/null
	wait_until 10 carrier_is "$NS_B" "$IF_B" 1
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-}
	[ -n "$broken" ] && { fail_cases $N "$drv $model: link"; return; }
	ktap_check "$drv $model: 5 x ip link down/up, carrier and ping after each" updown_cycles
	ktap_check "$drv $model: QEMU set_link off/on: carrier lost and regained" pull_cable
	ktap_check "$drv $model: ping after the cable is back" ping_all "$NS_A" 3 "$IP_B"
	under_traffic "$drv $model: cable pulled for 2 s under TCP, transfer intact" pull_cable
	under_traffic "$drv $model: ip link down/up under TCP, transfer intact" bounce_b
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
