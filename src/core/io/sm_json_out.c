/*
 * sm_json_out.c -- write a stored map back as canonical JSON: fixed member
 * order, absent members left out, strings escaped minimally, mappings
 * re-encoded from the sorted segments, then the members the value keeps
 * verbatim.  Reading the output back gives the same stored bytes, which is
 * what dump/restore and COPY rely on.
 */
#include <stdio.h>

#include "base/sm_buf.h"
#include "base/sm_mapwriter.h"
#include "format/sm_format.h"
#include "functions/sm_functions.h"
#include "io/sm_io.h"
#include "json/sm_json.h"

static bool
put(SmBuf *b, const char *s)
{
	return smb_append(b, s, strlen(s));
}

static bool
put_str(SmBuf *b, const SmStr *s)
{
	return s->isnull ? put(b, "null") : smb_json_string(b, s->ptr, s->len);
}

/* The VLQ "mappings" string from the segments in generated order. */
static bool
put_mappings(SmMap *m, SmBuf *b, uint32_t nlines, SmError *err)
{
	SmIter	   *it = sm_iter_begin(m, err);
	SmMapWriter w;
	SmMapping	s;
	int			rc;

	if (it == NULL)
		return false;
	smmw_init(&w, b);
	if (!put(b, "\""))
		goto fail;
	while ((rc = sm_iter_next(it, &s, err)) == 1)
	{
		if (!smmw_add(&w, s.gen_line, s.gen_col, s.source, s.orig_line, s.orig_col,
					  s.source == SM_NONE ? SM_MW_NONE : s.name))
			goto fail;
	}
	if (rc < 0)
		goto fail;
	sm_iter_end(it);
	return smmw_finish(&w, nlines) && put(b, "\"");
fail:
	sm_iter_end(it);
	return false;
}

/*
 * Do the kept members (len bytes of "key":value pairs, as sm_kept gives
 * them) include a `scopes` string?  Ingest derives a function table from
 * one unless `x_sourcemap_functions` is given.
 */
static bool
keeps_scopes(const SmEnv *env, const char *kept, uint32_t len, bool *has, SmError *err)
{
	char	   *obj = sm_alloc(env, (size_t) len + 2, err);
	SmJson		js;
	SmJsonTok	t;
	bool		ok = true;

	*has = false;
	if (obj == NULL)
		return false;
	obj[0] = '{';
	memcpy(obj + 1, kept, len);
	obj[len + 1] = '}';
	smj_init(&js, obj, (size_t) len + 2, err);
	js.what = "kept members";
	t = smj_next(&js);
	while (ok && !*has && (t = smj_next(&js)) == SMJ_KEY)
	{
		bool		named = smj_key_is(&js, "scopes");

		t = smj_next(&js);
		*has = named && t == SMJ_STRING;
		ok = smj_skip(&js, t);
	}
	sm_free(env, obj);
	return ok && t != SMJ_ERROR;
}

/* The whole document into b. */
static bool
write_json(SmMap *m, SmBuf *out, SmError *err)
{
	SmBuf		b = *out;
	SmInfo		info;
	bool		any_content = false;
	bool		ok = false;
	char		num[32];
	uint32_t	kept_flags = 0,
				kept_len = 0;
	char	   *kept = NULL;

	if (!sm_info(m, &info, err) || !sm_kept(m, &kept_flags, &kept, &kept_len, err) ||
		!put(&b, "{\"version\":3"))
		goto done;
	if (!info.file.isnull && (!put(&b, ",\"file\":") || !put_str(&b, &info.file)))
		goto done;
	if (!info.source_root.isnull &&
		(!put(&b, ",\"sourceRoot\":") || !put_str(&b, &info.source_root)))
		goto done;
	if (!put(&b, ",\"sources\":["))
		goto done;
	for (uint32_t i = 0; i < info.sources; i++)
	{
		SmStr		s;
		bool		has;

		if (!sm_source(m, i, &s, err) || (i && !put(&b, ",")) || !put_str(&b, &s) ||
			!sm_source_has_content(m, i, &has, err))
			goto done;
		any_content |= has;
	}
	if (!put(&b, "]"))
		goto done;
	if (any_content)
	{
		if (!put(&b, ",\"sourcesContent\":["))
			goto done;
		for (uint32_t i = 0; i < info.sources; i++)
		{
			char	   *text;
			uint32_t	len;
			bool		isnull;

			if ((i && !put(&b, ",")) || !sm_source_content(m, i, &text, &len, &isnull, err))
				goto done;
			ok = isnull ? put(&b, "null") : smb_json_string(&b, text, len);
			sm_free(sm_map_env(m), text);
			if (!ok)
				goto done;
			ok = false;
		}
		if (!put(&b, "]"))
			goto done;
	}
	if (!put(&b, ",\"names\":["))
		goto done;
	for (uint32_t i = 0; i < info.names; i++)
	{
		SmStr		s;

		if ((i & 0xFFFF) == 0)
			sm_check_interrupts(sm_map_env(m));
		if (!sm_name(m, i, &s, err) || (i && !put(&b, ",")) || !put_str(&b, &s))
			goto done;
	}
	if (!put(&b, "],\"mappings\":") || !put_mappings(m, &b, info.generated_lines, err))
		goto done;
	{
		bool		first = true;

		for (uint32_t i = 0; i < info.sources; i++)
		{
			if (!sm_source_ignored(m, i))
				continue;
			snprintf(num, sizeof(num), "%u", i);
			if (!put(&b, !first ? "," : (kept_flags & SM_KEPT_X_GOOGLE_IGNORE) ?
					 ",\"x_google_ignoreList\":[" : ",\"ignoreList\":[") || !put(&b, num))
				goto done;
			first = false;
		}
		if (!first && !put(&b, "]"))
			goto done;
	}
	if (info.has_debug_id)
	{
		char		uuid[40];
		const uint8_t *d = info.debug_id;

		snprintf(uuid, sizeof(uuid),
				 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
				 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
				 d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
		if (!put(&b, (kept_flags & SM_KEPT_DEBUG_ID_SNAKE) ? ",\"debug_id\":\"" : ",\"debugId\":\"") ||
			!put(&b, uuid) || !put(&b, "\""))
			goto done;
	}
	{
		const uint8_t *tab;
		uint32_t	tablen;
		bool		scopes = false;

		if (!sm_function_table(m, &tab, &tablen, err) ||
			(tablen > 0 && (!put(&b, ",\"x_sourcemap_functions\":") ||
							!sm_functions_to_json(tab, tablen, &b, err))))
			goto done;

		/*
		 * No table beside a kept `scopes` string (the generated code
		 * given at input, or an empty x_sourcemap_functions, named no
		 * function; or the field is malformed): say so, or reading the
		 * output back would take a table from `scopes`.
		 */
		if (tablen == 0 && kept_len > 0 &&
			(!keeps_scopes(sm_map_env(m), kept, kept_len, &scopes, err) ||
			 (scopes && !put(&b, ",\"x_sourcemap_functions\":[]"))))
			goto done;
	}
	if (kept_len > 0 && (!put(&b, ",") || !smb_append(&b, kept, kept_len)))
		goto done;
	ok = put(&b, "}");
done:
	sm_free(sm_map_env(m), kept);
	*out = b;
	return ok;
}

bool
sm_to_json(SmMap *m, size_t prefix, char **out, size_t *out_len, SmError *err)
{
	SmBuf		b;

	smb_init(&b, sm_map_env(m), err);
	if (!smb_reserve(&b, prefix + 64))
		return false;
	b.len = prefix;
	if (!write_json(m, &b, err) || !smb_append(&b, "", 1))
	{
		smb_free(&b);
		return false;
	}
	*out = (char *) b.data;
	*out_len = b.len - 1;		/* without the terminating NUL */
	return true;
}

bool
sm_json_size(SmMap *m, uint64_t *size, SmError *err)
{
	SmBuf		b;
	bool		ok;

	smb_init_counter(&b, sm_map_env(m), err);
	ok = write_json(m, &b, err);
	*size = smb_written(&b);
	smb_free(&b);
	return ok;
}
