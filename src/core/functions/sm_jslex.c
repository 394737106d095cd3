/*
 * sm_jslex.c -- the lexer of sm_jslex.h.  It skips whitespace and
 * comments and keeps the generated position of every token.  Whether a `/`
 * starts a regular expression is decided from the previous token, as the
 * language grammar implies: after an operand (identifier, literal, `)`,
 * `]`, the `}` of an expression) it divides, elsewhere it starts a literal.
 */
#include <string.h>

#include "functions/sm_jslex.h"

static const struct
{
	const char *word;
	uint8_t		len;
	uint8_t		kw;
}			keywords[] =
{
	{"if", 2, KW_IF}, {"in", 2, KW_IN}, {"do", 2, KW_DO},
	{"for", 3, KW_FOR}, {"get", 3, KW_GET}, {"set", 3, KW_SET}, {"try", 3, KW_TRY},
	{"new", 3, KW_RESERVED}, {"var", 3, KW_RESERVED},
	{"this", 4, KW_THIS}, {"null", 4, KW_NULL}, {"true", 4, KW_TRUE}, {"else", 4, KW_ELSE},
	{"with", 4, KW_WITH}, {"case", 4, KW_RESERVED}, {"void", 4, KW_RESERVED},
	{"enum", 4, KW_RESERVED},
	{"async", 5, KW_ASYNC}, {"super", 5, KW_SUPER}, {"false", 5, KW_FALSE},
	{"while", 5, KW_WHILE}, {"catch", 5, KW_CATCH}, {"class", 5, KW_CLASS},
	{"const", 5, KW_RESERVED}, {"throw", 5, KW_RESERVED}, {"yield", 5, KW_RESERVED},
	{"await", 5, KW_RESERVED}, {"break", 5, KW_RESERVED},
	{"static", 6, KW_STATIC}, {"switch", 6, KW_SWITCH}, {"export", 6, KW_EXPORT},
	{"return", 6, KW_RESERVED}, {"typeof", 6, KW_RESERVED}, {"delete", 6, KW_RESERVED},
	{"import", 6, KW_RESERVED}, {"public", 6, KW_MODIFIER},
	{"finally", 7, KW_FINALLY}, {"extends", 7, KW_EXTENDS}, {"default", 7, KW_RESERVED},
	{"private", 7, KW_MODIFIER}, {"declare", 7, KW_MODIFIER},
	{"function", 8, KW_FUNCTION}, {"continue", 8, KW_RESERVED}, {"debugger", 8, KW_RESERVED},
	{"readonly", 8, KW_MODIFIER}, {"abstract", 8, KW_MODIFIER}, {"override", 8, KW_MODIFIER},
	{"accessor", 8, KW_MODIFIER},
	{"protected", 9, KW_MODIFIER},
	{"instanceof", 10, KW_INSTANCEOF},
	{"constructor", 11, KW_CONSTRUCTOR}
};

/* Keyword code of an identifier's bytes. */
static uint8_t
keyword_of(const uint8_t *s, uint32_t len)
{
	size_t		i;

	if (len < 2 || len > 11)
		return KW_NONE;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
	{
		if (keywords[i].len == len && keywords[i].word[0] == (char) s[0] &&
			memcmp(keywords[i].word, s, len) == 0)
			return keywords[i].kw;
	}
	return KW_NONE;
}

/* ---- lexer --------------------------------------------------------------- */

/* Consume one byte, keeping the line and UTF-16 column. */
static inline void
step(SmJsLex *lx)
{
	uint8_t		c = lx->s[lx->pos++];

	if (c == '\n')
	{
		lx->line++;
		lx->col = 0;
	}
	else if (c == '\r')
	{
		if (!(lx->pos < lx->len && lx->s[lx->pos] == '\n'))
		{
			lx->line++;
			lx->col = 0;
		}
	}
	else if ((c & 0xC0) != 0x80)
		lx->col += (c >= 0xF0) ? 2 : 1;
	if ((lx->pos & 0xFFFFF) == 0)
		sm_check_interrupts(lx->env);
}

/* Consume n bytes. */
static void
step_n(SmJsLex *lx, uint32_t n)
{
	while (n-- > 0 && lx->pos < lx->len)
		step(lx);
}

/* The byte k positions ahead, or -1 past the end. */
static inline int
peek(const SmJsLex *lx, uint32_t k)
{
	return (lx->len - lx->pos > k) ? lx->s[lx->pos + k] : -1;
}

/* Byte length of a non-ASCII whitespace character at pos (0 if none); *nl for U+2028/9. */
static uint32_t
uni_space(const SmJsLex *lx, uint32_t pos, bool *nl)
{
	const uint8_t *s = lx->s + pos;
	uint32_t	left = lx->len - pos;

	*nl = false;
	if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (left < 3)
		return 0;
	if (s[0] == 0xE2 && s[1] == 0x80)
	{
		if ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xAF)
			return 3;
		if (s[2] == 0xA8 || s[2] == 0xA9)
		{
			*nl = true;
			return 3;
		}
		return 0;
	}
	if ((s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) ||
		(s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
		(s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
		(s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
		return 3;
	return 0;
}

/* Is the byte at pos a line terminator (LF, CR, U+2028, U+2029)? */
static bool
at_line_end(const SmJsLex *lx, uint32_t pos)
{
	uint8_t		c = lx->s[pos];
	bool		nl;

	if (c == '\n' || c == '\r')
		return true;
	return c == 0xE2 && uni_space(lx, pos, &nl) == 3 && nl;
}

/* Skip whitespace and comments; true if a line terminator was among them. */
static bool
skip_trivia(SmJsLex *lx)
{
	bool		nl = false;

	if (lx->pos == 0 && lx->len >= 2 && lx->s[0] == '#' && lx->s[1] == '!')
	{
		while (lx->pos < lx->len && !at_line_end(lx, lx->pos))
			step(lx);
	}
	while (lx->pos < lx->len)
	{
		uint8_t		c = lx->s[lx->pos];

		if (c == ' ' || c == '\t' || c == '\v' || c == '\f')
			step(lx);
		else if (c == '\n' || c == '\r')
		{
			nl = true;
			step(lx);
		}
		else if (c == '/' && peek(lx, 1) == '/')
		{
			while (lx->pos < lx->len && !at_line_end(lx, lx->pos))
				step(lx);
		}
		else if (c == '/' && peek(lx, 1) == '*')
		{
			step_n(lx, 2);
			while (lx->pos < lx->len && !(lx->s[lx->pos] == '*' && peek(lx, 1) == '/'))
			{
				if (at_line_end(lx, lx->pos))
					nl = true;
				step(lx);
			}
			step_n(lx, 2);
		}
		else if (c >= 0x80)
		{
			bool		is_nl;
			uint32_t	n = uni_space(lx, lx->pos, &is_nl);

			if (n == 0)
				break;
			nl |= is_nl;
			step_n(lx, n);
		}
		else
			break;
	}
	return nl;
}

/* Can the byte at pos start an identifier? */
static bool
ident_start_at(const SmJsLex *lx, uint32_t pos)
{
	uint8_t		c;
	bool		nl;

	if (pos >= lx->len)
		return false;
	c = lx->s[pos];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c == '\\')
		return true;
	return c >= 0x80 && uni_space(lx, pos, &nl) == 0;
}

/* Consume the rest of an identifier (letters, digits, escapes, non-ASCII). */
static void
lex_ident_rest(SmJsLex *lx)
{
	while (lx->pos < lx->len)
	{
		uint8_t		c = lx->s[lx->pos];
		bool		nl;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '_' || c == '$')
			step(lx);
		else if (c == '\\')
		{
			step(lx);
			if (lx->pos < lx->len && lx->s[lx->pos] == 'u')
			{
				uint32_t	k;

				step(lx);
				if (lx->pos < lx->len && lx->s[lx->pos] == '{')
				{
					for (k = 0; k < 10 && lx->pos < lx->len && lx->s[lx->pos] != '}'; k++)
						step(lx);
					if (lx->pos < lx->len && lx->s[lx->pos] == '}')
						step(lx);
				}
				else
				{
					for (k = 0; k < 4 && lx->pos < lx->len && lx->s[lx->pos] != '\\' &&
						 lx->s[lx->pos] < 0x80 && lx->s[lx->pos] > ' '; k++)
						step(lx);
				}
			}
		}
		else if (c >= 0x80 && uni_space(lx, lx->pos, &nl) == 0)
			step(lx);
		else
			break;
	}
}

/* Consume a numeric literal (decimal, hex, octal, binary, bigint, separators). */
static void
lex_number(SmJsLex *lx)
{
	uint32_t	start = lx->pos;
	bool		radix = lx->s[start] == '0' && lx->pos + 1 < lx->len &&
		((lx->s[start + 1] | 0x20) == 'x' || (lx->s[start + 1] | 0x20) == 'b' ||
		 (lx->s[start + 1] | 0x20) == 'o');

	while (lx->pos < lx->len)
	{
		uint8_t		c = lx->s[lx->pos];

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			c == '_' || c == '.')
			step(lx);
		else if ((c == '+' || c == '-') && !radix && lx->pos > start &&
				 (lx->s[lx->pos - 1] | 0x20) == 'e')
			step(lx);
		else
			break;
	}
}

/* Consume a string literal; stops at an unescaped line end if unterminated. */
static void
lex_string(SmJsLex *lx)
{
	uint8_t		q = lx->s[lx->pos];

	step(lx);
	while (lx->pos < lx->len)
	{
		uint8_t		c = lx->s[lx->pos];

		if (c == q)
		{
			step(lx);
			return;
		}
		if (c == '\\')
		{
			step(lx);
			if (lx->pos < lx->len)
			{
				bool		crlf = lx->s[lx->pos] == '\r' && peek(lx, 1) == '\n';

				step(lx);
				if (crlf)
					step(lx);
			}
		}
		else if (c == '\n' || c == '\r')
			return;
		else
			step(lx);
	}
}

/* Consume template text up to the closing backtick or `${`; the token type. */
static uint8_t
lex_template(SmJsLex *lx)
{
	while (lx->pos < lx->len)
	{
		uint8_t		c = lx->s[lx->pos];

		if (c == '`')
		{
			step(lx);
			return T_TEMPLATE;
		}
		if (c == '\\')
			step_n(lx, 2);
		else if (c == '$' && peek(lx, 1) == '{')
		{
			step_n(lx, 2);
			return T_TEMPLATE_HEAD;
		}
		else
			step(lx);
	}
	return T_TEMPLATE;
}

/*
 * Consume a regular expression literal at `/` if one ends on this line.
 * A failed attempt marks the rest of the line so that a later `/` there is
 * not tried again (keeps the scan linear on malformed input).
 */
static bool
lex_regex(SmJsLex *lx)
{
	uint32_t	p = lx->pos + 1;
	bool		in_class = false;

	if (lx->pos < lx->no_regex_before)
		return false;
	while (p < lx->len)
	{
		uint8_t		c = lx->s[p];

		if (at_line_end(lx, p))
			break;
		if (c == '\\')
		{
			if (p + 1 < lx->len && at_line_end(lx, p + 1))
			{
				p++;
				break;
			}
			p += 2;
			continue;
		}
		if (c == '[')
			in_class = true;
		else if (c == ']')
			in_class = false;
		else if (c == '/' && !in_class)
		{
			p++;
			while (p < lx->len && (((lx->s[p] | 0x20) >= 'a' && (lx->s[p] | 0x20) <= 'z') ||
								   (lx->s[p] >= '0' && lx->s[p] <= '9') ||
								   lx->s[p] == '_' || lx->s[p] == '$'))
				p++;
			step_n(lx, p - lx->pos);
			return true;
		}
		p++;
	}
	lx->no_regex_before = p < lx->len ? p : lx->len;
	return false;
}

/* Consume a punctuator (longest match); its code. */
static uint8_t
lex_punct(SmJsLex *lx)
{
	int			c = peek(lx, 0),
				c1 = peek(lx, 1),
				c2 = peek(lx, 2),
				c3 = peek(lx, 3);
	uint32_t	n = 1;
	uint8_t		p = P_OP;

	switch (c)
	{
		case '{':
			p = P_LBRACE;
			break;
		case '}':
			p = P_RBRACE;
			break;
		case '(':
			p = P_LPAREN;
			break;
		case ')':
			p = P_RPAREN;
			break;
		case '[':
			p = P_LBRACK;
			break;
		case ']':
			p = P_RBRACK;
			break;
		case ';':
			p = P_SEMI;
			break;
		case ',':
			p = P_COMMA;
			break;
		case ':':
			p = P_COLON;
			break;
		case '~':
			p = P_TILDE;
			break;
		case '@':
			p = P_AT;
			break;
		case '.':
			if (c1 == '.' && c2 == '.')
			{
				p = P_ELLIPSIS;
				n = 3;
			}
			else
				p = P_DOT;
			break;
		case '?':
			if (c1 == '?')
			{
				p = (c2 == '=') ? P_LOGASSIGN : P_OP;
				n = (c2 == '=') ? 3 : 2;
			}
			else if (c1 == '.' && !(c2 >= '0' && c2 <= '9'))
			{
				p = P_QDOT;
				n = 2;
			}
			else
				p = P_QUESTION;
			break;
		case '=':
			if (c1 == '>')
			{
				p = P_ARROW;
				n = 2;
			}
			else if (c1 == '=')
				n = (c2 == '=') ? 3 : 2;
			else
				p = P_ASSIGN;
			break;
		case '!':
			if (c1 == '=')
				n = (c2 == '=') ? 3 : 2;
			else
				p = P_BANG;
			break;
		case '<':
			if (c1 == '<')
				n = (c2 == '=') ? 3 : 2;
			else if (c1 == '=')
				n = 2;
			else
				p = P_LT;
			break;
		case '>':
			if (c1 == '>' && c2 == '>')
			{
				p = (c3 == '=') ? P_OP : P_USHR;
				n = (c3 == '=') ? 4 : 3;
			}
			else if (c1 == '>')
			{
				p = (c2 == '=') ? P_OP : P_SHR;
				n = (c2 == '=') ? 3 : 2;
			}
			else if (c1 == '=')
				n = 2;
			else
				p = P_GT;
			break;
		case '&':
		case '|':
			if (c1 == c)
			{
				p = (c2 == '=') ? P_LOGASSIGN : P_OP;
				n = (c2 == '=') ? 3 : 2;
			}
			else if (c1 == '=')
				n = 2;
			break;
		case '+':
		case '-':
			if (c1 == c)
			{
				p = P_INCDEC;
				n = 2;
			}
			else if (c1 == '=')
				n = 2;
			break;
		case '*':
			if (c1 == '*')
				n = (c2 == '=') ? 3 : 2;
			else if (c1 == '=')
				n = 2;
			else
				p = P_STAR;
			break;
		case '/':
		case '%':
		case '^':
			if (c1 == '=')
				n = 2;
			break;
		default:
			break;
	}
	step_n(lx, n);
	return p;
}

void
sm_jslex_next(SmJsLex *lx, Tok *t)
{
	uint8_t		c;

	memset(t, 0, sizeof(*t));
	if (lx->resume_template)
	{
		lx->resume_template = false;
		t->line = lx->line;
		t->col = lx->col;
		t->off = lx->pos;
		t->type = lex_template(lx);
	}
	else
	{
		t->nl_before = skip_trivia(lx);
		t->line = lx->line;
		t->col = lx->col;
		t->off = lx->pos;
		if (lx->pos >= lx->len)
			t->type = T_EOF;
		else
		{
			c = lx->s[lx->pos];
			if (ident_start_at(lx, lx->pos))
			{
				lex_ident_rest(lx);
				t->type = T_IDENT;
				t->kw = keyword_of(lx->s + t->off, lx->pos - t->off);
				t->prop = lx->prev.type == T_PUNCT &&
					(lx->prev.punct == P_DOT || lx->prev.punct == P_QDOT);
			}
			else if (c == '#' && ident_start_at(lx, lx->pos + 1))
			{
				step(lx);
				lex_ident_rest(lx);
				t->type = T_PRIVATE;
			}
			else if ((c >= '0' && c <= '9') ||
					 (c == '.' && peek(lx, 1) >= '0' && peek(lx, 1) <= '9'))
			{
				lex_number(lx);
				t->type = T_NUM;
			}
			else if (c == '"' || c == '\'')
			{
				lex_string(lx);
				t->type = T_STRING;
			}
			else if (c == '`')
			{
				step(lx);
				t->type = lex_template(lx);
			}
			else if (c == '/' && !lx->prev.operand && lex_regex(lx))
				t->type = T_REGEX;
			else
			{
				t->type = T_PUNCT;
				t->punct = lex_punct(lx);
			}
		}
	}
	t->len = lx->pos - t->off;
	t->end_line = lx->line;
	t->end_col = lx->col;
	t->idx = lx->ntok++;
}
