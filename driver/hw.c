// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: register programming, EEPROM, PHY, link and filters.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/iopoll.h>

#include "pktpath_e1000.h"

/*
 * Stop both DMA engines and reset the MAC.
 *
 * QEMU's CTRL.RST only clears itself; the rings, RCTL, TCTL, the filters and
 * the counters survive it. So the reset is no substitute for disabling
 * RX/TX explicitly first, and e1k_hw_configure() must program every
 * register afterwards.
 */
int e1k_hw_reset(struct e1k_adapter *adapter)
{
	u32 ctrl;
	int err;

	e1k_wr32(adapter, E1K_IMC, E1K_INT_ALL);

	spin_lock_bh(&adapter->hw_lock);
	e1k_wr32(adapter, E1K_RCTL, 0);
	adapter->rctl = 0;
	spin_unlock_bh(&adapter->hw_lock);

	e1k_wr32(adapter, E1K_TCTL, E1K_TCTL_PSP);
	e1k_flush(adapter);

	/* Real parts need time to finish DMA in flight before the reset. */
	usleep_range(10000, 11000);

	ctrl = e1k_rd32(adapter, E1K_CTRL);
	e1k_wr32(adapter, E1K_CTRL, ctrl | E1K_CTRL_RST);
	err = readl_poll_timeout(adapter->hw_addr + E1K_CTRL, ctrl,
				 !(ctrl & E1K_CTRL_RST), 100, 20000);
	if (err)
		netdev_err(adapter->netdev, "device reset timed out\n");

	/* The reset re-reads the EEPROM on real parts; give it time. */
	usleep_range(1000, 2000);

	if (adapter->family->quiesce)
		adapter->family->quiesce(adapter);
	e1k_wr32(adapter, E1K_IMC, E1K_INT_ALL);
	e1k_rd32(adapter, E1K_ICR);
	return err;
}

void e1k_hw_write_rar(struct e1k_adapter *adapter, unsigned int idx,
		      const u8 *addr)
{
	u32 lo = 0, hi = 0;

	if (addr) {
		lo = addr[0] | (addr[1] << 8) | (addr[2] << 16) |
		     ((u32)addr[3] << 24);
		hi = addr[4] | (addr[5] << 8) | E1K_RAH_AV;
	}

	/* Drop AV first so that no half-written address is ever valid. */
	e1k_wr32(adapter, E1K_RAH(idx), 0);
	e1k_wr32(adapter, E1K_RAL(idx), lo);
	e1k_wr32(adapter, E1K_RAH(idx), hi);
}

/* Caller holds hw_lock. */
void e1k_hw_write_vfta(struct e1k_adapter *adapter, u16 vid)
{
	unsigned int word = vid / 32, bit;
	u32 val = 0;

	for (bit = 0; bit < 32; bit++)
		if (test_bit(word * 32 + bit, adapter->active_vlans))
			val |= BIT(bit);
	e1k_wr32(adapter, E1K_VFTA(word), val);
}

void e1k_hw_write_itr(struct e1k_adapter *adapter)
{
	e1k_wr32(adapter, E1K_ITR, adapter->itr);
}

static void e1k_hw_configure_mac(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	u32 ctrl;

	ctrl = e1k_rd32(adapter, E1K_CTRL);
	ctrl &= ~(E1K_CTRL_LRST | E1K_CTRL_ILOS | E1K_CTRL_FRCSPD |
		  E1K_CTRL_FRCDPX | E1K_CTRL_RFCE | E1K_CTRL_TFCE |
		  E1K_CTRL_VME | E1K_CTRL_RST | E1K_CTRL_PHY_RST);
	/* Let the MAC follow the PHY's resolved speed and bring the link up. */
	ctrl |= E1K_CTRL_SLU | E1K_CTRL_ASDE;
	/*
	 * VME enables both tag stripping on RX and VLE insertion on TX; the
	 * hardware has no separate switches (see e1k_fix_features()).
	 */
	if (netdev->features & NETIF_F_HW_VLAN_CTAG_RX)
		ctrl |= E1K_CTRL_VME;
	e1k_wr32(adapter, E1K_CTRL, ctrl);
	e1k_wr32(adapter, E1K_VET, ETH_P_8021Q);

	/* No flow control: nothing here generates or honours PAUSE. */
	e1k_wr32(adapter, E1K_FCAL, 0);
	e1k_wr32(adapter, E1K_FCAH, 0);
	e1k_wr32(adapter, E1K_FCT, 0);
	e1k_wr32(adapter, E1K_FCTTV, 0);
}

static void e1k_hw_configure_tx(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	u32 tctl;

	e1k_wr32(adapter, E1K_TDBAL, lower_32_bits(ring->dma));
	e1k_wr32(adapter, E1K_TDBAH, upper_32_bits(ring->dma));
	e1k_wr32(adapter, E1K_TDLEN,
		 ring->count * sizeof(struct e1k_tx_desc));
	e1k_wr32(adapter, E1K_TDH, 0);
	e1k_wr32(adapter, E1K_TDT, 0);

	/* Moderation is ITR's job alone; TIDV is not emulated anyway. */
	e1k_wr32(adapter, E1K_TIDV, 0);
	e1k_wr32(adapter, E1K_TADV, 0);

	e1k_wr32(adapter, E1K_TIPG, E1K_TIPG_IPGT |
		 (E1K_TIPG_IPGR1 << E1K_TIPG_IPGR1_SHIFT) |
		 (E1K_TIPG_IPGR2 << E1K_TIPG_IPGR2_SHIFT));

	/* PSP: the MAC pads runts, so xmit never has to. */
	tctl = E1K_TCTL_EN | E1K_TCTL_PSP | E1K_TCTL_RTLC |
	       (E1K_TCTL_CT_DEFAULT << E1K_TCTL_CT_SHIFT) |
	       (E1K_TCTL_COLD_FD << E1K_TCTL_COLD_SHIFT);
	e1k_wr32(adapter, E1K_TCTL, tctl);
}

static void e1k_hw_configure_rx(struct e1k_adapter *adapter)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;

	/*
	 * RDTR = 0 disables the packet timer and, with it, RADV: interrupt
	 * moderation comes from ITR only.
	 */
	e1k_wr32(adapter, E1K_RDTR, 0);
	e1k_wr32(adapter, E1K_RADV, 0);

	e1k_wr32(adapter, E1K_RDBAL, lower_32_bits(ring->dma));
	e1k_wr32(adapter, E1K_RDBAH, upper_32_bits(ring->dma));
	e1k_wr32(adapter, E1K_RDLEN,
		 ring->count * sizeof(struct e1k_rx_desc));
	e1k_wr32(adapter, E1K_RDH, 0);
	e1k_wr32(adapter, E1K_RDT, 0);
	/* RCTL (and with it RX enable) is written by e1k_hw_set_rx_mode(). */
}

static void e1k_hw_configure_filters(struct e1k_adapter *adapter)
{
	unsigned int i;

	e1k_hw_write_rar(adapter, 0, adapter->netdev->dev_addr);
	for (i = 1; i < E1K_RAR_ENTRIES; i++)
		e1k_hw_write_rar(adapter, i, NULL);
	adapter->uc_rar_used = 0;

	for (i = 0; i < E1K_MTA_WORDS; i++) {
		e1k_wr32(adapter, E1K_MTA(i), 0);
		adapter->mta[i] = 0;
	}

	for (i = 0; i < E1K_VFTA_WORDS; i++)
		e1k_hw_write_vfta(adapter, i * 32);
}

/*
 * Program every register the driver relies on, leaving RX disabled and
 * interrupts masked. Called after e1k_hw_reset() with the rings allocated.
 */
void e1k_hw_configure(struct e1k_adapter *adapter)
{
	spin_lock_bh(&adapter->hw_lock);
	e1k_hw_configure_mac(adapter);
	e1k_hw_write_itr(adapter);
	e1k_hw_configure_tx(adapter);
	e1k_hw_configure_rx(adapter);
	e1k_hw_configure_filters(adapter);
	spin_unlock_bh(&adapter->hw_lock);
	e1k_flush(adapter);
}

void e1k_hw_set_vlan_strip(struct e1k_adapter *adapter, bool on)
{
	u32 ctrl;

	spin_lock_bh(&adapter->hw_lock);
	ctrl = e1k_rd32(adapter, E1K_CTRL);
	if (on)
		ctrl |= E1K_CTRL_VME;
	else
		ctrl &= ~E1K_CTRL_VME;
	e1k_wr32(adapter, E1K_CTRL, ctrl);
	spin_unlock_bh(&adapter->hw_lock);
}

/* Returns true if the unicast list did not fit into the RAR table. */
static bool e1k_hw_write_uc_list(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct netdev_hw_addr *ha;
	unsigned int idx = 1, i;

	if (netdev_uc_count(netdev) > E1K_RAR_ENTRIES - 1)
		return true;

	netdev_for_each_uc_addr(ha, netdev)
		e1k_hw_write_rar(adapter, idx++, ha->addr);

	for (i = idx; i <= adapter->uc_rar_used; i++)
		e1k_hw_write_rar(adapter, i, NULL);
	adapter->uc_rar_used = idx - 1;
	return false;
}

/*
 * With RCTL.MO = 0 the device hashes destination address bits 47:36, i.e.
 * the upper nibble of byte 4 and all of byte 5, into a 12-bit index: the
 * top 7 bits select an MTA word and the low 5 bits a bit in it.
 */
static u32 e1k_mta_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u32)addr[5] << 4)) & 0xfff;
}

static void e1k_hw_write_mc_hash(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct netdev_hw_addr *ha;
	unsigned int i;
	u32 hash;

	memset(adapter->mta_new, 0, sizeof(adapter->mta_new));
	netdev_for_each_mc_addr(ha, netdev) {
		hash = e1k_mta_hash(ha->addr);
		adapter->mta_new[hash >> 5] |= BIT(hash & 0x1f);
	}

	/* Most updates change one or two words: write only those. */
	for (i = 0; i < E1K_MTA_WORDS; i++) {
		if (adapter->mta_new[i] == adapter->mta[i])
			continue;
		e1k_wr32(adapter, E1K_MTA(i), adapter->mta_new[i]);
		adapter->mta[i] = adapter->mta_new[i];
	}
}

/*
 * Recompute RCTL and the address filters from the netdev state. Runs in
 * atomic context (ndo_set_rx_mode) with the netdev address lock held.
 *
 * Every RCTL write makes QEMU stop delivering frames for about a second,
 * so RCTL is written only when its value really changes.
 */
void e1k_hw_set_rx_mode(struct e1k_adapter *adapter,
			netdev_features_t features)
{
	struct net_device *netdev = adapter->netdev;
	u32 rctl;

	spin_lock_bh(&adapter->hw_lock);
	if (test_bit(E1K_STATE_DOWN, &adapter->state))
		goto out;

	/* MO = 0, RDMTS = 1/2, BSIZE = 2048 with BSEX clear; strip the FCS. */
	rctl = E1K_RCTL_EN | E1K_RCTL_BAM | E1K_RCTL_SECRC |
	       E1K_RCTL_BSIZE_2048 | E1K_RCTL_RDMTS_HALF;
	if (netdev->mtu > ETH_DATA_LEN)
		rctl |= E1K_RCTL_LPE;

	if (netdev->flags & IFF_PROMISC)
		rctl |= E1K_RCTL_UPE | E1K_RCTL_MPE;
	else if (netdev->flags & IFF_ALLMULTI)
		rctl |= E1K_RCTL_MPE;

	if (!(rctl & E1K_RCTL_UPE) && e1k_hw_write_uc_list(adapter))
		rctl |= E1K_RCTL_UPE;
	if (!(rctl & E1K_RCTL_MPE))
		e1k_hw_write_mc_hash(adapter);

	/* Promiscuous mode must see every VLAN too. */
	if ((features & NETIF_F_HW_VLAN_CTAG_FILTER) &&
	    !(netdev->flags & IFF_PROMISC))
		rctl |= E1K_RCTL_VFE;

	if (rctl != adapter->rctl) {
		e1k_wr32(adapter, E1K_RCTL, rctl);
		adapter->rctl = rctl;
	}
out:
	spin_unlock_bh(&adapter->hw_lock);
}

/* EERD: QEMU finishes at once; real parts take a few microseconds a word. */
static int e1k_hw_eerd(struct e1k_adapter *adapter, unsigned int word,
		       u16 *data)
{
	const struct e1k_family *fam = adapter->family;
	u32 val;
	int err;

	e1k_wr32(adapter, E1K_EERD,
		 (word << fam->eerd_addr_shift) | E1K_EERD_START);
	err = readl_poll_timeout(adapter->hw_addr + E1K_EERD, val,
				 val & fam->eerd_done, 5, 10000);
	if (err)
		return err;
	*data = val >> E1K_EERD_DATA_SHIFT;
	return 0;
}

/*
 * Read the whole 64-word EEPROM into adapter->eeprom. Returns -EIO if the
 * device does not answer and -EBADMSG if the words do not sum to 0xBABA.
 */
int e1k_hw_read_eeprom(struct e1k_adapter *adapter)
{
	unsigned int i;
	u16 sum = 0;
	int err;

	adapter->eeprom_valid = false;
	for (i = 0; i < E1K_EEPROM_WORDS; i++) {
		err = e1k_hw_eerd(adapter, i, &adapter->eeprom[i]);
		if (err)
			return -EIO;
		sum += adapter->eeprom[i];
	}
	if (sum != E1K_EEPROM_CSUM)
		return -EBADMSG;
	adapter->eeprom_valid = true;
	return 0;
}

/* MDIC access to the internal PHY (address 1). Process context only. */
int e1k_hw_read_phy(struct e1k_adapter *adapter, u32 reg, u16 *val)
{
	u32 mdic;
	int err;

	e1k_wr32(adapter, E1K_MDIC, (reg << E1K_MDIC_REG_SHIFT) |
		 (E1K_PHY_ADDR << E1K_MDIC_PHY_SHIFT) | E1K_MDIC_OP_READ);
	err = readl_poll_timeout(adapter->hw_addr + E1K_MDIC, mdic,
				 mdic & E1K_MDIC_READY, 10, 10000);
	if (err)
		return err;
	if (mdic & E1K_MDIC_ERROR)
		return -EIO;
	*val = mdic & E1K_MDIC_DATA_MASK;
	return 0;
}

/* MDIC write to the internal PHY. Process context only. */
int e1k_hw_write_phy(struct e1k_adapter *adapter, u32 reg, u16 val)
{
	u32 mdic;
	int err;

	e1k_wr32(adapter, E1K_MDIC, val | (reg << E1K_MDIC_REG_SHIFT) |
		 (E1K_PHY_ADDR << E1K_MDIC_PHY_SHIFT) | E1K_MDIC_OP_WRITE);
	err = readl_poll_timeout(adapter->hw_addr + E1K_MDIC, mdic,
				 mdic & E1K_MDIC_READY, 10, 10000);
	if (err)
		return err;
	return mdic & E1K_MDIC_ERROR ? -EIO : 0;
}

/* Refresh the cached link state from STATUS; returns true if it changed. */
bool e1k_hw_update_link(struct e1k_adapter *adapter)
{
	u32 status = e1k_rd32(adapter, E1K_STATUS);
	bool up = status & E1K_STATUS_LU;
	bool changed = up != adapter->link_up;

	adapter->link_up = up;
	if (!up) {
		adapter->link_speed = 0;
		adapter->link_full_duplex = false;
		return changed;
	}

	switch (FIELD_GET(E1K_STATUS_SPEED_MASK, status)) {
	case E1K_STATUS_SPEED_10:
		adapter->link_speed = SPEED_10;
		break;
	case E1K_STATUS_SPEED_100:
		adapter->link_speed = SPEED_100;
		break;
	default:
		adapter->link_speed = SPEED_1000;
		break;
	}
	adapter->link_full_duplex = status & E1K_STATUS_FD;
	return changed;
}
