// SPDX-License-Identifier: GPL-2.0
/*
 * cls_test's flatness cases: make bench-nf's rule kinds (and the worst
 * case) at 10,000 and 65,536 rules, the trees' depth, size and build
 * time, and how many rules a packet is checked against.
 */
#include <stdio.h>
#include <time.h>

#include "cls_test.h"

/* Leave @r's destination open, or its source, or neither: a third each. */
static void one_address_in_two(struct pp_rule *r)
{
	u32 w = pick(3);

	if (w == 0) {
		r->match &= ~PP_M_DADDR;
		r->dplen = 0;
	} else if (w == 1) {
		r->match &= ~PP_M_SADDR;
		r->splen = 0;
	}
}

/* kind r's rule count: its ranges are slots of the port space */
static u32 ranges_n;

/* The benchmark's kinds (qemu/guest/nf_bench.sh), as in make bench-nf. */
static struct pp_rule *bench_rule(char kind, u32 i)
{
	struct pp_rule *r = new_rule();
	bool v6 = kind == 'e' || kind == 'w';
	u32 w;

	r->nfproto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	r->action = PKTPATH_ACT_DROP;
	r->match = PP_M_SADDR;
	switch (kind) {
	case 'a':
		r->splen = 32;
		r->saddr.ip = htonl(0xac100000 + i);
		return r;
	case 'r':
		/*
		 * make bench-nf's ranges: the bench's own subnet pair, udp,
		 * rule i a range in the i-th of n slots over the ports, none
		 * covering 5201 (selftests/nf_model.awk)
		 */
		r->match |= PP_M_DADDR | PP_M_PROTO | PP_M_DPORT;
		r->splen = 24;
		r->dplen = 24;
		r->saddr.ip = htonl(0x0a010000);
		r->daddr.ip = htonl(0x0a020000);
		r->l4proto = IPPROTO_UDP;
		{
			u32 a = (u32)((u64)i * 65534 / ranges_n);
			u32 b = (u32)((u64)(i + 1) * 65534 / ranges_n);
			u32 w = b - a > 1 ? pick(b - a) : 0;

			r->dport_min = a + 1 + (a + 1 >= 5201);
			r->dport_max = a + w + 1 + (a + w + 1 >= 5201);
			if (r->dport_min < 5201 && r->dport_max >= 5201)
				r->dport_max = 5200;
		}
		return r;
	case 'c':
		r->match |= PP_M_DADDR | PP_M_PROTO | PP_M_DPORT;
		r->splen = 24;
		r->dplen = 24;
		r->saddr.ip = htonl(0xc6336400);
		r->daddr.ip = htonl(0xc6120000);
		r->l4proto = IPPROTO_TCP;
		r->dport_min = 1 + pick(65000);
		r->dport_max = r->dport_min + pick(64);
		return r;
	}
	if (kind == 'd' && i % 10 == 9)
		r->action = PKTPATH_ACT_COUNTER;
	r->match |= PP_M_DADDR;
	r->splen = v6 ? 16 + pick(113) : 8 + pick(25);
	r->dplen = v6 ? 16 + pick(113) : 8 + pick(25);
	for (w = 0; w < (v6 ? 4 : 1); w++) {
		r->saddr.ip6[w] = htonl(rnd());
		r->daddr.ip6[w] = htonl(rnd());
	}
	/*
	 * Never the bench's own networks: IPv4 in 64/2, IPv6 in 2000::/3
	 * (kind w: all in one /28, prefixes nested: the worst case).
	 */
	r->saddr.ip = htonl((ntohl(r->saddr.ip) & 0x1fffffff) |
			    (v6 ? 0x20000000 : 0x40000000));
	r->daddr.ip = htonl((ntohl(r->daddr.ip) & 0x1fffffff) |
			    (v6 ? 0x20000000 : 0x40000000));
	if (kind == 'w') {
		r->saddr.ip = htonl(0x20010000 | pick(16));
		r->daddr.ip = htonl(0x20010000 | pick(16));
	}
	/*
	 * kind x: make bench-nf's mixed exactly: prefixes of /12 to /32 in
	 * 172.16.0.0/12, one address in two rules of three, any protocol
	 * or tcp or udp, no port, a port or a range (selftests/nf_model.awk)
	 */
	if (kind == 'x') {
		r->splen = 12 + pick(21);
		r->dplen = 12 + pick(21);
		r->saddr.ip = htonl(0xac100000 | (rnd() & 0xfffff));
		r->daddr.ip = htonl(0xac100000 | (rnd() & 0xfffff));
		one_address_in_two(r);
		mask_addr(&r->saddr, r->splen, false);
		mask_addr(&r->daddr, r->dplen, false);
		w = pick(10);
		if (w < 2)
			return r;
		r->match |= PP_M_PROTO;
		r->l4proto = w < 6 ? IPPROTO_TCP : IPPROTO_UDP;
		w = pick(10);
		if (w < 3)
			return r;
		r->match |= PP_M_DPORT;
		r->dport_min = 1 + pick(65535);
		r->dport_max = w < 7 ? r->dport_min :
			min(65535, r->dport_min + pick(1000));
		return r;
	}
	/* kind m: as make bench-nf's mixed, one address in two of three */
	if (kind == 'm' || kind == 'e')
		one_address_in_two(r);
	mask_addr(&r->saddr, r->splen, v6);
	mask_addr(&r->daddr, r->dplen, v6);
	if (v6)
		return r;
	r->match |= PP_M_PROTO | PP_M_DPORT;
	r->l4proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	r->dport_min = pick(65536);
	r->dport_max = chance(50) ? r->dport_min :
		min(65535, r->dport_min + pick(1000));
	if (chance(30)) {
		r->match |= PP_M_SPORT;
		r->sport_min = 1024 + pick(60000);
		r->sport_max = r->sport_min;
	}
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void test_flat(char kind, u32 n)
{
	struct pp_rule **rules = shim_alloc(n * sizeof(*rules), false);
	u32 i, k, npk = 20000, bad;
	struct pp_cls cls;
	double t0, build_ms, lookup_ns, per_pkt;
	char what[96];
	bool v6 = kind == 'e' || kind == 'w';

	ranges_n = n;
	for (i = 0; i < n; i++)
		rules[i] = bench_rule(kind, i);
	/* kinds x, r: the bench's last rule accepts its client, 10.1.0.2 */
	if (kind == 'x' || kind == 'r') {
		rules[n - 1]->match = PP_M_SADDR;
		rules[n - 1]->splen = 32;
		rules[n - 1]->dplen = 0;
		rules[n - 1]->saddr.ip = htonl(0x0a010002);
		rules[n - 1]->action = PKTPATH_ACT_ACCEPT;
	}
	t0 = now_ms();
	pp_cls_build(&cls, rules, n);
	build_ms = now_ms() - t0;
	nmatch = 0;
	t0 = now_ms();
	for (k = 0; k < npk; k++) {
		struct pp_pkt pkt;

		rnd_pkt(&pkt, v6);
		/* kinds x, r: the bench's UDP flow, 10.1.0.2 -> 10.2.0.2:5201 */
		if (kind == 'x' || kind == 'r') {
			pkt.key.saddr.ip = htonl(0x0a010002);
			pkt.key.daddr.ip = htonl(0x0a020002);
			pkt.has_proto = true;
			pkt.has_ports = true;
			pkt.has_icmp = false;
			pkt.key.proto = IPPROTO_UDP;
			pkt.key.dport = 5201;
		}
		/* also the bench's own flows, which no rule matches */
		if (k & 1 && !v6 && kind != 'r') {
			pkt.key.saddr.ip = htonl(0x0a000002);
			pkt.key.daddr.ip = htonl(0x0a000102);
		}
		walk(&cls, rules, n, pkt, false, seq_b);
	}
	lookup_ns = (now_ms() - t0) * 1e6 / npk;
	per_pkt = (double)nmatch / npk;
	bad = compare(&cls, rules, n, v6, 300);
	printf("# kind %c, %u rules: depth %u, %u nodes, %.2f leaf entries a rule (largest leaf %u), %.0f B a rule, built in %.0f ms; a packet: %.2f rules checked, %.0f ns\n",
	       kind, n, cls.tree->depth, cls.tree->nnodes,
	       (double)cls.tree->nents / n, cls.tree->max_leaf,
	       (cls.tree->nnodes * (double)sizeof(struct pp_node) +
		cls.tree->nents * 4.0) / n + 4, build_ms, per_pkt, lookup_ns);
	snprintf(what, sizeof(what), " (kind %c, %u rules)", kind, n);
	if (kind == 'w')
		check(!bad, "worst case: the walk is still the linear one", what);
	else
		check(!bad && per_pkt <= 4 * PP_CLS_GROUPS &&
		      cls.tree->depth <= 48,
		      "flat: a packet is checked against at most a small leaf of each tree on average",
		      what);
	pp_cls_free(&cls);
	free_rules(rules, n);
}

