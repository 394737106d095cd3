/*
 * sm_stack.h -- parse a JavaScript `error.stack` string into frames, so
 * that a whole stack trace can be joined to stored maps (by URL or debug
 * id) and resolved in one SQL query.
 *
 * Engines and the frame lines recognised (leading whitespace ignored):
 *   V8 (Chrome, Node, Edge) and Chakra (old Edge)
 *     at fn (url:line:col)          at url:line:col
 *     at async fn (url:line:col)    at async url:line:col
 *     at new Foo (url:line:col)     at Foo.bar [as baz] (url:line:col)
 *     at fn (native)   at fn (<anonymous>)   at async Promise.all (index 0)
 *     at eval (eval at fn (url:line:col), <anonymous>:line:col)
 *   SpiderMonkey (Firefox) and JavaScriptCore (Safari)
 *     fn@url:line:col    @url:line:col    async*fn@url:line:col
 *     global code@url:line:col    fn@[native code]
 *     fn@url line N > eval:line:col
 *   and a bare url:line:col line (no whitespace), as old Safari printed.
 * Every other line (the message, possibly several lines of it, blank
 * lines, "... more frames") is skipped.
 *
 * Decisions:
 * - The location is split from the end: the last ":digits" is the column
 *   and the one before it the line (only one: a line, no column), so URLs
 *   may hold colons (http://x:8080/a.js:10:5, node:internal/x:1:2,
 *   C:\a.js:1:2).  Digits above 2^31-1 are not a position: the whole
 *   location is then the URL.  lineno and colno are 1-based, as the
 *   engines print them.
 * - V8's location is the text in the last balanced parentheses of the
 *   line, so URLs may hold balanced parentheses and spaces.
 * - "async " and "new " before a V8 function name, and a "cause*" prefix
 *   before a SpiderMonkey one ("async*", "promise callback*"), are
 *   removed from the name and reported as flags; the rest of the name is
 *   kept as printed ("Object.<anonymous>", "Foo.bar [as baz]",
 *   "global code").  An empty name is absent.
 * - Eval frames: code run by eval or new Function has no URL to join a map
 *   by, so the frame gets the position of the eval call in the script
 *   that made it: for V8 the innermost "eval at f (url:line:col)" origin
 *   (nested evals are followed down), for SpiderMonkey "url line N > eval"
 *   (line N, no column).  The position inside the evaluated code is
 *   dropped.  SM_FRAME_EVAL marks such frames.
 * - Frames without a position keep what the engine printed as their URL
 *   ("native", "<anonymous>", "[native code]", "index 0") with no lineno
 *   or colno; "native" and "[native code]" set SM_FRAME_NATIVE.
 * - A SpiderMonkey/JavaScriptCore line is only a frame when its location
 *   has a position, is "[native code]", is an eval location or is empty
 *   after a name (JavaScriptCore's "eval code@"), and its
 *   name has no whitespace (except JavaScriptCore's "global code",
 *   "eval code", "module code" and a "get "/"set " prefix), so that a
 *   message line holding an e-mail address is not taken for a frame.
 * - Limits: more than max_frames frames, or a frame line longer than
 *   max_line bytes, is SM_E_LIMIT (lines that are not frames may be of
 *   any length: long messages are common).
 */
#ifndef SM_STACK_H
#define SM_STACK_H

#include "base/sm_env.h"

#define SM_STACK_MAX_FRAMES 10000
#define SM_STACK_MAX_LINE 65536

/* Frame flags */
#define SM_FRAME_ASYNC 0x01		/* "at async ..." or "async*" */
#define SM_FRAME_CONSTRUCTOR 0x02	/* "at new ..." */
#define SM_FRAME_EVAL 0x04		/* position is that of the eval call */
#define SM_FRAME_NATIVE 0x08	/* "native" / "[native code]" */

typedef enum SmStackSyntax
{
	SM_STACK_V8,				/* "at ..." lines */
	SM_STACK_GECKO,				/* "fn@url" lines (SpiderMonkey, JavaScriptCore) */
	SM_STACK_BARE				/* a location alone */
} SmStackSyntax;

typedef struct SmFrame
{
	uint32_t	ord;			/* 0-based, in printed order (innermost call first) */
	const char *function;		/* slice of the input; NULL when absent */
	size_t		function_len;
	const char *url;			/* slice of the input; never NULL, may be empty */
	size_t		url_len;
	bool		has_lineno;
	bool		has_colno;
	uint32_t	lineno;			/* 1-based as printed */
	uint32_t	colno;			/* 1-based as printed */
	uint32_t	flags;			/* SM_FRAME_* */
	SmStackSyntax syntax;
} SmFrame;

typedef struct SmStackLimits
{
	uint32_t	max_frames;
	size_t		max_line;
} SmStackLimits;

/* Called for each frame; return false (with *err set) to stop with an error. */
typedef bool (*SmFrameFn) (void *ctx, const SmFrame *frame, SmError *err);

/*
 * Parse stack (not NUL-terminated; lines end in LF, CRLF or CR) and call
 * fn for every frame.  lim NULL means the SM_STACK_MAX_* defaults.  env
 * is used for interrupt polling only.
 */
bool		sm_stack_parse(const char *stack, size_t len, const SmStackLimits *lim,
						   const SmEnv *env, SmFrameFn fn, void *ctx, SmError *err);

/* The same, collecting the frames into an array from env (NULL when none). */
bool		sm_stack_parse_array(const char *stack, size_t len, const SmStackLimits *lim,
								 const SmEnv *env, SmFrame **frames, size_t *nframes,
								 SmError *err);

#endif							/* SM_STACK_H */
