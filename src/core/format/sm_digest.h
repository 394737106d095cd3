/*
 * sm_digest.h -- the identity of a stored value: its content, not its bytes.
 *
 * Two values hold the same map when their content streams are equal.  A
 * value's content stream is, section by section, what the stored bytes say
 * once every compressed part is replaced by its raw bytes and every index
 * field that depends on compression (offsets into data sections, stored
 * lengths, compressed flags, the content kind raw or deflated) is left out:
 *   META              the header flags (u16), then the section as stored
 *   BLOCK_INDEX       per block: line, column, segment count, raw length (u32 each)
 *   SOURCES, NAMES    the 12-byte table header, then per chunk its raw length
 *   IGNORE, SOURCE_FUNCTIONS, FUNCTIONS   as stored
 *   SOURCES_DATA, NAMES_DATA, BLOCKS      the raw chunks / blocks in order
 *   CONTENT_INDEX     per source: raw length, 0 for null or 1 (u32 each)
 *   CONTENT           the raw text of every non-null entry in order
 *   KEPT              nothing when empty, else flags and raw length (u64
 *                     each), then the raw member text
 * So the same map written by zlib, by libdeflate at any level, or stored
 * raw has one content stream, and different maps have different ones.
 *
 * The content digest (stored in the header from format version 3) is
 *   sum over sections s of sm_digest_term(s, smh of s's content stream)
 * modulo 2^64: a writer that hashed some sections' raw parts as it wrote
 * them passes those hashes in, and replacing one section (the function
 * table) changes one term.  Order and equality of values come from the
 * digest first and the content streams second (sm_content_cmp), so they
 * are exact whatever the hash does.
 *
 * These functions read values in the current layout (format version 2 or
 * 3, all sections); a value of an older release is converted first
 * (io/sm_legacy.h).  Every offset and length is checked, so a damaged
 * value gives SM_E_BINARY, never a wild read.
 */
#ifndef SM_DIGEST_H
#define SM_DIGEST_H

#include "base/sm_env.h"
#include "base/sm_hash.h"
#include "format/sm_format.h"

/* Stream hashes of sections a writer already has (bit s of known set). */
typedef struct SmDigestParts
{
	uint64_t	hash[SM_NSECTIONS];
	uint32_t	known;
} SmDigestParts;

/* One section's term of the digest, from the hash of its content stream. */
static inline uint64_t
sm_digest_term(int sec, uint64_t stream_hash)
{
	return smh_mix(stream_hash + 0xA0761D6478BD642Full * (uint64_t) (sec + 1));
}

/* The hash of section sec's content stream, inflating what it must. */
bool		sm_section_hash(const uint8_t *v, size_t len, int sec, const SmEnv *env,
							uint64_t *out, SmError *err);

/*
 * The content digest of v, using parts->hash[s] for the sections known
 * there (parts may be NULL) and reading the others.
 */
bool		sm_digest_compute(const uint8_t *v, size_t len, const SmDigestParts *parts,
							  const SmEnv *env, uint64_t *out, SmError *err);

/* The digest in a header (len >= SM_HEADER_SIZE) of format version 3; false for others. */
bool		sm_header_digest(const uint8_t *h, size_t len, uint64_t *out);

/*
 * The digest of v: from the header for format version 3, computed (every
 * part inflated) for version 2.
 */
bool		sm_value_digest(const uint8_t *v, size_t len, const SmEnv *env, uint64_t *out,
							SmError *err);

/* For a format version 3 value: is the header's digest its content's? */
bool		sm_digest_check(const uint8_t *v, size_t len, const SmEnv *env, SmError *err);

/*
 * The total order of values: by digest, then (equal digests) by content
 * streams section by section, bytewise, a shorter prefix first.  *cmp is
 * -1, 0 or 1, and 0 exactly when the two hold the same content.  Values
 * with the same bytes are equal at once; others with equal digests are
 * compared inflating one part of each value at a time.
 */
bool		sm_content_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
						   const SmEnv *env, int *cmp, SmError *err);

#endif							/* SM_DIGEST_H */
