/*
 * sm_json.c -- a strict RFC 8259 pull parser over the caller's buffer.
 *
 * Why this file exists: a source map is a JSON document of up to tens of
 * megabytes, most of it one long ASCII string ("mappings") plus embedded
 * source texts.  The map reader needs only a few spans out of it and must
 * be able to trust every span it keeps, so a tree-building JSON library
 * (copying every string, tolerating extensions) is the wrong tool.  This
 * parser hands out one token at a time, never allocates, never copies, and
 * checks everything -- grammar, escapes, surrogate pairs, UTF-8, nesting
 * depth -- while it tokenizes.  String contents are scanned eight bytes at
 * a time, since that is where nearly all of the time goes.
 *
 * Error messages begin with js->what (default "JSON"), name the byte offset
 * of the offending input and quote at most a short excerpt of it.
 */
#include <string.h>

#include "json/sm_json.h"

/* Values of SmJson.state: what the parser expects next. */
enum
{
	ST_VALUE = 0,				/* a value (document start, after ':', after
								 * ',' in an array) */
	ST_ARR_FIRST,				/* just after '[': a value or ']' */
	ST_OBJ_FIRST,				/* just after '{': a member name or '}' */
	ST_KEY,						/* after ',' in an object: a member name */
	ST_COLON,					/* after a member name: ':' and a value */
	ST_AFTER,					/* after a value: ',' or a closing bracket, or
								 * end of input at top level */
	ST_DONE,					/* SMJ_EOF was returned */
	ST_ERROR					/* SMJ_ERROR was returned */
};

/* Classes of bytes inside a string (see str_class). */
enum
{
	SC_PLAIN = 0,				/* printable ASCII other than '"' and '\\' */
	SC_QUOTE,					/* '"': end of string */
	SC_BSLASH,					/* '\\': escape */
	SC_CTRL,					/* 0x00-0x1F: must be escaped */
	SC_U2,						/* C2-DF: lead of a 2-byte sequence */
	SC_UE0,						/* E0: 3-byte lead, second byte A0-BF */
	SC_U3,						/* E1-EC, EE-EF: 3-byte lead */
	SC_UED,						/* ED: 3-byte lead, second byte 80-9F */
	SC_UF0,						/* F0: 4-byte lead, second byte 90-BF */
	SC_U4,						/* F1-F3: 4-byte lead */
	SC_UF4,						/* F4: 4-byte lead, second byte 80-8F */
	SC_BAD						/* 80-C1, F5-FF: never valid as a lead */
};

static const uint8_t str_class[256] = {
	/* 0x00 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* 0x10 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* 0x20 */ 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x30 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x40 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
	/* 0x60 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x70 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x80 */ 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
	/* 0x90 */ 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
	/* 0xA0 */ 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
	/* 0xB0 */ 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
	/* 0xC0 */ 11, 11, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	/* 0xD0 */ 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	/* 0xE0 */ 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 6, 6,
	/* 0xF0 */ 8, 9, 9, 9, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11
};

/* Eight-byte masks for the SWAR scan of string contents. */
#define SWAR_ONES		UINT64_C(0x0101010101010101)
#define SWAR_HIGHS		UINT64_C(0x8080808080808080)
#define SWAR_QUOTES		(SWAR_ONES * 0x22)
#define SWAR_BSLASHES	(SWAR_ONES * 0x5C)
#define SWAR_SPACES		(SWAR_ONES * 0x20)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_LITTLE_ENDIAN 1
#endif

/* Longest input excerpt quoted in an error message. */
#define EXCERPT_MAX 12

/* Room for a quoted excerpt, "..." and the terminator. */
#define EXCERPT_BUF (EXCERPT_MAX + 8)


/* The word error messages start with. */
static const char *
label(const SmJson *js)
{
	return js->what ? js->what : "JSON";
}

/* Is c a byte that ends an excerpt (structural or quote)? */
static bool
ends_excerpt(unsigned char c)
{
	return c == ',' || c == ':' || c == '[' || c == ']' ||
		c == '{' || c == '}' || c == '"';
}

/*
 * Describe the input at offset at for an error message: a short quoted
 * excerpt of printable ASCII, the value of a single odd byte, or "end of
 * input".  out must have EXCERPT_BUF bytes.
 */
static const char *
describe_input(const SmJson *js, size_t at, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		n = 0;
	size_t		o = 0;

	if (at >= js->len)
		return "end of input";
	if (s[at] <= 0x20 || s[at] >= 0x7F)
	{
		memcpy(out, "byte 0x", 7);
		out[7] = hex[s[at] >> 4];
		out[8] = hex[s[at] & 0xF];
		out[9] = '\0';
		return out;
	}
	out[o++] = '\'';
	while (at + n < js->len && n < EXCERPT_MAX)
	{
		unsigned char c = s[at + n];

		if (c <= 0x20 || c >= 0x7F || (n > 0 && ends_excerpt(c)))
			break;
		out[o++] = (char) c;
		n++;
	}
	out[o++] = '\'';
	if (n == EXCERPT_MAX && at + n < js->len &&
		s[at + n] > 0x20 && s[at + n] < 0x7F && !ends_excerpt(s[at + n]))
	{
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Fail with a syntax error at offset at: what was expected, then what was found. */
static SmJsonTok
fail_found(SmJson *js, size_t at, const char *expected)
{
	char		found[EXCERPT_BUF];

	js->state = ST_ERROR;
	if (js->err)
		sm_fail(js->err, SM_E_SYNTAX, "%s syntax error at byte %zu: %s, found %s",
				label(js), at, expected, describe_input(js, at, found));
	return SMJ_ERROR;
}

/* Fail with a syntax error at offset at whose detail says it all. */
static SmJsonTok
fail_plain(SmJson *js, size_t at, const char *detail)
{
	js->state = ST_ERROR;
	if (js->err)
		sm_fail(js->err, SM_E_SYNTAX, "%s syntax error at byte %zu: %s",
				label(js), at, detail);
	return SMJ_ERROR;
}

/* Fail on a backslash at offset at followed by a character that is no escape. */
static SmJsonTok
fail_escape(SmJson *js, size_t at)
{
	unsigned char c = (unsigned char) js->buf[at + 1];

	js->state = ST_ERROR;
	if (!js->err)
		return SMJ_ERROR;
	if (c > 0x20 && c < 0x7F)
		sm_fail(js->err, SM_E_SYNTAX, "%s syntax error at byte %zu: invalid escape \\%c",
				label(js), at, (char) c);
	else
		sm_fail(js->err, SM_E_SYNTAX,
				"%s syntax error at byte %zu: invalid escape, backslash followed by byte 0x%02X",
				label(js), at, (unsigned int) c);
	return SMJ_ERROR;
}

/* Offset of the first non-whitespace byte at or after p. */
static inline size_t
skip_ws(const unsigned char *s, size_t p, size_t len)
{
	while (p < len)
	{
		unsigned char c = s[p];

		if (c > ' ')
			break;
		if (c == ' ')
		{
			uint64_t	v;

			/* runs of indentation go eight at a time */
			while (len - p >= 8)
			{
				memcpy(&v, s + p, 8);
				if (v != SWAR_SPACES)
					break;
				p += 8;
			}
			if (p < len && s[p] == ' ')
				p++;
			continue;
		}
		if (c != '\n' && c != '\t' && c != '\r')
			break;
		p++;
	}
	return p;
}

/* Value of the hex digit c, or -1. */
static inline int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Value of four hex digits at s (caller checked they exist), or -1. */
static long
hex4(const unsigned char *s)
{
	long		v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		int			d = hex_value(s[i]);

		if (d < 0)
			return -1;
		v = (v << 4) | d;
	}
	return v;
}

/* Code point of "\uXXXX" at s[p] if the input has one there, else -1. */
static long
u_escape_at(const unsigned char *s, size_t p, size_t len)
{
	if (len - p < 6 || s[p] != '\\' || s[p + 1] != 'u')
		return -1;
	return hex4(s + p + 2);
}

/*
 * Length of the valid UTF-8 sequence at s (avail bytes left, lead byte of
 * class cls), or 0 if it is malformed, overlong, a surrogate, beyond
 * U+10FFFF or truncated.
 */
static inline size_t
utf8_seq_len(const unsigned char *s, size_t avail, int cls)
{
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;
	size_t		n;
	size_t		i;

	switch (cls)
	{
		case SC_U2:
			return (avail >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
		case SC_UE0:
			lo = 0xA0;
			n = 3;
			break;
		case SC_U3:
			n = 3;
			break;
		case SC_UED:
			hi = 0x9F;
			n = 3;
			break;
		case SC_UF0:
			lo = 0x90;
			n = 4;
			break;
		case SC_U4:
			n = 4;
			break;
		case SC_UF4:
			hi = 0x8F;
			n = 4;
			break;
		default:
			return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	return n;
}

/*
 * Scan the string whose opening quote is at js->pos, validating it, and set
 * the token span to its contents.  Returns SMJ_STRING, or SMJ_ERROR with the
 * error recorded.
 */
static SmJsonTok
scan_string(SmJson *js)
{
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		len = js->len;
	size_t		start = js->pos;
	size_t		p = start + 1;
	bool		escaped = false;

	for (;;)
	{
		int			cls;
		size_t		n;
		long		cp;

		/*
		 * Fast path: eight bytes at a time while none is '"', '\\', a
		 * control character or non-ASCII.  With every byte in 0x20-0x7F and
		 * none equal to '"' or '\\', none of the three subtractions borrows,
		 * so no high bit can appear; and the lowest special byte always
		 * sets its high bit, since nothing below it borrows.
		 */
		while (len - p >= 8)
		{
			uint64_t	v;
			uint64_t	m;

			memcpy(&v, s + p, 8);
			m = (((v ^ SWAR_QUOTES) - SWAR_ONES) |
				 ((v ^ SWAR_BSLASHES) - SWAR_ONES) |
				 (v - SWAR_SPACES) | v) & SWAR_HIGHS;
			if (m != 0)
			{
#ifdef SWAR_LITTLE_ENDIAN
				p += (size_t) __builtin_ctzll(m) >> 3;
#endif
				break;
			}
			p += 8;
		}
		/* the tail, or the few bytes before the special one */
		while (p < len && str_class[s[p]] == SC_PLAIN)
			p++;
		if (p >= len)
			return fail_plain(js, start, "unterminated string");

		cls = str_class[s[p]];
		switch (cls)
		{
			case SC_QUOTE:
				js->tok_start = start + 1;
				js->tok_len = p - start - 1;
				js->tok_escaped = escaped;
				js->pos = p + 1;
				return SMJ_STRING;

			case SC_BSLASH:
				escaped = true;
				if (len - p < 2)
					return fail_plain(js, start, "unterminated string");
				switch (s[p + 1])
				{
					case '"':
					case '\\':
					case '/':
					case 'b':
					case 'f':
					case 'n':
					case 'r':
					case 't':
						p += 2;
						break;
					case 'u':
						cp = u_escape_at(s, p, len);
						if (cp < 0)
							return fail_plain(js, p,
											  "invalid \\u escape, expected four hex digits");
						if (cp >= 0xDC00 && cp <= 0xDFFF)
							return fail_plain(js, p,
											  "invalid \\u escape, low surrogate without a preceding high surrogate");
						if (cp >= 0xD800 && cp <= 0xDBFF)
						{
							long		lo = u_escape_at(s, p + 6, len);

							if (lo < 0xDC00 || lo > 0xDFFF)
								return fail_plain(js, p,
												  "invalid \\u escape, high surrogate not followed by a low surrogate");
							p += 12;
						}
						else
							p += 6;
						break;
					default:
						return fail_escape(js, p);
				}
				break;

			case SC_CTRL:
				js->state = ST_ERROR;
				if (js->err)
					sm_fail(js->err, SM_E_SYNTAX,
							"%s syntax error at byte %zu: unescaped control character 0x%02X in string",
							label(js), p, (unsigned int) s[p]);
				return SMJ_ERROR;

			default:
				n = utf8_seq_len(s + p, len - p, cls);
				if (n == 0)
					return fail_plain(js, p, "invalid UTF-8 in string");
				p += n;
				break;
		}
	}
}

/* Scan the number starting at js->pos and set the token span to it. */
static SmJsonTok
scan_number(SmJson *js)
{
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		len = js->len;
	size_t		p = js->pos;

	if (s[p] == '-')
		p++;
	if (p >= len || s[p] < '0' || s[p] > '9')
		return fail_found(js, p, "expected a digit after '-'");
	if (s[p] == '0')
	{
		p++;
		if (p < len && s[p] >= '0' && s[p] <= '9')
			return fail_plain(js, p - 1, "leading zeros are not allowed in numbers");
	}
	else
	{
		while (p < len && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p < len && s[p] == '.')
	{
		p++;
		if (p >= len || s[p] < '0' || s[p] > '9')
			return fail_found(js, p, "expected a digit after the decimal point");
		while (p < len && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p < len && (s[p] == 'e' || s[p] == 'E'))
	{
		p++;
		if (p < len && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= len || s[p] < '0' || s[p] > '9')
			return fail_found(js, p, "expected a digit in the exponent");
		while (p < len && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	js->tok_start = js->pos;
	js->tok_len = p - js->pos;
	js->tok_escaped = false;
	js->pos = p;
	js->state = ST_AFTER;
	return SMJ_NUMBER;
}

/* Accept the literal lit (n bytes) at js->pos as token tok. */
static SmJsonTok
scan_literal(SmJson *js, const char *lit, size_t n, SmJsonTok tok)
{
	if (js->len - js->pos < n || memcmp(js->buf + js->pos, lit, n) != 0)
		return fail_found(js, js->pos, "invalid literal");
	js->tok_start = js->pos;
	js->tok_len = n;
	js->tok_escaped = false;
	js->pos += n;
	js->state = ST_AFTER;
	return tok;
}

/* Open an object or array whose bracket is at offset p. */
static SmJsonTok
open_container(SmJson *js, size_t p, bool is_object)
{
	if (js->depth >= SM_JSON_MAX_DEPTH)
	{
		js->state = ST_ERROR;
		if (js->err)
			sm_fail(js->err, SM_E_LIMIT, "%s nesting deeper than %d at byte %zu",
					label(js), SM_JSON_MAX_DEPTH, p);
		return SMJ_ERROR;
	}
	js->depth++;
	js->in_object[js->depth] = is_object ? 1 : 0;
	js->tok_start = p;
	js->tok_len = 1;
	js->tok_escaped = false;
	js->pos = p + 1;
	js->state = is_object ? ST_OBJ_FIRST : ST_ARR_FIRST;
	return is_object ? SMJ_OBJ_BEGIN : SMJ_ARR_BEGIN;
}

/* Close the innermost object or array, whose closing bracket is at offset p. */
static SmJsonTok
close_container(SmJson *js, size_t p, SmJsonTok tok)
{
	js->depth--;
	js->tok_start = p;
	js->tok_len = 1;
	js->tok_escaped = false;
	js->pos = p + 1;
	js->state = ST_AFTER;
	return tok;
}

/* Read a value starting at the first non-blank byte at or after js->pos. */
static SmJsonTok
parse_value(SmJson *js)
{
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		p = skip_ws(s, js->pos, js->len);

	js->pos = p;
	if (p >= js->len)
		return fail_found(js, p, "expected a value");
	switch (s[p])
	{
		case '{':
			return open_container(js, p, true);
		case '[':
			return open_container(js, p, false);
		case '"':
			if (scan_string(js) == SMJ_ERROR)
				return SMJ_ERROR;
			js->state = ST_AFTER;
			return SMJ_STRING;
		case '-':
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
		case '8':
		case '9':
			return scan_number(js);
		case 't':
			return scan_literal(js, "true", 4, SMJ_TRUE);
		case 'f':
			return scan_literal(js, "false", 5, SMJ_FALSE);
		case 'n':
			return scan_literal(js, "null", 4, SMJ_NULL);
		default:
			return fail_found(js, p, "expected a value");
	}
}

/* Read a member name at the first non-blank byte at or after js->pos. */
static SmJsonTok
parse_key(SmJson *js, const char *expected)
{
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		p = skip_ws(s, js->pos, js->len);

	js->pos = p;
	if (p >= js->len || s[p] != '"')
		return fail_found(js, p, expected);
	if (scan_string(js) == SMJ_ERROR)
		return SMJ_ERROR;
	js->state = ST_COLON;
	return SMJ_KEY;
}

void
smj_init(SmJson *js, const char *buf, size_t len, SmError *err)
{
	js->buf = buf;
	js->len = len;
	js->pos = 0;
	js->err = err;
	js->what = NULL;
	js->tok_start = 0;
	js->tok_len = 0;
	js->tok_escaped = false;
	js->depth = 0;
	js->in_object[0] = 0;
	js->state = ST_VALUE;
}

SmJsonTok
smj_next(SmJson *js)
{
	const unsigned char *s = (const unsigned char *) js->buf;
	size_t		p;

	switch (js->state)
	{
		case ST_VALUE:
			return parse_value(js);

		case ST_ARR_FIRST:
			p = skip_ws(s, js->pos, js->len);
			if (p < js->len && s[p] == ']')
				return close_container(js, p, SMJ_ARR_END);
			js->pos = p;
			return parse_value(js);

		case ST_OBJ_FIRST:
			p = skip_ws(s, js->pos, js->len);
			if (p < js->len && s[p] == '}')
				return close_container(js, p, SMJ_OBJ_END);
			js->pos = p;
			return parse_key(js, "expected a member name or '}' after '{'");

		case ST_KEY:
			return parse_key(js, "expected a member name after ','");

		case ST_COLON:
			p = skip_ws(s, js->pos, js->len);
			if (p >= js->len || s[p] != ':')
				return fail_found(js, p, "expected ':' after object member name");
			js->pos = p + 1;
			return parse_value(js);

		case ST_AFTER:
			p = skip_ws(s, js->pos, js->len);
			js->pos = p;
			if (js->depth == 0)
			{
				if (p < js->len)
					return fail_found(js, p, "unexpected data after the top-level value");
				js->state = ST_DONE;
				return SMJ_EOF;
			}
			if (js->in_object[js->depth])
			{
				if (p < js->len && s[p] == ',')
				{
					js->pos = p + 1;
					return parse_key(js, "expected a member name after ','");
				}
				if (p < js->len && s[p] == '}')
					return close_container(js, p, SMJ_OBJ_END);
				return fail_found(js, p, "expected ',' or '}' after object member");
			}
			if (p < js->len && s[p] == ',')
			{
				js->pos = p + 1;
				return parse_value(js);
			}
			if (p < js->len && s[p] == ']')
				return close_container(js, p, SMJ_ARR_END);
			return fail_found(js, p, "expected ',' or ']' after array element");

		case ST_DONE:
			return SMJ_EOF;

		default:
			return SMJ_ERROR;
	}
}

bool
smj_skip(SmJson *js, SmJsonTok first)
{
	int			target;

	if (first == SMJ_ERROR || js->state == ST_ERROR)
		return false;
	if (first != SMJ_OBJ_BEGIN && first != SMJ_ARR_BEGIN)
		return true;

	/* every token is validated as usual; stop at the matching end */
	target = js->depth - 1;
	for (;;)
	{
		SmJsonTok	tok = smj_next(js);

		if (tok == SMJ_ERROR)
			return false;
		if ((tok == SMJ_OBJ_END || tok == SMJ_ARR_END) && js->depth <= target)
			return true;
		if (tok == SMJ_EOF)
			return true;		/* not reached: EOF needs depth 0 */
	}
}

bool
smj_key_is(const SmJson *js, const char *s)
{
	size_t		n = strlen(s);

	return n == js->tok_len && memcmp(js->buf + js->tok_start, s, n) == 0;
}

/* Write code point cp as UTF-8 at dst; returns the number of bytes. */
static size_t
put_utf8(long cp, char *dst)
{
	unsigned char *d = (unsigned char *) dst;

	if (cp < 0x80)
	{
		d[0] = (unsigned char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		d[0] = (unsigned char) (0xC0 | (cp >> 6));
		d[1] = (unsigned char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		d[0] = (unsigned char) (0xE0 | (cp >> 12));
		d[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		d[2] = (unsigned char) (0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (unsigned char) (0xF0 | (cp >> 18));
	d[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
	d[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
	d[3] = (unsigned char) (0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decode the escape at s[*i] (a backslash) of a span of len bytes into dst;
 * returns the bytes written and advances *i past the escape.  The span is
 * assumed valid (it came from a token), but a malformed one cannot make us
 * read outside it: a backslash we cannot decode is copied as it is.
 */
static inline size_t
unescape_one(const unsigned char *s, size_t *i, size_t len, char *dst)
{
	size_t		at = *i;
	long		cp;
	long		lo;

	if (len - at < 2)
	{
		dst[0] = '\\';
		*i = at + 1;
		return 1;
	}
	*i = at + 2;
	switch (s[at + 1])
	{
		case 'b':
			dst[0] = '\b';
			return 1;
		case 'f':
			dst[0] = '\f';
			return 1;
		case 'n':
			dst[0] = '\n';
			return 1;
		case 'r':
			dst[0] = '\r';
			return 1;
		case 't':
			dst[0] = '\t';
			return 1;
		case 'u':
			cp = u_escape_at(s, at, len);
			if (cp < 0)
			{
				dst[0] = '\\';
				*i = at + 1;
				return 1;
			}
			*i = at + 6;
			if (cp >= 0xD800 && cp <= 0xDBFF)
			{
				lo = u_escape_at(s, at + 6, len);
				if (lo >= 0xDC00 && lo <= 0xDFFF)
				{
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					*i = at + 12;
				}
			}
			return put_utf8(cp, dst);
		default:
			/* '"', '\\' and '/' stand for themselves */
			dst[0] = (char) s[at + 1];
			return 1;
	}
}

/* dst may be src itself: the output never gets ahead of the input. */
size_t
smj_unescape(const char *src, size_t len, char *dst)
{
	const unsigned char *s = (const unsigned char *) src;
	size_t		i = 0;
	size_t		o = 0;

	while (i < len)
	{
		const char *bs = memchr(src + i, '\\', len - i);
		size_t		run = bs ? (size_t) (bs - (src + i)) : len - i;

		if (run > 0)
		{
			memmove(dst + o, src + i, run);
			o += run;
			i += run;
		}
		if (i >= len)
			break;
		o += unescape_one(s, &i, len, dst + o);
	}
	return o;
}

/*
 * Text in sourcesContent has an escape every few dozen bytes ("\n" ends
 * every line), so a memchr + memmove per run costs more in calls than in
 * bytes.  Here a run is copied eight bytes at a time, each word stored whole
 * before its first backslash is looked for (the store is why dst must not
 * overlap src: it writes up to 7 bytes past the run, which the next run or
 * escape overwrites, and stays within len bytes of dst).  A run still going
 * after SWAR_RUN_WORDS words goes to libc's vector loops instead.
 */
#define SWAR_RUN_WORDS 4

size_t
smj_unescape_copy(const char *src, size_t len, char *dst, bool *nul)
{
	const unsigned char *s = (const unsigned char *) src;
	size_t		i = 0;
	size_t		o = 0;

	while (i < len)
	{
		int			words = 0;

		while (len - i >= 8)
		{
			uint64_t	v;
			uint64_t	x;
			uint64_t	m;

			if (++words > SWAR_RUN_WORDS)
			{
				const char *bs = memchr(src + i, '\\', len - i);
				size_t		run = bs ? (size_t) (bs - (src + i)) : len - i;

				memcpy(dst + o, src + i, run);
				i += run;
				o += run;
				break;
			}
			memcpy(&v, s + i, 8);
			memcpy(dst + o, &v, 8);
			/* exact for the lowest backslash, which is all we use */
			x = v ^ SWAR_BSLASHES;
			m = (x - SWAR_ONES) & ~x & SWAR_HIGHS;
			if (m != 0)
			{
#ifdef SWAR_LITTLE_ENDIAN
				size_t		k = (size_t) __builtin_ctzll(m) >> 3;

				i += k;
				o += k;
#endif
				break;
			}
			i += 8;
			o += 8;
		}
		/* the tail, or the bytes up to the backslash */
		while (i < len && s[i] != '\\')
			dst[o++] = (char) s[i++];
		if (i >= len)
			break;
		o += unescape_one(s, &i, len, dst + o);
	}
	/* one pass over the result: libc's is faster than a test per word */
	*nul = o > 0 && memchr(dst, '\0', o) != NULL;
	return o;
}

/*
 * Only plain integer syntax counts: "1.0" and "1e2" are integral in value
 * but are rejected here, so that a number the caller treats as an index or
 * count was written as one.  (The header's wording allows accepting them;
 * this implementation deliberately does not.)  A magnitude of up to 2^53
 * has at most 16 digits, so 16 digits accumulate without overflow.
 */
bool
smj_number_int(const SmJson *js, int64_t *out)
{
	const char *s = js->buf + js->tok_start;
	size_t		n = js->tok_len;
	size_t		i = 0;
	bool		neg = false;
	uint64_t	mag = 0;

	if (n > 0 && s[0] == '-')
	{
		neg = true;
		i = 1;
	}
	if (i >= n || n - i > 16)
		return false;
	for (; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		mag = mag * 10 + (uint64_t) (s[i] - '0');
	}
	if (mag > (UINT64_C(1) << 53))
		return false;
	*out = neg ? -(int64_t) mag : (int64_t) mag;
	return true;
}

bool
smj_minify_append(const char *src, size_t len, SmBuf *out)
{
	size_t		run = 0;		/* start of the bytes not yet copied */
	bool		in_string = false;

	for (size_t i = 0; i < len; i++)
	{
		char		c = src[i];

		if (in_string)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		}
		else if (c == '"')
			in_string = true;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		{
			if (!smb_append(out, src + run, i - run))
				return false;
			run = i + 1;
		}
	}
	return smb_append(out, src + run, len - run);
}
