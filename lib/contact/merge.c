/* merge.c - merging duplicate contacts into one. */
#include "contact/merge.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "base/err.h"
#include "store/store.h"
#include "base/xalloc.h"

/* Tables the merge handles itself, and tables of scores to drop. */
static const char *const own_tables[] = {
	"contact_fields", "contact_tags", "contact_emails", "contact_phones", NULL
};
static const char *const derived_tables[] = { "contact_rfm", "contact_clusters", NULL };

static int listed(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

static int safe_identifier(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int crm_contact_tables(struct crm_store *s,
		       int (*fn)(void *ctx, const char *table, struct crm_err *e),
		       void *ctx, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p"
		" WHERE m.type = 'table' AND p.name = 'contact_id' AND m.name <> 'contacts'"
		" ORDER BY m.name");
	char **names = NULL;
	size_t n = 0;
	int rc;

	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : e->code;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && !safe_identifier(names[i]))
			rc = crm_err_set(e, CRM_EX_SOFTWARE, "unexpected table name \"%s\"", names[i]);
		if (rc == 0)
			rc = fn(ctx, names[i], e);
		free(names[i]);
	}
	free(names);
	return rc;
}

struct repoint {
	struct crm_store *s;
	int64_t keep, other;
};

static int repoint_table(void *ctx, const char *table, struct crm_err *e)
{
	struct repoint *r = ctx;
	char sql[256];
	sqlite3_stmt *st = NULL;
	int rc;

	if (listed(table, own_tables))
		return 0;
	if (listed(table, derived_tables)) {
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\" WHERE contact_id = ?2", table);
	} else {
		/* Rows that cannot move (KEEP is there already, as in a
		 * snapshot holding both) are dropped after. */
		snprintf(sql, sizeof(sql),
			 "UPDATE OR IGNORE \"%s\" SET contact_id = ?1 WHERE contact_id = ?2;", table);
		rc = sqlite3_prepare_v2(crm_store_db(r->s), sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return crm_store_error(r->s, rc, e);
		sqlite3_bind_int64(st, 1, r->keep);
		sqlite3_bind_int64(st, 2, r->other);
		rc = crm_store_run(r->s, st, e);
		sqlite3_finalize(st);
		if (rc != 0)
			return rc;
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\" WHERE contact_id = ?2", table);
	}
	rc = sqlite3_prepare_v2(crm_store_db(r->s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return crm_store_error(r->s, rc, e);
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, r->keep);
	sqlite3_bind_int64(st, 2, r->other);
	rc = crm_store_run(r->s, st, e);
	sqlite3_finalize(st);
	return rc;
}

/* Both contacts' standard fields as text ("" for NULL). */
static int load(struct crm_store *s, int64_t id, char *v[CRM_CONTACT_NFIELDS],
		struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT id, uid, first_name, last_name, email, phone, company, title,"
		" address, city, region, postal_code, country, birthdate, gender,"
		" language, source, owner, status, preferred_channel, email_opt_out,"
		" sms_opt_out, created_at, updated_at FROM contacts"
		" WHERE id = ?1 AND erased_at IS NULL");
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == SQLITE_ROW)
		for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
			const unsigned char *t = sqlite3_column_text(st, f);

			v[f] = xstrdup(t != NULL ? (const char *)t : "");
		}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%lld\"", (long long)id);
	return rc == SQLITE_ROW ? 0 : e->code;
}

/* Sets standard field f of contact id to v (the column name is from the
 * field table, never from input). */
static int set_column(struct crm_store *s, int64_t id, int f, const char *v,
		      struct crm_err *e)
{
	char sql[128];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "UPDATE contacts SET %s = ?2, updated_at = ?3 WHERE id = ?1",
		 crm_contact_fields[f].name);
	rc = sqlite3_prepare_v2(crm_store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return crm_store_error(s, rc, e);
	sqlite3_bind_int64(st, 1, id);
	if (crm_contact_fields[f].type == CRM_FT_BOOL)
		sqlite3_bind_int(st, 2, v[0] == '1');
	else
		sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, crm_store_now(s), -1, SQLITE_STATIC);
	rc = crm_store_run(s, st, e);
	sqlite3_finalize(st);
	return rc;
}

static int exec_ids(struct crm_store *s, const char *sql, int64_t keep, int64_t other,
		    struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, sql);

	sqlite3_bind_int64(st, 1, keep);
	sqlite3_bind_int64(st, 2, other);
	return crm_store_run(s, st, e);
}

/* Whether KEEP has value as its primary or another email (phone 0) or
 * phone already. */
static int keep_has(struct crm_store *s, int64_t keep, int phone, const char *value,
		    int *has, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, phone
		? "SELECT 1 FROM contacts WHERE id = ?1 AND phone = ?2 UNION ALL"
		  " SELECT 1 FROM contact_phones WHERE contact_id = ?1 AND phone = ?2"
		: "SELECT 1 FROM contacts WHERE id = ?1 AND email = ?2 UNION ALL"
		  " SELECT 1 FROM contact_emails WHERE contact_id = ?1 AND email = ?2");
	int step;

	sqlite3_bind_int64(st, 1, keep);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	step = crm_store_step(s, st, e);
	sqlite3_reset(st);
	*has = step == SQLITE_ROW;
	return step < 0 ? e->code : 0;
}

/* Moves OTHER's emails (phone 0) or phones to KEEP. */
static int move_details(struct crm_store *s, int64_t keep, int64_t other, int phone,
			const char *primary, const char *note, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, phone
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
	sqlite3_bind_int64(st, 1, other);
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		const unsigned char *type = sqlite3_column_text(st, 1);
		const unsigned char *norm = sqlite3_column_text(st, 2);

		items = xreallocarray(items, n + 1, sizeof(*items));
		e164 = xreallocarray(e164, n + 1, sizeof(*e164));
		items[n].name = xstrdup((const char *)sqlite3_column_text(st, 0));
		items[n].value = type != NULL ? xstrdup((const char *)type) : NULL;
		e164[n] = norm != NULL ? xstrdup((const char *)norm) : NULL;
		n++;
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : e->code;
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
			sqlite3_stmt *u = crm_store_prepare(s,
				"UPDATE contact_phones SET e164 = coalesce(e164, ?3)"
				" WHERE contact_id = ?1 AND phone = ?2");

			sqlite3_bind_int64(u, 1, keep);
			sqlite3_bind_text(u, 2, items[i].name, -1, SQLITE_STATIC);
			sqlite3_bind_text(u, 3, e164[i], -1, SQLITE_STATIC);
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
	if (rc == 0)
		rc = exec_ids(s, "INSERT OR IGNORE INTO contact_tags (contact_id, tag)"
			      " SELECT ?1, tag FROM contact_tags WHERE contact_id = ?2", keep, other, e);
	if (rc == 0)
		/* Moved, not copied: a custom field that is a key (unique,
		 * contact_key.h) could not be in both for a moment. */
		rc = exec_ids(s, "UPDATE OR IGNORE contact_fields SET contact_id = ?1"
			      " WHERE contact_id = ?2", keep, other, e);
	/* Everything else that points at OTHER. */
	if (rc == 0)
		rc = crm_contact_tables(s, repoint_table, &rp, e);
	if (rc == 0)
		rc = crm_history_note(s, "contact", keep, "merge", NULL, NULL, NULL, note, e);
	if (rc == 0)
		rc = crm_history_note(s, "contact", other, "merged", NULL, NULL, NULL, back, e);
	if (rc == 0) {
		/* OTHER's history, up to that note, is KEEP's person's now. */
		sqlite3_stmt *st = crm_store_prepare(s,
			"INSERT INTO contact_merges (contact_id, merged_id, into_id, last_history_id, at)"
			" SELECT ?1, ?2, ?1, max(id), ?3 FROM history"
			" WHERE entity = 'contact' AND entity_id = ?2");

		sqlite3_bind_int64(st, 1, keep);
		sqlite3_bind_int64(st, 2, other);
		sqlite3_bind_text(st, 3, crm_store_now(s), -1, SQLITE_STATIC);
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
