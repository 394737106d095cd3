/*
 * test_roundtrip.c -- the stored form: deterministic, re-inputtable, and
 * safe to read when it arrives as untrusted bytes.
 *
 * For every valid conformance map, every vendored corpus map and the maps
 * of test/data/lossless (members kept verbatim):
 *   - sm_build, sm_to_json, sm_build again gives byte-identical stored
 *     values (what pg_dump/restore and COPY rely on), and the canonical
 *     JSON is a fixed point; a prefix (the varlena header room) changes
 *     nothing after it;
 *   - sm_validate accepts every built value, and reading it through
 *     sm_open with a fetch callback that hands out exact-size copies of
 *     each requested slice gives the same JSON (under ASan any read past a
 *     slice is caught);
 *   - sm_validate rejects every truncation (every length for small values,
 *     a sample for big ones) with SM_E_BINARY;
 *   - single-byte flips are either rejected, or every read API call on the
 *     accepted value returns cleanly with indexes in range;
 *   - a value whose function table is empty (from generated code without
 *     functions, or an empty x_sourcemap_functions) beside a `scopes`
 *     field that would give one still validates and rebuilds from its JSON.
 * Run this under `make asan` / `make valgrind` for the memory-safety half.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* values up to this size get every truncation length and every flip position */
#define SMALL_VALUE 16384
#define SAMPLE_FLIPS 1536
/* accepted values claiming more generated lines than this skip sm_to_json */
#define HUGE_LINES (1u << 20)

static TuCounts total;

/* what happened to accepted flipped values, per map */
static struct
{
	long		json_skipped;
	long		json_rejected;
} flip_stats;

/* ---- collecting the maps --------------------------------------------------- */

typedef struct MapList
{
	char	  **paths;
	size_t		n;
	size_t		cap;
} MapList;

static void
add_path(MapList *l, char *path)
{
	size_t		i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->paths[i], path) == 0)
		{
			free(path);
			return;
		}
	if (l->n == l->cap)
	{
		l->cap = l->cap ? l->cap * 2 : 64;
		l->paths = realloc(l->paths, l->cap * sizeof(char *));
		if (l->paths == NULL)
			exit(2);
	}
	l->paths[l->n++] = path;
}

static void
collect_maps(MapList *l)
{
	int			s;
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *gdir = tu_path(data, "golden");
	char	  **files = tu_list_dir(gdir, ".tsv");
	char	  **f;

	for (s = 0; s < tu_nsuites; s++)
	{
		TuManifest *man = tu_manifest_load(tu_suites[s].suite, tu_suites[s].manifest);
		size_t		t;

		if (!tu_check(&total, man != NULL, "manifest %s unreadable", tu_suites[s].manifest))
			continue;
		for (t = 0; t < man->tests->n; t++)
		{
			const TuJson *test = &man->tests->items[t];
			const char *file = tu_json_str(test, "sourceMapFile", NULL);

			const TuJson *actions = tu_json_get(test, "testActions");
			size_t		a;

			if (file && tu_json_bool(test, "sourceMapIsValid", false))
				add_path(l, tu_manifest_map_path(man, file));
			/* the intermediate maps of transitive lookups are valid maps too */
			for (a = 0; actions && actions->type == TJ_ARR && a < actions->n; a++)
			{
				const TuJson *inter = tu_json_get(&actions->items[a], "intermediateMaps");
				size_t		i;

				for (i = 0; inter && inter->type == TJ_ARR && i < inter->n; i++)
					if (inter->items[i].type == TJ_STR)
						add_path(l, tu_manifest_map_path(man, inter->items[i].str));
			}
		}
		tu_manifest_free(man);
	}
	/* the vendored corpus maps, named by their golden files' headers */
	tu_check(&total, files && files[0], "no golden files in %s", gdir);
	for (f = files; f && *f; f++)
	{
		char	   *gpath = tu_path(gdir, *f);
		TuGolden   *g = tu_golden_load(gpath);

		if (tu_check(&total, g != NULL, "golden %s unreadable", *f))
			add_path(l, tu_path(data, g->map_path));
		tu_golden_free(g);
		free(gpath);
	}
	tu_free_list(files);
	free(gdir);
	/* the lossless fixtures: maps with members kept verbatim */
	gdir = tu_path(data, "lossless");
	files = tu_list_dir(gdir, ".map");
	for (f = files; f && *f; f++)
		add_path(l, tu_path(gdir, *f));
	tu_free_list(files);
	free(gdir);
	free(data);
}

/* ---- reading through a fetch callback ------------------------------------------ */

typedef struct FetchCtx
{
	const uint8_t *data;
	size_t		len;
	uint8_t   **slices;			/* every kept slice, freed after sm_close */
	size_t		n;
	size_t		cap;
	uint8_t    *transient;		/* the last slice handed out without keep */
} FetchCtx;

static const uint8_t *
fetch_copy(void *vctx, uint32_t off, uint32_t len, bool keep, SmError *err)
{
	FetchCtx   *ctx = vctx;
	uint8_t    *p;

	if ((size_t) off > ctx->len || (size_t) len > ctx->len - off)
	{
		sm_fail(err, SM_E_BINARY, "test fetch: [%u, +%u) outside the %zu-byte value", off, len,
				ctx->len);
		return NULL;
	}
	p = malloc(len ? len : 1);	/* exact size: ASan sees any read past it */
	if (p == NULL)
		exit(2);
	memcpy(p, ctx->data + off, len);
	/* the reader is done with the last transient slice: ASan sees any later use */
	free(ctx->transient);
	ctx->transient = NULL;
	if (!keep)
	{
		ctx->transient = p;
		return p;
	}
	if (ctx->n == ctx->cap)
	{
		ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
		ctx->slices = realloc(ctx->slices, ctx->cap * sizeof(uint8_t *));
		if (ctx->slices == NULL)
			exit(2);
	}
	ctx->slices[ctx->n++] = p;
	return p;
}

static void
fetch_free(FetchCtx *ctx)
{
	size_t		i;

	for (i = 0; i < ctx->n; i++)
		free(ctx->slices[i]);
	free(ctx->slices);
	free(ctx->transient);
	ctx->transient = NULL;
	ctx->slices = NULL;
	ctx->n = ctx->cap = 0;
}

/* ---- exercising an accepted value --------------------------------------------- */

/*
 * Call every read function on a value that sm_validate accepted.  Any
 * result may be an error, but errors must be reported (code set), and
 * whatever is returned must be in range: a validated value is consistent.
 * Returns false with *why set otherwise.
 */
static bool
exercise(const uint8_t *data, size_t len, const char **why)
{
	SmError		err = {0};
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, data, len, &err);
	SmInfo		info;
	uint32_t	i;
	bool		ok = true;

	*why = NULL;
	if (m == NULL)
	{
		if (err.code == SM_OK)
			*why = "sm_open_buffer failed without an error code";
		return *why == NULL;
	}
	if (!sm_info(m, &info, &err))
	{
		if (err.code == SM_OK)
			*why = "sm_info failed without an error code";
		sm_close(m);
		return *why == NULL;
	}
	for (i = 0; i < info.sources && i < 64 && ok; i++)
	{
		SmStr		s;
		char	   *p = NULL;
		uint32_t	plen;
		bool		isnull;

		memset(&err, 0, sizeof(err));
		if (!sm_source(m, i, &s, &err) && err.code == SM_OK)
			ok = !(*why = "sm_source failed without an error code");
		memset(&err, 0, sizeof(err));
		if (sm_source_resolved(m, i, &p, &plen, &isnull, &err))
			sm_free(&sm_malloc_env, p);
		else if (err.code == SM_OK)
			ok = !(*why = "sm_source_resolved failed without an error code");
		(void) sm_source_ignored(m, i);
		p = NULL;
		memset(&err, 0, sizeof(err));
		if (sm_source_content(m, i, &p, &plen, &isnull, &err))
			sm_free(&sm_malloc_env, p);
		else if (err.code == SM_OK)
			ok = !(*why = "sm_source_content failed without an error code");
	}
	for (i = 0; i < info.names && i < 64 && ok; i++)
	{
		SmStr		s;

		memset(&err, 0, sizeof(err));
		if (!sm_name(m, i, &s, &err) && err.code == SM_OK)
			ok = !(*why = "sm_name failed without an error code");
	}
	if (ok)
	{
		memset(&err, 0, sizeof(err));
		(void) sm_find_source(m, "x.js", 4, &err);
	}
	/* lookups on the first lines, every bias, a few columns */
	for (i = 0; i <= info.generated_lines && i < 8 && ok; i++)
	{
		static const uint32_t cols[] = {0, 1, 7, 100, 100000, UINT32_MAX - 1, UINT32_MAX};
		size_t		c;
		int			b;

		for (c = 0; c < sizeof(cols) / sizeof(cols[0]) && ok; c++)
			for (b = SM_BIAS_GLB; b <= SM_BIAS_GLB_CROSS_LINE && ok; b++)
			{
				SmMapping	mp;
				int			r;

				memset(&err, 0, sizeof(err));
				r = sm_lookup(m, i, cols[c], (SmBias) b, &mp, &err);
				if (r < -1 || r > 1 || (r == -1 && err.code == SM_OK))
					ok = !(*why = "sm_lookup returned an invalid status");
				else if (r == 1 && ((mp.source != SM_NONE && mp.source >= info.sources) ||
									(mp.name != SM_NONE && mp.name >= info.names)))
					ok = !(*why = "sm_lookup returned an index out of range");
			}
	}
	/* every segment, in order */
	if (ok)
	{
		SmIter	   *it;

		memset(&err, 0, sizeof(err));
		it = sm_iter_begin(m, &err);
		if (it == NULL)
		{
			if (err.code == SM_OK)
				ok = !(*why = "sm_iter_begin failed without an error code");
		}
		else
		{
			SmMapping	mp;
			SmMapping	prev;
			uint64_t	n = 0;
			int			r;

			memset(&prev, 0, sizeof(prev));
			while ((r = sm_iter_next(it, &mp, &err)) == 1)
			{
				if ((mp.source != SM_NONE && mp.source >= info.sources) ||
					(mp.name != SM_NONE && mp.name >= info.names))
				{
					ok = !(*why = "sm_iter_next returned an index out of range");
					break;
				}
				if (n > 0 && (mp.gen_line < prev.gen_line ||
							  (mp.gen_line == prev.gen_line && mp.gen_col < prev.gen_col)))
				{
					ok = !(*why = "sm_iter_next out of generated order");
					break;
				}
				prev = mp;
				if (++n > info.segments)
				{
					ok = !(*why = "sm_iter_next gave more segments than sm_info counts");
					break;
				}
			}
			if (ok && r < 0 && err.code == SM_OK)
				ok = !(*why = "sm_iter_next failed without an error code");
			if (ok && r == 0 && n != info.segments)
				ok = !(*why = "sm_iter_next gave fewer segments than sm_info counts");
			sm_iter_end(it);
		}
	}
	/*
	 * The JSON output, unless the value claims so many generated lines that
	 * the output alone would take seconds: a flip in the line count of a
	 * map without segments gives a valid value with 2^28 empty lines (the
	 * JSON of which is 256 MB of ';').
	 */
	if (ok && info.generated_lines > HUGE_LINES)
		flip_stats.json_skipped++;
	else if (ok)
	{
		char	   *json = NULL;
		size_t		jlen;

		memset(&err, 0, sizeof(err));
		if (sm_to_json(m, 0, &json, &jlen, &err))
		{
			uint8_t    *again = NULL;
			size_t		alen;

			/* informational: can the accepted value's JSON be input again? */
			memset(&err, 0, sizeof(err));
			if (sm_build(json, jlen, &sm_malloc_env, 0, &again, &alen, &err))
				sm_free(&sm_malloc_env, again);
			else
			{
				flip_stats.json_rejected++;
				if (flip_stats.json_rejected <= 3)
					printf("    note: an accepted flipped value's JSON is rejected by sm_build: %s\n",
						   err.msg);
			}
			sm_free(&sm_malloc_env, json);
		}
		else if (err.code == SM_OK)
			ok = !(*why = "sm_to_json failed without an error code");
	}
	sm_close(m);
	return ok;
}

/* ---- one map -------------------------------------------------------------- */

static bool
to_json(const uint8_t *data, size_t len, size_t prefix, char **json, size_t *jlen, SmError *err)
{
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, data, len, err);
	bool		ok;

	*json = NULL;
	if (m == NULL)
		return false;
	ok = sm_to_json(m, prefix, json, jlen, err);
	sm_close(m);
	return ok;
}

static void
truncations(const char *name, const uint8_t *a, size_t alen)
{
	size_t		l;
	long		bad = 0;
	long		tried = 0;
	uint8_t    *copy = malloc(alen ? alen : 1);

	if (copy == NULL)
		exit(2);
	for (l = 0; l < alen; l++)
	{
		SmError		err = {0};
		bool		accepted;

		if (alen > SMALL_VALUE && l > 256 && l + 256 < alen && l % (alen / 512 + 1) != 0)
			continue;
		/* an exact-size copy, so that reading past the end is caught */
		memcpy(copy + (alen - l), a, l);
		tried++;
		accepted = sm_validate(copy + (alen - l), l, &sm_malloc_env, &err);
		if ((accepted || err.code != SM_E_BINARY) && bad++ < 5)
			printf("FAIL: %s: truncated to %zu of %zu bytes: %s\n", name, l, alen,
				   accepted ? "accepted" : "rejected with an error class other than SM_E_BINARY");
	}
	free(copy);
	if (bad)
		total.failed++;
	else
		total.passed++;
	printf("  %s: %ld truncations rejected of %ld\n", name, tried - bad, tried);
}

static void
flips(const char *name, const uint8_t *a, size_t alen)
{
	static const uint8_t masks[] = {0x01, 0xff, 0x80, 0x10};
	uint8_t    *copy = malloc(alen ? alen : 1);
	size_t		npos = alen <= SMALL_VALUE / 4 ? alen : SAMPLE_FLIPS;
	size_t		k;
	long		tried = 0;
	long		accepted = 0;
	long		bad = 0;

	if (copy == NULL)
		exit(2);
	memset(&flip_stats, 0, sizeof(flip_stats));
	for (k = 0; k < npos; k++)
	{
		/* every byte of a small value; else the first 256 and an even spread */
		size_t		pos = npos == alen ? k : k < 256 ? k : 256 + (k - 256) * (alen - 256) / (npos - 256);
		size_t		mi;

		for (mi = 0; mi < (npos == alen ? 2u : 1u); mi++)
		{
			uint8_t		mask = masks[(k + mi * 2) % 4];
			SmError		err = {0};
			const char *why;

			memcpy(copy, a, alen);
			copy[pos] ^= mask;
			tried++;
			if (!sm_validate(copy, alen, &sm_malloc_env, &err))
			{
				if (err.code != SM_E_BINARY && bad++ < 5)
					printf("FAIL: %s: byte %zu ^ 0x%02x rejected with error class %d, "
						   "expected SM_E_BINARY (%s)\n", name, pos, mask, (int) err.code,
						   err.msg);
				continue;
			}
			accepted++;
			if (!exercise(copy, alen, &why) && bad++ < 5)
				printf("FAIL: %s: byte %zu ^ 0x%02x accepted by sm_validate, then %s\n",
					   name, pos, mask, why);
		}
	}
	free(copy);
	if (bad)
		total.failed++;
	else
		total.passed++;
	printf("  %s: %ld byte flips, %ld rejected, %ld accepted and read cleanly", name,
		   tried, tried - accepted, accepted - bad);
	if (flip_stats.json_skipped)
		printf(" (%ld claim over %u lines: no sm_to_json)", flip_stats.json_skipped, HUGE_LINES);
	if (flip_stats.json_rejected)
		printf(" (%ld give JSON that sm_build rejects)", flip_stats.json_rejected);
	printf("\n");
}

static void
one_map(const char *path)
{
	const char *name = path + strlen(tu_test_dir()) + 1;
	size_t		len;
	char	   *json = tu_read_file(path, &len);
	SmError		err = {0};
	uint8_t    *a = NULL,
			   *b = NULL,
			   *p = NULL;
	size_t		alen = 0,
				blen = 0,
				plen = 0;
	char	   *j1 = NULL,
			   *j2 = NULL,
			   *jp = NULL;
	size_t		j1len = 0,
				j2len = 0,
				jplen = 0;

	if (!tu_check(&total, json != NULL, "%s: unreadable", name))
		return;
	if (!tu_check(&total, sm_build(json, len, &sm_malloc_env, 0, &a, &alen, &err),
				  "%s: sm_build rejected a valid map: %s", name, err.msg))
	{
		free(json);
		return;
	}
	tu_check(&total, sm_validate(a, alen, &sm_malloc_env, &err),
			 "%s: sm_validate rejected a built value: %s", name, err.msg);

	/* the prefix is room only */
	if (tu_check(&total, sm_build(json, len, &sm_malloc_env, 8, &p, &plen, &err),
				 "%s: sm_build with prefix 8 failed: %s", name, err.msg))
		tu_check(&total, plen == alen + 8 && memcmp(p + 8, a, alen) == 0,
				 "%s: sm_build with prefix 8 gave %zu bytes, different from the %zu without",
				 name, plen, alen);

	/* JSON out and in again: the same bytes */
	if (tu_check(&total, to_json(a, alen, 0, &j1, &j1len, &err),
				 "%s: sm_to_json failed: %s", name, err.msg) &&
		tu_check(&total, sm_build(j1, j1len, &sm_malloc_env, 0, &b, &blen, &err),
				 "%s: canonical JSON rejected by sm_build: %s (JSON starts %s)", name, err.msg,
				 tu_show(j1, j1len, false)))
	{
		size_t		i = 0;

		while (i < alen && i < blen && a[i] == b[i])
			i++;
		tu_check(&total, alen == blen && i == alen,
				 "%s: rebuilt value differs: %zu bytes then %zu, first difference at byte %zu",
				 name, alen, blen, i);
		if (tu_check(&total, to_json(b, blen, 0, &j2, &j2len, &err),
					 "%s: sm_to_json of the rebuilt value failed: %s", name, err.msg))
			tu_check(&total, j1len == j2len && memcmp(j1, j2, j1len) == 0,
					 "%s: canonical JSON is not a fixed point (%zu then %zu bytes)", name,
					 j1len, j2len);
		{
			SmMap	   *m = sm_open_buffer(&sm_malloc_env, a, alen, &err);
			uint64_t	size = 0;

			tu_check(&total, m != NULL && sm_json_size(m, &size, &err) && size == j1len,
					 "%s: sm_json_size gave %llu, the JSON has %zu bytes", name,
					 (unsigned long long) size, j1len);
			if (m != NULL)
				sm_close(m);
		}
		if (tu_check(&total, to_json(a, alen, 4, &jp, &jplen, &err),
					 "%s: sm_to_json with prefix 4 failed: %s", name, err.msg))
			tu_check(&total, jplen == j1len + 4 && memcmp(jp + 4, j1, j1len) == 0,
					 "%s: sm_to_json with prefix 4 differs after the prefix", name);
	}

	/* the same JSON when read through exact-size fetched slices */
	if (j1 != NULL && alen <= UINT32_MAX)
	{
		FetchCtx	ctx;
		SmMap	   *m;
		char	   *jf = NULL;
		size_t		jflen = 0;

		memset(&ctx, 0, sizeof(ctx));
		ctx.data = a;
		ctx.len = alen;
		m = sm_open(&sm_malloc_env, (uint32_t) alen, fetch_copy, &ctx, &err);
		if (tu_check(&total, m != NULL, "%s: sm_open with a fetch callback failed: %s", name,
					 err.msg))
		{
			if (tu_check(&total, sm_to_json(m, 0, &jf, &jflen, &err),
						 "%s: sm_to_json through fetch failed: %s", name, err.msg))
				tu_check(&total, jflen == j1len && memcmp(jf, j1, j1len) == 0,
						 "%s: sm_to_json through fetch differs from the in-memory one", name);
			sm_free(&sm_malloc_env, jf);
			sm_close(m);
		}
		fetch_free(&ctx);
	}

	truncations(name, a, alen);
	flips(name, a, alen);

	sm_free(&sm_malloc_env, a);
	sm_free(&sm_malloc_env, b);
	sm_free(&sm_malloc_env, p);
	sm_free(&sm_malloc_env, j1);
	sm_free(&sm_malloc_env, j2);
	sm_free(&sm_malloc_env, jp);
	free(json);
}

/* ---- a function table that is empty beside a `scopes` field ----------------- */

/* A map whose well-formed `scopes` field names functions (test_inline.c's). */
#define SCOPED_HEAD "{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"outer\",\"inner\"," \
	"\"helper\"],\"mappings\":\"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC\","
#define SCOPED_SCOPES "\"scopes\":\"BAAA,BFBAA,CDB,BFBAC,CDB,BFBAC,CAe,CBA,EGAC,ECKC,IACE," \
	"EKCC,IAGC,FD,FF,Fe,EEK,FK,ECKD,IAAF,FF\"}"

static uint32_t
table_len(const uint8_t *v, size_t len)
{
	SmError		err = {0};
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, v, len, &err);
	const uint8_t *tab;
	uint32_t	tablen = 0;

	if (m != NULL && !sm_function_table(m, &tab, &tablen, &err))
		tablen = 0;
	if (m != NULL)
		sm_close(m);
	return tablen;
}

/*
 * The value (built from `what`) has no function table although it keeps a
 * `scopes` field that would give one: it validates, its JSON says the table
 * is empty, and that JSON builds the same bytes again.
 */
static void
check_empty_beside_scopes(const char *what, uint8_t *v, size_t vlen)
{
	SmError		err = {0};
	char	   *json = NULL;
	size_t		jlen = 0;
	uint8_t    *again = NULL;
	size_t		alen = 0;

	tu_check(&total, table_len(v, vlen) == 0, "%s: a function table of %u bytes, expected none",
			 what, table_len(v, vlen));
	tu_check(&total, sm_validate(v, vlen, &sm_malloc_env, &err),
			 "%s: sm_validate rejected a built value: %s", what, err.msg);
	if (tu_check(&total, to_json(v, vlen, 0, &json, &jlen, &err), "%s: sm_to_json failed: %s",
				 what, err.msg))
	{
		tu_check(&total, strstr(json, ",\"x_sourcemap_functions\":[],") != NULL,
				 "%s: the JSON does not say the table is empty: %s", what, json);
		if (tu_check(&total, sm_build(json, jlen, &sm_malloc_env, 0, &again, &alen, &err),
					 "%s: its JSON is rejected: %s", what, err.msg))
			tu_check(&total, alen == vlen && memcmp(again, v, vlen) == 0,
					 "%s: its JSON builds a different value (%zu bytes, then %zu)", what, vlen,
					 alen);
	}
	sm_free(&sm_malloc_env, json);
	sm_free(&sm_malloc_env, again);
	sm_free(&sm_malloc_env, v);
}

static void
empty_table_beside_scopes(void)
{
	const char	scoped[] = SCOPED_HEAD SCOPED_SCOPES;
	const char	declared[] = SCOPED_HEAD "\"x_sourcemap_functions\":[]," SCOPED_SCOPES;
	SmError		err = {0};
	uint8_t    *v = NULL;
	size_t		vlen = 0;

	/* the field does give a table when nothing else decides */
	if (tu_check(&total, sm_build(scoped, strlen(scoped), &sm_malloc_env, 0, &v, &vlen, &err),
				 "scopes map: %s", err.msg))
	{
		tu_check(&total, table_len(v, vlen) > 0, "scopes map: no function table from `scopes`");
		sm_free(&sm_malloc_env, v);
	}
	/* generated code without functions decides */
	if (tu_check(&total, sm_build_with_source(scoped, strlen(scoped), "0;", 2, &sm_malloc_env, 0,
											  &v, &vlen, &err),
				 "scopes map with code: %s", err.msg))
		check_empty_beside_scopes("scopes map with code without functions", v, vlen);
	/* so does an empty x_sourcemap_functions */
	if (tu_check(&total, sm_build(declared, strlen(declared), &sm_malloc_env, 0, &v, &vlen, &err),
				 "scopes map with empty x_sourcemap_functions: %s", err.msg))
		check_empty_beside_scopes("scopes map with empty x_sourcemap_functions", v, vlen);
}

int
main(void)
{
	MapList		l;
	size_t		i;

	memset(&l, 0, sizeof(l));
	collect_maps(&l);
	printf("roundtrip: %zu maps\n", l.n);
	for (i = 0; i < l.n; i++)
	{
		one_map(l.paths[i]);
		free(l.paths[i]);
	}
	free(l.paths);
	empty_table_beside_scopes();
	return tu_finish("roundtrip", &total);
}
