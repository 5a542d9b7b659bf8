/* velocity.c - stage velocity, conversion and win rate (velocity.h). */
#include "lead/velocity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/stats.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "lead/pipeline.h"
#include "store/store.h"

/* A growing list of days. */
struct days {
	double *v;
	size_t n, cap;
};

static void days_add(struct days *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n++] = x;
}

struct stage {
	char name[128];
	enum crm_stage_kind kind;
	int64_t entered, advanced;
	int64_t last_in, last_adv;     /* the deal counted last (rows come by deal) */
	struct days spells;
};

/* The deals closed in the window, of one currency ("" for all). */
struct closed {
	char currency[4];
	int64_t won, lost, value;
	struct days cycle;
};

struct report {
	struct stage *t;
	size_t nt;
	struct closed *c;              /* c[0]: all currencies */
	size_t nc, ccap;
	int any;                       /* something happened in the window */
};

int crm_velocity_window(struct crm_velocity_opts *o, const char *since, const char *until,
			int64_t now, struct crm_err *e)
{
	const char *arg[2] = { since, until }, *name[2] = { "--since", "--until" };
	char *out[2] = { o->from, o->to };

	snprintf(o->from, sizeof(o->from), "%s", "");
	snprintf(o->to, sizeof(o->to), "%s", "~");   /* after every stored time */
	for (int i = 0; i < 2; i++) {
		int64_t y;
		int m, d;

		if (arg[i] == NULL)
			continue;
		if (crm_date_parse(arg[i], now, &y, &m, &d, e) != 0)
			return crm_err_set(e, CRM_EX_USAGE, "%s: invalid date \"%.40s\"", name[i],
					   arg[i]);
		/* local midnight starting the day (--since) or ending it (--until) */
		crm_time_format(crm_local_to_utc(crm_days_from_civil(y, m, d + i) * 86400), out[i]);
	}
	if (since != NULL && until != NULL && strcmp(o->from, o->to) >= 0)
		return crm_err_set(e, CRM_EX_USAGE, "--since is after --until");
	return 0;
}

static int in_window(const struct crm_velocity_opts *o, const char *t)
{
	return t != NULL && strcmp(t, o->from) >= 0 && strcmp(t, o->to) < 0;
}

/* The seconds from a to b, stored times. */
static int seconds(const char *a, const char *b, int64_t lead, int64_t *out, struct crm_err *e)
{
	int64_t ta, tb;

	if (crm_time_parse(a, 0, &ta, e) != 0 || crm_time_parse(b, 0, &tb, e) != 0)
		return crm_err_set(e, CRM_EX_DATAERR, "deal %lld: %s", (long long)lead, e->msg);
	*out = tb - ta;
	return 0;
}

static int stage_of(const struct report *r, const char *name)
{
	for (size_t i = 0; name != NULL && i < r->nt; i++)
		if (strcasecmp(r->t[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int load_stages(struct crm_store *s, int64_t pid, struct report *r, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT name, kind FROM stages WHERE pipeline_id = ?1 ORDER BY position, id");
	size_t cap = 0;
	int step;

	crm_bind_int64(st, 1, pid);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *k = crm_column_text(st, 1);
		struct stage *t;

		if (r->nt == cap) {
			cap = cap ? cap * 2 : 8;
			r->t = xreallocarray(r->t, cap, sizeof(*r->t));
		}
		t = &r->t[r->nt++];
		memset(t, 0, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "%s", crm_column_text(st, 0));
		t->kind = strcmp(k, "won") == 0 ? CRM_STAGE_WON
			: strcmp(k, "lost") == 0 ? CRM_STAGE_LOST : CRM_STAGE_OPEN;
	}
	return step < 0 ? e->code : 0;
}

/* The spells of the pipeline's deals that began or ended in the window. */
static int load_spells(struct crm_store *s, int64_t pid, const struct crm_velocity_opts *o,
		       struct report *r, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT lead_id, to_stage, at, nxt, nxt_stage FROM (SELECT v.lead_id, v.to_stage,"
		" v.at, v.id, lead(v.at) OVER (PARTITION BY v.lead_id ORDER BY v.at, v.id) AS nxt,"
		" lead(v.to_stage) OVER (PARTITION BY v.lead_id ORDER BY v.at, v.id) AS nxt_stage"
		" FROM lead_events v JOIN leads l ON l.id = v.lead_id WHERE l.pipeline_id = ?1"
		" AND (?2 IS NULL OR l.owner = ?2) AND v.to_stage IS NOT NULL) AS h"
		" WHERE (at >= ?3 AND at < ?4) OR (nxt >= ?3 AND nxt < ?4) ORDER BY lead_id, at, id");
	int step, rc = 0;

	crm_bind_int64(st, 1, pid);
	crm_bind_text(st, 2, o->owner);
	crm_bind_text(st, 3, o->from);
	crm_bind_text(st, 4, o->to);
	crm_stmt_stream(st);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		int64_t lead = crm_column_int64(st, 0), secs;
		const char *at = crm_column_text(st, 2), *nxt = crm_column_text(st, 3);
		int i = stage_of(r, crm_column_text(st, 1)), j;
		struct stage *t;

		if (i < 0)
			continue;
		t = &r->t[i];
		r->any = 1;
		if (in_window(o, at)) {
			if (t->last_in != lead)
				t->entered++;
			t->last_in = lead;
			j = stage_of(r, crm_column_text(st, 4));
			if (nxt != NULL && strcmp(nxt, o->to) < 0 && j >= 0 && t->last_adv != lead &&
			    (r->t[j].kind == CRM_STAGE_WON ||
			     (r->t[j].kind == CRM_STAGE_OPEN && j > i))) {
				t->advanced++;
				t->last_adv = lead;
			}
		}
		if (in_window(o, nxt)) {
			if ((rc = seconds(at, nxt, lead, &secs, e)) != 0)
				break;
			days_add(&t->spells, (double)secs / 86400.0);
		}
	}
	crm_stmt_reset(st);
	return rc != 0 ? rc : step < 0 ? e->code : 0;
}

static struct closed *closed_of(struct report *r, const char *cur)
{
	for (size_t i = 0; i < r->nc; i++)
		if (strcmp(r->c[i].currency, cur) == 0)
			return &r->c[i];
	if (r->nc == r->ccap) {
		r->ccap = r->ccap ? r->ccap * 2 : 4;
		r->c = xreallocarray(r->c, r->ccap, sizeof(*r->c));
	}
	memset(&r->c[r->nc], 0, sizeof(r->c[0]));
	snprintf(r->c[r->nc].currency, sizeof(r->c[0].currency), "%s", cur);
	return &r->c[r->nc++];
}

/* The deals closed in the window, by currency (in order: rows come so). */
static int load_closed(struct crm_store *s, int64_t pid, const struct crm_velocity_opts *o,
		       struct report *r, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT l.id, l.currency, l.value, l.created_at, l.closed_at, t.kind FROM leads l"
		" JOIN stages t ON t.id = l.stage_id WHERE l.pipeline_id = ?1"
		" AND (?2 IS NULL OR l.owner = ?2) AND t.kind <> 'open'"
		" AND l.closed_at >= ?3 AND l.closed_at < ?4 ORDER BY l.currency, l.id");
	int step, rc = 0;

	crm_bind_int64(st, 1, pid);
	crm_bind_text(st, 2, o->owner);
	crm_bind_text(st, 3, o->from);
	crm_bind_text(st, 4, o->to);
	crm_stmt_stream(st);
	closed_of(r, "");
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct closed *c[2] = { &r->c[0], closed_of(r, crm_column_text(st, 1)) };
		int won = strcmp(crm_column_text(st, 5), "won") == 0;
		int64_t secs;

		r->any = 1;
		if (won && (rc = seconds(crm_column_text(st, 3), crm_column_text(st, 4),
					 crm_column_int64(st, 0), &secs, e)) != 0)
			break;
		for (int k = 0; k < 2; k++) {
			c[k]->won += won;
			c[k]->lost += !won;
			if (won) {
				c[k]->value += crm_column_int64(st, 2);
				days_add(&c[k]->cycle, (double)secs / 86400.0);
			}
		}
	}
	crm_stmt_reset(st);
	return rc != 0 ? rc : step < 0 ? e->code : 0;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* The median and the nearest-rank P90 of d, one decimal ("" for none). */
static void figures(struct days *d, char med[32], char p90[32])
{
	double m;

	med[0] = '\0';
	if (p90 != NULL)
		p90[0] = '\0';
	if (d->n == 0 || crm_stats_median(d->v, d->n, &m) != 0)
		return;
	qsort(d->v, d->n, sizeof(*d->v), cmp_double);
	snprintf(med, 32, "%.1f", m);
	if (p90 != NULL)
		snprintf(p90, 32, "%.1f", d->v[(9 * d->n + 9) / 10 - 1]);
}

static void percent(int64_t part, int64_t whole, char out[32])
{
	out[0] = '\0';
	if (whole > 0)
		snprintf(out, 32, "%.1f", 100.0 * (double)part / (double)whole);
}

static void report_rows(struct crm_out *out, const char *pipeline, struct report *r)
{
	char b[10][32];
	const char *v[13];

	for (size_t i = 0; i < r->nt; i++) {
		struct stage *t = &r->t[i];
		int open = t->kind == CRM_STAGE_OPEN;

		snprintf(b[0], 32, "%lld", (long long)t->entered);
		snprintf(b[1], 32, "%lld", (long long)t->advanced);
		percent(t->advanced, t->entered, b[2]);
		figures(&t->spells, b[3], b[4]);
		v[0] = pipeline;
		v[1] = t->name;
		v[2] = b[0];
		v[3] = open ? b[1] : NULL;
		v[4] = open && b[2][0] ? b[2] : NULL;
		v[5] = b[3][0] ? b[3] : NULL;
		v[6] = b[4][0] ? b[4] : NULL;
		for (int k = 7; k < 13; k++)
			v[k] = NULL;
		crm_out_row(out, v);
	}
	for (size_t i = 0; i < r->nc; i++) {
		struct closed *c = &r->c[i];

		if (i > 0 || c->won + c->lost > 0) {
			snprintf(b[5], 32, "%lld", (long long)c->won);
			snprintf(b[6], 32, "%lld", (long long)c->lost);
			percent(c->won, c->won + c->lost, b[7]);
			figures(&c->cycle, b[8], NULL);
			b[9][0] = '\0';
			if (i > 0 && c->won > 0)  /* the mean, rounded half up */
				crm_amount_format((c->value + c->won / 2) / c->won, c->currency, b[9]);
			for (int k = 0; k < 13; k++)
				v[k] = NULL;
			v[0] = pipeline;
			v[7] = i > 0 ? c->currency : NULL;
			v[8] = b[5];
			v[9] = b[6];
			v[10] = b[7][0] ? b[7] : NULL;
			v[11] = b[9][0] ? b[9] : NULL;
			v[12] = b[8][0] ? b[8] : NULL;
			crm_out_row(out, v);
		}
	}
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nt; i++)
		free(r->t[i].spells.v);
	for (size_t i = 0; i < r->nc; i++)
		free(r->c[i].cycle.v);
	free(r->t);
	free(r->c);
	memset(r, 0, sizeof(*r));
}

int crm_velocity(struct crm *crm, struct crm_store *s, const struct crm_velocity_opts *o)
{
	static const char *const cols[] = {
		"pipeline", "stage", "entered", "advanced", "conversion", "median_days",
		"p90_days", "currency", "won", "lost", "win_rate", "avg_won", "median_cycle",
	};
	struct crm_err e = { 0, "" };
	struct crm_stmt *st;
	struct crm_out *out;
	int64_t only = 0;
	int step = CRM_DONE, rc = 0;

	if (o->pipeline != NULL) {
		rc = crm_pipeline_find(s, o->pipeline, &only, &e);
		if (rc == CRM_EX_NOTFOUND)
			e.code = rc = CRM_EX_DATAERR;
		if (rc != 0)
			return crm_report(crm, &e);
	}
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, 13, cols);
	for (size_t i = 2; i < 13; i++)
		if (i != 7)
			crm_out_numeric(out, i);
	st = crm_store_prepare(s, "SELECT id, name FROM pipelines WHERE ?1 = 0 OR id = ?1"
			       " ORDER BY id");
	crm_bind_int64(st, 1, only);
	while (rc == 0 && (step = crm_store_step(s, st, &e)) == CRM_ROW) {
		struct report r;
		int64_t pid = crm_column_int64(st, 0);
		char *name = xstrdup(crm_column_text(st, 1));

		memset(&r, 0, sizeof(r));
		rc = load_stages(s, pid, &r, &e);
		if (rc == 0)
			rc = load_spells(s, pid, o, &r, &e);
		if (rc == 0)
			rc = load_closed(s, pid, o, &r, &e);
		if (rc == 0 && r.any)
			report_rows(out, name, &r);
		report_free(&r);
		free(name);
	}
	if (rc == 0 && step < 0)
		rc = e.code;
	crm_stmt_reset(st);
	return crm_finish_output(crm, out, rc, &e);
}
