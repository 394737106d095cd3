/*
 * sm_compose.c -- composing a chain of maps (sm_compose.h).
 *
 * The rules are those of @jridgewell/remapping's traceMappings and
 * gen-mapping's maybeAddSegment, so that its output and ours are the same
 * map: every segment of the first map is traced stage by stage; redundant
 * segments (a 1-field segment at the start of a line or after another
 * 1-field one; a segment repeating the previous one's source, position and
 * name) are left out, but their source and name are numbered all the same.
 * The composed document is written as JSON and ingested by sm_build, the
 * one way into the stored form.
 */
#include <stdio.h>

#include "base/sm_limits.h"
#include "base/sm_mapwriter.h"
#include "base/sm_strset.h"
#include "symbolicate/sm_compose.h"

#define UNSEEN		UINT32_MAX		/* per-stage cache entry not filled yet */
#define NOTHING		(UINT32_MAX - 1)	/* a null or empty source or name */
#define SM_COMPOSE_POLL 65536

typedef struct Stage
{
	SmMap	   *m;
	uint32_t	nsrc;
	uint32_t	nnames;
	uint8_t    *linked;			/* per source: it is the code the next stage maps */
	uint32_t   *src_out;		/* per source: output source number, UNSEEN or NOTHING */
	uint32_t   *name_out;		/* per name: output name number, UNSEEN or NOTHING */
} Stage;

/* An output source: the original source whose sourcesContent it takes. */
typedef struct OutSource
{
	uint32_t	stage;			/* SM_NONE while no source of that name has content */
	uint32_t	idx;
	bool		ignored;
} OutSource;

/* Where a traced segment ended. */
typedef struct Traced
{
	uint32_t	stage;
	uint32_t	src;			/* SM_NONE: a 1-field segment */
	uint32_t	line;
	uint32_t	col;
	uint32_t	name_stage;		/* SM_NONE: no name */
	uint32_t	name;
} Traced;

typedef struct Composer
{
	const SmEnv *env;
	SmError    *err;
	Stage	   *st;
	uint32_t	n;
	SmStrSet	sources;
	SmStrSet	names;
	SmBuf		outsrc;			/* OutSource per output source */
	SmBuf		mappings;
	SmMapWriter w;
	/* the last segment written on the current generated line */
	uint32_t	line;
	int			prev;			/* 0 none yet, 1 a 1-field segment, 2 a source segment */
	uint32_t	prev_src,
				prev_oline,
				prev_ocol,
				prev_name;
} Composer;

static void *
alloc_array(Composer *c, size_t count, size_t size, int fill)
{
	void	   *p = sm_alloc(c->env, count * size + 1, c->err);

	if (p != NULL)
		memset(p, fill, count * size);
	return p;
}

/* Does the resolved name of stage k's source i equal file (length flen)? */
static bool
names_file(Composer *c, uint32_t k, uint32_t i, const SmStr *file, bool *eq)
{
	char	   *s;
	uint32_t	len;
	bool		isnull;

	*eq = false;
	if (!sm_source_resolved(c->st[k].m, i, &s, &len, &isnull, c->err))
		return false;
	if (!isnull)
	{
		*eq = len == file->len && memcmp(s, file->ptr, len) == 0;
		sm_free(c->env, s);
	}
	return true;
}

/* Open the stages: counts, caches, and which sources are the next stage. */
static bool
setup(Composer *c, SmMap *const *maps)
{
	for (uint32_t k = 0; k < c->n; k++)
	{
		Stage	   *s = &c->st[k];
		SmInfo		info,
					next;
		bool		any = false;

		s->m = maps[k];
		if (!sm_info(s->m, &info, c->err))
			return false;
		s->nsrc = info.sources;
		s->nnames = info.names;
		s->linked = alloc_array(c, s->nsrc, 1, 0);
		s->src_out = alloc_array(c, s->nsrc, sizeof(uint32_t), 0xFF);
		s->name_out = alloc_array(c, s->nnames, sizeof(uint32_t), 0xFF);
		if (s->linked == NULL || s->src_out == NULL || s->name_out == NULL)
			return false;
		if (k + 1 == c->n)
			continue;
		if (s->nsrc == 1)
		{
			s->linked[0] = 1;
			continue;
		}
		if (!sm_info(maps[k + 1], &next, c->err))
			return false;
		for (uint32_t i = 0; i < s->nsrc && !next.file.isnull; i++)
		{
			bool		eq;

			if ((i % SM_COMPOSE_POLL) == SM_COMPOSE_POLL - 1)
				sm_check_interrupts(c->env);
			if (!names_file(c, k, i, &next.file, &eq))
				return false;
			s->linked[i] = eq;
			any |= eq;
		}
		if (s->nsrc > 1 && !any)
			return sm_fail(c->err, SM_E_ARGUMENT,
						   "map %u has %u sources and none is named as map %u's \"file\"%s%.*s%s",
						   k + 1, s->nsrc, k + 2, next.file.isnull ? " (it has none)" : " \"",
						   next.file.isnull ? 0 : (int) (next.file.len > 200 ? 200 : next.file.len),
						   next.file.isnull ? "" : next.file.ptr, next.file.isnull ? "" : "\"");
	}
	return true;
}

/*
 * Follow stage k's segment to an original source.  1 with *t filled, 0 when
 * a stage has no segment there (the segment is dropped), -1 on error.
 */
static int
trace(Composer *c, uint32_t k, const SmMapping *seg, Traced *t)
{
	t->stage = k;
	t->src = seg->source;
	t->line = seg->orig_line;
	t->col = seg->orig_col;
	t->name_stage = seg->name == SM_NONE ? SM_NONE : k;
	t->name = seg->name;
	while (t->src != SM_NONE && c->st[t->stage].linked[t->src])
	{
		SmMapping	s;
		int			rc = sm_lookup(c->st[t->stage + 1].m, t->line, t->col, SM_BIAS_GLB, &s,
								   c->err);

		if (rc <= 0)
			return rc;
		t->stage++;
		t->src = s.source;
		t->line = s.orig_line;
		t->col = s.orig_col;
		if (s.source != SM_NONE && s.name != SM_NONE)
		{
			t->name_stage = t->stage;
			t->name = s.name;
		}
	}
	return 1;
}

/* The output number of stage k's source i (NOTHING for a null or empty one). */
static bool
out_source(Composer *c, uint32_t k, uint32_t i, uint32_t *id)
{
	Stage	   *s = &c->st[k];
	char	   *name;
	uint32_t	len;
	bool		isnull,
				added;
	bool		ok = true;

	if (s->src_out[i] == UNSEEN)
	{
		if (!sm_source_resolved(s->m, i, &name, &len, &isnull, c->err))
			return false;
		if (isnull || len == 0)
			s->src_out[i] = NOTHING;
		else
		{
			ok = smss_put(&c->sources, name, len, &s->src_out[i], &added);
			if (ok && added)
			{
				OutSource	o = {SM_NONE, 0, false};

				ok = c->sources.count <= SM_MAX_SOURCES ?
					smb_append(&c->outsrc, &o, sizeof(o)) :
					sm_fail(c->err, SM_E_LIMIT, "composed map has more than %u sources",
							SM_MAX_SOURCES);
			}
		}
		if (!isnull)
			sm_free(c->env, name);
	}
	*id = s->src_out[i];
	return ok;
}

/* The output number of stage k's name i (NOTHING for an empty one). */
static bool
out_name(Composer *c, uint32_t k, uint32_t i, uint32_t *id)
{
	Stage	   *s = &c->st[k];

	if (s->name_out[i] == UNSEEN)
	{
		SmStr		str;
		bool		added;

		if (!sm_name(s->m, i, &str, c->err))
			return false;
		if (str.isnull || str.len == 0)
			s->name_out[i] = NOTHING;
		else if (!smss_put(&c->names, str.ptr, str.len, &s->name_out[i], &added))
			return false;
	}
	*id = s->name_out[i];
	return true;
}

/* A source's content and ignore flag reach the output source it became. */
static bool
note_original(Composer *c, uint32_t k, uint32_t i, uint32_t id)
{
	OutSource  *o = (OutSource *) c->outsrc.data + id;
	bool		has;

	if (!sm_source_has_content(c->st[k].m, i, &has, c->err))
		return false;
	if (has)
	{
		o->stage = k;
		o->idx = i;
	}
	if (sm_source_ignored(c->st[k].m, i))
		o->ignored = true;
	return true;
}

/* Write one traced segment at (line, col) unless it is redundant. */
static bool
emit(Composer *c, uint32_t line, uint32_t col, const Traced *t)
{
	uint32_t	src = NOTHING,
				name = NOTHING;

	if (line != c->line)
	{
		c->line = line;
		c->prev = 0;
	}
	if (t->src != SM_NONE && !out_source(c, t->stage, t->src, &src))
		return false;
	if (src == NOTHING)
	{
		if (c->prev != 2)
			return true;
		c->prev = 1;
		return smmw_add(&c->w, line, col, SM_MW_NONE, 0, 0, SM_MW_NONE);
	}
	if (t->name_stage != SM_NONE && !out_name(c, t->name_stage, t->name, &name))
		return false;
	if (name == NOTHING)
		name = SM_MW_NONE;
	if (!note_original(c, t->stage, t->src, src))
		return false;
	if (c->prev == 2 && src == c->prev_src && t->line == c->prev_oline &&
		t->col == c->prev_ocol && name == c->prev_name)
		return true;
	c->prev = 2;
	c->prev_src = src;
	c->prev_oline = t->line;
	c->prev_ocol = t->col;
	c->prev_name = name;
	return smmw_add(&c->w, line, col, src, t->line, t->col, name);
}

/* Trace every segment of the first map. */
static bool
compose_mappings(Composer *c)
{
	SmIter	   *it = sm_iter_begin(c->st[0].m, c->err);
	SmMapping	seg;
	int			rc;
	uint64_t	count = 0;

	if (it == NULL)
		return false;
	smmw_init(&c->w, &c->mappings);
	c->line = UINT32_MAX;
	while ((rc = sm_iter_next(it, &seg, c->err)) == 1)
	{
		Traced		t;
		int			tr;

		if ((++count % SM_COMPOSE_POLL) == 0)
		{
			sm_check_interrupts(c->env);
			if (c->mappings.len > SM_MAX_DOCUMENT_BYTES)
				break;
		}
		tr = trace(c, 0, &seg, &t);
		if (tr < 0 || (tr == 1 && !emit(c, seg.gen_line, seg.gen_col, &t)))
		{
			rc = -1;
			break;
		}
	}
	sm_iter_end(it);
	if (rc >= 0 && c->mappings.len > SM_MAX_DOCUMENT_BYTES)
		return sm_fail(c->err, SM_E_LIMIT, "composed \"mappings\" exceed %u bytes",
					   SM_MAX_DOCUMENT_BYTES);
	return rc >= 0;
}

/* A JSON array of the strings of a set. */
static bool
put_strings(SmBuf *b, const SmStrSet *set)
{
	if (!smb_append(b, "[", 1))
		return false;
	for (uint32_t i = 0; i < set->count; i++)
	{
		const char *p;
		size_t		len;

		smss_get(set, i, &p, &len);
		if ((i > 0 && !smb_append(b, ",", 1)) || !smb_json_string(b, p, len))
			return false;
	}
	return smb_append(b, "]", 1);
}

static bool
put_contents(Composer *c, SmBuf *b)
{
	const OutSource *o = (const OutSource *) c->outsrc.data;

	if (!smb_append(b, ",\"sourcesContent\":[", 19))
		return false;
	for (uint32_t i = 0; i < c->sources.count; i++)
	{
		char	   *text = NULL;
		uint32_t	len = 0;
		bool		isnull = true,
					ok;

		if (o[i].stage != SM_NONE &&
			!sm_source_content(c->st[o[i].stage].m, o[i].idx, &text, &len, &isnull, c->err))
			return false;
		ok = (i == 0 || smb_append(b, ",", 1)) &&
			(isnull ? smb_append(b, "null", 4) : smb_json_string(b, text, len));
		sm_free(c->env, text);
		sm_check_interrupts(c->env);
		if (!ok)
			return false;
		if (b->len > SM_MAX_DOCUMENT_BYTES)
			return sm_fail(c->err, SM_E_LIMIT, "composed map exceeds %u bytes",
						   SM_MAX_DOCUMENT_BYTES);
	}
	return smb_append(b, "]", 1);
}

static bool
put_ignore_list(Composer *c, SmBuf *b)
{
	const OutSource *o = (const OutSource *) c->outsrc.data;
	bool		first = true;
	char		num[16];

	if (!smb_append(b, ",\"ignoreList\":[", 15))
		return false;
	for (uint32_t i = 0; i < c->sources.count; i++)
	{
		if (!o[i].ignored)
			continue;
		snprintf(num, sizeof(num), "%s%u", first ? "" : ",", i);
		first = false;
		if (!smb_append(b, num, strlen(num)))
			return false;
	}
	return smb_append(b, "]", 1);
}

/* The composed document as JSON. */
static bool
write_document(Composer *c, SmBuf *b)
{
	SmInfo		info;
	const OutSource *o = (const OutSource *) c->outsrc.data;
	bool		any_content = false,
				any_ignored = false;

	if (!sm_info(c->st[0].m, &info, c->err))
		return false;
	for (uint32_t i = 0; i < c->sources.count; i++)
	{
		any_content |= o[i].stage != SM_NONE;
		any_ignored |= o[i].ignored;
	}
	return smb_append(b, "{\"version\":3", 12) &&
		(info.file.isnull || info.file.len == 0 ||
		 (smb_append(b, ",\"file\":", 8) && smb_json_string(b, info.file.ptr, info.file.len))) &&
		smb_append(b, ",\"sources\":", 11) && put_strings(b, &c->sources) &&
		(!any_content || put_contents(c, b)) &&
		smb_append(b, ",\"names\":", 9) && put_strings(b, &c->names) &&
		smb_append(b, ",\"mappings\":\"", 13) &&
		smb_append(b, c->mappings.data, c->mappings.len) &&
		smb_append(b, "\"", 1) &&
		(!any_ignored || put_ignore_list(c, b)) &&
		smb_append(b, "}", 1);
}

bool
sm_compose(SmMap *const *maps, uint32_t n, const SmEnv *env, size_t prefix, uint8_t **out,
		   size_t *out_len, SmError *err)
{
	Composer	c;
	SmBuf		json;
	bool		ok;

	if (n == 0)
		return sm_fail(err, SM_E_ARGUMENT, "no maps to compose");
	memset(&c, 0, sizeof(c));
	c.env = env;
	c.err = err;
	c.n = n;
	smss_init(&c.sources, env, err);
	smss_init(&c.names, env, err);
	smb_init(&c.outsrc, env, err);
	smb_init(&c.mappings, env, err);
	smb_init(&json, env, err);
	c.st = alloc_array(&c, n, sizeof(Stage), 0);
	ok = c.st != NULL && setup(&c, maps) && compose_mappings(&c);
	ok = ok && write_document(&c, &json);
	smb_free(&c.mappings);
	for (uint32_t k = 0; c.st != NULL && k < n; k++)
	{
		sm_free(env, c.st[k].linked);
		sm_free(env, c.st[k].src_out);
		sm_free(env, c.st[k].name_out);
	}
	sm_free(env, c.st);
	smss_free(&c.sources);
	smss_free(&c.names);
	smb_free(&c.outsrc);
	if (ok && json.len > SM_MAX_DOCUMENT_BYTES)
		ok = sm_fail(err, SM_E_LIMIT, "composed map exceeds %u bytes", SM_MAX_DOCUMENT_BYTES);
	ok = ok && sm_build((const char *) json.data, json.len, env, prefix, out, out_len, err);
	smb_free(&json);
	return ok;
}
