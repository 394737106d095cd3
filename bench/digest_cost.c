/*
 * digest_cost.c -- what the content digest (format/sm_digest.h) costs:
 *   make -C bench build/digest_cost && bench/build/digest_cost MAP.json ...
 * Per map, medians of 5 interleaved rounds of CPU time:
 *   build_ms     sm_build (parse, validate, compress, digest included)
 *   hash_json_ms smh over the whole JSON text: more bytes than the writer
 *                hashes (raw blocks, string chunks and sourcesContent are
 *                each smaller than their JSON spelling), so an upper bound
 *                of the digest's share of ingest
 *   compute_ms   sm_digest_compute of the stored value, every part
 *                inflated: what a value without a stored digest (format 2,
 *                or converted from 0.1.0 / 0.2.0) costs once per comparison
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/sm_hash.h"
#include "bench_util.h"
#include "sm_core.h"

#define ROUNDS 5

int
main(int argc, char **argv)
{
	printf("map\tjson_bytes\tbuild_ms\thash_json_ms\thash_share_max\tcompute_ms\n");
	for (int a = 1; a < argc; a++)
	{
		size_t		len,
					vlen;
		char	   *json = bench_must_read(argv[a], &len);
		double		t[3][ROUNDS];
		uint8_t    *v = NULL;
		SmError		err = {0};
		volatile uint64_t sink = 0;

		for (int r = 0; r < ROUNDS; r++)
		{
			double		t0 = bench_cpu_ms();
			SmHash		h;
			uint64_t	d = 0;

			sm_free(&sm_malloc_env, v);
			if (!sm_build(json, len, &sm_malloc_env, 0, &v, &vlen, &err))
			{
				fprintf(stderr, "%s: %s\n", argv[a], err.msg);
				return 2;
			}
			t[0][r] = bench_cpu_ms() - t0;
			t0 = bench_cpu_ms();
			smh_init(&h);
			smh_update(&h, json, len);
			sink += smh_final(&h);
			t[1][r] = bench_cpu_ms() - t0;
			t0 = bench_cpu_ms();
			if (!sm_digest_compute(v, vlen, NULL, &sm_malloc_env, &d, &err))
				return 2;
			sink += d;
			t[2][r] = bench_cpu_ms() - t0;
		}
		for (int k = 0; k < 3; k++)
			qsort(t[k], ROUNDS, sizeof(double), bench_cmp_double);
		printf("%s\t%zu\t%.1f\t%.2f\t%.3f\t%.1f\n", argv[a], len, t[0][ROUNDS / 2], t[1][ROUNDS / 2],
			   t[1][ROUNDS / 2] / t[0][ROUNDS / 2], t[2][ROUNDS / 2]);
		sm_free(&sm_malloc_env, v);
		free(json);
		(void) sink;
	}
	return 0;
}
