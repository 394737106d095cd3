/*
 * sm_map.h -- a stored source map and its reader: open a stored value and
 * answer questions from it (lookups, iteration, strings, contents).
 *
 * A stored map is a byte string in the layout of sm_format.h.  Readers open
 * it through a fetch callback so that the PostgreSQL glue can hand out
 * slices of a TOASTed value instead of the whole thing; sm_open_buffer()
 * covers the common case of a value already in memory.  All positions are
 * 0-based; columns are UTF-16 code units as in ECMA-426.  Building a stored
 * map, checking untrusted bytes and writing JSON are one layer up
 * (io/sm_io.h); the public interface as a whole is sm_core.h.
 */
#ifndef SM_MAP_H
#define SM_MAP_H

#include "base/sm_env.h"
#include "base/sm_pool.h"

/*
 * The fixed header in front of every stored value (its fields are
 * sm_format.h's).  It holds a checksum of the rest, so a cache can tell two
 * values apart by these bytes alone.  sm_format.h defines it too, so that it
 * stands alone (test/hard/mutate.c includes only it): the two definitions
 * must be identical, or every file that includes both fails to compile.
 */
#define SM_HEADER_SIZE		32

/* ---- reading --------------------------------------------------------- */

/*
 * Return a pointer to bytes [off, off+len) of the stored value, or NULL with
 * *err set.  With keep, the pointer must stay valid until sm_close;
 * without, the reader is done with it before its next call of fetch (a
 * block or content that it inflates or copies at once), so the callback
 * may free or reuse it then: a long-lived map does not pile up slices.
 */
typedef const uint8_t *(*SmFetchFn) (void *ctx, uint32_t off, uint32_t len, bool keep,
									 SmError *err);

typedef struct SmMap SmMap;		/* opaque; see sm_reader.c */

/* Open a stored value through fetch; checks the header and table of contents. */
SmMap	   *sm_open(const SmEnv *env, uint32_t total_len, SmFetchFn fetch, void *fetch_ctx,
					SmError *err);
/* Open a stored value that is entirely in memory (not copied). */
SmMap	   *sm_open_buffer(const SmEnv *env, const uint8_t *data, size_t len, SmError *err);
void		sm_close(SmMap *m);

/*
 * Keep mapping blocks for later lookups, packed (format/sm_packed.h), in a
 * pool of the map's own of budget bytes (0, the default, keeps only the
 * block decoded last); least recently used blocks go first.
 */
void		sm_set_block_cache(SmMap *m, size_t budget);
/*
 * Keep them instead in a pool shared with other maps (NULL: none); the
 * map's blocks leave the pool at sm_close, which must come before the
 * pool's end.
 */
void		sm_set_block_pool(SmMap *m, SmPool *pool);
/* Bytes of this map's blocks in its pool. */
size_t		sm_block_cache_bytes(const SmMap *m);

/* The environment the map was opened with (allocations are made from it). */
const SmEnv *sm_map_env(const SmMap *m);

typedef struct SmStr
{
	const char *ptr;			/* not NUL-terminated; valid until sm_close */
	uint32_t	len;
	bool		isnull;
} SmStr;

typedef struct SmInfo
{
	uint32_t	format_version;
	SmStr		file;
	SmStr		source_root;
	bool		has_debug_id;
	uint8_t		debug_id[16];
	uint64_t	segments;
	uint32_t	generated_lines;
	uint32_t	sources;
	uint32_t	names;
	uint32_t	stored_bytes;
} SmInfo;

bool		sm_info(SmMap *m, SmInfo *info, SmError *err);

typedef enum SmBias
{
	SM_BIAS_GLB,				/* last segment with column <= col on the line; first of equal columns */
	SM_BIAS_LUB,				/* first segment with column >= col on the line; last of equal columns */
	SM_BIAS_EXACT,				/* a segment starting exactly at col; first of equal columns */
	SM_BIAS_GLB_CROSS_LINE		/* last segment at or before (line, col), any earlier line */
} SmBias;

#define SM_NONE UINT32_MAX		/* no source / no name */

typedef struct SmMapping
{
	uint32_t	gen_line;
	uint32_t	gen_col;
	uint32_t	source;			/* SM_NONE for a 1-field segment */
	uint32_t	orig_line;
	uint32_t	orig_col;
	uint32_t	name;			/* SM_NONE when the segment has no name */
} SmMapping;

/*
 * Find the segment for a generated position.  Returns 1 and fills *out
 * when a segment is selected by the bias (out->source may be SM_NONE for a
 * 1-field segment), 0 when none is, -1 on error.
 */
int			sm_lookup(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out,
					  SmError *err);

/*
 * sm_lookup for n positions (lines[i], cols[i]), done in position order so
 * that each block is decoded once (sm_batch.c).  Frame i with skip[i]
 * (skip may be NULL) is left out.  found[i] tells whether out[i] holds a
 * segment.  False on error.
 */
bool		sm_lookup_batch(SmMap *m, const uint32_t *lines, const uint32_t *cols,
							const bool *skip, uint32_t n, SmBias bias, SmMapping *out,
							bool *found, SmError *err);

/* The function table (FUNCTIONS section) bytes; *len 0 when there is none. */
bool		sm_function_table(SmMap *m, const uint8_t **data, uint32_t *len, SmError *err);

/*
 * The SOURCE_FUNCTIONS section bytes (original position -> function name
 * per source, decoded from `x_facebook_sources`); *len 0 when there is none.
 */
bool		sm_source_function_tables(SmMap *m, const uint8_t **data, uint32_t *len,
									  SmError *err);

/*
 * The members of the document that the value keeps verbatim (KEPT
 * section): *text (from env, NUL-terminated; NULL when there are none) is
 * `"key":value` members joined by ',', *flags the SM_KEPT_* names of known
 * members.
 */
bool		sm_kept(SmMap *m, uint32_t *flags, char **text, uint32_t *len, SmError *err);

/* Iterate every segment in generated order (line, column, map order). */
typedef struct SmIter SmIter;
SmIter	   *sm_iter_begin(SmMap *m, SmError *err);
int			sm_iter_next(SmIter *it, SmMapping *out, SmError *err);	/* 1, 0 at end, -1 */
void		sm_iter_end(SmIter *it);

/* Raw `sources` entry, `names` entry (idx < count). */
bool		sm_source(SmMap *m, uint32_t idx, SmStr *out, SmError *err);
bool		sm_name(SmMap *m, uint32_t idx, SmStr *out, SmError *err);

/*
 * The source as the specification resolves it: sourceRoot, then "/" unless
 * sourceRoot is empty or already ends in "/", then the entry.  *out is
 * allocated from env (NULL with isnull set for a null entry).
 */
bool		sm_source_resolved(SmMap *m, uint32_t idx, char **out, uint32_t *out_len,
							   bool *isnull, SmError *err);

/* Index of the first source whose resolved or raw name equals s; SM_NONE if none. */
uint32_t	sm_find_source(SmMap *m, const char *s, size_t len, SmError *err);

bool		sm_source_ignored(SmMap *m, uint32_t idx);

/* Does the source have a (non-null) sourcesContent entry?  No decompression. */
bool		sm_source_has_content(SmMap *m, uint32_t idx, bool *has, SmError *err);

/* The source's sourcesContent entry, decompressed into a block from env. */
bool		sm_source_content(SmMap *m, uint32_t idx, char **out, uint32_t *out_len,
							  bool *isnull, SmError *err);

#endif							/* SM_MAP_H */
