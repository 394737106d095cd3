/*
 * sm_doc.c -- read the JSON of a source map into an SmDoc: one pass over
 * the pull parser, each known member checked for its type, unknown members
 * skipped without being built (at the top level their place in the input
 * is kept, for the stored value to keep them verbatim).  Error messages name the member (with its
 * path inside an index map) and the byte offset.
 */
#include <stdio.h>
#include <string.h>

#include "base/sm_limits.h"
#include "json/sm_doc.h"
#include "json/sm_json.h"

/* Longest member path quoted in messages, e.g. sections[12].map.sources */
#define PATH_MAX_LEN 256

typedef struct Parser
{
	SmJson		js;
	const SmEnv *env;
	SmError    *err;
	char		path[PATH_MAX_LEN];
	int			map_depth;
	bool		any_scopes;		/* a "scopes" member was seen */
} Parser;

static bool parse_map(Parser *p, SmDoc *doc);

/* Byte offset of the last token (strings: their opening quote). */
static size_t
tok_at(const Parser *p, SmJsonTok t)
{
	size_t		at = p->js.tok_start;

	if ((t == SMJ_STRING || t == SMJ_KEY) && at > 0)
		at--;
	return at;
}

static const char *
tok_kind(SmJsonTok t)
{
	switch (t)
	{
		case SMJ_OBJ_BEGIN:
			return "an object";
		case SMJ_ARR_BEGIN:
			return "an array";
		case SMJ_STRING:
			return "a string";
		case SMJ_NUMBER:
			return "a number";
		case SMJ_TRUE:
		case SMJ_FALSE:
			return "a boolean";
		case SMJ_NULL:
			return "null";
		default:
			return "something else";
	}
}

/* Fail with: "<path><field>" <msg> at byte N */
static bool
fail_at(Parser *p, const char *field, size_t at, const char *msg)
{
	return sm_fail(p->err, SM_E_SYNTAX, "\"%s%s\" %s at byte %zu", p->path, field, msg, at);
}

static bool
fail_type(Parser *p, const char *field, SmJsonTok t, const char *want)
{
	char		msg[96];

	snprintf(msg, sizeof(msg), "must be %s, not %s", want, tok_kind(t));
	return fail_at(p, field, tok_at(p, t), msg);
}

static SmSpan
tok_span(const Parser *p)
{
	SmSpan		s;

	s.off = (uint32_t) p->js.tok_start;
	s.len = (uint32_t) p->js.tok_len;
	s.escaped = p->js.tok_escaped;
	s.isnull = 0;
	return s;
}

/* Does the current key (maybe escaped) equal name? */
static bool
key_is(const Parser *p, const char *name)
{
	char		tmp[32];
	size_t		n;

	if (!p->js.tok_escaped)
		return smj_key_is(&p->js, name);
	if (p->js.tok_len >= sizeof(tmp))
		return false;
	n = smj_unescape(p->js.buf + p->js.tok_start, p->js.tok_len, tmp);
	return n == strlen(name) && memcmp(tmp, name, n) == 0;
}

/* Optional string member: a string, or null meaning absent. */
static bool
parse_opt_string(Parser *p, const char *field, bool *has, SmSpan *out)
{
	SmJsonTok	t = smj_next(&p->js);

	if (t == SMJ_STRING)
	{
		*has = true;
		*out = tok_span(p);
		return true;
	}
	if (t == SMJ_NULL)
		return true;
	if (t == SMJ_ERROR)
		return false;
	return fail_type(p, field, t, "a string");
}

/* Array of strings (and nulls if allow_null) into an SmSpan buffer. */
static bool
parse_string_array(Parser *p, const char *field, bool allow_null, uint32_t limit, SmBuf *out,
				   uint32_t *at)
{
	SmJsonTok	t = smj_next(&p->js);
	uint32_t	i = 0;

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_BEGIN)
		return fail_type(p, field, t, "an array");
	*at = (uint32_t) tok_at(p, t);
	for (;; i++)
	{
		SmSpan		s;

		t = smj_next(&p->js);
		if (t == SMJ_ARR_END)
			return true;
		if (t == SMJ_STRING)
			s = tok_span(p);
		else if (t == SMJ_NULL && allow_null)
		{
			memset(&s, 0, sizeof(s));
			s.isnull = 1;
		}
		else if (t == SMJ_ERROR)
			return false;
		else
		{
			char		msg[96];

			snprintf(msg, sizeof(msg), "has %s at index %u where a string%s belongs",
					 tok_kind(t), i, allow_null ? " or null" : "");
			return fail_at(p, field, tok_at(p, t), msg);
		}
		if (i >= limit)
			return sm_fail(p->err, SM_E_LIMIT, "\"%s%s\" has more than %u entries (the limit)",
						   p->path, field, limit);
		if (!smb_append(out, &s, sizeof(s)))
			return false;
	}
}

/* Read a number token as a non-negative int32; msg names the field. */
static bool
number_u31(Parser *p, SmJsonTok t, const char *field, uint32_t *out)
{
	int64_t		v;

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_NUMBER)
		return fail_type(p, field, t, "a non-negative integer");
	if (!smj_number_int(&p->js, &v) || v < 0 || v > 2147483647)
		return fail_at(p, field, tok_at(p, t), "must be an integer from 0 to 2147483647");
	*out = (uint32_t) v;
	return true;
}

/* ignoreList: array of non-negative integers */
static bool
parse_index_array(Parser *p, const char *field, SmBuf *out, uint32_t *at)
{
	SmJsonTok	t = smj_next(&p->js);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_BEGIN)
		return fail_type(p, field, t, "an array");
	*at = (uint32_t) tok_at(p, t);
	for (uint32_t i = 0;; i++)
	{
		uint32_t	v;

		t = smj_next(&p->js);
		if (t == SMJ_ARR_END)
			return true;
		if (i >= SM_MAX_SOURCES)
			return sm_fail(p->err, SM_E_LIMIT, "\"%s%s\" has more than %u entries (the limit)",
						   p->path, field, SM_MAX_SOURCES);
		if (!number_u31(p, t, field, &v))
			return false;
		if (!smb_append(out, &v, sizeof(v)))
			return false;
	}
}

bool
sm_parse_uuid(const char *s, size_t len, uint8_t out[16])
{
	int			nib = 0;

	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++)
	{
		char		c = s[i];
		int			v;

		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (c != '-')
				return false;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return false;
		if (nib % 2 == 0)
			out[nib / 2] = (uint8_t) (v << 4);
		else
			out[nib / 2] |= (uint8_t) v;
		nib++;
	}
	return true;
}

static bool
parse_debug_id(Parser *p, const char *field, SmDoc *doc)
{
	SmJsonTok	t = smj_next(&p->js);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_STRING)
		return fail_type(p, field, t, "a string");
	if (p->js.tok_escaped ||
		!sm_parse_uuid(p->js.buf + p->js.tok_start, p->js.tok_len, doc->debug_id))
		return fail_at(p, field, tok_at(p, t), "is not a UUID (8-4-4-4-12 hex digits)");
	doc->has_debug_id = true;
	return true;
}

/* "offset": {"line": N, "column": N} */
static bool
parse_offset(Parser *p, SmSectionDoc *sec)
{
	SmJsonTok	t = smj_next(&p->js);
	bool		has_line = false,
				has_col = false;
	size_t		at = tok_at(p, t);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_OBJ_BEGIN)
		return fail_type(p, "offset", t, "an object");
	while ((t = smj_next(&p->js)) == SMJ_KEY)
	{
		if (key_is(p, "line"))
		{
			if (has_line)
				return fail_at(p, "offset.line", tok_at(p, t), "appears twice");
			has_line = true;
			if (!number_u31(p, smj_next(&p->js), "offset.line", &sec->line))
				return false;
		}
		else if (key_is(p, "column"))
		{
			if (has_col)
				return fail_at(p, "offset.column", tok_at(p, t), "appears twice");
			has_col = true;
			if (!number_u31(p, smj_next(&p->js), "offset.column", &sec->col))
				return false;
		}
		else if (!smj_skip(&p->js, smj_next(&p->js)))
			return false;
	}
	if (t != SMJ_OBJ_END)
		return false;
	if (!has_line)
		return fail_at(p, "offset", at, "has no \"line\"");
	if (!has_col)
		return fail_at(p, "offset", at, "has no \"column\"");
	return true;
}

static SmDoc *
doc_new(Parser *p, size_t at)
{
	SmDoc	   *doc = sm_alloc(p->env, sizeof(SmDoc), p->err);

	if (doc == NULL)
		return NULL;
	memset(doc, 0, sizeof(*doc));
	doc->at = (uint32_t) at;
	doc->ignore_field = "ignoreList";
	smb_init(&doc->sources, p->env, p->err);
	smb_init(&doc->contents, p->env, p->err);
	smb_init(&doc->names, p->env, p->err);
	smb_init(&doc->ignore, p->env, p->err);
	smb_init(&doc->sections, p->env, p->err);
	smb_init(&doc->functions, p->env, p->err);
	smb_init(&doc->kept, p->env, p->err);
	return doc;
}

/* One element of "sections": {"offset": {...}, "map": {...}} */
static bool
parse_section(Parser *p, SmDoc *doc, uint32_t idx)
{
	SmJsonTok	t = smj_next(&p->js);
	SmSectionDoc sec;
	bool		has_offset = false;
	size_t		saved = strlen(p->path);
	bool		ok = false;

	memset(&sec, 0, sizeof(sec));
	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_OBJ_BEGIN)
	{
		char		msg[96];

		snprintf(msg, sizeof(msg), "has %s at index %u where an object belongs", tok_kind(t), idx);
		return fail_at(p, "sections", tok_at(p, t), msg);
	}
	sec.at = (uint32_t) tok_at(p, t);
	snprintf(p->path + saved, sizeof(p->path) - saved, "sections[%u].", idx);
	while ((t = smj_next(&p->js)) == SMJ_KEY)
	{
		if (key_is(p, "offset"))
		{
			if (has_offset)
			{
				fail_at(p, "offset", tok_at(p, t), "appears twice");
				goto done;
			}
			has_offset = true;
			if (!parse_offset(p, &sec))
				goto done;
		}
		else if (key_is(p, "map"))
		{
			size_t		inner = strlen(p->path);
			SmJsonTok	v;

			if (sec.map)
			{
				fail_at(p, "map", tok_at(p, t), "appears twice");
				goto done;
			}
			v = smj_next(&p->js);
			if (v == SMJ_ERROR)
				goto done;
			if (v != SMJ_OBJ_BEGIN)
			{
				fail_type(p, "map", v, "an object");
				goto done;
			}
			if (p->map_depth >= SM_MAX_MAP_DEPTH)
			{
				sm_fail(p->err, SM_E_LIMIT, "\"%smap\" nests index maps deeper than %d at byte %zu",
						p->path, SM_MAX_MAP_DEPTH, tok_at(p, v));
				goto done;
			}
			sec.map = doc_new(p, tok_at(p, v));
			if (sec.map == NULL)
				goto done;
			snprintf(p->path + inner, sizeof(p->path) - inner, "map.");
			p->map_depth++;
			if (!parse_map(p, sec.map))
				goto done;
			p->map_depth--;
			p->path[inner] = '\0';
		}
		else if (!smj_skip(&p->js, smj_next(&p->js)))
			goto done;
	}
	if (t != SMJ_OBJ_END)
		goto done;
	if (!has_offset || sec.map == NULL)
	{
		p->path[strlen(p->path) - 1] = '\0';	/* "sections[2]", not "sections[2]." */
		fail_at(p, "", sec.at, has_offset ? "has no \"map\"" : "has no \"offset\"");
		goto done;
	}
	ok = smb_append(&doc->sections, &sec, sizeof(sec));
done:
	if (!ok && sec.map)
		sm_doc_free(sec.map, p->env);
	p->path[saved] = '\0';
	return ok;
}

static bool
parse_sections(Parser *p, SmDoc *doc)
{
	SmJsonTok	t = smj_next(&p->js);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_BEGIN)
		return fail_type(p, "sections", t, "an array");
	for (uint32_t i = 0;; i++)
	{
		/* peek: the end of the array or the next section */
		SmJson		save = p->js;

		t = smj_next(&p->js);
		if (t == SMJ_ARR_END)
			return true;
		if (t == SMJ_ERROR)
			return false;
		if (i >= SM_MAX_SECTIONS)
			return sm_fail(p->err, SM_E_LIMIT, "\"%ssections\" has more than %u entries (the limit)",
						   p->path, SM_MAX_SECTIONS);
		p->js = save;			/* give the token back to parse_section */
		if (!parse_section(p, doc, i))
			return false;
	}
}

/*
 * "x_sourcemap_functions": [[line, column, name], ...], the breakpoints of
 * the function table as this extension writes them (sm_json_out.c).
 */
static bool
parse_functions(Parser *p, SmDoc *doc)
{
	const char *field = "x_sourcemap_functions";
	SmJsonTok	t = smj_next(&p->js);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_BEGIN)
		return fail_type(p, field, t, "an array");
	doc->functions_at = (uint32_t) tok_at(p, t);
	for (;;)
	{
		SmFuncBreak fb;

		t = smj_next(&p->js);
		if (t == SMJ_ARR_END)
			return true;
		if (t == SMJ_ERROR)
			return false;
		if (t != SMJ_ARR_BEGIN)
			return fail_type(p, field, t, "an array of [line, column, name] entries");
		if (doc->functions.len / sizeof(SmFuncBreak) >= SM_MAX_SEGMENTS)
			return sm_fail(p->err, SM_E_LIMIT, "\"%s\" has more than %u entries (the limit)",
						   field, SM_MAX_SEGMENTS);
		if (!number_u31(p, smj_next(&p->js), field, &fb.line) ||
			!number_u31(p, smj_next(&p->js), field, &fb.col))
			return false;
		t = smj_next(&p->js);
		if (t == SMJ_STRING)
			fb.name = tok_span(p);
		else if (t == SMJ_NULL)
		{
			memset(&fb.name, 0, sizeof(fb.name));
			fb.name.isnull = 1;
		}
		else if (t == SMJ_ERROR)
			return false;
		else
			return fail_type(p, field, t, "a string or null as the third item of an entry");
		t = smj_next(&p->js);
		if (t == SMJ_ERROR)
			return false;
		if (t != SMJ_ARR_END)
			return fail_at(p, field, tok_at(p, t), "has an entry with more than 3 items");
		if (!smb_append(&doc->functions, &fb, sizeof(fb)))
			return false;
	}
}

/*
 * Keep the member whose key token began at key_at and whose value was just
 * consumed (top level only: members inside index-map sections are
 * flattened away).  Returns the member's index in doc->kept, or -1.
 */
static int
keep_member(Parser *p, SmDoc *doc, size_t key_at)
{
	SmKeptMember k;

	if (p->map_depth > 0)
		return -2;
	k.at = (uint32_t) key_at;
	k.end = (uint32_t) p->js.pos;
	if (!smb_append(&doc->kept, &k, sizeof(k)))
		return -1;
	return (int) (doc->kept.len / sizeof(k)) - 1;
}

/* Drop kept member i (a member that turned out to be the one used). */
static void
unkeep_member(SmDoc *doc, int i)
{
	SmKeptMember *v = (SmKeptMember *) doc->kept.data;
	size_t		n = doc->kept.len / sizeof(SmKeptMember);

	if (i < 0)
		return;
	memmove(v + i, v + i + 1, (n - (size_t) i - 1) * sizeof(SmKeptMember));
	doc->kept.len -= sizeof(SmKeptMember);
}

/*
 * At the top level, once all members are read: the members that the other
 * sections hold after all are not kept verbatim.  ignore_kept is the ignore
 * list used (x_google when it was named so), snake_kept debug_id when it
 * gave the debug id (-2: none).  An ignore list without entries is kept as
 * written (the output writes none); an index map's own ignore lists are not
 * read, nor kept.
 */
static void
drop_used_members(SmDoc *doc, int ignore_kept, bool x_google, int snake_kept)
{
	size_t		nignore = doc->ignore.len / sizeof(uint32_t);

	if (ignore_kept >= 0 && nignore == 0 && !doc->has_sections)
		ignore_kept = -2;
	if (ignore_kept >= 0 && x_google && !doc->has_sections)
		doc->kept_flags |= SM_DOC_KEPT_X_GOOGLE_IGNORE;
	if (snake_kept >= 0)
		doc->kept_flags |= SM_DOC_KEPT_DEBUG_ID_SNAKE;
	/* the later one first, so that the other's index stays right */
	unkeep_member(doc, ignore_kept > snake_kept ? ignore_kept : snake_kept);
	unkeep_member(doc, ignore_kept > snake_kept ? snake_kept : ignore_kept);
}

/* Claim a member; a known member may appear only once. */
static bool
claim(Parser *p, bool *seen, const char *field, SmJsonTok t)
{
	if (*seen)
		return fail_at(p, field, tok_at(p, t), "appears twice");
	*seen = true;
	return true;
}

/* The members of a map object; the '{' has been consumed. */
static bool
parse_map(Parser *p, SmDoc *doc)
{
	SmJsonTok	t;
	bool		seen_version = false,
				seen_file = false,
				seen_root = false,
				seen_sources = false,
				seen_contents = false,
				seen_names = false,
				seen_mappings = false,
				seen_ignore = false,
				seen_xignore = false,
				seen_debug = false,
				seen_legacy_debug = false,
				seen_sections = false;
	SmBuf		xignore;
	uint32_t	xignore_at = 0,
				unused_at;
	bool		ok = false;
	int			ignore_kept = -2,
				xignore_kept = -2,
				snake_kept = -2;
	size_t		key_at;

	smb_init(&xignore, p->env, p->err);
	while ((t = smj_next(&p->js)) == SMJ_KEY)
	{
		key_at = tok_at(p, t);
		if (key_is(p, "version"))
		{
			SmJsonTok	v;
			int64_t		n;

			if (!claim(p, &seen_version, "version", t))
				goto done;
			v = smj_next(&p->js);
			if (v == SMJ_ERROR)
				goto done;
			if (v != SMJ_NUMBER)
			{
				fail_type(p, "version", v, "the number 3");
				goto done;
			}
			if (!smj_number_int(&p->js, &n) || n != 3)
			{
				fail_at(p, "version", tok_at(p, v), "must be 3");
				goto done;
			}
			doc->has_version = true;
		}
		else if (key_is(p, "file"))
		{
			if (!claim(p, &seen_file, "file", t) ||
				!parse_opt_string(p, "file", &doc->has_file, &doc->file) ||
				(!doc->has_file && keep_member(p, doc, key_at) == -1))
				goto done;
		}
		else if (key_is(p, "sourceRoot"))
		{
			if (!claim(p, &seen_root, "sourceRoot", t) ||
				!parse_opt_string(p, "sourceRoot", &doc->has_root, &doc->root) ||
				(!doc->has_root && keep_member(p, doc, key_at) == -1))
				goto done;
		}
		else if (key_is(p, "sources"))
		{
			if (!claim(p, &seen_sources, "sources", t) ||
				!parse_string_array(p, "sources", true, SM_MAX_SOURCES, &doc->sources, &unused_at))
				goto done;
			doc->has_sources = true;
		}
		else if (key_is(p, "sourcesContent"))
		{
			if (!claim(p, &seen_contents, "sourcesContent", t))
				goto done;
			if (!parse_string_array(p, "sourcesContent", true, SM_MAX_SOURCES, &doc->contents,
									&doc->contents_at))
				goto done;
			doc->has_contents = true;
		}
		else if (key_is(p, "names"))
		{
			if (!claim(p, &seen_names, "names", t) ||
				!parse_string_array(p, "names", false, SM_MAX_NAMES, &doc->names, &unused_at))
				goto done;
			doc->has_names = true;
		}
		else if (key_is(p, "mappings"))
		{
			SmJsonTok	v;

			if (!claim(p, &seen_mappings, "mappings", t))
				goto done;
			v = smj_next(&p->js);
			if (v == SMJ_ERROR)
				goto done;
			if (v != SMJ_STRING)
			{
				fail_type(p, "mappings", v, "a string");
				goto done;
			}
			doc->mappings = tok_span(p);
			doc->has_mappings = true;
		}
		else if (key_is(p, "ignoreList"))
		{
			if (!claim(p, &seen_ignore, "ignoreList", t))
				goto done;
			if (!parse_index_array(p, "ignoreList", &doc->ignore, &doc->ignore_at) ||
				(ignore_kept = keep_member(p, doc, key_at)) == -1)
				goto done;
		}
		else if (key_is(p, "x_google_ignoreList"))
		{
			if (!claim(p, &seen_xignore, "x_google_ignoreList", t) ||
				!parse_index_array(p, "x_google_ignoreList", &xignore, &xignore_at) ||
				(xignore_kept = keep_member(p, doc, key_at)) == -1)
				goto done;
		}
		else if (key_is(p, "debugId"))
		{
			if (!claim(p, &seen_debug, "debugId", t) ||
				!parse_debug_id(p, "debugId", doc))
				goto done;
		}
		else if (key_is(p, "debug_id"))
		{
			uint8_t		keep[16];
			bool		had = doc->has_debug_id;

			/* the legacy name counts only when debugId is absent */
			memcpy(keep, doc->debug_id, 16);
			if (!claim(p, &seen_legacy_debug, "debug_id", t) ||
				!parse_debug_id(p, "debug_id", doc) ||
				(snake_kept = keep_member(p, doc, key_at)) == -1)
				goto done;
			if (seen_debug)
			{
				memcpy(doc->debug_id, keep, 16);
				doc->has_debug_id = had;
			}
		}
		else if (key_is(p, "x_sourcemap_functions") && p->map_depth == 0)
		{
			bool		seen = doc->has_functions;

			if (!claim(p, &seen, "x_sourcemap_functions", t) || !parse_functions(p, doc))
				goto done;
			doc->has_functions = true;
		}
		else if (key_is(p, "scopes"))
		{
			/* a proposal still changing: any value is accepted, a string is kept */
			SmJsonTok	v = smj_next(&p->js);

			p->any_scopes = true;
			if (v == SMJ_STRING)
			{
				doc->scopes = tok_span(p);
				doc->has_scopes = true;
			}
			else if (!smj_skip(&p->js, v))
				goto done;
			if (keep_member(p, doc, key_at) == -1)
				goto done;
		}
		else if (key_is(p, "sections"))
		{
			if (!claim(p, &seen_sections, "sections", t) || !parse_sections(p, doc))
				goto done;
			doc->has_sections = true;
		}
		else
		{
			bool		fb = key_is(p, "x_facebook_sources");
			SmJsonTok	v = smj_next(&p->js);
			size_t		v_at = tok_at(p, v);

			if (!smj_skip(&p->js, v) || keep_member(p, doc, key_at) == -1)
				goto done;
			if (fb && p->map_depth == 0)
			{
				if (doc->has_fb_sources)
				{
					fail_at(p, "x_facebook_sources", key_at, "appears twice");
					goto done;
				}
				doc->has_fb_sources = true;
				doc->fb_sources.at = (uint32_t) v_at;
				doc->fb_sources.end = (uint32_t) p->js.pos;
			}
		}
	}
	if (t != SMJ_OBJ_END)
		goto done;
	/* debugId given after debug_id replaces it: parse_debug_id already did */
	if (!seen_ignore && seen_xignore)
	{
		SmBuf		tmp = doc->ignore;

		doc->ignore = xignore;
		xignore = tmp;
		doc->ignore_at = xignore_at;
		doc->ignore_field = "x_google_ignoreList";
		seen_ignore = true;
		ignore_kept = xignore_kept;
	}
	if (p->map_depth == 0)
		drop_used_members(doc, ignore_kept, doc->ignore_field[0] == 'x',
						  seen_legacy_debug && !seen_debug ? snake_kept : -2);
	doc->has_ignore = seen_ignore;
	ok = true;
done:
	smb_free(&xignore);
	return ok;
}

/*
 * Bytes before the JSON that servers put there and ECMA-426's fetching
 * algorithm removes: a UTF-8 byte order mark (UTF-8 decoding drops it),
 * then, when the text starts with the anti-XSSI prefix )]}', its whole
 * first line up to and including the line break (LF, CR or CRLF).  Only at
 * the very start: anywhere else these bytes are a syntax error, and error
 * offsets still count from the first byte of the input.
 */
static size_t
preamble_len(const char *json, size_t len)
{
	size_t		at = 0;

	if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	if (len - at >= 4 && memcmp(json + at, ")]}'", 4) == 0)
	{
		at += 4;
		while (at < len && json[at] != '\n' && json[at] != '\r')
			at++;
		if (at < len && json[at] == '\r' && at + 1 < len && json[at + 1] == '\n')
			at++;
		if (at < len)
			at++;
	}
	return at;
}

SmDoc *
sm_doc_parse(const char *json, size_t len, const SmEnv *env, SmError *err)
{
	Parser		p;
	SmJsonTok	t;
	SmDoc	   *doc;

	if (len > SM_MAX_DOCUMENT_BYTES)
	{
		sm_fail(err, SM_E_LIMIT, "document of %zu bytes exceeds the limit of %u bytes", len,
				SM_MAX_DOCUMENT_BYTES);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.env = env;
	p.err = err;
	smj_init(&p.js, json, len, err);
	p.js.pos = preamble_len(json, len);
	t = smj_next(&p.js);
	if (t == SMJ_ERROR)
		return NULL;
	if (t != SMJ_OBJ_BEGIN)
	{
		sm_fail(err, SM_E_SYNTAX, "the document must be a JSON object, not %s", tok_kind(t));
		return NULL;
	}
	doc = doc_new(&p, tok_at(&p, t));
	if (doc == NULL)
		return NULL;
	if (!parse_map(&p, doc) || smj_next(&p.js) != SMJ_EOF)
	{
		sm_doc_free(doc, env);
		return NULL;
	}
	doc->any_scopes = p.any_scopes;
	return doc;
}

void
sm_doc_free(SmDoc *doc, const SmEnv *env)
{
	SmSectionDoc *secs;
	size_t		n;

	if (doc == NULL)
		return;
	secs = (SmSectionDoc *) doc->sections.data;
	n = doc->sections.len / sizeof(SmSectionDoc);
	for (size_t i = 0; i < n; i++)
		sm_doc_free(secs[i].map, env);
	smb_free(&doc->sources);
	smb_free(&doc->contents);
	smb_free(&doc->names);
	smb_free(&doc->ignore);
	smb_free(&doc->sections);
	smb_free(&doc->functions);
	smb_free(&doc->kept);
	sm_free(env, doc);
}
