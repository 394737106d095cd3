/*
 * sm_blocks.h -- mapping blocks: the encoder that cuts the sorted segment
 * stream into independently decodable, compressed blocks with an index, and
 * the decoder that checks a block completely while expanding it.
 */
#ifndef SM_BLOCKS_H
#define SM_BLOCKS_H

#include "sm_buf.h"
#include "sm_map.h"

/* Segments per block; a block ends at the first new position past this. */
#ifndef SM_BLOCK_SEGMENTS
#define SM_BLOCK_SEGMENTS 256
#endif
/* zlib level for mapping blocks and string chunks */
/* deflate window for blocks and string chunks, which are a few KB each */
#define SM_PART_WINDOW_BITS 12
#ifndef SM_BLOCK_ZLEVEL
#define SM_BLOCK_ZLEVEL 6
#endif

typedef struct SmBlockWriter
{
	SmBuf		raw;			/* the block being filled, uncompressed */
	SmBuf		index;			/* BLOCK_INDEX section */
	SmBuf		data;			/* BLOCKS section */
	SmZ			z;
	SmError    *err;
	uint32_t	count;			/* segments in the current block */
	uint32_t	nblocks;
	uint64_t	total;			/* segments written */
	uint32_t	first_line,
				first_col;
	uint32_t	prev_line,
				prev_col;
	int64_t		src,
				oline,
				ocol,
				name;
} SmBlockWriter;

void		smbw_init(SmBlockWriter *w, const SmEnv *env, SmError *err);
/* Append a segment; segments must come in (line, column) order. */
bool		smbw_push(SmBlockWriter *w, const SmMapping *m);
bool		smbw_finish(SmBlockWriter *w);
void		smbw_free(SmBlockWriter *w);

/* What the decoder checks a block against. */
typedef struct SmBlockLimits
{
	uint32_t	nsources;
	uint32_t	nnames;
	uint32_t	nlines;			/* generated lines */
} SmBlockLimits;

/*
 * Decode `count` segments from raw into out, starting at (line, col).
 * Every value is checked: order, coordinates, indexes, exact length.
 */
bool		sm_block_decode(const uint8_t *raw, size_t rawlen, uint32_t line, uint32_t col,
							uint32_t count, const SmBlockLimits *lim, SmMapping *out,
							SmError *err);

#endif							/* SM_BLOCKS_H */
