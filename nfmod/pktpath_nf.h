/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_nf: structures shared by the module's files.
 *
 * A ruleset is ten chains (two families times five hooks). Rules and chains
 * are immutable once published and reference counted, so that a change
 * builds a new ruleset which shares every chain and rule it leaves alone:
 * their per-CPU counters carry on. Readers (the hooks, the dump) only take
 * rcu_read_lock(); the old ruleset is freed after a grace period.
 */
#ifndef _PKTPATH_NF_H
#define _PKTPATH_NF_H

#include <linux/types.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "pktpath_netlink.h"
#include "rule.h"
#include "classify.h"

#define PP_NFAMILIES	2
#define PP_NHOOKS	NF_INET_NUMHOOKS
#define PP_NCHAINS	(PP_NFAMILIES * PP_NHOOKS)

/* Chains are numbered family-major: ip prerouting ... ip6 postrouting. */
static inline unsigned int pp_chain_idx(u8 nfproto, unsigned int hook)
{
	return (nfproto == NFPROTO_IPV6 ? PP_NHOOKS : 0) + hook;
}

static inline u8 pp_chain_nfproto(unsigned int idx)
{
	return idx < PP_NHOOKS ? NFPROTO_IPV4 : NFPROTO_IPV6;
}

static inline unsigned int pp_chain_hook(unsigned int idx)
{
	return idx % PP_NHOOKS;
}

struct pp_chain {
	refcount_t ref;
	u32 nrules;
	bool has_nat;		/* some rule is SNAT/DNAT/MASQUERADE/REDIRECT */
	bool has_filter;	/* some rule is not */
	bool needs_ct;		/* some rule looks at or changes conntrack */
	bool needs_l4;		/* some rule looks at the protocol or past it */
	struct pp_rule **rules;
	struct pp_cls cls;
};

struct pp_ruleset {
	struct pp_chain *chains[PP_NCHAINS];	/* NULL: no rules */
	u8 policy[PP_NCHAINS];
	u32 generation;
	struct rcu_work rwork;		/* freed in process context */
};

struct pp_policy_counters {
	struct pp_counter chain[PP_NCHAINS];
	struct pp_counter malformed[PP_NCHAINS];	/* dropped unjudged */
};

struct pp_load;

/* At most this many sockets hold trace mode in one namespace at once. */
#define PP_TRACE_HOLDS	32

/* What a network namespace holds (net_generic). */
struct pp_net {
	struct pp_ruleset __rcu *ruleset;
	struct pp_load *load;		/* a load in parts, under pn->lock */
	struct mutex lock;		/* serializes writers */
	struct pp_policy_counters __percpu *pcnt;
	u64 pbase_packets[PP_NCHAINS];
	u64 pbase_bytes[PP_NCHAINS];
	u64 mbase_packets[PP_NCHAINS];
	u64 mbase_bytes[PP_NCHAINS];
	u64 next_handle;		/* above every handle ever assigned */
	u32 generation;
	u16 filter_hooks;		/* chains whose filter hook is in */
	u16 nat_hooks;			/* chains whose NAT fn is in */
	u8 ct_families;			/* families with nf_ct_netns_get held */
	u8 defrag_families;		/* families with nf_defrag enabled */
	bool trace;			/* every hook in, for the trace events */
	/* sockets holding trace mode while they live (tracemode.c) */
	u32 trace_holds[PP_TRACE_HOLDS];
	u8 ntrace_holds;
};

/* Trace mode: set on, or held by some socket. Under pn->lock. */
static inline bool pp_tracing(const struct pp_net *pn)
{
	return pn->trace || pn->ntrace_holds;
}

extern unsigned int pp_net_id;

static inline struct pp_net *pp_net(const struct net *net)
{
	return net_generic(net, pp_net_id);
}

/* rule.c */
struct pp_rule *pp_rule_alloc(void);
void pp_rule_put(struct pp_rule *rule);
void pp_counter_add(struct pp_counter __percpu *cnt, unsigned int len);
void pp_counter_read(const struct pp_counter __percpu *cnt, u64 *packets,
		     u64 *bytes);
void pp_counter_since(const struct pp_counter __percpu *cnt,
		      const u64 *base_packets, const u64 *base_bytes,
		      u64 *packets, u64 *bytes);
void pp_counter_rebase(const struct pp_counter __percpu *cnt,
		       u64 *base_packets, u64 *base_bytes);
void pp_rule_counters(const struct pp_rule *rule, u64 *packets, u64 *bytes);
void pp_rule_reset(struct pp_rule *rule);
bool pp_action_is_nat(u8 action);

/* packet.c */
bool pp_parse(struct pp_pkt *pkt, struct sk_buff *skb,
	      const struct nf_hook_state *state, const struct pp_chain *chain);

/* hooks.c */
unsigned int pp_filter_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);

/* nat.c */
unsigned int pp_nat_hook(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
const char *pp_action_name(u8 action);
extern const char *const pp_hook_names[PP_NHOOKS];

/* ruleset.c */
void pp_ops_init(void);
int pp_ruleset_wq_init(void);
void pp_ruleset_wq_exit(void);
struct pp_chain *pp_chain_build(struct pp_rule **rules, u32 n,
				const struct pp_chain *from, u32 del, u32 ins);
void pp_chain_put(struct pp_chain *chain);
struct pp_ruleset *pp_ruleset_clone(const struct pp_ruleset *old);
void pp_ruleset_free(struct pp_ruleset *rs);
struct pp_ruleset *pp_ruleset_current(struct pp_net *pn);
u32 pp_ruleset_nrules(const struct pp_ruleset *rs);
struct pp_rule *pp_ruleset_find(const struct pp_ruleset *rs, u32 handle,
				unsigned int *chain, u32 *index);
int pp_ruleset_publish(struct net *net, struct pp_ruleset *rs);
int pp_hooks_follow(struct net *net, bool trace);

/* tracemode.c */
int pp_trace_set(struct net *net, u8 how, u32 portid,
		 struct netlink_ext_ack *extack);
void pp_trace_release_socket(struct net *net, u32 portid);
void pp_net_teardown(struct net *net);
void pp_reset_counters(struct pp_net *pn);
void pp_reset_policy_counters(struct pp_net *pn);

/* netlink.c */
int pp_cmp_u32(const void *a, const void *b);
int pp_check_generation(const struct pp_net *pn, struct genl_info *info);
void pp_low_handles(const u32 *used, u32 m, struct pp_rule **rules, u32 n);
int pp_parse_chain(const struct nlattr *nest, struct nlattr **tb,
		   unsigned int *c, struct netlink_ext_ack *extack);
int pp_nl_add_rule(struct sk_buff *skb, struct genl_info *info);
int pp_nl_del_rule(struct sk_buff *skb, struct genl_info *info);
int pp_nl_flush(struct sk_buff *skb, struct genl_info *info);
int pp_nl_set_policy(struct sk_buff *skb, struct genl_info *info);
int pp_nl_reset_counters(struct sk_buff *skb, struct genl_info *info);
int pp_nl_set_trace(struct sk_buff *skb, struct genl_info *info);

/* load.c */
int pp_nl_set_ruleset(struct sk_buff *skb, struct genl_info *info);
void pp_load_abort(struct pp_net *pn, u32 portid, bool any);

/* genl.c */
extern struct genl_family pp_genl_family;
int pp_genl_init(void);
void pp_genl_exit(void);

/* nl_rule.c */
struct pp_rule *pp_rule_from_nl(const struct nlattr *nest,
				struct netlink_ext_ack *extack);
int pp_rule_to_nl(struct sk_buff *skb, const struct pp_rule *rule, u32 index);
int pp_nl_chain_id(struct nlattr **tb, int fattr, int hattr,
		   unsigned int *idx, const struct nlattr *nest,
		   struct netlink_ext_ack *extack);
extern const struct nla_policy pp_rule_policy[PKTPATH_RULE_A_MAX + 1];
extern const struct nla_policy pp_chain_policy[PKTPATH_CHAIN_A_MAX + 1];

#endif /* _PKTPATH_NF_H */
