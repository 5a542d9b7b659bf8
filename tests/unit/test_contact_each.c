/* test_contact_each.c - unit tests for lib/contact/contact_each.c: a
 * function run for each contact refs and streams name, in one
 * transaction; references naming nobody (reported, skipped, exit 1); the
 * function's errors and failed lookups (all rolled back, with their
 * codes, never taken for "not there"); asking first; rm and tag's
 * changes. */
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
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_each.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"
#include "capture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	struct fixture_store base;   /* DIR, DIR/crm.db, $CRM_NOW */
	struct crm crm;
	struct crm_buf seen;         /* ids the function got, "1 3 " */
	int64_t fail_on;             /* the function fails for this id */
	int64_t no_to;               /* ask says no for this id */
	char *err;                   /* stderr of the last run */
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "each", NOW_TEXT);

	if (f == NULL)
		return -1;
	f->crm.prog = "crm-contact";
	f->crm.cmd = "rm";
	f->crm.quiet = 1;
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

/* Contacts 1 (u1, a@), 2 (u2, b@), 3 (u3, c@). */
static void three(void **state)
{
	fixture_contact(store(state), "uid", "u1", "email", "a@example.org", NULL);
	fixture_contact(store(state), "uid", "u2", "email", "b@example.org", NULL);
	fixture_contact(store(state), "uid", "u3", "email", "c@example.org", NULL);
}

/* Notes the id and tags the contact "seen", so a commit shows. */
static int note(void *ctx, int64_t id, struct crm_err *e)
{
	struct fixture *f = ctx;
	int changed;

	crm_buf_addf(&f->seen, "%lld ", (long long)id);
	if (id == f->fail_on)
		return crm_err_set(e, CRM_EX_DATAERR, "contact %lld refused", (long long)id);
	return crm_contact_tag(f->base.s, id, "seen", 1, &changed, e);
}

static int ask(void *ctx, int64_t id, struct crm_err *e)
{
	struct fixture *f = ctx;

	if (id == f->fail_on)
		return crm_err_set(e, CRM_EX_IOERR, "cannot ask about %lld", (long long)id);
	return id == f->no_to ? 1 : 0;
}

/* Runs crm_contact_each (or _asked) over refs; stderr in f->err. */
static int run(void **state, const char *from, int asked, int nrefs, ...)
{
	struct fixture *f = *state;
	struct crm_contact_each w = { &f->crm, f->base.s, from, note, f };
	char *refs[8];
	struct capture c;
	va_list ap;
	int rc;

	va_start(ap, nrefs);
	for (int i = 0; i < nrefs; i++)
		refs[i] = va_arg(ap, char *);
	va_end(ap);
	crm_buf_reset(&f->seen);
	capture_begin(&c);
	rc = asked ? crm_contact_each_asked(&w, nrefs, refs, ask, f)
		   : crm_contact_each(&w, nrefs, refs);
	free(f->err);
	f->err = capture_end(&c);
	return rc;
}

static const char *seen(void **state)
{
	return crm_buf_str(&((struct fixture *)*state)->seen);
}

static void tagged(void **state, const char *want)
{
	assert_rows(store(state), "SELECT group_concat(contact_id, ' ') FROM"
		    " (SELECT contact_id FROM contact_tags WHERE tag = 'seen' ORDER BY 1)", want);
}

/* ---- tests ---- */

static void contact_each__refs__each_once_committed(void **state)
{
	three(state);
	assert_int_equal(run(state, NULL, 0, 3, "1", "b@example.org", "u3"), 0);
	assert_string_equal(seen(state), "1 2 3 ");
	assert_string_equal(((struct fixture *)*state)->err, "");
	tagged(state, "1 2 3\n");
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void contact_each__unknown_ref__reported_rest_done_exit_1(void **state)
{
	three(state);
	assert_int_equal(run(state, NULL, 0, 3, "1", "nobody", "3"), CRM_EX_NOTFOUND);
	assert_string_equal(seen(state), "1 3 ");
	assert_string_equal(((struct fixture *)*state)->err,
			    "crm-contact: rm: no contact \"nobody\"\n");
	tagged(state, "1 3\n");
}

static void contact_each__function_fails__all_rolled_back(void **state)
{
	((struct fixture *)*state)->fail_on = 2;
	three(state);
	assert_int_equal(run(state, NULL, 0, 3, "1", "2", "3"), CRM_EX_DATAERR);
	assert_string_equal(seen(state), "1 2 ");
	assert_string_equal(((struct fixture *)*state)->err, "crm-contact: rm: contact 2 refused\n");
	tagged(state, "NULL\n");
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

/* A lookup that fails is that failure (70 here, 75 busy), never "no
 * contact": nothing is done and the command fails with its code. */
static void contact_each__lookup_fails__its_code_not_missing(void **state)
{
	struct fault flt;

	three(state);
	fault_arm(&flt, db(state), "WHERE uid = ?1");
	assert_int_equal(run(state, NULL, 0, 2, "1", "u2"), CRM_EX_SOFTWARE);
	fault_disarm(&flt);
	assert_string_equal(seen(state), "");
	assert_non_null(strstr(((struct fixture *)*state)->err, "interrupted"));
	assert_null(strstr(((struct fixture *)*state)->err, "no contact"));
	tagged(state, "NULL\n");
}

static void contact_each__store_busy__tempfail(void **state)
{
	struct fault_lock l;

	three(state);
	reopen_shared(state);
	fault_lock(&l, ((struct fixture *)*state)->base.path, "contacts");
	assert_int_equal(run(state, NULL, 0, 1, "u2"), CRM_EX_TEMPFAIL);
	fault_unlock(&l);
	assert_non_null(strstr(((struct fixture *)*state)->err, "is busy"));
	assert_string_equal(seen(state), "");
}

static void contact_each__from_file_then_refs(void **state)
{
	struct fixture *f = *state;
	char path[160];
	FILE *fp;

	three(state);
	snprintf(path, sizeof(path), "%s/stream.csv", f->base.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("email\nc@example.org\nnobody@example.org\n", fp);
	fclose(fp);
	assert_int_equal(run(state, path, 0, 1, "1"), CRM_EX_NOTFOUND);
	assert_string_equal(seen(state), "3 1 ");
	assert_non_null(strstr(f->err, "nobody@example.org"));
	tagged(state, "1 3\n");
}

static void contact_each__from_missing_file__noinput(void **state)
{
	three(state);
	assert_int_equal(run(state, "/nonexistent/stream.csv", 0, 1, "1"), CRM_EX_NOINPUT);
	assert_string_equal(((struct fixture *)*state)->err,
			    "crm-contact: rm: cannot open /nonexistent/stream.csv: No such file or directory\n");
	assert_string_equal(seen(state), "");
}

static void contact_each_asked__only_the_agreed(void **state)
{
	((struct fixture *)*state)->no_to = 2;
	three(state);
	assert_int_equal(run(state, NULL, 1, 4, "1", "2", "nobody", "3"), CRM_EX_NOTFOUND);
	assert_string_equal(seen(state), "1 3 ");
	tagged(state, "1 3\n");
}

static void contact_each_asked__asking_fails__nothing_done(void **state)
{
	((struct fixture *)*state)->fail_on = 2;
	three(state);
	assert_int_equal(run(state, NULL, 1, 3, "1", "2", "3"), CRM_EX_IOERR);
	assert_string_equal(seen(state), "");
	assert_string_equal(((struct fixture *)*state)->err, "crm-contact: rm: cannot ask about 2\n");
}

static void contact_change__delete_and_tags__counted(void **state)
{
	struct fixture *f = *state;
	char *tags[] = { "vip", "new" };
	struct crm_contact_change ch = { f->base.s, tags, 2, 1, 0 };
	struct crm_contact_each w = { &f->crm, f->base.s, NULL, crm_contact_change_tags, &ch };
	char *refs[] = { "1", "2" };

	three(state);
	assert_int_equal(crm_contact_each(&w, 2, refs), 0);
	assert_int_equal(ch.done, 4);
	ch.done = 0;
	assert_int_equal(crm_contact_each(&w, 2, refs), 0);
	assert_int_equal(ch.done, 0); /* had them */
	ch.add = 0;
	ch.ntags = 1;
	assert_int_equal(crm_contact_each(&w, 1, refs), 0);
	assert_int_equal(ch.done, 1);
	assert_rows(store(state), "SELECT contact_id, tag FROM contact_tags ORDER BY 1, 2",
		    "1|new\n2|new\n2|vip\n");
	ch.done = 0;
	w.fn = crm_contact_change_delete;
	assert_int_equal(crm_contact_each(&w, 2, refs), 0);
	assert_int_equal(ch.done, 2);
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		S(contact_each__refs__each_once_committed),
		S(contact_each__unknown_ref__reported_rest_done_exit_1),
		S(contact_each__function_fails__all_rolled_back),
		S(contact_each__lookup_fails__its_code_not_missing),
		S(contact_each__store_busy__tempfail),
		S(contact_each__from_file_then_refs),
		S(contact_each__from_missing_file__noinput),
		S(contact_each_asked__only_the_agreed),
		S(contact_each_asked__asking_fails__nothing_done),
		S(contact_change__delete_and_tags__counted),
#undef S
	};

	return cmocka_run_group_tests_name("contact_each", tests, NULL, NULL);
}
