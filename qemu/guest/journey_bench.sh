#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-journey, inside the VM: what tracing costs. On a cable of two
# NICs driven by pktpath_e1000, with pktpath_nf loaded, TCP throughput
# (iperf3) and the 64-byte UDP rate with no journey, with a journey
# recording (every pktpath and kernel station event on), and again after
# it ended (tracepoints off: should equal the first). Rounds alternate.
# Prints "RESULT <state> 0 <round> <metric> <value>" lines.
source /pktpath/selftests/lib.sh
source /pktpath/selftests/nf_lib.sh
source /pktpath/guest/bench_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-3}
SECS=${PKTPATH_BENCH_SECS:-4}
nf_load || exit 1
trap cable_down EXIT
cable_up pktpath_e1000 e1000 || { echo "cable failed"; exit 1; }
ping_all "$NS_A" 2 "$IP_B" >/dev/null

measure() {
	local state=$1 round=$2
	echo "RESULT $state 0 $round tcp_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS")"
	echo "RESULT $state 0 $round udp64_pps $(iperf_udp64 "$NS_A" "$NS_B" "$IP_B" "$SECS")"
}

for ((r = 1; r <= ROUNDS; r++)); do
	measure journey-off "$r"
	# A journey that records everything and matches nothing it prints.
	"$PKTPATH" journey -c 1 -t $((SECS * 2 + 4)) host 192.0.2.1 >/tmp/jb.out 2>&1 &
	jp=$!
	sleep 1
	measure journey-on "$r"
	wait $jp
	tail -n 1 /tmp/jb.out | sed 's/^/# journey: /'
	measure journey-after "$r"
done
