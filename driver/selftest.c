// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: ethtool self-test (ethtool -t).
 *
 * The offline tests take the interface down with e1k_down(), build fresh
 * rings of the configured sizes, and drive them by polling with NAPI left
 * disabled, so nothing here competes with the datapath. The interface is
 * brought back with e1k_up() afterwards. ethtool calls us under RTNL,
 * which also keeps the reset work and every other down/up path out.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/mii.h>
#include <linux/slab.h>

#include "pktpath_e1000.h"

enum e1k_test {
	E1K_TEST_REG,
	E1K_TEST_IRQ,
	E1K_TEST_LOOPBACK,
	E1K_TEST_LINK,
	E1K_TEST_NUM
};

static const char e1k_test_names[E1K_TEST_NUM][ETH_GSTRING_LEN] = {
	[E1K_TEST_REG]		= "Register test  (offline)",
	[E1K_TEST_IRQ]		= "Interrupt test (offline)",
	[E1K_TEST_LOOPBACK]	= "Loopback test  (offline)",
	[E1K_TEST_LINK]		= "Link test   (on/offline)",
};

int e1k_selftest_count(void)
{
	return E1K_TEST_NUM;
}

void e1k_selftest_strings(u8 *data)
{
	memcpy(data, e1k_test_names, sizeof(e1k_test_names));
}

/* ---- registers ---------------------------------------------------------- */

/*
 * Registers QEMU keeps as plain storage, with the bits it stores. Only
 * harmless ones while RX and TX are disabled: ring bases and lengths,
 * moderation timers, and table entries the test restores.
 */
static const struct {
	u16 reg;
	u32 mask;
} e1k_test_regs[] = {
	{ E1K_RDBAL,	0xfffffff0 },
	{ E1K_RDBAH,	0xffffffff },
	{ E1K_RDLEN,	0x000fff80 },
	{ E1K_TDBAL,	0xfffffff0 },
	{ E1K_TDBAH,	0xffffffff },
	{ E1K_TDLEN,	0x000fff80 },
	{ E1K_RDTR,	0x0000ffff },
	{ E1K_RADV,	0x0000ffff },
	{ E1K_TADV,	0x0000ffff },
	{ E1K_ITR,	0x0000ffff },
	{ E1K_MTA(0),	0xffffffff },
	{ E1K_MTA(127),	0xffffffff },
	{ E1K_VFTA(0),	0xffffffff },
	{ E1K_RAL(15),	0xffffffff },
};

static const u32 e1k_test_patterns[] = {
	0x5a5a5a5a, 0xa5a5a5a5, 0x00000000, 0xffffffff, 0x12345678,
};

/* Returns the number of mismatches; each is logged. */
static u64 e1k_test_registers(struct e1k_adapter *adapter)
{
	unsigned int i, p;
	u64 bad = 0;

	for (i = 0; i < ARRAY_SIZE(e1k_test_regs); i++) {
		u16 reg = e1k_test_regs[i].reg;
		u32 mask = e1k_test_regs[i].mask;
		u32 saved = e1k_rd32(adapter, reg);

		for (p = 0; p < ARRAY_SIZE(e1k_test_patterns); p++) {
			u32 want = e1k_test_patterns[p] & mask;
			u32 got;

			e1k_wr32(adapter, reg, want);
			got = e1k_rd32(adapter, reg) & mask;
			if (got == want)
				continue;
			netdev_err(adapter->netdev,
				   "register test: reg 0x%04x wrote 0x%08x read 0x%08x\n",
				   reg, want, got);
			bad++;
		}
		e1k_wr32(adapter, reg, saved);
	}
	return bad;
}

/* ---- interrupt ---------------------------------------------------------- */

/*
 * Raise each cause through ICS with only that cause enabled, and wait for
 * the driver's interrupt handler (installed by the caller) to report it in
 * adapter->test_icr.
 */
static u64 e1k_test_interrupt(struct e1k_adapter *adapter)
{
	static const u32 causes[] = {
		E1K_INT_TXDW, E1K_INT_RXDMT0, E1K_INT_RXO, E1K_INT_RXT0,
	};
	unsigned int i;
	u64 bad = 0;

	for (i = 0; i < ARRAY_SIZE(causes); i++) {
		unsigned long deadline;
		u32 seen;

		e1k_irq_disable(adapter);
		e1k_rd32(adapter, E1K_ICR);
		WRITE_ONCE(adapter->test_icr, 0);

		e1k_wr32(adapter, E1K_IMS, causes[i]);
		e1k_wr32(adapter, E1K_ICS, causes[i]);
		e1k_flush(adapter);

		deadline = jiffies + msecs_to_jiffies(100);
		do {
			seen = READ_ONCE(adapter->test_icr);
			if (seen & causes[i])
				break;
			usleep_range(500, 1000);
		} while (time_before(jiffies, deadline));

		if (!(seen & causes[i])) {
			netdev_err(adapter->netdev,
				   "interrupt test: cause 0x%08x not seen\n",
				   causes[i]);
			bad++;
		}
	}
	e1k_irq_disable(adapter);
	return bad;
}

/* ---- loopback ----------------------------------------------------------- */

#define E1K_LB_FRAMES		16
#define E1K_LB_LEN		1024
#define E1K_LB_ETHERTYPE	ETH_P_802_EX1	/* local experimental */

/* Frame @seq: to and from our own address, a per-frame payload pattern. */
static void e1k_lb_fill(u8 *buf, const u8 *mac, unsigned int seq)
{
	struct ethhdr *eh = (struct ethhdr *)buf;
	unsigned int i;

	ether_addr_copy(eh->h_dest, mac);
	ether_addr_copy(eh->h_source, mac);
	eh->h_proto = htons(E1K_LB_ETHERTYPE);
	buf[ETH_HLEN] = seq;
	for (i = ETH_HLEN + 1; i < E1K_LB_LEN; i++)
		buf[i] = (u8)(i * 13 + seq * 7);
}

/* Queue one frame on the TX ring and wait for its write-back. */
static int e1k_lb_xmit(struct e1k_adapter *adapter, dma_addr_t dma)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	u16 i = ring->next_to_use;
	struct e1k_tx_desc *desc = &ring->desc[i];
	unsigned long deadline;

	desc->addr = cpu_to_le64(dma);
	desc->cmd_len = cpu_to_le32(E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_DATA |
				    E1K_TXD_CMD_IFCS | E1K_TXD_CMD_EOP |
				    E1K_TXD_CMD_RS | E1K_LB_LEN);
	desc->opts = 0;
	ring->next_to_use = i + 1 == ring->count ? 0 : i + 1;
	/* writel() orders the descriptor before the tail update. */
	e1k_wr32(adapter, E1K_TDT, ring->next_to_use);

	deadline = jiffies + msecs_to_jiffies(50);
	do {
		if (READ_ONCE(desc->opts) & cpu_to_le32(E1K_TXD_STAT_DD))
			return 0;
		usleep_range(100, 200);
	} while (time_before(jiffies, deadline));
	return -ETIMEDOUT;
}

/*
 * Take frames off the RX ring like the real poll does, giving each page
 * back and refilling. Frames that are not ours (the cable peer keeps
 * talking) are skipped. Returns 0 for an intact copy of @expect, -EAGAIN
 * if nothing came within @timeout, -EIO for a damaged copy.
 */
static int e1k_lb_receive(struct e1k_adapter *adapter, const u8 *expect,
			  unsigned long timeout)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct device *dev = &adapter->pdev->dev;
	unsigned long deadline = jiffies + timeout;

	for (;;) {
		u16 i = ring->next_to_clean;
		struct e1k_rx_desc *desc = &ring->desc[i];
		struct page *page = ring->pages[i];
		bool ours, intact;
		u8 status;
		u16 len;
		u8 *data;

		status = READ_ONCE(desc->status);
		if (!(status & E1K_RXD_STAT_DD)) {
			if (time_after(jiffies, deadline))
				return -EAGAIN;
			usleep_range(200, 400);
			continue;
		}
		dma_rmb();
		len = le16_to_cpu(desc->length);
		if (WARN_ON_ONCE(!page))
			return -EIO;

		dma_sync_single_range_for_cpu(dev, ring->page_dma[i],
					      E1K_RX_HEADROOM,
					      min_t(u16, len, E1K_RX_BUF_LEN),
					      DMA_FROM_DEVICE);
		data = page_address(page) + E1K_RX_HEADROOM;
		ours = len >= ETH_HLEN && !memcmp(data, expect, ETH_HLEN);
		intact = ours && (status & E1K_RXD_STAT_EOP) &&
			 len == E1K_LB_LEN && !desc->errors &&
			 !memcmp(data, expect, E1K_LB_LEN);

		/* The page stays in its slot; the refill re-arms it. */
		dma_sync_single_range_for_device(dev, ring->page_dma[i],
						 E1K_RX_HEADROOM,
						 min_t(u16, len, E1K_RX_BUF_LEN),
						 DMA_FROM_DEVICE);
		desc->status = 0;
		ring->next_to_clean = i + 1 == ring->count ? 0 : i + 1;
		e1k_rx_refill(adapter, GFP_KERNEL);

		if (intact)
			return 0;
		if (ours) {
			netdev_err(adapter->netdev,
				   "loopback test: frame %u came back damaged (len %u status 0x%02x errors 0x%02x)\n",
				   expect[ETH_HLEN], len, status, desc->errors);
			return -EIO;
		}
	}
}

/*
 * PHY loopback: with BMCR.LOOPBACK set, QEMU hands every transmitted frame
 * to its own receiver instead of the wire. Any RCTL write stops QEMU's
 * receiver for about a second, so the first frame is retried until it
 * makes it through; after that every frame must come back at once.
 */
static u64 e1k_test_loopback(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct device *dev = &adapter->pdev->dev;
	unsigned long first_deadline;
	unsigned int seq, tries = 0;
	u16 bmcr;
	u8 *buf;
	int err;

	err = e1k_hw_read_phy(adapter, MII_BMCR, &bmcr);
	if (err) {
		netdev_err(netdev, "loopback test: PHY read failed: %d\n", err);
		return 1;
	}
	buf = kmalloc(E1K_LB_LEN, GFP_KERNEL);
	if (!buf)
		return 1;
	err = e1k_hw_write_phy(adapter, MII_BMCR, bmcr | BMCR_LOOPBACK);
	if (err) {
		netdev_err(netdev, "loopback test: PHY write failed: %d\n", err);
		goto out_free;
	}

	/* Only frames to our own address (RAR0): no broadcast, no promisc. */
	spin_lock_bh(&adapter->hw_lock);
	adapter->rctl = E1K_RCTL_EN | E1K_RCTL_SECRC | E1K_RCTL_BSIZE_2048;
	e1k_wr32(adapter, E1K_RCTL, adapter->rctl);
	spin_unlock_bh(&adapter->hw_lock);

	first_deadline = jiffies + 3 * HZ;
	for (seq = 0; seq < E1K_LB_FRAMES; seq++) {
		dma_addr_t dma;

		e1k_lb_fill(buf, netdev->dev_addr, seq);
		dma = dma_map_single(dev, buf, E1K_LB_LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma)) {
			err = -ENOMEM;
			break;
		}
		do {
			tries++;
			err = e1k_lb_xmit(adapter, dma);
			if (err) {
				/* Stop the engine before the buffer goes. */
				e1k_hw_reset(adapter);
				break;
			}
			err = e1k_lb_receive(adapter, buf,
					     msecs_to_jiffies(20));
		} while (err == -EAGAIN && !seq &&
			 time_before(jiffies, first_deadline));
		dma_unmap_single(dev, dma, E1K_LB_LEN, DMA_TO_DEVICE);
		if (err)
			break;
	}
	if (err)
		netdev_err(netdev, "loopback test: frame %u of %u failed: %d\n",
			   seq, E1K_LB_FRAMES, err);
	else
		netdev_dbg(netdev, "loopback test: %u frames in %u sends\n",
			   E1K_LB_FRAMES, tries);

	if (e1k_hw_write_phy(adapter, MII_BMCR, bmcr & ~BMCR_LOOPBACK)) {
		netdev_err(netdev, "loopback test: cannot leave PHY loopback\n");
		err = -EIO;
	}
out_free:
	kfree(buf);
	return err ? 1 : 0;
}

/* ---- link --------------------------------------------------------------- */

static u64 e1k_test_link(struct e1k_adapter *adapter)
{
	return !(e1k_rd32(adapter, E1K_STATUS) & E1K_STATUS_LU);
}

/* ---- driver ------------------------------------------------------------- */

/*
 * The device is down (E1K_STATE_DOWN, no IRQ, no rings). Set up private
 * rings with the interrupt handler installed, run the tests that need
 * them, and leave the device stopped and reset again.
 */
static void e1k_test_offline(struct e1k_adapter *adapter, u64 *data)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	err = e1k_tx_ring_alloc(adapter);
	if (err)
		goto fail;
	err = e1k_rx_ring_alloc(adapter);
	if (err)
		goto err_rx;
	err = e1k_hw_reset(adapter);
	if (err)
		goto err_reset;

	data[E1K_TEST_REG] = e1k_test_registers(adapter);

	e1k_hw_configure(adapter);
	if (!e1k_rx_refill(adapter, GFP_KERNEL)) {
		err = -ENOMEM;
		goto err_reset;
	}

	/* The handler sees E1K_STATE_DOWN and only records the causes. */
	err = e1k_irq_request(adapter);
	if (err) {
		netdev_err(netdev, "self-test: cannot get IRQ: %d\n", err);
		data[E1K_TEST_IRQ] = 1;
	} else {
		data[E1K_TEST_IRQ] = e1k_test_interrupt(adapter);
	}

	data[E1K_TEST_LOOPBACK] = e1k_test_loopback(adapter);

	e1k_hw_reset(adapter);
	if (!err) {
		synchronize_irq(adapter->pdev->irq);
		e1k_irq_free(adapter);
	}
	e1k_tx_ring_clean(adapter);
	e1k_rx_ring_clean(adapter);
	e1k_rx_ring_free(adapter);
	e1k_tx_ring_free(adapter);
	return;

err_reset:
	e1k_hw_reset(adapter);
	e1k_rx_ring_clean(adapter);
	e1k_rx_ring_free(adapter);
err_rx:
	e1k_tx_ring_free(adapter);
fail:
	netdev_err(netdev, "self-test: setup failed: %d\n", err);
	data[E1K_TEST_REG] = data[E1K_TEST_REG] ?: 1;
	data[E1K_TEST_IRQ] = 1;
	data[E1K_TEST_LOOPBACK] = 1;
}

/* ethtool_ops.self_test; called under RTNL. */
void e1k_self_test(struct net_device *netdev, struct ethtool_test *test,
		   u64 *data)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	bool was_up = !test_bit(E1K_STATE_DOWN, &adapter->state);
	unsigned int i;
	int err;

	memset(data, 0, E1K_TEST_NUM * sizeof(*data));

	data[E1K_TEST_LINK] = e1k_test_link(adapter);

	if (test->flags & ETH_TEST_FL_OFFLINE) {
		netif_info(adapter, hw, netdev, "offline self-test starting\n");
		if (was_up)
			e1k_down(adapter);

		e1k_test_offline(adapter, data);

		if (was_up) {
			err = e1k_up(adapter);
			if (err) {
				netdev_err(netdev,
					   "cannot restart after self-test: %d\n",
					   err);
				data[E1K_TEST_LINK] = 1;
				dev_close(netdev);
			}
		}
		netif_info(adapter, hw, netdev, "offline self-test done\n");
	}

	for (i = 0; i < E1K_TEST_NUM; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}
