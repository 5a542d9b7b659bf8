/* sla.h - service levels: business calendars, SLA policies, a ticket's
 * three clocks and their due times (crm-ticket calendar, sla).
 *
 * A ticket's policy is the one of its priority and team, else of its
 * priority and any team. Its clocks run in business time on the policy's
 * calendar (around the clock without one), and stop while the ticket is
 * pending on the customer, resolved or closed (its status events say
 * when):
 *   first response  from opening to the first reply;
 *   next response   from the customer's latest message after a reply to
 *                   the next reply;
 *   resolution      from opening to resolved (or closed).
 * A clock's due time is when its target of business time has run; it is
 * met when the clock stopped by then, breached when it stopped later or
 * still runs past it, and paused when the ticket stopped it (pending)
 * before it ran out. Due times are kept on the ticket in UTC
 * (crm_sla_refresh, after every change of a ticket) so that lists and
 * the filter language read them.
 */
#ifndef CRM_TICKET_SLA_H
#define CRM_TICKET_SLA_H

#include <stdint.h>

struct crm_err;
struct crm_store;

/* SQL true for ticket t with a clock past its due time at now (an SQL
 * expression of a stored time): first response or resolution late or
 * overdue, or a next response overdue. */
#define CRM_TICKET_BREACHED(now) \
	"(t.first_response_due < coalesce(t.first_response_at, " now ")" \
	" OR t.next_response_due < " now \
	" OR t.resolution_due < coalesce(t.resolved_at, t.closed_at, " now "))"

enum crm_clock_state {
	CRM_CLOCK_NONE,      /* no target for it, or not started */
	CRM_CLOCK_RUNNING,   /* due in the future */
	CRM_CLOCK_OVERDUE,   /* running, past its due time */
	CRM_CLOCK_MET,       /* stopped in time */
	CRM_CLOCK_MISSED,    /* stopped late */
	CRM_CLOCK_PAUSED,    /* the ticket waits (pending) with time left */
};

struct crm_clock {
	enum crm_clock_state state;
	int64_t due;         /* UTC; for NONE and PAUSED 0 */
	int64_t stopped;     /* when it stopped (MET, MISSED), else 0 */
	int64_t left;        /* PAUSED: business seconds left */
};

enum { CRM_CLOCK_FIRST, CRM_CLOCK_NEXT, CRM_CLOCK_RESOLUTION, CRM_CLOCKS };

extern const char *const crm_clock_names[CRM_CLOCKS];   /* first_response, ... */

/* The ticket's clocks at time now. */
int crm_sla_clocks(struct crm_store *s, int64_t ticket, int64_t now,
		   struct crm_clock clocks[CRM_CLOCKS], struct crm_err *e);

/* What a ticket's clocks ran, for statistics: business seconds from
 * opening to the first reply and to resolved or closed (-1 when it has
 * none yet), its pauses left out, on its policy's calendar (around the
 * clock without a policy); and whether the policy's first-response and
 * resolution clocks were met (1), missed (0), or neither stopped nor
 * promised (-1). */
struct crm_sla_elapsed {
	int64_t first, resolution;
	int first_met, resolution_met;
};
int crm_sla_elapsed(struct crm_store *s, int64_t ticket, int64_t now,
		    struct crm_sla_elapsed *out, struct crm_err *e);

/* Stores the ticket's due times (NULL for a clock without one). */
int crm_sla_refresh(struct crm_store *s, int64_t ticket, struct crm_err *e);

/* crm_sla_refresh of every ticket not closed or merged, of the priority
 * (NULL: of every priority). */
int crm_sla_refresh_all(struct crm_store *s, const char *priority, struct crm_err *e);

/* calendar set NAME --hours H --tz TZ (again: new hours and zone);
 * holiday add|rm; rm (refused while a policy uses it). Names are unique,
 * case aside. Each change refreshes the due times of live tickets. */
int crm_calendar_set(struct crm_store *s, const char *name, const char *hours, const char *tz,
		     struct crm_err *e);
int crm_calendar_rm(struct crm_store *s, const char *name, struct crm_err *e);
int crm_calendar_holiday_add(struct crm_store *s, const char *name, const char *day,
			     struct crm_err *e);
int crm_calendar_holiday_rm(struct crm_store *s, const char *name, const char *day,
			    struct crm_err *e);
/* calendar, hours, tz, holidays (how many). */
struct crm_stmt *crm_calendar_list_stmt(struct crm_store *s);

/* An SLA policy: targets in seconds (0: none), team and calendar by name
 * or NULL. A policy of the same priority and team is replaced. */
struct crm_sla_targets {
	int64_t first_response, next_response, resolution;
};
int crm_sla_set(struct crm_store *s, const char *priority, const char *team,
		const struct crm_sla_targets *t, const char *calendar, struct crm_err *e);
int crm_sla_rm(struct crm_store *s, const char *priority, const char *team, struct crm_err *e);
/* priority, team, first_response, next_response, resolution (as spans
 * such as 4h), calendar. */
struct crm_stmt *crm_sla_list_stmt(struct crm_store *s);

#endif
