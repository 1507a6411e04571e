#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf against hand-made packets (pp_craft, below the client's
# stack) on the client -- router -- server veth topology, the router
# denying TCP port 22 in its forward chains (ip and ip6) and nothing
# else: a filter-only router, no NAT, no conntrack rule.
# - fragments (a first fragment too short for the TCP header, overlapping
#   ones, a later fragment alone) never carry a denied SYN to the server:
#   the namespace reassembles before judging, and the deny rule counts the
#   whole packet;
# - malformed transport headers (TCP data offset 4, 8 bytes of TCP) and an
#   IPv6 extension chain that cannot be walked are dropped and counted as
#   malformed, never judged as "no ports";
# - headers the stack itself refuses (IPv4 header length 4, total length
#   past the frame) never reach the server, and the router goes on;
# - eight IPv6 extension headers are walked: the deny rule still sees port 22;
# - 'syn' means SYN alone: SYN|FIN does not match it (iptables' --syn).
# Each "nothing arrived" is proved by a control SYN sent after it on the
# same path: once the control reached the server, so would have the other.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

CRAFT=$(dirname "$0")/pp_craft
if [ ! -x "$CRAFT" ]; then
	ktap_plan 0
	ktap_diag "SKIP: pp_craft is not built (make -C selftests)"
	exit "$ksft_skip"
fi
ktap_plan 20
trap 'nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up veth; then
	fail_cases 20 "hostile packets"
	exit 1
fi
pp "$NS_R" ruleset load - <<EOF
ip forward handle 10 proto tcp dport 22 drop
ip forward handle 11 proto tcp dport 2323 syn drop
ip6 forward handle 20 proto tcp dport 22 drop
EOF
MAC_RL=$(ip -n "$NS_R" -j link show "$IF_RL" | jq -r '.[0].address')

# The server's TCP segments received, IPv4 and IPv6 (one MIB).
insegs() {
	nsx "$NS_S" awk '$1 == "Tcp:" { if (!h) { for (i = 2; i <= NF; i++)
		if ($i == "InSegs") c = i; h = 1 } else { print $c; exit } }' /proc/net/snmp
}

insegs_reach() {
	test "$(insegs)" -ge "$1"
}

# craft DST PORT KIND: one crafted packet from the client to DST.
craft() {
	local src=$IP_C
	[[ "$1" == *:* ]] && src=$IP6_C
	nsx "$NS_C" "$CRAFT" "$IF_C" "$MAC_RL" "$src" "$1" "$2" "$3"
}

malformed() {
	local n
	n=$(policy_counter "$NS_R" "$1" forward malformed)
	echo "${n:-0}"
}

# arrives N: the server's segment count reaches start + N and stays there
# once a control SYN (sent now, allowed) has arrived too.
arrived() {
	local want=$(( start + $1 + 1 ))
	craft "$2" 23 syn
	wait_until 5 insegs_reach $want
	got=$(( $(insegs) - start - 1 ))
	test "$(insegs)" = $want
}

# deliver DESCRIPTION DST PORT KIND N: KIND to DST's PORT; N segments of
# it reach the server's TCP.
deliver() {
	local desc=$1 dst=$2 port=$3 kind=$4 want=$5
	start=$(insegs)
	if ! craft "$dst" "$port" "$kind"; then
		ktap_not_ok "$desc (pp_craft failed)"
		return
	fi
	if arrived "$want" "$dst"; then
		ktap_ok "$desc"
	else
		ktap_diag "the server received $got segments, wanted $want"
		ktap_not_ok "$desc"
	fi
}

deliver "control: a plain SYN to an allowed port reaches the server" "$IP_S" 23 syn 1
r10=$(rule_counter "$NS_R" ip forward 10 packets)
deliver "tiny first fragment (8 bytes of TCP) + the rest, to port 22: nothing arrives" \
	"$IP_S" 22 tinyfrag 0
expect_eq "  and the deny rule judged the reassembled SYN (+1)" $((r10 + 1)) \
	"$(rule_counter "$NS_R" ip forward 10 packets)"
deliver "tiny fragments to an allowed port are reassembled and forwarded" "$IP_S" 23 tinyfrag 1
deliver "overlapping fragments to port 22: nothing arrives" "$IP_S" 22 overlap 0
deliver "a later fragment alone, to port 22: nothing arrives" "$IP_S" 22 later 0

m=$(malformed ip)
deliver "TCP data offset 4, to port 22: nothing arrives" "$IP_S" 22 doff4 0
deliver "8 bytes of TCP (not a fragment), to port 22: nothing arrives" "$IP_S" 22 trunc 0
expect_eq "  both counted as malformed by ip forward (+2)" $((m + 2)) "$(malformed ip)"
deliver "IPv4 header length 4: nothing arrives, the router goes on" "$IP_S" 22 ihl4 0
deliver "IPv4 total length past the frame: nothing arrives, the router goes on" \
	"$IP_S" 22 longlen 0

r11=$(rule_counter "$NS_R" ip forward 11 packets)
deliver "syn: a plain SYN to 2323 is dropped by 'syn drop'" "$IP_S" 2323 syn 0
deliver "syn: SYN|FIN to 2323 is not 'syn' (iptables --syn): it passes" "$IP_S" 2323 synfin 1
expect_eq "  rule 11 counted the SYN only (+1)" $((r11 + 1)) \
	"$(rule_counter "$NS_R" ip forward 11 packets)"

r20=$(rule_counter "$NS_R" ip6 forward 20 packets)
deliver "ip6: eight extension headers then a SYN to port 22: nothing arrives" \
	"$IP6_S" 22 ext8 0
expect_eq "  rule 20 judged it (+1)" $((r20 + 1)) "$(rule_counter "$NS_R" ip6 forward 20 packets)"
deliver "ip6: eight extension headers then a SYN to port 23: walked and forwarded" \
	"$IP6_S" 23 ext8 1
m6=$(malformed ip6)
# IPv6 reassembly passes on a first fragment without the whole TCP
# header (RFC 8200 4.5): the chain sees it, and cannot judge it.
deliver "ip6: tiny first fragment + the rest, to port 22: nothing arrives" \
	"$IP6_S" 22 tinyfrag 0
deliver "ip6: an extension chain that cannot be walked, to port 22: nothing arrives" \
	"$IP6_S" 22 badchain 0
expect_eq "  the tiny first fragment and the unwalkable chain counted as malformed (+2)" \
	$((m6 + 2)) "$(malformed ip6)"
ktap_finish
