/*
 * sm_buf.h -- byte plumbing shared by the encoder and the readers: a
 * growable buffer, LEB128 varints, raw deflate (libdeflate), zlib's
 * allocator hooks (gzip/zlib documents), and the text check every stored
 * string passes.
 */
#ifndef SM_BUF_H
#define SM_BUF_H

#include <string.h>

#include "base/sm_env.h"

typedef struct SmBuf
{
	uint8_t    *data;
	size_t		len;
	size_t		cap;
	const SmEnv *env;
	SmError    *err;
	bool		count_only;		/* a counter: keep no bytes, count them */
	uint64_t	counted;		/* bytes counted and dropped (count_only) */
} SmBuf;

void		smb_init(SmBuf *b, const SmEnv *env, SmError *err);
/*
 * A buffer that measures what is written to it: whenever it would grow,
 * the bytes it holds are counted and dropped, so writing text of any
 * length takes only as much memory as its largest single reservation.
 */
void		smb_init_counter(SmBuf *b, const SmEnv *env, SmError *err);

/* Bytes written so far (all of them, for a counter). */
static inline uint64_t
smb_written(const SmBuf *b)
{
	return b->counted + b->len;
}
void		smb_free(SmBuf *b);
/* Make room for `extra` more bytes; false (err set) if that fails. */
bool		smb_grow(SmBuf *b, size_t extra);

static inline bool
smb_reserve(SmBuf *b, size_t extra)
{
	return (b->cap - b->len >= extra) ? true : smb_grow(b, extra);
}

static inline bool
smb_append(SmBuf *b, const void *src, size_t n)
{
	if (b->count_only)
	{
		b->counted += n;
		return true;
	}
	if (!smb_reserve(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, src, n);
	b->len += n;
	return true;
}

/* Write v as a varint at p (room for 10 bytes); returns the end. */
static inline uint8_t *
sm_put_uvarint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return p;
}

/* Append without a capacity check (caller reserved at least 10 bytes). */
static inline void
smb_uvarint_unchecked(SmBuf *b, uint64_t v)
{
	b->len = (size_t) (sm_put_uvarint(b->data + b->len, v) - b->data);
}

static inline bool
smb_uvarint(SmBuf *b, uint64_t v)
{
	if (!smb_reserve(b, 10))
		return false;
	smb_uvarint_unchecked(b, v);
	return true;
}

static inline uint64_t
sm_zigzag(int64_t v)
{
	return ((uint64_t) v << 1) ^ (uint64_t) (v >> 63);
}

static inline int64_t
sm_unzigzag(uint64_t v)
{
	return (int64_t) (v >> 1) ^ -(int64_t) (v & 1);
}

/* Bits needed to write v (0 for 0). */
static inline int
sm_bit_width(uint64_t v)
{
	int			n = 0;

	while (v)
	{
		n++;
		v >>= 1;
	}
	return n;
}

/*
 * Append s as a JSON string literal, escaping only '"', '\\' and control
 * characters (the short forms where JSON has them): the one way the
 * canonical output writes a string.
 */
bool		smb_json_string(SmBuf *b, const char *s, size_t n);

/* Read a uvarint of at most 10 bytes; false if it runs past end or overflows. */
static inline bool
sm_read_uvarint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;
	unsigned	shift = 0;

	if (p < end && *p < 0x80)
	{
		/* most values fit in one byte */
		*out = *p;
		*pp = p + 1;
		return true;
	}
	while (p < end)
	{
		uint8_t		c = *p++;

		if (shift == 63 && c > 1)
			return false;
		v |= (uint64_t) (c & 0x7F) << shift;
		if ((c & 0x80) == 0)
		{
			*pp = p;
			*out = v;
			return true;
		}
		shift += 7;
		if (shift > 63)
			return false;
	}
	return false;
}

/*
 * Route the allocations of a z_stream (passed as void *, so that this
 * header needs no zlib.h) to env: the one place that sets zlib's hooks.
 */
void		smz_use_env(void *zstream, const SmEnv *env);

/*
 * A deflater of stored parts at one libdeflate level (0..12).  Parts are
 * written and read with libdeflate, about twice as fast as zlib on them
 * (README.md, "From source"); the streams are raw DEFLATE, so values that
 * zlib wrote read the same, and compare equal to the same map written here
 * (identity is content, format/sm_digest.h).
 */
typedef struct SmZ
{
	int			level;
} SmZ;

void		smz_init(SmZ *z, int level);

/*
 * Append src to out, deflated if that is smaller.  *compressed tells which.
 * Uses the process's libdeflate compressor for the level, made on first use
 * with malloc and kept until smz_release() (see sm_buf.c).
 */
bool		smz_deflate_append(SmZ *z, SmBuf *out, const uint8_t *src, size_t len,
							   bool *compressed, SmError *err);

/*
 * Inflate src into exactly rawlen bytes at dst, consuming all of src.  Uses
 * the process's one libdeflate decompressor, made on first use with malloc
 * and kept until smz_release() (see sm_buf.c).
 */
bool		smz_inflate(const uint8_t *src, size_t srclen, uint8_t *dst, size_t rawlen,
						SmError *err);

/*
 * Free the process's compressors and decompressor (the next use makes them
 * again).  A host that lives as long as its process never needs this; a
 * program checked for leaks calls it before it exits.
 */
void		smz_release(void);

/*
 * Make room for one more element in an array of elem-byte items, *cap
 * allocated and used of them taken: when full, *cap doubles (first_cap the
 * first time) unless it has reached max_cap.  Returns SM_OK, SM_E_LIMIT or
 * SM_E_NOMEM without recording an error: the caller says what overflowed.
 */
SmErrCode	sm_grow_array(const SmEnv *env, void **arr, uint32_t *cap, uint32_t used, size_t elem,
						  uint32_t first_cap, uint32_t max_cap);

/* Strict UTF-8 without NUL bytes (what a PostgreSQL text can hold). */
bool		sm_text_valid(const uint8_t *s, size_t n);

#endif							/* SM_BUF_H */
