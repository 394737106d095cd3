/*
 * sm_stack.c -- recognise the frame lines of V8, SpiderMonkey and
 * JavaScriptCore stack strings.  See sm_stack.h for the formats and the
 * decisions.
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
 * Fill the frame's url, lineno and colno from a location.  Digits that
 * are not a position leave the whole location as the URL.
 */
static void
set_location(SmFrame *f, Span loc)
{
	Span		url = loc;
	uint32_t	last;
	int			rc = take_position(&url, &last);

	if (rc == 1)
	{
		Span		before = url;
		uint32_t	first;
		int			rc2 = take_position(&before, &first);

		if (rc2 == 1)
		{
			url = before;
			f->lineno = first;
			f->colno = last;
			f->has_lineno = f->has_colno = true;
		}
		else if (rc2 == 0)
		{
			f->lineno = last;
			f->has_lineno = true;
		}
		else
			url = loc;
	}
	else
		url = loc;
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

/*
 * V8's "eval at f (ORIGIN), <anonymous>:l:c": follow ORIGIN down through
 * nested evals to the position in the script that called eval.
 */
static Span
eval_origin(Span loc)
{
	while (starts_with(loc, "eval at "))
	{
		Span		rest = {loc.p + strlen("eval at "), loc.e};
		const char *open = memchr(rest.p, '(', span_len(rest));
		const char *q;
		int			depth = 0;

		if (open == NULL)
			break;
		for (q = open; q < loc.e; q++)
		{
			if (*q == '(')
				depth++;
			else if (*q == ')' && --depth == 0)
				break;
		}
		loc.p = open + 1;
		loc.e = q;				/* the matching ')' or, unbalanced, the end */
		loc = trim(loc);
	}
	return loc;
}

/* A V8 frame: s is what follows "at ".  False if it is not one. */
static bool
parse_v8(Span s, SmFrame *f)
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
	if (starts_with(loc, "eval at "))
	{
		f->flags |= SM_FRAME_EVAL;
		loc = eval_origin(loc);
	}
	set_location(f, loc);
	/* a bare location must be a position or a known placeholder */
	if (open == NULL && !f->has_lineno && !equals(loc, "<anonymous>") && !equals(loc, "native"))
		return false;
	f->syntax = SM_STACK_V8;
	return true;
}

/* May a SpiderMonkey/JavaScriptCore function name hold these blanks? */
static bool
gecko_name_ok(Span fn)
{
	if (!has_blank(fn))
		return true;
	if (equals(fn, "global code") || equals(fn, "eval code") || equals(fn, "module code"))
		return true;
	if (starts_with(fn, "get ") || starts_with(fn, "set "))
	{
		Span		rest = {fn.p + 4, fn.e};

		return rest.p < rest.e && !has_blank(rest);
	}
	return false;
}

/* A "fn@location" frame; false if the line is not one. */
static bool
parse_gecko(Span s, SmFrame *f)
{
	const char *at = memchr(s.p, '@', span_len(s));
	Span		fn;
	Span		loc;
	const char *star;
	const char *line_kw;

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
	}
	if (!gecko_name_ok(fn))
		return false;
	/* SpiderMonkey eval: "url line N > eval:l:c" */
	line_kw = find(loc, " line ");
	if (line_kw)
	{
		const char *d = line_kw + strlen(" line ");
		const char *de = d;
		Span		tail;

		while (de < loc.e && *de >= '0' && *de <= '9')
			de++;
		tail.p = de;
		tail.e = loc.e;
		if (de > d && starts_with(tail, " > ") && parse_position(d, de, &f->lineno))
		{
			f->has_lineno = true;
			f->flags |= SM_FRAME_EVAL;
			f->url = loc.p;
			f->url_len = (size_t) (line_kw - loc.p);
			set_function(f, fn);
			f->syntax = SM_STACK_GECKO;
			return true;
		}
	}
	set_location(f, loc);
	/* no position: only "[native code]", or nothing after a real name */
	if (!f->has_lineno && !equals(loc, "[native code]") && !(loc.p == loc.e && fn.p < fn.e))
		return false;
	set_function(f, fn);
	f->syntax = SM_STACK_GECKO;
	return true;
}

/* A location alone ("url:line:col" or "[native code]"). */
static bool
parse_bare(Span s, SmFrame *f)
{
	if (has_blank(s) && !equals(s, "[native code]"))
		return false;
	set_location(f, s);
	if (!(f->flags & SM_FRAME_NATIVE) && (!f->has_colno || f->url_len == 0))
		return false;
	f->syntax = SM_STACK_BARE;
	return true;
}

/* Recognise one line (already trimmed); false if it is not a frame. */
static bool
parse_line(Span s, SmFrame *f)
{
	memset(f, 0, sizeof(*f));
	if (s.p == s.e)
		return false;
	if (starts_with(s, "at "))
	{
		Span		rest = {s.p + 3, s.e};

		return parse_v8(trim(rest), f);
	}
	if (memchr(s.p, '@', span_len(s)))
		return parse_gecko(s, f);
	return parse_bare(s, f);
}

bool
sm_stack_parse(const char *stack, size_t len, const SmStackLimits *lim, const SmEnv *env,
			   SmFrameFn fn, void *ctx, SmError *err)
{
	uint32_t	max_frames = lim ? lim->max_frames : SM_STACK_MAX_FRAMES;
	size_t		max_line = lim ? lim->max_line : SM_STACK_MAX_LINE;
	const char *p = stack;
	const char *end = stack + len;
	uint32_t	nframes = 0;
	size_t		lines = 0;

	while (p < end)
	{
		const char *eol = p;
		Span		line;
		SmFrame		f;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		line.p = p;
		line.e = eol;
		/* the next line starts after LF, CR or CRLF */
		p = eol;
		if (p < end && *p == '\r')
		{
			p++;
			if (p < end && *p == '\n')
				p++;
		}
		else if (p < end)
			p++;
		if (++lines % POLL_LINES == 0)
			sm_check_interrupts(env);
		if (!parse_line(trim(line), &f))
			continue;
		if (span_len(line) > max_line)
			return sm_fail(err, SM_E_LIMIT,
						   "stack frame %u is %zu bytes long, more than the limit of %zu",
						   nframes, span_len(line), max_line);
		if (nframes >= max_frames)
			return sm_fail(err, SM_E_LIMIT, "stack trace has more than %u frames", max_frames);
		f.ord = nframes++;
		if (!fn(ctx, &f, err))
			return false;
	}
	return true;
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
