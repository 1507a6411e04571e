#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run pktpath selftests and print one KTAP stream, in the style of
# kselftest's runner: each test's own KTAP lines are prefixed with "# ",
# then one "ok"/"not ok" line per test program. A test that leaves a kernel
# splat in dmesg fails, whatever it printed. Arguments: test programs
# (default: tests.list, written by the host, else the Makefile's list).
# After each test: "# NAME took Ns" and, from lib.sh's time accounting,
# "# NAME spent: ref=Ns transfer=Ns wait=Ns dropwait=Ns" (make check's
# time table is made of these) and "# NAME slowest cases: #N Ns, ...".
cd "$(dirname "$0")" || exit 1

if [ $# -eq 0 ] || [ "$1" = all ]; then
	if [ -f tests.list ]; then
		read -r -a tests <tests.list
	else
		read -r -a tests < <(sed -n 's/^TEST_PROGS *:*= *//p' Makefile)
	fi
else
	tests=("$@")
fi
timeout_base=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout_base=${timeout_base:-300}
# Slower kernels (the debug one) scale every test's time limit.
timeout=$((timeout_base * ${PKTPATH_TIMEOUT_SCALE:-1}))
splat_re='BUG:|WARNING:|Oops|KASAN:|UBSAN:|possible (recursive|circular) locking|inconsistent lock state|suspicious RCU|detected stall|refcount_t:|ref_tracker:.*leaked|DMA-API: .*(device driver|leak|pending)|(add|del) corruption|sleeping function|scheduling while atomic|soft lockup|unregister_netdevice: waiting'

acct=${PKTPATH_ACCT:-/tmp/pktpath.acct}
cases=${PKTPATH_CASES:-/tmp/pktpath.cases}
export PKTPATH_ACCT=$acct PKTPATH_CASES=$cases

echo "KTAP version 1"
echo "1..${#tests[@]}"
echo "# runner: guest up $(cut -d' ' -f1 /proc/uptime)s"
n=0 failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: pktpath: $t"
	before=$(dmesg | wc -l)
	if [ ! -x "./$t" ]; then
		echo "not ok $n selftests: pktpath: $t # no such test"
		failed=1
		continue
	fi
	t0=$(date +%s)
	rm -f "$acct" "$cases"
	# A test may have a limit of its own in settings: timeout_NAME=S.
	limit=$(sed -n "s/^timeout_$t=//p" settings 2>/dev/null)
	limit=$(( ${limit:-$timeout_base} * ${PKTPATH_TIMEOUT_SCALE:-1} ))
	timeout -k 10 "$limit" "./$t" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	echo "# $t took $(( $(date +%s) - t0 ))s"
	[ -s "$acct" ] && awk -v t="$t" '{ ms[$1] += $2 }
		END { printf "# %s spent:", t
			for (c in ms) printf " %s=%.1fs", c, ms[c] / 1000
			printf "\n" }' "$acct"
	[ -s "$cases" ] && sort -k2,2nr "$cases" | head -n 3 | awk -v t="$t" '
		{ s = s sprintf("%s#%d %.0fs", NR > 1 ? ", " : "", $1, $2 / 1000) }
		END { print "# " t " slowest cases: " s }'
	rm -f "$acct" "$cases"
	# Whatever a killed test left behind must not break the next one.
	ip -all netns delete 2>/dev/null
	splat=$(dmesg | tail -n +$((before + 1)) | grep -E "$splat_re" | head -n 3)
	if [ -n "$splat" ]; then
		echo "$splat" | sed 's/^/# kernel splat during this test: /'
		rc=1
	fi
	case $rc in
	0) echo "ok $n selftests: pktpath: $t" ;;
	4) echo "ok $n selftests: pktpath: $t # SKIP" ;;
	124|137) echo "not ok $n selftests: pktpath: $t # TIMEOUT ${limit} seconds"; failed=1 ;;
	*) echo "not ok $n selftests: pktpath: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
