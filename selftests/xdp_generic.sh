#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reference for xdp_native.sh: the same cases on the in-tree e1000,
# which has only generic (skb) XDP and must refuse native attach. Skipped
# where the feature tests run on our driver alone (the debug kernel).
source "$(dirname "$0")/lib.sh"
case " $PKTPATH_FEATURE_DRIVERS " in
*" e1000 "*) ;;
*)
	ktap_plan 0
	ktap_diag "SKIP: the in-tree e1000 is not in PKTPATH_FEATURE_DRIVERS"
	exit $ksft_skip
	;;
esac
PKTPATH_XDP_DRIVERS=e1000 exec "$(dirname "$0")/xdp_native.sh"
