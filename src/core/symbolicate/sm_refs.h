/*
 * sm_refs.h -- find the references a generated JavaScript file carries to
 * its source map: the `//# sourceMappingURL=` comment and the
 * `//# debugId=` comment, so that ingestion can join a bundle to its map
 * by URL or by debug id.
 *
 * The URL is found with ECMA-426's "extract a source map URL from
 * JavaScript without parsing" (JavaScriptExtractSourceMapURL, section
 * "Linking through inline annotations"): the text is split at ECMAScript
 * line terminators (LF, CR, CRLF, U+2028, U+2029); on each line, after
 * any ECMAScript WhiteSpace, a line comment or a block comment that
 * closes on the same line is matched against
 * ^[@#]\s*sourceMappingURL=(\S*?)\s*$ (so `//@` is accepted too); any
 * other character is code and forgets the URL found so far.  The last
 * match not followed by code wins.  Where the specification's prose and
 * its JavaScript rendering differ, the rendering (which the text calls
 * equivalent) is followed: a block comment ends at its first star-slash,
 * and one left open on its line ends the line without forgetting the URL.
 * A `/` not starting a comment is code, as the prose says.  The lines are
 * scanned from the end and the scan stops at the first line that decides
 * the answer, so a large bundle costs only its tail.
 *
 * The debug id follows the debug-id proposal (tc39/ecma426
 * proposals/debug-id.md): the last 5 lines (an empty line after a final
 * terminator does not count) are examined for a line that is, apart from
 * ECMAScript WhiteSpace around it, `//# debugId=` followed by a UUID in
 * the canonical 8-4-4-4-12 form (any case); the one nearest the end wins.
 */
#ifndef SM_REFS_H
#define SM_REFS_H

#include "base/sm_env.h"

/* How many lines from the end are searched for the debugId comment. */
#define SM_DEBUG_ID_LINES 5

typedef struct SmRefs
{
	bool		has_url;
	const char *url;			/* slice of the source, not NUL-terminated */
	size_t		url_len;		/* may be 0: "//# sourceMappingURL=" */
	bool		has_debug_id;
	uint8_t		debug_id[16];
} SmRefs;

/* Scan a generated JavaScript source (UTF-8); polls env's interrupt hook. */
void		sm_scan_refs(const char *src, size_t len, const SmEnv *env, SmRefs *out);

/*
 * MatchSourceMapURL on the contents of one comment (without the comment
 * delimiters): true with the URL slice when it matches.
 */
bool		sm_match_source_mapping_url(const char *comment, size_t len, const char **url,
										size_t *url_len);

#endif							/* SM_REFS_H */
