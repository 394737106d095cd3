/*
 * mutate.c -- corrupted binary sourcemap values through recv (test/hard/corrupt.sh).
 *
 * Reads seed values (the binary form, sourcemap_send) from the table
 * hard_seed, derives mutants from them and sends each one as a binary
 * parameter of type sourcemap: the server runs sourcemap_recv on it.  Every
 * mutant must be either rejected with a clean error (SQLSTATE class 22 or
 * 54) or accepted, and then every function must handle it: hard_battery()
 * (created by corrupt.sh) calls them all, once on the in-memory value and
 * once on the value stored in a table (out of line when large).
 *
 * Mutations know the layout (src/core/format/sm_format.h, doc/FORMAT.md): bit
 * flips, bytes set to edge values, header/toc/index fields set to huge or
 * off-by-one values, truncation, extension, sections swapped or taken from
 * another seed, and deflated parts (blocks, string chunks, contents)
 * inflated, damaged and re-deflated.  Most mutants get their total length,
 * checksum and content digest recomputed so that they reach the deeper
 * checks and can be accepted (the digest with the core's own code,
 * format/sm_digest.c, linked in).
 *
 * Mutant i of a run is a pure function of (--seed, i): a failure is
 * reproduced with --only i, and every failing mutant is also written to the
 * output directory (replay with --replay FILE).
 *
 *   mutate [--count N] [--seed S] [--only I] [--out DIR] [--replay FILE]
 *   mutate --craft SEED_NAME --poke SECTION,OFFSET,VALUE [--poke ...]
 *   mutate --filter --poke SECTION,OFFSET,VALUE [--poke ...] < hex > hex
 *
 * --craft takes the named seed, writes each u32 VALUE at OFFSET within
 * SECTION (0 META ... 9 CONTENT, or -1 for an offset from the start of the
 * stored form), recomputes the checksum and sends the result like --replay:
 * a precise reproduction of a damaged field.  --filter does the same to
 * the binary form (sourcemap_send, in hex) read from stdin and prints the
 * result in hex, without connecting.
 *
 * Connection parameters come from the PG* environment variables.  Exit
 * status 0: no failure; 1: failures; 2: setup error or the server crashed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <time.h>
#include <errno.h>
#include <libpq-fe.h>
#include <zlib.h>

#include "../../src/core/format/sm_format.h"
#include "format/sm_digest.h"		/* linked with the core's digest (corrupt.sh) */

#define MAX_SEEDS 64
#define MAX_FAIL_PRINT 40

typedef struct Buf
{
	uint8_t    *p;
	size_t		len;
	size_t		cap;
} Buf;

typedef struct Seed
{
	char	   *name;
	uint8_t    *data;			/* stored form, without the wire version byte */
	size_t		len;
	double		weight;
	long		tried;
	long		accepted;
	double		seconds;		/* spent on its mutants */
} Seed;

/* ---- random numbers: one stream per mutant ----------------------------- */

static uint64_t rng;

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static uint32_t
below(uint64_t n)
{
	return n ? (uint32_t) (rnd() % n) : 0;
}

static bool
chance(double p)
{
	return (rnd() >> 11) * (1.0 / 9007199254740992.0) < p;
}

/* ---- buffers ---------------------------------------------------------- */

static void
buf_reserve(Buf *b, size_t n)
{
	if (n <= b->cap)
		return;
	b->cap = n * 2 + 64;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
}

static void
buf_set(Buf *b, const uint8_t *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p, p, n);
	b->len = n;
}

/* replace [off, off+oldn) by n bytes from p */
static void
buf_splice(Buf *b, size_t off, size_t oldn, const uint8_t *p, size_t n)
{
	size_t		tail = b->len - off - oldn;

	buf_reserve(b, b->len - oldn + n);
	memmove(b->p + off + n, b->p + off + oldn, tail);
	if (n)
		memcpy(b->p + off, p, n);
	b->len = b->len - oldn + n;
}

static uint32_t
get32(const Buf *b, size_t off)
{
	return off + 4 <= b->len ? sm_get32(b->p + off) : 0;
}

static void
put32(Buf *b, size_t off, uint32_t v)
{
	if (off + 4 <= b->len)
		sm_put32(b->p + off, v);
}

/* ---- the layout of a (possibly damaged) value ------------------------- */

typedef struct Part
{
	int			sec;			/* section holding the bytes */
	uint32_t	rel;			/* offset within that section */
	uint32_t	len;			/* stored length */
	bool		compressed;
	uint32_t	off_field;		/* absolute position of the u32 offset pointing at it */
	uint32_t	raw_field;		/* absolute position of its raw length field */
	uint32_t	stored_field;	/* content parts: stored length field, else 0 */
} Part;

typedef struct Layout
{
	bool		ok;				/* header and toc readable and in bounds */
	uint32_t	sec_off[SM_NSECTIONS];
	uint32_t	sec_len[SM_NSECTIONS];
	uint32_t   *fields;			/* absolute positions of u32 fields */
	int			nfields;
	int			capfields;
	Part	   *parts;
	int			nparts;
	int			capparts;
} Layout;

static void
add_field(Layout *l, uint32_t pos)
{
	if (l->nfields == l->capfields)
	{
		l->capfields = l->capfields * 2 + 64;
		l->fields = realloc(l->fields, l->capfields * sizeof(uint32_t));
	}
	l->fields[l->nfields++] = pos;
}

static void
add_part(Layout *l, Part p)
{
	if (l->nparts == l->capparts)
	{
		l->capparts = l->capparts * 2 + 64;
		l->parts = realloc(l->parts, l->capparts * sizeof(Part));
	}
	l->parts[l->nparts++] = p;
}

static bool
sec_ok(const Layout *l, const Buf *b, int s)
{
	return (uint64_t) l->sec_off[s] + l->sec_len[s] <= b->len;
}

/* index entries, capped so a damaged count cannot make us spin */
#define CAP(n, lim) ((n) > (lim) ? (lim) : (n))

static void
string_dir(Layout *l, const Buf *b, int dir, int data)
{
	uint32_t	o = l->sec_off[dir];
	uint32_t	n;

	if (!sec_ok(l, b, dir) || l->sec_len[dir] < SM_ST_FIXED)
		return;
	add_field(l, o + SM_ST_COUNT);
	add_field(l, o + SM_ST_SHIFT);
	add_field(l, o + SM_ST_NCHUNKS);
	n = get32(b, o + SM_ST_NCHUNKS);
	n = CAP(n, (l->sec_len[dir] - SM_ST_FIXED) / SM_ST_CHUNK_SIZE);
	for (uint32_t k = 0; k < n; k++)
	{
		uint32_t	e = o + SM_ST_FIXED + k * SM_ST_CHUNK_SIZE;
		uint32_t	start = get32(b, e);
		uint32_t	end = k + 1 < n ? get32(b, e + SM_ST_CHUNK_SIZE) : l->sec_len[data];
		uint32_t	raw = get32(b, e + 4);

		add_field(l, e);
		add_field(l, e + 4);
		if (sec_ok(l, b, data) && start <= end && end <= l->sec_len[data])
			add_part(l, (Part) {data, start, end - start, (raw & SM_COMPRESSED) != 0, e, e + 4, 0});
	}
}

static void
layout(Layout *l, const Buf *b)
{
	l->ok = false;
	l->nfields = 0;
	l->nparts = 0;
	if (b->len < SM_PREFIX_SIZE)
		return;
	for (uint32_t pos = 4; pos < SM_HEADER_SIZE; pos += 4)
		add_field(l, pos);
	for (int s = 0; s < SM_NSECTIONS; s++)
	{
		l->sec_off[s] = get32(b, SM_HEADER_SIZE + s * 8);
		l->sec_len[s] = get32(b, SM_HEADER_SIZE + s * 8 + 4);
		add_field(l, SM_HEADER_SIZE + s * 8);
		add_field(l, SM_HEADER_SIZE + s * 8 + 4);
		if (!sec_ok(l, b, s))
			return;
	}
	l->ok = true;

	/* META */
	if (l->sec_len[SM_SEC_META] >= SM_META_FIXED)
		for (uint32_t f = 0; f < SM_META_FIXED; f += 4)
			add_field(l, l->sec_off[SM_SEC_META] + f);

	/* BLOCK_INDEX -> BLOCKS */
	{
		uint32_t	o = l->sec_off[SM_SEC_BLOCK_INDEX];
		uint32_t	n = l->sec_len[SM_SEC_BLOCK_INDEX] / SM_BI_SIZE;

		for (uint32_t k = 0; k < n; k++)
		{
			uint32_t	e = o + k * SM_BI_SIZE;
			uint32_t	start = get32(b, e + SM_BI_OFFSET);
			uint32_t	end = k + 1 < n ? get32(b, e + SM_BI_SIZE + SM_BI_OFFSET) : l->sec_len[SM_SEC_BLOCKS];
			uint32_t	raw = get32(b, e + SM_BI_RAWLEN);

			for (uint32_t f = 0; f < SM_BI_SIZE; f += 4)
				add_field(l, e + f);
			if (start <= end && end <= l->sec_len[SM_SEC_BLOCKS])
				add_part(l, (Part) {SM_SEC_BLOCKS, start, end - start, (raw & SM_COMPRESSED) != 0,
							e + SM_BI_OFFSET, e + SM_BI_RAWLEN, 0});
		}
	}

	string_dir(l, b, SM_SEC_SOURCES, SM_SEC_SOURCES_DATA);
	string_dir(l, b, SM_SEC_NAMES, SM_SEC_NAMES_DATA);

	/* IGNORE */
	if (l->sec_len[SM_SEC_IGNORE] >= 4)
	{
		uint32_t	o = l->sec_off[SM_SEC_IGNORE];
		uint32_t	n = CAP(l->sec_len[SM_SEC_IGNORE] / 4, 64);

		for (uint32_t k = 0; k < n; k++)
			add_field(l, o + 4 * k);
	}

	/* FUNCTIONS (when the format has it): the function table header, breakpoints, name entries */
	if (l->sec_len[SM_SEC_FUNCTIONS] >= 16)
	{
		uint32_t	o = l->sec_off[SM_SEC_FUNCTIONS];
		uint32_t	nb = get32(b, o + 8);
		uint32_t	nn = get32(b, o + 12);

		for (uint32_t f = 0; f < 16; f += 4)
			add_field(l, o + f);
		nb = CAP(nb, 64);
		for (uint32_t k = 0; k < nb && o + 16 + (k + 1) * 12 <= l->sec_off[10] + l->sec_len[10]; k++)
			for (uint32_t f = 0; f < 12; f += 4)
				add_field(l, o + 16 + k * 12 + f);
		nn = CAP(nn, 32);
		for (uint32_t k = 0; k < nn; k++)
		{
			uint64_t	e = (uint64_t) o + 16 + (uint64_t) get32(b, o + 8) * 12 + k * 8;

			if (e + 8 > (uint64_t) l->sec_off[10] + l->sec_len[10])
				break;
			add_field(l, (uint32_t) e);
			add_field(l, (uint32_t) e + 4);
		}
	}

	/* CONTENT_INDEX -> CONTENT */
	{
		uint32_t	o = l->sec_off[SM_SEC_CONTENT_INDEX];
		uint32_t	n = l->sec_len[SM_SEC_CONTENT_INDEX] / SM_CI_SIZE;

		for (uint32_t k = 0; k < n; k++)
		{
			uint32_t	e = o + k * SM_CI_SIZE;
			uint32_t	start = get32(b, e + SM_CI_OFFSET);
			uint32_t	len = get32(b, e + SM_CI_STORED);
			uint32_t	kind = get32(b, e + SM_CI_KIND);

			for (uint32_t f = 0; f < SM_CI_SIZE; f += 4)
				add_field(l, e + f);
			if (kind != SM_CONTENT_NULL && (uint64_t) start + len <= l->sec_len[SM_SEC_CONTENT])
				add_part(l, (Part) {SM_SEC_CONTENT, start, len, kind == SM_CONTENT_ZLIB,
							e + SM_CI_OFFSET, e + SM_CI_RAWLEN, e + SM_CI_STORED});
		}
	}
}

/*
 * Replace n_old bytes at offset rel of section s by new bytes, keeping the
 * value consistent around them: the section's length, the offsets of the
 * later sections, the total length and the offsets of the parts that follow
 * in the same section.
 */
static void
splice_section(Buf *b, Layout *l, int s, uint32_t rel, uint32_t n_old,
			   const uint8_t *p, uint32_t n)
{
	int64_t		delta = (int64_t) n - n_old;
	uint32_t	abs = l->sec_off[s] + rel;

	for (int k = 0; k < l->nparts; k++)
		if (l->parts[k].sec == s && l->parts[k].rel > rel)
			put32(b, l->parts[k].off_field, get32(b, l->parts[k].off_field) + (uint32_t) delta);
	put32(b, SM_HEADER_SIZE + s * 8 + 4, l->sec_len[s] + (uint32_t) delta);
	for (int t = s + 1; t < SM_NSECTIONS; t++)
		put32(b, SM_HEADER_SIZE + t * 8, l->sec_off[t] + (uint32_t) delta);
	buf_splice(b, abs, n_old, p, n);
	put32(b, SM_H_TOTAL, (uint32_t) b->len);
	layout(l, b);
}

/* ---- zlib --------------------------------------------------------------- */

static bool
inflate_raw(const uint8_t *p, size_t n, Buf *out)
{
	z_stream	z = {0};
	int			rc;

	out->len = 0;
	if (inflateInit2(&z, -15) != Z_OK)
		return false;
	z.next_in = (Bytef *) p;
	z.avail_in = (uInt) n;
	do
	{
		buf_reserve(out, out->len + 65536);
		z.next_out = out->p + out->len;
		z.avail_out = (uInt) (out->cap - out->len);
		rc = inflate(&z, Z_NO_FLUSH);
		out->len = out->cap - z.avail_out;
		if (out->len > (64u << 20))
			rc = Z_DATA_ERROR;
	} while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	return rc == Z_STREAM_END || rc == Z_OK || rc == Z_BUF_ERROR;
}

static void
deflate_raw(const uint8_t *p, size_t n, Buf *out)
{
	z_stream	z = {0};

	deflateInit2(&z, 1 + below(9), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	buf_reserve(out, deflateBound(&z, n) + 16);
	z.next_in = (Bytef *) p;
	z.avail_in = (uInt) n;
	z.next_out = out->p;
	z.avail_out = (uInt) out->cap;
	deflate(&z, Z_FINISH);
	out->len = out->cap - z.avail_out;
	deflateEnd(&z);
}

/* ---- mutations ---------------------------------------------------------- */

enum
{
	OP_FLIP, OP_BYTE, OP_FIELD, OP_TRUNC, OP_EXTEND, OP_SWAP, OP_PART, OP_CROSS,
	OP_COPY, OP_WIRE, NOPS
};
static const char *op_names[NOPS] = {
	"bitflip", "byteset", "field", "truncate", "extend", "swap", "part", "crossover",
	"copyrange", "wireversion"
};

static Seed seeds[MAX_SEEDS];
static int	nseeds;
static Layout lay;
static Buf	tmp1, tmp2;

static uint32_t
interesting32(uint32_t old, size_t len)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 20, 31, 32, 40, 63, 64, 112, 127, 128, 255, 256,
		1023, 1024, 4095, 4096, 65535, 65536, 0x00ffffff, 0x3fffffff, 0x40000000,
		0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff
	};

	switch (below(8))
	{
		case 0:
			return old + 1;
		case 1:
			return old - 1;
		case 2:
			return old * 2 + below(2);
		case 3:
			return (uint32_t) len + below(3) - 1;
		case 4:
			return (uint32_t) rnd();
		case 5:
			return old ^ SM_COMPRESSED;
		default:
			return v[below(sizeof(v) / sizeof(v[0]))];
	}
}

static uint8_t
interesting8(void)
{
	static const uint8_t v[] = {0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe, '"', '\\', ';', ','};

	return chance(0.5) ? v[below(sizeof(v))] : (uint8_t) rnd();
}

/* Damage the raw bytes of a decoded part. */
static void
damage_raw(Buf *r)
{
	int			n = 1 + (chance(0.3) ? below(4) : 0);

	for (int i = 0; i < n; i++)
	{
		uint32_t	pos = below(r->len + 1);

		switch (below(7))
		{
			case 0:				/* bit flip */
				if (r->len)
					r->p[pos % r->len] ^= (uint8_t) (1u << below(8));
				break;
			case 1:				/* edge byte */
				if (r->len)
					r->p[pos % r->len] = interesting8();
				break;
			case 2:				/* insert bytes */
				{
					uint8_t		ins[16];
					uint32_t	k = 1 + below(sizeof(ins));

					for (uint32_t j = 0; j < k; j++)
						ins[j] = chance(0.5) ? 0xff : (uint8_t) rnd();
					buf_splice(r, pos, 0, ins, k);
				}
				break;
			case 3:				/* delete a range */
				if (pos < r->len)
				{
					uint32_t	k = 1 + below(64);

					if (k > r->len - pos)
						k = r->len - pos;
					buf_splice(r, pos, k, NULL, 0);
				}
				break;
			case 4:				/* truncate */
				r->len = pos;
				break;
			case 5:				/* a huge or negative varint */
				{
					static const uint8_t big[][10] = {
						{0xff, 0xff, 0xff, 0xff, 0x0f},
						{0xff, 0xff, 0xff, 0xff, 0x07},
						{0xfe, 0xff, 0xff, 0xff, 0x0f},
						{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
						{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80},
					};
					int			w = below(5);

					buf_splice(r, pos, chance(0.5) && pos < r->len ? 1 : 0, big[w], w < 3 ? 5 : 10);
				}
				break;
			case 6:				/* duplicate a range */
				if (r->len)
				{
					uint32_t	a = below(r->len);
					uint32_t	k = 1 + below(r->len - a < 256 ? r->len - a : 256);

					buf_set(&tmp2, r->p + a, k);
					buf_splice(r, pos, 0, tmp2.p, k);
				}
				break;
		}
	}
}

static void
op_part(Buf *b)
{
	Part		pt;
	Buf			raw = {0};
	bool		was_compressed;

	if (!lay.ok || lay.nparts == 0)
		return;
	pt = lay.parts[below(lay.nparts)];
	was_compressed = pt.compressed;
	if (pt.compressed)
	{
		if (!inflate_raw(b->p + lay.sec_off[pt.sec] + pt.rel, pt.len, &raw))
			buf_set(&raw, b->p + lay.sec_off[pt.sec] + pt.rel, pt.len);
	}
	else
		buf_set(&raw, b->p + lay.sec_off[pt.sec] + pt.rel, pt.len);
	damage_raw(&raw);
	/* mostly keep the raw length field right, so the decoder itself is reached */
	if (chance(0.8))
	{
		uint32_t	rf = get32(b, pt.raw_field);

		put32(b, pt.raw_field, pt.sec == SM_SEC_CONTENT ? (uint32_t) raw.len
			  : ((uint32_t) raw.len | (rf & SM_COMPRESSED)));
	}
	if (chance(0.05))
		was_compressed = !was_compressed;	/* stored form of the other kind */
	if (was_compressed)
		deflate_raw(raw.p, raw.len, &tmp1);
	else
		buf_set(&tmp1, raw.p, raw.len);
	if (pt.stored_field)
		put32(b, pt.stored_field, (uint32_t) tmp1.len);
	splice_section(b, &lay, pt.sec, pt.rel, pt.len, tmp1.p, (uint32_t) tmp1.len);
	free(raw.p);
}

static void
op_swap(Buf *b)
{
	int			i,
				j;

	if (!lay.ok)
		return;
	i = below(SM_NSECTIONS);
	j = below(SM_NSECTIONS);
	if (i == j)
		j = (i + 1) % SM_NSECTIONS;
	if (i > j)
	{
		int			t = i;

		i = j;
		j = t;
	}
	switch (below(4))
	{
		case 0:				/* swap two toc entries */
			{
				uint8_t		t[8];

				memcpy(t, b->p + SM_HEADER_SIZE + i * 8, 8);
				memcpy(b->p + SM_HEADER_SIZE + i * 8, b->p + SM_HEADER_SIZE + j * 8, 8);
				memcpy(b->p + SM_HEADER_SIZE + j * 8, t, 8);
			}
			break;
		case 1:				/* exchange the bytes of sections i and j: the toc either */
		case 2:				/* stays contiguous or follows the data (out of order) */
			{
				Buf			out = {0};
				uint32_t	pos = SM_PREFIX_SIZE;
				uint32_t	newoff[SM_NSECTIONS],
							newlen[SM_NSECTIONS];
				int			order[SM_NSECTIONS];

				for (int s = 0; s < SM_NSECTIONS; s++)
					order[s] = s;
				order[i] = j;
				order[j] = i;
				buf_set(&out, b->p, SM_PREFIX_SIZE);
				for (int s = 0; s < SM_NSECTIONS; s++)
				{
					int			src = order[s];

					buf_reserve(&out, out.len + lay.sec_len[src]);
					memcpy(out.p + out.len, b->p + lay.sec_off[src], lay.sec_len[src]);
					out.len += lay.sec_len[src];
					newoff[s] = pos;
					newlen[s] = lay.sec_len[src];
					pos += lay.sec_len[src];
				}
				/* toc contiguous: entry s describes slot s, which holds section order[s] */
				for (int s = 0; s < SM_NSECTIONS; s++)
				{
					sm_put32(out.p + SM_HEADER_SIZE + s * 8, newoff[s]);
					sm_put32(out.p + SM_HEADER_SIZE + s * 8 + 4, newlen[s]);
				}
				if (rnd() & 1)
				{
					/* case 2: each toc entry points at its own (moved) data */
					int			si = i,
								sj = j;

					sm_put32(out.p + SM_HEADER_SIZE + si * 8, newoff[sj]);
					sm_put32(out.p + SM_HEADER_SIZE + si * 8 + 4, newlen[sj]);
					sm_put32(out.p + SM_HEADER_SIZE + sj * 8, newoff[si]);
					sm_put32(out.p + SM_HEADER_SIZE + sj * 8 + 4, newlen[si]);
				}
				buf_set(b, out.p, out.len);
				free(out.p);
			}
			break;
		case 3:				/* swap two parts of the same section, index unchanged */
			{
				Part		a,
							c;

				if (lay.nparts < 2)
					return;
				a = lay.parts[below(lay.nparts)];
				c = lay.parts[below(lay.nparts)];
				if (a.sec != c.sec || a.rel == c.rel)
					return;
				if (a.rel > c.rel)
				{
					Part		t = a;

					a = c;
					c = t;
				}
				if (a.rel + a.len > c.rel)
					return;
				{
					Buf			out = {0};
					uint32_t	base = lay.sec_off[a.sec];

					buf_set(&out, b->p, base + a.rel);
					buf_reserve(&out, b->len);
					memcpy(out.p + out.len, b->p + base + c.rel, c.len);
					out.len += c.len;
					memcpy(out.p + out.len, b->p + base + a.rel + a.len, c.rel - a.rel - a.len);
					out.len += c.rel - a.rel - a.len;
					memcpy(out.p + out.len, b->p + base + a.rel, a.len);
					out.len += a.len;
					memcpy(out.p + out.len, b->p + base + c.rel + c.len, b->len - (base + c.rel + c.len));
					out.len += b->len - (base + c.rel + c.len);
					buf_set(b, out.p, out.len);
					free(out.p);
				}
			}
			break;
	}
}

static void
op_cross(Buf *b)
{
	const Seed *o = &seeds[below(nseeds)];
	Buf			ob = {0};
	Layout		ol = {0};
	int			s = below(SM_NSECTIONS);

	if (!lay.ok)
		return;
	buf_set(&ob, o->data, o->len);
	layout(&ol, &ob);
	if (ol.ok)
	{
		Layout		l2 = lay;

		l2.nparts = 0;			/* inner offsets are not adjusted: they belong to the other seed */
		splice_section(b, &l2, s, 0, lay.sec_len[s], ob.p + ol.sec_off[s], ol.sec_len[s]);
		lay = l2;
	}
	free(ob.p);
	free(ol.fields);
	free(ol.parts);
}

/* Apply one mutation; returns a mask of what it deliberately broke. */
#define KEEP_TOTAL 1
#define KEEP_SUM 2
#define BAD_WIRE 4

static int
mutate_once(Buf *b, int op)
{
	layout(&lay, b);
	switch (op)
	{
		case OP_FLIP:
			for (int i = 0, n = 1 + below(4); i < n && b->len; i++)
				b->p[below(b->len)] ^= (uint8_t) (1u << below(8));
			return 0;
		case OP_BYTE:
			for (int i = 0, n = 1 + below(4); i < n && b->len; i++)
			{
				/* half of them in the prefix, where the counts are */
				size_t		lim = chance(0.5) && b->len > SM_PREFIX_SIZE + 64 ? SM_PREFIX_SIZE + 64 : b->len;

				b->p[below(lim)] = interesting8();
			}
			return 0;
		case OP_FIELD:
			{
				uint32_t	pos;

				if (!lay.ok || lay.nfields == 0)
					return mutate_once(b, OP_BYTE);
				/* header and toc fields get a fair share */
				pos = chance(0.3) ? lay.fields[below(lay.nfields < 28 ? lay.nfields : 28)]
					: lay.fields[below(lay.nfields)];
				put32(b, pos, interesting32(get32(b, pos), b->len));
				if (pos == SM_H_TOTAL)
					return KEEP_TOTAL;
				if (pos == SM_H_CHECKSUM || pos == SM_H_CHECKSUM + 4)
					return KEEP_SUM;
				return 0;
			}
		case OP_TRUNC:
			{
				size_t		n;

				if (lay.ok && chance(0.4))
				{
					int			s = below(SM_NSECTIONS);

					n = lay.sec_off[s] + (chance(0.5) ? 0 : lay.sec_len[s]) + below(5) - 2;
				}
				else if (chance(0.2))
					n = below(SM_PREFIX_SIZE + 8);
				else
					n = below(b->len);
				if (n < b->len)
					b->len = n;
				return 0;
			}
		case OP_EXTEND:
			{
				uint32_t	k = chance(0.7) ? 1 + below(16) : 1 + below(8192);
				int			s = SM_SEC_CONTENT;

				buf_reserve(b, b->len + k);
				for (uint32_t i = 0; i < k; i++)
					b->p[b->len + i] = chance(0.5) ? 0 : (uint8_t) rnd();
				b->len += k;
				if (lay.ok && chance(0.5))
				{
					/* the last section (or another one) claims the new bytes */
					if (chance(0.3))
						s = below(SM_NSECTIONS);
					put32(b, SM_HEADER_SIZE + s * 8 + 4, lay.sec_len[s] + k);
				}
				return 0;
			}
		case OP_SWAP:
			op_swap(b);
			return 0;
		case OP_PART:
			op_part(b);
			return 0;
		case OP_CROSS:
			op_cross(b);
			return 0;
		case OP_COPY:
			if (b->len > 8)
			{
				uint32_t	src = below(b->len),
							dst = below(b->len);
				uint32_t	k = 1 + below(64);

				if (src + k > b->len)
					k = b->len - src;
				if (dst + k > b->len)
					k = b->len - dst;
				memmove(b->p + dst, b->p + src, k);
			}
			return 0;
		case OP_WIRE:
			return BAD_WIRE;
	}
	return 0;
}


/*
 * Recompute the content digest of a format version 3 value whose layout
 * still allows it (a damaged part leaves the old digest, which validation
 * then refuses unless an earlier check does).
 */
static void
fix_digest(Buf *b)
{
	SmError		err = {0};
	uint64_t	d;

	if (b->len >= SM_PREFIX_SIZE && sm_get16(b->p + SM_H_VERSION) == SM_FORMAT_VERSION &&
		sm_digest_compute(b->p, b->len, NULL, &sm_malloc_env, &d, &err))
		sm_put64(b->p + SM_H_DIGEST, d);
}

/* Build mutant i: returns the wire bytes (version byte + stored form). */
static int
make_mutant(uint64_t run_seed, uint64_t i, Buf *out, int *seed_idx, int *first_op)
{
	Buf			b = {0};
	int			flags = 0;
	int			nops;
	double		total = 0,
				x;
	int			s = 0;

	rng = splitmix(run_seed ^ splitmix(i + 1)) | 1;
	for (int k = 0; k < nseeds; k++)
		total += seeds[k].weight;
	x = (rnd() >> 11) * (1.0 / 9007199254740992.0) * total;
	for (s = 0; s < nseeds - 1; s++)
	{
		if (x < seeds[s].weight)
			break;
		x -= seeds[s].weight;
	}
	*seed_idx = s;
	buf_set(&b, seeds[s].data, seeds[s].len);
	nops = chance(0.7) ? 1 : chance(0.7) ? 2 : 3 + below(3);
	for (int k = 0; k < nops; k++)
	{
		static const int weights[NOPS] = {14, 10, 26, 6, 6, 6, 22, 4, 5, 1};
		int			w = below(100),
					op = 0;

		while (op < NOPS - 1 && w >= weights[op])
			w -= weights[op++];
		if (k == 0)
			*first_op = op;
		flags |= mutate_once(&b, op);
	}
	/* fix-ups, so the mutant reaches past the cheap checks */
	if (!(flags & KEEP_TOTAL) && b.len >= 12 && chance(0.85))
		put32(&b, SM_H_TOTAL, (uint32_t) b.len);
	if (!(flags & KEEP_SUM) && b.len >= SM_PREFIX_SIZE && chance(0.9))
		sm_put64(b.p + SM_H_CHECKSUM, sm_checksum(b.p + SM_PREFIX_SIZE, b.len - SM_PREFIX_SIZE));
	if (!(flags & KEEP_SUM) && chance(0.9))
		fix_digest(&b);
	buf_reserve(out, b.len + 1);
	out->p[0] = (flags & BAD_WIRE) ? (uint8_t) (2 + below(254)) : 1;
	memcpy(out->p + 1, b.p, b.len);
	out->len = b.len + 1;
	free(b.p);
	return 0;
}

/* Write u32 values into a stored form (section-relative) and fix its checksum. */
static void
poke(Buf *b, long (*pokes)[3], int npokes, bool verbose)
{
	layout(&lay, b);
	for (int k = 0; k < npokes; k++)
	{
		long		pos = pokes[k][0] < 0 ? pokes[k][1]
			: (long) lay.sec_off[pokes[k][0] % SM_NSECTIONS] + pokes[k][1];

		if (verbose)
			printf("poke: byte %ld (u32 %u -> %lu)\n", pos, get32(b, pos), (unsigned long) pokes[k][2]);
		put32(b, pos, (uint32_t) pokes[k][2]);
	}
	if (b->len >= SM_PREFIX_SIZE)
		sm_put64(b->p + SM_H_CHECKSUM, sm_checksum(b->p + SM_PREFIX_SIZE, b->len - SM_PREFIX_SIZE));
	fix_digest(b);
}

/* ---- the server side -------------------------------------------------- */

static PGconn *conn;
static Oid	sm_oid;
static int	backend_pid;
static const char *outdir = ".";

static void
die_conn(const char *what)
{
	fprintf(stderr, "mutate: %s: %s", what, PQerrorMessage(conn));
	exit(2);
}

static PGresult *
exec_ok(const char *sql)
{
	PGresult   *r = PQexec(conn, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
	{
		fprintf(stderr, "mutate: %s: %s", sql, PQresultErrorMessage(r));
		exit(2);
	}
	return r;
}

static void
setup(void)
{
	PGresult   *r;
	const char *types[1];

	conn = PQconnectdb("");
	if (PQstatus(conn) != CONNECTION_OK)
		die_conn("connect");
	/*
	 * A hang detector, not a speed test: a valid value of 190 bytes may
	 * claim 2^27 empty lines, and the battery then moves its canonical JSON
	 * (134 MB of ';') through output, input and PL/pgSQL some twenty times,
	 * about 25 s on an idle development machine.  Half an hour leaves room
	 * for a machine tens of times slower or busier; only a statement that
	 * never ends reaches it.
	 */
	PQclear(exec_ok("SET statement_timeout = '30min'"));
	/*
	 * Generic plans for the battery's statements: a custom plan folds the
	 * parameters in as constants, and the planner copies them around (that
	 * doubles the time above).
	 */
	PQclear(exec_ok("SET plan_cache_mode = force_generic_plan"));
	/* tens of thousands of expected errors: keep them out of the server log */
	PQclear(PQexec(conn, "SET log_min_messages = fatal"));
	PQclear(PQexec(conn, "SET log_min_error_statement = panic"));
	r = exec_ok("SELECT 'sourcemap'::regtype::oid, pg_backend_pid()");
	sm_oid = (Oid) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	backend_pid = atoi(PQgetvalue(r, 0, 1));
	PQclear(r);
	(void) types;

	/* recv only */
	r = PQprepare(conn, "recv", "SELECT $1 IS NOT NULL", 1, (Oid[]) {sm_oid});
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die_conn("prepare recv");
	PQclear(r);
	/* every function on the in-memory value; $2 is the wire form it must send back */
	r = PQprepare(conn, "direct", "SELECT hard_battery($1, $2, NULL)", 2,
				  (Oid[]) {sm_oid, 17});
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die_conn("prepare direct");
	PQclear(r);
	r = PQprepare(conn, "store", "INSERT INTO hard_mut VALUES ($1)", 1, (Oid[]) {sm_oid});
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die_conn("prepare store");
	PQclear(r);
	/* every function on the stored value (read through TOAST slices when large) */
	r = PQprepare(conn, "stored", "SELECT hard_battery(NULL, $1, 'hard_mut')", 1, (Oid[]) {17});
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die_conn("prepare stored");
	PQclear(r);
}

static void
load_seeds(void)
{
	PGresult   *r = PQexecParams(conn,
								 "SELECT name, sourcemap_send(m), octet_length(sourcemap_send(m)) "
								 "FROM hard_seed ORDER BY name",
								 0, NULL, NULL, NULL, NULL, 1);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die_conn("load seeds");
	for (int i = 0; i < PQntuples(r) && nseeds < MAX_SEEDS; i++)
	{
		Seed	   *s = &seeds[nseeds++];
		int			n = PQgetlength(r, i, 1);

		s->name = strndup(PQgetvalue(r, i, 0), PQgetlength(r, i, 0));
		s->len = n - 1;
		s->data = malloc(n);
		memcpy(s->data, PQgetvalue(r, i, 1) + 1, n - 1);
		/* small maps are cheap to validate: favour them, but try every one */
		s->weight = 1.0 / (1.0 + s->len / 20000.0);
	}
	PQclear(r);
	if (nseeds == 0)
	{
		fprintf(stderr, "mutate: no seeds in hard_seed\n");
		exit(2);
	}
}

/* ---- outcomes ------------------------------------------------------- */

static long n_tried, n_accepted, n_rejected, n_failed, n_unchanged, n_noncanonical;
static long by_state[64];
static char state_names[64][6];
static int	nstates;
static long op_tried[NOPS], op_accepted[NOPS];

static void
count_state(const char *st)
{
	for (int i = 0; i < nstates; i++)
		if (strcmp(state_names[i], st) == 0)
		{
			by_state[i]++;
			return;
		}
	if (nstates < 64)
	{
		snprintf(state_names[nstates], 6, "%s", st);
		by_state[nstates++] = 1;
	}
}

/* failures by kind: why, SQLSTATE and the start of the message */
#define MAX_SIGS 64
static char fail_sig[MAX_SIGS][160];
static long fail_sig_n[MAX_SIGS];
static long fail_sig_first[MAX_SIGS];
static int	nsigs;

static void
count_failure(uint64_t i, const char *why, const char *detail)
{
	char		sig[160];
	const char *msg = strstr(detail, "ERROR:  ");
	size_t		n;

	snprintf(sig, sizeof(sig), "%s: %s", why, msg ? msg + 8 : detail);
	/* up to the first digit run or colon after the start, so counts and offsets do not split kinds */
	n = strlen(why) + 2;
	while (sig[n] && sig[n] != '\n' && !(sig[n] >= '0' && sig[n] <= '9') && n < 150)
		n++;
	sig[n] = '\0';
	for (int k = 0; k < nsigs; k++)
		if (strcmp(fail_sig[k], sig) == 0)
		{
			fail_sig_n[k]++;
			return;
		}
	if (nsigs < MAX_SIGS)
	{
		snprintf(fail_sig[nsigs], sizeof(fail_sig[0]), "%s", sig);
		fail_sig_n[nsigs] = 1;
		fail_sig_first[nsigs++] = (long) i;
	}
}

static void
save_failure(uint64_t i, const Buf *m, const char *why, const char *detail)
{
	char		path[4096];
	FILE	   *f;

	n_failed++;
	count_failure(i, why, detail);
	snprintf(path, sizeof(path), "%s/fail-%llu.bin", outdir, (unsigned long long) i);
	f = fopen(path, "wb");
	if (f)
	{
		fwrite(m->p, 1, m->len, f);
		fclose(f);
	}
	if (n_failed <= MAX_FAIL_PRINT)
		printf("FAIL mutant %llu (%s): %s [saved %s]\n", (unsigned long long) i, why,
			   detail, path);
}

static bool
alive(void)
{
	PGresult   *r;
	bool		ok;

	if (PQstatus(conn) != CONNECTION_OK)
		return false;
	r = PQexec(conn, "SELECT pg_backend_pid()");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) == backend_pid;
	PQclear(r);
	return ok;
}

static const char *
state_of(PGresult *r)
{
	const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	return s ? s : "?????";
}

static bool
clean_reject(const char *st)
{
	return strncmp(st, "22", 2) == 0 || strncmp(st, "54", 2) == 0;
}

/* Send one mutant; returns false when the server is gone. */
static bool
try_mutant(uint64_t i, const Buf *m, int op, bool verbose)
{
	const char *vals[2] = {(const char *) m->p, (const char *) m->p};
	int			lens[2] = {(int) m->len, (int) m->len};
	int			fmts[2] = {1, 1};
	PGresult   *r;
	char		detail[600];

	n_tried++;
	op_tried[op]++;
	r = PQexecPrepared(conn, "recv", 1, vals, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
	{
		const char *st = state_of(r);

		if (verbose)
			printf("rejected: %s %s", st, PQresultErrorMessage(r));
		count_state(st);
		if (PQstatus(conn) != CONNECTION_OK || !alive())
		{
			snprintf(detail, sizeof(detail), "server connection lost: %s", PQerrorMessage(conn));
			save_failure(i, m, "crash", detail);
			PQclear(r);
			return false;
		}
		if (!clean_reject(st))
		{
			snprintf(detail, sizeof(detail), "recv error %s: %s", st, PQresultErrorMessage(r));
			save_failure(i, m, "unclean error", detail);
		}
		else
			n_rejected++;
		PQclear(r);
		return true;
	}
	PQclear(r);
	n_accepted++;
	op_accepted[op]++;
	if (verbose)
		printf("accepted\n");

	/* every function, in memory */
	r = PQexecPrepared(conn, "direct", 2, vals, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
	{
		snprintf(detail, sizeof(detail), "function on accepted value (in memory) %s: %s",
				 state_of(r), PQresultErrorMessage(r));
		if (!alive())
		{
			save_failure(i, m, "crash", detail);
			PQclear(r);
			return false;
		}
		save_failure(i, m, "accepted value not handled", detail);
		PQclear(r);
		return true;
	}
	if (verbose)
		printf("in memory: %s\n", PQgetvalue(r, 0, 0));
	if (strstr(PQgetvalue(r, 0, 0), "canonical=false"))
		n_noncanonical++;		/* the same map, but JSON in and out gives other bytes */
	PQclear(r);

	/* stored in a table, then every function on the stored value */
	r = PQexecPrepared(conn, "store", 1, vals, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
	{
		snprintf(detail, sizeof(detail), "insert of accepted value %s: %s",
				 state_of(r), PQresultErrorMessage(r));
		if (!alive())
		{
			save_failure(i, m, "crash", detail);
			PQclear(r);
			return false;
		}
		save_failure(i, m, "accepted value not stored", detail);
		PQclear(r);
		return true;
	}
	PQclear(r);
	r = PQexecPrepared(conn, "stored", 1, vals + 1, lens + 1, fmts + 1, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
	{
		snprintf(detail, sizeof(detail), "function on accepted value (stored) %s: %s",
				 state_of(r), PQresultErrorMessage(r));
		if (!alive())
		{
			save_failure(i, m, "crash", detail);
			PQclear(r);
			return false;
		}
		save_failure(i, m, "accepted value not handled", detail);
	}
	else if (verbose)
		printf("stored: %s\n", PQgetvalue(r, 0, 0));
	PQclear(r);
	PQclear(exec_ok("DELETE FROM hard_mut"));
	return true;
}

/*
 * After a crash the postmaster reinitializes: wait for it (up to a minute)
 * and open a new session, so that one run reports every crashing mutant.
 */
static long n_crashes;

static bool
reconnect(void)
{
	n_crashes++;
	PQfinish(conn);
	for (int k = 0; k < 120; k++)
	{
		struct timespec ts = {0, 500 * 1000 * 1000};

		nanosleep(&ts, NULL);
		conn = PQconnectdb("");
		if (PQstatus(conn) == CONNECTION_OK)
		{
			PQfinish(conn);
			setup();
			printf("  reconnected after the crash (new backend %d)\n", backend_pid);
			return true;
		}
		PQfinish(conn);
	}
	return false;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mutate [--count N] [--seed S] [--only I] [--out DIR] [--replay FILE]\n"
			"       mutate --craft SEED_NAME --poke SECTION,OFFSET,VALUE [--poke ...]\n"
			"       mutate --filter --poke SECTION,OFFSET,VALUE [--poke ...] < hex\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long		count = 20000;
	uint64_t	run_seed = 1;
	long long	only = -1;
	const char *replay = NULL;
	const char *craft = NULL;
	bool		filter = false;
	long		pokes[16][3];
	int			npokes = 0;
	Buf			m = {0};
	time_t		t0 = time(NULL);
	bool		up = true;

	for (int a = 1; a < argc; a++)
	{
		if (strcmp(argv[a], "--count") == 0 && a + 1 < argc)
			count = atol(argv[++a]);
		else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc)
			run_seed = strtoull(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc)
			only = atoll(argv[++a]);
		else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc)
			outdir = argv[++a];
		else if (strcmp(argv[a], "--replay") == 0 && a + 1 < argc)
			replay = argv[++a];
		else if (strcmp(argv[a], "--craft") == 0 && a + 1 < argc)
			craft = argv[++a];
		else if (strcmp(argv[a], "--filter") == 0)
			filter = true;
		else if (strcmp(argv[a], "--poke") == 0 && a + 1 < argc && npokes < 16)
		{
			if (sscanf(argv[++a], "%ld,%ld,%ld", &pokes[npokes][0], &pokes[npokes][1],
					   &pokes[npokes][2]) != 3)
				usage();
			npokes++;
		}
		else
			usage();
	}
	if (filter)
	{
		Buf			b = {0};
		int			c,
					hi = -1;

		/* hex of the wire form (version byte first) in, hex out */
		while ((c = getchar()) != EOF)
		{
			int			v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (v < 0)
				continue;
			if (hi < 0)
				hi = v;
			else
			{
				buf_reserve(&b, b.len + 1);
				b.p[b.len++] = (uint8_t) (hi << 4 | v);
				hi = -1;
			}
		}
		if (b.len < 1)
			return 2;
		{
			Buf			st = {0};

			buf_set(&st, b.p + 1, b.len - 1);
			poke(&st, pokes, npokes, false);
			printf("%02x", b.p[0]);
			for (size_t k = 0; k < st.len; k++)
				printf("%02x", st.p[k]);
			printf("\n");
		}
		return 0;
	}
	if ((replay || craft) && strcmp(outdir, ".") == 0)
		outdir = "/tmp";
	setup();
	if (replay)
	{
		FILE	   *f = fopen(replay, "rb");
		long		n;

		if (!f)
		{
			perror(replay);
			return 2;
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf_reserve(&m, n);
		m.len = fread(m.p, 1, n, f);
		fclose(f);
		up = try_mutant(0, &m, 0, true);
		printf("replay: %s\n", !up ? "server crashed" : n_failed ? "FAILED" : "ok");
		return !up ? 2 : n_failed ? 1 : 0;
	}
	load_seeds();
	if (craft)
	{
		Seed	   *sd = NULL;
		Buf			b = {0};

		for (int k = 0; k < nseeds; k++)
			if (strcmp(seeds[k].name, craft) == 0)
				sd = &seeds[k];
		if (!sd)
		{
			fprintf(stderr, "mutate: no seed named %s\n", craft);
			return 2;
		}
		buf_set(&b, sd->data, sd->len);
		poke(&b, pokes, npokes, true);
		buf_reserve(&m, b.len + 1);
		m.p[0] = 1;
		memcpy(m.p + 1, b.p, b.len);
		m.len = b.len + 1;
		if (m.len <= 4096)
		{
			printf("crafted value (binary form, hex): ");
			for (size_t k = 0; k < m.len; k++)
				printf("%02x", m.p[k]);
			printf("\n");
		}
		up = try_mutant(0, &m, 0, true);
		printf("crafted: %s\n", !up ? "server crashed" : n_failed ? "FAILED" : "ok");
		return !up ? 2 : n_failed ? 1 : 0;
	}
	printf("seeds:");
	for (int s = 0; s < nseeds; s++)
		printf(" %s (%zu bytes)", seeds[s].name, seeds[s].len);
	printf("\n");

	for (long long i = only >= 0 ? only : 0; up && i < (only >= 0 ? only + 1 : count); i++)
	{
		int			si = 0,
					op = 0;

		make_mutant(run_seed, (uint64_t) i, &m, &si, &op);
		if (m.len == seeds[si].len + 1 && m.p[0] == 1 && memcmp(m.p + 1, seeds[si].data, seeds[si].len) == 0)
		{
			n_unchanged++;		/* the mutation happened to change nothing */
			continue;
		}
		{
			struct timespec a, z;
			long		acc = n_accepted;

			clock_gettime(CLOCK_MONOTONIC, &a);
			up = try_mutant((uint64_t) i, &m, op, only >= 0);
			if (!up && only < 0 && reconnect())
				up = true;	/* counted as a crash; go on with the next mutant */
			clock_gettime(CLOCK_MONOTONIC, &z);
			seeds[si].tried++;
			seeds[si].accepted += n_accepted - acc;
			seeds[si].seconds += (z.tv_sec - a.tv_sec) + (z.tv_nsec - a.tv_nsec) / 1e9;
		}
		if (i > 0 && i % 5000 == 0)
		{
			printf("  %lld mutants, %ld accepted, %ld failed, %lds\n", i, n_accepted, n_failed,
				   (long) (time(NULL) - t0));
			fflush(stdout);
		}
	}
	if (up && !alive())
		up = false;

	printf("mutants: %ld tried, %ld rejected cleanly, %ld accepted (every function ran on each), "
		   "%ld failed (%ld server crashes), %ld unchanged skipped, %lds\n",
		   n_tried, n_rejected, n_accepted, n_failed, n_crashes, n_unchanged, (long) (time(NULL) - t0));
	if (nsigs)
	{
		printf("failures by kind (count, first mutant):\n");
		for (int k = 0; k < nsigs; k++)
			printf("  %6ld  %-8ld %s\n", fail_sig_n[k], fail_sig_first[k], fail_sig[k]);
	}
	printf("accepted values whose canonical JSON reads back to other bytes (the same map): %ld\n",
		   n_noncanonical);
	printf("rejections by SQLSTATE:");
	for (int k = 0; k < nstates; k++)
		printf(" %s=%ld", state_names[k], by_state[k]);
	printf("\nby first mutation (tried/accepted):");
	for (int k = 0; k < NOPS; k++)
		printf(" %s=%ld/%ld", op_names[k], op_tried[k], op_accepted[k]);
	printf("\nby seed (tried/accepted, seconds):");
	for (int k = 0; k < nseeds; k++)
		printf(" %s=%ld/%ld,%.1fs", seeds[k].name, seeds[k].tried, seeds[k].accepted, seeds[k].seconds);
	if (n_crashes)
		printf("\nSERVER CRASHED %ld times (see the FAIL lines)\n", n_crashes);
	else
		printf("\nbackend %d %s\n", backend_pid, up ? "survived every mutant (same connection)" : "LOST");
	PQfinish(conn);
	return !up || n_crashes ? 2 : n_failed ? 1 : 0;
}
