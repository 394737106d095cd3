/*
 * test_json.c -- unit tests for the JSON pull parser (src/core/json/sm_json.c).
 *
 * A standalone program: it checks token streams of valid documents, every
 * rejection rule (with the byte offset each error must name), unescaping,
 * integer conversion and skipping.  It prints one line per failing case and
 * ends with "json: N passed, M failed"; the exit status is non-zero if any
 * case failed.
 *
 * Build: cc -std=c99 -O2 -Wall -Wextra -Werror -Isrc/core \
 *        test/unit/test_json.c src/core/json/sm_json.c src/core/base/sm_env.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/sm_json.h"

static int	n_passed;
static int	n_failed;

/* Record the outcome of one case; print it if it failed. */
static void
check(bool ok, const char *name, const char *detail)
{
	if (ok)
		n_passed++;
	else
	{
		n_failed++;
		printf("FAIL %s%s%s\n", name, detail ? ": " : "", detail ? detail : "");
	}
}

/* Append the printable rendering of s (n bytes) to out. */
static void
append_span(char *out, size_t outsz, const char *s, size_t n)
{
	size_t		o = strlen(out);
	size_t		i;

	for (i = 0; i < n && o + 5 < outsz; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c >= 0x20 && c < 0x7F)
			out[o++] = (char) c;
		else
		{
			snprintf(out + o, outsz - o, "<%02X>", c);
			o += 4;
		}
	}
	out[o] = '\0';
}

/*
 * Render the token stream of doc (n bytes) as text: { } [ ] for brackets,
 * K(..) S(..) N(..) for keys, strings and numbers (K*, S* when escaped),
 * t f n for literals, $ for EOF and ! for an error.
 */
static void
render(const char *doc, size_t n, char *out, size_t outsz, SmError *err)
{
	SmJson		js;
	int			guard = 0;

	out[0] = '\0';
	smj_init(&js, doc, n, err);
	for (;;)
	{
		SmJsonTok	tok = smj_next(&js);
		const char *word = NULL;

		if (out[0] != '\0')
			strncat(out, " ", outsz - strlen(out) - 1);
		switch (tok)
		{
			case SMJ_OBJ_BEGIN:
				word = "{";
				break;
			case SMJ_OBJ_END:
				word = "}";
				break;
			case SMJ_ARR_BEGIN:
				word = "[";
				break;
			case SMJ_ARR_END:
				word = "]";
				break;
			case SMJ_TRUE:
				word = "t";
				break;
			case SMJ_FALSE:
				word = "f";
				break;
			case SMJ_NULL:
				word = "n";
				break;
			case SMJ_EOF:
				word = "$";
				break;
			case SMJ_ERROR:
				word = "!";
				break;
			case SMJ_KEY:
			case SMJ_STRING:
			case SMJ_NUMBER:
				strncat(out, tok == SMJ_KEY ? "K" : tok == SMJ_STRING ? "S" : "N",
						outsz - strlen(out) - 1);
				if (js.tok_escaped)
					strncat(out, "*", outsz - strlen(out) - 1);
				strncat(out, "(", outsz - strlen(out) - 1);
				append_span(out, outsz, doc + js.tok_start, js.tok_len);
				strncat(out, ")", outsz - strlen(out) - 1);
				break;
		}
		if (word)
			strncat(out, word, outsz - strlen(out) - 1);
		if (tok == SMJ_EOF || tok == SMJ_ERROR || ++guard > 1000)
			break;
	}
}

/* A valid document and its expected token stream. */
typedef struct ValidCase
{
	const char *doc;
	const char *tokens;
} ValidCase;

static const ValidCase valid_cases[] = {
	{"0", "N(0) $"},
	{"-0", "N(-0) $"},
	{"7", "N(7) $"},
	{"-123", "N(-123) $"},
	{"1.5", "N(1.5) $"},
	{"-0.0", "N(-0.0) $"},
	{"1e5", "N(1e5) $"},
	{"1E+5", "N(1E+5) $"},
	{"-1.25e-10", "N(-1.25e-10) $"},
	{"0e0", "N(0e0) $"},
	{"true", "t $"},
	{"false", "f $"},
	{"null", "n $"},
	{"\"\"", "S() $"},
	{"\"abc\"", "S(abc) $"},
	{" \t\r\n 1 \t\r\n ", "N(1) $"},
	{"[]", "[ ] $"},
	{"{}", "{ } $"},
	{"[ ]", "[ ] $"},
	{"{ }", "{ } $"},
	{"[[]]", "[ [ ] ] $"},
	{"[[],{}]", "[ [ ] { } ] $"},
	{"{\"a\":{}}", "{ K(a) { } } $"},
	{"[1,\"x\",true,false,null,{\"k\":[]}]",
	"[ N(1) S(x) t f n { K(k) [ ] } ] $"},
	{" { \"a\" : 1 , \"b\" : [ 2 , 3 ] } ",
	"{ K(a) N(1) K(b) [ N(2) N(3) ] } $"},
	{"{\"a\":1,\"a\":2}", "{ K(a) N(1) K(a) N(2) } $"},
	{"{\"\":\"\"}", "{ K() S() } $"},
	{"\"a\\nb\"", "S*(a\\nb) $"},
	{"{\"k\\\"\":0}", "{ K*(k\\\") N(0) } $"},
	{"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "S*(\\\"\\\\\\/\\b\\f\\n\\r\\t) $"},
	{"\"\\u0000\\u00e9\\uFFFF\"", "S*(\\u0000\\u00e9\\uFFFF) $"},
	{"\"\\uD834\\uDD1E\"", "S*(\\uD834\\uDD1E) $"},
	{"\"\\udbff\\udfff\"", "S*(\\udbff\\udfff) $"},
	{"\"\x7F\"", "S(<7F>) $"},
	{"\"\xC2\x80\"", "S(<C2><80>) $"},
	{"\"\xDF\xBF\"", "S(<DF><BF>) $"},
	{"\"\xE0\xA0\x80\"", "S(<E0><A0><80>) $"},
	{"\"\xED\x9F\xBF\"", "S(<ED><9F><BF>) $"},
	{"\"\xEE\x80\x80\"", "S(<EE><80><80>) $"},
	{"\"\xEF\xBF\xBF\"", "S(<EF><BF><BF>) $"},
	{"\"\xF0\x90\x80\x80\"", "S(<F0><90><80><80>) $"},
	{"\"\xF4\x8F\xBF\xBF\"", "S(<F4><8F><BF><BF>) $"},
	{"\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
	"S(caf<C3><A9> <E2><82><AC> <F0><9F><98><80>) $"},
	{"{\"\xC3\xA9\":1}", "{ K(<C3><A9>) N(1) } $"},
	{"[\"abcdefghijklmnopqrstuvwxyz\",\"0123456789\"]",
	"[ S(abcdefghijklmnopqrstuvwxyz) S(0123456789) ] $"},
	{"[-1,0,1e1]", "[ N(-1) N(0) N(1e1) ] $"},
	{"{\"a\":[{\"b\":null}]}", "{ K(a) [ { K(b) n } ] } $"},
};

/* An invalid document, the error it must give and the offset it must name. */
typedef struct InvalidCase
{
	const char *doc;
	size_t		len;			/* 0: strlen(doc) */
	SmErrCode	code;
	long		at;				/* byte offset named in the message */
	const char *msg;			/* substring the message must contain */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
	/* structure */
	{"", 0, SM_E_SYNTAX, 0, "expected a value, found end of input"},
	{"   ", 0, SM_E_SYNTAX, 3, "expected a value"},
	{"[1,]", 0, SM_E_SYNTAX, 3, "expected a value, found ']'"},
	{"{\"a\":1,}", 0, SM_E_SYNTAX, 7, "expected a member name after ','"},
	{"[1 2]", 0, SM_E_SYNTAX, 3, "expected ',' or ']' after array element, found '2'"},
	{"{\"a\":1 \"b\":2}", 0, SM_E_SYNTAX, 7, "expected ',' or '}' after object member"},
	{"{\"a\" 1}", 0, SM_E_SYNTAX, 5, "expected ':' after object member name"},
	{"{\"a\":}", 0, SM_E_SYNTAX, 5, "expected a value, found '}'"},
	{"{\"a\"::1}", 0, SM_E_SYNTAX, 5, "expected a value"},
	{"{\"a\",1}", 0, SM_E_SYNTAX, 4, "expected ':'"},
	{"{1:2}", 0, SM_E_SYNTAX, 1, "expected a member name or '}' after '{'"},
	{"{'a':1}", 0, SM_E_SYNTAX, 1, "found ''a''"},
	{"['a']", 0, SM_E_SYNTAX, 1, "expected a value"},
	{"{a:1}", 0, SM_E_SYNTAX, 1, "expected a member name"},
	{"[1,,2]", 0, SM_E_SYNTAX, 3, "expected a value"},
	{"{\"a\":1,,\"b\":2}", 0, SM_E_SYNTAX, 7, "expected a member name"},
	{"[1:2]", 0, SM_E_SYNTAX, 2, "expected ',' or ']'"},
	{"[\"a\"\"b\"]", 0, SM_E_SYNTAX, 4, "expected ',' or ']'"},
	{"[1}", 0, SM_E_SYNTAX, 2, "expected ',' or ']'"},
	{"{]", 0, SM_E_SYNTAX, 1, "expected a member name or '}'"},
	{"{\"a\":1]", 0, SM_E_SYNTAX, 6, "expected ',' or '}'"},
	{"[", 0, SM_E_SYNTAX, 1, "expected a value, found end of input"},
	{"[1", 0, SM_E_SYNTAX, 2, "found end of input"},
	{"{", 0, SM_E_SYNTAX, 1, "found end of input"},
	{"{\"a\"", 0, SM_E_SYNTAX, 4, "expected ':'"},
	{"{\"a\":1", 0, SM_E_SYNTAX, 6, "found end of input"},
	{"]", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"}", 0, SM_E_SYNTAX, 0, "expected a value"},
	/* trailing garbage */
	{"1 2", 0, SM_E_SYNTAX, 2, "unexpected data after the top-level value"},
	{"{} x", 0, SM_E_SYNTAX, 3, "unexpected data after the top-level value, found 'x'"},
	{"[1]]", 0, SM_E_SYNTAX, 3, "unexpected data after the top-level value"},
	{"[][]", 0, SM_E_SYNTAX, 2, "unexpected data"},
	{"\"a\"\"b\"", 0, SM_E_SYNTAX, 3, "unexpected data"},
	{"truex", 0, SM_E_SYNTAX, 4, "unexpected data"},
	{"1\0", 2, SM_E_SYNTAX, 1, "unexpected data after the top-level value, found byte 0x00"},
	{"\"abc\"\0", 6, SM_E_SYNTAX, 5, "found byte 0x00"},
	{"\0", 1, SM_E_SYNTAX, 0, "expected a value, found byte 0x00"},
	/* whitespace other than space, tab, LF, CR; comments; BOM */
	{"\v1", 0, SM_E_SYNTAX, 0, "found byte 0x0B"},
	{"\f1", 0, SM_E_SYNTAX, 0, "found byte 0x0C"},
	{"[1,\xA0" "2]", 0, SM_E_SYNTAX, 3, "found byte 0xA0"},
	{"/* c */ 1", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"[1,// c\n2]", 0, SM_E_SYNTAX, 3, "expected a value"},
	{"1 # c", 0, SM_E_SYNTAX, 2, "unexpected data"},
	{"\xEF\xBB\xBF" "1", 0, SM_E_SYNTAX, 0, "found byte 0xEF"},
	/* numbers */
	{"01", 0, SM_E_SYNTAX, 0, "leading zeros are not allowed in numbers"},
	{"-01", 0, SM_E_SYNTAX, 1, "leading zeros"},
	{"[00]", 0, SM_E_SYNTAX, 1, "leading zeros"},
	{"007.5", 0, SM_E_SYNTAX, 0, "leading zeros"},
	{"1.", 0, SM_E_SYNTAX, 2, "expected a digit after the decimal point"},
	{"1.e5", 0, SM_E_SYNTAX, 2, "expected a digit after the decimal point"},
	{".5", 0, SM_E_SYNTAX, 0, "expected a value, found '.5'"},
	{"+1", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"1e", 0, SM_E_SYNTAX, 2, "expected a digit in the exponent"},
	{"1e+", 0, SM_E_SYNTAX, 3, "expected a digit in the exponent"},
	{"-1.5E-x", 0, SM_E_SYNTAX, 6, "expected a digit in the exponent"},
	{"-", 0, SM_E_SYNTAX, 1, "expected a digit after '-'"},
	{"-a", 0, SM_E_SYNTAX, 1, "expected a digit after '-'"},
	{"--1", 0, SM_E_SYNTAX, 1, "expected a digit after '-'"},
	{"0x10", 0, SM_E_SYNTAX, 1, "unexpected data"},
	{"1.5.2", 0, SM_E_SYNTAX, 3, "unexpected data"},
	{"NaN", 0, SM_E_SYNTAX, 0, "expected a value, found 'NaN'"},
	{"Infinity", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"-Infinity", 0, SM_E_SYNTAX, 1, "expected a digit after '-'"},
	{"[1,-]", 0, SM_E_SYNTAX, 4, "expected a digit after '-'"},
	/* literals */
	{"tru", 0, SM_E_SYNTAX, 0, "invalid literal, found 'tru'"},
	{"nul", 0, SM_E_SYNTAX, 0, "invalid literal"},
	{"fals", 0, SM_E_SYNTAX, 0, "invalid literal"},
	{"nulL", 0, SM_E_SYNTAX, 0, "invalid literal"},
	{"True", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"None", 0, SM_E_SYNTAX, 0, "expected a value"},
	{"undefined", 0, SM_E_SYNTAX, 0, "expected a value"},
	/* unterminated strings */
	{"\"abc", 0, SM_E_SYNTAX, 0, "unterminated string"},
	{"[\"abcdefghijklmnopqrstuvwxyz", 0, SM_E_SYNTAX, 1, "unterminated string"},
	{"\"a\\", 0, SM_E_SYNTAX, 0, "unterminated string"},
	{"\"\\\"", 0, SM_E_SYNTAX, 0, "unterminated string"},
	{"\"", 0, SM_E_SYNTAX, 0, "unterminated string"},
	/* control characters */
	{"\"a\tb\"", 0, SM_E_SYNTAX, 2, "unescaped control character 0x09 in string"},
	{"\"a\nb\"", 0, SM_E_SYNTAX, 2, "unescaped control character 0x0A"},
	{"\"\x01\"", 0, SM_E_SYNTAX, 1, "unescaped control character 0x01"},
	{"\"\x1F\"", 0, SM_E_SYNTAX, 1, "unescaped control character 0x1F"},
	{"\"ab\0cd\"", 7, SM_E_SYNTAX, 3, "unescaped control character 0x00"},
	{"{\"a\x01\":1}", 0, SM_E_SYNTAX, 3, "unescaped control character 0x01"},
	/* escapes */
	{"\"\\q\"", 0, SM_E_SYNTAX, 1, "invalid escape \\q"},
	{"\"ab\\x41\"", 0, SM_E_SYNTAX, 3, "invalid escape \\x"},
	{"\"\\U0041\"", 0, SM_E_SYNTAX, 1, "invalid escape \\U"},
	{"\"\\'\"", 0, SM_E_SYNTAX, 1, "invalid escape \\'"},
	{"\"\\0\"", 0, SM_E_SYNTAX, 1, "invalid escape \\0"},
	{"\"\\ \"", 0, SM_E_SYNTAX, 1, "backslash followed by byte 0x20"},
	{"\"\\\xC3\xA9\"", 0, SM_E_SYNTAX, 1, "backslash followed by byte 0xC3"},
	{"\"\\u12\"", 0, SM_E_SYNTAX, 1, "expected four hex digits"},
	{"\"\\u12G4\"", 0, SM_E_SYNTAX, 1, "expected four hex digits"},
	{"\"\\u 123\"", 0, SM_E_SYNTAX, 1, "expected four hex digits"},
	{"\"\\u00e", 0, SM_E_SYNTAX, 1, "expected four hex digits"},
	{"{\"\\z\":1}", 0, SM_E_SYNTAX, 2, "invalid escape \\z"},
	/* surrogates */
	{"\"\\uD800\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed by a low surrogate"},
	{"\"\\uDBFF\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"\\uDC00\"", 0, SM_E_SYNTAX, 1, "low surrogate without a preceding high surrogate"},
	{"\"\\uDFFF\"", 0, SM_E_SYNTAX, 1, "low surrogate without"},
	{"\"\\uD800\\u0041\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"\\uD800\\uD800\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"\\uD800x\\uDC00\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"\\uD800\\n\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"\\uD800\\uDC0\"", 0, SM_E_SYNTAX, 1, "high surrogate not followed"},
	{"\"ab\\uDC00\\uD800\"", 0, SM_E_SYNTAX, 3, "low surrogate without"},
	{"\"\\uD834\\uDD1E\\uDD1E\"", 0, SM_E_SYNTAX, 13, "low surrogate without"},
	/* UTF-8 */
	{"\"\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8 in string"},
	{"\"\xBF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8 in string"},
	{"\"\xC0\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xC1\xBF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xE0\x80\xAF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xE0\x9F\xBF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF0\x80\x80\xAF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF0\x8F\xBF\xBF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xED\xA0\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xED\xBF\xBF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xED\xA0\xBD\xED\xB8\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF4\x90\x80\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF5\x80\x80\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF8\x88\x80\x80\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xFE\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xFF\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"ab\xC3\"", 0, SM_E_SYNTAX, 3, "invalid UTF-8"},
	{"\"\xC3\x28\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xE2\x82\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xE2\x28\xA1\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xE2\x82\x28\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF0\x9F\x98\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF0\x9F\x28\x80\"", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xC3", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xF0\x9F\x98", 0, SM_E_SYNTAX, 1, "invalid UTF-8"},
	{"\"\xC3\xA9\xA9\"", 0, SM_E_SYNTAX, 3, "invalid UTF-8"},
	{"{\"\xC3\x28\":1}", 0, SM_E_SYNTAX, 2, "invalid UTF-8"},
	{"[\"ok\",\"0123456789abcdef\xE9t\xE9\"]", 0, SM_E_SYNTAX, 23, "invalid UTF-8"},
};

/* Parse doc until an error; check the error code, offset and message. */
static void
test_invalid(const InvalidCase *c, int idx)
{
	SmError		err;
	SmJson		js;
	size_t		len = c->len ? c->len : strlen(c->doc);
	SmJsonTok	tok;
	int			guard = 0;
	char		name[64];
	char		want[64];
	char		detail[SM_ERROR_MSG_MAX + 128];

	snprintf(name, sizeof(name), "invalid[%d]", idx);
	memset(&err, 0, sizeof(err));
	smj_init(&js, c->doc, len, &err);
	do
		tok = smj_next(&js);
	while (tok != SMJ_ERROR && tok != SMJ_EOF && ++guard < 1000);

	if (tok != SMJ_ERROR)
	{
		check(false, name, "accepted");
		return;
	}
	snprintf(want, sizeof(want), "at byte %ld", c->at);
	snprintf(detail, sizeof(detail), "got code %d \"%s\", want code %d, \"%s\", \"%s\"",
			 (int) err.code, err.msg, (int) c->code, want, c->msg);
	check(err.code == c->code && strstr(err.msg, want) != NULL &&
		  strstr(err.msg, c->msg) != NULL && strncmp(err.msg, "JSON ", 5) == 0,
		  name, detail);

	/* the error sticks */
	check(smj_next(&js) == SMJ_ERROR && smj_next(&js) == SMJ_ERROR &&
		  !smj_skip(&js, SMJ_ARR_BEGIN) && !smj_skip(&js, SMJ_NUMBER),
		  name, "later calls must keep returning SMJ_ERROR");
}

/* Render doc and compare with the expected token stream. */
static void
expect_tokens(const char *name, const char *doc, size_t len, const char *want)
{
	SmError		err;
	char		got[4096];
	char		detail[8192];

	memset(&err, 0, sizeof(err));
	render(doc, len, got, sizeof(got), &err);
	snprintf(detail, sizeof(detail), "doc \"%.60s\": got \"%s\" want \"%s\" (%s)",
			 doc, got, want, err.msg);
	check(strcmp(got, want) == 0, name, detail);
}

/* Does doc (n bytes) parse to EOF without error? */
static bool
parses(const char *doc, size_t n, SmError *err)
{
	SmJson		js;
	SmJsonTok	tok;

	smj_init(&js, doc, n, err);
	do
		tok = smj_next(&js);
	while (tok != SMJ_ERROR && tok != SMJ_EOF);
	return tok == SMJ_EOF;
}

/* Nesting: 64 levels of arrays or objects are fine, 65 are not. */
static void
test_depth(void)
{
	char		doc[1024];
	size_t		n;
	int			i;
	int			levels;
	SmError		err;

	for (levels = 63; levels <= 66; levels++)
	{
		bool		want_ok = levels <= SM_JSON_MAX_DEPTH;
		char		name[64];
		char		detail[SM_ERROR_MSG_MAX + 64];
		bool		ok;

		/* arrays: [[[...1...]]] */
		n = 0;
		for (i = 0; i < levels; i++)
			doc[n++] = '[';
		doc[n++] = '1';
		for (i = 0; i < levels; i++)
			doc[n++] = ']';
		memset(&err, 0, sizeof(err));
		ok = parses(doc, n, &err);
		snprintf(name, sizeof(name), "depth arrays %d", levels);
		snprintf(detail, sizeof(detail), "%s", err.msg);
		check(ok == want_ok, name, detail);
		if (!want_ok)
			check(err.code == SM_E_LIMIT &&
				  strcmp(err.msg, "JSON nesting deeper than 64 at byte 64") == 0,
				  name, detail);

		/* objects: {"a":{"a":...{}...}} */
		n = 0;
		for (i = 0; i < levels - 1; i++)
		{
			memcpy(doc + n, "{\"a\":", 5);
			n += 5;
		}
		doc[n++] = '{';
		for (i = 0; i < levels; i++)
			doc[n++] = '}';
		memset(&err, 0, sizeof(err));
		ok = parses(doc, n, &err);
		snprintf(name, sizeof(name), "depth objects %d", levels);
		snprintf(detail, sizeof(detail), "%s", err.msg);
		check(ok == want_ok, name, detail);
		if (!want_ok)
			check(err.code == SM_E_LIMIT && strstr(err.msg, "nesting deeper than 64 at byte 320"),
				  name, detail);
	}

	/* depth goes back down: many depth-64 siblings */
	n = 0;
	doc[n++] = '[';
	for (levels = 0; levels < 3; levels++)
	{
		if (levels > 0)
			doc[n++] = ',';
		for (i = 0; i < 63; i++)
			doc[n++] = '[';
		for (i = 0; i < 63; i++)
			doc[n++] = ']';
	}
	doc[n++] = ']';
	memset(&err, 0, sizeof(err));
	check(parses(doc, n, &err), "depth siblings", err.msg);
}

/*
 * Long strings exercise the eight-byte scan: put a special byte at every
 * offset of a long ASCII string and check the result and error offsets.
 */
static void
test_long_strings(void)
{
	static const char *const special[] = {
		"\x1f",	/* control character: rejected */
		"\x7f",	/* DEL: allowed */
		"\x80",	/* stray continuation byte: rejected */
		"\"",		/* the string ends early: garbage after it */
		"\\n",	/* an escape: allowed */
		"\xc3\xa9"	/* a two-byte character: allowed */
	};
	char		doc[200];
	char		name[64];
	char		detail[SM_ERROR_MSG_MAX + 64];
	int			len;
	int			at;

	for (len = 0; len <= 40; len++)
	{
		SmError		err;
		SmJson		js;
		SmJsonTok	tok;

		/* plain: the span must be the whole contents */
		doc[0] = '"';
		for (at = 0; at < len; at++)
			doc[1 + at] = (char) ('A' + at % 26);
		doc[1 + len] = '"';
		memset(&err, 0, sizeof(err));
		smj_init(&js, doc, (size_t) len + 2, &err);
		tok = smj_next(&js);
		snprintf(name, sizeof(name), "long plain %d", len);
		check(tok == SMJ_STRING && js.tok_start == 1 && js.tok_len == (size_t) len &&
			  !js.tok_escaped && smj_next(&js) == SMJ_EOF, name, err.msg);

		for (at = 0; at < len; at++)
		{
			int			kind;

			for (kind = 0; kind < 6; kind++)
			{
				size_t		n;
				bool		ok;
				char		want[40];
				size_t		sl = strlen(special[kind]);

				/* len bytes of letters with the special bytes at offset at */
				doc[0] = '"';
				n = 1;
				while (n < 1 + (size_t) at)
				{
					doc[n] = (char) ('a' + n % 26);
					n++;
				}
				memcpy(doc + n, special[kind], sl);
				n += sl;
				while (n < 1 + (size_t) len + sl - 1)
				{
					doc[n] = (char) ('a' + n % 26);
					n++;
				}
				doc[n++] = '"';
				memset(&err, 0, sizeof(err));
				ok = parses(doc, n, &err);
				snprintf(name, sizeof(name), "long len %d kind %d at %d", len, kind, at);
				snprintf(detail, sizeof(detail), "%s", err.msg);
				/* the special byte is at offset 1 + at; after a quote, 2 + at */
				snprintf(want, sizeof(want), "at byte %d:", kind == 3 ? 2 + at : 1 + at);
				if (kind == 1 || kind == 4 || kind == 5)
					check(ok, name, detail);
				else if (kind == 3)
					check(!ok && strstr(err.msg, "unexpected data") != NULL &&
						  strstr(err.msg, want) != NULL, name, detail);
				else
					check(!ok && strstr(err.msg, want) != NULL, name, detail);
			}
		}
	}
}

/*
 * smj_unescape_copy of src[0..len) into a buffer of exactly len bytes (so
 * that ASan sees a store past it): want and whether it has a NUL byte.
 */
static void
expect_unescape_copy(const char *src, size_t len, const char *want, size_t wantlen)
{
	char	   *out = malloc(len ? len : 1);
	char		name[96];
	bool		nul = !(wantlen > 0 && memchr(want, '\0', wantlen) != NULL);
	size_t		n;

	snprintf(name, sizeof(name), "unescape_copy \"%.40s\" (%zu bytes)", src, len);
	n = smj_unescape_copy(src, len, out, &nul);
	check(n == wantlen && memcmp(out, want, wantlen) == 0 &&
		  nul == (wantlen > 0 && memchr(want, '\0', wantlen) != NULL), name, NULL);
	free(out);
}

/*
 * smj_unescape_copy against smj_unescape on random spans: runs of plain
 * bytes of every length around the 8-byte words and long ones that go to
 * memchr (with raw NULs in them too), every kind of escape
 * (\u0000 included), raw UTF-8, and malformed ones (a raw NUL, a trailing
 * or undecodable backslash) that only a caller's bug could pass.
 */
static void
test_unescape_random(void)
{
	static const char *const pieces[] = {
		"\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u0041", "\\u0000", "\\u00e9",
		"\\u20AC", "\\uD83D\\uDE00", "\\uD800x", "\xC3\xA9", "\xE2\x82\xAC", "\\uZZ", "\\"
	};
	char		src[600];
	char		want[600];
	uint32_t	seed = 12345;
	int			bad = 0;

	for (int iter = 0; iter < 20000; iter++)
	{
		size_t		len = 0;
		size_t		wantlen;
		int			parts;

		seed = seed * 1103515245u + 12345u;
		parts = (int) ((seed >> 16) % 12);
		for (int k = 0; k < parts && len < 500; k++)
		{
			size_t		run;

			seed = seed * 1103515245u + 12345u;
			run = (seed >> 16) % ((seed >> 8) % 4 == 0 ? 90 : 21);
			for (size_t j = 0; j < run; j++)
				src[len++] = (char) ('a' + (j + k) % 26);
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 40 == 0)
				src[len++] = '\0';	/* raw NUL: malformed, still counted */
			else
			{
				const char *pc = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];

				/* a lone backslash only at the very end */
				if (strcmp(pc, "\\") == 0 && k != parts - 1)
					pc = "\\r";
				memcpy(src + len, pc, strlen(pc));
				len += strlen(pc);
			}
		}
		wantlen = smj_unescape(src, len, want);
		{
			char	   *out = malloc(len ? len : 1);
			bool		nul = false;
			size_t		n = smj_unescape_copy(src, len, out, &nul);

			if (n != wantlen || memcmp(out, want, wantlen) != 0 ||
				nul != (wantlen > 0 && memchr(want, '\0', wantlen) != NULL))
				bad++;
			free(out);
		}
	}
	check(bad == 0, "unescape_copy = unescape on 20,000 random spans", NULL);
}

/* Decode src with smj_unescape and compare with want (wantlen bytes). */
static void
expect_unescape(const char *src, const char *want, size_t wantlen)
{
	char		out[256];
	char		inplace[256];
	size_t		n;
	size_t		len = strlen(src);
	char		name[96];

	snprintf(name, sizeof(name), "unescape \"%s\"", src);
	memset(out, 0x55, sizeof(out));
	n = smj_unescape(src, len, out);
	check(n == wantlen && memcmp(out, want, wantlen) == 0 && n <= len, name, NULL);

	/* decoding in place gives the same result */
	memcpy(inplace, src, len);
	n = smj_unescape(inplace, len, inplace);
	snprintf(name, sizeof(name), "unescape in place \"%s\"", src);
	check(n == wantlen && memcmp(inplace, want, wantlen) == 0, name, NULL);
	expect_unescape_copy(src, len, want, wantlen);
}

/* Unescaping every escape, surrogate pairs and spans taken from the parser. */
static void
test_unescape(void)
{
	SmJson		js;
	SmError		err;
	const char *doc = "[\"x\\u00e9\\uD83D\\uDE00\\ty\",\"plain\"]";
	char		out[64];
	size_t		n;

	expect_unescape("", "", 0);
	expect_unescape("abc", "abc", 3);
	expect_unescape("\\\"", "\"", 1);
	expect_unescape("\\\\", "\\", 1);
	expect_unescape("\\/", "/", 1);
	expect_unescape("\\b", "\b", 1);
	expect_unescape("\\f", "\f", 1);
	expect_unescape("\\n", "\n", 1);
	expect_unescape("\\r", "\r", 1);
	expect_unescape("\\t", "\t", 1);
	expect_unescape("\\u0041", "A", 1);
	expect_unescape("\\u0000", "\0", 1);
	expect_unescape("\\u007F", "\x7F", 1);
	expect_unescape("\\u0080", "\xC2\x80", 2);
	expect_unescape("\\u00e9", "\xC3\xA9", 2);
	expect_unescape("\\u07FF", "\xDF\xBF", 2);
	expect_unescape("\\u0800", "\xE0\xA0\x80", 3);
	expect_unescape("\\u20AC", "\xE2\x82\xAC", 3);
	expect_unescape("\\uD7FF", "\xED\x9F\xBF", 3);
	expect_unescape("\\uE000", "\xEE\x80\x80", 3);
	expect_unescape("\\uffff", "\xEF\xBF\xBF", 3);
	expect_unescape("\\uD800\\uDC00", "\xF0\x90\x80\x80", 4);
	expect_unescape("\\uD834\\uDD1E", "\xF0\x9D\x84\x9E", 4);
	expect_unescape("\\uD83D\\uDE00", "\xF0\x9F\x98\x80", 4);
	expect_unescape("\\udbff\\udfff", "\xF4\x8F\xBF\xBF", 4);
	expect_unescape("a\\nb\\u00e9c\\\\d", "a\nb\xC3\xA9" "c\\d", 8);
	expect_unescape("\\\\u0041", "\\u0041", 6);
	expect_unescape("x\\\"y\\\"z", "x\"y\"z", 5);
	expect_unescape("caf\xC3\xA9\\t", "caf\xC3\xA9\t", 6);

	/* a span straight from the parser */
	memset(&err, 0, sizeof(err));
	smj_init(&js, doc, strlen(doc), &err);
	check(smj_next(&js) == SMJ_ARR_BEGIN, "unescape parse [", NULL);
	check(smj_next(&js) == SMJ_STRING && js.tok_escaped, "unescape parse string", err.msg);
	n = smj_unescape(doc + js.tok_start, js.tok_len, out);
	check(n == 9 && memcmp(out, "x\xC3\xA9\xF0\x9F\x98\x80\ty", 9) == 0,
		  "unescape parsed span", NULL);
	check(smj_next(&js) == SMJ_STRING && !js.tok_escaped, "unescape plain flag", NULL);
}

/* Parse doc (one number) and run smj_number_int on it. */
static void
expect_int(const char *doc, bool want_ok, int64_t want)
{
	SmJson		js;
	SmError		err;
	int64_t		v = 12345;
	bool		ok;
	char		name[96];

	memset(&err, 0, sizeof(err));
	smj_init(&js, doc, strlen(doc), &err);
	snprintf(name, sizeof(name), "number_int \"%s\"", doc);
	if (smj_next(&js) != SMJ_NUMBER)
	{
		check(false, name, "not parsed as a number");
		return;
	}
	ok = smj_number_int(&js, &v);
	check(ok == want_ok && (!ok || v == want), name, NULL);
}

/* smj_number_int: plain integers within [-2^53, 2^53] only. */
static void
test_number_int(void)
{
	int64_t		p53 = (int64_t) 1 << 53;

	expect_int("0", true, 0);
	expect_int("-0", true, 0);
	expect_int("1", true, 1);
	expect_int("-1", true, -1);
	expect_int("42", true, 42);
	expect_int("2147483648", true, 2147483648LL);
	expect_int("9007199254740991", true, p53 - 1);
	expect_int("9007199254740992", true, p53);
	expect_int("-9007199254740992", true, -p53);
	expect_int("9007199254740993", false, 0);
	expect_int("-9007199254740993", false, 0);
	expect_int("9999999999999999", false, 0);
	expect_int("10000000000000000", false, 0);
	expect_int("18446744073709551616", false, 0);
	expect_int("123456789012345678901234567890", false, 0);
	expect_int("1.0", false, 0);
	expect_int("1.5", false, 0);
	expect_int("1e2", false, 0);
	expect_int("1E2", false, 0);
	expect_int("-0.0", false, 0);
}

/* smj_key_is compares the raw span. */
static void
test_key_is(void)
{
	const char *doc = "{\"abc\":1,\"a\\u0062\":2,\"\":3}";
	SmJson		js;
	SmError		err;

	memset(&err, 0, sizeof(err));
	smj_init(&js, doc, strlen(doc), &err);
	smj_next(&js);
	check(smj_next(&js) == SMJ_KEY, "key_is first key", NULL);
	check(smj_key_is(&js, "abc"), "key_is abc", NULL);
	check(!smj_key_is(&js, "ab"), "key_is ab", NULL);
	check(!smj_key_is(&js, "abcd"), "key_is abcd", NULL);
	check(!smj_key_is(&js, ""), "key_is empty", NULL);
	smj_next(&js);
	check(smj_next(&js) == SMJ_KEY && js.tok_escaped, "key_is escaped key", NULL);
	check(!smj_key_is(&js, "ab"), "key_is raw compare", NULL);
	check(smj_key_is(&js, "a\\u0062"), "key_is raw span", NULL);
	smj_next(&js);
	check(smj_next(&js) == SMJ_KEY && smj_key_is(&js, ""), "key_is empty key", NULL);
}

/* smj_skip over containers and scalars, and its failure. */
static void
test_skip(void)
{
	const char *doc =
		"{\"a\":[1,{\"b\":[2,3,{}]},[[]]],\"c\":4,\"d\":{\"e\":{\"f\":null}},\"g\":\"s\"}";
	const char *bad = "{\"a\":[1,{\"b\":[2,3,]}],\"c\":4}";
	SmJson		js;
	SmError		err;
	SmJsonTok	tok;

	memset(&err, 0, sizeof(err));
	smj_init(&js, doc, strlen(doc), &err);
	check(smj_next(&js) == SMJ_OBJ_BEGIN, "skip {", NULL);
	check(smj_next(&js) == SMJ_KEY && smj_key_is(&js, "a"), "skip key a", NULL);
	tok = smj_next(&js);
	check(tok == SMJ_ARR_BEGIN && smj_skip(&js, tok), "skip array", err.msg);
	check(js.depth == 1, "skip array depth", NULL);
	check(smj_next(&js) == SMJ_KEY && smj_key_is(&js, "c"), "skip then key c", NULL);
	tok = smj_next(&js);
	check(tok == SMJ_NUMBER && smj_skip(&js, tok), "skip scalar", NULL);
	check(smj_next(&js) == SMJ_KEY && smj_key_is(&js, "d"), "skip then key d", NULL);
	tok = smj_next(&js);
	check(tok == SMJ_OBJ_BEGIN && smj_skip(&js, tok), "skip object", err.msg);
	check(smj_next(&js) == SMJ_KEY && smj_key_is(&js, "g"), "skip then key g", NULL);
	tok = smj_next(&js);
	check(tok == SMJ_STRING && smj_skip(&js, tok), "skip string", NULL);
	check(smj_next(&js) == SMJ_OBJ_END, "skip }", NULL);
	check(smj_next(&js) == SMJ_EOF && smj_next(&js) == SMJ_EOF, "skip EOF twice", NULL);

	/* skipping the whole document */
	smj_init(&js, doc, strlen(doc), &err);
	tok = smj_next(&js);
	check(smj_skip(&js, tok) && smj_next(&js) == SMJ_EOF, "skip whole document", err.msg);

	/* empty containers */
	smj_init(&js, "[[],{}]", 7, &err);
	smj_next(&js);
	tok = smj_next(&js);
	check(tok == SMJ_ARR_BEGIN && smj_skip(&js, tok), "skip []", NULL);
	tok = smj_next(&js);
	check(tok == SMJ_OBJ_BEGIN && smj_skip(&js, tok), "skip {}", NULL);
	check(smj_next(&js) == SMJ_ARR_END && smj_next(&js) == SMJ_EOF, "skip empties end", NULL);

	/* an error inside the skipped value */
	memset(&err, 0, sizeof(err));
	smj_init(&js, bad, strlen(bad), &err);
	smj_next(&js);
	smj_next(&js);
	tok = smj_next(&js);
	check(tok == SMJ_ARR_BEGIN && !smj_skip(&js, tok), "skip invalid", NULL);
	check(err.code == SM_E_SYNTAX && strstr(err.msg, "at byte 18") != NULL, "skip invalid message", err.msg);
	check(smj_next(&js) == SMJ_ERROR, "skip invalid sticks", NULL);

	/* skipping an error token */
	check(!smj_skip(&js, SMJ_ERROR), "skip SMJ_ERROR", NULL);
}

/* Exact message texts, the what label and bounded excerpts. */
static void
test_messages(void)
{
	SmJson		js;
	SmError		err;
	const char *doc = "[1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]";
	const char *tok;

	memset(&err, 0, sizeof(err));
	smj_init(&js, "{\"a\":1 2}", 9, &err);
	while (smj_next(&js) > SMJ_EOF)
		;
	check(strcmp(err.msg, "JSON syntax error at byte 7: expected ',' or '}' after object member, found '2'") == 0,
		  "message exact object", err.msg);

	smj_init(&js, "\"\\q\"", 4, &err);
	smj_next(&js);
	check(strcmp(err.msg, "JSON syntax error at byte 1: invalid escape \\q") == 0,
		  "message exact escape", err.msg);

	smj_init(&js, "\"ab\xFF\"", 5, &err);
	smj_next(&js);
	check(strcmp(err.msg, "JSON syntax error at byte 3: invalid UTF-8 in string") == 0,
		  "message exact utf8", err.msg);

	smj_init(&js, doc, strlen(doc), &err);
	while (smj_next(&js) > SMJ_EOF)
		;
	check(strcmp(err.msg, "JSON syntax error at byte 3: expected ',' or ']' after array element, found 'aaaaaaaaaaaa'...") == 0,
		  "message bounded excerpt", err.msg);

	smj_init(&js, "[1,", 3, &err);
	js.what = "source map";
	while (smj_next(&js) > SMJ_EOF)
		;
	check(strcmp(err.msg, "source map syntax error at byte 3: expected a value, found end of input") == 0,
		  "message what label", err.msg);

	/* a NULL err is tolerated */
	smj_init(&js, "[", 1, NULL);
	smj_next(&js);
	check(smj_next(&js) == SMJ_ERROR, "NULL err", NULL);

	/* the tokens' spans */
	tok = "  [ true , -12.5e3 ]";
	smj_init(&js, tok, strlen(tok), &err);
	check(smj_next(&js) == SMJ_ARR_BEGIN && js.tok_start == 2 && js.tok_len == 1, "span [", NULL);
	check(smj_next(&js) == SMJ_TRUE && js.tok_start == 4 && js.tok_len == 4, "span true", NULL);
	check(smj_next(&js) == SMJ_NUMBER && js.tok_start == 11 && js.tok_len == 7, "span number", NULL);
	check(smj_next(&js) == SMJ_ARR_END && js.tok_start == 19, "span ]", NULL);
}

/* A document of sizeable indentation and a long string with escapes. */
static void
test_big(void)
{
	size_t		n = 300000;
	char	   *doc = malloc(n + 64);
	size_t		i;
	size_t		o = 0;
	SmError		err;
	SmJson		js;

	if (!doc)
	{
		check(false, "big", "out of memory");
		return;
	}
	o += (size_t) sprintf(doc + o, "{\n%40s\"k\": \"", "");
	for (i = 0; i < n - 200; i++)
	{
		if (i % 997 == 0)
		{
			doc[o++] = '\\';
			doc[o++] = 'n';
			i++;
		}
		else
			doc[o++] = (char) ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/;,"[i % 66]);
	}
	o += (size_t) sprintf(doc + o, "\"\n%40s}\n", "");
	memset(&err, 0, sizeof(err));
	smj_init(&js, doc, o, &err);
	check(smj_next(&js) == SMJ_OBJ_BEGIN && smj_next(&js) == SMJ_KEY &&
		  smj_next(&js) == SMJ_STRING && js.tok_escaped &&
		  smj_next(&js) == SMJ_OBJ_END && smj_next(&js) == SMJ_EOF, "big document", err.msg);
	free(doc);
}

int
main(void)
{
	size_t		i;
	char		name[64];

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "valid[%zu]", i);
		expect_tokens(name, valid_cases[i].doc, strlen(valid_cases[i].doc),
					  valid_cases[i].tokens);
	}
	/* documents with NUL bytes inside strings (escaped) and at the end */
	expect_tokens("valid nul escape", "\"a\\u0000b\"", 10, "S*(a\\u0000b) $");

	for (i = 0; i < sizeof(invalid_cases) / sizeof(invalid_cases[0]); i++)
		test_invalid(&invalid_cases[i], (int) i);

	test_depth();
	test_long_strings();
	test_unescape();
	test_unescape_random();
	test_number_int();
	test_key_is();
	test_skip();
	test_messages();
	test_big();

	printf("json: %d passed, %d failed\n", n_passed, n_failed);
	return n_failed == 0 ? 0 : 1;
}
