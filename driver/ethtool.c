// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: ethtool operations.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/linkmode.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "pktpath_e1000.h"

/*
 * Registers dumped by get_regs. ICR and the statistics registers are left
 * out on purpose: reading them clears them.
 */
static const u16 e1k_dump_regs[] = {
	E1K_CTRL, E1K_STATUS, E1K_EECD, E1K_CTRL_EXT, E1K_VET,
	E1K_ITR, E1K_IMS, E1K_RCTL, E1K_RDBAL, E1K_RDBAH, E1K_RDLEN,
	E1K_RDH, E1K_RDT, E1K_RDTR, E1K_RADV, E1K_TCTL, E1K_TIPG,
	E1K_TDBAL, E1K_TDBAH, E1K_TDLEN, E1K_TDH, E1K_TDT, E1K_TIDV,
	E1K_TADV, E1K_RAL(0), E1K_RAH(0),
};

static void e1k_get_drvinfo(struct net_device *netdev,
			    struct ethtool_drvinfo *info)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	strscpy(info->driver, E1K_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(adapter->pdev),
		sizeof(info->bus_info));
}

static int e1k_get_link_ksettings(struct net_device *netdev,
				  struct ethtool_link_ksettings *cmd)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u32 status = e1k_rd32(adapter, E1K_STATUS);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 10baseT_Half);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 10baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 100baseT_Half);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 100baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 1000baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, Autoneg);
	ethtool_link_ksettings_add_link_mode(cmd, supported, TP);
	linkmode_copy(cmd->link_modes.advertising, cmd->link_modes.supported);

	cmd->base.port = PORT_TP;
	cmd->base.phy_address = E1K_PHY_ADDR;
	cmd->base.autoneg = AUTONEG_ENABLE;

	if (netif_running(netdev) && (status & E1K_STATUS_LU)) {
		switch (FIELD_GET(E1K_STATUS_SPEED_MASK, status)) {
		case E1K_STATUS_SPEED_10:
			cmd->base.speed = SPEED_10;
			break;
		case E1K_STATUS_SPEED_100:
			cmd->base.speed = SPEED_100;
			break;
		default:
			cmd->base.speed = SPEED_1000;
			break;
		}
		cmd->base.duplex = (status & E1K_STATUS_FD) ? DUPLEX_FULL :
							      DUPLEX_HALF;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static void e1k_get_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = E1K_MAX_DESC;
	ring->tx_max_pending = E1K_MAX_DESC;
	ring->rx_pending = adapter->rx_ring_count;
	ring->tx_pending = adapter->tx_ring_count;
}

static u16 e1k_ring_size(u32 req)
{
	/* RDLEN/TDLEN must be multiples of 128 bytes: 8 descriptors. */
	req = clamp_t(u32, req, E1K_MIN_DESC, E1K_MAX_DESC);
	return ALIGN(req, E1K_DESC_ALIGN);
}

static int e1k_set_ringparam(struct net_device *netdev,
			     struct ethtool_ringparam *ring,
			     struct kernel_ethtool_ringparam *kring,
			     struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u16 old_tx = adapter->tx_ring_count, old_rx = adapter->rx_ring_count;
	u16 tx = e1k_ring_size(ring->tx_pending);
	u16 rx = e1k_ring_size(ring->rx_pending);
	int err;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no mini or jumbo RX ring");
		return -EINVAL;
	}
	if (tx == old_tx && rx == old_rx)
		return 0;

	if (!netif_running(netdev)) {
		adapter->tx_ring_count = tx;
		adapter->rx_ring_count = rx;
		return 0;
	}

	/* Resize = stop, reallocate, restart; RTNL is held. */
	e1k_down(adapter);
	adapter->tx_ring_count = tx;
	adapter->rx_ring_count = rx;
	err = e1k_up(adapter);
	if (!err)
		return 0;

	NL_SET_ERR_MSG_MOD(extack, "cannot allocate rings, keeping old size");
	adapter->tx_ring_count = old_tx;
	adapter->rx_ring_count = old_rx;
	if (e1k_up(adapter)) {
		netdev_err(netdev, "cannot restart after ring resize\n");
		dev_close(netdev);
	}
	return err;
}

static int e1k_get_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	/*
	 * The value as set, not the one NAPI is moving: ethtool's set is a
	 * read-modify-write, and a moved value would read as a new rx-usecs.
	 */
	ec->rx_coalesce_usecs = adapter->itr_usecs;
	ec->use_adaptive_rx_coalesce = READ_ONCE(adapter->itr_adaptive);
	return 0;
}

/*
 * rx-usecs is the minimum gap between interrupts (0 disables ITR; QEMU
 * holds at least 128 us whenever it is on: pktpath_e1000.h); giving
 * one fixes it and turns adaptive-rx off, adaptive-rx on lets NAPI move it
 * (irq.c).
 */
static int e1k_set_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	bool adaptive = ec->use_adaptive_rx_coalesce;
	u32 itr;

	/* A new rx-usecs wins over an adaptive-rx left as it was. */
	if (adaptive && adapter->itr_adaptive &&
	    ec->rx_coalesce_usecs != adapter->itr_usecs)
		adaptive = false;
	if (adaptive) {
		WRITE_ONCE(adapter->itr_adaptive, true);
		return 0;
	}
	if (ec->rx_coalesce_usecs >
	    E1K_ITR_MAX * E1K_ITR_UNIT_NS / 1000) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs out of range");
		return -EINVAL;
	}
	itr = DIV_ROUND_CLOSEST(ec->rx_coalesce_usecs * 1000,
				E1K_ITR_UNIT_NS);
	/* A poll adapting ITR right now must not overwrite the fixed value. */
	WRITE_ONCE(adapter->itr_adaptive, false);
	synchronize_net();
	adapter->itr = itr;
	adapter->itr_usecs = ec->rx_coalesce_usecs;
	if (netif_running(netdev))
		e1k_hw_write_itr(adapter);
	return 0;
}

static int e1k_get_sset_count(struct net_device *netdev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return e1k_stats_count();
	case ETH_SS_TEST:
		return e1k_selftest_count();
	default:
		return -EOPNOTSUPP;
	}
}

static void e1k_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		e1k_stats_strings(data);
	else if (sset == ETH_SS_TEST)
		e1k_selftest_strings(data);
}

static void e1k_get_ethtool_stats(struct net_device *netdev,
				  struct ethtool_stats *stats, u64 *data)
{
	e1k_stats_fill(netdev_priv(netdev), data);
}

static int e1k_get_regs_len(struct net_device *netdev)
{
	return ARRAY_SIZE(e1k_dump_regs) * sizeof(u32);
}

static void e1k_get_regs(struct net_device *netdev,
			 struct ethtool_regs *regs, void *p)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u32 *buf = p;
	unsigned int i;

	regs->version = 1;
	for (i = 0; i < ARRAY_SIZE(e1k_dump_regs); i++)
		buf[i] = e1k_rd32(adapter, e1k_dump_regs[i]);
}

static int e1k_get_eeprom_len(struct net_device *netdev)
{
	return E1K_EEPROM_WORDS * sizeof(u16);
}

/* Served from the copy read (and checksummed) at probe time. */
static int e1k_get_eeprom(struct net_device *netdev,
			  struct ethtool_eeprom *eeprom, u8 *bytes)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	unsigned int i;

	eeprom->magic = adapter->pdev->vendor | (adapter->pdev->device << 16);
	for (i = 0; i < eeprom->len; i++) {
		u16 word = adapter->eeprom[(eeprom->offset + i) / 2];

		bytes[i] = (eeprom->offset + i) & 1 ? word >> 8 : word & 0xff;
	}
	return 0;
}

static u32 e1k_get_msglevel(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	return adapter->msg_enable;
}

static void e1k_set_msglevel(struct net_device *netdev, u32 level)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	adapter->msg_enable = level;
}

/* QEMU's 8254x has no wake-up logic behind WUC/WUFC: say so. */
static void e1k_get_wol(struct net_device *netdev,
			struct ethtool_wolinfo *wol)
{
	wol->supported = 0;
	wol->wolopts = 0;
}

static const struct ethtool_ops e1k_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
	.get_drvinfo		= e1k_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_wol		= e1k_get_wol,
	.get_link_ksettings	= e1k_get_link_ksettings,
	.get_ringparam		= e1k_get_ringparam,
	.set_ringparam		= e1k_set_ringparam,
	.get_coalesce		= e1k_get_coalesce,
	.set_coalesce		= e1k_set_coalesce,
	.get_sset_count		= e1k_get_sset_count,
	.get_strings		= e1k_get_strings,
	.get_ethtool_stats	= e1k_get_ethtool_stats,
	.self_test		= e1k_self_test,
	.get_regs_len		= e1k_get_regs_len,
	.get_regs		= e1k_get_regs,
	.get_eeprom_len		= e1k_get_eeprom_len,
	.get_eeprom		= e1k_get_eeprom,
	.get_msglevel		= e1k_get_msglevel,
	.set_msglevel		= e1k_set_msglevel,
};

void e1k_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &e1k_ethtool_ops;
}
