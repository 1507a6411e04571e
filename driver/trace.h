/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_e1000's trace events, the NIC stations of 'pktpath journey':
 * interrupt, NAPI poll, a frame taken from the RX ring, a packet posted
 * to the TX ring (and whether the doorbell was rung), its completion.
 * Each names the device's network namespace by its inode, so that
 * userspace tells apart devices of one name in different namespaces.
 * Events about a packet carry the skb's address and the first bytes of
 * its network header, so userspace can tie them to one packet. Disabled,
 * they cost a static branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktpath_e1000

#if !defined(_PKTPATH_E1000_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTPATH_E1000_TRACE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/filter.h>
#include <linux/tracepoint.h>

#define PE_TRACE_HDR	64	/* bytes of network header recorded */

TRACE_EVENT(pktpath_e1000_irq,
	    TP_PROTO(const struct net_device *dev, u32 icr),
	    TP_ARGS(dev, icr),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(u32, icr)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->icr = icr;
	    ),
	    TP_printk("dev=%s ns=%u icr=0x%x", __get_str(dev), __entry->ns, __entry->icr)
);

TRACE_EVENT(pktpath_e1000_napi_poll,
	    TP_PROTO(const struct net_device *dev, int budget),
	    TP_ARGS(dev, budget),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(int, budget)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->budget = budget;
	    ),
	    TP_printk("dev=%s ns=%u budget=%d", __get_str(dev), __entry->ns, __entry->budget)
);

TRACE_EVENT(pktpath_e1000_napi_done,
	    TP_PROTO(const struct net_device *dev, int budget, int rx, int tx),
	    TP_ARGS(dev, budget, rx, tx),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(int, budget)
			     __field(int, rx)
			     __field(int, tx)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->budget = budget;
			   __entry->rx = rx;
			   __entry->tx = tx;
	    ),
	    TP_printk("dev=%s ns=%u budget=%d rx=%d tx=%d", __get_str(dev), __entry->ns,
		      __entry->budget, __entry->rx, __entry->tx)
);

/* A received frame, handed to the stack as @skb (data at the L3 header). */
TRACE_EVENT(pktpath_e1000_rx,
	    TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		     unsigned int idx, unsigned int len, u8 status),
	    TP_ARGS(dev, skb, idx, len, status),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(const void *, skbaddr)
			     __field(u32, idx)
			     __field(u32, len)
			     __field(u8, status)
			     __field(u8, hdrlen)
			     __array(u8, hdr, PE_TRACE_HDR)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->skbaddr = skb;
			   __entry->idx = idx;
			   __entry->len = len;
			   __entry->status = status;
			   __entry->hdrlen = min_t(u32, skb->len, PE_TRACE_HDR);
			   __entry->hdrlen = skb_copy_bits(skb, 0, __entry->hdr,
							   __entry->hdrlen) ? 0 : __entry->hdrlen;
	    ),
	    /*
	     * skbaddr is hashed (%p), as the kernel's skb events print it;
	     * rawskb is the address kprobe events print, so that a journey
	     * can tie those to the packet too.
	     */
	    TP_printk("dev=%s ns=%u idx=%u len=%u status=0x%x skbaddr=%p rawskb=%lx hdr=%*phN",
		      __get_str(dev), __entry->ns, __entry->idx, __entry->len, __entry->status,
		      __entry->skbaddr, (unsigned long)__entry->skbaddr,
		      __entry->hdrlen, __entry->hdr)
);

TRACE_DEFINE_ENUM(XDP_ABORTED);
TRACE_DEFINE_ENUM(XDP_DROP);
TRACE_DEFINE_ENUM(XDP_PASS);
TRACE_DEFINE_ENUM(XDP_TX);
TRACE_DEFINE_ENUM(XDP_REDIRECT);

/*
 * The XDP program @xdp saw the frame in descriptor @idx and returned
 * @act; @data and @len are the frame as the program left it.
 */
TRACE_EVENT(pktpath_e1000_xdp,
	    TP_PROTO(const struct net_device *dev, const struct bpf_prog *xdp,
		     unsigned int idx, u32 act, const void *data,
		     unsigned int len),
	    TP_ARGS(dev, xdp, idx, act, data, len),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(u32, prog_id)
			     __field(u32, idx)
			     __field(u32, act)
			     __field(u32, len)
			     __field(u8, hdrlen)
			     __array(u8, hdr, PE_TRACE_HDR)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->prog_id = xdp->aux->id;
			   __entry->idx = idx;
			   __entry->act = act;
			   __entry->len = len;
			   __entry->hdrlen = len > ETH_HLEN ?
				min_t(u32, len - ETH_HLEN, PE_TRACE_HDR) : 0;
			   memcpy(__entry->hdr, data + ETH_HLEN, __entry->hdrlen);
	    ),
	    TP_printk("dev=%s ns=%u idx=%u prog_id=%u act=%s len=%u hdr=%*phN",
		      __get_str(dev), __entry->ns, __entry->idx, __entry->prog_id,
		      __print_symbolic(__entry->act,
				       { XDP_ABORTED, "ABORTED" },
				       { XDP_DROP, "DROP" },
				       { XDP_PASS, "PASS" },
				       { XDP_TX, "TX" },
				       { XDP_REDIRECT, "REDIRECT" }),
		      __entry->len, __entry->hdrlen, __entry->hdr)
);

/* @skb posted from descriptor @idx on, in @descs descriptors. */
TRACE_EVENT(pktpath_e1000_tx,
	    TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		     unsigned int idx, unsigned int descs, bool doorbell),
	    TP_ARGS(dev, skb, idx, descs, doorbell),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(const void *, skbaddr)
			     __field(u32, idx)
			     __field(u32, descs)
			     __field(u32, len)
			     __field(bool, doorbell)
			     __field(u8, hdrlen)
			     __array(u8, hdr, PE_TRACE_HDR)
	    ),
	    TP_fast_assign(int off = skb_network_offset(skb);

			   __assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->skbaddr = skb;
			   __entry->idx = idx;
			   __entry->descs = descs;
			   __entry->len = skb->len;
			   __entry->doorbell = doorbell;
			   __entry->hdrlen = off >= 0 && skb->len > off ?
				min_t(u32, skb->len - off, PE_TRACE_HDR) : 0;
			   __entry->hdrlen = skb_copy_bits(skb, off, __entry->hdr,
							   __entry->hdrlen) ? 0 : __entry->hdrlen;
	    ),
	    TP_printk("dev=%s ns=%u idx=%u descs=%u doorbell=%d len=%u skbaddr=%p rawskb=%lx hdr=%*phN",
		      __get_str(dev), __entry->ns, __entry->idx, __entry->descs,
		      __entry->doorbell, __entry->len, __entry->skbaddr,
		      (unsigned long)__entry->skbaddr, __entry->hdrlen, __entry->hdr)
);

TRACE_EVENT(pktpath_e1000_tx_done,
	    TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		     unsigned int idx),
	    TP_ARGS(dev, skb, idx),
	    TP_STRUCT__entry(__string(dev, dev->name)
			     __field(unsigned int, ns)
			     __field(const void *, skbaddr)
			     __field(u32, idx)
	    ),
	    TP_fast_assign(__assign_str(dev, dev->name);
			   __entry->ns = dev_net(dev)->ns.inum;
			   __entry->skbaddr = skb;
			   __entry->idx = idx;
	    ),
	    TP_printk("dev=%s ns=%u idx=%u skbaddr=%p", __get_str(dev), __entry->ns, __entry->idx,
		      __entry->skbaddr)
);

#endif /* _PKTPATH_E1000_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
