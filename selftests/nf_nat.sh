#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf NAT through the kernel's conntrack NAT core, on a client --
# router -- server topology over veth and over emulated e1000 NICs driven
# by pktpath_e1000: SNAT and MASQUERADE (the server sees the router's
# address, conntrack shows the translation, the reply reaches the client),
# DNAT port forwarding, REDIRECT to a local port, the IPv6 variants, and an
# OUTPUT mark that policy routing (ip rule fwmark) acts on.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf
modprobe nf_conntrack_netlink 2>/dev/null

TRANSPORTS=${PKTPATH_NF_TRANSPORTS:-"veth pktpath_e1000"}
CASES=10

# The server answers each connection with the peer address it saw.
nat_cases() {
	local t=$1 got
	serve_peer "$NS_S" 5001
	serve_peer "$NS_S" 5006 6
	serve_text "$NS_R" 5005 router

	pp "$NS_R" rule add ip postrouting handle 1 oif "$IF_RR" saddr 10.1.0.0/24 snat to "$IP_RR"
	got=$(ask "$NS_C" "$IP_S" 5001)
	expect_eq "$t: snat: the server sees the router's address" "$IP_RR" "$got"
	ktap_check "$t: snat: conntrack shows the reply tuple to the router's address" \
		bash -c "ip netns exec $NS_R conntrack -L -p tcp --orig-port-dst 5001 2>/dev/null |
			grep -q 'src=$IP_C dst=$IP_S .* src=$IP_S dst=$IP_RR sport=5001'"
	expect_eq "$t: snat: the rule counted the connection's first packet (nat decides once)" \
		1 "$(rule_counter "$NS_R" ip postrouting 1 packets)"
	pp "$NS_R" ruleset flush

	pp "$NS_R" rule add ip postrouting oif "$IF_RR" masquerade
	got=$(ask "$NS_C" "$IP_S" 5001)
	expect_eq "$t: masquerade: the server sees the router's address" "$IP_RR" "$got"
	pp "$NS_R" ruleset flush

	pp "$NS_R" rule add ip prerouting iif "$IF_RL" daddr "$IP_RL" proto tcp dport 8080 \
		dnat to "$IP_S:5001"
	got=$(ask "$NS_C" "$IP_RL" 8080)
	expect_eq "$t: dnat: router:8080 forwarded to server:5001 (sees the client)" "$IP_C" "$got"
	pp "$NS_R" ruleset flush

	pp "$NS_R" rule add ip prerouting iif "$IF_RL" proto tcp dport 9090 redirect to :5005
	got=$(ask "$NS_C" "$IP_S" 9090)
	expect_eq "$t: redirect: server:9090 answered by the router's port 5005" router "$got"
	pp "$NS_R" ruleset flush

	pp "$NS_R" rule add ip6 postrouting oif "$IF_RR" saddr fd01::/64 snat to "$IP6_RR"
	got=$(ask "$NS_C" "[$IP6_S]" 5006)
	ktap_check "$t: ip6 snat: the server sees the router's address ($got)" \
		test "$(ip6_full "$got")" = "$(ip6_full "$IP6_RR")"
	pp "$NS_R" ruleset flush

	pp "$NS_R" rule add ip6 prerouting iif "$IF_RL" daddr "$IP6_RL" proto tcp dport 8080 \
		dnat to "[$IP6_S]:5006"
	got=$(ask "$NS_C" "[$IP6_RL]" 8080)
	ktap_check "$t: ip6 dnat: router:8080 forwarded to server:5006 ($got)" \
		test "$(ip6_full "$got")" = "$(ip6_full "$IP6_C")"
	pp "$NS_R" ruleset flush

	# Policy routing on the client: 10.77.0.1 (on the server) is reachable
	# only through table 100, which only marked packets use.
	ip -n "$NS_S" addr add 10.77.0.1/32 dev lo
	ip -n "$NS_R" route add 10.77.0.1/32 via "$IP_S"
	ip -n "$NS_C" route add 10.77.0.0/24 via 10.1.0.99 dev "$IF_C" onlink
	ip -n "$NS_C" route add 10.77.0.0/24 via "$IP_RL" table 100
	ip -n "$NS_C" rule add fwmark 7 table 100
	ktap_check "$t: mark: unmarked, 10.77.0.1 is unreachable (main table)" \
		bash -c "! ip netns exec $NS_C ping -q -c 1 -W 1 10.77.0.1 >/dev/null"
	pp "$NS_C" rule add ip output handle 5 daddr 10.77.0.1 mark set 7
	ktap_check "$t: mark: output mark 7 re-routes by fwmark, pings answered" \
		ping_all "$NS_C" 3 10.77.0.1
	stop_servers
}

ktap_plan $(( $(echo $TRANSPORTS | wc -w) * CASES ))
trap 'stop_servers; nf_router_down' EXIT
trap 'exit 143' TERM INT
for t in $TRANSPORTS; do
	if nf_router_up "$t"; then
		nat_cases "$t"
	else
		ktap_diag "cannot build the router topology over $t"
		fail_cases $CASES "$t: nat"
	fi
	stop_servers
	nf_router_down
done
ktap_finish
