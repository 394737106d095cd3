/*
 * sm_funclist.c -- the list of named generated ranges and the resolution of
 * scanned names through a source map (see sm_funclist.h for the rules).
 */
#include "functions/sm_funclist.h"

void
sm_func_list_init(SmFuncList *list, const SmEnv *env, SmError *err)
{
	memset(list, 0, sizeof(*list));
	list->env = env;
	list->err = err;
	smb_init(&list->text, env, err);
}

void
sm_func_list_free(SmFuncList *list)
{
	if (list->env)
		sm_free(list->env, list->ranges);
	smb_free(&list->text);
	list->ranges = NULL;
	list->count = 0;
	list->cap = 0;
}

/* Length of the longest prefix of s[0..len) within max bytes that ends on a character boundary. */
static size_t
cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((uint8_t) s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

bool
sm_func_list_add(SmFuncList *list, uint32_t start_line, uint32_t start_col,
				  uint32_t end_line, uint32_t end_col, const char *name, size_t len,
				  bool anonymous)
{
	SmFuncRange *r;

	{
		SmErrCode	c = sm_grow_array(list->env, (void **) &list->ranges, &list->cap, list->count,
									  sizeof(SmFuncRange), 64, 1u << 30);

		if (c != SM_OK)
			return sm_fail(list->err, c, c == SM_E_LIMIT ? "too many function scopes"
						   : "out of memory collecting function scopes");
	}
	if (!anonymous)
	{
		len = cut_utf8(name, len, SM_FUNC_NAME_MAX);
		if (len == 0 || !sm_text_valid((const uint8_t *) name, len))
			anonymous = true;
	}
	if (list->text.len > UINT32_MAX - SM_FUNC_NAME_MAX)
		return sm_fail(list->err, SM_E_LIMIT, "function names exceed 4 GB");
	r = &list->ranges[list->count];
	r->start_line = start_line;
	r->start_col = start_col;
	r->end_line = end_line;
	r->end_col = end_col;
	r->anonymous = anonymous;
	r->name_off = (uint32_t) list->text.len;
	r->name_len = anonymous ? 0 : (uint32_t) len;
	if (!anonymous && !smb_append(&list->text, name, len))
		return false;
	list->count++;
	return true;
}

/* Fill *name with names entry idx; 1, or -1 on error. */
static int
name_of(SmMap *map, uint32_t idx, SmStr *name, SmError *err)
{
	if (!sm_name(map, idx, name, err))
		return -1;
	return name->isnull ? 0 : 1;
}

/* Is byte off of the scanned code JavaScript whitespace (a segment there maps no token)? */
static bool
space_at(const SmJsScan *scan, size_t off)
{
	char		c;

	if (off >= scan->len)
		return false;
	c = scan->src[off];
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int
sm_func_resolve_ident(SmMap *map, const SmJsScan *scan, const SmJsPart *part, SmStr *name,
						SmError *err)
{
	SmMapping	seg,
				prev;
	int			rc;

	rc = sm_lookup(map, part->line, part->col, SM_BIAS_EXACT, &seg, err);
	if (rc == 0 && part->col > 0 && part->off > 0 && space_at(scan, part->off - 1))
	{
		rc = sm_lookup(map, part->line, part->col - 1, SM_BIAS_EXACT, &seg, err);
		if (rc > 0 && seg.name == SM_NONE)
			rc = 0;
	}
	if (rc < 0)
		return -1;
	if (rc > 0)
	{
		if (seg.name != SM_NONE)
			return name_of(map, seg.name, name, err);
		if (seg.gen_col > 0 && seg.source != SM_NONE)
		{
			rc = sm_lookup(map, seg.gen_line, seg.gen_col - 1, SM_BIAS_GLB, &prev, err);
			if (rc < 0)
				return -1;
			if (rc > 0 && prev.name != SM_NONE && prev.source == seg.source &&
				prev.orig_line == seg.orig_line && prev.orig_col == seg.orig_col)
				return name_of(map, prev.name, name, err);
		}
	}
	if (part->end_col > part->col && (size_t) part->off + part->len < scan->len &&
		scan->src[part->off + part->len] == '(')
	{
		rc = sm_lookup(map, part->line, part->end_col, SM_BIAS_EXACT, &seg, err);
		if (rc < 0)
			return -1;
		if (rc > 0 && seg.name != SM_NONE)
			return name_of(map, seg.name, name, err);
	}
	return 0;
}

bool
sm_func_resolve(SmMap *map, const SmJsScan *scan, SmFuncList *out, SmError *err)
{
	SmBuf		name;
	uint32_t	i,
				k;

	smb_init(&name, sm_map_env(map), err);
	for (i = 0; i < scan->nscopes; i++)
	{
		const SmJsScope *s = &scan->scopes[i];

		if ((i & 0x3FF) == 0)
			sm_check_interrupts(sm_map_env(map));
		name.len = 0;
		for (k = 0; k < s->nparts; k++)
		{
			const SmJsPart *p = &scan->parts[s->first_part + k];
			const char *text;
			uint32_t	len;

			if (p->kind == SM_JSPART_IDENT)
			{
				SmStr		orig;
				int			rc = sm_func_resolve_ident(map, scan, p, &orig, err);

				if (rc < 0)
				{
					smb_free(&name);
					return false;
				}
				if (rc > 0)
				{
					if (!smb_append(&name, orig.ptr, orig.len))
					{
						smb_free(&name);
						return false;
					}
					continue;
				}
			}
			sm_js_part_text(scan, p, &text, &len);
			if (!smb_append(&name, text, len))
			{
				smb_free(&name);
				return false;
			}
		}
		if (!sm_func_list_add(out, s->start_line, s->start_col, s->end_line, s->end_col,
							   (const char *) name.data, name.len, s->nparts == 0))
		{
			smb_free(&name);
			return false;
		}
	}
	smb_free(&name);
	return true;
}
