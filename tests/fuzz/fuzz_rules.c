/* libFuzzer target: any bytes as a rules file over the built-in rules, then
 * every class the input names asked about. A crash, leak, hang or sanitizer
 * report is a bug; an error return for bad input is the expected outcome. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/input/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct lg_rules *rules;
	struct lg_error err;
	char name[64];

	if (!f)
		return 0;
	rules = lg_rules_new();
	if (!lg_rules_read(rules, f, "fuzz", &err)) {
		/* look up the input's first bytes as a class, to walk the list */
		snprintf(name, sizeof(name), "%.*s", (int)(size < 63 ? size : 63), data);
		lg_rules_novalidate(rules, name);
	}
	lg_rules_free(rules);
	fclose(f);
	return 0;
}
