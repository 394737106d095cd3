/*
 * sm_context.c -- line index of a source text, UTF-16 column arithmetic,
 * Sentry-style trimming and the context-lines lookup.  See sm_context.h.
 */
#include <string.h>

#include "symbolicate/sm_context.h"

/* Poll interrupts every this many bytes while splitting. */
#define POLL_BYTES ((size_t) 1 << 20)

size_t
sm_newline_len(const char *p, const char *end, SmLineRule rule)
{
	const uint8_t *u = (const uint8_t *) p;

	if (p >= end)
		return 0;
	if (u[0] == '\n')
		return 1;
	if (u[0] == '\r')
		return (p + 1 < end && u[1] == '\n') ? 2 : 1;
	if (rule == SM_LINES_JS && u[0] == 0xE2 && end - p >= 3 && u[1] == 0x80 &&
		(u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* Bytes of the terminator that ends just before offset `at` (0 if none). */
static size_t
newline_before(const char *text, size_t at, SmLineRule rule)
{
	const uint8_t *u = (const uint8_t *) text;

	if (at == 0)
		return 0;
	if (u[at - 1] == '\n')
		return (at >= 2 && u[at - 2] == '\r') ? 2 : 1;
	if (u[at - 1] == '\r')
		return 1;
	if (rule == SM_LINES_JS && at >= 3 && u[at - 3] == 0xE2 && u[at - 2] == 0x80 &&
		(u[at - 1] == 0xA8 || u[at - 1] == 0xA9))
		return 3;
	return 0;
}

/*
 * Count the lines of text and, when starts is not NULL, record where each
 * one starts.  Returns the number of lines.
 */
static uint32_t
split_lines(const char *text, size_t len, SmLineRule rule, uint32_t *starts,
			const SmEnv *env)
{
	const char *end = text + len;
	const char *p = text;
	const char *next_poll = text + POLL_BYTES;
	uint32_t	n = 0;

	if (len == 0)
		return 0;
	if (starts)
		starts[0] = 0;
	while (p < end)
	{
		size_t		nl = sm_newline_len(p, end, rule);

		if (p >= next_poll)
		{
			sm_check_interrupts(env);
			next_poll = p + POLL_BYTES;
		}
		if (nl == 0)
		{
			p++;
			continue;
		}
		p += nl;
		n++;
		/* a terminator at the very end starts no line */
		if (p < end && starts)
			starts[n] = (uint32_t) (p - text);
	}
	/* the last line had no terminator unless the text ends with one */
	if (newline_before(text, len, rule) == 0)
		n++;
	return n;
}

SmLineIndex *
sm_line_index_build(const char *text, size_t len, SmLineRule rule, const SmEnv *env,
					SmError *err)
{
	SmLineIndex *idx;
	uint32_t	n;

	if (len >= UINT32_MAX)
	{
		sm_fail(err, SM_E_LIMIT, "source text of %zu bytes exceeds the 4 GB line index limit", len);
		return NULL;
	}
	n = split_lines(text, len, rule, NULL, env);
	idx = sm_alloc(env, sizeof(SmLineIndex), err);
	if (idx == NULL)
		return NULL;
	idx->starts = sm_alloc(env, ((size_t) n + 1) * sizeof(uint32_t), err);
	if (idx->starts == NULL)
	{
		sm_free(env, idx);
		return NULL;
	}
	idx->nlines = n;
	idx->rule = rule;
	idx->text_len = len;
	split_lines(text, len, rule, idx->starts, env);
	idx->starts[n] = (uint32_t) len;
	return idx;
}

void
sm_line_index_free(const SmEnv *env, SmLineIndex *idx)
{
	if (idx)
	{
		sm_free(env, idx->starts);
		sm_free(env, idx);
	}
}

bool
sm_line_get(const SmLineIndex *idx, const char *text, uint32_t line, const char **ptr,
			size_t *len)
{
	size_t		start;
	size_t		next;

	if (line >= idx->nlines)
		return false;
	start = idx->starts[line];
	next = idx->starts[line + 1];
	*ptr = text + start;
	*len = next - start - newline_before(text, next, idx->rule);
	return true;
}

/*
 * The UTF-8 character at p: its byte length (1 for an invalid byte) and
 * its UTF-16 length in *units.
 */
static size_t
utf8_char(const uint8_t *p, const uint8_t *end, int *units)
{
	uint8_t		c = p[0];
	size_t		need;
	size_t		i;

	*units = 1;
	if (c < 0xC2 || c > 0xF4)
		return 1;
	need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if ((size_t) (end - p) < need)
		return 1;
	for (i = 1; i < need; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	/* overlong, surrogate and above-U+10FFFF forms are invalid bytes */
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
		(c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
		return 1;
	if (need == 4)
		*units = 2;
	return need;
}

size_t
sm_utf16_length(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *) s;
	const uint8_t *end = p + len;
	size_t		n = 0;

	while (p < end)
	{
		int			units;

		if (*p < 0x80)
		{
			p++;
			n++;
			continue;
		}
		p += utf8_char(p, end, &units);
		n += (size_t) units;
	}
	return n;
}

/*
 * Byte offset of UTF-16 unit u of the line.  Inside a surrogate pair,
 * round_up selects the end of the character instead of its start.  Past
 * the end: len.
 */
static size_t
unit_to_byte(const char *line, size_t len, size_t u, bool round_up)
{
	const uint8_t *base = (const uint8_t *) line;
	const uint8_t *p = base;
	const uint8_t *end = base + len;
	size_t		at = 0;

	while (p < end)
	{
		int			units = 1;
		size_t		n = *p < 0x80 ? 1 : utf8_char(p, end, &units);

		if (at == u)
			return (size_t) (p - base);
		if (at + (size_t) units > u)
			return (size_t) (p - base) + (round_up ? n : 0);
		at += (size_t) units;
		p += n;
	}
	return len;
}

bool
sm_utf16_col_to_byte(const char *line, size_t len, uint32_t col, size_t *off)
{
	*off = unit_to_byte(line, len, col, false);
	return *off < len || sm_utf16_length(line, len) == col;
}

SmCtxLine
sm_trim_line(const char *line, size_t len, uint32_t col)
{
	SmCtxLine	out;
	size_t		units;
	size_t		c;
	size_t		start;
	size_t		stop;
	size_t		b0;
	size_t		b1;

	out.ptr = line;
	out.len = len;
	out.snip_start = out.snip_end = false;
	/* a line of at most 150 bytes has at most 150 units: the common case */
	if (len <= SM_TRIM_THRESHOLD)
		return out;
	units = sm_utf16_length(line, len);
	if (units <= SM_TRIM_THRESHOLD)
		return out;
	c = col < units ? col : units;
	start = c > SM_TRIM_BEFORE ? c - SM_TRIM_BEFORE : 0;
	if (start < SM_TRIM_EDGE)
		start = 0;
	stop = start + SM_TRIM_WIDTH < units ? start + SM_TRIM_WIDTH : units;
	if (stop > units - SM_TRIM_EDGE)
		stop = units;
	if (stop == units)
		start = units > SM_TRIM_WIDTH ? units - SM_TRIM_WIDTH : 0;
	b0 = unit_to_byte(line, len, start, false);
	b1 = unit_to_byte(line, len, stop, true);
	out.ptr = line + b0;
	out.len = b1 - b0;
	out.snip_start = b0 > 0;
	out.snip_end = b1 < len;
	return out;
}

size_t
sm_ctx_line_size(const SmCtxLine *l)
{
	return l->len + (l->snip_start ? strlen(SM_SNIP_START) : 0) +
		(l->snip_end ? strlen(SM_SNIP_END) : 0);
}

size_t
sm_ctx_line_render(const SmCtxLine *l, char *dst)
{
	size_t		n = 0;

	if (l->snip_start)
	{
		memcpy(dst, SM_SNIP_START, strlen(SM_SNIP_START));
		n += strlen(SM_SNIP_START);
	}
	if (l->len)
		memcpy(dst + n, l->ptr, l->len);
	n += l->len;
	if (l->snip_end)
	{
		memcpy(dst + n, SM_SNIP_END, strlen(SM_SNIP_END));
		n += strlen(SM_SNIP_END);
	}
	return n;
}

int
sm_context_get(const SmLineIndex *idx, const char *text, size_t text_len, uint32_t line,
			   bool has_col, uint32_t col, uint32_t radius, bool trim, const SmEnv *env,
			   SmContext *out, SmError *err)
{
	uint32_t	first;
	uint32_t	last;
	uint32_t	i;

	memset(out, 0, sizeof(*out));
	if (text_len != idx->text_len)
	{
		sm_fail(err, SM_E_ARGUMENT, "line index built for %zu bytes used on a text of %zu",
				idx->text_len, text_len);
		return -1;
	}
	if (line >= idx->nlines)
		return 0;
	first = line > radius ? line - radius : 0;
	last = idx->nlines - 1 - line > radius ? line + radius : idx->nlines - 1;
	out->lines = sm_alloc(env, ((size_t) (last - first) + 1) * sizeof(SmCtxLine), err);
	if (out->lines == NULL)
		return -1;
	out->first_line = first;
	out->npre = line - first;
	out->npost = last - line;
	for (i = first; i <= last; i++)
	{
		SmCtxLine  *l = &out->lines[i - first];

		sm_line_get(idx, text, i, &l->ptr, &l->len);
		l->snip_start = l->snip_end = false;
		if (trim)
			*l = sm_trim_line(l->ptr, l->len, has_col ? col : 0);
	}
	return 1;
}

void
sm_context_free(const SmEnv *env, SmContext *ctx)
{
	if (ctx)
	{
		sm_free(env, ctx->lines);
		ctx->lines = NULL;
	}
}
