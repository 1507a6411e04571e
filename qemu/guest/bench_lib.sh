# SPDX-License-Identifier: GPL-2.0
#
# Measurements shared by the benchmarks that run in the VM (sourced).

# iperf_tcp FROM_NS TO_NS DST SECS [OPTS]: TCP throughput in Mbit/s, as
# the receiver saw it (OPTS: "-R", the server sends; "-P 4", 4 streams).
iperf_tcp() {
	local out
	nsx "$2" iperf3 -s -D -1 >/dev/null
	sleep 0.5
	out=$(nsx "$1" iperf3 -c "$3" -t "$4" -f m ${5:-} 2>&1)
	# the last receiver line: the [SUM] one with several streams
	echo "$out" | awk '/receiver/ { v = $(NF-2); f = 1 } END { print f ? v : 0 }'
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

# pktgen_flood NS IF DST DST_MAC PORT SECS CLONE [SRC6]: pktgen from IF
# (in NS) at full speed for SECS, 64-byte UDP frames to DST:PORT (IPv4,
# or IPv6 from SRC6: 84 bytes) by way of DST_MAC, each skb sent CLONE
# more times (0 where the device cannot share skbs, as veth); prints the
# rate it reached (packets/s) and the packets it sent, a line each.
pktgen_flood() {
	local ns=$1 dev=$2 c pid opts
	pg "$ns" kpktgend_0 rem_device_all
	pg "$ns" kpktgend_0 "add_device $dev"
	if [[ "$3" == *:* ]]; then
		opts=("dst6 $3" "src6 $8" "pkt_size 80")
	else
		opts=("dst $3" "pkt_size 60")
	fi
	opts+=("count 0" "clone_skb $7" "delay 0" "dst_mac $4"
		"udp_dst_min $5" "udp_dst_max $5" "udp_src_min 9" "udp_src_max 9")
	for c in "${opts[@]}"; do
		pg "$ns" "$dev" "$c"
	done
	ip netns exec "$ns" bash -c 'echo start >/proc/net/pktgen/pgctrl' &
	pid=$!
	sleep "$6"
	ip netns exec "$ns" bash -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait $pid
	ip netns exec "$ns" cat "/proc/net/pktgen/$dev" | awk '
		/pkts-sofar:/ { sent = $2 }
		{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+pps$/) pps = $i + 0 }
		END { print pps + 0; print sent + 0 }'
}

# pg NS FILE CMD: one pktgen command, in NS's view of /proc/net/pktgen.
pg() {
	ip netns exec "$1" bash -c "echo '$3' >/proc/net/pktgen/$2"
}
