/* test_rfm.c - unit tests for lib/rfm.c: the segment grid of rfm.h, and
 * scoring a crafted store (recency, frequency, monetary, quintile scores,
 * what is left out, what an empty run keeps), and the report of segments. */
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
#include "base/dates.h"
#include "base/err.h"
#include "io/output.h"
#include "segment/rfm.h"
#include "store/store.h"
#include "fixture.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "rfm", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

/* ---- helpers ---- */

/* Contact id with uid "c<id>". */
static void contact(void **state, int id)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO contacts (id, uid, created_at, updated_at)"
		 " VALUES (%d, 'c%d', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')", id, id);
	exec_ok(store(state), sql);
}

/* An interaction of contact id, `hours` before now (negative: after). */
static void touch(void **state, int id, const char *type, int64_t hours, int64_t amount)
{
	char sql[512], at[32];

	crm_time_format(now - hours * 3600, at);
	if (strcmp(type, "purchase") == 0 || strcmp(type, "refund") == 0)
		snprintf(sql, sizeof(sql),
			 "INSERT INTO interactions (contact_id, at, type, amount, currency, created_at)"
			 " VALUES (%d, '%s', '%s', %lld, 'EUR', '%s')", id, at, type,
			 (long long)amount, NOW_TEXT);
	else
		snprintf(sql, sizeof(sql),
			 "INSERT INTO interactions (contact_id, at, type, created_at)"
			 " VALUES (%d, '%s', '%s', '%s')", id, at, type, NOW_TEXT);
	exec_ok(store(state), sql);
}

static unsigned long score(void **state, int64_t as_of)
{
	struct crm_err e = { 0, "" };
	unsigned long n = 12345;

	if (crm_rfm_score(store(state), as_of, &n, &e) != 0)
		fail_msg("rfm: %s", e.msg);
	return n;
}

/* Five contacts 1..5, one clearly better than the next on every axis,
 * and three that must not be scored. */
static void five_customers(void **state)
{
	for (int id = 1; id <= 8; id++)
		contact(state, id);
	/* 1: last bought 36 h ago (1 day), 5 purchases of 100.00 */
	for (int i = 0; i < 5; i++)
		touch(state, 1, "purchase", 36 + 24 * i, 10000);
	/* 2: 10 days, 4 purchases of 50.00 */
	for (int i = 0; i < 4; i++)
		touch(state, 2, "purchase", 240 + 24 * i, 5000);
	/* 3: 20 days, 3 of 30.00 */
	for (int i = 0; i < 3; i++)
		touch(state, 3, "purchase", 480 + 24 * i, 3000);
	/* 4: 30 days, 2 of 20.00, less a refund of 5.00 */
	touch(state, 4, "purchase", 720, 2000);
	touch(state, 4, "purchase", 744, 2000);
	touch(state, 4, "refund", 100, -500);
	/* 5: 40 days, 1 of 10.00; its purchase tomorrow does not count yet */
	touch(state, 5, "purchase", 960, 1000);
	touch(state, 5, "purchase", -24, 99900);
	touch(state, 5, "refund", -48, -100);
	/* 6: a refund only; 7: notes and calls only; 8: nothing */
	touch(state, 6, "refund", 10, -700);
	touch(state, 7, "note", 1, 0);
	touch(state, 7, "call", 2, 0);
}

/* ---- the segment grid ---- */

static void rfm__segment__whole_grid(void **state)
{
	/* rows r = 5..1, columns fm = 1..5, as rfm.h draws it */
	static const char *const grid[5][5] = {
		{ "new", "potential loyalist", "potential loyalist", "champions", "champions" },
		{ "promising", "potential loyalist", "potential loyalist", "loyal", "champions" },
		{ "about to sleep", "about to sleep", "needs attention", "loyal", "loyal" },
		{ "hibernating", "hibernating", "at risk", "at risk", "cannot lose" },
		{ "lost", "lost", "at risk", "cannot lose", "cannot lose" },
	};

	(void)state;
	for (int r = 1; r <= 5; r++)
		for (int f = 1; f <= 5; f++)
			for (int m = 1; m <= 5; m++) {
				int fm = (f + m + 1) / 2;
				const char *want = grid[5 - r][fm - 1];
				const char *got = crm_rfm_segment(r, f, m);

				if (strcmp(got, want) != 0)
					fail_msg("r %d f %d m %d (fm %d): \"%s\", want \"%s\"", r, f,
						 m, fm, got, want);
			}
}

static void rfm__segment__fm_rounds_up(void **state)
{
	(void)state;
	/* fm = (f + m + 1) / 2: a half rounds up */
	assert_string_equal(crm_rfm_segment(5, 1, 1), "new");
	assert_string_equal(crm_rfm_segment(5, 1, 2), "potential loyalist"); /* fm 2 */
	assert_string_equal(crm_rfm_segment(5, 3, 4), "champions");          /* fm 4 */
	assert_string_equal(crm_rfm_segment(1, 4, 5), "cannot lose");        /* fm 5 */
	assert_string_equal(crm_rfm_segment(3, 2, 3), "needs attention");    /* fm 3 */
	assert_string_equal(crm_rfm_segment(3, 2, 2), "about to sleep");     /* fm 2 */
	assert_string_equal(crm_rfm_segment(2, 5, 1), "at risk");            /* fm 3 */
}

static void rfm__segment_out_of_range__unscored(void **state)
{
	(void)state;
	assert_string_equal(crm_rfm_segment(0, 3, 3), "unscored");
	assert_string_equal(crm_rfm_segment(6, 3, 3), "unscored");
	assert_string_equal(crm_rfm_segment(-1, 3, 3), "unscored");
	assert_string_equal(crm_rfm_segment(3, 0, 0), "unscored");  /* fm 0 */
	assert_string_equal(crm_rfm_segment(3, 6, 6), "unscored");  /* fm 6 */
	assert_string_equal(crm_rfm_segment(3, 5, 7), "unscored");  /* fm 6 */
}

/* ---- scoring ---- */

static void rfm__score__recency_frequency_monetary(void **state)
{
	five_customers(state);
	assert_int_equal(score(state, now), 5);
	assert_rows(store(state),
		    "SELECT contact_id, recency_days, frequency, monetary, r, f, m, segment, as_of"
		    " FROM contact_rfm ORDER BY contact_id",
		    "1|1|5|50000|5|5|5|champions|" NOW_TEXT "\n"
		    "2|10|4|20000|4|4|4|loyal|" NOW_TEXT "\n"
		    "3|20|3|9000|3|3|3|needs attention|" NOW_TEXT "\n"
		    "4|30|2|3500|2|2|2|hibernating|" NOW_TEXT "\n"
		    "5|40|1|1000|1|1|1|lost|" NOW_TEXT "\n");
}

static void rfm__score_mixed__segments_follow_grid(void **state)
{
	/* recency and value pull apart: the best buyer has not come back */
	for (int id = 1; id <= 5; id++)
		contact(state, id);
	for (int i = 0; i < 5; i++)
		touch(state, 1, "purchase", 24 * 100 + 24 * i, 90000); /* 100 days ago, big */
	touch(state, 2, "purchase", 24 * 1, 100);                     /* yesterday, small */
	for (int i = 0; i < 3; i++)
		touch(state, 3, "purchase", 24 * 50 + 24 * i, 5000);
	for (int i = 0; i < 2; i++)
		touch(state, 4, "purchase", 24 * 5 + 24 * i, 2000);
	for (int i = 0; i < 4; i++)
		touch(state, 5, "purchase", 24 * 20 + 24 * i, 7000);
	assert_int_equal(score(state, now), 5);
	assert_rows(store(state),
		    "SELECT contact_id, recency_days, frequency, monetary, r, f, m, segment"
		    " FROM contact_rfm ORDER BY contact_id",
		    "1|100|5|450000|1|5|5|cannot lose\n"
		    "2|1|1|100|5|1|1|new\n"
		    "3|50|3|15000|2|3|3|at risk\n"
		    "4|5|2|4000|4|2|2|potential loyalist\n"
		    "5|20|4|28000|3|4|4|loyal\n");
}

static void rfm__score_ties__share_the_lower_score(void **state)
{
	/* ten contacts: two of each purchase count, all bought the same day */
	for (int id = 1; id <= 10; id++) {
		contact(state, id);
		for (int i = 0; i < (id + 1) / 2; i++)
			touch(state, id, "purchase", 48 + i, 1000);
	}
	assert_int_equal(score(state, now), 10);
	/* frequency and money 1 1 2 2 3 3 4 4 5 5; recency all equal: 1 */
	assert_rows(store(state),
		    "SELECT group_concat(f, ' '), group_concat(m, ' '), group_concat(r, ' ')"
		    " FROM (SELECT * FROM contact_rfm ORDER BY contact_id)",
		    "1 1 2 2 3 3 4 4 5 5|1 1 2 2 3 3 4 4 5 5|1 1 1 1 1 1 1 1 1 1\n");
}

static void rfm__score_as_of__only_earlier_purchases(void **state)
{
	five_customers(state);
	/* as of 25 days ago only contacts 4 (30 days) and 5 (40 days) had
	 * bought, with the recency counted from then; of two, the better
	 * scores 1 + 5 * 1 / 2 = 3 (stats.h) */
	assert_int_equal(score(state, now - 25 * 86400), 2);
	assert_rows(store(state),
		    "SELECT contact_id, recency_days, frequency, monetary, r, f, m, segment, as_of"
		    " FROM contact_rfm ORDER BY contact_id",
		    "4|5|2|4000|3|3|3|needs attention|2024-05-21T12:00:00Z\n"
		    "5|15|1|1000|1|1|1|lost|2024-05-21T12:00:00Z\n");
	/* as of tomorrow + 1h, contact 5's purchase of tomorrow counts and its
	 * later refund does not */
	assert_int_equal(score(state, now + 25 * 3600), 5);
	assert_rows(store(state),
		    "SELECT recency_days, frequency, monetary FROM contact_rfm WHERE contact_id = 5",
		    "0|2|100900\n");
}

static void rfm__score_again__replaces_all_rows(void **state)
{
	five_customers(state);
	assert_int_equal(score(state, now), 5);
	/* contact 1..3 drop out as of 25 days ago: their rows go */
	assert_int_equal(score(state, now - 25 * 86400), 2);
	assert_rows(store(state), "SELECT group_concat(contact_id) FROM (SELECT contact_id FROM contact_rfm ORDER BY 1)",
		    "4,5\n");
	assert_int_equal(score(state, now), 5);
	assert_rows(store(state), "SELECT count(*), min(as_of) FROM contact_rfm", "5|" NOW_TEXT "\n");
}

static void rfm__score_nothing__old_scores_kept(void **state)
{
	five_customers(state);
	assert_int_equal(score(state, now), 5);
	/* before the first purchase nobody can be scored: keep what is there */
	assert_int_equal(score(state, now - 365 * 86400), 0);
	assert_rows(store(state), "SELECT count(*), min(as_of), max(as_of) FROM contact_rfm",
		    "5|" NOW_TEXT "|" NOW_TEXT "\n");
}

static void rfm__score_empty_store__zero(void **state)
{
	assert_int_equal(score(state, now), 0);
	assert_rows(store(state), "SELECT count(*) FROM contact_rfm", "0\n");
}

static void rfm__score_one_contact__all_ones(void **state)
{
	/* a column of one value scores 1 (stats.h): a lone buyer is "lost" */
	contact(state, 1);
	touch(state, 1, "purchase", 2, 500);
	assert_int_equal(score(state, now), 1);
	assert_rows(store(state), "SELECT recency_days, frequency, monetary, r, f, m, segment"
		    " FROM contact_rfm", "0|1|500|1|1|1|lost\n");
}

/* ---- the report ---- */

/* What crm_rfm_report writes as TSV, scored contacts in all. */
static char *report(void **state, unsigned long scored)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct crm_err e = { 0, "" };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct crm_out *o = crm_out_open(fp, &opts);

	assert_int_equal(crm_rfm_report(store(state), scored, o, &e), 0);
	assert_int_equal(crm_out_close(o, &e), 0);
	fclose(fp);
	return text;
}

static void rfm__report__segments_by_revenue(void **state)
{
	char *saved = fixture_env_set("CRM_CURRENCY", "EUR"), *got;

	for (int id = 1; id <= 4; id++)
		contact(state, id);
	exec_ok(store(state),
		"INSERT INTO contact_rfm (contact_id, r, f, m, recency_days, frequency, monetary,"
		" segment, as_of) VALUES"
		" (1, 5, 5, 5, 3, 10, 150000, 'champions', 'x'),"
		" (2, 4, 5, 4, 10, 8, 50050, 'champions', 'x'),"
		" (3, 1, 1, 1, 400, 1, 999, 'lost', 'x'),"
		" (4, 2, 1, 2, 200, 2, 2001, 'hibernating', 'x')");
	got = report(state, 4);
	assert_string_equal(got,
		"segment\tcontacts\tshare\trevenue\tavg_recency_days\tavg_frequency\tavg_r\tavg_f\tavg_m\n"
		"champions\t2\t50.0%\t2000.50\t7\t9.0\t4.5\t5.0\t4.5\n"
		"hibernating\t1\t25.0%\t20.01\t200\t2.0\t2.0\t1.0\t2.0\n"
		"lost\t1\t25.0%\t9.99\t400\t1.0\t1.0\t1.0\t1.0\n");
	free(got);
	/* a zero-decimal currency prints whole units; share is of scored */
	free(fixture_env_set("CRM_CURRENCY", "JPY"));
	got = report(state, 8);
	assert_non_null(strstr(got, "\nchampions\t2\t25.0%\t200050\t"));
	free(got);
	fixture_env_restore("CRM_CURRENCY", saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfm__segment__whole_grid),
		cmocka_unit_test(rfm__segment__fm_rounds_up),
		cmocka_unit_test(rfm__segment_out_of_range__unscored),
		cmocka_unit_test_setup_teardown(rfm__score__recency_frequency_monetary, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_mixed__segments_follow_grid, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_ties__share_the_lower_score, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_as_of__only_earlier_purchases, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_again__replaces_all_rows, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_nothing__old_scores_kept, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_empty_store__zero, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__score_one_contact__all_ones, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rfm__report__segments_by_revenue, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("rfm", tests, NULL, NULL);
}
