/*
 * sm_sort_template.h -- a stable merge sort, written out once and
 * instantiated for each element type that needs one (the idea of
 * PostgreSQL's lib/sort_template.h: a macro-parameterised body, so that the
 * comparison is inlined instead of called through a pointer).
 *
 * Stable means elements that compare equal keep their order, which the
 * callers rely on (segments of one column stay in map order; of two ranges
 * with the same extent the later one stays inner), and which makes the
 * result unique whatever the algorithm.
 *
 * Define before including, then include once per instance (the macros are
 * undefined at the end):
 *   SM_SORT_NAME          the function to define (static)
 *   SM_SORT_TYPE          the element type
 *   SM_SORT_BEFORE(a, b)  whether the element at pointer a must come
 *                         strictly before the one at pointer b
 *   SM_SORT_CTX           (optional) one more parameter, e.g.
 *                         `const Range *ranges`, that SM_SORT_BEFORE may use
 *   SM_SORT_POLL          (optional) a statement run after every 65,536
 *                         elements merged, e.g. polling for interrupts (it
 *                         may use the SM_SORT_CTX parameter)
 *
 * The function defined is
 *   static void SM_SORT_NAME(SM_SORT_TYPE *a, SM_SORT_TYPE *tmp, size_t n [, SM_SORT_CTX])
 * sorting a[0..n) in place with tmp, room for n elements, as scratch.
 */
#include <stddef.h>
#include <string.h>

#if !defined(SM_SORT_NAME) || !defined(SM_SORT_TYPE) || !defined(SM_SORT_BEFORE)
#error "define SM_SORT_NAME, SM_SORT_TYPE and SM_SORT_BEFORE before including sm_sort_template.h"
#endif

static void
#ifdef SM_SORT_CTX
SM_SORT_NAME(SM_SORT_TYPE *a, SM_SORT_TYPE *tmp, size_t n, SM_SORT_CTX)
#else
SM_SORT_NAME(SM_SORT_TYPE *a, SM_SORT_TYPE *tmp, size_t n)
#endif
{
	SM_SORT_TYPE *src = a,
			   *dst = tmp;
	size_t		merged = 0;

	/* bottom up: merge runs of width 1, 2, 4, ... from src into dst, then swap */
	for (size_t width = 1; width < n; width = (width > n / 2) ? n : 2 * width)
	{
		for (size_t lo = 0; lo < n;)
		{
			size_t		mid = lo + (n - lo > width ? width : n - lo);
			size_t		hi = mid + (n - mid > width ? width : n - mid);
			size_t		i = lo,
						j = mid,
						k = lo;

			/* the left run wins ties: that is the stability */
			while (i < mid && j < hi)
				dst[k++] = SM_SORT_BEFORE(&src[j], &src[i]) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
#ifdef SM_SORT_POLL
			merged += hi - lo;
			if (merged >= 65536)
			{
				SM_SORT_POLL;
				merged = 0;
			}
#endif
			lo = hi;
		}
		{
			SM_SORT_TYPE *swap = src;

			src = dst;
			dst = swap;
		}
	}
	(void) merged;
	if (src != a)
		memcpy(a, src, n * sizeof(SM_SORT_TYPE));
}

#undef SM_SORT_NAME
#undef SM_SORT_TYPE
#undef SM_SORT_BEFORE
#undef SM_SORT_CTX
#undef SM_SORT_POLL
