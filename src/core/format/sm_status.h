/*
 * sm_status.h -- why a lookup found what it found: the one place that
 * tells the reasons a generated position does not resolve apart (past the
 * last line, before the first segment, a 1-field segment, ...), so that
 * every SQL function that reports a status (sourcemap_explain,
 * sourcemap_lookup_frame) gives the same answer for the same position.
 *
 * Why: error trackers show users why a frame stayed minified; a NULL
 * lookup says nothing.  The status follows the bias, because the bias
 * decides which segment counts:
 *   glb             last segment on the line at or before the column
 *   lub             first segment on the line at or after the column
 *   exact           a segment starting at the column
 *   glb_cross_line  last segment at or before the position, any line
 * The statuses, in the order they are checked:
 *   no_mappings            the map has no segment at all
 *   line_past_end          line >= the number of generated lines (not
 *                          glb_cross_line, which then takes the map's
 *                          last segment)
 *   no_segment_on_line     the line has no segment (not glb_cross_line)
 *   before_first_segment   glb/exact: the column is before the line's first
 *                          segment; glb_cross_line: the position is before
 *                          the map's first segment
 *   after_last_segment     lub: the column is after the line's last segment
 *   no_segment_at_column   exact: the line has segments, none at the column
 *   unmapped_segment       the bias selects a 1-field segment (a generated
 *                          range that maps to no source)
 *   ok                     the bias selects a segment with a source
 * The glue adds no_map and no_position (a NULL map, line or column); their
 * names live here too so that the list is in one place.
 *
 * Cost: ok costs exactly one sm_lookup; the other statuses cost a few
 * more (they are the rare path).
 */
#ifndef SM_STATUS_H
#define SM_STATUS_H

#include "format/sm_map.h"

typedef enum SmStatus
{
	SM_STATUS_OK,
	SM_STATUS_NO_MAPPINGS,
	SM_STATUS_LINE_PAST_END,
	SM_STATUS_NO_SEGMENT_ON_LINE,
	SM_STATUS_BEFORE_FIRST_SEGMENT,
	SM_STATUS_AFTER_LAST_SEGMENT,
	SM_STATUS_NO_SEGMENT_AT_COLUMN,
	SM_STATUS_UNMAPPED_SEGMENT,
	SM_STATUS_NO_MAP,			/* set by the glue: no map to look in */
	SM_STATUS_NO_POSITION		/* set by the glue: no line or column */
} SmStatus;

/* Longest detail sentence sm_lookup_explain writes, NUL included. */
#define SM_STATUS_DETAIL_MAX 256

/* The status as the SQL functions print it ("ok", "line_past_end", ...). */
const char *sm_status_name(SmStatus st);

/*
 * sm_lookup with the reason: *st is set, and *out holds the selected
 * segment when *st is SM_STATUS_OK or SM_STATUS_UNMAPPED_SEGMENT.  False
 * (with *err) only on error.
 */
bool		sm_lookup_status(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out,
							 SmStatus *st, SmError *err);

/*
 * sm_lookup_status plus a sentence with the numbers behind the status (the
 * selected segment, or the nearest segments and the line count), written
 * NUL-terminated into detail[SM_STATUS_DETAIL_MAX].
 */
bool		sm_lookup_explain(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out,
							  SmStatus *st, char *detail, SmError *err);

/* The sentence for the statuses the glue sets (no_map, no_position). */
void		sm_status_detail_no_lookup(SmStatus st, char *detail);

#endif							/* SM_STATUS_H */
