// SPDX-License-Identifier: GPL-2.0
/* pktpath_nf: the trace events' definitions (trace.h) and their helper. */
#include "pktpath_nf.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

u8 pp_trace_ctinfo(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;

	if (!nf_ct_get(skb, &ctinfo) && ctinfo != IP_CT_UNTRACKED)
		return PP_TRACE_NOCT;
	return ctinfo;
}
