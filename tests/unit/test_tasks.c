/* test_tasks.c - unit tests for lib/log/tasks.c: marking tasks done and
 * the open tasks by due time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "log/log_rows.h"
#include "log/tasks.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	if (fixture_setup(state, "tasks", NOW_TEXT) != 0)
		return -1;
	exec_ok(store(state),
		"INSERT INTO contacts (id, uid, first_name, last_name, email, created_at, updated_at)"
		" VALUES (1, 'u1', 'Ada', 'Lovelace', 'ada@example.org', 'x', 'x'),"
		" (2, 'u2', NULL, NULL, 'bob@example.org', 'x', 'x');"
		"INSERT INTO interactions (id, contact_id, at, type, subject, due_at, assignee,"
		" done_at, created_at) VALUES"
		" (1, 1, '2024-06-01T09:00:00Z', 'task', 'call back', '2024-06-16T09:00:00Z', 'alice', NULL, 'x'),"
		" (2, 2, '2024-06-01T09:00:00Z', 'task', 'send offer', '2024-06-10T09:00:00Z', 'bob', NULL, 'x'),"
		" (3, 1, '2024-06-01T09:00:00Z', 'task', 'old', '2024-06-09T09:00:00Z', 'bob', '2024-06-09T10:00:00Z', 'x'),"
		" (4, 1, '2024-06-01T09:00:00Z', 'note', 'a note', NULL, NULL, NULL, 'x'),"
		" (5, 2, '2024-06-01T09:00:00Z', 'task', 'later', '2024-07-01T09:00:00Z', 'alice', NULL, 'x')");
	return 0;
}

/* The due listing as "id|due|assignee|contact|name|email|subject|overdue". */
static char *due(void **state, const char *assignee, int overdue, const char *until)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_log_rows *r = crm_tasks_due(store(state), NOW_TEXT, assignee, overdue, until);
	const char *const *v;
	int rc;

	assert_int_equal(crm_log_rows_ncols(r), CRM_TASKS_DUE_NCOLS);
	while ((rc = crm_log_rows_next(r, &v, &e)) > 0) {
		for (size_t i = 0; i < CRM_TASKS_DUE_NCOLS; i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "", v[i] != NULL ? v[i] : "");
		crm_buf_addc(&b, '\n');
	}
	assert_int_equal(rc, 0);
	crm_log_rows_close(r);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}


static void tasks__due__open_tasks_soonest_first(void **state)
{
	assert_string_equal(crm_tasks_due_cols[0], "id");
	assert_string_equal(crm_tasks_due_cols[CRM_TASKS_DUE_NCOLS - 1], "overdue");
	assert_text("due", due(state, NULL, 0, ""),
	       "2|2024-06-10T09:00:00Z|bob|2||bob@example.org|send offer|yes\n"
	       "1|2024-06-16T09:00:00Z|alice|1|Ada Lovelace|ada@example.org|call back|no\n"
	       "5|2024-07-01T09:00:00Z|alice|2||bob@example.org|later|no\n");
}

static void tasks__due__assignee_overdue_until(void **state)
{
	assert_text("due", due(state, "alice", 0, ""),
	       "1|2024-06-16T09:00:00Z|alice|1|Ada Lovelace|ada@example.org|call back|no\n"
	       "5|2024-07-01T09:00:00Z|alice|2||bob@example.org|later|no\n");
	assert_text("due", due(state, NULL, 1, ""), "2|2024-06-10T09:00:00Z|bob|2||bob@example.org|send offer|yes\n");
	assert_text("due", due(state, NULL, 0, "2024-06-16T09:00:00Z"),
	       "2|2024-06-10T09:00:00Z|bob|2||bob@example.org|send offer|yes\n"
	       "1|2024-06-16T09:00:00Z|alice|1|Ada Lovelace|ada@example.org|call back|no\n");
	assert_text("due", due(state, "carol", 0, ""), "");
}

static void tasks__done__marks_once_keeps_first_time(void **state)
{
	struct crm_err e = { 0, "" };
	int found = -1;

	assert_int_equal(crm_task_done(store(state), 2, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_rows(store(state), "SELECT done_at FROM interactions WHERE id = 2", NOW_TEXT "\n");
	/* done before: still found, its time kept */
	assert_int_equal(crm_task_done(store(state), 3, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_rows(store(state), "SELECT done_at FROM interactions WHERE id = 3", "2024-06-09T10:00:00Z\n");
	/* a note is no task, and 99 is nothing */
	assert_int_equal(crm_task_done(store(state), 4, &found, &e), 0);
	assert_int_equal(found, 0);
	assert_rows(store(state), "SELECT done_at FROM interactions WHERE id = 4", "NULL\n");
	assert_int_equal(crm_task_done(store(state), 99, &found, &e), 0);
	assert_int_equal(found, 0);
	assert_text("due", due(state, "bob", 0, ""), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tasks__due__open_tasks_soonest_first, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(tasks__due__assignee_overdue_until, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(tasks__done__marks_once_keeps_first_time, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("tasks", tests, NULL, NULL);
}
