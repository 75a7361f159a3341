/* Names of the tiers and what each means for an analysis; see tier.h. */
#include "lockgraph/contract/tier.h"

enum lg_tier lg_tier_of(uint8_t recorded)
{
	if (recorded & LG_RECORDED_LOCKDEP)
		return recorded & LG_RECORDED_ARGS ? LG_TIER_LOCKDEP_ARGS :
		       recorded & LG_RECORDED_KEYS ? LG_TIER_LOCKDEP_KEYS : LG_TIER_LOCKDEP;
	if (recorded & LG_RECORDED_CONTENTION)
		return LG_TIER_CONTENTION;
	if (recorded & LG_RECORDED_MMAP_LOCK)
		return LG_TIER_MMAP_LOCK;
	return LG_TIER_NONE;
}

const char *lg_tier_name(enum lg_tier tier)
{
	static const char *const names[] = {
		[LG_TIER_NONE] = "none",
		[LG_TIER_MMAP_LOCK] = "mmap_lock",
		[LG_TIER_CONTENTION] = "contention",
		[LG_TIER_LOCKDEP] = "lockdep",
		[LG_TIER_LOCKDEP_KEYS] = "lockdep+keys",
		[LG_TIER_LOCKDEP_ARGS] = "lockdep+args",
	};

	return names[tier];
}

const char *lg_tier_meaning(enum lg_tier tier)
{
	switch (tier) {
	case LG_TIER_LOCKDEP_ARGS:
		return "lockdep events with lock_acquire's arguments (and class keys if "
		       "recorded): subclasses (name/N), recursive reads, unvalidated maps "
		       "and recursive locking as lockdep judges them";
	case LG_TIER_LOCKDEP_KEYS:
		return "lockdep events with each map's class key: classes as lockdep keys "
		       "them (those sharing a name told apart as name#2...), no subclasses";
	case LG_TIER_LOCKDEP:
		return "lockdep events: classes by name, so two classes that share a name "
		       "are one class";
	case LG_TIER_CONTENTION:
		return "no lockdep: contention statistics and mmap_lock order only (a "
		       "CONFIG_PROVE_LOCKING kernel gives the dependency graph)";
	case LG_TIER_MMAP_LOCK:
		return "no lockdep and no lock:contention_*: mmap_lock order only";
	case LG_TIER_NONE:
		break;
	}
	return "no kernel lock events";
}
