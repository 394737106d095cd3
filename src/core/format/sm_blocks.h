/*
 * sm_blocks.h -- mapping blocks: the encoder that cuts the sorted segment
 * stream into independently decodable, compressed blocks with an index, and
 * the decoder that checks a block completely while expanding it.
 */
#ifndef SM_BLOCKS_H
#define SM_BLOCKS_H

#include "base/sm_buf.h"
#include "base/sm_hash.h"
#include "format/sm_format.h"	/* the streams of a block, SM_BS_* */
#include "format/sm_map.h"

/*
 * Segments per block; a block ends at the first new position past this.
 * Larger blocks deflate better, smaller ones are quicker to decode on a cold
 * lookup; bench/README.md has the curve this knee was taken from.
 */
#ifndef SM_BLOCK_SEGMENTS
#define SM_BLOCK_SEGMENTS 1024
#endif
/*
 * libdeflate level for mapping blocks and string chunks (README.md, "From
 * source", has the measurements that chose it)
 */
#ifndef SM_BLOCK_ZLEVEL
#define SM_BLOCK_ZLEVEL 5
#endif


/* The running values of the block being filled (a run of pushes keeps a copy in registers). */
typedef struct SmBlockRun
{
	uint32_t	prev_line,
				prev_col;
	int64_t		src,
				oline,
				ocol,
				name;
	uint32_t	ocol_zeros;		/* zero deltas in SM_BS_OCOL ... */
	uint32_t	pred_zeros;		/* ... and in SM_BS_OCOL_PRED */
} SmBlockRun;

typedef struct SmBlockWriter
{
	SmBuf		stream[SM_BLOCK_STREAMS + 1];	/* the block being filled, per field */
	SmBlockRun	run;
	uint32_t	room;			/* segments every stream has room for (10 bytes each) */
	SmBuf		raw;			/* the streams joined, uncompressed */
	SmBuf		index;			/* BLOCK_INDEX section */
	SmBuf		data;			/* BLOCKS section */
	SmZ			z;
	SmHash		raw_hash;		/* of every raw block, for the content digest */
	SmError    *err;
	uint32_t	count;			/* segments in the current block */
	uint32_t	nblocks;
	uint64_t	total;			/* segments written */
	uint32_t	first_line,
				first_col;
} SmBlockWriter;

void		smbw_init(SmBlockWriter *w, const SmEnv *env, SmError *err);
/* Append a segment; segments must come in (line, column) order. */
bool		smbw_push(SmBlockWriter *w, const SmMapping *m);
/* smbw_push of v[0..n) in turn, in runs that keep the writer's state in registers */
bool		smbw_push_n(SmBlockWriter *w, const SmMapping *v, size_t n);
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
 * Decode the segments of a block from raw into out, starting at (line,
 * col); every value is checked: order, coordinates, indexes.  With stop
 * NULL all `count` segments are decoded and the block must end exactly
 * there.  Otherwise decoding ends after the first segment past *stop (a
 * lookup needs nothing further); *decoded says how many are in out.
 */
bool		sm_block_decode(const uint8_t *raw, size_t rawlen, uint32_t line, uint32_t col,
							uint32_t count, const SmBlockLimits *lim, const SmMapping *stop,
							SmMapping *out, uint32_t *decoded, SmError *err);

#endif							/* SM_BLOCKS_H */
