/*
 * sm_packed.h -- the in-memory form of a mapping block that a cache keeps:
 * searched where it lies, never decoded.
 *
 * A decoded block costs 24 bytes per segment (SmMapping); this form costs
 * about 6 on real maps, so a backend's cache holds four times as many
 * blocks.  Every column is stored frame-of-reference: the smallest value of
 * the block is kept once and each segment stores its distance from it in
 * just enough bits for the block's range.
 *
 *   key  (line - line0) << wc | (column - col0), in wk bits: it grows with
 *        the generated position, so a lookup bisects this one column;
 *   row  source + 1 (0: none), original line - oline0, original column -
 *        ocol0, name + 1 (0: none), in ws + wl + wo + wn bits.
 *
 * Fields are read with unaligned 64-bit loads; a key may be up to 61 bits
 * (a hostile block can span 2^30 lines and 2^31 columns), so the reader
 * takes a second byte when a field straddles the word.  Built from a block
 * that sm_block_decode has checked (sm_blocks.h); nothing here re-checks.
 */
#ifndef SM_PACKED_H
#define SM_PACKED_H

#include "format/sm_map.h"

typedef struct SmPacked
{
	uint32_t	n;				/* segments */
	uint32_t	line0,			/* bases: the first line, the smallest column */
				col0;
	uint32_t	oline0,			/* the smallest original line and column */
				ocol0;
	uint32_t	rows_at;		/* where the rows start in bits[] */
	uint8_t		wc,				/* key: column bits, all bits */
				wk;
	uint8_t		ws,				/* row: field widths */
				wl,
				wo,
				wn;
	uint16_t	wrow;			/* ws + wl + wo + wn */
	uint8_t		bits[];			/* keys, rows, then padding for word loads */
} SmPacked;

/*
 * Plan the packed form of the n >= 1 decoded segments of one block (in
 * generated order): fills *plan's header fields and returns the bytes the
 * whole packed block takes.
 */
size_t		sm_packed_plan(const SmMapping *segs, uint32_t n, SmPacked *plan);

/* Write the block planned in *plan into dst (bytes as sm_packed_plan said). */
void		sm_packed_write(SmPacked *dst, const SmPacked *plan, const SmMapping *segs);

/* Segment i. */
void		sm_packed_get(const SmPacked *p, uint32_t i, SmMapping *out);

/* Do segments i and j start at the same generated position? */
bool		sm_packed_same_pos(const SmPacked *p, uint32_t i, uint32_t j);

/*
 * The first segment whose position is after (line, col), n when none is;
 * line >= line0 (the block index found this block for the position).
 */
uint32_t	sm_packed_upper(const SmPacked *p, uint32_t line, uint32_t col);

#endif							/* SM_PACKED_H */
