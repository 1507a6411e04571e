// SPDX-License-Identifier: GPL-2.0
/*
 * pp_craft: send one hand-made IPv4 or IPv6 packet (or a set of fragments)
 * out of an interface, below the sender's own stack (AF_PACKET), so that
 * the shapes a firewall must survive reach the next hop as written:
 *
 *   pp_craft IFNAME DSTMAC SRC DST DPORT KIND
 *
 * SRC and DST are both IPv4 or both IPv6; every packet is a TCP SYN from
 * port 40000 to DPORT with valid checksums unless KIND says otherwise:
 *   syn        the plain SYN (a control)
 *   synfin     SYN and FIN set
 *   tinyfrag   two fragments: the first holds only 8 bytes of TCP (the
 *              ports and the sequence number), the second the rest
 *   overlap    two fragments whose data overlap (bytes 8..15 twice)
 *   later      the second fragment alone (no transport header at all)
 *   doff4      TCP data offset 4 (under the minimum of 5)
 *   trunc      only 8 bytes of TCP, not a fragment
 *   ihl4       IPv4 header length 4 (IPv4 only)
 *   longlen    IPv4 total length beyond the frame (IPv4 only)
 *   ext8       eight destination options headers before TCP (IPv6 only)
 *   badchain   a destination options header longer than the packet (IPv6)
 *
 *   pp_craft IFNAME DSTMAC -
 *
 * reads packets from standard input instead, one a line:
 *   SRC DST tcp SPORT DPORT syn|ack   a TCP SYN or a bare ACK
 *   SRC DST udp SPORT DPORT           an empty UDP datagram
 *   SRC DST icmp TYPE                 an ICMP or ICMPv6 message, code 0
 * Exit status 0 when every frame went out.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TCP_LEN		20
#define FRAG_ID		0x5050
#define SPORT		40000

struct target {
	int fd;
	struct sockaddr_ll ll;
	bool v6;
	__u8 proto;		/* of the packets send4() and send6_frag() make */
	__u8 src[16], dst[16];
	__u16 dport;
};

static __u32 sum16(const void *p, size_t len, __u32 sum)
{
	const __u8 *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* A SYN (plus @flags) to the target's port, checksummed over its pseudo header. */
static void make_tcp(const struct target *t, __u8 *tcp, __u8 flags,
		     __u8 doff)
{
	int alen = t->v6 ? 16 : 4;
	__u32 sum;
	__u8 ph[4];

	memset(tcp, 0, TCP_LEN);
	put16(tcp, SPORT);
	put16(tcp + 2, t->dport);
	tcp[4] = 0x12;			/* sequence number */
	tcp[12] = doff << 4;
	tcp[13] = 0x02 | flags;		/* SYN */
	put16(tcp + 14, 64240);		/* window */
	sum = sum16(t->src, alen, 0);
	sum = sum16(t->dst, alen, sum);
	ph[0] = 0;
	ph[1] = IPPROTO_TCP;
	put16(ph + 2, TCP_LEN);
	sum = sum16(ph, sizeof(ph), sum);
	put16(tcp + 16, fold(sum16(tcp, TCP_LEN, sum)));
}

static int send_frame(const struct target *t, const __u8 *pkt, size_t len)
{
	if (sendto(t->fd, pkt, len, 0, (const struct sockaddr *)&t->ll,
		   sizeof(t->ll)) != (ssize_t)len) {
		perror("pp_craft: sendto");
		return -1;
	}
	return 0;
}

/*
 * One IPv4 packet: @payload (@plen bytes) after a header of @ihl words
 * claiming total length @totlen (0: the real one), fragment offset @off (in
 * 8-byte units) and MF as @more.
 */
static int send4(const struct target *t, const __u8 *payload, size_t plen,
		 unsigned int ihl, size_t totlen, unsigned int off, bool more)
{
	__u8 pkt[128] = { 0 };
	size_t hlen = ihl < 5 ? 20 : ihl * 4;

	pkt[0] = 0x40 | ihl;
	put16(pkt + 2, totlen ? totlen : hlen + plen);
	put16(pkt + 4, FRAG_ID);
	put16(pkt + 6, (more ? 0x2000 : 0) | off);
	pkt[8] = 64;
	pkt[9] = t->proto;
	memcpy(pkt + 12, t->src, 4);
	memcpy(pkt + 16, t->dst, 4);
	put16(pkt + 10, fold(sum16(pkt, hlen, 0)));
	memcpy(pkt + hlen, payload, plen);
	return send_frame(t, pkt, hlen + plen);
}

/*
 * One IPv6 packet: @ext (@elen bytes of extension headers, the first's
 * type in @first) then @payload.
 */
static int send6(const struct target *t, __u8 first, const __u8 *ext,
		 size_t elen, const __u8 *payload, size_t plen)
{
	__u8 pkt[256] = { 0 };

	pkt[0] = 0x60;
	put16(pkt + 4, elen + plen);
	pkt[6] = first;
	pkt[7] = 64;
	memcpy(pkt + 8, t->src, 16);
	memcpy(pkt + 24, t->dst, 16);
	memcpy(pkt + 40, ext, elen);
	memcpy(pkt + 40 + elen, payload, plen);
	return send_frame(t, pkt, 40 + elen + plen);
}

/* An IPv6 fragment header in front of @payload: offset in 8-byte units. */
static int send6_frag(const struct target *t, const __u8 *payload,
		      size_t plen, unsigned int off, bool more)
{
	__u8 fh[8] = { t->proto, 0 };

	put16(fh + 2, off << 3 | (more ? 1 : 0));
	put16(fh + 4, 0);
	put16(fh + 6, FRAG_ID);
	return send6(t, 44 /* NEXTHDR_FRAGMENT */, fh, sizeof(fh), payload,
		     plen);
}

/*
 * A batch line's transport header into @l4 (room for 20 bytes), its
 * checksum over the pseudo header (ICMPv4: over itself). Returns its
 * length, or 0 for a line it cannot read.
 */
static size_t make_batch_l4(struct target *t, const char *proto,
			    unsigned int a, unsigned int b, const char *flag,
			    __u8 *l4)
{
	int alen = t->v6 ? 16 : 4;
	size_t len;
	__u32 sum;
	__u8 ph[4];

	memset(l4, 0, TCP_LEN);
	if (!strcmp(proto, "tcp")) {
		t->proto = IPPROTO_TCP;
		len = TCP_LEN;
		put16(l4, a);
		put16(l4 + 2, b);
		l4[12] = 5 << 4;
		l4[13] = !strcmp(flag, "syn") ? 0x02 : 0x10;
		put16(l4 + 14, 64240);
	} else if (!strcmp(proto, "udp")) {
		t->proto = IPPROTO_UDP;
		len = 8;
		put16(l4, a);
		put16(l4 + 2, b);
		put16(l4 + 4, len);
	} else if (!strcmp(proto, "icmp")) {
		t->proto = t->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		len = 8;
		l4[0] = a;
		put16(l4 + 4, 0x7070);		/* identifier */
		if (!t->v6) {
			put16(l4 + 2, fold(sum16(l4, len, 0)));
			return len;
		}
	} else {
		return 0;
	}
	sum = sum16(t->src, alen, 0);
	sum = sum16(t->dst, alen, sum);
	ph[0] = 0;
	ph[1] = t->proto;
	put16(ph + 2, len);
	sum = sum16(ph, sizeof(ph), sum);
	put16(l4 + (t->proto == IPPROTO_TCP ? 16 :
		    t->proto == IPPROTO_UDP ? 6 : 2), fold(sum16(l4, len, sum)));
	return len;
}

static int batch(struct target *t)
{
	char src[64], dst[64], proto[8], flag[8], line[256];
	unsigned int a, b;
	int n, sent = 0;

	while (fgets(line, sizeof(line), stdin)) {
		__u8 l4[TCP_LEN];
		size_t len;

		flag[0] = 0;
		b = 0;
		n = sscanf(line, "%63s %63s %7s %u %u %7s", src, dst, proto, &a,
			   &b, flag);
		t->v6 = strchr(src, ':');
		t->ll.sll_protocol = htons(t->v6 ? ETH_P_IPV6 : ETH_P_IP);
		len = 0;
		if (n >= 4 &&
		    inet_pton(t->v6 ? AF_INET6 : AF_INET, src, t->src) == 1 &&
		    inet_pton(t->v6 ? AF_INET6 : AF_INET, dst, t->dst) == 1)
			len = make_batch_l4(t, proto, a, b, flag, l4);
		if (!len) {
			fprintf(stderr, "pp_craft: bad line: %s", line);
			return -1;
		}
		if (t->v6 ? send6(t, t->proto, NULL, 0, l4, len) :
			    send4(t, l4, len, 5, 0, 0, false))
			return -1;
		sent++;
	}
	fprintf(stderr, "pp_craft: %d packets sent\n", sent);
	return 0;
}

static int send_frags(const struct target *t, const __u8 *tcp,
		      const char *kind)
{
	bool tiny = !strcmp(kind, "tinyfrag");
	bool later = !strcmp(kind, "later");

	if (!tiny && !later) {		/* overlap: 0..15, then 8..19 */
		if (t->v6)
			return send6_frag(t, tcp, 16, 0, true) ||
			       send6_frag(t, tcp + 8, 12, 1, false);
		return send4(t, tcp, 16, 5, 0, 0, true) ||
		       send4(t, tcp + 8, 12, 5, 0, 1, false);
	}
	if (t->v6) {
		if (tiny && send6_frag(t, tcp, 8, 0, true))
			return -1;
		return send6_frag(t, tcp + 8, TCP_LEN - 8, 1, false);
	}
	if (tiny && send4(t, tcp, 8, 5, 0, 0, true))
		return -1;
	return send4(t, tcp + 8, TCP_LEN - 8, 5, 0, 1, false);
}

static int send_ext(const struct target *t, const __u8 *tcp, bool bad)
{
	__u8 ext[8 * 8];
	int i, n = bad ? 1 : 8;

	memset(ext, 0, sizeof(ext));
	for (i = 0; i < n; i++) {
		__u8 *h = ext + i * 8;

		h[0] = i + 1 < n ? 60 : IPPROTO_TCP;	/* NEXTHDR_DEST */
		/* A bad one claims 8 * (1 + 200) bytes. */
		h[1] = bad ? 200 : 0;
		h[2] = 1;		/* PadN over the other 6 bytes */
		h[3] = 4;
	}
	return send6(t, 60, ext, n * 8, tcp, TCP_LEN);
}

static int craft(const struct target *t, const char *kind)
{
	__u8 tcp[TCP_LEN];

	make_tcp(t, tcp, !strcmp(kind, "synfin") ? 0x01 : 0,
		 !strcmp(kind, "doff4") ? 4 : 5);
	if (!strcmp(kind, "syn") || !strcmp(kind, "synfin") ||
	    !strcmp(kind, "doff4"))
		return t->v6 ? send6(t, IPPROTO_TCP, NULL, 0, tcp, TCP_LEN) :
			       send4(t, tcp, TCP_LEN, 5, 0, 0, false);
	if (!strcmp(kind, "trunc"))
		return t->v6 ? send6(t, IPPROTO_TCP, NULL, 0, tcp, 8) :
			       send4(t, tcp, 8, 5, 0, 0, false);
	if (!strcmp(kind, "tinyfrag") || !strcmp(kind, "overlap") ||
	    !strcmp(kind, "later"))
		return send_frags(t, tcp, kind);
	if (!t->v6 && !strcmp(kind, "ihl4"))
		return send4(t, tcp, TCP_LEN, 4, 0, 0, false);
	if (!t->v6 && !strcmp(kind, "longlen"))
		return send4(t, tcp, TCP_LEN, 5, 20 + TCP_LEN + 100, 0, false);
	if (t->v6 && (!strcmp(kind, "ext8") || !strcmp(kind, "badchain")))
		return send_ext(t, tcp, kind[0] == 'b');
	fprintf(stderr, "pp_craft: unknown kind '%s' for IPv%d\n", kind,
		t->v6 ? 6 : 4);
	return -1;
}

int main(int argc, char **argv)
{
	struct target t = { 0 };
	unsigned int mac[6];
	int i;

	if (argc != 7 && (argc != 4 || strcmp(argv[3], "-"))) {
		fprintf(stderr, "usage: pp_craft IFNAME DSTMAC SRC DST DPORT KIND\n"
			"       pp_craft IFNAME DSTMAC - <PACKETS\n");
		return 2;
	}
	if (sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
		   &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "pp_craft: bad MAC '%s'\n", argv[2]);
		return 2;
	}
	t.v6 = strchr(argv[3], ':');
	t.proto = IPPROTO_TCP;
	if (argc == 7 &&
	    (inet_pton(t.v6 ? AF_INET6 : AF_INET, argv[3], t.src) != 1 ||
	     inet_pton(t.v6 ? AF_INET6 : AF_INET, argv[4], t.dst) != 1)) {
		fprintf(stderr, "pp_craft: bad addresses '%s' '%s'\n", argv[3],
			argv[4]);
		return 2;
	}
	if (argc == 7)
		t.dport = atoi(argv[5]);
	t.ll.sll_family = AF_PACKET;
	t.ll.sll_protocol = htons(t.v6 ? ETH_P_IPV6 : ETH_P_IP);
	t.ll.sll_ifindex = if_nametoindex(argv[1]);
	t.ll.sll_halen = 6;
	for (i = 0; i < 6; i++)
		t.ll.sll_addr[i] = mac[i];
	if (!t.ll.sll_ifindex) {
		fprintf(stderr, "pp_craft: no interface '%s'\n", argv[1]);
		return 2;
	}
	t.fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (t.fd < 0) {
		perror("pp_craft: socket");
		return 1;
	}
	i = (argc == 4 ? batch(&t) : craft(&t, argv[6])) ? 1 : 0;
	close(t.fd);
	return i;
}
