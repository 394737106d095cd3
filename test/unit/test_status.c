/*
 * test_status.c -- unit test of the lookup status (format/sm_status.h).
 *
 * sourcemap_explain and sourcemap_lookup_frame tell a user why a frame
 * did not resolve; a wrong reason sends them looking in the wrong place.
 * The map below is written by hand so that every status can be reached,
 * each with every bias where it applies:
 *
 *   line 0: a segment at column 2 (sources[0] 0:0), a 1-field segment at
 *           column 5, a segment at column 9 (sources[0] 1:4, names[0])
 *   line 1: no segments
 *   line 2: a segment at column 0 (sources[0] 2:0)
 *   line 3: no segments (the mappings end with ";": 4 generated lines)
 *
 * The expected statuses follow from the bias definitions in sm_status.h.
 * Then, over a grid of positions and all four biases: the status is ok or
 * unmapped_segment exactly when sm_lookup finds a segment, and then the
 * segment is the same.
 */
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static TuCounts counts;

static const char MAP[] =
	"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"f\"],"
	"\"mappings\":\"EAAA,G,IACIA;;AACJ;\"}";

/* Check the status of one lookup, and the selected segment's column when ok/unmapped. */
static void
expect(TuMap *m, uint32_t line, uint32_t col, SmBias bias, SmStatus want, long want_col)
{
	SmMapping	mp;
	SmStatus	st;
	SmError		err = {0};

	if (!tu_check(&counts, sm_lookup_status(m->map, line, col, bias, &mp, &st, &err),
				  "%u:%u bias %d: %s", line, col, (int) bias, err.msg))
		return;
	tu_check(&counts, st == want, "%u:%u bias %d: status %s, expected %s", line, col, (int) bias,
			 sm_status_name(st), sm_status_name(want));
	if (st == want && want_col >= 0)
		tu_check(&counts, mp.gen_col == (uint32_t) want_col,
				 "%u:%u bias %d: segment at column %u, expected %ld", line, col, (int) bias,
				 mp.gen_col, want_col);
}

/* Check the sentence of one explanation. */
static void
expect_detail(TuMap *m, uint32_t line, uint32_t col, SmBias bias, const char *want)
{
	SmMapping	mp;
	SmStatus	st;
	SmError		err = {0};
	char		detail[SM_STATUS_DETAIL_MAX];

	if (!tu_check(&counts, sm_lookup_explain(m->map, line, col, bias, &mp, &st, detail, &err),
				  "explain %u:%u: %s", line, col, err.msg))
		return;
	tu_check(&counts, strcmp(detail, want) == 0, "explain %u:%u bias %d:\n  got      %s\n  expected %s",
			 line, col, (int) bias, detail, want);
}

/* Statuses over the hand-made map: position, bias, status, selected segment's column (-1: none). */
static const struct
{
	uint32_t	line;
	uint32_t	col;
	SmBias		bias;
	SmStatus	status;
	long		seg_col;
}			cases[] = {
	/* glb: the last segment at or before the column, same line */
	{0, 0, SM_BIAS_GLB, SM_STATUS_BEFORE_FIRST_SEGMENT, -1},
	{0, 1, SM_BIAS_GLB, SM_STATUS_BEFORE_FIRST_SEGMENT, -1},
	{0, 2, SM_BIAS_GLB, SM_STATUS_OK, 2},
	{0, 4, SM_BIAS_GLB, SM_STATUS_OK, 2},
	{0, 5, SM_BIAS_GLB, SM_STATUS_UNMAPPED_SEGMENT, 5},
	{0, 8, SM_BIAS_GLB, SM_STATUS_UNMAPPED_SEGMENT, 5},
	{0, 9, SM_BIAS_GLB, SM_STATUS_OK, 9},
	{0, 1000, SM_BIAS_GLB, SM_STATUS_OK, 9},
	{1, 0, SM_BIAS_GLB, SM_STATUS_NO_SEGMENT_ON_LINE, -1},
	{2, 7, SM_BIAS_GLB, SM_STATUS_OK, 0},
	{3, 0, SM_BIAS_GLB, SM_STATUS_NO_SEGMENT_ON_LINE, -1},
	{4, 0, SM_BIAS_GLB, SM_STATUS_LINE_PAST_END, -1},
	{2000000000, 0, SM_BIAS_GLB, SM_STATUS_LINE_PAST_END, -1},
	/* lub: the first segment at or after the column, same line */
	{0, 0, SM_BIAS_LUB, SM_STATUS_OK, 2},
	{0, 3, SM_BIAS_LUB, SM_STATUS_UNMAPPED_SEGMENT, 5},
	{0, 6, SM_BIAS_LUB, SM_STATUS_OK, 9},
	{0, 10, SM_BIAS_LUB, SM_STATUS_AFTER_LAST_SEGMENT, -1},
	{1, 0, SM_BIAS_LUB, SM_STATUS_NO_SEGMENT_ON_LINE, -1},
	{4, 0, SM_BIAS_LUB, SM_STATUS_LINE_PAST_END, -1},
	/* exact: a segment starting at the column */
	{0, 0, SM_BIAS_EXACT, SM_STATUS_BEFORE_FIRST_SEGMENT, -1},
	{0, 2, SM_BIAS_EXACT, SM_STATUS_OK, 2},
	{0, 3, SM_BIAS_EXACT, SM_STATUS_NO_SEGMENT_AT_COLUMN, -1},
	{0, 5, SM_BIAS_EXACT, SM_STATUS_UNMAPPED_SEGMENT, 5},
	{0, 10, SM_BIAS_EXACT, SM_STATUS_NO_SEGMENT_AT_COLUMN, -1},
	{1, 0, SM_BIAS_EXACT, SM_STATUS_NO_SEGMENT_ON_LINE, -1},
	{4, 0, SM_BIAS_EXACT, SM_STATUS_LINE_PAST_END, -1},
	/* glb_cross_line: fails only before the map's first segment */
	{0, 1, SM_BIAS_GLB_CROSS_LINE, SM_STATUS_BEFORE_FIRST_SEGMENT, -1},
	{0, 6, SM_BIAS_GLB_CROSS_LINE, SM_STATUS_UNMAPPED_SEGMENT, 5},
	{1, 0, SM_BIAS_GLB_CROSS_LINE, SM_STATUS_OK, 9},
	{4, 0, SM_BIAS_GLB_CROSS_LINE, SM_STATUS_OK, 0},
};

static void
test_statuses(TuMap *m)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(m, cases[i].line, cases[i].col, cases[i].bias, cases[i].status, cases[i].seg_col);
}

static void
test_details(TuMap *m)
{
	expect_detail(m, 0, 3, SM_BIAS_GLB,
				  "glb picks the segment at line 0, column 2, which maps to sources[0] line 0, column 0");
	expect_detail(m, 0, 9, SM_BIAS_GLB,
				  "glb picks the segment at line 0, column 9, which maps to sources[0] line 1, column 4, names[0]");
	expect_detail(m, 0, 7, SM_BIAS_GLB,
				  "glb picks the segment at line 0, column 5, which maps to no source (a 1-field segment)");
	expect_detail(m, 0, 1, SM_BIAS_GLB, "column 1 is before the first segment of line 0, at column 2");
	expect_detail(m, 3, 0, SM_BIAS_GLB,
				  "line 3 has no segments; the nearest segment before it is at line 2, column 0");
	expect_detail(m, 7, 0, SM_BIAS_GLB, "line 7 is past the end: the map has 4 generated lines (0 to 3)");
	expect_detail(m, 0, 10, SM_BIAS_LUB,
				  "column 10 is after the last segment of line 0, at column 9 (lub looks on the same line only)");
	expect_detail(m, 0, 3, SM_BIAS_EXACT,
				  "no segment of line 0 starts at column 3; the nearest start at columns 2 and 5");
	expect_detail(m, 0, 10, SM_BIAS_EXACT,
				  "no segment of line 0 starts at column 10; the nearest starts at column 9");
	expect_detail(m, 0, 0, SM_BIAS_GLB_CROSS_LINE,
				  "column 0 is before the first segment of line 0, at column 2");
	expect_detail(m, 1, 0, SM_BIAS_GLB_CROSS_LINE,
				  "glb_cross_line picks the segment at line 0, column 9, which maps to sources[0] line 1, column 4, names[0]");
	expect_detail(m, 0, 3, SM_BIAS_LUB,
				  "lub picks the segment at line 0, column 5, which maps to no source (a 1-field segment)");
}

/* A map whose first segment is on line 1, and one with no segments at all. */
static void
test_other_maps(void)
{
	static const char late[] = "{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\";;CAAA\"}";
	static const char empty[] = "{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\"}";
	TuMap		m;
	SmError		err = {0};
	char		detail[SM_STATUS_DETAIL_MAX];
	SmMapping	mp;
	SmStatus	st;

	if (tu_check(&counts, tu_map_build(late, strlen(late), &m, &err), "late map: %s", err.msg))
	{
		expect(&m, 1, 5, SM_BIAS_GLB_CROSS_LINE, SM_STATUS_BEFORE_FIRST_SEGMENT, -1);
		expect(&m, 0, 0, SM_BIAS_GLB, SM_STATUS_NO_SEGMENT_ON_LINE, -1);
		expect_detail(&m, 1, 5, SM_BIAS_GLB_CROSS_LINE,
					  "line 1, column 5 is before the first segment of the map, at line 2, column 1");
		expect_detail(&m, 0, 0, SM_BIAS_GLB, "line 0 has no segments, nor has any line before it");
		tu_map_free(&m);
	}
	if (tu_check(&counts, tu_map_build(empty, strlen(empty), &m, &err), "empty map: %s", err.msg))
	{
		for (int b = SM_BIAS_GLB; b <= SM_BIAS_GLB_CROSS_LINE; b++)
			expect(&m, 0, 0, (SmBias) b, SM_STATUS_NO_MAPPINGS, -1);
		tu_check(&counts, sm_lookup_explain(m.map, 5, 5, SM_BIAS_GLB, &mp, &st, detail, &err) &&
				 strcmp(detail, "the map has no mapping segments") == 0, "empty: %s", detail);
		tu_map_free(&m);
	}
	sm_status_detail_no_lookup(SM_STATUS_NO_MAP, detail);
	tu_check(&counts, strstr(detail, "no map") != NULL, "no_map: %s", detail);
	sm_status_detail_no_lookup(SM_STATUS_NO_POSITION, detail);
	tu_check(&counts, strstr(detail, "NULL") != NULL, "no_position: %s", detail);
	tu_check(&counts, strcmp(sm_status_name(SM_STATUS_NO_POSITION), "no_position") == 0 &&
			 strcmp(sm_status_name(SM_STATUS_OK), "ok") == 0, "names");
}

/* The status agrees with sm_lookup everywhere on a grid, with every bias. */
static void
test_agrees_with_lookup(TuMap *m)
{
	long		disagree = 0;

	for (int b = SM_BIAS_GLB; b <= SM_BIAS_GLB_CROSS_LINE; b++)
		for (uint32_t line = 0; line < 6; line++)
			for (uint32_t col = 0; col < 12; col++)
			{
				SmMapping	a,
							s;
				SmStatus	st;
				SmError		err = {0};
				int			r = sm_lookup(m->map, line, col, (SmBias) b, &a, &err);
				bool		ok = sm_lookup_status(m->map, line, col, (SmBias) b, &s, &st, &err);
				bool		found = st == SM_STATUS_OK || st == SM_STATUS_UNMAPPED_SEGMENT;

				if (r < 0 || !ok || found != (r == 1) ||
					(found && memcmp(&a, &s, sizeof(a)) != 0) ||
					(found && (st == SM_STATUS_UNMAPPED_SEGMENT) != (a.source == SM_NONE)))
				{
					disagree++;
					printf("  disagree at %u:%u bias %d: lookup %d, status %s\n", line, col, b, r,
						   sm_status_name(st));
				}
			}
	tu_check(&counts, disagree == 0, "status and sm_lookup disagree at %ld positions", disagree);
}

int
main(void)
{
	TuMap		m;
	SmError		err = {0};

	if (tu_check(&counts, tu_map_build(MAP, strlen(MAP), &m, &err), "map: %s", err.msg))
	{
		test_statuses(&m);
		test_details(&m);
		test_agrees_with_lookup(&m);
		tu_map_free(&m);
	}
	test_other_maps();
	return tu_finish("status", &counts);
}
