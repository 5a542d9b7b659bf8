/* ticket.h - service tickets (crm-ticket(1)): a contact's request with
 * its thread (messages in, out, and internal notes) and every event.
 *
 * A ticket's status is new, open, pending (waiting on the customer),
 * resolved, closed, or merged (into another ticket, whose thread it
 * joined: a merged ticket changes no more). Every change is an event
 * (ticket_events: what, from, to, who, when) and shows on the contact's
 * timeline (ticket/domain.c). Writes run in the caller's transaction;
 * errors are one line in e with an exit code: CRM_EX_NOTFOUND for no such
 * ticket, CRM_EX_DATAERR for what the store's data refuses (an unknown
 * team or agent, a merged ticket, a bad status), CRM_EX_USAGE for a
 * malformed argument.
 */
#ifndef CRM_TICKET_TICKET_H
#define CRM_TICKET_TICKET_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

/* 0 when s is one of the values, else CRM_EX_USAGE naming them:
 * `invalid priority "x" (low, normal, high or urgent)`. */
int crm_ticket_priority_check(const char *s, struct crm_err *e);
int crm_ticket_status_check(const char *s, struct crm_err *e);

/* Parses a span of time, a whole number and a unit: "90m", "4h", "2d",
 * "1w" (minutes, hours, days, weeks), into seconds. CRM_EX_USAGE:
 * `invalid span "4x" (a number and m, h, d or w, such as 4h)`. */
int crm_span_parse(const char *s, int64_t *seconds, struct crm_err *e);

struct crm_ticket_new {
	const char *subject;
	const char *priority;   /* NULL: normal */
	const char *channel;    /* NULL: none */
	const char *team;       /* a team's name, or NULL */
	const char *category;
	const char *body;       /* the customer's words, or NULL */
	const char *at;         /* when it was opened; NULL: now */
};

/* Opens a ticket for contact: status new, the body (if any) its first
 * message in, an "opened" event. *id is its number. */
int crm_ticket_open(struct crm_store *s, int64_t contact, const struct crm_ticket_new *t,
		    int64_t *id, struct crm_err *e);

/* Sets the status. Resolving stamps resolved_at, closing closed_at; a
 * move back to new, open or pending clears both. The same status again
 * changes nothing (*changed 0). */
int crm_ticket_set_status(struct crm_store *s, int64_t id, const char *status, int *changed,
			  struct crm_err *e);

/* A resolved or closed ticket open again (a "reopened" event);
 * CRM_EX_DATAERR for one still open. */
int crm_ticket_reopen(struct crm_store *s, int64_t id, struct crm_err *e);

/* Assigns the ticket to agent (an active agent's name), or to team (a
 * team's name) when agent is NULL; both NULL is refused. An agent of a
 * team also puts a ticket with no team in the agent's; a new ticket an
 * agent takes is open (a status event). *changed 0 when nothing
 * changed. */
int crm_ticket_assign(struct crm_store *s, int64_t id, const char *agent, const char *team,
		      int *changed, struct crm_err *e);

/* One assignment crm_ticket_assign_auto made. */
struct crm_ticket_assigned {
	int64_t ticket;
	char agent[128];
};

/* Gives every unassigned ticket that is new, open or pending to an active
 * agent of its team (any active agent when it has none): the one with
 * the fewest such tickets, or with round_robin the one given a ticket
 * least recently (never first); ties by name. Oldest tickets first. The
 * assignments into *out (the caller frees it), *n of them; a ticket with
 * no agent to take it is left, and counted in *left. */
int crm_ticket_assign_auto(struct crm_store *s, int round_robin,
			   struct crm_ticket_assigned **out, size_t *n, size_t *left,
			   struct crm_err *e);

/* An internal note on the ticket (a message "note" and a "note" event). */
int crm_ticket_note(struct crm_store *s, int64_t id, const char *body, struct crm_err *e);

/* The customer's rating, 1 to 5, with an optional comment. */
int crm_ticket_csat(struct crm_store *s, int64_t id, int score, const char *comment,
		    struct crm_err *e);

/* Merges other into keep: other's messages and events join keep's thread
 * (its contact's, if another), other becomes "merged" into keep, and
 * each gets a "merged" event. Neither may be merged already; keep and
 * other differ. */
int crm_ticket_merge(struct crm_store *s, int64_t keep, int64_t other, struct crm_err *e);

/* Teams and agents. crm_team_add refuses a name taken (CRM_EX_DATAERR);
 * crm_agent_add of a name taken sets its team and email (the email kept
 * when NULL) and makes it active again; rm of none is CRM_EX_NOTFOUND.
 * An agent removed is made inactive: its tickets keep their assignee. */
int crm_team_add(struct crm_store *s, const char *name, struct crm_err *e);
int crm_team_rm(struct crm_store *s, const char *name, struct crm_err *e);
int crm_agent_add(struct crm_store *s, const char *name, const char *team, const char *email,
		  struct crm_err *e);
int crm_agent_rm(struct crm_store *s, const char *name, struct crm_err *e);

/* The agents: agent, team, email, active (1/0), open (its tickets new,
 * open or pending); and the teams: team, agents (active), open. */
struct crm_stmt *crm_agent_list_stmt(struct crm_store *s);
struct crm_stmt *crm_team_list_stmt(struct crm_store *s);

#endif
