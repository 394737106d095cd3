/*
 * sm_functions.h -- the FUNCTIONS section of a stored map: where the
 * original name of the function around a generated position comes from
 * (the generated code scanned at input, the ECMA-426 `scopes` field, or
 * this extension's own `x_sourcemap_functions` member), how an untrusted
 * one is checked, and how it is written out as JSON.  The table itself is
 * sm_functab.h; ingest (io/sm_build.c) puts it into the value.
 */
#ifndef SM_FUNCTIONS_H
#define SM_FUNCTIONS_H

#include "base/sm_buf.h"
#include "format/sm_map.h"
#include "json/sm_doc.h"

/*
 * The table a document carries by itself: from `x_sourcemap_functions`,
 * else from a well-formed `scopes` field (a malformed one, a proposal
 * still changing, is ignored).  Appends nothing when there is none.
 */
bool		sm_functions_from_doc(const char *json, const SmDoc *doc,
								  const SmEnv *env, SmBuf *out, SmError *err);

/* The table from the generated code of map, names resolved through the map. */
bool		sm_functions_from_source(SmMap *map, const char *js, size_t jslen, SmBuf *out,
									 SmError *err);

/*
 * Check an untrusted table completely: sm_functab_check, and that it is
 * the table its own breakpoints would encode to (so names are distinct and
 * a text dump and restore gives the same bytes).
 */
bool		sm_functions_check(const uint8_t *tab, size_t len, const SmEnv *env, SmError *err);

/* Append the table as JSON: [[line, column, "name" | "" (anonymous) | null], ...]. */
bool		sm_functions_to_json(const uint8_t *tab, size_t len, SmBuf *out, SmError *err);

#endif							/* SM_FUNCTIONS_H */
