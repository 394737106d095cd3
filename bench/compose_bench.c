/*
 * compose_bench.c -- what composing a real chain of maps costs in the core
 * (sm_compose over stored stage maps, the result ingested into the stored
 * form), beside sm_build of remapping's composition of the same chain (the
 * same map from JSON), measured side by side in one process so that the
 * ratio holds on a loaded machine.  bench/compose.sh runs it next to
 * @jridgewell/remapping on the same chain.
 *
 *   cc -O2 -Isrc/core bench/compose_bench.c src/core/[all .c files] -ldeflate -lz
 *   compose_bench [--reps N] CHAIN_DIR ...   (test/data/compose/<chain>)
 *
 * Output, one tab-separated line per chain after a header:
 *   chain stages segments compose_ms build_expected_ms ratio
 * compose_ms         median CPU time of sm_compose (stage maps opened once,
 *                    with a 32 MB block cache each, as the backend's cache
 *                    opens them)
 * build_expected_ms  median CPU time of sm_build of expected.map
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "sm_core.h"

#define MAX_STAGES 8

static uint8_t *
build(const char *json, size_t len, size_t *out_len)
{
	SmError		err = {0};
	uint8_t    *out;

	if (!sm_build(json, len, &sm_malloc_env, 0, &out, out_len, &err))
	{
		fprintf(stderr, "sm_build: %s\n", err.msg);
		exit(1);
	}
	return out;
}

static void
bench_chain(const char *dir, int reps)
{
	char		path[4096],
				line[4096];
	FILE	   *list;
	SmMap	   *maps[MAX_STAGES];
	uint8_t    *stored[MAX_STAGES];
	uint32_t	n = 0;
	double	   *tc = malloc(sizeof(double) * reps),
			   *tb = malloc(sizeof(double) * reps);
	size_t		elen;
	char	   *expected;
	SmInfo		info;
	SmError		err = {0};

	snprintf(path, sizeof(path), "%s/chain.txt", dir);
	if ((list = fopen(path, "r")) == NULL)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	while (n < MAX_STAGES && fgets(line, sizeof(line), list))
	{
		size_t		len,
					slen;
		char	   *json;

		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s/../../%s", dir, line);
		json = bench_must_read(path, &len);
		stored[n] = build(json, len, &slen);
		free(json);
		maps[n] = sm_open_buffer(&sm_malloc_env, stored[n], slen, &err);
		if (maps[n] == NULL)
			exit(1);
		sm_set_block_cache(maps[n], (size_t) 32 << 20);
		n++;
	}
	fclose(list);
	snprintf(path, sizeof(path), "%s/expected.map", dir);
	expected = bench_must_read(path, &elen);
	for (int r = 0; r < reps; r++)
	{
		uint8_t    *out;
		size_t		out_len;
		double		t0 = bench_cpu_ms();

		if (!sm_compose(maps, n, &sm_malloc_env, 0, &out, &out_len, &err))
		{
			fprintf(stderr, "sm_compose: %s\n", err.msg);
			exit(1);
		}
		tc[r] = bench_cpu_ms() - t0;
		if (r == 0)
		{
			SmMap	   *m = sm_open_buffer(&sm_malloc_env, out, out_len, &err);

			if (m == NULL || !sm_info(m, &info, &err))
				exit(1);
			sm_close(m);
		}
		free(out);
		t0 = bench_cpu_ms();
		out = build(expected, elen, &out_len);
		tb[r] = bench_cpu_ms() - t0;
		free(out);
	}
	qsort(tc, reps, sizeof(double), bench_cmp_double);
	qsort(tb, reps, sizeof(double), bench_cmp_double);
	printf("%s\t%u\t%llu\t%.3f\t%.3f\t%.2f\n", strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir, n,
		   (unsigned long long) info.segments, tc[reps / 2], tb[reps / 2],
		   tc[reps / 2] / tb[reps / 2]);
	for (uint32_t k = 0; k < n; k++)
	{
		sm_close(maps[k]);
		free(stored[k]);
	}
	free(expected);
	free(tc);
	free(tb);
}

int
main(int argc, char **argv)
{
	int			reps = 21;
	int			i = 1;

	if (argc > 2 && strcmp(argv[1], "--reps") == 0)
	{
		reps = atoi(argv[2]);
		i = 3;
	}
	if (reps < 1 || i >= argc)
	{
		fprintf(stderr, "usage: compose_bench [--reps N] CHAIN_DIR ...\n");
		return 2;
	}
	printf("chain\tstages\tsegments\tcompose_ms\tbuild_expected_ms\tratio\n");
	for (; i < argc; i++)
		bench_chain(argv[i], reps);
	return 0;
}
