/*
 * sm_status.c -- the reason behind a lookup's answer (sm_status.h): one
 * sm_lookup, and when it selects nothing, a few more lookups on the same
 * line to tell the reasons apart and to find the nearest segments.
 */
#include <stdio.h>

#include "format/sm_status.h"

static const char *const status_names[] = {
	[SM_STATUS_OK] = "ok",
	[SM_STATUS_NO_MAPPINGS] = "no_mappings",
	[SM_STATUS_LINE_PAST_END] = "line_past_end",
	[SM_STATUS_NO_SEGMENT_ON_LINE] = "no_segment_on_line",
	[SM_STATUS_BEFORE_FIRST_SEGMENT] = "before_first_segment",
	[SM_STATUS_AFTER_LAST_SEGMENT] = "after_last_segment",
	[SM_STATUS_NO_SEGMENT_AT_COLUMN] = "no_segment_at_column",
	[SM_STATUS_UNMAPPED_SEGMENT] = "unmapped_segment",
	[SM_STATUS_NO_MAP] = "no_map",
	[SM_STATUS_NO_POSITION] = "no_position",
};

/* The biases as SQL names them, for the sentences. */
static const char *const bias_names[] = {
	[SM_BIAS_GLB] = "glb",
	[SM_BIAS_LUB] = "lub",
	[SM_BIAS_EXACT] = "exact",
	[SM_BIAS_GLB_CROSS_LINE] = "glb_cross_line",
};

const char *
sm_status_name(SmStatus st)
{
	return status_names[st];
}

/*
 * What a failed lookup met: the status and the segments that explain it
 * (near[0] before the position, near[1] after it; has_near[i] says which
 * are there), and the map's line count.
 */
typedef struct Why
{
	SmStatus	st;
	SmMapping	near[2];
	bool		has_near[2];
	uint32_t	nlines;
} Why;

/* The map's first segment (the map has one). */
static bool
first_segment(SmMap *m, SmMapping *out, SmError *err)
{
	SmIter	   *it = sm_iter_begin(m, err);
	int			r;

	if (it == NULL)
		return false;
	r = sm_iter_next(it, out, err);
	sm_iter_end(it);
	return r == 1;
}

/* Classify a position where sm_lookup with bias selected no segment. */
static bool
classify(SmMap *m, uint32_t line, uint32_t col, SmBias bias, Why *w, SmError *err)
{
	SmInfo		info;
	int			r;

	w->has_near[0] = w->has_near[1] = false;
	if (!sm_info(m, &info, err))
		return false;
	w->nlines = info.generated_lines;
	if (info.segments == 0)
	{
		w->st = SM_STATUS_NO_MAPPINGS;
		return true;
	}
	if (bias == SM_BIAS_GLB_CROSS_LINE)
	{
		/* it fails only before the map's first segment */
		w->st = SM_STATUS_BEFORE_FIRST_SEGMENT;
		w->has_near[1] = true;
		return first_segment(m, &w->near[1], err);
	}
	if (line >= info.generated_lines)
	{
		w->st = SM_STATUS_LINE_PAST_END;
		return true;
	}
	/* the line's last segment */
	r = sm_lookup(m, line, UINT32_MAX, SM_BIAS_GLB, &w->near[0], err);
	if (r < 0)
		return false;
	if (r == 0)
	{
		w->st = SM_STATUS_NO_SEGMENT_ON_LINE;
		r = sm_lookup(m, line, 0, SM_BIAS_GLB_CROSS_LINE, &w->near[0], err);
		w->has_near[0] = r == 1;
		return r >= 0;
	}
	if (bias == SM_BIAS_LUB)
	{
		w->st = SM_STATUS_AFTER_LAST_SEGMENT;
		w->has_near[0] = true;
		return true;
	}
	/* the line's first segment */
	r = sm_lookup(m, line, 0, SM_BIAS_LUB, &w->near[1], err);
	if (r < 0)
		return false;
	if (col < w->near[1].gen_col)
	{
		w->st = SM_STATUS_BEFORE_FIRST_SEGMENT;
		w->has_near[1] = true;
		return true;
	}
	/* exact, on a line with segments, at or after its first one */
	w->st = SM_STATUS_NO_SEGMENT_AT_COLUMN;
	r = sm_lookup(m, line, col, SM_BIAS_GLB, &w->near[0], err);
	if (r < 0)
		return false;
	w->has_near[0] = r == 1;
	r = sm_lookup(m, line, col, SM_BIAS_LUB, &w->near[1], err);
	w->has_near[1] = r == 1;
	return r >= 0;
}

/* The common part: one lookup, classified when it selects nothing. */
static bool
status_why(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out, Why *w,
		   SmError *err)
{
	int			r = sm_lookup(m, line, col, bias, out, err);

	if (r < 0)
		return false;
	if (r == 1)
	{
		w->st = out->source == SM_NONE ? SM_STATUS_UNMAPPED_SEGMENT : SM_STATUS_OK;
		return true;
	}
	return classify(m, line, col, bias, w, err);
}

bool
sm_lookup_status(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out,
				 SmStatus *st, SmError *err)
{
	Why			w;

	if (!status_why(m, line, col, bias, out, &w, err))
		return false;
	*st = w.st;
	return true;
}

/* The sentence for a status found by a lookup. */
static void
write_detail(const Why *w, uint32_t line, uint32_t col, SmBias bias, const SmMapping *seg,
			 char *d)
{
	const size_t n = SM_STATUS_DETAIL_MAX;
	const SmMapping *a = &w->near[0];
	const SmMapping *b = &w->near[1];

	switch (w->st)
	{
		case SM_STATUS_OK:
			if (seg->name != SM_NONE)
				snprintf(d, n, "%s picks the segment at line %u, column %u, which maps to "
						 "sources[%u] line %u, column %u, names[%u]",
						 bias_names[bias], seg->gen_line, seg->gen_col, seg->source,
						 seg->orig_line, seg->orig_col, seg->name);
			else
				snprintf(d, n, "%s picks the segment at line %u, column %u, which maps to "
						 "sources[%u] line %u, column %u",
						 bias_names[bias], seg->gen_line, seg->gen_col, seg->source,
						 seg->orig_line, seg->orig_col);
			break;
		case SM_STATUS_UNMAPPED_SEGMENT:
			snprintf(d, n, "%s picks the segment at line %u, column %u, which maps to no source "
					 "(a 1-field segment)", bias_names[bias], seg->gen_line, seg->gen_col);
			break;
		case SM_STATUS_NO_MAPPINGS:
			snprintf(d, n, "the map has no mapping segments");
			break;
		case SM_STATUS_LINE_PAST_END:
			snprintf(d, n, "line %u is past the end: the map has %u generated lines (0 to %u)",
					 line, w->nlines, w->nlines - 1);
			break;
		case SM_STATUS_NO_SEGMENT_ON_LINE:
			if (w->has_near[0])
				snprintf(d, n, "line %u has no segments; the nearest segment before it is at "
						 "line %u, column %u", line, a->gen_line, a->gen_col);
			else
				snprintf(d, n, "line %u has no segments, nor has any line before it", line);
			break;
		case SM_STATUS_BEFORE_FIRST_SEGMENT:
			if (b->gen_line == line)
				snprintf(d, n, "column %u is before the first segment of line %u, at column %u",
						 col, line, b->gen_col);
			else
				snprintf(d, n, "line %u, column %u is before the first segment of the map, at "
						 "line %u, column %u", line, col, b->gen_line, b->gen_col);
			break;
		case SM_STATUS_AFTER_LAST_SEGMENT:
			snprintf(d, n, "column %u is after the last segment of line %u, at column %u "
					 "(lub looks on the same line only)", col, line, a->gen_col);
			break;
		case SM_STATUS_NO_SEGMENT_AT_COLUMN:
			if (w->has_near[1])
				snprintf(d, n, "no segment of line %u starts at column %u; the nearest start at "
						 "columns %u and %u", line, col, a->gen_col, b->gen_col);
			else
				snprintf(d, n, "no segment of line %u starts at column %u; the nearest starts at "
						 "column %u", line, col, a->gen_col);
			break;
		case SM_STATUS_NO_MAP:
		case SM_STATUS_NO_POSITION:
			sm_status_detail_no_lookup(w->st, d);
			break;
	}
}

bool
sm_lookup_explain(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out,
				  SmStatus *st, char *detail, SmError *err)
{
	Why			w;

	if (!status_why(m, line, col, bias, out, &w, err))
		return false;
	*st = w.st;
	write_detail(&w, line, col, bias, out, detail);
	return true;
}

void
sm_status_detail_no_lookup(SmStatus st, char *detail)
{
	snprintf(detail, SM_STATUS_DETAIL_MAX, "%s",
			 st == SM_STATUS_NO_MAP ? "there is no map to look in (the map is NULL)"
			 : "the frame has no generated position (the line or column is NULL)");
}
