/*
 * sm_format.h -- the stored form of a sourcemap value: the one place that
 * knows the byte layout.  doc/FORMAT.md describes the same layout in prose;
 * keep the two in step.
 *
 * All integers are little-endian and read through the bounds-checked helpers
 * below, never by casting pointers, so the layout has no alignment needs.
 *
 *   header   32 bytes   magic "SMAP", format version, flags, total length,
 *                       section count, checksum, content digest
 *                       (format/sm_digest.h; zero before version 3)
 *   toc      8 bytes per section: offset, length (from the start of the value)
 *   sections in the order of SmSection, contiguous, no gaps:
 *     META          counts, debug id, file, sourceRoot
 *     BLOCK_INDEX   per block: first line, first column, data offset,
 *                   segment count, raw length | compressed flag
 *     SOURCES       string table directory of the `sources` entries
 *     NAMES         string table directory of the `names` entries
 *     IGNORE        sorted, distinct source indexes on the ignore list
 *     SOURCES_DATA  the chunks of SOURCES
 *     NAMES_DATA    the chunks of NAMES
 *     BLOCKS        mapping blocks (zlib or raw), each decodable on its own
 *     CONTENT_INDEX per source: data offset, stored length, raw length, kind
 *     CONTENT       sourcesContent entries, each compressed on its own
 *     KEPT          the document's other members, verbatim (layout below), or empty
 *     SOURCE_FUNCTIONS  per source, original position -> enclosing function
 *                   name (decoded `x_facebook_sources`; layout below), or empty
 *     FUNCTIONS     the function table (generated position -> original
 *                   enclosing function name; layout below), or empty
 *
 * Everything a lookup needs besides one block and the string chunks it
 * returns (header, toc, META, BLOCK_INDEX, the string directories, IGNORE)
 * forms one prefix of the value: a cold lookup reads that prefix, one block
 * and one chunk per string, each as a single slice.
 *
 * Mapping block (before compression): each field in a stream of its own,
 * which deflates better than interleaved fields (SM_BS_* below):
 *   uvarint flags                  SM_BLOCK_OCOL_PREDICTED: OCOL is predicted
 *   uvarint length of HEAD, LINE, SOURCE, OLINE, OCOL  (NAME runs to the end)
 *   HEAD    per segment: uvarint colpart << 3 | has_name << 2 | has_source << 1 | new_line
 *   LINE    per new_line segment: uvarint line_step - 1 (colpart is then the column)
 *   SOURCE, OLINE, OCOL  per segment with a source: svarint deltas
 *   NAME    per segment with a name: svarint delta
 * Without new_line, colpart is the column's delta from the previous segment.
 * The first segment of a block starts from the index entry's line and
 * column; the source/line/column/name deltas start from zero.  In a
 * predicted block, OCOL holds the original column delta minus the generated
 * one for a segment on the previous one's line, source and original line.
 * Segments with the same (line, column) never straddle two blocks.
 * Release 0.1.0 interleaved the fields and had no FUNCTIONS section;
 * format version 1 (releases 0.1.0 and 0.2.0) had no KEPT and
 * SOURCE_FUNCTIONS sections (see sm_legacy.h); version 2 is version 3
 * without the content digest.
 *
 * String table directory: u32 count, u32 group_shift, u32 chunk count, then
 * per chunk u32 offset (into the matching _DATA section) and u32 raw length |
 * compressed flag.
 * Chunk k holds strings [k << group_shift, (k + 1) << group_shift), each as
 * uvarint (length + 1) and the bytes, or uvarint 0 for null.
 */
#ifndef SM_FORMAT_H
#define SM_FORMAT_H

#include <stdint.h>
#include <string.h>

#define SM_MAGIC			0x50414D53u /* "SMAP" read as a little-endian u32 */
#define SM_FORMAT_VERSION	3
/* version 2: the same layout with the digest field zero (unreleased 0.3.0 development) */
#define SM_FORMAT_VERSION_NODIGEST 2
#define SM_HEADER_SIZE		32	/* also in sm_map.h, for the glue (a mismatch will not compile) */
#define SM_TOC_ENTRY_SIZE	8
#define SM_TOC_OFFSET		0	/* u32: from the start of the value */
#define SM_TOC_LENGTH		4	/* u32 */

/* header fields (byte offsets) */
#define SM_H_MAGIC			0
#define SM_H_VERSION		4	/* u16 */
#define SM_H_FLAGS			6	/* u16 */
#define SM_H_TOTAL			8	/* u32: length of the stored form */
#define SM_H_NSECT			12	/* u32: SM_NSECTIONS */
#define SM_H_CHECKSUM		16	/* u64: sm_checksum() of everything after the prefix */
#define SM_H_DIGEST		24	/* u64: content digest (sm_digest.h); zero before version 3 */

#define SM_FLAG_DEBUG_ID	0x0001
#define SM_FLAGS_KNOWN		(SM_FLAG_DEBUG_ID)

typedef enum SmSection
{
	SM_SEC_META = 0,
	SM_SEC_BLOCK_INDEX,
	SM_SEC_SOURCES,
	SM_SEC_NAMES,
	SM_SEC_IGNORE,
	SM_SEC_SOURCES_DATA,
	SM_SEC_NAMES_DATA,
	SM_SEC_BLOCKS,
	SM_SEC_CONTENT_INDEX,
	SM_SEC_CONTENT,
	SM_SEC_KEPT,
	SM_SEC_SOURCE_FUNCTIONS,
	SM_SEC_FUNCTIONS,			/* last: attaching a table at input is an append */
	SM_NSECTIONS
} SmSection;

#define SM_PREFIX_SIZE		(SM_HEADER_SIZE + SM_NSECTIONS * SM_TOC_ENTRY_SIZE)

/*
 * Release 0.2.0 stored format version 1 with these eleven sections: all but
 * KEPT and SOURCE_FUNCTIONS, in the same layout.  The reader opens such a
 * value in place (both sections empty); whatever compares or rewrites
 * stored bytes converts it first (io/sm_legacy.h).
 */
#define SM_NSECTIONS_V020	11

/* META: fixed part, then file and sourceRoot as uvarint (len + 1 | 0 = null) + bytes */
#define SM_META_SOURCES		0	/* u32 */
#define SM_META_NAMES		4	/* u32 */
#define SM_META_LINES		8	/* u32: generated lines (';' count + 1) */
#define SM_META_BLOCKS		12	/* u32 */
#define SM_META_SEGMENTS	16	/* u64 */
#define SM_META_DEBUG_ID	24	/* 16 bytes, zero without SM_FLAG_DEBUG_ID */
#define SM_META_FIXED		40

/* BLOCK_INDEX entry */
#define SM_BI_LINE			0
#define SM_BI_COL			4
#define SM_BI_OFFSET		8	/* into the BLOCKS section */
#define SM_BI_COUNT			12
#define SM_BI_RAWLEN		16	/* raw length | SM_COMPRESSED */
#define SM_BI_SIZE			20

#define SM_COMPRESSED		0x80000000u

/* CONTENT_INDEX entry */
#define SM_CI_OFFSET		0	/* into the CONTENT section */
#define SM_CI_STORED		4
#define SM_CI_RAWLEN		8
#define SM_CI_KIND			12
#define SM_CI_SIZE			16

typedef enum SmContentKind
{
	SM_CONTENT_NULL = 0,
	SM_CONTENT_RAW = 1,
	SM_CONTENT_ZLIB = 2
} SmContentKind;

/* string table header */
#define SM_ST_COUNT			0
#define SM_ST_SHIFT			4
#define SM_ST_NCHUNKS		8
#define SM_ST_FIXED			12
#define SM_ST_CHUNK_SIZE	8	/* per chunk: */
#define SM_ST_C_OFFSET		0	/* u32: into the _DATA section */
#define SM_ST_C_RAWLEN		4	/* u32: raw length | SM_COMPRESSED */

/*
 * FUNCTIONS section: the function table (functions/sm_functab.h), empty
 * when the map has none.  Integers little-endian:
 *   header   16 bytes: magic "SMSC" u32, version u16, flags u16 (0),
 *            breakpoint count u32, name count u32
 *   breaks   12 bytes each: line u32, column u32, ref u32
 *   names    8 bytes each: offset u32 (into the string bytes), length u32
 *   string bytes: the names, UTF-8, back to back
 * ref is a name index, SM_FUNCTAB_ANON for an anonymous function or
 * SM_FUNCTAB_NONE for "outside every function".
 */
#define SM_FUNCTAB_MAGIC	0x43534D53u /* "SMSC" read as a little-endian u32 */
#define SM_FUNCTAB_VERSION	1
#define SM_FUNCTAB_H_MAGIC	0	/* u32 */
#define SM_FUNCTAB_H_VERSION 4	/* u16 */
#define SM_FUNCTAB_H_FLAGS	6	/* u16, 0 */
#define SM_FUNCTAB_H_NBREAKS 8	/* u32 */
#define SM_FUNCTAB_H_NNAMES 12	/* u32 */
#define SM_FUNCTAB_HEADER	16
#define SM_FUNCTAB_B_LINE	0	/* u32 */
#define SM_FUNCTAB_B_COL	4	/* u32 */
#define SM_FUNCTAB_B_REF	8	/* u32 */
#define SM_FUNCTAB_BREAK	12
#define SM_FUNCTAB_N_OFFSET 0	/* u32, into the string bytes */
#define SM_FUNCTAB_N_LENGTH 4	/* u32 */
#define SM_FUNCTAB_NAME		8
#define SM_FUNCTAB_NONE		0xFFFFFFFFu
#define SM_FUNCTAB_ANON		0xFFFFFFFEu

/*
 * KEPT section: empty when the document has nothing beyond what the other
 * sections hold.  Otherwise:
 *   uvarint flags        SM_KEPT_*
 *   uvarint raw length << 1 | deflated
 *   the member text, raw or raw-deflated: every member of the top-level
 *   object that no other section holds, `"key":value` as the input spelled
 *   it less insignificant whitespace, in input order, joined by ','.
 */
#define SM_KEPT_X_GOOGLE_IGNORE	1	/* the ignore list was named x_google_ignoreList */
#define SM_KEPT_DEBUG_ID_SNAKE	2	/* the debug id was named debug_id */
#define SM_KEPT_FLAGS_KNOWN		(SM_KEPT_X_GOOGLE_IGNORE | SM_KEPT_DEBUG_ID_SNAKE)

/*
 * SOURCE_FUNCTIONS section: empty, or
 *   u32 n (the number of sources)
 *   n x (u32 offset, u32 length): from the end of this directory
 *   the tables, back to back: for source i a function table (layout below,
 *   over original positions of that source) or nothing (length 0)
 */
#define SM_SF_COUNT			0
#define SM_SF_DIR			4
#define SM_SF_ENTRY			8

/*
 * Mapping block streams, in their order in a block.  The writer also keeps
 * the original column deltas "predicted" from the generated column delta
 * (code copied through unchanged moves both by the same amount) and stores
 * whichever version has more zeros, saying which in the block's flags.
 */
enum
{
	SM_BS_HEAD, SM_BS_LINE, SM_BS_SOURCE, SM_BS_OLINE, SM_BS_OCOL, SM_BS_NAME,
	SM_BLOCK_STREAMS,
	SM_BS_OCOL_PRED = SM_BLOCK_STREAMS	/* writer only */
};

/* block flags (first uvarint of a raw block) */
#define SM_BLOCK_OCOL_PREDICTED 1

/* Segment header bits */
#define SM_SEG_NEW_LINE		1
#define SM_SEG_HAS_SOURCE	2
#define SM_SEG_HAS_NAME		4
#define SM_SEG_SHIFT		3

/* The sections a lookup needs besides blocks and string chunks: 0 .. this. */
#define SM_SEC_LAST_HOT		SM_SEC_IGNORE

/* The largest line, column, or index a value may hold: SQL int4. */
#define SM_MAX_COORD		2147483647u

static inline uint16_t
sm_get16(const uint8_t *p)
{
	return (uint16_t) (p[0] | (p[1] << 8));
}

static inline uint32_t
sm_get32(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) |
		((uint32_t) p[3] << 24);
}

static inline uint64_t
sm_get64(const uint8_t *p)
{
	return (uint64_t) sm_get32(p) | ((uint64_t) sm_get32(p + 4) << 32);
}

static inline void
sm_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
}

static inline void
sm_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

static inline void
sm_put64(uint8_t *p, uint64_t v)
{
	sm_put32(p, (uint32_t) v);
	sm_put32(p + 4, (uint32_t) (v >> 32));
}

/*
 * The header checksum: a 64-bit mix of the bytes after the header and table
 * of contents.  It lets a cache tell two values apart by their header alone.
 */
static inline uint64_t
sm_checksum(const uint8_t *p, size_t n)
{
	uint64_t	h = 0x736f757263656d61ull ^ (uint64_t) n;
	size_t		i = 0;

	for (; i + 8 <= n; i += 8)
	{
		h ^= sm_get64(p + i);
		h *= 0x9E3779B97F4A7C15ull;
		h ^= h >> 31;
	}
	for (; i < n; i++)
	{
		h ^= p[i];
		h *= 0x100000001B3ull;
	}
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return h ^ (h >> 32);
}

#endif							/* SM_FORMAT_H */
