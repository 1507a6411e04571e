#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Random generic netlink requests to pktpath_nf (nf_fuzz, built from
# nf_fuzz.c by 'make'; a fixed seed, PKTPATH_FUZZ_COUNT of them, 50,000 by
# default): every one answered, no kernel splat (the VM run checks the
# log), and the module still working afterwards: a rule added and counting
# exactly what it matched.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

bin=$(dirname "$0")/nf_fuzz
if [ ! -x "$bin" ]; then
	ktap_plan 0
	ktap_diag "SKIP: nf_fuzz was not built"
	exit "$ksft_skip"
fi
NS=pp_fuzz
trap 'ip netns del $NS 2>/dev/null' EXIT
ktap_plan 2
ip netns add "$NS"
ip -n "$NS" link set lo up
count=${PKTPATH_FUZZ_COUNT:-$(work 50000)}
t0=$(now_ms)
out=$(ip netns exec "$NS" "$bin" 1 "$count" 2>&1)
rc=$?
ktap_diag "$out"
ktap_diag "$count requests in $(( $(now_ms) - t0 )) ms"
ktap_check "fuzz: $(grouped "$count") random requests (seed 1), every one answered" test $rc = 0

pp "$NS" ruleset flush
pp "$NS" rule add ip input handle 7 proto icmp icmp-type echo-request counter
nsx "$NS" ping -q -c 3 -i 0.2 127.0.0.1 >/dev/null
expect_eq "after the fuzzing: a new rule counts exactly the 3 echo requests" 3 \
	"$(rule_counter "$NS" ip input 7 packets)"
ktap_finish
