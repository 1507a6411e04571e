// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath journey --svg FILE: the timelines as a sequence diagram. One
 * lane per host (network namespace), one row per station in time order,
 * a mark and its label in the lane where it happened, an arrow where the
 * packet changes host (the wire, or a veth), labelled with the addresses
 * the packet carried across (so a NAT rewrite shows as a changed label),
 * and a death in red with its reason. Plain SVG 1.1, no script: any
 * browser or image viewer shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey.h"

#define LANE_W		330	/* px per lane */
#define LEFT		90	/* the time column */
#define ROW		20
#define HEAD		56	/* lane titles */
#define MAX_LANES	16
#define LABEL_MAX	52	/* characters of a mark's label */

static void xml_text(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
	if (*s)
		fputs("...", f);
}

struct lanes {
	char name[MAX_LANES][64];
	int n;
};

static int lane_index(struct lanes *ls, const char *name)
{
	int i;

	if (!name[0])
		name = "?";
	for (i = 0; i < ls->n; i++)
		if (!strcmp(ls->name[i], name))
			return i;
	if (ls->n == MAX_LANES)
		return MAX_LANES - 1;	/* the last lane takes the rest */
	snprintf(ls->name[ls->n], sizeof(ls->name[0]), "%s", name);
	return ls->n++;
}

static void svg_line(FILE *f, int x1, int y1, int x2, int y2, const char *cls, bool arrow)
{
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"%s\"%s/>\n",
		x1, y1, x2, y2, cls, arrow ? " marker-end=\"url(#arrow)\"" : "");
}

static int lane_x(int lane)
{
	return LEFT + lane * LANE_W + 24;
}

/* The station that killed the packet: its free, or the XDP verdict. */
static long death_station(const struct journey *j, const struct packet *p, const char *fate)
{
	size_t i;

	if (strncmp(fate, "DIED", 4))
		return -1;
	for (i = 0; i < p->n; i++)
		if (!strcmp(j->l.ev[p->ev[i]].name, "kfree_skb"))
			return (long)i;
	for (i = p->n; i-- > 0;)
		if (!strcmp(j->l.ev[p->ev[i]].name, "pktpath_e1000_xdp"))
			return (long)i;
	return (long)p->n - 1;
}

/* The packet's addresses at station @i (the last decoded at or before it). */
static const struct pkthdr *hdr_at(const struct journey *j, const struct packet *p, size_t i)
{
	size_t k;

	for (k = i + 1; k-- > 0;)
		if (j->l.ev[p->ev[k]].hdr.ok)
			return &j->l.ev[p->ev[k]].hdr;
	return &p->first;
}

/* Events a sending host still logs after the frame left it. */
static bool trailing(const struct tev *e)
{
	static const char * const names[] = {
		"pktpath_e1000_tx", "pktpath_e1000_tx_done", "net_dev_xmit", "net_dev_queue",
		"consume_skb", "kfree_skb",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(e->name, names[i]))
			return true;
	return false;
}

/*
 * The packet's rows. It is "at" one host at a time: an event elsewhere
 * that is not the sender finishing (a completion, a free) is an arrival,
 * drawn as an arrow from where the packet left the host it was at.
 */
static void svg_packet(FILE *f, const struct journey *j, const struct packet *p, int id,
		       struct lanes *ls, int *y)
{
	char desc[256], st[64], where[96], det[256], fbuf[1024], a[64], b[64];
	int last_y[MAX_LANES], tx_y[MAX_LANES], at = -1, lane, x;
	bool ring[MAX_LANES] = { false };
	__u64 t0 = j->l.ev[p->ev[0]].t_ns;
	bool nat = false;
	long dead;
	size_t i;

	for (lane = 0; lane < MAX_LANES; lane++) {
		last_y[lane] = -1;
		tx_y[lane] = -1;
	}
	pkthdr_describe(&p->first, desc, sizeof(desc));
	fate(j, p, fbuf, sizeof(fbuf));
	dead = death_station(j, p, fbuf);
	fprintf(f, "<g class=\"packet\" id=\"packet-%d\">\n", id);
	fprintf(f, "<text x=\"8\" y=\"%d\" class=\"title\">packet %d: ", *y + 14, id);
	xml_text(f, desc, 200);
	fputs("</text>\n", f);
	*y += 30;
	for (i = 0; i < p->n; i++) {
		const struct tev *e = &j->l.ev[p->ev[i]];
		bool red = (long)i == dead;

		station_of(j, p, i, st, sizeof(st), where, sizeof(where), det, sizeof(det));
		lane = lane_index(ls, lane_of(j, p, i));
		x = lane_x(lane);
		if (!strcmp(e->name, "pktpath_nf_nat"))
			nat = true;
		if (at >= 0 && lane != at && !trailing(e) && last_y[at] >= 0) {
			const struct pkthdr *h = hdr_at(j, p, i);
			int fx = lane_x(at), fy = tx_y[at] >= 0 ? tx_y[at] : last_y[at];

			pkthdr_addr(h, true, a, sizeof(a));
			pkthdr_addr(h, false, b, sizeof(b));
			svg_line(f, fx, fy, x + (x > fx ? -6 : 6), *y, "wire", true);
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"%s\" text-anchor=\"middle\">",
				(fx + x) / 2, (fy + *y) / 2 - 4, nat ? "nat" : "addr");
			xml_text(f, a, 60);
			fputs(" &#8594; ", f);
			xml_text(f, b, 60);
			if (nat)
				fputs(" (after NAT)", f);
			fputs("</text>\n", f);
			nat = false;
			at = lane;
		} else if (last_y[lane] >= 0) {
			svg_line(f, x, last_y[lane], x, *y, "step", false);
		}
		if (at < 0)
			at = lane;
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"time\" text-anchor=\"end\">",
			LEFT - 6, *y + 4);
		fprintf(f, "%.0f us</text>\n", (double)(e->t_ns - t0) / 1000.0);
		fprintf(f, "<g class=\"station%s\"><title>", red ? " dead" : "");
		xml_text(f, where, 96);
		fputs(": ", f);
		xml_text(f, st, 64);
		fputs(" - ", f);
		xml_text(f, det, 256);
		fprintf(f, "</title><circle cx=\"%d\" cy=\"%d\" r=\"5\"/>", x, *y);
		fprintf(f, "<text x=\"%d\" y=\"%d\"><tspan class=\"st\">", x + 10, *y + 4);
		xml_text(f, st, 40);
		fputs("</tspan> ", f);
		xml_text(f, det, LABEL_MAX - strlen(st) > 8 ? LABEL_MAX - strlen(st) : 8);
		fputs("</text></g>\n", f);
		last_y[lane] = *y;
		/* The frame leaves from the TX ring (a veth: from its xmit). */
		if (!strcmp(e->name, "pktpath_e1000_tx")) {
			ring[lane] = true;
			tx_y[lane] = *y;
		} else if (!strcmp(e->name, "net_dev_xmit") && !ring[lane]) {
			tx_y[lane] = *y;
		}
		*y += ROW;
	}
	fprintf(f, "<text x=\"8\" y=\"%d\" class=\"%s\">=&gt; ", *y + 6,
		dead >= 0 ? "fate dead" : "fate");
	xml_text(f, fbuf, 220);
	fputs("</text>\n</g>\n", f);
	*y += 36;
}

/*
 * Write the @n packets of @shown. The lanes are known only once every
 * packet is laid out, so the body goes to a temporary file first.
 */
int journey_svg(const struct journey *j, const size_t *shown, size_t n, const char *path)
{
	struct lanes ls = { .n = 0 };
	FILE *body = tmpfile(), *f;
	int y = HEAD + 10, w, i, rc = 0;
	char buf[4096];
	size_t k, r;

	if (!body)
		return -1;
	for (k = 0; k < n; k++)
		svg_packet(body, j, &j->pk[shown[k]], (int)k + 1, &ls, &y);
	f = fopen(path, "w");
	if (!f) {
		fclose(body);
		return -1;
	}
	w = LEFT + (ls.n ? ls.n : 1) * LANE_W + 20;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\"",
		w, y);
	fprintf(f, " viewBox=\"0 0 %d %d\">\n", w, y);
	fputs("<title>pktpath journey</title>\n", f);
	fputs("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\"", f);
	fputs(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">", f);
	fputs("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f5fa8\"/></marker></defs>\n", f);
	fputs("<style>\n"
	      "text { font-family: DejaVu Sans Mono, monospace; font-size: 11px; fill: #222; }\n"
	      ".title { font-size: 13px; font-weight: bold; }\n"
	      ".lane { font-size: 13px; font-weight: bold; fill: #1f5fa8; }\n"
	      ".laneline { stroke: #bbb; stroke-dasharray: 4 4; }\n"
	      ".station circle { fill: #1f5fa8; }\n"
	      ".st { font-weight: bold; }\n"
	      ".dead circle { fill: #d00000; }\n"
	      ".dead text, .fate.dead { fill: #d00000; font-weight: bold; }\n"
	      ".fate { fill: #176117; }\n"
	      ".time { fill: #777; }\n"
	      ".wire { stroke: #1f5fa8; stroke-width: 2; }\n"
	      ".step { stroke: #1f5fa8; stroke-width: 1; }\n"
	      ".addr, .nat { font-size: 10px; paint-order: stroke; stroke: white;"
	      " stroke-width: 3px; }\n"
	      ".addr { fill: #1f5fa8; }\n"
	      ".nat { fill: #b35c00; font-weight: bold; }\n"
	      "</style>\n"
	      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", f);
	for (i = 0; i < ls.n; i++) {
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"laneline\"/>\n",
			lane_x(i), HEAD - 8, lane_x(i), y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lane\">", lane_x(i) - 8,
			HEAD - 24);
		xml_text(f, ls.name[i], 40);
		fputs("</text>\n", f);
	}
	rewind(body);
	while ((r = fread(buf, 1, sizeof(buf), body)) > 0)
		if (fwrite(buf, 1, r, f) != r)
			rc = -1;
	fputs("</svg>\n", f);
	fclose(body);
	if (fclose(f))
		rc = -1;
	return rc;
}
