#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath journey on the client -- router -- server topology over emulated
# e1000 NICs driven by pktpath_e1000, pktpath_nf on the router publishing
# port 8080 (DNAT to the server's port 80) and masquerading:
# - a ping's echo request and reply each show every station, in order, on
#   every host, with timestamps that never go back; the routing decision
#   on each host (the table, the route, forward or local; IPv4 and IPv6);
# - a packet to a blackhole route dies at the router's routing station;
# - the hooks show the connection's conntrack state (new, established-reply);
# - --svg draws the timelines: one mark per station, one lane per host;
# - a TCP exchange through the DNAT shows the NAT station and ends in the
#   application's socket;
# - a packet dropped by a rule dies at that hook, naming the rule and the
#   kernel's drop reason;
# - a packet outside the filter does not appear;
# - a clsact drop dies at tc ingress, a datagram to a closed port and one
#   to a full receive buffer at the socket, each with the kernel's reason
#   (the buffer's drops as many as RcvbufErrors counts);
# - two journeys at once keep each other's hooks; a journey killed with
#   SIGKILL lets go of them (its netlink socket closes) and the next one
#   removes the tracefs instance it left;
# - -f (follow) prints each timeline as soon as it is complete, while the
#   command still runs, and -c stops it (and its command) after COUNT;
# - a namespace made while the journey records is traced too;
# - once the journey ends no tracing is left behind.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

DRV=${PKTPATH_JOURNEY_DRIVER:-pktpath_e1000}
ktap_plan 25
trap 'trace_anchor_off; stop_servers; nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up "$DRV"; then
	fail_cases 25 "journey"
	exit 1
fi
trace_anchor_on
ping_all "$NS_C" 2 "$IP_S" >/dev/null
# ping on an ICMP socket (not raw): the reply itself reaches its socket.
ip netns exec "$NS_C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"

pp "$NS_R" ruleset load - <<EOF
ip prerouting handle 1 iif $IF_RL daddr $IP_RL proto tcp dport 8080 dnat to $IP_S:80
ip postrouting handle 2 oif $IF_RR masquerade
EOF
serve_text "$NS_S" 80 hello-from-server

# stations JSON PACKET_REGEX: "where station" per station of the first
# packet whose description matches, one per line.
stations() {
	jq -r --arg re "$2" '[.packets[] | select(.packet | test($re))][0].stations[] |
		.where + " " + .station' "$1"
}

monotonic() {
	jq -e '[.packets[].stations | [.[].t_us] as $t |
		[range(1; $t | length) | $t[.] >= $t[. - 1]] | all] | all' "$1" >/dev/null
}

J=/tmp/journey.json
"$PKTPATH" journey -j -w /tmp/journey.trace proto icmp and host "$IP_S" -- \
	ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_S" >"$J" 2>/tmp/journey.err
stations "$J" 'echo-request' >/tmp/req.st
stations "$J" 'echo-reply' >/tmp/rep.st
ktap_check "ping: the echo request passes every station in order, client to server" \
	in_order /tmp/req.st "^$NS_C routing" "^$NS_C OUTPUT" "^$NS_C POSTROUTING" \
	"^$NS_C .* qdisc" "^$NS_C .* TX ring" "^$NS_R .* RX ring" "^$NS_R .* stack receive" \
	"^$NS_R PREROUTING" "^$NS_R routing" "^$NS_R FORWARD" "^$NS_R POSTROUTING" \
	"^$NS_R .* TX ring" "^$NS_S .* interrupt" "^$NS_S .* NAPI poll" "^$NS_S .* RX ring" \
	"^$NS_S PREROUTING" "^$NS_S routing" "^$NS_S INPUT"
ktap_check "ping: the echo reply comes back the same way to the client's socket" \
	in_order /tmp/rep.st "^$NS_S OUTPUT" "^$NS_S .* TX ring" "^$NS_R .* RX ring" \
	"^$NS_R FORWARD" "^$NS_R .* TX ring" "^$NS_C .* RX ring" "^$NS_C INPUT" \
	"socket"
ktap_check "ping: timestamps never go back" monotonic "$J"
# routing_detail JSON PACKET_REGEX NS: the details of the packet's routing
# stations in NS.
routing_detail() {
	jq -r --arg re "$2" --arg ns "$3" '[.packets[] | select(.packet | test($re))][0].stations[] |
		select(.station == "routing" and .where == $ns) | .detail' "$1"
}
route_is() {
	routing_detail "$1" "$2" "$3" | grep -Eq "$4" && return 0
	ktap_diag "routing in $3: $(routing_detail "$1" "$2" "$3" | tr '\n' '|'), want /$4/"
	return 1
}
ktap_check "routing: the router forwards the echo request by table main, dev $IF_RR" \
	route_is "$J" echo-request "$NS_R" "^table main: dev $IF_RR \\(directly connected\\): forward$"
ktap_check "routing: the server delivers it locally" \
	route_is "$J" echo-request "$NS_S" ": local delivery$"
# --svg: one mark per station, and the three hosts' lanes.
"$PKTPATH" journey -r /tmp/journey.trace --svg /tmp/journey.svg proto icmp and host "$IP_S" \
	>/dev/null 2>&1
svg_ok() {
	local marks want lanes
	marks=$(grep -o '<circle ' /tmp/journey.svg | wc -l)
	want=$(jq '[.packets[].stations[]] | length' "$J")
	lanes=$(grep -c "class=\"lane\">\($NS_C\|$NS_R\|$NS_S\)<" /tmp/journey.svg)
	ktap_diag "svg: $marks marks for $want stations, $lanes of 3 lanes"
	[ "$marks" = "$want" ] && [ "$lanes" = 3 ]
}
ktap_check "--svg: a mark for every station, a lane for each host" svg_ok
# -w saved the raw trace: read back with -r, the same timelines.
"$PKTPATH" journey -j -r /tmp/journey.trace proto icmp and host "$IP_S" >/tmp/journey.r.json 2>/dev/null
ktap_check "-w then -r: the saved trace ($(grep -vc '^#' /tmp/journey.trace) events) gives the same timelines" \
	cmp -s "$J" /tmp/journey.r.json

"$PKTPATH" journey -j proto icmpv6 -- \
	ip netns exec "$NS_C" ping -6 -c 1 -W 2 "$IP6_S" >"$J" 2>/dev/null
ktap_check "routing: IPv6, the router forwards by table main, dev $IF_RR" \
	route_is "$J" echo-request "$NS_R" "^table main: dev $IF_RR \\(directly connected\\): forward$"

ip -n "$NS_R" route add blackhole 198.51.100.0/24
"$PKTPATH" journey -j -w /tmp/journey-blackhole.trace proto icmp and host 198.51.100.1 -- \
	ip netns exec "$NS_C" ping -c 1 -W 1 198.51.100.1 >"$J" 2>/dev/null
fate=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$J")
ktap_diag "to a blackhole: $fate"
ktap_check "routing: a packet to a blackhole route dies at the router's routing station" \
	bash -c "echo '$fate' | grep -Eq '^DIED at $NS_R routing \\(table main: blackhole route\\)'"
ip -n "$NS_R" route del blackhole 198.51.100.0/24

"$PKTPATH" journey -j port 8080 -- \
	ip netns exec "$NS_C" timeout 10 socat -T 3 -t 3 - "TCP:$IP_RL:8080" >"$J" </dev/null
ct_seen() {
	jq -r --arg ns "$NS_R" '.packets[] | .packet as $p | .stations[] |
		select(.where == $ns and .station == "FORWARD") | $p + " :: " + .detail' "$J" >/tmp/ct.st
	grep -q '\[S\] .*:: .*ct new$' /tmp/ct.st && grep -q '\[SA\] .*:: .*ct established-reply$' /tmp/ct.st &&
		return 0
	sed 's/^/#   /' /tmp/ct.st
	return 1
}
ktap_check "conntrack: the router's FORWARD sees the SYN as new, the SYN-ACK as established-reply" \
	ct_seen
stations "$J" '\[S\]' >/tmp/syn.st
ktap_check "tcp: the SYN to router:8080 is DNATed and reaches the server's port 80" \
	in_order /tmp/syn.st "^$NS_C OUTPUT" "^$NS_R NAT" "^$NS_R PREROUTING" \
	"^$NS_R FORWARD" "^$NS_R POSTROUTING" "^$NS_S INPUT"
ktap_check "tcp: the NAT station shows the new destination $IP_S:80" \
	bash -c "jq -r '.packets[].stations[] | select(.station | test(\"NAT\")) | .detail' $J |
		grep -q 'dnat.*-> $IP_S:80'"
# (The socket station, not the last one: the sender's TX completions may
# come after the client's read.)
delivered_to_client() {
	jq -r '.packets[] | select(.fate | test("delivered")) | .stations[] |
		select(.station == "socket") | .where' "$J" | grep -q "^$NS_C" && return 0
	jq -r '.packets[] | .packet + " => " + .fate + " :: " +
		([.stations[] | .where + " " + .station] | join(" | "))' "$J" | sed 's/^/#   /'
	return 1
}
ktap_check "tcp: the server's answer is delivered to the client's socket" delivered_to_client

pp "$NS_R" rule add ip forward handle 99 proto tcp dport 80 drop
"$PKTPATH" journey -j port 8080 -- \
	ip netns exec "$NS_C" timeout 3 socat -T 1 - "TCP:$IP_RL:8080,connect-timeout=1" \
	>"$J" </dev/null
fate=$(jq -r '[.packets[] | select(.packet | test("\\[S\\]"))][0].fate' "$J")
ktap_diag "dropped SYN: $fate"
ktap_check "drop: the SYN dies at the router's FORWARD hook, rule 99, NETFILTER_DROP" \
	bash -c "echo '$fate' | grep -Eq '^DIED at $NS_R FORWARD .*rule 99.*drop.*NETFILTER_DROP'"

# Filter: only ICMP, while UDP flows at the same time.
(sleep 0.3; for _ in 1 2 3; do echo x | ip netns exec "$NS_C" socat - "UDP:$IP_S:9999"; done) &
udp=$!
"$PKTPATH" journey -j proto icmp -- ip netns exec "$NS_C" ping -c 2 -i 0.5 "$IP_S" >"$J"
# Only the sender: a bare wait would also wait for the TCP server.
wait $udp
ktap_check "filter: 'proto icmp' shows the pings and no UDP datagram" \
	jq -e '([.packets[] | select(.packet | startswith("UDP"))] | length == 0) and
		([.packets[] | select(.packet | test("echo"))] | length >= 4)' "$J"
# Deaths whose drop reason names the station: a clsact filter on the
# router's inbound NIC, a datagram to a port nobody listens on, a receive
# buffer full because its reader is stopped.
died_at() { # JSON PACKET_REGEX FATE_REGEX: every such packet died so; prints their count
	local n bad
	n=$(jq -r --arg re "$2" '[.packets[] | select(.packet | test($re))] | length' "$1")
	bad=$(jq -r --arg re "$2" --arg f "$3" '[.packets[] | select(.packet | test($re)) |
		select(.fate | test($f) | not) | .fate] | .[]' "$1")
	[ -z "$bad" ] || { echo "$bad" | sed 's/^/# not so: /' >&2; echo 0; return; }
	echo "$n"
}
if tc -n "$NS_R" qdisc add dev "$IF_RL" clsact 2>/dev/null &&
	tc -n "$NS_R" filter add dev "$IF_RL" ingress protocol ip pref 10 flower \
		ip_proto icmp dst_ip 198.51.100.7 action drop 2>/dev/null; then
	"$PKTPATH" journey -j proto icmp and host 198.51.100.7 -- \
		ip netns exec "$NS_C" ping -c 2 -i 0.3 -W 1 198.51.100.7 >"$J" 2>/dev/null
	shot=$(tc -n "$NS_R" -s filter show dev "$IF_RL" ingress | awk '/Sent/ { print $4; exit }')
	n=$(died_at "$J" echo-request "^DIED at $NS_R tc ingress \\(a clsact filter's verdict: shot\\), reason TC_INGRESS$")
	ktap_diag "tc: $n echo requests died at tc ingress, the filter counted ${shot:-?}"
	ktap_check "tc: a clsact drop kills both pings at the router's tc ingress, reason TC_INGRESS" \
		test "$n" = 2 -a "${shot:-0}" = 2
	tc -n "$NS_R" qdisc del dev "$IF_RL" clsact
else
	ktap_skip "tc: a clsact drop kills both pings at the router's tc ingress" "no clsact/flower"
fi

echo x | "$PKTPATH" journey -j proto udp and port 9996 -- \
	ip netns exec "$NS_C" socat -u - "UDP:$IP_S:9996" >"$J" 2>/dev/null
n=$(died_at "$J" '^UDP' "^DIED at $NS_S socket \\(no socket takes it\\), reason NO_SOCKET$")
ktap_check "socket: a datagram to a closed port dies at the server's socket station, NO_SOCKET" \
	test "$n" = 1

ip netns exec "$NS_S" socat -u UDP-RECV:9997,rcvbuf=2048 - >/dev/null &
reader=$!
# Stopped only once bound (socat starts slowly on the debug kernel).
for _ in $(seq 100); do
	ip netns exec "$NS_S" ss -Hlun 'sport = :9997' | grep -q . && break
	sleep 0.1
done
kill -STOP "$reader"
before=$(snmp_counter "$NS_S" Udp RcvbufErrors)
"$PKTPATH" journey -j proto udp and port 9997 -- ip netns exec "$NS_C" bash -c \
	"for i in 1 2 3 4 5 6 7 8; do head -c 1000 /dev/zero | socat -u - UDP:$IP_S:9997; done" \
	>"$J" 2>/dev/null
full=$(( $(snmp_counter "$NS_S" Udp RcvbufErrors) - before ))
kill -CONT "$reader"
kill "$reader"
wait "$reader" 2>/dev/null
n=$(jq -r --arg f "^DIED at $NS_S socket \\(receive buffer full\\), reason SOCKET_RCVBUFF$" \
	'[.packets[] | select(.fate | test($f))] | length' "$J")
ktap_diag "rcvbuf: 8 datagrams to a stopped reader, $n died at its socket, RcvbufErrors +$full"
ktap_check "socket: datagrams to a full receive buffer die at the socket station, as many as RcvbufErrors counts" \
	test "$n" -ge 1 -a "$n" = "$full"

# hook_events: pktpath_nf hook events during one ping, in a tracefs
# instance of our own. Only the router has rules (NAT, and rule 99 in
# FORWARD): the other hooks (and their events) are in only in trace mode.
hook_events() {
	local inst=/sys/kernel/tracing/instances/journey-test-$$ n
	mkdir "$inst" || return 1
	echo 1 >"$inst/events/pktpath_nf/pktpath_nf_hook/enable"
	echo 1 >"$inst/tracing_on"
	ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_S" >/dev/null
	echo 0 >"$inst/tracing_on"
	n=$(grep -c 'pktpath_nf_hook:' "$inst/trace")
	echo 0 >"$inst/events/enable"
	rmdir "$inst"
	echo "$n"
}
hooks_held() { [ "$(hook_events)" -gt "$before" ]; }
hooks_gone() { [ "$(hook_events)" = "$before" ]; }

# Two journeys: the first ends while the second records; the second's
# ping still passes the server's hooks (the first once turned them off).
"$PKTPATH" journey -j proto icmp -- bash -c "sleep 3; ip netns exec $NS_C ping -c 1 -W 2 $IP_S" \
	>/tmp/long.json 2>/dev/null &
long=$!
sleep 1
"$PKTPATH" journey -j proto udp -- true >/dev/null 2>&1
wait $long
stations /tmp/long.json 'echo-request' >/tmp/long.st
ktap_check "two journeys: the one still recording keeps every hook when the other ends" \
	in_order /tmp/long.st "^$NS_R PREROUTING" "^$NS_S PREROUTING" "^$NS_S INPUT"

# SIGKILL: no cleanup runs in the tool; the kernel's release of its
# socket must let trace mode go.
before=$(hook_events)
"$PKTPATH" journey -t 60 proto icmp >/dev/null 2>&1 &
killed=$!
wait_until 10 test -d "/sys/kernel/tracing/instances/pktpath-journey-$killed"
wait_until 10 hooks_held
held=$(hook_events)
kill -9 $killed
wait $killed 2>/dev/null
released=1
wait_until 10 hooks_gone || released=0
ktap_diag "hook events per ping: $before before, $held held by a journey, $(hook_events) after its SIGKILL"
ktap_check "SIGKILL: the killed journey's hold on trace mode goes with its socket" \
	test "$held" -gt "$before" -a "$released" = 1
"$PKTPATH" journey proto icmp -- true >/dev/null 2>/tmp/stale.err
ktap_check "SIGKILL: the next journey removes the instance the killed one left" \
	bash -c "grep -q 'pktpath-journey-$killed, left by a journey that died' /tmp/stale.err &&
		! test -d /sys/kernel/tracing/instances/pktpath-journey-$killed"

# Follow: three pings a second apart; each line stamped as it comes. The
# first echo request's timeline must come out while the pings go on.
stamp() { while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }
"$PKTPATH" journey -f -j proto icmp -- ip netns exec "$NS_C" ping -c 3 -i 1 -W 2 "$IP_S" \
	2>/dev/null | stamp >/tmp/follow.txt
ended=$(date +%s.%N)
follow_ok() {
	local first n
	first=$(awk '/echo-request/ { print $1; exit }' /tmp/follow.txt)
	n=$(cut -d' ' -f2- /tmp/follow.txt | jq -s '[.[] | select(.packet | test("echo"))] | length')
	ktap_diag "follow: $n echo timelines, the first $(awk -v e="$ended" -v f="${first:-0}" \
		'BEGIN { printf "%.1f", e - f }') s before the end"
	[ "$n" = 6 ] && [ -n "$first" ] && awk -v e="$ended" -v f="$first" 'BEGIN { exit !(e - f > 0.5) }'
}
ktap_check "follow: -f prints each ping's timeline while the command runs, all 6 in the end" follow_ok
t0=$(now_ms)
timeout 30 "$PKTPATH" journey -f -j -c 2 proto icmp -- \
	ip netns exec "$NS_C" ping -c 40 -i 0.5 "$IP_S" >/tmp/follow2.json 2>/dev/null
took=$(( $(now_ms) - t0 ))
ktap_diag "follow -c 2: $(wc -l </tmp/follow2.json) lines in ${took} ms"
ktap_check "follow: -c 2 stops after two timelines, long before the 20 s of pings" \
	test "$(jq -s length /tmp/follow2.json)" = 2 -a "$took" -lt 12000

# A namespace the command makes while the journey records: held in trace
# mode as well (the journey looks for new namespaces every 250 ms), its
# hooks on the pings' timelines.
"$PKTPATH" journey -j proto icmp and host 127.0.0.1 -- bash -c \
	'ip netns add pp-late && ip -n pp-late link set lo up && sleep 0.8 &&
	ip netns exec pp-late ping -c 2 -i 0.3 -W 1 127.0.0.1 >/dev/null' >"$J" 2>/dev/null
late=$(jq -r '[.packets[] | select(.packet | test("echo-request")) | .stations[] |
	select(.where == "pp-late") | .station] | unique | join(",")' "$J")
ip netns del pp-late 2>/dev/null
ktap_diag "late namespace's stations: $late"
ktap_check "late namespace: the pings in a namespace made after the journey began pass its hooks" \
	bash -c "echo '$late' | grep -q OUTPUT && echo '$late' | grep -q INPUT"

trace_anchor_off
left=$(ls /sys/kernel/tracing/instances 2>/dev/null | grep -c pktpath)
ktap_check "off: no trace instance left behind after the journeys ($left)" test "$left" = 0
ktap_finish
