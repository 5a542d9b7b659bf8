/* log_rows.c - the rows of a crm-log query as text (log_rows.h). */
#include <stdlib.h>

#include "base/money.h"
#include "base/xalloc.h"
#include "log/log_rows.h"
#include "store/store.h"

struct crm_log_rows {
	struct crm_store *s;
	struct crm_stmt *st;
	int owned;
	int amount_col;
	int currency_col;
	size_t ncols;
	const char *vals[CRM_LOG_ROWS_MAX];
	char amount[32];
};

struct crm_log_rows *crm_log_rows_new(struct crm_store *s, struct crm_stmt *st, int owned,
				      int amount_col, int currency_col)
{
	struct crm_log_rows *r = xcalloc(1, sizeof(*r));
	int n = crm_column_count(st);

	r->s = s;
	r->st = st;
	r->owned = owned;
	r->ncols = n < CRM_LOG_ROWS_MAX ? (size_t)n : CRM_LOG_ROWS_MAX;
	r->amount_col = amount_col >= 0 && (size_t)amount_col < r->ncols ? amount_col : -1;
	r->currency_col = currency_col >= 0 && (size_t)currency_col < r->ncols ? currency_col : -1;
	return r;
}

int crm_log_rows_next(struct crm_log_rows *r, const char *const **vals,
		      struct crm_err *e)
{
	int step = crm_store_step(r->s, r->st, e);

	if (step != CRM_ROW)
		return step == CRM_DONE ? 0 : -1;
	for (size_t i = 0; i < r->ncols; i++)
		r->vals[i] = (const char *)crm_column_text(r->st, (int)i);
	if (r->amount_col >= 0 && crm_column_type(r->st, r->amount_col) != CRM_NULL) {
		const char *cur = r->currency_col >= 0 ? r->vals[r->currency_col] : NULL;

		crm_amount_format(crm_column_int64(r->st, r->amount_col),
				  cur != NULL ? cur : "", r->amount);
		r->vals[r->amount_col] = r->amount;
	}
	*vals = r->vals;
	return 1;
}

size_t crm_log_rows_ncols(const struct crm_log_rows *r)
{
	return r->ncols;
}

void crm_log_rows_close(struct crm_log_rows *r)
{
	if (r == NULL)
		return;
	if (r->owned)
		crm_stmt_free(r->st);
	else
		crm_stmt_reset(r->st);
	free(r);
}
