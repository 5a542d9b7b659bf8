/* contact_detail.h - a contact's other emails and phones.
 *
 * contacts.email and contacts.phone are the primary ones; any number of
 * others, each with a type (work, home, mobile, other), live beside them.
 * Lookups by any email find the contact; no email belongs to two contacts.
 * Every change is written to history.
 */
#ifndef CRM_CONTACT_DETAIL_H
#define CRM_CONTACT_DETAIL_H

#include <stdint.h>

struct crm_err;
struct crm_store;


/* Adds email (validated here) to contact id with type (may be NULL). With
 * primary, it becomes contacts.email and the old primary one is kept as
 * another email. An email of another contact is CRM_EX_DATAERR; one the
 * contact has already only changes its type or primary flag. */
int crm_contact_add_email(struct crm_store *s, int64_t id, const char *email,
			  const char *type, int primary, struct crm_err *e);
/* Removes an email; removing the primary one promotes the oldest other. */
int crm_contact_remove_email(struct crm_store *s, int64_t id, const char *email,
			     struct crm_err *e);

/* The same for phones; region (may be NULL) is the default region for the
 * E.164 form of national numbers. */
int crm_contact_add_phone(struct crm_store *s, int64_t id, const char *phone,
			  const char *type, int primary, const char *region,
			  struct crm_err *e);
int crm_contact_remove_phone(struct crm_store *s, int64_t id, const char *phone,
			     struct crm_err *e);

/* The contact that has email as its primary or another email: 0 with *id,
 * or CRM_EX_NOTFOUND without a message. */
int crm_contact_email_owner(struct crm_store *s, const char *email, int64_t *id,
			    struct crm_err *e);

#endif
