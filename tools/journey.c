// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey [-f] [-j] [-c COUNT] [-t SECONDS] [FILTER] [-- COMMAND...]
 *
 * Records the packet path's trace events while COMMAND runs (or for
 * SECONDS), joins them into one timeline per packet and prints, station by
 * station, where each packet went, when, and where and why it died.
 * This file: the command line, the filter, recording around the command.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "journey.h"
#include "pktpath.h"

/* ---- filter ---------------------------------------------------------------------- */

static bool term_ok(const struct term *t, const struct pkthdr *h)
{
	int alen = h->family == 4 ? 4 : 16;
	bool s, d;

	switch (t->kind) {
	case F_PORT:
		return (h->proto == IPPROTO_TCP || h->proto == IPPROTO_UDP) &&
		       (h->sport == t->val || h->dport == t->val);
	case F_PROTO:
		return h->proto == t->val;
	default:
		if (t->family != h->family)
			return false;
		s = !memcmp(h->saddr, t->addr, alen);
		d = !memcmp(h->daddr, t->addr, alen);
		return t->kind == F_SRC ? s : t->kind == F_DST ? d : s || d;
	}
}

/* Every term holds for some view of the packet (before or after NAT). */
static bool pk_matches(const struct journey *j, const struct packet *p, const struct filter *f)
{
	int t;
	size_t i;

	for (t = 0; t < f->n; t++) {
		bool ok = false;

		for (i = 0; i < p->n && !ok; i++) {
			const struct tev *e = &j->l.ev[p->ev[i]];

			ok = e->hdr.ok && term_ok(&f->t[t], &e->hdr);
		}
		if (!ok)
			return false;
	}
	return true;
}

static int parse_filter(int argc, char **argv, struct filter *f)
{
	int i;

	for (i = 0; i < argc; i++) {
		struct term *t = &f->t[f->n];
		const char *kw = argv[i];

		if (!strcmp(kw, "and"))
			continue;
		if (f->n == MAX_FILTER || i + 1 >= argc) {
			fprintf(stderr, "pktpath: journey: %s\n",
				f->n == MAX_FILTER ? "too many filter terms" :
				"filter word without a value");
			return -1;
		}
		if (!strcmp(kw, "host") || !strcmp(kw, "src") || !strcmp(kw, "dst")) {
			t->kind = kw[0] == 'h' ? F_HOST : kw[0] == 's' ? F_SRC : F_DST;
			if (inet_pton(AF_INET, argv[i + 1], t->addr) == 1) {
				t->family = 4;
			} else if (inet_pton(AF_INET6, argv[i + 1], t->addr) == 1) {
				t->family = 6;
			} else {
				fprintf(stderr, "pktpath: journey: bad address '%s'\n",
					argv[i + 1]);
				return -1;
			}
		} else if (!strcmp(kw, "port")) {
			char *end;
			unsigned long v = strtoul(argv[i + 1], &end, 10);

			if (*end || !argv[i + 1][0] || v > 65535) {
				fprintf(stderr, "pktpath: journey: bad port '%s'\n", argv[i + 1]);
				return -1;
			}
			t->kind = F_PORT;
			t->val = (unsigned int)v;
		} else if (!strcmp(kw, "proto")) {
			static const char * const names[] = { "icmp", "tcp", "udp", "icmpv6" };
			static const unsigned int nums[] = { 1, 6, 17, 58 };
			size_t k;

			t->kind = F_PROTO;
			for (k = 0; k < 4 && strcmp(names[k], argv[i + 1]); k++)
				;
			if (k == 4) {
				fprintf(stderr, "pktpath: journey: unknown protocol '%s'\n",
					argv[i + 1]);
				return -1;
			}
			t->val = nums[k];
		} else {
			fprintf(stderr, "pktpath: journey: unknown filter word '%s'\n", kw);
			return -1;
		}
		f->n++;
		i++;
	}
	return 0;
}

/* ---- the command ------------------------------------------------------------------ */

/* Set by a signal handler: sig_atomic_t is what may be written there. */
static sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Start COMMAND; with -j, stdout is the journey's alone. */
static pid_t spawn(char **cmd, bool json)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (json)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(cmd[0], cmd);
		fprintf(stderr, "pktpath: journey: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void trace_mode_rescan(void);

static int run_and_wait(char **cmd, double secs, bool json)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 50000000 };
	double waited = 0;
	pid_t pid, r;
	int status = 0;

	if (!cmd) {
		while (!stop && waited < secs) {
			trace_mode_rescan();
			nanosleep(&ts, NULL);
			waited += 0.05;
		}
		return 0;
	}
	pid = spawn(cmd, json);
	if (pid < 0)
		return -1;
	while ((r = waitpid(pid, &status, WNOHANG)) != pid) {
		if (r < 0 && errno != EINTR)
			break;
		trace_mode_rescan();
		nanosleep(&ts, NULL);
	}
	/* Let the last replies and frees land in the buffer. */
	ts.tv_nsec = 300000000;
	nanosleep(&ts, NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * The namespaces the journey holds in trace mode: one netlink socket in
 * each, holding it (PKTPATH_TRACE_HOLD) until the journey ends, or until
 * the kernel closes the socket of a journey that was killed. Holding sets
 * nothing, so concurrent journeys and 'pktpath trace on' keep theirs.
 */
#define MAX_NS	256

static struct ns_hold {
	unsigned long ino;
	struct pp_nl *nl;
} holds[MAX_NS];
static int nholds;

/* Hold trace mode in the namespace at @path, once per namespace. */
static void ns_hold(const char *path)
{
	int self, fd;
	struct stat st;
	struct pp_nl *nl = NULL;
	bool was;
	int i;

	if (nholds == MAX_NS || stat(path, &st))
		return;
	for (i = 0; i < nholds; i++)
		if (holds[i].ino == st.st_ino)
			return;
	self = open("/proc/self/ns/net", O_RDONLY);
	fd = open(path, O_RDONLY);
	/* The socket stays in the namespace it was made in. */
	if (self >= 0 && fd >= 0 && !setns(fd, CLONE_NEWNET)) {
		nl = nl_open();
		if (nl && nl_set_trace(nl, PKTPATH_TRACE_HOLD, &was)) {
			nl_close(nl);
			nl = NULL;
		}
		setns(self, CLONE_NEWNET);
	}
	if (fd >= 0)
		close(fd);
	if (self >= 0)
		close(self);
	if (nl) {
		holds[nholds].ino = st.st_ino;
		holds[nholds++].nl = nl;
	}
}

/*
 * pktpath_nf registers only the hooks its rules need; for the journey every
 * namespace gets every hook: the named ones (/run/netns) and those of
 * every process, again and again while the journey records
 * (trace_mode_rescan), so that a namespace the command creates is traced
 * too.
 */
static bool nf_loaded;

static void trace_mode_hold_all(void)
{
	char path[300];
	struct dirent *d;
	DIR *dir;

	if (!nf_loaded)
		return;
	ns_hold("/proc/1/ns/net");
	dir = opendir("/run/netns");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		ns_hold(path);
	}
	if (dir)
		closedir(dir);
	dir = opendir("/proc");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		ns_hold(path);
	}
	if (dir)
		closedir(dir);
}

static void trace_mode_on(void)
{
	nf_loaded = !access("/sys/module/pktpath_nf", F_OK);
	if (!nf_loaded)
		fprintf(stderr, "pktpath: journey: pktpath_nf is not loaded: no hook stations\n");
	trace_mode_hold_all();
}

static void trace_mode_restore(void)
{
	bool was;
	int i;

	for (i = 0; i < nholds; i++) {
		nl_set_trace(holds[i].nl, PKTPATH_TRACE_RELEASE, &was);
		nl_close(holds[i].nl);
	}
	nholds = 0;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/* Every 250 ms while recording: the namespaces made since. */
static void trace_mode_rescan(void)
{
	static __u64 last;
	__u64 now = mono_ns();

	if (now - last < 250000000ULL)
		return;
	last = now;
	trace_mode_hold_all();
}

/*
 * Is the packet's timeline over at @now (the trace clock is CLOCK_MONOTONIC)?
 * Its fate is known and nothing came for 300 ms (the sender's completions
 * trail a delivery), or nothing came for a second.
 */
static bool pk_complete(const struct journey *j, const struct packet *p, __u64 now)
{
	__u64 last = j->l.ev[p->ev[p->n - 1]].t_ns;
	char fbuf[1024];

	if (now < last + 300000000ULL)
		return false;
	if (now >= last + 1000000000ULL)
		return true;
	fate(j, p, fbuf, sizeof(fbuf));
	return strncmp(fbuf, "last seen", 9) != 0;
}

/*
 * -f: print each packet's timeline as soon as it is complete, as tcpdump
 * prints packets, until Ctrl-C, the command's end, -t SECONDS or -c COUNT
 * packets. Each round reads what trace_pipe holds and joins all events
 * again (the join is linear, and the same events join the same way, so
 * packet N stays packet N); JSON is one object per line.
 */
static int follow(struct journey *j, const struct filter *f, bool js, int count, char **cmd,
		  double secs, FILE *save)
{
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 200000000 };
	__u64 t0 = mono_ns(), end = 0;
	size_t done = 0, i;
	bool *printed = NULL;
	int shown = 0, status, rc = 0;
	char err[512];
	pid_t pid = -1;

	if (cmd) {
		pid = spawn(cmd, js);
		if (pid < 0)
			return -1;
	}
	for (;;) {
		__u64 now;
		int n;

		nanosleep(&tick, NULL);
		now = mono_ns();
		if (!end && (stop || (secs > 0 && now - t0 >= (__u64)(secs * 1e9))))
			end = now;
		if (!end && pid > 0 && waitpid(pid, &status, WNOHANG) == pid) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
			pid = -1;
			end = now + 300000000ULL;	/* the last replies and frees */
		}
		if (!end)
			trace_mode_rescan();
		n = trace_poll(&j->l, save, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "pktpath: journey: %s\n", err);
			break;
		}
		if (n || (end && now >= end)) {
			journey_reset(j);
			if (journey_join(j))
				return -1;
			if (j->npk > done) {
				bool *np = realloc(printed, j->npk);

				if (!np)
					return -1;
				memset(np + done, 0, j->npk - done);
				printed = np;
				done = j->npk;
			}
		}
		for (i = 0; i < j->npk && shown < count; i++) {
			if (printed[i] || (!(end && now >= end) && !pk_complete(j, &j->pk[i], now)))
				continue;
			printed[i] = true;
			if (!pk_matches(j, &j->pk[i], f))
				continue;
			print_packet(j, &j->pk[i], ++shown, js, true);
			printf("%s", js ? "\n" : "");
			fflush(stdout);
		}
		if (shown >= count || (end && now >= end))
			break;
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
	}
	free(printed);
	return rc;
}

static int cmd_follow(const struct filter *f, bool js, int count, char **cmd, double secs,
		      const char *wfile)
{
	struct journey j = { 0 };
	FILE *save = NULL;
	char err[512];
	int rc;

	if (wfile) {
		save = fopen(wfile, "w");
		if (!save) {
			fprintf(stderr, "pktpath: journey: cannot write %s: %s\n", wfile,
				strerror(errno));
			return 1;
		}
	}
	if (trace_start(true, err, sizeof(err)) < 0) {
		fprintf(stderr, "pktpath: journey: %s\n", err);
		if (save)
			fclose(save);
		return 1;
	}
	trace_mode_on();
	ns_scan();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = follow(&j, f, js, count, cmd, secs, save);
	trace_stop();
	trace_mode_restore();
	if (j.l.lost)
		fprintf(stderr, "pktpath: journey: %llu events lost (trace buffer overrun)\n",
			j.l.lost);
	journey_free(&j);
	if (save && fclose(save))
		rc = -1;
	return rc < 0 ? 1 : rc;
}

static void journey_usage(void)
{
	fprintf(stderr,
		"usage: pktpath journey [-f] [-j] [-c COUNT] [-t SECONDS] [-w FILE] [--svg FILE]\n"
		"                       [FILTER] [-- COMMAND [ARG...]]\n"
		"       pktpath journey [-j] [-c COUNT] [--svg FILE] -r FILE [FILTER]\n"
		"       pktpath journey --probes on|off\n"
		"  FILTER: terms joined by 'and': host ADDR, src ADDR, dst ADDR, port N,\n"
		"          proto tcp|udp|icmp|icmpv6\n");
}

int cmd_journey(int argc, char **argv, bool json)
{
	struct journey j = { 0 };
	struct filter f = { 0 };
	char err[512], **cmd = NULL;
	const char *rfile = NULL, *wfile = NULL, *svg = NULL;
	size_t *shown_pk = NULL;
	int i, nfilt, shown = 0, count = 100, rc = 0;
	bool timed = false, follow_mode = false, counted = false;
	double secs = 5;
	bool js = json;

	if (argc == 2 && !strcmp(argv[0], "--probes") &&
	    (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
		bool on = !strcmp(argv[1], "on");
		int n = trace_probes(on, err, sizeof(err));

		if (n < 0) {
			fprintf(stderr, "pktpath: journey: %s\n", err);
			return 1;
		}
		if (on)
			printf("%d of %zu kprobe events in %s\n", n, kprobes_total(),
			       "pktpath_journey");
		else if (n)
			printf("%s\n", "pktpath_journey: some kprobe events are still recorded");
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = argv + i + 1;
			if (!cmd[0]) {
				journey_usage();
				return 1;
			}
			break;
		}
	}
	nfilt = i;
	for (i = 0; i < nfilt && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j")) {
			js = true;
		} else if ((!strcmp(argv[i], "-r") || !strcmp(argv[i], "-w")) && i + 1 < nfilt) {
			*(argv[i][1] == 'r' ? &rfile : &wfile) = argv[i + 1];
			i++;
		} else if (!strcmp(argv[i], "--svg") && i + 1 < nfilt) {
			svg = argv[++i];
		} else if (!strcmp(argv[i], "-f")) {
			follow_mode = true;
		} else if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "-t")) && i + 1 < nfilt) {
			char *end;
			double v = strtod(argv[i + 1], &end);

			if (*end || v <= 0 || v > 3600) {
				fprintf(stderr, "pktpath: journey: bad %s value '%s'\n", argv[i],
					argv[i + 1]);
				return 1;
			}
			if (argv[i][1] == 'c') {
				count = (int)v;
				counted = true;
			} else {
				secs = v;
				timed = true;
			}
			i++;
		} else {
			journey_usage();
			return 1;
		}
	}
	if (parse_filter(nfilt - i, argv + i, &f))
		return 1;
	if (rfile && (cmd || timed || wfile || follow_mode)) {
		fprintf(stderr, "pktpath: journey: -r takes no COMMAND, -t, -w or -f\n");
		return 1;
	}
	if (follow_mode && svg) {
		fprintf(stderr, "pktpath: journey: -f draws no picture (--svg)\n");
		return 1;
	}
	/* Following, it runs until Ctrl-C unless told otherwise. */
	if (follow_mode)
		return cmd_follow(&f, js, counted ? count : INT_MAX, cmd, timed ? secs : 0,
				  wfile);

	if (rfile) {
		FILE *in = strcmp(rfile, "-") ? fopen(rfile, "r") : stdin;

		subnets_from_trace();

		if (!in) {
			fprintf(stderr, "pktpath: journey: cannot read %s: %s\n", rfile,
				strerror(errno));
			return 1;
		}
		if (trace_read(in, NULL, &j.l, err, sizeof(err)))
			fprintf(stderr, "pktpath: journey: %s\n", err);
		if (in != stdin)
			fclose(in);
	} else {
		if (trace_start(true, err, sizeof(err)) < 0) {
			fprintf(stderr, "pktpath: journey: %s\n", err);
			return 1;
		}
		trace_mode_on();
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		rc = run_and_wait(cmd, secs, js);
		if (trace_collect(&j.l, wfile, err, sizeof(err)))
			fprintf(stderr, "pktpath: journey: %s\n", err);
		trace_stop();
		trace_mode_restore();
		if (rc < 0) {
			fprintf(stderr, "pktpath: journey: cannot start the command\n");
			tev_list_free(&j.l);
			return 1;
		}
	}
	if (j.l.lost)
		fprintf(stderr, "pktpath: journey: %llu events lost (trace buffer overrun)\n",
			j.l.lost);
	if (j.l.hidden)
		/* %p prints no address until the kernel's random pool is ready. */
		fprintf(stderr, "pktpath: journey: %zu events without an skb address: not joined\n",
			j.l.hidden);
	ns_scan();
	if (wfile && !rfile) {
		FILE *save = fopen(wfile, "a");

		if (save) {
			subnets_save(save);
			fclose(save);
		}
	}
	if (journey_join(&j)) {
		fprintf(stderr, "pktpath: journey: out of memory\n");
		rc = -1;
		goto out;
	}
	shown_pk = calloc(j.npk + 1, sizeof(*shown_pk));
	if (!shown_pk) {
		fprintf(stderr, "pktpath: journey: out of memory\n");
		rc = -1;
		goto out;
	}
	if (js)
		printf("{\"packets\":[");
	for (i = 0; i < (int)j.npk && shown < count; i++) {
		struct packet *p = &j.pk[i];

		if (!pk_matches(&j, p, &f))
			continue;
		print_packet(&j, p, shown + 1, js, shown == 0);
		shown_pk[shown++] = (size_t)i;
	}
	if (js)
		printf("],\"lost_events\":%llu}\n", j.l.lost);
	else if (!shown)
		printf("no packet matched (%zu events recorded)\n", j.l.n);
	if (svg) {
		if (journey_svg(&j, shown_pk, (size_t)shown, svg)) {
			fprintf(stderr, "pktpath: journey: cannot write %s: %s\n", svg,
				strerror(errno));
			rc = -1;
		} else {
			fprintf(stderr, "pktpath: journey: picture of %d packet%s in %s\n", shown,
				shown == 1 ? "" : "s", svg);
		}
	}
out:
	free(shown_pk);
	journey_free(&j);
	return rc < 0 ? 1 : 0;
}
