/*
 * fuzz_common.c -- helpers shared by the fuzz targets; see fuzz_common.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/sm_format.h"
#include "format/sm_status.h"
#include "fuzz_common.h"
#include "json/sm_json.h"
#include "symbolicate/sm_reverse.h"

/* ---- environment ------------------------------------------------------------ */

static bool
fz_refuse(FzEnv *e, size_t n)
{
	e->nallocs++;
	if ((e->fail_at > 0 && e->nallocs == e->fail_at) || n > FZ_ALLOC_CAP)
	{
		e->failed = true;
		return true;
	}
	return false;
}

static void *
fz_alloc(void *ctx, size_t n)
{
	FzEnv	   *e = ctx;
	void	   *p;

	if (fz_refuse(e, n))
		return NULL;
	p = malloc(n ? n : 1);
	if (p)
		e->live++;
	return p;
}

static void *
fz_realloc(void *ctx, void *p, size_t n)
{
	FzEnv	   *e = ctx;

	if (p == NULL)
		return fz_alloc(ctx, n);
	if (fz_refuse(e, n))
		return NULL;
	return realloc(p, n ? n : 1);
}

static void
fz_free(void *ctx, void *p)
{
	FzEnv	   *e = ctx;

	if (p == NULL)
		return;
	e->live--;
	free(p);
}

static void
fz_interrupt(void *ctx)
{
	((FzEnv *) ctx)->interrupts++;
}

void
fz_env_init(FzEnv *e, long fail_at)
{
	memset(e, 0, sizeof(*e));
	e->env.alloc = fz_alloc;
	e->env.realloc = fz_realloc;
	e->env.free = fz_free;
	e->env.interrupt = fz_interrupt;
	e->env.ctx = e;
	e->fail_at = fail_at;
}

bool
fz_inject_failures(void)
{
	static int	enabled = -1;

	if (enabled < 0)
	{
		const char *v = getenv("FUZZ_NO_ALLOC_FAILURES");

		enabled = !(v && *v && strcmp(v, "0") != 0);
	}
	return enabled;
}

void
fz_env_check_clean(const FzEnv *e, const char *where)
{
	FZ_CHECK(e->live == 0, "%s: %ld block(s) allocated through the environment were not freed"
			 " (allocation %ld of %ld was made to fail)", where, e->live, e->fail_at, e->nallocs);
}

void
fz_fail(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "fuzz oracle failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	abort();
}

uint64_t
fz_hash(const uint8_t *data, size_t len)
{
	uint64_t	h = UINT64_C(1469598103934665603);

	for (size_t i = 0; i < len; i++)
	{
		h ^= data[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

void
fz_show(const char *label, const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t		n = len < 200 ? len : 200;

	fprintf(stderr, "%s (%zu bytes): \"", label, len);
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '"' && s[i] != '\\')
			fputc(s[i], stderr);
		else
			fprintf(stderr, "\\x%02x", s[i]);
	}
	fprintf(stderr, "\"%s\n", n < len ? "..." : "");
}

/* ---- opening ---------------------------------------------------------------- */

static const uint8_t *
fetch_copy(void *vctx, uint32_t off, uint32_t len, bool keep, SmError *err)
{
	FzFetch    *fc = vctx;
	uint8_t    *p;

	if ((size_t) off > fc->len || (size_t) len > fc->len - off)
	{
		sm_fail(err, SM_E_BINARY, "fuzz fetch: [%u, +%u) outside the %zu-byte value", off, len,
				fc->len);
		return NULL;
	}
	p = malloc(len ? len : 1);	/* exact size: ASan sees any read past the slice */
	if (p == NULL)
		fz_fail("out of memory in the fetch callback");
	memcpy(p, fc->data + off, len);
	/* the reader is done with the last transient slice: ASan sees any later use */
	free(fc->transient);
	fc->transient = NULL;
	if (!keep)
	{
		fc->transient = p;
		return p;
	}
	if (fc->n == fc->cap)
	{
		uint8_t   **ns;

		fc->cap = fc->cap ? fc->cap * 2 : 16;
		ns = realloc(fc->slices, fc->cap * sizeof(uint8_t *));
		if (ns == NULL)
			fz_fail("out of memory in the fetch callback");
		fc->slices = ns;
	}
	fc->slices[fc->n++] = p;
	return p;
}

SmMap *
fz_open(FzEnv *e, const uint8_t *data, size_t len, bool via_fetch, FzFetch *fc, SmError *err)
{
	SmMap	   *m;

	memset(fc, 0, sizeof(*fc));
	fc->data = data;
	fc->len = len;
	if (via_fetch && len <= UINT32_MAX)
		m = sm_open(&e->env, (uint32_t) len, fetch_copy, fc, err);
	else
		m = sm_open_buffer(&e->env, data, len, err);
	if (m == NULL)
	{
		FZ_CHECK(err->code != SM_OK, "sm_open failed without an error code");
		fz_close(NULL, fc);		/* the slices handed out before the failure */
	}
	return m;
}

void
fz_close(SmMap *m, FzFetch *fc)
{
	sm_close(m);
	for (size_t i = 0; i < fc->n; i++)
		free(fc->slices[i]);
	free(fc->slices);
	free(fc->transient);
	memset(fc, 0, sizeof(*fc));
}

/* ---- checking results ------------------------------------------------------- */

/* Read every byte of a returned span so that ASan checks it. */
static volatile unsigned fz_sink;

static void
touch(const void *p, size_t n)
{
	const unsigned char *s = p;
	unsigned	acc = 0;

	for (size_t i = 0; i < n; i++)
		acc += s[i];
	fz_sink += acc;
}

/*
 * A call returned ok (true) or failed: a failure must carry an error code;
 * in strict mode it must not happen at all unless the environment refused
 * an allocation.
 */
static void
check_call(FzEnv *e, bool strict, bool ok, const SmError *err, const char *what, uint32_t idx)
{
	if (ok)
		return;
	FZ_CHECK(err->code != SM_OK, "%s(%u) failed without an error code", what, idx);
	if (strict)
		FZ_CHECK(err->code == SM_E_NOMEM && e->failed,
				 "%s(%u) failed on a valid value: code %d: %s", what, idx, (int) err->code, err->msg);
}

static void
check_mapping(const SmMapping *mp, const SmInfo *info, const char *what)
{
	FZ_CHECK(mp->gen_line < info->generated_lines,
			 "%s: generated line %u outside the map's %u lines", what, mp->gen_line,
			 info->generated_lines);
	FZ_CHECK(mp->gen_col <= SM_MAX_COORD, "%s: generated column %u past the limit", what, mp->gen_col);
	FZ_CHECK(mp->source == SM_NONE || mp->source < info->sources,
			 "%s: source index %u out of range (%u sources)", what, mp->source, info->sources);
	FZ_CHECK(mp->name == SM_NONE || mp->name < info->names,
			 "%s: name index %u out of range (%u names)", what, mp->name, info->names);
	FZ_CHECK(mp->name == SM_NONE || mp->source != SM_NONE, "%s: a name without a source", what);
	FZ_CHECK(mp->orig_line <= SM_MAX_COORD && mp->orig_col <= SM_MAX_COORD,
			 "%s: original position %u:%u past the limit", what, mp->orig_line, mp->orig_col);
	FZ_CHECK(mp->source != SM_NONE || (mp->orig_line == 0 && mp->orig_col == 0),
			 "%s: a one-field segment with an original position", what);
}

static int
cmp_pos(uint32_t al, uint32_t ac, uint32_t bl, uint32_t bc)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return ac < bc ? -1 : ac > bc;
}

/*
 * The specified answer of a lookup over all segments in generated order
 * (trace-mapping's rules): an exact hit takes the first of the segments at
 * that position (the last for LUB); otherwise GLB takes the nearest
 * segment before (the last of its run), LUB the nearest after (the first of
 * its run), both on the same line; GLB_CROSS_LINE may go to earlier lines.
 */
int
fz_ref_lookup(const SmMapping *s, size_t n, uint32_t line, uint32_t col, SmBias bias)
{
	size_t		lo = 0,
				hi = n;

	/* ub = first index with position > query */
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (cmp_pos(s[mid].gen_line, s[mid].gen_col, line, col) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (bias == SM_BIAS_LUB)
	{
		size_t		j;

		if (lo > 0 && s[lo - 1].gen_line == line && s[lo - 1].gen_col == col)
			return (int) (lo - 1);
		j = lo;
		if (j < n && s[j].gen_line == line)
			return (int) j;
		return -1;
	}
	if (lo == 0)
		return -1;
	if (s[lo - 1].gen_line == line && s[lo - 1].gen_col == col)
	{
		size_t		j = lo - 1;

		while (j > 0 && s[j - 1].gen_line == line && s[j - 1].gen_col == col)
			j--;
		return (int) j;
	}
	if (bias == SM_BIAS_EXACT)
		return -1;
	if (bias == SM_BIAS_GLB && s[lo - 1].gen_line != line)
		return -1;
	return (int) (lo - 1);
}

static const char *const bias_name[] = {"GLB", "LUB", "EXACT", "GLB_CROSS_LINE"};

void
fz_check_json_syntax(const char *json, size_t len)
{
	SmError		err;
	SmJson		js;
	SmJsonTok	t;
	size_t		steps = 0;

	memset(&err, 0, sizeof(err));
	smj_init(&js, json, len, &err);
	do
	{
		t = smj_next(&js);
		if (t == SMJ_ERROR)
		{
			fz_show("JSON", json, len);
			fz_fail("sm_to_json gave invalid JSON: %s", err.msg);
		}
		FZ_CHECK(++steps <= len + 2, "the JSON tokenizer does not advance");
	} while (t != SMJ_EOF);
}

/* The strings of source idx: raw, resolved, content, find_source. */
static void
exercise_source(FzEnv *e, SmMap *m, bool strict, const SmInfo *info, uint32_t idx)
{
	SmError		err;
	SmStr		s;
	char	   *p = NULL;
	uint32_t	plen = 0;
	bool		isnull = false;
	bool		ok,
				has,
				has_ok,
				in_range = idx < info->sources;

	memset(&err, 0, sizeof(err));
	ok = sm_source(m, idx, &s, &err);
	if (!in_range)
		FZ_CHECK(!ok && err.code != SM_OK, "sm_source(%u) accepted an index past %u sources",
				 idx, info->sources);
	else
		check_call(e, strict, ok, &err, "sm_source", idx);
	if (ok && !s.isnull)
		touch(s.ptr, s.len);

	memset(&err, 0, sizeof(err));
	if (sm_source_resolved(m, idx, &p, &plen, &isnull, &err))
	{
		FZ_CHECK(in_range, "sm_source_resolved(%u) accepted an index past %u sources", idx,
				 info->sources);
		if (!isnull)
		{
			FZ_CHECK(p != NULL && p[plen] == '\0', "sm_source_resolved: result not terminated");
			touch(p, plen);
			if (ok && !s.isnull)
			{
				/* sourceRoot, "/" unless it is empty or ends in one, the entry */
				const SmStr *r = &info->source_root;
				size_t		rlen = r->isnull ? 0 : r->len;
				size_t		slash = rlen > 0 && r->ptr[rlen - 1] != '/';

				FZ_CHECK(plen == rlen + slash + s.len &&
						 (rlen == 0 || memcmp(p, r->ptr, rlen) == 0) &&
						 (!slash || p[rlen] == '/') &&
						 memcmp(p + rlen + slash, s.ptr, s.len) == 0,
						 "sm_source_resolved(%u) is not sourceRoot + entry", idx);
			}
		}
		else
			FZ_CHECK(!ok || s.isnull, "sm_source_resolved(%u) null for a non-null entry", idx);
		sm_free(&e->env, p);
	}
	else if (in_range)
		check_call(e, strict, false, &err, "sm_source_resolved", idx);
	else
		FZ_CHECK(err.code != SM_OK, "sm_source_resolved failed without an error code");

	(void) sm_source_ignored(m, idx);
	has = false;
	memset(&err, 0, sizeof(err));
	has_ok = sm_source_has_content(m, idx, &has, &err);
	if (!in_range)
		FZ_CHECK(!has_ok && err.code != SM_OK,
				 "sm_source_has_content(%u) accepted an index past %u sources", idx,
				 info->sources);
	else
		check_call(e, strict, has_ok, &err, "sm_source_has_content", idx);

	p = NULL;
	memset(&err, 0, sizeof(err));
	if (sm_source_content(m, idx, &p, &plen, &isnull, &err))
	{
		FZ_CHECK(in_range, "sm_source_content(%u) accepted an index past %u sources", idx,
				 info->sources);
		if (strict && has_ok)
			FZ_CHECK(has == !isnull, "sm_source_has_content(%u) says %d, content is %s", idx,
					 (int) has, isnull ? "null" : "present");
		if (!isnull)
		{
			FZ_CHECK(p != NULL && p[plen] == '\0', "sm_source_content: result not terminated");
			touch(p, plen);
		}
		sm_free(&e->env, p);
	}
	else if (in_range)
		check_call(e, strict, false, &err, "sm_source_content", idx);
	else
		FZ_CHECK(err.code != SM_OK, "sm_source_content failed without an error code");

	if (ok && !s.isnull)
	{
		uint32_t	r;

		memset(&err, 0, sizeof(err));
		r = sm_find_source(m, s.ptr, s.len, &err);
		FZ_CHECK(r == SM_NONE || r < info->sources, "sm_find_source gave %u of %u sources", r,
				 info->sources);
		if (strict && !e->failed)
			FZ_CHECK(r <= idx, "sm_find_source(entry %u) gave %u", idx, r);
	}
}

static void
exercise_name(FzEnv *e, SmMap *m, bool strict, const SmInfo *info, uint32_t idx)
{
	SmError		err;
	SmStr		s;
	bool		ok;

	memset(&err, 0, sizeof(err));
	ok = sm_name(m, idx, &s, &err);
	if (idx >= info->names)
	{
		FZ_CHECK(!ok && err.code != SM_OK, "sm_name(%u) accepted an index past %u names", idx,
				 info->names);
		return;
	}
	check_call(e, strict, ok, &err, "sm_name", idx);
	if (ok)
	{
		FZ_CHECK(!s.isnull, "sm_name(%u) returned null", idx);
		touch(s.ptr, s.len);
	}
}

/*
 * The status of a lookup (format/sm_status.h) where sm_lookup gave r and
 * *mp: it selects a segment exactly when the lookup did, the same one,
 * and its sentence fits.
 */
static void
one_status(FzEnv *e, SmMap *m, bool strict, uint32_t line, uint32_t col, SmBias b, int r,
		   const SmMapping *mp)
{
	SmError		err;
	SmMapping	sm;
	SmStatus	st;
	char		detail[SM_STATUS_DETAIL_MAX];
	bool		found;

	memset(&err, 0, sizeof(err));
	memset(detail, 'x', sizeof(detail));
	if (!sm_lookup_explain(m, line, col, b, &sm, &st, detail, &err))
	{
		check_call(e, strict, false, &err, "sm_lookup_explain", line);
		return;
	}
	FZ_CHECK(memchr(detail, 0, sizeof(detail)) != NULL, "sm_lookup_explain: detail not terminated");
	FZ_CHECK(st <= SM_STATUS_UNMAPPED_SEGMENT, "sm_lookup_explain: status %d", (int) st);
	found = st == SM_STATUS_OK || st == SM_STATUS_UNMAPPED_SEGMENT;
	FZ_CHECK(found == (r == 1), "sm_lookup_explain(%u, %u, %s): %s, sm_lookup gave %d", line, col,
			 bias_name[b], sm_status_name(st), r);
	if (found && r == 1)
		FZ_CHECK(memcmp(&sm, mp, sizeof(sm)) == 0 &&
				 (st == SM_STATUS_UNMAPPED_SEGMENT) == (mp->source == SM_NONE),
				 "sm_lookup_explain(%u, %u, %s): another segment than sm_lookup's", line, col,
				 bias_name[b]);
}

/* A lookup, checked against the reference when all segments are known. */
static void
one_lookup(FzEnv *e, SmMap *m, bool strict, const SmInfo *info, const SmMapping *segs,
		   size_t nsegs, bool have_all, uint32_t line, uint32_t col)
{
	for (int b = SM_BIAS_GLB; b <= SM_BIAS_GLB_CROSS_LINE; b++)
	{
		SmError		err;
		SmMapping	mp;
		int			r;

		memset(&err, 0, sizeof(err));
		memset(&mp, 0xAB, sizeof(mp));
		r = sm_lookup(m, line, col, (SmBias) b, &mp, &err);
		FZ_CHECK(r >= -1 && r <= 1, "sm_lookup returned %d", r);
		if (r < 0)
		{
			check_call(e, strict, false, &err, "sm_lookup", line);
			continue;
		}
		if (r == 1)
			check_mapping(&mp, info, "sm_lookup");
		one_status(e, m, strict, line, col, (SmBias) b, r, &mp);
		if (b == SM_BIAS_GLB)
		{
			/* the original function name at the same position */
			SmStr		name;
			bool		anon = false;
			int			fr;

			memset(&err, 0, sizeof(err));
			memset(&name, 0, sizeof(name));
			fr = sm_function_at(m, line, col, &name, &anon, &err);
			FZ_CHECK(fr >= -1 && fr <= 1, "sm_function_at returned %d", fr);
			if (fr < 0)
				check_call(e, strict, false, &err, "sm_function_at", line);
			else if (fr == 1 && !anon)
				touch(name.ptr, name.len);
		}
		if (strict && have_all && !e->failed)
		{
			int			want = fz_ref_lookup(segs, nsegs, line, col, (SmBias) b);

			if (want < 0)
				FZ_CHECK(r == 0, "sm_lookup(%u, %u, %s) found %u:%u, expected nothing", line, col,
						 bias_name[b], mp.gen_line, mp.gen_col);
			else
				FZ_CHECK(r == 1 && memcmp(&mp, &segs[want], sizeof(mp)) == 0,
						 "sm_lookup(%u, %u, %s) gave %s %u:%u src %u %u:%u name %u, expected "
						 "segment %d (%u:%u src %u %u:%u name %u)", line, col, bias_name[b],
						 r == 1 ? "" : "nothing, not", mp.gen_line, mp.gen_col, mp.source,
						 mp.orig_line, mp.orig_col, mp.name, want, segs[want].gen_line,
						 segs[want].gen_col, segs[want].source, segs[want].orig_line,
						 segs[want].orig_col, segs[want].name);
		}
		else if (r == 1 && strict && !e->failed)
		{
			/* at least the bias's promise */
			int			c = cmp_pos(mp.gen_line, mp.gen_col, line, col);

			FZ_CHECK((b == SM_BIAS_GLB && mp.gen_line == line && c <= 0) ||
					 (b == SM_BIAS_LUB && mp.gen_line == line && c >= 0) ||
					 (b == SM_BIAS_EXACT && c == 0) ||
					 (b == SM_BIAS_GLB_CROSS_LINE && c <= 0),
					 "sm_lookup(%u, %u, %s) gave %u:%u", line, col, bias_name[b], mp.gen_line,
					 mp.gen_col);
		}
	}
}

/*
 * sm_lookup_batch on the positions looked up one by one (every third one
 * left out): each answer must be sm_lookup's.
 */
static void
batch_lookup(FzEnv *e, SmMap *m, bool strict, const uint32_t *pl, const uint32_t *pc, size_t n,
			 SmBias bias)
{
	SmMapping	out[32];
	bool		found[32],
				skip[32];
	SmError		err;

	for (size_t i = 0; i < n; i++)
		skip[i] = i % 3 == 2;
	memset(&err, 0, sizeof(err));
	if (!sm_lookup_batch(m, pl, pc, skip, (uint32_t) n, bias, out, found, &err))
	{
		check_call(e, strict, false, &err, "sm_lookup_batch", 0);
		return;
	}
	for (size_t i = 0; i < n && !e->failed; i++)
	{
		SmMapping	one;
		int			r;

		memset(&err, 0, sizeof(err));
		r = skip[i] ? 0 : sm_lookup(m, pl[i], pc[i], bias, &one, &err);
		if (r < 0)
			continue;			/* unvalidated: that lookup's block failed this time */
		FZ_CHECK(found[i] == (r == 1) && (r == 0 || memcmp(&one, &out[i], sizeof(one)) == 0),
				 "sm_lookup_batch(%u, %u, %s): %s, sm_lookup: %s", pl[i], pc[i],
				 bias_name[bias], found[i] ? "found" : "nothing", r == 1 ? "found" : "nothing");
	}
}

/* JSON of the map: valid, rebuildable, a fixed point; same bytes for a canonical value. */
static void
exercise_json(FzEnv *e, SmMap *m, bool strict, const SmInfo *info, size_t prefix,
			  const uint8_t *canon, size_t canon_len)
{
	SmError		err;
	char	   *out = NULL;
	size_t		out_len = 0;
	const char *json;
	size_t		jlen;

	if (info->generated_lines > FZ_MAX_JSON_LINES)
		return;
	memset(&err, 0, sizeof(err));
	if (!sm_to_json(m, prefix, &out, &out_len, &err))
	{
		FZ_CHECK(err.code != SM_OK, "sm_to_json failed without an error code");
		if (strict)
			FZ_CHECK((err.code == SM_E_NOMEM && e->failed) || err.code == SM_E_LIMIT,
					 "sm_to_json failed on a valid value: code %d: %s", (int) err.code, err.msg);
		return;
	}
	FZ_CHECK(out != NULL && out_len >= prefix && out[out_len] == '\0',
			 "sm_to_json: bad output length or terminator");
	json = out + prefix;
	jlen = out_len - prefix;
	fz_check_json_syntax(json, jlen);
	if (strict && !e->failed)
	{
		uint8_t    *b = NULL;
		size_t		blen = 0;
		SmMap	   *m2;
		char	   *out2 = NULL;
		size_t		out2_len = 0;

		memset(&err, 0, sizeof(err));
		if (!sm_build(json, jlen, &e->env, 0, &b, &blen, &err))
		{
			fz_show("JSON", json, jlen);
			fz_fail("sm_build rejected the JSON of a valid value: code %d: %s", (int) err.code,
					err.msg);
		}
		if (canon && (blen != canon_len || memcmp(b, canon, blen) != 0))
		{
			size_t		i = 0;

			while (i < blen && i < canon_len && b[i] == canon[i])
				i++;
			fz_show("JSON", json, jlen);
			fz_fail("round trip: the value's JSON builds %zu bytes, the value has %zu; first "
					"difference at byte %zu", blen, canon_len, i);
		}
		FZ_CHECK(sm_validate(b, blen, &e->env, &err),
				 "sm_validate rejected a value built from sm_to_json: %s", err.msg);
		m2 = sm_open_buffer(&e->env, b, blen, &err);
		FZ_CHECK(m2 != NULL, "cannot open a rebuilt value: %s", err.msg);
		FZ_CHECK(sm_to_json(m2, 0, &out2, &out2_len, &err),
				 "sm_to_json of a rebuilt value failed: %s", err.msg);
		if (out2_len != jlen || memcmp(out2, json, jlen) != 0)
		{
			fz_show("first JSON", json, jlen);
			fz_show("second JSON", out2, out2_len);
			fz_fail("sm_to_json is not a fixed point: JSON -> sm_build -> sm_to_json differs");
		}
		sm_free(&e->env, out2);
		sm_close(m2);
		sm_free(&e->env, b);
	}
	sm_free(&e->env, out);
}

static int
cmp_genpos(const void *va, const void *vb)
{
	const SmGenPos *a = va,
			   *b = vb;
	int			c = cmp_pos(a->gen_line, a->gen_col, b->gen_line, b->gen_col);

	return c ? c : cmp_pos(a->orig_line, a->orig_col, b->orig_line, b->orig_col);
}

/*
 * The reverse lookup's specified answer over all segments (sm_reverse.h):
 * with a column, the segments of the source on the line at that original
 * column, else at the smallest greater one on the line; without, the whole
 * line, else the next original line of the source that has any.
 */
static size_t
ref_reverse(const SmMapping *segs, size_t n, uint32_t src, uint32_t line, bool has_col,
			uint32_t col, SmGenPos *out)
{
	uint64_t	best = UINT64_MAX;
	size_t		k = 0;

	/* the original (line, column) to take: the least one that qualifies */
	for (size_t i = 0; i < n; i++)
	{
		const SmMapping *s = &segs[i];
		uint64_t	key;

		if (s->source != src)
			continue;
		if (has_col)
		{
			if (s->orig_line != line || s->orig_col < col)
				continue;
			key = s->orig_col;
		}
		else
		{
			if (s->orig_line < line)
				continue;
			key = s->orig_line;
		}
		if (key < best)
			best = key;
	}
	if (best == UINT64_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
	{
		const SmMapping *s = &segs[i];

		if (s->source != src ||
			(has_col ? (s->orig_line != line || s->orig_col != best) : s->orig_line != best))
			continue;
		out[k].gen_line = s->gen_line;
		out[k].gen_col = s->gen_col;
		out[k].orig_line = s->orig_line;
		out[k].orig_col = s->orig_col;
		k++;
	}
	return k;
}

/* Reverse lookups agree with the reference. */
static void
exercise_reverse(FzEnv *e, SmMap *m, bool strict, const SmInfo *info, const SmMapping *segs,
				 size_t nsegs, bool have_all, const uint8_t *q, size_t qlen)
{
	SmError		err;
	SmGenPos   *want = NULL;

	if (have_all && nsegs > 0)
	{
		want = malloc(nsegs * sizeof(SmGenPos));
		if (want == NULL)
			fz_fail("out of memory in the harness");
	}
	for (size_t k = 0; k < 12; k++)
	{
		uint8_t		b0 = q[(5 * k + 3) % qlen],
					b1 = q[(5 * k + 4) % qlen];
		uint32_t	src,
					line,
					col;
		bool		has_col = b0 & 2;
		SmGenPos   *a = NULL;
		size_t		na = 0;
		bool		oka;

		if (nsegs > 0 && (b0 & 1))
		{
			const SmMapping *s = &segs[((size_t) b1 << 4 | (b0 >> 4)) % nsegs];

			src = s->source == SM_NONE ? 0 : s->source;
			line = s->orig_line - ((b0 >> 2) & 1);
			col = s->orig_col + ((b0 >> 3) & 1);
		}
		else
		{
			src = k == 11 ? info->sources : b1 % (info->sources + 1);
			line = b0 >> 2;
			col = b1;
		}
		memset(&err, 0, sizeof(err));
		oka = sm_generated_positions(m, src, line, has_col, col, &a, &na, &err);
		if (src >= info->sources)
			FZ_CHECK(!oka && err.code == SM_E_ARGUMENT,
					 "sm_generated_positions accepted source %u of %u", src, info->sources);
		else if (!oka)
			check_call(e, strict, false, &err, "sm_generated_positions", src);
		for (size_t i = 0; oka && i + 1 < na; i++)
			FZ_CHECK(cmp_genpos(&a[i], &a[i + 1]) <= 0, "sm_generated_positions: results not sorted");
		if (strict && !e->failed && oka && want)
		{
			size_t		nw = ref_reverse(segs, nsegs, src, line, has_col, col, want);

			qsort(want, nw, sizeof(SmGenPos), cmp_genpos);
			FZ_CHECK(na == nw && (nw == 0 || memcmp(a, want, nw * sizeof(SmGenPos)) == 0),
					 "reverse lookup (%u, %u, %s%u): %zu positions, the reference %zu", src,
					 line, has_col ? "" : "no column ", col, na, nw);
		}
		sm_free(&e->env, a);
	}
	free(want);
}

void
fz_exercise(FzEnv *e, SmMap *m, bool strict, const uint8_t *q, size_t qlen,
			const uint8_t *canon, size_t canon_len)
{
	SmError		err;
	SmInfo		info;
	SmMapping  *segs;
	size_t		nsegs = 0,
				nsegs_cap;
	uint64_t	count = 0;
	bool		have_all = false;
	uint32_t	n;
	static const uint8_t none[1] = {0};

	if (q == NULL || qlen == 0)
	{
		q = none;
		qlen = 1;
	}
	memset(&err, 0, sizeof(err));
	FZ_CHECK(sm_info(m, &info, &err), "sm_info failed: %s", err.msg);
	FZ_CHECK(info.format_version == SM_FORMAT_VERSION && info.generated_lines >= 1,
			 "sm_info: version %u, %u generated lines", info.format_version, info.generated_lines);
	if (!info.file.isnull)
		touch(info.file.ptr, info.file.len);
	if (!info.source_root.isnull)
		touch(info.source_root.ptr, info.source_root.len);

	/* strings: the first ones, the last one, and some past the end */
	n = info.sources < 256 ? info.sources : 256;
	for (uint32_t i = 0; i < n; i++)
		exercise_source(e, m, strict, &info, i);
	if (info.sources > n)
		exercise_source(e, m, strict, &info, info.sources - 1);
	exercise_source(e, m, strict, &info, info.sources);
	exercise_source(e, m, strict, &info, UINT32_MAX);
	n = info.names < 256 ? info.names : 256;
	for (uint32_t i = 0; i < n; i++)
		exercise_name(e, m, strict, &info, i);
	if (info.names > n)
		exercise_name(e, m, strict, &info, info.names - 1);
	exercise_name(e, m, strict, &info, info.names);
	exercise_name(e, m, strict, &info, UINT32_MAX);
	{
		uint32_t	r;

		memset(&err, 0, sizeof(err));
		r = sm_find_source(m, (const char *) q, qlen < 24 ? qlen : 24, &err);
		FZ_CHECK(r == SM_NONE || r < info.sources, "sm_find_source gave %u", r);
	}

	/* the decoded-block cache: off, tiny (never holds a block), or roomy */
	{
		static const size_t budgets[] = {0, 3 * sizeof(SmMapping), (size_t) 1 << 20, (size_t) 1 << 20};

		sm_set_block_cache(m, budgets[q[qlen > 1 ? 1 : 0] % 4]);
	}

	/* every segment in order */
	nsegs_cap = info.segments < FZ_MAX_SEGS ? (size_t) info.segments + 1 : FZ_MAX_SEGS;
	segs = malloc(nsegs_cap * sizeof(SmMapping));
	if (segs == NULL)
		fz_fail("out of memory");
	{
		SmIter	   *it;

		memset(&err, 0, sizeof(err));
		it = sm_iter_begin(m, &err);
		if (it == NULL)
			check_call(e, strict, false, &err, "sm_iter_begin", 0);
		else
		{
			SmMapping	mp,
						prev;
			int			r;

			memset(&prev, 0, sizeof(prev));
			while ((r = sm_iter_next(it, &mp, &err)) == 1)
			{
				check_mapping(&mp, &info, "sm_iter_next");
				if (strict && count > 0)
					FZ_CHECK(cmp_pos(prev.gen_line, prev.gen_col, mp.gen_line, mp.gen_col) <= 0,
							 "sm_iter_next out of order: %u:%u after %u:%u", mp.gen_line,
							 mp.gen_col, prev.gen_line, prev.gen_col);
				prev = mp;
				if (nsegs < nsegs_cap)
					segs[nsegs++] = mp;
				count++;
				if (strict)
					FZ_CHECK(count <= info.segments,
							 "sm_iter_next gave more segments than sm_info's %llu",
							 (unsigned long long) info.segments);
				else if (count >= 4 * (uint64_t) FZ_MAX_SEGS)
					break;
			}
			FZ_CHECK(r >= -1 && r <= 1, "sm_iter_next returned %d", r);
			if (r < 0)
				check_call(e, strict, false, &err, "sm_iter_next", (uint32_t) count);
			else if (r == 0 && strict && !e->failed)
				FZ_CHECK(count == info.segments, "sm_iter_next gave %llu segments, sm_info %llu",
						 (unsigned long long) count, (unsigned long long) info.segments);
			have_all = (r == 0 && count == nsegs);
			sm_iter_end(it);
		}
	}

	exercise_reverse(e, m, strict, &info, segs, nsegs, have_all, q, qlen);

	/* the function table, which sm_function_at bisects */
	{
		const uint8_t *tab = NULL;
		uint32_t	tablen = 0;

		memset(&err, 0, sizeof(err));
		if (!sm_function_table(m, &tab, &tablen, &err))
			check_call(e, strict, false, &err, "sm_function_table", 0);
		else if (tablen > 0)
		{
			FZ_CHECK(tab != NULL, "sm_function_table: %u bytes at NULL", tablen);
			touch(tab, tablen);
		}
	}

	/* lookups: edges, then positions chosen by q (near segments or anywhere) */
	{
		uint32_t	last = info.generated_lines - 1;
		const uint32_t fixed[][2] = {
			{0, 0}, {0, 1}, {0, UINT32_MAX}, {last, 0}, {last, UINT32_MAX},
			{info.generated_lines, 0}, {UINT32_MAX, 0}, {UINT32_MAX, UINT32_MAX},
		};
		uint32_t	pl[8 + 24],
					pc[8 + 24];
		size_t		np = 0,
					k;

		for (k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		{
			one_lookup(e, m, strict, &info, segs, nsegs, have_all, fixed[k][0], fixed[k][1]);
			pl[np] = fixed[k][0];
			pc[np++] = fixed[k][1];
		}
		for (k = 0; k < 24; k++)
		{
			uint8_t		b0 = q[(3 * k) % qlen],
						b1 = q[(3 * k + 1) % qlen],
						b2 = q[(3 * k + 2) % qlen];
			uint32_t	line,
						col;

			if (nsegs > 0 && (b0 & 1))
			{
				const SmMapping *s = &segs[((size_t) b1 << 8 | b2) % nsegs];

				line = s->gen_line;
				col = s->gen_col + (uint32_t) ((b0 >> 1) % 3) - 1;
			}
			else
			{
				line = (uint32_t) (b1 % ((uint64_t) info.generated_lines + 1));
				col = (b0 & 2) ? (uint32_t) b2 * 1000003u : b2;
			}
			one_lookup(e, m, strict, &info, segs, nsegs, have_all, line, col);
			pl[np] = line;
			pc[np++] = col;
			if (qlen < 3 * (k + 1))
				break;
		}
		batch_lookup(e, m, strict, pl, pc, np, (SmBias) (q[qlen - 1] % 4));
	}
	{
		size_t		budget = (q[qlen > 2 ? 2 : 0] & 1) ? 8 * sizeof(SmMapping) : 0;

		sm_set_block_cache(m, budget);
		FZ_CHECK(sm_block_cache_bytes(m) <= budget || budget == 0,
				 "the block cache holds %zu bytes over its budget of %zu",
				 sm_block_cache_bytes(m), budget);
		one_lookup(e, m, strict, &info, segs, nsegs, have_all, 0, 0);
		if (nsegs > 0)
			one_lookup(e, m, strict, &info, segs, nsegs, have_all, segs[nsegs - 1].gen_line,
					   segs[nsegs - 1].gen_col);
	}
	free(segs);

	exercise_json(e, m, strict, &info, q[0] % 5, canon, canon_len);
}

void
fz_expand(uint64_t seed, uint8_t *out, size_t n)
{
	uint64_t	z = 0;

	for (size_t i = 0; i < n; i++)
	{
		if (i % 8 == 0)
		{
			seed += UINT64_C(0x9E3779B97F4A7C15);
			z = seed;
			z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
			z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
			z ^= z >> 31;
		}
		out[i] = (uint8_t) (z >> (8 * (i % 8)));
	}
}
