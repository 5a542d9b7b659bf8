/* ticket_list.c - crm-ticket list and show (ticket_list.h). */
#include "ticket/ticket_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "filter/expr.h"
#include "io/output.h"
#include "store/store.h"
#include "ticket/sla.h"
#include "ticket/ticket.h"

/* A column of the listing: its name, SQL over ticket t and contact c,
 * whether it is a number. ?7 is now; the WHERE names it ("?7 = ?7") so
 * that it is bound even when no column chosen uses it. */
static const struct column {
	const char *name;
	const char *sql;
	int numeric;
} columns[] = {
	{ "id", "t.id", 1 },
	{ "contact", "coalesce(c.email, c.uid)", 0 },
	{ "subject", "t.subject", 0 },
	{ "status", "t.status", 0 },
	{ "priority", "t.priority", 0 },
	{ "assignee", "t.assignee", 0 },
	{ "team", "(SELECT name FROM teams WHERE id = t.team_id)", 0 },
	{ "category", "t.category", 0 },
	{ "channel", "t.channel", 0 },
	{ "escalation", "t.escalation", 1 },
	{ "csat", "t.csat", 1 },
	{ "created", "t.created_at", 0 },
	{ "updated", "t.updated_at", 0 },
	{ "resolved", "t.resolved_at", 0 },
	{ "closed", "t.closed_at", 0 },
	/* whole days by integer seconds: PostgreSQL's cast of a double rounds */
	{ "age", "((CAST(strftime('%s', ?7) AS INTEGER) - CAST(strftime('%s', t.created_at)"
		 " AS INTEGER)) / 86400)", 1 },
	{ "first_response_due", "t.first_response_due", 0 },
	{ "next_response_due", "t.next_response_due", 0 },
	{ "resolution_due", "t.resolution_due", 0 },
	{ "breached", "CASE WHEN " CRM_TICKET_BREACHED("?7") " THEN 1 ELSE 0 END", 1 },
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))
#define DEFAULT_FIELDS "id,contact,subject,status,priority,assignee,team,created"

static const struct column *column_of(const char *name, size_t len)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (strlen(columns[i].name) == len && strncmp(columns[i].name, name, len) == 0)
			return &columns[i];
	return NULL;
}

/* "t.status IN ('open', 'new')" for a list of values each check accepts
 * (so the SQL holds only known words), or an error. */
static int in_list(struct crm_buf *sql, const char *col, const char *list,
		   int (*check)(const char *, struct crm_err *), const char *extra,
		   struct crm_err *e)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0, rc = 0;

	crm_buf_addf(sql, " AND %s IN (", col);
	for (char *v = strtok_r(copy, ",", &save); rc == 0 && v != NULL;
	     v = strtok_r(NULL, ",", &save)) {
		if (extra == NULL || strcmp(v, extra) != 0)
			rc = check(v, e);
		if (rc == 0)
			crm_buf_addf(sql, "%s'%s'", n++ > 0 ? ", " : "", v);
	}
	if (rc == 0 && n == 0)
		rc = crm_err_set(e, CRM_EX_USAGE, "an empty list for %s", col);
	crm_buf_adds(sql, ")");
	free(copy);
	return rc;
}

/* The SELECT of the listing into sql, its column names into cols. */
static int build(const struct crm_ticket_query *q, struct crm_buf *sql, struct crm_expr_sql *x,
		 const char **cols, size_t *ncols, int *numeric, struct crm_err *e)
{
	const char *p = q->fields != NULL ? q->fields : DEFAULT_FIELDS;
	int rc = 0;

	*ncols = 0;
	crm_buf_adds(sql, "SELECT ");
	while (rc == 0 && *p != '\0') {
		size_t len = strcspn(p, ",");
		const struct column *c = column_of(p, len);

		if (c == NULL)
			rc = crm_err_set(e, CRM_EX_USAGE, "--fields: unknown field \"%.*s\" (%s)",
					 (int)(len > 64 ? 64 : len), p, CRM_TICKET_COLUMNS);
		else if (*ncols == NCOLUMNS * 2)
			rc = crm_err_set(e, CRM_EX_USAGE, "--fields: too many fields");
		if (rc == 0) {
			crm_buf_addf(sql, "%s%s", *ncols > 0 ? ", " : "", c->sql);
			numeric[*ncols] = c->numeric;
			cols[(*ncols)++] = c->name;
		}
		p += len + (p[len] == ',');
	}
	if (rc == 0 && *ncols == 0)
		rc = crm_err_set(e, CRM_EX_USAGE, "--fields: no fields given");
	crm_buf_adds(sql, " FROM tickets t JOIN contacts c ON c.id = t.contact_id"
		     " WHERE (t.assignee = ?1 OR ?1 IS NULL OR (?1 = 'none' AND t.assignee IS NULL))"
		     " AND (t.team_id = (SELECT id FROM teams WHERE name = ?2) OR ?2 IS NULL)"
		     " AND (t.category = ?3 OR ?3 IS NULL) AND (t.channel = ?4 OR ?4 IS NULL)"
		     " AND (?5 = 0 OR t.contact_id = ?5) AND t.created_at <= ?6 AND ?7 = ?7");
	if (rc == 0 && q->status == NULL)
		crm_buf_adds(sql, " AND t.status <> 'closed' AND t.status <> 'merged'");
	else if (rc == 0 && strcmp(q->status, "all") != 0)
		rc = in_list(sql, "t.status", q->status, crm_ticket_status_check, "merged", e);
	if (rc == 0 && q->priority != NULL)
		rc = in_list(sql, "t.priority", q->priority, crm_ticket_priority_check, NULL, e);
	if (rc == 0 && q->breached)
		crm_buf_adds(sql, " AND " CRM_TICKET_BREACHED("?7"));
	if (rc == 0 && q->due_within > 0) {
		char by[32];

		/* a time we wrote ourselves: safe in the SQL */
		crm_time_format(q->now + q->due_within, by);
		crm_buf_addf(sql, " AND ((t.first_response_at IS NULL AND t.first_response_due >= ?7"
			     " AND t.first_response_due <= '%s') OR (t.next_response_due >= ?7 AND"
			     " t.next_response_due <= '%s') OR (t.resolved_at IS NULL AND"
			     " t.closed_at IS NULL AND t.resolution_due >= ?7 AND"
			     " t.resolution_due <= '%s'))", by, by, by);
	}
	if (rc == 0 && q->filter != NULL) {
		rc = crm_expr_compile(q->filter, q->now, 8, x, e);
		if (rc == 0)
			crm_buf_addf(sql, " AND (%s)", crm_buf_str(&x->where));
	}
	crm_buf_adds(sql, " ORDER BY ");
	for (p = q->sort != NULL ? q->sort : ""; rc == 0 && *p != '\0';) {
		size_t len = strcspn(p, ",");
		int desc = *p == '-';
		const struct column *c = column_of(p + desc, len - (size_t)desc);

		if (c == NULL)
			rc = crm_err_set(e, CRM_EX_USAGE, "--sort: unknown field \"%.*s\" (%s)",
					 (int)(len > 64 ? 64 : len), p, CRM_TICKET_COLUMNS);
		else
			crm_buf_addf(sql, "%s%s, ", c->sql, desc ? " DESC" : "");
		p += len + (p[len] == ',');
	}
	crm_buf_adds(sql, "t.id");
	if (rc == 0 && q->limit > 0)
		crm_buf_addf(sql, " LIMIT %ld", q->limit);
	return rc;
}

int crm_ticket_list(struct crm *crm, struct crm_store *s, const struct crm_ticket_query *q)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;
	const char *cols[NCOLUMNS * 2];
	char numeric[NCOLUMNS * 2 + 1], now[32], before[32];
	int isnum[NCOLUMNS * 2];
	size_t ncols = 0;
	int rc;

	memset(&x, 0, sizeof(x));
	crm_buf_init(&x.where);
	rc = build(q, &sql, &x, cols, &ncols, isnum, &e);
	if (rc == 0)
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, &e);
	crm_buf_free(&sql);
	if (rc != 0) {
		crm_expr_sql_free(&x);
		return crm_report(crm, &e);
	}
	crm_time_format(q->now, now);
	if (q->age > 0)
		crm_time_format(q->now - q->age, before);
	else
		snprintf(before, sizeof(before), "9999-12-31T23:59:59Z");
	crm_bind_text(st, 1, q->assignee);
	crm_bind_text(st, 2, q->team);
	crm_bind_text(st, 3, q->category);
	crm_bind_text(st, 4, q->channel);
	crm_bind_int64(st, 5, q->contact);
	crm_bind_text(st, 6, before);
	crm_bind_text(st, 7, now);
	if (q->filter != NULL)
		crm_expr_bind(&x, st);
	for (size_t i = 0; i < ncols; i++)
		numeric[i] = isnum[i] ? 'n' : ' ';
	numeric[ncols] = '\0';
	rc = crm_print_query(crm, s, st, ncols, cols, numeric);
	crm_stmt_free(st);
	crm_expr_sql_free(&x);
	return rc;
}

/* Rows of st as a table of its own, then st reset. */
static int print_section(struct crm *crm, struct crm_store *s, struct crm_stmt *st, size_t ncols,
			 const char *const *cols, struct crm_err *e)
{
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	const char *vals[8];
	int step, rc;

	crm_out_columns(out, ncols, cols);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		for (size_t i = 0; i < ncols; i++)
			vals[i] = crm_column_text(st, (int)i);
		crm_out_row(out, vals);
	}
	crm_stmt_reset(st);
	rc = crm_out_close(out, e);
	return step < 0 ? e->code : rc;
}

/* "1d 2h 5m", "3h 20m", "45m", "0m": a length of time a person reads;
 * in hours alone for business time (a business day is not 24 hours). */
static void span_text(int64_t seconds, int days, char *out, size_t size)
{
	int64_t m = seconds / 60, d = days ? m / 1440 : 0, h = (days ? m % 1440 : m) / 60;

	m %= 60;
	if (d > 0)
		snprintf(out, size, "%lldd %lldh %lldm", (long long)d, (long long)h, (long long)m);
	else if (h > 0)
		snprintf(out, size, "%lldh %lldm", (long long)h, (long long)m);
	else
		snprintf(out, size, "%lldm", (long long)m);
}

/* A clock as show prints it: its due time and what is left, or by how
 * much it was or is missed. */
static void clock_format(const struct crm_clock *c, int64_t now, char out[128])
{
	char due[32], span[32];

	crm_time_format(c->due, due);
	switch (c->state) {
	case CRM_CLOCK_RUNNING:
		span_text(c->due - now, 1, span, sizeof(span));
		snprintf(out, 128, "%s (%s left)", due, span);
		break;
	case CRM_CLOCK_OVERDUE:
		span_text(now - c->due, 1, span, sizeof(span));
		snprintf(out, 128, "%s (breached, %s over)", due, span);
		break;
	case CRM_CLOCK_MET:
		snprintf(out, 128, "%s (met)", due);
		break;
	case CRM_CLOCK_MISSED:
		span_text(c->stopped - c->due, 1, span, sizeof(span));
		snprintf(out, 128, "%s (breached, %s late)", due, span);
		break;
	case CRM_CLOCK_PAUSED:
		span_text(c->left, 0, span, sizeof(span));
		snprintf(out, 128, "paused (%s of business time left)", span);
		break;
	case CRM_CLOCK_NONE:
		out[0] = '\0';
		break;
	}
}

int crm_ticket_show(struct crm *crm, struct crm_store *s, int64_t id)
{
	static const char *const pair_cols[] = { "field", "value" };
	static const char *const thread_cols[] = { "at", "direction", "author", "body" };
	static const char *const event_cols[] = { "at", "event", "from", "to", "by", "detail" };
	struct crm_clock clocks[CRM_CLOCKS];
	char clock_text[CRM_CLOCKS][128];
	struct crm_err e = { 0, "" };
	struct crm_stmt *st;
	int rc, step;

	st = crm_store_prepare(s, "SELECT 1 FROM tickets WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, &e);
	crm_stmt_reset(st);
	if (step < 0)
		return crm_report(crm, &e);
	if (step != CRM_ROW) {
		crm_err_set(&e, CRM_EX_NOTFOUND, "no ticket %lld", (long long)id);
		return crm_report(crm, &e);
	}
	if (crm_sla_clocks(s, id, crm_now(), clocks, &e) != 0)
		return crm_report(crm, &e);
	for (int k = 0; k < CRM_CLOCKS; k++)
		clock_format(&clocks[k], crm_now(), clock_text[k]);
	st = crm_store_prepare(s,
		"SELECT f, v FROM (SELECT 1 AS o, 'id' AS f, CAST(t.id AS TEXT) AS v FROM tickets t"
		" WHERE t.id = ?1"
		" UNION ALL SELECT 2, 'contact', coalesce(c.email, c.uid) || ' (' ||"
		" CAST(c.id AS TEXT) || ')' FROM tickets t JOIN contacts c ON c.id = t.contact_id"
		" WHERE t.id = ?1"
		" UNION ALL SELECT 3, 'subject', subject FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 4, 'status', status || coalesce(' into ' ||"
		" CAST(merged_into AS TEXT), '') FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 5, 'priority', priority FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 6, 'assignee', assignee FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 7, 'team', m.name FROM tickets t JOIN teams m ON m.id = t.team_id"
		" WHERE t.id = ?1"
		" UNION ALL SELECT 8, 'category', category FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 9, 'channel', channel FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 10, 'escalation', CAST(escalation AS TEXT) FROM tickets"
		" WHERE id = ?1 AND escalation > 0"
		" UNION ALL SELECT 11, 'created', created_at FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 12, 'updated', updated_at FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 13, 'first_response', first_response_at FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 14, 'resolved', resolved_at FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 15, 'closed', closed_at FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 16, 'csat', CAST(csat AS TEXT) || coalesce(': ' || csat_comment, '')"
		" FROM tickets WHERE id = ?1"
		" UNION ALL SELECT 17, 'first_response_due', ?2"
		" UNION ALL SELECT 18, 'next_response_due', ?3"
		" UNION ALL SELECT 19, 'resolution_due', ?4) AS x WHERE v IS NOT NULL ORDER BY o");
	crm_bind_int64(st, 1, id);
	for (int k = 0; k < CRM_CLOCKS; k++)
		crm_bind_text(st, k + 2, clocks[k].state != CRM_CLOCK_NONE ? clock_text[k] : NULL);
	rc = print_section(crm, s, st, 2, pair_cols, &e);
	if (rc == 0) {
		printf("\n");
		st = crm_store_prepare(s, "SELECT at, direction, author, body FROM ticket_messages"
				       " WHERE ticket_id = ?1 ORDER BY at, id");
		crm_bind_int64(st, 1, id);
		rc = print_section(crm, s, st, 4, thread_cols, &e);
	}
	if (rc == 0) {
		printf("\n");
		st = crm_store_prepare(s, "SELECT at, kind, from_value, to_value, who, detail"
				       " FROM ticket_events WHERE ticket_id = ?1 ORDER BY at, id");
		crm_bind_int64(st, 1, id);
		rc = print_section(crm, s, st, 6, event_cols, &e);
	}
	return rc != 0 ? crm_report(crm, &e) : 0;
}
