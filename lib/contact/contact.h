/* contact.h - the store operations every program uses to find, create and
 * change contacts; the record itself is contact_field.h.
 *
 * Standard fields are columns of the contacts table; any other name is a
 * custom field. Values are validated and normalised before they reach the
 * store (crm_contact_set), and every change is written to history.
 */
#ifndef CRM_CONTACT_H
#define CRM_CONTACT_H

#include <stddef.h>
#include <stdint.h>

struct crm_buf;
struct crm_err;
struct crm_store;

#include "contact/contact_field.h"

/* Finds a contact by id (all digits), uid or email. Returns 0 with *id,
 * CRM_EX_NOTFOUND with e set (`no contact "x"`), or a store error. */
int crm_contact_resolve(struct crm_store *s, const char *ref, int64_t *id,
			struct crm_err *e);

/* A new contact's uid: a time-ordered UUID (RFC 9562 version 7). */
void crm_contact_new_uid(struct crm_store *s, char out[37]);

/* The existing contact with c's uid, else with c's email (primary or
 * not): 0 with *id and *key ("uid" or "email") saying which matched, or
 * CRM_EX_NOTFOUND without a message. */
int crm_contact_find(struct crm_store *s, const struct crm_contact *c,
		     int64_t *id, const char **key, struct crm_err *e);

/* Inserts c (a random uid when none is given), its custom fields and tags,
 * and a history "create" row. */
int crm_contact_create(struct crm_store *s, const struct crm_contact *c,
		       int64_t *id, struct crm_err *e);
/* The same for an import, which has just seen in this transaction that no
 * contact has c's email (crm_contact_find said CRM_EX_NOTFOUND), and
 * records the create itself, one history row for all the contacts it
 * makes (contact_import.h): no second lookup, no history row. */
int crm_contact_create_imported(struct crm_store *s, const struct crm_contact *c,
				int64_t *id, struct crm_err *e);

/* Applies c's given fields, custom fields and tags to contact id; only
 * values that differ are written, each with a history row. *changed counts
 * the changes. "" clears a field (refused for status and the opt-outs,
 * which fall back to their defaults). */
int crm_contact_update(struct crm_store *s, int64_t id,
		       const struct crm_contact *c, int *changed,
		       struct crm_err *e);

/* Deletes contact id with its tags and custom fields; history keeps the
 * old values. */
int crm_contact_delete(struct crm_store *s, int64_t id, struct crm_err *e);

/* Adds (add=1) or removes a tag; *changed is 1 if anything changed. */
int crm_contact_tag(struct crm_store *s, int64_t id, const char *tag, int add,
		    int *changed, struct crm_err *e);

/* "Jane Doe <jane@example.org>" (what is known of it) into out, for
 * confirmations and messages. */
int crm_contact_label(struct crm_store *s, int64_t id, struct crm_buf *out,
		      struct crm_err *e);

#endif
