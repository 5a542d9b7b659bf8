/* test_contact_query.c - unit tests for lib/contact_query.c on a temporary
 * store holding four contacts. */
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
#include "contact/contact.h"
#include "contact/contact_query.h"
#include "base/err.h"
#include "io/output.h"
#include "base/xalloc.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	struct crm_contact_query q;
};
FIXTURE_BASE_FIRST(struct fixture);

/* Creates a contact from name=value pairs ending with NULL. */
static int add(struct crm_store *s, ...)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	va_list ap;
	const char *name;
	int64_t id = 0;
	int rc = 0;

	crm_contact_init(&c);
	va_start(ap, s);
	while (rc == 0 && (name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		if (strcmp(name, "tags") == 0)
			rc = crm_contact_add_tags(&c, value, &e);
		else
			rc = crm_contact_set_named(&c, name, value, 0, &e);
	}
	va_end(ap);
	if (rc == 0)
		rc = crm_contact_create(s, &c, &id, &e);
	if (rc != 0)
		fprintf(stderr, "seed: %s\n", e.msg);
	crm_contact_free(&c);
	return rc;
}

/* The contacts every test starts with (ids 1 to 4). */
static int seed(struct crm_store *s)
{
	return add(s, "uid", "u1", "first_name", "Jane", "last_name", "Doe",
		   "email", "jane@example.org", "company", "Acme", "status", "customer",
		   "city", "Paris", "tags", "vip,gold", "shoe_size", "38",
		   "address", "Main St 1\nApt 2", NULL) ||
	       add(s, "uid", "u2", "first_name", "John", "last_name", "Smith",
		   "email", "john@example.org", "company", "100% Organic",
		   "status", "lead", "tags", "vip", "email_opt_out", "yes", NULL) ||
	       add(s, "uid", "u3", "first_name", "Ann", "last_name", "Lee",
		   "company", "Under_score Ltd", "status", "prospect", "city", "Berlin",
		   "tags", "gold", "shoe_size", "42", NULL) ||
	       add(s, "uid", "u4", "first_name", "Bob", "last_name", "O'Brien",
		   "email", "bob@x.org", "company", "Back\\slash", "status", "customer",
		   "city", "Paris", NULL);
}

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "query", NOW_TEXT);

	if (f == NULL)
		return -1;
	if (seed(f->base.s) != 0) {
		fixture_free(f);
		return -1;
	}
	crm_contact_query_init(&f->q);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	crm_contact_query_free(&f->q);
	return fixture_free(f);
}

/* Runs q and returns what it wrote in fmt (free() it); *rc its status. */
static char *run_fmt(struct fixture *f, enum crm_format fmt, int header,
		     int *rc, struct crm_err *e)
{
	struct crm_out_opts opts = { fmt, header, 0 };
	struct crm_err ce = { 0, "" };
	char *data = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&data, &len);
	struct crm_out *o;
	unsigned long n = 12345;

	assert_non_null(fp);
	o = crm_out_open(fp, &opts);
	*rc = crm_contact_query_run(f->base.s, &f->q, o, &n, e);
	assert_int_equal(crm_out_close(o, &ce), 0);
	assert_int_equal(fclose(fp), 0);
	if (*rc == 0) {
		/* The row count matches the lines written. */
		unsigned long lines = 0;

		for (size_t i = 0; i < len; i++)
			lines += data[i] == '\n';
		assert_int_equal(n, lines - (header && fmt == CRM_FMT_TSV ? 1 : 0));
	}
	return data;
}

/* Runs f->q as TSV with a header and compares the bytes with want. */
static void assert_tsv(struct fixture *f, const char *want)
{
	struct crm_err e = { 0, "" };
	int rc;
	char *got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);

	if (rc != 0)
		fail_msg("query failed: %d %s", rc, e.msg);
	assert_string_equal(got, want);
	free(got);
}

static void cols(struct fixture *f, const char *list)
{
	struct crm_err e = { 0, "" };

	if (crm_contact_query_columns(&f->q, list, &e) != 0)
		fail_msg("columns \"%s\": %s", list, e.msg);
}

static void where(struct fixture *f, const char *expr)
{
	struct crm_err e = { 0, "" };

	if (crm_contact_query_where(&f->q, expr, &e) != 0)
		fail_msg("where \"%s\": %s", expr, e.msg);
}

static void sort(struct fixture *f, const char *spec)
{
	struct crm_err e = { 0, "" };

	if (crm_contact_query_sort(&f->q, spec, &e) != 0)
		fail_msg("sort \"%s\": %s", spec, e.msg);
}

/* The store is as seed() left it: four contacts and every table. */
static void assert_store_intact(struct fixture *f)
{
	struct crm_store *d = f->base.s;

	assert_int_equal(q_int(d, "SELECT count(*) FROM contacts"), 4);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_tags"), 4);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_fields"), 2);
	assert_int_equal(q_int(d, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			       " AND name IN ('contacts', 'contact_tags', 'contact_fields', 'history')"), 4);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contacts WHERE first_name = 'Jane'"
			       " AND status = 'customer'"), 1);
}

/* ---- columns ---- */

static void query__columns__standard_tags_custom(void **state)
{
	struct fixture *f = *state;

	cols(f, "id,first_name,email,tags,shoe_size");
	assert_tsv(f,
		   "id\tfirst_name\temail\ttags\tshoe_size\n"
		   "1\tJane\tjane@example.org\tgold;vip\t38\n"
		   "2\tJohn\tjohn@example.org\tvip\t\n"
		   "3\tAnn\t\tgold\t42\n"
		   "4\tBob\tbob@x.org\t\t\n");
}

static void query__columns_dashes_and_escapes__tsv_bytes(void **state)
{
	struct fixture *f = *state;

	cols(f, "uid,first-name,address,company,email-opt-out,status");
	f->q.limit = 2;
	assert_tsv(f,
		   "uid\tfirst_name\taddress\tcompany\temail_opt_out\tstatus\n"
		   "u1\tJane\tMain St 1\\nApt 2\tAcme\t0\tcustomer\n"
		   "u2\tJohn\t\t100% Organic\t1\tlead\n");
}

static void query__columns_unknown__usage(void **state)
{
	static const char *const bad[][2] = {
		{ "id,Bogus", "unknown field \"Bogus\"" },
		{ "id,,email", "unknown field \"\"" },
		{ "id,e mail", "unknown field \"e mail\"" },
		{ "firstname", "unknown field \"firstname\"" },
		{ "id,email; DROP TABLE contacts", "unknown field \"email; DROP TABLE contacts\"" },
		{ "id,email--", "unknown field \"email--\"" },
		{ "id,/*x*/email", "unknown field \"/*x*/email\"" },
		{ "id,(SELECT 1)", "unknown field \"(SELECT 1)\"" },
		{ "email' OR '1'='1", "unknown field \"email' OR '1'='1\"" },
		{ "", "no fields given" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct crm_err e = { 0, "" };

		crm_contact_query_free(&f->q);
		assert_int_equal(crm_contact_query_columns(&f->q, bad[i][0], &e), CRM_EX_USAGE);
		assert_int_equal(e.code, CRM_EX_USAGE);
		if (strcmp(bad[i][1], "no fields given") == 0) {
			assert_string_equal(e.msg, bad[i][1]);
		} else {
			/* --fields: unknown field "X" [(did you mean "Y"?)]; known: id, uid, ... */
			char want[128];

			snprintf(want, sizeof(want), "--fields: %s", bad[i][1]);
			if (strncmp(e.msg, want, strlen(want)) != 0 ||
			    strstr(e.msg, "; known: id, uid, ") == NULL)
				fail_msg("\"%s\" does not start \"%s\"", e.msg, want);
		}
	}
	assert_store_intact(f);
}

static void query__columns_keywords__custom_fields_as_data(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };

	/* Valid custom names that happen to be SQL keywords: bound, not run,
	 * bare (some contact has them) or as field.NAME. */
	assert_int_equal(crm_store_exec(f->base.s,
		"INSERT INTO contact_fields VALUES (2, 'select', 's'), (2, 'drop', 'd')", &e), 0);
	cols(f, "id,select,drop,field.from");
	assert_tsv(f,
		   "id\tselect\tdrop\tfield.from\n"
		   "1\t\t\t\n2\ts\td\t\n3\t\t\t\n4\t\t\t\n");
	assert_int_equal(q_int(f->base.s, "SELECT count(*) FROM contact_fields"), 4);
	assert_int_equal(crm_store_exec(f->base.s,
		"DELETE FROM contact_fields WHERE contact_id = 2", &e), 0);
	assert_store_intact(f);
}

/* Any name of the filter language is a column, with the filter's values:
 * computed ones, field.NAME, tag:NAME; money in major units. */
static void query__columns_filter_names__computed_values(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	assert_int_equal(crm_store_exec(f->base.s,
		"INSERT INTO interactions (contact_id, at, channel, type, amount, currency,"
		" created_at) VALUES (1, '2024-01-01T00:00:00Z', 'web', 'purchase', 1999, 'EUR', 'x'),"
		" (1, '2024-02-01T00:00:00Z', 'web', 'purchase', 500, 'EUR', 'x'),"
		" (1, '2024-03-01T00:00:00Z', 'web', 'refund', -99, 'EUR', 'x'),"
		" (3, '2024-04-01T00:00:00Z', 'web', 'purchase', 7, 'EUR', 'x');"
		"INSERT INTO contact_rfm VALUES (1, 5, 4, 3, 14, 2, 2400, 'champions', '2024-06-15');"
		"INSERT INTO contact_clusters VALUES (1, 2), (3, 0);", &e), 0);
	cols(f, "id,purchases.total,purchases.count,purchases.last,rfm.segment,rfm.r,cluster,"
		"tag:vip,field.shoe_size,opt_out.email");
	assert_tsv(f,
		   "id\tpurchases.total\tpurchases.count\tpurchases.last\trfm.segment\trfm.r"
		   "\tcluster\ttag:vip\tfield.shoe_size\topt_out.email\n"
		   "1\t24.00\t2\t2024-02-01T00:00:00Z\tchampions\t5\t2\t1\t38\t0\n"
		   "2\t0.00\t0\t\t\t\t\t1\t\t1\n"
		   "3\t0.07\t1\t2024-04-01T00:00:00Z\t\t\t0\t0\t42\t0\n"
		   "4\t0.00\t0\t\t\t\t\t0\t\t0\n");
	/* with a filter after them: the parameters of both line up */
	f->q.filter = strdup("field.shoe_size > 40 or tag:vip");
	f->q.now = 1718452800;
	crm_contact_query_free_columns(&f->q);
	cols(f, "id,interactions.last_365d,age,tag:gold");
	got = run_fmt(f, CRM_FMT_JSONL, 1, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(got,
		"{\"id\":1,\"interactions.last_365d\":3,\"age\":null,\"tag:gold\":1}\n"
		"{\"id\":2,\"interactions.last_365d\":0,\"age\":null,\"tag:gold\":0}\n"
		"{\"id\":3,\"interactions.last_365d\":1,\"age\":null,\"tag:gold\":1}\n");
	free(got);
}

/* A bare custom name no contact has is unknown when the query runs, before
 * anything is written; field.NAME is always a column. */
static void query__columns_custom_nobody_has__usage_before_header(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	cols(f, "id,nosuch");
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, CRM_EX_USAGE);
	assert_string_equal(got, "");
	free(got);
	assert_non_null(strstr(e.msg, "--fields: unknown field \"nosuch\"; known: id, uid, "));
	assert_non_null(strstr(e.msg, ", purchases.total, "));
	assert_non_null(strstr(e.msg, ", rfm.segment, "));
	assert_non_null(strstr(e.msg, ", cluster, "));
	assert_non_null(strstr(e.msg, ", field.NAME, "));
	crm_contact_query_free_columns(&f->q);
	cols(f, "id,field.nosuch");
	f->q.limit = 1;
	assert_tsv(f, "id\tfield.nosuch\n1\t\n");
}

static void query__all_columns__standard_tags_then_custom(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_buf want = CRM_BUF_INIT;
	int rc;
	char *got;

	assert_int_equal(crm_contact_query_all_columns(&f->q, f->base.s, &e), 0);
	assert_int_equal(f->q.ncols, CRM_CONTACT_NFIELDS + 4);
	f->q.id = 3;
	for (int i = 0; i < CRM_CONTACT_NFIELDS; i++)
		crm_buf_addf(&want, "%s\t", crm_contact_fields[i].name);
	crm_buf_adds(&want, "tags\temails\tphones\tshoe_size\n"
		     "3\tu3\tAnn\tLee\t\t\tUnder_score Ltd\t\t\tBerlin\t\t\t\t\t\t\t\t\t"
		     "prospect\t\t0\t0\t" NOW_TEXT "\t" NOW_TEXT "\tgold\t\t\t42\n");
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(got, crm_buf_str(&want));
	free(got);
	crm_buf_free(&want);
}

static void query__no_header__rows_only(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	cols(f, "id,last_name");
	where(f, "city=Paris");
	got = run_fmt(f, CRM_FMT_TSV, 0, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "1\tDoe\n4\tO'Brien\n");
	free(got);
}

static void query__jsonl__numbers_and_nulls(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	cols(f, "id,email,email_opt_out,tags");
	f->q.id = 3;
	got = run_fmt(f, CRM_FMT_JSONL, 1, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "{\"id\":3,\"email\":null,\"email_opt_out\":0,\"tags\":\"gold\"}\n");
	free(got);
}

/* ---- filters ---- */

static void query__where_standard__exact_match(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	where(f, "status=customer");
	assert_tsv(f, "id\n1\n4\n");
}

static void query__where_several__all_must_match(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	where(f, "status=customer");
	where(f, "city=Paris");
	where(f, "first-name=Bob");
	assert_tsv(f, "id\n4\n");
}

static void query__where_email__case_insensitive(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	where(f, "email=JANE@EXAMPLE.ORG");
	assert_tsv(f, "id\n1\n");
}

static void query__where_numbers__integer_columns_match(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	where(f, "id=2");
	assert_tsv(f, "id\n2\n");
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "email_opt_out=1");
	assert_tsv(f, "id\n2\n");
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "id=abc");
	assert_tsv(f, "id\n");
}

/* Was a bug (lib/contact_query.c, crm_contact_query_where): the value of a
 * standard field is compared as typed, not normalised the way
 * crm_contact_normalize stores it, so filters a user would expect to work
 * find nothing: "status=Customer" (stored "customer"), "email_opt_out=yes"
 * (stored 1), "preferred_channel=EMAIL". `crm-contact list --where
 * email_opt_out=yes` prints no contact while one has opted out.
 * Expected: the value normalised for its field (and rejected with
 * CRM_EX_USAGE when it cannot be), so these match contacts 1, 4 and 2. */
static void query__where_value__normalised_like_stored(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	cols(f, "id");
	where(f, "status=Customer");
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, 0);
	if (strcmp(got, "id\n1\n4\n") != 0) {
		free(got);
		fail_msg("regression: the bug described above is back");
	}
	free(got);
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "email_opt_out=yes");
	assert_tsv(f, "id\n2\n");
}

static void query__where_custom__value_match(void **state)
{
	struct fixture *f = *state;

	cols(f, "id,shoe_size");
	where(f, "shoe_size=42");
	assert_tsv(f, "id\tshoe_size\n3\t42\n");
}

static void query__where_empty__matches_null(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	where(f, "email=");
	assert_tsv(f, "id\n3\n");
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "shoe_size=");
	assert_tsv(f, "id\n2\n4\n");
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "city=");
	where(f, "email=");
	assert_tsv(f, "id\n");
}

static void query__where_value_with_equals__kept_whole(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_contact_query_where(&f->q, "note=a=b", &e), 0);
	assert_string_equal(f->q.where[0].custom, "note");
	assert_string_equal(f->q.where[0].value, "a=b");
	assert_int_equal(f->q.where[0].field, -1);
}

static void query__where_bad__usage(void **state)
{
	static const char *const bad[][2] = {
		{ "status", "--where wants FIELD=VALUE, not \"status\"" },
		{ "=customer", "--where wants FIELD=VALUE, not \"=customer\"" },
		{ "Status=customer", "unknown field \"Status\"" },
		{ "zip=1", "unknown field \"zip\"" },
		{ "1=1", "unknown field \"1\"" },
		{ "email/**/=x", "unknown field \"email/**/\"" },
		{ "email OR 1=1", "unknown field \"email OR 1\"" },
		{ "x' OR '1'='1", "unknown field \"x' OR '1'\"" },
		{ "id;DELETE FROM contacts;--=1", "unknown field \"id;DELETE FROM contacts;--\"" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_contact_query_where(&f->q, bad[i][0], &e), CRM_EX_USAGE);
		assert_string_equal(e.msg, bad[i][1]);
	}
	assert_int_equal(f->q.nwhere, 0);
	assert_store_intact(f);
}

static void query__tags__all_must_match(void **state)
{
	struct fixture *f = *state;

	cols(f, "id,tags");
	crm_contact_query_tag(&f->q, "vip");
	assert_tsv(f, "id\ttags\n1\tgold;vip\n2\tvip\n");
	crm_contact_query_tag(&f->q, "gold");
	assert_tsv(f, "id\ttags\n1\tgold;vip\n");
	crm_contact_query_tag(&f->q, "none");
	assert_tsv(f, "id\ttags\n");
}

static void search_ids(struct fixture *f, const char *text, const char *want)
{
	crm_contact_query_free(&f->q);
	cols(f, "id");
	f->q.search = strdup(text);
	assert_non_null(f->q.search);
	assert_tsv(f, want);
}

static void query__search__name_email_company(void **state)
{
	struct fixture *f = *state;

	search_ids(f, "jane", "id\n1\n");
	search_ids(f, "JANE DOE", "id\n1\n");
	search_ids(f, "n Sm", "id\n2\n");
	search_ids(f, "example.org", "id\n1\n2\n");
	search_ids(f, "acme", "id\n1\n");
	search_ids(f, "o", "id\n1\n2\n3\n4\n");
	search_ids(f, "nobody", "id\n");
}

static void query__search_wildcards__escaped(void **state)
{
	struct fixture *f = *state;

	search_ids(f, "100%", "id\n2\n");
	search_ids(f, "%", "id\n2\n");
	search_ids(f, "_", "id\n3\n");
	search_ids(f, "r_s", "id\n3\n");
	search_ids(f, "\\", "id\n4\n");
	search_ids(f, "k\\s", "id\n4\n");
	search_ids(f, "a%e", "id\n");
	search_ids(f, "J_ne", "id\n");
}

static void query__sort__ascending_descending(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	sort(f, "-id");
	assert_tsv(f, "id\n4\n3\n2\n1\n");
	/* NULL first when ascending; ties broken by the next key, then id. */
	sort(f, "city,first_name");
	assert_tsv(f, "id\n2\n3\n4\n1\n");
	sort(f, "-city");
	assert_tsv(f, "id\n1\n4\n3\n2\n");
	sort(f, "status,-last_name");
	assert_tsv(f, "id\n4\n1\n2\n3\n");
	sort(f, "first-name");
	assert_tsv(f, "id\n3\n4\n1\n2\n");
}

static void query__sort_bad__usage(void **state)
{
	static const char *const bad[][2] = {
		{ "shoe_size", "cannot sort by \"shoe_size\"" },
		{ "-", "cannot sort by \"\"" },
		{ ",id", "cannot sort by \"\"" },
		{ "id DESC", "cannot sort by \"id DESC\"" },
		{ "id; DROP TABLE contacts", "cannot sort by \"id; DROP TABLE contacts\"" },
		{ "(SELECT 1)", "cannot sort by \"(SELECT 1)\"" },
		{ "id,id,id,id,id,id,id,id,-email", "too many sort fields at \"email\"" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_contact_query_sort(&f->q, bad[i][0], &e), CRM_EX_USAGE);
		assert_string_equal(e.msg, bad[i][1]);
	}
	assert_store_intact(f);
}

static void query__limit_and_id__restrict_rows(void **state)
{
	struct fixture *f = *state;

	cols(f, "id");
	sort(f, "-id");
	f->q.limit = 2;
	assert_tsv(f, "id\n4\n3\n");
	f->q.limit = 0;
	f->q.id = 2;
	assert_tsv(f, "id\n2\n");
	f->q.id = 99;
	assert_tsv(f, "id\n");
}

/* ---- injection ---- */

static void query__values_with_sql__treated_as_data(void **state)
{
	static const char *const values[] = {
		"last_name=x' OR '1'='1",
		"last_name=' OR 1=1 --",
		"first_name=Jane'; DROP TABLE contacts; --",
		"first_name=Jane' /*",
		"shoe_size=1 OR 1=1",
		"shoe_size=38') OR ('1'='1",
		"city=Paris\" OR \"\"=\"",
		NULL,
	};
	struct fixture *f = *state;

	for (size_t i = 0; values[i] != NULL; i++) {
		crm_contact_query_free(&f->q);
		cols(f, "id");
		where(f, values[i]);
		assert_tsv(f, "id\n");
	}
	{
		struct crm_err e = { 0, "" };

		/* A field with a fixed set of values checks the value first:
		 * rejected, never run. */
		crm_contact_query_free(&f->q);
		assert_int_equal(crm_contact_query_where(&f->q,
			"status=customer' UNION SELECT 1 --", &e), CRM_EX_USAGE);
		assert_non_null(strstr(e.msg, "--where: invalid status"));
	}
	crm_contact_query_free(&f->q);
	cols(f, "id");
	crm_contact_query_tag(&f->q, "vip' OR 1=1 --");
	assert_tsv(f, "id\n");
	search_ids(f, "'; DROP TABLE contacts; --", "id\n");
	search_ids(f, "%' OR 1=1 --", "id\n");
	assert_store_intact(f);
	/* The one with the apostrophe is found by its real name. */
	crm_contact_query_free(&f->q);
	cols(f, "id");
	where(f, "last_name=O'Brien");
	assert_tsv(f, "id\n4\n");
}

static void query__stored_sql_text__found_as_data(void **state)
{
	struct fixture *f = *state;
	const char *evil = "Robert'); DROP TABLE contacts;--";
	char expr[128];

	assert_int_equal(add(f->base.s, "first_name", evil, "evil_field", "1; DELETE FROM contacts",
			     NULL), 0);
	cols(f, "id,first_name,evil_field");
	snprintf(expr, sizeof(expr), "first_name=%s", evil);
	where(f, expr);
	where(f, "evil_field=1; DELETE FROM contacts");
	assert_tsv(f, "id\tfirst_name\tevil_field\n"
		   "5\tRobert'); DROP TABLE contacts;--\t1; DELETE FROM contacts\n");
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 5);
}

/* ---- limits and callbacks ---- */

static void query__many_filters__run_past_sqlite_depth_usage(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	/* 400 values bound: past the 256 of a fixed array once, and fine */
	cols(f, "id");
	for (int i = 0; i < 200; i++) {
		char expr[32];

		snprintf(expr, sizeof(expr), "f%d=", i);
		where(f, expr);
	}
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "id\n1\n2\n3\n4\n");
	free(got);
	/* SQLite's chain of ANDs stops at 1000 deep: a usage error before
	 * the header, not the store's error */
	for (int i = 200; i < 990; i++) {
		char expr[32];

		snprintf(expr, sizeof(expr), "f%d=", i);
		where(f, expr);
	}
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, CRM_EX_USAGE);
	assert_string_equal(e.msg, "too many filters: 991, at most 990");
	assert_string_equal(got, "");
	free(got);
}

/* n custom fields "c00001".. on contacts 1 and 3, "v<contact>_<i>"; 2 has
 * the last one alone. */
static void wide_fields(struct fixture *f, int n)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
		 " INSERT INTO contact_fields SELECT c.id, printf('c%%05d', i),"
		 " printf('v%%d_%%d', c.id, i) FROM k, contacts c WHERE c.id IN (1, 3)"
		 " OR (c.id = 2 AND i = %d)", n, n);
	exec_ok(f->base.s, sql);
}

static void query__ten_thousand_custom_fields__every_one_listed(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_buf want = CRM_BUF_INIT;
	int rc;
	char *got;

	wide_fields(f, 10000);
	assert_int_equal(crm_contact_query_all_columns(&f->q, f->base.s, &e), 0);
	assert_int_equal(f->q.ncols, CRM_CONTACT_NFIELDS + 4 + 10000);
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	if (rc != 0)
		fail_msg("export: %d %s", rc, e.msg);
	/* the header names every field; each row has each value in its place */
	for (int i = 0; i < CRM_CONTACT_NFIELDS; i++)
		crm_buf_addf(&want, "%s\t", crm_contact_fields[i].name);
	crm_buf_adds(&want, "tags\temails\tphones\tc00001\tc00002\t");
	assert_int_equal(strncmp(got, crm_buf_str(&want), want.len), 0);
	assert_non_null(strstr(got, "\tc09999\tc10000\tshoe_size\n1\tu1\t"));
	assert_non_null(strstr(got, "\tgold;vip\t\t\tv1_1\tv1_2\t"));
	assert_non_null(strstr(got, "\tv1_9999\tv1_10000\t38\n2\tu2\t"));
	assert_non_null(strstr(got, "\tvip\t\t\t\t\t"));
	assert_non_null(strstr(got, "\t\t\tv2_10000\t\n3\tu3\t"));
	assert_non_null(strstr(got, "\tv3_10000\t42\n4\tu4\t"));
	free(got);
	crm_buf_free(&want);
}

/* Runs f->q twice, custom fields looked up in the SQL and (with 17 more
 * columns of fields nobody has, past INLINE_CUSTOM_MAX) by the pivot, and
 * checks both give want, those columns aside. */
static void assert_both_ways(struct fixture *f, const char *list, const char *want)
{
	struct crm_buf more = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	int rc;
	char *got;

	cols(f, list);
	assert_tsv(f, want);
	crm_contact_query_free_columns(&f->q);
	crm_buf_adds(&more, list);
	for (int i = 1; i <= 17; i++)
		crm_buf_addf(&more, ",field.none%d", i);
	cols(f, crm_buf_str(&more));
	for (size_t i = 0; i < f->q.ncols; i++)
		if (f->q.cols[i].expr != NULL && strncmp(f->q.cols[i].expr, "field.none", 10) == 0) {
			/* a custom column, as all_columns makes them */
			f->q.cols[i].custom = xstrdup(f->q.cols[i].expr + 6);
			free(f->q.cols[i].expr);
			f->q.cols[i].expr = NULL;
		}
	got = run_fmt(f, CRM_FMT_TSV, 1, &rc, &e);
	assert_int_equal(rc, 0);
	/* drop the 17 empty columns at the end of each line */
	{
		struct crm_buf cut = CRM_BUF_INIT;

		for (const char *p = got; *p != '\0';) {
			const char *nl = strchr(p, '\n');
			const char *end = nl;
			int tabs = 0;

			while (tabs < 17 && end > p) {
				end--;
				tabs += *end == '\t';
			}
			crm_buf_add(&cut, p, (size_t)(end - p));
			crm_buf_addc(&cut, '\n');
			p = nl + 1;
		}
		assert_string_equal(crm_buf_str(&cut), want);
		crm_buf_free(&cut);
	}
	free(got);
	crm_buf_free(&more);
	crm_contact_query_free_columns(&f->q);
}

static void query__custom_fields_any_order_and_filter__each_contact_its_own(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };

	wide_fields(f, 3);
	/* in id order, the pivot's one pass */
	assert_both_ways(f, "id,c00003,shoe_size", "id\tc00003\tshoe_size\n"
			 "1\tv1_3\t38\n2\tv2_3\t\n3\tv3_3\t42\n4\t\t\n");
	/* backwards, named twice: the pivot seeks back for each */
	crm_contact_query_sort(&f->q, "-id", &e);
	assert_both_ways(f, "id,c00003,shoe_size,c00001,c00003",
			 "id\tc00003\tshoe_size\tc00001\tc00003\n"
			 "4\t\t\t\t\n"
			 "3\tv3_3\t42\tv3_1\tv3_3\n"
			 "2\tv2_3\t\t\tv2_3\n"
			 "1\tv1_3\t38\tv1_1\tv1_3\n");
	/* by another field, skipping contacts */
	crm_contact_query_sort(&f->q, "last_name", &e);
	crm_contact_query_tag(&f->q, "gold");
	assert_both_ways(f, "id,c00001,shoe_size", "id\tc00001\tshoe_size\n"
			 "1\tv1_1\t38\n"
			 "3\tv3_1\t42\n");
	crm_contact_query_free(&f->q);
	crm_contact_query_init(&f->q);
	where(f, "city=Paris");
	assert_both_ways(f, "id,c00003", "id\tc00003\n1\tv1_3\n4\t\n");
	/* one contact, as show reads it */
	crm_contact_query_free(&f->q);
	crm_contact_query_init(&f->q);
	f->q.id = 2;
	assert_both_ways(f, "id,c00003,shoe_size", "id\tc00003\tshoe_size\n2\tv2_3\t\n");
}

struct seen {
	int rows;
	int stop_at;
	char names[128];
};

static int count_row(void *ctx, size_t n, const char *const *names,
		     const char *const *vals)
{
	struct seen *s = ctx;

	if (s->rows == 0)
		for (size_t i = 0; i < n; i++)
			snprintf(s->names + strlen(s->names), sizeof(s->names) - strlen(s->names),
				 "%s%s", i > 0 ? "," : "", names[i]);
	assert_non_null(vals[0]);
	s->rows++;
	return s->rows == s->stop_at ? 42 : 0;
}

static void query__each__names_and_early_stop(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct seen s = { 0, 0, "" };

	cols(f, "id,first-name,tags,shoe_size");
	assert_int_equal(crm_contact_query_each(f->base.s, &f->q, count_row, &s, &e), 0);
	assert_int_equal(s.rows, 4);
	assert_string_equal(s.names, "id,first_name,tags,shoe_size");
	s.rows = 0;
	s.stop_at = 2;
	s.names[0] = '\0';
	assert_int_equal(crm_contact_query_each(f->base.s, &f->q, count_row, &s, &e), 42);
	assert_int_equal(s.rows, 2);
}

static void query__numeric_columns(void **state)
{
	struct crm_contact_column c = { .field = CRM_CF_ID };

	(void)state;
	assert_true(crm_contact_column_numeric(&c));
	c.field = CRM_CF_EMAIL_OPT_OUT;
	assert_true(crm_contact_column_numeric(&c));
	c.field = CRM_CF_SMS_OPT_OUT;
	assert_true(crm_contact_column_numeric(&c));
	c.field = CRM_CF_POSTAL_CODE;
	assert_false(crm_contact_column_numeric(&c));
	c.field = -1;
	c.tags = 1;
	assert_false(crm_contact_column_numeric(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(query__columns__standard_tags_custom),
		T(query__columns_dashes_and_escapes__tsv_bytes),
		T(query__columns_unknown__usage),
		T(query__columns_filter_names__computed_values),
		T(query__columns_custom_nobody_has__usage_before_header),
		T(query__columns_keywords__custom_fields_as_data),
		T(query__all_columns__standard_tags_then_custom),
		T(query__no_header__rows_only),
		T(query__jsonl__numbers_and_nulls),
		T(query__where_standard__exact_match),
		T(query__where_several__all_must_match),
		T(query__where_email__case_insensitive),
		T(query__where_numbers__integer_columns_match),
		T(query__where_value__normalised_like_stored),
		T(query__where_custom__value_match),
		T(query__where_empty__matches_null),
		T(query__where_value_with_equals__kept_whole),
		T(query__where_bad__usage),
		T(query__tags__all_must_match),
		T(query__search__name_email_company),
		T(query__search_wildcards__escaped),
		T(query__sort__ascending_descending),
		T(query__sort_bad__usage),
		T(query__limit_and_id__restrict_rows),
		T(query__values_with_sql__treated_as_data),
		T(query__stored_sql_text__found_as_data),
		T(query__many_filters__run_past_sqlite_depth_usage),
		T(query__ten_thousand_custom_fields__every_one_listed),
		T(query__custom_fields_any_order_and_filter__each_contact_its_own),
		T(query__each__names_and_early_stop),
		cmocka_unit_test(query__numeric_columns),
#undef T
	};

	return cmocka_run_group_tests_name("contact_query", tests, NULL, NULL);
}
