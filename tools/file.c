// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath: the ruleset file (ruleset load), its policy lines, the word
 * splitter, and the struct ruleset helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pktpath.h"

#define ERR(...) (snprintf(err, ERRMSG_LEN, __VA_ARGS__), -1)

/* policy FAMILY HOOK accept|drop */
int parse_policy(char **tok, int ntok, u8 *family, u8 *hook, u8 *policy, char *err)
{
	if (ntok < 2)
		return ERR("missing family (ip or ip6)");
	if (parse_family(tok[1], family, err))
		return -1;
	if (ntok < 3)
		return ERR("missing hook");
	if (parse_hook(tok[2], hook, err))
		return -1;
	if (ntok < 4)
		return ERR("missing policy (accept or drop)");
	if (!strcmp(tok[3], "accept"))
		*policy = PKTPATH_POLICY_ACCEPT;
	else if (!strcmp(tok[3], "drop"))
		*policy = PKTPATH_POLICY_DROP;
	else
		return ERR("bad policy '%s' (accept or drop)", tok[3]);
	if (ntok > 4)
		return ERR("'%s' must be the last word", tok[3]);
	return 0;
}

/*
 * Split line in place at blanks; with comments, a word starting with '#'
 * ends the line. *tok is grown as needed (free it once done).
 */
int tokenize(char *line, char ***tok, int *ntok, bool comments)
{
	static const char blanks[] = " \t\r\n\v\f";
	char *save = NULL, *p;
	int cap = 0;

	*ntok = 0;
	for (p = strtok_r(line, blanks, &save); p; p = strtok_r(NULL, blanks, &save)) {
		/* An interface name may start with '#': not a comment there. */
		if (comments && p[0] == '#' &&
		    !(*ntok && (!strcmp((*tok)[*ntok - 1], "iif") ||
				!strcmp((*tok)[*ntok - 1], "oif"))))
			break;
		if (*ntok + 1 >= cap) {
			char **n;

			cap = cap ? cap * 2 : 16;
			n = realloc(*tok, cap * sizeof(*n));
			if (!n)
				return -1;
			*tok = n;
		}
		(*tok)[(*ntok)++] = p;
	}
	return 0;
}

void ruleset_init(struct ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void ruleset_free(struct ruleset *rs)
{
	int f, h;

	for (f = 0; f < NR_FAMILIES; f++)
		for (h = 0; h < NR_HOOKS; h++)
			free(rs->chains[f][h].rules);
	free(rs->rules);
	ruleset_init(rs);
}

struct chain *ruleset_chain(struct ruleset *rs, u8 family, u8 hook)
{
	return &rs->chains[family_index(family)][hook < NR_HOOKS ? hook : 0];
}

static int grow(void **arr, size_t *cap, size_t nr, size_t size)
{
	void *n;
	size_t ncap;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	n = realloc(*arr, ncap * size);
	if (!n)
		return -1;
	*arr = n;
	*cap = ncap;
	return 0;
}

int chain_add_rule(struct chain *c, const struct rule *r)
{
	if (grow((void **)&c->rules, &c->cap_rules, c->nr_rules, sizeof(*r)))
		return -1;
	c->rules[c->nr_rules++] = *r;
	return 0;
}

/* Every rule of rs->rules (file order) into its chain. */
void ruleset_sort(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nr_rules; i++) {
		struct rule *r = &rs->rules[i];
		struct chain *c = ruleset_chain(rs, r->family, r->hook);

		r->index = c->nr_rules;
		r->has_index = true;
		if (chain_add_rule(c, r)) {
			fprintf(stderr, "pktpath: out of memory\n");
			exit(1);
		}
	}
}

static int cmp_handle(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule * const *)a;
	const struct rule *y = *(const struct rule * const *)b;

	if (x->handle != y->handle)
		return x->handle < y->handle ? -1 : 1;
	return x->line - y->line;
}

static int check_handles(struct ruleset *rs, char *err)
{
	const struct rule **v, *dup = NULL;
	size_t i, n = 0;

	v = calloc(rs->nr_rules + 1, sizeof(*v));
	if (!v)
		return ERR("out of memory");
	for (i = 0; i < rs->nr_rules; i++)
		if (rs->rules[i].has_handle)
			v[n++] = &rs->rules[i];
	qsort(v, n, sizeof(*v), cmp_handle);
	for (i = 1; i < n; i++)
		if (v[i]->handle == v[i - 1]->handle && (!dup || v[i]->line < dup->line))
			dup = v[i];
	free(v);
	if (dup)
		return ERR("line %d: duplicate handle %u", dup->line, dup->handle);
	return 0;
}

/* The whole file or nothing: the first bad line fails it. */
int parse_file(FILE *f, struct ruleset *rs, char *err)
{
	char *line = NULL, **tok = NULL, msg[ERRMSG_LEN];
	size_t cap = 0;
	int n = 0, ntok, ret = 0;
	u8 family, hook, policy;
	struct rule r;

	while (getline(&line, &cap, f) >= 0) {
		char tail;

		n++;
		/* What 'ruleset show' wrote it from: load refuses it if stale. */
		if (sscanf(line, "# generation %u %c", &rs->generation, &tail) == 1)
			rs->has_generation = true;
		if (tokenize(line, &tok, &ntok, true)) {
			ret = ERR("out of memory");
			break;
		}
		if (!ntok)
			continue;
		if (!strcmp(tok[0], "policy")) {
			struct chain *c;

			if (parse_policy(tok, ntok, &family, &hook, &policy, msg)) {
				ret = ERR("line %d: %.220s", n, msg);
				break;
			}
			c = ruleset_chain(rs, family, hook);
			if (c->policy_set) {
				ret = ERR("line %d: duplicate policy for %s %s (line %d)", n,
					  family_name(family), hook_name(hook), c->policy_line);
				break;
			}
			c->policy_set = true;
			c->policy_line = n;
			c->policy = policy;
			continue;
		}
		if (parse_rule(tok, ntok, &r, msg)) {
			ret = ERR("line %d: %.220s", n, msg);
			break;
		}
		r.line = n;
		if (rs->nr_rules >= PKTPATH_MAX_RULES) {
			ret = ERR("line %d: more than %d rules", n, PKTPATH_MAX_RULES);
			break;
		}
		if (grow((void **)&rs->rules, &rs->cap_rules, rs->nr_rules, sizeof(r))) {
			ret = ERR("out of memory");
			break;
		}
		rs->rules[rs->nr_rules++] = r;
	}
	if (!ret && ferror(f))
		ret = ERR("read error: %s", strerror(errno));
	free(line);
	free(tok);
	if (!ret)
		ret = check_handles(rs, err);
	return ret;
}
