/*
 * sm_blocks.c -- encode the segment stream into blocks and decode one block.
 * The layout of a block is described in sm_format.h.
 */
#include "sm_blocks.h"
#include "sm_format.h"

void
smbw_init(SmBlockWriter *w, const SmEnv *env, SmError *err)
{
	memset(w, 0, sizeof(*w));
	smb_init(&w->raw, env, err);
	smb_init(&w->index, env, err);
	smb_init(&w->data, env, err);
	smz_init(&w->z, env, true, SM_BLOCK_ZLEVEL, SM_PART_WINDOW_BITS);
	w->err = err;
}

void
smbw_free(SmBlockWriter *w)
{
	smb_free(&w->raw);
	smb_free(&w->index);
	smb_free(&w->data);
	smz_end(&w->z);
}

/* Compress the current block into data and add its index entry. */
static bool
flush_block(SmBlockWriter *w)
{
	uint8_t		entry[SM_BI_SIZE];
	size_t		offset = w->data.len;
	bool		compressed;

	if (w->count == 0)
		return true;
	if (!smz_deflate_append(&w->z, &w->data, w->raw.data, w->raw.len, &compressed, w->err))
		return false;
	if (w->data.len > 0x7FFFFFFF)
		return sm_fail(w->err, SM_E_LIMIT, "mapping data exceeds 2 GB");
	sm_put32(entry + SM_BI_LINE, w->first_line);
	sm_put32(entry + SM_BI_COL, w->first_col);
	sm_put32(entry + SM_BI_OFFSET, (uint32_t) offset);
	sm_put32(entry + SM_BI_COUNT, w->count);
	sm_put32(entry + SM_BI_RAWLEN, (uint32_t) w->raw.len | (compressed ? SM_COMPRESSED : 0));
	if (!smb_append(&w->index, entry, sizeof(entry)))
		return false;
	w->nblocks++;
	w->count = 0;
	w->raw.len = 0;
	return true;
}

bool
smbw_push(SmBlockWriter *w, const SmMapping *m)
{
	uint64_t	h;
	SmBuf	   *b = &w->raw;

	if (w->count >= SM_BLOCK_SEGMENTS &&
		(m->gen_line != w->prev_line || m->gen_col != w->prev_col))
	{
		if (!flush_block(w))
			return false;
	}
	if (!smb_reserve(b, 60))
		return false;
	if (w->count == 0)
	{
		w->first_line = w->prev_line = m->gen_line;
		w->first_col = w->prev_col = m->gen_col;
		w->src = w->oline = w->ocol = w->name = 0;
	}
	h = (m->source != SM_NONE ? SM_SEG_HAS_SOURCE : 0) |
		(m->name != SM_NONE ? SM_SEG_HAS_NAME : 0);
	if (m->gen_line != w->prev_line)
	{
		smb_uvarint_unchecked(b, h | SM_SEG_NEW_LINE | ((uint64_t) m->gen_col << SM_SEG_SHIFT));
		smb_uvarint_unchecked(b, (uint64_t) (m->gen_line - w->prev_line - 1));
	}
	else
		smb_uvarint_unchecked(b, h | ((uint64_t) (m->gen_col - w->prev_col) << SM_SEG_SHIFT));
	if (m->source != SM_NONE)
	{
		smb_uvarint_unchecked(b, sm_zigzag((int64_t) m->source - w->src));
		smb_uvarint_unchecked(b, sm_zigzag((int64_t) m->orig_line - w->oline));
		smb_uvarint_unchecked(b, sm_zigzag((int64_t) m->orig_col - w->ocol));
		w->src = m->source;
		w->oline = m->orig_line;
		w->ocol = m->orig_col;
		if (m->name != SM_NONE)
		{
			smb_uvarint_unchecked(b, sm_zigzag((int64_t) m->name - w->name));
			w->name = m->name;
		}
	}
	w->prev_line = m->gen_line;
	w->prev_col = m->gen_col;
	w->count++;
	w->total++;
	return true;
}

bool
smbw_finish(SmBlockWriter *w)
{
	return flush_block(w);
}

/* Apply a zigzag delta to an accumulator, keeping it within [0, limit). */
static inline bool
apply_delta(int64_t *acc, uint64_t zz, int64_t limit)
{
	int64_t		v = *acc + sm_unzigzag(zz);

	if (v < 0 || v >= limit)
		return false;
	*acc = v;
	return true;
}

bool
sm_block_decode(const uint8_t *raw, size_t rawlen, uint32_t line, uint32_t col,
				uint32_t count, const SmBlockLimits *lim, SmMapping *out, SmError *err)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + rawlen;
	int64_t		src = 0,
				oline = 0,
				ocol = 0,
				name = 0;
	uint64_t	cur_line = line,
				cur_col = col;

	for (uint32_t i = 0; i < count; i++)
	{
		uint64_t	h,
					v;
		SmMapping  *m = &out[i];

		if (!sm_read_uvarint(&p, end, &h))
			return sm_fail(err, SM_E_BINARY, "mapping block truncated at segment %u", i);
		if (h & SM_SEG_NEW_LINE)
		{
			if (!sm_read_uvarint(&p, end, &v) || v >= lim->nlines)
				return sm_fail(err, SM_E_BINARY, "bad line step in mapping block at segment %u", i);
			cur_line += v + 1;
			cur_col = h >> SM_SEG_SHIFT;
		}
		else
			cur_col += h >> SM_SEG_SHIFT;
		if (cur_line >= lim->nlines || cur_col > SM_MAX_COORD)
			return sm_fail(err, SM_E_BINARY, "generated position out of range in mapping block at segment %u", i);
		if (i == 0 && (h & SM_SEG_NEW_LINE || (h >> SM_SEG_SHIFT) != 0))
			return sm_fail(err, SM_E_BINARY, "mapping block does not start at its index position");
		m->gen_line = (uint32_t) cur_line;
		m->gen_col = (uint32_t) cur_col;
		m->source = m->name = SM_NONE;
		m->orig_line = m->orig_col = 0;
		if (h & SM_SEG_HAS_SOURCE)
		{
			uint64_t	a,
						b,
						c;

			if (!sm_read_uvarint(&p, end, &a) || !sm_read_uvarint(&p, end, &b) ||
				!sm_read_uvarint(&p, end, &c) ||
				!apply_delta(&src, a, lim->nsources) ||
				!apply_delta(&oline, b, (int64_t) SM_MAX_COORD + 1) ||
				!apply_delta(&ocol, c, (int64_t) SM_MAX_COORD + 1))
				return sm_fail(err, SM_E_BINARY, "bad original position in mapping block at segment %u", i);
			m->source = (uint32_t) src;
			m->orig_line = (uint32_t) oline;
			m->orig_col = (uint32_t) ocol;
			if (h & SM_SEG_HAS_NAME)
			{
				if (!sm_read_uvarint(&p, end, &a) || !apply_delta(&name, a, lim->nnames))
					return sm_fail(err, SM_E_BINARY, "bad name index in mapping block at segment %u", i);
				m->name = (uint32_t) name;
			}
		}
		else if (h & SM_SEG_HAS_NAME)
			return sm_fail(err, SM_E_BINARY, "named segment without a source in mapping block");
	}
	if (p != end)
		return sm_fail(err, SM_E_BINARY, "mapping block has %zu trailing bytes", (size_t) (end - p));
	return true;
}
