#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netconsole over a cable: the kernel's messages go out through netpoll
# (ndo_start_xmit with interrupts off, NAPI polled with a budget of 0 when
# the ring is full) to a UDP listener on the other end. Every message
# arrives, at idle and while a TCP transfer fills the same TX ring; after
# the target is removed the interface still works. netconsole binds a
# device of the initial namespace: side A's interface stays there (the
# name $NS_A is attached to it), side B keeps its own namespace.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=3
PORT=6666
LOG=/tmp/netconsole.log

nc_lines() {
	grep -c "pktpath-nc $1" "$LOG" 2>/dev/null
}

# Side A back in the initial namespace, under the name $NS_A.
a_to_init() {
	ip netns del "$NS_A" &&
		wait_until 5 eval 'test -n "$(nic_ifname "$BDF_A")"' &&
		ip netns attach "$NS_A" 1 &&
		ns_if_up "$NS_A" "$IF_A" "$IP_A/24" "$IP6_A/64" &&
		wait_until 10 carrier_is "$NS_A" "$IF_A" 1 &&
		ping_all "$NS_A" 2 "$IP_B" >/dev/null
}

# send_msgs TAG COUNT: COUNT kernel messages; all must reach B.
send_msgs() {
	local tag=$1 count=$2 i
	for i in $(seq "$count"); do
		echo "<4>pktpath-nc $tag $i" >/dev/kmsg
	done
	wait_until 20 eval 'test "$(nc_lines "$tag")" -ge "$count"'
	ktap_diag "netconsole: $(nc_lines "$tag") of $count '$tag' messages received"
	[ "$(nc_lines "$tag")" = "$count" ]
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} srv
	[ -n "$broken" ] && { fail_cases $N "$drv $model: netconsole"; return; }
	if ! a_to_init; then
		fail_cases $N "$drv $model: netconsole (side A in the initial namespace)"
		return
	fi
	rm -f "$LOG"
	ip netns exec "$NS_B" socat -u "UDP4-RECV:$PORT" "OPEN:$LOG,creat,append" &
	srv=$!
	wait_until 5 listening "$NS_B" "$PORT" udp
	if ! modprobe netconsole "netconsole=6665@$IP_A/$IF_A,$PORT@$IP_B/$MAC_B"; then
		fail_cases $N "$drv $model: netconsole would not load"
		kill $srv
		return
	fi
	ktap_check "$drv $model: netconsole: 20 kernel messages at idle, all received" \
		send_msgs idle 20
	under_traffic "$drv $model: netconsole: 50 messages during a TCP transfer, all received" \
		send_msgs busy 50
	rmmod netconsole
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	ktap_check "$drv $model: netconsole removed: pings still answered" \
		ping_all "$NS_A" 3 "$IP_B"
}

if ! modprobe -n netconsole 2>/dev/null; then
	ktap_plan 0
	ktap_diag "SKIP: this kernel has no netconsole module"
	exit "$ksft_skip"
fi
cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
