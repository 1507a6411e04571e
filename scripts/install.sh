#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install or remove what 'make' built: install.sh install|uninstall
# (the Makefile's install and uninstall targets call it; the VM's selftest
# sys_install.sh runs it on the guest's root, which has no make).
#
#   modules   $DESTDIR/lib/modules/$KVER/updates/pktpath/pktpath_{e1000,nf}.ko,
#             then depmod (skipped for a staging DESTDIR: the target
#             system's depmod runs there, as for a distribution package)
#   tool      $DESTDIR$SBINDIR/pktpath                 (SBINDIR: $PREFIX/sbin)
#   man pages $DESTDIR$MANDIR/man8/pktpath{,-journey}.8 (MANDIR: $PREFIX/share/man)
#   completion $DESTDIR$BASHCOMPDIR/pktpath
#             (BASHCOMPDIR: $PREFIX/share/bash-completion/completions)
#
# PREFIX defaults to /usr/local; KVER to the release the modules were
# built for (KDIR's).
# SRC is the tree holding driver/ nfmod/ tools/ (default: this script's ..).
set -euo pipefail

action=${1:?usage: install.sh install|uninstall}
SRC=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DESTDIR=${DESTDIR:-}
# The release the modules were built for (their vermagic), not the host's.
KVER=${KVER:-$(modinfo -F vermagic "$SRC/driver/pktpath_e1000.ko" 2>/dev/null | cut -d' ' -f1)}
[ -n "$KVER" ] || KVER=$(uname -r)
PREFIX=${PREFIX:-/usr/local}
SBINDIR=${SBINDIR:-$PREFIX/sbin}
MANDIR=${MANDIR:-$PREFIX/share/man}
BASHCOMPDIR=${BASHCOMPDIR:-$PREFIX/share/bash-completion/completions}

moddir=$DESTDIR/lib/modules/$KVER/updates/pktpath
modules=(driver/pktpath_e1000.ko nfmod/pktpath_nf.ko)
mans=(tools/pktpath.8 tools/pktpath-journey.8)

die() {
	echo "install.sh: $*" >&2
	exit 1
}

# depmod for the live system only; a staged tree is indexed where it lands.
run_depmod() {
	if [ -z "$DESTDIR" ] || [ "$DESTDIR" = / ]; then
		depmod -a "$KVER"
	else
		echo "install.sh: DESTDIR set: run 'depmod -a $KVER' on the target"
	fi
}

case $action in
install)
	for f in "${modules[@]}" tools/pktpath "${mans[@]}" tools/pktpath.bash-completion; do
		[ -f "$SRC/$f" ] || die "$SRC/$f is missing: run 'make' first"
	done
	for f in "${modules[@]}"; do
		install -D -m 0644 "$SRC/$f" "$moddir/$(basename "$f")"
	done
	install -D -m 0755 "$SRC/tools/pktpath" "$DESTDIR$SBINDIR/pktpath"
	for f in "${mans[@]}"; do
		install -D -m 0644 "$SRC/$f" "$DESTDIR$MANDIR/man8/$(basename "$f")"
	done
	install -D -m 0644 "$SRC/tools/pktpath.bash-completion" "$DESTDIR$BASHCOMPDIR/pktpath"
	run_depmod
	;;
uninstall)
	rm -f "$moddir/pktpath_e1000.ko" "$moddir/pktpath_nf.ko"
	rmdir "$moddir" 2>/dev/null || true
	rm -f "$DESTDIR$SBINDIR/pktpath" "$DESTDIR$BASHCOMPDIR/pktpath"
	for f in "${mans[@]}"; do
		rm -f "$DESTDIR$MANDIR/man8/$(basename "$f")"
	done
	run_depmod
	;;
*)
	die "unknown action '$action' (install or uninstall)"
	;;
esac
