// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the commands that change a namespace's ruleset, but the
 * whole-ruleset load (load.c).
 *
 * Every change builds a new ruleset aside, sharing what it leaves alone,
 * and publishes it in one pointer swap. Writers of a namespace are
 * serialized by its pn->lock alone (the family is parallel_ops: no
 * genl_mutex). A change may name the generation it was made against, and
 * is refused when the ruleset moved on since. What a change builds is
 * charged to the caller's memory cgroup (GFP_KERNEL_ACCOUNT): user-namespace
 * root drives these commands.
 * Nothing here runs in the packet path.
 */
#include <linux/sort.h>
#include <linux/mm.h>
#include <net/genetlink.h>

#include "pktpath_nf.h"

int pp_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * A change made against an older generation (show, edit, load while
 * someone else changed the ruleset) would silently undo the other change:
 * refuse it, as nftables refuses a transaction whose generation moved.
 * Called with pn->lock held; no GENERATION attribute: no check.
 */
int pp_check_generation(const struct pp_net *pn, struct genl_info *info)
{
	const struct nlattr *gen = info->attrs[PKTPATH_A_GENERATION];

	if (!gen || nla_get_u32(gen) == pn->generation)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, gen,
			    "the ruleset changed since this generation");
	return -ERESTART;
}

/*
 * Give each of @rules that has no handle the lowest handle that is neither
 * in @used (sorted, no duplicates) nor given to one of them before.
 */
void pp_low_handles(const u32 *used, u32 m, struct pp_rule **rules, u32 n)
{
	u32 h = 1, j = 0, i;

	for (i = 0; i < n; i++) {
		if (rules[i]->handle)
			continue;
		for (; j < m && used[j] <= h; j++)
			if (used[j] == h)
				h++;
		rules[i]->handle = h++;
	}
}

/*
 * A handle for @rule, which goes into @rs, if it has none: the namespace's
 * next handle, which is above every handle in use, or once that passed
 * U32_MAX the lowest free one. *@next is the next handle after it.
 */
static int pp_add_handle(const struct pp_net *pn, const struct pp_ruleset *rs,
			 struct pp_rule *rule, u64 *next)
{
	u32 *used, m = 0, i;
	unsigned int c;

	*next = pn->next_handle;
	if (rule->handle) {
		*next = max_t(u64, *next, (u64)rule->handle + 1);
		return 0;
	}
	if (pn->next_handle <= U32_MAX) {
		rule->handle = pn->next_handle;
		*next = pn->next_handle + 1;
		return 0;
	}
	used = kvmalloc_array(pp_ruleset_nrules(rs) ?: 1, sizeof(u32),
			      GFP_KERNEL_ACCOUNT);
	if (!used)
		return -ENOMEM;
	for (c = 0; rs && c < PP_NCHAINS; c++) {
		const struct pp_chain *ch = rs->chains[c];

		for (i = 0; ch && i < ch->nrules; i++)
			used[m++] = ch->rules[i]->handle;
	}
	sort(used, m, sizeof(u32), pp_cmp_u32, NULL);
	pp_low_handles(used, m, &rule, 1);
	kvfree(used);
	return 0;
}

/*
 * A copy of @ch without its rule at @del (U32_MAX: none) or with @ins at
 * @at (NULL: none), its classifier carried over. Consumes @ins. An empty
 * result is a NULL chain.
 */
static int pp_chain_edit(const struct pp_chain *ch, u32 del,
			 struct pp_rule *ins, u32 at, struct pp_chain **out)
{
	u32 n = ch ? ch->nrules : 0, m = 0, i;
	struct pp_rule **arr;
	struct pp_chain *nch;

	*out = NULL;
	arr = kvmalloc_array(n + 1, sizeof(*arr), GFP_KERNEL_ACCOUNT);
	if (!arr) {
		pp_rule_put(ins);
		return -ENOMEM;
	}
	for (i = 0; i <= n; i++) {
		if (ins && i == at)
			arr[m++] = ins;
		if (i < n && i != del) {
			refcount_inc(&ch->rules[i]->ref);
			arr[m++] = ch->rules[i];
		}
	}
	if (!m) {
		kvfree(arr);
		return 0;
	}
	nch = pp_chain_build(arr, m, ch, ins ? U32_MAX : del,
			     ins ? at : U32_MAX);
	if (IS_ERR(nch))
		return PTR_ERR(nch);
	*out = nch;
	return 0;
}

/* Publish a copy of the current ruleset with chain @c replaced by @ch. */
static int pp_publish_chain(struct net *net, unsigned int c,
			    struct pp_chain *ch)
{
	struct pp_ruleset *rs = pp_ruleset_clone(pp_ruleset_current(pp_net(net)));
	int err;

	if (!rs) {
		pp_chain_put(ch);
		return -ENOMEM;
	}
	pp_chain_put(rs->chains[c]);
	rs->chains[c] = ch;
	err = pp_ruleset_publish(net, rs);
	if (err)
		pp_ruleset_free(rs);
	return err;
}

int pp_parse_chain(const struct nlattr *nest, struct nlattr **tb,
		   unsigned int *c, struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, PKTPATH_CHAIN_A_MAX, nest, pp_chain_policy,
			       extack);
	if (err)
		return err;
	return pp_nl_chain_id(tb, PKTPATH_CHAIN_A_FAMILY, PKTPATH_CHAIN_A_HOOK,
			      c, nest, extack);
}

static struct sk_buff *pp_add_reply(struct genl_info *info, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &pp_genl_family, 0,
				 PKTPATH_CMD_ADD_RULE);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int pp_add_reply_fill(struct sk_buff *msg, void *hdr,
			     const struct pp_rule *rule, u32 index, u32 gen)
{
	struct nlattr *nest = nla_nest_start(msg, PKTPATH_A_RULE);

	if (!nest ||
	    nla_put_u8(msg, PKTPATH_RULE_A_FAMILY, rule->nfproto) ||
	    nla_put_u8(msg, PKTPATH_RULE_A_HOOK, rule->hook) ||
	    nla_put_u32(msg, PKTPATH_RULE_A_HANDLE, rule->handle) ||
	    nla_put_u32(msg, PKTPATH_RULE_A_INDEX, index))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	if (nla_put_u32(msg, PKTPATH_A_GENERATION, gen))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * With pn->lock held: the reply is filled, then the rule goes into its
 * chain, so that a failure leaves nothing changed. Consumes @rule.
 */
static int pp_add_locked(struct net *net, struct pp_rule *rule,
			 const struct nlattr *nest, struct sk_buff *msg,
			 void *hdr, struct netlink_ext_ack *extack)
{
	struct pp_net *pn = pp_net(net);
	struct pp_ruleset *old = pp_ruleset_current(pn);
	unsigned int c = pp_chain_idx(rule->nfproto, rule->hook);
	const struct pp_chain *ch = old ? old->chains[c] : NULL;
	u32 n = ch ? ch->nrules : 0, at = n;
	struct nlattr *index;
	struct pp_chain *nch;
	u64 next;
	int err;

	if (pp_ruleset_nrules(old) >= PKTPATH_MAX_RULES) {
		NL_SET_ERR_MSG(extack, "too many rules (at most 65536)");
		err = -ENOSPC;
		goto err_rule;
	}
	index = nla_find_nested(nest, PKTPATH_RULE_A_INDEX);
	if (index)
		at = nla_get_u32(index);
	if (at > n) {
		NL_SET_ERR_MSG_ATTR(extack, index,
				    "index beyond the end of the chain");
		err = -ERANGE;
		goto err_rule;
	}
	if (rule->handle && pp_ruleset_find(old, rule->handle, NULL, NULL)) {
		NL_SET_ERR_MSG_ATTR(extack,
				    nla_find_nested(nest, PKTPATH_RULE_A_HANDLE),
				    "duplicate handle");
		err = -EEXIST;
		goto err_rule;
	}
	err = pp_add_handle(pn, old, rule, &next);
	if (err)
		goto err_rule;
	/* Publishing gives the new ruleset the namespace's next generation. */
	err = pp_add_reply_fill(msg, hdr, rule, at, pn->generation + 1);
	if (err)
		goto err_rule;
	err = pp_chain_edit(ch, U32_MAX, rule, at, &nch);
	if (!err)
		err = pp_publish_chain(net, c, nch);
	if (!err)
		pn->next_handle = next;
	return err;

err_rule:
	pp_rule_put(rule);
	return err;
}

int pp_nl_add_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[PKTPATH_A_RULE];
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	struct pp_rule *rule;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing rule");
		return -EINVAL;
	}
	rule = pp_rule_from_nl(nest, info->extack);
	if (IS_ERR(rule))
		return PTR_ERR(rule);
	msg = pp_add_reply(info, &hdr);
	if (!msg) {
		pp_rule_put(rule);
		return -ENOMEM;
	}
	mutex_lock(&pn->lock);
	err = pp_check_generation(pn, info);
	if (err)
		pp_rule_put(rule);
	else
		err = pp_add_locked(net, rule, nest, msg, hdr, info->extack);
	mutex_unlock(&pn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int pp_nl_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[PKTPATH_A_RULE];
	struct nlattr *tb[PKTPATH_RULE_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	const struct pp_ruleset *rs;
	const struct pp_chain *ch;
	struct pp_chain *nch;
	unsigned int c;
	u32 handle, i;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing rule");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, PKTPATH_RULE_A_MAX, nest, pp_rule_policy,
			       info->extack);
	if (!err)
		err = pp_nl_chain_id(tb, PKTPATH_RULE_A_FAMILY,
				     PKTPATH_RULE_A_HOOK, &c, nest,
				     info->extack);
	if (err)
		return err;
	if (!tb[PKTPATH_RULE_A_HANDLE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing handle");
		return -EINVAL;
	}
	handle = nla_get_u32(tb[PKTPATH_RULE_A_HANDLE]);

	mutex_lock(&pn->lock);
	rs = pp_ruleset_current(pn);
	ch = rs ? rs->chains[c] : NULL;
	for (i = 0; ch && i < ch->nrules; i++)
		if (ch->rules[i]->handle == handle)
			break;
	err = pp_check_generation(pn, info);
	if (!err && (!ch || i == ch->nrules)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PKTPATH_RULE_A_HANDLE],
				    "no rule in this chain with this handle");
		err = -ENOENT;
	}
	if (!err)
		err = pp_chain_edit(ch, i, NULL, 0, &nch);
	if (!err)
		err = pp_publish_chain(net, c, nch);
	mutex_unlock(&pn->lock);
	return err;
}

int pp_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[PKTPATH_A_CHAIN];
	struct nlattr *tb[PKTPATH_CHAIN_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	struct pp_ruleset *rs;
	unsigned int c;
	int err;

	if (nest) {
		err = pp_parse_chain(nest, tb, &c, info->extack);
		if (err)
			return err;
		mutex_lock(&pn->lock);
		err = pp_check_generation(pn, info);
		if (!err)
			err = pp_publish_chain(net, c, NULL);
		mutex_unlock(&pn->lock);
		return err;
	}
	rs = pp_ruleset_clone(NULL);
	if (!rs)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	err = pp_check_generation(pn, info);
	if (!err)
		err = pp_ruleset_publish(net, rs);
	mutex_unlock(&pn->lock);
	if (err)
		pp_ruleset_free(rs);
	return err;
}

int pp_nl_set_policy(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[PKTPATH_A_CHAIN];
	struct nlattr *tb[PKTPATH_CHAIN_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	struct pp_ruleset *rs;
	unsigned int c;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing chain");
		return -EINVAL;
	}
	err = pp_parse_chain(nest, tb, &c, info->extack);
	if (err)
		return err;
	if (!tb[PKTPATH_CHAIN_A_POLICY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing policy");
		return -EINVAL;
	}
	mutex_lock(&pn->lock);
	err = pp_check_generation(pn, info);
	if (err)
		goto out;
	rs = pp_ruleset_clone(pp_ruleset_current(pn));
	err = -ENOMEM;
	if (rs) {
		rs->policy[c] = nla_get_u8(tb[PKTPATH_CHAIN_A_POLICY]);
		err = pp_ruleset_publish(net, rs);
		if (err)
			pp_ruleset_free(rs);
	}
out:
	mutex_unlock(&pn->lock);
	return err;
}

int pp_nl_reset_counters(struct sk_buff *skb, struct genl_info *info)
{
	struct pp_net *pn = pp_net(genl_info_net(info));

	mutex_lock(&pn->lock);
	pp_reset_counters(pn);
	mutex_unlock(&pn->lock);
	return 0;
}

/*
 * SET_TRACE: trace mode on or off, held or released by this socket
 * (tracemode.c); replies with the old setting. The reply is filled first,
 * so that a failure changes nothing.
 */
int pp_nl_set_trace(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pp_net *pn = pp_net(net);
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!info->attrs[PKTPATH_A_TRACE]) {
		NL_SET_ERR_MSG(info->extack, "missing trace setting");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pp_genl_family, 0,
				PKTPATH_CMD_SET_TRACE);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&pn->lock);
	err = nla_put_u8(msg, PKTPATH_A_TRACE,
			 pn->trace ? PKTPATH_TRACE_ON : PKTPATH_TRACE_OFF);
	if (!err)
		err = pp_trace_set(net, nla_get_u8(info->attrs[PKTPATH_A_TRACE]),
				   info->snd_portid, info->extack);
	mutex_unlock(&pn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
