// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_xdp_adjust_head() forward: pop an 802.1Q tag (the MAC addresses move
 * 4 bytes up, the frame starts 4 bytes later), so a tagged frame reaches
 * an untagged interface. Everything else passes as it is.
 */
#include "pp_xdp.h"

SEC("xdp")
int xdp_vlan_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct pp_vlan_eth *v = data;
	unsigned char macs[2 * ETH_ALEN];
	struct ethhdr *eth;

	pp_count(1);
	if ((void *)(v + 1) > end || v->tpid != bpf_htons(ETH_P_8021Q))
		return XDP_PASS;
	__builtin_memcpy(macs, v, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, macs, sizeof(macs));
	pp_count(0);
	return XDP_PASS;
}
