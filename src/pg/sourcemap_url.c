/*
 * sourcemap_url.c -- URLs for finding maps and naming sources:
 * sourcemap_url_candidates(url) (the keys under which a frame's map may be
 * stored), sourcemap_resolve_url(base, relative) (the WHATWG resolution
 * ECMA-426 uses for sources) and sourcemap_strip_prefix(source) (a source
 * path without webpack:// or turbopack://).  The URL logic is the core's
 * (sm_url.h).
 */
#include "sm_pg.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_url_candidates);
PG_FUNCTION_INFO_V1(sourcemap_resolve_url);
PG_FUNCTION_INFO_V1(sourcemap_strip_prefix);

/* The UTF-8 bytes of a text argument. */
static const char *
arg_utf8(FunctionCallInfo fcinfo, int n, size_t *len)
{
	text	   *t = PG_GETARG_TEXT_PP(n);

	return sm_pg_to_utf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), len);
}

/* sourcemap_url_candidates(url) -> (ord, candidate) rows, most specific first. */
Datum
sourcemap_url_candidates(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		len;
	const char *url = arg_utf8(fcinfo, 0, &len);
	SmUrlCandidate cands[SM_URL_MAX_CANDIDATES];
	int			n = sm_url_candidates(url, len, cands);

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		char	   *key = palloc(cands[i].len + 2);
		size_t		klen = 0;

		if (cands[i].tilde)
			key[klen++] = '~';
		memcpy(key + klen, cands[i].ptr, cands[i].len);
		klen += cands[i].len;
		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(sm_pg_text(key, klen));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(key);
	}
	return (Datum) 0;
}

/* sourcemap_resolve_url(base, relative) -> text, NULL when the URL parser fails. */
Datum
sourcemap_resolve_url(PG_FUNCTION_ARGS)
{
	size_t		base_len,
				rel_len,
				out_len;
	const char *base = arg_utf8(fcinfo, 0, &base_len);
	const char *rel = arg_utf8(fcinfo, 1, &rel_len);
	char	   *out;
	SmError		err = {0};
	int			r = sm_url_resolve(base, base_len, rel, rel_len, &sm_pg_env, &out, &out_len, &err);

	if (r < 0)
		sm_pg_report(&err, "could not resolve URL");
	if (r == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(sm_pg_text(out, out_len));
}

/* sourcemap_strip_prefix(source) -> the source without a bundler's prefix. */
Datum
sourcemap_strip_prefix(PG_FUNCTION_ARGS)
{
	size_t		len;
	const char *s = arg_utf8(fcinfo, 0, &len);
	const char *p;
	size_t		n;

	sm_url_strip_prefix(s, len, &p, &n);
	PG_RETURN_TEXT_P(sm_pg_text(p, n));
}
