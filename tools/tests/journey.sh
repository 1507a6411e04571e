#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of how journey reads a trace, no kernel needed:
# 'pktpath journey -r' on tools/tests/ping.trace, one ping from client to
# server through the router as selftests/journey.sh records it (saved
# there by 'journey -w'), and blackhole.trace, a ping the router's
# blackhole route kills, and syn.trace, a TCP connect; stations.trace,
# selftests/journey_stations.sh's ping, TCP send and UDP datagram with the
# kprobe stations (send, transport, tc, bridge, ip rule). Task names with brackets, blanks and dashes,
# events the buffer overwrote, garbage lines, stdin, a reused skb address;
# the routing station (tied to its packet by CPU and addresses); the --svg
# picture, checked as XML against the JSON and, rendered by Chromium, as
# an image.
#   bash tools/tests/journey.sh [path/to/pktpath]
set -u
P=${1:-$(dirname "$0")/../pktpath}
T=$(dirname "$0")/ping.trace
BH=$(dirname "$0")/blackhole.trace
SYN=$(dirname "$0")/syn.trace
ST=$(dirname "$0")/stations.trace
CHECK=$(dirname "$0")/svgcheck.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# stations JSON: how many stations all timelines have together.
stations() {
	python3 -c 'import json,sys; print(sum(len(p["stations"]) for p in json.load(open(sys.argv[1]))["packets"]))' "$1"
}

"$P" journey -j -r "$T" proto icmp >"$tmp/base.json" 2>"$tmp/base.err" || bad "-r refused the trace"
n=$(stations "$tmp/base.json")
[ "$n" -ge 30 ] && ok || bad "the ping's two timelines have $n stations, want 30 or more"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["lost_events"] != 0)' "$tmp/base.json" &&
	[ ! -s "$tmp/base.err" ] && ok || bad "events reported lost in a complete trace: $(cat "$tmp/base.err")"

# Every task renamed to one a '[1]', blanks and dashes in it (a comm may
# hold any of them): the same timelines.
sed -E 's/^ *.{1,16}-([0-9]+) +\[([0-9]{3})\]/ a[1] b-2 [3]-\1     [\2]/' "$T" >"$tmp/names.trace"
grep -q '^ a\[1\] b-2 \[3\]-[0-9]* *\[[0-9]*\]' "$tmp/names.trace" || bad "the rename did not apply"
"$P" journey -j -r "$tmp/names.trace" proto icmp >"$tmp/names.json" 2>/dev/null
cmp -s "$tmp/base.json" "$tmp/names.json" && ok ||
	bad "task names with '[1]': $(stations "$tmp/names.json") stations, want $n"

# The buffer overwrote 50 events: said on stderr and in lost_events.
sed -E 's|^# entries-in-buffer/entries-written: ([0-9]+)/([0-9]+)|# entries-in-buffer/entries-written: \1/\2000|' "$T" >"$tmp/lost.trace"
written=$(sed -n 's|^# entries-in-buffer/entries-written: [0-9]*/\([0-9]*\).*|\1|p' "$tmp/lost.trace")
kept=$(sed -n 's|^# entries-in-buffer/entries-written: \([0-9]*\)/.*|\1|p' "$tmp/lost.trace")
"$P" journey -j -r "$tmp/lost.trace" proto icmp >"$tmp/lost.json" 2>"$tmp/lost.err"
want=$((written - kept))
grep -q "^pktpath: journey: $want events lost" "$tmp/lost.err" && ok || bad "stderr on $want lost events: $(cat "$tmp/lost.err")"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["lost_events"] != int(sys.argv[2]))' "$tmp/lost.json" "$want" &&
	ok || bad "lost_events is not $want"

# A reader's "[LOST N EVENTS]" marks count too (not twice with the header).
awk 'NR == 30 { print "CPU:1 [LOST 7 EVENTS]" } NR == 40 { print "CPU:0 [LOST 5 EVENTS]" } { print }' "$T" >"$tmp/marks.trace"
"$P" journey -j -r "$tmp/marks.trace" proto icmp >"$tmp/marks.json" 2>"$tmp/marks.err"
grep -q "^pktpath: journey: 12 events lost" "$tmp/marks.err" && ok || bad "LOST marks: $(cat "$tmp/marks.err")"

# Early after boot the kernel prints no addresses (%p before its random
# pool is ready): said on stderr, not silently a broken timeline.
sed -E 's/skbaddr=[0-9a-f]+/skbaddr=(____ptrval____)/' "$T" >"$tmp/ptrval.trace"
"$P" journey -r "$tmp/ptrval.trace" >/dev/null 2>"$tmp/ptrval.err"
grep -q "events without an skb address" "$tmp/ptrval.err" && ok || bad "hidden skb addresses not reported: $(cat "$tmp/ptrval.err")"

# Garbage and truncated lines between the events are skipped.
awk '{ print; if (NR % 3 == 0) { print "x[1] -"; print substr($0, 1, 40); print "   [001] 12.5: y" } }' "$T" >"$tmp/junk.trace"
"$P" journey -j -r "$tmp/junk.trace" proto icmp >"$tmp/junk.json" 2>/dev/null
[ "$(stations "$tmp/junk.json")" = "$n" ] && ok || bad "garbage lines: $(stations "$tmp/junk.json") stations, want $n"

# From stdin; the text output names the stations too.
"$P" journey -j -r - proto icmp <"$T" 2>/dev/null | cmp -s - "$tmp/base.json" && ok || bad "-r - (stdin)"
"$P" journey -r "$T" proto icmp 2>/dev/null | grep -q 'RX ring (DMA)' && ok || bad "text output"

# Two hosts send the same IPv6 UDP datagram (no IP id to tell them
# apart): their flow labels differ, so two packets, not one.
src1=20010db8000000000000000000000001 src2=20010db8000000000000000000000002
dst=20010db80000000000000000000000ff udp=3039270f000d000068656c6c6f
hook() {
	echo "           socat-$1     [00$2] .....   100.00000$2: pktpath_nf_hook: ns=402653200$2 hook=output family=ip6 in= out=eth0 rule=0 verdict=accept mark=0x0 skbaddr=00000000aaaa000$2 len=53 hdr=60$3000d1140$4${dst}${udp}"
}
{ hook 100 1 012345 "$src1"; hook 200 2 054321 "$src2"; } >"$tmp/v6.trace"
n6=$("$P" journey -r "$tmp/v6.trace" proto udp 2>/dev/null | grep -c '^packet')
[ "$n6" = 2 ] && ok || bad "identical IPv6 UDP datagrams from two hosts: $n6 packets, want 2"

# Routing: the echo request's lookups on the client (via the router), the
# router (forward) and the server (local), each where it happened.
routes() {
	jq -r '[.packets[] | select(.packet | test("echo-request"))][0].stations[] |
		select(.station == "routing") | .detail' "$1"
}
"$P" journey -j -r "$T" proto icmp >"$tmp/route.json" 2>/dev/null
routes "$tmp/route.json" >"$tmp/route.txt"
printf '%s\n' "table main: via 10.1.0.1 dev eth0" \
	"table main: dev eth2 (directly connected): forward" \
	"table main: dev eth3 (directly connected): local delivery" | cmp -s - "$tmp/route.txt" && ok ||
	bad "the echo request's routing stations: $(tr '\n' '|' <"$tmp/route.txt")"
# The router's lookup moved to a CPU the packet was not on, or for another
# address: not this packet's.
fwd=$(grep -n 'fib_table_lookup: .* 10.1.0.2/0 -> 10.2.0.2/0 .*dev eth2' "$T" | cut -d: -f1)
[ -n "$fwd" ] || bad "no forwarding lookup in $T"
sed -E "${fwd}s/\[00[0-9]\]/[003]/" "$T" >"$tmp/cpu.trace"
"$P" journey -j -r "$tmp/cpu.trace" proto icmp >"$tmp/cpu.json" 2>/dev/null
[ "$(routes "$tmp/cpu.json" | grep -c forward)" = 0 ] && [ "$(routes "$tmp/cpu.json" | wc -l)" = 2 ] &&
	ok || bad "a lookup on another CPU joined: $(routes "$tmp/cpu.json" | tr '\n' '|')"
sed -E "${fwd}s/-> 10.2.0.2\/0/-> 10.9.9.9\/0/" "$T" >"$tmp/addr.trace"
"$P" journey -j -r "$tmp/addr.trace" proto icmp >"$tmp/addr.json" 2>/dev/null
[ "$(routes "$tmp/addr.json" | grep -c forward)" = 0 ] && ok ||
	bad "a lookup for another address joined"
# The 6.1 tracepoint leaves a directly connected route's gateway unwritten
# (old ring buffer bytes in both halves): still directly connected. A real
# gateway has the other half zero.
sed -E "${fwd}s|gw 0.0.0.0/::|gw 55.81.59.180/fe80::5:7:9|" "$T" >"$tmp/gwjunk.trace"
"$P" journey -j -r "$tmp/gwjunk.trace" proto icmp >"$tmp/gwjunk.json" 2>/dev/null
routes "$tmp/gwjunk.json" | cmp -s - "$tmp/route.txt" && ok ||
	bad "unwritten gateway halves: $(routes "$tmp/gwjunk.json" | tr '\n' '|')"
sed -E "${fwd}s|gw 0.0.0.0/::|gw 10.2.0.9/::|" "$T" >"$tmp/gwreal.trace"
"$P" journey -j -r "$tmp/gwreal.trace" proto icmp >"$tmp/gwreal.json" 2>/dev/null
[ "$(routes "$tmp/gwreal.json" | sed -n 2p)" = "table main: via 10.2.0.9 dev eth2: forward" ] && ok ||
	bad "a gateway with the IPv6 half zero: $(routes "$tmp/gwreal.json" | tr '\n' '|')"
# Junk with its IPv6 half zero (seen in a debug run: "via 9.0.9.0 dev
# eth2"): a gateway off the device's link, by the subnets a recording
# saves with its trace (-w), is no gateway.
{ echo "# pktpath-subnet eth2 10.2.0.0/24"
  sed -E "${fwd}s|dev eth2 gw 0.0.0.0/::|dev eth2 gw 9.0.9.0/::|" "$T"; } >"$tmp/gwoff.trace"
"$P" journey -j -r "$tmp/gwoff.trace" proto icmp >"$tmp/gwoff.json" 2>/dev/null
[ "$(routes "$tmp/gwoff.json" | sed -n 2p)" = "table main: dev eth2 (directly connected): forward" ] && ok ||
	bad "a gateway off the link: $(routes "$tmp/gwoff.json" | tr '\n' '|')"
{ echo "# pktpath-subnet eth2 10.2.0.0/24"
  sed -E "${fwd}s|dev eth2 gw 0.0.0.0/::|dev eth2 gw 10.2.0.9/::|" "$T"; } >"$tmp/gwon.trace"
"$P" journey -j -r "$tmp/gwon.trace" proto icmp >"$tmp/gwon.json" 2>/dev/null
[ "$(routes "$tmp/gwon.json" | sed -n 2p)" = "table main: via 10.2.0.9 dev eth2: forward" ] && ok ||
	bad "a gateway on the link: $(routes "$tmp/gwon.json" | tr '\n' '|')"
# A blackhole route: the packet dies at the router's routing station.
"$P" journey -j -r "$BH" >"$tmp/bh.json" 2>/dev/null
bhfate=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$tmp/bh.json")
[[ "$bhfate" =~ ^DIED\ at\ ns:[0-9]+\ routing\ \(table\ main:\ blackhole\ route\),\ reason\ NOT_SPECIFIED$ ]] &&
	ok || bad "blackhole fate: $bhfate"

# A drop reason that names its station (tc, socket, ...): the packet died
# there, not at its last station; one that does not stays with the last.
sed 's/reason: NOT_SPECIFIED/reason: TC_INGRESS/' "$BH" >"$tmp/tc.trace"
"$P" journey -j -r "$tmp/tc.trace" >"$tmp/tc.json" 2>/dev/null
tcfate=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$tmp/tc.json")
[[ "$tcfate" =~ ^DIED\ at\ ns:[0-9]+\ tc\ ingress\ \(a\ clsact\ filter\'s\ verdict:\ shot\),\ reason\ TC_INGRESS$ ]] &&
	ok || bad "TC_INGRESS fate: $tcfate"
sed 's/reason: NOT_SPECIFIED/reason: TC_INGRESSX/' "$BH" >"$tmp/tcx.trace"
"$P" journey -j -r "$tmp/tcx.trace" >"$tmp/tcx.json" 2>/dev/null
tcxfate=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$tmp/tcx.json")
[[ "$tcxfate" =~ routing\ \(table\ main:\ blackhole\ route\),\ reason\ TC_INGRESSX$ ]] &&
	ok || bad "an unknown reason: $tcxfate"

# The sender's completion, on another CPU, logged between the router's
# lookup and its drop: the death is still the router's routing station.
free=$(grep -n 'consume_skb' "$BH" | awk -F: '$1 > 55 { print $1; exit }')
drop=$(grep -n 'kfree_skb' "$BH" | cut -d: -f1)
awk -v f="$free" -v d="$drop" 'NR == f { held = $0; next }
	NR == d { sub(/ [0-9]+\.[0-9]+: /, " 35.204600: ", held); print held } { print }' "$BH" >"$tmp/bh2.trace"
"$P" journey -j -r "$tmp/bh2.trace" >"$tmp/bh2.json" 2>/dev/null
bhfate2=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$tmp/bh2.json")
[ "$bhfate2" = "$bhfate" ] && ok || bad "blackhole, the sender's free in between: $bhfate2"

# syn.trace: a TCP connect from the client to the server. connect()'s three
# route lookups (source, then the chosen port) are the SYN's first
# stations; the ARP exchange it waits for (skbs whose headers are not IP,
# one at an address the router reuses for the SYN) stays out of it.
"$P" journey -j -r "$SYN" port 80 >"$tmp/syn.json" 2>/dev/null
jq -e '[.packets[] | select(.packet | test("\\[S\\]"))][0].stations |
	([.[0:3][].station] == ["routing", "routing", "routing"]) and
	([.[] | select(.detail | test(", (42|46) bytes$"))] | length == 0)' "$tmp/syn.json" >/dev/null &&
	ok || bad "the SYN's timeline: $(jq -c '[.packets[] | select(.packet | test("\\[S\\]"))][0].stations | map(.station + " " + .detail)' "$tmp/syn.json")"

# --svg: valid SVG naming every station, one mark each, a lane per host;
# then as a person sees it, in a browser: not blank, red for the death.
browser=$(command -v chromium || command -v chromium-browser)
for pic in "ping:$T:alive" "blackhole:$BH:dead"; do
	IFS=: read -r name trace fate <<<"$pic"
	"$P" journey -j -r "$trace" --svg "$tmp/$name.svg" >"$tmp/$name.json" 2>/dev/null
	python3 "$CHECK" "$tmp/$name.svg" "$tmp/$name.json" >"$tmp/$name.check" && ok ||
		bad "$name.svg: $(cat "$tmp/$name.check")"
	if [ -z "$browser" ]; then
		bad "no chromium to render $name.svg (qemu/setup.sh installs it)"
		continue
	fi
	h=$(sed -n '2s/.* height="\([0-9]*\)".*/\1/p' "$tmp/$name.svg")
	# --no-sandbox: Chromium's sandbox refuses to run as root.
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--screenshot="$tmp/$name.png" --window-size="1400,${h:-1000}" \
		"file://$tmp/$name.svg" >/dev/null 2>&1
	python3 "$CHECK" "$tmp/$name.svg" "$tmp/$name.json" "$tmp/$name.png" "$fate" \
		>"$tmp/$name.check" 2>&1 && ok || bad "$name.png: $(tail -n 1 "$tmp/$name.check")"
done

# A free that fires no event (kfree_skb_partial, napi_reuse_skb) leaves the
# old packet bound to its address: the stack receive of a new skb there
# (after the old one's OUTPUT hook, which no receive follows) is the new
# packet's, not the old one's.
h1=4500005412344000400100000a0100020a0200020800f7fe0001000100000000
h2=4500005412354000400100000a0100020a0200020800f7fd0001000200000000
{
	echo "            ping-100     [001] .....   100.000100: pktpath_nf_hook: ns=4026531840 hook=output family=ip in=- out=veth0 rule=0 verdict=accept mark=0x0 ct=none skbaddr=00000000aaaa0001 len=84 hdr=$h1"
	echo "          <idle>-0       [000] ..s1.   100.000200: netif_receive_skb: dev=veth1 skbaddr=00000000aaaa0001 len=84"
	echo "          <idle>-0       [000] ..s1.   100.000300: pktpath_nf_hook: ns=4026531841 hook=prerouting family=ip in=veth1 out=- rule=0 verdict=accept mark=0x0 ct=none skbaddr=00000000aaaa0001 len=84 hdr=$h2"
} >"$tmp/stale.trace"
"$P" journey -j -r "$tmp/stale.trace" >"$tmp/stale.json" 2>/dev/null
jq -e '(.packets[] | select(.packet | test("seq 1,")) | [.stations[].station] == ["OUTPUT"]) and
	(.packets[] | select(.packet | test("seq 2,")) | [.stations[].station] == ["stack receive", "PREROUTING"])' \
	"$tmp/stale.json" >/dev/null && ok || bad "a reused skb address joined the old packet: $(jq -c '[.packets[] | [.packet, [.stations[].station]]]' "$tmp/stale.json")"

# The kprobe stations (stations.trace: pp_client -- pp_router -- pp_server
# behind br0, as selftests/journey_stations.sh records them; namespaces
# show as ns:INODE off the VM). st_seq JSON SELECT: "station: detail" of
# the first packet SELECT picks, one per line.
st_seq() {
	jq -r "[.packets[] | select($2)][0].stations[] | .station + \": \" + .detail" "$1"
}
# has_in_order FILE REGEX...: lines matching each, in this order.
has_in_order() {
	local f=$1 pat line
	shift
	pat=$1
	while IFS= read -r line; do
		if [ -n "$pat" ] && [[ "$line" =~ $pat ]]; then
			shift
			pat=${1:-}
		fi
	done <"$f"
	[ -z "$pat" ]
}
"$P" journey -j -r "$ST" host 10.2.0.2 >"$tmp/st.json" 2>/dev/null
st_seq "$tmp/st.json" '.packet | test("echo-request")' >"$tmp/st-req"
has_in_order "$tmp/st-req" "^socket send: ping-[0-9]+ wrote 64 bytes" "^transport: handed to IPv4" \
	"^OUTPUT" "^XDP: .*PASS" "^PREROUTING" \
	"^routing: ip rule 100 fwmark 0x7 \(mark 0x7\), table 100: dev eth2 \(directly connected\): forward" \
	"^FORWARD" "^NAT" "^tc egress: flower pref 10 -> ok" "^bridge: in on port eth3" \
	"^bridge: up to the bridge's own device" "^INPUT" "^transport: ICMP receive" &&
	ok || bad "stations.trace echo request: $(tr '\n' '|' <"$tmp/st-req")"
st_seq "$tmp/st.json" '.packet | test("echo-reply")' >"$tmp/st-rep"
has_in_order "$tmp/st-rep" "^transport: handed to IPv4" "^bridge: sent by the bridge device br0" \
	"^bridge: forwarded to port eth3" "^TX ring" "^socket: 64 bytes copied" &&
	ok || bad "stations.trace echo reply: $(tr '\n' '|' <"$tmp/st-rep")"
for proto in TCP UDP; do
	st_seq "$tmp/st.json" "(.packet | startswith(\"$proto\")) and ([.stations[] | select(.station == \"socket send\")] | length > 0)" >"$tmp/st-$proto"
	has_in_order "$tmp/st-$proto" "^socket send: socat-[0-9]+ wrote 12 bytes" "^transport: handed" \
		"^OUTPUT" "^tc egress" "^transport: $proto receive" "^socket queue" "^socket: 12 bytes" &&
		ok || bad "stations.trace $proto: $(tr '\n' '|' <"$tmp/st-$proto")"
done
# A kprobe's raw skb address none of our events printed joins nothing (the
# kernel's events hash theirs); without the ip rule events the lookups
# name no rule.
sed -E '/kp_tc: /s/rawskb=0x[0-9a-f]+/rawskb=0x1234/; /kp_rule4: /d' "$ST" >"$tmp/st2.trace"
"$P" journey -j -r "$tmp/st2.trace" host 10.2.0.2 >"$tmp/st2.json" 2>/dev/null
st_seq "$tmp/st2.json" '.packet | test("echo-request")' >"$tmp/st2-req"
! grep -q "^tc egress\|ip rule" "$tmp/st2-req" && grep -q "^routing: table 100: dev eth2" "$tmp/st2-req" &&
	ok || bad "unknown raw address or no rule events: $(tr '\n' '|' <"$tmp/st2-req")"

# -r reads a trace: no command, -t or -w with it; a missing file is an error.
"$P" journey -r "$T" -- true >/dev/null 2>&1 && bad "-r with a command accepted" || ok
"$P" journey -r "$T" -t 2 >/dev/null 2>&1 && bad "-r with -t accepted" || ok
"$P" journey -r "$tmp/none" >/dev/null 2>&1 && bad "a missing file accepted" || ok

echo "journey trace tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
