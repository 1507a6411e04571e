#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run, inside the VM: client -- router -- server over emulated e1000
# NICs driven by pktpath_e1000. Sends one ping and one HTTP request
# through the router and shows, station by station, the NIC counters each
# packet moved. (The per-packet journey with tracepoints replaces the
# counters once the journey view lands.)
source /pktpath/selftests/lib.sh
DRV=${PKTPATH_DEMO_DRIVER:-pktpath_e1000}

trap router_down EXIT
echo "== binding the router topology's 4 NICs to $DRV"
router_up "$DRV" || { echo "router topology failed to come up"; exit 1; }
printf '   client %s  |  router %s, %s  |  server %s\n' "$IF_C" "$IF_RL" "$IF_RR" "$IF_S"

snap() {
	echo "$(link_counter "$NS_C" "$IF_C" tx packets) $(link_counter "$NS_R" "$IF_RL" rx packets)" \
		"$(link_counter "$NS_R" "$IF_RR" tx packets) $(link_counter "$NS_S" "$IF_S" rx packets)" \
		"$(link_counter "$NS_S" "$IF_S" tx packets) $(link_counter "$NS_R" "$IF_RR" rx packets)" \
		"$(link_counter "$NS_R" "$IF_RL" tx packets) $(link_counter "$NS_C" "$IF_C" rx packets)"
}

stations() {
	local -a a b
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	local names=("client $IF_C TX ring" "router $IF_RL RX ring" "router $IF_RR TX ring"
		"server $IF_S RX ring" "server $IF_S TX ring" "router $IF_RR RX ring"
		"router $IF_RL TX ring" "client $IF_C RX ring")
	local i
	for i in 0 1 2 3 4 5 6 7; do
		[ "$i" = 4 ] && echo "   -- and back --"
		printf '   %-24s +%d packets\n' "${names[$i]}" $((b[i] - a[i]))
	done
}

ping_all "$NS_C" 1 "$IP_S" >/dev/null  # resolve neighbours first
sleep 1
echo
echo "== one ping, client $IP_C -> server $IP_S"
s0=$(snap)
ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_S" | sed -n 2p | sed 's/^/   /'
stations "$s0" "$(snap)"

echo
echo "== one HTTP request through the router"
ip netns exec "$NS_S" timeout 20 socat TCP-LISTEN:80,reuseaddr \
	SYSTEM:'read -r l; printf "HTTP/1.0 200 OK\r\n\r\nhello from the server\n"' &
wait_until 5 bash -c "ip netns exec $NS_S ss -Hltn 'sport = :80' | grep -q ."
s0=$(snap)
ip netns exec "$NS_C" timeout 10 socat - TCP:"$IP_S":80 <<<"GET / HTTP/1.0" | tail -n 1 | sed 's/^/   reply: /'
stations "$s0" "$(snap)"
echo
echo "== the router's NIC statistics (ethtool -S $IF_RL)"
ip netns exec "$NS_R" ethtool -S "$IF_RL" 2>/dev/null | grep -E 'packets|bytes|irq|poll' | head -n 12
