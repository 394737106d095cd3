/*
 * sm_json.h -- a strict RFC 8259 pull parser over a byte buffer.
 *
 * The caller asks for one token at a time and decides what to build: the
 * source map reader keeps spans of the strings it needs (no copy), skips
 * unknown members without building anything, and unescapes a string only
 * when it must.  Grammar, UTF-8 (no overlongs, no surrogates, nothing past
 * U+10FFFF), escapes (including surrogate pairs) and nesting depth are all
 * checked while tokenizing, so a span handed out is known to be valid.
 */
#ifndef SM_JSON_H
#define SM_JSON_H

#include "base/sm_buf.h"

/* Deepest nesting of arrays and objects accepted. */
#define SM_JSON_MAX_DEPTH 64

typedef enum SmJsonTok
{
	SMJ_ERROR = -1,				/* see the SmError passed to smj_init */
	SMJ_EOF = 0,				/* the single top-level value is complete */
	SMJ_OBJ_BEGIN,
	SMJ_OBJ_END,
	SMJ_ARR_BEGIN,
	SMJ_ARR_END,
	SMJ_KEY,					/* an object member name; span = its raw contents */
	SMJ_STRING,					/* span = raw contents between the quotes */
	SMJ_NUMBER,					/* span = the number's text */
	SMJ_TRUE,
	SMJ_FALSE,
	SMJ_NULL
} SmJsonTok;

typedef struct SmJson
{
	const char *buf;
	size_t		len;
	size_t		pos;			/* next byte to read */
	SmError    *err;
	const char *what;			/* context for error messages, e.g. "JSON" */
	/* the last token */
	size_t		tok_start;		/* byte offset of the span */
	size_t		tok_len;
	bool		tok_escaped;	/* string or key contains backslash escapes */
	/* parser state */
	int			depth;
	uint8_t		in_object[SM_JSON_MAX_DEPTH + 1];	/* per level: 1 object, 0 array */
	uint8_t		state;			/* internal */
} SmJson;

void		smj_init(SmJson *js, const char *buf, size_t len, SmError *err);

/* Next token, or SMJ_ERROR with *err set (message names the byte offset). */
SmJsonTok	smj_next(SmJson *js);

/* Skip the rest of a value whose first token was just returned. */
bool		smj_skip(SmJson *js, SmJsonTok first);

/* Does the last string/key token equal the NUL-terminated s (raw, unescaped compare)? */
bool		smj_key_is(const SmJson *js, const char *s);

/*
 * Decode a validated string span (from a token with tok_escaped set) into
 * dst, which must have room for len bytes (decoding never grows).  Returns
 * the decoded length.
 */
size_t		smj_unescape(const char *src, size_t len, char *dst);

/*
 * The same into a dst that does not overlap src (room for len bytes), faster
 * on text with many escapes; *nul says whether the decoded text has a NUL
 * byte (from \u0000), which a PostgreSQL text value cannot hold.
 */
size_t		smj_unescape_copy(const char *src, size_t len, char *dst, bool *nul);

/*
 * Interpret the last SMJ_NUMBER token as an integer.  Returns false if it
 * has a fraction or exponent part that is not integral, or is outside
 * [-2^53, 2^53].
 */
bool		smj_number_int(const SmJson *js, int64_t *out);

/*
 * Append the JSON text src (len bytes that the parser accepted) to out
 * without insignificant whitespace: every byte inside strings as written.
 */
bool		smj_minify_append(const char *src, size_t len, SmBuf *out);

#endif							/* SM_JSON_H */
