/*
 * fuzz_compose.c -- composing two fuzzed maps (sm_compose).
 *
 * The input is two source map documents separated by a NUL byte (without
 * one, the document is composed with itself).  Both are built; when both
 * build, [outer, inner] is composed and:
 *   - sm_compose succeeds, or fails with SM_E_ARGUMENT only when the outer
 *     map has several sources and none is named as the inner map's file,
 *     with SM_E_LIMIT, or with SM_E_NOMEM only when an allocation was
 *     really refused;
 *   - the result passes sm_validate and every read function gives checked
 *     results on it (fz_exercise, strict, with the round trip);
 *   - independent model: every segment of the result stands at the
 *     generated position of a segment of the outer map that, traced here
 *     through the inner map by a brute-force greatest-lower-bound search,
 *     gives the result's source name, original position and name (or no
 *     source); and the result has no more segments than the outer map;
 *   - for a quarter of the inputs the composition is repeated with one
 *     allocation failing: a clean error, nothing leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Built
{
	uint8_t    *bytes;			/* owned when built here */
	SmMap	   *map;
	SmMapping  *segs;
	size_t		nsegs;
	bool		complete;		/* every segment collected (not past FZ_MAX_SEGS) */
} Built;

/* Collect b->map's segments in generated order. */
static void
collect(Built *b)
{
	SmError		err = {0};
	SmIter	   *it;
	SmMapping	s;
	int			rc;

	b->segs = malloc(sizeof(SmMapping) * FZ_MAX_SEGS);
	if (b->segs == NULL)
		fz_fail("out of memory in the harness");
	it = sm_iter_begin(b->map, &err);
	FZ_CHECK(it != NULL, "sm_iter_begin: %s", err.msg);
	while ((rc = sm_iter_next(it, &s, &err)) == 1 && b->nsegs < FZ_MAX_SEGS)
		b->segs[b->nsegs++] = s;
	FZ_CHECK(rc >= 0, "sm_iter_next: %s", err.msg);
	b->complete = rc == 0;
	sm_iter_end(it);
}

/* Open len bytes of a stored map (not copied) and collect its segments. */
static void
open_stored(FzEnv *e, const uint8_t *bytes, size_t len, Built *b)
{
	SmError		err = {0};

	memset(b, 0, sizeof(*b));
	b->map = sm_open_buffer(&e->env, bytes, len, &err);
	FZ_CHECK(b->map != NULL, "cannot open a stored map: %s", err.msg);
	collect(b);
}

/* Build a document; false (nothing kept) when sm_build rejects it. */
static bool
build_one(FzEnv *e, const uint8_t *doc, size_t len, Built *b)
{
	SmError		err = {0};
	uint8_t    *bytes = NULL;
	size_t		blen = 0;

	memset(b, 0, sizeof(*b));
	if (!sm_build((const char *) doc, len, &e->env, 0, &bytes, &blen, &err))
		return false;
	open_stored(e, bytes, blen, b);
	b->bytes = bytes;
	return true;
}

static void
free_built(FzEnv *e, Built *b)
{
	if (b->map)
		sm_close(b->map);
	sm_free(&e->env, b->bytes);
	free(b->segs);
	memset(b, 0, sizeof(*b));
}

/* A resolved source as a malloc'ed C string; NULL for a null or empty one. */
static char *
source_of(SmMap *m, uint32_t idx)
{
	SmError		err = {0};
	char	   *s,
			   *copy = NULL;
	uint32_t	len;
	bool		isnull;

	FZ_CHECK(sm_source_resolved(m, idx, &s, &len, &isnull, &err), "source %u: %s", idx, err.msg);
	if (!isnull && len > 0)
	{
		copy = malloc(len + 1);
		if (copy == NULL)
			fz_fail("out of memory in the harness");
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	if (!isnull)
		sm_free(sm_map_env(m), s);
	return copy;
}

/* Name idx of m into *out; false for no name or an empty one. */
static bool
name_of(SmMap *m, uint32_t idx, SmStr *out)
{
	SmError		err = {0};

	if (idx == SM_NONE)
		return false;
	FZ_CHECK(sm_name(m, idx, out, &err), "name %u: %s", idx, err.msg);
	return out->len > 0;
}

/* Is the outer map's source src (of nsrc) the code the inner map maps? */
static bool
linked_source(const Built *outer, const Built *inner, uint32_t src, uint32_t nsrc)
{
	SmInfo		info;
	SmError		err = {0};
	char	   *name;
	bool		eq;

	if (nsrc == 1)
		return true;
	FZ_CHECK(sm_info(inner->map, &info, &err), "sm_info: %s", err.msg);
	if (info.file.isnull)
		return false;
	name = source_of(outer->map, src);
	eq = name && strlen(name) == info.file.len && memcmp(name, info.file.ptr, info.file.len) == 0;
	free(name);
	return eq;
}

/* Does the outer segment o, traced through the inner map, give the result's segment r? */
static bool
explains(const Built *outer, const Built *inner, bool linked, const SmMapping *o,
		 const Built *res, const SmMapping *r)
{
	const Built *leaf = outer,
			   *namer = outer;
	SmMapping	t = *o;
	uint32_t	name = o->name;
	char	   *want,
			   *got;
	SmStr		wname = {0},
				gname = {0};
	bool		has_w,
				has_g,
				ok;

	if (o->source != SM_NONE && linked)
	{
		int			i = fz_ref_lookup(inner->segs, inner->nsegs, o->orig_line, o->orig_col,
									  SM_BIAS_GLB);

		if (i < 0)
			return false;		/* dropped: it cannot be r */
		t = inner->segs[i];
		leaf = inner;
		if (t.source != SM_NONE && t.name != SM_NONE)
		{
			namer = inner;
			name = t.name;
		}
	}
	want = t.source == SM_NONE ? NULL : source_of(leaf->map, t.source);
	got = r->source == SM_NONE ? NULL : source_of(res->map, r->source);
	has_w = want != NULL && name_of(namer->map, name, &wname);
	has_g = got != NULL && name_of(res->map, r->name, &gname);
	ok = (want == NULL) == (got == NULL) &&
		(want == NULL ||
		 (strcmp(want, got) == 0 && t.orig_line == r->orig_line && t.orig_col == r->orig_col &&
		  has_w == has_g &&
		  (!has_w || (wname.len == gname.len && memcmp(wname.ptr, gname.ptr, wname.len) == 0))));
	free(want);
	free(got);
	return ok;
}

/* Is some source of the outer map (of nsrc) the inner map's code? */
static bool
any_linked(const Built *outer, const Built *inner, uint32_t nsrc)
{
	for (uint32_t i = 0; i < nsrc; i++)
		if (linked_source(outer, inner, i, nsrc))
			return true;
	return false;
}

/* Every result segment is an outer segment at its position, traced through the inner map. */
static void
check_model(const Built *outer, const Built *inner, const Built *res, uint32_t nsrc)
{
	size_t		j = 0;

	FZ_CHECK(!outer->complete || res->nsegs <= outer->nsegs,
			 "composed map has %zu segments, the outer map %zu", res->nsegs, outer->nsegs);
	if (!outer->complete || !inner->complete)
		return;
	for (size_t k = 0; k < res->nsegs; k++)
	{
		const SmMapping *r = &res->segs[k];
		bool		found = false;

		while (j < outer->nsegs && (outer->segs[j].gen_line < r->gen_line ||
									(outer->segs[j].gen_line == r->gen_line &&
									 outer->segs[j].gen_col < r->gen_col)))
			j++;
		for (size_t i = j; !found && i < outer->nsegs && outer->segs[i].gen_line == r->gen_line &&
			 outer->segs[i].gen_col == r->gen_col; i++)
		{
			const SmMapping *o = &outer->segs[i];
			bool		linked = o->source != SM_NONE &&
				linked_source(outer, inner, o->source, nsrc);

			found = explains(outer, inner, linked, o, res, r);
		}
		FZ_CHECK(found, "composed segment %zu at %u:%u is no traced outer segment", k,
				 r->gen_line, r->gen_col);
	}
}

/* Compose again with one allocation failing: a clean error or a result, nothing leaked. */
static void
compose_failing(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint64_t h,
				long allocs, bool ok)
{
	FzEnv		f;
	Built		fo,
				fi;
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len;

	fz_env_init(&f, 0);
	if (build_one(&f, a, alen, &fo))
	{
		if (build_one(&f, b, blen, &fi))
		{
			SmMap	   *fm[2] = {fo.map, fi.map};

			f.fail_at = f.nallocs + 1 + (long) ((h >> 12) % (uint64_t) allocs);
			if (sm_compose(fm, 2, &f.env, 0, &out, &out_len, &err))
				sm_free(&f.env, out);
			else
				FZ_CHECK(err.code == SM_E_NOMEM ? f.failed : !ok,
						 "sm_compose with a failed allocation gave class %d: %s",
						 (int) err.code, err.msg);
			free_built(&f, &fi);
		}
		free_built(&f, &fo);
	}
	fz_env_check_clean(&f, "sm_compose with a failed allocation");
}

static void
compose_checked(const uint8_t *data, size_t size, const uint8_t *a, size_t alen,
				const uint8_t *b, size_t blen)
{
	uint64_t	h = fz_hash(data, size);
	uint8_t		q[48];
	FzEnv		e;
	Built		outer,
				inner;
	SmInfo		oi;
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	long		allocs;
	bool		ok;

	fz_expand(h, q, sizeof(q));
	fz_env_init(&e, 0);
	if (!build_one(&e, a, alen, &outer))
	{
		fz_env_check_clean(&e, "building the outer map");
		return;
	}
	if (!build_one(&e, b, blen, &inner))
	{
		free_built(&e, &outer);
		fz_env_check_clean(&e, "building the inner map");
		return;
	}
	FZ_CHECK(sm_info(outer.map, &oi, &err), "sm_info: %s", err.msg);
	allocs = e.nallocs;
	{
		SmMap	   *maps[2] = {outer.map, inner.map};

		ok = sm_compose(maps, 2, &e.env, 0, &out, &out_len, &err);
	}
	allocs = e.nallocs - allocs;
	if (!ok)
	{
		FZ_CHECK(err.code == SM_E_LIMIT ||
				 (err.code == SM_E_ARGUMENT && oi.sources > 1 && !any_linked(&outer, &inner, oi.sources)),
				 "sm_compose failed with class %d: %s", (int) err.code, err.msg);
	}
	else
	{
		Built		res;

		FZ_CHECK(oi.sources <= 1 || any_linked(&outer, &inner, oi.sources),
				 "sm_compose accepted a map whose sources name no next map");
		if (!sm_validate(out, out_len, &e.env, &err))
			fz_fail("sm_validate rejected a composed map: %s", err.msg);
		open_stored(&e, out, out_len, &res);
		fz_exercise(&e, res.map, true, q, sizeof(q), out, out_len);
		check_model(&outer, &inner, &res, oi.sources);
		free_built(&e, &res);
		sm_free(&e.env, out);
	}
	free_built(&e, &inner);
	free_built(&e, &outer);
	fz_env_check_clean(&e, "sm_compose");
	if (((h >> 40) & 3) == 0 && fz_inject_failures() && allocs > 0)
		compose_failing(a, alen, b, blen, h, allocs, ok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);

	if (nul == NULL)
		compose_checked(data, size, data, size, data, size);
	else
		compose_checked(data, size, data, (size_t) (nul - data), nul + 1,
						size - (size_t) (nul - data) - 1);
	return 0;
}
