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

#include "base/buf.h"
#include "contact/dupes.h"
#include "base/err.h"
#include "base/phone.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
#define GEN_HASH 0x0bdf949a54e7d736ULL

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
	struct crm_stmt *st = q_prepare(f->s,
		"INSERT INTO contacts (id, uid, first_name, last_name, email, phone, company,"
		" city, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
		" '" NOW_TEXT "', '" NOW_TEXT "')");
	const char *v[] = { first, last, email, phone, company, city };
	char uid[16];

	snprintf(uid, sizeof(uid), "u%d", n);
	crm_bind_int(st, 1, n);
	crm_bind_text(st, 2, uid);
	for (int i = 0; i < 6; i++)
		if (v[i] != NULL)
			crm_bind_text_ref(st, 3 + i, v[i]);
	assert_int_equal(crm_store_step(f->s, st, NULL), CRM_DONE);
	crm_stmt_free(st);
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
	exec_ok(store(state), "INSERT INTO contact_emails (contact_id, email, created_at)"
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
	/* By pass (email, mailbox, phone, company, city), then block key:
	 * delft|g, gouda|g, utrecht|f. */
	{
		static const int64_t order[] = { 1, 3, 5, 7, 11, 13, 9 };

		for (size_t i = 0; i < r.n; i++)
			if (r.d[i].keep != order[i])
				fail_msg("pair %zu: keep %lld, want %lld", i, (long long)r.d[i].keep,
					 (long long)order[i]);
	}
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
	exec_ok(store(state), "INSERT INTO contact_emails (contact_id, email, created_at)"
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
	exec_ok(store(state), "UPDATE contacts SET erased_at = '" NOW_TEXT "' WHERE id = 2");
	find(state, NULL, 0.0, &r);
	pair_is(&r, 1, 3, 0.75, "same name in the same city");
	assert_int_equal(r.n, 1);
	crm_dupes_free(r.d, r.n);
}

static void dupes__long_names__compared_past_the_stack_rows(void **state)
{
	struct found r;
	char a[128], b[128];

	/* 70-letter names: the edit distance takes its rows from the heap. */
	memset(a, 'a', 70);
	a[70] = '\0';
	memcpy(b, a, sizeof(a));
	b[40] = 'b';
	contact(state, 1, "Ann", a, NULL, NULL, NULL, "Delft");
	contact(state, 2, "Ann", b, NULL, NULL, NULL, "Delft");
	b[41] = 'b';
	contact(state, 3, "Ann", b, NULL, NULL, NULL, "Delft");
	b[42] = 'b';
	contact(state, 4, "Ann", b, NULL, NULL, NULL, "Delft");
	find(state, NULL, 0.0, &r);
	pair_is(&r, 1, 2, 0.60, "name one edit apart in the same city");
	pair_is(&r, 1, 3, 0.45, "name two edits apart in the same city");
	pair_is(&r, 2, 3, 0.60, "name one edit apart in the same city");
	pair_is(&r, 2, 4, 0.45, "name two edits apart in the same city");
	pair_is(&r, 3, 4, 0.60, "name one edit apart in the same city");
	no_pair(&r, 1, 4);
	assert_int_equal(r.n, 5);
	crm_dupes_free(r.d, r.n);
}

/* ---- streaming and split blocks ---- */

/* 600 contacts with every kind of pair (names, companies and cities from
 * short lists, shared phones in two forms, +tags, other emails and
 * phones); no block large enough to split. */
static const char gen_sql[] =
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) "
	"INSERT INTO contacts (id, uid, first_name, last_name, email, phone, company, city, created_at, updated_at) "
	"SELECT i, 'g' || i, "
	" CASE i % 5 WHEN 0 THEN 'Gerard' WHEN 1 THEN 'Gérard' WHEN 2 THEN 'Anna' WHEN 3 THEN 'Annie' ELSE 'Bram' END, "
	" CASE (i * 7) % 9 WHEN 0 THEN 'Jansen' WHEN 1 THEN 'Janssen' WHEN 2 THEN 'Jansens' WHEN 3 THEN 'Bakker' "
	"  WHEN 4 THEN 'Baker' WHEN 5 THEN 'de Vries' WHEN 6 THEN 'Vries' WHEN 7 THEN 'O''Brien' ELSE 'Obrien' END, "
	" CASE WHEN i % 17 = 0 THEN 'u' || (i - 1) || '+x@example.org' WHEN i % 23 = 0 THEN NULL "
	"  ELSE 'u' || i || '@example.org' END, "
	" CASE i % 4 WHEN 0 THEN '+31 20 ' || (1000000 + i % 97) WHEN 1 THEN '020 ' || (1000000 + i % 89) ELSE NULL END, "
	" CASE i % 3 WHEN 0 THEN 'Acme B.V.' WHEN 1 THEN 'ACME' ELSE NULL END, "
	" CASE (i * 3) % 4 WHEN 0 THEN 'Delft' WHEN 1 THEN 'Gouda' WHEN 2 THEN 'delft' ELSE NULL END, "
	" '2024-06-15T12:00:00Z', '2024-06-15T12:00:00Z' FROM n; "
	"WITH RECURSIVE n(i) AS (SELECT 50 UNION ALL SELECT i + 50 FROM n WHERE i < 550) "
	"INSERT INTO contact_emails (contact_id, email, created_at) "
	"SELECT i, upper('u' || (i + 1) || '@example.org'), '2024-06-15T12:00:00Z' FROM n; "
	"WITH RECURSIVE n(i) AS (SELECT 30 UNION ALL SELECT i + 30 FROM n WHERE i < 570) "
	"INSERT INTO contact_phones (contact_id, phone, created_at) "
	"SELECT i, '06-' || (10000000 + i), '2024-06-15T12:00:00Z' FROM n "
	"UNION ALL SELECT i + 7, '+31 6 ' || (10000000 + i), '2024-06-15T12:00:00Z' FROM n; ";

struct got {
	struct crm_dupe *d;
	size_t n, cap;
	size_t splits;
	char key[64];
	size_t key_n, key_parts;
};

static int got_emit(void *ctx, const struct crm_dupe *d, struct crm_err *e)
{
	struct got *g = ctx;

	(void)e;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->d = realloc(g->d, g->cap * sizeof(*g->d));
		assert_non_null(g->d);
	}
	g->d[g->n] = *d;
	g->d[g->n].reason = strdup(d->reason);
	assert_non_null(d->keep_name);
	assert_non_null(d->other_email);
	g->d[g->n].keep_name = g->d[g->n].keep_email = NULL;
	g->d[g->n].other_name = g->d[g->n].other_email = NULL;
	g->n++;
	return 0;
}

static void got_split(void *ctx, const char *reason, const char *key, size_t n, size_t parts)
{
	struct got *g = ctx;

	(void)reason;
	g->splits++;
	snprintf(g->key, sizeof(g->key), "%s", key);
	g->key_n = n;
	g->key_parts = parts;
}

static void scan(void **state, size_t max_block, struct got *g, struct crm_dupes_stats *st)
{
	struct fixture_store *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_dupes_opts o = { "NL", 0.0, max_block, got_emit, got_split, g };

	memset(g, 0, sizeof(*g));
	if (crm_dupes_scan(f->s, &o, st, &e) != 0)
		fail_msg("crm_dupes_scan: %s", e.msg);
	assert_int_equal(st->pairs, g->n);
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dupes__no_split__same_pairs_as_before(void **state)
{
	struct got g;
	struct crm_dupes_stats st;
	char **lines;
	uint64_t h = 14695981039346656037ULL;

	exec_ok(store(state), gen_sql);
	scan(state, 0, &g, &st);
	for (int i = 0; i < 5; i++)
		assert_int_equal(st.split[i], 0);
	assert_int_equal(g.splits, 0);
	/* The pairs as "keep TAB other TAB score TAB reason", sorted, and
	 * their FNV-1a hash: the figures the implementation before streaming
	 * gave on this store (crm-contact dupes --min-score 0
	 * --default-region NL | cut -f1-4 | LC_ALL=C sort). */
	lines = calloc(g.n, sizeof(*lines));
	assert_non_null(lines);
	for (size_t i = 0; i < g.n; i++) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%lld\t%lld\t%.2f\t%s\n", (long long)g.d[i].keep,
			 (long long)g.d[i].other, g.d[i].score, g.d[i].reason);
		lines[i] = strdup(buf);
	}
	qsort(lines, g.n, sizeof(*lines), line_cmp);
	for (size_t i = 0; i < g.n; i++) {
		for (const char *c = lines[i]; *c != '\0'; c++) {
			h ^= (unsigned char)*c;
			h *= 1099511628211ULL;
		}
		free(lines[i]);
	}
	free(lines);
	assert_int_equal(g.n, 6968);
	if (h != GEN_HASH)
		fail_msg("hash of the pairs %#llx, want %#llx", (unsigned long long)h,
			 (unsigned long long)GEN_HASH);
	/* A bound no block reaches changes nothing. */
	{
		struct got g2;
		struct crm_dupes_stats st2;

		scan(state, 500, &g2, &st2);
		assert_int_equal(g2.n, g.n);
		assert_int_equal(g2.splits, 0);
		for (size_t i = 0; i < g.n; i++) {
			assert_true(g2.d[i].keep == g.d[i].keep && g2.d[i].other == g.d[i].other);
			assert_string_equal(g2.d[i].reason, g.d[i].reason);
		}
		crm_dupes_free(g2.d, g2.n);
	}
	crm_dupes_free(g.d, g.n);
}

static void dupes__oversized_city_block__split_on_surname_letter(void **state)
{
	struct got g;
	struct crm_dupes_stats st;

	/* One block, delft|g, of five. Split on the surname's first letter:
	 * jansen/janssen and bakker/baker are still compared; kansen (one
	 * edit from jansen) is alone in its part. */
	contact(state, 1, "Gerard", "Jansen", NULL, NULL, NULL, "Delft");
	contact(state, 2, "Gerard", "Janssen", NULL, NULL, NULL, "Delft");
	contact(state, 3, "Gerard", "Bakker", NULL, NULL, NULL, "Delft");
	contact(state, 4, "Gerard", "Baker", NULL, NULL, NULL, "Delft");
	contact(state, 5, "Gerard", "Kansen", NULL, NULL, NULL, "Delft");
	scan(state, 0, &g, &st);
	assert_int_equal(g.n, 4); /* 1-2, 3-4, 1-5, 2-5 */
	assert_int_equal(g.splits, 0);
	crm_dupes_free(g.d, g.n);

	scan(state, 3, &g, &st);
	assert_int_equal(g.splits, 1);
	assert_string_equal(g.key, "delft|g");
	assert_int_equal(g.key_n, 5);
	assert_int_equal(g.key_parts, 3);
	assert_int_equal(st.split[4], 1);
	assert_int_equal(st.largest, 2);
	assert_int_equal(g.n, 2);
	/* Parts in surname order: b, then j. */
	assert_true(g.d[0].keep == 3 && g.d[0].other == 4);
	assert_true(g.d[1].keep == 1 && g.d[1].other == 2);
	assert_string_equal(g.d[0].reason, "name one edit apart in the same city");
	crm_dupes_free(g.d, g.n);
}

static void dupes__oversized_phone_block__split_on_name_letter(void **state)
{
	struct got g;
	struct crm_dupes_stats st;

	/* Four contacts with one phone: a switchboard. With a bound of 3
	 * only those whose names start alike are paired. */
	contact(state, 1, "Ann", "Archer", NULL, "+31 20 123 4567", NULL, NULL);
	contact(state, 2, "Aad", "Smit", NULL, "020-1234567", NULL, NULL);
	contact(state, 3, "Bob", "Cole", NULL, "+31201234567", NULL, NULL);
	contact(state, 4, "Bea", "Dunn", NULL, "020 123 45 67", NULL, NULL);
	scan(state, 0, &g, &st);
	assert_int_equal(g.n, 6);
	crm_dupes_free(g.d, g.n);
	scan(state, 3, &g, &st);
	assert_int_equal(st.split[2], 1);
	assert_string_equal(g.key, "+31201234567");
	assert_int_equal(g.key_parts, 2);
	assert_int_equal(g.n, 2);
	assert_true(g.d[0].keep == 1 && g.d[0].other == 2);
	assert_true(g.d[1].keep == 3 && g.d[1].other == 4);
	assert_string_equal(g.d[0].reason, "same phone (E.164)");
	crm_dupes_free(g.d, g.n);
}

static void dupes__pair_in_two_passes__written_once_by_the_first(void **state)
{
	struct got g;
	struct crm_dupes_stats st;

	/* Same mailbox, phone, company and name: found by four passes,
	 * written once, with every reason, in the mailbox pass. */
	contact(state, 1, "Ann", "Archer", "ann@example.org", "+31 6 1234 5678", "Acme", "Delft");
	contact(state, 2, "Ann", "Archer", "ann+x@example.org", "06-12345678", "Acme BV", "Delft");
	contact(state, 3, "Ann", "Archer", NULL, NULL, NULL, "Delft");
	scan(state, 0, &g, &st);
	assert_int_equal(g.n, 3);
	assert_true(g.d[0].keep == 1 && g.d[0].other == 2);
	assert_string_equal(g.d[0].reason, "same mailbox (+tags and Gmail dots ignored); same phone (E.164);"
			    " same name at the same company; same name in the same city");
	assert_true(g.d[1].keep == 1 && g.d[1].other == 3);
	assert_true(g.d[2].keep == 2 && g.d[2].other == 3);
	crm_dupes_free(g.d, g.n);
}

static void dupes__block_over_a_batch__every_pair_once(void **state)
{
	struct got g;
	struct crm_dupes_stats st;
	size_t n = 400, want = n * (n - 1) / 2;
	unsigned char *seen;

	/* 400 of one name in one city: 79,800 pairs in one block, more than
	 * one batch (CRM_DUPES_BATCH) holds. */
	exec_ok(store(state),
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
		" INSERT INTO contacts (id, uid, first_name, last_name, city, created_at, updated_at)"
		" SELECT i, 'u' || i, 'Frederik', 'Hansen', 'Utrecht', '" NOW_TEXT "', '" NOW_TEXT "'"
		" FROM n");
	assert_true(want > CRM_DUPES_BATCH);
	scan(state, n, &g, &st);
	assert_int_equal(g.n, want);
	assert_int_equal(st.split[4], 0);
	seen = calloc(n * n, 1);
	assert_non_null(seen);
	for (size_t i = 0; i < g.n; i++) {
		int64_t k = g.d[i].keep, o = g.d[i].other;

		assert_true(k >= 1 && k < o && o <= (int64_t)n);
		if (seen[(k - 1) * n + (o - 1)]++)
			fail_msg("pair %lld,%lld written twice", (long long)k, (long long)o);
		/* Each batch in keep, other order (one score). */
		if (i > 0 && i % CRM_DUPES_BATCH != 0)
			assert_true(g.d[i - 1].keep < k ||
				    (g.d[i - 1].keep == k && g.d[i - 1].other < o));
	}
	free(seen);
	crm_dupes_free(g.d, g.n);
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
		S(dupes__long_names__compared_past_the_stack_rows),
		S(dupes__no_split__same_pairs_as_before),
		S(dupes__oversized_city_block__split_on_surname_letter),
		S(dupes__oversized_phone_block__split_on_name_letter),
		S(dupes__pair_in_two_passes__written_once_by_the_first),
		S(dupes__block_over_a_batch__every_pair_once),
#undef T
#undef S
	};

	return cmocka_run_group_tests_name("dupes", tests, NULL, NULL);
}
