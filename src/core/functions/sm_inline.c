/*
 * sm_inline.c -- the original frames at a generated position from the
 * generated ranges of a `scopes` field (the algorithm is in sm_inline.h),
 * and decoding that field from a document or from a stored value.
 */
#include <string.h>

#include "functions/sm_inline.h"
#include "json/sm_json.h"

/* Does range r contain (line, col)?  Ends are exclusive. */
static bool
contains(const SmGenRange *r, uint32_t line, uint32_t col)
{
	bool		after_start = line > r->start_line ||
		(line == r->start_line && col >= r->start_col);
	bool		before_end = line < r->end_line || (line == r->end_line && col < r->end_col);

	return after_start && before_end;
}

/*
 * The innermost range containing the position: ranges are in pre-order and
 * nested, so those containing it form a chain and the last one met is the
 * deepest.  SM_NONE if none does.
 */
static uint32_t
innermost(const SmScopesField *f, uint32_t line, uint32_t col)
{
	uint32_t	found = SM_NONE;

	for (uint32_t i = 0; i < f->nranges; i++)
		if (contains(&f->ranges[i], line, col))
			found = i;
	return found;
}

/* The names index of the function of a definition (SM_NONE: none or anonymous). */
static void
set_function(const SmScopesField *f, uint32_t definition, SmOrigFrame *fr)
{
	uint32_t	o = definition == SM_NONE ? SM_NONE : sm_scopes_field_function(f, definition);

	fr->has_function = o != SM_NONE;
	fr->function = o != SM_NONE ? f->scopes[o].name : SM_NONE;
}

bool
sm_inline_frames(SmMap *m, const SmScopesField *f, uint32_t line, uint32_t col,
				 SmOrigFrame **frames, uint32_t *nframes, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	uint32_t	r = innermost(f, line, col);
	uint32_t	n = 0;
	uint32_t	def = SM_NONE;	/* innermost definition since the last call site */
	SmOrigFrame cur;			/* the current position, as a frame to emit */
	SmOrigFrame *out;
	SmMapping	mp;
	int			found;
	uint32_t	depth = 0;

	/* the chain is at most the nesting limit deep, plus the last frame */
	for (uint32_t i = r; i != SM_NONE && depth <= SM_SCOPES_MAX_DEPTH; i = f->ranges[i].parent)
		depth++;
	out = sm_alloc(env, sizeof(SmOrigFrame) * (depth + 1), err);
	if (out == NULL)
		return false;
	memset(&cur, 0, sizeof(cur));
	found = sm_lookup(m, line, col, SM_BIAS_GLB, &mp, err);
	if (found < 0)
	{
		sm_free(env, out);
		return false;
	}
	cur.has_position = found == 1 && mp.source != SM_NONE;
	cur.source = cur.has_position ? mp.source : SM_NONE;
	cur.line = cur.has_position ? mp.orig_line : 0;
	cur.col = cur.has_position ? mp.orig_col : 0;
	cur.name = cur.has_position ? mp.name : SM_NONE;
	cur.function = SM_NONE;
	for (; r != SM_NONE && n < depth; r = f->ranges[r].parent)
	{
		const SmGenRange *g = &f->ranges[r];

		if (def == SM_NONE)
			def = g->definition;
		if (!g->has_callsite && !g->is_stack_frame)
			continue;
		out[n] = cur;
		out[n].depth = n;
		out[n].inlined = g->has_callsite;
		out[n].hidden = g->is_hidden;
		set_function(f, g->definition, &out[n]);
		n++;
		if (!g->has_callsite)
			break;
		/* the caller's frame is at the call site */
		cur.has_position = true;
		cur.source = g->cs_source;
		cur.line = g->cs_line;
		cur.col = g->cs_col;
		cur.name = SM_NONE;
		def = SM_NONE;
	}
	if (n == 0 || out[n - 1].inlined)
	{
		/* out of ranges: the frame of the code around them */
		out[n] = cur;
		out[n].depth = n;
		out[n].inlined = false;
		out[n].hidden = false;
		set_function(f, def, &out[n]);
		n++;
	}
	*frames = out;
	*nframes = n;
	return true;
}

/* Decode the string token js just returned as a scopes field of m. */
static bool
decode_token(SmMap *m, const SmJson *js, SmScopesField *out, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	const char *s = js->buf + js->tok_start;
	size_t		len = js->tok_len;
	char	   *buf = NULL;
	SmInfo		info;
	bool		ok;

	if (!sm_info(m, &info, err))
		return false;
	if (js->tok_escaped)
	{
		buf = sm_alloc(env, len + 1, err);
		if (buf == NULL)
			return false;
		len = smj_unescape(s, len, buf);
		s = buf;
	}
	ok = sm_scopes_field_decode(s, len, info.names, info.sources, env, out, err);
	sm_free(env, buf);
	return ok;
}

bool
sm_inline_decode(SmMap *m, const char *obj, size_t len, SmScopesField *out, bool *found,
				 SmError *err)
{
	SmJson		js;
	SmJsonTok	t;

	*found = false;
	smj_init(&js, obj, len, err);
	js.what = "JSON";
	if (smj_next(&js) != SMJ_OBJ_BEGIN)
		return sm_fail(err, SM_E_SYNTAX, "kept members are not a JSON object");
	while ((t = smj_next(&js)) == SMJ_KEY)
	{
		bool		is_scopes = smj_key_is(&js, "scopes");

		t = smj_next(&js);
		if (t == SMJ_ERROR)
			return false;
		if (is_scopes && t == SMJ_STRING)
		{
			*found = true;
			return decode_token(m, &js, out, err);
		}
		if (!smj_skip(&js, t))
			return false;
	}
	return t == SMJ_OBJ_END;
}

bool
sm_inline_decode_kept(SmMap *m, SmScopesField *out, bool *found, SmError *err)
{
	const SmEnv *env = sm_map_env(m);
	uint32_t	flags,
				len;
	char	   *kept,
			   *obj;
	bool		ok;

	*found = false;
	if (!sm_kept(m, &flags, &kept, &len, err))
		return false;
	if (kept == NULL)
		return true;
	/* the kept members are "key":value pairs: make them an object */
	obj = sm_alloc(env, (size_t) len + 2, err);
	if (obj == NULL)
	{
		sm_free(env, kept);
		return false;
	}
	obj[0] = '{';
	memcpy(obj + 1, kept, len);
	obj[len + 1] = '}';
	sm_free(env, kept);
	ok = sm_inline_decode(m, obj, (size_t) len + 2, out, found, err);
	sm_free(env, obj);
	return ok;
}
