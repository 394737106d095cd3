/*
 * sm_url.h -- URLs as symbolication needs them: resolving a map's `sources`
 * against the map's own URL (ECMA-426 uses the WHATWG URL parser for that),
 * the keys under which the map of a frame's script may have been stored,
 * and the bundler prefixes (`webpack://`) in front of source paths.
 *
 * Resolving (sm_url_resolve) follows the WHATWG URL Standard's basic URL
 * parser and serializer, so the answer is what `new URL(relative,
 * base).href` gives in a browser or Node for:
 * - schemes (lowercased), special schemes (http, https, ws, wss, ftp,
 *   file: `\` is a slash, the path always starts with `/`, default ports
 *   dropped, `http:foo` relative to an http base) and every other scheme
 *   (`webpack://ns/a`: an opaque host kept as written; `data:...`: an opaque
 *   path, against which only `#fragment` resolves);
 * - absolute URLs, scheme-relative (`//host/p`), path-absolute (`/p`),
 *   path-relative references with `.` and `..` segments (also written
 *   `%2e`), query-only and fragment-only references;
 * - user info, ports (digits only, at most 65535), tabs and newlines
 *   removed and C0 controls and spaces trimmed, and percent-encoding of
 *   the characters each component's encode set names (non-ASCII bytes
 *   included), as Node 20 does (`^` in a path is left as is).
 * Not implemented, documented in the README: IDNA (a non-ASCII host is kept
 * as UTF-8 instead of Punycode), IPv4 forms other than dotted decimal
 * (`0x7f.1` stays as written), IPv6 compression (the address is kept as
 * written, lowercased), and Windows drive letters in `file:` URLs.
 *
 * A base that is not an absolute URL (no scheme: `/static/app.js.map`,
 * `dist/app.js.map`, or empty) is resolved as a path, which the URL
 * Standard would refuse: references resolve against it as against an
 * absolute URL, and the answer keeps the base's form (path-absolute or
 * path-relative; `..` cannot climb above the base's first segment).
 *
 * Candidates (sm_url_candidates) follow Sentry's symbolicator: the URL as
 * given, without its fragment, without query and fragment, then the same
 * with the scheme and host replaced by `~` (symbolicator's "any host"
 * form), then the bare path, and last the file name.  Nothing is
 * normalized: the keys are slices of the input, so they match what was
 * uploaded byte for byte.
 */
#ifndef SM_URL_H
#define SM_URL_H

#include "base/sm_env.h"

/*
 * Resolve `rel` against `base` (both UTF-8).  Returns 1 with *out (from
 * env, NUL-terminated, *out_len bytes), 0 when the URL parser fails (no
 * output), -1 on error (out of memory, or inputs over SM_URL_MAX_INPUT).
 */
#define SM_URL_MAX_INPUT ((size_t) 64 * 1024 * 1024)
int			sm_url_resolve(const char *base, size_t base_len, const char *rel, size_t rel_len,
						   const SmEnv *env, char **out, size_t *out_len, SmError *err);

/* One candidate key: "~" (when tilde) followed by the slice. */
typedef struct SmUrlCandidate
{
	bool		tilde;
	const char *ptr;
	size_t		len;
} SmUrlCandidate;

#define SM_URL_MAX_CANDIDATES 8

/* The candidate keys of url, most specific first, without duplicates; returns how many. */
int			sm_url_candidates(const char *url, size_t len,
							  SmUrlCandidate out[SM_URL_MAX_CANDIDATES]);

/*
 * The source path without a bundler's prefix, as a slice of source:
 * `webpack://<namespace>/` and `turbopack://<namespace>/` (with a first
 * segment `[project]` too), then every leading `./`.  Anything else is
 * returned whole.
 */
void		sm_url_strip_prefix(const char *source, size_t len, const char **out, size_t *out_len);

#endif							/* SM_URL_H */
