// SPDX-License-Identifier: GPL-2.0
/*
 * nf_fuzz: random generic netlink requests to pktpath_nf, from a fixed
 * seed so that a failure replays:
 *
 *   nf_fuzz SEED COUNT
 *
 * Each request has a random command (known ones and a few past the end),
 * random flags (always REQUEST and ACK, sometimes DUMP, ECHO, CREATE ...),
 * a random genl version and sometimes a non-zero reserved field, and a
 * random tree of attributes: random types (known and unknown), random
 * payloads, nests up to 8 deep, lengths that run past their parent, and
 * half of the time a plausible rule or chain with one field mutated, so
 * that the validation past the policies is reached too. Every request must
 * be answered (an ack, an error, or a dump's end) within 5 s; the counts
 * of outcomes are printed. Exit 0 when every request was answered.
 * Whether the module still works afterwards, and whether the kernel
 * logged anything, is for the caller (nf_netlink.sh) to check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include "../nfmod/pktpath_netlink.h"

#define BUF_LEN		(64 * 1024)
#define MAX_DEPTH	8
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static __u64 rng;
static struct mnl_socket *nl;
static __u16 family_id;
static unsigned int seq;

/* xorshift64*: small, and the same stream for the same seed everywhere. */
static __u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(__u16 *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int resolve_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PKTPATH_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n <= 0 || mnl_cb_run(buf, n, seq, 0, family_cb, &family_id) < 0)
		return -1;
	return family_id ? 0 : -1;
}

/* Random bytes, sometimes all 0 or all 0xff (edges of every integer). */
static void fill(void *p, size_t len)
{
	unsigned char *b = p;
	unsigned int mode = below(4);
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = mode == 0 ? 0 : mode == 1 ? 0xff : (unsigned char)rnd();
}

/* A payload length that is usually what an integer or address takes. */
static size_t pick_len(void)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 33 };

	return lens[below(ARRAY_SIZE(lens))];
}

static void put_random(struct nlmsghdr *nlh, size_t room, int depth);

/* One attribute of type @type: a nest (of random ones) or a payload. */
static void put_one(struct nlmsghdr *nlh, __u16 type, size_t room, int depth)
{
	unsigned char data[40];
	size_t len = pick_len();

	if (depth < MAX_DEPTH && below(3) == 0) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, type);

		put_random(nlh, room > 64 ? room - 64 : 0, depth + 1);
		mnl_attr_nest_end(nlh, nest);
		return;
	}
	if (len + 64 > room)
		return;
	fill(data, len);
	mnl_attr_put(nlh, type, len, data);
}

/* Up to 6 random attributes at this level. */
static void put_random(struct nlmsghdr *nlh, size_t room, int depth)
{
	unsigned int n = below(7), i;

	for (i = 0; i < n && room > 256; i++) {
		__u16 type = below(45);		/* past every attribute set */

		if (below(16) == 0)
			type |= NLA_F_NESTED;
		put_one(nlh, type, room, depth);
		room = BUF_LEN - nlh->nlmsg_len;
	}
}

/* A rule that would pass, with one attribute left out or given garbage. */
static void put_plausible_rule(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PKTPATH_A_RULE);
	unsigned int skip = below(8), bad = below(8), i;
	unsigned char junk[16];

	for (i = 0; i < 8; i++) {
		__u16 type;

		if (i == skip)
			continue;
		if (i == bad) {
			fill(junk, sizeof(junk));
			mnl_attr_put(nlh, 1 + below(PKTPATH_RULE_A_MAX + 2),
				     pick_len() % sizeof(junk), junk);
			continue;
		}
		switch (i) {
		case 0:
			mnl_attr_put_u8(nlh, PKTPATH_RULE_A_FAMILY,
					below(2) ? NFPROTO_IPV4 : NFPROTO_IPV6);
			break;
		case 1:
			mnl_attr_put_u8(nlh, PKTPATH_RULE_A_HOOK, below(6));
			break;
		case 2:
			mnl_attr_put_u8(nlh, PKTPATH_RULE_A_L4PROTO,
					below(2) ? 6 : 17);
			break;
		case 3:
			mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MIN, rnd());
			break;
		case 4:
			mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MAX, rnd());
			break;
		case 5:
			mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION,
					below(PKTPATH_ACT_MAX + 2));
			break;
		case 6:
			type = below(2) ? PKTPATH_RULE_A_NAT_ADDR_MIN :
					  PKTPATH_RULE_A_SADDR;
			fill(junk, sizeof(junk));
			mnl_attr_put(nlh, type, below(2) ? 4 : 16, junk);
			break;
		default:
			mnl_attr_put_u32(nlh, PKTPATH_RULE_A_HANDLE, below(4));
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

/* Make the last attribute's length claim more than the message holds. */
static void overrun_last(struct nlmsghdr *nlh, struct nlattr *last)
{
	if (last && (char *)last + sizeof(*last) <= (char *)nlh + nlh->nlmsg_len)
		last->nla_len += 4 + below(4096);
}

static void build(struct nlmsghdr *nlh)
{
	static const __u16 extra[] = { NLM_F_DUMP, NLM_F_ECHO, NLM_F_CREATE,
				       NLM_F_EXCL, NLM_F_REPLACE, NLM_F_APPEND };
	struct genlmsghdr *g;
	struct nlattr *last;
	unsigned int i;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	for (i = 0; i < ARRAY_SIZE(extra); i++)
		if (below(8) == 0)
			nlh->nlmsg_flags |= extra[i];
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = below(PKTPATH_CMD_MAX + 3);
	g->version = below(8) ? PKTPATH_GENL_VERSION : (__u8)rnd();
	g->reserved = below(16) ? 0 : (__u16)rnd();
	if (below(2))
		put_plausible_rule(nlh);
	if (below(4) == 0)
		mnl_attr_put_u32(nlh, PKTPATH_A_GENERATION, below(3));
	last = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
	put_random(nlh, BUF_LEN - nlh->nlmsg_len, 0);
	if (below(8) == 0)
		overrun_last(nlh, last);
}

/* Wait for this request's ack or error (or its dump's end). */
static int answer(unsigned int want_seq, int *err)
{
	static char buf[BUF_LEN];

	for (;;) {
		struct nlmsghdr *r;
		int n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0)
			return errno == ENOBUFS ? 0 : -1;
		for (r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, n);
		     r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_seq != want_seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				*err = ((struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
				return 0;
			}
			if (r->nlmsg_type == NLMSG_DONE) {
				*err = 0;
				return 0;
			}
		}
	}
}

int main(int argc, char **argv)
{
	static char buf[BUF_LEN];
	unsigned long count, i, ok = 0, refused = 0;
	struct timeval tv = { .tv_sec = 5 };
	int errs[140] = { 0 }, e;

	if (argc != 3) {
		fprintf(stderr, "usage: nf_fuzz SEED COUNT\n");
		return 2;
	}
	rng = strtoull(argv[1], NULL, 0) | 1;
	count = strtoul(argv[2], NULL, 0);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0 || resolve_family()) {
		fprintf(stderr, "nf_fuzz: no pktpath family\n");
		return 4;
	}
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

		build(nlh);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
			refused++;	/* the socket refused it (too long) */
			continue;
		}
		e = 0;
		if (answer(nlh->nlmsg_seq, &e)) {
			fprintf(stderr, "nf_fuzz: request %lu (seq %u) not answered\n",
				i, nlh->nlmsg_seq);
			return 1;
		}
		if (!e)
			ok++;
		else if (-e > 0 && -e < (int)ARRAY_SIZE(errs))
			errs[-e]++;
	}
	printf("nf_fuzz: %lu requests: %lu accepted, %lu refused by the socket;", count,
	       ok, refused);
	for (e = 1; e < (int)ARRAY_SIZE(errs); e++)
		if (errs[e])
			printf(" %s %d;", strerror(e), errs[e]);
	printf("\n");
	return 0;
}
