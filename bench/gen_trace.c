/*
 * gen_trace: a synthetic /sys/kernel/tracing/trace of a busy 6.1 lockdep kernel,
 * for benchmarking `lockgraph analyze`.
 *
 *   gen_trace N [SEED] [--plant-cycle] [--four-locks=held|released] [--stats]
 *
 * Writes exactly N event lines (after the usual header) to stdout: about 88%
 * lock_acquire/lock_release, 10% contention_begin/contention_end pairs and 2%
 * other events (sched_switch, sched_wakeup, irq_handler_entry/exit,
 * softirq_entry/exit). The same N and SEED always give the same bytes.
 *
 * The model: 8 CPUs, ~300 tasks and 400 lock classes with realistic lockdep
 * names, each with many instances (hashed addresses). The classes are ranked
 * and every code path (a precomputed lock sequence, 1-6 locks) acquires in
 * increasing rank, so the dependency graph is acyclic. Locks are released
 * mostly in LIFO order, sometimes out of order, and every acquisition is
 * released before the end. Hardirq and softirq sections run on top of a task
 * only while it holds no irq-safe lock (as with irqs or BHs disabled) and use
 * irq-safe classes only, so no lock is ever taken recursively. With
 * --plant-cycle one ABBA pair is added (A then B at 1/3 of the trace, B then A
 * by another task at 1/2), the only cycle in the trace.
 *
 * With --four-locks, at a tenth of the trace the task then running takes
 * &mm->mmap_lock, &mapping->i_mmap_rwsem, &p->pi_lock and &rq->__lock (a page
 * fault that wakes a task) and releases them at once. "released" writes the
 * releases; "held" loses them, as a lost release or a pid reused without a
 * fork event does: a replayer then sees that pid hold the four for the rest of
 * the trace, under everything it takes. From then on that task runs often and
 * takes any code path (as a fuzzer's executor does), so that it takes most
 * classes. Both take the same random numbers, so the two traces differ only
 * in those four lines (and the padding at the end).
 *
 * Idle tasks of all CPUs share pid 0 (as <idle>-0): their irq sections are
 * written without interleaving, so that even a replayer that keys tasks by pid
 * alone (not by pid and CPU for pid 0) sees consistent held-lock stacks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCPU		8
#define NR_CLASSES	400
#define MAX_LOCKS	6	/* locks per code path */
#define NAME_SLOT	64	/* class names are shorter */

#define NR_PROC_PATHS	2500
#define NR_WORK_PATHS	400
#define NR_HARD_PATHS	160
#define NR_SOFT_PATHS	320
#define PATH_WINDOW	256	/* process paths one task uses */
#define WORK_WINDOW	64

/* Probabilities, out of 65536. */
#define P_SWITCH	2600	/* between two paths: schedule */
#define P_IRQ		1700	/* between two paths: an interrupt */
#define P_IRQ_MID	220	/* inside a path, when irqs are not disabled */
#define P_CONTEND	10800	/* contended acquisition of a real lock */
#define P_TRY		3600	/* trylock at a path step that allows one */
#define P_OUT_OF_ORDER	4500	/* release the lock under the top one */

/* ---- random numbers: splitmix64 ---- */

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static inline int chance(uint32_t p65536)
{
	return (rnd() & 0xffff) < p65536;
}

/* ---- lock classes ---- */

enum ltype {
	T_MUTEX, T_RWSEM, T_PERCPU,	/* sleeping */
	T_MAP,				/* lockdep map taken exclusive */
	T_RMAP,				/* lockdep map taken recursive-read (rcu) */
	T_SPIN, T_RWLOCK,		/* spinning */
};

#define IH	1	/* used in hardirq (taken irqsave elsewhere) */
#define IS	2	/* used in softirq (taken _bh elsewhere) */

#define PCPU	(-1)	/* one instance per CPU */
#define PTASK	(-2)	/* one instance per task */

enum role { R_NONE, R_SOFT_FIRST, R_WQ, R_WORK };

struct class_def {
	const char *name;
	uint8_t type, irq;
	int16_t ninst;
	uint8_t weight;		/* per variant; 0: the type's default */
	uint8_t variants;	/* name, name#2, ..., name#variants */
	uint8_t role;
};

#define FILLER 0xff	/* as many variants as make NR_CLASSES */

/* In rank order: every path acquires classes in this order. */
static const struct class_def class_defs[] = {
	/* outermost in softirq: timer callbacks and rcu callbacks */
	{ "rcu_callback", T_MAP, IS, 1, 20, 1, R_SOFT_FIRST },
	{ "(&icsk->icsk_retransmit_timer)", T_MAP, IS, 256, 8, 1, R_SOFT_FIRST },
	{ "(&icsk->icsk_delack_timer)", T_MAP, IS, 256, 8, 1, R_SOFT_FIRST },
	{ "(&sk->sk_timer)", T_MAP, IS, 256, 4, 1, R_SOFT_FIRST },
	{ "(&dwork->timer)", T_MAP, IS, 64, 12, 1, R_SOFT_FIRST },
	{ "(&n->timer)", T_MAP, IS, 128, 4, 1, R_SOFT_FIRST },
	{ "(&timer.timer)", T_MAP, IS, 8, 4, 1, R_SOFT_FIRST },
	{ "(&ndev->rs_timer)", T_MAP, IS, 4, 2, 1, R_SOFT_FIRST },
	{ "(&q->timeout)", T_MAP, IS, 4, 4, 1, R_SOFT_FIRST },
	/* outermost in kworkers: process_one_work() */
	{ "(wq_completion)events", T_MAP, 0, 1, 30, 1, R_WQ },
	{ "(wq_completion)events_unbound", T_MAP, 0, 1, 20, 1, R_WQ },
	{ "(wq_completion)events_power_efficient", T_MAP, 0, 1, 10, 1, R_WQ },
	{ "(wq_completion)events_freezable", T_MAP, 0, 1, 2, 1, R_WQ },
	{ "(wq_completion)events_long", T_MAP, 0, 1, 3, 1, R_WQ },
	{ "(wq_completion)events_highpri", T_MAP, 0, 1, 3, 1, R_WQ },
	{ "(wq_completion)mm_percpu_wq", T_MAP, 0, 1, 10, 1, R_WQ },
	{ "(wq_completion)writeback", T_MAP, 0, 1, 8, 1, R_WQ },
	{ "(wq_completion)kblockd", T_MAP, 0, 1, 8, 1, R_WQ },
	{ "(wq_completion)ext4-rsv-conversion", T_MAP, 0, 1, 3, 1, R_WQ },
	{ "(wq_completion)rcu_gp", T_MAP, 0, 1, 5, 1, R_WQ },
	{ "(wq_completion)netns", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)ipv6_addrconf", T_MAP, 0, 1, 2, 1, R_WQ },
	{ "(wq_completion)nvme-wq", T_MAP, 0, 1, 3, 1, R_WQ },
	{ "(wq_completion)nvme-reset-wq", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)cgroup_destroy", T_MAP, 0, 1, 2, 1, R_WQ },
	{ "(wq_completion)inet_frag_wq", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)pm", T_MAP, 0, 1, 2, 1, R_WQ },
	{ "(wq_completion)kacpid", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)loop0", T_MAP, 0, 1, 2, 1, R_WQ },
	{ "(wq_completion)dm_bufio_cache", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)kthrotld", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)usb_hub_wq", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(wq_completion)blkcg_punt_bio", T_MAP, 0, 1, 1, 1, R_WQ },
	{ "(work_completion)(&(&wb->dwork)->work)", T_MAP, 0, 16, 10, 1, R_WORK },
	{ "(work_completion)(&(&krcp->monitor_work)->work)", T_MAP, 0, PCPU, 6, 1, R_WORK },
	{ "(work_completion)(&(&krcp->page_cache_work)->work)", T_MAP, 0, PCPU, 2, 1, R_WORK },
	{ "(work_completion)(&pwq->unbound_release_work)", T_MAP, 0, 32, 2, 1, R_WORK },
	{ "(work_completion)(&sub_info->work)", T_MAP, 0, 8, 2, 1, R_WORK },
	{ "(work_completion)(&rew->rew_work)", T_MAP, 0, 16, 3, 1, R_WORK },
	{ "(work_completion)(&barr->work)", T_MAP, 0, 16, 2, 1, R_WORK },
	{ "(work_completion)(&ctx->exit_work)", T_MAP, 0, 32, 1, 1, R_WORK },
	{ "(work_completion)(&ctrl->scan_work)", T_MAP, 0, 2, 1, 1, R_WORK },
	{ "(work_completion)(&dev->reset_work)", T_MAP, 0, 2, 1, 1, R_WORK },
	{ "(work_completion)(&(&hctx->run_work)->work)", T_MAP, 0, 32, 6, 1, R_WORK },
	{ "(work_completion)(&(&q->requeue_work)->work)", T_MAP, 0, 4, 2, 1, R_WORK },
	{ "(work_completion)(&(&tbl->gc_work)->work)", T_MAP, 0, 4, 2, 1, R_WORK },
	{ "(work_completion)(&(&idev->mc_ifc_work)->work)", T_MAP, 0, 4, 1, 1, R_WORK },
	{ "(work_completion)(&(&cache_cleaner)->work)", T_MAP, 0, 1, 1, 1, R_WORK },
	{ "(work_completion)(&dev->power.work)", T_MAP, 0, 64, 2, 1, R_WORK },
	{ "(work_completion)(&cgrp->release_agent_work)", T_MAP, 0, 32, 1, 1, R_WORK },
	{ "(work_completion)(&css->destroy_work)", T_MAP, 0, 64, 2, 1, R_WORK },
	{ "(work_completion)(&sbi->s_error_work)", T_MAP, 0, 4, 1, 1, R_WORK },
	{ "(work_completion)(&io->work)", T_MAP, 0, 256, 4, 1, R_WORK },
	{ "(work_completion)(&(&wb->bw_dwork)->work)", T_MAP, 0, 16, 3, 1, R_WORK },
	{ "(work_completion)(&sdp->work)", T_MAP, 0, PCPU, 3, 1, R_WORK },
	{ "(work_completion)(vmstat_work)", T_MAP, 0, PCPU, 8, 1, R_WORK },
	/* sleeping locks and lockdep maps, outer to inner */
	{ "&type->s_umount_key", T_RWSEM, 0, 8, 1, 12, 0 },
	{ "sb_writers", T_PERCPU, 0, 8, 1, 10, 0 },
	{ "epmutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "&of->mutex", T_MUTEX, 0, 64, 0, 1, 0 },
	{ "kn->active", T_RMAP, 0, 64, 1, 12, 0 },
	{ "&p->lock", T_MUTEX, 0, 128, 0, 1, 0 },
	{ "&f->f_pos_lock", T_MUTEX, 0, 256, 6, 1, 0 },
	{ "&tty->legacy_mutex", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&tty->ldisc_sem", T_RWSEM, 0, 8, 0, 1, 0 },
	{ "&tty->atomic_write_lock", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&tty->termios_rwsem", T_RWSEM, 0, 8, 0, 1, 0 },
	{ "&ldata->atomic_read_lock", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&ldata->output_lock", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&buf->lock", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&sig->cred_guard_mutex", T_MUTEX, 0, PTASK, 0, 1, 0 },
	{ "&sig->exec_update_lock", T_RWSEM, 0, PTASK, 0, 1, 0 },
	{ "&tsk->futex_exit_mutex", T_MUTEX, 0, PTASK, 0, 1, 0 },
	{ "cgroup_threadgroup_rwsem", T_PERCPU, 0, 1, 0, 1, 0 },
	{ "cpu_hotplug_lock", T_PERCPU, 0, 1, 0, 1, 0 },
	{ "cgroup_mutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "&cgrp->pidlist_mutex", T_MUTEX, 0, 32, 0, 1, 0 },
	{ "devices_rwsem", T_RWSEM, 0, 1, 0, 1, 0 },
	{ "pernet_ops_rwsem", T_RWSEM, 0, 1, 0, 1, 0 },
	{ "net_rwsem", T_RWSEM, 0, 1, 0, 1, 0 },
	{ "rtnl_mutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "&idev->mc_lock", T_MUTEX, 0, 4, 0, 1, 0 },
	{ "&dev->mutex", T_MUTEX, 0, 64, 0, 1, 0 },
	{ "&disk->open_mutex", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&lo->lo_mutex", T_MUTEX, 0, 8, 0, 1, 0 },
	{ "&q->sysfs_lock", T_MUTEX, 0, 4, 0, 1, 0 },
	{ "&q->mq_freeze_lock", T_MUTEX, 0, 4, 0, 1, 0 },
	{ "&ctrl->scan_lock", T_MUTEX, 0, 2, 0, 1, 0 },
	{ "&ctrl->namespaces_rwsem", T_RWSEM, 0, 2, 0, 1, 0 },
	{ "&root->kernfs_rwsem", T_RWSEM, 0, 2, 0, 1, 0 },
	{ "&group->mark_mutex", T_MUTEX, 0, 16, 0, 1, 0 },
	{ "&ids->rwsem", T_RWSEM, 0, 3, 0, 1, 0 },
	{ "&ctx->uring_lock", T_MUTEX, 0, 32, 0, 1, 0 },
	{ "&ep->mtx", T_MUTEX, 0, 64, 0, 1, 0 },
	{ "&pipe->mutex/1", T_MUTEX, 0, 128, 6, 1, 0 },
	{ "&u->iolock", T_MUTEX, 0, 256, 0, 1, 0 },
	{ "&u->bindlock", T_MUTEX, 0, 64, 0, 1, 0 },
	{ "sk_lock-AF_INET", T_MAP, 0, 256, 6, 1, 0 },
	{ "sk_lock-AF_INET6", T_MAP, 0, 128, 0, 1, 0 },
	{ "sk_lock-AF_UNIX", T_MAP, 0, 256, 0, 1, 0 },
	{ "sk_lock-AF_NETLINK", T_MAP, 0, 32, 0, 1, 0 },
	{ "&type->i_mutex_dir_key", T_RWSEM, 0, 256, 1, 12, 0 },
	/* the last of these and &mm->mmap_lock are the planted ABBA pair */
	{ "&sb->s_type->i_mutex_key", T_RWSEM, 0, 512, 1, 24, 0 },
	{ "&mm->mmap_lock", T_RWSEM, 0, PTASK, 30, 1, 0 },
	{ "&mm->context.lock", T_MUTEX, 0, PTASK, 0, 1, 0 },
	{ "mapping.invalidate_lock", T_RWSEM, 0, 512, 0, 1, 0 },
	{ "&sbi->s_writepages_rwsem", T_PERCPU, 0, 4, 0, 1, 0 },
	{ "&journal->j_checkpoint_mutex", T_MUTEX, 0, 4, 0, 1, 0 },
	{ "jbd2_handle", T_MAP, 0, 4, 10, 1, 0 },
	{ "&ei->i_data_sem", T_RWSEM, 0, 512, 6, 1, 0 },
	{ "&ei->i_data_sem/1", T_RWSEM, 0, 512, 0, 1, 0 },
	{ "&ei->i_data_sem/2", T_RWSEM, 0, 512, 0, 1, 0 },
	{ "&ei->xattr_sem", T_RWSEM, 0, 512, 0, 1, 0 },
	{ "&mapping->i_mmap_rwsem", T_RWSEM, 0, 512, 6, 1, 0 },
	{ "&anon_vma->rwsem", T_RWSEM, 0, 256, 6, 1, 0 },
	{ "&ht->mutex", T_MUTEX, 0, 32, 0, 1, 0 },
	{ "&wq->mutex", T_MUTEX, 0, 32, 0, 1, 0 },
	{ "wq_pool_mutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "rcu_state.exp_mutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "rcu_state.barrier_mutex", T_MUTEX, 0, 1, 0, 1, 0 },
	{ "&cpuctx_mutex", T_MUTEX, 0, PCPU, 0, 1, 0 },
	{ "fs_reclaim", T_MAP, 0, 1, 25, 1, 0 },
	{ "mmu_notifier_invalidate_range_start", T_MAP, 0, 1, 8, 1, 0 },
	{ "fsnotify_mark_srcu", T_RMAP, 0, 1, 1, 1, 0 },
	{ "rcu_read_lock", T_RMAP, IH | IS, 1, 12, 1, 0 },
	{ "rcu_read_lock_bh", T_RMAP, IS, 1, 2, 1, 0 },
	{ "rcu_read_lock_sched", T_RMAP, IH | IS, 1, 2, 1, 0 },
	{ "rename_lock.seqcount", T_RMAP, 0, 1, 2, 1, 0 },
	{ "&fs->seq", T_RMAP, 0, PTASK, 2, 1, 0 },
	/* spinning locks, outer to inner */
	{ "mount_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "&newf->file_lock", T_SPIN, 0, PTASK, 0, 1, 0 },
	{ "&fs->lock", T_SPIN, 0, PTASK, 0, 1, 0 },
	{ "&dentry->d_lock", T_SPIN, 0, 1024, 25, 1, 0 },
	{ "&dentry->d_lock/1", T_SPIN, 0, 1024, 6, 1, 0 },
	{ "&dentry->d_lock/2", T_SPIN, 0, 1024, 3, 1, 0 },
	{ "&sb->s_type->i_lock_key", T_SPIN, 0, 512, 1, 24, 0 },
	{ "&s->s_inode_list_lock", T_SPIN, 0, 8, 0, 1, 0 },
	{ "&s->s_inode_wblist_lock", T_SPIN, 0, 8, 0, 1, 0 },
	{ "&wb->list_lock", T_SPIN, 0, 16, 0, 1, 0 },
	{ "&f->f_lock", T_SPIN, 0, 1024, 0, 1, 0 },
	{ "&journal->j_state_lock", T_RWLOCK, 0, 4, 8, 1, 0 },
	{ "&journal->j_list_lock", T_SPIN, 0, 4, 0, 1, 0 },
	{ "&ei->i_es_lock", T_RWLOCK, 0, 512, 0, 1, 0 },
	{ "&ei->i_raw_lock", T_SPIN, 0, 512, 0, 1, 0 },
	{ "&ei->i_prealloc_lock", T_SPIN, 0, 512, 0, 1, 0 },
	{ "&sbi->s_md_lock", T_SPIN, 0, 4, 0, 1, 0 },
	{ "&sbi->s_es_lock", T_SPIN, 0, 4, 0, 1, 0 },
	{ "&bgl->locks[i].lock", T_SPIN, 0, 128, 0, 1, 0 },
	{ "&ret->b_state_lock", T_SPIN, 0, 1024, 0, 1, 0 },
	{ "&mapping->private_lock", T_SPIN, 0, 512, 0, 1, 0 },
	{ "&mm->page_table_lock", T_SPIN, 0, PTASK, 0, 1, 0 },
	{ "ptlock_ptr(page)", T_SPIN, 0, 2048, 8, 2, 0 },
	{ "&info->lock", T_SPIN, 0, 256, 0, 1, 0 },
	{ "&sbinfo->stat_lock", T_SPIN, 0, 4, 0, 1, 0 },
	{ "vmap_area_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "free_vmap_area_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "&vb->lock", T_SPIN, 0, 64, 0, 1, 0 },
	{ "&ctx->completion_lock", T_SPIN, 0, 32, 0, 1, 0 },
	{ "&hb->lock", T_SPIN, 0, 256, 0, 1, 0 },
	{ "&group->notification_lock", T_SPIN, 0, 16, 0, 1, 0 },
	{ "&ent->pde_unload_lock", T_SPIN, 0, 64, 0, 1, 0 },
	{ "proc_subdir_lock", T_RWLOCK, 0, 1, 0, 1, 0 },
	{ "sysctl_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "kernfs_idr_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "uidhash_lock", T_SPIN, 0, 1, 0, 1, 0 },
	{ "&u->lock", T_SPIN, 0, 256, 0, 1, 0 },
	{ "clock-AF_INET", T_RWLOCK, IS, 256, 0, 1, 0 },
	{ "clock-AF_UNIX", T_RWLOCK, IS, 256, 0, 1, 0 },
	{ "slock-AF_INET/1", T_SPIN, IS, 256, 8, 1, 0 },
	{ "slock-AF_INET6", T_SPIN, IS, 128, 0, 1, 0 },
	{ "slock-AF_UNIX", T_SPIN, IS, 256, 0, 1, 0 },
	{ "slock-AF_NETLINK", T_SPIN, IS, 32, 0, 1, 0 },
	{ "&icsk->icsk_accept_queue.rskq_lock", T_SPIN, IS, 64, 0, 1, 0 },
	{ "&hashinfo->ehash_locks[i]", T_SPIN, IS, 256, 0, 1, 0 },
	{ "&tcp_hashinfo.bhash[i].lock", T_SPIN, IS, 256, 0, 1, 0 },
	{ "&list->lock", T_SPIN, IS, 512, 1, 14, 0 },
	{ "&nf_conntrack_locks[i]", T_SPIN, IS, 1024, 0, 1, 0 },
	{ "&tb->tb6_lock", T_SPIN, IS, 4, 0, 1, 0 },
	{ "&ndev->lock", T_RWLOCK, IS, 4, 0, 1, 0 },
	{ "&tbl->lock", T_RWLOCK, IS, 4, 0, 1, 0 },
	{ "&n->lock", T_RWLOCK, IS, 128, 0, 1, 0 },
	{ "dev->qdisc_tx_busylock ?: &qdisc_tx_busylock", T_SPIN, IS, 4, 0, 1, 0 },
	{ "&sch->q.lock", T_SPIN, IS, 4, 0, 1, 0 },
	{ "_xmit_ETHER#2", T_SPIN, IS, 4, 0, 1, 0 },
	{ "&dev->tx_global_lock", T_SPIN, IS, 4, 0, 1, 0 },
	{ "&lruvec->lru_lock", T_SPIN, IH, 16, 10, 1, 0 },
	{ "&(&zone->lock)->rlock", T_SPIN, IH, 4, 12, 1, 0 },
	{ "&pcp->lock", T_SPIN, 0, 32, 8, 1, 0 },
	{ "&(&n->list_lock)->rlock", T_SPIN, IH, 64, 8, 1, 0 },
	{ "&pgdat->kswapd_wait", T_SPIN, IH, 2, 0, 1, 0 },
	{ "&xa->xa_lock", T_SPIN, IH, 512, 1, 20, 0 },
	{ "&memcg->deferred_split_queue.split_queue_lock", T_SPIN, IH, 16, 0, 1, 0 },
	{ "css_set_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&sig->wait_chldexit", T_SPIN, IH, PTASK, 0, 1, 0 },
	{ "tasklist_lock", T_RWLOCK, IH, 1, 6, 1, 0 },
	{ "pidmap_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&pid->wait_pidfd", T_SPIN, IH, PTASK, 0, 1, 0 },
	{ "&sighand->siglock", T_SPIN, IH, PTASK, 12, 1, 0 },
	{ "&sighand->signalfd_wqh", T_SPIN, IH, PTASK, 0, 1, 0 },
	{ "&p->alloc_lock", T_SPIN, 0, PTASK, 8, 1, 0 },
	{ "&ep->lock", T_RWLOCK, IH, 64, 0, 1, 0 },
	{ "&ep->wq", T_SPIN, IH, 64, 0, 1, 0 },
	{ "&ep->poll_wait", T_SPIN, IH, 64, 0, 1, 0 },
	{ "&pipe->rd_wait", T_SPIN, IH, 128, 0, 1, 0 },
	{ "&pipe->wr_wait", T_SPIN, IH, 128, 0, 1, 0 },
	{ "&u->peer_wait", T_SPIN, IH, 256, 0, 1, 0 },
	{ "&ctx->wqh", T_SPIN, IH, 64, 0, 1, 0 },
	{ "&tty->read_wait", T_SPIN, IH, 8, 0, 1, 0 },
	{ "&tty->write_wait", T_SPIN, IH, 8, 0, 1, 0 },
	{ "&port->lock", T_SPIN, IH, 8, 0, 1, 0 },
	{ "&port_lock_key", T_SPIN, IH, 4, 0, 1, 0 },
	{ "(console_sem).lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "console_owner_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "console_owner", T_MAP, IH, 1, 0, 1, 0 },
	{ "&journal->j_wait_done_commit", T_SPIN, IH, 4, 0, 1, 0 },
	{ "&journal->j_wait_transaction_locked", T_SPIN, IH, 4, 0, 1, 0 },
	{ "&ei->i_completed_io_lock", T_SPIN, IH, 512, 0, 1, 0 },
	{ "&wb->work_lock", T_SPIN, IH, 16, 0, 1, 0 },
	{ "&q->requeue_lock", T_SPIN, 0, 4, 0, 1, 0 },
	{ "&hctx->lock", T_SPIN, 0, 32, 0, 1, 0 },
	{ "&ctx->lock", T_SPIN, 0, PCPU, 0, 1, 0 },
	{ "&q->queue_lock", T_SPIN, IH, 4, 0, 1, 0 },
	{ "&nvmeq->sq_lock", T_SPIN, IH, 9, 0, 1, 0 },
	{ "&nvmeq->cq_poll_lock", T_SPIN, 0, 9, 0, 1, 0 },
	{ "&sbq->ws[i].wait", T_SPIN, IH, 64, 0, 1, 0 },
	{ "&dev->power.lock", T_SPIN, IH, 64, 0, 1, 0 },
	{ "&irq_desc_lock_class", T_SPIN, IH, 64, 0, 1, 0 },
	{ "vector_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&x->wait", T_SPIN, IH, 512, 1, 24, 0 },
	{ "&sem->wait_lock", T_SPIN, IH, 1024, 8, 1, 0 },
	{ "&lock->wait_lock", T_SPIN, 0, 1024, 8, 1, 0 },
	{ "&ctx->timeout_lock", T_SPIN, IH, 32, 0, 1, 0 },
	{ "&pool->lock", T_SPIN, IH, 24, 10, 1, 0 },
	{ "&pool->lock/1", T_SPIN, IH, 24, 0, 1, 0 },
	{ "&obj_hash[i].lock", T_SPIN, IH, 512, 12, 1, 0 },
	{ "krc.lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&krcp->lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&sdp->lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&rdp->nocb_lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "rcu_node_0", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&stopper->lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&p->pi_lock", T_SPIN, IH, PTASK, 20, 1, 0 },
	{ "&rq->__lock", T_SPIN, IH, PCPU, 35, 1, 0 },
	{ "&cfs_rq->removed.lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&cfs_b->lock", T_SPIN, IH, 16, 0, 1, 0 },
	{ "&rt_b->rt_runtime_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&rt_rq->rt_runtime_lock", T_SPIN, IH, PCPU, 0, 1, 0 },
	{ "&rd->rto_lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&dl_b->lock", T_SPIN, IH, 1, 0, 1, 0 },
	{ "&base->lock", T_SPIN, IH, PCPU, 10, 1, 0 },
	{ "&cpu_base->lock", T_SPIN, IH, PCPU, 8, 1, 0 },
	{ "key", T_SPIN, IH, 64, 1, FILLER, 0 },
};

static const uint8_t type_weight[] = {
	[T_MUTEX] = 4, [T_RWSEM] = 4, [T_PERCPU] = 2, [T_MAP] = 4,
	[T_RMAP] = 2, [T_SPIN] = 6, [T_RWLOCK] = 4,
};

struct lclass {
	char name[NAME_SLOT];
	uint32_t len;
	uint8_t type, irq, role;
	int16_t ninst_kind;	/* PCPU, PTASK or > 0 */
	uint32_t ninst, first_inst;
	uint32_t weight;
};

static struct lclass classes[NR_CLASSES];
static uint32_t nr_classes, nr_insts;
static char *lock_addr;		/* 16 hex digits per instance: lockdep map */
static char *cont_addr;		/* 16 hex digits per instance: the lock */

static int is_spinning(const struct lclass *c)
{
	return c->type == T_SPIN || c->type == T_RWLOCK;
}

static int can_contend(const struct lclass *c)
{
	return c->type == T_MUTEX || c->type == T_RWSEM || c->type == T_PERCPU ||
	       c->type == T_SPIN || c->type == T_RWLOCK;
}

/* Held, it keeps interrupts out: an irq-safe lock is taken with them off. */
static int blocks_irqs(const struct lclass *c)
{
	return c->irq && c->type != T_RMAP;
}

/* A bijection of 32-bit words (xorshift-multiply), for unique hashed pointers. */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static void hex16(char *p, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";

	memset(p, '0', 8);
	for (int i = 15; i >= 8; i--, v >>= 4)
		p[i] = digits[v & 15];
}

static uint32_t ntasks;

static void build_classes(uint64_t seed)
{
	size_t ndefs = sizeof(class_defs) / sizeof(class_defs[0]);
	uint32_t fixed = 0, filler;

	for (size_t i = 0; i < ndefs; i++)
		if (class_defs[i].variants != FILLER)
			fixed += class_defs[i].variants;
	if (fixed >= NR_CLASSES) {
		fprintf(stderr, "gen_trace: %u classes before the filler\n", fixed);
		exit(2);
	}
	filler = NR_CLASSES - fixed;
	for (size_t i = 0; i < ndefs; i++) {
		const struct class_def *d = &class_defs[i];
		uint32_t nv = d->variants == FILLER ? filler : d->variants;

		for (uint32_t v = 1; v <= nv; v++) {
			struct lclass *c = &classes[nr_classes++];
			int n = v == 1 ? snprintf(c->name, NAME_SLOT, "%s", d->name)
				       : snprintf(c->name, NAME_SLOT, "%s#%u", d->name, v);

			if (n <= 0 || n >= NAME_SLOT) {
				fprintf(stderr, "gen_trace: class name too long: %s\n", d->name);
				exit(2);
			}
			c->len = n;
			c->type = d->type;
			c->irq = d->irq;
			c->role = d->role;
			c->ninst_kind = d->ninst;
			c->ninst = d->ninst == PCPU ? NCPU : d->ninst == PTASK ? ntasks : (uint32_t)d->ninst;
			c->first_inst = nr_insts;
			c->weight = d->weight ? d->weight : type_weight[d->type];
			nr_insts += c->ninst;
		}
	}

	uint32_t key = (uint32_t)(seed ^ (seed >> 32)) & 0x7fffffffU;

	lock_addr = malloc((size_t)nr_insts * 16);
	cont_addr = malloc((size_t)nr_insts * 16);
	if (!lock_addr || !cont_addr) {
		perror("gen_trace");
		exit(2);
	}
	/* distinct inputs (i, i | 1<<31) through one bijection: distinct hashes */
	for (uint32_t i = 0; i < nr_insts; i++) {
		hex16(lock_addr + 16 * (size_t)i, mix32(i ^ key));
		hex16(cont_addr + 16 * (size_t)i, mix32((i | 0x80000000U) ^ key));
	}
}

static uint32_t class_by_name(const char *name)
{
	for (uint32_t i = 0; i < nr_classes; i++)
		if (!strcmp(classes[i].name, name))
			return i;
	fprintf(stderr, "gen_trace: no class %s\n", name);
	exit(2);
}

/* ---- weighted pools of classes ---- */

struct pool {
	uint32_t n;
	uint16_t cls[NR_CLASSES];
	uint64_t cum[NR_CLASSES];
};

enum { POOL_PROC, POOL_HARD, POOL_SOFT, POOL_SOFT_FIRST, POOL_WQ, POOL_WORK, NR_POOLS };
static struct pool pools[NR_POOLS];

static int in_pool(int pool, const struct lclass *c)
{
	switch (pool) {
	case POOL_PROC: return c->role == R_NONE;
	case POOL_HARD: return c->role == R_NONE && (c->irq & IH);
	case POOL_SOFT: return c->role == R_NONE && c->irq;
	case POOL_SOFT_FIRST: return c->role == R_SOFT_FIRST;
	case POOL_WQ: return c->role == R_WQ;
	case POOL_WORK: return c->role == R_WORK;
	}
	return 0;
}

static void build_pools(void)
{
	for (int p = 0; p < NR_POOLS; p++) {
		uint64_t sum = 0;

		for (uint32_t i = 0; i < nr_classes; i++) {
			if (!in_pool(p, &classes[i]))
				continue;
			sum += classes[i].weight;
			pools[p].cls[pools[p].n] = i;
			pools[p].cum[pools[p].n++] = sum;
		}
	}
}

static uint32_t pick(int pool)
{
	const struct pool *p = &pools[pool];
	uint64_t r = rnd() % p->cum[p->n - 1];
	uint32_t lo = 0, hi = p->n - 1;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (p->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return p->cls[lo];
}

/* ---- code paths ---- */

#define ACQ_TRY		1
#define ACQ_READ	2

struct op {
	uint8_t release, pos;
};

struct path {
	uint32_t first_op;
	uint8_t nr_ops, nlocks;
	uint16_t cls[MAX_LOCKS];
	uint8_t flags[MAX_LOCKS];
};

enum { CTX_PROC, CTX_SOFT, CTX_HARD };

static struct path proc_paths[NR_PROC_PATHS], work_paths[NR_WORK_PATHS];
static struct path hard_paths[NR_HARD_PATHS], soft_paths[NR_SOFT_PATHS];
static struct op *ops;
static uint32_t nr_ops, alloc_ops;

static uint32_t path_len(uint32_t min, uint32_t max)
{
	static const uint8_t dist[] = { 30, 26, 20, 12, 7, 5 };	/* 1..6 locks */

	for (;;) {
		uint32_t r = below(100), len = 1;

		for (int i = 0; i < 6 && r >= dist[i]; i++) {
			r -= dist[i];
			len++;
		}
		if (len >= min && len <= max)
			return len;
	}
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void add_op(uint8_t release, uint8_t pos)
{
	if (nr_ops == alloc_ops) {
		alloc_ops = alloc_ops ? 2 * alloc_ops : 16384;
		ops = realloc(ops, alloc_ops * sizeof(*ops));
		if (!ops) {
			perror("gen_trace");
			exit(2);
		}
	}
	ops[nr_ops++] = (struct op){ release, pos };
}

/* nprefix classes given, then len - nprefix from pool, all distinct, by rank. */
static void make_path(struct path *pa, const uint16_t *prefix, uint32_t nprefix,
		      int pool, uint32_t len)
{
	uint16_t cls[MAX_LOCKS];
	uint32_t n = 0, tries = 0;

	for (; n < nprefix; n++)
		cls[n] = prefix[n];
	while (n < len && tries++ < 100) {
		uint16_t c = pick(pool);
		uint32_t i;

		for (i = 0; i < n && cls[i] != c; i++)
			;
		if (i == n)
			cls[n++] = c;
	}
	qsort(cls + nprefix, n - nprefix, sizeof(cls[0]), cmp_u16);
	pa->nlocks = n;
	for (uint32_t i = 0; i < n; i++) {
		const struct lclass *c = &classes[cls[i]];
		uint8_t f = 0;

		pa->cls[i] = cls[i];
		switch (c->type) {
		case T_RMAP: f = ACQ_READ; break;
		case T_RWSEM: f = below(100) < 20 ? ACQ_READ : 0; break;
		case T_RWLOCK: f = below(100) < 45 ? ACQ_READ : 0; break;
		case T_PERCPU: f = below(100) < 90 ? ACQ_READ : 0; break;
		default: break;
		}
		if ((c->type == T_MUTEX || c->type == T_RWSEM || c->type == T_SPIN ||
		     c->type == T_RWLOCK) && chance(P_TRY))
			f |= ACQ_TRY;
		pa->flags[i] = f;
	}

	/* the nesting: acquire in order, release mostly the top */
	uint8_t stack[MAX_LOCKS];
	uint32_t sp = 0, next = 0;

	pa->first_op = nr_ops;
	while (next < n || sp) {
		if (next < n && (!sp || below(100) < 80)) {
			add_op(0, next);
			stack[sp++] = next++;
		} else if (sp >= 2 && stack[sp - 2] >= nprefix && chance(P_OUT_OF_ORDER)) {
			add_op(1, stack[sp - 2]);
			stack[sp - 2] = stack[sp - 1];
			sp--;
		} else {
			add_op(1, stack[--sp]);
		}
	}
	pa->nr_ops = nr_ops - pa->first_op;
}

static void build_paths(void)
{
	uint16_t prefix[2];

	for (uint32_t i = 0; i < NR_PROC_PATHS; i++)
		make_path(&proc_paths[i], NULL, 0, POOL_PROC, path_len(1, 6));
	for (uint32_t i = 0; i < NR_WORK_PATHS; i++) {
		prefix[0] = pick(POOL_WQ);
		prefix[1] = pick(POOL_WORK);
		make_path(&work_paths[i], prefix, 2, POOL_PROC, path_len(2, 6));
	}
	for (uint32_t i = 0; i < NR_HARD_PATHS; i++)
		make_path(&hard_paths[i], NULL, 0, POOL_HARD, path_len(1, 3));
	for (uint32_t i = 0; i < NR_SOFT_PATHS; i++) {
		if (below(100) < 60) {
			prefix[0] = pick(POOL_SOFT_FIRST);
			make_path(&soft_paths[i], prefix, 1, POOL_SOFT, path_len(2, 5));
		} else {
			make_path(&soft_paths[i], NULL, 0, POOL_SOFT, path_len(1, 4));
		}
	}
}

/* ---- tasks ---- */

#define MAX_TASKS 512

struct task {
	char prefix[32];	/* "%16s-%-7d " */
	uint32_t prefix_len;
	char comm[16];
	uint32_t comm_len;
	int32_t pid;
	int32_t prio;
	uint8_t kworker, running;
	int8_t cpu;		/* a per-CPU kthread's CPU, or -1 */
	uint32_t path_base, work_base;
};

static struct task tasks[MAX_TASKS];	/* tasks[0] is the idle task */
#define IDLE 0

static char *utoa(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void add_task(const char *comm, int32_t pid, int32_t prio, int cpu)
{
	struct task *t = &tasks[ntasks];
	char pidbuf[16];
	int len = strlen(comm), plen;

	if (ntasks == MAX_TASKS || len > 15)
		return;
	ntasks++;
	memcpy(t->comm, comm, len);
	t->comm_len = len;
	t->pid = pid;
	t->prio = prio;
	t->kworker = !strncmp(comm, "kworker/", 8);
	t->cpu = cpu;
	plen = utoa(pidbuf, pid) - pidbuf;
	memset(t->prefix, ' ', sizeof(t->prefix));
	memcpy(t->prefix + 16 - len, comm, len);
	t->prefix[16] = '-';
	memcpy(t->prefix + 17, pidbuf, plen);
	t->prefix_len = 17 + (plen > 7 ? plen : 7) + 1;
}

static void build_tasks(void)
{
	static const struct { const char *comm; int n; } services[] = {
		{ "systemd", 1 }, { "systemd-journal", 1 }, { "systemd-udevd", 2 },
		{ "systemd-network", 1 }, { "systemd-resolve", 1 }, { "systemd-timesyn", 1 },
		{ "systemd-logind", 1 }, { "dbus-daemon", 1 }, { "rsyslogd", 1 },
		{ "in:imklog", 1 }, { "cron", 1 }, { "sshd", 4 }, { "containerd", 3 },
		{ "dockerd", 3 }, { "agetty", 1 }, { "polkitd", 1 }, { "chronyd", 1 },
		{ "NetworkManager", 1 }, { "udisksd", 1 }, { "snapd", 2 }, { "postgres", 20 },
		{ "nginx", 8 }, { "java", 16 }, { "redis-server", 2 }, { "node", 12 },
	};
	static const struct { const char *comm; int n; } users[] = {
		{ "bash", 16 }, { "sh", 8 }, { "ls", 2 }, { "cat", 3 }, { "grep", 4 },
		{ "sed", 2 }, { "awk", 2 }, { "find", 2 }, { "make", 4 }, { "cc1", 24 },
		{ "as", 8 }, { "ld", 4 }, { "gcc", 8 }, { "git", 6 }, { "python3", 12 },
		{ "sleep", 2 }, { "tail", 2 }, { "less", 1 }, { "top", 1 }, { "ps", 1 },
		{ "rsync", 2 }, { "tar", 2 }, { "gzip", 2 }, { "xz", 2 }, { "ssh", 2 },
		{ "vim", 2 }, { "tmux: server", 1 }, { "curl", 2 }, { "perf", 1 },
	};
	char buf[32];
	int32_t pid = 2;

	add_task("<idle>", 0, 120, -1);
	add_task("kthreadd", pid++, 120, -1);
	add_task("rcu_gp", pid++, 100, -1);
	add_task("rcu_par_gp", pid++, 100, -1);
	for (int c = 0; c < NCPU; c++) {
		snprintf(buf, sizeof(buf), "kworker/%d:0H", c);
		add_task(buf, pid++, 100, c);
	}
	add_task("rcu_preempt", pid++, 120, -1);
	for (int c = 0; c < NCPU; c++) {
		snprintf(buf, sizeof(buf), "migration/%d", c);
		add_task(buf, pid++, 0, c);
		snprintf(buf, sizeof(buf), "ksoftirqd/%d", c);
		add_task(buf, pid++, 120, c);
		snprintf(buf, sizeof(buf), "kworker/%d:0", c);
		add_task(buf, pid++, 120, c);
	}
	add_task("kdevtmpfs", pid++, 120, -1);
	add_task("kauditd", pid++, 120, -1);
	add_task("khungtaskd", pid++, 120, -1);
	add_task("oom_reaper", pid++, 120, -1);
	add_task("kcompactd0", pid++, 125, -1);
	add_task("khugepaged", pid++, 139, -1);
	add_task("kswapd0", pid++, 120, -1);
	add_task("watchdogd", pid++, 49, -1);
	pid += 40;
	add_task("scsi_eh_0", pid++, 120, -1);
	add_task("nvme-wq", pid++, 100, -1);
	for (int c = 0; c < NCPU; c++) {
		snprintf(buf, sizeof(buf), "kworker/%d:1", c);
		add_task(buf, pid++, 120, c);
		snprintf(buf, sizeof(buf), "kworker/%d:1H", c);
		add_task(buf, pid++, 100, c);
	}
	pid += 100;
	add_task("jbd2/nvme0n1p2-8", pid++, 120, -1);
	add_task("ext4-rsv-conver", pid++, 100, -1);
	for (int i = 0; i < 64; i++) {
		snprintf(buf, sizeof(buf), "kworker/u16:%d", i);
		add_task(buf, pid, 120, -1);
		pid += 1 + below(20);
	}
	pid = pid < 1000 ? 1000 : pid;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		for (int k = 0; k < services[i].n; k++) {
			add_task(services[i].comm, pid, 120, -1);
			pid += 1 + below(30);
		}
	pid = pid < 2100 ? 2100 : pid;
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		for (int k = 0; k < users[i].n; k++) {
			add_task(users[i].comm, pid, 120, -1);
			pid += 1 + below(60);
		}
	for (uint32_t i = 0; i < ntasks; i++) {
		tasks[i].path_base = below(NR_PROC_PATHS);
		tasks[i].work_base = below(NR_WORK_PATHS);
	}
}

/* ---- output ---- */

#define OBUF_SIZE	(8u << 20)
#define OBUF_SLACK	8192	/* more than the longest line */

static char *obuf;
static size_t olen;

static void flush_out(void)
{
	size_t off = 0;

	while (off < olen) {
		ssize_t n = write(STDOUT_FILENO, obuf + off, olen - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("gen_trace: write");
			exit(1);
		}
		off += n;
	}
	olen = 0;
}

static inline char *out_reserve(void)
{
	if (olen > OBUF_SIZE - OBUF_SLACK)
		flush_out();
	return obuf + olen;
}

static inline void out_commit(char *p)
{
	olen = p - obuf;
}

#define PUT(p, lit) do { memcpy((p), (lit), sizeof(lit) - 1); (p) += sizeof(lit) - 1; } while (0)

/* ---- time ---- */

static uint64_t now_us = 169309530;	/* 169.309530 */
static uint64_t ts_us = UINT64_MAX;
static char ts_str[32];
static uint32_t ts_len;

static inline void put_ts(char **pp)
{
	if (now_us != ts_us) {
		uint64_t sec = now_us / 1000000, usec = now_us % 1000000;
		char digits[24];
		char *q = utoa(digits, sec);
		uint32_t nd = q - digits, i = 0;

		for (; nd + i < 5; i++)
			ts_str[i] = ' ';
		memcpy(ts_str + i, digits, nd);
		i += nd;
		ts_str[i++] = '.';
		for (int k = 5; k >= 0; k--, usec /= 10)
			ts_str[i + k] = '0' + usec % 10;
		ts_len = i + 6;
		ts_us = now_us;
	}
	memcpy(*pp, ts_str, 16);
	*pp += ts_len;
}

/* ---- the machine ---- */

struct exec {
	int32_t path;		/* index in its table, -1 when none */
	const struct path *pa;
	uint32_t opi;		/* next op, relative */
	uint8_t nheld;
	uint8_t held[MAX_LOCKS];	/* positions, in acquisition order */
	uint32_t inst[MAX_LOCKS];	/* by position */
	uint8_t spin, irqoff, bhoff, irqblock;
};

struct cpu {
	uint32_t task;
	int ctx_irq;		/* 0, CTX_SOFT or CTX_HARD */
	uint32_t irq_id;	/* irq number or softirq vector */
	struct exec proc, irq;
	int64_t cend;		/* instance of a pending contention_end, or -1 */
	int cend_ctx;
};

static struct cpu cpus[NCPU];

static struct {
	uint64_t lines, acquires, releases, tries, reads, contentions, other;
	uint64_t hard_lines, soft_lines, switches;
} st;

static const char cpu_tag[NCPU][8] = {
	"[000] ", "[001] ", "[002] ", "[003] ", "[004] ", "[005] ", "[006] ", "[007] ",
};

static const char hexdig[] = "0123456789abcdef";

static inline void ctx_flags(char *f, const struct exec *e, int ctx)
{
	uint64_t r = rnd();
	uint32_t depth;

	switch (ctx) {
	case CTX_HARD:
		f[0] = 'd';
		f[2] = 'h';
		depth = 1 + e->spin;
		break;
	case CTX_SOFT:
		f[0] = e->irqoff ? 'd' : '.';
		f[2] = 's';
		depth = 1 + e->spin;
		break;
	default:
		f[0] = e->irqoff ? (e->bhoff ? 'D' : 'd') : e->bhoff ? 'b' : '.';
		f[2] = '.';
		depth = e->spin;
		break;
	}
	f[1] = (r & 0xff) == 0 ? 'N' : '.';
	f[3] = depth ? hexdig[depth > 15 ? 15 : depth] : '.';
	f[4] = ((r >> 8) & 0x3ff) == 0 ? '1' : '.';
}

/* The common head "comm-pid [cpu] flags  secs.usecs: " of a line. */
static inline char *line_head(int c, const char *flags)
{
	char *p = out_reserve();
	const struct task *t = &tasks[cpus[c].task];

	now_us += rnd() & 1;
	memcpy(p, t->prefix, 32);
	p += t->prefix_len;
	memcpy(p, cpu_tag[c], 8);
	p += 6;
	memcpy(p, flags, 5);
	p[5] = ' ';
	p += 6;
	put_ts(&p);
	*p++ = ':';
	*p++ = ' ';
	st.lines++;
	return p;
}

static inline void count_ctx(int ctx)
{
	if (ctx == CTX_HARD)
		st.hard_lines++;
	else if (ctx == CTX_SOFT)
		st.soft_lines++;
}

static void emit_acquire(int c, const struct exec *e, int ctx, uint32_t inst,
			 const struct lclass *cl, uint8_t flags)
{
	char f[5];
	char *p;

	ctx_flags(f, e, ctx);
	p = line_head(c, f);
	PUT(p, "lock_acquire: ");
	memcpy(p, lock_addr + 16 * (size_t)inst, 16);
	p[16] = ' ';
	p += 17;
	if (flags & ACQ_TRY)
		PUT(p, "try ");
	if (flags & ACQ_READ)
		PUT(p, "read ");
	memcpy(p, cl->name, NAME_SLOT);
	p += cl->len;
	*p++ = '\n';
	out_commit(p);
	st.acquires++;
	st.tries += !!(flags & ACQ_TRY);
	st.reads += !!(flags & ACQ_READ);
	count_ctx(ctx);
}

static int mute_releases;	/* made, not written: --four-locks=held */
static int four_locks;		/* 0: no; 1: released; 2: held (releases lost) */
static int four_done;
static uint32_t four_holder;	/* the task that took them */

static void emit_release(int c, const struct exec *e, int ctx, uint32_t inst,
			 const struct lclass *cl)
{
	char f[5];
	char *p;

	ctx_flags(f, e, ctx);
	p = line_head(c, f);
	if (mute_releases) {
		st.lines--;
		return;
	}
	PUT(p, "lock_release: ");
	memcpy(p, lock_addr + 16 * (size_t)inst, 16);
	p[16] = ' ';
	p += 17;
	memcpy(p, cl->name, NAME_SLOT);
	p += cl->len;
	*p++ = '\n';
	out_commit(p);
	st.releases++;
	count_ctx(ctx);
}

static const char *contention_flags(const struct lclass *cl, uint8_t flags)
{
	int rd = flags & ACQ_READ;

	switch (cl->type) {
	case T_MUTEX: return "MUTEX";
	case T_RWSEM: return rd ? "READ" : "WRITE";
	case T_PERCPU: return rd ? "PERCPU|READ" : "PERCPU|WRITE";
	case T_RWLOCK: return rd ? "SPIN|READ" : "SPIN|WRITE";
	default: return "SPIN";
	}
}

static void emit_cbegin(int c, const struct exec *e, int ctx, uint32_t inst,
			const struct lclass *cl, uint8_t flags)
{
	const char *fl = contention_flags(cl, flags);
	size_t n = strlen(fl);
	char f[5];
	char *p;

	ctx_flags(f, e, ctx);
	p = line_head(c, f);
	PUT(p, "contention_begin: ");
	memcpy(p, cont_addr + 16 * (size_t)inst, 16);
	p += 16;
	PUT(p, " (flags=");
	memcpy(p, fl, n);
	p += n;
	PUT(p, ")\n");
	out_commit(p);
	st.contentions++;
	count_ctx(ctx);
}

static void emit_cend(int c)
{
	struct cpu *cp = &cpus[c];
	int ctx = cp->cend_ctx;
	const struct exec *e = ctx == CTX_PROC ? &cp->proc : &cp->irq;
	char f[5];
	char *p;

	ctx_flags(f, e, ctx);
	p = line_head(c, f);
	PUT(p, "contention_end: ");
	memcpy(p, cont_addr + 16 * (size_t)cp->cend, 16);
	p += 16;
	PUT(p, " (ret=0)\n");
	out_commit(p);
	cp->cend = -1;
	st.contentions++;
	count_ctx(ctx);
}

static char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static void emit_sched_switch(int c, uint32_t prev, uint32_t next, const char *state)
{
	const struct task *pt = &tasks[prev], *nt = &tasks[next];
	char *p = line_head(c, "d..2.");
	char swapper[16];
	int n;

	PUT(p, "sched_switch: prev_comm=");
	if (prev == IDLE) {
		n = snprintf(swapper, sizeof(swapper), "swapper/%d", c);
		p = put_str(p, swapper, n);
	} else {
		p = put_str(p, pt->comm, pt->comm_len);
	}
	PUT(p, " prev_pid=");
	p = utoa(p, pt->pid);
	PUT(p, " prev_prio=");
	p = utoa(p, pt->prio);
	PUT(p, " prev_state=");
	p = put_str(p, state, strlen(state));
	PUT(p, " ==> next_comm=");
	if (next == IDLE) {
		n = snprintf(swapper, sizeof(swapper), "swapper/%d", c);
		p = put_str(p, swapper, n);
	} else {
		p = put_str(p, nt->comm, nt->comm_len);
	}
	PUT(p, " next_pid=");
	p = utoa(p, nt->pid);
	PUT(p, " next_prio=");
	p = utoa(p, nt->prio);
	*p++ = '\n';
	out_commit(p);
	st.other++;
	st.switches++;
}

static void emit_wakeup(int c, uint32_t task, int target)
{
	const struct task *t = &tasks[task];
	char *p = line_head(c, "d..3.");

	PUT(p, "sched_wakeup: comm=");
	p = put_str(p, t->comm, t->comm_len);
	PUT(p, " pid=");
	p = utoa(p, t->pid);
	PUT(p, " prio=");
	p = utoa(p, t->prio);
	PUT(p, " target_cpu=");
	*p++ = '0' + target / 100 % 10;
	*p++ = '0' + target / 10 % 10;
	*p++ = '0' + target % 10;
	*p++ = '\n';
	out_commit(p);
	st.other++;
}

static const struct { int irq; const char *name; } irqs[] = {
	{ 9, "acpi" }, { 16, "i801_smbus" }, { 120, "ahci[0000:00:17.0]" },
	{ 122, "nvme0q0" }, { 123, "nvme0q1" }, { 124, "nvme0q2" }, { 125, "nvme0q3" },
	{ 126, "nvme0q4" }, { 127, "xhci_hcd" }, { 128, "eth0-TxRx-0" },
	{ 129, "eth0-TxRx-1" }, { 130, "eth0-TxRx-2" }, { 131, "eth0-TxRx-3" }, { 132, "i915" },
};

static const char *const softirq_names[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};

static void emit_irq_edge(int c, int ctx, uint32_t id, int exit)
{
	char *p;

	if (ctx == CTX_HARD) {
		p = line_head(c, "d.h1.");
		if (exit)
			PUT(p, "irq_handler_exit: irq=");
		else
			PUT(p, "irq_handler_entry: irq=");
		p = utoa(p, irqs[id].irq);
		if (exit) {
			PUT(p, " ret=handled");
		} else {
			PUT(p, " name=");
			p = put_str(p, irqs[id].name, strlen(irqs[id].name));
		}
	} else {
		p = line_head(c, "..s1.");
		if (exit)
			PUT(p, "softirq_exit: vec=");
		else
			PUT(p, "softirq_entry: vec=");
		p = utoa(p, id);
		PUT(p, " [action=");
		p = put_str(p, softirq_names[id], strlen(softirq_names[id]));
		*p++ = ']';
	}
	*p++ = '\n';
	out_commit(p);
	st.other++;
	count_ctx(ctx);
}

/* ---- executing paths ---- */

static void exec_start(struct exec *e, const struct path *pa)
{
	e->pa = pa;
	e->path = 0;
	e->opi = 0;
	e->nheld = 0;
	e->spin = e->irqoff = e->bhoff = e->irqblock = 0;
}

static uint32_t instance(const struct lclass *cl, int c, uint32_t task, int ctx)
{
	if (cl->ninst_kind == PCPU)
		return cl->first_inst + c;
	if (cl->ninst_kind == PTASK && ctx == CTX_PROC)
		return cl->first_inst + task;
	return cl->first_inst + below(cl->ninst);
}

static void held_add(struct exec *e, const struct lclass *cl, int ctx, int sign)
{
	if (is_spinning(cl))
		e->spin += sign;
	if (blocks_irqs(cl)) {
		e->irqblock += sign;
		if (ctx == CTX_PROC) {
			if (cl->irq & IH)
				e->irqoff += sign;
			else
				e->bhoff += sign;
		} else if (ctx == CTX_SOFT && (cl->irq & IH)) {
			e->irqoff += sign;
		}
	}
}

static void do_acquire(int c, struct exec *e, int ctx, uint32_t pos, uint32_t inst,
		       uint8_t flags)
{
	const struct lclass *cl = &classes[e->pa->cls[pos]];

	e->inst[pos] = inst;
	e->held[e->nheld++] = pos;
	held_add(e, cl, ctx, 1);
	emit_acquire(c, e, ctx, inst, cl, flags);
	if (!(flags & ACQ_TRY) && can_contend(cl) && chance(P_CONTEND)) {
		emit_cbegin(c, e, ctx, inst, cl, flags);
		cpus[c].cend = inst;
		cpus[c].cend_ctx = ctx;
	}
}

static void do_release(int c, struct exec *e, int ctx, uint32_t pos)
{
	const struct lclass *cl = &classes[e->pa->cls[pos]];
	uint32_t i;

	for (i = e->nheld; i-- > 0;)
		if (e->held[i] == pos)
			break;
	memmove(&e->held[i], &e->held[i + 1], e->nheld - i - 1);
	e->nheld--;
	held_add(e, cl, ctx, -1);
	emit_release(c, e, ctx, e->inst[pos], cl);
}

/* One op of the path; the path ends with its last op. */
static void exec_step(int c, struct exec *e, int ctx)
{
	const struct op *op = &ops[e->pa->first_op + e->opi++];

	if (op->release) {
		do_release(c, e, ctx, op->pos);
	} else {
		const struct lclass *cl = &classes[e->pa->cls[op->pos]];

		do_acquire(c, e, ctx, op->pos, instance(cl, c, cpus[c].task, ctx),
			   e->pa->flags[op->pos]);
	}
	if (e->opi == e->pa->nr_ops)
		e->path = -1;
}

static void start_irq(int c)
{
	struct cpu *cp = &cpus[c];
	static const uint8_t vecs[] = { 1, 1, 1, 3, 3, 9, 9, 9, 7, 4, 2, 6, 8 };

	if (below(100) < 40) {
		cp->ctx_irq = CTX_HARD;
		cp->irq_id = below(sizeof(irqs) / sizeof(irqs[0]));
		exec_start(&cp->irq, &hard_paths[below(NR_HARD_PATHS)]);
	} else {
		cp->ctx_irq = CTX_SOFT;
		cp->irq_id = vecs[below(sizeof(vecs))];
		exec_start(&cp->irq, &soft_paths[below(NR_SOFT_PATHS)]);
	}
	emit_irq_edge(c, cp->ctx_irq, cp->irq_id, 0);
}

/* The irq section's next line: an op, or the exit once the path is done. */
static void irq_step(int c)
{
	struct cpu *cp = &cpus[c];

	if (cp->irq.path >= 0) {
		exec_step(c, &cp->irq, cp->ctx_irq);
	} else {
		emit_irq_edge(c, cp->ctx_irq, cp->irq_id, 1);
		cp->ctx_irq = 0;
	}
}

static void switch_task(int c)
{
	struct cpu *cp = &cpus[c];
	uint32_t prev = cp->task, next;
	static const char *const states[] = { "S", "S", "S", "S", "D", "R+", "R", "I" };

	if (prev != IDLE && below(100) < 12) {
		next = IDLE;
	} else if (four_done && prev != four_holder && !tasks[four_holder].running &&
		   (tasks[four_holder].cpu < 0 || tasks[four_holder].cpu == c) &&
		   below(100) < 30) {
		next = four_holder;
	} else {
		do
			next = 1 + below(ntasks - 1);
		while (tasks[next].running || (tasks[next].cpu >= 0 && tasks[next].cpu != c));
		if (below(100) < 45)
			emit_wakeup(c, next, c);
	}
	const char *state = prev == IDLE ? "R" : states[below(8)];

	if (!strcmp(state, "I") && !tasks[prev].kworker)
		state = "S";
	emit_sched_switch(c, prev, next, state);
	tasks[prev].running = prev == IDLE;
	tasks[next].running = 1;
	cp->task = next;
}

static const struct path *choose_proc_path(const struct task *t)
{
	if (four_done && t == &tasks[four_holder])
		return &proc_paths[below(NR_PROC_PATHS)];
	if (t->kworker && below(100) < 60)
		return &work_paths[(t->work_base + below(WORK_WINDOW)) % NR_WORK_PATHS];
	return &proc_paths[(t->path_base + below(PATH_WINDOW)) % NR_PROC_PATHS];
}

/* ---- the planted ABBA ---- */

static int plant, planted_fwd, planted_rev;
static uint32_t plant_a, plant_b, plant_task;

static void planted_pair(int c, uint32_t first, uint32_t second)
{
	struct path pa = { .nlocks = 2, .cls = { first, second } };
	struct exec e;

	exec_start(&e, &pa);
	do_acquire(c, &e, CTX_PROC, 0, instance(&classes[first], c, cpus[c].task, CTX_PROC), 0);
	if (cpus[c].cend >= 0)
		emit_cend(c);
	do_acquire(c, &e, CTX_PROC, 1, instance(&classes[second], c, cpus[c].task, CTX_PROC), 0);
	if (cpus[c].cend >= 0)
		emit_cend(c);
	do_release(c, &e, CTX_PROC, 1);
	do_release(c, &e, CTX_PROC, 0);
}

static int try_plant(int c, uint64_t n)
{
	struct cpu *cp = &cpus[c];

	if (!planted_fwd && st.lines >= n / 3) {
		planted_pair(c, plant_a, plant_b);
		planted_fwd = 1;
		plant_task = cp->task;
		return 1;
	}
	if (planted_fwd && !planted_rev && st.lines >= n / 2 && cp->task != plant_task) {
		planted_pair(c, plant_b, plant_a);
		planted_rev = 1;
		return 1;
	}
	return 0;
}

/* ---- four locks whose releases are lost ---- */

static int try_four_locks(int c, uint64_t n)
{
	static const char *const names[] = { "&mm->mmap_lock", "&mapping->i_mmap_rwsem",
					     "&p->pi_lock", "&rq->__lock" };
	struct path pa = { .nlocks = 4 };
	struct exec e;

	if (four_done || st.lines < n / 10 || cpus[c].task == IDLE)
		return 0;
	for (int i = 0; i < 4; i++)
		pa.cls[i] = class_by_name(names[i]);
	exec_start(&e, &pa);
	for (int i = 0; i < 4; i++) {
		do_acquire(c, &e, CTX_PROC, i,
			   instance(&classes[pa.cls[i]], c, cpus[c].task, CTX_PROC), 0);
		if (cpus[c].cend >= 0)
			emit_cend(c);
	}
	mute_releases = four_locks == 2;
	for (int i = 4; i-- > 0;)
		do_release(c, &e, CTX_PROC, i);
	mute_releases = 0;
	four_done = 1;
	four_holder = cpus[c].task;
	return 1;
}

/* ---- the scheduler of lines ---- */

static void run_irq_atomically(int c)
{
	struct cpu *cp = &cpus[c];

	start_irq(c);
	while (cp->ctx_irq) {
		if (cp->cend >= 0)
			emit_cend(c);
		else
			irq_step(c);
	}
}

static void step(int c, uint64_t n)
{
	struct cpu *cp = &cpus[c];

	if (cp->cend >= 0) {
		emit_cend(c);
	} else if (cp->ctx_irq) {
		irq_step(c);
	} else if (cp->task == IDLE) {
		if (below(100) < 55)
			switch_task(c);
		else
			run_irq_atomically(c);
	} else if (cp->proc.path >= 0) {
		if (!cp->proc.irqblock && chance(P_IRQ_MID))
			start_irq(c);
		else
			exec_step(c, &cp->proc, CTX_PROC);
	} else if (four_locks && !four_done && try_four_locks(c, n)) {
		;
	} else if (plant && (!planted_fwd || !planted_rev) && try_plant(c, n)) {
		;
	} else {
		uint32_t r = rnd() & 0xffff;

		if (r < P_SWITCH) {
			switch_task(c);
		} else if (r < P_SWITCH + P_IRQ) {
			start_irq(c);
		} else {
			exec_start(&cp->proc, choose_proc_path(&tasks[cp->task]));
			exec_step(c, &cp->proc, CTX_PROC);
		}
	}
}

/* Lines still owed: a release for each held lock, pending ends and exits. */
static uint64_t outstanding(void)
{
	uint64_t n = 0;

	for (int c = 0; c < NCPU; c++) {
		const struct cpu *cp = &cpus[c];

		n += cp->proc.nheld + (cp->cend >= 0);
		if (cp->ctx_irq)
			n += cp->irq.nheld + 1;
	}
	return n;
}

static void drain(int c)
{
	struct cpu *cp = &cpus[c];

	if (cp->cend >= 0)
		emit_cend(c);
	if (cp->ctx_irq) {
		while (cp->irq.nheld)
			do_release(c, &cp->irq, cp->ctx_irq, cp->irq.held[cp->irq.nheld - 1]);
		emit_irq_edge(c, cp->ctx_irq, cp->irq_id, 1);
		cp->ctx_irq = 0;
	}
	while (cp->proc.nheld)
		do_release(c, &cp->proc, CTX_PROC, cp->proc.held[cp->proc.nheld - 1]);
	cp->proc.path = -1;
}

static void header(uint64_t n)
{
	char *p = out_reserve();

	PUT(p, "# tracer: nop\n#\n# entries-in-buffer/entries-written: ");
	p = utoa(p, n);
	*p++ = '/';
	p = utoa(p, n);
	PUT(p, "   #P:");
	p = utoa(p, NCPU);
	PUT(p, "\n#\n"
	       "#                                _-----=> irqs-off/BH-disabled\n"
	       "#                               / _----=> need-resched\n"
	       "#                              | / _---=> hardirq/softirq\n"
	       "#                              || / _--=> preempt-depth\n"
	       "#                              ||| / _-=> migrate-disable\n"
	       "#                              |||| /     delay\n"
	       "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	       "#              | |         |   |||||     |         |\n");
	out_commit(p);
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_trace N [SEED] [--plant-cycle] [--four-locks=held|released] "
		"[--stats]\n"
		"  writes an ftrace text trace of N events to stdout\n");
	exit(2);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t n = 0, seed = 1;
	int npos = 0, stats = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--plant-cycle"))
			plant = 1;
		else if (!strcmp(argv[i], "--four-locks=held"))
			four_locks = 2;
		else if (!strcmp(argv[i], "--four-locks=released"))
			four_locks = 1;
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			usage();
		else if (npos == 0 && !parse_u64(argv[i], &n))
			npos++;
		else if (npos == 1 && !parse_u64(argv[i], &seed))
			npos++;
		else
			usage();
	}
	if (npos == 0)
		usage();

	/* hashed: seeds next to each other must not give shifted streams */
	rng_state = seed ^ 0x6c6f636b67726170ULL;
	rng_state = rnd();
	build_tasks();
	build_classes(seed);
	build_pools();
	build_paths();
	plant_b = class_by_name("&mm->mmap_lock");
	plant_a = plant_b - 1;	/* the last &sb->s_type->i_mutex_key#N */

	obuf = malloc(OBUF_SIZE);
	if (!obuf) {
		perror("gen_trace");
		return 2;
	}
	header(n);

	/* every CPU starts idle or running a distinct task */
	for (int c = 0; c < NCPU; c++) {
		cpus[c].cend = -1;
		cpus[c].proc.path = cpus[c].irq.path = -1;
		if (below(100) < 25) {
			cpus[c].task = IDLE;
		} else {
			uint32_t t;

			do
				t = 1 + below(ntasks - 1);
			while (tasks[t].running || (tasks[t].cpu >= 0 && tasks[t].cpu != c));
			tasks[t].running = 1;
			cpus[c].task = t;
		}
	}

	while (st.lines + outstanding() + 64 <= n)
		step(below(NCPU), n);
	for (int c = 0; c < NCPU; c++)
		drain(c);
	if (plant && !planted_rev) {
		for (int c = 0; c < NCPU && !planted_rev; c++) {
			if (cpus[c].task == IDLE || n - st.lines < 6)
				continue;
			if (!planted_fwd)
				try_plant(c, 0);
			else if (cpus[c].task != plant_task)
				try_plant(c, 0);
		}
	}
	/* pad to exactly n lines with rcu_read_lock sections and a wakeup */
	uint32_t rcu = class_by_name("rcu_read_lock");
	struct path pad = { .nlocks = 1, .cls = { rcu } };
	struct exec e;

	while (n - st.lines >= 2) {
		int c = below(NCPU);

		exec_start(&e, &pad);
		e.inst[0] = classes[rcu].first_inst;
		emit_acquire(c, &e, CTX_PROC, e.inst[0], &classes[rcu], ACQ_READ);
		emit_release(c, &e, CTX_PROC, e.inst[0], &classes[rcu]);
	}
	if (n > st.lines)
		emit_wakeup(0, 1 + below(ntasks - 1), below(NCPU));
	flush_out();

	if (stats) {
		double l = st.lines ? (double)st.lines : 1;

		fprintf(stderr,
			"lines %llu: acquire %.1f%% release %.1f%% contention %.1f%% other %.1f%% "
			"(switches %llu)\n"
			"acquires: try %.1f%% read %.1f%%; hardirq lines %.1f%% softirq lines %.1f%%\n"
			"tasks %u classes %u instances %u ops %u planted %d/%d\n",
			(unsigned long long)st.lines, 100 * st.acquires / l, 100 * st.releases / l,
			100 * st.contentions / l, 100 * st.other / l, (unsigned long long)st.switches,
			100.0 * st.tries / (st.acquires ? st.acquires : 1),
			100.0 * st.reads / (st.acquires ? st.acquires : 1),
			100 * st.hard_lines / l, 100 * st.soft_lines / l,
			ntasks, nr_classes, nr_insts, nr_ops, planted_fwd, planted_rev);
	}
	return 0;
}
