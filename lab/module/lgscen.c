// SPDX-License-Identifier: GPL-2.0
/*
 * lockgraph lab scenarios: the locking of the seed reports, reproduced with
 * the real kernel primitives by a small fake driver, run when the module is
 * loaded: insmod lgscen.ko scenario=NAME. Each leaves lockdep to judge.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/workqueue.h>
#include <linux/cpu.h>
#include <linux/mmap_lock.h>
#include <linux/dma-fence.h>
#include <linux/irq_work.h>

static char *scenario = "abba";
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario, "abba, two-inversions, amdgpu-training, nouveau-svm, xe-drain "
		 "i915-wq-alloc, dma-fence-irq, fence-cb-mutex, nested-annotated or "
		 "nested-unannotated");

/* --- abba: the plainest inversion, one task, one after the other */
static DEFINE_MUTEX(lg_a);
static DEFINE_MUTEX(lg_b);

static void nest(struct mutex *outer, struct mutex *inner)
{
	mutex_lock(outer);
	mutex_lock(inner);
	mutex_unlock(inner);
	mutex_unlock(outer);
}

static int abba(void)
{
	nest(&lg_a, &lg_b);
	nest(&lg_b, &lg_a);
	return 0;
}

/* --- two-inversions: lockdep reports the first and switches itself off */
static DEFINE_MUTEX(lg_c);
static DEFINE_MUTEX(lg_d);
static DEFINE_MUTEX(lg_e);
static DEFINE_MUTEX(lg_f);

static int two_inversions(void)
{
	nest(&lg_c, &lg_d);
	nest(&lg_e, &lg_f);
	nest(&lg_d, &lg_c);
	nest(&lg_f, &lg_e);
	return 0;
}

#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
/*
 * A page of the loading process's memory under an interval notifier: inserting
 * it primes lockdep with fs_reclaim -> mmu_notifier_invalidate_range_start,
 * unmapping it calls ops->invalidate under that map.
 */
static int notified_page(struct mmu_interval_notifier *mni,
			 const struct mmu_interval_notifier_ops *ops, unsigned long *addr)
{
	*addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(*addr))
		return *addr;
	return mmu_interval_notifier_insert(mni, current->mm, *addr, PAGE_SIZE, ops);
}

/*
 * --- nouveau-svm (seed 001): an interval notifier on a user range whose
 * invalidate callback takes svmm->mutex then vmm->mutex, and a GFP_KERNEL
 * allocation under vmm->mutex. Registering the notifier primes lockdep with
 * fs_reclaim -> mmu_notifier_invalidate_range_start; unmapping the range
 * invalidates it under that map: the cycle of the seed report.
 */
struct fake_vmm {
	struct mutex mutex;
};

struct fake_svmm {
	struct mutex mutex;
	struct fake_vmm *vmm;
	struct mmu_interval_notifier notifier;
};

static bool svmm_invalidate(struct mmu_interval_notifier *mni,
			    const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct fake_svmm *svmm = container_of(mni, struct fake_svmm, notifier);

	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&svmm->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_lock(&svmm->vmm->mutex);
	mutex_unlock(&svmm->vmm->mutex);
	mutex_unlock(&svmm->mutex);
	return true;
}

static const struct mmu_interval_notifier_ops svmm_ops = {
	.invalidate = svmm_invalidate,
};

static int nouveau_svm(void)
{
	struct fake_vmm *vmm = kzalloc(sizeof(*vmm), GFP_KERNEL);
	struct fake_svmm *svmm = kzalloc(sizeof(*svmm), GFP_KERNEL);
	unsigned long addr;
	void *page;
	int ret = -ENOMEM;

	if (!vmm || !svmm)
		goto out;
	mutex_init(&vmm->mutex);
	mutex_init(&svmm->mutex);
	svmm->vmm = vmm;
	ret = notified_page(&svmm->notifier, &svmm_ops, &addr);
	if (ret)
		goto out;
	/* a page table allocation under the VMM lock, as nouveau does */
	mutex_lock(&vmm->mutex);
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	mutex_unlock(&vmm->mutex);
	kfree(page);
	vm_munmap(addr, PAGE_SIZE);
	mmu_interval_notifier_remove(&svmm->notifier);
	ret = 0;
out:
	kfree(svmm);
	kfree(vmm);
	return ret;
}

/*
 * --- amdgpu-training (seed 000): amdgpu_lockdep_init() enters fs_reclaim
 * holding the notifier lock to teach lockdep that order; the HMM invalidate
 * callback takes the notifier lock, under the notifier map, inside reclaim.
 */
struct fake_adev {
	struct mutex notifier_lock;
	struct mmu_interval_notifier notifier;
};

static bool hmm_invalidate_gfx(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct fake_adev *adev = container_of(mni, struct fake_adev, notifier);

	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&adev->notifier_lock);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&adev->notifier_lock);
	return true;
}

static const struct mmu_interval_notifier_ops hmm_gfx_ops = {
	.invalidate = hmm_invalidate_gfx,
};

static int amdgpu_training(void)
{
	struct fake_adev *adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	unsigned long addr;
	int ret;

	if (!adev)
		return -ENOMEM;
	mutex_init(&adev->notifier_lock);
	/* amdgpu_lockdep_init() */
	mutex_lock(&adev->notifier_lock);
	fs_reclaim_acquire(GFP_KERNEL);
	fs_reclaim_release(GFP_KERNEL);
	mutex_unlock(&adev->notifier_lock);
	ret = notified_page(&adev->notifier, &hmm_gfx_ops, &addr);
	if (!ret) {
		vm_munmap(addr, PAGE_SIZE);
		mmu_interval_notifier_remove(&adev->notifier);
	}
	kfree(adev);
	return ret;
}

#endif

/*
 * --- xe-drain (seed 002): drain_workqueue() under vm->lock while the
 * workqueue's work takes vm->lock. The work runs to completion first and the
 * drain finds the queue empty, so nothing deadlocks; lockdep's workqueue maps
 * see the order all the same.
 */
struct fake_vm {
	struct mutex lock;
	struct work_struct work;
};

static void vm_work(struct work_struct *work)
{
	struct fake_vm *vm = container_of(work, struct fake_vm, work);

	mutex_lock(&vm->lock);
	mutex_unlock(&vm->lock);
}

static int xe_drain(void)
{
	struct workqueue_struct *wq = alloc_workqueue("xe-fake-vm", 0, 0);
	struct fake_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!wq || !vm) {
		kfree(vm);
		if (wq)
			destroy_workqueue(wq);
		return -ENOMEM;
	}
	mutex_init(&vm->lock);
	INIT_WORK(&vm->work, vm_work);
	queue_work(wq, &vm->work);
	flush_work(&vm->work);
	mutex_lock(&vm->lock);
	drain_workqueue(wq);
	mutex_unlock(&vm->lock);
	destroy_workqueue(wq);
	kfree(vm);
	return 0;
}

/*
 * --- i915-wq-alloc (seed 004): a userptr path allocates an unbound workqueue
 * (which takes cpu_hotplug_lock) under mmap_lock and dev_priv->mm_lock, while
 * elsewhere mmap_lock is taken under cpu_hotplug_lock (the seed's cgroup and
 * cpuset path, here taken directly).
 */
struct fake_i915 {
	struct mutex mm_lock;
};

static int i915_wq_alloc(void)
{
	struct fake_i915 *dev_priv = kzalloc(sizeof(*dev_priv), GFP_KERNEL);
	struct workqueue_struct *wq;

	if (!dev_priv)
		return -ENOMEM;
	mutex_init(&dev_priv->mm_lock);
	cpus_read_lock();
	mmap_read_lock(current->mm);
	mmap_read_unlock(current->mm);
	cpus_read_unlock();
	mmap_read_lock(current->mm);
	mutex_lock(&dev_priv->mm_lock);
	wq = alloc_workqueue("i915-userptr-acquire", WQ_HIGHPRI | WQ_UNBOUND, 0);
	mutex_unlock(&dev_priv->mm_lock);
	mmap_read_unlock(current->mm);
	if (wq)
		destroy_workqueue(wq);
	kfree(dev_priv);
	return 0;
}

/*
 * --- dma-fence-irq (seed 003): a fence signalled from hardirq context (an
 * irq_work, as a GPU's interrupt handler would), whose lock the driver also
 * takes with interrupts enabled: lockdep's "inconsistent lock state".
 */
static DEFINE_SPINLOCK(fence_lock);

static const char *fence_name(struct dma_fence *fence)
{
	return "lgscen";
}

static const struct dma_fence_ops fence_ops = {
	.get_driver_name = fence_name,
	.get_timeline_name = fence_name,
};

static struct dma_fence fence;

static void signal_fence(struct irq_work *work)
{
	dma_fence_signal(&fence);
}

static int dma_fence_irq(void)
{
	struct irq_work work = IRQ_WORK_INIT_HARD(signal_fence);

	dma_fence_init(&fence, &fence_ops, &fence_lock, dma_fence_context_alloc(1), 1);
	spin_lock(&fence_lock);		/* interrupts on: HARDIRQ-ON-W */
	spin_unlock(&fence_lock);
	irq_work_queue(&work);		/* then IN-HARDIRQ-W */
	irq_work_sync(&work);
	return 0;	/* the fence is static: no put, the module stays */
}

/*
 * --- fence-cb-mutex: a fence callback that takes the driver's mutex.
 * dma_fence_signal() runs callbacks under the fence's spinlock, where no
 * mutex may be taken: lockdep's "Invalid wait context" (a {3:3} lock under a
 * {2:2} one; DEBUG_ATOMIC_SLEEP complains first).
 */
static DEFINE_SPINLOCK(cb_fence_lock);
static DEFINE_MUTEX(lg_job_mutex);
static struct dma_fence cb_fence;
static struct dma_fence_cb cb;

static void job_done(struct dma_fence *f, struct dma_fence_cb *unused)
{
	mutex_lock(&lg_job_mutex);
	mutex_unlock(&lg_job_mutex);
}

static int fence_cb_mutex(void)
{
	dma_fence_init(&cb_fence, &fence_ops, &cb_fence_lock, dma_fence_context_alloc(1), 1);
	dma_fence_add_callback(&cb_fence, &cb, job_done);
	dma_fence_signal(&cb_fence);
	return 0;	/* static, as dma-fence-irq's */
}

/*
 * --- nested-annotated / nested-unannotated: two locks of one class (one
 * init site, one key) taken nested, with mutex_lock_nested() (lockdep: fine,
 * subclass 1) and without (lockdep: possible recursive locking). Only the
 * subclass tells them apart: lock_acquire's arguments, not its tracepoint.
 */
struct fake_obj {
	struct mutex lock;
};

static int nested(bool annotated)
{
	struct fake_obj *objs = kcalloc(2, sizeof(*objs), GFP_KERNEL);

	if (!objs)
		return -ENOMEM;
	for (int i = 0; i < 2; i++)
		mutex_init(&objs[i].lock);
	mutex_lock(&objs[0].lock);
	if (annotated)
		mutex_lock_nested(&objs[1].lock, SINGLE_DEPTH_NESTING);
	else
		mutex_lock(&objs[1].lock);
	mutex_unlock(&objs[1].lock);
	mutex_unlock(&objs[0].lock);
	kfree(objs);
	return 0;
}

static int nested_annotated(void)
{
	return nested(true);
}

static int nested_unannotated(void)
{
	return nested(false);
}

static const struct {
	const char *name;
	int (*run)(void);
} scenarios[] = {
	{ "abba", abba },
	{ "two-inversions", two_inversions },
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)	/* 6.12's tinyconfig lab lacks it */
	{ "amdgpu-training", amdgpu_training },
	{ "nouveau-svm", nouveau_svm },
#endif
	{ "xe-drain", xe_drain },
	{ "i915-wq-alloc", i915_wq_alloc },
	{ "dma-fence-irq", dma_fence_irq },
	{ "fence-cb-mutex", fence_cb_mutex },
	{ "nested-annotated", nested_annotated },
	{ "nested-unannotated", nested_unannotated },
};

static int __init lgscen_init(void)
{
	for (int i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (strcmp(scenario, scenarios[i].name))
			continue;
		pr_info("lgscen: running %s\n", scenario);
		return scenarios[i].run();
	}
	pr_err("lgscen: no scenario %s\n", scenario);
	return -EINVAL;
}

static void __exit lgscen_exit(void)
{
}

module_init(lgscen_init);
module_exit(lgscen_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockgraph lab: lock-order scenarios of the seed reports");
