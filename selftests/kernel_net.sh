#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own network selftests against our driver and the in-tree
# e1000, from linux-source-6.1 (copied into the image by qemu/vm.sh from
# tools/testing/selftests/net: KERNEL_NET_TESTS there). netdevice.sh on a
# cable's two NICs; of net/forwarding/, the tests that run on one cabled
# pair (p1-p2) on a cable, and those that want two (h1-p1 - p2 router p3 -
# p4-h2) on the router topology's four NICs. Each driver runs them all;
# then one KTAP case per kernel test case: ok when ours passes it, not ok
# when ours fails a case the in-tree e1000 passes, a skip when both fail
# (QEMU's device lacks it: the README lists those) or the test skipped.
source "$(dirname "$0")/lib.sh"
require_root_vm

KDIR_TESTS=$PKTPATH_DIR/kernel-selftests/net
# make check: the quick ones; make check-all (PKTPATH_ALL_MODELS=1) adds
# the slow ones (tc_flower.sh alone takes 75 s a driver under TCG).
CABLE_TESTS="tc_chains.sh"
ROUTER_TESTS="router_vid_1.sh router_bridge.sh"
if [ "${PKTPATH_ALL_MODELS:-0}" = 1 ]; then
	CABLE_TESTS+=" tc_flower.sh ethtool.sh local_termination.sh"
	ROUTER_TESTS+=" pedit_dsfield.sh pedit_l4port.sh tc_vlan_modify.sh"
fi

skip_all() {
	ktap_plan 1
	ktap_skip "kernel net selftests" "$1"
	ktap_finish
}
[ -x "$KDIR_TESTS/netdevice.sh" ] || skip_all "not in the image (qemu/vm.sh copies them)"
case " $PKTPATH_DRIVERS " in
*" e1000 "*) ;;
*) skip_all "needs the in-tree e1000 as the reference (PKTPATH_DRIVERS)" ;;
esac
modprobe -a vrf 8021q cls_flower cls_matchall act_gact act_pedit act_csum act_mirred act_vlan \
	act_skbedit sch_ingress bridge 2>/dev/null

res=/tmp/kernel_net.$$
mkdir -p "$res"

# run_forwarding DRV TEST IF...: one net/forwarding test in a copy of the
# directory with a forwarding.config naming our interfaces; its "TEST:
# name [ OK ]" lines become "TEST<TAB>name<TAB>OK" in $res/DRV.
run_forwarding() {
	local drv=$1 t=$2 dir=/tmp/fwd.$$ i=1 out rc t0
	shift 2
	rm -rf "$dir"
	cp -r "$KDIR_TESTS/forwarding" "$dir"
	{
		echo "NETIF_CREATE=no"
		echo "declare -A NETIFS"
		for ifn in "$@"; do
			echo "NETIFS[p$i]=$ifn"
			i=$((i + 1))
		done
		echo "PING_COUNT=3"
	} >"$dir/forwarding.config"
	t0=$(now_ms)
	out=$(cd "$dir" && timeout $((240 * ${PKTPATH_TIMEOUT_SCALE:-1})) bash "./$t" 2>&1)
	rc=$?
	ktap_diag "$drv: $t exit $rc, $(( ($(now_ms) - t0) / 1000 ))s"
	if ! echo "$out" | grep -q '^TEST: '; then
		echo "$t	(whole test)	$([ $rc = 4 ] && echo SKIP || echo FAIL)	$(echo "$out" | tail -n 1)" >>"$res/$drv"
	fi
	echo "$out" | sed -n 's/^TEST: \(.*[^ ]\) *\[ *\(OK\|FAIL\|SKIP\|XFAIL\) *\]$/\1\t\2/p' |
		sed "s/^/$t\t/" >>"$res/$drv"
	echo "$out" | grep -E '\[FAIL\]' -A2 | head -n 12 | sed "s/^/  $drv $t: /" >>"$res/$drv.log"
	rm -rf "$dir"
}

# netdevice.sh tests every ethX in this namespace: the cable's two.
run_netdevice() {
	local drv=$1 out
	out=$(cd "$KDIR_TESTS" && timeout 120 bash ./netdevice.sh 2>&1)
	echo "$out" | sed -n 's/^\(PASS\|FAIL\|SKIP\): [^:]*: \(.*\)$/\2\t\1/p' | sort -u |
		sed 's/\tPASS$/\tOK/; s/^/netdevice.sh\t/' >>"$res/$drv"
}

one_driver() {
	local drv=$1 model a b m_c m_rl m_rr m_s ifs=() bdf
	model=$(cable_models | head -n 1)
	read -r a b < <(cable_macs "$model")
	BDF_A=$(nic_bdf "$a") BDF_B=$(nic_bdf "$b")
	IF_A=$(bind_nic "$BDF_A" "$drv") && IF_B=$(bind_nic "$BDF_B" "$drv") || {
		echo "(set-up)	cable	FAIL" >>"$res/$drv"
		return
	}
	run_netdevice "$drv"
	for t in $CABLE_TESTS; do
		run_forwarding "$drv" "$t" "$IF_A" "$IF_B"
	done
	unbind_nic "$BDF_A"
	unbind_nic "$BDF_B"
	read -r m_c m_rl m_rr m_s < <(router_macs)
	for bdf in "$(nic_bdf "$m_c")" "$(nic_bdf "$m_rl")" "$(nic_bdf "$m_rr")" "$(nic_bdf "$m_s")"; do
		ifs+=("$(bind_nic "$bdf" "$drv")") || { echo "(set-up)	router	FAIL" >>"$res/$drv"; return; }
	done
	for t in $ROUTER_TESTS; do
		run_forwarding "$drv" "$t" "${ifs[@]}"
	done
	for bdf in "$(nic_bdf "$m_c")" "$(nic_bdf "$m_rl")" "$(nic_bdf "$m_rr")" "$(nic_bdf "$m_s")"; do
		unbind_nic "$bdf"
	done
}

for drv in pktpath_e1000 e1000; do
	: >"$res/$drv"
	one_driver "$drv"
done

# One case per kernel test case, in the order ours ran them.
result_of() {
	awk -F'\t' -v t="$2" -v c="$3" '$1 == t && $2 == c { print $3; exit }' "$res/$1"
}
mapfile -t keys < <(cut -f1,2 "$res/pktpath_e1000" | awk '!seen[$0]++')
ktap_plan ${#keys[@]}
passed_ref=0 passed_ours=0
for k in "${keys[@]}"; do
	t=${k%%	*} c=${k#*	}
	ours=$(result_of pktpath_e1000 "$t" "$c") ref=$(result_of e1000 "$t" "$c")
	[ "$ref" = OK ] && passed_ref=$((passed_ref + 1))
	[ "$ours" = OK ] && passed_ours=$((passed_ours + 1))
	desc="kernel $t: $c (ours ${ours:-absent}, e1000 ${ref:-absent})"
	case $ours in
	OK) ktap_ok "$desc" ;;
	SKIP | XFAIL) ktap_skip "$desc" "skipped by the test" ;;
	*)
		if [ "$ref" = OK ]; then
			ktap_not_ok "$desc"
		else
			ktap_skip "$desc" "fails on the in-tree e1000 too"
		fi
		;;
	esac
done
ktap_diag "passed: ours $passed_ours, in-tree e1000 $passed_ref, of ${#keys[@]} cases"
cat "$res"/*.log 2>/dev/null | sed 's/^/# /'
rm -rf "$res"
ktap_finish
