/*
 * test_vlq.c -- unit test of the Base64 VLQ codec (sm_vlq.h).
 *
 * Every number in a "mappings" string goes through sm_vlq_decode, so its
 * limits decide which maps we accept.  This checks it against mozilla's
 * VLQ table (vendored from the conformance data), the ECMA-426 32-bit
 * limits spelled out in ../shared/conformance/README.md (point 9), the
 * error statuses and positions, that sm_vlq_encode is its inverse, and
 * that sm_vlq_next (the inline decoder of the build's hot path) agrees with
 * sm_vlq_decode on every input of up to three bytes, and that
 * sm_vlq_segment (the build's unchecked fast path for a whole segment)
 * takes exactly the segments it promises to, with sm_vlq_decode's values,
 * and reads nothing past its margin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_vlq.h"
#include "test_util.h"

static TuCounts counts;

static const char *
status_name(SmVlqStatus st)
{
	switch (st)
	{
		case SM_VLQ_OK:
			return "OK";
		case SM_VLQ_BAD_DIGIT:
			return "BAD_DIGIT";
		case SM_VLQ_TRUNCATED:
			return "TRUNCATED";
		case SM_VLQ_OVERFLOW:
			return "OVERFLOW";
	}
	return "?";
}

/* Decode s from offset start; expect status, and on success value and end position. */
static void
expect_decode(const char *what, const char *s, size_t len, size_t start,
			  SmVlqStatus want, int64_t want_value, size_t want_pos)
{
	size_t		pos = start;
	int64_t		v = 0;
	SmVlqStatus st = sm_vlq_decode(s, len, &pos, &v);

	if (!tu_check(&counts, st == want, "%s: decode %s: status %s, expected %s",
				  what, tu_show(s, len, false), status_name(st), status_name(want)))
		return;
	if (want == SM_VLQ_OK)
	{
		tu_check(&counts, v == want_value, "%s: decode %s: value %lld, expected %lld",
				 what, tu_show(s, len, false), (long long) v, (long long) want_value);
		tu_check(&counts, pos == want_pos, "%s: decode %s: end %zu, expected %zu",
				 what, tu_show(s, len, false), pos, want_pos);
	}
	else if (want == SM_VLQ_BAD_DIGIT)
		tu_check(&counts, pos == want_pos,
				 "%s: decode %s: error position %zu, expected the bad byte at %zu",
				 what, tu_show(s, len, false), pos, want_pos);
}

static void
expect_encode(const char *what, int64_t v, const char *want)
{
	char		buf[16];
	size_t		n;

	memset(buf, 0, sizeof(buf));
	n = sm_vlq_encode(v, buf);
	tu_check(&counts, n <= 7 && n == strlen(want) && memcmp(buf, want, n) == 0,
			 "%s: encode %lld: got %s, expected %s", what, (long long) v,
			 tu_show(buf, n <= 7 ? n : 7, false), tu_show(want, strlen(want), false));
}

/* mozilla/source-map's table: decode(encoded) == number, encode(number) == encoded. */
static void
test_mozilla_table(void)
{
	char	   *path = tu_path(tu_test_dir(), "conformance/mozilla-source-map/vlq-table.json");
	size_t		len;
	char	   *text = tu_read_file(path, &len);
	SmError		err = {0};
	TuJson	   *root;
	const TuJson *entries;
	size_t		i;

	if (!tu_check(&counts, text != NULL, "cannot read %s", path))
	{
		free(path);
		return;
	}
	root = tu_json_load(text, len, &err);
	entries = tu_json_get(root, "entries");
	if (tu_check(&counts, entries && entries->type == TJ_ARR && entries->n > 0,
				 "%s: no \"entries\" array (%s)", path, root ? "" : err.msg))
	{
		for (i = 0; i < entries->n; i++)
		{
			const TuJson *e = &entries->items[i];
			const char *enc = tu_json_str(e, "encoded", NULL);
			const TuJson *num = tu_json_get(e, "number");

			if (!tu_check(&counts, enc && num && num->type == TJ_NUM,
						  "vlq-table entry %zu malformed", i))
				continue;
			expect_decode("vlq-table", enc, strlen(enc), 0, SM_VLQ_OK, num->num, strlen(enc));
			expect_encode("vlq-table", num->num, enc);
		}
		printf("vlq-table: %zu entries\n", entries->n);
	}
	tu_json_free(root);
	free(text);
	free(path);
}

/* The 32-bit limits of ECMA-426 (conformance README point 9, tc39 cases). */
static void
test_limits(void)
{
	char		buf[256];
	size_t		i;

	/* the largest value, and one more (the tc39 "...Exceeding32Bits" VLQ) */
	expect_decode("max", "+/////D", 7, 0, SM_VLQ_OK, 2147483647, 7);
	expect_encode("max", 2147483647, "+/////D");
	expect_decode("max+1", "ggggggE", 7, 0, SM_VLQ_OVERFLOW, 0, 0);
	/* the most negative ordinary value, and -2^31 spelled out (needs 33 bits) */
	expect_decode("min+1", "//////D", 7, 0, SM_VLQ_OK, -2147483647, 7);
	expect_encode("min+1", -2147483647, "//////D");
	expect_decode("-2^31 long form", "hgggggE", 7, 0, SM_VLQ_OVERFLOW, 0, 0);
	/* bits beyond 32 in a 7th digit */
	expect_decode("7th digit high bits", "+/////f", 7, 0, SM_VLQ_OVERFLOW, 0, 0);
	/* "negative zero" is -2^31 (ECMA-426 VLQSignedValue) */
	expect_decode("B", "B", 1, 0, SM_VLQ_OK, -2147483648LL, 1);
	expect_encode("B", -2147483648LL, "B");
	expect_decode("A", "A", 1, 0, SM_VLQ_OK, 0, 1);

	/* continuation digit with nothing after it */
	expect_decode("g", "g", 1, 0, SM_VLQ_TRUNCATED, 0, 0);
	expect_decode("gg", "gg", 2, 0, SM_VLQ_TRUNCATED, 0, 0);
	expect_decode("+////", "+////", 5, 0, SM_VLQ_TRUNCATED, 0, 0);
	/* the buffer ends where the string would continue: len is respected */
	expect_decode("len cut", "gA", 1, 0, SM_VLQ_TRUNCATED, 0, 0);

	/* long runs of zero continuation digits are legal (tc39 validMappingLargeVLQ) */
	buf[0] = 'i';				/* 2 with continuation: +1 */
	for (i = 1; i < 200; i++)
		buf[i] = 'g';
	buf[200] = 'A';
	expect_decode("i g*199 A", buf, 201, 0, SM_VLQ_OK, 1, 201);
	for (i = 0; i < 200; i++)
		buf[i] = 'g';
	buf[200] = 'C';				/* 1 at bit 5*200: overflow, not a zero run */
	expect_decode("g*200 C", buf, 201, 0, SM_VLQ_OVERFLOW, 0, 0);
	buf[200] = 'A';
	expect_decode("g*200 A", buf, 201, 0, SM_VLQ_OK, 0, 201);
	/* non-zero digits, then a zero run: bits 1..29 set, sign clear */
	memcpy(buf, "+/////", 6);
	for (i = 6; i < 50; i++)
		buf[i] = 'g';
	buf[50] = 'A';
	expect_decode("+///// g* A", buf, 51, 0, SM_VLQ_OK, 0x3FFFFFFE >> 1, 51);
}

/* Not base64, and decoding in the middle of a buffer. */
static void
test_digits(void)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char bad[] = {'=', '!', ' ', ',', ';', '-', '_', '.', '"', '\0', '\n',
	(char) 0x80, (char) 0xc3, (char) 0xff};
	int			c;
	size_t		i;
	char		s[4];

	/* the digit table is RFC 4648's base64 alphabet and nothing else */
	for (c = 0; c < 256; c++)
	{
		const char *p = c ? memchr(alphabet, c, 64) : NULL;
		int			want = p ? (int) (p - alphabet) : -1;

		tu_check(&counts, sm_b64_value[c] == want, "sm_b64_value[%d] = %d, expected %d",
				 c, sm_b64_value[c], want);
	}
	for (i = 0; i < sizeof(bad); i++)
	{
		s[0] = bad[i];
		expect_decode("bad first digit", s, 1, 0, SM_VLQ_BAD_DIGIT, 0, 0);
		s[0] = 'g';
		s[1] = bad[i];
		expect_decode("bad digit after continuation", s, 2, 0, SM_VLQ_BAD_DIGIT, 0, 1);
	}
	/* an empty input has no digit */
	{
		size_t		pos = 0;
		int64_t		v;
		SmVlqStatus st = sm_vlq_decode("", 0, &pos, &v);

		tu_check(&counts, st != SM_VLQ_OK, "decode \"\": status OK, expected an error");
	}
	/* decoding starts at *pos and stops after one value */
	expect_decode("offset", "AC", 2, 1, SM_VLQ_OK, 1, 2);
	expect_decode("stops after one value", "DE,A", 4, 0, SM_VLQ_OK, -1, 1);
	expect_decode("offset bad", "A=", 2, 1, SM_VLQ_BAD_DIGIT, 0, 1);
}

/* encode is the inverse of decode over the whole range. */
static void
test_roundtrip(void)
{
	int64_t		v;
	long		bad = 0;
	long		n = 0;

	for (v = -2147483647LL; v <= 2147483647LL; v += (v > -70000 && v < 70000) ? 1 : 65521)
	{
		char		buf[16];
		size_t		len = sm_vlq_encode(v, buf);
		size_t		pos = 0;
		int64_t		got = 0;
		SmVlqStatus st = sm_vlq_decode(buf, len, &pos, &got);

		n++;
		if (len < 1 || len > 7 || st != SM_VLQ_OK || got != v || pos != len)
		{
			if (bad++ < 10)
				tu_check(&counts, false, "round trip %lld: encoded %s, decoded %lld (status %s)",
						 (long long) v, tu_show(buf, len <= 7 ? len : 7, false),
						 (long long) got, status_name(st));
		}
	}
	tu_check(&counts, bad == 0, "round trip: %ld of %ld values failed", bad, n);
	/* the ends exactly */
	{
		const int64_t ends[] = {2147483647LL, -2147483647LL, -2147483648LL, 0, 1, -1, 15, 16, -16};
		size_t		i;

		for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		{
			char		buf[16];
			size_t		len = sm_vlq_encode(ends[i], buf);
			size_t		pos = 0;
			int64_t		got = 0;
			SmVlqStatus st = sm_vlq_decode(buf, len, &pos, &got);

			tu_check(&counts, st == SM_VLQ_OK && got == ends[i] && pos == len,
					 "round trip %lld: decoded %lld (status %s)", (long long) ends[i],
					 (long long) got, status_name(st));
		}
	}
}

/*
 * sm_vlq_next and sm_vlq_decode on every string of one and two bytes and on
 * every three-byte string over the digits, ',' and one bad byte, from
 * offset 0 and (one byte in) from offset 1: same status, value and position.
 */
static void
test_next(void)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/,!";
	const size_t na = sizeof(alphabet) - 1;
	long		n = 0,
				bad = 0;
	unsigned char buf[3];

	for (size_t len = 1; len <= 3; len++)
	{
		size_t		combos = len < 3 ? (size_t) 1 << (8 * len) : na * na * na;

		for (size_t k = 0; k < combos; k++)
		{
			if (len < 3)
			{
				buf[0] = (unsigned char) k;
				buf[1] = (unsigned char) (k >> 8);
			}
			else
			{
				buf[0] = (unsigned char) alphabet[k % na];
				buf[1] = (unsigned char) alphabet[k / na % na];
				buf[2] = (unsigned char) alphabet[k / na / na];
			}
			for (size_t start = 0; start < len && start < 2; start++)
			{
				size_t		p1 = start,
							p2 = start;
				int64_t		v1 = 7,
							v2 = 7;
				SmVlqStatus s1 = sm_vlq_decode((const char *) buf, len, &p1, &v1);
				SmVlqStatus s2 = sm_vlq_next((const char *) buf, len, &p2, &v2);

				n++;
				if (s1 != s2 || p1 != p2 || (s1 == SM_VLQ_OK && v1 != v2))
				{
					if (bad++ < 5)
						tu_check(&counts, false, "next %s from %zu: %s %lld end %zu, decode says %s %lld end %zu",
								 tu_show((const char *) buf, len, false), start, status_name(s2),
								 (long long) v2, p2, status_name(s1), (long long) v1, p1);
				}
			}
		}
	}
	tu_check(&counts, bad == 0 && n > 300000, "sm_vlq_next = sm_vlq_decode: %ld of %ld inputs differ", bad, n);
}

/*
 * What sm_vlq_segment must answer for the segment at s[0..]: the fields as
 * sm_vlq_decode reads them up to ',' or ';', and whether the segment has the
 * common shape (1, 4 or 5 fields of at most 6 digits, none -2^31, then ','
 * or ';').  Returns the field count for that shape, else 0.
 */
static int
segment_reference(const char *s, size_t len, int64_t f[5], size_t *end)
{
	size_t		p = 0;
	int			nf = 0;

	while (p < len && s[p] != ',' && s[p] != ';')
	{
		size_t		start = p;
		int64_t		v;

		if (nf == 5 || sm_vlq_decode(s, len, &p, &v) != SM_VLQ_OK ||
			p - start > 6 || v == -(int64_t) 2147483648)
			return 0;
		f[nf++] = v;
	}
	if (p >= len || (nf != 1 && nf != 4 && nf != 5))
		return 0;
	*end = p;
	return nf;
}

/* One random VLQ: canonical, with zero continuation digits, or too long. */
static size_t
random_vlq(char *dst, unsigned r)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int64_t		v;
	size_t		n;

	switch (r % 8)
	{
		case 0:
			v = (int64_t) (r >> 3) % 16 - 8;
			break;
		case 1:
			v = (int64_t) ((r >> 3) % 1024) - 512;
			break;
		case 2:
			v = (int64_t) (r >> 3) % 300000000 - 150000000;
			break;
		case 3:
			v = (r & 8) ? 2147483647 : -2147483647;
			break;
		case 4:
			/* a 1 with zero continuation digits: 2 to 8 digits */
			n = 0;
			dst[n++] = 'i';
			for (unsigned k = 0; k < (r >> 3) % 6; k++)
				dst[n++] = 'g';
			dst[n++] = 'A';
			return n;
		case 5:
			dst[0] = digits[(r >> 3) % 64];		/* may be "B" or continue into the next field */
			return 1;
		default:
			v = (int64_t) ((r >> 3) % 64) - 32;
			break;
	}
	return sm_vlq_encode(v, dst);
}

/*
 * sm_vlq_segment on random segments (0 to 6 fields of random values, some
 * bytes replaced by non-digits, ended by ',', ';' or another byte), each at
 * the start of an exactly SM_VLQ_SEGMENT_MARGIN-byte heap block when it fits
 * (so AddressSanitizer sees any read past the margin): it takes the segment
 * exactly when segment_reference says it has the common shape, with the
 * same values and end, and leaves the position alone otherwise.
 */
static void
test_segment(void)
{
	static const char ends[] = ",;\"x\0!";
	long		n = 0,
				taken = 0,
				bad = 0;
	unsigned	r = 12345;

	for (int iter = 0; iter < 400000; iter++)
	{
		char		text[128];
		size_t		len = 0;
		int			fields;
		char	   *buf;
		size_t		size;
		int64_t		want[5],
					got[5];
		size_t		want_end = 0,
					pos = 0;
		int			want_nf,
					got_nf;

		r = r * 1103515245u + 12345u;
		fields = (int) ((r >> 16) % 7);
		for (int k = 0; k < fields; k++)
		{
			r = r * 1103515245u + 12345u;
			len += random_vlq(text + len, r >> 4);
		}
		r = r * 1103515245u + 12345u;
		if ((r >> 20) % 16 == 0 && len > 0)
			text[(r >> 8) % len] = ends[(r >> 24) % (sizeof(ends) - 1)];
		text[len++] = ends[(r >> 12) % 3 == 2 ? (r >> 14) % (sizeof(ends) - 1) : (r >> 12) % 2];
		size = len > SM_VLQ_SEGMENT_MARGIN ? len : SM_VLQ_SEGMENT_MARGIN;
		buf = malloc(size);
		if (buf == NULL)
			abort();
		memset(buf, 'g', size);	/* continuation digits: a read past the segment keeps going */
		memcpy(buf, text, len);
		want_nf = segment_reference(buf, len, want, &want_end);
		got_nf = len <= SM_VLQ_SEGMENT_MARGIN ? sm_vlq_segment(buf, &pos, got) : 0;
		if (len > SM_VLQ_SEGMENT_MARGIN)
			want_nf = 0;
		n++;
		taken += got_nf != 0;
		if (got_nf != want_nf || (got_nf == 0 && pos != 0) ||
			(got_nf != 0 && (pos != want_end || memcmp(got, want, sizeof(int64_t) * (size_t) got_nf) != 0)))
		{
			if (bad++ < 5)
				tu_check(&counts, false, "segment %s: %d fields, end %zu; expected %d, end %zu",
						 tu_show(buf, len, false), got_nf, pos, want_nf, want_end);
		}
		free(buf);
	}
	tu_check(&counts, bad == 0, "sm_vlq_segment: %ld of %ld segments differ", bad, n);
	tu_check(&counts, taken > n / 10 && taken < n - n / 10,
			 "sm_vlq_segment: both shapes seen (%ld of %ld taken)", taken, n);
}

int
main(void)
{
	test_mozilla_table();
	test_limits();
	test_digits();
	test_roundtrip();
	test_next();
	test_segment();
	return tu_finish("vlq", &counts);
}
