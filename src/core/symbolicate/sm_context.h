/*
 * sm_context.h -- source context around a position: the lines before, the
 * line itself and the lines after, as symbolicators show under a frame.
 *
 * A source text (a sourcesContent entry, UTF-8) is split into lines once
 * into an SmLineIndex, an array of line starts, so that every later call
 * finds its lines in O(1).  Columns are UTF-16 code units, as in source
 * maps; this file also holds the UTF-16 column <-> byte offset helpers
 * and the line-terminator test the other text scanners share.
 *
 * Decisions:
 * - Line terminators follow ECMAScript (SM_LINES_JS): LF, CR, CRLF, and
 *   U+2028 / U+2029.  The tools that write source maps for JavaScript and
 *   TypeScript (Babel, TypeScript, esbuild) count lines that way, so the
 *   original line numbers in a map only agree with this split.
 *   SM_LINES_NEWLINE (LF, CR, CRLF only) is there for other languages.
 * - A terminator at the very end of the text does not start another,
 *   empty line ("a\n" has one line, "" none), as editors' "lines" and
 *   Sentry's source.lines() do.
 * - Trimming (sm_trim_line) is Sentry's: a line longer than 150 UTF-16
 *   units is cut to about 140 units with 60 before the column; a cut that
 *   leaves 5 units or fewer on a side is not made; at the end of the line
 *   the window slides left to keep 140 units.  Cut points never split a
 *   UTF-8 sequence or a surrogate pair: a start inside a character moves
 *   back to include it, an end inside one moves forward to include it.
 *   Every returned line (before, at and after) is trimmed around the same
 *   column, as Sentry does; without a column, lines are cut from the start.
 * - Invalid UTF-8 bytes count as one UTF-16 unit each (as U+FFFD would),
 *   so that no input can make a cut fall inside a sequence.
 */
#ifndef SM_CONTEXT_H
#define SM_CONTEXT_H

#include "base/sm_env.h"

typedef enum SmLineRule
{
	SM_LINES_JS = 0,			/* LF, CR, CRLF, U+2028, U+2029 */
	SM_LINES_NEWLINE			/* LF, CR, CRLF */
} SmLineRule;

/* Bytes of the line terminator starting at p (CRLF is 2), 0 if none. */
size_t		sm_newline_len(const char *p, const char *end, SmLineRule rule);

typedef struct SmLineIndex
{
	uint32_t	nlines;
	SmLineRule	rule;
	size_t		text_len;
	/* nlines + 1 offsets: line i is [starts[i], starts[i+1]) less its terminator */
	uint32_t   *starts;
} SmLineIndex;

/* Split text into lines (texts of 4 GB or more are SM_E_LIMIT). */
SmLineIndex *sm_line_index_build(const char *text, size_t len, SmLineRule rule,
								 const SmEnv *env, SmError *err);
void		sm_line_index_free(const SmEnv *env, SmLineIndex *idx);

/* Line `line` of text without its terminator; false if out of range. */
bool		sm_line_get(const SmLineIndex *idx, const char *text, uint32_t line,
						const char **ptr, size_t *len);

/* Number of UTF-16 code units in UTF-8 text. */
size_t		sm_utf16_length(const char *s, size_t len);

/*
 * Byte offset in a line of UTF-16 column col.  A column inside a surrogate
 * pair gives the offset of that character.  A column past the end gives
 * len and false.
 */
bool		sm_utf16_col_to_byte(const char *line, size_t len, uint32_t col, size_t *off);

/* One output line: a slice of the text and where "{snip}" markers go. */
typedef struct SmCtxLine
{
	const char *ptr;
	size_t		len;
	bool		snip_start;		/* render "{snip} " before the slice */
	bool		snip_end;		/* render " {snip}" after it */
} SmCtxLine;

#define SM_TRIM_THRESHOLD 150	/* lines longer than this (UTF-16 units) are cut */
#define SM_TRIM_WIDTH 140		/* to about this many units */
#define SM_TRIM_BEFORE 60		/* this many of them before the column */
#define SM_TRIM_EDGE 5			/* no cut that would leave this few units or fewer */
#define SM_SNIP_START "{snip} "
#define SM_SNIP_END " {snip}"

/* Trim a line around UTF-16 column col (0: from the start). */
SmCtxLine	sm_trim_line(const char *line, size_t len, uint32_t col);

/* Size of a line rendered with its markers, and rendering it into dst. */
size_t		sm_ctx_line_size(const SmCtxLine *l);
size_t		sm_ctx_line_render(const SmCtxLine *l, char *dst);

typedef struct SmContext
{
	uint32_t	first_line;		/* 0-based line number of lines[0] */
	uint32_t	npre;			/* lines[0 .. npre) come before the line */
	uint32_t	npost;			/* lines[npre + 1 ..] come after it */
	SmCtxLine  *lines;			/* npre + 1 + npost, lines[npre] is the line */
} SmContext;

/*
 * Up to `radius` lines before and after line `line` of text (which idx
 * was built from; a different length is SM_E_ARGUMENT), trimmed when
 * `trim` is set (around col when has_col, else from the start).  Returns
 * 1 with *out filled (free with sm_context_free), 0 when the line is out
 * of range, -1 on error.  Nothing is copied: lines point into text.
 */
int			sm_context_get(const SmLineIndex *idx, const char *text, size_t text_len,
						   uint32_t line, bool has_col, uint32_t col, uint32_t radius,
						   bool trim, const SmEnv *env, SmContext *out, SmError *err);
void		sm_context_free(const SmEnv *env, SmContext *ctx);

#endif							/* SM_CONTEXT_H */
