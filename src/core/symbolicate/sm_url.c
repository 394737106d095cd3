/*
 * sm_url.c -- the WHATWG URL parsing and serializing that resolving a
 * map's sources needs, the candidate keys of a frame's URL and bundler
 * prefixes.  See sm_url.h for what is and is not implemented.
 *
 * A parsed URL is a set of growable buffers, one per component, each
 * holding the component already percent-encoded as the serializer writes
 * it.  The path is kept serialized ("/a/b"; "" is the empty list), so
 * removing its last segment is cutting at the last '/'.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "symbolicate/sm_url.h"

/* Loops over the input poll for interrupts every this many bytes (a power of 2, less 1). */
#define POLL_MASK ((size_t) (1 << 20) - 1)

typedef struct Url
{
	SmBuf		scheme;
	SmBuf		user;
	SmBuf		pass;
	SmBuf		host;
	SmBuf		port;
	SmBuf		path;			/* serialized, or the opaque path */
	SmBuf		query;
	SmBuf		frag;
	bool		special;
	bool		has_host;		/* host is not null */
	bool		opaque;			/* an opaque path (data:, mailto:) */
	bool		has_query;
	bool		has_frag;
} Url;

#define URL_BUFS(u) { &(u)->scheme, &(u)->user, &(u)->pass, &(u)->host, &(u)->port, \
		&(u)->path, &(u)->query, &(u)->frag }

static void
url_init(Url *u, const SmEnv *env, SmError *err)
{
	SmBuf	   *bufs[] = URL_BUFS(u);

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		smb_init(bufs[i], env, err);
}

static void
url_free(Url *u)
{
	SmBuf	   *bufs[] = URL_BUFS(u);

	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		smb_free(bufs[i]);
}

/* ---- characters ------------------------------------------------------ */

static bool
is_alpha(uint8_t c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(uint8_t c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static uint8_t
hex_value(uint8_t c)
{
	return is_digit(c) ? (uint8_t) (c - '0') : (uint8_t) ((c | 0x20) - 'a' + 10);
}

static uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t) (c | 0x20) : c;
}

/* The percent-encode sets of the URL Standard, each a superset of the one before. */
typedef enum EncSet
{
	ENC_C0,
	ENC_FRAGMENT,
	ENC_QUERY,
	ENC_SPECIAL_QUERY,
	ENC_PATH,
	ENC_USERINFO
} EncSet;

static bool
in_set(uint8_t c, EncSet set)
{
	if (c < 0x20 || c > 0x7E)
		return true;
	switch (set)
	{
		case ENC_C0:
			return false;
		case ENC_FRAGMENT:
			return c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
		case ENC_QUERY:
		case ENC_SPECIAL_QUERY:
			return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>' ||
				(set == ENC_SPECIAL_QUERY && c == '\'');
		case ENC_USERINFO:
			if (c == '/' || c == ':' || c == ';' || c == '=' || c == '@' || c == '[' ||
				c == '\\' || c == ']' || c == '^' || c == '|')
				return true;
			/* FALLTHROUGH */
		case ENC_PATH:
			return in_set(c, ENC_QUERY) || c == '?' || c == '`' || c == '{' || c == '}';
	}
	return false;
}

/* Append s[0..n) to b, percent-encoding the bytes in set. */
static bool
append_enc(SmBuf *b, const char *s, size_t n, EncSet set)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++)
	{
		uint8_t		c = (uint8_t) s[i];

		if ((i & POLL_MASK) == POLL_MASK)
			sm_check_interrupts(b->env);
		if (in_set(c, set))
		{
			char		e[3] = {'%', hex[c >> 4], hex[c & 15]};

			if (!smb_append(b, e, 3))
				return false;
		}
		else if (!smb_append(b, &s[i], 1))
			return false;
	}
	return true;
}

static bool
set_buf(SmBuf *dst, const SmBuf *src)
{
	dst->len = 0;
	return smb_append(dst, src->data, src->len);
}

static bool
buf_is(const SmBuf *b, const char *lit)
{
	return b->len == strlen(lit) && memcmp(b->data, lit, b->len) == 0;
}

static bool
is_special_scheme(const SmBuf *scheme)
{
	static const char *const special[] = {"http", "https", "ws", "wss", "ftp", "file"};

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (buf_is(scheme, special[i]))
			return true;
	return false;
}

/* The default port of a special scheme, -1 if none. */
static long
default_port(const SmBuf *scheme)
{
	if (buf_is(scheme, "http") || buf_is(scheme, "ws"))
		return 80;
	if (buf_is(scheme, "https") || buf_is(scheme, "wss"))
		return 443;
	if (buf_is(scheme, "ftp"))
		return 21;
	return -1;
}

/* A slash for this URL: '/', and '\' too when it is special. */
static bool
is_slash(const Url *u, uint8_t c)
{
	return c == '/' || (u->special && c == '\\');
}

/* Length of the scheme at the start of s (without ':'), 0 if there is none. */
static size_t
scheme_len(const char *s, size_t n)
{
	size_t		k = 1;

	if (n == 0 || !is_alpha((uint8_t) s[0]))
		return 0;
	while (k < n && (is_alpha((uint8_t) s[k]) || is_digit((uint8_t) s[k]) ||
					 s[k] == '+' || s[k] == '-' || s[k] == '.'))
		k++;
	return (k < n && s[k] == ':') ? k : 0;
}

/* ---- components ------------------------------------------------------ */

/* "." or "%2e", any case. */
static bool
single_dot(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') ||
		(n == 3 && s[0] == '%' && s[1] == '2' && (s[2] | 0x20) == 'e');
}

/* "..", ".%2e", "%2e." or "%2e%2e", any case. */
static bool
double_dot(const char *s, size_t n)
{
	size_t		first;

	if (n >= 1 && s[0] == '.')
		first = 1;
	else if (n >= 3 && single_dot(s, 3))
		first = 3;
	else
		return false;
	return single_dot(s + first, n - first);
}

/* Remove the path's last segment (the empty list stays empty). */
static void
shorten_path(Url *u)
{
	while (u->path.len > 0 && u->path.data[u->path.len - 1] != '/')
		u->path.len--;
	if (u->path.len > 0)
		u->path.len--;
}

/*
 * The path state: segments of s[0..n) (which holds no '?' or '#') appended
 * to u's path, dot segments applied.  s starts at a segment (the leading
 * slash, if any, was consumed by the caller).
 */
static bool
parse_path(Url *u, const char *s, size_t n)
{
	size_t		start = 0;

	for (size_t i = 0; i <= n; i++)
	{
		const char *seg = s + start;
		size_t		len = i - start;
		bool		at_end = i == n;

		if ((i & POLL_MASK) == POLL_MASK)
			sm_check_interrupts(u->path.env);
		if (!at_end && !is_slash(u, (uint8_t) s[i]))
			continue;
		if (double_dot(seg, len))
		{
			shorten_path(u);
			if (at_end && !smb_append(&u->path, "/", 1))
				return false;
		}
		else if (single_dot(seg, len))
		{
			if (at_end && !smb_append(&u->path, "/", 1))
				return false;
		}
		else if (!smb_append(&u->path, "/", 1) || !append_enc(&u->path, seg, len, ENC_PATH))
			return false;
		start = i + 1;
	}
	return true;
}

/* Query and fragment from s[0..n), which starts with '?', '#' or is empty. */
static bool
parse_query_fragment(Url *u, const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n);
	size_t		qend = hash ? (size_t) (hash - s) : n;

	if (qend > 0 && s[0] == '?')
	{
		u->has_query = true;
		u->query.len = 0;
		if (!append_enc(&u->query, s + 1, qend - 1, u->special ? ENC_SPECIAL_QUERY : ENC_QUERY))
			return false;
	}
	if (hash)
	{
		u->has_frag = true;
		u->frag.len = 0;
		if (!append_enc(&u->frag, hash + 1, n - qend - 1, ENC_FRAGMENT))
			return false;
	}
	return true;
}

/* Where the path of s[0..n) ends: the first '?' or '#'. */
static size_t
path_end(const char *s, size_t n)
{
	size_t		i = 0;

	while (i < n && s[i] != '?' && s[i] != '#')
		i++;
	return i;
}

/* A path then query and fragment; leading: the path starts with a slash to skip. */
static int
parse_rest(Url *u, const char *s, size_t n, bool leading)
{
	size_t		pe = path_end(s, n);
	size_t		skip = (leading && pe > 0 && is_slash(u, (uint8_t) s[0])) ? 1 : 0;

	if (!parse_path(u, s + skip, pe - skip) || !parse_query_fragment(u, s + pe, n - pe))
		return -1;
	return 1;
}

/* Host of a special URL: percent-decoded, ASCII lowercased, checked. */
static int
special_host(Url *u, const char *s, size_t n)
{
	static const char forbidden[] = " #%/:<>?@[\\]^|";

	for (size_t i = 0; i < n; i++)
	{
		uint8_t		c = (uint8_t) s[i];

		if (c == '%' && i + 2 < n && is_hex((uint8_t) s[i + 1]) && is_hex((uint8_t) s[i + 2]))
		{
			c = (uint8_t) (hex_value((uint8_t) s[i + 1]) << 4 | hex_value((uint8_t) s[i + 2]));
			i += 2;
		}
		c = lower(c);
		if (c < 0x20 || c == 0x7F || (c < 0x80 && strchr(forbidden, c)))
			return 0;
		if (!smb_append(&u->host, &c, 1))
			return -1;
	}
	if (u->host.len == 0 && !buf_is(&u->scheme, "file"))
		return 0;
	/* no IDNA: a non-ASCII host stays UTF-8, so it must be valid UTF-8 */
	if (!sm_text_valid(u->host.data, u->host.len))
		return 0;
	if (buf_is(&u->scheme, "file") && buf_is(&u->host, "localhost"))
		u->host.len = 0;
	return 1;
}

/* The host: an IPv6 literal, a special URL's domain or an opaque host. */
static int
parse_host(Url *u, const char *s, size_t n)
{
	static const char forbidden[] = " #/:<>?@[\\]^|";

	u->has_host = true;
	u->host.len = 0;
	if (n > 0 && s[0] == '[')
	{
		if (n < 3 || s[n - 1] != ']')
			return 0;
		for (size_t i = 1; i + 1 < n; i++)
		{
			uint8_t		c = lower((uint8_t) s[i]);

			if (!is_hex(c) && c != ':' && c != '.')
				return 0;
		}
		if (!smb_append(&u->host, "[", 1))
			return -1;
		for (size_t i = 1; i < n; i++)
		{
			uint8_t		c = lower((uint8_t) s[i]);

			if (!smb_append(&u->host, &c, 1))
				return -1;
		}
		return 1;
	}
	if (u->special)
		return special_host(u, s, n);
	for (size_t i = 0; i < n; i++)
		if (s[i] == 0 || strchr(forbidden, s[i]))
			return 0;
	return append_enc(&u->host, s, n, ENC_C0) ? 1 : -1;
}

/* The port: digits, at most 65535, dropped when it is the scheme's default. */
static int
parse_port(Url *u, const char *s, size_t n)
{
	long		v = 0;
	char		digits[8];
	int			len;

	u->port.len = 0;
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
	{
		if (!is_digit((uint8_t) s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
		if (v > 65535)
			return 0;
	}
	if (v == default_port(&u->scheme))
		return 1;
	len = 0;
	do
		digits[len++] = (char) ('0' + v % 10);
	while ((v /= 10) > 0);
	while (len > 0)
		if (!smb_append(&u->port, &digits[--len], 1))
			return -1;
	return 1;
}

/*
 * The authority state and what follows: s[0..n) starts right after the
 * "//" (and any more slashes of a special URL).
 */
static int
parse_authority(Url *u, const char *s, size_t n)
{
	size_t		end = 0;
	size_t		host_from = 0;
	size_t		colon;
	bool		bracket = false;
	bool		is_file = buf_is(&u->scheme, "file");
	int			r;

	while (end < n && !is_slash(u, (uint8_t) s[end]) && s[end] != '?' && s[end] != '#')
		end++;
	u->user.len = u->pass.len = 0;
	if (!is_file)
	{
		for (size_t i = end; i > 0; i--)
			if (s[i - 1] == '@')
			{
				const char *c = memchr(s, ':', i - 1);
				size_t		ulen = c ? (size_t) (c - s) : i - 1;

				if (!append_enc(&u->user, s, ulen, ENC_USERINFO) ||
					(c && !append_enc(&u->pass, c + 1, i - 2 - ulen, ENC_USERINFO)))
					return -1;
				host_from = i;
				if (host_from == end)
					return 0;
				break;
			}
	}
	colon = end;
	if (!is_file)
		for (size_t i = host_from; i < end; i++)
		{
			if (s[i] == '[')
				bracket = true;
			else if (s[i] == ']')
				bracket = false;
			else if (s[i] == ':' && !bracket)
			{
				colon = i;
				break;
			}
		}
	if ((r = parse_host(u, s + host_from, colon - host_from)) <= 0)
		return r;
	if (colon < end && (r = parse_port(u, s + colon + 1, end - colon - 1)) <= 0)
		return r;
	if (u->host.len == 0 && (u->user.len || u->pass.len || u->port.len))
		return 0;
	u->path.len = 0;
	/* a special URL always has a path; another one only from a slash on */
	if (u->special || (end < n && s[end] == '/'))
		return parse_rest(u, s + end, n - end, true);
	return parse_query_fragment(u, s + end, n - end) ? 1 : -1;
}

/* u takes base's scheme, authority, path and query. */
static bool
copy_base(Url *u, const Url *base)
{
	u->special = base->special;
	u->has_host = base->has_host;
	u->opaque = base->opaque;
	u->has_query = base->has_query;
	return set_buf(&u->scheme, &base->scheme) && set_buf(&u->user, &base->user) &&
		set_buf(&u->pass, &base->pass) && set_buf(&u->host, &base->host) &&
		set_buf(&u->port, &base->port) && set_buf(&u->path, &base->path) &&
		set_buf(&u->query, &base->query);
}

/* The relative state: s[0..n) against base, whose scheme u has. */
static int
parse_relative(Url *u, const char *s, size_t n, const Url *base)
{
	if (!copy_base(u, base))
		return -1;
	if (n > 0 && is_slash(u, (uint8_t) s[0]))
	{
		if (n > 1 && is_slash(u, (uint8_t) s[1]))
		{
			size_t		k = 2;

			while (u->special && k < n && is_slash(u, (uint8_t) s[k]))
				k++;
			u->has_query = false;
			return parse_authority(u, s + k, n - k);
		}
		u->path.len = 0;
		u->has_query = false;
		return parse_rest(u, s, n, true);
	}
	if (n == 0 || s[0] == '#')
		return parse_query_fragment(u, s, n) ? 1 : -1;
	u->has_query = false;
	if (s[0] == '?')
		return parse_query_fragment(u, s, n) ? 1 : -1;
	shorten_path(u);
	return parse_rest(u, s, n, false);
}

/*
 * The basic URL parser on a cleaned input (no tab or newline, trimmed):
 * 1 parsed into u, 0 failure, -1 error.
 */
static int
parse_url(Url *u, const char *s, size_t n, const Url *base)
{
	size_t		sl = scheme_len(s, n);
	const char *r;
	size_t		rn;

	if (sl == 0)
	{
		if (base == NULL)
			return 0;
		if (base->opaque)
		{
			/* only a fragment resolves against an opaque path */
			if (n == 0 || s[0] != '#')
				return 0;
			if (!copy_base(u, base) || !parse_query_fragment(u, s, n))
				return -1;
			return 1;
		}
		return parse_relative(u, s, n, base);
	}
	for (size_t i = 0; i < sl; i++)
	{
		uint8_t		c = lower((uint8_t) s[i]);

		if (!smb_append(&u->scheme, &c, 1))
			return -1;
	}
	u->special = is_special_scheme(&u->scheme);
	r = s + sl + 1;
	rn = n - sl - 1;
	if (u->special)
	{
		bool		two = rn > 1 && is_slash(u, (uint8_t) r[0]) && is_slash(u, (uint8_t) r[1]);
		bool		same = base && base->scheme.len == u->scheme.len &&
			memcmp(base->scheme.data, u->scheme.data, u->scheme.len) == 0;
		size_t		k = 0;

		/* "http:foo" against an http base is relative to it */
		if (same && !two)
			return parse_relative(u, r, rn, base);
		if (buf_is(&u->scheme, "file"))
		{
			/* file: exactly two slashes before the host, or no host at all */
			if (two)
				return parse_authority(u, r + 2, rn - 2);
			u->has_host = true;
			return parse_rest(u, r, rn, true);
		}
		while (k < rn && is_slash(u, (uint8_t) r[k]))
			k++;
		return parse_authority(u, r + k, rn - k);
	}
	if (rn > 1 && r[0] == '/' && r[1] == '/')
		return parse_authority(u, r + 2, rn - 2);
	if (rn > 0 && r[0] == '/')
		return parse_rest(u, r, rn, true);
	/* an opaque path: everything up to '?' or '#', only controls encoded */
	{
		size_t		pe = path_end(r, rn);

		u->opaque = true;
		if (!append_enc(&u->path, r, pe, ENC_C0) ||
			!parse_query_fragment(u, r + pe, rn - pe))
			return -1;
		return 1;
	}
}

/* The URL serializer. */
static bool
serialize(const Url *u, SmBuf *out)
{
	bool		ok = smb_append(out, u->scheme.data, u->scheme.len) && smb_append(out, ":", 1);

	if (ok && u->has_host)
	{
		ok = smb_append(out, "//", 2);
		if (ok && (u->user.len || u->pass.len))
		{
			ok = smb_append(out, u->user.data, u->user.len) &&
				(u->pass.len == 0 || (smb_append(out, ":", 1) &&
									  smb_append(out, u->pass.data, u->pass.len))) &&
				smb_append(out, "@", 1);
		}
		ok = ok && smb_append(out, u->host.data, u->host.len);
		if (ok && u->port.len)
			ok = smb_append(out, ":", 1) && smb_append(out, u->port.data, u->port.len);
	}
	else if (ok && !u->opaque && u->path.len > 1 && u->path.data[0] == '/' &&
			 u->path.data[1] == '/')
		ok = smb_append(out, "/.", 2);
	ok = ok && smb_append(out, u->path.data, u->path.len);
	if (ok && u->has_query)
		ok = smb_append(out, "?", 1) && smb_append(out, u->query.data, u->query.len);
	if (ok && u->has_frag)
		ok = smb_append(out, "#", 1) && smb_append(out, u->frag.data, u->frag.len);
	return ok;
}

/* Input as the parser sees it: C0 controls and spaces trimmed, tabs and newlines removed. */
static bool
clean_input(SmBuf *b, const char *s, size_t n)
{
	while (n > 0 && (uint8_t) s[0] <= 0x20)
		s++, n--;
	while (n > 0 && (uint8_t) s[n - 1] <= 0x20)
		n--;
	for (size_t i = 0; i < n; i++)
	{
		if ((i & POLL_MASK) == POLL_MASK)
			sm_check_interrupts(b->env);
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && !smb_append(b, &s[i], 1))
			return false;
	}
	return smb_append(b, "", 1);	/* a NUL, not counted below */
}

/* The scheme the resolver gives a base that has none (see sm_url.h). */
#define PATH_SCHEME "sm-path:"

int
sm_url_resolve(const char *base, size_t base_len, const char *rel, size_t rel_len,
			   const SmEnv *env, char **out, size_t *out_len, SmError *err)
{
	SmBuf		cb,
				cr,
				res;
	Url			b,
				u;
	int			r = -1;
	bool		path_base = false;
	bool		rel_path_base = false;

	*out = NULL;
	*out_len = 0;
	if (base_len > SM_URL_MAX_INPUT || rel_len > SM_URL_MAX_INPUT)
	{
		sm_fail(err, SM_E_LIMIT, "URL of more than %zu bytes", SM_URL_MAX_INPUT);
		return -1;
	}
	smb_init(&cb, env, err);
	smb_init(&cr, env, err);
	smb_init(&res, env, err);
	url_init(&b, env, err);
	url_init(&u, env, err);
	if (!clean_input(&cb, base, base_len) || !clean_input(&cr, rel, rel_len))
		goto done;
	cb.len--;
	cr.len--;
	if (scheme_len((const char *) cb.data, cb.len) == 0)
	{
		/* a path as the base: made the path of an URL with an empty host */
		SmBuf		fake;

		path_base = true;
		rel_path_base = cb.len == 0 || cb.data[0] != '/';
		smb_init(&fake, env, err);
		if (!smb_append(&fake, PATH_SCHEME, strlen(PATH_SCHEME)) ||
			((cb.len < 2 || cb.data[0] != '/' || cb.data[1] != '/') &&
			 !smb_append(&fake, "//", 2)) ||
			(rel_path_base && !smb_append(&fake, "/", 1)) ||
			!smb_append(&fake, cb.data, cb.len))
		{
			smb_free(&fake);
			goto done;
		}
		smb_free(&cb);
		cb = fake;
	}
	r = parse_url(&b, (const char *) cb.data, cb.len, NULL);
	if (r == 1)
		r = parse_url(&u, (const char *) cr.data, cr.len, &b);
	if (r != 1)
		goto done;
	r = -1;
	if (!serialize(&u, &res))
		goto done;
	if (path_base && buf_is(&u.scheme, "sm-path"))
	{
		/* back to the base's form: no scheme, and no empty host */
		size_t		cut = strlen(PATH_SCHEME);

		if (u.host.len == 0)
			cut += 2;
		if (rel_path_base && u.host.len == 0 && (cr.len == 0 || cr.data[0] != '/'))
			cut++;
		memmove(res.data, res.data + cut, res.len - cut);
		res.len -= cut;
	}
	if (!smb_append(&res, "", 1))
		goto done;
	*out = (char *) res.data;
	*out_len = res.len - 1;
	res.data = NULL;
	r = 1;
done:
	if (r == -1 && err->code == SM_OK)
		sm_fail(err, SM_E_NOMEM, "out of memory resolving a URL");
	smb_free(&cb);
	smb_free(&cr);
	smb_free(&res);
	url_free(&b);
	url_free(&u);
	return r;
}

/* ---- candidate keys and prefixes ---------------------------------------- */

static void
add_candidate(SmUrlCandidate *out, int *n, bool tilde, const char *p, size_t len)
{
	for (int i = 0; i < *n; i++)
	{
		const SmUrlCandidate *c = &out[i];

		/* the same key, whichever of the two has the "~" as a flag */
		if (c->tilde == tilde ? (c->len == len && memcmp(c->ptr, p, len) == 0) :
			c->tilde ? (len == c->len + 1 && p[0] == '~' && memcmp(c->ptr, p + 1, c->len) == 0) :
			(c->len == len + 1 && c->ptr[0] == '~' && memcmp(c->ptr + 1, p, len) == 0))
			return;
	}
	out[*n].tilde = tilde;
	out[*n].ptr = p;
	out[*n].len = len;
	(*n)++;
}

/* Where the path of url starts (a '/'), or len when there is no path to take. */
static size_t
path_start(const char *url, size_t len, size_t stop)
{
	size_t		sl = scheme_len(url, len);
	size_t		from;

	if (len >= 2 && url[0] == '~' && url[1] == '/')
		return 1;
	if (sl > 0 && sl + 2 < len && url[sl + 1] == '/' && url[sl + 2] == '/')
		from = sl + 3;
	else if (len >= 2 && url[0] == '/' && url[1] == '/')
		from = 2;
	else if (len >= 1 && url[0] == '/')
		return 0;
	else
		return len;
	while (from < stop && url[from] != '/')
		from++;
	return from < stop ? from : len;
}

int
sm_url_candidates(const char *url, size_t len, SmUrlCandidate out[SM_URL_MAX_CANDIDATES])
{
	const char *hash = memchr(url, '#', len);
	size_t		nofrag = hash ? (size_t) (hash - url) : len;
	const char *q = memchr(url, '?', nofrag);
	size_t		noquery = q ? (size_t) (q - url) : nofrag;
	size_t		ps = path_start(url, len, noquery);
	size_t		slash = noquery;
	int			n = 0;

	add_candidate(out, &n, false, url, len);
	add_candidate(out, &n, false, url, nofrag);
	add_candidate(out, &n, false, url, noquery);
	if (ps < noquery)
	{
		add_candidate(out, &n, true, url + ps, nofrag - ps);
		add_candidate(out, &n, true, url + ps, noquery - ps);
		add_candidate(out, &n, false, url + ps, nofrag - ps);
		add_candidate(out, &n, false, url + ps, noquery - ps);
	}
	while (slash > ps && url[slash - 1] != '/')
		slash--;
	if (ps < noquery && slash < noquery)
		add_candidate(out, &n, false, url + slash, noquery - slash);
	return n;
}

static bool
starts_with(const char *s, size_t n, const char *lit)
{
	size_t		l = strlen(lit);

	return n >= l && memcmp(s, lit, l) == 0;
}

void
sm_url_strip_prefix(const char *source, size_t len, const char **out, size_t *out_len)
{
	const char *p = source;
	size_t		n = len;
	bool		turbo = starts_with(p, n, "turbopack://");

	if (turbo || starts_with(p, n, "webpack://"))
	{
		const char *slash;
		size_t		skip = turbo ? strlen("turbopack://") : strlen("webpack://");

		p += skip;
		n -= skip;
		slash = memchr(p, '/', n);
		if (slash)
		{
			n -= (size_t) (slash + 1 - p);
			p = slash + 1;
		}
		if (turbo && starts_with(p, n, "[project]/"))
		{
			p += strlen("[project]/");
			n -= strlen("[project]/");
		}
	}
	while (starts_with(p, n, "./"))
	{
		p += 2;
		n -= 2;
	}
	*out = p;
	*out_len = n;
}
