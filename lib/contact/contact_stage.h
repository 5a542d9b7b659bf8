/* contact_stage.h - an import's new contacts written in bulk, on a store
 * that takes bulk rows (crm_store_can_copy: PostgreSQL's COPY).
 *
 * Row by row, an import on a server pays a round trip for each lookup
 * and each insert. Staged, the batch driver's window of rows (batch.h,
 * ops->window) costs a few: the uids and emails the window names are
 * looked up in one query (crm_contact_stage_lookup), and a row that is
 * certainly a new contact (its uid and email belong to no contact and to
 * no row before it in the window, it has no other emails or phones, and
 * all its text is UTF-8) is numbered as SQLite numbers rows and kept
 * (crm_contact_stage_add) until one COPY per table writes them all
 * (crm_contact_stage_flush): the contact, its custom fields, its tags.
 * Every other row goes the row-by-row way after the staged rows before
 * it are written, and the keys it writes are marked taken
 * (crm_contact_stage_taken), so no later row of the window is staged on
 * a stale answer. The import holds the writer's lock from the lookup to
 * the flush (the driver commits only between windows).
 */
#ifndef CRM_CONTACT_STAGE_H
#define CRM_CONTACT_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/strmap.h"
#include "store/store.h"

struct crm_contact;
struct crm_err;

struct crm_contact_stage {
	struct crm_store *store;
	int on;
	struct crm_strmap keys;      /* "u" uid, "e" email (ASCII lowercase) ->
					state: free or taken */
	struct crm_copy uids, emails; /* the window's keys, for the lookup */
	struct crm_copy contacts, fields, tags; /* the staged rows */
	int64_t next_id;             /* the next staged contact's id; 0: to be read */
};

void crm_contact_stage_init(struct crm_contact_stage *st, struct crm_store *s, int on);
void crm_contact_stage_free(struct crm_contact_stage *st);
/* The keys of a window's contacts (n of them; NULL entries are rows that
 * did not parse), looked up at once. Writes the rows staged before
 * first. Returns 0 or an exit code with e set. */
int crm_contact_stage_lookup(struct crm_contact_stage *st, struct crm_contact *const *cs,
			     size_t n, struct crm_err *e);
/* 1 if c is a new contact for certain and can be staged. */
int crm_contact_stage_fits(const struct crm_contact_stage *st, const struct crm_contact *c);
/* Stages c as crm_contact_create_imported would write it: *id is its
 * id. Returns 0 or an exit code with e set. */
int crm_contact_stage_add(struct crm_contact_stage *st, const struct crm_contact *c,
			  int64_t *id, struct crm_err *e);
/* c's keys (uid, email, other emails) may be written the row-by-row way
 * now: none is free any more, and ids are read afresh. */
void crm_contact_stage_taken(struct crm_contact_stage *st, const struct crm_contact *c);
/* Writes the staged contacts. Returns 0 or an exit code with e set. */
int crm_contact_stage_flush(struct crm_contact_stage *st, struct crm_err *e);

#endif
