// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: parsing a packet once.
 *
 * Every header is read with skb_header_pointer(), never past the end. A
 * packet whose protocol or transport header cannot be read whole is marked
 * malformed: a chain with rules that need those fields drops it rather
 * than let it slip past a rule that would deny it (hooks.c). Otherwise a
 * rule that needs an absent field does not match.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/string.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "pktpath_nf.h"

static u32 pp_ctstate(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;

	/* Untracked packets have no entry either, only their ctinfo. */
	if (!nf_ct_get(skb, &ctinfo))
		return ctinfo == IP_CT_UNTRACKED ? PKTPATH_CT_UNTRACKED :
						   PKTPATH_CT_INVALID;
	switch (ctinfo) {
	case IP_CT_NEW:
		return PKTPATH_CT_NEW;
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		return PKTPATH_CT_ESTABLISHED;
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		return PKTPATH_CT_RELATED;
	default:
		return 0;
	}
}

/*
 * The transport header at @thoff of a first (or only) fragment. A header
 * shorter than its protocol's fixed part (TCP 20 bytes with a data offset
 * of at least 5 words, UDP 8, ICMP and ICMPv6 4) leaves the packet
 * malformed: its ports, flags or type are unknown, and a chain with rules
 * that look at them drops it (hooks.c).
 */
static void pp_parse_l4(struct pp_pkt *pkt, const struct sk_buff *skb,
			unsigned int thoff, u8 icmp_proto)
{
	switch (pkt->key.proto) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th || th->doff < 5) {
			pkt->malformed = true;
			return;
		}
		pkt->key.sport = ntohs(th->source);
		pkt->key.dport = ntohs(th->dest);
		pkt->has_ports = true;
		/* iptables' --syn: SYN alone of SYN, ACK, RST and FIN. */
		pkt->syn = th->syn && !th->ack && !th->rst && !th->fin;
		return;
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh) {
			pkt->malformed = true;
			return;
		}
		pkt->key.sport = ntohs(uh->source);
		pkt->key.dport = ntohs(uh->dest);
		pkt->has_ports = true;
		return;
	}
	default:
		if (pkt->key.proto == icmp_proto) {
			u8 _hdr[4];
			const u8 *hdr;

			/* Type, code, checksum: the same in ICMP and ICMPv6. */
			hdr = skb_header_pointer(skb, thoff, sizeof(_hdr), _hdr);
			if (!hdr) {
				pkt->malformed = true;
				return;
			}
			pkt->icmp_type = hdr[0];
			pkt->has_icmp = true;
		}
	}
}

static bool pp_parse_ipv4(struct pp_pkt *pkt, const struct sk_buff *skb,
			  bool l4)
{
	unsigned int nhoff = skb_network_offset(skb);
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->ihl < 5)
		return false;
	pkt->key.saddr.ip = iph->saddr;
	pkt->key.daddr.ip = iph->daddr;
	pkt->key.proto = iph->protocol;
	pkt->has_proto = true;
	if (!l4)
		return true;
	/*
	 * A later fragment carries no transport header. Port rules make the
	 * namespace reassemble first (ruleset.c), so one seen here is
	 * malformed for them all the same.
	 */
	if (ntohs(iph->frag_off) & IP_OFFSET)
		pkt->malformed = true;
	else
		pp_parse_l4(pkt, skb, nhoff + iph->ihl * 4, IPPROTO_ICMP);
	return true;
}

static bool pp_parse_ipv6(struct pp_pkt *pkt, const struct sk_buff *skb,
			  bool l4)
{
	unsigned short frag_off = 0;
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	unsigned int thoff = 0;
	int flags = 0, proto;

	ip6h = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_ip6h),
				  &_ip6h);
	if (!ip6h)
		return false;
	pkt->key.saddr.in6 = ip6h->saddr;
	pkt->key.daddr.in6 = ip6h->daddr;
	if (!l4)
		return true;
	/*
	 * No extension header, the common case: the upper layer follows,
	 * as ipv6_find_hdr() would find at its first step, without the walk.
	 */
	if (!ipv6_ext_hdr(ip6h->nexthdr) || ip6h->nexthdr == NEXTHDR_NONE) {
		proto = ip6h->nexthdr;
		thoff = skb_network_offset(skb) + sizeof(*ip6h);
	} else {
		proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags);
	}
	if (proto < 0) {
		/* The chain cannot be walked: the protocol is unknown. */
		pkt->malformed = true;
		return true;
	}
	pkt->key.proto = proto;
	pkt->has_proto = true;
	if ((flags & IP6_FH_F_FRAG) && frag_off)
		pkt->malformed = true;
	else
		pp_parse_l4(pkt, skb, thoff, IPPROTO_ICMPV6);
	return true;
}

/*
 * Fill @pkt from @skb with what @chain's rules look at: the transport
 * header (and IPv6's extension chain) and the conntrack state only when
 * some rule does; a rule never matches on a field left out. False when
 * not even the IP header can be read: the chain's policy then decides.
 */
bool pp_parse(struct pp_pkt *pkt, struct sk_buff *skb,
	      const struct nf_hook_state *state, const struct pp_chain *chain)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->in = state->in;
	pkt->out = state->out;
	pkt->mark = skb->mark;
	if (chain->needs_ct)
		pkt->ctstate = pp_ctstate(skb);
	if (state->pf == NFPROTO_IPV4)
		return pp_parse_ipv4(pkt, skb, chain->needs_l4);
	return pp_parse_ipv6(pkt, skb, chain->needs_l4);
}
