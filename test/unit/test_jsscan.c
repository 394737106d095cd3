/*
 * test_jsscan.c -- unit test of the JavaScript scope scanner (sm_jsscan.h)
 * and of name resolution through a map (sm_funclist.h).
 *
 * The scanner is the part of function naming that guesses, so its cases
 * are spelled out one by one: every shape that creates or names a
 * function, the lexical traps (regular expressions against division,
 * templates with nested substitutions, comments, strings, automatic
 * semicolons), TypeScript annotations, positions in UTF-16 columns across
 * line terminators, the nesting limit, and random and truncated inputs
 * that must never crash or break the output's invariants (run it under
 * `make asan`).  Resolution is checked on a small map for each rule of
 * sm_funclist.h.
 *
 * A scope renders as "name@l:c-l:c" (anonymous: "~@..."), scopes joined
 * by " ; " in scan order.  Set TJ_PRINT=1 to print what the scanner says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions/sm_funclist.h"
#include "functions/sm_jsscan.h"
#include "test_util.h"

static TuCounts counts;
static bool print_mode;

/* Render the scan of code as one line (malloc'ed). */
static char *
render(const char *code, size_t len, SmError *err, bool *ok)
{
	SmJsScan	scan;
	SmBuf		out,
				name;
	uint32_t	i;
	char	   *res;

	*ok = sm_js_scan(code, len, &sm_malloc_env, &scan, err);
	if (!*ok)
		return NULL;
	smb_init(&out, &sm_malloc_env, err);
	smb_init(&name, &sm_malloc_env, err);
	for (i = 0; i < scan.nscopes; i++)
	{
		const SmJsScope *s = &scan.scopes[i];
		char		pos[64];

		name.len = 0;
		sm_js_scope_name(&scan, i, &name);
		if (i > 0)
			smb_append(&out, " ; ", 3);
		if (s->nparts == 0)
			smb_append(&out, "~", 1);
		else
			smb_append(&out, name.data, name.len);
		snprintf(pos, sizeof(pos), "@%u:%u-%u:%u", s->start_line, s->start_col, s->end_line,
				 s->end_col);
		smb_append(&out, pos, strlen(pos));
	}
	res = malloc(out.len + 1);
	if (out.len)
		memcpy(res, out.data, out.len);
	res[out.len] = '\0';
	smb_free(&out);
	smb_free(&name);
	sm_js_scan_free(&scan);
	return res;
}

/* Scan code and compare the rendering with want. */
static void
expect(const char *what, const char *code, const char *want)
{
	SmError		err;
	bool		ok;
	char	   *got = render(code, strlen(code), &err, &ok);

	if (print_mode)
		printf("%s:\n  %s\n", what, ok ? got : err.msg);
	if (tu_check(&counts, ok, "%s: scan failed: %s", what, ok ? "" : err.msg))
		tu_check(&counts, strcmp(got, want) == 0, "%s:\n  code %s\n  got  %s\n  want %s", what,
				 tu_show(code, strlen(code), false), got, want);
	free(got);
}

/* Function shapes and the names they take. */
static void
test_shapes(void)
{
	expect("declaration", "function foo(a, b) { return a / b; }", "foo@0:0-0:36");
	expect("var function expression", "var bar = function () { return 1; };",
		   "bar@0:10-0:35");
	expect("named expression keeps its own name", "var a = function b() {};", "b@0:8-0:23");
	expect("let/const arrows, params, async",
		   "const f = async (x, y) => x + y, g = z => { return z; };",
		   "f@0:10-0:31 ; g@0:37-0:55");
	expect("member chain", "a.b.c = function () {};", "a.b.c@0:8-0:22");
	expect("this member", "this.g = function(){};", "this.g@0:9-0:21");
	expect("logical assignment", "h ||= () => 1;", "h@0:6-0:13");
	expect("call argument is anonymous", "f(function () {}, () => {});",
		   "~@0:2-0:16 ; ~@0:18-0:26");
	expect("not directly the value", "a = f(function(){}); b = (0, function(){});",
		   "~@0:6-0:18 ; ~@0:29-0:41");
	expect("computed member target is not a name", "e.f[0] = function(){};", "~@0:9-0:21");
	expect("call in chain is not a name", "a().b = function(){};", "~@0:8-0:20");
	expect("generator and async function",
		   "obj.m = async function* gen() {}; function* g2(){}",
		   "gen@0:8-0:32 ; g2@0:34-0:50");
	expect("async arrow single param", "i = async x => x;", "i@0:4-0:16");
	expect("curried arrows", "a = b => c => d;", "a@0:4-0:15 ; ~@0:9-0:15");
	expect("export default anonymous", "export default function () {}\nexport function n() {}",
		   "~@0:15-0:29 ; n@1:7-1:22");
	expect("default parameter value", "function f(a = function(){}) {}",
		   "f@0:0-0:31 ; a@0:15-0:27");
	expect("object members",
		   "var o = { m() {}, get g() { return 1 }, set g(v) {}, n: function () {}, "
		   "p: () => 1, 'q': function(){}, 1: function(){}, async *r() {} };",
		   "o.m@0:10-0:16 ; o.get g@0:18-0:38 ; o.set g@0:40-0:51 ; o.n@0:56-0:70 ; "
		   "o.p@0:75-0:82 ; o.q@0:89-0:101 ; ~@0:106-0:118 ; o.r@0:120-0:133");
	expect("object without context", "f({ a() {}, b: function(){} });",
		   "a@0:4-0:10 ; b@0:15-0:27");
	expect("nested objects", "x = { a: { b: function(){} } };", "x.a.b@0:14-0:26");
	expect("computed keys",
		   "o = { [Symbol.iterator]() {}, [a + b]() {}, get [k]() {} };",
		   "o[Symbol.iterator]@0:6-0:28 ; ~@0:30-0:42 ; o.get [k]@0:44-0:56");
	expect("keywords as keys", "o = { get() {}, set: 1, static() {}, function() {}, new: () => 1 };",
		   "o.get@0:6-0:14 ; o.static@0:24-0:35 ; o.function@0:37-0:50 ; o.new@0:57-0:64");
	expect("shorthand and spread do not confuse members",
		   "o = { a, ...b, c() {} };", "o.c@0:15-0:21");
	expect("class declaration",
		   "class A extends B { constructor() { super(); } static s() {} #p() {} "
		   "f = () => 1; get x() {} }",
		   "new A@0:0-0:94 ; new A@0:20-0:46 ; A.s@0:47-0:60 ; A.#p@0:61-0:68 ; "
		   "A.f@0:73-0:80 ; A.get x@0:82-0:92");
	expect("class expressions",
		   "var u = class { m() {} }, v = class W { static n() {} }, w = class {};",
		   "new u@0:8-0:24 ; u.m@0:16-0:22 ; new W@0:30-0:55 ; W.n@0:40-0:53 ; "
		   "new w@0:61-0:69");
	expect("anonymous class", "f(class { m() {} constructor() {} });",
		   "~@0:2-0:35 ; m@0:10-0:16 ; ~@0:17-0:33");
	expect("class fields, static block, accessor keywords",
		   "class C { a = 1; static { x = () => 1 } b\nc() {} 'd'() {} }",
		   "new C@0:0-1:17 ; x@0:30-0:37 ; C.c@1:0-1:6 ; C.d@1:7-1:15");
	expect("extends with call", "class D extends mix(A, function(){}) { m() {} }",
		   "new D@0:0-0:47 ; ~@0:23-0:35 ; D.m@0:39-0:45");
	expect("methods named like modifiers",
		   "class E { static() {} get() {} async() {} static async *gen() {} }",
		   "new E@0:0-0:66 ; E.static@0:10-0:21 ; E.get@0:22-0:30 ; E.async@0:31-0:41 ; "
		   "E.gen@0:42-0:64");
}

/* Where expression-bodied arrows end. */
static void
test_arrow_ends(void)
{
	expect("comma and ternary",
		   "a = b / c / d; e = f => g ? h => 1 : i => 2, j = 3;",
		   "e@0:19-0:43 ; ~@0:28-0:34 ; ~@0:37-0:43");
	expect("arrow inside a conditional branch", "x = y ? z : w => v;", "~@0:12-0:18");
	expect("arrow inside condition with nested ternary",
		   "x = a ? b => c ? 1 : 2 : 3;", "~@0:8-0:22");
	expect("semicolon in for head", "for (var r = s => t; u; ) {}", "r@0:13-0:19");
	expect("closing parenthesis and bracket", "f(x => x * 2); g([y => y]);",
		   "~@0:2-0:12 ; ~@0:18-0:24");
	expect("object value ends at comma", "o = {a: x => x, b: y => { }};",
		   "o.a@0:8-0:14 ; o.b@0:19-0:27");
	expect("newline ends an expression body (ASI)", "k = (l) => m\nn = function(){}",
		   "k@0:4-0:12 ; n@1:4-1:16");
	expect("newline before an operator continues it", "k = l => m\n  + n;\np()",
		   "k@0:4-1:5");
	expect("parenthesised body", "f = () => ({ a: 1 }), g = 1;", "f@0:4-0:20");
	expect("arrow returning a function", "f = () => function () {}, x;",
		   "f@0:4-0:24 ; ~@0:10-0:24");
	expect("end of input", "f = x => x + 1", "f@0:4-0:14");
}

/* Lexical traps: regular expressions, templates, comments, strings. */
static void
test_lexing(void)
{
	expect("regex with brace and slash in class",
		   "var r = function () { return /[/}]{2}\\//g.test(x); };", "r@0:8-0:52");
	expect("regex after control parenthesis", "if (a) /}/.test(b); f = function(){};",
		   "f@0:24-0:36");
	expect("division after parenthesis", "x = (a) / 2 / (b); f = function(){};",
		   "f@0:23-0:35");
	expect("regex after return and operators",
		   "function f() { return /{/.source + /}/.source; }", "f@0:0-0:48");
	expect("division after } of a function expression",
		   "x = function(){} / 2; y = function(){}", "x@0:4-0:16 ; y@0:26-0:38");
	expect("regex after } of a block", "{ } /}/.test(a); f = () => 1;", "f@0:21-0:28");
	expect("division after ] and numbers", "a = b[0] / 2 / c; f = 1 / 2, g = () => 1;",
		   "g@0:33-0:40");
	expect("templates with nested substitutions",
		   "x = `a${ function () { return `b${ { c: () => 1 }.c }}` } }c`; y = () => 2;",
		   "~@0:9-0:57 ; c@0:40-0:47 ; y@0:67-0:74");
	expect("template with braces in text", "t = `}{${a}}{`; f = () => 1;", "f@0:20-0:27");
	expect("strings with braces and quotes",
		   "s = \"}{\\\"\" + '}\\'' ; f = function(){};", "f@0:25-0:37");
	expect("comments with code", "/* function a() {} */ // function b() {}\nfunction c() {}",
		   "c@1:0-1:15");
	expect("hashbang", "#!/usr/bin/env node\nfunction a() {}", "a@1:0-1:15");
	expect("keyword as property does not start a function",
		   "a.function = 1; b.class = 2; f = function(){};", "f@0:33-0:45");
	expect("division after postfix increment", "a++ / 2; f = function(){} / 1;",
		   "f@0:13-0:25");
	expect("regex after typeof", "x = typeof /}/; f = function(){};", "f@0:20-0:32");
	expect("unterminated regex on a line", "a = ( / 2\nf = function(){}",
		   "f@1:4-1:16");
}

/* Positions: lines, CRLF, UTF-16 columns. */
static void
test_positions(void)
{
	expect("CRLF and CR line ends", "a\r\nf = function(){}\rg = () => 1",
		   "f@1:4-1:16 ; g@2:4-2:11");
	expect("columns count UTF-16 code units",
		   "s = '\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80'; f = function(){};", "f@0:16-0:28");
	expect("non-ASCII identifiers", "var \xC3\xA9t\xC3\xA9" " = function(){};",
		   "\xC3\xA9t\xC3\xA9@0:10-0:22");
	expect("non-ASCII whitespace", "\xC2\xA0var\xE2\x80\x83" "f = function(){};", "f@0:9-0:21");
	expect("multi-line scopes", "function a() {\n  return () => {\n    1;\n  };\n}",
		   "a@0:0-4:1 ; ~@1:9-3:3");
	expect("line continuation in string", "s = 'a\\\r\nb'; f = () => 1;", "f@1:8-1:15");
}

/* TypeScript annotations in original sources. */
static void
test_typescript(void)
{
	expect("return type and generics",
		   "function f<T>(a: T): Promise<T[]> { return a; }", "f@0:0-0:47");
	expect("arrow with return type", "const g = (a: number): string => `${a}`;",
		   "g@0:10-0:39");
	expect("class members with types and modifiers",
		   "class A<T> {\n  private x: number = 1;\n  public readonly y?: string;\n"
		   "  constructor(private a: string) {}\n  protected m<U>(u: U): void {}\n"
		   "  abstract n(): void;\n  h = (e: Event): void => {};\n}",
		   "new A@0:0-7:1 ; new A@3:2-3:35 ; A.m@4:2-4:31 ; A.h@6:6-6:28");
	expect("type arguments with braces in a class head",
		   "class T<K extends {a: 1}> extends E<{ u: Map<K, Array<{x: 1}>> }> { m() {} }",
		   "new T@0:0-0:76 ; T.m@0:68-0:74");
	expect("multi-line union return type",
		   "class A {\n  f():\n    | X\n    | undefined {\n    return 1;\n  }\n  g() {}\n}",
		   "new A@0:0-7:1 ; A.f@1:2-5:3 ; A.g@6:2-6:8");
	expect("function type in a method return type",
		   "class A { g(): new (...a: any) => X { return X; } s() {} }",
		   "new A@0:0-0:58 ; A.g@0:10-0:49 ; A.s@0:50-0:56");
	expect("line break ends a field type or an overload",
		   "class A {\n  x: void\n  y() {}\n  o(a: string): void\n  o(a: any) {}\n}",
		   "new A@0:0-5:1 ; A.y@2:2-2:8 ; A.o@4:2-4:14");
	expect("decorators",
		   "@Component({a: 1})\nclass B {\n  @Input() name: string;\n  @HostListener('x', [])\n"
		   "  onX() {}\n}",
		   "new B@1:0-5:1 ; B.onX@4:2-4:10");
	/* types are erased from generated code, so a scope found in one is harmless */
	expect("interfaces and type literals: only a function type becomes a scope",
		   "interface I { a(): void; b: (x: number) => string }\nlet v: { c(): void } = null;",
		   "~@0:28-0:49");
}

/* Malformed input: unbalanced brackets are repaired, never rejected. */
static void
test_recovery(void)
{
	expect("unclosed function at end", "function a() { b(", "a@0:0-0:17");
	expect("stray closers are ignored", ")) ]] }} function a() {}", "a@0:9-0:24");
	expect("mismatched closer closes inner frames", "function a() { f(1 } g = () => 1",
		   "a@0:0-0:20 ; g@0:25-0:32");
	expect("function without body is dropped", "function a(); var b = 1;", "");
	expect("empty input", "", "");
}

/* Limits: nesting depth. */
static void
test_limits(void)
{
	size_t		n = SM_JS_MAX_DEPTH;
	char	   *code = malloc(2 * n + 2);
	SmJsScan	scan;
	SmError		err;
	bool		ok;

	memset(code, '(', n);
	memset(code + n, ')', n);
	ok = sm_js_scan(code, 2 * n, &sm_malloc_env, &scan, &err);
	tu_check(&counts, ok, "nesting of %zu accepted: %s", n, ok ? "" : err.msg);
	if (ok)
		sm_js_scan_free(&scan);
	memset(code, '[', n + 1);
	ok = sm_js_scan(code, n + 1, &sm_malloc_env, &scan, &err);
	tu_check(&counts, !ok && err.code == SM_E_LIMIT, "nesting of %zu rejected with SM_E_LIMIT",
			 n + 1);
	if (ok)
		sm_js_scan_free(&scan);
	free(code);
}

/* sm_js_scope_at on a nested example. */
static void
test_scope_at(void)
{
	const char *code = "function a() {\n  var b = () => { c(); };\n}\nfunction d() {}";
	SmJsScan	scan;
	SmError		err;
	static const struct
	{
		uint32_t	line,
					col;
		const char *want;
	}			q[] =
	{
		{0, 0, "a"}, {0, 13, "a"}, {1, 2, "a"}, {1, 10, "b"}, {1, 23, "b"}, {1, 24, "a"},
		{2, 0, "a"}, {2, 1, NULL}, {3, 0, "d"}, {3, 15, NULL}, {9, 0, NULL}
	};
	size_t		i;

	if (!tu_check(&counts, sm_js_scan(code, strlen(code), &sm_malloc_env, &scan, &err),
				  "scope_at: scan"))
		return;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
	{
		uint32_t	s = sm_js_scope_at(&scan, q[i].line, q[i].col);
		SmBuf		b;
		bool		ok;

		smb_init(&b, &sm_malloc_env, &err);
		if (s != SM_NONE)
			sm_js_scope_name(&scan, s, &b);
		ok = q[i].want == NULL ? s == SM_NONE :
			(s != SM_NONE && b.len == strlen(q[i].want) && memcmp(b.data, q[i].want, b.len) == 0);
		tu_check(&counts, ok, "scope_at(%u, %u): expected %s", q[i].line, q[i].col,
				 q[i].want ? q[i].want : "none");
		smb_free(&b);
	}
	sm_js_scan_free(&scan);
}

/* Check the invariants of a scan of arbitrary bytes. */
static void
check_invariants(const char *what, const char *code, size_t len)
{
	SmJsScan	scan;
	SmError		err;
	uint32_t	i,
				lines = 1;
	bool		ok = true;

	for (i = 0; i < len; i++)
		if (code[i] == '\n' || (code[i] == '\r' && !(i + 1 < len && code[i + 1] == '\n')))
			lines++;
	if (!sm_js_scan(code, len, &sm_malloc_env, &scan, &err))
	{
		tu_check(&counts, err.code == SM_E_LIMIT, "%s: only limits may fail: %s", what, err.msg);
		return;
	}
	for (i = 0; i < scan.nscopes && ok; i++)
	{
		const SmJsScope *s = &scan.scopes[i];
		uint32_t	k;

		ok = s->end_line < lines &&
			(s->start_line < s->end_line ||
			 (s->start_line == s->end_line && s->start_col < s->end_col)) &&
			s->first_part + s->nparts <= scan.nparts;
		if (ok && i > 0)
		{
			const SmJsScope *p = &scan.scopes[i - 1];

			ok = p->start_line < s->start_line ||
				(p->start_line == s->start_line && p->start_col <= s->start_col);
		}
		if (ok && s->parent != SM_NONE)
		{
			const SmJsScope *p = &scan.scopes[s->parent];

			ok = s->parent < i &&
				(p->end_line > s->end_line ||
				 (p->end_line == s->end_line && p->end_col >= s->end_col));
		}
		for (k = 0; ok && k < s->nparts; k++)
		{
			const SmJsPart *pt = &scan.parts[s->first_part + k];

			ok = pt->kind == SM_JSPART_TEXT || (size_t) pt->off + pt->len <= len;
		}
	}
	tu_check(&counts, ok, "%s: scope %u breaks the invariants", what, i ? i - 1 : 0);
	sm_js_scan_free(&scan);
}

/* Random token soups and every prefix of a real snippet. */
static void
test_robustness(void)
{
	static const char *atoms[] = {
		"function", "class", "=>", "(", ")", "{", "}", "[", "]", "`", "${", "/", "/*", "*/",
		"//", "\n", "'", "\"", "\\", "a", "b.c", "=", ":", "?", ",", ";", "async", "get",
		"static", "#p", "1", "...", "<", ">", "@", "extends", "return", "if", "\r", "\xE2\x80\xA8",
		"\xF0\x9F\x98\x80", "\xC3", " "
	};
	const char *snippet =
		"var o = { a: function(x) { return `${x}/${/re}/.source}` }, b: y => y / 2 };\n"
		"class A extends B { static #p() {} get [k]() {} f = async (a, {b}) => { c(); } }";
	uint64_t	seed = 0x9E3779B97F4A7C15ull;
	char		buf[4096];
	int			round;
	size_t		i;

	for (round = 0; round < 3000; round++)
	{
		size_t		len = 0;
		int			natoms = (int) (seed % 200);

		while (natoms-- > 0)
		{
			const char *a;
			size_t		n;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			a = atoms[seed % (sizeof(atoms) / sizeof(atoms[0]))];
			n = strlen(a);
			if (len + n >= sizeof(buf))
				break;
			memcpy(buf + len, a, n);
			len += n;
		}
		{
			char		what[32];

			snprintf(what, sizeof(what), "random input %d", round);
			check_invariants(what, buf, len);
		}
	}
	for (i = 0; i <= strlen(snippet); i++)
	{
		char		what[32];
		char	   *copy = malloc(i + 1);	/* exact size: ASan sees overreads */

		memcpy(copy, snippet, i);
		snprintf(what, sizeof(what), "prefix %zu", i);
		check_invariants(what, copy, i);
		free(copy);
	}
}

/* ---- resolution through a map --------------------------------------- */

/* Resolve the scopes of code with map json; compare "name|name|..." (~ anonymous). */
static void
expect_resolved(const char *what, const char *json, const char *code, const char *want)
{
	TuMap		m;
	SmError		err;
	SmJsScan	scan;
	SmFuncList list;
	SmBuf		out;
	uint32_t	i;

	if (!tu_check(&counts, tu_map_build(json, strlen(json), &m, &err), "%s: map: %s", what,
				  err.msg))
		return;
	if (!tu_check(&counts, sm_js_scan(code, strlen(code), &sm_malloc_env, &scan, &err),
				  "%s: scan", what))
	{
		tu_map_free(&m);
		return;
	}
	sm_func_list_init(&list, &sm_malloc_env, &err);
	smb_init(&out, &sm_malloc_env, &err);
	if (tu_check(&counts, sm_func_resolve(m.map, &scan, &list, &err), "%s: resolve: %s",
				 what, err.msg))
	{
		for (i = 0; i < list.count; i++)
		{
			const SmFuncRange *r = &list.ranges[i];

			if (i > 0)
				smb_append(&out, "|", 1);
			if (r->anonymous)
				smb_append(&out, "~", 1);
			else
				smb_append(&out, list.text.data + r->name_off, r->name_len);
		}
		smb_append(&out, "", 1);
		if (print_mode)
			printf("%s: %s\n", what, (char *) out.data);
		tu_check(&counts, strcmp((char *) out.data, want) == 0, "%s: got %s, want %s", what,
				 (char *) out.data, want);
	}
	smb_free(&out);
	sm_func_list_free(&list);
	sm_js_scan_free(&scan);
	tu_map_free(&m);
}

static void
test_resolution(void)
{
	/*
	 * Generated: "var a=function(){};b.c=()=>1;"  (columns: a 4, b 19, c 21)
	 * Segments: "AAAA" 0:0 -> 0:0; "IAAIA" a -> name 0 ("alpha"); "OAAI" 10 -> no name
	 */
	const char *code = "var a=function(){};b.c=()=>1;";

	expect_resolved("exact segment with a name",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\",\"beta\",\"gamma\"],"
					"\"mappings\":\"AAAA,IAAIA,eAAeC,EAAEC\"}",
					code, "alpha|beta.gamma");
	expect_resolved("no segment keeps the generated text",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[],\"mappings\":\"AAAA\"}",
					code, "a|b.c");
	/* segment one column before the identifier ("exact-ish"): a at 4, segment at 3 */
	expect_resolved("segment one column before",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,GAAGA\"}",
					code, "alpha|b.c");
	/* one column before, but on the `.` of b.c (a token of its own): ignored */
	expect_resolved("segment one column before on a punctuator is ignored",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,oBAAoBA\"}",
					code, "a|b.c");
	/* segment two columns before does not count */
	expect_resolved("segment two columns before is ignored",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,EAAEA\"}",
					code, "a|b.c");
	/*
	 * TypeScript style: the name sits on the token before (col 2), which
	 * maps to the same original position as the nameless segment at a (4).
	 */
	expect_resolved("preceding segment with the same original position",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,EAAEA,EAAA\"}",
					code, "alpha|b.c");
	expect_resolved("preceding segment elsewhere is ignored",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,EAAEA,EAAC\"}",
					code, "a|b.c");
	/* the name on the token right after the identifier: only on a `(` */
	expect_resolved("segment on the = after the identifier is ignored",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,IAAI,CAACA\"}",
					code, "a|b.c");
	expect_resolved("segment on the ( after the identifier",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"alpha\"],"
					"\"mappings\":\"AAAA,UAAUA\"}",
					"function f(){}", "alpha");
	expect_resolved("anonymous stays anonymous, fixed text kept",
					"{\"version\":3,\"sources\":[\"s.js\"],\"names\":[\"X\"],\"mappings\":\"AAAAA\"}",
					"f(function(){}); o = { get 'k'() {} };", "~|o.get k");
}

int
main(void)
{
	print_mode = getenv("TJ_PRINT") != NULL;
	test_shapes();
	test_arrow_ends();
	test_lexing();
	test_positions();
	test_typescript();
	test_recovery();
	test_limits();
	test_scope_at();
	test_robustness();
	test_resolution();
	return tu_finish("jsscan", &counts);
}
