/* The priming functions lockgraph knows, each read in the kernel sources it
 * cites (Debian's 6.1.192 and 6.12.118, and mainline where it says so). */
#include <string.h>

#include "lockgraph/contract/priming.h"

static const char *const vma_create_classes[] = {
	"fs_reclaim", "mmu_notifier_invalidate_range_start", "i915_active", NULL
};
static const char *const address_space_init_classes[] = {
	"&vm->mutex", "fs_reclaim", "mmu_notifier_invalidate_range_start", NULL
};
static const char *const mode_config_init_classes[] = {
	"crtc_ww_class_acquire", "crtc_ww_class_mutex", "&mm->mmap_lock",
	"reservation_ww_class_acquire", "reservation_ww_class_mutex", NULL
};
static const char *const xe_migrate_init_classes[] = {
	"fs_reclaim", "mmu_notifier_invalidate_range_start", "&m->job_mutex", NULL
};
static const char *const gpusvm_init_classes[] = {
	"fs_reclaim", "mmu_notifier_invalidate_range_start", "&gpusvm->notifier_lock", NULL
};

static const struct lg_priming primings[] = {
	/* drivers/dma-buf/dma-resv.c dma_resv_lockdep(), a subsys_initcall (6.1,
	 * 6.12, mainline): on a dummy mm, resv and mapping, &mm->mmap_lock (read),
	 * reservation_ww_class_acquire and _mutex, fs_reclaim,
	 * &mapping->i_mmap_rwsem, mmu_notifier_invalidate_range_start, dma_fence_map */
	{ "dma_resv_lockdep", NULL },
	/* drivers/gpu/drm/drm_mode_config.c drmm_mode_config_init() (6.1, 6.12):
	 * at each KMS probe, under IS_ENABLED(CONFIG_LOCKDEP), crtc_ww_class's
	 * connection_mutex, then (6.12: might_fault()'s mmap_lock) a dummy resv */
	{ "drmm_mode_config_init", mode_config_init_classes },
	/* drivers/gpu/drm/i915/gem/i915_gem_shrinker.c
	 * i915_gem_shrinker_taints_mutex() (6.1, 6.12): fs_reclaim, then the mutex
	 * (&gt->reset.mutex from intel_gt_init_reset(), &vm->mutex from
	 * i915_address_space_init()) */
	{ "i915_gem_shrinker_taints_mutex", NULL },
	/* drivers/gpu/drm/i915/gt/intel_gtt.c i915_address_space_init() (6.1,
	 * 6.12): where intel_vm_no_concurrent_access_wa() holds, the reverse,
	 * &vm->mutex then might_alloc()'s fs_reclaim */
	{ "i915_address_space_init", address_space_init_classes },
	/* drivers/gpu/drm/i915/i915_vma.c vma_create() (6.1, 6.12): "Declare
	 * ourselves safe for use inside shrinkers", fs_reclaim then might_lock()
	 * of the vma's i915_active mutex */
	{ "vma_create", vma_create_classes },
	/* drivers/gpu/drm/xe/xe_pm.c xe_pm_runtime_lockdep_prime() (6.12,
	 * mainline), from xe_pm_module_init(): xe_rpm_d3cold_map then a dummy
	 * resv's reservation_ww_class_mutex; fs_reclaim then xe_rpm_nod3cold_map */
	{ "xe_pm_runtime_lockdep_prime", NULL },
	/* drivers/gpu/drm/xe/xe_guc_submit.c, xe_ggtt.c, xe_guc_ct.c: a static
	 * primelockdep() each (6.12), at probe: fs_reclaim, then
	 * &guc->submission_state.lock, &ggtt->lock, &ct->lock */
	{ "primelockdep", NULL },
	/* drivers/gpu/drm/xe/xe_migrate.c xe_migrate_init() (6.12): fs_reclaim,
	 * then might_lock(&m->job_mutex) */
	{ "xe_migrate_init", xe_migrate_init_classes },
	/* drivers/gpu/drm/drm_gpusvm.c drm_gpusvm_init() (mainline only): fs_reclaim,
	 * then might_lock(&gpusvm->notifier_lock) */
	{ "drm_gpusvm_init", gpusvm_init_classes },
	/* drivers/gpu/drm/amd/amdgpu/amdgpu_lockdep.c amdgpu_lockdep_init()
	 * (mainline since commit 1d0f5838b126; not in 6.1 or 6.12), from
	 * amdgpu_init(): a chain of dummy locks from &amdgpu_userq_sch_mutex_key
	 * down to &amdgpu_mmio_lock_key; as first added, with fs_reclaim below
	 * the notifier lock (seed 000's false cycle), since reordered */
	{ "amdgpu_lockdep_init", NULL },
};

/* mm/page_alloc.c fs_reclaim_acquire() (6.1, 6.12) takes fs_reclaim and,
 * inside it, the notifier map; dma-fence.c __dma_fence_might_wait() takes
 * dma_fence_map. Called from priming code, what they take is its. */
static const char *const helpers[] = {
	"fs_reclaim_acquire", "__fs_reclaim_acquire", "__dma_fence_might_wait", NULL
};

/* not primelockdep(): three static functions share the name, which a kprobe
 * by symbol refuses (its call sites still tell) */
const char *const lg_priming_probes[] = {
	"dma_resv_lockdep", "i915_gem_shrinker_taints_mutex", "xe_pm_runtime_lockdep_prime",
	"amdgpu_lockdep_init", NULL
};

static bool same(const char *known, const char *name, size_t len)
{
	return strlen(known) == len && !memcmp(known, name, len);
}

const struct lg_priming *lg_priming_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(primings) / sizeof(primings[0]); i++)
		if (same(primings[i].function, name, len))
			return &primings[i];
	return NULL;
}

bool lg_priming_primes(const struct lg_priming *p, const char *class_name)
{
	size_t len = strlen(class_name);
	const char *slash = strrchr(class_name, '/');

	if (slash && slash[1] && strspn(slash + 1, "0123456789") == strlen(slash + 1))
		len = slash - class_name;	/* "&vm->mutex/1": its subclass aside */
	if (!p->classes)
		return true;
	for (int i = 0; p->classes[i]; i++)
		if (same(p->classes[i], class_name, len))
			return true;
	return false;
}

bool lg_priming_helper(const char *name, size_t len)
{
	for (int i = 0; helpers[i]; i++)
		if (same(helpers[i], name, len))
			return true;
	return false;
}
