// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: NAT on the conntrack NAT core.
 *
 * pp_nat_hook() is what we register with the core, at the hooks whose
 * chain has NAT rules. The core calls it for a connection's first packet
 * (and a related connection's), once per end, where no binding exists yet:
 * the chain's first matching NAT rule binds the connection, other rules
 * play no part (as nftables' nat chains are apart from its filter chains).
 * No match, and the core installs a null binding. Every later packet of
 * the connection, and its replies, the core translates by that binding,
 * whatever happens to the rules afterwards. A NAT rule's counter thus
 * counts connections' first packets.
 */
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_nat_masquerade.h>
#include <net/netfilter/nf_nat_redirect.h>

#include "pktpath_nf.h"
#include "trace.h"

const char *const pp_hook_names[PP_NHOOKS] = {
	[NF_INET_PRE_ROUTING] = "prerouting",
	[NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};

static const char *const pp_action_names[] = {
	[PKTPATH_ACT_ACCEPT] = "accept",
	[PKTPATH_ACT_DROP] = "drop",
	[PKTPATH_ACT_REJECT] = "reject",
	[PKTPATH_ACT_MARK] = "mark",
	[PKTPATH_ACT_CTMARK] = "ct mark",
	[PKTPATH_ACT_COUNTER] = "counter",
	[PKTPATH_ACT_SNAT] = "snat",
	[PKTPATH_ACT_MASQUERADE] = "masquerade",
	[PKTPATH_ACT_DNAT] = "dnat",
	[PKTPATH_ACT_REDIRECT] = "redirect",
};

const char *pp_action_name(u8 action)
{
	return action < ARRAY_SIZE(pp_action_names) ? pp_action_names[action] : "?";
}

/*
 * The connection's addresses after NAT, for the trace event: its reply
 * tuple inverted, as a sockaddr_in or sockaddr_in6 each (ports only where
 * the protocol has them).
 */
void pp_nat_sockaddrs(const struct nf_conn *ct, u8 *src, u8 *dst)
{
	const struct nf_conntrack_tuple *r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	bool ports = r->dst.protonum == IPPROTO_TCP ||
		     r->dst.protonum == IPPROTO_UDP;

	memset(src, 0, sizeof(struct sockaddr_in6));
	memset(dst, 0, sizeof(struct sockaddr_in6));
	if (nf_ct_l3num(ct) == NFPROTO_IPV6) {
		struct sockaddr_in6 *s = (void *)src, *d = (void *)dst;

		s->sin6_family = AF_INET6;
		s->sin6_addr = r->dst.u3.in6;
		s->sin6_port = ports ? r->dst.u.all : 0;
		d->sin6_family = AF_INET6;
		d->sin6_addr = r->src.u3.in6;
		d->sin6_port = ports ? r->src.u.all : 0;
	} else {
		struct sockaddr_in *s = (void *)src, *d = (void *)dst;

		s->sin_family = AF_INET;
		s->sin_addr.s_addr = r->dst.u3.ip;
		s->sin_port = ports ? r->dst.u.all : 0;
		d->sin_family = AF_INET;
		d->sin_addr.s_addr = r->src.u3.ip;
		d->sin_port = ports ? r->src.u.all : 0;
	}
}

static unsigned int pp_nat_apply(const struct pp_rule *rule,
				 struct sk_buff *skb, struct nf_conn *ct,
				 const struct nf_hook_state *state)
{
	bool v4 = state->pf == NFPROTO_IPV4;
	struct nf_nat_range2 range = {};

	if (rule->aflags & PP_A_NAT_ADDR) {
		range.flags |= NF_NAT_RANGE_MAP_IPS;
		range.min_addr = rule->nat_addr_min;
		range.max_addr = rule->nat_addr_max;
	}
	if (rule->aflags & PP_A_NAT_PORT) {
		range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range.min_proto.all = htons(rule->nat_port_min);
		range.max_proto.all = htons(rule->nat_port_max);
	}
	switch (rule->action) {
	case PKTPATH_ACT_MASQUERADE:
		if (v4)
			return nf_nat_masquerade_ipv4(skb, state->hook, &range,
						      state->out);
		return nf_nat_masquerade_ipv6(skb, &range, state->out);
	case PKTPATH_ACT_REDIRECT:
		if (v4)
			return nf_nat_redirect_ipv4(skb, &range, state->hook);
		return nf_nat_redirect_ipv6(skb, &range, state->hook);
	default:	/* SNAT, DNAT: the hook says which end */
		return nf_nat_setup_info(ct, &range, HOOK2MANIP(state->hook));
	}
}

/*
 * Bind the connection of @skb as NAT rule @rule says, when this is its
 * first packet (or a related one's) and nothing bound this end yet.
 * Returns the verdict; *@bound is the connection when it was bound here,
 * else NULL.
 */
static unsigned int pp_nat_bind(const struct pp_rule *rule,
				struct sk_buff *skb,
				const struct nf_hook_state *state,
				struct nf_conn **bound)
{
	enum nf_nat_manip_type manip = HOOK2MANIP(state->hook);
	enum ip_conntrack_info ctinfo;
	unsigned int verdict;
	struct nf_conn *ct;

	*bound = NULL;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || (ctinfo != IP_CT_NEW && ctinfo != IP_CT_RELATED) ||
	    nf_nat_initialized(ct, manip))
		return NF_ACCEPT;
	verdict = pp_nat_apply(rule, skb, ct, state);
	/* Masquerade leaves a connection from 0.0.0.0 alone. */
	if (verdict == NF_ACCEPT && nf_nat_initialized(ct, manip))
		*bound = ct;
	return verdict;
}

/* The chain's first NAT rule that matches @pkt, or NULL. */
static const struct pp_rule *pp_nat_match(const struct pp_chain *chain,
					  const struct pp_pkt *pkt)
{
	struct pp_cls_iter it;
	u32 i = 0;

	pp_cls_start(&chain->cls, pkt, &it);
	for (;; i++) {
		i = pp_cls_next(&chain->cls, chain->rules, chain->nrules, pkt,
				&it, i);
		if (i >= chain->nrules)
			return NULL;
		if (pp_action_is_nat(chain->rules[i]->action))
			return chain->rules[i];
	}
}

/*
 * Called by the NAT core, in the hook's RCU section, for a connection not
 * bound at this end yet. A registration kept for connections bound
 * earlier (ruleset.c) may find no chain, or no NAT rule: NF_ACCEPT, and
 * the core installs a null binding.
 */
unsigned int pp_nat_hook(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	unsigned int idx = pp_chain_idx(state->pf, state->hook);
	struct pp_net *pn = pp_net(state->net);
	const struct pp_ruleset *rs = rcu_dereference(pn->ruleset);
	const struct pp_chain *chain = rs ? rs->chains[idx] : NULL;
	const struct pp_rule *rule;
	struct nf_conn *bound;
	unsigned int verdict;
	struct pp_pkt pkt;

	if (!chain || !chain->has_nat)
		return NF_ACCEPT;
	/* As the filter pass does: what a rule cannot judge is not bound. */
	if (!pp_parse(&pkt, skb, state, chain) ||
	    (pkt.malformed && chain->needs_l4)) {
		pp_counter_add(&pn->pcnt->malformed[idx], skb->len);
		return NF_DROP;
	}
	rule = pp_nat_match(chain, &pkt);
	if (!rule)
		return NF_ACCEPT;
	pp_counter_add(rule->cnt, skb->len);
	verdict = pp_nat_bind(rule, skb, state, &bound);
	if (bound && trace_pktpath_nf_nat_enabled())
		trace_pktpath_nf_nat(skb, state, pp_hook_names[state->hook],
				     rule->handle, pp_action_name(rule->action),
				     bound);
	return verdict;
}
