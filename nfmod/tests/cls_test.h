/* SPDX-License-Identifier: GPL-2.0 */
/* What cls_test.c shares with cls_flat.c. */
#ifndef _PKTPATH_CLS_TEST_H
#define _PKTPATH_CLS_TEST_H

#include "../classify.h"

#define MAXSEQ 4096

extern unsigned long nmatch;	/* pp_rule_match calls */
extern u32 seq_b[MAXSEQ];

void check(bool ok, const char *fmt, const char *what);
u32 rnd(void);
u32 pick(u32 n);
bool chance(u32 percent);
void mask_addr(union nf_inet_addr *a, unsigned int plen, bool v6);
struct pp_rule *new_rule(void);
void rnd_pkt(struct pp_pkt *p, bool v6);
u32 walk(const struct pp_cls *cls, struct pp_rule **rules, u32 n,
	 struct pp_pkt pkt, bool linear, u32 *seq);
u32 compare(const struct pp_cls *cls, struct pp_rule **rules, u32 n,
	    bool v6, u32 npkts);
void free_rules(struct pp_rule **rules, u32 n);
void test_flat(char kind, u32 n);

#endif /* _PKTPATH_CLS_TEST_H */
