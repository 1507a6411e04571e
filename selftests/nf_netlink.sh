#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed netlink requests straight to pktpath_nf (nf_badmsg, built from
# nf_badmsg.c by 'make'): every one refused with an errno and, where the
# kernel can say why, a message; the ruleset left exactly as it was.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm
require_nf

bin=$(dirname "$0")/nf_badmsg
if [ ! -x "$bin" ]; then
	ktap_plan 0
	ktap_diag "SKIP: nf_badmsg was not built"
	exit $ksft_skip
fi
NS=pp_badmsg
trap 'ip netns del $NS 2>/dev/null' EXIT
ip netns add "$NS"
ip netns exec "$NS" "$bin"
