/*
 * sm_vlq.h -- Base64 VLQ, the number encoding of the "mappings" string.
 *
 * ECMA-426 limits every value to 32 bits: an unsigned value must be below
 * 2^32 and a signed one must satisfy |v| < 2^31, except that "negative
 * zero" (digit B) stands for -2^31.  Runs of zero continuation digits are
 * legal however long they are.
 */
#ifndef SM_VLQ_H
#define SM_VLQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum SmVlqStatus
{
	SM_VLQ_OK = 0,
	SM_VLQ_BAD_DIGIT,			/* byte is not a base64 digit */
	SM_VLQ_TRUNCATED,			/* continuation bit set on the last digit */
	SM_VLQ_OVERFLOW				/* value does not fit in 32 bits */
} SmVlqStatus;

/* base64 digit value of each byte, or -1 (shared with the mappings decoder) */
extern const int8_t sm_b64_value[256];

/*
 * Decode one signed VLQ starting at s[*pos] (s has len bytes).  On success
 * stores the value and advances *pos past it.  On failure *pos is the
 * offset of the offending byte.
 */
SmVlqStatus sm_vlq_decode(const char *s, size_t len, size_t *pos, int64_t *value);

/*
 * sm_vlq_decode with the values of one and two digits (|v| < 512, nearly
 * every value of a real map) decoded inline: the mappings decoder's hot
 * path.  Same results, same *pos on failure.
 */
static inline SmVlqStatus
sm_vlq_next(const char *s, size_t len, size_t *pos, int64_t *value)
{
	size_t		p = *pos;
	unsigned	acc,
				d0,
				d1 = 0;

	if (p >= len)
		return sm_vlq_decode(s, len, pos, value);
	d0 = (unsigned) sm_b64_value[(unsigned char) s[p]];	/* -1 wraps to a large value */
	if (d0 >= 32 && (d0 >= 64 || p + 1 >= len ||
					 (d1 = (unsigned) sm_b64_value[(unsigned char) s[p + 1]]) >= 32))
		return sm_vlq_decode(s, len, pos, value);
	acc = d0 < 32 ? d0 : (d0 & 31) | d1 << 5;
	/* the low bit is the sign; "B" alone (1) is -2^31 */
	if (acc & 1)
		*value = acc == 1 ? -(int64_t) 2147483648 : -(int64_t) (acc >> 1);
	else
		*value = (int64_t) (acc >> 1);
	*pos = p + (d0 < 32 ? 1 : 2);
	return SM_VLQ_OK;
}

/*
 * The fields of one segment at s[*pos], decoded without bounds checks: the
 * caller guarantees SM_VLQ_SEGMENT_MARGIN readable bytes from *pos.  Only
 * the common shapes are taken: 1, 4 or 5 values of at most 6 digits each
 * (|v| < 2^29, so no overflow is possible), not "B" alone (-2^31), and
 * followed by ',' or ';'.  Returns the number of fields and advances *pos
 * to the separator; returns 0 and leaves *pos alone for anything else (a
 * longer value, 2, 3 or 6 fields, an empty segment, a byte that is no
 * digit, ...), which the caller then decodes with sm_vlq_next and reports
 * exactly.  The fields are unrolled so that f[] can live in registers.
 */
#define SM_VLQ_SEGMENT_MARGIN 32

/* One value at *p: 1 and *p advanced, 0 at a non-digit, -1 for anything unusual. */
static inline int
sm_vlq_field(const unsigned char **pp, int64_t *v)
{
	const unsigned char *p = *pp;
	unsigned	d = (unsigned) sm_b64_value[*p++];	/* -1 wraps to a large value */
	unsigned	acc = d & 31;

	if (d >= 64)
		return 0;
	if (d >= 32)
	{
		unsigned	shift = 5;

		do
		{
			d = (unsigned) sm_b64_value[*p++];
			if (d >= 64 || shift == 30)
				return -1;
			acc |= (d & 31) << shift;
			shift += 5;
		} while (d >= 32);
	}
	if (acc == 1)
		return -1;
	/* the low bit is the sign */
	*v = (acc & 1) ? -(int64_t) (acc >> 1) : (int64_t) (acc >> 1);
	*pp = p;
	return 1;
}

static inline int
sm_vlq_segment(const char *s, size_t *pos, int64_t f[5])
{
	const unsigned char *p = (const unsigned char *) s + *pos;
	int			nf;
	int			r;

	if (sm_vlq_field(&p, &f[0]) <= 0)
		return 0;
	r = sm_vlq_field(&p, &f[1]);
	if (r < 0)
		return 0;
	if (r == 0)
		nf = 1;
	else
	{
		if (sm_vlq_field(&p, &f[2]) <= 0 || sm_vlq_field(&p, &f[3]) <= 0)
			return 0;
		r = sm_vlq_field(&p, &f[4]);
		if (r < 0 || (r > 0 && (unsigned) sm_b64_value[*p] < 64))
			return 0;
		nf = r > 0 ? 5 : 4;
	}
	if (*p != ',' && *p != ';')
		return 0;
	*pos = (size_t) ((const char *) p - s);
	return nf;
}

/* Encode v (|v| < 2^31, or -2^31 as "B") into dst (>= 7 bytes); returns bytes written. */
size_t		sm_vlq_encode(int64_t v, char *dst);

#endif							/* SM_VLQ_H */
