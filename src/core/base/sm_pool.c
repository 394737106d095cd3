/*
 * sm_pool.c -- the byte-budgeted LRU of cached parts (sm_pool.h).
 */
#include "base/sm_pool.h"

void
sm_pool_init(SmPool *pool, const SmEnv *env, size_t budget)
{
	pool->env = env;
	pool->ring.prev = pool->ring.next = &pool->ring;
	pool->ring.slot = NULL;
	pool->ring.owner_bytes = NULL;
	pool->ring.bytes = 0;
	pool->ring.used = false;
	pool->bytes = 0;
	pool->budget = budget;
	pool->evictions = 0;
}

void
sm_pool_remove(SmPool *pool, SmPoolItem *it)
{
	it->prev->next = it->next;
	it->next->prev = it->prev;
	*it->slot = NULL;
	if (it->owner_bytes)
		*it->owner_bytes -= it->bytes;
	pool->bytes -= it->bytes;
	sm_free(pool->env, it);
}

/* Link it at the new end of the ring (most recently used). */
static void
link_newest(SmPool *pool, SmPoolItem *it)
{
	it->prev = &pool->ring;
	it->next = pool->ring.next;
	pool->ring.next->prev = it;
	pool->ring.next = it;
}

/*
 * Evict parts from the old end until `need` more bytes fit the budget; a
 * part used since it was last there goes round once more, unmarked.  Every
 * pass unmarks what it passes, so this ends.
 */
static void
make_room(SmPool *pool, size_t need)
{
	while (pool->ring.prev != &pool->ring && pool->bytes + need > pool->budget)
	{
		SmPoolItem *oldest = pool->ring.prev;

		if (oldest->used)
		{
			oldest->used = false;
			oldest->prev->next = oldest->next;
			oldest->next->prev = oldest->prev;
			link_newest(pool, oldest);
			continue;
		}
		sm_pool_remove(pool, oldest);
		pool->evictions++;
	}
}

void
sm_pool_clear(SmPool *pool)
{
	while (pool->ring.prev != &pool->ring)
		sm_pool_remove(pool, pool->ring.prev);
}

void
sm_pool_set_budget(SmPool *pool, size_t budget)
{
	pool->budget = budget;
	make_room(pool, 0);
}

void *
sm_pool_add(SmPool *pool, SmPoolItem **slot, size_t *owner_bytes, size_t n, SmError *err)
{
	size_t		bytes = sizeof(SmPoolItem) + n;
	SmPoolItem *it;

	make_room(pool, bytes);
	it = sm_alloc(pool->env, bytes, err);
	if (it == NULL)
		return NULL;
	it->slot = slot;
	it->owner_bytes = owner_bytes;
	it->bytes = bytes;
	it->used = false;
	link_newest(pool, it);
	*slot = it;
	if (owner_bytes)
		*owner_bytes += bytes;
	pool->bytes += bytes;
	return sm_pool_data(it);
}
