#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# System sleep on a cable. A real S3 suspend (echo mem), woken by the host
# through QEMU's monitor (system_wakeup), with a TCP transfer in flight:
# the transfer must arrive intact, the carrier come back and the addresses
# stay (measured: with QEMU 7.2 this holds even without the driver's PM
# callbacks). Suspend-to-idle with the kernel's pm_test at "devices" (the
# drivers' suspend and resume run, nothing sleeps), seen as the carrier
# going down and up once: this case fails without the callbacks. And
# Wake-on-LAN reported as unsupported: QEMU's 8254x has no wake-up logic.
source "$(dirname "$0")/lib.sh"
require_root_vm

N=4

carrier_changes() {
	ip netns exec "$1" cat "/sys/class/net/$2/carrier_changes"
}

has_s3() {
	grep -qw mem /sys/power/state 2>/dev/null && grep -qw deep /sys/power/mem_sleep 2>/dev/null
}

# Both NICs of the cable come back: carrier, a first answer within a
# deadline (QEMU's receiver pauses briefly after the RX enable), then
# every ping each way.
link_back() {
	wait_until 30 carrier_is "$NS_A" "$IF_A" 1 || { ktap_diag "A: no carrier"; return 1; }
	wait_until 30 carrier_is "$NS_B" "$IF_B" 1 || { ktap_diag "B: no carrier"; return 1; }
	wait_until 15 eval 'ping_all "$NS_A" 1 "$IP_B" >/dev/null' || { ktap_diag "no answer"; return 1; }
	ping_all "$NS_A" 3 "$IP_B" && ping_all "$NS_B" 3 "$IP_A"
}

# S3: the host wakes the guest once QEMU reports it suspended.
s3_cycle() {
	local t0 rc=0
	t0=$(now_ms)
	echo deep >/sys/power/mem_sleep
	echo wake_when_suspended >/dev/ttyS2
	echo mem >/sys/power/state || rc=1
	ktap_diag "S3 suspend and resume took $(( $(now_ms) - t0 )) ms (exit $rc)"
	[ $rc = 0 ] && link_back
}

addresses_kept() {
	ip -n "$NS_A" -o addr show dev "$IF_A" | grep -q "inet $IP_A/" &&
		ip -n "$NS_A" -o addr show dev "$IF_A" | grep -q "inet6 $IP6_A/" &&
		ip -n "$NS_B" -o addr show dev "$IF_B" | grep -q "inet $IP_B/"
}

# pm_test "devices": suspend every device, wait, resume; our suspend takes
# the interface down (carrier off) and resume brings it up (carrier on).
s2idle_cycle() {
	local c0 c1 rc=0
	c0=$(carrier_changes "$NS_A" "$IF_A")
	[ -w /sys/module/suspend/parameters/pm_test_delay ] &&
		echo 1 >/sys/module/suspend/parameters/pm_test_delay
	echo devices >/sys/power/pm_test || return 1
	echo freeze >/sys/power/state || { rc=1; ktap_diag "echo freeze failed"; }
	echo none >/sys/power/pm_test
	[ $rc = 0 ] && link_back || return 1
	c1=$(carrier_changes "$NS_A" "$IF_A")
	ktap_diag "suspend-to-idle (pm_test devices): carrier changes $c0 -> $c1"
	[ $((c1 - c0)) -ge 2 ]
}

# (Over the ioctl ethtool falls back to where the kernel lacks
# ETHTOOL_NETLINK, a refused "wol g" still exits 0: look at the result.)
wol_unsupported() {
	local out after
	out=$(ip netns exec "$NS_A" ethtool "$IF_A" 2>&1 | grep -i "wake-on")
	ip netns exec "$NS_A" ethtool -s "$IF_A" wol g >/dev/null 2>&1
	after=$(ip netns exec "$NS_A" ethtool "$IF_A" 2>&1 | grep -i "wake-on")
	ktap_diag "ethtool: $(echo $out); after 'wol g': $(echo $after)"
	echo "$out" | grep -q "Supports Wake-on: d" && echo "$out" | grep -q "	Wake-on: d" &&
		[ "$after" = "$out" ]
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} c0
	[ -n "$broken" ] && { fail_cases $N "$drv $model: power management"; return; }
	if [ "$drv" = pktpath_e1000 ]; then
		ktap_check "$drv $model: Wake-on-LAN reported unsupported, enabling it refused" wol_unsupported
	else
		ktap_skip "$drv $model: Wake-on-LAN reported unsupported" \
			"the in-tree e1000 advertises it from the EEPROM; QEMU has none"
	fi
	if has_s3; then
		c0=$(carrier_changes "$NS_A" "$IF_A")
		under_traffic "$drv $model: S3 suspend and resume under TCP, transfer intact" s3_cycle
		ktap_diag "S3: carrier changes $c0 -> $(carrier_changes "$NS_A" "$IF_A")"
		ktap_check "$drv $model: after S3: carrier, addresses kept, pings both ways" \
			eval 'link_back && addresses_kept'
	else
		ktap_skip "$drv $model: S3 suspend and resume under TCP" "no S3 (deep) in /sys/power"
		ktap_skip "$drv $model: after S3: carrier, addresses kept" "no S3 (deep) in /sys/power"
	fi
	if [ -w /sys/power/pm_test ] && grep -qw freeze /sys/power/state; then
		ktap_check "$drv $model: suspend-to-idle: the driver's suspend and resume ran, link back" \
			s2idle_cycle
	else
		ktap_skip "$drv $model: suspend-to-idle (pm_test)" "no pm_test or freeze in /sys/power"
	fi
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
