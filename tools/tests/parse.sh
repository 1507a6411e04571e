#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the pktpath parser, no kernel needed: every case runs
# 'pktpath --dry-run', which parses, checks and prints but sends nothing.
#   bash tools/tests/parse.sh [path/to/pktpath]
set -u
P=${1:-$(dirname "$0")/../pktpath}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# good RULE... CANONICAL: 'rule add' accepts it and prints CANONICAL.
good() {
	local want=$1 out
	shift
	out=$("$P" -n rule add "$@" 2>&1) || { bad "refused: $* ($out)"; return; }
	[ "$out" = "$want" ] && ok || bad "$*: got '$out', want '$want'"
}

# refused MESSAGE ARGS...: exit 1, stderr 'pktpath: MESSAGE', stdout empty.
refused() {
	local want=$1 out err rc
	shift
	out=$("$P" -n "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
	if [ $rc -ne 1 ] || [ -n "$out" ] || [[ "$err" != "pktpath: $want"* ]]; then
		bad "$*: rc $rc, stderr '$err', want 'pktpath: $want'"
	else
		ok
	fi
}

# badfile MESSAGE < FILE: 'ruleset load -' refuses it with MESSAGE.
badfile() {
	local err rc
	"$P" -n ruleset load - >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	if [ $rc -ne 1 ] || [ -s "$tmp/out" ] || [ "$err" != "pktpath: $1" ]; then
		bad "file: rc $rc, stderr '$err', want 'pktpath: $1'"
	else
		ok
	fi
}

# --- accepted, canonical form -------------------------------------------------
good "ip input accept" ip input accept
good "ip6 output handle 7 drop" ip6 output handle 7 drop
good "ip input handle 4294967295 counter" ip input handle 0xffffffff counter
good "ip input iif lo accept" "ip input iif lo accept"
good "ip forward iif eth0 oif abcdefghijklmno accept" ip forward oif abcdefghijklmno iif eth0 accept
good "ip input saddr 10.0.0.0/8 accept" ip input saddr 10.1.2.3/8 accept
good "ip input daddr 10.1.2.3 accept" ip input daddr 10.1.2.3/32 accept
good "ip input daddr 0.0.0.0/0 accept" ip input daddr 1.2.3.4/0 accept
good "ip6 input saddr fd00::/8 accept" ip6 input saddr fd12:3456::1/8 accept
good "ip6 input saddr ::1 accept" ip6 input saddr ::1/128 accept
good "ip input proto tcp accept" ip input proto 6 accept
good "ip input proto udp accept" ip input proto 0x11 accept
good "ip input proto 255 accept" ip input proto 255 accept
good "ip input proto tcp sport 0-65535 dport 22 accept" ip input dport 22-22 sport 0-65535 proto tcp accept
good "ip input proto udp dport 53 accept" ip input proto udp dport 53 accept
good "ip input proto icmp icmp-type echo-request accept" ip input icmp-type 8 proto icmp accept
good "ip6 input proto icmpv6 icmp-type echo-reply accept" ip6 input proto icmpv6 icmp-type echo-reply accept
good "ip input proto icmp icmp-type 42 accept" ip input proto icmp icmp-type 42 accept
good "ip input ct state new,established,related,invalid accept" ip input ct state invalid,related,established,new accept
good "ip input mark 0x10 accept" ip input mark 16 accept
good "ip input mark 0x10/0xf0 accept" ip input mark 0x10/0xf0 accept
good "ip input mark 0x0/0x0 accept" ip input mark 0/0 accept
good "ip input proto tcp syn accept" ip input syn proto tcp accept
good "ip forward iif a oif b saddr 1.0.0.0/8 daddr 2.2.0.0/16 proto tcp sport 1 dport 2-3 ct state new mark 0x1 syn drop" \
	ip forward syn mark 1 ct state new dport 2-3 sport 1 proto tcp daddr 2.2.2.2/16 saddr 1.1.1.1/8 oif b iif a drop
good "ip input reject" ip input reject
good "ip input reject" ip input reject with icmp port-unreachable
good "ip6 input reject" ip6 input reject with icmp 4
good "ip input reject with icmp admin-prohibited" ip input reject with icmp 13
good "ip6 input reject with icmp no-route" ip6 input reject with icmp no-route
good "ip input proto tcp reject with tcp-reset" ip input proto tcp reject with tcp-reset
good "ip output mark set 0xff" ip output mark set 255
good "ip output ct mark set 0x0" ip output ct mark set 0
good "ip postrouting snat to 1.2.3.4" ip postrouting snat to 1.2.3.4
good "ip postrouting proto tcp snat to 1.2.3.4-1.2.3.9:1000-2000" ip postrouting proto tcp snat to 1.2.3.4-1.2.3.9:1000-2000
good "ip6 postrouting proto udp snat to [fd00::1]:1000-2000" ip6 postrouting proto udp snat to [fd00::1]:1000-2000
good "ip6 postrouting proto tcp snat to [fd00::1]-[fd00::2]:80" ip6 postrouting proto tcp snat to [fd00::1-fd00::2]:80
good "ip6 postrouting snat to fd00::1" ip6 postrouting snat to "[fd00::1]"
good "ip postrouting masquerade" ip postrouting masquerade
good "ip postrouting proto tcp masquerade to :1000-2000" ip postrouting proto tcp masquerade to :1000-2000
good "ip prerouting proto tcp dnat to 10.2.0.2:80" ip prerouting proto tcp dnat to 10.2.0.2:80
good "ip6 prerouting proto tcp dnat to [fd00::2]:80" ip6 prerouting proto tcp dnat to [fd00::2]:80
good "ip prerouting proto tcp redirect to :8080" ip prerouting proto tcp redirect to :8080
good "ip prerouting redirect" ip prerouting redirect
out=$("$P" -n rule insert index 3 ip input accept 2>&1) && [ "$out" = "ip input accept" ] && ok ||
	bad "rule insert index: $out"
out=$("$P" -n -e rule add ip input accept 2>&1) && [ "$out" = "ip input accept" ] && ok ||
	bad "-e rule add: $out"

# --- refused on the command line ----------------------------------------------
refused "unknown keyword 'foo'" rule add ip input foo 1 accept
refused "bad family 'ip4'" rule add ip4 input accept
refused "bad hook 'inptu'" rule add ip inptu accept
refused "missing hook" rule add ip
refused "missing family" rule add
refused "bad handle '0'" rule add ip input handle 0 accept
refused "bad handle '4294967296'" rule add ip input handle 4294967296 accept
refused "bad handle '1x'" rule add ip input handle 1x accept
refused "bad handle '-1'" rule add ip input handle -1 accept
refused "bad handle '010x'" rule add ip input handle 010x accept
refused "'handle N' must come right after the hook" rule add ip input proto tcp handle 3 accept
refused "bad prefix '10.0.0.0/33'" rule add ip input saddr 10.0.0.0/33 accept
refused "bad prefix '::1'" rule add ip input saddr ::1 accept
refused "bad prefix '10.0.0.1'" rule add ip6 input daddr 10.0.0.1 accept
refused "bad prefix 'fd00::/129'" rule add ip6 input daddr fd00::/129 accept
refused "bad prefix '10.0.0.0/'" rule add ip input saddr 10.0.0.0/ accept
refused "bad prefix '10.0.0.0/8x'" rule add ip input saddr 10.0.0.0/8x accept
refused "bad prefix '10.0.0/8'" rule add ip input saddr 10.0.0/8 accept
refused "port out of range '70000'" rule add ip input proto tcp dport 70000 accept
refused "port out of range '65536'" rule add ip input proto tcp sport 1-65536 accept
refused "bad port range '90-80'" rule add ip input proto tcp dport 90-80 accept
refused "bad port 'ssh'" rule add ip input proto tcp dport ssh accept
refused "bad port ''" rule add ip input proto tcp dport 80- accept
refused "interface name too long" rule add ip input iif abcdefghijklmnop accept
refused "bad interface name 'a/b'" rule add ip input iif a/b accept
refused "duplicate 'iif'" rule add ip input iif a iif b accept
refused "duplicate 'proto'" rule add ip input proto tcp proto udp accept
refused "duplicate 'ct state'" rule add ip input ct state new ct state new accept
refused "duplicate 'syn'" rule add ip input proto tcp syn syn accept
refused "duplicate ct state 'new'" rule add ip input ct state new,new accept
refused "bad ct state 'old'" rule add ip input ct state new,old accept
refused "bad ct state 'new,'" rule add ip input ct state new, accept
refused "missing action" rule add ip input proto tcp
refused "missing action" rule add ip input
refused "'accept' must be the last word" rule add ip input accept proto tcp
refused "'accept' must be the last word" rule add ip input accept drop
refused "'reject' must be the last word" rule add ip input proto tcp reject with tcp-reset now
refused "'snat' must be the last word" rule add ip postrouting snat to 1.2.3.4 x
refused "missing value after 'iif'" rule add ip input iif
refused "sport needs proto tcp or udp" rule add ip input sport 22 accept
refused "dport needs proto tcp or udp" rule add ip input proto icmp dport 22 accept
refused "icmp-type needs proto icmp" rule add ip input icmp-type echo-request accept
refused "icmp-type needs proto icmp" rule add ip input proto icmpv6 icmp-type echo-request accept
refused "icmp-type needs proto icmpv6" rule add ip6 input proto icmp icmp-type echo-request accept
refused "bad icmp type 'packet-too-big'" rule add ip input proto icmp icmp-type packet-too-big accept
refused "bad icmp type '256'" rule add ip input proto icmp icmp-type 256 accept
refused "syn needs proto tcp" rule add ip input syn accept
refused "syn needs proto tcp" rule add ip input proto udp syn accept
refused "reject with tcp-reset needs proto tcp" rule add ip input reject with tcp-reset
refused "bad icmp code 'no-route'" rule add ip input reject with icmp no-route
refused "bad icmp code '256'" rule add ip input reject with icmp 256
refused "reject code 200 out of range for ip (0..15 but 4, which needs an MTU)" rule add ip input reject with icmp 200
refused "reject code 7 out of range for ip6 (0..6)" rule add ip6 input reject with icmp 7
refused "nat ports need proto tcp or udp" rule add ip prerouting dnat to 10.2.0.2:80
refused "masquerade is only valid at postrouting" rule add ip input masquerade
refused "iif is not valid at output or postrouting" rule add ip output iif eth0 accept
refused "oif is not valid at prerouting or input" rule add ip input oif eth0 accept
refused "bad reject type 'tcp'" rule add ip input reject with tcp
refused "bad protocol 'sctp'" rule add ip input proto sctp accept
refused "bad protocol '256'" rule add ip input proto 256 accept
refused "bad mark 'x'" rule add ip input mark x accept
refused "bad mark '0x100000000'" rule add ip input mark 0x100000000 accept
refused "bad mark '0x3/0x1'" rule add ip input mark 0x3/0x1 accept
refused "bad mark '010x'" rule add ip output mark set 010x
refused "bad address '1.2.3'" rule add ip postrouting snat to 1.2.3
refused "bad address 'fd00::1:80'" rule add ip postrouting snat to fd00::1:80
refused "bad address range" rule add ip postrouting snat to 1.2.3.9-1.2.3.4
refused "bad port '80'" rule add ip postrouting masquerade to 80
refused "'snat' must be followed by 'to ADDR'" rule add ip postrouting snat 1.2.3.4
refused "unknown keyword 'ct foo'" rule add ip input ct foo accept
refused "bad index 'x'" rule insert index x ip input accept
refused "missing 'handle N'" rule del ip input 3
refused "bad handle '0'" rule del ip input handle 0
refused "missing hook" rule del ip
refused "missing hook" rule flush ip
refused "bad hook 'x'" rule list ip x
refused "bad policy 'reject'" policy ip input reject
refused "'drop' must be the last word" policy ip input drop now
refused "unknown command 'foo'" foo
refused "unknown rule command 'remove'" rule remove
refused "unknown option '-x'" -x rule list
refused "'flush' must be the last word" ruleset flush ip input
"$P" >/dev/null 2>&1; [ $? -eq 1 ] && ok || bad "no arguments: not exit 1"
"$P" --help | grep -q '^SYNOPSIS' && ok || bad "--help"
"$P" help | grep -q 'reject with tcp-reset' && ok || bad "help"

# --- files ----------------------------------------------------------------------
badfile "line 3: unknown keyword 'foo'" <<'X'
# ok
ip input accept
ip input foo accept
X
badfile "line 2: duplicate handle 5" <<'X'
ip input handle 5 accept
ip6 output handle 5 accept
X
badfile "line 2: duplicate policy for ip input (line 1)" <<'X'
policy ip input drop
policy ip input accept
X
badfile "line 1: missing action" <<'X'
ip input proto tcp # accept
X
badfile "line 2: bad policy 'maybe' (accept or drop)" <<'X'
ip input accept
policy ip input maybe
X
# A file that loads: comments, blank lines, CRLF, show -> load -> show.
printf 'policy ip input drop\r\n\n   # c\nip input handle 1 ct state established,related accept # x\nip6 forward oif eth1 proto tcp dport 80-89 accept\nip postrouting oif eth1 saddr 10.1.2.3/24 masquerade\n' >"$tmp/f"
"$P" -n ruleset load "$tmp/f" >"$tmp/s1" 2>&1 && "$P" -n ruleset load "$tmp/s1" >"$tmp/s2" 2>&1 &&
	cmp -s "$tmp/s1" "$tmp/s2" && ok || bad "file round trip"
printf 'policy ip input drop\nip input handle 1 ct state established,related accept\nip postrouting oif eth1 saddr 10.1.2.0/24 masquerade\nip6 forward oif eth1 proto tcp dport 80-89 accept\n' |
	cmp -s - "$tmp/s1" && ok || bad "file canonical order: $(cat "$tmp/s1")"
"$P" -n -j ruleset load "$tmp/f" | python3 -c 'import json,sys; json.load(sys.stdin)' && ok || bad "json"
: >"$tmp/empty"
[ -z "$("$P" -n ruleset load "$tmp/empty")" ] && ok || bad "empty file"
# Interface names starting with '#' survive show -> load; wildcards; a
# file name with blanks; the generation line is read and printed back.
printf '# generation 7\nip input iif #lan accept # c\nip forward iif #x oif eth* drop\n' >"$tmp/with blank"
out=$("$P" -n ruleset load "$tmp/with blank" 2>&1)
[ "$out" = "$(printf '# generation 7\nip input iif #lan accept\nip forward iif #x oif eth* drop')" ] &&
	ok || bad "'#' names, wildcards, file name with a blank: $out"
printf 'ip input ct state untracked accept\n' | "$P" -n ruleset load - | grep -qx 'ip input ct state untracked accept' &&
	ok || bad "ct state untracked"
# JSON: UTF-8 passes as it is, other bytes become U+FFFD.
out=$(printf 'ip input iif \xc3\xa9t\xff accept\n' | "$P" -n -j ruleset load -)
echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin)["chains"][0]["rules"][0]["rule"]; sys.exit(r != "iif \u00e9t\ufffd accept")' &&
	ok || bad "JSON UTF-8: $out"
# 10000 rules parse (and print) quickly.
for i in $(seq 1 10000); do echo "ip input handle $i saddr 10.$((i / 256 % 256)).$((i % 256)).0/24 proto tcp dport $i accept"; done >"$tmp/big"
"$P" -n ruleset load "$tmp/big" >"$tmp/bigout" && cmp -s "$tmp/big" "$tmp/bigout" && ok || bad "10000-rule file"

echo "parse tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
