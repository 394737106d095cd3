/*
 * test_inflate.c -- unit test of compressed-document input (sm_inflate.h).
 *
 * A bytea cast accepts raw, gzip and zlib documents; what matters is that
 * detection never mistakes JSON for compressed data, that every valid
 * stream comes back byte for byte, and that hostile input (a bomb, a cut
 * or damaged stream, trailing bytes) is a clean error of the right class
 * without ever allocating past the caller's bound.  The compressed inputs
 * are made here with zlib itself (compress2, deflateInit2 in gzip mode).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/sm_inflate.h"
#include "test_util.h"

static TuCounts counts;

/* ---- an environment that measures its allocations ------------------- */

typedef struct Meter
{
	size_t		live;			/* bytes currently allocated */
	size_t		peak;
	long		interrupts;
} Meter;

static Meter meter;

/* malloc with a size header, counting live and peak bytes */
static void *
meter_alloc(void *ctx, size_t n)
{
	size_t	   *p = malloc(n + sizeof(size_t));

	(void) ctx;
	if (p == NULL)
		return NULL;
	*p = n;
	meter.live += n;
	if (meter.live > meter.peak)
		meter.peak = meter.live;
	return p + 1;
}

/* realloc keeping the counts */
static void *
meter_realloc(void *ctx, void *old, size_t n)
{
	size_t	   *h = (size_t *) old - 1;
	size_t		was = *h;
	size_t	   *p = realloc(h, n + sizeof(size_t));

	(void) ctx;
	if (p == NULL)
		return NULL;
	*p = n;
	meter.live = meter.live - was + n;
	if (meter.live > meter.peak)
		meter.peak = meter.live;
	return p + 1;
}

/* free keeping the counts */
static void
meter_free(void *ctx, void *p)
{
	size_t	   *h;

	(void) ctx;
	if (p == NULL)
		return;
	h = (size_t *) p - 1;
	meter.live -= *h;
	free(h);
}

/* count interrupt polls */
static void
meter_interrupt(void *ctx)
{
	(void) ctx;
	meter.interrupts++;
}

static const SmEnv meter_env = {meter_alloc, meter_realloc, meter_free, meter_interrupt, NULL};

/* ---- making compressed inputs ---------------------------------------- */

/* zlib stream of src (malloc'ed). */
static uint8_t *
make_zlib(const uint8_t *src, size_t len, size_t *out_len)
{
	uLongf		n = compressBound((uLong) len);
	uint8_t    *out = malloc(n);

	if (compress2(out, &n, src, (uLong) len, 6) != Z_OK)
	{
		free(out);
		return NULL;
	}
	*out_len = n;
	return out;
}

/* One gzip member of src (malloc'ed). */
static uint8_t *
make_gzip(const uint8_t *src, size_t len, size_t *out_len)
{
	z_stream	zs;
	size_t		cap;
	uint8_t    *out;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&zs, (uLong) len) + 64;
	out = malloc(cap);
	zs.next_in = (Bytef *) src;
	zs.avail_in = (uInt) len;
	zs.next_out = out;
	zs.avail_out = (uInt) cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
	{
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* a + b (malloc'ed) */
static uint8_t *
concat(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint8_t    *out = malloc(alen + blen + 1);

	memcpy(out, a, alen);
	memcpy(out + alen, b, blen);
	return out;
}

/* A JSON map-like text of about n bytes, not trivially compressible. */
static uint8_t *
make_text(size_t n)
{
	uint8_t    *t = malloc(n + 1);
	uint32_t	x = 12345;
	size_t		i;
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/,;";

	for (i = 0; i < n; i++)
	{
		x = x * 1103515245 + 12345;
		t[i] = (uint8_t) alpha[(x >> 16) % (sizeof(alpha) - 1)];
	}
	if (n >= 27)
	{
		memcpy(t, "{\"version\":3,\"mappings\":\"", 25);
		memcpy(t + n - 2, "\"}", 2);
	}
	t[n] = 0;
	return t;
}

/* ---- checking -------------------------------------------------------- */

/* Inflate and expect exactly want/want_len back, with the prefix and NUL. */
static void
expect_ok(const char *what, const uint8_t *in, size_t len, size_t max_out,
		  const uint8_t *want, size_t want_len)
{
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	SmCompression kind = sm_detect_compression(in, len);
	bool		ok = sm_inflate_doc(in, len, kind, max_out, 7, &meter_env, &out, &out_len, &err);

	if (!tu_check(&counts, ok, "%s: failed: %s", what, err.msg))
		return;
	tu_check(&counts, out_len == want_len + 7, "%s: length %zu, expected %zu", what,
			 out_len, want_len + 7);
	tu_check(&counts, out_len == want_len + 7 && memcmp(out + 7, want, want_len) == 0,
			 "%s: content differs", what);
	tu_check(&counts, out_len == want_len + 7 && out[out_len] == 0, "%s: no NUL after the data",
			 what);
	meter_free(NULL, out);
}

/* Inflate and expect an error of class code whose message contains frag. */
static void
expect_fail(const char *what, const uint8_t *in, size_t len, SmCompression kind,
			size_t max_out, SmErrCode code, const char *frag)
{
	SmError		err = {0};
	uint8_t    *out = (uint8_t *) "x";
	size_t		out_len = 1;
	bool		ok = sm_inflate_doc(in, len, kind, max_out, 0, &meter_env, &out, &out_len, &err);

	if (!tu_check(&counts, !ok, "%s: succeeded, expected an error", what))
	{
		meter_free(NULL, out);
		return;
	}
	tu_check(&counts, err.code == code, "%s: error code %d, expected %d (%s)", what,
			 (int) err.code, (int) code, err.msg);
	tu_check(&counts, frag == NULL || strstr(err.msg, frag) != NULL,
			 "%s: message \"%s\" lacks \"%s\"", what, err.msg, frag ? frag : "");
	tu_check(&counts, out == NULL && out_len == 0, "%s: outputs not cleared on error", what);
}

/* Magic-byte detection, and no JSON start mistaken for compression. */
static void
test_detect(void)
{
	static const struct
	{
		const char *bytes;
		size_t		len;
		SmCompression want;
	}			cases[] = {
		{"{\"version\":3}", 13, SM_COMP_NONE},
		{" \n{}", 4, SM_COMP_NONE},
		{"\xef\xbb\xbf{}", 5, SM_COMP_NONE},
		{"", 0, SM_COMP_NONE},
		{"\x1f", 1, SM_COMP_NONE},
		{"\x1f\x8b", 2, SM_COMP_GZIP},
		{"\x1f\x8b\x08\x00", 4, SM_COMP_GZIP},
		{"\x78\x9c", 2, SM_COMP_ZLIB},
		{"\x78\x01", 2, SM_COMP_ZLIB},
		{"\x78\xda", 2, SM_COMP_ZLIB},
		{"\x58\x85", 2, SM_COMP_ZLIB},	/* 16 KiB window, also valid */
		{"\x78\x00", 2, SM_COMP_NONE},	/* bad check bits */
		{"\x88\x98", 2, SM_COMP_NONE},	/* CINFO 8 is not allowed */
		{"\x79\x9c", 2, SM_COMP_NONE},	/* CM 9 is not deflate */
		{"x", 1, SM_COMP_NONE},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SmCompression got = sm_detect_compression((const uint8_t *) cases[i].bytes, cases[i].len);

		tu_check(&counts, got == cases[i].want, "detect %s: %s, expected %s",
				 tu_show(cases[i].bytes, cases[i].len, false), sm_compression_name(got),
				 sm_compression_name(cases[i].want));
	}
	/* every first byte a JSON text can start with is raw, whatever follows */
	{
		static const char starts[] = "{[ \t\r\n\xef";
		int			second;
		long		bad = 0;

		for (i = 0; starts[i]; i++)
			for (second = 0; second < 256; second++)
			{
				uint8_t		b[2] = {(uint8_t) starts[i], (uint8_t) second};

				if (sm_detect_compression(b, 2) != SM_COMP_NONE)
					bad++;
			}
		tu_check(&counts, bad == 0, "detect: %ld JSON-like starts taken as compressed", bad);
	}
	tu_check(&counts, strcmp(sm_compression_name(SM_COMP_NONE), "raw") == 0 &&
			 strcmp(sm_compression_name(SM_COMP_GZIP), "gzip") == 0 &&
			 strcmp(sm_compression_name(SM_COMP_ZLIB), "zlib") == 0, "compression names");
}

/* Valid streams of several sizes come back exactly, in both formats. */
static void
test_roundtrip(void)
{
	static const size_t sizes[] = {0, 1, 27, 1000, 65536, 300000, 3000000};
	size_t		i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		uint8_t    *text = make_text(sizes[i]);
		size_t		zlen = 0,
					glen = 0;
		uint8_t    *z = make_zlib(text, sizes[i], &zlen);
		uint8_t    *g = make_gzip(text, sizes[i], &glen);
		char		what[64];

		snprintf(what, sizeof(what), "zlib %zu bytes", sizes[i]);
		tu_check(&counts, sm_detect_compression(z, zlen) == SM_COMP_ZLIB, "%s: not detected", what);
		expect_ok(what, z, zlen, sizes[i] + 100, text, sizes[i]);
		snprintf(what, sizeof(what), "gzip %zu bytes", sizes[i]);
		tu_check(&counts, sm_detect_compression(g, glen) == SM_COMP_GZIP, "%s: not detected", what);
		expect_ok(what, g, glen, sizes[i] + 100, text, sizes[i]);
		/* the bound is inclusive: exactly the size passes, one less fails */
		snprintf(what, sizeof(what), "gzip %zu bytes, exact bound", sizes[i]);
		expect_ok(what, g, glen, sizes[i], text, sizes[i]);
		if (sizes[i] > 0)
		{
			snprintf(what, sizeof(what), "gzip %zu bytes, bound one short", sizes[i]);
			expect_fail(what, g, glen, SM_COMP_GZIP, sizes[i] - 1, SM_E_LIMIT,
						"decompressed size exceeds");
			snprintf(what, sizeof(what), "zlib %zu bytes, bound one short", sizes[i]);
			expect_fail(what, z, zlen, SM_COMP_ZLIB, sizes[i] - 1, SM_E_LIMIT,
						"decompressed size exceeds");
		}
		free(text);
		free(z);
		free(g);
	}
	tu_check(&counts, meter.live == 0, "round trip: %zu bytes still allocated", meter.live);
}

/* A bomb: 64 MB of zeros in a few hundred KB; the bound holds memory down. */
static void
test_bomb(void)
{
	size_t		n = (size_t) 64 << 20;
	uint8_t    *zeros = calloc(n, 1);
	size_t		glen = 0;
	uint8_t    *g = make_gzip(zeros, n, &glen);
	size_t		bound = (size_t) 1 << 20;
	char		msg[64];

	free(zeros);
	if (!tu_check(&counts, g != NULL, "bomb: could not make the gzip input"))
		return;
	printf("bomb: %zu bytes inflating to %zu\n", glen, n);
	meter.peak = meter.live = 0;
	meter.interrupts = 0;
	snprintf(msg, sizeof(msg), "decompressed size exceeds %zu bytes", bound);
	expect_fail("bomb", g, glen, SM_COMP_GZIP, bound, SM_E_LIMIT, msg);
	/* the output buffer never outgrew the bound (zlib's window is ~40 KB more) */
	tu_check(&counts, meter.peak <= bound + (100 << 10), "bomb: peak allocation %zu bytes",
			 meter.peak);
	tu_check(&counts, meter.live == 0, "bomb: %zu bytes still allocated", meter.live);
	tu_check(&counts, meter.interrupts > 0, "bomb: interrupts never polled");
	free(g);

	/* a big legitimate document under a big bound polls interrupts as it goes */
	{
		size_t		m = (size_t) 8 << 20;
		uint8_t    *text = make_text(m);
		size_t		zlen = 0;
		uint8_t    *z = make_zlib(text, m, &zlen);

		meter.interrupts = 0;
		expect_ok("8 MB zlib", z, zlen, m, text, m);
		tu_check(&counts, meter.interrupts >= 8, "8 MB zlib: %ld interrupt polls", meter.interrupts);
		free(text);
		free(z);
	}
}

/* Concatenated gzip members, and what may follow the data. */
static void
test_members(void)
{
	const uint8_t *a = (const uint8_t *) "{\"version\":3,";
	const uint8_t *b = (const uint8_t *) "\"mappings\":\"AAAA\"}";
	size_t		alen = strlen((const char *) a),
				blen = strlen((const char *) b);
	size_t		galen = 0,
				gblen = 0,
				gelen = 0,
				zlen = 0;
	uint8_t    *ga = make_gzip(a, alen, &galen);
	uint8_t    *gb = make_gzip(b, blen, &gblen);
	uint8_t    *ge = make_gzip(a, 0, &gelen);
	uint8_t    *z = make_zlib(a, alen, &zlen);
	uint8_t    *two = concat(ga, galen, gb, gblen);
	uint8_t    *whole = concat(a, alen, b, blen);
	uint8_t    *three = concat(two, galen + gblen, ge, gelen);
	uint8_t    *tmp;

	expect_ok("two members", two, galen + gblen, 1000, whole, alen + blen);
	expect_ok("two members and an empty one", three, galen + gblen + gelen, 1000, whole,
			  alen + blen);
	expect_ok("empty member", ge, gelen, 0, (const uint8_t *) "", 0);
	expect_fail("two members over the bound", two, galen + gblen, SM_COMP_GZIP,
				alen + blen - 1, SM_E_LIMIT, "exceeds");

	tmp = concat(ga, galen, (const uint8_t *) "\0", 1);
	expect_fail("gzip + zero byte", tmp, galen + 1, SM_COMP_GZIP, 1000, SM_E_SYNTAX,
				"1 trailing bytes");
	free(tmp);
	tmp = concat(ga, galen, (const uint8_t *) "\0\0\0\0", 4);
	expect_fail("gzip + zero padding", tmp, galen + 4, SM_COMP_GZIP, 1000, SM_E_SYNTAX,
				"4 trailing bytes");
	free(tmp);
	tmp = concat(ga, galen, (const uint8_t *) "\x1f", 1);
	expect_fail("gzip + half a magic", tmp, galen + 1, SM_COMP_GZIP, 1000, SM_E_SYNTAX,
				"trailing");
	free(tmp);
	tmp = concat(ga, galen, (const uint8_t *) "\x1f\x8b", 2);
	expect_fail("gzip + a member cut after its magic", tmp, galen + 2, SM_COMP_GZIP, 1000,
				SM_E_SYNTAX, "truncated gzip");
	free(tmp);
	tmp = concat(z, zlen, (const uint8_t *) "{}", 2);
	expect_fail("zlib + trailing", tmp, zlen + 2, SM_COMP_ZLIB, 1000, SM_E_SYNTAX,
				"2 trailing bytes after the zlib data");
	free(tmp);
	tmp = concat(z, zlen, z, zlen);
	expect_fail("two zlib streams", tmp, 2 * zlen, SM_COMP_ZLIB, 1000, SM_E_SYNTAX, "trailing");
	free(tmp);

	free(ga);
	free(gb);
	free(ge);
	free(z);
	free(two);
	free(three);
	free(whole);
}

/* Every truncation and every single-byte change is a clean outcome. */
static void
test_damage(void)
{
	uint8_t    *text = make_text(3000);
	size_t		glen = 0,
				zlen = 0;
	uint8_t    *g = make_gzip(text, 3000, &glen);
	uint8_t    *z = make_zlib(text, 3000, &zlen);
	const struct
	{
		const char *name;
		uint8_t    *data;
		size_t		len;
		SmCompression kind;
	}			kinds[] = {{"gzip", g, glen, SM_COMP_GZIP}, {"zlib", z, zlen, SM_COMP_ZLIB}};
	size_t		k;

	for (k = 0; k < 2; k++)
	{
		size_t		cut;
		size_t		i;
		long		bad_cut = 0,
					bad_flip = 0,
					flips_ok = 0;

		for (cut = 0; cut < kinds[k].len; cut++)
		{
			SmError		err = {0};
			uint8_t    *out = NULL;
			size_t		out_len;

			if (sm_inflate_doc(kinds[k].data, cut, kinds[k].kind, 100000, 0, &meter_env,
							   &out, &out_len, &err) || err.code != SM_E_SYNTAX)
			{
				if (bad_cut++ < 3)
					tu_check(&counts, false, "%s cut at %zu: code %d (%s)", kinds[k].name, cut,
							 (int) err.code, err.msg);
				meter_free(NULL, out);
			}
		}
		tu_check(&counts, bad_cut == 0, "%s: %ld truncations not SM_E_SYNTAX", kinds[k].name,
				 bad_cut);
		for (i = 0; i < kinds[k].len; i++)
		{
			uint8_t    *d = malloc(kinds[k].len);
			SmError		err = {0};
			uint8_t    *out = NULL;
			size_t		out_len = 0;

			memcpy(d, kinds[k].data, kinds[k].len);
			d[i] ^= 0x41;
			if (sm_inflate_doc(d, kinds[k].len, kinds[k].kind, 100000, 0, &meter_env,
							   &out, &out_len, &err))
			{
				/* only header fields without a check (MTIME, XFL, OS) may change */
				if (out_len != 3000 || memcmp(out, text, 3000) != 0)
					bad_flip++;
				else
					flips_ok++;
				meter_free(NULL, out);
			}
			else if (err.code != SM_E_SYNTAX && err.code != SM_E_LIMIT)
				bad_flip++;
			free(d);
		}
		tu_check(&counts, bad_flip == 0, "%s: %ld byte changes gave wrong data or errors",
				 kinds[k].name, bad_flip);
		tu_check(&counts, flips_ok <= 10, "%s: %ld byte changes went unnoticed", kinds[k].name,
				 flips_ok);
	}
	/* the messages say what and where */
	expect_fail("gzip cut in half", g, glen / 2, SM_COMP_GZIP, 100000, SM_E_SYNTAX,
				"truncated gzip data: input ends at byte");
	{
		uint8_t    *d = malloc(glen);

		memcpy(d, g, glen);
		d[glen - 5] ^= 1;		/* the ISIZE field */
		expect_fail("gzip length check", d, glen, SM_COMP_GZIP, 100000, SM_E_SYNTAX,
					"corrupt gzip data at input byte");
		memcpy(d, g, glen);
		d[glen - 8] ^= 1;		/* the CRC32 field */
		expect_fail("gzip crc", d, glen, SM_COMP_GZIP, 100000, SM_E_SYNTAX, "incorrect data check");
		free(d);
	}
	tu_check(&counts, meter.live == 0, "damage: %zu bytes still allocated", meter.live);
	free(text);
	free(g);
	free(z);
}

/* Preset dictionaries, wrong kinds, bad bounds, and the malloc environment. */
static void
test_arguments(void)
{
	/* FDICT set: 78 20 passes the header check, then wants a dictionary */
	static const uint8_t dict[] = {0x78, 0x20, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00};

	tu_check(&counts, sm_detect_compression(dict, sizeof(dict)) == SM_COMP_ZLIB, "FDICT detect");
	expect_fail("zlib with a preset dictionary", dict, sizeof(dict), SM_COMP_ZLIB, 100,
				SM_E_SYNTAX, "preset dictionary");
	expect_fail("raw kind", (const uint8_t *) "{}", 2, SM_COMP_NONE, 100, SM_E_ARGUMENT,
				"not gzip or zlib");
	expect_fail("zlib header only", (const uint8_t *) "\x78\x9c", 2, SM_COMP_ZLIB, 100,
				SM_E_SYNTAX, "truncated zlib");
	expect_fail("not deflate data", (const uint8_t *) "\x1f\x8b\x09\x00garbage-garbage", 17,
				SM_COMP_GZIP, 100, SM_E_SYNTAX, "corrupt gzip data at input byte");
	expect_fail("zlib kind on gzip bytes", (const uint8_t *) "\x1f\x8b\x08\x00\0\0\0\0\0\3", 10,
				SM_COMP_ZLIB, 100, SM_E_SYNTAX, "incorrect header check");
	expect_fail("bound too large", (const uint8_t *) "\x78\x9c", 2, SM_COMP_ZLIB, SIZE_MAX,
				SM_E_ARGUMENT, "bound");
	/* the malloc environment works too */
	{
		size_t		glen = 0;
		uint8_t    *g = make_gzip((const uint8_t *) "{}", 2, &glen);
		SmError		err = {0};
		uint8_t    *out = NULL;
		size_t		out_len = 0;

		tu_check(&counts, sm_inflate_doc(g, glen, SM_COMP_GZIP, 10, 0, &sm_malloc_env, &out,
										 &out_len, &err) &&
				 out_len == 2 && memcmp(out, "{}", 3) == 0, "malloc env: %s", err.msg);
		sm_free(&sm_malloc_env, out);
		free(g);
	}
}

int
main(void)
{
	test_detect();
	test_roundtrip();
	test_bomb();
	test_members();
	test_damage();
	test_arguments();
	tu_check(&counts, meter.live == 0, "%zu bytes still allocated at the end", meter.live);
	return tu_finish("inflate", &counts);
}
