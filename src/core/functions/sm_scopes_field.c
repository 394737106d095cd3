/*
 * sm_scopes_field.c -- decoder of the ECMA-426 `scopes` field and the
 * function names it gives generated ranges (rules in sm_scopes_field.h).
 */
#include "base/sm_vlq.h"
#include "format/sm_format.h"
#include "functions/sm_scopes_field.h"
#include "json/sm_doc.h"
#include "json/sm_json.h"

typedef enum Tag
{
	TAG_EMPTY = 0,				/* A */
	TAG_ORIG_START = 1,			/* B */
	TAG_ORIG_END = 2,			/* C */
	TAG_ORIG_VARS = 3,			/* D */
	TAG_GEN_START = 4,			/* E */
	TAG_GEN_END = 5,			/* F */
	TAG_GEN_BINDINGS = 6,		/* G */
	TAG_GEN_SUBRANGE = 7,		/* H */
	TAG_GEN_CALLSITE = 8		/* I */
} Tag;

typedef struct Dec
{
	const char *s;
	size_t		len;
	size_t		pos;
	size_t		item;			/* byte offset of the current item */
	const SmEnv *env;
	SmError    *err;
	SmScopesField *f;
	uint32_t	nnames;
	uint32_t	nsources;
	uint32_t	scap;
	uint32_t	vcap;
	uint32_t	rcap;
	uint32_t	ostack[SM_SCOPES_MAX_DEPTH];
	uint32_t	osp;
	uint32_t	rstack[SM_SCOPES_MAX_DEPTH];
	uint32_t	rsp;
	uint32_t	next_source;
	bool		in_ranges;
	int64_t		o_line;
	int64_t		o_col;
	int64_t		o_name;
	int64_t		o_kind;
	int64_t		o_var;
	int64_t		r_line;
	int64_t		r_col;
	int64_t		r_def;
} Dec;

/* Record a syntax error at the current item; returns false. */
static bool
dec_fail(Dec *d, const char *what)
{
	return sm_fail(d->err, SM_E_SYNTAX, "invalid \"scopes\": %s (item at byte %zu)", what,
				   d->item);
}

/* Read one VLQ's unsigned value (< 2^32); 1, or 0 at the end of the item, -1 if malformed. */
static int
read_vlq(Dec *d, uint64_t *out)
{
	uint64_t	v = 0;
	unsigned	shift = 0;

	if (d->pos >= d->len || d->s[d->pos] == ',')
		return 0;
	for (;;)
	{
		int			digit;

		if (d->pos >= d->len)
			return -1;
		digit = sm_b64_value[(uint8_t) d->s[d->pos]];
		if (digit < 0)
			return -1;
		d->pos++;
		if (digit & 31)
		{
			if (shift >= 32)
				return -1;
			v |= (uint64_t) (digit & 31) << shift;
			if (v > UINT32_MAX)
				return -1;
		}
		if (!(digit & 32))
			break;
		if (shift < 64)
			shift += 5;
	}
	*out = v;
	return 1;
}

/* Read a VLQ the item must have; false (error set) if it is missing or malformed. */
static bool
need_vlq(Dec *d, uint64_t *out)
{
	int			rc = read_vlq(d, out);

	if (rc < 0)
		return dec_fail(d, "malformed VLQ");
	if (rc == 0)
		return dec_fail(d, "item is too short");
	return true;
}

/* The signed value of an unsigned VLQ value. */
static int64_t
vlq_signed(uint64_t raw)
{
	return (raw & 1) ? -(int64_t) (raw >> 1) : (int64_t) (raw >> 1);
}

/* Skip the rest of the item's VLQs; false if one is malformed. */
static bool
skip_rest(Dec *d)
{
	uint64_t	v;
	int			rc;

	while ((rc = read_vlq(d, &v)) > 0)
		;
	return rc == 0 ? true : dec_fail(d, "malformed VLQ");
}

/* Make room for one more element of a growing array. */
static bool
dec_grow(Dec *d, void **arr, uint32_t *cap, uint32_t used, size_t elem)
{
	SmErrCode	c = sm_grow_array(d->env, arr, cap, used, elem, 16, 1u << 28);

	if (c != SM_OK)
		return sm_fail(d->err, c, c == SM_E_LIMIT ? "\"scopes\" has too many items"
					   : "out of memory decoding \"scopes\"");
	return true;
}

/* Check a decoded position is in range. */
static bool
pos_ok(Dec *d, int64_t line, int64_t col)
{
	if (line < 0 || col < 0 || line > SM_MAX_COORD || col > SM_MAX_COORD)
		return dec_fail(d, "position out of range");
	return true;
}

/* Add a relative names index to *state and check it. */
static bool
name_index(Dec *d, int64_t *state, uint64_t raw, uint32_t *out)
{
	*state += vlq_signed(raw);
	if (*state < 0 || *state >= d->nnames)
		return dec_fail(d, "names index out of range");
	*out = (uint32_t) *state;
	return true;
}

/* B: original scope start. */
static bool
orig_start(Dec *d)
{
	uint64_t	flags,
				line,
				col,
				v;
	SmOrigScope *o;
	SmScopesField *f = d->f;

	if (d->in_ranges)
		return dec_fail(d, "original scope after generated ranges");
	if (!need_vlq(d, &flags) || !need_vlq(d, &line) || !need_vlq(d, &col))
		return false;
	if (d->osp >= SM_SCOPES_MAX_DEPTH)
		return sm_fail(d->err, SM_E_LIMIT, "\"scopes\" nests deeper than %d",
					   SM_SCOPES_MAX_DEPTH);
	if (!dec_grow(d, (void **) &f->scopes, &d->scap, f->nscopes, sizeof(SmOrigScope)))
		return false;
	o = &f->scopes[f->nscopes];
	memset(o, 0, sizeof(*o));
	if (d->osp == 0)
	{
		if (d->next_source >= d->nsources)
			return dec_fail(d, "more original scope trees than sources");
		o->source = d->next_source;
		f->roots[d->next_source++] = f->nscopes;
		d->o_line = 0;
		d->o_col = 0;
		o->parent = SM_NONE;
	}
	else
	{
		o->parent = d->ostack[d->osp - 1];
		o->source = f->scopes[o->parent].source;
	}
	d->o_line += (int64_t) line;
	d->o_col = (line == 0) ? d->o_col + (int64_t) col : (int64_t) col;
	if (!pos_ok(d, d->o_line, d->o_col))
		return false;
	o->start_line = o->end_line = (uint32_t) d->o_line;
	o->start_col = o->end_col = (uint32_t) d->o_col;
	o->name = SM_NONE;
	o->kind = SM_NONE;
	o->first_var = f->nvars;
	if (flags & 1)
	{
		if (!need_vlq(d, &v) || !name_index(d, &d->o_name, v, &o->name))
			return false;
	}
	if (flags & 2)
	{
		if (!need_vlq(d, &v) || !name_index(d, &d->o_kind, v, &o->kind))
			return false;
	}
	o->is_stack_frame = (flags & 4) != 0;
	d->ostack[d->osp++] = f->nscopes++;
	return true;
}

/* C: original scope end. */
static bool
orig_end(Dec *d)
{
	uint64_t	line,
				col;
	SmOrigScope *o;

	if (d->osp == 0)
		return dec_fail(d, "original scope end without a start");
	if (!need_vlq(d, &line) || !need_vlq(d, &col))
		return false;
	d->o_line += (int64_t) line;
	d->o_col = (line == 0) ? d->o_col + (int64_t) col : (int64_t) col;
	if (!pos_ok(d, d->o_line, d->o_col))
		return false;
	o = &d->f->scopes[d->ostack[--d->osp]];
	o->end_line = (uint32_t) d->o_line;
	o->end_col = (uint32_t) d->o_col;
	if (d->osp == 0)
	{
		d->o_line = 0;
		d->o_col = 0;
	}
	return true;
}

/* D: variables of the open original scope. */
static bool
orig_vars(Dec *d)
{
	SmScopesField *f = d->f;
	SmOrigScope *o;
	uint64_t	v;
	int			rc;

	if (d->osp == 0)
		return dec_fail(d, "variables outside an original scope");
	o = &f->scopes[d->ostack[d->osp - 1]];
	if (o->nvars > 0 && o->first_var + o->nvars != f->nvars)
		return dec_fail(d, "variables of a scope split around a child scope");
	if (o->nvars == 0)
		o->first_var = f->nvars;
	while ((rc = read_vlq(d, &v)) > 0)
	{
		uint32_t	idx = 0;

		if (!name_index(d, &d->o_var, v, &idx) ||
			!dec_grow(d, (void **) &f->vars, &d->vcap, f->nvars, sizeof(uint32_t)))
			return false;
		f->vars[f->nvars++] = idx;
		o = &f->scopes[d->ostack[d->osp - 1]];
		o->nvars++;
	}
	return rc == 0 ? true : dec_fail(d, "malformed VLQ");
}

/* E: generated range start. */
static bool
gen_start(Dec *d)
{
	uint64_t	flags,
				line = 0,
				col,
				v;
	SmGenRange *r;
	SmScopesField *f = d->f;

	if (d->osp > 0)
		return dec_fail(d, "generated range inside an original scope");
	d->in_ranges = true;
	if (!need_vlq(d, &flags))
		return false;
	if ((flags & 1) && !need_vlq(d, &line))
		return false;
	if (!need_vlq(d, &col))
		return false;
	if (d->rsp >= SM_SCOPES_MAX_DEPTH)
		return sm_fail(d->err, SM_E_LIMIT, "\"scopes\" nests deeper than %d",
					   SM_SCOPES_MAX_DEPTH);
	if (!dec_grow(d, (void **) &f->ranges, &d->rcap, f->nranges, sizeof(SmGenRange)))
		return false;
	r = &f->ranges[f->nranges];
	memset(r, 0, sizeof(*r));
	d->r_line += (int64_t) line;
	d->r_col = (line == 0) ? d->r_col + (int64_t) col : (int64_t) col;
	if (!pos_ok(d, d->r_line, d->r_col))
		return false;
	r->start_line = r->end_line = (uint32_t) d->r_line;
	r->start_col = r->end_col = (uint32_t) d->r_col;
	r->definition = SM_NONE;
	if (flags & 2)
	{
		if (!need_vlq(d, &v))
			return false;
		d->r_def += vlq_signed(v);
		if (d->r_def < 0 || d->r_def >= f->nscopes)
			return dec_fail(d, "definition index out of range");
		r->definition = (uint32_t) d->r_def;
	}
	r->is_stack_frame = (flags & 4) != 0;
	r->is_hidden = (flags & 8) != 0;
	r->parent = d->rsp > 0 ? d->rstack[d->rsp - 1] : SM_NONE;
	d->rstack[d->rsp++] = f->nranges++;
	return true;
}

/* F: generated range end ([line] column: exactly one or two VLQs). */
static bool
gen_end(Dec *d)
{
	uint64_t	a,
				b,
				extra;
	int			rc;
	SmGenRange *r;

	if (d->rsp == 0)
		return dec_fail(d, "generated range end without a start");
	if (!need_vlq(d, &a))
		return false;
	rc = read_vlq(d, &b);
	if (rc < 0)
		return dec_fail(d, "malformed VLQ");
	if (rc > 0)
	{
		if (read_vlq(d, &extra) != 0)
			return dec_fail(d, "generated range end has more than two values");
		d->r_line += (int64_t) a;
		d->r_col = (a == 0) ? d->r_col + (int64_t) b : (int64_t) b;
	}
	else
		d->r_col += (int64_t) a;
	if (!pos_ok(d, d->r_line, d->r_col))
		return false;
	r = &d->f->ranges[d->rstack[--d->rsp]];
	r->end_line = (uint32_t) d->r_line;
	r->end_col = (uint32_t) d->r_col;
	return true;
}

/* G: bindings (1-based names indexes, 0 = unavailable); checked, not kept. */
static bool
gen_bindings(Dec *d)
{
	uint64_t	v;
	int			rc;

	if (d->rsp == 0)
		return dec_fail(d, "bindings outside a generated range");
	while ((rc = read_vlq(d, &v)) > 0)
	{
		if (v > d->nnames)
			return dec_fail(d, "binding names index out of range");
	}
	return rc == 0 ? true : dec_fail(d, "malformed VLQ");
}

/* I: call site of an inlined function (absolute source, line, column). */
static bool
gen_callsite(Dec *d)
{
	uint64_t	src,
				line,
				col;
	SmGenRange *r;

	if (d->rsp == 0)
		return dec_fail(d, "call site outside a generated range");
	if (!need_vlq(d, &src) || !need_vlq(d, &line) || !need_vlq(d, &col))
		return false;
	if (src >= d->nsources)
		return dec_fail(d, "call site source index out of range");
	if (!pos_ok(d, (int64_t) line, (int64_t) col))
		return false;
	r = &d->f->ranges[d->rstack[d->rsp - 1]];
	r->has_callsite = true;
	r->cs_source = (uint32_t) src;
	r->cs_line = (uint32_t) line;
	r->cs_col = (uint32_t) col;
	return true;
}

/* One item starting at d->pos. */
static bool
dec_item(Dec *d)
{
	uint64_t	tag;
	int			rc = read_vlq(d, &tag);

	if (rc < 0)
		return dec_fail(d, "malformed VLQ");
	if (rc == 0 || tag == TAG_EMPTY)
	{
		/* "no scope information for the next source" */
		if (d->osp > 0)
			return dec_fail(d, "empty item inside an original scope");
		if (!d->in_ranges && d->next_source < d->nsources)
			d->f->roots[d->next_source++] = SM_NONE;
		return rc == 0 ? true : skip_rest(d);
	}
	switch (tag)
	{
		case TAG_ORIG_START:
			if (!orig_start(d))
				return false;
			break;
		case TAG_ORIG_END:
			if (!orig_end(d))
				return false;
			break;
		case TAG_ORIG_VARS:
			return orig_vars(d);
		case TAG_GEN_START:
			if (!gen_start(d))
				return false;
			break;
		case TAG_GEN_END:
			return gen_end(d);
		case TAG_GEN_BINDINGS:
			return gen_bindings(d);
		case TAG_GEN_SUBRANGE:
			if (d->rsp == 0)
				return dec_fail(d, "sub-range binding outside a generated range");
			break;
		case TAG_GEN_CALLSITE:
			if (!gen_callsite(d))
				return false;
			break;
		default:
			break;				/* unknown item: skipped */
	}
	return skip_rest(d);
}

void
sm_scopes_field_free(SmScopesField *f)
{
	if (f->env)
	{
		sm_free(f->env, f->scopes);
		sm_free(f->env, f->vars);
		sm_free(f->env, f->roots);
		sm_free(f->env, f->ranges);
	}
	memset(f, 0, sizeof(*f));
}

bool
sm_scopes_field_decode(const char *s, size_t len, uint32_t nnames, uint32_t nsources,
					   const SmEnv *env, SmScopesField *out, SmError *err)
{
	Dec		   *d;
	uint32_t	i;
	bool		ok = true;

	memset(out, 0, sizeof(*out));
	out->env = env;
	out->roots = sm_alloc(env, (size_t) nsources * sizeof(uint32_t) + 1, err);
	if (out->roots == NULL)
		return false;
	out->nroots = nsources;
	for (i = 0; i < nsources; i++)
		out->roots[i] = SM_NONE;
	d = sm_alloc(env, sizeof(Dec), err);
	if (d == NULL)
	{
		sm_scopes_field_free(out);
		return false;
	}
	memset(d, 0, sizeof(*d));
	d->s = s;
	d->len = len;
	d->env = env;
	d->err = err;
	d->f = out;
	d->nnames = nnames;
	d->nsources = nsources;
	while (len > 0 && ok)
	{
		if ((d->f->nscopes + d->f->nranges) % 4096 == 4095)
			sm_check_interrupts(env);
		d->item = d->pos;
		ok = dec_item(d);
		if (!ok || d->pos >= len)
			break;
		if (d->s[d->pos] != ',')
			ok = dec_fail(d, "expected ','");
		d->pos++;
		if (d->pos >= len)
		{
			/* a trailing comma ends with an empty item */
			d->item = d->pos;
			ok = ok && dec_item(d);
			break;
		}
	}
	if (ok && d->osp > 0)
		ok = sm_fail(err, SM_E_SYNTAX, "invalid \"scopes\": original scope never ends");
	if (ok && d->rsp > 0)
		ok = sm_fail(err, SM_E_SYNTAX, "invalid \"scopes\": generated range never ends");
	sm_free(env, d);
	if (!ok)
		sm_scopes_field_free(out);
	return ok;
}

/* Shift a generated position by an index map section offset; false if it overflows. */
static bool
shift_pos(uint32_t *line, uint32_t *col, uint32_t line_off, uint32_t col_off)
{
	uint64_t	l = (uint64_t) *line + line_off;
	uint64_t	c = (*line == 0) ? (uint64_t) *col + col_off : *col;

	if (l > SM_MAX_COORD || c > SM_MAX_COORD)
		return false;
	*line = (uint32_t) l;
	*col = (uint32_t) c;
	return true;
}

uint32_t
sm_scopes_field_function(const SmScopesField *f, uint32_t definition)
{
	uint32_t	o = definition;
	uint32_t	guard = 0;

	if (o >= f->nscopes)
		return SM_NONE;
	while (o != SM_NONE && !f->scopes[o].is_stack_frame && guard++ <= SM_SCOPES_MAX_DEPTH)
		o = f->scopes[o].parent;
	return (o != SM_NONE && f->scopes[o].is_stack_frame) ? o : SM_NONE;
}

bool
sm_scopes_field_names(const SmScopesField *f, uint32_t line_off, uint32_t col_off,
					  SmNameFn name_fn, void *name_ctx, SmFuncList *out, SmError *err)
{
	uint32_t	i;

	for (i = 0; i < f->nranges; i++)
	{
		const SmGenRange *r = &f->ranges[i];
		uint32_t	sl = r->start_line,
					sc = r->start_col,
					el = r->end_line,
					ec = r->end_col;
		SmStr		name;
		bool		anonymous = true;

		name.ptr = NULL;
		name.len = 0;
		name.isnull = true;
		if (r->definition != SM_NONE && r->definition < f->nscopes)
		{
			uint32_t	o = sm_scopes_field_function(f, r->definition);

			if (o == SM_NONE)
				continue;
			if (f->scopes[o].name != SM_NONE)
			{
				if (!name_fn(name_ctx, f->scopes[o].name, &name, err))
					return false;
				anonymous = name.isnull;
			}
		}
		else if (!r->is_stack_frame)
			continue;
		if (!shift_pos(&sl, &sc, line_off, col_off) || !shift_pos(&el, &ec, line_off, col_off))
			return sm_fail(err, SM_E_LIMIT, "generated position out of range");
		if (!sm_func_list_add(out, sl, sc, el, ec, name.ptr, name.len, anonymous))
			return false;
	}
	return true;
}

/* ---- from the document (json/sm_doc.h) ----------------------------------- */

/* The `names` of one map of the document, as spans of the JSON text. */
typedef struct DocNames
{
	const char *json;
	const SmDoc *doc;
	SmBuf		scratch;		/* an escaped name, unescaped */
} DocNames;

/* SmNameFn over DocNames. */
static bool
doc_name(void *ctx, uint32_t idx, SmStr *out, SmError *err)
{
	DocNames   *dn = ctx;
	const SmSpan *span;

	out->isnull = false;
	out->ptr = "";
	out->len = 0;
	if (idx >= SM_NSPANS(dn->doc->names))
		return true;
	span = &SM_SPANS(dn->doc->names)[idx];
	if (!span->escaped)
	{
		out->ptr = dn->json + span->off;
		out->len = span->len;
		return true;
	}
	dn->scratch.len = 0;
	if (!smb_reserve(&dn->scratch, span->len + 1))
		return false;
	out->len = (uint32_t) smj_unescape(dn->json + span->off, span->len, (char *) dn->scratch.data);
	out->ptr = (const char *) dn->scratch.data;
	(void) err;
	return true;
}

/* Decode one map's own `scopes` span and append its named ranges. */
static bool
map_scopes(const char *json, const SmDoc *doc, const SmEnv *env, SmFuncList *out, SmError *err)
{
	const char *s = json + doc->scopes.off;
	size_t		slen = doc->scopes.len;
	char	   *buf = NULL;
	DocNames	dn;
	SmScopesField field;
	bool		ok = false;

	if (doc->scopes.escaped)
	{
		buf = sm_alloc(env, slen + 1, err);
		if (buf == NULL)
			return false;
		slen = smj_unescape(s, slen, buf);
		s = buf;
	}
	dn.json = json;
	dn.doc = doc;
	smb_init(&dn.scratch, env, err);
	if (sm_scopes_field_decode(s, slen, SM_NSPANS(doc->names), SM_NSPANS(doc->sources), env,
							   &field, err))
	{
		ok = sm_scopes_field_names(&field, 0, 0, doc_name, &dn, out, err);
		sm_scopes_field_free(&field);
	}
	smb_free(&dn.scratch);
	sm_free(env, buf);
	return ok;
}

bool
sm_scopes_field_from_doc(const char *json, const SmDoc *doc, const SmEnv *env,
						 SmFuncList *out, bool *found, SmError *err)
{
	const SmSectionDoc *secs = (const SmSectionDoc *) doc->sections.data;
	size_t		nsecs = doc->sections.len / sizeof(SmSectionDoc);

	/* the sections' ranges first, in order, each shifted by its offset */
	for (size_t i = 0; i < nsecs; i++)
	{
		uint32_t	first = out->count;

		if (secs[i].map == NULL)
			continue;
		if (!sm_scopes_field_from_doc(json, secs[i].map, env, out, found, err))
			return false;
		for (uint32_t j = first; j < out->count; j++)
		{
			SmFuncRange *r = &out->ranges[j];

			if (!shift_pos(&r->start_line, &r->start_col, secs[i].line, secs[i].col) ||
				!shift_pos(&r->end_line, &r->end_col, secs[i].line, secs[i].col))
				return sm_fail(err, SM_E_LIMIT, "generated position out of range");
		}
	}
	/* then the map's own */
	if (!doc->has_scopes)
		return true;
	*found = true;
	return map_scopes(json, doc, env, out, err);
}
