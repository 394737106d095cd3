/*
 * sm_module.c -- the loadable module itself: its magic block and the
 * initialisation PostgreSQL runs when it loads the library (the map
 * cache's setting).  A file of its own so that the helpers of sm_pg.c
 * depend on nothing else in the glue.
 */
#include "sm_cache.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	sm_cache_init();
}
