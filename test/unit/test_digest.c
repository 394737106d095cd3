/*
 * test_digest.c -- identity of stored values is their content
 * (format/sm_digest.h), whatever compressed their parts:
 *   - the digest the writer computes from raw parts is the one the reader
 *     computes by inflating (sm_digest_check);
 *   - every map re-encoded with other compressors (zlib level 6 as releases
 *     0.1.0 and 0.2.0 wrote; libdeflate at levels 1 and, for maps under 1 MB
 *     stored, 12; every part raw; the zlib form as format version 2, without
 *     a digest) has
 *     other bytes but the same digest, compares equal both ways and writes
 *     the same JSON;
 *   - different maps differ, and the order is antisymmetric and
 *     transitive on every pair and triple of the maps;
 *   - a value whose header digest is not its content's fails sm_validate
 *     with SM_E_BINARY.
 * Maps: the vendored ones under test/data, and the corpus of
 * ../shared/oracle/corpus when present (skipped with a message otherwise).
 */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/sm_buf.h"
#include "format/sm_digest.h"
#include "format/sm_format.h"
#include "io/sm_io.h"
#include "test_util.h"

#define MAX_MAPS 64
#define MODE_RAW 0				/* every part stored raw */
#define MODE_ZLIB 100			/* zlib level 6, as releases 0.1.0 and 0.2.0 wrote */

static TuCounts total;
/* maps whose zlib form has other bytes than the writer's (not a vacuous test) */
static int	zlib_other_bytes;

/* Append raw (n bytes) to out, deflated at level when that is smaller. */
static bool
put_part(SmBuf *out, const uint8_t *raw, size_t n, int level)
{
	struct libdeflate_compressor *c;
	size_t		got = 0;

	if (level == MODE_ZLIB && n > 1 && smb_reserve(out, n))
	{
		z_stream	s;

		memset(&s, 0, sizeof(s));
		deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		s.next_in = (Bytef *) raw;
		s.avail_in = (uInt) n;
		s.next_out = out->data + out->len;
		s.avail_out = (uInt) (n - 1);
		if (deflate(&s, Z_FINISH) == Z_STREAM_END)
			got = s.total_out;
		deflateEnd(&s);
		if (got > 0)
		{
			out->len += got;
			return true;
		}
	}
	else if (level != MODE_RAW && n > 1 && smb_reserve(out, n))
	{
		c = libdeflate_alloc_compressor(level);
		got = libdeflate_deflate_compress(c, raw, n, out->data + out->len, n - 1);
		libdeflate_free_compressor(c);
		if (got > 0)
		{
			out->len += got;
			return true;
		}
	}
	smb_append(out, raw, n);
	return false;
}

/* The raw bytes of a part (malloc'ed). */
static uint8_t *
raw_part(const uint8_t *src, size_t stored, uint32_t rawlen, bool compressed)
{
	uint8_t    *r = malloc(rawlen + 1);
	SmError		err = {0};

	if (!compressed)
		memcpy(r, src, rawlen);
	else if (!smz_inflate(src, stored, r, rawlen, &err))
	{
		free(r);
		return NULL;
	}
	return r;
}

typedef struct Layout
{
	uint32_t	off[SM_NSECTIONS];
	uint32_t	len[SM_NSECTIONS];
} Layout;

/* Recompress a string table: dir into ndir, data into ndata. */
static void
redo_table(const uint8_t *v, const Layout *l, int dsec, int datasec, int level, SmBuf *ndir,
		   SmBuf *ndata)
{
	const uint8_t *dir = v + l->off[dsec];
	uint32_t	n = (l->len[dsec] - SM_ST_FIXED) / SM_ST_CHUNK_SIZE;

	smb_append(ndir, dir, SM_ST_FIXED);
	for (uint32_t k = 0; k < n; k++)
	{
		const uint8_t *e = dir + SM_ST_FIXED + k * SM_ST_CHUNK_SIZE;
		uint32_t	off = sm_get32(e + SM_ST_C_OFFSET),
					next = k + 1 < n ? sm_get32(e + SM_ST_CHUNK_SIZE) : l->len[datasec],
					rawf = sm_get32(e + SM_ST_C_RAWLEN);
		uint8_t    *raw = raw_part(v + l->off[datasec] + off, next - off, rawf & ~SM_COMPRESSED,
								   rawf & SM_COMPRESSED);
		uint8_t		ne[SM_ST_CHUNK_SIZE];
		bool		c;

		sm_put32(ne + SM_ST_C_OFFSET, (uint32_t) ndata->len);
		c = put_part(ndata, raw, rawf & ~SM_COMPRESSED, level);
		sm_put32(ne + SM_ST_C_RAWLEN, (rawf & ~SM_COMPRESSED) | (c ? SM_COMPRESSED : 0));
		smb_append(ndir, ne, sizeof(ne));
		free(raw);
	}
}

/*
 * v with every compressed part written again at libdeflate's level (or
 * raw), new offsets and flags, checksum fixed; format version 3 with the
 * digest computed by reading, or version 2 without one.
 */
static uint8_t *
recompress(const uint8_t *v, int level, bool v2, size_t *out_len)
{
	SmError		err = {0};
	Layout		l;
	SmBuf		sec[SM_NSECTIONS];
	size_t		tot = SM_PREFIX_SIZE,
				off = SM_PREFIX_SIZE;
	uint8_t    *out;
	uint64_t	digest;

	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		l.off[i] = sm_get32(v + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE);
		l.len[i] = sm_get32(v + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + 4);
		smb_init(&sec[i], &sm_malloc_env, &err);
		if (i != SM_SEC_BLOCK_INDEX && i != SM_SEC_BLOCKS && i != SM_SEC_SOURCES &&
			i != SM_SEC_SOURCES_DATA && i != SM_SEC_NAMES && i != SM_SEC_NAMES_DATA &&
			i != SM_SEC_CONTENT_INDEX && i != SM_SEC_CONTENT && i != SM_SEC_KEPT)
			smb_append(&sec[i], v + l.off[i], l.len[i]);
	}
	for (uint32_t k = 0, n = l.len[SM_SEC_BLOCK_INDEX] / SM_BI_SIZE; k < n; k++)
	{
		uint8_t		e[SM_BI_SIZE];
		uint32_t	boff,
					next,
					rawf;
		uint8_t    *raw;
		bool		c;

		memcpy(e, v + l.off[SM_SEC_BLOCK_INDEX] + k * SM_BI_SIZE, SM_BI_SIZE);
		boff = sm_get32(e + SM_BI_OFFSET);
		next = k + 1 < n ? sm_get32(v + l.off[SM_SEC_BLOCK_INDEX] + (k + 1) * SM_BI_SIZE + SM_BI_OFFSET)
			: l.len[SM_SEC_BLOCKS];
		rawf = sm_get32(e + SM_BI_RAWLEN);
		raw = raw_part(v + l.off[SM_SEC_BLOCKS] + boff, next - boff, rawf & ~SM_COMPRESSED,
					   rawf & SM_COMPRESSED);
		sm_put32(e + SM_BI_OFFSET, (uint32_t) sec[SM_SEC_BLOCKS].len);
		c = put_part(&sec[SM_SEC_BLOCKS], raw, rawf & ~SM_COMPRESSED, level);
		sm_put32(e + SM_BI_RAWLEN, (rawf & ~SM_COMPRESSED) | (c ? SM_COMPRESSED : 0));
		smb_append(&sec[SM_SEC_BLOCK_INDEX], e, sizeof(e));
		free(raw);
	}
	redo_table(v, &l, SM_SEC_SOURCES, SM_SEC_SOURCES_DATA, level, &sec[SM_SEC_SOURCES],
			   &sec[SM_SEC_SOURCES_DATA]);
	redo_table(v, &l, SM_SEC_NAMES, SM_SEC_NAMES_DATA, level, &sec[SM_SEC_NAMES],
			   &sec[SM_SEC_NAMES_DATA]);
	for (uint32_t k = 0, n = l.len[SM_SEC_CONTENT_INDEX] / SM_CI_SIZE; k < n; k++)
	{
		uint8_t		e[SM_CI_SIZE];
		uint32_t	kind,
					coff;

		memcpy(e, v + l.off[SM_SEC_CONTENT_INDEX] + k * SM_CI_SIZE, SM_CI_SIZE);
		kind = sm_get32(e + SM_CI_KIND);
		coff = sm_get32(e + SM_CI_OFFSET);
		sm_put32(e + SM_CI_OFFSET, (uint32_t) sec[SM_SEC_CONTENT].len);
		if (kind != SM_CONTENT_NULL)
		{
			uint8_t    *raw = raw_part(v + l.off[SM_SEC_CONTENT] + coff, sm_get32(e + SM_CI_STORED),
									   sm_get32(e + SM_CI_RAWLEN), kind == SM_CONTENT_ZLIB);
			size_t		start = sec[SM_SEC_CONTENT].len;
			bool		c = put_part(&sec[SM_SEC_CONTENT], raw, sm_get32(e + SM_CI_RAWLEN), level);

			sm_put32(e + SM_CI_STORED, (uint32_t) (sec[SM_SEC_CONTENT].len - start));
			sm_put32(e + SM_CI_KIND, c ? SM_CONTENT_ZLIB : SM_CONTENT_RAW);
			free(raw);
		}
		smb_append(&sec[SM_SEC_CONTENT_INDEX], e, sizeof(e));
	}
	if (l.len[SM_SEC_KEPT] > 0)
	{
		const uint8_t *p = v + l.off[SM_SEC_KEPT],
				   *end = p + l.len[SM_SEC_KEPT];
		uint64_t	flags = 0,
					rl = 0;
		uint8_t    *raw;
		SmBuf		packed;
		bool		c;

		sm_read_uvarint(&p, end, &flags);
		sm_read_uvarint(&p, end, &rl);
		raw = raw_part(p, (size_t) (end - p), (uint32_t) (rl >> 1), rl & 1);
		smb_init(&packed, &sm_malloc_env, &err);
		c = put_part(&packed, raw, rl >> 1, level);
		smb_uvarint(&sec[SM_SEC_KEPT], flags);
		smb_uvarint(&sec[SM_SEC_KEPT], (rl >> 1) << 1 | c);
		smb_append(&sec[SM_SEC_KEPT], packed.data, packed.len);
		smb_free(&packed);
		free(raw);
	}
	for (int i = 0; i < SM_NSECTIONS; i++)
		tot += sec[i].len;
	out = malloc(tot);
	memcpy(out, v, SM_HEADER_SIZE);
	for (int i = 0; i < SM_NSECTIONS; i++)
	{
		sm_put32(out + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE, (uint32_t) off);
		sm_put32(out + SM_HEADER_SIZE + i * SM_TOC_ENTRY_SIZE + 4, (uint32_t) sec[i].len);
		if (sec[i].len)
			memcpy(out + off, sec[i].data, sec[i].len);
		off += sec[i].len;
		smb_free(&sec[i]);
	}
	sm_put32(out + SM_H_TOTAL, (uint32_t) tot);
	sm_put64(out + SM_H_CHECKSUM, sm_checksum(out + SM_PREFIX_SIZE, tot - SM_PREFIX_SIZE));
	sm_put16(out + SM_H_VERSION, v2 ? SM_FORMAT_VERSION_NODIGEST : SM_FORMAT_VERSION);
	sm_put64(out + SM_H_DIGEST, 0);
	if (!v2)
	{
		digest = 0;
		tu_check(&total, sm_digest_compute(out, tot, NULL, &sm_malloc_env, &digest, &err),
				 "digest of a recompressed value: %s", err.msg);
		sm_put64(out + SM_H_DIGEST, digest);
	}
	*out_len = tot;
	return out;
}

/* The JSON form of a stored value (malloc'ed), or NULL. */
static char *
json_of(const uint8_t *v, size_t len, size_t *jlen)
{
	SmError		err = {0};
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, v, len, &err);
	char	   *json = NULL;

	*jlen = 0;
	if (m == NULL)
		return NULL;
	if (!sm_to_json(m, 0, &json, jlen, &err))
		json = NULL;
	sm_close(m);
	return json;
}

static int
cmp(const TuMap *a, const TuMap *b)
{
	SmError		err = {0};
	int			r = 2;

	tu_check(&total, sm_content_cmp(a->data, a->len, b->data, b->len, &sm_malloc_env, &r, &err),
			 "sm_content_cmp failed: %s", err.msg);
	return r;
}

static uint64_t
digest(const uint8_t *v, size_t len)
{
	SmError		err = {0};
	uint64_t	d = 0;

	tu_check(&total, sm_value_digest(v, len, &sm_malloc_env, &d, &err), "digest: %s", err.msg);
	return d;
}

/* One map: the writer's digest, re-encodings, a forged digest. */
static void
check_map(const char *name, const TuMap *m)
{
	static const struct
	{
		int			level;
		bool		v2;
	}			modes[] = {{MODE_ZLIB, false}, {1, false}, {12, false}, {MODE_RAW, false}, {MODE_ZLIB, true}};
	SmError		err = {0};
	size_t		jlen;
	char	   *json = json_of(m->data, m->len, &jlen);
	uint8_t    *forged;

	tu_check(&total, sm_get16(m->data + SM_H_VERSION) == SM_FORMAT_VERSION,
			 "%s: written with format version %u", name, sm_get16(m->data + SM_H_VERSION));
	tu_check(&total, sm_digest_check(m->data, m->len, &sm_malloc_env, &err),
			 "%s: the writer's digest is not the content's: %s", name, err.msg);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
	{
		TuMap		r;
		size_t		rjlen;
		char	   *rjson;

		if (modes[i].level == 12 && m->len > (1 << 20))
			continue;			/* level 12 is slow; the small maps have it */
		r.data = recompress(m->data, modes[i].level, modes[i].v2, &r.len);
		rjson = json_of(r.data, r.len, &rjlen);
		tu_check(&total, rjson != NULL && rjlen == jlen && memcmp(rjson, json, jlen) == 0,
				 "%s, level %d: the re-encoded value reads otherwise", name, modes[i].level);
		if (modes[i].level == MODE_ZLIB && !modes[i].v2)
			zlib_other_bytes += r.len != m->len || memcmp(r.data, m->data, m->len) != 0;
		tu_check(&total, digest(r.data, r.len) == digest(m->data, m->len),
				 "%s, level %d%s: digest differs", name, modes[i].level, modes[i].v2 ? " v2" : "");
		tu_check(&total, cmp(m, &r) == 0 && cmp(&r, m) == 0,
				 "%s, level %d%s: not equal", name, modes[i].level, modes[i].v2 ? " v2" : "");
		err.code = SM_OK;
		tu_check(&total, sm_validate(r.data, r.len, &sm_malloc_env, &err),
				 "%s, level %d: re-encoded value invalid: %s", name, modes[i].level, err.msg);
		free(rjson);
		free(r.data);
	}
	forged = malloc(m->len);
	memcpy(forged, m->data, m->len);
	sm_put64(forged + SM_H_DIGEST, sm_get64(m->data + SM_H_DIGEST) ^ 1);
	err.code = SM_OK;
	tu_check(&total, !sm_validate(forged, m->len, &sm_malloc_env, &err) && err.code == SM_E_BINARY &&
			 strstr(err.msg, "digest") != NULL,
			 "%s: a forged digest passes validation (%s)", name, err.msg);
	free(forged);
	free(json);
}

static int nmaps;
static TuMap maps[MAX_MAPS];
static char *names[MAX_MAPS];
static char *jsons[MAX_MAPS];
static size_t jlens[MAX_MAPS];

static void
add_file(const char *path)
{
	SmError		err = {0};

	if (nmaps == MAX_MAPS)
		return;
	if (!tu_map_build_file(path, &maps[nmaps], &err))
	{
		tu_check(&total, false, "%s: does not build: %s", path, err.msg);
		return;
	}
	names[nmaps] = malloc(strlen(path) + 1);
	strcpy(names[nmaps++], path);
}

/* Every *.map below dir. */
static void
add_tree(const char *dir)
{
	char	  **l = tu_list_dir(dir, "");

	for (int i = 0; l && l[i]; i++)
	{
		char	   *p = tu_path(dir, l[i]);
		size_t		n = strlen(p);

		if (l[i][0] == '.')
			;
		else if (tu_is_dir(p))
			add_tree(p);
		else if (n > 4 && strcmp(p + n - 4, ".map") == 0)
			add_file(p);
		free(p);
	}
	tu_free_list(l);
}

int
main(void)
{
	const char *shared = tu_shared_dir();
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *corpus = shared ? tu_path(shared, "oracle/corpus") : NULL;

	add_tree(data);
	if (corpus && tu_is_dir(corpus))
		add_tree(corpus);
	else
		printf("test_digest: ../shared/oracle/corpus absent, corpus maps skipped\n");
	free(data);
	free(corpus);
	tu_check(&total, nmaps >= 20, "only %d maps found", nmaps);
	for (int i = 0; i < nmaps; i++)
	{
		check_map(names[i], &maps[i]);
		jsons[i] = json_of(maps[i].data, maps[i].len, &jlens[i]);
	}
	tu_check(&total, zlib_other_bytes * 2 > nmaps, "only %d of %d maps have other bytes from zlib",
			 zlib_other_bytes, nmaps);
	printf("test_digest: %d maps, %d with other stored bytes from zlib than from the writer\n",
		   nmaps, zlib_other_bytes);

	/* order: equal exactly for equal JSON, antisymmetric, transitive */
	for (int i = 0; i < nmaps; i++)
	{
		for (int j = 0; j < nmaps; j++)
		{
			bool		same = jlens[i] == jlens[j] && memcmp(jsons[i], jsons[j], jlens[i]) == 0;
			int			c = cmp(&maps[i], &maps[j]);

			tu_check(&total, (c == 0) == same, "%s vs %s: cmp %d, same JSON %d", names[i], names[j], c, same);
			tu_check(&total, c == -cmp(&maps[j], &maps[i]), "%s vs %s: not antisymmetric", names[i], names[j]);
			for (int k = 0; k < nmaps; k++)
				if (c <= 0 && cmp(&maps[j], &maps[k]) <= 0)
					tu_check(&total, cmp(&maps[i], &maps[k]) <= 0, "%s <= %s <= %s but not transitive",
							 names[i], names[j], names[k]);
		}
	}
	for (int i = 0; i < nmaps; i++)
	{
		free(jsons[i]);
		tu_map_free(&maps[i]);
		free(names[i]);
	}
	return tu_finish("digest", &total);
}
