/*
 * make_seeds.c -- write the seed corpora of fuzz_binary and fuzz_lookup.
 *
 *   make_seeds JSON_DIR BINARY_DIR LOOKUP_DIR [SWEEP_DIR [TEXT_DIR]]
 *
 * For every map in JSON_DIR that sm_build accepts (and whose stored form
 * fits fuzz_binary's max_len), BINARY_DIR gets its stored bytes as they
 * are (<name>.smap) and behind the 0xFC marker (fixsum-<name>, so that
 * libFuzzer's mutations of it get a correct checksum and reach the
 * decoders); the three smallest maps with sources and names also get a
 * 0xFA allocation-failure sweep seed, written to SWEEP_DIR (default
 * BINARY_DIR).  Then structured seeds: mutate-mode
 * inputs for every embedded map of fuzz_binary, synthesize-mode inputs,
 * and fuzz_lookup inputs, all from a fixed PRNG, so the output is the same
 * on every run; with TEXT_DIR, hand-written fuzz_text inputs (stack traces,
 * JavaScript, a source text, scopes fields).  Run by `make seeds`; the output is committed.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "sm_core.h"

#define BINARY_MAX_LEN 16384
#define NSEED_MAPS 7			/* the embedded maps of fuzz_binary's mutate mode */

static uint64_t rng = 0x5EED5EED12345678ull;

static uint8_t
rnd(void)
{
	uint64_t	z;

	rng += 0x9E3779B97F4A7C15ull;
	z = rng;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (uint8_t) (z ^ (z >> 31));
}

static void
write_file(const char *dir, const char *name, const uint8_t *pre, size_t npre,
		   const uint8_t *data, size_t n)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(pre, 1, npre, f) != npre || fwrite(data, 1, n, f) != n ||
		fclose(f) != 0)
	{
		perror(path);
		exit(1);
	}
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		perror(path);
		exit(1);
	}
	buf = malloc((size_t) n + 1);
	if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t) n;
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

typedef struct Small
{
	char		name[256];
	size_t		len;
} Small;

int
main(int argc, char **argv)
{
	DIR		   *d;
	struct dirent *de;
	char	  **names = NULL;
	size_t		n = 0,
				cap = 0,
				built = 0;
	Small		small[3];
	int			nsmall = 0;

	if (argc < 4 || argc > 6)
	{
		fprintf(stderr, "usage: %s JSON_DIR BINARY_DIR LOOKUP_DIR [SWEEP_DIR [TEXT_DIR]]\n", argv[0]);
		return 2;
	}
	d = opendir(argv[1]);
	if (d == NULL)
	{
		perror(argv[1]);
		return 1;
	}
	while ((de = readdir(d)) != NULL)
	{
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 128;
			names = realloc(names, cap * sizeof(char *));
			if (names == NULL)
				return 1;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_str);

	memset(small, 0, sizeof(small));
	for (size_t i = 0; i < n; i++)
	{
		char		path[1024];
		char		out[1100];
		size_t		len,
					vlen;
		char	   *json;
		uint8_t    *v = NULL;
		SmError		err;
		static const uint8_t fixsum = 0xFC;

		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		json = read_file(path, &len);
		memset(&err, 0, sizeof(err));
		if (sm_build(json, len, &sm_malloc_env, 0, &v, &vlen, &err) && vlen <= BINARY_MAX_LEN)
		{
			SmMap	   *m = sm_open_buffer(&sm_malloc_env, v, vlen, &err);
			SmInfo		info;

			snprintf(out, sizeof(out), "%s.smap", names[i]);
			write_file(argv[2], out, NULL, 0, v, vlen);
			snprintf(out, sizeof(out), "fixsum-%s", names[i]);
			write_file(argv[2], out, &fixsum, 1, v, vlen);
			built++;
			/* the three smallest with sources and names get a sweep seed */
			if (m && sm_info(m, &info, &err) && info.sources > 0 && info.names > 0)
			{
				int			slot = nsmall < 3 ? nsmall++ : -1;

				if (slot < 0)
					for (int k = 0; k < 3; k++)
						if (small[k].len > vlen && (slot < 0 || small[k].len > small[slot].len))
							slot = k;
				if (slot >= 0)
				{
					snprintf(small[slot].name, sizeof(small[slot].name), "%s", names[i]);
					small[slot].len = vlen;
				}
			}
			sm_close(m);
		}
		sm_malloc_env.free(NULL, v);
		free(json);
	}
	/* maps with their generated JavaScript after a NUL (sm_build_with_source) */
	{
		static const char *const with_source[][2] = {
			{"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"outer\",\"inner\"],"
				"\"mappings\":\"AAAA,SAASA,aAAaC;AACb,IAAI\"}",
			"function f(){return function g(){}}\nvar h=()=>1;"},
			{"{\"version\":3,\"sources\":[\"b.ts\"],\"names\":[\"Widget\",\"render\"],"
				"\"mappings\":\"AAAA,MAAMA,CAAC,GAAGC\"}",
			"class A{b(){}}o={k:function(){},get v(){return 1}};"},
		};

		for (size_t k = 0; k < sizeof(with_source) / sizeof(with_source[0]); k++)
		{
			char		out[64];
			size_t		jl = strlen(with_source[k][0]),
						sl = strlen(with_source[k][1]);
			uint8_t    *buf = malloc(jl + 1 + sl);

			if (buf == NULL)
				return 1;
			memcpy(buf, with_source[k][0], jl);
			buf[jl] = 0;
			memcpy(buf + jl + 1, with_source[k][1], sl);
			snprintf(out, sizeof(out), "with-source-%zu", k);
			write_file(argv[1], out, NULL, 0, buf, jl + 1 + sl);
			free(buf);
		}
	}

	/* a map whose scopes field inlines functions (test/unit/test_inline.c), for sm_inline */
	{
		static const char inline_map[] =
			"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"outer\",\"inner\",\"helper\"],"
			"\"mappings\":\"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC\",\"scopes\":\"BAAA,BFBAA,CDB,"
			"BFBAC,CDB,BFBAC,CAe,CBA,EGAC,ECKC,IACE,EKCC,IAGC,FD,FF,Fe,EEK,FK,ECKD,IAAF,FF\"}";

		write_file(argv[1], "scopes-inline", NULL, 0, (const uint8_t *) inline_map,
				   strlen(inline_map));
	}

	/* the sweep maps also as gzip and zlib documents, for fuzz_json's inflate path */
	for (int k = 0; k < nsmall; k++)
	{
		char		path[1024];
		char		out[1100];
		size_t		len;
		char	   *json;

		snprintf(path, sizeof(path), "%s/%s", argv[1], small[k].name);
		json = read_file(path, &len);
		for (int gz = 0; gz < 2; gz++)
		{
			z_stream	zs;
			uint8_t		buf[65536];

			memset(&zs, 0, sizeof(zs));
			if (deflateInit2(&zs, 9, Z_DEFLATED, gz ? 31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
				return 1;
			zs.next_in = (Bytef *) json;
			zs.avail_in = (uInt) len;
			zs.next_out = buf;
			zs.avail_out = sizeof(buf);
			if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
				return 1;
			snprintf(out, sizeof(out), "%s-%s", gz ? "gzip" : "zlib", small[k].name);
			write_file(argv[1], out, NULL, 0, buf, zs.total_out);
			deflateEnd(&zs);
		}
		free(json);
	}
	for (int k = 0; k < nsmall; k++)
	{
		char		path[1024];
		char		out[1100];
		size_t		len,
					vlen;
		char	   *json;
		uint8_t    *v = NULL;
		SmError		err;
		static const uint8_t sweep = 0xFA;

		snprintf(path, sizeof(path), "%s/%s", argv[1], small[k].name);
		json = read_file(path, &len);
		if (sm_build(json, len, &sm_malloc_env, 0, &v, &vlen, &err))
		{
			snprintf(out, sizeof(out), "sweep-%s", small[k].name);
			write_file(argc > 4 ? argv[4] : argv[2], out, &sweep, 1, v, vlen);
			sm_malloc_env.free(NULL, v);
		}
		free(json);
	}

	/* mutate mode: each embedded map untouched, then with a few random ops */
	for (int s = 0; s < NSEED_MAPS; s++)
		for (int k = 0; k < 4; k++)
		{
			uint8_t		buf[64];
			size_t		len = 3;
			char		out[64];

			buf[0] = 0xFE;
			buf[1] = (uint8_t) s;
			buf[2] = 0;
			if (k > 0)
				for (int j = 0; j < 4 * k; j++)
					buf[len++] = rnd();
			snprintf(out, sizeof(out), "mutate-%d-%d", s, k);
			write_file(argv[2], out, NULL, 0, buf, len);
		}
	/* synthesize mode: descriptions of assorted lengths */
	for (int k = 0; k < 24; k++)
	{
		uint8_t		buf[256];
		size_t		len = 1 + 24 + (size_t) k * 9;
		char		out[64];

		buf[0] = 0xFD;
		for (size_t j = 1; j < len; j++)
			buf[j] = rnd();
		buf[1] &= 0x1F;			/* the first ones well-formed: few header surprises */
		snprintf(out, sizeof(out), "synth-%02d", k);
		write_file(argv[2], out, NULL, 0, buf, len);
	}

	/* fuzz_lookup: flags x a few segment descriptions */
	for (int k = 0; k < 32; k++)
	{
		uint8_t		buf[160];
		size_t		len = 2 + 8 + (size_t) k * 4;
		char		out[64];

		for (size_t j = 0; j < len; j++)
			buf[j] = rnd();
		buf[0] = (uint8_t) (k & 0x3F);	/* every combination of the flag bits */
		snprintf(out, sizeof(out), "lookup-%02d", k);
		write_file(argv[3], out, NULL, 0, buf, len);
	}
	/* fuzz_text: one selector byte (parser), then the text */
	if (argc > 5)
	{
		static const struct
		{
			uint8_t		sel;
			const char *name;
			const char *text;
		}			texts[] =
		{
			{0, "stack-v8",
				"TypeError: Cannot read properties of undefined (reading 'x')\n"
				"    at renderList (https://app.example.com/static/js/main.3f2a.js:2:10457)\n"
				"    at HTMLButtonElement.<anonymous> (https://app.example.com:8443/assets/vendor.js:1:2044)\n"
				"    at new Widget (https://a.example/m.js:2:500)\n"
				"    at https://a.example/m.js:2:77\n"
				"    at Array.forEach (<anonymous>)\n"
				"    at async Promise.all (index 0)\n"
				"    at async loadAll (https://a.example/chunk(1).js:1:900)\n"
				"    at eval (eval at compile (https://a.example/m.js:2:3000), <anonymous>:1:15)\n"
				"    at Foo.bar [as baz] (webpack-internal:///./src/foo.ts:12:7)\n"
				"    at Object.openSync (node:fs:601:3)\n"
				"    at C:\\app\\a.js:1:2\n"},
			{0, "stack-firefox",
				"render@https://a.example/m.js:2:10457\n"
				"async*loadAll@https://a.example/m.js:1:900\n"
				"@https://a.example/m.js:2:77\n"
				"global code@https://a.example/m.js:1:1\n"
				"f@[native code]\n"
				"g@https://a.example/m.js line 2 > eval:1:15\n"
				"promise callback*h@https://a.example/m.js:3:4\n"},
			{0, "stack-safari-bare", "Error: boom\r\nhttps://a.example/m.js:10:5\r\n\r\n... 3 more frames\n"},
			{0, "stack-hermes",
				"TypeError: undefined is not a function\n"
				"    at onPress (address at index.android.bundle:1:9876)\n"
				"    at apply (native)\n"
				"    at f (InternalBytecode.js:1:1234)\n"
				"    at global (index.android.bundle:1:234)\n"},
			{0, "stack-v8-eval",
				"Error: invalid\n"
				"    at O.v [as validate] (eval at c (https://a.example/b.js:4:27458), <anonymous>:3:278)\n"
				"    at r (eval at a (eval at b (eval at c (/t.js:9:8), <anonymous>:7:6), <anonymous>:5:4), <anonymous>:3:2)\n"
				"    at f (eval at g (/b.js:1:2))\n"
				"    at h (eval at k ((/c.js:5:6), <anonymous>:1:2)\n"},
			{1, "refs",
				"var a=1;\n//# sourceMappingURL=main.js.map\n"
				"/*# sourceMappingURL=data:application/json;base64,e30= */\n"
				"//# debugId=85314830-023f-4cf1-a267-535f4e37bb17\n"},
			{1, "refs-code-after", "//@ sourceMappingURL=a.map\u2028x = 1\n"},
			{2, "js-functions",
				"function f(a){return function(){}}\nvar g=async (x)=>x+1,h=function*(){};\n"
				"a.b.c=function(){};o={k(){},get v(){return 1},[\"s\"]:()=>{},1:function(){}};\n"
				"class A extends B{constructor(){super()}static m(){}#p(){}}\n"
				"x=`t${()=>1}`;y=/re[/]/g;z='()=>{';/* function(){} */ // () => {}\n"},
			{2, "js-webpack",
				"(()=>{var e={123:(e,t,n)=>{\"use strict\";n.d(t,{Z:()=>r});const r=function(e){return e}}};"
				"function t(n){var r=e[n];return r}})();"},
			{3, "functab-empty", "SMSC\x01"},
			{4, "context",
				"line one\nline two\r\nline three\rline four\xe2\x80\xa8line five\n"
				"a very long line xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				"\xf0\x9f\x98\x80\xc3\xa9 end\n"},
			{5, "scopes-regular",
				"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],\"mappings\":\"\","
				"\"scopes\":\"BHAAAC,CKA,EGCA,FK\"}"},
			{5, "scopes-index",
				"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":5},\"map\":"
				"{\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],\"scopes\":\"BHAAAC,CKA,EGCA,FK\"}},"
				"{\"map\":{\"sources\":[\"b.js\"],\"names\":[\"g\"],\"scopes\":\"BFAAA,CKA,EGCA,FK\"},"
				"\"offset\":{\"column\":0,\"line\":4}}]}"},
			{5 + 6 * 10, "scopes-raw", "BHAAAC,CKA,EGCA,FK"},
		};

		for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		{
			char		out[64];

			snprintf(out, sizeof(out), "%d-%s", texts[k].sel % 6, texts[k].name);
			write_file(argv[5], out, &texts[k].sel, 1, (const uint8_t *) texts[k].text,
					   strlen(texts[k].text));
		}
	}
	printf("make_seeds: %zu stored maps, %d sweep seeds, %d mutate, 24 synthesize, 32 lookup seeds\n",
		   built, nsmall, NSEED_MAPS * 4);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}
