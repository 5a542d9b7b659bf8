/* domain.c - what the ticket domain registers (store/domain.h): a
 * contact's tickets in the filter language, ticket events on the
 * timeline, and the erase and merge rules of its tables. */
#include "store/domain.h"

#include <stddef.h>

#include "filter/field.h"
#include "ticket/sla.h"

/* ---- fields of the filter language (filter/field.h) ---------------------- */

#define TICKETS_OF "FROM tickets t0 WHERE t0.contact_id = c.id"
#define STILL_OPEN "(t0.status = 'new' OR t0.status = 'open' OR t0.status = 'pending')"

static const struct crm_filter_field fields[] = {
	{ "tickets.count", CRM_FILTER_NUMBER,
	  "(SELECT count(*) " TICKETS_OF " AND t0.status <> 'merged')",
	  "tickets.count\tnumber\tthe contact's tickets (merged ones left out)",
	  NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "tickets.open", CRM_FILTER_NUMBER, "(SELECT count(*) " TICKETS_OF " AND " STILL_OPEN ")",
	  "tickets.open\tnumber\ttickets new, open or pending", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "tickets.last", CRM_FILTER_TIME,
	  "(SELECT max(t0.created_at) " TICKETS_OF " AND t0.status <> 'merged')",
	  "tickets.last\ttime\twhen the contact's last ticket was opened",
	  NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "tickets.breached", CRM_FILTER_NUMBER,
	  "(SELECT count(*) FROM tickets t WHERE t.contact_id = c.id"
	  " AND (t.status = 'new' OR t.status = 'open' OR t.status = 'pending')"
	  " AND " CRM_TICKET_BREACHED("@now") ")",
	  "tickets.breached\tnumber\ttickets new, open or pending with a clock past its due time"
	  " (crm-ticket sla)", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "tickets.csat_avg", CRM_FILTER_NUMBER,
	  "(SELECT avg(t0.csat) " TICKETS_OF " AND t0.csat IS NOT NULL)",
	  "tickets.csat_avg\tnumber\tthe mean rating (1-5) of the contact's rated tickets",
	  NULL, NULL, 0, CRM_SCOPE_CONTACT },
};

/* ---- sources of the timeline (store/domain.h) ---------------------------- */

/* Every event of every ticket of the contact: opened, each status change
 * (from -> to), assignment, note, reopening, merge, rating. */
static const struct crm_timeline_source ticket_timeline[] = {
	{ "ticket_events", 0,
	  "SELECT e.at, 'ticket' AS source, e.ticket_id, t.channel, NULL, 'ticket ' || e.kind,"
	  " '#' || CAST(t.id AS TEXT) || coalesce(' ' || t.subject, '')"
	  " || coalesce(': ' || e.from_value || ' -> ' || e.to_value, ': ' || e.to_value, '')"
	  " || coalesce(' (' || e.detail || ')', ''),"
	  " e.who, CAST(NULL AS BIGINT), NULL"
	  " FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id AND t.contact_id = e.contact_id"
	  " WHERE e.contact_id = ?1" },
};

/* ---- tables that name a contact: erase, merge, export (store/domain.h) ---- */

/* An erased person's tickets stay for the service figures (status,
 * priority, team, times, rating) without their subject or comment; what
 * was written (the thread) goes, as do the words of the events. Merge
 * moves them all: on PostgreSQL a ticket's rows follow it by ON UPDATE
 * CASCADE (store/sql/pg/0012), so tickets come first. */
static const char *const ticket_personal[] = { "subject", "csat_comment", NULL };
static const char *const event_personal[] = { "detail", NULL };

static const struct crm_contact_table ticket_tables[] = {
	{ .table = "tickets", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = ticket_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  .export_order = "id" },
	{ .table = "ticket_messages", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "ticket_id, at, id" },
	{ .table = "ticket_events", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = event_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  .export_order = "ticket_id, at, id" },
};

const struct crm_domain crm_ticket_domain = {
	.name = "ticket",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.timeline = ticket_timeline,
	.ntimeline = sizeof(ticket_timeline) / sizeof(ticket_timeline[0]),
	.tables = ticket_tables,
	.ntables = sizeof(ticket_tables) / sizeof(ticket_tables[0]),
};
