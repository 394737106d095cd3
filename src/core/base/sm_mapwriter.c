/*
 * sm_mapwriter.c -- the "mappings" string writer of sm_mapwriter.h.
 */
#include "base/sm_mapwriter.h"
#include "base/sm_vlq.h"

void
smmw_init(SmMapWriter *w, SmBuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first_in_line = true;
}

/* n line separators, in pieces: hostile values have runs of 2^30 */
static bool
put_semicolons(SmBuf *b, uint32_t n)
{
	while (n > 0)
	{
		uint32_t	k = n < 65536 ? n : 65536;

		if (!smb_reserve(b, k))
			return false;
		memset(b->data + b->len, ';', k);
		b->len += k;
		n -= k;
		sm_check_interrupts(b->env);
	}
	return true;
}

bool
smmw_add(SmMapWriter *w, uint32_t line, uint32_t col, uint32_t src, uint32_t oline,
		 uint32_t ocol, uint32_t name)
{
	SmBuf	   *b = w->out;
	char	   *p;

	if ((++w->count & 0xFFFF) == 0)
		sm_check_interrupts(b->env);
	if (w->line < line)
	{
		if (!put_semicolons(b, line - w->line))
			return false;
		w->line = line;
		w->col = 0;
		w->first_in_line = true;
	}
	if (!smb_reserve(b, 40))
		return false;
	p = (char *) b->data + b->len;
	if (!w->first_in_line)
		*p++ = ',';
	w->first_in_line = false;
	p += sm_vlq_encode((int64_t) col - w->col, p);
	w->col = col;
	if (src != SM_MW_NONE)
	{
		p += sm_vlq_encode((int64_t) src - w->src, p);
		p += sm_vlq_encode((int64_t) oline - w->oline, p);
		p += sm_vlq_encode((int64_t) ocol - w->ocol, p);
		w->src = src;
		w->oline = oline;
		w->ocol = ocol;
		if (name != SM_MW_NONE)
		{
			p += sm_vlq_encode((int64_t) name - w->name, p);
			w->name = name;
		}
	}
	b->len = (size_t) ((uint8_t *) p - b->data);
	return true;
}

bool
smmw_finish(SmMapWriter *w, uint32_t nlines)
{
	return w->line + 1 >= nlines || put_semicolons(w->out, nlines - 1 - w->line);
}
