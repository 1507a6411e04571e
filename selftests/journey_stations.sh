#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath journey's kprobe stations, on a topology that crosses every
# station on purpose: client -- router -- server over pktpath_e1000, the
# router with an XDP pass program on its inbound NIC, a clsact filter on
# its outbound NIC, a PREROUTING rule marking what comes in and an ip rule
# routing that mark by table 100, masquerade (conntrack NAT); the server
# behind a Linux bridge (its NIC a port of br0, which has the address).
# - a ping, a TCP send and a UDP datagram, in one journey: each timeline
#   shows the application's send, the transport, XDP, the ip rule and
#   table, tc egress with the filter that decided, the bridge and the
#   server's transport and socket, in order;
# - what the probes read (ip rule preference and fwmark, the packet's
#   mark, the tc filter's kind and preference, the bridge's port) is what
#   ip rule, tc and the bridge hold;
# - a ping to an unreachable route dies at the router's routing station;
# - with br_netfilter, the server's PREROUTING names the bridge port;
# - IPv6: the rule and table 100 on the router, the bridge and transport;
# - a classifier module reloaded while its probe is held: still a station;
# - every kprobe event of the tool exists; held by another instance they
#   outlive the journeys; once nothing else holds them a journey removes
#   them as it ends.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
source "$(dirname "$0")/xdp_lib.sh"
require_root_vm
require_nf

DRV=pktpath_e1000
PLAN=13
ktap_plan $PLAN
BRNF=
trap 'trace_anchor_off; stop_servers; [ -n "$BRNF" ] && rmmod br_netfilter 2>/dev/null; nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up "$DRV"; then
	fail_cases $PLAN "journey stations"
	exit 1
fi
# cls_flower loaded before the anchor creates the probes: its probe must
# survive the module's reload below.
modprobe cls_flower 2>/dev/null
trace_anchor_on
if [ ! -d /sys/kernel/tracing/events/pktpath_journey ]; then
	for _ in $(seq $PLAN); do ktap_skip "journey stations" "no kprobe events here"; done
	ktap_finish
fi

# The router: XDP in, mark -> table 100, masquerade, a clsact filter out.
xdp_attach "$NS_R" "$IF_RL" xdpdrv xdp_pass
pp "$NS_R" ruleset load - <<EOF
ip prerouting handle 3 iif $IF_RL mark set 7
ip6 prerouting handle 4 iif $IF_RL mark set 7
ip postrouting handle 2 oif $IF_RR masquerade
EOF
ip -n "$NS_R" rule add pref 100 fwmark 7 lookup 100
ip -n "$NS_R" -6 rule add pref 100 fwmark 7 lookup 100
ip -n "$NS_R" route add 10.2.0.0/24 dev "$IF_RR" table 100
ip -n "$NS_R" -6 route add fd02::/64 dev "$IF_RR" table 100
ip -n "$NS_R" route add unreachable 198.51.100.0/24
tc -n "$NS_R" qdisc add dev "$IF_RR" clsact
tc -n "$NS_R" filter add dev "$IF_RR" egress protocol ip pref 10 flower action pass
# The server behind br0.
ip -n "$NS_S" addr flush dev "$IF_S"
ip -n "$NS_S" link add br0 type bridge
ip -n "$NS_S" link set "$IF_S" master br0
ip -n "$NS_S" link set br0 up
ip -n "$NS_S" addr add "$IP_S/24" dev br0
ip -n "$NS_S" addr add "$IP6_S/64" dev br0 nodad
ip -n "$NS_S" route add default via "$IP_RR"
ip -n "$NS_S" -6 route add default via "$IP6_RR"
wait_until 20 nsx "$NS_C" ping -q -c 1 -W 1 "$IP_S" >/dev/null
ip netns exec "$NS_C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
ip netns exec "$NS_S" timeout 120 socat -u TCP-LISTEN:7001,reuseaddr OPEN:/tmp/st-tcp.out,creat,trunc &
SERVE_PIDS="${SERVE_PIDS:-} $!"
ip netns exec "$NS_S" timeout 120 socat -u UDP-RECV:7002 OPEN:/tmp/st-udp.out,creat,trunc &
SERVE_PIDS="$SERVE_PIDS $!"
for port in 7001 7002; do
	wait_until 10 eval "ip netns exec $NS_S ss -Hln 'sport = :$port' | grep -q ."
done

# stations JSON JQ_SELECT: "where station" per station of the first packet
# the jq condition selects, one per line.
stations() {
	jq -r "[.packets[] | select($2)][0].stations[] | .where + \" \" + .station" "$1"
}
# detail_of JSON JQ_SELECT WHERE STATION: the details of those stations.
detail_of() {
	jq -r --arg w "$3" --arg s "$4" "[.packets[] | select($2)][0].stations[] |
		select((.where | startswith(\$w)) and .station == \$s) | .detail" "$1"
}
# matches TEXT REGEX: with a diagnostic when not.
matches() {
	echo "$1" | grep -Eq "$2" && return 0
	ktap_diag "'$(echo "$1" | tr '\n' '|')' does not match /$2/"
	return 1
}

J=/tmp/stations.json
"$PKTPATH" journey -j -w /tmp/stations.trace host "$IP_S" -- ip netns exec "$NS_C" bash -c "
	ping -c 1 -W 2 $IP_S >/dev/null
	echo tcp-payload | socat -u - TCP:$IP_S:7001
	echo udp-payload | socat -u - UDP:$IP_S:7002
	sleep 0.5" >"$J" 2>/tmp/stations.err
REQ='.packet | test("echo-request")'
REP='.packet | test("echo-reply")'
stations "$J" "$REQ" >/tmp/st-req.st
ktap_check "ping: the echo request passes the application's send, XDP, the rule's table, tc egress, the bridge and the server's transport, in order" \
	in_order /tmp/st-req.st "^$NS_C socket send" "^$NS_C routing" "^$NS_C transport" \
	"^$NS_C OUTPUT" "^$NS_C .* TX ring" "^$NS_R $IF_RL XDP" "^$NS_R $IF_RL RX ring" \
	"^$NS_R PREROUTING" "^$NS_R routing" "^$NS_R FORWARD" "^$NS_R POSTROUTING" \
	"^$NS_R NAT" "^$NS_R $IF_RR tc egress" "^$NS_R $IF_RR qdisc" "^$NS_R $IF_RR TX ring" \
	"^$NS_S $IF_S RX ring" "^$NS_S $IF_S stack receive" "^$NS_S .*bridge" \
	"^$NS_S .*bridge" "^$NS_S br0 stack receive" "^$NS_S PREROUTING" "^$NS_S routing" \
	"^$NS_S INPUT" "^$NS_S transport"
stations "$J" "$REP" >/tmp/st-rep.st
ktap_check "ping: the echo reply leaves through the bridge device and its port, and reaches the client's transport and socket" \
	in_order /tmp/st-rep.st "^$NS_S transport" "^$NS_S OUTPUT" "^$NS_S br0 qdisc" \
	"^$NS_S .*bridge" "^$NS_S .*bridge" "^$NS_S $IF_S TX ring" "^$NS_R $IF_RL TX ring" \
	"^$NS_C .* RX ring" "^$NS_C INPUT" "^$NS_C transport" "^$NS_C socket$"

d=$(detail_of "$J" "$REQ" "$NS_R" routing)
ktap_check "routing: the router's lookup names ip rule 100 (fwmark 0x7), the packet's mark 0x7 and table 100" \
	matches "$d" "^ip rule 100 fwmark 0x7 \\(mark 0x7\\), table 100: dev $IF_RR \\(directly connected\\): forward$"
J6=/tmp/stations6.json
"$PKTPATH" journey -j proto icmpv6 and host "$IP6_S" -- \
	ip netns exec "$NS_C" ping -6 -c 1 -W 2 "$IP6_S" >"$J6" 2>/dev/null
d=$(detail_of "$J6" "$REQ" "$NS_R" routing)
v6_ok() {
	stations "$J6" "$REQ" >/tmp/st6.st
	matches "$d" "^ip rule 100 fwmark 0x7 \\(mark 0x7\\), table 100: dev $IF_RR \\(directly connected\\): forward\$" &&
		in_order /tmp/st6.st "^$NS_C socket send" "^$NS_C transport" "^$NS_R routing" \
			"^$NS_S .*bridge" "^$NS_S transport"
}
ktap_check "routing: IPv6 too, ip rule 100 (fwmark 0x7) and table 100, through the bridge to the server's ICMPv6" \
	v6_ok
d=$(detail_of "$J" "$REQ" "$NS_R $IF_RR" "tc egress")
ktap_check "tc: the egress station names the filter that decided (flower pref 10) and its verdict (ok)" \
	matches "$d" "^flower pref 10 -> ok$"
# A module reloaded while its probe is held (the anchor): the probe names
# its module, so the kernel arms it again (a bare symbol's would stay dead).
if [ -e /sys/module/cls_flower/initstate ]; then
	tc -n "$NS_R" qdisc del dev "$IF_RR" clsact
	rmmod cls_flower
	gone=$([ -d /sys/module/cls_flower ] && echo no || echo yes)
	tc -n "$NS_R" qdisc add dev "$IF_RR" clsact
	tc -n "$NS_R" filter add dev "$IF_RR" egress protocol ip pref 10 flower action pass
	"$PKTPATH" journey -j proto icmp and host "$IP_S" -- \
		ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_S" >"$J6" 2>/dev/null
	d=$(detail_of "$J6" "$REQ" "$NS_R $IF_RR" "tc egress")
	ktap_check "tc: cls_flower unloaded (gone: $gone) and loaded again, the held probe still names the filter" \
		matches "$d" "^flower pref 10 -> ok$"
else
	ktap_skip "tc: cls_flower reloaded, the held probe still names the filter" "cls_flower is built in"
fi
bridge_ok() {
	local d d2
	d=$(detail_of "$J" "$REQ" "$NS_S" bridge)
	d2=$(detail_of "$J" "$REP" "$NS_S" bridge)
	matches "$d" "^in on port $IF_S\$" && matches "$d" "up to the bridge" &&
		matches "$d2" "^sent by the bridge device br0\$" &&
		matches "$d2" "^(forwarded to port $IF_S|flooded to every port)\$"
}
ktap_check "bridge: in on port $IF_S and up to br0; the reply sent by br0 to port $IF_S" bridge_ok

# TCP and UDP: the application's send, and the server's transport, socket
# queue and read.
sent_by() { # JSON SELECT: the packet's socket send detail
	jq -r "[.packets[] | select($2)][0].stations[] | select(.station == \"socket send\") |
		.detail" "$1"
}
tcp_sel='(.packet | startswith("TCP")) and ([.stations[] | select(.station == "socket send")] | length > 0)'
udp_sel='(.packet | startswith("UDP")) and ([.stations[] | select(.station == "socket send")] | length > 0)'
tcp_ok() {
	stations "$J" "$tcp_sel" >/tmp/st-tcp.st
	in_order /tmp/st-tcp.st "^$NS_C socket send" "^$NS_C transport" "^$NS_C OUTPUT" \
		"^$NS_R FORWARD" "^$NS_R $IF_RR tc egress" "^$NS_S .*bridge" "^$NS_S transport" \
		"^$NS_S socket queue" "^$NS_S socket\$" &&
		matches "$(sent_by "$J" "$tcp_sel")" "wrote 12 bytes" &&
		matches "$(cat /tmp/st-tcp.out)" "^tcp-payload\$"
}
ktap_check "tcp: socat's 12 bytes: its send, the transport, and on the server TCP receive, the socket queue, the read" \
	tcp_ok
udp_ok() {
	stations "$J" "$udp_sel" >/tmp/st-udp.st
	in_order /tmp/st-udp.st "^$NS_C socket send" "^$NS_C transport" "^$NS_C OUTPUT" \
		"^$NS_R $IF_RR tc egress" "^$NS_S .*bridge" "^$NS_S transport" \
		"^$NS_S socket queue" "^$NS_S socket\$" &&
		matches "$(sent_by "$J" "$udp_sel")" "wrote 12 bytes" &&
		matches "$(cat /tmp/st-udp.out)" "^udp-payload\$"
}
ktap_check "udp: a datagram: its send (12 bytes), UDP receive, the socket queue, the read" udp_ok

"$PKTPATH" journey -j proto icmp and host 198.51.100.1 -- \
	ip netns exec "$NS_C" ping -c 1 -W 1 198.51.100.1 >"$J" 2>/dev/null
fate=$(jq -r '[.packets[] | select(.packet | test("echo-request"))][0].fate' "$J")
ktap_diag "to an unreachable route: $fate"
ktap_check "routing: a packet to an unreachable route dies at the router's routing station (table 100 missed, main unreachable)" \
	matches "$fate" "^DIED at $NS_R routing \\(ip rule 32766 \\(mark 0x7\\), table main: unreachable route\\)"

# br_netfilter: the bridge calls the IPv4 hooks for what crosses it, so the
# server's PREROUTING comes before the bridge station (the bridge device as
# input: br_netfilter sets it), not after br0's receive.
if [ -d /sys/module/br_netfilter ] || { modprobe br_netfilter 2>/dev/null && BRNF=1; }; then
	ip netns exec "$NS_S" sysctl -qw net.bridge.bridge-nf-call-iptables=1
	"$PKTPATH" journey -j proto icmp and host "$IP_S" -- \
		ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_S" >"$J" 2>/dev/null
	stations "$J" "$REQ" >/tmp/st-brnf.st
	ktap_check "br_netfilter: the server's PREROUTING is the bridge's, before the bridge station; INPUT after br0's receive" \
		in_order /tmp/st-brnf.st "^$NS_S $IF_S stack receive" "^$NS_S PREROUTING" \
		"^$NS_S .*bridge" "^$NS_S br0 stack receive" "^$NS_S INPUT"
	[ -n "$BRNF" ] && rmmod br_netfilter 2>/dev/null && BRNF=
else
	ktap_skip "br_netfilter: the server's PREROUTING is the bridge's" "no br_netfilter"
fi

# The kprobe events: every one of the tool's list exists; held by another
# instance (the trace anchor), they outlive the journeys and refuse to go;
# once nothing else holds them, a journey removes them as it ends.
probes=$("$PKTPATH" journey --probes on)
busy=$("$PKTPATH" journey --probes off)
probes_held() {
	local n m
	read -r n _ m _ <<<"$probes"
	[ -n "$m" ] && [ "$n" = "$m" ] && echo "$busy" | grep -q 'still recorded' &&
		[ "$(grep -c '^[pr][0-9]*:pktpath_journey/' /sys/kernel/tracing/kprobe_events)" = "$m" ] &&
		return 0
	ktap_diag "'$probes', then off: '$busy'"
	return 1
}
ktap_check "kprobes: all the tool's events exist ($probes); held by another instance, they stay" \
	probes_held
echo 0 >"$TRACE_ANCHOR/events/pktpath_journey/enable"
"$PKTPATH" journey -j proto icmp -- ip netns exec "$NS_C" ping -c 1 -W 1 "$IP_S" >"$J" 2>/dev/null
left=$(grep -c 'pktpath_journey' /sys/kernel/tracing/kprobe_events)
ktap_check "kprobes: a journey removes them as it ends once nothing else records them ($left left)" \
	test "$left" = 0 -a "$(jq '[.packets[].stations[] | select(.station == "socket send")] | length' "$J")" -ge 1
trace_anchor_off
ktap_finish
