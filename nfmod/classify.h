/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_nf: the classifier of one chain (README, "Classification").
 *
 * Every rule is a box: one range per field (a prefix is a range of
 * addresses, a port range a range of ports, a missing match the whole
 * field). A decision tree cuts the field space, one field and one value
 * per node, until a leaf holds a handful of rules: every rule whose box
 * meets the leaf's region, in rule order. There is a tree for each group
 * of rules that restrict the same addresses (PP_CLS_GROUPS). A packet
 * walks down each tree once and checks the leaves' rules in rule order,
 * the lowest position first; a non-terminal match (counter, mark) is one
 * step to the next rule.
 *
 * The tree is built for the rules of one moment (the base) and then
 * shared, read only, by the chains that follow it: a rule added later is
 * checked from a short list of its own, a deleted one is marked dead, and
 * the positions of the base rules are kept up to date. Past a few dozen
 * edits the tree is built again.
 */
#ifndef _PKTPATH_CLASSIFY_H
#define _PKTPATH_CLASSIFY_H

#include "rule.h"

/* The fields of the tree, in the order of a packet's vector. */
enum {
	PP_D_SADDR,			/* four 32-bit words, IPv4 in the first */
	PP_D_DADDR = PP_D_SADDR + 4,
	PP_D_PROTO = PP_D_DADDR + 4,	/* 256: no protocol known */
	PP_D_SPORT,			/* 65536: no ports */
	PP_D_DPORT,
	PP_D_ICMP,			/* 256: not ICMP */
	PP_D_CT,			/* the state's bit number + 1, 0: none */
	PP_D_MARK,
	PP_D_SYN,
	PP_D_IIF,			/* exact name's number, 0: not named */
	PP_D_OIF,
	PP_NDIMS,
};

/*
 * A node cuts one field in two at a value, or into equal cells (a run of
 * sibling nodes indexed by the value's offset from a base): one step
 * instead of eight where thousands of rules lie side by side in one
 * field, such as port ranges.
 *
 * In two: v[dim] < split goes to node a, the rest to node b.
 * In cells: b cells of 2^shift values from split, the first one's node
 * a; values below split fall in the first, those past the end in the last.
 * A leaf: its rules are b entries of ents from a.
 */
struct pp_node {
	u32 split;
	u32 a, b;
	u8 dim;		/* PP_NDIMS: a leaf; | PP_NODE_CELLS: cells */
	u8 shift;
};

#define PP_NODE_CELLS	0x80

/* The cell of @v in a node cut in cells: the first and last are open-ended. */
static inline u32 pp_cell_of(const struct pp_node *nd, u32 v)
{
	return v < nd->split ? 0 : min((v - nd->split) >> nd->shift, nd->b - 1);
}

/*
 * Rules are grouped by which addresses they restrict (none, the source,
 * the destination, both), a tree for each group: a rule that leaves an
 * address open would be copied into every cut of that address.
 */
#define PP_CLS_GROUPS	4

struct pp_tree {
	refcount_t ref;
	u32 nbase;		/* rules it was built for */
	u32 nroots;		/* nodes 0..nroots-1: a group's root each */
	u32 nnodes;
	u32 nents;		/* leaf entries: rules, some in several leaves */
	struct pp_node *nodes;
	u32 *ents;		/* base rule numbers, by leaf, ascending */
	u32 nnames;		/* exact interface names, sorted */
	char (*names)[IFNAMSIZ];
	u32 depth;		/* what the build came to */
	u32 max_leaf;
};

/* A base rule's position bit: deleted since the tree was built. */
#define PP_POS_DEAD	BIT(31)

/* Past these, an edit builds the tree again. */
#define PP_CLS_MAX_INS	32
#define PP_CLS_MAX_DEAD	256

struct pp_cls {
	struct pp_tree *tree;	/* NULL: no rules */
	u32 *bpos;		/* by base rule: its position now (+ DEAD) */
	u32 *ins;		/* positions of rules added since, ascending */
	u32 nins;
	u32 ndead;
};

/* Where one packet's walk through a chain is: a leaf in each tree. */
struct pp_cls_iter {
	u32 v[PP_NDIMS];
	const u32 *leaf[PP_CLS_GROUPS];
	u32 nleaf[PP_CLS_GROUPS];
	u32 li[PP_CLS_GROUPS];	/* next leaf entry to look at */
	u32 ii;			/* next added rule to look at */
};

/* cls_tree.c */
struct pp_tree *pp_tree_build(struct pp_rule *const *rules, u32 n);
void pp_tree_put(struct pp_tree *tree);
int pp_tree_name_id(const struct pp_tree *tree, const char *name);

/* classify.c */
int pp_cls_build(struct pp_cls *cls, struct pp_rule *const *rules, u32 n);
int pp_cls_edit(struct pp_cls *cls, const struct pp_cls *old,
		struct pp_rule *const *rules, u32 n, u32 del, u32 ins);
void pp_cls_free(struct pp_cls *cls);

/* cls_lookup.c */
void pp_cls_start(const struct pp_cls *cls, const struct pp_pkt *pkt,
		  struct pp_cls_iter *it);
u32 pp_cls_next(const struct pp_cls *cls, struct pp_rule *const *rules,
		u32 nrules, const struct pp_pkt *pkt, struct pp_cls_iter *it,
		u32 start);

#endif /* _PKTPATH_CLASSIFY_H */
