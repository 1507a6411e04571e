#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The code-quality gates, as KTAP cases run on the host: a fresh W=1 build
# of the modules with sparse (C=1) must print no warning, every kernel and
# tool source file must be clean under the target kernel's
# scripts/checkpatch.pl --strict, the pktpath tool must build with -Werror
# and pass its parser tests (no kernel needed).
set -uo pipefail
. "$(dirname "$0")/common.sh"

kdir=${1:?usage: static-checks.sh KDIR}
src=$(kernel_source)
files=$(cd "$PKTPATH_TOP" && ls driver/*.[ch] nfmod/*.[ch] tools/*.[ch] selftests/*.c 2>/dev/null |
	grep -v '\.mod\.c$')

echo "KTAP version 1"
echo "1..4"

# A copy, so that every file is compiled (and checked) again.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$PKTPATH_TOP/Kbuild" "$PKTPATH_TOP/driver" "$PKTPATH_TOP/nfmod" "$tmp/"
find "$tmp" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' \) -delete
if make -s -C "$kdir" M="$tmp" W=1 C=1 modules >"$tmp/build.log" 2>&1 &&
	! grep -Eq 'warning:|error:' "$tmp/build.log"; then
	echo "ok 1 build: W=1 and sparse (C=1) without warnings"
else
	sed "s|$tmp/||g; s/^/# /" "$tmp/build.log" | grep -Ev '^# *$' | head -n 40
	echo "not ok 1 build: W=1 and sparse (C=1) without warnings"
fi

out=$(cd "$PKTPATH_TOP" && "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
	--show-types -f $files 2>&1 | grep -Ev '^total: 0 errors, 0 warnings, 0 checks' |
	grep -E ': (ERROR|WARNING|CHECK):' |
	grep -Ev 'CAMELCASE: Avoid CamelCase: <([0-9]*base[A-Z]+[0-9]*_(Half|Full)|Autoneg)>')
# (The one exception above: the kernel's own ethtool link-mode names.)
if [ -z "$out" ]; then
	echo "ok 2 checkpatch --strict: $(echo $files | wc -w) files clean"
else
	echo "$out" | head -n 40 | sed 's/^/# /'
	echo "not ok 2 checkpatch --strict: $(echo "$out" | wc -l) findings"
fi

# The tool, in a copy of its own: a fresh build, -Werror (tools/Makefile).
mkdir -p "$tmp/tools"
cp "$PKTPATH_TOP"/tools/Makefile "$PKTPATH_TOP"/tools/*.[ch] "$tmp/tools/"
if make -s -C "$tmp/tools" >"$tmp/tools.log" 2>&1 && [ -x "$tmp/tools/pktpath" ] &&
	! grep -Eq 'warning:|error:' "$tmp/tools.log"; then
	echo "ok 3 tools: the pktpath tool builds with -Werror"
else
	sed "s|$tmp/||g; s/^/# /" "$tmp/tools.log" | grep -Ev '^# *$' | head -n 40
	echo "not ok 3 tools: the pktpath tool builds with -Werror"
fi

if [ -x "$tmp/tools/pktpath" ] &&
	bash "$PKTPATH_TOP/tools/tests/parse.sh" "$tmp/tools/pktpath" >"$tmp/parse.log" 2>&1; then
	echo "ok 4 tools: $(tail -n 1 "$tmp/parse.log")"
else
	grep -v '^parse tests:' "$tmp/parse.log" | head -n 40 | sed 's/^/# /'
	echo "not ok 4 tools: parser tests ($(tail -n 1 "$tmp/parse.log"))"
fi
