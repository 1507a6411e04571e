# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the pktpath_nf tests (nf_*.sh), sourced after lib.sh: load
# the module, build a client -- router -- server topology over veth or over
# the VM's emulated e1000 NICs, drive the pktpath tool, read counters.

# nf_load: conntrack, NAT, reject (modules on the stock kernel, built in on
# the debug one), then pktpath_nf itself.
nf_load() {
	modprobe -a nf_conntrack nf_nat nf_reject_ipv4 nf_reject_ipv6 \
		nf_defrag_ipv4 nf_defrag_ipv6 veth 2>/dev/null
	lsmod | grep -q '^pktpath_nf ' && return 0
	load_ours nfmod/pktpath_nf
}

# require_nf: skip the whole test when the module or the tool is missing.
require_nf() {
	if [ ! -x "$PKTPATH" ] || ! nf_load; then
		ktap_plan 0
		ktap_diag "SKIP: pktpath_nf or the pktpath tool is not available"
		exit $ksft_skip
	fi
}

# pp NS ARGS...: the pktpath tool in namespace NS.
pp() {
	local ns=$1
	shift
	ip netns exec "$ns" "$PKTPATH" "$@"
}

# pp_rules NS: 'ruleset show' without its "# generation N" line, which
# moves with every change.
pp_rules() {
	pp "$1" ruleset show | grep -v '^# generation '
}

# nf_router_up veth|DRIVER: client -- router -- server (lib.sh's names
# and addresses: $NS_C $NS_R $NS_S, $IF_C $IF_RL $IF_RR $IF_S, $IP_C ...)
# over two veth pairs, or over the router NICs bound to DRIVER.
nf_router_up() {
	if [ "$1" != veth ]; then
		router_up "$1"
		return
	fi
	local ns
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		ip netns add "$ns" || return 1
	done
	IF_C=veth_c IF_RL=veth_rl IF_RR=veth_rr IF_S=veth_s ROUTER_BDFS=
	ip -n "$NS_C" link add "$IF_C" type veth peer name "$IF_RL" netns "$NS_R" &&
		ip -n "$NS_R" link add "$IF_RR" type veth peer name "$IF_S" netns "$NS_S" || return 1
	router_addresses || return 1
	# The path works before a test starts counting.
	wait_until 10 nsx "$NS_C" ping -q -c 1 -W 1 "$IP_S" >/dev/null &&
		wait_until 10 nsx "$NS_C" ping -q -c 1 -W 1 "$IP6_S" >/dev/null
}

nf_router_down() {
	router_down
}

# rule_counter NS FAMILY HOOK HANDLE packets|bytes: one rule's counter,
# read from 'pktpath rule list FAMILY HOOK'.
rule_counter() {
	pp "$1" rule list "$2" "$3" | awk -v h="$4" -v what="$5" '
		$1 == "handle" && $2 == h {
			for (i = 3; i < NF; i++) if ($i == what) { print $(i + 1); exit }
		}'
}

# policy_counter NS FAMILY HOOK packets|bytes: a chain's policy counter.
policy_counter() {
	pp "$1" rule list "$2" "$3" | awk -v f="$2" -v hk="$3" -v what="$4" '
		$1 == f && $2 == hk && $3 == "policy" {
			for (i = 4; i < NF; i++) if ($i == what) { print $(i + 1); exit }
		}'
}

# chain_column NS FAMILY HOOK handle|packets: per rule of a chain, in
# order, its handle or its packet counter; with packets a last line
# "policy N", the policy's counter.
chain_column() {
	pp "$1" rule list "$2" "$3" | awk -v w="$4" -v f="$2" -v hk="$3" '
		$1 == f && $2 == hk && $3 == "policy" {
			for (i = 4; i < NF; i++) if ($i == "packets") pol = $(i + 1) }
		$1 == "handle" {
			if (w == "handle") { print $2; next }
			for (i = 3; i < NF; i++) if ($i == "packets") { print $(i + 1); break } }
		END { if (w == "packets") print "policy " pol + 0 }'
}

# counters_differ WANT GOT: the lines where two chain_column packet lists
# (files) differ, one a line ("rule 3: want 1, got 0"); nothing when equal.
counters_differ() {
	paste -d ' ' "$1" "$2" | awk '
		$1 == "policy" { if ($2 != $4) print "policy: want " $2 ", got " $4; next }
		$1 != $2 { print "rule " NR - 1 ": want " $1 ", got " $2 }'
}

# expect_eq DESCRIPTION WANT GOT: one case, with both values on failure.
expect_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_diag "wanted '$2', got '$3'"
		ktap_not_ok "$1"
	fi
}

# serve_peer NS PORT [FAMILY]: a one-shot TCP server in NS that answers
# each connection with the address it saw the peer connect from.
serve_peer() {
	local fam=${3:-4}
	# A backstop only (stop_servers ends them): it must outlast a slow
	# round of cases, or the last cases find no server.
	ip netns exec "$1" timeout $((300 * ${PKTPATH_TIMEOUT_SCALE:-1})) \
		socat -t $((3 * ${PKTPATH_TIMEOUT_SCALE:-1})) "TCP$fam-LISTEN:$2,reuseaddr,fork" \
		SYSTEM:'echo $SOCAT_PEERADDR' >/dev/null 2>&1 &
	SERVE_PIDS="${SERVE_PIDS:-} $!"
	wait_until 5 bash -c "ip netns exec $1 ss -Hltn 'sport = :$2' | grep -q ."
}

# serve_text NS PORT TEXT: a TCP server in NS answering TEXT.
serve_text() {
	ip netns exec "$1" timeout $((300 * ${PKTPATH_TIMEOUT_SCALE:-1})) \
		socat -t $((3 * ${PKTPATH_TIMEOUT_SCALE:-1})) "TCP-LISTEN:$2,reuseaddr,fork" \
		SYSTEM:"echo $3" >/dev/null 2>&1 &
	SERVE_PIDS="${SERVE_PIDS:-} $!"
	wait_until 5 bash -c "ip netns exec $1 ss -Hltn 'sport = :$2' | grep -q ."
}

stop_servers() {
	local p
	for p in ${SERVE_PIDS:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	SERVE_PIDS=
}

# ask NS DST PORT: connect and print what the server said (empty on failure).
ask() {
	local scale=${PKTPATH_TIMEOUT_SCALE:-1}
	# Our stdin is empty at once: without -t socat gives the server only
	# 0.5 s after that to answer, less than a fork and exec take on the
	# debug kernel with two VMs on two cores. The limits scale too.
	ip netns exec "$1" timeout $((5 * scale)) socat -T $((3 * scale)) -t $((3 * scale)) \
		- "TCP:$2:$3" </dev/null 2>/dev/null
}

# ip6_full ADDR: an IPv6 address (brackets allowed) as 8 zero-padded
# groups, so that fd02::1 and [fd02:0000:...:0001] compare equal.
ip6_full() {
	local a=${1//[\[\]]/} head tail g s= n i
	local -a h t out
	if [[ "$a" == *::* ]]; then
		head=${a%%::*} tail=${a##*::}
	else
		head=$a tail=
	fi
	IFS=: read -r -a h <<<"$head"
	IFS=: read -r -a t <<<"$tail"
	n=$((8 - ${#h[@]} - ${#t[@]}))
	out=("${h[@]}")
	for ((i = 0; i < n; i++)); do out+=(0); done
	out+=("${t[@]}")
	for g in "${out[@]}"; do s+=$(printf '%04x:' "0x$g"); done
	echo "${s%:}"
}

# connect_dropped NS DST PORT: a TCP connection gets no answer at all. The
# SYN's answer would take milliseconds on these paths: 1 s of silence is
# the proof (the caller checks the dropping rule's counter as well).
connect_dropped() {
	local out t0 err=/tmp/connect_dropped.err
	t0=$(now_ms)
	out=$(ip netns exec "$1" timeout 3 socat -T 1 - "TCP:$2:$3,connect-timeout=1" \
		</dev/null 2>"$err")
	acct dropwait "$t0"
	[ -z "$out" ] && ! grep -qi refused "$err"
}

# connect_refused NS DST PORT: the connection is refused (a TCP reset
# came back) rather than timing out.
connect_refused() {
	local out
	out=$(ip netns exec "$1" timeout 5 socat -T 3 - "TCP:$2:$3,connect-timeout=3" </dev/null 2>&1)
	echo "$out" | grep -q 'Connection refused'
}
