/* test_admin.c - unit tests for lib/store/admin.c and admin_copy.c: the
 * check, the checksum, the copy's order and refusals, the backup's file. */
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

#include "base/err.h"
#include "store/admin.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "admin", NOW_TEXT);
}

static int teardown(void **state)
{
	return fixture_teardown(state);
}

/* What the callbacks saw. */
struct seen {
	char tables[64][64];
	int64_t rows[64];
	int ntables;
	int problems;
	char problem[512];
};

static void on_problem(void *ctx, const char *text)
{
	struct seen *s = ctx;

	s->problems++;
	snprintf(s->problem, sizeof(s->problem), "%s", text);
}

static void on_table(void *ctx, const char *table, int64_t rows, uint64_t sum)
{
	struct seen *s = ctx;

	(void)sum;
	if (s->ntables < 64) {
		snprintf(s->tables[s->ntables], sizeof(s->tables[0]), "%s", table);
		s->rows[s->ntables] = rows;
	}
	s->ntables++;
}

static int position(const struct seen *s, const char *table)
{
	for (int i = 0; i < s->ntables && i < 64; i++)
		if (strcmp(s->tables[i], table) == 0)
			return i;
	fail_msg("table %s was not reported", table);
	return -1;
}

/* A second store in the fixture's directory. */
static struct crm_store *open_other(void **state, const char *name)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_int_equal(crm_store_open(path, "tester", &s, &e), 0);
	return s;
}

static void test_check_sound(void **state)
{
	struct seen seen = { .ntables = 0 };
	struct crm_admin_out out = { on_problem, on_table, NULL, &seen };
	struct crm_err e = { 0, "" };
	char **tables = NULL;
	size_t n = 0;
	int problems = -1;

	fixture_contact(store(state), "email", "a@example.org", NULL);
	assert_int_equal(crm_admin_check(store(state), &out, &problems, &e), 0);
	assert_int_equal(problems, 0);
	assert_int_equal(seen.problems, 0);
	assert_int_equal(crm_store_tables(store(state), &tables, &n, &e), 0);
	assert_int_equal(seen.ntables, (int)n);
	assert_int_equal(seen.rows[position(&seen, "contacts")], 1);
	crm_store_names_free(tables, n);
	assert_string_equal(crm_admin_backend(store(state)), "sqlite");
}

static void test_check_orphan(void **state)
{
	struct seen seen = { .ntables = 0 };
	struct crm_admin_out out = { on_problem, NULL, NULL, &seen };
	struct crm_err e = { 0, "" };
	int problems = 0;

	exec_ok(store(state), "PRAGMA foreign_keys = OFF;"
		"INSERT INTO contact_tags (contact_id, tag) VALUES (42, 'ghost');"
		"PRAGMA foreign_keys = ON");
	assert_int_equal(crm_admin_check(store(state), &out, &problems, &e), 0);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(seen.problem, "table=contact_tags"));
	assert_non_null(strstr(seen.problem, "parent=contacts"));
}

static uint64_t sum_of(struct crm_store *s, const char *table, int64_t *rows)
{
	struct crm_err e = { 0, "" };
	uint64_t sum = 0;

	assert_int_equal(crm_admin_checksum(s, table, rows, &sum, &e), 0);
	return sum;
}

static void test_checksum(void **state)
{
	struct crm_store *a = store(state), *b = open_other(state, "b.db");
	struct crm_store *c = open_other(state, "c.db");
	struct crm_err e = { 0, "" };
	int64_t ra, rb, rc;
	uint64_t sa, sb, sc;

	/* the same rows in another order: the same sum */
	exec_ok(store(state), "INSERT INTO contacts (id, uid, first_name, company, created_at, updated_at)"
		" VALUES (1, 'u1', 'Ann', NULL, 't', 't'), (2, 'u2', 'Bob', 'Co', 't', 't')");
	exec_ok(b, "INSERT INTO contacts (id, uid, first_name, company, created_at, updated_at)"
		" VALUES (2, 'u2', 'Bob', 'Co', 't', 't'), (1, 'u1', 'Ann', NULL, 't', 't')");
	/* '' where the first has NULL: another sum */
	exec_ok(c, "INSERT INTO contacts (id, uid, first_name, company, created_at, updated_at)"
		" VALUES (1, 'u1', 'Ann', '', 't', 't'), (2, 'u2', 'Bob', 'Co', 't', 't')");
	sa = sum_of(a, "contacts", &ra);
	sb = sum_of(b, "contacts", &rb);
	sc = sum_of(c, "contacts", &rc);
	assert_int_equal(ra, 2);
	assert_int_equal(rb, 2);
	assert_int_equal(rc, 2);
	assert_true(sa == sb);
	assert_true(sa != sc);
	assert_true(sa != 0);
	assert_int_equal(crm_admin_checksum(a, "no_such_table", &ra, &sa, &e), CRM_EX_DATAERR);
	crm_store_close(b);
	crm_store_close(c);
}

static void test_copy_order_and_refusal(void **state)
{
	struct seen seen = { .ntables = 0 };
	struct crm_admin_out out = { NULL, on_table, NULL, &seen };
	struct crm_store *to = open_other(state, "to.db");
	struct crm_err e = { 0, "" };
	int64_t id = fixture_contact(store(state), "email", "a@example.org", "tags", "vip", NULL);

	assert_true(id > 0);
	assert_int_equal(crm_admin_copy(store(state), to, &out, &e), 0);
	/* parents first */
	assert_true(position(&seen, "contacts") < position(&seen, "contact_tags"));
	assert_true(position(&seen, "contacts") < position(&seen, "interactions"));
	assert_true(position(&seen, "interactions") < position(&seen, "interaction_lines"));
	assert_true(position(&seen, "segments") < position(&seen, "segment_snapshots"));
	assert_true(position(&seen, "segment_snapshots") < position(&seen, "segment_members"));
	assert_true(position(&seen, "history") < position(&seen, "history_imports"));
	assert_true(position(&seen, "import_resume") < position(&seen, "import_resume_rejects"));
	assert_int_equal(q_int(to, "SELECT count(*) FROM contacts"), 1);

	/* a second time: to has data now */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(crm_admin_copy(store(state), to, &out, &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "is not empty"));
	assert_int_equal(seen.ntables, 0);
	assert_int_equal(q_int(to, "SELECT count(*) FROM contacts"), 1);
	crm_store_close(to);
}

/* sql (rows in an order of its own) gives the same rows on a and b. */
static void same_rows(struct crm_store *a, struct crm_store *b, const char *sql)
{
	char *want = q_rows(a, sql), *got = q_rows(b, sql);
	int same = strcmp(got, want) == 0, some = want[0] != '\0';

	free(want);
	free(got);
	assert_true(some);
	if (!same)
		fail_msg("%s: the rows differ", sql);
}

/* Tables of many rows, read through one statement each and written in
 * batches (the last one short): every row arrives, NULLs where they
 * were, and the checksums of both ends agree. */
static void test_copy_many_rows(void **state)
{
	struct seen seen = { .ntables = 0 };
	struct crm_admin_out out = { NULL, on_table, NULL, &seen };
	struct crm_store *a = store(state), *to = open_other(state, "to.db");
	struct crm_err e = { 0, "" };
	int64_t rows = 0;
	uint64_t sum_a = 0, sum_to = 0;

	exec_ok(a, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25001)"
		" INSERT INTO contacts (id, uid, first_name, created_at, updated_at)"
		" SELECT i, 'u' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || i END, 't', 't'"
		" FROM n");
	exec_ok(a, "INSERT INTO contact_tags (contact_id, tag) SELECT c.id, t.tag FROM contacts AS c,"
		" (SELECT 'a' AS tag UNION ALL SELECT 'B' UNION ALL SELECT 'c') AS t"
		" WHERE c.id <= 5001");
	exec_ok(a, "INSERT INTO contact_fields (contact_id, name, value)"
		" SELECT id, 'x', 'v' || id FROM contacts WHERE id <= 5000"
		" UNION ALL SELECT id, 'y', 'w' || id FROM contacts WHERE id <= 5000");
	assert_int_equal(crm_admin_copy(a, to, &out, &e), 0);
	assert_int_equal(seen.rows[position(&seen, "contacts")], 25001);
	assert_int_equal(seen.rows[position(&seen, "contact_tags")], 15003);
	assert_int_equal(seen.rows[position(&seen, "contact_fields")], 10000);
	same_rows(a, to, "SELECT id, uid, coalesce(first_name, '-') FROM contacts ORDER BY id");
	same_rows(a, to, "SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag");
	same_rows(a, to, "SELECT contact_id, name, value FROM contact_fields"
		  " ORDER BY contact_id, name");
	/* the checksum of both ends: all the rows, the same sum */
	assert_int_equal(crm_admin_checksum(a, "contact_tags", &rows, &sum_a, &e), 0);
	assert_int_equal(rows, 15003);
	assert_int_equal(crm_admin_checksum(to, "contact_tags", &rows, &sum_to, &e), 0);
	assert_int_equal(rows, 15003);
	assert_true(sum_a == sum_to);
	crm_store_close(to);
}

static void test_backup_file(void **state)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };
	struct stat sb;
	char file[256], bad[256];
	FILE *fp;

	fixture_contact(store(state), "email", "a@example.org", NULL);
	snprintf(file, sizeof(file), "%s/backup.db", f->dir);
	assert_int_equal(crm_admin_backup(store(state), file, 0, &e), 0);
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* it is a store with the contact */
	{
		struct crm_store *b = NULL;

		assert_int_equal(crm_store_open_mode(file, "tester", CRM_STORE_READ, &b, &e), 0);
		assert_int_equal(q_int(b, "SELECT count(*) FROM contacts"), 1);
		crm_store_close(b);
	}
	/* not over an existing file, unless forced */
	assert_int_equal(crm_admin_backup(store(state), file, 0, &e), 73);
	assert_non_null(strstr(e.msg, "use --force"));
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("keep", fp);
	fclose(fp);
	assert_int_equal(crm_admin_backup(store(state), file, 0, &e), 73);
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_size, 4);
	assert_int_equal(crm_admin_backup(store(state), file, 1, &e), 0);
	assert_int_equal(stat(file, &sb), 0);
	assert_true(sb.st_size > 4);
	/* never over the store itself */
	assert_int_equal(crm_admin_backup(store(state), f->path, 1, &e), 73);
	assert_non_null(strstr(e.msg, "the store itself"));
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 1);
	/* a directory that is not there: an error, no file */
	snprintf(bad, sizeof(bad), "%s/none/backup.db", f->dir);
	assert_int_equal(crm_admin_backup(store(state), bad, 0, &e), 73);
	assert_int_not_equal(stat(bad, &sb), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_check_sound),
		T(test_check_orphan),
		T(test_checksum),
		T(test_copy_order_and_refusal),
		T(test_copy_many_rows),
		T(test_backup_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
