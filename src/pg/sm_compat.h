/*
 * sm_compat.h -- the one place that knows which PostgreSQL version we are
 * compiled against.  Every other glue file includes this instead of testing
 * PG_VERSION_NUM itself.
 *
 * Built and tested: PostgreSQL 15 (Debian 12's).  The branches below follow
 * the API changes of 13, 14, 16, 17 and 18 as their release notes and headers
 * describe them, but no build against those versions runs here: the README
 * says so and claims only 15.
 */
#ifndef SM_COMPAT_H
#define SM_COMPAT_H

#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

#if PG_VERSION_NUM < 130000
#error "sourcemap requires PostgreSQL 13 or later"
#endif

/* PG16 moved the varlena macros out of postgres.h into varatt.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * Soft errors (errsave/ereturn, ErrorSaveContext) arrived in PG16.  Before
 * that no caller can ask for a soft error, so both behave like
 * ereport(ERROR).
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#else
#define errsave(context, ...)	ereport(ERROR, __VA_ARGS__)
#define ereturn(context, dummy_value, ...) \
	do { \
		ereport(ERROR, __VA_ARGS__); \
		return dummy_value; \
	} while (0)
#endif

/*
 * Materialize-mode set-returning functions: PG16 (and 15.1+) call the setup
 * helper InitMaterializedSRF; PG 15.0 called it SetSingleFuncCall; 13 and 14
 * have neither, so a copy of the helper follows.  We only use flags = 0.
 */
#if PG_VERSION_NUM >= 150000
#ifndef MAT_SRF_USE_EXPECTED_DESC
#define InitMaterializedSRF(fcinfo, flags) SetSingleFuncCall(fcinfo, flags)
#endif
#else
static inline void
InitMaterializedSRF(FunctionCallInfo fcinfo, bits32 flags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext oldcxt;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("set-valued function called in context that cannot accept a set"));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("materialize mode required, but it is not allowed in this context"));

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random,
											  false, work_mem);
	rsinfo->setDesc = tupdesc;
	MemoryContextSwitchTo(oldcxt);
}
#endif

/* PG14 packed the external size with the compression method. */
#if PG_VERSION_NUM < 140000
#define VARATT_EXTERNAL_GET_EXTSIZE(toast_pointer) ((toast_pointer).va_extsize)
#endif

/*
 * PG18 replaced the postfix pg_attribute_noreturn() with the prefix
 * pg_noreturn (C11 _Noreturn).  Declarations use the prefix form; before 18
 * it is the GCC/Clang attribute, which may also stand first.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* PG15 renamed EmitWarningsOnPlaceholders. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

#endif							/* SM_COMPAT_H */
