/*
 * sm_core.h -- the core's public interface: the one header the PostgreSQL
 * glue (src/pg), the tests and the tools include.
 *
 * The core is a library in layers (README.md in this folder); this header
 * gathers what a user of the library needs from them: the stored map and
 * its reader, reading values stored by older releases, building and checking and writing out a whole map, the
 * original function names at a position (and the inlined frames there),
 * compressed input, and the
 * symbolication tools (stack traces, source context, source map
 * references, reverse lookups, URLs, composing chains of maps).  Everything else is
 * internal to the core.
 */
#ifndef SM_CORE_H
#define SM_CORE_H

#include "base/sm_env.h"
#include "base/sm_inflate.h"
#include "format/sm_digest.h"
#include "format/sm_map.h"
#include "format/sm_status.h"
#include "functions/sm_functab.h"
#include "functions/sm_inline.h"
#include "functions/sm_source_functions.h"
#include "io/sm_io.h"
#include "io/sm_legacy.h"
#include "symbolicate/sm_compose.h"
#include "symbolicate/sm_context.h"
#include "symbolicate/sm_refs.h"
#include "symbolicate/sm_reverse.h"
#include "symbolicate/sm_stack.h"
#include "symbolicate/sm_url.h"

#endif							/* SM_CORE_H */
