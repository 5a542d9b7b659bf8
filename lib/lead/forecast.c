/* forecast.c - weighted and simulated sales forecasts (forecast.h). */
#include "lead/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/simulate.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "lead/quota.h"
#include "lead/rates.h"
#include "store/store.h"

int crm_forecast_by_parse(const char *s, enum crm_forecast_by *out)
{
	static const char *const names[] = { "month", "quarter", "owner", "stage", "pipeline" };

	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum crm_forecast_by)i;
			return 0;
		}
	return -1;
}

/* One row of the forecast: a group in a currency. */
struct group {
	char name[128];
	char currency[4];
	int64_t deals, open_value, won, quota;
	int has_quota;
	uint64_t fx_mask;     /* the rates used (lead/rates.h) */
	double weighted;
	struct crm_simulate_period sim;
};

struct forecast {
	struct group *g;
	size_t n, cap;
	struct crm_simulate_deal *deals;  /* for the simulation: period = group */
	size_t ndeals, dcap;
	struct crm_fx_table fx;           /* with --currency */
};

/* value in currency cur as the row's: itself, or converted with
 * --currency (the rate used marked in g's mask). */
static int row_amount(struct crm_store *s, const struct crm_forecast_opts *o, struct forecast *f,
		      const char *cur, int64_t value, int64_t *out, uint64_t *mask,
		      struct crm_err *e)
{
	int which, rc;

	if (o->currency == NULL) {
		*out = value;
		return 0;
	}
	rc = crm_fx_table_convert(s, &f->fx, cur, value, out, &which, e);
	if (rc == 0 && which >= 0)
		*mask |= (uint64_t)1 << which;
	return rc;
}

static size_t group_of(struct forecast *f, const char *name, const char *cur)
{
	for (size_t i = f->n; i > 0; i--)
		if (strcmp(f->g[i - 1].name, name) == 0 && strcmp(f->g[i - 1].currency, cur) == 0)
			return i - 1;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->g = xreallocarray(f->g, f->cap, sizeof(*f->g));
	}
	memset(&f->g[f->n], 0, sizeof(f->g[0]));
	snprintf(f->g[f->n].name, sizeof(f->g[0].name), "%s", name);
	snprintf(f->g[f->n].currency, sizeof(f->g[0].currency), "%s", cur);
	return f->n++;
}

/* The period of a date (YYYY-MM-DD) as "2026-11" or "2026-Q4". */
static void period_of(const char *date, int quarter, char out[16])
{
	int y = atoi(date) % 10000, m = atoi(date + 5) % 100;

	if (quarter)
		snprintf(out, 16, "%04d-Q%d", y, (m + 2) / 3 % 10);
	else
		snprintf(out, 16, "%04d-%02d", y, m);
}

/* The first day of period k from now's, and of the one after the last. */
static void period_start(int64_t now, int quarter, int k, char out[16])
{
	int64_t y, days = crm_local_days(now);
	int m, d;

	crm_civil_from_days(days, &y, &m, &d);
	if (quarter)
		m = (m - 1) / 3 * 3 + 1 + 3 * k;
	else
		m += k;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	crm_date_format(y, m, 1, out);
}

/* A won deal counts in the period it was won in. */
#define WHEN "CASE WHEN t.kind = 'won' THEN substr(l.closed_at, 1, 10) ELSE l.expected_close END"
static const char *const group_sql[] = {
	WHEN, WHEN, "coalesce(l.owner, '(none)')", "t.name", "p.name",
};

static int collect(struct crm_store *s, const struct crm_forecast_opts *o, struct forecast *f,
		   struct crm_err *e)
{
	int dated = o->by == CRM_BY_MONTH || o->by == CRM_BY_QUARTER;
	int quarter = o->by == CRM_BY_QUARTER;
	char first[16], end[16], sql[600], period[16];
	struct crm_stmt *st;
	int step, rc;

	period_start(o->now, quarter, 0, first);
	period_start(o->now, quarter, o->periods, end);
	snprintf(sql, sizeof(sql),
		 "SELECT %s, l.currency, l.value, coalesce(l.score, t.probability), t.kind"
		 " FROM leads l JOIN stages t ON t.id = l.stage_id JOIN pipelines p"
		 " ON p.id = l.pipeline_id WHERE (t.kind = 'open'%s) ORDER BY l.id",
		 group_sql[o->by], dated ? " OR (t.kind = 'won' AND l.closed_at >= ?1"
		 " AND l.closed_at < ?2)" : " OR (t.kind = 'won' AND l.closed_at >= ?1)");
	rc = crm_store_prepare_built(s, sql, &st, e);
	if (rc != 0)
		return rc;
	crm_bind_text(st, 1, first);
	crm_bind_text(st, 2, end);
	crm_stmt_stream(st);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *key = crm_column_text(st, 0);
		const char *cur = crm_column_text(st, 1);
		int64_t value = crm_column_int64(st, 2);
		int won = strcmp(crm_column_text(st, 4), "won") == 0;
		double p = crm_column_double(st, 3) / 100.0;
		uint64_t mask = 0;
		size_t g;

		if (dated) {
			if (key == NULL) {
				snprintf(period, sizeof(period), "none");
			} else if (won) {
				period_of(key, quarter, period);
			} else if (strcmp(key, end) >= 0) {
				continue;     /* beyond the horizon */
			} else {
				period_of(strcmp(key, first) < 0 ? first : key, quarter, period);
			}
			key = period;
		}
		if ((rc = row_amount(s, o, f, cur, value, &value, &mask, e)) != 0)
			break;
		g = group_of(f, key != NULL ? key : "(none)", o->currency != NULL ? o->currency : cur);
		f->g[g].fx_mask |= mask;
		if (won) {
			f->g[g].won += value;
			continue;
		}
		f->g[g].deals++;
		f->g[g].open_value += value;
		f->g[g].weighted += (double)value * p;
		if (o->simulate > 0) {
			if (f->ndeals == f->dcap) {
				f->dcap = f->dcap ? f->dcap * 2 : 1024;
				f->deals = xreallocarray(f->deals, f->dcap, sizeof(*f->deals));
			}
			f->deals[f->ndeals].period = (int)g;
			f->deals[f->ndeals].value = value;
			f->deals[f->ndeals++].p = p;
		}
	}
	crm_stmt_free(st);
	return rc != 0 ? rc : step < 0 ? e->code : 0;
}

/* The quotas beside the rows (forecast.h): each quota row goes to the
 * group it belongs to, made when there is none yet. A month's quota is
 * left out, except by month, where its owner has one for its quarter in
 * the same currency: the quarter's stands for its months. */
static int add_quotas(struct crm_store *s, const struct crm_forecast_opts *o, struct forecast *f,
		      struct crm_err *e)
{
	int quarter = o->by == CRM_BY_QUARTER;
	char first[16], end[16];
	struct crm_stmt *st;
	int step, rc = 0;

	if (o->by == CRM_BY_STAGE || o->by == CRM_BY_PIPELINE)
		return 0;
	period_start(o->now, quarter, 0, first);
	period_start(o->now, quarter, o->periods, end);
	st = crm_store_prepare(s, "SELECT owner, period, currency, amount FROM quotas q"
			       " WHERE ?1 = 1 OR period LIKE '%Q%' OR NOT EXISTS (SELECT 1 FROM quotas x"
			       " WHERE x.owner = q.owner AND x.currency = q.currency AND x.period ="
			       " substr(q.period, 1, 5) || 'Q' ||"
			       " CAST((CAST(substr(q.period, 6, 2) AS INTEGER) + 2) / 3 AS TEXT))"
			       " ORDER BY owner, period, currency");
	crm_bind_int(st, 1, o->by == CRM_BY_MONTH);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *owner = crm_column_text(st, 0), *period = crm_column_text(st, 1);
		const char *cur = crm_column_text(st, 2);
		char key[16], from[16], to[16];
		uint64_t mask = 0;
		int64_t amount;
		int m;
		size_t g;

		/* the first day of the period and of the one after it, to
		 * place it in the window: a month in it, a quarter touching it */
		m = period[5] == 'Q' ? (period[6] - '1') * 3 + 1 : atoi(period + 5);
		snprintf(from, sizeof(from), "%.4s-%02d-01", period, m % 100);
		m += period[5] == 'Q' ? 3 : 1;
		if (m > 12)
			snprintf(to, sizeof(to), "%04d-%02d-01", (atoi(period) + 1) % 10000, (m - 12) % 100);
		else
			snprintf(to, sizeof(to), "%.4s-%02d-01", period, m % 100);
		if (o->by == CRM_BY_QUARTER)
			crm_period_quarter(period, key);
		else if (o->by == CRM_BY_MONTH && period[5] != 'Q')
			snprintf(key, sizeof(key), "%.7s", period);
		else if (o->by == CRM_BY_OWNER)
			snprintf(key, sizeof(key), "%.15s", owner);
		else
			continue;   /* a quarter's quota has no month */
		if (strcmp(to, first) <= 0 || strcmp(from, end) >= 0)
			continue;
		if ((rc = row_amount(s, o, f, cur, crm_column_int64(st, 3), &amount, &mask, e)) != 0)
			break;
		g = group_of(f, o->by == CRM_BY_OWNER ? owner : key,
			     o->currency != NULL ? o->currency : cur);
		f->g[g].quota += amount;
		f->g[g].has_quota = 1;
		f->g[g].fx_mask |= mask;
	}
	crm_stmt_reset(st);
	return rc != 0 ? rc : step < 0 ? e->code : 0;
}

static int by_name(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->currency, y->currency);
}

int crm_forecast(struct crm *crm, struct crm_store *s, const struct crm_forecast_opts *o)
{
	static const char *const names[] = {
		"group", "currency", "deals", "open_value", "weighted", "won",
		"mean", "p10", "p50", "p90",
	};
	const char *cols[12];
	struct forecast f;
	struct crm_err e = { 0, "" };
	struct crm_out *out;
	size_t nbase = o->simulate > 0 ? 10 : 6, ncols = nbase;
	char today[16];
	int64_t y;
	int m, d, rc;

	memset(&f, 0, sizeof(f));
	memcpy(cols, names, sizeof(names));
	cols[ncols++] = "quota";
	if (o->currency != NULL)
		cols[ncols++] = "rates";
	crm_civil_from_days(crm_local_days(o->now), &y, &m, &d);
	crm_date_format(y, m, d, today);
	if (o->currency != NULL)
		crm_fx_table_init(&f.fx, o->currency, today);
	rc = collect(s, o, &f, &e);
	if (rc == 0)
		rc = add_quotas(s, o, &f, &e);
	if (rc == 0 && o->simulate > 0 && f.n > 0) {
		struct crm_simulate_opts so = { (size_t)o->simulate, o->seed, 0, 0 };
		struct crm_simulate_period *sp = xcalloc(f.n, sizeof(*sp));

		rc = crm_simulate_forecast(f.deals, f.ndeals, f.n, &so, sp, NULL, &e);
		for (size_t i = 0; rc == 0 && i < f.n; i++)
			f.g[i].sim = sp[i];
		free(sp);
	}
	if (rc != 0) {
		free(f.g);
		free(f.deals);
		return crm_report(crm, &e);
	}
	qsort(f.g, f.n, sizeof(*f.g), by_name);
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, ncols, cols);
	for (size_t i = 2; i <= nbase; i++)
		crm_out_numeric(out, i);
	for (size_t i = 0; i < f.n; i++) {
		const struct group *g = &f.g[i];
		char b[9][32], rates[1024];
		const char *v[12] = { g->name, g->currency, b[0], b[1], b[2], b[3],
				      b[4], b[5], b[6], b[7] };

		v[nbase] = b[8];
		v[nbase + 1] = rates;
		b[8][0] = '\0';
		if (g->has_quota)
			crm_amount_format(g->quota, g->currency, b[8]);
		if (o->currency != NULL)
			crm_fx_mask_format(&f.fx, g->fx_mask, rates, sizeof(rates));

		snprintf(b[0], 32, "%lld", (long long)g->deals);
		crm_amount_format(g->open_value, g->currency, b[1]);
		crm_amount_format((int64_t)llround(g->weighted), g->currency, b[2]);
		crm_amount_format(g->won, g->currency, b[3]);
		crm_amount_format((int64_t)llround(g->sim.mean), g->currency, b[4]);
		crm_amount_format(g->sim.p10, g->currency, b[5]);
		crm_amount_format(g->sim.p50, g->currency, b[6]);
		crm_amount_format(g->sim.p90, g->currency, b[7]);
		crm_out_row(out, v);
	}
	rc = crm_finish_output(crm, out, 0, &e);
	free(f.g);
	free(f.deals);
	return rc != 0 ? rc : f.n == 0 ? CRM_EX_NOTFOUND : 0;
}
