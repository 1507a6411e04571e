// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: building the classifier's decision tree (classify.h).
 *
 * A tree for each group of rules (classify.h), all built in one
 * breadth-first pass from their roots, nodes 0 up, sharing one budget.
 * The cuts are chosen as in HyperSplit: at a node, for each field that
 * still tells rules apart, the median of the rules' range ends inside the
 * node's region is a candidate; the one that leaves the larger child
 * smallest, then the fewest copies, wins. A rule whose range spans the cut
 * goes to both children. Nodes are built breadth first, so that the
 * budget of copies (PP_TREE_BUDGET) is spent evenly across the tree: when
 * it runs out, or a node is PP_TREE_DEPTH deep, or no field separates its
 * rules, the node becomes a leaf however many rules it holds. Memory is
 * thus bounded by the budget; the per-packet cost by the depth plus the
 * leaf.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "classify.h"

#define PP_TREE_LEAF	4	/* rules a leaf may hold without a cut */
#define PP_TREE_DEPTH	48
/* cells: at most 256 (a 4 KiB run of nodes), a quarter of the rules */
#define PP_TREE_CELLS	256
#define PP_TREE_CELLS_MIN	64	/* rules a node needs to be cut in cells */
/* leaf entries allowed per rule, plus a little */
#define PP_TREE_BUDGET(n)	(8 * (u64)(n) + 1024)

struct pp_box {
	u32 lo[PP_NDIMS];
	u32 hi[PP_NDIMS];
};

/* A node waiting to be cut or made a leaf. */
struct pp_pend {
	u32 *list;	/* its rules, ascending */
	u32 n;
	u32 depth;
	struct pp_box region;
};

struct pp_builder {
	struct pp_tree *t;
	struct pp_box *boxes;	/* by base rule */
	u8 act[PP_NDIMS];	/* fields some rule restricts */
	u32 nact;
	struct pp_pend *pend;	/* by node */
	u32 ncap;		/* nodes and pend allocated */
	u32 ecap;		/* ents allocated */
	u32 *pts;		/* scratch: two range ends per rule */
	int *cells;		/* scratch: rules per cell, PP_TREE_CELLS + 1 */
	u64 held;		/* entries in pending lists and leaves */
	u64 budget;
};

static int pp_cmp_name(const void *a, const void *b)
{
	return strncmp(a, b, IFNAMSIZ);
}

/* The number of an exact interface name (1 up), or 0 when no rule has it. */
int pp_tree_name_id(const struct pp_tree *tree, const char *name)
{
	u32 lo = 0, hi = tree->nnames;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = strncmp(name, tree->names[mid], IFNAMSIZ);

		if (!c)
			return mid + 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static bool pp_exact_ifname(u8 len)
{
	return len == IFNAMSIZ;
}

/* The exact interface names of the rules, sorted, once each. */
static int pp_tree_names(struct pp_tree *t, struct pp_rule *const *rules,
			 u32 n)
{
	u32 i, m = 0, k;

	for (i = 0; i < n; i++)
		m += ((rules[i]->match & PP_M_IIF) &&
		      pp_exact_ifname(rules[i]->iiflen)) +
		     ((rules[i]->match & PP_M_OIF) &&
		      pp_exact_ifname(rules[i]->oiflen));
	if (!m)
		return 0;
	t->names = kvmalloc_array(m, IFNAMSIZ, GFP_KERNEL_ACCOUNT);
	if (!t->names)
		return -ENOMEM;
	for (i = 0, m = 0; i < n; i++) {
		if ((rules[i]->match & PP_M_IIF) &&
		    pp_exact_ifname(rules[i]->iiflen))
			memcpy(t->names[m++], rules[i]->iifname, IFNAMSIZ);
		if ((rules[i]->match & PP_M_OIF) &&
		    pp_exact_ifname(rules[i]->oiflen))
			memcpy(t->names[m++], rules[i]->oifname, IFNAMSIZ);
	}
	sort(t->names, m, IFNAMSIZ, pp_cmp_name, NULL);
	for (i = 0, k = 0; i < m; i++)
		if (!k || pp_cmp_name(t->names[i], t->names[k - 1]))
			memmove(t->names[k++], t->names[i], IFNAMSIZ);
	t->nnames = k;
	return 0;
}

/* The words of a prefix: exact, a range, then the whole field. */
static void pp_box_addr(struct pp_box *box, unsigned int d,
			const union nf_inet_addr *addr, unsigned int plen,
			bool ipv6)
{
	unsigned int w;

	for (w = 0; w < (ipv6 ? 4 : 1); w++) {
		unsigned int bits = plen > 32 * w ? min(plen - 32 * w, 32U) : 0;
		u32 mask = bits ? ~0U << (32 - bits) : 0;

		box->lo[d + w] = ntohl(addr->ip6[w]) & mask;
		box->hi[d + w] = box->lo[d + w] | ~mask;
	}
}

static void pp_box_one(struct pp_box *box, unsigned int d, u32 lo, u32 hi)
{
	box->lo[d] = lo;
	box->hi[d] = hi;
}

/*
 * The box of @r: a superset of the packets it matches (what a range
 * cannot say exactly, the leaf's full match checks: a wildcard interface
 * name, a ct state set with gaps, a mark mask that is not a prefix).
 */
static void pp_rule_box(const struct pp_tree *t, const struct pp_rule *r,
			struct pp_box *box)
{
	bool v6 = r->nfproto == NFPROTO_IPV6;
	unsigned int d;

	for (d = 0; d < PP_NDIMS; d++)
		pp_box_one(box, d, 0, U32_MAX);
	if (r->match & PP_M_SADDR)
		pp_box_addr(box, PP_D_SADDR, &r->saddr, r->splen, v6);
	if (r->match & PP_M_DADDR)
		pp_box_addr(box, PP_D_DADDR, &r->daddr, r->dplen, v6);
	if (r->match & PP_M_PROTO)
		pp_box_one(box, PP_D_PROTO, r->l4proto, r->l4proto);
	if (r->match & PP_M_SPORT)
		pp_box_one(box, PP_D_SPORT, r->sport_min, r->sport_max);
	if (r->match & PP_M_DPORT)
		pp_box_one(box, PP_D_DPORT, r->dport_min, r->dport_max);
	if (r->match & PP_M_ICMP)
		pp_box_one(box, PP_D_ICMP, r->icmp_type, r->icmp_type);
	if ((r->match & PP_M_CT) && r->ct_state) {
		unsigned int lo = __ffs(r->ct_state), hi = __fls(r->ct_state);

		if (r->ct_state == GENMASK(hi, lo))
			pp_box_one(box, PP_D_CT, lo + 1, hi + 1);
	}
	if ((r->match & PP_M_MARK) && r->mark_mask &&
	    !(~r->mark_mask & (~r->mark_mask + 1)))
		pp_box_one(box, PP_D_MARK, r->mark & r->mark_mask,
			   (r->mark & r->mark_mask) | ~r->mark_mask);
	if (r->match & PP_M_SYN)
		pp_box_one(box, PP_D_SYN, 1, 1);
	if ((r->match & PP_M_IIF) && pp_exact_ifname(r->iiflen)) {
		u32 id = pp_tree_name_id(t, r->iifname);

		pp_box_one(box, PP_D_IIF, id, id);
	}
	if ((r->match & PP_M_OIF) && pp_exact_ifname(r->oiflen)) {
		u32 id = pp_tree_name_id(t, r->oifname);

		pp_box_one(box, PP_D_OIF, id, id);
	}
}

/* The @k-th smallest of @v[0..n) (k < n), which it reorders (Wirth). */
static u32 pp_select(u32 *v, u32 n, u32 k)
{
	long l = 0, m = (long)n - 1;

	while (l < m) {
		u32 x = v[k];
		long i = l, j = m;

		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				swap(v[i], v[j]);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < (long)k)
			l = i;
		if ((long)k < i)
			m = j;
	}
	return v[k];
}

/* A cut in two (ncells 0) or in cells; ents: the children's entries. */
struct pp_cut {
	u32 dim;
	u32 split;
	u32 nl, nr;
	u32 ncells;
	u32 shift;
	u64 ents;
};

/* A rule's range in one field, clamped to a node's region. */
struct pp_span {
	u32 lo, hi;
};

static int pp_cmp_span(const void *a, const void *b)
{
	const struct pp_span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * A cut that copies nothing: where the node's rules leave a stretch of
 * at least half of its region in some field empty, cut there (the
 * longest such stretch): at its start, or at its end when it starts the
 * region. Packets outside every rule's box, like most traffic past a
 * list of denied networks, then end in an empty leaf, a rule far from
 * the others (an accept for the bench's own client beside thousands of
 * denied networks) is set apart at once, and no copy budget goes to
 * carving up space that holds no rule. @b->pts is the scratch.
 */
static bool pp_empty_cut(struct pp_builder *b, const struct pp_pend *p,
			 struct pp_cut *cut)
{
	struct pp_span *sp = (struct pp_span *)b->pts;
	u64 most = 0;
	u32 a, i;

	for (a = 0; a < b->nact; a++) {
		unsigned int d = b->act[a];
		u32 rlo = p->region.lo[d], rhi = p->region.hi[d];
		u64 width = (u64)rhi - rlo + 1, reach = rlo, gap;

		for (i = 0; i < p->n; i++) {
			const struct pp_box *x = &b->boxes[p->list[i]];

			sp[i].lo = max(x->lo[d], rlo);
			sp[i].hi = min(x->hi[d], rhi);
		}
		sort(sp, p->n, sizeof(*sp), pp_cmp_span, NULL);
		/* i rules lie before each stretch [reach, next lo) */
		for (i = 0; i <= p->n; i++) {
			u64 next = i < p->n ? sp[i].lo : (u64)rhi + 1;

			gap = next > reach ? next - reach : 0;
			if (2 * gap >= width && gap > most) {
				most = gap;
				cut->dim = d;
				cut->split = reach > rlo ? reach : next;
				cut->nl = i;
				cut->nr = p->n - i;
				cut->ncells = 0;
				cut->ents = p->n;
			}
			if (i < p->n)
				reach = max(reach, (u64)sp[i].hi + 1);
		}
	}
	return most;
}

/* The cells of @x's range in field @d, clamped to the node's region. */
static void pp_cell_span(const struct pp_box *x, const struct pp_pend *p,
			 const struct pp_node *nd, unsigned int d, u32 *first,
			 u32 *last)
{
	*first = pp_cell_of(nd, max(x->lo[d], p->region.lo[d]));
	*last = pp_cell_of(nd, min(x->hi[d], p->region.hi[d]));
}

/*
 * The stretch of field @d where @p's rules begin and end, as cells of at
 * most @maxc: @nd's base, shift and count (classify.h). Below the base
 * and past the last cell every value meets the same rules.
 */
static bool pp_cells_frame(struct pp_builder *b, const struct pp_pend *p,
			   unsigned int d, u32 maxc, struct pp_node *nd)
{
	u32 rlo = p->region.lo[d], rhi = p->region.hi[d], i, wb;
	u64 lo = U64_MAX, hi = 0, w;

	for (i = 0; i < p->n; i++) {
		const struct pp_box *x = &b->boxes[p->list[i]];

		if (x->lo[d] > rlo) {
			lo = min_t(u64, lo, x->lo[d]);
			hi = max_t(u64, hi, x->lo[d]);
		}
		if (x->hi[d] < rhi) {
			lo = min_t(u64, lo, (u64)x->hi[d] + 1);
			hi = max_t(u64, hi, (u64)x->hi[d] + 1);
		}
	}
	if (lo >= hi)
		return false;
	w = hi - lo;
	wb = fls64(w - 1);
	nd->shift = wb > ilog2(maxc) ? wb - ilog2(maxc) : 0;
	nd->split = lo;
	nd->b = (u32)((w - 1) >> nd->shift) + 1;
	return nd->b >= 8;
}

/*
 * A cut in equal cells (HiCuts): worth it where many rules lie side by
 * side in one field (thousands of port ranges in one subnet pair), which
 * cuts in two would take eight levels or more to tell apart. Taken when
 * its fullest cell holds an eighth of the node's rules at most and the
 * cells hold twice its rules at most; never more cells than a quarter of
 * the rules, so nodes grow with the entries they lead to.
 */
static bool pp_cells_cut(struct pp_builder *b, const struct pp_pend *p,
			 struct pp_cut *best)
{
	u32 maxc = min_t(u32, PP_TREE_CELLS, p->n / 4), a, i;
	bool found = false;

	if (p->n < PP_TREE_CELLS_MIN)
		return false;
	maxc = rounddown_pow_of_two(maxc);
	for (a = 0; a < b->nact; a++) {
		unsigned int d = b->act[a];
		u32 first, last, most = 0;
		struct pp_node nd;
		u64 ents = 0;
		int run = 0;

		if (!pp_cells_frame(b, p, d, maxc, &nd))
			continue;
		memset(b->cells, 0, (nd.b + 1) * sizeof(*b->cells));
		for (i = 0; i < p->n; i++) {
			pp_cell_span(&b->boxes[p->list[i]], p, &nd, d, &first,
				     &last);
			b->cells[first]++;
			b->cells[last + 1]--;
			ents += last - first + 1;
		}
		for (i = 0; i < nd.b; i++) {
			run += b->cells[i];
			most = max_t(u32, most, run);
		}
		if (8 * most > p->n || ents > 2 * (u64)p->n)
			continue;
		if (found && (most > best->nl ||
			      (most == best->nl && ents >= best->ents)))
			continue;
		found = true;
		best->dim = d;
		best->split = nd.split;
		best->nl = most;
		best->nr = 0;
		best->ncells = nd.b;
		best->shift = nd.shift;
		best->ents = ents;
	}
	return found;
}

/* The best cut of @p, or false when no field separates its rules. */
static bool pp_choose_cut(struct pp_builder *b, const struct pp_pend *p,
			  struct pp_cut *best)
{
	bool found = false;
	u32 a;

	if (pp_empty_cut(b, p, best) || pp_cells_cut(b, p, best))
		return true;

	for (a = 0; a < b->nact; a++) {
		unsigned int d = b->act[a];
		u32 rlo = p->region.lo[d], rhi = p->region.hi[d];
		u32 np = 0, i, m, nl = 0, nr = 0;

		if (rlo == rhi)
			continue;
		for (i = 0; i < p->n; i++) {
			const struct pp_box *x = &b->boxes[p->list[i]];

			if (x->lo[d] > rlo)
				b->pts[np++] = x->lo[d];
			if (x->hi[d] < rhi)
				b->pts[np++] = x->hi[d] + 1;
		}
		if (!np)
			continue;
		m = pp_select(b->pts, np, np / 2);
		for (i = 0; i < p->n; i++) {
			const struct pp_box *x = &b->boxes[p->list[i]];

			nl += x->lo[d] < m;
			nr += x->hi[d] >= m;
		}
		/* no child may be as big as the node with the other not smaller */
		if (nl + nr >= 2 * p->n)
			continue;
		if (found && (max(nl, nr) > max(best->nl, best->nr) ||
			      (max(nl, nr) == max(best->nl, best->nr) &&
			       nl + nr >= best->nl + best->nr)))
			continue;
		found = true;
		best->dim = d;
		best->split = m;
		best->nl = nl;
		best->nr = nr;
		best->ncells = 0;
		best->ents = nl + nr;
	}
	return found;
}

/* Room for @k more nodes. */
static int pp_grow_nodes(struct pp_builder *b, u32 k)
{
	struct pp_tree *t = b->t;
	struct pp_node *nodes;
	struct pp_pend *pend;
	u32 cap;

	if (t->nnodes + k <= b->ncap)
		return 0;
	cap = max3(2 * b->ncap, t->nnodes + k, 64U);
	nodes = kvmalloc_array(cap, sizeof(*nodes), GFP_KERNEL_ACCOUNT);
	pend = kvmalloc_array(cap, sizeof(*pend), GFP_KERNEL_ACCOUNT);
	if (!nodes || !pend) {
		kvfree(nodes);
		kvfree(pend);
		return -ENOMEM;
	}
	if (t->nnodes) {
		memcpy(nodes, t->nodes, t->nnodes * sizeof(*nodes));
		memcpy(pend, b->pend, t->nnodes * sizeof(*pend));
	}
	kvfree(t->nodes);
	kvfree(b->pend);
	t->nodes = nodes;
	b->pend = pend;
	b->ncap = cap;
	return 0;
}

static int pp_make_leaf(struct pp_builder *b, u32 q)
{
	struct pp_tree *t = b->t;
	struct pp_pend *p = &b->pend[q];

	if (t->nents + p->n > b->ecap) {
		u32 cap = max3(2 * b->ecap, t->nents + p->n, 64U);
		u32 *ents = kvmalloc_array(cap, sizeof(*ents),
					   GFP_KERNEL_ACCOUNT);

		if (!ents)
			return -ENOMEM;
		if (t->nents)
			memcpy(ents, t->ents, t->nents * sizeof(*ents));
		kvfree(t->ents);
		t->ents = ents;
		b->ecap = cap;
	}
	if (p->n)	/* an empty leaf may come before any entry */
		memcpy(t->ents + t->nents, p->list, p->n * sizeof(u32));
	t->nodes[q].dim = PP_NDIMS;
	t->nodes[q].shift = 0;
	t->nodes[q].a = t->nents;
	t->nodes[q].b = p->n;
	t->nents += p->n;
	t->depth = max(t->depth, p->depth);
	t->max_leaf = max(t->max_leaf, p->n);
	kvfree(p->list);
	p->list = NULL;
	return 0;
}

static int pp_cut_node(struct pp_builder *b, u32 q, const struct pp_cut *c)
{
	struct pp_tree *t = b->t;
	struct pp_pend *p, *l, *r;
	u32 i, cl = t->nnodes;
	int err;

	err = pp_grow_nodes(b, 2);
	if (err)
		return err;
	p = &b->pend[q];
	l = &b->pend[cl];
	r = &b->pend[cl + 1];
	l->list = kvmalloc_array(max(c->nl, 1U), sizeof(u32),
				 GFP_KERNEL_ACCOUNT);
	r->list = kvmalloc_array(max(c->nr, 1U), sizeof(u32),
				 GFP_KERNEL_ACCOUNT);
	if (!l->list || !r->list) {
		kvfree(l->list);
		kvfree(r->list);
		return -ENOMEM;
	}
	l->n = 0;
	r->n = 0;
	for (i = 0; i < p->n; i++) {
		const struct pp_box *x = &b->boxes[p->list[i]];

		if (x->lo[c->dim] < c->split)
			l->list[l->n++] = p->list[i];
		if (x->hi[c->dim] >= c->split)
			r->list[r->n++] = p->list[i];
	}
	l->depth = p->depth + 1;
	r->depth = p->depth + 1;
	l->region = p->region;
	r->region = p->region;
	l->region.hi[c->dim] = c->split - 1;
	r->region.lo[c->dim] = c->split;
	t->nnodes += 2;
	t->nodes[q].dim = c->dim;
	t->nodes[q].shift = 0;
	t->nodes[q].split = c->split;
	t->nodes[q].a = cl;
	t->nodes[q].b = cl + 1;
	b->held = b->held + l->n + r->n - p->n;
	kvfree(p->list);
	p->list = NULL;
	return 0;
}

/* Node @q cut in cells: a run of children, one for each (classify.h). */
static int pp_cells_node(struct pp_builder *b, u32 q, const struct pp_cut *c)
{
	struct pp_node nd = {
		.split = c->split, .b = c->ncells, .shift = c->shift,
	};
	struct pp_tree *t = b->t;
	u32 i, k, first, last, cl = t->nnodes;
	struct pp_pend *p;
	int err;

	err = pp_grow_nodes(b, c->ncells);
	if (err)
		return err;
	p = &b->pend[q];
	memset(b->cells, 0, (c->ncells + 1) * sizeof(*b->cells));
	for (i = 0; i < p->n; i++) {
		pp_cell_span(&b->boxes[p->list[i]], p, &nd, c->dim, &first,
			     &last);
		for (k = first; k <= last; k++)
			b->cells[k]++;
	}
	for (k = 0; k < c->ncells; k++) {
		struct pp_pend *ch = &b->pend[cl + k];
		u64 lo = c->split + ((u64)k << c->shift);

		ch->list = kvmalloc_array(max(b->cells[k], 1), sizeof(u32),
					  GFP_KERNEL_ACCOUNT);
		if (!ch->list) {
			while (k--)
				kvfree(b->pend[cl + k].list);
			return -ENOMEM;
		}
		ch->n = 0;
		ch->depth = p->depth + 1;
		ch->region = p->region;
		if (k)
			ch->region.lo[c->dim] = lo;
		if (k + 1 < c->ncells)
			ch->region.hi[c->dim] = lo + BIT_ULL(c->shift) - 1;
	}
	for (i = 0; i < p->n; i++) {
		pp_cell_span(&b->boxes[p->list[i]], p, &nd, c->dim, &first,
			     &last);
		for (k = first; k <= last; k++) {
			struct pp_pend *ch = &b->pend[cl + k];

			ch->list[ch->n++] = p->list[i];
		}
	}
	t->nnodes += c->ncells;
	t->nodes[q].dim = c->dim | PP_NODE_CELLS;
	t->nodes[q].shift = c->shift;
	t->nodes[q].split = c->split;
	t->nodes[q].a = cl;
	t->nodes[q].b = c->ncells;
	b->held = b->held + c->ents - p->n;
	kvfree(p->list);
	p->list = NULL;
	return 0;
}

/* Cut or close each node in turn, breadth first: the node array is the queue. */
static int pp_tree_grow(struct pp_builder *b)
{
	struct pp_tree *t = b->t;
	u32 q;
	int err;

	for (q = 0; q < t->nnodes; q++) {
		struct pp_pend *p = &b->pend[q];
		struct pp_cut c = {};

		if (p->n > PP_TREE_LEAF && p->depth < PP_TREE_DEPTH &&
		    pp_choose_cut(b, p, &c) &&
		    b->held + c.ents - p->n <= b->budget)
			err = c.ncells ? pp_cells_node(b, q, &c) :
					 pp_cut_node(b, q, &c);
		else
			err = pp_make_leaf(b, q);
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

static void pp_builder_free(struct pp_builder *b)
{
	u32 q;

	for (q = 0; b->pend && q < b->t->nnodes; q++)
		kvfree(b->pend[q].list);
	kvfree(b->pend);
	kfree(b->cells);
	kvfree(b->pts);
	kvfree(b->boxes);
}

/* A rule's group: which addresses it restricts (classify.h). */
static unsigned int pp_rule_group(const struct pp_rule *r)
{
	return ((r->match & PP_M_SADDR) && r->splen ? 1 : 0) |
	       ((r->match & PP_M_DADDR) && r->dplen ? 2 : 0);
}

/* The boxes, and a root for each group of rules (nodes 0 up). */
static int pp_tree_root(struct pp_builder *b, struct pp_rule *const *rules,
			u32 n)
{
	u32 count[PP_CLS_GROUPS] = {}, slot[PP_CLS_GROUPS];
	struct pp_tree *t = b->t;
	unsigned int d, g;
	u32 i;
	int err;

	b->boxes = kvmalloc_array(n, sizeof(*b->boxes), GFP_KERNEL_ACCOUNT);
	b->pts = kvmalloc_array(n, 2 * sizeof(u32), GFP_KERNEL_ACCOUNT);
	b->cells = kmalloc_array(PP_TREE_CELLS + 1, sizeof(*b->cells),
				 GFP_KERNEL_ACCOUNT);
	if (!b->boxes || !b->pts || !b->cells)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		pp_rule_box(t, rules[i], &b->boxes[i]);
		count[pp_rule_group(rules[i])]++;
	}
	for (d = 0; d < PP_NDIMS; d++)
		for (i = 0; i < n; i++)
			if (b->boxes[i].lo[d] || b->boxes[i].hi[d] != U32_MAX) {
				b->act[b->nact++] = d;
				break;
			}
	err = pp_grow_nodes(b, PP_CLS_GROUPS);	/* a root for each group */
	if (err)
		return err;
	for (g = 0; g < PP_CLS_GROUPS; g++) {
		struct pp_pend *root = &b->pend[t->nnodes];

		if (!count[g])
			continue;
		root->list = kvmalloc_array(count[g], sizeof(u32),
					    GFP_KERNEL_ACCOUNT);
		if (!root->list)
			return -ENOMEM;
		root->n = 0;
		root->depth = 0;
		for (d = 0; d < PP_NDIMS; d++)
			pp_box_one(&root->region, d, 0, U32_MAX);
		slot[g] = t->nnodes++;
	}
	for (i = 0; i < n; i++) {
		struct pp_pend *root = &b->pend[slot[pp_rule_group(rules[i])]];

		root->list[root->n++] = i;
	}
	t->nroots = t->nnodes;
	b->held = n;
	b->budget = PP_TREE_BUDGET(n);
	return 0;
}

void pp_tree_put(struct pp_tree *tree)
{
	if (!tree || !refcount_dec_and_test(&tree->ref))
		return;
	kvfree(tree->nodes);
	kvfree(tree->ents);
	kvfree(tree->names);
	kfree(tree);
}

/* The tree of @rules (@n > 0 of them, in chain order), or NULL. */
struct pp_tree *pp_tree_build(struct pp_rule *const *rules, u32 n)
{
	struct pp_builder b = {};
	int err;

	b.t = kzalloc(sizeof(*b.t), GFP_KERNEL_ACCOUNT);
	if (!b.t)
		return NULL;
	refcount_set(&b.t->ref, 1);
	b.t->nbase = n;
	err = pp_tree_names(b.t, rules, n);
	if (!err)
		err = pp_tree_root(&b, rules, n);
	if (!err)
		err = pp_tree_grow(&b);
	pp_builder_free(&b);
	if (err) {
		pp_tree_put(b.t);
		return NULL;
	}
	return b.t;
}
