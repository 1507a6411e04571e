#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: every pktpath module (and the in-tree e1000, e1000e) must unload, and,
# on a kernel with kmemleak (make check KERNEL=debug), nothing the suite
# allocated may be left unreferenced after the unload.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nf_lib.sh"
require_root_vm

MODS="pktpath_e1000 pktpath_nf e1000 e1000e"
ktap_plan 5

# The PCI IDs it binds: QEMU's three 8254x models and its 82574L, nothing
# it was not tested on (the real 82544EI, 8086:1008, needs errata handling).
ko=$PKTPATH_DIR/driver/pktpath_e1000.ko
[ -f "$ko" ] || ko=pktpath_e1000
ids=$(modinfo -F alias "$ko" |
	sed -n 's/^pci:v00008086d0000\([0-9A-F]*\)sv.*/\1/p' | sort | tr '\n' ' ')
ktap_diag "pktpath_e1000 binds 8086: $ids"
ktap_check "pktpath_e1000 binds exactly 8086:100c, 100e, 100f, 10d3 (modinfo)" test "$ids" = "100C 100E 100F 10D3 "

# Our modules load and unload even when no test loaded them.
ktap_check "pktpath_nf loads" nf_load
ktap_check "pktpath_e1000 loads" load_driver pktpath_e1000

unload_all() {
	local m
	for m in $MODS; do
		if lsmod | grep -q "^$m "; then
			rmmod "$m" || return 1
		fi
	done
	! lsmod | grep -Eq "^(${MODS// /|}) "
}
ktap_check "modules unload: $MODS" unload_all

kl=/sys/kernel/debug/kmemleak
# make check KERNEL=debug's leak pass (README, "Test tiers"): the second VM
# boots with kmemleak=off, the first switches it off here, after the leak
# tests' scan (PKTPATH_KMEMLEAK_PASS=1), for the tests that follow. Then
# the file is still there, but a scan is refused and reads nothing.
kl_off=/tmp/pktpath.kmemleak-off
if [ -w "$kl" ] && [ -f "$kl_off" ]; then
	ktap_skip "kmemleak: no leaks after unload" "kmemleak switched off after this VM's leak pass"
elif [ -w "$kl" ] && grep -qw kmemleak=off /proc/cmdline; then
	ktap_skip "kmemleak: no leaks after unload" "kmemleak=off in this VM"
elif [ -w "$kl" ]; then
	# Objects freed by RCU callbacks need a moment before the scan.
	sleep 5
	if ! { echo scan >"$kl" && echo scan >"$kl"; }; then
		ktap_not_ok "kmemleak: no leaks after unload"
		ktap_diag "kmemleak refused the scan (disabled by an error?)"
		ktap_finish
	fi
	leaks=$(cat "$kl")
	if [ -z "$leaks" ]; then
		ktap_ok "kmemleak: no leaks after unload"
	else
		echo "$leaks" | head -n 40 | sed 's/^/# /'
		ktap_not_ok "kmemleak: no leaks after unload"
	fi
	if [ "${PKTPATH_KMEMLEAK_PASS:-0}" = 1 ] && echo off >"$kl"; then
		touch "$kl_off"
		ktap_diag "the leak pass is over: kmemleak off for the rest of this VM's tests"
	fi
else
	ktap_skip "kmemleak: no leaks after unload" "kernel without kmemleak"
fi
ktap_finish
