#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1Q: a VLAN subinterface on each end carries ping and TCP, with the
# NIC's VLAN tag insertion and stripping on and then off; with the VLAN
# filter on, frames of a VLAN the receiver has not configured are
# dropped by the NIC, and arrive once it adds that VLAN.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=6

vlan_add() {
	ip -n "$1" link add link "$2" name "$2.$3" type vlan id "$3" &&
		ip -n "$1" addr add "$4/24" dev "$2.$3" &&
		ip -n "$1" link set "$2.$3" up
}

vlan_offload() {
	nsx "$NS_A" ethtool -K "$IF_A" rxvlan "$1" txvlan "$1" 2>/dev/null
	nsx "$NS_B" ethtool -K "$IF_B" rxvlan "$1" txvlan "$1" 2>/dev/null
	nsx "$NS_A" ethtool -k "$IF_A" | grep -q "^rx-vlan-offload: $1" &&
		nsx "$NS_A" ethtool -k "$IF_A" | grep -q "^tx-vlan-offload: $1"
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} n off
	[ -n "$broken" ] && { fail_cases $N "$drv $model: vlan"; return; }
	vlan_add "$NS_A" "$IF_A" 10 10.99.10.1 && vlan_add "$NS_B" "$IF_B" 10 10.99.10.2 ||
		{ fail_cases $N "$drv $model: vlan 10 subinterfaces"; return; }
	make_file /tmp/bulk_vlan "$(work 8)"
	ktap_check "$drv $model: VLAN 10 ping (tag offload on)" ping_all "$NS_A" 3 10.99.10.2
	ktap_check "$drv $model: VLAN 10 TCP $(work 8) MiB intact (offload on)" \
		tcp_transfer "$NS_A" "$NS_B" 10.99.10.2 /tmp/bulk_vlan
	if vlan_offload off; then
		ktap_check "$drv $model: VLAN 10 TCP intact with tag offload off" \
			eval 'ping_all "$NS_A" 2 10.99.10.2 && tcp_transfer "$NS_A" "$NS_B" 10.99.10.2 /tmp/bulk_vlan'
	else
		ktap_not_ok "$drv $model: VLAN tag offload could not be turned off"
	fi
	vlan_offload on
	ktap_check "$drv $model: VLAN tag offload back on" vlan_offload on

	# VLAN 20 only on A: B's VLAN filter must drop its frames (unicast to
	# B's MAC and broadcasts) until B adds VLAN 20.
	vlan_add "$NS_A" "$IF_A" 20 10.99.20.1
	ip -n "$NS_A" neigh replace 10.99.20.2 dev "$IF_A.20" nud permanent \
		lladdr "$(nsx "$NS_B" cat "/sys/class/net/$IF_B/address")"
	n=$(frames_seen "vlan 20" send_vlan20)
	ktap_check "$drv $model: VLAN 20 not configured on B: filtered (seen $n)" test "$n" = 0
	vlan_add "$NS_B" "$IF_B" 20 10.99.20.2
	ktap_check "$drv $model: VLAN 20 added on B: ping answered" ping_all "$NS_A" 3 10.99.20.2
}

# send_vlan20: three datagrams to B's VLAN 20 address, three broadcasts.
send_vlan20() {
	local i
	for i in 1 2 3; do
		echo "u$i" | nsx "$NS_A" socat -u - UDP4-SENDTO:10.99.20.2:9
		echo "b$i" | nsx "$NS_A" socat -u - UDP4-DATAGRAM:10.99.20.255:9,broadcast
	done
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
