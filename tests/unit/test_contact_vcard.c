/* test_contact_vcard.c - unit tests for lib/contact_vcard.c: vCards read
 * as rows (the header, one card's row, companies, broken cards), detection,
 * and the export of contacts read back again, through the import, into a
 * fresh store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "contact/contact_import.h"
#include "contact/contact_query.h"
#include "contact/contact_vcard.h"
#include "io/csvio.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static const char *const columns[] = {
	"uid", "first_name", "last_name", "name", "email", "emails", "phone", "phones",
	"company", "title", "address", "city", "region", "postal_code", "country",
	"birthdate", "gender", "language", "tags", "note", "url", "other_addresses",
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	struct crm crm;
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "cvcard", NOW_TEXT);

	if (f == NULL)
		return -1;
	now = crm_now();
	f->crm.prog = "crm-contact";
	f->crm.cmd = "import";
	f->crm.out.header = 1;
	f->crm.quiet = 1;
	f->crm.store = f->base.s;
	snprintf(f->crm.user, sizeof(f->crm.user), "tester");
	*state = f;
	return 0;
}

/* ---- helpers ---- */

/* The cell of row under column name. */
static const char *cell(const struct crm_csv_row *row, const char *name)
{
	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(columns[i], name) == 0)
			return row->fields[i];
	fail_msg("no column %s", name);
	return NULL;
}

static void cell_is(const struct crm_csv_row *row, const char *name, const char *want)
{
	const char *got = cell(row, name);

	if (strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", name, got, want);
}

/* Opens text as a vCard row source and reads the header row. */
static struct crm_vcard_rows *open_rows(const char *text, FILE **fp)
{
	struct crm_vcard_rows *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };

	*fp = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(*fp);
	r = crm_vcard_rows_open(*fp, "cards.vcf");
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_int_equal(row.nfields, NCOLS);
	return r;
}

static void create_full(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int64_t id;
	static const char *const pairs[][2] = {
		{ "uid", "zoe-1" }, { "first_name", "Zoë" }, { "last_name", "Müller" },
		{ "email", "zoe@example.org" }, { "phone", "+49 30 1234567" },
		{ "company", "Acme, Inc." }, { "title", "Head of R&D" },
		{ "address", "Hauptstr. 1\nHinterhaus" }, { "city", "Berlin" },
		{ "region", "BE" }, { "postal_code", "10115" }, { "country", "DE" },
		{ "birthdate", "1985-04-12" }, { "gender", "F" }, { "language", "de" },
		{ "note", "met at the fair; likes tea" }, { "url", "https://zoe.example" },
	};

	crm_contact_init(&c);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (crm_contact_set_named(&c, pairs[i][0], pairs[i][1], now, &e) != 0)
			fail_msg("set %s: %s", pairs[i][0], e.msg);
	assert_int_equal(crm_contact_add_tags(&c, "vip;big-spender", &e), 0);
	assert_int_equal(crm_contact_add_others(&c, 0, "zoe@work.example (work); z@home.example",
						now, &e), 0);
	assert_int_equal(crm_contact_add_others(&c, 1, "+49 170 1234567 (mobile)", now, &e), 0);
	if (crm_contact_create(store(state), &c, &id, &e) != 0)
		fail_msg("create: %s", e.msg);
	crm_contact_free(&c);
}

/* Exports every contact as vCard version into a string (caller frees). */
static char *export_all(struct crm_store *s, int version, unsigned long *n)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	crm_contact_query_init(&q);
	/* columns of the caller are replaced */
	assert_int_equal(crm_contact_query_columns(&q, "id,email", &e), 0);
	if (crm_contact_vcard_export(s, &q, version, fp, n, &e) != 0)
		fail_msg("export: %s", e.msg);
	crm_contact_query_free(&q);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void has(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("no \"%s\" in:\n%s", part, text);
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part) != NULL)
		fail_msg("\"%s\" in:\n%s", part, text);
}

/* ---- rows ---- */

static void contact_vcard__rows_header__the_columns(void **state)
{
	struct crm_vcard_rows *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	FILE *fp = fmemopen((void *)"", 1, "r");

	(void)state;
	assert_non_null(fp);
	r = crm_vcard_rows_open(fp, "empty.vcf");
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_int_equal(row.nfields, NCOLS);
	assert_null(row.error);
	for (size_t i = 0; i < NCOLS; i++) {
		assert_string_equal(row.fields[i], columns[i]);
		assert_int_equal(row.lens[i], strlen(columns[i]));
	}
	/* no card: the end */
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 0);
	crm_vcard_rows_close(r);
	fclose(fp);
}

static void contact_vcard__rows_card__every_column(void **state)
{
	static const char card[] =
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"UID:urn:uuid:1234\r\n"
		"FN:Dr. Ada Lovelace\r\n"
		"N:Lovelace;Ada;;Dr.;\r\n"
		"ORG:Analytical Engines;Research\r\n"
		"TITLE:Countess\r\n"
		"EMAIL;TYPE=INTERNET,HOME:ada@home.example\r\n"
		"EMAIL;TYPE=WORK,PREF:ada@work.example\r\n"
		"EMAIL:ada@other.example\r\n"
		"TEL;TYPE=CELL,VOICE:+44 7700 900123\r\n"
		"TEL;TYPE=WORK:+44 20 7946 0000\r\n"
		"ADR;TYPE=HOME:;;1 Home Rd;London;;N1 1AA;UK\r\n"
		"ADR;TYPE=WORK,PREF:;Floor 2;12 Work St;Cambridge;Cambs;CB1 1AA;UK\r\n"
		"BDAY:1815-12-10\r\n"
		"CATEGORIES:big spender,VIP\r\n"
		"CATEGORIES:math,vip\r\n"
		"NOTE:line one\\nline two\r\n"
		"URL:https://ada.example\r\n"
		"END:VCARD\r\n";
	struct crm_vcard_rows *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	FILE *fp;

	(void)state;
	r = open_rows(card, &fp);
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_null(row.error);
	assert_int_equal(row.line, 1);
	assert_int_equal(row.nfields, NCOLS);
	cell_is(&row, "uid", "urn:uuid:1234");
	cell_is(&row, "first_name", "Ada");
	cell_is(&row, "last_name", "Lovelace");
	cell_is(&row, "name", "");         /* N given: nothing to split */
	/* the preferred email, phone and address are the primary ones */
	cell_is(&row, "email", "ada@work.example");
	cell_is(&row, "emails", "ada@home.example (home); ada@other.example");
	cell_is(&row, "phone", "+44 7700 900123");
	cell_is(&row, "phones", "+44 20 7946 0000 (work)");
	cell_is(&row, "company", "Analytical Engines");
	cell_is(&row, "title", "Countess");
	cell_is(&row, "address", "12 Work St, Floor 2");
	cell_is(&row, "city", "Cambridge");
	cell_is(&row, "region", "Cambs");
	cell_is(&row, "postal_code", "CB1 1AA");
	cell_is(&row, "country", "UK");
	cell_is(&row, "other_addresses", "1 Home Rd, N1 1AA, London, UK");
	cell_is(&row, "birthdate", "1815-12-10");
	cell_is(&row, "gender", "");
	cell_is(&row, "tags", "big-spender;VIP;math;vip");
	cell_is(&row, "note", "line one\nline two");
	cell_is(&row, "url", "https://ada.example");
	for (size_t i = 0; i < NCOLS; i++)
		assert_int_equal(row.lens[i], strlen(row.fields[i]));
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 0);
	assert_true(crm_vcard_rows_offset(r) > 0);
	crm_vcard_rows_close(r);
	fclose(fp);
}

static void contact_vcard__rows_fn_only__name_to_split(void **state)
{
	static const char cards[] =
		"BEGIN:VCARD\nVERSION:4.0\nFN:Grace Hopper\nGENDER:F;woman\nLANG:en\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:3.0\nFN:Acme Ltd\nORG:Acme Ltd\nEND:VCARD\n";
	struct crm_vcard_rows *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	FILE *fp;

	(void)state;
	r = open_rows(cards, &fp);
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_int_equal(row.line, 1);
	cell_is(&row, "name", "Grace Hopper");
	cell_is(&row, "first_name", "");
	cell_is(&row, "gender", "F");
	cell_is(&row, "language", "en");
	/* a company's card: its FN is the ORG, not a person's name */
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_int_equal(row.line, 7);
	cell_is(&row, "name", "");
	cell_is(&row, "company", "Acme Ltd");
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 0);
	crm_vcard_rows_close(r);
	fclose(fp);
}

static void contact_vcard__rows_broken_card__error_and_next(void **state)
{
	static const char cards[] =
		"BEGIN:VCARD\nVERSION:3.0\nFN:Broken\n"
		"BEGIN:VCARD\nVERSION:3.0\nFN:Fine One\nEMAIL:fine@example.org\nEND:VCARD\n";
	struct crm_vcard_rows *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	FILE *fp;

	(void)state;
	r = open_rows(cards, &fp);
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_int_equal(row.line, 1);
	assert_non_null(row.error);
	assert_string_equal(row.error, "missing END:VCARD");
	/* a bad card's row is empty, not half a contact */
	for (size_t i = 0; i < NCOLS; i++)
		assert_string_equal(row.fields[i], "");
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 1);
	assert_null(row.error);
	assert_int_equal(row.line, 4);
	cell_is(&row, "name", "Fine One");
	cell_is(&row, "email", "fine@example.org");
	assert_int_equal(crm_vcard_rows_next(r, &row, &e), 0);
	crm_vcard_rows_close(r);
	fclose(fp);
}

static void contact_vcard__rows_close_null__noop(void **state)
{
	(void)state;
	crm_vcard_rows_close(NULL);
}

/* ---- detection ---- */

static void detect(const char *text, size_t len, int want)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	char first[8] = "";

	assert_non_null(fp);
	assert_int_equal(crm_vcard_detect(fp), want);
	/* left where it was */
	assert_int_equal(ftell(fp), 0);
	assert_non_null(fgets(first, sizeof(first), fp));
	assert_int_equal(strncmp(first, text, strlen(first)), 0);
	fclose(fp);
}

static void contact_vcard__detect__begin_vcard_after_bom_and_blanks(void **state)
{
	(void)state;
	detect("BEGIN:VCARD\r\nEND:VCARD\r\n", 24, 1);
	detect("begin:vcard\n", 12, 1);
	detect("\xEF\xBB\xBF\r\n\n  BEGIN:VCARD\n", 21, 1);
	detect("email,name\nBEGIN:VCARD\n", 23, 0);
	detect("BEGIN:VCAL\n", 11, 0);
	detect("x", 1, 0);
}

/* ---- export ---- */

static void contact_vcard__export_v3__card_of_the_contact(void **state)
{
	unsigned long n = 0;
	char *v;

	create_full(state);
	v = export_all(store(state), 3, &n);
	assert_int_equal(n, 1);
	assert_int_equal(strncmp(v, "BEGIN:VCARD\r\nVERSION:3.0\r\n", 26), 0);
	has(v, "\r\nFN:Zoë Müller\r\n");
	has(v, "\r\nN:Müller;Zoë;;;\r\n");
	has(v, "\r\nORG:Acme\\, Inc.\r\n");
	has(v, "\r\nTITLE:Head of R&D\r\n");
	has(v, "\r\nEMAIL;TYPE=pref:zoe@example.org\r\n");
	has(v, "\r\nEMAIL;TYPE=work:zoe@work.example\r\n");
	has(v, "\r\nEMAIL:z@home.example\r\n");
	has(v, "\r\nTEL;TYPE=pref:+49 30 1234567\r\n");
	has(v, "\r\nTEL;TYPE=cell:+49 170 1234567\r\n");
	has(v, "\r\nADR:;;Hauptstr. 1\\nHinterhaus;Berlin;BE;10115;DE\r\n");
	has(v, "\r\nURL:https://zoe.example\r\n");
	has(v, "\r\nBDAY:1985-04-12\r\n");
	has(v, "\r\nNOTE:met at the fair\\; likes tea\r\n");
	has(v, "\r\nUID:zoe-1\r\n");
	has(v, "\r\nEND:VCARD\r\n");
	/* 3.0 has no GENDER or LANG */
	lacks(v, "GENDER");
	lacks(v, "LANG");
	free(v);
}

static void contact_vcard__export_v4__gender_lang_pref(void **state)
{
	unsigned long n = 0;
	char *v;

	create_full(state);
	v = export_all(store(state), 4, &n);
	assert_int_equal(n, 1);
	assert_int_equal(strncmp(v, "BEGIN:VCARD\r\nVERSION:4.0\r\n", 26), 0);
	has(v, "\r\nGENDER:F\r\n");
	has(v, "\r\nLANG:de\r\n");
	has(v, "\r\nEMAIL;PREF=1:zoe@example.org\r\n");
	free(v);
}

static void contact_vcard__export_many__one_card_each(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	unsigned long n = 0;
	int64_t id;
	char *v;
	const char *p;
	int cards = 0;

	for (int i = 0; i < 3; i++) {
		char email[32];

		snprintf(email, sizeof(email), "p%d@example.org", i);
		crm_contact_init(&c);
		assert_int_equal(crm_contact_set(&c, CRM_CF_EMAIL, email, now, &e), 0);
		assert_int_equal(crm_contact_create(store(state), &c, &id, &e), 0);
		crm_contact_free(&c);
	}
	v = export_all(store(state), 4, &n);
	assert_int_equal(n, 3);
	for (p = v; (p = strstr(p, "BEGIN:VCARD\r\n")) != NULL; p++)
		cards++;
	assert_int_equal(cards, 3);
	/* no name: FN falls back on the email */
	has(v, "\r\nFN:p0@example.org\r\n");
	free(v);
	/* an empty store exports nothing */
	assert_int_equal(crm_store_exec(store(state), "DELETE FROM contacts", &e), 0);
	v = export_all(store(state), 4, &n);
	assert_int_equal(n, 0);
	assert_string_equal(v, "");
	free(v);
}

static void contact_vcard__export_write_error__ioerr(void **state)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	unsigned long n = 7;
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	create_full(state);
	setvbuf(fp, NULL, _IONBF, 0);
	crm_contact_query_init(&q);
	assert_int_equal(crm_contact_vcard_export(store(state), &q, 4, fp, &n, &e), CRM_EX_IOERR);
	assert_string_equal(e.msg, "write error");
	assert_int_equal(n, 0);
	crm_contact_query_free(&q);
	fclose(fp);
}

static void contact_vcard__export_then_import__same_contact(void **state)
{
	static const char *const versions[] = { "3", "4" };

	for (size_t k = 0; k < 2; k++) {
		struct fixture *f = *state;
		struct crm_store *s2 = NULL;
		struct crm_contact_import ic;
		struct crm_batch_opts opts = { 0 };
		struct crm_batch_counts counts;
		struct crm_err e = { 0, "" };
		char path2[160], vcf[160];
		unsigned long n;
		char *v, *want, *got;
		FILE *fp;
		int rc;
		const char *sql =
			"SELECT uid, first_name, last_name, email, phone, company, title, address,"
			" city, region, postal_code, country, birthdate,"
			" (SELECT group_concat(tag, ';') FROM (SELECT tag FROM contact_tags ORDER BY tag)),"
			" (SELECT group_concat(email || ':' || ifnull(type, ''), ';') FROM"
			"  (SELECT * FROM contact_emails ORDER BY email)),"
			" (SELECT group_concat(phone || ':' || ifnull(type, ''), ';') FROM contact_phones),"
			" (SELECT group_concat(name || '=' || value, ';') FROM"
			"  (SELECT * FROM contact_fields ORDER BY name))"
			" FROM contacts";

		if (k == 0)
			create_full(state);
		v = export_all(f->base.s, versions[k][0] - '0', &n);
		snprintf(vcf, sizeof(vcf), "%s/out%s.vcf", f->base.dir, versions[k]);
		fp = fopen(vcf, "w");
		assert_non_null(fp);
		fputs(v, fp);
		fclose(fp);
		free(v);

		snprintf(path2, sizeof(path2), "%s/second%s.db", f->base.dir, versions[k]);
		assert_int_equal(crm_store_open(path2, "tester", &s2, &e), 0);
		crm_contact_import_init(&ic, &f->crm);
		ic.store = s2;
		opts.path = vcf;
		opts.source = &crm_contact_vcard_source;
		opts.use_source = -1;   /* detected */
		rc = crm_batch_run(&f->crm, s2, &opts, &crm_contact_import_ops, &ic, &counts);
		crm_contact_import_free(&ic);
		assert_int_equal(rc, 0);
		assert_int_equal(counts.added, 1);

		want = q_rows(f->base.s, sql);
		got = q_rows(s2, sql);
		if (strcmp(got, want) != 0) {
			char msg[2048];

			snprintf(msg, sizeof(msg), "vCard %s round trip:\n got: %s\nwant: %s",
				 versions[k], got, want);
			free(want);
			free(got);
			crm_store_close(s2);
			fail_msg("%s", msg);
		}
		free(want);
		free(got);
		/* 4.0 carries gender and language too */
		if (k == 1)
			assert_rows(s2, "SELECT gender, language FROM contacts", "F|de\n");
		crm_store_close(s2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contact_vcard__rows_header__the_columns),
		cmocka_unit_test(contact_vcard__rows_card__every_column),
		cmocka_unit_test(contact_vcard__rows_fn_only__name_to_split),
		cmocka_unit_test(contact_vcard__rows_broken_card__error_and_next),
		cmocka_unit_test(contact_vcard__rows_close_null__noop),
		cmocka_unit_test(contact_vcard__detect__begin_vcard_after_bom_and_blanks),
		cmocka_unit_test_setup_teardown(contact_vcard__export_v3__card_of_the_contact, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_vcard__export_v4__gender_lang_pref, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_vcard__export_many__one_card_each, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_vcard__export_write_error__ioerr, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_vcard__export_then_import__same_contact, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("contact_vcard", tests, NULL, NULL);
}
