// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: record the packet path's trace events in a tracefs
 * instance of our own (so we never disturb the global trace buffer or
 * another user's instance), then read and parse them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journey.h"

/* The stations: ours first, then the kernel's own. */
static const char * const events[] = {
	"pktpath_e1000/pktpath_e1000_irq",
	"pktpath_e1000/pktpath_e1000_napi_poll",
	"pktpath_e1000/pktpath_e1000_xdp",
	"pktpath_e1000/pktpath_e1000_rx",
	"pktpath_e1000/pktpath_e1000_tx",
	"pktpath_e1000/pktpath_e1000_tx_done",
	"pktpath_nf/pktpath_nf_hook",
	"pktpath_nf/pktpath_nf_nat",
	"fib/fib_table_lookup",
	"fib6/fib6_table_lookup",
	"net/netif_rx",
	"net/netif_receive_skb",
	"net/net_dev_queue",
	"net/net_dev_xmit",
	"skb/skb_copy_datagram_iovec",
	"skb/kfree_skb",
	"skb/consume_skb",
};

static char inst[256];
static char troot[128];			/* tracefs, where the kprobe events are */
static int pipe_fd = -1;		/* follow mode's trace_pipe */

static int write_file(const char *dir, const char *file, const char *val)
{
	char path[512];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static const char *tracefs_root(void)
{
	static const char * const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(roots); i++) {
		snprintf(path, sizeof(path), "%s/instances", roots[i]);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			return roots[i];
	}
	/* Not mounted here (as under 'ip netns exec', which remounts /sys). */
	if (!mount("tracefs", roots[0], "tracefs", 0, NULL))
		return roots[0];
	return NULL;
}

/*
 * Instances of journeys that died before they could remove theirs (their
 * PID is gone): disable and remove them, else they record forever.
 */
static void trace_clean_stale(const char *root)
{
	char dir[256], path[600];
	struct dirent *d;
	DIR *dp;
	long pid;

	snprintf(dir, sizeof(dir), "%s/instances", root);
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		if (sscanf(d->d_name, "pktpath-journey-%ld", &pid) != 1 || pid <= 0 ||
		    !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		write_file(path, "tracing_on", "0");
		write_file(path, "events/enable", "0");
		if (!rmdir(path))
			fprintf(stderr, "pktpath: journey: removed %s, %s\n", path,
				"left by a journey that died");
	}
	if (dp)
		closedir(dp);
}

int trace_start(bool with_driver, char *err, size_t errlen)
{
	const char *root = tracefs_root();
	size_t i, enabled = 0;
	bool ours = false;
	char path[512];

	if (!root) {
		snprintf(err, errlen, "%s",
			 "tracefs is not mounted: mount -t tracefs none /sys/kernel/tracing");
		return -1;
	}
	trace_clean_stale(root);
	snprintf(inst, sizeof(inst), "%s/instances/pktpath-journey-%d", root, (int)getpid());
	if (mkdir(inst, 0700)) {
		snprintf(err, errlen, "cannot create %s: %s", inst, strerror(errno));
		inst[0] = '\0';
		return -1;
	}
	/* One clock for every CPU, so that events order across them. */
	write_file(inst, "trace_clock", "mono");
	write_file(inst, "buffer_size_kb", "8192");
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		if (!with_driver && !strncmp(events[i], "pktpath_e1000/", 14))
			continue;
		snprintf(path, sizeof(path), "events/%s/enable", events[i]);
		if (write_file(inst, path, "1"))
			continue;
		enabled++;
		if (!strncmp(events[i], "pktpath", 7))
			ours = true;
	}
	if (!ours) {
		snprintf(err, errlen,
			 "no pktpath trace events: load pktpath_nf and/or pktpath_e1000");
		trace_stop();
		return -1;
	}
	snprintf(troot, sizeof(troot), "%s", root);
	enabled += kprobes_start(root, inst);
	write_file(inst, "tracing_on", "1");
	return (int)enabled;
}

/*
 * pktpath journey --probes on|off: create the kprobe events (so that an
 * instance of one's own can hold them on between journeys), or remove
 * those no instance records. Returns how many exist after.
 */
int trace_probes(bool on, char *err, size_t errlen)
{
	const char *root = tracefs_root();
	char path[256];
	struct stat st;

	if (!root) {
		snprintf(err, errlen, "%s", "tracefs is not mounted");
		return -1;
	}
	if (on)
		return kprobes_create(root);
	kprobes_stop(root);
	snprintf(path, sizeof(path), "%s/events/pktpath_journey", root);
	return stat(path, &st) ? 0 : 1;
}

void trace_stop(void)
{
	/* An open trace_pipe keeps the instance busy. */
	if (pipe_fd >= 0) {
		close(pipe_fd);
		pipe_fd = -1;
	}
	if (!inst[0])
		return;
	write_file(inst, "tracing_on", "0");
	write_file(inst, "events/enable", "0");
	rmdir(inst);
	inst[0] = '\0';
	if (troot[0])
		kprobes_stop(troot);
	troot[0] = '\0';
}

static int tev_push(struct tev_list *l, const struct tev *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct tev *ev = realloc(l->ev, cap * sizeof(*ev));

		if (!ev)
			return -1;
		l->ev = ev;
		l->cap = cap;
	}
	l->ev[l->n++] = *e;
	return 0;
}

/*
 * Read a trace in tracefs's text format (copying it to @save if given):
 * its events, and the events the ring buffer overwrote before they were
 * read: from the header ("entries-in-buffer/entries-written: N/M") or
 * the "CPU:N [LOST M EVENTS]" lines, whichever says more (both tell of
 * the same losses).
 */
/*
 * One line of a trace: an event into @l, or a count of lost events into
 * *header (the header's) or *marks (a reader's marks). -1: out of memory.
 */
static int trace_line(const char *line, struct tev_list *l, unsigned long long *header,
		      unsigned long long *marks)
{
	unsigned long long kept, written, n;
	struct tev e;
	int cpu;

	if (line[0] == '#') {
		subnet_line(line);
		if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
			   &kept, &written) == 2 && written > kept)
			*header += written - kept;
		return 0;
	}
	if (sscanf(line, "CPU:%d [LOST %llu EVENTS]", &cpu, &n) == 2) {
		*marks += n;
		return 0;
	}
	if (tev_parse_line(line, &e))
		return 0;
	/* %p before the kernel's random pool is ready */
	if (strstr(e.args, "skbaddr=(____ptrval____)"))
		l->hidden++;
	if (tev_push(l, &e)) {
		free(e.args);
		return -1;
	}
	return 0;
}

int trace_read(FILE *f, FILE *save, struct tev_list *l, char *err, size_t errlen)
{
	unsigned long long header = 0, marks = 0;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	while (getline(&line, &cap, f) > 0) {
		if (save)
			fputs(line, save);
		if (trace_line(line, l, &header, &marks)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
	}
	free(line);
	l->lost += header > marks ? header : marks;
	return rc;
}

/*
 * Follow mode: read what the instance's trace_pipe holds now (consuming
 * it), without waiting, into @l. Lost events come as the pipe's marks.
 * Returns the number of events added, -1 on error.
 */
int trace_poll(struct tev_list *l, FILE *save, char *err, size_t errlen)
{
	static char buf[1 << 16];
	static size_t have;
	unsigned long long header = 0, marks = 0;
	size_t before = l->n;
	char path[512], *nl, *p;
	ssize_t r;

	if (pipe_fd < 0) {
		snprintf(path, sizeof(path), "%s/trace_pipe", inst);
		pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (pipe_fd < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			return -1;
		}
	}
	while ((r = read(pipe_fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)r;
		buf[have] = '\0';
		for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
			*nl = '\0';
			if (save)
				fprintf(save, "%s\n", p);
			if (trace_line(p, l, &header, &marks)) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
		/* A line longer than the buffer: drop it. */
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	l->lost += marks;
	return (int)(l->n - before);
}

/* Stop recording and read every event, in time order across CPUs. */
int trace_collect(struct tev_list *l, const char *save, char *err, size_t errlen)
{
	FILE *f, *out = NULL;
	char path[512];
	int rc;

	write_file(inst, "tracing_on", "0");
	snprintf(path, sizeof(path), "%s/trace", inst);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (save) {
		out = fopen(save, "w");
		if (!out) {
			snprintf(err, errlen, "cannot write %s: %s", save, strerror(errno));
			fclose(f);
			return -1;
		}
	}
	rc = trace_read(f, out, l, err, errlen);
	fclose(f);
	if (out && fclose(out) && !rc) {
		snprintf(err, errlen, "cannot write %s: %s", save, strerror(errno));
		rc = -1;
	}
	return rc;
}

void tev_list_free(struct tev_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->ev[i].args);
	free(l->ev);
	memset(l, 0, sizeof(*l));
}

/* The value of "key=" in the event's text, up to the next blank. */
const char *tev_field(const struct tev *e, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key), n;
	const char *p = e->args;

	while ((p = strstr(p, key))) {
		if ((p == e->args || p[-1] == ' ') && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, "\t\n ");
			/* a kprobe's string: "value" */
			if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
				p++;
				n -= 2;
			}
			if (n >= len)
				n = len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return buf;
		}
		p += klen;
	}
	return NULL;
}

/*
 * Is @p (a '[') the CPU field: "-<pid>", blanks, then "[<cpu>]"? A task
 * name may hold anything, "[1]" included, but not both that shape and
 * the flags and timestamp that must follow.
 */
static bool tev_cpu_field(const char *line, const char *p, int *cpu,
			  unsigned long long *sec, unsigned long long *usec,
			  const char **rest)
{
	const char *q = p;
	int n, m;

	if (q == line || q[-1] != ' ')
		return false;
	while (q > line && q[-1] == ' ')
		q--;
	if (q == line || !isdigit((unsigned char)q[-1]))
		return false;
	while (q > line && isdigit((unsigned char)q[-1]))
		q--;
	if (q == line || q[-1] != '-')
		return false;
	if (sscanf(p, "[%d]%n", cpu, &n) != 1)
		return false;
	/* flags, then the timestamp */
	if (sscanf(p + n, " %*s %llu.%llu: %n", sec, usec, &m) != 2)
		return false;
	*rest = p + n + m;
	return true;
}

/*
 * "  <task>-<pid>  [<cpu>] <flags> <secs>.<usecs>: <event>: <text>"
 * (the task name may hold blanks, dashes and brackets).
 */
int tev_parse_line(const char *line, struct tev *e)
{
	const char *p = line, *name = NULL, *colon;
	unsigned long long sec, usec;
	char buf[160];
	int cpu;

	memset(e, 0, sizeof(*e));
	while ((p = strchr(p, '['))) {
		if (tev_cpu_field(line, p, &cpu, &sec, &usec, &name))
			break;
		p++;
	}
	if (!p)
		return -1;
	colon = strstr(name, ": ");
	if (!colon || colon - name >= (long)sizeof(e->name))
		return -1;
	memcpy(e->name, name, colon - name);
	/* the task: from the line's first non-blank to the CPU field */
	{
		const char *t = line + strspn(line, " ");
		size_t tn = (size_t)(p - t);

		while (tn && t[tn - 1] == ' ')
			tn--;
		if (tn >= sizeof(e->task))
			tn = sizeof(e->task) - 1;
		memcpy(e->task, t, tn);
	}
	e->cpu = cpu;
	e->t_ns = sec * 1000000000ULL + usec * 1000ULL;
	e->args = strdup(colon + 2);
	if (!e->args)
		return -1;
	e->args[strcspn(e->args, "\n")] = '\0';
	if (tev_field(e, "skbaddr", buf, sizeof(buf)))
		e->skb = strtoull(buf, NULL, 16);
	if (tev_field(e, "rawskb", buf, sizeof(buf)))
		e->rawskb = strtoull(buf, NULL, 16);
	if (!tev_field(e, "dev", e->dev, sizeof(e->dev)))
		e->dev[0] = '\0';
	if (tev_field(e, "hdr", buf, sizeof(buf)))
		pkthdr_from_hex(buf, &e->hdr);
	return 0;
}
