/*
 * sm_refs.c -- the sourceMappingURL and debugId comments of a generated
 * JavaScript file, found without parsing it.  See sm_refs.h.
 */
#include <string.h>

#include "json/sm_doc.h"
#include "symbolicate/sm_context.h"
#include "symbolicate/sm_refs.h"

#define URL_KEY "sourceMappingURL="
#define DEBUG_ID_KEY "//# debugId="
#define UUID_LEN 36
/* Poll interrupts every this many bytes of a backward line search. */
#define POLL_BYTES ((size_t) 1 << 20)

/* What a line does to the URL found so far. */
typedef enum LineEffect
{
	EFFECT_NONE,				/* only whitespace and non-matching comments */
	EFFECT_URL,					/* its last event is a matching comment */
	EFFECT_CODE					/* its last event is code: forget the URL */
} LineEffect;

/* Bytes of the ECMAScript WhiteSpace code point at p (0 if none). */
static size_t
whitespace_len(const uint8_t *p, const uint8_t *end)
{
	size_t		avail = (size_t) (end - p);

	if (avail == 0)
		return 0;
	switch (p[0])
	{
		case 0x09:				/* TAB, VT, FF, SP */
		case 0x0B:
		case 0x0C:
		case 0x20:
			return 1;
		case 0xC2:				/* U+00A0 */
			return (avail >= 2 && p[1] == 0xA0) ? 2 : 0;
		case 0xE1:				/* U+1680 */
			return (avail >= 3 && p[1] == 0x9A && p[2] == 0x80) ? 3 : 0;
		case 0xE2:				/* U+2000..U+200A, U+202F, U+205F */
			if (avail < 3)
				return 0;
			if (p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF))
				return 3;
			return (p[1] == 0x81 && p[2] == 0x9F) ? 3 : 0;
		case 0xE3:				/* U+3000 */
			return (avail >= 3 && p[1] == 0x80 && p[2] == 0x80) ? 3 : 0;
		case 0xEF:				/* U+FEFF */
			return (avail >= 3 && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
		default:
			return 0;
	}
}

/* Bytes of what the regular expression class \s matches at p (0 if none). */
static size_t
regexp_space_len(const uint8_t *p, const uint8_t *end)
{
	size_t		n = whitespace_len(p, end);

	return n ? n : sm_newline_len((const char *) p, (const char *) end, SM_LINES_JS);
}

bool
sm_match_source_mapping_url(const char *comment, size_t len, const char **url,
							size_t *url_len)
{
	const uint8_t *p = (const uint8_t *) comment;
	const uint8_t *end = p + len;
	const uint8_t *u;
	const uint8_t *u_end;
	size_t		n;

	if (p >= end || (*p != '@' && *p != '#'))
		return false;
	p++;
	while ((n = regexp_space_len(p, end)) > 0)
		p += n;
	if ((size_t) (end - p) < strlen(URL_KEY) || memcmp(p, URL_KEY, strlen(URL_KEY)) != 0)
		return false;
	p += strlen(URL_KEY);
	/* (\S*?)\s*$ : a run of non-space, then only space to the end */
	u = p;
	while (p < end && regexp_space_len(p, end) == 0)
		p++;					/* no space starts on a continuation byte */
	u_end = p;
	while (p < end)
	{
		n = regexp_space_len(p, end);
		if (n == 0)
			return false;
		p += n;
	}
	*url = (const char *) u;
	*url_len = (size_t) (u_end - u);
	return true;
}

/* Where the first star-slash in [p, end) is, or NULL. */
static const uint8_t *
find_block_end(const uint8_t *p, const uint8_t *end)
{
	while (p + 1 < end)
	{
		const uint8_t *star = memchr(p, '*', (size_t) (end - p - 1));

		if (star == NULL)
			return NULL;
		if (star[1] == '/')
			return star;
		p = star + 1;
	}
	return NULL;
}

/* Scan one line (no terminator) for its effect on the URL; see sm_refs.h. */
static LineEffect
scan_line(const uint8_t *p, const uint8_t *end, const char **url, size_t *url_len)
{
	LineEffect	effect = EFFECT_NONE;

	while (p < end)
	{
		size_t		n;

		if (*p == '/' && p + 1 < end && p[1] == '/')
		{
			if (sm_match_source_mapping_url((const char *) p + 2, (size_t) (end - p - 2),
											url, url_len))
				effect = EFFECT_URL;
			break;
		}
		if (*p == '/' && p + 1 < end && p[1] == '*')
		{
			const uint8_t *close = find_block_end(p + 2, end);

			if (close == NULL)
				break;			/* left open: the rest of the line is comment */
			if (sm_match_source_mapping_url((const char *) p + 2, (size_t) (close - p - 2),
											url, url_len))
				effect = EFFECT_URL;
			p = close + 2;
			continue;
		}
		if ((n = whitespace_len(p, end)) > 0)
		{
			p += n;
			continue;
		}
		/* code: everything up to the next '/' is code or whitespace */
		effect = EFFECT_CODE;
		p = memchr(p + 1, '/', (size_t) (end - p - 1));
		if (p == NULL)
			break;
	}
	return effect;
}

/*
 * Start of the line ending at `end` (exclusive); *prev_end is where the
 * terminator before it begins (0 when the line is the first).
 */
static size_t
line_start(const uint8_t *s, size_t end, size_t *prev_end, const SmEnv *env)
{
	size_t		i = end;
	size_t		poll = 0;

	while (i > 0)
	{
		uint8_t		c = s[i - 1];

		if (c == '\n')
		{
			*prev_end = (i >= 2 && s[i - 2] == '\r') ? i - 2 : i - 1;
			return i;
		}
		if (c == '\r')
		{
			*prev_end = i - 1;
			return i;
		}
		if ((c == 0xA8 || c == 0xA9) && i >= 3 && s[i - 2] == 0x80 && s[i - 3] == 0xE2)
		{
			*prev_end = i - 3;
			return i;
		}
		if (++poll == POLL_BYTES)
		{
			sm_check_interrupts(env);
			poll = 0;
		}
		i--;
	}
	*prev_end = 0;
	return 0;
}

/* A debugId comment line: WhiteSpace, "//# debugId=", a UUID, WhiteSpace. */
static bool
match_debug_id(const uint8_t *p, const uint8_t *end, uint8_t id[16])
{
	size_t		n;

	while ((n = whitespace_len(p, end)) > 0)
		p += n;
	if ((size_t) (end - p) < strlen(DEBUG_ID_KEY) + UUID_LEN ||
		memcmp(p, DEBUG_ID_KEY, strlen(DEBUG_ID_KEY)) != 0)
		return false;
	p += strlen(DEBUG_ID_KEY);
	if (!sm_parse_uuid((const char *) p, UUID_LEN, id))
		return false;
	p += UUID_LEN;
	while ((n = whitespace_len(p, end)) > 0)
		p += n;
	return p == end;
}

void
sm_scan_refs(const char *src, size_t len, const SmEnv *env, SmRefs *out)
{
	const uint8_t *s = (const uint8_t *) src;
	size_t		end = len;
	size_t		prev_end;
	int			seen;

	memset(out, 0, sizeof(*out));

	/* the URL: lines from the last, until one decides */
	for (;;)
	{
		size_t		start = line_start(s, end, &prev_end, env);
		LineEffect	effect;

		sm_check_interrupts(env);
		effect = scan_line(s + start, s + end, &out->url, &out->url_len);
		if (effect == EFFECT_URL)
		{
			out->has_url = true;
			break;
		}
		if (effect == EFFECT_CODE || start == 0)
		{
			out->url = NULL;
			out->url_len = 0;
			break;
		}
		end = prev_end;
	}

	/* the debug id: the last SM_DEBUG_ID_LINES lines */
	end = len;
	if (len > 0 && line_start(s, len, &prev_end, env) == len)
		end = prev_end;			/* a final terminator starts no line */
	for (seen = 0; seen < SM_DEBUG_ID_LINES; seen++)
	{
		size_t		start = line_start(s, end, &prev_end, env);

		if (match_debug_id(s + start, s + end, out->debug_id))
		{
			out->has_debug_id = true;
			break;
		}
		if (start == 0)
			break;
		end = prev_end;
	}
	if (!out->has_debug_id)
		memset(out->debug_id, 0, sizeof(out->debug_id));
}
