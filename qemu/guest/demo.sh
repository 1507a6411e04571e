#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run, inside the VM: client -- router -- server over emulated e1000
# NICs driven by pktpath_e1000; pktpath_nf on the router publishes port
# 8080 (DNAT to the server's web server on port 80) and masquerades what
# it forwards to the server. One HTTP request from the client, followed
# with 'pktpath journey' through every station on every host; then a rule
# that drops it, and the journey that ends at that rule.
# With --keep (inside 'make vm TOPO=router') the topology, the rules and
# the web server stay, to try your own packets.
source /pktpath/selftests/lib.sh
source /pktpath/selftests/nf_lib.sh
DRV=${PKTPATH_DEMO_DRIVER:-pktpath_e1000}
export PATH=$PKTPATH_DIR/bin:$PATH

if [ "${1:-}" != --keep ]; then
	trap 'stop_servers; router_down' EXIT
fi
echo "== client -- router -- server, 4 emulated e1000 NICs bound to $DRV"
nf_load || { echo "cannot load pktpath_nf"; exit 1; }
router_up "$DRV" || { echo "router topology failed to come up"; exit 1; }
printf '   %-8s %-6s %s\n' client "$IF_C" "$IP_C" router "$IF_RL" "$IP_RL (left)" \
	"" "$IF_RR" "$IP_RR (right)" server "$IF_S" "$IP_S"
ping_all "$NS_C" 1 "$IP_S" >/dev/null

echo
echo "== the router's rules (pktpath ruleset show, in $NS_R)"
pp "$NS_R" ruleset load - <<EOF
# publish the server's web server on the router's port 8080
ip prerouting handle 1 iif $IF_RL daddr $IP_RL proto tcp dport 8080 dnat to $IP_S:80
# the server sees the router as the client
ip postrouting handle 2 oif $IF_RR masquerade
EOF
pp "$NS_R" ruleset show | sed 's/^/   /'

mkdir -p /tmp/www
echo "hello from the server" >/tmp/www/index.html
ip netns exec "$NS_S" busybox httpd -f -p 80 -h /tmp/www &
SERVE_PIDS="$!"
wait_until 5 bash -c "ip netns exec $NS_S ss -Hltn 'sport = :80' | grep -q ."

# (busybox's static wget crashes resolving; socat speaks the HTTP/1.0 request)
fetch="printf 'GET / HTTP/1.0\\r\\n\\r\\n' |
	ip netns exec $NS_C socat -T 3 - TCP:$IP_RL:8080,connect-timeout=3 >/tmp/reply"
echo
echo "== GET http://$IP_RL:8080/ from the client, followed station by station"
echo "   (pktpath journey -c 4 port 8080 -- ...; times in microseconds)"
echo
pktpath journey -c 4 --svg /tmp/journey.svg port 8080 -- bash -c "$fetch"
echo "== the client got: $(head -n 1 /tmp/reply 2>/dev/null) ... $(tail -n 1 /tmp/reply 2>/dev/null)"
# The picture of that exchange, to the host (qemu/run.sh says where).
if [ "${1:-}" != --keep ] && [ -s /tmp/journey.svg ]; then
	export_file /tmp/journey.svg journey.svg
else
	echo "== its picture: /tmp/journey.svg"
fi

echo
echo "== now the router drops what goes to the server's port 80:"
pp "$NS_R" rule add ip forward handle 9 proto tcp dport 80 drop
echo "   ip forward handle 9 proto tcp dport 80 drop"
echo
rm -f /tmp/reply
pktpath journey -c 1 port 8080 -- bash -c "$fetch 2>/dev/null"
echo "== rule counters on the router"
pp "$NS_R" rule list | sed 's/^/   /'

echo
echo "== XDP: the rule goes; instead an XDP program on the router's left NIC ($IF_RL,"
echo "   native mode in pktpath_e1000) drops a UDP flood to port 9 before any skb exists,"
echo "   while the web request still passes"
pp "$NS_R" rule del ip forward handle 9
source /pktpath/selftests/xdp_lib.sh
ip -n "$NS_R" link set dev "$IF_RL" xdpdrv obj "$XDP_OBJ_DIR/xdp_drop_udp9.o" sec xdp
ip -n "$NS_R" -d link show dev "$IF_RL" | grep -o 'prog/xdp id [0-9]*.*' | sed 's/^/   /'
udp_burst "$NS_C" "$IP_RL" 9 200
echo "   200 datagrams sent to $IP_RL:9; dropped by the program: $(xdp_count "$NS_R" "$IF_RL" 0)," \
	"rx_queue_0_xdp_drop $(ethtool_stat "$NS_R" "$IF_RL" rx_queue_0_xdp_drop)"
echo
echo "== one more datagram of the flood, followed: it dies at XDP"
echo
pktpath journey -c 1 proto udp and port 9 -- bash -c "$(declare -f udp_burst); udp_burst $NS_C $IP_RL 9 1"
echo "== and the web request, which XDP passes (first packet only)"
echo
rm -f /tmp/reply
pktpath journey -c 1 port 8080 -- bash -c "$fetch"
echo "== the client got: $(head -n 1 /tmp/reply 2>/dev/null) ... $(tail -n 1 /tmp/reply 2>/dev/null)"
ip -n "$NS_R" link set dev "$IF_RL" xdpdrv off
