// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: the 82574L (QEMU's e1000e), as far as it differs from the
 * 8254x for this driver: one queue pair, legacy descriptors, INTx.
 */
#include "pktpath_e1000.h"

/*
 * After CTRL.RST, which in QEMU's model reloads the MAC address and
 * nothing else: undo what another driver (the in-tree e1000e, an earlier
 * bind) may have left. Extended descriptors would change the RX
 * write-back format under us, RSS would steer frames to a second ring, a
 * second TX ring left enabled would be walked at every TCTL write, and
 * MSI-X routing and auto-masking must not outlive the vectors.
 */
void e1k_82574_quiesce(struct e1k_adapter *adapter)
{
	u32 ctrl_ext = e1k_rd32(adapter, E1K_CTRL_EXT);

	ctrl_ext &= ~(E1K_CTRL_EXT_EIAME | E1K_CTRL_EXT_IAME |
		      E1K_CTRL_EXT_INT_TIMERS_CLEAR | E1K_CTRL_EXT_PBA_CLR);
	e1k_wr32(adapter, E1K_CTRL_EXT, ctrl_ext);
	e1k_wr32(adapter, E1K_EIAC_82574, 0);
	e1k_wr32(adapter, E1K_IVAR_82574, 0);
	e1k_wr32(adapter, E1K_MRQC, 0);
	/* Legacy descriptors; and TCP ACKs are no interrupt cause. */
	e1k_wr32(adapter, E1K_RFCTL, E1K_RFCTL_ACK_DIS);
	/* No RX checksum offload yet: no status to trust either. */
	e1k_wr32(adapter, E1K_RXCSUM, 0);
	e1k_wr32(adapter, E1K_RDLEN1, 0);
	e1k_wr32(adapter, E1K_RDH1, 0);
	e1k_wr32(adapter, E1K_RDT1, 0);
	e1k_wr32(adapter, E1K_TDLEN1, 0);
	e1k_wr32(adapter, E1K_TDH1, 0);
	e1k_wr32(adapter, E1K_TDT1, 0);
}
