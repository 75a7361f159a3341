/* The names lockgraph record gives its probes and analyze reads them by: one
 * contract, kept here so that the writer and the reader cannot drift apart. */
#ifndef LOCKGRAPH_PROBE_NAMES_H
#define LOCKGRAPH_PROBE_NAMES_H

/* Each recording's probes live in the system "lockgraph_<pid>". */
#define LG_PROBE_SYSTEM_PREFIX "lockgraph_"
/* A return probe is named after its entry probe with this appended. */
#define LG_PROBE_RETURN_SUFFIX "__return"
/* The eprobe reading each lockdep map's class key, on lock:lock_acquire. */
#define LG_PROBE_CLASS_KEY "lock_acquire_key"
/* The tracepoint probe reading lock_acquire()'s arguments. */
#define LG_PROBE_ACQUIRE_ARGS "lock_acquire_args"

#endif
