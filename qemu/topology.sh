# SPDX-License-Identifier: GPL-2.0
# Named topologies of emulated NICs. Sourced by vm.sh.
#
# Every NIC gets MAC 52:54:00:00:HH:II and QEMU id nicHHII, where HH is the
# QEMU hub it is plugged into (hubs are cables) and II its port. The guest
# NIC sits in PCI slot 4 + 2*HH + II of bus 0 (selftests/lib.sh knows the
# same rule, so a test finds a NIC before any driver is bound). The guest
# learns the wiring from /pktpath/topology, one line per link:
#   <link-name> <qemu-model> <mac-a> <mac-b> [<mac-c> <mac-d>]
#
#   cable   two NICs of --model on one hub (hub 1)
#   router  client -- router -- server: hub 2 (client, router-left),
#           hub 3 (router-right, server)
#   all     cables for every e1000 model (hubs 1, 4, 5), the 82574L
#           (e1000e, hub 6), plus the router

# topo_links TOPO MODEL: print the topology lines.
topo_links() {
	local topo=$1 model=$2
	case "$topo" in
	cable)
		echo "cable $model 52:54:00:00:01:01 52:54:00:00:01:02" ;;
	router)
		echo "router $model 52:54:00:00:02:01 52:54:00:00:02:02 52:54:00:00:03:01 52:54:00:00:03:02" ;;
	all)
		echo "cable e1000 52:54:00:00:01:01 52:54:00:00:01:02"
		echo "cable e1000-82544gc 52:54:00:00:04:01 52:54:00:00:04:02"
		echo "cable e1000-82545em 52:54:00:00:05:01 52:54:00:00:05:02"
		echo "cable e1000e 52:54:00:00:06:01 52:54:00:00:06:02"
		echo "router $model 52:54:00:00:02:01 52:54:00:00:02:02 52:54:00:00:03:01 52:54:00:00:03:02" ;;
	*)
		return 1 ;;
	esac
}

# topo_qemu_args TOPO MODEL: QEMU arguments for those NICs.
topo_qemu_args() {
	local name model mac id hub port
	topo_links "$1" "$2" | while read -r name model macs; do
		for mac in $macs; do
			hub=$((16#$(echo "$mac" | cut -d: -f5)))
			id=nic$(echo "$mac" | cut -d: -f5,6 | tr -d :)
			printf -- '-netdev hubport,id=hp%s,hubid=%d ' "${id#nic}" "$hub"
			port=$((16#$(echo "$mac" | cut -d: -f6)))
			printf -- '-device %s,netdev=hp%s,id=%s,mac=%s,romfile=,addr=0x%x ' \
				"$model" "${id#nic}" "$id" "$mac" $((4 + 2 * hub + port))
		done
	done
}
