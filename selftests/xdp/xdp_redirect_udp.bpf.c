// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_REDIRECT IPv4 UDP to port 7778 out of the device in tx_port[0] (a
 * devmap the test fills), unchanged. Everything else passes.
 */
#include "pp_xdp.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

SEC("xdp")
int xdp_redirect_udp(struct xdp_md *ctx)
{
	pp_count(1);
	if (!pp_udp_to(ctx, 7778))
		return XDP_PASS;
	pp_count(0);
	return bpf_redirect_map(&tx_port, 0, XDP_PASS);
}
