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
source /pktpath/guest/bench_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-3}
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
		{ echo "table ip bench { chain bench_forward { type filter hook forward priority 0;"
		  addrs "$n" | sed 's/^/ip saddr /; s/$/ drop/'
		  echo "ip saddr $IP_C accept"; echo "}"; echo "}"; } >/tmp/bench.nft
		nsx "$NS_R" nft -f /tmp/bench.nft ;;
	nftset)
		{ echo "table ip bench { set bad { type ipv4_addr;"
		  [ "$n" -gt 0 ] && { echo "elements = {"; addrs "$n" | sed 's/$/,/'; echo "}"; }
		  echo "}"
		  echo "chain bench_forward { type filter hook forward priority 0;"
		  echo "ip saddr @bad drop; ip saddr $IP_C accept"; echo "}"; echo "}"; } >/tmp/bench.nft
		nsx "$NS_R" nft -f /tmp/bench.nft ;;
	esac
}

unconfigure() {
	pp "$NS_R" ruleset flush
	nsx "$NS_R" nft flush ruleset
}

measure() {
	local impl=$1 n=$2 round=$3
	echo "RESULT $impl $n $round tcp_mbit $(iperf_tcp "$NS_C" "$NS_S" "$IP_S" "$SECS")"
	echo "RESULT $impl $n $round udp64_pps $(iperf_udp64 "$NS_C" "$NS_S" "$IP_S" "$SECS")"
}

# Rounds alternate the order of the sizes, so that a drift of the machine
# over the run does not favour the first or the last.
for ((r = 1; r <= ROUNDS; r++)); do
	sizes=$SIZES
	[ $((r % 2)) = 0 ] && sizes=$(echo $SIZES | tr ' ' '\n' | tac)
	for n in $sizes; do
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
