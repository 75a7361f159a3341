/* The kernel's lockdep priming functions: code that takes locks or maps not to
 * protect anything but to teach lockdep an order ("training"), at boot, module
 * load, probe or object creation. record probes them; analyze marks what they
 * made as annotations. */
#ifndef LOCKGRAPH_PRIMING_H
#define LOCKGRAPH_PRIMING_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A function that primes. classes NULL: it does nothing else, so everything
 * it and its callees take is an annotation, and a probe on it says so.
 * Else it primes inside code that locks for real too: only those classes,
 * taken with its own call site (or through a priming helper called there).
 */
struct lg_priming {
	const char *function;
	const char *const *classes;
};

/* The entry of function name[0..len), or NULL. */
const struct lg_priming *lg_priming_find(const char *name, size_t len);

/* Does the entry prime class (a class name; a "/N" subclass suffix aside)? */
bool lg_priming_primes(const struct lg_priming *p, const char *class_name);

/* Is name[0..len) a helper that priming code calls to take a map for it
 * (fs_reclaim_acquire()): its acquisitions belong to its caller? */
bool lg_priming_helper(const char *name, size_t len);

/* The functions that do nothing but prime, NULL-terminated: --preset prime. */
extern const char *const lg_priming_probes[];

#endif
