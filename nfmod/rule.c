// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: rule objects and their counters.
 *
 * A rule never changes once built; rulesets share it by reference. Its
 * counters are per CPU, written only by the CPU that owns them, and a reset
 * does not write them (another CPU may be in the middle of an update): it
 * records a baseline that readers subtract. The policy counters of a
 * namespace work the same way (pp_counter_since(), pp_counter_rebase()).
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "pktpath_nf.h"

struct pp_rule *pp_rule_alloc(void)
{
	struct pp_rule *rule;
	int cpu;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule)
		return NULL;
	rule->cnt = alloc_percpu_gfp(struct pp_counter, GFP_KERNEL_ACCOUNT);
	if (!rule->cnt) {
		kfree(rule);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(rule->cnt, cpu)->syncp);
	refcount_set(&rule->ref, 1);
	return rule;
}

void pp_rule_put(struct pp_rule *rule)
{
	if (!rule || !refcount_dec_and_test(&rule->ref))
		return;
	free_percpu(rule->cnt);
	kfree(rule);
}

/*
 * The filter hook runs in softirq and, for OUTPUT, in process context,
 * where a softirq may interrupt an update of the same counter. On 64-bit
 * the counters are local64_t, whose adds are single instructions safe
 * against that, and the irqsave section is empty: a packet pays for no
 * BH toggle (in a profile of the forward path, local_bh_enable() was a
 * seventh of the hook's cost). 32-bit keeps interrupts off around its
 * seqcount.
 */
void pp_counter_add(struct pp_counter __percpu *cnt, unsigned int len)
{
	struct pp_counter *c = get_cpu_ptr(cnt);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_inc(&c->packets);
	u64_stats_add(&c->bytes, len);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
	put_cpu_ptr(cnt);
}

void pp_counter_read(const struct pp_counter __percpu *cnt, u64 *packets,
		     u64 *bytes)
{
	u64 p = 0, b = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct pp_counter *c = per_cpu_ptr(cnt, cpu);
		unsigned int start;
		u64 cp, cb;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			cp = u64_stats_read(&c->packets);
			cb = u64_stats_read(&c->bytes);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		p += cp;
		b += cb;
	}
	*packets = p;
	*bytes = b;
}

/*
 * The counts since the last reset. The baseline is read first: a reset
 * takes the sums before it sets the baseline, so the sums read after it
 * are at least as large. A read that races with a reset may still see a
 * baseline above the sums it read (another CPU's update not visible yet):
 * that reads as zero, never as a wrapped-around count.
 */
void pp_counter_since(const struct pp_counter __percpu *cnt,
		      const u64 *base_packets, const u64 *base_bytes,
		      u64 *packets, u64 *bytes)
{
	u64 bp = READ_ONCE(*base_packets);
	u64 bb = READ_ONCE(*base_bytes);
	u64 p, b;

	/* The baseline before the sums; pairs with pp_counter_rebase(). */
	smp_rmb();
	pp_counter_read(cnt, &p, &b);
	*packets = p > bp ? p - bp : 0;
	*bytes = b > bb ? b - bb : 0;
}

/* Counting restarts from zero. Called with the namespace's writer lock held. */
void pp_counter_rebase(const struct pp_counter __percpu *cnt,
		       u64 *base_packets, u64 *base_bytes)
{
	u64 p, b;

	pp_counter_read(cnt, &p, &b);
	/* The sums before the baseline; pairs with pp_counter_since(). */
	smp_mb();
	WRITE_ONCE(*base_packets, p);
	WRITE_ONCE(*base_bytes, b);
}

void pp_rule_counters(const struct pp_rule *rule, u64 *packets, u64 *bytes)
{
	pp_counter_since(rule->cnt, &rule->base_packets, &rule->base_bytes,
			 packets, bytes);
}

/* Called with the namespace's writer lock held. */
void pp_rule_reset(struct pp_rule *rule)
{
	pp_counter_rebase(rule->cnt, &rule->base_packets, &rule->base_bytes);
}

bool pp_action_is_nat(u8 action)
{
	return action == PKTPATH_ACT_SNAT || action == PKTPATH_ACT_DNAT ||
	       action == PKTPATH_ACT_MASQUERADE ||
	       action == PKTPATH_ACT_REDIRECT;
}
