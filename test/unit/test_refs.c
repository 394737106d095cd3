/*
 * test_refs.c -- unit test of the sourceMappingURL / debugId scan
 * (sm_refs.h).
 *
 * sourcemap_references() is what ingestion joins bundles to maps with, so
 * it must give exactly ECMA-426's "without parsing" answer.  Checked here:
 * hand-written cases for each rule of the algorithm (the specification's
 * own example among them), the debug-id proposal's last-5-lines window,
 * and a comparison on many generated texts with a plain forward
 * implementation of the specification's steps written independently
 * below, since the core scans the lines backwards and stops early.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolicate/sm_refs.h"
#include "test_util.h"

static TuCounts counts;

#define ID1 "85314830-023f-4cf1-a267-535f4e37bb17"
#define ID2 "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF"

/* Scan src and expect a URL (NULL: none). */
static void
expect_url(const char *what, const char *src, const char *want)
{
	SmRefs		r;

	sm_scan_refs(src, strlen(src), &sm_malloc_env, &r);
	if (want == NULL)
		tu_check(&counts, !r.has_url && r.url == NULL && r.url_len == 0,
				 "%s: URL %s, expected none", what, tu_show(r.url, r.url_len, !r.has_url));
	else
		tu_check(&counts, r.has_url && r.url_len == strlen(want) &&
				 memcmp(r.url, want, r.url_len) == 0,
				 "%s: URL %s, expected %s", what, tu_show(r.url, r.url_len, !r.has_url),
				 tu_show(want, strlen(want), false));
}

/* Scan src and expect a debug id given as its canonical text (NULL: none). */
static void
expect_debug_id(const char *what, const char *src, const char *want)
{
	SmRefs		r;
	char		got[40];
	const uint8_t *d;

	sm_scan_refs(src, strlen(src), &sm_malloc_env, &r);
	d = r.debug_id;
	snprintf(got, sizeof(got),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
			 d[13], d[14], d[15]);
	if (want == NULL)
		tu_check(&counts, !r.has_debug_id && strcmp(got, "00000000-0000-0000-0000-000000000000") == 0,
				 "%s: debug id %s, expected none", what, got);
	else
	{
		char		lower[40];
		size_t		i;

		for (i = 0; want[i] && i < sizeof(lower) - 1; i++)
			lower[i] = (want[i] >= 'A' && want[i] <= 'F') ? (char) (want[i] + 32) : want[i];
		lower[i] = 0;
		tu_check(&counts, r.has_debug_id && strcmp(got, lower) == 0,
				 "%s: debug id %s (%d), expected %s", what, got, (int) r.has_debug_id, lower);
	}
}

/* Each rule of the specification's scan, one case at a time. */
static void
test_url_rules(void)
{
	/* the basic forms */
	expect_url("last line", "code();\n//# sourceMappingURL=foo.js.map", "foo.js.map");
	expect_url("trailing LF", "code();\n//# sourceMappingURL=foo.js.map\n", "foo.js.map");
	expect_url("CRLF", "code();\r\n//# sourceMappingURL=foo.js.map\r\n", "foo.js.map");
	expect_url("CR", "code();\r//# sourceMappingURL=foo.js.map\r", "foo.js.map");
	expect_url("legacy //@", "code();\n//@ sourceMappingURL=old.map", "old.map");
	expect_url("block", "a{}\n/*# sourceMappingURL=a.css.map */", "a.css.map");
	expect_url("block legacy", "/*@ sourceMappingURL=a.css.map*/\n", "a.css.map");
	expect_url("no comment", "code();\n", NULL);
	expect_url("empty", "", NULL);
	expect_url("only the comment", "//# sourceMappingURL=x", "x");
	expect_url("data URL",
			   "f();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ==\n",
			   "data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ==");
	expect_url("absolute URL", "//# sourceMappingURL=https://cdn.example.com:8443/a/b.js.map?v=1#x",
			   "https://cdn.example.com:8443/a/b.js.map?v=1#x");

	/* the last one wins; code forgets; other comments and blank lines do not */
	expect_url("two comments", "//# sourceMappingURL=a.map\n//# sourceMappingURL=b.map\n", "b.map");
	expect_url("two on a line", "/*# sourceMappingURL=a.map */ //# sourceMappingURL=b.map", "b.map");
	expect_url("code after", "//# sourceMappingURL=a.map\nfoo();\n", NULL);
	expect_url("code after on the line", "/*# sourceMappingURL=a.map */ foo();", NULL);
	expect_url("code before on the line", "foo(); //# sourceMappingURL=x.map", "x.map");
	expect_url("code before a block", "foo(); /*# sourceMappingURL=x.map */", "x.map");
	expect_url("other comments after", "//# sourceMappingURL=a.map\n// done\n/* x */ /* y */\n",
			   "a.map");
	expect_url("blank lines after", "//# sourceMappingURL=a.map\n\n  \t\n\n", "a.map");
	expect_url("non-matching comment, then code, then comment",
			   "//# sourceMappingURL=a.map\nx\n// nothing\n", NULL);
	expect_url("a block comment over lines ends in code",
			   "/*\n//# sourceMappingURL=x.map\n*/\n", NULL);
	expect_url("unclosed block keeps the URL", "//# sourceMappingURL=a.map\n/* unclosed", "a.map");
	expect_url("unclosed block after the comment on its line",
			   "//# sourceMappingURL=a.map\n /*# sourceMappingURL=b.map", "a.map");
	expect_url("block closes at its first */", "/*# sourceMappingURL=a.map */ */", NULL);
	expect_url("lone slash is code", "//# sourceMappingURL=a.map\n/\n", NULL);
	expect_url("slash then comment", "/ //# sourceMappingURL=c.map", "c.map");
	expect_url("triple slash", "///# sourceMappingURL=a.map", NULL);
	expect_url("regex-like code", "x = /a/g;\n//# sourceMappingURL=r.map", "r.map");

	/* the comment's own pattern */
	expect_url("spaces after #", "//#    sourceMappingURL=x.map", "x.map");
	expect_url("tab after #", "//#\tsourceMappingURL=x.map", "x.map");
	expect_url("space before #", "// # sourceMappingURL=x.map", NULL);
	expect_url("trailing spaces", "//# sourceMappingURL=a.map  \t ", "a.map");
	expect_url("space in the URL", "//# sourceMappingURL=a b.map", NULL);
	expect_url("space in the URL keeps the earlier one",
			   "//# sourceMappingURL=a.map\n//# sourceMappingURL=a b.map", "a.map");
	expect_url("space before =", "//# sourceMappingURL =x.map", NULL);
	expect_url("lower case key", "//# sourcemappingurl=x.map", NULL);
	expect_url("empty URL", "//# sourceMappingURL=", "");
	expect_url("empty URL, spaces", "//# sourceMappingURL=   ", "");
	expect_url("= in the URL", "//# sourceMappingURL=a.map?x=1&y==", "a.map?x=1&y==");
	expect_url("NBSP ends the URL", "//# sourceMappingURL=a.map\xc2\xa0", "a.map");
	expect_url("U+3000 in the URL", "//# sourceMappingURL=a\xe3\x80\x80" "b", NULL);
	expect_url("non-ASCII URL", "//# sourceMappingURL=caf\xc3\xa9.map", "caf\xc3\xa9.map");

	/* whitespace and terminators beyond ASCII */
	expect_url("NBSP before", "\xc2\xa0//# sourceMappingURL=x.map", "x.map");
	expect_url("BOM before", "\xef\xbb\xbf//# sourceMappingURL=x.map", "x.map");
	expect_url("U+2003 before", "\xe2\x80\x83//# sourceMappingURL=x.map", "x.map");
	expect_url("U+2028 splits lines", "//# sourceMappingURL=a.map\xe2\x80\xa8" "code", NULL);
	expect_url("U+2029 splits lines", "code\xe2\x80\xa9//# sourceMappingURL=a.map", "a.map");
	expect_url("U+2028 after the comment", "//# sourceMappingURL=a.map\xe2\x80\xa8", "a.map");
	expect_url("NEL is not whitespace", "\xc2\x85//# sourceMappingURL=x.map\n", "x.map");
	expect_url("NEL before a later line", "//# sourceMappingURL=x.map\n\xc2\x85\n", NULL);

	/* the specification's example of an ambiguous link: no parsing, so found */
	expect_url("ECMA-426 example", "let a = `\n//# sourceMappingURL=foo.js.map\n//`", "foo.js.map");
	/* text in a string continued over lines is taken too (the known ambiguity) */
	expect_url("in a string", "var s = \"\\\n//# sourceMappingURL=s.map\";", "s.map\";");
}

/* MatchSourceMapURL on its own. */
static void
test_match(void)
{
	const char *url;
	size_t		len;

	tu_check(&counts, sm_match_source_mapping_url("# sourceMappingURL=a", 20, &url, &len) &&
			 len == 1 && url[0] == 'a', "match #");
	tu_check(&counts, !sm_match_source_mapping_url("", 0, &url, &len), "match empty");
	tu_check(&counts, !sm_match_source_mapping_url("#", 1, &url, &len), "match #");
	tu_check(&counts, !sm_match_source_mapping_url("# sourceMappingURL", 18, &url, &len),
			 "match without =");
	/* \s also covers line terminators inside the given comment text */
	tu_check(&counts, sm_match_source_mapping_url("#\nsourceMappingURL=b\r\n", 22, &url, &len) &&
			 len == 1 && url[0] == 'b', "match with terminators");
	/* the length is respected */
	tu_check(&counts, sm_match_source_mapping_url("# sourceMappingURL=abc", 20, &url, &len) &&
			 len == 1, "match respects len");
}

/* The debugId comment: its form and the last-five-lines window. */
static void
test_debug_id(void)
{
	expect_debug_id("canonical", "f();\n//# debugId=" ID1 "\n//# sourceMappingURL=f.js.map\n", ID1);
	expect_debug_id("upper case", "//# debugId=" ID2, ID2);
	expect_debug_id("last line no LF", "f();\n//# debugId=" ID1, ID1);
	expect_debug_id("CRLF", "f();\r\n//# debugId=" ID1 "\r\n//# sourceMappingURL=f.js.map\r\n", ID1);
	expect_debug_id("spaces around", "  //# debugId=" ID1 " \t\n", ID1);
	expect_debug_id("nearest the end wins", "//# debugId=" ID1 "\n//# debugId=" ID2 "\n", ID2);
	expect_debug_id("none", "f();\n//# sourceMappingURL=f.js.map\n", NULL);
	expect_debug_id("empty", "", NULL);
	/* the window is the last five lines; a final LF starts no sixth */
	expect_debug_id("5th line from the end",
					"//# debugId=" ID1 "\na\nb\nc\nd\n", ID1);
	expect_debug_id("6th line from the end",
					"//# debugId=" ID1 "\na\nb\nc\nd\ne\n", NULL);
	expect_debug_id("5th line, no final LF", "//# debugId=" ID1 "\na\nb\nc\nd", ID1);
	expect_debug_id("CRLF counts once", "//# debugId=" ID1 "\r\na\r\nb\r\nc\r\nd\r\n", ID1);
	expect_debug_id("blank lines count", "//# debugId=" ID1 "\n\n\n\n\n\n", NULL);
	/* only the exact comment */
	expect_debug_id("legacy prefix", "//@ debugId=" ID1, NULL);
	expect_debug_id("space before #", "// # debugId=" ID1, NULL);
	expect_debug_id("space after =", "//# debugId= " ID1, NULL);
	expect_debug_id("not a UUID", "//# debugId=85314830023f4cf1a267535f4e37bb17", NULL);
	expect_debug_id("bad digit", "//# debugId=85314830-023f-4cf1-a267-535f4e37bb1g", NULL);
	expect_debug_id("short", "//# debugId=85314830-023f-4cf1-a267-535f4e37bb1", NULL);
	expect_debug_id("trailing text", "//# debugId=" ID1 "x", NULL);
	expect_debug_id("trailing text, earlier good one", "//# debugId=" ID2 "\n//# debugId=" ID1 " x",
					ID2);
	expect_debug_id("after code", "f(); //# debugId=" ID1, NULL);
	expect_debug_id("block comment", "/*# debugId=" ID1 " */", NULL);
	/* both at once, independent of each other */
	{
		SmRefs		r;
		const char *src = "x();\n//# debugId=" ID1 "\n//# sourceMappingURL=x.js.map\n";

		sm_scan_refs(src, strlen(src), &sm_malloc_env, &r);
		tu_check(&counts, r.has_url && r.has_debug_id && r.url_len == 8 &&
				 memcmp(r.url, "x.js.map", 8) == 0 && r.debug_id[0] == 0x85 &&
				 r.debug_id[15] == 0x17, "both");
		/* the debug id does not depend on the URL rule: code after it is fine */
		src = "//# debugId=" ID1 "\nx();\n";
		sm_scan_refs(src, strlen(src), &sm_malloc_env, &r);
		tu_check(&counts, !r.has_url && r.has_debug_id, "debug id before code");
	}
}

/* ---- a forward reference implementation of the specification -------- */

/* ECMAScript WhiteSpace at p: bytes, or 0 (the test's own table). */
static size_t
ref_ws(const unsigned char *p, const unsigned char *end)
{
	static const char *const multi[] = {"\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
		"\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
		"\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xaf",
	"\xe2\x81\x9f", "\xe3\x80\x80", "\xef\xbb\xbf"};
	size_t		i;

	if (p < end && (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f'))
		return 1;
	for (i = 0; i < sizeof(multi) / sizeof(multi[0]); i++)
	{
		size_t		n = strlen(multi[i]);

		if ((size_t) (end - p) >= n && memcmp(p, multi[i], n) == 0)
			return n;
	}
	return 0;
}

/* MatchSourceMapURL by the pattern's letter, for ASCII/test inputs. */
static bool
ref_match(const unsigned char *c, size_t len, size_t *u0, size_t *u1)
{
	size_t		i = 0;
	size_t		n;

	if (len == 0 || (c[0] != '#' && c[0] != '@'))
		return false;
	i = 1;
	while (i < len && (n = ref_ws(c + i, c + len)) > 0)
		i += n;
	if (len - i < 17 || memcmp(c + i, "sourceMappingURL=", 17) != 0)
		return false;
	i += 17;
	*u0 = i;
	while (i < len && ref_ws(c + i, c + len) == 0)
		i++;
	*u1 = i;
	while (i < len)
	{
		n = ref_ws(c + i, c + len);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* The specification's loop over every line, front to back. */
static bool
ref_extract(const char *src, size_t len, size_t *u0, size_t *u1)
{
	const unsigned char *s = (const unsigned char *) src;
	bool		found = false;
	size_t		ls = 0;

	while (ls <= len)
	{
		size_t		le = ls;
		size_t		next;
		size_t		pos;

		/* the line: up to LF, CR, U+2028 or U+2029 */
		while (le < len && s[le] != '\n' && s[le] != '\r' &&
			   !(le + 2 < len && s[le] == 0xe2 && s[le + 1] == 0x80 &&
				 (s[le + 2] == 0xa8 || s[le + 2] == 0xa9)))
			le++;
		if (le >= len)
			next = len + 1;
		else if (s[le] == '\r' && le + 1 < len && s[le + 1] == '\n')
			next = le + 2;
		else
			next = le + (s[le] == 0xe2 ? 3 : 1);
		pos = ls;
		while (pos < le)
		{
			unsigned char first = s[pos++];
			size_t		w;

			if (first == '/' && pos < le)
			{
				unsigned char second = s[pos++];

				if (second == '/')
				{
					size_t		a,
								b;

					if (ref_match(s + pos, le - pos, &a, &b))
					{
						found = true;
						*u0 = pos + a;
						*u1 = pos + b;
					}
					pos = le;
				}
				else if (second == '*')
				{
					size_t		start = pos;
					bool		closed = false;

					while (pos + 1 < le)
					{
						if (s[pos] == '*' && s[pos + 1] == '/')
						{
							size_t		a,
										b;

							if (ref_match(s + start, pos - start, &a, &b))
							{
								found = true;
								*u0 = start + a;
								*u1 = start + b;
							}
							pos += 2;
							closed = true;
							break;
						}
						pos++;
					}
					if (!closed)
						pos = le;
				}
				else
					found = false;
			}
			else if ((w = ref_ws(s + pos - 1, s + le)) > 0)
				pos += w - 1;
			else
				found = false;
		}
		ls = next;
	}
	return found;
}

/* Random texts from comment-ish pieces: the backward scan agrees with it. */
static void
test_against_reference(void)
{
	static const char *const pieces[] = {
		"//# sourceMappingURL=a.map", "//@ sourceMappingURL=b.map", "/*# sourceMappingURL=c.map */",
		"/*# sourceMappingURL=d.map", "//# sourceMappingURL=e f", "// note", "/* x */", "x", "f();",
		" ", "\t", "\n", "\r\n", "\r", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\xa0", "/", "*", "*/",
		"/*", "//", "#", "@", "sourceMappingURL=", "\xef\xbb\xbf", "`", "\"", "=",
	};
	int			npieces = (int) (sizeof(pieces) / sizeof(pieces[0]));
	uint32_t	x = 2463534242u;
	long		bad = 0;
	long		with_url = 0;
	int			t;

	for (t = 0; t < 20000; t++)
	{
		char		buf[512];
		size_t		len = 0;
		int			k = (int) (x % 12);
		int			i;
		size_t		u0 = 0,
					u1 = 0;
		bool		want;
		SmRefs		r;

		for (i = 0; i < k; i++)
		{
			const char *p;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p = pieces[x % (uint32_t) npieces];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		want = ref_extract(buf, len, &u0, &u1);
		with_url += want;
		sm_scan_refs(buf, len, &sm_malloc_env, &r);
		if (want != r.has_url ||
			(want && (r.url != buf + u0 || r.url_len != u1 - u0)))
		{
			if (bad++ < 5)
				tu_check(&counts, false, "reference differs on %s: %s vs %s",
						 tu_show(buf, len, false), want ? tu_show(buf + u0, u1 - u0, false) : "none",
						 tu_show(r.url, r.url_len, !r.has_url));
		}
	}
	tu_check(&counts, bad == 0, "reference: %ld of 20000 texts differ", bad);
	/* both answers are well represented */
	tu_check(&counts, with_url > 2000 && with_url < 18000, "reference: %ld texts with a URL",
			 with_url);
	printf("reference: 20000 texts, %ld with a URL\n", with_url);
}

/* A big bundle: only its tail is read, and a code tail means no URL. */
static void
test_large(void)
{
	size_t		n = (size_t) 8 << 20;
	char	   *src = malloc(n + 200);
	size_t		i;
	SmRefs		r;

	for (i = 0; i < n; i++)
		src[i] = (i % 97 == 96) ? '\n' : 'a' + (char) (i % 26);
	strcpy(src + n, "\n//# debugId=" ID1 "\n//# sourceMappingURL=big.js.map\n");
	sm_scan_refs(src, strlen(src), &sm_malloc_env, &r);
	tu_check(&counts, r.has_url && r.url_len == 10 && memcmp(r.url, "big.js.map", 10) == 0 &&
			 r.has_debug_id, "big bundle");
	/* one huge line of code after the comment */
	memset(src, 'z', n);
	memcpy(src, "//# sourceMappingURL=a.map\n", 27);
	src[n] = 0;
	sm_scan_refs(src, n, &sm_malloc_env, &r);
	tu_check(&counts, !r.has_url && !r.has_debug_id, "huge code line");
	free(src);
}

int
main(void)
{
	test_url_rules();
	test_match();
	test_debug_id();
	test_against_reference();
	test_large();
	return tu_finish("refs", &counts);
}
