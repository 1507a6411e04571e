// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: native XDP. The program runs on each received buffer
 * before any skb exists; XDP_TX and ndo_xdp_xmit share the one TX ring
 * with the stack, under the stack's TX queue lock.
 */
#include <linux/bpf_trace.h>
#include <linux/dma-mapping.h>
#include <linux/filter.h>
#include <net/page_pool.h>

#include "pktpath_e1000.h"
#include "trace.h"

/* The refusal below names this number. */
static_assert(E1K_XDP_MAX_MTU == 2026);

static int e1k_xdp_check_mtu(int mtu, struct netlink_ext_ack *extack)
{
	if (mtu <= E1K_XDP_MAX_MTU)
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "MTU too large for XDP: at most 2026 (one 2 KiB receive buffer per frame, no multi-buffer XDP)");
	return -EOPNOTSUPP;
}

/*
 * Attach, replace or detach under RTNL. The poll reads the pointer once
 * per poll under RCU, and a replaced program is freed only after an RCU
 * grace period (bpf_prog_put()), so a running poll finishes with the
 * program it started with. No ring rebuild is needed: XDP_TX maps the
 * frame for the device on its own (the RX mapping stays DMA_FROM_DEVICE),
 * every buffer has XDP's headroom from the start, and the MTU limit is
 * enforced through max_mtu while a program is attached (the core refuses
 * a larger MTU before ndo_change_mtu is called).
 */
static int e1k_xdp_setup(struct e1k_adapter *adapter, struct bpf_prog *prog,
			 struct netlink_ext_ack *extack)
{
	struct net_device *netdev = adapter->netdev;
	struct bpf_prog *old;
	int err;

	if (prog) {
		err = e1k_xdp_check_mtu(netdev->mtu, extack);
		if (err)
			return err;
	}

	old = rcu_replace_pointer(adapter->xdp_prog, prog,
				  lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	netdev->max_mtu = prog ? E1K_XDP_MAX_MTU : E1K_MAX_MTU;
	return 0;
}

int e1k_xdp_bpf(struct net_device *netdev, struct netdev_bpf *bpf)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return e1k_xdp_setup(adapter, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}

/*
 * ndo_xdp_xmit: frames redirected here from other devices (or from
 * BPF_PROG_RUN's live mode). Each gets its own DMA_TO_DEVICE mapping.
 * Returns how many were queued; the core frees the rest.
 */
int e1k_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct device *dev = &adapter->pdev->dev;
	int i, sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	__netif_tx_lock(txq, smp_processor_id());
	/*
	 * e1k_down() sets DOWN before netif_tx_disable() takes this lock,
	 * so once the ring goes away nobody gets here with DOWN clear.
	 */
	if (unlikely(test_bit(E1K_STATE_DOWN, &adapter->state) ||
		     !netif_carrier_ok(netdev))) {
		u64_stats_update_begin(&ring->xsyncp);
		ring->xstats.xdp_xmit_errors += n;
		u64_stats_update_end(&ring->xsyncp);
		__netif_tx_unlock(txq);
		return -ENETDOWN;
	}

	for (i = 0; i < n; i++) {
		struct xdp_frame *xdpf = frames[i];
		dma_addr_t dma;

		/* No frags in 6.1's devmap check; we send one buffer only. */
		if (unlikely(xdp_frame_has_frags(xdpf)))
			break;
		dma = dma_map_single(dev, xdpf->data, xdpf->len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			break;
		if (e1k_tx_xdp_queue(adapter, xdpf, dma, E1K_TX_XDP_XMIT)) {
			dma_unmap_single(dev, dma, xdpf->len, DMA_TO_DEVICE);
			break;
		}
		sent++;
	}
	if (sent) {
		/* The stack's watchdog shares this queue's timestamp. */
		txq_trans_cond_update(txq);
		if (flags & XDP_XMIT_FLUSH)
			e1k_tx_kick(adapter, E1K_TX_CTX_XMIT);
	}

	u64_stats_update_begin(&ring->xsyncp);
	ring->xstats.xdp_xmit += sent;
	ring->xstats.xdp_xmit_errors += n - sent;
	u64_stats_update_end(&ring->xsyncp);
	__netif_tx_unlock(txq);
	return sent;
}

/*
 * XDP_TX: the frame is mapped for the device to read, and only once it is
 * queued does the page leave its slot (and its RX mapping): on failure it
 * stays where it is, still mapped for receive.
 */
static bool e1k_xdp_tx(struct e1k_adapter *adapter, struct xdp_buff *xdp,
		       u16 slot)
{
	struct netdev_queue *txq = netdev_get_tx_queue(adapter->netdev, 0);
	struct device *dev = &adapter->pdev->dev;
	struct xdp_frame *xdpf;
	dma_addr_t dma;
	int err;

	xdpf = xdp_convert_buff_to_frame(xdp);
	if (unlikely(!xdpf))
		return false;
	dma = dma_map_single(dev, xdpf->data, xdpf->len, DMA_TO_DEVICE);
	if (unlikely(dma_mapping_error(dev, dma)))
		return false;

	__netif_tx_lock(txq, smp_processor_id());
	err = e1k_tx_xdp_queue(adapter, xdpf, dma, E1K_TX_XDP_TX);
	if (!err) {
		txq_trans_cond_update(txq);
		/*
		 * The page leaves its slot and its RX mapping before the lock
		 * goes: another CPU's xmit may ring the doorbell and return
		 * the frame to the pool as soon as it takes the lock.
		 */
		e1k_rx_unmap_slot(adapter, slot);
	}
	__netif_tx_unlock(txq);
	if (unlikely(err)) {
		dma_unmap_single(dev, dma, xdpf->len, DMA_TO_DEVICE);
		return false;
	}
	return true;
}

/*
 * Run the poll's program on one received buffer. On XDP_PASS, @off, @len
 * and @metasize describe what the program left for the skb. Returns
 * E1K_XDP_KEEP when the page stays in its slot (dropped: it is re-armed
 * as it is), E1K_XDP_GONE when it left (transmitted, redirected, or back
 * in the pool after a failed redirect).
 */
enum e1k_xdp_result e1k_xdp_run(struct e1k_adapter *adapter,
				struct e1k_xdp_poll *xp, struct page *page,
				unsigned int *off, unsigned int *len,
				unsigned int *metasize, u16 slot)
{
	struct net_device *netdev = adapter->netdev;
	void *hard_start = page_address(page);
	struct xdp_buff xdp;
	u32 act;

	xdp_init_buff(&xdp, PAGE_SIZE, &adapter->rx_ring.xdp_rxq);
	xdp_prepare_buff(&xdp, hard_start, *off, *len, true);
	act = bpf_prog_run_xdp(xp->prog, &xdp);
	xp->packets++;
	trace_pktpath_e1000_xdp(netdev, xp->prog, slot, act, xdp.data,
				xdp.data_end - xdp.data);

	switch (act) {
	case XDP_PASS:
		*off = xdp.data - hard_start;
		*len = xdp.data_end - xdp.data;
		*metasize = xdp.data - xdp.data_meta;
		xp->verdict[XDP_PASS]++;
		return E1K_XDP_PASS;
	case XDP_DROP:
		xp->verdict[XDP_DROP]++;
		return E1K_XDP_KEEP;
	case XDP_TX:
		if (unlikely(!e1k_xdp_tx(adapter, &xdp, slot))) {
			xp->tx_errors++;
			trace_xdp_exception(netdev, xp->prog, act);
			return E1K_XDP_KEEP;
		}
		xp->verdict[XDP_TX]++;
		xp->tx_queued++;
		return E1K_XDP_GONE;
	case XDP_REDIRECT:
		/*
		 * The target maps the frame for itself, or copies it (an
		 * AF_XDP socket) and hands the page straight back to the
		 * pool, which holds only unmapped pages: unmap first.
		 */
		e1k_rx_unmap_slot(adapter, slot);
		if (unlikely(xdp_do_redirect(netdev, &xdp, xp->prog))) {
			xp->redirect_errors++;
			trace_xdp_exception(netdev, xp->prog, act);
			page_pool_recycle_direct(adapter->rx_ring.pool, page);
			return E1K_XDP_GONE;
		}
		xp->verdict[XDP_REDIRECT]++;
		xp->redirected = true;
		return E1K_XDP_GONE;
	default:
		bpf_warn_invalid_xdp_action(netdev, xp->prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(netdev, xp->prog, act);
		xp->aborted++;
		return E1K_XDP_KEEP;
	}
}

/* After the RX loop: one doorbell for XDP_TX, one redirect flush, stats. */
void e1k_xdp_poll_end(struct e1k_adapter *adapter, struct e1k_xdp_poll *xp)
{
	struct netdev_queue *txq = netdev_get_tx_queue(adapter->netdev, 0);
	struct e1k_tx_ring *tx = &adapter->tx_ring;
	struct e1k_rx_ring *rx = &adapter->rx_ring;

	if (xp->redirected)
		xdp_do_flush();

	if (xp->tx_queued || xp->tx_errors) {
		__netif_tx_lock(txq, smp_processor_id());
		if (xp->tx_queued)
			e1k_tx_kick(adapter, E1K_TX_CTX_NAPI);
		u64_stats_update_begin(&tx->xsyncp);
		tx->xstats.xdp_tx += xp->tx_queued;
		tx->xstats.xdp_tx_errors += xp->tx_errors;
		u64_stats_update_end(&tx->xsyncp);
		__netif_tx_unlock(txq);
	}

	u64_stats_update_begin(&rx->syncp);
	rx->stats.xdp_packets += xp->packets;
	rx->stats.xdp_pass += xp->verdict[XDP_PASS];
	rx->stats.xdp_drop += xp->verdict[XDP_DROP];
	rx->stats.xdp_tx += xp->verdict[XDP_TX];
	rx->stats.xdp_redirect += xp->verdict[XDP_REDIRECT];
	rx->stats.xdp_aborted += xp->aborted;
	rx->stats.xdp_redirect_errors += xp->redirect_errors;
	u64_stats_update_end(&rx->syncp);
}
