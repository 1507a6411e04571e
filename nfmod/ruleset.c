// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: building, publishing and freeing rulesets, and keeping each
 * namespace's hooks, NAT functions and conntrack references in step with
 * what its ruleset needs.
 *
 * A namespace with no rules and accept policies has nothing registered.
 * Publishing a ruleset first takes what it newly needs (conntrack, NAT
 * functions, filter hooks), then swaps the pointer, then lets go of what
 * only the old ruleset needed: a failure leaves the old ruleset in force
 * with exactly what it had.
 *
 * Two things outlive the rules that asked for them. A family's NAT
 * registration stays until the namespace goes: while the NAT core has a
 * user it keeps its hooks, and the connections NAT rules bound keep their
 * translation however the rules change afterwards (as with nftables).
 * And a family whose rules look at the protocol or ports reassembles
 * fragments first (nf_defrag), so that no later fragment passes unjudged.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "pktpath_nf.h"

/*
 * Filter: where nftables' and iptables' filter chains sit, after conntrack
 * everywhere: after DNAT where packets enter (PREROUTING, OUTPUT), so that
 * a rule sees the translated destination, and before SNAT where they leave
 * (INPUT, POSTROUTING), so that it sees the original source.
 */
static const int pp_filter_prio[PP_NHOOKS] = {
	[NF_INET_PRE_ROUTING]	= NF_IP_PRI_FILTER,
	[NF_INET_LOCAL_IN]	= NF_IP_PRI_FILTER,
	[NF_INET_FORWARD]	= NF_IP_PRI_FILTER,
	[NF_INET_LOCAL_OUT]	= NF_IP_PRI_FILTER,
	[NF_INET_POST_ROUTING]	= NF_IP_PRI_FILTER,
};

/*
 * NAT: the NAT core's own places; no NAT in FORWARD (validated). The core
 * calls what we register there for connections it has not bound (nat.c).
 */
static const int pp_nat_prio[PP_NHOOKS] = {
	[NF_INET_PRE_ROUTING]	= NF_IP_PRI_NAT_DST,
	[NF_INET_LOCAL_IN]	= NF_IP_PRI_NAT_SRC,
	[NF_INET_LOCAL_OUT]	= NF_IP_PRI_NAT_DST,
	[NF_INET_POST_ROUTING]	= NF_IP_PRI_NAT_SRC,
};

/* One set of ops per chain, shared by every namespace. */
static struct nf_hook_ops pp_filter_ops[PP_NCHAINS] __ro_after_init;
static struct nf_hook_ops pp_nat_ops[PP_NCHAINS] __ro_after_init;

void __init pp_ops_init(void)
{
	unsigned int i;

	for (i = 0; i < PP_NCHAINS; i++) {
		unsigned int hook = pp_chain_hook(i);

		pp_filter_ops[i].hook = pp_filter_hook;
		pp_filter_ops[i].pf = pp_chain_nfproto(i);
		pp_filter_ops[i].hooknum = hook;
		pp_filter_ops[i].priority = pp_filter_prio[hook];
		pp_nat_ops[i] = pp_filter_ops[i];
		pp_nat_ops[i].hook = pp_nat_hook;
		pp_nat_ops[i].priority = pp_nat_prio[hook];
	}
}

static u8 pp_family_proto(unsigned int fam)
{
	return fam ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

/*
 * Consumes @rules (a kvmalloc'd array) and the references it holds.
 * @from: the chain this one is an edit of, which lost its rule at @del
 * or gained @rules[@ins] (classify.c), or NULL. Returns the chain or
 * ERR_PTR(-ENOMEM).
 */
struct pp_chain *pp_chain_build(struct pp_rule **rules, u32 n,
				const struct pp_chain *from, u32 del, u32 ins)
{
	struct pp_chain *chain;
	int err = -ENOMEM;
	u32 i;

	chain = kzalloc(sizeof(*chain), GFP_KERNEL_ACCOUNT);
	if (!chain)
		goto fail;
	refcount_set(&chain->ref, 1);
	chain->rules = rules;
	chain->nrules = n;
	for (i = 0; i < n; i++) {
		if (pp_action_is_nat(rules[i]->action))
			chain->has_nat = true;
		else
			chain->has_filter = true;
		if ((rules[i]->match & PP_M_CT) ||
		    rules[i]->action == PKTPATH_ACT_CTMARK)
			chain->needs_ct = true;
		if (rules[i]->match & (PP_M_PROTO | PP_M_SPORT | PP_M_DPORT |
				       PP_M_ICMP | PP_M_SYN))
			chain->needs_l4 = true;
	}
	if (from)
		err = pp_cls_edit(&chain->cls, &from->cls, rules, n, del, ins);
	else
		err = pp_cls_build(&chain->cls, rules, n);
	if (err)
		goto fail;
	return chain;
fail:
	kfree(chain);
	for (i = 0; i < n; i++)
		pp_rule_put(rules[i]);
	kvfree(rules);
	return ERR_PTR(err);
}

/* Process context: a chain may hold 65,536 rules to free. */
void pp_chain_put(struct pp_chain *chain)
{
	u32 i;

	if (!chain || !refcount_dec_and_test(&chain->ref))
		return;
	pp_cls_free(&chain->cls);
	for (i = 0; i < chain->nrules; i++) {
		pp_rule_put(chain->rules[i]);
		cond_resched();
	}
	kvfree(chain->rules);
	kfree(chain);
}

/* A new ruleset sharing every chain of @old (which may be NULL). */
struct pp_ruleset *pp_ruleset_clone(const struct pp_ruleset *old)
{
	struct pp_ruleset *rs;
	unsigned int i;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs || !old)
		return rs;
	for (i = 0; i < PP_NCHAINS; i++) {
		rs->chains[i] = old->chains[i];
		if (rs->chains[i])
			refcount_inc(&rs->chains[i]->ref);
		rs->policy[i] = old->policy[i];
	}
	return rs;
}

void pp_ruleset_free(struct pp_ruleset *rs)
{
	unsigned int i;

	if (!rs)
		return;
	for (i = 0; i < PP_NCHAINS; i++)
		pp_chain_put(rs->chains[i]);
	kfree(rs);
}

/* Retired rulesets are freed here, in process context, after a grace period. */
static struct workqueue_struct *pp_free_wq;

static void pp_ruleset_free_work(struct work_struct *work)
{
	pp_ruleset_free(container_of(to_rcu_work(work), struct pp_ruleset,
				     rwork));
}

/* Free @rs once no hook or dump can still be reading it. */
static void pp_ruleset_retire(struct pp_ruleset *rs)
{
	INIT_RCU_WORK(&rs->rwork, pp_ruleset_free_work);
	queue_rcu_work(pp_free_wq, &rs->rwork);
}

int __init pp_ruleset_wq_init(void)
{
	pp_free_wq = alloc_workqueue("pktpath_nf_free", 0, 0);
	return pp_free_wq ? 0 : -ENOMEM;
}

/* After the last retirement: wait for its grace period, then its work. */
void pp_ruleset_wq_exit(void)
{
	rcu_barrier();
	destroy_workqueue(pp_free_wq);
}

struct pp_ruleset *pp_ruleset_current(struct pp_net *pn)
{
	return rcu_dereference_protected(pn->ruleset,
					 lockdep_is_held(&pn->lock));
}

u32 pp_ruleset_nrules(const struct pp_ruleset *rs)
{
	unsigned int i;
	u32 n = 0;

	for (i = 0; rs && i < PP_NCHAINS; i++)
		if (rs->chains[i])
			n += rs->chains[i]->nrules;
	return n;
}

struct pp_rule *pp_ruleset_find(const struct pp_ruleset *rs, u32 handle,
				unsigned int *chain, u32 *index)
{
	unsigned int c;
	u32 i;

	for (c = 0; rs && c < PP_NCHAINS; c++) {
		const struct pp_chain *ch = rs->chains[c];

		for (i = 0; ch && i < ch->nrules; i++) {
			if (ch->rules[i]->handle != handle)
				continue;
			if (chain)
				*chain = c;
			if (index)
				*index = i;
			return ch->rules[i];
		}
	}
	return NULL;
}

struct pp_needs {
	u16 filter;	/* chains needing the filter hook */
	u16 nat;	/* chains needing the NAT fn */
	u8 ct;		/* families needing conntrack */
	u8 defrag;	/* families needing reassembly */
};

/*
 * What @rs needs in namespace @pn: in trace mode every filter hook, rules
 * or not; and the NAT registrations (with their conntrack) it already
 * holds, which stay.
 */
static void pp_needs_of(const struct pp_net *pn, const struct pp_ruleset *rs,
			bool trace, struct pp_needs *nd)
{
	unsigned int i;

	memset(nd, 0, sizeof(*nd));
	if (trace)
		nd->filter = BIT(PP_NCHAINS) - 1;
	nd->nat = pn->nat_hooks;
	for (i = 0; i < PP_NCHAINS; i++) {
		const struct pp_chain *ch = rs ? rs->chains[i] : NULL;

		if ((ch && ch->has_filter) ||
		    (rs && rs->policy[i] == PKTPATH_POLICY_DROP))
			nd->filter |= BIT(i);
		if (ch && ch->has_nat)
			nd->nat |= BIT(i);
		if ((nd->nat & BIT(i)) || (ch && ch->needs_ct))
			nd->ct |= BIT(i / PP_NHOOKS);
		if (ch && ch->needs_l4)
			nd->defrag |= BIT(i / PP_NHOOKS);
	}
}

static int pp_defrag_enable(struct net *net, unsigned int fam)
{
	if (pp_family_proto(fam) == NFPROTO_IPV4)
		return nf_defrag_ipv4_enable(net);
	return nf_defrag_ipv6_enable(net);
}

static void pp_defrag_disable(struct net *net, unsigned int fam)
{
	if (pp_family_proto(fam) == NFPROTO_IPV4)
		nf_defrag_ipv4_disable(net);
	else
		nf_defrag_ipv6_disable(net);
}

static int pp_nat_register(struct net *net, unsigned int i)
{
	if (pp_chain_nfproto(i) == NFPROTO_IPV4)
		return nf_nat_ipv4_register_fn(net, &pp_nat_ops[i]);
	return nf_nat_ipv6_register_fn(net, &pp_nat_ops[i]);
}

static void pp_nat_unregister(struct net *net, unsigned int i)
{
	if (pp_chain_nfproto(i) == NFPROTO_IPV4)
		nf_nat_ipv4_unregister_fn(net, &pp_nat_ops[i]);
	else
		nf_nat_ipv6_unregister_fn(net, &pp_nat_ops[i]);
}

/* Let go of @nd, in the reverse order of pp_acquire(). */
static void pp_release(struct net *net, const struct pp_needs *nd)
{
	unsigned int i;

	for (i = 0; i < PP_NCHAINS; i++)
		if (nd->filter & BIT(i))
			nf_unregister_net_hook(net, &pp_filter_ops[i]);
	for (i = 0; i < PP_NCHAINS; i++)
		if (nd->nat & BIT(i))
			pp_nat_unregister(net, i);
	for (i = 0; i < PP_NFAMILIES; i++)
		if (nd->defrag & BIT(i))
			pp_defrag_disable(net, i);
	for (i = 0; i < PP_NFAMILIES; i++)
		if (nd->ct & BIT(i))
			nf_ct_netns_put(net, pp_family_proto(i));
}

/* Take all of @nd, or nothing. */
static int pp_acquire(struct net *net, const struct pp_needs *nd)
{
	struct pp_needs done = {};
	unsigned int i;
	int err = 0;

	for (i = 0; i < PP_NFAMILIES && !err; i++) {
		if (!(nd->ct & BIT(i)))
			continue;
		err = nf_ct_netns_get(net, pp_family_proto(i));
		if (!err)
			done.ct |= BIT(i);
	}
	for (i = 0; i < PP_NFAMILIES && !err; i++) {
		if (!(nd->defrag & BIT(i)))
			continue;
		err = pp_defrag_enable(net, i);
		if (!err)
			done.defrag |= BIT(i);
	}
	for (i = 0; i < PP_NCHAINS && !err; i++) {
		if (!(nd->nat & BIT(i)))
			continue;
		err = pp_nat_register(net, i);
		if (!err)
			done.nat |= BIT(i);
	}
	for (i = 0; i < PP_NCHAINS && !err; i++) {
		if (!(nd->filter & BIT(i)))
			continue;
		err = nf_register_net_hook(net, &pp_filter_ops[i]);
		if (!err)
			done.filter |= BIT(i);
	}
	if (err)
		pp_release(net, &done);
	return err;
}

static void pp_needs_apply(struct pp_net *pn, const struct pp_needs *nd)
{
	pn->filter_hooks = nd->filter;
	pn->nat_hooks = nd->nat;
	pn->ct_families = nd->ct;
	pn->defrag_families = nd->defrag;
}

/* What @want takes that is not held yet, and what it lets go. */
static void pp_needs_diff(const struct pp_net *pn, const struct pp_needs *want,
			  struct pp_needs *gain, struct pp_needs *lose)
{
	gain->filter = want->filter & ~pn->filter_hooks;
	gain->nat = want->nat & ~pn->nat_hooks;
	gain->ct = want->ct & ~pn->ct_families;
	gain->defrag = want->defrag & ~pn->defrag_families;
	lose->filter = pn->filter_hooks & ~want->filter;
	lose->nat = pn->nat_hooks & ~want->nat;
	lose->ct = pn->ct_families & ~want->ct;
	lose->defrag = pn->defrag_families & ~want->defrag;
}

/*
 * The hooks follow a change of trace mode (tracemode.c) to @trace; the
 * ruleset stays. Nothing changes on failure. Called with pn->lock held.
 */
int pp_hooks_follow(struct net *net, bool trace)
{
	struct pp_net *pn = pp_net(net);
	struct pp_needs want, gain, lose;
	int err;

	pp_needs_of(pn, pp_ruleset_current(pn), trace, &want);
	pp_needs_diff(pn, &want, &gain, &lose);
	err = pp_acquire(net, &gain);
	if (err)
		return err;
	pp_release(net, &lose);
	pp_needs_apply(pn, &want);
	return 0;
}

/*
 * Make @rs the namespace's ruleset. On success it owns @rs and frees the
 * old one after a grace period; on failure nothing changed and the caller
 * still owns @rs. Called with pn->lock held.
 */
int pp_ruleset_publish(struct net *net, struct pp_ruleset *rs)
{
	struct pp_net *pn = pp_net(net);
	struct pp_ruleset *old = pp_ruleset_current(pn);
	struct pp_needs want, gain, lose;
	int err;

	pp_needs_of(pn, rs, pp_tracing(pn), &want);
	pp_needs_diff(pn, &want, &gain, &lose);
	err = pp_acquire(net, &gain);
	if (err)
		return err;
	rs->generation = ++pn->generation;
	rcu_assign_pointer(pn->ruleset, rs);
	pp_release(net, &lose);
	pp_needs_apply(pn, &want);
	if (old)
		pp_ruleset_retire(old);
	return 0;
}

/*
 * The namespace goes (or the module): unpublish and let go of everything,
 * the NAT registrations too. The caller waits for a grace period before
 * freeing what hooks may still be reading; the ruleset is retired.
 */
void pp_net_teardown(struct net *net)
{
	struct pp_net *pn = pp_net(net);
	struct pp_ruleset *old;
	struct pp_needs all;

	mutex_lock(&pn->lock);
	all.filter = pn->filter_hooks;
	all.nat = pn->nat_hooks;
	all.ct = pn->ct_families;
	all.defrag = pn->defrag_families;
	old = pp_ruleset_current(pn);
	RCU_INIT_POINTER(pn->ruleset, NULL);
	pp_release(net, &all);
	memset(&all, 0, sizeof(all));
	pp_needs_apply(pn, &all);
	pn->trace = false;
	pn->ntrace_holds = 0;
	mutex_unlock(&pn->lock);
	if (old)
		pp_ruleset_retire(old);
}

/*
 * Counters restart from zero: record baselines, never write the sums
 * (their CPUs may be updating them). Called with pn->lock held.
 */
void pp_reset_policy_counters(struct pp_net *pn)
{
	unsigned int c;

	for (c = 0; c < PP_NCHAINS; c++) {
		pp_counter_rebase(&pn->pcnt->chain[c], &pn->pbase_packets[c],
				  &pn->pbase_bytes[c]);
		pp_counter_rebase(&pn->pcnt->malformed[c],
				  &pn->mbase_packets[c], &pn->mbase_bytes[c]);
	}
}

void pp_reset_counters(struct pp_net *pn)
{
	struct pp_ruleset *rs = pp_ruleset_current(pn);
	unsigned int c;
	u32 i;

	for (c = 0; rs && c < PP_NCHAINS; c++) {
		const struct pp_chain *ch = rs->chains[c];

		for (i = 0; ch && i < ch->nrules; i++)
			pp_rule_reset(ch->rules[i]);
	}
	pp_reset_policy_counters(pn);
}
