/*
 * test_golden.c -- lookups on real production maps against the oracle's
 * golden answers.
 *
 * The golden files (see test/data/README.md and ../shared/oracle/README.md)
 * hold 1,000 queries per map and bias with the answer of the reference
 * implementation, @jridgewell/trace-mapping, whose GLB and LUB are ours
 * (same line only; first of equal columns for GLB, last for LUB; a 1-field
 * segment maps to nothing).  Every answer is compared field by field:
 * source index, raw source, original line and column, name index, name.
 * The resolved source is checked against the specification's sourceRoot
 * join of the raw source (not the golden's resolved_source, which is
 * trace-mapping's normalised URL).  The join uses the map's top-level
 * sourceRoot: no corpus map is an index map (MANIFEST.tsv, "sections"),
 * whose sections would each have their own.
 *
 * The maps vendored in test/data always run; with ../shared/oracle present
 * (or $SM_SHARED set) every corpus map runs too, up to 31 MB each, so each
 * map is built once for both of its bias files.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define MAX_PRINTED_PER_FILE 10

static TuCounts total;

static const char *
show_str(const char *s)
{
	return tu_show(s, s ? strlen(s) : 0, s == NULL);
}

static bool
str_eq_n(const char *want, const char *got, size_t got_len, bool got_null)
{
	if (want == NULL || got_null)
		return want == NULL && got_null;
	return strlen(want) == got_len && memcmp(want, got, got_len) == 0;
}

/* The map currently built, reused for the next golden file of the same map. */
typedef struct Current
{
	char	   *path;
	bool		ok;
	TuMap		map;
	SmStr		root;
} Current;

static void
current_reset(Current *c)
{
	if (c->path && c->ok)
		tu_map_free(&c->map);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

static bool
current_open(Current *c, const char *path, const char *label)
{
	SmError		err = {0};
	SmInfo		info;

	if (c->path && strcmp(c->path, path) == 0)
		return c->ok;
	current_reset(c);
	c->path = strdup(path);
	c->ok = tu_check(&total, tu_map_build_file(path, &c->map, &err), "%s: map %s rejected: %s",
					 label, path, err.msg);
	if (c->ok)
	{
		c->ok = tu_check(&total, sm_info(c->map.map, &info, &err), "%s: sm_info: %s", label,
						 err.msg);
		if (c->ok)
			c->root = info.source_root;
		else
			tu_map_free(&c->map);
	}
	return c->ok;
}

/* Compare one golden row; returns true if every field matches. */
static bool
check_row(const char *label, SmMap *map, SmStr root, SmBias bias, const TuGoldenRow *r,
		  bool print)
{
	SmMapping	m;
	SmError		err = {0};
	int			res;
	SmStr		src = {NULL, 0, true};
	SmStr		name = {NULL, 0, true};
	char	   *resolved = NULL;
	uint32_t	rlen = 0;
	bool		rnull = true;
	bool		mapped;
	bool		ok;
	char	   *want_resolved = NULL;

	if (r->gen_line < 0 || r->gen_line > UINT32_MAX || r->gen_col < 0 || r->gen_col > UINT32_MAX)
	{
		if (print)
			printf("FAIL: %s: query (%lld, %lld) out of range\n", label,
				   (long long) r->gen_line, (long long) r->gen_col);
		return false;
	}
	res = sm_lookup(map, (uint32_t) r->gen_line, (uint32_t) r->gen_col, bias, &m, &err);
	if (res < 0)
	{
		if (print)
			printf("FAIL: %s: lookup (%lld, %lld) failed: %s\n", label,
				   (long long) r->gen_line, (long long) r->gen_col, err.msg);
		return false;
	}
	mapped = res == 1 && m.source != SM_NONE;
	ok = mapped == r->mapped;
	if (ok && mapped)
	{
		ok = m.source == r->src_index && m.orig_line == r->orig_line &&
			m.orig_col == r->orig_col &&
			(r->has_name ? m.name == r->name_index : m.name == SM_NONE);
		if (ok && !sm_source(map, m.source, &src, &err))
			ok = false;
		if (ok && m.name != SM_NONE && !sm_name(map, m.name, &name, &err))
			ok = false;
		if (ok && !sm_source_resolved(map, m.source, &resolved, &rlen, &rnull, &err))
			ok = false;
		if (ok)
		{
			if (r->raw_source)
				want_resolved = tu_join_source_root(root.isnull ? "" : root.ptr,
													root.isnull ? 0 : root.len,
													r->raw_source, strlen(r->raw_source));
			ok = str_eq_n(r->raw_source, src.ptr, src.len, src.isnull) &&
				(!r->has_name || str_eq_n(r->name, name.ptr, name.len, name.isnull)) &&
				str_eq_n(want_resolved, resolved, rlen, rnull);
		}
	}
	if (!ok && print)
	{
		char		got[700];
		char		want[700];

		if (r->mapped && r->raw_source && want_resolved == NULL)
			want_resolved = tu_join_source_root(root.isnull ? "" : root.ptr,
												root.isnull ? 0 : root.len,
												r->raw_source, strlen(r->raw_source));
		if (err.msg[0])
			snprintf(got, sizeof(got), "error %s", err.msg);
		else if (!mapped)
			snprintf(got, sizeof(got), "nothing (lookup returned %d%s)", res,
					 res == 1 ? ", a 1-field segment" : "");
		else
			snprintf(got, sizeof(got), "src %u %s resolved %s, %u:%u, name %d %s",
					 m.source, tu_show(src.ptr, src.len, src.isnull),
					 tu_show(resolved, rlen, rnull), m.orig_line, m.orig_col,
					 m.name == SM_NONE ? -1 : (int) m.name,
					 tu_show(name.ptr, name.len, name.isnull));
		if (!r->mapped)
			snprintf(want, sizeof(want), "nothing");
		else
			snprintf(want, sizeof(want), "src %lld %s resolved %s, %lld:%lld, name %lld %s",
					 (long long) r->src_index, show_str(r->raw_source), show_str(want_resolved),
					 (long long) r->orig_line, (long long) r->orig_col,
					 (long long) r->name_index, show_str(r->name));
		printf("FAIL: %s: (%lld, %lld): got %s; expected %s\n", label,
			   (long long) r->gen_line, (long long) r->gen_col, got, want);
	}
	if (resolved)
		sm_free(&sm_malloc_env, resolved);
	free(want_resolved);
	return ok;
}

/*
 * sm_lookup_batch on every query of a golden file at once (in the file's
 * order, which is not position order) gives what sm_lookup gives for each.
 */
static void
check_batch(const char *label, SmMap *map, SmBias bias, const TuGolden *g)
{
	uint32_t	n = (uint32_t) g->nrows;
	uint32_t   *lines = calloc(n + 1, sizeof(uint32_t));
	uint32_t   *cols = calloc(n + 1, sizeof(uint32_t));
	bool	   *skip = calloc(n + 1, sizeof(bool));
	bool	   *found = calloc(n + 1, sizeof(bool));
	SmMapping  *out = calloc(n + 1, sizeof(SmMapping));
	SmError		err = {0};
	uint32_t	wrong = 0,
				first_wrong = 0;
	bool		ok;

	for (uint32_t i = 0; i < n; i++)
	{
		const TuGoldenRow *r = &g->rows[i];

		skip[i] = r->gen_line < 0 || r->gen_line > UINT32_MAX || r->gen_col < 0 ||
			r->gen_col > UINT32_MAX || i % 7 == 3;	/* and some left out on purpose */
		lines[i] = skip[i] ? UINT32_MAX : (uint32_t) r->gen_line;
		cols[i] = skip[i] ? UINT32_MAX : (uint32_t) r->gen_col;
	}
	ok = sm_lookup_batch(map, lines, cols, skip, n, bias, out, found, &err);
	for (uint32_t i = 0; ok && i < n; i++)
	{
		SmMapping	one;
		int			r = skip[i] ? 0 : sm_lookup(map, lines[i], cols[i], bias, &one, &err);

		if (r < 0 || found[i] != (r == 1) ||
			(r == 1 && memcmp(&one, &out[i], sizeof(one)) != 0))
		{
			if (wrong++ == 0)
				first_wrong = i;
		}
	}
	tu_check(&total, ok && wrong == 0,
			 "%s: sm_lookup_batch of %u queries: %s%u differ from sm_lookup (first: query %u)",
			 label, n, ok ? "" : err.msg, wrong, first_wrong);
	free(lines);
	free(cols);
	free(skip);
	free(found);
	free(out);
}

/* Run every golden file of a folder; maps are found under root. */
static void
run_folder(const char *what, const char *golden_dir, const char *root)
{
	char	  **files = tu_list_dir(golden_dir, ".tsv");
	char	  **f;
	Current		cur;
	int			nfiles = 0;
	TuCounts	sub = {0, 0};

	memset(&cur, 0, sizeof(cur));
	if (!tu_check(&total, files && files[0], "%s: no golden files in %s", what, golden_dir))
	{
		tu_free_list(files);
		return;
	}
	for (f = files; *f; f++)
	{
		char	   *gpath = tu_path(golden_dir, *f);
		TuGolden   *g = tu_golden_load(gpath);
		char	   *mpath;
		char		label[600];
		SmBias		bias;
		size_t		i;
		long		good = 0;
		long		printed = 0;

		nfiles++;
		if (!tu_check(&total, g != NULL, "%s: golden %s unreadable", what, *f))
		{
			free(gpath);
			continue;
		}
		snprintf(label, sizeof(label), "%s %s %s", what, g->map_path, g->bias);
		if (strcmp(g->bias, "glb") == 0)
			bias = SM_BIAS_GLB;
		else if (strcmp(g->bias, "lub") == 0)
			bias = SM_BIAS_LUB;
		else
		{
			tu_check(&total, false, "%s: unknown bias", label);
			tu_golden_free(g);
			free(gpath);
			continue;
		}
		mpath = tu_path(root, g->map_path);
		if (current_open(&cur, mpath, label))
		{
			for (i = 0; i < g->nrows; i++)
			{
				bool		ok = check_row(label, cur.map.map, cur.root, bias, &g->rows[i],
										   printed < MAX_PRINTED_PER_FILE);

				if (ok)
					good++;
				else
					printed++;
			}
			total.passed += good;
			total.failed += (long) g->nrows - good;
			sub.passed += good;
			sub.failed += (long) g->nrows - good;
			if (printed >= MAX_PRINTED_PER_FILE && (long) g->nrows - good > printed)
				printf("      (%ld more failures in this file not shown)\n",
					   (long) g->nrows - good - printed);
			printf("  %s %s: %ld/%zu\n", g->map_path, g->bias, good, g->nrows);
			check_batch(label, cur.map.map, bias, g);
		}
		free(mpath);
		tu_golden_free(g);
		free(gpath);
	}
	current_reset(&cur);
	tu_free_list(files);
	printf("%s golden: %d files, %ld/%ld answers\n", what, nfiles, sub.passed,
		   sub.passed + sub.failed);
}

int
main(void)
{
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *gdir = tu_path(data, "golden");
	const char *shared = tu_shared_dir();

	run_folder("vendored", gdir, data);
	if (shared == NULL)
		printf("shared corpus: ../shared/oracle not found (set SM_SHARED), skipped\n");
	else
	{
		char	   *oracle = tu_path(shared, "oracle");
		char	   *sg = tu_path(oracle, "golden");

		if (tu_is_dir(sg))
			run_folder("shared", sg, oracle);
		else
			printf("shared corpus: %s not found, skipped\n", sg);
		free(sg);
		free(oracle);
	}
	free(gdir);
	free(data);
	return tu_finish("golden", &total);
}
