#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot the router topology and run the demo (qemu/guest/demo.sh);
# its journey's picture (journey --svg) lands in the log directory.
logdir=${PKTPATH_RUN_LOGDIR:-/tmp/pktpath-run}
rm -rf "$logdir/files"
rc=0
bash "$(dirname "$0")/vm.sh" --topo router --timeout 300 --logdir "$logdir" \
	--cmd /pktpath/guest/demo.sh "$@" || rc=$?
if [ -s "$logdir/files/journey.svg" ]; then
	echo "== the journey of the web request as a picture: $logdir/files/journey.svg"
	echo "   (open it in a browser)"
fi
exit $rc
