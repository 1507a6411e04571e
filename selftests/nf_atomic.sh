#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Atomic ruleset replacement on a live NATed flow: a TCP transfer through
# the router's masquerade survives repeated whole-ruleset replaces (each
# with 10,000 rules) and rule additions and deletions, arriving intact;
# rules left in place by an add or a delete keep counting from where they
# were; with 10,000 non-matching rules in the chain traffic still passes;
# the last ruleset's counter counts a follow-up transfer whole.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

ktap_plan 5
trap 'nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up veth; then
	fail_cases 5 "nf_atomic"
	exit 1
fi

# The replacement: 10,000 rules (scaled) that never match, then the same
# two that matter (masquerade and a counter on the transfer's port).
big=/tmp/nf_atomic.rules
nrules=$(work 10000)
mib=$(work 32)
{
	awk -v n="$nrules" 'BEGIN { for (i = 0; i < n; i++)
		printf "ip forward saddr 172.%d.%d.%d drop\n", 16 + i / 65536, i / 256 % 256, i % 256 }'
	echo "ip forward handle 20001 proto tcp dport 5002 counter"
	echo "ip postrouting handle 20002 oif $IF_RR masquerade"
} >"$big"
pp "$NS_R" ruleset load "$big"
ktap_check "$(grouped "$nrules") non-matching rules in forward: pings still pass" ping_all "$NS_C" 3 "$IP_S"

make_file /tmp/nf_bulk "$mib"
# Veth moves 32 MiB in about a second: pace it (1 Mbit/s, it would take
# 4.5 minutes; a third of that on the debug kernel, whose five replaces
# took over 160 s) so that every replace below lands while the transfer
# runs, then lift the pace once they are done: the rest arrives at once,
# so the slow pace costs nothing.
tc -n "$NS_C" qdisc add dev "$IF_C" root netem rate $((1000 / ${PKTPATH_TIMEOUT_SCALE:-1}))kbit
tcp_transfer "$NS_C" "$NS_S" "$IP_S" /tmp/nf_bulk 5002 &
pid=$!
wait_until 10 established "$NS_C" 5002
replaced=0 monotonic=1
for i in 1 2 3 4 5; do
	pp "$NS_R" ruleset load "$big" && replaced=$((replaced + 1))
	c1=$(rule_counter "$NS_R" ip forward 20001 packets)
	# (A handle no rule has: the big ruleset's unnumbered rules get new
	# handles, above every one assigned before.)
	pp "$NS_R" rule add ip forward handle 5 saddr 192.0.2.1 drop
	c2=$(rule_counter "$NS_R" ip forward 20001 packets)
	pp "$NS_R" rule del ip forward handle 5
	c3=$(rule_counter "$NS_R" ip forward 20001 packets)
	ktap_diag "replace $i: counter $c1 -> $c2 (after add) -> $c3 (after del)"
	[ "${c1:-0}" -le "${c2:-0}" ] && [ "${c2:-0}" -le "${c3:-0}" ] || monotonic=0
	sleep 0.3
done
running=ended
kill -0 $pid 2>/dev/null && running=running
tc -n "$NS_C" qdisc change dev "$IF_C" root netem rate 10gbit
wait $pid
rc=$?
expect_eq "5 whole-ruleset replaces during the NATed transfer all applied (transfer still running)" \
	"5 running" "$replaced $running"
ktap_check "the NATed $mib MiB transfer survived them intact (SHA-256)" test $rc = 0
ktap_check "a rule left in place by add/del keeps its count (never goes back)" test $monotonic = 1
# The last replace's counter rule counts a new transfer's bytes, all of them.
b0=$(rule_counter "$NS_R" ip forward 20001 bytes)
make_file /tmp/nf_small 1
tcp_transfer "$NS_C" "$NS_S" "$IP_S" /tmp/nf_small 5002
b1=$(rule_counter "$NS_R" ip forward 20001 bytes)
ktap_diag "after the replaces: a 1 MiB transfer moved the counter by $((b1 - b0)) bytes"
ktap_check "the last replace's counter counts the next transfer's 1 MiB" \
	test $((b1 - b0)) -ge 1048576
ktap_finish
