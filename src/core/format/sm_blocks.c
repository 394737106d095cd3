/*
 * sm_blocks.c -- encode the segment stream into blocks and decode one block.
 * The layout of a block is described in sm_format.h.
 */
#include "format/sm_blocks.h"
#include "format/sm_format.h"

void
smbw_init(SmBlockWriter *w, const SmEnv *env, SmError *err)
{
	memset(w, 0, sizeof(*w));
	for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
		smb_init(&w->stream[i], env, err);
	smb_init(&w->raw, env, err);
	smb_init(&w->index, env, err);
	smb_init(&w->data, env, err);
	smz_init(&w->z, SM_BLOCK_ZLEVEL);
	smh_init(&w->raw_hash);
	w->err = err;
}

void
smbw_free(SmBlockWriter *w)
{
	for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
		smb_free(&w->stream[i]);
	smb_free(&w->raw);
	smb_free(&w->index);
	smb_free(&w->data);
}

/*
 * What the original column delta is predicted to be: the generated column
 * delta, when the segment continues the same generated line, source and
 * original line (code passed through unchanged); else nothing.
 */
static inline int64_t
sm_ocol_prediction(bool same_gen_line, int64_t dsrc, int64_t dline, int64_t dgcol)
{
	return (same_gen_line && dsrc == 0 && dline == 0) ? dgcol : 0;
}

/* Segments smbw_push makes room for at once, in every stream. */
#define SM_PUSH_ROOM 256

/* Compress the current block into data and add its index entry. */
static bool
flush_block(SmBlockWriter *w)
{
	uint8_t		entry[SM_BI_SIZE];
	size_t		offset = w->data.len;
	bool		compressed;
	uint64_t	flags = 0;

	if (w->count == 0)
		return true;
	/* the raw block: flags, the length of every stream but the last, the streams */
	if (w->run.pred_zeros > w->run.ocol_zeros)
	{
		SmBuf		tmp = w->stream[SM_BS_OCOL];

		w->stream[SM_BS_OCOL] = w->stream[SM_BS_OCOL_PRED];
		w->stream[SM_BS_OCOL_PRED] = tmp;
		flags |= SM_BLOCK_OCOL_PREDICTED;
	}
	w->raw.len = 0;
	if (!smb_uvarint(&w->raw, flags))
		return false;
	for (int i = 0; i < SM_BLOCK_STREAMS - 1; i++)
		if (!smb_uvarint(&w->raw, w->stream[i].len))
			return false;
	for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
	{
		if (i < SM_BLOCK_STREAMS && !smb_append(&w->raw, w->stream[i].data, w->stream[i].len))
			return false;
		w->stream[i].len = 0;
	}
	w->run.ocol_zeros = w->run.pred_zeros = 0;
	smh_update(&w->raw_hash, w->raw.data, w->raw.len);
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
	return true;
}

/*
 * Encode v[0..n) into the streams of the current block.  The caller has
 * made sure no block ends inside the run and every stream has room for n
 * segments.  The stream ends and running values live in locals: a byte
 * stored through a stream pointer could alias any field of *w, which would
 * make the compiler reload them all after every byte.
 */
static void
push_run(SmBlockWriter *w, const SmMapping *v, size_t n)
{
	uint8_t    *sp[SM_BLOCK_STREAMS + 1];
	SmBlockRun	r = w->run;

	for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
		sp[i] = w->stream[i].data + w->stream[i].len;
	for (size_t k = 0; k < n; k++)
	{
		const SmMapping m = v[k];
		uint64_t	h = (m.source != SM_NONE ? SM_SEG_HAS_SOURCE : 0) |
			(m.name != SM_NONE ? SM_SEG_HAS_NAME : 0);

		if (m.gen_line != r.prev_line)
		{
			sp[SM_BS_HEAD] = sm_put_uvarint(sp[SM_BS_HEAD],
											h | SM_SEG_NEW_LINE | ((uint64_t) m.gen_col << SM_SEG_SHIFT));
			sp[SM_BS_LINE] = sm_put_uvarint(sp[SM_BS_LINE], (uint64_t) (m.gen_line - r.prev_line - 1));
		}
		else
			sp[SM_BS_HEAD] = sm_put_uvarint(sp[SM_BS_HEAD],
											h | ((uint64_t) (m.gen_col - r.prev_col) << SM_SEG_SHIFT));
		if (m.source != SM_NONE)
		{
			int64_t		dsrc = (int64_t) m.source - r.src;
			int64_t		dline = (int64_t) m.orig_line - r.oline;
			int64_t		dcol = (int64_t) m.orig_col - r.ocol;
			int64_t		pred = sm_ocol_prediction(m.gen_line == r.prev_line, dsrc, dline,
												  (int64_t) m.gen_col - r.prev_col);

			sp[SM_BS_SOURCE] = sm_put_uvarint(sp[SM_BS_SOURCE], sm_zigzag(dsrc));
			sp[SM_BS_OLINE] = sm_put_uvarint(sp[SM_BS_OLINE], sm_zigzag(dline));
			sp[SM_BS_OCOL] = sm_put_uvarint(sp[SM_BS_OCOL], sm_zigzag(dcol));
			sp[SM_BS_OCOL_PRED] = sm_put_uvarint(sp[SM_BS_OCOL_PRED], sm_zigzag(dcol - pred));
			r.ocol_zeros += dcol == 0;
			r.pred_zeros += dcol == pred;
			r.src = m.source;
			r.oline = m.orig_line;
			r.ocol = m.orig_col;
			if (m.name != SM_NONE)
			{
				sp[SM_BS_NAME] = sm_put_uvarint(sp[SM_BS_NAME], sm_zigzag((int64_t) m.name - r.name));
				r.name = m.name;
			}
		}
		r.prev_line = m.gen_line;
		r.prev_col = m.gen_col;
	}
	for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
		w->stream[i].len = (size_t) (sp[i] - w->stream[i].data);
	w->run = r;
	w->count += (uint32_t) n;
	w->total += n;
	w->room -= (uint32_t) n;
}

bool
smbw_push_n(SmBlockWriter *w, const SmMapping *v, size_t n)
{
	while (n > 0)
	{
		size_t		run;

		if (w->count >= SM_BLOCK_SEGMENTS &&
			(v->gen_line != w->run.prev_line || v->gen_col != w->run.prev_col))
		{
			if (!flush_block(w))
				return false;
		}
		if (w->room == 0)
		{
			/* a segment writes at most one 10-byte varint to each stream */
			for (int i = 0; i <= SM_BLOCK_STREAMS; i++)
				if (!smb_reserve(&w->stream[i], 10 * SM_PUSH_ROOM))
					return false;
			w->room = SM_PUSH_ROOM;
		}
		if (w->count == 0)
		{
			w->first_line = w->run.prev_line = v->gen_line;
			w->first_col = w->run.prev_col = v->gen_col;
			w->run.src = w->run.oline = w->run.ocol = w->run.name = 0;
		}
		/* up to the block's size; past it one at a time (a block ends at a new position) */
		run = w->count < SM_BLOCK_SEGMENTS ? SM_BLOCK_SEGMENTS - w->count : 1;
		if (run > w->room)
			run = w->room;
		if (run > n)
			run = n;
		push_run(w, v, run);
		v += run;
		n -= run;
	}
	return true;
}

bool
smbw_push(SmBlockWriter *w, const SmMapping *m)
{
	return smbw_push_n(w, m, 1);
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
	int64_t		d = sm_unzigzag(zz);
	int64_t		v;

	if (d <= -limit || d >= limit)	/* also keeps the sum from overflowing */
		return false;
	v = *acc + d;
	if (v < 0 || v >= limit)
		return false;
	*acc = v;
	return true;
}

bool
sm_block_decode(const uint8_t *raw, size_t rawlen, uint32_t line, uint32_t col,
				uint32_t count, const SmBlockLimits *lim, const SmMapping *stop,
				SmMapping *out, uint32_t *decoded, SmError *err)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + rawlen;
	const uint8_t *sp[SM_BLOCK_STREAMS];	/* read position in each stream */
	const uint8_t *se[SM_BLOCK_STREAMS];	/* end of each stream */
	int64_t		src = 0,
				oline = 0,
				ocol = 0,
				name = 0;
	uint64_t	cur_line = line,
				cur_col = col;
	uint64_t	flags;

	/* locate the streams */
	{
		uint64_t	len[SM_BLOCK_STREAMS - 1];
		const uint8_t *q;

		if (!sm_read_uvarint(&p, end, &flags) || (flags & ~(uint64_t) SM_BLOCK_OCOL_PREDICTED))
			return sm_fail(err, SM_E_BINARY, "mapping block has unknown flags");
		for (int i = 0; i < SM_BLOCK_STREAMS - 1; i++)
			if (!sm_read_uvarint(&p, end, &len[i]))
				return sm_fail(err, SM_E_BINARY, "mapping block has a bad stream table");
		q = p;
		for (int i = 0; i < SM_BLOCK_STREAMS; i++)
		{
			uint64_t	n = i < SM_BLOCK_STREAMS - 1 ? len[i] : (uint64_t) (end - q);

			if (n > (uint64_t) (end - q))
				return sm_fail(err, SM_E_BINARY, "mapping block streams overrun the block");
			sp[i] = q;
			se[i] = q + n;
			q += n;
		}
	}

	for (uint32_t i = 0; i < count; i++)
	{
		uint64_t	h,
					v;
		uint64_t	prev_line = cur_line,
					prev_col = cur_col;
		SmMapping  *m = &out[i];

		if (!sm_read_uvarint(&sp[SM_BS_HEAD], se[SM_BS_HEAD], &h))
			return sm_fail(err, SM_E_BINARY, "mapping block truncated at segment %u", i);
		if (h & SM_SEG_NEW_LINE)
		{
			if (!sm_read_uvarint(&sp[SM_BS_LINE], se[SM_BS_LINE], &v) || v >= lim->nlines)
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

			if (!sm_read_uvarint(&sp[SM_BS_SOURCE], se[SM_BS_SOURCE], &a) ||
				!sm_read_uvarint(&sp[SM_BS_OLINE], se[SM_BS_OLINE], &b) ||
				!sm_read_uvarint(&sp[SM_BS_OCOL], se[SM_BS_OCOL], &c))
				return sm_fail(err, SM_E_BINARY, "mapping block truncated at segment %u", i);
			if (flags & SM_BLOCK_OCOL_PREDICTED)
				c = sm_zigzag((int64_t) ((uint64_t) sm_unzigzag(c) +
										 (uint64_t) sm_ocol_prediction(cur_line == prev_line,
																	   sm_unzigzag(a), sm_unzigzag(b),
																	   (int64_t) (cur_col - prev_col))));
			if (!apply_delta(&src, a, lim->nsources) ||
				!apply_delta(&oline, b, (int64_t) SM_MAX_COORD + 1) ||
				!apply_delta(&ocol, c, (int64_t) SM_MAX_COORD + 1))
				return sm_fail(err, SM_E_BINARY, "bad original position in mapping block at segment %u", i);
			m->source = (uint32_t) src;
			m->orig_line = (uint32_t) oline;
			m->orig_col = (uint32_t) ocol;
			if (h & SM_SEG_HAS_NAME)
			{
				if (!sm_read_uvarint(&sp[SM_BS_NAME], se[SM_BS_NAME], &a) ||
					!apply_delta(&name, a, lim->nnames))
					return sm_fail(err, SM_E_BINARY, "bad name index in mapping block at segment %u", i);
				m->name = (uint32_t) name;
			}
		}
		else if (h & SM_SEG_HAS_NAME)
			return sm_fail(err, SM_E_BINARY, "named segment without a source in mapping block");
		if (stop && (m->gen_line > stop->gen_line ||
					 (m->gen_line == stop->gen_line && m->gen_col > stop->gen_col)))
		{
			*decoded = i + 1;
			return true;
		}
	}
	*decoded = count;
	if (stop)
		return true;
	for (int i = 0; i < SM_BLOCK_STREAMS; i++)
		if (sp[i] != se[i])
			return sm_fail(err, SM_E_BINARY, "mapping block has %zu trailing bytes", (size_t) (se[i] - sp[i]));
	return true;
}
