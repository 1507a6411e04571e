#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one VM boot, pktpath_e1000 vs the in-tree e1000 on the same
# cable, rounds alternating (qemu/guest/bench.sh). Prints the medians and
# the ratio ours/theirs per metric; the raw numbers are kept in
# bench-results.txt (or $PKTPATH_BENCH_OUT).
set -uo pipefail
. "$(dirname "$0")/common.sh"
out=${PKTPATH_BENCH_OUT:-$PKTPATH_TOP/bench-results.txt}
log=$(mktemp)
bash "$PKTPATH_TOP/qemu/vm.sh" --topo all --timeout 1200 --cmd /pktpath/guest/bench.sh "$@" | tee "$log"
{
	echo "# pktpath_e1000 vs e1000, $(date -u +%F), $(nproc) host cores, TCG"
	grep '^RESULT ' "$log"
} >"$out"
rm -f "$log"
echo
awk '$1 == "RESULT" { v[$4, $2] = v[$4, $2] " " $5; m[$4] = 1 }
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		printf "%-14s %16s %16s %8s\n", "metric", "pktpath_e1000", "e1000", "ratio"
		for (k in m) {
			o = median(v[k, "pktpath_e1000"]); t = median(v[k, "e1000"])
			printf "%-14s %16.1f %16.1f %8.2f\n", k, o, t, t > 0 ? o / t : 0
		}
	}' "$out"
echo "raw numbers: $out"
