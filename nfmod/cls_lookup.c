// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: one packet's walk through a chain's classifier
 * (classify.h). The packet becomes a vector of the trees' fields once; it
 * goes down each tree once, and again only when a rule changed its mark.
 * Each call then finds the first rule at or after a position that
 * matches: from where the last call stopped in each leaf and in the list
 * of rules added since the trees were built.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>

#include "classify.h"

static u32 pp_ifname_id(const struct pp_tree *t, const struct net_device *dev)
{
	return dev && t->nnames ? pp_tree_name_id(t, dev->name) : 0;
}

static void pp_cls_vector(const struct pp_tree *t, const struct pp_pkt *pkt,
			  u32 *v)
{
	const struct pp_key *k = &pkt->key;
	unsigned int w;

	for (w = 0; w < 4; w++) {
		v[PP_D_SADDR + w] = ntohl(k->saddr.ip6[w]);
		v[PP_D_DADDR + w] = ntohl(k->daddr.ip6[w]);
	}
	v[PP_D_PROTO] = pkt->has_proto ? k->proto : 256;
	v[PP_D_SPORT] = pkt->has_ports ? k->sport : 65536;
	v[PP_D_DPORT] = pkt->has_ports ? k->dport : 65536;
	v[PP_D_ICMP] = pkt->has_icmp ? pkt->icmp_type : 256;
	v[PP_D_CT] = pkt->ctstate ? __ffs(pkt->ctstate) + 1 : 0;
	v[PP_D_MARK] = pkt->mark;
	v[PP_D_SYN] = pkt->syn;
	v[PP_D_IIF] = pp_ifname_id(t, pkt->in);
	v[PP_D_OIF] = pp_ifname_id(t, pkt->out);
}

static void pp_cls_descend(const struct pp_tree *t, struct pp_cls_iter *it)
{
	u32 r;

	for (r = 0; r < t->nroots; r++) {
		const struct pp_node *nd = &t->nodes[r];

		while (nd->dim != PP_NDIMS) {
			u32 x = it->v[nd->dim & ~PP_NODE_CELLS];

			if (!(nd->dim & PP_NODE_CELLS)) {
				nd = &t->nodes[x < nd->split ? nd->a : nd->b];
				continue;
			}
			nd = &t->nodes[nd->a + pp_cell_of(nd, x)];
		}
		it->leaf[r] = &t->ents[nd->a];
		it->nleaf[r] = nd->b;
		it->li[r] = 0;
	}
}

void pp_cls_start(const struct pp_cls *cls, const struct pp_pkt *pkt,
		  struct pp_cls_iter *it)
{
	it->ii = 0;
	if (!cls->tree)
		return;
	pp_cls_vector(cls->tree, pkt, it->v);
	pp_cls_descend(cls->tree, it);
}

/*
 * The position of the first rule at or after @start that matches @pkt,
 * or @nrules when none does. Calls for one packet come with @start
 * rising; a rule that set the packet's mark may send it to other leaves.
 * Each tree's cursor rests on the first entry it has not turned down.
 */
u32 pp_cls_next(const struct pp_cls *cls, struct pp_rule *const *rules,
		u32 nrules, const struct pp_pkt *pkt, struct pp_cls_iter *it,
		u32 start)
{
	u32 best = nrules, k, r;

	if (!cls->tree)
		return nrules;
	if (it->v[PP_D_MARK] != pkt->mark) {
		it->v[PP_D_MARK] = pkt->mark;
		pp_cls_descend(cls->tree, it);
	}
	for (r = 0; r < cls->tree->nroots; r++) {
		/* leaf entries come in base order, so their positions rise */
		for (k = it->li[r]; k < it->nleaf[r]; k++) {
			u32 b = cls->bpos[it->leaf[r][k]];

			if ((b & PP_POS_DEAD) || b < start)
				continue;
			if (b >= best)
				break;
			if (pp_rule_match(rules[b], pkt)) {
				best = b;
				break;
			}
		}
		it->li[r] = k;
	}
	for (k = it->ii; k < cls->nins && cls->ins[k] < best; k++) {
		u32 p = cls->ins[k];

		if (p >= start && pp_rule_match(rules[p], pkt)) {
			it->ii = k + 1;
			return p;
		}
	}
	it->ii = k;
	return best;
}
