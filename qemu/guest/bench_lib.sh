# SPDX-License-Identifier: GPL-2.0
#
# Measurements shared by the benchmarks that run in the VM (sourced).

# iperf_tcp FROM_NS TO_NS DST SECS [-R]: TCP throughput in Mbit/s, as the
# receiver saw it (-R: the server sends).
iperf_tcp() {
	local out
	nsx "$2" iperf3 -s -D -1 >/dev/null
	sleep 0.5
	out=$(nsx "$1" iperf3 -c "$3" -t "$4" -f m ${5:-} 2>&1)
	echo "$out" | awk '/receiver/ { print $(NF-2); f = 1 } END { if (!f) print 0 }'
}

# iperf_udp64 FROM_NS TO_NS DST SECS: 64-byte frames (18-byte UDP payload)
# at full speed; packets per second the receiving application got, from
# the receiver's "lost/total" datagrams.
iperf_udp64() {
	local out
	nsx "$2" iperf3 -s -D -1 >/dev/null
	sleep 0.5
	out=$(nsx "$1" iperf3 -c "$3" -u -b 0 -l 18 -t "$4" 2>&1)
	echo "$out" | awk -v t="$4" '/receiver/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) {
			split($i, a, "/"); printf "%d\n", (a[2] - a[1]) / t; f = 1 } }
		END { if (!f) print 0 }'
}
