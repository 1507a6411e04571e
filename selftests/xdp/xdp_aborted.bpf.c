// SPDX-License-Identifier: GPL-2.0
/* XDP_ABORTED for IPv4 UDP to port 7781 (an exception); the rest passes. */
#include "pp_xdp.h"

SEC("xdp")
int xdp_aborted(struct xdp_md *ctx)
{
	pp_count(1);
	if (!pp_udp_to(ctx, 7781))
		return XDP_PASS;
	pp_count(0);
	return XDP_ABORTED;
}
