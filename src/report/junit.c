/* JUnit XML, the test report GitLab and Jenkins show: a testsuite per input,
 * with the attributes Jenkins's JUnit schema requires; a testcase per finding
 * (classname "lockgraph.KIND", name "ID: TITLE", so that dashboards track one
 * bug across runs), failed with the finding's text report; a skipped one per
 * finding --baseline or --suppress hid; a passing one for an input without
 * findings. A finding is in the input of its closing acquisition. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/utf8.h"
#include "lockgraph/lib/util.h"
#include "lockgraph/report/report.h"

/* Text or an attribute value: escaped, and '?' for what XML cannot hold
 * (traces are not guaranteed UTF-8; control characters). */
static void xml_text(FILE *out, const char *text, size_t size)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < size;) {
		size_t len = lg_utf8_char(text + i, size - i);

		if (!len || (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r'))
			fputc('?', out);
		else if (s[i] == '&')
			fputs("&amp;", out);
		else if (s[i] == '<')
			fputs("&lt;", out);
		else if (s[i] == '>')
			fputs("&gt;", out);
		else if (s[i] == '"')
			fputs("&quot;", out);
		else
			fwrite(s + i, 1, len, out);
		i += len ? len : 1;
	}
}

static void xml_str(FILE *out, const char *s)
{
	xml_text(out, s, strlen(s));
}

/* The findings, hidden ones and failures of each input. */
struct suite {
	uint32_t tests, failures, skipped;
};

static struct suite *count(const struct lg_report *rep)
{
	struct suite *suites = lg_xcalloc(rep->nr_inputs + 1, sizeof(*suites));
	const struct lg_suppressions *s = rep->suppressions;

	for (uint32_t i = 0; i < rep->findings->nr; i++) {
		const struct lg_finding *f = &rep->findings->v[i];
		struct suite *in = &suites[lg_report_finding_input(rep, f)];

		in->tests++;
		in->failures += lg_report_fails(rep, f);
	}
	for (uint32_t i = 0; s && i < s->nr_hidden; i++) {
		suites[s->hidden[i].input].tests++;
		suites[s->hidden[i].input].skipped++;
	}
	return suites;
}

static void testcase_open(FILE *out, const char *kind, const char *id, const char *title)
{
	fprintf(out, "    <testcase classname=\"lockgraph.%s\" name=\"", kind);
	xml_str(out, id);
	fputs(": ", out);
	xml_str(out, title);
	fputs("\">\n", out);
}

/* The finding's text report, failed or (a kind --fail-on leaves out) as
 * output of a passing case. */
static void finding_case(const struct lg_report *rep, FILE *out, const struct lg_finding *f)
{
	const char *kind = lg_finding_kind_name(f->kind);
	bool fails = lg_report_fails(rep, f);
	char title[640], *text = NULL;
	size_t size = 0;
	FILE *mem = lg_xmemstream(&text, &size);

	lg_report_text_finding(rep, f, mem);
	fclose(mem);
	lg_report_title(rep, f, title, sizeof(title));
	testcase_open(out, kind, f->id, title);
	if (fails) {
		fprintf(out, "      <failure type=\"%s\" message=\"", kind);
		xml_str(out, title);
		fputs("\">", out);
	} else {
		fputs("      <system-out>", out);
	}
	xml_text(out, text, size);
	fputs(fails ? "</failure>\n" : "</system-out>\n", out);
	fputs("    </testcase>\n", out);
	free(text);
}

static void hidden_case(const struct lg_suppressions *s, FILE *out, const struct lg_hidden *h)
{
	const struct lg_suppression *by = &s->v[h->by];

	testcase_open(out, "known", h->id, h->title);
	fputs("      <skipped message=\"", out);
	xml_str(out, by->where);
	fputs(": ", out);
	xml_str(out, by->reason);
	fputs("\"/>\n    </testcase>\n", out);
}

/* The warnings about the input ("PATH: ..."), and for the first input those
 * about none (the rules'). */
static void warnings(const struct lg_report *rep, FILE *out, uint32_t input)
{
	bool any = false;

	for (uint32_t w = 0; w < rep->nr_warnings; w++) {
		const char *text = rep->warnings[w];
		uint32_t about = LG_NONE;

		for (uint32_t i = 0; i < rep->nr_inputs && about == LG_NONE; i++) {
			size_t len = strlen(rep->inputs[i].path);

			if (!strncmp(text, rep->inputs[i].path, len) && !strncmp(text + len, ": ", 2))
				about = i;
		}
		if (about != input && !(about == LG_NONE && input == 0))
			continue;
		fputs(any ? "\n" : "    <system-err>", out);
		xml_str(out, "warning: ");
		xml_str(out, text);
		any = true;
	}
	if (any)
		fputs("</system-err>\n", out);
}

static void suite(const struct lg_report *rep, FILE *out, uint32_t input, const struct suite *n)
{
	const struct lg_input *in = &rep->inputs[input];
	const struct lg_suppressions *s = rep->suppressions;
	bool clean = n->tests == n->skipped;

	fputs("  <testsuite name=\"", out);
	xml_str(out, in->path);
	fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n",
		n->tests + clean, n->failures, n->skipped);
	fprintf(out, "    <properties>\n"
		"      <property name=\"format\" value=\"%s\"/>\n"
		"      <property name=\"tier\" value=\"%s\"/>\n"
		"      <property name=\"events\" value=\"%" PRIu64 "\"/>\n"
		"      <property name=\"lost\" value=\"%" PRIu64 "\"/>\n"
		"    </properties>\n",
		in->format, lg_tier_name(in->tier), in->stats.events, in->stats.lost);
	for (uint32_t i = 0; i < rep->findings->nr; i++)
		if (lg_report_finding_input(rep, &rep->findings->v[i]) == input)
			finding_case(rep, out, &rep->findings->v[i]);
	for (uint32_t i = 0; s && i < s->nr_hidden; i++)
		if (s->hidden[i].input == input)
			hidden_case(s, out, &s->hidden[i]);
	if (clean)
		fputs("    <testcase classname=\"lockgraph\" name=\"no lock-order problems\"/>\n",
		      out);
	warnings(rep, out, input);
	fputs("  </testsuite>\n", out);
}

int lg_report_junit(const struct lg_report *rep, FILE *out)
{
	struct suite *suites = count(rep), all = { 0 };

	for (uint32_t i = 0; i < rep->nr_inputs; i++) {
		all.tests += suites[i].tests + (suites[i].tests == suites[i].skipped);
		all.failures += suites[i].failures;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"lockgraph\" tests=\"%u\" failures=\"%u\" errors=\"0\">\n",
		all.tests, all.failures);
	for (uint32_t i = 0; i < rep->nr_inputs; i++)
		suite(rep, out, i, &suites[i]);
	fputs("</testsuites>\n", out);
	free(suites);
	return ferror(out) ? -1 : 0;
}
