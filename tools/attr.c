// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: a struct rule to PKTPATH_RULE_A_* attributes and back, and the
 * callbacks that turn the kernel's messages into a struct ruleset.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "pktpath.h"

/* An upper bound of one rule's nest (about 300 bytes as of now). */
size_t rule_attr_size(void)
{
	return 512;
}

void rule_put(struct nlmsghdr *nlh, u16 type, const struct rule *r)
{
	int alen = r->family == NFPROTO_IPV6 ? 16 : 4;
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_FAMILY, r->family);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_HOOK, r->hook);
	if (r->has_handle)
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_HANDLE, r->handle);
	if (r->has_index)
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_INDEX, r->index);
	if (r->iif[0])
		mnl_attr_put_strz(nlh, PKTPATH_RULE_A_IIFNAME, r->iif);
	if (r->oif[0])
		mnl_attr_put_strz(nlh, PKTPATH_RULE_A_OIFNAME, r->oif);
	if (r->has_saddr) {
		mnl_attr_put(nlh, PKTPATH_RULE_A_SADDR, alen, r->saddr);
		mnl_attr_put_u8(nlh, PKTPATH_RULE_A_SADDR_PLEN, r->saddr_plen);
	}
	if (r->has_daddr) {
		mnl_attr_put(nlh, PKTPATH_RULE_A_DADDR, alen, r->daddr);
		mnl_attr_put_u8(nlh, PKTPATH_RULE_A_DADDR_PLEN, r->daddr_plen);
	}
	if (r->has_proto)
		mnl_attr_put_u8(nlh, PKTPATH_RULE_A_L4PROTO, r->proto);
	if (r->has_sport) {
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_SPORT_MIN, r->sport_min);
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_SPORT_MAX, r->sport_max);
	}
	if (r->has_dport) {
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MIN, r->dport_min);
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MAX, r->dport_max);
	}
	if (r->has_icmp_type)
		mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ICMP_TYPE, r->icmp_type);
	if (r->ct_state)
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_CT_STATE, r->ct_state);
	if (r->has_mark) {
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_MARK, r->mark);
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_MARK_MASK, r->mark_mask);
	}
	if (r->syn)
		mnl_attr_put(nlh, PKTPATH_RULE_A_TCP_SYN, 0, NULL);

	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, r->action);
	if (r->action == PKTPATH_ACT_REJECT) {
		mnl_attr_put_u8(nlh, PKTPATH_RULE_A_REJECT_WITH, r->reject_with);
		if (r->has_reject_code)
			mnl_attr_put_u8(nlh, PKTPATH_RULE_A_REJECT_CODE, r->reject_code);
	}
	if (r->action == PKTPATH_ACT_MARK || r->action == PKTPATH_ACT_CTMARK)
		mnl_attr_put_u32(nlh, PKTPATH_RULE_A_SET_MARK, r->set_mark);
	if (r->has_nat_addr) {
		mnl_attr_put(nlh, PKTPATH_RULE_A_NAT_ADDR_MIN, alen, r->nat_addr_min);
		if (memcmp(r->nat_addr_min, r->nat_addr_max, alen))
			mnl_attr_put(nlh, PKTPATH_RULE_A_NAT_ADDR_MAX, alen, r->nat_addr_max);
	}
	if (r->has_nat_port) {
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_NAT_PORT_MIN, r->nat_port_min);
		mnl_attr_put_u16(nlh, PKTPATH_RULE_A_NAT_PORT_MAX, r->nat_port_max);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* The expected payload size of each PKTPATH_RULE_A_*; -1: any. */
static int rule_attr_len(u16 type)
{
	switch (type) {
	case PKTPATH_RULE_A_FAMILY: case PKTPATH_RULE_A_HOOK:
	case PKTPATH_RULE_A_SADDR_PLEN: case PKTPATH_RULE_A_DADDR_PLEN:
	case PKTPATH_RULE_A_L4PROTO: case PKTPATH_RULE_A_ICMP_TYPE:
	case PKTPATH_RULE_A_ACTION: case PKTPATH_RULE_A_REJECT_WITH:
	case PKTPATH_RULE_A_REJECT_CODE:
		return 1;
	case PKTPATH_RULE_A_SPORT_MIN: case PKTPATH_RULE_A_SPORT_MAX:
	case PKTPATH_RULE_A_DPORT_MIN: case PKTPATH_RULE_A_DPORT_MAX:
	case PKTPATH_RULE_A_NAT_PORT_MIN: case PKTPATH_RULE_A_NAT_PORT_MAX:
		return 2;
	case PKTPATH_RULE_A_HANDLE: case PKTPATH_RULE_A_INDEX:
	case PKTPATH_RULE_A_CT_STATE: case PKTPATH_RULE_A_MARK:
	case PKTPATH_RULE_A_MARK_MASK: case PKTPATH_RULE_A_SET_MARK:
		return 4;
	case PKTPATH_RULE_A_PACKETS: case PKTPATH_RULE_A_BYTES:
		return 8;
	default:
		return -1;
	}
}

static int table_cb(const struct nlattr *a, void *data, u16 max)
{
	const struct nlattr **tb = data;
	u16 type = mnl_attr_get_type(a);

	if (type <= max)
		tb[type] = a;
	return MNL_CB_OK;
}

static int rule_table_cb(const struct nlattr *a, void *data)
{
	return table_cb(a, data, PKTPATH_RULE_A_MAX);
}

static int chain_table_cb(const struct nlattr *a, void *data)
{
	return table_cb(a, data, PKTPATH_CHAIN_A_MAX);
}

static int get_addr(const struct nlattr *a, u8 family, u8 *addr)
{
	int alen = family == NFPROTO_IPV6 ? 16 : 4;

	if (mnl_attr_get_payload_len(a) != alen)
		return -1;
	memcpy(addr, mnl_attr_get_payload(a), alen);
	return 0;
}

static u64 get_u64(const struct nlattr *a)
{
	u64 v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}

static int get_ifname(const struct nlattr *a, char *name)
{
	const char *s = mnl_attr_get_payload(a);
	size_t len = strnlen(s, mnl_attr_get_payload_len(a));

	if (len >= PKTPATH_IFNAMSIZ)
		return -1;
	memcpy(name, s, len);
	name[len] = '\0';
	return 0;
}

int rule_from_attr(const struct nlattr *nest, struct rule *r)
{
	const struct nlattr *tb[PKTPATH_RULE_A_MAX + 1] = { NULL };
	int t, len;

	memset(r, 0, sizeof(*r));
	if (mnl_attr_parse_nested(nest, rule_table_cb, tb) < 0)
		return -1;
	for (t = 0; t <= PKTPATH_RULE_A_MAX; t++) {
		len = rule_attr_len(t);
		if (tb[t] && len >= 0 && mnl_attr_get_payload_len(tb[t]) != len)
			return -1;
	}
	if (!tb[PKTPATH_RULE_A_FAMILY] || !tb[PKTPATH_RULE_A_HOOK])
		return -1;
	r->family = mnl_attr_get_u8(tb[PKTPATH_RULE_A_FAMILY]);
	r->hook = mnl_attr_get_u8(tb[PKTPATH_RULE_A_HOOK]);
	if ((r->family != NFPROTO_IPV4 && r->family != NFPROTO_IPV6) || r->hook >= NR_HOOKS)
		return -1;
	if (tb[PKTPATH_RULE_A_HANDLE]) {
		r->has_handle = true;
		r->handle = mnl_attr_get_u32(tb[PKTPATH_RULE_A_HANDLE]);
	}
	if (tb[PKTPATH_RULE_A_INDEX]) {
		r->has_index = true;
		r->index = mnl_attr_get_u32(tb[PKTPATH_RULE_A_INDEX]);
	}
	if (tb[PKTPATH_RULE_A_IIFNAME] && get_ifname(tb[PKTPATH_RULE_A_IIFNAME], r->iif))
		return -1;
	if (tb[PKTPATH_RULE_A_OIFNAME] && get_ifname(tb[PKTPATH_RULE_A_OIFNAME], r->oif))
		return -1;
	if (tb[PKTPATH_RULE_A_SADDR]) {
		if (get_addr(tb[PKTPATH_RULE_A_SADDR], r->family, r->saddr))
			return -1;
		r->has_saddr = true;
		r->saddr_plen = r->family == NFPROTO_IPV6 ? 128 : 32;
		if (tb[PKTPATH_RULE_A_SADDR_PLEN])
			r->saddr_plen = mnl_attr_get_u8(tb[PKTPATH_RULE_A_SADDR_PLEN]);
	}
	if (tb[PKTPATH_RULE_A_DADDR]) {
		if (get_addr(tb[PKTPATH_RULE_A_DADDR], r->family, r->daddr))
			return -1;
		r->has_daddr = true;
		r->daddr_plen = r->family == NFPROTO_IPV6 ? 128 : 32;
		if (tb[PKTPATH_RULE_A_DADDR_PLEN])
			r->daddr_plen = mnl_attr_get_u8(tb[PKTPATH_RULE_A_DADDR_PLEN]);
	}
	if (tb[PKTPATH_RULE_A_L4PROTO]) {
		r->has_proto = true;
		r->proto = mnl_attr_get_u8(tb[PKTPATH_RULE_A_L4PROTO]);
	}
	if (tb[PKTPATH_RULE_A_SPORT_MIN]) {
		r->has_sport = true;
		r->sport_min = mnl_attr_get_u16(tb[PKTPATH_RULE_A_SPORT_MIN]);
		r->sport_max = tb[PKTPATH_RULE_A_SPORT_MAX] ?
			mnl_attr_get_u16(tb[PKTPATH_RULE_A_SPORT_MAX]) : r->sport_min;
	}
	if (tb[PKTPATH_RULE_A_DPORT_MIN]) {
		r->has_dport = true;
		r->dport_min = mnl_attr_get_u16(tb[PKTPATH_RULE_A_DPORT_MIN]);
		r->dport_max = tb[PKTPATH_RULE_A_DPORT_MAX] ?
			mnl_attr_get_u16(tb[PKTPATH_RULE_A_DPORT_MAX]) : r->dport_min;
	}
	if (tb[PKTPATH_RULE_A_ICMP_TYPE]) {
		r->has_icmp_type = true;
		r->icmp_type = mnl_attr_get_u8(tb[PKTPATH_RULE_A_ICMP_TYPE]);
	}
	if (tb[PKTPATH_RULE_A_CT_STATE])
		r->ct_state = mnl_attr_get_u32(tb[PKTPATH_RULE_A_CT_STATE]);
	if (tb[PKTPATH_RULE_A_MARK]) {
		r->has_mark = true;
		r->mark = mnl_attr_get_u32(tb[PKTPATH_RULE_A_MARK]);
		r->mark_mask = tb[PKTPATH_RULE_A_MARK_MASK] ?
			mnl_attr_get_u32(tb[PKTPATH_RULE_A_MARK_MASK]) : 0xffffffff;
	}
	r->syn = tb[PKTPATH_RULE_A_TCP_SYN];

	if (!tb[PKTPATH_RULE_A_ACTION])
		return -1;
	r->has_action = true;
	r->action = mnl_attr_get_u8(tb[PKTPATH_RULE_A_ACTION]);
	if (tb[PKTPATH_RULE_A_REJECT_WITH])
		r->reject_with = mnl_attr_get_u8(tb[PKTPATH_RULE_A_REJECT_WITH]);
	if (tb[PKTPATH_RULE_A_REJECT_CODE]) {
		r->has_reject_code = true;
		r->reject_code = mnl_attr_get_u8(tb[PKTPATH_RULE_A_REJECT_CODE]);
	}
	if (tb[PKTPATH_RULE_A_SET_MARK])
		r->set_mark = mnl_attr_get_u32(tb[PKTPATH_RULE_A_SET_MARK]);
	if (tb[PKTPATH_RULE_A_NAT_ADDR_MIN]) {
		if (get_addr(tb[PKTPATH_RULE_A_NAT_ADDR_MIN], r->family, r->nat_addr_min))
			return -1;
		r->has_nat_addr = true;
		memcpy(r->nat_addr_max, r->nat_addr_min, sizeof(r->nat_addr_max));
		if (tb[PKTPATH_RULE_A_NAT_ADDR_MAX] &&
		    get_addr(tb[PKTPATH_RULE_A_NAT_ADDR_MAX], r->family, r->nat_addr_max))
			return -1;
	}
	if (tb[PKTPATH_RULE_A_NAT_PORT_MIN]) {
		r->has_nat_port = true;
		r->nat_port_min = mnl_attr_get_u16(tb[PKTPATH_RULE_A_NAT_PORT_MIN]);
		r->nat_port_max = tb[PKTPATH_RULE_A_NAT_PORT_MAX] ?
			mnl_attr_get_u16(tb[PKTPATH_RULE_A_NAT_PORT_MAX]) : r->nat_port_min;
	}
	if (tb[PKTPATH_RULE_A_PACKETS])
		r->packets = get_u64(tb[PKTPATH_RULE_A_PACKETS]);
	if (tb[PKTPATH_RULE_A_BYTES])
		r->bytes = get_u64(tb[PKTPATH_RULE_A_BYTES]);
	return 0;
}

static int chain_from_attr(const struct nlattr *nest, struct ruleset *rs)
{
	const struct nlattr *tb[PKTPATH_CHAIN_A_MAX + 1] = { NULL }, *a;
	struct chain *c;
	u8 family, hook;

	if (mnl_attr_parse_nested(nest, chain_table_cb, tb) < 0 ||
	    !tb[PKTPATH_CHAIN_A_FAMILY] || !tb[PKTPATH_CHAIN_A_HOOK] ||
	    mnl_attr_get_payload_len(tb[PKTPATH_CHAIN_A_FAMILY]) != 1 ||
	    mnl_attr_get_payload_len(tb[PKTPATH_CHAIN_A_HOOK]) != 1)
		return -1;
	family = mnl_attr_get_u8(tb[PKTPATH_CHAIN_A_FAMILY]);
	hook = mnl_attr_get_u8(tb[PKTPATH_CHAIN_A_HOOK]);
	if ((family != NFPROTO_IPV4 && family != NFPROTO_IPV6) || hook >= NR_HOOKS)
		return -1;
	c = ruleset_chain(rs, family, hook);
	a = tb[PKTPATH_CHAIN_A_POLICY];
	if (a && mnl_attr_get_payload_len(a) == 1)
		c->policy = mnl_attr_get_u8(a);
	a = tb[PKTPATH_CHAIN_A_PACKETS];
	if (a && mnl_attr_get_payload_len(a) == 8)
		c->packets = get_u64(a);
	a = tb[PKTPATH_CHAIN_A_BYTES];
	if (a && mnl_attr_get_payload_len(a) == 8)
		c->bytes = get_u64(a);
	a = tb[PKTPATH_CHAIN_A_MALFORMED];
	if (a && mnl_attr_get_payload_len(a) == 8)
		c->malformed = get_u64(a);
	return 0;
}

/* One message of a GET_RULESET dump into the struct ruleset at data. */
int ruleset_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ruleset *rs = data;
	const struct nlattr *a;
	struct rule r;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case PKTPATH_A_CHAIN:
			if (chain_from_attr(a, rs))
				goto bad;
			break;
		case PKTPATH_A_RULE:
			if (rule_from_attr(a, &r))
				goto bad;
			if (chain_add_rule(ruleset_chain(rs, r.family, r.hook), &r)) {
				errno = ENOMEM;
				return MNL_CB_ERROR;
			}
			break;
		case PKTPATH_A_GENERATION:
			if (mnl_attr_get_payload_len(a) != 4)
				goto bad;
			if (rs->has_generation && rs->generation != mnl_attr_get_u32(a))
				rs->inconsistent = true;
			rs->generation = mnl_attr_get_u32(a);
			rs->has_generation = true;
			break;
		}
	}
	return MNL_CB_OK;
bad:
	errno = EPROTO;
	return MNL_CB_ERROR;
}

/* ADD_RULE's reply: the new rule's handle into the struct rule at data. */
int add_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PKTPATH_RULE_A_MAX + 1], *a, *h;
	struct rule *out = data;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != PKTPATH_A_RULE)
			continue;
		memset(tb, 0, sizeof(tb));
		if (mnl_attr_parse_nested(a, rule_table_cb, tb) < 0)
			continue;
		h = tb[PKTPATH_RULE_A_HANDLE];
		if (h && mnl_attr_get_payload_len(h) == 4) {
			out->handle = mnl_attr_get_u32(h);
			out->has_handle = true;
		}
	}
	return MNL_CB_OK;
}
