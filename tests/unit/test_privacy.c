/* test_privacy.c - unit tests for lib/privacy.c: the export of everything
 * the store holds about a person, the erasure (what is cleared, deleted,
 * kept and recorded; refusal on a table without a rule), and that no
 * copy of erased data stays in the database or its WAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "base/dates.h"
#include "base/err.h"
#include "contact/merge.h"
#include "contact/privacy.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
#define LATER_TEXT "2024-07-01T08:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "privacy", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

/* ---- helpers ---- */

static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

/* Contact 1, the person, with everything; contact 2, someone else. */
static void person(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int changed;

	create(state, "uid", "p-1", "first_name", "Zelda", "last_name", "Quartermaine",
	       "email", "zelda@secret.example", "emails", "zq@work.example (work)",
	       "phone", "+31 20 555 0101", "phones", "+31 6 5550 0202 (mobile)",
	       "company", "Hidden Corp", "title", "Spymaster", "address", "1 Secret Lane",
	       "city", "Utrecht", "region", "UT", "postal_code", "3511 AA", "country", "NL",
	       "birthdate", "1980-02-03", "gender", "female", "language", "nl",
	       "source", "fair", "owner", "bob", "status", "customer",
	       "preferred_channel", "email", "tags", "vip;secret-tag",
	       "shoe_size", "size-38-secret", NULL);
	create(state, "uid", "p-2", "first_name", "Yannick", "email", "yannick@example.org",
	       "tags", "vip", NULL);
	/* a change, so history holds old and new values */
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set(&c, CRM_CF_CITY, "Leiden", now, &e), 0);
	assert_int_equal(crm_contact_update(store(state), 1, &c, &changed, &e), 0);
	crm_contact_free(&c);
	exec_ok(store(state),
		"INSERT INTO interactions (contact_id, at, type, subject, body, outcome, ext_key,"
		" agent, created_at) VALUES"
		" (1, '2024-05-01T10:00:00Z', 'call', 'secret subject \"quoted\"',"
		"  'secret body' || char(10) || 'line 2', 'secret outcome', 'secret-key-1', 'bob',"
		"  '" NOW_TEXT "'),"
		" (2, '2024-05-02T10:00:00Z', 'note', 'yannick note', 'yannick body', NULL,"
		"  'y-key', 'bob', '" NOW_TEXT "');"
		"INSERT INTO interactions (contact_id, at, type, amount, currency, created_at)"
		" VALUES (1, '2024-05-03T10:00:00Z', 'purchase', 1999, 'EUR', '" NOW_TEXT "');"
		"INSERT INTO segments (id, name, expr, created_at, updated_at, created_by)"
		" VALUES (1, 'vip', 'tag:vip', 'x', 'x', 'x');"
		"INSERT INTO segment_snapshots (id, segment_id, taken_at, expr, size, taken_by)"
		" VALUES (1, 1, 'x', 'tag:vip', 2, 'x');"
		"INSERT INTO segment_members VALUES (1, 1), (1, 2);"
		"INSERT INTO contact_rfm VALUES (1, 5, 5, 5, 1, 9, 900, 'champions', 'x')");
}

static char *export_of(void **state, int64_t id)
{
	struct crm_err e = { 0, "" };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	if (crm_privacy_export(store(state), id, fp, &e) != 0)
		fail_msg("export: %s", e.msg);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void has(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("export lacks %s:\n%s", part, text);
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part) != NULL)
		fail_msg("export has %s:\n%s", part, text);
}

/* 1 if the file at path holds the bytes of needle. */
static int file_holds(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[4096];
	size_t n, k = strlen(needle);
	int found = 0;

	if (fp == NULL)
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	fclose(fp);
	for (size_t i = 0; i + k <= b.len && !found; i++)
		found = memcmp(b.data + i, needle, k) == 0;
	crm_buf_free(&b);
	return found;
}

static void erase_committed(void **state, int64_t id)
{
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_store_begin(store(state), &e), 0);
	if (crm_privacy_erase(store(state), id, &e) != 0)
		fail_msg("erase: %s", e.msg);
	assert_int_equal(crm_store_commit(store(state), &e), 0);
}

/* ---- export ---- */

static void privacy__export__contact_details_history_rows(void **state)
{
	char *j;

	person(state);
	j = export_of(state, 1);
	/* one JSON document: who, when, the contact */
	assert_int_equal(strncmp(j, "{\n  \"subject\": 1,\n  \"exported_at\": \"" NOW_TEXT "\",\n"
			 "  \"contact\": [\n    {\"id\":1, \"uid\":\"p-1\", \"first_name\":\"Zelda\","
			 " \"last_name\":\"Quartermaine\", \"email\":\"zelda@secret.example\"", 150), 0);
	assert_int_equal(j[strlen(j) - 1], '\n');
	assert_int_equal(j[strlen(j) - 2], '}');
	has(j, "\"city\":\"Leiden\"");
	has(j, "\"birthdate\":\"1980-02-03\"");
	has(j, "\"email_opt_out\":0");
	/* history, with the values that changed */
	has(j, "\"history\": [\n    {\"id\":");
	has(j, "\"entity\":\"contact\", \"entity_id\":1, \"action\":\"create\"");
	has(j, "\"action\":\"update\", \"field\":\"city\", \"old_value\":\"Utrecht\","
	       " \"new_value\":\"Leiden\"");
	/* every table that points at contacts, by name */
	has(j, "\"contact_fields\": [\n    {\"contact_id\":1, \"name\":\"shoe_size\","
	       " \"value\":\"size-38-secret\"}\n  ]");
	has(j, "\"tag\":\"secret-tag\"");
	has(j, "\"tag\":\"vip\"");
	has(j, "\"email\":\"zq@work.example\", \"type\":\"work\"");
	has(j, "\"phone\":\"+31 6 5550 0202\"");
	has(j, "\"interactions\": [");
	/* strings escaped, numbers bare, NULL as null */
	has(j, "\"subject\":\"secret subject \\\"quoted\\\"\"");
	has(j, "\"body\":\"secret body\\nline 2\"");
	has(j, "\"amount\":1999");
	has(j, "\"subject\":null");
	has(j, "\"segment_members\": [\n    {\"snapshot_id\":1, \"contact_id\":1}\n  ]");
	has(j, "\"contact_rfm\": [\n    {\"contact_id\":1, \"r\":5");
	has(j, "\"contact_clusters\": []");
	has(j, "\"erasures\": []");
	/* and nothing of anyone else */
	lacks(j, "yannick");
	lacks(j, "Yannick");
	lacks(j, "y-key");
	lacks(j, "\"contact_id\":2");
	free(j);
}

static void privacy__export_new_table__included(void **state)
{
	char *j;

	person(state);
	exec_ok(store(state), "CREATE TABLE complaints (id INTEGER PRIMARY KEY, contact_id INTEGER,"
		" title TEXT, score REAL);"
		"INSERT INTO complaints (contact_id, title, score) VALUES (1, 'printer on fire', 0.5),"
		" (2, 'not hers', 1)");
	j = export_of(state, 1);
	has(j, "\"complaints\": [\n    {\"id\":1, \"contact_id\":1, \"title\":\"printer on fire\","
	       " \"score\":0.5}\n  ]");
	lacks(j, "not hers");
	free(j);
}

static void privacy__export_write_error__ioerr(void **state)
{
	struct crm_err e = { 0, "" };
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	person(state);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(crm_privacy_export(store(state), 1, fp, &e), CRM_EX_IOERR);
	assert_string_equal(e.msg, "write error");
	fclose(fp);
}

/* ---- erase ---- */

static void privacy__erase__personal_fields_cleared(void **state)
{
	person(state);
	reopen(state, "dpo", LATER_TEXT);
	erase_committed(state, 1);
	assert_rows(store(state),
		    "SELECT id, uid, first_name, last_name, email, phone, company, title, address,"
		    " city, region, postal_code, country, birthdate, gender, language, source, owner,"
		    " status, preferred_channel, email_opt_out, sms_opt_out, created_at, updated_at,"
		    " erased_at FROM contacts WHERE id = 1",
		    "1|erased-1|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|"
		    "NULL|NULL|former|NULL|1|1|" NOW_TEXT "|" LATER_TEXT "|" LATER_TEXT "\n");
	/* the other contact is untouched */
	assert_rows(store(state), "SELECT uid, first_name, email, erased_at FROM contacts WHERE id = 2",
		    "p-2|Yannick|yannick@example.org|NULL\n");
}

static void privacy__erase__details_and_history_deleted(void **state)
{
	person(state);
	erase_committed(state, 1);
	assert_rows(store(state),
		    "SELECT (SELECT count(*) FROM contact_fields WHERE contact_id = 1),"
		    " (SELECT count(*) FROM contact_tags WHERE contact_id = 1),"
		    " (SELECT count(*) FROM contact_emails WHERE contact_id = 1),"
		    " (SELECT count(*) FROM contact_phones WHERE contact_id = 1),"
		    " (SELECT count(*) FROM history WHERE entity = 'contact' AND entity_id = 1)",
		    "0|0|0|0|0\n");
	/* the other contact keeps its tags and history */
	assert_rows(store(state), "SELECT contact_id, tag FROM contact_tags", "2|vip\n");
	assert_rows(store(state),
		    "SELECT entity_id, action FROM history WHERE entity = 'contact'", "2|create\n");
	/* and its email is free for a new contact */
	{
		struct crm_err e = { 0, "" };
		int64_t id = 0;

		assert_int_equal(crm_contact_resolve(store(state), "zq@work.example", &id, &e),
				 CRM_EX_NOTFOUND);
		assert_int_equal(crm_contact_resolve(store(state), "zelda@secret.example", &id, &e),
				 CRM_EX_NOTFOUND);
	}
}

static void privacy__erase__interactions_kept_without_text(void **state)
{
	person(state);
	erase_committed(state, 1);
	assert_rows(store(state),
		    "SELECT id, contact_id, at, type, subject, body, outcome, ext_key, agent, amount,"
		    " currency FROM interactions ORDER BY id",
		    "1|1|2024-05-01T10:00:00Z|call|NULL|NULL|NULL|NULL|bob|NULL|NULL\n"
		    "2|2|2024-05-02T10:00:00Z|note|yannick note|yannick body|NULL|y-key|bob|NULL|NULL\n"
		    "3|1|2024-05-03T10:00:00Z|purchase|NULL|NULL|NULL|NULL|NULL|1999|EUR\n");
	/* counts in reports stay right: memberships and scores stay */
	assert_rows(store(state), "SELECT count(*) FROM segment_members WHERE contact_id = 1", "1\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_rfm WHERE contact_id = 1", "1\n");
}

static void privacy__erase__recorded_without_data(void **state)
{
	person(state);
	reopen(state, "dpo", LATER_TEXT);
	erase_committed(state, 1);
	assert_rows(store(state), "SELECT id, at, who, contact_id FROM erasures",
		    "1|" LATER_TEXT "|dpo|1\n");
	/* the export after it shows the anonymous row and no more */
	{
		char *j = export_of(state, 1);

		has(j, "\"uid\":\"erased-1\"");
		has(j, "\"history\": []");
		has(j, "\"erasures\": [\n    {\"id\":1, \"at\":\"" LATER_TEXT "\", \"who\":\"dpo\","
		       " \"contact_id\":1}\n  ]");
		lacks(j, "Zelda");
		lacks(j, "secret");
		free(j);
	}
}

/* Every row of contact 1 in the tables erase touches. */
#define ALL_OF_1 \
	"SELECT 'c', * FROM contacts WHERE id = 1" \
	" UNION ALL SELECT 'f', contact_id, name, value, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0, 0 FROM contact_fields WHERE contact_id = 1" \
	" UNION ALL SELECT 't', contact_id, tag, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0 FROM contact_tags WHERE contact_id = 1" \
	" UNION ALL SELECT 'e', contact_id, email, type, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0, 0 FROM contact_emails WHERE contact_id = 1" \
	" UNION ALL SELECT 'p', contact_id, phone, type, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0, 0 FROM contact_phones WHERE contact_id = 1" \
	" UNION ALL SELECT 'h', id, action, field, old_value, new_value, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM history WHERE entity_id = 1" \
	" UNION ALL SELECT 'i', id, subject, body, outcome, ext_key, 0, 0, 0, 0, 0, 0, 0, 0, 0," \
	"  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM interactions WHERE contact_id = 1"

static void privacy__erase_table_without_rule__software_nothing_erased(void **state)
{
	struct crm_err e = { 0, "" };
	char *before;

	person(state);
	exec_ok(store(state), "CREATE TABLE complaints (id INTEGER PRIMARY KEY,"
		" contact_id INTEGER REFERENCES contacts(id), title TEXT);"
		"INSERT INTO complaints (contact_id, title) VALUES (1, 'her complaint')");
	before = q_rows(store(state), ALL_OF_1);
	assert_int_equal(crm_store_begin(store(state), &e), 0);
	assert_int_equal(crm_privacy_erase(store(state), 1, &e), CRM_EX_SOFTWARE);
	assert_int_equal(e.code, CRM_EX_SOFTWARE);
	assert_string_equal(e.msg, "erase: no rule for table \"complaints\": nothing erased");
	/* the caller rolls back: everything is still there */
	crm_store_rollback(store(state));
	assert_rows(store(state), "SELECT uid, first_name, erased_at FROM contacts WHERE id = 1",
		    "p-1|Zelda|NULL\n");
	assert_rows(store(state), ALL_OF_1, before);
	assert_rows(store(state), "SELECT count(*) FROM erasures", "0\n");
	free(before);
	assert_rows(store(state), "SELECT title FROM complaints", "her complaint\n");
}

static void privacy__erase_then_checkpoint__no_copy_left(void **state)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };
	static const char *const secrets[] = {
		"zelda@secret.example", "zq@work.example", "Quartermaine", "Hidden Corp",
		"1 Secret Lane", "size-38-secret", "secret-tag", "secret subject",
		"secret body", "secret outcome", "secret-key-1", "Spymaster", NULL
	};
	char wal[160];
	struct stat st;

	person(state);
	assert_rows(store(state), "PRAGMA secure_delete", "1\n");
	/* everything in the database file first */
	assert_int_equal(crm_privacy_checkpoint(store(state), &e), 0);
	for (size_t i = 0; secrets[i] != NULL; i++)
		if (!file_holds(f->path, secrets[i]))
			fail_msg("setup: \"%s\" not in the database", secrets[i]);
	erase_committed(state, 1);
	assert_int_equal(crm_privacy_checkpoint(store(state), &e), 0);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_true(stat(wal, &st) != 0 || st.st_size == 0);
	for (size_t i = 0; secrets[i] != NULL; i++)
		if (file_holds(f->path, secrets[i]))
			fail_msg("\"%s\" is still in the database file", secrets[i]);
	/* what is not hers stays */
	assert_true(file_holds(f->path, "yannick@example.org"));
}

static void privacy__checkpoint_with_reader__tempfail(void **state)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };
	sqlite3 *reader = NULL;
	sqlite3_stmt *st = NULL;

	person(state);
	assert_int_equal(sqlite3_open(f->path, &reader), SQLITE_OK);
	/* a read transaction that sees the WAL as it is now */
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT * FROM contacts", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	erase_committed(state, 1);
	assert_int_equal(crm_privacy_checkpoint(store(state), &e), CRM_EX_TEMPFAIL);
	assert_int_equal(e.code, CRM_EX_TEMPFAIL);
	assert_string_equal(e.msg,
			    "another program is reading the store, so old copies may stay in its -wal file: run erase again later");
	sqlite3_finalize(st);
	sqlite3_close(reader);
	assert_int_equal(crm_privacy_checkpoint(store(state), &e), 0);
}

static void privacy__merged_contact__history_exported_and_erased(void **state)
{
	struct crm_err e = { 0, "" };
	int taken;
	char *j;

	person(state);
	/* contact 3, the same person under an old address, merged into 1 */
	create(state, "first_name", "Zelda", "email", "zelda.old@secret.example", NULL);
	assert_int_equal(crm_contact_merge(store(state), 1, 3, &taken, &e), 0);
	j = export_of(state, 1);
	has(j, "\"entity_id\":3, \"action\":\"create\"");
	has(j, "\"action\":\"merged\"");
	has(j, "zelda.old@secret.example");
	lacks(j, "\"entity_id\":2");
	free(j);
	erase_committed(state, 1);
	assert_rows(store(state), "SELECT entity_id, action FROM history ORDER BY id", "2|create\n");
}

static void privacy__erase_imported__taken_out_of_its_range(void **state)
{
	/* contacts 1-4 as an import makes them: one history row, one range */
	for (int i = 0; i < 4; i++)
		create(state, "first_name", "Imp", NULL);
	exec_ok(store(state), "DELETE FROM history;"
		"INSERT INTO history (id, at, who, entity, entity_id, action)"
		" VALUES (7, '" NOW_TEXT "', 'ann', 'import', 0, 'import');"
		"INSERT INTO history_imports VALUES (1, 4, 7);");
	erase_committed(state, 2);
	assert_rows(store(state), "SELECT * FROM history_imports ORDER BY 1", "1|1|7\n3|4|7\n");
	erase_committed(state, 1);
	assert_rows(store(state), "SELECT * FROM history_imports ORDER BY 1", "3|4|7\n");
	erase_committed(state, 4);
	assert_rows(store(state), "SELECT * FROM history_imports ORDER BY 1", "3|3|7\n");
	erase_committed(state, 3);
	assert_rows(store(state), "SELECT count(*) FROM history_imports", "0\n");
	/* the import's own row names no contact and stays */
	assert_rows(store(state), "SELECT id, entity FROM history", "7|import\n");
}

static void privacy__merge_chain__history_of_all_exported_and_erased(void **state)
{
	struct crm_err e = { 0, "" };
	int taken;
	char *j;

	person(state);
	/* 3 merged into 4, then 4 into 1: both are the person's */
	create(state, "first_name", "Zelda", "email", "zelda.three@secret.example", NULL);
	create(state, "first_name", "Zelda", "email", "zelda.four@secret.example", NULL);
	assert_int_equal(crm_contact_merge(store(state), 4, 3, &taken, &e), 0);
	assert_int_equal(crm_contact_merge(store(state), 1, 4, &taken, &e), 0);
	/* the merges as data: 3's row moved to 1 with 4's merge, into_id kept */
	assert_rows(store(state),
		    "SELECT contact_id, merged_id, into_id, last_history_id = (SELECT max(id)"
		    " FROM history h WHERE h.entity_id = m.merged_id AND h.action = 'merged')"
		    " FROM contact_merges m ORDER BY id",
		    "1|3|4|1\n1|4|1|1\n");
	j = export_of(state, 1);
	has(j, "\"entity_id\":3, \"action\":\"create\"");
	has(j, "\"entity_id\":4, \"action\":\"create\"");
	has(j, "zelda.three@secret.example");
	has(j, "\"contact_merges\": [\n    {\"id\":1, \"contact_id\":1, \"merged_id\":3,"
	       " \"into_id\":4");
	lacks(j, "\"entity_id\":2");
	free(j);
	erase_committed(state, 1);
	assert_rows(store(state), "SELECT entity_id, action FROM history ORDER BY id", "2|create\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_merges", "0\n");
}

/* Every statement export and erase run, as SQLite saw it: recorded by a
 * trace on the connection while they run, so the list is the code's own. */
struct traced {
	char **sql;
	size_t n;
};

static int trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	struct traced *t = ctx;
	const char *sql = sqlite3_sql(p);

	(void)x;
	if (type != SQLITE_TRACE_STMT || sql == NULL)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->sql[i], sql) == 0)
			return 0;
	t->sql = realloc(t->sql, (t->n + 1) * sizeof(*t->sql));
	assert_non_null(t->sql);
	t->sql[t->n++] = strdup(sql);
	return 0;
}

/* The lines of sql's query plan that scan a table, "" when none: a SCAN,
 * or a SEARCH of history by entity alone (every contact's rows, a scan by
 * another name, as the recursive walk of merge notes did). Only the
 * schema query that lists the tables with a contact_id may scan (what it
 * scans is sqlite_master, not a per-subject table). */
static char *scans_of(sqlite3 *d, const char *sql)
{
	struct crm_buf b = CRM_BUF_INIT, eqp = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;

	/* the catalog (the store's introspection), not data */
	if (strstr(sql, "FROM sqlite_master") != NULL || strstr(sql, "FROM pragma_table_info") != NULL)
		return strdup("");
	crm_buf_addf(&eqp, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(d, crm_buf_str(&eqp), -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", crm_buf_str(&eqp), sqlite3_errmsg(d));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);

		/* Erase deletes every record of an unfinished import (0009:
		 * they keep rejected rows' cells): all rows of a table of a
		 * few, whatever the size of the store, not a search. */
		if (strcmp(sql, "DELETE FROM import_resume") == 0 &&
		    strcmp(detail, "SCAN import_resume") == 0)
			continue;
		if (strncmp(detail, "SCAN ", 5) == 0 || strstr(detail, "(entity=?)") != NULL)
			crm_buf_addf(&b, "%s; ", detail);
	}
	sqlite3_finalize(st);
	crm_buf_free(&eqp);
	crm_buf_addc(&b, '\0');
	return crm_buf_detach(&b);
}

static void privacy__every_statement__uses_an_index(void **state)
{
	struct traced t = { NULL, 0 };
	struct crm_err e = { 0, "" };
	int taken, history = 0, interactions = 0, merges = 0, members = 0;
	char *j;

	person(state);
	create(state, "first_name", "Zelda", "email", "zelda.three@secret.example", NULL);
	create(state, "first_name", "Zelda", "email", "zelda.four@secret.example", NULL);
	assert_int_equal(crm_contact_merge(store(state), 4, 3, &taken, &e), 0);
	assert_int_equal(crm_contact_merge(store(state), 1, 4, &taken, &e), 0);
	assert_int_equal(sqlite3_trace_v2(db(state), SQLITE_TRACE_STMT, trace_stmt, &t), SQLITE_OK);
	j = export_of(state, 1);
	free(j);
	erase_committed(state, 1);
	sqlite3_trace_v2(db(state), 0, NULL, NULL);
	for (size_t i = 0; i < t.n; i++) {
		char *scans = scans_of(db(state), t.sql[i]);

		if (scans[0] != '\0')
			fail_msg("%s: %s", t.sql[i], scans);
		free(scans);
		history += strstr(t.sql[i], "FROM history") != NULL;
		interactions += strstr(t.sql[i], "interactions") != NULL;
		merges += strstr(t.sql[i], "contact_merges") != NULL;
		members += strstr(t.sql[i], "segment_members") != NULL;
	}
	/* the trace saw the statements that matter: the history ones of export
	 * and erase, every contact table of export, the rules of erase */
	assert_true(history >= 3);
	assert_true(interactions >= 2);
	assert_true(merges >= 3);
	assert_true(members >= 1);
	for (size_t i = 0; i < t.n; i++)
		free(t.sql[i]);
	free(t.sql);
}

/* Built by the migrations of lib/sql, compiled into libcrm. */
extern const char *const crm_migrations[];
extern const size_t crm_migration_count;

static void privacy__store_merged_before_0005__merges_backfilled(void **state)
{
	struct fixture_store *f = *state;
	char path[160];
	sqlite3 *old = NULL;
	struct crm_store *s = NULL;
	struct crm_err e = { 0, "" };

	/* a store of schema version 4, as merge left it: 3 into 4 (history
	 * 11), 4 into 1 (history 21), 5 into 6 (31) and 6 removed since, 7 into
	 * 8 and 9 into 8 (41, 51); text notes only */
	snprintf(path, sizeof(path), "%s/v4.db", f->dir);
	assert_int_equal(sqlite3_open(path, &old), SQLITE_OK);
	for (size_t i = 0; i < 4; i++)
		raw_exec_ok(old, crm_migrations[i]);
	raw_exec_ok(old, "PRAGMA user_version = 4;"
		"INSERT INTO contacts (id, uid, created_at, updated_at) VALUES"
		" (1, 'u1', 'x', 'x'), (2, 'u2', 'x', 'x'), (8, 'u8', 'x', 'x');"
		"INSERT INTO history (id, at, who, entity, entity_id, action, note) VALUES"
		" (5, 'a', 'w', 'contact', 3, 'create', NULL),"
		" (10, 'b', 'w', 'contact', 4, 'merge', 'merged from contact 3'),"
		" (11, 'b', 'w', 'contact', 3, 'merged', 'merged into contact 4'),"
		" (20, 'c', 'w', 'contact', 1, 'merge', 'merged from contact 4'),"
		" (21, 'c', 'w', 'contact', 4, 'merged', 'merged into contact 1'),"
		" (31, 'd', 'w', 'contact', 5, 'merged', 'merged into contact 6'),"
		" (41, 'e', 'w', 'contact', 7, 'merged', 'merged into contact 8'),"
		" (51, 'f', 'w', 'contact', 9, 'merged', 'merged into contact 8'),"
		" (60, 'g', 'w', 'contact', 2, 'update', 'merged into contact 1')");
	sqlite3_close(old);
	assert_int_equal(crm_store_open(path, "tester", &s, &e), 0);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	assert_rows(s,
		    "SELECT contact_id, merged_id, into_id, last_history_id, at FROM contact_merges"
		    " ORDER BY id",
		    "1|3|4|11|b\n1|4|1|21|c\n8|7|8|41|e\n8|9|8|51|f\n");
	crm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(privacy__export__contact_details_history_rows, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__export_new_table__included, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__export_write_error__ioerr, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase__personal_fields_cleared, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase__details_and_history_deleted, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase__interactions_kept_without_text, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase__recorded_without_data, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase_table_without_rule__software_nothing_erased, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase_then_checkpoint__no_copy_left, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__checkpoint_with_reader__tempfail, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__merged_contact__history_exported_and_erased, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__erase_imported__taken_out_of_its_range, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__merge_chain__history_of_all_exported_and_erased, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__every_statement__uses_an_index, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(privacy__store_merged_before_0005__merges_backfilled, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("privacy", tests, NULL, NULL);
}
