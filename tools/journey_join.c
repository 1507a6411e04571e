// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey: join trace events into one timeline per packet.
 *
 * Our events (pktpath_e1000's RX/TX, pktpath_nf's hooks) carry the
 * packet's headers, so each gets the packet's identity (pkthdr.c). The
 * kernel's events carry only the skb's address: they belong to the packet
 * whose identity that skb last had, until the skb is freed. An skb seen
 * by the kernel's events before any of ours (netif_receive_skb just
 * before PREROUTING) waits, per address, for ours. Every step is a hash
 * lookup or bounded by a time window: the join is linear in the events. The interrupt and
 * NAPI poll that delivered a received frame are the device's last ones
 * before its RX event.
 */
#include <stdlib.h>
#include <string.h>

#include "journey.h"

static int pk_add_ev(struct packet *p, size_t ev)
{
	if (p->n && p->ev[p->n - 1] == ev)
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		size_t *e = realloc(p->ev, cap * sizeof(*e));

		if (!e)
			return -1;
		p->ev = e;
		p->cap = cap;
	}
	p->ev[p->n++] = ev;
	return 0;
}

/* Open addressing, u64 -> index; the table is sized for every event. */
static size_t *map_slot(struct mapent *m, size_t cap, __u64 k, bool create)
{
	size_t i, mask = cap - 1;

	for (i = (size_t)(k * 0x9e3779b97f4a7c15ULL) & mask;; i = (i + 1) & mask) {
		if (m[i].used && m[i].k == k)
			return &m[i].v;
		if (!m[i].used) {
			if (!create)
				return NULL;
			m[i].used = true;
			m[i].k = k;
			m[i].v = (size_t)-1;
			return &m[i].v;
		}
	}
}

static size_t pk_find(struct journey *j, const struct pkthdr *h)
{
	size_t *slot = map_slot(j->keys, j->cap, h->key, true);

	if (*slot != (size_t)-1)
		return *slot;
	if (j->npk == j->cappk) {
		size_t cap = j->cappk ? j->cappk * 2 : 64;
		struct packet *pk = realloc(j->pk, cap * sizeof(*pk));

		if (!pk)
			return (size_t)-1;
		j->pk = pk;
		j->cappk = cap;
	}
	memset(&j->pk[j->npk], 0, sizeof(j->pk[0]));
	j->pk[j->npk].key = h->key;
	j->pk[j->npk].first = *h;
	*slot = j->npk;
	return j->npk++;
}

static size_t *bind_slot(struct journey *j, __u64 skb, bool create)
{
	return map_slot(j->bind, j->cap, skb, create);
}

static bool ends_skb(const struct tev *e)
{
	return !strcmp(e->name, "kfree_skb") || !strcmp(e->name, "consume_skb");
}

/* The device's last event named @name before event @i (within 50 ms). */
static long last_dev_event(struct journey *j, size_t i, const char *name)
{
	const struct tev *e = &j->l.ev[i];
	size_t k;

	for (k = i; k-- > 0;) {
		const struct tev *p = &j->l.ev[k];

		if (e->t_ns - p->t_ns > 50000000ULL)
			break;
		if (!strcmp(p->name, name) && !strcmp(p->dev, e->dev))
			return (long)k;
	}
	return -1;
}

/* Within 10 ms of the packet's last event. */
static bool late_xmit(const struct journey *j, size_t pk, const struct tev *e)
{
	const struct packet *p = &j->pk[pk];

	return p->n && e->t_ns - j->l.ev[p->ev[p->n - 1]].t_ns < 10000000ULL;
}

/* A pktpath_nf INPUT hook event. */
bool is_input(const struct tev *e)
{
	char hook[16];

	return !strcmp(e->name, "pktpath_nf_hook") &&
	       tev_field(e, "hook", hook, sizeof(hook)) && !strcmp(hook, "input");
}

/*
 * Raw and ICMP sockets receive a clone of the packet, an skb no event of
 * ours has seen. A socket read of an unknown skb belongs to the latest
 * packet that passed INPUT within a second, was not read yet, and has the
 * length read (its IP packet, or what follows the IP header).
 */
static bool socket_of_clone(struct journey *j, size_t i)
{
	const struct tev *e = &j->l.ev[i];
	char buf[16];
	size_t k;
	long len;

	if (strcmp(e->name, "skb_copy_datagram_iovec") || !tev_field(e, "len", buf, sizeof(buf)))
		return false;
	len = strtol(buf, NULL, 10);
	/* The window: packets that passed INPUT within a second, newest first. */
	while (j->inq_tail < j->inq_head &&
	       e->t_ns - j->pk[j->inq[j->inq_tail]].t_input > 1000000000ULL)
		j->inq_tail++;
	for (k = j->inq_head; k-- > j->inq_tail;) {
		struct packet *p = &j->pk[j->inq[k]];

		if (p->socket || e->t_ns - p->t_input > 1000000000ULL)
			continue;
		if (len != p->first.l3len && len != p->first.l4len)
			continue;
		p->socket = true;
		return !pk_add_ev(p, i);
	}
	return false;
}

/*
 * Is an skb's binding to its packet stale? Some frees fire no event
 * (kfree_skb_partial after GRO merged a frame, napi_reuse_skb), so a new
 * skb at the same address would join the old packet. A new skb starts
 * with the stack's receive: that continues a packet only right after the
 * driver built it (our RX or XDP event) or when a veth or the backlog
 * hands the very skb on (its xmit, queue or netif_rx just before), or a
 * bridge passes it up to its own device.
 */
static bool stale_binding(const struct journey *j, const struct tev *e)
{
	static const char * const before[] = {
		"pktpath_e1000_rx", "pktpath_e1000_xdp", "net_dev_queue", "net_dev_xmit",
		"netif_rx", "kp_br_up",
	};
	const struct tev *l;
	size_t *slot, i;

	if (strcmp(e->name, "netif_receive_skb") && strcmp(e->name, "netif_rx"))
		return false;
	slot = map_slot(j->lastev, j->cap, e->skb, false);
	if (!slot || *slot == (size_t)-1)
		return false;
	l = &j->l.ev[*slot];
	for (i = 0; i < ARRAY_SIZE(before); i++)
		if (!strcmp(l->name, before[i]))
			return e->t_ns - l->t_ns > PENDING_NS;
	return true;
}

/* An RX ring event of a frame an XDP program passed on the same device. */
static bool after_xdp(const struct journey *j, size_t pk, const struct tev *e)
{
	const struct packet *p = &j->pk[pk];
	const struct tev *last;

	if (!p->n)
		return false;
	last = &j->l.ev[p->ev[p->n - 1]];
	return !strcmp(last->name, "pktpath_e1000_xdp") && !strcmp(last->dev, e->dev);
}

/* The CPU's latest event was packet @pk's. */
static void note_last(struct journey *j, const struct tev *e, size_t pk)
{
	if (e->cpu >= 0 && e->cpu < MAX_CPUS) {
		j->last[e->cpu].pk = pk;
		j->last[e->cpu].ev = (size_t)(e - j->l.ev);
		j->last[e->cpu].t_ns = e->t_ns;
	}
}

/*
 * Where an input route lookup happens: right after PREROUTING (or, with no
 * hook stations, the stack's receive).
 */
static bool before_input_route(const struct tev *e)
{
	char hook[16];

	if (!strcmp(e->name, "netif_receive_skb"))
		return true;
	return !strcmp(e->name, "pktpath_nf_hook") &&
	       tev_field(e, "hook", hook, sizeof(hook)) && !strcmp(hook, "prerouting");
}

/*
 * A route lookup belongs to the packet the CPU was just working on when
 * it is for that packet's addresses (input: after PREROUTING); otherwise
 * it waits for the next new packet on that CPU that it fits (output: the
 * lookup comes before the skb is built).
 */
static int fib_join(struct journey *j, size_t i)
{
	const struct tev *e = &j->l.ev[i];
	struct fibev f;
	size_t k;

	if (fib_parse(e, &f) || e->cpu < 0 || e->cpu >= MAX_CPUS)
		return 0;
	/* No device either way: an address-type check (inet_addr_type), not a route. */
	if (!f.iif && !f.oif)
		return 0;
	k = j->last[e->cpu].pk;
	/*
	 * An input lookup (from a device, not loopback) is the packet's that
	 * just passed PREROUTING there; another's (an ARP's) is no one's here.
	 */
	if (f.iif > 1) {
		if (k == (size_t)-1 || e->t_ns - j->last[e->cpu].t_ns > FIB_NS ||
		    !before_input_route(&j->l.ev[j->last[e->cpu].ev]) ||
		    !fib_matches(&f, &j->pk[k].cur))
			return 0;
		j->last[e->cpu].t_ns = e->t_ns;
		return pk_add_ev(&j->pk[k], i);
	}
	if (k != (size_t)-1 && e->t_ns - j->last[e->cpu].t_ns <= FIB_NS &&
	    fib_matches(&f, &j->pk[k].cur)) {
		j->last[e->cpu].t_ns = e->t_ns;
		return pk_add_ev(&j->pk[k], i);
	}
	if (j->nfibpend == FIBPEND_MAX) {
		memmove(j->fibpend, j->fibpend + 1, (FIBPEND_MAX - 1) * sizeof(j->fibpend[0]));
		j->nfibpend--;
	}
	j->fibpend[j->nfibpend++] = i;
	return 0;
}

/* A new packet takes the waiting route lookups made for it on its CPU. */
static int fib_claim(struct journey *j, size_t pk, const struct tev *e)
{
	size_t k, n = 0;
	struct fibev f;

	for (k = 0; k < j->nfibpend; k++) {
		const struct tev *l = &j->l.ev[j->fibpend[k]];

		if (l->cpu == e->cpu && e->t_ns - l->t_ns <= FIB_NS && !fib_parse(l, &f) &&
		    fib_matches(&f, &e->hdr)) {
			if (pk_add_ev(&j->pk[pk], j->fibpend[k]))
				return -1;
			continue;
		}
		if (e->t_ns - l->t_ns <= FIB_NS)
			j->fibpend[n++] = j->fibpend[k];
	}
	j->nfibpend = n;
	return 0;
}

static void forget_pending(struct journey *j, __u64 skb)
{
	size_t *slot = map_slot(j->pend, j->cap, skb, false);

	if (slot)
		*slot = (size_t)-1;
}

static int cmp_idx(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int journey_join(struct journey *j)
{
	size_t i, k, *slot;

	j->cap = 1;
	while (j->cap < j->l.n * 2 + 16)
		j->cap <<= 1;
	j->bind = calloc(j->cap, sizeof(*j->bind));
	j->keys = calloc(j->cap, sizeof(*j->keys));
	j->freed = calloc(j->cap, sizeof(*j->freed));
	j->pend = calloc(j->cap, sizeof(*j->pend));
	j->lastev = calloc(j->cap, sizeof(*j->lastev));
	j->pend_next = calloc(j->l.n + 1, sizeof(*j->pend_next));
	j->inq = calloc(j->l.n + 1, sizeof(*j->inq));
	if (!j->bind || !j->keys || !j->freed || !j->pend || !j->lastev || !j->pend_next ||
	    !j->inq)
		return -1;
	for (i = 0; i < MAX_CPUS; i++)
		j->last[i].pk = (size_t)-1;
	if (kprobe_prepass(&j->l))
		return -1;
	for (i = 0; i < j->l.n; i++) {
		struct tev *e = &j->l.ev[i];
		size_t pk;

		if (e->hide)
			continue;
		/*
		 * The transport's output is a new skb's first station (and an
		 * application's send is tied to it): whatever had that address
		 * before is not its packet. Both wait for our first event of
		 * the skb.
		 */
		if (!strcmp(e->name, "kp_send") || !strcmp(e->name, "kp_send6"))
			continue;
		if (kp_transport_out(e) && e->skb) {
			slot = bind_slot(j, e->skb, false);
			if (slot)
				*slot = (size_t)-1;
			forget_pending(j, e->skb);
			slot = map_slot(j->pend, j->cap, e->skb, true);
			if (e->pair) {
				j->pend_next[e->pair - 1] = (size_t)-1;
				*slot = e->pair - 1;
			}
			j->pend_next[i] = *slot;
			*slot = i;
			continue;
		}
		if (e->hdr.ok) {
			pk = pk_find(j, &e->hdr);
			if (pk == (size_t)-1)
				return -1;
			if (!j->pk[pk].n && fib_claim(j, pk, e))
				return -1;
			j->pk[pk].cur = e->hdr;
			note_last(j, e, pk);
			/* The frame's first station: the interrupt and poll that found it. */
			if (!strcmp(e->name, "pktpath_e1000_xdp") ||
			    (!strcmp(e->name, "pktpath_e1000_rx") && !after_xdp(j, pk, e))) {
				long irq = last_dev_event(j, i, "pktpath_e1000_irq");
				long poll = last_dev_event(j, i, "pktpath_e1000_napi_poll");

				if (irq >= 0 && pk_add_ev(&j->pk[pk], (size_t)irq))
					return -1;
				if (poll >= 0 && pk_add_ev(&j->pk[pk], (size_t)poll))
					return -1;
			}
			if (e->skb) {
				*bind_slot(j, e->skb, true) = pk;
				*map_slot(j->lastev, j->cap, e->skb, true) = i;
				/* Kernel events that saw this skb first. */
				slot = map_slot(j->pend, j->cap, e->skb, false);
				for (k = slot ? *slot : (size_t)-1; k != (size_t)-1;
				     k = j->pend_next[k]) {
					if (e->t_ns - j->l.ev[k].t_ns > PENDING_NS)
						break;
					if (pk_add_ev(&j->pk[pk], k))
						return -1;
				}
				if (slot)
					*slot = (size_t)-1;
			}
			if (pk_add_ev(&j->pk[pk], i))
				return -1;
			if (is_input(e)) {
				j->pk[pk].t_input = e->t_ns;
				j->inq[j->inq_head++] = pk;
			}
			continue;
		}
		if (is_fib_event(e)) {
			if (fib_join(j, i))
				return -1;
			continue;
		}
		if (!e->skb)
			continue;
		slot = bind_slot(j, e->skb, false);
		/*
		 * The driver built a new skb whose headers we cannot read (an
		 * ARP frame): whatever was at that address before is over.
		 */
		if (!strcmp(e->name, "pktpath_e1000_rx")) {
			if (slot)
				*slot = (size_t)-1;
			forget_pending(j, e->skb);
			continue;
		}
		if (slot && *slot != (size_t)-1 && stale_binding(j, e))
			*slot = (size_t)-1;
		if ((!slot || *slot == (size_t)-1) && socket_of_clone(j, i))
			continue;
		if (slot && *slot != (size_t)-1) {
			if (pk_add_ev(&j->pk[*slot], i))
				return -1;
			*map_slot(j->lastev, j->cap, e->skb, true) = i;
			note_last(j, e, *slot);
			if (ends_skb(e)) {
				*map_slot(j->freed, j->cap, e->skb, true) = *slot;
				*slot = (size_t)-1;
			}
			continue;
		}
		/*
		 * The driver may complete and free a packet on another CPU
		 * before its xmit returns: a late xmit event is still its.
		 */
		if (!strcmp(e->name, "net_dev_xmit")) {
			slot = map_slot(j->freed, j->cap, e->skb, false);
			if (slot && *slot != (size_t)-1 && late_xmit(j, *slot, e) &&
			    pk_add_ev(&j->pk[*slot], i))
				return -1;
			continue;
		}
		/* An skb none of ours named is freed: its waiting events go with it. */
		if (ends_skb(e)) {
			forget_pending(j, e->skb);
			continue;
		}
		/*
		 * Only these come before our first event of a packet: NAT, at
		 * -100, comes before the filter hook's event (0) at PREROUTING
		 * and OUTPUT; the transport before OUTPUT, tc ingress and the
		 * bridge before PREROUTING.
		 */
		if (strcmp(e->name, "netif_rx") && strcmp(e->name, "netif_receive_skb") &&
		    strcmp(e->name, "net_dev_queue") && strcmp(e->name, "pktpath_nf_nat") &&
		    !is_kprobe_event(e))
			continue;
		/* Not ours yet: keep it a moment (older ones are not claimed). */
		slot = map_slot(j->pend, j->cap, e->skb, true);
		j->pend_next[i] = *slot;
		*slot = i;
	}
	/* Stations in time order (the trace is; added interrupts came first). */
	for (i = 0; i < j->npk; i++)
		qsort(j->pk[i].ev, j->pk[i].n, sizeof(j->pk[i].ev[0]), cmp_idx);
	return 0;
}

/* Forget the timelines, keep the events (follow mode joins them again). */
void journey_reset(struct journey *j)
{
	struct tev_list l = j->l;

	memset(&j->l, 0, sizeof(j->l));
	journey_free(j);
	memset(j, 0, sizeof(*j));
	j->l = l;
}

void journey_free(struct journey *j)
{
	size_t i;

	for (i = 0; i < j->npk; i++)
		free(j->pk[i].ev);
	free(j->pk);
	free(j->bind);
	free(j->keys);
	free(j->freed);
	free(j->pend);
	free(j->pend_next);
	free(j->lastev);
	free(j->inq);
	tev_list_free(&j->l);
}
