#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nf, inside the VM: forwarding through the router namespace
# (client -- router -- server over veth) with N rules that the bench's
# traffic does not match in the router's forward chain, then one that
# accepts it, for each kind of ruleset (selftests/nf_model.awk):
#   single    saddr /32 drop (the first rounds' bench)
#   mixed     random source and destination prefixes of every length, tcp
#             or udp or any, no port, a port or a range
#   ranges    one subnet pair (the bench's own), udp, N disjoint destination
#             port ranges (65,534 at most: there are no more ports)
#   counters  mixed with a counter rule every 10 rules
#   ip6       mixed over IPv6 (IPv6 traffic)
# for pktpath_nf, nftables with the same rules in a chain (linear) and
# nftables with them as one concatenated interval set (saddr . daddr .
# proto . dport, where nft can say it: not 'counters', whose counter rules
# a set cannot hold, and not where rules overlap, since a concatenated
# interval set refuses overlapping elements: 'File exists'). Measures TCP
# throughput (iperf3), the 64-byte UDP rate (packets the receiver got per
# second; 80-byte frames over IPv6) and the forwarded 64-byte rate of
# pktgen's frames (fwd64), and for pktpath_nf: the time of
# one 'rule del' and one 'rule add' at N rules (median of 5), the kernel memory a load
# of N rules takes (slab + vmalloc + per-CPU), and a probe packet inside
# a rule deep in the chain, which must be counted exactly as a linear
# first-match walk says (every rule's counter compared). The 0-rule rate
# is measured per family and round, and again just before each ruleset:
# the ratios (tcp_vs0, udp64_vs0, fwd64_vs0) are to that one, so the machine's drift
# over the hour does not read as a cost of the rules. One rule shows the
# fixed cost of a hook in the path. Prints "RESULT <impl>:<kind> <rules>
# <round> <metric> <value>" lines.
source /pktpath/selftests/lib.sh
source /pktpath/selftests/nf_lib.sh
source /pktpath/guest/bench_lib.sh
ROUNDS=${PKTPATH_BENCH_ROUNDS:-3}
SECS=${PKTPATH_BENCH_SECS:-3}
SIZES=${PKTPATH_BENCH_RULES:-"1 1000 10000 65536"}
KINDS=${PKTPATH_BENCH_KINDS:-"single mixed ranges counters ip6"}
IMPLS=${PKTPATH_BENCH_IMPLS:-"pktpath nft nftset"}
MODEL=/pktpath/selftests/nf_model.awk
CRAFT=/pktpath/selftests/pp_craft
T=/tmp/nf_bench
mkdir -p "$T"
nf_load || exit 1
modprobe -a nf_tables pktgen 2>/dev/null
trap nf_router_down EXIT
nf_router_up veth || { echo "topology failed"; exit 1; }
# Probe packets go anywhere: the server takes what is not its own and
# drops it (it does not forward).
ip -n "$NS_R" route add default via "$IP_S"
ip -n "$NS_R" -6 route add default via "$IP6_S"
ip netns exec "$NS_S" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
MAC_RL=$(ip -n "$NS_R" -j link show "$IF_RL" | jq -r '.[0].address')
MAX=$(echo $SIZES | tr ' ' '\n' | sort -n | tail -n 1)

fam_of() {
	[ "$1" = ip6 ] && echo 6 || echo 4
}

# The rules of every kind, once, at the largest size: N rules are the
# first N lines (the generator is sequential), then the accepting one.
for kind in $KINDS; do
	k=$kind
	[ "$kind" = ip6 ] && k=mixed
	awk -f "$MODEL" -v mode=gen -v kind="$k" -v n="$MAX" -v seed=7 -v fam="$(fam_of "$kind")" \
		>"$T/$kind.all"
done

# rules KIND N: the model's rules for KIND at N, the accepting one last
# (a chain holds 65,536: at that size, 65,535 and the accepting one). Port
# ranges are N slots over the ports: made for each N.
rules() {
	local n=$(( $2 < 65536 ? $2 : 65535 ))
	if [ "$1" = ranges ]; then
		awk -f "$MODEL" -v mode=gen -v kind=ranges -v n="$n" -v seed=7 -v fam=4
	else
		head -n "$n" "$T/$1.all"
	fi
	if [ "$(fam_of "$1")" = 4 ]; then
		echo "4 $IP_C/32 - - - - - accept"
	else
		echo "6 $IP6_C/128 - - - - - accept"
	fi
}

configure() {
	local impl=$1 kind=$2 n=$3 fam
	fam=$(fam_of "$kind")
	rules "$kind" "$n" >"$T/rules"
	case $impl in
	pktpath)
		awk -f "$MODEL" -v mode=pktpath -v hook=forward "$T/rules" >"$T/bench.rules"
		pp "$NS_R" ruleset load "$T/bench.rules" ;;
	nft)
		{ echo "table inet bench {"
		  echo "chain bench_forward { type filter hook forward priority 0;"
		  awk -f "$MODEL" -v mode=nft "$T/rules"
		  echo "}"; echo "}"; } >"$T/bench.nft"
		nsx "$NS_R" nft -f "$T/bench.nft" ;;
	nftset)
		case $kind in counters|mixed|ip6) return 2 ;; esac
		local ip=ip ty=ipv4_addr
		[ "$fam" = 6 ] && ip=ip6 ty=ipv6_addr
		{ echo "table inet bench {"
		  echo "set bad { type $ty . $ty . inet_proto . inet_service; flags interval; }"
		  echo "chain bench_forward { type filter hook forward priority 0;"
		  echo "$ip saddr . $ip daddr . meta l4proto . th dport @bad drop"
		  tail -n 1 "$T/rules" | awk -f "$MODEL" -v mode=nft
		  echo "}"; echo "}"
		  # in statements of 1,000 elements: one of 10,000 overflows a
		  # netlink message
		  head -n "$n" "$T/rules" | awk -f "$MODEL" -v mode=nftset |
			awk '{ e = e (e == "" ? "" : ", ") $0 }
			     NR % 1000 == 0 { print "add element inet bench bad { " e " }"; e = "" }
			     END { if (e != "") print "add element inet bench bad { " e " }" }'
		} >"$T/bench.nft"
		nsx "$NS_R" nft -f "$T/bench.nft" ;;
	esac
}

unconfigure() {
	pp "$NS_R" ruleset flush
	nsx "$NS_R" nft flush ruleset
}

# fwd64 4|6: 64-byte UDP frames (84 over IPv6) that pktgen sends from the
# client at full speed, forwarded by the router: per second the server's
# interface received. The kernel alone makes and moves them, so this
# rate swings a few percent where iperf3's, with its sender and receiver
# processes scheduled around the softirqs, swings tens of percent.
fwd64() {
	local dst=$IP_S src6= s0
	[ "$1" = 6 ] && dst=$IP6_S src6=$IP6_C
	s0=$(link_counter "$NS_S" "$IF_S" rx packets)
	# to iperf3's port, the one the ranges kind leaves open
	pktgen_flood "$NS_C" "$IF_C" "$dst" "$MAC_RL" 5201 "$SECS" 0 $src6 >/dev/null
	echo $(( ($(link_counter "$NS_S" "$IF_S" rx packets) - s0) / SECS ))
}

# rates TAG: TCP, UDP (iperf3) and forwarded 64-byte rates of TAG's family.
rates() {
	local dst=$IP_S fam=4
	[[ "$1" == *ip6 || "$1" == *base6 ]] && dst=$IP6_S fam=6
	echo "$(iperf_tcp "$NS_C" "$NS_S" "$dst" "$SECS") $(iperf_udp64 "$NS_C" "$NS_S" "$dst" "$SECS") $(fwd64 $fam)"
}

# measure TAG N ROUND [TCP0 UDP0 FWD0]: the three rates; with the 0-rule
# rates measured just before, their ratios too.
measure() {
	local tag=$1 n=$2 round=$3 tcp udp fwd
	read -r tcp udp fwd < <(rates "$tag")
	echo "RESULT $tag $n $round tcp_mbit $tcp"
	echo "RESULT $tag $n $round udp64_pps $udp"
	echo "RESULT $tag $n $round fwd64_pps $fwd"
	[ $# = 6 ] || return 0
	awk -v t="$tcp" -v t0="$4" -v u="$udp" -v u0="$5" -v f="$fwd" -v f0="$6" \
		-v p="RESULT $tag $n $round" \
		'BEGIN { if (t0 > 0) printf "%s tcp_vs0 %.3f\n", p, t / t0
			 if (u0 > 0) printf "%s udp64_vs0 %.3f\n", p, u / u0
			 if (f0 > 0) printf "%s fwd64_vs0 %.3f\n", p, f / f0 }'
}

# Kernel memory in kB: slab, vmalloc and per-CPU areas.
kmem_kb() {
	awk '$1 == "Slab:" || $1 == "VmallocUsed:" || $1 == "Percpu:" { s += $2 } END { print s }' /proc/meminfo
}

# median_ms CMD...: the median of 5 runs of CMD, in ms.
median_ms() {
	local i t0 ts=()
	for i in 1 2 3 4 5; do
		t0=$(now_ms)
		"$@" >/dev/null || return 1
		ts+=($(( $(now_ms) - t0 )))
	done
	printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p
}

# del_add: delete the chain's first rule, then add it back at the end (a
# full chain, 65,536 rules, takes no add before a delete).
del_add() {
	local h rule
	read -r h rule < <(pp "$NS_R" rule list ip forward |
		awk '$1 == "handle" { h = $2; $1 = $2 = ""; sub(/ packets .*/, ""); print h, $0; exit }')
	pp "$NS_R" rule del ip forward handle "$h" &&
		pp "$NS_R" rule add ip forward $rule
}

# probe KIND N ROUND: one packet inside the box of a rule 90% down the
# chain; every rule's counter as a linear walk gives it.
probe() {
	local kind=$1 n=$2 r=$3 fam=ip k bad
	[ "$kind" = ip6 ] && fam=ip6
	k=$(( $(wc -l <"$T/rules") - 2 - n / 10 ))
	awk -f "$MODEL" -v mode=probe -v k="$k" -v seed="$r" "$T/rules" >"$T/probe"
	if [ ! -s "$T/probe" ]; then
		echo "# probe $kind $n: no rule from $k on that a probe can hit"
		return 0
	fi

	awk -f "$MODEL" -v mode=expect "$T/rules" "$T/probe" >"$T/want"
	pp "$NS_R" counters reset
	nsx "$NS_C" "$CRAFT" "$IF_C" "$MAC_RL" - <"$T/probe" 2>/dev/null
	sleep 0.5
	chain_column "$NS_R" "$fam" forward packets >"$T/got"
	bad=$(counters_differ "$T/want" "$T/got" | wc -l)
	echo "# probe $kind $n: $(cat "$T/probe") -> rule $(grep -n -m1 -v '^0$' "$T/want" | cut -d: -f1) of $((n + 1)); $bad counters differ"
	echo "RESULT pktpath:$kind $n $r probe_ok $([ "$bad" = 0 ] && echo 1 || echo 0)"
}

# Rounds alternate the order of the sizes and kinds, so that a drift of
# the machine over the run does not favour the first or the last.
for ((r = 1; r <= ROUNDS; r++)); do
	sizes=$SIZES kinds=$KINDS
	if [ $((r % 2)) = 0 ]; then
		sizes=$(echo $SIZES | tr ' ' '\n' | tac | tr '\n' ' ')
		kinds=$(echo $KINDS | tr ' ' '\n' | tac | tr '\n' ' ')
	fi
	for impl in $IMPLS; do
		unconfigure
		measure "$impl:base4" 0 "$r"
		measure "$impl:base6" 0 "$r"
	done
	for kind in $kinds; do
		for n in $sizes; do
			for impl in $IMPLS; do
				# a 65,535-element set loads in about 5 minutes: once
				[ "$impl" = nftset ] && [ "$n" -gt 10000 ] && [ "$r" -gt 1 ] && continue
				unconfigure
				# the old ruleset is freed after a grace period
				[ "$impl" = pktpath ] && sleep 1
				read -r tcp0 udp0 fwd0 < <(rates "$kind")
				m0=$(kmem_kb)
				t0=$(now_ms)
				configure "$impl" "$kind" "$n"
				rc=$?
				[ $rc = 2 ] && continue
				if [ $rc != 0 ]; then
					echo "# $impl with $n $kind rules failed to configure"
					continue
				fi
				echo "RESULT $impl:$kind $n $r load_ms $(( $(now_ms) - t0 ))"
				[ "$impl" = pktpath ] &&
					echo "RESULT pktpath:$kind $n $r kmem_kb $(( $(kmem_kb) - m0 ))"
				measure "$impl:$kind" "$n" "$r" "$tcp0" "$udp0" "$fwd0"
				[ "$impl" = pktpath ] || continue
				probe "$kind" "$n" "$r"
				[ "$kind" = mixed ] || continue
				echo "RESULT pktpath:$kind $n $r del_add_ms $(median_ms del_add)"
			done
		done
	done
done
# A delete and an add with one rule, for the table's first row.
unconfigure
pp "$NS_R" rule add ip forward saddr 172.31.255.77 drop
echo "RESULT pktpath:mixed 1 1 del_add_ms $(median_ms del_add)"
