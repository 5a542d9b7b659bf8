/* test_contact_tables.c - unit tests for lib/contact/contact_tables.c and
 * the rows every domain registers (store/domain.h): each table of a fresh
 * store that names a contact has an erase and merge rule, so a migration
 * that adds one without a rule fails here; each registered row names
 * tables and columns the schema has. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "contact/contact_tables.h"
#include "store/domain.h"
#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	return fixture_setup(state, "contact-tables", "2024-06-15T12:00:00Z");
}

/* 1 if the store's table has the column. */
static int has_column(struct crm_store *d, const char *table, const char *column)
{
	struct crm_stmt *st = q_prepare(d, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
	int found;

	crm_bind_text_ref(st, 1, table);
	crm_bind_text_ref(st, 2, column);
	found = crm_store_step(d, st, NULL) == CRM_ROW;
	crm_stmt_free(st);
	return found;
}

/* The tables of the store that name a contact, each followed by a space,
 * that no domain registers as it should: a contact_id column or a foreign
 * key to contacts needs a row with its own contact column; a foreign key
 * to a registered table (interaction_lines to interactions) needs a row,
 * its own or one that hangs off that table. Returns text to free(). */
static char *unregistered(struct crm_store *d)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_stmt *st;
	char last[128] = "";

	/* a row for each foreign key: a table's rows come together */
	st = q_prepare(d,
		"SELECT m.name, p.name = 'contact_id', f.\"table\" FROM sqlite_master m"
		" LEFT JOIN pragma_table_info(m.name) p ON p.name = 'contact_id'"
		" LEFT JOIN pragma_foreign_key_list(m.name) f ON 1"
		" WHERE m.type = 'table' AND m.name <> 'contacts' AND m.name NOT LIKE 'sqlite_%'"
		" ORDER BY m.name");
	while (crm_store_step(d, st, NULL) == CRM_ROW) {
		const char *name = crm_column_text(st, 0);
		int contact_id = crm_column_int(st, 1);
		const char *ref = crm_column_text(st, 2);
		const struct crm_contact_table *t = crm_contact_table_find(name);
		int needs = contact_id || (ref != NULL && strcmp(ref, "contacts") == 0);
		int child = ref != NULL && crm_contact_table_find(ref) != NULL;
		int bad = 0;

		/* a table hanging off a contact's table is a contact's table
		 * too: it carries contact_id (store/domain.h) */
		if (needs)
			bad = t == NULL;
		else if (child)
			bad = 1;
		if (bad && strcmp(last, name) != 0) {
			crm_buf_addf(&b, "%s ", name);
			snprintf(last, sizeof(last), "%s", name);
		}
	}
	crm_stmt_free(st);
	crm_buf_addc(&b, '\0');
	return crm_buf_detach(&b);
}

static void contact_tables__fresh_store__every_table_naming_a_contact_registered(void **state)
{
	char *missing = unregistered(store(state));

	if (missing[0] != '\0')
		fail_msg("tables naming a contact with no erase and merge rule in any lib/*/domain.c: %s",
			 missing);
	free(missing);
}

static void contact_tables__table_added_without_rule__found(void **state)
{
	char *missing;

	/* the check can fail: a program's table by contact_id, one by a
	 * foreign key alone, one hanging off interactions */
	exec_ok(store(state), "CREATE TABLE complaints (id INTEGER PRIMARY KEY, contact_id INTEGER);"
		"CREATE TABLE deals (id INTEGER PRIMARY KEY, buyer INTEGER REFERENCES contacts(id));"
		"CREATE TABLE interaction_notes (interaction_id INTEGER REFERENCES interactions(id),"
		" note TEXT)");
	missing = unregistered(store(state));
	assert_string_equal(missing, "complaints deals interaction_notes ");
	free(missing);
}

/* Every registered row names what the schema has, and once. */
static void contact_tables__registry__names_tables_and_columns_of_the_schema(void **state)
{
	struct crm_store *d = store(state);
	size_t rows = 0;

	for (size_t k = 0; crm_domains[k] != NULL; k++) {
		for (size_t i = 0; i < crm_domains[k]->ntables; i++) {
			const struct crm_contact_table *t = &crm_domains[k]->tables[i];

			rows++;
			if (crm_contact_table_find(t->table) != t)
				fail_msg("%s: registered twice", t->table);
			if (t->contact == NULL || !has_column(d, t->table, t->contact))
				fail_msg("%s: no contact column %s", t->table,
					 t->contact != NULL ? t->contact : "(none)");
			if ((t->erase == CRM_ERASE_CLEAR) != (t->personal != NULL))
				fail_msg("%s: personal columns are for CRM_ERASE_CLEAR alone", t->table);
			for (size_t c = 0; t->personal != NULL && t->personal[c] != NULL; c++)
				if (!has_column(d, t->table, t->personal[c]))
					fail_msg("%s: no personal column %s", t->table, t->personal[c]);
			if (t->personal != NULL && t->personal[0] == NULL)
				fail_msg("%s: no personal columns to clear", t->table);
		}
	}
	/* contact, log and segment register theirs */
	assert_true(rows >= 12);
	assert_non_null(crm_contact_table_find("interaction_lines"));
	assert_null(crm_contact_table_find("contacts"));
	assert_null(crm_contact_table_find("history"));
}

static int collect(void *ctx, const struct crm_contact_table *t, struct crm_err *e)
{
	crm_buf_addf(ctx, "%s ", t->table);
	if (strcmp(t->table, "interactions") == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "stop");
	return 0;
}

static void contact_tables__each__domain_order_stops_on_error(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_contact_tables_each(collect, &b, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "stop");
	assert_string_equal(crm_buf_str(&b), "contact_fields contact_tags contact_emails"
			    " contact_phones contact_merges erasures interactions ");
	crm_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(contact_tables__fresh_store__every_table_naming_a_contact_registered, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_tables__table_added_without_rule__found, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_tables__registry__names_tables_and_columns_of_the_schema, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_tables__each__domain_order_stops_on_error, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("contact_tables", tests, NULL, NULL);
}
