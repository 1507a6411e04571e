#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nf, inside the VM: forwarding through the router namespace
# (client -- router -- server over veth) with N non-matching rules in the
# router's forward chain followed by one matching rule, N = 0, 100, 1000,
# 10000, for pktpath_nf, for nftables with the same rules written linearly
# and for nftables with the N addresses in one set. Measures TCP
# throughput (iperf3) and the 64-byte UDP rate (packets received per
# second). Prints "RESULT <impl> <rules> <round> <metric> <value>" lines.
source /pktpath/selftests/lib.sh
source /pktpath/selftests/nf_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-2}
SECS=${PKTPATH_BENCH_SECS:-4}
SIZES=${PKTPATH_BENCH_RULES:-"0 100 1000 10000"}
IMPLS=${PKTPATH_BENCH_IMPLS:-"pktpath nft nftset"}
nf_load || exit 1
modprobe -a nf_tables 2>/dev/null
trap nf_router_down EXIT
nf_router_up veth || { echo "topology failed"; exit 1; }

# addr I: the I-th non-matching source address (never the client's).
addrs() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "172.%d.%d.%d\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256 }'
}

configure() {
	local impl=$1 n=$2
	case $impl in
	pktpath)
		{ addrs "$n" | sed 's/^/ip forward saddr /; s/$/ drop/'
		  echo "ip forward saddr $IP_C accept"; } >/tmp/bench.rules
		pp "$NS_R" ruleset load /tmp/bench.rules ;;
	nft)
		{ echo "table ip bench { chain fwd { type filter hook forward priority 0;"
		  addrs "$n" | sed 's/^/ip saddr /; s/$/ drop/'
		  echo "ip saddr $IP_C accept; } }"; } >/tmp/bench.nft
		nsx "$NS_R" nft -f /tmp/bench.nft ;;
	nftset)
		{ echo "table ip bench { set bad { type ipv4_addr;"
		  [ "$n" -gt 0 ] && { echo "elements = {"; addrs "$n" | sed 's/$/,/'; echo "}"; }
		  echo "}"
		  echo "chain fwd { type filter hook forward priority 0;"
		  echo "ip saddr @bad drop; ip saddr $IP_C accept; } }"; } >/tmp/bench.nft
		nsx "$NS_R" nft -f /tmp/bench.nft ;;
	esac
}

unconfigure() {
	pp "$NS_R" ruleset flush
	nsx "$NS_R" nft flush ruleset
}

measure() {
	local impl=$1 n=$2 round=$3 out v
	nsx "$NS_S" iperf3 -s -D -1 >/dev/null
	sleep 0.5
	out=$(nsx "$NS_C" iperf3 -c "$IP_S" -t "$SECS" -f m 2>&1)
	v=$(echo "$out" | awk '/receiver/ { print $(NF-2) }')
	echo "RESULT $impl $n $round tcp_mbit ${v:-0}"
	nsx "$NS_S" iperf3 -s -D -1 >/dev/null
	sleep 0.5
	out=$(nsx "$NS_C" iperf3 -c "$IP_S" -u -b 0 -l 18 -t "$SECS" 2>&1)
	v=$(echo "$out" | awk -v t="$SECS" '/receiver/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) {
			split($i, a, "/"); printf "%d", (a[2] - a[1]) / t } }')
	echo "RESULT $impl $n $round udp64_pps ${v:-0}"
}

for ((r = 1; r <= ROUNDS; r++)); do
	for n in $SIZES; do
		for impl in $IMPLS; do
			unconfigure
			if configure "$impl" "$n"; then
				measure "$impl" "$n" "$r"
			else
				echo "# $impl with $n rules failed to configure"
			fi
		done
	done
done
unconfigure
