/* ticket_stats.h - crm-ticket stats: how the service did over a period,
 * as one row or one row a group.
 *
 * Columns, each over the tickets of the group (merged ones left out) and
 * the period [since, until):
 *   opened, resolved        tickets opened, and resolved, in the period;
 *   backlog                 opened before until and neither resolved nor
 *                           closed by then;
 *   first_response_median_h, first_response_p90_h
 *                           business hours from opening to the first
 *                           reply, pauses left out (sla.h), of the tickets
 *                           first answered in the period: the median and
 *                           the 90th percentile (nearest rank);
 *   resolution_median_h, resolution_p90_h
 *                           the same to resolved or closed, of the
 *                           tickets resolved in the period;
 *   sla_hit_rate            of the promised first-response and resolution
 *                           clocks that stopped in the period, the share
 *                           met (empty when none);
 *   escalations, reopened   escalated and reopened events in the period;
 *   reopen_rate             reopened over resolved (empty for none);
 *   csat_avg, csat_count    the ratings given in the period.
 */
#ifndef CRM_TICKET_TICKET_STATS_H
#define CRM_TICKET_TICKET_STATS_H

#include <stdint.h>

struct crm;
struct crm_store;

struct crm_ticket_stats_opts {
	int64_t since, until;    /* Unix times; the period [since, until) */
	const char *by;          /* NULL, or agent, team, priority, category, channel */
	int64_t now;
};

/* 0, or the exit code after printing: CRM_EX_USAGE for an unknown --by. */
int crm_ticket_stats(struct crm *crm, struct crm_store *s, const struct crm_ticket_stats_opts *o);

#endif
