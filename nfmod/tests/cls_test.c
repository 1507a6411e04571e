// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier (classify.c, cls_tree.c, cls_lookup.c, match.c) as a
 * host program, against a plain linear first-match walk over the same
 * rules. KTAP output.
 *
 *  - equivalence: random rulesets of every field and action, random
 *    packets; the filter walk (each non-terminal rule applied, a mark
 *    rule changing the packet's mark, then the deciding rule) and the NAT
 *    walk (first NAT rule) must be the same rule by rule;
 *  - edits: rules added and deleted one at a time, the classifier carried
 *    over (and rebuilt past its thresholds), checked after every edit;
 *  - allocation failures: every allocation of a build and of an edit
 *    failed in turn: -ENOMEM, nothing leaked, and the next try works;
 *  - flatness (cls_flat.c): the benchmark's rule kinds at 10,000 and 65,536 rules (m:
 *    one address in two rules of three, x: as make bench-nf's mixed, with
 *    the bench's own flow, e: m over IPv6): how many
 *    rules a packet is checked against, bounded by a 4-rule leaf in each
 *    tree, plus the trees' depth, size and build time (diagnostics).
 *
 * Usage: cls_test [seed]
 */
#include <stdio.h>

#include "cls_test.h"

/* match.c's pp_rule_match, renamed at build time: this one counts calls */
bool pp_rule_match_real(const struct pp_rule *rule, const struct pp_pkt *pkt);
unsigned long nmatch;

bool pp_rule_match(const struct pp_rule *rule, const struct pp_pkt *pkt)
{
	nmatch++;
	return pp_rule_match_real(rule, pkt);
}

static long nalloc, fail_at, live;

void *shim_alloc(size_t size, bool zero)
{
	void *p;

	if (++nalloc == fail_at)
		return NULL;
	p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		live++;
	return p;
}

void shim_free(void *p)
{
	if (p) {
		live--;
		free(p);
	}
}

static int ntest, nfail;

void check(bool ok, const char *fmt, const char *what)
{
	printf("%s %d - %s%s\n", ok ? "ok" : "not ok", ++ntest, fmt, what);
	nfail += !ok;
}

static u64 rnd_state;

u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (u32)(rnd_state >> 11);
}

u32 pick(u32 n)
{
	return n ? rnd() % n : 0;
}

bool chance(u32 percent)
{
	return pick(100) < percent;
}

static const char *const ifnames[] = { "eth0", "eth1", "veth_r0", "veth_r1",
				       "lo", "br0" };
static const char *const ifstems[] = { "eth", "veth_r", "veth", "b", "" };
static struct net_device devs[6];

/* Addresses from a small pool, so that rules and packets meet. */
static void rnd_addr(union nf_inet_addr *a, bool v6)
{
	static const u32 bases4[] = { 0x0a000000, 0x0a010000, 0xc0a80000,
				      0xac100000 };
	u32 spread = chance(50) ? 0xff : 0xffff;

	memset(a, 0, sizeof(*a));
	if (!v6) {
		a->ip = htonl(bases4[pick(4)] | (rnd() & spread));
		return;
	}
	a->ip6[0] = htonl(0x20010db8);
	a->ip6[1] = htonl(pick(4) << 16 | (chance(20) ? rnd() & 0xffff : 0));
	a->ip6[2] = htonl(chance(30) ? rnd() : pick(3));
	a->ip6[3] = htonl(rnd() & spread);
}

void mask_addr(union nf_inet_addr *a, unsigned int plen, bool v6)
{
	union nf_inet_addr m;
	int w;

	pp_prefix_mask(&m, plen, v6);
	for (w = 0; w < 4; w++)
		a->ip6[w] &= m.ip6[w];
}

static u32 rnd_plen(bool v6)
{
	static const u8 common4[] = { 0, 8, 16, 24, 32 };
	static const u8 common6[] = { 0, 32, 48, 64, 96, 112, 128 };

	if (chance(50))
		return v6 ? common6[pick(7)] : common4[pick(5)];
	return pick(v6 ? 129 : 33);
}

static u16 rnd_port(void)
{
	return chance(80) ? pick(40) : 65535 - pick(8);
}

static u32 rnd_mark(void)
{
	static const u32 marks[] = { 0, 1, 2, 0x100, 0x101, 0xff00, 0x10000 };

	return marks[pick(7)];
}

struct pp_rule *new_rule(void)
{
	struct pp_rule *r = shim_alloc(sizeof(*r), true);

	refcount_set(&r->ref, 1);
	return r;
}

static void rnd_ifname(char *name, u8 *len)
{
	memset(name, 0, IFNAMSIZ);
	if (chance(50)) {
		strcpy(name, ifnames[pick(6)]);
		*len = IFNAMSIZ;
	} else {
		strcpy(name, ifstems[pick(5)]);
		*len = strlen(name);
	}
}

static struct pp_rule *rnd_rule(bool v6)
{
	static const u8 actions[] = {
		PKTPATH_ACT_ACCEPT, PKTPATH_ACT_ACCEPT, PKTPATH_ACT_DROP,
		PKTPATH_ACT_DROP, PKTPATH_ACT_REJECT, PKTPATH_ACT_COUNTER,
		PKTPATH_ACT_COUNTER, PKTPATH_ACT_MARK, PKTPATH_ACT_MARK,
		PKTPATH_ACT_CTMARK, PKTPATH_ACT_SNAT, PKTPATH_ACT_DNAT,
	};
	struct pp_rule *r = new_rule();

	r->nfproto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	r->action = actions[pick(sizeof(actions))];
	if (r->action == PKTPATH_ACT_MARK || r->action == PKTPATH_ACT_CTMARK)
		r->set_mark = rnd_mark();
	if (chance(60)) {
		r->match |= PP_M_SADDR;
		r->splen = rnd_plen(v6);
		rnd_addr(&r->saddr, v6);
		mask_addr(&r->saddr, r->splen, v6);
	}
	if (chance(60)) {
		r->match |= PP_M_DADDR;
		r->dplen = rnd_plen(v6);
		rnd_addr(&r->daddr, v6);
		mask_addr(&r->daddr, r->dplen, v6);
	}
	if (chance(60)) {
		static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP,
					     IPPROTO_ICMP, 47 };

		r->match |= PP_M_PROTO;
		r->l4proto = protos[pick(4)];
		if (v6 && r->l4proto == IPPROTO_ICMP)
			r->l4proto = IPPROTO_ICMPV6;
	}
	if ((r->match & PP_M_PROTO) &&
	    (r->l4proto == IPPROTO_TCP || r->l4proto == IPPROTO_UDP)) {
		if (chance(40)) {
			r->match |= PP_M_SPORT;
			r->sport_min = rnd_port();
			r->sport_max = chance(50) ? r->sport_min :
				min(65535, r->sport_min + pick(30));
		}
		if (chance(50)) {
			r->match |= PP_M_DPORT;
			r->dport_min = rnd_port();
			r->dport_max = chance(50) ? r->dport_min :
				min(65535, r->dport_min + pick(30));
		}
		if (r->l4proto == IPPROTO_TCP && chance(20))
			r->match |= PP_M_SYN;
	} else if ((r->match & PP_M_PROTO) && r->l4proto != 47 && chance(50)) {
		r->match |= PP_M_ICMP;
		r->icmp_type = pick(12);
	}
	if (chance(20)) {
		r->match |= PP_M_CT;
		r->ct_state = 1 + pick(PKTPATH_CT_ALL);
	}
	if (chance(20)) {
		static const u32 masks[] = { 0xffffffff, 0xff00, 0xffff0000,
					     0x1, 0xffffff00, 0 };

		r->match |= PP_M_MARK;
		r->mark_mask = masks[pick(6)];
		r->mark = rnd_mark() & r->mark_mask;
	}
	if (chance(15)) {
		r->match |= PP_M_IIF;
		rnd_ifname(r->iifname, &r->iiflen);
	}
	if (chance(15)) {
		r->match |= PP_M_OIF;
		rnd_ifname(r->oifname, &r->oiflen);
	}
	return r;
}

void rnd_pkt(struct pp_pkt *p, bool v6)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     47, IPPROTO_TCP };

	memset(p, 0, sizeof(*p));
	rnd_addr(&p->key.saddr, v6);
	rnd_addr(&p->key.daddr, v6);
	p->has_proto = chance(97);
	if (p->has_proto) {
		p->key.proto = protos[pick(5)];
		if (v6 && p->key.proto == IPPROTO_ICMP)
			p->key.proto = IPPROTO_ICMPV6;
	}
	if (p->has_proto && (p->key.proto == IPPROTO_TCP ||
			     p->key.proto == IPPROTO_UDP) && chance(95)) {
		p->has_ports = true;
		p->key.sport = rnd_port();
		p->key.dport = rnd_port();
		p->syn = p->key.proto == IPPROTO_TCP && chance(50);
	} else if (p->has_proto && (p->key.proto == IPPROTO_ICMP ||
				    p->key.proto == IPPROTO_ICMPV6)) {
		p->has_icmp = true;
		p->icmp_type = pick(12);
	}
	p->ctstate = chance(20) ? 0 : 1U << pick(5);
	p->mark = chance(50) ? 0 : rnd_mark();
	p->in = chance(20) ? NULL : &devs[pick(6)];
	p->out = chance(20) ? NULL : &devs[pick(6)];
}

static bool is_nat(u8 action)
{
	return action == PKTPATH_ACT_SNAT || action == PKTPATH_ACT_DNAT ||
	       action == PKTPATH_ACT_MASQUERADE ||
	       action == PKTPATH_ACT_REDIRECT;
}

static bool is_terminal(u8 action)
{
	return action == PKTPATH_ACT_ACCEPT || action == PKTPATH_ACT_DROP ||
	       action == PKTPATH_ACT_REJECT;
}

/* The filter walk as hooks.c does it: the positions applied, in order. */
u32 walk(const struct pp_cls *cls, struct pp_rule **rules, u32 n,
	 struct pp_pkt pkt, bool linear, u32 *seq)
{
	struct pp_cls_iter it;
	u32 i = 0, len = 0;

	if (!linear)
		pp_cls_start(cls, &pkt, &it);
	for (;;) {
		const struct pp_rule *r;

		if (linear) {
			while (i < n && !pp_rule_match_real(rules[i], &pkt))
				i++;
		} else {
			i = pp_cls_next(cls, rules, n, &pkt, &it, i);
		}
		if (i >= n || len == MAXSEQ)
			return len;
		r = rules[i];
		if (is_nat(r->action)) {
			i++;
			continue;
		}
		seq[len++] = i++;
		if (r->action == PKTPATH_ACT_MARK)
			pkt.mark = r->set_mark;
		if (is_terminal(r->action))
			return len;
	}
}

/* The NAT walk as nat.c does it. */
static u32 nat_walk(const struct pp_cls *cls, struct pp_rule **rules, u32 n,
		    const struct pp_pkt *pkt, bool linear)
{
	struct pp_cls_iter it;
	u32 i;

	if (linear) {
		for (i = 0; i < n; i++)
			if (is_nat(rules[i]->action) &&
			    pp_rule_match_real(rules[i], pkt))
				return i;
		return n;
	}
	pp_cls_start(cls, pkt, &it);
	for (i = 0;; i++) {
		i = pp_cls_next(cls, rules, n, pkt, &it, i);
		if (i >= n || is_nat(rules[i]->action))
			return i;
	}
}

static u32 seq_a[MAXSEQ];
u32 seq_b[MAXSEQ];

/* @pkt through @cls and the linear walk: do the filter or NAT walks differ? */
static bool walks_differ(const struct pp_cls *cls, struct pp_rule **rules,
			 u32 n, const struct pp_pkt *pkt, bool report)
{
	u32 la = walk(cls, rules, n, *pkt, true, seq_a);
	u32 lb = walk(cls, rules, n, *pkt, false, seq_b);

	if (la == lb && !memcmp(seq_a, seq_b, la * sizeof(u32)) &&
	    nat_walk(cls, rules, n, pkt, true) ==
	    nat_walk(cls, rules, n, pkt, false))
		return false;
	if (report)
		printf("# first mismatch: %u rules, walk %u vs %u steps, last %u vs %u\n",
		       n, la, lb, la ? seq_a[la - 1] : n, lb ? seq_b[lb - 1] : n);
	return true;
}

/* @npkts random packets through @cls and the linear walk: how many differ. */
u32 compare(const struct pp_cls *cls, struct pp_rule **rules, u32 n,
	    bool v6, u32 npkts)
{
	u32 bad = 0, k;

	for (k = 0; k < npkts; k++) {
		struct pp_pkt pkt;

		rnd_pkt(&pkt, v6);
		bad += walks_differ(cls, rules, n, &pkt, !bad);
	}
	return bad;
}

void free_rules(struct pp_rule **rules, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		shim_free(rules[i]);
	shim_free(rules);
}

static void test_equivalence(void)
{
	u32 sets = 0, bad_sets = 0, pkts = 0, k;

	for (k = 0; k < 3000; k++) {
		bool v6 = k & 1;
		u32 n = k % 10 == 9 ? 200 + pick(1800) : 1 + pick(120), i;
		struct pp_rule **rules = shim_alloc(n * sizeof(*rules), false);
		struct pp_cls cls;
		u32 np = n > 200 ? 400 : 100;

		for (i = 0; i < n; i++)
			rules[i] = rnd_rule(v6);
		if (pp_cls_build(&cls, rules, n)) {
			bad_sets++;
			continue;
		}
		bad_sets += compare(&cls, rules, n, v6, np) != 0;
		sets++;
		pkts += np;
		pp_cls_free(&cls);
		free_rules(rules, n);
	}
	printf("# %u random rulesets (IPv4 and IPv6, 1-2000 rules), %u packets\n",
	       sets, pkts);
	check(!bad_sets && sets == 3000,
	      "random rulesets: the tree's walk is the linear first-match walk", "");
}

/* How many of @t's nodes are cut in cells. */
static u32 cells_nodes(const struct pp_tree *t)
{
	u32 q, c = 0;

	for (q = 0; t && q < t->nnodes; q++)
		c += (t->nodes[q].dim & PP_NODE_CELLS) && t->nodes[q].dim != PP_NDIMS;
	return c;
}

/*
 * Rules side by side in one field, which the tree cuts in cells: 98 in
 * 100 are one subnet pair's tcp or udp destination port ranges (0-7 wide)
 * over 1,024 or all 65,536 ports, with any action; the rest random (a
 * rule that spans every cell is copied into each: more of them and the
 * tree cuts in two). Most packets are the pair's, to ports in the span.
 */
static void test_cells_equivalence(void)
{
	static const u8 actions[] = {
		PKTPATH_ACT_ACCEPT, PKTPATH_ACT_DROP, PKTPATH_ACT_COUNTER,
		PKTPATH_ACT_COUNTER, PKTPATH_ACT_MARK, PKTPATH_ACT_DNAT,
	};
	u32 sets = 0, bad_sets = 0, cells = 0, k, i, j;

	for (k = 0; k < 200; k++) {
		bool v6 = k & 1;
		u32 n = 100 + pick(3000), span = k & 2 ? 1024 : 65536;
		struct pp_rule **rules = shim_alloc(n * sizeof(*rules), false);
		union nf_inet_addr sa, da;
		struct pp_cls cls;

		rnd_addr(&sa, v6);
		rnd_addr(&da, v6);
		for (i = 0; i < n; i++) {
			struct pp_rule *r;

			if (chance(2)) {
				rules[i] = rnd_rule(v6);
				continue;
			}
			r = rules[i] = new_rule();
			r->nfproto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
			r->action = actions[pick(sizeof(actions))];
			r->set_mark = rnd_mark();
			r->match = PP_M_SADDR | PP_M_DADDR | PP_M_PROTO |
				   PP_M_DPORT;
			r->saddr = sa;
			r->daddr = da;
			r->splen = v6 ? 64 : 24;
			r->dplen = v6 ? 64 : 24;
			mask_addr(&r->saddr, r->splen, v6);
			mask_addr(&r->daddr, r->dplen, v6);
			r->l4proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
			r->dport_min = pick(span);
			r->dport_max = min(65535U, r->dport_min + pick(8));
		}
		if (pp_cls_build(&cls, rules, n)) {
			bad_sets++;
			continue;
		}
		cells += cells_nodes(cls.tree);
		for (j = 0; j < 400; j++) {
			struct pp_pkt pkt;

			rnd_pkt(&pkt, v6);
			if (chance(80) && pkt.has_ports) {
				pkt.key.saddr = sa;
				pkt.key.daddr = da;
				pkt.key.dport = pick(span);
			}
			if (walks_differ(&cls, rules, n, &pkt, true)) {
				bad_sets++;
				break;
			}
		}
		sets++;
		pp_cls_free(&cls);
		free_rules(rules, n);
	}
	printf("# %u rulesets of port ranges side by side (100-3100 rules), 80,000 packets: %u nodes cut in cells\n",
	       sets, cells);
	check(!bad_sets && sets == 200 && cells >= 200,
	      "ranges side by side: cut in cells, the walk is the linear one", "");
}

/* Copy @rules with @at deleted (@ins NULL) or @ins inserted at @at. */
static struct pp_rule **edit_rules(struct pp_rule **rules, u32 n, u32 at,
				   struct pp_rule *ins)
{
	struct pp_rule **arr = shim_alloc((n + 1) * sizeof(*arr), false);
	u32 i, m = 0;

	for (i = 0; i <= n; i++) {
		if (ins && i == at)
			arr[m++] = ins;
		if (i < n && (ins || i != at))
			arr[m++] = rules[i];
	}
	return arr;
}

static void test_edits(void)
{
	u32 round, bad = 0, edits = 0, shared = 0;

	for (round = 0; round < 40; round++) {
		bool v6 = round & 1;
		u32 n = round < 20 ? 1 + pick(50) : 300 + pick(700), i, e;
		struct pp_rule **rules = shim_alloc(n * sizeof(*rules), false);
		struct pp_cls cls;

		for (i = 0; i < n; i++)
			rules[i] = rnd_rule(v6);
		pp_cls_build(&cls, rules, n);
		for (e = 0; e < 400; e++) {
			struct pp_rule **arr;
			struct pp_cls ncls;
			bool add = !n || chance(55);
			u32 at = add ? pick(n + 1) : pick(n), m = add ? n + 1 : n - 1;
			struct pp_rule *gone = add ? NULL : rules[at];

			arr = edit_rules(rules, n, at, add ? rnd_rule(v6) : NULL);
			if (pp_cls_edit(&ncls, &cls, arr, m, add ? U32_MAX : at,
					add ? at : U32_MAX)) {
				bad++;
				break;
			}
			shared += ncls.tree && ncls.tree == cls.tree;
			pp_cls_free(&cls);
			shim_free(gone);
			shim_free(rules);
			rules = arr;
			n = m;
			cls = ncls;
			edits++;
			bad += compare(&cls, rules, n, v6, 40) != 0;
		}
		pp_cls_free(&cls);
		free_rules(rules, n);
	}
	printf("# %u edits, %u of them kept the tree\n", edits, shared);
	check(!bad && shared > edits / 2,
	      "rules added and deleted one by one: the walk stays the linear one", "");
}

static void test_alloc_failures(void)
{
	u32 n = 300, i, failures = 0, bad = 0;
	struct pp_rule **rules = shim_alloc(n * sizeof(*rules), false);
	struct pp_cls cls, ncls;
	long before, k;

	for (i = 0; i < n; i++)
		rules[i] = rnd_rule(false);
	for (k = 1;; k++) {
		int err;

		before = live;
		nalloc = 0;
		fail_at = k;
		err = pp_cls_build(&cls, rules, n);
		fail_at = 0;
		if (!err)
			break;
		failures++;
		bad += err != -ENOMEM || live != before;
	}
	bad += compare(&cls, rules, n, false, 200) != 0;
	/* an edit that keeps the tree, failed at each allocation */
	for (k = 1;; k++) {
		int err;

		before = live;
		nalloc = 0;
		fail_at = k;
		err = pp_cls_edit(&ncls, &cls, rules, n - 1, n - 1, U32_MAX);
		fail_at = 0;
		if (!err)
			break;
		failures++;
		bad += err != -ENOMEM || live != before;
	}
	pp_cls_free(&ncls);
	pp_cls_free(&cls);
	free_rules(rules, n);
	printf("# %u allocation failures injected, one at a time\n", failures);
	check(!bad && failures > 5 && live == 0,
	      "every failed allocation: -ENOMEM, nothing leaked", "");
}

int main(int argc, char **argv)
{
	static const char kinds[] = "abcdmxre";
	int i;

	rnd_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < 6; i++)
		strcpy(devs[i].name, ifnames[i]);
	printf("TAP version 13\n1..%d\n", 4 + 17);
	printf("# seed %#llx\n", (unsigned long long)rnd_state);
	test_equivalence();
	test_cells_equivalence();
	test_edits();
	test_alloc_failures();
	for (i = 0; i < 8; i++) {
		test_flat(kinds[i], 10000);
		test_flat(kinds[i], 65536);
	}
	test_flat('w', 10000);
	printf("# %d of %d failed\n", nfail, ntest);
	return nfail ? 1 : 0;
}
