// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: the routing station, from the kernel's
 * fib:fib_table_lookup and fib6:fib6_table_lookup tracepoints: one event
 * per routing table consulted, with the flow key looked up and the result
 * (nexthop device and gateway, or an error saying why no route). They
 * carry no skb, so they are tied to a packet by CPU, time and the
 * addresses looked up (journey_join.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey.h"

bool is_fib_event(const struct tev *e)
{
	return !strcmp(e->name, "fib_table_lookup") || !strcmp(e->name, "fib6_table_lookup");
}

/* "... %pI4/%u -> %pI4/%u ..." (or %pI6c): address and port. */
static int addr_port(const char *s, int af, __u8 *addr, unsigned int *port)
{
	char buf[64];
	const char *slash = strrchr(s, '/');

	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	*port = (unsigned int)strtoul(slash + 1, NULL, 10);
	return inet_pton(af, buf, addr) == 1 ? 0 : -1;
}

/* The ip rule kprobe_prepass() found for this lookup: "rule=P fwmark=M/K mark=X". */
static void rule_parse(const struct tev *e, struct fibev *f)
{
	char pref[16], fw[40], mark[24];

	if (!tev_field(e, "rule", pref, sizeof(pref)) || !tev_field(e, "fwmark", fw, sizeof(fw)) ||
	    !tev_field(e, "mark", mark, sizeof(mark)) ||
	    sscanf(fw, "%x/%x", &f->rule_fwmark, &f->rule_fwmask) != 2)
		return;
	f->rule = true;
	f->rule_pref = (unsigned int)strtoul(pref, NULL, 10);
	f->mark = (unsigned int)strtoul(mark, NULL, 16);
}

/*
 * "table 254 oif 0 iif 2 proto 1 10.0.1.2/0 -> 10.0.2.2/0 tos 0 scope 0
 *  flags 0 ==> dev eth1 gw 0.0.0.0/:: err 0", the IPv6 one without the
 * second gateway.
 */
int fib_parse(const struct tev *e, struct fibev *f)
{
	char src[64], dst[64], gw[96];
	int af;

	memset(f, 0, sizeof(*f));
	if (!is_fib_event(e))
		return -1;
	f->family = e->name[3] == '6' ? 6 : 4;
	af = f->family == 4 ? AF_INET : AF_INET6;
	if (sscanf(e->args, "table %u oif %d iif %d proto %u %63s -> %63s", &f->table,
		   &f->oif, &f->iif, &f->proto, src, dst) != 6)
		return -1;
	if (addr_port(src, af, f->src, &f->sport) || addr_port(dst, af, f->dst, &f->dport))
		return -1;
	{
		const char *r = strstr(e->args, "==> dev ");

		if (!r || sscanf(r, "==> dev %23s gw %95s err %d", f->dev, gw, &f->err) != 3)
			return -1;
	}
	/*
	 * IPv4 prints its gateway as "a.b.c.d/v6addr". The 6.1 tracepoint
	 * sets one half and zeroes the other for a route with a gateway but
	 * leaves both unwritten for a directly connected one, so they hold
	 * whatever the ring buffer held before: only a pair with exactly one
	 * half zero names a gateway, and fib_describe() shows an IPv4 one
	 * only when it is on the device's link (junk can have a zero half).
	 */
	if (f->family == 4) {
		char *slash = strchr(gw, '/');
		__u8 any[16] = { 0 }, a4[4], a6[16];
		int has4, has6;

		if (!slash)
			return -1;
		*slash = '\0';
		if (inet_pton(AF_INET, gw, a4) != 1 || inet_pton(AF_INET6, slash + 1, a6) != 1)
			return -1;
		has4 = !!memcmp(a4, any, 4);
		has6 = !!memcmp(a6, any, 16);
		if (has4 && !has6)
			snprintf(f->gw, sizeof(f->gw), "%s", gw);
		else if (has6 && !has4)
			snprintf(f->gw, sizeof(f->gw), "%s", slash + 1);
	} else {
		__u8 any[16] = { 0 }, a6[16];

		if (inet_pton(AF_INET6, gw, a6) == 1 && memcmp(a6, any, 16))
			snprintf(f->gw, sizeof(f->gw), "%s", gw);
	}
	if (!strcmp(f->dev, "-"))
		f->dev[0] = '\0';
	rule_parse(e, f);
	return 0;
}

/*
 * Could this lookup be for this packet (as its headers were at its last
 * station)? The destination must agree; the source too when the key has
 * one (an output lookup before source selection has none), the protocol
 * and ports when the key carries them (input lookups leave them 0 unless
 * some ip rule looks at them).
 */
bool fib_matches(const struct fibev *f, const struct pkthdr *h)
{
	static const __u8 zero[16];
	size_t alen = f->family == 4 ? 4 : 16;

	if (!h->ok || h->family != f->family || memcmp(f->dst, h->daddr, alen))
		return false;
	if (memcmp(f->src, zero, alen) && memcmp(f->src, h->saddr, alen))
		return false;
	if (f->proto && f->proto != h->proto)
		return false;
	if ((h->proto == 6 || h->proto == 17) &&
	    ((f->sport && f->sport != h->sport) || (f->dport && f->dport != h->dport)))
		return false;
	return true;
}

static const char *table_name(unsigned int t, char *buf, size_t len)
{
	switch (t) {
	case 255:
		return "local";
	case 254:
		return "main";
	case 253:
		return "default";
	}
	snprintf(buf, len, "%u", t);
	return buf;
}

static void route_describe(const struct fibev *f, char *buf, size_t len);

/*
 * What the lookup found, in the words of 'ip route', after the ip rule
 * that chose the table (as 'ip rule' lists it) and the packet's mark.
 */
void fib_describe(const struct fibev *f, char *buf, size_t len)
{
	char rule[96] = "", fw[40] = "";
	int n;

	if (f->rule) {
		if (f->rule_fwmask == 0xffffffff)
			snprintf(fw, sizeof(fw), " fwmark 0x%x", f->rule_fwmark);
		else if (f->rule_fwmask)
			snprintf(fw, sizeof(fw), " fwmark 0x%x/0x%x", f->rule_fwmark,
				 f->rule_fwmask);
		snprintf(rule, sizeof(rule), "ip rule %u%s (mark 0x%x), ", f->rule_pref, fw,
			 f->mark);
	}
	n = snprintf(buf, len, "%s", rule);
	if (n < 0 || (size_t)n >= len)
		return;
	route_describe(f, buf + n, len - (size_t)n);
}

static void route_describe(const struct fibev *f, char *buf, size_t len)
{
	char tb[16];
	const char *t = table_name(f->table, tb, sizeof(tb));

	/* IPv6 reports a table without the route as its null entry. */
	if (f->family == 6 && f->err == -EHOSTUNREACH && !f->dev[0]) {
		snprintf(buf, len, "table %s: no route, next rule", t);
		return;
	}
	switch (f->err) {
	case 0:
		if (f->table == 255)
			snprintf(buf, len, "table %s: local route, dev %s", t, f->dev);
		else if (f->gw[0] && (f->family == 6 || gw4_onlink(f->dev, f->gw)))
			snprintf(buf, len, "table %s: via %s dev %s", t, f->gw, f->dev);
		else
			snprintf(buf, len, "table %s: dev %s (directly connected)", t, f->dev);
		return;
	case -EAGAIN:
		snprintf(buf, len, "table %s: no route, next rule", t);
		return;
	case -ENETUNREACH:
		snprintf(buf, len, "table %s: network unreachable (no route)", t);
		return;
	case -EHOSTUNREACH:
		snprintf(buf, len, "table %s: unreachable route", t);
		return;
	case -EINVAL:
		snprintf(buf, len, "table %s: blackhole route", t);
		return;
	case -EACCES:
		snprintf(buf, len, "table %s: prohibit route", t);
		return;
	}
	snprintf(buf, len, "table %s: error %d", t, f->err);
}
