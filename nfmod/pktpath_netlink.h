/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpath_nf's generic netlink interface, shared by the module and the
 * pktpath tool.
 *
 * A ruleset is ten chains: one per family (NFPROTO_IPV4, NFPROTO_IPV6) and
 * hook (NF_INET_PRE_ROUTING ... NF_INET_POST_ROUTING). A chain is an
 * ordered list of rules and a policy (accept unless set). The first
 * matching rule with a terminal action decides; non-terminal actions (mark,
 * ct mark, counter) apply and evaluation goes on.
 *
 * Every change builds a new ruleset aside and publishes it at once: a
 * packet sees the old or the new ruleset, never a mix.
 *
 * Messages (all need CAP_NET_ADMIN in the namespace's user namespace):
 *   GET_RULESET (dump)   one message per chain (PKTPATH_A_CHAIN), each
 *                        followed by one message per rule (PKTPATH_A_RULE),
 *                        with counters; every message carries
 *                        PKTPATH_A_GENERATION.
 *   SET_RULESET          replace the whole ruleset: PKTPATH_A_CHAIN
 *                        attributes set policies (chains not named get
 *                        accept), PKTPATH_A_RULE attributes, repeated at the
 *                        top level, are the rules in order. Counters start
 *                        from zero. A large load may come in parts from one
 *                        socket: each message but the last has
 *                        PKTPATH_A_MORE; the last publishes them all at
 *                        once (nothing before); a failed part or the socket
 *                        closing drops the load; another socket's load
 *                        meanwhile gets EBUSY.
 *   ADD_RULE             one PKTPATH_A_RULE, appended, or inserted at
 *                        PKTPATH_RULE_A_INDEX. Replies with the rule's
 *                        handle (PKTPATH_A_RULE { FAMILY, HOOK, HANDLE }).
 *   DEL_RULE             PKTPATH_A_RULE { FAMILY, HOOK, HANDLE }.
 *   FLUSH                no attribute: every rule goes and every policy is
 *                        accept; PKTPATH_A_CHAIN { FAMILY, HOOK }: that
 *                        chain's rules go (its policy stays).
 *   SET_POLICY           PKTPATH_A_CHAIN { FAMILY, HOOK, POLICY }.
 *   RESET_COUNTERS       zero every rule and policy counter.
 *   SET_TRACE            PKTPATH_A_TRACE (enum pktpath_trace): trace mode
 *                        registers every hook of the namespace, rules or
 *                        not, so that the pktpath_nf trace events see every
 *                        packet at every hook (what 'pktpath journey'
 *                        needs); out of it only the hooks the ruleset
 *                        needs are in. ON and OFF are the namespace's own
 *                        setting; HOLD keeps trace mode on for as long as
 *                        the requesting socket lives (or until it sends
 *                        RELEASE), whatever the setting. Replies with the
 *                        previous setting (ON or OFF).
 * ADD_RULE, DEL_RULE, FLUSH and SET_POLICY keep the counters of the rules
 * they leave in place. SET_RULESET, ADD_RULE, DEL_RULE, FLUSH and
 * SET_POLICY take an optional PKTPATH_A_GENERATION: the generation the
 * change was made against (from a dump); when the ruleset has moved on
 * since, the change is refused with ERESTART and nothing changes.
 * Handles the module assigns are never reused in a namespace's lifetime,
 * whatever was flushed or replaced.
 */
#ifndef _PKTPATH_NETLINK_H
#define _PKTPATH_NETLINK_H

#include <linux/types.h>

#define PKTPATH_GENL_NAME	"pktpath"
#define PKTPATH_GENL_VERSION	1

/* Limits. */
#define PKTPATH_MAX_RULES	65536	/* per namespace, all chains */
#define PKTPATH_IFNAMSIZ	16	/* as IFNAMSIZ, with the NUL */
#define PKTPATH_REJECT_CODE_MAX	15	/* ICMP unreachable codes, but 4 */
#define PKTPATH_REJECT_CODE6_MAX 6	/* ICMPv6 unreachable codes */

enum pktpath_cmd {
	PKTPATH_CMD_UNSPEC,
	PKTPATH_CMD_GET_RULESET,
	PKTPATH_CMD_SET_RULESET,
	PKTPATH_CMD_ADD_RULE,
	PKTPATH_CMD_DEL_RULE,
	PKTPATH_CMD_FLUSH,
	PKTPATH_CMD_SET_POLICY,
	PKTPATH_CMD_RESET_COUNTERS,
	PKTPATH_CMD_SET_TRACE,
	__PKTPATH_CMD_MAX,
};

#define PKTPATH_CMD_MAX (__PKTPATH_CMD_MAX - 1)

/* Top-level attributes. */
enum pktpath_attr {
	PKTPATH_A_UNSPEC,
	PKTPATH_A_CHAIN,		/* nest: PKTPATH_CHAIN_A_* */
	PKTPATH_A_RULE,			/* nest: PKTPATH_RULE_A_* */
	PKTPATH_A_GENERATION,		/* u32: ruleset generation; in: the
					 * one a change expects
					 */
	PKTPATH_A_TRACE,		/* u8: enum pktpath_trace (SET_TRACE) */
	PKTPATH_A_MORE,			/* flag: SET_RULESET continues in the
					 * next message (a load in parts)
					 */
	__PKTPATH_A_MAX,
};

/* PKTPATH_A_TRACE */
enum pktpath_trace {
	PKTPATH_TRACE_OFF,
	PKTPATH_TRACE_ON,
	PKTPATH_TRACE_HOLD,		/* on while this socket is open */
	PKTPATH_TRACE_RELEASE,		/* this socket's hold goes */
	__PKTPATH_TRACE_MAX,
};

#define PKTPATH_A_MAX (__PKTPATH_A_MAX - 1)

enum pktpath_chain_attr {
	PKTPATH_CHAIN_A_UNSPEC,
	PKTPATH_CHAIN_A_FAMILY,		/* u8: NFPROTO_IPV4 or NFPROTO_IPV6 */
	PKTPATH_CHAIN_A_HOOK,		/* u8: NF_INET_PRE_ROUTING..POST_ROUTING */
	PKTPATH_CHAIN_A_POLICY,		/* u8: PKTPATH_POLICY_* */
	PKTPATH_CHAIN_A_RULES,		/* u32, out: number of rules */
	PKTPATH_CHAIN_A_PACKETS,	/* u64, out: packets the policy decided */
	PKTPATH_CHAIN_A_BYTES,		/* u64, out */
	PKTPATH_CHAIN_A_PAD,
	PKTPATH_CHAIN_A_MALFORMED,	/* u64, out: packets dropped because a
					 * rule could not judge them
					 */
	__PKTPATH_CHAIN_A_MAX,
};

#define PKTPATH_CHAIN_A_MAX (__PKTPATH_CHAIN_A_MAX - 1)

enum pktpath_policy {
	PKTPATH_POLICY_ACCEPT,
	PKTPATH_POLICY_DROP,
};

enum pktpath_rule_attr {
	PKTPATH_RULE_A_UNSPEC,
	PKTPATH_RULE_A_FAMILY,		/* u8: NFPROTO_IPV4 or NFPROTO_IPV6 */
	PKTPATH_RULE_A_HOOK,		/* u8: NF_INET_* */
	PKTPATH_RULE_A_HANDLE,		/* u32 >= 1: unique per namespace; in:
					 * optional (assigned when absent)
					 */
	PKTPATH_RULE_A_INDEX,		/* u32: position in the chain, 0 first;
					 * in: ADD_RULE inserts there; out
					 */
	/* matches: a rule matches when every match present matches */
	PKTPATH_RULE_A_IIFNAME,		/* string: input interface; a final
					 * '*' matches every name it ends
					 */
	PKTPATH_RULE_A_OIFNAME,		/* string: output interface, the same */
	PKTPATH_RULE_A_SADDR,		/* binary, 4 or 16 bytes (the family's) */
	PKTPATH_RULE_A_SADDR_PLEN,	/* u8: prefix length; default full */
	PKTPATH_RULE_A_DADDR,		/* binary, 4 or 16 bytes */
	PKTPATH_RULE_A_DADDR_PLEN,	/* u8 */
	PKTPATH_RULE_A_L4PROTO,		/* u8: IPPROTO_* */
	PKTPATH_RULE_A_SPORT_MIN,	/* u16, host order; needs TCP or UDP */
	PKTPATH_RULE_A_SPORT_MAX,	/* u16; default SPORT_MIN */
	PKTPATH_RULE_A_DPORT_MIN,	/* u16 */
	PKTPATH_RULE_A_DPORT_MAX,	/* u16 */
	PKTPATH_RULE_A_ICMP_TYPE,	/* u8; needs ICMP (v4) or ICMPv6 (v6) */
	PKTPATH_RULE_A_CT_STATE,	/* u32: PKTPATH_CT_* bits, any of them */
	PKTPATH_RULE_A_MARK,		/* u32: (skb->mark & MARK_MASK) == MARK */
	PKTPATH_RULE_A_MARK_MASK,	/* u32; default 0xffffffff */
	PKTPATH_RULE_A_TCP_SYN,		/* flag: TCP with SYN set, ACK clear */
	/* the action */
	PKTPATH_RULE_A_ACTION,		/* u8: PKTPATH_ACT_* (required) */
	PKTPATH_RULE_A_REJECT_WITH,	/* u8: PKTPATH_REJECT_*; default ICMP */
	PKTPATH_RULE_A_REJECT_CODE,	/* u8: ICMP/ICMPv6 unreachable code;
					 * default port unreachable
					 */
	PKTPATH_RULE_A_SET_MARK,	/* u32: for MARK and CTMARK */
	PKTPATH_RULE_A_NAT_ADDR_MIN,	/* binary, 4 or 16: SNAT/DNAT */
	PKTPATH_RULE_A_NAT_ADDR_MAX,	/* binary; default ADDR_MIN */
	PKTPATH_RULE_A_NAT_PORT_MIN,	/* u16: SNAT/DNAT/MASQUERADE/REDIRECT */
	PKTPATH_RULE_A_NAT_PORT_MAX,	/* u16; default PORT_MIN */
	/* out only */
	PKTPATH_RULE_A_PACKETS,		/* u64 */
	PKTPATH_RULE_A_BYTES,		/* u64 */
	PKTPATH_RULE_A_PAD,
	__PKTPATH_RULE_A_MAX,
};

#define PKTPATH_RULE_A_MAX (__PKTPATH_RULE_A_MAX - 1)

/* Conntrack states for PKTPATH_RULE_A_CT_STATE. */
#define PKTPATH_CT_NEW		0x1U
#define PKTPATH_CT_ESTABLISHED	0x2U
#define PKTPATH_CT_RELATED	0x4U
#define PKTPATH_CT_INVALID	0x8U	/* no conntrack entry */
#define PKTPATH_CT_UNTRACKED	0x10U	/* marked not to track (notrack) */
#define PKTPATH_CT_ALL		0x1fU

enum pktpath_action {
	PKTPATH_ACT_ACCEPT,		/* terminal */
	PKTPATH_ACT_DROP,		/* terminal */
	PKTPATH_ACT_REJECT,		/* terminal: send a reset/unreachable, drop */
	PKTPATH_ACT_MARK,		/* skb->mark = SET_MARK; goes on */
	PKTPATH_ACT_CTMARK,		/* conntrack mark = SET_MARK; goes on */
	PKTPATH_ACT_COUNTER,		/* only counts; goes on */
	PKTPATH_ACT_SNAT,		/* terminal; POSTROUTING and INPUT */
	PKTPATH_ACT_MASQUERADE,		/* terminal; POSTROUTING */
	PKTPATH_ACT_DNAT,		/* terminal; PREROUTING and OUTPUT */
	PKTPATH_ACT_REDIRECT,		/* terminal; PREROUTING and OUTPUT */
	__PKTPATH_ACT_MAX,
};

#define PKTPATH_ACT_MAX (__PKTPATH_ACT_MAX - 1)

enum pktpath_reject_with {
	PKTPATH_REJECT_ICMP,		/* ICMP or ICMPv6 destination unreachable */
	PKTPATH_REJECT_TCP_RESET,	/* TCP RST; the rule must match TCP */
};

#endif /* _PKTPATH_NETLINK_H */
