#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP_REDIRECT between NICs: on the router topology, a program on the
# router's left NIC sends UDP to port 7778 through a devmap out of its
# right NIC, unchanged (no routing, no TTL change), where the server
# captures it. With pktpath_e1000 on both router NICs this is native XDP
# in, ndo_xdp_xmit out; the in-tree e1000 does it in generic mode.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/xdp_lib.sh"
require_root_vm

N=20

# redirect_case DRIVER: N datagrams from the client arrive at the server
# without passing the router's stack (its forwarding is off).
redirect_case() {
	local drv=$1 mode ifindex x0 x1 frames fwd0 fwd1 rc=0
	mode=$(xdp_mode "$drv")
	# Only XDP can carry them: the router does not forward.
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=0
	ifindex=$(ip -n "$NS_R" -j link show dev "$IF_RR" | jq .[0].ifindex)
	xdp_attach "$NS_R" "$IF_RL" "$mode" xdp_redirect_udp || return 1
	xdp_map_set "$NS_R" "$IF_RL" tx_port 0 $(le32 "$ifindex") || rc=1
	x0=$(ethtool_stat "$NS_R" "$IF_RR" tx_queue_0_xdp_xmit)
	fwd0=$(link_counter "$NS_R" "$IF_RR" tx packets)
	capture_start "$NS_S" "$IF_S" "$N" /tmp/xdp_redir.cap "udp dst port 7778"
	udp_burst "$NS_C" "$IP_S" 7778 "$N"
	capture_wait 10
	frames=$(grep -c "> $IP_S.7778: UDP" /tmp/xdp_redir.cap)
	x1=$(ethtool_stat "$NS_R" "$IF_RR" tx_queue_0_xdp_xmit)
	fwd1=$(link_counter "$NS_R" "$IF_RR" tx packets)
	ktap_diag "$drv: $N datagrams: program redirected $(xdp_count "$NS_R" "$IF_RL" 0), server captured $frames; right NIC tx +$((fwd1 - fwd0)), ndo_xdp_xmit +$((x1 - x0))"
	[ "$frames" = "$N" ] && [ "$(xdp_count "$NS_R" "$IF_RL" 0)" = "$N" ] || rc=1
	if [ "$drv" = pktpath_e1000 ]; then
		[ $((x1 - x0)) = "$N" ] || rc=1
	fi
	xdp_detach "$NS_R" "$IF_RL" "$mode"
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
	return $rc
}

# redirect_down DRIVER: with the target NIC down, the redirect fails and
# the frames are dropped and counted as redirect errors on the receiving
# NIC; once the target is back, redirection works again.
redirect_down() {
	local drv=$1 ifindex e0 e1 rc=0
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=0
	ifindex=$(ip -n "$NS_R" -j link show dev "$IF_RR" | jq .[0].ifindex)
	xdp_attach "$NS_R" "$IF_RL" xdpdrv xdp_redirect_udp || return 1
	xdp_map_set "$NS_R" "$IF_RL" tx_port 0 $(le32 "$ifindex") || rc=1
	ip -n "$NS_R" link set "$IF_RR" down
	e0=$(ethtool_stat "$NS_R" "$IF_RL" rx_queue_0_xdp_redirect)
	e1=$(ethtool_stat "$NS_R" "$IF_RL" rx_queue_0_xdp_redirect_errors)
	udp_burst "$NS_C" "$IP_S" 7778 5
	wait_until 3 eval 'test "$(xdp_count "$NS_R" "$IF_RL" 0)" -ge 5'
	e0=$(( $(ethtool_stat "$NS_R" "$IF_RL" rx_queue_0_xdp_redirect) - e0 ))
	e1=$(( $(ethtool_stat "$NS_R" "$IF_RL" rx_queue_0_xdp_redirect_errors) - e1 ))
	ktap_diag "$drv: target down: program redirected $(xdp_count "$NS_R" "$IF_RL" 0); xdp_redirect +$e0, xdp_redirect_errors +$e1"
	ip -n "$NS_R" link set "$IF_RR" up
	wait_until 10 carrier_is "$NS_R" "$IF_RR" 1 || rc=1
	[ "$(xdp_count "$NS_R" "$IF_RL" 0)" = 5 ] && [ $e0 = 0 ] && [ $e1 = 5 ] || rc=1
	xdp_detach "$NS_R" "$IF_RL" xdpdrv
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
	[ $rc = 0 ] && redirect_case "$drv"
}

# xdp-bench redirect IF_RL IF_RR (its own devmap program, needs the
# kernel's BTF): N datagrams from the client captured at the server.
bench_redirect() {
	local bench frames x0 rc=0
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=0
	x0=$(ethtool_stat "$NS_R" "$IF_RR" tx_queue_0_xdp_xmit)
	xnsx "$NS_R" timeout -s INT 10 xdp-bench redirect -i 1 "$IF_RL" "$IF_RR" >/tmp/xdp_bench_r.out 2>&1 &
	bench=$!
	wait_until 8 grep -q "(ifindex [0-9]*; driver" /tmp/xdp_bench_r.out || rc=1
	capture_start "$NS_S" "$IF_S" "$N" /tmp/xdp_redir_b.cap "udp dst port 7778"
	udp_burst "$NS_C" "$IP_S" 7778 "$N"
	capture_wait 10
	frames=$(grep -c "> $IP_S.7778: UDP" /tmp/xdp_redir_b.cap)
	kill -INT $bench 2>/dev/null
	wait $bench
	x0=$(( $(ethtool_stat "$NS_R" "$IF_RR" tx_queue_0_xdp_xmit) - x0 ))
	ktap_diag "xdp-bench redirect: server captured $frames of $N, ndo_xdp_xmit +$x0; $(grep -m1 '^Redirecting' /tmp/xdp_bench_r.out)"
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
	[ $rc = 0 ] && [ "$frames" = "$N" ] && [ "$x0" -ge "$N" ]
}

drivers=${PKTPATH_FEATURE_DRIVERS}
plan=0
for d in $drivers; do
	[ "$d" = pktpath_e1000 ] && plan=$((plan + 3)) || plan=$((plan + 1))
done
ktap_plan $plan
trap router_down EXIT
trap 'exit 143' TERM INT
for d in $drivers; do
	if router_up "$d" && ip -n "$NS_C" neigh replace "$IP_RL" lladdr \
		"$(ip -n "$NS_R" -j link show dev "$IF_RL" | jq -r .[0].address)" dev "$IF_C"; then
		ktap_check "$d: XDP_REDIRECT through a devmap to the router's other NIC" redirect_case "$d"
		if [ "$d" = pktpath_e1000 ]; then
			ktap_check "$d: redirect to a NIC that is down: refused, counted, then works" redirect_down "$d"
			if [ -e /sys/kernel/btf/vmlinux ]; then
				ktap_check "$d: xdp-bench redirect between the router's NICs" bench_redirect
			else
				ktap_skip "$d: xdp-bench redirect between the router's NICs" "no kernel BTF (/sys/kernel/btf/vmlinux)"
			fi
		fi
	else
		fail_cases $([ "$d" = pktpath_e1000 ] && echo 3 || echo 1) "$d: router topology"
	fi
	router_down
done
ktap_finish
