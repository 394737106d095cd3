/*
 * sm_batch.c -- many lookups on one map, in position order.
 *
 * A re-symbolication job asks for thousands of frames of the same map in
 * no particular order.  Looked up one by one, each frame lands in a random
 * mapping block: the block is decoded again (or fetched from the kept-block
 * cache, far away in memory) for almost every frame.  Sorting the frames by
 * generated position first makes consecutive lookups fall in the same
 * block, which stays current, so each block a batch touches is decoded
 * once and searched while it is in the CPU cache, whatever the size of the
 * backend's cache.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "format/sm_map.h"

#define DIGIT_BITS 11
#define DIGITS (1u << DIGIT_BITS)
#define SMALL_BATCH 64

typedef struct
{
	uint64_t	key;			/* line, then column, packed */
	uint32_t	idx;			/* the frame's place in the batch */
} Frame;

static void
insertion_sort(Frame *f, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
	{
		Frame		x = f[i];
		uint32_t	j = i;

		while (j > 0 && f[j - 1].key > x.key)
		{
			f[j] = f[j - 1];
			j--;
		}
		f[j] = x;
	}
}

/*
 * Sort f[0..n) by key (all below 2^bits); tmp has room for n.  Returns
 * whichever of the two holds the result.  LSD radix sort, stable.
 */
static Frame *
sort_frames(Frame *f, Frame *tmp, uint32_t n, int bits)
{
	uint32_t	count[DIGITS];

	if (n <= SMALL_BATCH)
	{
		insertion_sort(f, n);
		return f;
	}
	for (int shift = 0; shift < bits; shift += DIGIT_BITS)
	{
		Frame	   *swap;
		uint32_t	sum = 0;

		memset(count, 0, sizeof(count));
		for (uint32_t i = 0; i < n; i++)
			count[(f[i].key >> shift) & (DIGITS - 1)]++;
		for (uint32_t d = 0; d < DIGITS; d++)
		{
			uint32_t	c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			tmp[count[(f[i].key >> shift) & (DIGITS - 1)]++] = f[i];
		swap = f;
		f = tmp;
		tmp = swap;
	}
	return f;
}

bool
sm_lookup_batch(SmMap *m, const uint32_t *lines, const uint32_t *cols, const bool *skip,
				uint32_t n, SmBias bias, SmMapping *out, bool *found, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	Frame	   *f,
			   *tmp,
			   *sorted;
	uint32_t	nf = 0,
				maxline = 0,
				maxcol = 0;
	int			colbits;
	bool		ok = true;

	f = sm_alloc(env, sizeof(Frame) * ((size_t) n + 1), err);
	tmp = f ? sm_alloc(env, sizeof(Frame) * ((size_t) n + 1), err) : NULL;
	if (tmp == NULL)
	{
		sm_free(env, f);
		return false;
	}
	for (uint32_t i = 0; i < n; i++)
	{
		found[i] = false;
		if (skip && skip[i])
			continue;
		maxline = lines[i] > maxline ? lines[i] : maxline;
		maxcol = cols[i] > maxcol ? cols[i] : maxcol;
	}
	colbits = sm_bit_width(maxcol);
	for (uint32_t i = 0; i < n; i++)
		if (!(skip && skip[i]))
		{
			f[nf].key = ((uint64_t) lines[i] << colbits) | cols[i];
			f[nf].idx = i;
			nf++;
		}
	sorted = sort_frames(f, tmp, nf, colbits + sm_bit_width(maxline));
	for (uint32_t k = 0; k < nf && ok; k++)
	{
		uint32_t	i = sorted[k].idx;
		int			r;

		if ((k & 1023) == 1023)
			sm_check_interrupts(env);
		r = sm_lookup(m, lines[i], cols[i], bias, &out[i], err);
		ok = r >= 0;
		found[i] = r == 1;
	}
	sm_free(env, f);
	sm_free(env, tmp);
	return ok;
}
