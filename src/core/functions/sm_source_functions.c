/*
 * sm_source_functions.c -- `x_facebook_sources` (sm_source_functions.h):
 * checked and decoded at input into one function table per source, looked
 * up when a frame is named.  Every malformed piece is an error that says
 * where (the source index, the segment, the byte offset in the document):
 * the map comes from a tool, so a bad member means a broken tool or a
 * hostile document, not a proposal still changing.
 */
#include <stdio.h>
#include <string.h>

#include "base/sm_limits.h"
#include "base/sm_vlq.h"
#include "format/sm_format.h"
#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "functions/sm_source_functions.h"
#include "json/sm_json.h"

#define FIELD "x_facebook_sources"

typedef struct Decoder
{
	SmJson		js;
	size_t		base;			/* offset of js.buf in the document */
	const SmEnv *env;
	SmError    *err;
	SmBuf		text;			/* an unescaped string */
} Decoder;

static size_t
at(const Decoder *d)
{
	size_t		a = d->base + d->js.tok_start;

	/* a string's offset is its opening quote's */
	return d->js.tok_start > 0 && d->js.buf[d->js.tok_start - 1] == '"' ? a - 1 : a;
}

static bool
fail_at(Decoder *d, uint32_t src, size_t where, const char *what)
{
	return sm_fail(d->err, SM_E_SYNTAX, "\"" FIELD "[%u]\" %s at byte %zu", src, what, where);
}

/* The last string token's text, unescaped into d->text. */
static bool
token_text(Decoder *d)
{
	d->text.len = 0;
	if (!smb_reserve(&d->text, d->js.tok_len + 1))
		return false;
	d->text.len = d->js.tok_escaped
		? smj_unescape(d->js.buf + d->js.tok_start, d->js.tok_len, (char *) d->text.data)
		: d->js.tok_len;
	if (!d->js.tok_escaped)
		memcpy(d->text.data, d->js.buf + d->js.tok_start, d->js.tok_len);
	return true;
}

/* "names": an array of strings, into names (each NUL-terminated, back to back) and offs. */
static bool
read_names(Decoder *d, uint32_t src, SmBuf *names, SmBuf *offs)
{
	SmJsonTok	t = smj_next(&d->js);

	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_BEGIN)
		return fail_at(d, src, at(d), "has \"names\" that is not an array");
	while ((t = smj_next(&d->js)) == SMJ_STRING)
	{
		uint32_t	off[2];

		if (!token_text(d))
			return false;
		off[0] = (uint32_t) names->len;
		off[1] = (uint32_t) d->text.len;
		if (offs->len / sizeof(off) >= SM_MAX_NAMES)
			return sm_fail(d->err, SM_E_LIMIT, "\"" FIELD "[%u]\" has more than %u names (the limit)",
						   src, SM_MAX_NAMES);
		if (!smb_append(names, d->text.data, d->text.len) || !smb_append(offs, off, sizeof(off)))
			return false;
	}
	if (t == SMJ_ERROR)
		return false;
	if (t != SMJ_ARR_END)
		return fail_at(d, src, at(d), "has a name that is not a string");
	return true;
}

/*
 * Decode one function map's mappings (text of d->text, found at byte
 * where) into ranges of list: each segment's function runs to the next
 * segment (the last one to the end of the source).
 */
static bool
decode_mappings(Decoder *d, uint32_t src, size_t where, const SmBuf *names, const SmBuf *offs,
				SmFuncList *list)
{
	const char *s = (const char *) d->text.data;
	size_t		len = d->text.len,
				pos = 0;
	uint32_t	nnames = (uint32_t) (offs->len / (2 * sizeof(uint32_t)));
	const uint32_t *off = (const uint32_t *) offs->data;
	int64_t		line = 0,
				col = 0,
				name = 0;
	bool		have = false;
	uint32_t	pline = 0,
				pcol = 0,
				pname = 0,
				seg = 0;
	char		msg[160];

	if (len == 0)
		return true;
	for (;; seg++)
	{
		int64_t		v[3] = {0, 0, 0};
		int			n = 0;

		if ((seg & 0xFFFF) == 0)
			sm_check_interrupts(d->env);
		while (pos < len && s[pos] != ',' && s[pos] != ';')
		{
			SmVlqStatus st;

			if (n == 3)
			{
				snprintf(msg, sizeof(msg), "has a mappings segment %u with more than 3 fields", seg);
				return fail_at(d, src, where, msg);
			}
			st = sm_vlq_decode(s, len, &pos, &v[n]);
			if (st != SM_VLQ_OK)
			{
				snprintf(msg, sizeof(msg), "has an invalid VLQ in mappings segment %u (mappings byte %zu)",
						 seg, pos);
				return fail_at(d, src, where, msg);
			}
			n++;
		}
		if (n < 2)
		{
			snprintf(msg, sizeof(msg), "has a mappings segment %u with %d fields (2 or 3 belong)", seg, n);
			return fail_at(d, src, where, msg);
		}
		col += v[0];
		name += v[1];
		line += v[2];
		if (line < 0 || line > SM_MAX_COORD || col < 0 || col > SM_MAX_COORD)
		{
			snprintf(msg, sizeof(msg), "has a mappings segment %u at a negative or too large line or column",
					 seg);
			return fail_at(d, src, where, msg);
		}
		if (name < 0 || name >= nnames)
		{
			snprintf(msg, sizeof(msg), "has a mappings segment %u whose name index %lld is not in \"names\"",
					 seg, (long long) name);
			return fail_at(d, src, where, msg);
		}
		if (have && (line < pline || (line == pline && col < pcol)))
		{
			snprintf(msg, sizeof(msg), "has a mappings segment %u before the previous one", seg);
			return fail_at(d, src, where, msg);
		}
		/* the previous segment's function ends here */
		if (have && !sm_func_list_add(list, pline, pcol, (uint32_t) line, (uint32_t) col,
									  (const char *) names->data + off[2 * pname], off[2 * pname + 1],
									  off[2 * pname + 1] == 0))
			return false;
		have = true;
		pline = (uint32_t) line;
		pcol = (uint32_t) col;
		pname = (uint32_t) name;
		if (pos == len)
			break;
		if (s[pos++] == ';')
			col = 0;
	}
	return sm_func_list_add(list, pline, pcol, SM_MAX_COORD, SM_MAX_COORD,
							(const char *) names->data + off[2 * pname], off[2 * pname + 1],
							off[2 * pname + 1] == 0);
}

/* One function map {"names": [...], "mappings": "..."} (the '{' was read) into list. */
static bool
read_function_map(Decoder *d, uint32_t src, SmFuncList *list)
{
	SmBuf		names,
				offs,
				mappings;
	SmJsonTok	t;
	bool		has_names = false,
				has_mappings = false,
				ok = false;
	size_t		obj_at = at(d),
				where = 0;

	smb_init(&names, d->env, d->err);
	smb_init(&offs, d->env, d->err);
	smb_init(&mappings, d->env, d->err);
	(void) has_names;			/* "names" may be absent: then no segment can name a function */
	while ((t = smj_next(&d->js)) == SMJ_KEY)
	{
		/* a repeated key: the last one counts, as with JSON.parse */
		if (smj_key_is(&d->js, "names"))
		{
			has_names = true;
			names.len = offs.len = 0;
			if (!read_names(d, src, &names, &offs))
				goto done;
		}
		else if (smj_key_is(&d->js, "mappings"))
		{
			has_mappings = true;
			mappings.len = 0;
			t = smj_next(&d->js);
			if (t == SMJ_ERROR)
				goto done;
			if (t != SMJ_STRING)
			{
				fail_at(d, src, at(d), "has \"mappings\" that is not a string");
				goto done;
			}
			where = at(d);
			if (!token_text(d) || !smb_append(&mappings, d->text.data, d->text.len))
				goto done;
		}
		else if (!smj_skip(&d->js, smj_next(&d->js)))
			goto done;
	}
	if (t != SMJ_OBJ_END)
		goto done;
	if (!has_mappings)
	{
		fail_at(d, src, obj_at, "has a function map without \"mappings\"");
		goto done;
	}
	/* decode from d->text */
	d->text.len = 0;
	ok = smb_append(&d->text, mappings.data, mappings.len) &&
		decode_mappings(d, src, where, &names, &offs, list);
done:
	smb_free(&names);
	smb_free(&offs);
	smb_free(&mappings);
	return ok;
}

/* Entry src: null, or [function map or null, other metadata...]; its table into tab. */
static bool
read_entry(Decoder *d, uint32_t src, SmJsonTok t, SmBuf *tab)
{
	SmFuncList	list;
	bool		ok = true;

	if (t == SMJ_NULL)
		return true;
	if (t != SMJ_ARR_BEGIN)
		return fail_at(d, src, at(d), "is neither null nor an array");
	sm_func_list_init(&list, d->env, d->err);
	t = smj_next(&d->js);
	if (t == SMJ_OBJ_BEGIN)
		ok = read_function_map(d, src, &list);
	else if (t != SMJ_NULL && t != SMJ_ARR_END && t != SMJ_ERROR)
		ok = fail_at(d, src, at(d), "has a function map that is neither null nor an object");
	ok = ok && t != SMJ_ERROR;
	/* the other metadata items are not read */
	if (ok && t != SMJ_ARR_END)
	{
		while ((t = smj_next(&d->js)) != SMJ_ARR_END)
			if (t == SMJ_ERROR || !smj_skip(&d->js, t))
			{
				ok = false;
				break;
			}
	}
	if (ok && list.count > 0)
		ok = sm_functab_encode(&list, tab, d->err);
	sm_func_list_free(&list);
	return ok;
}

bool
sm_source_functions_decode(const char *json, const SmDoc *doc, uint32_t nsources,
						   const SmEnv *env, SmBuf *out, SmError *err)
{
	Decoder		d;
	SmBuf		dir,
				tabs;
	SmJsonTok	t;
	uint32_t	n = 0;
	bool		ok = false;

	if (!doc->has_fb_sources)
		return true;
	memset(&d, 0, sizeof(d));
	d.base = doc->fb_sources.at;
	d.env = env;
	d.err = err;
	smj_init(&d.js, json + d.base, doc->fb_sources.end - doc->fb_sources.at, err);
	smb_init(&d.text, env, err);
	smb_init(&dir, env, err);
	smb_init(&tabs, env, err);
	t = smj_next(&d.js);
	if (t != SMJ_ARR_BEGIN)
	{
		if (t != SMJ_ERROR)
			sm_fail(err, SM_E_SYNTAX, "\"" FIELD "\" must be an array at byte %zu", at(&d));
		goto done;
	}
	while ((t = smj_next(&d.js)) != SMJ_ARR_END)
	{
		uint8_t		entry[SM_SF_ENTRY];
		size_t		before = tabs.len;

		if (t == SMJ_ERROR)
			goto done;
		if (n >= nsources)
		{
			sm_fail(err, SM_E_SYNTAX, "\"" FIELD "\" has more entries than \"sources\" at byte %zu",
					at(&d));
			goto done;
		}
		if (!read_entry(&d, n, t, &tabs))
			goto done;
		if (tabs.len > SM_MAX_FUNCTIONS_BYTES)
		{
			sm_fail(err, SM_E_LIMIT, "\"" FIELD "\" decodes to more than %u bytes of function tables",
					SM_MAX_FUNCTIONS_BYTES);
			goto done;
		}
		sm_put32(entry, (uint32_t) before);
		sm_put32(entry + 4, (uint32_t) (tabs.len - before));
		if (!smb_append(&dir, entry, sizeof(entry)))
			goto done;
		n++;
	}
	ok = true;
	if (tabs.len > 0)
	{
		uint8_t		word[4];
		uint8_t		empty[SM_SF_ENTRY];

		/* sources past the array's end have no functions */
		memset(empty, 0, sizeof(empty));
		sm_put32(empty, (uint32_t) tabs.len);
		for (; ok && n < nsources; n++)
			ok = smb_append(&dir, empty, sizeof(empty));
		sm_put32(word, nsources);
		ok = ok && smb_append(out, word, 4) && smb_append(out, dir.data, dir.len) &&
			smb_append(out, tabs.data, tabs.len);
	}
done:
	smb_free(&d.text);
	smb_free(&dir);
	smb_free(&tabs);
	return ok;
}

int
sm_source_function_at(SmMap *m, uint32_t source, uint32_t line, uint32_t col, SmStr *name,
					  SmError *err)
{
	const uint8_t *data;
	uint32_t	len,
				n,
				off,
				tlen;
	size_t		tables;
	bool		anonymous;
	int			r;

	if (!sm_source_function_tables(m, &data, &len, err))
		return -1;
	if (len == 0)
		return 0;
	n = len >= 4 ? sm_get32(data + SM_SF_COUNT) : 0;
	tables = SM_SF_DIR + (size_t) n * SM_SF_ENTRY;
	if (len < 4 || tables > len)
	{
		sm_fail(err, SM_E_BINARY, "SOURCE_FUNCTIONS directory out of bounds");
		return -1;
	}
	if (source >= n)
		return 0;
	off = sm_get32(data + SM_SF_DIR + (size_t) source * SM_SF_ENTRY);
	tlen = sm_get32(data + SM_SF_DIR + (size_t) source * SM_SF_ENTRY + 4);
	if (off > len - tables || tlen > len - tables - off)
	{
		sm_fail(err, SM_E_BINARY, "SOURCE_FUNCTIONS table out of bounds");
		return -1;
	}
	if (tlen == 0)
		return 0;
	r = sm_functab_find(data + tables + off, tlen, line, col, name, &anonymous);
	if (r < 0)
	{
		sm_fail(err, SM_E_BINARY, "SOURCE_FUNCTIONS table of source %u is malformed", source);
		return -1;
	}
	return r == 1 && !anonymous ? 1 : 0;
}

int
sm_frame_function(SmMap *m, uint32_t line, uint32_t col, SmStr *name, bool *anonymous,
				  SmError *err)
{
	SmMapping	s;
	const uint8_t *tables;
	uint32_t	len;
	int			r;

	/* most maps have no x_facebook_sources: no second lookup for them */
	if (!sm_source_function_tables(m, &tables, &len, err))
		return -1;
	r = len == 0 ? 0 : sm_lookup(m, line, col, SM_BIAS_GLB, &s, err);
	if (r < 0)
		return -1;
	if (r == 1 && s.source != SM_NONE)
	{
		r = sm_source_function_at(m, s.source, s.orig_line, s.orig_col, name, err);
		if (r != 0)
		{
			*anonymous = false;
			return r;
		}
	}
	return sm_function_at(m, line, col, name, anonymous, err);
}
