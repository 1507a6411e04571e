#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-xdp: one VM boot, XDP_DROP and XDP_TX per receiver
# configuration, rounds alternating (qemu/guest/xdp_bench.sh). Prints the
# medians, native XDP_DROP's advantage over each other drop, and keeps the
# raw numbers and a plot (.svg) in $PKTPATH_BENCH_DIR/bench-xdp-results.txt
# (or $PKTPATH_BENCH_OUT).
set -uo pipefail
. "$(dirname "$0")/common.sh"
out=${PKTPATH_BENCH_OUT:-$PKTPATH_BENCH_DIR/bench-xdp-results.txt}
mkdir -p "$(dirname "$out")"
bench_vm all xdp_bench.sh "$out" "XDP_DROP/XDP_TX, pktgen 64-byte UDP, receiver IRQ on CPU 1" "$@"
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 5 and f[0] == "RESULT":
        runs.setdefault(f[1], {}).setdefault(f[3], []).append(float(f[4]))
med = {c: {m: statistics.median(v) for m, v in ms.items()} for c, ms in runs.items()}
print(f"{'config':14} {'frames/s':>10} {'sent/s':>10} {'ns/frame':>9} {'spread':>14}")
for c, ms in med.items():
    r = runs[c].get("rate", [0])
    print(f"{c:14} {ms.get('rate', 0):10.0f} {ms.get('sent', 0):10.0f} "
          f"{ms.get('ns_per_frame', 0):9.0f} {min(r):6.0f}-{max(r):<7.0f}")
nat = med.get("native-ours", {}).get("ns_per_frame")
for c in ("generic-ours", "generic-e1000", "nft-ingress"):
    o = med.get(c, {}).get("ns_per_frame")
    if nat and o:
        print(f"native-ours costs 1/{o / nat:.2f} of {c} per frame (CPU 1 busy time)")
PY
echo "raw numbers: $out"
bash "$PKTPATH_TOP/qemu/plot.sh" xdp "$out" "${out%.txt}.svg" || true
