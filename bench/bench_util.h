/*
 * bench_util.h -- the few helpers every core benchmark program in bench/
 * needs (a whole file read into memory, CPU time, sorting samples for a
 * median), kept once here so that core_bench, compose_bench and
 * function_names measure the same way.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>

/* The whole file, NUL-terminated (malloc'd); NULL if it cannot be read. */
char	   *bench_read_file(const char *path, size_t *len);

/* The same, or a message on stderr and exit status 2 if it cannot be read. */
char	   *bench_must_read(const char *path, size_t *len);

/* CPU time of this process in milliseconds (waiting for a core not counted). */
double		bench_cpu_ms(void);

/* qsort comparator for doubles, ascending. */
int			bench_cmp_double(const void *a, const void *b);

#endif
