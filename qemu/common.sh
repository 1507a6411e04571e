# SPDX-License-Identifier: GPL-2.0
# Shared settings for the scripts under qemu/. Sourced, not run.

PKTPATH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKTPATH_CACHE=${PKTPATH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pktpath}

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

# Where the debug kernel is built; the name changes with its config, so a
# changed config means a fresh build and an unchanged one is reused.
debug_kernel_dir() {
	local sum
	sum=$( (cat "$PKTPATH_TOP/qemu/debug.config"; dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) |
		sha256sum | cut -c1-12)
	echo "$PKTPATH_CACHE/debug-kernel-$sum"
}
