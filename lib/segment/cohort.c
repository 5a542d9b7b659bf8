/* cohort.c - first-purchase cohorts (cohort.h). */
#include "segment/cohort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"

/* The period index of a time: months since year 0, or weeks since the
 * Monday 1970-01-05 (a week runs from Monday). */
#define MONTH_IDX "(CAST(substr(at, 1, 4) AS INTEGER) * 12 + CAST(substr(at, 6, 2) AS INTEGER) - 1)"
#define WEEK_IDX "(CAST(julianday(strftime('%Y-%m-%d', at, 'weekday 0', '-6 days')) - 2440587.5" \
	" AS INTEGER) - 4) / 7"

/* Per cohort (the period of the first purchase) and offset: the cohort's
 * size, how many of it bought, and the revenue (purchases less refunds). */
#define COHORT_SQL(IDX) \
	"WITH p AS (SELECT contact_id, type, amount, " IDX " AS idx FROM interactions" \
	"  WHERE (type = 'purchase' OR type = 'refund'))," \
	" f AS (SELECT contact_id, min(idx) AS cidx FROM p WHERE type = 'purchase'" \
	"  GROUP BY contact_id)," \
	" sizes AS (SELECT cidx, count(*) AS n FROM f GROUP BY cidx)" \
	" SELECT f.cidx, sizes.n, p.idx - f.cidx AS off," \
	"  count(DISTINCT CASE WHEN p.type = 'purchase' THEN p.contact_id END)," \
	"  sum(p.amount)" \
	" FROM f JOIN p ON p.contact_id = f.contact_id AND p.idx >= f.cidx" \
	" JOIN sizes ON sizes.cidx = f.cidx" \
	" WHERE p.idx - f.cidx < ?1 GROUP BY f.cidx, sizes.n, off ORDER BY f.cidx, off"

static void label(int week, int64_t idx, char out[32])
{
	if (!week) {
		snprintf(out, 32, "%04lld-%02lld", (long long)(idx / 12), (long long)(idx % 12 + 1));
	} else {
		int64_t y;
		int m, d;

		crm_civil_from_days(4 + idx * 7, &y, &m, &d);
		crm_date_format(y, m, d, out);
	}
}

int crm_cohorts(struct crm_store *s, int week, int64_t periods,
		struct crm_cohorts *out, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, week ? COHORT_SQL(WEEK_IDX) : COHORT_SQL(MONTH_IDX));
	int64_t cur = -1;
	int step;

	memset(out, 0, sizeof(*out));
	out->periods = periods;
	if (periods < 1 || periods > CRM_COHORT_PERIODS_MAX)
		return crm_err_set(e, CRM_EX_USAGE, "periods must be 1-%d", CRM_COHORT_PERIODS_MAX);
	crm_bind_int64(st, 1, periods);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		int64_t cohort = crm_column_int64(st, 0), off = crm_column_int64(st, 2);
		struct crm_cohort *c;

		if (out->n == 0 || cohort != cur) {
			out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
			c = &out->rows[out->n++];
			label(week, cohort, c->label);
			c->size = crm_column_int64(st, 1);
			c->cells = xcalloc((size_t)periods, sizeof(*c->cells));
			cur = cohort;
		}
		c = &out->rows[out->n - 1];
		if (off < 0 || off >= periods)
			continue;  /* the SQL keeps 0 <= off < periods */
		c->cells[off].set = 1;
		c->cells[off].buyers = crm_column_int64(st, 3);
		c->cells[off].revenue = crm_column_int64(st, 4);
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

void crm_cohorts_free(struct crm_cohorts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->rows[i].cells);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}
