#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: boot the VM with every topology, run the whole selftest
# list, print the KTAP stream, then exactly one summary line
# "N passed, N failed, N skipped" (cases, counted from the KTAP lines).
# Exits non-zero on any failed case, a guest timeout or crash, or a kernel
# splat in the guest log.
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernel=stock timeout=${PKTPATH_TIMEOUT:-} tests=all kdir=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--tests) tests=$2; shift ;;
	--kdir) kdir=$2; shift ;;
	*) die "usage: check.sh [--kernel stock|debug] [--kdir KDIR] [--timeout S] [--tests 'T...']" ;;
	esac
	shift
done

# The debug kernel runs 3-4x slower under TCG: there, by default, the
# suite covers the default NIC model, runs the feature tests (drv_*) on
# our driver only (the link tests still run the in-tree e1000 as the
# reference) and does 10 load/unload cycles; the stock run covers every
# model, both drivers everywhere and 50 cycles. Set the variables to
# override.
if [ "$kernel" = debug ]; then
	export PKTPATH_MODELS=${PKTPATH_MODELS-e1000}
	export PKTPATH_FEATURE_DRIVERS=${PKTPATH_FEATURE_DRIVERS-pktpath_e1000}
	export PKTPATH_CYCLES=${PKTPATH_CYCLES-10}
	export PKTPATH_TIMEOUT_SCALE=${PKTPATH_TIMEOUT_SCALE-3}
fi
# The whole guest's limit, a backstop for a hung kernel (tests have their own).
[ -n "$timeout" ] || timeout=$([ "$kernel" = debug ] && echo 3600 || echo 1800)

logdir=${PKTPATH_LOGDIR:-/tmp/pktpath-check-$kernel}
rm -rf "$logdir"
mkdir -p "$logdir"
start=$(date +%s)
# Code-quality gates on the host first (W=1 + sparse build, checkpatch).
if [ -n "$kdir" ]; then
	echo "# host: static checks against $kdir"
	bash "$PKTPATH_TOP/qemu/static-checks.sh" "$kdir" | sed 's/^/# /' | tee "$logdir/static.log"
fi
bash "$PKTPATH_TOP/qemu/vm.sh" --kernel "$kernel" --topo all --tests "$tests" \
	--timeout "$timeout" --logdir "$logdir"
vmrc=$?

# Count cases: the tests' own KTAP lines ("# ok N ..." inside the
# runner's stream). A test program that failed without a failing case of
# its own (crash, timeout, splat) counts as one failure.
read -r pass fail skip < <(awk '
	/^# (not )?ok [0-9]+ / {
		if ($2 == "not") { fail++; sec_fail++ }
		else if ($0 ~ /# SKIP/) skip++
		else pass++
		next
	}
	/^not ok [0-9]+ selftests: / { if (sec_fail == 0) fail++; sec_fail = 0; next }
	/^ok [0-9]+ selftests: / { sec_fail = 0; next }
	END { print pass + 0, fail + 0, skip + 0 }' $(ls "$logdir"/static.log "$logdir"/output.log 2>/dev/null) /dev/null)

if [ "$vmrc" != 0 ] && [ "$fail" = 0 ]; then
	fail=1
fi
case $vmrc in
0|1) ;;
124) note "the guest timed out (see above)" ;;
125) note "the guest died (see above)" ;;
126) note "a kernel splat was found (see above)" ;;
*) note "the VM run failed with status $vmrc" ;;
esac
note "$kernel kernel: suite took $(( $(date +%s) - start ))s; logs in $logdir"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ "$vmrc" = 0 ]
