#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pktpath tool as a user meets it: a ruleset using every keyword shows
# back exactly as loaded, handles and insert positions, counters and their
# reset, JSON, and every kind of bad input refused with a clear message,
# a non-zero exit and the active ruleset left as it was; a user without
# CAP_NET_ADMIN is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

NS=pp_cli
trap 'ip netns del $NS 2>/dev/null' EXIT
trap 'exit 143' TERM INT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add dummy0 type dummy
ip -n "$NS" addr add 10.50.0.1/24 dev dummy0
ip -n "$NS" link set dummy0 up

# Every match and action, in the canonical form 'ruleset show' prints.
FULL=/tmp/nf_full.rules
cat >"$FULL" <<'EOF'
policy ip input drop
policy ip6 forward drop
ip prerouting handle 1 iif dummy0 proto tcp dport 8080 dnat to 10.50.0.9:80
ip prerouting handle 2 proto udp dport 5000-5010 redirect to :6000
ip input handle 3 ct state established,related accept
ip input handle 4 iif lo accept
ip input handle 5 saddr 10.0.0.0/8 daddr 10.50.0.1 proto tcp sport 1024-65535 dport 22 syn accept
ip input handle 6 proto icmp icmp-type echo-request mark 0x10/0xff counter
ip input handle 7 proto tcp dport 23 reject with tcp-reset
ip input handle 8 proto udp reject with icmp host-unreachable
ip input handle 9 ct state invalid drop
ip forward handle 10 iif dummy0 oif lo mark set 0x7
ip forward handle 11 ct mark set 0x2a
ip output handle 12 daddr 192.168.1.0/24 proto icmp reject
ip postrouting handle 13 oif dummy0 saddr 10.1.0.0/16 proto tcp snat to 10.50.0.1-10.50.0.5:2000-3000
ip postrouting handle 14 oif dummy0 proto udp masquerade to :1024-2047
ip6 prerouting handle 15 proto tcp dport 80 dnat to [fd00::2]:8080
ip6 input handle 16 saddr fd00::/64 proto icmpv6 icmp-type echo-request accept
ip6 forward handle 17 proto tcp dport 443 accept
ip6 output handle 18 daddr 2001:db8::/32 drop
ip6 postrouting handle 19 oif dummy0 snat to fd00::1
EOF

ktap_plan 26

pp "$NS" ruleset load "$FULL"
ktap_check "load: a ruleset with every keyword loads" test $? = 0
pp_rules "$NS" >/tmp/nf_show1
if cmp -s "$FULL" /tmp/nf_show1; then
	ktap_ok "show: prints the loaded file back byte for byte"
else
	diff "$FULL" /tmp/nf_show1 | head -n 20 | sed 's/^/# /'
	ktap_not_ok "show: prints the loaded file back byte for byte"
fi
pp "$NS" ruleset load /tmp/nf_show1 && pp_rules "$NS" >/tmp/nf_show2
ktap_check "show -> load -> show is identical" cmp -s /tmp/nf_show1 /tmp/nf_show2

# refused DESCRIPTION PATTERN ARGS...: the tool must fail, say PATTERN on
# stderr and leave the ruleset exactly as it was.
refused() {
	local desc=$1 pattern=$2 err rc before after
	shift 2
	before=$(pp "$NS" ruleset show)
	err=$(pp "$NS" "$@" 2>&1 >/dev/null </dev/null)
	rc=$?
	after=$(pp "$NS" ruleset show)
	if [ $rc != 0 ] && echo "$err" | grep -qi -- "$pattern" && [ "$before" = "$after" ]; then
		ktap_ok "refused: $desc ($err)"
	else
		ktap_diag "exit $rc, stderr: $err"
		[ "$before" = "$after" ] || ktap_diag "the ruleset changed"
		ktap_not_ok "refused: $desc"
	fi
}

refused "unknown keyword" "unknown keyword" rule add ip input frobnicate accept
refused "prefix length 33" "prefix" rule add ip input saddr 10.0.0.0/33 accept
refused "IPv6 address in an ip rule" "prefix\|address" rule add ip input saddr fd00::1 accept
refused "port 70000" "range" rule add ip input proto tcp dport 70000 accept
refused "port range 20-10" "range" rule add ip input proto tcp dport 20-10 accept
refused "dport without proto" "proto" rule add ip input dport 22 accept
refused "interface name of 17 characters" "too long" rule add ip input iif abcdefghijklmnopq accept
refused "no action" "missing action" rule add ip input proto tcp
refused "words after the action" "last" rule add ip input accept drop
refused "dnat at input" "prerouting" rule add ip input proto tcp dport 80 dnat to 10.0.0.1
refused "masquerade at forward" "postrouting" rule add ip forward masquerade
refused "duplicate handle" "duplicate handle" rule add ip input handle 4 accept
refused "unknown family" "family" rule add ipx input accept
refused "unknown hook" "hook" rule add ip inputt accept
refused "deleting a handle that does not exist" "handle\|no such" rule del ip input handle 999
printf 'ip input accept\nip input proto tcp accept\nip input proto tcp dport 99999 drop\n' >/tmp/nf_bad.rules
refused "a file with a bad line 3 (nothing of it applied)" "line 3" ruleset load /tmp/nf_bad.rules

noroot() {
	local err
	err=$(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$PKTPATH" rule add ip input drop 2>&1)
	[ $? != 0 ] && echo "$err" | grep -q "not permitted" &&
		[ "$(pp_rules "$NS")" = "$(cat /tmp/nf_show1)" ]
}
ktap_check "refused: a user without CAP_NET_ADMIN" noroot

# Handles, positions, counters, JSON on a small ruleset.
pp "$NS" ruleset flush
pp "$NS" rule add ip input handle 100 proto icmp counter
pp "$NS" rule add ip input handle 101 proto icmp accept
pp "$NS" rule insert index 1 ip input handle 102 proto tcp accept
order=$(pp "$NS" rule list ip input | awk '$1 == "handle" { printf "%s ", $2 }')
expect_eq "insert index 1 lands between the two rules" "100 102 101 " "$order"
nsx "$NS" ping -q -c 4 -i 0.2 127.0.0.1 >/dev/null
# Echo request and reply both come in on lo.
expect_eq "counters: 4 echo requests + 4 replies through the counter rule" 8 \
	"$(rule_counter "$NS" ip input 100 packets)"
pp "$NS" counters reset
expect_eq "counters reset: back to 0" 0 "$(rule_counter "$NS" ip input 100 packets)"
json=$(pp "$NS" -j rule list)
ktap_check "JSON: -j rule list is one object with the chain and its handles" \
	bash -c "echo '$json' | grep -q '^{\"chains\":\[' && echo '$json' | grep -q '\"handle\":102'"

# A large ruleset: 10,000 rules (scaled) in one atomic load, shown back whole.
big=$(work 10000)
awk -v n="$big" 'BEGIN { for (i = 0; i < n; i++)
	printf "ip forward saddr 10.%d.%d.%d proto udp dport 9 drop\n", 100 + i / 65536 % 100, i / 256 % 256, i % 256 }' >/tmp/nf_10k.rules
t0=$(date +%s%N)
pp "$NS" ruleset load /tmp/nf_10k.rules
rc=$?
t1=$(date +%s%N)
ktap_diag "$(grouped "$big") rules loaded in $(( (t1 - t0) / 1000000 )) ms"
ktap_check "$(grouped "$big") rules load in one go" test $rc = 0
expect_eq "and show back as $(grouped "$big") lines" "$big" "$(pp_rules "$NS" | wc -l)"
ktap_finish
