/*
 * fuzz_json.c -- source map JSON text -> sm_build, the text input path
 * (sourcemap_in).
 *
 * For every input:
 *   - sm_build either fails with a proper error (syntax, limit, or out of
 *     memory only when an allocation was really refused) or returns bytes;
 *   - built bytes pass sm_validate, and every read function gives checked
 *     results on them (fz_exercise, strict): lookups with every bias at
 *     positions derived from the input agree with a brute-force answer over
 *     the iterated segments, all strings and contents are readable;
 *   - round trip: sm_to_json of the value is valid JSON, sm_build of it
 *     gives byte-identical stored bytes (the value is opened at a prefix
 *     chosen by the input, so the varlena room changes nothing), and
 *     sm_to_json of that is the same text again;
 *   - the value is read either in place or through exact-size fetched
 *     slices (the TOAST path), as the input's hash decides;
 *   - the document's `scopes` member decodes or fails cleanly, and the
 *     inlined frames at positions from the input and at every range start
 *     are well formed (sm_inline.h); the member as the value keeps it
 *     (sm_inline_decode_kept, what sourcemap_lookup_frames reads) decodes
 *     to the same field when the document's did;
 *   - for a quarter of the inputs, the build and then the reads are
 *     repeated with one allocation failing: a clean error, no leak;
 *   - every block allocated through the environment is freed.
 *
 * An input that starts like gzip or zlib goes through sm_inflate_doc first
 * (a compressed .map in a bytea), then through the same checks.  An input
 * with a NUL byte is a map and its generated JavaScript (sm_build_with_source:
 * the FUNCTIONS section from scanning the code); the round trip then checks
 * that the function table survives the JSON output too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_inflate.h"
#include "functions/sm_inline.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_build_error(const FzEnv *e, const SmError *err)
{
	FZ_CHECK(err->code == SM_E_SYNTAX || err->code == SM_E_LIMIT ||
			 (err->code == SM_E_NOMEM && e->failed),
			 "sm_build failed with error class %d: %s", (int) err->code, err->msg);
	FZ_CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL && err->msg[0] != '\0',
			 "sm_build failed with an empty or unterminated message");
}

static void one_document(const uint8_t *data, size_t size);

/* The JSON text of an input: up to a NUL byte (after it: generated JavaScript). */
static size_t
json_len(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);

	return nul ? (size_t) (nul - data) : size;
}

/*
 * sm_build, or sm_build_with_source when the input holds a NUL byte (which
 * JSON text cannot): the JSON before it, the generated JavaScript after it.
 */
static bool
build(const uint8_t *data, size_t size, const SmEnv *env, size_t prefix, uint8_t **out,
	  size_t *out_len, SmError *err)
{
	const uint8_t *nul = memchr(data, 0, size);

	if (nul == NULL)
		return sm_build((const char *) data, size, env, prefix, out, out_len, err);
	return sm_build_with_source((const char *) data, (size_t) (nul - data),
								(const char *) nul + 1, size - (size_t) (nul - data) - 1,
								env, prefix, out, out_len, err);
}

/*
 * A document that starts like gzip or zlib is inflated first (under a 4 MB
 * bound, as a bytea holding a .map.gz would be) and the result goes through
 * the same checks; a failure must be a clean error.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SmCompression kind = sm_detect_compression(data, size);

	if (kind != SM_COMP_NONE)
	{
		FzEnv		e;
		SmError		err;
		uint8_t    *out = NULL;
		size_t		out_len = 0;
		size_t		prefix = fz_hash(data, size) % 5;

		fz_env_init(&e, 0);
		memset(&err, 0, sizeof(err));
		if (sm_inflate_doc(data, size, kind, (size_t) 4 << 20, prefix, &e.env, &out, &out_len, &err))
		{
			FZ_CHECK(out != NULL && out_len >= prefix && out[out_len] == '\0',
					 "sm_inflate_doc: bad output length or terminator");
			/* an exact-size copy (the inflated block has a NUL after the text) */
			uint8_t    *exact = malloc(out_len - prefix ? out_len - prefix : 1);

			if (exact == NULL)
				fz_fail("out of memory in the harness");
			memcpy(exact, out + prefix, out_len - prefix);
			sm_free(&e.env, out);
			one_document(exact, out_len - prefix);
			free(exact);
		}
		else
			FZ_CHECK(err.code == SM_E_SYNTAX || err.code == SM_E_LIMIT,
					 "sm_inflate_doc failed with error class %d: %s", (int) err.code, err.msg);
		fz_env_check_clean(&e, "sm_inflate_doc");
		return 0;
	}
	one_document(data, size);
	return 0;
}

/*
 * The `scopes` member the value keeps decodes as the document's did (doc:
 * that field, or NULL when the document has no `scopes` string).
 */
static void
check_kept_scopes(FzEnv *e, SmMap *m, const SmScopesField *doc)
{
	SmScopesField k;
	SmError		err;
	bool		found = false;

	memset(&err, 0, sizeof(err));
	if (!sm_inline_decode_kept(m, &k, &found, &err))
	{
		FZ_CHECK(err.code == SM_E_NOMEM && e->failed,
				 "sm_inline_decode_kept failed where the document's field decoded: %s", err.msg);
		return;
	}
	FZ_CHECK(found == (doc != NULL), "kept scopes found %d, in the document %d", found,
			 doc != NULL);
	if (!found)
		return;
	FZ_CHECK(k.nscopes == doc->nscopes && k.nranges == doc->nranges && k.nvars == doc->nvars,
			 "kept scopes: %u scopes, %u ranges; the document's %u, %u", k.nscopes, k.nranges,
			 doc->nscopes, doc->nranges);
	for (uint32_t i = 0; i < k.nranges; i++)
	{
		const SmGenRange *a = &k.ranges[i],
				   *b = &doc->ranges[i];

		FZ_CHECK(a->start_line == b->start_line && a->start_col == b->start_col &&
				 a->end_line == b->end_line && a->end_col == b->end_col &&
				 a->definition == b->definition && a->parent == b->parent &&
				 a->is_stack_frame == b->is_stack_frame && a->is_hidden == b->is_hidden &&
				 a->has_callsite == b->has_callsite &&
				 (!a->has_callsite || (a->cs_source == b->cs_source && a->cs_line == b->cs_line &&
									   a->cs_col == b->cs_col)),
				 "kept scopes: range %u differs from the document's", i);
	}
	sm_scopes_field_free(&k);
}

/*
 * The inlined frames of a built map (functions/sm_inline.h): its `scopes`
 * member decodes or fails cleanly, and at positions from q (and every
 * range start) the frames are well formed: depths in order, at most one
 * per range plus one, indexes in range.
 */
static void
check_inline(FzEnv *e, SmMap *m, const uint8_t *json, size_t len, const uint8_t *q, size_t nq)
{
	SmScopesField f;
	SmError		err;
	SmInfo		info;
	bool		found = false;

	memset(&err, 0, sizeof(err));
	if (!sm_inline_decode(m, (const char *) json, len, &f, &found, &err))
	{
		FZ_CHECK(err.code == SM_E_SYNTAX || err.code == SM_E_LIMIT ||
				 (err.code == SM_E_NOMEM && e->failed),
				 "sm_inline_decode failed with class %d: %s", (int) err.code, err.msg);
		return;
	}
	check_kept_scopes(e, m, found ? &f : NULL);
	if (!found)
		return;
	FZ_CHECK(sm_info(m, &info, &err), "sm_info: %s", err.msg);
	for (uint32_t k = 0; k < 32; k++)
	{
		uint32_t	line,
					col,
					n = 0;
		SmOrigFrame *fr = NULL;

		if (k < 16 && 2 * k + 1 < nq)
		{
			line = q[2 * k] % 4;
			col = q[2 * k + 1];
		}
		else if (k >= 16 && k - 16 < f.nranges)
		{
			line = f.ranges[k - 16].start_line;
			col = f.ranges[k - 16].start_col;
		}
		else
			continue;
		memset(&err, 0, sizeof(err));
		if (!sm_inline_frames(m, &f, line, col, &fr, &n, &err))
		{
			FZ_CHECK(err.code == SM_E_NOMEM && e->failed, "sm_inline_frames failed: %s", err.msg);
			continue;
		}
		FZ_CHECK(n >= 1 && n <= f.nranges + 1, "sm_inline_frames: %u frames, %u ranges", n,
				 f.nranges);
		for (uint32_t i = 0; i < n; i++)
		{
			FZ_CHECK(fr[i].depth == i, "frame %u at depth %u", i, fr[i].depth);
			FZ_CHECK(!fr[i].has_position || fr[i].source < info.sources,
					 "frame %u: source %u of %u", i, fr[i].source, info.sources);
			FZ_CHECK(fr[i].name == SM_NONE || fr[i].name < info.names, "frame %u: name %u", i,
					 fr[i].name);
			FZ_CHECK(fr[i].function == SM_NONE || fr[i].function < info.names,
					 "frame %u: function %u", i, fr[i].function);
		}
		sm_free(&e->env, fr);
	}
	sm_scopes_field_free(&f);
}

static void
one_document(const uint8_t *data, size_t size)
{
	uint64_t	h = fz_hash(data, size);
	uint8_t		q[72];
	size_t		prefix = h % 9;
	FzEnv		e;
	SmError		err;
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	long		build_allocs,
				read_allocs = 0;
	bool		ok;

	fz_expand(h, q, sizeof(q));
	fz_env_init(&e, 0);
	memset(&err, 0, sizeof(err));
	ok = build(data, size, &e.env, prefix, &out, &out_len, &err);
	build_allocs = e.nallocs;
	if (!ok)
		check_build_error(&e, &err);
	else
	{
		const uint8_t *v;
		size_t		vlen;
		SmMap	   *m;
		FzFetch		fc;

		FZ_CHECK(out != NULL && out_len >= prefix, "sm_build: %zu bytes for prefix %zu",
				 out_len, prefix);
		v = out + prefix;
		vlen = out_len - prefix;
		if (!sm_validate(v, vlen, &e.env, &err))
			fz_fail("sm_validate rejected what sm_build made: %s", err.msg);
		m = fz_open(&e, v, vlen, (h >> 4) & 1, &fc, &err);
		FZ_CHECK(m != NULL, "cannot open what sm_build made: %s", err.msg);
		fz_exercise(&e, m, true, q, sizeof(q), v, vlen);
		check_inline(&e, m, data, json_len(data, size), q, sizeof(q));
		fz_close(m, &fc);
		read_allocs = e.nallocs - build_allocs;

		/* reading again with one allocation failing: errors only, no leaks */
		if (((h >> 40) & 3) == 0 && fz_inject_failures() && read_allocs > 0)
		{
			FzEnv		f;

			fz_env_init(&f, 1 + (long) ((h >> 12) % (uint64_t) read_allocs));
			memset(&err, 0, sizeof(err));
			if (sm_validate(v, vlen, &f.env, &err))
			{
				m = fz_open(&f, v, vlen, (h >> 5) & 1, &fc, &err);
				if (m)
				{
					fz_exercise(&f, m, false, q, sizeof(q), NULL, 0);
					fz_close(m, &fc);
				}
			}
			else
				FZ_CHECK(err.code == SM_E_NOMEM && f.failed,
						 "sm_validate failed on a built value with class %d: %s",
						 (int) err.code, err.msg);
			fz_env_check_clean(&f, "reads with a failed allocation");
		}
		sm_free(&e.env, out);
	}
	fz_env_check_clean(&e, "sm_build and reads");

	/* building again with one allocation failing */
	if (((h >> 40) & 3) == 0 && fz_inject_failures() && build_allocs > 0)
	{
		FzEnv		f;

		fz_env_init(&f, 1 + (long) ((h >> 20) % (uint64_t) build_allocs));
		out = NULL;
		memset(&err, 0, sizeof(err));
		if (build(data, size, &f.env, prefix, &out, &out_len, &err))
			sm_free(&f.env, out);
		else
		{
			check_build_error(&f, &err);
			FZ_CHECK(!ok || err.code == SM_E_NOMEM,
					 "sm_build with a failed allocation gave error class %d: %s",
					 (int) err.code, err.msg);
		}
		fz_env_check_clean(&f, "sm_build with a failed allocation");
	}
}
