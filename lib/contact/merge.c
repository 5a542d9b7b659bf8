/* merge.c - merging duplicate contacts into one. */
#include "contact/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "contact/contact_tables.h"
#include "base/err.h"
#include "store/domain.h"
#include "store/store.h"
#include "base/xalloc.h"

struct repoint {
	struct crm_store *s;
	int64_t keep, other;
};

/* OTHER's rows of table, by its contact column, moved to KEEP (those
 * that would collide with KEEP's on a unique key, as in a snapshot
 * holding both, are dropped after), or dropped. */
static int repoint_rows(struct repoint *r, const char *table, const char *contact,
			int move, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int rc = 0;

	if (move)
		rc = crm_store_move_rows(r->s, table, contact, r->keep, r->other, e);
	if (rc == 0) {
		crm_buf_reset(&sql);
		crm_buf_addf(&sql, "DELETE FROM \"%s\" WHERE \"%s\" = ?2", table, contact);
		rc = crm_contact_table_exec(r->s, crm_buf_str(&sql), r->keep, r->other, e);
	}
	crm_buf_free(&sql);
	return rc;
}

/* A registered table, by its merge rule (store/domain.h). */
static int repoint_registered(void *ctx, const struct crm_contact_table *t, struct crm_err *e)
{
	if (t->merge == CRM_MERGE_OWN)
		return 0;
	return repoint_rows(ctx, t->table, t->contact, t->merge == CRM_MERGE_REPOINT, e);
}

/* A table of the store no domain registers (a newer program's): its
 * rows follow the person. */
static int repoint_unregistered(void *ctx, const char *table, struct crm_err *e)
{
	if (crm_contact_table_find(table) != NULL)
		return 0;
	return repoint_rows(ctx, table, "contact_id", 1, e);
}

/* Both contacts' standard fields as text ("" for NULL). */
static int load(struct crm_store *s, int64_t id, char *v[CRM_CONTACT_NFIELDS],
		struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT id, uid, first_name, last_name, email, phone, company, title,"
		" address, city, region, postal_code, country, birthdate, gender,"
		" language, source, owner, status, preferred_channel, email_opt_out,"
		" sms_opt_out, created_at, updated_at FROM contacts"
		" WHERE id = ?1 AND erased_at IS NULL");
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
			const char *t = crm_column_text(st, f);

			v[f] = xstrdup(t != NULL ? (const char *)t : "");
		}
	crm_stmt_reset(st);
	if (rc == CRM_DONE)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%lld\"", (long long)id);
	return rc == CRM_ROW ? 0 : e->code;
}

/* Sets standard field f of contact id to v (the column name is from the
 * field table, never from input). */
static int set_column(struct crm_store *s, int64_t id, int f, const char *v,
		      struct crm_err *e)
{
	char sql[128];
	struct crm_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "UPDATE contacts SET %s = ?2, updated_at = ?3 WHERE id = ?1",
		 crm_contact_fields[f].name);
	rc = crm_store_prepare_built(s, sql, &st, e);
	if (rc != 0)
		return rc;
	crm_bind_int64(st, 1, id);
	if (crm_contact_fields[f].type == CRM_FT_BOOL)
		crm_bind_int(st, 2, v[0] == '1');
	else
		crm_bind_text_ref(st, 2, v);
	crm_bind_text_ref(st, 3, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	crm_stmt_free(st);
	return rc;
}

static int exec_ids(struct crm_store *s, const char *sql, int64_t keep, int64_t other,
		    struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, sql);

	crm_bind_int64(st, 1, keep);
	crm_bind_int64(st, 2, other);
	return crm_store_run(s, st, e);
}

/* Whether KEEP has value as its primary or another email (phone 0) or
 * phone already. */
static int keep_has(struct crm_store *s, int64_t keep, int phone, const char *value,
		    int *has, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "SELECT 1 FROM contacts WHERE id = ?1 AND phone = ?2 UNION ALL"
		  " SELECT 1 FROM contact_phones WHERE contact_id = ?1 AND phone = ?2"
		: "SELECT 1 FROM contacts WHERE id = ?1 AND email = ?2 UNION ALL"
		  " SELECT 1 FROM contact_emails WHERE contact_id = ?1 AND email = ?2");
	int step;

	crm_bind_int64(st, 1, keep);
	crm_bind_text_ref(st, 2, value);
	step = crm_store_step(s, st, e);
	crm_stmt_reset(st);
	*has = step == CRM_ROW;
	return step < 0 ? e->code : 0;
}

/* Moves OTHER's emails (phone 0) or phones to KEEP. */
static int move_details(struct crm_store *s, int64_t keep, int64_t other, int phone,
			const char *primary, const char *note, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "SELECT phone, type, e164 FROM contact_phones WHERE contact_id = ?1 ORDER BY id"
		: "SELECT email, type, NULL FROM contact_emails WHERE contact_id = ?1 ORDER BY id");
	struct crm_kv *items = NULL;
	char **e164 = NULL;
	size_t n = 0;
	int rc;

	if (primary[0] != '\0') {
		items = xcalloc(1, sizeof(*items));
		e164 = xcalloc(1, sizeof(*e164));
		items[n++].name = xstrdup(primary);
	}
	crm_bind_int64(st, 1, other);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *type = crm_column_text(st, 1);
		const char *norm = crm_column_text(st, 2);

		items = xreallocarray(items, n + 1, sizeof(*items));
		e164 = xreallocarray(e164, n + 1, sizeof(*e164));
		items[n].name = xstrdup((const char *)crm_column_text(st, 0));
		items[n].value = type != NULL ? xstrdup((const char *)type) : NULL;
		e164[n] = norm != NULL ? xstrdup((const char *)norm) : NULL;
		n++;
	}
	crm_stmt_reset(st);
	rc = rc == CRM_DONE ? 0 : e->code;
	/* Free OTHER's hold on them first: an email is unique. */
	if (rc == 0)
		rc = exec_ids(s, phone
			? "UPDATE contacts SET phone = NULL WHERE id = ?2 AND ?1 = ?1"
			: "UPDATE contacts SET email = NULL WHERE id = ?2 AND ?1 = ?1", keep, other, e);
	if (rc == 0)
		rc = exec_ids(s, phone
			? "DELETE FROM contact_phones WHERE contact_id = ?2 AND ?1 = ?1"
			: "DELETE FROM contact_emails WHERE contact_id = ?2 AND ?1 = ?1", keep, other, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int has = 0;

		/* What KEEP has already stays as it is, type and all. */
		rc = keep_has(s, keep, phone, items[i].name, &has, e);
		if (rc != 0 || has)
			continue;
		rc = phone ? crm_contact_add_phone(s, keep, items[i].name, items[i].value, 0, NULL, e)
			   : crm_contact_add_email(s, keep, items[i].name, items[i].value, 0, e);
		if (rc == 0 && phone && e164[i] != NULL) {
			/* The E.164 form was made with a region this merge does
			 * not know: carry it over. */
			struct crm_stmt *u = crm_store_prepare(s,
				"UPDATE contact_phones SET e164 = coalesce(e164, ?3)"
				" WHERE contact_id = ?1 AND phone = ?2");

			crm_bind_int64(u, 1, keep);
			crm_bind_text_ref(u, 2, items[i].name);
			crm_bind_text_ref(u, 3, e164[i]);
			rc = crm_store_run(s, u, e);
		}
		if (rc == 0)
			rc = crm_history_note(s, "contact", keep, "merge", phone ? "phones" : "emails",
					      NULL, items[i].name, note, e);
	}
	for (size_t i = 0; i < n; i++) {
		free(items[i].name);
		free(items[i].value);
		free(e164[i]);
	}
	free(items);
	free(e164);
	return rc;
}

int crm_contact_merge(struct crm_store *s, int64_t keep, int64_t other,
		      int *taken, struct crm_err *e)
{
	char *k[CRM_CONTACT_NFIELDS] = { 0 }, *o[CRM_CONTACT_NFIELDS] = { 0 };
	struct repoint rp = { s, keep, other };
	char note[64], back[64];
	int rc;

	*taken = 0;
	if (keep == other)
		return crm_err_set(e, CRM_EX_USAGE, "cannot merge contact %lld into itself",
				   (long long)keep);
	rc = load(s, keep, k, e);
	if (rc == 0)
		rc = load(s, other, o, e);
	if (rc != 0)
		goto out;
	snprintf(note, sizeof(note), "merged from contact %lld", (long long)other);
	snprintf(back, sizeof(back), "merged into contact %lld", (long long)keep);
	/* Standard fields: fill KEEP's empty ones; opt-outs are sticky. */
	for (int f = CRM_CF_UID + 1; f < CRM_CONTACT_NFIELDS; f++) {
		int take = 0;

		if (f == CRM_CF_EMAIL || f == CRM_CF_PHONE || f == CRM_CF_STATUS ||
		    f == CRM_CF_UPDATED_AT)
			continue;
		if (crm_contact_fields[f].type == CRM_FT_BOOL)
			take = strcmp(o[f], "1") == 0 && strcmp(k[f], "1") != 0;
		else if (f == CRM_CF_CREATED_AT)
			take = o[f][0] != '\0' && strcmp(o[f], k[f]) < 0;
		else
			take = k[f][0] == '\0' && o[f][0] != '\0';
		if (!take)
			continue;
		rc = set_column(s, keep, f, o[f], e);
		if (rc == 0)
			rc = crm_history_note(s, "contact", keep, "merge", crm_contact_fields[f].name,
					      k[f][0] != '\0' ? k[f] : NULL, o[f], note, e);
		if (rc != 0)
			goto out;
		(*taken)++;
	}
	/* Emails and phones, tags, custom fields (KEEP's win). */
	if (rc == 0)
		rc = move_details(s, keep, other, 0, o[CRM_CF_EMAIL], note, e);
	if (rc == 0)
		rc = move_details(s, keep, other, 1, o[CRM_CF_PHONE], note, e);
	/* Everything else that points at OTHER, tags and custom fields
	 * included (moved, not copied: a custom field that is a key, unique,
	 * contact_key.h, could not be in both for a moment). */
	if (rc == 0)
		rc = crm_contact_tables_each(repoint_registered, &rp, e);
	if (rc == 0)
		rc = crm_contact_tables(s, repoint_unregistered, &rp, e);
	if (rc == 0)
		rc = crm_history_note(s, "contact", keep, "merge", NULL, NULL, NULL, note, e);
	if (rc == 0)
		rc = crm_history_note(s, "contact", other, "merged", NULL, NULL, NULL, back, e);
	if (rc == 0) {
		/* OTHER's history, up to that note, is KEEP's person's now. */
		struct crm_stmt *st = crm_store_prepare(s,
			"INSERT INTO contact_merges (contact_id, merged_id, into_id, last_history_id, at)"
			" SELECT ?1, ?2, ?1, max(id), ?3 FROM history"
			" WHERE entity = 'contact' AND entity_id = ?2");

		crm_bind_int64(st, 1, keep);
		crm_bind_int64(st, 2, other);
		crm_bind_text_ref(st, 3, crm_store_now(s));
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0)
		rc = exec_ids(s, "DELETE FROM contacts WHERE id = ?2 AND ?1 = ?1", keep, other, e);
out:
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		free(k[f]);
		free(o[f]);
	}
	return rc;
}
