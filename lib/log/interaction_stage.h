/* interaction_stage.h - an import's interactions written in bulk, on a
 * store that takes bulk rows (crm_store_can_copy: PostgreSQL's COPY).
 *
 * Row by row, an import on a server pays a round trip for each insert.
 * Staged, a block of the batch driver's two-step form (batch.h) costs a
 * few: the keys the block names are looked up in one query when its
 * first row is applied (crm_it_stage_begin), each row is then decided in
 * memory as crm_interaction_add would decide it (new, the same key again
 * of the same contact: unchanged, of another contact: rejected with the
 * same words) and numbered as SQLite numbers rows, and the block's new
 * rows go in one COPY at its end (crm_it_stage_flush). The importer holds
 * the writer's lock from the lookup to the COPY (one transaction: no
 * commit falls inside a block's applies), so no other writer can take a
 * key or an id in between.
 *
 * Rows the stage cannot decide alone (a contact to be created first, text
 * that is not UTF-8) go the row-by-row way, after the staged rows before
 * them are written (crm_it_stage_flush) and with their key remembered
 * (crm_it_stage_written).
 */
#ifndef CRM_INTERACTION_STAGE_H
#define CRM_INTERACTION_STAGE_H

#include <stdint.h>

#include "base/strmap.h"
#include "store/store.h"

struct crm_err;

struct crm_it_stage {
	struct crm_store *store;
	int on;                  /* 1: this import stages its rows */
	struct crm_copy keys;    /* the block's keys, noted in prepare() */
	struct crm_strmap owner; /* key -> value: interaction id, value2: contact */
	struct crm_copy rows;    /* the block's new interactions, in columns */
	const char *columns;
	int64_t next_id;         /* the next staged row's id; 0: to be read */
	struct crm_strmap contacts; /* a row's contact cell -> the contact's id */
	struct crm_copy refs;    /* the window's cells to look up: cell, email */
	struct crm_strmap noted; /* and those noted, once each */
};

/* on: the import may stage (and the store can copy); columns are those
 * of the rows the caller adds to st->rows (static text). */
void crm_it_stage_init(struct crm_it_stage *st, struct crm_store *s, const char *columns, int on);
void crm_it_stage_free(struct crm_it_stage *st);
/* A key a row of the block being gathered names. */
void crm_it_stage_note_key(struct crm_it_stage *st, const char *key);
/* Before the block's first apply(): looks its keys up. Returns 0 or an
 * exit code with e set. */
int crm_it_stage_begin(struct crm_it_stage *st, struct crm_err *e);
/* Decides a row of contact_id with key (or NULL) as crm_interaction_add
 * would: 0 with *existed (its key is there already, of its contact:
 * nothing to write) or a new *id, the caller then adding the row to
 * st->rows; CRM_EX_DATAERR when the key is another contact's. */
int crm_it_stage_claim(struct crm_it_stage *st, const char *key, int64_t contact_id,
		       int64_t *id, int *existed, struct crm_err *e);
/* A row written the row-by-row way as interaction id: its key is taken,
 * and ids are read afresh before the next staged row. */
void crm_it_stage_written(struct crm_it_stage *st, const char *key, int64_t contact_id,
			  int64_t id);
/* The contact a row's contact cell named before: 1 with *id, or 0. Rows
 * of one contact come in runs (a customer's orders): a lookup each is a
 * round trip each. A contact found stays valid as long as a contact
 * found in prepare() does until its block is applied. */
int crm_it_stage_contact(const struct crm_it_stage *st, const char *ref, int64_t *id);
void crm_it_stage_contact_found(struct crm_it_stage *st, const char *ref, int64_t id);
/* A window's contact cell ref that names a contact by email (value, the
 * address as the lookup compares it), to be looked up with the others
 * (crm_it_stage_find_contacts) rather than a row at a time. */
void crm_it_stage_note_contact(struct crm_it_stage *st, const char *ref, const char *value);
/* Looks up the noted cells at once: each found is then known to
 * crm_it_stage_contact, as if found by the row-by-row lookup (the owner
 * of the email, a primary email before another one). Returns 0 or an exit
 * code with e set. */
int crm_it_stage_find_contacts(struct crm_it_stage *st, struct crm_err *e);
/* Writes the staged rows. Returns 0 or an exit code with e set. */
int crm_it_stage_flush(struct crm_it_stage *st, struct crm_err *e);

#endif
