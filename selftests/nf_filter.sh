#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf filtering on a client -- router -- server topology over veth:
# exact rule and policy counters, INPUT drop and accept, a default-drop
# INPUT that lets established and related traffic in, FORWARD filtering on
# the router, reject with a TCP reset and with ICMP/ICMPv6 unreachable
# (seen by the sender), PREROUTING/POSTROUTING/OUTPUT rules firing, the
# IPv6 variants, and isolation between namespaces.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

ktap_plan 19
trap 'stop_servers; nf_router_down' EXIT
trap 'exit 143' TERM INT

if ! nf_router_up veth; then
	ktap_diag "cannot build the veth topology"
	fail_cases 19 "nf_filter"
	exit 1
fi
make_file /tmp/nf_small 1

# --- INPUT: a counter rule, then a drop rule before it ------------------------
pp "$NS_S" rule add ip input handle 1 saddr "$IP_C" proto icmp icmp-type echo-request counter
ping_all "$NS_C" 10 "$IP_S" >/dev/null
expect_eq "input: counter rule counted 10 echo requests" 10 \
	"$(rule_counter "$NS_S" ip input 1 packets)"
expect_eq "input: and their 840 bytes (84-byte IPv4 packets)" 840 \
	"$(rule_counter "$NS_S" ip input 1 bytes)"

pp "$NS_S" rule insert ip input handle 2 saddr "$IP_C" proto icmp drop
r0=$(icmp_out "$NS_S" echo)
ktap_check "input: drop rule first: 5 pings all lost" pings_lost "$NS_C" 5 "$IP_S"
expect_eq "input: drop rule counted 5, counter rule behind it 10 (unchanged), no reply sent" \
	"5 10 0" "$(rule_counter "$NS_S" ip input 2 packets) $(rule_counter "$NS_S" ip input 1 packets) \
$(( $(icmp_out "$NS_S" echo) - r0 ))"
pp "$NS_S" rule del ip input handle 2
ktap_check "input: drop rule deleted: pings answered again" ping_all "$NS_C" 3 "$IP_S"

# --- default-drop INPUT with established/related accepted -------------------
pp "$NS_S" rule flush
pp "$NS_S" ruleset load - <<EOF
policy ip input drop
ip input handle 10 ct state established,related accept
ip input handle 11 iif lo accept
ip input handle 12 proto tcp dport 5001 accept
EOF
ktap_check "default drop: TCP to the open port (5001) carries 1 MiB intact" \
	tcp_transfer "$NS_C" "$NS_S" "$IP_S" /tmp/nf_small 5001
p0=$(policy_counter "$NS_S" ip input packets)
ktap_check "default drop: 4 pings to the server all lost" pings_lost "$NS_C" 4 "$IP_S"
p1=$(policy_counter "$NS_S" ip input packets)
expect_eq "default drop: the policy counted exactly the 4 echo requests" 4 $((p1 - p0))
ktap_check "default drop: the server's own pings out get their replies in (established)" \
	ping_all "$NS_S" 3 "$IP_C"
pp "$NS_S" ruleset flush

# --- FORWARD on the router -------------------------------------------------------
pp "$NS_R" rule add ip forward handle 20 proto tcp dport 5002 drop
ktap_check "forward: TCP to port 5001 forwarded intact" \
	tcp_transfer "$NS_C" "$NS_S" "$IP_S" /tmp/nf_small 5001
serve_text "$NS_S" 5002 hello
ktap_check "forward: TCP to port 5002 dropped by the router (no answer)" \
	connect_dropped "$NS_C" "$IP_S" 5002
ktap_check "forward: the drop rule counted the SYNs" \
	test "$(rule_counter "$NS_R" ip forward 20 packets)" -ge 1
stop_servers
pp "$NS_R" ruleset flush

# --- reject -------------------------------------------------------------------------
pp "$NS_S" rule add ip input proto tcp dport 5003 reject with tcp-reset
pp "$NS_R" rule add ip forward proto icmp icmp-type echo-request reject with icmp admin-prohibited
pp "$NS_R" rule add ip6 forward proto icmpv6 icmp-type echo-request reject with icmp port-unreachable
ktap_check "reject: TCP connect refused by the server's reset" \
	connect_refused "$NS_C" "$IP_S" 5003
ktap_check "reject: ping through the router answered 'Packet filtered' (ICMP 3/13)" \
	bash -c "ip netns exec $NS_C ping -c 1 -W 2 $IP_S 2>&1 | grep -q 'Packet filtered'"
ktap_check "reject: IPv6 ping answered 'Destination unreachable: Port unreachable'" \
	bash -c "ip netns exec $NS_C ping -c 1 -W 2 $IP6_S 2>&1 | grep -qi 'port unreachable'"
pp "$NS_S" ruleset flush
pp "$NS_R" ruleset flush

# --- PREROUTING, POSTROUTING, OUTPUT and IPv6 ---------------------------------------
pp "$NS_R" rule add ip prerouting handle 30 iif "$IF_RL" proto icmp counter
pp "$NS_R" rule add ip postrouting handle 31 oif "$IF_RR" proto icmp counter
pp "$NS_C" rule add ip output handle 32 daddr "$IP_S" proto icmp counter
ping_all "$NS_C" 5 "$IP_S" >/dev/null
expect_eq "prerouting/postrouting on the router, output on the client: 5 each" "5 5 5" \
	"$(rule_counter "$NS_R" ip prerouting 30 packets) $(rule_counter "$NS_R" ip postrouting 31 packets) $(rule_counter "$NS_C" ip output 32 packets)"
pp "$NS_S" rule add ip6 input handle 40 saddr "$IP6_C" proto icmpv6 icmp-type echo-request drop
r0=$(icmp_out "$NS_S" echo6)
ktap_check "ip6 input: echo requests from the client dropped" pings_lost "$NS_C" 3 "$IP6_S"
expect_eq "ip6 input: the drop rule counted 3 (104-byte packets: 312 bytes), no reply sent" \
	"3 312 0" "$(rule_counter "$NS_S" ip6 input 40 packets) $(rule_counter "$NS_S" ip6 input 40 bytes) \
$(( $(icmp_out "$NS_S" echo6) - r0 ))"

# --- isolation: a namespace's rules are its own -----------------------------------
pp "$NS_R" ruleset flush
pp "$NS_C" ruleset flush
pp "$NS_S" policy ip input drop
isolated() {
	ping_all "$NS_C" 2 "$IP_RL" && [ -z "$(pp_rules "$NS_R")" ] &&
		[ -n "$(pp_rules "$NS_S")" ]
}
ktap_check "isolation: server drops all input; the router still answers and has no rule" isolated
ktap_finish
