/* test_timeline.c - unit tests for lib/log/timeline.c: the timeline reads
 * every source every domain registers (store/domain.h), merges them by
 * time, leaves out a source whose table the store lacks, and a busy store
 * is an error, never a source dropped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "log/listing.h"
#include "log/log_rows.h"
#include "log/timeline.h"
#include "store/domain.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "timeline", NOW_TEXT);
}

extern const struct crm_domain crm_log_domain;   /* lib/log/domain.c */

/* A contact a@example.org (its history: one create). */
static int64_t contact(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), crm_now(), ap);
	va_end(ap);
	return id;
}

/* The timeline of f over domains, one "at|source|id|type|subject|amount"
 * line a row (NULL as ""), or "error CODE: MESSAGE". Caller frees. */
static char *timeline(void **state, const struct crm_domain *const *domains,
		      const struct crm_log_filter *f)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_log_rows *r = NULL;
	const char *const *v;
	int rc;

	if (crm_timeline_open(store(state), domains, f, &r, &e) != 0) {
		assert_null(r);
		crm_buf_addf(&b, "error %d: %s", e.code, e.msg);
		return crm_buf_detach(&b);
	}
	assert_int_equal(crm_log_rows_ncols(r), CRM_TIMELINE_NCOLS);
	while ((rc = crm_log_rows_next(r, &v, &e)) > 0) {
		static const int cols[] = { 0, 1, 2, 5, 6, 8 };

		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "",
				     v[cols[i]] != NULL ? v[cols[i]] : "");
		crm_buf_addc(&b, '\n');
	}
	if (rc < 0)
		crm_buf_addf(&b, "error %d: %s", e.code, e.msg);
	crm_log_rows_close(r);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

static void timeline_is(void **state, const struct crm_domain *const *domains,
			const struct crm_log_filter *f, const char *want)
{
	assert_text("timeline", timeline(state, domains, f), want);
}


static void add_interactions(void **state, int64_t id)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO interactions (id, contact_id, at, channel, type, subject, amount, currency, created_at) VALUES"
		 " (1, %lld, '2024-06-01T09:00:00Z', 'email', 'email', 'offer', NULL, NULL, 'x'),"
		 " (2, %lld, '2024-06-03T09:00:00Z', 'web', 'purchase', 'order', 9990, 'EUR', 'x'),"
		 " (3, %lld, '2024-06-05T09:00:00Z', 'phone', 'call', 'follow-up', NULL, NULL, 'x')",
		 (long long)id, (long long)id, (long long)id);
	exec_ok(store(state), sql);
}

/* A domain of the test's own, as crm-lead would register one. */
static const struct crm_timeline_source visit_sources[] = {
	{ "visits", 0, "SELECT at, 'visit', id, 'web', 'in', 'visit', page, NULL, NULL, NULL"
		       " FROM visits WHERE contact_id = ?1" },
};
static const struct crm_domain visit_domain = {
	.name = "visit", .timeline = visit_sources, .ntimeline = 1,
};

static void timeline__registry__every_domain_read(void **state)
{
	struct crm_log_filter f = { 0 };
	int64_t id = contact(state, "email", "a@example.org", NULL);

	add_interactions(state, id);
	f.contact_id = id;
	timeline_is(state, crm_domains, &f,
		    "2024-06-05T09:00:00Z|interaction|3|call|follow-up|\n"
		    "2024-06-03T09:00:00Z|interaction|2|purchase|order|99.90\n"
		    "2024-06-01T09:00:00Z|interaction|1|email|offer|\n");
	/* the contact domain's history, with --changes */
	f.changes = 1;
	timeline_is(state, crm_domains, &f,
		    NOW_TEXT "|change|1|create||\n"
		    "2024-06-05T09:00:00Z|interaction|3|call|follow-up|\n"
		    "2024-06-03T09:00:00Z|interaction|2|purchase|order|99.90\n"
		    "2024-06-01T09:00:00Z|interaction|1|email|offer|\n");
}

/* Each source of each registered domain, alone, is a SELECT of the
 * timeline's ten columns that the store can run. */
static void timeline__each_registered_source__ten_columns(void **state)
{
	struct crm_log_filter f = { .changes = 1 };
	size_t n = 0;

	f.contact_id = contact(state, "email", "a@example.org", NULL);
	for (size_t d = 0; crm_domains[d] != NULL; d++) {
		for (size_t i = 0; i < crm_domains[d]->ntimeline; i++) {
			struct crm_domain one = { .name = crm_domains[d]->name,
						  .timeline = &crm_domains[d]->timeline[i],
						  .ntimeline = 1 };
			const struct crm_domain *const only[] = { &one, NULL };
			char *got = timeline(state, only, &f);

			if (strncmp(got, "error", 5) == 0) {
				print_error("%s source %zu: %s\n", crm_domains[d]->name, i, got);
				free(got);
				fail();
			}
			free(got);
			n++;
		}
	}
	assert_true(n >= 2);   /* contact's history, log's interactions */
}

static void timeline__new_domain__merged_by_time(void **state)
{
	const struct crm_domain *const domains[] = { &crm_log_domain, &visit_domain, NULL };
	struct crm_log_filter f = { 0 };
	int64_t id = contact(state, "email", "a@example.org", NULL);

	add_interactions(state, id);
	exec_ok(store(state), "CREATE TABLE visits (id INTEGER PRIMARY KEY, contact_id INTEGER, at TEXT, page TEXT);"
		"INSERT INTO visits VALUES (7, 1, '2024-06-04T10:00:00Z', '/pricing'),"
		" (8, 1, '2024-05-30T10:00:00Z', '/'), (9, 2, '2024-06-04T11:00:00Z', '/other')");
	f.contact_id = id;
	timeline_is(state, domains, &f,
		    "2024-06-05T09:00:00Z|interaction|3|call|follow-up|\n"
		    "2024-06-04T10:00:00Z|visit|7|visit|/pricing|\n"
		    "2024-06-03T09:00:00Z|interaction|2|purchase|order|99.90\n"
		    "2024-06-01T09:00:00Z|interaction|1|email|offer|\n"
		    "2024-05-30T10:00:00Z|visit|8|visit|/|\n");
	/* the filter and the limit apply to the merged rows */
	f.channel = "web";
	f.limit = 2;
	timeline_is(state, domains, &f,
		    "2024-06-04T10:00:00Z|visit|7|visit|/pricing|\n"
		    "2024-06-03T09:00:00Z|interaction|2|purchase|order|99.90\n");
}

/* Same time, same id: the later source first (interactions before the
 * contact's changes, as the timeline has always shown them). */
static void timeline__tie__later_source_first(void **state)
{
	struct crm_log_filter f = { .changes = 1 };
	int64_t id = contact(state, "email", "a@example.org", NULL);
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO interactions (id, contact_id, at, type, subject, created_at)"
		 " VALUES (1, %lld, '" NOW_TEXT "', 'note', 'hello', 'x')", (long long)id);
	exec_ok(store(state), sql);
	f.contact_id = id;
	timeline_is(state, crm_domains, &f,
		    NOW_TEXT "|interaction|1|note|hello|\n"
		    NOW_TEXT "|change|1|create||\n");
}

static void timeline__missing_table__source_left_out(void **state)
{
	const struct crm_domain *const domains[] = { &crm_log_domain, &visit_domain, NULL };
	const struct crm_domain *const none[] = { &visit_domain, NULL };
	struct crm_log_filter f = { 0 };
	int64_t id = contact(state, "email", "a@example.org", NULL);

	add_interactions(state, id);
	f.contact_id = id;
	f.limit = 1;
	timeline_is(state, domains, &f, "2024-06-05T09:00:00Z|interaction|3|call|follow-up|\n");
	timeline_is(state, none, &f, "");
}

static void timeline__changes_source__only_with_changes(void **state)
{
	static const struct crm_timeline_source changes[] = {
		{ "interactions", 1, "SELECT at, 'audit', id, NULL, NULL, 'audit', subject,"
				     " NULL, NULL, NULL FROM interactions WHERE contact_id = ?1" },
	};
	const struct crm_domain audit = { .name = "audit", .timeline = changes, .ntimeline = 1 };
	const struct crm_domain *const domains[] = { &audit, NULL };
	struct crm_log_filter f = { 0 };

	f.contact_id = contact(state, "email", "a@example.org", NULL);
	add_interactions(state, f.contact_id);
	timeline_is(state, domains, &f, "");
	f.changes = 1;
	f.limit = 1;
	timeline_is(state, domains, &f, "2024-06-05T09:00:00Z|audit|3|audit|follow-up|\n");
}

/* Shared-cache connections, for the busy test: a writer on another
 * connection of this process holds sqlite_master, and a read of it fails
 * at once (SQLITE_LOCKED), as a busy store does once the timeout ran out. */
static int setup_shared(void **state)
{
	sqlite3_enable_shared_cache(1);
	return setup(state);
}

static int teardown_shared(void **state)
{
	sqlite3_enable_shared_cache(0);
	return fixture_teardown(state);
}

/* A writer holds the store: asking whether a source's table exists fails
 * with 75, and no timeline is opened (not one without that source). */
static void timeline__busy_store__error_75(void **state)
{
	struct fixture_store *t = *state;
	struct crm_log_filter f = { .changes = 1 };
	sqlite3 *holder = NULL;
	char *got;

	f.contact_id = contact(state, "email", "a@example.org", NULL);
	add_interactions(state, f.contact_id);
	f.limit = 1;
	timeline_is(state, crm_domains, &f, NOW_TEXT "|change|1|create||\n");
	assert_int_equal(sqlite3_open_v2(t->path, &holder, SQLITE_OPEN_READWRITE |
					 SQLITE_OPEN_SHAREDCACHE, NULL), SQLITE_OK);
	raw_exec_ok(holder, "BEGIN IMMEDIATE; CREATE TABLE visits (id INTEGER PRIMARY KEY)");
	got = timeline(state, crm_domains, &f);
	raw_exec_ok(holder, "ROLLBACK");
	sqlite3_close(holder);
	if (strncmp(got, "error 75: ", 10) != 0 || strstr(got, "is busy") == NULL) {
		print_error("got: %s\n", got);
		free(got);
		fail();
	}
	free(got);
	/* and once the writer is gone, the timeline again */
	timeline_is(state, crm_domains, &f, NOW_TEXT "|change|1|create||\n");
}

/* A progress handler that interrupts the first step it sees, only. */
static int interrupt_once(void *calls)
{
	return (*(int *)calls)++ == 0;
}

/* Any failing step while the timeline asks which sources' tables exist
 * is that error, never "not there": here the first one is interrupted,
 * and every step after it would work. */
static void timeline__failed_table_check__error_not_dropped(void **state)
{
	struct crm_log_filter f = { .changes = 1 };
	int calls = 0;
	char *got;

	f.contact_id = contact(state, "email", "a@example.org", NULL);
	add_interactions(state, f.contact_id);
	f.limit = 1;
	timeline_is(state, crm_domains, &f, NOW_TEXT "|change|1|create||\n");
	sqlite3_progress_handler(db(state), 1, interrupt_once, &calls);
	got = timeline(state, crm_domains, &f);
	sqlite3_progress_handler(db(state), 0, NULL, NULL);
	if (strncmp(got, "error 70: ", 10) != 0 || strstr(got, "interrupt") == NULL) {
		print_error("got: %s\n", got);
		free(got);
		fail();
	}
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(timeline__registry__every_domain_read, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__each_registered_source__ten_columns, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__new_domain__merged_by_time, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__tie__later_source_first, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__missing_table__source_left_out, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__changes_source__only_with_changes, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(timeline__busy_store__error_75, setup_shared, teardown_shared),
		cmocka_unit_test_setup_teardown(timeline__failed_table_check__error_not_dropped, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
