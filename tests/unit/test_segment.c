/* test_segment.c - unit tests for lib/segment.c: segment names, saving,
 * replacing and removing, resolving a name or an expression, snapshots
 * and counts on a temporary store, looking segments and snapshots up, and
 * the statements of list, show and diff. */
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
#include "base/dates.h"
#include "base/err.h"
#include "segment/segment.h"
#include "store/store.h"
#include "fixture.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
#define LATER_TEXT "2024-07-01T08:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "segment", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

/* ---- helpers ---- */

/* Creates a contact from name=value pairs ("tags" adds tags); its id. */
static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

/* Four contacts: 1 NL vip, 2 NL, 3 DE vip, 4 without a country. */
static void four(void **state)
{
	create(state, "email", "a@example.org", "country", "NL", "tags", "vip", NULL);
	create(state, "email", "b@example.org", "country", "NL", NULL);
	create(state, "email", "c@example.org", "country", "DE", "tags", "vip", NULL);
	create(state, "email", "d@example.org", NULL);
}

static void save_ok(void **state, const char *name, const char *expr, int replace)
{
	struct crm_err e = { 0, "" };

	if (crm_segment_save(store(state), name, expr, replace, now, &e) != 0)
		fail_msg("save %s: %s", name, e.msg);
}

static int64_t count_of(void **state, const char *expr)
{
	struct crm_err e = { 0, "" };
	int64_t n = -1;

	if (crm_segment_count(store(state), expr, now, &n, &e) != 0)
		fail_msg("count %s: %s", expr, e.msg);
	return n;
}

static void name_ok(const char *name)
{
	struct crm_err e = { 0, "" };

	if (crm_segment_check_name(name, &e) != 0)
		fail_msg("name \"%s\" refused: %s", name, e.msg);
}

static void name_bad(const char *name)
{
	struct crm_err e = { 0, "" };
	char want[256];

	if (crm_segment_check_name(name, &e) != CRM_EX_USAGE)
		fail_msg("name \"%s\" accepted", name);
	assert_int_equal(e.code, CRM_EX_USAGE);
	snprintf(want, sizeof(want),
		 "invalid segment name \"%.64s\" (a-z, 0-9, _ and -, starting with a letter)", name);
	assert_string_equal(e.msg, want);
}

/* ---- names ---- */

static void segment__check_name__letters_digits_dash_underscore(void **state)
{
	char name[80];

	(void)state;
	name_ok("vip");
	name_ok("a");
	name_ok("nl-vip_2024");
	name_ok("z9");
	memset(name, 'a', 64);
	name[64] = '\0';
	name_ok(name);
	name[64] = 'a';
	name[65] = '\0';
	name_bad(name);
	name_bad("");
	name_bad("Vip");
	name_bad("vIp");
	name_bad("1vip");
	name_bad("_vip");
	name_bad("-vip");
	name_bad("vip!");
	name_bad("v ip");
	name_bad("vip.old");
	name_bad("café");
}

/* ---- save, replace, remove ---- */

static void segment__save__row_with_times_and_author(void **state)
{
	save_ok(state, "vip", "tag:vip", 0);
	assert_rows(store(state), "SELECT name, expr, created_at, updated_at, created_by FROM segments",
		    "vip|tag:vip|" NOW_TEXT "|" NOW_TEXT "|tester\n");
}

static void segment__save_bad_name__usage_nothing_stored(void **state)
{
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_segment_save(store(state), "VIP", "tag:vip", 0, now, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg,
			    "invalid segment name \"VIP\" (a-z, 0-9, _ and -, starting with a letter)");
	assert_rows(store(state), "SELECT count(*) FROM segments", "0\n");
}

static void segment__save_bad_expr__usage_nothing_stored(void **state)
{
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_segment_save(store(state), "dutch", "contry = \"NL\"", 0, now, &e),
			 CRM_EX_USAGE);
	assert_int_equal(e.code, CRM_EX_USAGE);
	/* the compiler's message, pointing at the column */
	assert_non_null(strstr(e.msg, "unknown field \"contry\""));
	assert_int_equal(strncmp(e.msg, "1:1: ", 5), 0);
	crm_err_clear(&e);
	assert_int_equal(crm_segment_save(store(state), "dutch", "country = ", 0, now, &e),
			 CRM_EX_USAGE);
	assert_rows(store(state), "SELECT count(*) FROM segments", "0\n");
}

static void segment__save_existing__dataerr_unless_replace(void **state)
{
	struct crm_err e = { 0, "" };

	save_ok(state, "vip", "tag:vip", 0);
	assert_int_equal(crm_segment_save(store(state), "vip", "country = \"NL\"", 0, now, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "segment \"vip\" exists (use --replace to change it)");
	assert_rows(store(state), "SELECT name, expr FROM segments", "vip|tag:vip\n");

	/* --replace, later and by someone else: expr and updated_at change,
	 * the creation stays */
	reopen(state, "other", LATER_TEXT);
	save_ok(state, "vip", "country = \"NL\"", 1);
	assert_rows(store(state), "SELECT id, name, expr, created_at, updated_at, created_by FROM segments",
		    "1|vip|country = \"NL\"|" NOW_TEXT "|" LATER_TEXT "|tester\n");
}

static void segment__save_replace_new__created(void **state)
{
	save_ok(state, "fresh", "tag:vip", 1);
	assert_rows(store(state), "SELECT name, expr FROM segments", "fresh|tag:vip\n");
}

static void segment__remove__gone_with_snapshots(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id, size;

	four(state);
	save_ok(state, "vip", "tag:vip", 0);
	save_ok(state, "dutch", "country = \"NL\"", 0);
	assert_int_equal(crm_segment_snapshot(store(state), "vip", NULL, now, &id, &size, &e), 0);
	assert_int_equal(crm_segment_remove(store(state), "vip", &e), 0);
	assert_rows(store(state), "SELECT name FROM segments", "dutch\n");
	/* its snapshots and their members go with it */
	assert_rows(store(state), "SELECT count(*) FROM segment_snapshots", "0\n");
	assert_rows(store(state), "SELECT count(*) FROM segment_members", "0\n");

	assert_int_equal(crm_segment_remove(store(state), "vip", &e), CRM_EX_NOTFOUND);
	assert_int_equal(e.code, CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no segment \"vip\"");
	assert_rows(store(state), "SELECT name FROM segments", "dutch\n");
}

/* ---- resolve ---- */

static void segment__resolve_name__saved_expression(void **state)
{
	struct crm_err e = { 0, "" };
	char *expr = NULL, *name = NULL;

	save_ok(state, "vip", "tag:vip and country = \"NL\"", 0);
	assert_int_equal(crm_segment_resolve(store(state), "vip", &expr, &name, &e), 0);
	assert_string_equal(expr, "tag:vip and country = \"NL\"");
	assert_string_equal(name, "vip");
	free(expr);
	free(name);
}

static void segment__resolve_expression__itself_no_name(void **state)
{
	struct crm_err e = { 0, "" };
	char *expr = (char *)"x", *name = (char *)"x";

	save_ok(state, "vip", "tag:vip", 0);
	assert_int_equal(crm_segment_resolve(store(state), "country = \"DE\"", &expr, &name, &e), 0);
	assert_string_equal(expr, "country = \"DE\"");
	assert_null(name);
	free(expr);
	/* a name that is not saved is taken as an expression too */
	assert_int_equal(crm_segment_resolve(store(state), "vips", &expr, &name, &e), 0);
	assert_string_equal(expr, "vips");
	assert_null(name);
	free(expr);
	/* names match exactly */
	assert_int_equal(crm_segment_resolve(store(state), "VIP", &expr, &name, &e), 0);
	assert_string_equal(expr, "VIP");
	assert_null(name);
	free(expr);
}

/* ---- snapshots and counts ---- */

static void segment__snapshot__members_size_label(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0, size = -1;

	four(state);
	save_ok(state, "vip", "tag:vip", 0);
	assert_int_equal(crm_segment_snapshot(store(state), "vip", "june mailing", now, &id, &size, &e),
			 0);
	assert_int_equal(id, 1);
	assert_int_equal(size, 2);
	assert_rows(store(state),
		    "SELECT id, segment_id, taken_at, expr, size, label, taken_by FROM segment_snapshots",
		    "1|1|" NOW_TEXT "|tag:vip|2|june mailing|tester\n");
	assert_rows(store(state), "SELECT snapshot_id, contact_id FROM segment_members ORDER BY 2",
		    "1|1\n1|3\n");
}

static void segment__snapshot_later__frozen_and_separate(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id1, id2, size;

	four(state);
	save_ok(state, "dutch", "country = \"NL\"", 0);
	assert_int_equal(crm_segment_snapshot(store(state), "dutch", NULL, now, &id1, &size, &e), 0);
	assert_int_equal(size, 2);
	/* contact 3 moves to NL, contact 1 leaves; the segment is changed */
	exec_ok(store(state), "UPDATE contacts SET country = 'NL' WHERE id = 3");
	exec_ok(store(state), "UPDATE contacts SET country = 'BE' WHERE id = 1");
	reopen(state, "other", LATER_TEXT);
	assert_int_equal(crm_segment_snapshot(store(state), "dutch", "", now, &id2, &size, &e), 0);
	assert_int_not_equal(id1, id2);
	assert_int_equal(size, 2);
	assert_rows(store(state),
		    "SELECT snapshot_id, group_concat(contact_id) FROM"
		    " (SELECT * FROM segment_members ORDER BY snapshot_id, contact_id)"
		    " GROUP BY snapshot_id",
		    "1|1,2\n2|2,3\n");
	assert_rows(store(state), "SELECT id, taken_at, size, label, taken_by FROM segment_snapshots",
		    "1|" NOW_TEXT "|2|NULL|tester\n"
		    "2|" LATER_TEXT "|2||other\n");
	/* a snapshot keeps the expression it was taken with */
	save_ok(state, "dutch", "country = \"DE\"", 1);
	assert_rows(store(state), "SELECT expr FROM segment_snapshots ORDER BY id",
		    "country = \"NL\"\ncountry = \"NL\"\n");
	/* and its members outlive the contact */
	exec_ok(store(state), "DELETE FROM contacts WHERE id = 2");
	assert_rows(store(state), "SELECT count(*) FROM segment_members WHERE contact_id = 2", "2\n");
}

static void segment__snapshot_empty__size_zero(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0, size = -1;

	four(state);
	save_ok(state, "nobody", "country = \"FR\"", 0);
	assert_int_equal(crm_segment_snapshot(store(state), "nobody", NULL, now, &id, &size, &e), 0);
	assert_int_equal(size, 0);
	assert_rows(store(state), "SELECT size FROM segment_snapshots", "0\n");
	assert_rows(store(state), "SELECT count(*) FROM segment_members", "0\n");
}

static void segment__snapshot_unknown__notfound(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0, size = 0;

	assert_int_equal(crm_segment_snapshot(store(state), "ghost", NULL, now, &id, &size, &e),
			 CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no segment \"ghost\"");
	assert_rows(store(state), "SELECT count(*) FROM segment_snapshots", "0\n");
}

static void segment__count__matching_contacts(void **state)
{
	four(state);
	assert_int_equal(count_of(state, "tag:vip"), 2);
	assert_int_equal(count_of(state, "country = \"NL\""), 2);
	assert_int_equal(count_of(state, "country = \"NL\" and tag:vip"), 1);
	assert_int_equal(count_of(state, "country = \"NL\" or tag:vip"), 3);
	assert_int_equal(count_of(state, "not tag:vip"), 2);
	assert_int_equal(count_of(state, "country = \"FR\""), 0);
}

static void segment__count_bad_expr__usage(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t n = 77;

	four(state);
	assert_int_equal(crm_segment_count(store(state), "contry = \"NL\"", now, &n, &e),
			 CRM_EX_USAGE);
	assert_non_null(strstr(e.msg, "unknown field \"contry\""));
	assert_int_equal(n, 77);
}

/* ---- lookups and listings ---- */

/* The rows of st (a statement of the store's cache, reset here) as
 * "a|b\n" lines, NULL as "NULL"; the caller frees them. */
static char *stmt_rows(void **state, struct crm_stmt *st)
{
	struct crm_err e = { 0, "" };
	struct crm_buf b = CRM_BUF_INIT;
	int rc;

	while ((rc = crm_store_step(store(state), st, &e)) == CRM_ROW) {
		for (int i = 0; i < crm_column_count(st); i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "",
				     crm_column_type(st, i) == CRM_NULL ? "NULL"
				     : (const char *)crm_column_text(st, i));
		crm_buf_addc(&b, '\n');
	}
	crm_stmt_reset(st);
	assert_int_equal(rc, CRM_DONE);
	return crm_buf_detach(&b);
}

#define assert_stmt_rows(st, want) do { \
		char *got_ = stmt_rows(state, (st)); \
		assert_string_equal(got_, (want)); \
		free(got_); \
	} while (0)

/* dutch: snapshot 1 of contacts 1, 2; snapshot 2 of 2, 3 (taken later). */
static void two_snapshots(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id, size;

	four(state);
	save_ok(state, "dutch", "country = \"NL\"", 0);
	save_ok(state, "german", "country = \"DE\"", 0);
	assert_int_equal(crm_segment_snapshot(store(state), "dutch", "first", now, &id, &size, &e), 0);
	exec_ok(store(state), "UPDATE contacts SET country = 'NL' WHERE id = 3");
	exec_ok(store(state), "UPDATE contacts SET country = 'BE' WHERE id = 1");
	reopen(state, "other", LATER_TEXT);
	assert_int_equal(crm_segment_snapshot(store(state), "dutch", NULL, now, &id, &size, &e), 0);
}

static void segment__get__the_saved_definition(void **state)
{
	struct crm_segment_info g;
	struct crm_err e = { 0, "" };

	save_ok(state, "dutch", "country = \"NL\"", 0);
	reopen(state, "other", LATER_TEXT);
	save_ok(state, "dutch", "country = \"BE\"", 1);
	assert_int_equal(crm_segment_get(store(state), "dutch", &g, &e), 0);
	assert_string_equal(g.name, "dutch");
	assert_string_equal(g.expr, "country = \"BE\"");
	assert_string_equal(g.created_at, NOW_TEXT);
	assert_string_equal(g.created_by, "tester");
	assert_string_equal(g.updated_at, LATER_TEXT);
	crm_segment_info_free(&g);
	assert_null(g.name);
	assert_int_equal(crm_segment_get(store(state), "nosuch", &g, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no segment \"nosuch\"");
	assert_null(g.expr);
}

static void segment__snapshot_id__id_name_and_back(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	two_snapshots(state);
	assert_int_equal(crm_segment_snapshot_id(store(state), "1", &id, &e), 0);
	assert_int_equal(id, 1);
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch", &id, &e), 0);
	assert_int_equal(id, 2);
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch~0", &id, &e), 0);
	assert_int_equal(id, 2);
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch~1", &id, &e), 0);
	assert_int_equal(id, 1);
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch~2", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no snapshot \"dutch~2\"");
	assert_int_equal(crm_segment_snapshot_id(store(state), "3", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no snapshot \"3\"");
	assert_int_equal(crm_segment_snapshot_id(store(state), "german", &id, &e), CRM_EX_NOTFOUND);
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch~x", &id, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "bad snapshot \"dutch~x\" (use an id, NAME or NAME~N)");
	assert_int_equal(crm_segment_snapshot_id(store(state), "dutch~1000001", &id, &e), CRM_EX_USAGE);
}

static void segment__listings__segments_snapshots_diff(void **state)
{
	two_snapshots(state);
	assert_stmt_rows(crm_segment_list_query(store(state)),
			 "1|dutch|country = \"NL\"|2|" LATER_TEXT "|" NOW_TEXT "\n"
			 "2|german|country = \"DE\"|0|NULL|" NOW_TEXT "\n");
	assert_stmt_rows(crm_segment_snapshots_query(store(state), "dutch"),
			 "1|" NOW_TEXT "|2|first|tester|country = \"NL\"\n"
			 "2|" LATER_TEXT "|2|NULL|other|country = \"NL\"\n");
	assert_stmt_rows(crm_segment_snapshots_query(store(state), "german"), "");
	/* 1 left, 3 entered; an erased contact keeps its id, without email */
	exec_ok(store(state), "DELETE FROM contacts WHERE id = 3");
	assert_stmt_rows(crm_segment_diff_query(store(state), 1, 2),
			 "1|a@example.org|left\n3|NULL|entered\n");
	assert_stmt_rows(crm_segment_diff_query(store(state), 2, 1),
			 "1|a@example.org|entered\n3|NULL|left\n");
	assert_stmt_rows(crm_segment_diff_query(store(state), 2, 2), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segment__check_name__letters_digits_dash_underscore),
		cmocka_unit_test_setup_teardown(segment__save__row_with_times_and_author, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__save_bad_name__usage_nothing_stored, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__save_bad_expr__usage_nothing_stored, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__save_existing__dataerr_unless_replace, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__save_replace_new__created, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__remove__gone_with_snapshots, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__resolve_name__saved_expression, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__resolve_expression__itself_no_name, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__snapshot__members_size_label, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__snapshot_later__frozen_and_separate, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__snapshot_empty__size_zero, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__snapshot_unknown__notfound, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__count__matching_contacts, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__count_bad_expr__usage, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__get__the_saved_definition, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__snapshot_id__id_name_and_back, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(segment__listings__segments_snapshots_diff, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
