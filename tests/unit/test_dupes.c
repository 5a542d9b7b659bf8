/* test_dupes.c - unit tests for lib/dupes.c and lib/phone.c: folding names,
 * E.164 phone numbers, and finding duplicate contacts on a temporary
 * store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "dupes.h"
#include "err.h"
#include "phone.h"
#include "store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "dupes", NOW_TEXT);
}

/* ---- helpers ---- */

static void fold_is(const char *in, const char *want)
{
	struct crm_buf out = CRM_BUF_INIT;

	crm_fold(in, &out);
	if (strcmp(crm_buf_str(&out), want) != 0)
		fail_msg("crm_fold(\"%s\") = \"%s\", want \"%s\"", in, crm_buf_str(&out), want);
	crm_buf_free(&out);
}

static void e164_is(const char *phone, const char *region, const char *want)
{
	char out[24];

	memset(out, 'z', sizeof(out));
	if (crm_phone_e164(phone, region, out, sizeof(out)) != 0)
		fail_msg("crm_phone_e164(\"%s\", %s) failed, want \"%s\"", phone,
			 region != NULL ? region : "NULL", want);
	if (strcmp(out, want) != 0)
		fail_msg("crm_phone_e164(\"%s\", %s) = \"%s\", want \"%s\"", phone,
			 region != NULL ? region : "NULL", out, want);
}

static void e164_bad(const char *phone, const char *region)
{
	char out[24];

	if (crm_phone_e164(phone, region, out, sizeof(out)) == 0)
		fail_msg("crm_phone_e164(\"%s\", %s) = \"%s\", want failure", phone,
			 region != NULL ? region : "NULL", out);
}

/* A contact with the given fields (NULL for none); its id is n. */
static void contact(void **state, int n, const char *first, const char *last,
		    const char *email, const char *phone, const char *company,
		    const char *city)
{
	struct fixture_store *f = *state;
	sqlite3_stmt *st = NULL;
	const char *v[] = { first, last, email, phone, company, city };
	char uid[16];

	assert_int_equal(sqlite3_prepare_v2(crm_store_db(f->s),
		"INSERT INTO contacts (id, uid, first_name, last_name, email, phone, company,"
		" city, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
		" '" NOW_TEXT "', '" NOW_TEXT "')", -1, &st, NULL), SQLITE_OK);
	snprintf(uid, sizeof(uid), "u%d", n);
	sqlite3_bind_int(st, 1, n);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_TRANSIENT);
	for (int i = 0; i < 6; i++)
		if (v[i] != NULL)
			sqlite3_bind_text(st, 3 + i, v[i], -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

struct found {
	struct crm_dupe *d;
	size_t n;
};

static void find(void **state, const char *region, double min, struct found *r)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };

	if (crm_dupes_find(f->s, region, min, &r->d, &r->n, &e) != 0)
		fail_msg("crm_dupes_find: %s", e.msg);
}

/* The pair keep/other must be found with score and reason. */
static void pair_is(const struct found *r, int64_t keep, int64_t other, double score,
		    const char *reason)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->d[i].keep != keep || r->d[i].other != other)
			continue;
		if (r->d[i].score < score - 1e-9 || r->d[i].score > score + 1e-9)
			fail_msg("pair %lld,%lld: score %.2f, want %.2f", (long long)keep,
				 (long long)other, r->d[i].score, score);
		if (strcmp(r->d[i].reason, reason) != 0)
			fail_msg("pair %lld,%lld: reason \"%s\", want \"%s\"", (long long)keep,
				 (long long)other, r->d[i].reason, reason);
		return;
	}
	fail_msg("pair %lld,%lld not found among %zu", (long long)keep, (long long)other, r->n);
}

static void no_pair(const struct found *r, int64_t a, int64_t b)
{
	for (size_t i = 0; i < r->n; i++)
		if ((r->d[i].keep == a && r->d[i].other == b) ||
		    (r->d[i].keep == b && r->d[i].other == a))
			fail_msg("pair %lld,%lld found: %s", (long long)a, (long long)b,
				 r->d[i].reason);
}

/* ---- crm_fold ---- */

static void fold__ascii__lowercase_one_space(void **state)
{
	(void)state;
	fold_is("Ada Lovelace", "ada lovelace");
	fold_is("  ADA   LOVELACE  ", "ada lovelace");
	fold_is("Jean-Luc\tPicard", "jean luc picard");
	fold_is("", "");
	fold_is("R2D2", "r2d2");
}

static void fold__punctuation__dropped(void **state)
{
	(void)state;
	fold_is("O'Brien", "obrien");
	fold_is("Smith, Jr.", "smith jr");
	fold_is("A.B.", "ab");
	fold_is("- Ann -", "ann");
}

static void fold__accents__plain_letters(void **state)
{
	(void)state;
	fold_is("Émile Zola", "emile zola");
	fold_is("José Müller", "jose muller");
	fold_is("Łukasz Wałęsa", "lukasz walesa");
	fold_is("Straße", "strasse");
	fold_is("Ærøskøbing", "aeroskobing");
	fold_is("Dvořák Œuvre", "dvorak oeuvre");
	fold_is("ZOË", "zoe");
}

static void fold__other_scripts__kept(void **state)
{
	(void)state;
	fold_is("Иван Петров", "Иван Петров");
	fold_is("王 小明", "王 小明");
	/* Invalid UTF-8 is skipped, not copied. */
	fold_is("a\xff" "b", "ab");
}

/* ---- crm_phone_e164 ---- */

static void e164__nl__plus_00_trunk(void **state)
{
	(void)state;
	e164_is("+31 20 123 4567", NULL, "+31201234567");
	e164_is("+31 20 123 4567", "NL", "+31201234567");
	e164_is("0031 20 123 4567", NULL, "+31201234567");
	e164_is("020-123 4567", "NL", "+31201234567");
	e164_is("020-123 4567", "nl", "+31201234567");
	e164_is("06 1234 5678", "NL", "+31612345678");
	e164_is("(020) 123.45.67", "NL", "+31201234567");
	e164_is("+31 (0)20 123 4567", NULL, "+31201234567");
	e164_is("+31 (0)6 1234 5678", "NL", "+31612345678");
}

static void e164__us__plus_00_trunk(void **state)
{
	(void)state;
	e164_is("+1 (555) 123-4567", NULL, "+15551234567");
	e164_is("001 555 123 4567", NULL, "+15551234567");
	e164_is("(555) 123-4567", "US", "+15551234567");
	e164_is("555.123.4567", "US", "+15551234567");
	/* The 1 of long-distance dialling is the country code, not doubled. */
	e164_is("1 555 123 4567", "US", "+15551234567");
	e164_is("1-555-123-4567", "CA", "+15551234567");
}

static void e164__gb__plus_00_trunk(void **state)
{
	(void)state;
	e164_is("+44 20 7946 0000", NULL, "+442079460000");
	e164_is("0044 20 7946 0000", "NL", "+442079460000");
	e164_is("020 7946 0000", "GB", "+442079460000");
	e164_is("020 7946 0000", "UK", "+442079460000");
	e164_is("07700 900123", "GB", "+447700900123");
	e164_is("+44 (0)20 7946 0000", NULL, "+442079460000");
}

static void e164__de__plus_00_trunk(void **state)
{
	(void)state;
	e164_is("+49 30 1234567", NULL, "+49301234567");
	e164_is("0049 30 1234567", NULL, "+49301234567");
	e164_is("030 1234567", "DE", "+49301234567");
	e164_is("030/123 45 67", "DE", "+49301234567");
	e164_is("0171 1234567", "DE", "+491711234567");
	e164_is("+49 (0)30 1234567", "DE", "+49301234567");
}

static void e164__region__national_needs_one(void **state)
{
	(void)state;
	/* The same national number in two regions. */
	e164_is("020 1234567", "NL", "+31201234567");
	e164_is("020 1234567", "DE", "+49201234567");
	e164_bad("020 1234567", NULL);
	e164_bad("020 1234567", "");
	e164_bad("020 1234567", "XX");
	/* An international number needs no region, and ignores one. */
	e164_is("+49 30 1234567", "NL", "+49301234567");
}

static void e164__extension__dropped(void **state)
{
	(void)state;
	e164_is("+31 20 123 4567 x12", NULL, "+31201234567");
	e164_is("+31 20 123 4567 ext. 12", NULL, "+31201234567");
	e164_is("020 123 4567;ext=12", "NL", "+31201234567");
	e164_is("+1 555 123 4567,,9", NULL, "+15551234567");
}

static void e164__length__7_to_15_digits(void **state)
{
	char small[8];

	(void)state;
	e164_bad("+31 12", NULL);
	e164_bad("+1234567890123456", NULL);
	e164_bad("", "NL");
	e164_bad("no digits", "NL");
	e164_bad("123456789012345678901234567890123", NULL);
	e164_is("+1234567", NULL, "+1234567");
	e164_is("+123456789012345", NULL, "+123456789012345");
	/* Too small an output buffer is a failure, not an overflow. */
	assert_int_equal(crm_phone_e164("+31 20 123 4567", NULL, small, sizeof(small)), -1);
}

static void phone__country_code__known_regions(void **state)
{
	(void)state;
	assert_string_equal(crm_phone_country_code("NL"), "31");
	assert_string_equal(crm_phone_country_code("us"), "1");
	assert_string_equal(crm_phone_country_code("GB"), "44");
	assert_string_equal(crm_phone_country_code("DE"), "49");
	assert_null(crm_phone_country_code("XX"));
	assert_null(crm_phone_country_code(NULL));
	assert_null(crm_phone_country_code(""));
}

/* ---- crm_dupes_find ---- */

static void dupes__empty_store__nothing(void **state)
{
	struct found r;

	find(state, "NL", 0.0, &r);
	assert_int_equal(r.n, 0);
	crm_dupes_free(r.d, r.n);
}

static void dupes__each_reason__score_and_text(void **state)
{
	struct found r;

	contact(state, 1, "Ann", "Archer", "ann@example.org", NULL, NULL, NULL);
	contact(state, 2, "Bea", "Baker", "bea@example.org", NULL, NULL, NULL);
	/* Contact 2 holds 1's email in another case as another email. */
	exec_ok(db(state), "INSERT INTO contact_emails (contact_id, email, created_at)"
		" VALUES (2, 'ANN@Example.ORG', '" NOW_TEXT "')");
	contact(state, 3, "Carl", "Cole", "carl.cole@gmail.com", NULL, NULL, NULL);
	contact(state, 4, "Cees", "Kool", "CarlCole+news@googlemail.com", NULL, NULL, NULL);
	contact(state, 5, "Dirk", "Dam", NULL, "+31 20 123 4567", NULL, NULL);
	contact(state, 6, "Daan", "Dekker", NULL, "020-1234567", NULL, NULL);
	contact(state, 7, "Émile", "Zola", NULL, NULL, "Acme B.V.", NULL);
	contact(state, 8, "emile", "ZOLA", NULL, NULL, "ACME", NULL);
	contact(state, 9, "Frederik", "Hansen", NULL, NULL, NULL, "Utrecht");
	contact(state, 10, "Frederik", "Hansen", NULL, NULL, NULL, "UTRECHT");
	contact(state, 11, "Gerard", "Jansen", NULL, NULL, NULL, "Delft");
	contact(state, 12, "Gerard", "Janssen", NULL, NULL, NULL, "Delft");
	contact(state, 13, "Gerrit", "Bakker", NULL, NULL, NULL, "Gouda");
	contact(state, 14, "Gerit", "Baker", NULL, NULL, NULL, "Gouda");
	find(state, "NL", 0.0, &r);
	pair_is(&r, 1, 2, 1.00, "same email ignoring case; same mailbox (+tags and Gmail dots ignored)");
	pair_is(&r, 3, 4, 0.95, "same mailbox (+tags and Gmail dots ignored)");
	pair_is(&r, 5, 6, 0.90, "same phone (E.164)");
	pair_is(&r, 7, 8, 0.80, "same name at the same company");
	pair_is(&r, 9, 10, 0.75, "same name in the same city");
	pair_is(&r, 11, 12, 0.60, "name one edit apart in the same city");
	pair_is(&r, 13, 14, 0.45, "name two edits apart in the same city");
	assert_int_equal(r.n, 7);
	/* Best score first. */
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.d[i - 1].score >= r.d[i].score);
	crm_dupes_free(r.d, r.n);
}

static void dupes__no_region__national_phones_not_compared(void **state)
{
	struct found r;

	contact(state, 1, "Dirk", "Dam", NULL, "+31 20 123 4567", NULL, NULL);
	contact(state, 2, "Daan", "Dekker", NULL, "020-1234567", NULL, NULL);
	contact(state, 3, "Dora", "Dijk", NULL, "0031201234567", NULL, NULL);
	find(state, NULL, 0.0, &r);
	pair_is(&r, 1, 3, 0.90, "same phone (E.164)");
	no_pair(&r, 1, 2);
	assert_int_equal(r.n, 1);
	crm_dupes_free(r.d, r.n);
}

static void dupes__other_emails_and_phones__compared(void **state)
{
	struct found r;

	contact(state, 1, "Ann", "Archer", "ann@example.org", NULL, NULL, NULL);
	contact(state, 2, "Bea", "Baker", "bea@example.org", NULL, NULL, NULL);
	contact(state, 3, "Cor", "Cox", NULL, "+31 6 1234 5678", NULL, NULL);
	exec_ok(db(state), "INSERT INTO contact_emails (contact_id, email, created_at)"
		" VALUES (2, 'ann+work@example.org', '" NOW_TEXT "');"
		"INSERT INTO contact_phones (contact_id, phone, created_at)"
		" VALUES (1, '06-12345678', '" NOW_TEXT "')");
	find(state, "NL", 0.0, &r);
	pair_is(&r, 1, 2, 0.95, "same mailbox (+tags and Gmail dots ignored)");
	pair_is(&r, 1, 3, 0.90, "same phone (E.164)");
	assert_int_equal(r.n, 2);
	crm_dupes_free(r.d, r.n);
}

static void dupes__several_reasons__best_score_every_reason(void **state)
{
	struct found r;

	contact(state, 1, "Ann", "Archer", "ann.archer@gmail.com", "+31 6 1234 5678", "Acme Inc", "Delft");
	contact(state, 2, "Anne", "Archer", "annarcher@gmail.com", "06 1234 5678", "Acme", "Delft");
	find(state, "NL", 0.0, &r);
	pair_is(&r, 1, 2, 0.95, "same mailbox (+tags and Gmail dots ignored); same phone (E.164);"
		" name one edit apart in the same city");
	assert_int_equal(r.n, 1);
	crm_dupes_free(r.d, r.n);
}

static void dupes__min_score__filters(void **state)
{
	struct found r;

	contact(state, 1, "Dirk", "Dam", NULL, "+31 20 123 4567", NULL, NULL);
	contact(state, 2, "Daan", "Dekker", NULL, "020-1234567", NULL, NULL);
	contact(state, 3, "Gerard", "Jansen", NULL, NULL, NULL, "Delft");
	contact(state, 4, "Gerard", "Janssen", NULL, NULL, NULL, "Delft");
	find(state, "NL", 0.9, &r);
	pair_is(&r, 1, 2, 0.90, "same phone (E.164)");
	assert_int_equal(r.n, 1);
	crm_dupes_free(r.d, r.n);
	find(state, "NL", 0.95, &r);
	assert_int_equal(r.n, 0);
	crm_dupes_free(r.d, r.n);
}

static void dupes__not_alike__no_pair(void **state)
{
	struct found r;

	/* Same name, different city and no company; same company, other
	 * name; short names (under 5 letters) one edit apart; one mailbox
	 * name at different domains; dots that count outside Gmail. */
	contact(state, 1, "Ann", "Archer", "a.b@gmail.com", NULL, "Acme", "Delft");
	contact(state, 2, "Ann", "Archer", "ab@example.org", NULL, NULL, "Leiden");
	contact(state, 3, "Bob", "Archer", NULL, NULL, "Acme", "Delft");
	contact(state, 4, NULL, "Li", NULL, NULL, NULL, "Delft");
	contact(state, 5, NULL, "Lu", NULL, NULL, NULL, "Delft");
	contact(state, 6, "Ann", "Archer", "ab+x@example.net", NULL, "Globex", NULL);
	contact(state, 7, "Cy", "Dunn", "a.b@example.org", NULL, NULL, NULL);
	find(state, "NL", 0.0, &r);
	for (size_t i = 0; i < r.n; i++)
		fail_msg("pair %lld,%lld: %s", (long long)r.d[i].keep, (long long)r.d[i].other,
			 r.d[i].reason);
	crm_dupes_free(r.d, r.n);
}

static void dupes__erased__left_out(void **state)
{
	struct found r;

	contact(state, 1, "Frederik", "Hansen", "fh@example.org", NULL, NULL, "Utrecht");
	contact(state, 2, "Frederik", "Hansen", "FH+x@example.org", NULL, NULL, "Utrecht");
	contact(state, 3, "Frederik", "Hansen", NULL, NULL, NULL, "Utrecht");
	exec_ok(db(state), "UPDATE contacts SET erased_at = '" NOW_TEXT "' WHERE id = 2");
	find(state, NULL, 0.0, &r);
	pair_is(&r, 1, 3, 0.75, "same name in the same city");
	assert_int_equal(r.n, 1);
	crm_dupes_free(r.d, r.n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test(f)
#define S(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
		T(fold__ascii__lowercase_one_space),
		T(fold__punctuation__dropped),
		T(fold__accents__plain_letters),
		T(fold__other_scripts__kept),
		T(e164__nl__plus_00_trunk),
		T(e164__us__plus_00_trunk),
		T(e164__gb__plus_00_trunk),
		T(e164__de__plus_00_trunk),
		T(e164__region__national_needs_one),
		T(e164__extension__dropped),
		T(e164__length__7_to_15_digits),
		T(phone__country_code__known_regions),
		S(dupes__empty_store__nothing),
		S(dupes__each_reason__score_and_text),
		S(dupes__no_region__national_phones_not_compared),
		S(dupes__other_emails_and_phones__compared),
		S(dupes__several_reasons__best_score_every_reason),
		S(dupes__min_score__filters),
		S(dupes__not_alike__no_pair),
		S(dupes__erased__left_out),
#undef T
#undef S
	};

	return cmocka_run_group_tests_name("dupes", tests, NULL, NULL);
}
