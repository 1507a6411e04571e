/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_e1000: a small driver for the Intel 8254x NICs emulated by QEMU.
 */
#ifndef _PKTPATH_E1000_H
#define _PKTPATH_E1000_H

#include <linux/types.h>
#include <linux/io.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/u64_stats_sync.h>
#include <linux/if_vlan.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <net/xdp.h>

#include "regs.h"

#define E1K_DRV_NAME		"pktpath_e1000"

/* Ring sizes: TDLEN/RDLEN must be multiples of 128 bytes (8 descriptors). */
#define E1K_DEFAULT_TXD		256
#define E1K_DEFAULT_RXD		256
#define E1K_MIN_DESC		80
#define E1K_MAX_DESC		4096
#define E1K_DESC_ALIGN		8
/* RX buffers handed back to the device (one RDT write) per batch. */
#define E1K_RX_REFILL_BATCH	16

/*
 * RX buffers: one page per descriptor, XDP_PACKET_HEADROOM (plus
 * NET_IP_ALIGN, which aligns the IP header where the CPU wants it) in
 * front, a 2048-byte hardware buffer (RCTL.BSIZE) after it, and
 * skb_shared_info at the end of the page, so napi_build_skb() can wrap the
 * page without a copy.
 */
#define E1K_RX_HEADROOM		(XDP_PACKET_HEADROOM + NET_IP_ALIGN)
#define E1K_RX_BUF_LEN		2048

/*
 * Frames up to this length are copied into a small skb and their buffer
 * stays on the ring: a page-backed skb would charge a socket a whole page
 * (truesize) for a few dozen bytes, and the copy spares a page_pool
 * round trip.
 */
#define E1K_RX_COPYBREAK	256

/*
 * XDP sees one buffer per frame (no multi-buffer): the largest MTU with a
 * program attached keeps a VLAN-tagged frame and its FCS in one
 * 2048-byte buffer.
 */
#define E1K_XDP_MAX_MTU		(E1K_RX_BUF_LEN - VLAN_ETH_HLEN - ETH_FCS_LEN)

/*
 * Largest frame with RCTL.LPE: QEMU accepts up to 16384 bytes; keep the
 * MTU so that MTU + Ethernet header + VLAN tag + FCS stays below that.
 */
#define E1K_MAX_MTU		16110
#define E1K_MIN_MTU		ETH_MIN_MTU

/*
 * Bytes per TX data descriptor. The datasheet allows more, but QEMU takes
 * the length of every data descriptor from its low 16 bits only, so split
 * buffers well below 64 KiB.
 */
#define E1K_TX_MAX_BUF		SZ_16K
#define E1K_TX_MAX_BUF_DESC(len) DIV_ROUND_UP((len), E1K_TX_MAX_BUF)

/*
 * Worst case for one skb: a context descriptor, the linear part and every
 * fragment each split once at E1K_TX_MAX_BUF, plus the 64 KiB GSO limit
 * spread over the splits. Keep this many free before accepting a packet.
 */
#define E1K_TX_DESC_NEEDED	(MAX_SKB_FRAGS + 1 + 1 + \
				 E1K_TX_MAX_BUF_DESC(GSO_LEGACY_MAX_SIZE) + 1)
#define E1K_TX_WAKE_THRESH	(E1K_TX_DESC_NEEDED * 2)

/*
 * ITR counts in 256 ns units. QEMU's 8254x raises a cause at once when no
 * throttle is running, then holds further interrupts for the ITR gap, but
 * never less than 500 units (128 us, the 7,813 ints/s the datasheet
 * promises): any value from 1 to 499 acts as 500.
 */
#define E1K_ITR_UNIT_NS		256
#define E1K_ITR_MAX		0xffff
#define E1K_ITR_DEVICE_MIN	500
/*
 * Adaptive moderation (ethtool adaptive-rx, on by default; irq.c): a poll
 * that finds a stream of frames moves the gap toward BULK (250 us, 4000
 * ints/s: more frames per interrupt, less cost per frame), one that finds
 * one or two toward LOW, the device's floor: a step below it would be an
 * ITR write (an exit) that changes nothing. A lone request after a quiet
 * spell is not delayed by either: the throttle holds only what follows.
 */
#define E1K_ITR_LOW		E1K_ITR_DEVICE_MIN
#define E1K_ITR_BULK		977
#define E1K_ITR_DEFAULT		E1K_ITR_LOW
#define E1K_ITR_STREAM_FRAMES	8

#define E1K_WATCHDOG_PERIOD	(2 * HZ)
/*
 * Work pending and nothing completed for this long: a TX hang. Longer than
 * the stack's own watchdog takes to see a stopped queue (5 to 10 s), which
 * goes first where it can (ndo_tx_timeout).
 */
#define E1K_TX_HANG_TIME	(12 * HZ)
#define E1K_TX_TIMEOUT		(5 * HZ)

/*
 * What differs between the two families QEMU emulates: the 8254x (e1000,
 * e1000-82544gc, e1000-82545em) and the 82574L (e1000e). Both keep the
 * 8254x register layout, rings and descriptors used here; the 82574L
 * reads its EEPROM through another EERD layout.
 */
struct e1k_adapter;

struct e1k_family {
	const char *name;
	u32 eerd_done;
	u8 eerd_addr_shift;
	/* after CTRL.RST: clear what the family's other modes left */
	void (*quiesce)(struct e1k_adapter *adapter);
};

/* adapter->state bits */
enum e1k_state {
	E1K_STATE_DOWN,		/* rings, IRQ or NAPI not usable */
	E1K_STATE_RX_REFILL,	/* RX ring short of buffers, retry */
};

/* What a TX slot's first descriptor carries; decides its completion. */
enum e1k_tx_buf_type {
	E1K_TX_SKB,		/* from the stack: unmap, consume the skb */
	E1K_TX_XDP_TX,		/* XDP_TX: our own page, mapped for TX here */
	E1K_TX_XDP_XMIT,	/* ndo_xdp_xmit: mapped here, frame returned */
};

/* Who reclaims TX slots decides how what they held is freed (tx.c). */
enum e1k_tx_ctx {
	E1K_TX_CTX_NAPI,	/* our poll: per-CPU caches, our pool direct */
	E1K_TX_CTX_XMIT,	/* a sender, BH off: plain frees */
	E1K_TX_CTX_NETPOLL,	/* IRQs off, maybe hard IRQ: skbs only */
};

struct e1k_tx_buf {
	union {				/* first slot of a packet only */
		struct sk_buff *skb;
		struct xdp_frame *xdpf;
	};
	enum e1k_tx_buf_type type;
	struct e1k_tx_desc *next_to_watch; /* first slot: EOP descriptor */
	dma_addr_t dma;
	u32 len;			/* 0: nothing mapped in this slot */
	u32 bytecount;			/* first slot: bytes for BQL/stats */
	u16 segs;			/* first slot: packets on the wire */
	bool mapped_as_page;
};

struct e1k_tx_stats {
	u64 packets;
	u64 bytes;
	u64 restart_queue;
};

struct e1k_tx_xmit_stats {
	u64 stop_queue;
	u64 restart_queue;
	u64 busy;
	u64 dma_map_errors;
	u64 dropped;
	u64 tso;
	u64 csum;
	u64 xdp_tx;			/* XDP_TX frames queued */
	u64 xdp_tx_errors;		/* XDP_TX frames dropped: ring full */
	u64 xdp_xmit;			/* ndo_xdp_xmit frames queued */
	u64 xdp_xmit_errors;		/* ndo_xdp_xmit frames refused */
};

struct e1k_tx_ring {
	struct e1k_tx_desc *desc;
	struct e1k_tx_buf *buf;
	dma_addr_t dma;
	unsigned int size;		/* bytes of descriptor memory */
	u16 count;
	u16 next_to_use;		/* written by xmit */
	u16 next_to_clean;		/* written by completion */

	/* Last checksum context loaded into the device. */
	bool ctx_valid;
	u8 ctx_css;
	u8 ctx_cso;

	struct e1k_tx_stats stats;	/* completion (NAPI) side */
	struct u64_stats_sync syncp;
	struct e1k_tx_xmit_stats xstats; /* xmit side, under the txq lock */
	struct u64_stats_sync xsyncp;
};

struct e1k_rx_stats {
	u64 packets;
	u64 bytes;
	u64 errors;
	u64 dropped;
	u64 alloc_failed;
	u64 napi_polls;
	/* XDP verdicts; xdp_packets counts every frame a program saw. */
	u64 xdp_packets;
	u64 xdp_pass;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_redirect;
	u64 xdp_aborted;
	u64 xdp_redirect_errors;
};

/* What became of a buffer the XDP program saw (xdp.c). */
enum e1k_xdp_result {
	E1K_XDP_PASS,		/* build an skb from what the program left */
	E1K_XDP_KEEP,		/* dropped: the page stays in its slot */
	E1K_XDP_GONE,		/* transmitted or redirected: the page left */
};

/* One poll's XDP tallies, added to the ring's stats once at its end. */
struct e1k_xdp_poll {
	struct bpf_prog *prog;
	unsigned int verdict[XDP_REDIRECT + 1];
	unsigned int packets;
	unsigned int aborted;
	unsigned int redirect_errors;
	unsigned int tx_errors;
	unsigned int tx_queued;		/* frames waiting for the doorbell */
	bool redirected;		/* xdp_do_flush() due */
};

struct e1k_rx_ring {
	struct e1k_rx_desc *desc;
	struct page **pages;
	dma_addr_t *page_dma;		/* each slot's page, mapped by us */
	struct page_pool *pool;
	dma_addr_t dma;
	unsigned int size;
	u16 count;
	u16 next_to_use;		/* equals RDT after a refill */
	u16 next_to_clean;

	struct sk_buff *skb;		/* frame spanning descriptors */
	bool discard;			/* drop the rest of this frame */

	struct e1k_rx_stats stats;
	struct u64_stats_sync syncp;

	struct xdp_rxq_info xdp_rxq;	/* registered while up */
};

/* Hardware counters accumulated from the statistics registers. */
enum e1k_hw_stat {
	E1K_HS_CRCERRS,
	E1K_HS_ALGNERRC,
	E1K_HS_SYMERRS,
	E1K_HS_RXERRC,
	E1K_HS_MPC,
	E1K_HS_SCC,
	E1K_HS_ECOL,
	E1K_HS_MCC,
	E1K_HS_LATECOL,
	E1K_HS_COLC,
	E1K_HS_DC,
	E1K_HS_TNCRS,
	E1K_HS_SEC,
	E1K_HS_CEXTERR,
	E1K_HS_RLEC,
	E1K_HS_XONRXC,
	E1K_HS_XONTXC,
	E1K_HS_XOFFRXC,
	E1K_HS_XOFFTXC,
	E1K_HS_FCRUC,
	E1K_HS_GPRC,
	E1K_HS_BPRC,
	E1K_HS_MPRC,
	E1K_HS_GPTC,
	E1K_HS_GORC,
	E1K_HS_GOTC,
	E1K_HS_RNBC,
	E1K_HS_RUC,
	E1K_HS_RFC,
	E1K_HS_ROC,
	E1K_HS_RJC,
	E1K_HS_TOR,
	E1K_HS_TOT,
	E1K_HS_TPR,
	E1K_HS_TPT,
	E1K_HS_MPTC,
	E1K_HS_BPTC,
	E1K_HS_TSCTC,
	E1K_HS_TSCTFC,
	E1K_HS_NUM
};

struct e1k_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	const struct e1k_family *family;
	u8 __iomem *hw_addr;
	unsigned long state;
	u32 msg_enable;

	struct napi_struct napi;
	/* Read by the poll under RCU; replaced under RTNL (xdp.c). */
	struct bpf_prog __rcu *xdp_prog;
	struct e1k_tx_ring tx_ring;
	struct e1k_rx_ring rx_ring;
	u16 tx_ring_count;		/* configured sizes for the next open */
	u16 rx_ring_count;
	u32 itr;			/* ITR register value */
	u32 itr_usecs;			/* rx-usecs as set: NAPI leaves it */
	bool itr_adaptive;		/* NAPI moves itr (adaptive-rx) */

	/* Protects rctl, the filter tables and CTRL read-modify-write. */
	spinlock_t hw_lock;
	u32 rctl;			/* last value written to RCTL */
	u32 mta[E1K_MTA_WORDS];		/* last values written to MTA */
	u32 mta_new[E1K_MTA_WORDS];	/* scratch for set_rx_mode */
	unsigned int uc_rar_used;	/* RAR[1..] entries in use */
	unsigned long active_vlans[BITS_TO_LONGS(VLAN_N_VID)];

	/* Protects hw_stats and the snapshots of non-clearing counters. */
	spinlock_t stats_lock;
	u64 hw_stats[E1K_HS_NUM];
	u32 hw_last[E1K_HS_NUM];	/* plain counters' last reading */
	bool qemu_device;		/* QEMU's model: TX, counters differ */

	u64 irqs;			/* written by the ISR only */
	u32 test_icr;			/* causes the ISR saw while down */
	struct u64_stats_sync irq_syncp;

	bool link_up;
	u16 link_speed;
	bool link_full_duplex;
	u32 phy_id;

	struct delayed_work watchdog;
	struct work_struct reset_work;
	unsigned long tx_timeouts;	/* ndo_tx_timeout calls */
	unsigned long tx_hangs;		/* hangs the watchdog found */
	unsigned long tx_hang_since;	/* jiffies: last TX progress */
	u16 tx_hang_ntc;		/* next_to_clean seen then */
	unsigned long resets;		/* successful resets by reset_work */
	struct dentry *debugfs;
	bool tx_stall;			/* debugfs fault: no TDT writes */
	bool tx_irq_armed;		/* TXDW on: the queue waits (tx.c) */
	u32 rx_alloc_fail_every;	/* debugfs fault: Nth RX page fails */
	u32 rx_alloc_calls;		/* refill context only */

	u16 eeprom[E1K_EEPROM_WORDS];
	bool eeprom_valid;
};

static inline u32 e1k_rd32(struct e1k_adapter *adapter, u32 reg)
{
	return readl(adapter->hw_addr + reg);
}

static inline void e1k_wr32(struct e1k_adapter *adapter, u32 reg, u32 val)
{
	writel(val, adapter->hw_addr + reg);
}

/* Posted MMIO writes reach the device once a read has returned. */
static inline void e1k_flush(struct e1k_adapter *adapter)
{
	e1k_rd32(adapter, E1K_STATUS);
}

/* hw.c */
int e1k_hw_reset(struct e1k_adapter *adapter);
void e1k_hw_configure(struct e1k_adapter *adapter);
int e1k_hw_read_eeprom(struct e1k_adapter *adapter);
int e1k_hw_read_phy(struct e1k_adapter *adapter, u32 reg, u16 *val);
int e1k_hw_write_phy(struct e1k_adapter *adapter, u32 reg, u16 val);
void e1k_hw_write_rar(struct e1k_adapter *adapter, unsigned int idx,
		      const u8 *addr);
void e1k_hw_set_rx_mode(struct e1k_adapter *adapter,
			netdev_features_t features);
void e1k_hw_set_vlan_strip(struct e1k_adapter *adapter, bool on);
void e1k_hw_write_vfta(struct e1k_adapter *adapter, u16 vid);
void e1k_hw_write_itr(struct e1k_adapter *adapter);
bool e1k_hw_update_link(struct e1k_adapter *adapter);

/* hw_82574.c */
void e1k_82574_quiesce(struct e1k_adapter *adapter);

/* tx.c */
int e1k_tx_ring_alloc(struct e1k_adapter *adapter);
void e1k_tx_ring_free(struct e1k_adapter *adapter);
void e1k_tx_ring_clean(struct e1k_adapter *adapter);
void e1k_tx_ring_init(struct e1k_adapter *adapter);
bool e1k_tx_complete(struct e1k_adapter *adapter, enum e1k_tx_ctx ctx,
		     unsigned int *reclaimed);
bool e1k_tx_poll(struct e1k_adapter *adapter, int budget,
		 unsigned int *reclaimed);
void e1k_tx_kick(struct e1k_adapter *adapter, enum e1k_tx_ctx ctx);
netdev_tx_t e1k_xmit_frame(struct sk_buff *skb, struct net_device *netdev);
netdev_features_t e1k_features_check(struct sk_buff *skb,
				     struct net_device *netdev,
				     netdev_features_t features);

int e1k_tx_xdp_queue(struct e1k_adapter *adapter, struct xdp_frame *xdpf,
		     dma_addr_t dma, enum e1k_tx_buf_type type);
void e1k_tx_doorbell(struct e1k_adapter *adapter);

/* rx.c */
int e1k_rx_ring_alloc(struct e1k_adapter *adapter);
struct page *e1k_rx_alloc_page(struct e1k_adapter *adapter, gfp_t gfp);
void e1k_rx_ring_free(struct e1k_adapter *adapter);
void e1k_rx_ring_clean(struct e1k_adapter *adapter);
void e1k_rx_ring_init(struct e1k_adapter *adapter);
void e1k_rx_unmap_slot(struct e1k_adapter *adapter, u16 slot);
bool e1k_rx_refill(struct e1k_adapter *adapter, gfp_t gfp);
int e1k_rx_poll(struct e1k_adapter *adapter, int budget);

/* xdp.c */
int e1k_xdp_bpf(struct net_device *netdev, struct netdev_bpf *bpf);
int e1k_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames,
		 u32 flags);
enum e1k_xdp_result e1k_xdp_run(struct e1k_adapter *adapter,
				struct e1k_xdp_poll *xp, struct page *page,
				unsigned int *off, unsigned int *len,
				unsigned int *metasize, u16 slot);
void e1k_xdp_poll_end(struct e1k_adapter *adapter, struct e1k_xdp_poll *xp);

/* irq.c */
int e1k_irq_request(struct e1k_adapter *adapter);
void e1k_irq_free(struct e1k_adapter *adapter);
void e1k_irq_enable(struct e1k_adapter *adapter);
void e1k_irq_disable(struct e1k_adapter *adapter);
int e1k_napi_poll(struct napi_struct *napi, int budget);

/* stats.c */
void e1k_stats_init(struct e1k_adapter *adapter);
void e1k_stats_update_hw(struct e1k_adapter *adapter);
void e1k_stats_rebase(struct e1k_adapter *adapter);
void e1k_get_stats64(struct net_device *netdev,
		     struct rtnl_link_stats64 *stats);
int e1k_stats_count(void);
void e1k_stats_strings(u8 *data);
void e1k_stats_fill(struct e1k_adapter *adapter, u64 *data);

/* main.c */
int e1k_up(struct e1k_adapter *adapter);
void e1k_down(struct e1k_adapter *adapter);
void e1k_sync_rx_mode(struct e1k_adapter *adapter,
		      netdev_features_t features);

/* selftest.c */
int e1k_selftest_count(void);
void e1k_selftest_strings(u8 *data);
void e1k_self_test(struct net_device *netdev, struct ethtool_test *test,
		   u64 *data);

/* ethtool.c */
void e1k_set_ethtool_ops(struct net_device *netdev);

/* debugfs.c */
void e1k_debugfs_init(void);
void e1k_debugfs_exit(void);
void e1k_debugfs_add(struct e1k_adapter *adapter);
void e1k_debugfs_remove(struct e1k_adapter *adapter);

#endif /* _PKTPATH_E1000_H */
