/* ticket_list.h - crm-ticket list and show: tickets as rows, and one
 * ticket with its thread and events. */
#ifndef CRM_TICKET_TICKET_LIST_H
#define CRM_TICKET_TICKET_LIST_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;

struct crm_ticket_query {
	const char *status;    /* a list "open,pending", "all"; NULL: all but closed and merged */
	const char *priority;  /* a list */
	const char *assignee;  /* an agent, or "none" for the unassigned */
	const char *team;
	const char *category;
	const char *channel;
	int64_t contact;       /* 0: every contact */
	int64_t age;           /* seconds: opened at least this long ago; 0: any */
	int breached;          /* only those with a clock past its due time (sla.h) */
	int64_t due_within;    /* seconds: only a running clock due by then; 0: any */
	const char *filter;    /* crm-filter(7) over the ticket's contact */
	const char *fields;    /* columns, NULL: the default ones */
	const char *sort;      /* columns, -name descending; NULL: id */
	long limit;            /* 0: all */
	int64_t now;
};

/* The columns list and --fields know, and the default ones. */
#define CRM_TICKET_COLUMNS "id, contact, subject, status, priority, assignee, team, category," \
	" channel, escalation, csat, created, updated, resolved, closed, age, first_response_due," \
	" next_response_due, resolution_due, breached"

/* Writes the tickets q selects in crm's format: 0, CRM_EX_NOTFOUND for
 * none (the header still written), or the exit code after printing. */
int crm_ticket_list(struct crm *crm, struct crm_store *s, const struct crm_ticket_query *q);

/* Writes ticket id: its fields (field, value), then its thread (at,
 * direction, author, body) and its events (at, event, from, to, by,
 * detail), a blank line between. 0, or the exit code after printing. */
int crm_ticket_show(struct crm *crm, struct crm_store *s, int64_t id);

/* The options' lines for --help. */
#define CRM_TICKET_LIST_HELP \
	"  --status S,...    new, open, pending, resolved, closed, merged, or all\n" \
	"                    (default: all but closed and merged)\n" \
	"  --priority P,...  low, normal, high, urgent\n" \
	"  --assignee A      an agent's tickets; none: the unassigned\n" \
	"  --team T --category C --channel C --contact CONTACT\n" \
	"  --age SPAN        opened at least SPAN ago (90m, 4h, 2d, 1w)\n" \
	"  --breached        a clock past its due time (crm-ticket sla)\n" \
	"  --due-within SPAN a running clock due within SPAN\n" \
	"  --filter EXPR     crm-filter(7) over the ticket's contact\n" \
	"  --fields F,...    columns: " CRM_TICKET_COLUMNS "\n" \
	"  --sort F,...      by these columns, -F descending (default id)\n" \
	"  --limit N         at most N tickets\n"

#endif
