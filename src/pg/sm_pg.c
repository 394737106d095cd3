/*
 * sm_pg.c -- the core's host environment inside a backend, and the helpers
 * every SQL-callable function uses (error mapping, encoding conversion).
 * See sm_pg.h.
 */
#include "sm_pg.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

/*
 * palloc in the environment's context (ctx), or the current one when ctx is
 * NULL; NULL rather than ERROR when memory runs out.
 */
static void *
pg_sm_alloc(void *ctx, size_t n)
{
	if (n > MaxAllocHugeSize)
		return NULL;
	return MemoryContextAllocExtended(ctx ? (MemoryContext) ctx : CurrentMemoryContext, n,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

/* repalloc; on out-of-memory this raises ERROR itself (no NO_OOM variant before PG16). */
static void *
pg_sm_realloc(void *ctx, void *p, size_t n)
{
	if (n > MaxAllocHugeSize)
		return NULL;
	if (p == NULL)
		return pg_sm_alloc(ctx, n);
	return repalloc_huge(p, n);
}

static void
pg_sm_free(void *ctx, void *p)
{
	if (p != NULL)
		pfree(p);
}

/* Safe to longjmp from: every allocation belongs to a memory context. */
static void
pg_sm_interrupt(void *ctx)
{
	CHECK_FOR_INTERRUPTS();
}

const SmEnv sm_pg_env = {
	.alloc = pg_sm_alloc,
	.realloc = pg_sm_realloc,
	.free = pg_sm_free,
	.interrupt = pg_sm_interrupt,
	.ctx = NULL
};

int
sm_pg_sqlstate(SmErrCode code)
{
	switch (code)
	{
		case SM_E_SYNTAX:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;	/* 22P02 */
		case SM_E_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;	/* 54000 */
		case SM_E_BINARY:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;	/* 22P03 */
		case SM_E_ARGUMENT:
			return ERRCODE_INVALID_PARAMETER_VALUE;	/* 22023 */
		case SM_E_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;	/* 53200 */
		case SM_OK:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

void
sm_pg_report(const SmError *err, const char *prefix)
{
	if (err->code == SM_E_NOMEM)
		ereport(ERROR,
				errcode(ERRCODE_OUT_OF_MEMORY),
				errmsg("out of memory"),
				errdetail("%s", err->msg));
	if (err->code == SM_OK)
		elog(ERROR, "sourcemap core failed without reporting an error");
	if (prefix != NULL)
		ereport(ERROR,
				errcode(sm_pg_sqlstate(err->code)),
				errmsg("%s: %s", prefix, err->msg));
	ereport(ERROR,
			errcode(sm_pg_sqlstate(err->code)),
			errmsg("%s", err->msg));
	pg_unreachable();
}

struct varlena *
sm_pg_current_layout(struct varlena *v, const char *prefix)
{
	const uint8_t *data = (const uint8_t *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;

	if (!sm_legacy_detect(data, len))
		return v;
	if (!sm_legacy_convert(data, len, &sm_pg_env, VARHDRSZ, &out, &out_len, &err))
		sm_pg_report(&err, prefix);
	if (out_len > MaxAllocSize)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("%s: the value of an older release takes %zu bytes in today's layout, too many",
					   prefix, out_len - VARHDRSZ));
	SET_VARSIZE(out, out_len);
	return (struct varlena *) out;
}

text *
sm_pg_text(const char *utf8, size_t len)
{
	const char *s = utf8;

	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("string of %zu bytes is too long for a text value", len));
	/* as jsonb does: text cannot hold a NUL character */
	if (memchr(utf8, '\0', len) != NULL)
		ereport(ERROR,
				errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				errmsg("unsupported Unicode escape sequence"),
				errdetail("\\u0000 cannot be converted to text."));
	if (GetDatabaseEncoding() != PG_UTF8)
	{
		s = pg_any_to_server(utf8, (int) len, PG_UTF8);
		if (s != utf8)
			len = strlen(s);
	}
	return cstring_to_text_with_len(s, (int) len);
}

const char *
sm_pg_to_utf8(const char *s, size_t len, size_t *out_len)
{
	const char *u = s;

	*out_len = len;
	if (GetDatabaseEncoding() != PG_UTF8 && len > 0)
	{
		u = pg_server_to_any(s, (int) len, PG_UTF8);
		if (u != s)
			*out_len = strlen(u);
	}
	return u;
}

uint32
sm_pg_nonneg(int32 v, const char *what)
{
	if (v < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must not be negative, got %d", what, v));
	return (uint32) v;
}

Datum
sm_pg_resolve_source(text *map_url, Datum source)
{
	text	   *src = DatumGetTextPP(source);
	size_t		base_len,
				src_len,
				out_len;
	const char *base = sm_pg_to_utf8(VARDATA_ANY(map_url), VARSIZE_ANY_EXHDR(map_url), &base_len);
	const char *s = sm_pg_to_utf8(VARDATA_ANY(src), VARSIZE_ANY_EXHDR(src), &src_len);
	char	   *out;
	SmError		err = {0};
	int			r = sm_url_resolve(base, base_len, s, src_len, &sm_pg_env, &out, &out_len, &err);
	Datum		res;

	if (r < 0)
		sm_pg_report(&err, "could not resolve a source against the map's URL");
	if (r == 0)
		return source;
	res = PointerGetDatum(sm_pg_text(out, out_len));
	pfree(out);
	return res;
}
