#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make install' on a machine of one's own, played on the guest's root:
# scripts/install.sh (what the Makefile's install target runs) puts the
# modules under /lib/modules/$(uname -r)/updates/pktpath and runs depmod;
# modprobe then finds them by name, modinfo shows version, license,
# description, parameters and aliases. Then the README's "On your own VM"
# sequence: a NIC driven by the in-tree e1000 is handed to ours with
# driver_override, ethtool -i names ours, the link carries pings to a peer
# still on the in-tree driver, and our statistics count them. (The
# journey is journey.sh's: each run patches trace points, and once here
# that livelocked TCG in text_poke_bp.) Last, uninstall removes every file and
# modprobe no longer finds the module.
source "$(dirname "$0")/lib.sh"
require_root_vm

ktap_plan 8

SRC=$PKTPATH_DIR
# As root's PATH on Debian: where make install puts the tool.
export PATH=/usr/local/sbin:$PATH
kver=$(uname -r)
moddir=/lib/modules/$kver/updates/pktpath
version=$(cat "$SRC/VERSION" 2>/dev/null)

if [ ! -f "$SRC/scripts/install.sh" ] || [ ! -f "$SRC/tools/pktpath.8" ] ||
	[ "$(modinfo -F vermagic "$SRC/driver/pktpath_e1000.ko" | cut -d' ' -f1)" != "$kver" ]; then
	for i in $(seq 8); do
		ktap_skip "install case $i" "no install files in the image, or modules built for another kernel"
	done
	ktap_finish
fi

for m in pktpath_e1000 pktpath_nf; do
	lsmod | grep -q "^$m " && rmmod "$m"
done

installed() {
	SRC=$SRC bash "$SRC/scripts/install.sh" install >/dev/null &&
		[ -f "$moddir/pktpath_e1000.ko" ] && [ -f "$moddir/pktpath_nf.ko" ] &&
		[ -x /usr/local/sbin/pktpath ] &&
		[ -f /usr/local/share/man/man8/pktpath.8 ] &&
		[ -f /usr/local/share/man/man8/pktpath-journey.8 ] &&
		[ -f /usr/local/share/bash-completion/completions/pktpath ] &&
		grep -q "updates/pktpath/pktpath_e1000.ko" "/lib/modules/$kver/modules.dep"
}
ktap_check "install.sh install: files in place, depmod indexed updates/pktpath" installed

by_name() {
	modprobe pktpath_e1000 debug=16 && modprobe pktpath_nf &&
		[ "$(modinfo -n pktpath_e1000)" = "$moddir/pktpath_e1000.ko" ] &&
		[ "$(modinfo -n pktpath_nf)" = "$moddir/pktpath_nf.ko" ] &&
		[ -d /sys/module/pktpath_e1000 ] && [ -d /sys/module/pktpath_nf ]
}
ktap_check "modprobe pktpath_e1000 and pktpath_nf by name, from updates/pktpath" by_name

modinfo_complete() {
	local m=pktpath_e1000 ids
	ids=$(modinfo -F alias $m | sed -n 's/^pci:v00008086d0000\([0-9A-F]*\)sv.*/\1/p' | sort | tr '\n' ' ')
	ktap_diag "version $(modinfo -F version $m), license $(modinfo -F license $m), parm $(modinfo -F parm $m), IDs $ids"
	[ "$(modinfo -F version $m)" = "$version" ] && [ "$(modinfo -F version pktpath_nf)" = "$version" ] &&
		[ "$(modinfo -F license $m)" = GPL ] && [ "$(modinfo -F license pktpath_nf)" = GPL ] &&
		[ -n "$(modinfo -F description $m)" ] && [ -n "$(modinfo -F description pktpath_nf)" ] &&
		modinfo -F parm $m | grep -q "^debug:" &&
		[ "$ids" = "100C 100E 100F 10D3 " ] &&
		[ "$(cat /sys/module/pktpath_e1000/version)" = "$version" ] &&
		[ "$(/usr/local/sbin/pktpath --version)" = "pktpath $version" ] &&
		/usr/local/sbin/pktpath rule list >/dev/null
}
ktap_check "modinfo: version $version, GPL, description, parameter debug, aliases 100C/100E/100F/10D3; the tool answers" \
	modinfo_complete

# The README's sequence, on A of a cable the in-tree e1000 drives.
handover() {
	local ifn
	echo pktpath_e1000 >"/sys/bus/pci/devices/$BDF_A/driver_override" &&
		echo "$BDF_A" >/sys/bus/pci/drivers/e1000/unbind &&
		echo "$BDF_A" >/sys/bus/pci/drivers_probe || return 1
	wait_until 5 eval 'test -n "$(nic_ifname "$BDF_A")"' || return 1
	ifn=$(nic_ifname "$BDF_A")
	ethtool -i "$ifn" | grep -qx "driver: pktpath_e1000" || return 1
	# Every class: 0x7fff over ethtool's netlink (the 15 named bits),
	# 0xffff over the ioctl (the debug kernel has no ETHTOOL_NETLINK).
	ethtool "$ifn" | grep -Eq "Current message level: 0x0000(7|f)fff" ||
		{ ktap_diag "debug=16 not applied: $(ethtool "$ifn" | grep -A1 'message level')"; return 1; }
	ip link set "$ifn" netns "$NS_A" && IF_A=$ifn &&
		ns_if_up "$NS_A" "$IF_A" "$IP_A/24" "$IP6_A/64" &&
		wait_until 10 carrier_is "$NS_A" "$IF_A" 1 &&
		wait_until 10 eval 'ping_all "$NS_A" 1 "$IP_B" >/dev/null' &&
		ping_all "$NS_A" 3 "$IP_B"
}

# The pings go through our rings: ours counts them (and little else).
ours_counts() {
	local t0 r0 t1 r1
	t0=$(ethtool_stat "$NS_A" "$IF_A" tx_packets)
	r0=$(ethtool_stat "$NS_A" "$IF_A" rx_packets)
	nsx "$NS_A" ping -q -c 10 -i 0.05 -W 1 "$IP_B" >/dev/null || return 1
	t1=$(ethtool_stat "$NS_A" "$IF_A" tx_packets)
	r1=$(ethtool_stat "$NS_A" "$IF_A" rx_packets)
	ktap_diag "10 pings: our tx_packets +$((t1 - t0)), rx_packets +$((r1 - r0))"
	# The interface is fresh: IPv6 router solicitations and MLD reports
	# of its own and the peer's may come on top (13 seen).
	[ $((t1 - t0)) -ge 10 ] && [ $((t1 - t0)) -le 16 ] &&
		[ $((r1 - r0)) -ge 10 ] && [ $((r1 - r0)) -le 16 ]
}

if cable_up e1000 "$(cable_models | head -n 1)"; then
	ktap_check "own VM: NIC handed from e1000 to pktpath_e1000 (driver_override), ethtool -i, debug=16, pings" handover
	ktap_check "own VM: 10 pings through our rings, counted by our ethtool -S" ours_counts
else
	ktap_not_ok "own VM: cable on the in-tree e1000"
	ktap_not_ok "own VM: pings counted"
fi
cable_down

# The installed selftests tree, as on a machine of one's own: nothing of
# the bench's but the NIC wiring (a topology file); the modules come from
# modprobe, the tool from PATH.
kselftest_tree() {
	local own=/tmp/ownvm out
	mkdir -p "$own" && cp "$PKTPATH_DIR/topology" "$own/" || return 1
	out=$(PKTPATH_DIR=$own PKTPATH=  PKTPATH_DRIVERS=pktpath_e1000 PKTPATH_FEATURE_DRIVERS=pktpath_e1000 \
		PKTPATH_MODELS="$(cable_models | head -n 1)" PKTPATH_ACCT=/tmp/own.acct PKTPATH_CASES=/tmp/own.cases \
		"$PKTPATH_DIR/kselftest/run_kselftest.sh" -t pktpath:nf_netlink.sh pktpath:link_ping.sh 2>&1)
	echo "$out" | grep -E '^(not )?ok|SKIP' | sed 's/^/# /'
	echo "$out" | grep -qx "ok 1 selftests: pktpath: nf_netlink.sh" &&
		echo "$out" | grep -qx "ok 2 selftests: pktpath: link_ping.sh"
}
if [ -x "$PKTPATH_DIR/kselftest/run_kselftest.sh" ]; then
	ktap_check "installed kselftest tree: nf_netlink.sh, link_ping.sh pass on the installed modules and tool" \
		kselftest_tree
else
	ktap_skip "installed kselftest tree" "not in the image"
fi

found_before=no
modprobe -n pktpath_e1000 2>/dev/null && found_before=yes
uninstalled() {
	rmmod pktpath_e1000 && rmmod pktpath_nf &&
		SRC=$SRC bash "$SRC/scripts/install.sh" uninstall >/dev/null &&
		[ ! -e "$moddir" ] && [ ! -e /usr/local/sbin/pktpath ] &&
		[ ! -e /usr/local/share/man/man8/pktpath.8 ] &&
		[ ! -e /usr/local/share/man/man8/pktpath-journey.8 ] &&
		[ ! -e /usr/local/share/bash-completion/completions/pktpath ]
}
ktap_check "install.sh uninstall: every installed file gone" uninstalled
ktap_check "after uninstall: modprobe no longer finds pktpath_e1000 (it did before)" \
	eval '[ $found_before = yes ] && ! modprobe -n pktpath_e1000 2>/dev/null'
ktap_finish
