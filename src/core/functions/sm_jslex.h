/*
 * sm_jslex.h -- the lexer under the JavaScript scope scanner: bytes to
 * tokens (identifiers, numbers, strings, template pieces, regular
 * expressions, punctuators), with the generated position (line, UTF-16
 * column) of each.  Internal to functions/: sm_jsscan.c is its one user.
 */
#ifndef SM_JSLEX_H
#define SM_JSLEX_H

#include "base/sm_env.h"

typedef enum TokType
{
	T_EOF = 0,
	T_IDENT,
	T_PRIVATE,					/* #name */
	T_NUM,
	T_STRING,
	T_TEMPLATE,					/* whole template, or its tail after the last `}` */
	T_TEMPLATE_HEAD,			/* template text up to and including `${` */
	T_REGEX,
	T_PUNCT
} TokType;

typedef enum Punct
{
	P_NONE = 0,
	P_LBRACE,
	P_RBRACE,
	P_LPAREN,
	P_RPAREN,
	P_LBRACK,
	P_RBRACK,
	P_SEMI,
	P_COMMA,
	P_DOT,
	P_QDOT,						/* ?. */
	P_QUESTION,
	P_COLON,
	P_ASSIGN,					/* = */
	P_LOGASSIGN,				/* &&= ||= ??= */
	P_ARROW,					/* => */
	P_ELLIPSIS,
	P_STAR,
	P_INCDEC,					/* ++ -- */
	P_LT,
	P_GT,						/* > */
	P_SHR,						/* >> */
	P_USHR,						/* >>> */
	P_AT,
	P_BANG,
	P_TILDE,
	P_OP						/* any other operator */
} Punct;

typedef enum Kw
{
	KW_NONE = 0,
	/* contextual words: identifiers everywhere except where noted */
	KW_ASYNC,
	KW_GET,
	KW_SET,
	KW_STATIC,
	KW_CONSTRUCTOR,
	KW_MODIFIER,				/* TypeScript member modifiers, `accessor` */
	/* reserved words that are values */
	KW_THIS,
	KW_SUPER,
	KW_NULL,
	KW_TRUE,
	KW_FALSE,
	/* reserved words after which a parenthesised condition precedes a statement */
	KW_IF,
	KW_WHILE,
	KW_FOR,
	KW_WITH,
	KW_CATCH,
	KW_SWITCH,
	/* reserved words followed by a statement */
	KW_ELSE,
	KW_DO,
	KW_TRY,
	KW_FINALLY,
	KW_EXPORT,
	/* other reserved words (an expression or a declaration follows) */
	KW_FUNCTION,
	KW_CLASS,
	KW_EXTENDS,
	KW_IN,
	KW_INSTANCEOF,
	KW_RESERVED
} Kw;

typedef struct Tok
{
	uint8_t		type;			/* TokType */
	uint8_t		punct;			/* Punct for T_PUNCT */
	uint8_t		kw;				/* Kw for T_IDENT */
	bool		nl_before;		/* a line terminator precedes it */
	bool		prop;			/* identifier right after `.` or `?.` */
	bool		operand;		/* a `/` after it divides */
	bool		stmt_colon;		/* `:` of a label or a switch case */
	uint32_t	idx;			/* token number */
	uint32_t	off;			/* bytes [off, off + len) */
	uint32_t	len;
	uint32_t	line;
	uint32_t	col;
	uint32_t	end_line;
	uint32_t	end_col;
} Tok;

/* Is kw a reserved word (not usable as a plain identifier)? */
static inline bool
kw_reserved(uint8_t kw)
{
	return kw >= KW_THIS;
}

/* Is kw a reserved word that is itself a value (this, null, ...)? */
static inline bool
kw_value(uint8_t kw)
{
	return kw >= KW_THIS && kw <= KW_FALSE;
}

/*
 * The lexer's state.  The scanner sets prev after handling each token (its
 * operand flag decides whether a `/` divides), resume_template when a `}`
 * closes a template substitution, and no_regex_before.
 */
typedef struct SmJsLex
{
	const SmEnv *env;			/* polled for interrupts */
	const uint8_t *s;			/* the code, len bytes */
	uint32_t	len;
	uint32_t	pos;
	uint32_t	line;
	uint32_t	col;
	uint32_t	no_regex_before;	/* a `/` before this offset cannot start a regex */
	bool		resume_template;	/* next token continues a template after `}` */
	uint32_t	ntok;			/* tokens read so far */
	Tok			prev;			/* the previous token, as the scanner left it */
} SmJsLex;

/* Read the next token into *t (T_EOF at the end). */
void		sm_jslex_next(SmJsLex *lx, Tok *t);

#endif							/* SM_JSLEX_H */
