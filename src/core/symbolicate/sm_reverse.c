/*
 * sm_reverse.c -- original-to-generated lookups, by one scan of the
 * segments or from a sorted reverse index.  See sm_reverse.h.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "symbolicate/sm_reverse.h"

/* Poll interrupts every this many segments or merged entries. */
#define POLL_EVERY 65536

/* One mapped segment, keyed by original position. */
typedef struct RevEntry
{
	uint32_t	source;
	uint32_t	orig_line;
	uint32_t	orig_col;
	uint32_t	gen_line;
	uint32_t	gen_col;
} RevEntry;

struct SmReverseIndex
{
	const SmEnv *env;
	uint32_t	nsources;
	size_t		n;
	size_t		cap;			/* entries allocated (the map's segment count) */
	RevEntry   *e;
};

typedef int (*RevCmp) (const RevEntry *a, const RevEntry *b);

/* Three-way comparison of two unsigned values. */
static inline int
cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* Order of the index: original position, then generated position. */
static int
cmp_by_original(const RevEntry *a, const RevEntry *b)
{
	int			c;

	if ((c = cmp_u32(a->source, b->source)) != 0 ||
		(c = cmp_u32(a->orig_line, b->orig_line)) != 0 ||
		(c = cmp_u32(a->orig_col, b->orig_col)) != 0 ||
		(c = cmp_u32(a->gen_line, b->gen_line)) != 0)
		return c;
	return cmp_u32(a->gen_col, b->gen_col);
}

/* Order of the results: generated position, then original position. */
static int
cmp_by_generated(const RevEntry *a, const RevEntry *b)
{
	int			c;

	if ((c = cmp_u32(a->gen_line, b->gen_line)) != 0 ||
		(c = cmp_u32(a->gen_col, b->gen_col)) != 0 ||
		(c = cmp_u32(a->orig_line, b->orig_line)) != 0)
		return c;
	return cmp_u32(a->orig_col, b->orig_col);
}

/*
 * Stable bottom-up merge sort of e[0..n) (a scratch array of n entries is
 * allocated), polling interrupts as it goes.
 */
static bool
sort_entries(RevEntry *e, size_t n, RevCmp cmp, const SmEnv *env, SmError *err)
{
	RevEntry   *tmp;
	RevEntry   *src = e;
	RevEntry   *dst;
	size_t		width;
	size_t		work = 0;

	if (n < 2)
		return true;
	tmp = sm_alloc(env, n * sizeof(RevEntry), err);
	if (tmp == NULL)
		return false;
	dst = tmp;
	for (width = 1; width < n; width *= 2)
	{
		size_t		lo;

		for (lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n;
			size_t		hi = mid + width < n ? mid + width : n;
			size_t		i = lo,
						j = mid,
						k = lo;

			while (i < mid && j < hi)
				dst[k++] = cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
			work += hi - lo;
			if (work >= POLL_EVERY)
			{
				sm_check_interrupts(env);
				work = 0;
			}
		}
		{
			RevEntry   *swap = src;

			src = dst;
			dst = swap;
		}
	}
	if (src != e)
		memcpy(e, src, n * sizeof(RevEntry));
	sm_free(env, tmp);
	return true;
}

/* The error for a source index that is not below nsources. */
static bool
source_out_of_range(SmError *err, uint32_t source, uint32_t nsources)
{
	return sm_fail(err, SM_E_ARGUMENT,
				   "source index %u is out of range (the map has %u sources)", source, nsources);
}

/* The number of sources, checking that `source` is one of them. */
static bool
check_source(SmMap *m, uint32_t source, uint32_t *nsources, SmError *err)
{
	SmInfo		info;

	if (!sm_info(m, &info, err))
		return false;
	*nsources = info.sources;
	if (source >= info.sources)
		return source_out_of_range(err, source, info.sources);
	return true;
}

/* Sort the matches by generated position and hand them out as SmGenPos. */
static bool
emit(RevEntry *e, size_t n, const SmEnv *env, SmGenPos **out, size_t *nout, SmError *err)
{
	SmGenPos   *g;
	size_t		i;

	*out = NULL;
	*nout = 0;
	if (n == 0)
		return true;
	if (!sort_entries(e, n, cmp_by_generated, env, err))
		return false;
	g = sm_alloc(env, n * sizeof(SmGenPos), err);
	if (g == NULL)
		return false;
	for (i = 0; i < n; i++)
	{
		g[i].gen_line = e[i].gen_line;
		g[i].gen_col = e[i].gen_col;
		g[i].orig_line = e[i].orig_line;
		g[i].orig_col = e[i].orig_col;
	}
	*out = g;
	*nout = n;
	return true;
}

bool
sm_generated_positions(SmMap *m, uint32_t source, uint32_t line, bool has_col, uint32_t col,
					   SmGenPos **out, size_t *n, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	uint32_t	nsources;
	SmIter	   *it;
	SmMapping	s;
	SmBuf		found;
	uint32_t	best = UINT32_MAX;	/* column (has_col) or line chosen so far */
	bool		have_best = false;
	size_t		seen = 0;
	int			rc;
	bool		ok;

	*out = NULL;
	*n = 0;
	if (!check_source(m, source, &nsources, err))
		return false;
	it = sm_iter_begin(m, err);
	if (it == NULL)
		return false;
	smb_init(&found, env, err);
	while ((rc = sm_iter_next(it, &s, err)) == 1)
	{
		uint32_t	key;
		RevEntry	e;

		if (++seen % POLL_EVERY == 0)
			sm_check_interrupts(env);
		if (s.source != source)
			continue;
		if (has_col)
		{
			if (s.orig_line != line || s.orig_col < col)
				continue;
			key = s.orig_col;
		}
		else
		{
			if (s.orig_line < line)
				continue;
			key = s.orig_line;
		}
		if (have_best && key > best)
			continue;
		if (!have_best || key < best)
		{
			/* a closer column or line: forget what was collected */
			best = key;
			have_best = true;
			found.len = 0;
		}
		e.source = s.source;
		e.orig_line = s.orig_line;
		e.orig_col = s.orig_col;
		e.gen_line = s.gen_line;
		e.gen_col = s.gen_col;
		if (!smb_append(&found, &e, sizeof(e)))
		{
			rc = -1;
			break;
		}
	}
	sm_iter_end(it);
	ok = rc == 0 && emit((RevEntry *) found.data, found.len / sizeof(RevEntry), env, out, n, err);
	smb_free(&found);
	return ok;
}

SmReverseIndex *
sm_reverse_index_build(SmMap *m, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	SmInfo		info;
	SmReverseIndex *ix;
	SmIter	   *it;
	SmMapping	s;
	int			rc;

	if (!sm_info(m, &info, err))
		return NULL;
	if (info.segments > SIZE_MAX / sizeof(RevEntry) / 2)
	{
		sm_fail(err, SM_E_LIMIT, "%llu segments are too many for a reverse index",
				(unsigned long long) info.segments);
		return NULL;
	}
	ix = sm_alloc(env, sizeof(SmReverseIndex), err);
	if (ix == NULL)
		return NULL;
	ix->env = env;
	ix->nsources = info.sources;
	ix->n = 0;
	ix->cap = (size_t) info.segments;
	ix->e = NULL;
	if (info.segments > 0)
	{
		ix->e = sm_alloc(env, (size_t) info.segments * sizeof(RevEntry), err);
		if (ix->e == NULL)
		{
			sm_free(env, ix);
			return NULL;
		}
	}
	it = sm_iter_begin(m, err);
	if (it == NULL)
	{
		sm_reverse_index_free(ix);
		return NULL;
	}
	while ((rc = sm_iter_next(it, &s, err)) == 1)
	{
		RevEntry   *e;

		if (s.source == SM_NONE)
			continue;
		if (ix->n >= info.segments)
		{
			rc = -1;
			sm_fail(err, SM_E_BINARY, "the map holds more segments than its header says");
			break;
		}
		e = &ix->e[ix->n++];
		e->source = s.source;
		e->orig_line = s.orig_line;
		e->orig_col = s.orig_col;
		e->gen_line = s.gen_line;
		e->gen_col = s.gen_col;
		if (ix->n % POLL_EVERY == 0)
			sm_check_interrupts(env);
	}
	sm_iter_end(it);
	if (rc != 0 || !sort_entries(ix->e, ix->n, cmp_by_original, env, err))
	{
		sm_reverse_index_free(ix);
		return NULL;
	}
	return ix;
}

/* First entry not ordered before (source, line, col, 0, 0). */
static size_t
lower_bound(const SmReverseIndex *ix, uint32_t source, uint32_t line, uint32_t col)
{
	RevEntry	key = {source, line, col, 0, 0};
	size_t		lo = 0,
				hi = ix->n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (cmp_by_original(&ix->e[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
sm_reverse_index_lookup(const SmReverseIndex *ix, uint32_t source, uint32_t line, bool has_col,
						uint32_t col, SmGenPos **out, size_t *n, SmError *err)
{
	size_t		first;
	size_t		last;
	const RevEntry *f;
	RevEntry   *copy;
	bool		ok;

	*out = NULL;
	*n = 0;
	if (source >= ix->nsources)
		return source_out_of_range(err, source, ix->nsources);
	first = lower_bound(ix, source, line, has_col ? col : 0);
	if (first == ix->n)
		return true;
	f = &ix->e[first];
	/* same source always; same line unless the column is omitted */
	if (f->source != source || (has_col && f->orig_line != line))
		return true;
	for (last = first + 1; last < ix->n; last++)
	{
		const RevEntry *e = &ix->e[last];

		if (e->source != source || e->orig_line != f->orig_line ||
			(has_col && e->orig_col != f->orig_col))
			break;
	}
	copy = sm_alloc(ix->env, (last - first) * sizeof(RevEntry), err);
	if (copy == NULL)
		return false;
	memcpy(copy, f, (last - first) * sizeof(RevEntry));
	ok = emit(copy, last - first, ix->env, out, n, err);
	sm_free(ix->env, copy);
	return ok;
}

size_t
sm_reverse_index_count(const SmReverseIndex *ix)
{
	return ix->n;
}

size_t
sm_reverse_index_bytes(const SmReverseIndex *ix)
{
	return sizeof(SmReverseIndex) + ix->cap * sizeof(RevEntry);
}

void
sm_reverse_index_free(SmReverseIndex *ix)
{
	if (ix)
	{
		sm_free(ix->env, ix->e);
		sm_free(ix->env, ix);
	}
}
