/*
 * fuzz_lookup.c -- lookups and iteration against an independent model.
 *
 * The input describes segments as numbers (deltas, field counts, line
 * breaks); the harness keeps the absolute values itself, encodes them as
 * VLQ "mappings" with its own encoder, wraps them in a regular map or in a
 * one-section index map at an offset, and builds it.  Then:
 *
 *   - sm_build accepts the map exactly when the model says every value is
 *     in range (column, source, original line and column, name, generated
 *     column after the section offset, generated lines within
 *     SM_MAX_LINES), and rejects it otherwise;
 *   - sm_info counts the segments and the generated lines (';' + 1, plus
 *     the section's line offset);
 *   - iteration gives the model's segments stable-sorted by generated
 *     position, every field equal;
 *   - lookups at positions from the rest of the input (near segments, on
 *     empty lines, past the ends), every bias, equal the brute-force answer
 *     over the model's segments;
 *   - then fz_exercise (strict, with the round trip) on the built value.
 *
 * Input: flags, counts, optional offsets, then per segment a control byte
 * and its fields; bytes left over choose the lookups.  With flag bit 4 the
 * segments come from a PRNG seeded by the input (200 to 3260 of them, so that
 * several mapping blocks of 1024 segments are involved).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_limits.h"
#include "format/sm_format.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEGS 3300

typedef struct Rd
{
	const uint8_t *p;
	size_t		n;
	size_t		i;
} Rd;

static uint8_t
rd8(Rd *r)
{
	return r->i < r->n ? r->p[r->i++] : 0;
}

static uint32_t
rd32(Rd *r)
{
	uint32_t	v = 0;

	for (int k = 0; k < 4; k++)
		v |= (uint32_t) rd8(r) << (8 * k);
	return v;
}

typedef struct Text
{
	char	   *p;
	size_t		n;
	size_t		cap;
} Text;

static void
put(Text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap)
	{
		size_t		cap = t->cap ? t->cap : 1024;
		char	   *np;

		while (cap < t->n + n + 1)
			cap *= 2;
		np = realloc(t->p, cap);
		if (np == NULL)
			fz_fail("out of memory in the harness");
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

static void
puts_(Text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* The harness's own Base64 VLQ encoder (|v| < 2^31). */
static void
put_vlq(Text *t, int64_t v)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t	u = v < 0 ? ((uint64_t) (-v) << 1) | 1 : (uint64_t) v << 1;
	char		buf[16];
	size_t		n = 0;

	do
	{
		unsigned	d = (unsigned) (u & 31);

		u >>= 5;
		if (u)
			d |= 32;
		buf[n++] = digits[d];
	} while (u);
	put(t, buf, n);
}

/* A delta in (-2^31, 2^31): small and mostly forward, or (rarely) anything. */
static int64_t
delta(Rd *r, bool wild, int small_mod, bool forward)
{
	uint8_t		c = rd8(r);

	if (wild && (c & 0xC0) == 0xC0)
	{
		int64_t		v = (int32_t) rd32(r);

		return v == INT32_MIN ? 0 : v;
	}
	if (forward && !(c & 0x80))
		return (int64_t) (c % small_mod);
	return (int64_t) ((int8_t) c % small_mod);
}

static uint64_t prng_state;

static uint8_t
prng8(void)
{
	uint64_t	z;

	prng_state += UINT64_C(0x9E3779B97F4A7C15);
	z = prng_state;
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return (uint8_t) (z ^ (z >> 31));
}

/* Stable insertion sort by generated position (the input is nearly sorted). */
static void
sort_segments(SmMapping *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		SmMapping	x = s[i];
		size_t		j = i;

		while (j > 0 && (s[j - 1].gen_line > x.gen_line ||
						 (s[j - 1].gen_line == x.gen_line && s[j - 1].gen_col > x.gen_col)))
		{
			s[j] = s[j - 1];
			j--;
		}
		s[j] = x;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Rd			r = {data, size, 0};
	uint8_t		flags = rd8(&r);
	uint8_t		counts = rd8(&r);
	bool		wrap = flags & 1,
				big_off = flags & 2,
				root = flags & 4,
				wild = flags & 8,
				use_prng = flags & 16;
	uint32_t	nsrc = 1 + counts % 4;
	uint32_t	nnames = (counts >> 2) % 4;
	uint64_t	line_off = 0,
				col_off = 0;
	uint32_t	nseg;
	SmMapping  *model;
	size_t		nmodel = 0;
	bool		valid = true;
	int64_t		col = 0,
				src = 0,
				oline = 0,
				ocol = 0,
				name = 0;
	uint64_t	line = 0;
	Text		map = {0},
				json = {0};
	char		num[48];
	FzEnv		e;
	SmError		err;
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	bool		ok;

	if (wrap)
	{
		line_off = big_off ? rd32(&r) % ((uint64_t) SM_MAX_COORD + 1) : rd8(&r) % 4;
		col_off = big_off ? rd32(&r) % ((uint64_t) SM_MAX_COORD + 1) : rd8(&r) % 50;
	}
	nseg = use_prng ? 200 + rd8(&r) * 12u : rd8(&r) % 64;
	if (use_prng)
		prng_state = fz_hash(data, size);
	model = malloc(MAX_SEGS * sizeof(SmMapping));
	if (model == NULL)
		fz_fail("out of memory in the harness");

	/* the segments: model and "mappings" text together */
	puts_(&map, "\"");
	for (uint32_t i = 0; i < nseg && nmodel < MAX_SEGS; i++)
	{
		uint8_t		pbuf[16];
		Rd			pr = {pbuf, sizeof(pbuf), 0};
		Rd		   *in = &r;
		uint8_t		ctl;
		int			nf;
		bool		first_in_line,
					raw;

		if (use_prng)
		{
			for (size_t k = 0; k < sizeof(pbuf); k++)
				pbuf[k] = prng8();
			pbuf[0] &= 0x9F;	/* no wild values, no out-of-range deltas */
			in = &pr;
		}
		ctl = rd8(in);
		if ((ctl & 3) == 3)
		{
			int			k = 1 + rd8(in) % 3;

			for (int j = 0; j < k; j++)
				puts_(&map, ";");
			line += (uint64_t) k;
			col = 0;
			first_in_line = true;
		}
		else
			first_in_line = (i == 0 || map.p[map.n - 1] == ';');
		if (!first_in_line)
			puts_(&map, ",");
		nf = ((ctl >> 2) % 3 == 0) ? 1 : ((ctl >> 2) % 3 == 1) ? 4 : 5;
		raw = (ctl & 0x20) != 0;
		{
			int64_t		dc = delta(in, wild && (ctl & 0x40), 16, !(ctl & 0x80));

			if (!raw && col + dc < 0)
				dc = -dc;		/* stay valid: columns only go back within the line */
			put_vlq(&map, dc);
			col += dc;
		}
		model[nmodel].gen_line = (uint32_t) (line_off + line);
		model[nmodel].gen_col = (uint32_t) (col + (line == 0 ? (int64_t) col_off : 0));
		if (col < 0 || col > (int64_t) SM_MAX_COORD ||
			(line == 0 && (uint64_t) col + col_off > SM_MAX_COORD))
			valid = false;
		model[nmodel].source = model[nmodel].name = SM_NONE;
		model[nmodel].orig_line = model[nmodel].orig_col = 0;
		if (nf >= 4)
		{
			int64_t		ds = delta(in, false, 3, false),
						dl = delta(in, wild && (ctl & 0x40), 5, true),
						dk = delta(in, wild && (ctl & 0x40), 9, true);

			if (!raw)
			{
				/* stay valid: a source in range, original positions not below 0 */
				ds = (int64_t) ((uint8_t) ds % nsrc) - src;
				if (oline + dl < 0)
					dl = -dl;
				if (ocol + dk < 0)
					dk = -dk;
			}

			put_vlq(&map, ds);
			put_vlq(&map, dl);
			put_vlq(&map, dk);
			src += ds;
			oline += dl;
			ocol += dk;
			if (src < 0 || src >= (int64_t) nsrc || oline < 0 || oline > (int64_t) SM_MAX_COORD ||
				ocol < 0 || ocol > (int64_t) SM_MAX_COORD)
				valid = false;
			model[nmodel].source = (uint32_t) src;
			model[nmodel].orig_line = (uint32_t) oline;
			model[nmodel].orig_col = (uint32_t) ocol;
			if (nf == 5)
			{
				int64_t		dn = delta(in, false, 3, false);

				if (!raw && nnames > 0)
					dn = (int64_t) ((uint8_t) dn % nnames) - name;

				put_vlq(&map, dn);
				name += dn;
				if (name < 0 || name >= (int64_t) nnames)
					valid = false;
				model[nmodel].name = (uint32_t) name;
			}
		}
		nmodel++;
	}
	/* sometimes trailing empty lines */
	if (!use_prng && (flags & 0x20))
	{
		int			k = 1 + rd8(&r) % 3;

		for (int j = 0; j < k; j++)
			puts_(&map, ";");
		line += (uint64_t) k;
	}
	puts_(&map, "\"");
	if (line_off + line >= SM_MAX_LINES)	/* the named limit on generated lines */
		valid = false;

	/* the document */
	if (wrap)
	{
		snprintf(num, sizeof(num), "%llu", (unsigned long long) line_off);
		puts_(&json, "{\"version\":3,\"sections\":[{\"offset\":{\"line\":");
		puts_(&json, num);
		snprintf(num, sizeof(num), "%llu", (unsigned long long) col_off);
		puts_(&json, ",\"column\":");
		puts_(&json, num);
		puts_(&json, "},\"map\":");
	}
	puts_(&json, "{\"version\":3,");
	if (root)
		puts_(&json, "\"sourceRoot\":\"r/\",");
	puts_(&json, "\"sources\":[");
	for (uint32_t i = 0; i < nsrc; i++)
	{
		snprintf(num, sizeof(num), "%s\"s%u.js\"", i ? "," : "", i);
		puts_(&json, num);
	}
	puts_(&json, "],\"names\":[");
	for (uint32_t i = 0; i < nnames; i++)
	{
		snprintf(num, sizeof(num), "%s\"n%u\"", i ? "," : "", i);
		puts_(&json, num);
	}
	puts_(&json, "],\"mappings\":");
	put(&json, map.p, map.n);
	puts_(&json, "}");
	if (wrap)
		puts_(&json, "}]}");

	fz_env_init(&e, 0);
	memset(&err, 0, sizeof(err));
	ok = sm_build(json.p, json.n, &e.env, 0, &out, &out_len, &err);
	if (ok != valid)
	{
		fz_show("JSON", json.p, json.n);
		fz_fail("sm_build %s a map the model considers %s (%s)", ok ? "accepted" : "rejected",
				valid ? "valid" : "invalid", ok ? "no error" : err.msg);
	}
	if (ok)
	{
		SmMap	   *m = sm_open_buffer(&e.env, out, out_len, &err);
		SmInfo		info;
		SmIter	   *it;
		SmMapping	mp;
		size_t		k = 0;
		int			rc;

		FZ_CHECK(m != NULL, "cannot open a built value: %s", err.msg);
		FZ_CHECK(sm_info(m, &info, &err), "sm_info: %s", err.msg);
		FZ_CHECK(info.segments == nmodel, "sm_info: %llu segments, the model has %zu",
				 (unsigned long long) info.segments, nmodel);
		FZ_CHECK(info.generated_lines == line_off + line + 1,
				 "sm_info: %u generated lines, expected %llu", info.generated_lines,
				 (unsigned long long) (line_off + line + 1));
		FZ_CHECK(info.sources == nsrc && info.names == nnames, "sm_info: %u sources, %u names",
				 info.sources, info.names);
		sort_segments(model, nmodel);
		it = sm_iter_begin(m, &err);
		FZ_CHECK(it != NULL, "sm_iter_begin: %s", err.msg);
		while ((rc = sm_iter_next(it, &mp, &err)) == 1)
		{
			FZ_CHECK(k < nmodel, "iteration gives more than the model's %zu segments", nmodel);
			if (memcmp(&mp, &model[k], sizeof(mp)) != 0)
				fz_fail("segment %zu: iteration gives %u:%u src %u %u:%u name %u, the model "
						"%u:%u src %u %u:%u name %u", k, mp.gen_line, mp.gen_col, mp.source,
						mp.orig_line, mp.orig_col, mp.name, model[k].gen_line, model[k].gen_col,
						model[k].source, model[k].orig_line, model[k].orig_col, model[k].name);
			k++;
		}
		FZ_CHECK(rc == 0, "sm_iter_next: %s", err.msg);
		FZ_CHECK(k == nmodel, "iteration gives %zu segments, the model %zu", k, nmodel);
		sm_iter_end(it);

		/* lookups chosen by the rest of the input */
		for (int qn = 0; qn < 64 && (r.i < r.n || qn < 4); qn++)
		{
			uint8_t		a = rd8(&r),
						b = rd8(&r);
			uint32_t	ql,
						qc;

			if (nmodel > 0 && (a & 1))
			{
				const SmMapping *s = &model[((size_t) b << 3 | (a >> 5)) % nmodel];

				ql = s->gen_line;
				qc = s->gen_col + (uint32_t) ((a >> 1) % 5) - 2;
			}
			else
			{
				ql = (uint32_t) (line_off + b % (line + 2));
				qc = (a & 2) ? (uint32_t) (col_off + (a >> 2)) : (uint32_t) (a >> 2);
			}
			if (a & 0x80)
				sm_set_block_cache(m, (a & 0x40) ? (size_t) 1 << 20 : 0);
			for (int bias = SM_BIAS_GLB; bias <= SM_BIAS_GLB_CROSS_LINE; bias++)
			{
				int			want = fz_ref_lookup(model, nmodel, ql, qc, (SmBias) bias);

				memset(&mp, 0, sizeof(mp));
				rc = sm_lookup(m, ql, qc, (SmBias) bias, &mp, &err);
				FZ_CHECK(rc >= 0, "sm_lookup(%u, %u): %s", ql, qc, err.msg);
				if (want < 0)
					FZ_CHECK(rc == 0, "sm_lookup(%u, %u, bias %d) found %u:%u, the model nothing",
							 ql, qc, bias, mp.gen_line, mp.gen_col);
				else
					FZ_CHECK(rc == 1 && memcmp(&mp, &model[want], sizeof(mp)) == 0,
							 "sm_lookup(%u, %u, bias %d) gave %s%u:%u src %u name %u, the model "
							 "segment %d: %u:%u src %u name %u", ql, qc, bias,
							 rc ? "" : "nothing, not ", mp.gen_line, mp.gen_col, mp.source,
							 mp.name, want, model[want].gen_line, model[want].gen_col,
							 model[want].source, model[want].name);
			}
		}
		fz_exercise(&e, m, true, data, size, out, out_len);
		sm_close(m);
		sm_free(&e.env, out);
	}
	else
		FZ_CHECK(err.code == SM_E_SYNTAX || err.code == SM_E_LIMIT,
				 "sm_build failed with error class %d: %s", (int) err.code, err.msg);
	fz_env_check_clean(&e, "fuzz_lookup");
	free(model);
	free(map.p);
	free(json.p);
	return 0;
}
