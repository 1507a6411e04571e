// SPDX-License-Identifier: GPL-2.0
/* XDP_DROP IPv4 UDP to port 9 (the benchmark's flood); the rest passes. */
#include "pp_xdp.h"

SEC("xdp")
int xdp_drop_udp9(struct xdp_md *ctx)
{
	if (!pp_udp_to(ctx, 9))
		return XDP_PASS;
	pp_count(0);
	return XDP_DROP;
}
