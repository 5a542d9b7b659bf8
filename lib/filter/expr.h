/* expr.h - the filter language (crm-filter(7)): a safe expression over
 * contacts, compiled to an SQL condition whose values are all bound
 * parameters and whose names all come from the fields the domains
 * register (filter/field.h).
 *
 *   country = "NL" and tag:vip and purchases.count >= 3
 *     and purchases.last < -90d and not opt_out.email
 *
 * The condition refers to the contact as `c` (FROM contacts c). Errors
 * point at the column: `1:14: unknown field "contry" (did you mean
 * "country"?)`, code CRM_EX_USAGE.
 */
#ifndef CRM_EXPR_H
#define CRM_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "filter/param.h"   /* struct crm_expr_sql, crm_expr_bind */

struct crm_err;

/* Compiles text. now anchors relative dates; base is the number of the
 * first SQL parameter the condition may use (1 when it is alone). Returns
 * 0, or CRM_EX_USAGE with e set. out is initialised here; free it with
 * crm_expr_sql_free() whatever the result. */
int crm_expr_compile(const char *text, int64_t now, int base,
		     struct crm_expr_sql *out, struct crm_err *e);

/* crm_expr_compile where the SQL around the condition has the rows of
 * scopes besides the contact (CRM_SCOPE_DEAL: a deal `l`), whose fields
 * (lead.value, ...) it then knows; crm_expr_compile is scopes
 * CRM_SCOPE_CONTACT, and refuses them by name. */
int crm_expr_compile_in(const char *text, int64_t now, int base, unsigned scopes,
			struct crm_expr_sql *out, struct crm_err *e);

/* Compiles one field name (age, purchases.total, field.shoe_size, ...)
 * into a numeric SQL value in out->where: numbers as they are, money in
 * major units of the default currency, times and dates as days before
 * now, true/false as 1/0, a custom field as a number (NULL when it is not
 * one). Text fields are CRM_EX_USAGE: `country is text, not a number`. */
int crm_expr_value(const char *field, int64_t now, int base,
		   struct crm_expr_sql *out, struct crm_err *e);

/* How a listing prints a column (crm-filter(7), COLUMNS). */
enum crm_expr_show {
	CRM_EXPR_SHOW_TEXT,    /* text, dates and times as stored */
	CRM_EXPR_SHOW_NUMBER,  /* numbers as they are, true/false as 1/0 */
	CRM_EXPR_SHOW_MONEY,   /* whole minor units of the default currency:
				* print with crm_amount_format() */
};

/* Compiles any name the language knows (country, field.shoe_size,
 * tag:vip, purchases.total, rfm.segment, cluster, ...) into an SQL value
 * over contact c for a listing's column, with the same SQL the filter
 * uses. Returns 0; CRM_EX_NOTFOUND, e untouched, when the language does
 * not know name (see crm_expr_known_names); CRM_EX_USAGE with e set for
 * a malformed one (field.X). out is initialised here; free it with
 * crm_expr_sql_free() whatever the result. */
int crm_expr_column(const char *name, int64_t now, int base,
		    struct crm_expr_sql *out, enum crm_expr_show *show,
		    struct crm_err *e);

/* crm_expr_column over the rows of scopes (crm_expr_compile_in). */
int crm_expr_column_in(const char *name, int64_t now, int base, unsigned scopes,
		       struct crm_expr_sql *out, enum crm_expr_show *show,
		       struct crm_err *e);

/* Appends every name the language knows to out, ", " between them,
 * patterns spelt out (field.NAME, tag:NAME, interactions.last_Nd, ...):
 * for "unknown field" messages (crm_filter_known_names; the help line of
 * each is crm_filter_help). */
void crm_expr_known_names(struct crm_buf *out);

/* The names known over the rows of scopes (crm_expr_compile_in). */
void crm_expr_known_names_in(struct crm_buf *out, unsigned scopes);

#endif
