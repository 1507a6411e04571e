// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: whether a rule matches a packet, field by field: what the
 * classifier's leaves check (cls_lookup.c) and the reference its tests
 * compare it with (nfmod/tests/).
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/string.h>

#include "rule.h"

/* @len: the whole name, or the part before a wildcard's '*'. */
static bool pp_ifname_match(const char *name, u8 len,
			    const struct net_device *dev)
{
	return dev && !strncmp(name, dev->name, len);
}

static bool pp_port_in(bool has, u16 port, u16 min, u16 max)
{
	return has && port >= min && port <= max;
}

static bool pp_addr_in(const union nf_inet_addr *addr,
		       const union nf_inet_addr *net, unsigned int plen,
		       bool ipv6)
{
	unsigned int w;

	for (w = 0; w < (ipv6 ? 4 : 1) && plen > 32 * w; w++) {
		unsigned int bits = min(plen - 32 * w, 32U);
		__be32 mask = htonl(~0U << (32 - bits));

		if ((addr->ip6[w] & mask) != net->ip6[w])
			return false;
	}
	return true;
}

/* Does @rule match @pkt, every field of it? */
bool pp_rule_match(const struct pp_rule *rule, const struct pp_pkt *pkt)
{
	bool v6 = rule->nfproto == NFPROTO_IPV6;
	u16 m = rule->match;

	if ((m & PP_M_SADDR) &&
	    !pp_addr_in(&pkt->key.saddr, &rule->saddr, rule->splen, v6))
		return false;
	if ((m & PP_M_DADDR) &&
	    !pp_addr_in(&pkt->key.daddr, &rule->daddr, rule->dplen, v6))
		return false;
	if ((m & PP_M_PROTO) &&
	    (!pkt->has_proto || pkt->key.proto != rule->l4proto))
		return false;
	if ((m & PP_M_IIF) &&
	    !pp_ifname_match(rule->iifname, rule->iiflen, pkt->in))
		return false;
	if ((m & PP_M_OIF) &&
	    !pp_ifname_match(rule->oifname, rule->oiflen, pkt->out))
		return false;
	if ((m & PP_M_SPORT) &&
	    !pp_port_in(pkt->has_ports, pkt->key.sport, rule->sport_min,
			rule->sport_max))
		return false;
	if ((m & PP_M_DPORT) &&
	    !pp_port_in(pkt->has_ports, pkt->key.dport, rule->dport_min,
			rule->dport_max))
		return false;
	if ((m & PP_M_ICMP) &&
	    (!pkt->has_icmp || pkt->icmp_type != rule->icmp_type))
		return false;
	if ((m & PP_M_CT) && !(pkt->ctstate & rule->ct_state))
		return false;
	if ((m & PP_M_MARK) && (pkt->mark & rule->mark_mask) != rule->mark)
		return false;
	if ((m & PP_M_SYN) && !pkt->syn)
		return false;
	return true;
}

/* The netmask of a prefix length; words past the family's length are 0. */
void pp_prefix_mask(union nf_inet_addr *mask, unsigned int plen, bool ipv6)
{
	unsigned int words = ipv6 ? 4 : 1, i;

	memset(mask, 0, sizeof(*mask));
	for (i = 0; i < words && plen; i++) {
		unsigned int bits = min(plen, 32U);

		mask->ip6[i] = htonl(bits == 32 ? ~0U : ~(~0U >> bits));
		plen -= bits;
	}
}
