// SPDX-License-Identifier: GPL-2.0
/* XDP_PASS everything, counting frames (index 0) and bytes (index 1). */
#include "pp_xdp.h"

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	__u32 idx = 1;
	__u64 *bytes = bpf_map_lookup_elem(&pp_cnt, &idx);

	pp_count(0);
	if (bytes)
		*bytes += ctx->data_end - ctx->data;
	return XDP_PASS;
}
