/* privacy.c - data-subject requests: export everything, erase. */
#include "contact/privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "contact/contact_tables.h"
#include "io/output.h"
#include "store/domain.h"
#include "store/store.h"
#include "base/xalloc.h"

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
static int dump_rows(struct crm_store *s, struct crm_stmt *st, struct crm_buf *out,
		     struct crm_err *e)
{
	int rc, first = 1;

	crm_buf_addc(out, '[');
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		crm_buf_adds(out, first ? "\n    {" : ",\n    {");
		first = 0;
		for (int i = 0; i < crm_column_count(st); i++) {
			const char *name = crm_column_name(st, i);

			if (i > 0)
				crm_buf_adds(out, ", ");
			crm_json_put_string(out, name, strlen(name));
			crm_buf_addc(out, ':');
			switch (crm_column_type(st, i)) {
			case CRM_NULL:
				crm_buf_adds(out, "null");
				break;
			case CRM_INTEGER:
				crm_buf_addf(out, "%lld", (long long)crm_column_int64(st, i));
				break;
			case CRM_FLOAT:
				crm_buf_addf(out, "%.17g", crm_column_double(st, i));
				break;
			default:
				crm_json_put_string(out, (const char *)crm_column_text(st, i),
						    (size_t)crm_column_bytes(st, i));
			}
		}
		crm_buf_addc(out, '}');
	}
	crm_buf_adds(out, first ? "]" : "\n  ]");
	return rc == CRM_DONE ? 0 : e->code;
}

/* A table export --subject lists by its own contact column: registered
 * (rule set) or found in the schema with a contact_id (rule NULL: every
 * row, as for a registered table). */
struct export_table {
	const char *name;
	char *copy;  /* the list's own copy of name, or NULL */
	const struct crm_contact_table *rule;
};

struct export_list {
	struct export_table *t;
	size_t n;
};

static void export_add(struct export_list *l, const char *name, char *copy,
		       const struct crm_contact_table *rule)
{
	l->t = xreallocarray(l->t, l->n + 1, sizeof(*l->t));
	l->t[l->n].name = copy != NULL ? copy : name;
	l->t[l->n].copy = copy;
	l->t[l->n].rule = rule;
	l->n++;
}

static int export_registered(void *ctx, const struct crm_contact_table *t, struct crm_err *e)
{
	(void)e;
	if (t->export)
		export_add(ctx, t->table, NULL, t);
	return 0;
}

/* Tables of the schema no domain registers (a newer program's). */
static int export_unregistered(void *ctx, const char *table, struct crm_err *e)
{
	(void)e;
	if (crm_contact_table_find(table) == NULL)
		export_add(ctx, NULL, xstrdup(table), NULL);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct export_table *)a)->name,
		      ((const struct export_table *)b)->name);
}

/* The rows sql selects for the person ?1, as "NAME": [...]. */
static int export_rows(struct crm_store *s, int64_t id, const char *sql, const char *name,
		       struct crm_buf *out, struct crm_err *e)
{
	struct crm_stmt *st = NULL;
	int rc = crm_store_prepare_built(s, sql, &st, e);

	if (rc != 0)
		return rc;
	crm_bind_int64(st, 1, id);
	crm_buf_adds(out, ",\n  ");
	crm_json_put_string(out, name, strlen(name));
	crm_buf_adds(out, ": ");
	rc = dump_rows(s, st, out, e);
	crm_stmt_free(st);
	return rc;
}

/* Every table with the person's rows (each names the contact: store/
 * domain.h), by name. */
static int export_tables(struct crm_store *s, int64_t id, struct crm_buf *out,
			 struct crm_err *e)
{
	struct export_list l = { NULL, 0 };
	struct crm_buf sql = CRM_BUF_INIT;
	int rc;

	crm_contact_tables_each(export_registered, &l, e);
	rc = crm_contact_tables(s, export_unregistered, &l, e);
	if (l.n > 0)
		qsort(l.t, l.n, sizeof(*l.t), by_name);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		const struct crm_contact_table *t = l.t[i].rule;

		crm_buf_reset(&sql);
		crm_buf_addf(&sql, "SELECT * FROM \"%s\" WHERE \"%s\" = ?1%s%s", l.t[i].name,
			     t != NULL ? t->contact : "contact_id",
			     t != NULL && t->export_order != NULL ? " ORDER BY " : "",
			     t != NULL && t->export_order != NULL ? t->export_order : "");
		rc = export_rows(s, id, crm_buf_str(&sql), l.t[i].name, out, e);
	}
	crm_buf_free(&sql);
	for (size_t i = 0; i < l.n; i++)
		free(l.t[i].copy);
	free(l.t);
	return rc;
}

/* The conditions on history of every domain's own records of the person
 * ?1 (store/domain.h crm_history_entity), each one index lookup: the
 * i-th into b (emptied first); 0 after the last. */
static int records_history(size_t i, struct crm_buf *b)
{
	crm_buf_reset(b);
	for (size_t d = 0; crm_domains[d] != NULL; d++)
		for (size_t k = 0; k < crm_domains[d]->nhistory; k++) {
			const struct crm_history_entity *h = &crm_domains[d]->history[k];

			if (i >= 3) {
				i -= 3;
				continue;
			}
			if (i == 0)
				crm_buf_addf(b, "entity = '%s' AND entity_id IN (%s)", h->entity,
					     h->ids_sql);
			else if (i == 1)
				crm_buf_addf(b, "entity = '%s' AND entity_id = ?1", h->removed);
			else
				crm_buf_addf(b, "entity = '%s' AND entity_id IN (SELECT merged_id FROM"
					     " contact_merges WHERE contact_id = ?1)", h->removed);
			return 1;
		}
	return 0;
}

int crm_privacy_export(struct crm_store *s, int64_t id, FILE *out, struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_stmt *st;
	int rc;

	crm_buf_addf(&b, "{\n  \"subject\": %lld,\n  \"exported_at\": ", (long long)id);
	crm_json_put_string(&b, crm_store_now(s), strlen(crm_store_now(s)));
	crm_buf_adds(&b, ",\n  \"contact\": ");
	st = crm_store_prepare(s, "SELECT * FROM contacts WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	rc = dump_rows(s, st, &b, e);
	crm_stmt_reset(st);
	if (rc == 0) {
		struct crm_buf sql = CRM_BUF_INIT, cond = CRM_BUF_INIT;

		crm_buf_adds(&b, ",\n  \"history\": ");
		/* with the "create" of each of the person's contacts an
		 * import made (migration 0007), and the history of the
		 * records of other domains that are the person's (deals) */
		crm_buf_adds(&sql, "SELECT * FROM history WHERE " HISTORY_OWN
			     " UNION ALL SELECT * FROM history WHERE id IN (" HISTORY_MERGED ")"
			     " UNION ALL " IMPORT_CREATE_OWN
			     " UNION ALL " IMPORT_CREATE_MERGED);
		for (size_t i = 0; records_history(i, &cond); i++)
			crm_buf_addf(&sql, " UNION ALL SELECT * FROM history WHERE %s",
				     crm_buf_str(&cond));
		crm_buf_adds(&sql, " ORDER BY 1, 5");
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
		crm_buf_free(&sql);
		crm_buf_free(&cond);
		if (rc == 0) {
			crm_bind_int64(st, 1, id);
			rc = dump_rows(s, st, &b, e);
			crm_stmt_free(st);
		}
	}
	if (rc == 0)
		rc = export_tables(s, id, &b, e);
	crm_buf_adds(&b, "\n}\n");
	if (rc == 0 && fwrite(b.data, 1, b.len, out) != b.len)
		rc = crm_err_set(e, CRM_EX_IOERR, "write error");
	crm_buf_free(&b);
	return rc;
}

/* A table of the store with a contact_id that no domain registers stops
 * the erasure before anything is erased: what it holds is unknown. */
static int erase_known(void *ctx, const char *table, struct crm_err *e)
{
	(void)ctx;
	if (crm_contact_table_find(table) != NULL)
		return 0;
	return crm_err_set(e, CRM_EX_SOFTWARE,
			   "erase: no rule for table \"%s\": nothing erased", table);
}

/* "a = NULL, b = NULL" for the NULL-terminated columns. */
static void cleared(struct crm_buf *sql, const char *const *columns)
{
	for (size_t i = 0; columns[i] != NULL; i++)
		crm_buf_addf(sql, "%s%s = NULL", i > 0 ? ", " : "", columns[i]);
}

/* Applies t's erase rule to the rows chosen by where (?1 the contact). */
static int erase_rows(struct crm_store *s, int64_t id, const struct crm_contact_table *t,
		      const char *where, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int rc;

	if (t->erase == CRM_ERASE_KEEP)
		return 0;
	if (t->erase == CRM_ERASE_DELETE) {
		crm_buf_addf(&sql, "DELETE FROM %s WHERE %s", t->table, where);
	} else {
		crm_buf_addf(&sql, "UPDATE %s SET ", t->table);
		cleared(&sql, t->personal);
		crm_buf_addf(&sql, " WHERE %s", where);
	}
	rc = crm_contact_table_exec(s, crm_buf_str(&sql), id, 0, e);
	crm_buf_free(&sql);
	return rc;
}

struct erase_ctx {
	struct crm_store *s;
	int64_t id;
};

/* The person's rows of a table, by its rule. */
static int erase_table(void *ctx, const struct crm_contact_table *t, struct crm_err *e)
{
	struct erase_ctx *x = ctx;
	struct crm_buf where = CRM_BUF_INIT;
	int rc;

	crm_buf_addf(&where, "%s = ?1", t->contact);
	rc = erase_rows(x->s, x->id, t, crm_buf_str(&where), e);
	crm_buf_free(&where);
	return rc;
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
		struct crm_stmt *st = crm_store_prepare(s, sql[i]);

		crm_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

/* Takes the person out of the import ranges: contact id and every
 * contact merged into it (contact_merges). */
static int uncover_person(struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT merged_id FROM contact_merges WHERE contact_id = ?1");
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	crm_bind_int64(st, 1, id);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = crm_column_int64(st, 0);
	}
	crm_stmt_reset(st);
	rc = rc == CRM_DONE ? 0 : e->code;
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
	struct crm_stmt *st;
	char uid[48];
	int rc;

	/* Erased already: nothing is left to erase, nor to record again. */
	st = crm_store_prepare(s, "SELECT 1 FROM contacts WHERE id = ?1 AND erased_at IS NOT NULL");
	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc == CRM_ROW)
		return 0;
	/* Every table that names a contact has a rule, or nothing is erased. */
	rc = crm_contact_tables(s, erase_known, NULL, e);
	if (rc != 0)
		return rc;
	/* Import ranges and history first: contact_merges says whose they
	 * are, and goes with the other tables. */
	rc = uncover_person(s, id, e);
	if (rc == 0) {
		st = crm_store_prepare(s, "DELETE FROM history WHERE id IN (" HISTORY_MERGED ")");
		crm_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0) {
		st = crm_store_prepare(s, "DELETE FROM history WHERE " HISTORY_OWN);
		crm_bind_int64(st, 1, id);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0) {
		/* the history of the person's deals and other records,
		 * before their tables are erased (they name the ids) */
		struct crm_buf cond = CRM_BUF_INIT, sql = CRM_BUF_INIT;

		for (size_t i = 0; rc == 0 && records_history(i, &cond); i++) {
			crm_buf_reset(&sql);
			crm_buf_addf(&sql, "DELETE FROM history WHERE %s", crm_buf_str(&cond));
			rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
			if (rc == 0) {
				crm_bind_int64(st, 1, id);
				rc = crm_store_run(s, st, e);
				crm_stmt_free(st);
			}
		}
		crm_buf_free(&cond);
		crm_buf_free(&sql);
	}
	if (rc == 0)
		rc = crm_contact_tables_each(erase_table, &x, e);
	/* An unfinished import keeps the cells of its rejected rows, which
	 * name nobody by id (migration 0009): they all go, and the next run
	 * of such a file reads it from the top (imports upsert). */
	if (rc == 0)
		rc = crm_store_exec(s, "DELETE FROM import_resume", e);
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
	crm_bind_int64(st, 1, id);
	crm_bind_text(st, 2, uid);
	crm_bind_text_ref(st, 3, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	if (rc == 0) {
		st = crm_store_prepare(s, "INSERT INTO erasures (at, who, contact_id) VALUES (?1, ?2, ?3)");
		crm_bind_text_ref(st, 1, crm_store_now(s));
		crm_bind_text_ref(st, 2, crm_store_who(s));
		crm_bind_int64(st, 3, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

int crm_privacy_checkpoint(struct crm_store *s, struct crm_err *e)
{
	int rc = crm_store_purge(s, e);

	if (rc == CRM_EX_TEMPFAIL)
		return crm_err_set(e, CRM_EX_TEMPFAIL,
				   "another program is reading the store, so old copies may stay in its -wal file: run erase again later");
	return rc;
}
