# SPDX-License-Identifier: GPL-2.0
#
# XDP helpers for pktpath selftests: attach the test programs of xdp/,
# read their counters and fill their maps (bpftool), read ethtool -S.
# Sourced after lib.sh.

XDP_OBJ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/xdp

# xdp_mode DRIVER: how a driver runs XDP in these tests. Ours natively;
# the in-tree e1000 has only generic (skb) XDP and is the reference.
xdp_mode() {
	case "$1" in
	pktpath_e1000) echo xdpdrv ;;
	*) echo xdpgeneric ;;
	esac
}

# xdp_attach NS IF MODE PROG: attach xdp/PROG.o (replacing any program).
xdp_attach() {
	ip -force -n "$1" link set dev "$2" "$3" obj "$XDP_OBJ_DIR/$4.o" sec xdp
}

xdp_detach() {
	ip -n "$1" link set dev "$2" "$3" off
}

# xdp_prog_id NS IF: the id of the attached program, empty if none.
xdp_prog_id() {
	ip -n "$1" -j -d link show dev "$2" |
		jq -r '.[0].xdp.prog.id // .[0].xdp.attached[0].prog.id // empty'
}

# xdp_attach_mode NS IF: 1 native (driver), 2 generic (skb), 0 none.
xdp_attach_mode() {
	ip -n "$1" -j -d link show dev "$2" | jq -r '.[0].xdp.mode // 0'
}

# xdp_map_id NS IF NAME: the id of the attached program's map NAME.
xdp_map_id() {
	local prog m
	prog=$(xdp_prog_id "$1" "$2")
	[ -n "$prog" ] || return 1
	for m in $(bpftool prog show id "$prog" -j | jq -r '.map_ids[]?'); do
		[ "$(bpftool map show id "$m" -j | jq -r .name)" = "$3" ] && { echo "$m"; return 0; }
	done
	return 1
}

# xnsx NS COMMAND...: like nsx, with the VM's bpffs at /sys/fs/bpf (libxdp
# needs it; 'ip netns exec' hides the one the VM mounted there).
xnsx() {
	local ns=$1
	shift
	ip netns exec "$ns" bash -c 'mount --bind /run/bpffs /sys/fs/bpf && exec "$@"' xnsx "$@"
}

# xdp_count NS IF IDX: counter IDX of the attached program (pp_cnt, summed
# over CPUs); 0: frames it acted on, 1: frames it saw.
xdp_count() {
	local m
	m=$(xdp_map_id "$1" "$2" pp_cnt) || { echo -1; return 1; }
	bpftool map lookup id "$m" key "$3" 0 0 0 -j | jq '
		def hexbytes: map(ltrimstr("0x") | explode |
			reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end)))
			| reverse | reduce .[] as $b (0; . * 256 + $b);
		if .formatted then [.formatted.values[].value] | add
		else [.values[] | .value | if type == "array" then hexbytes else . end] | add end // 0'
}

# xdp_map_set NS IF NAME KEY VALUE...: bpftool map update of the attached
# program's map NAME, from inside NS (devmap entries are ifindexes there).
xdp_map_set() {
	local ns=$1 ifc=$2 name=$3 key=$4 m
	shift 4
	m=$(xdp_map_id "$ns" "$ifc" "$name") || return 1
	ip netns exec "$ns" bpftool map update id "$m" key "$key" 0 0 0 value "$@"
}

# le32 N: N as four little-endian bytes for bpftool.
le32() {
	printf '%d %d %d %d' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# udp_burst NS DST PORT COUNT: COUNT datagrams "pp 1".."pp COUNT" to
# DST:PORT, one write (one datagram) each.
udp_burst() {
	ip netns exec "$1" bash -c 'exec 3>/dev/udp/$0/$1 || exit 1
		for i in $(seq $2); do echo "pp $i" >&3; done' "$2" "$3" "$4"
}

# udp_echo NS DST PORT COUNT: send like udp_burst from one connected
# socket and print what comes back to it (at most 3 s).
udp_echo() {
	ip netns exec "$1" bash -c 'exec 3<>/dev/udp/$0/$1 || exit 1
		for i in $(seq $2); do echo "pp $i" >&3; done
		timeout 3 head -n $2 <&3' "$2" "$3" "$4"
}

# udp_sink NS PORT OUT: collect datagrams to PORT in file OUT in the
# background ($SINK_PID), once the socket is bound.
udp_sink() {
	rm -f "$3"
	ip netns exec "$1" socat -u "UDP4-RECV:$2" "OPEN:$3,creat,append" &
	SINK_PID=$!
	wait_until 5 listening "$1" "$2" udp
}

sink_stop() {
	kill "$SINK_PID" 2>/dev/null
	wait "$SINK_PID" 2>/dev/null
}

# capture_start NS IF COUNT OUT FILTER...: tcpdump the first COUNT frames
# matching FILTER into OUT (text, link-level headers), in the background
# ($CAP_PID), once it is capturing.
capture_start() {
	local ns=$1 ifc=$2 count=$3 out=$4
	shift 4
	rm -f "$out" "$out.err"
	ip netns exec "$ns" timeout 20 tcpdump -l -nn -e -c "$count" -i "$ifc" "$@" \
		>"$out" 2>"$out.err" &
	CAP_PID=$!
	wait_until 5 grep -q "listening on" "$out.err"
}

# capture_wait SECONDS: wait for the capture to reach its count.
capture_wait() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	while kill -0 "$CAP_PID" 2>/dev/null; do
		[ "$(now_ms)" -ge "$deadline" ] && { kill "$CAP_PID"; break; }
		sleep 0.1
	done
	wait "$CAP_PID" 2>/dev/null
}
