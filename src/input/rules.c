/* The novalidate list and the rules-file parser. File format, one directive a
 * line ('#' starts a comment line): "novalidate CLASS" or "validate CLASS". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/rules.h"
#include "lockgraph/lib/util.h"

/*
 * Maps lockdep acquires with check=0 or marks lockdep_set_novalidate_class():
 * rcu_lock_acquire() covers the RCU flavours and, before 6.2, SRCU (the
 * "srcu" of mm/mmu_notifier.c that every notifier invalidation holds).
 */
static const char *const default_novalidate[] = {
	"rcu_read_lock",
	"rcu_read_lock_bh",
	"rcu_read_lock_sched",
	"rcu_callback",
	"srcu",
	"&dev->mutex",
};

struct lg_rules {
	char **novalidate;
	unsigned nr, alloc;
};

static int find(const struct lg_rules *rules, const char *name)
{
	for (unsigned i = 0; i < rules->nr; i++)
		if (!strcmp(rules->novalidate[i], name))
			return i;
	return -1;
}

static void add(struct lg_rules *rules, const char *name)
{
	if (find(rules, name) >= 0)
		return;
	LG_GROW(rules->novalidate, rules->nr, rules->alloc);
	rules->novalidate[rules->nr++] = lg_xstrdup(name);
}

static void del(struct lg_rules *rules, const char *name)
{
	int i = find(rules, name);

	if (i < 0)
		return;
	free(rules->novalidate[i]);
	rules->novalidate[i] = rules->novalidate[--rules->nr];
}

struct lg_rules *lg_rules_new(void)
{
	struct lg_rules *rules = lg_xcalloc(1, sizeof(*rules));

	for (size_t i = 0; i < sizeof(default_novalidate) / sizeof(default_novalidate[0]); i++)
		add(rules, default_novalidate[i]);
	return rules;
}

void lg_rules_free(struct lg_rules *rules)
{
	if (!rules)
		return;
	for (unsigned i = 0; i < rules->nr; i++)
		free(rules->novalidate[i]);
	free(rules->novalidate);
	free(rules);
}

bool lg_rules_novalidate(const struct lg_rules *rules, const char *class_name)
{
	return find(rules, class_name) >= 0;
}

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		end--;
	*end = '\0';
	return s;
}

static int apply_line(struct lg_rules *rules, char *line, const char *path,
		      unsigned long lineno, struct lg_error *err)
{
	char *word, *arg;

	line = trim(line);
	if (!*line || *line == '#')	/* class names may contain '#' */
		return 0;
	word = line;
	arg = line + strcspn(line, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	if (!*arg || (strcmp(word, "novalidate") && strcmp(word, "validate")))
		return lg_fail(err, EINVAL, "%s:%lu: expected \"novalidate CLASS\" or "
			       "\"validate CLASS\"", path, lineno);
	if (!strcmp(word, "novalidate"))
		add(rules, arg);
	else
		del(rules, arg);
	return 0;
}

int lg_rules_read(struct lg_rules *rules, FILE *f, const char *path, struct lg_error *err)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int ret = 0;

	while (!ret && (len = getline(&line, &size, f)) > 0) {
		lineno++;
		/* a NUL would end the class name early and apply the rule to another */
		if (memchr(line, '\0', len))
			ret = lg_fail(err, EINVAL, "%s:%lu: a NUL byte in the line", path, lineno);
		else
			ret = apply_line(rules, line, path, lineno, err);
	}
	if (!ret && ferror(f))
		ret = lg_fail(err, EIO, "%s: read error after line %lu", path, lineno);
	free(line);
	return ret;
}

int lg_rules_load(struct lg_rules *rules, const char *path, struct lg_error *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return lg_fail(err, errno, "%s: cannot open rules: %s", path, strerror(errno));
	ret = lg_rules_read(rules, f, path, err);
	fclose(f);
	return ret;
}
