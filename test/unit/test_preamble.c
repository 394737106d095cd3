/*
 * test_preamble.c -- unit test of what may come before the JSON of a map
 * as servers deliver it (sm_doc.c): a UTF-8 byte order mark, and the
 * anti-XSSI first line starting with )]}' that ECMA-426's fetching
 * algorithm removes.  Each accepted form must give the same stored bytes as
 * the bare document; the rejected forms must name the byte at fault,
 * counted from the first byte of the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static TuCounts counts;

#define MAP "{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"AAAA\"}"

/* Build doc (len bytes) and compare its stored form with the bare MAP's. */
static void
expect_same(const char *what, const char *doc, size_t len)
{
	TuMap		bare,
				got;
	SmError		err = {0};

	if (!tu_check(&counts, tu_map_build(MAP, strlen(MAP), &bare, &err), "bare map: %s", err.msg))
		return;
	if (tu_check(&counts, tu_map_build(doc, len, &got, &err), "%s: rejected: %s", what, err.msg))
	{
		tu_check(&counts, got.len == bare.len && memcmp(got.data, bare.data, bare.len) == 0,
				 "%s: stored form differs from the bare document's", what);
		tu_map_free(&got);
	}
	tu_map_free(&bare);
}

/* Build doc and expect a syntax error whose message contains want. */
static void
expect_error(const char *what, const char *doc, size_t len, const char *want)
{
	TuMap		got;
	SmError		err = {0};

	if (tu_map_build(doc, len, &got, &err))
	{
		tu_check(&counts, false, "%s: accepted", what);
		tu_map_free(&got);
		return;
	}
	tu_check(&counts, err.code == SM_E_SYNTAX && strstr(err.msg, want) != NULL,
			 "%s: error %d \"%s\", expected one containing \"%s\"", what, (int) err.code, err.msg,
			 want);
}

#define BOM "\xEF\xBB\xBF"
#define SAME(what, doc) expect_same(what, doc, sizeof(doc) - 1)
#define ERROR(what, doc, want) expect_error(what, doc, sizeof(doc) - 1, want)

int
main(void)
{
	SAME("prefix and LF", ")]}'\n" MAP);
	SAME("prefix and CRLF", ")]}'\r\n" MAP);
	SAME("prefix and CR", ")]}'\r" MAP);
	SAME("prefix with more on its line", ")]}',garbage \"{[\n" MAP);
	SAME("BOM", BOM MAP);
	SAME("BOM then prefix", BOM ")]}'\n" MAP);
	SAME("prefix, then whitespace before the JSON", ")]}'\n \t\n" MAP);
	/* the first line goes whole; the next one is JSON again */
	ERROR("prefix twice", ")]}'\n)]}'\n" MAP, "at byte 5");
	ERROR("prefix without a line break", ")]}'", "at byte 4");
	ERROR("prefix without a line break, a map on its line", ")]}' " MAP, "at byte");
	ERROR("prefix then BOM", ")]}'\n" BOM MAP, "at byte 5");
	ERROR("two BOMs", BOM BOM MAP, "at byte 3");
	ERROR("prefix after whitespace", " )]}'\n" MAP, "at byte 1");
	ERROR("prefix in the middle", "{\"version\":3, )]}'\n\"sources\":[]}", "at byte 14");
	ERROR("a partial prefix", ")]}\n" MAP, "at byte 0");
	ERROR("a BOM alone", BOM, "at byte 3");
	ERROR("half a BOM", "\xEF\xBB" MAP, "at byte 0");
	return tu_finish("test_preamble", &counts);
}
