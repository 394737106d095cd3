/*
 * sm_pool.h -- parts kept in memory under one byte budget, least recently
 * used first out, shared by any number of owners.
 *
 * A backend keeps the packed mapping blocks of every map it has read in one
 * pool, so the budget (sourcemap.cache_size) counts all of them together and
 * a map that is no longer used gives its room to the ones that are.  Each
 * part has one owner slot: the owner finds the part through it, and the pool
 * clears it when the part is evicted.  Nothing here fails except allocation.
 *
 * The order is least recently used by second chance (CLOCK): using a part
 * only marks it, in its own header, which the user of the part reads anyway;
 * eviction takes parts from the old end, and a marked part is unmarked and
 * moved to the new end instead of leaving.  Moving a part to the front on
 * every use writes into its two neighbours, two more cache misses per use
 * when the parts are many and used in random order.
 */
#ifndef SM_POOL_H
#define SM_POOL_H

#include "base/sm_env.h"

typedef struct SmPoolItem
{
	struct SmPoolItem *prev,	/* toward the most recently used */
			   *next;
	struct SmPoolItem **slot;	/* the owner's pointer to this part */
	size_t	   *owner_bytes;	/* the owner's running total, or NULL */
	size_t		bytes;			/* the allocation, this header included */
	bool		used;			/* used since it last reached the old end */
} SmPoolItem;

typedef struct SmPool
{
	const SmEnv *env;			/* parts are allocated here */
	SmPoolItem	ring;			/* ring.next: most recently used */
	size_t		bytes;
	size_t		budget;
	uint64_t	evictions;
} SmPool;

void		sm_pool_init(SmPool *pool, const SmEnv *env, size_t budget);
/* Free every part (their slots are cleared). */
void		sm_pool_clear(SmPool *pool);
/* Change the budget, evicting least recently used parts down to it. */
void		sm_pool_set_budget(SmPool *pool, size_t budget);

/* Can a part of n bytes be kept at all (is the budget large enough)? */
static inline bool
sm_pool_fits(const SmPool *pool, size_t n)
{
	return n <= pool->budget && pool->budget - n >= sizeof(SmPoolItem);
}

/*
 * Room for a part of n bytes (sm_pool_fits), made most recently used and
 * linked to *slot (and counted in *owner_bytes): older parts are evicted to
 * make room.  NULL with *err set when allocation fails.
 */
void	   *sm_pool_add(SmPool *pool, SmPoolItem **slot, size_t *owner_bytes, size_t n,
						SmError *err);
/* Free one part now (its owner is done with it). */
void		sm_pool_remove(SmPool *pool, SmPoolItem *it);

/* A part's bytes. */
static inline void *
sm_pool_data(SmPoolItem *it)
{
	return it + 1;
}

/* A part was used: it gets a second chance before it is evicted. */
static inline void
sm_pool_touch(SmPoolItem *it)
{
	it->used = true;
}

#endif							/* SM_POOL_H */
