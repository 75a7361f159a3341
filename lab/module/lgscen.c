// SPDX-License-Identifier: GPL-2.0
/*
 * lockgraph lab scenarios: the locking of the seed reports, reproduced with
 * the real kernel primitives by a small fake driver, run when the module is
 * loaded: insmod lgscen.ko scenario=NAME. A scenario may also leave a device
 * for its userspace reproducer (lab/repro/NAME.c) to drive. Each leaves
 * lockdep to judge.
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
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/interrupt.h>
#include <linux/srcu.h>
#include <linux/hrtimer.h>
#include <linux/delay.h>
#include <linux/completion.h>
#include "lgscen_uapi.h"

static char *scenario = "abba";
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario, "abba, two-inversions, amdgpu-training, amdgpu-userptr, "
		 "nouveau-svm, xe-drain, xe-notifier-alloc, xe-notifier-atomic, "
		 "xe-notifier-insert, i915-wq-alloc, dma-fence-irq, fence-cb-mutex, fence-irq-order, "
		 "dma-fence-signalling, nested-annotated, nested-unannotated, "
		 "{hard,soft}irq-read-{safe,unsafe}-{dep,usage}-last, unlock-imbalance, "
		 "irqs-on-held, set-subclass, srcu-sync, nested-irq, wait-{completion,fence,flush,flush-wq,drain,two-waiters}, "
		 "wait-neg-{nolock,dropped,irq} or workload-{fs,proc,fork}");

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
static unsigned long user_page(void)
{
	return vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
}

/*
 * A page of the loading process's memory under an interval notifier: inserting
 * it primes lockdep with fs_reclaim -> mmu_notifier_invalidate_range_start,
 * unmapping it calls ops->invalidate under that map.
 */
static int notified_page(struct mmu_interval_notifier *mni,
			 const struct mmu_interval_notifier_ops *ops, unsigned long *addr)
{
	*addr = user_page();
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
 * --- amdgpu-training (seed 000): amdgpu_lockdep_init() as commit 1d0f5838b126
 * added it to drivers/gpu/drm/amd/amdgpu/amdgpu_lockdep.c: at load, dummy
 * locks of the driver's classes (lockdep_set_class() keys, so lockdep names
 * them &amdgpu_*_key) taken in a chain with fs_reclaim below the notifier
 * lock; the HMM invalidate callback takes the real notifier lock, under the
 * notifier map, inside reclaim.
 */
static struct lock_class_key amdgpu_userq_sch_mutex_key, amdgpu_userq_mutex_key,
	amdgpu_notifier_lock_key, amdgpu_vram_lock_key, amdgpu_reset_sem_key,
	amdgpu_reset_lock_key, amdgpu_srbm_lock_key, amdgpu_grbm_lock_key, amdgpu_mmio_lock_key;

struct fake_adev {
	struct mutex notifier_lock;
};

struct fake_bo {		/* an amdgpu_bo over user memory */
	struct fake_adev *adev;
	struct mmu_interval_notifier notifier;
};

/* amdgpu_lockdep_set_class(): the real lock gets the training's class */
static void fake_adev_init(struct fake_adev *adev)
{
	mutex_init(&adev->notifier_lock);
	lockdep_set_class(&adev->notifier_lock, &amdgpu_notifier_lock_key);
}

struct amdgpu_lockdep_dummy_locks {
	struct mutex userq_sch_mutex, userq_mutex, notifier_lock, vram_lock, reset_lock,
		srbm_mutex, grbm_idx_mutex;
	struct rw_semaphore reset_sem;	/* the reset domain's */
	spinlock_t mmio_idx_lock;
};

/* lockdep's training, the chain of that commit (9 levels, fs_reclaim after
 * the reset lock) */
static int amdgpu_lockdep_init(void)
{
	struct amdgpu_lockdep_dummy_locks *locks = kzalloc(sizeof(*locks), GFP_KERNEL);
	unsigned long flags;

	if (!locks)
		return -ENOMEM;
	mutex_init(&locks->userq_sch_mutex);
	mutex_init(&locks->userq_mutex);
	mutex_init(&locks->notifier_lock);
	mutex_init(&locks->vram_lock);
	init_rwsem(&locks->reset_sem);
	mutex_init(&locks->reset_lock);
	mutex_init(&locks->srbm_mutex);
	mutex_init(&locks->grbm_idx_mutex);
	spin_lock_init(&locks->mmio_idx_lock);
	lockdep_set_class(&locks->userq_sch_mutex, &amdgpu_userq_sch_mutex_key);
	lockdep_set_class(&locks->userq_mutex, &amdgpu_userq_mutex_key);
	lockdep_set_class(&locks->notifier_lock, &amdgpu_notifier_lock_key);
	lockdep_set_class(&locks->vram_lock, &amdgpu_vram_lock_key);
	lockdep_set_class(&locks->reset_sem, &amdgpu_reset_sem_key);
	lockdep_set_class(&locks->reset_lock, &amdgpu_reset_lock_key);
	lockdep_set_class(&locks->srbm_mutex, &amdgpu_srbm_lock_key);
	lockdep_set_class(&locks->grbm_idx_mutex, &amdgpu_grbm_lock_key);
	lockdep_set_class(&locks->mmio_idx_lock, &amdgpu_mmio_lock_key);

	mutex_lock(&locks->userq_sch_mutex);
	mutex_lock(&locks->userq_mutex);
	mutex_lock(&locks->notifier_lock);
	mutex_lock(&locks->vram_lock);
	down_read(&locks->reset_sem);
	mutex_lock(&locks->reset_lock);
	fs_reclaim_acquire(GFP_KERNEL);
	mutex_lock(&locks->srbm_mutex);
	mutex_lock(&locks->grbm_idx_mutex);
	spin_lock_irqsave(&locks->mmio_idx_lock, flags);
	spin_unlock_irqrestore(&locks->mmio_idx_lock, flags);
	mutex_unlock(&locks->grbm_idx_mutex);
	mutex_unlock(&locks->srbm_mutex);
	fs_reclaim_release(GFP_KERNEL);
	mutex_unlock(&locks->reset_lock);
	up_read(&locks->reset_sem);
	mutex_unlock(&locks->vram_lock);
	mutex_unlock(&locks->notifier_lock);
	mutex_unlock(&locks->userq_mutex);
	mutex_unlock(&locks->userq_sch_mutex);
	kfree(locks);
	return 0;
}

static bool hmm_invalidate_gfx(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct fake_bo *bo = container_of(mni, struct fake_bo, notifier);

	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&bo->adev->notifier_lock);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&bo->adev->notifier_lock);
	return true;
}

static const struct mmu_interval_notifier_ops hmm_gfx_ops = {
	.invalidate = hmm_invalidate_gfx,
};

static int amdgpu_training(void)
{
	struct fake_adev *adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	struct fake_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	unsigned long addr;
	int ret = -ENOMEM;

	if (!adev || !bo)
		goto out;
	fake_adev_init(adev);
	ret = amdgpu_lockdep_init();
	if (ret)
		goto out;
	bo->adev = adev;
	ret = notified_page(&bo->notifier, &hmm_gfx_ops, &addr);
	if (!ret) {
		vm_munmap(addr, PAGE_SIZE);
		mmu_interval_notifier_remove(&bo->notifier);
	}
out:
	kfree(bo);
	kfree(adev);
	return ret;
}

/*
 * --- amdgpu-userptr (seed 000, driven as its reproducer drives amdgpu): the
 * training at load, then a misc device, /dev/lgscen, whose USERPTR ioctl
 * (GEM_USERPTR with REGISTER) puts an interval notifier over a range of the
 * caller's memory. lab/repro/amdgpu-userptr.c registers anonymous memory,
 * pages it out and unmaps it; both invalidate the range under the notifier map.
 */
static struct fake_adev *userptr_adev;

static int userptr_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;	/* misc_open() left the miscdevice there */
	return 0;
}

/* one userptr bo per open file, which is all the reproducer needs */
static long userptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct lgscen_userptr args;
	struct fake_bo *bo;
	int ret;

	if (cmd != LGSCEN_IOCTL_USERPTR)
		return -ENOTTY;
	if (copy_from_user(&args, (void __user *)arg, sizeof(args)))
		return -EFAULT;
	if (args.flags != LGSCEN_USERPTR_REGISTER || !args.size ||
	    !PAGE_ALIGNED(args.addr) || !PAGE_ALIGNED(args.size))
		return -EINVAL;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	bo->adev = userptr_adev;
	/* amdgpu_hmm_register() */
	ret = mmu_interval_notifier_insert(&bo->notifier, current->mm, args.addr, args.size,
					   &hmm_gfx_ops);
	if (ret)
		goto free;
	if (cmpxchg(&file->private_data, NULL, bo)) {
		ret = -EBUSY;
		goto remove;
	}
	args.handle = 1;
	return copy_to_user((void __user *)arg, &args, sizeof(args)) ? -EFAULT : 0;
remove:
	mmu_interval_notifier_remove(&bo->notifier);
free:
	kfree(bo);
	return ret;
}

static int userptr_release(struct inode *inode, struct file *file)
{
	struct fake_bo *bo = file->private_data;

	if (bo) {
		mmu_interval_notifier_remove(&bo->notifier);
		kfree(bo);
	}
	return 0;
}

static const struct file_operations userptr_fops = {
	.owner = THIS_MODULE,
	.open = userptr_open,
	.unlocked_ioctl = userptr_ioctl,
	.release = userptr_release,
};

static struct miscdevice userptr_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lgscen",
	.fops = &userptr_fops,
};

static int amdgpu_userptr(void)
{
	int ret;

	userptr_adev = kzalloc(sizeof(*userptr_adev), GFP_KERNEL);
	if (!userptr_adev)
		return -ENOMEM;
	fake_adev_init(userptr_adev);
	ret = amdgpu_lockdep_init();
	if (!ret)
		ret = misc_register(&userptr_misc);
	if (ret) {
		kfree(userptr_adev);
		userptr_adev = NULL;
	}
	return ret;
}

/*
 * --- xe-notifier-alloc, xe-notifier-atomic (seed 002): an interval notifier
 * whose callback allocates a work item, queued for a worker that takes
 * vm->lock. With GFP_KERNEL (the seed's first try) the allocation may enter
 * reclaim under the notifier map: lockdep's fs_reclaim and
 * mmu_notifier_invalidate_range_start cycle. The seed says GFP_ATOMIC closes
 * that cycle too; it cannot enter reclaim, so fs_reclaim_acquire() takes
 * nothing, and lockdep has nothing to say.
 */
struct fake_xe_vm {
	struct rw_semaphore lock;
	struct workqueue_struct *wq;
	struct mmu_interval_notifier notifier;
	gfp_t gfp;		/* of the callback's allocation */
};

struct madvise_work {
	struct work_struct work;
	struct fake_xe_vm *vm;
};

static void madvise_work_func(struct work_struct *work)
{
	struct madvise_work *item = container_of(work, struct madvise_work, work);

	down_write(&item->vm->lock);	/* reset the range's attributes */
	up_write(&item->vm->lock);
	kfree(item);
}

static bool madvise_invalidate(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct fake_xe_vm *vm = container_of(mni, struct fake_xe_vm, notifier);
	struct madvise_work *item;

	if (range->event != MMU_NOTIFY_UNMAP || !mmu_notifier_range_blockable(range))
		return true;
	mmu_interval_set_seq(mni, cur_seq);
	item = kmalloc(sizeof(*item), vm->gfp);
	if (!item)
		return true;	/* best effort, as in the seed */
	INIT_WORK(&item->work, madvise_work_func);
	item->vm = vm;
	queue_work(vm->wq, &item->work);
	return true;
}

static const struct mmu_interval_notifier_ops madvise_ops = {
	.invalidate = madvise_invalidate,
};

static struct fake_xe_vm *fake_xe_vm_create(gfp_t gfp)
{
	struct fake_xe_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!vm)
		return NULL;
	init_rwsem(&vm->lock);
	vm->gfp = gfp;
	vm->wq = alloc_workqueue("xe_madvise", WQ_UNBOUND, 0);
	if (!vm->wq) {
		kfree(vm);
		return NULL;
	}
	return vm;
}

/* the seed's fix for its drain: no vm->lock held around it */
static void fake_xe_vm_destroy(struct fake_xe_vm *vm)
{
	destroy_workqueue(vm->wq);
	kfree(vm);
}

static int xe_notifier(gfp_t gfp)
{
	struct fake_xe_vm *vm = fake_xe_vm_create(gfp);
	unsigned long addr;
	int ret;

	if (!vm)
		return -ENOMEM;
	ret = notified_page(&vm->notifier, &madvise_ops, &addr);
	if (!ret) {
		vm_munmap(addr, PAGE_SIZE);
		mmu_interval_notifier_remove(&vm->notifier);
	}
	fake_xe_vm_destroy(vm);
	return ret;
}

static int xe_notifier_alloc(void)
{
	return xe_notifier(GFP_KERNEL);
}

static int xe_notifier_atomic(void)
{
	return xe_notifier(GFP_ATOMIC);
}

/*
 * --- xe-notifier-insert (seed 002): mmu_interval_notifier_insert() under
 * vm->lock, where it may take mmap_lock (vm->lock -> mmap_lock), and an
 * invalidate callback that takes vm->lock, which munmap calls under mmap_lock
 * and the notifier map: the inversion the seed keeps the insert out of
 * vm->lock for.
 */
static bool vm_lock_invalidate(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct fake_xe_vm *vm = container_of(mni, struct fake_xe_vm, notifier);

	if (!mmu_notifier_range_blockable(range))
		return false;
	down_write(&vm->lock);
	mmu_interval_set_seq(mni, cur_seq);
	up_write(&vm->lock);
	return true;
}

static const struct mmu_interval_notifier_ops vm_lock_ops = {
	.invalidate = vm_lock_invalidate,
};

static int xe_notifier_insert(void)
{
	struct fake_xe_vm *vm = fake_xe_vm_create(GFP_KERNEL);
	unsigned long addr;
	int ret;

	if (!vm)
		return -ENOMEM;
	addr = user_page();
	ret = IS_ERR_VALUE(addr) ? addr : 0;
	if (!ret) {
		down_write(&vm->lock);
		ret = mmu_interval_notifier_insert(&vm->notifier, current->mm, addr, PAGE_SIZE,
						   &vm_lock_ops);
		up_write(&vm->lock);
	}
	if (!ret) {
		vm_munmap(addr, PAGE_SIZE);
		mmu_interval_notifier_remove(&vm->notifier);
	}
	fake_xe_vm_destroy(vm);
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
 * --- fence-irq-order: an interrupt signals a fence under the timeline's lock;
 * another fence of the timeline, signalled by a task, has a callback that
 * kicks the ring under the ring lock, which the submit path takes with
 * interrupts on: lockdep's "HARDIRQ-safe -> HARDIRQ-unsafe lock order".
 */
static DEFINE_SPINLOCK(timeline_lock);
static DEFINE_SPINLOCK(lg_ring_lock);
static struct dma_fence timeline[2];
static struct dma_fence_cb kick_cb;

static void ring_kick(struct dma_fence *f, struct dma_fence_cb *unused)
{
	spin_lock(&lg_ring_lock);
	spin_unlock(&lg_ring_lock);
}

static void signal_first(struct irq_work *work)
{
	dma_fence_signal(&timeline[0]);
}

static int fence_irq_order(void)
{
	struct irq_work work = IRQ_WORK_INIT_HARD(signal_first);
	u64 context = dma_fence_context_alloc(1);

	spin_lock(&lg_ring_lock);		/* submit: HARDIRQ-unsafe */
	spin_unlock(&lg_ring_lock);
	dma_fence_init(&timeline[0], &fence_ops, &timeline_lock, context, 1);
	dma_fence_init(&timeline[1], &fence_ops, &timeline_lock, context, 2);
	irq_work_queue(&work);			/* timeline_lock: HARDIRQ-safe */
	irq_work_sync(&work);
	dma_fence_add_callback(&timeline[1], &kick_cb, ring_kick);
	dma_fence_signal(&timeline[1]);		/* timeline_lock -> lg_ring_lock */
	return 0;	/* static, as dma-fence-irq's */
}

/*
 * --- dma-fence-signalling (seed 003): a job's completion worker signals the
 * job's fence inside dma_fence_begin_signalling()/end_signalling() and takes
 * gpu->lock there to retire it, while the submit path waits on a fence with
 * gpu->lock held. lockdep's dma_fence_map stands for "some fence is being
 * signalled": read-held in the signalling section, taken by every wait, so
 * the two orders close a cycle through it. The worker runs first and signals
 * the fence, so the wait returns at once and nothing deadlocks.
 */
struct fake_gpu {
	struct mutex lock;
	spinlock_t fence_lock;
	struct dma_fence *done;		/* the running job's hardware fence */
	struct work_struct retire;
};

static void gpu_retire(struct work_struct *work)
{
	struct fake_gpu *gpu = container_of(work, struct fake_gpu, retire);
	bool cookie = dma_fence_begin_signalling();

	mutex_lock(&gpu->lock);		/* take the job off the ring */
	mutex_unlock(&gpu->lock);
	dma_fence_signal(gpu->done);
	dma_fence_end_signalling(cookie);
}

static int dma_fence_signalling(void)
{
	struct fake_gpu *gpu = kzalloc(sizeof(*gpu), GFP_KERNEL);

	if (!gpu)
		return -ENOMEM;
	gpu->done = kzalloc(sizeof(*gpu->done), GFP_KERNEL);
	if (!gpu->done) {
		kfree(gpu);
		return -ENOMEM;
	}
	mutex_init(&gpu->lock);
	spin_lock_init(&gpu->fence_lock);
	dma_fence_init(gpu->done, &fence_ops, &gpu->fence_lock, dma_fence_context_alloc(1), 1);
	INIT_WORK(&gpu->retire, gpu_retire);
	queue_work(system_wq, &gpu->retire);	/* the job's completion interrupt */
	flush_work(&gpu->retire);
	mutex_lock(&gpu->lock);		/* submit: wait for the previous job */
	dma_fence_wait(gpu->done, false);
	mutex_unlock(&gpu->lock);
	dma_fence_put(gpu->done);	/* signalled: its release needs no lock */
	kfree(gpu);
	return 0;
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

/*
 * --- {hard,soft}irq-read-{safe,unsafe}-{dep,usage}-last: lockdep's read rules
 * in its irq checks, the rwlock_t read side of a GPU-scheduler-style lock
 * (lg_sched_rw) or of an fasync-style owner lock (lg_owner_rw), each of the
 * four ways both in a hardirq (an irq_work) and in a softirq (a tasklet):
 * - safe: lg_sched_rw is read in the irq (IN-*-R) and write-held, irqs off,
 *   around lg_plain, which a task takes with irqs on: irq-safe for read;
 * - unsafe: lg_safe is taken in the irq (IN-*-W) and, irqs off, around a
 *   task's read_lock(&lg_owner_rw) (read=1, not recursive: not in
 *   interrupt), which tasks also read with irqs on (*-ON-R): irq-unsafe for
 *   read, as send_sigurg()'s &f->f_owner.lock;
 * - dep-last: the usages, then the dependency (check_irq_usage(): "lock order
 *   detected"); usage-last: the dependency first, the usage of the irq-safe
 *   (safe) or irq-unsafe (unsafe) lock last ("possible irq lock inversion").
 */
static DEFINE_RWLOCK(lg_sched_rw);
static DEFINE_SPINLOCK(lg_plain);
static DEFINE_SPINLOCK(lg_safe);
static DEFINE_RWLOCK(lg_owner_rw);

static void irq_read_sched(void)
{
	read_lock(&lg_sched_rw);
	read_unlock(&lg_sched_rw);
}

static void irq_take_safe(void)
{
	spin_lock(&lg_safe);
	spin_unlock(&lg_safe);
}

static void (*irq_body)(void);

static void hardirq_work(struct irq_work *work)
{
	irq_body();
}

static void in_hardirq_run(void (*body)(void))
{
	struct irq_work work = IRQ_WORK_INIT_HARD(hardirq_work);

	irq_body = body;
	irq_work_queue(&work);
	irq_work_sync(&work);
}

static void softirq_tasklet(struct tasklet_struct *t)
{
	irq_body();
}

/* local_bh_enable() runs the pending tasklet at once, on this CPU */
static void in_softirq_run(void (*body)(void))
{
	struct tasklet_struct t;

	irq_body = body;
	tasklet_setup(&t, softirq_tasklet);
	local_bh_disable();
	tasklet_schedule(&t);
	local_bh_enable();
	tasklet_kill(&t);
}

static void task_take_plain(void)
{
	spin_lock(&lg_plain);		/* irqs and BH on: *-ON-W */
	spin_unlock(&lg_plain);
}

static void task_read_owner(void)
{
	read_lock(&lg_owner_rw);	/* irqs and BH on: *-ON-R */
	read_unlock(&lg_owner_rw);
}

static void sched_then_plain(bool soft)
{
	if (soft)
		write_lock_bh(&lg_sched_rw);
	else
		write_lock_irq(&lg_sched_rw);
	spin_lock(&lg_plain);
	spin_unlock(&lg_plain);
	if (soft)
		write_unlock_bh(&lg_sched_rw);
	else
		write_unlock_irq(&lg_sched_rw);
}

static void safe_then_owner(void)
{
	spin_lock_irq(&lg_safe);
	read_lock(&lg_owner_rw);	/* read=1: a task, irqs off, BH on */
	read_unlock(&lg_owner_rw);
	spin_unlock_irq(&lg_safe);
}

static int irq_read(bool soft, bool safe, bool dep_last)
{
	void (*run_in_irq)(void (*)(void)) = soft ? in_softirq_run : in_hardirq_run;

	if (safe && dep_last) {
		run_in_irq(irq_read_sched);
		task_take_plain();
		sched_then_plain(soft);
	} else if (safe) {
		sched_then_plain(soft);
		task_take_plain();
		run_in_irq(irq_read_sched);
	} else if (dep_last) {
		run_in_irq(irq_take_safe);
		task_read_owner();
		safe_then_owner();
	} else {
		run_in_irq(irq_take_safe);
		safe_then_owner();
		task_read_owner();
	}
	return 0;
}

#define IRQ_READ(name, soft, safe, dep_last)		\
static int name(void)					\
{							\
	return irq_read(soft, safe, dep_last);		\
}
IRQ_READ(hardirq_read_safe_dep_last, false, true, true)
IRQ_READ(hardirq_read_safe_usage_last, false, true, false)
IRQ_READ(hardirq_read_unsafe_dep_last, false, false, true)
IRQ_READ(hardirq_read_unsafe_usage_last, false, false, false)
IRQ_READ(softirq_read_safe_dep_last, true, true, true)
IRQ_READ(softirq_read_safe_usage_last, true, true, false)
IRQ_READ(softirq_read_unsafe_dep_last, true, false, true)
IRQ_READ(softirq_read_unsafe_usage_last, true, false, false)

/*
 * --- unlock-imbalance: an error path that unlocks the mutex the success path
 * already unlocked, as "fix double unlock" patches fix: lockdep's "bad unlock
 * balance detected!" (mutex debugging complains after it).
 */
static DEFINE_MUTEX(lg_job_list_mutex);

static int unlock_imbalance(void)
{
	mutex_lock(&lg_job_list_mutex);
	mutex_unlock(&lg_job_list_mutex);
	mutex_unlock(&lg_job_list_mutex);	/* the error path's */
	return 0;
}

/*
 * --- irqs-on-held: a lock taken in an interrupt is held, interrupts off,
 * when the task enables interrupts again: lockdep marks it HARDIRQ-ON then
 * (mark_held_locks()) and reports an inconsistent lock state; the trace has
 * no event for it, but the next lock the task takes shows irqs on.
 */
static DEFINE_SPINLOCK(lg_irq_held);
static DEFINE_SPINLOCK(lg_after_enable);

static void irq_take_held(void)
{
	spin_lock(&lg_irq_held);
	spin_unlock(&lg_irq_held);
}

static int irqs_on_held(void)
{
	in_hardirq_run(irq_take_held);
	spin_lock_irq(&lg_irq_held);
	local_irq_enable();		/* lockdep: {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} */
	spin_lock(&lg_after_enable);
	spin_unlock(&lg_after_enable);
	local_irq_disable();
	spin_unlock_irq(&lg_irq_held);
	return 0;
}

/*
 * --- set-subclass: the scheduler's double_lock_balance() / double_unlock_
 * balance() hand-over, with two locks of one class: the second is taken as
 * subclass 1, the first released, and lock_set_subclass() makes the second
 * subclass 0, so that the first may be taken again as subclass 1 under it.
 * lockdep is silent; the tracepoints do not show the hand-over.
 */
struct fake_rq {
	raw_spinlock_t lock;
};

static int set_subclass(void)
{
	struct fake_rq *rq = kcalloc(2, sizeof(*rq), GFP_KERNEL);

	if (!rq)
		return -ENOMEM;
	for (int i = 0; i < 2; i++)
		raw_spin_lock_init(&rq[i].lock);
	raw_spin_lock(&rq[0].lock);
	raw_spin_lock_nested(&rq[1].lock, SINGLE_DEPTH_NESTING);
	raw_spin_unlock(&rq[0].lock);
	lock_set_subclass(&rq[1].lock.dep_map, 0, _THIS_IP_);
	raw_spin_lock_nested(&rq[0].lock, SINGLE_DEPTH_NESTING);
	raw_spin_unlock(&rq[0].lock);
	raw_spin_unlock(&rq[1].lock);
	kfree(rq);
	return 0;
}

/*
 * --- srcu-sync: a driver's SRCU domain synchronised under a mutex that its
 * readers take: srcu -> mutex in the reader, mutex -> srcu through
 * synchronize_srcu(), which lockdep sees (lock_sync(), 6.4 on) without any
 * tracepoint. 6.1's SRCU is not validated at all: silent there.
 */
DEFINE_STATIC_SRCU(lg_srcu);
static DEFINE_MUTEX(lg_srcu_mutex);

static int srcu_sync(void)
{
	int idx = srcu_read_lock(&lg_srcu);

	mutex_lock(&lg_srcu_mutex);
	mutex_unlock(&lg_srcu_mutex);
	srcu_read_unlock(&lg_srcu, idx);
	mutex_lock(&lg_srcu_mutex);
	synchronize_srcu(&lg_srcu);
	mutex_unlock(&lg_srcu_mutex);
	return 0;
}

/*
 * --- nested-irq: __dentry_kill()'s spin_lock_nested(&dentry->d_lock,
 * DENTRY_D_LOCK_NESTED) under the parent's d_lock, many times, each dentry
 * parent and child in turn, while a hard hrtimer takes a lock of its own every
 * few microseconds: some interrupts land between lock_acquire's tracepoint and
 * its argument probe. lockdep is silent; a parent given its last turn's
 * subclass 1 would make the child's acquisition recursive locking.
 */
struct fake_dentry {
	spinlock_t lock;		/* d_lock, a macro of <linux/dcache.h> */
};

static DEFINE_SPINLOCK(lg_timer_lock);
static struct hrtimer lg_tick;

static enum hrtimer_restart tick(struct hrtimer *t)
{
	spin_lock(&lg_timer_lock);
	spin_unlock(&lg_timer_lock);
	hrtimer_forward_now(t, ns_to_ktime(5000));
	return HRTIMER_RESTART;
}

static int nested_irq(void)
{
	struct fake_dentry *d = kcalloc(2, sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	for (int i = 0; i < 2; i++)
		spin_lock_init(&d[i].lock);
	hrtimer_init(&lg_tick, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	lg_tick.function = tick;
	hrtimer_start(&lg_tick, ns_to_ktime(5000), HRTIMER_MODE_REL_HARD);
	for (int i = 0; i < 20000; i++) {
		struct fake_dentry *parent = &d[i % 2], *child = &d[1 - i % 2];

		spin_lock(&parent->lock);
		spin_lock_nested(&child->lock, SINGLE_DEPTH_NESTING);
		spin_unlock(&child->lock);
		spin_unlock(&parent->lock);
	}
	hrtimer_cancel(&lg_tick);
	kfree(d);
	return 0;
}

/*
 * --- wait-*: waits lockdep does not see (issue 16, DEPT's class). A worker
 * (a work item, as a GPU scheduler's is) takes the driver's lock, lets it go,
 * and some time later ends what the submitter waits for: a completion, a
 * fence, or its own return (flush_work(); flush_workqueue() and
 * drain_workqueue() of the scheduler's own workqueue, as xe drains its
 * queues). The submitter, meanwhile, has
 * taken the lock and waits with it held. Nothing deadlocks, as the worker took
 * the lock first; had the submitter been first, the worker would block on the
 * lock and the wait never end. The negatives: the same with no lock held
 * across the wait (nolock), the lock dropped before it (dropped), and a
 * fence signalled from a hardirq that holds nothing of the driver's (irq).
 */
enum wait_kind { WAIT_COMPLETION, WAIT_FENCE, WAIT_FLUSH, WAIT_FLUSH_WQ, WAIT_DRAIN, WAIT_TWO };
enum wait_lock { LOCK_HELD, LOCK_NONE, LOCK_DROPPED };

struct fake_job {
	struct mutex *lock;
	struct work_struct work;
	struct completion done;
	spinlock_t fence_lock;
	struct dma_fence fence;
	atomic_t lock_released;
	enum wait_kind kind;
	struct workqueue_struct *wq;
	struct work_struct second_waiter;	/* WAIT_TWO */
};

static DEFINE_MUTEX(lg_sched_mutex);

static void job_run(struct work_struct *work)
{
	struct fake_job *job = container_of(work, struct fake_job, work);

	mutex_lock(job->lock);		/* take the job off the ring */
	mutex_unlock(job->lock);
	atomic_set(&job->lock_released, 1);
	msleep(100);			/* the hardware runs the job */
	if (job->kind == WAIT_COMPLETION)
		complete(&job->done);
	if (job->kind == WAIT_TWO) {	/* one complete() per waiter */
		complete(&job->done);
		msleep(20);
		complete(&job->done);
	}
	else if (job->kind == WAIT_FENCE)
		dma_fence_signal(&job->fence);
}

/*
 * wait-two-waiters: a second task, holding nothing, waits for the job's
 * completion too, after the submitter went to sleep on it: the first
 * complete() wakes the submitter (swait wakes the first to sleep, which the
 * completer's sched_waking shows), the second this one.
 */
static void second_waiter(struct work_struct *work)
{
	struct fake_job *job = container_of(work, struct fake_job, second_waiter);

	msleep(20);
	wait_for_completion(&job->done);
}

static void job_wait(struct fake_job *job)
{
	if (job->kind == WAIT_TWO) {
		INIT_WORK(&job->second_waiter, second_waiter);
		queue_work(system_unbound_wq, &job->second_waiter);
	}
	if (job->kind == WAIT_COMPLETION || job->kind == WAIT_TWO)
		wait_for_completion(&job->done);
	else if (job->kind == WAIT_FENCE)
		dma_fence_wait(&job->fence, false);
	else if (job->kind == WAIT_FLUSH_WQ)
		flush_workqueue(job->wq);
	else if (job->kind == WAIT_DRAIN)
		drain_workqueue(job->wq);
	else
		flush_work(&job->work);
}

static int wait_under(enum wait_kind kind, enum wait_lock how)
{
	struct fake_job *job = kzalloc(sizeof(*job), GFP_KERNEL);

	if (!job)
		return -ENOMEM;
	job->lock = &lg_sched_mutex;
	job->kind = kind;
	job->wq = alloc_workqueue("lg_sched_wq", 0, 0);
	if (!job->wq) {
		kfree(job);
		return -ENOMEM;
	}
	init_completion(&job->done);
	spin_lock_init(&job->fence_lock);
	dma_fence_init(&job->fence, &fence_ops, &job->fence_lock, dma_fence_context_alloc(1), 1);
	INIT_WORK(&job->work, job_run);
	queue_work(job->wq, &job->work);
	while (!atomic_read(&job->lock_released))
		msleep(5);
	if (how != LOCK_NONE)
		mutex_lock(job->lock);	/* submit the next job */
	if (how == LOCK_DROPPED)
		mutex_unlock(job->lock);
	job_wait(job);
	if (how == LOCK_HELD)
		mutex_unlock(job->lock);
	flush_work(&job->work);
	if (job->kind == WAIT_TWO)
		flush_work(&job->second_waiter);
	if (!dma_fence_is_signaled(&job->fence))
		dma_fence_signal(&job->fence);
	destroy_workqueue(job->wq);
	kfree(job);	/* with its fence, signalled, which nothing else holds */
	return 0;
}

static int wait_completion(void) { return wait_under(WAIT_COMPLETION, LOCK_HELD); }
static int wait_fence(void) { return wait_under(WAIT_FENCE, LOCK_HELD); }
static int wait_flush(void) { return wait_under(WAIT_FLUSH, LOCK_HELD); }
static int wait_flush_wq(void) { return wait_under(WAIT_FLUSH_WQ, LOCK_HELD); }
static int wait_drain(void) { return wait_under(WAIT_DRAIN, LOCK_HELD); }
static int wait_two_waiters(void) { return wait_under(WAIT_TWO, LOCK_HELD); }

/* Every kind, with no lock held across the waits, then with it dropped. */
static int wait_neg_nolock(void)
{
	for (int k = WAIT_COMPLETION; k <= WAIT_TWO; k++)
		if (wait_under(k, LOCK_NONE))
			return -ENOMEM;
	return 0;
}

static int wait_neg_dropped(void)
{
	for (int k = WAIT_COMPLETION; k <= WAIT_TWO; k++)
		if (wait_under(k, LOCK_DROPPED))
			return -ENOMEM;
	return 0;
}

/* A fence waited for under the mutex, signalled by a hardirq (an irq_work, as
 * a GPU's interrupt) that takes none of the driver's locks. */
static struct dma_fence irq_fence;
static DEFINE_SPINLOCK(irq_fence_lock);

static void irq_signal(struct irq_work *work)
{
	dma_fence_signal(&irq_fence);
}

static struct irq_work irq_signaller = IRQ_WORK_INIT_HARD(irq_signal);

static void queue_irq_signal(struct work_struct *work)
{
	msleep(100);
	irq_work_queue(&irq_signaller);
}

static DECLARE_WORK(irq_signal_work, queue_irq_signal);

static int wait_neg_irq(void)
{
	dma_fence_init(&irq_fence, &fence_ops, &irq_fence_lock, dma_fence_context_alloc(1), 1);
	queue_work(system_wq, &irq_signal_work);
	mutex_lock(&lg_sched_mutex);
	dma_fence_wait(&irq_fence, false);
	mutex_unlock(&lg_sched_mutex);
	flush_work(&irq_signal_work);
	irq_work_sync(&irq_signaller);
	return 0;	/* static, as dma-fence-irq's */
}

/* --- workload-*: nothing of the module's; the reproducer is the workload */
static int workload(void)
{
	return 0;
}

static const struct {
	const char *name;
	int (*run)(void);
} scenarios[] = {
	{ "abba", abba },
	{ "two-inversions", two_inversions },
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)	/* 6.12's tinyconfig lab lacks it */
	{ "amdgpu-training", amdgpu_training },
	{ "amdgpu-userptr", amdgpu_userptr },
	{ "nouveau-svm", nouveau_svm },
	{ "xe-notifier-alloc", xe_notifier_alloc },
	{ "xe-notifier-atomic", xe_notifier_atomic },
	{ "xe-notifier-insert", xe_notifier_insert },
#endif
	{ "xe-drain", xe_drain },
	{ "i915-wq-alloc", i915_wq_alloc },
	{ "dma-fence-irq", dma_fence_irq },
	{ "fence-cb-mutex", fence_cb_mutex },
	{ "fence-irq-order", fence_irq_order },
	{ "dma-fence-signalling", dma_fence_signalling },
	{ "nested-annotated", nested_annotated },
	{ "nested-unannotated", nested_unannotated },
	{ "hardirq-read-safe-dep-last", hardirq_read_safe_dep_last },
	{ "hardirq-read-safe-usage-last", hardirq_read_safe_usage_last },
	{ "hardirq-read-unsafe-dep-last", hardirq_read_unsafe_dep_last },
	{ "hardirq-read-unsafe-usage-last", hardirq_read_unsafe_usage_last },
	{ "softirq-read-safe-dep-last", softirq_read_safe_dep_last },
	{ "softirq-read-safe-usage-last", softirq_read_safe_usage_last },
	{ "softirq-read-unsafe-dep-last", softirq_read_unsafe_dep_last },
	{ "softirq-read-unsafe-usage-last", softirq_read_unsafe_usage_last },
	{ "unlock-imbalance", unlock_imbalance },
	{ "irqs-on-held", irqs_on_held },
	{ "set-subclass", set_subclass },
	{ "srcu-sync", srcu_sync },
	{ "nested-irq", nested_irq },
	{ "wait-completion", wait_completion },
	{ "wait-fence", wait_fence },
	{ "wait-flush", wait_flush },
	{ "wait-flush-wq", wait_flush_wq },
	{ "wait-drain", wait_drain },
	{ "wait-two-waiters", wait_two_waiters },
	{ "wait-neg-nolock", wait_neg_nolock },
	{ "wait-neg-dropped", wait_neg_dropped },
	{ "wait-neg-irq", wait_neg_irq },
	{ "workload-fs", workload },
	{ "workload-proc", workload },
	{ "workload-fork", workload },
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
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
	if (userptr_adev) {
		misc_deregister(&userptr_misc);
		kfree(userptr_adev);
	}
#endif
}

module_init(lgscen_init);
module_exit(lgscen_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockgraph lab: lock-order scenarios of the seed reports");
