/* param.h - SQL with its values kept apart: what the filter language
 * (expr.h) compiles and the fields the domains register (field.h) write.
 * The SQL text holds ?N where a value goes; the values are bound to the
 * statement afterwards, so no text from the user is ever part of the SQL.
 */
#ifndef CRM_PARAM_H
#define CRM_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct crm_stmt;

enum crm_expr_param_kind { CRM_EXPR_TEXT, CRM_EXPR_INT, CRM_EXPR_REAL };

struct crm_expr_param {
	enum crm_expr_param_kind kind;
	char *text;
	int64_t i;
	double d;
};

struct crm_expr_sql {
	struct crm_buf where;            /* the condition, e.g. "(c.country = ?3 ...)" */
	struct crm_expr_param *params;   /* bound to ?base, ?base+1, ... */
	size_t nparams;
	int base;                        /* the number of the first parameter */
	/* The rows the SQL around the condition has besides the contact c:
	 * CRM_SCOPE_DEAL when a deal is `l` (crm-lead's filters and
	 * columns). A field of a scope not here is refused by name. */
	unsigned scopes;
};

#define CRM_SCOPE_CONTACT 0u   /* the contact c alone: every program */
#define CRM_SCOPE_DEAL    1u   /* a deal l of the contact c (crm-lead) */

/* Appends "?N" to sql, N the number of a new parameter of x with value v
 * (the text is copied). */
void crm_expr_param_text(struct crm_expr_sql *x, struct crm_buf *sql, const char *v);
void crm_expr_param_int(struct crm_expr_sql *x, struct crm_buf *sql, int64_t v);
void crm_expr_param_real(struct crm_expr_sql *x, struct crm_buf *sql, double v);

/* Appends frag, fixed SQL, to sql with each "@now" in it a new parameter
 * of x: the time now as ISO 8601 text. */
void crm_expr_fragment(struct crm_expr_sql *x, struct crm_buf *sql, const char *frag,
		       int64_t now);

void crm_expr_sql_free(struct crm_expr_sql *x);

/* Binds the parameters to st. */
void crm_expr_bind(const struct crm_expr_sql *x, struct crm_stmt *st);

#endif
