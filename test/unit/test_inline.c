/*
 * test_inline.c -- unit test of the original frames at a generated
 * position (functions/sm_inline.h), the core of sourcemap_lookup_frames.
 *
 * The map is written by hand; its `scopes` field encodes (sources
 * ["a.js"], names ["outer", "inner", "helper"]):
 *   original scopes of a.js: top level 0:0-10:0 holding the functions
 *     outer 1:0-4:1, inner 5:0-8:1 and helper 9:0-9:30 (stack frames);
 *   generated ranges on line 0 (end exclusive):
 *     R0 [0, 50)  outer, stack frame
 *       R1 [10, 20)  inner, inlined: call site a.js 2:4 (in outer)
 *         R2 [12, 15)  helper, inlined and hidden: call site a.js 6:2 (in inner)
 *     R3 [60, 70)  a stack frame without a definition (a generated helper)
 *     R4 [80, 85)  inner, inlined into top-level code: call site a.js 0:5
 * and its mappings on line 0: column 0 -> 1:0, 5 -> 1:10, 10 -> 5:2,
 * 12 -> 9:3, 15 -> 6:5, 20 -> 2:10, 60 -> 0:0, 80 -> 7:1.
 * The expected stacks below follow from sm_inline.h's algorithm by hand:
 * e.g. at column 13 the innermost range is R2, which has a call site: the
 * frame helper at the position's own mapping (column 12: 9:3), inlined and
 * hidden; then R1 at R2's call site 6:2 (inner, inlined); then R0, a stack
 * frame, at R1's call site 2:4 (outer), and the walk stops.
 */
#include <stdio.h>
#include <string.h>

#include "functions/sm_inline.h"
#include "test_util.h"

static TuCounts counts;

#define SCOPES "BAAA,BFBAA,CDB,BFBAC,CDB,BFBAC,CAe,CBA,EGAC,ECKC,IACE,EKCC,IAGC,FD,FF,Fe,EEK,FK,ECKD,IAAF,FF"

static const char MAP[] =
	"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"outer\",\"inner\",\"helper\"],"
	"\"mappings\":\"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC\",\"scopes\":\"" SCOPES "\"}";

#define NOPOS -1
#define NOFN -1					/* no function */

/* One expected frame: position (NOPOS line: none), function names index, flags. */
typedef struct Want
{
	long		line;
	long		col;
	long		function;
	bool		inlined;
	bool		hidden;
} Want;

static void
expect_stack(TuMap *m, const SmScopesField *f, uint32_t col, const Want *want, uint32_t nwant)
{
	SmOrigFrame *fr = NULL;
	uint32_t	n = 0;
	SmError		err = {0};

	if (!tu_check(&counts, sm_inline_frames(m->map, f, 0, col, &fr, &n, &err), "col %u: %s", col,
				  err.msg))
		return;
	tu_check(&counts, n == nwant, "col %u: %u frames, expected %u", col, n, nwant);
	for (uint32_t i = 0; i < n && i < nwant; i++)
	{
		const SmOrigFrame *g = &fr[i];
		const Want *w = &want[i];
		bool		pos_ok = w->line == NOPOS ? !g->has_position :
			(g->has_position && g->source == 0 && g->line == (uint32_t) w->line &&
			 g->col == (uint32_t) w->col);
		bool		fn_ok = w->function == NOFN ? !g->has_function :
			(g->has_function && g->function == (uint32_t) w->function);

		tu_check(&counts, g->depth == i, "col %u frame %u: depth %u", col, i, g->depth);
		tu_check(&counts, pos_ok, "col %u frame %u: position %u:%u (has %d), expected %ld:%ld",
				 col, i, g->line, g->col, g->has_position, w->line, w->col);
		tu_check(&counts, fn_ok, "col %u frame %u: function %u (has %d), expected %ld", col, i,
				 g->function, g->has_function, w->function);
		tu_check(&counts, g->inlined == w->inlined && g->hidden == w->hidden,
				 "col %u frame %u: inlined %d hidden %d, expected %d %d", col, i, g->inlined,
				 g->hidden, w->inlined, w->hidden);
	}
	sm_free(sm_map_env(m->map), fr);
}

#define EXPECT(col, ...) \
	do { \
		static const Want w_[] = {__VA_ARGS__}; \
		expect_stack(&m, &f, col, w_, sizeof(w_) / sizeof(w_[0])); \
	} while (0)

/* A decoding case: JSON text, expected success, `scopes` found, ranges. */
typedef struct DecodeCase
{
	const char *json;
	bool		ok;
	bool		found;
	uint32_t	nranges;
} DecodeCase;

/* Check one decoding's outcome against c; frees the field decoded. */
static void
check_decoded(const char *what, size_t i, const DecodeCase *c, bool ok, bool found,
			  SmScopesField *f, const SmError *err)
{
	tu_check(&counts, ok == c->ok && found == c->found, "%s case %zu: ok %d found %d (%s)", what,
			 i, ok, found, err->msg);
	if (!ok)
		tu_check(&counts, err->code == SM_E_SYNTAX, "%s case %zu: error class %d", what, i,
				 (int) err->code);
	if (ok && found)
	{
		tu_check(&counts, f->nranges == c->nranges, "%s case %zu: %u ranges", what, i,
				 f->nranges);
		sm_scopes_field_free(f);
	}
}

/*
 * sm_inline_decode: the `scopes` member of a whole document or of kept
 * members in braces, escaped or not; absent or not a string; malformed;
 * not JSON.
 */
static void
test_decode(TuMap *m)
{
	static const char escaped[] = "{\"x_other\":[1,{\"scopes\":\"no\"}],"
		"\"scopes\":\"BAAA\\u002cBFBAA,CDB,BFBAC,CDB,BFBAC,CAe,CBA,EGAC,ECKC,IACE,EKCC,IAGC,FD,FF,Fe,EEK,FK,ECKD,IAAF,FF\"}";
	static const DecodeCase cases[] = {
		{MAP, true, true, 5},
		{escaped, true, true, 5},
		{"{\"version\":3,\"mappings\":\"\"}", true, false, 0},
		{"{\"scopes\":5}", true, false, 0},
		{"{}", true, false, 0},
		{"{\"scopes\":\"EAAA\"}", false, true, 0},	/* a range never ended */
		{"[\"scopes\"]", false, false, 0},
		{"{\"scopes\":", false, false, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SmScopesField f;
		SmError		err = {0};
		bool		found = true;
		bool		ok = sm_inline_decode(m->map, cases[i].json, strlen(cases[i].json), &f, &found, &err);

		check_decoded("decode", i, &cases[i], ok, found, &f, &err);
	}
}

/*
 * sm_inline_decode_kept: the field as a stored value keeps it (among other
 * kept members, escaped), none kept, a value that keeps members but no
 * `scopes` string, and a malformed field (an error the caller may ignore).
 */
static void
test_decode_kept(void)
{
	static const DecodeCase cases[] = {
		{MAP, true, true, 5},
		{"{\"x_a\":{\"scopes\":\"no\"},\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"f\"],"
			"\"mappings\":\"\",\"scopes\":\"BAAA\\u002cCKA,EAA,FK\",\"x_b\":1}", true, true, 1},
		{"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"AAAA\"}", true, false, 0},
		{"{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\",\"scopes\":5,\"x\":[]}", true, false, 0},
		{"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"\",\"scopes\":\"EAAA\"}", false, true, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		TuMap		m;
		SmScopesField f;
		SmError		err = {0};
		bool		found = !cases[i].found;
		bool		ok;

		if (!tu_check(&counts, tu_map_build(cases[i].json, strlen(cases[i].json), &m, &err),
					  "kept case %zu: build: %s", i, err.msg))
			continue;
		ok = sm_inline_decode_kept(m.map, &f, &found, &err);
		check_decoded("kept", i, &cases[i], ok, found, &f, &err);
		tu_map_free(&m);
	}
}

int
main(void)
{
	TuMap		m;
	SmScopesField f;
	SmError		err = {0};

	if (!tu_check(&counts, tu_map_build(MAP, strlen(MAP), &m, &err), "map: %s", err.msg))
		return tu_finish("inline", &counts);
	if (tu_check(&counts, sm_scopes_field_decode(SCOPES, strlen(SCOPES), 3, 1, &sm_malloc_env, &f,
												 &err), "scopes: %s", err.msg))
	{
		tu_check(&counts, f.nscopes == 4 && f.nranges == 5, "decoded %u scopes, %u ranges",
				 f.nscopes, f.nranges);
		/* in outer only: one real frame */
		EXPECT(5, {1, 10, 0, false, false});
		/* inner inlined into outer */
		EXPECT(11, {5, 2, 1, true, false}, {2, 4, 0, false, false});
		/* helper (hidden) inlined into inner inlined into outer */
		EXPECT(13, {9, 3, 2, true, true}, {6, 2, 1, true, false}, {2, 4, 0, false, false});
		/* range ends are exclusive: column 15 is back in R1 */
		EXPECT(15, {6, 5, 1, true, false}, {2, 4, 0, false, false});
		/* a generated helper without a definition: one frame, no function */
		EXPECT(65, {0, 0, NOFN, false, false});
		/* in no range: one frame at the mapping, no function */
		EXPECT(55, {2, 10, NOFN, false, false});
		/* inlined into top-level code: the caller frame has no function */
		EXPECT(82, {7, 1, 1, true, false}, {0, 5, NOFN, false, false});
		sm_scopes_field_free(&f);
	}
	test_decode(&m);
	tu_map_free(&m);
	test_decode_kept();
	return tu_finish("inline", &counts);
}
