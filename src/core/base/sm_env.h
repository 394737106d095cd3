/*
 * sm_env.h -- what the core needs from its host: memory, interrupts, errors.
 *
 * The core (everything under src/core) includes no PostgreSQL header.  The
 * PostgreSQL glue passes an SmEnv whose allocator is palloc and whose
 * interrupt hook is CHECK_FOR_INTERRUPTS(); unit tests and fuzzers pass a
 * malloc-based one.  Errors travel back as an SmError value: the core never
 * prints, aborts or longjmps by itself.
 */
#ifndef SM_ENV_H
#define SM_ENV_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct SmEnv
{
	/* Allocate n bytes (n may exceed 1 GB only if the host allows it); NULL on failure. */
	void	   *(*alloc) (void *ctx, size_t n);
	/* Resize a block from alloc; NULL on failure (the old block stays valid). */
	void	   *(*realloc) (void *ctx, void *p, size_t n);
	/* Free a block from alloc or realloc; p may be NULL. */
	void		(*free) (void *ctx, void *p);
	/* Polled in long loops; may longjmp out (the host owns all memory then). */
	void		(*interrupt) (void *ctx);
	void	   *ctx;
} SmEnv;

/* Error classes; the glue maps each one to a SQLSTATE. */
typedef enum SmErrCode
{
	SM_OK = 0,
	SM_E_SYNTAX,				/* invalid JSON or source map (22P02) */
	SM_E_LIMIT,					/* a named limit was exceeded (54000) */
	SM_E_BINARY,				/* malformed binary value (22P03) */
	SM_E_ARGUMENT,				/* bad argument to a function (22023) */
	SM_E_NOMEM					/* allocation failed (53200) */
} SmErrCode;

#define SM_ERROR_MSG_MAX 320

typedef struct SmError
{
	SmErrCode	code;
	char		msg[SM_ERROR_MSG_MAX];	/* without "invalid source map: " prefix */
} SmError;

/* Record an error (printf-style); always returns false for "return sm_fail(...)". */
bool		sm_fail(SmError *err, SmErrCode code, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 3, 4)))
#endif
			;

/* A malloc-based environment for tests, fuzzers and benchmarks. */
extern const SmEnv sm_malloc_env;

/* Allocation helpers that record SM_E_NOMEM on failure. */
void	   *sm_alloc(const SmEnv *env, size_t n, SmError *err);
void		sm_free(const SmEnv *env, void *p);

static inline void
sm_check_interrupts(const SmEnv *env)
{
	if (env->interrupt)
		env->interrupt(env->ctx);
}

#endif							/* SM_ENV_H */
