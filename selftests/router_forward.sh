#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forwarding through a router namespace whose two NICs (and the client's
# and server's) are driven by each driver under test: ping and TCP from
# client to server over IPv4 and IPv6, and the router's NIC counters must
# account for every forwarded echo request. Runs on the feature drivers
# (PKTPATH_FEATURE_DRIVERS: make check runs ours, make check-all both).
source "$(dirname "$0")/lib.sh"
require_root_vm

PINGS=20
CASES=5

# pin_neigh NS IF IP PEER_NS PEER_IF: a permanent neighbour entry for IP.
pin_neigh() {
	ip -n "$1" neigh replace "$3" dev "$2" nud permanent \
		lladdr "$(ip netns exec "$4" cat "/sys/class/net/$5/address")"
}

one_router() {
	local drv=$1 rx0 tx0 rx1 tx1
	if ! router_up "$drv"; then
		ktap_diag "cannot bring up the router topology with $drv"
		for _ in $(seq $CASES); do ktap_not_ok "$drv: router topology down"; done
		router_down
		return
	fi
	# Warm up, pin the IPv4 next hops (no ARP refresh during the count) and
	# let link-up chatter (MLD reports) pass, so the count sees echoes.
	ping_all "$NS_C" 2 "$IP_S" >/dev/null
	ping_all "$NS_C" 2 "$IP6_S" >/dev/null
	pin_neigh "$NS_C" "$IF_C" "$IP_RL" "$NS_R" "$IF_RL"
	pin_neigh "$NS_R" "$IF_RL" "$IP_C" "$NS_C" "$IF_C"
	pin_neigh "$NS_R" "$IF_RR" "$IP_S" "$NS_S" "$IF_S"
	pin_neigh "$NS_S" "$IF_S" "$IP_RR" "$NS_R" "$IF_RR"
	sleep 2

	rx0=$(link_counter "$NS_R" "$IF_RL" rx packets)
	tx0=$(link_counter "$NS_R" "$IF_RR" tx packets)
	ktap_check "$drv: $PINGS IPv4 pings client -> server via the router" \
		ping_all "$NS_C" $PINGS "$IP_S"
	rx1=$(link_counter "$NS_R" "$IF_RL" rx packets)
	tx1=$(link_counter "$NS_R" "$IF_RR" tx packets)
	# Echo requests in on the left, out on the right; a stray neighbour
	# probe may add one or two.
	if [ $((rx1 - rx0)) -ge $PINGS ] && [ $((rx1 - rx0)) -le $((PINGS + 3)) ] &&
		[ $((tx1 - tx0)) -ge $PINGS ] && [ $((tx1 - tx0)) -le $((PINGS + 3)) ]; then
		ktap_ok "$drv: router counted $((rx1 - rx0)) in / $((tx1 - tx0)) out for $PINGS echoes"
	else
		ktap_not_ok "$drv: router counted $((rx1 - rx0)) in / $((tx1 - tx0)) out for $PINGS echoes"
	fi
	ktap_check "$drv: IPv6 pings client -> server via the router" \
		ping_all "$NS_C" 5 "$IP6_S"
	ktap_check "$drv: TCP $MIB MiB client -> server, SHA-256 equal" \
		tcp_transfer "$NS_C" "$NS_S" "$IP_S" /tmp/send
	ktap_check "$drv: TCP IPv6 $MIB MiB server -> client, SHA-256 equal" \
		tcp_transfer "$NS_S" "$NS_C" "[$IP6_C]" /tmp/send
	router_down
}

MIB=$(work 8)
head -c $((MIB * 1024 * 1024)) /dev/urandom >/tmp/send
drivers=($PKTPATH_FEATURE_DRIVERS)
ktap_plan $(( ${#drivers[@]} * CASES ))
trap router_down EXIT
trap 'exit 143' TERM INT
for drv in $PKTPATH_FEATURE_DRIVERS; do
	t0=$(now_ms)
	one_router "$drv"
	is_ref "$drv" && acct ref "$t0"
done
ktap_finish
