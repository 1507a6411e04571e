// SPDX-License-Identifier: GPL-2.0
/* XDP_DROP every IPv4 ICMP echo request; pass everything else. */
#include "pp_xdp.h"

#define PP_ICMP_ECHO	8

struct pp_icmp {
	__u8 type;
	__u8 code;
	__be16 csum;
};

SEC("xdp")
int xdp_drop_icmp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct pp_icmp *icmp;
	struct iphdr *ip;

	pp_count(1);
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	icmp = (void *)(ip + 1);
	if ((void *)(icmp + 1) > end || icmp->type != PP_ICMP_ECHO)
		return XDP_PASS;
	pp_count(0);
	return XDP_DROP;
}
