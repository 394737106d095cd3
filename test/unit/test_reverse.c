/*
 * test_reverse.c -- unit test of reverse lookup (sm_reverse.h).
 *
 * sourcemap_generated_positions() promises allGeneratedPositionsFor
 * semantics: exact original column, else the next greater column on the
 * same line; without a column the whole line, else the next line that
 * has mappings.  Checked here on a hand-made map with every case spelled
 * out, on an index map, and on many random maps against a brute-force
 * answer computed here from the segment list, which the scan must agree
 * with.  Maps are
 * built with sm_build from JSON whose "mappings" this test encodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_vlq.h"
#include "symbolicate/sm_reverse.h"
#include "test_util.h"

static TuCounts counts;

/* A segment as written into the test maps; src -1 is a 1-field segment. */
typedef struct Seg
{
	uint32_t	gl;
	uint32_t	gc;
	int			src;
	uint32_t	ol;
	uint32_t	oc;
} Seg;

/* Append a VLQ of v to buf at *o. */
static void
put_vlq(char *buf, size_t *o, int64_t v)
{
	*o += sm_vlq_encode(v, buf + *o);
}

/* JSON of a map with nsrc sources and the segments (in generated order). */
static char *
map_json(const Seg *segs, size_t n, int nsrc)
{
	size_t		cap = 256 + n * 40 + (n ? segs[n - 1].gl : 0) + 16 * (size_t) nsrc;
	char	   *buf = malloc(cap);
	size_t		o = 0;
	size_t		i;
	uint32_t	line = 0;
	int64_t		prev_gc = 0,
				prev_src = 0,
				prev_ol = 0,
				prev_oc = 0;
	bool		first_on_line = true;
	int			k;

	o += (size_t) sprintf(buf + o, "{\"version\":3,\"sources\":[");
	for (k = 0; k < nsrc; k++)
		o += (size_t) sprintf(buf + o, "%s\"s%d.js\"", k ? "," : "", k);
	o += (size_t) sprintf(buf + o, "],\"names\":[],\"mappings\":\"");
	for (i = 0; i < n; i++)
	{
		const Seg  *s = &segs[i];

		while (line < s->gl)
		{
			buf[o++] = ';';
			line++;
			prev_gc = 0;
			first_on_line = true;
		}
		if (!first_on_line)
			buf[o++] = ',';
		first_on_line = false;
		put_vlq(buf, &o, (int64_t) s->gc - prev_gc);
		prev_gc = s->gc;
		if (s->src >= 0)
		{
			put_vlq(buf, &o, s->src - prev_src);
			put_vlq(buf, &o, (int64_t) s->ol - prev_ol);
			put_vlq(buf, &o, (int64_t) s->oc - prev_oc);
			prev_src = s->src;
			prev_ol = s->ol;
			prev_oc = s->oc;
		}
	}
	o += (size_t) sprintf(buf + o, "\"}");
	return buf;
}

/* Build and open a map from segments; false (check failed) on error. */
static bool
build(const Seg *segs, size_t n, int nsrc, TuMap *tm)
{
	char	   *json = map_json(segs, n, nsrc);
	SmError		err = {0};
	bool		ok = tu_map_build(json, strlen(json), tm, &err);

	tu_check(&counts, ok, "build %s: %s", tu_show(json, strlen(json), false), err.msg);
	free(json);
	return ok;
}

/* Order of expected answers: generated, then original position. */
static int
cmp_genpos(const void *a, const void *b)
{
	const SmGenPos *x = a,
			   *y = b;

	if (x->gen_line != y->gen_line)
		return x->gen_line < y->gen_line ? -1 : 1;
	if (x->gen_col != y->gen_col)
		return x->gen_col < y->gen_col ? -1 : 1;
	if (x->orig_line != y->orig_line)
		return x->orig_line < y->orig_line ? -1 : 1;
	if (x->orig_col != y->orig_col)
		return x->orig_col < y->orig_col ? -1 : 1;
	return 0;
}

/* The answer by brute force over the segment list (malloc'ed). */
static SmGenPos *
brute(const Seg *segs, size_t n, int src, uint32_t line, bool has_col, uint32_t col, size_t *nout)
{
	SmGenPos   *out = malloc((n + 1) * sizeof(SmGenPos));
	bool		any = false;
	uint32_t	best = 0;
	size_t		i;

	*nout = 0;
	for (i = 0; i < n; i++)
	{
		const Seg  *s = &segs[i];
		uint32_t	key;

		if (s->src != src)
			continue;
		if (has_col && (s->ol != line || s->oc < col))
			continue;
		if (!has_col && s->ol < line)
			continue;
		key = has_col ? s->oc : s->ol;
		if (!any || key < best)
			best = key;
		any = true;
	}
	for (i = 0; any && i < n; i++)
	{
		const Seg  *s = &segs[i];

		if (s->src != src)
			continue;
		if (has_col ? (s->ol == line && s->oc == best) : (s->ol == best))
		{
			out[*nout].gen_line = s->gl;
			out[*nout].gen_col = s->gc;
			out[*nout].orig_line = s->ol;
			out[*nout].orig_col = s->oc;
			(*nout)++;
		}
	}
	qsort(out, *nout, sizeof(SmGenPos), cmp_genpos);
	return out;
}

/* "(gl,gc<-ol,oc) ..." for messages */
static const char *
show_positions(const SmGenPos *p, size_t n)
{
	static char buf[4][400];
	static int	next;
	char	   *b = buf[next];
	size_t		o = 0;
	size_t		i;

	next = (next + 1) % 4;
	b[0] = 0;
	for (i = 0; i < n && o < 340; i++)
		o += (size_t) snprintf(b + o, 400 - o, "%s(%u,%u<-%u,%u)", i ? " " : "", p[i].gen_line,
							   p[i].gen_col, p[i].orig_line, p[i].orig_col);
	if (i < n)
		snprintf(b + o, 400 - o, " ...");
	return n ? b : "(none)";
}

/* Ask the scan; it must give want[0..nwant). */
static bool
expect(const char *what, SmMap *m, uint32_t src, uint32_t line, bool has_col, uint32_t col,
	   const SmGenPos *want, size_t nwant)
{
	SmGenPos   *got = NULL;
	size_t		n = 0;
	SmError		err = {0};
	bool		ok = true;

	if (!tu_check(&counts, sm_generated_positions(m, src, line, has_col, col, &got, &n, &err),
				  "%s: %s", what, err.msg))
		return false;
	if (!tu_check(&counts, n == nwant && (n == 0 || memcmp(got, want, n * sizeof(SmGenPos)) == 0),
				  "%s src %u line %u col %s%u: got %s, expected %s", what, src, line,
				  has_col ? "" : "none/", col, show_positions(got, n), show_positions(want, nwant)))
		ok = false;
	tu_check(&counts, (n == 0) == (got == NULL), "%s: NULL iff empty", what);
	sm_free(&sm_malloc_env, got);
	return ok;
}

#define P(gl, gc, ol, oc) {gl, gc, ol, oc}
#define EXPECT(what, src, line, has_col, col, ...) \
	do { \
		static const SmGenPos want_[] = {__VA_ARGS__}; \
		expect(what, tm.map, src, line, has_col, col, want_, \
					sizeof(want_) / sizeof(want_[0])); \
	} while (0)
#define EXPECT_NONE(what, src, line, has_col, col) \
	expect(what, tm.map, src, line, has_col, col, NULL, 0)

/* A hand-made map with every case of the semantics spelled out. */
static void
test_cases(void)
{
	static const Seg segs[] = {
		{0, 0, 0, 0, 0}, {0, 5, 0, 0, 4}, {0, 10, 0, 1, 0}, {0, 15, 1, 2, 0},
		{1, 0, 0, 0, 4}, {1, 3, 0, 0, 8}, {1, 7, 1, 2, 2},
		{2, 0, -1, 0, 0}, {2, 2, 0, 5, 1}, {2, 9, 0, 0, 0},
		{3, 4, 0, 0, 6}, {3, 4, 0, 0, 4},
	};
	TuMap		tm;
	SmError		err = {0};

	if (!build(segs, sizeof(segs) / sizeof(segs[0]), 2, &tm))
		return;

	/* with a column: exact, else the next greater column, on that line only */
	EXPECT("exact col 0", 0, 0, true, 0, P(0, 0, 0, 0), P(2, 9, 0, 0));
	EXPECT("exact col 4", 0, 0, true, 4, P(0, 5, 0, 4), P(1, 0, 0, 4), P(3, 4, 0, 4));
	EXPECT("col 1 takes col 4", 0, 0, true, 1, P(0, 5, 0, 4), P(1, 0, 0, 4), P(3, 4, 0, 4));
	EXPECT("col 5 takes col 6", 0, 0, true, 5, P(3, 4, 0, 6));
	EXPECT("col 7 takes col 8", 0, 0, true, 7, P(1, 3, 0, 8));
	EXPECT_NONE("col 9: nothing greater on the line", 0, 0, true, 9);
	EXPECT_NONE("col max", 0, 0, true, UINT32_MAX);
	EXPECT("line 1 col 0", 0, 1, true, 0, P(0, 10, 1, 0));
	EXPECT_NONE("line 1 col 1", 0, 1, true, 1);
	EXPECT_NONE("line 3 col 0: never the next line", 0, 3, true, 0);
	EXPECT("line 5 col 0", 0, 5, true, 0, P(2, 2, 5, 1));

	/* without a column: the whole line, or the next line with mappings */
	EXPECT("line 0", 0, 0, false, 0, P(0, 0, 0, 0), P(0, 5, 0, 4), P(1, 0, 0, 4), P(1, 3, 0, 8),
		   P(2, 9, 0, 0), P(3, 4, 0, 4), P(3, 4, 0, 6));
	EXPECT("line 1", 0, 1, false, 0, P(0, 10, 1, 0));
	EXPECT("line 2 takes line 5", 0, 2, false, 0, P(2, 2, 5, 1));
	EXPECT("line 3 takes line 5", 0, 3, false, 0, P(2, 2, 5, 1));
	EXPECT_NONE("line 6: no later line", 0, 6, false, 0);
	EXPECT_NONE("line max", 0, UINT32_MAX, false, 0);
	/* the column argument is ignored without has_col */
	EXPECT("line 1, col ignored", 0, 1, false, 77, P(0, 10, 1, 0));

	/* another source never leaks in */
	EXPECT("s1 line 2 col 0", 1, 2, true, 0, P(0, 15, 2, 0));
	EXPECT("s1 line 2 col 1", 1, 2, true, 1, P(1, 7, 2, 2));
	EXPECT("s1 line 0 takes line 2", 1, 0, false, 0, P(0, 15, 2, 0), P(1, 7, 2, 2));
	EXPECT_NONE("s1 line 3", 1, 3, false, 0);
	EXPECT_NONE("s1 line 0 col 0", 1, 0, true, 0);

	/* a source index out of range is an argument error */
	{
		SmGenPos   *got = (SmGenPos *) 1;
		size_t		n = 5;

		tu_check(&counts, !sm_generated_positions(tm.map, 2, 0, false, 0, &got, &n, &err) &&
				 err.code == SM_E_ARGUMENT && got == NULL && n == 0,
				 "scan: source 2 of 2: %s", err.msg);
		err.code = SM_OK;
		tu_check(&counts, !sm_generated_positions(tm.map, SM_NONE, 0, false, 0, &got, &n, &err) &&
				 err.code == SM_E_ARGUMENT && strstr(err.msg, "out of range") != NULL,
				 "scan: source SM_NONE: %s", err.msg);
	}
	tu_map_free(&tm);
}

/* A map with no mappings, or no mapped segments, answers nothing. */
static void
test_empty(void)
{
	static const Seg only_unmapped[] = {{0, 0, -1, 0, 0}, {1, 3, -1, 0, 0}};
	TuMap		tm;

	if (build(NULL, 0, 1, &tm))
	{
		EXPECT_NONE("empty map", 0, 0, false, 0);
		EXPECT_NONE("empty map col", 0, 0, true, 0);
		tu_map_free(&tm);
	}
	if (build(only_unmapped, 2, 1, &tm))
	{
		EXPECT_NONE("only 1-field segments", 0, 0, false, 0);
		tu_map_free(&tm);
	}
}

/* Sections of an index map come back at their offset positions. */
static void
test_index_map(void)
{
	static const char json[] =
		"{\"version\":3,\"sections\":["
		"{\"offset\":{\"line\":0,\"column\":0},\"map\":{\"version\":3,\"sources\":[\"a.js\"],"
		"\"names\":[],\"mappings\":\"AAAA,IAAI\"}},"
		"{\"offset\":{\"line\":10,\"column\":5},\"map\":{\"version\":3,\"sources\":[\"b.js\"],"
		"\"names\":[],\"mappings\":\"AAAA;EACA\"}}]}";
	TuMap		tm;
	SmError		err = {0};

	if (!tu_check(&counts, tu_map_build(json, strlen(json), &tm, &err), "index map: %s", err.msg))
		return;
	/* section 1 (a.js, source 0) at (0,0); section 2 (b.js, source 1) at (10,5) */
	EXPECT("index map a.js line 0 col 0", 0, 0, true, 0, P(0, 0, 0, 0));
	EXPECT("index map a.js line 0 col 3", 0, 0, true, 3, P(0, 4, 0, 4));
	EXPECT_NONE("index map a.js line 1", 0, 1, false, 0);
	EXPECT("index map b.js line 0 col 0", 1, 0, true, 0, P(10, 5, 0, 0));
	EXPECT("index map b.js line 1", 1, 1, false, 0, P(11, 2, 1, 0));
	tu_map_free(&tm);
}

/* Random maps: the scan and brute force agree on every question. */
static void
test_random(void)
{
	uint32_t	x = 88172645u;
	long		bad = 0;
	long		asked = 0;
	long		nonempty = 0;
	int			t;

#define NEXT() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
	for (t = 0; t < 150; t++)
	{
		Seg			segs[200];
		size_t		n = 0;
		uint32_t	lines = 1 + NEXT() % 15;
		uint32_t	l;
		TuMap		tm;
		SmError		err = {0};
		int			q;

		for (l = 0; l < lines && n < 190; l++)
		{
			uint32_t	k = NEXT() % 9;
			uint32_t	gc = NEXT() % 3;

			while (k-- > 0 && n < 190)
			{
				Seg		   *s = &segs[n++];

				s->gl = l;
				s->gc = gc;
				s->src = (int) (NEXT() % 4) - 1;
				s->ol = NEXT() % 12;
				s->oc = NEXT() % 8;
				if (s->src < 0)
					s->ol = s->oc = 0;
				gc += NEXT() % 4;	/* equal columns now and then */
			}
		}
		if (!build(segs, n, 3, &tm))
			continue;
		for (q = 0; q < 200; q++)
		{
			int			src = (int) (NEXT() % 3);
			uint32_t	line = NEXT() % 14;
			bool		has_col = NEXT() % 2;
			uint32_t	col = NEXT() % 10;
			size_t		nwant;
			SmGenPos   *want = brute(segs, n, src, line, has_col, col, &nwant);
			SmGenPos   *g1 = NULL;
			size_t		n1 = 0;
			bool		ok1;

			asked++;
			nonempty += nwant > 0;
			ok1 = sm_generated_positions(tm.map, (uint32_t) src, line, has_col, col, &g1, &n1, &err);
			if (!ok1 || n1 != nwant || (nwant && memcmp(g1, want, nwant * sizeof(SmGenPos)) != 0))
			{
				/* show the first few in detail */
				if (bad++ < 5)
					expect("random", tm.map, (uint32_t) src, line, has_col, col, want, nwant);
			}
			sm_free(&sm_malloc_env, g1);
			free(want);
		}
		tu_map_free(&tm);
	}
#undef NEXT
	tu_check(&counts, bad == 0, "random: %ld of %ld questions answered wrongly", bad, asked);
	tu_check(&counts, nonempty > asked / 4 && nonempty < asked, "random: %ld of %ld answers non-empty",
			 nonempty, asked);
	printf("random: %ld questions, %ld with answers\n", asked, nonempty);
}

static long interrupts;

/* count interrupt polls */
static void
count_interrupt(void *ctx)
{
	(void) ctx;
	interrupts++;
}

/* A map of 300,000 segments: the scan polls interrupts. */
static void
test_large(void)
{
	size_t		n = 300000;
	Seg		   *segs = malloc(n * sizeof(Seg));
	char	   *json;
	uint8_t    *data = NULL;
	size_t		len = 0;
	SmError		err = {0};
	SmEnv		env = sm_malloc_env;
	SmMap	   *m;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		segs[i].gl = (uint32_t) (i / 100);
		segs[i].gc = (uint32_t) (i % 100) * 3;
		segs[i].src = 0;
		segs[i].ol = (uint32_t) ((i * 7919) % 5000);
		segs[i].oc = (uint32_t) (i % 13);
	}
	json = map_json(segs, n, 1);
	if (!tu_check(&counts, sm_build(json, strlen(json), &sm_malloc_env, 0, &data, &len, &err),
				  "large build: %s", err.msg))
	{
		free(json);
		free(segs);
		return;
	}
	env.interrupt = count_interrupt;
	m = sm_open_buffer(&env, data, len, &err);
	if (tu_check(&counts, m != NULL, "large open: %s", err.msg))
	{
		size_t		nwant;
		SmGenPos   *want = brute(segs, n, 0, 1234, true, 5, &nwant);
		SmGenPos   *got = NULL;
		size_t		ngot = 0;

		interrupts = 0;
		tu_check(&counts, sm_generated_positions(m, 0, 1234, true, 5, &got, &ngot, &err) &&
				 ngot == nwant && nwant > 0 && memcmp(got, want, nwant * sizeof(SmGenPos)) == 0,
				 "large scan: %zu results, expected %zu", ngot, nwant);
		tu_check(&counts, interrupts >= 4, "large scan: %ld interrupt polls", interrupts);
		sm_free(&env, got);
		free(want);
		sm_close(m);
	}
	sm_free(&sm_malloc_env, data);
	free(json);
	free(segs);
}

int
main(void)
{
	test_cases();
	test_empty();
	test_index_map();
	test_random();
	test_large();
	return tu_finish("reverse", &counts);
}
