/*
 * fuzz_binary.c -- untrusted stored bytes: sm_validate (the binary recv
 * path) and every reader on what it accepts, plus every reader on values
 * that were never validated (readers must bounds-check on their own).
 *
 * The first input byte picks a mode:
 *
 *   0xFE  mutate: byte 1 picks one of the small maps below (built once from
 *         embedded JSON), byte 2 holds options, the rest are mutations
 *         applied to its stored form (see apply_ops: byte and u32 writes,
 *         writes at offsets inside a chosen section, truncation, extension,
 *         insertion, deletion, header and table-of-contents repairs).  The
 *         header checksum (and a format 3 value's content digest, when its
 *         layout allows computing it) is recomputed afterwards unless option
 *         bit 0 is set, so the mutations reach the decoders behind it.
 *   0xFD  synthesize: the input describes a value section by section (counts,
 *         strings, mapping blocks as field streams (sm_blocks.h) or raw bytes,
 *         contents, a function table (sm_functab.h);
 *         each part stored raw or deflated by the harness) and the harness
 *         lays it out with consistent offsets and checksum; any bytes left
 *         after the description are applied as mutations.  This reaches
 *         compressed parts with malformed contents, which byte mutations of
 *         a deflate stream rarely do.
 *   0xFC  the rest of the input is a stored value whose header checksum the
 *         harness recomputes (0xFB: also its total length).
 *   0xFA  as 0xFC, and the allocation-failure pass below fails each
 *         allocation in turn instead of one chosen at random (a sweep: the
 *         deterministic way to reproduce an allocation-failure bug).
 *   other the input is the stored value as it is.
 *
 * For the resulting value:
 *   - it is opened without sm_validate (in place or through exact-size
 *     fetched slices) and every reader is called: errors are fine, crashes,
 *     out-of-bounds reads, leaks and out-of-range indexes are not;
 *   - sm_validate must accept it or reject it with SM_E_BINARY (SM_E_LIMIT when
 *     its JSON form would be too long); if it is
 *     accepted, the strict checks of fz_exercise hold (lookups agree with a
 *     brute-force answer, iteration is ordered and complete, strings and
 *     contents read, sm_to_json gives JSON that sm_build accepts and that
 *     comes back unchanged: what binary COPY accepts survives a text dump);
 *   - a value in release 0.1.0's layout (sm_legacy.h) converts to one that
 *     sm_validate accepts, or is refused with SM_E_BINARY (SM_E_LIMIT);
 *   - for a quarter of the inputs, validation and reads are repeated with one
 *     allocation failing (every allocation in turn for 0xFA): clean errors,
 *     no leaks, and sm_validate never accepts only because of the failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/sm_limits.h"
#include "base/sm_vlq.h"
#include "format/sm_blocks.h"
#include "format/sm_digest.h"
#include "format/sm_format.h"
#include "functions/sm_functab.h"
#include "fuzz_common.h"
#include "io/sm_legacy.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MODE_MUTATE		0xFE
#define MODE_SYNTH		0xFD
#define MODE_FIXSUM		0xFC
#define MODE_FIXALL		0xFB
#define MODE_SWEEP		0xFA

/* a value never grows past this in the harness */
#define MAX_VALUE		(1u << 20)

/* ---- byte buffers and input reading ----------------------------------------- */

typedef struct Buf
{
	uint8_t    *p;
	size_t		n;
	size_t		cap;
} Buf;

static void
buf_reserve(Buf *b, size_t extra)
{
	if (b->n + extra > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 256;
		uint8_t    *np;

		while (cap < b->n + extra)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			fz_fail("out of memory in the harness");
		b->p = np;
		b->cap = cap;
	}
}

static void
buf_put(Buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void
buf_u8(Buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

static void
buf_u32(Buf *b, uint32_t v)
{
	uint8_t		w[4];

	sm_put32(w, v);
	buf_put(b, w, 4);
}

static void
buf_u64(Buf *b, uint64_t v)
{
	uint8_t		w[8];

	sm_put64(w, v);
	buf_put(b, w, 8);
}

static void
buf_uvarint(Buf *b, uint64_t v)
{
	while (v >= 0x80)
	{
		buf_u8(b, (uint8_t) (v | 0x80));
		v >>= 7;
	}
	buf_u8(b, (uint8_t) v);
}

static void
buf_svarint(Buf *b, int64_t v)
{
	buf_uvarint(b, ((uint64_t) v << 1) ^ (uint64_t) (v >> 63));
}

typedef struct Rd
{
	const uint8_t *p;
	size_t		n;
	size_t		i;
} Rd;

static bool
rd_more(const Rd *r)
{
	return r->i < r->n;
}

static uint8_t
rd8(Rd *r)
{
	return r->i < r->n ? r->p[r->i++] : 0;
}

static uint16_t
rd16(Rd *r)
{
	uint16_t	lo = rd8(r);

	return (uint16_t) (lo | (uint16_t) rd8(r) << 8);
}

static uint32_t
rd32(Rd *r)
{
	uint32_t	lo = rd16(r);

	return lo | (uint32_t) rd16(r) << 16;
}

/* Deflate src (raw deflate, as the core stores parts) and append it to out. */
static void
deflate_into(Buf *out, const uint8_t *src, size_t n, int level)
{
	z_stream	s;
	uLong		bound;

	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fz_fail("deflateInit2 failed in the harness");
	bound = deflateBound(&s, (uLong) n);
	buf_reserve(out, bound);
	s.next_in = (Bytef *) src;
	s.avail_in = (uInt) n;
	s.next_out = out->p + out->n;
	s.avail_out = (uInt) bound;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END)
		fz_fail("deflate failed in the harness");
	out->n += s.total_out;
	deflateEnd(&s);
}

/* ---- header repairs --------------------------------------------------------------- */

static void
fix_total(Buf *v)
{
	if (v->n >= SM_H_TOTAL + 4)
		sm_put32(v->p + SM_H_TOTAL, (uint32_t) v->n);
}

/*
 * The checksum fixed up, over the prefix of the current layout or of an
 * older one (format version 1: the header's own section count); and the
 * content digest of a format version 3 value whose layout still allows
 * computing it, so that content mutants get past validation's digest check.
 */
static void
fix_checksum(Buf *v)
{
	size_t		prefix = sm_legacy_detect(v->p, v->n)
		? SM_HEADER_SIZE + (size_t) sm_get32(v->p + SM_H_NSECT) * SM_TOC_ENTRY_SIZE
		: SM_PREFIX_SIZE;
	SmError		err = {0};
	uint64_t	d;

	if (v->n >= prefix)
		sm_put64(v->p + SM_H_CHECKSUM, sm_checksum(v->p + prefix, v->n - prefix));
	if (v->n >= SM_PREFIX_SIZE && sm_get16(v->p + SM_H_VERSION) == SM_FORMAT_VERSION &&
		sm_digest_compute(v->p, v->n, NULL, &sm_malloc_env, &d, &err))
		sm_put64(v->p + SM_H_DIGEST, d);
}

/* Section s's offset and length from the value's own table of contents. */
static bool
toc_get(const Buf *v, int s, uint32_t *off, uint32_t *len)
{
	if (v->n < SM_PREFIX_SIZE)
		return false;
	*off = sm_get32(v->p + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE);
	*len = sm_get32(v->p + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE + 4);
	return true;
}

/*
 * Make the table of contents consistent with the value's length again:
 * section s absorbs the difference (when it can), the offsets are made
 * contiguous, the total is rewritten.
 */
static void
refit_sections(Buf *v, int s)
{
	uint64_t	others = 0;
	uint32_t	off,
				len,
				pos = SM_PREFIX_SIZE;

	if (v->n < SM_PREFIX_SIZE)
		return;
	for (int i = 0; i < SM_NSECTIONS; i++)
		if (i != s && toc_get(v, i, &off, &len))
			others += len;
	if (others + SM_PREFIX_SIZE > v->n)
		return;
	sm_put32(v->p + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE + 4,
			 (uint32_t) (v->n - SM_PREFIX_SIZE - others));
	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		toc_get(v, i, &off, &len);
		sm_put32(v->p + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE, pos);
		pos += len;
	}
	fix_total(v);
}

/* ---- mutations ----------------------------------------------------------------------- */

static uint32_t
interesting(Rd *r, const Buf *v)
{
	static const uint32_t vals[] = {
		0, 1, 2, 3, 4, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x101, 0xFFFF, 0x10000,
		0x3FFFFFFF, 0x40000000, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001,
		0xFFFFFFFE, 0xFFFFFFFF, 16, 20, 40, 256, 257, 4096,
	};
	uint8_t		k = rd8(r);
	size_t		nv = sizeof(vals) / sizeof(vals[0]);

	if (k < nv)
		return vals[k];
	switch (k % 5)
	{
		case 0:
			return (uint32_t) v->n;
		case 1:
			return (uint32_t) v->n - 1;
		case 2:
			return (uint32_t) v->n + 1;
		case 3:
			return (uint32_t) (v->n - SM_PREFIX_SIZE);
		default:
			return rd32(r);
	}
}

static size_t
pick_pos(Rd *r, const Buf *v)
{
	return v->n ? rd16(r) % v->n : 0;
}

/* Apply up to 64 mutations described by the rest of r. */
static void
apply_ops(Buf *v, Rd *r)
{
	for (int nops = 0; rd_more(r) && nops < 64; nops++)
	{
		uint8_t		op = rd8(r);
		size_t		pos,
					k;
		uint32_t	off,
					len;

		switch (op % 13)
		{
			case 0:				/* set a byte */
				pos = pick_pos(r, v);
				if (v->n)
					v->p[pos] = rd8(r);
				break;
			case 1:				/* flip bits */
				pos = pick_pos(r, v);
				if (v->n)
					v->p[pos] ^= rd8(r) | 1;
				break;
			case 2:				/* set a u32 */
				pos = pick_pos(r, v);
				if (v->n >= 4)
					sm_put32(v->p + (pos > v->n - 4 ? v->n - 4 : pos), interesting(r, v));
				break;
			case 3:				/* add to a u32 */
				pos = pick_pos(r, v);
				if (v->n >= 4)
				{
					pos = pos > v->n - 4 ? v->n - 4 : pos;
					sm_put32(v->p + pos, sm_get32(v->p + pos) + (uint32_t) (int32_t) (int8_t) rd8(r));
				}
				break;
			case 4:				/* truncate */
				v->n = rd16(r) % (v->n + 1);
				break;
			case 5:				/* extend */
				k = 1 + rd8(r) % 64;
				if (v->n + k <= MAX_VALUE)
				{
					uint8_t		b = rd8(r);

					buf_reserve(v, k);
					memset(v->p + v->n, b, k);
					v->n += k;
				}
				break;
			case 6:				/* insert */
				pos = pick_pos(r, v);
				k = 1 + rd8(r) % 32;
				if (v->n + k <= MAX_VALUE)
				{
					uint8_t		b = rd8(r);

					buf_reserve(v, k);
					memmove(v->p + pos + k, v->p + pos, v->n - pos);
					memset(v->p + pos, b, k);
					v->n += k;
				}
				break;
			case 7:				/* delete */
				pos = pick_pos(r, v);
				k = 1 + rd8(r) % 32;
				if (k > v->n - pos)
					k = v->n - pos;
				memmove(v->p + pos, v->p + pos + k, v->n - pos - k);
				v->n -= k;
				break;
			case 8:				/* set a u32 inside a section */
			case 9:				/* flip a byte inside a section */
				{
					int			s = rd8(r) % SM_NSECTIONS;
					uint16_t	rel = rd16(r);

					if (!toc_get(v, s, &off, &len) || len == 0)
						break;
					pos = (size_t) off + rel % len;
					if (op % 13 == 9)
					{
						if (pos < v->n)
							v->p[pos] ^= rd8(r) | 1;
					}
					else
					{
						pos = (size_t) off + (rel % len) / 4 * 4;	/* fields are 4-byte aligned */
						if (pos + 4 <= v->n)
							sm_put32(v->p + pos, interesting(r, v));
					}
				}
				break;
			case 10:			/* insert or delete inside a section, then refit */
				{
					int			s = rd8(r) % SM_NSECTIONS;
					uint8_t		how = rd8(r);

					if (!toc_get(v, s, &off, &len) || off > v->n)
						break;
					pos = off + (size_t) (rd16(r) % ((uint64_t) len + 1));
					if (pos > v->n)
						pos = v->n;
					k = 1 + how % 16;
					if (how & 0x80)
					{
						if (k > v->n - pos)
							k = v->n - pos;
						memmove(v->p + pos, v->p + pos + k, v->n - pos - k);
						v->n -= k;
						if (len >= k)
							sm_put32(v->p + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE + 4,
									 (uint32_t) (len - k));
					}
					else if (v->n + k <= MAX_VALUE)
					{
						buf_reserve(v, k);
						memmove(v->p + pos + k, v->p + pos, v->n - pos);
						memset(v->p + pos, rd8(r), k);
						v->n += k;
						sm_put32(v->p + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE + 4,
								 (uint32_t) (len + k));
					}
					refit_sections(v, s);
				}
				break;
			case 11:			/* repair the total length */
				fix_total(v);
				break;
			default:			/* repair the table of contents around one section */
				refit_sections(v, rd8(r) % SM_NSECTIONS);
				break;
		}
	}
}

/* ---- the maps the mutate mode starts from ----------------------------------------- */

static const char *const seed_json[] = {
	/* a bit of everything, all stored raw (too small to compress) */
	"{\"version\":3,\"file\":\"out.js\",\"sourceRoot\":\"src\",\"sources\":[\"a.js\",\"b.js\",null],"
	"\"sourcesContent\":[\"var a = 1;\\n\",null,\"x\"],\"names\":[\"foo\",\"bar\"],"
	"\"mappings\":\"AAAA,CAAC,EAAEA;ACCA,GACAC;;EAAE\",\"ignoreList\":[1]}",
	/* debug id, one segment */
	"{\"version\":3,\"sources\":[\"x\"],\"names\":[],\"mappings\":\"AAAA\","
	"\"debugId\":\"85314830-023f-4cf1-a267-535f4e37bb17\"}",
	/* index map */
	"{\"version\":3,\"file\":\"i.js\",\"sections\":["
	"{\"offset\":{\"line\":0,\"column\":0},\"map\":{\"version\":3,\"sources\":[\"a\"],"
	"\"names\":[\"n\"],\"mappings\":\"AAAAA,EAAE\"}},"
	"{\"offset\":{\"line\":2,\"column\":5},\"map\":{\"version\":3,\"sources\":[\"b\"],"
	"\"names\":[],\"mappings\":\"AAAA;AACA\"}}]}",
	/* nothing at all */
	"{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\"}",
	/* a function table (x_sourcemap_functions: the FUNCTIONS section) */
	"{\"version\":3,\"sources\":[\"f.js\"],\"names\":[\"run\"],\"mappings\":\"AAAA,SAASA;AACA\","
	"\"x_sourcemap_functions\":[[0,0,\"main\"],[0,9,\"\"],[0,12,\"main\"],[1,0,\"helper\"],[1,30,null]]}",
	/* one-field segments, empty lines, equal columns */
	"{\"version\":3,\"sources\":[\"s\"],\"names\":[\"n\"],\"mappings\":\"A;;;C,AAAA,AAAAA,C;;CACA\"}",
	NULL,						/* filled in by big_seed_json(): several blocks, chunks, compression */
};

#define NSEEDS (sizeof(seed_json) / sizeof(seed_json[0]))

static uint8_t *seed_val[NSEEDS];
static size_t seed_len[NSEEDS];

/* A map with 2600 segments, 40 sources with contents and 97 names: compressed parts. */
static char *
big_seed_json(void)
{
	Buf			b = {0};
	char		tmp[96];

	buf_puts(&b, "{\"version\":3,\"sources\":[");
	for (int i = 0; i < 40; i++)
	{
		int			n = snprintf(tmp, sizeof(tmp), "%s\"src/module/number/%03d.js\"", i ? "," : "", i);

		buf_put(&b, tmp, (size_t) n);
	}
	buf_puts(&b, "],\"sourcesContent\":[");
	for (int i = 0; i < 40; i++)
	{
		int			n = snprintf(tmp, sizeof(tmp), "%s\"", i ? "," : "");

		buf_put(&b, tmp, (size_t) n);
		for (int k = 0; k < 8 + i; k++)
			buf_puts(&b, "function f() { return 1; }\\n");
		buf_puts(&b, "\"");
	}
	buf_puts(&b, "],\"names\":[");
	for (int i = 0; i < 97; i++)
	{
		int			n = snprintf(tmp, sizeof(tmp), "%s\"name_%d\"", i ? "," : "", i);

		buf_put(&b, tmp, (size_t) n);
	}
	buf_puts(&b, "],\"mappings\":\"");
	{
		/*
		 * 2600 segments, 65 a line: three mapping blocks.  Column +2 (+1 with
		 * a repeated position now and then), source (i / 100) % 40, original
		 * line +1, original column wobbling, name i % 97 on two in three.
		 */
		int64_t		psrc = 0,
					pol = 0,
					poc = 0,
					pname = 0,
					pcol = 0;

		for (int i = 0; i < 2600; i++)
		{
			int64_t		col = (i % 65) * 2 - (i % 13 == 5 ? 2 : 0);
			int64_t		src = (i / 100) % 40,
						ol = i,
						oc = 10 + (i % 7) * 3,
						name = i % 97;
			char		seg[64];
			size_t		n = 0;

			if (i && i % 65 == 0)
				buf_puts(&b, ";");
			else if (i)
				buf_puts(&b, ",");
			if (i % 65 == 0)
				pcol = 0;
			n += sm_vlq_encode(col - pcol, seg + n);
			n += sm_vlq_encode(src - psrc, seg + n);
			n += sm_vlq_encode(ol - pol, seg + n);
			n += sm_vlq_encode(oc - poc, seg + n);
			if (i % 3)
			{
				n += sm_vlq_encode(name - pname, seg + n);
				pname = name;
			}
			buf_put(&b, seg, n);
			pcol = col;
			psrc = src;
			pol = ol;
			poc = oc;
		}
	}
	buf_puts(&b, "\",\"ignoreList\":[3,7,39]}");
	buf_u8(&b, 0);
	return (char *) b.p;
}

static void
build_seeds(void)
{
	static bool done = false;

	if (done)
		return;
	done = true;
	for (size_t i = 0; i < NSEEDS; i++)
	{
		SmError		err;
		char	   *json = seed_json[i] ? (char *) seed_json[i] : big_seed_json();

		memset(&err, 0, sizeof(err));
		if (!sm_build(json, strlen(json), &sm_malloc_env, 0, &seed_val[i], &seed_len[i], &err))
			fz_fail("the harness's seed map %zu does not build: %s", i, err.msg);
		if (seed_json[i] == NULL)
			free(json);
	}
}

/* ---- synthesizing a value ------------------------------------------------------------- */

/* A string of n bytes from r: printable unless raw is set. */
static void
synth_text(Buf *b, Rd *r, size_t n, bool raw)
{
	for (size_t i = 0; i < n; i++)
	{
		uint8_t		c = rd8(r);

		buf_u8(b, raw ? c : (uint8_t) (' ' + c % 95));
	}
}

static void
synth_opt_string(Buf *meta, Rd *r, bool raw)
{
	uint8_t		k = rd8(r);

	if (k == 0)
	{
		buf_uvarint(meta, 0);
		return;
	}
	buf_uvarint(meta, (uint64_t) (k % 12) + 1);
	synth_text(meta, r, k % 12, raw);
}

/* Store part (raw or deflated) at the end of data; return the raw-length field. */
static uint32_t
store_part(Buf *data, const Buf *part, bool compress)
{
	if (compress)
	{
		deflate_into(data, part->p, part->n, 6);
		return (uint32_t) part->n | SM_COMPRESSED;
	}
	buf_put(data, part->p, part->n);
	return (uint32_t) part->n;
}

/* A string table of count entries: directory into dir, chunks into data. */
static void
synth_table(Buf *dir, Buf *data, Rd *r, uint32_t count, bool allow_null, bool raw_bytes)
{
	uint32_t	shift = rd8(r) % 3;
	uint32_t	nchunks = (count + (1u << shift) - 1) >> shift;

	buf_u32(dir, count);
	buf_u32(dir, shift);
	buf_u32(dir, nchunks);
	for (uint32_t k = 0; k < nchunks; k++)
	{
		Buf			chunk = {0};
		uint8_t		how = rd8(r);
		uint32_t	entries = (k + 1 < nchunks) ? (1u << shift) : count - (k << shift);
		uint32_t	off = (uint32_t) data->n;

		if (how & 0x40)
			synth_text(&chunk, r, rd8(r) % 24, true);	/* arbitrary bytes */
		else
			for (uint32_t i = 0; i < entries; i++)
			{
				uint8_t		e = rd8(r);

				if (e == 0 && allow_null)
					buf_uvarint(&chunk, 0);
				else
				{
					buf_uvarint(&chunk, (uint64_t) (e % 7) + 1);
					synth_text(&chunk, r, e % 7, raw_bytes);
				}
			}
		buf_u32(dir, off);
		buf_u32(dir, store_part(data, &chunk, how & 1));
		free(chunk.p);
	}
}

static void
synth(Buf *v, Rd *r)
{
	Buf			sec[SM_NSECTIONS];
	uint8_t		fl = rd8(r);
	uint16_t	hflags = (fl & 1) ? SM_FLAG_DEBUG_ID : 0;
	uint32_t	nlines = (fl & 2) ? rd32(r) % (SM_MAX_LINES + 2u) : 1u + rd8(r) % 16;
	uint32_t	nsrc = rd8(r) % 6;
	uint32_t	nnames = rd8(r) % 6;
	uint32_t	nblocks;
	uint64_t	nsegs = 0;
	bool		raw_text = (fl & 0x40) != 0;
	uint32_t	cur_line = 0,
				cur_col = 0;

	memset(sec, 0, sizeof(sec));
	if (fl & 0x80)
		hflags = rd16(r);

	/* META (counts patched below) */
	buf_u32(&sec[SM_SEC_META], nsrc);
	buf_u32(&sec[SM_SEC_META], nnames);
	buf_u32(&sec[SM_SEC_META], nlines);
	buf_u32(&sec[SM_SEC_META], 0);
	buf_u64(&sec[SM_SEC_META], 0);
	for (int i = 0; i < 16; i++)
		buf_u8(&sec[SM_SEC_META], (hflags & SM_FLAG_DEBUG_ID) ? rd8(r) : 0);
	synth_opt_string(&sec[SM_SEC_META], r, raw_text);
	synth_opt_string(&sec[SM_SEC_META], r, raw_text);

	/* mapping blocks, in order, each starting after the previous one's last segment */
	nblocks = rd8(r) % 5;
	for (uint32_t b = 0; b < nblocks; b++)
	{
		Buf			part = {0};
		uint8_t		how = rd8(r);
		uint32_t	count = 1 + rd8(r) % 8;
		uint32_t	line = cur_line + (b ? rd8(r) % 3 : rd8(r) % 2);
		uint32_t	col = (b && line == cur_line) ? cur_col + 1 + rd8(r) % 4 : rd8(r) % 6;
		int64_t		src = 0,
					oline = 0,
					ocol = 0,
					name = 0;
		uint8_t		entry[SM_BI_SIZE];

		if (how & 0x40)
			synth_text(&part, r, rd8(r) % 24, true);	/* arbitrary bytes */
		else
		{
			/*
			 * The block layout of sm_blocks.h: uvarint flags, uvarint lengths
			 * of all streams but the last, then the streams (segment headers,
			 * line steps, source, original line, original column and name
			 * deltas).  Flags are 0 (plain original column deltas) unless the
			 * input asks for the "predicted" flag or for arbitrary flags.
			 */
			Buf			st[SM_BLOCK_STREAMS];

			memset(st, 0, sizeof(st));
			cur_line = line;
			cur_col = col;
			for (uint32_t i = 0; i < count; i++)
			{
				uint8_t		sb = rd8(r);
				bool		nl = i > 0 && (sb & 1);
				uint32_t	colpart = i == 0 ? 0 : (sb >> 5);
				bool		has_src = (sb & 2) && nsrc > 0;
				bool		has_name = has_src && (sb & 4) && nnames > 0;

				buf_uvarint(&st[SM_BS_HEAD], (uint64_t) colpart << SM_SEG_SHIFT |
							(has_name ? SM_SEG_HAS_NAME : 0) |
							(has_src ? SM_SEG_HAS_SOURCE : 0) | (nl ? SM_SEG_NEW_LINE : 0));
				if (nl)
				{
					uint8_t		step = rd8(r) % 2;

					buf_uvarint(&st[SM_BS_LINE], step);
					cur_line += step + 1;
					cur_col = colpart;
				}
				else
					cur_col += colpart;
				if (has_src)
				{
					int64_t		ts = rd8(r) % nsrc,
								tl = rd8(r) % 9,
								tc = rd8(r) % 17;

					buf_svarint(&st[SM_BS_SOURCE], ts - src);
					buf_svarint(&st[SM_BS_OLINE], tl - oline);
					buf_svarint(&st[SM_BS_OCOL], tc - ocol);
					src = ts;
					oline = tl;
					ocol = tc;
					if (has_name)
					{
						int64_t		tn = rd8(r) % nnames;

						buf_svarint(&st[SM_BS_NAME], tn - name);
						name = tn;
					}
				}
			}
			buf_uvarint(&part, (how & 0x20) ? SM_BLOCK_OCOL_PREDICTED : (how & 0x10) ? rd8(r) : 0);
			for (int k = 0; k < SM_BLOCK_STREAMS - 1; k++)
				buf_uvarint(&part, st[k].n);
			for (int k = 0; k < SM_BLOCK_STREAMS; k++)
			{
				buf_put(&part, st[k].p, st[k].n);
				free(st[k].p);
			}
		}
		sm_put32(entry + SM_BI_LINE, line);
		sm_put32(entry + SM_BI_COL, col);
		sm_put32(entry + SM_BI_OFFSET, (uint32_t) sec[SM_SEC_BLOCKS].n);
		sm_put32(entry + SM_BI_COUNT, count);
		sm_put32(entry + SM_BI_RAWLEN, store_part(&sec[SM_SEC_BLOCKS], &part, how & 1));
		buf_put(&sec[SM_SEC_BLOCK_INDEX], entry, sizeof(entry));
		nsegs += count;
		free(part.p);
	}
	if (fl & 0x20)
		nsegs = rd8(r);			/* a segment count that may not match */
	sm_put32(sec[SM_SEC_META].p + SM_META_BLOCKS, nblocks);
	sm_put64(sec[SM_SEC_META].p + SM_META_SEGMENTS, nsegs);

	synth_table(&sec[SM_SEC_SOURCES], &sec[SM_SEC_SOURCES_DATA], r, nsrc, true, raw_text);
	synth_table(&sec[SM_SEC_NAMES], &sec[SM_SEC_NAMES_DATA], r, nnames, (fl & 0x10) != 0, raw_text);

	/* ignore list: ascending, usually in range */
	{
		uint32_t	n = rd8(r) % 4;
		uint32_t	x = 0;

		buf_u32(&sec[SM_SEC_IGNORE], n);
		for (uint32_t i = 0; i < n; i++)
		{
			x += (i ? 1 : 0) + rd8(r) % 3;
			buf_u32(&sec[SM_SEC_IGNORE], x);
		}
	}

	/* contents */
	for (uint32_t i = 0; i < nsrc; i++)
	{
		uint8_t		kind = rd8(r);
		Buf			text = {0};
		uint32_t	off = (uint32_t) sec[SM_SEC_CONTENT].n;
		uint32_t	k = kind % 4,
					stored,
					rawlen;

		if (k != SM_CONTENT_NULL)
		{
			uint32_t	n = rd8(r) % 40;

			synth_text(&text, r, n, raw_text);
			if ((kind & 0x80) && n > 0)	/* repetitive, so that it compresses well */
			{
				buf_reserve(&text, 20 * (size_t) n);	/* no realloc under the copies */
				for (int rep = 0; rep < 20; rep++)
				{
					memcpy(text.p + text.n, text.p, n);
					text.n += n;
				}
			}
		}
		rawlen = (uint32_t) text.n;
		if (k == SM_CONTENT_ZLIB)
			deflate_into(&sec[SM_SEC_CONTENT], text.p, text.n, 1);
		else if (k != SM_CONTENT_NULL)
			buf_put(&sec[SM_SEC_CONTENT], text.p, text.n);
		stored = (uint32_t) sec[SM_SEC_CONTENT].n - off;
		buf_u32(&sec[SM_SEC_CONTENT_INDEX], off);
		buf_u32(&sec[SM_SEC_CONTENT_INDEX], stored);
		buf_u32(&sec[SM_SEC_CONTENT_INDEX], (kind & 0x40) ? rawlen + rd8(r) % 3 - 1 : rawlen);
		buf_u32(&sec[SM_SEC_CONTENT_INDEX], k == 3 ? 3u + rd8(r) : k);
		free(text.p);
	}

	/*
	 * FUNCTIONS: empty, or a function table (sm_functab.h): header, increasing
	 * breakpoints whose refs name the names in order (or ANON), the last
	 * one NONE, then the names back to back.
	 */
	{
		uint8_t		ft = rd8(r);

		if (ft & 1)
		{
			Buf		   *t = &sec[SM_SEC_FUNCTIONS];
			uint32_t	nb = 1 + rd8(r) % 5,
						nn = 0,
						line = 0,
						col = 0;
			uint32_t	refs[6];
			uint8_t		nlen[6];
			Buf			strings = {0};

			for (uint32_t i = 0; i < nb; i++)
			{
				uint8_t		k = rd8(r);

				if (i + 1 == nb)
					refs[i] = SM_FUNCTAB_NONE;
				else if (k & 1)
					refs[i] = SM_FUNCTAB_ANON;
				else
				{
					refs[i] = nn;
					nlen[nn] = 1 + k % 6;
					synth_text(&strings, r, nlen[nn], raw_text);
					nn++;
				}
			}
			buf_u32(t, SM_FUNCTAB_MAGIC);
			buf_u8(t, SM_FUNCTAB_VERSION);	/* u16 version, u16 flags (0) */
			buf_u8(t, 0);
			buf_u8(t, 0);
			buf_u8(t, 0);
			buf_u32(t, nb);
			buf_u32(t, nn);
			for (uint32_t i = 0; i < nb; i++)
			{
				uint8_t		step = rd8(r);

				if (i > 0 && (step & 1))
				{
					line += 1 + step % 3;
					col = rd8(r) % 8;
				}
				else if (i > 0)
					col += 1 + rd8(r) % 16;
				buf_u32(t, line);
				buf_u32(t, col);
				buf_u32(t, (ft & 2) ? rd32(r) : refs[i]);
			}
			for (uint32_t i = 0, off = 0; i < nn; i++)
			{
				buf_u32(t, off);
				buf_u32(t, nlen[i]);
				off += nlen[i];
			}
			buf_put(t, strings.p, strings.n);
			free(strings.p);
		}
	}

	/* header, table of contents, sections */
	{
		uint8_t		head[SM_PREFIX_SIZE];
		uint32_t	pos = SM_PREFIX_SIZE;

		memset(head, 0, sizeof(head));
		sm_put32(head + SM_H_MAGIC, SM_MAGIC);
		sm_put16(head + SM_H_VERSION, SM_FORMAT_VERSION);
		sm_put16(head + SM_H_FLAGS, hflags);
		sm_put32(head + SM_H_NSECT, SM_NSECTIONS);
		for (int s = 0; s < SM_NSECTIONS; s++)
		{
			sm_put32(head + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE, pos);
			sm_put32(head + SM_HEADER_SIZE + s * SM_TOC_ENTRY_SIZE + 4, (uint32_t) sec[s].n);
			pos += (uint32_t) sec[s].n;
		}
		v->n = 0;
		buf_put(v, head, sizeof(head));
		for (int s = 0; s < SM_NSECTIONS; s++)
		{
			buf_put(v, sec[s].p, sec[s].n);
			free(sec[s].p);
		}
		fix_total(v);
		fix_checksum(v);
	}
}

/* ---- checking one value ----------------------------------------------------------------- */

static void
check_value(const uint8_t *v, size_t len, uint64_t h, bool sweep)
{
	uint8_t		q[72];
	FzEnv		e;
	FzFetch		fc;
	SmError		err;
	SmMap	   *m;
	long		allocs;
	bool		ok;

	fz_expand(h, q, sizeof(q));

	/* 1: never validated; readers must protect themselves */
	fz_env_init(&e, 0);
	memset(&err, 0, sizeof(err));
	m = fz_open(&e, v, len, h & 1, &fc, &err);
	if (m)
	{
		fz_exercise(&e, m, false, q, sizeof(q), NULL, 0);
		fz_close(m, &fc);
	}
	fz_env_check_clean(&e, "reads of an unvalidated value");

	/* 2: validated; then everything must work */
	fz_env_init(&e, 0);
	memset(&err, 0, sizeof(err));
	ok = sm_validate(v, len, &e.env, &err);
	if (!ok)
		FZ_CHECK(err.code == SM_E_BINARY || (err.code == SM_E_NOMEM && e.failed) ||
				 (err.code == SM_E_LIMIT && strstr(err.msg, "JSON form") != NULL),
				 "sm_validate rejected a value with error class %d, not SM_E_BINARY "
				 "(or SM_E_LIMIT for its JSON form): %s", (int) err.code, err.msg);
	else
	{
		m = fz_open(&e, v, len, !(h & 1), &fc, &err);
		FZ_CHECK(m != NULL, "cannot open a value sm_validate accepted: %s", err.msg);
		fz_exercise(&e, m, true, q, sizeof(q), NULL, 0);
		fz_close(m, &fc);
	}
	allocs = e.nallocs;
	fz_env_check_clean(&e, "sm_validate and reads");

	/*
	 * 2b: a value in release 0.1.0's layout, as recv and every reader take
	 * it: converted or refused with SM_E_BINARY (SM_E_LIMIT when too big),
	 * and what it converts to passes sm_validate in the current layout.
	 */
	if (sm_legacy_detect(v, len))
	{
		uint8_t    *conv = NULL;
		size_t		conv_len = 0;

		fz_env_init(&e, 0);
		memset(&err, 0, sizeof(err));
		if (sm_legacy_convert(v, len, &e.env, 0, &conv, &conv_len, &err))
		{
			FZ_CHECK(!sm_legacy_detect(conv, conv_len), "a converted value still has the old layout");
			FZ_CHECK(sm_validate(conv, conv_len, &e.env, &err),
					 "a converted value does not validate: %s", err.msg);
			sm_free(&e.env, conv);
		}
		else
			FZ_CHECK(err.code == SM_E_BINARY || err.code == SM_E_LIMIT,
					 "sm_legacy_convert failed with error class %d: %s", (int) err.code, err.msg);
		fz_env_check_clean(&e, "sm_legacy_convert");
	}

	/* 3: one allocation failing: a random one, or each in turn (sweep) */
	if ((sweep || ((h >> 40) & 3) == 0) && fz_inject_failures() && allocs > 0)
	{
		long		first = sweep ? 1 : 1 + (long) ((h >> 12) % (uint64_t) allocs);
		long		last = sweep ? (allocs < 400 ? allocs : 400) : first;

		for (long k = first; k <= last; k++)
		{
			FzEnv		f;

			fz_env_init(&f, k);
			memset(&err, 0, sizeof(err));
			if (sm_validate(v, len, &f.env, &err))
				FZ_CHECK(ok, "sm_validate accepted a value only when allocation %ld failed", k);
			else
				FZ_CHECK(err.code != SM_OK, "sm_validate failed without an error code");
			fz_env_check_clean(&f, "sm_validate with a failed allocation");
			fz_env_init(&f, k);
			m = fz_open(&f, v, len, (h >> 5) & 1, &fc, &err);
			if (m)
			{
				fz_exercise(&f, m, false, q, sizeof(q), NULL, 0);
				fz_close(m, &fc);
			}
			fz_env_check_clean(&f, "reads with a failed allocation");
		}
	}
}

/*
 * With FUZZ_DUMP_VALUE=path in the environment, write the value a
 * structured input makes to path (prefixed by 0xFC), to turn a mutate- or
 * synthesize-mode reproducer into a plain stored value.
 */
static void
dump_value(const uint8_t *v, size_t n)
{
	const char *path = getenv("FUZZ_DUMP_VALUE");
	FILE	   *f;

	if (path == NULL || *path == '\0')
		return;
	f = fopen(path, "wb");
	if (f == NULL || fputc(MODE_FIXSUM, f) == EOF || fwrite(v, 1, n, f) != n || fclose(f) != 0)
		fz_fail("cannot write %s", path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t	h = fz_hash(data, size);
	Buf			v = {0};
	Rd			r;

	if (size == 0 || (data[0] != MODE_MUTATE && data[0] != MODE_SYNTH &&
					  data[0] != MODE_FIXSUM && data[0] != MODE_FIXALL && data[0] != MODE_SWEEP))
	{
		check_value(data, size, h, false);	/* exact size: libFuzzer's own buffer */
		return 0;
	}
	r.p = data + 1;
	r.n = size - 1;
	r.i = 0;
	switch (data[0])
	{
		case MODE_MUTATE:
			{
				size_t		s;
				uint8_t		opts;

				build_seeds();
				s = rd8(&r) % NSEEDS;
				opts = rd8(&r);
				buf_put(&v, seed_val[s], seed_len[s]);
				apply_ops(&v, &r);
				if (!(opts & 1))
					fix_checksum(&v);
			}
			break;
		case MODE_SYNTH:
			synth(&v, &r);
			if (rd_more(&r))
			{
				bool		keep_sum = rd8(&r) & 1;

				apply_ops(&v, &r);
				if (!keep_sum)
					fix_checksum(&v);
			}
			break;
		default:
			buf_put(&v, data + 1, size - 1);
			if (data[0] == MODE_FIXALL)
				fix_total(&v);
			fix_checksum(&v);
			break;
	}
	/* an exact-size copy, so that a read past the end is caught */
	{
		uint8_t    *exact = malloc(v.n ? v.n : 1);

		if (exact == NULL)
			fz_fail("out of memory in the harness");
		if (v.n)
			memcpy(exact, v.p, v.n);
		free(v.p);
		dump_value(exact, v.n);
		check_value(exact, v.n, h, data[0] == MODE_SWEEP);
		free(exact);
	}
	return 0;
}
