/*
 * sm_reader.c -- open a stored map and answer questions from it: lookups,
 * iteration, strings, contents, and the checks of untrusted bytes that need
 * nothing but the stored form's own parts (sm_validate.c runs them).
 *
 * Opening reads only the header, table of contents and the small sections
 * in front; a lookup then reads one mapping block and the string chunks it
 * returns.  Blocks read again later are kept packed (sm_packed.h) in a pool
 * (sm_pool.h): the map's own (sm_set_block_cache) or one shared by many maps
 * (sm_set_block_pool).  Every offset and count read from the value is checked before it
 * is used, so a damaged value gives an error, never a wild read.
 */
#include "base/sm_limits.h"
#include "base/sm_pool.h"
#include "format/sm_blocks.h"
#include "format/sm_format.h"
#include "format/sm_map.h"
#include "format/sm_packed.h"
#include "format/sm_reader.h"
#include "format/sm_strtab.h"
#include "json/sm_json.h"

/* zlib cannot expand data by more than about 1032:1 */
#define SM_MAX_ZLIB_RATIO 1100

typedef struct SmTable
{
	SmSection	data_sec;		/* the section holding the chunks */
	uint32_t	count;
	uint32_t	shift;
	uint32_t	nchunks;
	const uint8_t *dir;
	const uint8_t **chunks;		/* decompressed chunks, loaded on demand */
	uint32_t   *chunk_len;
} SmTable;

struct SmMap
{
	const SmEnv *env;
	const uint8_t *buf;			/* whole value in memory, or NULL */
	SmFetchFn	fetch;
	void	   *fetch_ctx;
	uint32_t	total;
	uint32_t	upgrade_bytes;	/* what today's layout adds to a 0.2.0 value read in place */
	uint16_t	flags;
	uint32_t	sec_off[SM_NSECTIONS];
	uint32_t	sec_len[SM_NSECTIONS];
	/* META */
	uint32_t	nsources;
	uint32_t	nnames;
	uint32_t	nlines;
	uint32_t	nblocks;
	uint64_t	nsegments;
	uint8_t		debug_id[16];
	SmStr		file;
	SmStr		root;
	/* small sections, read at open */
	const uint8_t *block_index;
	const uint8_t *ignore;
	uint32_t	nignore;
	const uint8_t *content_index;
	const uint8_t *functions;
	const uint8_t *source_functions;	/* SOURCE_FUNCTIONS, once asked for */	/* FUNCTIONS section, read on first use */
	SmTable		sources;
	SmTable		names;
	/* the current block: packed (pk), or decoded in segs (cur_block, if whole) */
	uint32_t	cur_block;
	uint32_t	cur_count;
	const SmPacked *pk;
	const SmMapping *segs;
	uint32_t	nsegs;
	/* blocks kept packed in a pool, the map's own or a shared one */
	SmPool	   *pool;
	SmPool		own_pool;
	SmPoolItem **pooled;		/* per block, NULL when not kept */
	size_t		pooled_bytes;
	SmMapping  *scratch;		/* the block being decoded */
	uint32_t	scratch_cap;
	uint8_t    *raw;
	size_t		raw_cap;
};

struct SmIter
{
	SmMap	   *m;
	uint32_t	block;
	uint32_t	pos;
};

/* Bytes [off, off+len) of the value, bounds-checked. */
static const uint8_t *
get(SmMap *m, uint32_t off, uint32_t len, bool keep, SmError *err)
{
	if (off > m->total || len > m->total - off)
	{
		sm_fail(err, SM_E_BINARY, "reference to bytes %u..%u past the end (%u bytes)",
				off, off + len, m->total);
		return NULL;
	}
	if (m->buf)
		return m->buf + off;
	return m->fetch(m->fetch_ctx, off, len, keep, err);
}

/* Read uvarint(len + 1) + bytes (0 = null) from META. */
static bool
read_opt_string(const uint8_t **pp, const uint8_t *end, SmStr *out)
{
	uint64_t	n;

	if (!sm_read_uvarint(pp, end, &n))
		return false;
	out->isnull = (n == 0);
	out->ptr = NULL;
	out->len = 0;
	if (n == 0)
		return true;
	n--;
	if (n > (uint64_t) (end - *pp) || !sm_text_valid(*pp, n))
		return false;
	out->ptr = (const char *) *pp;
	out->len = (uint32_t) n;
	*pp += n;
	return true;
}

/* Check a string table's header and directory (dir: its whole section). */
static bool
open_table(SmMap *m, const uint8_t *dir, SmSection s, SmSection data_sec, uint32_t expect,
		   SmTable *t, SmError *err)
{
	memset(t, 0, sizeof(*t));
	t->data_sec = data_sec;
	if (m->sec_len[s] < SM_ST_FIXED)
		return sm_fail(err, SM_E_BINARY, "string table too short");
	t->count = sm_get32(dir + SM_ST_COUNT);
	t->shift = sm_get32(dir + SM_ST_SHIFT);
	t->nchunks = sm_get32(dir + SM_ST_NCHUNKS);
	if (t->count != expect || t->shift > SM_STRTAB_MAX_SHIFT ||
		t->nchunks != (uint32_t) (((uint64_t) t->count + (1u << t->shift) - 1) >> t->shift))
		return sm_fail(err, SM_E_BINARY, "string table header does not match its counts");
	if (SM_ST_FIXED + (uint64_t) t->nchunks * SM_ST_CHUNK_SIZE != m->sec_len[s])
		return sm_fail(err, SM_E_BINARY, "string table directory does not fill its section");
	t->dir = dir + SM_ST_FIXED;
	return true;
}

static bool
open_common(SmMap *m, SmError *err)
{
	const uint8_t *h,
			   *hot,
			   *meta,
			   *p,
			   *end;
	uint32_t	off;
	bool		v020;

	if (m->total < SM_PREFIX_SIZE)
		return sm_fail(err, SM_E_BINARY, "value of %u bytes is shorter than the header", m->total);
	if ((h = get(m, 0, SM_PREFIX_SIZE, false, err)) == NULL)
		return false;
	if (sm_get32(h + SM_H_MAGIC) != SM_MAGIC)
		return sm_fail(err, SM_E_BINARY, "not a sourcemap value (bad magic)");
	/* release 0.2.0's layout (format 1, eleven sections) is read as it is, in place */
	v020 = sm_get16(h + SM_H_VERSION) == 1 && sm_get32(h + SM_H_NSECT) == SM_NSECTIONS_V020;
	/* version 2 is today's layout without the content digest */
	if (sm_get16(h + SM_H_VERSION) != SM_FORMAT_VERSION &&
		sm_get16(h + SM_H_VERSION) != SM_FORMAT_VERSION_NODIGEST && !v020)
		return sm_fail(err, SM_E_BINARY, "unsupported sourcemap format version %u (this build reads version %d)",
					   sm_get16(h + SM_H_VERSION), SM_FORMAT_VERSION);
	m->flags = sm_get16(h + SM_H_FLAGS);
	if (m->flags & ~SM_FLAGS_KNOWN)
		return sm_fail(err, SM_E_BINARY, "unknown flags 0x%04x", m->flags);
	if (sm_get32(h + SM_H_TOTAL) != m->total)
		return sm_fail(err, SM_E_BINARY, "header length %u does not match the value's %u bytes",
					   sm_get32(h + SM_H_TOTAL), m->total);
	if (sm_get32(h + SM_H_NSECT) != SM_NSECTIONS && !v020)
		return sm_fail(err, SM_E_BINARY, "unexpected section count %u", sm_get32(h + SM_H_NSECT));
	if (sm_get16(h + SM_H_VERSION) != SM_FORMAT_VERSION)
		for (int i = SM_H_DIGEST; i < SM_HEADER_SIZE; i++)
			if (h[i] != 0)
				return sm_fail(err, SM_E_BINARY, "reserved header byte %d is not zero", i);
	off = SM_HEADER_SIZE + (v020 ? SM_NSECTIONS_V020 : SM_NSECTIONS) * SM_TOC_ENTRY_SIZE;
	for (int i = 0, k = 0; i < SM_NSECTIONS; i++)
	{
		if (v020 && (i == SM_SEC_KEPT || i == SM_SEC_SOURCE_FUNCTIONS))
		{
			m->sec_off[i] = off;	/* not in that layout: empty */
			m->sec_len[i] = 0;
			continue;
		}
		m->sec_off[i] = sm_get32(h + SM_HEADER_SIZE + k * SM_TOC_ENTRY_SIZE + SM_TOC_OFFSET);
		m->sec_len[i] = sm_get32(h + SM_HEADER_SIZE + k * SM_TOC_ENTRY_SIZE + SM_TOC_LENGTH);
		k++;
		if (m->sec_off[i] != off || m->sec_len[i] > m->total - off)
			return sm_fail(err, SM_E_BINARY, "section %d is out of place", i);
		off += m->sec_len[i];
	}
	if (off != m->total)
		return sm_fail(err, SM_E_BINARY, "sections do not fill the value");
	m->upgrade_bytes = v020 ? (SM_NSECTIONS - SM_NSECTIONS_V020) * SM_TOC_ENTRY_SIZE : 0;

	/* everything a lookup needs in one read */
	hot = get(m, 0, m->sec_off[SM_SEC_LAST_HOT] + m->sec_len[SM_SEC_LAST_HOT], true, err);
	if (hot == NULL)
		return false;

	/* META */
	if (m->sec_len[SM_SEC_META] < SM_META_FIXED)
		return sm_fail(err, SM_E_BINARY, "meta section too short");
	meta = hot + m->sec_off[SM_SEC_META];
	m->nsources = sm_get32(meta + SM_META_SOURCES);
	m->nnames = sm_get32(meta + SM_META_NAMES);
	m->nlines = sm_get32(meta + SM_META_LINES);
	m->nblocks = sm_get32(meta + SM_META_BLOCKS);
	m->nsegments = sm_get64(meta + SM_META_SEGMENTS);
	memcpy(m->debug_id, meta + SM_META_DEBUG_ID, 16);
	if (m->nsources > SM_MAX_SOURCES || m->nnames > SM_MAX_NAMES ||
		m->nsegments > SM_MAX_SEGMENTS || m->nlines == 0 || m->nlines > SM_MAX_LINES)
		return sm_fail(err, SM_E_BINARY, "meta counts out of range");
	if (!(m->flags & SM_FLAG_DEBUG_ID))
		for (int i = 0; i < 16; i++)
			if (m->debug_id[i] != 0)
				return sm_fail(err, SM_E_BINARY, "debug id bytes set without the debug id flag");
	p = meta + SM_META_FIXED;
	end = meta + m->sec_len[SM_SEC_META];
	if (!read_opt_string(&p, end, &m->file) || !read_opt_string(&p, end, &m->root) || p != end)
		return sm_fail(err, SM_E_BINARY, "malformed meta strings");

	/* BLOCK_INDEX */
	if ((uint64_t) m->nblocks * SM_BI_SIZE != m->sec_len[SM_SEC_BLOCK_INDEX] ||
		(m->nblocks == 0) != (m->nsegments == 0))
		return sm_fail(err, SM_E_BINARY, "block index does not match the block count");
	m->block_index = hot + m->sec_off[SM_SEC_BLOCK_INDEX];

	/* IGNORE */
	if (m->sec_len[SM_SEC_IGNORE] < 4)
		return sm_fail(err, SM_E_BINARY, "ignore list section too short");
	p = hot + m->sec_off[SM_SEC_IGNORE];
	m->nignore = sm_get32(p);
	if ((uint64_t) m->nignore * 4 + 4 != m->sec_len[SM_SEC_IGNORE])
		return sm_fail(err, SM_E_BINARY, "ignore list length mismatch");
	m->ignore = p + 4;

	/* CONTENT_INDEX is read only when a content is asked for */
	if ((uint64_t) m->nsources * SM_CI_SIZE != m->sec_len[SM_SEC_CONTENT_INDEX])
		return sm_fail(err, SM_E_BINARY, "content index does not match the source count");

	return open_table(m, hot + m->sec_off[SM_SEC_SOURCES], SM_SEC_SOURCES, SM_SEC_SOURCES_DATA,
					  m->nsources, &m->sources, err) &&
		open_table(m, hot + m->sec_off[SM_SEC_NAMES], SM_SEC_NAMES, SM_SEC_NAMES_DATA,
				   m->nnames, &m->names, err);
}

static SmMap *
map_new(const SmEnv *env, SmError *err)
{
	SmMap	   *m = sm_alloc(env, sizeof(SmMap), err);

	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->env = env;
	m->cur_block = UINT32_MAX;
	return m;
}

SmMap *
sm_open(const SmEnv *env, uint32_t total_len, SmFetchFn fetch, void *fetch_ctx, SmError *err)
{
	SmMap	   *m = map_new(env, err);

	if (m == NULL)
		return NULL;
	m->fetch = fetch;
	m->fetch_ctx = fetch_ctx;
	m->total = total_len;
	if (!open_common(m, err))
	{
		sm_close(m);
		return NULL;
	}
	return m;
}

SmMap *
sm_open_buffer(const SmEnv *env, const uint8_t *data, size_t len, SmError *err)
{
	SmMap	   *m;

	if (len > SM_MAX_VALUE_BYTES)
	{
		sm_fail(err, SM_E_BINARY, "value too large");
		return NULL;
	}
	m = map_new(env, err);
	if (m == NULL)
		return NULL;
	m->buf = data;
	m->total = (uint32_t) len;
	if (!open_common(m, err))
	{
		sm_close(m);
		return NULL;
	}
	return m;
}

const SmEnv *
sm_map_env(const SmMap *m)
{
	return m->env;
}

static void
free_table(SmMap *m, SmTable *t)
{
	if (t->chunks)
	{
		for (uint32_t i = 0; i < t->nchunks; i++)
			if (t->chunks[i] && t->chunk_len[i] & SM_COMPRESSED)
				sm_free(m->env, (void *) t->chunks[i]);
		sm_free(m->env, t->chunks);
		sm_free(m->env, t->chunk_len);
	}
}

/* Give back every block the map keeps in its pool, and leave the pool. */
static void
leave_pool(SmMap *m)
{
	if (m->pooled)
		for (uint32_t b = 0; b < m->nblocks; b++)
			if (m->pooled[b])
				sm_pool_remove(m->pool, m->pooled[b]);
	m->pool = NULL;
	m->pk = NULL;
}

void
sm_set_block_pool(SmMap *m, SmPool *pool)
{
	if (m->pool != pool)
		leave_pool(m);
	m->pool = pool;
}

void
sm_set_block_cache(SmMap *m, size_t budget)
{
	if (budget == 0)
	{
		leave_pool(m);
		return;
	}
	if (m->pool != &m->own_pool)
	{
		leave_pool(m);
		sm_pool_init(&m->own_pool, m->env, budget);
		m->pool = &m->own_pool;
	}
	sm_pool_set_budget(&m->own_pool, budget);
}

size_t
sm_block_cache_bytes(const SmMap *m)
{
	return m->pooled_bytes;
}

void
sm_close(SmMap *m)
{
	if (m == NULL)
		return;
	free_table(m, &m->sources);
	free_table(m, &m->names);
	leave_pool(m);
	sm_free(m->env, m->pooled);
	sm_free(m->env, m->scratch);
	sm_free(m->env, m->raw);
	sm_free(m->env, m);
}

/*
 * Stored part [off, off+stored) of section s, expanded to rawlen bytes.
 * Compressed parts are inflated into dst (rawlen bytes); raw parts are
 * returned in place, for as long as keep asks (see SmFetchFn).
 */
static const uint8_t *
expand(SmMap *m, SmSection s, uint32_t off, uint32_t stored, uint32_t rawlen, bool compressed,
	   bool keep, uint8_t *dst, SmError *err)
{
	const uint8_t *src;

	if (off > m->sec_len[s] || stored > m->sec_len[s] - off)
	{
		sm_fail(err, SM_E_BINARY, "part of section %d out of bounds", (int) s);
		return NULL;
	}
	if (!compressed ? stored != rawlen : (uint64_t) rawlen > (uint64_t) stored * SM_MAX_ZLIB_RATIO + 64)
	{
		sm_fail(err, SM_E_BINARY, "implausible length in section %d", (int) s);
		return NULL;
	}
	src = get(m, m->sec_off[s] + off, stored, keep && !compressed, err);
	if (src == NULL || !compressed)
		return src;
	if (!smz_inflate(src, stored, dst, rawlen, err))
		return NULL;
	return dst;
}

/* Where a chunk or block ends: the next one's offset or the section end. */
static bool
part_extent(uint32_t off, uint32_t next_off, uint32_t *stored, SmError *err)
{
	if (next_off < off)
		return sm_fail(err, SM_E_BINARY, "parts out of order");
	*stored = next_off - off;
	return true;
}

/* Room for count decoded segments in the scratch array. */
static bool
reserve_scratch(SmMap *m, uint32_t count, SmError *err)
{
	SmMapping  *ns;

	if (count <= m->scratch_cap)
		return true;
	ns = sm_alloc(m->env, (size_t) count * sizeof(SmMapping), err);
	if (ns == NULL)
		return false;
	sm_free(m->env, m->scratch);
	m->scratch = ns;
	m->scratch_cap = count;
	return true;
}

/*
 * Keep the decoded block b, in scratch, packed in the pool; false only on
 * an allocation failure.  A block too large for the budget is not kept.
 */
static bool
keep_packed(SmMap *m, uint32_t b, uint32_t count, SmError *err)
{
	SmPacked	plan;
	size_t		bytes = sm_packed_plan(m->scratch, count, &plan);
	SmPacked   *dst;

	if (!sm_pool_fits(m->pool, bytes))
		return true;
	if (m->pooled == NULL)
	{
		m->pooled = sm_alloc(m->env, (size_t) m->nblocks * sizeof(SmPoolItem *), err);
		if (m->pooled == NULL)
			return false;
		memset(m->pooled, 0, (size_t) m->nblocks * sizeof(SmPoolItem *));
	}
	if ((dst = sm_pool_add(m->pool, &m->pooled[b], &m->pooled_bytes, bytes, err)) == NULL)
		return false;
	sm_packed_write(dst, &plan, m->scratch);
	m->pk = dst;
	m->nsegs = count;
	return true;
}

/*
 * Make block b the current one: its packed form if the pool keeps it (or
 * is going to), else decoded into scratch.  A lookup passes its position as
 * stop: unless the block is going to be kept, only the segments up to the
 * first one past it are decoded, and the block does not stay current.
 */
static bool
load_block(SmMap *m, uint32_t b, const SmMapping *stop, SmError *err)
{
	const uint8_t *e = m->block_index + (size_t) b * SM_BI_SIZE;
	uint32_t	off = sm_get32(e + SM_BI_OFFSET);
	uint32_t	count = sm_get32(e + SM_BI_COUNT);
	uint32_t	rawfield = sm_get32(e + SM_BI_RAWLEN);
	uint32_t	rawlen = rawfield & ~SM_COMPRESSED;
	uint32_t	next = b + 1 < m->nblocks ? sm_get32(e + SM_BI_SIZE + SM_BI_OFFSET)
		: m->sec_len[SM_SEC_BLOCKS];
	uint32_t	stored = 0;
	const uint8_t *raw;
	SmBlockLimits lim;
	uint32_t	decoded;
	bool		keep = m->pool != NULL && m->pool->budget > 0;

	if (m->pooled && m->pooled[b])
	{
		sm_pool_touch(m->pooled[b]);
		m->pk = sm_pool_data(m->pooled[b]);
		m->nsegs = m->pk->n;
		return true;
	}
	m->pk = NULL;
	if (m->cur_block == b)
	{
		m->nsegs = m->cur_count;
		return true;
	}
	m->cur_block = UINT32_MAX;
	if (!part_extent(off, next, &stored, err))
		return false;
	if (count == 0 || count > rawlen)
		return sm_fail(err, SM_E_BINARY, "mapping block %u has a bad segment count", b);
	if ((rawfield & SM_COMPRESSED) && rawlen > m->raw_cap)
	{
		uint8_t    *nr;

		if (rawlen > (uint64_t) stored * SM_MAX_ZLIB_RATIO + 64)
			return sm_fail(err, SM_E_BINARY, "implausible length of mapping block %u", b);
		nr = sm_alloc(m->env, rawlen, err);
		if (nr == NULL)
			return false;
		sm_free(m->env, m->raw);
		m->raw = nr;
		m->raw_cap = rawlen;
	}
	raw = expand(m, SM_SEC_BLOCKS, off, stored, rawlen, rawfield & SM_COMPRESSED, false, m->raw, err);
	if (raw == NULL || !reserve_scratch(m, count, err))
		return false;
	lim.nsources = m->nsources;
	lim.nnames = m->nnames;
	lim.nlines = m->nlines;
	if (keep)
		stop = NULL;			/* a kept block is decoded whole */
	if (!sm_block_decode(raw, rawlen, sm_get32(e + SM_BI_LINE), sm_get32(e + SM_BI_COL),
						 count, &lim, stop, m->scratch, &decoded, err))
		return false;
	m->segs = m->scratch;
	m->nsegs = decoded;
	if (decoded == count)
	{
		m->cur_block = b;
		m->cur_count = count;
	}
	return !keep || keep_packed(m, b, count, err);
}

/* (a_line, a_col) compared with (b_line, b_col) */
static inline int
cmp_pos(uint32_t al, uint32_t ac, uint32_t bl, uint32_t bc)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return ac < bc ? -1 : ac > bc;
}

/* Last block whose first position is <= (line, col), or -1. */
static int64_t
find_block(SmMap *m, uint32_t line, uint32_t col)
{
	int64_t		lo = 0,
				hi = (int64_t) m->nblocks - 1,
				ans = -1;

	while (lo <= hi)
	{
		int64_t		mid = (lo + hi) / 2;
		const uint8_t *e = m->block_index + (size_t) mid * SM_BI_SIZE;

		if (cmp_pos(sm_get32(e + SM_BI_LINE), sm_get32(e + SM_BI_COL), line, col) <= 0)
		{
			ans = mid;
			lo = mid + 1;
		}
		else
			hi = mid - 1;
	}
	return ans;
}

/* Segment i of the current block. */
static inline void
seg_at(const SmMap *m, uint32_t i, SmMapping *out)
{
	if (m->pk)
		sm_packed_get(m->pk, i, out);
	else
		*out = m->segs[i];
}

/* Do segments i and j of the current block start at the same position? */
static inline bool
same_pos(const SmMap *m, uint32_t i, uint32_t j)
{
	if (m->pk)
		return sm_packed_same_pos(m->pk, i, j);
	return m->segs[i].gen_line == m->segs[j].gen_line && m->segs[i].gen_col == m->segs[j].gen_col;
}

/* First segment of the current block whose position is > (line, col). */
static uint32_t
upper_bound(const SmMap *m, uint32_t line, uint32_t col)
{
	uint32_t	lo = 0,
				hi = m->nsegs;

	if (m->pk)
		return sm_packed_upper(m->pk, line, col);
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (cmp_pos(m->segs[mid].gen_line, m->segs[mid].gen_col, line, col) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
sm_lookup(SmMap *m, uint32_t line, uint32_t col, SmBias bias, SmMapping *out, SmError *err)
{
	int64_t		b = find_block(m, line, col);
	uint32_t	i;
	SmMapping	q,
				s;

	q.gen_line = line;
	q.gen_col = col;

	if (b < 0)
	{
		/* before the first segment: only LUB can find one */
		if (bias != SM_BIAS_LUB || m->nblocks == 0)
			return 0;
		if (!load_block(m, 0, &q, err))
			return -1;
		i = 0;
	}
	else
	{
		bool		hit;

		if (!load_block(m, (uint32_t) b, &q, err))
			return -1;
		i = upper_bound(m, line, col);	/* >= 1: block start <= q */
		seg_at(m, i - 1, &s);
		hit = s.gen_line == line && s.gen_col == col;
		if (bias != SM_BIAS_LUB)
		{
			if (hit)
			{
				/* exact hit: the first of the segments at this position */
				uint32_t	last = i - 1;

				while (i > 1 && same_pos(m, i - 2, last))
					i--;
				if (i - 1 != last)
					seg_at(m, i - 1, &s);
			}
			else if (bias == SM_BIAS_EXACT || (bias == SM_BIAS_GLB && s.gen_line != line))
				return 0;
			*out = s;
			return 1;
		}
		/* LUB: an exact hit takes the last of its run, which ends at i - 1 */
		if (hit)
		{
			*out = s;
			return 1;
		}
		if (i == m->nsegs)
		{
			/* the next segment starts the next block */
			if ((uint32_t) b + 1 >= m->nblocks)
				return 0;
			if (!load_block(m, (uint32_t) b + 1, &q, err))
				return -1;
			i = 0;
		}
	}
	/* LUB, not exact: the first segment after the position, on the same line */
	seg_at(m, i, &s);
	if (s.gen_line != line)
		return 0;
	*out = s;
	return 1;
}

SmIter *
sm_iter_begin(SmMap *m, SmError *err)
{
	SmIter	   *it = sm_alloc(m->env, sizeof(SmIter), err);

	if (it == NULL)
		return NULL;
	it->m = m;
	it->block = 0;
	it->pos = 0;
	return it;
}

int
sm_iter_next(SmIter *it, SmMapping *out, SmError *err)
{
	SmMap	   *m = it->m;

	if (it->block >= m->nblocks)
		return 0;
	if (!load_block(m, it->block, NULL, err))
		return -1;
	seg_at(m, it->pos++, out);
	if (it->pos >= m->nsegs)
	{
		it->block++;
		it->pos = 0;
	}
	return 1;
}

void
sm_iter_end(SmIter *it)
{
	if (it)
		sm_free(it->m->env, it);
}

/* Chunk k of a table, decompressed (cached until sm_close). */
static const uint8_t *
load_chunk(SmMap *m, SmTable *t, uint32_t k, uint32_t *len, SmError *err)
{
	uint32_t	data_len = m->sec_len[t->data_sec];
	uint32_t	off = sm_get32(t->dir + (size_t) k * SM_ST_CHUNK_SIZE + SM_ST_C_OFFSET);
	uint32_t	rawfield = sm_get32(t->dir + (size_t) k * SM_ST_CHUNK_SIZE + SM_ST_C_RAWLEN);
	uint32_t	rawlen = rawfield & ~SM_COMPRESSED;
	uint32_t	next = k + 1 < t->nchunks ? sm_get32(t->dir + (size_t) (k + 1) * SM_ST_CHUNK_SIZE + SM_ST_C_OFFSET)
		: data_len;
	uint32_t	stored = 0;
	uint8_t    *dst = NULL;
	const uint8_t *p;

	if (t->chunks == NULL)
	{
		const uint8_t **chunks = sm_alloc(m->env, (size_t) t->nchunks * sizeof(uint8_t *), err);
		uint32_t   *lens = chunks ? sm_alloc(m->env, (size_t) t->nchunks * sizeof(uint32_t), err) : NULL;

		/* both or neither, so a failure leaves the table as it was */
		if (lens == NULL)
		{
			sm_free(m->env, chunks);
			return NULL;
		}
		memset(chunks, 0, (size_t) t->nchunks * sizeof(uint8_t *));
		t->chunks = chunks;
		t->chunk_len = lens;
	}
	if (t->chunks[k])
	{
		*len = t->chunk_len[k] & ~SM_COMPRESSED;
		return t->chunks[k];
	}
	if (!part_extent(off, next, &stored, err))
		return NULL;
	if (off > data_len)
	{
		sm_fail(err, SM_E_BINARY, "string chunk out of bounds");
		return NULL;
	}
	if (rawfield & SM_COMPRESSED)
	{
		if (rawlen > (uint64_t) stored * SM_MAX_ZLIB_RATIO + 64)
		{
			sm_fail(err, SM_E_BINARY, "implausible string chunk length");
			return NULL;
		}
		dst = sm_alloc(m->env, rawlen ? rawlen : 1, err);
		if (dst == NULL)
			return NULL;
	}
	p = expand(m, t->data_sec, off, stored, rawlen, rawfield & SM_COMPRESSED, true, dst, err);
	if (p == NULL)
	{
		sm_free(m->env, dst);
		return NULL;
	}
	t->chunks[k] = p;
	t->chunk_len[k] = rawfield;
	*len = rawlen;
	return p;
}

static bool
table_get(SmMap *m, SmTable *t, uint32_t idx, SmStr *out, SmError *err)
{
	const uint8_t *chunk;
	uint32_t	len;

	if (idx >= t->count)
		return sm_fail(err, SM_E_ARGUMENT, "string index %u out of range (%u entries)", idx, t->count);
	chunk = load_chunk(m, t, idx >> t->shift, &len, err);
	if (chunk == NULL)
		return false;
	if (!smst_chunk_entry(chunk, len, idx & ((1u << t->shift) - 1), out) ||
		(!out->isnull && !sm_text_valid((const uint8_t *) out->ptr, out->len)))
		return sm_fail(err, SM_E_BINARY, "malformed string table entry %u", idx);
	return true;
}

bool
sm_source(SmMap *m, uint32_t idx, SmStr *out, SmError *err)
{
	return table_get(m, &m->sources, idx, out, err);
}

bool
sm_name(SmMap *m, uint32_t idx, SmStr *out, SmError *err)
{
	if (!table_get(m, &m->names, idx, out, err))
		return false;
	if (out->isnull)
		return sm_fail(err, SM_E_BINARY, "null entry in names");
	return true;
}

bool
sm_source_resolved(SmMap *m, uint32_t idx, char **out, uint32_t *out_len, bool *isnull,
				   SmError *err)
{
	SmStr		s;
	uint32_t	rlen = m->root.isnull ? 0 : m->root.len;
	bool		slash;
	size_t		n;
	char	   *p;

	if (!sm_source(m, idx, &s, err))
		return false;
	*isnull = s.isnull;
	*out = NULL;
	*out_len = 0;
	if (s.isnull)
		return true;
	slash = rlen > 0 && m->root.ptr[rlen - 1] != '/';
	n = (size_t) rlen + slash + s.len;
	p = sm_alloc(m->env, n + 1, err);
	if (p == NULL)
		return false;
	if (rlen)
		memcpy(p, m->root.ptr, rlen);
	if (slash)
		p[rlen] = '/';
	memcpy(p + rlen + slash, s.ptr, s.len);
	p[n] = '\0';
	*out = p;
	*out_len = (uint32_t) n;
	return true;
}

uint32_t
sm_find_source(SmMap *m, const char *s, size_t len, SmError *err)
{
	for (uint32_t i = 0; i < m->nsources; i++)
	{
		SmStr		raw;
		char	   *res;
		uint32_t	rlen;
		bool		isnull,
					hit;

		if (!sm_source(m, i, &raw, err))
			return SM_NONE;
		if (raw.isnull)
			continue;
		if (raw.len == len && memcmp(raw.ptr, s, len) == 0)
			return i;
		if (!sm_source_resolved(m, i, &res, &rlen, &isnull, err))
			return SM_NONE;
		hit = rlen == len && memcmp(res, s, len) == 0;
		sm_free(m->env, res);
		if (hit)
			return i;
	}
	return SM_NONE;
}

bool
sm_source_ignored(SmMap *m, uint32_t idx)
{
	uint32_t	lo = 0,
				hi = m->nignore;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		uint32_t	v = sm_get32(m->ignore + (size_t) mid * 4);

		if (v == idx)
			return true;
		if (v < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The CONTENT_INDEX entry of source idx (the section is read on first use). */
static const uint8_t *
content_entry(SmMap *m, uint32_t idx, SmError *err)
{
	if (idx >= m->nsources)
	{
		sm_fail(err, SM_E_ARGUMENT, "source index %u out of range (%u sources)", idx, m->nsources);
		return NULL;
	}
	if (m->content_index == NULL)
		m->content_index = get(m, m->sec_off[SM_SEC_CONTENT_INDEX],
							   m->sec_len[SM_SEC_CONTENT_INDEX], true, err);
	if (m->content_index == NULL)
		return NULL;
	return m->content_index + (size_t) idx * SM_CI_SIZE;
}

bool
sm_source_has_content(SmMap *m, uint32_t idx, bool *has, SmError *err)
{
	const uint8_t *e = content_entry(m, idx, err);

	if (e == NULL)
		return false;
	*has = sm_get32(e + SM_CI_KIND) != SM_CONTENT_NULL;
	return true;
}

bool
sm_source_content(SmMap *m, uint32_t idx, char **out, uint32_t *out_len, bool *isnull,
				  SmError *err)
{
	const uint8_t *e;
	uint32_t	kind,
				rawlen,
				stored,
				off;
	char	   *dst;
	const uint8_t *p;

	*out = NULL;
	*out_len = 0;
	*isnull = true;
	if ((e = content_entry(m, idx, err)) == NULL)
		return false;
	kind = sm_get32(e + SM_CI_KIND);
	off = sm_get32(e + SM_CI_OFFSET);
	stored = sm_get32(e + SM_CI_STORED);
	rawlen = sm_get32(e + SM_CI_RAWLEN);
	if (kind == SM_CONTENT_NULL)
		return true;
	if (kind != SM_CONTENT_RAW && kind != SM_CONTENT_ZLIB)
		return sm_fail(err, SM_E_BINARY, "unknown content kind %u", kind);
	if (rawlen > 0x3FFFFFFF ||
		(kind == SM_CONTENT_ZLIB && rawlen > (uint64_t) stored * SM_MAX_ZLIB_RATIO + 64))
		return sm_fail(err, SM_E_BINARY, "implausible content length");
	dst = sm_alloc(m->env, (size_t) rawlen + 1, err);
	if (dst == NULL)
		return false;
	p = expand(m, SM_SEC_CONTENT, off, stored, rawlen, kind == SM_CONTENT_ZLIB, false,
			   (uint8_t *) dst, err);
	if (p == NULL)
	{
		sm_free(m->env, dst);
		return false;
	}
	if (p != (const uint8_t *) dst)
		memcpy(dst, p, rawlen);
	if (!sm_text_valid((const uint8_t *) dst, rawlen))
	{
		sm_free(m->env, dst);
		return sm_fail(err, SM_E_BINARY, "content of source %u is not valid text", idx);
	}
	dst[rawlen] = '\0';
	*out = dst;
	*out_len = rawlen;
	*isnull = false;
	return true;
}

/* A whole section, read once and kept in *cache; *len 0 when it is empty. */
static bool
whole_section(SmMap *m, SmSection sec, const uint8_t **cache, const uint8_t **data,
			  uint32_t *len, SmError *err)
{
	*len = m->sec_len[sec];
	*data = NULL;
	if (*len == 0)
		return true;
	if (*cache == NULL)
		*cache = get(m, m->sec_off[sec], *len, true, err);
	*data = *cache;
	return *cache != NULL;
}

bool
sm_function_table(SmMap *m, const uint8_t **data, uint32_t *len, SmError *err)
{
	return whole_section(m, SM_SEC_FUNCTIONS, &m->functions, data, len, err);
}

bool
sm_source_function_tables(SmMap *m, const uint8_t **data, uint32_t *len, SmError *err)
{
	return whole_section(m, SM_SEC_SOURCE_FUNCTIONS, &m->source_functions, data, len, err);
}

/* Is s (len bytes) one JSON object, members kept verbatim? */
static bool
members_valid(const char *s, size_t len)
{
	SmError		ignored = {0};
	SmJson		js;
	SmJsonTok	t;

	smj_init(&js, s, len, &ignored);
	while ((t = smj_next(&js)) != SMJ_EOF)
		if (t == SMJ_ERROR)
			return false;
	return true;
}

bool
sm_kept(SmMap *m, uint32_t *flags, char **text, uint32_t *len, SmError *err)
{
	uint32_t	seclen = m->sec_len[SM_SEC_KEPT];
	const uint8_t *sec,
			   *p,
			   *end;
	uint64_t	f,
				rl;
	uint32_t	head,
				rawlen;
	char	   *dst;
	const uint8_t *src;

	*flags = 0;
	*text = NULL;
	*len = 0;
	if (seclen == 0)
		return true;
	if ((sec = get(m, m->sec_off[SM_SEC_KEPT], seclen < 20 ? seclen : 20, false, err)) == NULL)
		return false;
	p = sec;
	end = sec + (seclen < 20 ? seclen : 20);
	if (!sm_read_uvarint(&p, end, &f) || !sm_read_uvarint(&p, end, &rl) ||
		(f & ~(uint64_t) SM_KEPT_FLAGS_KNOWN) || (rl >> 1) > 0x3FFFFFFF)
		return sm_fail(err, SM_E_BINARY, "KEPT section header is malformed");
	head = (uint32_t) (p - sec);
	rawlen = (uint32_t) (rl >> 1);
	/* room for "{" text "}": the text must be object members, or output would not be JSON */
	dst = sm_alloc(m->env, (size_t) rawlen + 2, err);
	if (dst == NULL)
		return false;
	src = expand(m, SM_SEC_KEPT, head, seclen - head, rawlen, (rl & 1) != 0, false,
				 (uint8_t *) dst + 1, err);
	if (src == NULL)
	{
		sm_free(m->env, dst);
		return false;
	}
	if (src != (const uint8_t *) dst + 1)
		memcpy(dst + 1, src, rawlen);
	dst[0] = '{';
	dst[rawlen + 1] = '}';
	if (!members_valid(dst, (size_t) rawlen + 2))
	{
		sm_free(m->env, dst);
		return sm_fail(err, SM_E_BINARY, "KEPT section does not hold JSON object members");
	}
	memmove(dst, dst + 1, rawlen);
	dst[rawlen] = '\0';
	*flags = (uint32_t) f;
	*text = dst;
	*len = rawlen;
	return true;
}

bool
sm_info(SmMap *m, SmInfo *info, SmError *err)
{
	(void) err;
	memset(info, 0, sizeof(*info));
	info->format_version = SM_FORMAT_VERSION;
	info->file = m->file;
	info->source_root = m->root;
	info->has_debug_id = (m->flags & SM_FLAG_DEBUG_ID) != 0;
	memcpy(info->debug_id, m->debug_id, 16);
	info->segments = m->nsegments;
	info->generated_lines = m->nlines;
	info->sources = m->nsources;
	info->names = m->nnames;
	info->stored_bytes = m->total + m->upgrade_bytes;	/* in today's layout */
	return true;
}

/* ---- complete validation ------------------------------------------- */

/* Every block decodes, in order, with the counts the header promises. */
static bool
validate_blocks(SmMap *m, SmError *err)
{
	uint64_t	total = 0;
	uint32_t	expect_off = 0;
	uint32_t	last_line = 0,
				last_col = 0;

	for (uint32_t b = 0; b < m->nblocks; b++)
	{
		const uint8_t *e = m->block_index + (size_t) b * SM_BI_SIZE;
		SmMapping	first,
					last;

		sm_check_interrupts(m->env);
		if (sm_get32(e + SM_BI_OFFSET) != expect_off)
			return sm_fail(err, SM_E_BINARY, "mapping block %u is not where the previous one ends", b);
		if (!load_block(m, b, NULL, err))
			return false;
		seg_at(m, 0, &first);
		seg_at(m, m->nsegs - 1, &last);
		if (b > 0 && cmp_pos(first.gen_line, first.gen_col, last_line, last_col) <= 0)
			return sm_fail(err, SM_E_BINARY, "mapping block %u does not follow block %u", b, b - 1);
		last_line = last.gen_line;
		last_col = last.gen_col;
		total += m->nsegs;
		expect_off += (b + 1 < m->nblocks ? sm_get32(e + SM_BI_SIZE + SM_BI_OFFSET)
					   : m->sec_len[SM_SEC_BLOCKS]) - sm_get32(e + SM_BI_OFFSET);
	}
	if (expect_off != m->sec_len[SM_SEC_BLOCKS])
		return sm_fail(err, SM_E_BINARY, "mapping blocks do not fill their section");
	if (total != m->nsegments)
		return sm_fail(err, SM_E_BINARY, "mapping blocks hold %llu segments, header says %llu",
					   (unsigned long long) total, (unsigned long long) m->nsegments);
	return true;
}

static bool
validate_table(SmMap *m, SmTable *t, SmError *err)
{
	uint32_t	data_len = m->sec_len[t->data_sec];
	uint32_t	expect_off = 0;

	for (uint32_t k = 0; k < t->nchunks; k++)
	{
		uint32_t	len;
		uint32_t	entries = (k + 1 < t->nchunks) ? (1u << t->shift)
			: t->count - (k << t->shift);
		const uint8_t *c;

		sm_check_interrupts(m->env);
		if (sm_get32(t->dir + (size_t) k * SM_ST_CHUNK_SIZE + SM_ST_C_OFFSET) != expect_off)
			return sm_fail(err, SM_E_BINARY, "string chunk %u is out of place", k);
		c = load_chunk(m, t, k, &len, err);
		if (c == NULL)
			return false;
		if (!smst_chunk_check(c, len, entries))
			return sm_fail(err, SM_E_BINARY, "string chunk %u is malformed", k);
		expect_off = (k + 1 < t->nchunks) ? sm_get32(t->dir + (size_t) (k + 1) * SM_ST_CHUNK_SIZE + SM_ST_C_OFFSET)
			: data_len;
	}
	if (expect_off != data_len)
		return sm_fail(err, SM_E_BINARY, "string chunks do not fill their table");
	return true;
}

static bool
validate_contents(SmMap *m, SmError *err)
{
	uint32_t	expect_off = 0;

	for (uint32_t i = 0; i < m->nsources; i++)
	{
		const uint8_t *e = content_entry(m, i, err);
		char	   *text;
		uint32_t	len;
		bool		isnull;

		sm_check_interrupts(m->env);
		if (e == NULL)
			return false;
		if (sm_get32(e + SM_CI_OFFSET) != expect_off)
			return sm_fail(err, SM_E_BINARY, "content of source %u is out of place", i);
		if (sm_get32(e + SM_CI_KIND) == SM_CONTENT_NULL &&
			(sm_get32(e + SM_CI_STORED) != 0 || sm_get32(e + SM_CI_RAWLEN) != 0))
			return sm_fail(err, SM_E_BINARY, "null content of source %u has a length", i);
		if (!sm_source_content(m, i, &text, &len, &isnull, err))
			return false;
		sm_free(m->env, text);
		expect_off += sm_get32(e + SM_CI_STORED);
	}
	if (expect_off != m->sec_len[SM_SEC_CONTENT])
		return sm_fail(err, SM_E_BINARY, "contents do not fill their section");
	return true;
}

/*
 * The checks of untrusted bytes that need only the stored form's own parts;
 * sm_validate.c runs them with the ones that need the layers above (the
 * function table, the JSON size) in between.
 */
bool
sm_check_checksum(SmMap *m, SmError *err)
{
	const uint8_t *h,
			   *rest;
	uint64_t	stored;

	if ((h = get(m, SM_H_CHECKSUM, 8, false, err)) == NULL)
		return false;
	stored = sm_get64(h);
	if ((rest = get(m, SM_PREFIX_SIZE, m->total - SM_PREFIX_SIZE, false, err)) == NULL)
		return false;
	if (stored != sm_checksum(rest, m->total - SM_PREFIX_SIZE))
		return sm_fail(err, SM_E_BINARY, "checksum mismatch");
	return true;
}

bool
sm_check_blocks(SmMap *m, SmError *err)
{
	return validate_blocks(m, err);
}

bool
sm_check_strings(SmMap *m, SmError *err)
{
	bool		ok;

	ok = validate_table(m, &m->sources, err) &&
		validate_table(m, &m->names, err) &&
		validate_contents(m, err);
	if (ok)
	{
		for (uint32_t i = 0; i < m->nignore; i++)
		{
			uint32_t	v = sm_get32(m->ignore + (size_t) i * 4);

			if (v >= m->nsources || (i > 0 && v <= sm_get32(m->ignore + (size_t) (i - 1) * 4)))
			{
				ok = sm_fail(err, SM_E_BINARY, "ignore list is not sorted source indexes");
				break;
			}
		}
	}
	if (ok)
		for (uint32_t i = 0; i < m->nnames && ok; i++)
		{
			SmStr		s;

			ok = sm_name(m, i, &s, err);
		}
	return ok;
}
