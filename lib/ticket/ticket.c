/* ticket.c - service tickets in the store (ticket.h). */
#include "ticket/ticket.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"
#include "ticket/ticket_row.h"

static const char *const priorities[] = { "low", "normal", "high", "urgent", NULL };
static const char *const statuses[] = { "new", "open", "pending", "resolved", "closed", NULL };

static int one_of(const char *what, const char *s, const char *const *values, const char *list,
		  struct crm_err *e)
{
	for (size_t i = 0; values[i] != NULL; i++)
		if (strcmp(s, values[i]) == 0)
			return 0;
	return crm_err_set(e, CRM_EX_USAGE, "invalid %s \"%.40s\" (%s)", what, s, list);
}

int crm_ticket_priority_check(const char *s, struct crm_err *e)
{
	return one_of("priority", s, priorities, "low, normal, high or urgent", e);
}

int crm_ticket_status_check(const char *s, struct crm_err *e)
{
	return one_of("status", s, statuses, "new, open, pending, resolved or closed", e);
}

int crm_span_parse(const char *s, int64_t *seconds, struct crm_err *e)
{
	static const struct { char unit; int64_t seconds; } units[] = {
		{ 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 },
	};
	int64_t n = 0;
	size_t i = 0;

	while (isdigit((unsigned char)s[i]) && n < INT64_C(1000000000))
		n = n * 10 + (s[i++] - '0');
	if (i > 0 && i < 10 && s[i] != '\0' && s[i + 1] == '\0')
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
			if (s[i] == units[u].unit) {
				*seconds = n * units[u].seconds;
				return 0;
			}
	return crm_err_set(e, CRM_EX_USAGE, "invalid span \"%.40s\" (a number and m, h, d or w,"
			   " such as 4h)", s);
}

int crm_ticket_open(struct crm_store *s, int64_t contact, const struct crm_ticket_new *n,
		    int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st;
	struct crm_ticket_row t;
	const char *at = n->at != NULL ? n->at : crm_store_now(s);
	int64_t team = 0;
	int rc = 0;

	if (n->subject == NULL || n->subject[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "a ticket needs --subject S");
	if (n->priority != NULL)
		rc = crm_ticket_priority_check(n->priority, e);
	if (rc == 0 && n->team != NULL)
		rc = crm_ticket_team_id(s, n->team, &team, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s,
		"INSERT INTO tickets (contact_id, subject, priority, channel, team_id, category,"
		" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id");
	crm_bind_int64(st, 1, contact);
	crm_bind_text(st, 2, n->subject);
	crm_bind_text(st, 3, n->priority != NULL ? n->priority : "normal");
	crm_bind_text(st, 4, n->channel);
	if (team > 0)
		crm_bind_int64(st, 5, team);
	else
		crm_bind_null(st, 5);
	crm_bind_text(st, 6, n->category);
	crm_bind_text(st, 7, at);
	rc = crm_store_insert_id(s, st, id, e);
	memset(&t, 0, sizeof(t));
	t.id = *id;
	t.contact = contact;
	if (rc == 0 && n->body != NULL && n->body[0] != '\0')
		rc = crm_ticket_row_message(s, &t, at, "in", NULL, NULL, n->body, e);
	if (rc == 0)
		rc = crm_ticket_row_event(s, &t, "opened", NULL, "new", NULL, e);
	return rc;
}

static int write_status(struct crm_store *s, const struct crm_ticket_row *t, const char *status,
			struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"UPDATE tickets SET status = ?2, updated_at = ?3,"
		" resolved_at = CASE WHEN ?2 = 'resolved' THEN ?3"
		"  WHEN ?2 = 'closed' THEN resolved_at ELSE NULL END,"
		" closed_at = CASE WHEN ?2 = 'closed' THEN ?3 ELSE NULL END WHERE id = ?1");

	crm_bind_int64(st, 1, t->id);
	crm_bind_text(st, 2, status);
	crm_bind_text(st, 3, crm_store_now(s));
	return crm_store_run(s, st, e);
}

int crm_ticket_set_status(struct crm_store *s, int64_t id, const char *status, int *changed,
			  struct crm_err *e)
{
	struct crm_ticket_row t;
	int rc = crm_ticket_status_check(status, e);

	*changed = 0;
	if (rc == 0)
		rc = crm_ticket_row_load_live(s, id, &t, e);
	if (rc != 0 || strcmp(t.status, status) == 0)
		return rc;
	*changed = 1;
	rc = write_status(s, &t, status, e);
	return rc == 0 ? crm_ticket_row_event(s, &t, "status", t.status, status, NULL, e) : rc;
}

int crm_ticket_reopen(struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct crm_ticket_row t;
	int rc = crm_ticket_row_load_live(s, id, &t, e);

	if (rc == 0 && strcmp(t.status, "resolved") != 0 && strcmp(t.status, "closed") != 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "ticket %lld is %s, not resolved or closed",
				 (long long)id, t.status);
	if (rc == 0)
		rc = write_status(s, &t, "open", e);
	return rc == 0 ? crm_ticket_row_event(s, &t, "reopened", t.status, "open", NULL, e) : rc;
}

/* The agent called name: its name as stored and its team (0: none);
 * CRM_EX_DATAERR when there is no such active agent. */
static int agent_of(struct crm_store *s, const char *name, char out[128], int64_t *team,
		    struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT name, coalesce(team_id, 0), active"
						" FROM agents WHERE name = ?1");
	int step, active = 0;

	crm_bind_text(st, 1, name);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		snprintf(out, 128, "%s", crm_column_text(st, 0));
		*team = crm_column_int64(st, 1);
		active = crm_column_int(st, 2);
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (step != CRM_ROW)
		return crm_err_set(e, CRM_EX_DATAERR, "no agent \"%.64s\" (crm-ticket agent add NAME)",
				   name);
	if (!active)
		return crm_err_set(e, CRM_EX_DATAERR, "agent \"%.64s\" was removed", name);
	return 0;
}

static int set_assignee(struct crm_store *s, const struct crm_ticket_row *t, const char *agent,
			int64_t team, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"UPDATE tickets SET assignee = ?2, team_id = CASE WHEN ?3 > 0 THEN ?3 ELSE team_id END,"
		" updated_at = ?4 WHERE id = ?1");

	crm_bind_int64(st, 1, t->id);
	crm_bind_text(st, 2, agent);
	crm_bind_int64(st, 3, team);
	crm_bind_text(st, 4, crm_store_now(s));
	return crm_store_run(s, st, e);
}

int crm_ticket_assign(struct crm_store *s, int64_t id, const char *agent, const char *team,
		      int *changed, struct crm_err *e)
{
	struct crm_ticket_row t;
	char name[128];
	int64_t tid = 0, agent_team = 0;
	int rc = crm_ticket_row_load_live(s, id, &t, e);

	*changed = 0;
	if (rc == 0 && agent == NULL && team == NULL)
		rc = crm_err_set(e, CRM_EX_USAGE, "give AGENT or --team T");
	if (rc == 0 && team != NULL)
		rc = crm_ticket_team_id(s, team, &tid, e);
	if (rc == 0 && agent != NULL)
		rc = agent_of(s, agent, name, &agent_team, e);
	if (rc != 0)
		return rc;
	if (agent != NULL) {
		int64_t to_team = tid > 0 ? tid : t.team > 0 ? 0 : agent_team;

		if (strcmp(t.assignee, name) == 0 && (tid == 0 || tid == t.team))
			return 0;
		*changed = 1;
		rc = set_assignee(s, &t, name, to_team, e);
		if (rc == 0)
			rc = crm_ticket_row_event(s, &t, "assigned", t.assignee[0] != '\0' ? t.assignee : NULL,
				       name, team, e);
		/* a new ticket someone has taken is open */
		if (rc == 0 && strcmp(t.status, "new") == 0)
			rc = write_status(s, &t, "open", e);
		return rc == 0 && strcmp(t.status, "new") == 0 ?
		       crm_ticket_row_event(s, &t, "status", "new", "open", NULL, e) : rc;
	}
	if (tid == t.team)
		return 0;
	*changed = 1;
	/* to a team: its queue, no agent yet */
	rc = set_assignee(s, &t, NULL, tid, e);
	return rc == 0 ? crm_ticket_row_event(s, &t, "assigned", t.assignee[0] != '\0' ? t.assignee : NULL,
				   NULL, team, e) : rc;
}

/* An agent as crm_ticket_assign_auto weighs it: its open tickets, and
 * when it was last given one (the id of that event; 0: never). */
struct candidate {
	char name[128];
	int64_t team, open, last;
};

/* The active agents, their loads and last assignments: three queries,
 * whatever the number of tickets. */
static int load_candidates(struct crm_store *s, struct candidate **out, size_t *n,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT a.name, coalesce(a.team_id, 0), (SELECT count(*) FROM tickets t"
		" WHERE t.assignee = a.name AND (t.status = 'new' OR t.status = 'open'"
		" OR t.status = 'pending')) FROM agents a WHERE a.active = 1 ORDER BY a.name");
	int step;

	*out = NULL;
	*n = 0;
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct candidate *c;

		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		c = &(*out)[(*n)++];
		snprintf(c->name, sizeof(c->name), "%s", crm_column_text(st, 0));
		c->team = crm_column_int64(st, 1);
		c->open = crm_column_int64(st, 2);
		c->last = 0;
	}
	if (step < 0)
		return e->code;
	/* one pass over the assignments, not one an agent and a ticket */
	st = crm_store_prepare(s, "SELECT to_value, max(id) FROM ticket_events"
			       " WHERE kind = 'assigned' AND to_value IS NOT NULL GROUP BY to_value");
	while ((step = crm_store_step(s, st, e)) == CRM_ROW)
		for (size_t i = 0; i < *n; i++)
			if (strcasecmp((*out)[i].name, crm_column_text(st, 0)) == 0)
				(*out)[i].last = crm_column_int64(st, 1);
	return step < 0 ? e->code : 0;
}

/* The agent for an unassigned ticket of team (0: any): the fewest open
 * tickets, or by round robin the one given one least recently (never
 * first); ties by name (the list's order). NULL when none can take it. */
static struct candidate *pick(struct candidate *c, size_t n, int64_t team, int round_robin)
{
	struct candidate *best = NULL;

	for (size_t i = 0; i < n; i++) {
		if (team != 0 && c[i].team != team)
			continue;
		if (best == NULL || (round_robin ? c[i].last < best->last : c[i].open < best->open))
			best = &c[i];
	}
	return best;
}

int crm_ticket_assign_auto(struct crm_store *s, int round_robin,
			   struct crm_ticket_assigned **out, size_t *n, size_t *left,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT id, coalesce(team_id, 0) FROM tickets WHERE assignee IS NULL AND"
		" (status = 'new' OR status = 'open' OR status = 'pending') ORDER BY created_at, id");
	struct candidate *agents = NULL;
	int64_t (*todo)[2] = NULL, serial = INT64_C(1) << 62;
	size_t ntodo = 0, cap = 0, nagents = 0;
	int step, rc = 0;

	*out = NULL;
	*n = *left = 0;
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		if (ntodo == cap) {
			cap = cap ? cap * 2 : 64;
			todo = xreallocarray(todo, cap, sizeof(*todo));
		}
		todo[ntodo][0] = crm_column_int64(st, 0);
		todo[ntodo++][1] = crm_column_int64(st, 1);
	}
	if (step < 0)
		rc = e->code;
	if (rc == 0)
		rc = load_candidates(s, &agents, &nagents, e);
	if (rc == 0 && ntodo > 0)
		*out = xreallocarray(NULL, ntodo, sizeof(**out));
	for (size_t i = 0; rc == 0 && i < ntodo; i++) {
		struct candidate *c = pick(agents, nagents, todo[i][1], round_robin);
		int changed;

		if (c == NULL) {
			(*left)++;
			continue;
		}
		rc = crm_ticket_assign(s, todo[i][0], c->name, NULL, &changed, e);
		if (rc == 0) {
			c->open++;
			c->last = serial++;   /* later than any event before this run */
			(*out)[*n].ticket = todo[i][0];
			snprintf((*out)[(*n)++].agent, sizeof((*out)[0].agent), "%s", c->name);
		}
	}
	free(todo);
	free(agents);
	return rc;
}

int crm_ticket_note(struct crm_store *s, int64_t id, const char *body, struct crm_err *e)
{
	struct crm_ticket_row t;
	int rc = crm_ticket_row_load_live(s, id, &t, e);

	if (rc == 0 && (body == NULL || body[0] == '\0'))
		rc = crm_err_set(e, CRM_EX_USAGE, "an empty note");
	if (rc == 0)
		rc = crm_ticket_row_message(s, &t, crm_store_now(s), "note", crm_store_who(s), NULL,
					    body, e);
	return rc == 0 ? crm_ticket_row_event(s, &t, "note", NULL, NULL, NULL, e) : rc;
}

int crm_ticket_csat(struct crm_store *s, int64_t id, int score, const char *comment,
		    struct crm_err *e)
{
	struct crm_stmt *st;
	struct crm_ticket_row t;
	char to[8];
	int rc = crm_ticket_row_load_live(s, id, &t, e);

	if (rc == 0 && (score < 1 || score > 5))
		rc = crm_err_set(e, CRM_EX_USAGE, "a rating is a whole 1 to 5");
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "UPDATE tickets SET csat = ?2, csat_comment = ?3, updated_at = ?4"
			       " WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	crm_bind_int(st, 2, score);
	crm_bind_text(st, 3, comment);
	crm_bind_text(st, 4, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	snprintf(to, sizeof(to), "%d", score);
	return rc == 0 ? crm_ticket_row_event(s, &t, "csat", NULL, to, comment, e) : rc;
}

int crm_ticket_merge(struct crm_store *s, int64_t keep, int64_t other, struct crm_err *e)
{
	static const char *const moves[] = {
		"UPDATE ticket_messages SET ticket_id = ?1, contact_id = ?2 WHERE ticket_id = ?3",
		"UPDATE ticket_events SET ticket_id = ?1, contact_id = ?2 WHERE ticket_id = ?3",
	};
	struct crm_ticket_row k, o;
	struct crm_stmt *st;
	char text[32];
	int rc;

	if (keep == other)
		return crm_err_set(e, CRM_EX_USAGE, "a ticket is not merged into itself");
	rc = crm_ticket_row_load_live(s, keep, &k, e);
	if (rc == 0)
		rc = crm_ticket_row_load_live(s, other, &o, e);
	for (size_t i = 0; rc == 0 && i < sizeof(moves) / sizeof(moves[0]); i++) {
		st = crm_store_prepare(s, moves[i]);
		crm_bind_int64(st, 1, keep);
		crm_bind_int64(st, 2, k.contact);
		crm_bind_int64(st, 3, other);
		rc = crm_store_run(s, st, e);
	}
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "UPDATE tickets SET status = 'merged', merged_into = ?2,"
			       " updated_at = ?3 WHERE id = ?1");
	crm_bind_int64(st, 1, other);
	crm_bind_int64(st, 2, keep);
	crm_bind_text(st, 3, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	snprintf(text, sizeof(text), "#%lld", (long long)other);
	if (rc == 0)
		rc = crm_ticket_row_event(s, &k, "merged", NULL, NULL, text, e);
	snprintf(text, sizeof(text), "into #%lld", (long long)keep);
	return rc == 0 ? crm_ticket_row_event(s, &o, "merged", o.status, "merged", text, e) : rc;
}

/* ---- teams and agents -------------------------------------------------------- */

static int check_name(const char *what, const char *name, struct crm_err *e)
{
	if (name[0] == '\0' || strlen(name) > 100 || strpbrk(name, "\t\r\n") != NULL)
		return crm_err_set(e, CRM_EX_USAGE, "invalid %s name \"%.64s\"", what, name);
	return 0;
}

int crm_team_add(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t id;
	int rc = check_name("team", name, e);

	if (rc == 0 && crm_ticket_team_id(s, name, &id, e) == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "team \"%.64s\" exists", name);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO teams (name, created_at) VALUES (?1, ?2)");
	crm_bind_text(st, 1, name);
	crm_bind_text(st, 2, crm_store_now(s));
	return crm_store_run(s, st, e);
}

int crm_team_rm(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "DELETE FROM teams WHERE name = ?1");

	crm_bind_text(st, 1, name);
	return crm_store_run_named(s, st, e, "no team \"%.64s\"", name);
}

int crm_agent_add(struct crm_store *s, const char *name, const char *team, const char *email,
		  struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t tid = 0;
	int rc = check_name("agent", name, e);

	if (rc == 0 && team != NULL)
		rc = crm_ticket_team_id(s, team, &tid, e);
	if (rc == 0 && email != NULL && (strchr(email, '@') == NULL || strpbrk(email, " \t\r\n<>")))
		rc = crm_err_set(e, CRM_EX_USAGE, "invalid email \"%.64s\"", email);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "SELECT active FROM agents WHERE name = ?1");
	crm_bind_text(st, 1, name);
	rc = crm_store_step(s, st, e);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc == CRM_ROW) {
		/* an agent again, or its team or email changed */
		st = crm_store_prepare(s, "UPDATE agents SET active = 1, team_id = ?2,"
				       " email = coalesce(?3, email) WHERE name = ?1");
	} else {
		st = crm_store_prepare(s, "INSERT INTO agents (name, team_id, email, created_at)"
				       " VALUES (?1, ?2, ?3, ?4)");
		crm_bind_text(st, 4, crm_store_now(s));
	}
	crm_bind_text(st, 1, name);
	if (tid > 0)
		crm_bind_int64(st, 2, tid);
	else
		crm_bind_null(st, 2);
	crm_bind_text(st, 3, email);
	return crm_store_run(s, st, e);
}

int crm_agent_rm(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "UPDATE agents SET active = 0 WHERE name = ?1"
						" AND active = 1");

	crm_bind_text(st, 1, name);
	return crm_store_run_named(s, st, e, "no agent \"%.64s\"", name);
}

struct crm_stmt *crm_agent_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT a.name, m.name, a.email, a.active, (SELECT count(*) FROM tickets t"
		" WHERE t.assignee = a.name AND (t.status = 'new' OR t.status = 'open'"
		" OR t.status = 'pending')) FROM agents a LEFT JOIN teams m"
		" ON m.id = a.team_id ORDER BY a.name");
}

struct crm_stmt *crm_team_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT m.name, (SELECT count(*) FROM agents a WHERE a.team_id = m.id"
		" AND a.active = 1), (SELECT count(*) FROM tickets t WHERE t.team_id = m.id"
		" AND (t.status = 'new' OR t.status = 'open' OR t.status = 'pending'))"
		" FROM teams m ORDER BY m.name");
}
