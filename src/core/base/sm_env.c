/*
 * sm_env.c -- error recording and the malloc-based environment used by the
 * unit tests, fuzzers and benchmarks (the PostgreSQL glue brings its own).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/sm_env.h"

bool
sm_fail(SmError *err, SmErrCode code, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL)
		return false;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

/* malloc wrappers with the SmEnv signatures */
static void *
malloc_alloc(void *ctx, size_t n)
{
	(void) ctx;
	return malloc(n ? n : 1);
}

static void *
malloc_realloc(void *ctx, void *p, size_t n)
{
	(void) ctx;
	return realloc(p, n ? n : 1);
}

static void
malloc_free(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

const SmEnv sm_malloc_env = {malloc_alloc, malloc_realloc, malloc_free, NULL, NULL};

void *
sm_alloc(const SmEnv *env, size_t n, SmError *err)
{
	void	   *p = env->alloc(env->ctx, n);

	if (p == NULL)
		sm_fail(err, SM_E_NOMEM, "out of memory allocating %zu bytes", n);
	return p;
}

void
sm_free(const SmEnv *env, void *p)
{
	if (p != NULL)
		env->free(env->ctx, p);
}
