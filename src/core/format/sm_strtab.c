/*
 * sm_strtab.c -- write string tables and read entries of their chunks.
 */
#include "format/sm_format.h"
#include "format/sm_strtab.h"

uint32_t
smst_choose_shift(uint64_t bytes, uint32_t count)
{
	uint64_t	avg = count ? bytes / count + 2 : 16;
	uint32_t	shift = 0;

	while (shift < SM_STRTAB_MAX_SHIFT && (avg << (shift + 1)) <= SM_STRTAB_CHUNK_BYTES)
		shift++;
	return shift;
}

void
smst_init(SmStrtabWriter *w, const SmEnv *env, SmError *err, SmZ *z, uint32_t shift)
{
	memset(w, 0, sizeof(*w));
	w->shift = shift;
	w->z = z;
	w->err = err;
	smh_init(&w->raw_hash);
	smb_init(&w->chunk, env, err);
	smb_init(&w->dir, env, err);
	smb_init(&w->data, env, err);
}

void
smst_free(SmStrtabWriter *w)
{
	smb_free(&w->chunk);
	smb_free(&w->dir);
	smb_free(&w->data);
}

/* Compress the pending chunk and record it in the directory. */
static bool
flush_chunk(SmStrtabWriter *w)
{
	uint8_t		entry[SM_ST_CHUNK_SIZE];
	size_t		offset = w->data.len;
	bool		compressed;

	if (w->chunk.len > 0x7FFFFFFF)
		return sm_fail(w->err, SM_E_LIMIT, "a string table chunk exceeds 2 GB");
	smh_update(&w->raw_hash, w->chunk.data, w->chunk.len);
	if (!smz_deflate_append(w->z, &w->data, w->chunk.data, w->chunk.len, &compressed, w->err))
		return false;
	if (w->data.len > 0x7FFFFFFF)
		return sm_fail(w->err, SM_E_LIMIT, "a string table exceeds 2 GB");
	sm_put32(entry + SM_ST_C_OFFSET, (uint32_t) offset);
	sm_put32(entry + SM_ST_C_RAWLEN, (uint32_t) w->chunk.len | (compressed ? SM_COMPRESSED : 0));
	w->chunk.len = 0;
	w->nchunks++;
	return smb_append(&w->dir, entry, sizeof(entry));
}

bool
smst_add(SmStrtabWriter *w, const char *s, size_t n, bool isnull)
{
	if (!smb_uvarint(&w->chunk, isnull ? 0 : (uint64_t) n + 1) ||
		!smb_append(&w->chunk, s, isnull ? 0 : n))
		return false;
	w->count++;
	if ((w->count & ((1u << w->shift) - 1)) == 0)
		return flush_chunk(w);
	return true;
}

bool
smst_finish(SmStrtabWriter *w, SmBuf *dir, SmBuf *data)
{
	uint8_t		head[SM_ST_FIXED];

	if ((w->count & ((1u << w->shift) - 1)) != 0 && !flush_chunk(w))
		return false;
	sm_put32(head + SM_ST_COUNT, w->count);
	sm_put32(head + SM_ST_SHIFT, w->shift);
	sm_put32(head + SM_ST_NCHUNKS, w->nchunks);
	return smb_append(dir, head, sizeof(head)) &&
		smb_append(dir, w->dir.data, w->dir.len) &&
		smb_append(data, w->data.data, w->data.len);
}

/* Read one entry at *pp; false if malformed. */
static inline bool
next_entry(const uint8_t **pp, const uint8_t *end, SmStr *out)
{
	uint64_t	n;

	if (!sm_read_uvarint(pp, end, &n))
		return false;
	if (n == 0)
	{
		out->ptr = NULL;
		out->len = 0;
		out->isnull = true;
		return true;
	}
	n--;
	if (n > (uint64_t) (end - *pp))
		return false;
	out->ptr = (const char *) *pp;
	out->len = (uint32_t) n;
	out->isnull = false;
	*pp += n;
	return true;
}

bool
smst_chunk_entry(const uint8_t *raw, size_t len, uint32_t k, SmStr *out)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + len;

	for (uint32_t i = 0; i <= k; i++)
		if (!next_entry(&p, end, out))
			return false;
	return true;
}

bool
smst_chunk_check(const uint8_t *raw, size_t len, uint32_t entries)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + len;

	for (uint32_t i = 0; i < entries; i++)
	{
		SmStr		s;

		if (!next_entry(&p, end, &s))
			return false;
		if (!s.isnull && !sm_text_valid((const uint8_t *) s.ptr, s.len))
			return false;
	}
	return p == end;
}
