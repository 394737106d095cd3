/*
 * sm_source_functions.h -- function names over the *original* code, as
 * Metro and Hermes (React Native) ship them in `x_facebook_sources`, and
 * the name a frame gets from them.
 *
 * `x_facebook_sources` is an array parallel to `sources`: per source null
 * or an array of metadata whose first item is null or a function map
 * {"names": [...], "mappings": "..."}.  Its mappings are VLQ segments of
 * [column delta, name delta, line delta]: ';' separates groups and resets
 * the column to 0, ',' separates segments, the line delta (optional, only
 * ever given on a group's first segment by Metro's encoder) moves the line;
 * lines start at 0 here (1 in Metro's memory form), name indexes run on
 * from segment to segment.  A position's function is the one of the last
 * segment at or before it (metro-symbolicate's SourceMetadataMapConsumer).
 *
 * At input each source's function map becomes a function table
 * (sm_functab.h) over that source's original positions, stored in the
 * SOURCE_FUNCTIONS section (layout in sm_format.h); the member itself is
 * kept verbatim in KEPT.
 */
#ifndef SM_SOURCE_FUNCTIONS_H
#define SM_SOURCE_FUNCTIONS_H

#include "base/sm_buf.h"
#include "format/sm_map.h"
#include "json/sm_doc.h"

/*
 * Decode the document's `x_facebook_sources` (doc->fb_sources, a span of
 * json) for a map of nsources sources into out (the SOURCE_FUNCTIONS
 * section; nothing appended when no source has functions).  Malformed
 * data is SM_E_SYNTAX naming the place and the byte offset.
 */
bool		sm_source_functions_decode(const char *json, const SmDoc *doc, uint32_t nsources,
									   const SmEnv *env, SmBuf *out, SmError *err);

/*
 * The function around original position (line, col) of source `source`:
 * 1 with *name (pointing into the stored value), 0 when the map says
 * nothing there (no `x_facebook_sources` for that source, before its first
 * function, or a function whose name is empty), -1 on error.
 */
int			sm_source_function_at(SmMap *m, uint32_t source, uint32_t line, uint32_t col,
								  SmStr *name, SmError *err);

/*
 * The original name of the function around a generated position, as
 * sourcemap_lookup_frame reports it: first the `x_facebook_sources` name at
 * the original position the position maps to (greatest lower bound, as a
 * lookup), as metro-symbolicate gives it precedence over everything else;
 * otherwise the function table (sm_function_at: `x_sourcemap_functions`,
 * `scopes` or the generated code).  Returns as sm_function_at.
 */
int			sm_frame_function(SmMap *m, uint32_t line, uint32_t col, SmStr *name,
							  bool *anonymous, SmError *err);

#endif							/* SM_SOURCE_FUNCTIONS_H */
