/* Small formatting helpers both reporters share, so text and JSON agree. */
#include <inttypes.h>

#include "lockgraph/report/report.h"

uint64_t lg_report_events(const struct lg_report *rep)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < rep->nr_inputs; i++)
		n += rep->inputs[i].stats.events;
	return n;
}

void lg_format_time(uint64_t ns, char *buf, size_t size)
{
	if (ns % 1000 == 0)
		snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, ns / 1000000000, ns % 1000000000 / 1000);
	else
		snprintf(buf, size, "%" PRIu64 ".%09" PRIu64, ns / 1000000000, ns % 1000000000);
}

const char *lg_irq_state_name(uint8_t bit)
{
	static const char *const names[] = { "HARDIRQ", "HARDIRQ-READ", "SOFTIRQ",
					     "SOFTIRQ-READ" };

	return names[(bit & LG_USAGE_SOFTIRQ ? 2 : 0) + (bit & LG_USAGE_READ ? 1 : 0)];
}

const char *lg_dep_type_name(uint8_t bit)
{
	switch (bit) {
	case LG_DEP_SR: return "SR";
	case LG_DEP_ER: return "ER";
	case LG_DEP_SN: return "SN";
	default: return "EN";
	}
}
