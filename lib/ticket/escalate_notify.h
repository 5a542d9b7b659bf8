/* escalate_notify.h - escalate --notify: one digest mail to each agent
 * concerned by a run of escalate (ticket/escalate.h). */
#ifndef CRM_TICKET_ESCALATE_NOTIFY_H
#define CRM_TICKET_ESCALATE_NOTIFY_H

#include <stddef.h>

struct crm_err;
struct crm_escalated;
struct crm_store;
struct crm_transport;

/* Mails each agent concerned (a ticket's agent after it and before it,
 * and the active agents of the team the rule gave it to when no agent has
 * it) one digest of its escalations, a line a
 * ticket, from the address from, through t. *sent digests went, *skipped
 * agents have no email. The escalations stand whatever happens here: a
 * failure to send is reported, and stops the digests after it. */
int crm_ticket_escalate_notify(struct crm_store *s, const struct crm_escalated *done, size_t n,
			       const char *from, const struct crm_transport *t, size_t *sent,
			       size_t *skipped, struct crm_err *e);

#endif
