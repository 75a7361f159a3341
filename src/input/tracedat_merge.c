/* Merging a trace.dat's CPU streams in time order, their blocks filled
 * ahead on worker threads; see tracedat_merge.h. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/input/tracedat_merge.h"
#include "lockgraph/lib/util.h"

#define LANE_BLOCKS 4	/* blocks a worker may fill ahead of the merge, per stream */

/* A stream and its ring of blocks: blocks[head] is the one the merge reads,
 * count of them from there are filled. */
struct lane {
	struct lg_tracedat_stream *stream;
	struct lg_tracedat_block blocks[LANE_BLOCKS];
	uint32_t head, count;
	bool filled_last;	/* the end or an error is among the filled */
	struct lg_tracedat_block *block;	/* blocks[head] once it is filled */
	uint32_t next;		/* the head block's record the merge is at */
	const struct lg_stream_record *first;	/* until the merge moves on */
	struct lg_stream_summary summary;
};

struct entry {
	uint64_t ts;
	uint32_t lane;
};

struct worker {
	struct lg_tracedat_merge *m;
	unsigned index;
	pthread_t thread;
};

struct lg_tracedat_merge {
	struct lane *lanes;
	uint32_t n;
	struct entry *heap;	/* of the lanes with a record, by (ts, lane) */
	uint32_t heap_nr;
	uint32_t last;		/* the lane of the record given last, LG_NONE */
	struct worker *workers;
	unsigned nr_workers;	/* 0: blocks are filled on the merge's thread */
	pthread_mutex_t lock;	/* over the lanes' head, count and filled_last, and stop */
	pthread_cond_t filled, freed;
	bool stop;
};

/* Of the worker's lanes, the one with the fewest blocks ready, if any has room. */
static struct lane *lane_to_fill(struct lg_tracedat_merge *m, unsigned index)
{
	struct lane *best = NULL;

	for (uint32_t i = index; i < m->n; i += m->nr_workers) {
		struct lane *l = &m->lanes[i];

		if (!l->filled_last && l->count < LANE_BLOCKS && (!best || l->count < best->count))
			best = l;
	}
	return best;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct lg_tracedat_merge *m = w->m;

	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct lane *l = w->index < m->nr_workers ? lane_to_fill(m, w->index) : NULL;
		struct lg_tracedat_block *b;

		if (!l) {
			pthread_cond_wait(&m->freed, &m->lock);
			continue;
		}
		b = &l->blocks[(l->head + l->count) % LANE_BLOCKS];
		pthread_mutex_unlock(&m->lock);
		lg_tracedat_stream_fill(l->stream, b);
		pthread_mutex_lock(&m->lock);
		l->count++;
		l->filled_last = b->end || b->error;
		pthread_cond_signal(&m->filled);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

static struct lg_tracedat_block *head_block(struct lg_tracedat_merge *m, struct lane *l)
{
	if (!m->nr_workers) {
		if (!l->count) {
			lg_tracedat_stream_fill(l->stream, &l->blocks[l->head]);
			l->count = 1;
		}
		return &l->blocks[l->head];
	}
	pthread_mutex_lock(&m->lock);
	while (!l->count)
		pthread_cond_wait(&m->filled, &m->lock);
	pthread_mutex_unlock(&m->lock);
	return &l->blocks[l->head];
}

static void release_head(struct lg_tracedat_merge *m, struct lane *l)
{
	if (!m->nr_workers) {
		l->count = 0;
		return;
	}
	pthread_mutex_lock(&m->lock);
	l->head = (l->head + 1) % LANE_BLOCKS;
	l->count--;
	pthread_cond_broadcast(&m->freed);
	pthread_mutex_unlock(&m->lock);
}

/* The lane's record at l->next, through as many blocks as that takes: NULL
 * at its end, or on an error (*ret and err set). */
static const struct lg_stream_record *current(struct lg_tracedat_merge *m, struct lane *l,
					      int *ret, struct lg_error *err)
{
	for (;;) {
		struct lg_tracedat_block *b = l->block ? l->block : (l->block = head_block(m, l));

		if (b->error) {
			*err = b->err;
			*ret = b->error;
			return NULL;
		}
		if (l->next < b->nr)
			return &b->recs[l->next];
		if (b->end) {
			l->summary.tail_zeroed = b->tail_zeroed;
			l->summary.tail_missed = b->tail_missed;
			return NULL;
		}
		release_head(m, l);
		l->block = NULL;
		l->next = 0;
	}
}

static bool before(const struct entry *a, const struct entry *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->lane < b->lane);
}

static void sift_down(struct lg_tracedat_merge *m, uint32_t i)
{
	struct entry e = m->heap[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= m->heap_nr)
			break;
		if (c + 1 < m->heap_nr && before(&m->heap[c + 1], &m->heap[c]))
			c++;
		if (!before(&m->heap[c], &e))
			break;
		m->heap[i] = m->heap[c];
		i = c;
	}
	m->heap[i] = e;
}

void lg_tracedat_merge_run(struct lg_tracedat_merge *m, unsigned threads)
{
	unsigned want = threads > 1 ? threads - 1 : 0;

	if (want > m->n)
		want = m->n;
	if (!want)
		return;
	m->workers = lg_xcalloc(want, sizeof(*m->workers));
	pthread_mutex_lock(&m->lock);
	m->nr_workers = want;
	for (unsigned i = 0; i < want; i++) {
		m->workers[i] = (struct worker){ .m = m, .index = i };
		if (pthread_create(&m->workers[i].thread, NULL, work, &m->workers[i])) {
			m->nr_workers = i;	/* the lanes are shared among those running */
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
}

int lg_tracedat_merge_start(struct lg_tracedat_merge **out, struct lg_tracedat_stream *streams,
			    uint32_t n, struct lg_error *err)
{
	struct lg_tracedat_merge *m = lg_xcalloc(1, sizeof(*m));
	int ret = 0;

	m->n = n;
	m->last = LG_NONE;
	m->lanes = lg_xcalloc(n, sizeof(*m->lanes));
	m->heap = lg_xcalloc(n, sizeof(*m->heap));
	for (uint32_t i = 0; i < n; i++)
		m->lanes[i].stream = &streams[i];
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->filled, NULL);
	pthread_cond_init(&m->freed, NULL);
	for (uint32_t i = 0; i < n && !ret; i++) {
		const struct lg_stream_record *r = current(m, &m->lanes[i], &ret, err);

		m->lanes[i].first = r;
		if (r)
			m->heap[m->heap_nr++] = (struct entry){ r->ts, i };
	}
	for (uint32_t i = m->heap_nr / 2; i-- > 0;)
		sift_down(m, i);
	*out = m;
	return ret;
}

const struct lg_stream_record *lg_tracedat_merge_first(const struct lg_tracedat_merge *m,
						       uint32_t stream)
{
	return m->lanes[stream].first;
}

const struct lg_stream_record *lg_tracedat_merge_next(struct lg_tracedat_merge *m,
						      uint32_t *stream, int *ret,
						      struct lg_error *err)
{
	const struct lg_stream_record *r;
	struct lane *l;

	*ret = 0;
	if (m->last != LG_NONE) {
		l = &m->lanes[m->last];
		l->next++;
		r = current(m, l, ret, err);
		if (*ret)
			return NULL;
		if (r)
			m->heap[0].ts = r->ts;
		else
			m->heap[0] = m->heap[--m->heap_nr];
		sift_down(m, 0);
		m->last = LG_NONE;
	}
	if (!m->heap_nr)
		return NULL;
	m->last = m->heap[0].lane;
	l = &m->lanes[m->last];
	r = &l->block->recs[l->next];
	l->summary.records++;
	l->summary.last_ts = r->ts;
	*stream = m->last;
	return r;
}

const struct lg_stream_summary *lg_tracedat_merge_summary(const struct lg_tracedat_merge *m,
							  uint32_t stream)
{
	return &m->lanes[stream].summary;
}

void lg_tracedat_merge_stop(struct lg_tracedat_merge *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_broadcast(&m->freed);
	pthread_mutex_unlock(&m->lock);
	for (unsigned i = 0; i < m->nr_workers; i++)
		pthread_join(m->workers[i].thread, NULL);
	for (uint32_t i = 0; i < m->n; i++)
		for (unsigned k = 0; k < LANE_BLOCKS; k++)
			lg_tracedat_block_release(&m->lanes[i].blocks[k]);
	pthread_cond_destroy(&m->filled);
	pthread_cond_destroy(&m->freed);
	pthread_mutex_destroy(&m->lock);
	free(m->workers);
	free(m->heap);
	free(m->lanes);
	free(m);
}
