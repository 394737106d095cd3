/*
 * fuzz_common.h -- what the fuzz targets share: an allocation-tracking
 * environment (leaks, injected allocation failures, a size cap like
 * palloc's), reading a stored value through exact-size fetched slices,
 * and one routine that calls every read function on an open map and
 * checks what comes back.
 *
 * Every check that fails prints "fuzz oracle failed: ..." and aborts, so
 * libFuzzer (or the replay driver) records the input as a crash.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "sm_core.h"

/* Largest single allocation the fuzz environment grants (palloc's limit is 1 GB). */
#define FZ_ALLOC_CAP		((size_t) 256 << 20)
/* Maps claiming more generated lines skip sm_to_json (the ';'s alone would be megabytes). */
#define FZ_MAX_JSON_LINES	(1u << 20)
/* At most this many segments are iterated / kept for the reference lookup. */
#define FZ_MAX_SEGS			(1u << 16)

typedef struct FzEnv
{
	SmEnv		env;			/* pass &fz.env to the core */
	long		live;			/* blocks allocated and not yet freed */
	long		nallocs;		/* alloc and realloc calls so far */
	long		fail_at;		/* fail the allocation with this number (1-based); 0 = never */
	bool		failed;			/* an allocation was refused */
	long		interrupts;		/* calls of the interrupt hook */
} FzEnv;

void		fz_env_init(FzEnv *e, long fail_at);

/*
 * Whether the targets repeat inputs with one allocation failing: yes,
 * unless the environment variable FUZZ_NO_ALLOC_FAILURES is set (to
 * anything but 0), e.g. to keep fuzzing past a known bug on those paths.
 */
bool		fz_inject_failures(void);

/* Abort unless every block allocated through e was freed. */
void		fz_env_check_clean(const FzEnv *e, const char *where);

/* printf-style; prints the message and aborts. */
void		fz_fail(const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 1, 2), noreturn))
#endif
			;

#define FZ_CHECK(cond, ...) do { if (!(cond)) fz_fail(__VA_ARGS__); } while (0)

/* FNV-1a of the input: a stable source of per-input choices. */
uint64_t	fz_hash(const uint8_t *data, size_t len);

/*
 * Opening through sm_open with a fetch callback that hands out exact-size
 * heap copies of each requested slice, so that reading past a slice is
 * caught by ASan (the TOAST slice path of the glue).
 */
typedef struct FzFetch
{
	const uint8_t *data;
	size_t		len;
	uint8_t   **slices;			/* kept slices, freed at fz_close */
	size_t		n;
	size_t		cap;
	uint8_t    *transient;		/* the last slice fetched without keep */
} FzFetch;

SmMap	   *fz_open(FzEnv *e, const uint8_t *data, size_t len, bool via_fetch, FzFetch *fc,
					SmError *err);
/* Close m (may be NULL) and free the fetched slices. */
void		fz_close(SmMap *m, FzFetch *fc);

/*
 * Call every read function on m.  With strict set (the value passed
 * sm_validate, or came from sm_build) the results are checked: indexes in
 * range, iteration in order with the promised count, every lookup equal to
 * a brute-force answer over the iterated segments, strings and contents
 * readable, sm_to_json succeeds and its output is valid JSON that sm_build
 * accepts and that comes back unchanged.  Without strict (opened without
 * validation) anything may fail, but only cleanly: an error code is set,
 * nothing crashes, nothing leaks.
 *
 * q/qlen (any bytes, may be empty) choose lookup positions and the
 * sm_to_json prefix.  If canon is not NULL it holds the value's bytes as
 * sm_build made them, and the JSON must build exactly those bytes again
 * (the round-trip oracle).
 */
void		fz_exercise(FzEnv *e, SmMap *m, bool strict, const uint8_t *q, size_t qlen,
						const uint8_t *canon, size_t canon_len);

/*
 * The specified answer of a lookup over segments s[0..n) in generated
 * order: the index of the segment the bias selects, or -1.
 */
int			fz_ref_lookup(const SmMapping *s, size_t n, uint32_t line, uint32_t col, SmBias bias);

/* Fill out[0..n) with bytes derived from seed (splitmix64). */
void		fz_expand(uint64_t seed, uint8_t *out, size_t n);

/* Abort unless json is one complete, valid JSON value (the core's own tokenizer). */
void		fz_check_json_syntax(const char *json, size_t len);

/* Print a short, escaped excerpt of bytes to stderr (for oracle messages). */
void		fz_show(const char *label, const void *data, size_t len);

#endif							/* FUZZ_COMMON_H */
