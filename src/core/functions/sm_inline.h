/*
 * sm_inline.h -- the stack of original frames at one generated position,
 * from a decoded ECMA-426 `scopes` field (sm_scopes_field.h): what
 * sourcemap_lookup_frames returns.
 *
 * Why: when a compiler inlines a function, one generated position stands
 * for several original frames: the inlined function, the function it was
 * inlined into, and so on.  The scopes field says so: a generated range
 * with a call site is the body of an inlined function, the call site is
 * where the caller called it.
 *
 * The algorithm (the proposal's stack-frame reconstruction, as read here):
 * take the generated ranges around the position, innermost first, and a
 * current original position, first the position's own mapping (glb).
 *   - a range with a call site: a frame for the function of its
 *     definition at the current position, inlined; the current position
 *     becomes the call site; go on outwards;
 *   - a range that is a stack frame (a real generated function): a frame
 *     for the function of its definition at the current position; stop;
 *   - any other range (a block): go on outwards.
 * Running out of ranges (top-level code, or a position in no range) gives
 * a last frame at the current position whose function is that of the
 * innermost definition met since the last call site (none: no function).
 * A frame is hidden when the range that made it is (isHidden); the last
 * frame made by running out of ranges is not.  The function of a
 * definition is sm_scopes_field_function's.  Depth 0 is the innermost
 * frame.  Positions without a mapping (the glb lookup selects no segment
 * or a 1-field one) have no position; call sites always have one.
 */
#ifndef SM_INLINE_H
#define SM_INLINE_H

#include "functions/sm_scopes_field.h"

typedef struct SmOrigFrame
{
	uint32_t	depth;			/* 0 = innermost */
	bool		has_position;
	uint32_t	source;			/* sources index */
	uint32_t	line;			/* original, 0-based */
	uint32_t	col;
	uint32_t	name;			/* names index of the mapping, or SM_NONE */
	uint32_t	function;		/* names index of the function's name, or SM_NONE */
	bool		has_function;	/* a function (possibly anonymous: function SM_NONE) */
	bool		inlined;
	bool		hidden;
} SmOrigFrame;

/*
 * The frames at generated (line, col) of map m, whose decoded scopes field
 * is f, into *frames (allocated from the map's env; free with sm_free),
 * *nframes of them, at least 1.  False with *err on error.
 */
bool		sm_inline_frames(SmMap *m, const SmScopesField *f, uint32_t line, uint32_t col,
							 SmOrigFrame **frames, uint32_t *nframes, SmError *err);

/*
 * Decode the `scopes` member of the JSON object text obj (a whole map
 * document, or the members a stored value keeps verbatim wrapped in
 * braces) for map m (its names and sources counts).  *found is false, and
 * nothing is decoded, when obj has no top-level `scopes` string.  False
 * with *err when obj is not JSON (SM_E_SYNTAX) or the field is malformed
 * (SM_E_SYNTAX: the caller may ignore it, as ingest does); on success free
 * *out with sm_scopes_field_free.
 */
bool		sm_inline_decode(SmMap *m, const char *obj, size_t len, SmScopesField *out,
							 bool *found, SmError *err);

/*
 * sm_inline_decode for the `scopes` member a stored value keeps verbatim
 * (sm_kept): what sourcemap_lookup_frames decodes.  *found is false when
 * the value keeps no `scopes` string (none in the document, or a value
 * stored before values kept it); errors as sm_inline_decode, plus
 * SM_E_BINARY for a damaged KEPT section.
 */
bool		sm_inline_decode_kept(SmMap *m, SmScopesField *out, bool *found, SmError *err);

#endif							/* SM_INLINE_H */
