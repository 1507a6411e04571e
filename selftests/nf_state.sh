#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf's state over time, on the client -- router -- server veth
# topology:
# - a NATed TCP transfer (DNAT router:8080 -> server:80, masquerade out)
#   carries on intact after its NAT rules are deleted, after a whole-ruleset
#   replace without NAT, and after a flush: connections keep the
#   translation they were bound with, as with nftables;
# - filter and NAT decide apart (an accept does not exempt from NAT) and
#   OUTPUT's filter sees the destination after DNAT;
# - an ICMP error of a NATed flow (port unreachable behind a DNAT) is
#   translated back to the client, whose socket sees "connection refused";
# - handles are never reused: not after a flush, not after a load;
# - a change made against an old generation is refused, and of two
#   writers racing from the same generation exactly one wins;
# - "iif veth_r*" matches by prefix; "ct state untracked" matches what
#   nft's notrack marked;
# - a 65,536-rule load holds nothing other netlink users wait for: ethtool
#   (whose family lookup goes through the generic netlink controller)
#   answers while it runs; it goes in parts, and a part refused leaves
#   everything as it was; it works inside an unprivileged user namespace.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

ktap_plan 18
trap 'stop_servers; nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up veth; then
	fail_cases 18 "nf state"
	exit 1
fi

NAT_RULES="ip prerouting iif $IF_RL daddr $IP_RL proto tcp dport 8080 dnat to $IP_S:80
ip postrouting oif $IF_RR masquerade"
make_file /tmp/nf_part1 1
make_file /tmp/nf_part2 1

received() {
	test "$(stat -c %s /tmp/nf_recv 2>/dev/null)" = "$1"
}

# nat_survives DESCRIPTION COMMAND...: a transfer through the NAT rules
# sends its first part, COMMAND takes the NAT away, the second part
# follows on the same connection; the server must get both intact.
nat_survives() {
	local desc=$1 srv cli want got
	shift
	rm -f /tmp/nf_recv /tmp/nf_go
	echo "$NAT_RULES" | pp "$NS_R" ruleset load -
	nsx "$NS_S" timeout 60 socat -u TCP-LISTEN:80,reuseaddr OPEN:/tmp/nf_recv,creat,trunc &
	srv=$!
	wait_until 5 listening "$NS_S" 80
	(cat /tmp/nf_part1; while [ ! -e /tmp/nf_go ]; do sleep 0.1; done; cat /tmp/nf_part2) |
		nsx "$NS_C" timeout 60 socat -u - "TCP:$IP_RL:8080" &
	cli=$!
	wait_until 20 received 1048576
	"$@"
	touch /tmp/nf_go
	wait "$cli"
	wait "$srv"
	want=$(cat /tmp/nf_part1 /tmp/nf_part2 | sha256sum | cut -d' ' -f1)
	got=$(sha256sum </tmp/nf_recv | cut -d' ' -f1)
	if [ "$want" = "$got" ]; then
		ktap_ok "$desc"
	else
		ktap_diag "received $(stat -c %s /tmp/nf_recv) of 2097152 bytes"
		ktap_not_ok "$desc"
	fi
}

del_nat_rules() {
	local h
	for h in $(pp "$NS_R" rule list ip prerouting | awk '$1 == "handle" { print $2 }'); do
		pp "$NS_R" rule del ip prerouting handle "$h"
	done
	for h in $(pp "$NS_R" rule list ip postrouting | awk '$1 == "handle" { print $2 }'); do
		pp "$NS_R" rule del ip postrouting handle "$h"
	done
	[ -z "$(pp_rules "$NS_R")" ]
}

nat_survives "NAT: a transfer carries on intact after its NAT rules are deleted" del_nat_rules
nat_survives "NAT: ... after a ruleset load without NAT" \
	eval 'echo "ip forward proto udp dport 9 drop" | pp "$NS_R" ruleset load -'
nat_survives "NAT: ... after a flush" pp "$NS_R" ruleset flush

# Port unreachable from behind a DNAT: the error's inner header is the
# server's view of the datagram and must be translated back.
pp "$NS_R" ruleset load - <<EOF
ip prerouting iif $IF_RL daddr $IP_RL proto udp dport 5353 dnat to $IP_S:53
ip postrouting oif $IF_RR masquerade
EOF
err=$(echo probe | nsx "$NS_C" timeout 10 socat -T 3 - "UDP:$IP_RL:5353" 2>&1)
ktap_diag "client: $err"
ktap_check "NAT: the server's port unreachable reaches the client's socket translated" \
	bash -c "echo '$err' | grep -q 'Connection refused'"

# Filter and NAT decide apart, as in nftables: an earlier accept does not
# exempt a connection from NAT, and OUTPUT's filter sees the destination
# after DNAT.
serve_peer "$NS_S" 5001
pp "$NS_R" ruleset load - <<EOF
ip prerouting proto tcp dport 8080 accept
ip prerouting iif $IF_RL daddr $IP_RL proto tcp dport 8080 dnat to $IP_S:5001
EOF
expect_eq "NAT: an accept before the dnat rule does not exempt the connection" \
	"$IP_C" "$(ask "$NS_C" "$IP_RL" 8080)"
pp "$NS_R" ruleset flush
pp "$NS_C" ruleset load - <<EOF
ip output handle 41 daddr $IP_RL proto tcp dport 7777 dnat to $IP_S:5001
ip output handle 42 daddr $IP_S proto tcp dport 5001 drop
EOF
got=$(ask "$NS_C" "$IP_RL" 7777)
expect_eq "OUTPUT: 'daddr server drop' drops local traffic DNATed to the server" "" "$got"
ktap_check "OUTPUT: the drop rule counted it (after DNAT)" \
	test "$(rule_counter "$NS_C" ip output 42 packets)" -ge 1
pp "$NS_C" ruleset flush
stop_servers

# Handles.
pp "$NS_R" ruleset flush
h1=$(pp "$NS_R" -e rule add ip input proto udp dport 9 drop | awk '{ print $2 }')
pp "$NS_R" ruleset flush
h2=$(pp "$NS_R" -e rule add ip input proto udp dport 9 drop | awk '{ print $2 }')
echo "ip input proto udp dport 10 drop" | pp "$NS_R" ruleset load -
h3=$(pp "$NS_R" rule list ip input | awk '$1 == "handle" { print $2 }')
ktap_diag "handles: $h1, after a flush $h2, after a load $h3"
ktap_check "handles: never reused after a flush or a load" \
	test -n "$h1" -a "${h2:-0}" -gt "${h1:-0}" -a "${h3:-0}" -gt "${h2:-0}"

# Generations: show, edit, load.
pp "$NS_R" ruleset show >/tmp/nf_gen_a
cp /tmp/nf_gen_a /tmp/nf_gen_b
echo "ip input proto udp dport 11 drop" >>/tmp/nf_gen_a
echo "ip input proto udp dport 12 drop" >>/tmp/nf_gen_b
pp "$NS_R" ruleset load /tmp/nf_gen_a
ktap_check "generation: a load from the current generation works" test $? = 0
before=$(pp "$NS_R" ruleset show)
err=$(pp "$NS_R" ruleset load /tmp/nf_gen_b 2>&1)
rc=$?
ktap_diag "stale load: $err"
ktap_check "generation: a load from a stale generation is refused, nothing changed" \
	test $rc != 0 -a "$before" = "$(pp "$NS_R" ruleset show)"
pp "$NS_R" -f ruleset load /tmp/nf_gen_b
has_rule() {
	pp_rules "$NS_R" | grep -q -- "$1"
}
ktap_check "generation: -f loads it anyway" has_rule "dport 12 drop"

# Two writers from the same generation, at once.
pp "$NS_R" ruleset show >/tmp/nf_gen_c
for i in 1 2 3 4; do
	sed "\$a ip input proto udp dport 2$i drop" /tmp/nf_gen_c >/tmp/nf_gen_w$i
done
for i in 1 2 3 4; do
	pp "$NS_R" ruleset load /tmp/nf_gen_w$i 2>/dev/null &
	eval "w$i=\$!"
done
won=0
for i in 1 2 3 4; do
	eval "wait \$w$i" && won=$((won + 1))
done
expect_eq "generation: of 4 writers racing from one generation exactly 1 wins" 1 "$won"

# Interface wildcards, and ct state untracked (notrack by nft's raw-priority
# chain, before conntrack).
pp "$NS_R" ruleset load - <<EOF
ip input handle 31 iif veth_r* proto icmp counter
ip input handle 32 iif veth_x* proto icmp counter
ip input handle 33 ct state untracked proto icmp counter
EOF
nsx "$NS_R" nft -f - <<EOF
table ip pp_raw {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip protocol icmp notrack
	}
}
EOF
ping_all "$NS_C" 3 "$IP_RL" >/dev/null
expect_eq "iif veth_r*: the wildcard matches veth_rl (3 echo requests)" 3 \
	"$(rule_counter "$NS_R" ip input 31 packets)"
expect_eq "iif veth_x*: matches nothing" 0 "$(rule_counter "$NS_R" ip input 32 packets)"
expect_eq "ct state untracked: the 3 echo requests nft marked notrack" 3 \
	"$(rule_counter "$NS_R" ip input 33 packets)"
nsx "$NS_R" nft delete table ip pp_raw

# A 65,536-rule load (scaled) while ethtool asks about another interface.
big=$(work 65536 2048)
awk -v n="$big" 'BEGIN { for (i = 0; i < n; i++)
	printf "ip forward saddr 10.%d.%d.%d proto udp dport 9 drop\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 }' \
	>/tmp/nf_64k.rules
t0=$(now_ms)
pp "$NS_R" ruleset load /tmp/nf_64k.rules &
loader=$!
slowest=0 asks=0
while kill -0 "$loader" 2>/dev/null; do
	a0=$(now_ms)
	nsx "$NS_C" ethtool "$IF_C" >/dev/null 2>&1
	a=$(( $(now_ms) - a0 ))
	[ "$a" -gt "$slowest" ] && slowest=$a
	asks=$((asks + 1))
done
wait "$loader"
rc=$?
load_ms=$(( $(now_ms) - t0 ))
ktap_diag "$(grouped "$big") rules loaded in $load_ms ms (exit $rc); ethtool answered $asks times meanwhile, the slowest in $slowest ms"
ktap_check "$(grouped "$big")-rule load: ethtool answers meanwhile, never held up for the load" \
	test "$rc" = 0 -a "$asks" -ge 1 -a "$slowest" -lt $(( load_ms / 2 > 1000 ? load_ms / 2 : 1000 ))

# A refused load (one rule too many, whatever the scale: the limit is the
# kernel's; the rules at its end have every pair of prefix lengths, which
# the classifier takes) leaves everything as it was. It goes in parts, the
# last one refused.
before=$(pp "$NS_R" ruleset show | cksum)
awk 'BEGIN { for (i = 0; i < 65000; i++)
	printf "ip forward saddr 10.%d.%d.%d proto udp dport 9 drop\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256
	for (i = 0; i <= 536; i++)
	printf "ip forward saddr 10.9.0.0/%d daddr 10.8.0.0/%d drop\n", i % 33, int(i / 33) }' \
	>/tmp/nf_shapes.rules
err=$(pp "$NS_R" ruleset load /tmp/nf_shapes.rules 2>&1)
rc=$?
ktap_diag "65,537 rules: $err"
ktap_check "a refused 65,537-rule load changes nothing" \
	test $rc != 0 -a "$before" = "$(pp "$NS_R" ruleset show | cksum)"

# Rootless: an unprivileged user's own user and network namespace, where
# the socket buffer cannot be forced up.
n=$(setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn \
	sh -c "'$PKTPATH' ruleset load /tmp/nf_64k.rules && '$PKTPATH' ruleset show | grep -vc '^#'" 2>&1)
ktap_diag "inside unshare -Urn as nobody: $n"
expect_eq "a $(grouped "$big")-rule load inside an unprivileged user namespace" "$big" "$n"
ktap_finish
