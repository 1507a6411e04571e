#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check / make check-all: the static checks on the host while the VMs
# (every topology) run the selftest list; then the KTAP stream, a table of
# where the time went and exactly one summary line
# "N passed, N failed, N skipped" (cases, counted from the KTAP lines).
# Exits non-zero on any failed case, a guest timeout or crash, or a kernel
# splat in the guest log.
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernel=stock tier=check timeout=${PKTPATH_TIMEOUT:-} tests=all kdir=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--tier) tier=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--tests) tests=$2; shift ;;
	--kdir) kdir=$2; shift ;;
	*) die "usage: check.sh [--kernel stock|debug] [--tier check|all|ref] [--kdir KDIR] [--timeout S] [--tests 'T...']" ;;
	esac
	shift
done

# The tiers (README, "Test tiers"). Every test in selftests/Makefile's
# TEST_PROGS runs in every tier; the tiers differ in how wide each runs:
#   check  (make check, every change, both kernels in CI): the default NIC
#          model, and the 82574L (e1000e) for the link tests (ours, and the
#          in-tree e1000e on the stock kernel); the link tests and
#          router_forward on our driver and on
#          the in-tree e1000 (the reference: it proves the bench itself)
#          on the stock kernel, on ours only on the debug kernel (there the
#          point is our code under KASAN/lockdep); the feature tests
#          (drv_*) on ours; 10 load/unload cycles. On the debug kernel
#          each test's bulk (transfer sizes, rule counts, rounds: lib.sh's
#          work) is scaled to a quarter: KASAN and lockdep report on the
#          first ring wrap, and the debug guest is 4-6x slower; and
#          kmemleak tracks only the leak pass (below).
#   all    (make check-all): every model for every driver test, both
#          drivers everywhere, 50 load/unload cycles, kmemleak throughout.
#   ref    (make check-ref): the full reference pass: every driver test on
#          the in-tree e1000 alone, every model.
# The variables still override (PKTPATH_MODELS= is every model).
case "$tier" in
check)
	export PKTPATH_MODELS=${PKTPATH_MODELS-e1000 e1000e}
	if [ "$kernel" = debug ]; then
		export PKTPATH_DRIVERS=${PKTPATH_DRIVERS-pktpath_e1000}
		export PKTPATH_WORK=${PKTPATH_WORK-25}
	fi
	export PKTPATH_FEATURE_DRIVERS=${PKTPATH_FEATURE_DRIVERS-pktpath_e1000}
	export PKTPATH_CYCLES=${PKTPATH_CYCLES-10}
	# Each suspend flips the freezer's static key, and under TCG a
	# text_poke_bp can livelock a vCPU in its int3 (seen once in a
	# suspend's freeze, 2026-12-02): fewer suspends where every change runs.
	export PKTPATH_SUSPENDS=${PKTPATH_SUSPENDS-2}
	;;
all)
	export PKTPATH_MODELS=${PKTPATH_MODELS-}
	export PKTPATH_ALL_MODELS=${PKTPATH_ALL_MODELS-1}
	export PKTPATH_DRIVERS=${PKTPATH_DRIVERS-pktpath_e1000 e1000}
	export PKTPATH_FEATURE_DRIVERS=${PKTPATH_FEATURE_DRIVERS-$PKTPATH_DRIVERS}
	export PKTPATH_CYCLES=${PKTPATH_CYCLES-50}
	;;
ref)
	export PKTPATH_MODELS=${PKTPATH_MODELS-}
	export PKTPATH_ALL_MODELS=${PKTPATH_ALL_MODELS-1}
	export PKTPATH_DRIVERS=${PKTPATH_DRIVERS-e1000}
	export PKTPATH_FEATURE_DRIVERS=${PKTPATH_FEATURE_DRIVERS-$PKTPATH_DRIVERS}
	if [ "$tests" = all ]; then
		tests=$(make -s -C "$PKTPATH_TOP/selftests" print-tests | tr ' ' '\n' |
			grep -E '^(link_|router_|drv_|xdp_generic|xdp_redirect|module_unload)' | tr '\n' ' ')
	fi
	;;
*) die "unknown tier '$tier' (check, all or ref)" ;;
esac
# The debug kernel runs 3-4x slower under TCG: every test's limit scales.
if [ "$kernel" = debug ]; then
	export PKTPATH_TIMEOUT_SCALE=${PKTPATH_TIMEOUT_SCALE-3}
fi
# The whole guest's limit, a backstop for a hung kernel (tests have their own).
if [ -z "$timeout" ]; then
	timeout=1800
	[ "$kernel" = debug ] && timeout=$((timeout * 2))
	[ "$tier" = check ] || timeout=$((timeout * 2))
fi
note "tier $tier, $kernel kernel: models ${PKTPATH_MODELS:-all}," \
	"drivers ${PKTPATH_DRIVERS:-pktpath_e1000 e1000}, feature drivers" \
	"${PKTPATH_FEATURE_DRIVERS:-${PKTPATH_DRIVERS:-pktpath_e1000 e1000}}, ${PKTPATH_CYCLES:-50} cycles," \
	"work ${PKTPATH_WORK:-100}%"

logdir=${PKTPATH_LOGDIR:-/tmp/pktpath-check-$kernel}
rm -rf "$logdir"
mkdir -p "$logdir"
start=$(date +%s)
static_s=0 static_pid=
# Code-quality gates on the host (W=1 + sparse build, checkpatch, the tool's
# tests, install, DKMS), alongside the guests: they work in copies of their
# own, mostly on one core, and the stock guests leave 10-30% of the two
# idle. Their KTAP follows the suite's.
if [ -n "$kdir" ]; then
	(
		t0=$(date +%s)
		bash "$PKTPATH_TOP/qemu/static-checks.sh" "$kdir" 2>&1 | sed 's/^/# /' >"$logdir/static.log"
		echo $(( $(date +%s) - t0 )) >"$logdir/static.time"
	) &
	static_pid=$!
fi

# Two VMs at once (PKTPATH_VMS=1: one), each with every NIC and its own
# part of the list: the tests are dealt out longest first to the VM that
# would finish them sooner, by the weights below (a test not listed counts
# 60), each VM runs its part in TEST_PROGS order, and module_unload.sh
# (unload, kmemleak) runs last in both. The split is fixed for a given
# list, so a run is repeatable. The first VM's stream is shown live, the
# second's once it is done. Each test still runs alone in its guest, so a
# splat is still that test's.
#
# The leak pass (debug kernel, tier check, two VMs): kmemleak is two thirds
# of the debug guest's time (the whole debug suite 855 s without it, about
# 2,500 s with it), so only the first VM boots with it, runs the tests that
# create and destroy the modules' objects on their error and teardown paths
# (leak_tests) first, then module_unload.sh unloads everything, scans and
# switches kmemleak off for the rest of that VM's tests; the second VM boots
# with kmemleak=off. KASAN, lockdep and the other checkers stay on in both.
# make check-all KERNEL=debug (or PKTPATH_LEAK_PASS=0) keeps kmemleak on
# everywhere.
vms=${PKTPATH_VMS:-2}
leak_tests="drv_faults.sh drv_lifecycle.sh nf_netlink.sh nf_fuzz.sh nf_lifecycle.sh"
leak_pass=0
if [ "$kernel" = debug ] && [ "$tier" = check ] && [ "$vms" = 2 ] &&
	[ "${PKTPATH_LEAK_PASS:-1}" = 1 ]; then
	leak_pass=1
fi
# Seconds on the stock kernel / the debug kernel / the debug kernel without
# kmemleak (measured there, at PKTPATH_WORK=25: the slowdown differs from
# test to test, 2x for the netfilter tests' many small commands, more for
# the XDP and driver tests' probes and loads; kmemleak then doubles or
# triples it).
declare -A weights=(
	[link_ping.sh]=40/70/36 [link_tcp.sh]=34/90/34 [router_forward.sh]=24/98/48 [drv_mtu.sh]=18/94/45
	[drv_offload.sh]=46/260/109 [drv_vlan.sh]=13/91/42 [drv_filter.sh]=17/129/51 [drv_link.sh]=26/91/56
	[drv_pm.sh]=15/60/40 [drv_netconsole.sh]=9/61/33 [drv_txhang.sh]=30/101/52
	[drv_faults.sh]=9/161/80 [drv_ethtool.sh]=24/162/63 [drv_lifecycle.sh]=127/218/149
	[nf_filter.sh]=24/155/52 [nf_nat.sh]=32/200/81 [nf_cli.sh]=18/116/40 [nf_netlink.sh]=1/5/3
	[nf_atomic.sh]=34/189/65 [nf_lifecycle.sh]=14/80/49 [journey.sh]=43/220/106 [journey_stations.sh]=28/61/40
	[nf_harden.sh]=17/157/60 [nf_state.sh]=33/277/86 [nf_fuzz.sh]=3/24/8 [nf_classify.sh]=64/150/95 [xdp_native.sh]=138/460/146
	[xdp_generic.sh]=1/2/1 [xdp_redirect.sh]=31/158/48 [sys_install.sh]=22/101/44 [kernel_net.sh]=85/3/1
	[module_unload.sh]=2/41/5
)
# cost1/cost2: a test's weight in the first / the second VM.
declare -A cost1=() cost2=()
for t in "${!weights[@]}"; do
	IFS=/ read -r w_stock w_debug w_noleak <<<"${weights[$t]}"
	if [ "$kernel" != debug ]; then
		cost1[$t]=$w_stock cost2[$t]=$w_stock
	elif [ "$leak_pass" = 1 ]; then
		cost1[$t]=$w_noleak cost2[$t]=$w_noleak
		case " $leak_tests module_unload.sh " in *" $t "*) cost1[$t]=$w_debug ;; esac
	else
		cost1[$t]=$w_debug cost2[$t]=$w_debug
	fi
done
[ "$tests" = all ] && tests=$(make -s -C "$PKTPATH_TOP/selftests" print-tests)
last= list= leak_list=
for t in $tests; do
	if [ "$t" = module_unload.sh ]; then
		last=$t
	elif [ "$leak_pass" = 1 ] && [[ " $leak_tests " == *" $t "* ]]; then
		leak_list+="$t "
	else
		list+="$t "
	fi
done
# The leak pass ends with an unload and a scan of its own.
if [ -n "$leak_list" ]; then
	leak_list+="module_unload.sh "
	leak_pass_env=(PKTPATH_KMEMLEAK_PASS=1)
else
	leak_pass=0 leak_pass_env=()
fi
declare -A in_vm2=()
load1=0 load2=0
for t in $leak_list; do
	load1=$((load1 + ${cost1[$t]:-60}))
done
for t in $(for t in $list; do echo "${cost2[$t]:-60} $t"; done | sort -k1,1nr -k2 | cut -d' ' -f2); do
	if [ $((load2 + ${cost2[$t]:-60})) -lt $((load1 + ${cost1[$t]:-60})) ]; then
		in_vm2[$t]=1 load2=$((load2 + ${cost2[$t]:-60}))
	else
		load1=$((load1 + ${cost1[$t]:-60}))
	fi
done
group1=$leak_list group2=
for t in $list; do
	if [ -n "${in_vm2[$t]:-}" ]; then group2+="$t "; else group1+="$t "; fi
done
vm0=$(date +%s)
if [ "$vms" = 2 ] && [ -n "$group1" ] && [ -n "$group2" ]; then
	if [ "$leak_pass" = 1 ]; then
		note "two VMs: ~${load1}s of tests ($group1$last; kmemleak on until the first module_unload.sh)" \
			"and ~${load2}s ($group2$last; kmemleak=off)"
		vm2_append="kmemleak=off ${PKTPATH_APPEND-}"
	else
		note "two VMs: ~${load1}s of tests ($group1$last) and ~${load2}s ($group2$last)"
		vm2_append=${PKTPATH_APPEND-}
	fi
	mkdir -p "$logdir/vm2"
	PKTPATH_APPEND=$vm2_append bash "$PKTPATH_TOP/qemu/vm.sh" --kernel "$kernel" --topo all \
		--tests "$group2$last" --timeout "$timeout" --logdir "$logdir/vm2" >"$logdir/vm2/stdout" 2>&1 &
	vm2_pid=$!
	env "${leak_pass_env[@]}" bash "$PKTPATH_TOP/qemu/vm.sh" --kernel "$kernel" --topo all \
		--tests "$group1$last" --timeout "$timeout" --logdir "$logdir"
	vmrc=$?
	note "first VM done after $(( $(date +%s) - vm0 ))s (tests: $group1$last); the second VM's run ($group2$last):"
	wait "$vm2_pid"
	vm2rc=$?
	cat "$logdir/vm2/stdout"
	[ "$vmrc" = 0 ] && vmrc=$vm2rc
	outputs="$logdir/output.log $logdir/vm2/output.log"
else
	# module_unload.sh (unload everything, kmemleak) runs last.
	bash "$PKTPATH_TOP/qemu/vm.sh" --kernel "$kernel" --topo all --tests "$group1$group2$last" \
		--timeout "$timeout" --logdir "$logdir"
	vmrc=$?
	outputs=$logdir/output.log
fi
vm_s=$(( $(date +%s) - vm0 ))
if [ -n "$static_pid" ]; then
	wait "$static_pid"
	static_s=$(cat "$logdir/static.time" 2>/dev/null || echo 0)
	echo "# host: static checks against $kdir (${static_s}s, alongside the guests)"
	cat "$logdir/static.log"
fi

# Count cases: the tests' own KTAP lines ("# ok N ..." inside the
# runner's stream). A test program that failed without a failing case of
# its own (crash, timeout, splat) counts as one failure.
read -r pass fail skip < <(awk '
	/^# (not )?ok [0-9]+ / {
		if ($2 == "not") { fail++; sec_fail++ }
		else if ($0 ~ /# SKIP/) skip++
		else pass++
		next
	}
	/^not ok [0-9]+ selftests: / { if (sec_fail == 0) fail++; sec_fail = 0; next }
	/^ok [0-9]+ selftests: / { sec_fail = 0; next }
	END { print pass + 0, fail + 0, skip + 0 }' $(ls "$logdir"/static.log $outputs 2>/dev/null) /dev/null)

if [ "$vmrc" != 0 ] && [ "$fail" = 0 ]; then
	fail=1
fi
case $vmrc in
0|1) ;;
124) note "the guest timed out (see above)" ;;
125) note "the guest died (see above)" ;;
126) note "a kernel splat was found (see above)" ;;
*) note "the VM run failed with status $vmrc" ;;
esac

# Where the time went: the tests by wall time (slowest first) with lib.sh's
# accounting, then the phases. "ref" is time on the in-tree e1000,
# "transfer" TCP transfers, "wait" polling for a state, "dropwait" time
# spent proving that something did not arrive (they overlap).
time_table() {
	awk -v static_s="$static_s" -v vm_s="$vm_s" -v total_s="$1" '
	{ sub(/\r$/, "") }
	FNR == 1 { vm++ }
	/^# [^ ]+ took [0-9]+s$/ {
		t = $2; if (t in took) t = t " (vm" vm ")"
		took[t] = substr($4, 1, length($4) - 1); order[++n] = t; next
	}
	/^# [^ ]+ spent:/ {
		if (vm > 1 && ($2 " (vm" vm ")") in took) $2 = $2 " (vm" vm ")"
		for (i = 4; i <= NF; i++) {
			split($i, kv, "="); v = substr(kv[2], 1, length(kv[2]) - 1)
			spent[$2, kv[1]] = v; sum[kv[1]] += v
		}
		next
	}
	/^# runner: guest up / { nvm++; if ($5 + 0 > boot) boot = $5 + 0 }
	END {
		if (n == 0) exit
		# Selection sort by time, slowest first (a handful of tests).
		for (i = 1; i <= n; i++) idx[i] = order[i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (took[idx[j]] + 0 > took[idx[i]] + 0) { x = idx[i]; idx[i] = idx[j]; idx[j] = x }
		printf "%-22s %6s %7s %9s %7s %9s\n", "test", "time", "ref", "transfer", "wait", "dropwait"
		for (i = 1; i <= n; i++) {
			t = idx[i]; tests += took[t]
			printf "%-22s %5ds %6.0fs %8.0fs %6.0fs %8.0fs\n", t, took[t],
				spent[t, "ref"], spent[t, "transfer"], spent[t, "wait"], spent[t, "dropwait"]
		}
		printf "%-22s %5ds %6.0fs %8.0fs %6.0fs %8.0fs\n", "all tests", tests,
			sum["ref"], sum["transfer"], sum["wait"], sum["dropwait"]
		if (nvm == 1)
			printf "phases: static checks %ds (alongside), guest boot %.0fs, tests %ds, VM other %.0fs (image, shutdown, runner), total %ds\n",
				static_s, boot, tests, vm_s - boot - tests, total_s
		else
			printf "phases: static checks %ds (alongside), %d VMs at once: guest boot %.0fs (slowest), tests %ds summed in %ds of VM time, total %ds\n",
				static_s, nvm, boot, tests, vm_s, total_s
	}' $outputs 2>/dev/null | sed 's/^/pktpath: /' | tee "$logdir/times.txt"
}
total_s=$(( $(date +%s) - start ))
time_table "$total_s"

note "$kernel kernel, tier $tier: suite took ${total_s}s; logs in $logdir"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ "$vmrc" = 0 ]
