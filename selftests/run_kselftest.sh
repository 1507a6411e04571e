#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The entry point of an installed tree ('make -C selftests install'), as
# the kernel's kselftest-install writes one:
#   run_kselftest.sh            every test in kselftest-list.txt
#   run_kselftest.sh -t T ...   only these (pktpath:NAME or NAME)
#   run_kselftest.sh -l         list them
# Tests whose set-up is missing (not root, no $PKTPATH_DIR/topology: the
# cabled NICs of qemu/topology.sh) report themselves skipped (exit 4).
cd "$(dirname "$0")" || exit 1
tests=()
case ${1:-} in
-l) cat kselftest-list.txt; exit 0 ;;
-t)
	shift
	for t in "$@"; do
		tests+=("${t#pktpath:}")
	done
	;;
esac
cd pktpath && exec ./run_tests.sh "${tests[@]}"
