// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: transmit ring, offload contexts and completion.
 */
#include <linux/dma-mapping.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/vmalloc.h>
#include <net/checksum.h>

#include "pktpath_e1000.h"
#include "trace.h"

/* Context descriptor offsets (IPCSS, TUCSO, HDRLEN...) are 8-bit fields. */
#define E1K_CTX_MAX_OFFSET	255

/* Free descriptors; one slot stays empty so that TDH == TDT means idle. */
static u16 e1k_tx_unused(const struct e1k_tx_ring *ring)
{
	/*
	 * Pairs with the release in e1k_tx_complete(): a slot counted free
	 * here has had its buffer state cleared.
	 */
	u16 ntc = smp_load_acquire(&ring->next_to_clean);
	u16 ntu = READ_ONCE(ring->next_to_use);

	return (ntc > ntu ? 0 : ring->count) + ntc - ntu - 1;
}

/*
 * xmit's reclaim context: netpoll transmits with interrupts off (maybe
 * from a hard IRQ), where XDP frames must not go back to their pools.
 */
static enum e1k_tx_ctx e1k_tx_xmit_ctx(void)
{
	return irqs_disabled() ? E1K_TX_CTX_NETPOLL : E1K_TX_CTX_XMIT;
}

/*
 * The TX-done interrupt goes once the queue runs again: under QEMU the
 * senders reclaim. Real hardware completes later and keeps it (e1k_up()).
 */
static void e1k_tx_irq_disarm(struct e1k_adapter *adapter)
{
	if (adapter->tx_irq_armed && adapter->qemu_device) {
		WRITE_ONCE(adapter->tx_irq_armed, false);
		e1k_wr32(adapter, E1K_IMC, E1K_INT_TXDW);
	}
}

static u16 e1k_tx_next(const struct e1k_tx_ring *ring, u16 i)
{
	return ++i == ring->count ? 0 : i;
}

void e1k_tx_ring_init(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;

	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->ctx_valid = false;
}

int e1k_tx_ring_alloc(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct device *dev = &adapter->pdev->dev;

	ring->count = adapter->tx_ring_count;
	ring->buf = kvcalloc(ring->count, sizeof(*ring->buf), GFP_KERNEL);
	if (!ring->buf)
		return -ENOMEM;

	/*
	 * A coherent allocation is aligned to its own (power of two) size, so
	 * the ring never crosses a 64 KiB boundary, which 82545 rev 1 cannot
	 * handle (errata 23).
	 */
	ring->size = ALIGN(ring->count * sizeof(struct e1k_tx_desc),
			   PAGE_SIZE);
	ring->desc = dma_alloc_coherent(dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kvfree(ring->buf);
		ring->buf = NULL;
		return -ENOMEM;
	}
	e1k_tx_ring_init(adapter);
	return 0;
}

void e1k_tx_ring_free(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;

	dma_free_coherent(&adapter->pdev->dev, ring->size, ring->desc,
			  ring->dma);
	ring->desc = NULL;
	kvfree(ring->buf);
	ring->buf = NULL;
}

static void e1k_tx_unmap(struct device *dev, struct e1k_tx_buf *buf)
{
	if (!buf->len)
		return;
	if (buf->mapped_as_page)
		dma_unmap_page(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	else
		dma_unmap_single(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	buf->len = 0;
}

/* Release everything still on the ring. The device must be stopped. */
void e1k_tx_ring_clean(struct e1k_adapter *adapter)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct device *dev = &adapter->pdev->dev;
	unsigned int i;

	for (i = 0; i < ring->count; i++) {
		struct e1k_tx_buf *buf = &ring->buf[i];

		e1k_tx_unmap(dev, buf);
		if (buf->skb) {
			if (buf->type == E1K_TX_SKB)
				dev_kfree_skb_any(buf->skb);
			else
				xdp_return_frame(buf->xdpf);
			buf->skb = NULL;
		}
		buf->next_to_watch = NULL;
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(adapter->netdev, 0));
	e1k_tx_ring_init(adapter);
}

static struct e1k_tx_ctx_desc *e1k_tx_ctx_slot(struct e1k_tx_ring *ring)
{
	struct e1k_tx_ctx_desc *ctx;

	ctx = (struct e1k_tx_ctx_desc *)&ring->desc[ring->next_to_use];
	ring->next_to_use = e1k_tx_next(ring, ring->next_to_use);
	return ctx;
}

/*
 * TSO: one context descriptor per packet (PAYLEN differs every time). The
 * device rewrites the IP length (and IPv4 ID and header checksum) and adds
 * each segment's TCP length to the checksum field, so the stack's
 * pseudo-header sum is replaced by one computed with length zero.
 *
 * Returns 1 if a context was queued, 0 for a non-GSO skb, <0 on error.
 */
static int e1k_tx_tso(struct e1k_tx_ring *ring, struct sk_buff *skb,
		      u32 *cmd, u32 *opts)
{
	u32 tucmd = E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_CTX | E1K_TXD_CMD_TSE |
		    E1K_TXD_CMD_TCP | E1K_TXD_CMD_IP;
	unsigned int l3, l4, hdr_len;
	struct e1k_tx_ctx_desc *ctx;
	struct iphdr *iph;
	int err;

	if (!skb_is_gso(skb))
		return 0;
	/* Only IPv4 TCP segmentation is advertised (no TSO6: main.c). */
	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4))
		return -EINVAL;

	err = skb_cow_head(skb, 0);
	if (err)
		return err;

	l3 = skb_network_offset(skb);
	l4 = skb_transport_offset(skb);
	hdr_len = skb_tcp_all_headers(skb);

	iph = ip_hdr(skb);
	iph->tot_len = 0;
	iph->check = 0;
	tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 0,
						 IPPROTO_TCP, 0);
	*opts |= E1K_TXD_POPTS_IXSM;

	ctx = e1k_tx_ctx_slot(ring);
	ctx->ipcss = l3;
	ctx->ipcso = l3 + offsetof(struct iphdr, check);
	ctx->ipcse = cpu_to_le16(l4 - 1);
	ctx->tucss = l4;
	ctx->tucso = l4 + offsetof(struct tcphdr, check);
	ctx->tucse = 0;
	ctx->cmd_len = cpu_to_le32(tucmd | (skb->len - hdr_len));
	ctx->status = 0;
	ctx->hdr_len = hdr_len;
	ctx->mss = cpu_to_le16(skb_shinfo(skb)->gso_size);

	/* The device has a single context: the checksum one is gone now. */
	ring->ctx_valid = false;

	*cmd |= E1K_TXD_CMD_TSE;
	*opts |= E1K_TXD_POPTS_TXSM;
	return 1;
}

/*
 * Checksum offload for CHECKSUM_PARTIAL: the device sums from csum_start
 * to the end of the frame and stores the result at csum_start +
 * csum_offset, which covers TCP and UDP over IPv4 and IPv6 alike. QEMU
 * ignores the legacy descriptor's CSS/CSO, so this needs a context
 * descriptor, but only when the offsets differ from the loaded one.
 */
static bool e1k_tx_csum(struct e1k_tx_ring *ring, struct sk_buff *skb,
			u32 *opts)
{
	struct e1k_tx_ctx_desc *ctx;
	unsigned int css, cso;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return false;

	css = skb_checksum_start_offset(skb);
	cso = css + skb->csum_offset;
	*opts |= E1K_TXD_POPTS_TXSM;

	if (ring->ctx_valid && ring->ctx_css == css && ring->ctx_cso == cso)
		return true;

	ctx = e1k_tx_ctx_slot(ring);
	ctx->ipcss = 0;
	ctx->ipcso = 0;
	ctx->ipcse = 0;
	ctx->tucss = css;
	ctx->tucso = cso;
	ctx->tucse = 0;
	ctx->cmd_len = cpu_to_le32(E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_CTX);
	ctx->status = 0;
	ctx->hdr_len = 0;
	ctx->mss = 0;

	ring->ctx_valid = true;
	ring->ctx_css = css;
	ring->ctx_cso = cso;
	return true;
}

/* Descriptors this skb needs, context included. */
static unsigned int e1k_tx_desc_count(const struct sk_buff *skb)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int n = 1 + E1K_TX_MAX_BUF_DESC(skb_headlen(skb));
	unsigned int f;

	for (f = 0; f < sh->nr_frags; f++)
		n += E1K_TX_MAX_BUF_DESC(skb_frag_size(&sh->frags[f]));
	return n;
}

/*
 * Map the linear part and every fragment and fill data descriptors from
 * ring->next_to_use on. Every mapping is checked; on failure all of this
 * packet's mappings are undone and the ring is left as it was.
 */
static int e1k_tx_map(struct e1k_adapter *adapter, struct sk_buff *skb,
		      u16 first, u32 cmd, u32 opts)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct device *dev = &adapter->pdev->dev;
	unsigned int nr_frags = skb_shinfo(skb)->nr_frags;
	u16 start = ring->next_to_use, i = start;
	struct e1k_tx_desc *desc = NULL;
	unsigned int f, len, chunk;
	struct e1k_tx_buf *buf;
	dma_addr_t dma;

	for (f = 0; f <= nr_frags; f++) {
		const skb_frag_t *frag = NULL;

		if (f == 0) {
			len = skb_headlen(skb);
			if (!len)
				continue;
			dma = dma_map_single(dev, skb->data, len,
					     DMA_TO_DEVICE);
		} else {
			frag = &skb_shinfo(skb)->frags[f - 1];
			len = skb_frag_size(frag);
			if (!len)
				continue;
			dma = skb_frag_dma_map(dev, frag, 0, len,
					       DMA_TO_DEVICE);
		}
		if (dma_mapping_error(dev, dma))
			goto unwind;

		/* The slot holding the mapping unmaps it on completion. */
		buf = &ring->buf[i];
		buf->dma = dma;
		buf->len = len;
		buf->mapped_as_page = f > 0;

		do {
			chunk = min_t(unsigned int, len, E1K_TX_MAX_BUF);
			desc = &ring->desc[i];
			desc->addr = cpu_to_le64(dma);
			desc->cmd_len = cpu_to_le32(cmd | chunk);
			desc->opts = cpu_to_le32(opts);
			dma += chunk;
			len -= chunk;
			i = e1k_tx_next(ring, i);
		} while (len);
	}
	if (unlikely(!desc))
		goto unwind;

	/* Report status (DD) only for the last descriptor of the packet. */
	desc->cmd_len |= cpu_to_le32(E1K_TXD_CMD_EOP | E1K_TXD_CMD_RS);

	/*
	 * The completion side trusts next_to_watch only after the
	 * descriptors (with DD clear) and the buffer info are written.
	 */
	smp_wmb();
	ring->buf[first].next_to_watch = desc;
	WRITE_ONCE(ring->next_to_use, i);
	return 0;

unwind:
	for (; start != i; start = e1k_tx_next(ring, start))
		e1k_tx_unmap(dev, &ring->buf[start]);
	return -ENOMEM;
}

/*
 * Stop the queue for want of @needed descriptors, then look again: returns
 * true if it stays stopped, false if a completion freed room meanwhile
 * (the queue is running again).
 */
static bool e1k_tx_stop(struct e1k_adapter *adapter, struct netdev_queue *txq,
			u16 needed)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	unsigned int reclaimed;

	netif_tx_stop_queue(txq);
	/*
	 * A stopped queue waits for the device: only now is the TX-done
	 * interrupt enabled, and the poll it brings wakes the queue and
	 * lets it go again (e1k_tx_poll()). What completed before it was
	 * enabled raises none: reclaim that here. Completions, stops and
	 * wakes all hold the queue lock.
	 */
	if (!adapter->tx_irq_armed) {
		WRITE_ONCE(adapter->tx_irq_armed, true);
		e1k_wr32(adapter, E1K_IMS, E1K_INT_TXDW);
	}
	e1k_tx_complete(adapter, e1k_tx_xmit_ctx(), &reclaimed);
	if (e1k_tx_unused(ring) < needed)
		return true;

	e1k_tx_irq_disarm(adapter);
	/* The completion may have woken it (and counted that) already. */
	if (netif_tx_queue_stopped(txq)) {
		netif_tx_start_queue(txq);
		u64_stats_update_begin(&ring->xsyncp);
		ring->xstats.restart_queue++;
		u64_stats_update_end(&ring->xsyncp);
	}
	return false;
}

static void e1k_tx_maybe_stop(struct e1k_adapter *adapter,
			      struct netdev_queue *txq)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;

	if (likely(e1k_tx_unused(ring) >= E1K_TX_DESC_NEEDED))
		return;

	u64_stats_update_begin(&ring->xsyncp);
	ring->xstats.stop_queue++;
	u64_stats_update_end(&ring->xsyncp);
	e1k_tx_stop(adapter, txq, E1K_TX_DESC_NEEDED);
}

/*
 * Each TDT write makes QEMU transmit everything queued synchronously,
 * inside the MMIO exit, so the tail is written once per batch of skbs
 * (netdev_xmit_more()) and whenever the ring runs short.
 */
void e1k_tx_doorbell(struct e1k_adapter *adapter)
{
	/* Fault injection (debugfs.c): the device never sees the work. */
	if (unlikely(READ_ONCE(adapter->tx_stall)))
		return;
	e1k_wr32(adapter, E1K_TDT, adapter->tx_ring.next_to_use);
}

/*
 * The doorbell, then reclaim what it sent: under QEMU that is all of it,
 * so a stream of sends needs no TX-done interrupt (as virtio_net frees
 * old buffers in its xmit). What hardware still has in flight waits for
 * the next poll, or for the interrupt a stopped queue enables. Called
 * with the TX queue lock held.
 */
void e1k_tx_kick(struct e1k_adapter *adapter, enum e1k_tx_ctx ctx)
{
	unsigned int reclaimed;

	e1k_tx_doorbell(adapter);
	e1k_tx_complete(adapter, ctx, &reclaimed);
}

netdev_tx_t e1k_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	u32 cmd = E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_DATA | E1K_TXD_CMD_IFCS;
	u16 first = ring->next_to_use;
	struct e1k_tx_buf *fbuf;
	bool csum = false, doorbell;
	u32 opts = 0;
	int tso;

	if (unlikely(e1k_tx_unused(ring) < e1k_tx_desc_count(skb)) &&
	    e1k_tx_stop(adapter, txq, e1k_tx_desc_count(skb))) {
		/* Only if the early stop in e1k_tx_maybe_stop() failed. */
		u64_stats_update_begin(&ring->xsyncp);
		ring->xstats.busy++;
		u64_stats_update_end(&ring->xsyncp);
		/* Earlier skbs of this batch may still wait for the tail. */
		e1k_tx_doorbell(adapter);
		return NETDEV_TX_BUSY;
	}

	tso = e1k_tx_tso(ring, skb, &cmd, &opts);
	if (tso < 0)
		goto drop;
	if (!tso)
		csum = e1k_tx_csum(ring, skb, &opts);

	/* Insertion needs CTRL.VME as well; see e1k_fix_features(). */
	if (skb_vlan_tag_present(skb)) {
		cmd |= E1K_TXD_CMD_VLE;
		opts |= (u32)skb_vlan_tag_get(skb) << E1K_TXD_VLAN_SHIFT;
	}

	fbuf = &ring->buf[first];
	fbuf->skb = skb;
	fbuf->type = E1K_TX_SKB;
	if (tso) {
		fbuf->segs = skb_shinfo(skb)->gso_segs;
		fbuf->bytecount = skb->len +
			(fbuf->segs - 1) * skb_tcp_all_headers(skb);
	} else {
		fbuf->segs = 1;
		fbuf->bytecount = skb->len;
	}

	if (e1k_tx_map(adapter, skb, first, cmd, opts)) {
		fbuf->skb = NULL;
		u64_stats_update_begin(&ring->xsyncp);
		ring->xstats.dma_map_errors++;
		u64_stats_update_end(&ring->xsyncp);
		goto drop;
	}

	u64_stats_update_begin(&ring->xsyncp);
	if (tso)
		ring->xstats.tso++;
	else if (csum)
		ring->xstats.csum++;
	u64_stats_update_end(&ring->xsyncp);

	skb_tx_timestamp(skb);
	netdev_tx_sent_queue(txq, fbuf->bytecount);

	doorbell = netif_xmit_stopped(txq) || !netdev_xmit_more() ||
		   e1k_tx_unused(ring) < E1K_TX_DESC_NEEDED;
	/* Before the doorbell: after it, the skb may be completed and freed. */
	trace_pktpath_e1000_tx(netdev, skb, first,
			       (ring->next_to_use - first + ring->count) % ring->count,
			       doorbell);
	if (doorbell)
		e1k_tx_kick(adapter, e1k_tx_xmit_ctx());
	e1k_tx_maybe_stop(adapter, txq);
	return NETDEV_TX_OK;

drop:
	/* A context descriptor may have been written: forget it. */
	ring->next_to_use = first;
	ring->ctx_valid = false;
	dev_kfree_skb_any(skb);
	u64_stats_update_begin(&ring->xsyncp);
	ring->xstats.dropped++;
	u64_stats_update_end(&ring->xsyncp);
	/* Earlier skbs of this batch may still wait for the tail. */
	if (!netdev_xmit_more())
		e1k_tx_kick(adapter, e1k_tx_xmit_ctx());
	return NETDEV_TX_OK;
}

/*
 * Queue one XDP frame in a single data descriptor, without offloads.
 * Called under the TX queue lock, like the stack's xmit, which it shares
 * the ring with; the caller rings the doorbell. XDP frames stay out of
 * BQL (netdev_tx_sent_queue() is the stack's), and completion knows them
 * by their slot's type. Fails when the ring has no room beyond the
 * stack's reserve.
 */
int e1k_tx_xdp_queue(struct e1k_adapter *adapter, struct xdp_frame *xdpf,
		     dma_addr_t dma, enum e1k_tx_buf_type type)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	u16 i = ring->next_to_use;
	struct e1k_tx_desc *desc;
	struct e1k_tx_buf *buf;

	/*
	 * Never take what e1k_tx_maybe_stop() keeps free for the stack's
	 * next packet: an awake queue must always find room.
	 */
	if (unlikely(e1k_tx_unused(ring) <= E1K_TX_DESC_NEEDED))
		return -ENOSPC;

	buf = &ring->buf[i];
	buf->xdpf = xdpf;
	buf->type = type;
	buf->dma = dma;
	buf->len = xdpf->len;
	buf->mapped_as_page = false;
	buf->segs = 1;
	buf->bytecount = xdpf->len;

	desc = &ring->desc[i];
	desc->addr = cpu_to_le64(dma);
	desc->cmd_len = cpu_to_le32(E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_DATA |
				    E1K_TXD_CMD_IFCS | E1K_TXD_CMD_EOP |
				    E1K_TXD_CMD_RS | xdpf->len);
	desc->opts = 0;

	/* As in e1k_tx_map(): the slot before next_to_watch. */
	smp_wmb();
	buf->next_to_watch = desc;
	WRITE_ONCE(ring->next_to_use, e1k_tx_next(ring, i));
	return 0;
}

/*
 * Reclaim finished packets (their number to @reclaimed), with the TX queue
 * lock held: from the poll, xmit and the XDP senders, whichever comes
 * first. Returns false if it stopped because of its work limit, so the
 * poll runs again.
 */
bool e1k_tx_complete(struct e1k_adapter *adapter, enum e1k_tx_ctx ctx,
		     unsigned int *reclaimed)
{
	struct e1k_tx_ring *ring = &adapter->tx_ring;
	struct device *dev = &adapter->pdev->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(adapter->netdev, 0);
	unsigned int pkts = 0, bytes = 0, skbs = 0;
	unsigned int bql_pkts = 0, bql_bytes = 0;
	u16 i = ring->next_to_clean;
	int limit = ring->count;

	for (; limit > 0; limit--) {
		struct e1k_tx_buf *buf = &ring->buf[i];
		struct e1k_tx_desc *eop = READ_ONCE(buf->next_to_watch);
		struct xdp_frame *xdpf;
		struct sk_buff *skb;
		u16 eop_idx;
		bool last;

		if (!eop)
			break;
		/* Pairs with smp_wmb() in e1k_tx_map(). */
		smp_rmb();
		if (!(READ_ONCE(eop->opts) & cpu_to_le32(E1K_TXD_STAT_DD)))
			break;
		/*
		 * netpoll (maybe hard IRQ context) leaves XDP frames to the
		 * next real poll: returning them may take the page_pool's
		 * ring lock with a BH-enabling unlock.
		 */
		if (ctx == E1K_TX_CTX_NETPOLL && buf->type != E1K_TX_SKB)
			break;

		buf->next_to_watch = NULL;
		skb = buf->skb;
		xdpf = buf->xdpf;
		buf->skb = NULL;
		pkts += buf->segs;
		bytes += buf->bytecount;

		eop_idx = eop - ring->desc;
		do {
			e1k_tx_unmap(dev, &ring->buf[i]);
			last = i == eop_idx;
			i = e1k_tx_next(ring, i);
		} while (!last);

		switch (buf->type) {
		case E1K_TX_SKB:
			bql_pkts += buf->segs;
			bql_bytes += buf->bytecount;
			trace_pktpath_e1000_tx_done(adapter->netdev, skb,
						    eop_idx);
			napi_consume_skb(skb, ctx == E1K_TX_CTX_NAPI);
			break;
		case E1K_TX_XDP_TX:
			/* Our own pool: in the poll, this is its NAPI context. */
			if (ctx == E1K_TX_CTX_NAPI)
				xdp_return_frame_rx_napi(xdpf);
			else
				xdp_return_frame(xdpf);
			break;
		case E1K_TX_XDP_XMIT:
			xdp_return_frame(xdpf);
			break;
		}
		skbs++;
	}
	*reclaimed = skbs;

	/* The slots' state is cleared before they are published as free. */
	smp_store_release(&ring->next_to_clean, i);
	if (!pkts)
		return limit > 0;

	netdev_tx_completed_queue(txq, bql_pkts, bql_bytes);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);

	/* The stops are under the queue lock too: no barrier pairs here. */
	if (unlikely(netif_tx_queue_stopped(txq) &&
		     e1k_tx_unused(ring) >= E1K_TX_WAKE_THRESH &&
		     !test_bit(E1K_STATE_DOWN, &adapter->state))) {
		netif_tx_wake_queue(txq);
		u64_stats_update_begin(&ring->syncp);
		ring->stats.restart_queue++;
		u64_stats_update_end(&ring->syncp);
	}
	return limit > 0;
}

/*
 * The poll's share of TX: what xmit did not reclaim yet, XDP_TX frames,
 * and the interrupt a stopped queue asked for, switched off once the
 * queue runs again. Netpoll may have interrupted a holder of the lock on
 * this CPU: it only tries, and writes no register.
 */
bool e1k_tx_poll(struct e1k_adapter *adapter, int budget,
		 unsigned int *reclaimed)
{
	struct netdev_queue *txq = netdev_get_tx_queue(adapter->netdev, 0);
	bool done;

	*reclaimed = 0;
	if (!budget) {
		if (!__netif_tx_trylock(txq))
			return true;
	} else {
		__netif_tx_lock(txq, smp_processor_id());
	}
	done = e1k_tx_complete(adapter, budget ? E1K_TX_CTX_NAPI :
						 E1K_TX_CTX_NETPOLL, reclaimed);
	if (budget && !netif_tx_queue_stopped(txq))
		e1k_tx_irq_disarm(adapter);
	__netif_tx_unlock(txq);
	return done;
}

/*
 * Drop offloads the context descriptor cannot express: its offsets and
 * header length are 8-bit fields.
 */
netdev_features_t e1k_features_check(struct sk_buff *skb,
				     struct net_device *netdev,
				     netdev_features_t features)
{
	features = vlan_features_check(skb, features);

	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_start_offset(skb) + skb->csum_offset >
	    E1K_CTX_MAX_OFFSET - 1)
		features &= ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);

	if (skb_is_gso(skb) &&
	    (skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) &&
	    skb_tcp_all_headers(skb) > E1K_CTX_MAX_OFFSET)
		features &= ~NETIF_F_GSO_MASK;

	return features;
}
