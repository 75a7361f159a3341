/* Baselines and suppression files: parsed into one list, matched against the
 * findings by id or by a cycle's class globs, the matches dropped and kept. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/report/suppressions.h"

void lg_suppressions_init(struct lg_suppressions *s)
{
	*s = (struct lg_suppressions){ 0 };
}

void lg_suppressions_release(struct lg_suppressions *s)
{
	for (uint32_t i = 0; i < s->nr; i++) {
		struct lg_suppression *p = &s->v[i];

		free(p->where);
		free(p->id);
		for (uint32_t c = 0; c < p->nr_classes; c++)
			free(p->classes[c]);
		free(p->classes);
		free(p->reason);
	}
	free(s->v);
	for (uint32_t i = 0; i < s->nr_hidden; i++)
		free(s->hidden[i].title);
	free(s->hidden);
}

static struct lg_suppression *add(struct lg_suppressions *s, const char *where,
				  const char *reason)
{
	struct lg_suppression *p;

	LG_GROW(s->v, s->nr, s->alloc);
	p = &s->v[s->nr++];
	*p = (struct lg_suppression){ .where = lg_xstrdup(where), .reason = lg_xstrdup(reason) };
	return p;
}

int lg_suppressions_baseline(struct lg_suppressions *s, const char *path, struct lg_error *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *findings, *f;
	size_t i;
	int ret = 0;

	if (!doc)
		return lg_fail(err, EINVAL, "%s:%d:%d: not a JSON report: %s", path, jerr.line,
			       jerr.column, jerr.text);
	findings = json_object_get(doc, "findings");
	if (!json_is_array(findings) || !json_is_string(json_object_get(doc, "schema")))
		ret = lg_fail(err, EINVAL, "%s: not a lockgraph JSON report (no schema and "
			      "findings)", path);
	json_array_foreach(ret ? NULL : findings, i, f) {
		const char *id = json_string_value(json_object_get(f, "id"));

		if (!id) {
			ret = lg_fail(err, EINVAL, "%s: finding %zu has no id", path, i + 1);
			break;
		}
		struct lg_suppression *p = add(s, path, "in the baseline");

		p->id = lg_xstrdup(id);
		p->baseline = true;
	}
	json_decref(doc);
	return ret;
}

/* lockgraph's ids: two letters, a dash, 16 hex digits. */
static bool is_id(const char *w)
{
	return strlen(w) == 19 && islower((unsigned char)w[0]) && islower((unsigned char)w[1]) &&
	       w[2] == '-' && strspn(w + 3, "0123456789abcdef") == 16;
}

#define SYNTAX "an id (cd-0123456789abcdef) or a cycle \"CLASS -> CLASS ...\", then \"# reason\""

static int parse_line(struct lg_suppressions *s, char *line, const char *where,
		      struct lg_error *err)
{
	char *hash = NULL, *save, *word, *reason;
	struct lg_suppression *p;
	bool want_class = true;
	char *words[256];
	uint32_t nr = 0;

	for (char *c = line; *c && !hash; c++)
		if (*c == '#' && (c == line || c[-1] == ' ' || c[-1] == '\t'))
			hash = c;
	if (hash)
		*hash = '\0';
	for (word = strtok_r(line, " \t\r\n", &save); word; word = strtok_r(NULL, " \t\r\n", &save)) {
		bool arrow = !strcmp(word, "->");

		if (arrow == want_class || nr == sizeof(words) / sizeof(words[0]))
			return lg_fail(err, EINVAL, "%s: expected %s", where, SYNTAX);
		want_class = arrow;
		if (!arrow)
			words[nr++] = word;
	}
	if (!nr)
		return 0;	/* a blank line or a comment */
	if (want_class || (nr == 1 && !is_id(words[0])))
		return lg_fail(err, EINVAL, "%s: expected %s", where, SYNTAX);
	reason = hash ? hash + 1 + strspn(hash + 1, " \t") : NULL;
	if (reason)
		reason[strcspn(reason, "\r\n")] = '\0';
	if (!reason || !*reason)
		return lg_fail(err, EINVAL, "%s: a suppression needs its reason after '#'", where);
	p = add(s, where, reason);
	if (nr == 1) {
		p->id = lg_xstrdup(words[0]);
		return 0;
	}
	p->classes = lg_xmalloc(nr * sizeof(*p->classes));
	for (uint32_t i = 0; i < nr; i++)
		p->classes[i] = lg_xstrdup(words[i]);
	p->nr_classes = nr;
	return 0;
}

int lg_suppressions_load(struct lg_suppressions *s, FILE *f, const char *path,
			 struct lg_error *err)
{
	char *line = NULL, where[4096];
	size_t size = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int ret = 0;

	while (!ret && (len = getline(&line, &size, f)) > 0) {
		snprintf(where, sizeof(where), "%s:%lu", path, ++lineno);
		if (memchr(line, '\0', len))
			ret = lg_fail(err, EINVAL, "%s: a NUL byte in the line", where);
		else
			ret = parse_line(s, line, where, err);
	}
	if (!ret && ferror(f))
		ret = lg_fail(err, EIO, "%s: read error after line %lu", path, lineno);
	free(line);
	return ret;
}

/* The cycle through classes the globs match, in their order from some rotation. */
static bool cycle_matches(const struct lg_suppression *p, const struct lg_graph *g,
			  const struct lg_finding *f)
{
	if (f->kind != LG_FINDING_CIRCULAR || f->nr != p->nr_classes)
		return false;
	for (uint32_t r = 0; r < f->nr; r++) {
		uint32_t i = 0;

		while (i < f->nr && !fnmatch(p->classes[i],
					     lg_graph_class_name(g, f->classes[(r + i) % f->nr]), 0))
			i++;
		if (i == f->nr)
			return true;
	}
	return false;
}

static uint32_t match(const struct lg_suppressions *s, const struct lg_graph *g,
		      const struct lg_finding *f)
{
	for (uint32_t i = 0; i < s->nr; i++)
		if (s->v[i].id ? !strcmp(s->v[i].id, f->id) : cycle_matches(&s->v[i], g, f))
			return i;
	return LG_NONE;
}

void lg_suppressions_apply(struct lg_suppressions *s, const struct lg_graph *g,
			   struct lg_findings *f,
			   const char *(*describe)(const struct lg_finding *f, void *arg,
						   uint32_t *input),
			   void *arg)
{
	bool *drop = lg_xcalloc(f->nr + 1, sizeof(*drop));

	for (uint32_t i = 0; i < f->nr; i++) {
		uint32_t by = match(s, g, &f->v[i]);
		struct lg_hidden *h;

		if (by == LG_NONE)
			continue;
		drop[i] = true;
		s->v[by].hidden++;
		LG_GROW(s->hidden, s->nr_hidden, s->alloc_hidden);
		h = &s->hidden[s->nr_hidden++];
		memcpy(h->id, f->v[i].id, sizeof(h->id));
		h->title = lg_xstrdup(describe(&f->v[i], arg, &h->input));
		h->by = by;
	}
	lg_findings_drop(f, drop);
	free(drop);
}
