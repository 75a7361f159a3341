/* The banner every text finding opens with, lockdep's: its title between
 * rules, the kernel and trace clock, the id and one-line title. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lockgraph/report/report.h"

/* print_kernel_ident(): "6.12.117 #3", as far as the input of the finding
 * says (a trace.dat has the release, and the version only if its writer put
 * it in UNAME; a text trace has neither), then the trace clock of its times. */
static void print_kernel_ident(const struct lg_report *rep, FILE *out)
{
	const struct lg_input_origin *o =
		&rep->inputs[lg_report_finding_input(rep, rep->finding)].stats.origin;

	if (!*o->release && !*o->clock) {
		fprintf(out, "kernel release and trace clock not recorded\n");
		return;
	}
	fprintf(out, "%s", *o->release ? o->release : "kernel release not recorded");
	if (*o->version)
		fprintf(out, " %.*s", (int)strcspn(o->version, " "), o->version);
	fprintf(out, *o->clock ? ", trace clock %s\n" : ", trace clock not recorded\n", o->clock);
}

void lg_report_text_banner(const struct lg_report *rep, FILE *out, const char *title, int width,
			   const char *id, uint64_t count)
{
	static const char equals[] = "================================================"
				     "================================";
	static const char dashes[] = "------------------------------------------------"
				     "--------------------------------";
	int n = width ? width : (int)strlen(title);

	char line[640];

	fprintf(out, "\n%.*s\n%s\n", n, equals, title);
	print_kernel_ident(rep, out);
	fprintf(out, "lockgraph %s: %s", id, lg_report_title(rep, rep->finding, line, sizeof(line)));
	if (count)
		fprintf(out, ", seen %" PRIu64 " time%s", count, count == 1 ? "" : "s");
	fprintf(out, "\n%.*s\n", n, dashes);
}
