#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath_nf's classifier on real packets against a plain linear
# first-match walk (nf_model.awk): random rulesets (addresses of every
# prefix length, tcp/udp/icmp, single ports and ranges, ICMP types, drop,
# accept and counter rules) in the router's forward chain, random packets
# (most inside some rule's box) crafted below the client's stack
# (pp_craft), and every rule's counter and the policy's compared with what
# the linear walk gives each rule. Each ruleset is checked as loaded (the
# tree built for it), after a few single-rule edits (deletes, inserts at
# an index, appends: the tree carried over with its list of added rules)
# and after more additions than that list holds (PP_CLS_MAX_INS, 32: the
# tree built again, and edited again).
# IPv4 and IPv6. The host's cls_test does the same over every field with
# thousands of rulesets; this proves the module as loaded, on the wire.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

CRAFT=$(dirname "$0")/pp_craft
MODEL=$(dirname "$0")/nf_model.awk
if [ ! -x "$CRAFT" ]; then
	ktap_plan 0
	ktap_diag "SKIP: pp_craft is not built (make -C selftests)"
	exit "$ksft_skip"
fi
ROUNDS=$(work 2 1)
CASES=$(( 2 * ROUNDS * 3 ))
ktap_plan "$CASES"
trap 'nf_router_down' EXIT
trap 'exit 143' TERM INT
if ! nf_router_up veth; then
	fail_cases "$CASES" "classifier equivalence"
	exit 1
fi
# The packets' destinations lie behind the server, which drops them (it
# does not forward): each crosses the router's forward chain once.
ip -n "$NS_R" route add 10.64.0.0/16 via "$IP_S" &&
	ip -n "$NS_R" -6 route add fd40::/112 via "$IP6_S" &&
	ip netns exec "$NS_S" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
MAC_RL=$(ip -n "$NS_R" -j link show "$IF_RL" | jq -r '.[0].address')
T=$(mktemp -d)
trap 'nf_router_down; rm -rf "$T"' EXIT

model() {
	awk -f "$MODEL" "$@"
}

# column FAMILY handle|packets: the router's forward chain's (nf_lib.sh).
column() {
	chain_column "$NS_R" "$1" forward "$2"
}

# decided FAMILY: packets the chain decided (its terminal rules and its
# policy): once every packet sent has been, the counters are complete.
decided() {
	paste -d ' ' "$T/rules" <(column "$1" packets) |
		awk '$8 != "counter" || $1 == "policy" { n += $NF } END { print n + 0 }'
}

decided_all() {
	test "$(decided "$1")" -ge "$2"
}

# check FAMILY SEED DESCRIPTION: random packets against the chain as it
# stands and the model's rules in $T/rules.
check() {
	local fam=$1 seed=$2 desc=$3 n=300 diff
	model -v mode=pkts -v n="$n" -v seed="$seed" "$T/rules" >"$T/pkts"
	pp "$NS_R" counters reset
	if ! nsx "$NS_C" "$CRAFT" "$IF_C" "$MAC_RL" - <"$T/pkts" 2>"$T/craft.err"; then
		ktap_diag "$(cat "$T/craft.err")"
		ktap_not_ok "$desc (pp_craft failed)"
		return
	fi
	wait_until 10 decided_all "$fam" "$n"
	model -v mode=expect "$T/rules" "$T/pkts" >"$T/want"
	column "$fam" packets >"$T/got"
	diff=$(counters_differ "$T/want" "$T/got" | head -n 5)
	if [ -z "$diff" ]; then
		ktap_diag "$desc: $(grep -vc '^0$' "$T/want") of $(wc -l <"$T/rules") rules hit, $(tail -n 1 "$T/got")"
		ktap_ok "$desc"
		return
	fi
	ktap_diag "$diff"
	paste -d ' ' "$T/want" "$T/got" | awk '$1 != $2 && $1 != "policy" { print NR; exit }' |
		while read -r i; do ktap_diag "first differing rule: $(sed -n "${i}p" "$T/rules")"; done
	ktap_not_ok "$desc"
}

# edit FAMILY 4|6 COUNT [add]: COUNT random single-rule edits (a delete,
# an insert at a random index, an append, in turn; with 'add' no deletes),
# in the chain and in the model's rules alike.
edit() {
	local fam=$1 f=$2 count=$3 kinds=3 skip=0 i n pos h line
	[ "${4:-}" = add ] && kinds=2 skip=1
	model -v mode=gen -v kind=random -v n="$count" -v seed=$RANDOM -v fam="$f" >"$T/new"
	for ((i = 0; i < count; i++)); do
		n=$(wc -l <"$T/rules")
		pos=$(( RANDOM % n ))
		line=$(sed -n "$((i + 1))p" "$T/new")
		case $(( i % kinds + skip )) in
		0)	h=$(column "$fam" handle | sed -n "$((pos + 1))p")
			pp "$NS_R" rule del "$fam" forward handle "$h" || return 1
			sed -i "$((pos + 1))d" "$T/rules" ;;
		1)	# shellcheck disable=SC2046 # the rule's words
			pp "$NS_R" rule insert index "$pos" $(echo "$line" | model -v mode=pktpath -v hook=forward) ||
				return 1
			sed -i "$((pos + 1))i $line" "$T/rules" ;;
		2)	# shellcheck disable=SC2046
			pp "$NS_R" rule add $(echo "$line" | model -v mode=pktpath -v hook=forward) || return 1
			echo "$line" >>"$T/rules" ;;
		esac
	done
}

for fam in ip ip6; do
	f=4
	[ "$fam" = ip6 ] && f=6
	for ((r = 1; r <= ROUNDS; r++)); do
		seed=$(( r * 100 + f ))
		n=$(( 150 + seed * 7 % 250 ))
		model -v mode=gen -v kind=random -v n="$n" -v seed="$seed" -v fam="$f" >"$T/rules"
		model -v mode=pktpath -v hook=forward "$T/rules" | pp "$NS_R" ruleset load -
		check "$fam" $((seed + 1)) "$fam ruleset $r ($n rules, seed $seed): counters as a linear walk gives them"
		RANDOM=$seed
		edit "$fam" "$f" 9 || ktap_diag "an edit failed"
		check "$fam" $((seed + 2)) "$fam ruleset $r after 9 single-rule edits: as a linear walk"
		edit "$fam" "$f" 34 add || ktap_diag "an edit failed"
		check "$fam" $((seed + 3)) "$fam ruleset $r after 34 more inserts and appends (40 added: the tree built again): as a linear walk"
	done
	pp "$NS_R" ruleset flush
done
ktap_finish
