// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_TX: reflect IPv4 UDP to port 7777 back to its sender, MACs, IP
 * addresses and ports swapped (the checksums stay valid: their sums do not
 * depend on the order of the words). Everything else passes.
 */
#include "pp_xdp.h"

SEC("xdp")
int xdp_tx_udp(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	unsigned char mac[ETH_ALEN];
	struct udphdr *udp;
	struct iphdr *ip;
	__be32 addr;
	__be16 port;

	pp_count(1);
	udp = pp_udp_to(ctx, 7777);
	if (!udp)
		return XDP_PASS;
	ip = (void *)(eth + 1);

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	pp_count(0);
	return XDP_TX;
}
