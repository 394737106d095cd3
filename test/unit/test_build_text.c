/*
 * test_build_text.c -- escaped strings through sm_build: what a map's
 * "sourcesContent", "sources" and "names" hold once unescaped, and the
 * rejection of \u0000 (a PostgreSQL text value cannot hold NUL) in each.
 *
 * sm_build unescapes these strings with smj_unescape_copy, which copies
 * runs a word at a time and long runs with memchr + memcpy, and reports a
 * NUL from one pass over its output.  The texts here are made with runs of
 * every length from 0 to 80 bytes between escapes, so every path of it is
 * taken, and each comes back through sm_source_content / sm_source /
 * sm_name compared with the raw text the test escaped itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/sm_map.h"
#include "test_util.h"

static TuCounts counts;

/* Append s (n bytes) to the JSON buffer at *o as a JSON string body, escaping as JSON requires. */
static void
put_escaped(char *dst, size_t *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
		{
			dst[(*o)++] = '\\';
			dst[(*o)++] = (char) c;
		}
		else if (c == '\n')
		{
			dst[(*o)++] = '\\';
			dst[(*o)++] = 'n';
		}
		else if (c < 0x20)
			*o += (size_t) sprintf(dst + *o, "\\u%04x", c);
		else
			dst[(*o)++] = (char) c;
	}
}

/*
 * A raw text of plain runs (len 0..80) each followed by a character that
 * must be escaped; nul_at >= 0 puts a NUL (written as \u0000) at that byte.
 */
static size_t
make_text(char *raw, uint32_t seed, int nul_at)
{
	static const char specials[] = "\n\"\\\t\x01";
	size_t		n = 0;

	for (int k = 0; k < 40; k++)
	{
		size_t		run;

		seed = seed * 1103515245u + 12345u;
		run = (seed >> 16) % 81;
		for (size_t j = 0; j < run; j++)
			raw[n++] = (char) ('a' + (j * 7 + k) % 26);
		raw[n++] = specials[(seed >> 8) % (sizeof(specials) - 1)];
	}
	if (nul_at >= 0 && (size_t) nul_at < n)
		raw[nul_at] = '\0';
	return n;
}

/* A map whose field ("sourcesContent", "sources" or "names") holds the escaped raw text. */
static size_t
make_map(char *json, const char *field, const char *raw, size_t n)
{
	size_t		o = 0;
	bool		in_names = strcmp(field, "names") == 0;
	bool		in_sources = strcmp(field, "sources") == 0;

	o += (size_t) sprintf(json, "{\"version\":3,\"sources\":[\"");
	if (in_sources)
		put_escaped(json, &o, raw, n);
	else
		o += (size_t) sprintf(json + o, "a.js");
	o += (size_t) sprintf(json + o, "\"],\"names\":[\"");
	if (in_names)
		put_escaped(json, &o, raw, n);
	else
		o += (size_t) sprintf(json + o, "x");
	o += (size_t) sprintf(json + o, "\"],\"sourcesContent\":[\"");
	if (!in_names && !in_sources)
		put_escaped(json, &o, raw, n);
	else
		o += (size_t) sprintf(json + o, "text");
	o += (size_t) sprintf(json + o, "\"],\"mappings\":\"AAAAA\"}");
	return o;
}

/* The field's text as the built map gives it back, compared with raw. */
static bool
same_text(TuMap *m, const char *field, const char *raw, size_t n, SmError *err)
{
	if (strcmp(field, "sourcesContent") == 0)
	{
		char	   *out = NULL;
		uint32_t	len = 0;
		bool		isnull = true;
		bool		ok;

		if (!sm_source_content(m->map, 0, &out, &len, &isnull, err))
			return false;
		ok = !isnull && len == n && memcmp(out, raw, n) == 0;
		sm_free(&sm_malloc_env, out);
		return ok;
	}
	else
	{
		SmStr		s;

		if (!(strcmp(field, "names") == 0 ? sm_name(m->map, 0, &s, err)
			  : sm_source(m->map, 0, &s, err)))
			return false;
		return !s.isnull && s.len == n && memcmp(s.ptr, raw, n) == 0;
	}
}

static void
one(const char *field, uint32_t seed, int nul_at)
{
	static char raw[8192];
	static char json[65536];
	size_t		n = make_text(raw, seed, nul_at);
	size_t		jlen = make_map(json, field, raw, n);
	TuMap		m;
	SmError		err;
	bool		built;

	memset(&err, 0, sizeof(err));
	built = tu_map_build(json, jlen, &m, &err);
	if (nul_at < 0)
	{
		if (tu_check(&counts, built, "%s seed %u: built (%s)", field, seed, err.msg))
		{
			tu_check(&counts, same_text(&m, field, raw, n, &err),
					 "%s seed %u: the text comes back as written (%s)", field, seed, err.msg);
			tu_map_free(&m);
		}
	}
	else
	{
		char		want[96];

		snprintf(want, sizeof(want), "\"%s\" contains \\u0000, which a text value cannot hold", field);
		tu_check(&counts, !built && err.code == SM_E_SYNTAX && strstr(err.msg, want) != NULL,
				 "%s seed %u: NUL at %d rejected (%s)", field, seed, nul_at,
				 built ? "built" : err.msg);
		if (built)
			tu_map_free(&m);
	}
}

int
main(void)
{
	static const char *const fields[] = {"sourcesContent", "sources", "names"};

	for (int f = 0; f < 3; f++)
		for (uint32_t seed = 1; seed <= 60; seed++)
		{
			one(fields[f], seed, -1);
			/* a NUL at the start, the end, and inside runs of every kind */
			one(fields[f], seed, seed == 1 ? 0 : (int) (seed * 37) % 1500);
		}
	return tu_finish("build_text", &counts);
}
