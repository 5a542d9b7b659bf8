/* interaction_stage.c - an import's interactions in bulk (see
 * interaction_stage.h). */
#include "log/interaction_stage.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/utf8.h"

void crm_it_stage_init(struct crm_it_stage *st, struct crm_store *s, const char *columns, int on)
{
	memset(st, 0, sizeof(*st));
	st->store = s;
	st->columns = columns;
	st->on = on && crm_store_can_copy(s);
}

void crm_it_stage_free(struct crm_it_stage *st)
{
	crm_copy_free(&st->keys);
	crm_copy_free(&st->rows);
	crm_strmap_free(&st->owner);
	crm_strmap_free(&st->contacts);
	crm_copy_free(&st->refs);
	crm_strmap_free(&st->noted);
}

int crm_it_stage_contact(const struct crm_it_stage *st, const char *ref, int64_t *id)
{
	const struct crm_strmap_entry *c;

	if (!st->on)
		return 0;
	c = crm_strmap_get(&st->contacts, ref, strlen(ref));
	if (c == NULL)
		return 0;
	*id = c->value;
	return 1;
}

void crm_it_stage_contact_found(struct crm_it_stage *st, const char *ref, int64_t id)
{
	/* A bound on memory: an import of many contacts starts afresh. */
	if (!st->on)
		return;
	if (st->contacts.n >= 100000)
		crm_strmap_clear(&st->contacts);
	crm_strmap_put(&st->contacts, ref, strlen(ref))->value = id;
}

void crm_it_stage_note_key(struct crm_it_stage *st, const char *key)
{
	if (!st->on || key == NULL || !crm_utf8_valid(key, strlen(key), NULL))
		return;
	crm_copy_text(&st->keys, key);
	crm_copy_end_row(&st->keys);
}

int crm_it_stage_begin(struct crm_it_stage *st, struct crm_err *e)
{
	struct crm_stmt *q;
	int rc;

	crm_strmap_clear(&st->owner);
	st->next_id = 0;
	if (!st->on || st->keys.rows == 0)
		return 0;
	/* Typed as the column is, so the join compares as its index does. */
	rc = crm_store_exec(st->store,
		"CREATE TEMP TABLE IF NOT EXISTS import_stage_keys AS"
		" SELECT ext_key AS k FROM interactions LIMIT 0", e);
	if (rc == 0)
		rc = crm_store_copy(st->store, "import_stage_keys", "k", &st->keys, e);
	if (rc != 0)
		return rc;
	q = crm_store_prepare(st->store,
		"SELECT k.k, i.id, i.contact_id FROM import_stage_keys k"
		" JOIN interactions i ON i.ext_key = k.k");
	while ((rc = crm_store_step(st->store, q, e)) == CRM_ROW) {
		const char *k = crm_column_text(q, 0);
		struct crm_strmap_entry *o = crm_strmap_put(&st->owner, k, strlen(k));

		o->value = crm_column_int64(q, 1);
		o->value2 = crm_column_int64(q, 2);
	}
	crm_stmt_reset(q);
	if (rc < 0)
		return e->code;
	return crm_store_exec(st->store, "DELETE FROM import_stage_keys", e);
}

int crm_it_stage_claim(struct crm_it_stage *st, const char *key, int64_t contact_id,
		       int64_t *id, int *existed, struct crm_err *e)
{
	struct crm_strmap_entry *o;
	int rc;

	*existed = 0;
	o = key != NULL ? crm_strmap_get(&st->owner, key, strlen(key)) : NULL;
	if (o != NULL) {
		*id = o->value;
		if (o->value2 != contact_id)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "key \"%.64s\" belongs to interaction %lld of contact %lld",
					   key, (long long)o->value, (long long)o->value2);
		*existed = 1;
		return 0;
	}
	if (st->next_id == 0) {
		rc = crm_store_next_id(st->store, "interactions", &st->next_id, e);
		if (rc != 0)
			return rc;
	}
	*id = st->next_id++;
	if (key != NULL) {
		o = crm_strmap_put(&st->owner, key, strlen(key));
		o->value = *id;
		o->value2 = contact_id;
	}
	return 0;
}

void crm_it_stage_written(struct crm_it_stage *st, const char *key, int64_t contact_id,
			  int64_t id)
{
	st->next_id = 0;
	if (st->on && key != NULL) {
		struct crm_strmap_entry *o = crm_strmap_put(&st->owner, key, strlen(key));

		o->value = id;
		o->value2 = contact_id;
	}
}

void crm_it_stage_note_contact(struct crm_it_stage *st, const char *ref, const char *value)
{
	struct crm_strmap_entry *n;

	if (!st->on || !crm_utf8_valid(ref, strlen(ref), NULL) ||
	    !crm_utf8_valid(value, strlen(value), NULL) ||
	    crm_strmap_get(&st->contacts, ref, strlen(ref)) != NULL)
		return;
	n = crm_strmap_put(&st->noted, ref, strlen(ref));
	if (n->state != 0)
		return;
	n->state = 1;
	crm_copy_text(&st->refs, ref);
	crm_copy_text(&st->refs, value);
	crm_copy_end_row(&st->refs);
}

int crm_it_stage_find_contacts(struct crm_it_stage *st, struct crm_err *e)
{
	struct crm_stmt *q;
	int rc;

	crm_strmap_clear(&st->noted);
	if (!st->on || st->refs.rows == 0)
		return 0;
	/* k typed as an email is (compared ignoring case, as its index). */
	rc = crm_store_exec(st->store,
		"CREATE TEMP TABLE IF NOT EXISTS import_stage_refs AS"
		" SELECT uid AS ref, email AS k FROM contacts LIMIT 0", e);
	if (rc == 0)
		rc = crm_store_copy(st->store, "import_stage_refs", "ref, k", &st->refs, e);
	if (rc != 0)
		return rc;
	/* The primary emails first: crm_contact_email_owner's order. */
	q = crm_store_prepare(st->store,
		"SELECT r.ref, c.id, 1 FROM import_stage_refs r JOIN contacts c ON c.email = r.k"
		" UNION ALL SELECT r.ref, o.contact_id, 2 FROM import_stage_refs r"
		" JOIN contact_emails o ON o.email = r.k ORDER BY 3");
	while ((rc = crm_store_step(st->store, q, e)) == CRM_ROW) {
		const char *ref = crm_column_text(q, 0);

		if (crm_strmap_get(&st->contacts, ref, strlen(ref)) == NULL)
			crm_it_stage_contact_found(st, ref, crm_column_int64(q, 1));
	}
	crm_stmt_reset(q);
	if (rc < 0)
		return e->code;
	return crm_store_exec(st->store, "DELETE FROM import_stage_refs", e);
}

int crm_it_stage_flush(struct crm_it_stage *st, struct crm_err *e)
{
	size_t n = st->rows.rows;
	int rc;

	if (n == 0)
		return 0;
	rc = crm_store_copy(st->store, "interactions", st->columns, &st->rows, e);
	/* Every staged row was checked: a key or id taken now was taken by
	 * a writer that bypassed the lock. Never one row's fault (the rows
	 * counted as added would be rolled back with it): stop, so a re-run
	 * goes on from the last commit. */
	if (rc == CRM_EX_DATAERR)
		rc = e->code = CRM_EX_TEMPFAIL;
	if (rc != 0)
		crm_err_prefix(e, "writing %zu interactions in bulk", n);
	return rc;
}
