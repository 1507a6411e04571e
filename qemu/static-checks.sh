#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The code-quality gates, as KTAP cases run on the host: a fresh W=1 build
# of the modules with sparse (C=1) must print no warning, every kernel and
# tool source file must be clean under the target kernel's
# scripts/checkpatch.pl --strict, the pktpath tool must build with -Werror
# and pass its parser tests (no kernel needed); the man pages must match
# the tool, 'make install' must lay out exactly its files (and uninstall
# remove them), the classifier must pass its host tests (nfmod/tests/),
# and DKMS must build both modules from dkms.conf.
set -uo pipefail
. "$(dirname "$0")/common.sh"

kdir=${1:?usage: static-checks.sh KDIR}
src=$(kernel_source)
files=$(cd "$PKTPATH_TOP" && ls driver/*.[ch] nfmod/*.[ch] tools/*.[ch] selftests/*.c 2>/dev/null |
	grep -v '\.mod\.c$')

echo "KTAP version 1"
echo "1..8"

# A copy, so that every file is compiled (and checked) again.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$PKTPATH_TOP/Kbuild" "$PKTPATH_TOP/VERSION" "$PKTPATH_TOP/driver" "$PKTPATH_TOP/nfmod" "$tmp/"
find "$tmp" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' \) -delete

# build_case N NAME LOG COMMAND...: case N passes when COMMAND succeeds and
# its output (kept in LOG) has no warning or error; else the output is shown.
build_case() {
	local n=$1 name=$2 log=$3
	shift 3
	if "$@" >"$log" 2>&1 && ! grep -Eq 'warning:|error:' "$log"; then
		echo "ok $n $name"
	else
		sed "s|$tmp/||g; s/^/# /" "$log" | grep -Ev '^# *$' | head -n 40
		echo "not ok $n $name"
	fi
}

build_case 1 "build: W=1 and sparse (C=1) without warnings" "$tmp/build.log" \
	make -s -C "$kdir" M="$tmp" W=1 C=1 modules

# Cases 2-7 do not depend on the kernel: .ci/run's debug phase
# (PKTPATH_STATIC=kernel) reports them as skips, the stock phase ran them.
kernel_independent_checks() {
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
	cp "$PKTPATH_TOP"/tools/Makefile "$PKTPATH_TOP"/tools/*.[ch] "$PKTPATH_TOP"/tools/mkman.sh "$tmp/tools/"
	build_case 3 "tools: the pktpath tool builds with -Werror" "$tmp/tools.log" \
		eval 'make -s -C "$tmp/tools" && test -x "$tmp/tools/pktpath"'

	# The rule parser's tests and journey's trace reading (-r on a recorded
	# trace), both on the host.
	tools_tests() {
		local rc=0
		bash "$PKTPATH_TOP/tools/tests/parse.sh" "$tmp/tools/pktpath" >"$tmp/parse.log" 2>&1 || rc=1
		bash "$PKTPATH_TOP/tools/tests/journey.sh" "$tmp/tools/pktpath" >>"$tmp/parse.log" 2>&1 || rc=1
		return $rc
	}
	summary='^(parse|journey trace) tests:'
	if [ -x "$tmp/tools/pktpath" ] && tools_tests; then
		echo "ok 4 tools: $(grep -E "$summary" "$tmp/parse.log" | tr '\n' ';' | sed 's/;$//; s/;/; /')"
	else
		grep -Ev "$summary" "$tmp/parse.log" | head -n 40 | sed 's/^/# /'
		echo "not ok 4 tools: parser and journey trace tests ($(grep -E "$summary" "$tmp/parse.log" | tr '\n' ' '))"
	fi

	# pktpath(8) is generated from --help: the committed copy must be what the
	# fresh build generates. pktpath-journey(8) is written by hand: its
	# synopsis must be --help's, and it must list every station the tool
	# prints (tools/journey_print.c) and the five hooks.
	man_drift() {
		local jman=$PKTPATH_TOP/tools/pktpath-journey.8 syn want st rc=0
		[ -f "$tmp/tools/pktpath.8" ] || { echo "# no generated pktpath.8"; return 1; }
		# Against the committed copy: 'make' regenerates the one in the tree.
		if ! git -C "$PKTPATH_TOP" show HEAD:tools/pktpath.8 >"$tmp/pktpath.8.committed" 2>/dev/null; then
			cp "$PKTPATH_TOP/tools/pktpath.8" "$tmp/pktpath.8.committed"
		fi
		if ! diff -u "$tmp/pktpath.8.committed" "$tmp/tools/pktpath.8" >"$tmp/man.diff"; then
			echo "# tools/pktpath.8 differs from the --help text ('make -C tools man' and commit):"
			head -n 20 "$tmp/man.diff" | sed 's/^/#   /'
			rc=1
		fi
		want=$("$tmp/tools/pktpath" --help | sed -n 's/^    \(journey \[[^ ]*\] .*\)$/pktpath \1/p' | sed 's/  .*//')
		syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.fi/p' "$jman" | grep '^pktpath journey' | sed 's/\\-/-/g')
		[ "$syn" = "$want" ] || { echo "# pktpath-journey.8 synopsis '$syn', --help '$want'"; rc=1; }
		while read -r st; do
			grep -qxF ".B $st" "$jman" || { echo "# pktpath-journey.8 lacks the station '$st'"; rc=1; }
		done < <(grep -o 'snprintf(st, stlen, "[^"%]*")' "$PKTPATH_TOP/tools/journey_print.c" |
			sed 's/.*"\(.*\)")/\1/')
		for st in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do
			grep -q "^\.B.*$st" "$jman" || { echo "# pktpath-journey.8 lacks the hook $st"; rc=1; }
		done
		return $rc
	}
	if man_drift; then
		echo "ok 5 man pages: pktpath(8) is --help, pktpath-journey(8) lists every station"
	else
		echo "not ok 5 man pages: pktpath(8) is --help, pktpath-journey(8) lists every station"
	fi

	# make install into a staging root: exactly these files, with the modes a
	# package would give them; uninstall leaves none.
	install_layout() {
		local st=$tmp/stage kver got want
		kver=$(modinfo -F vermagic "$tmp/driver/pktpath_e1000.ko" | cut -d' ' -f1)
		mkdir -p "$tmp/src/tools"
		cp -r "$tmp/driver" "$tmp/nfmod" "$tmp/src/"
		cp "$tmp/tools/pktpath" "$tmp/tools/pktpath.8" "$PKTPATH_TOP/tools/pktpath-journey.8" \
			"$PKTPATH_TOP/tools/pktpath.bash-completion" "$tmp/src/tools/"
		SRC=$tmp/src DESTDIR=$st bash "$PKTPATH_TOP/scripts/install.sh" install >/dev/null || return 1
		got=$(cd "$st" && find . -type f -printf '%m %p\n' | sort)
		want=$(printf '%s\n' \
			"644 ./lib/modules/$kver/updates/pktpath/pktpath_e1000.ko" \
			"644 ./lib/modules/$kver/updates/pktpath/pktpath_nf.ko" \
			"644 ./usr/local/share/bash-completion/completions/pktpath" \
			"644 ./usr/local/share/man/man8/pktpath-journey.8" \
			"644 ./usr/local/share/man/man8/pktpath.8" \
			"755 ./usr/local/sbin/pktpath" | sort)
		[ "$got" = "$want" ] || { echo "# installed:"; echo "$got" | sed 's/^/#   /'; return 1; }
		SRC=$tmp/src DESTDIR=$st bash "$PKTPATH_TOP/scripts/install.sh" uninstall >/dev/null || return 1
		got=$(find "$st" -type f)
		[ -z "$got" ] || { echo "# left after uninstall: $got"; return 1; }
	}
	if install_layout; then
		echo "ok 6 install: the staged tree holds exactly the modules, tool, man pages, completion; uninstall empties it"
	else
		echo "not ok 6 install: staged layout and uninstall"
	fi

	# The classifier as a host program against a linear first-match walk,
	# under AddressSanitizer and UBSan (any report fails it).
	mkdir -p "$tmp/cls"
	if make -s -C "$PKTPATH_TOP/nfmod/tests" OUT="$tmp/cls" CFLAGS="-O1 -g" \
		CC="gcc -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		>"$tmp/cls.log" 2>&1 &&
		! grep -Eq 'warning:|error:' "$tmp/cls.log" &&
		"$tmp/cls/cls_test" >>"$tmp/cls.log" 2>&1 &&
		! grep -q 'runtime error:\|Sanitizer' "$tmp/cls.log"; then
		echo "ok 7 classifier: $(grep -c '^ok' "$tmp/cls.log") host tests against a linear walk, ASan + UBSan clean (nfmod/tests/cls_test)"
	else
		grep -v '^ok' "$tmp/cls.log" | head -n 40 | sed 's/^/# /'
		echo "not ok 7 classifier: host tests against a linear walk (nfmod/tests/cls_test)"
	fi
}
if [ "${PKTPATH_STATIC:-all}" = kernel ]; then
	for c in "2 checkpatch --strict" "3 tools: the pktpath tool builds with -Werror" \
		"4 tools: parser and journey trace tests" "5 man pages" "6 install: staged layout and uninstall" \
		"7 classifier: host tests against a linear walk"; do
		echo "ok $c # SKIP kernel-independent: the stock phase ran it"
	done
else
	kernel_independent_checks
fi

# DKMS, in trees of its own (the system's /var/lib/dkms is left alone):
# dkms.conf's version is VERSION's, and dkms builds both modules.
dkms_build() {
	local v kver ver=$tmp/dkms/src/pktpath-$(cat "$PKTPATH_TOP/VERSION")
	command -v dkms >/dev/null || { echo "# dkms is missing (qemu/setup.sh installs it)"; return 1; }
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$PKTPATH_TOP/dkms.conf")
	[ "$v" = "$(cat "$PKTPATH_TOP/VERSION")" ] || { echo "# dkms.conf says $v, VERSION $(cat "$PKTPATH_TOP/VERSION")"; return 1; }
	mkdir -p "$ver" "$tmp/dkms/tree"
	cp -r "$PKTPATH_TOP/Kbuild" "$PKTPATH_TOP/VERSION" "$PKTPATH_TOP/dkms.conf" "$ver/"
	(cd "$PKTPATH_TOP" && cp --parents driver/*.[ch] driver/Kbuild nfmod/*.[ch] nfmod/Kbuild "$ver/")
	rm -f "$ver"/*/*.mod.c
	kver=$(modinfo -F vermagic "$tmp/driver/pktpath_e1000.ko" | cut -d' ' -f1)
	dkms build -m pktpath -v "$v" -k "$kver" --kernelsourcedir "$kdir" \
		--dkmstree "$tmp/dkms/tree" --sourcetree "$tmp/dkms/src" >"$tmp/dkms.log" 2>&1 &&
		[ -n "$(find "$tmp/dkms/tree" -name pktpath_e1000.ko)" ] &&
		[ -n "$(find "$tmp/dkms/tree" -name pktpath_nf.ko)" ] ||
		{ tail -n 20 "$tmp/dkms.log" | sed 's/^/# /'; return 1; }
}
if dkms_build; then
	echo "ok 8 dkms: dkms.conf (version $(cat "$PKTPATH_TOP/VERSION")) builds both modules"
else
	echo "not ok 8 dkms: dkms.conf builds both modules"
fi
