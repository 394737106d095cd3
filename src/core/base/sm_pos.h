/*
 * sm_pos.h -- the order of generated positions (0-based line, then column)
 * and of ranges of them, as the function table and the JavaScript scanner
 * both sort and nest them.
 */
#ifndef SM_POS_H
#define SM_POS_H

#include <stdbool.h>
#include <stdint.h>

/* Does (l1, c1) come strictly before (l2, c2)? */
static inline bool
sm_pos_lt(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2)
{
	return l1 < l2 || (l1 == l2 && c1 < c2);
}

/*
 * Does range a [(a_sl, a_sc), (a_el, a_ec)) come before range b in nesting
 * order: by start, and of two with the same start the longer first, so that
 * a range comes before the ranges it contains?
 */
static inline bool
sm_range_before(uint32_t a_sl, uint32_t a_sc, uint32_t a_el, uint32_t a_ec,
				uint32_t b_sl, uint32_t b_sc, uint32_t b_el, uint32_t b_ec)
{
	if (a_sl != b_sl)
		return a_sl < b_sl;
	if (a_sc != b_sc)
		return a_sc < b_sc;
	if (a_el != b_el)
		return a_el > b_el;
	return a_ec > b_ec;
}

#endif							/* SM_POS_H */
