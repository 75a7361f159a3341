/* An acquisition's priming function, with what each interned name's function
 * is kept per name (function, call site or frame): each is looked at once. */
#include <stdlib.h>
#include <string.h>

#include "lockgraph/contract/priming.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/replay/primers.h"

struct lg_primer {
	const struct lg_priming *entry;
	uint32_t function;	/* its interned bare name */
};

/* Verdicts: neither, a priming helper, or FOUND + an index in found[]. */
enum { NOTHING, HELPER, FOUND };

void lg_primers_init(struct lg_primers *p, struct lg_strtab *names)
{
	*p = (struct lg_primers){ .names = names };
	lg_u64map_init(&p->verdicts);
}

void lg_primers_release(struct lg_primers *p)
{
	lg_u64map_release(&p->verdicts);
	free(p->found);
}

static uint32_t found(struct lg_primers *p, const struct lg_priming *entry, const char *s,
		      size_t len)
{
	char function[128];	/* s lives in the table that interning may move */
	uint32_t name;

	memcpy(function, s, len);	/* a known function's name: short */
	name = lg_strtab_intern(p->names, function, len);
	for (uint32_t i = 0; i < p->nr_found; i++)
		if (p->found[i].function == name)
			return FOUND + i;
	LG_GROW(p->found, p->nr_found, p->alloc_found);
	p->found[p->nr_found] = (struct lg_primer){ entry, name };
	return FOUND + p->nr_found++;
}

/* "func+0x1a/0x2d [mod]", "func [mod]", "func (ADDR)" or "func": its function. */
static uint32_t verdict(struct lg_primers *p, uint32_t name)
{
	uint32_t v = lg_u64map_get(&p->verdicts, name);
	const struct lg_priming *entry;
	const char *s;
	size_t len;

	if (v != LG_NONE)
		return v;
	s = lg_strtab_str(p->names, name);
	len = strcspn(s, "+ (");
	if ((entry = lg_priming_find(s, len)))
		v = found(p, entry, s, len);
	else
		v = lg_priming_helper(s, len) ? HELPER : NOTHING;
	lg_u64map_put(&p->verdicts, name, v);
	return v;
}

static const struct lg_primer *primer(struct lg_primers *p, uint32_t name)
{
	uint32_t v = name == LG_NONE ? NOTHING : verdict(p, name);

	return v >= FOUND ? &p->found[v - FOUND] : NULL;
}

static uint32_t frame(const struct lg_event *ev, uint32_t i)
{
	return ev->stack[i] == LG_SITE_UNKNOWN ? LG_NONE : lg_site_name(ev->stack[i]);
}

/* A helper's acquisition: its stack's first frame past the helpers. */
static uint32_t helper_caller(struct lg_primers *p, const struct lg_event *ev)
{
	uint32_t i = 0;

	while (i < ev->stack_nr && (frame(ev, i) == LG_NONE || verdict(p, frame(ev, i)) != HELPER))
		i++;
	while (i < ev->stack_nr && frame(ev, i) != LG_NONE && verdict(p, frame(ev, i)) == HELPER)
		i++;
	return i < ev->stack_nr ? frame(ev, i) : LG_NONE;
}

uint32_t lg_primers_of(struct lg_primers *p, const struct lg_event *ev,
		       const uint32_t *inside, uint32_t nr_inside)
{
	uint32_t site = ev->site == LG_SITE_UNKNOWN ? LG_NONE : lg_site_name(ev->site);
	const struct lg_primer *f;

	for (uint32_t i = 0; i < nr_inside; i++)
		if ((f = primer(p, inside[i])) && !f->entry->classes)
			return f->function;
	if (site != LG_NONE && verdict(p, site) == HELPER)
		site = helper_caller(p, ev);
	if ((f = primer(p, site)) &&
	    lg_priming_primes(f->entry, lg_strtab_str(p->names, ev->class_name)))
		return f->function;
	for (uint32_t i = 0; i < ev->stack_nr; i++)
		if ((f = primer(p, frame(ev, i))) && !f->entry->classes)
			return f->function;
	return LG_NONE;
}
