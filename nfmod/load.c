// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: SET_RULESET, the whole-ruleset load, in one message or in
 * several.
 *
 * One netlink message cannot be larger than the sender's socket buffer,
 * and only CAP_NET_ADMIN in the initial namespace may raise that past
 * net.core.wmem_max: a rootless container would be held to about 7,000
 * rules. So a load may come in parts: every message but the last carries
 * PKTPATH_A_MORE, and its policies and rules are checked and kept aside,
 * per namespace, for the socket that sent them; the last one publishes
 * the whole ruleset at once, as if it had come in one message. Nothing is
 * in force before that. A part that fails, or the socket closing, drops
 * the load; a second socket is refused while one is in progress.
 */
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

#include "pktpath_nf.h"

/* What a load has read so far. */
struct pp_load {
	u32 portid;		/* the socket it comes from */
	u32 n;
	struct pp_rule **rules;	/* in order; references held */
	u8 policy[PP_NCHAINS];
};

static void pp_load_free(struct pp_load *ld)
{
	u32 i;

	if (!ld)
		return;
	for (i = 0; i < ld->n; i++)
		pp_rule_put(ld->rules[i]);
	kvfree(ld->rules);
	kfree(ld);
}

/* The index of the second of @rules with @handle: there is one. */
static u32 pp_second_with(struct pp_rule **rules, u32 handle)
{
	bool seen = false;
	u32 i;

	for (i = 0;; i++) {
		if (rules[i]->handle != handle)
			continue;
		if (seen)
			return i;
		seen = true;
	}
}

/*
 * The handles of a whole new ruleset. Given handles must be unique: on a
 * duplicate, *@dup is the index of the second rule that has it. The others
 * get new handles, above the largest given one and above every handle the
 * namespace ever assigned (@next), or the lowest free ones if those would
 * pass U32_MAX. *@next becomes the namespace's next handle once the
 * ruleset is in.
 */
static int pp_assign_handles(struct pp_rule **rules, u32 n, u64 *next,
			     u32 *dup)
{
	u64 above = *next;
	u32 *given, i, m = 0, top;

	given = kvmalloc_array(n ?: 1, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!given)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (rules[i]->handle)
			given[m++] = rules[i]->handle;
	sort(given, m, sizeof(u32), pp_cmp_u32, NULL);
	for (i = 1; i < m; i++) {
		if (given[i] == given[i - 1]) {
			*dup = pp_second_with(rules, given[i]);
			kvfree(given);
			return -EEXIST;
		}
	}
	top = m ? given[m - 1] : 0;
	if (above - 1 + (n - m) <= U32_MAX)
		top = max_t(u64, top, above - 1);
	if ((u64)top + (n - m) <= U32_MAX) {
		for (i = 0; i < n; i++)
			if (!rules[i]->handle)
				rules[i]->handle = ++top;
	} else {
		pp_low_handles(given, m, rules, n);
	}
	kvfree(given);
	for (i = 0, top = 0; i < n; i++)
		top = max(top, rules[i]->handle);
	*next = max_t(u64, above, (u64)top + 1);
	return 0;
}

/* Spread @all (in order) over the chains of @rs. Takes its own refs. */
static int pp_fill_chains(struct pp_ruleset *rs, struct pp_rule **all, u32 n,
			  struct netlink_ext_ack *extack)
{
	unsigned int c;
	u32 i, m;

	for (c = 0; c < PP_NCHAINS; c++) {
		struct pp_chain *ch;
		struct pp_rule **arr;

		for (i = 0, m = 0; i < n; i++)
			m += pp_chain_idx(all[i]->nfproto, all[i]->hook) == c;
		if (!m)
			continue;
		arr = kvmalloc_array(m, sizeof(*arr), GFP_KERNEL_ACCOUNT);
		if (!arr)
			return -ENOMEM;
		for (i = 0, m = 0; i < n; i++) {
			if (pp_chain_idx(all[i]->nfproto, all[i]->hook) != c)
				continue;
			refcount_inc(&all[i]->ref);
			arr[m++] = all[i];
		}
		ch = pp_chain_build(arr, m, NULL, U32_MAX, U32_MAX);
		if (IS_ERR(ch))
			return PTR_ERR(ch);
		rs->chains[c] = ch;
	}
	return 0;
}

/* The HANDLE attribute of the message's rule number @k, to point at. */
static const struct nlattr *pp_rule_handle_attr(const struct nlattr *attrs,
						int len, u32 k)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != PKTPATH_A_RULE)
			continue;
		if (!k--)
			return nla_find_nested(nla, PKTPATH_RULE_A_HANDLE);
	}
	return NULL;
}

/* Add this message's policies and rules to @ld. On failure @ld is as it was. */
static int pp_load_read(struct pp_load *ld, struct genl_info *info)
{
	const struct nlattr *attrs = nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
	int len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN), rem, err = 0;
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PKTPATH_CHAIN_A_MAX + 1];
	u8 policy[PP_NCHAINS];
	const struct nlattr *nla;
	struct pp_rule **all;
	u32 n = 0, i;
	unsigned int c;

	memcpy(policy, ld->policy, sizeof(policy));
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) == PKTPATH_A_RULE) {
			n++;
			continue;
		}
		if (nla_type(nla) != PKTPATH_A_CHAIN)
			continue;
		err = pp_parse_chain(nla, tb, &c, extack);
		if (err)
			return err;
		if (tb[PKTPATH_CHAIN_A_POLICY])
			policy[c] = nla_get_u8(tb[PKTPATH_CHAIN_A_POLICY]);
	}
	if (n > PKTPATH_MAX_RULES - ld->n) {
		NL_SET_ERR_MSG(extack, "too many rules (at most 65536)");
		return -ENOSPC;
	}
	all = kvmalloc_array((ld->n + n) ?: 1, sizeof(*all), GFP_KERNEL_ACCOUNT);
	if (!all)
		return -ENOMEM;
	i = ld->n;
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != PKTPATH_A_RULE)
			continue;
		all[i] = pp_rule_from_nl(nla, extack);
		if (IS_ERR(all[i])) {
			err = PTR_ERR(all[i]);
			break;
		}
		i++;
	}
	if (err) {
		while (i-- > ld->n)
			pp_rule_put(all[i]);
		kvfree(all);
		return err;
	}
	if (ld->n)
		memcpy(all, ld->rules, ld->n * sizeof(*all));
	kvfree(ld->rules);
	ld->rules = all;
	ld->n += n;
	memcpy(ld->policy, policy, sizeof(policy));
	return 0;
}

/*
 * Make what @ld read the namespace's ruleset. @first is the index of the
 * first rule of the last message, the one @info holds. pn->lock held.
 */
static int pp_load_commit(struct net *net, struct pp_load *ld, u32 first,
			  struct genl_info *info)
{
	const struct nlattr *attrs = nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
	int len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN), err;
	struct pp_net *pn = pp_net(net);
	u64 next = pn->next_handle;
	struct pp_ruleset *rs;
	u32 dup;

	rs = pp_ruleset_clone(NULL);
	if (!rs)
		return -ENOMEM;
	memcpy(rs->policy, ld->policy, sizeof(rs->policy));
	err = pp_assign_handles(ld->rules, ld->n, &next, &dup);
	if (err == -EEXIST) {
		if (dup >= first)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    pp_rule_handle_attr(attrs, len, dup - first),
					    "duplicate handle");
		else
			NL_SET_ERR_MSG(info->extack,
				       "duplicate handle in an earlier part of the load");
	}
	if (!err)
		err = pp_fill_chains(rs, ld->rules, ld->n, info->extack);
	if (!err)
		err = pp_ruleset_publish(net, rs);
	if (err) {
		pp_ruleset_free(rs);
		return err;
	}
	pn->next_handle = next;
	/* A new ruleset: its policies count from zero too. */
	pp_reset_policy_counters(pn);
	return 0;
}

int pp_nl_set_ruleset(struct sk_buff *skb, struct genl_info *info)
{
	bool more = nla_get_flag(info->attrs[PKTPATH_A_MORE]);
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	struct pp_load *ld;
	u32 first;
	int err;

	mutex_lock(&pn->lock);
	ld = pn->load;
	if (ld && ld->portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "another socket's load is in progress in this namespace");
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(pn->load, NULL);
	err = pp_check_generation(pn, info);
	if (!err && !ld) {
		ld = kzalloc(sizeof(*ld), GFP_KERNEL_ACCOUNT);
		if (ld)
			ld->portid = info->snd_portid;
		else
			err = -ENOMEM;
	}
	first = ld ? ld->n : 0;
	if (!err)
		err = pp_load_read(ld, info);
	if (!err && more) {
		WRITE_ONCE(pn->load, ld);
		goto out;
	}
	if (!err)
		err = pp_load_commit(net, ld, first, info);
	pp_load_free(ld);
out:
	mutex_unlock(&pn->lock);
	return err;
}

/* A load in progress goes with its socket, or with the namespace. */
void pp_load_abort(struct pp_net *pn, u32 portid, bool any)
{
	mutex_lock(&pn->lock);
	if (pn->load && (any || pn->load->portid == portid)) {
		pp_load_free(pn->load);
		WRITE_ONCE(pn->load, NULL);
	}
	mutex_unlock(&pn->lock);
}
