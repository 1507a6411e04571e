// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the tuple-space classifier.
 *
 * A chain's rules are grouped by shape: source and destination prefix
 * lengths, whether the protocol is set, whether the source and destination
 * ports are single ports. Within a group, every rule's key (its masked
 * fields) goes into a hash table, so that a packet costs one hash lookup
 * per group however many rules the group holds: ten thousand rules that
 * each name one source address are one group and one lookup.
 *
 * The tables are built once per chain change and never written after, so
 * the packet path reads them without locks. A bucket lists its rules in
 * rule order, and groups are visited in the order of their first rule, so
 * the search for "the first matching rule from index N" stops early, and
 * a binary search finds a bucket's first rule from N. A chain has at most
 * PP_MAX_GROUPS groups, which bounds the lookups per packet.
 */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "pktpath_nf.h"

struct pp_group {
	union nf_inet_addr smask;
	union nf_inet_addr dmask;
	u32 min_idx;		/* its first rule */
	u32 max_idx;		/* its last rule */
	u32 hmask;		/* buckets - 1 */
	u8 shape;		/* PP_S_* */
	u32 *bstart;		/* bucket b is idx[bstart[b] .. bstart[b + 1]) */
	u32 *idx;		/* rule indexes, by bucket, in rule order */
};

static u32 pp_key_hash(const struct pp_key *key, u32 seed)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), seed);
}

/* The packet's fields as this group sees them. */
static void pp_group_key(const struct pp_group *g, const struct pp_pkt *pkt,
			 struct pp_key *key)
{
	int i;

	for (i = 0; i < 4; i++) {
		key->saddr.all[i] = pkt->key.saddr.all[i] & g->smask.all[i];
		key->daddr.all[i] = pkt->key.daddr.all[i] & g->dmask.all[i];
	}
	key->proto = (g->shape & PP_S_PROTO) ? pkt->key.proto : 0;
	key->sport = (g->shape & PP_S_SPORT) ? pkt->key.sport : 0;
	key->dport = (g->shape & PP_S_DPORT) ? pkt->key.dport : 0;
	memset(key->pad, 0, sizeof(key->pad));
}

static u32 pp_shape_of(const struct pp_rule *rule)
{
	return rule->splen | rule->dplen << 8 | rule->shape << 16;
}

static int pp_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int pp_cmp_group(const void *a, const void *b)
{
	const struct pp_group *x = a, *y = b;

	return x->min_idx < y->min_idx ? -1 : x->min_idx > y->min_idx;
}

/* Fill one group's hash table from its rules (order[], in rule order). */
static int pp_group_fill(struct pp_group *g, struct pp_rule **rules,
			 const u64 *order, u32 n, u32 seed)
{
	u32 nb = roundup_pow_of_two(n), *hash, i, b;

	g->hmask = nb - 1;
	g->bstart = kvcalloc(nb + 1, sizeof(u32), GFP_KERNEL_ACCOUNT);
	g->idx = kvmalloc_array(n, sizeof(u32), GFP_KERNEL_ACCOUNT);
	hash = kvmalloc_array(n, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!g->bstart || !g->idx || !hash) {
		kvfree(hash);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		hash[i] = pp_key_hash(&rules[(u32)order[i]]->key, seed) &
			  g->hmask;
		g->bstart[hash[i] + 1]++;
	}
	for (b = 0; b < nb; b++)
		g->bstart[b + 1] += g->bstart[b];
	/* Place each rule at its bucket's cursor, then move the cursors back. */
	for (i = 0; i < n; i++)
		g->idx[g->bstart[hash[i]]++] = (u32)order[i];
	for (b = nb; b > 0; b--)
		g->bstart[b] = g->bstart[b - 1];
	g->bstart[0] = 0;
	kvfree(hash);
	return 0;
}

static void pp_group_init(struct pp_group *g, const struct pp_rule *rule)
{
	bool v6 = rule->nfproto == NFPROTO_IPV6;

	pp_prefix_mask(&g->smask, rule->splen, v6);
	pp_prefix_mask(&g->dmask, rule->dplen, v6);
	g->shape = rule->shape;
}

/*
 * Index @rules (@n of them, in chain order). -E2BIG when they have more
 * than PP_MAX_GROUPS shapes, -ENOMEM when memory runs out.
 */
int pp_cls_build(struct pp_cls *cls, struct pp_rule **rules, u32 n)
{
	u32 i, start, ng = 0;
	u64 *order;
	int err = 0;

	memset(cls, 0, sizeof(*cls));
	if (!n)
		return 0;
	cls->seed = get_random_u32();
	order = kvmalloc_array(n, sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = (u64)pp_shape_of(rules[i]) << 32 | i;
	sort(order, n, sizeof(u64), pp_cmp_u64, NULL);

	for (i = 0; i < n; i++)
		if (!i || order[i] >> 32 != order[i - 1] >> 32)
			ng++;
	if (ng > PP_MAX_GROUPS) {
		err = -E2BIG;
		goto out;
	}
	cls->groups = kvcalloc(ng, sizeof(*cls->groups), GFP_KERNEL_ACCOUNT);
	if (!cls->groups) {
		err = -ENOMEM;
		goto out;
	}
	cls->ngroups = ng;
	for (start = 0, ng = 0; start < n; ng++) {
		struct pp_group *g = &cls->groups[ng];

		for (i = start + 1; i < n; i++)
			if (order[i] >> 32 != order[start] >> 32)
				break;
		pp_group_init(g, rules[(u32)order[start]]);
		g->min_idx = (u32)order[start];
		g->max_idx = (u32)order[i - 1];
		err = pp_group_fill(g, rules, &order[start], i - start,
				    cls->seed);
		if (err)
			goto out;
		start = i;
	}
	sort(cls->groups, cls->ngroups, sizeof(*cls->groups), pp_cmp_group,
	     NULL);
out:
	kvfree(order);
	if (err)
		pp_cls_free(cls);
	return err;
}

/* Safe on a partly built index. */
void pp_cls_free(struct pp_cls *cls)
{
	u32 i;

	if (!cls->groups)
		return;
	for (i = 0; i < cls->ngroups; i++) {
		kvfree(cls->groups[i].bstart);
		kvfree(cls->groups[i].idx);
	}
	kvfree(cls->groups);
	cls->groups = NULL;
	cls->ngroups = 0;
}

/* The first of idx[@lo, @hi), which is sorted, that is >= @start. */
static u32 pp_bucket_seek(const u32 *idx, u32 lo, u32 hi, u32 start)
{
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (idx[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The index of the first rule at or after @start that matches @pkt, or
 * @nrules when none does.
 */
u32 pp_cls_lookup(const struct pp_cls *cls, struct pp_rule *const *rules,
		  u32 nrules, const struct pp_pkt *pkt, u32 start)
{
	u32 best = nrules, gi;

	for (gi = 0; gi < cls->ngroups; gi++) {
		const struct pp_group *g = &cls->groups[gi];
		struct pp_key key;
		u32 b, i;

		if (g->min_idx >= best)
			break;		/* later groups start later still */
		if (g->max_idx < start)
			continue;
		if ((g->shape & PP_S_PROTO) && !pkt->has_proto)
			continue;
		if ((g->shape & (PP_S_SPORT | PP_S_DPORT)) && !pkt->has_ports)
			continue;
		pp_group_key(g, pkt, &key);
		b = pp_key_hash(&key, cls->seed) & g->hmask;
		i = pp_bucket_seek(g->idx, g->bstart[b], g->bstart[b + 1], start);
		for (; i < g->bstart[b + 1]; i++) {
			u32 r = g->idx[i];

			if (r >= best)
				break;
			if (memcmp(&rules[r]->key, &key, sizeof(key)) ||
			    !pp_rule_rest_match(rules[r], pkt))
				continue;
			best = r;
			break;
		}
	}
	return best;
}
