/*
 * sm_vlq.c -- Base64 VLQ decoding and encoding (ECMA-426 "mappings").
 */
#include "base/sm_vlq.h"

#define B64_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* -1 for bytes outside the base64 alphabet */
const int8_t sm_b64_value[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
};

SmVlqStatus
sm_vlq_decode(const char *s, size_t len, size_t *pos, int64_t *value)
{
	size_t		p = *pos;
	uint64_t	acc = 0;
	unsigned	shift = 0;

	for (;;)
	{
		int			d;

		if (p >= len)
		{
			*pos = p;
			return SM_VLQ_TRUNCATED;
		}
		d = sm_b64_value[(unsigned char) s[p]];
		if (d < 0)
		{
			*pos = p;
			return SM_VLQ_BAD_DIGIT;
		}
		p++;
		/* zero digits may continue forever; only significant bits count */
		if ((d & 31) != 0)
		{
			if (shift >= 32 || ((uint64_t) (d & 31) << shift) >= ((uint64_t) 1 << 32))
			{
				*pos = p - 1;
				return SM_VLQ_OVERFLOW;
			}
			acc |= (uint64_t) (d & 31) << shift;
		}
		if ((d & 32) == 0)
			break;
		if (shift < 32)
			shift += 5;
	}
	/* acc < 2^32: the low bit is the sign, the rest the magnitude (< 2^31) */
	if (acc & 1)
		*value = (acc == 1) ? -(int64_t) 2147483648 : -(int64_t) (acc >> 1);
	else
		*value = (int64_t) (acc >> 1);
	*pos = p;
	return SM_VLQ_OK;
}

size_t
sm_vlq_encode(int64_t v, char *dst)
{
	uint64_t	u;
	size_t		n = 0;

	if (v == -(int64_t) 2147483648)
		u = 1;					/* "negative zero" */
	else
		u = v < 0 ? (((uint64_t) (-v)) << 1) | 1 : ((uint64_t) v) << 1;
	do
	{
		unsigned	d = (unsigned) (u & 31);

		u >>= 5;
		if (u)
			d |= 32;
		dst[n++] = B64_DIGITS[d];
	} while (u);
	return n;
}
