// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: a rule to and from its netlink attributes.
 *
 * The policies check types and ranges; the code here checks what depends
 * on more than one attribute (an address's length and the family, ports
 * and the protocol, an action and its hook). Every refusal names the
 * attribute and says why in the extended ack.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/string.h>

#include "pktpath_nf.h"

#define PP_ADDR_POLICY	{ .type = NLA_BINARY, .len = sizeof(struct in6_addr) }
#define PP_IFNAME_POLICY { .type = NLA_STRING, .len = IFNAMSIZ - 1 }
#define PP_OUT_ONLY { .type = NLA_REJECT, \
		      .reject_message = "attribute is reported, not set" }

const struct nla_policy pp_chain_policy[PKTPATH_CHAIN_A_MAX + 1] = {
	[PKTPATH_CHAIN_A_FAMILY]	= { .type = NLA_U8 },
	[PKTPATH_CHAIN_A_HOOK]	= NLA_POLICY_MAX(NLA_U8, NF_INET_POST_ROUTING),
	[PKTPATH_CHAIN_A_POLICY] = NLA_POLICY_MAX(NLA_U8, PKTPATH_POLICY_DROP),
	/* What a dump reports is not for a request to set. */
	[PKTPATH_CHAIN_A_RULES]		= PP_OUT_ONLY,
	[PKTPATH_CHAIN_A_PACKETS]	= PP_OUT_ONLY,
	[PKTPATH_CHAIN_A_BYTES]		= PP_OUT_ONLY,
	[PKTPATH_CHAIN_A_PAD]		= PP_OUT_ONLY,
	[PKTPATH_CHAIN_A_MALFORMED]	= PP_OUT_ONLY,
};

const struct nla_policy pp_rule_policy[PKTPATH_RULE_A_MAX + 1] = {
	[PKTPATH_RULE_A_FAMILY]		= { .type = NLA_U8 },
	[PKTPATH_RULE_A_HOOK]	= NLA_POLICY_MAX(NLA_U8, NF_INET_POST_ROUTING),
	[PKTPATH_RULE_A_HANDLE]		= NLA_POLICY_MIN(NLA_U32, 1),
	[PKTPATH_RULE_A_INDEX]		= { .type = NLA_U32 },
	[PKTPATH_RULE_A_IIFNAME]	= PP_IFNAME_POLICY,
	[PKTPATH_RULE_A_OIFNAME]	= PP_IFNAME_POLICY,
	[PKTPATH_RULE_A_SADDR]		= PP_ADDR_POLICY,
	[PKTPATH_RULE_A_SADDR_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[PKTPATH_RULE_A_DADDR]		= PP_ADDR_POLICY,
	[PKTPATH_RULE_A_DADDR_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[PKTPATH_RULE_A_L4PROTO]	= { .type = NLA_U8 },
	[PKTPATH_RULE_A_SPORT_MIN]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_SPORT_MAX]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_DPORT_MIN]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_DPORT_MAX]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_ICMP_TYPE]	= { .type = NLA_U8 },
	[PKTPATH_RULE_A_CT_STATE]	= NLA_POLICY_MASK(NLA_U32, PKTPATH_CT_ALL),
	[PKTPATH_RULE_A_MARK]		= { .type = NLA_U32 },
	[PKTPATH_RULE_A_MARK_MASK]	= { .type = NLA_U32 },
	[PKTPATH_RULE_A_TCP_SYN]	= { .type = NLA_FLAG },
	[PKTPATH_RULE_A_ACTION]	= NLA_POLICY_MAX(NLA_U8, PKTPATH_ACT_MAX),
	[PKTPATH_RULE_A_REJECT_WITH] =
		NLA_POLICY_MAX(NLA_U8, PKTPATH_REJECT_TCP_RESET),
	[PKTPATH_RULE_A_REJECT_CODE]	= { .type = NLA_U8 },
	[PKTPATH_RULE_A_SET_MARK]	= { .type = NLA_U32 },
	[PKTPATH_RULE_A_NAT_ADDR_MIN]	= PP_ADDR_POLICY,
	[PKTPATH_RULE_A_NAT_ADDR_MAX]	= PP_ADDR_POLICY,
	[PKTPATH_RULE_A_NAT_PORT_MIN]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_NAT_PORT_MAX]	= { .type = NLA_U16 },
	[PKTPATH_RULE_A_PACKETS]	= PP_OUT_ONLY,
	[PKTPATH_RULE_A_BYTES]		= PP_OUT_ONLY,
	[PKTPATH_RULE_A_PAD]		= PP_OUT_ONLY,
};

/* NL_SET_ERR_MSG_ATTR() as a function: @msg must be a string literal. */
static int pp_inval(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
	return -EINVAL;
}

/* FAMILY and HOOK share their numbers in the chain and rule nests. */
int pp_nl_chain_id(struct nlattr **tb, int fattr, int hattr,
		   unsigned int *idx, const struct nlattr *nest,
		   struct netlink_ext_ack *extack)
{
	u8 family;

	if (!tb[fattr])
		return pp_inval(extack, nest, "missing family");
	if (!tb[hattr])
		return pp_inval(extack, nest, "missing hook");
	family = nla_get_u8(tb[fattr]);
	if (family != NFPROTO_IPV4 && family != NFPROTO_IPV6)
		return pp_inval(extack, tb[fattr], "family must be ip (2) or ip6 (10)");
	*idx = pp_chain_idx(family, nla_get_u8(tb[hattr]));
	return 0;
}

static unsigned int pp_alen(const struct pp_rule *rule)
{
	return rule->nfproto == NFPROTO_IPV6 ? 16 : 4;
}

static int pp_get_addr(const struct pp_rule *rule, const struct nlattr *attr,
		       union nf_inet_addr *addr,
		       struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != pp_alen(rule))
		return pp_inval(extack, attr, "address length does not match the family");
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, attr, pp_alen(rule));
	return 0;
}

/* An address match: store the address masked, as the classifier keys it. */
static int pp_get_prefix(struct pp_rule *rule, struct nlattr **tb, int aattr,
			 int lattr, union nf_inet_addr *addr, u8 *plen,
			 struct netlink_ext_ack *extack)
{
	union nf_inet_addr mask;
	int err, i;

	if (!tb[aattr]) {
		if (tb[lattr])
			return pp_inval(extack, tb[lattr], "prefix length without an address");
		return 0;
	}
	err = pp_get_addr(rule, tb[aattr], addr, extack);
	if (err)
		return err;
	*plen = pp_alen(rule) * 8;
	if (tb[lattr])
		*plen = nla_get_u8(tb[lattr]);
	if (*plen > pp_alen(rule) * 8)
		return pp_inval(extack, tb[lattr], "prefix length too long for the family");
	pp_prefix_mask(&mask, *plen, rule->nfproto == NFPROTO_IPV6);
	for (i = 0; i < 4; i++)
		addr->all[i] &= mask.all[i];
	return 0;
}

static int pp_get_range(struct nlattr **tb, int minattr, u16 *min, u16 *max,
			const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	if (!tb[minattr]) {
		if (tb[minattr + 1])
			return pp_inval(extack, tb[minattr + 1], "port range without a minimum");
		return 0;
	}
	*min = nla_get_u16(tb[minattr]);
	*max = tb[minattr + 1] ? nla_get_u16(tb[minattr + 1]) : *min;
	if (*min > *max)
		return pp_inval(extack, tb[minattr + 1], "port range minimum above maximum");
	return 1;
}

/* An interface name; "eth*" (a final '*') matches every name from "eth". */
static int pp_get_ifname(const struct nlattr *attr, char *name, u8 *len,
			 struct netlink_ext_ack *extack)
{
	ssize_t n = nla_strscpy(name, attr, IFNAMSIZ);

	if (n <= 0)
		return pp_inval(extack, attr, "bad interface name");
	*len = IFNAMSIZ;
	if (name[n - 1] == '*')
		*len = n - 1;
	return 0;
}

static int pp_get_matches(struct pp_rule *rule, struct nlattr **tb,
			  const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	u8 icmp = rule->nfproto == NFPROTO_IPV6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	bool ports;
	int err;

	/* No input device where packets leave, no output one where they come. */
	if (tb[PKTPATH_RULE_A_IIFNAME] &&
	    (rule->hook == NF_INET_LOCAL_OUT ||
	     rule->hook == NF_INET_POST_ROUTING))
		return pp_inval(extack, tb[PKTPATH_RULE_A_IIFNAME],
				"iif is not valid at output or postrouting");
	if (tb[PKTPATH_RULE_A_OIFNAME] &&
	    (rule->hook == NF_INET_PRE_ROUTING ||
	     rule->hook == NF_INET_LOCAL_IN))
		return pp_inval(extack, tb[PKTPATH_RULE_A_OIFNAME],
				"oif is not valid at prerouting or input");
	if (tb[PKTPATH_RULE_A_IIFNAME]) {
		rule->match |= PP_M_IIF;
		err = pp_get_ifname(tb[PKTPATH_RULE_A_IIFNAME], rule->iifname,
				    &rule->iiflen, extack);
		if (err)
			return err;
	}
	if (tb[PKTPATH_RULE_A_OIFNAME]) {
		rule->match |= PP_M_OIF;
		err = pp_get_ifname(tb[PKTPATH_RULE_A_OIFNAME], rule->oifname,
				    &rule->oiflen, extack);
		if (err)
			return err;
	}
	err = pp_get_prefix(rule, tb, PKTPATH_RULE_A_SADDR,
			    PKTPATH_RULE_A_SADDR_PLEN, &rule->saddr,
			    &rule->splen, extack);
	if (!err)
		err = pp_get_prefix(rule, tb, PKTPATH_RULE_A_DADDR,
				    PKTPATH_RULE_A_DADDR_PLEN, &rule->daddr,
				    &rule->dplen, extack);
	if (err)
		return err;
	if (tb[PKTPATH_RULE_A_SADDR])
		rule->match |= PP_M_SADDR;
	if (tb[PKTPATH_RULE_A_DADDR])
		rule->match |= PP_M_DADDR;
	if (tb[PKTPATH_RULE_A_L4PROTO]) {
		rule->match |= PP_M_PROTO;
		rule->l4proto = nla_get_u8(tb[PKTPATH_RULE_A_L4PROTO]);
	}
	ports = rule->match & PP_M_PROTO &&
		(rule->l4proto == IPPROTO_TCP || rule->l4proto == IPPROTO_UDP);

	err = pp_get_range(tb, PKTPATH_RULE_A_SPORT_MIN, &rule->sport_min,
			   &rule->sport_max, nest, extack);
	if (err < 0)
		return err;
	if (err) {
		rule->match |= PP_M_SPORT;
		if (!ports)
			return pp_inval(extack, tb[PKTPATH_RULE_A_SPORT_MIN],
					"sport needs proto tcp or udp");
	}
	err = pp_get_range(tb, PKTPATH_RULE_A_DPORT_MIN, &rule->dport_min,
			   &rule->dport_max, nest, extack);
	if (err < 0)
		return err;
	if (err) {
		rule->match |= PP_M_DPORT;
		if (!ports)
			return pp_inval(extack, tb[PKTPATH_RULE_A_DPORT_MIN],
					"dport needs proto tcp or udp");
	}
	if (tb[PKTPATH_RULE_A_ICMP_TYPE]) {
		rule->match |= PP_M_ICMP;
		rule->icmp_type = nla_get_u8(tb[PKTPATH_RULE_A_ICMP_TYPE]);
		if (!(rule->match & PP_M_PROTO) || rule->l4proto != icmp) {
			if (icmp == IPPROTO_ICMP)
				return pp_inval(extack, tb[PKTPATH_RULE_A_ICMP_TYPE],
						"icmp-type needs proto icmp");
			return pp_inval(extack, tb[PKTPATH_RULE_A_ICMP_TYPE],
					"icmp-type needs proto icmpv6");
		}
	}
	if (tb[PKTPATH_RULE_A_CT_STATE]) {
		rule->match |= PP_M_CT;
		rule->ct_state = nla_get_u32(tb[PKTPATH_RULE_A_CT_STATE]);
		if (!rule->ct_state)
			return pp_inval(extack, tb[PKTPATH_RULE_A_CT_STATE], "empty ct state");
	}
	if (tb[PKTPATH_RULE_A_MARK]) {
		rule->match |= PP_M_MARK;
		rule->mark = nla_get_u32(tb[PKTPATH_RULE_A_MARK]);
		rule->mark_mask = U32_MAX;
		if (tb[PKTPATH_RULE_A_MARK_MASK])
			rule->mark_mask = nla_get_u32(tb[PKTPATH_RULE_A_MARK_MASK]);
		if (rule->mark & ~rule->mark_mask)
			return pp_inval(extack, tb[PKTPATH_RULE_A_MARK],
					"mark has bits outside its mask: it can never match");
	} else if (tb[PKTPATH_RULE_A_MARK_MASK]) {
		return pp_inval(extack, tb[PKTPATH_RULE_A_MARK_MASK], "mark mask without a mark");
	}
	if (nla_get_flag(tb[PKTPATH_RULE_A_TCP_SYN])) {
		rule->match |= PP_M_SYN;
		if (!(rule->match & PP_M_PROTO) || rule->l4proto != IPPROTO_TCP)
			return pp_inval(extack, tb[PKTPATH_RULE_A_TCP_SYN], "syn needs proto tcp");
	}
	return 0;
}

/* Where each NAT action may sit, and what to say when it is elsewhere. */
static int pp_check_nat_hook(const struct pp_rule *rule,
			     const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	unsigned int h = rule->hook;
	bool in = h == NF_INET_PRE_ROUTING || h == NF_INET_LOCAL_OUT;
	bool out = h == NF_INET_POST_ROUTING || h == NF_INET_LOCAL_IN;
	const char *msg = NULL;

	switch (rule->action) {
	case PKTPATH_ACT_SNAT:
		if (!out)
			msg = "snat is only valid at postrouting and input";
		break;
	case PKTPATH_ACT_MASQUERADE:
		if (h != NF_INET_POST_ROUTING)
			msg = "masquerade is only valid at postrouting";
		break;
	case PKTPATH_ACT_DNAT:
		if (!in)
			msg = "dnat is only valid at prerouting and output";
		break;
	case PKTPATH_ACT_REDIRECT:
		if (!in)
			msg = "redirect is only valid at prerouting and output";
		break;
	}
	return msg ? pp_inval(extack, attr, msg) : 0;
}

static int pp_get_nat(struct pp_rule *rule, struct nlattr **tb,
		      const struct nlattr *nest,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *amin = tb[PKTPATH_RULE_A_NAT_ADDR_MIN];
	struct nlattr *amax = tb[PKTPATH_RULE_A_NAT_ADDR_MAX];
	bool nat = pp_action_is_nat(rule->action);
	bool addr = rule->action == PKTPATH_ACT_SNAT ||
		    rule->action == PKTPATH_ACT_DNAT;
	int err;

	if (!addr && (amin || amax))
		return pp_inval(extack, amin ?: amax, "only snat and dnat take an address");
	if (addr && !amin)
		return pp_inval(extack, tb[PKTPATH_RULE_A_ACTION], "snat and dnat need an address");
	if (amax && !amin)
		return pp_inval(extack, amax, "nat address range without a minimum");
	err = pp_get_range(tb, PKTPATH_RULE_A_NAT_PORT_MIN, &rule->nat_port_min,
			   &rule->nat_port_max, nest, extack);
	if (err < 0)
		return err;
	if (err) {
		if (!nat)
			return pp_inval(extack, tb[PKTPATH_RULE_A_NAT_PORT_MIN],
					"only nat actions take ports");
		/* Else the core would map ICMP ids and other protocols' keys. */
		if (!(rule->match & PP_M_PROTO) ||
		    (rule->l4proto != IPPROTO_TCP && rule->l4proto != IPPROTO_UDP))
			return pp_inval(extack, tb[PKTPATH_RULE_A_NAT_PORT_MIN],
					"nat ports need proto tcp or udp");
		rule->aflags |= PP_A_NAT_PORT;
	}
	if (!addr)
		return 0;
	err = pp_get_addr(rule, amin, &rule->nat_addr_min, extack);
	if (err)
		return err;
	rule->nat_addr_max = rule->nat_addr_min;
	if (amax) {
		err = pp_get_addr(rule, amax, &rule->nat_addr_max, extack);
		if (err)
			return err;
		/* Network order compares as big-endian bytes. */
		if (memcmp(&rule->nat_addr_min, &rule->nat_addr_max,
			   pp_alen(rule)) > 0)
			return pp_inval(extack, amax, "nat address range minimum above maximum");
	}
	rule->aflags |= PP_A_NAT_ADDR;
	return 0;
}

/*
 * The destination unreachable codes a reject may send: ICMP's but
 * "fragmentation needed", which needs an MTU, and ICMPv6's up to "reject
 * route".
 */
static bool pp_reject_code_ok(const struct pp_rule *rule)
{
	BUILD_BUG_ON(PKTPATH_REJECT_CODE6_MAX != ICMPV6_REJECT_ROUTE);
	BUILD_BUG_ON(PKTPATH_REJECT_CODE_MAX != NR_ICMP_UNREACH);
	if (rule->nfproto == NFPROTO_IPV6)
		return rule->reject_code <= PKTPATH_REJECT_CODE6_MAX;
	return rule->reject_code <= PKTPATH_REJECT_CODE_MAX &&
	       rule->reject_code != ICMP_FRAG_NEEDED;
}

static int pp_get_reject(struct pp_rule *rule, struct nlattr **tb,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *with = tb[PKTPATH_RULE_A_REJECT_WITH];
	struct nlattr *code = tb[PKTPATH_RULE_A_REJECT_CODE];

	if (rule->action != PKTPATH_ACT_REJECT) {
		if (with || code)
			return pp_inval(extack, with ?: code, "reject options need action reject");
		return 0;
	}
	if (rule->hook == NF_INET_POST_ROUTING)
		return pp_inval(extack, tb[PKTPATH_RULE_A_ACTION],
				"reject is not valid at postrouting");
	rule->reject_with = with ? nla_get_u8(with) : PKTPATH_REJECT_ICMP;
	if (rule->reject_with == PKTPATH_REJECT_TCP_RESET) {
		if (!(rule->match & PP_M_PROTO) || rule->l4proto != IPPROTO_TCP)
			return pp_inval(extack, with, "reject with tcp-reset needs proto tcp");
		if (code)
			return pp_inval(extack, code, "a tcp reset takes no icmp code");
		return 0;
	}
	rule->reject_code = rule->nfproto == NFPROTO_IPV6 ?
			    ICMPV6_PORT_UNREACH : ICMP_PORT_UNREACH;
	if (code) {
		rule->reject_code = nla_get_u8(code);
		rule->aflags |= PP_A_REJECT_CODE;
		if (!pp_reject_code_ok(rule))
			return pp_inval(extack, code,
					"reject code out of range for this family");
	}
	return 0;
}

static int pp_get_action(struct pp_rule *rule, struct nlattr **tb,
			 const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *set = tb[PKTPATH_RULE_A_SET_MARK];
	bool marks;
	int err;

	if (!tb[PKTPATH_RULE_A_ACTION])
		return pp_inval(extack, nest, "missing action");
	rule->action = nla_get_u8(tb[PKTPATH_RULE_A_ACTION]);
	marks = rule->action == PKTPATH_ACT_MARK ||
		rule->action == PKTPATH_ACT_CTMARK;
	if (marks && !set)
		return pp_inval(extack, tb[PKTPATH_RULE_A_ACTION], "mark set needs a value");
	if (!marks && set)
		return pp_inval(extack, set, "only mark and ct mark actions set a mark");
	if (set)
		rule->set_mark = nla_get_u32(set);
	err = pp_check_nat_hook(rule, tb[PKTPATH_RULE_A_ACTION], extack);
	if (!err)
		err = pp_get_nat(rule, tb, nest, extack);
	if (!err)
		err = pp_get_reject(rule, tb, extack);
	return err;
}

/*
 * A new rule from a PKTPATH_A_RULE nest, handle as given (0 if none), or
 * an ERR_PTR with the extended ack set.
 */
struct pp_rule *pp_rule_from_nl(const struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PKTPATH_RULE_A_MAX + 1];
	struct pp_rule *rule;
	unsigned int idx;
	int err;

	err = nla_parse_nested(tb, PKTPATH_RULE_A_MAX, nest, pp_rule_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	err = pp_nl_chain_id(tb, PKTPATH_RULE_A_FAMILY, PKTPATH_RULE_A_HOOK,
			     &idx, nest, extack);
	if (err)
		return ERR_PTR(err);
	rule = pp_rule_alloc();
	if (!rule)
		return ERR_PTR(-ENOMEM);
	rule->nfproto = pp_chain_nfproto(idx);
	rule->hook = pp_chain_hook(idx);
	if (tb[PKTPATH_RULE_A_HANDLE])
		rule->handle = nla_get_u32(tb[PKTPATH_RULE_A_HANDLE]);
	err = pp_get_matches(rule, tb, nest, extack);
	if (!err)
		err = pp_get_action(rule, tb, nest, extack);
	if (err) {
		pp_rule_put(rule);
		return ERR_PTR(err);
	}
	return rule;
}

static int pp_put_ports(struct sk_buff *skb, int attr, u16 min, u16 max)
{
	if (nla_put_u16(skb, attr, min) || nla_put_u16(skb, attr + 1, max))
		return -EMSGSIZE;
	return 0;
}

static int pp_put_matches(struct sk_buff *skb, const struct pp_rule *r)
{
	unsigned int alen = pp_alen(r);
	u16 m = r->match;

	if (((m & PP_M_IIF) &&
	     nla_put_string(skb, PKTPATH_RULE_A_IIFNAME, r->iifname)) ||
	    ((m & PP_M_OIF) &&
	     nla_put_string(skb, PKTPATH_RULE_A_OIFNAME, r->oifname)) ||
	    ((m & PP_M_SADDR) &&
	     (nla_put(skb, PKTPATH_RULE_A_SADDR, alen, &r->saddr) ||
	      nla_put_u8(skb, PKTPATH_RULE_A_SADDR_PLEN, r->splen))) ||
	    ((m & PP_M_DADDR) &&
	     (nla_put(skb, PKTPATH_RULE_A_DADDR, alen, &r->daddr) ||
	      nla_put_u8(skb, PKTPATH_RULE_A_DADDR_PLEN, r->dplen))) ||
	    ((m & PP_M_PROTO) &&
	     nla_put_u8(skb, PKTPATH_RULE_A_L4PROTO, r->l4proto)) ||
	    ((m & PP_M_SPORT) &&
	     pp_put_ports(skb, PKTPATH_RULE_A_SPORT_MIN, r->sport_min,
			  r->sport_max)) ||
	    ((m & PP_M_DPORT) &&
	     pp_put_ports(skb, PKTPATH_RULE_A_DPORT_MIN, r->dport_min,
			  r->dport_max)) ||
	    ((m & PP_M_ICMP) &&
	     nla_put_u8(skb, PKTPATH_RULE_A_ICMP_TYPE, r->icmp_type)) ||
	    ((m & PP_M_CT) &&
	     nla_put_u32(skb, PKTPATH_RULE_A_CT_STATE, r->ct_state)) ||
	    ((m & PP_M_MARK) &&
	     (nla_put_u32(skb, PKTPATH_RULE_A_MARK, r->mark) ||
	      nla_put_u32(skb, PKTPATH_RULE_A_MARK_MASK, r->mark_mask))) ||
	    ((m & PP_M_SYN) && nla_put_flag(skb, PKTPATH_RULE_A_TCP_SYN)))
		return -EMSGSIZE;
	return 0;
}

static int pp_put_action(struct sk_buff *skb, const struct pp_rule *r)
{
	unsigned int alen = pp_alen(r);
	bool reject = r->action == PKTPATH_ACT_REJECT;

	if (nla_put_u8(skb, PKTPATH_RULE_A_ACTION, r->action) ||
	    (reject && r->reject_with == PKTPATH_REJECT_TCP_RESET &&
	     nla_put_u8(skb, PKTPATH_RULE_A_REJECT_WITH, r->reject_with)) ||
	    ((r->aflags & PP_A_REJECT_CODE) &&
	     nla_put_u8(skb, PKTPATH_RULE_A_REJECT_CODE, r->reject_code)) ||
	    ((r->action == PKTPATH_ACT_MARK ||
	      r->action == PKTPATH_ACT_CTMARK) &&
	     nla_put_u32(skb, PKTPATH_RULE_A_SET_MARK, r->set_mark)) ||
	    ((r->aflags & PP_A_NAT_ADDR) &&
	     (nla_put(skb, PKTPATH_RULE_A_NAT_ADDR_MIN, alen,
		      &r->nat_addr_min) ||
	      nla_put(skb, PKTPATH_RULE_A_NAT_ADDR_MAX, alen,
		      &r->nat_addr_max))) ||
	    ((r->aflags & PP_A_NAT_PORT) &&
	     pp_put_ports(skb, PKTPATH_RULE_A_NAT_PORT_MIN, r->nat_port_min,
			  r->nat_port_max)))
		return -EMSGSIZE;
	return 0;
}

/* One PKTPATH_A_RULE nest, with counters. */
int pp_rule_to_nl(struct sk_buff *skb, const struct pp_rule *rule, u32 index)
{
	struct nlattr *nest;
	u64 packets, bytes;

	nest = nla_nest_start(skb, PKTPATH_A_RULE);
	if (!nest)
		return -EMSGSIZE;
	pp_rule_counters(rule, &packets, &bytes);
	if (nla_put_u8(skb, PKTPATH_RULE_A_FAMILY, rule->nfproto) ||
	    nla_put_u8(skb, PKTPATH_RULE_A_HOOK, rule->hook) ||
	    nla_put_u32(skb, PKTPATH_RULE_A_HANDLE, rule->handle) ||
	    nla_put_u32(skb, PKTPATH_RULE_A_INDEX, index) ||
	    pp_put_matches(skb, rule) || pp_put_action(skb, rule) ||
	    nla_put_u64_64bit(skb, PKTPATH_RULE_A_PACKETS, packets,
			      PKTPATH_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, PKTPATH_RULE_A_BYTES, bytes,
			      PKTPATH_RULE_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
