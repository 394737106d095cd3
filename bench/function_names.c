/*
 * function_names.c -- how often the enclosing function's original name is
 * right, measured on the corpus maps that ship their generated code.
 *
 *   cc -std=c99 -O2 -Isrc/core -o /tmp/function_names bench/function_names.c \
 *      $(ls src/core/[a-z]*.c) -lz
 *   /tmp/function_names [--per-map N] [--seed S] [--shared DIR]
 *
 * For every map of <shared>/oracle/corpus/MANIFEST.tsv with a js_path (skipped
 * cleanly when the shared folder is absent): build the map (sm_build), scan
 * the generated .js (sm_jsscan.h), resolve the names through the map
 * (sm_funclist.h) and encode the function table (sm_functab.h), as the
 * extension does at input.  Then draw a deterministic sample of mapped
 * segments (reservoir sampling, seeded per map) whose source has
 * sourcesContent, and for each one compare:
 *   truth     the same scanner run over the original source (from
 *             sourcesContent): the innermost function around the segment's
 *             original position, named as written there; "none" at top level
 *   predicted the function table's answer at the generated position
 *   minified  the generated scope's name as written (no resolution)
 *   baseline  the segment's own `names` entry (what a naive symbolicator
 *             shows as the function)
 * "exact" compares whole names; "loose" compares only what follows the
 * last '.' outside brackets (the method or property name, without the
 * class or object prefix).  "No name" (top-level code, or an anonymous
 * function) matches "no name": a stack frame shows no name either way, and
 * bundlers wrap top-level module code in anonymous functions.
 *
 * Only segments a stack frame could point at are sampled: the generated
 * position must be on code, not on whitespace or in a comment (some maps
 * map JSDoc lines).
 *
 * The truth is only as good as the map: a sampled segment whose original
 * position lies outside its source's sourcesContent (past the last line or
 * the end of its line) is dropped ("outside"), and a map where more than
 * 10% are dropped is marked inconsistent (its sourcesContent is not the
 * code the mappings point into, e.g. an intermediate build) and left out
 * of the headline total.  "names agree" is informative: the share of
 * sampled named segments whose original position starts with that name
 * (TypeScript enums and injected helpers legitimately differ).
 *
 * Output: a Markdown table (one row per map, then the totals) on stdout.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "functions/sm_jsscan.h"
#include "bench_util.h"
#include "sm_core.h"

/* Kind of an answer. */
typedef enum AnsKind
{
	ANS_NONE = 0,				/* not in a function */
	ANS_ANON,					/* in an anonymous function */
	ANS_NAME
} AnsKind;

typedef struct Ans
{
	AnsKind		kind;
	char		name[SM_FUNC_NAME_MAX + 1];
	size_t		len;
} Ans;

typedef struct Tally
{
	long		dropped;		/* original position outside sourcesContent */
	long		named;			/* sampled segments with a name */
	long		agree;			/* ... whose name is at the original position */
	long		n;
	long		in_named;		/* truth is a named function */
	long		exact;
	long		loose;
	long		min_exact;
	long		min_loose;
	long		base_exact;
	long		base_loose;
} Tally;

/* Milliseconds of a monotonic clock. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* xorshift64* step. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Set an answer to a name (cut to the buffer). */
static void
ans_set(Ans *a, AnsKind kind, const char *s, size_t len)
{
	a->kind = kind;
	if (len > SM_FUNC_NAME_MAX)
		len = SM_FUNC_NAME_MAX;
	if (len)
		memcpy(a->name, s, len);
	a->name[len] = '\0';
	a->len = len;
}

/* Offset of the last component: after the last '.' outside brackets. */
static size_t
last_component(const Ans *a)
{
	size_t		i,
				start = 0;
	int			depth = 0;

	for (i = 0; i < a->len; i++)
	{
		if (a->name[i] == '[')
			depth++;
		else if (a->name[i] == ']' && depth > 0)
			depth--;
		else if (a->name[i] == '.' && depth == 0)
			start = i + 1;
	}
	return start;
}

/* Do two answers agree, on the whole name or on the last component only? */
static bool
same(const Ans *a, const Ans *b, bool loose)
{
	size_t		oa,
				ob;

	if ((a->kind == ANS_NAME) != (b->kind == ANS_NAME))
		return false;
	if (a->kind != ANS_NAME)
		return true;			/* no name either way */
	if (!loose)
		return a->len == b->len && memcmp(a->name, b->name, a->len) == 0;
	oa = last_component(a);
	ob = last_component(b);
	return a->len - oa == b->len - ob && memcmp(a->name + oa, b->name + ob, a->len - oa) == 0;
}

/* A source's content and its scan, made on first use. */
typedef struct SourceScan
{
	bool		done;
	bool		ok;
	char	   *content;
	uint32_t	len;
	uint32_t   *line_off;		/* byte offset of each line */
	uint32_t	nlines;
	SmJsScan	scan;
} SourceScan;

/* Index the lines of a source's content (LF, CRLF, CR). */
static void
index_lines(SourceScan *ss)
{
	uint32_t	i,
				n = 1;

	for (i = 0; i < ss->len; i++)
		if (ss->content[i] == '\n' || (ss->content[i] == '\r' && !(i + 1 < ss->len && ss->content[i + 1] == '\n')))
			n++;
	ss->line_off = malloc(sizeof(uint32_t) * n);
	ss->line_off[0] = 0;
	ss->nlines = 1;
	for (i = 0; i < ss->len; i++)
		if (ss->content[i] == '\n' || (ss->content[i] == '\r' && !(i + 1 < ss->len && ss->content[i + 1] == '\n')))
			ss->line_off[ss->nlines++] = i + 1;
}

/*
 * Byte offset of (line, UTF-16 col) in the content, or -1 when the position
 * is not inside the content (past the last line or the line's end).
 */
static long
offset_of(const SourceScan *ss, uint32_t line, uint32_t col)
{
	uint32_t	p,
				end,
				c = 0;

	if (line >= ss->nlines)
		return -1;
	p = ss->line_off[line];
	end = (line + 1 < ss->nlines) ? ss->line_off[line + 1] : ss->len;
	while (c < col && p < end)
	{
		unsigned char b = (unsigned char) ss->content[p];

		c += (b >= 0xF0) ? 2 : 1;
		p++;
		while (p < end && (((unsigned char) ss->content[p]) & 0xC0) == 0x80)
			p++;
	}
	return (c == col && p <= end) ? (long) p : -1;
}

/* A position in a text kept as (line, UTF-16 column, byte offset), moved forward cheaply. */
typedef struct Cursor
{
	uint32_t	line;
	uint32_t	col;
	uint32_t	off;
} Cursor;

/*
 * Byte offset of (line, col) in gen, moving cur there: linear in the
 * distance when positions come in increasing order; -1 if not in the text.
 */
static long
cursor_offset(const SourceScan *gen, Cursor *cur, uint32_t line, uint32_t col)
{
	uint32_t	end;

	if (line >= gen->nlines)
		return -1;
	if (line != cur->line || col < cur->col)
	{
		cur->line = line;
		cur->col = 0;
		cur->off = gen->line_off[line];
	}
	end = (line + 1 < gen->nlines) ? gen->line_off[line + 1] : gen->len;
	while (cur->col < col && cur->off < end)
	{
		unsigned char b = (unsigned char) gen->content[cur->off];

		cur->col += (b >= 0xF0) ? 2 : 1;
		cur->off++;
		while (cur->off < end && (((unsigned char) gen->content[cur->off]) & 0xC0) == 0x80)
			cur->off++;
	}
	return (cur->col == col && cur->off < end) ? (long) cur->off : -1;
}

/* Is (line, col) of the generated code on code (not whitespace or a comment line)? */
static bool
on_code(const SourceScan *gen, Cursor *cur, uint32_t line, uint32_t col)
{
	long		off = cursor_offset(gen, cur, line, col);
	const char *p,
			   *q;

	if (off < 0)
		return false;
	p = gen->content + off;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return false;
	if (p[0] == '/' && (p[1] == '/' || p[1] == '*'))
		return false;
	q = gen->content + gen->line_off[line];
	while (*q == ' ' || *q == '\t')
		q++;
	if (q[0] == '/' && (q[1] == '/' || q[1] == '*'))
		return false;
	return !(q[0] == '*' && (q[1] == ' ' || q[1] == '/' || q[1] == '\n' || q[1] == '\r' ||
							 q[1] == '\0'));
}

/* Print one table row. */
static void
print_row(const char *name, const Tally *t, const char *extra)
{
	double		n = t->n ? (double) t->n : 1;

	char		agree[16];

	if (t->named)
		snprintf(agree, sizeof(agree), "%.0f%%", 100.0 * t->agree / t->named);
	else
		snprintf(agree, sizeof(agree), "n/a");
	printf("| %s | %ld | %.0f%% | %s | %.1f%% | **%.1f%%** | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%s\n",
		   name, t->n, 100.0 * t->dropped / (double) (t->n + t->dropped ? t->n + t->dropped : 1),
		   agree, 100.0 * t->in_named / n, 100.0 * t->exact / n, 100.0 * t->loose / n,
		   100.0 * t->min_exact / n, 100.0 * t->min_loose / n, 100.0 * t->base_exact / n,
		   100.0 * t->base_loose / n, extra);
}

/* Add a map's tally into a total. */
static void
tally_add(Tally *total, const Tally *t)
{
	total->dropped += t->dropped;
	total->named += t->named;
	total->agree += t->agree;
	total->n += t->n;
	total->in_named += t->in_named;
	total->exact += t->exact;
	total->loose += t->loose;
	total->min_exact += t->min_exact;
	total->min_loose += t->min_loose;
	total->base_exact += t->base_exact;
	total->base_loose += t->base_loose;
}

/* Measure one map; adds to *total.  Returns false when the map is skipped. */
static bool
measure(const char *corpus, const char *map_rel, const char *js_rel, int per_map, uint64_t seed,
		Tally *total, Tally *all)
{
	char		path[8192],
				extra[256];
	char	   *json,
			   *js;
	size_t		json_len,
				js_len;
	uint8_t    *stored = NULL;
	size_t		stored_len;
	SmMap	   *m;
	SmError		err;
	SmJsScan	scan,
				gscan;
	SmFuncList list,
				raw;
	SmBuf		table,
				tmp;
	SmInfo		info;
	SmIter	   *it;
	SmMapping	seg,
			   *sample;
	SourceScan *src,
				gen;
	Cursor		cur;
	long		eligible = 0;
	int			nsample = 0,
				i;
	uint32_t	k;
	double		t0,
				scan_ms,
				resolve_ms;
	Tally		t;

	snprintf(path, sizeof(path), "%s/%s", corpus, map_rel);
	json = bench_read_file(path, &json_len);
	snprintf(path, sizeof(path), "%s/%s", corpus, js_rel);
	js = bench_read_file(path, &js_len);
	if (json == NULL || js == NULL)
	{
		fprintf(stderr, "%s: unreadable, skipped\n", map_rel);
		free(json);
		free(js);
		return false;
	}
	if (!sm_build(json, json_len, &sm_malloc_env, 0, &stored, &stored_len, &err) ||
		(m = sm_open_buffer(&sm_malloc_env, stored, stored_len, &err)) == NULL)
	{
		fprintf(stderr, "%s: %s, skipped\n", map_rel, err.msg);
		free(json);
		free(js);
		free(stored);
		return false;
	}
	free(json);
	sm_info(m, &info, &err);
	sm_set_block_cache(m, (size_t) 64 << 20);	/* ingest-time lookups come in order */

	/* the extension's work at input */
	t0 = now_ms();
	if (!sm_js_scan(js, js_len, &sm_malloc_env, &scan, &err))
	{
		fprintf(stderr, "%s: scan: %s\n", map_rel, err.msg);
		exit(1);
	}
	scan_ms = now_ms() - t0;
	sm_func_list_init(&list, &sm_malloc_env, &err);
	smb_init(&table, &sm_malloc_env, &err);
	t0 = now_ms();
	if (!sm_func_resolve(m, &scan, &list, &err) || !sm_functab_encode(&list, &table, &err) ||
		!sm_functab_check(table.data, table.len, &err))
	{
		fprintf(stderr, "%s: resolve: %s\n", map_rel, err.msg);
		exit(1);
	}
	resolve_ms = now_ms() - t0;

	/* the same scopes unresolved (names as written in the generated code) */
	sm_func_list_init(&raw, &sm_malloc_env, &err);
	smb_init(&tmp, &sm_malloc_env, &err);
	for (k = 0; k < scan.nscopes; k++)
	{
		tmp.len = 0;
		sm_js_scope_name(&scan, k, &tmp);
		sm_func_list_add(&raw, scan.scopes[k].start_line, scan.scopes[k].start_col,
						  scan.scopes[k].end_line, scan.scopes[k].end_col, (const char *) tmp.data,
						  tmp.len, scan.scopes[k].nparts == 0);
	}
	{
		SmBuf		rawtab;

		smb_init(&rawtab, &sm_malloc_env, &err);
		sm_functab_encode(&raw, &rawtab, &err);
		sm_func_list_free(&raw);
		raw.ranges = NULL;
		/* keep the raw table in tmp */
		smb_free(&tmp);
		tmp = rawtab;
	}

	/* reservoir sample of mapped code positions whose source has content */
	memset(&gen, 0, sizeof(gen));
	gen.content = js;
	gen.len = (uint32_t) js_len;
	index_lines(&gen);
	memset(&cur, 0, sizeof(cur));
	sample = malloc(sizeof(SmMapping) * (size_t) per_map);
	it = sm_iter_begin(m, &err);
	while (it && sm_iter_next(it, &seg, &err) > 0)
	{
		bool		has = false;

		if (seg.source == SM_NONE || !sm_source_has_content(m, seg.source, &has, &err) || !has ||
			!on_code(&gen, &cur, seg.gen_line, seg.gen_col))
			continue;
		eligible++;
		if (nsample < per_map)
			sample[nsample++] = seg;
		else
		{
			uint64_t	j = rnd(&seed) % (uint64_t) eligible;

			if (j < (uint64_t) per_map)
				sample[j] = seg;
		}
	}
	sm_iter_end(it);
	if (nsample == 0)
	{
		fprintf(stderr, "%s: no segment with sourcesContent, skipped\n", map_rel);
		free(gen.line_off);
		free(sample);
		sm_close(m);
		free(stored);
		free(js);
		sm_js_scan_free(&scan);
		sm_func_list_free(&list);
		smb_free(&table);
		smb_free(&tmp);
		return false;
	}

	src = calloc(info.sources ? info.sources : 1, sizeof(SourceScan));
	memset(&t, 0, sizeof(t));
	for (i = 0; i < nsample; i++)
	{
		SmMapping  *s = &sample[i];
		SourceScan *ss = &src[s->source];
		Ans			truth,
					pred,
					mini,
					base;
		SmStr		name;
		bool		anon;
		int			rc;

		if (!ss->done)
		{
			bool		isnull;

			ss->done = true;
			ss->ok = sm_source_content(m, s->source, &ss->content, &ss->len, &isnull, &err) &&
				!isnull && sm_js_scan(ss->content, ss->len, &sm_malloc_env, &ss->scan, &err);
			if (ss->ok)
				index_lines(ss);
		}
		if (!ss->ok)
			continue;
		{
			long		off = offset_of(ss, s->orig_line, s->orig_col);

			if (off < 0)
			{
				t.dropped++;
				continue;
			}
			if (s->name != SM_NONE && sm_name(m, s->name, &name, &err) && !name.isnull)
			{
				t.named++;
				t.agree += (size_t) off + name.len <= ss->len &&
					memcmp(ss->content + off, name.ptr, name.len) == 0;
			}
		}
		gscan = ss->scan;
		k = sm_js_scope_at(&gscan, s->orig_line, s->orig_col);
		if (k == SM_NONE)
			ans_set(&truth, ANS_NONE, "", 0);
		else if (gscan.scopes[k].nparts == 0)
			ans_set(&truth, ANS_ANON, "", 0);
		else
		{
			SmBuf		b;

			smb_init(&b, &sm_malloc_env, &err);
			sm_js_scope_name(&gscan, k, &b);
			ans_set(&truth, ANS_NAME, (const char *) b.data, b.len);
			smb_free(&b);
		}
		rc = sm_functab_find(table.data, table.len, s->gen_line, s->gen_col, &name, &anon);
		ans_set(&pred, rc == 1 ? (anon ? ANS_ANON : ANS_NAME) : ANS_NONE, name.ptr, name.len);
		rc = sm_functab_find(tmp.data, tmp.len, s->gen_line, s->gen_col, &name, &anon);
		ans_set(&mini, rc == 1 ? (anon ? ANS_ANON : ANS_NAME) : ANS_NONE, name.ptr, name.len);
		if (s->name != SM_NONE && sm_name(m, s->name, &name, &err) && !name.isnull)
			ans_set(&base, ANS_NAME, name.ptr, name.len);
		else if (truth.kind == ANS_NONE)
			ans_set(&base, ANS_NONE, "", 0);
		else
			ans_set(&base, ANS_ANON, "", 0);	/* in a function, no name shown */

		t.n++;
		t.in_named += truth.kind == ANS_NAME;
		t.exact += same(&pred, &truth, false);
		t.loose += same(&pred, &truth, true);
		t.min_exact += same(&mini, &truth, false);
		t.min_loose += same(&mini, &truth, true);
		t.base_exact += same(&base, &truth, false);
		t.base_loose += same(&base, &truth, true);
		if (getenv("FN_VERBOSE") && !same(&pred, &truth, true))
			fprintf(stderr, "%s %u:%u -> src %u %u:%u: truth [%d %s] predicted [%d %s] baseline [%d %s]\n",
					map_rel, s->gen_line, s->gen_col, s->source, s->orig_line, s->orig_col,
					truth.kind, truth.name, pred.kind, pred.name, base.kind, base.name);
	}
	snprintf(extra, sizeof(extra), " %u | %zu | %.0f | %.0f |", scan.nscopes, table.len / 1024,
			 scan_ms, resolve_ms);
	{
		bool		consistent = t.dropped * 10 <= t.n + t.dropped;
		char		label[1100];

		snprintf(label, sizeof(label), consistent ? "%s" : "%s (inconsistent)", map_rel);
		print_row(label, &t, extra);
		if (consistent)
			tally_add(total, &t);
		tally_add(all, &t);
	}
	fflush(stdout);

	for (k = 0; k < info.sources; k++)
	{
		if (src[k].ok)
			sm_js_scan_free(&src[k].scan);
		free(src[k].content);
		free(src[k].line_off);
	}
	free(src);
	free(gen.line_off);
	free(sample);
	sm_close(m);
	free(stored);
	free(js);
	sm_js_scan_free(&scan);
	sm_func_list_free(&list);
	smb_free(&table);
	smb_free(&tmp);
	return true;
}

/* Index of column name in a tab-separated header line, or -1. */
static int
column_of(const char *header, const char *name)
{
	int			col = 0;
	const char *p = header;
	size_t		n = strlen(name);

	for (;;)
	{
		const char *end = strpbrk(p, "\t\n");
		size_t		len = end ? (size_t) (end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return col;
		if (end == NULL || *end == '\n')
			return -1;
		p = end + 1;
		col++;
	}
}

/* Copy field col of a tab-separated line into out (empty if missing). */
static void
field(const char *line, int col, char *out, size_t outsz)
{
	const char *p = line;
	size_t		len;

	while (col-- > 0 && p)
	{
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (p == NULL)
	{
		out[0] = '\0';
		return;
	}
	len = strcspn(p, "\t\n");
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

int
main(int argc, char **argv)
{
	const char *shared = getenv("SM_SHARED") ? getenv("SM_SHARED") : "../shared";
	int			per_map = 2000;
	uint64_t	seed = 20240601;
	char		corpus[4096],
				path[8192];
	char	   *manifest,
			   *line;
	size_t		len;
	int			cpath,
				cjs,
				i;
	Tally		total,
				all;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--per-map") == 0 && i + 1 < argc)
			per_map = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc)
			shared = argv[++i];
		else
		{
			fprintf(stderr, "usage: %s [--per-map N] [--seed S] [--shared DIR]\n", argv[0]);
			return 2;
		}
	}
	if (per_map < 1)
		per_map = 1;
	snprintf(corpus, sizeof(corpus), "%s/oracle/corpus", shared);
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", corpus);
	manifest = bench_read_file(path, &len);
	if (manifest == NULL)
	{
		printf("function_names: %s not found: skipped\n", path);
		return 0;
	}
	cpath = column_of(manifest, "path");
	cjs = column_of(manifest, "js_path");
	if (cpath < 0 || cjs < 0)
	{
		fprintf(stderr, "MANIFEST.tsv lacks the path or js_path column\n");
		return 1;
	}
	printf("| map | positions | outside | names agree | in a named function | **exact** | loose | minified exact | "
		   "minified loose | baseline exact | baseline loose | scopes | table KB | scan ms | "
		   "resolve ms |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	memset(&total, 0, sizeof(total));
	memset(&all, 0, sizeof(all));
	line = strchr(manifest, '\n');
	while (line && line[1])
	{
		char		map_rel[1024],
					js_rel[1024];
		uint64_t	map_seed = seed;
		size_t		k;

		line++;
		field(line, cpath, map_rel, sizeof(map_rel));
		field(line, cjs, js_rel, sizeof(js_rel));
		line = strchr(line, '\n');
		if (map_rel[0] == '\0' || js_rel[0] == '\0' || strcmp(js_rel, "-") == 0)
			continue;
		for (k = 0; map_rel[k]; k++)
			map_seed = (map_seed ^ (uint8_t) map_rel[k]) * 1099511628211ull;
		if (map_seed == 0)
			map_seed = 1;
		measure(corpus, map_rel, js_rel, per_map, map_seed, &total, &all);
	}
	print_row("**consistent maps**", &total, " | | | |");
	print_row("all maps, inconsistent ones included", &all, " | | | |");
	free(manifest);
	return 0;
}
