/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath: the command-line tool that configures pktpath_nf over generic
 * netlink. Shared declarations of the parser (parse.c), the printers
 * (print.c), the rule <-> attribute encoding (attr.c) and the netlink
 * plumbing (nl.c).
 */
#ifndef _PKTPATH_TOOL_H
#define _PKTPATH_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/netfilter.h>
#include <libmnl/libmnl.h>

#include "../nfmod/pktpath_netlink.h"
#include "json.h"

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define NR_FAMILIES	2	/* ip, ip6 */
#define NR_HOOKS	5	/* NF_INET_PRE_ROUTING .. NF_INET_POST_ROUTING */
#define ERRMSG_LEN	256
#define RULE_TEXT_LEN	512

/* One rule, as parsed or as dumped by the kernel. */
struct rule {
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 hook;			/* NF_INET_* */
	bool has_handle;
	u32 handle;
	bool has_index;
	u32 index;

	char iif[PKTPATH_IFNAMSIZ];	/* "" when absent */
	char oif[PKTPATH_IFNAMSIZ];
	bool has_saddr, has_daddr;
	u8 saddr[16], daddr[16];	/* stored masked */
	u8 saddr_plen, daddr_plen;
	bool has_proto;
	u8 proto;
	bool has_sport, has_dport;
	u16 sport_min, sport_max, dport_min, dport_max;
	bool has_icmp_type;
	u8 icmp_type;
	u32 ct_state;			/* PKTPATH_CT_* bits, 0 when absent */
	bool has_mark;
	u32 mark, mark_mask;
	bool syn;

	bool has_action;
	u8 action;			/* PKTPATH_ACT_* */
	u8 reject_with;			/* PKTPATH_REJECT_* */
	bool has_reject_code;
	u8 reject_code;
	u32 set_mark;
	bool has_nat_addr;
	u8 nat_addr_min[16], nat_addr_max[16];
	bool has_nat_port;
	u16 nat_port_min, nat_port_max;

	u64 packets, bytes;		/* out only */
	int line;			/* source line in a file, 0 otherwise */
	u32 attr_off, attr_end;		/* where it sits in a SET_RULESET */
};

struct chain {
	u8 policy;			/* PKTPATH_POLICY_* */
	bool policy_set;		/* named by a file's policy line */
	int policy_line;
	u64 packets, bytes;
	u64 malformed;			/* dropped unjudged (out only) */
	struct rule *rules;
	size_t nr_rules, cap_rules;
};

/* The ten chains; for a file, also every rule in file order. */
struct ruleset {
	struct chain chains[NR_FAMILIES][NR_HOOKS];
	struct rule *rules;		/* file order (ruleset load) */
	size_t nr_rules, cap_rules;
	u32 generation;
	bool has_generation;
	bool inconsistent;		/* generations differ in a dump */
};

struct name_val {
	const char *name;
	unsigned int val;
};

/* names.c */
extern const char * const hook_names[NR_HOOKS];
extern const struct name_val protos[], icmp4_types[], icmp6_types[];
extern const struct name_val icmp4_codes[], icmp6_codes[], ct_states[];
const char *nv_name(const struct name_val *t, unsigned int val);
int nv_val(const struct name_val *t, const char *name, unsigned int *val);

/* parse.c */
int family_index(u8 family);
const char *family_name(u8 family);
const char *hook_name(u8 hook);
int parse_family(const char *s, u8 *family, char *err);
int parse_hook(const char *s, u8 *hook, char *err);
int parse_handle(const char *s, u32 *handle, char *err);
int parse_u32(const char *s, u32 *val);
int parse_rule(char **tok, int ntok, struct rule *r, char *err);
int parse_policy(char **tok, int ntok, u8 *family, u8 *hook, u8 *policy, char *err);
int tokenize(char *line, char ***tok, int *ntok, bool comments);
int parse_file(FILE *f, struct ruleset *rs, char *err);
const char *icmp_type_name(u8 family, u8 type);
const char *proto_name(u8 proto);
const char *ct_state_name(u32 bit);
void mask_addr(u8 *addr, int alen, u8 plen);
const char *reject_code_name(u8 family, u8 code);
u8 default_reject_code(u8 family);

/* ruleset helpers (parse.c) */
void ruleset_init(struct ruleset *rs);
void ruleset_free(struct ruleset *rs);
struct chain *ruleset_chain(struct ruleset *rs, u8 family, u8 hook);
int chain_add_rule(struct chain *c, const struct rule *r);
void ruleset_sort(struct ruleset *rs);

/* print.c */
void rule_format(const struct rule *r, char *buf, size_t len);
void print_rule_line(FILE *f, const struct rule *r);
void print_ruleset(FILE *f, const struct ruleset *rs);
void print_list(FILE *f, const struct ruleset *rs, int family, int hook);
void print_list_json(FILE *f, const struct ruleset *rs, int family, int hook);
void print_usage(FILE *f);

/* attr.c */
size_t rule_attr_size(void);
void rule_put(struct nlmsghdr *nlh, u16 type, const struct rule *r);
int rule_from_attr(const struct nlattr *nest, struct rule *r);
int ruleset_msg_cb(const struct nlmsghdr *nlh, void *data);
int add_reply_cb(const struct nlmsghdr *nlh, void *data);

/* nl.c */
struct pp_nl;
struct pp_nl *nl_open(void);
void nl_close(struct pp_nl *nl);
struct nlmsghdr *nl_msg_new(struct pp_nl *nl, u8 cmd, u16 flags, size_t payload);
int nl_transact(struct pp_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		const struct ruleset *lines);
int nl_get_ruleset(struct pp_nl *nl, struct ruleset *rs);
void nl_msg_free(struct nlmsghdr *nlh);
int nl_set_trace(struct pp_nl *nl, unsigned int how, bool *was);

void pp_err(const char *fmt, ...);

#endif /* _PKTPATH_TOOL_H */
