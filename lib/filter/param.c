/* param.c - SQL with its values kept apart (param.h). */
#include "filter/param.h"

#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/xalloc.h"
#include "store/store.h"

/* A new parameter of x, zeroed but for its kind, and "?N" for it in sql. */
static struct crm_expr_param *param_new(struct crm_expr_sql *x, struct crm_buf *sql,
					enum crm_expr_param_kind kind)
{
	struct crm_expr_param *p;

	x->params = xreallocarray(x->params, x->nparams + 1, sizeof(*x->params));
	p = &x->params[x->nparams];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	crm_buf_addf(sql, "?%d", x->base + (int)x->nparams);
	x->nparams++;
	return p;
}

void crm_expr_param_text(struct crm_expr_sql *x, struct crm_buf *sql, const char *v)
{
	param_new(x, sql, CRM_EXPR_TEXT)->text = xstrdup(v);
}

void crm_expr_param_int(struct crm_expr_sql *x, struct crm_buf *sql, int64_t v)
{
	param_new(x, sql, CRM_EXPR_INT)->i = v;
}

void crm_expr_param_real(struct crm_expr_sql *x, struct crm_buf *sql, double v)
{
	param_new(x, sql, CRM_EXPR_REAL)->d = v;
}

void crm_expr_fragment(struct crm_expr_sql *x, struct crm_buf *sql, const char *frag,
		       int64_t now)
{
	char text[32];

	crm_time_format(now, text);
	for (const char *p = frag; *p != '\0';) {
		const char *at = strstr(p, "@now");

		if (at == NULL) {
			crm_buf_adds(sql, p);
			break;
		}
		crm_buf_add(sql, p, (size_t)(at - p));
		crm_expr_param_text(x, sql, text);
		p = at + 4;
	}
}

void crm_expr_sql_free(struct crm_expr_sql *x)
{
	for (size_t i = 0; i < x->nparams; i++)
		free(x->params[i].text);
	free(x->params);
	crm_buf_free(&x->where);
	memset(x, 0, sizeof(*x));
}

void crm_expr_bind(const struct crm_expr_sql *x, struct crm_stmt *st)
{
	for (size_t i = 0; i < x->nparams; i++) {
		const struct crm_expr_param *p = &x->params[i];
		int idx = x->base + (int)i;

		if (p->kind == CRM_EXPR_TEXT)
			crm_bind_text_ref(st, idx, p->text);
		else if (p->kind == CRM_EXPR_INT)
			crm_bind_int64(st, idx, p->i);
		else
			crm_bind_double(st, idx, p->d);
	}
}
