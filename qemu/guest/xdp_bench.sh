#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP benchmark, in the VM: pktgen on the sender (pktpath_e1000 always,
# its thread on CPU 0) floods 64-byte UDP frames at the receiver, whose
# interrupt is pinned to CPU 1. Per receiver configuration, rounds
# alternating, it reports the frames the receiver dropped (or sent back)
# per second and CPU 1's busy time per frame, from /proc/stat:
#   native-ours    XDP_DROP, native mode, pktpath_e1000
#   generic-ours   XDP_DROP, generic mode, pktpath_e1000
#   generic-e1000  XDP_DROP, generic mode, in-tree e1000
#   nft-ingress    nftables netdev ingress drop, pktpath_e1000
#   tx-ours        XDP_TX (reflect), native, pktpath_e1000
#   tx-e1000       XDP_TX (reflect), generic, in-tree e1000
# plus what pktgen sent, to tell a sender limit from a receiver limit.
# Output lines: RESULT <config> <round> <metric> <value>.
source /pktpath/selftests/lib.sh
source /pktpath/selftests/xdp_lib.sh

SECS=${PKTPATH_XDP_SECS:-5} ROUNDS=${PKTPATH_XDP_ROUNDS:-3}
CONFIGS=${PKTPATH_XDP_CONFIGS:-"native-ours generic-ours generic-e1000 nft-ingress tx-ours tx-e1000"}
modprobe pktgen 2>/dev/null

read -r MAC_A MAC_B < <(cable_macs e1000)
BDF_A=$(nic_bdf "$MAC_A") BDF_B=$(nic_bdf "$MAC_B")

# setup RECEIVER_DRIVER: A on ours, B on RECEIVER_DRIVER, each in its
# namespace, B's interrupt on CPU 1.
setup() {
	cable_down_bench
	IF_A=$(bind_nic "$BDF_A" pktpath_e1000) && IF_B=$(bind_nic "$BDF_B" "$1") || return 1
	ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
	ip link set "$IF_A" netns "$NS_A" && ip link set "$IF_B" netns "$NS_B" || return 1
	ns_if_up "$NS_A" "$IF_A" "$IP_A/24" "$IP6_A/64" && ns_if_up "$NS_B" "$IF_B" "$IP_B/24" "$IP6_B/64" || return 1
	wait_until 10 carrier_is "$NS_A" "$IF_A" 1 && wait_until 10 carrier_is "$NS_B" "$IF_B" 1 || return 1
	echo 2 >"/proc/irq/$(cat "/sys/bus/pci/devices/$BDF_B/irq")/smp_affinity"
	ip -n "$NS_A" neigh replace "$IP_B" lladdr "$MAC_B" dev "$IF_A"
}

cable_down_bench() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	wait_until 5 test -n "$(nic_ifname "$BDF_A")"
	wait_until 5 test -n "$(nic_ifname "$BDF_B")"
	unbind_nic "$BDF_A"
	unbind_nic "$BDF_B"
}

# cpu1_ticks: CPU 1's busy time (all but idle and iowait) in USER_HZ
# ticks. Not irq + softirq alone: under load NAPI runs in ksoftirqd, which
# the kernel accounts as system time; nothing else runs on CPU 1 then.
cpu1_ticks() {
	awk '$1 == "cpu1" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# measure CONFIG ROUND COUNTER_CMD...: one flood; COUNTER_CMD prints the
# receiver's count of frames handled.
measure() {
	local cfg=$1 round=$2 port=$3 c0 c1 t0 t1 pps sent n
	shift 3
	c0=$("$@") t0=$(cpu1_ticks)
	{ read -r pps; read -r sent; } < <(pktgen_flood "$NS_A" "$IF_A" "$IP_B" "$MAC_B" "$port" "$SECS" 64)
	c1=$("$@") t1=$(cpu1_ticks)
	n=$((c1 - c0))
	echo "RESULT $cfg $round rate $((n / SECS))"
	echo "RESULT $cfg $round sent $pps"
	[ "$n" -gt 0 ] && echo "RESULT $cfg $round ns_per_frame $(( (t1 - t0) * 10000000 / n ))"
}

prog_count() {
	xdp_count "$NS_B" "$IF_B" 0
}

nft_count() {
	ip netns exec "$NS_B" nft -j list table netdev pp_bench |
		jq '[.nftables[].rule.expr[]? | .counter.packets? // empty] | add // 0'
}

run_config() {
	local cfg=$1 round=$2
	case "$cfg" in
	native-ours|generic-ours|nft-ingress|tx-ours) setup pktpath_e1000 ;;
	*) setup e1000 ;;
	esac || { echo "# $cfg: set-up failed"; return; }
	case "$cfg" in
	native-ours) xdp_attach "$NS_B" "$IF_B" xdpdrv xdp_drop_udp9 ;;
	generic-*) xdp_attach "$NS_B" "$IF_B" xdpgeneric xdp_drop_udp9 ;;
	tx-ours) xdp_attach "$NS_B" "$IF_B" xdpdrv xdp_tx_udp ;;
	tx-e1000) xdp_attach "$NS_B" "$IF_B" xdpgeneric xdp_tx_udp ;;
	nft-ingress)
		ip netns exec "$NS_B" nft -f - <<NFT
table netdev pp_bench {
	chain in {
		type filter hook ingress device "$IF_B" priority 0; policy accept;
		udp dport 9 counter drop
	}
}
NFT
		;;
	esac || { echo "# $cfg: attach failed"; return; }
	case "$cfg" in
	nft-ingress) measure "$cfg" "$round" 9 nft_count ;;
	tx-*) measure "$cfg" "$round" 7777 prog_count ;;
	*) measure "$cfg" "$round" 9 prog_count ;;
	esac
}

for round in $(seq "$ROUNDS"); do
	for cfg in $CONFIGS; do
		run_config "$cfg" "$round"
	done
done
cable_down_bench
