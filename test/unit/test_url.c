/*
 * test_url.c -- unit test of URL resolution, candidate keys and bundler
 * prefixes (sm_url.h).
 *
 * The resolution table's answers for absolute bases are what the WHATWG
 * URL parser gives (`new URL(relative, base).href` in Node 20, whose
 * parser follows the standard); NULL where it throws.  They cover what
 * ECMA-426's source resolution meets: relative paths with dot segments
 * (also percent-encoded), path-absolute and scheme-relative references,
 * query and fragment, special and non-special schemes (webpack://, file:,
 * data:), hosts, ports, user info and percent-encoding.  The rows with a
 * base that is not an absolute URL are this library's documented extension
 * (sm_url.h), checked by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolicate/sm_url.h"
#include "test_util.h"

static TuCounts counts;

typedef struct ResolveCase
{
	const char *base;
	const char *rel;
	const char *want;			/* NULL: the parser fails */
} ResolveCase;

static const ResolveCase resolve_cases[] = {
	/* from Node 20's URL (WHATWG) */
	{"https://example.com/js/app.js.map", "../src/app.ts", "https://example.com/src/app.ts"},
	{"https://example.com/js/app.js.map", "./src/app.ts", "https://example.com/js/src/app.ts"},
	{"https://example.com/js/app.js.map", "/src/app.ts", "https://example.com/src/app.ts"},
	{"https://example.com/js/app.js.map", "//cdn.example.com/src/app.ts", "https://cdn.example.com/src/app.ts"},
	{"https://example.com/js/app.js.map", "webpack:///./src/app.ts", "webpack:///src/app.ts"},
	{"https://example.com/js/app.js.map", "webpack://my-app/./src/app.ts", "webpack://my-app/src/app.ts"},
	{"https://example.com/js/app.js.map", "src/app.ts?v=1#L3", "https://example.com/js/src/app.ts?v=1#L3"},
	{"https://example.com/js/app.js.map?x=1", "?y=2", "https://example.com/js/app.js.map?y=2"},
	{"https://example.com/js/app.js.map?x=1#f", "#g", "https://example.com/js/app.js.map?x=1#g"},
	{"https://example.com/js/app.js.map?x=1#f", "", "https://example.com/js/app.js.map?x=1"},
	{"https://example.com/js/app.js.map", "../../../../a.ts", "https://example.com/a.ts"},
	{"https://example.com/js/app.js.map", "a/./b/../c.ts", "https://example.com/js/a/c.ts"},
	{"https://example.com/js/app.js.map", "a/%2e%2E/b/%2e/c.ts", "https://example.com/js/b/c.ts"},
	{"https://example.com/js/app.js.map", "a/..", "https://example.com/js/"},
	{"https://example.com/js/app.js.map", "a/.", "https://example.com/js/a/"},
	{"https://example.com/js/app.js.map", "..", "https://example.com/"},
	{"https://example.com/js/app.js.map", "my file.ts", "https://example.com/js/my%20file.ts"},
	{"https://example.com/js/app.js.map", "a\\b\\c.ts", "https://example.com/js/a/b/c.ts"},
	{"https://example.com/js/app.js.map", "  \t x\ny.ts \n", "https://example.com/js/xy.ts"},
	{"https://example.com/js/app.js.map", "résumé.ts", "https://example.com/js/r%C3%A9sum%C3%A9.ts"},
	{"https://example.com/js/app.js.map", "a?q=\"'<>`#f`<>", "https://example.com/js/a?q=%22%27%3C%3E`#f%60%3C%3E"},
	{"https://example.com/js/app.js.map", "{a}|b^c`d.ts", "https://example.com/js/%7Ba%7D|b^c%60d.ts"},
	{"https://example.com/js/", "HTTPS://EXAMPLE.COM:443/A", "https://example.com/A"},
	{"https://example.com/js/", "http://Example.COM:80/a", "http://example.com/a"},
	{"https://example.com/js/", "http://example.com:8080/a", "http://example.com:8080/a"},
	{"https://example.com/js/", "http://example.com:65536/a", NULL},
	{"https://example.com/js/", "http://example.com:8x/a", NULL},
	{"https://example.com/js/", "http://u:p@h/a", "http://u:p@h/a"},
	{"https://example.com/js/", "http://u@:80/a", NULL},
	{"https://example.com/js/", "http://@h/a", "http://h/a"},
	{"https://example.com/js/", "http://a b/", NULL},
	{"https://example.com/js/", "http://a%41b/", "http://aab/"},
	{"https://example.com/js/", "http://[::1]:8080/a", "http://[::1]:8080/a"},
	{"https://example.com/js/", "http://[::1/a", NULL},
	{"https://example.com/js/", "http:/a/b", "http://a/b"},
	{"https://example.com/js/", "https:a/b", "https://example.com/js/a/b"},
	{"https://example.com/js/", "http:a/b", "http://a/b"},
	{"https://example.com/js/", "http:\\\\h\\a", "http://h/a"},
	{"https://example.com/js/", "http:////h/a", "http://h/a"},
	{"https://example.com/js/", "http://", NULL},
	{"https://example.com/js/", "\\\\h2\\p", "https://h2/p"},
	{"https://example.com", "a.js", "https://example.com/a.js"},
	{"https://example.com?q", "a.js", "https://example.com/a.js"},
	{"webpack://ns/src/a.ts", "../lib/b.ts", "webpack://ns/lib/b.ts"},
	{"webpack://ns/src/a.ts", "/lib/b.ts", "webpack://ns/lib/b.ts"},
	{"webpack://ns/src/a.ts", "//other/lib/b.ts", "webpack://other/lib/b.ts"},
	{"webpack://ns/src/a.ts", "a\\b.ts", "webpack://ns/src/a\\b.ts"},
	{"webpack://NS/src/a.ts", "b.ts?q='x'", "webpack://NS/src/b.ts?q='x'"},
	{"webpack:///src/a.ts", "../../../b.ts", "webpack:///b.ts"},
	{"webpack://ns", "b.ts", "webpack://ns/b.ts"},
	{"webpack://ns", "", "webpack://ns"},
	{"webpack:/a/b", "..//x", "webpack:/.//x"},
	{"webpack:/a", "//x", "webpack://x"},
	{"foo://h:8080/a", "b", "foo://h:8080/b"},
	{"foo://u:p@h/a", "b", "foo://u:p@h/b"},
	{"foo://h/a", "//a b/", NULL},
	{"data:application/json,{}", "a.js", NULL},
	{"data:application/json,{}", "#frag", "data:application/json,{}#frag"},
	{"about:blank", "x", NULL},
	{"mailto:a@b", "?x", NULL},
	{"file:///home/u/dist/app.js.map", "../src/a.ts", "file:///home/u/src/a.ts"},
	{"file:///home/u/dist/app.js.map", "/etc/x", "file:///etc/x"},
	{"file:///home/u/dist/app.js.map", "file:a.ts", "file:///home/u/dist/a.ts"},
	{"file:///home/u/dist/app.js.map", "//localhost/x", "file:///x"},
	{"file:///home/u/dist/app.js.map", "file://host/x", "file://host/x"},
	{"file:///home/u/dist/app.js.map", "../../../../../x", "file:///x"},
	{"https://example.com/js/app.js.map", "ws://h:80/x", "ws://h/x"},
	{"https://example.com/js/app.js.map", "wss://h:443/x", "wss://h/x"},
	{"https://example.com/js/app.js.map", "ftp://h:21/x", "ftp://h/x"},
	{"https://example.com/js/app.js.map", "a:b", "a:b"},
	{"https://example.com/js/app.js.map", "1a:b", "https://example.com/js/1a:b"},
	{"https://example.com/js/app.js.map", "#", "https://example.com/js/app.js.map#"},
	{"https://example.com/js/app.js.map", "?", "https://example.com/js/app.js.map?"},
	{"https://example.com/js/app.js.map", "a#b#c", "https://example.com/js/a#b#c"},
	{"https://example.com/js/app.js.map", "a?b?c", "https://example.com/js/a?b?c"},
	{"https://example.com/a/b/c", "../../../..", "https://example.com/"},
	{"https://example.com/a/b/c", "./", "https://example.com/a/b/"},
	{"https://example.com/a/b/c", "x//y", "https://example.com/a/b/x//y"},
	/* a base that is a path (the extension) */
	{"/static/js/app.js.map", "../src/a.ts", "/static/src/a.ts"},
	{"/static/js/app.js.map", "/abs/a.ts", "/abs/a.ts"},
	{"/static/js/app.js.map", "//cdn.example.com/a.ts", "//cdn.example.com/a.ts"},
	{"/static/js/app.js.map", "https://h/a.ts", "https://h/a.ts"},
	{"dist/app.js.map", "../src/a.ts", "src/a.ts"},
	{"dist/app.js.map", "./a.ts?x#y", "dist/a.ts?x#y"},
	{"dist/app.js.map", "../../../x.ts", "x.ts"},
	{"dist/app.js.map", "/abs/x.ts", "/abs/x.ts"},
	{"dist/app.js.map", "webpack:///./src/a.ts", "webpack:///src/a.ts"},
	{"dist/app.js.map", "", "dist/app.js.map"},
	{"dist/app.js.map", "#f", "dist/app.js.map#f"},
	{"", "./a/../b.js", "b.js"},
	{"", "a b.js", "a%20b.js"},
	{"not a url", "a.js", "a.js"},
	{"//cdn.example.com/js/app.js.map", "a.ts", "//cdn.example.com/js/a.ts"},
	{"//cdn.example.com/js/app.js.map", "../../../a.ts", "//cdn.example.com/a.ts"},
	/* documented differences from the standard (sm_url.h): no IDNA, IPv4 or IPv6 forms */
	{"https://example.com/", "http://\xC3\xA9" ".example/a", "http://\xC3\xA9" ".example/a"},
	{"https://example.com/", "http://0x7f.1/a", "http://0x7f.1/a"},
	{"https://example.com/", "http://[0:0::1]/a", "http://[0:0::1]/a"},
	/* a percent-encoded host that is not UTF-8 fails, as in the standard */
	{"https://example.com/", "http://a%AAb/", NULL},
	{"https://example.com/", "http://a\xAA" "b/", NULL},
	/* a base with a scheme that the parser refuses */
	{"http://", "a.js", NULL},
	{"http://h:99999/", "a.js", NULL},
};

static void
test_resolve(void)
{
	for (size_t i = 0; i < sizeof(resolve_cases) / sizeof(resolve_cases[0]); i++)
	{
		const ResolveCase *c = &resolve_cases[i];
		SmError		err = {0};
		char	   *out = NULL;
		size_t		len = 0;
		int			r = sm_url_resolve(c->base, strlen(c->base), c->rel, strlen(c->rel),
									   &sm_malloc_env, &out, &len, &err);

		if (c->want == NULL)
			tu_check(&counts, r == 0 && out == NULL,
					 "resolve(%s, %s) = %d %s, expected a failure", c->base, c->rel, r,
					 tu_show(out, len, out == NULL));
		else
			tu_check(&counts, r == 1 && len == strlen(c->want) && strcmp(out, c->want) == 0,
					 "resolve(%s, %s) = %d %s, expected %s", c->base, c->rel, r,
					 tu_show(out, len, out == NULL), c->want);
		free(out);
	}
}

/* Embedded NUL bytes and the size limit. */
static void
test_resolve_edges(void)
{
	SmError		err = {0};
	char	   *out = NULL;
	size_t		len = 0;
	int			r;

	r = sm_url_resolve("https://h/", 10, "a\0b", 3, &sm_malloc_env, &out, &len, &err);
	tu_check(&counts, r == 1 && len == 15 && memcmp(out, "https://h/a%00b", 16) == 0,
			 "a NUL byte in a path is percent-encoded: %d %s", r, tu_show(out, len, out == NULL));
	free(out);
	r = sm_url_resolve("foo://h/", 8, "//a\0b/", 6, &sm_malloc_env, &out, &len, &err);
	tu_check(&counts, r == 0, "a NUL byte in an opaque host fails: %d", r);
	r = sm_url_resolve("https://h/", SM_URL_MAX_INPUT + 1, "a", 1, &sm_malloc_env, &out, &len,
					   &err);
	tu_check(&counts, r == -1 && err.code == SM_E_LIMIT, "a base over the limit: %d %d", r,
			 (int) err.code);
}

typedef struct CandCase
{
	const char *url;
	const char *want[SM_URL_MAX_CANDIDATES + 1];	/* NULL-terminated */
} CandCase;

static const CandCase cand_cases[] = {
	/* symbolicator's own examples (utils.rs), plus our path and file name forms */
	{"https://example.com/assets/bundle.min.js",
	{"https://example.com/assets/bundle.min.js", "~/assets/bundle.min.js",
	"/assets/bundle.min.js", "bundle.min.js"}},
	{"https://example.com/assets/bundle.min.js?foo=1&bar=baz",
	{"https://example.com/assets/bundle.min.js?foo=1&bar=baz",
	"https://example.com/assets/bundle.min.js",
	"~/assets/bundle.min.js?foo=1&bar=baz", "~/assets/bundle.min.js",
	"/assets/bundle.min.js?foo=1&bar=baz", "/assets/bundle.min.js", "bundle.min.js"}},
	{"https://example.com/assets/bundle.min.js#wat",
	{"https://example.com/assets/bundle.min.js#wat", "https://example.com/assets/bundle.min.js",
	"~/assets/bundle.min.js", "/assets/bundle.min.js", "bundle.min.js"}},
	{"https://example.com/assets/bundle.min.js?foo=1&bar=baz#wat",
	{"https://example.com/assets/bundle.min.js?foo=1&bar=baz#wat",
	"https://example.com/assets/bundle.min.js?foo=1&bar=baz",
	"https://example.com/assets/bundle.min.js",
	"~/assets/bundle.min.js?foo=1&bar=baz", "~/assets/bundle.min.js",
	"/assets/bundle.min.js?foo=1&bar=baz", "/assets/bundle.min.js", "bundle.min.js"}},
	{"app:///_next/server/pages/_error.js",
	{"app:///_next/server/pages/_error.js", "~/_next/server/pages/_error.js",
	"/_next/server/pages/_error.js", "_error.js"}},
	{"~/assets/app.js?v=2",
	{"~/assets/app.js?v=2", "~/assets/app.js", "/assets/app.js?v=2", "/assets/app.js",
	"app.js"}},
	{"/assets/app.js", {"/assets/app.js", "~/assets/app.js", "app.js"}},
	{"//cdn.example.com/app.js", {"//cdn.example.com/app.js", "~/app.js", "/app.js", "app.js"}},
	{"https://example.com", {"https://example.com", NULL}},
	{"https://example.com/", {"https://example.com/", "~/", "/"}},
	{"https://example.com?x=/a/b", {"https://example.com?x=/a/b", "https://example.com"}},
	{"app.js", {"app.js"}},
	{"http://h/a/b.js?x=#y?z", {"http://h/a/b.js?x=#y?z", "http://h/a/b.js?x=", "http://h/a/b.js",
	"~/a/b.js?x=", "~/a/b.js", "/a/b.js?x=", "/a/b.js", "b.js"}},
	{"", {""}},
};

static void
test_candidates(void)
{
	for (size_t i = 0; i < sizeof(cand_cases) / sizeof(cand_cases[0]); i++)
	{
		const CandCase *c = &cand_cases[i];
		SmUrlCandidate got[SM_URL_MAX_CANDIDATES];
		int			n = sm_url_candidates(c->url, strlen(c->url), got);
		int			want_n = 0;

		while (want_n < SM_URL_MAX_CANDIDATES && c->want[want_n])
			want_n++;
		if (!tu_check(&counts, n == want_n, "candidates(%s): %d, expected %d", c->url, n, want_n))
			continue;
		for (int k = 0; k < n; k++)
		{
			char		buf[256];

			snprintf(buf, sizeof(buf), "%s%.*s", got[k].tilde ? "~" : "", (int) got[k].len,
					 got[k].ptr);
			tu_check(&counts, strcmp(buf, c->want[k]) == 0, "candidates(%s)[%d] = %s, expected %s",
					 c->url, k, buf, c->want[k]);
		}
	}
}

static void
test_strip_prefix(void)
{
	static const char *const cases[][2] = {
		{"webpack:///./src/a.js", "src/a.js"},
		{"webpack://my-app/./src/a.js", "src/a.js"},
		{"webpack:///src/a.js", "src/a.js"},
		{"webpack://_N_E/./pages/index.tsx", "pages/index.tsx"},
		{"webpack:///webpack/bootstrap", "webpack/bootstrap"},
		{"webpack:///../node_modules/x/index.js", "../node_modules/x/index.js"},
		{"webpack:///./././a.js", "a.js"},
		{"webpack://ns", "ns"},
		{"turbopack:///[project]/src/a.ts", "src/a.ts"},
		{"turbopack://app/[project]/src/a.ts", "src/a.ts"},
		{"turbopack:///[turbopack]/x.js", "[turbopack]/x.js"},
		{"./src/a.js", "src/a.js"},
		{"../src/a.js", "../src/a.js"},
		{"https://h/./a.js", "https://h/./a.js"},
		{"/abs/a.js", "/abs/a.js"},
		{"Webpack:///a.js", "Webpack:///a.js"},
		{"", ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const char *p;
		size_t		n;

		sm_url_strip_prefix(cases[i][0], strlen(cases[i][0]), &p, &n);
		tu_check(&counts, n == strlen(cases[i][1]) && memcmp(p, cases[i][1], n) == 0,
				 "strip_prefix(%s) = %s, expected %s", cases[i][0], tu_show(p, n, false),
				 cases[i][1]);
	}
}

int
main(void)
{
	test_resolve();
	test_resolve_edges();
	test_candidates();
	test_strip_prefix();
	return tu_finish("test_url", &counts);
}
