/* sla.c - a ticket's clocks and their due times (sla.h); the policies
 * and calendars themselves are sla_admin.c. */
#include "ticket/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"
#include "ticket/calendar.h"

const char *const crm_clock_names[CRM_CLOCKS] = { "first_response", "next_response",
						  "resolution" };

/* A span the clocks stood still: [from, to), to INT64_MAX while it lasts. */
struct pause {
	int64_t from, to;
};

/* What the clocks of one ticket are computed from. */
struct sla_inputs {
	char status[16];
	char priority[16];
	int64_t team;
	int64_t created, first_response, resolved;   /* 0: none */
	char stored[CRM_CLOCKS][32];                  /* the due times kept now, "" for NULL */
	int64_t next_start;                           /* 0: no next-response clock */
	int64_t target[CRM_CLOCKS];                   /* 0: no target */
	struct crm_calendar cal;
	int has_cal;
	struct pause *pauses;
	size_t npauses;
};

static void inputs_free(struct sla_inputs *in)
{
	if (in->has_cal)
		crm_calendar_free(&in->cal);
	free(in->pauses);
}

/* A stored time, or 0 for NULL. */
static int64_t stored_time(const char *s)
{
	struct crm_err e = { 0, "" };
	int64_t t = 0;

	if (s == NULL || crm_time_parse(s, 0, &t, &e) != 0)
		return 0;
	return t;
}

static int load_ticket(struct crm_store *s, int64_t id, struct sla_inputs *in, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT status, priority, coalesce(team_id, 0), created_at, first_response_at,"
		" coalesce(resolved_at, closed_at), first_response_due, next_response_due,"
		" resolution_due FROM tickets WHERE id = ?1");
	int step;

	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		snprintf(in->status, sizeof(in->status), "%s", crm_column_text(st, 0));
		snprintf(in->priority, sizeof(in->priority), "%s", crm_column_text(st, 1));
		in->team = crm_column_int64(st, 2);
		in->created = stored_time(crm_column_text(st, 3));
		in->first_response = stored_time(crm_column_text(st, 4));
		in->resolved = stored_time(crm_column_text(st, 5));
		for (int k = 0; k < CRM_CLOCKS; k++) {
			const char *v = crm_column_text(st, 6 + k);

			snprintf(in->stored[k], sizeof(in->stored[k]), "%s", v != NULL ? v : "");
		}
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	return step == CRM_ROW ? 0 : crm_err_set(e, CRM_EX_NOTFOUND, "no ticket %lld",
						 (long long)id);
}

static int load_holidays(struct crm_store *s, int64_t calendar, struct crm_calendar *cal,
			 struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT day FROM calendar_holidays"
						" WHERE calendar_id = ?1");
	int step;

	crm_bind_int64(st, 1, calendar);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		int64_t y;
		int m, d;
		struct crm_err ignored = { 0, "" };

		if (crm_date_parse(crm_column_text(st, 0), 0, &y, &m, &d, &ignored) == 0)
			crm_calendar_holiday(cal, y, m, d);
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* Time zone tz, read once a session (store/store.h's memo). */
static void *zone_of(struct crm_store *s, const char *tz)
{
	char key[96];
	void *zone;

	snprintf(key, sizeof(key), "ticket/tz:%.80s", tz);
	zone = crm_store_memo(s, key);
	if (zone == NULL && (zone = crm_calendar_zone(tz)) != NULL)
		crm_store_memo_keep(s, key, zone, crm_calendar_zone_release);
	return zone;
}

/* The policy of the ticket's priority and team (else of any team), and
 * its calendar. *found 0 when there is none. */
static int load_policy(struct crm_store *s, struct sla_inputs *in, int *found, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT coalesce(p.first_response, 0), coalesce(p.next_response, 0),"
		" coalesce(p.resolution, 0), c.hours, c.tz, coalesce(c.id, 0)"
		" FROM sla_policies p LEFT JOIN calendars c ON c.id = p.calendar_id"
		" WHERE p.priority = ?1 AND (p.team_id = ?2 OR p.team_id IS NULL)"
		" ORDER BY CASE WHEN p.team_id IS NULL THEN 1 ELSE 0 END LIMIT 1");
	int64_t calendar = 0;
	int step, rc = 0;

	*found = 0;
	crm_bind_text(st, 1, in->priority);
	crm_bind_int64(st, 2, in->team);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		*found = 1;
		for (int k = 0; k < CRM_CLOCKS; k++)
			in->target[k] = crm_column_int64(st, k);
		calendar = crm_column_int64(st, 5);
		if (calendar != 0) {
			rc = crm_calendar_init_in(&in->cal, crm_column_text(st, 3),
						  zone_of(s, crm_column_text(st, 4)),
						  crm_column_text(st, 4), e);
			in->has_cal = rc == 0;
			if (rc != 0)
				crm_err_prefix(e, "the calendar of the %s policy", in->priority);
		}
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	return rc == 0 && in->has_cal ? load_holidays(s, calendar, &in->cal, e) : rc;
}

static int stops_clock(const char *status)
{
	return strcmp(status, "pending") == 0 || strcmp(status, "resolved") == 0 ||
	       strcmp(status, "closed") == 0 || strcmp(status, "merged") == 0;
}

static void add_pause(struct sla_inputs *in, int64_t from, int64_t to)
{
	in->pauses = xreallocarray(in->pauses, in->npauses + 1, sizeof(*in->pauses));
	in->pauses[in->npauses].from = from;
	in->pauses[in->npauses++].to = to;
}

/* The spans it stood still, from its status changes in order. */
static int load_pauses(struct crm_store *s, int64_t id, struct sla_inputs *in, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT at, CASE WHEN kind = 'reopened' THEN 'open' ELSE to_value END"
		" FROM ticket_events WHERE ticket_id = ?1 AND (kind = 'status' OR kind = 'reopened')"
		" ORDER BY at, id");
	int64_t since = 0;
	int step, running = 1;

	crm_bind_int64(st, 1, id);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		int64_t at = stored_time(crm_column_text(st, 0));
		const char *to = crm_column_text(st, 1);
		int stop = to != NULL && stops_clock(to);

		if (running && stop) {
			since = at;
			running = 0;
		} else if (!running && !stop) {
			add_pause(in, since, at);
			running = 1;
		}
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (!running || stops_clock(in->status))
		add_pause(in, running ? in->created : since, INT64_MAX);
	return 0;
}

/* The next-response clock starts at the customer's latest message when
 * it came after the latest reply (and there was one). */
static int load_next_start(struct crm_store *s, int64_t id, struct sla_inputs *in,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT max(CASE WHEN direction = 'in' THEN at END),"
		" max(CASE WHEN direction = 'out' THEN at END)"
		" FROM ticket_messages WHERE ticket_id = ?1");
	int step;

	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		int64_t in_at = stored_time(crm_column_text(st, 0));
		int64_t out_at = stored_time(crm_column_text(st, 1));

		if (in->first_response != 0 && out_at != 0 && in_at > out_at)
			in->next_start = in_at;
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* One clock from start with target seconds of business time, stopped at
 * stop (0: running), through the pauses. */
static struct crm_clock clock_of(const struct sla_inputs *in, int64_t start, int64_t target,
				 int64_t stop, int64_t now)
{
	const struct crm_calendar *cal = in->has_cal ? &in->cal : NULL;
	struct crm_clock c = { CRM_CLOCK_NONE, 0, 0, 0 };
	int64_t cursor = start, remaining = target, due = INT64_MAX;
	int found = 0;

	if (target <= 0 || start == 0)
		return c;
	for (size_t i = 0; i < in->npauses && !found; i++) {
		const struct pause *p = &in->pauses[i];
		int64_t until = p->from > cursor ? p->from : cursor, avail;
		/* a clock that stopped ends every pause by then: one stopped
		 * while pending, with time left, was met */
		int64_t to = stop != 0 && p->to > stop ? stop : p->to;

		if (stop != 0 && p->from >= stop)
			break;
		if (to <= cursor)
			continue;
		avail = crm_calendar_between(cal, cursor, until);
		if (avail >= remaining) {
			due = crm_calendar_add(cal, cursor, remaining);
			found = 1;
			break;
		}
		remaining -= avail;
		if (to == INT64_MAX) {
			c.state = CRM_CLOCK_PAUSED;
			c.left = remaining;
			return c;
		}
		cursor = to > cursor ? to : cursor;
	}
	if (!found)
		due = crm_calendar_add(cal, cursor, remaining);
	if (due == INT64_MAX)
		return c;
	c.due = due;
	if (stop != 0) {
		c.state = stop <= due ? CRM_CLOCK_MET : CRM_CLOCK_MISSED;
		c.stopped = stop;
	} else {
		c.state = now >= due ? CRM_CLOCK_OVERDUE : CRM_CLOCK_RUNNING;
	}
	return c;
}

/* The clocks, and the due times kept now into stored (may be NULL). */
static int clocks_of(struct crm_store *s, int64_t ticket, int64_t now,
		     struct crm_clock clocks[CRM_CLOCKS], char stored[CRM_CLOCKS][32],
		     struct crm_err *e)
{
	struct sla_inputs in;
	int found = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	memset(clocks, 0, CRM_CLOCKS * sizeof(*clocks));
	rc = load_ticket(s, ticket, &in, e);
	if (rc == 0 && strcmp(in.status, "merged") != 0)
		rc = load_policy(s, &in, &found, e);
	if (rc == 0 && found)
		rc = load_pauses(s, ticket, &in, e);
	if (rc == 0 && found)
		rc = load_next_start(s, ticket, &in, e);
	if (rc == 0 && found) {
		clocks[CRM_CLOCK_FIRST] = clock_of(&in, in.created, in.target[CRM_CLOCK_FIRST],
						   in.first_response, now);
		clocks[CRM_CLOCK_NEXT] = clock_of(&in, in.next_start, in.target[CRM_CLOCK_NEXT], 0,
						  now);
		clocks[CRM_CLOCK_RESOLUTION] = clock_of(&in, in.created,
							in.target[CRM_CLOCK_RESOLUTION],
							stops_clock(in.status) &&
							strcmp(in.status, "pending") != 0
							? in.resolved : 0, now);
	}
	if (stored != NULL)
		memcpy(stored, in.stored, sizeof(in.stored));
	inputs_free(&in);
	return rc;
}

int crm_sla_clocks(struct crm_store *s, int64_t ticket, int64_t now,
		   struct crm_clock clocks[CRM_CLOCKS], struct crm_err *e)
{
	return clocks_of(s, ticket, now, clocks, NULL, e);
}

/* Business seconds in [a, b) that the ticket was not stopped. */
static int64_t running_between(const struct sla_inputs *in, int64_t a, int64_t b)
{
	const struct crm_calendar *cal = in->has_cal ? &in->cal : NULL;
	int64_t sum = crm_calendar_between(cal, a, b);

	for (size_t i = 0; i < in->npauses; i++) {
		int64_t from = in->pauses[i].from > a ? in->pauses[i].from : a;
		int64_t to = in->pauses[i].to < b ? in->pauses[i].to : b;

		if (to > from)
			sum -= crm_calendar_between(cal, from, to);
	}
	return sum;
}

static int met_of(const struct crm_clock *c)
{
	return c->state == CRM_CLOCK_MET ? 1 : c->state == CRM_CLOCK_MISSED ? 0 : -1;
}

int crm_sla_elapsed(struct crm_store *s, int64_t ticket, int64_t now,
		    struct crm_sla_elapsed *out, struct crm_err *e)
{
	struct sla_inputs in;
	int found = 0, rc;
	int64_t stop;

	memset(&in, 0, sizeof(in));
	out->first = out->resolution = -1;
	out->first_met = out->resolution_met = -1;
	rc = load_ticket(s, ticket, &in, e);
	if (rc == 0)
		rc = load_policy(s, &in, &found, e);
	if (rc == 0)
		rc = load_pauses(s, ticket, &in, e);
	stop = stops_clock(in.status) && strcmp(in.status, "pending") != 0 ? in.resolved : 0;
	if (rc == 0 && in.first_response != 0)
		out->first = running_between(&in, in.created, in.first_response);
	if (rc == 0 && stop != 0)
		out->resolution = running_between(&in, in.created, stop);
	if (rc == 0 && found) {
		struct crm_clock c = clock_of(&in, in.created, in.target[CRM_CLOCK_FIRST],
					      in.first_response, now);

		out->first_met = met_of(&c);
		c = clock_of(&in, in.created, in.target[CRM_CLOCK_RESOLUTION], stop, now);
		out->resolution_met = met_of(&c);
	}
	inputs_free(&in);
	return rc;
}

/* The due time a clock keeps on the ticket: "" for NULL. */
static void due_text(const struct crm_clock *c, char text[32])
{
	if (c->state == CRM_CLOCK_NONE || c->state == CRM_CLOCK_PAUSED)
		text[0] = '\0';
	else
		crm_time_format(c->due, text);
}

int crm_sla_refresh(struct crm_store *s, int64_t ticket, struct crm_err *e)
{
	struct crm_clock clocks[CRM_CLOCKS];
	char stored[CRM_CLOCKS][32], due[CRM_CLOCKS][32];
	struct crm_stmt *st;
	int64_t now = 0;
	int rc = crm_time_parse(crm_store_now(s), 0, &now, e), same = 1;

	if (rc == 0)
		rc = clocks_of(s, ticket, now, clocks, stored, e);
	if (rc != 0)
		return rc;
	for (int k = 0; k < CRM_CLOCKS; k++) {
		due_text(&clocks[k], due[k]);
		same = same && strcmp(due[k], stored[k]) == 0;
	}
	if (same)
		return 0;   /* most changes move no due time: no write */
	st = crm_store_prepare(s, "UPDATE tickets SET first_response_due = ?2,"
			       " next_response_due = ?3, resolution_due = ?4 WHERE id = ?1");
	crm_bind_int64(st, 1, ticket);
	for (int k = 0; k < CRM_CLOCKS; k++)
		crm_bind_text_or_null(st, k + 2, due[k]);
	return crm_store_run(s, st, e);
}

int crm_sla_refresh_all(struct crm_store *s, const char *priority, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM tickets WHERE status <> 'closed'"
						" AND status <> 'merged' AND (priority = ?1 OR ?1 IS NULL)"
						" ORDER BY id");
	int64_t *ids = NULL;
	size_t n = 0;
	int step, rc = 0;

	crm_bind_text(st, 1, priority);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = crm_column_int64(st, 0);
	}
	crm_stmt_reset(st);
	if (step < 0)
		rc = e->code;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = crm_sla_refresh(s, ids[i], e);
	free(ids);
	return rc;
}
