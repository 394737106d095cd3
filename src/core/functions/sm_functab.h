/*
 * sm_functab.h -- the function table: generated position -> name of the
 * innermost enclosing function, as a compact, deterministic byte string
 * meant to be stored as one section of a sourcemap value.
 *
 * Why: resolving function names needs the generated code (or the `scopes`
 * field) and many lookups; it is done once at input and its answer kept
 * here, so that a lookup costs one bisection over fixed-width entries.
 *
 * The nested ranges of an SmFuncList are flattened into breakpoints: the
 * positions where the innermost function changes, each with the function
 * that starts being innermost there (a name, anonymous, or none).  A
 * position's innermost function is the one of the last breakpoint at or
 * before it.
 *
 * The byte layout (header, breakpoints, name entries, string bytes) is
 * sm_format.h's, with the rest of the stored form.
 *
 * Canonical form (sm_functab_check enforces it, the encoder produces it):
 * breakpoints strictly increasing; no two consecutive ones with the same
 * ref; the first ref is not NONE and the last one is NONE; names numbered
 * in order of first reference, each referenced, non-empty, valid text,
 * deduplicated by the encoder, stored back to back in index order filling
 * the string bytes exactly.
 *
 * Ranges that are not properly nested are repaired, not rejected: ranges
 * are taken by start (longer first, then in list order) and a range that
 * starts inside an open range but ends after it is cut at that range's
 * end.  Empty ranges are ignored.  Of two ranges with the same extent the
 * one added later is the inner one.
 */
#ifndef SM_FUNCTAB_H
#define SM_FUNCTAB_H

#include "base/sm_buf.h"
#include "format/sm_map.h"

struct SmFuncList;				/* functions/sm_funclist.h */


/* Append the table of list's ranges to out (list is not modified). */
bool		sm_functab_encode(const struct SmFuncList *list, SmBuf *out, SmError *err);

/* Check untrusted bytes completely (SM_E_BINARY when they are not a canonical table). */
bool		sm_functab_check(const uint8_t *data, size_t len, SmError *err);

/*
 * The innermost function at (line, col): 1 with *name (pointing into data;
 * empty when *anonymous), 0 when the position is in no function, -1 when
 * the bytes are malformed (every read is bounds-checked; run
 * sm_functab_check once on untrusted input for the full guarantees).
 * O(log n).
 */
int			sm_functab_find(const uint8_t *data, size_t len, uint32_t line, uint32_t col,
							 SmStr *name, bool *anonymous);

/*
 * The original name of the function enclosing a generated position: 1
 * with *name set (empty and *anonymous when that function has no name), 0
 * when the map has no function table or the position is in no function,
 * -1 on error.  Defined in sm_functab.c, the table's reader.
 */
int			sm_function_at(SmMap *m, uint32_t line, uint32_t col, SmStr *name, bool *anonymous,
						   SmError *err);

#endif							/* SM_FUNCTAB_H */
