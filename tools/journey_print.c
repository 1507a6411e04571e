// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: print timelines, one line per station: when, where
 * (namespace and device), which station and what happened there, and at
 * the end the packet's fate: delivered, or where and why it died.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journey.h"
#include "json.h"

/* ---- namespaces: "where" an event happened ------------------------------- */

struct nsname {
	unsigned long ino;
	char name[64];
	char devs[512];			/* " eth0 eth1 " */
};

static struct nsname nsn[64];
static int nnsn;

/* The IPv4 subnets on each device of the namespaces scanned. */
struct subnet4 {
	char dev[IF_NAMESIZE];
	__u32 net, mask;	/* host order */
};

static struct subnet4 subnets[256];
static int nsubnets;
/* Read this machine's (a recording), or only a saved trace's (-r). */
static bool subnets_live = true;

void subnets_from_trace(void)
{
	subnets_live = false;
}

static void subnet_add(const char *dev, __u32 net, __u32 mask)
{
	struct subnet4 *s = &subnets[nsubnets];

	if (nsubnets == (int)ARRAY_SIZE(subnets))
		return;
	snprintf(s->dev, sizeof(s->dev), "%s", dev);
	s->mask = mask;
	s->net = net & mask;
	nsubnets++;
}

/* "# pktpath-subnet DEV A.B.C.D/LEN", as subnets_save() writes it. */
void subnet_line(const char *line)
{
	char dev[IF_NAMESIZE], addr[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned int len;

	if (sscanf(line, "# pktpath-subnet %15s %15[0-9.]/%u", dev, addr, &len) == 3 &&
	    len <= 32 && inet_pton(AF_INET, addr, &a) == 1)
		subnet_add(dev, ntohl(a.s_addr), len ? ~0U << (32 - len) : 0);
}

/* The subnets into a saved trace, so that -r reads it as recorded. */
void subnets_save(FILE *f)
{
	struct in_addr a;
	char buf[INET_ADDRSTRLEN];
	int i;

	for (i = 0; i < nsubnets; i++) {
		a.s_addr = htonl(subnets[i].net);
		fprintf(f, "# pktpath-subnet %s %s/%d\n", subnets[i].dev,
			inet_ntop(AF_INET, &a, buf, sizeof(buf)) ?: "0.0.0.0",
			__builtin_popcount(subnets[i].mask));
	}
}

/* The current namespace's IPv4 subnets, into subnets[]. */
static void subnets_add(void)
{
	struct ifaddrs *ifa, *a;

	if (!subnets_live || getifaddrs(&ifa))
		return;
	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || !a->ifa_netmask || a->ifa_addr->sa_family != AF_INET)
			continue;
		subnet_add(a->ifa_name,
			   ntohl(((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr),
			   ntohl(((struct sockaddr_in *)a->ifa_netmask)->sin_addr.s_addr));
	}
	freeifaddrs(ifa);
}

/*
 * Is IPv4 gateway @gw plausible on @dev: inside a subnet of a device of
 * that name? 6.1's fib_table_lookup leaves the gateway unwritten for a
 * directly connected route, so it can hold any old bytes; a real
 * gateway is on the link (an 'onlink' route's is not, and shows as
 * directly connected). A device no scanned namespace has (or a trace
 * read with -r that carries no subnets): plausible.
 */
bool gw4_onlink(const char *dev, const char *gw)
{
	struct in_addr a;
	bool known = false;
	int i;

	if (inet_pton(AF_INET, gw, &a) != 1)
		return false;
	for (i = 0; i < nsubnets; i++) {
		if (strcmp(subnets[i].dev, dev))
			continue;
		known = true;
		if ((ntohl(a.s_addr) & subnets[i].mask) == subnets[i].net)
			return true;
	}
	return !known;
}

static void ns_add(unsigned long ino, const char *name, int fd)
{
	struct if_nameindex *ifs, *i;
	int self = open("/proc/self/ns/net", O_RDONLY);
	struct nsname *n;

	if (nnsn == (int)ARRAY_SIZE(nsn))
		goto out;
	n = &nsn[nnsn++];
	n->ino = ino;
	snprintf(n->name, sizeof(n->name), "%s", name);
	strcpy(n->devs, " ");
	if (fd >= 0 && self >= 0 && setns(fd, CLONE_NEWNET) == 0) {
		ifs = if_nameindex();
		for (i = ifs; i && i->if_index; i++) {
			if (strlen(n->devs) + strlen(i->if_name) + 2 < sizeof(n->devs)) {
				strcat(n->devs, i->if_name);
				strcat(n->devs, " ");
			}
		}
		if (ifs)
			if_freenameindex(ifs);
		subnets_add();
		setns(self, CLONE_NEWNET);
	}
out:
	if (self >= 0)
		close(self);
}

void ns_scan(void)
{
	struct dirent *d;
	struct stat st;
	char path[300];
	DIR *dir;
	int fd;

	subnets_add();		/* our own namespace, should setns be denied */
	fd = open("/proc/1/ns/net", O_RDONLY);
	if (fd >= 0 && !fstat(fd, &st))
		ns_add(st.st_ino, "init", fd);
	if (fd >= 0)
		close(fd);
	dir = opendir("/run/netns");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		fd = open(path, O_RDONLY);
		if (fd >= 0 && !fstat(fd, &st))
			ns_add(st.st_ino, d->d_name, fd);
		if (fd >= 0)
			close(fd);
	}
	if (dir)
		closedir(dir);
}

static const char *ns_of_dev(const char *dev)
{
	char pat[32];
	int i;

	if (!dev[0])
		return "";
	snprintf(pat, sizeof(pat), " %s ", dev);
	/* Later entries first: named namespaces before init. */
	for (i = nnsn - 1; i >= 0; i--)
		if (strstr(nsn[i].devs, pat))
			return nsn[i].name;
	return "";
}

/*
 * A namespace this machine does not have (a trace read with -r from
 * another, or one since deleted) is named by its inode.
 */
static const char *ns_of_ino(unsigned long ino)
{
	static char unknown[4][24];
	static int next;
	char *b;
	int i;

	for (i = 0; i < nnsn; i++)
		if (nsn[i].ino == ino)
			return nsn[i].name;
	if (!ino)
		return "";
	b = unknown[next++ % 4];
	snprintf(b, sizeof(unknown[0]), "ns:%lu", ino);
	return b;
}

/* The namespace of an event that names it (pktpath_nf's ns=). */
static const char *ns_of_event(const struct tev *e)
{
	char buf[32];

	return ns_of_ino(strtoul(tev_field(e, "ns", buf, sizeof(buf)) ?: "0", NULL, 10));
}

/* ---- printing -------------------------------------------------------------------- */

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

/* The conntrack state a hook event saw, when there was one. */
static const char *ct_detail(const struct tev *e, char *buf, size_t len)
{
	if (!tev_field(e, "ct", buf, len) || !strcmp(buf, "none")) {
		buf[0] = '\0';
		return NULL;
	}
	return buf;
}

/*
 * Drop reasons that name the station themselves: a packet that dies with
 * one of them died there, not at its last station.
 */
static const struct {
	const char *reason, *station, *why;
} reason_stations[] = {
	{ "TC_INGRESS", "tc ingress", "a clsact filter's verdict: shot" },
	{ "TC_EGRESS", "tc egress", "a clsact filter's verdict: shot" },
	{ "TC_CHAIN_NOTFOUND", "tc", "goto a chain that has no filters" },
	{ "QDISC_DROP", "qdisc", "the queueing discipline dropped it" },
	{ "CPU_BACKLOG", "netif_rx (backlog)", "the CPU's backlog queue is full" },
	{ "NO_SOCKET", "socket", "no socket takes it" },
	{ "SOCKET_FILTER", "socket", "the socket's filter refused it" },
	{ "SOCKET_RCVBUFF", "socket", "receive buffer full" },
	{ "SOCKET_BACKLOG", "socket", "socket backlog full" },
	{ "PROTO_MEM", "socket", "the protocol's memory limit" },
};

/* The reason's station and why, for a kfree_skb with such a reason. */
static bool reason_station(const struct tev *e, const char **st, const char **why)
{
	const char *r = strstr(e->args, "reason: ");
	size_t i, n;

	if (!r)
		return false;
	r += 8;
	n = strcspn(r, "\n ");
	for (i = 0; i < ARRAY_SIZE(reason_stations); i++) {
		if (strlen(reason_stations[i].reason) == n &&
		    !strncmp(r, reason_stations[i].reason, n)) {
			*st = reason_stations[i].station;
			*why = reason_stations[i].why;
			return true;
		}
	}
	return false;
}

/* tc's verdicts (TC_ACT_*), from -1: no filter matched. */
static const char *tc_verdict(int v)
{
	static const char * const names[] = {
		"no filter matched: continue", "ok", "reclassify", "shot", "pipe",
		"stolen", "queued", "repeat", "redirect", "trap",
	};

	return v >= -1 && v <= 8 ? names[v + 1] : "?";
}

/* A kprobe station: the transport, the socket, tc, the bridge. */
static bool kprobe_station(const struct tev *e, char *st, size_t stlen, char *det,
			   size_t dlen)
{
	static const struct {
		const char *ev, *st, *det;
	} fixed[] = {
		{ "kp_ip_out", "transport", "handed to IPv4 (__ip_local_out)" },
		{ "kp_ip6_xmit", "transport", "handed to IPv6 (ip6_xmit)" },
		{ "kp_ip6_out", "transport", "handed to IPv6 (ip6_local_out)" },
		{ "kp_tcp_rcv", "transport", "TCP receive (tcp_v4_rcv)" },
		{ "kp_udp_rcv", "transport", "UDP receive (udp_rcv)" },
		{ "kp_icmp_rcv", "transport", "ICMP receive (icmp_rcv)" },
		{ "kp_tcp6_rcv", "transport", "TCP receive (tcp_v6_rcv)" },
		{ "kp_udp6_rcv", "transport", "UDP receive (udpv6_rcv)" },
		{ "kp_icmp6_rcv", "transport", "ICMPv6 receive (icmpv6_rcv)" },
		{ "kp_udp_queue", "socket queue", "queued on the socket's receive buffer" },
		{ "kp_tcp_queue", "socket queue", "TCP established: into the socket" },
		{ "kp_br_flood", "bridge", "flooded to every port" },
		{ "kp_br_up", "bridge", "up to the bridge's own device (local)" },
	};
	char a[64], b[64], c[32];
	size_t i;

	if (!is_kprobe_event(e))
		return false;
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (!strcmp(e->name, fixed[i].ev)) {
			snprintf(st, stlen, "%s", fixed[i].st);
			snprintf(det, dlen, "%s", fixed[i].det);
			return true;
		}
	}
	if (!strcmp(e->name, "kp_udp_read")) {
		/* a peek passes its length negated */
		long n = atol(tev_field(e, "len", a, sizeof(a)) ?: "0");

		snprintf(st, stlen, "socket");
		snprintf(det, dlen, "%ld bytes %s by %s", n < 0 ? -n : n,
			 n < 0 ? "peeked at" : "read", e->task[0] ? e->task : "the application");
	} else if (!strcmp(e->name, "kp_send") || !strcmp(e->name, "kp_send6")) {
		snprintf(st, stlen, "socket send");
		snprintf(det, dlen, "%s wrote %s bytes", e->task[0] ? e->task : "the application",
			 tev_field(e, "len", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "kp_tc_ret")) {
		/* "(caller+off/size <- tcf_classify)": egress from dev_queue_xmit */
		const char *caller = e->args[0] == '(' ? e->args + 1 : "";
		int v = atoi(tev_field(e, "verdict", c, sizeof(c)) ?: "-2");

		if (!strncmp(caller, "__netif_receive_skb", 19))
			snprintf(st, stlen, "tc ingress");
		else if (!strncmp(caller, "__dev_queue_xmit", 16))
			snprintf(st, stlen, "tc egress");
		else
			snprintf(st, stlen, "tc classify");
		if (tev_field(e, "filter", a, sizeof(a)) && v != -1)
			snprintf(det, dlen, "%s pref %s -> %s", a,
				 tev_field(e, "pref", b, sizeof(b)) ?: "?", tc_verdict(v));
		else
			snprintf(det, dlen, "%s", tc_verdict(v));
	} else if (!strcmp(e->name, "kp_br_in")) {
		snprintf(st, stlen, "bridge");
		snprintf(det, dlen, "in on port %s", e->dev[0] ? e->dev : "?");
	} else if (!strcmp(e->name, "kp_br_fwd")) {
		snprintf(st, stlen, "bridge");
		snprintf(det, dlen, "forwarded to port %s",
			 tev_field(e, "to", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "kp_br_xmit")) {
		snprintf(st, stlen, "bridge");
		snprintf(det, dlen, "sent by the bridge device %s", e->dev[0] ? e->dev : "?");
	} else {
		snprintf(st, stlen, "%s", e->name + 3);
		snprintf(det, dlen, "%s", e->args);
	}
	return true;
}

/* Station name, host and detail of one event. */
static void station(const struct tev *e, char *st, size_t stlen, char *where, size_t wlen,
		    char *det, size_t dlen)
{
	const char *ns = ns_of_dev(e->dev);
	char a[64], b[64], c[64], d[64], f[64], g[32];

	snprintf(where, wlen, "%s%s%s", ns, ns[0] && e->dev[0] ? " " : "", e->dev);
	det[0] = '\0';
	if (!strcmp(e->name, "pktpath_nf_hook")) {
		snprintf(st, stlen, "%s", tev_field(e, "hook", a, sizeof(a)) ?: "hook");
		upcase(st);
		snprintf(where, wlen, "%s", ns_of_event(e));
		if (!tev_field(e, "rule", c, sizeof(c)))
			strcpy(c, "0");
		snprintf(det, dlen, "%s %s%s%s in=%s out=%s%s%s%s%s",
			 tev_field(e, "family", f, sizeof(f)) ?: "",
			 strcmp(c, "0") ? "rule " : "policy",
			 strcmp(c, "0") ? c : "",
			 strcmp(c, "0") ? ":" : "",
			 tev_field(e, "in", a, sizeof(a)) ?: "-",
			 tev_field(e, "out", b, sizeof(b)) ?: "-",
			 " -> ", tev_field(e, "verdict", d, sizeof(d)) ?: "?",
			 ct_detail(e, g, sizeof(g)) ? ", ct " : "", g);
	} else if (is_fib_event(e)) {
		struct fibev fib;

		snprintf(st, stlen, "routing");
		where[0] = '\0';
		if (fib_parse(e, &fib))
			snprintf(det, dlen, "%s", e->args);
		else
			fib_describe(&fib, det, dlen);
	} else if (!strcmp(e->name, "pktpath_nf_nat")) {
		snprintf(st, stlen, "NAT (conntrack)");
		snprintf(where, wlen, "%s", ns_of_event(e));
		snprintf(det, dlen, "rule %s %s: now %s -> %s",
			 tev_field(e, "rule", a, sizeof(a)) ?: "?",
			 tev_field(e, "kind", c, sizeof(c)) ?: "?",
			 tev_field(e, "src", d, sizeof(d)) ?: "?",
			 tev_field(e, "dst", f, sizeof(f)) ?: "?");
	} else if (kprobe_station(e, st, stlen, det, dlen)) {
		/* the kprobes' stations */
	} else if (!strcmp(e->name, "pktpath_e1000_rx")) {
		snprintf(st, stlen, "RX ring (DMA)");
		snprintf(det, dlen, "desc %s, %s bytes", tev_field(e, "idx", a, sizeof(a)) ?: "?",
			 tev_field(e, "len", b, sizeof(b)) ?: "?");
	} else if (!strcmp(e->name, "pktpath_e1000_xdp")) {
		snprintf(st, stlen, "XDP");
		snprintf(det, dlen, "prog %s, desc %s, %s bytes -> %s",
			 tev_field(e, "prog_id", a, sizeof(a)) ?: "?",
			 tev_field(e, "idx", b, sizeof(b)) ?: "?",
			 tev_field(e, "len", c, sizeof(c)) ?: "?",
			 tev_field(e, "act", d, sizeof(d)) ?: "?");
	} else if (!strcmp(e->name, "pktpath_e1000_irq")) {
		snprintf(st, stlen, "interrupt");
		snprintf(det, dlen, "ICR %s", tev_field(e, "icr", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "pktpath_e1000_napi_poll")) {
		snprintf(st, stlen, "NAPI poll");
		snprintf(det, dlen, "budget %s", tev_field(e, "budget", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "pktpath_e1000_tx")) {
		snprintf(st, stlen, "TX ring");
		snprintf(det, dlen, "desc %s (%s descriptors), doorbell %s",
			 tev_field(e, "idx", a, sizeof(a)) ?: "?",
			 tev_field(e, "descs", b, sizeof(b)) ?: "?",
			 !strcmp(tev_field(e, "doorbell", c, sizeof(c)) ?: "0", "1") ?
			 "rung (TDT written)" : "deferred (more coming)");
	} else if (!strcmp(e->name, "pktpath_e1000_tx_done")) {
		snprintf(st, stlen, "TX done (wire)");
		snprintf(det, dlen, "desc %s reclaimed", tev_field(e, "idx", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "netif_rx")) {
		snprintf(st, stlen, "netif_rx (backlog)");
	} else if (!strcmp(e->name, "netif_receive_skb")) {
		snprintf(st, stlen, "stack receive");
		snprintf(det, dlen, "netif_receive_skb, %s bytes",
			 tev_field(e, "len", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "net_dev_queue")) {
		snprintf(st, stlen, "qdisc");
		snprintf(det, dlen, "dev_queue_xmit, %s bytes",
			 tev_field(e, "len", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "net_dev_xmit")) {
		snprintf(st, stlen, "driver xmit");
		snprintf(det, dlen, "rc %s", tev_field(e, "rc", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "skb_copy_datagram_iovec")) {
		snprintf(st, stlen, "socket");
		snprintf(det, dlen, "%s bytes copied to the application",
			 tev_field(e, "len", a, sizeof(a)) ?: "?");
	} else if (!strcmp(e->name, "kfree_skb")) {
		const char *r = strstr(e->args, "reason: "), *rst, *why;

		snprintf(st, stlen, "DROPPED");
		if (reason_station(e, &rst, &why))
			snprintf(det, dlen, "reason %s (%s: %s)", r + 8, rst, why);
		else
			snprintf(det, dlen, "reason %s", r ? r + 8 : "?");
	} else if (!strcmp(e->name, "consume_skb")) {
		snprintf(st, stlen, "freed");
		snprintf(det, dlen, "done with");
	} else {
		snprintf(st, stlen, "%s", e->name);
		snprintf(det, dlen, "%s", e->args);
	}
}

/* The namespace an event names, directly or by its device. */
static const char *lane_direct(const struct tev *e)
{
	char buf[32];

	/* Ours name it (ns=); a device name alone may be in several. */
	if (tev_field(e, "ns", buf, sizeof(buf)))
		return ns_of_event(e);
	return e->skb ? "" : ns_of_dev(e->dev);
}

/*
 * The namespace (host) where the packet's @i-th station happened: named by
 * the event, or where its skb last was (a free names no device), or by
 * the device's name, or (a route lookup, which names neither) where the
 * packet was just before, or next.
 */
const char *lane_of(const struct journey *j, const struct packet *p, size_t i)
{
	const struct tev *e = &j->l.ev[p->ev[i]];
	const char *l = lane_direct(e);
	size_t k;

	if (l[0])
		return l;
	/*
	 * A socket read is where the packet was delivered: the host of its
	 * last INPUT. (A raw or ICMP socket reads a clone, which may sit
	 * where an earlier hop's skb was freed, or no event of ours named.)
	 */
	for (k = i; (!strcmp(e->name, "skb_copy_datagram_iovec") ||
		     !strcmp(e->name, "kp_udp_read")) && k-- > 0;) {
		const struct tev *o = &j->l.ev[p->ev[k]];

		if (is_input(o))
			return lane_direct(o);
	}
	for (k = i; e->skb && k-- > 0;) {
		const struct tev *o = &j->l.ev[p->ev[k]];

		l = o->skb == e->skb ? lane_direct(o) : "";
		if (l[0])
			return l;
	}
	if (e->dev[0])
		return ns_of_dev(e->dev);
	/* A route lookup is where its CPU was just before, or right after. */
	for (k = i; is_fib_event(e) && k-- > 0;) {
		const struct tev *o = &j->l.ev[p->ev[k]];

		l = o->cpu == e->cpu ? lane_direct(o) : "";
		if (l[0])
			return l;
	}
	for (k = i + 1; is_fib_event(e) && k < p->n; k++) {
		const struct tev *o = &j->l.ev[p->ev[k]];

		l = o->cpu == e->cpu ? lane_direct(o) : "";
		if (l[0])
			return l;
	}
	for (k = i; k-- > 0;) {
		l = lane_direct(&j->l.ev[p->ev[k]]);
		if (l[0])
			return l;
	}
	for (k = i + 1; k < p->n; k++) {
		l = lane_direct(&j->l.ev[p->ev[k]]);
		if (l[0])
			return l;
	}
	return "";
}

/*
 * What a successful lookup decided, from the hook that came next in the
 * same place: local delivery (INPUT) or forwarding (FORWARD).
 */
static const char *route_decision(const struct journey *j, const struct packet *p, size_t i)
{
	char hook[16];
	size_t k;

	for (k = i + 1; k < p->n; k++) {
		const struct tev *e = &j->l.ev[p->ev[k]];

		if (strcmp(e->name, "pktpath_nf_hook") || !tev_field(e, "hook", hook, sizeof(hook)))
			continue;
		if (!strcmp(hook, "input"))
			return ": local delivery";
		if (!strcmp(hook, "forward"))
			return ": forward";
		return "";
	}
	return "";
}

/* Station, where and detail of the packet's @i-th event. */
void station_of(const struct journey *j, const struct packet *p, size_t i, char *st,
		size_t stlen, char *where, size_t wlen, char *det, size_t dlen)
{
	const struct tev *e = &j->l.ev[p->ev[i]];
	struct fibev fib;

	station(e, st, stlen, where, wlen, det, dlen);
	if (is_fib_event(e)) {
		snprintf(where, wlen, "%s", lane_of(j, p, i));
		if (!fib_parse(e, &fib) && !fib.err && strlen(det) + 20 < dlen)
			strcat(det, route_decision(j, p, i));
	} else if (e->dev[0]) {
		const char *l = lane_of(j, p, i);

		snprintf(where, wlen, "%s%s%s", l, l[0] ? " " : "", e->dev);
	} else if (!where[0]) {
		snprintf(where, wlen, "%s", lane_of(j, p, i));
	}
}

/*
 * How the packet ended: delivered to a socket, consumed by the stack after
 * INPUT (an echo request answered, say), dropped (where, why), or last
 * seen somewhere.
 */
void fate(const struct journey *j, const struct packet *p, char *buf, size_t len)
{
	char st[64], where[96], det[256], pst[64], pwhere[96], pdet[256];
	const struct tev *xdp = NULL;
	const char *input = NULL;
	size_t i;

	snprintf(buf, len, "last seen");
	for (i = 0; i < p->n; i++) {
		const struct tev *e = &j->l.ev[p->ev[i]];

		if (is_input(e)) {
			input = ns_of_event(e);
			xdp = NULL;
		} else if (!strcmp(e->name, "skb_copy_datagram_iovec") ||
			   (!strcmp(e->name, "kp_udp_read") &&
			    atol(tev_field(e, "len", st, sizeof(st)) ?: "0") >= 0)) {
			snprintf(buf, len, "delivered to a socket");
			input = NULL;
		} else if (!strcmp(e->name, "consume_skb") && input) {
			snprintf(buf, len, "consumed by %s's stack after INPUT", input);
			input = NULL;
		} else if (!strcmp(e->name, "pktpath_e1000_xdp")) {
			xdp = NULL;
			if (tev_field(e, "act", st, sizeof(st)) &&
			    (!strcmp(st, "DROP") || !strcmp(st, "ABORTED")))
				xdp = e;
		} else if (xdp && (!strcmp(e->name, "pktpath_e1000_rx") ||
				   !strcmp(e->name, "netif_receive_skb") ||
				   !strcmp(e->name, "pktpath_nf_hook"))) {
			/* Received again after all (a retransmission). */
			xdp = NULL;
		} else if (!strcmp(e->name, "kfree_skb")) {
			const char *rst, *why;
			char lane[64];
			size_t k = i;

			station(e, st, sizeof(st), where, sizeof(where), det, sizeof(det));
			if (reason_station(e, &rst, &why)) {
				snprintf(buf, len, "DIED at %s %s (%s), reason %s",
					 lane_of(j, p, i), rst, why,
					 strstr(e->args, "reason: ") + 8);
				return;
			}
			/*
			 * It died at its last station in the same place: the
			 * sender's completions, on another CPU, may come between.
			 */
			snprintf(lane, sizeof(lane), "%s", lane_of(j, p, i));
			while (k-- > 0 && strcmp(lane_of(j, p, k), lane))
				;
			if (k != (size_t)-1) {
				station_of(j, p, k, pst, sizeof(pst), pwhere, sizeof(pwhere),
					   pdet, sizeof(pdet));
				snprintf(buf, len, "DIED at %s %s (%s), %s", pwhere, pst, pdet,
					 det);
			} else {
				snprintf(buf, len, "DIED, %s", det);
			}
			return;
		}
	}
	/*
	 * Killed by XDP before any skb existed: no free to see; what comes
	 * after it is the sender finishing with its own copy.
	 */
	if (xdp) {
		tev_field(xdp, "act", st, sizeof(st));
		station(xdp, pst, sizeof(pst), where, sizeof(where), det, sizeof(det));
		snprintf(buf, len, "DIED at %s XDP (%s), verdict XDP_%s", where, det, st);
		return;
	}
	/* TCP takes in pure ACKs without a free the trace events show. */
	if (input)
		snprintf(buf, len, "taken in by %s's transport layer after INPUT", input);
}

void print_packet(const struct journey *j, const struct packet *p, int id, bool js,
		  bool first)
{
	char desc[256], st[64], where[96], det[256], fbuf[1024];
	__u64 t0 = j->l.ev[p->ev[0]].t_ns, prev = t0;
	size_t i;

	pkthdr_describe(&p->first, desc, sizeof(desc));
	fate(j, p, fbuf, sizeof(fbuf));
	if (js) {
		fprintf(stdout, "%s{\"id\":%d,\"packet\":", first ? "" : ",", id);
		json_str(stdout, desc);
		fprintf(stdout, ",\"fate\":");
		json_str(stdout, fbuf);
		fprintf(stdout, ",\"stations\":[");
	} else {
		printf("packet %d: %s\n", id, desc);
		printf("  %10s %10s  %-22s %-20s %s\n", "t (us)", "+us", "where", "station",
		       "detail");
	}
	for (i = 0; i < p->n; i++) {
		const struct tev *e = &j->l.ev[p->ev[i]];
		double t = (double)(e->t_ns - t0) / 1000.0, dt = (double)(e->t_ns - prev) / 1000.0;

		station_of(j, p, i, st, sizeof(st), where, sizeof(where), det, sizeof(det));
		if (js) {
			printf("%s{\"t_us\":%.0f,\"delta_us\":%.0f,\"where\":", i ? "," : "",
			       t, dt);
			json_str(stdout, where);
			printf(",\"station\":");
			json_str(stdout, st);
			printf(",\"event\":");
			json_str(stdout, e->name);
			printf(",\"detail\":");
			json_str(stdout, det);
			printf("}");
		} else {
			printf("  %10.0f %10.0f  %-22s %-20s %s\n", t, dt, where, st, det);
		}
		prev = e->t_ns;
	}
	if (js)
		printf("]}");
	else
		printf("  => %s\n\n", fbuf);
}
