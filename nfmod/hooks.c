// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the filter pass, run at every hook whose chain has filter
 * rules or a drop policy.
 *
 * The first matching rule with a terminal action decides; mark, ct mark
 * and counter rules apply and the search goes on after them. NAT rules are
 * not the filter's: the NAT core asks for them separately, for a
 * connection's first packet (nat.c), as nftables keeps nat chains apart
 * from filter chains. Where packets enter (PREROUTING, OUTPUT) the filter
 * runs after DNAT and sees the translated destination; where they leave
 * (POSTROUTING, INPUT) before SNAT, with the original source.
 */
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "pktpath_nf.h"
#include "trace.h"

static unsigned int pp_reject(struct sk_buff *skb,
			      const struct nf_hook_state *state,
			      const struct pp_rule *rule)
{
	bool rst = rule->reject_with == PKTPATH_REJECT_TCP_RESET;

	if (state->pf == NFPROTO_IPV4) {
		if (rst)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_unreach(skb, rule->reject_code, state->hook);
	} else {
		if (rst)
			nf_send_reset6(state->net, state->sk, skb, state->hook);
		else
			nf_send_unreach6(state->net, skb, rule->reject_code,
					 state->hook);
	}
	return NF_DROP;
}

static void pp_set_ctmark(struct sk_buff *skb, u32 mark)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo == IP_CT_UNTRACKED)
		return;
	/* Other CPUs read the mark of a shared conntrack entry locklessly. */
	if (READ_ONCE(ct->mark) != mark) {
		WRITE_ONCE(ct->mark, mark);
		nf_conntrack_event_cache(IPCT_MARK, ct);
	}
#endif
}

/* A new mark may select another route (policy routing): look again. */
static unsigned int pp_reroute(struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	int err;

	if (state->pf == NFPROTO_IPV4)
		err = ip_route_me_harder(state->net, state->sk, skb,
					 RTN_UNSPEC);
	else
		err = nf_ip6_route_me_harder(state->net, state->sk, skb);
	return err < 0 ? NF_DROP_ERR(err) : NF_ACCEPT;
}

/*
 * Walk the chain's matching rules in order. Returns the verdict of the
 * first terminal rule, which goes to @decided, or -1 when none matched.
 * A packet this chain cannot judge is dropped and *@malformed set: its IP
 * header unreadable, or its protocol or transport header when a rule
 * looks at them (a tiny or later fragment, a truncated header, an IPv6
 * extension chain that cannot be walked): what a rule would deny must not
 * pass because the rule could not see it.
 */
static int pp_filter_walk(const struct pp_chain *chain, struct sk_buff *skb,
			  const struct nf_hook_state *state, bool *remarked,
			  const struct pp_rule **decided, bool *malformed)
{
	struct pp_cls_iter it;
	struct pp_pkt pkt;
	u32 i = 0;

	if (!pp_parse(&pkt, skb, state, chain) ||
	    (pkt.malformed && chain->needs_l4)) {
		*malformed = true;
		return NF_DROP;
	}
	pp_cls_start(&chain->cls, &pkt, &it);
	for (;;) {
		const struct pp_rule *rule;

		i = pp_cls_next(&chain->cls, chain->rules, chain->nrules, &pkt,
				&it, i);
		if (i >= chain->nrules)
			return -1;
		rule = chain->rules[i++];
		if (pp_action_is_nat(rule->action))
			continue;
		pp_counter_add(rule->cnt, skb->len);
		*decided = rule;
		switch (rule->action) {
		case PKTPATH_ACT_MARK:
			if (skb->mark != rule->set_mark) {
				skb->mark = rule->set_mark;
				pkt.mark = rule->set_mark;
				*remarked = true;
			}
			*decided = NULL;
			break;
		case PKTPATH_ACT_CTMARK:
			pp_set_ctmark(skb, rule->set_mark);
			*decided = NULL;
			break;
		case PKTPATH_ACT_COUNTER:
			*decided = NULL;
			break;
		case PKTPATH_ACT_DROP:
			return NF_DROP;
		case PKTPATH_ACT_REJECT:
			return pp_reject(skb, state, rule);
		default:
			return NF_ACCEPT;
		}
	}
}

/* How a hook decided, for the trace event: the rule's action or the verdict. */
static const char *pp_verdict_name(const struct pp_rule *decided, int verdict,
				   bool malformed)
{
	if (malformed)
		return "malformed";
	if ((verdict & NF_VERDICT_MASK) != NF_ACCEPT)
		return decided && decided->action == PKTPATH_ACT_REJECT ?
		       "reject" : "drop";
	return decided ? pp_action_name(decided->action) : "accept";
}

unsigned int pp_filter_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	unsigned int idx = pp_chain_idx(state->pf, state->hook);
	struct pp_net *pn = pp_net(state->net);
	const struct pp_rule *decided = NULL;
	const struct pp_ruleset *rs;
	const struct pp_chain *chain;
	bool remarked = false, malformed = false;
	int verdict = -1;

	/* In trace mode the hook is in before any ruleset exists. */
	rs = rcu_dereference(pn->ruleset);
	chain = rs ? rs->chains[idx] : NULL;
	if (chain)
		verdict = pp_filter_walk(chain, skb, state, &remarked, &decided,
					 &malformed);
	if (malformed) {
		decided = NULL;
		pp_counter_add(&pn->pcnt->malformed[idx], skb->len);
	} else if (verdict < 0) {
		decided = NULL;
		pp_counter_add(&pn->pcnt->chain[idx], skb->len);
		verdict = rs && rs->policy[idx] == PKTPATH_POLICY_DROP ?
			  NF_DROP : NF_ACCEPT;
	}
	if (verdict == NF_ACCEPT && remarked &&
	    state->hook == NF_INET_LOCAL_OUT)
		verdict = pp_reroute(skb, state);
	if (trace_pktpath_nf_hook_enabled())
		trace_pktpath_nf_hook(skb, state, pp_hook_names[state->hook],
				      decided ? decided->handle : 0,
				      pp_verdict_name(decided, verdict,
						      malformed));
	return verdict;
}
