/* rfm.c - recency, frequency and monetary scores over purchases. */
#include "segment/rfm.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/stats.h"
#include "io/output.h"
#include "store/store.h"
#include "base/xalloc.h"

static const char *const grid[5][5] = {
	/* r = 1 */ { "lost", "lost", "at risk", "cannot lose", "cannot lose" },
	/* r = 2 */ { "hibernating", "hibernating", "at risk", "at risk", "cannot lose" },
	/* r = 3 */ { "about to sleep", "about to sleep", "needs attention", "loyal", "loyal" },
	/* r = 4 */ { "promising", "potential loyalist", "potential loyalist", "loyal", "champions" },
	/* r = 5 */ { "new", "potential loyalist", "potential loyalist", "champions", "champions" },
};

const char *crm_rfm_segment(int r, int f, int m)
{
	int fm = (f + m + 1) / 2;

	if (r < 1 || r > 5 || fm < 1 || fm > 5)
		return "unscored";
	return grid[r - 1][fm - 1];
}

struct rows {
	int64_t *id;
	double *recency, *frequency, *monetary;
	size_t n, cap;
};

static void rows_push(struct rows *r, int64_t id, double rec, double freq, double mon)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->id = xreallocarray(r->id, r->cap, sizeof(*r->id));
		r->recency = xreallocarray(r->recency, r->cap, sizeof(double));
		r->frequency = xreallocarray(r->frequency, r->cap, sizeof(double));
		r->monetary = xreallocarray(r->monetary, r->cap, sizeof(double));
	}
	r->id[r->n] = id;
	r->recency[r->n] = rec;
	r->frequency[r->n] = freq;
	r->monetary[r->n] = mon;
	r->n++;
}

static void rows_free(struct rows *r)
{
	free(r->id);
	free(r->recency);
	free(r->frequency);
	free(r->monetary);
	memset(r, 0, sizeof(*r));
}

/* Scores go to the store this many contacts a statement: one round trip
 * per 100 rows to a server store, not one a row. */
#define RFM_BATCH 100

/* "INSERT INTO contact_rfm ... VALUES (?1, ..., ?9), (?10, ...)" for n rows,
 * in sql. */
static const char *insert_sql(struct crm_buf *sql, size_t n)
{
	crm_buf_reset(sql);
	crm_buf_adds(sql, "INSERT INTO contact_rfm (contact_id, r, f, m, recency_days, frequency,"
		     " monetary, segment, as_of) VALUES ");
	for (size_t j = 0; j < n; j++) {
		size_t b = j * 9;

		crm_buf_addf(sql, "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu)",
			     j > 0 ? ", " : "", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
			     b + 8, b + 9);
	}
	return crm_buf_str(sql);
}

int crm_rfm_score(struct crm_store *s, int64_t as_of, unsigned long *scored,
		  struct crm_err *e)
{
	struct crm_buf batch_sql = CRM_BUF_INIT, last_sql = CRM_BUF_INIT;
	struct rows rows = { 0 };
	int *rs = NULL, *fs = NULL, *ms = NULL;
	char as_of_text[32];
	struct crm_stmt *st;
	int rc;

	*scored = 0;
	crm_time_format(as_of, as_of_text);
	st = crm_store_prepare(s,
		"SELECT contact_id, max(at) FILTER (WHERE type = 'purchase'),"
		" count(*) FILTER (WHERE type = 'purchase'), sum(amount)"
		" FROM interactions WHERE (type = 'purchase' OR type = 'refund') AND at < ?1"
		" GROUP BY contact_id HAVING count(*) FILTER (WHERE type = 'purchase') > 0"
		" ORDER BY contact_id");
	crm_bind_text_ref(st, 1, as_of_text);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		int64_t last;

		if (crm_time_parse((const char *)crm_column_text(st, 1), as_of, &last, NULL) != 0)
			last = as_of;
		rows_push(&rows, crm_column_int64(st, 0), (double)((as_of - last) / 86400),
			  (double)crm_column_int64(st, 2), (double)crm_column_int64(st, 3));
	}
	crm_stmt_reset(st);
	if (rc < 0) {
		rc = e->code;
		goto out;
	}
	rc = 0;
	if (rows.n == 0)
		goto out; /* nothing to score: the last scores stay */
	rc = crm_store_exec(s, "DELETE FROM contact_rfm", e);
	if (rc != 0)
		goto out;
	rs = xcalloc(rows.n, sizeof(int));
	fs = xcalloc(rows.n, sizeof(int));
	ms = xcalloc(rows.n, sizeof(int));
	if (crm_stats_quintiles(rows.recency, rows.n, 0, rs) != 0 ||
	    crm_stats_quintiles(rows.frequency, rows.n, 1, fs) != 0 ||
	    crm_stats_quintiles(rows.monetary, rows.n, 1, ms) != 0) {
		rc = crm_err_set(e, CRM_EX_SOFTWARE, "rfm: cannot score %zu contacts", rows.n);
		goto out;
	}
	for (size_t i = 0; i < rows.n && rc == 0; i += RFM_BATCH) {
		size_t n = rows.n - i < RFM_BATCH ? rows.n - i : RFM_BATCH;

		st = n == RFM_BATCH ? crm_store_prepare(s, insert_sql(&batch_sql, n)) : NULL;
		if (st == NULL)
			rc = crm_store_prepare_built(s, insert_sql(&last_sql, n), &st, e);
		for (size_t j = 0; j < n && rc == 0; j++) {
			size_t k = i + j;
			int b = (int)(j * 9);

			crm_bind_int64(st, b + 1, rows.id[k]);
			crm_bind_int(st, b + 2, rs[k]);
			crm_bind_int(st, b + 3, fs[k]);
			crm_bind_int(st, b + 4, ms[k]);
			crm_bind_int64(st, b + 5, (int64_t)rows.recency[k]);
			crm_bind_int64(st, b + 6, (int64_t)rows.frequency[k]);
			crm_bind_int64(st, b + 7, (int64_t)rows.monetary[k]);
			crm_bind_text_ref(st, b + 8, crm_rfm_segment(rs[k], fs[k], ms[k]));
			crm_bind_text_ref(st, b + 9, as_of_text);
		}
		if (rc == 0)
			rc = crm_store_run(s, st, e);
		if (n != RFM_BATCH)
			crm_stmt_free(st);
	}
	if (rc == 0)
		*scored = rows.n;
out:
	crm_buf_free(&batch_sql);
	crm_buf_free(&last_sql);
	free(rs);
	free(fs);
	free(ms);
	rows_free(&rows);
	return rc;
}

int crm_rfm_report(struct crm_store *s, unsigned long scored, struct crm_out *out,
		   struct crm_err *e)
{
	static const char *const cols[] = {
		"segment", "contacts", "share", "revenue", "avg_recency_days",
		"avg_frequency", "avg_r", "avg_f", "avg_m",
	};
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT segment, count(*), printf('%.1f%%', 100.0 * count(*) / ?1), sum(monetary),"
		" printf('%.0f', avg(recency_days)), printf('%.1f', avg(frequency)),"
		" printf('%.1f', avg(r)), printf('%.1f', avg(f)), printf('%.1f', avg(m))"
		" FROM contact_rfm GROUP BY segment ORDER BY sum(monetary) DESC");
	char code[4];
	int step;

	crm_default_currency_code(code);
	crm_bind_int64(st, 1, (int64_t)scored);
	crm_out_columns(out, 9, cols);
	for (size_t i = 1; i < 9; i++)
		if (i != 2)
			crm_out_numeric(out, i);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *vals[9];
		char revenue[32];

		for (int i = 0; i < 9; i++)
			vals[i] = (const char *)crm_column_text(st, i);
		crm_amount_format(crm_column_int64(st, 3), code, revenue);
		vals[3] = revenue;
		crm_out_row(out, vals);
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}
