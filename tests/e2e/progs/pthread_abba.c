/* A userspace ABBA that never deadlocks: one thread takes a then b, and only
 * after it has finished another takes b then a. Also a reader-reader rwlock
 * nesting and a condition wait, which must not be reported. Prints the two
 * mutexes' addresses for the test to look for. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int ready;

static void *a_then_b(void *arg)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return arg;
}

static void *b_then_a(void *arg)
{
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return arg;
}

static void *readers(void *arg)
{
	pthread_rwlock_rdlock(&rw);
	pthread_rwlock_rdlock(&rw);	/* allowed: glibc's rwlocks prefer readers */
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&m);
	return arg;
}

static void run(void *(*fn)(void *))
{
	pthread_t t;

	pthread_create(&t, NULL, fn, NULL);
	pthread_join(t, NULL);
}

int main(void)
{
	pthread_t t;

	run(a_then_b);
	run(b_then_a);
	pthread_mutex_lock(&m);
	pthread_create(&t, NULL, readers, NULL);
	while (!ready)
		pthread_cond_wait(&cond, &m);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	printf("%p %p\n", (void *)&a, (void *)&b);
	return 0;
}
