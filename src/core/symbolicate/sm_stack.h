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
 *   Hermes (React Native): the V8 lines, and
 *     at fn (address at url:1:offset)
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
 * - Eval frames: code run by eval or new Function has no URL of its own
 *   to join a map by.  The frame keeps its own position, as the engine
 *   prints it (V8: "<anonymous>:l:c"; SpiderMonkey: the whole
 *   "url line N > eval" as the URL), and the eval origin goes into
 *   frame.eval: the position of the eval call in a script, which a map can
 *   resolve, followed down through nested evals (V8's innermost
 *   "eval at f (url:l:c)" with f as its function; SpiderMonkey's first
 *   "url line N >", line N, no column, no function).  SM_FRAME_EVAL marks
 *   such frames; a V8 eval without its own position has an empty URL.
 * - Hermes (React Native): "at f (address at url:l:c)" is a frame of
 *   bytecode without debug information: "address at " is dropped from the
 *   URL, SM_FRAME_BYTECODE is set and the format is hermes_bytecode.  Its
 *   column is the bytecode offset, which the source map hermesc writes
 *   uses as its 0-based column (line 1 is the map's line 0): such a frame
 *   is looked up at (lineno - 1, colno), not colno - 1 (checked on real
 *   hermes output in sql/frames.sql).
 * - Format: each frame says which engine's format it was in
 *   (SmStackFormat).  The line alone often cannot tell: V8 and Hermes both
 *   print "at f (url:l:c)", SpiderMonkey and JavaScriptCore both
 *   "f@url:l:c".  A stack comes from one engine, so the marks of the whole
 *   stack decide: an "at" frame is hermes when any frame of the stack is
 *   ("address at ", or the URL InternalBytecode.js, Hermes's built-in
 *   code), else v8, and an "address at" frame is hermes_bytecode; an "@" frame is jsc when any frame has a mark of
 *   JavaScriptCore ("global code", "eval code", "module code",
 *   "[native code]", a bare location), spidermonkey when any has one of
 *   SpiderMonkey ("url line N > eval", a "cause*" prefix), else gecko
 *   (either); a bare location is jsc (old Safari).
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
 *   any length: long messages are common).  The frames are collected
 *   before any is handed to the callback (their format depends on the
 *   whole stack), so after such an error the callback has seen none.
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
#define SM_FRAME_BYTECODE 0x10	/* Hermes "address at": colno is a bytecode offset */

typedef enum SmStackSyntax
{
	SM_STACK_V8,				/* "at ..." lines */
	SM_STACK_GECKO,				/* "fn@url" lines (SpiderMonkey, JavaScriptCore) */
	SM_STACK_BARE				/* a location alone */
} SmStackSyntax;

/* The engine whose format a frame was in (see "Format" above). */
typedef enum SmStackFormat
{
	SM_FORMAT_V8,
	SM_FORMAT_HERMES,
	SM_FORMAT_HERMES_BYTECODE,	/* Hermes "address at": colno is a bytecode offset */
	SM_FORMAT_SPIDERMONKEY,
	SM_FORMAT_JSC,
	SM_FORMAT_GECKO				/* SpiderMonkey or JavaScriptCore: nothing tells */
} SmStackFormat;

/* "v8", "hermes", "hermes_bytecode", "spidermonkey", "jsc", "gecko". */
const char *sm_stack_format_name(SmStackFormat format);

/* Where the eval code of an SM_FRAME_EVAL frame was made (slices of the input). */
typedef struct SmEvalOrigin
{
	const char *function;		/* NULL when absent */
	size_t		function_len;
	const char *url;			/* NULL when the frame is not an eval frame */
	size_t		url_len;
	bool		has_lineno;
	bool		has_colno;
	uint32_t	lineno;			/* 1-based as printed */
	uint32_t	colno;
} SmEvalOrigin;

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
	SmStackFormat format;
	SmEvalOrigin eval;			/* set with SM_FRAME_EVAL */
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
