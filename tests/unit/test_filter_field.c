/* test_filter_field.c - unit tests for lib/filter/field.c: a field a
 * domain registers is known to the filter language and to --fields, with
 * no change to the language itself.
 *
 * This file defines crm_domains itself, so the linker takes it instead of
 * lib/domains/registry.o: the language then knows exactly the domains
 * listed below, the contact domain and a made-up "deal" domain as
 * crm-lead would add it (deals.count, deals.stage.S, deals.checked), and
 * not the log or segment domains (purchases.count is unknown here).
 *
 * A family of the deal domain writes SQL and then declines every name: the
 * registry must drop what it wrote.
 *
 * The store holds three contacts: 1 with tags vip and won, 2 with won,
 * 3 with none; deals.count counts a contact's tags, deals.stage.S whether
 * it has tag S.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "contact/contact_query.h"
#include "filter/expr.h"
#include "filter/field.h"
#include "store/domain.h"
#include "store/store.h"
#include "fixture.h"

#define NOW 1718452800 /* 2024-06-15T12:00:00Z */

static int build_stage(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	if (strncmp(name, "deals.stage.", 12) != 0)
		return CRM_EX_NOTFOUND;
	if (strcmp(name + 12, "won") != 0 && strcmp(name + 12, "lost") != 0)
		return crm_err_set(e, CRM_EX_USAGE, "invalid stage \"%.64s\"", name + 12);
	crm_filter_add_sql(v, "EXISTS (SELECT 1 FROM contact_tags WHERE contact_id = c.id AND tag = ");
	crm_filter_add_text(v, name + 12);
	crm_filter_add_sql(v, ")");
	return 0;
}

static const char *stage_names(size_t i, char buf[64])
{
	static const char *const stages[] = { "won", "lost", NULL };

	if (stages[i] == NULL)
		return NULL;
	snprintf(buf, 64, "deals.stage.%s", stages[i]);
	return buf;
}

/* A family that writes before it says a name is not its own: what it
 * wrote must not stay in the SQL (every name the deal domain's families
 * are asked about passes it first). */
static int build_greedy(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	(void)name;
	(void)e;
	crm_filter_add_sql(v, "junk ");
	crm_filter_add_text(v, "junk");
	return CRM_EX_NOTFOUND;
}

static const struct crm_filter_field deal_fields[] = {
	{ "deals.count", CRM_FILTER_NUMBER,
	  "(SELECT count(*) FROM contact_tags WHERE contact_id = c.id)",
	  "deals.count\tnumber\tdeals of the contact", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "deals.checked", CRM_FILTER_TIME, "@now", NULL, NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ NULL, CRM_FILTER_TEXT, NULL, NULL, build_greedy, NULL, 0, CRM_SCOPE_CONTACT },
	{ "deals.stage.S", CRM_FILTER_BOOL, NULL, "deals.stage.S\ttrue/false\ta deal in stage S",
	  build_stage, stage_names, 0, CRM_SCOPE_CONTACT },
	/* of the deal itself: only where the SQL has one */
	{ "deals.own.value", CRM_FILTER_NUMBER, "l.value", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
};

static const struct crm_domain deal_domain = {
	.name = "deal",
	.fields = deal_fields,
	.nfields = sizeof(deal_fields) / sizeof(deal_fields[0]),
};

extern const struct crm_domain crm_contact_domain;

const struct crm_domain *const crm_domains[] = {
	&crm_contact_domain,
	&deal_domain,
	NULL,
};

static int setup(void **state)
{
	if (fixture_setup(state, "filter-field", "2024-06-15T12:00:00Z") != 0)
		return -1;
	exec_ok(store(state),
		"INSERT INTO contacts (id, uid, email, status, email_opt_out, sms_opt_out,"
		" created_at, updated_at) VALUES"
		" (1, 'u1', 'a@x.org', 'lead', 0, 0, 'x', 'x'),"
		" (2, 'u2', 'b@x.org', 'lead', 0, 0, 'x', 'x'),"
		" (3, 'u3', 'c@x.org', 'lead', 0, 0, 'x', 'x');"
		"INSERT INTO contact_tags VALUES (1, 'vip'), (1, 'won'), (2, 'won');");
	return 0;
}

/* The ids of the contacts expr selects, "1,2", or the error message. */
static char *ids_of(void **state, const char *expr)
{
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_buf sql = CRM_BUF_INIT;
	char *out;

	if (crm_expr_compile(expr, NOW, 1, &x, &e) != 0) {
		crm_expr_sql_free(&x);
		return strdup(e.msg);
	}
	crm_buf_addf(&sql, "SELECT group_concat(id) FROM (SELECT c.id FROM contacts c"
		     " WHERE %s ORDER BY c.id)", crm_buf_str(&x.where));
	{
		struct crm_stmt *st = NULL;

		if (crm_store_prepare_built(store(state), crm_buf_str(&sql), &st, &e) != 0)
			fail_msg("%s: %s", e.msg, crm_buf_str(&sql));
		crm_expr_bind(&x, st);
		assert_int_equal(crm_store_step(store(state), st, &e), CRM_ROW);
		out = strdup(crm_column_text(st, 0) != NULL ? crm_column_text(st, 0) : "");
		crm_stmt_free(st);
	}
	crm_buf_free(&sql);
	crm_expr_sql_free(&x);
	return out;
}

static void assert_ids(void **state, const char *expr, const char *want)
{
	char *got = ids_of(state, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

static void field__registered__known_to_the_filter(void **state)
{
	assert_ids(state, "deals.count >= 1", "1,2");
	assert_ids(state, "deals.count = 2", "1");
	assert_ids(state, "deals.stage.won and not deals.stage.lost", "1,2");
	assert_ids(state, "deals.stage.won = false", "3");
	assert_ids(state, "deals.checked = 2024-06-15", "1,2,3");
	assert_ids(state, "deals.checked < 2024-06-15T11:00:00Z", "");
	/* the contact domain still answers beside it */
	assert_ids(state, "tag:vip and deals.count > 1", "1");
	assert_ids(state, "email ~ \"b@*\" or field.x is not null", "2");
}

/* Only the values of the field that took the name are bound. */
static void field__find__a_family_that_declines_leaves_nothing(void **state)
{
	struct crm_expr_sql x;
	struct crm_filter_value v;
	struct crm_err e = { 0, "" };

	(void)state;
	memset(&x, 0, sizeof(x));
	x.base = 1;
	assert_int_equal(crm_filter_find("deals.stage.won", &x, NOW, &v, &e), 0);
	assert_int_equal(x.nparams, 1);
	assert_string_equal(x.params[0].text, "won");
	assert_null(strstr(crm_buf_str(&v.sql), "junk"));
	crm_buf_free(&v.sql);
	assert_int_equal(crm_filter_find("deals.nosuch", &x, NOW, &v, &e), CRM_EX_NOTFOUND);
	assert_int_equal(x.nparams, 1);
	assert_string_equal(crm_buf_str(&v.sql), "");
	crm_buf_free(&v.sql);
	crm_expr_sql_free(&x);
}

/* A deal's field is known where the SQL has a deal (crm_expr_compile_in
 * with CRM_SCOPE_DEAL), refused by name elsewhere, never suggested or
 * listed there. */
static void field__scope__deal_fields_only_where_a_deal_is(void **state)
{
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_buf known = CRM_BUF_INIT;
	char buf[64];

	(void)state;
	assert_int_equal(crm_expr_compile("deals.own.value > 3", NOW, 1, &x, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "1:1: deals.own.value is a field of a deal: crm-lead's"
			    " --filter and --fields only");
	crm_expr_sql_free(&x);
	e.code = 0;
	assert_int_equal(crm_expr_compile_in("deals.own.value > 3", NOW, 1, CRM_SCOPE_DEAL, &x, &e),
			 0);
	assert_string_equal(crm_buf_str(&x.where), "(coalesce(l.value > ?1, FALSE))");
	crm_expr_sql_free(&x);
	assert_null(crm_filter_suggest("deals.own.valu", CRM_SCOPE_CONTACT, buf));
	assert_string_equal(crm_filter_suggest("deals.own.valu", CRM_SCOPE_DEAL, buf),
			    "deals.own.value");
	crm_filter_known_names(&known, CRM_SCOPE_CONTACT);
	assert_null(strstr(crm_buf_str(&known), "deals.own.value"));
	assert_non_null(strstr(crm_buf_str(&known), "deals.count"));
	crm_buf_reset(&known);
	crm_filter_known_names(&known, CRM_SCOPE_DEAL);
	assert_non_null(strstr(crm_buf_str(&known), "deals.own.value"));
	crm_buf_free(&known);
}

static void field__registered__errors_and_suggestions(void **state)
{
	(void)state;
	assert_ids(state, "deals.cont > 1",
		   "1:1: unknown field \"deals.cont\" (did you mean \"deals.count\"?)");
	assert_ids(state, "deals.stag.won",
		   "1:1: unknown field \"deals.stag.won\" (did you mean \"deals.stage.won\"?)");
	assert_ids(state, "country = \"NL\" and deals.stage.open",
		   "1:20: invalid stage \"open\"");
	assert_ids(state, "deals.count > \"x\"", "1:15: expected a number, found \"x\"");
	/* a domain left out of crm_domains is not known */
	assert_ids(state, "purchases.count > 1",
		   "1:1: unknown field \"purchases.count\" (see crm-filter(7))");
}

static void field__registered__a_column_of_fields(void **state)
{
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	enum crm_expr_show show;

	(void)state;
	assert_int_equal(crm_expr_column("deals.count", NOW, 1, &x, &show, &e), 0);
	assert_int_equal(show, CRM_EXPR_SHOW_NUMBER);
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column("deals.stage.lost", NOW, 1, &x, &show, &e), 0);
	assert_int_equal(show, CRM_EXPR_SHOW_NUMBER);
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column("deals.checked", NOW, 1, &x, &show, &e), 0);
	assert_int_equal(show, CRM_EXPR_SHOW_TEXT);
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column("deals.stage.open", NOW, 1, &x, &show, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "invalid stage \"open\"");
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column("deals.nosuch", NOW, 1, &x, &show, &e), CRM_EX_NOTFOUND);
	crm_expr_sql_free(&x);
}

struct rows {
	struct crm_buf text;
};

static int add_row(void *ctx, size_t n, const char *const *names, const char *const *vals)
{
	struct rows *r = ctx;

	(void)names;
	for (size_t i = 0; i < n; i++)
		crm_buf_addf(&r->text, "%s%s", i > 0 ? "\t" : "", vals[i] != NULL ? vals[i] : "");
	crm_buf_addc(&r->text, '\n');
	return 0;
}

/* --fields (crm_contact_query_columns) takes the domain's names, and its
 * list of known names shows them. */
static void field__registered__known_to_fields(void **state)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct rows r = { CRM_BUF_INIT };

	crm_contact_query_init(&q);
	q.now = NOW;
	assert_int_equal(crm_contact_query_columns(&q, "id,deals.count,deals.stage.won", &e), 0);
	assert_int_equal(crm_contact_query_each(store(state), &q, add_row, &r, &e), 0);
	assert_string_equal(crm_buf_str(&r.text), "1\t2\t1\n2\t1\t1\n3\t0\t0\n");
	crm_buf_free(&r.text);
	crm_contact_query_free(&q);

	crm_contact_query_init(&q);
	assert_int_equal(crm_contact_query_columns(&q, "id,deals.cnt", &e), CRM_EX_USAGE);
	if (strstr(e.msg, "known: id, uid, ") == NULL ||
	    strstr(e.msg, ", age, opt_out.email, opt_out.sms, deals.count, deals.checked,"
		   " field.NAME, tag:NAME, deals.stage.S, tags,") == NULL)
		fail_msg("%s", e.msg);
	crm_contact_query_free(&q);
}

static void field__help__from_every_listed_domain(void **state)
{
	size_t n = 0;
	int deal = 0;

	(void)state;
	for (const char *h; (h = crm_filter_help(n)) != NULL; n++)
		deal += strncmp(h, "deals.", 6) == 0;
	assert_int_equal(deal, 2);
	assert_string_equal(crm_filter_help(0), "FIELD\ttext, date or number"
			    "\tany standard contact field (country, status, birthdate, ...)");
	assert_null(crm_filter_help(n + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field__scope__deal_fields_only_where_a_deal_is),
		cmocka_unit_test_setup_teardown(field__registered__known_to_the_filter, setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(field__registered__errors_and_suggestions, setup,
						fixture_teardown),
		cmocka_unit_test(field__registered__a_column_of_fields),
		cmocka_unit_test(field__find__a_family_that_declines_leaves_nothing),
		cmocka_unit_test_setup_teardown(field__registered__known_to_fields, setup,
						fixture_teardown),
		cmocka_unit_test(field__help__from_every_listed_domain),
	};

	return cmocka_run_group_tests_name("filter_field", tests, NULL, NULL);
}
