# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for pktpath selftests: KTAP output, drivers, NICs and the
# network namespaces that turn the VM's emulated cables into hosts.
# Sourced by every test. Tests must run as root inside the pktpath VM.

ksft_skip=4
PKTPATH_DIR=${PKTPATH_DIR:-/pktpath}
# The tool and our modules: the bench's image has them under $PKTPATH_DIR;
# elsewhere (an installed selftests tree, 'make -C selftests install') the
# installed ones: pktpath in PATH, the modules by modprobe.
if [ -z "${PKTPATH:-}" ]; then
	PKTPATH=$PKTPATH_DIR/bin/pktpath
	[ -x "$PKTPATH" ] || PKTPATH=$(command -v pktpath || echo "$PKTPATH")
fi
# Drivers under test: ours and the in-tree e1000, the reference.
PKTPATH_DRIVERS=${PKTPATH_DRIVERS:-"pktpath_e1000 e1000"}
# Drivers for the feature tests (drv_*); the debug run narrows this to ours.
PKTPATH_FEATURE_DRIVERS=${PKTPATH_FEATURE_DRIVERS:-$PKTPATH_DRIVERS}

# ---- KTAP -----------------------------------------------------------------
ktap_n=0 ktap_pass=0 ktap_fail=0 ktap_skip=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	ktap_n=$((ktap_n + 1)) ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $*"
	case_time
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1)) ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $*"
	case_time
}

# ktap_skip DESCRIPTION REASON
ktap_skip() {
	ktap_n=$((ktap_n + 1)) ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n $1 # SKIP $2"
	case_time
}

# ktap_check DESCRIPTION COMMAND...: one result from a command's status.
ktap_check() {
	local desc=$1
	shift
	if "$@"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc"
	fi
}

ktap_diag() {
	echo "# $*"
}

# Exit status in kselftest terms: 1 on any failure, 4 if all skipped.
ktap_finish() {
	ktap_diag "pass:$ktap_pass fail:$ktap_fail skip:$ktap_skip"
	[ "$ktap_fail" -gt 0 ] && exit 1
	[ "$ktap_pass" -eq 0 ] && [ "$ktap_skip" -gt 0 ] && exit $ksft_skip
	exit 0
}

require_root_vm() {
	if [ "$(id -u)" != 0 ] || [ ! -f "$PKTPATH_DIR/topology" ]; then
		ktap_plan 0
		ktap_diag "SKIP: needs root inside the pktpath VM ($PKTPATH_DIR/topology)"
		exit $ksft_skip
	fi
}

# ---- where the time goes -----------------------------------------------------
# acct CATEGORY START_MS adds the time since START_MS to CATEGORY: run_tests.sh
# prints each test's sums ("# NAME spent: ...") and make check adds them up.
# Categories: ref (cases run on the in-tree e1000), transfer (tcp_transfer),
# wait (polling for a state: carrier, a listener, a counter), dropwait (time
# spent proving that something did not arrive). They overlap: a transfer on
# the reference driver counts in both.
PKTPATH_ACCT=${PKTPATH_ACCT:-/tmp/pktpath.acct}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

acct() {
	echo "$1 $(( $(now_ms) - $2 ))" >>"$PKTPATH_ACCT"
}

# case_time: each case's time (since the previous result, or the test's
# start) goes to PKTPATH_CASES as "N MS"; the runner names the slowest.
PKTPATH_CASES=${PKTPATH_CASES:-/tmp/pktpath.cases}
ktap_t0=$(( $(date +%s%N) / 1000000 ))
case_time() {
	local t
	t=$(now_ms)
	echo "$ktap_n $((t - ktap_t0))" >>"$PKTPATH_CASES"
	ktap_t0=$t
}

# ---- how much work ----------------------------------------------------------
# trace_anchor_on / trace_anchor_off: keep the trace events a journey uses
# enabled (recording nothing) in an instance of the test's own, so that a
# journey's enabling and disabling them never flips their tracepoints'
# static keys, nor the scheduler probes that tracing keeps while any event
# is on. Each flip patches kernel text with text_poke_bp; under QEMU 7.2's
# TCG a vCPU then got stuck for good in the int3 handler at the patched site
# (__schedule: an RCU stall, the guest hung) in 2 of ~10 runs of
# journey.sh. Real hardware does not need this; the journeys do the same.
# The journey's kprobe events (arming one patches text too) are created
# first and held on as well; trace_anchor_off removes them.
TRACE_ANCHOR=/sys/kernel/tracing/instances/selftest-anchor
trace_anchor_on() {
	local ev
	mkdir -p "$TRACE_ANCHOR" 2>/dev/null || return 0
	echo 0 >"$TRACE_ANCHOR/tracing_on"
	echo 4 >"$TRACE_ANCHOR/buffer_size_kb"
	"$PKTPATH" journey --probes on >/dev/null 2>&1
	for ev in pktpath_nf pktpath_e1000 pktpath_journey fib/fib_table_lookup fib6/fib6_table_lookup \
		net/netif_rx net/netif_receive_skb net/net_dev_queue net/net_dev_xmit \
		skb/skb_copy_datagram_iovec skb/kfree_skb skb/consume_skb; do
		[ -e "$TRACE_ANCHOR/events/$ev/enable" ] && echo 1 >"$TRACE_ANCHOR/events/$ev/enable"
	done
	return 0
}
trace_anchor_off() {
	[ -d "$TRACE_ANCHOR" ] || return 0
	echo 0 >"$TRACE_ANCHOR/events/enable"
	rmdir "$TRACE_ANCHOR"
	"$PKTPATH" journey --probes off >/dev/null 2>&1
	return 0
}

# in_order FILE PATTERN...: the lines of FILE contain lines matching the
# patterns in this order (other lines may come between); the journey
# tests' check of a timeline's stations.
in_order() {
	local file=$1 pat line
	shift
	pat=$1
	while IFS= read -r line; do
		if [ -n "$pat" ] && [[ "$line" =~ $pat ]]; then
			shift
			pat=${1:-}
		fi
	done <"$file"
	[ -z "$pat" ] && return 0
	ktap_diag "station '$pat' missing or out of order in:"
	sed 's/^/#   /' "$file"
	return 1
}

# export_file PATH [NAME]: send a guest file to the host, which writes it
# to the run's log directory as files/NAME (qemu/vm.sh), through this
# job's output (the second serial port): base64 lines the host filters out.
export_file() {
	local name=${2:-$(basename "$1")}
	base64 -w 76 "$1" | sed "s|^|PKTPATH-FILE $name |"
}

# PKTPATH_WORK (percent, default 100) scales each test's bulk: transfer
# sizes, rule counts, rounds. make check on the debug kernel runs at 25:
# KASAN, lockdep and kmemleak report a bug on the first ring wrap or the
# first thousand rules as surely as on the fiftieth, and the debug kernel
# under TCG moves TCP at a third of a MiB a second. make check-all keeps
# every size whole on both kernels.
# work N [MIN]: N at that scale, at least MIN (default 1).
work() {
	local n=$(( $1 * ${PKTPATH_WORK:-100} / 100 )) min=${2:-1}
	echo $(( n > min ? n : min ))
}

# grouped N: N with thousands separated by commas (65,536), for case names.
grouped() {
	local n=$1 s=
	while [ ${#n} -gt 3 ]; do
		s=,${n: -3}$s
		n=${n:0:${#n}-3}
	done
	echo "$n$s"
}

# wait_until SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds,
# false once SECONDS have passed. Every fixed wait of a test should be one
# of these: it costs only the time the state takes to appear.
wait_until() {
	local t0 deadline
	"${@:2}" 2>/dev/null && return 0
	t0=$(now_ms)
	deadline=$(( t0 + $1 * 1000 ))
	shift
	until "$@" 2>/dev/null; do
		if [ "$(now_ms)" -ge $deadline ]; then
			acct wait "$t0"
			return 1
		fi
		sleep 0.1
	done
	acct wait "$t0"
}

# ---- topology ---------------------------------------------------------------
# /pktpath/topology lines: <link> <model> <mac>... (see qemu/topology.sh)

# Models that have a cable in this VM (limited to PKTPATH_MODELS if set).
cable_models() {
	awk -v only=" ${PKTPATH_MODELS:-} " '$1 == "cable" &&
		(only == "  " || index(only, " " $2 " ")) { print $2 }' "$PKTPATH_DIR/topology"
}

# cable_macs MODEL: the two MACs of that model's cable.
cable_macs() {
	awk -v m="$1" '$1 == "cable" && $2 == m { print $3, $4 }' "$PKTPATH_DIR/topology"
}

# nic_bdf MAC: a NIC's PCI address, known before any driver is bound
# (qemu/topology.sh puts MAC 52:54:00:00:HH:II in slot 4 + 2*HH + II).
nic_bdf() {
	local hub=$((16#$(echo "$1" | cut -d: -f5))) port=$((16#$(echo "$1" | cut -d: -f6)))
	printf '0000:00:%02x.0\n' $((4 + 2 * hub + port))
}

# nic_qemu_id MAC: the NIC's QEMU id, for qemu_set_link.
nic_qemu_id() {
	echo "nic$(echo "$1" | cut -d: -f5,6 | tr -d :)"
}

# ---- drivers ----------------------------------------------------------------

# load_ours DIR/NAME: our module from $PKTPATH_DIR/DIR, else installed.
load_ours() {
	if [ -f "$PKTPATH_DIR/$1.ko" ]; then
		insmod "$PKTPATH_DIR/$1.ko"
	else
		modprobe "$(basename "$1")"
	fi
}

# load_driver NAME: the in-tree e1000 via modprobe, ours from /pktpath.
load_driver() {
	[ -d "/sys/bus/pci/drivers/$1" ] && return 0
	case "$1" in
	pktpath_e1000) load_ours driver/pktpath_e1000 ;;
	*) modprobe "$1" ;;
	esac
}

# nic_driver BDF: the driver bound to a NIC, empty if none.
nic_driver() {
	local d=/sys/bus/pci/devices/$1/driver
	[ -e "$d" ] && basename "$(readlink "$d")"
}

# nic_ifname BDF: the netdev a bound NIC registered (in the init netns).
nic_ifname() {
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1
}

# bind_nic BDF DRIVER: bind one NIC to DRIVER (driver_override lets ours
# and the in-tree e1000 drive different NICs of the same VM); prints the
# interface name.
bind_nic() {
	local bdf=$1 drv=$2 cur
	load_driver "$drv" || return 1
	cur=$(nic_driver "$bdf")
	[ -n "$cur" ] && [ "$cur" != "$drv" ] && echo "$bdf" >"/sys/bus/pci/drivers/$cur/unbind"
	echo "$drv" >"/sys/bus/pci/devices/$bdf/driver_override"
	[ "$cur" = "$drv" ] || echo "$bdf" >/sys/bus/pci/drivers_probe
	wait_until 5 eval 'test -n "$(nic_ifname "$bdf")"' || return 1
	nic_ifname "$bdf"
}

unbind_nic() {
	local cur
	cur=$(nic_driver "$1")
	[ -n "$cur" ] && echo "$1" >"/sys/bus/pci/drivers/$cur/unbind"
	echo none >"/sys/bus/pci/devices/$1/driver_override"
}

# qemu_set_link MAC on|off: pull a NIC's cable in QEMU (the host relays
# this line from /dev/ttyS2 to QEMU's monitor).
qemu_set_link() {
	echo "set_link $(nic_qemu_id "$1") $2" >/dev/ttyS2
}

# ---- network namespaces -----------------------------------------------------
# cable_up DRIVER MODEL: bind both NICs of MODEL's cable to DRIVER and
# give each its own namespace, $NS_A and $NS_B, with interfaces $IF_A and
# $IF_B: 10.99.0.1/24 fd99::1/64 and 10.99.0.2/24 fd99::2/64. Waits for
# carrier. Undone by cable_down (also from the EXIT trap of cable_trap).
NS_A=pp_a NS_B=pp_b
IP_A=10.99.0.1 IP_B=10.99.0.2 IP6_A=fd99::1 IP6_B=fd99::2

cable_up() {
	local drv=$1 model=$2 mac_a mac_b
	read -r mac_a mac_b < <(cable_macs "$model")
	[ -n "$mac_b" ] || return 1
	BDF_A=$(nic_bdf "$mac_a") BDF_B=$(nic_bdf "$mac_b")
	MAC_A=$mac_a MAC_B=$mac_b
	IF_A=$(bind_nic "$BDF_A" "$drv") || return 1
	IF_B=$(bind_nic "$BDF_B" "$drv") || return 1
	ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
	ip link set "$IF_A" netns "$NS_A" && ip link set "$IF_B" netns "$NS_B" || return 1
	ns_if_up "$NS_A" "$IF_A" "$IP_A/24" "$IP6_A/64" || return 1
	ns_if_up "$NS_B" "$IF_B" "$IP_B/24" "$IP6_B/64" || return 1
	wait_until 10 carrier_is "$NS_A" "$IF_A" 1 || return 1
	wait_until 10 carrier_is "$NS_B" "$IF_B" 1 || return 1
}

ns_if_up() {
	ip -n "$1" link set lo up &&
		ip -n "$1" addr add "$3" dev "$2" &&
		ip -n "$1" addr add "$4" dev "$2" nodad &&
		ip -n "$1" link set "$2" up
}

carrier_is() {
	[ "$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = "$3" ]
}

# Deleting a namespace hands its physical interfaces back to init_net.
cable_down() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	[ -n "${BDF_A:-}" ] && wait_until 5 eval 'test -n "$(nic_ifname "$BDF_A")"'
	[ -n "${BDF_B:-}" ] && wait_until 5 eval 'test -n "$(nic_ifname "$BDF_B")"'
	[ -n "${BDF_A:-}" ] && unbind_nic "$BDF_A"
	[ -n "${BDF_B:-}" ] && unbind_nic "$BDF_B"
	BDF_A= BDF_B=
}

# Clean up on exit, also when the runner's timeout sends SIGTERM (bash
# skips the EXIT trap on a fatal signal unless the signal is trapped).
cable_trap() {
	trap cable_down EXIT
	trap 'exit 143' TERM INT
}

# model_driver DRIVER MODEL: the driver that drives MODEL for DRIVER: the
# in-tree reference for QEMU's 82574L (e1000e) is e1000e, not e1000.
model_driver() {
	if [ "$1" = e1000 ] && [ "$2" = e1000e ]; then
		echo e1000e
	else
		echo "$1"
	fi
}

# is_ref DRIVER: the in-tree reference driver (e1000, or e1000e).
is_ref() {
	[ "$1" = e1000 ] || [ "$1" = e1000e ]
}

# on_cable FUNC DRIVER MODEL: bring MODEL's cable up on DRIVER (the model's
# own, model_driver), call FUNC DRIVER MODEL (with a third argument,
# "broken", when the cable did not come up, so FUNC reports its cases as
# failed), then take it down.
on_cable() {
	local t0 drv
	t0=$(now_ms)
	drv=$(model_driver "$2" "$3")
	if cable_up "$drv" "$3"; then
		"$1" "$drv" "$3"
	else
		ktap_diag "cannot bring up the $3 cable with $drv"
		"$1" "$drv" "$3" broken
	fi
	cable_down
	is_ref "$drv" && acct ref "$t0"
	return 0
}

# for_each_cable FUNC: on_cable for every driver under test and every
# cable model in this VM.
for_each_cable() {
	local drv model
	for drv in $PKTPATH_DRIVERS; do
		for model in $(cable_models); do
			on_cable "$1" "$drv" "$model"
		done
	done
}

# pings_lost NS COUNT ARGS...: true when none of COUNT echo requests is
# answered. The requests go out 50 ms apart and ping waits 0.5 s for a late
# reply: on these paths a reply takes milliseconds, and the tests prove the
# drop from counters as well (the rule that dropped them, the receiver's).
pings_lost() {
	local ns=$1 count=$2 t0 rc=0
	shift 2
	t0=$(now_ms)
	ip netns exec "$ns" ping -q -c "$count" -i 0.05 -W 0.5 "$@" 2>&1 |
		grep -q ' [1-9][0-9]* received' && rc=1
	acct dropwait "$t0"
	return $rc
}

# snmp_counter NS TABLE FIELD: a counter of /proc/net/snmp in NS
# (TABLE Udp, Tcp, Ip, ...: a header line names the fields, a line of
# values follows).
snmp_counter() {
	ip netns exec "$1" awk -v t="$2:" -v f="$3" '$1 == t { if (!h) { for (i = 2; i <= NF; i++)
		c[$i] = i; h = 1 } else { print $c[f]; exit } }' /proc/net/snmp
}

# icmp_out NS echo|echo6: echo replies NS has sent (from /proc/net/snmp*),
# the receiver's own account of whether it answered.
icmp_out() {
	case "$2" in
	echo) ip netns exec "$1" awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Icmp:" { print $c["OutEchoReps"] }' /proc/net/snmp ;;
	echo6) ip netns exec "$1" awk '$1 == "Icmp6OutEchoReplies" { print $2 }' /proc/net/snmp6 ;;
	esac
}

# listening NS PORT [tcp|udp]: a socket listens on PORT in NS.
listening() {
	local opt=-Hltn
	[ "${3:-tcp}" = udp ] && opt=-Hlun
	ip netns exec "$1" ss $opt "sport = :$2" | grep -q .
}

# established NS PORT: a TCP connection to or from PORT is established in NS.
established() {
	ip netns exec "$1" ss -Htn state established "( dport = :$2 or sport = :$2 )" | grep -q .
}

# ping_all NS COUNT ARGS...: true when every one of COUNT echo requests
# is answered.
ping_all() {
	local ns=$1 count=$2 out
	shift 2
	out=$(ip netns exec "$ns" ping -q -c "$count" -i 0.2 -W 2 "$@" 2>&1)
	echo "$out" | grep -q " $count received" && return 0
	echo "$out" | tail -n 2 | sed 's/^/# /'
	return 1
}

# ---- the router topology ------------------------------------------------------
# router_up DRIVER: client -- router -- server over the VM's router NICs,
# all bound to DRIVER, in namespaces $NS_C, $NS_R, $NS_S:
#   client  $IF_C   10.1.0.2/24  fd01::2/64   default via the router
#   router  $IF_RL  10.1.0.1/24  fd01::1/64   (left)  forwarding on
#           $IF_RR  10.2.0.1/24  fd02::1/64   (right)
#   server  $IF_S   10.2.0.2/24  fd02::2/64   default via the router
NS_C=pp_client NS_R=pp_router NS_S=pp_server
IP_C=10.1.0.2 IP_RL=10.1.0.1 IP_RR=10.2.0.1 IP_S=10.2.0.2
IP6_C=fd01::2 IP6_RL=fd01::1 IP6_RR=fd02::1 IP6_S=fd02::2

router_macs() {
	awk '$1 == "router" { print $3, $4, $5, $6 }' "$PKTPATH_DIR/topology"
}

router_up() {
	local drv=$1 m_c m_rl m_rr m_s
	read -r m_c m_rl m_rr m_s < <(router_macs)
	[ -n "$m_s" ] || return 1
	ROUTER_BDFS="$(nic_bdf "$m_c") $(nic_bdf "$m_rl") $(nic_bdf "$m_rr") $(nic_bdf "$m_s")"
	IF_C=$(bind_nic "$(nic_bdf "$m_c")" "$drv") || return 1
	IF_RL=$(bind_nic "$(nic_bdf "$m_rl")" "$drv") || return 1
	IF_RR=$(bind_nic "$(nic_bdf "$m_rr")" "$drv") || return 1
	IF_S=$(bind_nic "$(nic_bdf "$m_s")" "$drv") || return 1
	local ns
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		ip netns add "$ns" || return 1
	done
	ip link set "$IF_C" netns "$NS_C" && ip link set "$IF_RL" netns "$NS_R" &&
		ip link set "$IF_RR" netns "$NS_R" && ip link set "$IF_S" netns "$NS_S" || return 1
	router_addresses || return 1
	wait_until 10 carrier_is "$NS_C" "$IF_C" 1 &&
		wait_until 10 carrier_is "$NS_R" "$IF_RL" 1 &&
		wait_until 10 carrier_is "$NS_R" "$IF_RR" 1 &&
		wait_until 10 carrier_is "$NS_S" "$IF_S" 1
}

# router_addresses: addresses, forwarding and routes of the router
# topology, once $IF_C $IF_RL $IF_RR $IF_S sit in their namespaces.
router_addresses() {
	ns_if_up "$NS_C" "$IF_C" "$IP_C/24" "$IP6_C/64" &&
		ns_if_up "$NS_R" "$IF_RL" "$IP_RL/24" "$IP6_RL/64" &&
		ns_if_up "$NS_R" "$IF_RR" "$IP_RR/24" "$IP6_RR/64" &&
		ns_if_up "$NS_S" "$IF_S" "$IP_S/24" "$IP6_S/64" || return 1
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
		ip -n "$NS_C" route add default via "$IP_RL" &&
		ip -n "$NS_C" -6 route add default via "$IP6_RL" &&
		ip -n "$NS_S" route add default via "$IP_RR" &&
		ip -n "$NS_S" -6 route add default via "$IP6_RR"
}

router_down() {
	local ns bdf
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		ip netns del "$ns" 2>/dev/null
	done
	for bdf in ${ROUTER_BDFS:-}; do
		wait_until 5 eval 'test -n "$(nic_ifname "$bdf")"'
		unbind_nic "$bdf"
	done
	ROUTER_BDFS=
}

# ethtool_stat NS IF NAME: one ethtool -S counter.
ethtool_stat() {
	ip netns exec "$1" ethtool -S "$2" | awk -v n="$3:" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }'
}

# link_counter NS IF rx|tx packets|bytes: one netdev statistic.
link_counter() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3_$4"
}

# tcp_transfer NS_FROM NS_TO DST FILE [PORT]: send FILE over TCP (socat)
# and check the receiver got it byte for byte (SHA-256). DST may be [v6].
# Several may run at once on different ports.
tcp_transfer() {
	local from=$1 to=$2 dst=$3 file=$4 port=${5:-5001} fam=4 srv i want got
	local recv=/tmp/recv.$port
	[[ "$dst" == \[* ]] && fam=6
	# A backstop against a hung transfer, not a speed limit: it scales
	# with the kernel's slowness (the debug kernel's PKTPATH_TIMEOUT_SCALE).
	local t0 limit=$((90 * ${PKTPATH_TIMEOUT_SCALE:-1}))
	t0=$(now_ms)
	rm -f "$recv"
	ip netns exec "$to" timeout "$limit" socat -u \
		"TCP$fam-LISTEN:$port,reuseaddr" "OPEN:$recv,creat,trunc" &
	srv=$!
	wait_until 5 listening "$to" "$port"
	if ! ip netns exec "$from" timeout "$limit" socat -u "OPEN:$file" "TCP$fam:$dst:$port"; then
		kill $srv 2>/dev/null
		wait $srv 2>/dev/null
		ktap_diag "sender failed"
		acct transfer "$t0"
		return 1
	fi
	wait $srv || { ktap_diag "receiver failed"; acct transfer "$t0"; return 1; }
	acct transfer "$t0"
	want=$(sha256sum <"$file") got=$(sha256sum <"$recv")
	[ "$want" = "$got" ] && { rm -f "$recv"; return 0; }
	ktap_diag "sent $(stat -c %s "$file") bytes, received $(stat -c %s "$recv"); checksums differ"
	return 1
}

# make_file PATH MIB: random test data, made once.
make_file() {
	[ "$(stat -c %s "$1" 2>/dev/null)" = $(($2 * 1024 * 1024)) ] ||
		head -c $(($2 * 1024 * 1024)) /dev/urandom >"$1"
}

# under_traffic DESCRIPTION ACTION...: run a TCP transfer of $(work 32) MiB
# from $NS_A to $NS_B and, while it runs, ACTION; one case passes when the
# action succeeded and the transfer completed intact.
under_traffic() {
	local desc=$1 pid rc_act rc_tx
	shift
	make_file /tmp/bulk "$(work 32)"
	tcp_transfer "$NS_A" "$NS_B" "$IP_B" /tmp/bulk 5002 &
	pid=$!
	# The action starts as soon as data flows (not after a fixed pause,
	# which on a fast run could outlast the transfer).
	wait_until 10 established "$NS_A" 5002 || ktap_diag "the transfer did not start"
	kill -0 $pid 2>/dev/null || ktap_diag "the transfer ended before the action"
	"$@"
	rc_act=$?
	wait $pid
	rc_tx=$?
	[ $rc_act = 0 ] || ktap_diag "the action failed ($rc_act)"
	[ $rc_tx = 0 ] || ktap_diag "the transfer did not survive it"
	if [ $rc_act = 0 ] && [ $rc_tx = 0 ]; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc"
	fi
}

# nsx NS CMD...: shorthand for ip netns exec.
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# cases_per_cable N: the plan for a test that reports N cases per driver
# and cable model.
cases_per_cable() {
	local d m
	d=$(echo $PKTPATH_DRIVERS | wc -w) m=$(cable_models | wc -l)
	ktap_plan $((d * m * $1))
}

# fail_cases N DESCRIPTION: report N failures when the set-up broke.
fail_cases() {
	local i
	for i in $(seq "$1"); do
		ktap_not_ok "$2 (set-up failed) #$i"
	done
}

# ping_refused NS ARGS...: true when the sender refuses to send (DF set
# and the packet exceeds the MTU): proves the largest size really filled it.
ping_refused() {
	local ns=$1
	shift
	! ip netns exec "$ns" ping -q -c 1 -W 1 "$@" >/dev/null 2>&1
}

# for_each_cable_once FUNC: on_cable for every feature driver on the
# default (first) model only; PKTPATH_ALL_MODELS=1 widens it to all.
for_each_cable_once() {
	if [ "${PKTPATH_ALL_MODELS:-0}" = 1 ]; then
		PKTPATH_DRIVERS=$PKTPATH_FEATURE_DRIVERS for_each_cable "$1"
		return
	fi
	local drv model
	model=$(cable_models | head -n 1)
	for drv in $PKTPATH_FEATURE_DRIVERS; do
		on_cable "$1" "$drv" "$model"
	done
}

cases_per_driver() {
	local m=1
	[ "${PKTPATH_ALL_MODELS:-0}" = 1 ] && m=$(cable_models | wc -l)
	ktap_plan $(( $(echo $PKTPATH_FEATURE_DRIVERS | wc -w) * m * $1 ))
}

# frames_seen FILTER CMD...: how many frames matching FILTER reach $NS_B's
# $IF_B while $NS_A runs CMD, as tcpdump sees them without turning
# promiscuous mode on (-p), so the NIC's own filters count. Nothing is
# waited out: after CMD, A sends a sentinel datagram to B's own address.
# The cable (a QEMU hub), the single RX ring and the stack keep the order
# of frames, so once the sentinel is captured every frame A sent before it
# has been captured, or dropped. Prints "none" when the sentinel never
# came (then neither "0" nor a count can be claimed).
SENTINEL_PORT=7777
frames_seen() {
	local filter=$1 f=/tmp/seen.$$ n pid t0
	shift
	ip netns exec "$NS_B" timeout $((30 * ${PKTPATH_TIMEOUT_SCALE:-1})) tcpdump -p -n -l -i "$IF_B" \
		"udp dst port $SENTINEL_PORT or ($filter)" >"$f" 2>"$f.err" &
	pid=$!
	wait_until 10 grep -q "listening on" "$f.err"
	"$@" >/dev/null 2>&1
	t0=$(now_ms)
	echo sentinel | ip netns exec "$NS_A" socat -u - "UDP4-SENDTO:$IP_B:$SENTINEL_PORT"
	if wait_until 10 grep -q "\.$SENTINEL_PORT: " "$f"; then
		n=$(grep -v "\.$SENTINEL_PORT: " "$f" | grep -c '^[0-9][0-9]:')
	else
		ktap_diag "the sentinel datagram never reached $IF_B"
		n=none
	fi
	acct dropwait "$t0"
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	rm -f "$f" "$f.err"
	echo "$n"
}
