// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: the stations 6.1 has no tracepoint for, as kprobe
 * events (tracefs's kprobe_events): the application's send and the
 * transport on both paths, a tc classifier's verdict whatever it is, the
 * bridge, and the ip rule that chose a routing table.
 *
 * A probe reads its arguments by register (x86-64's calling convention)
 * and a few fields by offset. The offsets are 6.1's, the same on every
 * config we run (none follows a lock or a debug-only member):
 *   sk_buff: dev at 16, sk at 24;  net_bridge_port: dev at 8;
 *   socket: sk at 24;  flowi_common: mark at 12;
 *   tcf_proto: prio at 28, ops at 40;  tcf_proto_ops: kind at 16;
 *   fib_rule: mark 24, mark_mask 28, table 36, pref 76.
 * journey_stations.sh checks what they print against ip rule, tc filter
 * and the bridge's ports, so a kernel where they moved fails there.
 *
 * A probe the kernel refuses (no such function, kprobes off, a module
 * that cannot be found) is left out and its station with it. The events
 * are global: a journey creates those missing, and removes them as it
 * ends unless another journey's instance still has them on (EBUSY).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journey.h"

#define KP_GROUP "pktpath_journey"
/* a classifier's (skb, tcf_proto, res): its kind and preference */
#define CLS_ARGS "kind=+16(+40(%si)):string pref=+28(%si):u32"
/* fib[46]_rule_action(rule, flowi, ...): the rule, the flow's mark */
#define RULE_ARGS "pref=+76(%di):u32 table=+36(%di):u32"
#define RULE_MARKS "fwmark=+24(%di):x32 fwmask=+28(%di):x32 mark=+12(%si):x32"

static const struct kprobe_def {
	const char *name, *def;
} kprobes[] = {
	/* the application's send, into the socket */
	{ "kp_send", "p inet_sendmsg sk=+24(%di):x64 len=%dx:u64" },
	{ "kp_send6", "p inet6_sendmsg sk=+24(%di):x64 len=%dx:u64" },
	/* transport to IP, the skb built: every IPv4 protocol; TCP, others on IPv6 */
	{ "kp_ip_out", "p __ip_local_out rawskb=%dx:x64 sk=%si:x64" },
	{ "kp_ip6_xmit", "p ip6_xmit rawskb=%si:x64 sk=%di:x64" },
	{ "kp_ip6_out", "p ip6_local_out rawskb=%dx:x64 sk=%si:x64" },
	/* transport receive, and the socket's receive queue */
	{ "kp_tcp_rcv", "p tcp_v4_rcv rawskb=%di:x64" },
	{ "kp_udp_rcv", "p udp_rcv rawskb=%di:x64" },
	{ "kp_icmp_rcv", "p icmp_rcv rawskb=%di:x64" },
	{ "kp_tcp6_rcv", "p tcp_v6_rcv rawskb=%di:x64" },
	{ "kp_udp6_rcv", "p udpv6_rcv rawskb=%di:x64" },
	{ "kp_icmp6_rcv", "p icmpv6_rcv rawskb=%di:x64" },
	{ "kp_udp_queue", "p __udp_enqueue_schedule_skb rawskb=%si:x64" },
	{ "kp_tcp_queue", "p tcp_rcv_established rawskb=%si:x64" },
	/* UDP's read: a linear datagram is copied without skb_copy_datagram_iovec */
	{ "kp_udp_read", "p skb_consume_udp rawskb=%si:x64 len=%dx:s32" },
	/* tc: the classification, each filter tried, the verdict */
	{ "kp_tc", "p tcf_classify rawskb=%di:x64 dev=+0(+16(%di)):string" },
	{ "kp_tc_ret", "r tcf_classify verdict=$retval:s32" },
	{ "kp_cls_flower", "p cls_flower:fl_classify " CLS_ARGS },
	{ "kp_cls_matchall", "p cls_matchall:mall_classify " CLS_ARGS },
	{ "kp_cls_u32", "p cls_u32:u32_classify " CLS_ARGS },
	{ "kp_cls_bpf", "p cls_bpf:cls_bpf_classify " CLS_ARGS },
	{ "kp_cls_basic", "p cls_basic:basic_classify " CLS_ARGS },
	{ "kp_cls_fw", "p cls_fw:fw_classify " CLS_ARGS },
	/* the bridge */
	{ "kp_br_in", "p bridge:br_handle_frame_finish rawskb=%dx:x64 dev=+0(+16(%dx)):string" },
	{ "kp_br_fwd", "p bridge:br_forward rawskb=%si:x64 to=+0(+8(%di)):string" },
	{ "kp_br_flood", "p bridge:br_flood rawskb=%si:x64" },
	{ "kp_br_up", "p bridge:br_pass_frame_up rawskb=%di:x64" },
	{ "kp_br_xmit", "p bridge:br_dev_xmit rawskb=%di:x64 dev=+0(%si):string" },
	/* the ip rule whose action looks up a table, and the mark it saw */
	{ "kp_rule4", "p fib4_rule_action " RULE_ARGS " " RULE_MARKS },
	{ "kp_rule6", "p fib6_rule_action " RULE_ARGS " " RULE_MARKS },
};

/* One write(2) per line: the kernel parses each write as it comes. */
static int append_line(const char *root, const char *line)
{
	size_t len = strlen(line);
	char path[256];
	ssize_t w;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", root);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, line, len);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* Does the definition name a module ("p MOD:SYM args")? */
static bool has_module(const char *def)
{
	const char *colon = strchr(def + 2, ':');

	return colon && colon < strchr(def + 2, ' ');
}

/*
 * Is the probe's module a loaded module (not built in)? Then it is named
 * with its module: the kernel arms such a probe again when the module is
 * reloaded, not one named by the bare symbol.
 */
static bool module_loaded(const char *def)
{
	const char *m = def + 2;
	char path[128];
	struct stat st;

	if (!has_module(def))
		return false;
	snprintf(path, sizeof(path), "/sys/module/%.*s/initstate", (int)(strchr(m, ':') - m), m);
	return !stat(path, &st);
}

/*
 * "p [MOD:]SYM args" as the event GROUP/@name, with or without MOD. A
 * module's function is named with its module when the module is loaded;
 * else alone first (built in), then with its module, which the kernel
 * accepts before the module loads.
 */
static int kprobe_add(const char *root, const char *name, const char *def, bool with_mod)
{
	const char *sym = def + 2;
	char line[512];

	if (!with_mod && has_module(def))
		sym = strchr(sym, ':') + 1;
	snprintf(line, sizeof(line), "%c:%s/%s %s\n", def[0], KP_GROUP, name, sym);
	return append_line(root, line);
}

/*
 * Creating, enabling and removing the global events is one step under an
 * flock of kprobe_events: a journey ending must not remove the events
 * another has just found and not yet enabled.
 */
static int kp_lock(const char *root)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/kprobe_events", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void kp_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int kprobes_create_locked(const char *root)
{
	char path[512];
	struct stat st;
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(kprobes); i++) {
		const char *def = kprobes[i].def;

		snprintf(path, sizeof(path), "%s/events/%s/%s", root, KP_GROUP, kprobes[i].name);
		if (!stat(path, &st) ||
		    (module_loaded(def) && !kprobe_add(root, kprobes[i].name, def, true)) ||
		    !kprobe_add(root, kprobes[i].name, def, false) ||
		    (has_module(def) && !kprobe_add(root, kprobes[i].name, def, true)))
			n++;
	}
	return n;
}

/* Create the kprobe events missing from @root; returns how many exist. */
int kprobes_create(const char *root)
{
	int fd = kp_lock(root), n;

	n = kprobes_create_locked(root);
	kp_unlock(fd);
	return n;
}

size_t kprobes_total(void)
{
	return ARRAY_SIZE(kprobes);
}

/* Enable the kprobe stations in the instance @inst; returns how many are on. */
int kprobes_start(const char *root, const char *inst)
{
	char path[512];
	size_t i;
	int on = 0, lock;
	bool ok;
	FILE *f;

	lock = kp_lock(root);
	kprobes_create_locked(root);
	for (i = 0; i < ARRAY_SIZE(kprobes); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/enable", inst, KP_GROUP,
			 kprobes[i].name);
		f = fopen(path, "w");
		if (!f)
			continue;
		ok = fputs("1", f) >= 0;
		if (!fclose(f) && ok)
			on++;
	}
	kp_unlock(lock);
	return on;
}

/* Remove our kprobe events, but those another journey still records. */
void kprobes_stop(const char *root)
{
	char line[128];
	int lock = kp_lock(root);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kprobes); i++) {
		snprintf(line, sizeof(line), "-:%s/%s\n", KP_GROUP, kprobes[i].name);
		append_line(root, line);
	}
	kp_unlock(lock);
}

bool is_kprobe_event(const struct tev *e)
{
	return !strncmp(e->name, "kp_", 3);
}

static bool is_classifier(const struct tev *e)
{
	return !strncmp(e->name, "kp_cls_", 7);
}

static bool is_rule(const struct tev *e)
{
	return !strcmp(e->name, "kp_rule4") || !strcmp(e->name, "kp_rule6");
}

static bool is_send(const struct tev *e)
{
	return !strcmp(e->name, "kp_send") || !strcmp(e->name, "kp_send6");
}

bool kp_transport_out(const struct tev *e)
{
	return !strcmp(e->name, "kp_ip_out") || !strcmp(e->name, "kp_ip6_xmit") ||
	       !strcmp(e->name, "kp_ip6_out");
}

/* Append " @more" to the event's text. */
static int args_append(struct tev *e, const char *more)
{
	size_t n = strlen(e->args), m = strlen(more);
	char *a = realloc(e->args, n + m + 2);

	if (!a)
		return -1;
	a[n] = ' ';
	memcpy(a + n + 1, more, m + 1);
	e->args = a;
	return 0;
}

static __u64 hex_field(const struct tev *e, const char *key)
{
	char buf[40];

	return tev_field(e, key, buf, sizeof(buf)) ? strtoull(buf, NULL, 16) : 0;
}

#define TC_DEPTH	8	/* tc inside tc: a mirred redirect to another device */
#define SEND_PEND	64
#define SEND_NS		1000000000ULL	/* a send is transmitted within a second */
/*
 * The rule's lookup follows at once, but an interrupt may come between:
 * 1 ms missed one on the debug kernel under TCG (CI, 2026-12-06).
 */
#define RULE_NS		50000000ULL

struct kp_cpu {
	/* open classifications, innermost last, each with the last filter tried */
	struct { size_t ev, cls; } tc[TC_DEPTH];
	size_t ntc;
	size_t rule;			/* the latest ip rule acted on, or -1 */
};

/*
 * Tie the kprobe events to what they are about, before the join (and
 * again, with the same outcome, each time follow mode joins):
 * - a tc verdict (a return probe: no arguments) to the classification
 *   its CPU opened last, taking its skb and device, and the filter that
 *   decided (the last one tried); the entry and the filters tried are
 *   not stations of their own;
 * - an ip rule to the table lookup that follows it on its CPU, which
 *   then names the rule and the mark;
 * - an application's send to the next skb built for that socket (any
 *   CPU: TCP may send it later, from an ACK).
 */
/*
 * The kernel's skb events print the address hashed (%p, a per-boot key),
 * kprobes print it raw; ours print both. Raw to hashed, learnt from ours.
 */
struct rawmap {
	struct { __u64 raw, hashed; } *e;
	size_t cap;
};

static __u64 *rawmap_slot(struct rawmap *m, __u64 raw, bool create)
{
	size_t i, mask = m->cap - 1;

	for (i = (size_t)(raw * 0x9e3779b97f4a7c15ULL) & mask;; i = (i + 1) & mask) {
		if (m->e[i].raw == raw)
			return &m->e[i].hashed;
		if (!m->e[i].raw) {
			if (!create)
				return NULL;
			m->e[i].raw = raw;
			return &m->e[i].hashed;
		}
	}
}

static int rawmap_build(struct rawmap *m, const struct tev_list *l)
{
	size_t i;

	m->cap = 16;
	while (m->cap < l->n * 2)
		m->cap <<= 1;
	m->e = calloc(m->cap, sizeof(*m->e));
	if (!m->e)
		return -1;
	for (i = 0; i < l->n; i++)
		if (l->ev[i].rawskb && l->ev[i].skb && !is_kprobe_event(&l->ev[i]))
			*rawmap_slot(m, l->ev[i].rawskb, true) = l->ev[i].skb;
	return 0;
}

/* A kprobe's skb, as the other events name it; 0 if none of ours saw it. */
static __u64 hashed_skb(struct rawmap *m, const struct tev *e)
{
	__u64 *h = e->rawskb ? rawmap_slot(m, e->rawskb, false) : NULL;

	return h ? *h : 0;
}

/* The ip rule @r is the one behind lookup @e: just before it, same table. */
static bool rule_of_lookup(const struct tev *r, const struct tev *e)
{
	char tb[16];
	unsigned int table;

	if (e->t_ns < r->t_ns || e->t_ns - r->t_ns > RULE_NS ||
	    sscanf(e->args, "table %u", &table) != 1 || !tev_field(r, "table", tb, sizeof(tb)))
		return false;
	return strtoul(tb, NULL, 10) == table;
}

int kprobe_prepass(struct tev_list *l)
{
	static struct kp_cpu cpus[MAX_CPUS];
	size_t sends[SEND_PEND], nsend = 0, i, k;
	char buf[160], kind[24], pref[16];
	struct rawmap map;
	int rc = -1;

	if (rawmap_build(&map, l))
		return -1;

	for (i = 0; i < MAX_CPUS; i++) {
		cpus[i].ntc = 0;
		cpus[i].rule = (size_t)-1;
	}
	for (i = 0; i < l->n; i++) {
		struct tev *e = &l->ev[i];
		struct kp_cpu *c;

		if (e->cpu < 0 || e->cpu >= MAX_CPUS)
			continue;
		c = &cpus[e->cpu];
		if (is_fib_event(e)) {
			const struct tev *r = c->rule == (size_t)-1 ? NULL : &l->ev[c->rule];

			/*
			 * A rule whose action is no lookup (unreachable, a
			 * missing table) leaves none: only this table's is it.
			 */
			c->rule = (size_t)-1;
			if (!r || e->done || !rule_of_lookup(r, e))
				continue;
			snprintf(buf, sizeof(buf), "rule=%s fwmark=%llx/%llx mark=%llx",
				 tev_field(r, "pref", pref, sizeof(pref)) ?: "?",
				 (unsigned long long)hex_field(r, "fwmark"),
				 (unsigned long long)hex_field(r, "fwmask"),
				 (unsigned long long)hex_field(r, "mark"));
			if (args_append(e, buf))
				goto out;
			e->done = true;
			continue;
		}
		if (!is_kprobe_event(e))
			continue;
		/* as the raw address map grows (follow mode), so do the ties */
		if (e->rawskb)
			e->skb = hashed_skb(&map, e);
		if (is_rule(e)) {
			e->hide = true;
			c->rule = i;
		} else if (!strcmp(e->name, "kp_tc")) {
			e->hide = true;
			if (c->ntc == TC_DEPTH) {
				memmove(c->tc, c->tc + 1, (TC_DEPTH - 1) * sizeof(c->tc[0]));
				c->ntc--;
			}
			c->tc[c->ntc].ev = i;
			c->tc[c->ntc++].cls = (size_t)-1;
		} else if (is_classifier(e)) {
			e->hide = true;
			if (c->ntc)
				c->tc[c->ntc - 1].cls = i;
		} else if (!strcmp(e->name, "kp_tc_ret")) {
			const struct tev *open, *cls;

			if (!c->ntc) {
				e->hide = true;
				continue;
			}
			c->ntc--;
			open = &l->ev[c->tc[c->ntc].ev];
			cls = c->tc[c->ntc].cls == (size_t)-1 ? NULL : &l->ev[c->tc[c->ntc].cls];
			e->skb = open->skb;
			memcpy(e->dev, open->dev, sizeof(e->dev));
			if (e->done)
				continue;
			/* tcf_proto's prio holds the preference in its upper half */
			if (cls && tev_field(cls, "kind", kind, sizeof(kind)) &&
			    tev_field(cls, "pref", pref, sizeof(pref))) {
				snprintf(buf, sizeof(buf), "filter=%s pref=%lu", kind,
					 strtoul(pref, NULL, 10) >> 16);
				if (args_append(e, buf))
					goto out;
			}
			e->done = true;
		} else if (is_send(e)) {
			if (nsend == SEND_PEND) {
				memmove(sends, sends + 1, (SEND_PEND - 1) * sizeof(sends[0]));
				nsend--;
			}
			sends[nsend++] = i;
		} else if (kp_transport_out(e)) {
			__u64 sk = hex_field(e, "sk");
			size_t n = 0;

			e->pair = 0;
			for (k = 0; k < nsend; k++) {
				struct tev *s = &l->ev[sends[k]];

				bool before = s->t_ns <= e->t_ns;

				/* too old: dropped; stamped later (another CPU): kept */
				if (before && e->t_ns - s->t_ns > SEND_NS)
					continue;
				if (sk && e->skb && before && hex_field(s, "sk") == sk) {
					s->skb = e->skb;
					e->pair = sends[k] + 1;
					sk = 0;
					continue;
				}
				sends[n++] = sends[k];
			}
			nsend = n;
		}
	}
	rc = 0;
out:
	free(map.e);
	return rc;
}
