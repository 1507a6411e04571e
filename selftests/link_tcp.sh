#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP across each emulated cable in both directions, IPv4 and IPv6: 8 MiB
# of random data whose SHA-256 at the receiver must equal the sender's.
# Exercises the TX and RX rings, segmentation offload and GRO end to end.
source "$(dirname "$0")/lib.sh"
require_root_vm

SIZE_KIB=8192
DIRS=("a b 4" "b a 4" "a b 6")

# transfer FROM TO FAMILY: send the file from namespace FROM to TO.
transfer() {
	local from=$1 to=$2 fam=$3 ns_from ns_to dst port=5001 i
	eval ns_from=\$NS_${from^^} ns_to=\$NS_${to^^}
	if [ "$fam" = 6 ]; then
		eval dst=[\$IP6_${to^^}]
	else
		eval dst=\$IP_${to^^}
	fi
	rm -f /tmp/recv
	ip netns exec "$ns_to" timeout 60 socat -u \
		"TCP$fam-LISTEN:$port,reuseaddr" OPEN:/tmp/recv,creat,trunc &
	local srv=$!
	for i in $(seq 50); do
		ip netns exec "$ns_to" ss -Hltn "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$ns_from" timeout 60 socat -u OPEN:/tmp/send "TCP$fam:$dst:$port" || {
		kill $srv 2>/dev/null
		wait $srv 2>/dev/null
		ktap_diag "sender failed"
		return 1
	}
	wait $srv || { ktap_diag "receiver failed"; return 1; }
	local want got
	want=$(sha256sum </tmp/send) got=$(sha256sum </tmp/recv)
	[ "$want" = "$got" ] && return 0
	ktap_diag "sent $(stat -c %s /tmp/send) bytes, received $(stat -c %s /tmp/recv); checksums differ"
	return 1
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
