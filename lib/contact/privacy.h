/* privacy.h - data-subject requests (GDPR articles 15 and 17).
 *
 * crm_privacy_export writes everything the store holds about one person
 * as one JSON document: the contact, its custom fields, tags, emails and
 * phones, its history, and its rows in every table that points at
 * contacts (interactions, segment snapshots, ...).
 *
 * crm_privacy_erase removes the person: every personal field of the
 * contact is cleared (it stays as an anonymous row, erased_at set, so that
 * counts in reports stay right), its custom fields, tags, other emails and
 * phones and its history are deleted, the personal fields of its rows in
 * other tables (subjects, bodies, keys of interactions) are cleared, and an
 * erasure is recorded without any of the data. With secure_delete on (every
 * connection has it) the bytes are overwritten; the caller then truncates
 * the WAL with crm_privacy_checkpoint so no old copy stays in the -wal file.
 */
#ifndef CRM_PRIVACY_H
#define CRM_PRIVACY_H

#include <stdint.h>
#include <stdio.h>

struct crm_err;
struct crm_store;

int crm_privacy_export(struct crm_store *s, int64_t id, FILE *out, struct crm_err *e);

/* Inside the caller's transaction. What it does to each table that
 * names a contact is that table's rule, registered by its domain
 * (store/domain.h); a table of the store with a contact_id that no
 * domain registers is an error (70) before anything is erased, rather
 * than something left behind. */
int crm_privacy_erase(struct crm_store *s, int64_t id, struct crm_err *e);

/* After the commit: copies the WAL into the database and truncates it.
 * Returns 0, or CRM_EX_TEMPFAIL when a reader kept it from finishing. */
int crm_privacy_checkpoint(struct crm_store *s, struct crm_err *e);

#endif
