/*
 * sm_reverse.h -- reverse lookup: every generated position that a given
 * original position (source, line, optional column) was mapped from, to
 * answer "where did this line of my code end up".
 *
 * Semantics (mozilla/source-map's and @jridgewell/trace-mapping's
 * allGeneratedPositionsFor, both 0-based here):
 * - With a column: the segments of that source on that original line
 *   whose original column equals it; if there are none, those with the
 *   smallest original column greater than it on the same line (least
 *   upper bound).  Never another line: both libraries stop at the line.
 * - Without a column: every segment of that source on that original
 *   line; if the line has none, every segment on the next original line
 *   of that source that has any.  This is mozilla's behaviour (it
 *   searches for column 0 with LEAST_UPPER_BOUND across lines and then
 *   takes the whole line it lands on); trace-mapping has no column-less
 *   form (its column is required).  The original line of each result is
 *   returned, so a caller sees when the next line was taken.
 * - Segments without a source (1-field) never match.  Duplicates (two
 *   segments at the same generated position) are all returned, as both
 *   libraries do.  Range mappings are not expanded.
 * - Results are sorted by generated position (line, column), then by
 *   original line and column.
 *
 * sm_generated_positions() scans the map's segments once, which is right
 * for one question (the SQL function answers one per call).
 */
#ifndef SM_REVERSE_H
#define SM_REVERSE_H

#include "format/sm_map.h"

typedef struct SmGenPos
{
	uint32_t	gen_line;
	uint32_t	gen_col;
	uint32_t	orig_line;
	uint32_t	orig_col;
} SmGenPos;

/*
 * Scan the map for the positions of (source, line[, col]).  *out is a
 * block from the map's env (NULL when *n is 0).  A source index out of
 * range is SM_E_ARGUMENT.
 */
bool		sm_generated_positions(SmMap *m, uint32_t source, uint32_t line, bool has_col,
								   uint32_t col, SmGenPos **out, size_t *n, SmError *err);

#endif							/* SM_REVERSE_H */
