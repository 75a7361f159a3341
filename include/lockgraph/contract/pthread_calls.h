/* The libc functions `lockgraph record --pthread` puts uprobes on, each an
 * event of the function's name (and NAME__return), and the lock call each
 * stands for when analyze reads them back. */
#ifndef LOCKGRAPH_PTHREAD_CALLS_H
#define LOCKGRAPH_PTHREAD_CALLS_H

#include <stdbool.h>
#include <stddef.h>

enum lg_pthread_call {
	LG_PT_MUTEX_LOCK,
	LG_PT_MUTEX_TRYLOCK,
	LG_PT_MUTEX_UNLOCK,
	LG_PT_RWLOCK_RDLOCK,
	LG_PT_RWLOCK_WRLOCK,
	LG_PT_RWLOCK_UNLOCK,
	LG_PT_COND_WAIT,	/* pthread_cond_wait, _timedwait, _clockwait */
};

/* NULL-terminated. */
struct lg_pthread_function {
	const char *name;
	enum lg_pthread_call call;
};
extern const struct lg_pthread_function lg_pthread_functions[];

/* The call probed by the event called name[0..len) (an entry's name), or -1. */
int lg_pthread_call(const char *name, size_t len);
/* Whether its result matters (an unlock's does not: no return probe). */
bool lg_pthread_call_returns(enum lg_pthread_call call);

#endif
