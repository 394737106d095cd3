/*
 * test_functab.c -- unit test of the stored function table (sm_functab.h).
 *
 * The table is read from untrusted bytes (binary input of a value), so
 * besides the lookups this checks the canonical form byte for byte, that
 * the encoding does not depend on the order ranges were added in, the
 * repair of overlapping ranges, that every truncation and every
 * hand-made defect is rejected by sm_functab_check, and that neither the
 * check nor a lookup reads out of bounds on corrupted bytes (run under
 * `make asan`).  A randomised test compares lookups with a brute-force
 * search over properly nested ranges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/sm_format.h"
#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "test_util.h"

static TuCounts counts;

/* A range for building lists: name NULL = anonymous. */
typedef struct R
{
	uint32_t	sl,
				sc,
				el,
				ec;
	const char *name;
} R;

/* Build a list from n ranges. */
static void
make_list(SmFuncList *l, const R *r, size_t n, SmError *err)
{
	size_t		i;

	sm_func_list_init(l, &sm_malloc_env, err);
	for (i = 0; i < n; i++)
		sm_func_list_add(l, r[i].sl, r[i].sc, r[i].el, r[i].ec, r[i].name,
						  r[i].name ? strlen(r[i].name) : 0, r[i].name == NULL);
}

/* Encode n ranges into *out (malloc'ed copy); false on failure. */
static bool
encode(const R *r, size_t n, uint8_t **out, size_t *len)
{
	SmFuncList l;
	SmBuf		b;
	SmError		err;
	bool		ok;

	make_list(&l, r, n, &err);
	smb_init(&b, &sm_malloc_env, &err);
	ok = sm_functab_encode(&l, &b, &err);
	tu_check(&counts, ok, "encode: %s", ok ? "" : err.msg);
	*len = b.len;
	*out = malloc(b.len ? b.len : 1);
	if (b.len)
		memcpy(*out, b.data, b.len);
	smb_free(&b);
	sm_func_list_free(&l);
	return ok;
}

/* find() at (line, col) must give want (NULL: none, "~": anonymous). */
static void
expect_find(const char *what, const uint8_t *t, size_t len, uint32_t line, uint32_t col,
			const char *want)
{
	SmStr		name;
	bool		anon;
	int			rc = sm_functab_find(t, len, line, col, &name, &anon);
	bool		ok;

	if (want == NULL)
		ok = rc == 0;
	else if (strcmp(want, "~") == 0)
		ok = rc == 1 && anon && name.len == 0;
	else
		ok = rc == 1 && !anon && name.len == strlen(want) && memcmp(name.ptr, want, name.len) == 0;
	tu_check(&counts, ok, "%s: find(%u, %u) = %d %s, expected %s", what, line, col, rc,
			 rc == 1 ? (anon ? "~" : tu_show(name.ptr, name.len, false)) : "", want ? want : "none");
}

/* The expected bytes of a table, built by hand from breaks and names. */
static void
expect_layout(const char *what, const uint8_t *t, size_t len, const uint32_t *breaks,
			  uint32_t nbreaks, const char *const *names, uint32_t nnames)
{
	size_t		want_len = SM_FUNCTAB_HEADER + (size_t) nbreaks * 12 + (size_t) nnames * 8;
	uint8_t    *w;
	size_t		p,
				sp;
	uint32_t	i,
				off = 0;

	for (i = 0; i < nnames; i++)
		want_len += strlen(names[i]);
	w = calloc(1, want_len);
	sm_put32(w, SM_FUNCTAB_MAGIC);
	sm_put16(w + 4, 1);
	sm_put32(w + 8, nbreaks);
	sm_put32(w + 12, nnames);
	p = 16;
	for (i = 0; i < 3 * nbreaks; i++, p += 4)
		sm_put32(w + p, breaks[i]);
	sp = p + (size_t) nnames * 8;
	for (i = 0; i < nnames; i++, p += 8)
	{
		sm_put32(w + p, off);
		sm_put32(w + p + 4, (uint32_t) strlen(names[i]));
		memcpy(w + sp + off, names[i], strlen(names[i]));
		off += (uint32_t) strlen(names[i]);
	}
	tu_check(&counts, len == want_len && memcmp(t, w, len) == 0,
			 "%s: encoded bytes differ from the layout (%zu vs %zu bytes)", what, len, want_len);
	free(w);
}

static void
test_basic(void)
{
	uint8_t    *t;
	size_t		len;
	SmError		err;
	static const R nested[] = {
		{0, 0, 0, 100, "A"},
		{0, 10, 0, 20, "B"},
		{0, 30, 0, 40, NULL},
		{0, 50, 0, 60, "A"},	/* same name as its parent: no breakpoint of its own */
		{0, 70, 0, 70, "empty"},	/* empty: ignored */
		{0, 80, 0, 100, "C"},	/* ends with its parent */
		{2, 5, 4, 1, "D"}		/* multi-line */
	};
	static const uint32_t nested_breaks[] = {
		0, 0, 0, 0, 10, 1, 0, 20, 0, 0, 30, SM_FUNCTAB_ANON, 0, 40, 0, 0, 80, 2,
		0, 100, SM_FUNCTAB_NONE, 2, 5, 3, 4, 1, SM_FUNCTAB_NONE
	};
	static const char *const nested_names[] = {"A", "B", "C", "D"};

	/* empty list */
	if (encode(NULL, 0, &t, &len))
	{
		expect_layout("empty", t, len, NULL, 0, NULL, 0);
		tu_check(&counts, sm_functab_check(t, len, &err), "empty: check: %s", err.msg);
		expect_find("empty", t, len, 0, 0, NULL);
	}
	free(t);

	if (encode(nested, sizeof(nested) / sizeof(nested[0]), &t, &len))
	{
		expect_layout("nested", t, len, nested_breaks, 9, nested_names, 4);
		tu_check(&counts, sm_functab_check(t, len, &err), "nested: check: %s", err.msg);
		expect_find("nested", t, len, 0, 0, "A");
		expect_find("nested", t, len, 0, 9, "A");
		expect_find("nested", t, len, 0, 10, "B");
		expect_find("nested", t, len, 0, 19, "B");
		expect_find("nested", t, len, 0, 20, "A");
		expect_find("nested", t, len, 0, 35, "~");
		expect_find("nested", t, len, 0, 55, "A");
		expect_find("nested", t, len, 0, 70, "A");
		expect_find("nested", t, len, 0, 99, "C");
		expect_find("nested", t, len, 0, 100, NULL);
		expect_find("nested", t, len, 1, 0, NULL);
		expect_find("nested", t, len, 2, 4, NULL);
		expect_find("nested", t, len, 2, 5, "D");
		expect_find("nested", t, len, 3, 999999, "D");
		expect_find("nested", t, len, 4, 0, "D");
		expect_find("nested", t, len, 4, 1, NULL);
		expect_find("nested", t, len, UINT32_MAX, UINT32_MAX, NULL);
	}
	free(t);
}

/* The encoding does not depend on the order of addition; names are deduplicated. */
static void
test_determinism(void)
{
	static const R a[] = {
		{0, 0, 0, 50, "f"}, {0, 5, 0, 9, "g"}, {0, 20, 0, 30, "f"}, {1, 0, 1, 9, "g"},
		{0, 60, 0, 70, "h"}
	};
	static const R b[] = {
		{1, 0, 1, 9, "g"}, {0, 60, 0, 70, "h"}, {0, 20, 0, 30, "f"}, {0, 5, 0, 9, "g"},
		{0, 0, 0, 50, "f"}
	};
	static const uint32_t breaks[] = {
		0, 0, 0, 0, 5, 1, 0, 9, 0, 0, 50, SM_FUNCTAB_NONE, 0, 60, 2, 0, 70, SM_FUNCTAB_NONE,
		1, 0, 1, 1, 9, SM_FUNCTAB_NONE
	};
	static const char *const names[] = {"f", "g", "h"};
	uint8_t    *ta,
			   *tb;
	size_t		la,
				lb;

	if (encode(a, 5, &ta, &la) && encode(b, 5, &tb, &lb))
	{
		tu_check(&counts, la == lb && memcmp(ta, tb, la) == 0,
				 "determinism: order of addition changes the bytes");
		expect_layout("determinism", ta, la, breaks, 8, names, 3);
	}
	free(ta);
	free(tb);
}

/* Overlaps are cut at the enclosing range's end; equal extents: the later is inner. */
static void
test_repair(void)
{
	static const R r[] = {
		{0, 0, 0, 50, "A"}, {0, 40, 0, 80, "B"}, {0, 90, 0, 95, "X"}, {0, 90, 0, 95, "Y"},
		{0, 100, 0, 120, "P"}, {0, 110, 0, 130, "Q"}, {0, 115, 0, 140, "R"}
	};
	uint8_t    *t;
	size_t		len;
	SmError		err;

	if (!encode(r, sizeof(r) / sizeof(r[0]), &t, &len))
	{
		free(t);
		return;
	}
	tu_check(&counts, sm_functab_check(t, len, &err), "repair: check: %s", err.msg);
	expect_find("repair", t, len, 0, 39, "A");
	expect_find("repair", t, len, 0, 45, "B");
	expect_find("repair", t, len, 0, 50, NULL);
	expect_find("repair", t, len, 0, 60, NULL);
	expect_find("repair", t, len, 0, 92, "Y");
	expect_find("repair", t, len, 0, 105, "P");
	expect_find("repair", t, len, 0, 112, "Q");
	expect_find("repair", t, len, 0, 119, "R");
	expect_find("repair", t, len, 0, 120, NULL);
	expect_find("repair", t, len, 0, 125, NULL);
	free(t);
}

/* Names: invalid text or empty becomes anonymous; long names are cut on a character. */
static void
test_names(void)
{
	SmFuncList l;
	SmError		err;
	char		longname[SM_FUNC_NAME_MAX + 10];

	memset(longname, 'a', sizeof(longname));
	longname[SM_FUNC_NAME_MAX - 1] = (char) 0xC3;	/* a 2-byte character across the cut */
	longname[SM_FUNC_NAME_MAX] = (char) 0xA9;
	sm_func_list_init(&l, &sm_malloc_env, &err);
	sm_func_list_add(&l, 0, 0, 0, 1, "ok", 2, false);
	sm_func_list_add(&l, 0, 1, 0, 2, "bad\xFF", 4, false);
	sm_func_list_add(&l, 0, 2, 0, 3, "nul\0x", 5, false);
	sm_func_list_add(&l, 0, 3, 0, 4, "", 0, false);
	sm_func_list_add(&l, 0, 4, 0, 5, longname, sizeof(longname), false);
	tu_check(&counts, l.count == 5 && !l.ranges[0].anonymous && l.ranges[1].anonymous &&
			 l.ranges[2].anonymous && l.ranges[3].anonymous && !l.ranges[4].anonymous &&
			 l.ranges[4].name_len == SM_FUNC_NAME_MAX - 1,
			 "names: invalid or empty names are anonymous, long ones cut at a character");
	sm_func_list_free(&l);
}

/* Write a table by hand: header, breaks (3 u32 each), names (offset, len), string bytes. */
static size_t
craft(uint8_t *buf, uint16_t version, uint16_t flags, const uint32_t *br, uint32_t nb,
	  const uint32_t *dir, uint32_t nn, const char *str, size_t slen)
{
	size_t		p = 16;
	uint32_t	i;

	sm_put32(buf, SM_FUNCTAB_MAGIC);
	sm_put16(buf + 4, version);
	sm_put16(buf + 6, flags);
	sm_put32(buf + 8, nb);
	sm_put32(buf + 12, nn);
	for (i = 0; i < 3 * nb; i++, p += 4)
		sm_put32(buf + p, br[i]);
	for (i = 0; i < 2 * nn; i++, p += 4)
		sm_put32(buf + p, dir[i]);
	memcpy(buf + p, str, slen);
	return p + slen;
}

/* Hand-made defects are rejected with SM_E_BINARY. */
static void
test_check_rejects(void)
{
	static const uint32_t good_br[] = {0, 0, 0, 0, 5, SM_FUNCTAB_ANON, 0, 9, SM_FUNCTAB_NONE};
	static const uint32_t good_dir[] = {0, 2};
	static const struct
	{
		const char *what;
		uint16_t	version;
		uint16_t	flags;
		uint32_t	br[9];
		uint32_t	nb;
		uint32_t	dir[4];
		uint32_t	nn;
		const char *str;
	}			bad[] =
	{
		{"bad version", 2, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 2}, 1, "ab"},
		{"unknown flags", 1, 1, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 2}, 1, "ab"},
		{"breaks not increasing", 1, 0, {0, 5, 0, 0, 5, SM_FUNCTAB_ANON, 0, 9, SM_FUNCTAB_NONE}, 3, {0, 2}, 1, "ab"},
		{"repeated ref", 1, 0, {0, 0, 0, 0, 5, 0, 0, 9, SM_FUNCTAB_NONE}, 3, {0, 2}, 1, "ab"},
		{"starts with none", 1, 0, {0, 0, SM_FUNCTAB_NONE, 0, 5, 0, 0, 9, SM_FUNCTAB_NONE}, 3, {0, 2}, 1, "ab"},
		{"never ends", 1, 0, {0, 0, 0, 0, 5, SM_FUNCTAB_ANON}, 2, {0, 2}, 1, "ab"},
		{"ref out of range", 1, 0, {0, 0, 1, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 2}, 1, "ab"},
		{"names out of order", 1, 0, {0, 0, 1, 0, 5, 0, 0, 9, SM_FUNCTAB_NONE}, 3, {0, 1, 1, 1}, 2, "ab"},
		{"unused name", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 1, 1, 1}, 2, "ab"},
		{"empty name", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 0}, 1, ""},
		{"gap between names", 1, 0, {0, 0, 0, 0, 5, 1, 0, 9, SM_FUNCTAB_NONE}, 3, {0, 1, 2, 1}, 2, "abc"},
		{"name past the end", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 3}, 1, "ab"},
		{"bytes after the names", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 1}, 1, "ab"},
		{"invalid UTF-8", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 2}, 1, "a\xFF"},
		{"NUL in a name", 1, 0, {0, 0, 0, 0, 9, SM_FUNCTAB_NONE}, 2, {0, 2}, 1, "a\0"},
	};
	uint8_t		buf[256];
	size_t		len,
				i;
	SmError		err;

	len = craft(buf, 1, 0, good_br, 3, good_dir, 1, "ab", 2);
	tu_check(&counts, sm_functab_check(buf, len, &err), "hand-made good table: %s", err.msg);
	expect_find("hand-made", buf, len, 0, 3, "ab");
	expect_find("hand-made", buf, len, 0, 7, "~");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		size_t		slen = (strcmp(bad[i].what, "NUL in a name") == 0) ? 2 : strlen(bad[i].str);
		bool		ok;

		len = craft(buf, bad[i].version, bad[i].flags, bad[i].br, bad[i].nb, bad[i].dir,
					bad[i].nn, bad[i].str, slen);
		ok = sm_functab_check(buf, len, &err);
		tu_check(&counts, !ok && err.code == SM_E_BINARY, "check accepts: %s", bad[i].what);
	}
	buf[0] ^= 1;
	tu_check(&counts, !sm_functab_check(buf, len, &err), "check accepts a bad magic");
	tu_check(&counts, !sm_functab_check(NULL, 0, &err), "check accepts no bytes");
}

/* Every truncation fails the check; corrupted bytes never make check or find overread. */
static void
test_corruption(void)
{
	static const R r[] = {
		{0, 0, 0, 50, "alpha"}, {0, 10, 0, 20, "beta"}, {0, 30, 0, 40, NULL},
		{3, 0, 9, 0, "gamma\xC3\xA9"}
	};
	uint8_t    *t;
	size_t		len,
				i;
	SmError		err;

	if (!encode(r, 4, &t, &len))
	{
		free(t);
		return;
	}
	for (i = 0; i < len; i++)
	{
		uint8_t    *copy = malloc(i ? i : 1);
		SmStr		name;
		bool		anon;

		memcpy(copy, t, i);
		tu_check(&counts, !sm_functab_check(copy, i, &err), "truncation to %zu accepted", i);
		(void) sm_functab_find(copy, i, 0, 15, &name, &anon);
		(void) sm_functab_find(copy, i, 5, 0, &name, &anon);
		free(copy);
	}
	for (i = 0; i < len * 8; i++)
	{
		uint8_t    *copy = malloc(len);
		SmStr		name;
		bool		anon;
		uint32_t	q;

		memcpy(copy, t, len);
		copy[i / 8] ^= (uint8_t) (1u << (i % 8));
		(void) sm_functab_check(copy, len, &err);
		for (q = 0; q < 60; q += 7)
		{
			int			rc = sm_functab_find(copy, len, q / 10, q, &name, &anon);

			if (rc == 1 && !anon)
				tu_check(&counts, name.ptr >= (const char *) copy &&
						 name.ptr + name.len <= (const char *) copy + len,
						 "flip %zu: name outside the bytes", i);
		}
		free(copy);
	}
	tu_check(&counts, true, "corruption sweep done");
	free(t);
}

/* Random properly nested ranges: find() agrees with a brute-force search. */
static void
test_random(void)
{
	uint64_t	seed = 12345;
	int			round;

	for (round = 0; round < 200; round++)
	{
		R			r[64];
		char		names[64][8];
		size_t		n = 0,
					k;
		uint8_t    *t;
		size_t		len;
		uint32_t	q;
		SmError		err;
		bool		ok = true;

		/* random nested intervals on a line of 200 columns, by recursive splitting */
		{
			uint32_t	lo[64],
						hi[64],
						sp = 0;

			lo[sp] = 0;
			hi[sp] = 200;
			sp++;
			while (sp > 0 && n < 64)
			{
				uint32_t	a,
							b;

				sp--;
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				a = lo[sp] + (uint32_t) ((seed >> 33) % (hi[sp] - lo[sp] + 1));
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				b = a + (uint32_t) ((seed >> 33) % (hi[sp] - a + 1));
				if (b <= a)
					continue;
				snprintf(names[n], sizeof(names[n]), "n%u", (unsigned) ((seed >> 20) % 5));
				r[n].sl = r[n].el = (uint32_t) (seed >> 40) % 2;
				r[n].sc = a;
				r[n].ec = b;
				r[n].name = ((seed >> 10) % 7 == 0) ? NULL : names[n];
				n++;
				if (sp + 2 <= 64 && b - a > 2)
				{
					lo[sp] = a;
					hi[sp] = (a + b) / 2;
					sp++;
					lo[sp] = (a + b) / 2;
					hi[sp] = b;
					sp++;
				}
			}
		}
		/* the generated ranges share lines only with ranges of the same line */
		for (k = 0; k < n; k++)
			r[k].sl = r[k].el = 0;
		if (!encode(r, n, &t, &len))
		{
			free(t);
			continue;
		}
		ok = sm_functab_check(t, len, &err);
		tu_check(&counts, ok, "random %d: check: %s", round, ok ? "" : err.msg);
		for (q = 0; q <= 201 && ok; q++)
		{
			/* brute force: containing range with the latest start, then the shortest, then the last */
			int			best = -1;
			SmStr		name;
			bool		anon;
			int			rc;

			for (k = 0; k < n; k++)
			{
				if (!(r[k].sc <= q && q < r[k].ec))
					continue;
				if (best < 0 || r[k].sc > r[best].sc ||
					(r[k].sc == r[best].sc && r[k].ec <= r[best].ec))
					best = (int) k;
			}
			rc = sm_functab_find(t, len, 0, q, &name, &anon);
			if (best < 0)
				ok = rc == 0;
			else if (r[best].name == NULL)
				ok = rc == 1 && anon;
			else
				ok = rc == 1 && !anon && name.len == strlen(r[best].name) &&
					memcmp(name.ptr, r[best].name, name.len) == 0;
			tu_check(&counts, ok, "random %d: find(0, %u) disagrees with brute force", round, q);
		}
		free(t);
	}
}

int
main(void)
{
	test_basic();
	test_determinism();
	test_repair();
	test_names();
	test_check_rejects();
	test_corruption();
	test_random();
	return tu_finish("functab", &counts);
}
