/*
 * sm_reverse.c -- original-to-generated lookups, by one scan of the
 * segments.  See sm_reverse.h.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "symbolicate/sm_reverse.h"

/* Poll interrupts every this many segments. */
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

/* Three-way comparison of two unsigned values. */
static inline int
cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
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

#define SM_SORT_NAME sort_by_generated
#define SM_SORT_TYPE RevEntry
#define SM_SORT_BEFORE(a, b) (cmp_by_generated(a, b) < 0)
#define SM_SORT_CTX const SmEnv *env
#define SM_SORT_POLL sm_check_interrupts(env)
#include "base/sm_sort_template.h"

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
	RevEntry   *tmp;
	size_t		i;

	*out = NULL;
	*nout = 0;
	if (n == 0)
		return true;
	if (n > 1)
	{
		tmp = sm_alloc(env, n * sizeof(RevEntry), err);
		if (tmp == NULL)
			return false;
		sort_by_generated(e, tmp, n, env);
		sm_free(env, tmp);
	}
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
