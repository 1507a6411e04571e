/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_nf's trace events, the netfilter stations of 'pktpath journey':
 * one event per hook traversal (which rule or the policy decided, and
 * how) and one per NAT binding set up (the packet's new addresses). Each
 * carries the skb's address and the first bytes of its network header, so
 * that userspace can tie events to one packet, as nft's trace id does.
 * Disabled, they cost a static branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktpath_nf

#if !defined(_PKTPATH_NF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTPATH_NF_TRACE_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>

#define PP_TRACE_HDR	64	/* bytes of network header recorded */

/* nat.c: a connection's addresses after NAT, as two sockaddrs. */
void pp_nat_sockaddrs(const struct nf_conn *ct, u8 *src, u8 *dst);

/*
 * The packet's conntrack state as the hook saw it: ctinfo, or
 * PP_TRACE_NOCT when conntrack has not (yet) attached an entry.
 */
#define PP_TRACE_NOCT	0xff

u8 pp_trace_ctinfo(const struct sk_buff *skb);

/* @handle: the deciding rule, 0 for the chain's policy. */
TRACE_EVENT(pktpath_nf_hook,
	    TP_PROTO(const struct sk_buff *skb, const struct nf_hook_state *state,
		     const char *hook, u32 handle, const char *verdict),
	    TP_ARGS(skb, state, hook, handle, verdict),
	    TP_STRUCT__entry(__field(const void *, skbaddr)
			     __field(unsigned int, ns)
			     __field(u32, handle)
			     __field(u32, mark)
			     __field(u32, len)
			     __field(u8, pf)
			     __field(u8, hdrlen)
			     __field(u8, ctinfo)
			     __string(hook, hook)
			     __string(in, state->in ? state->in->name : "-")
			     __string(out, state->out ? state->out->name : "-")
			     __string(verdict, verdict)
			     __array(u8, hdr, PP_TRACE_HDR)
	    ),
	    TP_fast_assign(__entry->skbaddr = skb;
			   __entry->ns = state->net->ns.inum;
			   __entry->handle = handle;
			   __entry->mark = skb->mark;
			   __entry->len = skb->len;
			   __entry->pf = state->pf;
			   __entry->ctinfo = pp_trace_ctinfo(skb);
			   __entry->hdrlen = min_t(u32, skb->len, PP_TRACE_HDR);
			   __entry->hdrlen = skb_copy_bits(skb, 0, __entry->hdr,
							   __entry->hdrlen) ? 0 : __entry->hdrlen;
			   __assign_str(hook, hook);
			   __assign_str(in, state->in ? state->in->name : "-");
			   __assign_str(out, state->out ? state->out->name : "-");
			   __assign_str(verdict, verdict);
	    ),
	    /* rawskb: the unhashed address kprobe events print (driver/trace.h) */
	    TP_printk("ns=%u hook=%s family=%s in=%s out=%s rule=%u verdict=%s mark=0x%x ct=%s skbaddr=%p rawskb=%lx len=%u hdr=%*phN",
		      __entry->ns, __get_str(hook),
		      __entry->pf == NFPROTO_IPV6 ? "ip6" : "ip", __get_str(in),
		      __get_str(out), __entry->handle, __get_str(verdict),
		      __entry->mark,
		      __print_symbolic(__entry->ctinfo,
				       { IP_CT_NEW, "new" },
				       { IP_CT_ESTABLISHED, "established" },
				       { IP_CT_RELATED, "related" },
				       { IP_CT_ESTABLISHED_REPLY, "established-reply" },
				       { IP_CT_RELATED_REPLY, "related-reply" },
				       { IP_CT_UNTRACKED, "untracked" },
				       { PP_TRACE_NOCT, "none" }),
		      __entry->skbaddr, (unsigned long)__entry->skbaddr, __entry->len,
		      __entry->hdrlen, __entry->hdr)
);

/*
 * A NAT binding set up by rule @handle: the packet's addresses from now on,
 * which are the connection's reply tuple inverted.
 */
TRACE_EVENT(pktpath_nf_nat,
	    TP_PROTO(const struct sk_buff *skb, const struct nf_hook_state *state,
		     const char *hook, u32 handle, const char *kind,
		     const struct nf_conn *ct),
	    TP_ARGS(skb, state, hook, handle, kind, ct),
	    TP_STRUCT__entry(__field(const void *, skbaddr)
			     __field(unsigned int, ns)
			     __field(u32, handle)
			     __string(hook, hook)
			     __string(kind, kind)
			     __array(u8, src, sizeof(struct sockaddr_in6))
			     __array(u8, dst, sizeof(struct sockaddr_in6))
	    ),
	    TP_fast_assign(__entry->skbaddr = skb;
			   __entry->ns = state->net->ns.inum;
			   __entry->handle = handle;
			   __assign_str(hook, hook);
			   __assign_str(kind, kind);
			   pp_nat_sockaddrs(ct, __entry->src, __entry->dst);
	    ),
	    TP_printk("ns=%u hook=%s rule=%u kind=%s skbaddr=%p src=%pISpc dst=%pISpc",
		      __entry->ns, __get_str(hook), __entry->handle,
		      __get_str(kind), __entry->skbaddr, __entry->src,
		      __entry->dst)
);

#endif /* _PKTPATH_NF_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
