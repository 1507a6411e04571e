#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Receive filters, observed with tcpdump -p (which leaves the NIC's
# filters alone): a frame to a foreign MAC is dropped by the NIC unless
# promiscuous; a multicast group's frames arrive only once joined (MTA
# hash) or in all-multicast mode; after a MAC change the NIC answers on
# the new address and ignores the old one.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=8
FOREIGN_IP=10.99.0.77 FOREIGN_MAC=02:00:00:00:00:77 NEW_MAC=02:00:00:00:01:99

# seen_while CMD...: frames to $WATCH seen on B while A runs CMD, proven
# without waiting anything out (frames_seen's sentinel).
seen_while() {
	frames_seen "$WATCH" "$@"
}

# Turning promiscuous or all-multicast mode on rewrites the NIC's RCTL, and
# QEMU's e1000 holds reception for about a second after that: the frames
# are queued, not lost, and still arrive before the sentinel, so nothing
# needs to wait for that here.

# Five echo requests to the foreign address (its neighbour entry is
# pinned): sent 50 ms apart, not waiting for answers that cannot come.
send_foreign() {
	nsx "$NS_A" ping -c 5 -i 0.05 -W 0.1 "$FOREIGN_IP"
}

mcast_probe() {
	echo probe | nsx "$NS_A" socat -u - "UDP4-SENDTO:$1:5004,ip-multicast-if=$IP_A"
	grep -q probe /tmp/mc.recv
}

send_mcast() {
	local i
	for i in 1 2 3 4 5; do
		echo "hello $i" | nsx "$NS_A" socat -u - "UDP4-SENDTO:$1:5004,ip-multicast-if=$IP_A"
	done
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} n pid old_mac
	[ -n "$broken" ] && { fail_cases $N "$drv $model: filters"; return; }
	ip -n "$NS_A" neigh replace "$FOREIGN_IP" lladdr "$FOREIGN_MAC" dev "$IF_A" nud permanent
	ip -n "$NS_A" route add 224.0.0.0/4 dev "$IF_A"

	WATCH="ether dst $FOREIGN_MAC"
	n=$(seen_while send_foreign)
	ktap_check "$drv $model: frames to a foreign MAC dropped (seen $n)" test "$n" = 0
	ip -n "$NS_B" link set "$IF_B" promisc on
	n=$(seen_while send_foreign)
	ktap_check "$drv $model: promiscuous: foreign frames received (seen $n of 5)" test "$n" -ge 4
	ip -n "$NS_B" link set "$IF_B" promisc off

	WATCH="dst host 239.1.2.3"
	n=$(seen_while send_mcast 239.1.2.3)
	ktap_check "$drv $model: group 239.1.2.3 not joined: dropped (seen $n)" test "$n" = 0
	rm -f /tmp/mc.recv
	nsx "$NS_B" timeout $((8 * ${PKTPATH_TIMEOUT_SCALE:-1})) socat -u \
		"UDP4-RECV:5004,ip-add-membership=239.1.2.3:$IP_B" OPEN:/tmp/mc.recv,creat,append &
	pid=$!
	# Joined once a probe to the group reaches the socket (the membership
	# shows in 'ip maddr' before the driver has programmed the MTA).
	wait_until 10 mcast_probe 239.1.2.3
	n=$(seen_while send_mcast 239.1.2.3)
	# Captured is not yet written out by the receiving socat.
	wait_until 5 grep -q "hello" /tmp/mc.recv
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	ktap_check "$drv $model: group joined: frames received (seen $n) and delivered" \
		eval '[ "$n" -ge 4 ] && grep -q "hello" /tmp/mc.recv'
	WATCH="dst host 239.9.9.9"
	ip -n "$NS_B" link set "$IF_B" allmulticast on
	n=$(seen_while send_mcast 239.9.9.9)
	ip -n "$NS_B" link set "$IF_B" allmulticast off
	ktap_check "$drv $model: all-multicast: unjoined group received (seen $n)" test "$n" -ge 4

	old_mac=$(nsx "$NS_B" cat "/sys/class/net/$IF_B/address")
	ip -n "$NS_B" link set "$IF_B" address "$NEW_MAC"
	ip -n "$NS_A" neigh flush dev "$IF_A"
	ip -n "$NS_A" neigh replace "$FOREIGN_IP" lladdr "$FOREIGN_MAC" dev "$IF_A" nud permanent
	ktap_check "$drv $model: MAC changed to $NEW_MAC: ping answered" \
		eval 'ping_all "$NS_A" 3 "$IP_B" && ip -n "$NS_A" neigh show "$IP_B" | grep -q "$NEW_MAC"'
	ip -n "$NS_A" neigh replace "$IP_B" lladdr "$old_mac" dev "$IF_A" nud permanent
	ktap_check "$drv $model: frames to the old MAC ignored" ping_refused "$NS_A" "$IP_B"
	ip -n "$NS_A" neigh del "$IP_B" dev "$IF_A"
	ip -n "$NS_B" link set "$IF_B" address "$old_mac"
	ktap_check "$drv $model: MAC restored: ping answered" ping_all "$NS_A" 3 "$IP_B"
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
