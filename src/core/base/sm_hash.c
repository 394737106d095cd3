/*
 * sm_hash.c -- the streaming hash of sm_hash.h.  Four independent lanes
 * take one 8-byte word each per 32-byte stripe, so the multiplications of
 * a stripe overlap in the CPU; a partial stripe waits in the buffer for the
 * next piece, which makes the result independent of how input is split.
 */
#include <string.h>

#include "base/sm_hash.h"

/* little-endian 64-bit load, the same value on every host */
static inline uint64_t
le64(const uint8_t *p)
{
	return (uint64_t) p[0] | (uint64_t) p[1] << 8 | (uint64_t) p[2] << 16 |
		(uint64_t) p[3] << 24 | (uint64_t) p[4] << 32 | (uint64_t) p[5] << 40 |
		(uint64_t) p[6] << 48 | (uint64_t) p[7] << 56;
}

static inline uint64_t
lane_step(uint64_t acc, uint64_t w)
{
	acc = (acc ^ w) * 0xD6E8FEB86659FD93ull;
	return acc ^ (acc >> 29);
}

static inline void
stripe(SmHash *h, const uint8_t *p)
{
	h->lane[0] = lane_step(h->lane[0], le64(p));
	h->lane[1] = lane_step(h->lane[1], le64(p + 8));
	h->lane[2] = lane_step(h->lane[2], le64(p + 16));
	h->lane[3] = lane_step(h->lane[3], le64(p + 24));
}

void
smh_init(SmHash *h)
{
	h->lane[0] = 0x243F6A8885A308D3ull;
	h->lane[1] = 0x13198A2E03707344ull;
	h->lane[2] = 0xA4093822299F31D0ull;
	h->lane[3] = 0x082EFA98EC4E6C89ull;
	h->total = 0;
	h->nbuf = 0;
}

void
smh_update(SmHash *h, const void *data, size_t n)
{
	const uint8_t *p = data;

	h->total += n;
	if (h->nbuf > 0)
	{
		size_t		take = SM_HASH_STRIPE - h->nbuf;

		if (take > n)
			take = n;
		memcpy(h->buf + h->nbuf, p, take);
		h->nbuf += (uint32_t) take;
		p += take;
		n -= take;
		if (h->nbuf < SM_HASH_STRIPE)
			return;
		stripe(h, h->buf);
		h->nbuf = 0;
	}
	for (; n >= SM_HASH_STRIPE; p += SM_HASH_STRIPE, n -= SM_HASH_STRIPE)
		stripe(h, p);
	if (n > 0)
		memcpy(h->buf, p, n);
	h->nbuf = (uint32_t) n;
}

uint64_t
smh_final(const SmHash *h)
{
	SmHash		t = *h;
	uint64_t	r;

	/* the tail, zero-padded: the length below tells the padding apart */
	if (t.nbuf > 0)
	{
		memset(t.buf + t.nbuf, 0, SM_HASH_STRIPE - t.nbuf);
		stripe(&t, t.buf);
	}
	r = smh_mix(t.total ^ 0x9E3779B97F4A7C15ull);
	for (int i = 0; i < 4; i++)
		r = smh_mix(r ^ smh_mix(t.lane[i] + (uint64_t) i));
	return r;
}
