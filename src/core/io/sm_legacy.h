/*
 * sm_legacy.h -- values stored by older releases.  Every path that reads
 * stored bytes sees only the current layout of sm_format.h: a value in an
 * older release's layout is converted first, in memory (the stored value
 * itself is never rewritten).
 *
 * Release 0.1.0 (commit 628bda8) stored format version 1 with ten sections
 * (no FUNCTIONS) and mapping blocks whose fields are interleaved segment by
 * segment; doc/FORMAT.md describes it.  Release 0.2.0 (commit 6c12612)
 * stored format version 1 with eleven sections: today's layout without the
 * KEPT and SOURCE_FUNCTIONS sections of version 2, which are empty for
 * every map it could store (sm_open reads it in place; what compares or
 * sends stored bytes converts it).  Development snapshots between the two also
 * wrote ten sections, with other block layouts; they were never released
 * and are refused, never misread: sm_legacy_convert checks every byte
 * against the 0.1.0 layout and how the 0.1.0 writer laid out its blocks.
 */
#ifndef SM_LEGACY_H
#define SM_LEGACY_H

#include "base/sm_env.h"

/*
 * Does the value (its first len bytes, at least the header) claim the
 * layout of an older release?  Looks at the header only.
 */
bool		sm_legacy_detect(const uint8_t *data, size_t len);

/*
 * Convert a whole value in release 0.1.0's or 0.2.0's layout into the
 * current layout, checking it completely as untrusted input (SM_E_BINARY
 * when it is not a valid value of that release).  The result has the
 * content sm_build makes of the map's JSON form today (for a 0.1.0 value,
 * its very bytes; a 0.2.0 value keeps its zlib-compressed parts), so it
 * compares equal to the same map stored by the current release.  Like sm_build, *out holds `prefix` unused bytes first and
 * *out_len counts them.
 */
bool		sm_legacy_convert(const uint8_t *data, size_t len, const SmEnv *env, size_t prefix,
							  uint8_t **out, size_t *out_len, SmError *err);

#endif							/* SM_LEGACY_H */
