/*
 * test_lossless.c -- JSON in, JSON out loses nothing: for every vendored
 * map (test/data/corpus, the lossless fixtures of test/data/lossless, the
 * React Native maps of test/data/metro) and
 * every map of the shared corpus (../shared/oracle/corpus, skipped with a
 * message when absent), the input and the output of sm_to_json are read
 * as JSON values and compared as data.  Only the differences the README
 * lists ("What the JSON output keeps") are allowed:
 *   - "version" is 3; "mappings" holds the same segments, each line
 *     sorted by column (stably), re-encoded;
 *   - the ignore list is sorted and without repeats;
 *   - "sourcesContent" has one entry per source when any is non-null,
 *     else none; "debugId" is lowercase;
 *   - "names" is always written; "x_sourcemap_functions" is added when the
 *     map has function names from `scopes`;
 *   - an index map comes out flattened: its sections' members become
 *     "sources", "names", "sourcesContent", "mappings" and the ignore list
 *     (compared here only through what test_golden and test_roundtrip
 *     check), and its own other members are kept like a regular map's.
 * Every other member must come out equal as data (numbers by value,
 * strings unescaped, objects by key with the last of repeated keys).
 * Also: whitespace inside kept members does not change the stored bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/sm_vlq.h"
#include "test_util.h"

static TuCounts total;

/* ---- JSON values as data ------------------------------------------------ */

/* The value of key in object o, the last one when repeated (as JSON.parse). */
static const TuJson *
member(const TuJson *o, const char *key)
{
	const TuJson *v = NULL;

	for (size_t i = 0; o && o->type == TJ_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			v = &o->items[i];
	return v;
}

static bool
same_value(const TuJson *a, const TuJson *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type)
	{
		case TJ_NULL:
			return true;
		case TJ_BOOL:
			return a->b == b->b;
		case TJ_NUM:
			return a->is_real || b->is_real ? a->real == b->real : a->num == b->num;
		case TJ_STR:
			return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
		case TJ_ARR:
			if (a->n != b->n)
				return false;
			for (size_t i = 0; i < a->n; i++)
				if (!same_value(&a->items[i], &b->items[i]))
					return false;
			return true;
		case TJ_OBJ:
			/* same keys (repeats counted once) and the same last value of each */
			for (size_t i = 0; i < a->n; i++)
			{
				const TuJson *w = member(b, a->keys[i]);

				if (w == NULL || !same_value(member(a, a->keys[i]), w))
					return false;
			}
			for (size_t i = 0; i < b->n; i++)
				if (member(a, b->keys[i]) == NULL)
					return false;
			return true;
	}
	return false;
}

/* ---- the documented exceptions ---------------------------------------- */

typedef struct Seg
{
	int64_t		line,
				col,
				nfields,
				src,
				oline,
				ocol,
				name;
} Seg;

static int
cmp_seg(const void *x, const void *y)
{
	const Seg  *a = x,
			   *b = y;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

static int
cmp_seg_stable(const void *x, const void *y)
{
	const Seg  *a = x,
			   *b = y;
	int			c = cmp_seg(x, y);

	return c ? c : (a->nfields > b->nfields) - (a->nfields < b->nfields);
}

/*
 * The segments of a mappings string, absolute, each line sorted stably by
 * column (qsort is not stable: the index breaks ties); *lines the ';' count + 1.
 */
static Seg *
decode_segments(const char *s, size_t len, size_t *n, int64_t *lines)
{
	Seg		   *v = NULL;
	size_t		cap = 0,
				pos = 0;
	int64_t		line = 0,
				col = 0,
				acc[4] = {0, 0, 0, 0};

	*n = 0;
	while (pos <= len)
	{
		Seg			g;
		int64_t		d;

		if (pos == len || s[pos] == ';' || s[pos] == ',')
		{
			if (pos < len && s[pos] == ';')
			{
				line++;
				col = 0;
			}
			pos++;
			continue;
		}
		memset(&g, 0, sizeof(g));
		if (sm_vlq_decode(s, len, &pos, &d) != SM_VLQ_OK)
			break;
		col += d;
		g.line = line;
		g.col = col;
		g.nfields = 1;
		while (g.nfields < 5 && pos < len && s[pos] != ',' && s[pos] != ';')
		{
			if (sm_vlq_decode(s, len, &pos, &d) != SM_VLQ_OK)
				break;
			acc[g.nfields - 1] += d;
			g.nfields++;
		}
		g.src = g.nfields > 1 ? acc[0] : -1;
		g.oline = g.nfields > 1 ? acc[1] : -1;
		g.ocol = g.nfields > 1 ? acc[2] : -1;
		g.name = g.nfields > 4 ? acc[3] : -1;
		if (*n == cap)
		{
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof(Seg));
			if (v == NULL)
				exit(2);
		}
		/* the index in the line order, to make the sort stable */
		g.nfields += (int64_t) (*n) << 8;
		v[(*n)++] = g;
	}
	*lines = line + 1;
	qsort(v, *n, sizeof(Seg), cmp_seg_stable);
	for (size_t i = 0; i < *n; i++)
		v[i].nfields &= 0xFF;
	return v;
}

static bool
same_mappings(const TuJson *a, const TuJson *b)
{
	size_t		na,
				nb;
	int64_t		la,
				lb;
	Seg		   *sa,
			   *sb;
	bool		ok;

	if (a->type != TJ_STR || b->type != TJ_STR)
		return false;
	sa = decode_segments(a->str, a->len, &na, &la);
	sb = decode_segments(b->str, b->len, &nb, &lb);
	ok = na == nb && la == lb;
	for (size_t i = 0; ok && i < na; i++)
		ok = memcmp(&sa[i], &sb[i], sizeof(Seg)) == 0;
	free(sa);
	free(sb);
	return ok;
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t		a = *(const int64_t *) x,
				b = *(const int64_t *) y;

	return (a > b) - (a < b);
}

/* The same set of indexes. */
static bool
same_index_set(const TuJson *a, const TuJson *b)
{
	int64_t    *va,
			   *vb;
	size_t		na = 0,
				nb = 0;
	bool		ok = true;

	if (a->type != TJ_ARR || b->type != TJ_ARR)
		return false;
	va = malloc((a->n + 1) * sizeof(int64_t));
	vb = malloc((b->n + 1) * sizeof(int64_t));
	if (va == NULL || vb == NULL)
		exit(2);
	for (size_t i = 0; i < a->n; i++)
		va[i] = a->items[i].num;
	qsort(va, a->n, sizeof(int64_t), cmp_i64);
	for (size_t i = 0; i < a->n; i++)
		if (i == 0 || va[i] != va[i - 1])
			va[na++] = va[i];
	for (size_t i = 0; i < b->n; i++)
		vb[nb++] = b->items[i].num;
	ok = na == nb && (na == 0 || memcmp(va, vb, na * sizeof(int64_t)) == 0);
	free(va);
	free(vb);
	return ok;
}

/* sourcesContent: padded with null to one entry per source, or absent when all null. */
static bool
same_contents(const TuJson *in, const TuJson *out, size_t nsources)
{
	bool		any = false;

	for (size_t i = 0; in && in->type == TJ_ARR && i < in->n; i++)
		any |= in->items[i].type != TJ_NULL;
	if (!any)
		return out == NULL;
	if (out == NULL || out->type != TJ_ARR || out->n != nsources)
		return false;
	for (size_t i = 0; i < nsources; i++)
	{
		TuJson		null = {0};
		const TuJson *x = i < in->n ? &in->items[i] : &null;

		if (!same_value(x, &out->items[i]))
			return false;
	}
	return true;
}

/* Is key one of the members an index map flattens (or does not read)? */
static bool
flattened(const char *key)
{
	static const char *const keys[] = {
		"sections", "sources", "names", "sourcesContent", "mappings", "sourceRoot",
		"ignoreList", "x_google_ignoreList", NULL
	};

	for (int i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* Compare one map's input and output as data; returns the failures. */
static long
compare(const char *what, const TuJson *in, const TuJson *out)
{
	long		bad = 0;
	bool		index = member(in, "sections") != NULL;
	const TuJson *src_out = member(out, "sources");
	const char *ignore_key = member(in, "ignoreList") ? "ignoreList" : "x_google_ignoreList";

	for (size_t i = 0; i < in->n; i++)
	{
		const char *k = in->keys[i];
		const TuJson *a = member(in, k),
				   *b = member(out, k);
		bool		ok;

		if (&in->items[i] != a)
			continue;			/* an earlier repeat of the key */
		if (index && flattened(k))
			continue;
		if (strcmp(k, "version") == 0)
			ok = b && b->type == TJ_NUM && b->num == 3;
		else if (strcmp(k, "mappings") == 0)
			ok = b && same_mappings(a, b);
		else if (strcmp(k, ignore_key) == 0 && a->type == TJ_ARR && a->n > 0)
			ok = b && same_index_set(a, b);
		else if (strcmp(k, "sourcesContent") == 0)
			ok = same_contents(a, b, src_out ? src_out->n : 0);
		else if ((strcmp(k, "debugId") == 0 || (strcmp(k, "debug_id") == 0 && !member(in, "debugId"))) &&
				 a->type == TJ_STR)
			ok = b && b->type == TJ_STR && b->len == a->len && strcasecmp(a->str, b->str) == 0;
		else
			ok = b && same_value(a, b);
		if (!tu_check(&total, ok, "%s: member \"%s\" differs in the output", what, k))
			bad++;
	}
	for (size_t i = 0; i < out->n; i++)
	{
		const char *k = out->keys[i];
		bool		ok = member(in, k) != NULL ||
			(index && flattened(k)) ||
			(strcmp(k, "names") == 0 && out->items[i].n == 0) ||
			(strcmp(k, "x_sourcemap_functions") == 0 && member(in, "scopes"));

		if (!tu_check(&total, ok, "%s: member \"%s\" added in the output", what, k))
			bad++;
	}
	return bad;
}

/* ---- one map -------------------------------------------------------------- */

static void
check_file(const char *path, const char *what)
{
	size_t		len;
	char	   *json = tu_read_file(path, &len);
	SmError		err = {0};
	TuMap		m;
	TuJson	   *in = NULL,
			   *out = NULL;
	char	   *text = NULL;
	size_t		text_len = 0;

	if (!tu_check(&total, json != NULL, "%s: unreadable", path))
		return;
	if (tu_check(&total, tu_map_build(json, len, &m, &err), "%s: build: %s", what, err.msg))
	{
		if (tu_check(&total, sm_to_json(m.map, 0, &text, &text_len, &err), "%s: output: %s", what, err.msg) &&
			tu_check(&total, (in = tu_json_load(json, len, &err)) != NULL, "%s: input: %s", what, err.msg) &&
			tu_check(&total, (out = tu_json_load(text, text_len, &err)) != NULL, "%s: output as JSON: %s",
					 what, err.msg))
		{
			long		bad = compare(what, in, out);

			printf("  %s: %zu members in, %zu out, %ld differ\n", what, in->n, out->n, bad);
		}
		tu_json_free(in);
		tu_json_free(out);
		sm_free(&sm_malloc_env, text);
		tu_map_free(&m);
	}
	free(json);
}

/* Whitespace inside a kept member does not change the stored value. */
static void
check_whitespace(void)
{
	const char *tight = "{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"AAAA\","
		"\"x_metro_module_paths\":[\"a b\",{\"k\":[1,2.5e0,null]}]}";
	const char *loose = "{ \"version\" : 3 , \"sources\" : [ \"a.js\" ] , \"names\" : [ ] , "
		"\"mappings\" : \"AAAA\" ,\n\t\"x_metro_module_paths\" : [ \"a b\" , { \"k\" : [ 1 , 2.5e0 , null ] } ] }";
	TuMap		a,
				b;
	SmError		err = {0};

	if (tu_check(&total, tu_map_build(tight, strlen(tight), &a, &err), "tight: %s", err.msg))
	{
		if (tu_check(&total, tu_map_build(loose, strlen(loose), &b, &err), "loose: %s", err.msg))
		{
			tu_check(&total, a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
					 "whitespace inside a kept member changes the stored value");
			tu_map_free(&b);
		}
		tu_map_free(&a);
	}
}

int
main(void)
{
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *fixtures = tu_path(data, "lossless");
	char	  **files = tu_list_dir(fixtures, ".map");
	const char *shared = tu_shared_dir();
	int			nvendored = 0,
				nshared = 0;

	check_whitespace();
	/* the lossless fixtures */
	for (char **f = files; f && *f; f++, nvendored++)
	{
		char	   *p = tu_path(fixtures, *f);

		check_file(p, *f);
		free(p);
	}
	tu_free_list(files);
	/* the React Native maps made by metro-source-map and hermesc */
	free(fixtures);
	fixtures = tu_path(data, "metro");
	files = tu_list_dir(fixtures, ".map");
	for (char **f = files; f && *f; f++, nvendored++)
	{
		char	   *p = tu_path(fixtures, *f);

		check_file(p, *f);
		free(p);
	}
	tu_free_list(files);
	tu_check(&total, nvendored >= 7, "only %d lossless fixtures in %s", nvendored, fixtures);
	/* the vendored corpus, named by the golden files' headers (two per map) */
	{
		char	   *gdir = tu_path(data, "golden");
		char	  **goldens = tu_list_dir(gdir, ".tsv");
		char	   *last = NULL;

		for (char **f = goldens; f && *f; f++)
		{
			char	   *gpath = tu_path(gdir, *f);
			TuGolden   *g = tu_golden_load(gpath);

			if (tu_check(&total, g != NULL, "golden %s unreadable", *f) &&
				(last == NULL || strcmp(last, g->map_path) != 0))
			{
				char	   *p = tu_path(data, g->map_path);

				check_file(p, g->map_path);
				free(p);
				free(last);
				last = strdup(g->map_path);
				nvendored++;
			}
			tu_golden_free(g);
			free(gpath);
		}
		free(last);
		tu_free_list(goldens);
		free(gdir);
	}
	/* the shared corpus, listed in its MANIFEST.tsv */
	if (shared == NULL)
		printf("lossless: no ../shared (SM_SHARED): the shared corpus is skipped\n");
	else
	{
		char	   *dir = tu_path(shared, "oracle/corpus");
		char	   *list = tu_path(dir, "MANIFEST.tsv");
		size_t		list_len;
		char	   *text = tu_read_file(list, &list_len);

		if (text == NULL)
			printf("lossless: no %s: the shared corpus is skipped\n", list);
		for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
		{
			char	   *tab = strchr(line, '\t');
			char	   *p;

			if (tab == NULL || strncmp(line, "path\t", 5) == 0)
				continue;
			*tab = '\0';
			p = tu_path(dir, line);
			check_file(p, line);
			free(p);
			nshared++;
		}
		free(text);
		free(list);
		free(dir);
	}
	printf("lossless: %d vendored maps, %d of the shared corpus\n", nvendored, nshared);
	free(fixtures);
	free(data);
	return tu_finish("lossless", &total);
}
