/*
 * sm_jsscan.c -- the JavaScript scope scanner described in sm_jsscan.h,
 * over the tokens of the lexer (sm_jslex.c).
 *
 * The scanner keeps a stack of open brackets (frames).  Each frame knows
 * what it is (block, function body, object literal, class body,
 * parentheses, brackets, template substitution) and carries the small
 * state needed at that level: a construct waiting for its next part
 * (`function` waiting for its parameters, then its body; `class` waiting
 * for its body; `=>` waiting for its body), the member being read in an
 * object literal or class body, the context name that a function starting
 * at a given token would take, the number of unmatched `?`, and the last
 * parenthesised list closed at that level (arrow parameters).  Arrow
 * functions with an expression body stay open on a separate stack until a
 * `,` `;` `)` `]` `}` (or a `:` closing an enclosing conditional, or a
 * newline where automatic semicolon insertion applies) at their level.
 *
 * Scopes are recorded when their first token is seen (arrow functions when
 * `=>` is), so they are sorted at the end; their nesting follows from the
 * bracket structure.
 */
#include <string.h>

#include "base/sm_pos.h"
#include "functions/sm_jslex.h"
#include "functions/sm_jsscan.h"

/* ---- scanner state ----------------------------------------------------- */

typedef enum FrameKind
{
	F_TOP = 0,
	F_BLOCK,					/* statement block, switch body, static block */
	F_BODY,						/* function body */
	F_OBJECT,					/* object literal (or destructuring pattern) */
	F_CLASS,					/* class body */
	F_PAREN,
	F_BRACKET,
	F_TEMPLATE					/* ${ ... } */
} FrameKind;

typedef enum Pending
{
	PD_NONE = 0,
	PD_FUNC_HEAD,				/* after `function`: optional `*`, name, generics, then `(` */
	PD_FUNC_BODY,				/* after the parameters: `{` (or a TypeScript `:` type) */
	PD_FUNC_TYPE,				/* skipping a return type up to `{` */
	PD_CLASS_HEAD,				/* after `class`: name, `extends ...`, then `{` */
	PD_ARROW_BODY				/* after `=>`: `{` or an expression */
} Pending;

typedef enum MemberState
{
	MS_START = 0,				/* at the start of a member */
	MS_KEY,						/* reading modifiers and the key */
	MS_GENERIC,					/* skipping `<...>` after a method key */
	MS_TYPE,					/* skipping a class field's type annotation */
	MS_DECOR,					/* reading a decorator */
	MS_VALUE,					/* in a property value or field initialiser */
	MS_METHOD					/* in a method's parameters or body */
} MemberState;

typedef struct Frame
{
	uint8_t		kind;			/* FrameKind */
	uint8_t		pending;		/* Pending */
	uint8_t		mstate;			/* MemberState (F_OBJECT, F_CLASS) */
	bool		ctrl;			/* F_PAREN: after if/while/for/with/catch/switch */
	bool		params;			/* F_PAREN: a function's parameters (scope) */
	bool		ckey;			/* F_BRACKET: a computed member key */
	bool		decl;			/* F_BODY, F_CLASS: of a declaration */
	bool		has_async;		/* F_PAREN: right after `async` */
	bool		pd_named;		/* PD_FUNC_HEAD: own name seen */
	bool		pd_first;		/* PD_CLASS_HEAD: next token is the first after `class` */
	bool		pd_decl;		/* pending function or class is a declaration */
	bool		lp_valid;		/* lp_*: a parenthesised list closed at this level */
	bool		lp_async;
	bool		mkey_computed;	/* the member key is computed: key_first/key_n */
	uint8_t		mprev_kw;		/* keyword of the head token before the key */
	uint32_t	scope;			/* F_PAREN: function of these parameters; F_BODY,
								 * F_CLASS: scope ending with the frame; else SM_NONE */
	uint32_t	pd_scope;
	uint32_t	pd_start_tok;
	Tok			pd_name;
	uint32_t	open_line;
	uint32_t	open_col;
	uint32_t	open_tok;
	uint32_t	async_line;
	uint32_t	async_col;
	uint32_t	async_tok;
	uint32_t	lp_line;
	uint32_t	lp_col;
	uint32_t	lp_tok;
	uint32_t	lp_close_tok;
	uint32_t	lp_colon_tok;
	uint32_t	ternary;		/* unmatched `?` at this level */
	uint32_t	angle;			/* open `<` while skipping generics */
	uint32_t	arena_floor;	/* arena length when pushed */
	uint32_t	arena_base;		/* start of this frame's scratch names (after the prefix) */
	uint32_t	prefix_first;	/* F_OBJECT, F_CLASS: the name prefix of members */
	uint32_t	prefix_n;
	uint32_t	ctx_first;		/* context name of a function starting at token ctx_tok */
	uint32_t	ctx_n;
	uint32_t	ctx_tok;
	uint32_t	key_first;		/* computed member key */
	uint32_t	key_n;
	Tok			mlast;			/* last head token of the member (the key) */
	uint32_t	mcount;			/* head tokens so far */
	uint32_t	mfirst_line;
	uint32_t	mfirst_col;
	uint32_t	mfirst_tok;
} Frame;

/* An arrow function whose expression body is still open. */
typedef struct OpenArrow
{
	uint32_t	scope;
	uint32_t	depth;
	uint32_t	ternary;
} OpenArrow;

#define DROPPED_KIND 0xFF
#define UNSET UINT32_MAX

typedef struct St
{
	const SmEnv *env;
	SmError    *err;
	SmJsLex		lx;				/* the lexer: input, position, previous token */
	Tok			prev2;			/* the token before lx.prev */
	Frame	   *frames;			/* frames[0] is the top level */
	uint32_t	depth;
	uint32_t	open_brace;		/* open frames closed by `}` */
	uint32_t	open_paren;
	uint32_t	open_brack;
	SmJsScope  *scopes;
	uint32_t	nscopes;
	uint32_t	scap;
	SmJsPart   *parts;
	uint32_t	nparts;
	uint32_t	pcap;
	SmJsPart   *arena;			/* scratch name parts, a stack following the frames */
	uint32_t	alen;
	uint32_t	acap;
	OpenArrow  *arrows;
	uint32_t	narrows;
	uint32_t	arcap;
	SmJsPart	chain[2 * SM_JS_MAX_CHAIN];	/* identifiers and dots of `a.b.c` */
	uint32_t	chain_n;
	uint32_t	chain_first_tok;
	uint32_t	chain_last_tok;
	bool		chain_expect;	/* chain ends with a dot */
} St;

#define TOP(st) (&(st)->frames[(st)->depth])

/* Make room for one more element in a growing array of elem-byte items. */
static bool
grow(St *st, void **arr, uint32_t *cap, uint32_t used, size_t elem)
{
	SmErrCode	c = sm_grow_array(st->env, arr, cap, used, elem, 64, UINT32_MAX / 2);

	if (c != SM_OK)
		return sm_fail(st->err, c, c == SM_E_LIMIT ? "JavaScript scan: too many items"
					   : "out of memory scanning JavaScript");
	return true;
}

/* ---- scopes and names -------------------------------------------------- */

/* Record a new scope starting at (line, col); its index, or UNSET on error. */
static uint32_t
new_scope(St *st, uint8_t kind, uint32_t line, uint32_t col)
{
	SmJsScope  *s;

	if (st->nscopes >= SM_JS_MAX_SCOPES)
	{
		sm_fail(st->err, SM_E_LIMIT, "JavaScript code has more than %u function scopes",
				(unsigned) SM_JS_MAX_SCOPES);
		return UNSET;
	}
	if (!grow(st, (void **) &st->scopes, &st->scap, st->nscopes, sizeof(SmJsScope)))
		return UNSET;
	s = &st->scopes[st->nscopes];
	memset(s, 0, sizeof(*s));
	s->start_line = line;
	s->start_col = col;
	s->end_line = UNSET;
	s->end_col = UNSET;
	s->parent = SM_NONE;
	s->first_part = st->nparts;
	s->kind = kind;
	return st->nscopes++;
}

/* Set a scope's end. */
static void
end_scope(St *st, uint32_t s, uint32_t line, uint32_t col)
{
	if (s != SM_NONE && s < st->nscopes)
	{
		st->scopes[s].end_line = line;
		st->scopes[s].end_col = col;
	}
}

/* Append a part to the scratch arena. */
static bool
arena_push(St *st, const SmJsPart *p)
{
	if (!grow(st, (void **) &st->arena, &st->acap, st->alen, sizeof(SmJsPart)))
		return false;
	st->arena[st->alen++] = *p;
	return true;
}

/* Append a fixed-text part to the arena. */
static bool
arena_text(St *st, const char *text)
{
	SmJsPart	p;

	memset(&p, 0, sizeof(p));
	p.kind = SM_JSPART_TEXT;
	p.text = text;
	p.len = (uint32_t) strlen(text);
	return arena_push(st, &p);
}

/* Append arena[first .. first + n) to the arena (the source may move). */
static bool
arena_copy(St *st, uint32_t first, uint32_t n)
{
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		SmJsPart	p = st->arena[first + i];

		if (!arena_push(st, &p))
			return false;
	}
	return true;
}

/* An IDENT part for the identifier bytes [off, off+len) at (line, col). */
static void
ident_part(SmJsPart *p, uint32_t off, uint32_t len, uint32_t line, uint32_t col,
		   uint32_t end_col)
{
	memset(p, 0, sizeof(*p));
	p->kind = SM_JSPART_IDENT;
	p->off = off;
	p->len = len;
	p->line = line;
	p->col = col;
	p->end_col = end_col;
}

/* Append the parts naming a key token (identifier, #private, string, number). */
static bool
arena_key_tok(St *st, const Tok *t)
{
	SmJsPart	p;

	memset(&p, 0, sizeof(p));
	switch (t->type)
	{
		case T_IDENT:
			ident_part(&p, t->off, t->len, t->line, t->col, t->end_col);
			return arena_push(st, &p);
		case T_PRIVATE:
			if (!arena_text(st, "#"))
				return false;
			ident_part(&p, t->off + 1, t->len - 1, t->line, t->col + 1, t->end_col);
			return arena_push(st, &p);
		case T_STRING:
			p.kind = SM_JSPART_SOURCE;
			p.off = t->off + 1;
			p.len = t->len - 1;
			if (p.len > 0 && st->lx.s[t->off + t->len - 1] == st->lx.s[t->off])
				p.len--;
			return arena_push(st, &p);
		case T_NUM:
			p.kind = SM_JSPART_SOURCE;
			p.off = t->off;
			p.len = t->len;
			return arena_push(st, &p);
		default:
			return true;
	}
}

/* Give scope s the name: lead (may be NULL) followed by arena[first .. first+n). */
static bool
name_scope(St *st, uint32_t s, const char *lead, uint32_t first, uint32_t n)
{
	uint32_t	i;
	SmJsPart	p;

	if (n == 0 || s == UNSET)
		return true;
	st->scopes[s].first_part = st->nparts;
	if (lead)
	{
		memset(&p, 0, sizeof(p));
		p.kind = SM_JSPART_TEXT;
		p.text = lead;
		p.len = (uint32_t) strlen(lead);
		if (!grow(st, (void **) &st->parts, &st->pcap, st->nparts, sizeof(SmJsPart)))
			return false;
		st->parts[st->nparts++] = p;
	}
	for (i = 0; i < n; i++)
	{
		if (!grow(st, (void **) &st->parts, &st->pcap, st->nparts, sizeof(SmJsPart)))
			return false;
		st->parts[st->nparts++] = st->arena[first + i];
	}
	st->scopes[s].nparts = st->nparts - st->scopes[s].first_part;
	return true;
}

/* Name scope s after the context name of frame F, if the scope starts at its token. */
static bool
name_from_ctx(St *st, Frame *F, uint32_t s, uint32_t start_tok, const char *lead)
{
	if (F->ctx_tok != start_tok || F->ctx_n == 0)
		return true;
	return name_scope(st, s, lead, F->ctx_first, F->ctx_n);
}

/*
 * Append the name of F's current member (prefix "." ["get "|"set "] key)
 * to the arena; *first, *n locate it (n = 0: anonymous).  A name that
 * would exceed SM_JS_MAX_NAME_PARTS loses its prefix.
 */
static bool
member_name(St *st, Frame *F, uint32_t *first, uint32_t *n)
{
	uint32_t	key_parts;
	bool		accessor = F->mprev_kw == KW_GET || F->mprev_kw == KW_SET;
	bool		with_prefix;

	*first = st->alen;
	*n = 0;
	if (F->mkey_computed)
		key_parts = F->key_n;
	else if (F->mlast.type == T_IDENT || F->mlast.type == T_STRING)
		key_parts = 1;
	else if (F->mlast.type == T_PRIVATE)
		key_parts = 2;
	else
		key_parts = 0;
	if (key_parts == 0)
		return true;
	with_prefix = F->prefix_n > 0 &&
		F->prefix_n + 1 + (accessor ? 1 : 0) + key_parts <= SM_JS_MAX_NAME_PARTS;
	if (with_prefix && !arena_copy(st, F->prefix_first, F->prefix_n))
		return false;
	if (with_prefix && !(F->mkey_computed && !accessor) && !arena_text(st, "."))
		return false;
	if (accessor && !arena_text(st, F->mprev_kw == KW_GET ? "get " : "set "))
		return false;
	if (F->mkey_computed)
	{
		if (!arena_copy(st, F->key_first, F->key_n))
			return false;
	}
	else if (!arena_key_tok(st, &F->mlast))
		return false;
	*n = st->alen - *first;
	return true;
}

/* ---- frames ------------------------------------------------------------- */

/* Push a frame of the given kind opened by token t; NULL on error. */
static Frame *
push_frame(St *st, uint8_t kind, const Tok *t)
{
	Frame	   *F;

	if (st->depth >= SM_JS_MAX_DEPTH)
	{
		sm_fail(st->err, SM_E_LIMIT, "JavaScript nesting is deeper than %d levels",
				SM_JS_MAX_DEPTH);
		return NULL;
	}
	F = &st->frames[++st->depth];
	memset(F, 0, sizeof(*F));
	F->kind = kind;
	F->scope = SM_NONE;
	F->pd_scope = SM_NONE;
	F->ctx_tok = UNSET;
	F->open_line = t->line;
	F->open_col = t->col;
	F->open_tok = t->idx;
	F->arena_floor = st->alen;
	F->arena_base = st->alen;
	F->prefix_first = st->alen;
	if (kind == F_PAREN)
		st->open_paren++;
	else if (kind == F_BRACKET)
		st->open_brack++;
	else
		st->open_brace++;
	return F;
}

/* Give a just-pushed object or class frame its member-name prefix (copied). */
static bool
set_prefix(St *st, Frame *F, const Tok *own, uint32_t first, uint32_t n)
{
	F->prefix_first = st->alen;
	if (own)
	{
		if (!arena_key_tok(st, own))
			return false;
	}
	else if (!arena_copy(st, first, n))
		return false;
	F->prefix_n = st->alen - F->prefix_first;
	F->arena_base = st->alen;
	return true;
}

/* Close the expression-bodied arrows of level depth (all, or those a `:` ends). */
static void
close_arrows(St *st, uint32_t depth, bool colon, uint32_t ternary)
{
	while (st->narrows > 0)
	{
		OpenArrow  *a = &st->arrows[st->narrows - 1];

		if (a->depth < depth || (colon && a->ternary < ternary))
			break;
		end_scope(st, a->scope, st->lx.prev.end_line, st->lx.prev.end_col);
		st->narrows--;
	}
}

/* Forget the construct pending at level F (it did not complete). */
static void
drop_pending(St *st, Frame *F)
{
	if (F->pd_scope != SM_NONE && F->pd_scope < st->nscopes)
		st->scopes[F->pd_scope].kind = DROPPED_KIND;
	F->pending = PD_NONE;
	F->pd_scope = SM_NONE;
	if ((F->kind == F_OBJECT || F->kind == F_CLASS) && F->mstate == MS_METHOD)
		F->mstate = (F->kind == F_CLASS) ? MS_START : MS_VALUE;
}

/*
 * Pop the top frame, ending at (line, col); closer is the matching closing
 * token or NULL when the frame is abandoned.  Returns whether a `/` after
 * the closer would divide.
 */
static bool
pop_frame(St *st, uint32_t line, uint32_t col, const Tok *closer)
{
	Frame	   *F = TOP(st);
	Frame	   *parent;
	bool		operand = false;

	close_arrows(st, st->depth, false, 0);
	if (F->pending != PD_NONE)
		drop_pending(st, F);
	parent = &st->frames[st->depth - 1];
	switch (F->kind)
	{
		case F_BODY:
		case F_CLASS:
			end_scope(st, F->scope, line, col);
			operand = !F->decl;
			break;
		case F_OBJECT:
			operand = true;
			break;
		case F_PAREN:
			operand = !F->ctrl && !F->params;
			if (F->params && F->scope != SM_NONE)
			{
				if (parent->pending != PD_NONE)
					drop_pending(st, parent);
				parent->pending = PD_FUNC_BODY;
				parent->pd_scope = F->scope;
			}
			parent->lp_valid = true;
			parent->lp_line = F->open_line;
			parent->lp_col = F->open_col;
			parent->lp_tok = F->open_tok;
			parent->lp_close_tok = closer ? closer->idx : UNSET;
			parent->lp_colon_tok = UNSET;
			parent->lp_async = F->has_async;
			if (F->has_async)
			{
				parent->lp_line = F->async_line;
				parent->lp_col = F->async_col;
				parent->lp_tok = F->async_tok;
			}
			break;
		case F_BRACKET:
			operand = true;
			break;
		default:
			break;
	}
	if (F->kind == F_PAREN)
		st->open_paren--;
	else if (F->kind == F_BRACKET)
		st->open_brack--;
	else
		st->open_brace--;

	/* a computed member key: keep `[a.b]` when it is a plain chain */
	if (F->kind == F_BRACKET && F->ckey && (parent->kind == F_OBJECT || parent->kind == F_CLASS))
	{
		bool		plain = closer && st->chain_n > 0 && !st->chain_expect &&
			st->chain_first_tok == F->open_tok + 1 && st->chain_last_tok + 1 == closer->idx &&
			st->chain_n + 2 <= SM_JS_MAX_NAME_PARTS;

		st->alen = parent->arena_base;
		parent->key_first = st->alen;
		parent->key_n = 0;
		if (plain)
		{
			uint32_t	i;

			if (!arena_text(st, "["))
				return operand;
			for (i = 0; i < st->chain_n; i++)
				if (!arena_push(st, &st->chain[i]))
					return operand;
			if (!arena_text(st, "]"))
				return operand;
			parent->key_n = st->alen - parent->key_first;
		}
		parent->mkey_computed = true;
		parent->mstate = MS_KEY;
		parent->mcount++;
		st->depth--;
		return operand;
	}
	st->alen = F->arena_floor;
	st->depth--;
	if ((F->kind == F_BODY || F->kind == F_BLOCK) &&
		(parent->kind == F_OBJECT || parent->kind == F_CLASS) && parent->mstate == MS_METHOD)
		parent->mstate = (parent->kind == F_CLASS) ? MS_START : MS_VALUE;
	return operand;
}

/* Does frame kind k close with closer (P_RBRACE, P_RPAREN, P_RBRACK)? */
static bool
closes_with(uint8_t k, uint8_t closer)
{
	if (closer == P_RPAREN)
		return k == F_PAREN;
	if (closer == P_RBRACK)
		return k == F_BRACKET;
	return k == F_BLOCK || k == F_BODY || k == F_OBJECT || k == F_CLASS || k == F_TEMPLATE;
}

/*
 * Handle a closing bracket: pop up to the nearest frame it closes
 * (abandoning unclosed frames in between), or ignore it if none is open.
 */
static void
close_bracket(St *st, Tok *t)
{
	uint32_t	open = (t->punct == P_RPAREN) ? st->open_paren :
		(t->punct == P_RBRACK) ? st->open_brack : st->open_brace;

	if (open == 0)
		return;
	for (;;)
	{
		Frame	   *F = TOP(st);
		bool		match = closes_with(F->kind, t->punct);
		bool		tmpl = F->kind == F_TEMPLATE;
		bool		operand;

		if (match)
		{
			operand = pop_frame(st, t->end_line, t->end_col, t);
			t->operand = operand;
			t->stmt_colon = false;
			if (tmpl)
				st->lx.resume_template = true;
			return;
		}
		pop_frame(st, t->line, t->col, NULL);
	}
}

/* ---- the scanner proper -------------------------------------------------- */

/* Could token t begin a statement (or class member) after a line break (ASI)? */
static bool
starts_statement(const Tok *t)
{
	switch (t->type)
	{
		case T_IDENT:
			return t->kw != KW_IN && t->kw != KW_INSTANCEOF;
		case T_NUM:
		case T_STRING:
		case T_PRIVATE:
			return true;
		case T_PUNCT:
			return t->punct == P_LBRACE || t->punct == P_INCDEC || t->punct == P_BANG ||
				t->punct == P_TILDE || t->punct == P_AT;
		default:
			return false;
	}
}

/* Would a function, class or `{` after token p begin a statement? */
static bool
stmt_start_after(const Tok *p)
{
	switch (p->type)
	{
		case T_EOF:
			return true;
		case T_PUNCT:
			switch (p->punct)
			{
				case P_SEMI:
				case P_LBRACE:
				case P_RBRACE:
				case P_RPAREN:
				case P_RBRACK:
				case P_INCDEC:
					return true;
				case P_COLON:
					return p->stmt_colon;
				default:
					return false;
			}
		case T_IDENT:
			if (p->prop)
				return true;
			if (p->kw == KW_ELSE || p->kw == KW_DO || p->kw == KW_TRY ||
				p->kw == KW_FINALLY || p->kw == KW_EXPORT)
				return true;
			return !kw_reserved(p->kw) || kw_value(p->kw);
		case T_TEMPLATE_HEAD:
			return false;
		default:
			return true;
	}
}

/*
 * Does a line break before t end a TypeScript type annotation (ASI)?  The
 * previous token must be able to end a type (any word, `void` and `null`
 * included) and t must be able to start a member or statement.
 */
static bool
type_ends(const St *st, const Tok *t)
{
	const Tok  *p = &st->lx.prev;
	bool		ends = p->type == T_IDENT || p->type == T_STRING || p->type == T_NUM ||
		(p->type == T_PUNCT && (p->punct == P_RPAREN || p->punct == P_RBRACK ||
								p->punct == P_GT || p->punct == P_RBRACE));

	return t->nl_before && ends && starts_statement(t);
}

/* Is token t a possible member head token (modifier or key)? */
static bool
is_head_token(const Tok *t)
{
	return t->type == T_IDENT || t->type == T_PRIVATE || t->type == T_STRING ||
		t->type == T_NUM || (t->type == T_PUNCT && t->punct == P_STAR);
}

/* Is the last head token of F a modifier that the key still follows? */
static bool
head_is_modifier(const Frame *F)
{
	if (F->mkey_computed)
		return false;
	if (F->mlast.type == T_PUNCT)
		return true;
	return F->mlast.type == T_IDENT &&
		(F->mlast.kw == KW_STATIC || F->mlast.kw == KW_ASYNC || F->mlast.kw == KW_GET ||
		 F->mlast.kw == KW_SET || F->mlast.kw == KW_MODIFIER);
}

/* Track `<...>` nesting while skipping generics; true when it closes. */
static bool
skip_angles(Frame *F, const Tok *t)
{
	if (t->type != T_PUNCT)
		return false;
	if (t->punct == P_LT)
		F->angle++;
	else if (t->punct == P_GT || t->punct == P_SHR || t->punct == P_USHR)
	{
		uint32_t	n = (t->punct == P_GT) ? 1 : (t->punct == P_SHR) ? 2 : 3;

		F->angle = (F->angle > n) ? F->angle - n : 0;
		return F->angle == 0;
	}
	return false;
}

/* Set F's context name to the member being read (for `key: value`, `key = value`). */
static bool
set_member_ctx(St *st, Frame *F, const Tok *t)
{
	uint32_t	first,
				n;

	if (!F->mkey_computed)
		st->alen = F->arena_base;
	if (!member_name(st, F, &first, &n))
		return false;
	F->ctx_first = first;
	F->ctx_n = n;
	F->ctx_tok = t->idx + 1;
	return true;
}

/* `(` after a member key: a method, getter, setter or constructor starts. */
static bool
start_method(St *st, Frame *F, const Tok *t)
{
	uint8_t		kind = SM_JS_METHOD;
	uint32_t	s;
	uint32_t	first,
				n;
	Frame	   *P;

	if (F->mprev_kw == KW_GET)
		kind = SM_JS_GETTER;
	else if (F->mprev_kw == KW_SET)
		kind = SM_JS_SETTER;
	s = new_scope(st, kind, F->mfirst_line, F->mfirst_col);
	if (s == UNSET)
		return false;
	if (F->kind == F_CLASS && !F->mkey_computed && kind == SM_JS_METHOD &&
		F->mlast.type == T_IDENT && F->mlast.kw == KW_CONSTRUCTOR)
	{
		if (!name_scope(st, s, "new ", F->prefix_first, F->prefix_n))
			return false;
	}
	else
	{
		uint32_t	save = st->alen;

		if (!member_name(st, F, &first, &n) || !name_scope(st, s, NULL, first, n))
			return false;
		st->alen = save;
	}
	F->mstate = MS_METHOD;
	P = push_frame(st, F_PAREN, t);
	if (P == NULL)
		return false;
	P->params = true;
	P->scope = s;
	return true;
}

/*
 * A head token of a member (modifier or key): the first one starts the
 * member; a later one makes the previous token a modifier keyword, if it
 * was one.
 */
static void
member_head_token(Frame *F, const Tok *t)
{
	if (F->mstate == MS_START)
	{
		F->mfirst_line = t->line;
		F->mfirst_col = t->col;
		F->mfirst_tok = t->idx;
		F->mcount = 0;
		F->mprev_kw = KW_NONE;
	}
	else
		F->mprev_kw = (!F->mkey_computed && F->mlast.type == T_IDENT) ? F->mlast.kw : KW_NONE;
}

/*
 * A token at the member level of an object literal or class body.
 * Returns 1 when consumed, 0 to continue with the generic handling, -1 on
 * error.
 */
static int
member_token(St *st, Frame *F, Tok *t)
{
	bool		cls = F->kind == F_CLASS;
	uint8_t		p = (t->type == T_PUNCT) ? t->punct : P_NONE;

	switch (F->mstate)
	{
		case MS_VALUE:
		case MS_METHOD:
			return 0;
		case MS_GENERIC:
			if (p == P_LPAREN || p == P_LBRACK || p == P_LBRACE || p == P_RBRACE)
				return 0;
			if (skip_angles(F, t))
				F->mstate = MS_KEY;
			return 1;
		case MS_TYPE:
			if (p == P_ASSIGN)
			{
				F->mstate = MS_VALUE;
				return set_member_ctx(st, F, t) ? 1 : -1;
			}
			if (p == P_SEMI)
			{
				F->mstate = MS_START;
				return 1;
			}
			if (p == P_LPAREN || p == P_LBRACK || p == P_LBRACE || p == P_RBRACE)
				return 0;
			return 1;
		case MS_DECOR:
			if (t->type == T_IDENT && st->lx.prev.type == T_PUNCT &&
				(st->lx.prev.punct == P_AT || st->lx.prev.punct == P_DOT))
				return 1;
			if (p == P_DOT)
				return 1;
			if (p == P_LPAREN && st->lx.prev.type == T_IDENT)
				return 0;
			F->mstate = MS_START;
			break;
		default:
			break;
	}

	/* MS_START or MS_KEY */
	if (is_head_token(t))
	{
		member_head_token(F, t);
		F->mlast = *t;
		F->mkey_computed = false;
		F->mcount++;
		F->mstate = MS_KEY;
		return 1;
	}
	switch (p)
	{
		case P_LBRACK:
			{
				Frame	   *B;

				member_head_token(F, t);
				B = push_frame(st, F_BRACKET, t);
				if (B == NULL)
					return -1;
				B->ckey = true;
				return 1;
			}
		case P_LPAREN:
			if (F->mstate == MS_KEY)
				return start_method(st, F, t) ? 1 : -1;
			F->mstate = MS_VALUE;
			return 0;
		case P_COLON:
			if (F->mstate != MS_KEY)
				break;
			if (cls)
			{
				F->mstate = MS_TYPE;
				return 1;
			}
			F->mstate = MS_VALUE;
			return set_member_ctx(st, F, t) ? 1 : -1;
		case P_ASSIGN:
			if (F->mstate != MS_KEY)
				break;
			F->mstate = MS_VALUE;
			return set_member_ctx(st, F, t) ? 1 : -1;
		case P_COMMA:
		case P_SEMI:
			F->mstate = MS_START;
			return 1;
		case P_QUESTION:
		case P_BANG:
			if (F->mstate == MS_KEY)
				return 1;
			break;
		case P_LT:
			if (F->mstate != MS_KEY)
				break;
			F->angle = 1;
			F->mstate = MS_GENERIC;
			return 1;
		case P_LBRACE:
			if (F->mstate == MS_KEY && cls)
			{
				F->mstate = MS_METHOD;
				return push_frame(st, F_BLOCK, t) ? 1 : -1;
			}
			break;
		case P_AT:
			if (F->mstate == MS_START)
			{
				F->mstate = MS_DECOR;
				return 1;
			}
			break;
		case P_RBRACE:
			return 0;
		default:
			break;
	}
	F->mstate = MS_VALUE;
	return 0;
}

/*
 * A token while a construct is pending at level F.  Returns 1 when
 * consumed, 0 to continue with the other handlers, -1 on error.
 */
static int
pending_token(St *st, Frame *F, Tok *t)
{
	uint8_t		p = (t->type == T_PUNCT) ? t->punct : P_NONE;
	Frame	   *C;

	switch (F->pending)
	{
		case PD_FUNC_HEAD:
			if (F->angle > 0)
			{
				skip_angles(F, t);
				return 1;
			}
			if (p == P_LPAREN)
			{
				uint32_t	s = F->pd_scope;
				uint32_t	save = st->alen;

				if (F->pd_named)
				{
					if (!arena_key_tok(st, &F->pd_name) ||
						!name_scope(st, s, NULL, save, st->alen - save))
						return -1;
					st->alen = save;
				}
				else if (!name_from_ctx(st, F, s, F->pd_start_tok, NULL))
					return -1;
				F->pending = PD_NONE;
				F->pd_scope = SM_NONE;
				C = push_frame(st, F_PAREN, t);
				if (C == NULL)
					return -1;
				C->params = true;
				C->scope = s;
				return 1;
			}
			if (p == P_STAR)
				return 1;
			if (p == P_LT)
			{
				F->angle = 1;
				return 1;
			}
			if (t->type == T_IDENT && !F->pd_named && (!kw_reserved(t->kw) || t->kw == KW_RESERVED))
			{
				F->pd_named = true;
				F->pd_name = *t;
				return 1;
			}
			drop_pending(st, F);
			return 0;
		case PD_FUNC_BODY:
		case PD_FUNC_TYPE:
			if (p == P_LBRACE)
			{
				uint32_t	s = F->pd_scope;
				bool		decl = F->pd_decl;

				F->pending = PD_NONE;
				F->pd_scope = SM_NONE;
				C = push_frame(st, F_BODY, t);
				if (C == NULL)
					return -1;
				C->scope = s;
				C->decl = decl;
				return 1;
			}
			if (F->pending == PD_FUNC_BODY && p == P_COLON)
			{
				F->pending = PD_FUNC_TYPE;
				return 1;
			}
			if (F->pending == PD_FUNC_TYPE && (p == P_LPAREN || p == P_LBRACK))
				return 0;		/* a bracketed type: its own frame, still pending */
			if (F->pending == PD_FUNC_TYPE && p != P_SEMI && p != P_COMMA &&
				p != P_RBRACE && p != P_RPAREN && p != P_RBRACK && !type_ends(st, t))
				return 1;
			drop_pending(st, F);
			return 0;
		case PD_CLASS_HEAD:
			if (F->angle > 0)
			{
				/* inside type arguments, e.g. `extends E<{ a: T }>` */
				skip_angles(F, t);
				return 1;
			}
			if (p == P_LT)
			{
				F->angle = 1;
				F->pd_first = false;
				return 1;
			}
			if (p == P_LBRACE)
			{
				uint32_t	s = F->pd_scope;
				bool		decl = F->pd_decl;
				bool		named = F->pd_named;
				bool		from_ctx = !named && F->ctx_tok == F->pd_start_tok && F->ctx_n > 0;
				Tok			own = F->pd_name;
				uint32_t	cfirst = F->ctx_first,
							cn = F->ctx_n;

				F->pending = PD_NONE;
				F->pd_scope = SM_NONE;
				C = push_frame(st, F_CLASS, t);
				if (C == NULL)
					return -1;
				C->scope = s;
				C->decl = decl;
				C->mstate = MS_START;
				if (named || from_ctx)
				{
					if (!set_prefix(st, C, named ? &own : NULL, cfirst, cn) ||
						!name_scope(st, s, "new ", C->prefix_first, C->prefix_n))
						return -1;
				}
				return 1;
			}
			if (F->pd_first && t->type == T_IDENT && !kw_reserved(t->kw))
			{
				F->pd_first = false;
				F->pd_named = true;
				F->pd_name = *t;
				return 1;
			}
			F->pd_first = false;
			if (p == P_LPAREN || p == P_LBRACK)
				return 0;
			if (p == P_SEMI || p == P_RBRACE || p == P_RPAREN || p == P_RBRACK || p == P_COMMA)
			{
				drop_pending(st, F);
				return 0;
			}
			return 1;
		case PD_ARROW_BODY:
			{
				uint32_t	s = F->pd_scope;

				F->pending = PD_NONE;
				F->pd_scope = SM_NONE;
				if (p == P_LBRACE)
				{
					C = push_frame(st, F_BODY, t);
					if (C == NULL)
						return -1;
					C->scope = s;
					return 1;
				}
				if (!grow(st, (void **) &st->arrows, &st->arcap, st->narrows, sizeof(OpenArrow)))
					return -1;
				st->arrows[st->narrows].scope = s;
				st->arrows[st->narrows].depth = st->depth;
				st->arrows[st->narrows].ternary = F->ternary;
				st->narrows++;
				return 0;
			}
		default:
			return 0;
	}
}

/* `function` (or `async function`) at level F. */
static bool
start_function(St *st, Frame *F, const Tok *t)
{
	bool		async = st->lx.prev.type == T_IDENT && st->lx.prev.kw == KW_ASYNC &&
		!st->lx.prev.prop && !t->nl_before;
	const Tok  *start = async ? &st->lx.prev : t;
	uint32_t	s = new_scope(st, SM_JS_FUNCTION, start->line, start->col);

	if (s == UNSET)
		return false;
	F->pending = PD_FUNC_HEAD;
	F->pd_scope = s;
	F->pd_start_tok = start->idx;
	F->pd_named = false;
	F->pd_decl = stmt_start_after(async ? &st->prev2 : &st->lx.prev);
	F->angle = 0;
	return true;
}

/* `class` at level F. */
static bool
start_class(St *st, Frame *F, const Tok *t)
{
	uint32_t	s = new_scope(st, SM_JS_CLASS, t->line, t->col);

	if (s == UNSET)
		return false;
	F->pending = PD_CLASS_HEAD;
	F->pd_scope = s;
	F->pd_start_tok = t->idx;
	F->pd_named = false;
	F->pd_first = true;
	F->angle = 0;
	F->pd_decl = stmt_start_after(&st->lx.prev);
	return true;
}

/* `=>` at level F: find where the parameters start and open the arrow function. */
static bool
start_arrow(St *st, Frame *F, const Tok *t)
{
	const Tok  *p = &st->lx.prev;
	uint32_t	line,
				col,
				tok,
				s;
	bool		ts_colon = F->lp_valid && F->lp_close_tok != UNSET &&
		F->lp_colon_tok == F->lp_close_tok + 1;

	(void) t;
	if (p->type == T_PUNCT && p->punct == P_RPAREN && F->lp_valid && F->lp_close_tok == p->idx)
	{
		line = F->lp_line;
		col = F->lp_col;
		tok = F->lp_tok;
	}
	else if (p->type == T_IDENT && !(ts_colon && st->prev2.idx == F->lp_colon_tok))
	{
		const Tok  *q = &st->prev2;

		if (q->type == T_IDENT && q->kw == KW_ASYNC && !q->prop && q->idx + 1 == p->idx &&
			!p->nl_before)
			p = q;
		line = p->line;
		col = p->col;
		tok = p->idx;
	}
	else if (ts_colon)
	{
		line = F->lp_line;
		col = F->lp_col;
		tok = F->lp_tok;
	}
	else
		return true;
	s = new_scope(st, SM_JS_ARROW, line, col);
	if (s == UNSET)
		return false;
	if (!name_from_ctx(st, F, s, tok, NULL))
		return false;
	if (F->pending != PD_NONE)
		drop_pending(st, F);
	F->pending = PD_ARROW_BODY;
	F->pd_scope = s;
	return true;
}

/* Push `{`: a block or an object literal, decided by the previous token. */
static bool
open_brace(St *st, Frame *F, const Tok *t)
{
	Frame	   *C;

	if (stmt_start_after(&st->lx.prev))
		return push_frame(st, F_BLOCK, t) != NULL;
	C = push_frame(st, F_OBJECT, t);
	if (C == NULL)
		return false;
	C->mstate = MS_START;
	if (F->ctx_tok == t->idx && F->ctx_n > 0)
		return set_prefix(st, C, NULL, F->ctx_first, F->ctx_n);
	return true;
}

/* Update the `a.b.c` chain with token t. */
static void
update_chain(St *st, const Tok *t)
{
	if (t->type == T_IDENT && (t->prop || !kw_reserved(t->kw) || t->kw == KW_THIS))
	{
		if (st->chain_expect && st->chain_last_tok + 1 == t->idx && st->chain_n > 0)
		{
			if (st->chain_n + 1 > 2 * SM_JS_MAX_CHAIN - 1)
			{
				st->chain_n = 0;
				st->chain_expect = false;
				return;
			}
		}
		else if (t->prop)
		{
			st->chain_n = 0;
			st->chain_expect = false;
			return;
		}
		else
		{
			st->chain_n = 0;
			st->chain_first_tok = t->idx;
		}
		ident_part(&st->chain[st->chain_n++], t->off, t->len, t->line, t->col, t->end_col);
		st->chain_expect = false;
		st->chain_last_tok = t->idx;
	}
	else if (t->type == T_PUNCT && t->punct == P_DOT && st->chain_n > 0 && !st->chain_expect &&
			 st->chain_last_tok + 1 == t->idx)
	{
		SmJsPart   *d = &st->chain[st->chain_n++];

		memset(d, 0, sizeof(*d));
		d->kind = SM_JSPART_TEXT;
		d->text = ".";
		d->len = 1;
		st->chain_expect = true;
		st->chain_last_tok = t->idx;
	}
	else
	{
		st->chain_n = 0;
		st->chain_expect = false;
	}
}

/* `=` or a logical assignment: the chain before it names a function right after. */
static bool
assignment(St *st, Frame *F, const Tok *t)
{
	if (st->chain_n == 0 || st->chain_expect || st->chain_last_tok + 1 != t->idx)
		return true;
	st->alen = F->arena_base;
	F->ctx_first = st->alen;
	F->ctx_n = 0;
	F->ctx_tok = t->idx + 1;
	{
		uint32_t	i;

		for (i = 0; i < st->chain_n; i++)
			if (!arena_push(st, &st->chain[i]))
				return false;
	}
	F->ctx_n = st->chain_n;
	return true;
}

/* Handle one token. */
static bool
handle(St *st, Tok *t)
{
	Frame	   *F = TOP(st);
	uint8_t		p = (t->type == T_PUNCT) ? t->punct : P_NONE;
	int			r;

	/* what a `/` after it would mean (closers are decided when popping) */
	if (t->type == T_IDENT)
		t->operand = t->prop || !kw_reserved(t->kw) || kw_value(t->kw);
	else
		t->operand = t->type == T_NUM || t->type == T_STRING || t->type == T_TEMPLATE ||
			t->type == T_REGEX || t->type == T_PRIVATE || p == P_INCDEC;

	/* automatic semicolon insertion at a line break */
	if (t->nl_before && st->lx.prev.operand && starts_statement(t))
	{
		close_arrows(st, st->depth, false, 0);
		F->ternary = 0;
		if (F->kind == F_CLASS &&
			(F->mstate == MS_VALUE || (F->mstate == MS_KEY && !head_is_modifier(F))))
			F->mstate = MS_START;
	}
	if (F->kind == F_CLASS && F->mstate == MS_TYPE && type_ends(st, t))
		F->mstate = MS_START;

	if (F->pending != PD_NONE)
	{
		r = pending_token(st, F, t);
		if (r < 0)
			return false;
		if (r > 0)
			goto done;
		F = TOP(st);
	}
	if (F->kind == F_OBJECT || F->kind == F_CLASS)
	{
		r = member_token(st, F, t);
		if (r < 0)
			return false;
		if (r > 0)
			goto done;
	}

	switch (t->type)
	{
		case T_IDENT:
			if (!t->prop && t->kw == KW_FUNCTION && !start_function(st, F, t))
				return false;
			if (!t->prop && t->kw == KW_CLASS && !start_class(st, F, t))
				return false;
			break;
		case T_TEMPLATE_HEAD:
			if (push_frame(st, F_TEMPLATE, t) == NULL)
				return false;
			break;
		case T_PUNCT:
			switch (p)
			{
				case P_LBRACE:
					if (!open_brace(st, F, t))
						return false;
					break;
				case P_RBRACE:
				case P_RPAREN:
				case P_RBRACK:
					close_bracket(st, t);
					break;
				case P_LPAREN:
					{
						Frame	   *C;
						const Tok  *q = &st->lx.prev;
						bool		ctrl = q->type == T_IDENT && !q->prop &&
							q->kw >= KW_IF && q->kw <= KW_SWITCH;
						bool		async = q->type == T_IDENT && !q->prop && q->kw == KW_ASYNC;

						C = push_frame(st, F_PAREN, t);
						if (C == NULL)
							return false;
						C->ctrl = ctrl;
						if (async)
						{
							C->has_async = true;
							C->async_line = q->line;
							C->async_col = q->col;
							C->async_tok = q->idx;
						}
						break;
					}
				case P_LBRACK:
					if (push_frame(st, F_BRACKET, t) == NULL)
						return false;
					break;
				case P_SEMI:
					close_arrows(st, st->depth, false, 0);
					F->ternary = 0;
					if (F->kind == F_CLASS)
						F->mstate = MS_START;
					break;
				case P_COMMA:
					close_arrows(st, st->depth, false, 0);
					F->ternary = 0;
					if (F->kind == F_OBJECT && F->mstate == MS_VALUE)
						F->mstate = MS_START;
					break;
				case P_QUESTION:
					F->ternary++;
					break;
				case P_COLON:
					t->stmt_colon = F->ternary == 0 &&
						(F->kind == F_TOP || F->kind == F_BLOCK || F->kind == F_BODY);
					if (F->ternary > 0)
					{
						close_arrows(st, st->depth, true, F->ternary);
						F->ternary--;
					}
					if (st->lx.prev.type == T_PUNCT && st->lx.prev.punct == P_RPAREN &&
						F->lp_valid && F->lp_close_tok == st->lx.prev.idx)
						F->lp_colon_tok = t->idx;
					break;
				case P_ASSIGN:
				case P_LOGASSIGN:
					if (!assignment(st, F, t))
						return false;
					break;
				case P_ARROW:
					if (!start_arrow(st, F, t))
						return false;
					break;
				default:
					break;
			}
			break;
		default:
			break;
	}

done:
	update_chain(st, t);
	st->prev2 = st->lx.prev;
	st->lx.prev = *t;
	return true;
}

/* ---- finishing ------------------------------------------------------------ */

/* Order scopes by start, longer first, then by discovery (stable). */
static inline bool
scope_before(const SmJsScope *a, const SmJsScope *b)
{
	return sm_range_before(a->start_line, a->start_col, a->end_line, a->end_col,
						   b->start_line, b->start_col, b->end_line, b->end_col);
}

/* Sort scopes by scope_before (stably: of equal ones, discovery order). */
#define SM_SORT_NAME sort_scopes
#define SM_SORT_TYPE SmJsScope
#define SM_SORT_BEFORE(a, b) scope_before(a, b)
#include "base/sm_sort_template.h"

/*
 * Drop incomplete and empty scopes, sort, and link parents (clipping a
 * scope that would outlive its parent, which only malformed code causes).
 */
static bool
finish_scopes(St *st)
{
	uint32_t	i,
				n = 0,
				sp = 0;
	SmJsScope  *tmp;
	uint32_t   *stack;

	for (i = 0; i < st->nscopes; i++)
	{
		SmJsScope  *s = &st->scopes[i];

		if (s->kind == DROPPED_KIND || s->end_line == UNSET ||
			!sm_pos_lt(s->start_line, s->start_col, s->end_line, s->end_col))
			continue;
		st->scopes[n++] = *s;
	}
	st->nscopes = n;
	if (n == 0)
		return true;
	tmp = sm_alloc(st->env, (size_t) n * sizeof(SmJsScope), st->err);
	if (tmp == NULL)
		return false;
	sort_scopes(st->scopes, tmp, n);
	sm_free(st->env, tmp);
	stack = sm_alloc(st->env, (size_t) n * sizeof(uint32_t), st->err);
	if (stack == NULL)
		return false;
	for (i = 0; i < n; i++)
	{
		SmJsScope  *s = &st->scopes[i];

		if ((i & 0xFFFF) == 0)
			sm_check_interrupts(st->env);
		while (sp > 0 && !sm_pos_lt(s->start_line, s->start_col,
								 st->scopes[stack[sp - 1]].end_line,
								 st->scopes[stack[sp - 1]].end_col))
			sp--;
		s->parent = sp > 0 ? stack[sp - 1] : SM_NONE;
		if (sp > 0)
		{
			SmJsScope  *par = &st->scopes[stack[sp - 1]];

			if (sm_pos_lt(par->end_line, par->end_col, s->end_line, s->end_col))
			{
				s->end_line = par->end_line;
				s->end_col = par->end_col;
			}
		}
		stack[sp++] = i;
	}
	sm_free(st->env, stack);
	return true;
}

/* Free everything the state owns except what was handed out. */
static void
free_state(St *st)
{
	sm_free(st->env, st->frames);
	sm_free(st->env, st->arena);
	sm_free(st->env, st->arrows);
	sm_free(st->env, st->scopes);
	sm_free(st->env, st->parts);
}

bool
sm_js_scan(const char *src, size_t len, const SmEnv *env, SmJsScan *out, SmError *err)
{
	St			st;
	Tok			t;
	uint32_t	ticks = 0;

	memset(out, 0, sizeof(*out));
	out->env = env;
	if (len > SM_JS_MAX_INPUT)
		return sm_fail(err, SM_E_LIMIT, "JavaScript code is larger than %u bytes",
					   (unsigned) SM_JS_MAX_INPUT);
	memset(&st, 0, sizeof(st));
	st.env = env;
	st.lx.env = env;
	st.err = err;
	st.lx.s = (const uint8_t *) (src ? src : "");
	st.lx.len = (uint32_t) len;
	st.lx.prev.idx = UNSET;
	st.prev2.idx = UNSET;
	st.frames = sm_alloc(env, (SM_JS_MAX_DEPTH + 1) * sizeof(Frame), err);
	if (st.frames == NULL)
		return false;
	memset(&st.frames[0], 0, sizeof(Frame));
	st.frames[0].kind = F_TOP;
	st.frames[0].scope = SM_NONE;
	st.frames[0].pd_scope = SM_NONE;
	st.frames[0].ctx_tok = UNSET;

	for (;;)
	{
		if ((++ticks & 0xFFF) == 0)
			sm_check_interrupts(env);
		sm_jslex_next(&st.lx, &t);
		if (t.type == T_EOF)
			break;
		if (!handle(&st, &t))
		{
			free_state(&st);
			return false;
		}
	}
	while (st.depth > 0)
		pop_frame(&st, st.lx.line, st.lx.col, NULL);
	close_arrows(&st, 0, false, 0);
	if (st.frames[0].pending == PD_ARROW_BODY)
		end_scope(&st, st.frames[0].pd_scope, st.lx.prev.end_line, st.lx.prev.end_col);
	else if (st.frames[0].pending != PD_NONE)
		drop_pending(&st, &st.frames[0]);
	if (!finish_scopes(&st))
	{
		free_state(&st);
		return false;
	}
	sm_free(env, st.frames);
	sm_free(env, st.arena);
	sm_free(env, st.arrows);
	out->src = (const char *) st.lx.s;
	out->len = len;
	out->scopes = st.scopes;
	out->nscopes = st.nscopes;
	out->parts = st.parts;
	out->nparts = st.nparts;
	return true;
}

void
sm_js_scan_free(SmJsScan *scan)
{
	if (scan->env)
	{
		sm_free(scan->env, scan->scopes);
		sm_free(scan->env, scan->parts);
	}
	scan->scopes = NULL;
	scan->parts = NULL;
	scan->nscopes = 0;
	scan->nparts = 0;
}

uint32_t
sm_js_scope_at(const SmJsScan *scan, uint32_t line, uint32_t col)
{
	uint32_t	lo = 0,
				hi = scan->nscopes,
				i;

	/* last scope starting at or before the position */
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		const SmJsScope *s = &scan->scopes[mid];

		if (sm_pos_lt(line, col, s->start_line, s->start_col))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == 0)
		return SM_NONE;
	i = lo - 1;
	while (i != SM_NONE && !sm_pos_lt(line, col, scan->scopes[i].end_line, scan->scopes[i].end_col))
		i = scan->scopes[i].parent;
	return i;
}

void
sm_js_part_text(const SmJsScan *scan, const SmJsPart *part, const char **text, uint32_t *len)
{
	if (part->kind == SM_JSPART_TEXT)
	{
		*text = part->text;
		*len = part->len;
	}
	else if ((size_t) part->off + part->len <= scan->len)
	{
		*text = scan->src + part->off;
		*len = part->len;
	}
	else
	{
		*text = "";
		*len = 0;
	}
}

bool
sm_js_scope_name(const SmJsScan *scan, uint32_t idx, SmBuf *out)
{
	const SmJsScope *s;
	uint32_t	i;

	if (idx >= scan->nscopes)
		return true;
	s = &scan->scopes[idx];
	for (i = 0; i < s->nparts; i++)
	{
		const char *text;
		uint32_t	len;

		sm_js_part_text(scan, &scan->parts[s->first_part + i], &text, &len);
		if (!smb_append(out, text, len))
			return false;
	}
	return true;
}
