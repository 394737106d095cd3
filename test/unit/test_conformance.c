/*
 * test_conformance.c -- the public source map conformance suites, run
 * against the core without a server.
 *
 * The suites are vendored under test/conformance (see VENDORED.md and each
 * SOURCE.md there); the loop that runs them and the meaning of every
 * action are specified in ../shared/conformance/README.md, which this
 * follows point by point:
 *
 *   - tc39, mozilla-source-map, trace-mapping, rust-sourcemap manifests:
 *     parse (sm_build + sm_open_buffer), then checkMapping (sm_lookup,
 *     sm_source_resolved, sm_name), checkMappingTransitive (chained
 *     lookups through the intermediate maps) and checkIgnoreList
 *     (sm_source_ignored).  Our semantics: GLB on the same line by
 *     default, SM_BIAS_LUB for bias LEAST_UPPER_BOUND, SM_BIAS_GLB for
 *     "semantics": "sameLine" and SM_BIAS_GLB_CROSS_LINE for "crossLine";
 *     the extension has all of them, so no action is skipped.
 *   - sourcemap-codec samples: the decoded segments, read back with
 *     sm_iter from a map built around each sample's "mappings".
 *   - tc39 decoding/debug-id goldens: debugId (and file, counts) by sm_info.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef struct SuiteCounts
{
	int			parse_run;
	int			parse_ok;
	int			actions_run;
	int			actions_ok;
	int			skipped;
} SuiteCounts;

static TuCounts total;

/* ---- comparing positions ------------------------------------------------ */

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Optional string member: NULL for JSON null or absent. */
static const char *
opt_str(const TuJson *a, const char *key)
{
	return tu_json_str(a, key, NULL);
}

/* Optional integer member: -1 for JSON null or absent. */
static int64_t
opt_int(const TuJson *a, const char *key)
{
	return tu_json_int(a, key, -1);
}

static const char *
show_str(const char *s)
{
	return tu_show(s, s ? strlen(s) : 0, s == NULL);
}

static void
fmt_pos(char *buf, size_t size, bool mapped, const char *src, int64_t line, int64_t col,
		const char *name, bool with_name)
{
	if (!mapped)
		snprintf(buf, size, "(null, null, null%s)", with_name ? ", null" : "");
	else if (with_name)
		snprintf(buf, size, "(%s, %lld, %lld, %s)", show_str(src), (long long) line,
				 (long long) col, show_str(name));
	else
		snprintf(buf, size, "(%s, %lld, %lld)", show_str(src), (long long) line,
				 (long long) col);
}

static const char *
bias_name(SmBias b)
{
	switch (b)
	{
		case SM_BIAS_GLB:
			return "glb";
		case SM_BIAS_LUB:
			return "lub";
		case SM_BIAS_EXACT:
			return "exact";
		case SM_BIAS_GLB_CROSS_LINE:
			return "glb_cross_line";
	}
	return "?";
}

/* ---- manifest actions ----------------------------------------------------- */

/*
 * Choose the bias for a checkMapping action; false (and *why set) when the
 * action asks for something we do not know.
 */
static bool
action_bias(const TuJson *a, SmBias *bias, const char **why)
{
	const char *b = opt_str(a, "bias");
	const char *sem = opt_str(a, "semantics");

	*bias = SM_BIAS_GLB;
	if (b != NULL)
	{
		if (strcmp(b, "LEAST_UPPER_BOUND") == 0)
			*bias = SM_BIAS_LUB;
		else if (strcmp(b, "GREATEST_LOWER_BOUND") != 0)
		{
			*why = "unknown bias";
			return false;
		}
	}
	if (sem != NULL)
	{
		if (*bias != SM_BIAS_GLB)
		{
			*why = "semantics with a non-GLB bias";
			return false;
		}
		if (strcmp(sem, "crossLine") == 0)
			*bias = SM_BIAS_GLB_CROSS_LINE;
		else if (strcmp(sem, "sameLine") != 0)
		{
			*why = "unknown semantics";
			return false;
		}
	}
	return true;
}

static bool
check_mapping(const char *label, SmMap *map, const TuJson *a)
{
	SmBias		bias;
	const char *why = NULL;
	int64_t		gl = opt_int(a, "generatedLine");
	int64_t		gc = opt_int(a, "generatedColumn");
	const char *want_src = opt_str(a, "originalSource");
	int64_t		want_line = opt_int(a, "originalLine");
	int64_t		want_col = opt_int(a, "originalColumn");
	const char *want_name = opt_str(a, "mappedName");
	bool		want_mapped = !tu_json_is_null(a, "originalLine");
	TuPos		pos;
	SmError		err = {0};
	bool		ok;
	char		got[512];
	char		want[512];

	if (!action_bias(a, &bias, &why))
		return tu_check(&total, false, "%s: %s", label, why);
	if (gl < 0 || gc < 0)
		return tu_check(&total, false, "%s: malformed action", label);
	if (!tu_lookup(map, (uint32_t) gl, (uint32_t) gc, bias, &pos, &err))
		return tu_check(&total, false, "%s: lookup (%lld, %lld, %s) failed: %s", label,
						(long long) gl, (long long) gc, bias_name(bias), err.msg);
	ok = pos.mapped == want_mapped;
	if (ok && want_mapped)
		ok = str_eq(pos.source, want_src) && pos.line == want_line && pos.col == want_col &&
			str_eq(pos.name, want_name);
	fmt_pos(got, sizeof(got), pos.mapped, pos.source, pos.line, pos.col, pos.name, true);
	fmt_pos(want, sizeof(want), want_mapped, want_src, want_line, want_col, want_name, true);
	tu_pos_free(&pos);
	return tu_check(&total, ok, "%s: lookup (%lld, %lld, %s): got %s, expected %s", label,
					(long long) gl, (long long) gc, bias_name(bias), got, want);
}

static bool
check_transitive(const char *label, const TuManifest *man, SmMap *map, const TuJson *a)
{
	const TuJson *inter = tu_json_get(a, "intermediateMaps");
	int64_t		gl = opt_int(a, "generatedLine");
	int64_t		gc = opt_int(a, "generatedColumn");
	const char *want_src = opt_str(a, "originalSource");
	int64_t		want_line = opt_int(a, "originalLine");
	int64_t		want_col = opt_int(a, "originalColumn");
	TuPos		pos;
	SmError		err = {0};
	size_t		i;
	bool		ok;
	char		got[512];
	char		want[512];

	if (inter == NULL || inter->type != TJ_ARR || gl < 0 || gc < 0)
		return tu_check(&total, false, "%s: malformed action", label);
	if (!tu_lookup(map, (uint32_t) gl, (uint32_t) gc, SM_BIAS_GLB, &pos, &err))
		return tu_check(&total, false, "%s: lookup failed: %s", label, err.msg);
	for (i = 0; i < inter->n; i++)
	{
		const TuJson *f = &inter->items[i];
		char	   *path;
		TuMap		next;
		uint32_t	line = (uint32_t) pos.line;
		uint32_t	col = (uint32_t) pos.col;
		bool		built;

		if (!pos.mapped)
		{
			tu_pos_free(&pos);
			return tu_check(&total, false, "%s: (%lld, %lld) maps to nothing before map %zu",
							label, (long long) gl, (long long) gc, i);
		}
		if (f->type != TJ_STR)
		{
			tu_pos_free(&pos);
			return tu_check(&total, false, "%s: malformed intermediateMaps", label);
		}
		path = tu_manifest_map_path(man, f->str);
		built = tu_map_build_file(path, &next, &err);
		free(path);
		tu_pos_free(&pos);
		if (!built)
			return tu_check(&total, false, "%s: intermediate map %s rejected: %s", label,
							f->str, err.msg);
		ok = tu_lookup(next.map, line, col, SM_BIAS_GLB, &pos, &err);
		tu_map_free(&next);
		if (!ok)
			return tu_check(&total, false, "%s: lookup in %s failed: %s", label, f->str,
							err.msg);
	}
	/* names are not compared (README) */
	ok = pos.mapped && str_eq(pos.source, want_src) && pos.line == want_line &&
		pos.col == want_col;
	fmt_pos(got, sizeof(got), pos.mapped, pos.source, pos.line, pos.col, NULL, false);
	fmt_pos(want, sizeof(want), true, want_src, want_line, want_col, NULL, false);
	tu_pos_free(&pos);
	return tu_check(&total, ok, "%s: transitive (%lld, %lld): got %s, expected %s", label,
					(long long) gl, (long long) gc, got, want);
}

/*
 * The README's loop asks for present ⊆ ignore_list(map) and notes that
 * equality holds in every current case; we check equality (both ways).
 */
static bool
check_ignore_list(const char *label, SmMap *map, const TuJson *a)
{
	const TuJson *present = tu_json_get(a, "present");
	SmInfo		info;
	SmError		err = {0};
	uint32_t	i;
	size_t		j;
	bool		ok = true;
	char		got[1024] = "";
	size_t		glen = 0;

	if (present == NULL || present->type != TJ_ARR)
		return tu_check(&total, false, "%s: malformed action", label);
	if (!sm_info(map, &info, &err))
		return tu_check(&total, false, "%s: sm_info failed: %s", label, err.msg);
	/* every ignored source must be listed ... */
	for (i = 0; i < info.sources; i++)
	{
		bool		rok;
		char	   *s;
		bool		listed = false;

		if (!sm_source_ignored(map, i))
			continue;
		s = tu_resolved_source(map, i, &rok, &err);
		if (!rok)
			return tu_check(&total, false, "%s: source %u: %s", label, i, err.msg);
		for (j = 0; j < present->n; j++)
			if (present->items[j].type == TJ_STR && str_eq(s, present->items[j].str))
				listed = true;
		if (!listed)
			ok = false;
		glen += (size_t) snprintf(got + glen, glen < sizeof(got) ? sizeof(got) - glen : 0,
								  "%s%s", glen ? ", " : "", show_str(s));
		if (glen >= sizeof(got))
			glen = sizeof(got) - 1;
		free(s);
	}
	/* ... and every listed source must be ignored */
	for (j = 0; j < present->n; j++)
	{
		const TuJson *p = &present->items[j];
		bool		found = false;

		for (i = 0; i < info.sources && !found && p->type == TJ_STR; i++)
		{
			bool		rok;
			char	   *s = tu_resolved_source(map, i, &rok, &err);

			if (rok && str_eq(s, p->str) && sm_source_ignored(map, i))
				found = true;
			free(s);
		}
		if (!found)
			ok = false;
	}
	return tu_check(&total, ok, "%s: ignored sources [%s], expected exactly the %zu listed",
					label, got, present->n);
}

static void
run_manifest(const TuSuite *suite, SuiteCounts *sc)
{
	TuManifest *man = tu_manifest_load(suite->suite, suite->manifest);
	size_t		t;

	memset(sc, 0, sizeof(*sc));
	if (!tu_check(&total, man != NULL, "%s: manifest %s unreadable", suite->suite,
				  suite->manifest))
		return;
	for (t = 0; t < man->tests->n; t++)
	{
		const TuJson *test = &man->tests->items[t];
		const char *name = tu_json_str(test, "name", "?");
		const char *file = tu_json_str(test, "sourceMapFile", NULL);
		const TuJson *valid = tu_json_get(test, "sourceMapIsValid");
		const TuJson *actions = tu_json_get(test, "testActions");
		char		label[512];
		char	   *path;
		TuMap		map;
		SmError		err = {0};
		bool		built;
		size_t		i;

		snprintf(label, sizeof(label), "%s %s", suite->suite, name);
		sc->parse_run++;
		if (file == NULL || valid == NULL || valid->type != TJ_BOOL)
		{
			tu_check(&total, false, "%s: malformed test", label);
			continue;
		}
		path = tu_manifest_map_path(man, file);
		built = tu_map_build_file(path, &map, &err);
		free(path);
		if (!valid->b)
		{
			/* every rejection is a syntax error (22P02) naming what is wrong */
			if (tu_check(&total, !built && err.code == SM_E_SYNTAX && err.msg[0] != '\0',
						 "%s: invalid map %s %s", label, file,
						 built ? "was accepted, expected rejection" :
						 "rejected with an error class other than SM_E_SYNTAX"))
				sc->parse_ok++;
			if (built)
				tu_map_free(&map);
			continue;
		}
		if (!tu_check(&total, built, "%s: valid map %s rejected: %s", label, file, err.msg))
		{
			if (actions && actions->type == TJ_ARR)
				sc->actions_run += (int) actions->n;
			continue;
		}
		sc->parse_ok++;
		for (i = 0; actions && actions->type == TJ_ARR && i < actions->n; i++)
		{
			const TuJson *a = &actions->items[i];
			const char *type = tu_json_str(a, "actionType", "");
			char		alabel[600];
			bool		ok;

			/*
			 * "optional" marks the x_google_ignoreList action; the extension
			 * supports that name, so optional actions are run too.
			 */
			snprintf(alabel, sizeof(alabel), "%s action %zu", label, i);
			sc->actions_run++;
			if (strcmp(type, "checkMapping") == 0)
				ok = check_mapping(alabel, map.map, a);
			else if (strcmp(type, "checkMappingTransitive") == 0)
				ok = check_transitive(alabel, man, map.map, a);
			else if (strcmp(type, "checkIgnoreList") == 0)
				ok = check_ignore_list(alabel, map.map, a);
			else
				ok = tu_check(&total, false, "%s: unknown actionType %s", alabel, type);
			if (ok)
				sc->actions_ok++;
		}
		tu_map_free(&map);
	}
	tu_manifest_free(man);
}

/* ---- sourcemap-codec samples ------------------------------------------------ */

typedef struct Seg
{
	int64_t		f[5];
	int			nf;
	size_t		order;			/* position in the encoded line, for a stable sort */
} Seg;

static int
cmp_seg(const void *a, const void *b)
{
	const Seg  *x = a;
	const Seg  *y = b;

	if (x->f[0] != y->f[0])
		return x->f[0] < y->f[0] ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t		n = strlen(s);

	if (*len + n + 1 > *cap)
	{
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		if (*buf == NULL)
			exit(2);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* samples with a value above 2^31-1, checked for rejection */
static int	codec_rejected;

/* Check one sample; returns false on any failure. */
static bool
codec_sample(size_t k, const TuJson *sample)
{
	const char *enc = tu_json_str(sample, "encoded", NULL);
	const TuJson *dec = tu_json_get(sample, "decoded");
	int64_t		max_src = -1;
	int64_t		max_name = -1;
	bool		too_big = false;
	size_t		nseg = 0;
	char	   *json = NULL;
	size_t		jlen = 0;
	size_t		jcap = 0;
	char		tmp[64];
	size_t		l;
	size_t		s;
	int64_t		i;
	TuMap		map;
	SmError		err = {0};
	bool		built;
	bool		ok = true;

	if (!tu_check(&total, enc && dec && dec->type == TJ_ARR, "codec sample %zu malformed", k))
		return false;
	for (l = 0; l < dec->n; l++)
		for (s = 0; s < dec->items[l].n; s++)
		{
			const TuJson *seg = &dec->items[l].items[s];
			size_t		f;

			nseg++;
			for (f = 0; f < seg->n; f++)
				if (seg->items[f].num > 2147483647LL)
					too_big = true;
			if (seg->n >= 4 && seg->items[1].num > max_src)
				max_src = seg->items[1].num;
			if (seg->n == 5 && seg->items[4].num > max_name)
				max_name = seg->items[4].num;
		}
	/* made-up sources and names, enough for every index in the sample */
	append(&json, &jlen, &jcap, "{\"version\":3,\"sources\":[");
	for (i = 0; i <= max_src && i <= 1000; i++)
	{
		snprintf(tmp, sizeof(tmp), "%s\"s%lld\"", i ? "," : "", (long long) i);
		append(&json, &jlen, &jcap, tmp);
	}
	append(&json, &jlen, &jcap, "],\"names\":[");
	for (i = 0; i <= max_name && i <= 1000; i++)
	{
		snprintf(tmp, sizeof(tmp), "%s\"n%lld\"", i ? "," : "", (long long) i);
		append(&json, &jlen, &jcap, tmp);
	}
	append(&json, &jlen, &jcap, "],\"mappings\":\"");
	append(&json, &jlen, &jcap, enc);
	append(&json, &jlen, &jcap, "\"}");
	built = tu_map_build(json, jlen, &map, &err);
	free(json);

	if (too_big)
	{
		/*
		 * An absolute value above 2^31-1 (sample 8: original column
		 * 2147483649) cannot be an int4 column in SQL; the extension
		 * rejects such a map instead of decoding it with 64-bit state.
		 */
		codec_rejected++;
		ok = tu_check(&total, !built && err.code == SM_E_SYNTAX,
					  "codec sample %zu %s: absolute value above 2147483647 %s", k,
					  show_str(enc), built ? "accepted, expected rejection" :
					  "rejected with an error class other than SM_E_SYNTAX");
		if (built)
			tu_map_free(&map);
		return ok;
	}
	if (!tu_check(&total, built, "codec sample %zu %s rejected: %s", k, show_str(enc), err.msg))
		return false;
	{
		SmIter	   *it = sm_iter_begin(map.map, &err);
		SmInfo		info;

		if (!tu_check(&total, it != NULL, "codec sample %zu: sm_iter_begin: %s", k, err.msg))
		{
			tu_map_free(&map);
			return false;
		}
		for (l = 0; l < dec->n && ok; l++)
		{
			const TuJson *line = &dec->items[l];
			Seg		   *want = calloc(line->n + 1, sizeof(Seg));

			if (want == NULL)
				exit(2);
			for (s = 0; s < line->n; s++)
			{
				size_t		f;

				want[s].nf = (int) line->items[s].n;
				want[s].order = s;
				for (f = 0; f < line->items[s].n && f < 5; f++)
					want[s].f[f] = line->items[s].items[f].num;
			}
			/* ECMA-426 DecodeSourceMap: sorted by column, stable */
			qsort(want, line->n, sizeof(Seg), cmp_seg);
			for (s = 0; s < line->n && ok; s++)
			{
				SmMapping	m;
				int			r = sm_iter_next(it, &m, &err);
				const Seg  *w = &want[s];
				bool		same;

				if (!tu_check(&total, r == 1,
							  "codec sample %zu %s: line %zu segment %zu: iterator %s",
							  k, show_str(enc), l, s, r == 0 ? "ended early" : err.msg))
				{
					ok = false;
					break;
				}
				same = m.gen_line == l && m.gen_col == w->f[0];
				if (w->nf == 1)
					same = same && m.source == SM_NONE;
				else
					same = same && m.source == w->f[1] && m.orig_line == w->f[2] &&
						m.orig_col == w->f[3] &&
						m.name == (w->nf == 5 ? (uint32_t) w->f[4] : SM_NONE);
				ok = tu_check(&total, same,
							  "codec sample %zu %s: segment %zu of line %zu: got (%u:%u src %d "
							  "line %u col %u name %d), expected [%lld%s%lld, %lld, %lld%s%lld] "
							  "on line %zu",
							  k, show_str(enc), s, l, m.gen_line, m.gen_col,
							  m.source == SM_NONE ? -1 : (int) m.source, m.orig_line, m.orig_col,
							  m.name == SM_NONE ? -1 : (int) m.name,
							  (long long) w->f[0], w->nf > 1 ? ", " : " (1 field) ",
							  (long long) w->f[1], (long long) w->f[2], (long long) w->f[3],
							  w->nf == 5 ? ", name " : " no name ", (long long) w->f[4], l);
			}
			free(want);
		}
		if (ok)
		{
			SmMapping	m;
			int			r = sm_iter_next(it, &m, &err);

			ok = tu_check(&total, r == 0, "codec sample %zu %s: iterator gives more than the "
						  "%zu segments expected", k, show_str(enc), nseg);
		}
		sm_iter_end(it);
		if (ok && tu_check(&total, sm_info(map.map, &info, &err), "codec sample %zu: sm_info: %s",
						   k, err.msg))
			ok = tu_check(&total, info.segments == nseg,
						  "codec sample %zu: sm_info segments %llu, expected %zu", k,
						  (unsigned long long) info.segments, nseg);
	}
	tu_map_free(&map);
	return ok;
}

static void
run_codec(int *run, int *passed)
{
	char	   *path = tu_path(tu_test_dir(), "conformance/sourcemap-codec/codec-samples.json");
	size_t		len;
	char	   *text = tu_read_file(path, &len);
	SmError		err = {0};
	TuJson	   *root = text ? tu_json_load(text, len, &err) : NULL;
	const TuJson *samples = tu_json_get(root, "samples");
	size_t		k;

	*run = *passed = 0;
	if (tu_check(&total, samples && samples->type == TJ_ARR, "cannot read %s: %s", path,
				 text ? err.msg : "missing"))
		for (k = 0; k < samples->n; k++)
		{
			(*run)++;
			if (codec_sample(k, &samples->items[k]))
				(*passed)++;
		}
	tu_json_free(root);
	free(text);
	free(path);
}

/* ---- tc39 decoding/debug-id goldens ----------------------------------------- */

/*
 * Does the text have a ',' followed (after whitespace) by '}' or ']'
 * outside strings?  Such a trailing comma is not JSON (RFC 8259).  This is
 * decided here lexically, not with the core's parser, which is under test.
 */
static bool
has_trailing_comma(const char *s, size_t len, bool strip, char *out)
{
	bool		in_str = false;
	bool		found = false;
	size_t		i;
	size_t		o = 0;

	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (in_str)
		{
			if (c == '\\' && i + 1 < len)
			{
				if (strip)
					out[o++] = c;
				c = s[++i];
			}
			else if (c == '"')
				in_str = false;
		}
		else if (c == '"')
			in_str = true;
		else if (c == ',')
		{
			size_t		j = i + 1;

			while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
				j++;
			if (j < len && (s[j] == '}' || s[j] == ']'))
			{
				found = true;
				continue;		/* dropped from the stripped copy */
			}
		}
		if (strip)
			out[o++] = c;
	}
	if (strip)
		out[o] = '\0';
	return found;
}

/* Read a file, with trailing commas removed when strip is set. */
static char *
read_json_file(const char *path, size_t *len, bool strip, bool *had_commas)
{
	char	   *text = tu_read_file(path, len);
	char	   *out;

	if (text == NULL)
		return NULL;
	*had_commas = has_trailing_comma(text, *len, false, NULL);
	if (!strip)
		return text;
	out = malloc(*len + 1);
	if (out == NULL)
		exit(2);
	has_trailing_comma(text, *len, true, out);
	*len = strlen(out);
	free(text);
	return out;
}

static void
format_uuid(const uint8_t *b, char *out)
{
	int			i;
	size_t		o = 0;

	for (i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		snprintf(out + o, 3, "%02x", b[i]);
		o += 2;
	}
	out[o] = '\0';
}

/* Compare a built map to a Decoded Source Map Record golden (fields we can see). */
static bool
check_golden_record(const char *label, const char *map_path, const char *golden_path,
					bool strip)
{
	size_t		mlen,
				glen;
	bool		mc,
				gc;
	char	   *mtext = read_json_file(map_path, &mlen, strip, &mc);
	char	   *gtext = read_json_file(golden_path, &glen, strip, &gc);
	SmError		err = {0};
	TuJson	   *golden = gtext ? tu_json_load(gtext, glen, &err) : NULL;
	TuMap		map;
	SmInfo		info;
	bool		ok;

	ok = tu_check(&total, mtext && golden, "%s: cannot read %s or its golden: %s", label,
				  map_path, err.msg);
	if (ok)
		ok = tu_check(&total, tu_map_build(mtext, mlen, &map, &err), "%s: rejected: %s",
					  label, err.msg);
	if (ok)
	{
		const char *want_id = tu_json_str(golden, "debugId", NULL);
		const char *want_file = tu_json_str(golden, "file", NULL);
		const TuJson *srcs = tu_json_get(golden, "sources");
		const TuJson *maps = tu_json_get(golden, "mappings");
		char		got_id[40] = "";
		char		want_lc[40] = "";
		size_t		i;

		ok = tu_check(&total, sm_info(map.map, &info, &err), "%s: sm_info: %s", label, err.msg);
		if (ok)
		{
			if (info.has_debug_id)
				format_uuid(info.debug_id, got_id);
			for (i = 0; want_id && want_id[i] && i < sizeof(want_lc) - 1; i++)
				want_lc[i] = (char) tolower((unsigned char) want_id[i]);
			want_lc[i] = '\0';
			ok &= tu_check(&total, info.has_debug_id == (want_id != NULL) &&
						   strcmp(got_id, want_lc) == 0,
						   "%s: debugId %s, expected %s", label,
						   info.has_debug_id ? got_id : "none", want_id ? want_lc : "none");
			ok &= tu_check(&total, info.file.isnull ? want_file == NULL :
						   (want_file && strlen(want_file) == info.file.len &&
							memcmp(want_file, info.file.ptr, info.file.len) == 0),
						   "%s: file %s, expected %s", label,
						   tu_show(info.file.ptr, info.file.len, info.file.isnull),
						   show_str(want_file));
			ok &= tu_check(&total, srcs && srcs->type == TJ_ARR && info.sources == srcs->n,
						   "%s: %u sources, expected %zu", label, info.sources,
						   srcs ? srcs->n : 0);
			ok &= tu_check(&total, maps && maps->type == TJ_ARR && info.segments == maps->n,
						   "%s: %llu segments, expected %zu", label,
						   (unsigned long long) info.segments, maps ? maps->n : 0);
		}
		tu_map_free(&map);
	}
	tu_json_free(golden);
	free(mtext);
	free(gtext);
	return ok;
}

static void
run_debug_id(int *run, int *passed)
{
	char	   *dir = tu_path(tu_test_dir(), "conformance/tc39/decoding/debug-id");
	char	  **maps = tu_list_dir(dir, ".map");
	char	  **p;

	*run = *passed = 0;
	if (!tu_check(&total, maps && maps[0], "no debug-id maps in %s", dir))
	{
		tu_free_list(maps);
		free(dir);
		return;
	}
	for (p = maps; *p; p++)
	{
		char	   *map_path = tu_path(dir, *p);
		char		buf[512];
		char	   *golden_path;
		char	   *err_path;
		char	   *err_path2;
		size_t		len;
		bool		commas;
		char	   *text = read_json_file(map_path, &len, false, &commas);
		bool		marker;
		char		label[300];

		snprintf(buf, sizeof(buf), "%s.golden", *p);
		golden_path = tu_path(dir, buf);
		snprintf(buf, sizeof(buf), "%s.error", *p);
		err_path = tu_path(dir, buf);
		/* upstream names the marker X.error, its README says X.map.error: accept both */
		snprintf(buf, sizeof(buf), "%.*s.error", (int) strlen(*p) - 4, *p);
		err_path2 = tu_path(dir, buf);
		marker = tu_is_file(err_path) || tu_is_file(err_path2);
		snprintf(label, sizeof(label), "tc39 decoding/debug-id/%s", *p);

		(*run)++;
		if (text == NULL)
			tu_check(&total, false, "%s: unreadable", label);
		else if (commas || marker)
		{
			/*
			 * Rejected: a map with trailing commas is not JSON (RFC 8259) and
			 * our parser is strict, although upstream means these as valid
			 * (SOURCE.md, "Known quirks").  A map with an .error marker is one
			 * where ECMA-426 would "optionally report an error" (here a
			 * debugId that is not a UUID); a strict consumer reports it.
			 */
			TuMap		map;
			SmError		err = {0};
			bool		built = tu_map_build(text, len, &map, &err);

			if (tu_check(&total, !built && err.code == SM_E_SYNTAX,
						 "%s: %s: %s", label,
						 commas ? "not strict JSON (trailing comma)" : "has an .error marker",
						 built ? "accepted, expected rejection" :
						 "rejected with an error class other than SM_E_SYNTAX"))
				(*passed)++;
			if (built)
				tu_map_free(&map);
			if (commas && !marker)
			{
				/* the same map made strict JSON must give the golden record */
				char		l2[340];

				snprintf(l2, sizeof(l2), "%s (trailing commas removed)", label);
				(*run)++;
				if (check_golden_record(l2, map_path, golden_path, true))
					(*passed)++;
			}
		}
		else if (check_golden_record(label, map_path, golden_path, false))
			(*passed)++;
		free(text);
		free(map_path);
		free(golden_path);
		free(err_path);
		free(err_path2);
	}
	tu_free_list(maps);
	free(dir);
}

int
main(void)
{
	int			i;
	int			run,
				passed;

	for (i = 0; i < tu_nsuites; i++)
	{
		SuiteCounts sc;

		run_manifest(&tu_suites[i], &sc);
		printf("%s: parse %d/%d, actions %d/%d\n", tu_suites[i].suite, sc.parse_ok,
			   sc.parse_run, sc.actions_ok, sc.actions_run);
		if (strcmp(tu_suites[i].suite, "tc39") == 0)
		{
			/*
			 * The README's totals for tc39 (99 cases; 77 + 16 + 1 actions):
			 * make sure the harness ran every one of them.
			 */
			tu_check(&total, sc.parse_run == 99 && sc.actions_run == 94,
					 "tc39: ran %d parse checks and %d actions, expected 99 and 94",
					 sc.parse_run, sc.actions_run);
		}
	}
	run_codec(&run, &passed);
	printf("sourcemap-codec: samples %d/%d (%d of them must be rejected: an absolute value "
		   "above 2147483647)\n", passed, run, codec_rejected);
	run_debug_id(&run, &passed);
	printf("tc39 debug-id: %d/%d\n", passed, run);
	return tu_finish("conformance", &total);
}
