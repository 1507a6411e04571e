/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pktpath XDP test programs share: a per-CPU array of counters
 * (index 0: frames the program acted on, 1: all frames it saw) and bounds-
 * checked parsing of Ethernet, IPv4 and UDP.
 */
#ifndef PP_XDP_H
#define PP_XDP_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} pp_cnt SEC(".maps");

static __always_inline void pp_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&pp_cnt, &idx);

	if (v)
		(*v)++;
}

/* The UDP header of an IPv4 UDP frame to @port, or NULL. */
static __always_inline struct udphdr *pp_udp_to(struct xdp_md *ctx, __u16 port)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return 0;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > end || udp->dest != bpf_htons(port))
		return 0;
	return udp;
}

/* An Ethernet header with one 802.1Q tag. */
struct pp_vlan_eth {
	unsigned char dst[ETH_ALEN];
	unsigned char src[ETH_ALEN];
	__be16 tpid;
	__be16 tci;
	__be16 proto;
};

char _license[] SEC("license") = "GPL";

#endif
