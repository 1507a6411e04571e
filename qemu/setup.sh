#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the pktpath bench needs from Debian 12's archive.
# Idempotent: when nothing is missing it only checks, in well under a second.
# Not root or not Debian: prints what to install and fails.
set -euo pipefail

PKGS=(
	# build: kernel modules, the tools, the debug kernel, style checks
	gcc make libc6-dev libmnl-dev pkg-config sparse perl python3
	bc flex bison libelf-dev libssl-dev dwarves xz-utils
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	# the VM: emulator and initramfs
	qemu-system-x86 busybox-static kmod cpio gzip socat
	# the real tools copied into the guest
	bash coreutils iproute2 ethtool iperf3 nftables tcpdump conntrack
	iputils-ping netcat-openbsd procps util-linux jq
	# XDP: BPF programs (clang, libbpf), the loaders and benches in the guest
	clang llvm libbpf-dev libxdp-dev bpftool xdp-tools
	# packaging: dkms (static checks build dkms.conf), man-db
	dkms man-db
	# plots of the benches; a browser to look at journey's pictures (--svg)
	# as a person would, headless (tools/tests/journey.sh)
	gnuplot-nox chromium
	# the kernel's net/forwarding selftests (kernel_net.sh): mausezahn
	netsniff-ng
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! grep -qs '^ID=debian' /etc/os-release; then
	echo "pktpath: missing packages: ${missing[*]}" >&2
	echo "pktpath: on Debian 12 run as root: apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "pktpath: installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
