#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end checks of the pktpath tool against pktpath_nf, in the VM:
#   bash qemu/vm.sh --topo cable --cmd "$(cat tools/tests/e2e.sh)"
# Prints "e2e: N passed, M failed" last; exit status 0 when all passed.
set -u
P=${PKTPATH:-/pktpath/bin/pktpath}
T=$(mktemp -d)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
# refused DESC WANT ARGS...: exit 1, stderr = WANT, ruleset unchanged.
refused() {
	local d=$1 want=$2 err rc
	shift 2
	"$P" ruleset show >"$T/before"
	"$P" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	err=$(cat "$T/err")
	"$P" ruleset show >"$T/after"
	if [ $rc -eq 1 ] && [ "$err" = "$want" ] && cmp -s "$T/before" "$T/after"; then
		ok "$d"
	else
		bad "$d: rc $rc, stderr '$err' (want '$want'), changed: $(cmp -s "$T/before" "$T/after" || echo yes)"
	fi
}

modprobe -a nf_conntrack nf_nat nf_reject_ipv4 nf_reject_ipv6 nf_defrag_ipv4 nf_defrag_ipv6 2>/dev/null
rmmod pktpath_nf 2>/dev/null
err=$("$P" rule list 2>&1); rc=$?
check "module not loaded: message and exit 1" \
	test "$rc:$err" = "1:pktpath: the pktpath_nf module is not loaded (genl family 'pktpath' not found)"
insmod /pktpath/nfmod/pktpath_nf.ko || { echo "FAIL: insmod"; exit 1; }
ip link set lo up

check "empty ruleset shows as nothing" test -z "$("$P" ruleset show)"
check "empty rule list is empty" test -z "$("$P" rule list)"
check "empty JSON" test "$("$P" -j rule list)" = '{"chains":[]}'

cat >"$T/rules" <<'X'
# a ruleset with every kind of rule
policy ip input drop
policy ip6 forward drop
ip input handle 1 ct state established,related accept
ip input handle 2 iif lo accept
ip input proto tcp dport 22 accept
ip input saddr 10.1.2.3/8 proto tcp syn mark 0x10/0xf0 drop
ip input proto udp sport 1000-2000 reject
ip input proto tcp reject with tcp-reset
ip input proto icmp icmp-type echo-request reject with icmp admin-prohibited
ip6 input proto icmpv6 icmp-type echo-request reject with icmp no-route
ip6 forward oif eth1 proto tcp dport 80-89 accept
ip postrouting oif eth1 saddr 10.1.0.0/24 masquerade
ip postrouting oif eth1 proto tcp masquerade to :1000-2000
ip postrouting proto udp snat to 1.2.3.4-1.2.3.9:1000-2000
ip6 postrouting proto tcp snat to [fd00::1]-[fd00::5]:1000
ip prerouting iif eth1 proto tcp dport 8080 dnat to 10.2.0.2:80
ip6 prerouting proto tcp dport 8080 dnat to [fd00::2]:80
ip prerouting proto tcp dport 81 redirect to :8080
ip output redirect
ip output mark set 0x2a
ip output ct mark set 0x1
ip output counter
X
check "ruleset load (a file with every kind of rule)" "$P" ruleset load "$T/rules"
"$P" ruleset show >"$T/s1"
check "show -> load -> show is identical (but the generation)" bash -c "'$P' ruleset load '$T/s1' && '$P' ruleset show | grep -v '^# generation' | cmp -s - <(grep -v '^# generation' '$T/s1')"
"$P" -n ruleset load "$T/rules" >"$T/dry"
check "show is the canonical form (as --dry-run, plus handles)" \
	bash -c "cmp <(sed -E 's/ handle [0-9]+ / /' '$T/s1') <(sed -E 's/ handle [0-9]+ / /' '$T/dry')"
check "ruleset load - (stdin)" bash -c "'$P' ruleset load - <'$T/s1' && '$P' ruleset show | cmp -s - '$T/s1'"
check "ruleset show -j" bash -c "'$P' -j ruleset show | grep -q '^{\"chains\":\[{\"family\":\"ip\",\"hook\":\"prerouting\",\"policy\":\"accept\"'"
check "every rule shows a handle" bash -c "! grep -v '^policy' '$T/s1' | grep -qv ' handle '"
cat "$T/s1"

# counters
"$P" ruleset flush
check "ruleset flush empties" test -z "$("$P" ruleset show)"
"$P" rule add ip input handle 100 proto icmp icmp-type echo-request counter
ping -q -c 3 -i 0.2 127.0.0.1 >/dev/null
line=$("$P" rule list ip input | grep '^  handle 100 ')
check "counter rule counted 3 pings ($line)" \
	test "$line" = "  handle 100 proto icmp icmp-type echo-request counter packets 3 bytes 252"
check "chain line" test "$("$P" rule list ip input | head -n 1 | cut -d' ' -f1-4)" = "ip input policy accept"
check "counters prints the same as rule list" bash -c "diff <('$P' counters) <('$P' rule list)"
"$P" -j counters >"$T/json"
cat "$T/json"
if command -v python3 >/dev/null; then
	check "JSON is valid" python3 -c "import json; d=json.load(open('$T/json')); assert d['chains'][0]['rules'][0]['packets'] == 3"
else
	check "JSON looks right" grep -q '"rules":\[{"handle":100,"index":0,"rule":"proto icmp icmp-type echo-request counter","packets":3,"bytes":252}\]' "$T/json"
fi
"$P" counters reset
check "counters reset" bash -c "'$P' rule list ip input | grep -q '^  handle 100 .* packets 0 bytes 0$'"
check "rule list ip input output shown although empty" bash -c "'$P' rule list ip output | grep -q '^ip output policy accept packets 0 bytes 0$'"
check "rule list omits empty chains" test "$("$P" rule list | wc -l)" = 2

# add -e, insert index, del
h=$("$P" rule add -e ip input proto tcp dport 22 accept)
check "rule add -e prints the handle ($h)" bash -c "[[ '$h' =~ ^handle\ [0-9]+$ ]]"
h2=$("$P" -e rule insert index 1 ip input proto udp dport 53 accept)
check "rule insert -e prints the handle ($h2)" bash -c "[[ '$h2' =~ ^handle\ [0-9]+$ ]]"
"$P" rule insert ip input handle 7 drop
want="ip input handle 7 drop
ip input handle 100 proto icmp icmp-type echo-request counter
ip input $h2 proto udp dport 53 accept
ip input $h proto tcp dport 22 accept"
check "insert positions" test "$("$P" ruleset show)" = "$want"
"$P" rule del ip input $h
check "rule del" bash -c "! '$P' ruleset show | grep -q 'dport 22'"

# refused by the tool or by the kernel; the ruleset stays
refused "kernel: dnat at input" "pktpath: dnat is only valid at prerouting and output (Invalid argument)" \
	rule add ip input dnat to 1.2.3.4
refused "kernel: duplicate handle" "pktpath: duplicate handle (File exists)" rule add ip input handle 7 accept
refused "tool: bad prefix" "pktpath: bad prefix '10.0.0.0/33'" rule add ip input saddr 10.0.0.0/33 accept
refused "del unknown handle" "$( "$P" rule del ip input handle 999 2>&1)" rule del ip input handle 999
printf 'ip input accept\nip output accept\nip input dnat to 1.2.3.4\n' >"$T/bad1"
refused "kernel error in a file names its line" \
	"pktpath: line 3: dnat is only valid at prerouting and output (Invalid argument)" ruleset load "$T/bad1"
printf 'ip input accept\nip input foo\n' >"$T/bad2"
refused "parse error in a file" "pktpath: line 2: unknown keyword 'foo'" ruleset load "$T/bad2"
echo "del unknown handle says: $("$P" rule del ip input handle 999 2>&1)"
if command -v setpriv >/dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$P" rule list 2>&1)
	check "non-root: Operation not permitted ($err)" bash -c "[[ '$err' == *'Operation not permitted'* ]]"
fi

# policies and chain flush
"$P" policy ip forward drop
check "policy shows" bash -c "'$P' ruleset show | grep -qx 'policy ip forward drop'"
"$P" rule add ip output accept
"$P" rule flush ip input
check "rule flush ip input keeps others" bash -c "! '$P' ruleset show | grep -q '^ip input' && '$P' ruleset show | grep -q '^ip output'"
"$P" rule flush
check "rule flush resets policies" test -z "$("$P" ruleset show)"

# a 10,000-rule file
for i in $(seq 1 10000); do
	echo "ip input handle $i saddr 10.$((i / 256 % 256)).$((i % 256)).0/24 proto tcp dport $i accept"
done >"$T/big"
s=$(date +%s.%N)
check "10000-rule load" "$P" ruleset load "$T/big"
e=$(date +%s.%N)
"$P" ruleset show >"$T/bigshow"
check "10000 rules shown identically" cmp -s "$T/big" "$T/bigshow"
echo "load $(echo "$e - $s" | bc 2>/dev/null) s; show lines $(wc -l <"$T/bigshow")"
"$P" ruleset flush

# namespaces are separate
ip netns add e2e && "$P" rule add ip input accept &&
	check "another namespace sees its own (empty) ruleset" test -z "$(ip netns exec e2e "$P" ruleset show)"
ip netns del e2e
"$P" ruleset flush
rm -rf "$T"
echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
