/*
 * sm_compose.h -- composing a chain of maps into one: a bundle minified
 * after bundling, TypeScript compiled then bundled.  The result maps the
 * last output straight back to the first sources, as @jridgewell/remapping
 * computes it.
 */
#ifndef SM_COMPOSE_H
#define SM_COMPOSE_H

#include "io/sm_io.h"

/*
 * Compose n >= 1 maps.  maps[0] is the last stage (it maps the final
 * output); each maps[k+1] maps the code that is a source of maps[k].  A
 * source of maps[k] is that code when maps[k] has exactly one source, or
 * else when its resolved name equals maps[k+1]'s "file"; every other source
 * is an original source and stays as it is.  A map with several sources
 * none of which names the next map is an SM_E_ARGUMENT error.
 *
 * Each segment of maps[0] is followed through the stages: a position is
 * looked up in the next map with the greatest-lower-bound bias on its line;
 * a segment whose position no segment covers is dropped, one that reaches a
 * 1-field segment (or a null or empty source) becomes a 1-field segment.
 * The name is that of the innermost named segment on the way.  Sources and
 * names are numbered in order of first use; sourcesContent and ignoreList
 * come from the original sources' own maps.  The result ("file" from
 * maps[0], no sourceRoot) is ingested as by sm_build into *out (prefix
 * bytes first, as sm_build).
 */
bool		sm_compose(SmMap *const *maps, uint32_t n, const SmEnv *env, size_t prefix,
					   uint8_t **out, size_t *out_len, SmError *err);

#endif							/* SM_COMPOSE_H */
