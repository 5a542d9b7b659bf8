/* test_merge.c - unit tests for lib/merge.c: merging a duplicate contact
 * into another (fields, opt-outs, created_at, emails, phones, tags,
 * custom fields, rows of other tables, scores, history) and the list of
 * tables that point at contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "contact/contact_key.h"
#include "base/dates.h"
#include "base/err.h"
#include "contact/contact_tables.h"
#include "contact/merge.h"
#include "store/store.h"
#include "fixture.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "merge", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

/* ---- helpers ---- */

/* Creates a contact from name=value pairs: standard or custom fields,
 * "tags", "emails" and "phones" (other ones, "x (work); y"). */
static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

static int merge_ok(void **state, int64_t keep, int64_t other)
{
	struct crm_err e = { 0, "" };
	int taken = -1;

	if (crm_contact_merge(store(state), keep, other, &taken, &e) != 0)
		fail_msg("merge %lld into %lld: %s", (long long)other, (long long)keep, e.msg);
	return taken;
}

/* KEEP (1) and OTHER (2), the classic pair of duplicates. */
static void pair(void **state)
{
	create(state, "uid", "keep-1", "first_name", "Ann", "email", "ann@example.org",
	       "phone", "+31 20 123 4567", "city", "Amsterdam", "status", "customer",
	       "tags", "vip", "shoe_size", "38", NULL);
	create(state, "uid", "other-2", "first_name", "Anna", "last_name", "Smith",
	       "email", "anna.smith@example.com", "emails", "as@work.example (work)",
	       "phone", "+31 6 1234 5678", "company", "Acme", "city", "Rotterdam",
	       "title", "CTO", "status", "lead", "email_opt_out", "yes",
	       "tags", "vip;newsletter", "shoe_size", "40", "colour", "red", NULL);
	/* KEEP was created after OTHER */
	exec_ok(store(state), "UPDATE contacts SET created_at = '2024-03-01T00:00:00Z' WHERE id = 1");
	exec_ok(store(state), "UPDATE contacts SET created_at = '2023-01-01T00:00:00Z' WHERE id = 2");
}

/* ---- tables ---- */

static int collect(void *ctx, const char *table, struct crm_err *e)
{
	(void)e;
	crm_buf_addf(ctx, "%s ", table);
	return 0;
}

static int stop_at_interactions(void *ctx, const char *table, struct crm_err *e)
{
	crm_buf_addf(ctx, "%s ", table);
	if (strcmp(table, "interactions") == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "stop");
	return 0;
}

static void merge__contact_tables__every_table_with_contact_id(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_contact_tables(store(state), collect, &b, &e), 0);
	assert_string_equal(crm_buf_str(&b),
			    "contact_clusters contact_emails contact_fields contact_merges contact_phones contact_rfm"
			    " contact_tags erasures interaction_attrs interaction_lines interactions"
			    " lead_events lead_fields lead_tags leads"
			    " segment_members ticket_events ticket_messages tickets ");
	/* a table a later program adds is listed too */
	exec_ok(store(state), "CREATE TABLE complaints (id INTEGER PRIMARY KEY, contact_id INTEGER)");
	crm_buf_reset(&b);
	assert_int_equal(crm_contact_tables(store(state), collect, &b, &e), 0);
	assert_non_null(strstr(crm_buf_str(&b), "complaints contact_clusters "));
	/* fn's error stops the walk and is returned */
	crm_buf_reset(&b);
	assert_int_equal(crm_contact_tables(store(state), stop_at_interactions, &b, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "stop");
	assert_string_equal(crm_buf_str(&b),
			    "complaints contact_clusters contact_emails contact_fields contact_merges"
			    " contact_phones contact_rfm contact_tags erasures interaction_attrs"
			    " interaction_lines interactions ");
	crm_buf_free(&b);
}

static void merge__contact_tables_unsafe_name__software(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };

	exec_ok(store(state), "CREATE TABLE \"odd name\" (contact_id INTEGER)");
	assert_int_equal(crm_contact_tables(store(state), collect, &b, &e), CRM_EX_SOFTWARE);
	assert_string_equal(e.msg, "unexpected table name \"odd name\"");
	crm_buf_free(&b);
}

/* ---- merge ---- */

static void merge__into_itself__usage(void **state)
{
	struct crm_err e = { 0, "" };
	int taken = -1;

	pair(state);
	assert_int_equal(crm_contact_merge(store(state), 1, 1, &taken, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "cannot merge contact 1 into itself");
	assert_int_equal(taken, 0);
	assert_rows(store(state), "SELECT count(*) FROM contacts", "2\n");
}

static void merge__unknown_or_erased__notfound(void **state)
{
	struct crm_err e = { 0, "" };
	int taken;

	pair(state);
	assert_int_equal(crm_contact_merge(store(state), 1, 99, &taken, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"99\"");
	assert_int_equal(crm_contact_merge(store(state), 99, 1, &taken, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"99\"");
	exec_ok(store(state), "UPDATE contacts SET erased_at = '2024-01-01T00:00:00Z' WHERE id = 2");
	assert_int_equal(crm_contact_merge(store(state), 1, 2, &taken, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"2\"");
	assert_rows(store(state), "SELECT count(*) FROM contacts", "2\n");
	assert_rows(store(state), "SELECT count(*) FROM history WHERE action LIKE 'merge%'", "0\n");
}

static void merge__fields__empty_filled_keep_wins(void **state)
{
	int taken;

	pair(state);
	taken = merge_ok(state, 1, 2);
	/* last_name, company, title, email_opt_out and created_at are taken */
	assert_int_equal(taken, 5);
	assert_rows(store(state),
		    "SELECT id, uid, first_name, last_name, company, title, city, status,"
		    " email_opt_out, sms_opt_out, created_at, updated_at FROM contacts",
		    "1|keep-1|Ann|Smith|Acme|CTO|Amsterdam|customer|1|0|2023-01-01T00:00:00Z|"
		    NOW_TEXT "\n");
}

static void merge__opt_outs__sticky_both_ways(void **state)
{
	pair(state);
	/* KEEP opted out of sms, OTHER not: KEEP's stays */
	exec_ok(store(state), "UPDATE contacts SET sms_opt_out = 1, email_opt_out = 0 WHERE id = 1");
	exec_ok(store(state), "UPDATE contacts SET sms_opt_out = 0, email_opt_out = 1 WHERE id = 2");
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT email_opt_out, sms_opt_out FROM contacts", "1|1\n");
}

static void merge__created_at__earlier_kept(void **state)
{
	pair(state);
	/* KEEP older this time: nothing to take */
	exec_ok(store(state), "UPDATE contacts SET created_at = '2020-05-05T00:00:00Z' WHERE id = 1");
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT created_at FROM contacts", "2020-05-05T00:00:00Z\n");
	assert_rows(store(state), "SELECT count(*) FROM history WHERE field = 'created_at'", "0\n");
}

static void merge__emails_phones__united(void **state)
{
	pair(state);
	merge_ok(state, 1, 2);
	/* KEEP's primary ones stay; OTHER's become its other ones */
	assert_rows(store(state), "SELECT email, phone FROM contacts",
		    "ann@example.org|+31 20 123 4567\n");
	assert_rows(store(state), "SELECT contact_id, email, type FROM contact_emails ORDER BY email",
		    "1|anna.smith@example.com|NULL\n1|as@work.example|work\n");
	assert_rows(store(state), "SELECT contact_id, phone FROM contact_phones ORDER BY phone",
		    "1|+31 6 1234 5678\n");
	/* and the contact is found by any of them */
	{
		struct crm_err e = { 0, "" };
		int64_t id = 0;

		assert_int_equal(crm_contact_resolve(store(state), "as@work.example", &id, &e), 0);
		assert_int_equal(id, 1);
		assert_int_equal(crm_contact_resolve(store(state), "anna.smith@example.com", &id, &e), 0);
		assert_int_equal(id, 1);
	}
}

static void merge__keep_without_email__takes_primary(void **state)
{
	create(state, "first_name", "Bo", NULL);
	create(state, "email", "bo@example.org", "emails", "b2@example.org (home)",
	       "phone", "+44 20 7946 0000", NULL);
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT email, phone FROM contacts", "bo@example.org|+44 20 7946 0000\n");
	assert_rows(store(state), "SELECT contact_id, email, type FROM contact_emails",
		    "1|b2@example.org|home\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_phones", "0\n");
}

static void merge__same_phone__kept_once_with_keep_type(void **state)
{
	struct crm_err e = { 0, "" };

	create(state, "first_name", "Cy", "phone", "+31 20 111 1111", NULL);
	assert_int_equal(crm_contact_add_phone(store(state), 1, "+31 6 2222 2222", "work", 0, NULL, &e),
			 0);
	/* OTHER's primary phone is one KEEP has among its others, typed */
	create(state, "first_name", "Cy", "phone", "+31 6 2222 2222", NULL);
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT phone FROM contacts WHERE id = 1", "+31 20 111 1111\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_phones", "1\n");
	/* Was a bug: move_details() re-added the number and its ON CONFLICT
	 * overwrote KEEP's type with OTHER's. */
	/* KEEP's values win: the number stays once, and keeps its type */
	assert_rows(store(state), "SELECT contact_id, phone, type FROM contact_phones",
		    "1|+31 6 2222 2222|work\n");
}

static void merge__national_phone__keeps_e164(void **state)
{
	struct crm_err e = { 0, "" };

	create(state, "first_name", "Di", NULL);
	create(state, "first_name", "Di", "phone", "+31 20 111 1111", NULL);
	/* added as crm-contact phone add --region NL does */
	assert_int_equal(crm_contact_add_phone(store(state), 2, "020 333 4444", "home", 0, "NL", &e),
			 0);
	assert_rows(store(state), "SELECT phone, e164, type FROM contact_phones",
		    "020 333 4444|+31203334444|home\n");
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT phone FROM contacts WHERE id = 1", "+31 20 111 1111\n");
	/* Was a bug: the E.164 form, made with a region when the phone was
	 * added, was recomputed without one and lost. */
	assert_rows(store(state), "SELECT contact_id, phone, e164, type FROM contact_phones",
		    "1|020 333 4444|+31203334444|home\n");
}

static void merge__tags_custom__united_keep_wins(void **state)
{
	pair(state);
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT contact_id, tag FROM contact_tags ORDER BY tag",
		    "1|newsletter\n1|vip\n");
	assert_rows(store(state), "SELECT contact_id, name, value FROM contact_fields ORDER BY name",
		    "1|colour|red\n1|shoe_size|38\n");
}

static void merge__other_rows__repointed(void **state)
{
	pair(state);
	exec_ok(store(state),
		"INSERT INTO interactions (contact_id, at, type, subject, created_at) VALUES"
		" (2, '2024-01-01T00:00:00Z', 'note', 'from other', '" NOW_TEXT "'),"
		" (1, '2024-02-01T00:00:00Z', 'note', 'from keep', '" NOW_TEXT "'),"
		" (2, '2024-03-01T00:00:00Z', 'note', 'other again', '" NOW_TEXT "')");
	/* a snapshot with both (the pair cannot both stay) and one with OTHER */
	exec_ok(store(state),
		"INSERT INTO segments (id, name, expr, created_at, updated_at, created_by)"
		" VALUES (1, 's', 'tag:vip', 'x', 'x', 'x');"
		"INSERT INTO segment_snapshots (id, segment_id, taken_at, expr, size, taken_by)"
		" VALUES (1, 1, 'x', 'tag:vip', 2, 'x'), (2, 1, 'x', 'tag:vip', 1, 'x');"
		"INSERT INTO segment_members VALUES (1, 1), (1, 2), (2, 2)");
	/* a table a later program adds */
	exec_ok(store(state),
		"CREATE TABLE complaints (id INTEGER PRIMARY KEY,"
		" contact_id INTEGER REFERENCES contacts(id), title TEXT);"
		"INSERT INTO complaints (contact_id, title) VALUES (2, 'broken'), (1, 'slow')");
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT id, contact_id, subject FROM interactions ORDER BY id",
		    "1|1|from other\n2|1|from keep\n3|1|other again\n");
	assert_rows(store(state), "SELECT snapshot_id, contact_id FROM segment_members ORDER BY 1, 2",
		    "1|1\n2|1\n");
	assert_rows(store(state), "SELECT contact_id, title FROM complaints ORDER BY id",
		    "1|broken\n1|slow\n");
	assert_rows(store(state), "SELECT count(*) FROM interactions WHERE contact_id = 2", "0\n");
}

static void merge__scores__other_dropped(void **state)
{
	pair(state);
	exec_ok(store(state),
		"INSERT INTO contact_rfm VALUES (1, 5, 5, 5, 1, 9, 900, 'champions', 'x'),"
		" (2, 1, 1, 1, 300, 1, 10, 'lost', 'x');"
		"INSERT INTO contact_clusters VALUES (1, 0), (2, 3)");
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT contact_id, segment FROM contact_rfm", "1|champions\n");
	assert_rows(store(state), "SELECT contact_id, cluster FROM contact_clusters", "1|0\n");
}

static void merge__history__notes_each_value(void **state)
{
	pair(state);
	exec_ok(store(state), "DELETE FROM history");
	merge_ok(state, 1, 2);
	assert_rows(store(state),
		    "SELECT entity_id, action, field, old_value, new_value, note, who, at FROM history"
		    " WHERE note IS NOT NULL ORDER BY id",
		    "1|merge|last_name|NULL|Smith|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|company|NULL|Acme|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|title|NULL|CTO|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|email_opt_out|0|1|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|created_at|2024-03-01T00:00:00Z|2023-01-01T00:00:00Z|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|emails|NULL|anna.smith@example.com|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|emails|NULL|as@work.example|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|phones|NULL|+31 6 1234 5678|merged from contact 2|tester|" NOW_TEXT "\n"
		    "1|merge|NULL|NULL|NULL|merged from contact 2|tester|" NOW_TEXT "\n"
		    "2|merged|NULL|NULL|NULL|merged into contact 1|tester|" NOW_TEXT "\n");
}

static void merge__record__written_and_repointed_by_later_merge(void **state)
{
	pair(state);
	create(state, "uid", "third-3", "first_name", "Annie", NULL);
	merge_ok(state, 1, 2);
	/* the merge as data, bounded by OTHER's "merged" note */
	assert_rows(store(state),
		    "SELECT m.contact_id, m.merged_id, m.into_id, h.action, h.note, m.at"
		    " FROM contact_merges m JOIN history h ON h.id = m.last_history_id",
		    "1|2|1|merged|merged into contact 1|" NOW_TEXT "\n");
	/* KEEP merged on: its row and the one it holds belong to 3 now */
	merge_ok(state, 3, 1);
	assert_rows(store(state),
		    "SELECT contact_id, merged_id, into_id, last_history_id = (SELECT max(id)"
		    " FROM history h WHERE h.entity_id = m.merged_id) FROM contact_merges m ORDER BY id",
		    "3|2|1|1\n3|1|3|1\n");
}

static void merge__other__gone_with_its_details(void **state)
{
	pair(state);
	merge_ok(state, 1, 2);
	assert_rows(store(state), "SELECT id, uid FROM contacts", "1|keep-1\n");
	assert_rows(store(state),
		    "SELECT (SELECT count(*) FROM contact_tags WHERE contact_id = 2),"
		    " (SELECT count(*) FROM contact_fields WHERE contact_id = 2),"
		    " (SELECT count(*) FROM contact_emails WHERE contact_id = 2),"
		    " (SELECT count(*) FROM contact_phones WHERE contact_id = 2)",
		    "0|0|0|0\n");
	/* OTHER's uid is free again */
	{
		struct crm_err e = { 0, "" };
		int64_t id = 0;

		assert_int_equal(crm_contact_resolve(store(state), "other-2", &id, &e), CRM_EX_NOTFOUND);
	}
}

static void merge__in_transaction__rolled_back_whole(void **state)
{
	struct crm_err e = { 0, "" };
	int taken;

	pair(state);
	assert_int_equal(crm_store_begin(store(state), &e), 0);
	assert_int_equal(crm_contact_merge(store(state), 1, 2, &taken, &e), 0);
	crm_store_rollback(store(state));
	assert_rows(store(state), "SELECT id, last_name FROM contacts ORDER BY id", "1|NULL\n2|Smith\n");
	assert_rows(store(state), "SELECT count(*) FROM history WHERE note IS NOT NULL", "0\n");
}

static void merge__key_field__moved_to_keep(void **state)
{
	struct crm_contact_key k;
	struct crm_err e = { 0, "" };
	int64_t keep = create(state, "email", "keep@example.org", "shoe", "40", NULL);
	int64_t other = create(state, "email", "other@example.org", "customer_id", "17850",
			       "shoe", "41", NULL);

	assert_int_equal(crm_contact_key_parse("field.customer_id", &k, &e), 0);
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), 0);
	merge_ok(state, keep, other);
	/* the key's value is unique, so it can only be moved, and keep's own
	 * fields still win */
	assert_rows(store(state), "SELECT contact_id, name, value FROM contact_fields ORDER BY name",
		    "1|customer_id|17850\n1|shoe|40\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(merge__contact_tables__every_table_with_contact_id, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__contact_tables_unsafe_name__software, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__into_itself__usage, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__key_field__moved_to_keep, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__unknown_or_erased__notfound, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__fields__empty_filled_keep_wins, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__opt_outs__sticky_both_ways, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__created_at__earlier_kept, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__emails_phones__united, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__keep_without_email__takes_primary, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__same_phone__kept_once_with_keep_type, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__national_phone__keeps_e164, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__tags_custom__united_keep_wins, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__other_rows__repointed, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__scores__other_dropped, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__history__notes_each_value, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__record__written_and_repointed_by_later_merge, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__other__gone_with_its_details, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(merge__in_transaction__rolled_back_whole, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
