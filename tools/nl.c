// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: the generic netlink plumbing over libmnl: open the socket,
 * resolve the "pktpath" family, send a request and wait for its
 * acknowledgment (with the kernel's extended ack message), run a dump.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "pktpath.h"

#define RECV_BUF	(64 * 1024)
#define RCVBUF_SIZE	(4 * 1024 * 1024)
#define DUMP_TRIES	5

struct pp_nl {
	struct mnl_socket *sk;
	u16 family_id;
	u32 portid;
	u32 seq;
	char *buf;
};

/* What came back for one request. */
struct reply {
	mnl_cb_t cb;
	void *data;
	int error;		/* 0 or a negative errno */
	bool done;
	bool intr;		/* NLM_F_DUMP_INTR seen */
	bool has_msg, has_offs;
	char msg[ERRMSG_LEN];
	u32 offs;
};

void pp_err(const char *fmt, ...)
{
	va_list ap;

	fputs("pktpath: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void set_buf(struct pp_nl *nl, int force, int plain, int size)
{
	int fd = mnl_socket_get_fd(nl->sk);

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
}

static int extack_cb(const struct nlattr *a, void *data)
{
	struct reply *rp = data;
	const char *s;
	size_t len;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		s = mnl_attr_get_payload(a);
		len = strnlen(s, mnl_attr_get_payload_len(a));
		if (len >= sizeof(rp->msg))
			len = sizeof(rp->msg) - 1;
		memcpy(rp->msg, s, len);
		rp->msg[len] = '\0';
		rp->has_msg = len > 0;
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_get_payload_len(a) == 4) {
			rp->offs = mnl_attr_get_u32(a);
			rp->has_offs = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct reply *rp = data;
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	rp->error = e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) < nlh->nlmsg_len)
			mnl_attr_parse(nlh, off, extack_cb, rp);
	}
	rp->done = true;
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rp = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0)
			rp->error = err;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    mnl_nlmsg_size(sizeof(int)) < nlh->nlmsg_len)
			mnl_attr_parse(nlh, sizeof(int), extack_cb, rp);
	}
	rp->done = true;
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rp = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		rp->intr = true;
	return rp->cb ? rp->cb(nlh, rp->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/* Receive until the request's ack, error or NLMSG_DONE; 0 or -errno. */
static int nl_recv(struct pp_nl *nl, u32 seq, struct reply *rp)
{
	ssize_t n;
	int ret;

	while (!rp->done) {
		n = mnl_socket_recvfrom(nl->sk, nl->buf, RECV_BUF);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, rp, ctl_cbs,
				  NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return -errno;
	}
	return 0;
}

static int nl_send(struct pp_nl *nl, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len > 64 * 1024)
		set_buf(nl, SO_SNDBUFFORCE, SO_SNDBUF, nlh->nlmsg_len + 64 * 1024);
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/* The rule of a SET_RULESET whose attributes hold offset off. */
static const struct rule *rule_at(const struct ruleset *rs, u32 off)
{
	size_t lo = 0, hi = rs->nr_rules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct rule *r = &rs->rules[mid];

		if (off < r->attr_off)
			hi = mid;
		else if (off >= r->attr_end)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

static void report(const struct reply *rp, int error, const struct ruleset *lines)
{
	const struct rule *r = NULL;
	char where[32] = "";

	if (lines && rp->has_offs)
		r = rule_at(lines, rp->offs);
	if (r && r->line)
		snprintf(where, sizeof(where), "line %d: ", r->line);
	if (rp->has_msg)
		pp_err("%s%s (%s)", where, rp->msg, strerror(-error));
	else
		pp_err("%s%s", where, strerror(-error));
}

struct nlmsghdr *nl_msg_new(struct pp_nl *nl, u8 cmd, u16 flags, size_t payload)
{
	size_t len = MNL_ALIGN(sizeof(struct nlmsghdr)) + GENL_HDRLEN + payload;
	size_t min = MNL_SOCKET_BUFFER_SIZE;
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	char *buf;

	buf = calloc(1, len < min ? min : len);
	if (!buf) {
		pp_err("out of memory");
		exit(1);
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = nl->family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = PKTPATH_GENL_VERSION;
	return nlh;
}

void nl_msg_free(struct nlmsghdr *nlh)
{
	free(nlh);
}

/*
 * Send nlh (which asks for an ack) and wait for the ack; replies before it
 * go to cb. Errors are printed; lines maps an error's attribute offset
 * back to a rule's line in the ruleset file. Returns 0 or -1.
 */
int nl_transact(struct pp_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		const struct ruleset *lines)
{
	struct reply rp = { .cb = cb, .data = data };
	int ret;

	nlh->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send(nl, nlh);
	if (!ret)
		ret = nl_recv(nl, nlh->nlmsg_seq, &rp);
	if (!ret)
		ret = rp.error;
	if (ret) {
		report(&rp, ret, lines);
		return -1;
	}
	return 0;
}

/* Discard what is left of an abandoned dump. */
static void nl_drain(struct pp_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sk);

	while (recv(fd, nl->buf, RECV_BUF, MSG_DONTWAIT) >= 0 || errno == ENOBUFS ||
	       errno == EINTR)
		;
}

/* The whole ruleset, consistent: the dump is retried when it was cut. */
int nl_get_ruleset(struct pp_nl *nl, struct ruleset *rs)
{
	struct nlmsghdr *nlh;
	struct reply rp;
	size_t i;
	int try, ret, f, h;

	for (try = 0; try < DUMP_TRIES; try++) {
		ruleset_free(rs);
		memset(&rp, 0, sizeof(rp));
		rp.cb = ruleset_msg_cb;
		rp.data = rs;
		nlh = nl_msg_new(nl, PKTPATH_CMD_GET_RULESET, NLM_F_DUMP, 0);
		ret = nl_send(nl, nlh);
		if (!ret)
			ret = nl_recv(nl, nlh->nlmsg_seq, &rp);
		nl_msg_free(nlh);
		if (ret == -ENOBUFS || ret == -EINTR) {
			nl_drain(nl);
			continue;
		}
		if (!ret)
			ret = rp.error;
		if (ret) {
			report(&rp, ret, NULL);
			return -1;
		}
		if (!rp.intr && !rs->inconsistent)
			break;
	}
	if (try == DUMP_TRIES) {
		pp_err("the ruleset kept changing during the dump; try again");
		return -1;
	}
	/* Each chain in rule order (the kernel sends it so; make sure). */
	for (f = 0; f < NR_FAMILIES; f++) {
		for (h = 0; h < NR_HOOKS; h++) {
			struct chain *c = &rs->chains[f][h];

			for (i = 1; i < c->nr_rules; i++) {
				size_t j = i;
				struct rule t = c->rules[i];

				if (!t.has_index)
					continue;
				while (j > 0 && c->rules[j - 1].has_index &&
				       c->rules[j - 1].index > t.index) {
					c->rules[j] = c->rules[j - 1];
					j--;
				}
				c->rules[j] = t;
			}
		}
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	struct pp_nl *nl = data;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_get_payload_len(a) == 2)
			nl->family_id = mnl_attr_get_u16(a);
	}
	return MNL_CB_OK;
}

static int resolve_family(struct pp_nl *nl)
{
	struct reply rp = { .cb = family_cb, .data = nl };
	struct nlmsghdr *nlh;
	int ret;

	nl->family_id = GENL_ID_CTRL;
	nlh = nl_msg_new(nl, CTRL_CMD_GETFAMILY, NLM_F_ACK, 64);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PKTPATH_GENL_NAME);
	nl->family_id = 0;
	ret = nl_send(nl, nlh);
	if (!ret)
		ret = nl_recv(nl, nlh->nlmsg_seq, &rp);
	nl_msg_free(nlh);
	if (!ret)
		ret = rp.error;
	if (ret == -ENOENT || (!ret && !nl->family_id)) {
		pp_err("the pktpath_nf module is not loaded (genl family '%s' not found)",
		       PKTPATH_GENL_NAME);
		return -1;
	}
	if (ret) {
		report(&rp, ret, NULL);
		return -1;
	}
	return 0;
}

struct pp_nl *nl_open(void)
{
	struct pp_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl)
		return NULL;
	nl->buf = malloc(RECV_BUF);
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->buf || !nl->sk) {
		pp_err("cannot open a generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		pp_err("cannot bind the netlink socket: %s", strerror(errno));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = time(NULL);
	/* Old kernels lack these; the messages are then only less helpful. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	set_buf(nl, SO_RCVBUFFORCE, SO_RCVBUF, RCVBUF_SIZE);
	if (resolve_family(nl))
		goto fail;
	return nl;
fail:
	nl_close(nl);
	return NULL;
}

void nl_close(struct pp_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	free(nl);
}

static int trace_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == PKTPATH_A_TRACE &&
		    mnl_attr_get_payload_len(a) == 1)
			*(bool *)data = mnl_attr_get_u8(a);
	}
	return MNL_CB_OK;
}

/*
 * Trace mode in the socket's namespace: on or off, or held while this
 * socket lives (PKTPATH_TRACE_*); *was gets the old setting.
 */
int nl_set_trace(struct pp_nl *nl, unsigned int how, bool *was)
{
	struct nlmsghdr *nlh = nl_msg_new(nl, PKTPATH_CMD_SET_TRACE, 0, 16);
	int ret;

	mnl_attr_put_u8(nlh, PKTPATH_A_TRACE, (__u8)how);
	ret = nl_transact(nl, nlh, trace_cb, was, NULL);
	nl_msg_free(nlh);
	return ret;
}
