/*
 * sm_pg.h -- what every SQL-callable function shares: the core's host
 * environment backed by palloc, the mapping from core errors to SQLSTATEs,
 * and text conversions between the core's UTF-8 and the database encoding.
 * Opening a stored map from a Datum is sm_cache.h's.
 */
#ifndef SM_PG_H
#define SM_PG_H

#include "sm_compat.h"
#include "sm_core.h"

/* First byte of the binary (send/recv) form; bump when that form changes. */
#define SM_WIRE_VERSION 1

/*
 * Allocations come from the MemoryContext in ctx, or CurrentMemoryContext
 * when ctx is NULL (huge allowed, NULL on out-of-memory so the core reports
 * SM_E_NOMEM); the interrupt hook is CHECK_FOR_INTERRUPTS().  Everything the
 * core allocates belongs to a memory context, so a longjmp out of the core
 * leaks nothing.  Copy it and set ctx for other contexts (sm_cache.c).
 */
extern const SmEnv sm_pg_env;

/*
 * An empty SmError without clearing its message buffer: `= {0}` clears all
 * SM_ERROR_MSG_MAX bytes, which on a per-call path (a cached lookup) costs
 * more than the glue's other work for the call.  sm_fail fills the message.
 */
static inline void
sm_pg_error_init(SmError *err)
{
	err->code = SM_OK;
	err->msg[0] = '\0';
}

/* SQLSTATE for a core error class. */
extern int	sm_pg_sqlstate(SmErrCode code);

/*
 * ereport(ERROR) for a core error: "<prefix>: <message>", or just the
 * message when prefix is NULL.  Out-of-memory is reported as such.
 */
pg_noreturn extern void sm_pg_report(const SmError *err, const char *prefix);

/*
 * A detoasted value in the current stored layout: v itself, or, for a value
 * stored by an older release (sm_legacy.h), its conversion, palloc'd in the
 * current context.  A value claiming an older layout that is not a valid one
 * is an ERROR (22P03) reported as "<prefix>: <message>".
 */
extern struct varlena *sm_pg_current_layout(struct varlena *v, const char *prefix);

/* A text value from UTF-8 bytes, converted to the database encoding. */
extern text *sm_pg_text(const char *utf8, size_t len);

/*
 * The UTF-8 form of len bytes in the database encoding; returns s itself
 * when no conversion is needed.  *out_len receives the converted length.
 */
extern const char *sm_pg_to_utf8(const char *s, size_t len, size_t *out_len);

/*
 * A source (a text Datum) resolved against the map's URL as ECMA-426 does
 * (sm_url.h); the source unchanged when the URL parser fails on it.
 */
extern Datum sm_pg_resolve_source(text *map_url, Datum source);

/* ERROR 22023 unless v >= 0; what names the argument. */
extern uint32 sm_pg_nonneg(int32 v, const char *what);

#endif							/* SM_PG_H */
