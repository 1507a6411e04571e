// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: decode the first bytes of a packet's network header,
 * as pktpath's trace events record them (hdr=<hex>), and give the packet an
 * identity. The identity uses only what neither NAT nor forwarding
 * changes (TCP sequence numbers and flags, ICMP echo id and sequence, the
 * IPv4 id or IPv6 flow label, lengths, the first payload bytes), so one
 * packet keeps it from the sender's socket across every host to the
 * receiver's.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "journey.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static __u64 fnv(__u64 h, const void *data, size_t len)
{
	const __u8 *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static __u16 be16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static __u32 be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

/* The transport header at @l4, @avail bytes of it recorded. */
/*
 * Transport bytes to read: what was captured, but never past the IP
 * length. A short frame seen on receive still has the Ethernet padding
 * its sender's skb never had, and must get the same identity.
 */
static int l4_avail(const struct pkthdr *h, int captured)
{
	if (captured < 0)
		return 0;
	return captured > h->l4len ? h->l4len : captured;
}

static void decode_l4(struct pkthdr *h, const __u8 *l4, int avail, __u64 *key)
{
	bool icmp = h->proto == IPPROTO_ICMP || h->proto == IPPROTO_ICMPV6;

	*key = fnv(*key, &h->proto, 1);
	if (h->proto == IPPROTO_TCP && avail >= 14) {
		h->sport = be16(l4);
		h->dport = be16(l4 + 2);
		h->seq = be32(l4 + 4);
		h->ack = be32(l4 + 8);
		h->tcp_flags = l4[13];
		*key = fnv(*key, l4 + 4, 10);	/* seq, ack, offset, flags */
		*key = fnv(*key, &h->l4len, sizeof(h->l4len));
		return;
	}
	if (h->proto == IPPROTO_UDP && avail >= 8) {
		h->sport = be16(l4);
		h->dport = be16(l4 + 2);
		*key = fnv(*key, l4 + 4, 2);	/* UDP length */
		*key = fnv(*key, l4 + 8, avail - 8);
		if (h->family == 4)
			*key = fnv(*key, &h->ipid, sizeof(h->ipid));
		return;
	}
	if (icmp && avail >= 8) {
		h->icmp_type = l4[0];
		h->icmp_id = be16(l4 + 4);
		h->icmp_seq = be16(l4 + 6);
		*key = fnv(*key, l4, 2);	/* type, code */
		if ((h->family == 4 && (l4[0] == 0 || l4[0] == 8)) ||
		    (h->family == 6 && (l4[0] == 128 || l4[0] == 129))) {
			*key = fnv(*key, l4 + 4, 4);
			return;
		}
	}
	*key = fnv(*key, &h->l3len, sizeof(h->l3len));
	if (h->family == 4)
		*key = fnv(*key, &h->ipid, sizeof(h->ipid));
	else
		*key = fnv(*key, l4, avail > 16 ? 16 : avail);
}

/* Decode hex bytes starting at the network header. 0, or -1 if unknown. */
int pkthdr_from_hex(const char *hex, struct pkthdr *h)
{
	__u8 b[128];
	int n = 0, ihl;
	__u64 key = 0xcbf29ce484222325ULL;

	memset(h, 0, sizeof(*h));
	while (n < (int)sizeof(b) && hexval(hex[0]) >= 0 && hexval(hex[1]) >= 0) {
		b[n++] = (__u8)(hexval(hex[0]) << 4 | hexval(hex[1]));
		hex += 2;
	}
	if (n >= 20 && (b[0] >> 4) == 4) {
		ihl = (b[0] & 0xf) * 4;
		if (ihl < 20)
			return -1;
		h->family = 4;
		h->l3len = be16(b + 2);
		h->ipid = be16(b + 4);
		h->proto = b[9];
		memcpy(h->saddr, b + 12, 4);
		memcpy(h->daddr, b + 16, 4);
		h->l4len = h->l3len > ihl ? h->l3len - ihl : 0;
		/* A non-first fragment has no transport header. */
		if (be16(b + 6) & 0x1fff)
			h->proto = 0;
		key = fnv(key, "4", 1);
		decode_l4(h, b + ihl, l4_avail(h, n - ihl), &key);
	} else if (n >= 40 && (b[0] >> 4) == 6) {
		h->family = 6;
		h->l4len = be16(b + 4);
		h->l3len = h->l4len + 40;
		h->proto = b[6];
		memcpy(h->saddr, b + 8, 16);
		memcpy(h->daddr, b + 24, 16);
		key = fnv(key, "6", 1);
		/*
		 * The flow label (set per flow by the sender, kept by routers
		 * and by NAT): with no IP id, identical UDP datagrams from
		 * two hosts would otherwise be one packet.
		 */
		h->flowlabel = (__u32)(b[1] & 0xf) << 16 | be16(b + 2);
		key = fnv(key, &h->flowlabel, sizeof(h->flowlabel));
		decode_l4(h, b + 40, l4_avail(h, n - 40), &key);
	} else {
		return -1;
	}
	h->key = key;
	h->ok = true;
	return 0;
}

void pkthdr_addr(const struct pkthdr *h, bool src, char *buf, size_t len)
{
	inet_ntop(h->family == 4 ? AF_INET : AF_INET6, src ? h->saddr : h->daddr,
		  buf, (socklen_t)len);
}

const char *proto_label(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_ICMP:
		return "ICMP";
	case IPPROTO_ICMPV6:
		return "ICMPv6";
	default:
		return "IP";
	}
}

static void tcp_flags(__u8 f, char *buf)
{
	static const char names[] = "FSRPAU";
	int i, n = 0;

	for (i = 0; i < 6; i++)
		if (f & (1 << i))
			buf[n++] = names[i];
	buf[n] = '\0';
}

static const char *icmp_label(const struct pkthdr *h)
{
	switch (h->family == 4 ? h->icmp_type : h->icmp_type + 1000) {
	case 8: case 1128:
		return "echo-request";
	case 0: case 1129:
		return "echo-reply";
	case 3: case 1001:
		return "destination-unreachable";
	case 11: case 1003:
		return "time-exceeded";
	case 1135:
		return "neighbor-solicitation";
	case 1136:
		return "neighbor-advertisement";
	default:
		return "type";
	}
}

/* "TCP 10.1.0.2:4711 -> 10.2.0.2:80 [S] seq 1 len 0" and the like. */
void pkthdr_describe(const struct pkthdr *h, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], fl[8];

	pkthdr_addr(h, true, s, sizeof(s));
	pkthdr_addr(h, false, d, sizeof(d));
	switch (h->proto) {
	case IPPROTO_TCP:
		tcp_flags(h->tcp_flags, fl);
		snprintf(buf, len, "TCP %s%s%s:%u -> %s%s%s:%u [%s] seq %u ack %u, %u bytes",
			 h->family == 6 ? "[" : "", s, h->family == 6 ? "]" : "", h->sport,
			 h->family == 6 ? "[" : "", d, h->family == 6 ? "]" : "", h->dport,
			 fl, h->seq, h->ack, h->l3len);
		break;
	case IPPROTO_UDP:
		snprintf(buf, len, "UDP %s%s%s:%u -> %s%s%s:%u, %u bytes",
			 h->family == 6 ? "[" : "", s, h->family == 6 ? "]" : "", h->sport,
			 h->family == 6 ? "[" : "", d, h->family == 6 ? "]" : "", h->dport,
			 h->l3len);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		snprintf(buf, len, "%s %s %s -> %s id %u seq %u, %u bytes",
			 proto_label(h->proto), icmp_label(h), s, d, h->icmp_id,
			 h->icmp_seq, h->l3len);
		break;
	default:
		snprintf(buf, len, "IPv%u proto %u %s -> %s, %u bytes", h->family, h->proto,
			 s, d, h->l3len);
	}
}
