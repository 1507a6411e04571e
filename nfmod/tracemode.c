// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: trace mode, in which every hook of a namespace is in
 * (rules or not) so that the trace events see every packet at every hook.
 *
 * It is on while the namespace's own setting says so ('pktpath trace
 * on', until 'off') or while some netlink socket holds it: 'pktpath
 * journey' holds it for as long as it records, so two journeys at once do
 * not switch each other off, and a journey killed by SIGKILL lets go when
 * the kernel closes its socket.
 */
#include "pktpath_nf.h"

static int pp_hold_index(const struct pp_net *pn, u32 portid)
{
	int i;

	for (i = 0; i < pn->ntrace_holds; i++)
		if (pn->trace_holds[i] == portid)
			return i;
	return -1;
}

static void pp_hold_drop(struct pp_net *pn, int i)
{
	pn->trace_holds[i] = pn->trace_holds[--pn->ntrace_holds];
}

/*
 * SET_TRACE (PKTPATH_TRACE_*) from socket @portid. On failure nothing
 * changed. Called with pn->lock held.
 */
int pp_trace_set(struct net *net, u8 how, u32 portid,
		 struct netlink_ext_ack *extack)
{
	struct pp_net *pn = pp_net(net);
	int i = pp_hold_index(pn, portid), err;

	switch (how) {
	case PKTPATH_TRACE_OFF:
	case PKTPATH_TRACE_ON:
		err = pp_hooks_follow(net, how == PKTPATH_TRACE_ON || pn->ntrace_holds);
		if (!err)
			pn->trace = how == PKTPATH_TRACE_ON;
		return err;
	case PKTPATH_TRACE_HOLD:
		if (i >= 0)
			return 0;
		if (pn->ntrace_holds == PP_TRACE_HOLDS) {
			NL_SET_ERR_MSG(extack, "too many sockets hold trace mode");
			return -EBUSY;
		}
		err = pp_hooks_follow(net, true);
		if (!err)
			pn->trace_holds[pn->ntrace_holds++] = portid;
		return err;
	case PKTPATH_TRACE_RELEASE:
		if (i < 0)
			return 0;
		pp_hold_drop(pn, i);
		/* Letting hooks go allocates nothing: it cannot fail. */
		return pp_hooks_follow(net, pp_tracing(pn));
	}
	NL_SET_ERR_MSG(extack, "unknown trace setting");
	return -EINVAL;
}

/* A socket's hold goes with it (genl.c: its release). */
void pp_trace_release_socket(struct net *net, u32 portid)
{
	struct pp_net *pn = pp_net(net);

	mutex_lock(&pn->lock);
	pp_trace_set(net, PKTPATH_TRACE_RELEASE, portid, NULL);
	mutex_unlock(&pn->lock);
}
