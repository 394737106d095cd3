/*
 * sm_stack.c -- recognise the frame lines of V8, Hermes, SpiderMonkey and
 * JavaScriptCore stack strings: the frames are collected with the marks
 * that tell the engine, then handed out with their format.  See
 * sm_stack.h for the formats and the decisions.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "symbolicate/sm_stack.h"

/* Poll interrupts every this many lines. */
#define POLL_LINES 256

/* A piece of the input: [p, e). */
typedef struct Span
{
	const char *p;
	const char *e;
} Span;

/* Blank within a line (line terminators are already gone). */
static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* s without blanks at either end. */
static Span
trim(Span s)
{
	while (s.p < s.e && is_blank(s.p[0]))
		s.p++;
	while (s.e > s.p && is_blank(s.e[-1]))
		s.e--;
	return s;
}

/* Length of s. */
static inline size_t
span_len(Span s)
{
	return (size_t) (s.e - s.p);
}

/* Does s start with the literal? */
static bool
starts_with(Span s, const char *lit)
{
	size_t		n = strlen(lit);

	return span_len(s) >= n && memcmp(s.p, lit, n) == 0;
}

/* Is s exactly the literal? */
static bool
equals(Span s, const char *lit)
{
	return span_len(s) == strlen(lit) && memcmp(s.p, lit, span_len(s)) == 0;
}

/* Does s contain a blank? */
static bool
has_blank(Span s)
{
	const char *q;

	for (q = s.p; q < s.e; q++)
		if (is_blank(*q))
			return true;
	return false;
}

/* Where the literal first occurs in s, or NULL. */
static const char *
find(Span s, const char *lit)
{
	size_t		n = strlen(lit);
	const char *q;

	for (q = s.p; q + n <= s.e; q++)
		if (memcmp(q, lit, n) == 0)
			return q;
	return NULL;
}

/* Parse the digits [p, e) as a position: 1..10 digits, at most 2^31-1. */
static bool
parse_position(const char *p, const char *e, uint32_t *v)
{
	uint64_t	val = 0;

	if (p == e || e - p > 10)
		return false;
	for (; p < e; p++)
	{
		if (*p < '0' || *p > '9')
			return false;
		val = val * 10 + (uint64_t) (*p - '0');
	}
	if (val > 0x7FFFFFFF)
		return false;
	*v = (uint32_t) val;
	return true;
}

/*
 * Take a trailing ":digits" off s: 1 with the value, 0 (s unchanged) if
 * there is none, -1 if the digits are not a position (too large).
 */
static int
take_position(Span *s, uint32_t *v)
{
	const char *q = s->e;

	while (q > s->p && q[-1] >= '0' && q[-1] <= '9')
		q--;
	if (q == s->e || q == s->p || q[-1] != ':')
		return 0;
	if (!parse_position(q, s->e, v))
		return -1;
	s->e = q - 1;
	return 1;
}

/*
 * Split a location into its URL and position ("url:line:col", "url:line"
 * or "url").  Digits that are not a position leave the whole location as
 * the URL.
 */
static void
split_location(Span loc, Span *url, bool *has_lineno, uint32_t *lineno, bool *has_colno,
			   uint32_t *colno)
{
	uint32_t	last;
	int			rc;

	*url = loc;
	rc = take_position(url, &last);
	if (rc == 1)
	{
		Span		before = *url;
		uint32_t	first;
		int			rc2 = take_position(&before, &first);

		if (rc2 == 1)
		{
			*url = before;
			*lineno = first;
			*colno = last;
			*has_lineno = *has_colno = true;
		}
		else if (rc2 == 0)
		{
			*lineno = last;
			*has_lineno = true;
		}
		else
			*url = loc;
	}
	else
		*url = loc;
}

/* Fill the frame's url, lineno and colno from a location. */
static void
set_location(SmFrame *f, Span loc)
{
	Span		url;

	split_location(loc, &url, &f->has_lineno, &f->lineno, &f->has_colno, &f->colno);
	f->url = url.p;
	f->url_len = span_len(url);
	if (equals(url, "native") || equals(url, "[native code]"))
		f->flags |= SM_FRAME_NATIVE;
}

/* Set the frame's function name (absent when empty). */
static void
set_function(SmFrame *f, Span fn)
{
	fn = trim(fn);
	f->function = fn.p < fn.e ? fn.p : NULL;
	f->function_len = span_len(fn);
}

/*
 * The '(' matching the ')' that ends s: scanning back, balanced pairs are
 * skipped, and a '(' counts as the match only at the start or after a
 * blank (so that a stray '(' inside a URL is passed over).  NULL if none.
 */
static const char *
opening_paren(Span s)
{
	const char *q = s.e - 1;
	int			depth = 1;

	while (q > s.p)
	{
		q--;
		if (*q == ')')
			depth++;
		else if (*q == '(')
		{
			if (depth > 1)
				depth--;
			else if (q == s.p || is_blank(q[-1]))
				return q;
		}
	}
	return NULL;
}

/* The ')' matching the '(' at open, or NULL when it is unbalanced in s. */
static const char *
closing_paren(Span s, const char *open)
{
	const char *q;
	int			depth = 0;

	for (q = open; q < s.e; q++)
	{
		if (*q == '(')
			depth++;
		else if (*q == ')' && --depth == 0)
			return q;
	}
	return NULL;
}

/*
 * V8's eval location "eval at f (ORIGIN), OWN": the frame's own position
 * is OWN (absent: an empty URL); the origin is followed down through
 * nested "eval at g (...)" to the one in a script, whose function is the
 * name in front of its parentheses.
 */
static void
set_v8_eval(SmFrame *f, Span loc)
{
	Span		own = {loc.e, loc.e};
	Span		url;
	bool		first = true;

	f->flags |= SM_FRAME_EVAL;
	while (starts_with(loc, "eval at "))
	{
		Span		rest = {loc.p + strlen("eval at "), loc.e};
		const char *open = memchr(rest.p, '(', span_len(rest));
		const char *close;
		Span		fn;

		if (open == NULL)
			break;
		close = closing_paren(loc, open);
		if (first && close != NULL)
		{
			/* ", OWN" after the origin's parentheses */
			own.p = close + 1;
			own = trim(own);
			if (own.p < own.e && own.p[0] == ',')
				own.p++;
			own = trim(own);
		}
		first = false;
		fn.p = rest.p;
		fn.e = open;
		fn = trim(fn);
		f->eval.function = fn.p < fn.e ? fn.p : NULL;
		f->eval.function_len = span_len(fn);
		loc.p = open + 1;
		loc.e = close ? close : loc.e;	/* unbalanced: to the end */
		loc = trim(loc);
	}
	set_location(f, own);
	split_location(loc, &url, &f->eval.has_lineno, &f->eval.lineno, &f->eval.has_colno,
				   &f->eval.colno);
	f->eval.url = url.p;
	f->eval.url_len = span_len(url);
}

/* Marks of an engine on a frame line (see "Format" in sm_stack.h). */
#define MARK_HERMES 0x01
#define MARK_SPIDERMONKEY 0x02
#define MARK_JSC 0x04

/* A V8 frame: s is what follows "at ".  False if it is not one. */
static bool
parse_v8(Span s, SmFrame *f, unsigned *marks)
{
	Span		loc = s;
	const char *open = NULL;

	if (s.e > s.p && s.e[-1] == ')')
		open = opening_paren(s);
	if (open)
	{
		Span		fn = {s.p, open};

		loc.p = open + 1;
		loc.e = s.e - 1;
		if (starts_with(fn, "async "))
		{
			fn.p += strlen("async ");
			f->flags |= SM_FRAME_ASYNC;
		}
		if (starts_with(fn, "new "))
		{
			fn.p += strlen("new ");
			f->flags |= SM_FRAME_CONSTRUCTOR;
		}
		set_function(f, fn);
	}
	else if (starts_with(loc, "async "))
	{
		loc.p += strlen("async ");
		f->flags |= SM_FRAME_ASYNC;
	}
	loc = trim(loc);
	if (open && starts_with(loc, "address at "))
	{
		/* Hermes bytecode without debug information */
		loc.p += strlen("address at ");
		f->flags |= SM_FRAME_BYTECODE;
		*marks |= MARK_HERMES;
	}
	if (starts_with(loc, "eval at "))
		set_v8_eval(f, loc);
	else
		set_location(f, loc);
	if (f->url_len == strlen("InternalBytecode.js") &&
		memcmp(f->url, "InternalBytecode.js", f->url_len) == 0)
		*marks |= MARK_HERMES;
	/* a bare location must be a position or a known placeholder */
	if (open == NULL && !f->has_lineno && !equals(loc, "<anonymous>") && !equals(loc, "native"))
		return false;
	f->syntax = SM_STACK_V8;
	return true;
}

/* May a SpiderMonkey/JavaScriptCore function name hold these blanks? */
static bool
gecko_name_ok(Span fn, unsigned *marks)
{
	if (!has_blank(fn))
		return true;
	if (equals(fn, "global code") || equals(fn, "eval code") || equals(fn, "module code"))
	{
		*marks |= MARK_JSC;
		return true;
	}
	if (starts_with(fn, "get ") || starts_with(fn, "set "))
	{
		Span		rest = {fn.p + 4, fn.e};

		return rest.p < rest.e && !has_blank(rest);
	}
	return false;
}

/*
 * SpiderMonkey's eval location "url line N > eval:l:c" (or "> Function",
 * nested "url line N > eval line M > eval:l:c"): the frame keeps it whole
 * as its URL and position; the origin is the script URL and line N.
 * False when loc is not one.
 */
static bool
set_gecko_eval(SmFrame *f, Span loc)
{
	const char *line_kw = find(loc, " line ");
	const char *d;
	const char *de;
	Span		tail;

	if (line_kw == NULL)
		return false;
	d = line_kw + strlen(" line ");
	de = d;
	while (de < loc.e && *de >= '0' && *de <= '9')
		de++;
	tail.p = de;
	tail.e = loc.e;
	if (de == d || !starts_with(tail, " > ") || !parse_position(d, de, &f->eval.lineno))
		return false;
	f->eval.has_lineno = true;
	f->eval.url = loc.p;
	f->eval.url_len = (size_t) (line_kw - loc.p);
	f->flags |= SM_FRAME_EVAL;
	set_location(f, loc);
	return true;
}

/* A "fn@location" frame; false if the line is not one. */
static bool
parse_gecko(Span s, SmFrame *f, unsigned *marks)
{
	const char *at = memchr(s.p, '@', span_len(s));
	Span		fn;
	Span		loc;
	const char *star;

	if (at == NULL)
		return false;
	fn.p = s.p;
	fn.e = at;
	loc.p = at + 1;
	loc.e = s.e;
	loc = trim(loc);
	/* "async*", "promise callback*": an async boundary before the name */
	star = memchr(fn.p, '*', span_len(fn));
	if (star)
	{
		fn.p = star + 1;
		f->flags |= SM_FRAME_ASYNC;
		*marks |= MARK_SPIDERMONKEY;
	}
	if (!gecko_name_ok(fn, marks))
		return false;
	if (set_gecko_eval(f, loc))
	{
		*marks |= MARK_SPIDERMONKEY;
		set_function(f, fn);
		f->syntax = SM_STACK_GECKO;
		return true;
	}
	set_location(f, loc);
	if (equals(loc, "[native code]"))
		*marks |= MARK_JSC;
	/* no position: only "[native code]", or nothing after a real name */
	if (!f->has_lineno && !equals(loc, "[native code]") && !(loc.p == loc.e && fn.p < fn.e))
		return false;
	set_function(f, fn);
	f->syntax = SM_STACK_GECKO;
	return true;
}

/* A location alone ("url:line:col" or "[native code]"). */
static bool
parse_bare(Span s, SmFrame *f, unsigned *marks)
{
	if (has_blank(s) && !equals(s, "[native code]"))
		return false;
	set_location(f, s);
	if (!(f->flags & SM_FRAME_NATIVE) && (!f->has_colno || f->url_len == 0))
		return false;
	*marks |= MARK_JSC;
	f->syntax = SM_STACK_BARE;
	return true;
}

/* Recognise one line (already trimmed); false if it is not a frame. */
static bool
parse_line(Span s, SmFrame *f, unsigned *marks)
{
	memset(f, 0, sizeof(*f));
	if (s.p == s.e)
		return false;
	if (starts_with(s, "at "))
	{
		Span		rest = {s.p + 3, s.e};

		return parse_v8(trim(rest), f, marks);
	}
	if (memchr(s.p, '@', span_len(s)))
		return parse_gecko(s, f, marks);
	return parse_bare(s, f, marks);
}

/* The format of frame f in a stack with these marks. */
static SmStackFormat
frame_format(const SmFrame *f, unsigned marks)
{
	if (f->flags & SM_FRAME_BYTECODE)
		return SM_FORMAT_HERMES_BYTECODE;
	if (f->syntax == SM_STACK_V8)
		return (marks & MARK_HERMES) ? SM_FORMAT_HERMES : SM_FORMAT_V8;
	if (f->syntax == SM_STACK_BARE || (marks & MARK_JSC))
		return SM_FORMAT_JSC;
	return (marks & MARK_SPIDERMONKEY) ? SM_FORMAT_SPIDERMONKEY : SM_FORMAT_GECKO;
}

const char *
sm_stack_format_name(SmStackFormat format)
{
	switch (format)
	{
		case SM_FORMAT_V8:
			return "v8";
		case SM_FORMAT_HERMES:
			return "hermes";
		case SM_FORMAT_HERMES_BYTECODE:
			return "hermes_bytecode";
		case SM_FORMAT_SPIDERMONKEY:
			return "spidermonkey";
		case SM_FORMAT_JSC:
			return "jsc";
		case SM_FORMAT_GECKO:
			break;
	}
	return "gecko";
}

/*
 * The next line of [*p, end) into *line (terminator excluded), *p moved
 * past it (LF, CR or CRLF).  False at the end.
 */
static bool
next_line(const char **p, const char *end, Span *line)
{
	const char *eol = *p;

	if (*p >= end)
		return false;
	while (eol < end && *eol != '\n' && *eol != '\r')
		eol++;
	line->p = *p;
	line->e = eol;
	if (eol < end && *eol == '\r')
	{
		eol++;
		if (eol < end && *eol == '\n')
			eol++;
	}
	else if (eol < end)
		eol++;
	*p = eol;
	return true;
}

bool
sm_stack_parse(const char *stack, size_t len, const SmStackLimits *lim, const SmEnv *env,
			   SmFrameFn fn, void *ctx, SmError *err)
{
	uint32_t	max_frames = lim ? lim->max_frames : SM_STACK_MAX_FRAMES;
	size_t		max_line = lim ? lim->max_line : SM_STACK_MAX_LINE;
	const char *p = stack;
	const char *end = stack + len;
	unsigned	marks = 0;
	uint32_t	nframes = 0;
	size_t		lines = 0;
	Span		line;
	SmBuf		buf;
	SmFrame    *frames;
	bool		ok = true;

	/* the frames first: their format depends on the marks of the whole stack */
	smb_init(&buf, env, err);
	while (ok && next_line(&p, end, &line))
	{
		SmFrame		f;
		unsigned	m = 0;

		if (++lines % POLL_LINES == 0)
			sm_check_interrupts(env);
		if (!parse_line(trim(line), &f, &m))
			continue;
		marks |= m;
		if (span_len(line) > max_line)
			ok = sm_fail(err, SM_E_LIMIT,
						 "stack frame %u is %zu bytes long, more than the limit of %zu",
						 nframes, span_len(line), max_line);
		else if (nframes >= max_frames)
			ok = sm_fail(err, SM_E_LIMIT, "stack trace has more than %u frames", max_frames);
		else
		{
			f.ord = nframes++;
			ok = smb_append(&buf, &f, sizeof(f));
		}
	}
	frames = (SmFrame *) buf.data;
	for (uint32_t i = 0; ok && i < nframes; i++)
	{
		frames[i].format = frame_format(&frames[i], marks);
		ok = fn(ctx, &frames[i], err);
	}
	smb_free(&buf);
	return ok;
}

/* Frame callback of sm_stack_parse_array: append to an SmBuf. */
static bool
collect_frame(void *ctx, const SmFrame *frame, SmError *err)
{
	(void) err;					/* the buffer records its own errors */
	return smb_append((SmBuf *) ctx, frame, sizeof(SmFrame));
}

bool
sm_stack_parse_array(const char *stack, size_t len, const SmStackLimits *lim, const SmEnv *env,
					 SmFrame **frames, size_t *nframes, SmError *err)
{
	SmBuf		buf;

	*frames = NULL;
	*nframes = 0;
	smb_init(&buf, env, err);
	if (!sm_stack_parse(stack, len, lim, env, collect_frame, &buf, err))
	{
		smb_free(&buf);
		return false;
	}
	*frames = (SmFrame *) buf.data;
	*nframes = buf.len / sizeof(SmFrame);
	return true;
}
