/* escalate.h - escalation of tickets near or past their due times
 * (crm-ticket escalate, for cron), and the rules of who gets them.
 *
 * A ticket new, open or pending whose running clock (sla.h) is due
 * within warn seconds is at level 1, one past its due time at level 2.
 * A ticket whose level is above its escalation is raised to it: an
 * "escalated" event (from, to, the clock and its due time), then the
 * rule of that level for its priority (else of any priority) assigns
 * it to an agent or a team (a rule that cannot be followed, such as one
 * naming an agent removed since, leaves the ticket raised but not
 * given, with a warning). Each ticket is raised in a transaction of
 * its own, and only from the level it was read at: two runs at once
 * never raise a ticket twice, and a run killed midway leaves each ticket
 * raised with its event and assignment, or untouched.
 */
#ifndef CRM_TICKET_ESCALATE_H
#define CRM_TICKET_ESCALATE_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

struct crm_escalated {
	int64_t ticket;
	int from, to;            /* levels */
	char clock[24];          /* first_response, next_response, resolution */
	char due[32];
	char assigned[136];      /* the agent or "team NAME" the rule gave it to, or "" */
	char assignee[128];      /* its agent after it, or "" */
	char before[128];        /* its agent before it, or "" */
	char warning[160];       /* why the rule was not followed (its agent gone), or "" */
};

/* Raises every ticket due; the raised into *out (the caller frees it),
 * *n of them. now and warn in seconds. Commits its own transactions:
 * call it outside one. */
int crm_ticket_escalate(struct crm_store *s, int64_t now, int64_t warn,
			struct crm_escalated **out, size_t *n, struct crm_err *e);

/* escalation rule add LEVEL --to NAME [--priority P]: NAME an agent's,
 * else a team's (CRM_EX_DATAERR for neither); the rule of the same
 * level and priority is replaced. rm of none is CRM_EX_NOTFOUND. */
int crm_escalation_rule_add(struct crm_store *s, int level, const char *to,
			    const char *priority, struct crm_err *e);
int crm_escalation_rule_rm(struct crm_store *s, int level, const char *priority,
			   struct crm_err *e);
/* level, priority ("*": any), to, kind (agent or team). */
struct crm_stmt *crm_escalation_rule_list_stmt(struct crm_store *s);

#endif
