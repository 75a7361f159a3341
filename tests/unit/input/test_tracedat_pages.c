/* A trace.dat's CPU data read by lockgraph itself: ring-buffer pages decoded
 * (times, losses, damage), a CPU's pages and zstd chunks read a block at a
 * time, and the CPUs merged in libtracecmd's order whatever the threads. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "lockgraph/input/tracedat_merge.h"
#include "lockgraph/input/tracedat_page.h"
#include "lockgraph/input/tracedat_stream.h"
#include "unit.h"

#define PAGE 4096
#define DATA 16		/* the page header: time stamp and an 8-byte commit word */

static const struct lg_page_format le8 = { .page_size = PAGE, .commit_size = 8 };

/* A page being written: little-endian, commit word of 8 bytes. */
struct page {
	unsigned char b[PAGE];
	uint32_t pos;		/* of the next event, from the data */
};

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void page_start(struct page *pg, uint64_t ts)
{
	memset(pg->b, 0, PAGE);
	memcpy(pg->b, &ts, 8);
	pg->pos = 0;
}

static void page_commit(struct page *pg, uint64_t flags)
{
	uint64_t commit = pg->pos | flags;

	memcpy(pg->b + 8, &commit, 8);
}

/* A data event of words 4-byte words (the first holding tag), delta after the last. */
static void page_event(struct page *pg, uint32_t delta, uint32_t words, uint32_t tag)
{
	put32(pg->b + DATA + pg->pos, words | delta << 5);
	put32(pg->b + DATA + pg->pos + 4, tag);
	pg->pos += 4 + 4 * words;
}

/* type_len 30 (extend) or 31 (absolute): a 59-bit value in two words */
static void page_time(struct page *pg, uint32_t type, uint64_t t)
{
	put32(pg->b + DATA + pg->pos, type | (uint32_t)(t & ((1u << 27) - 1)) << 5);
	put32(pg->b + DATA + pg->pos + 4, (uint32_t)(t >> 27));
	pg->pos += 8;
}

START_TEST(page_times_follow_deltas_extends_and_absolute_stamps)
{
	struct lg_page_event ev[PAGE / 8];
	struct page pg;
	uint32_t nr, bad;
	long long missed;
	uint64_t top = 0xf8ULL << 56;

	page_start(&pg, top | 1000);
	page_event(&pg, 0, 2, 0xa);
	page_event(&pg, 5, 1, 0xb);
	/* a discarded event: padding that keeps its delta */
	put32(pg.b + DATA + pg.pos, 29 | 7 << 5);
	put32(pg.b + DATA + pg.pos + 4, 8);
	pg.pos += 12;
	page_time(&pg, 30, 1ULL << 30);
	page_event(&pg, 3, 1, 0xc);
	page_time(&pg, 31, 5000);
	page_event(&pg, 0, 28, 0xd);
	page_commit(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_EVENTS);
	ck_assert_uint_eq(nr, 4);
	ck_assert_int_eq(missed, 0);
	ck_assert_uint_eq(ev[0].ts, top | 1000);
	ck_assert_uint_eq(ev[0].at, DATA);
	ck_assert_uint_eq(ev[0].data, DATA + 4);
	ck_assert_uint_eq(ev[0].size, 8);
	ck_assert_uint_eq(ev[1].ts, top | 1005);
	ck_assert_uint_eq(ev[2].ts, (top | 1012) + (1ULL << 30) + 3);
	/* an absolute stamp keeps the top five bits of the time it replaces */
	ck_assert_uint_eq(ev[3].ts, top | 5000);
	ck_assert_uint_eq(ev[3].size, 112);
	ck_assert_uint_eq(pg.b[ev[1].data], 0xb);
}
END_TEST

/* Events lost before a page: a stored count, or unknown; a page of zeros
 * lost all of its; one without events is not a loss. */
START_TEST(page_losses_and_empty_and_zeroed_pages)
{
	struct lg_page_event ev[PAGE / 8];
	struct page pg;
	uint32_t nr, bad;
	long long missed;
	uint64_t count = 41;

	page_start(&pg, 10);
	page_event(&pg, 0, 1, 1);
	memcpy(pg.b + DATA + pg.pos, &count, 8);
	page_commit(&pg, 1ULL << 31 | 1ULL << 30);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_EVENTS);
	ck_assert_int_eq(missed, 41);
	page_commit(&pg, 1ULL << 31);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_EVENTS);
	ck_assert_int_eq(missed, -1);
	ck_assert_uint_eq(nr, 1);

	page_start(&pg, 10);
	page_commit(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_EMPTY);
	page_start(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_ZEROED);
}
END_TEST

START_TEST(page_damage_is_found_where_it_is)
{
	struct lg_page_event ev[PAGE / 8];
	struct page pg;
	uint32_t nr, bad;
	long long missed;

	page_start(&pg, 10);
	page_event(&pg, 0, 1, 1);
	pg.pos = PAGE - DATA + 1;
	page_commit(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_OVERFULL);

	page_start(&pg, 10);
	page_event(&pg, 0, 1, 1);
	page_event(&pg, 0, 1, 1);
	put32(pg.b + DATA + 8, 0);	/* the second: a sized event of length 0 */
	page_commit(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_BAD_EVENT);
	ck_assert_uint_eq(bad, DATA + 8);

	page_start(&pg, 10);
	page_event(&pg, 0, 1, 1);
	pg.pos -= 4;			/* commit cuts the event's data */
	page_commit(&pg, 0);
	ck_assert_int_eq(lg_page_decode(&le8, pg.b, ev, &nr, &missed, &bad), LG_PAGE_BAD_EVENT);
	ck_assert_uint_eq(bad, DATA);
}
END_TEST

START_TEST(big_endian_pages_read_the_same)
{
	const struct lg_page_format be4 = { .big_endian = true, .page_size = PAGE,
					    .commit_size = 4 };
	struct lg_page_event ev[PAGE / 8];
	unsigned char b[PAGE] = { 0 };
	uint32_t nr, bad;
	long long missed;

	b[7] = 100;		/* time stamp 100 */
	b[11] = 16;		/* commit: two events of 8 bytes */
	b[12] = 1 << 3;		/* type_len 1 in the top 5 bits, delta 0 */
	b[20] = 1 << 3;
	b[23] = 9;		/* delta 9 in the low 27 bits */
	ck_assert_int_eq(lg_page_decode(&be4, b, ev, &nr, &missed, &bad), LG_PAGE_EVENTS);
	ck_assert_uint_eq(nr, 2);
	ck_assert_uint_eq(ev[0].ts, 100);
	ck_assert_uint_eq(ev[0].data, 12 + 4);
	ck_assert_uint_eq(ev[1].ts, 109);
}
END_TEST

/* One CPU's data: npages pages, each with per_page events of tag cpu << 24 | i,
 * time base + 10 * i; page zero_at (if below npages) all zeros. */
static void write_pages(FILE *f, unsigned cpu, unsigned npages, unsigned per_page,
			uint64_t base, unsigned zero_at)
{
	struct page pg;
	unsigned i = 0;

	for (unsigned p = 0; p < npages; p++) {
		page_start(&pg, base + 10 * i);
		if (p == zero_at) {
			memset(pg.b, 0, PAGE);
		} else {
			for (unsigned k = 0; k < per_page; k++, i++)
				page_event(&pg, k ? 10 : 0, 1, cpu << 24 | i);
			page_commit(&pg, 0);
		}
		ck_assert_uint_eq(fwrite(pg.b, 1, PAGE, f), PAGE);
	}
}

static int open_file(const char *name, FILE **f)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	*f = fopen(path, "w+");
	ck_assert_ptr_nonnull(*f);
	return fileno(*f);
}

static uint32_t tag(const struct lg_stream_record *r)
{
	uint32_t t;

	memcpy(&t, r->data, 4);
	return t;
}

/* Merge streams 0..n-1 of the file on threads; the tags in order into out. */
static uint32_t merge_all(struct lg_tracedat_stream *s, uint32_t n, unsigned threads,
			  uint32_t *out, uint32_t max, uint32_t *zeroed)
{
	struct lg_tracedat_merge *m;
	const struct lg_stream_record *r;
	struct lg_error err;
	uint32_t stream, nr = 0;
	int ret;

	ck_assert_int_eq(lg_tracedat_merge_start(&m, s, n, &err), 0);
	lg_tracedat_merge_run(m, threads);
	*zeroed = 0;
	while ((r = lg_tracedat_merge_next(m, &stream, &ret, &err))) {
		ck_assert_uint_lt(nr, max);
		ck_assert_uint_eq(tag(r) >> 24, stream);
		*zeroed += r->zeroed;
		out[nr++] = tag(r);
	}
	ck_assert_int_eq(ret, 0);
	for (uint32_t i = 0; i < n; i++)
		*zeroed += lg_tracedat_merge_summary(m, i)->tail_zeroed;
	lg_tracedat_merge_stop(m);
	return nr;
}

/* Equal times go to the earlier CPU, as tracecmd_iterate_events_multi()
 * gives them, and the order is the same on one thread as on four, with
 * blocks of one page and of many. */
START_TEST(merge_order_is_libtracecmds_whatever_the_threads)
{
	enum { PAGES = 40, PER = 50, CPUS = 3 };
	static uint32_t one[CPUS * PAGES * PER], four[CPUS * PAGES * PER];
	struct lg_tracedat_stream s[CPUS];
	struct lg_error err;
	uint32_t n1, n4, z1, z4;
	FILE *f;
	int fd;

	make_tmpdir();
	fd = open_file("cpus.dat", &f);
	write_pages(f, 0, PAGES, PER, 1000, 7);
	write_pages(f, 1, PAGES, PER, 1000, PAGES);	/* the same times as CPU 0 */
	write_pages(f, 2, PAGES, PER, 1005, PAGES - 1);
	fflush(f);
	for (unsigned c = 0; c < CPUS; c++)
		ck_assert_int_eq(lg_tracedat_stream_init(&s[c], fd, "cpus.dat", c, &le8, false,
							 (uint64_t)c * PAGES * PAGE,
							 PAGES * PAGE, PAGE, &err), 0);
	n1 = merge_all(s, CPUS, 1, one, CPUS * PAGES * PER, &z1);
	for (unsigned c = 0; c < CPUS; c++) {
		lg_tracedat_stream_release(&s[c]);
		lg_tracedat_stream_init(&s[c], fd, "cpus.dat", c, &le8, false,
					(uint64_t)c * PAGES * PAGE, PAGES * PAGE, 5 * PAGE, &err);
	}
	n4 = merge_all(s, CPUS, 4, four, CPUS * PAGES * PER, &z4);
	ck_assert_uint_eq(n1, (3 * PAGES - 2) * PER);
	ck_assert_uint_eq(n4, n1);
	ck_assert_mem_eq(one, four, n1 * sizeof(one[0]));
	ck_assert_uint_eq(z1, 2);	/* CPU 0's page 7 before a record, CPU 2's last after */
	ck_assert_uint_eq(z4, 2);
	/* time 1000: CPU 0's first, then CPU 1's; 1005: CPU 2's */
	ck_assert_uint_eq(one[0], 0);
	ck_assert_uint_eq(one[1], 1u << 24);
	ck_assert_uint_eq(one[2], 2u << 24);
	ck_assert_uint_eq(one[3], 1);
	for (unsigned c = 0; c < CPUS; c++)
		lg_tracedat_stream_release(&s[c]);
	fclose(f);
	remove_tmpdir();
}
END_TEST

/* A version 7 CPU: its chunk count, then chunks of pages compressed with zstd
 * one by one; a chunk that does not decompress is an error at its offset. */
START_TEST(compressed_chunks_read_one_at_a_time)
{
	enum { PAGES = 30, PER = 10, CHUNK = 10 };
	static unsigned char plain[PAGES * PAGE];
	unsigned char packed[ZSTD_COMPRESSBOUND(CHUNK * PAGE)];
	struct lg_tracedat_stream s;
	struct lg_tracedat_block b = { 0 };
	struct lg_error err;
	char want[128];
	uint32_t count = PAGES / CHUNK, total = 0;
	uint64_t size = 0, second = 0;
	FILE *f, *pf;
	int fd;

	make_tmpdir();
	open_file("plain", &pf);
	write_pages(pf, 0, PAGES, PER, 50, PAGES);
	rewind(pf);
	ck_assert_uint_eq(fread(plain, 1, sizeof(plain), pf), sizeof(plain));
	fclose(pf);
	fd = open_file("v7.dat", &f);
	fwrite(&count, 4, 1, f);
	for (unsigned c = 0; c < count; c++) {
		size_t n = ZSTD_compress(packed, sizeof(packed), plain + c * CHUNK * PAGE,
					 CHUNK * PAGE, 1);
		uint32_t sizes[2] = { (uint32_t)n, CHUNK * PAGE };

		ck_assert(!ZSTD_isError(n));
		if (c == 1)
			second = 4 + size;
		fwrite(sizes, 4, 2, f);
		fwrite(packed, 1, n, f);
		size += 8 + n;
	}
	fflush(f);
	ck_assert_int_eq(lg_tracedat_stream_init(&s, fd, "v7.dat", 3, &le8, true, 0, size,
						 CHUNK * PAGE, &err), 0);
	do {
		lg_tracedat_stream_fill(&s, &b);
		ck_assert_int_eq(b.error, 0);
		for (uint32_t i = 0; i < b.nr; i++, total++) {
			ck_assert_uint_eq(tag(&b.recs[i]), total);
			ck_assert_uint_eq(b.recs[i].ts, 50 + 10 * total);
			/* offsets in the CPU's decompressed data */
			ck_assert_uint_eq(b.recs[i].offset, total / PER * PAGE + DATA + total % PER * 8);
		}
	} while (!b.end);
	ck_assert_uint_eq(total, PAGES * PER);
	lg_tracedat_stream_release(&s);

	/* garble the second chunk's data */
	ck_assert_int_eq(pwrite(fd, "\xff\xff\xff\xff\xff\xff\xff\xff", 8, second + 8), 8);
	lg_tracedat_stream_init(&s, fd, "v7.dat", 3, &le8, true, 0, size, CHUNK * PAGE, &err);
	lg_tracedat_stream_fill(&s, &b);
	ck_assert_int_eq(b.error, 0);
	lg_tracedat_stream_fill(&s, &b);
	ck_assert_int_lt(b.error, 0);
	snprintf(want, sizeof(want), "v7.dat: CPU 3, chunk 1 at offset %llu: ",
		 (unsigned long long)second);
	ck_assert_msg(strstr(b.err.msg, want) &&
		      strstr(b.err.msg, "cannot decompress it (zstd: "), "%s", b.err.msg);
	lg_tracedat_stream_release(&s);
	lg_tracedat_block_release(&b);
	fclose(f);
	remove_tmpdir();
}
END_TEST

/* Time that goes back within a CPU is damage, at the record that does. */
START_TEST(time_going_back_in_a_cpu_is_refused)
{
	struct lg_tracedat_stream s;
	struct lg_tracedat_block b = { 0 };
	struct lg_error err;
	struct page pg;
	FILE *f;
	int fd;

	make_tmpdir();
	fd = open_file("back.dat", &f);
	page_start(&pg, 500);
	page_event(&pg, 0, 1, 0);
	page_commit(&pg, 0);
	fwrite(pg.b, 1, PAGE, f);
	page_start(&pg, 400);
	page_event(&pg, 0, 1, 0);
	page_commit(&pg, 0);
	fwrite(pg.b, 1, PAGE, f);
	fflush(f);
	lg_tracedat_stream_init(&s, fd, "back.dat", 1, &le8, false, 0, 2 * PAGE, 2 * PAGE, &err);
	lg_tracedat_stream_fill(&s, &b);
	ck_assert_int_lt(b.error, 0);
	ck_assert_str_eq(b.err.msg, "back.dat: CPU 1, offset 4112: time goes back from 500 to "
			 "400 within the CPU's buffer (a damaged page?)");
	lg_tracedat_stream_release(&s);
	lg_tracedat_block_release(&b);
	fclose(f);
	remove_tmpdir();
}
END_TEST

Suite *tracedat_pages_suite(void)
{
	Suite *s = suite_create("tracedat_pages");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, page_times_follow_deltas_extends_and_absolute_stamps);
	tcase_add_test(tc, page_losses_and_empty_and_zeroed_pages);
	tcase_add_test(tc, page_damage_is_found_where_it_is);
	tcase_add_test(tc, big_endian_pages_read_the_same);
	tcase_add_test(tc, merge_order_is_libtracecmds_whatever_the_threads);
	tcase_add_test(tc, compressed_chunks_read_one_at_a_time);
	tcase_add_test(tc, time_going_back_in_a_cpu_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
