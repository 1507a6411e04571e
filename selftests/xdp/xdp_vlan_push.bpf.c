// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_xdp_adjust_head() backward: push an 802.1Q tag with VLAN 10 on IPv4
 * and ARP frames (the frame starts 4 bytes earlier), so an untagged frame
 * reaches a VLAN interface. Also leaves 4 bytes of metadata in front
 * (bpf_xdp_adjust_meta), which the skb must carry. Tagged frames pass.
 */
#include "pp_xdp.h"

SEC("xdp")
int xdp_vlan_push(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct pp_vlan_eth *v;
	unsigned char macs[2 * ETH_ALEN];
	__be16 proto;
	__u32 *meta;

	pp_count(1);
	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	proto = eth->h_proto;
	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_ARP))
		return XDP_PASS;
	__builtin_memcpy(macs, eth, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, -4))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	v = data;
	if ((void *)(v + 1) > end)
		return XDP_ABORTED;
	__builtin_memcpy(v, macs, sizeof(macs));
	v->tpid = bpf_htons(ETH_P_8021Q);
	v->tci = bpf_htons(10);
	v->proto = proto;

	if (bpf_xdp_adjust_meta(ctx, -4))
		return XDP_ABORTED;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return XDP_ABORTED;
	*meta = 0x70707070;
	pp_count(0);
	return XDP_PASS;
}
