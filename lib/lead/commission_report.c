/* commission_report.c - crm-lead commission (commission_report.h). */
#include "lead/commission_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/commission.h"
#include "base/err.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "lead/quota.h"
#include "store/store.h"

/* A tax rate of a country from a day on. */
struct tax {
	char country[64];
	char day[16];
	struct crm_rate rate;
};

/* A commission plan from a day on, of an owner or of a pipeline. */
struct plan {
	char *owner;          /* NULL: the pipeline's */
	int64_t pipeline_id;
	char pipeline[128];
	char day[16];
	char *rate, *tiers;   /* one of them */
};

/* The deals of an owner in a currency under one plan. */
struct group {
	char *owner;
	char currency[4];
	long plan;            /* index in plans, -1: none */
	int64_t deals, net, tax, untaxed;
};

struct report {
	struct tax *taxes;
	size_t ntaxes;
	struct plan *plans;
	size_t nplans;
	struct group *g;
	size_t n, cap;
};

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nplans; i++) {
		free(r->plans[i].owner);
		free(r->plans[i].rate);
		free(r->plans[i].tiers);
	}
	for (size_t i = 0; i < r->n; i++)
		free(r->g[i].owner);
	free(r->taxes);
	free(r->plans);
	free(r->g);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The tax rates, by country and day. */
static int load_taxes(struct crm_store *s, struct report *r, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT country, day, rate FROM tax_rates"
						" ORDER BY country, day");
	size_t cap = 0;
	int step;

	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct tax *t;

		if (r->ntaxes == cap) {
			cap = cap ? cap * 2 : 16;
			r->taxes = xreallocarray(r->taxes, cap, sizeof(*r->taxes));
		}
		t = &r->taxes[r->ntaxes];
		snprintf(t->country, sizeof(t->country), "%s", crm_column_text(st, 0));
		snprintf(t->day, sizeof(t->day), "%s", crm_column_text(st, 1));
		if (crm_rate_parse(crm_column_text(st, 2), &t->rate, e) != 0) {
			crm_stmt_reset(st);
			return CRM_EX_DATAERR;
		}
		r->ntaxes++;
	}
	return step < 0 ? e->code : 0;
}

/* The commission plans, by day. */
static int load_plans(struct crm_store *s, struct report *r, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT c.owner, c.pipeline_id, p.name, c.day,"
						" c.rate, c.tiers FROM commission_plans c"
						" LEFT JOIN pipelines p ON p.id = c.pipeline_id"
						" ORDER BY c.day, c.id");
	size_t cap = 0;
	int step;

	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct plan *p;

		if (r->nplans == cap) {
			cap = cap ? cap * 2 : 16;
			r->plans = xreallocarray(r->plans, cap, sizeof(*r->plans));
		}
		p = &r->plans[r->nplans++];
		p->owner = dup_or_null(crm_column_text(st, 0));
		p->pipeline_id = crm_column_int64(st, 1);
		snprintf(p->pipeline, sizeof(p->pipeline), "%s",
			 crm_column_text(st, 2) != NULL ? crm_column_text(st, 2) : "");
		snprintf(p->day, sizeof(p->day), "%s", crm_column_text(st, 3));
		p->rate = dup_or_null(crm_column_text(st, 4));
		p->tiers = dup_or_null(crm_column_text(st, 5));
	}
	return step < 0 ? e->code : 0;
}

/* country's tax rate on day: the latest one set on or before it, or NULL. */
static const struct tax *tax_of(const struct report *r, const char *country, const char *day)
{
	const struct tax *found = NULL;

	if (country == NULL || country[0] == '\0')
		return NULL;
	for (size_t i = 0; i < r->ntaxes; i++) {
		const struct tax *t = &r->taxes[i];

		if (strcasecmp(t->country, country) == 0 && strcmp(t->day, day) <= 0 &&
		    (found == NULL || strcmp(t->day, found->day) >= 0))
			found = t;
	}
	return found;
}

/* The plan of a deal won on day: its owner's in force, else its
 * pipeline's, else -1. */
static long plan_of(const struct report *r, const char *owner, int64_t pipeline_id,
		    const char *day)
{
	long by_owner = -1, by_pipeline = -1;

	/* the plans are in order of day: the last one that holds wins */
	for (size_t i = 0; i < r->nplans; i++) {
		const struct plan *p = &r->plans[i];

		if (strcmp(p->day, day) > 0)
			break;
		if (p->owner != NULL && owner != NULL && strcmp(p->owner, owner) == 0)
			by_owner = (long)i;
		else if (p->owner == NULL && p->pipeline_id == pipeline_id)
			by_pipeline = (long)i;
	}
	return by_owner >= 0 ? by_owner : by_pipeline;
}

static struct group *group_of(struct report *r, const char *owner, const char *currency,
			      long plan)
{
	/* the deals come by owner and currency: look back over this pair only */
	for (size_t i = r->n; i > 0; i--) {
		struct group *g = &r->g[i - 1];

		if (strcmp(g->owner, owner) != 0 || strcmp(g->currency, currency) != 0)
			break;
		if (g->plan == plan)
			return g;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->g = xreallocarray(r->g, r->cap, sizeof(*r->g));
	}
	memset(&r->g[r->n], 0, sizeof(r->g[0]));
	r->g[r->n].owner = xstrdup(owner);
	snprintf(r->g[r->n].currency, sizeof(r->g[0].currency), "%s", currency);
	r->g[r->n].plan = plan;
	return &r->g[r->n++];
}

/* The first day of period and of the one after it. */
static void period_bounds(const char *period, char start[16], char end[16])
{
	int y = atoi(period), m, last;

	if (period[5] == 'Q') {
		m = (period[6] - '1') * 3 + 1;
		last = m + 3;
	} else {
		m = atoi(period + 5);
		last = m + 1;
	}
	snprintf(start, 16, "%04d-%02d-01", y % 10000, m % 100);
	if (last > 12)
		snprintf(end, 16, "%04d-%02d-01", (y + 1) % 10000, (last - 12) % 100);
	else
		snprintf(end, 16, "%04d-%02d-01", y % 10000, last % 100);
}

static int collect(struct crm_store *s, const struct crm_commission_opts *o, struct report *r,
		   struct crm_err *e)
{
	struct crm_stmt *st;
	char start[16], end[16];
	int step;

	period_bounds(o->period, start, end);
	st = crm_store_prepare(s, "SELECT COALESCE(l.owner, ''), l.currency, l.value, l.pipeline_id,"
			       " substr(l.closed_at, 1, 10), c.country"
			       " FROM leads l JOIN stages t ON t.id = l.stage_id"
			       " LEFT JOIN contacts c ON c.id = l.contact_id"
			       " WHERE t.kind = 'won' AND l.closed_at >= ?1 AND l.closed_at < ?2"
			       " AND (?3 IS NULL OR l.owner = ?3)"
			       " ORDER BY COALESCE(l.owner, ''), l.currency, l.closed_at, l.id");
	crm_bind_text(st, 1, start);
	crm_bind_text(st, 2, end);
	if (o->owner != NULL)
		crm_bind_text(st, 3, o->owner);
	else
		crm_bind_null(st, 3);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *owner = crm_column_text(st, 0), *day = crm_column_text(st, 4);
		int64_t net = crm_column_int64(st, 2);
		const struct tax *t = tax_of(r, crm_column_text(st, 5), day);
		struct group *g = group_of(r, owner, crm_column_text(st, 1),
					   plan_of(r, owner[0] != '\0' ? owner : NULL,
						   crm_column_int64(st, 3), day));

		g->deals++;
		g->net += net;
		if (t != NULL)
			g->tax += crm_tax_added(net, t->rate);
		else
			g->untaxed++;
	}
	return step < 0 ? e->code : 0;
}

/* The commission of g's net under its plan into *out. */
static int commission_of(const struct report *r, const struct group *g, int64_t *out,
			 struct crm_err *e)
{
	const struct plan *p;
	struct crm_rate rate;
	struct crm_tiers tiers;

	*out = 0;
	if (g->plan < 0)
		return 0;
	p = &r->plans[g->plan];
	if (p->rate != NULL) {
		if (crm_rate_parse(p->rate, &rate, e) != 0)
			return CRM_EX_DATAERR;
		*out = crm_rate_apply(g->net, rate);
		return 0;
	}
	if (crm_tiers_parse(p->tiers, g->currency, &tiers, e) != 0)
		return crm_err_set(e, CRM_EX_DATAERR, "the commission plan of %s %s from %s, in %s: %s",
				   p->owner != NULL ? "owner" : "pipeline",
				   p->owner != NULL ? p->owner : p->pipeline, p->day, g->currency,
				   e->msg);
	*out = crm_commission_tiered(g->net, &tiers);
	return 0;
}

static void plan_source(const struct plan *p, char *out, size_t size)
{
	if (p->owner != NULL)
		snprintf(out, size, "%s from %s", p->owner, p->day);
	else
		snprintf(out, size, "pipeline %s from %s", p->pipeline, p->day);
}

static int print(struct crm *crm, const struct report *r, struct crm_err *e)
{
	static const char *const cols[] = {
		"owner", "currency", "deals", "gross", "tax", "net", "commission", "plan",
		"plan_source", "untaxed",
	};
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	int rc = 0;

	crm_out_columns(out, 10, cols);
	for (size_t i = 2; i <= 6; i++)
		crm_out_numeric(out, i);
	crm_out_numeric(out, 9);
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const struct group *g = &r->g[i];
		const struct plan *p = g->plan >= 0 ? &r->plans[g->plan] : NULL;
		char b[6][32], src[256];
		const char *v[10] = { g->owner, g->currency, b[0], b[1], b[2], b[3], b[4],
				      p == NULL ? "" : p->rate != NULL ? p->rate : p->tiers, src, b[5] };
		int64_t commission;

		rc = commission_of(r, g, &commission, e);
		src[0] = '\0';
		if (p != NULL)
			plan_source(p, src, sizeof(src));
		snprintf(b[0], 32, "%lld", (long long)g->deals);
		crm_amount_format(g->net + g->tax, g->currency, b[1]);
		crm_amount_format(g->tax, g->currency, b[2]);
		crm_amount_format(g->net, g->currency, b[3]);
		crm_amount_format(commission, g->currency, b[4]);
		snprintf(b[5], 32, "%lld", (long long)g->untaxed);
		if (rc == 0)
			crm_out_row(out, v);
	}
	return crm_finish_output(crm, out, rc, e);
}

int crm_commission_report(struct crm *crm, struct crm_store *s,
			  const struct crm_commission_opts *o)
{
	struct crm_err e = { 0, "" };
	struct report r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = crm_period_check(o->period, &e);
	if (rc == 0)
		rc = load_taxes(s, &r, &e);
	if (rc == 0)
		rc = load_plans(s, &r, &e);
	if (rc == 0)
		rc = collect(s, o, &r, &e);
	if (rc != 0) {
		report_free(&r);
		return crm_report(crm, &e);
	}
	rc = print(crm, &r, &e);
	if (rc == 0 && r.n == 0)
		rc = CRM_EX_NOTFOUND;
	report_free(&r);
	return rc;
}
