/*
 * sm_hash.h -- a streaming 64-bit hash: the same bytes give the same hash
 * however they are cut into pieces.  The content digest of a stored value
 * (format/sm_digest.h) is made of such hashes, fed by the writer with each
 * raw part as it compresses it and by the reader with each part it
 * inflates, so both must agree whatever the piece boundaries.
 *
 * Not cryptographic: equal hashes are followed by an exact comparison.
 */
#ifndef SM_HASH_H
#define SM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SM_HASH_STRIPE 32		/* bytes per round: four 8-byte lanes */

typedef struct SmHash
{
	uint64_t	lane[4];
	uint64_t	total;			/* bytes fed so far */
	uint8_t		buf[SM_HASH_STRIPE];	/* the last, incomplete stripe */
	uint32_t	nbuf;
} SmHash;

void		smh_init(SmHash *h);
void		smh_update(SmHash *h, const void *p, size_t n);
uint64_t	smh_final(const SmHash *h);

/* A bijective mix of 64 bits (every input bit moves every output bit). */
static inline uint64_t
smh_mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7FB5D329728EA185ull;
	x ^= x >> 27;
	x *= 0x81DADEF4BC2DD44Dull;
	return x ^ (x >> 33);
}

#endif							/* SM_HASH_H */
