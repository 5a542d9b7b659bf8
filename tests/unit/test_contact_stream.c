/* test_contact_stream.c - unit tests for lib/contact_stream.c: which
 * column names the contacts (id, else uid, else email), rows naming no
 * known contact (reported, skipped, exit 1), streams without a key column
 * (65), and the callback's own errors. */
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
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_stream.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	struct crm crm;
	char *err;               /* stderr of the last run */
	struct crm_buf seen;     /* ids the callback got, "1 3 " */
	int64_t fail_on;         /* the callback fails for this id */
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "cstream", NOW_TEXT);

	if (f == NULL)
		return -1;
	now = crm_now();
	f->crm.prog = "crm-mail";
	f->crm.cmd = "send";
	f->crm.out.header = 1;
	f->crm.quiet = 1;
	f->crm.store = f->base.s;
	snprintf(f->crm.user, sizeof(f->crm.user), "tester");
	crm_buf_init(&f->seen);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->err);
	crm_buf_free(&f->seen);
	return fixture_free(f);
}

/* ---- helpers ---- */

static struct fixture *fx(void **state)
{
	return *state;
}

static int64_t create(void **state, const char *uid, const char *email)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	crm_contact_init(&c);
	if ((uid != NULL && crm_contact_set(&c, CRM_CF_UID, uid, now, &e) != 0) ||
	    (email != NULL && crm_contact_set(&c, CRM_CF_EMAIL, email, now, &e) != 0))
		fail_msg("set: %s", e.msg);
	if (crm_contact_create(store(state), &c, &id, &e) != 0)
		fail_msg("create: %s", e.msg);
	crm_contact_free(&c);
	return id;
}

/* Contacts 1 (u1, a@), 2 (u2, b@), 3 (u3, c@). */
static void three(void **state)
{
	create(state, "u1", "a@example.org");
	create(state, "u2", "b@example.org");
	create(state, "u3", "c@example.org");
}

static int each(void *ctx, int64_t id, struct crm_err *e)
{
	struct fixture *f = ctx;

	crm_buf_addf(&f->seen, "%lld ", (long long)id);
	if (id == f->fail_on)
		return crm_err_set(e, CRM_EX_TEMPFAIL, "contact %lld: mail server busy", (long long)id);
	return 0;
}

/* Streams text through crm_contact_stream as "list.csv"; stderr in f->err. */
static int stream(void **state, const char *text)
{
	struct fixture *f = *state;
	struct crm_buf b = CRM_BUF_INIT;
	char tmpl[64], chunk[512];
	size_t n;
	int rc, fd, saved;
	FILE *in = fmemopen((void *)text, strlen(text), "r"), *fp;

	assert_non_null(in);
	crm_buf_reset(&f->seen);
	fflush(stderr);
	snprintf(tmpl, sizeof(tmpl), "/tmp/crm-test-stderr-XXXXXX");
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = crm_contact_stream(&f->crm, f->base.s, in, "list.csv", each, f);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(in);
	fp = fopen(tmpl, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	fclose(fp);
	unlink(tmpl);
	crm_buf_adds(&b, "");
	free(f->err);
	f->err = crm_buf_detach(&b);
	return rc;
}

static void seen_is(void **state, const char *want)
{
	assert_string_equal(crm_buf_str(&fx(state)->seen), want);
}

static void err_is(void **state, const char *want)
{
	if (strcmp(fx(state)->err, want) != 0)
		fail_msg("stderr:\n%s\nwant:\n%s", fx(state)->err, want);
}

/* ---- the key column ---- */

static void contact_stream__id_column__preferred(void **state)
{
	three(state);
	/* uid and email disagree with id: id wins, wherever it stands */
	assert_int_equal(stream(state, "email,uid,id,name\n"
				       "a@example.org,u1,3,x\n"
				       "b@example.org,u1,2,y\n"), 0);
	seen_is(state, "3 2 ");
	err_is(state, "");
}

static void contact_stream__uid_column__before_email(void **state)
{
	three(state);
	assert_int_equal(stream(state, "email,uid\na@example.org,u3\nc@example.org,u2\n"), 0);
	seen_is(state, "3 2 ");
}

static void contact_stream__email_column__alone(void **state)
{
	three(state);
	assert_int_equal(stream(state, "name,Email\nBo,B@example.org\nCy,c@example.org\n"), 0);
	seen_is(state, "2 3 ");
	err_is(state, "");
}

static void contact_stream__header_case__ignored(void **state)
{
	three(state);
	assert_int_equal(stream(state, "ID\n1\n"), 0);
	seen_is(state, "1 ");
	assert_int_equal(stream(state, "Uid\nu2\n"), 0);
	seen_is(state, "2 ");
}

static void contact_stream__tsv__read(void **state)
{
	three(state);
	/* as crm-contact list writes it */
	assert_int_equal(stream(state, "id\tfirst_name\temail\n2\t\tb@example.org\n1\tAnn\ta@example.org\n"),
			 0);
	seen_is(state, "2 1 ");
}

/* ---- rows that name no one ---- */

static void contact_stream__unknown_contacts__reported_skipped_exit_1(void **state)
{
	three(state);
	assert_int_equal(stream(state, "email\n"
				       "a@example.org\n"
				       "ghost@example.org\n"
				       "c@example.org\n"
				       "\n"
				       "\"\"\n"), CRM_EX_NOTFOUND);
	/* the others are still handed on */
	seen_is(state, "1 3 ");
	err_is(state, "crm-mail: send: list.csv:3: no contact \"ghost@example.org\"\n"
		      "crm-mail: send: list.csv:6: no contact \"\"\n");
}

static void contact_stream__unknown_id__reported(void **state)
{
	three(state);
	assert_int_equal(stream(state, "id\n99\n2\n"), CRM_EX_NOTFOUND);
	seen_is(state, "2 ");
	err_is(state, "crm-mail: send: list.csv:2: no contact \"99\"\n");
}

static void contact_stream__short_or_bad_rows__reported(void **state)
{
	three(state);
	assert_int_equal(stream(state, "name,id\nAnn,1\nBo\n\"Cy\"x,3\nDi,2\n"), CRM_EX_NOTFOUND);
	seen_is(state, "1 2 ");
	err_is(state, "crm-mail: send: list.csv:3: no contact column\n"
		      "crm-mail: send: list.csv:4: malformed quoting\n");
}

/* ---- whole streams ---- */

static void contact_stream__no_key_column__dataerr(void **state)
{
	three(state);
	assert_int_equal(stream(state, "name,mail\nAnn,a@example.org\n"), CRM_EX_DATAERR);
	seen_is(state, "");
	err_is(state, "crm-mail: send: list.csv: a contact stream needs an id, uid or email column\n");
	/* a header that is not one: the same */
	assert_int_equal(stream(state, "\"id\n"), CRM_EX_DATAERR);
	err_is(state, "crm-mail: send: list.csv: a contact stream needs an id, uid or email column\n");
}

static void contact_stream__empty__nobody(void **state)
{
	three(state);
	assert_int_equal(stream(state, ""), 0);
	seen_is(state, "");
	err_is(state, "");
	/* a header alone names nobody either */
	assert_int_equal(stream(state, "id\n"), 0);
	seen_is(state, "");
	err_is(state, "");
}

static void contact_stream__callback_error__stops_with_its_code(void **state)
{
	three(state);
	fx(state)->fail_on = 2;
	assert_int_equal(stream(state, "id\n1\n2\n3\n"), CRM_EX_TEMPFAIL);
	seen_is(state, "1 2 ");
	err_is(state, "crm-mail: send: contact 2: mail server busy\n");
}

static void contact_stream__numeric_uid__never_an_id(void **state)
{
	/* contact 1's uid is "2"; contact 2 is another */
	create(state, "2", "a@example.org");
	create(state, "u-b", "b@example.org");
	assert_int_equal(stream(state, "uid\n2\n"), 0);
	seen_is(state, "1 ");
	/* an id column is ids */
	assert_int_equal(stream(state, "id\n2\n"), 0);
	seen_is(state, "2 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(contact_stream__id_column__preferred, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__uid_column__before_email, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__email_column__alone, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__header_case__ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__tsv__read, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__unknown_contacts__reported_skipped_exit_1, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__unknown_id__reported, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__numeric_uid__never_an_id, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__short_or_bad_rows__reported, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__no_key_column__dataerr, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__empty__nobody, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_stream__callback_error__stops_with_its_code, setup, teardown),
	};

	return cmocka_run_group_tests_name("contact_stream", tests, NULL, NULL);
}
