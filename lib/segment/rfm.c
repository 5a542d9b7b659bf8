/* rfm.c - recency, frequency and monetary scores over purchases. */
#include "segment/rfm.h"

#include <stdlib.h>
#include <string.h>

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

int crm_rfm_score(struct crm_store *s, int64_t as_of, unsigned long *scored,
		  struct crm_err *e)
{
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
	st = crm_store_prepare(s,
		"INSERT INTO contact_rfm (contact_id, r, f, m, recency_days, frequency,"
		" monetary, segment, as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	for (size_t i = 0; i < rows.n && rc == 0; i++) {
		crm_bind_int64(st, 1, rows.id[i]);
		crm_bind_int(st, 2, rs[i]);
		crm_bind_int(st, 3, fs[i]);
		crm_bind_int(st, 4, ms[i]);
		crm_bind_int64(st, 5, (int64_t)rows.recency[i]);
		crm_bind_int64(st, 6, (int64_t)rows.frequency[i]);
		crm_bind_int64(st, 7, (int64_t)rows.monetary[i]);
		crm_bind_text_ref(st, 8, crm_rfm_segment(rs[i], fs[i], ms[i]));
		crm_bind_text_ref(st, 9, as_of_text);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0)
		*scored = rows.n;
out:
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
