// SPDX-License-Identifier: GPL-2.0
/*
 * nf_badmsg: malformed generic netlink requests sent straight to
 * pktpath_nf, bypassing the tool's own checks. Each must be refused with an
 * errno (and, where the kernel can say why, an extended-ack message), and
 * the ruleset must stay exactly as it was: one known rule.
 * Prints KTAP; exit 0 pass, 1 fail, 4 skip (module not loaded).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include "../nfmod/pktpath_netlink.h"

#define KSFT_SKIP 4

static struct mnl_socket *nl;
static unsigned int seq, portid;
static __u16 family_id;
static char extack[256];
static int failures, cases;

typedef void (*build_fn)(struct nlmsghdr *nlh);

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	(void)g;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(__u16 *)data = mnl_attr_get_u16(a);
	}
	return MNL_CB_OK;
}

/* Pull the extack message out of an error message, if there is one. */
static void read_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*e);
	struct nlattr *a;

	extack[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(extack, sizeof(extack), "%s", mnl_attr_get_str(a));
	}
}

/* Send one request; return 0 or the kernel's -errno. */
static int request(__u16 type, __u8 cmd, __u16 flags, build_fn build,
		   mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	int n, ret = 0;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	if (build)
		build(nlh);
	extack[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *r;

		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			return -EIO;
		for (r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

				read_extack(r);
				return e->error;
			}
			if (r->nlmsg_type == NLMSG_DONE)
				return ret;
			if (cb && cb(r, data) < 0)
				ret = -EIO;
		}
	}
}

static void put_rule_head(struct nlmsghdr *nlh, __u8 fam, __u8 hook)
{
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_FAMILY, fam);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_HOOK, hook);
}

/* The one rule that must survive everything. */
static void b_sentinel(struct nlmsghdr *nlh)
{
	struct nlattr *r = mnl_attr_nest_start(nlh, PKTPATH_A_RULE);

	put_rule_head(nlh, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	mnl_attr_put_u32(nlh, PKTPATH_RULE_A_HANDLE, 4242);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_L4PROTO, 17);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_COUNTER);
	mnl_attr_nest_end(nlh, r);
}

static void b_unknown_attr(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, 99, 1);
}

/* A rule with one field set by @extra; everything else sound. */
#define RULE_CASE(name, fam, hook, body)				\
static void name(struct nlmsghdr *nlh)					\
{									\
	struct nlattr *r = mnl_attr_nest_start(nlh, PKTPATH_A_RULE);	\
	put_rule_head(nlh, fam, hook);					\
	body;								\
	mnl_attr_nest_end(nlh, r);					\
}

static const __u8 addr5[5] = { 10, 0, 0, 1, 2 };
static const __u8 addr4[4] = { 10, 0, 0, 1 };

RULE_CASE(b_addr5, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put(nlh, PKTPATH_RULE_A_SADDR, 5, addr5);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_family7, 7, NF_INET_LOCAL_IN,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_hook9, NFPROTO_IPV4, 9,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_action99, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, 99))
RULE_CASE(b_ports, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_L4PROTO, 6);
	  mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MIN, 200);
	  mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MAX, 100);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_noaction, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_L4PROTO, 6))
RULE_CASE(b_dnat_input, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put(nlh, PKTPATH_RULE_A_NAT_ADDR_MIN, 4, addr4);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DNAT))
RULE_CASE(b_longname, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_strz(nlh, PKTPATH_RULE_A_IIFNAME, "an-interface-name-too-long");
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_plen, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put(nlh, PKTPATH_RULE_A_SADDR, 4, addr4);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_SADDR_PLEN, 33);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_ports_udp_less, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u16(nlh, PKTPATH_RULE_A_DPORT_MIN, 22);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))
RULE_CASE(b_nomark, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_MARK))
RULE_CASE(b_del_missing, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u32(nlh, PKTPATH_RULE_A_HANDLE, 777777))
RULE_CASE(b_dup_handle, NFPROTO_IPV4, NF_INET_LOCAL_IN,
	  mnl_attr_put_u32(nlh, PKTPATH_RULE_A_HANDLE, 4242);
	  mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP))

/* A good rule followed by a bad one: all or nothing. */
static void b_half_good(struct nlmsghdr *nlh)
{
	struct nlattr *r = mnl_attr_nest_start(nlh, PKTPATH_A_RULE);

	put_rule_head(nlh, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP);
	mnl_attr_nest_end(nlh, r);
	b_action99(nlh);
}

/* A nested attribute whose length runs past its nest. */
static void b_truncated(struct nlmsghdr *nlh)
{
	struct nlattr *r = mnl_attr_nest_start(nlh, PKTPATH_A_RULE);
	struct nlattr *bad;

	put_rule_head(nlh, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	bad = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u8(nlh, PKTPATH_RULE_A_ACTION, PKTPATH_ACT_DROP);
	bad->nla_len = 64;
	mnl_attr_nest_end(nlh, r);
}

/* A rule attribute that is a u8, not a nest. */
static void b_not_nested(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, PKTPATH_A_RULE, 1);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a, *r;
	int *found = data;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != PKTPATH_A_RULE)
			continue;
		found[0]++;
		mnl_attr_for_each_nested(r, a) {
			if (mnl_attr_get_type(r) == PKTPATH_RULE_A_HANDLE &&
			    mnl_attr_get_u32(r) == 4242)
				found[1]++;
		}
	}
	return MNL_CB_OK;
}

/* The ruleset is exactly the sentinel rule. */
static int intact(void)
{
	int found[2] = { 0, 0 };
	int err;

	err = request(family_id, PKTPATH_CMD_GET_RULESET, NLM_F_DUMP, NULL, count_cb, found);
	return !err && found[0] == 1 && found[1] == 1;
}

static void expect_refused(const char *what, __u8 cmd, build_fn build, int want_errno,
			   int want_msg)
{
	int err = request(family_id, cmd, 0, build, NULL, NULL);
	char msg[sizeof(extack)];
	const char *sep;
	int ok;

	/* intact() sends a request of its own: keep this one's message. */
	memcpy(msg, extack, sizeof(msg));
	sep = msg[0] ? ": " : "";
	ok = err < 0 && (!want_errno || err == -want_errno) && (!want_msg || msg[0]) &&
	     intact();

	cases++;
	if (!ok) {
		failures++;
		printf("# got %d (%s), message '%s'\n", err, strerror(-err), msg);
	}
	printf("%sok %d refused: %s (%s%s%s)\n", ok ? "" : "not ", cases, what,
	       strerror(-err), sep, msg);
}

static void b_family_name(struct nlmsghdr *nlh)
{
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PKTPATH_GENL_NAME);
}

int main(void)
{
	int one = 1;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	printf("KTAP version 1\n");
	if (request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, b_family_name, ack_cb, &family_id) ||
	    !family_id) {
		printf("1..0 # SKIP genl family '%s' not found (module not loaded)\n",
		       PKTPATH_GENL_NAME);
		return KSFT_SKIP;
	}
	printf("1..19\n");
	/* Start from one known rule. */
	cases++;
	if (request(family_id, PKTPATH_CMD_SET_RULESET, 0, b_sentinel, NULL, NULL) || !intact()) {
		printf("not ok 1 set-up: a one-rule ruleset loads and dumps back\n");
		return 1;
	}
	printf("ok 1 set-up: a one-rule ruleset loads and dumps back\n");

	expect_refused("unknown top-level attribute", PKTPATH_CMD_SET_RULESET, b_unknown_attr,
		       EINVAL, 0);
	expect_refused("5-byte IPv4 address", PKTPATH_CMD_SET_RULESET, b_addr5, 0, 1);
	expect_refused("family 7", PKTPATH_CMD_SET_RULESET, b_family7, 0, 1);
	expect_refused("hook 9", PKTPATH_CMD_SET_RULESET, b_hook9, 0, 1);
	expect_refused("action 99", PKTPATH_CMD_SET_RULESET, b_action99, 0, 1);
	expect_refused("port range 200-100", PKTPATH_CMD_ADD_RULE, b_ports, 0, 1);
	expect_refused("rule without an action", PKTPATH_CMD_ADD_RULE, b_noaction, 0, 1);
	expect_refused("dnat at input", PKTPATH_CMD_ADD_RULE, b_dnat_input, EINVAL, 1);
	expect_refused("26-byte interface name", PKTPATH_CMD_ADD_RULE, b_longname, 0, 1);
	expect_refused("prefix length 33", PKTPATH_CMD_ADD_RULE, b_plen, 0, 1);
	expect_refused("port without TCP/UDP", PKTPATH_CMD_ADD_RULE, b_ports_udp_less, 0, 1);
	expect_refused("mark action without a mark", PKTPATH_CMD_ADD_RULE, b_nomark, 0, 1);
	expect_refused("deleting a missing handle", PKTPATH_CMD_DEL_RULE, b_del_missing, ENOENT, 0);
	expect_refused("duplicate handle", PKTPATH_CMD_ADD_RULE, b_dup_handle, EEXIST, 1);
	expect_refused("good rule then a bad one (all or nothing)", PKTPATH_CMD_SET_RULESET,
		       b_half_good, 0, 1);
	expect_refused("nested attribute past its nest", PKTPATH_CMD_SET_RULESET, b_truncated,
		       0, 0);
	expect_refused("rule attribute that is not a nest", PKTPATH_CMD_SET_RULESET,
		       b_not_nested, 0, 0);
	expect_refused("unknown command 77", 77, NULL, EOPNOTSUPP, 0);

	request(family_id, PKTPATH_CMD_FLUSH, 0, NULL, NULL, NULL);
	mnl_socket_close(nl);
	printf("# pass:%d fail:%d\n", cases - failures, failures);
	return failures ? 1 : 0;
}
