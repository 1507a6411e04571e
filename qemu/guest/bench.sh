#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM: on the same cable, alternately with
# pktpath_e1000 and the in-tree e1000, measure TCP throughput both ways
# with 1 and 4 streams (iperf3), the small-packet rate received (64-byte
# frames: iperf3 UDP with an 18-byte payload, unlimited rate; packets the
# receiving application got per second), the 64-byte transmit rate of
# pktgen from A and what B's driver received of it, and TCP
# request/response (selftests/pp_rr: 64 bytes each way, transactions per
# second and the median and 99th percentile round trip). Then, once per
# driver, the MMIO accesses per packet, counted by the kernel's mmiotrace
# on each NIC's BAR (every access is a trip into QEMU's device model):
# 5,000 UDP frames A sends and B receives (A's accesses per frame sent,
# B's per frame received), a TCP stream (both NICs' per packet on the
# wire) and request/response (both NICs' per transaction). mmiotrace
# makes every access slow and runs on one CPU, so its batches are not the
# rate rounds' batches: the counts compare the drivers under the same
# conditions, not the rounds' exact cost.
# Prints "RESULT <driver> <round> <metric> <value>" lines for the host.
source /pktpath/selftests/lib.sh
source /pktpath/guest/bench_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-5}
SECS=${PKTPATH_BENCH_SECS:-5}
MODEL=${PKTPATH_BENCH_MODEL:-e1000}
RR=/pktpath/selftests/pp_rr
CRAFT=/pktpath/selftests/pp_craft
TR=/sys/kernel/tracing
trap 'echo nop >$TR/current_tracer 2>/dev/null; cable_down' EXIT
modprobe pktgen 2>/dev/null

# rr SECS: request/response from A to B; pp_rr's line.
rr() {
	local out
	nsx "$NS_B" "$RR" -s 5300 &
	sleep 0.5
	out=$(nsx "$NS_A" "$RR" -c "$IP_B" 5300 "$1")
	wait
	echo "$out"
}

measure() {
	local drv=$1 round=$2 t p50 p99 pps sent rx0
	cable_up "$drv" "$MODEL" || { echo "cable with $drv failed"; return 1; }
	echo "RESULT $drv $round tcp_tx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS")"
	echo "RESULT $drv $round tcp_rx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS" -R)"
	echo "RESULT $drv $round tcp4_tx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS" "-P 4")"
	echo "RESULT $drv $round tcp4_rx_mbit $(iperf_tcp "$NS_A" "$NS_B" "$IP_B" "$SECS" "-R -P 4")"
	echo "RESULT $drv $round udp64_rx_pps $(iperf_udp64 "$NS_A" "$NS_B" "$IP_B" "$SECS")"
	rx0=$(link_counter "$NS_B" "$IF_B" rx packets)
	{ read -r pps; read -r sent; } < <(pktgen_flood "$NS_A" "$IF_A" "$IP_B" "$MAC_B" 9 "$SECS" 64)
	echo "RESULT $drv $round pktgen64_tx_pps $pps"
	# what B's driver took in meanwhile: no socket in the way
	echo "RESULT $drv $round pktgen64_rx_pps $(( ($(link_counter "$NS_B" "$IF_B" rx packets) - rx0) / SECS ))"
	read -r _ _ _ t _ p50 _ p99 < <(rr "$SECS")
	echo "RESULT $drv $round rr_tps ${t:-0}"
	echo "RESULT $drv $round rr_p50_us ${p50:-0}"
	echo "RESULT $drv $round rr_p99_us ${p99:-0}"
	cable_down
}

# bar0 BDF: the physical address of the NIC's register window.
bar0() {
	awk 'NR == 1 { print $1 }' "/sys/bus/pci/devices/$1/resource"
}

# mmio_counts: accesses (reads and writes) mmiotrace saw to A's and to B's
# registers since the trace was cleared, "A B"; fails if events were lost.
mmio_counts() {
	grep -q "overrun: 0$" "$TR/per_cpu/cpu0/stats" || {
		echo "# mmiotrace lost events: $(grep overrun "$TR/per_cpu/cpu0/stats")" >&2
		return 1
	}
	awk -v a="$(bar0 "$BDF_A")" -v b="$(bar0 "$BDF_B")" '
		function hex(s,  i, v) {
			v = 0
			s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		BEGIN { a = hex(a); b = hex(b) }
		$1 == "R" || $1 == "W" {
			p = hex($5)
			if (p >= a && p < a + 131072) na++
			else if (p >= b && p < b + 131072) nb++
		}
		END { print na + 0, nb + 0 }' "$TR/trace"
}

# per PART WHOLE: PART / WHOLE to two decimals.
per() {
	awk -v p="$1" -v w="$2" 'BEGIN { printf "%.2f\n", (w > 0 ? p / w : 0) }'
}

mmio_measure() {
	local drv=$1 ta tb rb na nb t i
	echo 65536 >"$TR/buffer_size_kb"
	# Only mappings made from now on are traced: the NICs bind after.
	echo mmiotrace >"$TR/current_tracer" || { echo "# no mmiotrace"; return 1; }
	cable_up "$drv" "$MODEL" || { echo "cable with $drv failed"; return 1; }
	sleep 1

	echo >"$TR/trace"
	ta=$(link_counter "$NS_A" "$IF_A" tx packets) rb=$(link_counter "$NS_B" "$IF_B" rx packets)
	# From an address B cannot answer: nothing comes back to A.
	for i in $(seq 5000); do echo "192.0.2.1 $IP_B udp 40000 9"; done |
		nsx "$NS_A" "$CRAFT" "$IF_A" "$MAC_B" -
	sleep 1
	read -r na nb < <(mmio_counts) || return 1
	ta=$(( $(link_counter "$NS_A" "$IF_A" tx packets) - ta ))
	rb=$(( $(link_counter "$NS_B" "$IF_B" rx packets) - rb ))
	echo "# $drv mmio: UDP: A sent $ta with $na accesses, B received $rb with $nb"
	echo "RESULT $drv 1 mmio_tx_per_pkt $(per "$na" "$ta")"
	echo "RESULT $drv 1 mmio_rx_per_pkt $(per "$nb" "$rb")"

	echo >"$TR/trace"
	ta=$(link_counter "$NS_A" "$IF_A" tx packets) tb=$(link_counter "$NS_B" "$IF_B" tx packets)
	iperf_tcp "$NS_A" "$NS_B" "$IP_B" 3 >/dev/null
	read -r na nb < <(mmio_counts) || return 1
	t=$(( $(link_counter "$NS_A" "$IF_A" tx packets) - ta + $(link_counter "$NS_B" "$IF_B" tx packets) - tb ))
	echo "# $drv mmio: TCP: $t packets, $na + $nb accesses"
	echo "RESULT $drv 1 mmio_tcp_per_pkt $(per $((na + nb)) "$t")"

	echo >"$TR/trace"
	read -r _ t _ < <(rr 3)
	read -r na nb < <(mmio_counts) || return 1
	echo "# $drv mmio: request/response: $t transactions, $na + $nb accesses"
	echo "RESULT $drv 1 mmio_rr_per_trans $(per $((na + nb)) "${t:-0}")"
	cable_down
	echo nop >"$TR/current_tracer"
}

for ((r = 1; r <= ROUNDS; r++)); do
	for drv in pktpath_e1000 e1000; do
		measure "$drv" "$r"
	done
done
for drv in pktpath_e1000 e1000; do
	mmio_measure "$drv"
done
