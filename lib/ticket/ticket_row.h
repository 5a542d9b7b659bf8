/* ticket_row.h - what the ticket folder's changes share: one ticket's
 * row as a change needs it, and the event and message rows every change
 * adds. Inside lib/ticket/ only.
 */
#ifndef CRM_TICKET_ROW_H
#define CRM_TICKET_ROW_H

#include <stdint.h>

struct crm_err;
struct crm_store;

/* What a change needs to know of a ticket. */
struct crm_ticket_row {
	int64_t id, contact, team;
	char status[16];
	char assignee[128];
	int64_t merged_into;
};

/* Ticket id into *t: CRM_EX_NOTFOUND "no ticket N" when there is none.
 * _live also refuses a merged ticket (CRM_EX_DATAERR). */
int crm_ticket_row_load(struct crm_store *s, int64_t id, struct crm_ticket_row *t,
			struct crm_err *e);
int crm_ticket_row_load_live(struct crm_store *s, int64_t id, struct crm_ticket_row *t,
			     struct crm_err *e);

/* An event of t (kind as ticket_events allows), now, by the store's who;
 * then t's due times again (sla.h), which every change may move. */
int crm_ticket_row_event(struct crm_store *s, const struct crm_ticket_row *t, const char *kind,
			 const char *from, const char *to, const char *detail, struct crm_err *e);

/* A message of t's thread: direction in, out or note; author and
 * message_id (without <>) may be NULL. */
int crm_ticket_row_message(struct crm_store *s, const struct crm_ticket_row *t, const char *at,
			   const char *direction, const char *author, const char *message_id,
			   const char *body, struct crm_err *e);

/* The id of the team called name: CRM_EX_DATAERR when there is none. */
int crm_ticket_team_id(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e);

#endif
