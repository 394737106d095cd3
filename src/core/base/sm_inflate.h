/*
 * sm_inflate.h -- accept a source map document that arrives compressed.
 *
 * Maps are often stored and shipped gzip-compressed (".map.gz", HTTP
 * Content-Encoding) and a bytea column may hold one as it came.  This
 * module recognises raw bytes, gzip (RFC 1952) and zlib (RFC 1950) by
 * their first bytes and inflates the compressed kinds into a buffer whose
 * size the caller bounds, so that a small hostile input that expands to
 * gigabytes (a decompression bomb) is an SM_E_LIMIT error, never an
 * out-of-memory or a long stall: the output grows geometrically up to the
 * bound and the host's interrupt hook is polled between slices.
 *
 * Decisions:
 * - gzip: several concatenated members are accepted and their outputs
 *   concatenated, as gunzip does (RFC 1952 section 2.2); the bound applies
 *   to the total.  Bytes after the last member that do not start another
 *   member (trailing garbage, zero padding) are rejected.
 * - zlib: exactly one stream; trailing bytes are rejected, and so is a
 *   stream that needs a preset dictionary (FDICT).
 * - Detection: gzip is 1f 8b; zlib is a header with CM = 8 (deflate),
 *   CINFO <= 7 and (CMF * 256 + FLG) divisible by 31.  A source map is a
 *   JSON object, perhaps after whitespace or a byte order mark, and none
 *   of those bytes can start either header, so anything else is raw.
 * - Truncated or corrupt input is SM_E_SYNTAX naming the format, the input
 *   offset reached and how much had been produced.
 */
#ifndef SM_INFLATE_H
#define SM_INFLATE_H

#include "base/sm_env.h"

typedef enum SmCompression
{
	SM_COMP_NONE = 0,			/* raw bytes (JSON) */
	SM_COMP_GZIP,
	SM_COMP_ZLIB
} SmCompression;

/* What the first bytes say; fewer than two bytes are always raw. */
SmCompression sm_detect_compression(const uint8_t *data, size_t len);

/* "raw", "gzip" or "zlib". */
const char *sm_compression_name(SmCompression kind);

/*
 * Inflate a gzip or zlib document (kind from sm_detect_compression; not
 * SM_COMP_NONE, which is SM_E_ARGUMENT) into a new block from env.  The
 * block holds `prefix` unused bytes (room for a varlena header), then the
 * decompressed bytes, then one NUL byte not counted in *out_len; *out_len
 * counts the prefix and the data, as sm_build does.  More than max_out
 * decompressed bytes is SM_E_LIMIT.
 */
bool		sm_inflate_doc(const uint8_t *data, size_t len, SmCompression kind,
						   size_t max_out, size_t prefix, const SmEnv *env,
						   uint8_t **out, size_t *out_len, SmError *err);

#endif							/* SM_INFLATE_H */
