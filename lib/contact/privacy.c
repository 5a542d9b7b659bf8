/* privacy.c - data-subject requests: export everything, erase. */
#include "contact/privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "contact/merge.h"
#include "io/output.h"
#include "store/store.h"
#include "base/xalloc.h"

/* How each table that points at contacts is erased. Programs that add
 * such a table add its rule here; an unknown table stops an erasure. A
 * table may have several rules, run in this order (tables that hang off
 * it, such as interaction_lines, are cleared with it). */
static const struct {
	const char *table;
	const char *sql;   /* ?1 is the contact id; NULL: nothing personal */
} erase_rules[] = {
	{ "contact_fields", "DELETE FROM contact_fields WHERE contact_id = ?1" },
	{ "contact_tags", "DELETE FROM contact_tags WHERE contact_id = ?1" },
	{ "contact_emails", "DELETE FROM contact_emails WHERE contact_id = ?1" },
	{ "contact_phones", "DELETE FROM contact_phones WHERE contact_id = ?1" },
	/* Imported columns kept with the interactions may be anything;
	 * order lines keep product, quantity and price (for counts) but not
	 * their text. */
	{ "interactions", "DELETE FROM interaction_attrs WHERE interaction_id IN"
	  " (SELECT id FROM interactions WHERE contact_id = ?1)" },
	{ "interactions", "UPDATE interaction_lines SET description = NULL WHERE interaction_id IN"
	  " (SELECT id FROM interactions WHERE contact_id = ?1)" },
	{ "interactions", "UPDATE interactions SET subject = NULL, body = NULL, outcome = NULL,"
	  " ext_key = NULL WHERE contact_id = ?1" },
	{ "segment_members", NULL },
	{ "contact_rfm", NULL },
	{ "contact_clusters", NULL },
	{ "erasures", NULL },
	/* says whose history is whose: erase deletes that history first */
	{ "contact_merges", "DELETE FROM contact_merges WHERE contact_id = ?1" },
};

/* The person's history: the contact ?1's own, and that of every contact
 * merged into it, however indirectly (contact_merges is repointed by each
 * merge), up to its merge, since a later contact may have been given a
 * merged one's id again. Both read history by its entity index. */
#define HISTORY_OWN "entity = 'contact' AND entity_id = ?1"
#define HISTORY_MERGED \
	"SELECT h.id FROM contact_merges m, history h WHERE m.contact_id = ?1" \
	" AND h.entity = 'contact' AND h.entity_id = m.merged_id AND h.id <= m.last_history_id"

/* The "create" rows of the person's contacts that an import made, which
 * share the import's one history row (migration 0007): the contact ?1's,
 * then those of the contacts merged into it, up to their merge. Each
 * finds its range by the primary key of history_imports. */
#define IMPORT_CREATE_OWN \
	"SELECT h.id, h.at, h.who, 'contact', ?1, 'create', NULL, NULL, NULL, 'import ' || h.id" \
	" FROM history_imports r, history h" \
	" WHERE r.first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)" \
	" AND r.last_id >= ?1 AND h.id = r.history_id AND NOT EXISTS" \
	" (SELECT 1 FROM contacts c WHERE c.id = ?1 AND c.erased_at IS NOT NULL)"
#define IMPORT_CREATE_MERGED \
	"SELECT h.id, h.at, h.who, 'contact', m.merged_id, 'create', NULL, NULL, NULL," \
	" 'import ' || h.id FROM contact_merges m, history_imports r, history h" \
	" WHERE m.contact_id = ?1 AND r.first_id = (SELECT max(first_id) FROM history_imports" \
	" WHERE first_id <= m.merged_id) AND r.last_id >= m.merged_id" \
	" AND h.id = r.history_id AND h.id <= m.last_history_id"

/* Writes the rows of a query as a JSON array of objects. */
static int dump_rows(struct crm_store *s, sqlite3_stmt *st, struct crm_buf *out,
		     struct crm_err *e)
{
	int rc, first = 1;

	crm_buf_addc(out, '[');
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		crm_buf_adds(out, first ? "\n    {" : ",\n    {");
		first = 0;
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *name = sqlite3_column_name(st, i);

			if (i > 0)
				crm_buf_adds(out, ", ");
			crm_json_put_string(out, name, strlen(name));
			crm_buf_addc(out, ':');
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				crm_buf_adds(out, "null");
				break;
			case SQLITE_INTEGER:
				crm_buf_addf(out, "%lld", (long long)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				crm_buf_addf(out, "%.17g", sqlite3_column_double(st, i));
				break;
			default:
				crm_json_put_string(out, (const char *)sqlite3_column_text(st, i),
						    (size_t)sqlite3_column_bytes(st, i));
			}
		}
		crm_buf_addc(out, '}');
	}
	crm_buf_adds(out, first ? "]" : "\n  ]");
	return rc == SQLITE_DONE ? 0 : e->code;
}

struct export_ctx {
	struct crm_store *s;
	int64_t id;
	struct crm_buf *out;
};

static int export_table(void *ctx, const char *table, struct crm_err *e)
{
	struct export_ctx *x = ctx;
	char sql[160];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" WHERE contact_id = ?1", table);
	rc = sqlite3_prepare_v2(crm_store_db(x->s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return crm_store_error(x->s, rc, e);
	sqlite3_bind_int64(st, 1, x->id);
	crm_buf_adds(x->out, ",\n  ");
	crm_json_put_string(x->out, table, strlen(table));
	crm_buf_adds(x->out, ": ");
	rc = dump_rows(x->s, st, x->out, e);
	sqlite3_finalize(st);
	return rc;
}

/* Tables of the person's interactions (no contact_id of their own). */
static const struct {
	const char *table;
	const char *sql;
} by_interaction[] = {
	{ "interaction_attrs", "SELECT a.* FROM interaction_attrs a JOIN interactions i"
	  " ON i.id = a.interaction_id WHERE i.contact_id = ?1 ORDER BY a.interaction_id, a.name" },
	{ "interaction_lines", "SELECT l.* FROM interaction_lines l JOIN interactions i"
	  " ON i.id = l.interaction_id WHERE i.contact_id = ?1 ORDER BY l.interaction_id, l.line" },
};

int crm_privacy_export(struct crm_store *s, int64_t id, FILE *out, struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct export_ctx x = { s, id, &b };
	sqlite3_stmt *st;
	int rc;

	crm_buf_addf(&b, "{\n  \"subject\": %lld,\n  \"exported_at\": ", (long long)id);
	crm_json_put_string(&b, crm_store_now(s), strlen(crm_store_now(s)));
	crm_buf_adds(&b, ",\n  \"contact\": ");
	st = crm_store_prepare(s, "SELECT * FROM contacts WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	rc = dump_rows(s, st, &b, e);
	sqlite3_reset(st);
	if (rc == 0) {
		crm_buf_adds(&b, ",\n  \"history\": ");
		/* with the "create" of each of the person's contacts an
		 * import made (migration 0007) */
		st = crm_store_prepare(s, "SELECT * FROM history WHERE " HISTORY_OWN
				       " UNION ALL SELECT * FROM history WHERE id IN (" HISTORY_MERGED ")"
				       " UNION ALL " IMPORT_CREATE_OWN
				       " UNION ALL " IMPORT_CREATE_MERGED
				       " ORDER BY 1, 5");
		sqlite3_bind_int64(st, 1, id);
		rc = dump_rows(s, st, &b, e);
		sqlite3_reset(st);
	}
	if (rc == 0)
		rc = crm_contact_tables(s, export_table, &x, e);
	/* What hangs off the person's interactions. */
	for (size_t i = 0; rc == 0 && i < sizeof(by_interaction) / sizeof(by_interaction[0]); i++) {
		crm_buf_adds(&b, ",\n  ");
		crm_json_put_string(&b, by_interaction[i].table, strlen(by_interaction[i].table));
		crm_buf_adds(&b, ": ");
		st = crm_store_prepare(s, by_interaction[i].sql);
		sqlite3_bind_int64(st, 1, id);
		rc = dump_rows(s, st, &b, e);
		sqlite3_reset(st);
	}
	crm_buf_adds(&b, "\n}\n");
	if (rc == 0 && fwrite(b.data, 1, b.len, out) != b.len)
		rc = crm_err_set(e, CRM_EX_IOERR, "write error");
	crm_buf_free(&b);
	return rc;
}

struct erase_ctx {
	struct crm_store *s;
	int64_t id;
};

static int erase_table(void *ctx, const char *table, struct crm_err *e)
{
	struct erase_ctx *x = ctx;

	int found = 0;

	for (size_t i = 0; i < sizeof(erase_rules) / sizeof(erase_rules[0]); i++) {
		sqlite3_stmt *st;
		int rc;

		if (strcmp(erase_rules[i].table, table) != 0)
			continue;
		found = 1;
		if (erase_rules[i].sql == NULL)
			continue;
		st = crm_store_prepare(x->s, erase_rules[i].sql);
		sqlite3_bind_int64(st, 1, x->id);
		rc = crm_store_run(x->s, st, e);
		if (rc != 0)
			return rc;
	}
	if (found)
		return 0;
	return crm_err_set(e, CRM_EX_SOFTWARE,
			   "erase: no rule for table \"%s\": nothing erased", table);
}

/* Takes contact id out of the range of an import's new contacts that
 * holds it (migration 0007), splitting the range, so that no "create" of
 * it is shown any more. */
static int uncover(struct crm_store *s, int64_t id, struct crm_err *e)
{
	static const char *const sql[] = {
		"INSERT INTO history_imports (first_id, last_id, history_id)"
		" SELECT ?1 + 1, last_id, history_id FROM history_imports"
		" WHERE first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
		" AND last_id > ?1",
		"DELETE FROM history_imports WHERE first_id = ?1",
		"UPDATE history_imports SET last_id = ?1 - 1"
		" WHERE first_id = (SELECT max(first_id) FROM history_imports WHERE first_id < ?1)"
		" AND last_id >= ?1",
	};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = crm_store_prepare(s, sql[i]);

		sqlite3_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

/* Takes the person out of the import ranges: contact id and every
 * contact merged into it (contact_merges). */
static int uncover_person(struct crm_store *s, int64_t id, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT merged_id FROM contact_merges WHERE contact_id = ?1");
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : e->code;
	if (rc == 0)
		rc = uncover(s, id, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = uncover(s, ids[i], e);
	free(ids);
	return rc;
}

int crm_privacy_erase(struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct erase_ctx x = { s, id };
	sqlite3_stmt *st;
	char uid[48];
	int rc;

	/* Erased already: nothing is left to erase, nor to record again. */
	st = crm_store_prepare(s, "SELECT 1 FROM contacts WHERE id = ?1 AND erased_at IS NOT NULL");
	sqlite3_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	sqlite3_reset(st);
	if (rc < 0)
		return e->code;
	if (rc == SQLITE_ROW)
		return 0;
	/* Import ranges and history first: contact_merges says whose they
	 * are, and goes with the other tables. */
	rc = uncover_person(s, id, e);
	if (rc == 0) {
		st = crm_store_prepare(s, "DELETE FROM history WHERE id IN (" HISTORY_MERGED ")");
		sqlite3_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0) {
		st = crm_store_prepare(s, "DELETE FROM history WHERE " HISTORY_OWN);
		sqlite3_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0)
		rc = crm_contact_tables(s, erase_table, &x, e);
	if (rc != 0)
		return rc;
	snprintf(uid, sizeof(uid), "erased-%lld", (long long)id);
	st = crm_store_prepare(s,
		"UPDATE contacts SET uid = ?2, first_name = NULL, last_name = NULL, email = NULL,"
		" phone = NULL, company = NULL, title = NULL, address = NULL, city = NULL,"
		" region = NULL, postal_code = NULL, country = NULL, birthdate = NULL,"
		" gender = NULL, language = NULL, source = NULL, owner = NULL,"
		" status = 'former', preferred_channel = NULL, email_opt_out = 1,"
		" sms_opt_out = 1, updated_at = ?3, erased_at = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, crm_store_now(s), -1, SQLITE_STATIC);
	rc = crm_store_run(s, st, e);
	if (rc == 0) {
		st = crm_store_prepare(s, "INSERT INTO erasures (at, who, contact_id) VALUES (?1, ?2, ?3)");
		sqlite3_bind_text(st, 1, crm_store_now(s), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, crm_store_who(s), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

int crm_privacy_checkpoint(struct crm_store *s, struct crm_err *e)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(crm_store_db(s), NULL, SQLITE_CHECKPOINT_TRUNCATE,
					   &log, &done);

	if (rc == SQLITE_BUSY || (rc == SQLITE_OK && log != done))
		return crm_err_set(e, CRM_EX_TEMPFAIL,
				   "another program is reading the store, so old copies may stay in its -wal file: run erase again later");
	return rc == SQLITE_OK ? 0 : crm_store_error(s, rc, e);
}
