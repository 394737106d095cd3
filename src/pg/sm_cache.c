/*
 * sm_cache.c -- open stored maps for SQL functions: slice reads of TOASTed
 * values, a per-backend LRU cache of opened maps, and the text Datums made
 * from a map's strings.  See sm_cache.h.
 *
 * Memory: each cached map has a context of its own (the opened map, its
 * string chunks and the text Datums made from them, built once); the
 * mapping blocks of all cached maps are kept packed in one pool (the core's
 * SmPool, least recently used block first out) in a context of its own.
 * The two together stay within sourcemap.cache_size: blocks give way first,
 * then whole maps, least recently used first.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "access/detoast.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "lib/ilist.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

/* sourcemap.cache_size, in kB; 0 turns the cache off */
static int	cache_size_kb = 65536;

typedef struct SmCacheKey
{
	Oid			toastrelid;
	Oid			valueid;
} SmCacheKey;

/* Reads slices of one TOASTed value into a memory context. */
typedef struct SliceReader
{
	struct varlena *pointer;	/* the TOAST pointer of the current call */
	MemoryContext cxt;
	struct varlena *transient;	/* the last slice read without keep */
	const uint8 *head;			/* a kept slice from byte 0 (the header), or NULL */
} SliceReader;

typedef struct SmCacheEntry
{
	SmCacheKey	key;			/* hash key: must be first */
	SmPgMap		pm;
	SliceReader *reader;		/* in pm.cxt, like the map's SmEnv */
	uint8		header[SM_HEADER_SIZE];
	TimestampTz checked;		/* start of the statement that last checked the header */
	Size		bytes;			/* memory of pm.cxt when last released */
	bool		in_use;			/* between sm_pg_open and sm_pg_close */
	dlist_node	lru;			/* head = most recently used */
} SmCacheEntry;

static HTAB *cache;
static MemoryContext cache_cxt;
static dlist_head lru = DLIST_STATIC_INIT(lru);
static Size cache_bytes;		/* the maps' contexts; blocks are in pool */
static SmCacheStats stats;
static uint64 removals;			/* entries removed so far: a memo older than this is stale */

/*
 * The packed blocks of every cached map.  Their context keeps small block
 * sizes so that a block (a few KB) is allocated on its own at its real size,
 * not rounded up to a power of two.
 */
static SmPool pool;
static SmEnv pool_env;
static MemoryContext pool_cxt;

void
sm_cache_init(void)
{
	DefineCustomIntVariable("sourcemap.cache_size",
							"Memory for opened source maps kept per backend.",
							"Maps read from TOAST are kept open, with the parts decoded so far, "
							"up to this much memory per backend; 0 disables the cache.",
							&cache_size_kb,
							65536, 0, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("sourcemap");
}

static Size
cache_limit(void)
{
	return (Size) cache_size_kb * 1024;
}

/*
 * SmFetchFn over a TOASTed value: one detoast slice per request.  A slice
 * read without keep is freed at the next read, so a cached map's memory
 * does not grow with every block it decodes again.
 */
static const uint8_t *
fetch_slice(void *ctx, uint32_t off, uint32_t len, bool keep, SmError *err)
{
	static const uint8_t empty[1];
	SliceReader *r = ctx;
	MemoryContext old;
	struct varlena *s;

	if (len == 0)
		return empty;
	old = MemoryContextSwitchTo(r->cxt);
	if (r->transient != NULL)
	{
		pfree(r->transient);
		r->transient = NULL;
	}
	s = detoast_attr_slice(r->pointer, (int32) off, (int32) len);
	MemoryContextSwitchTo(old);
	if (!keep)
		r->transient = s;
	if (VARSIZE_ANY_EXHDR(s) != len)
	{
		sm_fail(err, SM_E_BINARY, "stored value is shorter than its header says");
		return NULL;
	}
	if (keep && off == 0 && len >= SM_HEADER_SIZE)
		r->head = (const uint8 *) VARDATA_ANY(s);
	return (const uint8_t *) VARDATA_ANY(s);
}

/* Fill in pm around an opened map; its Datum caches start empty. */
static void
pm_init(SmPgMap *pm, SmMap *map, MemoryContext cxt)
{
	SmError		err = {0};

	memset(pm, 0, sizeof(*pm));
	pm->map = map;
	pm->cxt = cxt;
	if (!sm_info(map, &pm->info, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
}

static void
evict(SmCacheEntry *e)
{
	sm_set_block_pool(e->pm.map, NULL);
	MemoryContextDelete(e->pm.cxt);
	dlist_delete(&e->lru);
	cache_bytes -= e->bytes;
	stats.evictions++;
	removals++;
	hash_search(cache, &e->key, HASH_REMOVE, NULL);
}

/* An entry's memory, after its map has allocated or freed some. */
static void
recount(SmCacheEntry *e)
{
	cache_bytes -= e->bytes;
	e->bytes = MemoryContextMemAllocated(e->pm.cxt, true);
	cache_bytes += e->bytes;
}

/* Let the blocks have what the maps leave of the limit. */
static void
budget_blocks(void)
{
	if (pool_cxt != NULL)
		sm_pool_set_budget(&pool, cache_limit() > cache_bytes ? cache_limit() - cache_bytes : 0);
}

/*
 * Get back within the limit: least recently used blocks first (a map
 * without its blocks is small, and reads them again as needed), then, if
 * the maps alone are over it, least recently used maps not in use.
 */
static void
enforce_limit(void)
{
	dlist_node *node = dlist_is_empty(&lru) ? NULL : dlist_tail_node(&lru);

	budget_blocks();
	while (node != NULL && cache_bytes > cache_limit())
	{
		SmCacheEntry *e = dlist_container(SmCacheEntry, lru, node);

		node = dlist_has_prev(&lru, node) ? dlist_prev_node(&lru, node) : NULL;
		if (!e->in_use)
			evict(e);
	}
	budget_blocks();
}

/*
 * Does the value's header still match the entry's?  A TOAST value id names
 * another value only once the old one is deleted and vacuumed away and the
 * cluster-wide OID counter has gone round all 2^32 values to the same id
 * again.  Allocating OIDs is serialised on one lock, so that takes minutes
 * at the very least; re-reading the header (a TOAST index probe) when the
 * last check is more than SM_RECHECK_SECONDS old therefore catches any
 * reuse, and a busy backend pays for the probe once in a while instead of
 * once per statement.
 */
#define SM_RECHECK_SECONDS 10

static bool
header_matches(SmCacheEntry *e, struct varlena *pointer)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();
	struct varlena *h;
	bool		same;

	if (stmt >= e->checked && stmt - e->checked < SM_RECHECK_SECONDS * USECS_PER_SEC)
		return true;
	h = detoast_attr_slice(pointer, 0, SM_HEADER_SIZE);
	same = VARSIZE_ANY_EXHDR(h) == SM_HEADER_SIZE &&
		memcmp(VARDATA_ANY(h), e->header, SM_HEADER_SIZE) == 0;
	pfree(h);
	if (same)
		e->checked = stmt;
	return same;
}

/*
 * A value that sm_open refused with *err may be one stored by an older
 * release: then it is read whole, converted (sm_pg_current_layout) and
 * opened in memory, in cxt, so a cached map keeps the converted form and
 * pays for the conversion once.  Otherwise ERROR with *err.
 */
static SmMap *
open_older_release(struct varlena *pointer, MemoryContext cxt, const SmEnv *env,
				   SliceReader *r, SmError *err)
{
	SmError		herr = {0};
	const uint8_t *h = fetch_slice(r, 0, SM_HEADER_SIZE, false, &herr);
	MemoryContext old;
	struct varlena *whole,
			   *cur;
	SmMap	   *m;

	if (h == NULL || !sm_legacy_detect(h, SM_HEADER_SIZE))
		sm_pg_report(err, "corrupt sourcemap value");
	old = MemoryContextSwitchTo(cxt);
	whole = detoast_attr(pointer);
	cur = sm_pg_current_layout(whole, "corrupt sourcemap value");
	if (cur != whole)
		pfree(whole);
	MemoryContextSwitchTo(old);
	m = sm_open_buffer(env, (const uint8_t *) VARDATA(cur), VARSIZE(cur) - VARHDRSZ, err);
	if (m == NULL)
		sm_pg_report(err, "corrupt sourcemap value");
	return m;
}

/*
 * Open a TOASTed value through slices; the reader and the map's environment
 * live in cxt, where the map allocates too.
 */
static SmMap *
open_slices(struct varlena *pointer, MemoryContext cxt, uint32 total, SliceReader **reader)
{
	SmError		err = {0};
	SliceReader *r = MemoryContextAlloc(cxt, sizeof(SliceReader));
	SmEnv	   *env = MemoryContextAlloc(cxt, sizeof(SmEnv));
	SmMap	   *m;

	r->pointer = pointer;
	r->cxt = cxt;
	r->transient = NULL;
	r->head = NULL;
	*env = sm_pg_env;
	env->ctx = cxt;
	m = sm_open(env, total, fetch_slice, r, &err);
	if (m == NULL)
		m = open_older_release(pointer, cxt, env, r, &err);
	*reader = r;
	return m;
}

/* Note in memo (if any) the entry just opened. */
static void
remember(SmPgOpenMemo *memo, SmCacheEntry *e)
{
	if (memo == NULL)
		return;
	memo->toastrelid = e->key.toastrelid;
	memo->valueid = e->key.valueid;
	memo->entry = e;
	memo->removals = removals;
}

static SmPgMap *
open_cached(struct varlena *pointer, const SmCacheKey *key, uint32 total, SmPgOpenMemo *memo)
{
	SmCacheEntry *e;
	MemoryContext cxt;
	SmMap	   *m;
	SliceReader *reader;
	const uint8 *h;
	SmError		err;

	if (cache == NULL)
	{
		HASHCTL		ctl;

		cache_cxt = AllocSetContextCreate(TopMemoryContext, "sourcemap cache",
										  ALLOCSET_SMALL_SIZES);
		pool_cxt = AllocSetContextCreate(cache_cxt, "sourcemap blocks", ALLOCSET_SMALL_SIZES);
		pool_env = sm_pg_env;
		pool_env.ctx = pool_cxt;
		sm_pool_init(&pool, &pool_env, 0);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(SmCacheKey);
		ctl.entrysize = sizeof(SmCacheEntry);
		ctl.hcxt = cache_cxt;
		cache = hash_create("sourcemap cache", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	if (memo != NULL && memo->entry != NULL && memo->removals == removals &&
		memo->toastrelid == key->toastrelid && memo->valueid == key->valueid)
		e = memo->entry;
	else
		e = hash_search(cache, key, HASH_FIND, NULL);
	/* an entry left in use was abandoned by an error: its state is suspect */
	if (e != NULL && (e->in_use || !header_matches(e, pointer)))
	{
		evict(e);
		e = NULL;
	}
	if (e != NULL)
	{
		stats.hits++;
		e->reader->pointer = pointer;
		e->in_use = true;
		dlist_move_head(&lru, &e->lru);
		budget_blocks();
		remember(memo, e);
		return &e->pm;
	}

	/*
	 * Miss: open in a context of our own, under the current one until the
	 * open has succeeded, so that an error leaves nothing behind.
	 */
	stats.misses++;
	cxt = AllocSetContextCreate(CurrentMemoryContext, "sourcemap map", ALLOCSET_DEFAULT_SIZES);
	m = open_slices(pointer, cxt, total, &reader);
	/* the open kept the header in its first slice; a converted value did not */
	sm_pg_error_init(&err);
	h = reader->head ? reader->head : fetch_slice(reader, 0, SM_HEADER_SIZE, false, &err);
	if (h == NULL)
		sm_pg_report(&err, "corrupt sourcemap value");
	MemoryContextSetParent(cxt, cache_cxt);

	e = hash_search(cache, key, HASH_ENTER, NULL);
	e->reader = reader;
	memcpy(e->header, h, SM_HEADER_SIZE);
	e->checked = GetCurrentStatementStartTimestamp();
	e->bytes = 0;
	e->in_use = true;
	dlist_push_head(&lru, &e->lru);
	pm_init(&e->pm, m, cxt);
	e->pm.entry = e;
	sm_set_block_pool(m, &pool);
	budget_blocks();
	remember(memo, e);
	return &e->pm;
}

SmPgMap *
sm_pg_open(Datum d)
{
	return sm_pg_open_memo(d, NULL);
}

SmPgMap *
sm_pg_open_memo(Datum d, SmPgOpenMemo *memo)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(d);
	SmPgMap    *pm;
	struct varlena *v;
	SmError		err;
	SmMap	   *m;

	if (VARATT_IS_EXTERNAL_ONDISK(raw))
	{
		struct varatt_external ve;

		VARATT_EXTERNAL_GET_POINTER(ve, raw);
		if (!VARATT_EXTERNAL_IS_COMPRESSED(ve))
		{
			uint32		total = (uint32) VARATT_EXTERNAL_GET_EXTSIZE(ve);

			if (cache_size_kb == 0 && (cache_bytes > 0 || pool.bytes > 0))
				enforce_limit();	/* the cache was just turned off */
			if (cache_size_kb > 0)
			{
				SmCacheKey	key = {ve.va_toastrelid, ve.va_valueid};

				return open_cached(raw, &key, total, memo);
			}
			else
			{
				SliceReader *unused;

				pm = palloc(sizeof(SmPgMap));
				pm_init(pm, open_slices(raw, CurrentMemoryContext, total, &unused),
						CurrentMemoryContext);
				return pm;
			}
		}
	}
	/* in memory, inline or compressed: the whole value */
	v = sm_pg_current_layout(PG_DETOAST_DATUM(d), "corrupt sourcemap value");
	sm_pg_error_init(&err);
	m = sm_open_buffer(&sm_pg_env, (const uint8_t *) VARDATA(v), VARSIZE(v) - VARHDRSZ, &err);
	if (m == NULL)
		sm_pg_report(&err, "corrupt sourcemap value");
	pm = palloc(sizeof(SmPgMap));
	pm_init(pm, m, CurrentMemoryContext);
	return pm;
}

void
sm_pg_close(SmPgMap *pm)
{
	SmCacheEntry *e = pm->entry;

	if (e == NULL)
	{
		sm_close(pm->map);
		return;
	}
	e->in_use = false;
	recount(e);
	enforce_limit();
}

/*
 * Text slots: a map's source or name texts, one TEXT_SLOT-byte slot per
 * index, made on first use.  A text that fits lies in its slot as a short
 * varlena (1-byte header), so a lookup in random order finds its answer's
 * text with one memory access instead of two (an array of pointers, then
 * the text); a longer one is palloc'd and the slot points to it.  The first
 * byte tells which: a short varlena header, or one of the marks below,
 * none of which is one.
 */
#define TEXT_SLOT 32
#define SLOT_EMPTY 0			/* not made yet */
#define SLOT_LONG 2				/* the text's address at offset 8 */
#define SLOT_NULL 4				/* a source that is null */

StaticAssertDecl(TEXT_SLOT - VARHDRSZ_SHORT <= VARATT_SHORT_MAX - VARHDRSZ_SHORT,
				 "a slot's text fits a short varlena");

/* An entry's slots (all empty), on first use, aligned so none straddles a cache line. */
static uint8 *
alloc_slots(SmPgMap *pm, uint32 n)
{
	uint8	   *p = MemoryContextAllocExtended(pm->cxt, add_size(mul_size(Max(n, 1), TEXT_SLOT), 64),
											   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

	return (uint8 *) TYPEALIGN(64, p);
}

/* Fill slot with text t (made in pm->cxt): copied into it, or pointed to. */
static void
fill_slot(uint8 *slot, text *t)
{
	Size		len = VARSIZE_ANY_EXHDR(t);

	if (VARHDRSZ_SHORT + len <= TEXT_SLOT)
	{
		memcpy(slot + VARHDRSZ_SHORT, VARDATA_ANY(t), len);
		SET_VARSIZE_SHORT(slot, VARHDRSZ_SHORT + len);
		pfree(t);
		return;
	}
	memcpy(slot + 8, &t, sizeof(t));
	slot[0] = SLOT_LONG;
}

/* The text Datum of a filled slot. */
static inline Datum
slot_datum(const uint8 *slot)
{
	text	   *t;

	if (slot[0] != SLOT_LONG)
		return PointerGetDatum(slot);
	memcpy(&t, slot + 8, sizeof(t));
	return PointerGetDatum(t);
}

/* Source idx with sourceRoot applied (the core's rule), as text in the current context. */
static Datum
make_source_text(SmPgMap *pm, uint32 idx, bool *isnull)
{
	SmError		err = {0};
	char	   *s;
	uint32_t	len;
	Datum		d;

	if (!sm_source_resolved(pm->map, idx, &s, &len, isnull, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	if (*isnull)
		return (Datum) 0;
	d = PointerGetDatum(sm_pg_text(s, len));
	pfree(s);
	return d;
}

/* Name idx as text in the current context. */
static Datum
make_name_text(SmPgMap *pm, uint32 idx)
{
	SmError		err = {0};
	SmStr		s;

	if (!sm_name(pm->map, idx, &s, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	return PointerGetDatum(sm_pg_text(s.ptr, s.len));
}

/*
 * A map keeps the text of every source and name it has returned, so that a
 * batch resolving a million frames makes each one once.  A map opened for
 * one call (not cached) that needs only a few makes them as asked: the
 * arrays for all of them (hundreds of KB for a large map) would cost a
 * single lookup more than the lookup itself.
 */
#define SM_FEW_TEXTS 32

static bool
few_texts(SmPgMap *pm)
{
	return pm->entry == NULL && ++pm->texts_made <= SM_FEW_TEXTS;
}

Datum
sm_pg_source_datum(SmPgMap *pm, uint32 idx, bool *isnull)
{
	uint8	   *slot;

	if (idx >= pm->info.sources)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("corrupt sourcemap value: source %u out of range", idx));
	if (few_texts(pm))
		return make_source_text(pm, idx, isnull);
	if (pm->source_slots == NULL)
		pm->source_slots = alloc_slots(pm, pm->info.sources);
	slot = pm->source_slots + (Size) idx * TEXT_SLOT;
	if (slot[0] == SLOT_EMPTY)
	{
		MemoryContext old = MemoryContextSwitchTo(pm->cxt);
		bool		null;
		Datum		d = make_source_text(pm, idx, &null);

		if (null)
			slot[0] = SLOT_NULL;
		else
			fill_slot(slot, DatumGetTextPP(d));
		MemoryContextSwitchTo(old);
	}
	*isnull = slot[0] == SLOT_NULL;
	return *isnull ? (Datum) 0 : slot_datum(slot);
}

Datum
sm_pg_name_datum(SmPgMap *pm, uint32 idx, bool *isnull)
{
	uint8	   *slot;

	if (idx >= pm->info.names)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("corrupt sourcemap value: name %u out of range", idx));
	*isnull = false;
	if (few_texts(pm))
		return make_name_text(pm, idx);
	if (pm->name_slots == NULL)
		pm->name_slots = alloc_slots(pm, pm->info.names);
	slot = pm->name_slots + (Size) idx * TEXT_SLOT;
	if (slot[0] == SLOT_EMPTY)
	{
		MemoryContext old = MemoryContextSwitchTo(pm->cxt);

		fill_slot(slot, DatumGetTextPP(make_name_text(pm, idx)));
		MemoryContextSwitchTo(old);
	}
	return slot_datum(slot);
}

uint32
sm_pg_find_source(SmPgMap *pm, text *name)
{
	SmError		err = {0};
	size_t		len;
	const char *s = sm_pg_to_utf8(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &len);
	uint32		idx = sm_find_source(pm->map, s, len, &err);

	if (idx == SM_NONE && err.code != SM_OK)
		sm_pg_report(&err, "corrupt sourcemap value");
	return idx;
}

void
sm_cache_stats(SmCacheStats *st)
{
	*st = stats;
	st->evictions += (int64) pool.evictions;
	st->entries = cache ? hash_get_num_entries(cache) : 0;
	st->bytes = (int64) cache_bytes + (pool_cxt ? (int64) pool.bytes : 0);
}

PG_FUNCTION_INFO_V1(sourcemap_cache_stats);

/* sourcemap_cache_stats(): this backend's cache counters as one row. */
Datum
sourcemap_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	SmCacheStats st;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	sm_cache_stats(&st);
	values[0] = Int64GetDatum(st.hits);
	values[1] = Int64GetDatum(st.misses);
	values[2] = Int64GetDatum(st.evictions);
	values[3] = Int64GetDatum(st.entries);
	values[4] = Int64GetDatum(st.bytes);
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
