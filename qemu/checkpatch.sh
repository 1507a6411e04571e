#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make checkpatch: the target kernel's checkpatch.pl --strict over our sources.
. "$(dirname "$0")/common.sh"
src=$(kernel_source)
cd "$PKTPATH_TOP" || exit 1
"$src/scripts/checkpatch.pl" --strict --no-tree --show-types -f \
	$(ls driver/*.[ch] nfmod/*.[ch] tools/*.[ch] selftests/*.c | grep -v '\.mod\.c$')
