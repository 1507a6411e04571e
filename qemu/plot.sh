#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plot.sh drv|nf|journey|xdp RESULTS SVG: a bench's raw RESULT lines as an
# SVG (gnuplot): python3 takes the medians, gnuplot draws.
#   drv      make bench: each metric per round, pktpath_e1000 vs e1000
#   nf       make bench-nf: rate vs rule count per implementation, as a
#            ratio to its 0-rule rate (TCP and 64-byte UDP)
#   journey  make bench-journey: no journey / recording / after, medians
#   xdp      make bench-xdp: frames/s and CPU ns per frame per receiver
set -euo pipefail
kind=${1:?usage: plot.sh drv|nf|journey|xdp RESULTS SVG} in=${2:?} svg=${3:?}
command -v gnuplot >/dev/null || { echo "plot.sh: no gnuplot (qemu/setup.sh installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
title=$(sed -n '1s/^# //p' "$in")

# Data files: $tmp/<panel>.dat, gnuplot's blocks; $tmp/plot.gp the script.
python3 - "$kind" "$in" "$tmp" "$title" <<'PY'
import statistics, sys
kind, path, tmp, title = sys.argv[1:5]
rows = [l.split() for l in open(path) if l.startswith("RESULT ")]
out = [f'set terminal svg size 1000,380 dynamic font "sans,11"',
       f'set output "{tmp}/out.svg"', 'set grid ytics', 'set key top left',
       'set style data linespoints']

def esc(s):
    return s.replace("_", "\\\\_")

if kind == "drv":
    # RESULT DRIVER ROUND METRIC VALUE
    metrics = sorted({r[3] for r in rows})
    drivers = sorted({r[1] for r in rows})
    cols = min(len(metrics), 4)
    nrows = (len(metrics) + cols - 1) // cols
    out[0] = f'set terminal svg size 1000,{300 * nrows + 80} dynamic font "sans,11"'
    out.append(f'set multiplot layout {nrows},{cols} title "{esc(title)}"')
    for m in metrics:
        with open(f"{tmp}/{m}.dat", "w") as f:
            for d in drivers:
                f.write(f'"{d}"\n')
                for r in rows:
                    if r[1] == d and r[3] == m:
                        f.write(f"{r[2]} {r[4]}\n")
                f.write("\n\n")
        out += [f'set title "{esc(m)}"', 'set xlabel "round"', 'set xtics 1',
                'set yrange [0:*]',
                "plot " + ", ".join(f'"{tmp}/{m}.dat" index {i} using 1:2 title "{esc(d)}"'
                                    for i, d in enumerate(drivers))]
    out.append("unset multiplot")
elif kind == "nf":
    # RESULT IMPL:KIND N ROUND METRIC VALUE: per kind (a column) and rate
    # (a row), each implementation's median over its 0-rule one
    # (IMPL:base4, IMPL:base6), or the median of METRIC_vs0 (each to the
    # 0-rule rate measured just before it) where the run has them
    rows = [r[:1] + r[1].split(":") + r[2:] for r in rows]
    metrics = [m for m in ("tcp_mbit", "udp64_pps", "fwd64_pps") if any(r[5] == m for r in rows)]
    kinds = [k for k in dict.fromkeys(r[2] for r in rows) if not k.startswith("base")]
    impls = sorted({r[1] for r in rows})
    ns = sorted({int(r[3]) for r in rows})
    def med(im, k, m, n):
        v = [float(r[6]) for r in rows if r[1] == im and r[2] == k and r[5] == m and int(r[3]) == n]
        return statistics.median(v) if v else None
    out[0] = f'set terminal svg size {260 * len(kinds) + 40},{300 * len(metrics)} dynamic font "sans,10"'
    out.append(f'set multiplot layout {len(metrics)},{len(kinds)} title "{esc(title)}"')
    xt = ", ".join(f'"{n:,}" {i}' for i, n in enumerate(ns))
    for m in metrics:
        for k in kinds:
            with open(f"{tmp}/{m}-{k}.dat", "w") as f:
                for im in impls:
                    base = med(im, "base6" if k == "ip6" else "base4", m, 0) or 1
                    f.write(f'"{im}"\n')
                    for i, n in enumerate(ns):
                        v = base if n == 0 else med(im, k, m, n)
                        # the ratio to the 0-rule rate measured just before
                        paired = med(im, k, m.split("_")[0] + "_vs0", n)
                        if paired is not None:
                            f.write(f"{i} {paired:.3f}\n")
                        elif v is not None:
                            f.write(f"{i} {v / base:.3f}\n")
                    f.write("\n\n")
            out += [f'set title "{esc(k)}: {esc(m)} / 0-rule"', 'set xlabel "rules"',
                    f"set xtics ({xt})", 'set yrange [0:1.4]', 'set key bottom left',
                    "plot " + ", ".join(f'"{tmp}/{m}-{k}.dat" index {i} using 1:2 title "{esc(im)}"'
                                        for i, im in enumerate(impls))]
    out.append("unset multiplot")
else:
    # journey: RESULT STATE N ROUND METRIC VALUE; xdp: RESULT CONFIG ROUND METRIC VALUE
    if kind == "journey":
        key, mcol, vcol = 1, 4, 5
    else:
        key, mcol, vcol = 1, 3, 4
    configs = list(dict.fromkeys(r[key] for r in rows))
    metrics = [m for m in ("tcp", "udp", "rate", "ns_per_frame") if any(r[mcol] == m for r in rows)]
    metrics = metrics or sorted({r[mcol] for r in rows})
    out += [f'set multiplot layout 1,{len(metrics)} title "{esc(title)}"',
            'set style data histograms', 'set style fill solid 0.6 border -1',
            'set boxwidth 0.8', 'set xtics rotate by 30 right', 'set bmargin 6', 'unset key', 'set yrange [0:*]']
    for m in metrics:
        with open(f"{tmp}/{m}.dat", "w") as f:
            for c in configs:
                v = [float(r[vcol]) for r in rows if r[key] == c and r[mcol] == m]
                if v:
                    f.write(f'"{c}" {statistics.median(v):.1f}\n')
        out += [f'set title "{esc(m)} (median)"',
                f'plot "{tmp}/{m}.dat" using 2:xtic(1)']
    out.append("unset multiplot")
open(f"{tmp}/plot.gp", "w").write("\n".join(out) + "\n")
PY
gnuplot "$tmp/plot.gp"
mv "$tmp/out.svg" "$svg"
echo "plot: $svg"
