/*
 * sm_inflate.c -- detect and inflate gzip or zlib compressed documents
 * under a caller-given output bound.  See sm_inflate.h for the decisions.
 */
#include <string.h>
#include <zlib.h>

#include "base/sm_buf.h"
#include "base/sm_inflate.h"

/* One inflate() call handles at most this much, so interrupts are polled. */
#define SLICE ((size_t) 1 << 20)
/* First output allocation (before the bound clamps it). */
#define FIRST_CAP ((size_t) 64 << 10)

SmCompression
sm_detect_compression(const uint8_t *data, size_t len)
{
	if (len < 2)
		return SM_COMP_NONE;
	if (data[0] == 0x1f && data[1] == 0x8b)
		return SM_COMP_GZIP;
	if ((data[0] & 0x0f) == 8 && (data[0] >> 4) <= 7 &&
		((unsigned) data[0] * 256 + data[1]) % 31 == 0)
		return SM_COMP_ZLIB;
	return SM_COMP_NONE;
}

const char *
sm_compression_name(SmCompression kind)
{
	switch (kind)
	{
		case SM_COMP_GZIP:
			return "gzip";
		case SM_COMP_ZLIB:
			return "zlib";
		case SM_COMP_NONE:
			break;
	}
	return "raw";
}

/* Work state of one sm_inflate_doc call. */
typedef struct Inflate
{
	z_stream	zs;
	const SmEnv *env;
	SmError    *err;
	SmCompression kind;
	size_t		max_out;
	size_t		prefix;
	uint8_t    *buf;			/* prefix + cap + 1 bytes */
	size_t		cap;			/* room for data (without prefix and NUL) */
	size_t		produced;		/* data bytes written */
	size_t		in_pos;			/* input bytes consumed */
} Inflate;

/*
 * Make the output room larger: first about four times the input, then
 * double, always clamped to the bound.
 */
static bool
grow_output(Inflate *st, size_t in_len)
{
	size_t		cap;
	uint8_t    *p;

	if (st->cap)
		cap = st->cap > st->max_out / 2 ? st->max_out : st->cap * 2;
	else
		cap = in_len > FIRST_CAP / 4 ? in_len * 4 : FIRST_CAP;
	if (cap > st->max_out)
		cap = st->max_out;
	if (st->buf == NULL)
		p = st->env->alloc(st->env->ctx, st->prefix + cap + 1);
	else
		p = st->env->realloc(st->env->ctx, st->buf, st->prefix + cap + 1);
	if (p == NULL)
		return sm_fail(st->err, SM_E_NOMEM,
					   "out of memory growing the decompressed document to %zu bytes", cap);
	st->buf = p;
	st->cap = cap;
	return true;
}

/* The error for a zlib failure code, with where it happened. */
static bool
inflate_failure(Inflate *st, int rc)
{
	const char *what = sm_compression_name(st->kind);

	if (rc == Z_MEM_ERROR)
		return sm_fail(st->err, SM_E_NOMEM, "out of memory in zlib inflate");
	if (rc == Z_NEED_DICT)
		return sm_fail(st->err, SM_E_SYNTAX,
					   "zlib data needs a preset dictionary (input byte %zu)", st->in_pos);
	return sm_fail(st->err, SM_E_SYNTAX,
				   "corrupt %s data at input byte %zu after %zu decompressed bytes: %s",
				   what, st->in_pos, st->produced,
				   st->zs.msg ? st->zs.msg : "invalid compressed data");
}

/*
 * At the end of a stream: another gzip member, the end, or trailing bytes.
 * Returns 1 to go on, 0 when done, -1 on error.
 */
static int
stream_end(Inflate *st, const uint8_t *data, size_t len)
{
	size_t		rest = len - st->in_pos;

	if (rest == 0)
		return 0;
	if (st->kind == SM_COMP_GZIP && rest >= 2 &&
		data[st->in_pos] == 0x1f && data[st->in_pos + 1] == 0x8b)
	{
		if (inflateReset(&st->zs) == Z_OK)
			return 1;
		sm_fail(st->err, SM_E_NOMEM, "could not reset zlib");
		return -1;
	}
	sm_fail(st->err, SM_E_SYNTAX, "%zu trailing bytes after the %s data ending at input byte %zu",
			rest, sm_compression_name(st->kind), st->in_pos);
	return -1;
}

/* The inflate loop: fill st->buf from data until the last stream ends. */
static bool
run_inflate(Inflate *st, const uint8_t *data, size_t len)
{
	uint8_t		probe;

	for (;;)
	{
		size_t		in_avail = len - st->in_pos;
		size_t		out_avail;
		uint8_t    *out_at;
		size_t		in_used;
		size_t		out_used;
		int			rc;

		sm_check_interrupts(st->env);
		if (st->produced == st->cap && st->cap < st->max_out && !grow_output(st, len))
			return false;
		if (st->produced < st->cap)
		{
			out_at = st->buf + st->prefix + st->produced;
			out_avail = st->cap - st->produced;
		}
		else
		{
			/* at the bound: any further byte proves the document too large */
			out_at = &probe;
			out_avail = 1;
		}
		if (in_avail > SLICE)
			in_avail = SLICE;
		if (out_avail > SLICE)
			out_avail = SLICE;
		st->zs.next_in = (Bytef *) (data + st->in_pos);
		st->zs.avail_in = (uInt) in_avail;
		st->zs.next_out = out_at;
		st->zs.avail_out = (uInt) out_avail;
		rc = inflate(&st->zs, Z_NO_FLUSH);
		in_used = in_avail - st->zs.avail_in;
		out_used = out_avail - st->zs.avail_out;
		st->in_pos += in_used;
		if (out_at == &probe && out_used > 0)
			return sm_fail(st->err, SM_E_LIMIT, "decompressed size exceeds %zu bytes",
						   st->max_out);
		st->produced += out_used;
		if (rc == Z_STREAM_END)
		{
			int			next = stream_end(st, data, len);

			if (next <= 0)
				return next == 0;
			continue;
		}
		if (rc == Z_OK)
			continue;
		if (rc == Z_BUF_ERROR && st->in_pos == len)
			return sm_fail(st->err, SM_E_SYNTAX,
						   "truncated %s data: input ends at byte %zu after %zu decompressed bytes",
						   sm_compression_name(st->kind), len, st->produced);
		if (rc == Z_BUF_ERROR && (in_used > 0 || out_used > 0))
			continue;
		return inflate_failure(st, rc);
	}
}

bool
sm_inflate_doc(const uint8_t *data, size_t len, SmCompression kind, size_t max_out,
			   size_t prefix, const SmEnv *env, uint8_t **out, size_t *out_len,
			   SmError *err)
{
	Inflate		st;
	bool		ok;

	*out = NULL;
	*out_len = 0;
	if (kind != SM_COMP_GZIP && kind != SM_COMP_ZLIB)
		return sm_fail(err, SM_E_ARGUMENT, "the document is not gzip or zlib compressed");
	if (prefix > SIZE_MAX / 4 || max_out > SIZE_MAX / 4 || len > SIZE_MAX / 8)
		return sm_fail(err, SM_E_ARGUMENT, "decompression bound too large");
	memset(&st, 0, sizeof(st));
	st.env = env;
	st.err = err;
	st.kind = kind;
	st.max_out = max_out;
	st.prefix = prefix;
	smz_use_env(&st.zs, env);
	/* windowBits 15 with +16 reads a gzip wrapper, without it a zlib one */
	if (inflateInit2(&st.zs, kind == SM_COMP_GZIP ? 15 + 16 : 15) != Z_OK)
		return sm_fail(err, SM_E_NOMEM, "could not initialise zlib");
	ok = grow_output(&st, len) && run_inflate(&st, data, len);
	inflateEnd(&st.zs);
	if (!ok)
	{
		sm_free(env, st.buf);
		return false;
	}
	st.buf[st.prefix + st.produced] = 0;
	*out = st.buf;
	*out_len = st.prefix + st.produced;
	return true;
}
