/*
 * test_packed.c -- the packed in-memory form of mapping blocks
 * (format/sm_packed.h) and the pools that keep it (base/sm_pool.h) give
 * the same answers as lookups on freshly decoded blocks.
 *
 * Every map is opened three times over the same stored bytes: with no
 * block cache (each lookup decodes its block: the reference), with every
 * block kept packed, and in a pool so small, shared with a second map,
 * that blocks are evicted all the time.  All three are asked at every
 * segment's position and the column after it, and at random positions, in
 * all four biases, and iterated; the answers must agree field by field.
 * The maps vendored in test/data always run; with ../shared/oracle present
 * (or $SM_SHARED set) every corpus map runs too.  Blocks at the extremes of
 * the value ranges (61-bit keys that straddle a word) are packed directly.
 * The pool's eviction order (second chance) is checked on parts alone.
 */
#define _XOPEN_SOURCE 500

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_pool.h"
#include "format/sm_packed.h"
#include "test_util.h"

#define RANDOM_QUERIES 20000
#define TINY_POOL_BLOCKS 3

static TuCounts total;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool
same_answer(int ra, const SmMapping *a, int rb, const SmMapping *b)
{
	if (ra != rb)
		return false;
	return ra != 1 || memcmp(a, b, sizeof(SmMapping)) == 0;
}

static const char *const bias_name[] = {"glb", "lub", "exact", "glb_cross_line"};

/* The three maps of one stored value (and the fourth sharing the tiny pool). */
typedef struct Trio
{
	SmMap	   *ref;
	SmMap	   *packed;
	SmMap	   *tiny;
	const char *what;
	long		printed;
} Trio;

static void
compare_at(Trio *t, uint32_t line, uint32_t col, TuCounts *c)
{
	for (int bias = SM_BIAS_GLB; bias <= SM_BIAS_GLB_CROSS_LINE; bias++)
	{
		SmMapping	a,
					b,
					d;
		SmError		err = {0};
		int			ra = sm_lookup(t->ref, line, col, (SmBias) bias, &a, &err);
		int			rb = sm_lookup(t->packed, line, col, (SmBias) bias, &b, &err);
		int			rd = sm_lookup(t->tiny, line, col, (SmBias) bias, &d, &err);
		bool		ok = ra >= 0 && same_answer(ra, &a, rb, &b) && same_answer(ra, &a, rd, &d);

		if (!ok && t->printed++ < 10)
			printf("FAIL: %s %u:%u %s: decoded %d (%u:%u src %u %u:%u name %u), packed %d, "
				   "tiny pool %d (%s)\n", t->what, line, col, bias_name[bias], ra, a.gen_line,
				   a.gen_col, a.source, a.orig_line, a.orig_col, a.name, rb, rd, err.msg);
		if (ok)
			c->passed++;
		else
			c->failed++;
	}
}

/* Iterating the packed map gives the reference's segments; compares at each. */
static uint32_t
compare_segments(Trio *t, TuCounts *c, uint32_t *max_col)
{
	SmError		err = {0};
	SmIter	   *ia = sm_iter_begin(t->ref, &err);
	SmIter	   *ib = sm_iter_begin(t->packed, &err);
	SmMapping	a,
				b;
	int			ra,
				rb;
	uint32_t	n = 0;

	*max_col = 0;
	while ((ra = sm_iter_next(ia, &a, &err)) == 1)
	{
		rb = sm_iter_next(ib, &b, &err);
		if (!tu_check(c, same_answer(ra, &a, rb, &b), "%s: segment %u iterated differently",
					  t->what, n))
			break;
		*max_col = a.gen_col > *max_col ? a.gen_col : *max_col;
		compare_at(t, a.gen_line, a.gen_col, c);
		compare_at(t, a.gen_line, a.gen_col + 1, c);
		n++;
	}
	tu_check(c, ra == 0 && sm_iter_next(ib, &b, &err) == 0, "%s: iteration ends together (%s)",
			 t->what, err.msg);
	sm_iter_end(ia);
	sm_iter_end(ib);
	return n;
}

static SmMap *
open_again(const TuMap *tm, const char *what)
{
	SmError		err = {0};
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, tm->data, tm->len, &err);

	if (m == NULL)
		printf("FAIL: %s: reopen: %s\n", what, err.msg);
	return m;
}

/* All comparisons on one map; the tiny pool is shared with `other`. */
static void
run_map(const char *path, const char *what)
{
	TuMap		tm;
	SmError		err = {0};
	Trio		t = {0};
	SmPool		tiny;
	SmMap	   *other = NULL;
	SmInfo		info;
	TuCounts	c = {0, 0};
	uint32_t	nsegs,
				max_col;

	if (!tu_map_build_file(path, &tm, &err))
	{
		tu_check(&total, false, "%s: build: %s", what, err.msg);
		return;
	}
	t.what = what;
	t.ref = tm.map;
	t.packed = open_again(&tm, what);
	t.tiny = open_again(&tm, what);
	other = open_again(&tm, what);
	if (t.packed == NULL || t.tiny == NULL || other == NULL)
		c.failed++;
	else
	{
		/* room for a few blocks of 1024 segments at ~6-8 bytes each */
		sm_pool_init(&tiny, &sm_malloc_env, TINY_POOL_BLOCKS * 9000);
		sm_set_block_cache(t.packed, (size_t) 1 << 30);
		sm_set_block_pool(t.tiny, &tiny);
		sm_set_block_pool(other, &tiny);
		sm_info(t.ref, &info, &err);
		nsegs = compare_segments(&t, &c, &max_col);
		for (int i = 0; i < RANDOM_QUERIES; i++)
		{
			uint32_t	line = (uint32_t) (next_random() % (info.generated_lines + 2));
			uint32_t	col = (uint32_t) (next_random() % ((uint64_t) max_col + 3));
			SmMapping	o;

			compare_at(&t, line, col, &c);
			/* the other map pushes the tiny pool's blocks out */
			sm_lookup(other, (uint32_t) (next_random() % info.generated_lines),
					  (uint32_t) (next_random() % ((uint64_t) max_col + 1)), SM_BIAS_GLB, &o, &err);
		}
		tu_check(&c, sm_block_cache_bytes(t.tiny) + sm_block_cache_bytes(other) == tiny.bytes &&
				 tiny.bytes <= tiny.budget, "%s: tiny pool holds %zu bytes of its %zu",
				 what, tiny.bytes, tiny.budget);
		tu_check(&c, info.segments < 4096 || tiny.evictions > 0,
				 "%s: the tiny pool evicted blocks", what);
		printf("%s: %u segments, %ld comparisons, packed %.2f bytes/segment (%zu bytes)\n",
			   what, nsegs, c.passed + c.failed,
			   nsegs ? (double) sm_block_cache_bytes(t.packed) / nsegs : 0.0,
			   sm_block_cache_bytes(t.packed));
		sm_close(other);
		sm_close(t.tiny);
		tu_check(&c, tiny.bytes == 0, "%s: closing the maps empties the shared pool", what);
		sm_pool_clear(&tiny);
	}
	sm_close(t.packed);
	tu_map_free(&tm);
	tu_add(&total, &c);
}

/* ---- every .map file under a folder --------------------------------- */

static char **found;
static size_t nfound;

static int
collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t		len = strlen(path);

	(void) st;
	(void) ftw;
	if (flag == FTW_F && len > 4 && strcmp(path + len - 4, ".map") == 0)
	{
		found = realloc(found, (nfound + 1) * sizeof(char *));
		found[nfound++] = strdup(path);
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
run_folder(const char *dir)
{
	size_t		skip = strlen(dir) + 1;

	found = NULL;
	nfound = 0;
	nftw(dir, collect, 16, FTW_PHYS);
	qsort(found, nfound, sizeof(char *), cmp_str);
	for (size_t i = 0; i < nfound; i++)
	{
		run_map(found[i], found[i] + skip);
		free(found[i]);
	}
	free(found);
}

/* ---- blocks at the extremes ------------------------------------------ */

/* The first index in segs whose position is after (line, col), by scanning. */
static uint32_t
naive_upper(const SmMapping *s, uint32_t n, uint32_t line, uint32_t col)
{
	uint32_t	i = 0;

	while (i < n && (s[i].gen_line < line || (s[i].gen_line == line && s[i].gen_col <= col)))
		i++;
	return i;
}

static void
run_extremes(void)
{
	enum
	{
	N = 40};
	SmMapping	s[N];
	SmPacked	plan;
	SmPacked   *p;
	size_t		bytes;
	uint32_t	line0 = 7;

	for (uint32_t i = 0; i < N; i++)
	{
		uint32_t	span = (1u << 30) - 2;

		s[i].gen_line = line0 + (uint32_t) ((uint64_t) span * (i / 4) / (N / 4 - 1));
		s[i].gen_col = (i % 4 == 0) ? 0 : 2147483647u - (3 - i % 4);
		if (i == 0)
			s[i].gen_col = 5;
		s[i].source = (i % 5 == 0) ? SM_NONE : (i * 104729u) % (1u << 22);
		s[i].orig_line = s[i].source == SM_NONE ? 0 : (i % 2 ? 2147483647u : i);
		s[i].orig_col = s[i].source == SM_NONE ? 0 : (i % 3 ? 2147483647u - i : 0);
		s[i].name = (s[i].source == SM_NONE || i % 3 == 0) ? SM_NONE : (1u << 24) - 1 - i;
	}
	bytes = sm_packed_plan(s, N, &plan);
	tu_check(&total, plan.wk == 61, "extreme block: a 61-bit key (got %u)", plan.wk);
	p = malloc(bytes);
	sm_packed_write(p, &plan, s);
	for (uint32_t i = 0; i < N; i++)
	{
		SmMapping	o;

		sm_packed_get(p, i, &o);
		tu_check(&total, memcmp(&o, &s[i], sizeof(o)) == 0, "extreme block: segment %u", i);
	}
	for (uint32_t i = 0; i < N; i++)
		for (int d = -1; d <= 1; d++)
		{
			uint32_t	line = s[i].gen_line;
			uint32_t	col = (uint32_t) ((int64_t) s[i].gen_col + d);

			if ((d < 0 && s[i].gen_col == 0) || (d > 0 && s[i].gen_col == UINT32_MAX))
				continue;
			tu_check(&total, sm_packed_upper(p, line, col) == naive_upper(s, N, line, col),
					 "extreme block: upper bound at %u:%u", line, col);
			tu_check(&total, sm_packed_upper(p, line + 1, col) == naive_upper(s, N, line + 1, col),
					 "extreme block: upper bound at %u:%u", line + 1, col);
		}
	tu_check(&total, sm_packed_upper(p, UINT32_MAX, UINT32_MAX) == N,
			 "extreme block: past the end");
	free(p);
}

/*
 * Which of the parts in slots[0..n) the pool still holds, as a bit mask.
 */
static unsigned
held(SmPoolItem *const *slots, int n)
{
	unsigned	m = 0;

	for (int i = 0; i < n; i++)
		m |= (slots[i] != NULL) << i;
	return m;
}

/*
 * The pool evicts the least recently used part, a used part getting a
 * second chance: with room for three parts, a part used since it was
 * added outlives the unused ones, an unused one leaves in order of age,
 * and a used part that is not used again leaves after one more round.
 */
static void
run_pool_order(void)
{
	enum
	{
		PART = 1000, NPARTS = 6};
	SmPool		pool;
	SmPoolItem *slot[NPARTS] = {NULL};
	size_t		owner = 0;
	SmError		err = {0};

	sm_pool_init(&pool, &sm_malloc_env, 3 * (sizeof(SmPoolItem) + PART));
	for (int i = 0; i < 3; i++)
		tu_check(&total, sm_pool_add(&pool, &slot[i], &owner, PART, &err) != NULL, "pool: add %d", i);
	tu_check(&total, held(slot, NPARTS) == 07, "pool: three parts fit, holds %o", held(slot, NPARTS));
	sm_pool_touch(slot[0]);
	sm_pool_add(&pool, &slot[3], &owner, PART, &err);
	tu_check(&total, held(slot, NPARTS) == 015,
			 "pool: the oldest part, used, outlives the unused part 1: holds %o", held(slot, NPARTS));
	sm_pool_add(&pool, &slot[4], &owner, PART, &err);
	tu_check(&total, held(slot, NPARTS) == 031,
			 "pool: then the unused part 2 leaves: holds %o", held(slot, NPARTS));
	sm_pool_add(&pool, &slot[5], &owner, PART, &err);
	tu_check(&total, held(slot, NPARTS) == 070,
			 "pool: part 0, not used again, leaves before the newer parts: holds %o",
			 held(slot, NPARTS));
	tu_check(&total, pool.evictions == 3 && pool.bytes == owner && owner == 3 * (sizeof(SmPoolItem) + PART),
			 "pool: 3 evictions and 3 parts counted, got %llu, %zu bytes",
			 (unsigned long long) pool.evictions, pool.bytes);
	sm_pool_touch(slot[3]);
	sm_pool_touch(slot[4]);
	sm_pool_touch(slot[5]);
	sm_pool_set_budget(&pool, 2 * (sizeof(SmPoolItem) + PART));
	tu_check(&total, held(slot, NPARTS) == 060,
			 "pool: when every part was used, the oldest leaves: holds %o", held(slot, NPARTS));
	sm_pool_clear(&pool);
	tu_check(&total, held(slot, NPARTS) == 0 && pool.bytes == 0 && owner == 0,
			 "pool: clear empties every slot");
}

int
main(void)
{
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *corpus = tu_path(data, "corpus");
	const char *shared = tu_shared_dir();

	run_extremes();
	run_pool_order();
	run_folder(corpus);
	if (shared == NULL)
		printf("shared corpus: ../shared/oracle not found (set SM_SHARED), skipped\n");
	else
	{
		char	   *oracle = tu_path(shared, "oracle");
		char	   *sc = tu_path(oracle, "corpus");

		if (tu_is_dir(sc))
			run_folder(sc);
		else
			printf("shared corpus: %s not found, skipped\n", sc);
		free(sc);
		free(oracle);
	}
	free(corpus);
	free(data);
	return tu_finish("packed", &total);
}
