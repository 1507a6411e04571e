#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM: on the same cable, alternately with
# pktpath_e1000 and the in-tree e1000, measure TCP throughput both ways
# (iperf3, 5 s) and the small-packet rate (64-byte frames: iperf3 UDP with
# an 18-byte payload, unlimited rate; packets received per second).
# Prints "RESULT <driver> <round> <metric> <value>" lines for the host.
source /pktpath/selftests/lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-3}
SECS=${PKTPATH_BENCH_SECS:-5}
MODEL=${PKTPATH_BENCH_MODEL:-e1000}
trap cable_down EXIT

measure() {
	local drv=$1 round=$2 out v
	cable_up "$drv" "$MODEL" || { echo "cable with $drv failed"; return 1; }
	nsx "$NS_B" iperf3 -s -D -1 >/dev/null
	sleep 1
	out=$(nsx "$NS_A" iperf3 -c "$IP_B" -t "$SECS" -f m 2>&1)
	v=$(echo "$out" | awk '/receiver/ { print $(NF-2) }')
	echo "RESULT $drv $round tcp_tx_mbit ${v:-0}"
	nsx "$NS_B" iperf3 -s -D -1 >/dev/null
	sleep 1
	out=$(nsx "$NS_A" iperf3 -c "$IP_B" -t "$SECS" -f m -R 2>&1)
	v=$(echo "$out" | awk '/receiver/ { print $(NF-2) }')
	echo "RESULT $drv $round tcp_rx_mbit ${v:-0}"
	nsx "$NS_B" iperf3 -s -D -1 >/dev/null
	sleep 1
	# Receiver's line: ... Lost/Total Datagrams; pps = (total - lost) / time.
	out=$(nsx "$NS_A" iperf3 -c "$IP_B" -u -b 0 -l 18 -t "$SECS" 2>&1)
	v=$(echo "$out" | awk -v t="$SECS" '/receiver/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) {
			split($i, a, "/"); printf "%d", (a[2] - a[1]) / t } }')
	echo "RESULT $drv $round udp64_rx_pps ${v:-0}"
	cable_down
}

for ((r = 1; r <= ROUNDS; r++)); do
	for drv in pktpath_e1000 e1000; do
		measure "$drv" "$r"
	done
done
