#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf's life cycle: hooks are registered only while a namespace has
# rules (nft list hooks shows them come and go); a namespace deleted with
# rules and a live NATed connection goes cleanly; the module unloads with
# rules and NATed connections in place, traffic flows on, and it loads
# again with nothing left over. (A kernel splat fails the test.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

ktap_plan 7
trap 'stop_servers; nf_router_down' EXIT
trap 'exit 143' TERM INT

# pktpath_hooks NS FAMILY: how many hooks of ours the namespace has;
# nat_hooks: the NAT core's.
pktpath_hooks() {
	ip netns exec "$1" nft list hooks "$2" 2>/dev/null | grep -c pktpath
}

nat_hooks() {
	ip netns exec "$1" nft list hooks "$2" 2>/dev/null | grep -c 'nf_nat'
}

if ! nf_router_up veth; then
	fail_cases 7 "nf_lifecycle"
	exit 1
fi
# 'nft list hooks' needs nfnetlink_hook: the debug kernel has it, Debian's
# does not (there nft lists nothing, even its own base chain).
nft_lists_hooks() {
	ip netns exec "$NS_S" nft -f - <<-EOF
	table ip probe { chain c { type filter hook input priority 0; }; }
	EOF
	ip netns exec "$NS_S" nft list hooks ip 2>/dev/null | grep -q "probe"
	local rc=$?
	ip netns exec "$NS_S" nft delete table ip probe
	return $rc
}
if nft_lists_hooks; then
	expect_eq "no rules: no pktpath hook registered in the namespace" 0 \
		"$(pktpath_hooks "$NS_R" ip)"
	pp "$NS_R" rule add ip input proto udp dport 9 drop
	pp "$NS_R" rule add ip postrouting oif "$IF_RR" masquerade
	# The filter rule hooks input; the NAT rule makes the NAT core hook in.
	ktap_check "rules at input and postrouting: our filter hook and the NAT core's" \
		test "$(pktpath_hooks "$NS_R" ip)" = 1 -a "$(nat_hooks "$NS_R" ip)" -ge 1
	pp "$NS_R" ruleset flush
	# The NAT core's stay: connections bound by NAT keep their translation.
	expect_eq "flushed: our hook is gone, the NAT core's stay" "0 yes" \
		"$(pktpath_hooks "$NS_R" ip) $([ "$(nat_hooks "$NS_R" ip)" -ge 1 ] && echo yes)"
else
	for c in "no rules: no hook" "rules: hooks registered" "flushed: hooks gone"; do
		ktap_skip "$c" "this kernel has no nfnetlink_hook (nft list hooks)"
	done
fi

# A namespace with rules and a live NATed connection, deleted mid-flow.
pp "$NS_R" rule add ip postrouting oif "$IF_RR" masquerade
pp "$NS_R" rule add ip forward proto tcp counter
make_file /tmp/nf_bulk 32
ip netns exec "$NS_S" timeout 30 socat -u TCP-LISTEN:5003,reuseaddr OPEN:/dev/null &
srv=$!
wait_until 5 listening "$NS_S" 5003
ip netns exec "$NS_C" timeout 30 socat -u OPEN:/tmp/nf_bulk TCP:"$IP_S":5003 2>/dev/null &
cli=$!
wait_until 10 established "$NS_C" 5003
ktap_check "router namespace with rules and a live NATed flow deleted" ip netns del "$NS_R"
# The flow has lost its path: rather than sit out the ends' timeouts, stop
# them once the namespace is torn down (its veth peers are gone).
wait_until 20 eval '! ip -n "$NS_C" link show "$IF_C" >/dev/null 2>&1 &&
	! ip -n "$NS_S" link show "$IF_S" >/dev/null 2>&1'
kill $srv $cli 2>/dev/null
wait $srv $cli
nf_router_down

# Rules and NATed connections in place, then rmmod.
nf_router_up veth
pp "$NS_R" rule add ip postrouting oif "$IF_RR" masquerade
pp "$NS_R" rule add ip6 input proto icmpv6 counter
serve_peer "$NS_S" 5001
ask "$NS_C" "$IP_S" 5001 >/dev/null
ip netns exec "$NS_R" conntrack -L 2>/dev/null | grep -q "dst=$IP_RR" ||
	ktap_diag "no NATed conntrack entry before the unload"
ktap_check "rmmod with rules and NATed connections in place" rmmod pktpath_nf
ktap_check "traffic flows on without the module" ping_all "$NS_C" 2 "$IP_S"
reload() {
	nf_load && [ -z "$(pp_rules "$NS_R")" ] && pp "$NS_R" rule add ip input counter &&
		[ -n "$(pp_rules "$NS_R")" ]
}
ktap_check "reloaded: empty rulesets, rules can be added again" reload
ktap_finish
