/* escalate.c - tickets raised as they near or pass their due times, and
 * the rules of who gets them (escalate.h). */
#include "ticket/escalate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"
#include "ticket/sla.h"
#include "ticket/ticket.h"
#include "ticket/ticket_row.h"

/* A ticket read as a candidate, before its own transaction. */
struct candidate {
	int64_t id;
	char priority[16];
	int level;                   /* its escalation as read */
	char due[CRM_CLOCKS][32];    /* "" for a clock not running */
};

static int read_candidates(struct crm_store *s, const char *by, struct candidate **out,
			   size_t *n, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT id, priority, escalation,"
		" CASE WHEN first_response_at IS NULL THEN first_response_due END,"
		" next_response_due, resolution_due FROM tickets"
		" WHERE (status = 'new' OR status = 'open' OR status = 'pending')"
		" AND ((first_response_at IS NULL AND first_response_due <= ?1)"
		" OR next_response_due <= ?1 OR resolution_due <= ?1) ORDER BY id");
	int step;

	*out = NULL;
	*n = 0;
	crm_bind_text(st, 1, by);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		struct candidate *c;

		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		c->id = crm_column_int64(st, 0);
		snprintf(c->priority, sizeof(c->priority), "%s", crm_column_text(st, 1));
		c->level = (int)crm_column_int64(st, 2);
		for (int k = 0; k < CRM_CLOCKS; k++) {
			const char *v = crm_column_text(st, 3 + k);

			snprintf(c->due[k], sizeof(c->due[k]), "%s", v != NULL ? v : "");
		}
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* The level a candidate is at: 2 for a clock past due at now, 1 for one
 * due by `by`; *clock the most urgent clock. */
static int level_of(const struct candidate *c, const char *now, const char *by, int *clock)
{
	int level = 0;

	*clock = -1;
	for (int k = 0; k < CRM_CLOCKS; k++) {
		int l = c->due[k][0] == '\0' ? 0 : strcmp(c->due[k], now) <= 0 ? 2
			: strcmp(c->due[k], by) <= 0 ? 1 : 0;

		if (l > 0 && (*clock < 0 || strcmp(c->due[k], c->due[*clock]) < 0))
			*clock = k;
		level = l > level ? l : level;
	}
	return level;
}

/* The rule of the level for the priority (else for any): the agent or
 * team, "" for none. */
static int rule_for(struct crm_store *s, int level, const char *priority, char agent[128],
		    char team[128], struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT r.to_agent, m.name FROM escalation_rules r LEFT JOIN teams m"
		" ON m.id = r.to_team_id WHERE r.level = ?1 AND (r.priority = ?2 OR r.priority IS NULL)"
		" ORDER BY CASE WHEN r.priority IS NULL THEN 1 ELSE 0 END LIMIT 1");
	int step;

	agent[0] = team[0] = '\0';
	crm_bind_int(st, 1, level);
	crm_bind_text(st, 2, priority);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		const char *a = crm_column_text(st, 0), *t = crm_column_text(st, 1);

		snprintf(agent, 128, "%s", a != NULL ? a : "");
		snprintf(team, 128, "%s", t != NULL ? t : "");
	}
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* One ticket raised from c->level to level, in the caller's transaction.
 * *raised 0 when another run raised it first. */
static int raise(struct crm_store *s, const struct candidate *c, int level, int clock,
		 struct crm_escalated *out, int *raised, struct crm_err *e)
{
	/* only from the level read, and only while it is still live: one
	 * resolved or merged since the candidates were read is left */
	struct crm_stmt *st = crm_store_prepare(s, "UPDATE tickets SET escalation = ?3,"
						" updated_at = ?4 WHERE id = ?1 AND escalation = ?2"
						" AND (status = 'new' OR status = 'open'"
						" OR status = 'pending')");
	struct crm_ticket_row t;
	char from[16], to[16], detail[64], agent[128], team[128];
	int rc, changed;

	*raised = 0;
	crm_bind_int64(st, 1, c->id);
	crm_bind_int(st, 2, c->level);
	crm_bind_int(st, 3, level);
	crm_bind_text(st, 4, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	if (rc != 0 || crm_store_changes(s) == 0)
		return rc;
	*raised = 1;
	snprintf(from, sizeof(from), "%d", c->level);
	snprintf(to, sizeof(to), "%d", level);
	snprintf(detail, sizeof(detail), "%s due %s", crm_clock_names[clock], c->due[clock]);
	rc = crm_ticket_row_load(s, c->id, &t, e);
	if (rc == 0)
		snprintf(out->before, sizeof(out->before), "%s", t.assignee);
	if (rc == 0)
		rc = crm_ticket_row_event(s, &t, "escalated", from, to, detail, e);
	if (rc == 0)
		rc = rule_for(s, level, c->priority, agent, team, e);
	if (rc == 0 && (agent[0] != '\0' || team[0] != '\0')) {
		/* a rule that cannot be followed (its agent removed since)
		 * must not stop every run at this ticket: raised, not given */
		int arc = crm_store_savepoint(s, e);

		if (arc == 0)
			arc = crm_ticket_assign(s, c->id, agent[0] != '\0' ? agent : NULL,
						agent[0] != '\0' ? NULL : team, &changed, e);
		if (arc == CRM_EX_DATAERR) {
			crm_store_rollback_to(s);
			snprintf(out->warning, sizeof(out->warning), "%.150s", e->msg);
			agent[0] = team[0] = '\0';
		} else if (arc == 0) {
			arc = crm_store_release(s, e);
		}
		rc = arc == CRM_EX_DATAERR ? 0 : arc;
	}
	if (rc == 0 && agent[0] != '\0')
		snprintf(out->assigned, sizeof(out->assigned), "%s", agent);
	else if (rc == 0 && team[0] != '\0')
		snprintf(out->assigned, sizeof(out->assigned), "team %s", team);
	if (rc == 0)
		rc = crm_ticket_row_load(s, c->id, &t, e);
	if (rc == 0)
		snprintf(out->assignee, sizeof(out->assignee), "%s", t.assignee);
	if (rc != 0)
		crm_err_prefix(e, "ticket %lld", (long long)c->id);
	return rc;
}

int crm_ticket_escalate(struct crm_store *s, int64_t now, int64_t warn,
			struct crm_escalated **out, size_t *n, struct crm_err *e)
{
	struct candidate *cand = NULL;
	size_t ncand = 0;
	char now_text[32], by[32];
	int rc;

	*out = NULL;
	*n = 0;
	crm_time_format(now, now_text);
	crm_time_format(now + (warn > 0 ? warn : 0), by);
	rc = read_candidates(s, by, &cand, &ncand, e);
	for (size_t i = 0; rc == 0 && i < ncand; i++) {
		struct crm_escalated done;
		int clock, raised, level = level_of(&cand[i], now_text, by, &clock);

		if (level <= cand[i].level)
			continue;
		memset(&done, 0, sizeof(done));
		rc = crm_store_begin(s, e);
		if (rc == 0)
			rc = raise(s, &cand[i], level, clock, &done, &raised, e);
		if (rc == 0 && raised)
			rc = crm_store_commit(s, e);
		else
			crm_store_rollback(s);
		if (rc != 0 || !raised)
			continue;
		done.ticket = cand[i].id;
		done.from = cand[i].level;
		done.to = level;
		snprintf(done.clock, sizeof(done.clock), "%s", crm_clock_names[clock]);
		snprintf(done.due, sizeof(done.due), "%s", cand[i].due[clock]);
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = done;
	}
	free(cand);
	return rc;
}

int crm_escalation_rule_add(struct crm_store *s, int level, const char *to,
			    const char *priority, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t agent = 0, team = 0;
	int rc = priority != NULL ? crm_ticket_priority_check(priority, e) : 0, step;

	if (rc == 0 && level < 1)
		rc = crm_err_set(e, CRM_EX_USAGE, "a level is a whole number from 1");
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "SELECT (SELECT id FROM agents WHERE name = ?1 AND active = 1),"
			       " (SELECT id FROM teams WHERE name = ?1)");
	crm_bind_text(st, 1, to);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		agent = crm_column_int64(st, 0);
		team = crm_column_int64(st, 1);
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (agent == 0 && team == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "no agent or team \"%.64s\" (crm-ticket agent"
				   " add, team add)", to);
	st = crm_store_prepare(s, "DELETE FROM escalation_rules WHERE level = ?1"
			       " AND coalesce(priority, '') = coalesce(?2, '')");
	crm_bind_int(st, 1, level);
	crm_bind_text(st, 2, priority);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO escalation_rules (level, priority, to_agent,"
			       " to_team_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
	crm_bind_int(st, 1, level);
	crm_bind_text(st, 2, priority);
	crm_bind_text(st, 3, agent != 0 ? to : NULL);
	if (agent == 0)
		crm_bind_int64(st, 4, team);
	else
		crm_bind_null(st, 4);
	crm_bind_text(st, 5, crm_store_now(s));
	return crm_store_run(s, st, e);
}

int crm_escalation_rule_rm(struct crm_store *s, int level, const char *priority,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "DELETE FROM escalation_rules WHERE level = ?1"
						" AND coalesce(priority, '') = coalesce(?2, '')");

	crm_bind_int(st, 1, level);
	crm_bind_text(st, 2, priority);
	return crm_store_run_named(s, st, e, "no rule for level %d%s%s", level,
				   priority != NULL ? " and priority " : "",
				   priority != NULL ? priority : "");
}

struct crm_stmt *crm_escalation_rule_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT r.level, coalesce(r.priority, '*'), coalesce(r.to_agent, m.name),"
		" CASE WHEN r.to_agent IS NULL THEN 'team' ELSE 'agent' END"
		" FROM escalation_rules r LEFT JOIN teams m ON m.id = r.to_team_id"
		" ORDER BY r.level, r.priority IS NULL, r.priority");
}
