// SPDX-License-Identifier: GPL-2.0
/*
 * An AF_XDP echo for the XDP tests: binds an XSK socket (copy mode) to
 * queue 0 of IFNAME, with libxdp's default program redirecting the queue
 * to it, and sends every IPv4 UDP datagram to PORT back out through the
 * socket's TX ring with MACs, addresses and ports swapped. Other frames
 * are dropped. Prints "ready" once bound, "echoed N" at the end; exits 0
 * after COUNT echoes, 1 after 10 s without them.
 *
 *   xsk_echo IFNAME PORT COUNT native|skb
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <xdp/xsk.h>

#define NUM_FRAMES	1024
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define BATCH		64

struct echo {
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	void *area;
	unsigned int port;
};

static void fill(struct echo *e, __u64 addr)
{
	__u32 idx;

	if (xsk_ring_prod__reserve(&e->fq, 1, &idx) == 1) {
		*xsk_ring_prod__fill_addr(&e->fq, idx) = addr;
		xsk_ring_prod__submit(&e->fq, 1);
	}
}

/* Turn a datagram to our port around in place; false for anything else. */
static int reflect(struct echo *e, unsigned char *pkt, __u32 len)
{
	struct ethhdr *eth = (struct ethhdr *)pkt;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	unsigned char mac[ETH_ALEN];
	__u32 addr;
	__u16 port;

	if (len < sizeof(*eth) + sizeof(*ip) + sizeof(*udp) ||
	    eth->h_proto != htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP || udp->dest != htons(e->port))
		return 0;
	memcpy(mac, eth->h_dest, ETH_ALEN);
	memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	return 1;
}

static void complete_tx(struct echo *e)
{
	__u32 idx, n, i;

	n = xsk_ring_cons__peek(&e->cq, BATCH, &idx);
	for (i = 0; i < n; i++)
		fill(e, *xsk_ring_cons__comp_addr(&e->cq, idx + i));
	xsk_ring_cons__release(&e->cq, n);
}

static unsigned int receive(struct echo *e)
{
	unsigned int echoed = 0;
	__u32 idx, n, i, tidx;

	n = xsk_ring_cons__peek(&e->rx, BATCH, &idx);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&e->rx, idx + i);

		if (reflect(e, xsk_umem__get_data(e->area, d->addr), d->len) &&
		    xsk_ring_prod__reserve(&e->tx, 1, &tidx) == 1) {
			xsk_ring_prod__tx_desc(&e->tx, tidx)->addr = d->addr;
			xsk_ring_prod__tx_desc(&e->tx, tidx)->len = d->len;
			xsk_ring_prod__submit(&e->tx, 1);
			echoed++;
		} else {
			fill(e, d->addr);
		}
	}
	xsk_ring_cons__release(&e->rx, n);
	if (echoed)
		sendto(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
	return echoed;
}

int main(int argc, char **argv)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.bind_flags = XDP_COPY,
	};
	unsigned int want, echoed = 0, i;
	struct echo e = { 0 };
	time_t deadline;
	__u32 idx;
	int err;

	if (argc != 5) {
		fprintf(stderr, "usage: %s IFNAME PORT COUNT native|skb\n", argv[0]);
		return 2;
	}
	e.port = atoi(argv[2]);
	want = atoi(argv[3]);
	cfg.xdp_flags = strcmp(argv[4], "skb") ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;

	e.area = mmap(NULL, NUM_FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e.area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	err = xsk_umem__create(&e.umem, e.area, NUM_FRAMES * FRAME_SIZE, &e.fq, &e.cq, NULL);
	if (err) {
		fprintf(stderr, "xsk_umem__create: %s\n", strerror(-err));
		return 1;
	}
	err = xsk_socket__create(&e.xsk, argv[1], 0, e.umem, &e.rx, &e.tx, &cfg);
	if (err) {
		fprintf(stderr, "xsk_socket__create: %s\n", strerror(-err));
		return 1;
	}
	/* Half the frames for receiving, the rest come back from TX. */
	if (xsk_ring_prod__reserve(&e.fq, NUM_FRAMES / 2, &idx) != NUM_FRAMES / 2)
		return 1;
	for (i = 0; i < NUM_FRAMES / 2; i++)
		*xsk_ring_prod__fill_addr(&e.fq, idx + i) = (__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&e.fq, NUM_FRAMES / 2);
	printf("ready\n");
	fflush(stdout);

	deadline = time(NULL) + 10;
	while (echoed < want && time(NULL) < deadline) {
		struct pollfd pfd = { .fd = xsk_socket__fd(e.xsk), .events = POLLIN };

		poll(&pfd, 1, 100);
		echoed += receive(&e);
		complete_tx(&e);
	}
	/* Let the last echoes leave before the socket goes away. */
	for (i = 0; i < 10; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		complete_tx(&e);
		nanosleep(&ts, NULL);
	}
	printf("echoed %u\n", echoed);
	xsk_socket__delete(e.xsk);
	xsk_umem__delete(e.umem);
	return echoed >= want ? 0 : 1;
}
