#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM: on the same cable, alternately with
# pktpath_e1000 and the in-tree e1000, measure TCP throughput both ways
# (iperf3, 5 s) and the small-packet rate (64-byte frames: iperf3 UDP with
# an 18-byte payload, unlimited rate; packets received per second).
# Prints "RESULT <driver> <round> <metric> <value>" lines for the host.
source /pktpath/selftests/lib.sh
source /pktpath/guest/bench_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-3}
SECS=${PKTPATH_BENCH_SECS:-5}
MODEL=${PKTPATH_BENCH_MODEL:-e1000}
trap cable_down EXIT

measure() {
	local drv=$1 round=$2
	cable_up "$drv" "$MODEL" || { echo "cable with $drv failed"; return 1; }
	echo "RESULT $drv $round tcp_tx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS")"
	echo "RESULT $drv $round tcp_rx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS" -R)"
	echo "RESULT $drv $round udp64_rx_pps $(iperf_udp64 "$NS_A" "$NS_B" "$IP_B" "$SECS")"
	cable_down
}

for ((r = 1; r <= ROUNDS; r++)); do
	for drv in pktpath_e1000 e1000; do
		measure "$drv" "$r"
	done
done
