/*
 * sm_packed.c -- pack a decoded mapping block into its searchable in-memory
 * form and read segments from it.  The layout is sm_packed.h's.
 */
#include <stddef.h>

#include "base/sm_buf.h"
#include "format/sm_format.h"
#include "format/sm_packed.h"

/* Bytes after the last field, so that every field is read with word loads. */
#define SM_PACKED_PAD 16

/* Writes fields one after the other, LSB first, a 64-bit word at a time. */
typedef struct BitWriter
{
	uint8_t    *p;				/* where the next whole word goes */
	uint64_t	acc;			/* bits not yet written, from bit 0 */
	unsigned	n;				/* how many (< 64) */
} BitWriter;

static inline void
put_word(uint8_t *p, uint64_t x)
{
	sm_put32(p, (uint32_t) x);
	sm_put32(p + 4, (uint32_t) (x >> 32));
}

/* Append the w-bit value v (w <= 64 - 1). */
static inline void
put_bits(BitWriter *b, uint64_t v, unsigned w)
{
	b->acc |= v << b->n;
	if (b->n + w < 64)
	{
		b->n += w;
		return;
	}
	put_word(b->p, b->acc);
	b->p += 8;
	b->acc = v >> (64 - b->n);	/* b->n >= 1 here, as w < 64 */
	b->n = b->n + w - 64;
}

/* Write what is left: whole bytes only, so nothing after the field is touched. */
static inline void
finish_bits(BitWriter *b)
{
	for (unsigned i = 0; i < b->n; i += 8)
	{
		*b->p++ = (uint8_t) b->acc;
		b->acc >>= 8;
	}
}

/* The w-bit value at bit pos (w <= 64 - 7 unless it straddles: see above). */
static inline uint64_t
get_bits(const uint8_t *base, uint64_t pos, uint8_t w)
{
	const uint8_t *p = base + (pos >> 3);
	unsigned	sh = (unsigned) (pos & 7);
	uint64_t	x = sm_get64(p) >> sh;

	if (sh + w > 64)
		x |= (uint64_t) p[8] << (64 - sh);
	return w >= 64 ? x : x & (((uint64_t) 1 << w) - 1);
}

size_t
sm_packed_plan(const SmMapping *segs, uint32_t n, SmPacked *plan)
{
	uint32_t	cmin = UINT32_MAX,
				cmax = 0,
				olmin = UINT32_MAX,
				olmax = 0,
				ocmin = UINT32_MAX,
				ocmax = 0;
	uint64_t	smax = 0,
				nmax = 0;

	for (uint32_t i = 0; i < n; i++)
	{
		const SmMapping *s = &segs[i];

		cmin = s->gen_col < cmin ? s->gen_col : cmin;
		cmax = s->gen_col > cmax ? s->gen_col : cmax;
		if (s->source == SM_NONE)
			continue;
		smax = (uint64_t) s->source + 1 > smax ? (uint64_t) s->source + 1 : smax;
		olmin = s->orig_line < olmin ? s->orig_line : olmin;
		olmax = s->orig_line > olmax ? s->orig_line : olmax;
		ocmin = s->orig_col < ocmin ? s->orig_col : ocmin;
		ocmax = s->orig_col > ocmax ? s->orig_col : ocmax;
		if (s->name != SM_NONE && (uint64_t) s->name + 1 > nmax)
			nmax = (uint64_t) s->name + 1;
	}
	if (smax == 0)				/* no segment has a source */
		olmin = olmax = ocmin = ocmax = 0;
	memset(plan, 0, sizeof(*plan));
	plan->n = n;
	plan->line0 = segs[0].gen_line;
	plan->col0 = cmin;
	plan->oline0 = olmin;
	plan->ocol0 = ocmin;
	plan->wc = (uint8_t) sm_bit_width(cmax - cmin);
	plan->wk = plan->wc + (uint8_t) sm_bit_width(segs[n - 1].gen_line - plan->line0);
	plan->ws = (uint8_t) sm_bit_width(smax);
	plan->wl = (uint8_t) sm_bit_width(olmax - olmin);
	plan->wo = (uint8_t) sm_bit_width(ocmax - ocmin);
	plan->wn = (uint8_t) sm_bit_width(nmax);
	plan->wrow = (uint16_t) (plan->ws + plan->wl + plan->wo + plan->wn);
	plan->rows_at = (uint32_t) (((uint64_t) n * plan->wk + 7) / 8);
	return offsetof(SmPacked, bits) + plan->rows_at + ((uint64_t) n * plan->wrow + 7) / 8 +
		SM_PACKED_PAD;
}

void
sm_packed_write(SmPacked *dst, const SmPacked *plan, const SmMapping *segs)
{
	size_t		rows_len = ((uint64_t) plan->n * plan->wrow + 7) / 8;
	BitWriter	keys = {dst->bits, 0, 0};
	BitWriter	rows = {dst->bits + plan->rows_at, 0, 0};
	bool		narrow = plan->wrow < 64;	/* most rows: a few dozen bits */
	unsigned	sl = plan->ws + plan->wl,
				sn = sl + plan->wo;

	memcpy(dst, plan, sizeof(*plan));
	for (uint32_t i = 0; i < plan->n; i++)
	{
		const SmMapping *s = &segs[i];
		bool		has = s->source != SM_NONE;
		uint64_t	src = has ? (uint64_t) s->source + 1 : 0;
		uint64_t	ol = has ? s->orig_line - plan->oline0 : 0;
		uint64_t	oc = has ? s->orig_col - plan->ocol0 : 0;
		uint64_t	nm = has && s->name != SM_NONE ? (uint64_t) s->name + 1 : 0;

		put_bits(&keys, ((uint64_t) (s->gen_line - plan->line0) << plan->wc) |
				 (s->gen_col - plan->col0), plan->wk);
		if (narrow)				/* the whole row in one go */
			put_bits(&rows, src | ol << plan->ws | oc << sl | nm << sn, plan->wrow);
		else
		{
			put_bits(&rows, src, plan->ws);
			put_bits(&rows, ol, plan->wl);
			put_bits(&rows, oc, plan->wo);
			put_bits(&rows, nm, plan->wn);
		}
	}
	finish_bits(&keys);
	finish_bits(&rows);
	/* the padding after the rows, read by word loads near the end */
	memset(dst->bits + plan->rows_at + rows_len, 0, SM_PACKED_PAD);
}

static inline uint64_t
key_at(const SmPacked *p, uint32_t i)
{
	return get_bits(p->bits, (uint64_t) i * p->wk, p->wk);
}

void
sm_packed_get(const SmPacked *p, uint32_t i, SmMapping *out)
{
	const uint8_t *rows = p->bits + p->rows_at;
	uint64_t	key = key_at(p, i);
	uint64_t	at = (uint64_t) i * p->wrow;
	uint64_t	src = get_bits(rows, at, p->ws);
	uint64_t	name;

	out->gen_line = p->line0 + (uint32_t) (key >> p->wc);
	out->gen_col = p->col0 + (uint32_t) (key & (((uint64_t) 1 << p->wc) - 1));
	if (src == 0)
	{
		out->source = out->name = SM_NONE;
		out->orig_line = out->orig_col = 0;
		return;
	}
	out->source = (uint32_t) (src - 1);
	at += p->ws;
	out->orig_line = p->oline0 + (uint32_t) get_bits(rows, at, p->wl);
	at += p->wl;
	out->orig_col = p->ocol0 + (uint32_t) get_bits(rows, at, p->wo);
	at += p->wo;
	name = get_bits(rows, at, p->wn);
	out->name = name == 0 ? SM_NONE : (uint32_t) (name - 1);
}

bool
sm_packed_same_pos(const SmPacked *p, uint32_t i, uint32_t j)
{
	return key_at(p, i) == key_at(p, j);
}

uint32_t
sm_packed_upper(const SmPacked *p, uint32_t line, uint32_t col)
{
	uint64_t	dl = line - p->line0;
	uint64_t	colmask = ((uint64_t) 1 << p->wc) - 1;
	uint64_t	q;
	uint32_t	lo = 0,
				hi = p->n;

	/* map the position to the largest key at or before it */
	if ((dl >> (p->wk - p->wc)) != 0)
		return p->n;			/* past the block's last line */
	if (col < p->col0)
	{
		if (dl == 0)
			return 0;			/* before every segment */
		q = (dl << p->wc) - 1;	/* the end of the line before */
	}
	else if ((uint64_t) (col - p->col0) > colmask)
		q = (dl << p->wc) | colmask;
	else
		q = (dl << p->wc) | (col - p->col0);
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (key_at(p, mid) <= q)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
