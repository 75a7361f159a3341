/* Kernel call sites, symbolised with libtraceevent's copy of the file's
 * kallsyms (tep_find_function_info(), which gives the symbol's size as
 * lockdep's kallsyms_lookup_size_offset() does: up to the next symbol).
 * The library keeps the module of each symbol but does not say it, so the
 * " [mod]" of lockdep's %pS is left out. */
#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/kernel_sites.h"
#include "lockgraph/lib/util.h"

void lg_kernel_sites_init(struct lg_kernel_sites *ks, struct lg_strtab *names)
{
	ks->names = names;
	lg_u64map_init(&ks->by_ip);
}

void lg_kernel_sites_release(struct lg_kernel_sites *ks)
{
	lg_u64map_release(&ks->by_ip);
}

uint32_t lg_kernel_site(struct lg_kernel_sites *ks, struct tep_handle *tep, uint64_t ip)
{
	uint32_t name = lg_u64map_get(&ks->by_ip, ip);
	const char *func;
	unsigned long long start;
	unsigned long size;
	char buf[256];
	int len;

	if (!ip)
		return LG_SITE_UNKNOWN;
	if (name != LG_NONE)
		return lg_site_ref(name);
	if (tep && tep_find_function_info(tep, ip, &func, &start, &size) && func)
		len = snprintf(buf, sizeof(buf), "%s+0x%llx/0x%lx", func, ip - start, size);
	else
		len = snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ip);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	name = lg_strtab_intern(ks->names, buf, len);
	lg_u64map_put(&ks->by_ip, ip, name);
	return lg_site_ref(name);
}

bool lg_stack_skips(const char *func)
{
	static const char *const prefixes[] = { "trace_event_raw_event_", "__traceiter_",
						"trace_event_buffer_", "event_triggers_",
						"kprobe_", "__kprobe_", "exc_int3", "asm_exc_int3",
						"do_int3", "opt_pre_handler", "optimized_callback" };
	size_t len = func ? strcspn(func, "+") : 0;

	if ((len == 12 && !strncmp(func, "lock_acquire", len)) ||
	    (len == 9 && !strncmp(func, "lock_sync", len)))
		return true;
	for (size_t i = 0; func && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(func, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}
