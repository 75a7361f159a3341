/* The names lockgraph record gives its probes and their fields, and analyze
 * reads them by: one contract, kept here so that the writer and the reader
 * cannot drift apart. */
#ifndef LOCKGRAPH_PROBE_NAMES_H
#define LOCKGRAPH_PROBE_NAMES_H

/* Each recording's probes live in the system "lockgraph_<pid>". */
#define LG_PROBE_SYSTEM_PREFIX "lockgraph_"
/* A return probe is named after its entry probe with this appended. */
#define LG_PROBE_RETURN_SUFFIX "__return"

/*
 * The eprobe reading each lockdep map's class key, on lock:lock_acquire, and
 * the map's wait types and lock type. struct lockdep_map on 64-bit kernels
 * that have eprobes (5.15 on): key at 0, name at 24, wait_type_outer,
 * wait_type_inner, lock_type at 32, 33, 34.
 */
#define LG_PROBE_CLASS_KEY "lock_acquire_key"
#define LG_KEY_FIELD_KEY "key"
#define LG_KEY_FIELD_WAIT_OUTER "wo"
#define LG_KEY_FIELD_WAIT_INNER "wi"
#define LG_KEY_FIELD_LOCK_TYPE "lt"
#define LG_PROBE_CLASS_KEY_ARGS							\
	LG_KEY_FIELD_KEY "=+0($lockdep_addr):x64 "				\
	LG_KEY_FIELD_WAIT_OUTER "=+32($lockdep_addr):u8 "			\
	LG_KEY_FIELD_WAIT_INNER "=+33($lockdep_addr):u8 "			\
	LG_KEY_FIELD_LOCK_TYPE "=+34($lockdep_addr):u8"

/* The tracepoint probe reading lock_acquire()'s arguments: lock, subclass,
 * trylock, read, check, nest_lock, ip. record sets it after enabling
 * lock:lock_acquire, so that its callback runs after the event's: each
 * acquisition's event, then its key, then its arguments, on one CPU in one
 * irq context (input/class_keys.h pairs them so). */
#define LG_PROBE_ACQUIRE_ARGS "lock_acquire_args"
#define LG_ARGS_FIELD_LOCK "lock"
#define LG_ARGS_FIELD_SUBCLASS "subclass"
#define LG_ARGS_FIELD_READ "read"
#define LG_ARGS_FIELD_CHECK "check"
#define LG_ARGS_FIELD_NEST "nest"
#define LG_ARGS_FIELD_IP "ip"		/* the caller lockdep prints after "at:" */
#define LG_PROBE_ACQUIRE_ARGS_ARGS						\
	LG_ARGS_FIELD_LOCK "=$arg1 " LG_ARGS_FIELD_SUBCLASS "=$arg2:u32 "	\
	"trylock=$arg3:s32 " LG_ARGS_FIELD_READ "=$arg4:s32 "			\
	LG_ARGS_FIELD_CHECK "=$arg5:s32 " LG_ARGS_FIELD_NEST "=$arg6 " LG_ARGS_FIELD_IP "=$arg7:symbol"

/*
 * kprobes on the lockdep calls that emit no tracepoint (lockdep.c has no
 * ftrace hooks, but int3 kprobes go on it): lock_sync(map, subclass, read,
 * check, nest, ip), which synchronize_srcu() calls since 6.4, validates an
 * acquisition of map that is never held; lock_set_class(map, name, key, subclass, ip), also
 * lock_set_subclass()'s, gives a held lock a new class. The map's key is at
 * 0 and its name at 24, as for LG_PROBE_CLASS_KEY.
 */
#define LG_PROBE_LOCK_SYNC "lock_sync"
#define LG_PROBE_SET_CLASS "lock_set_class"
#define LG_CALL_FIELD_MAP "map"
#define LG_CALL_FIELD_NAME "name"
#define LG_CALL_FIELD_KEY "key"
#define LG_CALL_FIELD_SUBCLASS "subclass"
#define LG_CALL_FIELD_READ "read"
#define LG_PROBE_LOCK_SYNC_ARGS							\
	LG_CALL_FIELD_MAP "=$arg1:x64 " LG_CALL_FIELD_SUBCLASS "=$arg2:u32 "	\
	LG_CALL_FIELD_READ "=$arg3:s32 " LG_CALL_FIELD_KEY "=+0($arg1):x64 "	\
	LG_CALL_FIELD_NAME "=+0(+24($arg1)):string " LG_ARGS_FIELD_IP "=$arg6:symbol"
#define LG_PROBE_SET_CLASS_ARGS							\
	LG_CALL_FIELD_MAP "=$arg1:x64 " LG_CALL_FIELD_NAME "=+0($arg2):string "	\
	LG_CALL_FIELD_KEY "=$arg3:x64 " LG_CALL_FIELD_SUBCLASS "=$arg4:u32"

/* The --pthread uprobes (see pthread_calls.h): an entry records the lock, a
 * return the call's result. */
#define LG_PTHREAD_FIELD_LOCK "lock"
#define LG_PTHREAD_FIELD_RET "ret"

#endif
