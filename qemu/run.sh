#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot the router topology and run the demo (qemu/guest/demo.sh).
exec bash "$(dirname "$0")/vm.sh" --topo router --timeout 300 --cmd /pktpath/guest/demo.sh "$@"
