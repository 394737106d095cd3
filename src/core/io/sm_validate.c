/*
 * sm_validate.c -- the complete check of a stored value that arrives as
 * untrusted bytes (binary recv), above the reader because part of it needs
 * the layers above: the function table must be the one its own breakpoints
 * encode to (sm_functions.c), and the value's JSON form must fit
 * SM_MAX_DOCUMENT_BYTES (sm_json_out.c), so that what is stored can always
 * be written out and read back.
 */
#include "base/sm_limits.h"
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
		check_json_size(m, err);
	sm_close(m);
	return ok;
}
