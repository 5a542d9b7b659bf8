/* contact_history.h - what `crm-contact history` lists: the changes to
 * one contact or to all since a time, from the history table, with the
 * contacts an import created (a range in history_imports, migration
 * 0007, not a row each) listed as one "create" each. */
#ifndef CRM_CONTACT_HISTORY_H
#define CRM_CONTACT_HISTORY_H

#include <stdint.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

/* The columns of crm_contact_history_stmt(), and which are numbers (as
 * crm_print_query takes them). */
#define CRM_CONTACT_HISTORY_NCOLS 9
extern const char *const crm_contact_history_columns[CRM_CONTACT_HISTORY_NCOLS];
#define CRM_CONTACT_HISTORY_NUMERIC "n  n"

/* The contact whose history ref asks for: a contact of the store, or the
 * id of one deleted since (a deleted contact keeps its history). Returns
 * 0; CRM_EX_NOTFOUND with e set when it is neither; another exit code
 * (75 busy, ...) when the lookup failed. */
int crm_contact_history_subject(struct crm_store *s, const char *ref, int64_t *id,
				struct crm_err *e);

/* The history of contact id (0: of every contact) at or after since (ISO
 * 8601 text as crm_time_format() writes it; "" for all), oldest first:
 * id, at, who, contact, action, field, old, new, note. The statement is
 * bound and not yet stepped (the store's cache owns it; step it with
 * crm_store_step or crm_print_query); since must outlive the steps. An
 * erased contact's import row is left out. */
struct crm_stmt *crm_contact_history_stmt(struct crm_store *s, int64_t id, const char *since);

#endif
