/*
 * sm_validate.c -- the complete check of a stored value that arrives as
 * untrusted bytes (binary recv), above the reader because part of it needs
 * the layers above: the function table must be the one its own breakpoints
 * encode to (sm_functions.c), and the value's JSON form must fit
 * SM_MAX_DOCUMENT_BYTES (sm_json_out.c), so that what is stored can always
 * be written out and read back; and a value that keeps members of its
 * document (KEPT, SOURCE_FUNCTIONS) must be what its own JSON form builds.
 * A format version 3 value's content digest must be its content's
 * (format/sm_digest.h), since `=` and hashing trust it.
 */
#include <stdio.h>
#include <string.h>

#include "base/sm_limits.h"
#include "format/sm_digest.h"
#include "format/sm_reader.h"
#include "functions/sm_functions.h"
#include "io/sm_io.h"

/* The function table, when there is one, is canonical. */
static bool
check_functions(SmMap *m, const SmEnv *env, SmError *err)
{
	const uint8_t *tab;
	uint32_t	len;

	if (!sm_function_table(m, &tab, &len, err))
		return false;
	return len == 0 || sm_functions_check(tab, len, env, err);
}

/* The JSON form fits the limit on documents (see sm_build). */
static bool
check_json_size(SmMap *m, SmError *err)
{
	uint64_t	size = 0;

	if (!sm_json_size(m, &size, err))
		return false;
	if (size > SM_MAX_DOCUMENT_BYTES)
		return sm_fail(err, SM_E_LIMIT, "its JSON form would have %llu bytes, more than the %u allowed",
					   (unsigned long long) size, SM_MAX_DOCUMENT_BYTES);
	return true;
}

/*
 * The members a value keeps verbatim (and the function tables decoded from
 * one of them) are checked the one way that cannot drift from ingest: the
 * value's JSON form must build back to this content (sm_content_cmp: the
 * parts may be compressed by another library or level).  Values without
 * kept members skip this.
 */
static bool
check_kept(SmMap *m, const uint8_t *data, size_t len, const SmEnv *env, SmError *err)
{
	uint32_t	flags,
				klen,
				sflen;
	char	   *text,
			   *json = NULL;
	const uint8_t *sf;
	uint8_t    *again = NULL;
	size_t		json_len = 0,
				again_len = 0;
	bool		ok;

	if (!sm_kept(m, &flags, &text, &klen, err) || !sm_source_function_tables(m, &sf, &sflen, err))
		return false;
	sm_free(env, text);
	if (text == NULL && flags == 0 && sflen == 0)
		return true;
	ok = sm_to_json(m, 0, &json, &json_len, err) &&
		sm_build(json, json_len, env, 0, &again, &again_len, err);
	if (ok)
	{
		int			c = 1;

		/* the same content: the parts may have been compressed otherwise */
		ok = sm_content_cmp(again, again_len, data, len, env, &c, err);
		sm_free(env, again);	/* sm_build gives nothing to free when it fails */
		if (ok && c != 0)
			ok = sm_fail(err, SM_E_BINARY, "the kept members do not build this value again");
	}
	else if (err->code != SM_E_NOMEM)
	{
		char		detail[SM_ERROR_MSG_MAX];

		snprintf(detail, sizeof(detail), "%s", err->msg);
		ok = sm_fail(err, SM_E_BINARY, "the kept members do not read back: %s", detail);
	}
	sm_free(env, json);
	return ok;
}

bool
sm_validate(const uint8_t *data, size_t len, const SmEnv *env, SmError *err)
{
	SmMap	   *m = sm_open_buffer(env, data, len, err);
	bool		ok;

	if (m == NULL)
		return false;
	ok = sm_check_checksum(m, err) &&
		sm_check_blocks(m, err) &&
		check_functions(m, env, err) &&
		sm_check_strings(m, err) &&
		check_json_size(m, err) &&
		sm_digest_check(data, len, env, err) &&
		check_kept(m, data, len, env, err);
	sm_close(m);
	return ok;
}
