// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_REDIRECT IPv4 UDP to port 7779 to the CPU in cpus[0] (a cpumap the
 * test fills): the skb is built there and goes up the stack. Everything
 * else passes.
 */
#include "pp_xdp.h"

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

SEC("xdp")
int xdp_cpumap_udp(struct xdp_md *ctx)
{
	pp_count(1);
	if (!pp_udp_to(ctx, 7779))
		return XDP_PASS;
	pp_count(0);
	return bpf_redirect_map(&cpus, 0, XDP_PASS);
}
