/* expr.c - the filter language: lexer, recursive-descent parser, and a
 * compiler that writes SQL as it parses (there is no tree to keep).
 *
 * Safety: the SQL text is assembled only from the fixed fragments below
 * and those of the fields the domains register (filter/field.h); every
 * value, custom field name and tag name from the user is a bound
 * parameter. Comparisons are wrapped in coalesce() so that a missing value
 * makes a comparison false (or true for !=), never NULL, and `not` means
 * what it says.
 */
#include "filter/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/num.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "filter/field.h"

/* Limits that keep every accepted expression within what SQLite compiles
 * (tests/fuzz/fuzz_expr.c checks it): its parser stack (YYSTACKDEPTH, 100
 * entries) bounds the nesting, as `a and (b and (...` takes three entries
 * a level and SQLite 3.40 gives up past 22 levels; its expression depth
 * (SQLITE_MAX_EXPR_DEPTH, 1000) bounds an and/or chain, which SQL nests one
 * level per operator; SQLITE_MAX_VARIABLE_NUMBER (32766) the parameters;
 * SQLITE_LIMIT_LIKE_PATTERN_LENGTH (50000) a ~ pattern. */
#define DEPTH_MAX 16
#define COND_MAX 256
#define IN_MAX 256
#define PARAM_MAX 32766
#define LIKE_MAX 50000

enum tok {
	T_EOF, T_IDENT, T_TAG, T_STRING, T_NUMBER, T_DATE, T_LPAREN, T_RPAREN,
	T_COMMA, T_OP, T_AND, T_OR, T_NOT, T_IN, T_IS, T_NULL, T_TRUE, T_FALSE,
};

struct token {
	enum tok kind;
	const char *start;
	size_t len;
	int line, col;
	char *text;       /* decoded string, identifier, tag name or operator */
};

struct parser {
	const char *src;
	const char *p;
	int line;
	const char *line_start;
	struct token tok;
	int64_t now;
	int depth;
	int nconds;       /* conditions so far (COND_MAX) */
	struct crm_expr_sql *out;
	struct crm_err *e;
};

/* ---- errors ------------------------------------------------------------ */

static int fail_at(struct parser *ps, const struct token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *ps, const struct token *t, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return crm_err_set(ps->e, CRM_EX_USAGE, "%d:%d: %s", t->line, t->col, msg);
}

/* The token as the user wrote it, for messages: quoted (a string shows
 * its own quotes), at most 40 bytes and "..." when longer, never cutting
 * a UTF-8 character in two, control characters as '?'. */
static void shown(const struct token *t, char out[48])
{
	size_t n = t->len < 40 ? t->len : 40, k = 0;
	int q = t->len == 0 || t->start[0] != '"';

	if (t->kind == T_EOF) {
		snprintf(out, 48, "end of expression");
		return;
	}
	while (n < t->len && n > 0 && ((unsigned char)t->start[n] & 0xC0) == 0x80)
		n--;
	if (q)
		out[k++] = '"';
	for (size_t i = 0; i < n; i++)
		out[k++] = (unsigned char)t->start[i] < 0x20 || t->start[i] == 0x7f ? '?' : t->start[i];
	if (n < t->len) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	if (q || n < t->len)
		out[k++] = '"';
	out[k] = '\0';
}

/* ---- lexer --------------------------------------------------------------- */

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static int keyword(const char *s, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(s, kw, n) == 0;
}

/* A relative date: [+-]digits[hdwmy], not followed by a name character. */
static size_t relative_len(const char *p)
{
	size_t i = 1;

	if (*p != '+' && *p != '-')
		return 0;
	if (!isdigit((unsigned char)p[i]))
		return 0;
	while (isdigit((unsigned char)p[i]))
		i++;
	if (strchr("hdwmyHDWMY", p[i]) == NULL || p[i] == '\0')
		return 0;
	i++;
	return is_ident_char((unsigned char)p[i]) ? 0 : i;
}

/* An ISO date or time: digits-digits-digits[T...], as far as it goes. */
static size_t iso_len(const char *p)
{
	size_t i = 0;

	while (isdigit((unsigned char)p[i]))
		i++;
	if (i != 4 || p[i] != '-' || !isdigit((unsigned char)p[i + 1]))
		return 0;
	while (p[i] != '\0' && (isalnum((unsigned char)p[i]) || strchr("-:+.", p[i]) != NULL))
		i++;
	return i;
}

static int lex_string(struct parser *ps, struct token *t)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *p = ps->p + 1;

	for (;;) {
		if (*p == '\0' || *p == '\n') {
			crm_buf_free(&b);
			return fail_at(ps, t, "unterminated string");
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			p++;
			if (*p == '\0' || *p == '\n') {
				crm_buf_free(&b);
				return fail_at(ps, t, "unterminated string");
			}
			switch (*p) {
			case '"': crm_buf_addc(&b, '"'); break;
			case '\\': crm_buf_addc(&b, '\\'); break;
			case 'n': crm_buf_addc(&b, '\n'); break;
			case 't': crm_buf_addc(&b, '\t'); break;
			default:
				crm_buf_free(&b);
				return fail_at(ps, t, "unknown escape \\%c in a string (use \\\" \\\\ \\n \\t)",
					       *p >= 0x20 ? *p : '?');
			}
			p++;
			continue;
		}
		crm_buf_addc(&b, *p++);
	}
	t->len = (size_t)(p + 1 - ps->p);
	t->kind = T_STRING;
	t->text = crm_buf_detach(&b);
	if (!crm_utf8_valid(t->text, strlen(t->text), NULL))
		return fail_at(ps, t, "invalid UTF-8 in a string");
	return 0;
}

static int next(struct parser *ps)
{
	struct token *t = &ps->tok;
	const char *p;
	size_t n;

	free(t->text);
	memset(t, 0, sizeof(*t));
	while (isspace((unsigned char)*ps->p)) {
		if (*ps->p == '\n') {
			ps->line++;
			ps->line_start = ps->p + 1;
		}
		ps->p++;
	}
	p = ps->p;
	t->start = p;
	t->line = ps->line;
	t->col = (int)(p - ps->line_start) + 1;
	if (*p == '\0') {
		t->kind = T_EOF;
		return 0;
	}
	if (*p == '"') {
		int rc = lex_string(ps, t);

		ps->p += t->len;
		return rc;
	}
	if (*p == '(' || *p == ')' || *p == ',') {
		t->kind = *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN : T_COMMA;
		t->len = 1;
	} else if (strncmp(p, "<=", 2) == 0 || strncmp(p, ">=", 2) == 0 ||
		   strncmp(p, "!=", 2) == 0 || strncmp(p, "<>", 2) == 0) {
		t->kind = T_OP;
		t->len = 2;
		t->text = xstrdup(strncmp(p, "<>", 2) == 0 ? "!=" : (char[]){ p[0], p[1], 0 });
	} else if (*p == '=' || *p == '<' || *p == '>' || *p == '~') {
		t->kind = T_OP;
		t->len = p[1] == '=' && *p == '=' ? 2 : 1;
		t->text = xstrndup(p, 1);
	} else if ((n = relative_len(p)) > 0 || (n = iso_len(p)) > 0) {
		t->kind = T_DATE;
		t->len = n;
		t->text = xstrndup(p, n);
	} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') &&
		   (isdigit((unsigned char)p[1]) || p[1] == '.'))) {
		/* [+-]digits[.digits], not followed by a name character */
		size_t d = isdigit((unsigned char)*p) ? 0 : 1, from = d;
		char s[48];

		n = 1;
		while (is_ident_char((unsigned char)p[n]))
			n++;
		t->len = n;
		while (d < n && isdigit((unsigned char)p[d]))
			d++;
		if (d > from && d < n && p[d] == '.')
			for (from = ++d; d < n && isdigit((unsigned char)p[d]); d++)
				;
		t->kind = T_NUMBER;
		if (d == from || d != n) {
			shown(t, s);
			return fail_at(ps, t, "invalid number %s", s);
		}
		t->text = xstrndup(p, n);
	} else if (strncasecmp(p, "tag:", 4) == 0) {
		n = 4;
		while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != ')' &&
		       p[n] != '(' && p[n] != ',')
			n++;
		t->kind = T_TAG;
		t->len = n;
		t->text = xstrndup(p + 4, n - 4);
	} else if (is_ident_start((unsigned char)*p)) {
		n = 1;
		while (is_ident_char((unsigned char)p[n]))
			n++;
		t->len = n;
		t->kind = keyword(p, n, "and") ? T_AND : keyword(p, n, "or") ? T_OR
			: keyword(p, n, "not") ? T_NOT : keyword(p, n, "in") ? T_IN
			: keyword(p, n, "is") ? T_IS : keyword(p, n, "null") ? T_NULL
			: keyword(p, n, "true") ? T_TRUE : keyword(p, n, "false") ? T_FALSE
			: T_IDENT;
		t->text = xstrndup(p, n);
	} else {
		goto bad;
	}
	ps->p += t->len;
	return 0;
bad:
	{
		char s[48];
		uint32_t cp;
		int len = crm_utf8_decode(p, strnlen(p, 4), &cp);

		t->kind = T_IDENT;  /* anything but T_EOF, for shown() */
		t->len = len > 0 ? (size_t)len : 1;
		shown(t, s);
		return fail_at(ps, t, "unexpected %s", s);
	}
}

/* ---- parameters and fields ----------------------------------------------- */

/* Binds the number in t (lexed as [+-]digits[.digits]): an integer when
 * as_int and it has no point, else a double. */
static int number_param(struct parser *ps, const struct token *t, int as_int,
			struct crm_buf *sql)
{
	const char *why;
	char s[48];
	int64_t i;
	double d;

	if (as_int && strchr(t->text, '.') == NULL) {
		if (crm_parse_i64(t->text, INT64_MIN, INT64_MAX, &i, &why) == 0) {
			crm_expr_param_int(ps->out, sql, i);
			return 0;
		}
	} else {
		d = strtod(t->text, NULL);
		if (isfinite(d)) {
			crm_expr_param_real(ps->out, sql, d);
			return 0;
		}
	}
	shown(t, s);
	return fail_at(ps, t, "number %s out of range", s);
}

static int unknown_field(struct parser *ps, const struct token *t)
{
	char buf[64];
	const char *best = crm_filter_suggest(t->text, ps->out->scopes, buf);

	if (best != NULL)
		return fail_at(ps, t, "unknown field \"%.64s\" (did you mean \"%s\"?)", t->text, best);
	return fail_at(ps, t, "unknown field \"%.64s\" (see crm-filter(7))", t->text);
}

/* Looks the name in t (an identifier, or tag:NAME) up in the registry
 * (crm_filter_find): 0 with f set; CRM_EX_NOTFOUND, e untouched, when no
 * domain knows it; CRM_EX_USAGE with e set, no position, for a malformed
 * one. f->sql is freed unless the result is 0. */
static int lookup(const struct token *t, struct crm_expr_sql *x, int64_t now,
		  struct crm_filter_value *f, struct crm_err *e)
{
	struct crm_buf tag = CRM_BUF_INIT;
	int rc;

	if (t->kind == T_TAG)
		crm_buf_addf(&tag, "tag:%s", t->text);
	rc = crm_filter_find(t->kind == T_TAG ? crm_buf_str(&tag) : t->text, x, now, f, e);
	crm_buf_free(&tag);
	if (rc != 0)
		crm_buf_free(&f->sql);
	return rc;
}

/* Resolves the name in t into f, or fails with "unknown field" or the
 * registry's message, at t. */
static int resolve_field(struct parser *ps, const struct token *t, struct crm_filter_value *f)
{
	struct crm_err fe = { 0, "" };
	int rc = lookup(t, ps->out, ps->now, f, &fe);

	if (rc == CRM_EX_NOTFOUND)
		return unknown_field(ps, t);
	return rc != 0 ? fail_at(ps, t, "%s", fe.msg) : 0;
}
/* ---- values ---------------------------------------------------------------- */

static const char *type_name(enum crm_filter_type t)
{
	switch (t) {
	case CRM_FILTER_TEXT: return "text";
	case CRM_FILTER_NUMBER: return "a number";
	case CRM_FILTER_BOOL: return "true or false";
	case CRM_FILTER_DATE: return "a date";
	case CRM_FILTER_TIME: return "a time";
	case CRM_FILTER_MONEY: return "an amount of money";
	}
	return "?";
}

/* Binds the value token for a field of type f->type; *day is set to 1 when
 * a time field got a plain date (so = means "on that day"). */
static int value_param(struct parser *ps, const struct crm_filter_value *f, struct crm_buf *sql,
		       int *day, int64_t *day_start)
{
	struct token *t = &ps->tok;
	char s[48];
	struct crm_err de;

	shown(t, s);
	*day = 0;
	switch (f->type) {
	case CRM_FILTER_TEXT:
		if (t->kind == T_STRING || t->kind == T_NUMBER || t->kind == T_DATE) {
			if (f->numeric_text && t->kind == T_NUMBER)
				return number_param(ps, t, 0, sql);
			crm_expr_param_text(ps->out, sql, t->text);
			return 0;
		}
		if (t->kind == T_IDENT)
			return fail_at(ps, t, "expected a value, found %s (quote text: \"%s\")",
				       s, t->text);
		break;
	case CRM_FILTER_NUMBER:
		if (t->kind == T_NUMBER)
			return number_param(ps, t, 1, sql);
		break;
	case CRM_FILTER_MONEY:
		if (t->kind == T_NUMBER) {
			int64_t minor;
			char code[4];

			crm_default_currency_code(code);
			if (crm_amount_parse(t->text[0] == '+' ? t->text + 1 : t->text, code,
					     &minor, &de) != 0)
				return fail_at(ps, t, "%s", de.msg);
			crm_expr_param_int(ps->out, sql, minor);
			return 0;
		}
		break;
	case CRM_FILTER_DATE:
	case CRM_FILTER_TIME:
		/* now, today, yesterday and tomorrow need no quotes. */
		if (t->kind == T_IDENT && (strcasecmp(t->text, "now") == 0 ||
		    strcasecmp(t->text, "today") == 0 || strcasecmp(t->text, "yesterday") == 0 ||
		    strcasecmp(t->text, "tomorrow") == 0))
			t->kind = T_DATE;
		if (t->kind == T_DATE || t->kind == T_STRING) {
			int64_t when, y;
			int m, d;
			char text[32];

			if (f->type == CRM_FILTER_DATE) {
				if (crm_date_parse(t->text, ps->now, &y, &m, &d, &de) != 0)
					return fail_at(ps, t, "%s", de.msg);
				crm_date_format(y, m, d, text);
			} else {
				if (crm_time_parse(t->text, ps->now, &when, &de) != 0)
					return fail_at(ps, t, "%s", de.msg);
				crm_time_format(when, text);
				*day = strlen(t->text) == 10 && t->text[4] == '-';
				*day_start = when;
			}
			crm_expr_param_text(ps->out, sql, text);
			return 0;
		}
		break;
	case CRM_FILTER_BOOL:
		if (t->kind == T_TRUE || t->kind == T_FALSE) {
			crm_expr_param_int(ps->out, sql, t->kind == T_TRUE);
			return 0;
		}
		break;
	}
	return fail_at(ps, t, "expected %s, found %s", type_name(f->type), s);
}

/* ---- the grammar ----------------------------------------------------------- */

static int parse_or(struct parser *ps, struct crm_buf *sql);

static int expect(struct parser *ps, enum tok kind, const char *what)
{
	char s[48];

	if (ps->tok.kind == kind)
		return next(ps);
	shown(&ps->tok, s);
	return fail_at(ps, &ps->tok, "expected %s, found %s", what, s);
}

/* The SQL operand for f, as a number where a custom field meets a number:
 * NULL unless the value is a well-formed number. (Compared with a NUMERIC
 * CAST, the trimmed text gets numeric affinity, which converts it only when
 * all of it is a number: "12", " 1.5", "1e3", not "1-2", "-", "12abc".) */
static void operand(const struct crm_filter_value *f, int as_number, struct crm_buf *sql)
{
	const char *x = crm_buf_str(&f->sql);

	/* crm_number(): the number a text is, or NULL (both backends
	 * provide it: store/sqlite.c in C, store/sql/pg/0001 in SQL). */
	if (as_number)
		crm_buf_addf(sql, "crm_number(%s)", x);
	else
		crm_buf_adds(sql, crm_buf_str(&f->sql));
}

/* LIKE pattern from a glob: * -> %, ? -> _, LIKE's own wildcards escaped. */
static char *glob_to_like(const char *g)
{
	struct crm_buf b = CRM_BUF_INIT;

	for (const char *p = g; *p != '\0'; p++) {
		if (*p == '*')
			crm_buf_addc(&b, '%');
		else if (*p == '?')
			crm_buf_addc(&b, '_');
		else {
			if (*p == '%' || *p == '_' || *p == '\\')
				crm_buf_addc(&b, '\\');
			crm_buf_addc(&b, *p);
		}
	}
	return crm_buf_detach(&b);
}

static int parse_comparison(struct parser *ps, struct crm_filter_value *f, const struct token *name,
			    struct crm_buf *sql)
{
	struct token op_tok = ps->tok;
	char op[3];
	int rc, day = 0, negate;
	int64_t day_start = 0;
	int as_number = f->numeric_text && 0;
	const char *collate = f->type == CRM_FILTER_TEXT ? " COLLATE NOCASE" : "";
	struct crm_buf rhs = CRM_BUF_INIT;

	snprintf(op, sizeof(op), "%s", ps->tok.text);
	op_tok.text = NULL;
	rc = next(ps);
	if (rc != 0)
		return rc;
	if (strcmp(op, "~") == 0) {
		char *like;

		if (f->type != CRM_FILTER_TEXT)
			return fail_at(ps, &op_tok, "~ matches text; %s is %s", name->text,
				       type_name(f->type));
		if (ps->tok.kind != T_STRING)
			return expect(ps, T_STRING, "a quoted pattern after ~");
		like = glob_to_like(ps->tok.text);
		if (strlen(like) > LIKE_MAX) {
			free(like);
			return fail_at(ps, &ps->tok, "pattern longer than %d bytes", LIKE_MAX);
		}
		crm_buf_adds(sql, "coalesce(");
		operand(f, 0, sql);
		crm_buf_adds(sql, " LIKE ");
		crm_expr_param_text(ps->out, sql, like);
		crm_buf_adds(sql, " ESCAPE '\\', FALSE)");
		free(like);
		return next(ps);
	}
	if (f->type == CRM_FILTER_BOOL && strcmp(op, "=") != 0 && strcmp(op, "!=") != 0)
		return fail_at(ps, &op_tok, "%s is true or false: use = or !=", name->text);
	as_number = f->numeric_text && ps->tok.kind == T_NUMBER;
	if (!as_number && f->numeric_text && strcmp(op, "=") != 0 && strcmp(op, "!=") != 0)
		collate = " COLLATE NOCASE";
	if (as_number)
		collate = ""; /* a number has no case (and PostgreSQL no collation for it) */
	rc = value_param(ps, f, &rhs, &day, &day_start);
	if (rc != 0) {
		crm_buf_free(&rhs);
		return rc;
	}
	negate = strcmp(op, "!=") == 0;
	if (day && (strcmp(op, "=") == 0 || negate)) {
		/* created_at = 2024-01-01: on that day. */
		char end[32];

		crm_time_format(crm_local_day_end(day_start), end);
		crm_buf_addf(sql, "%scoalesce(%s >= %s AND %s < ", negate ? "NOT " : "",
			     crm_buf_str(&f->sql), crm_buf_str(&rhs), crm_buf_str(&f->sql));
		crm_expr_param_text(ps->out, sql, end);
		crm_buf_adds(sql, ", FALSE)");
	} else {
		if (day && (strcmp(op, "<=") == 0 || strcmp(op, ">") == 0)) {
			/* <= and > take in the whole day, as = does: compare
			 * with the end of the day (the parameter just bound). */
			struct crm_expr_param *p = &ps->out->params[ps->out->nparams - 1];
			char end[32];

			crm_time_format(crm_local_day_end(day_start), end);
			free(p->text);
			p->text = xstrdup(end);
			snprintf(op, sizeof(op), "%s", op[0] == '<' ? "<" : ">=");
		}
		crm_buf_adds(sql, "coalesce(");
		operand(f, as_number, sql);
		crm_buf_addf(sql, " %s %s%s, %s)", negate ? "<>" : op, crm_buf_str(&rhs),
			     collate, negate ? "TRUE" : "FALSE");
	}
	crm_buf_free(&rhs);
	return next(ps);
}

static int parse_in(struct parser *ps, struct crm_filter_value *f, struct crm_buf *sql)
{
	struct crm_buf vals = CRM_BUF_INIT;
	int rc, n = 0, day, days = 0;
	int64_t day_start;
	int as_number = f->numeric_text;

	rc = next(ps);
	if (rc == 0)
		rc = expect(ps, T_LPAREN, "( after in");
	if (rc != 0)
		return rc;
	if (f->numeric_text && ps->tok.kind != T_NUMBER)
		as_number = 0;
	for (;;) {
		if (++n > IN_MAX) {
			rc = fail_at(ps, &ps->tok, "more than %d values in a list", IN_MAX);
			break;
		}
		if (n > 1)
			crm_buf_adds(&vals, ", ");
		if (f->numeric_text && as_number != (ps->tok.kind == T_NUMBER)) {
			rc = fail_at(ps, &ps->tok, "mix of numbers and text in a list");
			break;
		}
		rc = value_param(ps, f, &vals, &day, &day_start);
		/* A time field in a list of days: on one of those days. */
		if (rc == 0 && n == 1)
			days = day;
		else if (rc == 0 && day != days)
			rc = fail_at(ps, &ps->tok, "mix of days and times in a list");
		if (rc == 0)
			rc = next(ps);
		if (rc != 0 || ps->tok.kind == T_RPAREN)
			break;
		rc = expect(ps, T_COMMA, ", or )");
		if (rc != 0)
			break;
	}
	if (rc == 0) {
		crm_buf_adds(sql, "coalesce(");
		if (days)
			crm_buf_addf(sql, "strftime('%%Y-%%m-%%dT00:00:00Z', %s)", crm_buf_str(&f->sql));
		else
			operand(f, as_number, sql);
		crm_buf_addf(sql, "%s IN (%s), FALSE)",
			     f->type == CRM_FILTER_TEXT && !as_number ? " COLLATE NOCASE" : "",
			     crm_buf_str(&vals));
		rc = next(ps);
	}
	crm_buf_free(&vals);
	return rc;
}

static int parse_predicate(struct parser *ps, struct crm_buf *sql)
{
	struct token name;
	struct crm_filter_value f;
	int rc;
	char s[72];

	if (ps->tok.kind == T_TAG) {
		/* tag:NAME is a condition by itself (its value is 1 or 0) */
		rc = resolve_field(ps, &ps->tok, &f);
		if (rc != 0)
			return rc;
		crm_buf_addf(sql, "(%s <> 0)", crm_buf_str(&f.sql));
		crm_buf_free(&f.sql);
		return next(ps);
	}
	if (ps->tok.kind != T_IDENT) {
		shown(&ps->tok, s);
		return fail_at(ps, &ps->tok, "expected a field, tag:NAME, not or (, found %s", s);
	}
	name = ps->tok;
	name.text = xstrdup(ps->tok.text);
	rc = resolve_field(ps, &name, &f);
	if (rc != 0)
		goto out;
	rc = next(ps);
	if (rc != 0) {
		/* fall through to free f.sql */
	} else if (ps->tok.kind == T_OP) {
		rc = parse_comparison(ps, &f, &name, sql);
	} else if (ps->tok.kind == T_IN) {
		rc = parse_in(ps, &f, sql);
	} else if (ps->tok.kind == T_IS) {
		int negate = 0;

		rc = next(ps);
		if (rc == 0 && ps->tok.kind == T_NOT) {
			negate = 1;
			rc = next(ps);
		}
		if (rc == 0)
			rc = expect(ps, T_NULL, "null after is");
		if (rc == 0 && f.type == CRM_FILTER_TEXT)
			crm_buf_addf(sql, "%s(%s IS NULL OR %s = '')", negate ? "NOT " : "",
				     crm_buf_str(&f.sql), crm_buf_str(&f.sql));
		else if (rc == 0)
			crm_buf_addf(sql, "(%s IS %sNULL)", crm_buf_str(&f.sql), negate ? "NOT " : "");
	} else if (f.type == CRM_FILTER_BOOL) {
		crm_buf_addf(sql, "(coalesce(%s, 0) <> 0)", crm_buf_str(&f.sql));
	} else {
		shown(&ps->tok, s);
		rc = fail_at(ps, &ps->tok, "expected a comparison after %s, found %s",
			     name.text, s);
	}
	crm_buf_free(&f.sql);
out:
	free(name.text);
	return rc;
}

static int parse_unary(struct parser *ps, struct crm_buf *sql)
{
	int rc;

	if (++ps->depth > DEPTH_MAX)
		return fail_at(ps, &ps->tok, "expression nested deeper than %d", DEPTH_MAX);
	if (ps->tok.kind == T_NOT) {
		crm_buf_adds(sql, "NOT ");
		rc = next(ps);
		if (rc == 0)
			rc = parse_unary(ps, sql);
	} else if (ps->tok.kind == T_LPAREN) {
		struct token open = ps->tok;

		open.text = NULL;
		rc = next(ps);
		if (rc == 0)
			rc = parse_or(ps, sql);  /* which brackets what it writes */
		if (rc == 0 && ps->tok.kind == T_EOF)
			rc = fail_at(ps, &open, "( is never closed");
		else if (rc == 0 && ps->tok.kind != T_RPAREN)
			rc = expect(ps, T_RPAREN, "and, or or )");
		if (rc == 0)
			rc = next(ps);
	} else {
		struct token at = ps->tok;

		at.text = NULL;
		if (++ps->nconds > COND_MAX)
			return fail_at(ps, &at, "more than %d conditions", COND_MAX);
		rc = parse_predicate(ps, sql);
		if (rc == 0 && (long long)ps->out->base - 1 + (long long)ps->out->nparams > PARAM_MAX)
			rc = fail_at(ps, &at, "more than %d values in all", PARAM_MAX);
	}
	ps->depth--;
	return rc;
}

static int parse_and(struct parser *ps, struct crm_buf *sql)
{
	int rc = parse_unary(ps, sql);

	while (rc == 0 && ps->tok.kind == T_AND) {
		crm_buf_adds(sql, " AND ");
		rc = next(ps);
		if (rc == 0)
			rc = parse_unary(ps, sql);
	}
	return rc;
}

static int parse_or(struct parser *ps, struct crm_buf *sql)
{
	int rc;

	crm_buf_addc(sql, '(');
	rc = parse_and(ps, sql);
	while (rc == 0 && ps->tok.kind == T_OR) {
		crm_buf_adds(sql, " OR ");
		rc = next(ps);
		if (rc == 0)
			rc = parse_and(ps, sql);
	}
	crm_buf_addc(sql, ')');
	return rc;
}

/* Sets up ps to read src (what: "expression", for the message) into an
 * empty out; 64 when src is not valid UTF-8. */
static int parser_start(struct parser *ps, const char *src, const char *what, int64_t now,
			int base, unsigned scopes, struct crm_expr_sql *out, struct crm_err *e)
{
	memset(out, 0, sizeof(*out));
	out->base = base;
	out->scopes = scopes;
	memset(ps, 0, sizeof(*ps));
	ps->src = src;
	ps->p = src;
	ps->line = 1;
	ps->line_start = src;
	ps->now = now;
	ps->out = out;
	ps->e = e;
	if (!crm_utf8_valid(src, strlen(src), NULL))
		return crm_err_set(e, CRM_EX_USAGE, "1:1: the %s is not valid UTF-8", what);
	return 0;
}

int crm_expr_compile(const char *text, int64_t now, int base,
		     struct crm_expr_sql *out, struct crm_err *e)
{
	return crm_expr_compile_in(text, now, base, CRM_SCOPE_CONTACT, out, e);
}

int crm_expr_compile_in(const char *text, int64_t now, int base, unsigned scopes,
			struct crm_expr_sql *out, struct crm_err *e)
{
	struct parser ps;
	int rc;
	char s[48];

	rc = parser_start(&ps, text, "expression", now, base, scopes, out, e);
	if (rc != 0)
		return rc;
	rc = next(&ps);
	if (rc == 0 && ps.tok.kind == T_EOF)
		rc = crm_err_set(e, CRM_EX_USAGE, "1:1: empty expression");
	if (rc == 0)
		rc = parse_or(&ps, &out->where);
	if (rc == 0 && ps.tok.kind != T_EOF) {
		shown(&ps.tok, s);
		rc = fail_at(&ps, &ps.tok, ps.tok.kind == T_RPAREN ? "unbalanced )" :
			     "expected and, or or the end, found %s", s);
	}
	free(ps.tok.text);
	return rc;
}

int crm_expr_value(const char *field, int64_t now, int base,
		   struct crm_expr_sql *out, struct crm_err *e)
{
	struct parser ps;
	struct crm_filter_value f;
	struct token name;
	int rc;
	char code[4], q[72];

	memset(&name, 0, sizeof(name));
	rc = parser_start(&ps, field, "field name", now, base, CRM_SCOPE_CONTACT, out, e);
	if (rc != 0)
		return rc;
	rc = next(&ps);
	crm_filter_quote(field, q);
	if (rc == 0 && ps.tok.kind != T_IDENT)
		rc = fail_at(&ps, &ps.tok, "expected a field name, found \"%s\"", q);
	if (rc != 0)
		goto out;
	name = ps.tok;
	name.text = xstrdup(ps.tok.text);  /* next() frees the token's own */
	rc = resolve_field(&ps, &name, &f);
	if (rc != 0)
		goto out;
	rc = next(&ps);
	if (rc == 0 && ps.tok.kind != T_EOF)
		rc = fail_at(&ps, &ps.tok, "one field name expected, found more");
	if (rc == 0 && f.type == CRM_FILTER_TEXT && !f.numeric_text)
		rc = fail_at(&ps, &name, "%s is text, not a number", name.text);
	if (rc == 0) {
		switch (f.type) {
		case CRM_FILTER_NUMBER:
			crm_buf_adds(&out->where, crm_buf_str(&f.sql));
			break;
		case CRM_FILTER_BOOL:
			crm_buf_addf(&out->where, "coalesce(%s, 0)", crm_buf_str(&f.sql));
			break;
		case CRM_FILTER_MONEY:
			crm_default_currency_code(code);
			crm_buf_addf(&out->where, "(%s) / %d.0", crm_buf_str(&f.sql),
				     crm_currency_minor_per_major(code));
			break;
		case CRM_FILTER_DATE:
		case CRM_FILTER_TIME:
			crm_buf_adds(&out->where, "(julianday(");
			crm_expr_fragment(out, &out->where, "@now", now);
			crm_buf_addf(&out->where, ") - julianday(%s))", crm_buf_str(&f.sql));
			break;
		case CRM_FILTER_TEXT:
			operand(&f, 1, &out->where);
			break;
		}
	}
	crm_buf_free(&f.sql);
out:
	free(name.text);
	free(ps.tok.text);
	return rc;
}

int crm_expr_column(const char *name, int64_t now, int base,
		    struct crm_expr_sql *out, enum crm_expr_show *show,
		    struct crm_err *e)
{
	return crm_expr_column_in(name, now, base, CRM_SCOPE_CONTACT, out, show, e);
}

int crm_expr_column_in(const char *name, int64_t now, int base, unsigned scopes,
		       struct crm_expr_sql *out, enum crm_expr_show *show,
		       struct crm_err *e)
{
	struct parser ps;
	struct crm_filter_value f;
	struct token tok;
	struct crm_err ignored;
	int rc;

	*show = CRM_EXPR_SHOW_TEXT;
	/* One name alone, as the lexer reads it; anything else is unknown. */
	if (parser_start(&ps, name, "field name", now, base, scopes, out, &ignored) != 0)
		return CRM_EX_NOTFOUND;
	for (const char *p = name; *p != '\0'; p++)
		if (isspace((unsigned char)*p))
			return CRM_EX_NOTFOUND;
	if (next(&ps) != 0 || (ps.tok.kind != T_IDENT && ps.tok.kind != T_TAG)) {
		free(ps.tok.text);
		return CRM_EX_NOTFOUND;
	}
	tok = ps.tok;
	ps.tok.text = NULL;
	rc = next(&ps);
	free(ps.tok.text);
	if (rc != 0 || ps.tok.kind != T_EOF) {
		free(tok.text);
		return CRM_EX_NOTFOUND;
	}
	rc = lookup(&tok, out, now, &f, e);
	free(tok.text);
	if (rc != 0)
		return rc;
	switch (f.type) {
	case CRM_FILTER_NUMBER:
		*show = CRM_EXPR_SHOW_NUMBER;
		crm_buf_adds(&out->where, crm_buf_str(&f.sql));
		break;
	case CRM_FILTER_BOOL:
		*show = CRM_EXPR_SHOW_NUMBER;
		crm_buf_addf(&out->where, "coalesce(%s, 0)", crm_buf_str(&f.sql));
		break;
	case CRM_FILTER_MONEY:
		/* whole minor units (an average is rounded), for crm_amount_format */
		*show = CRM_EXPR_SHOW_MONEY;
		crm_buf_addf(&out->where, "CAST(round(%s) AS INTEGER)", crm_buf_str(&f.sql));
		break;
	case CRM_FILTER_TEXT:
	case CRM_FILTER_DATE:
	case CRM_FILTER_TIME:
		crm_buf_adds(&out->where, crm_buf_str(&f.sql));
		break;
	}
	crm_buf_free(&f.sql);
	return 0;
}

void crm_expr_known_names(struct crm_buf *out)
{
	crm_filter_known_names(out, CRM_SCOPE_CONTACT);
}

void crm_expr_known_names_in(struct crm_buf *out, unsigned scopes)
{
	crm_filter_known_names(out, scopes);
}
