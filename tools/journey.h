/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath journey: follow packets through the stations of the packet path
 * using trace events: pktpath_e1000's (RX/TX rings, interrupt, NAPI),
 * pktpath_nf's (every hook traversal, NAT) and the kernel's own (qdisc,
 * driver xmit, stack receive, socket delivery, drops with their reason).
 *
 * trace.c records and parses the events, pkthdr.c decodes the packet
 * headers our events carry and gives each packet an identity that
 * survives NAT and the wire, journey.c joins events into per-packet
 * timelines and prints them.
 */
#ifndef _PKTPATH_JOURNEY_H
#define _PKTPATH_JOURNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <stdio.h>

/* Decoded network and transport headers of one packet. */
struct pkthdr {
	bool ok;
	__u8 family;			/* 4 or 6 */
	__u8 proto;
	__u8 saddr[16], daddr[16];
	__u16 sport, dport;		/* TCP/UDP */
	__u32 seq, ack;			/* TCP */
	__u8 tcp_flags;
	__u8 icmp_type;
	__u16 icmp_id, icmp_seq;	/* echo */
	__u16 ipid;			/* IPv4 */
	__u32 flowlabel;		/* IPv6 */
	__u16 l3len;			/* IP total length */
	__u16 l4len;			/* transport header + payload */
	__u64 key;			/* identity: same packet, same key */
};

/* One recorded trace event. */
struct tev {
	__u64 t_ns;
	int cpu;
	char name[40];			/* event name, without its system */
	char *args;			/* the event's text after "name: " */
	__u64 skb;			/* skbaddr (as printed), 0 if none */
	__u64 rawskb;			/* its unhashed address, when printed */
	char dev[24];
	char task[32];			/* "comm-pid" of the task it ran in */
	struct pkthdr hdr;		/* from a hdr= field, when present */
	size_t pair;			/* a transport's send: its index + 1, or 0 */
	bool hide;			/* folded into another event (kprobe pairs) */
	bool done;			/* kprobe_prepass() tied it already */
};

/* A routing table lookup (fib:fib_table_lookup, fib6:fib6_table_lookup). */
struct fibev {
	__u8 family;
	unsigned int table, proto, sport, dport;
	int oif, iif, err;
	__u8 src[16], dst[16];
	char dev[24];
	char gw[96];			/* "" when none */
	/* the ip rule that sent the lookup here (kp_rule4/6), when known */
	bool rule;
	unsigned int rule_pref, rule_fwmark, rule_fwmask, mark;
};

struct tev_list {
	struct tev *ev;
	size_t n, cap;
	unsigned long long lost;	/* overwritten before they were read */
	size_t hidden;			/* events whose skb address is hidden */
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_FILTER	8
#define PENDING_NS	100000000ULL	/* kernel events wait 100 ms for ours */
#define MAX_CPUS	256
#define FIBPEND_MAX	64
#define FIB_NS		100000000ULL	/* a route lookup is its packet's within 100 ms */

struct filter {
	int n;
	struct term {
		enum { F_HOST, F_SRC, F_DST, F_PORT, F_PROTO } kind;
		__u8 family;
		__u8 addr[16];
		unsigned int val;
	} t[MAX_FILTER];
};

struct packet {
	__u64 key;
	struct pkthdr first;
	size_t *ev;
	size_t n, cap;
	struct pkthdr cur;		/* its headers at its latest station */
	__u64 t_input;			/* when it passed INPUT, 0 if not */
	bool socket;			/* a socket read it */
};

struct mapent {
	bool used;
	__u64 k;
	size_t v;
};

struct journey {
	struct tev_list l;
	struct packet *pk;
	size_t npk, cappk;
	struct mapent *keys;		/* packet identity -> packet */
	struct mapent *bind;		/* skb address -> packet */
	struct mapent *freed;		/* skb address -> packet it was, once freed */
	size_t cap;
	/*
	 * kernel events of skbs none of ours has named yet: per skb address
	 * a list (newest first) through pend_next, claimed by our next event
	 * of that skb if within PENDING_NS
	 */
	struct mapent *pend;		/* skb address -> newest pending event */
	size_t *pend_next;		/* event -> the skb's previous pending one */
	struct mapent *lastev;		/* skb address -> its latest joined event */
	/* packets that passed INPUT, oldest first: the clone matcher's window */
	size_t *inq;
	size_t inq_head, inq_tail;
	/* per CPU: the packet of its latest event, and when */
	struct { size_t pk, ev; __u64 t_ns; } last[MAX_CPUS];
	/* route lookups not yet tied to a packet (an output lookup comes first) */
	size_t fibpend[FIBPEND_MAX];
	size_t nfibpend;
};

/* trace.c */
int trace_start(bool with_driver, char *err, size_t errlen);
int trace_collect(struct tev_list *l, const char *save, char *err, size_t errlen);
int trace_read(FILE *f, FILE *save, struct tev_list *l, char *err, size_t errlen);
int trace_poll(struct tev_list *l, FILE *save, char *err, size_t errlen);
void trace_stop(void);
int trace_probes(bool on, char *err, size_t errlen);
int tev_parse_line(const char *line, struct tev *e);
const char *tev_field(const struct tev *e, const char *key, char *buf, size_t len);
void tev_list_free(struct tev_list *l);

/* pkthdr.c */
int pkthdr_from_hex(const char *hex, struct pkthdr *h);
void pkthdr_describe(const struct pkthdr *h, char *buf, size_t len);
void pkthdr_addr(const struct pkthdr *h, bool src, char *buf, size_t len);
const char *proto_label(__u8 proto);

/* journey_kprobe.c */
int kprobes_create(const char *root);
size_t kprobes_total(void);
int kprobes_start(const char *root, const char *inst);
void kprobes_stop(const char *root);
bool is_kprobe_event(const struct tev *e);
bool kp_transport_out(const struct tev *e);
int kprobe_prepass(struct tev_list *l);

/* journey_route.c */
bool is_fib_event(const struct tev *e);
int fib_parse(const struct tev *e, struct fibev *f);
bool fib_matches(const struct fibev *f, const struct pkthdr *h);
void fib_describe(const struct fibev *f, char *buf, size_t len);

/* journey_svg.c */
int journey_svg(const struct journey *j, const size_t *shown, size_t n, const char *path);

/* journey.c */
int cmd_journey(int argc, char **argv, bool json);

/* journey_join.c */
int journey_join(struct journey *j);
bool is_input(const struct tev *e);
void journey_free(struct journey *j);
void journey_reset(struct journey *j);

/* journey_print.c */
void ns_scan(void);
bool gw4_onlink(const char *dev, const char *gw);
void subnets_from_trace(void);
void subnet_line(const char *line);
void subnets_save(FILE *f);
void print_packet(const struct journey *j, const struct packet *p, int id, bool js,
		  bool first);
void station_of(const struct journey *j, const struct packet *p, size_t i, char *st,
		size_t stlen, char *where, size_t wlen, char *det, size_t dlen);
const char *lane_of(const struct journey *j, const struct packet *p, size_t i);
void fate(const struct journey *j, const struct packet *p, char *buf, size_t len);

#endif /* _PKTPATH_JOURNEY_H */
