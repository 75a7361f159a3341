/* Kernel addresses of a trace.dat as lockdep prints them (%pS): the kallsyms
 * the file carries give "func+0x6c/0x9f"; an address in no symbol is
 * "0xffffffffa000a06c". Each address is looked up once and interned. */
#ifndef LOCKGRAPH_KERNEL_SITES_H
#define LOCKGRAPH_KERNEL_SITES_H

#include <stdbool.h>
#include <stdint.h>

#include "lockgraph/lib/strtab.h"
#include "lockgraph/lib/u64map.h"

struct tep_handle;

struct lg_kernel_sites {
	struct lg_strtab *names;
	struct lg_u64map by_ip;		/* address -> its interned name */
};

void lg_kernel_sites_init(struct lg_kernel_sites *ks, struct lg_strtab *names);
void lg_kernel_sites_release(struct lg_kernel_sites *ks);

/* The site of ip (lg_site_ref()), LG_SITE_UNKNOWN for 0, from tep's kallsyms. */
uint32_t lg_kernel_site(struct lg_kernel_sites *ks, struct tep_handle *tep, uint64_t ip);

/* Whether a frame of function func (NULL: unknown) at the top of a lock
 * event's stack is left out: the tracing machinery's own (the stacktrace
 * trigger's stacks begin with trace_event_raw_event_lock_acquire(), or, on
 * the lock_sync() kprobe, with the kprobe's handler: int3, or the optimized
 * probe's kprobe_optinsn_page, whose unwind also loses lock_sync()'s
 * caller) and lockdep's
 * entries, lock_acquire() and lock_sync(), which lockdep's saved traces
 * leave out. */
bool lg_stack_skips(const char *func);

#endif
