#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel: allnoconfig + qemu/debug.config, from
# Debian's linux-source-6.1. Cached under $PKTPATH_CACHE, keyed by the
# config's hash. Prints the build directory (usable as KDIR) on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$(debug_kernel_dir)
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

src=$(kernel_source)

note "building the debug kernel in $out (about 15-20 minutes on 2 cores)"
mkdir -p "$out"
start=$(date +%s)
KCONFIG_ALLCONFIG="$PKTPATH_TOP/qemu/debug.config" \
	make -s -C "$src" O="$out" allnoconfig >/dev/null

# allnoconfig silently drops a symbol whose dependencies are not met:
# insist that every one we asked for made it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) sym=${line%%=*}
		grep -q "^$sym=" "$out/.config" && { note "unwanted: $line"; missing=1; } ;;
	CONFIG_*=*) grep -qx "$line" "$out/.config" || { note "not in final .config: $line"; missing=1; } ;;
	esac
done < "$PKTPATH_TOP/qemu/debug.config"
[ "$missing" = 0 ] || die "debug.config does not resolve; fix qemu/debug.config"

make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; die "debug kernel build failed"; }
rm -rf "$out/mods"
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$out/mods" modules_install >>"$out/build.log" 2>&1
touch "$out/.done"
note "debug kernel built in $(( $(date +%s) - start ))s"
echo "$out"
