/*
 * sm_strset.c -- the numbered string set of sm_strset.h (FNV-1a hashes,
 * linear probing, doubling at half full).
 */
#include "base/sm_strset.h"

typedef struct Entry
{
	uint64_t	off;
	uint32_t	len;
	uint32_t	hash;
} Entry;

void
smss_init(SmStrSet *s, const SmEnv *env, SmError *err)
{
	memset(s, 0, sizeof(*s));
	smb_init(&s->bytes, env, err);
	smb_init(&s->index, env, err);
	s->env = env;
	s->err = err;
}

void
smss_free(SmStrSet *s)
{
	smb_free(&s->bytes);
	smb_free(&s->index);
	sm_free(s->env, s->slots);
	s->slots = NULL;
}

static uint32_t
hash_bytes(const char *p, size_t n)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t) p[i]) * 16777619u;
	return h;
}

static const Entry *
entry(const SmStrSet *s, uint32_t id)
{
	return (const Entry *) s->index.data + id;
}

/* Double the table (or make the first one) and re-insert every string. */
static bool
grow(SmStrSet *s)
{
	uint32_t	nslots = s->nslots ? s->nslots * 2 : 64;
	uint32_t   *slots;

	if (nslots == 0)
		return sm_fail(s->err, SM_E_LIMIT, "too many distinct strings");
	slots = sm_alloc(s->env, (size_t) nslots * sizeof(uint32_t), s->err);
	if (slots == NULL)
		return false;
	memset(slots, 0, (size_t) nslots * sizeof(uint32_t));
	for (uint32_t id = 0; id < s->count; id++)
	{
		uint32_t	i = entry(s, id)->hash & (nslots - 1);

		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = id + 1;
	}
	sm_free(s->env, s->slots);
	s->slots = slots;
	s->nslots = nslots;
	return true;
}

bool
smss_put(SmStrSet *s, const char *p, size_t n, uint32_t *id, bool *added)
{
	uint32_t	h = hash_bytes(p, n);
	uint32_t	i;
	Entry		e;

	if ((uint64_t) s->count * 2 >= s->nslots && !grow(s))
		return false;
	for (i = h & (s->nslots - 1); s->slots[i] != 0; i = (i + 1) & (s->nslots - 1))
	{
		const Entry *x = entry(s, s->slots[i] - 1);

		if (x->hash == h && x->len == n &&
			(n == 0 || memcmp(s->bytes.data + x->off, p, n) == 0))
		{
			*id = s->slots[i] - 1;
			*added = false;
			return true;
		}
	}
	if (n > UINT32_MAX)
		return sm_fail(s->err, SM_E_LIMIT, "string of %zu bytes is too long", n);
	e.off = s->bytes.len;
	e.len = (uint32_t) n;
	e.hash = h;
	if (!smb_append(&s->bytes, p, n) || !smb_append(&s->index, &e, sizeof(e)))
		return false;
	s->slots[i] = s->count + 1;
	*id = s->count++;
	*added = true;
	return true;
}

void
smss_get(const SmStrSet *s, uint32_t id, const char **p, size_t *n)
{
	const Entry *e = entry(s, id);

	*p = (const char *) s->bytes.data + e->off;
	*n = e->len;
}
