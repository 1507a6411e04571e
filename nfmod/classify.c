// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: a chain's classifier over its rules' lifetime (classify.h):
 * built whole, or carried over from the chain before an edit.
 *
 * An edit (one rule added or deleted) keeps the tree it finds and copies
 * only the positions: one word per base rule and one per rule added since.
 * That is a pass over the chain's positions, like the copy of its rule
 * pointers the edit makes anyway, and no tree building. The tree is built
 * again once PP_CLS_MAX_INS rules were added since (each costs every
 * packet a full match) or PP_CLS_MAX_DEAD deleted (dead leaf entries).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "classify.h"

void pp_cls_free(struct pp_cls *cls)
{
	pp_tree_put(cls->tree);
	kvfree(cls->bpos);
	kvfree(cls->ins);
	memset(cls, 0, sizeof(*cls));
}

/* Index @rules (@n of them, in chain order) afresh. */
int pp_cls_build(struct pp_cls *cls, struct pp_rule *const *rules, u32 n)
{
	u32 i;

	memset(cls, 0, sizeof(*cls));
	if (!n)
		return 0;
	cls->bpos = kvmalloc_array(n, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!cls->bpos)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		cls->bpos[i] = i;
	cls->tree = pp_tree_build(rules, n);
	if (!cls->tree) {
		pp_cls_free(cls);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The position @p of the chain before the edit, after it: the rule at
 * @del (U32_MAX: none) is gone, one is inserted at @ins (U32_MAX: none;
 * a position in the new chain). A dead base rule keeps the position of
 * the next live one, so that positions never go down along the base.
 */
static u32 pp_pos_after(u32 p, u32 del, u32 ins)
{
	if (del != U32_MAX && p > del)
		p--;
	if (ins != U32_MAX && p >= ins)
		p++;
	return p;
}

/*
 * @cls for @rules (@n, the chain after the edit) from @old, the index of
 * the chain before it, which lost its rule at @del (U32_MAX: none) or
 * gained one at @ins (U32_MAX: none), not both. @old stays as it was.
 */
int pp_cls_edit(struct pp_cls *cls, const struct pp_cls *old,
		struct pp_rule *const *rules, u32 n, u32 del, u32 ins)
{
	u32 nb, i, k, nins, ndead;

	if (!old->tree || !n)
		return pp_cls_build(cls, rules, n);
	nins = old->nins + (ins != U32_MAX);
	ndead = old->ndead;
	if (del != U32_MAX) {
		/* a deleted base rule turns dead; an added one just goes */
		for (i = 0; i < old->nins && old->ins[i] != del; i++)
			;
		if (i < old->nins)
			nins--;
		else
			ndead++;
	}
	if (nins > PP_CLS_MAX_INS || ndead > PP_CLS_MAX_DEAD)
		return pp_cls_build(cls, rules, n);

	memset(cls, 0, sizeof(*cls));
	nb = old->tree->nbase;
	cls->bpos = kvmalloc_array(nb, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (nins)
		cls->ins = kvmalloc_array(nins, sizeof(u32),
					  GFP_KERNEL_ACCOUNT);
	if (!cls->bpos || (nins && !cls->ins)) {
		pp_cls_free(cls);
		return -ENOMEM;
	}
	for (i = 0; i < nb; i++) {
		u32 b = old->bpos[i], p = b & ~PP_POS_DEAD;

		if (!(b & PP_POS_DEAD) && p == del)
			b |= PP_POS_DEAD;	/* next live one comes to p */
		else
			b = pp_pos_after(p, del, ins) | (b & PP_POS_DEAD);
		cls->bpos[i] = b;
	}
	for (i = 0, k = 0; i < old->nins; i++) {
		u32 p = old->ins[i];

		if (p == del)
			continue;
		p = pp_pos_after(p, del, ins);
		if (ins != U32_MAX && p > ins && (!k || cls->ins[k - 1] < ins))
			cls->ins[k++] = ins;
		cls->ins[k++] = p;
	}
	if (ins != U32_MAX && (!k || cls->ins[k - 1] < ins))
		cls->ins[k++] = ins;
	cls->nins = k;
	cls->ndead = ndead;
	refcount_inc(&old->tree->ref);
	cls->tree = old->tree;
	return 0;
}
