// SPDX-License-Identifier: GPL-2.0
/*
 * pp_failnth: one system call with the kernel's systematic fault
 * injection armed (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION):
 * the Nth fault point that call reaches (a slab or page allocation, with
 * failslab and fail_page_alloc allowing sleeping allocations) fails.
 *
 *   pp_failnth N up IFNAME          SIOCSIFFLAGS: bring IFNAME up
 *   pp_failnth N rings IFNAME RX TX ETHTOOL_SRINGPARAM
 *   pp_failnth N mtu IFNAME MTU     SIOCSIFMTU
 *   pp_failnth N write FILE TEXT    write(2) TEXT to FILE (a driver bind)
 *
 * Prints "errno E injected Y": the call's errno (0 on success) and
 * whether the Nth point was reached (1) or the call made fewer than N
 * (0: a sweep over N is complete). Exit 0 unless the tool itself failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

static int fail_nth_fd = -1;

static void arm(const char *n)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("pp_failnth: /proc/thread-self/fail-nth");
		exit(2);
	}
	if (write(fail_nth_fd, n, strlen(n)) < 0) {
		perror("pp_failnth: arming fail-nth");
		exit(2);
	}
}

/*
 * What is left of the count (0 once the Nth point has failed), then
 * disarm. pread/pwrite on the descriptor opened before arming: the file
 * cannot seek, and opening it again would itself be a fault point.
 */
static int injected(void)
{
	char buf[32] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1;
	if (pwrite(fail_nth_fd, "0", 1, 0) < 0)
		return -1;
	return atoi(buf) == 0;
}

/* The socket exists before arming: its creation is no fault point. */
static int if_request(int s, int cmd, const char *ifname, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
	return ioctl(s, cmd, ifr) ? errno : 0;
}

static void usage(void)
{
	fputs("pp_failnth N up IFNAME | rings IFNAME RX TX | mtu IFNAME MTU | write FILE TEXT\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	struct ifreq ifr = { 0 };
	int err = 0, fd, s;

	if (argc < 4)
		usage();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return perror("pp_failnth: socket"), 2;

	if (!strcmp(argv[2], "up")) {
		err = if_request(s, SIOCGIFFLAGS, argv[3], &ifr);
		if (err)
			return fprintf(stderr, "pp_failnth: %s: %s\n", argv[3], strerror(err)), 2;
		ifr.ifr_flags |= IFF_UP;
		arm(argv[1]);
		err = if_request(s, SIOCSIFFLAGS, argv[3], &ifr);
	} else if (!strcmp(argv[2], "rings") && argc == 6) {
		ifr.ifr_data = (void *)&ring;
		err = if_request(s, SIOCETHTOOL, argv[3], &ifr);
		if (err)
			return fprintf(stderr, "pp_failnth: %s: %s\n", argv[3], strerror(err)), 2;
		ring.cmd = ETHTOOL_SRINGPARAM;
		ring.rx_pending = atoi(argv[4]);
		ring.tx_pending = atoi(argv[5]);
		arm(argv[1]);
		err = if_request(s, SIOCETHTOOL, argv[3], &ifr);
	} else if (!strcmp(argv[2], "mtu") && argc == 5) {
		ifr.ifr_mtu = atoi(argv[4]);
		arm(argv[1]);
		err = if_request(s, SIOCSIFMTU, argv[3], &ifr);
	} else if (!strcmp(argv[2], "write") && argc == 5) {
		fd = open(argv[3], O_WRONLY);
		if (fd < 0)
			return perror("pp_failnth: open"), 2;
		arm(argv[1]);
		if (write(fd, argv[4], strlen(argv[4])) < 0)
			err = errno;
		close(fd);
	} else {
		usage();
	}
	printf("errno %d injected %d\n", err, injected());
	close(s);
	return 0;
}
