// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the "pktpath" generic netlink family (pktpath_netlink.h),
 * what goes when one of its sockets goes, and GET_RULESET, its dump.
 *
 * The dump holds no lock between calls, and none of its own during one: each call reads the current
 * ruleset under RCU and goes on from the chain and rule where the last one
 * stopped. Every message carries the ruleset's generation, and a change
 * between two calls sets NLM_F_DUMP_INTR (cb->seq), so the reader knows to
 * ask again.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "pktpath_nf.h"

static const struct nla_policy pp_policy[PKTPATH_A_MAX + 1] = {
	[PKTPATH_A_CHAIN]	= NLA_POLICY_NESTED(pp_chain_policy),
	[PKTPATH_A_RULE]	= NLA_POLICY_NESTED(pp_rule_policy),
	[PKTPATH_A_GENERATION]	= { .type = NLA_U32 },
	[PKTPATH_A_TRACE]	= NLA_POLICY_MAX(NLA_U8, __PKTPATH_TRACE_MAX - 1),
	[PKTPATH_A_MORE]	= { .type = NLA_FLAG },
};

static void *pp_dump_start_msg(struct sk_buff *skb, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pp_genl_family, NLM_F_MULTI,
			  PKTPATH_CMD_GET_RULESET);
	if (hdr)
		nl_dump_check_consistent(cb, genlmsg_nlhdr(hdr));
	return hdr;
}

static int pp_dump_chain(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct pp_net *pn, const struct pp_ruleset *rs,
			 unsigned int c, u32 gen)
{
	const struct pp_chain *ch = rs ? rs->chains[c] : NULL;
	struct nlattr *nest;
	u64 packets, bytes, malformed, mbytes;
	void *hdr;

	hdr = pp_dump_start_msg(skb, cb);
	if (!hdr)
		return -EMSGSIZE;
	pp_counter_since(&pn->pcnt->chain[c], &pn->pbase_packets[c],
			 &pn->pbase_bytes[c], &packets, &bytes);
	pp_counter_since(&pn->pcnt->malformed[c], &pn->mbase_packets[c],
			 &pn->mbase_bytes[c], &malformed, &mbytes);
	nest = nla_nest_start(skb, PKTPATH_A_CHAIN);
	if (!nest ||
	    nla_put_u8(skb, PKTPATH_CHAIN_A_FAMILY, pp_chain_nfproto(c)) ||
	    nla_put_u8(skb, PKTPATH_CHAIN_A_HOOK, pp_chain_hook(c)) ||
	    nla_put_u8(skb, PKTPATH_CHAIN_A_POLICY,
		       rs ? rs->policy[c] : PKTPATH_POLICY_ACCEPT) ||
	    nla_put_u32(skb, PKTPATH_CHAIN_A_RULES, ch ? ch->nrules : 0) ||
	    nla_put_u64_64bit(skb, PKTPATH_CHAIN_A_PACKETS, packets,
			      PKTPATH_CHAIN_A_PAD) ||
	    nla_put_u64_64bit(skb, PKTPATH_CHAIN_A_BYTES, bytes,
			      PKTPATH_CHAIN_A_PAD) ||
	    nla_put_u64_64bit(skb, PKTPATH_CHAIN_A_MALFORMED, malformed,
			      PKTPATH_CHAIN_A_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	if (nla_put_u32(skb, PKTPATH_A_GENERATION, gen))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int pp_dump_rule(struct sk_buff *skb, struct netlink_callback *cb,
			const struct pp_rule *rule, u32 index, u32 gen)
{
	void *hdr = pp_dump_start_msg(skb, cb);

	if (!hdr)
		return -EMSGSIZE;
	if (pp_rule_to_nl(skb, rule, index) ||
	    nla_put_u32(skb, PKTPATH_A_GENERATION, gen)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * cb->args[0] is the chain, cb->args[1] how many of its messages went out
 * already: 0 for none, 1 + i after rule i.
 */
static int pp_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct pp_net *pn = pp_net(sock_net(skb->sk));
	unsigned int c = cb->args[0];
	const struct pp_ruleset *rs;
	u32 r = cb->args[1], gen;

	rcu_read_lock();
	rs = rcu_dereference(pn->ruleset);
	gen = rs ? rs->generation : 0;
	/* Never 0: nl_dump_check_consistent() ignores a 0 sequence. */
	cb->seq = gen + 1;
	for (; c < PP_NCHAINS; c++, r = 0) {
		const struct pp_chain *ch = rs ? rs->chains[c] : NULL;
		u32 n = ch ? ch->nrules : 0;

		if (!r) {
			if (pp_dump_chain(skb, cb, pn, rs, c, gen))
				break;
			r = 1;
		}
		for (; r <= n; r++)
			if (pp_dump_rule(skb, cb, ch->rules[r - 1], r - 1, gen))
				goto full;
	}
full:
	rcu_read_unlock();
	cb->args[0] = c;
	cb->args[1] = r;
	/* Nothing fitted in an empty buffer: do not loop for ever. */
	if (!skb->len && c < PP_NCHAINS)
		return -EMSGSIZE;
	return skb->len;
}

static const struct genl_small_ops pp_genl_ops[] = {
	{
		.cmd = PKTPATH_CMD_GET_RULESET,
		.dumpit = pp_nl_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_SET_RULESET,
		.doit = pp_nl_set_ruleset,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_ADD_RULE,
		.doit = pp_nl_add_rule,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_DEL_RULE,
		.doit = pp_nl_del_rule,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_FLUSH,
		.doit = pp_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_SET_POLICY,
		.doit = pp_nl_set_policy,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_RESET_COUNTERS,
		.doit = pp_nl_reset_counters,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PKTPATH_CMD_SET_TRACE,
		.doit = pp_nl_set_trace,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family pp_genl_family __ro_after_init = {
	.name = PKTPATH_GENL_NAME,
	.version = PKTPATH_GENL_VERSION,
	.maxattr = PKTPATH_A_MAX,
	.policy = pp_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = pp_genl_ops,
	.n_small_ops = ARRAY_SIZE(pp_genl_ops),
	/*
	 * Without genl_mutex: writers of a namespace take its pn->lock, the
	 * dump reads under RCU. A 65,536-rule load or a long dump then holds
	 * nothing another namespace or another family waits for.
	 */
	.parallel_ops = true,
	/*
	 * No .resv_start_op: left at 0, every command is at or past it, so
	 * the core checks the header of each: the reserved field must be 0
	 * and nlmsg_flags may hold only REQUEST, ACK, ECHO and DUMP.
	 */
};

/*
 * What a socket holds goes with it: a load in parts, a hold on trace
 * mode. Every generic netlink socket's release comes here (a blocking
 * notifier), so it must not wait for the lock without cause: a long load
 * holds it. A socket is released only once no sendmsg on it is running,
 * so what it started is in pn by then.
 */
static int pp_genl_release(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct pp_net *pn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	pn = pp_net(n->net);
	if (READ_ONCE(pn->load))
		pp_load_abort(pn, n->portid, false);
	if (READ_ONCE(pn->ntrace_holds))
		pp_trace_release_socket(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block pp_genl_notifier = {
	.notifier_call = pp_genl_release,
};

int __init pp_genl_init(void)
{
	int err = netlink_register_notifier(&pp_genl_notifier);

	if (err)
		return err;
	err = genl_register_family(&pp_genl_family);
	if (err)
		netlink_unregister_notifier(&pp_genl_notifier);
	return err;
}

void pp_genl_exit(void)
{
	genl_unregister_family(&pp_genl_family);
	netlink_unregister_notifier(&pp_genl_notifier);
}
