/*
 * sm_functab.c -- encode, check and search the function table (layout and
 * repair rules in sm_functab.h).
 */
#include "base/sm_pos.h"
#include "format/sm_format.h"
#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"

/* A breakpoint while encoding: position and a range index (or SM_FUNCTAB_NONE). */
typedef struct Break
{
	uint32_t	line;
	uint32_t	col;
	uint32_t	ref;
} Break;

/* A growing array of breakpoints with the merging rules of the canonical form. */
typedef struct Breaks
{
	Break	   *b;
	uint32_t	n;
	uint32_t	cap;
} Breaks;

/* Is range a before range b in encoding order (start, then longer first)? */
static inline bool
range_before(const SmFuncRange *a, const SmFuncRange *b)
{
	return sm_range_before(a->start_line, a->start_col, a->end_line, a->end_col,
						   b->start_line, b->start_col, b->end_line, b->end_col);
}

/* Sort range indexes by range_before (stably: of equal ranges, list order). */
#define SM_SORT_NAME sort_indexes
#define SM_SORT_TYPE uint32_t
#define SM_SORT_BEFORE(a, b) range_before(&r[*(a)], &r[*(b)])
#define SM_SORT_CTX const SmFuncRange *r
#include "base/sm_sort_template.h"

/*
 * Add a breakpoint: a later one at the same position replaces the earlier,
 * one repeating the current ref is dropped, and a leading NONE is dropped.
 */
static bool
add_break(Breaks *bs, const SmEnv *env, SmError *err, uint32_t line, uint32_t col,
		  uint32_t ref)
{
	Break	   *last = bs->n ? &bs->b[bs->n - 1] : NULL;

	if (last && last->line == line && last->col == col)
	{
		last->ref = ref;
		if ((bs->n >= 2 && bs->b[bs->n - 2].ref == ref) ||
			(bs->n == 1 && ref == SM_FUNCTAB_NONE))
			bs->n--;
		return true;
	}
	if ((last && last->ref == ref) || (!last && ref == SM_FUNCTAB_NONE))
		return true;
	{
		SmErrCode	c = sm_grow_array(env, (void **) &bs->b, &bs->cap, bs->n, sizeof(Break), 64,
									  1u << 30);

		if (c != SM_OK)
			return sm_fail(err, c, c == SM_E_LIMIT ? "function table has too many entries"
						   : "out of memory encoding the function table");
	}
	bs->b[bs->n].line = line;
	bs->b[bs->n].col = col;
	bs->b[bs->n].ref = ref;
	bs->n++;
	return true;
}

/* Flatten the ranges into breakpoints that refer to range indexes. */
static bool
flatten(const SmFuncList *list, Breaks *bs, SmError *err)
{
	const SmEnv *env = list->env;
	uint32_t   *idx,
			   *tmp,
			   *stack;
	uint32_t	n = 0,
				sp = 0,
				i;
	uint32_t   *end_line,
			   *end_col;
	bool		ok = true;

	idx = sm_alloc(env, (size_t) list->count * sizeof(uint32_t) * 5 + 1, err);
	if (idx == NULL)
		return false;
	tmp = idx + list->count;
	stack = tmp + list->count;
	end_line = stack + list->count;
	end_col = end_line + list->count;
	for (i = 0; i < list->count; i++)
	{
		const SmFuncRange *r = &list->ranges[i];

		if (sm_pos_lt(r->start_line, r->start_col, r->end_line, r->end_col))
			idx[n++] = i;
	}
	sort_indexes(idx, tmp, n, list->ranges);
	for (i = 0; i < n && ok; i++)
	{
		const SmFuncRange *r = &list->ranges[idx[i]];

		if ((i & 0xFFFF) == 0)
			sm_check_interrupts(env);
		/* close the open ranges that end at or before this one's start */
		while (sp > 0 && ok && !sm_pos_lt(r->start_line, r->start_col,
									   end_line[sp - 1], end_col[sp - 1]))
		{
			sp--;
			ok = add_break(bs, env, err, end_line[sp], end_col[sp],
						   sp > 0 ? stack[sp - 1] : SM_FUNCTAB_NONE);
		}
		if (!ok)
			break;
		stack[sp] = idx[i];
		end_line[sp] = r->end_line;
		end_col[sp] = r->end_col;
		/* repair: never extend past the enclosing open range */
		if (sp > 0 && sm_pos_lt(end_line[sp - 1], end_col[sp - 1], r->end_line, r->end_col))
		{
			end_line[sp] = end_line[sp - 1];
			end_col[sp] = end_col[sp - 1];
		}
		sp++;
		ok = add_break(bs, env, err, r->start_line, r->start_col, idx[i]);
	}
	while (sp > 0 && ok)
	{
		sp--;
		ok = add_break(bs, env, err, end_line[sp], end_col[sp],
					   sp > 0 ? stack[sp - 1] : SM_FUNCTAB_NONE);
	}
	sm_free(env, idx);
	return ok;
}

/* FNV-1a hash of a name. */
static uint32_t
hash_name(const uint8_t *s, uint32_t len)
{
	uint32_t	h = 2166136261u;
	uint32_t	i;

	for (i = 0; i < len; i++)
	{
		h ^= s[i];
		h *= 16777619u;
	}
	return h;
}

bool
sm_functab_encode(const SmFuncList *list, SmBuf *out, SmError *err)
{
	const SmEnv *env = list->env;
	Breaks		bs,
				fin;
	uint32_t   *slots = NULL;	/* hash table: name index + 1, 0 empty */
	uint32_t   *dir = NULL;		/* per name: range index holding its text */
	uint32_t	nslots = 16,
				nnames = 0,
				i;
	uint64_t	total;
	size_t		base,
				strbytes = 0,
				p;
	bool		ok = false;

	memset(&bs, 0, sizeof(bs));
	memset(&fin, 0, sizeof(fin));
	if (!flatten(list, &bs, err))
		goto done;
	while (nslots < 2 * (uint64_t) bs.n + 2)
		nslots *= 2;
	slots = sm_alloc(env, (size_t) nslots * sizeof(uint32_t), err);
	dir = sm_alloc(env, (size_t) bs.n * sizeof(uint32_t) + 1, err);
	if (slots == NULL || dir == NULL)
		goto done;
	memset(slots, 0, (size_t) nslots * sizeof(uint32_t));

	/* replace range indexes by name references, interning names in order */
	for (i = 0; i < bs.n; i++)
	{
		uint32_t	ref = bs.b[i].ref;

		if (ref != SM_FUNCTAB_NONE)
		{
			const SmFuncRange *r = &list->ranges[ref];

			if (r->anonymous || r->name_len == 0)
				ref = SM_FUNCTAB_ANON;
			else
			{
				const uint8_t *s = list->text.data + r->name_off;
				uint32_t	h = hash_name(s, r->name_len) & (nslots - 1);

				for (;;)
				{
					const SmFuncRange *o;

					if (slots[h] == 0)
					{
						dir[nnames] = bs.b[i].ref;
						slots[h] = ++nnames;
						strbytes += r->name_len;
						ref = nnames - 1;
						break;
					}
					o = &list->ranges[dir[slots[h] - 1]];
					if (o->name_len == r->name_len &&
						memcmp(list->text.data + o->name_off, s, r->name_len) == 0)
					{
						ref = slots[h] - 1;
						break;
					}
					h = (h + 1) & (nslots - 1);
				}
			}
		}
		if (!add_break(&fin, env, err, bs.b[i].line, bs.b[i].col, ref))
			goto done;
	}

	total = SM_FUNCTAB_HEADER + (uint64_t) fin.n * SM_FUNCTAB_BREAK +
		(uint64_t) nnames * SM_FUNCTAB_NAME + strbytes;
	if (total > 0x7FFFFFFF)
	{
		sm_fail(err, SM_E_LIMIT, "function table would exceed 2 GB");
		goto done;
	}
	if (!smb_reserve(out, (size_t) total))
		goto done;
	base = out->len;
	p = base;
	sm_put32(out->data + p + SM_FUNCTAB_H_MAGIC, SM_FUNCTAB_MAGIC);
	sm_put16(out->data + p + SM_FUNCTAB_H_VERSION, SM_FUNCTAB_VERSION);
	sm_put16(out->data + p + SM_FUNCTAB_H_FLAGS, 0);
	sm_put32(out->data + p + SM_FUNCTAB_H_NBREAKS, fin.n);
	sm_put32(out->data + p + SM_FUNCTAB_H_NNAMES, nnames);
	p += SM_FUNCTAB_HEADER;
	for (i = 0; i < fin.n; i++)
	{
		sm_put32(out->data + p + SM_FUNCTAB_B_LINE, fin.b[i].line);
		sm_put32(out->data + p + SM_FUNCTAB_B_COL, fin.b[i].col);
		sm_put32(out->data + p + SM_FUNCTAB_B_REF, fin.b[i].ref);
		p += SM_FUNCTAB_BREAK;
	}
	{
		uint32_t	off = 0;
		size_t		sp = p + (size_t) nnames * SM_FUNCTAB_NAME;

		for (i = 0; i < nnames; i++)
		{
			const SmFuncRange *r = &list->ranges[dir[i]];

			sm_put32(out->data + p + SM_FUNCTAB_N_OFFSET, off);
			sm_put32(out->data + p + SM_FUNCTAB_N_LENGTH, r->name_len);
			p += SM_FUNCTAB_NAME;
			memcpy(out->data + sp + off, list->text.data + r->name_off, r->name_len);
			off += r->name_len;
		}
	}
	out->len = base + (size_t) total;
	ok = true;

done:
	sm_free(env, bs.b);
	sm_free(env, fin.b);
	sm_free(env, slots);
	sm_free(env, dir);
	return ok;
}

/* Read the counts of a table whose header is sane and whose tables fit; false if not. */
static bool
read_header(const uint8_t *data, size_t len, uint32_t *nbreaks, uint32_t *nnames,
			size_t *strbase)
{
	uint64_t	fixed;

	if (data == NULL || len < SM_FUNCTAB_HEADER || sm_get32(data + SM_FUNCTAB_H_MAGIC) != SM_FUNCTAB_MAGIC ||
		sm_get16(data + SM_FUNCTAB_H_VERSION) != SM_FUNCTAB_VERSION)
		return false;
	*nbreaks = sm_get32(data + SM_FUNCTAB_H_NBREAKS);
	*nnames = sm_get32(data + SM_FUNCTAB_H_NNAMES);
	fixed = SM_FUNCTAB_HEADER + (uint64_t) *nbreaks * SM_FUNCTAB_BREAK +
		(uint64_t) *nnames * SM_FUNCTAB_NAME;
	if (fixed > len)
		return false;
	*strbase = (size_t) fixed;
	return true;
}

bool
sm_functab_check(const uint8_t *data, size_t len, SmError *err)
{
	uint32_t	nb,
				nn,
				i,
				next_new = 0;
	size_t		strbase;
	uint64_t	off = 0;
	const uint8_t *b;

	if (!read_header(data, len, &nb, &nn, &strbase))
		return sm_fail(err, SM_E_BINARY,
					   "invalid function table: bad header or tables past the end (%zu bytes)", len);
	if (sm_get16(data + SM_FUNCTAB_H_FLAGS) != 0)
		return sm_fail(err, SM_E_BINARY, "invalid function table: unknown flags %u",
					   (unsigned) sm_get16(data + SM_FUNCTAB_H_FLAGS));
	b = data + SM_FUNCTAB_HEADER;
	for (i = 0; i < nb; i++, b += SM_FUNCTAB_BREAK)
	{
		uint32_t	line = sm_get32(b),
					col = sm_get32(b + SM_FUNCTAB_B_COL),
					ref = sm_get32(b + SM_FUNCTAB_B_REF);

		if (i > 0 && !sm_pos_lt(sm_get32(b - SM_FUNCTAB_BREAK + SM_FUNCTAB_B_LINE),
							 sm_get32(b - SM_FUNCTAB_BREAK + SM_FUNCTAB_B_COL),
							 line, col))
			return sm_fail(err, SM_E_BINARY,
						   "invalid function table: breakpoint %u is not after the previous one", i);
		if (i > 0 && sm_get32(b - SM_FUNCTAB_BREAK + SM_FUNCTAB_B_REF) == ref)
			return sm_fail(err, SM_E_BINARY,
						   "invalid function table: breakpoint %u repeats the previous function", i);
		if (ref < nn)
		{
			if (ref > next_new)
				return sm_fail(err, SM_E_BINARY,
							   "invalid function table: name %u used before name %u", ref, next_new);
			if (ref == next_new)
				next_new++;
		}
		else if (ref != SM_FUNCTAB_ANON && ref != SM_FUNCTAB_NONE)
			return sm_fail(err, SM_E_BINARY,
						   "invalid function table: breakpoint %u refers to name %u of %u", i, ref, nn);
		if (i == 0 && ref == SM_FUNCTAB_NONE)
			return sm_fail(err, SM_E_BINARY, "invalid function table: starts outside any function");
		if (i + 1 == nb && ref != SM_FUNCTAB_NONE)
			return sm_fail(err, SM_E_BINARY, "invalid function table: last function never ends");
	}
	if (next_new != nn)
		return sm_fail(err, SM_E_BINARY, "invalid function table: name %u is never used", next_new);
	for (i = 0; i < nn; i++, b += SM_FUNCTAB_NAME)
	{
		uint32_t	noff = sm_get32(b + SM_FUNCTAB_N_OFFSET),
					nlen = sm_get32(b + SM_FUNCTAB_N_LENGTH);

		if (noff != off || nlen == 0 || off + nlen > len - strbase)
			return sm_fail(err, SM_E_BINARY, "invalid function table: name %u is misplaced", i);
		if (!sm_text_valid(data + strbase + off, nlen))
			return sm_fail(err, SM_E_BINARY, "invalid function table: name %u is not valid text", i);
		off += nlen;
	}
	if (off != len - strbase)
		return sm_fail(err, SM_E_BINARY,
					   "invalid function table: %zu bytes after the names", (size_t) (len - strbase - off));
	return true;
}

int
sm_functab_find(const uint8_t *data, size_t len, uint32_t line, uint32_t col, SmStr *name,
				 bool *anonymous)
{
	uint32_t	nb,
				nn,
				lo = 0,
				hi,
				ref;
	size_t		strbase;
	const uint8_t *breaks;

	name->ptr = "";
	name->len = 0;
	name->isnull = false;
	*anonymous = false;
	if (!read_header(data, len, &nb, &nn, &strbase))
		return -1;
	breaks = data + SM_FUNCTAB_HEADER;
	hi = nb;
	/* first breakpoint after the position */
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		const uint8_t *e = breaks + (size_t) mid * SM_FUNCTAB_BREAK;

		if (sm_pos_lt(line, col, sm_get32(e + SM_FUNCTAB_B_LINE), sm_get32(e + SM_FUNCTAB_B_COL)))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == 0)
		return 0;
	ref = sm_get32(breaks + (size_t) (lo - 1) * SM_FUNCTAB_BREAK + SM_FUNCTAB_B_REF);
	if (ref == SM_FUNCTAB_NONE)
		return 0;
	if (ref == SM_FUNCTAB_ANON)
	{
		*anonymous = true;
		return 1;
	}
	if (ref >= nn)
		return -1;
	{
		const uint8_t *d = breaks + (size_t) nb * SM_FUNCTAB_BREAK + (size_t) ref * SM_FUNCTAB_NAME;
		uint32_t	noff = sm_get32(d + SM_FUNCTAB_N_OFFSET),
					nlen = sm_get32(d + SM_FUNCTAB_N_LENGTH);

		if ((uint64_t) noff + nlen > len - strbase)
			return -1;
		name->ptr = (const char *) data + strbase + noff;
		name->len = nlen;
	}
	return 1;
}

/* sm_function_at (sm_functab.h): the innermost function at a position of a stored map */
int
sm_function_at(SmMap *m, uint32_t line, uint32_t col, SmStr *name, bool *anonymous,
			   SmError *err)
{
	const uint8_t *tab;
	uint32_t	len;
	int			r;

	*anonymous = false;
	if (!sm_function_table(m, &tab, &len, err))
		return -1;
	if (len == 0)
		return 0;
	r = sm_functab_find(tab, len, line, col, name, anonymous);
	if (r < 0 || (r == 1 && !sm_text_valid((const uint8_t *) name->ptr, name->len)))
	{
		sm_fail(err, SM_E_BINARY, "malformed function table");
		return -1;
	}
	return r;
}
