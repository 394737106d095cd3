/*
 * sm_cache.h -- opening stored maps for SQL functions: slice reads of
 * TOASTed values and a per-backend LRU cache of opened maps.
 *
 * A map stored out of line is never detoasted whole.  Opening it reads the
 * hot prefix (header, block index, string directories) as one slice; a
 * lookup then reads one block and the string chunks it returns.  Opened maps
 * are kept per backend, keyed by TOAST pointer and checked against the value's
 * header (again when the last check is a few seconds old: see header_matches),
 * within sourcemap.cache_size, so a batch job that resolves many frames
 * against a few maps decodes each part once.
 */
#ifndef SM_CACHE_H
#define SM_CACHE_H

#include "sm_compat.h"
#include "sm_core.h"

struct SmCacheEntry;

/* An opened map and the text Datums made from it so far. */
typedef struct SmPgMap
{
	SmMap	   *map;
	SmInfo		info;			/* counts, file, sourceRoot */
	MemoryContext cxt;			/* holds the map and the Datums below */
	/*
	 * The text of every source and name a lookup has returned, one slot
	 * each (sm_cache.c's text slots), allocated on first use.
	 */
	uint8	   *source_slots;
	uint8	   *name_slots;
	uint32		texts_made;		/* texts made without the arrays (not cached) */
	struct SmPgScopes *scopes;	/* the decoded `scopes` field (sourcemap_frames.c), in cxt;
								 * NULL until first asked for */
	struct SmCacheEntry *entry; /* NULL when not cached */
} SmPgMap;

/* Open the map in a sourcemap Datum (ERROR if damaged); pair with sm_pg_close. */
extern SmPgMap *sm_pg_open(Datum d);

/*
 * What one call site keeps between calls (in fn_extra, zeroed at first):
 * the cache entry it opened last.  sm_pg_open_memo is sm_pg_open that finds
 * that entry again without a hash lookup when the next value is the same
 * stored map and no entry has left the cache since; a per-frame lookup
 * called on the same map row after row skips most of the open.
 */
typedef struct SmPgOpenMemo
{
	Oid			toastrelid;
	Oid			valueid;
	struct SmCacheEntry *entry; /* NULL: empty */
	uint64		removals;		/* the cache's count of removed entries then */
} SmPgOpenMemo;

extern SmPgMap *sm_pg_open_memo(Datum d, SmPgOpenMemo *memo);
extern void sm_pg_close(SmPgMap *pm);

/* Resolved source idx / name idx as text Datums (valid until sm_pg_close). */
extern Datum sm_pg_source_datum(SmPgMap *pm, uint32 idx, bool *isnull);
extern Datum sm_pg_name_datum(SmPgMap *pm, uint32 idx, bool *isnull);

/*
 * The index of the first source whose resolved or raw name equals name
 * (text in the database encoding); SM_NONE when there is none.
 */
extern uint32 sm_pg_find_source(SmPgMap *pm, text *name);

/* Counters for sourcemap_cache_stats(). */
typedef struct SmCacheStats
{
	int64		hits;
	int64		misses;
	int64		evictions;
	int64		entries;
	int64		bytes;
} SmCacheStats;

extern void sm_cache_stats(SmCacheStats *st);

/* GUC setup, from _PG_init. */
extern void sm_cache_init(void);

#endif							/* SM_CACHE_H */
