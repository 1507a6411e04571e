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

struct pp_counter {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/* Which matches a rule carries (pp_rule.match). */
#define PP_M_IIF	BIT(0)
#define PP_M_OIF	BIT(1)
#define PP_M_SADDR	BIT(2)
#define PP_M_DADDR	BIT(3)
#define PP_M_PROTO	BIT(4)
#define PP_M_SPORT	BIT(5)
#define PP_M_DPORT	BIT(6)
#define PP_M_ICMP	BIT(7)
#define PP_M_CT		BIT(8)
#define PP_M_MARK	BIT(9)
#define PP_M_SYN	BIT(10)

/* Which optional action arguments a rule carries (pp_rule.aflags). */
#define PP_A_NAT_ADDR	BIT(0)
#define PP_A_NAT_PORT	BIT(1)
#define PP_A_REJECT_CODE	BIT(2)

/*
 * The classifier's key: the masked fields of a packet or a rule, zero
 * padded to a whole number of words so that it can be hashed and compared
 * as a block.
 */
struct pp_key {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	u16 sport;
	u16 dport;
	u8 proto;
	u8 pad[3];
};

/* The shape of a rule: which key fields its tuple-space group uses. */
#define PP_S_PROTO	BIT(0)
#define PP_S_SPORT	BIT(1)
#define PP_S_DPORT	BIT(2)

/*
 * At most this many shapes (tuple-space groups) in one chain. A packet
 * costs one hash lookup per group, so the cap bounds the classifier's
 * worst case; a change that would exceed it is refused (-E2BIG).
 */
#define PP_MAX_GROUPS	PKTPATH_MAX_SHAPES

struct pp_rule {
	refcount_t ref;
	u32 handle;
	u8 nfproto;
	u8 hook;
	u8 action;
	u8 aflags;
	u16 match;
	u8 shape;
	u8 splen;
	u8 dplen;
	u8 l4proto;
	u8 icmp_type;
	u8 reject_with;
	u8 reject_code;
	u16 sport_min, sport_max;
	u16 dport_min, dport_max;
	u32 ct_state;
	u32 mark, mark_mask;
	u32 set_mark;
	u16 nat_port_min, nat_port_max;
	union nf_inet_addr saddr, daddr;	/* stored masked */
	union nf_inet_addr nat_addr_min, nat_addr_max;
	struct pp_key key;	/* masked addresses, proto, single ports */
	char iifname[IFNAMSIZ];
	char oifname[IFNAMSIZ];
	u8 iiflen, oiflen;	/* bytes compared: IFNAMSIZ, or a wildcard's stem */
	/* counters: the live per-CPU sums minus the baseline of the last reset */
	struct pp_counter __percpu *cnt;
	u64 base_packets;
	u64 base_bytes;
};

struct pp_group;

/* The tuple-space index of one chain (classify.c). */
struct pp_cls {
	u32 ngroups;
	u32 seed;
	struct pp_group *groups;
};

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

/* The parsed fields of one packet (packet.c). */
struct pp_pkt {
	struct pp_key key;		/* full addresses, proto, ports */
	const struct net_device *in;
	const struct net_device *out;
	u32 mark;
	u32 ctstate;			/* one PKTPATH_CT_* bit, or 0 */
	u8 icmp_type;
	bool has_proto;
	bool has_ports;
	bool has_icmp;
	bool syn;
	bool malformed;			/* protocol or transport header unreadable */
};

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
void pp_rule_make_key(struct pp_rule *rule);
void pp_prefix_mask(union nf_inet_addr *mask, unsigned int plen, bool ipv6);

/* classify.c */
int pp_cls_build(struct pp_cls *cls, struct pp_rule **rules, u32 n);
void pp_cls_free(struct pp_cls *cls);
u32 pp_cls_lookup(const struct pp_cls *cls, struct pp_rule *const *rules,
		  u32 nrules, const struct pp_pkt *pkt, u32 start);

/* packet.c */
bool pp_parse(struct pp_pkt *pkt, struct sk_buff *skb,
	      const struct nf_hook_state *state);
bool pp_rule_rest_match(const struct pp_rule *rule, const struct pp_pkt *pkt);

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
struct pp_chain *pp_chain_build(struct pp_rule **rules, u32 n);
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
struct pp_chain *pp_build_chain(struct pp_rule **rules, u32 n,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack);
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
