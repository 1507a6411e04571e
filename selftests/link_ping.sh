#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ping across each emulated cable, IPv4 and IPv6, at sizes from empty to
# fragmented, with every driver under test (ours and the in-tree e1000).
# A case passes only when every echo request is answered.
source "$(dirname "$0")/lib.sh"
require_root_vm

# size, extra ping arguments, label
CASES=(
	"0||v4 size 0"
	"56||v4 size 56"
	"1472|-M do|v4 size 1472 (full frame, DF)"
	"1473|-M do|v4 size 1473 with DF refused locally"
	"1473||v4 size 1473 (fragmented)"
	"8000||v4 size 8000 (6 fragments)"
	"56|-6|v6 size 56"
	"1452|-6 -M do|v6 size 1452 (full frame)"
	"4000|-6|v6 size 4000 (fragmented)"
)

one_cable() {
	local drv=$1 model=$2 broken=${3:-} c size args label dst
	for c in "${CASES[@]}"; do
		IFS='|' read -r size args label <<<"$c"
		if [ -n "$broken" ]; then
			ktap_not_ok "$drv $model: $label (cable down)"
			continue
		fi
		dst=$IP_B
		[[ "$args" == *-6* ]] && dst=$IP6_B
		if [[ "$label" == *refused* ]]; then
			# The sender must refuse: proves the 1472 case really filled the MTU.
			# shellcheck disable=SC2086
			ktap_check "$drv $model: $label" ping_refused "$NS_A" -s "$size" $args "$dst"
			continue
		fi
		# shellcheck disable=SC2086
		ktap_check "$drv $model: $label" ping_all "$NS_A" 3 -s "$size" $args "$dst"
	done
}

drivers=($PKTPATH_DRIVERS)
models=($(cable_models))
ktap_plan $(( ${#drivers[@]} * ${#models[@]} * ${#CASES[@]} ))
cable_trap
for_each_cable one_cable
ktap_finish
