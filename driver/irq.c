// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_e1000: legacy INTx interrupt and NAPI poll.
 */
#include <linux/interrupt.h>

#include "pktpath_e1000.h"
#include "trace.h"

void e1k_irq_enable(struct e1k_adapter *adapter)
{
	u32 ims = E1K_INT_ENABLE;

	/* Under QEMU, TX done only while the queue waits for room (tx.c). */
	if (READ_ONCE(adapter->tx_irq_armed))
		ims |= E1K_INT_TXDW;
	/*
	 * Causes that arrived while masked are still latched in ICR; the IMS
	 * write raises the line again at once if any of them is enabled.
	 */
	e1k_wr32(adapter, E1K_IMS, ims);
}

void e1k_irq_disable(struct e1k_adapter *adapter)
{
	e1k_wr32(adapter, E1K_IMC, E1K_INT_ALL);
	e1k_flush(adapter);
	synchronize_irq(adapter->pdev->irq);
}

/*
 * The line is INTx and may be shared, so "not ours" must be answered with
 * IRQ_NONE. ICR is read exactly once: the read clears every cause.
 */
static irqreturn_t e1k_intr(int irq, void *data)
{
	struct e1k_adapter *adapter = data;
	u32 icr, ours = E1K_INT_ENABLE;

	icr = e1k_rd32(adapter, E1K_ICR);
	/*
	 * TX done is latched after every send, enabled or not: it is ours
	 * only while enabled (or raised by the self-test, while down), or a
	 * shared line's neighbour would be taken for us. A disarm racing
	 * with it costs one IRQ_NONE, and no one waits then.
	 */
	if (READ_ONCE(adapter->tx_irq_armed) ||
	    test_bit(E1K_STATE_DOWN, &adapter->state))
		ours |= E1K_INT_TXDW;
	if (!(icr & ours))
		return IRQ_NONE;
	trace_pktpath_e1000_irq(adapter->netdev, icr);

	/*
	 * e1k_down() masks everything after DOWN is set; what came before
	 * is acknowledged by the ICR read above, so the level line drops.
	 */
	if (test_bit(E1K_STATE_DOWN, &adapter->state)) {
		/* The self-test raises causes through ICS and looks here. */
		WRITE_ONCE(adapter->test_icr, adapter->test_icr | icr);
		return IRQ_HANDLED;
	}

	u64_stats_update_begin(&adapter->irq_syncp);
	adapter->irqs++;
	u64_stats_update_end(&adapter->irq_syncp);

	if (icr & E1K_INT_LSC)
		mod_delayed_work(system_wq, &adapter->watchdog, 0);

	/*
	 * The interrupt stays enabled while NAPI runs. One that comes
	 * meanwhile (no sooner than the throttle allows) costs the ICR read
	 * above and marks the poll missed, so it runs once more; masking
	 * here (IMC) and unmasking after every poll (IMS) cost two exits for
	 * every interrupt instead.
	 */
	napi_schedule(&adapter->napi);
	return IRQ_HANDLED;
}

int e1k_irq_request(struct e1k_adapter *adapter)
{
	return request_irq(adapter->pdev->irq, e1k_intr, IRQF_SHARED,
			   adapter->netdev->name, adapter);
}

void e1k_irq_free(struct e1k_adapter *adapter)
{
	free_irq(adapter->pdev->irq, adapter);
}

/*
 * Adaptive moderation: many frames in one poll mean a stream, where fewer
 * interrupts, each finding more frames, cost less per frame (under QEMU
 * each is a VM exit and a poll); one or two mean request and response,
 * where the gap is latency. Move a quarter of the way toward the target
 * and write ITR (an expensive exit too) only when the value moved.
 */
static void e1k_itr_adapt(struct e1k_adapter *adapter, unsigned int frames)
{
	u32 target, itr;

	if (frames >= E1K_ITR_STREAM_FRAMES)
		target = E1K_ITR_BULK;
	else if (frames <= 2)
		target = E1K_ITR_LOW;
	else
		return;
	itr = (3 * adapter->itr + target) / 4;
	if (itr != adapter->itr) {
		adapter->itr = itr;
		e1k_hw_write_itr(adapter);
	}
}

int e1k_napi_poll(struct napi_struct *napi, int budget)
{
	struct e1k_adapter *adapter = container_of(napi, struct e1k_adapter,
						   napi);
	struct e1k_rx_ring *rx = &adapter->rx_ring;
	unsigned int reclaimed;
	bool tx_done;
	int work;

	trace_pktpath_e1000_napi_poll(adapter->netdev, budget);

	/*
	 * netpoll (netconsole) polls with no budget, possibly from hard IRQ
	 * context: TX completions only, no RX work and no register writes.
	 */
	if (unlikely(!budget)) {
		e1k_tx_poll(adapter, 0, &reclaimed);
		return 0;
	}

	u64_stats_update_begin(&rx->syncp);
	rx->stats.napi_polls++;
	u64_stats_update_end(&rx->syncp);

	tx_done = e1k_tx_poll(adapter, budget, &reclaimed);
	work = e1k_rx_poll(adapter, budget);
	trace_pktpath_e1000_napi_done(adapter->netdev, budget, work, reclaimed);

	if (!tx_done || work >= budget)
		return budget;

	if (napi_complete_done(napi, work) &&
	    !test_bit(E1K_STATE_DOWN, &adapter->state)) {
		/* e1k_set_coalesce() waits for polls before a fixed value. */
		if (READ_ONCE(adapter->itr_adaptive))
			e1k_itr_adapt(adapter, work + reclaimed);
	}
	return work;
}
