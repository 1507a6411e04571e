#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Driver life cycle: the module removed while traffic flows (and loaded
# again, working), then PKTPATH_CYCLES (default 50) load/unload cycles,
# each probing both NICs of a cable. The in-tree e1000, whose probe is
# several times slower, does 10 as the reference. Then removal in the
# middle of a reset (ours: a TX stall's timeout) and at moments spread over
# a suspend-to-idle cycle.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=5
CYCLES=${PKTPATH_CYCLES:-50}

unload() {
	rmmod "$1" && ! lsmod | grep -q "^$1 "
}

# kmsg_seq: the sequence number of the newest kernel log record.
kmsg_seq() {
	dd if=/dev/kmsg bs=8192 iflag=nonblock 2>/dev/null | tail -n 1 | cut -d, -f2
}

# kmsg_watch SEQ PATTERN FIFO: in the background, write a line to FIFO
# as soon as a kernel log record newer than SEQ contains PATTERN (a read
# of /dev/kmsg must take a whole record: dd, not awk, reads it).
kmsg_watch() {
	dd if=/dev/kmsg bs=8192 2>/dev/null |
		awk -W interactive -F';' -v s="$1" -v p="$2" \
			'{ split($1, h, ","); if (h[2] + 0 > s + 0 && index($0, p)) { print "seen"; exit } }' >"$3" &
}

# A TX stall (debugfs) makes the stack's watchdog call ndo_tx_timeout; the
# moment the reset task logs "resetting the device" (it holds RTNL, in the
# middle of its down/up) the module is removed: the removal waits for the
# reset or cancels its queued work; the module goes, and loads again.
# Three times (once at a quarter of the work); nothing may splat.
rmmod_during_reset() {
	local drv=$1 model=$2 i fifo=/tmp/kmsg.$$ line t0
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	for i in $(seq "$(work 3)"); do
		cable_up "$drv" "$model" || { ktap_diag "#$i: cable"; return 1; }
		kmsg_watch "$(kmsg_seq)" "resetting the device" "$fifo"
		echo 1 >"/sys/kernel/debug/pktpath_e1000/$BDF_A/tx_stall" || return 1
		nsx "$NS_A" ping -q -i 0.05 -c 400 -W 1 "$IP_B" >/dev/null 2>&1 &
		line=
		read -r -t $((30 * ${PKTPATH_TIMEOUT_SCALE:-1})) line <"$fifo"
		[ "$line" = seen ] || { ktap_diag "#$i: no reset logged"; return 1; }
		t0=$(now_ms)
		unload "$drv" || { ktap_diag "#$i: rmmod failed"; return 1; }
		ktap_diag "#$i: rmmod returned $(( $(now_ms) - t0 )) ms after the reset began"
		pkill -x ping
		# The log reader ends on its next write.
		echo "pktpath: drv_lifecycle reset #$i done" >/dev/kmsg
		wait 2>/dev/null
		forget_cable
	done
	rm -f "$fifo"
	cable_up "$drv" "$model" && ping_all "$NS_A" 3 "$IP_B"
}

# After an rmmod: the interfaces are gone with the module; drop the
# namespaces and the NICs' driver_override.
forget_cable() {
	ip netns del "$NS_A"
	ip netns del "$NS_B"
	echo none >"/sys/bus/pci/devices/$BDF_A/driver_override"
	echo none >"/sys/bus/pci/devices/$BDF_B/driver_override"
	BDF_A= BDF_B=
}

# The module removed at moments spread over a suspend-to-idle cycle (the
# kernel's pm_test at "devices": every driver's suspend and resume run):
# before the freezer, while it freezes, while the devices sleep, as they
# wake. The suspend may refuse (a task that will not freeze) but must
# return; the module must go and load again with both NICs working.
rmmod_during_suspend() {
	local drv=$1 model=$2 d pid rc
	for d in $(echo 0 0.6 0.2 1.2 | cut -d' ' -f1-"$(suspends)"); do
		cable_up "$drv" "$model" || { ktap_diag "at +${d}s: cable"; return 1; }
		echo 1 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
		echo devices >/sys/power/pm_test || return 1
		(echo freeze >/sys/power/state) 2>/dev/null &
		pid=$!
		sleep "$d"
		unload "$drv" || { ktap_diag "at +${d}s: rmmod failed"; wait $pid; echo none >/sys/power/pm_test; return 1; }
		wait $pid
		rc=$?
		echo none >/sys/power/pm_test
		ktap_diag "rmmod at +${d}s into the suspend: suspend exit $rc"
		forget_cable
	done
	cable_up "$drv" "$model" && ping_all "$NS_A" 3 "$IP_B" && ping_all "$NS_B" 3 "$IP_A"
}

# How many of the suspend moments: PKTPATH_SUSPENDS (make check: 2), at
# most 2 at a quarter of the work (the debug kernel).
suspends() {
	local n=${PKTPATH_SUSPENDS:-4} w
	w=$(work 4 2)
	[ "$w" -lt "$n" ] && n=$w
	echo "$n"
}

bound_count() {
	local n=0
	[ "$(nic_driver "$BDF_A")" = "$1" ] && [ -n "$(nic_ifname "$BDF_A")" ] && n=$((n + 1))
	[ "$(nic_driver "$BDF_B")" = "$1" ] && [ -n "$(nic_ifname "$BDF_B")" ] && n=$((n + 1))
	echo $n
}

load_cycles() {
	local drv=$1 cycles=$2 i
	echo "$drv" >"/sys/bus/pci/devices/$BDF_A/driver_override"
	echo "$drv" >"/sys/bus/pci/devices/$BDF_B/driver_override"
	for ((i = 1; i <= cycles; i++)); do
		load_driver "$drv" || { ktap_diag "load #$i failed"; return 1; }
		wait_until 5 eval 'test "$(bound_count "$drv")" = 2' || { ktap_diag "load #$i: NICs not bound"; return 1; }
		unload "$drv" || { ktap_diag "unload #$i failed"; return 1; }
	done
}

# unread_queued NS PORT: bytes waiting unread in NS's TCP sockets on PORT.
unread_queued() {
	nsx "$1" ss -Htn state established "( sport = :$2 )" |
		awk '{ n += $1 } END { print n + 0 }'
}

# A receiver in A that never reads: B's data waits in its socket, in
# pages of A's RX ring, while the module goes (the debug kernel's DMA API
# reports any of them still mapped when the device is released).
hold_unread() {
	nsx "$NS_A" socat -u TCP4-LISTEN:5006,reuseaddr SYSTEM:"sleep 120" &
	wait_until 5 listening "$NS_A" 5006 || { ktap_diag "no listener"; return 1; }
	head -c 2000000 /dev/zero | nsx "$NS_B" timeout 120 socat -u - TCP4:"$IP_A":5006 &
	# A window's worth at most (a receiver that never reads does not
	# grow its buffer): enough to hold a dozen of A's RX pages.
	wait_until $((10 * ${PKTPATH_TIMEOUT_SCALE:-1})) \
		eval 'test "$(unread_queued "$NS_A" 5006)" -gt 16384' && return 0
	ktap_diag "unread: $(unread_queued "$NS_A" 5006) bytes; $(nsx "$NS_A" ss -Htn "( sport = :5006 )" | tr '\n' ';')"
	return 1
}

rmmod_with_unread() {
	local drv=$1 queued
	hold_unread || { ktap_diag "no unread data queued"; return 1; }
	queued=$(unread_queued "$NS_A" 5006)
	unload "$drv" || return 1
	ktap_diag "rmmod with $queued bytes unread in a socket"
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} pid
	[ -n "$broken" ] && { fail_cases $N "$drv $model: life cycle"; return; }
	nsx "$NS_A" ping -q -f -w 30 "$IP_B" >/dev/null 2>&1 &
	pid=$!
	make_file /tmp/bulk "$(work 32)"
	tcp_transfer "$NS_B" "$NS_A" "$IP_A" /tmp/bulk 5005 >/dev/null 2>&1 &
	wait_until 10 established "$NS_B" 5005
	ktap_check "$drv $model: rmmod under traffic, data unread in a socket" \
		rmmod_with_unread "$drv"
	# The interrupted transfers would otherwise sit out socat's timeout.
	kill $pid 2>/dev/null
	pkill socat
	wait 2>/dev/null
	cable_down
	if cable_up "$drv" "$model"; then
		ktap_check "$drv $model: reloaded, ping answered" ping_all "$NS_A" 3 "$IP_B"
	else
		ktap_not_ok "$drv $model: reloaded, cable up"
	fi
	local a=$BDF_A b=$BDF_B
	cable_down
	BDF_A=$a BDF_B=$b
	unload "$drv"
	local n=$CYCLES
	is_ref "$drv" && [ "$n" -gt 10 ] && n=10
	ktap_check "$drv $model: $n load/unload cycles, both NICs probed each time" load_cycles "$drv" $n
	unbind_nic "$BDF_A" 2>/dev/null
	unbind_nic "$BDF_B" 2>/dev/null
	echo none >"/sys/bus/pci/devices/$a/driver_override"
	echo none >"/sys/bus/pci/devices/$b/driver_override"
	if [ "$drv" = pktpath_e1000 ]; then
		ktap_check "$drv $model: rmmod while a TX-timeout reset runs ($(work 3) times), reload works" \
			rmmod_during_reset "$drv" "$model"
	else
		ktap_skip "$drv $model: rmmod while a reset runs" "no tx_stall knob ($drv)"
	fi
	cable_down
	if [ -w /sys/power/pm_test ] && grep -qw freeze /sys/power/state; then
		ktap_check "$drv $model: rmmod at $(suspends) moments of a suspend-to-idle cycle, reload works" \
			rmmod_during_suspend "$drv" "$model"
	else
		ktap_skip "$drv $model: rmmod during suspend" "no pm_test or freeze in /sys/power"
	fi
	cable_down
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
