// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: rules in their canonical text form (what `ruleset show` prints
 * and `ruleset load` reads back), the listing with counters, and JSON.
 */
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "pktpath.h"

struct sbuf {
	char *buf;
	size_t len, pos;
};

static void sb_add(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->pos >= sb->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->pos, sb->len - sb->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->pos += n;
	if (sb->pos >= sb->len)
		sb->pos = sb->len - 1;
}

static int alen_of(u8 family)
{
	return family == NFPROTO_IPV6 ? 16 : 4;
}

static const char *addr_str(u8 family, const u8 *addr, char *buf)
{
	if (!inet_ntop(family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, addr, buf,
		       INET6_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

static void sb_prefix(struct sbuf *sb, const char *kw, u8 family, const u8 *addr, u8 plen)
{
	char s[INET6_ADDRSTRLEN];
	int alen = alen_of(family);
	u8 a[16] = { 0 };

	if (plen > alen * 8)
		plen = alen * 8;
	memcpy(a, addr, alen);
	mask_addr(a, alen, plen);
	sb_add(sb, " %s %s", kw, addr_str(family, a, s));
	if (plen < alen * 8)
		sb_add(sb, "/%u", plen);
}

static void sb_ports(struct sbuf *sb, u16 min, u16 max)
{
	sb_add(sb, "%u", min);
	if (max != min)
		sb_add(sb, "-%u", max);
}

static void sb_nat(struct sbuf *sb, const struct rule *r)
{
	char s[INET6_ADDRSTRLEN];
	bool v6 = r->family == NFPROTO_IPV6;
	bool range = memcmp(r->nat_addr_min, r->nat_addr_max, alen_of(r->family));
	bool br = v6 && r->has_nat_port;

	if (r->has_nat_addr) {
		sb_add(sb, " to %s%s%s", br ? "[" : "",
		       addr_str(r->family, r->nat_addr_min, s), br ? "]" : "");
		if (range)
			sb_add(sb, "-%s%s%s", br ? "[" : "",
			       addr_str(r->family, r->nat_addr_max, s), br ? "]" : "");
		if (r->has_nat_port) {
			sb_add(sb, ":");
			sb_ports(sb, r->nat_port_min, r->nat_port_max);
		}
	} else if (r->has_nat_port) {
		sb_add(sb, " to :");
		sb_ports(sb, r->nat_port_min, r->nat_port_max);
	}
}

static void sb_action(struct sbuf *sb, const struct rule *r)
{
	u8 code;
	const char *name;

	switch (r->action) {
	case PKTPATH_ACT_ACCEPT:
		sb_add(sb, " accept");
		break;
	case PKTPATH_ACT_DROP:
		sb_add(sb, " drop");
		break;
	case PKTPATH_ACT_COUNTER:
		sb_add(sb, " counter");
		break;
	case PKTPATH_ACT_REJECT:
		sb_add(sb, " reject");
		if (r->reject_with == PKTPATH_REJECT_TCP_RESET) {
			sb_add(sb, " with tcp-reset");
			break;
		}
		code = r->has_reject_code ? r->reject_code : default_reject_code(r->family);
		if (code == default_reject_code(r->family))
			break;
		name = reject_code_name(r->family, code);
		if (name)
			sb_add(sb, " with icmp %s", name);
		else
			sb_add(sb, " with icmp %u", code);
		break;
	case PKTPATH_ACT_MARK:
		sb_add(sb, " mark set 0x%x", r->set_mark);
		break;
	case PKTPATH_ACT_CTMARK:
		sb_add(sb, " ct mark set 0x%x", r->set_mark);
		break;
	case PKTPATH_ACT_SNAT:
		sb_add(sb, " snat");
		sb_nat(sb, r);
		break;
	case PKTPATH_ACT_DNAT:
		sb_add(sb, " dnat");
		sb_nat(sb, r);
		break;
	case PKTPATH_ACT_MASQUERADE:
		sb_add(sb, " masquerade");
		sb_nat(sb, r);
		break;
	case PKTPATH_ACT_REDIRECT:
		sb_add(sb, " redirect");
		sb_nat(sb, r);
		break;
	default:
		sb_add(sb, " action-%u", r->action);
		break;
	}
}

/* The matches and the action, in canonical order, without a leading blank. */
void rule_format(const struct rule *r, char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0 };
	const char *name;
	u32 bit;
	char sep = ' ';

	buf[0] = '\0';
	if (r->iif[0])
		sb_add(&sb, " iif %s", r->iif);
	if (r->oif[0])
		sb_add(&sb, " oif %s", r->oif);
	if (r->has_saddr)
		sb_prefix(&sb, "saddr", r->family, r->saddr, r->saddr_plen);
	if (r->has_daddr)
		sb_prefix(&sb, "daddr", r->family, r->daddr, r->daddr_plen);
	if (r->has_proto) {
		name = proto_name(r->proto);
		if (name)
			sb_add(&sb, " proto %s", name);
		else
			sb_add(&sb, " proto %u", r->proto);
	}
	if (r->has_sport) {
		sb_add(&sb, " sport ");
		sb_ports(&sb, r->sport_min, r->sport_max);
	}
	if (r->has_dport) {
		sb_add(&sb, " dport ");
		sb_ports(&sb, r->dport_min, r->dport_max);
	}
	if (r->has_icmp_type) {
		name = icmp_type_name(r->family, r->icmp_type);
		if (name)
			sb_add(&sb, " icmp-type %s", name);
		else
			sb_add(&sb, " icmp-type %u", r->icmp_type);
	}
	if (r->ct_state) {
		sb_add(&sb, " ct state");
		for (bit = 1; bit <= PKTPATH_CT_UNTRACKED; bit <<= 1) {
			if (!(r->ct_state & bit))
				continue;
			sb_add(&sb, "%c%s", sep, ct_state_name(bit));
			sep = ',';
		}
	}
	if (r->has_mark) {
		sb_add(&sb, " mark 0x%x", r->mark);
		if (r->mark_mask != 0xffffffff)
			sb_add(&sb, "/0x%x", r->mark_mask);
	}
	if (r->syn)
		sb_add(&sb, " syn");
	sb_action(&sb, r);
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/* FAMILY HOOK [handle N] RULE, as in a ruleset file. */
void print_rule_line(FILE *f, const struct rule *r)
{
	char text[RULE_TEXT_LEN];

	rule_format(r, text, sizeof(text));
	fprintf(f, "%s %s ", family_name(r->family), hook_name(r->hook));
	if (r->has_handle)
		fprintf(f, "handle %u ", r->handle);
	fprintf(f, "%s\n", text);
}

static u8 fam_of(int f)
{
	return f ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

/* The ruleset file: drop policies first, then every rule, chain by chain. */
void print_ruleset(FILE *f, const struct ruleset *rs)
{
	int fi, h;
	size_t i;

	/* 'ruleset load' of this text refuses it once the ruleset moved on. */
	if (rs->has_generation)
		fprintf(f, "# generation %u\n", rs->generation);
	for (fi = 0; fi < NR_FAMILIES; fi++)
		for (h = 0; h < NR_HOOKS; h++)
			if (rs->chains[fi][h].policy == PKTPATH_POLICY_DROP)
				fprintf(f, "policy %s %s drop\n", family_name(fam_of(fi)),
					hook_name(h));
	for (fi = 0; fi < NR_FAMILIES; fi++)
		for (h = 0; h < NR_HOOKS; h++)
			for (i = 0; i < rs->chains[fi][h].nr_rules; i++)
				print_rule_line(f, &rs->chains[fi][h].rules[i]);
}

static const char *policy_name(u8 policy)
{
	return policy == PKTPATH_POLICY_DROP ? "drop" : "accept";
}

/* Is chain (fi, h) listed, for `rule list [FAMILY [HOOK]]`? */
static bool listed(const struct chain *c, int fi, int h, int family, int hook)
{
	if (family < 0)
		return c->nr_rules || c->policy != PKTPATH_POLICY_ACCEPT;
	if (family_index(family) != fi)
		return false;
	return hook < 0 || hook == h;
}

void print_list(FILE *f, const struct ruleset *rs, int family, int hook)
{
	char text[RULE_TEXT_LEN];
	int fi, h;
	size_t i;

	for (fi = 0; fi < NR_FAMILIES; fi++) {
		for (h = 0; h < NR_HOOKS; h++) {
			const struct chain *c = &rs->chains[fi][h];

			if (!listed(c, fi, h, family, hook))
				continue;
			fprintf(f, "%s %s policy %s packets %llu bytes %llu",
				family_name(fam_of(fi)), hook_name(h), policy_name(c->policy),
				(unsigned long long)c->packets, (unsigned long long)c->bytes);
			if (c->malformed)
				fprintf(f, " malformed %llu", (unsigned long long)c->malformed);
			fputc('\n', f);
			for (i = 0; i < c->nr_rules; i++) {
				const struct rule *r = &c->rules[i];

				rule_format(r, text, sizeof(text));
				fprintf(f, "  handle %u %s packets %llu bytes %llu\n",
					r->handle, text, (unsigned long long)r->packets,
					(unsigned long long)r->bytes);
			}
		}
	}
}

void print_list_json(FILE *f, const struct ruleset *rs, int family, int hook)
{
	char text[RULE_TEXT_LEN];
	const char *csep = "";
	int fi, h;
	size_t i;

	fprintf(f, "{\"chains\":[");
	for (fi = 0; fi < NR_FAMILIES; fi++) {
		for (h = 0; h < NR_HOOKS; h++) {
			const struct chain *c = &rs->chains[fi][h];

			if (!listed(c, fi, h, family, hook))
				continue;
			fprintf(f, "%s{\"family\":\"%s\",\"hook\":\"%s\",\"policy\":\"%s\",",
				csep, family_name(fam_of(fi)), hook_name(h),
				policy_name(c->policy));
			fprintf(f, "\"packets\":%llu,\"bytes\":%llu,\"malformed\":%llu,\"rules\":[",
				(unsigned long long)c->packets,
				(unsigned long long)c->bytes,
				(unsigned long long)c->malformed);
			csep = ",";
			for (i = 0; i < c->nr_rules; i++) {
				const struct rule *r = &c->rules[i];

				rule_format(r, text, sizeof(text));
				fprintf(f, "%s{\"handle\":%u,\"index\":%zu,\"rule\":",
					i ? "," : "", r->handle, i);
				json_str(f, text);
				fprintf(f, ",\"packets\":%llu,\"bytes\":%llu}",
					(unsigned long long)r->packets,
					(unsigned long long)r->bytes);
			}
			fprintf(f, "]}");
		}
	}
	fprintf(f, "]}\n");
}
