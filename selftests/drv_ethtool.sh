#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ethtool: driver info, ring sizes (also resized under traffic), interrupt
# coalescing, register and EEPROM dumps (the EEPROM holds the MAC), the
# offline self-test, and statistics that agree with a known number of
# packets (ip's counters and ethtool -S).
source "$(dirname "$0")/lib.sh"
require_root_vm

N=8

eth() {
	nsx "$NS_A" ethtool "$@"
}

ring_is() {
	local out
	out=$(eth -g "$IF_A" | sed -n '/^Current/,$p')
	echo "$out" | grep -Eq "^RX:[[:space:]]+$1\$" && echo "$out" | grep -Eq "^TX:[[:space:]]+$2\$"
}

resize_rings() {
	eth -G "$IF_A" rx 512 tx 1024 && ring_is 512 1024 &&
		wait_until 10 carrier_is "$NS_A" "$IF_A" 1 &&
		eth -G "$IF_A" rx 256 tx 256 && ring_is 256 256
}

eeprom_has_mac() {
	local mac dump
	mac=$(nsx "$NS_A" cat "/sys/class/net/$IF_A/address" | tr -d :)
	dump=$(eth -e "$IF_A" raw on offset 0 length 6 | od -An -tx1 | tr -d ' \n')
	[ "$dump" = "$mac" ] || { ktap_diag "EEPROM bytes 0-5 $dump, MAC $mac"; return 1; }
}

# counters_agree: 50 pings A -> B; B's receive counters from ip (sysfs)
# and from ethtool -S must both have moved by 50 (ARP/ND noise: +2 at most).
counters_agree() {
	local s0 e0 s1 e1 t0 t1
	ping_all "$NS_A" 1 "$IP_B" >/dev/null
	s0=$(link_counter "$NS_B" "$IF_B" rx packets)
	e0=$(nsx "$NS_B" ethtool -S "$IF_B" | awk '$1 == "rx_packets:" { print $2 }')
	t0=$(link_counter "$NS_A" "$IF_A" tx packets)
	nsx "$NS_A" ping -q -c 50 -i 0.01 -W 2 "$IP_B" >/dev/null
	s1=$(link_counter "$NS_B" "$IF_B" rx packets)
	e1=$(nsx "$NS_B" ethtool -S "$IF_B" | awk '$1 == "rx_packets:" { print $2 }')
	t1=$(link_counter "$NS_A" "$IF_A" tx packets)
	ktap_diag "50 pings: A tx +$((t1 - t0)), B rx +$((s1 - s0)) (ip), +$((e1 - e0)) (ethtool -S)"
	[ $((s1 - s0)) -ge 50 ] && [ $((s1 - s0)) -le 52 ] &&
		[ $((e1 - e0)) -ge 50 ] && [ $((e1 - e0)) -le 52 ] &&
		[ $((t1 - t0)) -ge 50 ] && [ $((t1 - t0)) -le 52 ]
}

# rx-usecs 100 just set: it reads back and turned adaptive-rx off; turning
# adaptive-rx on reads back too.
coalesce_reads_back() {
	eth -c "$IF_A" | grep -Eq "^rx-usecs:[[:space:]]+100$" &&
		eth -c "$IF_A" | grep -Eq "^Adaptive RX:[[:space:]]+off" &&
		eth -C "$IF_A" adaptive-rx on &&
		eth -c "$IF_A" | grep -Eq "^Adaptive RX:[[:space:]]+on"
}

one_cable() {
	local drv=$1 model=$2 broken=${3:-} out
	[ -n "$broken" ] && { fail_cases $N "$drv $model: ethtool"; return; }
	ktap_check "$drv $model: ethtool -i names the driver" \
		eval 'eth -i "$IF_A" | grep -qx "driver: $drv"'
	under_traffic "$drv $model: rings resized to 512/1024 then 256/256 under TCP" resize_rings
	if eth -C "$IF_A" rx-usecs 100 2>/dev/null; then
		ktap_check "$drv $model: coalesce rx-usecs 100 reads back, adaptive-rx off then on" \
			coalesce_reads_back
	elif [ "$drv" = e1000 ]; then
		ktap_skip "$drv $model: coalesce rx-usecs" "refused by the in-tree e1000 on this model"
	else
		ktap_not_ok "$drv $model: ethtool -C rx-usecs 100 refused"
	fi
	ktap_check "$drv $model: register dump (ethtool -d)" \
		eval 'eth -d "$IF_A" raw on | od -An | grep -q .'
	ktap_check "$drv $model: EEPROM dump starts with the MAC" eeprom_has_mac
	if [ "$drv" = e1000 ]; then
		# Seen here: its register and loopback steps fail on QEMU's
		# device, and once it left the guest in a NAPI livelock.
		ktap_skip "$drv $model: offline self-test" "not run: the in-tree e1000's breaks on QEMU"
	else
		out=$(eth -t "$IF_A" offline 2>&1)
		echo "$out" | grep -v '^$' | sed 's/^/# /'
		ktap_check "$drv $model: offline self-test passes" \
			eval 'echo "$out" | grep -q "test result is PASS"'
	fi
	wait_until 10 carrier_is "$NS_A" "$IF_A" 1
	ping_all "$NS_A" 2 "$IP_B" >/dev/null
	ktap_check "$drv $model: traffic flows after the self-test" ping_all "$NS_A" 3 "$IP_B"
	ktap_check "$drv $model: 50 pings counted by ip and ethtool -S" counters_agree
}

cases_per_driver $N
cable_trap
for_each_cable_once one_cable
ktap_finish
