#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offloads: each of TX checksum, scatter-gather and TSO is turned off and
# on again on the sender, and in each state the feature must read back as
# set and a TCP transfer (IPv4 and IPv6) and UDP datagrams must arrive
# intact. A TX checksum bug shows up as data that never arrives (the
# receiver drops bad checksums), a TSO or SG bug as a corrupted stream.
source "$(dirname "$0")/lib.sh"
require_root_vm

udp_port=5100
FEATURES="tx-checksumming scatter-gather tcp-segmentation-offload"
N=$(( $(echo $FEATURES | wc -w) * 2 * 3 ))

feature_is() {
	nsx "$NS_A" ethtool -k "$IF_A" | grep -q "^$1: $2"
}

# udp_intact: 200 datagrams of 1000 bytes A -> B, sent in one burst. Each
# is a record of one 4-digit number repeated: at least 190 must arrive,
# every one whole and intact.
udp_intact() {
	local i good total size
	if [ ! -f /tmp/udp.send ]; then
		awk 'BEGIN { for (i = 0; i < 200; i++) { r = sprintf("%04d", i); s = ""
			for (j = 0; j < 250; j++) s = s r
			printf "%s", s } }' >/tmp/udp.send
	fi
	rm -f /tmp/udp.recv
	# A fresh port each time: the last receiver may still hold its own.
	udp_port=$((udp_port + 1))
	# A receive buffer that holds the whole burst: loss here would measure
	# socket buffer sizing, not the offload under test.
	sysctl -qw net.core.rmem_max=8388608
	nsx "$NS_B" timeout 15 socat -u -b 1000 "UDP4-RECV:$udp_port,rcvbuf=8388608" \
		OPEN:/tmp/udp.recv,creat,append &
	local srv=$!
	wait_until 5 listening "$NS_B" "$udp_port" udp
	nsx "$NS_A" socat -u -b 1000 OPEN:/tmp/udp.send "UDP4-SENDTO:$IP_B:$udp_port"
	# Done when all 200 are written out; a loss costs the deadline (3 s,
	# scaled for the slower debug kernel).
	wait_until $((3 * ${PKTPATH_TIMEOUT_SCALE:-1})) \
		eval 'test "$(stat -c %s /tmp/udp.recv 2>/dev/null)" = 200000'
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	size=$(stat -c %s /tmp/udp.recv 2>/dev/null || echo 0)
	total=$((size / 1000))
	# (awk, not grep -E '^([0-9]{4})\1{249}$': a back-reference costs
	# seconds per burst under TCG.)
	good=$(fold -w 1000 /tmp/udp.recv 2>/dev/null | awk '{ r = substr($0, 1, 4); s = ""
		for (i = 0; i < 250; i++) s = s r }
		r ~ /^[0-9][0-9][0-9][0-9]$/ && $0 == s { n++ } END { print n + 0 }')
	# A checksum bug loses them all; allow a few to emulation hiccups.
	[ $((size % 1000)) = 0 ] && [ "$total" -ge 190 ] && [ "$good" = "$total" ] && return 0
	ktap_diag "UDP: $good intact of $total received (200 sent)"
	return 1
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} f state
	[ -n "$broken" ] && { fail_cases $N "$drv $model: offloads"; return; }
	make_file /tmp/bulk4 "$(work 4)"
	for f in $FEATURES; do
		for state in off on; do
			nsx "$NS_A" ethtool -K "$IF_A" "$f" "$state" >/dev/null 2>&1
			ktap_check "$drv $model: $f $state reads back" feature_is "$f" "$state"
			ktap_check "$drv $model: $f $state: TCP $(work 4) MiB intact" \
				tcp_transfer "$NS_A" "$NS_B" "$IP_B" /tmp/bulk4
			ktap_check "$drv $model: $f $state: TCP IPv6 + UDP intact" \
				eval 'tcp_transfer "$NS_A" "$NS_B" "[$IP6_B]" /tmp/bulk4 && udp_intact'
		done
	done
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
