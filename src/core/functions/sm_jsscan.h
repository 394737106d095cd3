/*
 * sm_jsscan.h -- find the function-like scopes of JavaScript code and the
 * names they get from their context, without parsing the language.
 *
 * Why: a source map's `names` entry names the token at a position, not the
 * function around it, so a stack frame's original function name has to be
 * found another way when the map has no `scopes` field.  Like Sentry's
 * js-source-scopes we look at the generated (minified) code, find every
 * function-like scope with the identifiers that name it, and later map
 * those identifiers through the source map (sm_funclist.h).  Unlike it we do
 * not build a syntax tree: a single pass over the tokens with a stack of
 * open brackets is enough to tell comments, strings, template literals and
 * regular expressions apart, and to recognise the few shapes that create or
 * name a function.
 *
 * Scopes found (each with its generated range; lines 0-based, columns in
 * UTF-16 code units, end exclusive):
 *   function declarations and expressions (async, generators)  from the
 *       `function` keyword (or `async`) to the closing brace;
 *   arrow functions  from the parameter (or `async`) to the closing brace
 *       or to the end of the expression body;
 *   methods, getters, setters, constructors in object literals and class
 *       bodies  from the first token of the member (modifiers included);
 *   class bodies  from the `class` keyword to the closing brace (field
 *       initialisers run there).
 *
 * Names (a list of parts; no parts means anonymous):
 *   `function f(){}`, `class A {}`           f, A (own identifier first)
 *   `var|let|const a = <fn>`, `a = <fn>`     a
 *   `a.b.c = <fn>`                           a . b . c
 *   `{ a: <fn> }`, `{ a() {} }`              a, prefixed by the object's
 *                                            own context name: `x = {a(){}}`
 *                                            gives x . a (as Sentry does)
 *   `class A { b() {} }`, `{ static b(){} }` A . b
 *   `class A { constructor() {} }`           "new " A (as V8 and Sentry)
 *   class body of A                          "new " A
 *   `{ get x() {} }`, `set`                  "get " x (after any prefix:
 *                                            A . "get " x)
 *   `{ #p() {} }`                            "#" p
 *   `{ [a.b]() {} }`                         "[" a . b "]"; any other
 *                                            computed key: anonymous
 *   `{ "s"() {} }`                           the key's text as written
 *   `{ 1: <fn> }`                            anonymous: numeric keys are
 *                                            webpack module ids, noise in
 *                                            a stack trace (measured)
 *   class fields `b = <fn>`                  A . b
 * A context name applies only when the function (or its `async`) is the
 * very first token of the value: `a = f(function(){})` is anonymous.
 *
 * TypeScript annotations are skipped well enough to scan original sources
 * (return types, generics, optional members, field types, decorators).
 *
 * Robustness: any byte string is accepted; malformed code gives fewer or
 * odd scopes, never an error, except for the named limits below.  Work is
 * linear in the input and the host's interrupt hook is polled.
 */
#ifndef SM_JSSCAN_H
#define SM_JSSCAN_H

#include "base/sm_buf.h"
#include "format/sm_map.h"

/* Deepest nesting of brackets, braces, parentheses and template substitutions. */
#define SM_JS_MAX_DEPTH 1000
/* Most scopes in one input. */
#define SM_JS_MAX_SCOPES (1u << 24)
/* Most identifiers in an `a.b.c = ` chain that still names a function. */
#define SM_JS_MAX_CHAIN 16
/* Most parts in one name; a longer prefix is dropped (key only). */
#define SM_JS_MAX_NAME_PARTS 64
/* Largest input (offsets are 32-bit). */
#define SM_JS_MAX_INPUT 0xFFFFFFF0u

typedef enum SmJsScopeKind
{
	SM_JS_FUNCTION = 0,			/* function declaration or expression */
	SM_JS_ARROW,				/* arrow function */
	SM_JS_METHOD,				/* method or constructor */
	SM_JS_GETTER,
	SM_JS_SETTER,
	SM_JS_CLASS					/* class body */
} SmJsScopeKind;

typedef enum SmJsPartKind
{
	SM_JSPART_IDENT = 0,		/* an identifier of the code: mapped through the source map */
	SM_JSPART_SOURCE,			/* code text taken as written (string or number key) */
	SM_JSPART_TEXT				/* fixed text: ".", "#", "get ", "set ", "new ", "[", "]" */
} SmJsPartKind;

typedef struct SmJsPart
{
	uint8_t		kind;			/* SmJsPartKind */
	uint32_t	off;			/* IDENT, SOURCE: byte offset of the text in the code */
	uint32_t	len;			/* its length in bytes (TEXT: of text) */
	uint32_t	line;			/* IDENT: generated position of the identifier */
	uint32_t	col;
	uint32_t	end_col;		/* IDENT: column just past it (same line) */
	const char *text;			/* TEXT: the fixed text (static storage) */
} SmJsPart;

typedef struct SmJsScope
{
	uint32_t	start_line;
	uint32_t	start_col;
	uint32_t	end_line;		/* exclusive */
	uint32_t	end_col;
	uint32_t	parent;			/* enclosing scope, or SM_NONE */
	uint32_t	first_part;		/* name: parts[first_part .. first_part + nparts) */
	uint32_t	nparts;			/* 0: anonymous */
	uint8_t		kind;			/* SmJsScopeKind */
} SmJsScope;

typedef struct SmJsScan
{
	const char *src;			/* the scanned code (not owned) */
	size_t		len;
	SmJsScope  *scopes;			/* sorted by start, then longest first: properly nested */
	uint32_t	nscopes;
	SmJsPart   *parts;
	uint32_t	nparts;
	const SmEnv *env;
} SmJsScan;

/*
 * Scan src[0..len).  On success *out holds the scopes (free with
 * sm_js_scan_free); on failure (SM_E_LIMIT, SM_E_NOMEM) nothing is left
 * allocated.  src must stay valid while *out is used.
 */
bool		sm_js_scan(const char *src, size_t len, const SmEnv *env, SmJsScan *out,
					   SmError *err);
void		sm_js_scan_free(SmJsScan *scan);

/*
 * The innermost scope containing (line, col), or SM_NONE.  Bisection, then
 * a walk up the parents (O(log n + depth)).
 */
uint32_t	sm_js_scope_at(const SmJsScan *scan, uint32_t line, uint32_t col);

/* The bytes a part stands for in the code (IDENT, SOURCE) or its fixed text. */
void		sm_js_part_text(const SmJsScan *scan, const SmJsPart *part, const char **text,
							uint32_t *len);

/* Append scope idx's name as written in the code (no mapping) to out. */
bool		sm_js_scope_name(const SmJsScan *scan, uint32_t idx, SmBuf *out);

#endif							/* SM_JSSCAN_H */
