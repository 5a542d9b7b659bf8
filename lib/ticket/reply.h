/* reply.h - a ticket's answer to the customer by mail (crm-ticket reply).
 *
 * The reply goes to the ticket's contact's email address, from the given
 * address or else the agent's (the store's who, as crm-ticket agent add
 * gave it an email), with the subject "Re: SUBJECT [#ID]" and threaded:
 * In-Reply-To the thread's latest Message-ID, References its last ten.
 * It becomes the thread's message out with its Message-ID, a "reply"
 * event (to the address, the Message-ID as detail), the ticket's first
 * response when it had none; a new ticket becomes open, and status, when
 * given, is set after it (its own event).
 *
 * Everything is written in the caller's transaction and the message is
 * sent last: when sending fails the caller rolls back, and nothing says a
 * reply went that did not. Refused: a merged or closed ticket
 * (CRM_EX_DATAERR), a contact without an email address (CRM_EX_DATAERR),
 * no sender (CRM_EX_USAGE), an empty body (CRM_EX_USAGE).
 */
#ifndef CRM_TICKET_REPLY_H
#define CRM_TICKET_REPLY_H

#include <stdint.h>

struct crm_err;
struct crm_mail_built;
struct crm_store;
struct crm_transport;

struct crm_ticket_reply {
	const char *body;
	const char *from;                      /* an address; NULL: the agent's */
	const char *status;                    /* the status after it, or NULL */
	const struct crm_transport *transport; /* NULL: build it, record and send nothing */
};

/* Builds the reply into *out (the caller frees it with crm_mail_built_free,
 * also after an error) and, with a transport, records and sends it. */
int crm_ticket_reply(struct crm_store *s, int64_t id, const struct crm_ticket_reply *r,
		     struct crm_mail_built *out, struct crm_err *e);

#endif
