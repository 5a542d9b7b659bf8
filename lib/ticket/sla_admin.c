/* sla_admin.c - business calendars and SLA policies as data (sla.h). */
#include "ticket/sla.h"

#include <stdio.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "ticket/calendar.h"
#include "ticket/ticket.h"
#include "ticket/ticket_row.h"

/* A span in SQL as crm_span_parse reads it: 2d, 4h or 90m. */
#define SPAN(x) "CASE WHEN " x " IS NULL THEN NULL" \
	" WHEN " x " % 604800 = 0 THEN CAST(" x " / 604800 AS TEXT) || 'w'" \
	" WHEN " x " % 86400 = 0 THEN CAST(" x " / 86400 AS TEXT) || 'd'" \
	" WHEN " x " % 3600 = 0 THEN CAST(" x " / 3600 AS TEXT) || 'h'" \
	" ELSE CAST(" x " / 60 AS TEXT) || 'm' END"

static int calendar_id(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM calendars WHERE name = ?1");
	int step;

	*id = 0;
	crm_bind_text(st, 1, name);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW)
		*id = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	return *id != 0 ? 0 : crm_err_set(e, CRM_EX_DATAERR, "no calendar \"%.64s\" (crm-ticket"
					 " calendar set NAME)", name);
}

int crm_calendar_set(struct crm_store *s, const char *name, const char *hours, const char *tz,
		     struct crm_err *e)
{
	struct crm_calendar cal;
	struct crm_stmt *st;
	int rc = crm_calendar_init(&cal, hours, tz, e);

	crm_calendar_free(&cal);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO calendars (name, hours, tz, created_at)"
			       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE"
			       " SET hours = excluded.hours, tz = excluded.tz");
	crm_bind_text(st, 1, name);
	crm_bind_text(st, 2, hours);
	crm_bind_text(st, 3, tz);
	crm_bind_text(st, 4, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	return rc == 0 ? crm_sla_refresh_all(s, NULL, e) : rc;
}

int crm_calendar_rm(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t id;
	int rc = calendar_id(s, name, &id, e), step;

	if (rc != 0)
		return rc == CRM_EX_DATAERR ? crm_err_set(e, CRM_EX_NOTFOUND, "no calendar \"%.64s\"",
							  name) : rc;
	st = crm_store_prepare(s, "SELECT priority FROM sla_policies WHERE calendar_id = ?1 LIMIT 1");
	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW)
		rc = crm_err_set(e, CRM_EX_DATAERR, "calendar \"%.64s\" is the %s policy's (crm-ticket"
				 " sla set with another --calendar first)", name, crm_column_text(st, 0));
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM calendars WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	return crm_store_run(s, st, e);
}

/* DAY checked as a date (YYYY-MM-DD, or today and the like). */
static int holiday_day(const char *day, char out[16], struct crm_err *e)
{
	int64_t y;
	int m, d;
	int rc = crm_date_parse(day, crm_now(), &y, &m, &d, e);

	if (rc != 0)
		return crm_err_set(e, CRM_EX_USAGE, "%s", e->msg);
	crm_date_format(y, m, d, out);
	return 0;
}

int crm_calendar_holiday_add(struct crm_store *s, const char *name, const char *day,
			     struct crm_err *e)
{
	struct crm_stmt *st;
	char text[16];
	int64_t id;
	int rc = holiday_day(day, text, e);

	if (rc == 0)
		rc = calendar_id(s, name, &id, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO calendar_holidays (calendar_id, day) VALUES (?1, ?2)"
			       " ON CONFLICT DO NOTHING");
	crm_bind_int64(st, 1, id);
	crm_bind_text(st, 2, text);
	rc = crm_store_run(s, st, e);
	return rc == 0 ? crm_sla_refresh_all(s, NULL, e) : rc;
}

int crm_calendar_holiday_rm(struct crm_store *s, const char *name, const char *day,
			    struct crm_err *e)
{
	struct crm_stmt *st;
	char text[16];
	int64_t id;
	int rc = holiday_day(day, text, e);

	if (rc == 0)
		rc = calendar_id(s, name, &id, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM calendar_holidays WHERE calendar_id = ?1 AND day = ?2");
	crm_bind_int64(st, 1, id);
	crm_bind_text(st, 2, text);
	rc = crm_store_run_named(s, st, e, "no holiday %s in calendar \"%.64s\"", text, name);
	return rc == 0 ? crm_sla_refresh_all(s, NULL, e) : rc;
}

struct crm_stmt *crm_calendar_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT c.name, c.hours, c.tz, (SELECT count(*) FROM calendar_holidays h"
		" WHERE h.calendar_id = c.id) FROM calendars c ORDER BY c.name");
}

int crm_sla_set(struct crm_store *s, const char *priority, const char *team,
		const struct crm_sla_targets *t, const char *calendar, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t team_id = 0, cal = 0;
	int rc = crm_ticket_priority_check(priority, e);

	if (rc == 0 && t->first_response <= 0 && t->next_response <= 0 && t->resolution <= 0)
		rc = crm_err_set(e, CRM_EX_USAGE, "give --first-response, --next-response or"
				 " --resolution");
	if (rc == 0 && team != NULL)
		rc = crm_ticket_team_id(s, team, &team_id, e);
	if (rc == 0 && calendar != NULL)
		rc = calendar_id(s, calendar, &cal, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM sla_policies WHERE priority = ?1"
			       " AND coalesce(team_id, 0) = ?2");
	crm_bind_text(st, 1, priority);
	crm_bind_int64(st, 2, team_id);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO sla_policies (priority, team_id, first_response,"
			       " next_response, resolution, calendar_id, created_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	crm_bind_text(st, 1, priority);
	if (team_id != 0)
		crm_bind_int64(st, 2, team_id);
	else
		crm_bind_null(st, 2);
	for (int k = 0; k < 3; k++) {
		int64_t v = k == 0 ? t->first_response : k == 1 ? t->next_response : t->resolution;

		if (v > 0)
			crm_bind_int64(st, k + 3, v);
		else
			crm_bind_null(st, k + 3);
	}
	if (cal != 0)
		crm_bind_int64(st, 6, cal);
	else
		crm_bind_null(st, 6);
	crm_bind_text(st, 7, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	return rc == 0 ? crm_sla_refresh_all(s, priority, e) : rc;
}

int crm_sla_rm(struct crm_store *s, const char *priority, const char *team, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t team_id = 0;
	int rc = crm_ticket_priority_check(priority, e);

	if (rc == 0 && team != NULL)
		rc = crm_ticket_team_id(s, team, &team_id, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM sla_policies WHERE priority = ?1"
			       " AND coalesce(team_id, 0) = ?2");
	crm_bind_text(st, 1, priority);
	crm_bind_int64(st, 2, team_id);
	rc = crm_store_run_named(s, st, e, "no %s policy%s%.64s", priority,
				 team != NULL ? " of team " : "", team != NULL ? team : "");
	return rc == 0 ? crm_sla_refresh_all(s, priority, e) : rc;
}

struct crm_stmt *crm_sla_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT p.priority, coalesce(m.name, '*'), " SPAN("p.first_response") ", "
		SPAN("p.next_response") ", " SPAN("p.resolution") ", c.name"
		" FROM sla_policies p LEFT JOIN teams m ON m.id = p.team_id"
		" LEFT JOIN calendars c ON c.id = p.calendar_id"
		" ORDER BY CASE p.priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'normal' THEN 3"
		" ELSE 4 END, m.name IS NOT NULL, m.name");
}
