// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: the rule grammar, FAMILY HOOK [handle N] [MATCH...] ACTION.
 *
 * Every function that can fail writes a one-line message, without the
 * "pktpath: " prefix, into err (ERRMSG_LEN bytes) and returns -1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "pktpath.h"

#define ERR(...) (snprintf(err, ERRMSG_LEN, __VA_ARGS__), -1)

/* Decimal or 0x hex, nothing else: no sign, no blanks, no trailing text. */
static int parse_ull(const char *s, unsigned long long max, unsigned long long *val)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!isxdigit((unsigned char)s[2]))
			return -1;
	} else if (!isdigit((unsigned char)s[0])) {
		return -1;
	}
	errno = 0;
	*val = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	return *val > max ? -2 : 0;
}

int parse_u32(const char *s, u32 *val)
{
	unsigned long long v;

	if (parse_ull(s, 0xffffffffULL, &v))
		return -1;
	*val = v;
	return 0;
}

static int parse_u8(const char *s, u8 *val)
{
	unsigned long long v;

	if (parse_ull(s, 255, &v))
		return -1;
	*val = v;
	return 0;
}

int parse_family(const char *s, u8 *family, char *err)
{
	if (!strcmp(s, "ip"))
		*family = NFPROTO_IPV4;
	else if (!strcmp(s, "ip6"))
		*family = NFPROTO_IPV6;
	else
		return ERR("bad family '%s' (ip or ip6)", s);
	return 0;
}

int parse_hook(const char *s, u8 *hook, char *err)
{
	u8 h;

	for (h = 0; h < NR_HOOKS; h++) {
		if (!strcmp(s, hook_names[h])) {
			*hook = h;
			return 0;
		}
	}
	return ERR("bad hook '%s' (prerouting, input, forward, output or postrouting)", s);
}

int parse_handle(const char *s, u32 *handle, char *err)
{
	if (parse_u32(s, handle) || !*handle)
		return ERR("bad handle '%s' (1 to 4294967295)", s);
	return 0;
}

static int parse_port(const char *s, u16 *port, char *err)
{
	unsigned long long v;
	int ret = parse_ull(s, 65535, &v);

	if (ret == -2)
		return ERR("port out of range '%s'", s);
	if (ret)
		return ERR("bad port '%s'", s);
	*port = v;
	return 0;
}

/* P or P-Q, P <= Q. */
static int parse_port_range(const char *s, u16 *min, u16 *max, char *err)
{
	char buf[64], *dash;

	if (strlen(s) >= sizeof(buf))
		return ERR("bad port '%s'", s);
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_port(buf, min, err))
		return -1;
	*max = *min;
	if (dash) {
		if (parse_port(dash + 1, max, err))
			return -1;
		if (*min > *max)
			return ERR("bad port range '%s' (P > Q)", s);
	}
	return 0;
}

static int addr_len(u8 family)
{
	return family == NFPROTO_IPV6 ? 16 : 4;
}

static int parse_addr(u8 family, const char *s, u8 *addr)
{
	memset(addr, 0, 16);
	return inet_pton(family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, s, addr) == 1 ? 0 : -1;
}

void mask_addr(u8 *addr, int alen, u8 plen)
{
	int i;

	for (i = 0; i < alen; i++) {
		int bits = (int)plen - i * 8;

		if (bits <= 0)
			addr[i] = 0;
		else if (bits < 8)
			addr[i] &= (u8)(0xff << (8 - bits));
	}
}

static int parse_prefix(u8 family, const char *s, u8 *addr, u8 *plen, char *err)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	int alen = addr_len(family);
	u32 len = alen * 8;

	if (strlen(s) >= sizeof(buf))
		return ERR("bad prefix '%s'", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (!isdigit((unsigned char)slash[1]) || parse_u32(slash + 1, &len) ||
		    len > (u32)alen * 8)
			return ERR("bad prefix '%s'", s);
	}
	if (parse_addr(family, buf, addr))
		return ERR("bad prefix '%s'", s);
	*plen = len;
	mask_addr(addr, alen, *plen);
	return 0;
}

static int parse_ifname(const char *s, char *name, char *err)
{
	size_t len = strlen(s);

	if (!len || len >= PKTPATH_IFNAMSIZ)
		return ERR("interface name too long '%s' (at most 15 characters)", s);
	if (!strcmp(s, ".") || !strcmp(s, "..") || strpbrk(s, "/:"))
		return ERR("bad interface name '%s'", s);
	/* "eth*": every name that starts "eth"; a '*' elsewhere is a plain byte. */
	strcpy(name, s);
	return 0;
}

#define CT_STATES "new, established, related, invalid, untracked"

static int parse_ct_state(const char *s, u32 *state, char *err)
{
	char buf[128], *p, *save = NULL;
	unsigned int bit;

	if (strlen(s) >= sizeof(buf) || !*s || s[0] == ',' || s[strlen(s) - 1] == ',' ||
	    strstr(s, ",,"))
		return ERR("bad ct state '%s' (%s)", s, CT_STATES);
	strcpy(buf, s);
	*state = 0;
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (nv_val(ct_states, p, &bit))
			return ERR("bad ct state '%s' (%s)", p, CT_STATES);
		if (*state & bit)
			return ERR("duplicate ct state '%s'", p);
		*state |= bit;
	}
	return 0;
}

static int parse_mark(const char *s, u32 *mark, u32 *mask, char *err)
{
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return ERR("bad mark '%s'", s);
	strcpy(buf, s);
	*mask = 0xffffffff;
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_u32(slash + 1, mask))
			return ERR("bad mark '%s'", s);
	}
	if (parse_u32(buf, mark))
		return ERR("bad mark '%s'", s);
	if (*mark & ~*mask)
		return ERR("bad mark '%s': the value has bits outside the mask", s);
	return 0;
}

/* ADDR[-ADDR][:PORT[-PORT]], ip6 addresses bracketed when a port follows. */
static int parse_nat_to(struct rule *r, const char *s, char *err)
{
	char buf[2 * INET6_ADDRSTRLEN + 32], *a1, *a2 = NULL, *ports = NULL, *p;
	int alen = addr_len(r->family);

	if (strlen(s) >= sizeof(buf))
		return ERR("bad address '%s'", s);
	strcpy(buf, s);
	a1 = buf;
	if (r->family == NFPROTO_IPV6 && buf[0] == '[') {
		a1 = buf + 1;
		p = strchr(a1, ']');
		if (!p)
			return ERR("bad address '%s'", s);
		*p++ = '\0';
		if (p[0] == '-' && p[1] == '[') {
			a2 = p + 2;
			p = strchr(a2, ']');
			if (!p)
				return ERR("bad address '%s'", s);
			*p++ = '\0';
		}
		if (*p == ':')
			ports = p + 1;
		else if (*p)
			return ERR("bad address '%s'", s);
	} else if (r->family == NFPROTO_IPV4) {
		p = strchr(buf, ':');
		if (p) {
			*p = '\0';
			ports = p + 1;
		}
	}
	if (!a2) {
		p = strchr(a1, '-');
		if (p) {
			*p = '\0';
			a2 = p + 1;
		}
	}
	if (parse_addr(r->family, a1, r->nat_addr_min))
		return ERR("bad address '%s'", s);
	memcpy(r->nat_addr_max, r->nat_addr_min, 16);
	if (a2 && parse_addr(r->family, a2, r->nat_addr_max))
		return ERR("bad address '%s'", s);
	if (memcmp(r->nat_addr_min, r->nat_addr_max, alen) > 0)
		return ERR("bad address range '%s' (first > last)", s);
	r->has_nat_addr = true;
	if (ports) {
		if (parse_port_range(ports, &r->nat_port_min, &r->nat_port_max, err))
			return -1;
		r->has_nat_port = true;
	}
	return 0;
}

/*
 * What the module refuses beyond the syntax (nfmod/nl_rule.c), said here
 * too so that a dry run says what the kernel will say: where interfaces,
 * NAT and reject may sit, reject codes, NAT ports.
 */
static int check_placement(const struct rule *r, char *err)
{
	bool v6 = r->family == NFPROTO_IPV6;
	u8 h = r->hook;
	bool in = h == NF_INET_PRE_ROUTING || h == NF_INET_LOCAL_OUT;
	bool out = h == NF_INET_POST_ROUTING || h == NF_INET_LOCAL_IN;

	if (r->iif[0] && (h == NF_INET_LOCAL_OUT || h == NF_INET_POST_ROUTING))
		return ERR("iif is not valid at output or postrouting");
	if (r->oif[0] && (h == NF_INET_PRE_ROUTING || h == NF_INET_LOCAL_IN))
		return ERR("oif is not valid at prerouting or input");
	switch (r->action) {
	case PKTPATH_ACT_SNAT:
		if (!out)
			return ERR("snat is only valid at postrouting and input");
		break;
	case PKTPATH_ACT_MASQUERADE:
		if (h != NF_INET_POST_ROUTING)
			return ERR("masquerade is only valid at postrouting");
		break;
	case PKTPATH_ACT_DNAT:
	case PKTPATH_ACT_REDIRECT:
		if (!in)
			return ERR("%s is only valid at prerouting and output",
				   r->action == PKTPATH_ACT_DNAT ? "dnat" : "redirect");
		break;
	case PKTPATH_ACT_REJECT:
		if (h == NF_INET_POST_ROUTING)
			return ERR("reject is not valid at postrouting");
		if (r->has_reject_code &&
		    (v6 ? r->reject_code > PKTPATH_REJECT_CODE6_MAX :
			  r->reject_code > PKTPATH_REJECT_CODE_MAX || r->reject_code == 4))
			return ERR("reject code %u out of range for %s (%s)", r->reject_code,
				   family_name(r->family),
				   v6 ? "0..6" : "0..15 but 4, which needs an MTU");
		break;
	}
	if (r->has_nat_port &&
	    (!r->has_proto || (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)))
		return ERR("nat ports need proto tcp or udp");
	return 0;
}

/*
 * The action at tok[*i]; returns 1 when tok[*i] is no action, 0 when it
 * parsed one (and *i is past it), -1 on error.
 */
static int parse_action(struct rule *r, char **tok, int ntok, int *i, char *err)
{
	const char *kw = tok[*i];
	const char *next = *i + 1 < ntok ? tok[*i + 1] : NULL;
	int n = 1;
	unsigned int v;

	if (!strcmp(kw, "accept")) {
		r->action = PKTPATH_ACT_ACCEPT;
	} else if (!strcmp(kw, "drop")) {
		r->action = PKTPATH_ACT_DROP;
	} else if (!strcmp(kw, "counter")) {
		r->action = PKTPATH_ACT_COUNTER;
	} else if (!strcmp(kw, "reject")) {
		r->action = PKTPATH_ACT_REJECT;
		r->reject_with = PKTPATH_REJECT_ICMP;
		if (next && !strcmp(next, "with")) {
			const char *how = *i + 2 < ntok ? tok[*i + 2] : NULL;

			if (!how)
				return ERR("missing value after 'reject with'");
			if (!strcmp(how, "tcp-reset")) {
				r->reject_with = PKTPATH_REJECT_TCP_RESET;
				n = 3;
			} else if (!strcmp(how, "icmp")) {
				const char *code = *i + 3 < ntok ? tok[*i + 3] : NULL;

				if (!code)
					return ERR("missing value after 'reject with icmp'");
				if (!nv_val(r->family == NFPROTO_IPV6 ? icmp6_codes : icmp4_codes,
					    code, &v))
					r->reject_code = v;
				else if (parse_u8(code, &r->reject_code))
					return ERR("bad icmp code '%s'", code);
				r->has_reject_code = true;
				n = 4;
			} else {
				return ERR("bad reject type '%s' (tcp-reset or icmp CODE)", how);
			}
		}
	} else if (!strcmp(kw, "mark") && next && !strcmp(next, "set")) {
		r->action = PKTPATH_ACT_MARK;
		if (*i + 2 >= ntok)
			return ERR("missing value after 'mark set'");
		if (parse_u32(tok[*i + 2], &r->set_mark))
			return ERR("bad mark '%s'", tok[*i + 2]);
		n = 3;
	} else if (!strcmp(kw, "ct") && next && !strcmp(next, "mark")) {
		r->action = PKTPATH_ACT_CTMARK;
		if (*i + 2 >= ntok || strcmp(tok[*i + 2], "set"))
			return ERR("'ct mark' must be followed by 'set V'");
		if (*i + 3 >= ntok)
			return ERR("missing value after 'ct mark set'");
		if (parse_u32(tok[*i + 3], &r->set_mark))
			return ERR("bad mark '%s'", tok[*i + 3]);
		n = 4;
	} else if (!strcmp(kw, "snat") || !strcmp(kw, "dnat")) {
		r->action = kw[0] == 's' ? PKTPATH_ACT_SNAT : PKTPATH_ACT_DNAT;
		if (!next || strcmp(next, "to"))
			return ERR("'%s' must be followed by 'to ADDR'", kw);
		if (*i + 2 >= ntok)
			return ERR("missing address after '%s to'", kw);
		if (parse_nat_to(r, tok[*i + 2], err))
			return -1;
		n = 3;
	} else if (!strcmp(kw, "masquerade") || !strcmp(kw, "redirect")) {
		r->action = kw[0] == 'm' ? PKTPATH_ACT_MASQUERADE : PKTPATH_ACT_REDIRECT;
		if (next && !strcmp(next, "to")) {
			const char *pp = *i + 2 < ntok ? tok[*i + 2] : NULL;

			if (!pp)
				return ERR("missing ':PORT' after '%s to'", kw);
			if (pp[0] != ':')
				return ERR("bad port '%s' (':PORT' or ':PORT-PORT')", pp);
			if (parse_port_range(pp + 1, &r->nat_port_min, &r->nat_port_max, err))
				return -1;
			r->has_nat_port = true;
			n = 3;
		}
	} else {
		return 1;
	}
	r->has_action = true;
	*i += n;
	if (*i < ntok)
		return ERR("'%s' must be the last word", kw);
	return 0;
}

static int dup_err(const char *kw, char *err)
{
	return ERR("duplicate '%s'", kw);
}

/* FAMILY HOOK [handle N] [MATCH...] ACTION */
int parse_rule(char **tok, int ntok, struct rule *r, char *err)
{
	int i = 2, ret;
	unsigned int v;

	memset(r, 0, sizeof(*r));
	if (ntok < 1)
		return ERR("missing family (ip or ip6)");
	if (parse_family(tok[0], &r->family, err))
		return -1;
	if (ntok < 2)
		return ERR("missing hook");
	if (parse_hook(tok[1], &r->hook, err))
		return -1;
	if (ntok > 2 && !strcmp(tok[2], "handle")) {
		if (ntok < 4)
			return ERR("missing value after 'handle'");
		if (parse_handle(tok[3], &r->handle, err))
			return -1;
		r->has_handle = true;
		i = 4;
	}
	while (i < ntok) {
		const char *kw = tok[i];
		const char *val = i + 1 < ntok ? tok[i + 1] : NULL;

		ret = parse_action(r, tok, ntok, &i, err);
		if (ret <= 0) {
			if (ret < 0)
				return -1;
			break;
		}
		if (!strcmp(kw, "syn")) {
			if (r->syn)
				return dup_err(kw, err);
			r->syn = true;
			i++;
			continue;
		}
		if (!strcmp(kw, "handle"))
			return ERR("'handle N' must come right after the hook");
		if (!strcmp(kw, "ct")) {
			if (!val || strcmp(val, "state"))
				return ERR("unknown keyword 'ct %s'", val ? val : "");
			kw = "ct state";
			i++;
			val = i + 1 < ntok ? tok[i + 1] : NULL;
		} else if (strcmp(kw, "iif") && strcmp(kw, "oif") && strcmp(kw, "saddr") &&
			   strcmp(kw, "daddr") && strcmp(kw, "proto") && strcmp(kw, "sport") &&
			   strcmp(kw, "dport") && strcmp(kw, "icmp-type") && strcmp(kw, "mark")) {
			return ERR("unknown keyword '%s'", kw);
		}
		if (!val)
			return ERR("missing value after '%s'", kw);
		i += 2;
		if (!strcmp(kw, "iif")) {
			if (r->iif[0])
				return dup_err(kw, err);
			if (parse_ifname(val, r->iif, err))
				return -1;
		} else if (!strcmp(kw, "oif")) {
			if (r->oif[0])
				return dup_err(kw, err);
			if (parse_ifname(val, r->oif, err))
				return -1;
		} else if (!strcmp(kw, "saddr")) {
			if (r->has_saddr)
				return dup_err(kw, err);
			if (parse_prefix(r->family, val, r->saddr, &r->saddr_plen, err))
				return -1;
			r->has_saddr = true;
		} else if (!strcmp(kw, "daddr")) {
			if (r->has_daddr)
				return dup_err(kw, err);
			if (parse_prefix(r->family, val, r->daddr, &r->daddr_plen, err))
				return -1;
			r->has_daddr = true;
		} else if (!strcmp(kw, "proto")) {
			if (r->has_proto)
				return dup_err(kw, err);
			if (!nv_val(protos, val, &v))
				r->proto = v;
			else if (parse_u8(val, &r->proto))
				return ERR("bad protocol '%s' (tcp, udp, icmp, icmpv6, 0-255)",
					   val);
			r->has_proto = true;
		} else if (!strcmp(kw, "sport")) {
			if (r->has_sport)
				return dup_err(kw, err);
			if (parse_port_range(val, &r->sport_min, &r->sport_max, err))
				return -1;
			r->has_sport = true;
		} else if (!strcmp(kw, "dport")) {
			if (r->has_dport)
				return dup_err(kw, err);
			if (parse_port_range(val, &r->dport_min, &r->dport_max, err))
				return -1;
			r->has_dport = true;
		} else if (!strcmp(kw, "icmp-type")) {
			if (r->has_icmp_type)
				return dup_err(kw, err);
			if (!nv_val(r->family == NFPROTO_IPV6 ? icmp6_types : icmp4_types, val, &v))
				r->icmp_type = v;
			else if (parse_u8(val, &r->icmp_type))
				return ERR("bad icmp type '%s'", val);
			r->has_icmp_type = true;
		} else if (!strcmp(kw, "ct state")) {
			if (r->ct_state)
				return dup_err(kw, err);
			if (parse_ct_state(val, &r->ct_state, err))
				return -1;
		} else {	/* mark */
			if (r->has_mark)
				return dup_err(kw, err);
			if (parse_mark(val, &r->mark, &r->mark_mask, err))
				return -1;
			r->has_mark = true;
		}
	}
	if (!r->has_action)
		return ERR("missing action");

	if ((r->has_sport || r->has_dport) &&
	    (!r->has_proto || (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)))
		return ERR("%s needs proto tcp or udp", r->has_sport ? "sport" : "dport");
	if (r->has_icmp_type) {
		bool v6 = r->family == NFPROTO_IPV6;

		if (!r->has_proto || r->proto != (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
			return ERR("icmp-type needs proto %s", v6 ? "icmpv6" : "icmp");
	}
	if (r->syn && (!r->has_proto || r->proto != IPPROTO_TCP))
		return ERR("syn needs proto tcp");
	if (r->action == PKTPATH_ACT_REJECT && r->reject_with == PKTPATH_REJECT_TCP_RESET &&
	    (!r->has_proto || r->proto != IPPROTO_TCP))
		return ERR("reject with tcp-reset needs proto tcp");
	return check_placement(r, err);
}
