#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the pktpath VM and run one job in it.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/topology.sh"

usage() {
	cat <<'USAGE'
usage: qemu/vm.sh [options]
  --kernel stock|debug   Debian's 6.1 kernel (default) or the debug kernel
  --topo cable|router|all  NIC wiring (default: cable); see qemu/topology.sh
  --model MODEL          e1000 (default), e1000-82544gc, e1000-82545em or
                         e1000e (82574L)
  --cmd 'COMMAND'        run COMMAND (bash) in the guest; its output is
                         printed here and its exit status is ours
  --tests 'T1 T2'        run these selftests ("all" for the whole list)
  --shell                interactive shell on this terminal
  --timeout SECONDS      kill the guest after this long (default 900)
  --logdir DIR           keep console.log and output.log here
  --mem MB               guest memory (default 2048)

No driver is bound to the NICs at boot. The built modules are in
/pktpath/{driver,nfmod}, the selftests in /pktpath/selftests.
Exit status: the job's; 124 guest timed out; 125 guest died without a
status (panic, crash); 126 the job passed but the kernel log shows a splat.
USAGE
}

kernel=stock topo=cable model=e1000 job= timeout=900 logdir= mem=2048 extra_append=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--topo) topo=$2; shift ;;
	--model) model=$2; shift ;;
	--cmd) job=$2; shift ;;
	--tests) job="cd /pktpath/selftests && ./run_tests.sh $2"; shift ;;
	--shell) job=shell ;;
	--timeout) timeout=$2; shift ;;
	--logdir) logdir=$2; shift ;;
	--mem) mem=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[ -n "$job" ] || { usage >&2; exit 2; }
topo_links "$topo" "$model" >/dev/null || die "unknown topology '$topo'"

case "$kernel" in
stock)
	kver=$(stock_kver) || die "no Debian 6.1 kernel: run qemu/setup.sh"
	bzimage=/boot/vmlinuz-$kver
	initrd=$(bash "$PKTPATH_TOP/qemu/initramfs.sh" stock)
	;;
debug)
	kdir=$(bash "$PKTPATH_TOP/qemu/debug-kernel.sh")
	bzimage=$kdir/arch/x86/boot/bzImage
	initrd=$(bash "$PKTPATH_TOP/qemu/initramfs.sh" debug "$kdir")
	# Under KASAN+lockdep on TCG the ACPI interpreter runs _PRT so slowly
	# that it hits its loop timeout and NICs end up without an IRQ: route
	# PCI interrupts from the BIOS tables instead.
	extra_append="${PKTPATH_APPEND-}"
	;;
*) die "unknown kernel '$kernel'" ;;
esac
[ -r "$bzimage" ] || die "cannot read $bzimage"

if [ -z "$logdir" ]; then
	logdir=$(mktemp -d /tmp/pktpath-vm.XXXXXX)
fi
mkdir -p "$logdir"
work=$(mktemp -d /tmp/pktpath-run.XXXXXX)
# Must not fail: under set -e a failing command here would replace the
# exit status of the whole script.
cleanup() {
	if [ -n "${ctl_pid:-}" ]; then kill "$ctl_pid" 2>/dev/null || true; fi
	if [ -n "${tail_pid:-}" ]; then kill "$tail_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# The per-run overlay: our build, the tests and the job, appended to the
# cached base initramfs as a second cpio archive.
ov=$work/overlay/pktpath
mkdir -p "$ov/driver" "$ov/nfmod" "$ov/selftests" "$ov/bin"
cp "$PKTPATH_TOP"/driver/*.ko "$ov/driver/" 2>/dev/null || true
cp "$PKTPATH_TOP"/nfmod/*.ko "$ov/nfmod/" 2>/dev/null || true
[ -x "$PKTPATH_TOP/tools/pktpath" ] && cp "$PKTPATH_TOP/tools/pktpath" "$ov/bin/"
# What 'make install' installs, for selftests/sys_install.sh (SRC=/pktpath).
mkdir -p "$ov/tools" "$ov/scripts"
cp "$PKTPATH_TOP/VERSION" "$ov/"
cp "$PKTPATH_TOP/scripts/install.sh" "$ov/scripts/"
for f in pktpath pktpath.8 pktpath-journey.8 pktpath.bash-completion; do
	[ -e "$PKTPATH_TOP/tools/$f" ] && cp "$PKTPATH_TOP/tools/$f" "$ov/tools/"
done
# The kernel's own net selftests that selftests/kernel_net.sh runs.
ksrc=$(kernel_source)/tools/testing/selftests/net
mkdir -p "$ov/kernel-selftests/net"
cp "$ksrc/netdevice.sh" "$ov/kernel-selftests/net/"
cp -r "$ksrc/forwarding" "$ov/kernel-selftests/net/"
# ... and the installed selftests tree ('make -C selftests install').
make -s -C "$PKTPATH_TOP/selftests" install INSTALL_PATH="$ov/kselftest" >/dev/null
cp -r "$PKTPATH_TOP"/selftests/. "$ov/selftests/"
cp -r "$PKTPATH_TOP"/qemu/guest "$ov/guest"
make -s -C "$PKTPATH_TOP/selftests" print-tests >"$ov/selftests/tests.list"
topo_links "$topo" "$model" >"$ov/topology"
printf '%s\n' "$job" >"$ov/job"
# Settings a test honours, passed through from the host's environment.
for v in PKTPATH_DRIVERS PKTPATH_FEATURE_DRIVERS PKTPATH_MODELS PKTPATH_ALL_MODELS PKTPATH_CYCLES PKTPATH_SUSPENDS PKTPATH_TIMEOUT_SCALE PKTPATH_WORK PKTPATH_KMEMLEAK_PASS \
	PKTPATH_BENCH_ROUNDS PKTPATH_BENCH_SECS PKTPATH_BENCH_RULES PKTPATH_BENCH_KINDS PKTPATH_BENCH_IMPLS; do
	[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}" >>"$ov/env"
done
(cd "$work/overlay" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/overlay.cpio.gz"
cat "$initrd" "$work/overlay.cpio.gz" >"$work/initrd.cpio.gz"

# TCG by default: on these build machines /dev/kvm exists but a KVM guest
# hangs (nested virtualisation). PKTPATH_ACCEL=kvm opts in where it works.
accel=(-accel tcg -cpu max)
if [ "${PKTPATH_ACCEL:-tcg}" = kvm ]; then
	accel=(-accel kvm -cpu host)
fi

console=$logdir/console.log
output=$logdir/output.log
: >"$output"
# random.trust_cpu: the CPU's RDRAND (TCG's -cpu max has it) seeds the
# kernel's random pool at boot, as Debian's kernel does by its config; the
# debug kernel otherwise waited minutes into a run, and until then %p in
# trace events prints no address (journey cannot join what it records).
args=(
	-nodefaults -no-reboot -display none -machine q35
	${accel[@]} -smp 2 -m "$mem"
	-kernel "$bzimage" -initrd "$work/initrd.cpio.gz"
	-append "console=ttyS0 ignore_loglevel panic=-1 oops=panic watchdog_thresh=60 net.ifnames=0 random.trust_cpu=on rdinit=/init $extra_append ${PKTPATH_APPEND_ALL:-}"
	-monitor "unix:$work/mon.sock,server=on,wait=off"
	-chardev "socket,id=ctl,path=$work/ctl.sock,server=on,wait=off"
)
if [ "$job" = shell ]; then
	args+=(-serial mon:stdio -serial "file:$output")
else
	args+=(-serial "file:$console" -serial "file:$output")
fi
args+=(-device isa-serial,chardev=ctl)
# shellcheck disable=SC2207
args+=($(topo_qemu_args "$topo" "$model"))

# wake_when_suspended: once the guest has entered S3 (QEMU's status
# "suspended"), wake it as the power button would (within 5 minutes).
wake_when_suspended() {
	local i
	for i in $(seq 600); do
		if echo "info status" | socat -t 1 - "UNIX-CONNECT:$work/mon.sock" 2>/dev/null |
			grep -q suspended; then
			echo system_wakeup | socat - "UNIX-CONNECT:$work/mon.sock" >/dev/null 2>&1
			return
		fi
		sleep 0.5
	done
}

# The guest drives QEMU through its third serial port (/dev/ttyS2), with
# these lines only: "set_link nicHHII on|off" (passed to the monitor) and
# "wake_when_suspended" (the S3 tests' wake-up call).
link_relay() {
	local line
	for _ in $(seq 50); do [ -S "$work/ctl.sock" ] && [ -S "$work/mon.sock" ] && break; sleep 0.1; done
	socat -u "UNIX-CONNECT:$work/ctl.sock" - 2>/dev/null | while read -r line; do
		line=${line%$'\r'}
		if [ "$line" = wake_when_suspended ]; then
			wake_when_suspended &
			continue
		fi
		[[ "$line" =~ ^set_link\ nic[0-9]{4}\ (on|off)$ ]] || continue
		echo "$line" | socat - "UNIX-CONNECT:$work/mon.sock" >/dev/null 2>&1
	done
}

if [ "$job" = shell ]; then
	link_relay & ctl_pid=$!
	qemu-system-x86_64 "${args[@]}" 2> >(grep -v 'is not connected to host network' >&2)
	exit 0
fi

start=$(date +%s)
qemu-system-x86_64 "${args[@]}" 2>"$logdir/qemu.err" &
qemu_pid=$!
link_relay & ctl_pid=$!
tail -n +1 -s 0.2 -f "$output" --pid=$qemu_pid 2>/dev/null |
	grep --line-buffered -v -e '^PKTPATH-STATUS: ' -e '^PKTPATH-FILE ' &
tail_pid=$!

rc=0
timed_out=0
while kill -0 $qemu_pid 2>/dev/null; do
	if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
		timed_out=1
		kill -9 $qemu_pid 2>/dev/null
		break
	fi
	sleep 1
done
wait $qemu_pid 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
tail_pid=

grep -v 'is not connected to host network' "$logdir/qemu.err" >&2 || true
# Files the guest sent (lib.sh's export_file): "PKTPATH-FILE NAME BASE64"
# lines, one file per NAME, into $logdir/files/.
if grep -q '^PKTPATH-FILE ' "$output"; then
	mkdir -p "$logdir/files"
	for name in $(sed -n 's/^PKTPATH-FILE \([A-Za-z0-9._-]*\) .*/\1/p' "$output" | sort -u); do
		sed -n "s/^PKTPATH-FILE $name \([A-Za-z0-9+/=]*\).*/\1/p" "$output" |
			base64 -d >"$logdir/files/$name" 2>/dev/null ||
			note "a file from the guest did not decode: $name"
	done
fi
status=$(sed -n 's/^PKTPATH-STATUS: \([0-9]*\).*/\1/p' "$output" | tail -n 1)
if [ "$timed_out" = 1 ]; then
	note "FAIL: guest timed out after ${timeout}s; last console lines ($console):"
	tail -n 15 "$console" | sed 's/^/    /' >&2
	rc=124
elif [ -z "$status" ]; then
	note "FAIL: guest died without reporting a status (panic or crash); console ($console):"
	tail -n 30 "$console" | sed 's/^/    /' >&2
	rc=125
else
	rc=$status
fi

if splat=$(bash "$PKTPATH_TOP/qemu/splat.sh" "$console"); then
	note "FAIL: kernel splat in the guest log ($console):"
	echo "$splat" | sed 's/^/    /' >&2
	[ "$rc" = 0 ] && rc=126
fi
note "guest $kernel/$topo ran $(( $(date +%s) - start ))s, status $rc; logs in $logdir"
exit "$rc"
