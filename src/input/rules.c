/* The novalidate list, the primed dependencies and the rules-file parser.
 * Format (analyze(1) RULES FILES): one directive a line, "novalidate CLASS",
 * "validate CLASS" or "prime CLASS -> CLASS [-> CLASS]...", and comments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	struct lg_prime *primes;
	unsigned nr_primes, alloc_primes;
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
	for (unsigned i = 0; i < rules->nr_primes; i++) {
		for (unsigned c = 0; c < rules->primes[i].nr; c++)
			free(rules->primes[i].classes[c]);
		free(rules->primes[i].classes);
		free(rules->primes[i].where);
	}
	free(rules->primes);
	free(rules);
}

unsigned lg_rules_nr_primes(const struct lg_rules *rules)
{
	return rules->nr_primes;
}

const struct lg_prime *lg_rules_prime(const struct lg_rules *rules, unsigned i)
{
	return &rules->primes[i];
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

/* A comment begins with a '#' at the start of the line or after blanks: a
 * class name may hold one ("&x->lock#2", "kn->active#4"). */
static void cut_comment(char *line)
{
	for (char *p = line; *p; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

#define PRIME_SYNTAX "\"prime CLASS -> CLASS [-> CLASS]...\""

/* "A -> B -> C": class names between arrows, each arrow a word of its own
 * (a class name holds "->" often: &adev->notifier_lock). */
static int add_prime(struct lg_rules *rules, char *chain, const char *path,
		     unsigned long lineno, struct lg_error *err)
{
	struct lg_prime prime = { 0 };
	unsigned alloc = 0;
	bool want_class = true;
	char *save, *word;
	int ret = 0;

	for (word = strtok_r(chain, " \t", &save); word && !ret;
	     word = strtok_r(NULL, " \t", &save)) {
		bool arrow = !strcmp(word, "->");

		if (arrow == want_class) {
			ret = lg_fail(err, EINVAL, "%s:%lu: expected %s, found %s \"%s\"", path,
				      lineno, want_class ? "a class" : "\"->\"",
				      arrow ? "an arrow" : "another class", word);
			break;
		}
		want_class = arrow;
		if (arrow)
			continue;
		LG_GROW(prime.classes, prime.nr, alloc);
		prime.classes[prime.nr++] = lg_xstrdup(word);
	}
	if (!ret && (want_class || prime.nr < 2))
		ret = lg_fail(err, EINVAL, "%s:%lu: expected %s: %s", path, lineno, PRIME_SYNTAX,
			      want_class && prime.nr ? "the chain ends with an arrow" :
			      "a chain of two classes at least");
	if (ret) {
		for (unsigned c = 0; c < prime.nr; c++)
			free(prime.classes[c]);
		free(prime.classes);
		return ret;
	}
	if (asprintf(&prime.where, "%s:%lu", path, lineno) < 0)
		abort();
	LG_GROW(rules->primes, rules->nr_primes, rules->alloc_primes);
	rules->primes[rules->nr_primes++] = prime;
	return 0;
}

static int apply_line(struct lg_rules *rules, char *line, const char *path,
		      unsigned long lineno, struct lg_error *err)
{
	char *word, *arg;

	cut_comment(line);
	line = trim(line);
	if (!*line)
		return 0;
	word = line;
	arg = line + strcspn(line, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	if (!strcmp(word, "prime"))
		return add_prime(rules, arg, path, lineno, err);
	if (!*arg || (strcmp(word, "novalidate") && strcmp(word, "validate")))
		return lg_fail(err, EINVAL, "%s:%lu: expected \"novalidate CLASS\", "
			       "\"validate CLASS\" or %s", path, lineno, PRIME_SYNTAX);
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

/* A shipped rules file NAME: in $LOCKGRAPH_RULES_DIR if set, else beside the
 * binary (a build tree's rules/) or installed. */
static char *shipped(const char *name)
{
	char exe[4096], *path, *slash;
	const char *dir = getenv("LOCKGRAPH_RULES_DIR");
	ssize_t len;

	if (strchr(name, '/') || !*name)
		return NULL;
	if (dir) {
		if (asprintf(&path, "%s/%s", dir, name) < 0)
			abort();
		if (!access(path, R_OK))
			return path;
		free(path);
		return NULL;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		if (asprintf(&path, "%s/rules/%s", exe, name) < 0)
			abort();
		if (!access(path, R_OK))
			return path;
		free(path);
	}
	if (asprintf(&path, "%s/%s", LG_RULES_DIR, name) < 0)
		abort();
	if (!access(path, R_OK))
		return path;
	free(path);
	return NULL;
}

int lg_rules_load(struct lg_rules *rules, const char *name, struct lg_error *err)
{
	char *found = shipped(name), *shown = NULL;
	FILE *f = fopen(found ? found : name, "r");
	int ret;

	/* a shipped file is "rules/NAME" wherever it is installed: what reports
	 * name as a primed dependency's origin stays the same on every machine */
	if (found && asprintf(&shown, "rules/%s", name) < 0)
		abort();
	if (!f)
		ret = lg_fail(err, errno, "%s: cannot open rules: %s", found ? found : name,
			      strerror(errno));
	else
		ret = lg_rules_read(rules, f, shown ? shown : name, err);
	if (f)
		fclose(f);
	free(found);
	free(shown);
	return ret;
}
