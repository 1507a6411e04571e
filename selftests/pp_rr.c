// SPDX-License-Identifier: GPL-2.0
/*
 * pp_rr: TCP request/response, the latency side of make bench (netperf's
 * TCP_RR in small): one connection, a SIZE-byte request, the same bytes
 * back, again and again.
 *
 *   pp_rr -s PORT                   serve one connection, echoing
 *   pp_rr -c ADDR PORT SECS [SIZE]  run for SECS seconds (SIZE 64)
 *
 * The client prints "transactions N tps T p50_us A p99_us B" and checks
 * every reply byte for byte (exit 1 on a mismatch or an error).
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RR_MAX_SIZE	65536

static int rr_full(int fd, char *buf, size_t len, int writing)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = writing ? write(fd, buf + done, len - done) :
				      read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static double rr_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int rr_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int rr_serve(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	static char buf[RR_MAX_SIZE];
	int one = 1, ls, fd;
	ssize_t n;

	sa.sin6_port = htons(atoi(port));
	ls = socket(AF_INET6, SOCK_STREAM, 0);
	if (ls < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1)) {
		perror("pp_rr: listen");
		return 1;
	}
	fd = accept(ls, NULL, NULL);
	if (fd < 0) {
		perror("pp_rr: accept");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* Echo whatever comes, as it comes: the client knows the size. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (rr_full(fd, buf, n, 1))
			break;
	close(fd);
	close(ls);
	return 0;
}

static int rr_connect(const char *addr, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *p;
	int fd = -1, one = 1;

	if (getaddrinfo(addr, port, &hints, &ai)) {
		fprintf(stderr, "pp_rr: cannot resolve %s\n", addr);
		return -1;
	}
	for (p = ai; p; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
		if (fd >= 0 && !connect(fd, p->ai_addr, p->ai_addrlen))
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		perror("pp_rr: connect");
	else
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int rr_client(const char *addr, const char *port, double secs,
		     size_t size)
{
	static char req[RR_MAX_SIZE], rsp[RR_MAX_SIZE];
	size_t n = 0, cap = 1024, i;
	double start, t0, t1, *lat;
	int fd;

	fd = rr_connect(addr, port);
	if (fd < 0)
		return 1;
	lat = malloc(cap * sizeof(*lat));
	if (!lat)
		return 1;
	start = rr_now_us();
	do {
		/* Every request differs, so a stale or misplaced reply shows. */
		for (i = 0; i < size; i++)
			req[i] = (char)(n * 31 + i);
		t0 = rr_now_us();
		if (rr_full(fd, req, size, 1) || rr_full(fd, rsp, size, 0)) {
			fprintf(stderr, "pp_rr: connection lost after %zu\n", n);
			return 1;
		}
		t1 = rr_now_us();
		if (memcmp(req, rsp, size)) {
			fprintf(stderr, "pp_rr: reply %zu differs\n", n);
			return 1;
		}
		if (n == cap) {
			double *more = realloc(lat, 2 * cap * sizeof(*lat));

			if (!more)
				return 1;
			lat = more;
			cap *= 2;
		}
		lat[n++] = t1 - t0;
	} while (t1 - start < secs * 1e6);
	close(fd);
	qsort(lat, n, sizeof(*lat), rr_cmp);
	printf("transactions %zu tps %.0f p50_us %.0f p99_us %.0f\n", n,
	       n / ((t1 - start) / 1e6), lat[n / 2], lat[n * 99 / 100]);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-s"))
		return rr_serve(argv[2]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "-c")) {
		size_t size = argc == 6 ? strtoul(argv[5], NULL, 0) : 64;

		if (size < 1 || size > RR_MAX_SIZE) {
			fprintf(stderr, "pp_rr: SIZE is 1..%d\n", RR_MAX_SIZE);
			return 2;
		}
		return rr_client(argv[2], argv[3], atof(argv[4]), size);
	}
	fprintf(stderr, "usage: pp_rr -s PORT | -c ADDR PORT SECS [SIZE]\n");
	return 2;
}
