/*
 * sm_io.h -- a whole source map in and out of the stored form: ingest one
 * from JSON (with the function names of its generated code when given),
 * check one that arrived as untrusted bytes, and write one out as JSON.
 */
#ifndef SM_IO_H
#define SM_IO_H

#include "format/sm_map.h"

/*
 * Ingest, the one way into the stored form: parse and validate a source map
 * (regular or index map) and encode it.  On success *out is a block from
 * env->alloc holding `prefix` unused bytes (room for a varlena header)
 * followed by the stored form; *out_len counts both.  The same input always
 * gives the same bytes.
 *
 * Original function names: without js (NULL), those the document carries
 * (`x_sourcemap_functions`, else a well-formed `scopes` field).  With js,
 * the generated (minified) code the map belongs to, UTF-8, jslen bytes: its
 * functions are found by scanning it and their names mapped back through
 * the map, replacing any table the document carried.
 */
bool		sm_ingest(const char *json, size_t len, const char *js, size_t jslen,
					  const SmEnv *env, size_t prefix, uint8_t **out, size_t *out_len,
					  SmError *err);

/* sm_ingest without generated code. */
static inline bool
sm_build(const char *json, size_t len, const SmEnv *env, size_t prefix, uint8_t **out,
		 size_t *out_len, SmError *err)
{
	return sm_ingest(json, len, NULL, 0, env, prefix, out, out_len, err);
}

/* sm_ingest with the generated code js (never NULL: "" is code without functions). */
static inline bool
sm_build_with_source(const char *json, size_t len, const char *js, size_t jslen,
					 const SmEnv *env, size_t prefix, uint8_t **out, size_t *out_len,
					 SmError *err)
{
	return sm_ingest(json, len, js ? js : "", jslen, env, prefix, out, out_len, err);
}

/*
 * Check a stored form completely, as for untrusted input (binary recv),
 * including that its JSON form fits SM_MAX_DOCUMENT_BYTES (SM_E_LIMIT).
 */
bool		sm_validate(const uint8_t *data, size_t len, const SmEnv *env, SmError *err);

/*
 * Canonical JSON of the map, with `prefix` unused bytes in front (as
 * sm_build); the text is NUL-terminated, and *out_len counts the prefix
 * but not the NUL.
 */
bool		sm_to_json(SmMap *m, size_t prefix, char **out, size_t *out_len, SmError *err);

/*
 * The length in bytes of sm_to_json's text (without its prefix and NUL),
 * measured without keeping it.
 */
bool		sm_json_size(SmMap *m, uint64_t *size, SmError *err);

#endif							/* SM_IO_H */
