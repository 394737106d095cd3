/*
 * test_sort.c -- unit test of the stable merge sort template
 * (base/sm_sort_template.h) that the core instantiates four times.
 *
 * Arrays of every length from 0 to 300 and a few large ones, with keys
 * drawn from a small range so that ties are everywhere, are sorted and
 * compared with an insertion sort (stable by construction): the keys must
 * be in order and equal keys in their original order.  A context parameter
 * and the polling hook are exercised too.  So is the use the builder makes
 * of it: one generated line of up to 10,000 segments, in order or out of
 * order before, at or after the 4,096 segments sm_build decodes before it
 * checks the rest of a line ahead, must come out of the stored value in
 * column order, equal columns in map order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_buf.h"
#include "base/sm_vlq.h"
#include "test_util.h"

static TuCounts counts;

typedef struct Item
{
	uint32_t	key;
	uint32_t	seq;			/* position before sorting */
} Item;

#define SM_SORT_NAME sort_items
#define SM_SORT_TYPE Item
#define SM_SORT_BEFORE(a, b) ((a)->key < (b)->key)
#include "base/sm_sort_template.h"

/* keys through a table, with a poll counter: the optional parameters */
typedef struct Ctx
{
	const uint32_t *weight;
	long		polls;
} Ctx;

#define SM_SORT_NAME sort_by_weight
#define SM_SORT_TYPE uint32_t
#define SM_SORT_BEFORE(a, b) (ctx->weight[*(a)] < ctx->weight[*(b)])
#define SM_SORT_CTX Ctx *ctx
#define SM_SORT_POLL (ctx->polls++)
#include "base/sm_sort_template.h"

static void
reference(Item *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		Item		x = a[i];
		size_t		j = i;

		while (j > 0 && a[j - 1].key > x.key)
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

static uint32_t
next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (*s >> 33);
}

static void
check_length(size_t n, uint32_t keys, uint64_t *seed)
{
	Item	   *a = malloc((n + 1) * sizeof(Item));
	Item	   *b = malloc((n + 1) * sizeof(Item));
	Item	   *tmp = malloc((n + 1) * sizeof(Item));

	for (size_t i = 0; i < n; i++)
	{
		a[i].key = next(seed) % keys;
		a[i].seq = (uint32_t) i;
	}
	memcpy(b, a, n * sizeof(Item));
	sort_items(a, tmp, n);
	reference(b, n);
	tu_check(&counts, n == 0 || memcmp(a, b, n * sizeof(Item)) == 0,
			 "length %zu, %u keys: differs from the stable reference", n, keys);
	free(a);
	free(b);
	free(tmp);
}

/*
 * One line of n segments "col, 0, seq, 0" (the original line tells the
 * segment's place in the map); column deltas +1 or 0, except -3 at each
 * position of back (up to two; -1 for none).
 */
static void
check_line(size_t n, long back1, long back2, uint64_t *seed)
{
	const char *head = "{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"";
	SmBuf		js;
	SmError		err = {0};
	Item	   *want = malloc(n * sizeof(Item));
	int64_t		col = 10,
				prevcol = 0,
				prevline = 0;
	TuMap		m;
	char		v[16];
	size_t		got = 0;
	bool		same = true;

	smb_init(&js, &sm_malloc_env, &err);
	smb_append(&js, head, strlen(head));
	for (size_t i = 0; i < n; i++)
	{
		col += ((long) i == back1 || (long) i == back2) ? -3 : (int64_t) (next(seed) % 2);
		want[i].key = (uint32_t) col;
		want[i].seq = (uint32_t) i;
		if (i)
			smb_append(&js, ",", 1);
		smb_append(&js, v, sm_vlq_encode(col - prevcol, v));
		smb_append(&js, "A", 1);	/* source 0, then the original line */
		smb_append(&js, v, sm_vlq_encode((int64_t) i - prevline, v));
		smb_append(&js, "A", 1);
		prevcol = col;
		prevline = (int64_t) i;
	}
	smb_append(&js, "\"}", 2);
	reference(want, n);
	if (!tu_check(&counts, tu_map_build((const char *) js.data, js.len, &m, &err),
				  "line of %zu segments: rejected: %s", n, err.msg))
		goto done;
	{
		SmIter	   *it = sm_iter_begin(m.map, &err);
		SmMapping	s;
		int			rc;

		while (it && (rc = sm_iter_next(it, &s, &err)) == 1)
		{
			same = same && got < n && s.gen_col == want[got].key && s.orig_line == want[got].seq;
			got++;
		}
		sm_iter_end(it);
	}
	tu_check(&counts, same && got == n, "line of %zu segments, back at %ld and %ld: not in stable column order",
			 n, back1, back2);
	tu_map_free(&m);
done:
	smb_free(&js);
	free(want);
}

int
main(void)
{
	uint64_t	seed = 12345;

	for (size_t n = 0; n <= 300; n++)
		check_length(n, 1 + (uint32_t) (n % 7), &seed);
	check_length(65536, 3, &seed);
	check_length(100003, 1000, &seed);
	check_length(4097, 1, &seed);	/* all equal: the input order stays */

	/* a context parameter and the poll hook */
	{
		size_t		n = 200000;
		uint32_t   *w = malloc(n * sizeof(uint32_t));
		uint32_t   *idx = malloc(n * sizeof(uint32_t));
		uint32_t   *tmp = malloc(n * sizeof(uint32_t));
		Ctx			ctx = {w, 0};
		bool		ok = true;

		for (size_t i = 0; i < n; i++)
		{
			w[i] = next(&seed) % 50;
			idx[i] = (uint32_t) i;
		}
		sort_by_weight(idx, tmp, n, &ctx);
		for (size_t i = 1; i < n && ok; i++)
			ok = w[idx[i - 1]] < w[idx[i]] || (w[idx[i - 1]] == w[idx[i]] && idx[i - 1] < idx[i]);
		tu_check(&counts, ok, "indexes by weight: not a stable order");
		/* 18 passes of 200,000 elements merged: a poll every 65,536 */
		tu_check(&counts, ctx.polls >= 40, "%ld polls while sorting %zu elements", ctx.polls, n);
		free(w);
		free(idx);
		free(tmp);
	}
	/* the builder's line sort, around its 4,096-segment look-ahead */
	check_line(10, -1, -1, &seed);
	check_line(10000, -1, -1, &seed);
	check_line(4096, 4000, -1, &seed);
	check_line(4097, 4096, -1, &seed);
	check_line(10000, 100, -1, &seed);
	check_line(10000, 4095, -1, &seed);
	check_line(10000, 4096, -1, &seed);
	check_line(10000, 4097, -1, &seed);
	check_line(10000, 9999, -1, &seed);
	check_line(10000, 50, 9000, &seed);
	return tu_finish("sort", &counts);
}
