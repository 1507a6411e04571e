# SPDX-License-Identifier: GPL-2.0
# Shared settings for the scripts under qemu/. Sourced, not run.

PKTPATH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKTPATH_CACHE=${PKTPATH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pktpath}
# Where make bench* write raw numbers and plots: never into the tree.
PKTPATH_BENCH_DIR=${PKTPATH_BENCH_DIR:-$PKTPATH_CACHE/bench}

die() { echo "pktpath: $*" >&2; exit 1; }
note() { echo "pktpath: $*" >&2; }

# The stock target kernel: the newest Debian 6.1 flavour installed.
stock_kver() {
	local v
	v=$(ls -1 /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(6\.1\..*-amd64\)$/\1/p' |
		sort -V | tail -n 1)
	[ -n "$v" ] || return 1
	echo "$v"
}

# bench_vm TOPO JOB OUT TITLE [VM ARGS...]: run the guest benchmark JOB
# (qemu/guest/) in one VM boot, show its output, keep its RESULT lines in
# OUT under a title line.
bench_vm() {
	local topo=$1 job=$2 out=$3 title=$4 log
	shift 4
	log=$(mktemp)
	bash "$PKTPATH_TOP/qemu/vm.sh" --topo "$topo" --timeout 1800 --cmd "/pktpath/guest/$job" \
		"$@" | tee "$log"
	{
		echo "# $title, $(date -u +%F), $(nproc) host cores, TCG"
		grep '^RESULT ' "$log"
	} >"$out"
	rm -f "$log"
	echo
}

# Where the debug kernel is built; the name changes with its config, so a
# changed config means a fresh build and an unchanged one is reused.
debug_kernel_dir() {
	local sum
	sum=$( (cat "$PKTPATH_TOP/qemu/debug.config"; dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) |
		sha256sum | cut -c1-12)
	echo "$PKTPATH_CACHE/debug-kernel-$sum"
}

# The target kernel's source (Debian's linux-source-6.1), extracted once:
# the debug kernel is built from it and scripts/checkpatch.pl comes from it.
kernel_source() {
	local src=$PKTPATH_CACHE/linux-source-6.1 tarball=/usr/src/linux-source-6.1.tar.xz
	if [ ! -f "$src/.extracted" ]; then
		[ -f "$tarball" ] || die "missing $tarball: run qemu/setup.sh"
		note "extracting $tarball"
		rm -rf "$src"
		mkdir -p "$PKTPATH_CACHE"
		tar -C "$PKTPATH_CACHE" -xf "$tarball"
		touch "$src/.extracted"
	fi
	echo "$src"
}
