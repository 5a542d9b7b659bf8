/* ticket_row.c - one ticket's row, its events and messages (ticket_row.h). */
#include "ticket/ticket_row.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "store/store.h"
#include "ticket/sla.h"

int crm_ticket_row_load(struct crm_store *s, int64_t id, struct crm_ticket_row *t,
			struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT contact_id, status, coalesce(assignee, ''),"
						" coalesce(team_id, 0), coalesce(merged_into, 0)"
						" FROM tickets WHERE id = ?1");
	int step;

	memset(t, 0, sizeof(*t));
	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		t->id = id;
		t->contact = crm_column_int64(st, 0);
		snprintf(t->status, sizeof(t->status), "%s", crm_column_text(st, 1));
		snprintf(t->assignee, sizeof(t->assignee), "%s", crm_column_text(st, 2));
		t->team = crm_column_int64(st, 3);
		t->merged_into = crm_column_int64(st, 4);
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (step != CRM_ROW)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no ticket %lld", (long long)id);
	return 0;
}

/* A ticket that may still change: not merged away. */
int crm_ticket_row_load_live(struct crm_store *s, int64_t id, struct crm_ticket_row *t,
			     struct crm_err *e)
{
	int rc = crm_ticket_row_load(s, id, t, e);

	if (rc == 0 && strcmp(t->status, "merged") == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "ticket %lld was merged into %lld",
				 (long long)id, (long long)t->merged_into);
	return rc;
}

int crm_ticket_row_event(struct crm_store *s, const struct crm_ticket_row *t, const char *kind,
			 const char *from, const char *to, const char *detail, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO ticket_events (ticket_id, contact_id, at, kind, from_value, to_value, who,"
		" detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc;

	crm_bind_int64(st, 1, t->id);
	crm_bind_int64(st, 2, t->contact);
	crm_bind_text(st, 3, crm_store_now(s));
	crm_bind_text(st, 4, kind);
	crm_bind_text(st, 5, from);
	crm_bind_text(st, 6, to);
	crm_bind_text(st, 7, crm_store_who(s));
	crm_bind_text(st, 8, detail);
	rc = crm_store_run(s, st, e);
	/* every change comes with its event: the due times follow it */
	return rc == 0 ? crm_sla_refresh(s, t->id, e) : rc;
}

int crm_ticket_row_message(struct crm_store *s, const struct crm_ticket_row *t, const char *at,
			   const char *direction, const char *author, const char *message_id,
			   const char *body, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO ticket_messages (ticket_id, contact_id, at, direction, author, message_id,"
		" body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	crm_bind_int64(st, 1, t->id);
	crm_bind_int64(st, 2, t->contact);
	crm_bind_text(st, 3, at);
	crm_bind_text(st, 4, direction);
	crm_bind_text(st, 5, author);
	crm_bind_text(st, 6, message_id);
	crm_bind_text(st, 7, body);
	return crm_store_run(s, st, e);
}

int crm_ticket_team_id(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM teams WHERE name = ?1");
	int step;

	crm_bind_text(st, 1, name);
	step = crm_store_step(s, st, e);
	*id = step == CRM_ROW ? crm_column_int64(st, 0) : 0;
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (step != CRM_ROW)
		return crm_err_set(e, CRM_EX_DATAERR, "no team \"%.64s\" (crm-ticket team add NAME)",
				   name);
	return 0;
}
