/* test_contact_import.c - unit tests for lib/contact_import.c, driven by
 * crm_batch_run on temporary CSV files: header aliases, custom columns,
 * --map and --tag, blank cells, the upsert on uid or email with each
 * --on-conflict mode, rejected rows and the counts. */
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
#include "contact/contact_import.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	struct crm crm;
	struct crm_contact_import ic;
	struct crm_batch_counts n;
	char *err;               /* stderr of the last run */
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "cimport", NOW_TEXT);

	if (f == NULL)
		return -1;
	now = crm_now();
	f->crm.prog = "crm-contact";
	f->crm.cmd = "import";
	f->crm.out.header = 1;
	f->crm.store = f->base.s;
	snprintf(f->crm.user, sizeof(f->crm.user), "tester");
	crm_contact_import_init(&f->ic, &f->crm);
	f->ic.store = f->base.s;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	crm_contact_import_free(&f->ic);
	free(f->err);
	return fixture_free(f);
}

/* ---- helpers ---- */

static struct fixture *fx(void **state)
{
	return *state;
}

static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

/* --map and --tag arguments (borrowed strings, the array owned by ic). */
static void maps(void **state, size_t n, ...)
{
	struct crm_contact_import *ic = &fx(state)->ic;
	va_list ap;

	ic->maps = calloc(n, sizeof(char *));
	assert_non_null(ic->maps);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		ic->maps[i] = va_arg(ap, char *);
	va_end(ap);
	ic->nmaps = n;
}

static void tags(void **state, size_t n, ...)
{
	struct crm_contact_import *ic = &fx(state)->ic;
	va_list ap;

	ic->tags = calloc(n, sizeof(char *));
	assert_non_null(ic->tags);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		ic->tags[i] = va_arg(ap, char *);
	va_end(ap);
	ic->ntags = n;
}

/* Imports csv (written to DIR/in.csv) with the fixture's import state,
 * fresh for this run; stderr is kept in f->err with DIR for the temp dir. */
static int import(void **state, const char *csv)
{
	struct fixture *f = *state;
	struct crm_batch_opts opts = { 0 };
	struct crm_buf b = CRM_BUF_INIT;
	char path[160], chunk[512], tmpl[64];
	size_t n, dlen = strlen(f->base.dir);
	int rc, fd, saved;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/in.csv", f->base.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(csv, fp);
	assert_int_equal(fclose(fp), 0);
	opts.path = path;
	opts.format = CRM_CSV_AUTO;

	fflush(stderr);
	snprintf(tmpl, sizeof(tmpl), "/tmp/crm-test-stderr-XXXXXX");
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = crm_batch_run(&f->crm, f->base.s, &opts, &crm_contact_import_ops, &f->ic, &f->n);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	fp = fopen(tmpl, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	fclose(fp);
	unlink(tmpl);
	crm_buf_adds(&b, "");
	free(f->err);
	f->err = NULL;
	{
		struct crm_buf out = CRM_BUF_INIT;

		for (const char *p = crm_buf_str(&b); *p != '\0';) {
			if (strncmp(p, f->base.dir, dlen) == 0) {
				crm_buf_adds(&out, "DIR");
				p += dlen;
			} else {
				crm_buf_addc(&out, *p++);
			}
		}
		crm_buf_adds(&out, "");
		f->err = crm_buf_detach(&out);
	}
	crm_buf_free(&b);
	/* the next run starts from a fresh header mapping */
	{
		char **m = f->ic.maps, **t = f->ic.tags;
		size_t nm = f->ic.nmaps, nt = f->ic.ntags;
		int conflict = f->ic.on_conflict;

		f->ic.maps = NULL;
		f->ic.tags = NULL;
		crm_contact_import_free(&f->ic);
		crm_contact_import_init(&f->ic, &f->crm);
		f->ic.store = f->base.s;
		f->ic.maps = m;
		f->ic.nmaps = nm;
		f->ic.tags = t;
		f->ic.ntags = nt;
		f->ic.on_conflict = conflict;
	}
	return rc;
}

static void err_is(void **state, const char *want)
{
	if (strcmp(fx(state)->err, want) != 0)
		fail_msg("stderr:\n%s\nwant:\n%s", fx(state)->err, want);
}

static void counts_are(void **state, unsigned long read, unsigned long added,
		       unsigned long updated, unsigned long unchanged, unsigned long skipped,
		       unsigned long rejected)
{
	const struct crm_batch_counts *n = &fx(state)->n;

	if (n->read != read || n->added != added || n->updated != updated ||
	    n->unchanged != unchanged || n->skipped != skipped || n->rejected != rejected)
		fail_msg("counts read %lu added %lu updated %lu unchanged %lu skipped %lu rejected %lu,"
			 " want %lu %lu %lu %lu %lu %lu", n->read, n->added, n->updated, n->unchanged,
			 n->skipped, n->rejected, read, added, updated, unchanged, skipped, rejected);
}

/* ---- headers ---- */

static void contact_import__aliases__standard_fields(void **state)
{
	assert_int_equal(import(state,
		"Given Name,Surname,E-mail Address,Mobile Phone,Company Name,Job Title,Town,"
		"Zip,Country,Labels\n"
		"Ada,Lovelace,ADA@Example.ORG,+44 20 7946 0000,Analytical,Countess,London,"
		"W1,GB,vip;math\n"), 0);
	err_is(state, "");
	counts_are(state, 1, 1, 0, 0, 0, 0);
	assert_rows(store(state),
		    "SELECT first_name, last_name, email, phone, company, title, city, postal_code,"
		    " country, created_at FROM contacts",
		    "Ada|Lovelace|ADA@example.org|+44 20 7946 0000|Analytical|Countess|London|W1|GB|"
		    NOW_TEXT "\n");
	assert_rows(store(state), "SELECT tag FROM contact_tags ORDER BY tag", "math\nvip\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_fields", "0\n");
}

static void contact_import__full_name__split(void **state)
{
	assert_int_equal(import(state,
		"Full Name,email\n"
		"Grace Brewster Hopper,grace@example.org\n"
		"Linus,linus@example.org\n"), 0);
	assert_rows(store(state), "SELECT first_name, last_name FROM contacts ORDER BY id",
		    "Grace Brewster|Hopper\nLinus|NULL\n");
}

static void contact_import__id_updated_at__ignored(void **state)
{
	assert_int_equal(import(state,
		"id,email,updated_at,created_at\n"
		"77,a@example.org,2000-01-01T00:00:00Z,2020-02-02T00:00:00Z\n"), 0);
	assert_rows(store(state), "SELECT id, email, updated_at, created_at FROM contacts",
		    "1|a@example.org|" NOW_TEXT "|2020-02-02T00:00:00Z\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_fields", "0\n");
}

static void contact_import__custom_columns__named_from_headers(void **state)
{
	assert_int_equal(import(state,
		"email,Shoe Size,2nd Phone,Email,Lead--Score!\n"
		"a@example.org,38,12345,b@example.org,7\n"), 0);
	err_is(state, "");
	assert_rows(store(state), "SELECT email FROM contacts", "a@example.org\n");
	/* a second email column is kept as a custom field, not lost */
	assert_rows(store(state), "SELECT name, value FROM contact_fields ORDER BY name",
		    "f_2nd_phone|12345\nlead_score|7\nshoe_size|38\nx_email|b@example.org\n");
}

static void contact_import__decimal_comma__number_cells_rewritten(void **state)
{
	fx(state)->ic.decimal = ',';
	assert_int_equal(import(state,
		"email;balance;code;note\n"
		"a@example.org;\"1.234,50\";1.2.3;12,5 kg\n"
		"b@example.org;-0,5;0.500;1.234\n"), 0);
	err_is(state, "");
	/* numbers in the decimal-comma notation are kept as filters read
	 * them; other text, and 0.500 (500 or a stray point?), as typed */
	assert_rows(store(state), "SELECT c.email, f.name, f.value FROM contact_fields f"
		    " JOIN contacts c ON c.id = f.contact_id ORDER BY c.email, f.name",
		    "a@example.org|balance|1234.50\na@example.org|code|1.2.3\n"
		    "a@example.org|note|12,5 kg\n"
		    "b@example.org|balance|-0.5\nb@example.org|code|0.500\n"
		    "b@example.org|note|1234\n");
	/* without --decimal , custom cells are text, kept as typed */
	assert_int_equal(fx(state)->ic.decimal, 0);
	assert_int_equal(import(state, "email;balance\nc@example.org;\"1.234,50\"\n"), 0);
	assert_rows(store(state), "SELECT f.value FROM contact_fields f JOIN contacts c"
		    " ON c.id = f.contact_id WHERE c.email = 'c@example.org'", "1.234,50\n");
}

static void contact_import__nameless_column__warned_and_ignored(void **state)
{
	assert_int_equal(import(state, "email,€€,city\na@example.org,x,Oslo\n"), 0);
	err_is(state, "crm-contact: import: column 2 has no usable name: ignored\n");
	assert_rows(store(state), "SELECT email, city FROM contacts", "a@example.org|Oslo\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_fields", "0\n");
}

static void contact_import__two_columns_one_custom__dataerr(void **state)
{
	assert_int_equal(import(state, "email,Shoe Size,shoe-size\na@example.org,1,2\n"),
			 CRM_EX_DATAERR);
	err_is(state,
	       "crm-contact: import: columns 2 and 3 would both be custom field \"shoe_size\": rename one\n");
	assert_rows(store(state), "SELECT count(*) FROM contacts", "0\n");
}

/* ---- --map and --tag ---- */

static void contact_import__map__field_name_tags_custom_ignore(void **state)
{
	maps(state, 5, "Mail=email", "who=name", "Ignore me=-", "Score=lead_score", "Labels=tags");
	assert_int_equal(import(state,
		"Mail,Who,Ignore me,Score,Labels,Status\n"
		"m@example.org,Mo Map,junk,7,a;b,prospect\n"), 0);
	err_is(state, "");
	assert_rows(store(state), "SELECT email, first_name, last_name, status FROM contacts",
		    "m@example.org|Mo|Map|prospect\n");
	assert_rows(store(state), "SELECT name, value FROM contact_fields", "lead_score|7\n");
	assert_rows(store(state), "SELECT tag FROM contact_tags ORDER BY tag", "a\nb\n");
}

static void contact_import__map_bad__usage_before_rows(void **state)
{
	maps(state, 1, "Score=Bad-Name");
	assert_int_equal(import(state, "email,Score\na@example.org,7\n"), CRM_EX_USAGE);
	err_is(state, "crm-contact: import: --map \"Score=Bad-Name\": invalid field name"
		      " \"Bad-Name\" (use a-z, 0-9 and _, starting with a letter)\n");
	assert_rows(store(state), "SELECT count(*) FROM contacts", "0\n");
}

static void contact_import__map_taken_field__usage(void **state)
{
	maps(state, 2, "Mail=email", "Who=email");
	assert_int_equal(import(state, "Mail,Who\na@example.org,b@example.org\n"), CRM_EX_USAGE);
	err_is(state, "crm-contact: import: --map \"Who=email\": field name \"email\" is reserved"
		      " for a standard field\n");
	assert_rows(store(state), "SELECT count(*) FROM contacts", "0\n");
}

static void contact_import__map_missing_column__usage(void **state)
{
	maps(state, 1, "Nope=email");
	assert_int_equal(import(state, "email\na@example.org\n"), CRM_EX_USAGE);
	err_is(state, "crm-contact: import: --map: no column \"Nope\" in the input\n");
	assert_rows(store(state), "SELECT count(*) FROM contacts", "0\n");
}

static void contact_import__tags_option__every_added_or_updated_row(void **state)
{
	create(state, "email", "old@example.org", NULL);
	tags(state, 2, "imported", "fair-2024;batch");
	fx(state)->ic.on_conflict = 's';
	assert_int_equal(import(state,
		"email,first_name\n"
		"new@example.org,New\n"
		"old@example.org,Old\n"
		"bad@,Bad\n"), CRM_EX_DATAERR);
	counts_are(state, 3, 1, 0, 0, 1, 1);
	/* not on skipped or rejected rows */
	assert_rows(store(state),
		    "SELECT c.email, group_concat(t.tag) FROM contacts c LEFT JOIN"
		    " (SELECT * FROM contact_tags ORDER BY tag) t ON t.contact_id = c.id"
		    " GROUP BY c.id ORDER BY c.id",
		    "old@example.org|NULL\nnew@example.org|batch,fair-2024,imported\n");
}

/* ---- rows: upsert, blank cells, rejects ---- */

static void contact_import__match_by_email__updated_or_unchanged(void **state)
{
	create(state, "uid", "u1", "first_name", "Ann", "email", "ann@example.org",
	       "city", "Oslo", NULL);
	assert_int_equal(import(state,
		"email,first_name,city\n"
		"ann@example.org,Anne,\n"
		"ann@example.org,Anne,\n"), 0);
	counts_are(state, 2, 0, 1, 1, 0, 0);
	/* an empty cell leaves the value alone */
	assert_rows(store(state), "SELECT uid, first_name, city FROM contacts", "u1|Anne|Oslo\n");
	assert_rows(store(state),
		    "SELECT field, old_value, new_value FROM history WHERE action = 'update'",
		    "first_name|Ann|Anne\n");
}

static void contact_import__blank_cells__leave_values(void **state)
{
	create(state, "email", "ann@example.org", "city", "Oslo", "company", "Acme",
	       "status", "customer", NULL);
	assert_int_equal(import(state,
		"email,city,company,status\n"
		"ann@example.org,   ,\t,\" \"\n"), 0);
	counts_are(state, 1, 0, 0, 1, 0, 0);
	assert_rows(store(state), "SELECT city, company, status FROM contacts",
		    "Oslo|Acme|customer\n");
}

static void contact_import__match_by_uid__email_changed(void **state)
{
	create(state, "uid", "u1", "email", "ann@example.org", NULL);
	assert_int_equal(import(state, "uid,email\nu1,ann@new.example\n"), 0);
	counts_are(state, 1, 0, 1, 0, 0, 0);
	assert_rows(store(state), "SELECT uid, email FROM contacts", "u1|ann@new.example\n");
}

static void contact_import__match_other_email__found(void **state)
{
	create(state, "email", "ann@example.org", "emails", "ann@work.example (work)", NULL);
	assert_int_equal(import(state, "email,title\nann@work.example,Boss\n"), 0);
	counts_are(state, 1, 0, 1, 0, 0, 0);
	assert_rows(store(state), "SELECT count(*), max(title) FROM contacts", "1|Boss\n");
}

static void contact_import__uid_and_email_conflict__rejected(void **state)
{
	create(state, "uid", "u1", "first_name", "Ann", "email", "a@example.org", NULL);
	assert_int_equal(import(state,
		"uid,email,first_name\n"
		"u2,a@example.org,Impostor\n"
		"u1,,Renamed\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-contact: import: DIR/in.csv:2: email \"a@example.org\" belongs to contact 1,"
	       " which has another uid: row rejected\n"
	       "crm-contact: import: DIR/in.csv: 2 read, 0 added, 1 updated, 1 rejected\n");
	counts_are(state, 2, 0, 1, 0, 0, 1);
	assert_rows(store(state), "SELECT uid, first_name, email FROM contacts",
		    "u1|Renamed|a@example.org\n");
}

static void contact_import__uid_of_one_email_of_another__rejected(void **state)
{
	create(state, "uid", "u1", "email", "a@example.org", NULL);
	create(state, "uid", "u2", "email", "b@example.org", NULL);
	assert_int_equal(import(state, "uid,email\nu1,b@example.org\n"), CRM_EX_DATAERR);
	counts_are(state, 1, 0, 0, 0, 0, 1);
	assert_rows(store(state), "SELECT uid, email FROM contacts ORDER BY id",
		    "u1|a@example.org\nu2|b@example.org\n");
}

static void contact_import__on_conflict_skip__counted(void **state)
{
	create(state, "email", "a@example.org", "first_name", "Ann", NULL);
	fx(state)->ic.on_conflict = 's';
	assert_int_equal(import(state,
		"email,first_name\na@example.org,Changed\nb@example.org,Bo\n"), 0);
	err_is(state, "");
	counts_are(state, 2, 1, 0, 0, 1, 0);
	assert_rows(store(state), "SELECT email, first_name FROM contacts ORDER BY id",
		    "a@example.org|Ann\nb@example.org|Bo\n");
}

static void contact_import__on_conflict_error__rejected(void **state)
{
	create(state, "uid", "u1", "email", "a@example.org", "first_name", "Ann", NULL);
	fx(state)->ic.on_conflict = 'e';
	assert_int_equal(import(state,
		"email,first_name\na@example.org,Changed\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-contact: import: DIR/in.csv:2: contact 1 already has this email: row rejected\n"
	       "crm-contact: import: DIR/in.csv: 1 read, 0 added, 0 updated, 1 rejected\n");
	assert_int_equal(import(state, "uid,first_name\nu1,Changed\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-contact: import: DIR/in.csv:2: contact 1 already has this uid: row rejected\n"
	       "crm-contact: import: DIR/in.csv: 1 read, 0 added, 0 updated, 1 rejected\n");
	assert_rows(store(state), "SELECT first_name FROM contacts", "Ann\n");
}

static void contact_import__later_row__updates_earlier(void **state)
{
	assert_int_equal(import(state,
		"email,first_name,city\n"
		"a@example.org,Ann,\n"
		"a@example.org,,Oslo\n"
		"a@example.org,Ann,Oslo\n"), 0);
	counts_are(state, 3, 1, 1, 1, 0, 0);
	assert_rows(store(state), "SELECT first_name, city FROM contacts", "Ann|Oslo\n");
}

static void contact_import__bad_rows__rejected_with_reasons(void **state)
{
	assert_int_equal(import(state,
		"email,first_name,birthdate,status,Shoe Size\n"
		"foo@,A,,,\n"
		",,,,42\n"
		"c@example.org,C,2030-01-01,,\n"
		"d@example.org,D,,vip,\n"
		"e@example.org,E\n"
		"f@example.org,F,1990-05-06,customer,44\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-contact: import: DIR/in.csv:2: invalid email \"foo@\": row rejected\n"
	       "crm-contact: import: DIR/in.csv:3: no name, email, phone, company or uid: row rejected\n"
	       "crm-contact: import: DIR/in.csv:4: birthdate \"2030-01-01\" is in the future: row rejected\n"
	       "crm-contact: import: DIR/in.csv:5: invalid status \"vip\" (use lead, prospect, customer or former): row rejected\n"
	       "crm-contact: import: DIR/in.csv:6: expected 5 fields, found 2: row rejected\n"
	       "crm-contact: import: DIR/in.csv: 6 read, 1 added, 0 updated, 5 rejected\n");
	counts_are(state, 6, 1, 0, 0, 0, 5);
	assert_rows(store(state), "SELECT email, birthdate, status FROM contacts",
		    "f@example.org|1990-05-06|customer\n");
	assert_rows(store(state), "SELECT name, value FROM contact_fields", "shoe_size|44\n");
}

/* ---- savepoints: a new contact made by one INSERT needs none ---- */

static void contact_import__new_contact_other_email_taken__nothing_left(void **state)
{
	create(state, "email", "a@example.org", "emails", "x@work.example", NULL);
	assert_int_equal(import(state,
		"email,first_name,tags,shoe size,emails\n"
		"b@example.org,Bo,vip,41,x@work.example\n"
		"c@example.org,Cy,,,\n"), CRM_EX_DATAERR);
	counts_are(state, 2, 1, 0, 0, 0, 1);
	/* the rejected row's contact, tag, custom field and history are gone */
	assert_rows(store(state), "SELECT email, first_name FROM contacts ORDER BY id",
		    "a@example.org|NULL\nc@example.org|Cy\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_tags", "0\n");
	assert_rows(store(state), "SELECT count(*) FROM contact_fields", "0\n");
	/* the import's own row, written before the rejected row began, stays;
	 * only c's id is in its range of new contacts */
	assert_rows(store(state), "SELECT entity, entity_id, action FROM history ORDER BY id",
		    "contact|1|create\ncontact|1|add\nimport|0|import\n");
	assert_rows(store(state), "SELECT first_id, last_id, history_id FROM history_imports",
		    "2|2|3\n");
}

static void contact_import__rejected_update__no_history_left(void **state)
{
	create(state, "uid", "u1", "first_name", "Ann", "email", "a@example.org", NULL);
	create(state, "uid", "u2", "email", "b@example.org", NULL);
	/* first_name's history row is written before the email is refused */
	assert_int_equal(import(state, "uid,first_name,email\nu1,Renamed,b@example.org\n"),
			 CRM_EX_DATAERR);
	counts_are(state, 1, 0, 0, 0, 0, 1);
	assert_rows(store(state), "SELECT first_name, email FROM contacts WHERE uid = 'u1'",
		    "Ann|a@example.org\n");
	assert_rows(store(state), "SELECT count(*) FROM history WHERE action = 'update'", "0\n");
}

static void contact_import__duplicate_email_in_file__second_updates(void **state)
{
	/* no savepoint around the INSERT: a case-only duplicate is found by
	 * the lookup and updates the first row's contact */
	assert_int_equal(import(state,
		"email,first_name,city\nAnn@Example.org,Ann,\nann@EXAMPLE.ORG,,Oslo\n"), 0);
	counts_are(state, 2, 1, 1, 0, 0, 0);
	assert_rows(store(state), "SELECT email, first_name, city FROM contacts",
		    "ann@example.org|Ann|Oslo\n");
}

/* ---- history: one row per import, ranges of the contacts it made ---- */

static void contact_import__new_contacts__one_history_row_and_a_range(void **state)
{
	assert_int_equal(import(state,
		"email,first_name\na@example.org,Ann\nb@example.org,Bo\nA@EXAMPLE.ORG,Anna\n"), 0);
	counts_are(state, 3, 2, 1, 0, 0, 0);
	/* no create row each: the import's row, then the update of a */
	assert_rows(store(state),
		    "SELECT id, entity, entity_id, action, coalesce(field, '') FROM history ORDER BY id",
		    "1|import|0|import|\n2|contact|1|update|first_name\n3|contact|1|update|email\n");
	assert_rows(store(state), "SELECT first_id, last_id, history_id FROM history_imports",
		    "1|2|1\n");
}

static void contact_import__other_writer_between__two_ranges(void **state)
{
	assert_int_equal(import(state, "email\na@example.org\nb@example.org\n"), 0);
	create(state, "email", "by-hand@example.org", NULL); /* id 3, its own create row */
	assert_int_equal(import(state, "email\nc@example.org\na@example.org\nd@example.org\n"), 0);
	assert_rows(store(state), "SELECT first_id, last_id, history_id FROM history_imports ORDER BY 1",
		    "1|2|1\n4|5|3\n");
	assert_rows(store(state), "SELECT entity_id, action FROM history ORDER BY id",
		    "0|import\n3|create\n0|import\n");
}

static void contact_import__only_updates__no_history_row(void **state)
{
	create(state, "email", "a@example.org", NULL);
	assert_int_equal(import(state, "email,city\na@example.org,Oslo\n"), 0);
	assert_rows(store(state), "SELECT count(*) FROM history WHERE entity = 'import'", "0\n");
	assert_rows(store(state), "SELECT count(*) FROM history_imports", "0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(contact_import__aliases__standard_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__full_name__split, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__id_updated_at__ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__custom_columns__named_from_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__decimal_comma__number_cells_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__nameless_column__warned_and_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__two_columns_one_custom__dataerr, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__map__field_name_tags_custom_ignore, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__map_bad__usage_before_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__map_taken_field__usage, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__map_missing_column__usage, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__tags_option__every_added_or_updated_row, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__match_by_email__updated_or_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__blank_cells__leave_values, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__match_by_uid__email_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__match_other_email__found, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__uid_and_email_conflict__rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__uid_of_one_email_of_another__rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__on_conflict_skip__counted, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__on_conflict_error__rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__later_row__updates_earlier, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__bad_rows__rejected_with_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__new_contact_other_email_taken__nothing_left, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__rejected_update__no_history_left, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__duplicate_email_in_file__second_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__new_contacts__one_history_row_and_a_range, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__other_writer_between__two_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_import__only_updates__no_history_row, setup, teardown),
	};

	return cmocka_run_group_tests_name("contact_import", tests, NULL, NULL);
}
