/*
 * test_compose.c -- unit test of composing chains of maps (sm_compose.h).
 *
 * Every chain in test/data/compose (stage maps built with real tools, and
 * one made by hand for the rules tools rarely hit; make.sh there rebuilds
 * them) is composed, and the result must be @jridgewell/remapping's
 * composition of the same chain, expected.map, exactly: both are ingested
 * and written back as canonical JSON, which must be the same bytes (every
 * segment, source, name, content, ignore flag and the file).  Then the
 * error paths: no maps, a map with several sources none of which names
 * the next map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static TuCounts counts;

/*
 * Canonical JSON of a stored map, malloc'ed; NULL on error.  remapping
 * always writes an ignore list; a stored map keeps an empty one verbatim
 * (README, "What the JSON output keeps"), written last, while a composed
 * map has none: that member is left out here.
 */
static char *
canonical(SmMap *m, size_t *len, SmError *err)
{
	static const char empty[] = ",\"ignoreList\":[]}";
	char	   *out;

	if (!sm_to_json(m, 0, &out, len, err))
		return NULL;
	if (*len >= sizeof(empty) - 1 && strcmp(out + *len - (sizeof(empty) - 1), empty) == 0)
	{
		*len -= sizeof(empty) - 2;
		out[*len - 1] = '}';
		out[*len] = '\0';
	}
	return out;
}

/* Compose n built maps; NULL with *err set on failure. */
static TuMap *
compose(TuMap *stages, uint32_t n, TuMap *out, SmError *err)
{
	SmMap	   *maps[8];

	for (uint32_t k = 0; k < n; k++)
		maps[k] = stages[k].map;
	memset(out, 0, sizeof(*out));
	if (!sm_compose(maps, n, &sm_malloc_env, 0, &out->data, &out->len, err))
		return NULL;
	out->map = sm_open_buffer(&sm_malloc_env, out->data, out->len, err);
	return out->map ? out : NULL;
}

/* Print where two texts first differ. */
static void
show_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		i = 0;

	while (i < alen && i < blen && a[i] == b[i])
		i++;
	fprintf(stderr, "  first difference at byte %zu:\n  got      %.80s\n  expected %.80s\n", i,
			a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
}

/* Compose the chain listed in <dir>/chain.txt and compare with <dir>/expected.map. */
static void
check_chain(const char *data, const char *name)
{
	char	   *dir = tu_path(data, "compose");
	char	   *cdir = tu_path(dir, name);
	char	   *list_path = tu_path(cdir, "chain.txt");
	char	   *exp_path = tu_path(cdir, "expected.map");
	size_t		list_len;
	char	   *list = tu_read_file(list_path, &list_len);
	TuMap		stages[8],
				got,
				want;
	uint32_t	n = 0;
	SmError		err = {0};
	bool		ok = list != NULL;

	for (char *line = list ? strtok(list, "\n") : NULL; ok && line; line = strtok(NULL, "\n"))
	{
		char	   *p = tu_path(data, line);

		ok = tu_check(&counts, n < 8 && tu_map_build_file(p, &stages[n], &err),
					  "%s: stage %u (%s) builds: %s", name, n, line, err.msg);
		n += ok;
		free(p);
	}
	if (ok && tu_check(&counts, compose(stages, n, &got, &err) != NULL,
					   "%s: composes: %s", name, err.msg))
	{
		if (tu_check(&counts, tu_map_build_file(exp_path, &want, &err),
					 "%s: expected.map builds: %s", name, err.msg))
		{
			size_t		glen,
						wlen;
			char	   *g = canonical(got.map, &glen, &err);
			char	   *w = canonical(want.map, &wlen, &err);
			SmInfo		gi,
						wi;

			if (!tu_check(&counts, g && w && glen == wlen && memcmp(g, w, glen) == 0,
						  "%s: composed map is remapping's, byte for byte", name) && g && w)
				show_difference(g, glen, w, wlen);
			bool		infos = sm_info(got.map, &gi, &err) && sm_info(want.map, &wi, &err);

			tu_check(&counts, infos && gi.segments == wi.segments && gi.segments > 0,
					 "%s: %llu segments, remapping %llu", name,
					 (unsigned long long) gi.segments, (unsigned long long) wi.segments);
			free(g);
			free(w);
			tu_map_free(&want);
		}
		tu_map_free(&got);
	}
	for (uint32_t k = 0; k < n; k++)
		tu_map_free(&stages[k]);
	free(list);
	free(dir);
	free(cdir);
	free(list_path);
	free(exp_path);
}

static void
expect_error(const char *what, TuMap *stages, uint32_t n, const char *msg_part)
{
	TuMap		got;
	SmError		err = {0};

	if (!tu_check(&counts, compose(stages, n, &got, &err) == NULL, "%s: rejected", what))
	{
		tu_map_free(&got);
		return;
	}
	tu_check(&counts, err.code == SM_E_ARGUMENT && strstr(err.msg, msg_part) != NULL,
			 "%s: SM_E_ARGUMENT with \"%s\", got %d \"%s\"", what, msg_part, err.code, err.msg);
}

static void
check_errors(void)
{
	static const char *jsons[] = {
		"{\"version\":3,\"sources\":[\"a.js\",\"b.js\"],\"names\":[],\"mappings\":\"AAAA,CCAA\"}",
		"{\"version\":3,\"file\":\"c.js\",\"sources\":[\"x.ts\"],\"names\":[],\"mappings\":\"AAAA\"}",
		"{\"version\":3,\"sources\":[\"x.ts\"],\"names\":[],\"mappings\":\"AAAA\"}",
	};
	TuMap		m[3];
	SmError		err = {0};

	for (int i = 0; i < 3; i++)
		if (!tu_check(&counts, tu_map_build(jsons[i], strlen(jsons[i]), &m[i], &err),
					  "error fixture %d builds: %s", i, err.msg))
			return;
	expect_error("no maps", m, 0, "no maps");
	expect_error("several sources, next file differs", m, 2, "none is named as map 2's \"file\" \"c.js\"");
	{
		TuMap		pair[2] = {m[0], m[2]};

		expect_error("several sources, next has no file", pair, 2, "(it has none)");
	}
	for (int i = 0; i < 3; i++)
		tu_map_free(&m[i]);
}

/* Segments of a map in generated order, with the index of each line's first one. */
typedef struct Segs
{
	SmMapping  *v;
	size_t		n;
	size_t	   *line_start;		/* nlines + 1 entries */
	uint32_t	nlines;
} Segs;

static bool
load_segs(SmMap *m, Segs *s, SmError *err)
{
	SmInfo		info;
	SmIter	   *it;
	SmMapping	x;
	int			rc;
	size_t		cap = 1024;

	memset(s, 0, sizeof(*s));
	if (!sm_info(m, &info, err) || (it = sm_iter_begin(m, err)) == NULL)
		return false;
	s->v = malloc(cap * sizeof(SmMapping));
	s->nlines = info.generated_lines;
	s->line_start = calloc((size_t) s->nlines + 1, sizeof(size_t));
	while ((rc = sm_iter_next(it, &x, err)) == 1)
	{
		if (s->n == cap)
			s->v = realloc(s->v, (cap *= 2) * sizeof(SmMapping));
		s->v[s->n++] = x;
		s->line_start[x.gen_line + 1] = s->n;
	}
	sm_iter_end(it);
	for (uint32_t l = 1; l <= s->nlines; l++)	/* lines without segments */
		if (s->line_start[l] < s->line_start[l - 1])
			s->line_start[l] = s->line_start[l - 1];
	return rc == 0;
}

/* The first of the last segments with column <= col on line (binary search); NULL if none. */
static const SmMapping *
glb(const Segs *s, uint32_t line, uint32_t col)
{
	size_t		lo,
				hi;

	if (line >= s->nlines)
		return NULL;
	lo = s->line_start[line];
	hi = s->line_start[line + 1];
	while (lo < hi)				/* first segment with column > col */
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (s->v[mid].gen_col <= col)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->line_start[line])
		return NULL;
	while (lo - 1 > s->line_start[line] && s->v[lo - 2].gen_col == s->v[lo - 1].gen_col)
		lo--;
	return &s->v[lo - 1];
}

static bool
same_name(SmMap *a, uint32_t ia, SmMap *b, uint32_t ib)
{
	SmStr		x = {0},
				y = {0};
	SmError		err = {0};
	bool		hx = ia != SM_NONE && sm_name(a, ia, &x, &err) && x.len > 0;
	bool		hy = ib != SM_NONE && sm_name(b, ib, &y, &err) && y.len > 0;

	return hx == hy && (!hx || (x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0));
}

/* Compose a single-source map with itself and check every output segment. */
static void
check_self_chain(const char *path, const char *name)
{
	TuMap		m,
				got;
	TuMap		pair[2];
	Segs		in,
				out;
	SmError		err = {0};
	bool		ok;
	char	   *src,
			   *res_src;
	size_t		bad = 0;

	if (!tu_check(&counts, tu_map_build_file(path, &m, &err), "%s builds: %s", name, err.msg))
		return;
	pair[0] = pair[1] = m;
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	if (tu_check(&counts, compose(pair, 2, &got, &err) != NULL, "%s with itself: %s", name, err.msg))
	{
		ok = load_segs(m.map, &in, &err) && load_segs(got.map, &out, &err);
		tu_check(&counts, ok && out.n <= in.n, "%s: %zu segments out of %zu", name, out.n, in.n);
		src = tu_resolved_source(m.map, 0, &ok, &err);
		res_src = out.n > 0 ? tu_resolved_source(got.map, 0, &ok, &err) : NULL;
		for (size_t k = 0; ok && k < out.n && bad < 5; k++)
		{
			const SmMapping *r = &out.v[k];
			const SmMapping *o = glb(&in, r->gen_line, r->gen_col);
			bool		explained = false;

			/* the outer segments at r's position: o and the equal-column ones after it */
			for (; !explained && o && o < in.v + in.n && o->gen_line == r->gen_line &&
				 o->gen_col == r->gen_col; o++)
			{
				const SmMapping *t = o->source == SM_NONE ? NULL : glb(&in, o->orig_line, o->orig_col);

				if (o->source != SM_NONE && t == NULL)
					continue;	/* dropped */
				if (o->source == SM_NONE || t->source == SM_NONE || src == NULL || src[0] == '\0')
					explained = r->source == SM_NONE;
				else
					explained = r->source == 0 && r->orig_line == t->orig_line &&
						r->orig_col == t->orig_col &&
						same_name(m.map, t->name != SM_NONE ? t->name : o->name, got.map, r->name);
			}
			if (!explained)
				bad++;
		}
		tu_check(&counts, ok && bad == 0 && (out.n == 0 || (res_src && strcmp(src, res_src) == 0)),
				 "%s with itself: every output segment is an input segment traced twice (%zu not)",
				 name, bad);
		free(src);
		free(res_src);
		free(in.v);
		free(in.line_start);
		free(out.v);
		free(out.line_start);
		tu_map_free(&got);
	}
	tu_map_free(&m);
}

/* The corpus maps with one source, from ../shared/oracle/corpus/MANIFEST.tsv. */
static void
check_shared(void)
{
	const char *shared = tu_shared_dir();
	char	   *corpus,
			   *manifest,
			   *text;
	size_t		len;
	int			done = 0;

	if (shared == NULL)
	{
		printf("compose: no ../shared, the self-composition of big corpus maps is skipped\n");
		return;
	}
	corpus = tu_path(shared, "oracle/corpus");
	manifest = tu_path(corpus, "MANIFEST.tsv");
	text = tu_read_file(manifest, &len);
	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
	{
		char	   *f[12];
		int			nf = 0;
		char	   *p;

		for (char *c = line; nf < 12; c = strchr(c, '\t') + 1)
		{
			f[nf++] = c;
			if (strchr(c, '\t') == NULL)
				break;
		}
		if (nf < 11 || strncmp(line, "path\t", 5) == 0 || strncmp(f[10], "1\t", 2) != 0)
			continue;
		*strchr(line, '\t') = '\0';
		p = tu_path(corpus, line);
		check_self_chain(p, line);
		free(p);
		done++;
	}
	tu_check(&counts, done > 0, "the corpus has single-source maps to compose");
	free(text);
	free(manifest);
	free(corpus);
}

int
main(void)
{
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *dir = tu_path(data, "compose");
	static const char *chains[] = {"toastr", "jquery", "ts3", "rollup", "edge"};

	for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		check_chain(data, chains[i]);
	check_errors();
	check_shared();
	free(dir);
	free(data);
	return tu_finish("compose", &counts);
}
