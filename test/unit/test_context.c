/*
 * test_context.c -- unit test of source context lines (sm_context.h).
 *
 * sourcemap_context() shows the code around a resolved frame, so the line
 * split has to agree with how JavaScript tools count lines, the column
 * has to be UTF-16 code units, and trimming a long line must never cut a
 * multibyte character or a surrogate pair in half.  Checked here: the
 * terminators, the line index, the UTF-16 helpers on multibyte and
 * astral text (an emoji is two units), Sentry's trimming arithmetic on
 * exact expected windows, and the pre/line/post windows at the edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_buf.h"
#include "symbolicate/sm_context.h"
#include "test_util.h"

static TuCounts counts;

static long interrupts;

/* count interrupt polls */
static void
count_interrupt(void *ctx)
{
	(void) ctx;
	interrupts++;
}

/* Build an index over text (NUL-terminated) with the given rule. */
static SmLineIndex *
index_of(const char *text, SmLineRule rule)
{
	SmError		err = {0};
	SmLineIndex *idx = sm_line_index_build(text, strlen(text), rule, &sm_malloc_env, &err);

	tu_check(&counts, idx != NULL, "index of %s: %s", tu_show(text, strlen(text), false), err.msg);
	return idx;
}

/*
 * Expect text to split into the lines given as one string joined by '|'
 * (nlines 0 for no line at all).
 */
static void
expect_lines(const char *text, SmLineRule rule, uint32_t nlines, const char *joined)
{
	SmLineIndex *idx = index_of(text, rule);
	char		got[512];
	size_t		o = 0;
	uint32_t	i;
	const char *p;
	size_t		len;

	if (idx == NULL)
		return;
	tu_check(&counts, idx->nlines == nlines, "%s (rule %d): %u lines, expected %u",
			 tu_show(text, strlen(text), false), (int) rule, idx->nlines, nlines);
	got[0] = 0;
	for (i = 0; i < idx->nlines && o + 100 < sizeof(got); i++)
	{
		if (!sm_line_get(idx, text, i, &p, &len))
			break;
		if (i > 0)
			got[o++] = '|';
		memcpy(got + o, p, len);
		o += len;
		got[o] = 0;
	}
	tu_check(&counts, strcmp(got, joined) == 0, "%s (rule %d): lines %s, expected %s",
			 tu_show(text, strlen(text), false), (int) rule, tu_show(got, o, false),
			 tu_show(joined, strlen(joined), false));
	tu_check(&counts, !sm_line_get(idx, text, idx->nlines, &p, &len),
			 "%s: line past the end found", tu_show(text, strlen(text), false));
	sm_line_index_free(&sm_malloc_env, idx);
}

/* Which byte sequences end a line, and how texts split under each rule. */
static void
test_terminators(void)
{
	static const struct
	{
		const char *s;
		SmLineRule	rule;
		size_t		want;
	}			cases[] = {
		{"\n", SM_LINES_JS, 1},
		{"\r", SM_LINES_JS, 1},
		{"\r\n", SM_LINES_JS, 2},
		{"\n\r", SM_LINES_JS, 1},
		{"\xe2\x80\xa8", SM_LINES_JS, 3},
		{"\xe2\x80\xa9", SM_LINES_JS, 3},
		{"\xe2\x80\xa8", SM_LINES_NEWLINE, 0},
		{"\xe2\x80\xaa", SM_LINES_JS, 0},
		{"\xe2\x80", SM_LINES_JS, 0},
		{"\xc2\x85", SM_LINES_JS, 0},	/* NEL is not a JS terminator */
		{"a\n", SM_LINES_JS, 0},
		{"", SM_LINES_JS, 0},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const char *s = cases[i].s;
		size_t		got = sm_newline_len(s, s + strlen(s), cases[i].rule);

		tu_check(&counts, got == cases[i].want, "newline_len %s: %zu, expected %zu",
				 tu_show(s, strlen(s), false), got, cases[i].want);
	}
	/* the end pointer is respected: CR at the end of the range is alone */
	tu_check(&counts, sm_newline_len("\r\n", "\r\n" + 1, SM_LINES_JS) == 1, "CR at end");

	expect_lines("", SM_LINES_JS, 0, "");
	expect_lines("a", SM_LINES_JS, 1, "a");
	expect_lines("a\n", SM_LINES_JS, 1, "a");
	expect_lines("\n", SM_LINES_JS, 1, "");
	expect_lines("\n\n", SM_LINES_JS, 2, "|");
	expect_lines("a\nb", SM_LINES_JS, 2, "a|b");
	expect_lines("a\r\nb\rc\n", SM_LINES_JS, 3, "a|b|c");
	expect_lines("a\r\r\nb", SM_LINES_JS, 3, "a||b");
	expect_lines("a\n\rb", SM_LINES_JS, 3, "a||b");
	expect_lines("\r\n", SM_LINES_JS, 1, "");
	expect_lines("a\r", SM_LINES_JS, 1, "a");
	expect_lines("x\xe2\x80\xa8y\xe2\x80\xa9z", SM_LINES_JS, 3, "x|y|z");
	expect_lines("x\xe2\x80\xa8y\xe2\x80\xa9z", SM_LINES_NEWLINE, 1, "x\xe2\x80\xa8y\xe2\x80\xa9z");
	expect_lines("x\xe2\x80\xa8", SM_LINES_JS, 1, "x");
	expect_lines("x\xe2\x80\xa8", SM_LINES_NEWLINE, 1, "x\xe2\x80\xa8");
	expect_lines("  indented\n\ttab\n", SM_LINES_JS, 2, "  indented|\ttab");
	expect_lines("caf\xc3\xa9\n\xf0\x9f\x98\x80!\n", SM_LINES_JS, 2, "caf\xc3\xa9|\xf0\x9f\x98\x80!");
}

/* UTF-16 lengths and column-to-byte offsets, invalid UTF-8 included. */
static void
test_utf16(void)
{
	static const struct
	{
		const char *s;
		size_t		units;
	}			lens[] = {
		{"", 0},
		{"abc", 3},
		{"caf\xc3\xa9", 4},		/* é: 2 bytes, 1 unit */
		{"\xe2\x82\xac", 1},	/* €: 3 bytes, 1 unit */
		{"\xf0\x9f\x98\x80", 2},	/* 😀: 4 bytes, 2 units */
		{"a\xf0\x9f\x98\x80" "b", 4},
		{"\xff", 1},			/* invalid bytes count one unit each */
		{"\xe2\x82", 2},		/* cut sequence */
		{"\xc0\xaf", 2},		/* overlong */
		{"\xed\xa0\x80", 3},	/* an encoded surrogate */
		{"\xf4\x90\x80\x80", 4},	/* above U+10FFFF */
		{"\xf0\x9f\x98", 3},	/* cut astral */
	};
	/* "a😀b€" : units a=0, 😀=1..2, b=3, €=4, end=5 */
	const char *line = "a\xf0\x9f\x98\x80" "b\xe2\x82\xac";
	static const struct
	{
		uint32_t	col;
		size_t		off;
		bool		in;
	}			cols[] = {
		{0, 0, true}, {1, 1, true}, {2, 1, true}, {3, 5, true}, {4, 6, true},
		{5, 9, true}, {6, 9, false}, {1000, 9, false},
	};
	size_t		i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
	{
		size_t		got = sm_utf16_length(lens[i].s, strlen(lens[i].s));

		tu_check(&counts, got == lens[i].units, "utf16 length of %s: %zu, expected %zu",
				 tu_show(lens[i].s, strlen(lens[i].s), false), got, lens[i].units);
	}
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
	{
		size_t		off = 99;
		bool		in = sm_utf16_col_to_byte(line, strlen(line), cols[i].col, &off);

		tu_check(&counts, off == cols[i].off && in == cols[i].in,
				 "col %u of a😀b€: byte %zu (%d), expected %zu (%d)", cols[i].col, off,
				 (int) in, cols[i].off, (int) cols[i].in);
	}
	{
		size_t		off = 99;

		tu_check(&counts, sm_utf16_col_to_byte("", 0, 0, &off) && off == 0, "col 0 of \"\"");
		tu_check(&counts, !sm_utf16_col_to_byte("", 0, 1, &off) && off == 0, "col 1 of \"\"");
	}
}

/* n copies of a string (malloc'ed, NUL-terminated). */
static char *
repeat(const char *unit, size_t n)
{
	size_t		ul = strlen(unit);
	char	   *s = malloc(ul * n + 1);
	size_t		i;

	for (i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = 0;
	return s;
}

/* Trim and expect the slice [want_off, want_off + want_len) and the markers. */
static void
expect_trim(const char *what, const char *line, uint32_t col, size_t want_off, size_t want_len,
			bool snip_start, bool snip_end)
{
	SmCtxLine	l = sm_trim_line(line, strlen(line), col);
	size_t		off = (size_t) (l.ptr - line);

	tu_check(&counts, off == want_off && l.len == want_len && l.snip_start == snip_start &&
			 l.snip_end == snip_end,
			 "trim %s col %u: [%zu, +%zu) %d/%d, expected [%zu, +%zu) %d/%d", what, col, off,
			 l.len, (int) l.snip_start, (int) l.snip_end, want_off, want_len,
			 (int) snip_start, (int) snip_end);
}

/* The window arithmetic on ASCII lines, where units and bytes agree. */
static void
test_trim_ascii(void)
{
	char	   *l150 = repeat("x", 150);
	char	   *l151 = repeat("x", 151);
	char	   *l200 = repeat("x", 200);
	char	   *l1000 = repeat("y", 1000);

	expect_trim("150", l150, 75, 0, 150, false, false);
	expect_trim("short", "abc", 2, 0, 3, false, false);
	expect_trim("151 col 0", l151, 0, 0, 140, false, true);
	expect_trim("151 col 151", l151, 151, 11, 140, true, false);
	/* start = 100 - 60 = 40, end = 180 */
	expect_trim("200 col 100", l200, 100, 40, 140, true, true);
	/* start 4 < 5 rounds to 0 */
	expect_trim("200 col 64", l200, 64, 0, 140, false, true);
	expect_trim("200 col 65", l200, 65, 5, 140, true, true);
	/* end 196 > 195 rounds to the end, then start slides to keep 140 */
	expect_trim("200 col 116", l200, 116, 60, 140, true, false);
	expect_trim("200 col 115", l200, 115, 55, 140, true, true);
	expect_trim("200 col 199", l200, 199, 60, 140, true, false);
	expect_trim("200 col past end", l200, 5000, 60, 140, true, false);
	expect_trim("1000 col 500", l1000, 500, 440, 140, true, true);
	expect_trim("1000 col 0", l1000, 0, 0, 140, false, true);
	/* rendering */
	{
		SmCtxLine	l = sm_trim_line(l1000, 1000, 500);
		char		buf[200];
		size_t		n = sm_ctx_line_render(&l, buf);

		tu_check(&counts, n == sm_ctx_line_size(&l) && n == 140 + 14, "render size %zu", n);
		tu_check(&counts, memcmp(buf, "{snip} yyy", 10) == 0 &&
				 memcmp(buf + n - 10, "yyy {snip}", 10) == 0, "render %s", tu_show(buf, n, false));
		l = sm_trim_line("abc", 3, 0);
		n = sm_ctx_line_render(&l, buf);
		tu_check(&counts, n == 3 && memcmp(buf, "abc", 3) == 0 && sm_ctx_line_size(&l) == 3,
				 "render short");
		l.len = 0;
		l.snip_end = true;
		tu_check(&counts, sm_ctx_line_render(&l, buf) == 7 && memcmp(buf, " {snip}", 7) == 0,
				 "render empty with a marker");
	}
	free(l150);
	free(l151);
	free(l200);
	free(l1000);
}

/* Multibyte and astral text: counted in units, never cut inside a character. */
static void
test_trim_multibyte(void)
{
	/* "a" then 200 emoji: unit 0 = a, emoji k = units 1+2k and 2+2k */
	char	   *emoji = repeat("\xf0\x9f\x98\x80", 200);
	char	   *line = malloc(strlen(emoji) + 2);
	char	   *accents = repeat("\xc3\xa9", 300);	/* 600 bytes, 300 units */
	char	   *euro = repeat("\xe2\x82\xac", 151);	/* 453 bytes, 151 units */
	char	   *short_multi = repeat("\xf0\x9f\x98\x80", 75);	/* 300 bytes, 150 units */
	uint32_t	col;
	long		bad = 0;

	line[0] = 'a';
	strcpy(line + 1, emoji);
	/*
	 * col 66: start unit 6 is the low half of emoji 2, so the cut moves
	 * back to emoji 2 (unit 5, byte 9); end unit 146 is the low half of
	 * emoji 72, so the cut moves on past it (unit 147, byte 293).
	 */
	expect_trim("a+emoji col 66", line, 66, 9, 284, true, true);
	/* col 65: start unit 5 (emoji 2 start), end 145 (emoji 72 start, byte 289) */
	expect_trim("a+emoji col 65", line, 65, 9, 280, true, true);
	/* units, not bytes, decide whether to trim at all */
	expect_trim("150 emoji units", short_multi, 0, 0, 300, false, false);
	expect_trim("151 euros col 0", euro, 0, 0, 140 * 3, false, true);
	/* é is one unit, two bytes: window [40, 180) units = bytes [80, 360) */
	expect_trim("accents col 100", accents, 100, 80, 280, true, true);
	/*
	 * every column of the emoji line gives valid UTF-8 of 140..142 units
	 * (each cut may take in the other half of a pair)
	 */
	for (col = 0; col < 420; col++)
	{
		SmCtxLine	l = sm_trim_line(line, strlen(line), col);
		size_t		units = sm_utf16_length(l.ptr, l.len);

		if (!sm_text_valid((const uint8_t *) l.ptr, l.len) || units < 140 || units > 142)
		{
			if (bad++ < 3)
				tu_check(&counts, false, "emoji line col %u: %zu units, valid %d", col, units,
						 (int) sm_text_valid((const uint8_t *) l.ptr, l.len));
		}
	}
	tu_check(&counts, bad == 0, "emoji line: %ld columns cut badly", bad);
	free(emoji);
	free(line);
	free(accents);
	free(euro);
	free(short_multi);
}

/* Expect lines [first, first + n) of a "line <i>" text in ctx. */
static void
expect_window(const char *what, const SmContext *ctx, uint32_t first, uint32_t npre,
			  uint32_t npost)
{
	uint32_t	i;

	if (!tu_check(&counts, ctx->first_line == first && ctx->npre == npre && ctx->npost == npost,
				  "%s: first %u pre %u post %u, expected %u %u %u", what, ctx->first_line,
				  ctx->npre, ctx->npost, first, npre, npost))
		return;
	for (i = 0; i < npre + 1 + npost; i++)
	{
		char		want[32];

		snprintf(want, sizeof(want), "line %u", first + i);
		tu_check(&counts, ctx->lines[i].len == strlen(want) &&
				 memcmp(ctx->lines[i].ptr, want, strlen(want)) == 0,
				 "%s: line %u is %s", what, i, tu_show(ctx->lines[i].ptr, ctx->lines[i].len, false));
	}
}

/* The pre/line/post window in the middle and at both ends of a text. */
static void
test_context(void)
{
	char		text[1000];
	size_t		o = 0;
	uint32_t	i;
	SmError		err = {0};
	SmLineIndex *idx;
	SmContext	ctx;

	for (i = 0; i < 20; i++)
		o += (size_t) snprintf(text + o, sizeof(text) - o, "line %u%s", i,
							   i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\xe2\x80\xa8");
	idx = index_of(text, SM_LINES_JS);
	if (idx == NULL)
		return;
	tu_check(&counts, idx->nlines == 20, "20 lines: %u", idx->nlines);
	tu_check(&counts, sm_context_get(idx, text, o, 10, false, 0, 3, true, &sm_malloc_env,
									 &ctx, &err) == 1, "line 10: %s", err.msg);
	expect_window("line 10 radius 3", &ctx, 7, 3, 3);
	sm_context_free(&sm_malloc_env, &ctx);
	tu_check(&counts, sm_context_get(idx, text, o, 0, true, 2, 5, true, &sm_malloc_env, &ctx,
									 &err) == 1, "line 0");
	expect_window("line 0 radius 5", &ctx, 0, 0, 5);
	sm_context_free(&sm_malloc_env, &ctx);
	tu_check(&counts, sm_context_get(idx, text, o, 19, false, 0, 5, false, &sm_malloc_env, &ctx,
									 &err) == 1, "line 19");
	expect_window("line 19 radius 5", &ctx, 14, 5, 0);
	sm_context_free(&sm_malloc_env, &ctx);
	tu_check(&counts, sm_context_get(idx, text, o, 2, false, 0, 0, true, &sm_malloc_env, &ctx,
									 &err) == 1, "radius 0");
	expect_window("line 2 radius 0", &ctx, 2, 0, 0);
	sm_context_free(&sm_malloc_env, &ctx);
	tu_check(&counts, sm_context_get(idx, text, o, 5, false, 0, UINT32_MAX, true,
									 &sm_malloc_env, &ctx, &err) == 1, "radius max");
	expect_window("line 5 radius max", &ctx, 0, 5, 14);
	sm_context_free(&sm_malloc_env, &ctx);
	tu_check(&counts, sm_context_get(idx, text, o, 20, false, 0, 5, true, &sm_malloc_env, &ctx,
									 &err) == 0 && ctx.lines == NULL, "line 20 is out of range");
	tu_check(&counts, sm_context_get(idx, text, o, UINT32_MAX, false, 0, 5, true, &sm_malloc_env,
									 &ctx, &err) == 0, "line 2^32-1 is out of range");
	tu_check(&counts, sm_context_get(idx, text, o - 1, 1, false, 0, 5, true, &sm_malloc_env,
									 &ctx, &err) == -1 && err.code == SM_E_ARGUMENT,
			 "index used on another text: %s", err.msg);
	sm_line_index_free(&sm_malloc_env, idx);

	/* an empty source has no line 0 */
	idx = index_of("", SM_LINES_JS);
	tu_check(&counts, idx && sm_context_get(idx, "", 0, 0, false, 0, 5, true, &sm_malloc_env,
											&ctx, &err) == 0, "empty text");
	sm_line_index_free(&sm_malloc_env, idx);
}

/* A minified line among short ones: every line is trimmed around the column. */
static void
test_context_trim(void)
{
	char	   *longline = repeat("0123456789", 50);	/* 500 units */
	size_t		n = strlen(longline) * 2 + 32;
	char	   *text = malloc(n);
	SmLineIndex *idx;
	SmContext	ctx;
	SmError		err = {0};
	char		buf[600];
	size_t		len;

	snprintf(text, n, "short\n%s\n%s\nend", longline, longline);
	idx = index_of(text, SM_LINES_JS);
	if (idx == NULL)
		return;
	tu_check(&counts, sm_context_get(idx, text, strlen(text), 1, true, 250, 5, true,
									 &sm_malloc_env, &ctx, &err) == 1, "trim: %s", err.msg);
	tu_check(&counts, ctx.npre == 1 && ctx.npost == 2, "trim: window %u %u", ctx.npre, ctx.npost);
	len = sm_ctx_line_render(&ctx.lines[0], buf);
	tu_check(&counts, len == 5 && memcmp(buf, "short", 5) == 0, "trim: short line untouched");
	len = sm_ctx_line_render(&ctx.lines[1], buf);
	/* window [190, 330): "0123..." starting at unit 190 */
	tu_check(&counts, len == 140 + 14 && memcmp(buf, "{snip} 0123", 11) == 0 &&
			 memcmp(buf + len - 11, "9 {snip}", 8) != 0 && memcmp(buf + len - 7, " {snip}", 7) == 0,
			 "trim: line %s", tu_show(buf, len, false));
	tu_check(&counts, ctx.lines[2].ptr == ctx.lines[1].ptr + strlen(longline) + 1 &&
			 ctx.lines[2].len == 140, "trim: post line cut around the same column");
	sm_context_free(&sm_malloc_env, &ctx);
	/* no column: from the start */
	tu_check(&counts, sm_context_get(idx, text, strlen(text), 1, false, 250, 5, true,
									 &sm_malloc_env, &ctx, &err) == 1, "trim no col");
	tu_check(&counts, !ctx.lines[1].snip_start && ctx.lines[1].snip_end && ctx.lines[1].len == 140,
			 "trim no col: cut from the start");
	sm_context_free(&sm_malloc_env, &ctx);
	/* no trimming asked */
	tu_check(&counts, sm_context_get(idx, text, strlen(text), 1, true, 250, 5, false,
									 &sm_malloc_env, &ctx, &err) == 1, "no trim");
	tu_check(&counts, ctx.lines[1].len == 500 && !ctx.lines[1].snip_start, "no trim: whole line");
	sm_context_free(&sm_malloc_env, &ctx);
	sm_line_index_free(&sm_malloc_env, idx);
	free(text);
	free(longline);
}

/* A large text polls interrupts while it is split, and lines stay O(1). */
static void
test_large(void)
{
	size_t		nlines = 300000;
	char	   *text = malloc(nlines * 12 + 1);
	size_t		o = 0;
	size_t		i;
	SmEnv		env = sm_malloc_env;
	SmError		err = {0};
	SmLineIndex *idx;
	const char *p;
	size_t		len;

	for (i = 0; i < nlines; i++)
		o += (size_t) sprintf(text + o, "v%09zu\n", i);
	env.interrupt = count_interrupt;
	interrupts = 0;
	idx = sm_line_index_build(text, o, SM_LINES_JS, &env, &err);
	if (!tu_check(&counts, idx != NULL, "large: %s", err.msg))
	{
		free(text);
		return;
	}
	tu_check(&counts, idx->nlines == nlines, "large: %u lines", idx->nlines);
	tu_check(&counts, interrupts >= 2, "large: %ld interrupt polls", interrupts);
	tu_check(&counts, sm_line_get(idx, text, 123456, &p, &len) && len == 10 &&
			 memcmp(p, "v000123456", 10) == 0, "large: line 123456");
	sm_line_index_free(&env, idx);
	free(text);
}

int
main(void)
{
	test_terminators();
	test_utf16();
	test_trim_ascii();
	test_trim_multibyte();
	test_context();
	test_context_trim();
	test_large();
	return tu_finish("context", &counts);
}
