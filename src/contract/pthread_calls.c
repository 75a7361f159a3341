/* The probed pthread functions and the calls they stand for; see pthread_calls.h. */
#include <string.h>

#include "lockgraph/contract/pthread_calls.h"

const struct lg_pthread_function lg_pthread_functions[] = {
	{ "pthread_mutex_lock", LG_PT_MUTEX_LOCK },
	{ "pthread_mutex_trylock", LG_PT_MUTEX_TRYLOCK },
	{ "pthread_mutex_unlock", LG_PT_MUTEX_UNLOCK },
	{ "pthread_rwlock_rdlock", LG_PT_RWLOCK_RDLOCK },
	{ "pthread_rwlock_wrlock", LG_PT_RWLOCK_WRLOCK },
	{ "pthread_rwlock_unlock", LG_PT_RWLOCK_UNLOCK },
	{ "pthread_cond_wait", LG_PT_COND_WAIT },
	{ "pthread_cond_timedwait", LG_PT_COND_WAIT },
	{ "pthread_cond_clockwait", LG_PT_COND_WAIT },
	{ NULL, 0 }
};

int lg_pthread_call(const char *name, size_t len)
{
	for (const struct lg_pthread_function *f = lg_pthread_functions; f->name; f++)
		if (strlen(f->name) == len && !memcmp(f->name, name, len))
			return f->call;
	return -1;
}

bool lg_pthread_call_returns(enum lg_pthread_call call)
{
	return call != LG_PT_MUTEX_UNLOCK && call != LG_PT_RWLOCK_UNLOCK;
}
