/*
 * sm_digest.c -- content streams of stored values, their digest and their
 * order (sm_digest.h).  A cursor walks one section's content stream piece
 * by piece: index entries rewritten without their compression fields, data
 * parts inflated into the cursor's buffer or read in place when stored raw.
 * Hashing feeds the pieces to sm_hash; comparing walks two cursors in step,
 * so at most one inflated part of each value is in memory.
 */
#include <string.h>

#include "base/sm_buf.h"
#include "base/sm_hash.h"
#include "format/sm_digest.h"

/* deflate cannot expand data by more than about 1032:1 */
#define SM_DIGEST_MAX_RATIO 1100

typedef struct Cursor
{
	const uint8_t *v;
	uint16_t	flags;
	uint32_t	off[SM_NSECTIONS];
	uint32_t	len[SM_NSECTIONS];
	const SmEnv *env;
	int			sec;			/* the section being walked */
	uint32_t	item;			/* its next piece */
	uint8_t		small[16];		/* a rewritten index entry */
	uint8_t    *buf;			/* an inflated part */
	size_t		cap;
} Cursor;

/* Header and table of contents of a value in the current layout. */
static bool
cursor_open(Cursor *c, const uint8_t *v, size_t len, const SmEnv *env, SmError *err)
{
	size_t		off = SM_PREFIX_SIZE;
	uint16_t	version;

	memset(c, 0, sizeof(*c));
	c->v = v;
	c->env = env;
	if (len < SM_PREFIX_SIZE || sm_get32(v + SM_H_MAGIC) != SM_MAGIC)
		return sm_fail(err, SM_E_BINARY, "not a sourcemap value");
	version = sm_get16(v + SM_H_VERSION);
	if ((version != SM_FORMAT_VERSION && version != SM_FORMAT_VERSION_NODIGEST) ||
		sm_get32(v + SM_H_NSECT) != SM_NSECTIONS || sm_get32(v + SM_H_TOTAL) != len)
		return sm_fail(err, SM_E_BINARY, "value is not in the current layout (format version %u)",
					   version);
	c->flags = sm_get16(v + SM_H_FLAGS);
	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		c->off[i] = sm_get32(v + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + SM_TOC_OFFSET);
		c->len[i] = sm_get32(v + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + SM_TOC_LENGTH);
		if (c->off[i] != off || c->len[i] > len - off)
			return sm_fail(err, SM_E_BINARY, "section %d is out of place", i);
		off += c->len[i];
	}
	if (off != len)
		return sm_fail(err, SM_E_BINARY, "sections do not fill the value");
	return true;
}

static void
cursor_close(Cursor *c)
{
	sm_free(c->env, c->buf);
	c->buf = NULL;
}

static void
cursor_section(Cursor *c, int sec)
{
	c->sec = sec;
	c->item = 0;
}

/*
 * A data part of section sec: `stored` bytes at off, rawlen bytes once
 * inflated when compressed, else exactly rawlen bytes.
 */
static int
part(Cursor *c, int sec, uint64_t off, uint64_t stored, uint32_t rawlen, bool compressed,
	 const uint8_t **p, size_t *n, SmError *err)
{
	const uint8_t *src;

	if (off > c->len[sec] || stored > c->len[sec] - off)
		return (sm_fail(err, SM_E_BINARY, "part of section %d out of bounds", sec), -1);
	src = c->v + c->off[sec] + off;
	sm_check_interrupts(c->env);
	if (!compressed)
	{
		if (stored != rawlen)
			return (sm_fail(err, SM_E_BINARY, "raw part of section %d has the wrong length", sec), -1);
		*p = src;
		*n = rawlen;
		return 1;
	}
	if (rawlen > 0x7FFFFFFF || rawlen > stored * SM_DIGEST_MAX_RATIO + 64)
		return (sm_fail(err, SM_E_BINARY, "implausible length in section %d", sec), -1);
	if (rawlen > c->cap || c->buf == NULL)
	{
		uint8_t    *nb = sm_alloc(c->env, rawlen ? rawlen : 1, err);

		if (nb == NULL)
			return -1;
		sm_free(c->env, c->buf);
		c->buf = nb;
		c->cap = rawlen;
	}
	if (!smz_inflate(src, stored, c->buf, rawlen, err))
		return -1;
	*p = c->buf;
	*n = rawlen;
	return 1;
}

/* Chunk k of string table dirsec (its data in datasec). */
static int
chunk(Cursor *c, int dirsec, int datasec, uint32_t k, const uint8_t **p, size_t *n, SmError *err)
{
	const uint8_t *dir = c->v + c->off[dirsec];
	uint32_t	dlen = c->len[dirsec];
	uint32_t	nchunks;
	const uint8_t *e;
	uint32_t	next;

	if (dlen < SM_ST_FIXED || (dlen - SM_ST_FIXED) % SM_ST_CHUNK_SIZE != 0)
		return (sm_fail(err, SM_E_BINARY, "string table directory %d is malformed", dirsec), -1);
	nchunks = (dlen - SM_ST_FIXED) / SM_ST_CHUNK_SIZE;
	if (k >= nchunks)
		return 0;
	e = dir + SM_ST_FIXED + (size_t) k * SM_ST_CHUNK_SIZE;
	next = k + 1 < nchunks ? sm_get32(e + SM_ST_CHUNK_SIZE + SM_ST_C_OFFSET) : c->len[datasec];
	if (next < sm_get32(e + SM_ST_C_OFFSET))
		return (sm_fail(err, SM_E_BINARY, "string chunks out of order"), -1);
	return part(c, datasec, sm_get32(e + SM_ST_C_OFFSET), next - sm_get32(e + SM_ST_C_OFFSET),
				sm_get32(e + SM_ST_C_RAWLEN) & ~SM_COMPRESSED,
				(sm_get32(e + SM_ST_C_RAWLEN) & SM_COMPRESSED) != 0, p, n, err);
}

/* Block k of the BLOCKS section. */
static int
block(Cursor *c, uint32_t k, const uint8_t **p, size_t *n, SmError *err)
{
	uint32_t	nblocks = c->len[SM_SEC_BLOCK_INDEX] / SM_BI_SIZE;
	const uint8_t *e = c->v + c->off[SM_SEC_BLOCK_INDEX] + (size_t) k * SM_BI_SIZE;
	uint32_t	next;

	if (k >= nblocks)
		return 0;
	next = k + 1 < nblocks ? sm_get32(e + SM_BI_SIZE + SM_BI_OFFSET) : c->len[SM_SEC_BLOCKS];
	if (next < sm_get32(e + SM_BI_OFFSET))
		return (sm_fail(err, SM_E_BINARY, "mapping blocks out of order"), -1);
	return part(c, SM_SEC_BLOCKS, sm_get32(e + SM_BI_OFFSET), next - sm_get32(e + SM_BI_OFFSET),
				sm_get32(e + SM_BI_RAWLEN) & ~SM_COMPRESSED,
				(sm_get32(e + SM_BI_RAWLEN) & SM_COMPRESSED) != 0, p, n, err);
}

/* Entry k of CONTENT_INDEX, checked; NULL past the last. */
static const uint8_t *
content_entry(Cursor *c, uint32_t k, SmError *err, bool *bad)
{
	const uint8_t *e;
	uint32_t	kind;

	*bad = false;
	if (c->len[SM_SEC_CONTENT_INDEX] % SM_CI_SIZE != 0)
	{
		*bad = true;
		sm_fail(err, SM_E_BINARY, "content index is malformed");
		return NULL;
	}
	if (k >= c->len[SM_SEC_CONTENT_INDEX] / SM_CI_SIZE)
		return NULL;
	e = c->v + c->off[SM_SEC_CONTENT_INDEX] + (size_t) k * SM_CI_SIZE;
	kind = sm_get32(e + SM_CI_KIND);
	if (kind != SM_CONTENT_NULL && kind != SM_CONTENT_RAW && kind != SM_CONTENT_ZLIB)
	{
		*bad = true;
		sm_fail(err, SM_E_BINARY, "unknown content kind %u", kind);
		return NULL;
	}
	return e;
}

/* The KEPT section's head: flags, raw length, compressed, where the text starts. */
static bool
kept_head(Cursor *c, uint64_t *flags, uint64_t *rl, uint32_t *head, SmError *err)
{
	const uint8_t *s = c->v + c->off[SM_SEC_KEPT];
	const uint8_t *p = s;

	if (!sm_read_uvarint(&p, s + c->len[SM_SEC_KEPT], flags) ||
		!sm_read_uvarint(&p, s + c->len[SM_SEC_KEPT], rl) || (*rl >> 1) > 0x3FFFFFFF)
		return sm_fail(err, SM_E_BINARY, "KEPT section header is malformed");
	*head = (uint32_t) (p - s);
	return true;
}

/*
 * The next piece of the current section's content stream: 1 and the piece
 * in *p, *n (valid until the next call); 0 at the section's end; -1 on a
 * damaged value.
 */
static int
next_piece(Cursor *c, const uint8_t **p, size_t *n, SmError *err)
{
	const uint8_t *s = c->v + c->off[c->sec];
	uint32_t	slen = c->len[c->sec];
	uint32_t	i = c->item++;

	switch ((SmSection) c->sec)
	{
		case SM_SEC_META:
			if (i == 0)
			{
				sm_put16(c->small, c->flags);
				*p = c->small;
				*n = 2;
				return 1;
			}
			*p = s;
			*n = slen;
			return i == 1;
		case SM_SEC_IGNORE:
		case SM_SEC_SOURCE_FUNCTIONS:
		case SM_SEC_FUNCTIONS:
			*p = s;
			*n = slen;
			return i == 0 && slen > 0;
		case SM_SEC_BLOCK_INDEX:
			{
				const uint8_t *e = s + (size_t) i * SM_BI_SIZE;

				if (slen % SM_BI_SIZE != 0)
					return (sm_fail(err, SM_E_BINARY, "block index is malformed"), -1);
				if (i >= slen / SM_BI_SIZE)
					return 0;
				sm_put32(c->small, sm_get32(e + SM_BI_LINE));
				sm_put32(c->small + 4, sm_get32(e + SM_BI_COL));
				sm_put32(c->small + 8, sm_get32(e + SM_BI_COUNT));
				sm_put32(c->small + 12, sm_get32(e + SM_BI_RAWLEN) & ~SM_COMPRESSED);
				*p = c->small;
				*n = 16;
				return 1;
			}
		case SM_SEC_SOURCES:
		case SM_SEC_NAMES:
			if (slen < SM_ST_FIXED || (slen - SM_ST_FIXED) % SM_ST_CHUNK_SIZE != 0)
				return (sm_fail(err, SM_E_BINARY, "string table directory %d is malformed", c->sec), -1);
			if (i == 0)
			{
				*p = s;
				*n = SM_ST_FIXED;
				return 1;
			}
			if (i - 1 >= (slen - SM_ST_FIXED) / SM_ST_CHUNK_SIZE)
				return 0;
			sm_put32(c->small, sm_get32(s + SM_ST_FIXED + (size_t) (i - 1) * SM_ST_CHUNK_SIZE +
										SM_ST_C_RAWLEN) & ~SM_COMPRESSED);
			*p = c->small;
			*n = 4;
			return 1;
		case SM_SEC_SOURCES_DATA:
			return chunk(c, SM_SEC_SOURCES, SM_SEC_SOURCES_DATA, i, p, n, err);
		case SM_SEC_NAMES_DATA:
			return chunk(c, SM_SEC_NAMES, SM_SEC_NAMES_DATA, i, p, n, err);
		case SM_SEC_BLOCKS:
			return block(c, i, p, n, err);
		case SM_SEC_CONTENT_INDEX:
			{
				bool		bad;
				const uint8_t *e = content_entry(c, i, err, &bad);

				if (e == NULL)
					return bad ? -1 : 0;
				sm_put32(c->small, sm_get32(e + SM_CI_RAWLEN));
				sm_put32(c->small + 4, sm_get32(e + SM_CI_KIND) != SM_CONTENT_NULL);
				*p = c->small;
				*n = 8;
				return 1;
			}
		case SM_SEC_CONTENT:
			for (;; i = c->item++)
			{
				bool		bad;
				const uint8_t *e = content_entry(c, i, err, &bad);

				if (e == NULL)
					return bad ? -1 : 0;
				if (sm_get32(e + SM_CI_KIND) != SM_CONTENT_NULL)
					return part(c, SM_SEC_CONTENT, sm_get32(e + SM_CI_OFFSET), sm_get32(e + SM_CI_STORED),
								sm_get32(e + SM_CI_RAWLEN),
								sm_get32(e + SM_CI_KIND) == SM_CONTENT_ZLIB, p, n, err);
			}
		case SM_SEC_KEPT:
			{
				uint64_t	flags = 0,
							rl = 0;
				uint32_t	head = 0;

				if (slen == 0 || i > 1)
					return 0;
				if (!kept_head(c, &flags, &rl, &head, err))
					return -1;
				if (i == 1)
					return part(c, SM_SEC_KEPT, head, slen - head, (uint32_t) (rl >> 1), (rl & 1) != 0,
								p, n, err);
				sm_put64(c->small, flags);
				sm_put64(c->small + 8, rl >> 1);
				*p = c->small;
				*n = 16;
				return 1;
			}
		case SM_NSECTIONS:
			break;
	}
	return 0;
}

static bool
cursor_hash(Cursor *c, int sec, uint64_t *out, SmError *err)
{
	SmHash		h;
	const uint8_t *p;
	size_t		n;
	int			r;

	smh_init(&h);
	cursor_section(c, sec);
	while ((r = next_piece(c, &p, &n, err)) > 0)
		smh_update(&h, p, n);
	*out = smh_final(&h);
	return r == 0;
}

bool
sm_section_hash(const uint8_t *v, size_t len, int sec, const SmEnv *env, uint64_t *out,
				SmError *err)
{
	Cursor		c;
	bool		ok;

	if (!cursor_open(&c, v, len, env, err))
		return false;
	ok = cursor_hash(&c, sec, out, err);
	cursor_close(&c);
	return ok;
}

bool
sm_digest_compute(const uint8_t *v, size_t len, const SmDigestParts *parts, const SmEnv *env,
				  uint64_t *out, SmError *err)
{
	Cursor		c;
	uint64_t	d = 0;
	bool		ok = true;

	if (!cursor_open(&c, v, len, env, err))
		return false;
	for (int s = 0; ok && s < SM_NSECTIONS; s++)
	{
		uint64_t	h;

		if (parts != NULL && (parts->known & (1u << s)))
			h = parts->hash[s];
		else
			ok = cursor_hash(&c, s, &h, err);
		d += sm_digest_term(s, h);
	}
	cursor_close(&c);
	*out = d;
	return ok;
}

bool
sm_header_digest(const uint8_t *h, size_t len, uint64_t *out)
{
	if (len < SM_HEADER_SIZE || sm_get32(h + SM_H_MAGIC) != SM_MAGIC ||
		sm_get16(h + SM_H_VERSION) != SM_FORMAT_VERSION)
		return false;
	*out = sm_get64(h + SM_H_DIGEST);
	return true;
}

bool
sm_value_digest(const uint8_t *v, size_t len, const SmEnv *env, uint64_t *out, SmError *err)
{
	return sm_header_digest(v, len, out) || sm_digest_compute(v, len, NULL, env, out, err);
}

bool
sm_digest_check(const uint8_t *v, size_t len, const SmEnv *env, SmError *err)
{
	uint64_t	d;

	if (len < SM_HEADER_SIZE || sm_get16(v + SM_H_VERSION) != SM_FORMAT_VERSION)
		return true;
	if (!sm_digest_compute(v, len, NULL, env, &d, err))
		return false;
	if (d != sm_get64(v + SM_H_DIGEST))
		return sm_fail(err, SM_E_BINARY,
					   "content digest mismatch: the header says %016llx, the content hashes to %016llx",
					   (unsigned long long) sm_get64(v + SM_H_DIGEST), (unsigned long long) d);
	return true;
}

/* Compare the current sections of a and b as byte strings. */
static bool
cmp_section(Cursor *a, Cursor *b, int *cmp, SmError *err)
{
	const uint8_t *pa = NULL,
			   *pb = NULL;
	size_t		na = 0,
				nb = 0;
	bool		enda = false,
				endb = false;

	for (;;)
	{
		size_t		k;
		int			r;

		while (na == 0 && !enda)
		{
			if ((r = next_piece(a, &pa, &na, err)) < 0)
				return false;
			enda = r == 0;
		}
		while (nb == 0 && !endb)
		{
			if ((r = next_piece(b, &pb, &nb, err)) < 0)
				return false;
			endb = r == 0;
		}
		if (enda || endb)
		{
			*cmp = enda == endb ? 0 : enda ? -1 : 1;
			return true;
		}
		k = na < nb ? na : nb;
		if ((r = memcmp(pa, pb, k)) != 0)
		{
			*cmp = r < 0 ? -1 : 1;
			return true;
		}
		pa += k;
		pb += k;
		na -= k;
		nb -= k;
	}
}

bool
sm_content_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, const SmEnv *env,
			   int *cmp, SmError *err)
{
	Cursor		ca,
				cb;
	uint64_t	da,
				db;
	bool		ok;

	*cmp = 0;
	if (!sm_value_digest(a, alen, env, &da, err) || !sm_value_digest(b, blen, env, &db, err))
		return false;
	if (da != db)
	{
		*cmp = da < db ? -1 : 1;
		return true;
	}
	/* the same bytes are the same content: nothing to inflate (the usual case) */
	if (alen == blen && memcmp(a, b, alen) == 0)
		return true;
	if (!cursor_open(&ca, a, alen, env, err))
		return false;
	if (!cursor_open(&cb, b, blen, env, err))
		return false;
	ok = true;
	for (int s = 0; ok && *cmp == 0 && s < SM_NSECTIONS; s++)
	{
		cursor_section(&ca, s);
		cursor_section(&cb, s);
		ok = cmp_section(&ca, &cb, cmp, err);
	}
	cursor_close(&ca);
	cursor_close(&cb);
	return ok;
}
