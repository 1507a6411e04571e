# SPDX-License-Identifier: GPL-2.0
#
# pktpath: make            build the modules (driver/, nfmod/) and the tools
#          make check      build, boot QEMU, run selftests/ (KERNEL=stock|debug):
#                          the tier run on every change
#          make check-all  the same tests at full width: every NIC model, both
#                          drivers everywhere, 50 load cycles
#          make check-ref  every driver test on the in-tree e1000 alone
#          make run        the main job: a packet's journey in a VM
#          make vm         boot the VM and leave a shell (TOPO=cable|router|all)
#          make bench      driver benchmark: pktpath_e1000 vs in-tree e1000
#          make bench-nf   pktpath_nf vs nftables, 0..65,536 rules of five kinds, forward path
#          make bench-journey  throughput with and without a journey recording
#          make bench-xdp  XDP_DROP/XDP_TX: native vs generic XDP vs nftables ingress
#          make setup      install what the bench needs (Debian 12, root)
#          make install    modules into /lib/modules/$(KVER)/updates/pktpath, the
#                          tool, man pages, bash completion (DESTDIR, PREFIX,
#                          KDIR, KVER honoured); make uninstall undoes it

KERNEL ?= stock
ifeq ($(KERNEL),debug)
KDIR ?= $(shell bash qemu/debug-kernel.sh)
else
KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64)))
endif

PREFIX ?= /usr/local

MAKEFLAGS += --no-print-directory

.PHONY: install uninstall soak all modules tools selftests check check-all check-ref run vm bench bench-nf bench-journey bench-xdp setup clean sparse checkpatch

all: modules tools selftests

modules:
	@test -n "$(KDIR)" || { echo "pktpath: no kernel headers found; run 'make setup'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# The pktpath command-line tool (userspace, libmnl).
tools:
	$(MAKE) -C tools

# Test programs that run in the VM (selftests/nf_badmsg).
selftests:
	$(MAKE) -C selftests

install: all
	@DESTDIR="$(DESTDIR)" KVER="$(KVER)" PREFIX="$(PREFIX)" bash scripts/install.sh install

uninstall:
	@DESTDIR="$(DESTDIR)" KVER="$(KVER)" PREFIX="$(PREFIX)" bash scripts/install.sh uninstall

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

checkpatch:
	@bash qemu/checkpatch.sh

setup:
	@bash qemu/setup.sh

check: setup
	@$(MAKE) all KERNEL=$(KERNEL)
	@bash qemu/check.sh --kernel $(KERNEL) --kdir $(KDIR)

check-all: setup
	@$(MAKE) all KERNEL=$(KERNEL)
	@bash qemu/check.sh --tier all --kernel $(KERNEL) --kdir $(KDIR)

check-ref: setup
	@$(MAKE) all KERNEL=$(KERNEL)
	@bash qemu/check.sh --tier ref --kernel $(KERNEL) --kdir $(KDIR)

# Long runs, not for every change: CYCLES (default 1000) load/unload
# cycles with both NICs probed each time, then the suspend and TX hang
# tests, on our driver and the default model.
soak: setup
	@$(MAKE) all KERNEL=$(KERNEL)
	@PKTPATH_CYCLES=$(or $(CYCLES),1000) PKTPATH_DRIVERS=pktpath_e1000 \
		PKTPATH_FEATURE_DRIVERS=pktpath_e1000 PKTPATH_ALL_MODELS=0 PKTPATH_MODELS=e1000 \
		PKTPATH_VMS=1 PKTPATH_TIMEOUT_SCALE=$(or $(SCALE),20) \
		bash qemu/check.sh --tier all --kernel $(KERNEL) --kdir $(KDIR) \
		--tests "drv_lifecycle.sh drv_pm.sh drv_txhang.sh module_unload.sh"

run: setup
	@$(MAKE) all
	@bash qemu/run.sh

vm: setup
	@$(MAKE) all KERNEL=$(KERNEL)
	@bash qemu/vm.sh --kernel $(KERNEL) --topo $(or $(TOPO),all) --shell

bench: setup
	@$(MAKE) all
	@bash qemu/bench.sh

bench-nf: setup
	@$(MAKE) all
	@bash qemu/nf-bench.sh

bench-journey: setup
	@$(MAKE) all
	@bash qemu/nf-bench.sh --journey

bench-xdp: setup
	@$(MAKE) all
	@bash qemu/xdp-bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
