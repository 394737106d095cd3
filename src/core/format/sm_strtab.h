/*
 * sm_strtab.h -- string tables (`sources`, `names`): strings grouped into
 * chunks of 2^shift entries, each chunk compressed on its own, so that
 * string i is found in O(1) by decompressing one chunk.  Layout in
 * sm_format.h.
 */
#ifndef SM_STRTAB_H
#define SM_STRTAB_H

#include "base/sm_buf.h"
#include "base/sm_hash.h"
#include "format/sm_map.h"

/* Aim for chunks of about this many raw bytes. */
#define SM_STRTAB_CHUNK_BYTES 4096
#define SM_STRTAB_MAX_SHIFT 16

typedef struct SmStrtabWriter
{
	uint32_t	shift;
	uint32_t	count;
	uint32_t	nchunks;
	SmBuf		chunk;			/* raw bytes of the chunk being filled */
	SmBuf		dir;			/* per chunk: offset, raw length | flag */
	SmBuf		data;			/* compressed chunks */
	SmZ		   *z;
	SmHash		raw_hash;		/* of every raw chunk, for the content digest */
	SmError    *err;
} SmStrtabWriter;

/* Group size for `count` strings of `bytes` raw bytes in all. */
uint32_t	smst_choose_shift(uint64_t bytes, uint32_t count);

void		smst_init(SmStrtabWriter *w, const SmEnv *env, SmError *err, SmZ *z,
					  uint32_t shift);
/* Append a string (or null); s must be valid text. */
bool		smst_add(SmStrtabWriter *w, const char *s, size_t n, bool isnull);
/* Write the finished table: header and directory to dir, chunks to data. */
bool		smst_finish(SmStrtabWriter *w, SmBuf *dir, SmBuf *data);
void		smst_free(SmStrtabWriter *w);

/*
 * Find entry k of a decompressed chunk.  Returns false if the chunk is
 * malformed before entry k.
 */
bool		smst_chunk_entry(const uint8_t *raw, size_t len, uint32_t k, SmStr *out);

/*
 * Check a decompressed chunk completely: exactly `entries` well-formed
 * strings of valid text filling it.
 */
bool		smst_chunk_check(const uint8_t *raw, size_t len, uint32_t entries);

#endif							/* SM_STRTAB_H */
