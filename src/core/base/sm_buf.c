/*
 * sm_buf.c -- growable buffers, libdeflate for the stored parts (written
 * and read), zlib's allocator hooks (for gzip/zlib documents), and the
 * UTF-8 check for stored strings.
 */
#include <libdeflate.h>
#include <string.h>
#include <zlib.h>

#include "base/sm_buf.h"

void
smb_init(SmBuf *b, const SmEnv *env, SmError *err)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->env = env;
	b->err = err;
	b->count_only = false;
	b->counted = 0;
}

void
smb_init_counter(SmBuf *b, const SmEnv *env, SmError *err)
{
	smb_init(b, env, err);
	b->count_only = true;
}

void
smb_free(SmBuf *b)
{
	sm_free(b->env, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool
smb_grow(SmBuf *b, size_t extra)
{
	size_t		need,
				cap;
	uint8_t    *p;

	if (b->count_only)
	{
		b->counted += b->len;
		b->len = 0;
		if (extra <= b->cap)
			return true;
	}
	need = b->len + extra;
	cap = b->cap ? b->cap : 256;
	if (need < b->len)
		return sm_fail(b->err, SM_E_LIMIT, "buffer size overflow");
	while (cap < need)
	{
		if (cap > SIZE_MAX / 2)
		{
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = b->data ? b->env->realloc(b->env->ctx, b->data, cap)
		: b->env->alloc(b->env->ctx, cap);
	if (p == NULL)
		return sm_fail(b->err, SM_E_NOMEM, "out of memory growing a buffer to %zu bytes", cap);
	b->data = p;
	b->cap = cap;
	return true;
}

/* zlib's allocator hooks, routed to the host */
static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	const SmEnv *env = opaque;

	return env->alloc(env->ctx, (size_t) items * size);
}

static void
z_free(voidpf opaque, voidpf p)
{
	const SmEnv *env = opaque;

	env->free(env->ctx, p);
}

void
smz_use_env(void *zstream, const SmEnv *env)
{
	z_stream   *s = zstream;

	s->zalloc = z_alloc;
	s->zfree = z_free;
	s->opaque = (voidpf) env;
}

SmErrCode
sm_grow_array(const SmEnv *env, void **arr, uint32_t *cap, uint32_t used, size_t elem,
			  uint32_t first_cap, uint32_t max_cap)
{
	uint32_t	ncap;
	void	   *p;

	if (used < *cap)
		return SM_OK;
	if (*cap >= max_cap)
		return SM_E_LIMIT;
	ncap = *cap ? *cap * 2 : first_cap;
	p = *arr ? env->realloc(env->ctx, *arr, (size_t) ncap * elem)
		: env->alloc(env->ctx, (size_t) ncap * elem);
	if (p == NULL)
		return SM_E_NOMEM;
	*arr = p;
	*cap = ncap;
	return SM_OK;
}

void
smz_init(SmZ *z, int level)
{
	z->level = level;
}

/*
 * The process's libdeflate compressors, one per level (a build uses two),
 * made on first use and kept, for the reason given for the decompressor
 * below.  A compressor keeps no state from one call to the next.
 */
static struct libdeflate_compressor *sm_compressor[13];

bool
smz_deflate_append(SmZ *z, SmBuf *out, const uint8_t *src, size_t len,
				   bool *compressed, SmError *err)
{
	struct libdeflate_compressor **c = &sm_compressor[z->level];
	size_t		start = out->len;
	size_t		got;

	*compressed = false;
	/* level 0 never shrinks anything: no deflater at all (bench/'s "nocomp") */
	if (len < 32 || len > 0x7FFFFFFF || out->count_only || z->level == 0)
		return smb_append(out, src, len);
	if (*c == NULL && (*c = libdeflate_alloc_compressor(z->level)) == NULL)
		return sm_fail(err, SM_E_NOMEM, "out of memory allocating a compressor");
	/* only a real gain is kept, so the output never needs more than len - 1 */
	if (!smb_reserve(out, len - 1))
		return false;
	got = libdeflate_deflate_compress(*c, src, len, out->data + start, len - 1);
	if (got == 0)
		return smb_append(out, src, len);	/* did not shrink: store it as is */
	out->len = start + got;
	*compressed = true;
	return true;
}

/*
 * The process's one libdeflate decompressor (about 11 KB), made on first use
 * and kept.  libdeflate 1.14 allocates with malloc and has no per-object
 * allocator, and the host may longjmp out of any loop: a decompressor owned
 * by an open map would leak whenever that happens, one kept here cannot.
 * Decompressing is stateless between calls, and the core runs on one thread.
 */
static struct libdeflate_decompressor *sm_decompressor;

bool
smz_inflate(const uint8_t *src, size_t srclen, uint8_t *dst, size_t rawlen, SmError *err)
{
	size_t		used,
				got;

	if (srclen > 0x7FFFFFFF || rawlen > 0x7FFFFFFF)
		return sm_fail(err, SM_E_BINARY, "compressed part too large");
	if (sm_decompressor == NULL && (sm_decompressor = libdeflate_alloc_decompressor()) == NULL)
		return sm_fail(err, SM_E_NOMEM, "out of memory allocating a decompressor");
	if (libdeflate_deflate_decompress_ex(sm_decompressor, src, srclen, dst, rawlen,
										 &used, &got) != LIBDEFLATE_SUCCESS ||
		used != srclen || got != rawlen)
		return sm_fail(err, SM_E_BINARY, "corrupt compressed data");
	return true;
}

void
smz_release(void)
{
	for (size_t i = 0; i < sizeof(sm_compressor) / sizeof(sm_compressor[0]); i++)
	{
		libdeflate_free_compressor(sm_compressor[i]);
		sm_compressor[i] = NULL;
	}
	libdeflate_free_decompressor(sm_decompressor);
	sm_decompressor = NULL;
}

bool
sm_text_valid(const uint8_t *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		uint8_t		c = s[i];

		if (c >= 0x01 && c < 0x80)
		{
			i++;
			continue;
		}
		if (c == 0)
			return false;
		if (c >= 0xC2 && c <= 0xDF)
		{
			if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
				return false;
			i += 2;
		}
		else if (c >= 0xE0 && c <= 0xEF)
		{
			uint8_t		c1;

			if (i + 2 >= n)
				return false;
			c1 = s[i + 1];
			if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
				return false;
			if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))
				return false;	/* overlong or surrogate */
			i += 3;
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			uint8_t		c1;

			if (i + 3 >= n)
				return false;
			c1 = s[i + 1];
			if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
				return false;
			if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
				return false;	/* overlong or above U+10FFFF */
			i += 4;
		}
		else
			return false;
	}
	return true;
}

bool
smb_json_string(SmBuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		start = 0;

	if (!smb_append(b, "\"", 1))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[7];
		size_t		elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		esc[0] = '\\';
		switch (c)
		{
			case '"':
				esc[1] = '"';
				break;
			case '\\':
				esc[1] = '\\';
				break;
			case '\n':
				esc[1] = 'n';
				break;
			case '\r':
				esc[1] = 'r';
				break;
			case '\t':
				esc[1] = 't';
				break;
			case '\b':
				esc[1] = 'b';
				break;
			case '\f':
				esc[1] = 'f';
				break;
			default:
				memcpy(esc + 1, "u00", 3);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
		}
		if (!smb_append(b, s + start, i - start) || !smb_append(b, esc, elen))
			return false;
		start = i + 1;
	}
	return smb_append(b, s + start, n - start) && smb_append(b, "\"", 1);
}

