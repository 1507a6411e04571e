/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpath_nf: a rule, a parsed packet, and the classifier that matches one
 * against the other. Kept apart from pktpath_nf.h so that the classifier
 * also builds as a host program (nfmod/tests/), where it is checked
 * against a linear first-match walk.
 */
#ifndef _PKTPATH_RULE_H
#define _PKTPATH_RULE_H

#include <linux/types.h>
#include <linux/if.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>

#include "pktpath_netlink.h"

struct net_device;

struct pp_counter {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/* Which matches a rule carries (pp_rule.match). */
#define PP_M_IIF	BIT(0)
#define PP_M_OIF	BIT(1)
#define PP_M_SADDR	BIT(2)
#define PP_M_DADDR	BIT(3)
#define PP_M_PROTO	BIT(4)
#define PP_M_SPORT	BIT(5)
#define PP_M_DPORT	BIT(6)
#define PP_M_ICMP	BIT(7)
#define PP_M_CT		BIT(8)
#define PP_M_MARK	BIT(9)
#define PP_M_SYN	BIT(10)

/* Which optional action arguments a rule carries (pp_rule.aflags). */
#define PP_A_NAT_ADDR	BIT(0)
#define PP_A_NAT_PORT	BIT(1)
#define PP_A_REJECT_CODE	BIT(2)

struct pp_rule {
	refcount_t ref;
	u32 handle;
	u8 nfproto;
	u8 hook;
	u8 action;
	u8 aflags;
	u16 match;
	u8 splen;
	u8 dplen;
	u8 l4proto;
	u8 icmp_type;
	u8 reject_with;
	u8 reject_code;
	u16 sport_min, sport_max;
	u16 dport_min, dport_max;
	u32 ct_state;
	u32 mark, mark_mask;
	u32 set_mark;
	u16 nat_port_min, nat_port_max;
	union nf_inet_addr saddr, daddr;	/* stored masked */
	union nf_inet_addr nat_addr_min, nat_addr_max;
	char iifname[IFNAMSIZ];
	char oifname[IFNAMSIZ];
	u8 iiflen, oiflen;	/* bytes compared: IFNAMSIZ, or a wildcard's stem */
	/* counters: the live per-CPU sums minus the baseline of the last reset */
	struct pp_counter __percpu *cnt;
	u64 base_packets;
	u64 base_bytes;
};

/* A packet's addresses, protocol and ports. */
struct pp_key {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	u16 sport;
	u16 dport;
	u8 proto;
};

/* The parsed fields of one packet (packet.c). */
struct pp_pkt {
	struct pp_key key;		/* full addresses, proto, ports */
	const struct net_device *in;
	const struct net_device *out;
	u32 mark;
	u32 ctstate;			/* one PKTPATH_CT_* bit, or 0 */
	u8 icmp_type;
	bool has_proto;
	bool has_ports;
	bool has_icmp;
	bool syn;
	bool malformed;			/* protocol or transport header unreadable */
};

/* match.c */
bool pp_rule_match(const struct pp_rule *rule, const struct pp_pkt *pkt);
void pp_prefix_mask(union nf_inet_addr *mask, unsigned int plen, bool ipv6);

#endif /* _PKTPATH_RULE_H */
