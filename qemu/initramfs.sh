#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the base initramfs for a kernel: busybox, the real networking tools
# with their shared libraries, the kernel modules the tests need (with
# depmod), and qemu/init. Cached by kernel and inputs; prints its path.
#
#   qemu/initramfs.sh stock            Debian's 6.1 kernel
#   qemu/initramfs.sh debug KDIR       the debug kernel built in KDIR
set -euo pipefail
. "$(dirname "$0")/common.sh"

flavour=${1:?usage: initramfs.sh stock|debug [KDIR]}

# Real tools: found in the host's PATH, copied with their libraries. They
# live in /usr/bin; busybox fills only /bin, so a real tool always wins.
TOOLS=(bash ip tc ss bridge ethtool iperf3 nft tcpdump conntrack ping
	nc socat timeout sha256sum stat dd seq sort tail head date sleep install
	kmod setpriv unshare nsenter sysctl ps pkill sed grep awk jq
	bpftool xdp-bench xdpdump xdp-loader xdp-trafficgen xdp-filter xdp-monitor
	mausezahn)

# Modules of the stock kernel that tests may load; their dependencies come
# along. The debug kernel has all of this built in but e1000 (and has no
# e1000e: the 82574L reference runs on the stock kernel).
MODULES=(e1000 e1000e virtio_net virtio_pci veth dummy 8021q pktgen tun
	nf_conntrack nf_nat nf_tables nft_ct nft_nat nft_masq nft_redir
	nft_reject_inet nft_chain_nat nf_conntrack_netlink nft_log
	nf_log_syslog nf_reject_ipv4 nf_reject_ipv6 sch_netem sch_ingress
	cls_bpf act_mirred netconsole
	vrf cls_flower cls_matchall act_gact act_pedit act_csum act_vlan act_skbedit bridge br_netfilter)

case "$flavour" in
stock)
	kver=$(stock_kver) || die "no Debian 6.1 headers: run qemu/setup.sh"
	modroot=/
	;;
debug)
	kdir=${2:?debug needs KDIR}
	kver=$(cat "$kdir/include/config/kernel.release")
	modroot=$kdir/mods
	;;
*) die "unknown kernel flavour $flavour" ;;
esac

key=$( (cat "$0" "$PKTPATH_TOP/qemu/init" "$PKTPATH_TOP/qemu/common.sh"; echo "$kver $modroot";
	dpkg-query -W -f='${Package} ${Version}\n' busybox-static iproute2 \
		ethtool iperf3 nftables tcpdump bash libc6 bpftool xdp-tools libxdp1 \
		2>/dev/null) | sha256sum | cut -c1-12)
out=$PKTPATH_CACHE/initramfs-$flavour-$kver-$key.cpio.gz
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64}
mkdir -p "$root"/{etc,proc,sys,dev,tmp,run,root,var}
# Merged /usr, as on the host, so library paths from ldd resolve unchanged.
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"

cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

copy_with_libs() {
	local f=$1 dest=$2 lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$f" "$root$dest"
	for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

for t in "${TOOLS[@]}"; do
	p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$t") || die "host lacks $t: run qemu/setup.sh"
	copy_with_libs "$p" "/usr/bin/$t"
done
# kmod is one binary behind several names.
for t in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf kmod "$root/usr/bin/$t"
done
# The kernel's request_module() runs /sbin/modprobe (VLAN, nft modules...).
ln -sf ../usr/bin/kmod "$root/sbin/modprobe"
# Real bash is /bin/sh: busybox's shell would run its own applets first.
ln -sf ../usr/bin/bash "$root/bin/sh"
ln -sf ../usr/bin/bash "$root/bin/bash"
# The pktpath CLI links libmnl, the AF_XDP test (selftests/xsk_echo) libxdp
# and libbpf: ship them whether or not those are built yet.
for l in /usr/lib/x86_64-linux-gnu/libmnl.so.0* /usr/lib/x86_64-linux-gnu/libxdp.so.1* \
	/usr/lib/x86_64-linux-gnu/libbpf.so.1* /usr/lib/x86_64-linux-gnu/libelf.so.1 \
	/usr/lib/x86_64-linux-gnu/libelf-*.so /usr/lib/x86_64-linux-gnu/libz.so.1*; do
	[ -e "$l" ] && cp -L "$l" "$root/usr/lib/x86_64-linux-gnu/"
done

# libxdp's own BPF objects: the multi-program dispatcher, xdpdump's and
# xdp-filter's programs, the AF_XDP default program.
mkdir -p "$root/usr/lib/x86_64-linux-gnu/bpf"
cp /usr/lib/x86_64-linux-gnu/bpf/*.o "$root/usr/lib/x86_64-linux-gnu/bpf/"

cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/bin/bash
tcpdump:x:104:104:tcpdump:/nonexistent:/bin/false
PW
cat >"$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
tcpdump:x:104:
GR
echo "hosts: files" >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
printf 'tcp 6 TCP\nudp 17 UDP\nicmp 1 ICMP\nipv6-icmp 58 IPv6-ICMP\n' >"$root/etc/protocols"
printf 'http 80/tcp\n' >"$root/etc/services"

# Kernel modules.
moddir=$root/lib/modules/$kver
mkdir -p "$moddir"
if [ "$flavour" = stock ]; then
	for m in "${MODULES[@]}"; do
		modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
	done | sort -u | while read -r ko; do
		mkdir -p "$root$(dirname "$ko")"
		cp "$ko" "$root$ko"
	done
else
	cp -a "$modroot/lib/modules/$kver/." "$moddir/"
	rm -f "$moddir/build" "$moddir/source"
fi
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$modroot/lib/modules/$kver/$f" ] && cp "$modroot/lib/modules/$kver/$f" "$moddir/"
done
depmod -b "$root" "$kver"

cp "$PKTPATH_TOP/qemu/init" "$root/init"
chmod 755 "$root/init"

mkdir -p "$PKTPATH_CACHE"
# Two VMs starting at once may both build it: each writes its own file and
# renames it into place, so either whole copy wins.
tmp=$(mktemp "$out.XXXXXX")
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
echo "$out"
