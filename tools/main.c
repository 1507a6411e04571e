// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: configure the pktpath_nf netfilter module over generic netlink.
 * Command dispatch; see print_usage() (usage.c) for the syntax.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pktpath.h"
#include "journey.h"

static struct {
	bool json;
	bool echo;
	bool dry_run;
	bool force;	/* ruleset load: even if the file is stale */
} opt;

/* The words after the command, split again at blanks. */
struct words {
	char **tok;
	int n;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("pktpath: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see 'pktpath --help')\n", stderr);
	return 1;
}

static void split_args(int argc, char **argv, struct words *w)
{
	char **tok = NULL;
	int i, j, n;

	w->tok = NULL;
	w->n = 0;
	for (i = 0; i < argc; i++) {
		char *s = strdup(argv[i]);

		if (!s)
			goto oom;
		/* A file name is one word, blanks and all. */
		if (w->n == 2 && !strcmp(w->tok[0], "ruleset") &&
		    !strcmp(w->tok[1], "load")) {
			w->tok = realloc(w->tok, (w->n + 2) * sizeof(*w->tok));
			if (!w->tok)
				goto oom;
			w->tok[w->n++] = s;
			continue;
		}
		if (tokenize(s, &tok, &n, false))
			goto oom;
		w->tok = realloc(w->tok, (w->n + n + 1) * sizeof(*w->tok));
		if (!w->tok)
			goto oom;
		for (j = 0; j < n; j++)
			w->tok[w->n++] = tok[j];
	}
	free(tok);
	return;
oom:
	pp_err("out of memory");
	exit(1);
}

static struct pp_nl *open_or_exit(void)
{
	struct pp_nl *nl = nl_open();

	if (!nl)
		exit(1);
	return nl;
}

/* Send a request that carries at most one chain or rule; 0 or 1. */
static int simple_request(u8 cmd, struct nlmsghdr *(*fill)(struct pp_nl *, u8, const void *),
			  const void *arg, mnl_cb_t cb, void *data)
{
	struct pp_nl *nl = open_or_exit();
	struct nlmsghdr *nlh = fill(nl, cmd, arg);
	int ret = nl_transact(nl, nlh, cb, data, NULL);

	nl_msg_free(nlh);
	nl_close(nl);
	return ret ? 1 : 0;
}

static struct nlmsghdr *fill_rule(struct pp_nl *nl, u8 cmd, const void *arg)
{
	struct nlmsghdr *nlh = nl_msg_new(nl, cmd, 0, rule_attr_size());

	rule_put(nlh, PKTPATH_A_RULE, arg);
	return nlh;
}

/* arg: a struct rule whose family, hook and policy (in action) count. */
static struct nlmsghdr *fill_chain(struct pp_nl *nl, u8 cmd, const void *arg)
{
	struct nlmsghdr *nlh = nl_msg_new(nl, cmd, 0, 64);
	const struct rule *r = arg;
	struct nlattr *nest;

	if (r) {
		nest = mnl_attr_nest_start(nlh, PKTPATH_A_CHAIN);
		mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_FAMILY, r->family);
		mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_HOOK, r->hook);
		if (cmd == PKTPATH_CMD_SET_POLICY)
			mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_POLICY, r->action);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

/* rule add RULE | rule insert [index N] RULE */
static int cmd_rule_add(struct words *w, int i, bool insert)
{
	char err[ERRMSG_LEN];
	struct rule r, out = { 0 };
	u32 index = 0;

	while (i < w->n && (!strcmp(w->tok[i], "-e") || !strcmp(w->tok[i], "--echo"))) {
		opt.echo = true;
		i++;
	}
	if (insert && i < w->n && !strcmp(w->tok[i], "index")) {
		if (i + 1 >= w->n)
			return usage_error("%s", "missing value after 'index'");
		if (parse_u32(w->tok[i + 1], &index)) {
			pp_err("bad index '%s'", w->tok[i + 1]);
			return 1;
		}
		i += 2;
	}
	if (parse_rule(w->tok + i, w->n - i, &r, err)) {
		pp_err("%s", err);
		return 1;
	}
	if (insert) {
		r.has_index = true;
		r.index = index;
	}
	if (opt.dry_run) {
		print_rule_line(stdout, &r);
		return 0;
	}
	if (simple_request(PKTPATH_CMD_ADD_RULE, fill_rule, &r, add_reply_cb, &out))
		return 1;
	if (opt.echo) {
		if (!out.has_handle) {
			pp_err("the kernel did not reply with the rule's handle");
			return 1;
		}
		printf("handle %u\n", out.handle);
	}
	return 0;
}

/* FAMILY HOOK at w->tok[i], exactly when need, else optional: -1 on error. */
static int family_hook(struct words *w, int i, int need, struct rule *r, char *err)
{
	memset(r, 0, sizeof(*r));
	if (i < w->n && parse_family(w->tok[i], &r->family, err))
		return -1;
	if (i + 1 < w->n && parse_hook(w->tok[i + 1], &r->hook, err))
		return -1;
	if (w->n - i < need) {
		snprintf(err, ERRMSG_LEN, "missing %s", w->n - i ? "hook" : "family (ip or ip6)");
		return -1;
	}
	return 0;
}

/* rule del FAMILY HOOK handle N */
static int cmd_rule_del(struct words *w, int i)
{
	char err[ERRMSG_LEN];
	struct rule r;

	if (family_hook(w, i, 2, &r, err)) {
		pp_err("%s", err);
		return 1;
	}
	i += 2;
	if (i >= w->n || strcmp(w->tok[i], "handle")) {
		pp_err("missing 'handle N' (rule del FAMILY HOOK handle N)");
		return 1;
	}
	if (i + 1 >= w->n) {
		pp_err("missing value after 'handle'");
		return 1;
	}
	if (parse_handle(w->tok[i + 1], &r.handle, err)) {
		pp_err("%s", err);
		return 1;
	}
	if (i + 2 < w->n) {
		pp_err("'%s' must be the last word", w->tok[i + 1]);
		return 1;
	}
	r.has_handle = true;
	if (opt.dry_run)
		return 0;
	return simple_request(PKTPATH_CMD_DEL_RULE, fill_rule, &r, NULL, NULL);
}

/* rule flush [FAMILY HOOK], ruleset flush */
static int cmd_flush(struct words *w, int i, bool chain_ok)
{
	char err[ERRMSG_LEN];
	struct rule r;

	if (i < w->n && !chain_ok) {
		pp_err("'flush' must be the last word");
		return 1;
	}
	if (i < w->n) {
		if (family_hook(w, i, 2, &r, err)) {
			pp_err("%s", err);
			return 1;
		}
		if (i + 2 < w->n) {
			pp_err("'%s' must be the last word", w->tok[i + 1]);
			return 1;
		}
	}
	if (opt.dry_run)
		return 0;
	return simple_request(PKTPATH_CMD_FLUSH, fill_chain, i < w->n ? &r : NULL, NULL, NULL);
}

/* policy FAMILY HOOK accept|drop (w->tok[i] is "policy") */
static int cmd_policy(struct words *w, int i)
{
	char err[ERRMSG_LEN];
	struct rule r = { 0 };

	if (parse_policy(w->tok + i, w->n - i, &r.family, &r.hook, &r.action, err)) {
		pp_err("%s", err);
		return 1;
	}
	if (opt.dry_run)
		return 0;
	return simple_request(PKTPATH_CMD_SET_POLICY, fill_chain, &r, NULL, NULL);
}

static int dump(struct ruleset *rs)
{
	struct pp_nl *nl = open_or_exit();
	int ret = nl_get_ruleset(nl, rs);

	nl_close(nl);
	return ret;
}

/* rule list [FAMILY [HOOK]], counters, ruleset show */
static int cmd_list(struct words *w, int i, bool show)
{
	char err[ERRMSG_LEN];
	struct ruleset rs;
	struct rule r;
	int family = -1, hook = -1;

	if (w->n - i > 2 || (show && w->n > i)) {
		pp_err("'%s' must be the last word", w->tok[show ? i - 1 : i + 1]);
		return 1;
	}
	if (family_hook(w, i, 0, &r, err)) {
		pp_err("%s", err);
		return 1;
	}
	if (w->n > i)
		family = r.family;
	if (w->n > i + 1)
		hook = r.hook;
	if (opt.dry_run)
		return 0;
	ruleset_init(&rs);
	if (dump(&rs))
		return 1;
	if (opt.json)
		print_list_json(stdout, &rs, family, hook);
	else if (show)
		print_ruleset(stdout, &rs);
	else
		print_list(stdout, &rs, family, hook);
	ruleset_free(&rs);
	return 0;
}

/*
 * A message of a load stays under this, so that any socket's default
 * buffer takes it (raising it past net.core.wmem_max needs CAP_NET_ADMIN
 * in the initial namespace, which a rootless container lacks).
 */
#define LOAD_PART_BYTES	(60 * 1024)

static void put_policies(struct nlmsghdr *nlh, const struct ruleset *rs)
{
	struct nlattr *nest;
	int f, h;

	for (f = 0; f < NR_FAMILIES; f++) {
		for (h = 0; h < NR_HOOKS; h++) {
			const struct chain *c = &rs->chains[f][h];

			if (!c->policy_set)
				continue;
			nest = mnl_attr_nest_start(nlh, PKTPATH_A_CHAIN);
			mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_FAMILY,
					f ? NFPROTO_IPV6 : NFPROTO_IPV4);
			mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_HOOK, h);
			mnl_attr_put_u8(nlh, PKTPATH_CHAIN_A_POLICY, c->policy);
			mnl_attr_nest_end(nlh, nest);
		}
	}
}

/*
 * SET_RULESET in parts of at most LOAD_PART_BYTES, each but the last
 * marked PKTPATH_A_MORE: the kernel publishes the whole ruleset with the
 * last one, or nothing.
 */
static int load(struct ruleset *rs)
{
	size_t room = LOAD_PART_BYTES + NR_FAMILIES * NR_HOOKS * 64 + 64;
	struct pp_nl *nl = open_or_exit();
	size_t i = 0, first;
	int ret;

	do {
		struct nlmsghdr *nlh = nl_msg_new(nl, PKTPATH_CMD_SET_RULESET, 0, room);
		struct ruleset part;

		if (!i)
			put_policies(nlh, rs);
		if (rs->has_generation && !opt.force)
			mnl_attr_put_u32(nlh, PKTPATH_A_GENERATION, rs->generation);
		for (first = i; i < rs->nr_rules &&
		     nlh->nlmsg_len + rule_attr_size() <= LOAD_PART_BYTES; i++) {
			struct rule *r = &rs->rules[i];

			r->attr_off = nlh->nlmsg_len;
			rule_put(nlh, PKTPATH_A_RULE, r);
			r->attr_end = nlh->nlmsg_len;
		}
		if (i < rs->nr_rules)
			mnl_attr_put(nlh, PKTPATH_A_MORE, 0, NULL);
		/* An error's offset is within this part: its rules' lines. */
		part = *rs;
		part.rules = rs->rules + first;
		part.nr_rules = i - first;
		ret = nl_transact(nl, nlh, NULL, NULL, &part);
		nl_msg_free(nlh);
	} while (!ret && i < rs->nr_rules);
	nl_close(nl);
	return ret ? 1 : 0;
}

/* ruleset load FILE|- */
static int cmd_load(struct words *w, int i)
{
	char err[ERRMSG_LEN];
	struct ruleset rs;
	FILE *f;
	int ret;

	if (i >= w->n)
		return usage_error("%s", "missing FILE (or - for stdin)");
	if (i + 1 < w->n) {
		pp_err("'%s' must be the last word", w->tok[i]);
		return 1;
	}
	f = strcmp(w->tok[i], "-") ? fopen(w->tok[i], "r") : stdin;
	if (!f) {
		pp_err("%s: %s", w->tok[i], strerror(errno));
		return 1;
	}
	ruleset_init(&rs);
	ret = parse_file(f, &rs, err);
	if (f != stdin)
		fclose(f);
	if (ret) {
		pp_err("%s", err);
		ruleset_free(&rs);
		return 1;
	}
	if (opt.dry_run) {
		ruleset_sort(&rs);
		if (opt.json)
			print_list_json(stdout, &rs, -1, -1);
		else
			print_ruleset(stdout, &rs);
		ret = 0;
	} else {
		ret = load(&rs);
	}
	ruleset_free(&rs);
	return ret;
}

static int cmd_counters(struct words *w, int i)
{
	if (i < w->n && !strcmp(w->tok[i], "reset")) {
		if (i + 1 < w->n) {
			pp_err("'reset' must be the last word");
			return 1;
		}
		if (opt.dry_run)
			return 0;
		return simple_request(PKTPATH_CMD_RESET_COUNTERS, fill_chain, NULL, NULL, NULL);
	}
	if (i < w->n) {
		pp_err("unknown keyword '%s' (counters [reset])", w->tok[i]);
		return 1;
	}
	return cmd_list(w, i, false);
}

static int cmd_trace(struct words *w, int i)
{
	struct pp_nl *nl;
	bool was;
	int ret;

	if (i + 1 != w->n || (strcmp(w->tok[i], "on") && strcmp(w->tok[i], "off")))
		return usage_error("%s", "trace takes one word: on or off");
	if (opt.dry_run)
		return 0;
	nl = nl_open();
	if (!nl)
		return 1;
	ret = nl_set_trace(nl, strcmp(w->tok[i], "on") ? PKTPATH_TRACE_OFF : PKTPATH_TRACE_ON,
			   &was);
	nl_close(nl);
	return ret ? 1 : 0;
}

static int dispatch(struct words *w)
{
	const char *cmd = w->tok[0];
	const char *sub = w->n > 1 ? w->tok[1] : NULL;

	if (!strcmp(cmd, "help")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "policy"))
		return cmd_policy(w, 0);
	if (!strcmp(cmd, "counters"))
		return cmd_counters(w, 1);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(w, 1);
	if (!strcmp(cmd, "rule")) {
		if (!sub)
			return usage_error("%s",
					   "missing rule command (add, insert, del, list, flush)");
		if (!strcmp(sub, "add"))
			return cmd_rule_add(w, 2, false);
		if (!strcmp(sub, "insert"))
			return cmd_rule_add(w, 2, true);
		if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
			return cmd_rule_del(w, 2);
		if (!strcmp(sub, "list"))
			return cmd_list(w, 2, false);
		if (!strcmp(sub, "flush"))
			return cmd_flush(w, 2, true);
		return usage_error("unknown rule command '%s'", sub);
	}
	if (!strcmp(cmd, "ruleset")) {
		if (!sub)
			return usage_error("%s", "missing ruleset command (load, show, flush)");
		if (!strcmp(sub, "load"))
			return cmd_load(w, 2);
		if (!strcmp(sub, "show"))
			return cmd_list(w, 2, true);
		if (!strcmp(sub, "flush"))
			return cmd_flush(w, 2, false);
		return usage_error("unknown ruleset command '%s'", sub);
	}
	return usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
	bool help = false;
	struct words w;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json"))
			opt.json = true;
		else if (!strcmp(a, "-e") || !strcmp(a, "--echo"))
			opt.echo = true;
		else if (!strcmp(a, "-n") || !strcmp(a, "--dry-run"))
			opt.dry_run = true;
		else if (!strcmp(a, "-f") || !strcmp(a, "--force"))
			opt.force = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			help = true;
		else if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			return puts("pktpath " PKTPATH_VERSION) == EOF;
		else
			return usage_error("unknown option '%s'", a);
	}
	if (help) {
		print_usage(stdout);
		return 0;
	}
	if (i >= argc) {
		print_usage(stderr);
		return 1;
	}
	/* journey takes a command line of its own after "--". */
	if (!strcmp(argv[i], "journey"))
		return cmd_journey(argc - i - 1, argv + i + 1, opt.json);
	split_args(argc - i, argv + i, &w);
	if (!w.n) {
		print_usage(stderr);
		return 1;
	}
	ret = dispatch(&w);
	fflush(stdout);
	if (ferror(stdout)) {
		pp_err("write error on stdout");
		ret = 1;
	}
	return ret;
}
