#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP across each emulated cable in both directions, IPv4 and IPv6: 8 MiB
# of random data whose SHA-256 at the receiver must equal the sender's.
# Exercises the TX and RX rings, segmentation offload and GRO end to end.
source "$(dirname "$0")/lib.sh"
require_root_vm

SIZE_KIB=$(work 8192)
DIRS=("a b 4" "b a 4" "a b 6")

# transfer FROM TO FAMILY: send the file from namespace a or b to the other.
transfer() {
	local from=$1 to=$2 fam=$3 ns_from ns_to dst
	eval ns_from=\$NS_${from^^} ns_to=\$NS_${to^^}
	if [ "$fam" = 6 ]; then
		eval dst=[\$IP6_${to^^}]
	else
		eval dst=\$IP_${to^^}
	fi
	tcp_transfer "$ns_from" "$ns_to" "$dst" /tmp/send
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} d from to fam
	for d in "${DIRS[@]}"; do
		read -r from to fam <<<"$d"
		local label="$drv $model: TCP IPv$fam ${SIZE_KIB} KiB $from->$to, SHA-256 equal"
		if [ -n "$broken" ]; then
			ktap_not_ok "$label (cable down)"
			continue
		fi
		ktap_check "$label" transfer "$from" "$to" "$fam"
	done
}

head -c $((SIZE_KIB * 1024)) /dev/urandom >/tmp/send
drivers=($PKTPATH_DRIVERS)
models=($(cable_models))
ktap_plan $(( ${#drivers[@]} * ${#models[@]} * ${#DIRS[@]} ))
cable_trap
for_each_cable one_cable
ktap_finish
