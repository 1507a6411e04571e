// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: software and hardware statistics.
 */
#include <linux/ethtool.h>

#include "pktpath_e1000.h"

/*
 * On a real 8254x or 82574L every statistics register clears when read.
 * QEMU's models (both) clear only some (E1K_CNT_COR, and the 64-bit pairs
 * on reading the high half); the others (E1K_CNT_PLAIN) are plain
 * registers that only grow, saturating at ~0, and a device reset
 * (CTRL.RST keeps them, an S3 wake-up does not) zeroes them.
 */
enum e1k_counter_kind {
	E1K_CNT_COR,	/* clear-on-read everywhere */
	E1K_CNT_64,	/* low/high pair; reading high clears both */
	E1K_CNT_PLAIN,	/* clear-on-read, but plain in QEMU's model */
};

struct e1k_hw_counter {
	char name[ETH_GSTRING_LEN];
	u16 reg;
	u8 kind;
};

#define E1K_HW_CNT(idx, str, r, k) \
	[idx] = { .name = str, .reg = r, .kind = k }

static const struct e1k_hw_counter e1k_hw_counters[E1K_HS_NUM] = {
	E1K_HW_CNT(E1K_HS_CRCERRS, "hw_crc_errors", E1K_CRCERRS, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_ALGNERRC, "hw_align_errors", E1K_ALGNERRC,
		   E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_SYMERRS, "hw_symbol_errors", E1K_SYMERRS,
		   E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_RXERRC, "hw_rx_errors", E1K_RXERRC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_MPC, "hw_missed_packets", E1K_MPC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_SCC, "hw_single_collisions", E1K_SCC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_ECOL, "hw_excess_collisions", E1K_ECOL,
		   E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_MCC, "hw_multi_collisions", E1K_MCC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_LATECOL, "hw_late_collisions", E1K_LATECOL,
		   E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_COLC, "hw_collisions", E1K_COLC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_DC, "hw_deferred", E1K_DC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_TNCRS, "hw_tx_no_crs", E1K_TNCRS, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_SEC, "hw_sequence_errors", E1K_SEC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_CEXTERR, "hw_carrier_ext_errors", E1K_CEXTERR,
		   E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_RLEC, "hw_rx_length_errors", E1K_RLEC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_XONRXC, "hw_xon_rx", E1K_XONRXC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_XONTXC, "hw_xon_tx", E1K_XONTXC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_XOFFRXC, "hw_xoff_rx", E1K_XOFFRXC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_XOFFTXC, "hw_xoff_tx", E1K_XOFFTXC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_FCRUC, "hw_fc_unsupported", E1K_FCRUC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_GPRC, "hw_good_rx_packets", E1K_GPRC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_BPRC, "hw_bcast_rx_packets", E1K_BPRC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_MPRC, "hw_mcast_rx_packets", E1K_MPRC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_GPTC, "hw_good_tx_packets", E1K_GPTC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_GORC, "hw_good_rx_octets", E1K_GORCL, E1K_CNT_64),
	E1K_HW_CNT(E1K_HS_GOTC, "hw_good_tx_octets", E1K_GOTCL, E1K_CNT_64),
	E1K_HW_CNT(E1K_HS_RNBC, "hw_rx_no_buffer", E1K_RNBC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_RUC, "hw_rx_undersize", E1K_RUC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_RFC, "hw_rx_fragments", E1K_RFC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_ROC, "hw_rx_oversize", E1K_ROC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_RJC, "hw_rx_jabber", E1K_RJC, E1K_CNT_PLAIN),
	E1K_HW_CNT(E1K_HS_TOR, "hw_total_rx_octets", E1K_TORL, E1K_CNT_64),
	E1K_HW_CNT(E1K_HS_TOT, "hw_total_tx_octets", E1K_TOTL, E1K_CNT_64),
	E1K_HW_CNT(E1K_HS_TPR, "hw_total_rx_packets", E1K_TPR, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_TPT, "hw_total_tx_packets", E1K_TPT, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_MPTC, "hw_mcast_tx_packets", E1K_MPTC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_BPTC, "hw_bcast_tx_packets", E1K_BPTC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_TSCTC, "hw_tso_contexts", E1K_TSCTC, E1K_CNT_COR),
	E1K_HW_CNT(E1K_HS_TSCTFC, "hw_tso_context_fails", E1K_TSCTFC,
		   E1K_CNT_PLAIN),
};

/*
 * Software counters exported through ethtool -S: device totals first (as
 * igb has them), then the one queue pair under the per-queue names that
 * virtio_net and igb use (rx_queue_0_*, tx_queue_0_*).
 */
enum e1k_sw_stat {
	E1K_SW_RX_PACKETS,
	E1K_SW_RX_BYTES,
	E1K_SW_TX_PACKETS,
	E1K_SW_TX_BYTES,
	E1K_SW_IRQS,
	E1K_SW_TX_TIMEOUTS,
	E1K_SW_TX_HANGS,
	E1K_SW_RESETS,
	E1K_SW_TXQ_PACKETS,
	E1K_SW_TXQ_BYTES,
	E1K_SW_TXQ_RESTART,
	E1K_SW_TXQ_STOP,
	E1K_SW_TXQ_BUSY,
	E1K_SW_TXQ_DMA_MAP_ERRORS,
	E1K_SW_TXQ_DROPPED,
	E1K_SW_TXQ_TSO,
	E1K_SW_TXQ_CSUM,
	E1K_SW_TXQ_XDP_TX,
	E1K_SW_TXQ_XDP_TX_ERRORS,
	E1K_SW_TXQ_XDP_XMIT,
	E1K_SW_TXQ_XDP_XMIT_ERRORS,
	E1K_SW_RXQ_PACKETS,
	E1K_SW_RXQ_BYTES,
	E1K_SW_RXQ_ALLOC_FAILURES,
	E1K_SW_RXQ_ERRORS,
	E1K_SW_RXQ_DROPPED,
	E1K_SW_RXQ_NAPI_POLLS,
	E1K_SW_RXQ_XDP_PACKETS,
	E1K_SW_RXQ_XDP_PASS,
	E1K_SW_RXQ_XDP_DROP,
	E1K_SW_RXQ_XDP_TX,
	E1K_SW_RXQ_XDP_REDIRECT,
	E1K_SW_RXQ_XDP_ABORTED,
	E1K_SW_RXQ_XDP_REDIRECT_ERRORS,
	E1K_SW_NUM
};

static const char e1k_sw_names[E1K_SW_NUM][ETH_GSTRING_LEN] = {
	[E1K_SW_RX_PACKETS] = "rx_packets",
	[E1K_SW_RX_BYTES] = "rx_bytes",
	[E1K_SW_TX_PACKETS] = "tx_packets",
	[E1K_SW_TX_BYTES] = "tx_bytes",
	[E1K_SW_IRQS] = "irqs",
	[E1K_SW_TX_TIMEOUTS] = "tx_timeout_count",
	[E1K_SW_TX_HANGS] = "tx_hang_count",
	[E1K_SW_RESETS] = "reset_count",
	[E1K_SW_TXQ_PACKETS] = "tx_queue_0_packets",
	[E1K_SW_TXQ_BYTES] = "tx_queue_0_bytes",
	[E1K_SW_TXQ_RESTART] = "tx_queue_0_restart",
	[E1K_SW_TXQ_STOP] = "tx_queue_0_stopped",
	[E1K_SW_TXQ_BUSY] = "tx_queue_0_busy",
	[E1K_SW_TXQ_DMA_MAP_ERRORS] = "tx_queue_0_dma_map_errors",
	[E1K_SW_TXQ_DROPPED] = "tx_queue_0_dropped",
	[E1K_SW_TXQ_TSO] = "tx_queue_0_tso_packets",
	[E1K_SW_TXQ_CSUM] = "tx_queue_0_csum_offload",
	[E1K_SW_TXQ_XDP_TX] = "tx_queue_0_xdp_tx",
	[E1K_SW_TXQ_XDP_TX_ERRORS] = "tx_queue_0_xdp_tx_errors",
	[E1K_SW_TXQ_XDP_XMIT] = "tx_queue_0_xdp_xmit",
	[E1K_SW_TXQ_XDP_XMIT_ERRORS] = "tx_queue_0_xdp_xmit_errors",
	[E1K_SW_RXQ_PACKETS] = "rx_queue_0_packets",
	[E1K_SW_RXQ_BYTES] = "rx_queue_0_bytes",
	[E1K_SW_RXQ_ALLOC_FAILURES] = "rx_queue_0_alloc_failures",
	[E1K_SW_RXQ_ERRORS] = "rx_queue_0_errors",
	[E1K_SW_RXQ_DROPPED] = "rx_queue_0_dropped",
	[E1K_SW_RXQ_NAPI_POLLS] = "rx_queue_0_napi_polls",
	[E1K_SW_RXQ_XDP_PACKETS] = "rx_queue_0_xdp_packets",
	[E1K_SW_RXQ_XDP_PASS] = "rx_queue_0_xdp_pass",
	[E1K_SW_RXQ_XDP_DROP] = "rx_queue_0_xdp_drop",
	[E1K_SW_RXQ_XDP_TX] = "rx_queue_0_xdp_tx",
	[E1K_SW_RXQ_XDP_REDIRECT] = "rx_queue_0_xdp_redirect",
	[E1K_SW_RXQ_XDP_ABORTED] = "rx_queue_0_xdp_aborted",
	[E1K_SW_RXQ_XDP_REDIRECT_ERRORS] = "rx_queue_0_xdp_redirect_errors",
};

static u64 e1k_read_counter(struct e1k_adapter *adapter, unsigned int idx)
{
	const struct e1k_hw_counter *c = &e1k_hw_counters[idx];
	u32 lo, hi, *last;

	switch (c->kind) {
	case E1K_CNT_64:
		/* Low first: reading the high half clears both. */
		lo = e1k_rd32(adapter, c->reg);
		hi = e1k_rd32(adapter, c->reg + 4);
		return ((u64)hi << 32) | lo;
	case E1K_CNT_PLAIN:
		if (!adapter->qemu_device)
			break;
		/* What it grew by since the last read; below it: reset. */
		last = &adapter->hw_last[idx];
		lo = e1k_rd32(adapter, c->reg);
		hi = lo >= *last ? lo - *last : lo;
		*last = lo;
		return hi;
	}
	return e1k_rd32(adapter, c->reg);
}

/*
 * Forget whatever the counters held before we bound: clear the
 * clear-on-read registers and take the baseline of the plain ones (the
 * QEMU device keeps them across CTRL.RST and driver reloads). QEMU's
 * devices carry its subsystem vendor ID; a real part does not.
 */
void e1k_stats_init(struct e1k_adapter *adapter)
{
	unsigned int i;

	spin_lock_init(&adapter->stats_lock);
	u64_stats_init(&adapter->tx_ring.syncp);
	u64_stats_init(&adapter->tx_ring.xsyncp);
	u64_stats_init(&adapter->rx_ring.syncp);
	u64_stats_init(&adapter->irq_syncp);

	for (i = 0; i < E1K_HS_NUM; i++) {
		adapter->hw_last[i] = 0;
		e1k_read_counter(adapter, i);
		adapter->hw_stats[i] = 0;
	}
}

/*
 * After a sleep, which may have zeroed every register: the plain counters'
 * baseline is what they hold now (the counts before the sleep were taken
 * in at suspend).
 */
void e1k_stats_rebase(struct e1k_adapter *adapter)
{
	unsigned long flags;
	unsigned int i;

	if (!adapter->qemu_device)
		return;
	spin_lock_irqsave(&adapter->stats_lock, flags);
	for (i = 0; i < E1K_HS_NUM; i++)
		if (e1k_hw_counters[i].kind == E1K_CNT_PLAIN)
			adapter->hw_last[i] = e1k_rd32(adapter,
						       e1k_hw_counters[i].reg);
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}

/* Accumulate the hardware counters. Watchdog and ethtool, any context. */
void e1k_stats_update_hw(struct e1k_adapter *adapter)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&adapter->stats_lock, flags);
	for (i = 0; i < E1K_HS_NUM; i++)
		adapter->hw_stats[i] += e1k_read_counter(adapter, i);
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}

static void e1k_stats_sw(struct e1k_adapter *adapter, u64 *sw)
{
	struct e1k_tx_ring *tx = &adapter->tx_ring;
	struct e1k_rx_ring *rx = &adapter->rx_ring;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&tx->syncp);
		sw[E1K_SW_TXQ_PACKETS] = tx->stats.packets;
		sw[E1K_SW_TXQ_BYTES] = tx->stats.bytes;
		sw[E1K_SW_TXQ_RESTART] = tx->stats.restart_queue;
	} while (u64_stats_fetch_retry(&tx->syncp, start));

	do {
		start = u64_stats_fetch_begin(&tx->xsyncp);
		sw[E1K_SW_TXQ_RESTART] += tx->xstats.restart_queue;
		sw[E1K_SW_TXQ_STOP] = tx->xstats.stop_queue;
		sw[E1K_SW_TXQ_BUSY] = tx->xstats.busy;
		sw[E1K_SW_TXQ_DMA_MAP_ERRORS] = tx->xstats.dma_map_errors;
		sw[E1K_SW_TXQ_DROPPED] = tx->xstats.dropped;
		sw[E1K_SW_TXQ_TSO] = tx->xstats.tso;
		sw[E1K_SW_TXQ_CSUM] = tx->xstats.csum;
		sw[E1K_SW_TXQ_XDP_TX] = tx->xstats.xdp_tx;
		sw[E1K_SW_TXQ_XDP_TX_ERRORS] = tx->xstats.xdp_tx_errors;
		sw[E1K_SW_TXQ_XDP_XMIT] = tx->xstats.xdp_xmit;
		sw[E1K_SW_TXQ_XDP_XMIT_ERRORS] = tx->xstats.xdp_xmit_errors;
	} while (u64_stats_fetch_retry(&tx->xsyncp, start));

	do {
		start = u64_stats_fetch_begin(&rx->syncp);
		sw[E1K_SW_RXQ_PACKETS] = rx->stats.packets;
		sw[E1K_SW_RXQ_BYTES] = rx->stats.bytes;
		sw[E1K_SW_RXQ_ALLOC_FAILURES] = rx->stats.alloc_failed;
		sw[E1K_SW_RXQ_ERRORS] = rx->stats.errors;
		sw[E1K_SW_RXQ_DROPPED] = rx->stats.dropped;
		sw[E1K_SW_RXQ_NAPI_POLLS] = rx->stats.napi_polls;
		sw[E1K_SW_RXQ_XDP_PACKETS] = rx->stats.xdp_packets;
		sw[E1K_SW_RXQ_XDP_PASS] = rx->stats.xdp_pass;
		sw[E1K_SW_RXQ_XDP_DROP] = rx->stats.xdp_drop;
		sw[E1K_SW_RXQ_XDP_TX] = rx->stats.xdp_tx;
		sw[E1K_SW_RXQ_XDP_REDIRECT] = rx->stats.xdp_redirect;
		sw[E1K_SW_RXQ_XDP_ABORTED] = rx->stats.xdp_aborted;
		sw[E1K_SW_RXQ_XDP_REDIRECT_ERRORS] =
			rx->stats.xdp_redirect_errors;
	} while (u64_stats_fetch_retry(&rx->syncp, start));

	do {
		start = u64_stats_fetch_begin(&adapter->irq_syncp);
		sw[E1K_SW_IRQS] = adapter->irqs;
	} while (u64_stats_fetch_retry(&adapter->irq_syncp, start));

	sw[E1K_SW_TX_TIMEOUTS] = READ_ONCE(adapter->tx_timeouts);
	sw[E1K_SW_TX_HANGS] = READ_ONCE(adapter->tx_hangs);
	sw[E1K_SW_RESETS] = READ_ONCE(adapter->resets);

	/* One queue pair: the device totals are its counters. */
	sw[E1K_SW_RX_PACKETS] = sw[E1K_SW_RXQ_PACKETS];
	sw[E1K_SW_RX_BYTES] = sw[E1K_SW_RXQ_BYTES];
	sw[E1K_SW_TX_PACKETS] = sw[E1K_SW_TXQ_PACKETS];
	sw[E1K_SW_TX_BYTES] = sw[E1K_SW_TXQ_BYTES];
}

void e1k_get_stats64(struct net_device *netdev,
		     struct rtnl_link_stats64 *stats)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u64 hw[E1K_HS_NUM], sw[E1K_SW_NUM];
	unsigned long flags;

	e1k_stats_sw(adapter, sw);
	spin_lock_irqsave(&adapter->stats_lock, flags);
	memcpy(hw, adapter->hw_stats, sizeof(hw));
	spin_unlock_irqrestore(&adapter->stats_lock, flags);

	stats->rx_packets = sw[E1K_SW_RX_PACKETS];
	stats->rx_bytes = sw[E1K_SW_RX_BYTES];
	stats->rx_dropped = sw[E1K_SW_RXQ_DROPPED];
	stats->tx_packets = sw[E1K_SW_TX_PACKETS];
	stats->tx_bytes = sw[E1K_SW_TX_BYTES];
	stats->tx_dropped = sw[E1K_SW_TXQ_DROPPED] +
			    sw[E1K_SW_TXQ_XDP_TX_ERRORS] +
			    sw[E1K_SW_TXQ_XDP_XMIT_ERRORS];

	stats->multicast = hw[E1K_HS_MPRC];
	stats->collisions = hw[E1K_HS_COLC];
	stats->rx_crc_errors = hw[E1K_HS_CRCERRS];
	stats->rx_frame_errors = hw[E1K_HS_ALGNERRC];
	stats->rx_length_errors = hw[E1K_HS_RLEC] + hw[E1K_HS_RUC] +
				  hw[E1K_HS_ROC];
	stats->rx_missed_errors = hw[E1K_HS_MPC];
	stats->rx_errors = sw[E1K_SW_RXQ_ERRORS] + hw[E1K_HS_RXERRC] +
			   stats->rx_crc_errors + stats->rx_frame_errors +
			   stats->rx_length_errors;
	stats->tx_aborted_errors = hw[E1K_HS_ECOL];
	stats->tx_window_errors = hw[E1K_HS_LATECOL];
	stats->tx_carrier_errors = hw[E1K_HS_TNCRS];
	stats->tx_errors = stats->tx_aborted_errors +
			   stats->tx_window_errors + stats->tx_carrier_errors;
}

int e1k_stats_count(void)
{
	return E1K_SW_NUM + E1K_HS_NUM;
}

void e1k_stats_strings(u8 *data)
{
	unsigned int i;

	for (i = 0; i < E1K_SW_NUM; i++) {
		memcpy(data, e1k_sw_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
	for (i = 0; i < E1K_HS_NUM; i++) {
		memcpy(data, e1k_hw_counters[i].name, ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
}

void e1k_stats_fill(struct e1k_adapter *adapter, u64 *data)
{
	unsigned long flags;

	e1k_stats_sw(adapter, data);
	e1k_stats_update_hw(adapter);
	spin_lock_irqsave(&adapter->stats_lock, flags);
	memcpy(data + E1K_SW_NUM, adapter->hw_stats, sizeof(adapter->hw_stats));
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}
