/* test_interaction.c - unit tests for lib/interaction.c: field validation
 * (crm_interaction_set), defaults and cross-checks (finish), storing with
 * keys (add), and the batch import callbacks on a temporary store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact.h"
#include "base/dates.h"
#include "base/err.h"
#include "log/interaction.h"
#include "store/store.h"
#include "fixture.h"
#include "capture.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	char *saved_currency;
	struct crm crm;
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "interaction", NOW_TEXT);

	if (f == NULL)
		return -1;
	f->saved_currency = fixture_env_set("CRM_CURRENCY", NULL);
	now = crm_now();
	f->crm.prog = "crm-log";
	f->crm.cmd = "import";
	f->crm.out.header = 1;
	f->crm.quiet = 0;
	f->crm.store = f->base.s;
	snprintf(f->crm.user, sizeof(f->crm.user), "tester");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_env_restore("CRM_CURRENCY", f->saved_currency);
	return fixture_free(f);
}

/* Setup without a store, for the pure field tests. */
static int setup_env(void **state)
{
	char **saved = calloc(2, sizeof(char *));

	if (saved == NULL)
		return -1;
	saved[0] = fixture_env_set("CRM_NOW", NOW_TEXT);
	saved[1] = fixture_env_set("CRM_CURRENCY", NULL);
	now = crm_now();
	*state = saved;
	return 0;
}

static int teardown_env(void **state)
{
	char **saved = *state;

	fixture_env_restore("CRM_NOW", saved[0]);
	fixture_env_restore("CRM_CURRENCY", saved[1]);
	free(saved);
	return 0;
}

/* ---- helpers ---- */

static int64_t create_contact(void **state, const char *email)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	crm_contact_init(&c);
	if (crm_contact_set_named(&c, "email", email, now, &e) != 0)
		fail_msg("email %s: %s", email, e.msg);
	if (crm_contact_create(store(state), &c, &id, &e) != 0)
		fail_msg("create: %s", e.msg);
	crm_contact_free(&c);
	return id;
}

static void set_ok(struct crm_interaction *it, enum crm_it_field f, const char *raw,
		   const char *want)
{
	struct crm_err e = { 0, "" };

	if (crm_interaction_set(it, f, raw, now, &e) != 0)
		fail_msg("%s \"%s\": rejected: %s", crm_it_field_names[f], raw, e.msg);
	if (want == NULL) {
		if (it->v[f] != NULL)
			fail_msg("%s \"%s\": set to \"%s\", want unset", crm_it_field_names[f],
				 raw, it->v[f]);
		return;
	}
	if (it->v[f] == NULL || strcmp(it->v[f], want) != 0)
		fail_msg("%s \"%s\": got \"%s\", want \"%s\"", crm_it_field_names[f], raw,
			 it->v[f] != NULL ? it->v[f] : "(null)", want);
}

/* One field on a fresh record; want NULL: stays unset. */
static void one_ok(enum crm_it_field f, const char *raw, const char *want)
{
	struct crm_interaction it;

	crm_interaction_init(&it);
	set_ok(&it, f, raw, want);
	crm_interaction_free(&it);
}

static void one_bad(enum crm_it_field f, const char *raw, const char *want_msg)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int rc;

	crm_interaction_init(&it);
	rc = crm_interaction_set(&it, f, raw, now, &e);
	if (rc != CRM_EX_DATAERR)
		fail_msg("%s \"%.40s\": accepted as \"%.40s\" (rc %d)", crm_it_field_names[f], raw,
			 it.v[f] != NULL ? it.v[f] : "(null)", rc);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_null(it.v[f]);
	if (want_msg != NULL && strcmp(e.msg, want_msg) != 0)
		fail_msg("%s \"%.40s\": message \"%s\", want \"%s\"", crm_it_field_names[f], raw,
			 e.msg, want_msg);
	crm_interaction_free(&it);
}

static int64_t duration_of(const char *raw)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t d;

	crm_interaction_init(&it);
	if (crm_interaction_set(&it, CRM_IT_DURATION, raw, now, &e) != 0)
		fail_msg("duration \"%s\": %s", raw, e.msg);
	d = it.duration;
	crm_interaction_free(&it);
	return d;
}

/* A record from field=value pairs (CRM_IT_x, "value", ..., -1). */
static void fill(struct crm_interaction *it, ...)
{
	struct crm_err e = { 0, "" };
	va_list ap;
	int f;

	crm_interaction_init(it);
	va_start(ap, it);
	while ((f = va_arg(ap, int)) >= 0) {
		const char *v = va_arg(ap, const char *);

		if (crm_interaction_set(it, (enum crm_it_field)f, v, now, &e) != 0)
			fail_msg("set %s=%s: %s", crm_it_field_names[f], v, e.msg);
	}
	va_end(ap);
}

static void finish_bad(struct crm_interaction *it, const char *who, int no_future,
		       int want_code, const char *want_msg)
{
	struct crm_err e = { 0, "" };
	int rc = crm_interaction_finish(it, who, now, no_future, &e);

	if (rc != want_code)
		fail_msg("finish: rc %d (%s), want %d", rc, e.msg, want_code);
	assert_int_equal(e.code, want_code);
	assert_string_equal(e.msg, want_msg);
}

static void finish_ok(struct crm_interaction *it, const char *who, int no_future)
{
	struct crm_err e = { 0, "" };

	if (crm_interaction_finish(it, who, now, no_future, &e) != 0)
		fail_msg("finish: %s", e.msg);
}

#define V(it, f) ((it)->v[CRM_IT_##f])

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* ---- field names ---- */

static void interaction__field_names__in_enum_order(void **state)
{
	(void)state;
	assert_string_equal(crm_it_field_names[CRM_IT_CONTACT], "contact");
	assert_string_equal(crm_it_field_names[CRM_IT_AT], "at");
	assert_string_equal(crm_it_field_names[CRM_IT_CHANNEL], "channel");
	assert_string_equal(crm_it_field_names[CRM_IT_DURATION], "duration");
	assert_string_equal(crm_it_field_names[CRM_IT_KEY], "key");
	assert_string_equal(crm_it_field_names[CRM_IT_DUE], "due");
	assert_string_equal(crm_it_field_names[CRM_IT_ASSIGNEE], "assignee");
}

/* ---- set: each field ---- */

static void interaction__set_empty__leaves_unset(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_interaction_init(&it);
	set_ok(&it, CRM_IT_SUBJECT, "hello", "hello");
	/* "" leaves a field as it is, even a field already set */
	assert_int_equal(crm_interaction_set(&it, CRM_IT_SUBJECT, "", now, &e), 0);
	assert_string_equal(it.v[CRM_IT_SUBJECT], "hello");
	for (int f = 0; f < CRM_IT_NFIELDS; f++)
		if (f != CRM_IT_SUBJECT)
			set_ok(&it, (enum crm_it_field)f, "", NULL);
	assert_int_equal(it.duration, -1);
	crm_interaction_free(&it);
}

static void interaction__set_at__iso_and_relative(void **state)
{
	(void)state;
	one_ok(CRM_IT_AT, "2024-06-01", "2024-06-01T00:00:00Z");
	one_ok(CRM_IT_AT, "2024-06-01T10:30:00+02:00", "2024-06-01T08:30:00Z");
	one_ok(CRM_IT_AT, "2024-06-01 10:30", "2024-06-01T10:30:00Z");
	one_ok(CRM_IT_AT, "-1d", "2024-06-14T12:00:00Z");
	one_ok(CRM_IT_AT, "now", NOW_TEXT);
	one_ok(CRM_IT_AT, "today", "2024-06-15T00:00:00Z");
	one_ok(CRM_IT_DUE, "+2w", "2024-06-29T12:00:00Z");
	one_ok(CRM_IT_DUE, "tomorrow", "2024-06-16T00:00:00Z");
	one_bad(CRM_IT_AT, "2023-02-30", "invalid date \"2023-02-30\"");
	one_bad(CRM_IT_AT, "yesterday-ish", NULL);
	one_bad(CRM_IT_DUE, "next week", NULL);
}

static void interaction__set_channel__words_lowercased(void **state)
{
	static const char *const ok[] = {
		"email", "phone", "sms", "chat", "social", "meeting", "post", "web", "other", NULL
	};

	(void)state;
	for (size_t i = 0; ok[i] != NULL; i++)
		one_ok(CRM_IT_CHANNEL, ok[i], ok[i]);
	one_ok(CRM_IT_CHANNEL, "EMAIL", "email");
	one_ok(CRM_IT_CHANNEL, "Phone", "phone");
	one_bad(CRM_IT_CHANNEL, "fax",
		"invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other)");
	one_bad(CRM_IT_CHANNEL, "e-mail", NULL);
	one_bad(CRM_IT_CHANNEL, " email", NULL);
}

static void interaction__set_direction__in_or_out(void **state)
{
	(void)state;
	one_ok(CRM_IT_DIRECTION, "in", "in");
	one_ok(CRM_IT_DIRECTION, "OUT", "out");
	one_bad(CRM_IT_DIRECTION, "inbound", "invalid direction \"inbound\" (use in or out)");
	one_bad(CRM_IT_DIRECTION, "up", "invalid direction \"up\" (use in or out)");
}

static void interaction__set_type__words_lowercased(void **state)
{
	static const char *const ok[] = {
		"note", "call", "email", "meeting", "message", "purchase", "refund", "task", NULL
	};

	(void)state;
	for (size_t i = 0; ok[i] != NULL; i++)
		one_ok(CRM_IT_TYPE, ok[i], ok[i]);
	one_ok(CRM_IT_TYPE, "Purchase", "purchase");
	one_bad(CRM_IT_TYPE, "visit",
		"invalid type \"visit\" (use note, call, email, meeting, message, purchase, refund or task)");
	one_bad(CRM_IT_TYPE, "order", NULL);
}

static void interaction__set_duration__every_form(void **state)
{
	(void)state;
	assert_int_equal(duration_of("90"), 90);
	assert_int_equal(duration_of("0"), 0);
	assert_int_equal(duration_of("90s"), 90);
	assert_int_equal(duration_of("15m"), 900);
	assert_int_equal(duration_of("2h"), 7200);
	assert_int_equal(duration_of("1h30m"), 5400);
	assert_int_equal(duration_of("1h30m15s"), 5415);
	assert_int_equal(duration_of("1m30s"), 90);
	assert_int_equal(duration_of("1:30:00"), 5400);
	assert_int_equal(duration_of("0:00:59"), 59);
	assert_int_equal(duration_of("2:05"), 125);
	assert_int_equal(duration_of("999999999"), 999999999);
	/* the value is normalised to seconds */
	one_ok(CRM_IT_DURATION, "1h30m", "5400");
	one_ok(CRM_IT_DURATION, "2:05", "125");
}

static void interaction__set_blank_number__missing_not_zero(void **state)
{
	static const enum crm_it_field nums[] = {
		CRM_IT_DURATION, CRM_IT_AMOUNT, CRM_IT_LEAD, CRM_IT_TICKET
	};
	static const char *const blanks[] = { " ", "   ", "\t", " \t " };
	struct crm_interaction it;

	(void)state;
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		for (size_t j = 0; j < sizeof(blanks) / sizeof(blanks[0]); j++) {
			crm_interaction_init(&it);
			set_ok(&it, nums[i], blanks[j], NULL);
			assert_int_equal(it.duration, -1);
			crm_interaction_free(&it);
		}
	}
	/* nothing to finish: a note, no amount */
	fill(&it, CRM_IT_AMOUNT, " ", CRM_IT_DURATION, "  ", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, TYPE), "note");
	assert_int_equal(it.has_amount, 0);
	assert_int_equal(it.duration, -1);
	crm_interaction_free(&it);
}

static void interaction__set_duration_bad__message(void **state)
{
	static const char *const bad[] = {
		"1h30", "abc", "-5", "+5", "1.5h", "15 m", "15M", "1d", "h", "m30",
		"1:60", "1:60:00", "1:30:60", "1:2:3:4", ":30", "1:", "1::2",
		"1234567890", "90s ", NULL
	};

	(void)state;
	one_bad(CRM_IT_DURATION, "1h30",
		"invalid duration \"1h30\" (use seconds, 15m, 1h30m or 1:30:00)");
	for (size_t i = 0; bad[i] != NULL; i++)
		one_bad(CRM_IT_DURATION, bad[i], NULL);
}

static void interaction__set_currency__uppercased_or_message(void **state)
{
	(void)state;
	one_ok(CRM_IT_CURRENCY, "usd", "USD");
	one_ok(CRM_IT_CURRENCY, "JPY", "JPY");
	one_bad(CRM_IT_CURRENCY, "EURO",
		"invalid currency \"EURO\" (use an ISO 4217 code such as EUR)");
	one_bad(CRM_IT_CURRENCY, "E1R", NULL);
}

static void interaction__set_lead_ticket__positive_ids(void **state)
{
	(void)state;
	one_ok(CRM_IT_LEAD, "42", "42");
	one_ok(CRM_IT_LEAD, "+7", "7");
	one_ok(CRM_IT_TICKET, "007", "7");
	one_bad(CRM_IT_LEAD, "0", "invalid lead id \"0\": too small");
	one_bad(CRM_IT_LEAD, "-3", "invalid lead id \"-3\": too small");
	one_bad(CRM_IT_LEAD, "L-12", "invalid lead id \"L-12\": invalid");
	one_bad(CRM_IT_TICKET, "x", "invalid ticket id \"x\": invalid");
	one_bad(CRM_IT_TICKET, "99999999999999999999",
		"invalid ticket id \"99999999999999999999\": too large");
}

static void interaction__set_body__multiline_text(void **state)
{
	const char *body_msg =
		"body is not text (invalid UTF-8, control characters or over 1 MiB)";
	char *big;

	(void)state;
	one_ok(CRM_IT_BODY, "line one\nline two\r\n\ttabbed", "line one\nline two\r\n\ttabbed");
	one_ok(CRM_IT_BODY, "Grüße, 東京", "Grüße, 東京");
	one_bad(CRM_IT_BODY, "bell\a", body_msg);
	one_bad(CRM_IT_BODY, "del\x7f", body_msg);
	one_bad(CRM_IT_BODY, "bad \xff utf-8", body_msg);
	one_bad(CRM_IT_BODY, "overlong \xc0\xaf", body_msg);
	/* 1 MiB is the limit: one byte more is refused */
	big = malloc(1024 * 1024 + 2);
	assert_non_null(big);
	memset(big, 'a', 1024 * 1024);
	big[1024 * 1024] = '\0';
	{
		struct crm_interaction it;
		struct crm_err e = { 0, "" };

		crm_interaction_init(&it);
		assert_int_equal(crm_interaction_set(&it, CRM_IT_BODY, big, now, &e), 0);
		assert_int_equal(strlen(it.v[CRM_IT_BODY]), 1024 * 1024);
		crm_interaction_free(&it);
	}
	big[1024 * 1024] = 'a';
	big[1024 * 1024 + 1] = '\0';
	one_bad(CRM_IT_BODY, big, body_msg);
	free(big);
}

static void interaction__set_one_line_fields__checked(void **state)
{
	static const enum crm_it_field fields[] = {
		CRM_IT_SUBJECT, CRM_IT_AGENT, CRM_IT_OUTCOME, CRM_IT_ASSIGNEE
	};
	char text[1002];

	(void)state;
	memset(text, 'x', 1000);
	text[1000] = '\0';
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		enum crm_it_field f = fields[i];
		char want[160];

		snprintf(want, sizeof(want),
			 "%s is not one line of text (control characters, invalid UTF-8 or over 1000 bytes)",
			 crm_it_field_names[f]);
		one_ok(f, "Re: your order", "Re: your order");
		one_ok(f, "Ünïcödé", "Ünïcödé");
		one_ok(f, text, text);         /* 1000 bytes: the limit */
		text[1000] = 'x';
		text[1001] = '\0';
		one_bad(f, text, want);        /* 1001 bytes */
		text[1000] = '\0';
		one_bad(f, "two\nlines", want);
		one_bad(f, "tab\there", want);
		one_bad(f, "cr\r", want);
		one_bad(f, "\xe2\x82", want); /* truncated UTF-8 */
	}
}

static void interaction__set_key__one_line_998(void **state)
{
	char key[1000];

	(void)state;
	memset(key, 'k', 998);
	key[998] = '\0';
	one_ok(CRM_IT_KEY, "<abc@mail.example.org>", "<abc@mail.example.org>");
	one_ok(CRM_IT_KEY, key, key);
	key[998] = 'k';
	key[999] = '\0';
	one_bad(CRM_IT_KEY, key, NULL);
	one_bad(CRM_IT_KEY, "a\nb", "invalid key \"a\nb\"");
	one_bad(CRM_IT_KEY, "a\tb", "invalid key \"a\tb\"");
}

static void interaction__set_amount__kept_raw_until_finish(void **state)
{
	(void)state;
	/* only text is checked here; the currency decides in finish() */
	one_ok(CRM_IT_AMOUNT, "12,3.4", "12,3.4");
	one_ok(CRM_IT_AMOUNT, "12.30", "12.30");
	one_bad(CRM_IT_AMOUNT, "1\n2", "invalid amount \"1\n2\"");
	one_bad(CRM_IT_AMOUNT, "12345678901234567890123456789012345678901234567890123456789012345",
		NULL);
}

static void interaction__set_twice__last_wins_and_failure_keeps_old(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_interaction_init(&it);
	set_ok(&it, CRM_IT_CHANNEL, "email", "email");
	set_ok(&it, CRM_IT_CHANNEL, "phone", "phone");
	assert_int_equal(crm_interaction_set(&it, CRM_IT_CHANNEL, "fax", now, &e), CRM_EX_DATAERR);
	assert_string_equal(it.v[CRM_IT_CHANNEL], "phone");
	set_ok(&it, CRM_IT_DURATION, "15m", "900");
	assert_int_equal(crm_interaction_set(&it, CRM_IT_DURATION, "15x", now, &e), CRM_EX_DATAERR);
	assert_string_equal(it.v[CRM_IT_DURATION], "900");
	crm_interaction_free(&it);
	assert_null(it.v[CRM_IT_CHANNEL]);
	assert_int_equal(it.duration, -1);
}

/* ---- finish: defaults and cross-checks ---- */

static void interaction__finish_nothing__note_now_agent(void **state)
{
	struct crm_interaction it;

	(void)state;
	crm_interaction_init(&it);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, TYPE), "note");
	assert_string_equal(V(&it, CHANNEL), "other");
	assert_string_equal(V(&it, AT), NOW_TEXT);
	assert_string_equal(V(&it, AGENT), "alice");
	assert_null(V(&it, CURRENCY));
	assert_null(V(&it, ASSIGNEE));
	assert_int_equal(it.has_amount, 0);
	crm_interaction_free(&it);
}

static void interaction__finish_no_who__no_agent(void **state)
{
	struct crm_interaction it;

	(void)state;
	crm_interaction_init(&it);
	finish_ok(&it, NULL, 0);
	assert_null(V(&it, AGENT));
	crm_interaction_free(&it);
}

static void interaction__finish_agent_given__kept(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_AGENT, "bob", CRM_IT_AT, "2024-01-02", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, AGENT), "bob");
	assert_string_equal(V(&it, AT), "2024-01-02T00:00:00Z");
	crm_interaction_free(&it);
}

static void interaction__finish_channel__from_type(void **state)
{
	static const char *const pairs[][2] = {
		{ "call", "phone" }, { "email", "email" }, { "meeting", "meeting" },
		{ "message", "chat" }, { "note", "other" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct crm_interaction it;

		fill(&it, CRM_IT_TYPE, pairs[i][0], -1);
		finish_ok(&it, "alice", 0);
		if (strcmp(V(&it, CHANNEL), pairs[i][1]) != 0)
			fail_msg("type %s: channel %s, want %s", pairs[i][0], V(&it, CHANNEL),
				 pairs[i][1]);
		crm_interaction_free(&it);
	}
	{
		struct crm_interaction it;

		fill(&it, CRM_IT_TYPE, "purchase", CRM_IT_AMOUNT, "1", -1);
		finish_ok(&it, "alice", 0);
		assert_string_equal(V(&it, CHANNEL), "other");
		crm_interaction_free(&it);
		fill(&it, CRM_IT_TYPE, "task", CRM_IT_DUE, "+1d", -1);
		finish_ok(&it, "alice", 0);
		assert_string_equal(V(&it, CHANNEL), "other");
		crm_interaction_free(&it);
	}
}

static void interaction__finish_channel_given__kept(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "call", CRM_IT_CHANNEL, "social", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, CHANNEL), "social");
	crm_interaction_free(&it);
}

static void interaction__finish_amount__purchase_default_currency(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_AMOUNT, "12.30", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, TYPE), "purchase");
	assert_string_equal(V(&it, CURRENCY), "EUR");
	assert_int_equal(it.amount, 1230);
	assert_int_equal(it.has_amount, 1);
	crm_interaction_free(&it);

	setenv("CRM_CURRENCY", "JPY", 1);
	fill(&it, CRM_IT_AMOUNT, "1500", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, CURRENCY), "JPY");
	assert_int_equal(it.amount, 1500);
	crm_interaction_free(&it);

	/* $CRM_CURRENCY is uppercased like any code */
	setenv("CRM_CURRENCY", "kwd", 1);
	fill(&it, CRM_IT_AMOUNT, "1.5", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, CURRENCY), "KWD");
	assert_int_equal(it.amount, 1500);
	crm_interaction_free(&it);
	unsetenv("CRM_CURRENCY");
}

static void interaction__finish_bad_env_currency__config(void **state)
{
	struct crm_interaction it;

	(void)state;
	setenv("CRM_CURRENCY", "1$%", 1);
	fill(&it, CRM_IT_AMOUNT, "5", -1);
	finish_bad(&it, "alice", 0, CRM_EX_CONFIG, "invalid CRM_CURRENCY \"1$%\"");
	crm_interaction_free(&it);
	/* a currency given on the record does not need the environment */
	fill(&it, CRM_IT_AMOUNT, "5", CRM_IT_CURRENCY, "usd", -1);
	finish_ok(&it, "alice", 0);
	assert_int_equal(it.amount, 500);
	crm_interaction_free(&it);
	unsetenv("CRM_CURRENCY");
}

static void interaction__finish_amount_in_currency__decimals(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_AMOUNT, "1500", CRM_IT_CURRENCY, "jpy", -1);
	finish_ok(&it, "alice", 0);
	assert_int_equal(it.amount, 1500);
	crm_interaction_free(&it);

	fill(&it, CRM_IT_AMOUNT, "15.5", CRM_IT_CURRENCY, "JPY", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "invalid amount \"15.5\": invalid (JPY has 0 decimals; use a dot, no thousands separators)");
	crm_interaction_free(&it);

	fill(&it, CRM_IT_AMOUNT, "12,3.4", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "invalid amount \"12,3.4\": invalid (EUR has 2 decimals; use a dot, no thousands separators)");
	crm_interaction_free(&it);
}

static void interaction__finish_amount_mark__thousands_and_decimal_comma(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };

	(void)state;
	fill(&it, CRM_IT_AMOUNT, "1,234.50", -1);
	it.decimal = '.';
	finish_ok(&it, "alice", 0);
	assert_int_equal(it.amount, 123450);
	crm_interaction_free(&it);
	fill(&it, CRM_IT_AMOUNT, "1.234,50", -1);
	it.decimal = ',';
	finish_ok(&it, "alice", 0);
	assert_int_equal(it.amount, 123450);
	crm_interaction_free(&it);
	/* decimal 0, as crm-log add sets it: a dot and no separators */
	fill(&it, CRM_IT_AMOUNT, "1,234.50", -1);
	assert_int_equal(crm_interaction_finish(&it, "alice", now, 0, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid amount \"1,234.50\": invalid (EUR has 2 decimals; use a dot, no thousands separators)");
	crm_interaction_free(&it);
}

static void interaction__finish_refund__negative(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "refund", CRM_IT_AMOUNT, "5.00", -1);
	finish_ok(&it, "alice", 0);
	assert_int_equal(it.amount, -500);
	assert_int_equal(it.has_amount, 1);
	assert_string_equal(V(&it, CHANNEL), "other");
	crm_interaction_free(&it);
}

static void interaction__finish_negative_amount__refused(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_AMOUNT, "-5", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "amount \"-5\" is negative: give refunds as type refund with a positive amount");
	crm_interaction_free(&it);
	fill(&it, CRM_IT_TYPE, "refund", CRM_IT_AMOUNT, "-5", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "amount \"-5\" is negative: give refunds as type refund with a positive amount");
	crm_interaction_free(&it);
}

static void interaction__finish_money_without_amount__refused(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "purchase", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR, "a purchase needs an amount");
	crm_interaction_free(&it);
	fill(&it, CRM_IT_TYPE, "refund", CRM_IT_CURRENCY, "EUR", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR, "a refund needs an amount");
	crm_interaction_free(&it);
}

static void interaction__finish_amount_on_other_types__refused(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "note", CRM_IT_AMOUNT, "5", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "an amount belongs to a purchase or refund, not a note");
	crm_interaction_free(&it);
	fill(&it, CRM_IT_TYPE, "call", CRM_IT_CURRENCY, "EUR", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "a currency belongs to a purchase or refund, not a call");
	crm_interaction_free(&it);
	/* a currency alone does not make a purchase */
	fill(&it, CRM_IT_CURRENCY, "EUR", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "a currency belongs to a purchase or refund, not a note");
	crm_interaction_free(&it);
}

static void interaction__finish_due__task_assignee_agent(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_DUE, "+2d", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, TYPE), "task");
	assert_string_equal(V(&it, DUE), "2024-06-17T12:00:00Z");
	assert_string_equal(V(&it, AGENT), "alice");
	assert_string_equal(V(&it, ASSIGNEE), "alice");
	crm_interaction_free(&it);

	/* the assignee defaults to the record's agent, not to who */
	fill(&it, CRM_IT_DUE, "+2d", CRM_IT_AGENT, "bob", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, AGENT), "bob");
	assert_string_equal(V(&it, ASSIGNEE), "bob");
	crm_interaction_free(&it);

	fill(&it, CRM_IT_TYPE, "task", CRM_IT_DUE, "+2d", CRM_IT_ASSIGNEE, "carol", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, AGENT), "alice");
	assert_string_equal(V(&it, ASSIGNEE), "carol");
	crm_interaction_free(&it);

	/* nobody to default to */
	fill(&it, CRM_IT_DUE, "+2d", -1);
	finish_ok(&it, NULL, 0);
	assert_null(V(&it, ASSIGNEE));
	crm_interaction_free(&it);
}

static void interaction__finish_task_without_due__refused(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "task", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR, "a task needs a due date");
	crm_interaction_free(&it);
	fill(&it, CRM_IT_TYPE, "task", CRM_IT_ASSIGNEE, "bob", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR, "a task needs a due date");
	crm_interaction_free(&it);
}

static void interaction__finish_due_or_assignee_on_non_task__refused(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_TYPE, "call", CRM_IT_DUE, "+1d", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "a due date or assignee belongs to a task, not a call");
	crm_interaction_free(&it);
	fill(&it, CRM_IT_ASSIGNEE, "bob", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "a due date or assignee belongs to a task, not a note");
	crm_interaction_free(&it);
	/* an amount makes a purchase even with a due date, which then does
	 * not fit */
	fill(&it, CRM_IT_AMOUNT, "5", CRM_IT_DUE, "+1d", -1);
	finish_bad(&it, "alice", 0, CRM_EX_DATAERR,
		   "a due date or assignee belongs to a task, not a purchase");
	crm_interaction_free(&it);
}

static void interaction__finish_no_future__refuses_later_times(void **state)
{
	struct crm_interaction it;

	(void)state;
	fill(&it, CRM_IT_AT, "+1d", -1);
	finish_bad(&it, "alice", 1, CRM_EX_DATAERR,
		   "time 2024-06-16T12:00:00Z is in the future (--no-future)");
	crm_interaction_free(&it);
	/* without the flag the same time is fine */
	fill(&it, CRM_IT_AT, "+1d", -1);
	finish_ok(&it, "alice", 0);
	assert_string_equal(V(&it, AT), "2024-06-16T12:00:00Z");
	crm_interaction_free(&it);
	/* now itself and earlier times pass */
	fill(&it, CRM_IT_AT, NOW_TEXT, -1);
	finish_ok(&it, "alice", 1);
	crm_interaction_free(&it);
	fill(&it, CRM_IT_AT, "-1y", -1);
	finish_ok(&it, "alice", 1);
	crm_interaction_free(&it);
	/* the default time is now, never the future */
	crm_interaction_init(&it);
	finish_ok(&it, "alice", 1);
	assert_string_equal(V(&it, AT), NOW_TEXT);
	crm_interaction_free(&it);
	/* a due date in the future is what tasks are for */
	fill(&it, CRM_IT_DUE, "+1w", -1);
	finish_ok(&it, "alice", 1);
	crm_interaction_free(&it);
}

/* ---- add ---- */

static void interaction__add__row_stored(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t c = create_contact(state, "ann@example.org"), id = 0;
	int existed = -1;

	fill(&it, CRM_IT_AT, "2024-06-01T09:00:00Z", CRM_IT_TYPE, "call",
	     CRM_IT_DIRECTION, "in", CRM_IT_SUBJECT, "about the invoice",
	     CRM_IT_BODY, "she called\nback", CRM_IT_OUTCOME, "resolved",
	     CRM_IT_DURATION, "1h30m", CRM_IT_LEAD, "7", CRM_IT_TICKET, "9", -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), 0);
	assert_int_equal(existed, 0);
	assert_true(id > 0);
	crm_interaction_free(&it);
	assert_rows(store(state),
		    "SELECT contact_id, at, channel, direction, type, subject, body, agent,"
		    " outcome, duration, amount, currency, lead_id, ticket_id, ext_key, due_at,"
		    " assignee, done_at, created_at FROM interactions",
		    "1|2024-06-01T09:00:00Z|phone|in|call|about the invoice|she called\nback|alice|"
		    "resolved|5400|NULL|NULL|7|9|NULL|NULL|NULL|NULL|" NOW_TEXT "\n");
}

static void interaction__add_money_and_task__columns(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t c = create_contact(state, "ann@example.org"), id;
	int existed;

	fill(&it, CRM_IT_TYPE, "refund", CRM_IT_AMOUNT, "2.50", CRM_IT_CURRENCY, "usd", -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), 0);
	crm_interaction_free(&it);
	fill(&it, CRM_IT_DUE, "+1d", -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), 0);
	crm_interaction_free(&it);
	assert_rows(store(state),
		    "SELECT type, channel, amount, currency, duration, due_at, assignee"
		    " FROM interactions ORDER BY id",
		    "refund|other|-250|USD|NULL|NULL|NULL\n"
		    "task|other|NULL|NULL|NULL|2024-06-16T12:00:00Z|alice\n");
}

static void interaction__add_same_key__idempotent(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t c = create_contact(state, "ann@example.org"), id1 = 0, id2 = 0, id3 = 0;
	int existed = -1;

	fill(&it, CRM_IT_TYPE, "email", CRM_IT_KEY, "<m1@example.org>", CRM_IT_SUBJECT, "hi", -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id1, &existed, &e), 0);
	assert_int_equal(existed, 0);
	crm_interaction_free(&it);

	/* the same key again, even with other fields: nothing written */
	fill(&it, CRM_IT_TYPE, "email", CRM_IT_KEY, "<m1@example.org>", CRM_IT_SUBJECT, "changed",
	     -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id2, &existed, &e), 0);
	assert_int_equal(existed, 1);
	assert_int_equal(id2, id1);
	crm_interaction_free(&it);
	assert_rows(store(state), "SELECT count(*), max(subject) FROM interactions", "1|hi\n");

	/* without a key, two adds are two rows */
	fill(&it, CRM_IT_SUBJECT, "plain", -1);
	it.contact_id = c;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id2, &existed, &e), 0);
	assert_int_equal(existed, 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id3, &existed, &e), 0);
	assert_int_equal(existed, 0);
	assert_true(id3 != id2);
	crm_interaction_free(&it);
	assert_rows(store(state), "SELECT count(*) FROM interactions", "3\n");
}

static void interaction__add_key_of_other_contact__dataerr(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t a = create_contact(state, "ann@example.org");
	int64_t b = create_contact(state, "bob@example.org");
	int64_t id = 0;
	int existed = -1;

	fill(&it, CRM_IT_KEY, "order-17", CRM_IT_AMOUNT, "10", -1);
	it.contact_id = a;
	finish_ok(&it, "alice", 0);
	assert_int_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), 0);
	it.contact_id = b;
	assert_int_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), CRM_EX_DATAERR);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_string_equal(e.msg, "key \"order-17\" belongs to interaction 1 of contact 1");
	assert_int_equal(existed, 0);
	crm_interaction_free(&it);
	assert_rows(store(state), "SELECT contact_id, ext_key FROM interactions", "1|order-17\n");
}

static void interaction__add_unknown_contact__constraint(void **state)
{
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t id = 0;
	int existed = -1;

	crm_interaction_init(&it);
	it.contact_id = 999;
	finish_ok(&it, "alice", 0);
	/* the foreign key stops it; nothing stored */
	assert_int_not_equal(crm_interaction_add(store(state), &it, &id, &existed, &e), 0);
	assert_int_not_equal(e.code, 0);
	crm_interaction_free(&it);
	assert_rows(store(state), "SELECT count(*) FROM interactions", "0\n");
}

/* ---- import (batch callbacks) ---- */

/* run_import with blocks of block_rows rows (0: the default). */
static int run_import_blocks(void **state, const char *csv, struct crm_interaction_import *ii,
			     struct crm_batch_counts *counts, char **err, size_t block_rows)
{
	struct fixture *f = *state;
	struct crm_batch_opts opts = { 0 };
	struct capture cap;
	char path[160];
	int rc;

	snprintf(path, sizeof(path), "%s/in.csv", f->base.dir);
	write_file(path, csv);
	opts.path = path;
	opts.format = CRM_CSV_AUTO;
	opts.block_rows = block_rows;
	ii->store = f->base.s;
	ii->who = "tester";
	capture_begin(&cap);
	rc = crm_batch_run(&f->crm, f->base.s, &opts, &crm_interaction_import_ops, ii, counts);
	*err = capture_end(&cap);
	return rc;
}

static int run_import(void **state, const char *csv, struct crm_interaction_import *ii,
		      struct crm_batch_counts *counts, char **err)
{
	return run_import_blocks(state, csv, ii, counts, err, 0);
}

/* The message text with the temp dir replaced by DIR. */
static void assert_err(void **state, const char *got, const char *want)
{
	struct fixture *f = *state;
	struct crm_buf b = CRM_BUF_INIT;
	size_t n = strlen(f->base.dir);

	for (const char *p = got; *p != '\0';) {
		if (strncmp(p, f->base.dir, n) == 0) {
			crm_buf_adds(&b, "DIR");
			p += n;
		} else {
			crm_buf_addc(&b, *p++);
		}
	}
	crm_buf_adds(&b, "");
	if (strcmp(crm_buf_str(&b), want) != 0)
		fail_msg("stderr:\n%s\nwant:\n%s", crm_buf_str(&b), want);
	crm_buf_free(&b);
}

static void interaction__import_aliases__rows_added_and_keys_idempotent(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	rc = run_import(state,
			"E-mail,Date,Kind,Total,Currency,Order Number,Notes\n"
			"ann@example.org,2024-06-01,purchase,12.30,usd,o-1,first\n"
			"ann@example.org,2024-06-02,,5,,o-2,\n"
			"ann@example.org,2024-06-01,purchase,12.30,usd,o-1,first\n",
			&ii, &n, &err);
	assert_int_equal(rc, 0);
	assert_err(state, err, "");
	free(err);
	assert_int_equal(n.read, 3);
	assert_int_equal(n.added, 2);
	assert_int_equal(n.unchanged, 1);
	assert_int_equal(n.rejected, 0);
	crm_interaction_import_free(&ii);
	assert_rows(store(state),
		    "SELECT contact_id, at, type, amount, currency, ext_key, body, agent"
		    " FROM interactions ORDER BY id",
		    "1|2024-06-01T00:00:00Z|purchase|1230|USD|o-1|first|tester\n"
		    "1|2024-06-02T00:00:00Z|purchase|500|EUR|o-2|NULL|tester\n");
}

static void interaction__import_bad_rows__rejected_with_line(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	rc = run_import(state,
			"contact,channel,subject\n"
			"ann@example.org,fax,one\n"
			"nobody@example.org,email,two\n"
			",email,three\n"
			"ann@example.org,email,four\n",
			&ii, &n, &err);
	assert_int_equal(rc, CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: DIR/in.csv:2: invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other): row rejected\n"
		   "crm-log: import: DIR/in.csv:3: no contact \"nobody@example.org\": row rejected\n"
		   "crm-log: import: DIR/in.csv:4: no contact: column \"contact\" is empty: row rejected\n"
		   "crm-log: import: DIR/in.csv: 4 read, 1 added, 0 updated, 3 rejected\n");
	free(err);
	assert_int_equal(n.added, 1);
	assert_int_equal(n.rejected, 3);
	crm_interaction_import_free(&ii);
	assert_rows(store(state), "SELECT subject, channel FROM interactions", "four|email\n");
}

static void interaction__import_decimal_comma_blank_cells__amounts_and_nulls(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	assert_int_equal(ii.decimal, '.');
	ii.decimal = ',';
	rc = run_import(state,
			"contact;at;amount;duration;lead\n"
			"ann@example.org;2024-06-01;\"1.234,50\";90;\n"
			"ann@example.org;2024-06-02; ;  ; \n"
			"ann@example.org;2024-06-03;12,5;;\n"
			"ann@example.org;2024-06-04;12.50;;\n",
			&ii, &n, &err);
	assert_int_equal(rc, CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: DIR/in.csv:5: invalid amount \"12.50\": invalid (EUR has 2 decimals; decimal mark ',', thousands in groups of three as in 1.234,50): row rejected\n"
		   "crm-log: import: DIR/in.csv: 4 read, 3 added, 0 updated, 1 rejected\n");
	free(err);
	crm_interaction_import_free(&ii);
	assert_rows(store(state),
		    "SELECT at, type, quote(amount), quote(duration), quote(lead_id)"
		    " FROM interactions ORDER BY at",
		    "2024-06-01T00:00:00Z|purchase|123450|90|NULL\n"
		    "2024-06-02T00:00:00Z|note|NULL|NULL|NULL\n"
		    "2024-06-03T00:00:00Z|purchase|1250|NULL|NULL\n");
}

static void interaction__import_create_contacts__from_email(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	ii.create_contacts = 1;
	rc = run_import(state,
			"email,subject\n"
			"New@Example.ORG,hello\n"
			"not-an-email,hi\n",
			&ii, &n, &err);
	assert_int_equal(rc, CRM_EX_DATAERR);
	assert_int_equal(n.added, 1);
	assert_int_equal(n.rejected, 1);
	free(err);
	crm_interaction_import_free(&ii);
	assert_rows(store(state),
		    "SELECT c.email, i.subject FROM interactions i JOIN contacts c ON c.id = i.contact_id",
		    "New@example.org|hello\n");
}

static void interaction__import_no_future__row_rejected(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	ii.no_future = 1;
	rc = run_import(state,
			"contact,at\n"
			"ann@example.org,2030-01-01\n"
			"ann@example.org,2020-01-01\n",
			&ii, &n, &err);
	assert_int_equal(rc, CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: DIR/in.csv:2: time 2030-01-01T00:00:00Z is in the future (--no-future): row rejected\n"
		   "crm-log: import: DIR/in.csv: 2 read, 1 added, 0 updated, 1 rejected\n");
	free(err);
	crm_interaction_import_free(&ii);
}

static void interaction__import_header_errors__stop_before_rows(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	/* Two columns that would be one attribute. */
	assert_int_equal(run_import(state, "contact,Colour,colour\nann@example.org,red,blue\n", &ii, &n, &err),
			 CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: columns 2 and 3 would both be attribute \"colour\": rename one or --map it\n");
	free(err);
	crm_interaction_import_free(&ii);

	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	assert_int_equal(run_import(state, "subject,body\nhi,there\n", &ii, &n, &err),
			 CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: no contact column (contact, email, uid or contact_id)\n");
	free(err);
	crm_interaction_import_free(&ii);

	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	assert_int_equal(run_import(state, "email,title,summary\na,b,c\n", &ii, &n, &err),
			 CRM_EX_DATAERR);
	assert_err(state, err,
		   "crm-log: import: two columns for subject (the second is \"summary\")\n");
	free(err);
	crm_interaction_import_free(&ii);
	assert_rows(store(state), "SELECT count(*) FROM interactions", "0\n");
}

static void interaction__import_map__renames_and_ignores(void **state)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;
	int rc;

	create_contact(state, "ann@example.org");
	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	ii.maps = calloc(2, sizeof(char *));
	assert_non_null(ii.maps);
	ii.maps[0] = "Colour=-";
	ii.maps[1] = "Who=contact";
	ii.nmaps = 2;
	rc = run_import(state, "Who,Colour,subject\nann@example.org,red,hi\n", &ii, &n, &err);
	assert_int_equal(rc, 0);
	assert_err(state, err, "");
	free(err);
	crm_interaction_import_free(&ii);
	assert_rows(store(state), "SELECT contact_id, subject FROM interactions", "1|hi\n");

	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	ii.maps = calloc(1, sizeof(char *));
	assert_non_null(ii.maps);
	ii.maps[0] = "Colour=paint";
	ii.nmaps = 1;
	rc = run_import(state, "email,Colour\nann@example.org,red\n", &ii, &n, &err);
	assert_int_equal(rc, CRM_EX_USAGE);
	assert_err(state, err, "crm-log: import: --map: unknown field \"paint\"\n");
	free(err);
	crm_interaction_import_free(&ii);
}

/* ---- order lines ---- */

static void interaction__line_total__exact_and_checked(void **state)
{
	struct crm_it_line l;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_it_line_total(&l, "6", "2.55", '.', &e), 0);
	assert_int_equal(l.total, 153000);
	assert_int_equal(l.quantity, 6);
	assert_string_equal(l.unit_price, "2.55");
	assert_int_equal(crm_it_line_total(&l, "-1", "27.50", '.', &e), 0);
	assert_int_equal(l.total, -275000);
	assert_int_equal(crm_it_line_total(&l, "3", "18.005", '.', &e), 0);
	assert_int_equal(l.total, 540150);
	assert_int_equal(crm_it_line_total(&l, "1", "-11062.06", '.', &e), 0);
	assert_int_equal(l.total, -110620600);
	assert_int_equal(crm_it_line_total(&l, "2.5", "1", '.', &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid quantity \"2.5\": not a whole number");
	assert_int_equal(crm_it_line_total(&l, "1", "1.00001", '.', &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid unit price \"1.00001\": too many decimals (at most 4)");
	assert_int_equal(crm_it_line_total(&l, "1", "1,50", '.', &e), CRM_EX_DATAERR);
	/* with the decimal mark ',' (--decimal ,) and thousands separators */
	assert_int_equal(crm_it_line_total(&l, "2", "1.234,5", ',', &e), 0);
	assert_string_equal(l.unit_price, "1234.5");
	assert_int_equal(l.total, 24690000);
	assert_int_equal(crm_it_line_total(&l, "1000000001", "1", '.', &e), CRM_EX_DATAERR);
	/* 1e9 x 1e9 in 1e-4 units is past 2^53 */
	assert_int_equal(crm_it_line_total(&l, "1000000000", "999999999", '.', &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "line total of 1000000000 x 999999999 is too large");
}

static void interaction__order_amount__rounded_once_half_away_from_zero(void **state)
{
	(void)state;
	/* 1e-4 major units to minor units */
	assert_int_equal(crm_it_order_amount(153000 + 203400 + 220000, "GBP"), 5764);
	assert_int_equal(crm_it_order_amount(50, "EUR"), 1);     /* 0.005 -> 0.01 */
	assert_int_equal(crm_it_order_amount(49, "EUR"), 0);
	assert_int_equal(crm_it_order_amount(-50, "EUR"), -1);   /* -0.005 -> -0.01 */
	assert_int_equal(crm_it_order_amount(-49, "EUR"), 0);
	assert_int_equal(crm_it_order_amount(5000, "JPY"), 1);   /* 0.5 yen -> 1 */
	assert_int_equal(crm_it_order_amount(4999, "JPY"), 0);
	assert_int_equal(crm_it_order_amount(15, "KWD"), 2);     /* 0.0015 -> 0.002 */
	assert_int_equal(crm_it_order_amount(0, "EUR"), 0);
	/* three lines of 0.0033 round once to 0.01, not three times to 0 */
	assert_int_equal(crm_it_order_amount(33 * 3, "EUR"), 1);
}

/* Online Retail shaped rows: order 1 has three lines, one after another
 * order's row; order C2 is a cancellation. */
static const char orders_csv[] =
	"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,contact\n"
	"1,A,MUG,6,2010-12-01 08:26,2.55,ann@example.org\n"
	"1,B,LAMP,6,2010-12-01 08:26,3.39,ann@example.org\n"
	"C2,D,Discount,-1,2010-12-01 09:41,27.50,ann@example.org\n"
	"1,A,MUG,8,2010-12-01 08:26,2.75,ann@example.org\n";

static void import_orders(void **state, size_t block_rows, unsigned long added,
			  unsigned long updated, unsigned long unchanged)
{
	struct crm_interaction_import ii;
	struct crm_batch_counts n;
	char *err;

	crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
	ii.maps = calloc(1, sizeof(*ii.maps));
	assert_non_null(ii.maps);
	ii.maps[ii.nmaps++] = "InvoiceNo=order";
	if (run_import_blocks(state, orders_csv, &ii, &n, &err, block_rows) != 0)
		fail_msg("import: %s", err);
	free(err);
	assert_int_equal(n.read, 4);
	assert_int_equal(n.added, added);
	assert_int_equal(n.updated, updated);
	assert_int_equal(n.unchanged, unchanged);
	crm_interaction_import_free(&ii);
}

static void interaction__import_orders__lines_grouped_once(void **state)
{
	setenv("CRM_CURRENCY", "GBP", 1);
	create_contact(state, "ann@example.org");
	/* one row a block: every line of order 1 comes in a block of its own */
	import_orders(state, 1, 2, 2, 0);
	assert_rows(store(state), "SELECT ext_key, type, amount, currency, at FROM interactions ORDER BY ext_key",
		    "1|purchase|5764|GBP|2010-12-01T08:26:00Z\n"
		    "C2|refund|-2750|GBP|2010-12-01T09:41:00Z\n");
	assert_rows(store(state), "SELECT i.ext_key, l.line, l.product_code, l.description, l.quantity,"
		    " l.unit_price, l.total FROM interaction_lines l JOIN interactions i"
		    " ON i.id = l.interaction_id ORDER BY 1, 2",
		    "1|1|A|MUG|6|2.55|153000\n"
		    "1|2|B|LAMP|6|3.39|203400\n"
		    "1|3|A|MUG|8|2.75|220000\n"
		    "C2|1|D|Discount|-1|27.50|-275000\n");
	/* again, in one block: nothing new */
	import_orders(state, 0, 0, 0, 4);
	assert_rows(store(state), "SELECT count(*), sum(amount) FROM interactions", "2|3014\n");
	assert_rows(store(state), "SELECT count(*) FROM interaction_lines", "4\n");
	/* the same order in another currency is refused, line by line */
	setenv("CRM_CURRENCY", "EUR", 1);
	{
		struct crm_interaction_import ii;
		struct crm_batch_counts n;
		char *err;

		crm_interaction_import_init(&ii, &((struct fixture *)*state)->crm);
		ii.maps = calloc(1, sizeof(*ii.maps));
		assert_non_null(ii.maps);
		ii.maps[ii.nmaps++] = "InvoiceNo=order";
		assert_int_equal(run_import(state, orders_csv, &ii, &n, &err), CRM_EX_DATAERR);
		assert_non_null(strstr(err, "in.csv:2: order \"1\" is in GBP, this line in EUR: row rejected"));
		free(err);
		crm_interaction_import_free(&ii);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interaction__field_names__in_enum_order),
		cmocka_unit_test_setup_teardown(interaction__set_empty__leaves_unset, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_at__iso_and_relative, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_channel__words_lowercased, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_direction__in_or_out, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_type__words_lowercased, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_duration__every_form, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_blank_number__missing_not_zero, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_duration_bad__message, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_currency__uppercased_or_message, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_lead_ticket__positive_ids, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_body__multiline_text, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_one_line_fields__checked, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_key__one_line_998, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_amount__kept_raw_until_finish, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__set_twice__last_wins_and_failure_keeps_old, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_nothing__note_now_agent, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_no_who__no_agent, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_agent_given__kept, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_channel__from_type, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_channel_given__kept, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_amount__purchase_default_currency, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_bad_env_currency__config, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_amount_in_currency__decimals, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_amount_mark__thousands_and_decimal_comma, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_refund__negative, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_negative_amount__refused, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_money_without_amount__refused, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_amount_on_other_types__refused, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_due__task_assignee_agent, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_task_without_due__refused, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_due_or_assignee_on_non_task__refused, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__finish_no_future__refuses_later_times, setup_env, teardown_env),
		cmocka_unit_test_setup_teardown(interaction__add__row_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__add_money_and_task__columns, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__add_same_key__idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__add_key_of_other_contact__dataerr, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__add_unknown_contact__constraint, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_aliases__rows_added_and_keys_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_bad_rows__rejected_with_line, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_decimal_comma_blank_cells__amounts_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_create_contacts__from_email, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_no_future__row_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_header_errors__stop_before_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(interaction__import_map__renames_and_ignores, setup, teardown),
		cmocka_unit_test(interaction__line_total__exact_and_checked),
		cmocka_unit_test(interaction__order_amount__rounded_once_half_away_from_zero),
		cmocka_unit_test_setup_teardown(interaction__import_orders__lines_grouped_once, setup, teardown),
	};

	return cmocka_run_group_tests_name("interaction", tests, NULL, NULL);
}
