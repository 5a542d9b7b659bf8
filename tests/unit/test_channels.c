/* test_channels.c - unit tests for lib/log/channels.c: the channels of a
 * contact ranked by inbound and answered interactions, and writing the
 * preferred one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "log/channels.h"
#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	if (fixture_setup(state, "channels", "2024-06-15T12:00:00Z") != 0)
		return -1;
	/* Ada: two mails in, a call out answered by a call in a day later
	 * (phone 1 + 1 = 2, mail 2: a tie the later inbound wins), a web
	 * visit out unanswered. Bob: one sms in, already stored. Cy: only
	 * outbound, no score. */
	exec_ok(store(state),
		"INSERT INTO contacts (id, uid, email, preferred_channel, created_at, updated_at) VALUES"
		" (1, 'u1', 'ada@example.org', NULL, 'x', 'x'), (2, 'u2', 'bob@example.org', 'sms', 'x', 'x'),"
		" (3, 'u3', 'cy@example.org', NULL, 'x', 'x');"
		"INSERT INTO interactions (contact_id, at, channel, direction, type, created_at) VALUES"
		" (1, '2024-06-01T09:00:00Z', 'email', 'in', 'email', 'x'),"
		" (1, '2024-06-02T09:00:00Z', 'email', 'in', 'email', 'x'),"
		" (1, '2024-06-03T09:00:00Z', 'phone', 'out', 'call', 'x'),"
		" (1, '2024-06-04T09:00:00Z', 'phone', 'in', 'call', 'x'),"
		" (1, '2024-06-20T09:00:00Z', 'web', 'out', 'note', 'x'),"
		" (2, '2024-06-01T09:00:00Z', 'sms', 'in', 'message', 'x'),"
		" (3, '2024-06-01T09:00:00Z', 'email', 'out', 'email', 'x')");
	return 0;
}

/* The rows as "id|email|channel|in|out|answered|score|rank|stored". */
static char *channels(struct crm_channels *c)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_channel_row r;
	int rc;

	while ((rc = crm_channels_next(c, &r, &e)) > 0) {
		assert_int_equal(r.contact_id, strtoll(r.id, NULL, 10));
		crm_buf_addf(&b, "%s|%s|%s|%s|%s|%s|%s|%d|%s\n", r.id, r.email, r.channel,
			     r.inbound, r.outbound, r.answered, r.score, r.rank,
			     r.stored != NULL ? r.stored : "");
	}
	assert_int_equal(rc, 0);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

/* Opens the channels of contact id (0: all) over window days; its rows
 * must be want. Returns it, at its end, for the caller to close. */
static struct crm_channels *open_is(void **state, int64_t id, int64_t window, int update,
				    const char *want)
{
	struct crm_channels *c = crm_channels_open(store(state), id, window, update);

	assert_text("channels", channels(c), want);
	return c;
}


static void channels__one_contact__ranked_with_scores(void **state)
{
	struct crm_channels *c = open_is(state, 1, 7, 0, "1|ada@example.org|phone|1|1|1|2|1|\n"
					 "1|ada@example.org|email|2|0|0|2|2|\n");
	unsigned long updated = 99;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_channels_update(c, &updated, &e), 0);
	assert_int_equal(updated, 0);   /* not asked to */
	crm_channels_close(c);
	assert_rows(store(state), "SELECT count(*) FROM contacts WHERE preferred_channel IS NOT NULL", "1\n");
}

static void channels__window__answer_too_late_not_counted(void **state)
{
	exec_ok(store(state), "UPDATE interactions SET at = '2024-06-12T09:00:00Z' WHERE channel = 'phone' AND direction = 'in'");
	crm_channels_close(open_is(state, 1, 7, 0, "1|ada@example.org|email|2|0|0|2|1|\n"
				   "1|ada@example.org|phone|1|1|0|1|2|\n"));
	crm_channels_close(open_is(state, 1, 10, 0, "1|ada@example.org|phone|1|1|1|2|1|\n"
				   "1|ada@example.org|email|2|0|0|2|2|\n"));
}

static void channels__all_update__writes_changed_preferred(void **state)
{
	struct crm_channels *c = open_is(state, 0, 7, 1, "1|ada@example.org|phone|1|1|1|2|1|\n"
					 "2|bob@example.org|sms|1|0|0|1|1|sms\n");
	unsigned long updated = 0;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_store_begin(store(state), &e), 0);
	assert_int_equal(crm_channels_update(c, &updated, &e), 0);
	assert_int_equal(crm_store_commit(store(state), &e), 0);
	crm_channels_close(c);
	assert_int_equal(updated, 1);   /* bob's was stored already */
	assert_rows(store(state), "SELECT id, preferred_channel FROM contacts ORDER BY id",
		    "1|phone\n2|sms\n3|NULL\n");
	crm_channels_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(channels__one_contact__ranked_with_scores, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(channels__window__answer_too_late_not_counted, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(channels__all_update__writes_changed_preferred, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("channels", tests, NULL, NULL);
}
