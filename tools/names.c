// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: the names of families, hooks, protocols, ICMP types and codes
 * and conntrack states, both ways.
 */
#include <string.h>
#include <netinet/in.h>

#include "pktpath.h"

const char * const hook_names[NR_HOOKS] = {
	"prerouting", "input", "forward", "output", "postrouting",
};

const struct name_val protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 }, { NULL, 0 },
};

const struct name_val icmp4_types[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 },
	{ "source-quench", 4 }, { "redirect", 5 }, { "echo-request", 8 },
	{ "router-advertisement", 9 }, { "router-solicitation", 10 },
	{ "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 },
	{ "info-request", 15 }, { "info-reply", 16 },
	{ "address-mask-request", 17 }, { "address-mask-reply", 18 },
	{ NULL, 0 },
};

const struct name_val icmp6_types[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 },
	{ "time-exceeded", 3 }, { "parameter-problem", 4 },
	{ "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 },
	{ "mld-listener-done", 132 }, { "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 }, { "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
	{ "router-renumbering", 138 }, { "mld2-listener-report", 143 },
	{ NULL, 0 },
};

const struct name_val icmp4_codes[] = {
	{ "net-unreachable", 0 }, { "host-unreachable", 1 },
	{ "prot-unreachable", 2 }, { "port-unreachable", 3 },
	{ "net-prohibited", 9 }, { "host-prohibited", 10 },
	{ "admin-prohibited", 13 }, { NULL, 0 },
};

const struct name_val icmp6_codes[] = {
	{ "no-route", 0 }, { "admin-prohibited", 1 },
	{ "addr-unreachable", 3 }, { "port-unreachable", 4 }, { NULL, 0 },
};

const struct name_val ct_states[] = {
	{ "new", PKTPATH_CT_NEW }, { "established", PKTPATH_CT_ESTABLISHED },
	{ "related", PKTPATH_CT_RELATED }, { "invalid", PKTPATH_CT_INVALID },
	{ "untracked", PKTPATH_CT_UNTRACKED },
	{ NULL, 0 },
};

const char *nv_name(const struct name_val *t, unsigned int val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

int nv_val(const struct name_val *t, const char *name, unsigned int *val)
{
	for (; t->name; t++) {
		if (!strcmp(t->name, name)) {
			*val = t->val;
			return 0;
		}
	}
	return -1;
}

int family_index(u8 family)
{
	return family == NFPROTO_IPV6 ? 1 : 0;
}

const char *family_name(u8 family)
{
	return family == NFPROTO_IPV6 ? "ip6" : "ip";
}

const char *hook_name(u8 hook)
{
	return hook < NR_HOOKS ? hook_names[hook] : "?";
}

const char *icmp_type_name(u8 family, u8 type)
{
	return nv_name(family == NFPROTO_IPV6 ? icmp6_types : icmp4_types, type);
}

const char *reject_code_name(u8 family, u8 code)
{
	return nv_name(family == NFPROTO_IPV6 ? icmp6_codes : icmp4_codes, code);
}

u8 default_reject_code(u8 family)
{
	return family == NFPROTO_IPV6 ? 4 : 3;
}

const char *proto_name(u8 proto)
{
	return nv_name(protos, proto);
}

const char *ct_state_name(u32 bit)
{
	return nv_name(ct_states, bit);
}
