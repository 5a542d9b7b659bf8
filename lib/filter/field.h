/* field.h - the fields of the filter language (crm-filter(7)) and of
 * --fields, as the domains register them: each domain's crm_domain
 * (store/domain.h) lists its struct crm_filter_field rows, and the
 * language knows exactly the fields of every domain in crm_domains.
 *
 * A row is one name with fixed SQL,
 *
 *   { "purchases.count", CRM_FILTER_NUMBER,
 *     "(SELECT count(*) FROM interactions WHERE contact_id = c.id"
 *     " AND type = 'purchase')", "purchases.count\tnumber\tnumber of purchases" },
 *
 * or a family of names that a function builds (field.NAME,
 * interactions.last_Nd, the standard contact fields). The SQL is a value
 * over the contact `c` (FROM contacts c). It is fixed text: a build
 * function puts anything it takes from the name (a custom field name, a
 * tag) in a bound parameter with crm_filter_add_text, never in the text.
 *
 * Names are unique across all domains; a name with fixed SQL is found
 * before any family is asked.
 */
#ifndef CRM_FIELD_H
#define CRM_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "filter/param.h"

struct crm_err;

enum crm_filter_type {
	CRM_FILTER_TEXT,
	CRM_FILTER_NUMBER,
	CRM_FILTER_BOOL,   /* 0 or 1 */
	CRM_FILTER_DATE,   /* YYYY-MM-DD */
	CRM_FILTER_TIME,   /* ISO 8601 UTC, as crm_time_format writes */
	CRM_FILTER_MONEY,  /* minor units of the default currency */
};

/* A field as compiled: its SQL, its type, and where its values go. */
struct crm_filter_value {
	enum crm_filter_type type;
	int numeric_text;        /* text that compares as a number with a number
				    (a custom field: shoe_size > 40) */
	struct crm_buf sql;
	struct crm_expr_sql *x;  /* borrowed: takes the values the SQL binds */
	int64_t now;             /* anchors @now and relative times */
};

struct crm_filter_field {
	/* The name, or a family's pattern as lists and messages show it
	 * ("field.NAME"); NULL for a family that lists its names one by one
	 * (see names). */
	const char *name;
	enum crm_filter_type type;   /* a family's build may change it */
	const char *sql;             /* a single name: its value; "@now" is
					the time now, bound */
	/* "NAME\tTYPE\tDESCRIPTION" for help texts, or NULL where the line
	 * of another row covers this one ("rfm.r, rfm.f, rfm.m, ..."). */
	const char *help;
	/* A family: builds name into v (v->sql empty, v->type this row's
	 * type). Returns 0; CRM_EX_NOTFOUND, e untouched, when name is not
	 * one of the family's; CRM_EX_USAGE with e set when it is but is
	 * malformed ("invalid custom field name \"X\""). */
	int (*build)(const char *name, struct crm_filter_value *v, struct crm_err *e);
	/* A family's concrete names, for "did you mean" (and for the list
	 * of known names when name is NULL): the i-th, in buf or static,
	 * NULL after the last. NULL when there are none to offer. */
	const char *(*names)(size_t i, char buf[64]);
	int numeric_text;            /* see struct crm_filter_value */
	/* CRM_SCOPE_CONTACT (0): a value of the contact c, known everywhere;
	 * CRM_SCOPE_DEAL: of the deal l, known only where the caller's SQL
	 * has one (struct crm_expr_sql's scopes), refused elsewhere with
	 * `lead.value is a field of a deal: crm-lead's --filter and --fields
	 * only`, and left out of the lists of names there. */
	unsigned scope;
};

/* For build functions: appends fixed SQL to v (each "@now" bound to
 * v->now), or a parameter bound to text. */
void crm_filter_add_sql(struct crm_filter_value *v, const char *frag);
void crm_filter_add_text(struct crm_filter_value *v, const char *text);

/* s for a message: at most 64 bytes (never cutting a UTF-8 character,
 * "..." when shortened), control characters as '?'. */
void crm_filter_quote(const char *s, char out[72]);

/* ---- the registry, as the language reads it ------------------------------ */

/* Compiles name (country, tag:vip, field.shoe_size, ...) into v, which is
 * initialised here with x and now; free v->sql whatever the result.
 * Returns 0; CRM_EX_NOTFOUND, e untouched, when no domain knows name;
 * CRM_EX_USAGE with e set (no position) when it is malformed. */
int crm_filter_find(const char *name, struct crm_expr_sql *x, int64_t now,
		    struct crm_filter_value *v, struct crm_err *e);

/* The known name closest to name (at most two edits away) among the
 * fields of scopes (CRM_SCOPE_*), in buf or static, for "did you mean";
 * NULL when none is that close. */
const char *crm_filter_suggest(const char *name, unsigned scopes, char buf[64]);

/* Appends every name of scopes the domains register to out, ", " between
 * them: single names first, then the families' patterns. */
void crm_filter_known_names(struct crm_buf *out, unsigned scopes);

/* The i-th help line of the registry ("age\tnumber\twhole years since
 * birthdate"), NULL after the last. */
const char *crm_filter_help(size_t i);

#endif
