/*
 * sm_build.c -- ingest, the one way in: turn a parsed source map document
 * into the stored form (check how the fields fit together, flatten index
 * maps, decode and sort the mappings, feed the block, string-table and
 * content encoders), then attach the original function names, the
 * document's own or those found in its generated code (sm_ingest).
 * Nothing is built per segment: the mappings stream in pieces of a few
 * thousand segments into the blocks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/sm_limits.h"
#include "base/sm_vlq.h"
#include "format/sm_blocks.h"
#include "format/sm_digest.h"
#include "format/sm_format.h"
#include "format/sm_strtab.h"
#include "functions/sm_functions.h"
#include "functions/sm_source_functions.h"
#include "io/sm_io.h"
#include "json/sm_doc.h"
#include "json/sm_json.h"

/*
 * libdeflate level for sourcesContent, the bulk of most maps: level 1, the
 * fastest, still stores every corpus map below `text` (README.md, "From
 * source", has the measurements).
 */
#ifndef SM_CONTENT_ZLEVEL
#define SM_CONTENT_ZLEVEL 1
#endif
/* poll for interrupts after this many segments or content bytes */
#define SM_INTERRUPT_EVERY 65536

typedef struct Builder
{
	const char *json;
	const SmEnv *env;
	SmError    *err;
	SmBlockWriter blocks;
	SmZ			zstr;			/* string chunks */
	SmZ			zcontent;
	SmStrtabWriter sources;
	SmStrtabWriter names;
	SmBuf		ignore;			/* uint32_t global source indexes */
	SmBuf		content_index;
	SmBuf		content_data;
	SmHash		content_hash;	/* of every raw non-null content, for the digest */
	SmBuf		scratch;		/* unescaped strings */
	SmBuf		line;			/* SmMapping[] of the current generated line */
	SmBuf		sort_tmp;
	SmBuf		source_functions;	/* the SOURCE_FUNCTIONS section */
	uint32_t	nsources;
	uint32_t	nnames;
	uint32_t	gen_lines;
	bool		any_segment;
	uint32_t	last_line;
	uint32_t	last_col;
	char		path[160];		/* "sections[1].map." inside index maps */
	uint32_t	poll;
} Builder;

/* Fail naming a member of the current (sub-)map and a byte offset. */
static bool
fail_field(Builder *b, const char *field, size_t at, const char *fmt, const char *detail)
{
	char		msg[200];

	snprintf(msg, sizeof(msg), fmt, detail);
	return sm_fail(b->err, SM_E_SYNTAX, "\"%s%s\" %s at byte %zu", b->path, field, msg, at);
}

/* Count poll ticks and call the host's interrupt hook now and then. */
static inline void
tick(Builder *b, uint32_t n)
{
	b->poll += n;
	if (b->poll >= SM_INTERRUPT_EVERY)
	{
		b->poll = 0;
		sm_check_interrupts(b->env);
	}
}

/*
 * The text of a span, unescaped if needed (into b->scratch, valid until the
 * next call).  Rejects NUL characters, which PostgreSQL text cannot hold.
 */
static bool
span_text(Builder *b, const SmSpan *s, const char *field, const char **out, size_t *len)
{
	const char *src = b->json + s->off;
	size_t		n;
	bool		nul;

	if (!s->escaped)
	{
		*out = src;
		*len = s->len;
		return true;
	}
	b->scratch.len = 0;
	if (!smb_reserve(&b->scratch, s->len))
		return false;
	n = smj_unescape_copy(src, s->len, (char *) b->scratch.data, &nul);
	if (nul)
		return fail_field(b, field, s->off - 1, "%s", "contains \\u0000, which a text value cannot hold");
	*out = (const char *) b->scratch.data;
	*len = n;
	return true;
}

/* ---- strings, contents, ignore list -------------------------------- */

/* sourceRoot + "/" (unless empty or already ending in "/") + source */
static bool
add_resolved_source(Builder *b, const SmDoc *doc, const SmSpan *s)
{
	const char *root = NULL,
			   *src;
	size_t		rlen = 0,
				slen;
	SmBuf		joined;
	bool		ok;

	if (s->isnull)
		return smst_add(&b->sources, NULL, 0, true);
	if (doc->has_root && doc->root.len > 0)
	{
		/* the root is short: copy it out of scratch before the source uses it */
		if (!span_text(b, &doc->root, "sourceRoot", &root, &rlen))
			return false;
	}
	smb_init(&joined, b->env, b->err);
	ok = smb_append(&joined, root, rlen) &&
		(rlen == 0 || root[rlen - 1] == '/' || smb_append(&joined, "/", 1)) &&
		span_text(b, s, "sources", &src, &slen) &&
		smb_append(&joined, src, slen) &&
		smst_add(&b->sources, (const char *) joined.data, joined.len, false);
	smb_free(&joined);
	return ok;
}

static bool
add_sources(Builder *b, const SmDoc *doc, bool resolve)
{
	const SmSpan *v = SM_SPANS(doc->sources);
	uint32_t	n = SM_NSPANS(doc->sources);

	for (uint32_t i = 0; i < n; i++)
	{
		const char *s;
		size_t		len;

		if (resolve)
		{
			if (!add_resolved_source(b, doc, &v[i]))
				return false;
		}
		else if (v[i].isnull)
		{
			if (!smst_add(&b->sources, NULL, 0, true))
				return false;
		}
		else if (!span_text(b, &v[i], "sources", &s, &len) ||
				 !smst_add(&b->sources, s, len, false))
			return false;
	}
	return true;
}

static bool
add_names(Builder *b, const SmDoc *doc)
{
	const SmSpan *v = SM_SPANS(doc->names);
	uint32_t	n = SM_NSPANS(doc->names);

	for (uint32_t i = 0; i < n; i++)
	{
		const char *s;
		size_t		len;

		if (!span_text(b, &v[i], "names", &s, &len) || !smst_add(&b->names, s, len, false))
			return false;
	}
	return true;
}

/* One CONTENT_INDEX entry per source, compressing each content on its own. */
static bool
add_contents(Builder *b, const SmDoc *doc)
{
	const SmSpan *v = SM_SPANS(doc->contents);
	uint32_t	ncontent = doc->has_contents ? SM_NSPANS(doc->contents) : 0;
	uint32_t	nsources = SM_NSPANS(doc->sources);

	if (ncontent > nsources)
		return fail_field(b, "sourcesContent", doc->contents_at,
						  "has more entries than \"sources\"%s", "");
	for (uint32_t i = 0; i < nsources; i++)
	{
		uint8_t		entry[SM_CI_SIZE];
		size_t		offset = b->content_data.len;
		uint32_t	kind = SM_CONTENT_NULL;
		size_t		len = 0;

		if (i < ncontent && !v[i].isnull)
		{
			const char *s;
			bool		compressed;

			if (!span_text(b, &v[i], "sourcesContent", &s, &len))
				return false;
			smh_update(&b->content_hash, s, len);
			if (!smz_deflate_append(&b->zcontent, &b->content_data, (const uint8_t *) s, len,
									&compressed, b->err))
				return false;
			kind = compressed ? SM_CONTENT_ZLIB : SM_CONTENT_RAW;
			tick(b, (uint32_t) (len > SM_INTERRUPT_EVERY ? SM_INTERRUPT_EVERY : len));
		}
		if (b->content_data.len > 0x7FFFFFFF)
			return sm_fail(b->err, SM_E_LIMIT, "\"sourcesContent\" exceeds 2 GB after compression");
		sm_put32(entry + SM_CI_OFFSET, (uint32_t) offset);
		sm_put32(entry + SM_CI_STORED, (uint32_t) (b->content_data.len - offset));
		sm_put32(entry + SM_CI_RAWLEN, (uint32_t) len);
		sm_put32(entry + SM_CI_KIND, kind);
		if (!smb_append(&b->content_index, entry, sizeof(entry)))
			return false;
	}
	return true;
}

static bool
add_ignore(Builder *b, const SmDoc *doc, uint32_t base)
{
	const uint32_t *v = (const uint32_t *) doc->ignore.data;
	size_t		n = doc->ignore.len / sizeof(uint32_t);
	uint32_t	nsources = SM_NSPANS(doc->sources);

	for (size_t i = 0; i < n; i++)
	{
		uint32_t	g = base + v[i];
		char		detail[64];

		if (v[i] >= nsources)
		{
			snprintf(detail, sizeof(detail), "%u", v[i]);
			return fail_field(b, doc->ignore_field, doc->ignore_at,
							  "has index %s past the end of \"sources\"", detail);
		}
		if (!smb_append(&b->ignore, &g, sizeof(g)))
			return false;
	}
	return true;
}

/* ---- mappings ------------------------------------------------------ */

/* Sort a line's segments by generated column (stably: of equal ones, map order). */
#define SM_SORT_NAME sort_line
#define SM_SORT_TYPE SmMapping
#define SM_SORT_BEFORE(a, b) ((a)->gen_col < (b)->gen_col)
#include "base/sm_sort_template.h"

/*
 * Segments decoded into b->line before they go to the block writer: whole
 * lines (many short ones at a time: one call per line would cost more than
 * its segments on a map of short lines), and at most this many of a line
 * before a still sorted line is checked ahead (line_is_sorted) and streamed.
 * Most lines are shorter and are decoded once; a longer one costs 96 KB,
 * not its length.
 */
#define SM_LINE_BUFFER 4096

/* Stable-sort the buffered segments of the current line, b->line[from..]. */
static bool
sort_line_segments(Builder *b, size_t from)
{
	SmMapping  *v = (SmMapping *) (b->line.data + from);
	size_t		n = (b->line.len - from) / sizeof(SmMapping);

	b->sort_tmp.len = 0;
	if (!smb_reserve(&b->sort_tmp, n * sizeof(SmMapping)))
		return false;
	sort_line(v, (SmMapping *) b->sort_tmp.data, n);
	return true;
}

/* Hand every buffered segment to the block writer. */
static bool
push_buffered(Builder *b)
{
	if (!smbw_push_n(&b->blocks, (const SmMapping *) b->line.data, b->line.len / sizeof(SmMapping)))
		return false;
	b->line.len = 0;
	return true;
}

/*
 * Are the segments of the rest of a line (s[0..n), no ';', following a
 * segment at column col) in column order?  Only the first field of each
 * segment is read; anything malformed answers "sorted" and is reported by
 * the full decode.
 */
static bool
line_is_sorted(const char *s, size_t n, int64_t col)
{
	int64_t		prev = col;
	size_t		i = 0;

	while (i < n)
	{
		size_t		p = i;
		int64_t		v;

		if (sm_vlq_next(s, n, &p, &v) != SM_VLQ_OK)
			return true;
		col += v;
		if (col < prev)
			return false;
		prev = col;
		/* segments are a few bytes: a loop beats a memchr call */
		while (p < n && s[p] != ',')
			p++;
		i = p + 1;
	}
	return true;
}

typedef struct MapCtx
{
	uint32_t	line_off;		/* generated line of this map's line 0 */
	uint32_t	col_off;		/* added to columns of its line 0 only */
	uint32_t	src_base;
	uint32_t	name_base;
	uint32_t	nsources;
	uint32_t	nnames;
} MapCtx;

/* Running state of the "mappings" decoder. */
typedef struct Decoder
{
	const char *s;
	size_t		n;
	size_t		base;			/* byte offset of s[0] in the document */
	size_t		i;
	uint32_t	line;			/* line within this map */
	uint32_t	seg;			/* segment within the line */
	int64_t		col,
				src,
				oline,
				ocol,
				name;
} Decoder;

/* Error inside "mappings": what, where, which line and segment. */
static bool
fail_mapping(Builder *b, const Decoder *d, size_t at, const char *what)
{
	return sm_fail(b->err, SM_E_SYNTAX, "\"%smappings\" %s at byte %zu (line %u, segment %u)",
				   b->path, what, d->base + at, d->line, d->seg);
}

/* Add a delta to a running value that must stay in [0, limit). */
static inline bool
step(int64_t *acc, int64_t delta, int64_t limit)
{
	int64_t		v = *acc + delta;

	if (v < 0 || v >= limit)
		return false;
	*acc = v;
	return true;
}

/* Report a VLQ that failed to decode at d->s[at]. */
static bool
fail_vlq(Builder *b, const Decoder *d, size_t at, SmVlqStatus st)
{
	char		what[64];
	unsigned char ch = at < d->n ? (unsigned char) d->s[at] : 0;

	if (st == SM_VLQ_OVERFLOW)
		return fail_mapping(b, d, at, "has a VLQ value exceeding 32 bits");
	if (st == SM_VLQ_TRUNCATED || ch == ',' || ch == ';')
		return fail_mapping(b, d, at, "has a VLQ value missing its continuation digits");
	if (ch >= 0x20 && ch < 0x7F)
		snprintf(what, sizeof(what), "has an invalid character '%c'", ch);
	else
		snprintf(what, sizeof(what), "has an invalid byte 0x%02x", ch);
	return fail_mapping(b, d, at, what);
}

/* Decode the segment at d->i into *m (absolute, offsets applied). */
static bool
decode_segment(Builder *b, Decoder *d, const MapCtx *c, uint32_t col_off, SmMapping *m)
{
	const int64_t coord_limit = (int64_t) SM_MAX_COORD + 1;
	const char *s = d->s;
	size_t		seg_at = d->i;
	int64_t		f[5];
	int			nf = 0;

	while (d->i < d->n && s[d->i] != ',' && s[d->i] != ';')
	{
		SmVlqStatus st;

		if (nf == 5)
			return fail_mapping(b, d, seg_at, "has a segment with more than 5 fields");
		st = sm_vlq_next(s, d->n, &d->i, &f[nf]);
		if (st != SM_VLQ_OK)
			return fail_vlq(b, d, d->i, st);
		nf++;
	}
	if (nf == 0)
		return fail_mapping(b, d, seg_at, "has an empty segment");
	if (nf == 2 || nf == 3)
	{
		char		what[48];

		snprintf(what, sizeof(what), "has a segment with %d fields", nf);
		return fail_mapping(b, d, seg_at, what);
	}
	if (!step(&d->col, f[0], coord_limit))
		return fail_mapping(b, d, seg_at, d->col + f[0] < 0 ? "has a negative generated column" :
							"has a generated column past 2147483647");
	if ((uint64_t) d->col + col_off > SM_MAX_COORD)
		return fail_mapping(b, d, seg_at, "has a generated column past 2147483647 after the section offset");
	m->gen_line = c->line_off + d->line;
	m->gen_col = (uint32_t) d->col + col_off;
	m->source = m->name = SM_NONE;
	m->orig_line = m->orig_col = 0;
	if (nf < 4)
		return true;
	if (!step(&d->src, f[1], c->nsources))
		return fail_mapping(b, d, seg_at, d->src + f[1] < 0 ? "has a negative source index" :
							"has a source index past the end of \"sources\"");
	if (!step(&d->oline, f[2], coord_limit))
		return fail_mapping(b, d, seg_at, d->oline + f[2] < 0 ? "has a negative original line" :
							"has an original line past 2147483647");
	if (!step(&d->ocol, f[3], coord_limit))
		return fail_mapping(b, d, seg_at, d->ocol + f[3] < 0 ? "has a negative original column" :
							"has an original column past 2147483647");
	m->source = c->src_base + (uint32_t) d->src;
	m->orig_line = (uint32_t) d->oline;
	m->orig_col = (uint32_t) d->ocol;
	if (nf == 5)
	{
		if (!step(&d->name, f[4], c->nnames))
			return fail_mapping(b, d, seg_at, d->name + f[4] < 0 ? "has a negative name index" :
								"has a name index past the end of \"names\"");
		m->name = c->name_base + (uint32_t) d->name;
	}
	return true;
}

/*
 * Decode the run of well-formed segments of the current line at d->i into
 * out[0..max): each with 1, 4 or 5 fields, every value in range, followed
 * by the line's end or by "," and another segment.  Stops before the first
 * segment that is not (decode_segment then decodes it and reports exactly
 * what is wrong) and within SM_VLQ_SEGMENT_MARGIN bytes of the end of
 * "mappings".  The running values live in locals for the whole run.
 * Returns the segments written; clears *sorted if a column goes back.
 */
static size_t
decode_run(Decoder *d, const MapCtx *c, uint32_t col_off, size_t line_end, SmMapping *out,
		   size_t max, bool *sorted)
{
	const uint64_t coord_limit = (uint64_t) SM_MAX_COORD + 1;
	Decoder		r = *d;			/* a copy that can live in registers */
	const char *s = r.s;
	size_t		last = r.n - SM_VLQ_SEGMENT_MARGIN;
	uint32_t	gen_line = c->line_off + r.line;
	uint32_t	prev_col = 0;
	bool		in_order = true;
	size_t		k;

	if (r.n < SM_VLQ_SEGMENT_MARGIN)
		return 0;
	for (k = 0; k < max && r.i < line_end && r.i <= last; k++)
	{
		int64_t		f[5] = {0, 0, 0, 0, 0};
		size_t		p = r.i;
		int			nf = sm_vlq_segment(s, &p, f);
		int64_t		ncol = r.col + f[0];
		SmMapping  *m = &out[k];

		/* s[p] is ';' at line_end, else ',' which must start another segment */
		if (nf == 0 || (p != line_end && (p + 1 == line_end || s[p + 1] == ',')) ||
			(uint64_t) ncol >= coord_limit || (uint64_t) ncol + col_off > SM_MAX_COORD)
			break;
		m->gen_line = gen_line;
		m->gen_col = (uint32_t) ncol + col_off;
		m->source = m->name = SM_NONE;
		m->orig_line = m->orig_col = 0;
		if (nf >= 4)
		{
			int64_t		nsrc = r.src + f[1],
						noline = r.oline + f[2],
						nocol = r.ocol + f[3];

			if ((uint64_t) nsrc >= c->nsources || (uint64_t) noline >= coord_limit ||
				(uint64_t) nocol >= coord_limit)
				break;
			if (nf == 5)
			{
				int64_t		nname = r.name + f[4];

				if ((uint64_t) nname >= c->nnames)
					break;
				r.name = nname;
				m->name = c->name_base + (uint32_t) r.name;
			}
			r.src = nsrc;
			r.oline = noline;
			r.ocol = nocol;
			m->source = c->src_base + (uint32_t) r.src;
			m->orig_line = (uint32_t) r.oline;
			m->orig_col = (uint32_t) r.ocol;
		}
		if (k > 0 && m->gen_col < prev_col)
			in_order = false;
		prev_col = m->gen_col;
		r.col = ncol;
		r.i = p == line_end ? p : p + 1;
	}
	r.seg += (uint32_t) k;
	*d = r;
	if (!in_order)
		*sorted = false;
	return k;
}

/*
 * Decode "mappings" line by line.  A line's segments are buffered and, if
 * not in column order, stable-sorted before they go to the block writer,
 * which gets the buffer once it holds SM_LINE_BUFFER segments (and at the
 * end); past SM_LINE_BUFFER segments, a line whose rest is in order (nearly
 * always) goes to the block writer in pieces of that size.  Runs of
 * well-formed segments are decoded by decode_run, the rest (and every
 * error) one by one by decode_segment.
 */
static bool
decode_mappings(Builder *b, const SmDoc *doc, const MapCtx *c, uint32_t *lines_out)
{
	Decoder		d;

	memset(&d, 0, sizeof(d));
	if (!span_text(b, &doc->mappings, "mappings", &d.s, &d.n))
		return false;
	d.base = doc->mappings.off;
	for (;;)
	{
		const char *semi = memchr(d.s + d.i, ';', d.n - d.i);
		size_t		line_end = semi ? (size_t) (semi - d.s) : d.n;
		bool		sorted = true,
					streaming = false;
		uint32_t	col_off = d.line == 0 ? c->col_off : 0;
		size_t		start = b->line.len;	/* of this line in b->line */

		if ((uint64_t) c->line_off + d.line >= SM_MAX_LINES)
			return sm_fail(b->err, SM_E_LIMIT, "\"%smappings\" has more than %u generated lines (the limit)",
						   b->path, SM_MAX_LINES);
		d.col = 0;
		d.seg = 0;
		while (d.i < line_end)
		{
			SmMapping  *m;
			size_t		buffered = b->line.len / sizeof(SmMapping),
						in_line = (b->line.len - start) / sizeof(SmMapping),
						room,
						run;

			if (b->blocks.total + buffered >= SM_MAX_SEGMENTS)
				return sm_fail(b->err, SM_E_LIMIT, "\"%smappings\" has more than %u segments (the limit)",
							   b->path, SM_MAX_SEGMENTS);
			if (in_line == SM_LINE_BUFFER &&
				(streaming || (sorted && line_is_sorted(d.s + d.i, line_end - d.i, d.col))))
			{
				if (!push_buffered(b))
					return false;
				start = 0;
				buffered = in_line = 0;
				streaming = true;
			}
			/* decoded in place: a copy through the stack costs a stalled load */
			room = in_line < SM_LINE_BUFFER ? SM_LINE_BUFFER - in_line : SM_LINE_BUFFER;
			if (room > SM_MAX_SEGMENTS - (b->blocks.total + buffered))
				room = SM_MAX_SEGMENTS - (b->blocks.total + buffered);
			if (!smb_reserve(&b->line, room * sizeof(SmMapping)))
				return false;
			m = (SmMapping *) (b->line.data + b->line.len);
			run = decode_run(&d, c, col_off, line_end, m, room, &sorted);
			if (run > 0)
			{
				if (in_line && m->gen_col < m[-1].gen_col)
					sorted = false;
				b->line.len += run * sizeof(SmMapping);
				continue;
			}
			if (!decode_segment(b, &d, c, col_off, m))
				return false;
			if (in_line && m->gen_col < m[-1].gen_col)
				sorted = false;
			b->line.len += sizeof(SmMapping);
			d.seg++;
			if (d.i < line_end && d.s[d.i] == ',')
			{
				d.i++;
				if (d.i == line_end || d.s[d.i] == ',')
					return fail_mapping(b, &d, d.i, "has an empty segment");
			}
		}
		if (!sorted && !sort_line_segments(b, start))
			return false;
		if (d.seg)
		{
			/* the line's last segment once sorted: the last one written so far */
			const SmMapping *last = (const SmMapping *) (b->line.data + b->line.len) - 1;

			b->any_segment = true;
			b->last_line = last->gen_line;
			b->last_col = last->gen_col;
		}
		if (b->line.len >= SM_LINE_BUFFER * sizeof(SmMapping) && !push_buffered(b))
			return false;
		tick(b, d.seg);
		if (d.i >= d.n)
			break;
		d.i++;
		d.line++;
	}
	*lines_out = d.line + 1;
	return push_buffered(b);
}

/* ---- maps ---------------------------------------------------------- */

static bool add_map(Builder *b, const SmDoc *doc, uint32_t line_off, uint32_t col_off,
					bool in_index);

static bool
add_regular_map(Builder *b, const SmDoc *doc, uint32_t line_off, uint32_t col_off, bool in_index)
{
	MapCtx		c;
	uint32_t	lines = 0;

	if (!doc->has_version)
		return fail_field(b, "version", doc->at, "is missing%s", "");
	if (!doc->has_sources)
		return fail_field(b, "sources", doc->at, "is missing%s", "");
	if (!doc->has_mappings)
		return fail_field(b, "mappings", doc->at, "is missing%s", "");
	c.line_off = line_off;
	c.col_off = col_off;
	c.src_base = b->nsources;
	c.name_base = b->nnames;
	c.nsources = SM_NSPANS(doc->sources);
	c.nnames = SM_NSPANS(doc->names);
	if ((uint64_t) b->nsources + c.nsources > SM_MAX_SOURCES)
		return sm_fail(b->err, SM_E_LIMIT, "the sections have more than %u sources (the limit)",
					   SM_MAX_SOURCES);
	if ((uint64_t) b->nnames + c.nnames > SM_MAX_NAMES)
		return sm_fail(b->err, SM_E_LIMIT, "the sections have more than %u names (the limit)",
					   SM_MAX_NAMES);
	if (!add_sources(b, doc, in_index) || !add_names(b, doc) ||
		!add_contents(b, doc) || !add_ignore(b, doc, c.src_base))
		return false;
	b->nsources += c.nsources;
	b->nnames += c.nnames;
	if (!decode_mappings(b, doc, &c, &lines))
		return false;
	if (line_off + lines > b->gen_lines)
		b->gen_lines = line_off + lines;
	return true;
}

static bool
add_index_map(Builder *b, const SmDoc *doc, uint32_t line_off, uint32_t col_off)
{
	const SmSectionDoc *secs = (const SmSectionDoc *) doc->sections.data;
	uint32_t	nsec = (uint32_t) (doc->sections.len / sizeof(SmSectionDoc));
	size_t		saved = strlen(b->path);
	uint64_t	prev_line = 0,
				prev_col = 0;

	if (!doc->has_version)
		return fail_field(b, "version", doc->at, "is missing%s", "");
	if (doc->has_mappings)
		return fail_field(b, "mappings", doc->mappings.off - 1,
						  "is not allowed in an index map (it has \"sections\")%s", "");
	for (uint32_t k = 0; k < nsec; k++)
	{
		uint64_t	line = (uint64_t) line_off + secs[k].line;
		uint64_t	col = secs[k].line == 0 ? (uint64_t) col_off + secs[k].col : secs[k].col;
		char		field[40];

		snprintf(field, sizeof(field), "sections[%u].offset", k);
		if (line >= SM_MAX_LINES)
			return sm_fail(b->err, SM_E_LIMIT, "\"%s%s\" is past the limit of %u generated lines at byte %u",
						   b->path, field, SM_MAX_LINES, secs[k].at);
		if (col > SM_MAX_COORD)
			return fail_field(b, field, secs[k].at, "is past 2147483647%s", "");
		if (k > 0 && (line < prev_line || (line == prev_line && col < prev_col)))
			return fail_field(b, field, secs[k].at,
							  "is before the previous section's offset (sections must be in order)%s", "");
		if (b->any_segment &&
			(line < b->last_line || (line == b->last_line && col <= b->last_col)))
			return fail_field(b, field, secs[k].at,
							  "overlaps the mappings of the previous section%s", "");
		prev_line = line;
		prev_col = col;
		snprintf(b->path + saved, sizeof(b->path) - saved, "sections[%u].map.", k);
		if (!add_map(b, secs[k].map, (uint32_t) line, (uint32_t) col, true))
			return false;
		b->path[saved] = '\0';
		if (line + 1 > b->gen_lines)
			b->gen_lines = (uint32_t) line + 1;
	}
	return true;
}

static bool
add_map(Builder *b, const SmDoc *doc, uint32_t line_off, uint32_t col_off, bool in_index)
{
	if (doc->has_sections)
		return add_index_map(b, doc, line_off, col_off);
	return add_regular_map(b, doc, line_off, col_off, in_index);
}

/* Length of a span's text once unescaped. */
static size_t
span_len(Builder *b, const SmSpan *s)
{
	const char *t;
	size_t		n;

	if (!s->escaped)
		return s->len;
	/* an escape error here is reported again, with context, when the string is added */
	return span_text(b, s, "", &t, &n) ? n : s->len;
}

/*
 * Totals of the strings as they will be stored, to size the string-table
 * chunks.  Exact lengths matter: the stored bytes must not depend on how
 * the JSON spelled a string, or canonical output would not read back the same.
 */
static void
count_strings(Builder *b, const SmDoc *doc, bool in_index, uint64_t *src_bytes, uint32_t *nsrc,
			  uint64_t *name_bytes, uint32_t *nname, uint64_t *content_bytes)
{
	const SmSectionDoc *secs = (const SmSectionDoc *) doc->sections.data;
	size_t		nsec = doc->sections.len / sizeof(SmSectionDoc);
	size_t		prefix = 0;

	/* an index map's own sources and names are ignored, as add_index_map does */
	if (doc->has_sections)
	{
		for (size_t i = 0; i < nsec; i++)
			count_strings(b, secs[i].map, true, src_bytes, nsrc, name_bytes, nname, content_bytes);
		return;
	}
	if (in_index && doc->has_root && doc->root.len > 0)
	{
		const char *root;

		if (span_text(b, &doc->root, "sourceRoot", &root, &prefix) && prefix > 0)
			prefix += root[prefix - 1] != '/';
	}
	for (uint32_t i = 0; i < SM_NSPANS(doc->sources); i++)
		if (!SM_SPANS(doc->sources)[i].isnull)
			*src_bytes += prefix + span_len(b, &SM_SPANS(doc->sources)[i]);
	*nsrc += SM_NSPANS(doc->sources);
	for (uint32_t i = 0; i < SM_NSPANS(doc->names); i++)
		*name_bytes += span_len(b, &SM_SPANS(doc->names)[i]);
	*nname += SM_NSPANS(doc->names);
	for (uint32_t i = 0; i < SM_NSPANS(doc->contents); i++)
		*content_bytes += SM_SPANS(doc->contents)[i].len;
	for (size_t i = 0; i < nsec; i++)
		count_strings(b, secs[i].map, true, src_bytes, nsrc, name_bytes, nname, content_bytes);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

/* Append uvarint(len + 1) and the bytes, or 0 for an absent string. */
static bool
put_opt_string(Builder *b, SmBuf *out, const SmSpan *s, bool has, const char *field)
{
	const char *t;
	size_t		n;

	if (!has)
		return smb_uvarint(out, 0);
	if (!span_text(b, s, field, &t, &n))
		return false;
	return smb_uvarint(out, (uint64_t) n + 1) && smb_append(out, t, n);
}

/*
 * The KEPT section: the top-level members no other section holds, as the
 * input spelled them less whitespace, and how known members were named.
 * An index map keeps its own members, not those of its sections.
 */
static bool
build_kept(Builder *b, const SmDoc *top, SmBuf *out)
{
	const SmKeptMember *k = (const SmKeptMember *) top->kept.data;
	size_t		n = top->kept.len / sizeof(SmKeptMember);
	uint32_t	flags = 0;
	SmBuf		text,
				packed;
	bool		compressed = false,
				ok = true;

	if ((top->kept_flags & SM_DOC_KEPT_X_GOOGLE_IGNORE) && !top->has_sections)
		flags |= SM_KEPT_X_GOOGLE_IGNORE;
	if (top->kept_flags & SM_DOC_KEPT_DEBUG_ID_SNAKE)
		flags |= SM_KEPT_DEBUG_ID_SNAKE;
	if (n == 0 && flags == 0)
		return true;
	smb_init(&text, b->env, b->err);
	smb_init(&packed, b->env, b->err);
	for (size_t i = 0; ok && i < n; i++)
		ok = (i == 0 || smb_append(&text, ",", 1)) &&
			smj_minify_append(b->json + k[i].at, k[i].end - k[i].at, &text);
	ok = ok && smz_deflate_append(&b->zcontent, &packed, text.data, text.len, &compressed, b->err) &&
		smb_uvarint(out, flags) && smb_uvarint(out, (uint64_t) text.len << 1 | compressed) &&
		smb_append(out, packed.data, packed.len);
	smb_free(&text);
	smb_free(&packed);
	return ok;
}

/* Lay out header, table of contents and sections into one block. */
static bool
assemble(Builder *b, const SmDoc *top, size_t prefix, uint8_t **out, size_t *out_len)
{
	SmBuf		meta,
				functions,
				kept,
				src_dir,
				src_data,
				name_dir,
				name_data,
				ignore;
	SmBuf	   *sec[SM_NSECTIONS];
	uint8_t		fixed[SM_META_FIXED];
	uint32_t   *ig = (uint32_t *) b->ignore.data;
	size_t		nig = b->ignore.len / sizeof(uint32_t),
				nuniq = 0;
	size_t		total;
	uint8_t    *buf,
			   *p;
	bool		ok = false;
	bool		is_index = top->has_sections;

	smb_init(&meta, b->env, b->err);
	smb_init(&functions, b->env, b->err);
	smb_init(&kept, b->env, b->err);
	smb_init(&src_dir, b->env, b->err);
	smb_init(&src_data, b->env, b->err);
	smb_init(&name_dir, b->env, b->err);
	smb_init(&name_data, b->env, b->err);
	smb_init(&ignore, b->env, b->err);

	memset(fixed, 0, sizeof(fixed));
	sm_put32(fixed + SM_META_SOURCES, b->nsources);
	sm_put32(fixed + SM_META_NAMES, b->nnames);
	sm_put32(fixed + SM_META_LINES, b->gen_lines);
	sm_put32(fixed + SM_META_BLOCKS, b->blocks.nblocks);
	sm_put64(fixed + SM_META_SEGMENTS, b->blocks.total);
	if (top->has_debug_id)
		memcpy(fixed + SM_META_DEBUG_ID, top->debug_id, 16);
	if (!smb_append(&meta, fixed, sizeof(fixed)) ||
		!put_opt_string(b, &meta, &top->file, top->has_file, "file") ||
		!put_opt_string(b, &meta, &top->root, top->has_root && !is_index, "sourceRoot"))
		goto done;

	if (nig > 1)
		qsort(ig, nig, sizeof(uint32_t), cmp_u32);
	for (size_t i = 0; i < nig; i++)
		if (i == 0 || ig[i] != ig[i - 1])
			nuniq++;
	{
		uint8_t		word[4];

		sm_put32(word, (uint32_t) nuniq);
		if (!smb_append(&ignore, word, 4))
			goto done;
		for (size_t i = 0; i < nig; i++)
		{
			if (i > 0 && ig[i] == ig[i - 1])
				continue;
			sm_put32(word, ig[i]);
			if (!smb_append(&ignore, word, 4))
				goto done;
		}
	}
	if (!smst_finish(&b->sources, &src_dir, &src_data) ||
		!smst_finish(&b->names, &name_dir, &name_data) ||
		!build_kept(b, top, &kept))
		goto done;

	sec[SM_SEC_META] = &meta;
	sec[SM_SEC_BLOCK_INDEX] = &b->blocks.index;
	sec[SM_SEC_SOURCES] = &src_dir;
	sec[SM_SEC_NAMES] = &name_dir;
	sec[SM_SEC_IGNORE] = &ignore;
	sec[SM_SEC_SOURCES_DATA] = &src_data;
	sec[SM_SEC_NAMES_DATA] = &name_data;
	sec[SM_SEC_CONTENT_INDEX] = &b->content_index;
	sec[SM_SEC_BLOCKS] = &b->blocks.data;
	sec[SM_SEC_CONTENT] = &b->content_data;
	sec[SM_SEC_KEPT] = &kept;
	sec[SM_SEC_SOURCE_FUNCTIONS] = &b->source_functions;
	sec[SM_SEC_FUNCTIONS] = &functions;	/* filled by attach_table */

	total = SM_PREFIX_SIZE;
	for (int i = 0; i < SM_NSECTIONS; i++)
		total += sec[i]->len;
	if (total > SM_MAX_VALUE_BYTES - prefix)
	{
		sm_fail(b->err, SM_E_LIMIT, "the stored map would take %zu bytes, over the limit of %u",
				total, SM_MAX_VALUE_BYTES);
		goto done;
	}
	buf = sm_alloc(b->env, prefix + total, b->err);
	if (buf == NULL)
		goto done;
	p = buf + prefix;
	memset(p, 0, SM_PREFIX_SIZE);
	sm_put32(p + SM_H_MAGIC, SM_MAGIC);
	sm_put16(p + SM_H_VERSION, SM_FORMAT_VERSION);
	sm_put16(p + SM_H_FLAGS, top->has_debug_id ? SM_FLAG_DEBUG_ID : 0);
	sm_put32(p + SM_H_TOTAL, (uint32_t) total);
	sm_put32(p + SM_H_NSECT, SM_NSECTIONS);
	{
		size_t		off = SM_PREFIX_SIZE;

		for (int i = 0; i < SM_NSECTIONS; i++)
		{
			sm_put32(p + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + SM_TOC_OFFSET, (uint32_t) off);
			sm_put32(p + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + SM_TOC_LENGTH, (uint32_t) sec[i]->len);
			if (sec[i]->len)
				memcpy(p + off, sec[i]->data, sec[i]->len);
			off += sec[i]->len;
		}
	}
	sm_put64(p + SM_H_CHECKSUM, sm_checksum(p + SM_PREFIX_SIZE, total - SM_PREFIX_SIZE));
	{
		/* the big sections' raw parts were hashed as they were written */
		SmDigestParts parts;
		uint64_t	digest;

		parts.hash[SM_SEC_BLOCKS] = smh_final(&b->blocks.raw_hash);
		parts.hash[SM_SEC_SOURCES_DATA] = smh_final(&b->sources.raw_hash);
		parts.hash[SM_SEC_NAMES_DATA] = smh_final(&b->names.raw_hash);
		parts.hash[SM_SEC_CONTENT] = smh_final(&b->content_hash);
		parts.known = 1u << SM_SEC_BLOCKS | 1u << SM_SEC_SOURCES_DATA |
			1u << SM_SEC_NAMES_DATA | 1u << SM_SEC_CONTENT;
		if (!sm_digest_compute(p, total, &parts, b->env, &digest, b->err))
		{
			sm_free(b->env, buf);
			goto done;
		}
		sm_put64(p + SM_H_DIGEST, digest);
	}
	*out = buf;
	*out_len = prefix + total;
	ok = true;
done:
	smb_free(&meta);
	smb_free(&functions);
	smb_free(&kept);
	smb_free(&src_dir);
	smb_free(&src_data);
	smb_free(&name_dir);
	smb_free(&name_data);
	smb_free(&ignore);
	return ok;
}

/*
 * Refuse a value whose canonical JSON (what output, pg_dump and COPY write)
 * would be longer than the longest document input takes, so that whatever
 * is stored can be written out and read back.  The output can be longer
 * than the input: index map offsets become runs of ';' and longer VLQ
 * deltas, sorting a line changes its deltas, function tables come from
 * source code.
 */
static bool
check_json_size(const uint8_t *val, size_t len, const SmEnv *env, SmError *err)
{
	SmMap	   *m = sm_open_buffer(env, val, len, err);
	uint64_t	size = 0;
	bool		ok;

	if (m == NULL)
		return false;
	ok = sm_json_size(m, &size, err);
	sm_close(m);
	if (ok && size > SM_MAX_DOCUMENT_BYTES)
		ok = sm_fail(err, SM_E_LIMIT,
					 "the source map's JSON form would have %llu bytes, more than the %u allowed",
					 (unsigned long long) size, SM_MAX_DOCUMENT_BYTES);
	return ok;
}

/*
 * A copy of the stored value val (len bytes) with tab as its FUNCTIONS
 * section, replacing any; *out has `prefix` unused bytes in front.
 */
static bool
attach_table(const uint8_t *val, size_t len, const uint8_t *tab, size_t tablen,
			 const SmEnv *env, size_t prefix, uint8_t **out, size_t *out_len, SmError *err)
{
	const uint8_t *toc = val + SM_HEADER_SIZE + SM_SEC_FUNCTIONS * SM_TOC_ENTRY_SIZE;
	const size_t tab_len_at = SM_HEADER_SIZE + SM_SEC_FUNCTIONS * SM_TOC_ENTRY_SIZE + SM_TOC_LENGTH;
	uint32_t	keep;
	size_t		total;
	uint8_t    *buf,
			   *p;
	uint64_t	old_tab;
	SmHash		new_tab;

	if (len < SM_PREFIX_SIZE || sm_get32(toc + SM_TOC_OFFSET) > len)
		return sm_fail(err, SM_E_BINARY, "not a stored map");
	keep = sm_get32(toc + SM_TOC_OFFSET);		/* FUNCTIONS is the last section */
	if (tablen > SM_MAX_FUNCTIONS_BYTES || keep + tablen > 0x3FFFFFFF - prefix)
		return sm_fail(err, SM_E_LIMIT, "the function table makes the stored map too large");
	total = keep + tablen;
	/* the digest changes by the FUNCTIONS section's term */
	if (!sm_section_hash(val, len, SM_SEC_FUNCTIONS, env, &old_tab, err))
		return false;
	smh_init(&new_tab);
	smh_update(&new_tab, tab, tablen);
	buf = sm_alloc(env, prefix + total, err);
	if (buf == NULL)
		return false;
	p = buf + prefix;
	memcpy(p, val, keep);
	if (tablen)
		memcpy(p + keep, tab, tablen);
	sm_put32(p + SM_H_TOTAL, (uint32_t) total);
	sm_put32(p + tab_len_at, (uint32_t) tablen);
	sm_put64(p + SM_H_CHECKSUM, sm_checksum(p + SM_PREFIX_SIZE, total - SM_PREFIX_SIZE));
	sm_put64(p + SM_H_DIGEST, sm_get64(val + SM_H_DIGEST) - sm_digest_term(SM_SEC_FUNCTIONS, old_tab) +
			 sm_digest_term(SM_SEC_FUNCTIONS, smh_final(&new_tab)));
	*out = buf;
	*out_len = prefix + total;
	return true;
}

/* The map of the document, with the function table the document carries. */
static bool
build_value(const char *json, size_t len, const SmEnv *env, size_t prefix,
		 uint8_t **out, size_t *out_len, SmError *err)
{
	Builder		b;
	SmDoc	   *doc;
	uint64_t	src_bytes = 0,
				name_bytes = 0,
				content_bytes = 0;
	uint32_t	nsrc = 0,
				nname = 0;
	bool		ok;

	doc = sm_doc_parse(json, len, env, err);
	if (doc == NULL)
		return false;
	memset(&b, 0, sizeof(b));
	b.json = json;
	b.env = env;
	b.err = err;
	b.gen_lines = 1;			/* even "" has one (empty) generated line */
	smb_init(&b.scratch, env, err);
	count_strings(&b, doc, false, &src_bytes, &nsrc, &name_bytes, &nname, &content_bytes);
	smbw_init(&b.blocks, env, err);
	smz_init(&b.zstr, SM_BLOCK_ZLEVEL);
	smz_init(&b.zcontent, SM_CONTENT_ZLEVEL);
	smst_init(&b.sources, env, err, &b.zstr, smst_choose_shift(src_bytes, nsrc));
	smst_init(&b.names, env, err, &b.zstr, smst_choose_shift(name_bytes, nname));
	smb_init(&b.ignore, env, err);
	smb_init(&b.content_index, env, err);
	smb_init(&b.content_data, env, err);
	smh_init(&b.content_hash);
	smb_init(&b.line, env, err);
	smb_init(&b.sort_tmp, env, err);
	smb_init(&b.source_functions, env, err);

	/* compressed contents never exceed their raw size: no regrowth */
	ok = smb_reserve(&b.content_data, (size_t) content_bytes) &&
		add_map(&b, doc, 0, 0, false) &&
		smbw_finish(&b.blocks) &&
		(doc->has_sections ||
		 sm_source_functions_decode(json, doc, b.nsources, env, &b.source_functions, err)) &&
		assemble(&b, doc, prefix, out, out_len);
	if (ok && (doc->has_functions || doc->any_scopes))
	{
		/* the document's own function table, if any, goes in last */
		SmBuf		tab;
		uint8_t    *with;
		size_t		with_len;

		smb_init(&tab, env, err);
		ok = sm_functions_from_doc(json, doc, env, &tab, err) &&
			(tab.len == 0 ||
			 attach_table(*out + prefix, *out_len - prefix, tab.data, tab.len, env, prefix,
								 &with, &with_len, err));
		if (ok && tab.len)
		{
			sm_free(env, *out);
			*out = with;
			*out_len = with_len;
		}
		else if (!ok)
			sm_free(env, *out);
		smb_free(&tab);
	}
	if (ok)
	{
		/*
		 * Measure the JSON form only when a generous bound on it passes the
		 * limit: strings escaped at 6 bytes a byte, 36 bytes a segment, one a
		 * line, and any function table (its source is not the input).
		 */
		uint64_t	bound = 1024 + (uint64_t) len +
			6 * (src_bytes + name_bytes + content_bytes) +
			16 * ((uint64_t) nsrc + nname) + (uint64_t) b.gen_lines + 36 * b.blocks.total;

		if (bound > SM_MAX_DOCUMENT_BYTES || doc->has_functions || doc->any_scopes)
			ok = check_json_size(*out + prefix, *out_len - prefix, env, err);
		if (!ok)
			sm_free(env, *out);
	}

	smbw_free(&b.blocks);
	smst_free(&b.sources);
	smst_free(&b.names);
	smb_free(&b.ignore);
	smb_free(&b.content_index);
	smb_free(&b.content_data);
	smb_free(&b.scratch);
	smb_free(&b.line);
	smb_free(&b.sort_tmp);
	smb_free(&b.source_functions);
	sm_doc_free(doc, env);
	return ok;
}

/* val with the function table of its generated code js in place of its own. */
static bool
attach_scanned(const uint8_t *val, size_t val_len, const char *js, size_t jslen,
			   const SmEnv *env, size_t prefix, uint8_t **out, size_t *out_len, SmError *err)
{
	SmMap	   *m;
	SmBuf		tab;
	bool		ok;

	m = sm_open_buffer(env, val, val_len, err);
	if (m == NULL)
		return false;
	smb_init(&tab, env, err);
	ok = sm_functions_from_source(m, js, jslen, &tab, err) &&
		attach_table(val, val_len, tab.data, tab.len, env, prefix, out, out_len, err);
	if (ok && !check_json_size(*out + prefix, *out_len - prefix, env, err))
	{
		sm_free(env, *out);
		ok = false;
	}
	smb_free(&tab);
	sm_close(m);
	return ok;
}

bool
sm_ingest(const char *json, size_t len, const char *js, size_t jslen, const SmEnv *env,
		  size_t prefix, uint8_t **out, size_t *out_len, SmError *err)
{
	uint8_t    *val;
	size_t		val_len;
	bool		ok;

	if (js == NULL)
		return build_value(json, len, env, prefix, out, out_len, err);
	if (!build_value(json, len, env, 0, &val, &val_len, err))
		return false;
	ok = attach_scanned(val, val_len, js, jslen, env, prefix, out, out_len, err);
	sm_free(env, val);
	return ok;
}
