// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: receive ring on page_pool pages.
 */
#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/vmalloc.h>
#include <net/page_pool.h>

#include "pktpath_e1000.h"
#include "trace.h"

static u16 e1k_rx_next(const struct e1k_rx_ring *ring, u16 i)
{
	return ++i == ring->count ? 0 : i;
}

/*
 * Empty slots. One always stays empty: RDH == RDT means "no buffers" to
 * the device, so a completely full ring would look empty.
 */
static u16 e1k_rx_unused(const struct e1k_rx_ring *ring)
{
	u16 ntc = ring->next_to_clean, ntu = ring->next_to_use;

	return (ntc > ntu ? 0 : ring->count) + ntc - ntu - 1;
}

void e1k_rx_ring_init(struct e1k_adapter *adapter)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;

	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->skb = NULL;
	ring->discard = false;
}

int e1k_rx_ring_alloc(struct e1k_adapter *adapter)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct device *dev = &adapter->pdev->dev;
	/*
	 * The pool holds only unmapped pages: the driver maps a page while
	 * it sits in a slot and unmaps it as it leaves, so that no mapping
	 * outlives the ring. 6.1's page_pool cannot unmap the pages still in
	 * flight when it is destroyed: with PP_FLAG_DMA_MAP an rmmod with
	 * received data queued in a socket left mappings behind (the DMA
	 * API's "pending DMA allocations"; behind an IOMMU, a late unmap in
	 * a torn-down domain). Pages still recycle through the skb.
	 */
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = adapter->rx_ring_count,
		.nid = dev_to_node(dev),
		.dev = dev,
	};
	int err;

	/* Headroom, the hardware buffer and skb_shared_info share a page. */
	BUILD_BUG_ON(E1K_RX_HEADROOM + E1K_RX_BUF_LEN +
		     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) > PAGE_SIZE);

	ring->count = adapter->rx_ring_count;
	ring->pages = kvcalloc(ring->count, sizeof(*ring->pages), GFP_KERNEL);
	if (!ring->pages)
		return -ENOMEM;
	ring->page_dma = kvcalloc(ring->count, sizeof(*ring->page_dma),
				  GFP_KERNEL);
	if (!ring->page_dma) {
		err = -ENOMEM;
		goto err_dma;
	}

	ring->size = ALIGN(ring->count * sizeof(struct e1k_rx_desc),
			   PAGE_SIZE);
	ring->desc = dma_alloc_coherent(dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		err = -ENOMEM;
		goto err_desc;
	}

	ring->pool = page_pool_create(&pp);
	if (IS_ERR(ring->pool)) {
		err = PTR_ERR(ring->pool);
		ring->pool = NULL;
		goto err_pool;
	}

	err = xdp_rxq_info_reg(&ring->xdp_rxq, adapter->netdev, 0,
			       adapter->napi.napi_id);
	if (err)
		goto err_rxq;
	err = xdp_rxq_info_reg_mem_model(&ring->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 ring->pool);
	if (err)
		goto err_mem_model;

	e1k_rx_ring_init(adapter);
	return 0;

err_mem_model:
	xdp_rxq_info_unreg(&ring->xdp_rxq);
err_rxq:
	page_pool_destroy(ring->pool);
	ring->pool = NULL;
err_pool:
	dma_free_coherent(dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
err_desc:
	kvfree(ring->page_dma);
	ring->page_dma = NULL;
err_dma:
	kvfree(ring->pages);
	ring->pages = NULL;
	return err;
}

/* Call after e1k_rx_ring_clean(): page_pool_destroy() needs the pages. */
void e1k_rx_ring_free(struct e1k_adapter *adapter)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;

	/* Also unregisters the memory model, which lets go of the pool. */
	xdp_rxq_info_unreg(&ring->xdp_rxq);
	page_pool_destroy(ring->pool);
	ring->pool = NULL;
	dma_free_coherent(&adapter->pdev->dev, ring->size, ring->desc,
			  ring->dma);
	ring->desc = NULL;
	kvfree(ring->page_dma);
	ring->page_dma = NULL;
	kvfree(ring->pages);
	ring->pages = NULL;
}

/*
 * The page in @slot leaves the ring (to the stack, XDP_TX, a redirect or
 * back to the pool): its mapping goes now. The CPU has already synced
 * what it reads.
 */
void e1k_rx_unmap_slot(struct e1k_adapter *adapter, u16 slot)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;

	dma_unmap_page_attrs(&adapter->pdev->dev, ring->page_dma[slot],
			     PAGE_SIZE, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	ring->pages[slot] = NULL;
}

/* A page from the pool for @slot, mapped; false if none could be had. */
static bool e1k_rx_arm_slot(struct e1k_adapter *adapter, u16 slot, gfp_t gfp)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct device *dev = &adapter->pdev->dev;
	struct page *page;
	dma_addr_t dma;

	page = e1k_rx_alloc_page(adapter, gfp);
	if (unlikely(!page))
		return false;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	if (unlikely(dma_mapping_error(dev, dma))) {
		page_pool_put_full_page(ring->pool, page, false);
		return false;
	}
	ring->pages[slot] = page;
	ring->page_dma[slot] = dma;
	return true;
}

/* Give every page back to the pool. RX must be stopped, NAPI disabled. */
void e1k_rx_ring_clean(struct e1k_adapter *adapter)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	unsigned int i;

	for (i = 0; i < ring->count; i++) {
		struct page *page = ring->pages[i];

		if (!page)
			continue;
		e1k_rx_unmap_slot(adapter, i);
		page_pool_put_full_page(ring->pool, page, false);
	}
	if (ring->skb)
		dev_kfree_skb_any(ring->skb);
	e1k_rx_ring_init(adapter);
	clear_bit(E1K_STATE_RX_REFILL, &adapter->state);
}

/*
 * Hand every empty slot back to the device and move RDT once. A slot whose
 * page was kept (its frame was copied or dropped) is re-armed as it is;
 * only a slot whose page went up the stack gets a fresh one. Runs in NAPI
 * context (GFP_ATOMIC), or from e1k_up() before NAPI is enabled
 * (GFP_KERNEL); never both at once, as page_pool's cache is lockless.
 * If the pool runs dry, the ring keeps whatever it has and
 * E1K_STATE_RX_REFILL asks the next poll or the watchdog to try again, so
 * an empty ring (which would never raise another RX interrupt) is always
 * revisited.
 */
/*
 * The refill's page. Fault injection: debugfs rx_alloc_fail_every (every
 * Nth call fails), and out of line for the kernel's fail_function (whose
 * random draw in kprobe context lockdep flags on 6.1, hence the knob).
 */
noinline struct page *e1k_rx_alloc_page(struct e1k_adapter *adapter,
					gfp_t gfp)
{
	u32 every = READ_ONCE(adapter->rx_alloc_fail_every);

	if (unlikely(every) && ++adapter->rx_alloc_calls % every == 0)
		return NULL;
	return page_pool_alloc_pages(adapter->rx_ring.pool,
				     gfp | __GFP_NOWARN);
}

ALLOW_ERROR_INJECTION(e1k_rx_alloc_page, NULL);

bool e1k_rx_refill(struct e1k_adapter *adapter, gfp_t gfp)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	u16 unused = e1k_rx_unused(ring);
	u16 i = ring->next_to_use;
	bool ok = true;

	while (unused--) {
		struct e1k_rx_desc *desc = &ring->desc[i];

		if (!ring->pages[i]) {
			if (unlikely(!e1k_rx_arm_slot(adapter, i, gfp))) {
				unsigned long flags;

				/* Also from e1k_up(), preemptible. */
				flags = u64_stats_update_begin_irqsave(&ring->syncp);
				ring->stats.alloc_failed++;
				u64_stats_update_end_irqrestore(&ring->syncp,
								flags);
				ok = false;
				break;
			}
		}
		desc->addr = cpu_to_le64(ring->page_dma[i] + E1K_RX_HEADROOM);
		desc->status = 0;
		i = e1k_rx_next(ring, i);
	}

	if (i != ring->next_to_use) {
		ring->next_to_use = i;
		/* writel() orders the descriptor stores before the tail. */
		e1k_wr32(adapter, E1K_RDT, i);
	}

	if (ok)
		clear_bit(E1K_STATE_RX_REFILL, &adapter->state);
	else
		set_bit(E1K_STATE_RX_REFILL, &adapter->state);
	return ok;
}

/*
 * Attach one buffer to the frame being built. Returns false if the buffer
 * could not be used; the page has then been returned to the pool.
 */
static bool e1k_rx_add_buffer(struct e1k_rx_ring *ring, struct page *page,
			      unsigned int len)
{
	struct sk_buff *skb = ring->skb;

	if (!skb) {
		skb = napi_build_skb(page_address(page), PAGE_SIZE);
		if (unlikely(!skb))
			goto drop_page;
		skb_mark_for_recycle(skb);
		skb_reserve(skb, E1K_RX_HEADROOM);
		__skb_put(skb, len);
		ring->skb = skb;
		return true;
	}

	if (unlikely(skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS)) {
		dev_kfree_skb_any(skb);
		ring->skb = NULL;
		goto drop_page;
	}
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page,
			E1K_RX_HEADROOM, len, PAGE_SIZE);
	return true;

drop_page:
	page_pool_recycle_direct(ring->pool, page);
	return false;
}

static void e1k_rx_sync_for_cpu(struct e1k_adapter *adapter, u16 slot,
				unsigned int len)
{
	dma_sync_single_range_for_cpu(&adapter->pdev->dev,
				      adapter->rx_ring.page_dma[slot],
				      E1K_RX_HEADROOM, len, DMA_FROM_DEVICE);
}

/* A page that stays in its slot: @len bytes may be dirty in the cache. */
static void e1k_rx_sync_for_device(struct e1k_adapter *adapter, u16 slot,
				   unsigned int len)
{
	dma_sync_single_range_for_device(&adapter->pdev->dev,
					 adapter->rx_ring.page_dma[slot],
					 E1K_RX_HEADROOM, len, DMA_FROM_DEVICE);
}

/*
 * Copybreak: copy a small frame (and any XDP metadata in front of it,
 * which must stay just before skb->data) out of its buffer into a new
 * skb. The page stays in its slot and goes back to the device with the
 * next refill. Returns NULL if no skb could be allocated (the frame is
 * lost, the buffer is kept all the same).
 */
static struct sk_buff *e1k_rx_copy(struct e1k_adapter *adapter,
				   struct page *page, unsigned int off,
				   unsigned int len, unsigned int metasize)
{
	struct sk_buff *skb;

	skb = napi_alloc_skb(&adapter->napi, metasize + len);
	if (likely(skb)) {
		skb_put_data(skb, page_address(page) + off - metasize,
			     metasize + len);
		if (metasize) {
			__skb_pull(skb, metasize);
			skb_metadata_set(skb, metasize);
		}
	}
	return skb;
}

/*
 * Add the buffer in @slot to the frame being received: a small frame
 * that fits in one buffer is copied, and its page stays in the slot; any
 * other buffer's page goes to the skb. @off and @metasize are where an
 * XDP program left the data. Returns false if the frame could not be
 * built and must be dropped.
 */
static bool e1k_rx_use_buffer(struct e1k_adapter *adapter, u16 slot,
			      unsigned int off, unsigned int len,
			      unsigned int metasize, bool eop, bool xdp)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct page *page = ring->pages[slot];
	struct sk_buff *skb;

	if (!ring->skb && eop && len <= E1K_RX_COPYBREAK) {
		ring->skb = e1k_rx_copy(adapter, page, off, len, metasize);
		/* A program may have written anywhere in the buffer. */
		e1k_rx_sync_for_device(adapter, slot,
				       xdp ? E1K_RX_BUF_LEN : len);
		return ring->skb;
	}

	/* The page now belongs to the skb, or on failure to the pool. */
	e1k_rx_unmap_slot(adapter, slot);
	if (ring->skb || (off == E1K_RX_HEADROOM && !metasize))
		return e1k_rx_add_buffer(ring, page, len);

	/* XDP_PASS after the program moved the data or added metadata. */
	skb = napi_build_skb(page_address(page), PAGE_SIZE);
	if (unlikely(!skb)) {
		page_pool_recycle_direct(ring->pool, page);
		return false;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, off);
	__skb_put(skb, len);
	if (metasize)
		skb_metadata_set(skb, metasize);
	ring->skb = skb;
	return true;
}

/*
 * A frame under an XDP program: it always fits one buffer (the MTU is
 * limited while a program is attached; longer frames are discarded
 * before they get here). Returns true if the frame goes on to the stack
 * (XDP_PASS) with ring->skb built; false if XDP consumed it or it was
 * dropped: when the skb could not be built, the frame moves from @pkts
 * and @bytes (where the caller counted it) to @dropped.
 */
static bool e1k_rx_xdp_frame(struct e1k_adapter *adapter,
			     struct e1k_xdp_poll *xp, u16 slot,
			     unsigned int len, unsigned int *pkts,
			     unsigned int *bytes, unsigned int *dropped)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct page *page = ring->pages[slot];
	unsigned int off = E1K_RX_HEADROOM, metasize = 0, rxlen = len;

	switch (e1k_xdp_run(adapter, xp, page, &off, &len, &metasize, slot)) {
	case E1K_XDP_GONE:
		return false;
	case E1K_XDP_KEEP:
		e1k_rx_sync_for_device(adapter, slot, E1K_RX_BUF_LEN);
		return false;
	case E1K_XDP_PASS:
		break;
	}
	if (e1k_rx_use_buffer(adapter, slot, off, len, metasize, true, true))
		return true;
	/* Passed, but no skb: a drop, as on the path without XDP. */
	(*pkts)--;
	*bytes -= rxlen;
	(*dropped)++;
	return false;
}

/* Receive up to @budget frames. Called from NAPI poll. */
int e1k_rx_poll(struct e1k_adapter *adapter, int budget)
{
	struct e1k_rx_ring *ring = &adapter->rx_ring;
	struct net_device *netdev = adapter->netdev;
	unsigned int pkts = 0, bytes = 0, errors = 0, dropped = 0;
	struct e1k_xdp_poll xp = { };
	u16 i = ring->next_to_clean;
	unsigned int cleaned = 0;
	int done = 0;

	/* NAPI runs in an RCU read-side section (BH); one program a poll. */
	xp.prog = rcu_dereference_bh(adapter->xdp_prog);

	while (done < budget) {
		struct e1k_rx_desc *desc = &ring->desc[i];
		u8 status, errs;
		struct sk_buff *skb;
		u16 len, tci, slot;

		/*
		 * Hand buffers back while the poll runs: the device keeps
		 * receiving meanwhile (under QEMU, from the sender's vCPU), and
		 * with RDT moved only at the end of a 64-frame poll the ring
		 * ran dry and frames were missed (MPC), costing TCP
		 * retransmits. Done here, between descriptors, because a slot
		 * may still hold the page of the frame being copied.
		 */
		if (cleaned >= E1K_RX_REFILL_BATCH) {
			ring->next_to_clean = i;
			e1k_rx_refill(adapter, GFP_ATOMIC);
			cleaned = 0;
		}

		status = READ_ONCE(desc->status);
		if (!(status & E1K_RXD_STAT_DD))
			break;
		/* The rest of the descriptor is valid only once DD is seen. */
		dma_rmb();
		len = le16_to_cpu(desc->length);
		errs = desc->errors;
		tci = le16_to_cpu(desc->special);

		/*
		 * The one slot the refill always leaves empty keeps its old
		 * status: clear DD now so that it never looks completed when
		 * next_to_clean catches up with next_to_use.
		 */
		desc->status = 0;
		slot = i;
		i = e1k_rx_next(ring, i);
		cleaned++;

		/*
		 * A completed slot without a page is a driver bug: drop its
		 * frame and go on (the refill gives the slot a page) rather
		 * than stop here, which would stall reception for good.
		 */
		if (WARN_ON_ONCE(!ring->pages[slot]) && !ring->discard) {
			errors++;
			ring->discard = true;
		}

		/* Cannot happen with BSIZE = 2048; never trust it blindly. */
		if (unlikely(len > E1K_RX_BUF_LEN) && !ring->discard) {
			errors++;
			ring->discard = true;
		}

		/*
		 * Under XDP a frame must fit one buffer: a longer one (only a
		 * sender ignoring our MTU makes one), or the rest of one
		 * begun before the program was attached, is never seen by the
		 * program, so it must not reach the stack either.
		 */
		if (xp.prog && !ring->discard &&
		    (!(status & E1K_RXD_STAT_EOP) || ring->skb)) {
			errors++;
			ring->discard = true;
		}

		if (xp.prog && !ring->discard) {
			/* Single buffer, EOP: errors are valid, check first. */
			done++;
			if (unlikely((errs & E1K_RXD_ERR_FRAME) ||
				     len < ETH_HLEN)) {
				errors++;
				continue;
			}
			/* Frames XDP consumed count as received too. */
			pkts++;
			bytes += len;
			e1k_rx_sync_for_cpu(adapter, slot, len);
			if (!e1k_rx_xdp_frame(adapter, &xp, slot, len,
					      &pkts, &bytes, &dropped))
				continue;
			skb = ring->skb;
			ring->skb = NULL;
			goto to_stack;
		}

		/* A dropped buffer was never read: it stays in its slot. */
		if (!ring->discard) {
			e1k_rx_sync_for_cpu(adapter, slot, len);
			if (!e1k_rx_use_buffer(adapter, slot, E1K_RX_HEADROOM,
					       len, 0,
					       status & E1K_RXD_STAT_EOP,
					       false)) {
				dropped++;
				ring->discard = true;
			}
		}

		if (!(status & E1K_RXD_STAT_EOP))
			continue;

		/* End of frame: the error bits are valid here. */
		done++;
		skb = ring->skb;
		ring->skb = NULL;
		if (ring->discard) {
			ring->discard = false;
			if (skb)
				dev_kfree_skb_any(skb);
			continue;
		}
		if (unlikely((errs & E1K_RXD_ERR_FRAME) ||
			     skb->len < ETH_HLEN)) {
			errors++;
			dev_kfree_skb_any(skb);
			continue;
		}
		pkts++;
		bytes += skb->len;
to_stack:
		if (status & E1K_RXD_STAT_VP)
			__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);

		/* No RX checksum offload on this device: CHECKSUM_NONE. */
		skb->protocol = eth_type_trans(skb, netdev);
		trace_pktpath_e1000_rx(netdev, skb, slot, skb->len + ETH_HLEN,
				       status);
		napi_gro_receive(&adapter->napi, skb);
	}
	ring->next_to_clean = i;

	if (xp.prog)
		e1k_xdp_poll_end(adapter, &xp);

	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	ring->stats.errors += errors;
	ring->stats.dropped += dropped;
	u64_stats_update_end(&ring->syncp);

	/*
	 * Every RDT write is a trip into QEMU's device model (under TCG;
	 * an exit under KVM unless coalesced): a poll that found a frame or two
	 * leaves their slots empty until a batch is (the device still has
	 * the rest of the ring), unless an earlier refill came up short.
	 */
	if (e1k_rx_unused(ring) < E1K_RX_REFILL_BATCH &&
	    !test_bit(E1K_STATE_RX_REFILL, &adapter->state))
		return done;
	/*
	 * A ring with no buffer at all receives nothing (QEMU holds frames
	 * back), so no interrupt would ever come to refill it: stay
	 * scheduled (claim the whole budget) until a page is there. A ring
	 * with some buffers interrupts as frames land in them; the watchdog
	 * is the backstop for the rest.
	 */
	if (!e1k_rx_refill(adapter, GFP_ATOMIC) &&
	    e1k_rx_unused(ring) == ring->count - 1)
		return budget;
	return done;
}
