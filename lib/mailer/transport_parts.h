/* transport_parts.h - the transports crm_transport_send dispatches to
 * (transport.h says what each does). Inside lib/mailer/ only. */
#ifndef CRM_MAILER_TRANSPORT_PARTS_H
#define CRM_MAILER_TRANSPORT_PARTS_H

#include <stddef.h>

struct crm_err;

/* Whether an SMTP URL holds a password (user:password@). */
int crm_transport_url_has_password(const char *url);

int crm_transport_smtp(const char *url, const char *sender, const char *const *rcpt,
		       size_t nrcpt, const char *msg, size_t len, struct crm_err *e);
int crm_transport_mbox(const char *path, const char *sender, const char *msg, size_t len,
		       struct crm_err *e);
int crm_transport_maildir(const char *dir, const char *msg, size_t len, struct crm_err *e);

#endif
