// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: PCI glue, netdev operations, link watchdog and recovery.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "pktpath_e1000.h"

enum { E1K_FAMILY_8254X, E1K_FAMILY_82574 };

static const struct e1k_family e1k_families[] = {
	[E1K_FAMILY_8254X] = {
		.name = "8254x",
		.eerd_done = E1K_EERD_DONE,
		.eerd_addr_shift = E1K_EERD_ADDR_SHIFT,
	},
	[E1K_FAMILY_82574] = {
		.name = "82574L",
		.eerd_done = E1K_EERD_DONE_82574,
		.eerd_addr_shift = E1K_EERD_ADDR_SHIFT_82574,
		.quiesce = e1k_82574_quiesce,
	},
};

static const struct pci_device_id e1k_pci_tbl[] = {
	/*
	 * Only what QEMU emulates and the tests cover: the real 82544EI
	 * (0x1008) needs errata handling this driver does not have.
	 */
	{ PCI_VDEVICE(INTEL, 0x100e), E1K_FAMILY_8254X }, /* 82540EM: e1000 */
	{ PCI_VDEVICE(INTEL, 0x100c), E1K_FAMILY_8254X }, /* e1000-82544gc */
	{ PCI_VDEVICE(INTEL, 0x100f), E1K_FAMILY_8254X }, /* e1000-82545em */
	/* 82574L: e1000e, one queue pair and INTx here */
	{ PCI_VDEVICE(INTEL, 0x10d3), E1K_FAMILY_82574 },
	{ }
};
MODULE_DEVICE_TABLE(pci, e1k_pci_tbl);

#define E1K_MSG_DEFAULT	(NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK | \
			 NETIF_MSG_IFUP | NETIF_MSG_IFDOWN)

/* As the in-tree Intel drivers: -1 keeps the default, 0..16 a level. */
static int debug = -1;
module_param(debug, int, 0);
MODULE_PARM_DESC(debug, "Debug level (0=none,...,16=all; -1: link and probe messages)");

/* Called with the netdev address lock held, or takes it. */
void e1k_sync_rx_mode(struct e1k_adapter *adapter,
		      netdev_features_t features)
{
	netif_addr_lock_bh(adapter->netdev);
	e1k_hw_set_rx_mode(adapter, features);
	netif_addr_unlock_bh(adapter->netdev);
}

/*
 * Bring the interface up: rings, full register programming, IRQ, NAPI.
 * Called under RTNL. On failure everything is undone and DOWN stays set.
 */
int e1k_up(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	err = e1k_tx_ring_alloc(adapter);
	if (err)
		return err;
	err = e1k_rx_ring_alloc(adapter);
	if (err)
		goto err_rx_alloc;

	err = e1k_hw_reset(adapter);
	if (err)
		goto err_reset;
	/* A reset ends an injected TX stall (debugfs.c). */
	WRITE_ONCE(adapter->tx_stall, false);
	/* Under QEMU TX-done interrupts only while the queue waits (tx.c). */
	adapter->tx_irq_armed = !adapter->qemu_device;
	adapter->tx_hang_ntc = 0;
	adapter->tx_hang_since = jiffies;
	e1k_hw_configure(adapter);

	/* A short ring is fine: the watchdog keeps asking for more pages. */
	if (!e1k_rx_refill(adapter, GFP_KERNEL))
		netdev_warn(netdev, "RX ring only partly filled\n");

	err = e1k_irq_request(adapter);
	if (err) {
		netdev_err(netdev, "cannot get IRQ %d: %d\n",
			   adapter->pdev->irq, err);
		goto err_irq;
	}

	spin_lock_bh(&adapter->hw_lock);
	clear_bit(E1K_STATE_DOWN, &adapter->state);
	spin_unlock_bh(&adapter->hw_lock);

	napi_enable(&adapter->napi);
	/* Writes RCTL with EN: reception starts here. */
	e1k_sync_rx_mode(adapter, netdev->features);
	e1k_irq_enable(adapter);
	/*
	 * Wake, not start: after a down/up cycle (reset, ring resize,
	 * self-test) the qdisc may hold packets queued while the queue was
	 * stopped, and only a wake reschedules it.
	 */
	netif_tx_wake_all_queues(netdev);

	/* Carrier stays off until the watchdog has seen STATUS.LU. */
	adapter->link_up = false;
	mod_delayed_work(system_wq, &adapter->watchdog, 0);
	return 0;

err_irq:
	e1k_hw_reset(adapter);
	e1k_rx_ring_clean(adapter);
err_reset:
	e1k_rx_ring_free(adapter);
err_rx_alloc:
	e1k_tx_ring_free(adapter);
	return err;
}

/* Undo e1k_up(). Called under RTNL; a no-op if already down. */
void e1k_down(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	if (test_bit(E1K_STATE_DOWN, &adapter->state))
		return;

	/* Under hw_lock so that a concurrent set_rx_mode cannot re-enable RX. */
	spin_lock_bh(&adapter->hw_lock);
	set_bit(E1K_STATE_DOWN, &adapter->state);
	spin_unlock_bh(&adapter->hw_lock);

	/*
	 * Before the carrier goes off: a watchdog run between the two would
	 * turn it back on, and the stack's TX watchdog, seeing a carrier, a
	 * stopped queue and an old trans_start, would fire a spurious
	 * timeout mid-reset. A run queued later (by an interrupt that tested
	 * DOWN just before it was set) sees DOWN and does nothing.
	 */
	cancel_delayed_work_sync(&adapter->watchdog);
	netif_carrier_off(netdev);
	netif_tx_disable(netdev);
	e1k_irq_disable(adapter);
	napi_disable(&adapter->napi);
	/*
	 * A completion that tested DOWN just before it was set may have
	 * woken the queue after the first netif_tx_disable(). NAPI is idle
	 * now, so stop the queue again: this also waits for any xmit still
	 * running under the queue lock, and nothing touches the TX ring
	 * after it.
	 */
	netif_tx_disable(netdev);

	/* Stops both DMA engines before any buffer goes away. */
	e1k_hw_reset(adapter);
	e1k_irq_free(adapter);

	e1k_tx_ring_clean(adapter);
	e1k_rx_ring_clean(adapter);
	e1k_rx_ring_free(adapter);
	e1k_tx_ring_free(adapter);
	adapter->link_up = false;
}

static int e1k_open(struct net_device *netdev)
{
	return e1k_up(netdev_priv(netdev));
}

static int e1k_stop(struct net_device *netdev)
{
	e1k_down(netdev_priv(netdev));
	return 0;
}

/*
 * A TX hang the stack's own watchdog cannot see: it looks only at stopped
 * queues, and TCP's small queues may stop sending long before the ring or
 * BQL stops the queue. Descriptors pending and none completed for
 * E1K_TX_HANG_TIME, with NAPI kicked meanwhile to reclaim whatever the
 * device did finish, is a hang (counted apart from ndo_tx_timeout).
 */
static bool e1k_tx_hung(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	/* Pairs with the release in e1k_tx_complete(). */
	u16 ntc = smp_load_acquire(&ring->next_to_clean);

	if (READ_ONCE(ring->next_to_use) == ntc ||
	    ntc != adapter->tx_hang_ntc) {
		adapter->tx_hang_ntc = ntc;
		adapter->tx_hang_since = jiffies;
		return false;
	}
	if (time_before(jiffies, adapter->tx_hang_since + E1K_TX_HANG_TIME)) {
		local_bh_disable();
		napi_schedule(&adapter->napi);
		local_bh_enable();
		return false;
	}
	return true;
}

static void e1k_watchdog_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(to_delayed_work(work),
						   struct e1k_adapter,
						   watchdog);
	struct net_device *netdev = adapter->netdev;

	/* DOWN is set before e1k_down() cancels this work (see there). */
	if (test_bit(E1K_STATE_DOWN, &adapter->state))
		return;

	e1k_hw_update_link(adapter);
	if (adapter->link_up && !netif_carrier_ok(netdev)) {
		netif_info(adapter, link, netdev,
			   "Link is Up %u Mbps %s Duplex\n",
			   adapter->link_speed,
			   adapter->link_full_duplex ? "Full" : "Half");
		netif_carrier_on(netdev);
	} else if (!adapter->link_up && netif_carrier_ok(netdev)) {
		netif_info(adapter, link, netdev, "Link is Down\n");
		netif_carrier_off(netdev);
	}

	/* Clear-on-read counters are 32 bits: read them often enough. */
	e1k_stats_update_hw(adapter);

	if (e1k_tx_hung(adapter)) {
		WRITE_ONCE(adapter->tx_hangs, adapter->tx_hangs + 1);
		netdev_err(netdev, "TX hang: TDH %u TDT %u ntu %u ntc %u, nothing completed for %u ms\n",
			   e1k_rd32(adapter, E1K_TDH), e1k_rd32(adapter, E1K_TDT),
			   adapter->tx_ring.next_to_use, adapter->tx_hang_ntc,
			   jiffies_to_msecs(jiffies - adapter->tx_hang_since));
		schedule_work(&adapter->reset_work);
		return;
	}

	/* An RX ring that ran dry gets no interrupt to refill it: poll. */
	if (test_bit(E1K_STATE_RX_REFILL, &adapter->state)) {
		local_bh_disable();
		napi_schedule(&adapter->napi);
		local_bh_enable();
	}

	schedule_delayed_work(&adapter->watchdog, E1K_WATCHDOG_PERIOD);
}

/* Full reset and reprogramming, e.g. after a TX timeout. */
static void e1k_reset_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(work, struct e1k_adapter,
						   reset_work);
	struct net_device *netdev = adapter->netdev;
	int err;

	rtnl_lock();
	/* Not after e1k_shutdown() detached the device for good. */
	if (netif_running(netdev) && netif_device_present(netdev)) {
		netdev_warn(netdev, "resetting the device\n");
		e1k_down(adapter);
		err = e1k_up(adapter);
		if (!err)
			WRITE_ONCE(adapter->resets, adapter->resets + 1);
		if (err) {
			netdev_err(netdev, "reset failed (%d), closing\n",
				   err);
			dev_close(netdev);
		}
	}
	rtnl_unlock();
}

static void e1k_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_tx_ring *ring = &adapter->tx_ring;

	WRITE_ONCE(adapter->tx_timeouts, adapter->tx_timeouts + 1);
	netdev_err(netdev, "TX timeout: TDH %u TDT %u ntu %u ntc %u\n",
		   e1k_rd32(adapter, E1K_TDH), e1k_rd32(adapter, E1K_TDT),
		   ring->next_to_use, ring->next_to_clean);
	schedule_work(&adapter->reset_work);
}

static void e1k_set_rx_mode(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	e1k_hw_set_rx_mode(adapter, netdev->features);
}

static int e1k_set_mac(struct net_device *netdev, void *p)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct sockaddr *addr = p;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;

	eth_hw_addr_set(netdev, addr->sa_data);
	spin_lock_bh(&adapter->hw_lock);
	e1k_hw_write_rar(adapter, 0, netdev->dev_addr);
	spin_unlock_bh(&adapter->hw_lock);
	return 0;
}

/*
 * RX buffers stay 2048 bytes whatever the MTU: longer frames span several
 * descriptors. Only RCTL.LPE depends on the MTU, and RCTL is rewritten
 * only if LPE actually flips.
 */
static int e1k_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	netif_dbg(adapter, drv, netdev, "MTU %u -> %d\n", netdev->mtu,
		  new_mtu);
	WRITE_ONCE(netdev->mtu, new_mtu);
	e1k_sync_rx_mode(adapter, netdev->features);
	return 0;
}

static int e1k_vlan_rx_add_vid(struct net_device *netdev, __be16 proto,
			       u16 vid)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	set_bit(vid, adapter->active_vlans);
	spin_lock_bh(&adapter->hw_lock);
	e1k_hw_write_vfta(adapter, vid);
	spin_unlock_bh(&adapter->hw_lock);
	return 0;
}

static int e1k_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto,
				u16 vid)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	clear_bit(vid, adapter->active_vlans);
	spin_lock_bh(&adapter->hw_lock);
	e1k_hw_write_vfta(adapter, vid);
	spin_unlock_bh(&adapter->hw_lock);
	return 0;
}

/*
 * CTRL.VME is the only switch for both tag stripping and VLE insertion,
 * so the two features can only be on or off together.
 */
static netdev_features_t e1k_fix_features(struct net_device *netdev,
					  netdev_features_t features)
{
	if (features & NETIF_F_HW_VLAN_CTAG_RX)
		features |= NETIF_F_HW_VLAN_CTAG_TX;
	else
		features &= ~NETIF_F_HW_VLAN_CTAG_TX;
	return features;
}

static int e1k_set_features(struct net_device *netdev,
			    netdev_features_t features)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	netdev_features_t changed = netdev->features ^ features;

	if (changed & NETIF_F_HW_VLAN_CTAG_RX)
		e1k_hw_set_vlan_strip(adapter,
				      features & NETIF_F_HW_VLAN_CTAG_RX);
	if (changed & NETIF_F_HW_VLAN_CTAG_FILTER)
		e1k_sync_rx_mode(adapter, features);
	return 0;
}

static const struct net_device_ops e1k_netdev_ops = {
	.ndo_open		= e1k_open,
	.ndo_stop		= e1k_stop,
	.ndo_start_xmit		= e1k_xmit_frame,
	.ndo_features_check	= e1k_features_check,
	.ndo_set_rx_mode	= e1k_set_rx_mode,
	.ndo_set_mac_address	= e1k_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= e1k_change_mtu,
	.ndo_tx_timeout		= e1k_tx_timeout,
	.ndo_get_stats64	= e1k_get_stats64,
	.ndo_vlan_rx_add_vid	= e1k_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= e1k_vlan_rx_kill_vid,
	.ndo_fix_features	= e1k_fix_features,
	.ndo_set_features	= e1k_set_features,
	.ndo_bpf		= e1k_xdp_bpf,
	.ndo_xdp_xmit		= e1k_xdp_xmit,
};

/*
 * DMA mask: the descriptors carry 64-bit addresses and the 8254x reaches
 * memory above 4 GiB with dual address cycles; QEMU's device has no
 * address-width limit at all. 64 bits therefore avoids bounce buffering;
 * 32 bits remains as a fallback for platforms that refuse it.
 */
static int e1k_set_dma_mask(struct pci_dev *pdev, bool *highdma)
{
	int err;

	*highdma = true;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (!err)
		return 0;

	*highdma = false;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err)
		dev_err(&pdev->dev, "no usable DMA configuration\n");
	return err;
}

/*
 * No NETIF_F_TSO6: QEMU 7.2 segments IPv6 but writes each segment's
 * payload length as "segment size - IPCSS", i.e. 40 bytes too long, and
 * receivers drop every segment as truncated (seen in the VM: iperf3 over
 * IPv6 fell to a few Mbit/s, Ip6InTruncatedPkts climbing). No context
 * layout avoids that write, so IPv6 TCP uses GSO plus checksum offload.
 */
static void e1k_set_netdev_features(struct net_device *netdev, bool highdma)
{
	netdev_features_t offload = NETIF_F_SG | NETIF_F_IP_CSUM |
				    NETIF_F_IPV6_CSUM | NETIF_F_TSO;

	netdev->hw_features = offload | NETIF_F_HW_VLAN_CTAG_RX |
			      NETIF_F_HW_VLAN_CTAG_TX |
			      NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->features = netdev->hw_features;
	netdev->vlan_features = offload;
	if (highdma) {
		netdev->features |= NETIF_F_HIGHDMA;
		netdev->vlan_features |= NETIF_F_HIGHDMA;
	}
	netdev->priv_flags |= IFF_UNICAST_FLT;

	netdev->min_mtu = E1K_MIN_MTU;
	netdev->max_mtu = E1K_MAX_MTU;
}

/* MAC address from EEPROM words 0-2, or a random one if unusable. */
static void e1k_init_mac_addr(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct pci_dev *pdev = adapter->pdev;
	u8 addr[ETH_ALEN];
	unsigned int i;
	int err;

	err = e1k_hw_read_eeprom(adapter);
	if (err == -EBADMSG)
		dev_warn(&pdev->dev, "EEPROM checksum is invalid\n");
	else if (err)
		dev_warn(&pdev->dev, "EEPROM read failed: %d\n", err);

	for (i = 0; i < ETH_ALEN / 2; i++) {
		addr[2 * i] = adapter->eeprom[i] & 0xff;
		addr[2 * i + 1] = adapter->eeprom[i] >> 8;
	}

	if (!err && is_valid_ether_addr(addr)) {
		eth_hw_addr_set(netdev, addr);
	} else {
		eth_hw_addr_random(netdev);
		dev_warn(&pdev->dev, "using random MAC address %pM\n",
			 netdev->dev_addr);
	}
	e1k_hw_write_rar(adapter, 0, netdev->dev_addr);
}

static int e1k_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct e1k_adapter *adapter;
	struct net_device *netdev;
	bool highdma;
	u16 id1, id2;
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;

	err = e1k_set_dma_mask(pdev, &highdma);
	if (err)
		goto err_dma;

	err = pci_request_mem_regions(pdev, E1K_DRV_NAME);
	if (err)
		goto err_regions;

	pci_set_master(pdev);

	netdev = alloc_etherdev(sizeof(*adapter));
	if (!netdev) {
		err = -ENOMEM;
		goto err_alloc;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pci_set_drvdata(pdev, netdev);

	adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->pdev = pdev;
	adapter->family = &e1k_families[ent->driver_data];
	adapter->msg_enable = netif_msg_init(debug, E1K_MSG_DEFAULT);
	adapter->tx_ring_count = E1K_DEFAULT_TXD;
	adapter->rx_ring_count = E1K_DEFAULT_RXD;
	adapter->itr = E1K_ITR_DEFAULT;
	adapter->itr_usecs = DIV_ROUND_CLOSEST(E1K_ITR_DEFAULT * E1K_ITR_UNIT_NS,
					       1000);
	adapter->itr_adaptive = true;
	spin_lock_init(&adapter->hw_lock);
	set_bit(E1K_STATE_DOWN, &adapter->state);
	INIT_DELAYED_WORK(&adapter->watchdog, e1k_watchdog_task);
	INIT_WORK(&adapter->reset_work, e1k_reset_task);

	adapter->hw_addr = pci_iomap(pdev, 0, 0);
	if (!adapter->hw_addr) {
		err = -EIO;
		goto err_iomap;
	}

	netdev->netdev_ops = &e1k_netdev_ops;
	e1k_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = E1K_TX_TIMEOUT;
	e1k_set_netdev_features(netdev, highdma);
	netif_napi_add(netdev, &adapter->napi, e1k_napi_poll);

	/*
	 * Quiesce whatever a previous driver left running: QEMU keeps the
	 * rings and RX/TX enables across CTRL.RST, so reset disables them.
	 */
	err = e1k_hw_reset(adapter);
	if (err)
		goto err_reset;

	e1k_init_mac_addr(adapter);
	/*
	 * QEMU's models complete TX at the TDT write (tx.c) and keep some
	 * counters as plain registers (stats.c). Its 8254x carries QEMU's
	 * subsystem vendor; its 82574L Intel's with subsystem device 0,
	 * which no real board has.
	 */
	adapter->qemu_device = pdev->subsystem_vendor ==
			       PCI_SUBVENDOR_ID_REDHAT_QUMRANET ||
			       (ent->driver_data == E1K_FAMILY_82574 &&
				!pdev->subsystem_device);
	e1k_stats_init(adapter);
	if (!e1k_hw_read_phy(adapter, E1K_PHY_ID1, &id1) &&
	    !e1k_hw_read_phy(adapter, E1K_PHY_ID2, &id2))
		adapter->phy_id = ((u32)id1 << 16) | id2;

	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err)
		goto err_register;

	e1k_debugfs_add(adapter);
	netdev_info(netdev, "Intel %s %04x:%04x at %pR, PHY %08x, MAC %pM\n",
		    adapter->family->name, pdev->vendor, pdev->device,
		    &pdev->resource[0],
		    adapter->phy_id, netdev->dev_addr);
	return 0;

err_register:
err_reset:
	netif_napi_del(&adapter->napi);
	pci_iounmap(pdev, adapter->hw_addr);
err_iomap:
	free_netdev(netdev);
err_alloc:
	pci_clear_master(pdev);
	pci_release_mem_regions(pdev);
err_regions:
err_dma:
	pci_disable_device(pdev);
	return err;
}

static void e1k_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct e1k_adapter *adapter = netdev_priv(netdev);

	e1k_debugfs_remove(adapter);
	/* Closes the device if it is up, which frees IRQ, rings, NAPI use. */
	unregister_netdev(netdev);
	/* Not under RTNL: the reset task takes it. */
	cancel_work_sync(&adapter->reset_work);
	cancel_delayed_work_sync(&adapter->watchdog);

	netif_napi_del(&adapter->napi);
	pci_iounmap(pdev, adapter->hw_addr);
	free_netdev(netdev);
	pci_clear_master(pdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

/* Shutdown and suspend: detach the interface and stop the device. */
static void e1k_detach(struct net_device *netdev)
{
	rtnl_lock();
	netif_device_detach(netdev);
	if (netif_running(netdev))
		e1k_down(netdev_priv(netdev));
	rtnl_unlock();
}

/* Stop DMA before reboot or kexec hands the memory to someone else. */
static void e1k_shutdown(struct pci_dev *pdev)
{
	e1k_detach(pci_get_drvdata(pdev));
	pci_clear_master(pdev);
}

/*
 * System sleep. The PCI core saves and restores config space; the device
 * itself may come back reset (QEMU resets every device on an S3 wake-up),
 * so resume reprograms it from scratch through e1k_up(). No wake-up is
 * armed: QEMU's 8254x has no power management capability and no
 * functional wake-on-LAN.
 */
static int e1k_suspend(struct device *dev)
{
	struct net_device *netdev = dev_get_drvdata(dev);

	e1k_detach(netdev);
	/* Take the counts in: the wake-up may zero the registers. */
	e1k_stats_update_hw(netdev_priv(netdev));
	return 0;
}

static int e1k_resume(struct device *dev)
{
	struct net_device *netdev = dev_get_drvdata(dev);
	struct e1k_adapter *adapter = netdev_priv(netdev);
	int err = 0;

	pci_set_master(to_pci_dev(dev));
	e1k_stats_rebase(adapter);
	rtnl_lock();
	if (netif_running(netdev)) {
		err = e1k_up(adapter);
		if (err) {
			/*
			 * Closed while still detached, so that attaching wakes
			 * no queue over freed rings; a later open retries.
			 */
			netdev_err(netdev, "resume failed (%d), closing\n", err);
			dev_close(netdev);
		}
	} else {
		/* Whatever the wake-up left running; e1k_up() resets too. */
		e1k_hw_reset(adapter);
	}
	netif_device_attach(netdev);
	rtnl_unlock();
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(e1k_pm_ops, e1k_suspend, e1k_resume);

static struct pci_driver e1k_pci_driver = {
	.name		= E1K_DRV_NAME,
	.id_table	= e1k_pci_tbl,
	.probe		= e1k_probe,
	.remove		= e1k_remove,
	.shutdown	= e1k_shutdown,
	.driver.pm	= pm_sleep_ptr(&e1k_pm_ops),
};

static int __init e1k_init_module(void)
{
	int err;

	e1k_debugfs_init();
	err = pci_register_driver(&e1k_pci_driver);
	if (err)
		e1k_debugfs_exit();
	return err;
}
module_init(e1k_init_module);

static void __exit e1k_exit_module(void)
{
	pci_unregister_driver(&e1k_pci_driver);
	e1k_debugfs_exit();
}
module_exit(e1k_exit_module);

MODULE_AUTHOR("pktpath");
MODULE_VERSION(PKTPATH_VERSION);
MODULE_DESCRIPTION("pktpath driver for QEMU's emulated Intel 8254x (e1000) and 82574L (e1000e) NICs");
MODULE_LICENSE("GPL");
