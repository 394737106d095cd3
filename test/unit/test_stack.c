/*
 * test_stack.c -- unit test of the error.stack parser (sm_stack.h).
 *
 * sourcemap_parse_stack() turns what the browser or Node printed into
 * rows to join to stored maps, so every engine's frame syntax must give
 * the right function, URL, line and column, and nothing else (message
 * lines, e-mail addresses, "... more" lines) may become a frame.  The
 * traces below were written for this test in the shape each engine
 * prints: Chrome, Node, old Edge, Firefox, Safari and old Safari, with
 * async, constructor, eval, native and position-less frames, URLs with
 * ports, colons, spaces and parentheses, and Windows paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolicate/sm_stack.h"
#include "test_util.h"

/* A Want leaves out the eval origin, except for eval frames. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static TuCounts counts;

#define NOPOS -1

/* What a frame should be; NULL function is absent; NOPOS line/col absent. */
typedef struct Want
{
	const char *function;
	const char *url;
	long		line;
	long		col;
	uint32_t	flags;
	/* the eval origin: none when eval_url is NULL */
	const char *eval_function;
	const char *eval_url;
	long		eval_line;
	long		eval_col;
} Want;

/* Is the slice (ptr, len) the string want (both NULL counts)? */
static bool
same(const char *ptr, size_t len, const char *want)
{
	if (want == NULL || ptr == NULL)
		return want == NULL && ptr == NULL;
	return len == strlen(want) && memcmp(ptr, want, len) == 0;
}

/* Compare a frame's eval origin with its expectation. */
static void
check_origin(const char *what, size_t i, const SmEvalOrigin *o, const Want *w)
{
	bool		line_ok,
				col_ok;

	tu_check(&counts, same(o->url, o->url_len, w->eval_url), "%s frame %zu: eval url %s, expected %s",
			 what, i, tu_show(o->url, o->url_len, o->url == NULL),
			 tu_show(w->eval_url, w->eval_url ? strlen(w->eval_url) : 0, w->eval_url == NULL));
	if (w->eval_url == NULL)
		return;
	tu_check(&counts, same(o->function, o->function_len, w->eval_function),
			 "%s frame %zu: eval function %s, expected %s", what, i,
			 tu_show(o->function, o->function_len, o->function == NULL),
			 tu_show(w->eval_function, w->eval_function ? strlen(w->eval_function) : 0,
					 w->eval_function == NULL));
	line_ok = w->eval_line == NOPOS ? !o->has_lineno : (o->has_lineno && o->lineno == w->eval_line);
	col_ok = w->eval_col == NOPOS ? !o->has_colno : (o->has_colno && o->colno == w->eval_col);
	tu_check(&counts, line_ok && col_ok, "%s frame %zu: eval position %ld:%ld, expected %ld:%ld",
			 what, i, o->has_lineno ? (long) o->lineno : NOPOS,
			 o->has_colno ? (long) o->colno : NOPOS, w->eval_line, w->eval_col);
}

/* Compare one frame with its expectation. */
static void
check_frame(const char *what, size_t i, const SmFrame *f, const Want *w)
{
	bool		fn_ok = w->function == NULL ? f->function == NULL :
		(f->function != NULL && f->function_len == strlen(w->function) &&
		 memcmp(f->function, w->function, f->function_len) == 0);
	bool		url_ok = f->url != NULL && f->url_len == strlen(w->url) &&
		memcmp(f->url, w->url, f->url_len) == 0;
	bool		line_ok = w->line == NOPOS ? !f->has_lineno : (f->has_lineno && f->lineno == w->line);
	bool		col_ok = w->col == NOPOS ? !f->has_colno : (f->has_colno && f->colno == w->col);

	tu_check(&counts, f->ord == i, "%s frame %zu: ord %u", what, i, f->ord);
	tu_check(&counts, fn_ok, "%s frame %zu: function %s, expected %s", what, i,
			 tu_show(f->function, f->function_len, f->function == NULL),
			 tu_show(w->function, w->function ? strlen(w->function) : 0, w->function == NULL));
	tu_check(&counts, url_ok, "%s frame %zu: url %s, expected %s", what, i,
			 tu_show(f->url, f->url_len, f->url == NULL), tu_show(w->url, strlen(w->url), false));
	tu_check(&counts, line_ok && col_ok, "%s frame %zu: position %ld:%ld, expected %ld:%ld", what, i,
			 f->has_lineno ? (long) f->lineno : NOPOS, f->has_colno ? (long) f->colno : NOPOS,
			 w->line, w->col);
	tu_check(&counts, f->flags == w->flags, "%s frame %zu: flags %#x, expected %#x", what, i,
			 f->flags, w->flags);
	check_origin(what, i, &f->eval, w);
}

/* Parse stack and compare all frames. */
static void
expect_frames(const char *what, const char *stack, const Want *want, size_t nwant,
			  SmStackSyntax syntax, SmStackFormat format)
{
	SmFrame    *frames = NULL;
	size_t		n = 0;
	SmError		err = {0};
	size_t		i;

	if (!tu_check(&counts, sm_stack_parse_array(stack, strlen(stack), NULL, &sm_malloc_env,
												&frames, &n, &err), "%s: %s", what, err.msg))
		return;
	tu_check(&counts, n == nwant, "%s: %zu frames, expected %zu", what, n, nwant);
	for (i = 0; i < n && i < nwant; i++)
	{
		/* an "address at" frame has a format of its own */
		SmStackFormat want_format = (want[i].flags & SM_FRAME_BYTECODE) ?
			SM_FORMAT_HERMES_BYTECODE : format;

		check_frame(what, i, &frames[i], &want[i]);
		tu_check(&counts, want[i].url[0] == 0 || frames[i].syntax == syntax ||
				 frames[i].syntax == SM_STACK_BARE, "%s frame %zu: syntax %d", what, i,
				 (int) frames[i].syntax);
		tu_check(&counts, frames[i].format == want_format, "%s frame %zu: format %s, expected %s",
				 what, i, sm_stack_format_name(frames[i].format), sm_stack_format_name(want_format));
	}
	sm_free(&sm_malloc_env, frames);
}

#define EXPECT(what, stack, syntax, format, ...) \
	do { \
		static const Want want_[] = {__VA_ARGS__}; \
		expect_frames(what, stack, want_, sizeof(want_) / sizeof(want_[0]), syntax, format); \
	} while (0)

#define MAIN "https://app.example.com/static/js/main.3f2a1c.js"

/* Chrome: named, anonymous, constructor, async, native, eval and aliased frames. */
static void
test_chrome(void)
{
	EXPECT("chrome",
		   "TypeError: Cannot read properties of undefined (reading 'map')\n"
		   "    at renderList (" MAIN ":2:10457)\n"
		   "    at Object.onClick (" MAIN ":2:98113)\n"
		   "    at HTMLButtonElement.<anonymous> (https://app.example.com:8443/assets/vendor.js:1:2044)\n"
		   "    at new Widget (" MAIN ":2:500)\n"
		   "    at " MAIN ":2:77\n"
		   "    at Array.forEach (<anonymous>)\n"
		   "    at async Promise.all (index 0)\n"
		   "    at async loadAll (https://app.example.com/static/js/chunk(1).js:1:900)\n"
		   "    at eval (eval at compile (" MAIN ":2:3000), <anonymous>:1:15)\n"
		   "    at Foo.bar [as baz] (webpack-internal:///./src/foo.ts:12:7)\n"
		   "    at <anonymous>\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {"renderList", MAIN, 2, 10457, 0},
		   {"Object.onClick", MAIN, 2, 98113, 0},
		   {"HTMLButtonElement.<anonymous>", "https://app.example.com:8443/assets/vendor.js", 1, 2044, 0},
		   {"Widget", MAIN, 2, 500, SM_FRAME_CONSTRUCTOR},
		   {NULL, MAIN, 2, 77, 0},
		   {"Array.forEach", "<anonymous>", NOPOS, NOPOS, 0},
		   {"Promise.all", "index 0", NOPOS, NOPOS, SM_FRAME_ASYNC},
		   {"loadAll", "https://app.example.com/static/js/chunk(1).js", 1, 900, SM_FRAME_ASYNC},
		   {"eval", "<anonymous>", 1, 15, SM_FRAME_EVAL, "compile", MAIN, 2, 3000},
		   {"Foo.bar [as baz]", "webpack-internal:///./src/foo.ts", 12, 7, 0},
		   {NULL, "<anonymous>", NOPOS, NOPOS, 0});
}

/* Node: node: URLs, Windows paths with spaces and parentheses, nested eval. */
static void
test_node(void)
{
	EXPECT("node",
		   "Error: ENOENT: no such file or directory, open '/etc/app/config.json'\n"
		   "    at Object.openSync (node:fs:601:3)\n"
		   "    at Object.readFileSync (node:fs:469:35)\n"
		   "    at loadConfig (/srv/app/dist/server.js:1:48213)\n"
		   "    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n"
		   "    at node:internal/main/run_main_module:28:49\n"
		   "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
		   "    at async file:///srv/app/dist/main.mjs:3:1\n"
		   "    at Foo.bar [as baz] (C:\\Users\\dev\\app\\dist\\index.js:10:5)\n"
		   "    at fn (C:\\Program Files\\app (x86)\\lib.js:7:1)\n"
		   "    at eval (eval at outer (eval at run (/srv/app/x.js:3:9), <anonymous>:2:5), <anonymous>:1:1)\n"
		   "    at Array.map (native)\n"
		   "    ... 2 lines matching cause stack trace ...\n"
		   "    at Object.<anonymous> (/srv/app/dist/server.js:1:7)\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {"Object.openSync", "node:fs", 601, 3, 0},
		   {"Object.readFileSync", "node:fs", 469, 35, 0},
		   {"loadConfig", "/srv/app/dist/server.js", 1, 48213, 0},
		   {"Module._compile", "node:internal/modules/cjs/loader", 1376, 14, 0},
		   {NULL, "node:internal/main/run_main_module", 28, 49, 0},
		   {"process.processTicksAndRejections", "node:internal/process/task_queues", 95, 5, 0},
		   {NULL, "file:///srv/app/dist/main.mjs", 3, 1, SM_FRAME_ASYNC},
		   {"Foo.bar [as baz]", "C:\\Users\\dev\\app\\dist\\index.js", 10, 5, 0},
		   {"fn", "C:\\Program Files\\app (x86)\\lib.js", 7, 1, 0},
		   {"eval", "<anonymous>", 1, 1, SM_FRAME_EVAL, "run", "/srv/app/x.js", 3, 9},
		   {"Array.map", "native", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {"Object.<anonymous>", "/srv/app/dist/server.js", 1, 7, 0});
}

/* Old Edge (Chakra): three-space indent, names with spaces, CRLF. */
static void
test_edge_legacy(void)
{
	EXPECT("edge (chakra)",
		   "TypeError: Unable to get property 'x' of undefined or null reference\r\n"
		   "   at handle (http://example.com/js/app.min.js:1:2345)\r\n"
		   "   at Anonymous function (http://example.com/js/app.min.js:1:99)\r\n"
		   "   at Global code (http://example.com/index.html:12:3)\r\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {"handle", "http://example.com/js/app.min.js", 1, 2345, 0},
		   {"Anonymous function", "http://example.com/js/app.min.js", 1, 99, 0},
		   {"Global code", "http://example.com/index.html", 12, 3, 0});
}

/* Firefox: anonymous, async causes, eval locations, odd URL schemes. */
static void
test_firefox(void)
{
	EXPECT("firefox",
		   "renderList@" MAIN ":2:10457\n"
		   "onClick/<@" MAIN ":2:98113\n"
		   "@" MAIN ":2:77\n"
		   "async*loadAll@https://app.example.com/static/js/chunk.js:1:900\n"
		   "promise callback*init@https://app.example.com/static/js/main.js:1:10\n"
		   "evalFn@https://app.example.com/static/js/main.js line 2 > eval:1:15\n"
		   "@https://app.example.com/a.js line 10 > Function:1:1\n"
		   "nested@https://app.example.com/b.js line 7 > eval line 1 > eval:3:2\n"
		   "Widget@http://localhost:8080/js/widget.js:44:9\n"
		   "dispatch@resource://gre/modules/Dispatcher.sys.mjs:12:3\n"
		   "@debugger eval code:1:1\n"
		   "Foo</this.bar@blob:https://app.example.com/6c1f-42:5:11\n"
		   "\n",
		   SM_STACK_GECKO, SM_FORMAT_SPIDERMONKEY,
		   {"renderList", MAIN, 2, 10457, 0},
		   {"onClick/<", MAIN, 2, 98113, 0},
		   {NULL, MAIN, 2, 77, 0},
		   {"loadAll", "https://app.example.com/static/js/chunk.js", 1, 900, SM_FRAME_ASYNC},
		   {"init", "https://app.example.com/static/js/main.js", 1, 10, SM_FRAME_ASYNC},
		   {"evalFn", "https://app.example.com/static/js/main.js line 2 > eval", 1, 15, SM_FRAME_EVAL,
		   NULL, "https://app.example.com/static/js/main.js", 2, NOPOS},
		   {NULL, "https://app.example.com/a.js line 10 > Function", 1, 1, SM_FRAME_EVAL,
		   NULL, "https://app.example.com/a.js", 10, NOPOS},
		   {"nested", "https://app.example.com/b.js line 7 > eval line 1 > eval", 3, 2, SM_FRAME_EVAL,
		   NULL, "https://app.example.com/b.js", 7, NOPOS},
		   {"Widget", "http://localhost:8080/js/widget.js", 44, 9, 0},
		   {"dispatch", "resource://gre/modules/Dispatcher.sys.mjs", 12, 3, 0},
		   {NULL, "debugger eval code", 1, 1, 0},
		   {"Foo</this.bar", "blob:https://app.example.com/6c1f-42", 5, 11, 0});
}

/* Safari and old Safari: native code, "global code", bare locations. */
static void
test_safari(void)
{
	EXPECT("safari",
		   "renderList@" MAIN ":2:10457\n"
		   "forEach@[native code]\n"
		   "global code@https://app.example.com/index.html:20:14\n"
		   "eval code@\n"
		   "eval@[native code]\n"
		   "module code@https://app.example.com/m.js:1:8\n"
		   "get value@https://app.example.com/m.js:5:17\n"
		   "@https://app.example.com/m.js:9:3\n",
		   SM_STACK_GECKO, SM_FORMAT_JSC,
		   {"renderList", MAIN, 2, 10457, 0},
		   {"forEach", "[native code]", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {"global code", "https://app.example.com/index.html", 20, 14, 0},
		   {"eval code", "", NOPOS, NOPOS, 0},
		   {"eval", "[native code]", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {"module code", "https://app.example.com/m.js", 1, 8, 0},
		   {"get value", "https://app.example.com/m.js", 5, 17, 0},
		   {NULL, "https://app.example.com/m.js", 9, 3, 0});
	EXPECT("old safari (bare locations)",
		   "http://example.com/js/app.js:47:22\n"
		   "[native code]\n"
		   "http://example.com/js/app.js:12:3\n",
		   SM_STACK_BARE, SM_FORMAT_JSC,
		   {NULL, "http://example.com/js/app.js", 47, 22, 0},
		   {NULL, "[native code]", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {NULL, "http://example.com/js/app.js", 12, 3, 0});
}

/*
 * V8 eval frames: the frame's own position in the eval code, the origin in
 * the script (the issue's example from ajv), nested evals, an eval origin
 * without a frame position of its own.
 */
static void
test_v8_eval(void)
{
	EXPECT("v8 eval",
		   "Error: invalid\n"
		   "    at OrderService.validate10 [as validate] (eval at c (https://shop.example/bundle.min.js:4:27458), <anonymous>:3:278)\n"
		   "    at new Function (eval at <anonymous> (/srv/a.js:1:2), <anonymous>:1:9)\n"
		   "    at render (eval at compile (eval at load (eval at boot (/srv/t.js:9:8), <anonymous>:7:6), <anonymous>:5:4), <anonymous>:3:2)\n"
		   "    at f (eval at g (/srv/b.js:1:2))\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {"OrderService.validate10 [as validate]", "<anonymous>", 3, 278, SM_FRAME_EVAL,
		   "c", "https://shop.example/bundle.min.js", 4, 27458},
		   {"Function", "<anonymous>", 1, 9, SM_FRAME_EVAL | SM_FRAME_CONSTRUCTOR,
		   "<anonymous>", "/srv/a.js", 1, 2},
		   {"render", "<anonymous>", 3, 2, SM_FRAME_EVAL, "boot", "/srv/t.js", 9, 8},
		   {"f", "", NOPOS, NOPOS, SM_FRAME_EVAL, "g", "/srv/b.js", 1, 2});
}

/*
 * Hermes (React Native release builds): "address at" frames (column = the
 * bytecode offset; format hermes_bytecode), Hermes's built-in
 * InternalBytecode.js, native frames and "global": every other "at" frame
 * of the stack is hermes.  A stack without
 * a Hermes mark stays v8 even with the same frame lines.
 */
static void
test_hermes(void)
{
	EXPECT("hermes",
		   "TypeError: undefined is not a function\n"
		   "    at onPress (address at index.android.bundle:1:9876)\n"
		   "    at anonymous (address at /data/user/0/com.app/files/index.android.bundle:1:12)\n"
		   "    at apply (native)\n"
		   "    at callFunctionReturnFlushedQueue (InternalBytecode.js:1:1234)\n"
		   "    at global (index.android.bundle:1:234)\n",
		   SM_STACK_V8, SM_FORMAT_HERMES,
		   {"onPress", "index.android.bundle", 1, 9876, SM_FRAME_BYTECODE},
		   {"anonymous", "/data/user/0/com.app/files/index.android.bundle", 1, 12, SM_FRAME_BYTECODE},
		   {"apply", "native", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {"callFunctionReturnFlushedQueue", "InternalBytecode.js", 1, 1234, 0},
		   {"global", "index.android.bundle", 1, 234, 0});
	EXPECT("hermes, only built-in code marks it",
		   "    at f (InternalBytecode.js:1:5)\n"
		   "    at global (index.android.bundle:1:234)\n",
		   SM_STACK_V8, SM_FORMAT_HERMES,
		   {"f", "InternalBytecode.js", 1, 5, 0},
		   {"global", "index.android.bundle", 1, 234, 0});
	EXPECT("same lines without a mark: v8",
		   "    at global (index.android.bundle:1:234)\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {"global", "index.android.bundle", 1, 234, 0});
	/* "address at" is Hermes's only inside parentheses: bare, it is a URL */
	EXPECT("address at outside parentheses",
		   "    at address at a.js:1:2\n",
		   SM_STACK_V8, SM_FORMAT_V8,
		   {NULL, "address at a.js", 1, 2, 0});
	/* React Native on JavaScriptCore prints Safari's format */
	EXPECT("react native on jsc",
		   "onPress@index.android.bundle:1:9876\n"
		   "forEach@[native code]\n"
		   "global code@index.android.bundle:1:12\n",
		   SM_STACK_GECKO, SM_FORMAT_JSC,
		   {"onPress", "index.android.bundle", 1, 9876, 0},
		   {"forEach", "[native code]", NOPOS, NOPOS, SM_FRAME_NATIVE},
		   {"global code", "index.android.bundle", 1, 12, 0});
}

/* Lines that are not frames, and odd positions. */
static void
test_not_frames(void)
{
	SmFrame    *frames = NULL;
	size_t		n = 9;
	SmError		err = {0};
	static const char only_messages[] =
		"Error: Could not reach admin@example.com\n"
		"Error: at least one argument required\n"
		"at least one more line of the message\n"
		"failed at http://example.com/a.js:1:2 while loading\n"
		"contact: user@host.example:25\n"
		"    at\n"
		"at \n"
		"@\n"
		"http://example.com/a.js\n"
		"a.js:1:2 b\n"
		"    ... 3 more\n"
		"\n\n";

	bool		ok = sm_stack_parse_array(only_messages, strlen(only_messages), NULL,
										  &sm_malloc_env, &frames, &n, &err);

	tu_check(&counts, ok && n == 0 && frames == NULL, "message lines: %zu frames (first: %s)", n,
			 n ? tu_show(frames[0].url, frames[0].url_len, false) : "");
	sm_free(&sm_malloc_env, frames);
	tu_check(&counts, sm_stack_parse_array("", 0, NULL, &sm_malloc_env, &frames, &n, &err) &&
			 n == 0, "empty stack");

	/* a multi-line message before the frames is skipped; ord counts frames only */
	EXPECT("multi-line message",
		   "Error: first line\nsecond line\n{\"json\": true}\n    at f (a.js:1:2)\n",
		   SM_STACK_V8, SM_FORMAT_V8, {"f", "a.js", 1, 2, 0});
	/* the message and a Firefox stack pasted together */
	EXPECT("message + firefox",
		   "TypeError: x is undefined (see help@example.com)\nf@https://x.test/a.js:3:4\n",
		   SM_STACK_GECKO, SM_FORMAT_GECKO, {"f", "https://x.test/a.js", 3, 4, 0});
	/* one number is a line without a column; huge numbers are not positions */
	EXPECT("line only", "    at f (https://x.test/a.js:17)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "https://x.test/a.js", 17, NOPOS, 0});
	EXPECT("too large", "    at f (https://x.test/a.js:99999999999:1)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "https://x.test/a.js:99999999999:1", NOPOS, NOPOS, 0});
	EXPECT("largest", "    at f (a.js:2147483647:2147483647)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "a.js", 2147483647, 2147483647, 0});
	EXPECT("one past largest", "    at f (a.js:1:2147483648)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "a.js:1:2147483648", NOPOS, NOPOS, 0});
	EXPECT("port without position", "    at f (http://x.test:8080/a.js)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "http://x.test:8080/a.js", NOPOS, NOPOS, 0});
	/* a stray '(' in a URL, and unbalanced parentheses */
	EXPECT("stray paren", "    at g (https://x.test/a(.js:1:2)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"g", "https://x.test/a(.js", 1, 2, 0});
	EXPECT("async new", "    at async new Foo (a.js:1:2)\n", SM_STACK_V8, SM_FORMAT_V8,
		   {"Foo", "a.js", 1, 2, SM_FRAME_ASYNC | SM_FRAME_CONSTRUCTOR});
	/* CR-only line ends and no final newline */
	EXPECT("CR line ends", "Error\r    at f (a.js:1:2)\r    at g (b.js:3:4)", SM_STACK_V8, SM_FORMAT_V8,
		   {"f", "a.js", 1, 2, 0}, {"g", "b.js", 3, 4, 0});
	/* tabs as indentation */
	EXPECT("tabs", "Error\n\tat f (a.js:1:2)\t\n", SM_STACK_V8, SM_FORMAT_V8, {"f", "a.js", 1, 2, 0});
}

/* Frame callback that fails on the third frame. */
static bool
stop_at_third(void *ctx, const SmFrame *frame, SmError *err)
{
	int		   *calls = ctx;

	(*calls)++;
	if (frame->ord == 2)
		return sm_fail(err, SM_E_ARGUMENT, "stop here");
	return true;
}

/* The frame and line limits, and a callback that stops the parse. */
static void
test_limits(void)
{
	size_t		nf = SM_STACK_MAX_FRAMES + 1;
	char	   *big = malloc(nf * 24 + 64);
	size_t		o = 0;
	size_t		i;
	SmFrame    *frames = NULL;
	size_t		n = 0;
	SmError		err = {0};
	SmStackLimits lim = {3, 40};
	int			calls = 0;
	const char *four = "Error\n at a (x.js:1:1)\n at b (x.js:2:1)\n at c (x.js:3:1)\n at d (x.js:4:1)\n";

	o += (size_t) sprintf(big, "RangeError: Maximum call stack size exceeded\n");
	for (i = 0; i < nf; i++)
		o += (size_t) sprintf(big + o, "    at r (x.js:%zu:1)\n", i + 1);
	tu_check(&counts, !sm_stack_parse_array(big, o, NULL, &sm_malloc_env, &frames, &n, &err) &&
			 err.code == SM_E_LIMIT && strstr(err.msg, "more than 10000 frames") && frames == NULL,
			 "10001 frames: %s", err.msg);
	/* exactly the limit is fine */
	o -= strlen("    at r (x.js:10001:1)\n");
	tu_check(&counts, sm_stack_parse_array(big, o, NULL, &sm_malloc_env, &frames, &n, &err) &&
			 n == SM_STACK_MAX_FRAMES && frames[n - 1].lineno == 10000,
			 "10000 frames: %zu", n);
	sm_free(&sm_malloc_env, frames);

	tu_check(&counts, !sm_stack_parse_array(four, strlen(four), &lim, &sm_malloc_env, &frames,
											&n, &err) && err.code == SM_E_LIMIT,
			 "custom frame limit: %s", err.msg);
	lim.max_frames = 10;
	lim.max_line = 15;			/* " at a (x.js:1:1)" is 16 bytes */
	tu_check(&counts, !sm_stack_parse_array(four, strlen(four), &lim, &sm_malloc_env, &frames,
											&n, &err) && err.code == SM_E_LIMIT &&
			 strstr(err.msg, "frame 0 is 16 bytes long"), "line limit: %s", err.msg);
	lim.max_line = 16;
	tu_check(&counts, sm_stack_parse_array(four, strlen(four), &lim, &sm_malloc_env, &frames,
										   &n, &err) && n == 4, "line limit exactly: %s", err.msg);
	sm_free(&sm_malloc_env, frames);

	/* a long message line is not subject to the line limit */
	{
		size_t		mlen = 200000;
		char	   *msg = malloc(mlen + 64);

		memset(msg, 'm', mlen);
		strcpy(msg + mlen, "\n    at f (a.js:1:2)\n");
		tu_check(&counts, sm_stack_parse_array(msg, strlen(msg), NULL, &sm_malloc_env, &frames,
											   &n, &err) && n == 1, "long message: %s", err.msg);
		sm_free(&sm_malloc_env, frames);
		free(msg);
	}

	/* the callback can stop the parse with its own error */
	tu_check(&counts, !sm_stack_parse(four, strlen(four), NULL, &sm_malloc_env, stop_at_third,
									  &calls, &err) && calls == 3 &&
			 err.code == SM_E_ARGUMENT && strcmp(err.msg, "stop here") == 0,
			 "callback error: %d calls, %s", calls, err.msg);
	free(big);
}

int
main(void)
{
	test_chrome();
	test_node();
	test_edge_legacy();
	test_firefox();
	test_safari();
	test_v8_eval();
	test_hermes();
	test_not_frames();
	test_limits();
	return tu_finish("stack", &counts);
}
