/* ticket_stats.c - crm-ticket stats (ticket_stats.h). */
#include "ticket/ticket_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/stats.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "store/store.h"
#include "ticket/sla.h"

/* What a group is keyed by, as SQL over ticket t. */
static const struct {
	const char *name, *sql;
} keys[] = {
	{ "agent", "coalesce(t.assignee, '')" },
	{ "team", "coalesce((SELECT name FROM teams WHERE id = t.team_id), '')" },
	{ "priority", "t.priority" },
	{ "category", "coalesce(t.category, '')" },
	{ "channel", "coalesce(t.channel, '')" },
};

/* A ticket as read, before its clocks are asked for. */
struct row {
	int64_t id;
	char key[128];
	char at[4][32];        /* created, first response, resolved, closed; "" for none */
	int64_t escalations, reopened, rated, csat;
};

struct values {
	double *v;
	size_t n;
};

struct group {
	char key[128];
	long opened, resolved, backlog, met, stopped, escalations, reopened, csat_count;
	double csat_sum;
	struct values first, resolution;
};

static void push(struct values *v, double x)
{
	v->v = xreallocarray(v->v, v->n + 1, sizeof(*v->v));
	v->v[v->n++] = x;
}

static struct group *group_of(struct group **g, size_t *n, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*g)[i].key, key) == 0)
			return &(*g)[i];
	*g = xreallocarray(*g, *n + 1, sizeof(**g));
	memset(&(*g)[*n], 0, sizeof(**g));
	snprintf((*g)[*n].key, sizeof((*g)[*n].key), "%s", key);
	return &(*g)[(*n)++];
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median and the nearest-rank 90th percentile, in hours to two
 * places; "" for no value. */
static void quantiles(struct values *v, char median[32], char p90[32])
{
	double m;
	size_t rank;

	median[0] = p90[0] = '\0';
	if (v->n == 0 || crm_stats_median(v->v, v->n, &m) != 0)
		return;
	qsort(v->v, v->n, sizeof(*v->v), by_value);
	rank = (v->n * 9 + 9) / 10;   /* ceil(0.9 n) */
	snprintf(median, 32, "%.2f", m / 3600.0);
	snprintf(p90, 32, "%.2f", v->v[rank - 1] / 3600.0);
}

static int in_period(const char *at, const char *since, const char *until)
{
	return at != NULL && strcmp(at, since) >= 0 && strcmp(at, until) < 0;
}

static const char *at_or_null(const char *at)
{
	return at[0] != '\0' ? at : NULL;
}

/* One ticket into its group. */
static int tally(struct crm_store *s, const struct row *r, struct group *g, const char *since,
		 const char *until, int64_t now, struct crm_err *e)
{
	struct crm_sla_elapsed el;
	const char *created = r->at[0], *first = at_or_null(r->at[1]);
	const char *done = at_or_null(r->at[2]) != NULL ? r->at[2] : at_or_null(r->at[3]);
	int rc = crm_sla_elapsed(s, r->id, now, &el, e);

	if (rc != 0)
		return rc;
	g->opened += in_period(created, since, until);
	g->resolved += in_period(done, since, until);
	g->backlog += strcmp(created, until) < 0 && (done == NULL || strcmp(done, until) >= 0);
	if (in_period(first, since, until) && el.first >= 0) {
		push(&g->first, (double)el.first);
		if (el.first_met >= 0) {
			g->stopped++;
			g->met += el.first_met;
		}
	}
	if (in_period(done, since, until) && el.resolution >= 0) {
		push(&g->resolution, (double)el.resolution);
		if (el.resolution_met >= 0) {
			g->stopped++;
			g->met += el.resolution_met;
		}
	}
	g->escalations += r->escalations;
	g->reopened += r->reopened;
	if (r->rated > 0 && r->csat > 0) {
		g->csat_count++;
		g->csat_sum += (double)r->csat;
	}
	return 0;
}

/* Every ticket's row, read whole before any is tallied (which asks the
 * store again for each). */
static int read_rows(struct crm_store *s, struct crm_stmt *st, struct row **rows, size_t *n,
		     struct crm_err *e)
{
	int step;

	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct row *r;

		*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
		r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = crm_column_int64(st, 0);
		snprintf(r->key, sizeof(r->key), "%s", crm_column_text(st, 1));
		for (int k = 0; k < 4; k++) {
			const char *v = crm_column_text(st, 2 + k);

			snprintf(r->at[k], sizeof(r->at[k]), "%s", v != NULL ? v : "");
		}
		r->escalations = crm_column_int64(st, 6);
		r->reopened = crm_column_int64(st, 7);
		r->rated = crm_column_int64(st, 8);
		r->csat = crm_column_int64(st, 9);
	}
	return step < 0 ? e->code : 0;
}

static void print_group(struct crm_out *out, struct group *g)
{
	char num[8][32], fm[32], fp[32], rm[32], rp[32], hit[32] = "", rr[32] = "", csat[32] = "";
	const char *v[15];

	quantiles(&g->first, fm, fp);
	quantiles(&g->resolution, rm, rp);
	if (g->stopped > 0)
		snprintf(hit, sizeof(hit), "%.3f", (double)g->met / (double)g->stopped);
	if (g->resolved > 0)
		snprintf(rr, sizeof(rr), "%.3f", (double)g->reopened / (double)g->resolved);
	if (g->csat_count > 0)
		snprintf(csat, sizeof(csat), "%.2f", g->csat_sum / (double)g->csat_count);
	snprintf(num[0], 32, "%ld", g->opened);
	snprintf(num[1], 32, "%ld", g->resolved);
	snprintf(num[2], 32, "%ld", g->backlog);
	snprintf(num[3], 32, "%ld", g->escalations);
	snprintf(num[4], 32, "%ld", g->reopened);
	snprintf(num[5], 32, "%ld", g->csat_count);
	v[0] = g->key; v[1] = num[0]; v[2] = num[1]; v[3] = num[2];
	v[4] = fm; v[5] = fp; v[6] = rm; v[7] = rp; v[8] = hit;
	v[9] = num[3]; v[10] = num[4]; v[11] = rr; v[12] = csat; v[13] = num[5];
	crm_out_row(out, v);
	free(g->first.v);
	free(g->resolution.v);
}

int crm_ticket_stats(struct crm *crm, struct crm_store *s, const struct crm_ticket_stats_opts *o)
{
	static const char *const cols[] = {
		"group", "opened", "resolved", "backlog", "first_response_median_h",
		"first_response_p90_h", "resolution_median_h", "resolution_p90_h", "sla_hit_rate",
		"escalations", "reopened", "reopen_rate", "csat_avg", "csat_count",
	};
	struct crm_err e = { 0, "" };
	struct crm_buf sql = CRM_BUF_INIT;
	struct group *groups = NULL;
	struct row *rows = NULL;
	struct crm_stmt *st = NULL;
	struct crm_out *out;
	const char *key = "'all'";
	char since[32], until[32];
	size_t ngroups = 0, nrows = 0;
	int rc = 0;

	for (size_t i = 0; o->by != NULL && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(o->by, keys[i].name) == 0)
			key = keys[i].sql;
	if (o->by != NULL && strcmp(key, "'all'") == 0) {
		crm_err_set(&e, CRM_EX_USAGE, "--by: unknown \"%.40s\" (agent, team, priority,"
			    " category or channel)", o->by);
		return crm_finish_option(crm, CRM_EX_USAGE, &e);
	}
	crm_time_format(o->since, since);
	crm_time_format(o->until, until);
	crm_buf_addf(&sql, "SELECT t.id, %s, t.created_at, t.first_response_at, t.resolved_at,"
		     " t.closed_at, (SELECT count(*) FROM ticket_events v WHERE v.ticket_id = t.id"
		     " AND v.kind = 'escalated' AND v.at >= ?1 AND v.at < ?2),"
		     " (SELECT count(*) FROM ticket_events v WHERE v.ticket_id = t.id"
		     " AND v.kind = 'reopened' AND v.at >= ?1 AND v.at < ?2),"
		     " (SELECT count(*) FROM ticket_events v WHERE v.ticket_id = t.id"
		     " AND v.kind = 'csat' AND v.at >= ?1 AND v.at < ?2), t.csat"
		     " FROM tickets t WHERE t.status <> 'merged' ORDER BY t.id", key);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, &e);
	crm_buf_free(&sql);
	if (rc == 0) {
		crm_bind_text(st, 1, since);
		crm_bind_text(st, 2, until);
	}
	if (rc == 0)
		rc = read_rows(s, st, &rows, &nrows, &e);
	if (st != NULL)
		crm_stmt_free(st);
	for (size_t i = 0; rc == 0 && i < nrows; i++)
		rc = tally(s, &rows[i], group_of(&groups, &ngroups, rows[i].key), since, until, o->now,
			   &e);
	free(rows);
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, 14, cols);
	for (size_t c = 1; c < 14; c++)
		crm_out_numeric(out, c);
	if (rc == 0 && ngroups == 0)
		group_of(&groups, &ngroups, o->by != NULL ? "" : "all");
	/* in C: the stores' collations would order the groups apart */
	qsort(groups, ngroups, sizeof(*groups), by_key);
	for (size_t i = 0; i < ngroups; i++)
		print_group(out, &groups[i]);
	free(groups);
	return crm_finish_output(crm, out, rc, &e);
}
