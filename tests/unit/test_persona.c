/* test_persona.c - unit tests for lib/persona.c: profiles of the groups of
 * the last cluster run or of RFM segments on a crafted store (size, age
 * band, countries, genders, channel, tags, spend), their order, no groups,
 * and the sentence made from a profile. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/dates.h"
#include "base/err.h"
#include "segment/persona.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	char *saved_currency;
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "persona", NOW_TEXT);

	if (f == NULL)
		return -1;
	f->saved_currency = fixture_env_set("CRM_CURRENCY", NULL);
	now = crm_now();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_env_restore("CRM_CURRENCY", f->saved_currency);
	return fixture_free(f);
}

/* ---- helpers ---- */

/* Contact id; "" leaves a column NULL. */
static void contact(void **state, int id, const char *birthdate, const char *country,
		    const char *gender, const char *channel, const char *tags)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO contacts (id, uid, birthdate, country, gender, preferred_channel,"
		 " created_at, updated_at) VALUES (%d, 'c%d', nullif('%s', ''), nullif('%s', ''),"
		 " nullif('%s', ''), nullif('%s', ''), '" NOW_TEXT "', '" NOW_TEXT "')",
		 id, id, birthdate, country, gender, channel);
	exec_ok(store(state), sql);
	for (const char *p = tags; *p != '\0';) {
		size_t len = strcspn(p, ",");

		snprintf(sql, sizeof(sql), "INSERT INTO contact_tags VALUES (%d, '%.*s')", id,
			 (int)len, p);
		exec_ok(store(state), sql);
		p += len;
		if (*p == ',')
			p++;
	}
}

static void money(void **state, int id, const char *type, int64_t amount)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO interactions (contact_id, at, type, amount, currency, created_at)"
		 " VALUES (%d, '2024-01-01T00:00:00Z', '%s', %lld, 'EUR', '" NOW_TEXT "')",
		 id, type, (long long)amount);
	exec_ok(store(state), sql);
}

static void str_is(const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", what, got != NULL ? got : "(null)",
			 want != NULL ? want : "(null)");
}

/* Cluster 1: four contacts with everything; cluster 2: one with nothing;
 * contact 6 is in no cluster. */
static void clusters(void **state)
{
	/* ages on 2024-06-15: 34, 38, 30 (birthday today), 54 */
	contact(state, 1, "1990-01-01", "NL", "F", "email", "vip,newsletter");
	contact(state, 2, "1985-07-01", "NL", "F", "email", "vip");
	contact(state, 3, "1994-06-15", "DE", "M", "sms", "vip,b2b");
	contact(state, 4, "1970-01-01", "NL", "F", "email", "");
	contact(state, 5, "", "", "", "", "");
	contact(state, 6, "1980-01-01", "FR", "M", "post", "vip");
	exec_ok(store(state), "INSERT INTO contact_clusters VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 2)");
	money(state, 1, "purchase", 1000);
	money(state, 1, "purchase", 2000);
	money(state, 2, "refund", -500);
	money(state, 6, "purchase", 99900);
}

/* ---- profiles ---- */

static void persona__clusters__profiled(void **state)
{
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	size_t n = 0;

	clusters(state);
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	assert_int_equal(n, 2);
	/* largest group first */
	str_is("group", p[0].group, "1");
	assert_int_equal(p[0].size, 4);
	str_is("age_band", p[0].age_band, "30-39");
	str_is("countries", p[0].countries, "NL 75%, DE 25%");
	str_is("genders", p[0].genders, "F 75%, M 25%");
	str_is("channel", p[0].channel, "email");
	/* top three, ties by name */
	str_is("tags", p[0].tags, "vip 75%, b2b 25%, newsletter 25%");
	/* (30.00 - 5.00 + 0 + 0) / 4 in major units */
	assert_true(fabs(p[0].spend - 6.25) < 1e-9);

	str_is("group", p[1].group, "2");
	assert_int_equal(p[1].size, 1);
	assert_null(p[1].age_band);
	assert_null(p[1].countries);
	assert_null(p[1].genders);
	assert_null(p[1].channel);
	assert_null(p[1].tags);
	assert_true(p[1].spend == 0);
	crm_personas_free(p, n);
}

static void persona__age_band__birthday_boundary(void **state)
{
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	size_t n = 0;

	/* one is 30 today, two are 29 until tomorrow: the most common band wins */
	contact(state, 1, "1994-06-15", "", "", "", "");
	contact(state, 2, "1994-06-16", "", "", "", "");
	contact(state, 3, "1994-06-16", "", "", "", "");
	exec_ok(store(state), "INSERT INTO contact_clusters VALUES (1, 1), (2, 1), (3, 1)");
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	assert_int_equal(n, 1);
	str_is("age_band", p[0].age_band, "20-29");
	crm_personas_free(p, n);
	exec_ok(store(state), "UPDATE contacts SET birthdate = '1994-06-15' WHERE id = 3");
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	str_is("age_band", p[0].age_band, "30-39");
	crm_personas_free(p, n);
}

static void persona__rfm__segments_as_groups(void **state)
{
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	size_t n = 0;

	clusters(state);
	exec_ok(store(state),
		"INSERT INTO contact_rfm VALUES (1, 5, 5, 5, 1, 2, 3000, 'champions', 'x'),"
		" (6, 5, 5, 5, 1, 1, 99900, 'champions', 'x'),"
		" (3, 1, 1, 1, 300, 1, 0, 'lost', 'x')");
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_RFM, now, &p, &n, &e), 0);
	assert_int_equal(n, 2);
	str_is("group", p[0].group, "champions");
	assert_int_equal(p[0].size, 2);
	str_is("countries", p[0].countries, "FR 50%, NL 50%");
	assert_true(fabs(p[0].spend - 514.50) < 1e-9);
	str_is("group", p[1].group, "lost");
	assert_int_equal(p[1].size, 1);
	str_is("channel", p[1].channel, "sms");
	crm_personas_free(p, n);
}

static void persona__spend__default_currency_units(void **state)
{
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	size_t n = 0;

	contact(state, 1, "", "", "", "", "");
	exec_ok(store(state), "INSERT INTO contact_clusters VALUES (1, 1)");
	money(state, 1, "purchase", 1500);
	setenv("CRM_CURRENCY", "JPY", 1);
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	assert_true(fabs(p[0].spend - 1500) < 1e-9);
	crm_personas_free(p, n);
	setenv("CRM_CURRENCY", "KWD", 1);
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	assert_true(fabs(p[0].spend - 1.5) < 1e-9);
	crm_personas_free(p, n);
	unsetenv("CRM_CURRENCY");
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	assert_true(fabs(p[0].spend - 15) < 1e-9);
	crm_personas_free(p, n);
}

static void persona__no_groups__notfound(void **state)
{
	struct crm_persona *p = (struct crm_persona *)1;
	struct crm_err e = { 0, "" };
	size_t n = 99;

	contact(state, 1, "", "NL", "", "", "");
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e),
			 CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no clusters: run crm-segment cluster first");
	assert_null(p);
	assert_int_equal(n, 0);
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_RFM, now, &p, &n, &e),
			 CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no RFM scores: run crm-segment rfm first");
}

/* ---- the sentence ---- */

static void persona__text__full_and_bare(void **state)
{
	struct crm_persona full = {
		.group = (char *)"3", .size = 12, .age_band = (char *)"30-39",
		.countries = (char *)"NL 45%, DE 20%", .genders = (char *)"F 60%, M 40%",
		.channel = (char *)"email", .tags = (char *)"vip 50%", .spend = 123.456,
	};
	struct crm_persona bare = { .group = (char *)"lost", .size = 1, .spend = 0 };
	char *t;

	(void)state;
	t = crm_persona_text(&full, CRM_PERSONA_CLUSTER, "EUR");
	assert_string_equal(t, "cluster 3 (12 contacts): mostly aged 30-39; from NL 45%, DE 20%;"
			       " F 60%, M 40%; spends 123.46 EUR on average; prefers email;"
			       " tagged vip 50%.");
	free(t);
	t = crm_persona_text(&bare, CRM_PERSONA_RFM, "USD");
	assert_string_equal(t, "lost (1 contact): spends 0.00 USD on average.");
	free(t);
}

static void persona__text_of_profile__from_store(void **state)
{
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	size_t n = 0;
	char *t;

	clusters(state);
	assert_int_equal(crm_personas(store(state), CRM_PERSONA_CLUSTER, now, &p, &n, &e), 0);
	t = crm_persona_text(&p[0], CRM_PERSONA_CLUSTER, "EUR");
	assert_string_equal(t, "cluster 1 (4 contacts): mostly aged 30-39; from NL 75%, DE 25%;"
			       " F 75%, M 25%; spends 6.25 EUR on average; prefers email;"
			       " tagged vip 75%, b2b 25%, newsletter 25%.");
	free(t);
	crm_personas_free(p, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(persona__clusters__profiled, setup, teardown),
		cmocka_unit_test_setup_teardown(persona__age_band__birthday_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(persona__rfm__segments_as_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(persona__spend__default_currency_units, setup, teardown),
		cmocka_unit_test_setup_teardown(persona__no_groups__notfound, setup, teardown),
		cmocka_unit_test(persona__text__full_and_bare),
		cmocka_unit_test_setup_teardown(persona__text_of_profile__from_store, setup, teardown),
	};

	return cmocka_run_group_tests_name("persona", tests, NULL, NULL);
}
