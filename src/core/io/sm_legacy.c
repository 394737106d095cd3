/*
 * sm_legacy.c -- read values stored by releases 0.1.0 and 0.2.0
 * (sm_legacy.h; the layouts are in doc/FORMAT.md, "Values of format
 * version 1").
 *
 * A 0.2.0 value (format version 1, eleven sections) lacks only the KEPT
 * and SOURCE_FUNCTIONS sections of version 2, which are empty for every
 * map it could hold: converting it inserts them, empty, and checks the
 * result with sm_validate; nothing else changes.
 *
 * A 0.1.0 value differs from today's in two ways: it has no FUNCTIONS
 * section, and a mapping block holds each segment's fields one after the
 * other instead of one stream per field.  Converting it decodes every block
 * with every check the current decoder makes, plus the shape the 0.1.0
 * writer gave its blocks (which the development snapshots' blocks do not
 * have), writes the segments again with today's block writer, keeps the
 * other sections' bytes, and checks the result with sm_validate.  Going once
 * through the JSON form and sm_build then gives today's bytes (block size
 * changed since 0.1.0).  Either way the result has today's content, which is
 * what `=` and hashing compare (format/sm_digest.h).
 */
#include <stdio.h>

#include "base/sm_limits.h"
#include "format/sm_blocks.h"
#include "format/sm_digest.h"
#include "format/sm_format.h"
#include "io/sm_io.h"
#include "io/sm_legacy.h"

/* release 0.1.0: the sections of SmSection up to CONTENT */
#define V010_NSECTIONS		10
/* release 0.2.0: the same and FUNCTIONS */
#define V020_NSECTIONS		11
#define V1_PREFIX(nsect)	(SM_HEADER_SIZE + (nsect) * SM_TOC_ENTRY_SIZE)
/* its writer ended a block at the first new position after 256 segments */
#define V010_BLOCK_SEGMENTS	256
/* zlib cannot expand data by more than about 1032:1 */
#define V010_ZLIB_RATIO		1100

typedef struct V010
{
	const uint8_t *data;
	size_t		len;
	int			nsect;			/* V010_NSECTIONS or V020_NSECTIONS */
	uint32_t	off[V020_NSECTIONS];
	uint32_t	slen[V020_NSECTIONS];
	SmBlockLimits lim;			/* META's source, name and line counts */
	uint32_t	nblocks;
	uint64_t	nsegments;
	const SmEnv *env;
	SmError    *err;
} V010;

bool
sm_legacy_detect(const uint8_t *data, size_t len)
{
	return len >= SM_HEADER_SIZE && sm_get32(data + SM_H_MAGIC) == SM_MAGIC &&
		sm_get16(data + SM_H_VERSION) == 1 &&
		(sm_get32(data + SM_H_NSECT) == V010_NSECTIONS || sm_get32(data + SM_H_NSECT) == V020_NSECTIONS);
}

/* Header, table of contents and META's counts. */
static bool
read_layout(V010 *v)
{
	const uint8_t *d = v->data;
	uint64_t	expect;
	const uint8_t *meta;

	if (!sm_legacy_detect(d, v->len))
		return sm_fail(v->err, SM_E_BINARY, "header too short or not of that layout");
	v->nsect = (int) sm_get32(d + SM_H_NSECT);
	expect = V1_PREFIX(v->nsect);
	if (v->len < expect)
		return sm_fail(v->err, SM_E_BINARY, "value too short for its table of contents");
	if (sm_get32(d + SM_H_TOTAL) != v->len)
		return sm_fail(v->err, SM_E_BINARY, "header says %u bytes, the value has %zu",
					   sm_get32(d + SM_H_TOTAL), v->len);
	if (sm_get16(d + SM_H_FLAGS) & ~SM_FLAGS_KNOWN)
		return sm_fail(v->err, SM_E_BINARY, "unknown header flags");
	for (int i = 0; i < 8; i++)		/* the digest field of version 3 was reserved */
		if (d[SM_H_DIGEST + i] != 0)
			return sm_fail(v->err, SM_E_BINARY, "reserved header bytes are not zero");
	if (sm_get64(d + SM_H_CHECKSUM) != sm_checksum(d + expect, v->len - expect))
		return sm_fail(v->err, SM_E_BINARY, "checksum mismatch");
	for (int i = 0; i < v->nsect; i++)
	{
		v->off[i] = sm_get32(d + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE);
		v->slen[i] = sm_get32(d + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + 4);
		if (v->off[i] != expect || v->slen[i] > v->len - v->off[i])
			return sm_fail(v->err, SM_E_BINARY, "section %d is not where the table of contents says", i);
		expect += v->slen[i];
	}
	if (expect != v->len)
		return sm_fail(v->err, SM_E_BINARY, "sections do not end at the end of the value");
	if (v->slen[SM_SEC_META] < SM_META_FIXED)
		return sm_fail(v->err, SM_E_BINARY, "META section too short");
	meta = d + v->off[SM_SEC_META];
	v->lim = (SmBlockLimits) {
		sm_get32(meta + SM_META_SOURCES), sm_get32(meta + SM_META_NAMES), sm_get32(meta + SM_META_LINES)
	};
	v->nblocks = sm_get32(meta + SM_META_BLOCKS);
	v->nsegments = sm_get64(meta + SM_META_SEGMENTS);
	if (v->lim.nsources > SM_MAX_SOURCES || v->lim.nnames > SM_MAX_NAMES || v->lim.nlines == 0 ||
		v->lim.nlines > SM_MAX_LINES || v->nsegments > SM_MAX_SEGMENTS)
		return sm_fail(v->err, SM_E_BINARY, "counts in META out of range");
	if ((uint64_t) v->nblocks * SM_BI_SIZE != v->slen[SM_SEC_BLOCK_INDEX])
		return sm_fail(v->err, SM_E_BINARY, "block index does not hold %u blocks", v->nblocks);
	return true;
}

/* acc += the zigzag delta zz, staying within [0, limit). */
static bool
add_delta(int64_t *acc, uint64_t zz, int64_t limit)
{
	int64_t		d = sm_unzigzag(zz);

	if (d <= -limit || d >= limit || *acc + d < 0 || *acc + d >= limit)
		return false;
	*acc += d;
	return true;
}

static inline bool
same_position(const SmMapping *a, const SmMapping *b)
{
	return a->gen_line == b->gen_line && a->gen_col == b->gen_col;
}

/*
 * Decode block b (count segments from (line, col)) and push its segments
 * to w.  *prev is the segment before the block (prev->gen_line UINT32_MAX
 * for none); it is left at the block's last segment.
 */
static bool
decode_block(V010 *v, uint32_t b, const uint8_t *raw, size_t rawlen, uint32_t line,
			 uint32_t col, uint32_t count, SmMapping *prev, SmBlockWriter *w)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + rawlen;
	uint64_t	cur_line = line,
				cur_col = col;
	int64_t		src = 0,
				oline = 0,
				ocol = 0,
				name = 0;

	for (uint32_t i = 0; i < count; i++)
	{
		uint64_t	h,
					x,
					y,
					z;
		SmMapping	m;

		if ((i & 0xFFFF) == 0xFFFF)
			sm_check_interrupts(v->env);
		if (!sm_read_uvarint(&p, end, &h))
			return sm_fail(v->err, SM_E_BINARY, "block %u truncated at segment %u", b, i);
		if (i == 0 && (h & SM_SEG_NEW_LINE || h >> SM_SEG_SHIFT))
			return sm_fail(v->err, SM_E_BINARY, "block %u does not start at its index entry", b);
		if ((h >> SM_SEG_SHIFT) > SM_MAX_COORD)
			return sm_fail(v->err, SM_E_BINARY, "bad column in block %u at segment %u", b, i);
		if (h & SM_SEG_NEW_LINE)
		{
			if (!sm_read_uvarint(&p, end, &x) || x >= v->lim.nlines)
				return sm_fail(v->err, SM_E_BINARY, "bad line step in block %u at segment %u", b, i);
			cur_line += x + 1;
			cur_col = h >> SM_SEG_SHIFT;
		}
		else
			cur_col += h >> SM_SEG_SHIFT;
		if (cur_line >= v->lim.nlines || cur_col > SM_MAX_COORD)
			return sm_fail(v->err, SM_E_BINARY, "position out of range in block %u at segment %u", b, i);
		m.gen_line = (uint32_t) cur_line;
		m.gen_col = (uint32_t) cur_col;
		m.source = m.name = SM_NONE;
		m.orig_line = m.orig_col = 0;
		if (h & SM_SEG_HAS_SOURCE)
		{
			if (!sm_read_uvarint(&p, end, &x) || !sm_read_uvarint(&p, end, &y) ||
				!sm_read_uvarint(&p, end, &z) ||
				!add_delta(&src, x, v->lim.nsources) ||
				!add_delta(&oline, y, (int64_t) SM_MAX_COORD + 1) ||
				!add_delta(&ocol, z, (int64_t) SM_MAX_COORD + 1))
				return sm_fail(v->err, SM_E_BINARY, "bad original position in block %u at segment %u", b, i);
			m.source = (uint32_t) src;
			m.orig_line = (uint32_t) oline;
			m.orig_col = (uint32_t) ocol;
			if (h & SM_SEG_HAS_NAME)
			{
				if (!sm_read_uvarint(&p, end, &x) || !add_delta(&name, x, v->lim.nnames))
					return sm_fail(v->err, SM_E_BINARY, "bad name index in block %u at segment %u", b, i);
				m.name = (uint32_t) name;
			}
		}
		else if (h & SM_SEG_HAS_NAME)
			return sm_fail(v->err, SM_E_BINARY, "named segment without a source in block %u", b);

		/* the blocks as the 0.1.0 writer cut them */
		if (i == 0 && prev->gen_line != UINT32_MAX &&
			(m.gen_line < prev->gen_line ||
			 (m.gen_line == prev->gen_line && m.gen_col <= prev->gen_col)))
			return sm_fail(v->err, SM_E_BINARY, "block %u does not start after the block before it", b);
		if (i >= V010_BLOCK_SEGMENTS && !same_position(&m, prev))
			return sm_fail(v->err, SM_E_BINARY, "block %u goes on past %u segments",
						   b, V010_BLOCK_SEGMENTS);
		if (!smbw_push(w, &m))
			return false;
		*prev = m;
	}
	if (p != end)
		return sm_fail(v->err, SM_E_BINARY, "block %u has %zu trailing bytes", b, (size_t) (end - p));
	return true;
}

/* Every mapping block, decoded and written again to w. */
static bool
convert_blocks(V010 *v, SmBlockWriter *w)
{
	const uint8_t *index = v->data + v->off[SM_SEC_BLOCK_INDEX];
	const uint8_t *blocks = v->data + v->off[SM_SEC_BLOCKS];
	SmMapping	prev = {UINT32_MAX, 0, 0, 0, 0, 0};
	uint64_t	seen = 0;
	uint32_t	expect_off = 0;
	uint8_t    *buf = NULL;
	size_t		cap = 0;
	bool		ok = true;

	for (uint32_t b = 0; ok && b < v->nblocks; b++)
	{
		const uint8_t *e = index + (size_t) b * SM_BI_SIZE;
		uint32_t	off = sm_get32(e + SM_BI_OFFSET);
		uint32_t	count = sm_get32(e + SM_BI_COUNT);
		uint32_t	rawlen = sm_get32(e + SM_BI_RAWLEN) & ~SM_COMPRESSED;
		bool		compressed = (sm_get32(e + SM_BI_RAWLEN) & SM_COMPRESSED) != 0;
		uint32_t	next = b + 1 < v->nblocks ? sm_get32(e + SM_BI_SIZE + SM_BI_OFFSET)
			: v->slen[SM_SEC_BLOCKS];
		const uint8_t *raw = blocks + off;

		sm_check_interrupts(v->env);
		if (off != expect_off || next < off || next > v->slen[SM_SEC_BLOCKS])
			ok = sm_fail(v->err, SM_E_BINARY, "block %u is not where the block index says", b);
		else if (count == 0 || count > rawlen || count > v->nsegments - seen ||
				 (b + 1 < v->nblocks && count < V010_BLOCK_SEGMENTS))
			ok = sm_fail(v->err, SM_E_BINARY, "block %u has a bad segment count", b);
		else if (!compressed ? next - off != rawlen
				 : (uint64_t) rawlen > (uint64_t) (next - off) * V010_ZLIB_RATIO + 64)
			ok = sm_fail(v->err, SM_E_BINARY, "implausible length of block %u", b);
		else if (compressed && rawlen > cap)
		{
			sm_free(v->env, buf);
			cap = rawlen;
			buf = sm_alloc(v->env, cap, v->err);
			ok = buf != NULL;
		}
		if (ok && compressed)
		{
			ok = smz_inflate(raw, next - off, buf, rawlen, v->err);
			raw = buf;
		}
		ok = ok && decode_block(v, b, raw, rawlen, sm_get32(e + SM_BI_LINE), sm_get32(e + SM_BI_COL),
								count, &prev, w);
		seen += count;
		expect_off = next;
	}
	sm_free(v->env, buf);
	if (ok && seen != v->nsegments)
		ok = sm_fail(v->err, SM_E_BINARY, "the blocks hold %llu segments, META says %llu",
					 (unsigned long long) seen, (unsigned long long) v->nsegments);
	return ok && smbw_finish(w);
}

/*
 * The value in the current layout, after `prefix` unused bytes: the
 * sections of v, the blocks of w in place of v's (unless w is NULL), empty
 * KEPT and SOURCE_FUNCTIONS sections, and v's FUNCTIONS section or an
 * empty one.
 */
static bool
relayout(V010 *v, SmBlockWriter *w, size_t prefix, uint8_t **out, size_t *out_len)
{
	const uint8_t *sec[SM_NSECTIONS];
	size_t		len[SM_NSECTIONS];
	size_t		total = SM_PREFIX_SIZE;
	size_t		off = SM_PREFIX_SIZE;
	uint8_t    *buf;
	uint64_t	digest;

	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		sec[i] = i < V010_NSECTIONS ? v->data + v->off[i] : NULL;
		len[i] = i < V010_NSECTIONS ? v->slen[i] : 0;
	}
	if (v->nsect == V020_NSECTIONS)
	{
		sec[SM_SEC_FUNCTIONS] = v->data + v->off[V010_NSECTIONS];
		len[SM_SEC_FUNCTIONS] = v->slen[V010_NSECTIONS];
	}
	if (w != NULL)
	{
		sec[SM_SEC_BLOCK_INDEX] = w->index.data;
		len[SM_SEC_BLOCK_INDEX] = w->index.len;
		sec[SM_SEC_BLOCKS] = w->data.data;
		len[SM_SEC_BLOCKS] = w->data.len;
	}
	for (int i = 0; i < SM_NSECTIONS; i++)
		total += len[i];
	if (total > SM_MAX_VALUE_BYTES)
		return sm_fail(v->err, SM_E_LIMIT, "the map would take %zu bytes, over the limit of %u",
					   total, SM_MAX_VALUE_BYTES);
	buf = sm_alloc(v->env, prefix + total, v->err);
	if (buf == NULL)
		return false;
	*out = buf;
	*out_len = prefix + total;
	buf += prefix;
	memcpy(buf, v->data, SM_HEADER_SIZE);
	sm_put16(buf + SM_H_VERSION, SM_FORMAT_VERSION);
	sm_put32(buf + SM_H_TOTAL, (uint32_t) total);
	sm_put32(buf + SM_H_NSECT, SM_NSECTIONS);
	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		sm_put32(buf + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE, (uint32_t) off);
		sm_put32(buf + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + 4, (uint32_t) len[i]);
		if (len[i])
			memcpy(buf + off, sec[i], len[i]);
		off += len[i];
	}
	if (w != NULL)
		sm_put32(buf + SM_PREFIX_SIZE + SM_META_BLOCKS, w->nblocks);	/* META comes first */
	sm_put64(buf + SM_H_CHECKSUM, sm_checksum(buf + SM_PREFIX_SIZE, total - SM_PREFIX_SIZE));
	if (!sm_digest_compute(buf, total, NULL, v->env, &digest, v->err))
	{
		sm_free(v->env, *out);
		*out = NULL;
		return false;
	}
	sm_put64(buf + SM_H_DIGEST, digest);
	return true;
}

/* sm_build of the JSON form of a value in the current layout. */
static bool
rebuild(const uint8_t *val, size_t len, const SmEnv *env, size_t prefix, uint8_t **out,
		size_t *out_len, SmError *err)
{
	SmMap	   *m = sm_open_buffer(env, val, len, err);
	char	   *json = NULL;
	size_t		json_len = 0;
	bool		ok;

	if (m == NULL)
		return false;
	ok = sm_to_json(m, 0, &json, &json_len, err);
	sm_close(m);
	ok = ok && sm_build(json, json_len, env, prefix, out, out_len, err);
	sm_free(env, json);
	return ok;
}

bool
sm_legacy_convert(const uint8_t *data, size_t len, const SmEnv *env, size_t prefix,
				  uint8_t **out, size_t *out_len, SmError *err)
{
	V010		v;
	SmBlockWriter w;
	uint8_t    *mid = NULL;
	size_t		mid_len = 0;
	bool		ok;

	memset(&v, 0, sizeof(v));
	v.data = data;
	v.len = len;
	v.env = env;
	v.err = err;
	smbw_init(&w, env, err);
	ok = read_layout(&v);
	if (ok && v.nsect == V020_NSECTIONS)
	{
		/* release 0.2.0: only the two new sections, empty, are missing */
		ok = relayout(&v, NULL, prefix, out, out_len);
		if (ok && !sm_validate(*out + prefix, *out_len - prefix, env, err))
		{
			sm_free(env, *out);
			ok = false;
		}
	}
	else
		ok = ok && convert_blocks(&v, &w) && relayout(&v, &w, 0, &mid, &mid_len) &&
			sm_validate(mid, mid_len, env, err) &&
			rebuild(mid, mid_len, env, prefix, out, out_len, err);
	smbw_free(&w);
	sm_free(env, mid);
	if (!ok && err->code == SM_E_BINARY)
	{
		char		detail[SM_ERROR_MSG_MAX];

		snprintf(detail, sizeof(detail), "%s", err->msg);
		if (v.nsect == V020_NSECTIONS)
			sm_fail(err, SM_E_BINARY,
					"value has the 11 sections of release 0.2.0 (format version 1) but is not a valid "
					"value of that release (damaged): %s", detail);
		else if (v.nsect == 0)
			sm_fail(err, SM_E_BINARY,
					"value is not one of release 0.1.0 or 0.2.0 (format version 1): %s", detail);
		else
			sm_fail(err, SM_E_BINARY,
					"value has the 10 sections of release 0.1.0 but is not a valid 0.1.0 value "
					"(damaged, or stored by an unreleased development version): %s", detail);
	}
	return ok;
}
