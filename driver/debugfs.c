// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: fault injection through debugfs, a directory per NIC
 * named by its PCI address (interface names move between namespaces):
 * /sys/kernel/debug/pktpath_e1000/<PCI address>/
 *
 *   tx_stall  1: queue transmissions without moving the tail, until the
 *             next reset. The device completes nothing, the queue fills
 *             and stops, and the stack's TX watchdog must call
 *             ndo_tx_timeout, whose reset recovers (counted in ethtool -S
 *             as tx_timeout_count and reset_count).
 *   rx_alloc_fail_every
 *             N > 0: every Nth RX refill page allocation fails (0: off).
 */
#include <linux/debugfs.h>

#include "pktpath_e1000.h"

static struct dentry *e1k_debugfs_root;

void e1k_debugfs_init(void)
{
	e1k_debugfs_root = debugfs_create_dir(E1K_DRV_NAME, NULL);
}

void e1k_debugfs_exit(void)
{
	debugfs_remove_recursive(e1k_debugfs_root);
}

void e1k_debugfs_add(struct e1k_adapter *adapter)
{
	adapter->debugfs = debugfs_create_dir(pci_name(adapter->pdev),
					      e1k_debugfs_root);
	debugfs_create_bool("tx_stall", 0600, adapter->debugfs,
			    &adapter->tx_stall);
	debugfs_create_u32("rx_alloc_fail_every", 0600, adapter->debugfs,
			   &adapter->rx_alloc_fail_every);
}

void e1k_debugfs_remove(struct e1k_adapter *adapter)
{
	debugfs_remove_recursive(adapter->debugfs);
}
