/* The findings list: adding, ordering and freeing, shared by every detector. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/detect/detect.h"
#include "lockgraph/lib/util.h"

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* Cycles closed by the same dependency are told apart by their dependencies,
 * so the order never depends on qsort's stability. */
static int by_seq(const void *a, const void *b)
{
	const struct lg_finding *x = a, *y = b;

	if (x->seq != y->seq)
		return CMP(x->seq, y->seq);
	if (x->nr != y->nr)
		return CMP(x->nr, y->nr);
	for (uint32_t i = 0; x->deps && y->deps && i < x->nr; i++)
		if (x->deps[i] != y->deps[i])
			return CMP(x->deps[i], y->deps[i]);
	return 0;
}

struct lg_finding *lg_findings_add(struct lg_findings *out, enum lg_finding_kind kind,
				   uint32_t nr, uint32_t index)
{
	struct lg_finding *f;

	LG_GROW(out->v, out->nr, out->alloc);
	f = &out->v[out->nr++];
	*f = (struct lg_finding){
		.kind = kind,
		.nr = nr,
		.classes = lg_xmalloc(nr * sizeof(uint32_t)),
		.index = index,
		.group = LG_NONE,
	};
	return f;
}

uint32_t lg_cycle_least_rotation(const struct lg_finding *f,
				 const char *(*sign)(uint32_t node, char *buf, size_t size,
						     const void *arg),
				 const void *arg)
{
	uint32_t n = f->nr, best = 0;
	char a[512], b[512];

	for (uint32_t r = 1; r < n; r++) {
		for (uint32_t i = 0; i < n; i++) {
			int cmp = strcmp(sign(f->classes[(r + i) % n], a, sizeof(a), arg),
					 sign(f->classes[(best + i) % n], b, sizeof(b), arg));

			if (cmp) {
				if (cmp < 0)
					best = r;
				break;
			}
		}
	}
	return best;
}

void lg_finding_set_id(struct lg_finding *f, const char *prefix, uint64_t hash)
{
	snprintf(f->id, sizeof(f->id), "%s-%016llx", prefix, (unsigned long long)hash);
}

/* Skip "#digits" where it ends the name or comes before a "/N" subclass. */
static size_t numbering(const char *s)
{
	size_t n = 1;

	if (*s != '#' || !isdigit((unsigned char)s[1]))
		return 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	if (!s[n] || (s[n] == '/' && strspn(s + n + 1, "0123456789") == strlen(s + n + 1)))
		return n;
	return 0;
}

/* " (tgid 1234)" ending the name */
static bool tgid_suffix(const char *s)
{
	size_t digits;

	if (strncmp(s, " (tgid ", 7))
		return false;
	digits = strspn(s + 7, "0123456789");
	return digits && !strcmp(s + 7 + digits, ")");
}

const char *lg_class_signature(const char *name, char *buf, size_t size)
{
	size_t len = 0, skip;

	for (const char *p = name; *p && len + 1 < size;) {
		if ((skip = numbering(p))) {
			p += skip;
		} else if (tgid_suffix(p)) {
			break;
		} else if (!strncmp(p, " 0x", 3) && isxdigit((unsigned char)p[3])) {
			size_t digits = strspn(p + 3, "0123456789abcdef");

			len += snprintf(buf + len, size - len, " @%.3s",
					p + 3 + (digits > 3 ? digits - 3 : 0));
			len = len < size ? len : size - 1;
			p += 3 + digits;
		} else {
			buf[len++] = *p++;
		}
	}
	buf[len] = '\0';
	return buf;
}

uint64_t lg_hash_class(uint64_t h, const struct lg_graph *g, uint32_t class, bool nul)
{
	char buf[512];
	const char *sig = lg_class_signature(lg_graph_class_name(g, class), buf, sizeof(buf));

	return lg_fnv1a(h, sig, strlen(sig) + nul);
}

/* After the sort: the groups renumbered in the order of their first cycle,
 * each with its first and its shortest cycle. */
static void number_groups(struct lg_findings *f)
{
	uint32_t *renumber = lg_xmalloc((f->nr_groups + 1) * sizeof(*renumber));
	struct lg_cycle_group *old = f->groups;
	uint32_t next = 0;

	memset(renumber, 0xff, (f->nr_groups + 1) * sizeof(*renumber));
	f->groups = lg_xmalloc((f->nr_groups + 1) * sizeof(*f->groups));
	for (uint32_t i = 0; i < f->nr; i++) {
		struct lg_finding *c = &f->v[i];
		struct lg_cycle_group *g;

		if (c->group == LG_NONE)
			continue;
		if (renumber[c->group] == LG_NONE) {
			renumber[c->group] = next;
			f->groups[next] = old[c->group];
			f->groups[next].first = f->groups[next].shortest = i;
			next++;
		}
		c->group = renumber[c->group];
		g = &f->groups[c->group];
		if (c->nr < f->v[g->shortest].nr)
			g->shortest = i;
	}
	/* a group whose cycles all went unsearched has none to be numbered by */
	for (uint32_t i = 0; i < f->nr_groups; i++) {
		if (renumber[i] != LG_NONE)
			continue;
		f->groups[next] = old[i];
		f->groups[next].first = f->groups[next].shortest = LG_NONE;
		next++;
	}
	f->alloc_groups = f->nr_groups + 1;
	free(old);
	free(renumber);
}

void lg_findings_sort(struct lg_findings *f)
{
	if (f->nr > 1)
		qsort(f->v, f->nr, sizeof(*f->v), by_seq);
	if (f->nr_groups)
		number_groups(f);
}

void lg_findings_release(struct lg_findings *f)
{
	for (uint32_t i = 0; i < f->nr; i++) {
		free(f->v[i].classes);
		free(f->v[i].deps);
	}
	free(f->v);
	free(f->groups);
	*f = (struct lg_findings){ 0 };
}

void lg_findings_drop(struct lg_findings *f, const bool *drop)
{
	uint32_t kept = 0, groups = 0;

	for (uint32_t i = 0; i < f->nr; i++) {
		struct lg_finding *c = &f->v[i];

		if (!drop[i]) {
			f->v[kept++] = *c;
			continue;
		}
		if (c->group != LG_NONE)
			f->groups[c->group].nr_cycles--;
		free(c->classes);
		free(c->deps);
	}
	f->nr = kept;
	if (!f->nr_groups)
		return;
	number_groups(f);
	for (uint32_t i = 0; i < f->nr_groups; i++)	/* the empty are last */
		if (f->groups[i].nr_cycles || f->groups[i].unsearched)
			f->groups[groups++] = f->groups[i];
	f->nr_groups = groups;
}
