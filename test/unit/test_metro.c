/*
 * test_metro.c -- React Native maps made by the real tools
 * (test/data/metro: metro-source-map's packager map with
 * x_facebook_sources, and the Hermes map composed with it by
 * composeSourceMaps) against metro-symbolicate's answers, precomputed by
 * test/data/metro/make.js: at every segment's position and the column
 * after it, the lookup gives the same source, line, column and name, and
 * sm_frame_function the same function name (SourceMetadataMapConsumer's).
 * Also: x_facebook_sources that is malformed is refused with a message
 * saying what and where; a name from it wins over the function table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static TuCounts total;

/* "-" for none */
static bool
same_text(const char *want, const char *got, size_t got_len, bool got_none)
{
	if (strcmp(want, "-") == 0)
		return got_none;
	return !got_none && strlen(want) == got_len && memcmp(want, got, got_len) == 0;
}

/* One map and its metro-symbolicate answers; returns the rows compared. */
static long
check_map(const char *dir, const char *map_file)
{
	char	   *map_path = tu_path(dir, map_file);
	char		tsv_name[256];
	char	   *tsv_path;
	char	   *text;
	size_t		len;
	TuMap		m;
	SmError		err = {0};
	long		rows = 0;

	snprintf(tsv_name, sizeof(tsv_name), "%s.symbolicate.tsv", map_file);
	tsv_path = tu_path(dir, tsv_name);
	text = tu_read_file(tsv_path, &len);
	if (tu_check(&total, text != NULL, "cannot read %s", tsv_path) &&
		tu_check(&total, tu_map_build_file(map_path, &m, &err), "%s: %s", map_file, err.msg))
	{
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		{
			unsigned	gl,
						gc;
			char		source[256],
						oline[32],
						ocol[32],
						name[256],
						func[256];
			SmMapping	s;
			SmStr		str = {0};
			bool		anonymous = false;
			int			r;

			if (line[0] == '#' ||
				sscanf(line, "%u\t%u\t%255[^\t]\t%31[^\t]\t%31[^\t]\t%255[^\t]\t%255[^\t]", &gl, &gc,
					   source, oline, ocol, name, func) != 7)
				continue;
			rows++;
			r = sm_lookup(m.map, gl, gc, SM_BIAS_GLB, &s, &err);
			if (strcmp(source, "-") == 0)
				tu_check(&total, r == 0 || (r == 1 && s.source == SM_NONE),
						 "%s %u:%u: metro-symbolicate finds nothing, the lookup does", map_file, gl, gc);
			else if (tu_check(&total, r == 1 && s.source != SM_NONE, "%s %u:%u: no segment", map_file, gl, gc))
			{
				bool		ok = true;
				char	   *src = tu_resolved_source(m.map, s.source, &ok, &err);
				char		got[64];

				tu_check(&total, ok && src && strcmp(src, source) == 0, "%s %u:%u: source %s, want %s",
						 map_file, gl, gc, src ? src : "(null)", source);
				snprintf(got, sizeof(got), "%u\t%u", s.orig_line, s.orig_col);
				tu_check(&total, strtoul(oline, NULL, 10) == s.orig_line &&
						 strtoul(ocol, NULL, 10) == s.orig_col,
						 "%s %u:%u: position %s, want %s:%s", map_file, gl, gc, got, oline, ocol);
				if (s.name != SM_NONE)
					ok = sm_name(m.map, s.name, &str, &err);
				tu_check(&total, ok && same_text(name, str.ptr, str.len, s.name == SM_NONE),
						 "%s %u:%u: name differs (want %s)", map_file, gl, gc, name);
				free(src);
			}
			r = sm_frame_function(m.map, gl, gc, &str, &anonymous, &err);
			tu_check(&total, r >= 0 && same_text(func, str.ptr, str.len, r == 0 || anonymous),
					 "%s %u:%u: function %s, want %s", map_file, gl, gc,
					 r == 1 ? tu_show(str.ptr, str.len, false) : "(none)", func);
		}
		tu_map_free(&m);
	}
	printf("  %s: %ld positions compared with metro-symbolicate\n", map_file, rows);
	free(text);
	free(tsv_path);
	free(map_path);
	return rows;
}

/* Malformed x_facebook_sources: refused, the message names the place. */
static void
check_errors(void)
{
	static const struct
	{
		const char *fb;
		const char *want;
	}			cases[] = {
		{"{}", "\"x_facebook_sources\" must be an array at byte 78"},
		{"[1]", "\"x_facebook_sources[0]\" is neither null nor an array at byte 79"},
		{"[null,null,null]", "has more entries than \"sources\" at byte 89"},
		{"[[7]]", "\"x_facebook_sources[0]\" has a function map that is neither null nor an object at byte 80"},
		{"[[{\"names\":[\"f\"]}]]", "has a function map without \"mappings\" at byte 80"},
		{"[[{\"names\":\"f\",\"mappings\":\"AAA\"}]]", "has \"names\" that is not an array at byte 89"},
		{"[[{\"names\":[1],\"mappings\":\"AAA\"}]]", "has a name that is not a string at byte 90"},
		{"[[{\"names\":[\"f\"],\"mappings\":7}]]", "has \"mappings\" that is not a string at byte 106"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"A!A\"}]]",
		"has an invalid VLQ in mappings segment 0 (mappings byte 1) at byte 106"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"AC\"}]]",
		"has a mappings segment 0 whose name index 1 is not in \"names\" at byte 106"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"AAA,D\"}]]", "has a mappings segment 1 with 1 fields (2 or 3 belong)"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"AAAAA\"}]]", "has a mappings segment 0 with more than 3 fields"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"AAC;AAD\"}]]", "has a mappings segment 1 before the previous one"},
		{"[[{\"names\":[\"f\"],\"mappings\":\"AAD\"}]]", "at a negative or too large line or column"},
		{"[[{\"names\":[\"f\",\"g\"],\"mappings\":\"AAA,,CC\"}]]", "has a mappings segment 1 with 0 fields"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		json[512];
		TuMap		m;
		SmError		err = {0};
		bool		built;

		snprintf(json, sizeof(json),
				 "{\"version\":3,\"sources\":[\"a.js\",\"b.js\"],\"mappings\":\"AAAA\",\"x_facebook_sources\":%s}",
				 cases[i].fb);
		built = tu_map_build(json, strlen(json), &m, &err);
		if (built)
			tu_map_free(&m);
		tu_check(&total, !built && err.code == SM_E_SYNTAX && strstr(err.msg, cases[i].want) != NULL,
				 "x_facebook_sources %s: got \"%s\", want \"%s\"", cases[i].fb, built ? "(accepted)" : err.msg,
				 cases[i].want);
	}
}

/* A Metro name wins over the map's own function table; an empty one does not. */
static void
check_precedence(void)
{
	const char *json =
		"{\"version\":3,\"sources\":[\"a.js\",\"b.js\"],\"mappings\":\"AAAA,EAAE,ECAA\","
		"\"x_sourcemap_functions\":[[0,0,\"fromTable\"],[0,9,null]],"
		"\"x_facebook_sources\":[[{\"names\":[\"\",\"metroName\"],\"mappings\":\"AAA,CC\"}],[null]]}";
	TuMap		m;
	SmError		err = {0};
	SmStr		name = {0};
	bool		anon = false;
	int			r;

	if (!tu_check(&total, tu_map_build(json, strlen(json), &m, &err), "precedence map: %s", err.msg))
		return;
	/* 0:0 -> a.js 0:0, Metro's name there is empty: the table's */
	r = sm_frame_function(m.map, 0, 0, &name, &anon, &err);
	tu_check(&total, r == 1 && same_text("fromTable", name.ptr, name.len, false), "0:0: want fromTable");
	/* 0:2 -> a.js 0:2, in metroName */
	r = sm_frame_function(m.map, 0, 2, &name, &anon, &err);
	tu_check(&total, r == 1 && same_text("metroName", name.ptr, name.len, false), "0:2: want metroName");
	/* 0:4 -> b.js (no function map): the table's */
	r = sm_frame_function(m.map, 0, 4, &name, &anon, &err);
	tu_check(&total, r == 1 && same_text("fromTable", name.ptr, name.len, false), "0:4: want fromTable");
	/* past the table's function, b.js: nothing */
	r = sm_frame_function(m.map, 0, 12, &name, &anon, &err);
	tu_check(&total, r == 0, "0:12: want no function, got %d", r);
	r = sm_source_function_at(m.map, 0, 5, 1, &name, &err);
	tu_check(&total, r == 1 && same_text("metroName", name.ptr, name.len, false), "a.js 5:1: want metroName");
	r = sm_source_function_at(m.map, 7, 0, 0, &name, &err);
	tu_check(&total, r == 0, "source 7: want nothing, got %d", r);
	tu_map_free(&m);
}

int
main(void)
{
	char	   *dir = tu_path(tu_test_dir(), "data/metro");
	long		n = check_map(dir, "index.bundle.js.map") + check_map(dir, "index.android.bundle.map");

	tu_check(&total, n > 500, "only %ld positions compared", n);
	check_errors();
	check_precedence();
	free(dir);
	return tu_finish("metro", &total);
}
