/* test_expr.c - unit tests for lib/expr.c, the filter language.
 *
 * Errors: each one with its exact message and position. Meaning: each
 * expression is compiled and run on a temporary store (crm_store_open, so
 * the real migrations) holding five contacts with tags, custom fields,
 * interactions, RFM scores and clusters, put there with plain SQL; the ids
 * it selects are compared with the expected ones. Every compiled condition
 * is also checked for user text (it must hold none: values, custom field
 * names and tags are all bound parameters).
 *
 * The contacts, as of NOW (2024-06-15T12:00:00Z):
 *   id country city       birthdate  age created_at            tags      shoe_size
 *   1  NL      Amsterdam  1990-06-15  34 2024-01-01T10:00:00Z  vip,gold  38
 *   2  nl      ""         1990-06-16  33 2023-12-31T23:59:59Z  vip       42.5
 *   3  DE      NULL       2006-06-15  18 2024-01-02T00:00:00Z  gold      large
 *   4  NULL    Berlin     2006-06-16  17 2022-05-05T08:00:00Z  a'--      1-2
 *   5  ""      berlin     NULL       -   2024-06-15T11:00:00Z  -         ""
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
#include "filter/expr.h"
#include "filter/field.h"
#include "base/money.h"
#include "store/domain.h"
#include "store/store.h"
#include "fixture.h"

#define NOW 1718452800 /* 2024-06-15T12:00:00Z */

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db ($CRM_NOW left alone) */
	char *saved_currency;
};
FIXTURE_BASE_FIRST(struct fixture);

static const char seed_sql[] =
	"INSERT INTO contacts (id, uid, first_name, last_name, email, company, city,"
	" country, postal_code, birthdate, status, email_opt_out, sms_opt_out,"
	" created_at, updated_at) VALUES"
	" (1, 'u1', 'Jane', 'Doe', 'jane@example.org', '100% Organic', 'Amsterdam',"
	"  'NL', '1011', '1990-06-15', 'customer', 0, 1,"
	"  '2024-01-01T10:00:00Z', '2024-06-01T00:00:00Z'),"
	" (2, 'u2', 'John', 'Smith', 'john@example.org', 'Under_score', '',"
	"  'nl', NULL, '1990-06-16', 'lead', 1, 0,"
	"  '2023-12-31T23:59:59Z', '2024-01-01T00:00:00Z'),"
	" (3, 'u3', 'Ann', 'Lee', NULL, 'Acme', NULL,"
	"  'DE', '1011AB', '2006-06-15', 'prospect', 0, 0,"
	"  '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z'),"
	" (4, 'u4', 'Bob', 'O''Brien', 'bob@x.org', 'Back\\slash', 'Berlin',"
	"  NULL, NULL, '2006-06-16', 'customer', 0, 0,"
	"  '2022-05-05T08:00:00Z', '2022-05-05T08:00:00Z'),"
	" (5, 'u5', 'Eve', '', NULL, NULL, 'berlin',"
	"  '', NULL, NULL, 'former', 0, 0,"
	"  '2024-06-15T11:00:00Z', '2024-06-15T11:00:00Z');"
	"INSERT INTO contact_tags VALUES (1, 'vip'), (1, 'gold'), (2, 'vip'), (3, 'gold'),"
	" (4, 'a''--');"
	"INSERT INTO contact_fields VALUES (1, 'shoe_size', '38'), (2, 'shoe_size', '42.5'),"
	" (3, 'shoe_size', 'large'), (4, 'shoe_size', '1-2'), (5, 'shoe_size', ''),"
	" (1, 'note', 'Hello'), (3, 'note', 'x'), (2, 'code', ' 7 ');"
	"INSERT INTO interactions (contact_id, at, channel, direction, type, amount,"
	" currency, due_at, done_at, created_at) VALUES"
	" (1, '2024-03-01T09:00:00Z', 'web', 'in', 'purchase', 2000, 'EUR', NULL, NULL, 'x'),"
	" (1, '2024-06-01T09:00:00Z', 'web', 'in', 'purchase', 1050, 'EUR', NULL, NULL, 'x'),"
	" (1, '2024-06-05T09:00:00Z', 'web', 'in', 'refund', -500, 'EUR', NULL, NULL, 'x'),"
	" (1, '2024-06-10T09:00:00Z', 'email', 'out', 'email', NULL, NULL, NULL, NULL, 'x'),"
	" (2, '2023-01-01T00:00:00Z', 'post', 'in', 'purchase', 999, 'EUR', NULL, NULL, 'x'),"
	" (2, '2024-06-14T09:00:00Z', 'phone', 'in', 'call', NULL, NULL, NULL, NULL, 'x'),"
	" (2, '2024-06-10T00:00:00Z', 'other', NULL, 'task', NULL, NULL,"
	"  '2024-06-20T00:00:00Z', NULL, 'x'),"
	" (2, '2024-06-01T00:00:00Z', 'other', NULL, 'task', NULL, NULL,"
	"  '2024-06-02T00:00:00Z', '2024-06-02T10:00:00Z', 'x'),"
	" (3, '2024-05-20T09:00:00Z', 'email', 'in', 'email', NULL, NULL, NULL, NULL, 'x'),"
	" (3, '2024-01-01T09:00:00Z', 'meeting', 'out', 'meeting', NULL, NULL, NULL, NULL, 'x');"
	"INSERT INTO contact_rfm VALUES (1, 5, 4, 3, 14, 2, 2550, 'champions', '2024-06-15'),"
	" (2, 1, 1, 1, 530, 1, 999, 'hibernating', '2024-06-15');"
	"INSERT INTO contact_clusters VALUES (1, 0), (2, 1), (3, 1);";

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "expr", NULL);
	struct crm_err e = { 0, "" };

	if (f == NULL)
		return -1;
	f->saved_currency = fixture_env_set("CRM_CURRENCY", NULL);
	if (crm_store_exec(f->base.s, seed_sql, &e) != 0) {
		fprintf(stderr, "seed: %s\n", e.msg);
		fixture_env_restore("CRM_CURRENCY", f->saved_currency);
		fixture_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_env_restore("CRM_CURRENCY", f->saved_currency);
	return fixture_free(f);
}

/* The compiled condition holds no user text: no double quote, semicolon,
 * comment opener or non-ASCII byte (the fixed fragments have none), and
 * none of the strings given. */
static void assert_no_user_text(const struct crm_expr_sql *x, ...)
{
	const char *w = crm_buf_str(&x->where);
	const char *s;
	va_list ap;

	for (const char *p = w; *p != '\0'; p++) {
		if (*p == '"' || *p == ';' || (unsigned char)*p >= 0x80)
			fail_msg("user text in \"%s\"", w);
	}
	assert_null(strstr(w, "--"));
	assert_null(strstr(w, "/*"));
	va_start(ap, x);
	while ((s = va_arg(ap, const char *)) != NULL)
		if (strstr(w, s) != NULL)
			fail_msg("\"%s\" appears in \"%s\"", s, w);
	va_end(ap);
}

/* Runs "SELECT c.id FROM contacts c WHERE <head> AND <where>" with the
 * head's own parameters (?1 .. ?base-1) bound by bind_head, and returns
 * the ids as "1,2,3" (a static buffer). */
static const char *run_ids(struct fixture *f, const char *head,
			   const struct crm_expr_sql *x,
			   void (*bind_head)(struct crm_stmt *))
{
	static char out[1024];
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;
	size_t k = 0;
	int rc;

	crm_buf_addf(&sql, "SELECT c.id FROM contacts c WHERE %s AND %s ORDER BY c.id",
		     head, crm_buf_str(&x->where));
	rc = crm_store_prepare_built(f->base.s, crm_buf_str(&sql), &st, &e);
	if (rc != 0)
		fail_msg("prepare: %s: %s", e.msg, crm_buf_str(&sql));
	/* every parameter is used, the last one included */
	assert_int_equal(crm_bind_count(st), x->base - 1 + (int)x->nparams);
	if (bind_head != NULL)
		bind_head(st);
	crm_expr_bind(x, st);
	out[0] = '\0';
	while ((rc = crm_store_step(f->base.s, st, &e)) == CRM_ROW)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%lld", k > 0 ? "," : "",
				      (long long)crm_column_int64(st, 0));
	if (rc != CRM_DONE)
		fail_msg("step: %s: %s", e.msg, crm_buf_str(&sql));
	crm_stmt_free(st);
	crm_buf_free(&sql);
	return out;
}

/* The ids expr selects, or "error: MESSAGE". */
static const char *ids(struct fixture *f, const char *expr)
{
	static char out[1100];
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	int rc = crm_expr_compile(expr, NOW, 1, &x, &e);

	if (rc != 0) {
		assert_int_equal(rc, CRM_EX_USAGE);
		snprintf(out, sizeof(out), "error: %s", e.msg);
	} else {
		assert_int_equal(e.code, 0);
		assert_int_equal(x.base, 1);
		assert_no_user_text(&x, (const char *)NULL);
		snprintf(out, sizeof(out), "%s", run_ids(f, "1", &x, NULL));
	}
	crm_expr_sql_free(&x);
	return out;
}

#define assert_ids(expr, want) assert_string_equal(ids(f, (expr)), (want))

/* The message of a compile error (code 64); fails if expr compiles. */
static const char *error_at(const char *expr, int base)
{
	static char out[1024];
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	int rc = crm_expr_compile(expr, NOW, base, &x, &e);

	if (rc == 0)
		fail_msg("\"%s\" compiled: %s", expr, crm_buf_str(&x.where));
	assert_int_equal(rc, CRM_EX_USAGE);
	assert_int_equal(e.code, CRM_EX_USAGE);
	crm_expr_sql_free(&x);
	snprintf(out, sizeof(out), "%s", e.msg);
	return out;
}

#define assert_error(expr, msg) assert_string_equal(error_at((expr), 1), (msg))

/* ---- errors --------------------------------------------------------------- */

static void expr__empty__error(void **state)
{
	(void)state;
	assert_error("", "1:1: empty expression");
	assert_error("  \t ", "1:1: empty expression");
	assert_error("\n\n  ", "1:1: empty expression");
}

static void expr__unknown_field__error_with_suggestion(void **state)
{
	(void)state;
	assert_error("contry = \"NL\"", "1:1: unknown field \"contry\" (did you mean \"country\"?)");
	assert_error("country = \"NL\" and purchases.cnt > 1",
		     "1:20: unknown field \"purchases.cnt\" (did you mean \"purchases.count\"?)");
	assert_error("clustr = 1", "1:1: unknown field \"clustr\" (did you mean \"cluster\"?)");
	assert_error("rfm.scor > 1", "1:1: unknown field \"rfm.scor\" (did you mean \"rfm.score\"?)");
	assert_error("interactions.channel.mail > 1",
		     "1:1: unknown field \"interactions.channel.mail\""
		     " (did you mean \"interactions.channel.email\"?)");
	assert_error("interactions.type.cal > 1",
		     "1:1: unknown field \"interactions.type.cal\""
		     " (did you mean \"interactions.type.call\"?)");
	/* names are exact, but the suggestion ignores case */
	assert_error("COUNTRY = \"NL\"", "1:1: unknown field \"COUNTRY\" (did you mean \"country\"?)");
}

static void expr__unknown_field__error_without_suggestion(void **state)
{
	(void)state;
	assert_error("xyzzy = 1", "1:1: unknown field \"xyzzy\" (see crm-filter(7))");
	assert_error("interactions.last_0d > 1",
		     "1:1: unknown field \"interactions.last_0d\" (see crm-filter(7))");
	assert_error("interactions.last_36501d > 1",
		     "1:1: unknown field \"interactions.last_36501d\" (see crm-filter(7))");
	assert_error("interactions.channel.fax > 1",
		     "1:1: unknown field \"interactions.channel.fax\" (see crm-filter(7))");
	/* SQL words are not fields */
	assert_error("select = 1", "1:1: unknown field \"select\" (see crm-filter(7))");
	assert_error("DROP TABLE contacts", "1:1: unknown field \"DROP\" (see crm-filter(7))");
}

static void expr__bad_string__error(void **state)
{
	(void)state;
	assert_error("country = \"NL", "1:11: unterminated string");
	assert_error("country = \"NL\nand\"", "1:11: unterminated string");
	assert_error("country = \"NL\\", "1:11: unterminated string");
	assert_error("country = \"a\\q\"",
		     "1:11: unknown escape \\q in a string (use \\\" \\\\ \\n \\t)");
	assert_error("country = \"a\\\x01\"",
		     "1:11: unknown escape \\? in a string (use \\\" \\\\ \\n \\t)");
}

static void expr__unexpected_character__error(void **state)
{
	(void)state;
	assert_error("country = #", "1:11: unexpected \"#\"");
	assert_error("country = \"NL\"; DROP TABLE contacts", "1:15: unexpected \";\"");
	assert_error("country = \"NL\" -- comment", "1:16: unexpected \"-\"");
	assert_error("country = \"NL\" /* x */", "1:16: unexpected \"/\"");
	assert_error("country = 'NL'", "1:11: unexpected \"'\"");
	assert_error("age >= -", "1:8: unexpected \"-\"");
	/* a character, not a byte, and columns count bytes */
	assert_error("country = é", "1:11: unexpected \"é\"");
	assert_error("country = \"é\" and agx = 1",
		     "1:20: unknown field \"agx\" (did you mean \"age\"?)");
}

static void expr__missing_value__error(void **state)
{
	(void)state;
	assert_error("age >", "1:6: expected a number, found end of expression");
	assert_error("country =", "1:10: expected text, found end of expression");
	assert_error("country != ", "1:12: expected text, found end of expression");
	assert_error("created_at <", "1:13: expected a time, found end of expression");
	assert_error("opt_out.email =", "1:16: expected true or false, found end of expression");
	assert_error("purchases.total >", "1:18: expected an amount of money, found end of expression");
	assert_error("country === \"x\"", "1:11: expected text, found \"=\"");
	assert_error("country", "1:8: expected a comparison after country, found end of expression");
	assert_error("country and age > 1", "1:9: expected a comparison after country, found \"and\"");
	assert_error("country is", "1:11: expected null after is, found end of expression");
	assert_error("country is not", "1:15: expected null after is, found end of expression");
	assert_error("country is 5", "1:12: expected null after is, found \"5\"");
	assert_error("not", "1:4: expected a field, tag:NAME, not or (, found end of expression");
	assert_error("country = \"NL\" and",
		     "1:19: expected a field, tag:NAME, not or (, found end of expression");
	assert_error("country = \"NL\" or or",
		     "1:19: expected a field, tag:NAME, not or (, found \"or\"");
	assert_error("()", "1:2: expected a field, tag:NAME, not or (, found \")\"");
	assert_error("1 = 1", "1:1: expected a field, tag:NAME, not or (, found \"1\"");
}

static void expr__bare_identifier__quote_hint(void **state)
{
	(void)state;
	assert_error("country = NL", "1:11: expected a value, found \"NL\" (quote text: \"NL\")");
	assert_error("field.colour = red",
		     "1:16: expected a value, found \"red\" (quote text: \"red\")");
	/* a bare word is no date, but for now, today, yesterday, tomorrow */
	assert_error("created_at >= someday", "1:15: expected a time, found \"someday\"");
}

static void expr__bare_today__same_as_quoted(void **state)
{
	struct fixture *f = *state;
	char *quoted = strdup(ids(f, "birthdate < \"today\" and (created_at < \"now\""
				  " or created_at > \"yesterday\") and birthdate < \"tomorrow\""));

	assert_non_null(quoted);
	assert_string_not_equal(quoted, "");
	assert_ids("birthdate < today and (created_at < now or created_at > yesterday)"
		   " and birthdate < tomorrow", quoted);
	free(quoted);
}

static void expr__wrong_type__error(void **state)
{
	(void)state;
	assert_error("age = \"x\"", "1:7: expected a number, found \"x\"");
	assert_error("age = 2024-01-01", "1:7: expected a number, found \"2024-01-01\"");
	assert_error("age = -5d", "1:7: expected a number, found \"-5d\"");
	assert_error("age = true", "1:7: expected a number, found \"true\"");
	assert_error("created_at = 5", "1:14: expected a time, found \"5\"");
	assert_error("birthdate = 5", "1:13: expected a date, found \"5\"");
	assert_error("opt_out.email = 1", "1:17: expected true or false, found \"1\"");
	assert_error("purchases.total > \"a\"", "1:19: expected an amount of money, found \"a\"");
	assert_error("country = true", "1:11: expected text, found \"true\"");
	assert_error("country = null", "1:11: expected text, found \"null\"");
}

static void expr__number_given_for_text__compared_as_text(void **state)
{
	struct fixture *f = *state;

	/* A number or date for a text field is text: postal codes. */
	assert_ids("postal_code = 1011", "1");
	assert_ids("country < 5", "5");   /* "" < "5"; letters sort after digits */
	assert_ids("postal_code ~ \"1011*\"", "1,3");
}

static void expr__bad_number__error(void **state)
{
	(void)state;
	assert_error("age > 1.2.3", "1:7: invalid number \"1.2.3\"");
	assert_error("age > 1.", "1:7: invalid number \"1.\"");
	assert_error("age > -.5", "1:7: invalid number \"-.5\"");
	assert_error("age > 3and", "1:7: invalid number \"3and\"");
	assert_error("age > 5d", "1:7: invalid number \"5d\"");
	assert_error("age > 1e5", "1:7: invalid number \"1e5\"");
	assert_error("age > 99999999999999999999",
		     "1:7: number \"99999999999999999999\" out of range");
	assert_error("purchases.total > 10.505",
		     "1:19: invalid amount \"10.505\": too many decimals (EUR has 2 decimals;"
		     " use a dot, no thousands separators)");
}

static void expr__tilde_on_non_text__error(void **state)
{
	(void)state;
	assert_error("age ~ \"3*\"", "1:5: ~ matches text; age is a number");
	assert_error("created_at ~ \"2024*\"", "1:12: ~ matches text; created_at is a time");
	assert_error("opt_out.email ~ \"1\"", "1:15: ~ matches text; opt_out.email is true or false");
	assert_error("country ~ 5", "1:11: expected a quoted pattern after ~, found \"5\"");
	assert_error("country ~ NL", "1:11: expected a quoted pattern after ~, found \"NL\"");
}

static void expr__bool_with_order__error(void **state)
{
	(void)state;
	assert_error("opt_out.email < true", "1:15: opt_out.email is true or false: use = or !=");
	assert_error("email_opt_out >= false", "1:15: email_opt_out is true or false: use = or !=");
	assert_error("tag:vip = true", "1:9: expected and, or or the end, found \"=\"");
}

static void expr__in_list__errors(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	assert_error("field.x in (1, \"a\")", "1:16: mix of numbers and text in a list");
	assert_error("field.x in (\"a\", 1)", "1:18: mix of numbers and text in a list");
	assert_error("age in (1, \"a\")", "1:12: expected a number, found \"a\"");
	assert_error("created_at in (2024-01-01, -5d)", "1:28: mix of days and times in a list");
	assert_error("country in ()", "1:13: expected text, found \")\"");
	assert_error("country in (\"a\",)", "1:17: expected text, found \")\"");
	assert_error("country in (\"a\" \"b\")", "1:17: expected , or ), found \"b\"");
	assert_error("country in (\"a\"", "1:16: expected , or ), found end of expression");
	assert_error("country in \"a\"", "1:12: expected ( after in, found \"a\"");

	/* 256 values are fine, 257 are not */
	crm_buf_adds(&b, "id in (1");
	for (int i = 2; i <= 256; i++)
		crm_buf_addf(&b, ",%d", i % 10);
	crm_buf_adds(&b, ")");
	{
		struct crm_expr_sql x;
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_expr_compile(crm_buf_str(&b), NOW, 1, &x, &e), 0);
		assert_int_equal(x.nparams, 256);
		crm_expr_sql_free(&x);
	}
	b.len -= 1;  /* drop the ')' */
	crm_buf_adds(&b, ",7)");
	/* "id in (1" is 8 bytes and each further value 2: the 257th at 520 */
	assert_string_equal(error_at(crm_buf_str(&b), 1), "1:520: more than 256 values in a list");
	crm_buf_free(&b);
}

static void expr__parentheses__errors(void **state)
{
	(void)state;
	assert_error("(country = \"NL\"", "1:1: ( is never closed");
	assert_error("country = \"NL\" and (tag:vip or (age > 3)",
		     "1:20: ( is never closed");
	assert_error("(country = \"NL\" city = \"x\")",
		     "1:17: expected and, or or ), found \"city\"");
	assert_error("country = \"NL\")", "1:15: unbalanced )");
	assert_error("(country = \"NL\"))", "1:17: unbalanced )");
	assert_error("country = \"NL\" x", "1:16: expected and, or or the end, found \"x\"");
	assert_error("tag:a,b", "1:6: expected and, or or the end, found \",\"");
}

static void expr__nesting__limited(void **state)
{
	struct fixture *f = *state;
	char text[256];
	size_t k = 0;

	/* 15 brackets or nots around a condition compile and run ... */
	for (int i = 0; i < 15; i++)
		text[k++] = '(';
	k += (size_t)snprintf(text + k, sizeof(text) - k, "id = 1");
	for (int i = 0; i < 15; i++)
		text[k++] = ')';
	text[k] = '\0';
	assert_ids(text, "1");
	assert_ids("not not not not not not not not not not not not not not not id = 1", "2,3,4,5");
	/* ... the 16th is refused */
	assert_error("((((((((((((((((id = 1))))))))))))))))",
		     "1:17: expression nested deeper than 16");
	assert_error("not not not not not not not not not not not not not not not not id = 1",
		     "1:65: expression nested deeper than 16");
	/* the deepest shape for SQLite's parser (`a and (b and (...`) runs */
	k = 0;
	for (int i = 0; i < 15; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "id>0 and (");
	k += (size_t)snprintf(text + k, sizeof(text) - k, "field.shoe_size >= 40");
	for (int i = 0; i < 15; i++)
		text[k++] = ')';
	text[k] = '\0';
	assert_ids(text, "2");
}

static void expr__long_expression__limited(void **state)
{
	struct fixture *f = *state;
	struct crm_buf b = CRM_BUF_INIT;

	/* 256 conditions in one chain run (SQL nests one level for each) */
	crm_buf_adds(&b, "field.shoe_size in (1, 2) or field.shoe_size in (3, 4)");
	for (int i = 2; i < 256; i++)
		crm_buf_adds(&b, " or id = 3");
	assert_ids(crm_buf_str(&b), "3");
	/* the 257th is refused, where it starts */
	crm_buf_adds(&b, " or id = 4");
	assert_string_equal(error_at(crm_buf_str(&b), 1), "1:2599: more than 256 conditions");
	crm_buf_free(&b);
	/* parameters: up to 32766 in all, counting those before base */
	assert_string_equal(error_at("country = \"a\" or country = \"b\"", 32766),
			    "1:18: more than 32766 values in all");
	{
		struct crm_expr_sql x;
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_expr_compile("country = \"a\"", NOW, 32766, &x, &e), 0);
		assert_string_equal(crm_buf_str(&x.where), "(coalesce(c.country = ?32766 COLLATE NOCASE, FALSE))");
		crm_expr_sql_free(&x);
	}
}

static void expr__pattern_too_long__error(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_adds(&b, "email ~ \"");
	for (int i = 0; i < 25001; i++)
		crm_buf_addc(&b, '_');  /* each one becomes "\_" */
	crm_buf_adds(&b, "\"");
	assert_string_equal(error_at(crm_buf_str(&b), 1), "1:9: pattern longer than 50000 bytes");
	crm_buf_free(&b);
}

static void expr__invalid_utf8__error(void **state)
{
	(void)state;
	assert_error("country = \"\xff\"", "1:1: the expression is not valid UTF-8");
	assert_error("country = \"\xc3\"", "1:1: the expression is not valid UTF-8");
	assert_error("country = \"\xed\xa0\x80\"", "1:1: the expression is not valid UTF-8");
	assert_error("\xc0\xaf", "1:1: the expression is not valid UTF-8");
}

static void expr__invalid_tag__error(void **state)
{
	char text[100];

	(void)state;
	assert_error("tag:", "1:1: invalid tag \"\"");
	assert_error("tag:a;b", "1:1: invalid tag \"a;b\"");
	assert_error("age > 3 and tag:a';--", "1:13: invalid tag \"a';--\"");
	assert_error("tag:a\x01" "b", "1:1: invalid tag \"a?b\"");
	assert_error("tag:a\x7f" "b", "1:1: invalid tag \"a?b\"");
	/* 65 bytes: too long, shown cut at 64 */
	snprintf(text, sizeof(text), "tag:%065d", 0);
	assert_error(text, "1:1: invalid tag \"0000000000000000000000000000000000000000000000000000000000000000...\"");
}

static void expr__invalid_custom_field__error(void **state)
{
	(void)state;
	assert_error("field.X = 1", "1:1: invalid custom field name \"X\"");
	assert_error("field. = 1", "1:1: invalid custom field name \"\"");
	assert_error("field.1a = 1", "1:1: invalid custom field name \"1a\"");
	assert_error("field.a.b = 1", "1:1: invalid custom field name \"a.b\"");
	assert_error("field.country = \"x\"", "1:1: invalid custom field name \"country\"");
	assert_error("field.x'y = 1", "1:8: unexpected \"'\"");
	assert_error("field.x\"y = 1", "1:8: unterminated string");
}

static void expr__bad_date__error(void **state)
{
	(void)state;
	assert_error("birthdate = 2023-02-30", "1:13: invalid date \"2023-02-30\"");
	assert_error("created_at > 2023-02-30", "1:14: invalid date \"2023-02-30\"");
	assert_error("created_at > \"2023-13-01\"", "1:14: invalid date \"2023-13-01\"");
	assert_error("birthdate < 2023-02-28T10:00", "1:13: invalid date \"2023-02-28T10:00\"");
	assert_error("created_at > -100001d", "1:14: invalid date \"-100001d\"");
}

static void expr__second_line__positions(void **state)
{
	(void)state;
	assert_error("country = \"NL\"\n  and agx > 3",
		     "2:7: unknown field \"agx\" (did you mean \"age\"?)");
	assert_error("country = \"NL\"\r\n and\tcity ~ 5",
		     "2:13: expected a quoted pattern after ~, found \"5\"");
	assert_error("country = \"NL\"\nand (\n  tag:vip or\n  age > x)",
		     "4:9: expected a number, found \"x\"");
	assert_error("country = \"NL\"\nand (tag:vip", "2:5: ( is never closed");
	assert_error("country = \"NL\"\n\n  and country = \"x", "3:17: unterminated string");
}

static void expr__embedded_nul__ends_expression(void **state)
{
	struct fixture *f = *state;
	static const char after[] = "country = \"NL\"\0 or 1 = 1; DROP TABLE contacts";
	static const char inside[] = "country = \"N\0L\" or id > 0";

	assert_true(sizeof(after) > strlen(after) + 1);
	assert_ids(after, "1,2");
	assert_error(inside, "1:11: unterminated string");
}

/* ---- meaning --------------------------------------------------------------- */

static void expr__text_operators__case_insensitive(void **state)
{
	struct fixture *f = *state;

	assert_ids("country = \"NL\"", "1,2");
	assert_ids("country == \"nl\"", "1,2");
	assert_ids("country != \"NL\"", "3,4,5");
	assert_ids("country <> \"nl\"", "3,4,5");
	assert_ids("country < \"E\"", "3,5");
	assert_ids("country <= \"de\"", "3,5");
	assert_ids("country > \"de\"", "1,2");
	assert_ids("country >= \"NL\"", "1,2");
	assert_ids("country in (\"nl\", \"DE\")", "1,2,3");
	assert_ids("country = \"\"", "5");
	assert_ids("city = \"BERLIN\"", "4,5");
	assert_ids("last_name = \"o'brien\"", "4");
	assert_ids("company = \"back\\\\slash\"", "4");
	assert_ids("status = \"Customer\"", "1,4");
	assert_ids("email = \"JANE@example.org\"", "1");
	assert_ids("uid in (\"U1\", \"u5\")", "1,5");
}

static void expr__tilde__glob(void **state)
{
	struct fixture *f = *state;

	assert_ids("country ~ \"n?\"", "1,2");
	assert_ids("country ~ \"*\"", "1,2,3,5");
	assert_ids("first_name ~ \"J*\"", "1,2");
	assert_ids("company ~ \"?cme\"", "3");
	assert_ids("company ~ \"*E\"", "2,3");
	/* % and _ are themselves, not LIKE's wildcards */
	assert_ids("company ~ \"100%*\"", "1");
	assert_ids("company ~ \"1%*\"", "");
	assert_ids("company ~ \"*%*\"", "1");
	assert_ids("company ~ \"*_*\"", "2");
	assert_ids("company ~ \"Under?score\"", "2");
	assert_ids("company ~ \"Under_*\"", "2");
	assert_ids("company ~ \"Unde__core\"", "");
	assert_ids("company ~ \"Back\\\\*\"", "4");
	assert_ids("last_name ~ \"O'*\"", "4");
	assert_ids("not company ~ \"a*\"", "1,2,4,5");
}

static void expr__numbers__compare(void **state)
{
	struct fixture *f = *state;

	assert_ids("id > 2", "3,4,5");
	assert_ids("id >= -1", "1,2,3,4,5");
	assert_ids("id <= 2.5", "1,2");
	assert_ids("id = +3", "3");
	assert_ids("id != 2", "1,3,4,5");
	assert_ids("id in (1, 3, 9)", "1,3");
	assert_ids("id < 1", "");
}

static void expr__age__birthday_boundary(void **state)
{
	struct fixture *f = *state;

	/* 1 and 3 have their birthday today, 2 and 4 tomorrow */
	assert_ids("age = 34", "1");
	assert_ids("age = 33", "2");
	assert_ids("age >= 18", "1,2,3");
	assert_ids("age < 18", "4");
	assert_ids("age = 17", "4");
	assert_ids("not age >= 18", "4,5");
	assert_ids("age != 34", "2,3,4,5");
	assert_ids("age is null", "5");
	/* the same boundary as a date */
	assert_ids("birthdate <= -18y", "1,2,3");
	assert_ids("birthdate > -18y", "4");
}

static void expr__dates__compare(void **state)
{
	struct fixture *f = *state;

	assert_ids("birthdate = 1990-06-15", "1");
	assert_ids("birthdate = \"1990-06-15\"", "1");
	assert_ids("birthdate != 1990-06-15", "2,3,4,5");
	assert_ids("birthdate < 2000-01-01", "1,2");
	assert_ids("birthdate >= 2006-06-15", "3,4");
	assert_ids("birthdate in (1990-06-16, 2006-06-16)", "2,4");
	assert_ids("birthdate is null", "5");
	assert_ids("birthdate is not null", "1,2,3,4");
}

static void expr__times__whole_days(void **state)
{
	struct fixture *f = *state;

	/* a plain date means that whole day (UTC), whatever the operator */
	assert_ids("created_at = 2024-01-01", "1");
	assert_ids("created_at = \"2024-01-01\"", "1");
	assert_ids("created_at != 2024-01-01", "2,3,4,5");
	assert_ids("created_at < 2024-01-01", "2,4");
	assert_ids("created_at <= 2024-01-01", "1,2,4");
	assert_ids("created_at > 2024-01-01", "3,5");
	assert_ids("created_at >= 2024-01-01", "1,3,5");
	assert_ids("created_at in (2024-01-01, 2022-05-05)", "1,4");
	assert_ids("not created_at in (2024-01-01, 2022-05-05)", "2,3,5");
	assert_ids("created_at = 2023-12-31", "2");
	/* a time is that instant, in any zone */
	assert_ids("created_at = 2024-01-01T10:00:00Z", "1");
	assert_ids("created_at = \"2024-01-01T11:00:00+01:00\"", "1");
	assert_ids("created_at <= 2024-01-01T10:00", "1,2,4");
	assert_ids("created_at in (2024-01-01T10:00:00Z, 2024-01-02T00:00)", "1,3");
	/* relative to now */
	assert_ids("created_at > -1d", "5");
	assert_ids("created_at >= -6m", "1,2,3,5");
	assert_ids("created_at >= \"today\"", "5");
	assert_ids("created_at < \"yesterday\"", "1,2,3,4");
	assert_ids("updated_at >= 2024-06-01", "1,5");
}

static void expr__money__default_currency(void **state)
{
	struct fixture *f = *state;

	/* purchases less refunds: 1 has 20.00 + 10.50 - 5.00, 2 has 9.99 */
	assert_ids("purchases.total > 10.50", "1");
	assert_ids("purchases.total = 25.5", "1");
	assert_ids("purchases.total >= 9.99", "1,2");
	assert_ids("purchases.total = 0", "3,4,5");
	assert_ids("purchases.total < +10", "2,3,4,5");
	assert_ids("purchases.total > -1", "1,2,3,4,5");
	assert_ids("purchases.avg > 15", "1");
	assert_ids("purchases.avg = 15.25", "1");
	assert_ids("purchases.avg is null", "3,4,5");
	assert_ids("not purchases.avg > 15", "2,3,4,5");
	assert_ids("purchases.count >= 1", "1,2");
	assert_ids("purchases.count = 2", "1");
	/* in a currency without minor units */
	setenv("CRM_CURRENCY", "JPY", 1);
	assert_ids("purchases.total > 2549", "1");
	assert_string_equal(ids(f, "purchases.total > 10.50"),
			    "error: 1:19: invalid amount \"10.50\": invalid (JPY has 0 decimals;"
			    " use a dot, no thousands separators)");
	unsetenv("CRM_CURRENCY");
}

static void expr__purchase_times__relative(void **state)
{
	struct fixture *f = *state;

	assert_ids("purchases.last < -90d", "2");
	assert_ids("not purchases.last < -90d", "1,3,4,5");
	assert_ids("purchases.last >= -90d", "1");
	assert_ids("purchases.last = 2024-06-01", "1");
	assert_ids("purchases.first = 2024-03-01", "1");
	assert_ids("purchases.first is null", "3,4,5");
	assert_ids("country = \"NL\" and purchases.count >= 1 and purchases.last < -90d"
		   " and not opt_out.email", "");
	assert_ids("country = \"NL\" and purchases.count >= 1 and purchases.last < -90d", "2");
}

static void expr__bools__bare_and_compared(void **state)
{
	struct fixture *f = *state;

	assert_ids("opt_out.email", "2");
	assert_ids("not opt_out.email", "1,3,4,5");
	assert_ids("opt_out.email = true", "2");
	assert_ids("opt_out.email = FALSE", "1,3,4,5");
	assert_ids("opt_out.email != true", "1,3,4,5");
	assert_ids("opt_out.email != false", "2");
	assert_ids("opt_out.sms and not opt_out.email", "1");
	assert_ids("email_opt_out", "2");
	assert_ids("sms_opt_out = true", "1");
	assert_ids("opt_out.email in (true, false)", "1,2,3,4,5");
}

static void expr__tags__exact(void **state)
{
	struct fixture *f = *state;

	assert_ids("tag:vip", "1,2");
	assert_ids("TAG:vip", "1,2");
	assert_ids("tag:VIP", "");   /* tags are exact */
	assert_ids("not tag:vip", "3,4,5");
	assert_ids("tag:vip and tag:gold", "1");
	assert_ids("tag:vip or tag:gold", "1,2,3");
	assert_ids("tag:nope", "");
	assert_ids("(tag:gold)", "1,3");
}

static void expr__custom_fields__text_and_number(void **state)
{
	struct fixture *f = *state;

	/* as numbers: "large", "1-2" and "" are not numbers and never match */
	assert_ids("field.shoe_size >= 38", "1,2");
	assert_ids("field.shoe_size < 100", "1,2");
	assert_ids("field.shoe_size = 42.5", "2");
	assert_ids("field.shoe_size = 1", "");
	assert_ids("field.shoe_size = 0", "");
	assert_ids("field.shoe_size > -100", "1,2");
	assert_ids("field.shoe_size in (38, 42.5, 1, 0)", "1,2");
	assert_ids("field.code = 7", "2");
	/* != holds for values that are missing or not numbers */
	assert_ids("field.shoe_size != 38", "2,3,4,5");
	assert_ids("not field.shoe_size >= 38", "3,4,5");
	/* as text */
	assert_ids("field.shoe_size = \"LARGE\"", "3");
	assert_ids("field.shoe_size = \"38\"", "1");
	assert_ids("field.shoe_size > \"4\"", "2,3");
	assert_ids("field.shoe_size in (\"large\", \"38\")", "1,3");
	assert_ids("field.shoe_size ~ \"4*\"", "2");
	assert_ids("field.note = \"hello\"", "1");
	assert_ids("field.note != \"hello\"", "2,3,4,5");
	assert_ids("field.missing = 1", "");
	assert_ids("field.missing != \"x\"", "1,2,3,4,5");
}

static void expr__is_null__empty_text_counts(void **state)
{
	struct fixture *f = *state;

	assert_ids("country is null", "4,5");
	assert_ids("country IS NOT NULL", "1,2,3");
	assert_ids("city is null", "2,3");
	assert_ids("not city is null", "1,4,5");
	assert_ids("email is null", "3,5");
	assert_ids("field.shoe_size is null", "5");
	assert_ids("field.note is null", "2,4,5");
	assert_ids("field.note is not null", "1,3");
	assert_ids("purchases.last is not null", "1,2");
	assert_ids("rfm.segment is null", "3,4,5");
	assert_ids("cluster is null", "4,5");
	assert_ids("opt_out.email is null", "");
}

static void expr__missing_values__two_valued_logic(void **state)
{
	struct fixture *f = *state;

	/* a comparison with a missing value is false, so its negation true */
	assert_ids("country != \"NL\"", "3,4,5");
	assert_ids("not country = \"NL\"", "3,4,5");
	assert_ids("not country != \"NL\"", "1,2");
	assert_ids("city != \"Berlin\"", "1,2,3");
	assert_ids("not city != \"Berlin\"", "4,5");
	assert_ids("not (country = \"NL\" or city = \"berlin\")", "3");
	assert_ids("country = \"NL\" or not country = \"NL\"", "1,2,3,4,5");
	assert_ids("rfm.score > 3 or not rfm.score > 3", "1,2,3,4,5");
	assert_ids("not not country = \"NL\"", "1,2");
}

static void expr__and_or__precedence(void **state)
{
	struct fixture *f = *state;

	/* and binds tighter than or */
	assert_ids("tag:gold or tag:vip and country = \"DE\"", "1,3");
	assert_ids("(tag:gold or tag:vip) and country = \"DE\"", "3");
	assert_ids("country = \"DE\" and tag:vip or tag:gold", "1,3");
	assert_ids("country = \"DE\" and (tag:vip or tag:gold)", "3");
	/* not binds tighter than and/or */
	assert_ids("not tag:gold or tag:vip", "1,2,4,5");
	assert_ids("not (tag:gold or tag:vip)", "4,5");
	assert_ids("not tag:gold and not tag:vip", "4,5");
	assert_ids("id = 1 OR id = 2 AND id = 3", "1");
	assert_ids("(id = 1 or id = 2) and (id = 2 or id = 3)", "2");
	assert_ids("((id = 1))", "1");
}

static void expr__interactions__counts(void **state)
{
	struct fixture *f = *state;

	/* tasks are not interactions; the last 30 days start 2024-05-16T12:00 */
	assert_ids("interactions.count = 4", "1");
	assert_ids("interactions.count >= 2", "1,2,3");
	assert_ids("interactions.last_30d >= 3", "1");
	assert_ids("interactions.last_30d = 1", "2,3");
	assert_ids("interactions.last_30d = 0", "4,5");
	assert_ids("interactions.last_7d > 0", "1,2");
	assert_ids("interactions.channel.email > 0", "1,3");
	assert_ids("interactions.channel.web = 3", "1");
	assert_ids("interactions.type.call = 1", "2");
	assert_ids("interactions.type.task = 2", "2");
	assert_ids("interactions.type.purchase >= 1", "1,2");
	assert_ids("tasks.open > 0", "2");
	assert_ids("tasks.open = 0", "1,3,4,5");
	assert_ids("interactions.in = 3", "1");
	assert_ids("interactions.out > 0", "1,3");
	assert_ids("interactions.last > -7d", "1,2");
	assert_ids("interactions.last = 2024-05-20", "3");
	assert_ids("interactions.first < 2024-01-01", "2");
}

static void expr__rfm_and_cluster__scores(void **state)
{
	struct fixture *f = *state;

	assert_ids("rfm.segment = \"Champions\"", "1");
	assert_ids("rfm.segment ~ \"*ing\"", "2");
	assert_ids("rfm.score >= 12", "1");
	assert_ids("rfm.score = 3", "2");
	assert_ids("rfm.r in (1, 2)", "2");
	assert_ids("rfm.f = 4 and rfm.m = 3", "1");
	assert_ids("cluster = 1", "2,3");
	assert_ids("cluster != 1", "1,4,5");
	assert_ids("cluster in (0)", "1");
}

static void bind_head(struct crm_stmt *st)
{
	crm_bind_int64(st, 1, 2);
	crm_bind_text_ref(st, 2, "former");
}

static void expr__base__numbers_parameters(void **state)
{
	struct fixture *f = *state;
	struct crm_expr_sql x, y;
	struct crm_err e = { 0, "" };

	/* after two parameters of the caller's own */
	assert_int_equal(crm_expr_compile("country = \"NL\" or age >= 18", NOW, 3, &x, &e), 0);
	assert_int_equal(x.base, 3);
	assert_int_equal(x.nparams, 4);
	assert_non_null(strstr(crm_buf_str(&x.where), "?3"));
	assert_non_null(strstr(crm_buf_str(&x.where), "?6"));
	assert_null(strstr(crm_buf_str(&x.where), "?1)"));
	assert_null(strstr(crm_buf_str(&x.where), "?2)"));
	assert_string_equal(run_ids(f, "c.id <> ?1 AND c.status <> ?2", &x, bind_head), "1,3");
	/* two conditions in one statement, the second numbered after the first */
	assert_int_equal(crm_expr_compile("tag:gold or tag:vip", NOW, 3 + (int)x.nparams, &y, &e), 0);
	assert_int_equal(y.base, 7);
	{
		/* bind both: run by hand */
		struct crm_stmt *st = NULL;
		struct crm_buf sql = CRM_BUF_INIT;
		char got[64] = "";
		size_t k = 0;

		crm_buf_addf(&sql, "SELECT c.id FROM contacts c WHERE c.id <> ?1 AND c.status <> ?2"
			     " AND %s AND %s ORDER BY c.id", crm_buf_str(&x.where), crm_buf_str(&y.where));
		st = q_prepare(f->base.s, crm_buf_str(&sql));
		assert_int_equal(crm_bind_count(st), 8);
		bind_head(st);
		crm_expr_bind(&x, st);
		crm_expr_bind(&y, st);
		while (crm_store_step(f->base.s, st, NULL) == CRM_ROW)
			k += (size_t)snprintf(got + k, sizeof(got) - k, "%s%lld", k > 0 ? "," : "",
					      (long long)crm_column_int64(st, 0));
		crm_stmt_free(st);
		crm_buf_free(&sql);
		assert_string_equal(got, "1,3");
	}
	crm_expr_sql_free(&x);
	crm_expr_sql_free(&y);
	/* free twice is harmless: it leaves an empty value */
	crm_expr_sql_free(&x);
}

/* ---- injection --------------------------------------------------------------- */

static const char *const tables[] = {
	"SELECT count(*) FROM contacts", "SELECT count(*) FROM contact_tags",
	"SELECT count(*) FROM contact_fields", "SELECT count(*) FROM interactions",
	"SELECT count(*) FROM contact_rfm", "SELECT count(*) FROM sqlite_master",
};

/* expr compiles, holds none of the strings given, and selects want. */
static void assert_safe(struct fixture *f, const char *expr, const char *want, ...)
{
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	const char *w, *s;
	va_list ap;

	assert_int_equal(crm_expr_compile(expr, NOW, 1, &x, &e), 0);
	assert_no_user_text(&x, (const char *)NULL);
	w = crm_buf_str(&x.where);
	va_start(ap, want);
	while ((s = va_arg(ap, const char *)) != NULL)
		if (strstr(w, s) != NULL)
			fail_msg("\"%s\" appears in \"%s\"", s, w);
	va_end(ap);
	assert_string_equal(run_ids(f, "1", &x, NULL), want);
	crm_expr_sql_free(&x);
}

static void expr__injection__never_executed(void **state)
{
	struct fixture *f = *state;
	int64_t before[sizeof(tables) / sizeof(tables[0])];

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		before[i] = q_int64(f->base.s, tables[i]);

	/* values */
	assert_safe(f, "country = \"'); DROP TABLE contacts; --\"", "",
		    "DROP", "'); ", "--", (const char *)NULL);
	assert_safe(f, "country = \"NL\\\" OR 1=1 --\"", "", "OR 1=1", (const char *)NULL);
	assert_safe(f, "country = \"x'; DELETE FROM contact_tags; --\"", "",
		    "DELETE", (const char *)NULL);
	assert_safe(f, "country = \"/* x */ NL\"", "", "/*", (const char *)NULL);
	assert_safe(f, "country in (\"NL\", \"') OR ('1'='1\")", "1,2", "'1'='1", (const char *)NULL);
	assert_safe(f, "last_name = \"O'Brien\"", "4", "O'Brien", (const char *)NULL);
	assert_safe(f, "last_name ~ \"*'*\"", "4", (const char *)NULL);
	assert_safe(f, "company ~ \"*; SELECT *\"", "", "; SELECT", (const char *)NULL);
	assert_safe(f, "field.shoe_size = \"38' OR '1'='1\"", "", "'1'", (const char *)NULL);
	assert_safe(f, "created_at > \"2024-01-01T00:00:00Z\"", "1,3,5", "2024-01-01",
		    (const char *)NULL);
	/* custom field names and tags */
	assert_safe(f, "field.drop_table_contacts = 1", "", "drop_table", (const char *)NULL);
	assert_safe(f, "field.shoe_size >= 38 and tag:gold", "1", "shoe_size", "gold",
		    (const char *)NULL);
	assert_safe(f, "tag:a'--", "4", "a'", (const char *)NULL);
	assert_safe(f, "tag:\"vip\"", "", (const char *)NULL);
	assert_safe(f, "interactions.channel.email > 0", "1,3", "'email'", (const char *)NULL);
	assert_error("field.x'y = 1", "1:8: unexpected \"'\"");
	assert_error("tag:a';--", "1:1: invalid tag \"a';--\"");
	assert_error("tag:');DROP", "1:6: unbalanced )");
	assert_error("tag:x')OR('1'='1", "1:7: unbalanced )");
	assert_error("country = \"NL\"; DROP TABLE contacts; --", "1:15: unexpected \";\"");

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		assert_int_equal(q_int64(f->base.s, tables[i]), before[i]);
	assert_ids("id > 0", "1,2,3,4,5");
}

/* ---- crm_expr_value ------------------------------------------------------------ */

/* The value of field for contact id, as text ("NULL" when it is NULL). */
static const char *value_of(struct fixture *f, const char *field, int64_t id)
{
	static char out[64];
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	int rc = crm_expr_value(field, NOW, 2, &x, &e);

	if (rc != 0)
		fail_msg("%s: %s", field, e.msg);
	assert_no_user_text(&x, (const char *)NULL);
	crm_buf_addf(&sql, "SELECT %s FROM contacts c WHERE c.id = ?1", crm_buf_str(&x.where));
	rc = crm_store_prepare_built(f->base.s, crm_buf_str(&sql), &st, &e);
	if (rc != 0)
		fail_msg("prepare: %s: %s", e.msg, crm_buf_str(&sql));
	crm_bind_int64(st, 1, id);
	crm_expr_bind(&x, st);
	assert_int_equal(crm_store_step(f->base.s, st, &e), CRM_ROW);
	if (crm_column_type(st, 0) == CRM_NULL)
		snprintf(out, sizeof(out), "NULL");
	else if (crm_column_type(st, 0) == CRM_INTEGER ||
		 crm_column_type(st, 0) == CRM_FLOAT)
		snprintf(out, sizeof(out), "%.4f", crm_column_double(st, 0));
	else
		snprintf(out, sizeof(out), "text %s", (const char *)crm_column_text(st, 0));
	crm_stmt_free(st);
	crm_buf_free(&sql);
	crm_expr_sql_free(&x);
	return out;
}

static const char *value_error(const char *field)
{
	static char out[1024];
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	int rc = crm_expr_value(field, NOW, 1, &x, &e);

	if (rc == 0)
		fail_msg("\"%s\" compiled: %s", field, crm_buf_str(&x.where));
	assert_int_equal(rc, CRM_EX_USAGE);
	crm_expr_sql_free(&x);
	snprintf(out, sizeof(out), "%s", e.msg);
	return out;
}

static void expr__value__numbers_for_each_type(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(value_of(f, "age", 1), "34.0000");
	assert_string_equal(value_of(f, "age", 2), "33.0000");
	assert_string_equal(value_of(f, "age", 5), "NULL");
	assert_string_equal(value_of(f, "id", 3), "3.0000");
	assert_string_equal(value_of(f, "purchases.total", 1), "25.5000");
	assert_string_equal(value_of(f, "purchases.total", 4), "0.0000");
	assert_string_equal(value_of(f, "purchases.avg", 2), "9.9900");
	assert_string_equal(value_of(f, "purchases.count", 1), "2.0000");
	assert_string_equal(value_of(f, "opt_out.email", 2), "1.0000");
	assert_string_equal(value_of(f, "opt_out.email", 1), "0.0000");
	assert_string_equal(value_of(f, "email_opt_out", 2), "1.0000");
	/* times and dates: days before now */
	assert_string_equal(value_of(f, "created_at", 5), "0.0417");
	assert_string_equal(value_of(f, "purchases.last", 1), "14.1250");
	assert_string_equal(value_of(f, "birthdate", 1), "12419.5000");
	assert_string_equal(value_of(f, "purchases.last", 4), "NULL");
	/* custom fields: a number, or NULL when not one */
	assert_string_equal(value_of(f, "field.shoe_size", 2), "42.5000");
	assert_string_equal(value_of(f, "field.shoe_size", 3), "NULL");
	assert_string_equal(value_of(f, "field.shoe_size", 4), "NULL");
	assert_string_equal(value_of(f, "field.shoe_size", 5), "NULL");
	assert_string_equal(value_of(f, "field.code", 2), "7.0000");
	assert_string_equal(value_of(f, "rfm.score", 1), "12.0000");
	assert_string_equal(value_of(f, "cluster", 3), "1.0000");
	assert_string_equal(value_of(f, "interactions.last_30d", 1), "3.0000");
	assert_string_equal(value_of(f, "interactions.channel.email", 3), "1.0000");
	assert_string_equal(value_of(f, "tasks.open", 2), "1.0000");
	assert_string_equal(value_of(f, "  age  ", 1), "34.0000");
	setenv("CRM_CURRENCY", "JPY", 1);
	assert_string_equal(value_of(f, "purchases.total", 1), "2550.0000");
	setenv("CRM_CURRENCY", "KWD", 1);
	assert_string_equal(value_of(f, "purchases.total", 1), "2.5500");
	unsetenv("CRM_CURRENCY");
}

static void expr__value__text_and_bad_names__error(void **state)
{
	(void)state;
	assert_string_equal(value_error("country"), "1:1: country is text, not a number");
	assert_string_equal(value_error("rfm.segment"), "1:1: rfm.segment is text, not a number");
	assert_string_equal(value_error("email"), "1:1: email is text, not a number");
	assert_string_equal(value_error("contry"),
			    "1:1: unknown field \"contry\" (did you mean \"country\"?)");
	assert_string_equal(value_error("age > 3"), "1:5: one field name expected, found more");
	assert_string_equal(value_error(""), "1:1: expected a field name, found \"\"");
	assert_string_equal(value_error("tag:vip"), "1:1: expected a field name, found \"tag:vip\"");
	assert_string_equal(value_error("field.x'y"), "1:8: unexpected \"'\"");
	assert_string_equal(value_error("field.X"), "1:1: invalid custom field name \"X\"");
	assert_string_equal(value_error("\xff"), "1:1: the field name is not valid UTF-8");
	assert_string_equal(value_error("#"), "1:1: unexpected \"#\"");
}

/* ---- crm_expr_column ----------------------------------------------------------- */

/* The column name shows for contact id, as a listing prints it: "NULL",
 * else the text SQLite gives, money formatted by crm_amount_format. */
static const char *column_of(struct fixture *f, const char *name, int64_t id)
{
	static char out[96];
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_buf sql = CRM_BUF_INIT;
	enum crm_expr_show show;
	struct crm_stmt *st = NULL;
	char code[4];
	int rc = crm_expr_column(name, NOW, 2, &x, &show, &e);

	if (rc != 0)
		fail_msg("%s: %d %s", name, rc, e.msg);
	assert_no_user_text(&x, (const char *)NULL);
	crm_buf_addf(&sql, "SELECT %s FROM contacts c WHERE c.id = ?1", crm_buf_str(&x.where));
	rc = crm_store_prepare_built(f->base.s, crm_buf_str(&sql), &st, &e);
	if (rc != 0)
		fail_msg("prepare: %s: %s", e.msg, crm_buf_str(&sql));
	crm_bind_int64(st, 1, id);
	crm_expr_bind(&x, st);
	assert_int_equal(crm_store_step(f->base.s, st, &e), CRM_ROW);
	if (crm_column_type(st, 0) == CRM_NULL) {
		snprintf(out, sizeof(out), "NULL");
	} else if (show == CRM_EXPR_SHOW_MONEY) {
		assert_int_equal(crm_column_type(st, 0), CRM_INTEGER);
		crm_default_currency_code(code);
		crm_amount_format(crm_column_int64(st, 0), code, out);
	} else {
		snprintf(out, sizeof(out), "%s%s", show == CRM_EXPR_SHOW_NUMBER ? "#" : "",
			 (const char *)crm_column_text(st, 0));
	}
	crm_stmt_free(st);
	crm_buf_free(&sql);
	crm_expr_sql_free(&x);
	return out;
}

static void expr__column__every_kind_as_the_filter_reads_it(void **state)
{
	struct fixture *f = *state;

	/* standard fields as stored; numbers marked # */
	assert_string_equal(column_of(f, "country", 2), "nl");
	assert_string_equal(column_of(f, "id", 3), "#3");
	assert_string_equal(column_of(f, "created_at", 1), "2024-01-01T10:00:00Z");
	assert_string_equal(column_of(f, "birthdate", 1), "1990-06-15");
	assert_string_equal(column_of(f, "email_opt_out", 2), "#1");
	/* computed ones */
	assert_string_equal(column_of(f, "age", 1), "#34");
	assert_string_equal(column_of(f, "age", 5), "NULL");
	assert_string_equal(column_of(f, "opt_out.sms", 1), "#1");
	assert_string_equal(column_of(f, "purchases.count", 1), "#2");
	assert_string_equal(column_of(f, "purchases.total", 1), "25.50");
	assert_string_equal(column_of(f, "purchases.total", 4), "0.00");
	assert_string_equal(column_of(f, "purchases.avg", 1), "15.25");
	assert_string_equal(column_of(f, "purchases.avg", 4), "NULL");
	assert_string_equal(column_of(f, "purchases.last", 1), "2024-06-01T09:00:00Z");
	assert_string_equal(column_of(f, "interactions.count", 2), "#2");
	assert_string_equal(column_of(f, "interactions.last_30d", 1), "#3");
	assert_string_equal(column_of(f, "interactions.channel.email", 3), "#1");
	assert_string_equal(column_of(f, "interactions.type.task", 2), "#2");
	assert_string_equal(column_of(f, "tasks.open", 2), "#1");
	assert_string_equal(column_of(f, "rfm.segment", 1), "champions");
	assert_string_equal(column_of(f, "rfm.segment", 3), "NULL");
	assert_string_equal(column_of(f, "rfm.r", 1), "#5");
	assert_string_equal(column_of(f, "rfm.f", 1), "#4");
	assert_string_equal(column_of(f, "rfm.m", 2), "#1");
	assert_string_equal(column_of(f, "rfm.score", 1), "#12");
	assert_string_equal(column_of(f, "cluster", 2), "#1");
	assert_string_equal(column_of(f, "cluster", 4), "NULL");
	/* custom fields as stored text, not as numbers; tags as 1/0 */
	assert_string_equal(column_of(f, "field.shoe_size", 3), "large");
	assert_string_equal(column_of(f, "field.code", 2), " 7 ");
	assert_string_equal(column_of(f, "field.nosuch", 2), "NULL");
	assert_string_equal(column_of(f, "tag:vip", 2), "#1");
	assert_string_equal(column_of(f, "tag:vip", 3), "#0");
	assert_string_equal(column_of(f, "tag:a'--", 4), "#1");
	setenv("CRM_CURRENCY", "JPY", 1);
	assert_string_equal(column_of(f, "purchases.total", 1), "2550");
	unsetenv("CRM_CURRENCY");
}

static void expr__column__unknown_and_bad_names(void **state)
{
	static const char *const unknown[] = {
		"nosuch", "contry", "", " age", "age ", "age > 3", "rfm", "rfm.x",
		"interactions.channel.fax", "field.x'y", "#", "\xff", "tags", "cluster;", NULL
	};
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	enum crm_expr_show show;

	(void)state;
	for (size_t i = 0; unknown[i] != NULL; i++) {
		int rc = crm_expr_column(unknown[i], NOW, 1, &x, &show, &e);

		if (rc != CRM_EX_NOTFOUND)
			fail_msg("\"%s\": %d %s", unknown[i], rc, e.msg);
		assert_string_equal(e.msg, "");
		crm_expr_sql_free(&x);
	}
	assert_int_equal(crm_expr_column("field.X", NOW, 1, &x, &show, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "invalid custom field name \"X\"");
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column("tag:Bad Tag", NOW, 1, &x, &show, &e), CRM_EX_NOTFOUND);
	crm_expr_sql_free(&x);
}

/* Every name in the list of known names is one (patterns made concrete),
 * and every name the filter compiles as a field is in the list. */
static void expr__known_names__match_the_field_table(void **state)
{
	struct fixture *f = *state;
	struct crm_buf known = CRM_BUF_INIT;
	const char *p;
	size_t n = 0;

	crm_expr_known_names(&known);
	p = crm_buf_str(&known);
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char name[64];

		assert_true(len < sizeof(name));
		memcpy(name, p, len);
		name[len] = '\0';
		if (strcmp(name, "interactions.last_Nd") == 0)
			snprintf(name, sizeof(name), "interactions.last_7d");
		else if (strcmp(name, "interactions.channel.C") == 0)
			snprintf(name, sizeof(name), "interactions.channel.web");
		else if (strcmp(name, "interactions.type.T") == 0)
			snprintf(name, sizeof(name), "interactions.type.call");
		else if (strcmp(name, "field.NAME") == 0)
			snprintf(name, sizeof(name), "field.shoe_size");
		else if (strcmp(name, "attr.NAME") == 0)
			snprintf(name, sizeof(name), "attr.country");
		else if (strcmp(name, "tag:NAME") == 0)
			snprintf(name, sizeof(name), "tag:vip");
		(void)column_of(f, name, 1);
		n++;
		p += len;
		if (*p == ',')
			p++;
		if (*p == ' ')
			p++;
	}
	assert_true(n > 40);
	/* the names the filter suggests and documents are all listed */
	for (size_t i = 0; crm_filter_help(i) != NULL; i++) {
		char name[64];
		size_t len = strcspn(crm_filter_help(i), "\t,");

		snprintf(name, sizeof(name), "%.*s", (int)len, crm_filter_help(i));
		if (strcmp(name, "FIELD") == 0 || strncmp(name, "lead.", 5) == 0)
			continue;   /* lead.*: a deal's, listed where a deal is */
		if (strstr(crm_buf_str(&known), name) == NULL)
			fail_msg("\"%s\" is not in the known names", name);
	}
	crm_buf_free(&known);
}

/* 1 if ", name," stands exactly once in list (", a, b, c,"). */
static int listed_once(const char *list, const char *name, size_t len)
{
	char one[80];
	const char *at;

	snprintf(one, sizeof(one), ", %.*s,", (int)len, name);
	at = strstr(list, one);
	return at != NULL && strstr(at + 1, one) == NULL;
}

/* A deal's field (scope CRM_SCOPE_DEAL) compiled where a deal l is:
 * the condition prepares over a deal and its contact, every parameter
 * used. */
static void deal_field_compiles(struct fixture *f, const char *name)
{
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	struct crm_buf sql = CRM_BUF_INIT, cond = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	enum crm_expr_show show;
	int rc;

	crm_buf_addf(&cond, "%s is null or %s is not null", name, name);
	rc = crm_expr_compile_in(crm_buf_str(&cond), NOW, 1, CRM_SCOPE_DEAL, &x, &e);
	if (rc != 0)
		fail_msg("%s: %s", name, e.msg);
	crm_buf_addf(&sql, "SELECT l.id FROM leads l JOIN contacts c ON c.id = l.contact_id"
		     " WHERE %s", crm_buf_str(&x.where));
	rc = crm_store_prepare_built(f->base.s, crm_buf_str(&sql), &st, &e);
	if (rc != 0)
		fail_msg("prepare: %s: %s", e.msg, crm_buf_str(&sql));
	assert_int_equal(crm_bind_count(st), (int)x.nparams);
	crm_stmt_free(st);
	crm_expr_sql_free(&x);
	assert_int_equal(crm_expr_column_in(name, NOW, 1, CRM_SCOPE_DEAL, &x, &show, &e), 0);
	crm_expr_sql_free(&x);
	crm_buf_free(&cond);
	crm_buf_free(&sql);
}

/* Every field every registered domain lists (crm_domains) works in a
 * filter and as a column; every name and pattern is known once. A deal's
 * fields work where a deal is, and elsewhere are refused by name and not
 * listed. */
static void expr__registry__every_listed_field_compiles(void **state)
{
	struct fixture *f = *state;
	struct crm_buf known = CRM_BUF_INIT, list = CRM_BUF_INIT, cond = CRM_BUF_INIT;
	size_t n = 0;

	crm_expr_known_names(&known);
	crm_buf_addf(&list, ", %s,", crm_buf_str(&known));
	for (const struct crm_domain *const *d = crm_domains; *d != NULL; d++) {
		for (size_t i = 0; i < (*d)->nfields; i++) {
			const struct crm_filter_field *ff = &(*d)->fields[i];
			const char *name;
			char buf[64];

			if (ff->build != NULL && ff->name != NULL)
				assert_int_equal(listed_once(crm_buf_str(&list), ff->name,
							     strlen(ff->name)),
						 ff->scope == CRM_SCOPE_CONTACT);
			for (size_t j = 0; (name = ff->build == NULL ? (j == 0 ? ff->name : NULL)
					    : ff->names != NULL ? ff->names(j, buf) : NULL) != NULL; j++) {
				crm_buf_reset(&cond);
				crm_buf_addf(&cond, "%s is null or %s is not null", name, name);
				n++;
				if (ff->scope == CRM_SCOPE_DEAL) {
					char want[160];

					snprintf(want, sizeof(want), "error: 1:1: %s is a field of a"
						 " deal: crm-lead's --filter and --fields only", name);
					assert_string_equal(ids(f, crm_buf_str(&cond)), want);
					assert_false(listed_once(crm_buf_str(&list), name, strlen(name)));
					deal_field_compiles(f, name);
					continue;
				}
				assert_string_equal(ids(f, crm_buf_str(&cond)), "1,2,3,4,5");
				(void)column_of(f, name, 1);
			}
		}
	}
	assert_true(n > 60);
	for (const char *p = crm_buf_str(&known); *p != '\0';) {
		size_t len = strcspn(p, ",");

		if (!listed_once(crm_buf_str(&list), p, len))
			fail_msg("\"%.*s\" is listed twice", (int)len, p);
		p += len;
		p += strspn(p, ", ");
	}
	crm_buf_free(&cond);
	crm_buf_free(&list);
	crm_buf_free(&known);
}

static void expr__field_help__listed(void **state)
{
	size_t n = 0;

	(void)state;
	for (; crm_filter_help(n) != NULL; n++)
		assert_non_null(strchr(crm_filter_help(n), '\t'));
	assert_true(n > 10);
}

static void expr__attr__latest_interactions_value(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };

	/* contact 1: France on the older purchase, NL on the newer; 2: 12 */
	if (crm_store_exec(f->base.s,
			   "INSERT INTO interaction_attrs (interaction_id, name, value, contact_id)"
			   " SELECT v.column1, v.column2, v.column3, i.contact_id"
			   " FROM (VALUES (1, 'country', 'France'), (2, 'country', 'NL'),"
			   " (5, 'country', '12'), (9, 'size', 'x')) v"
			   " JOIN interactions i ON i.id = v.column1",
			   &e) != 0)
		fail_msg("seed: %s", e.msg);
	assert_ids("attr.country = \"nl\"", "1");
	assert_ids("attr.country = \"France\"", "");
	assert_ids("attr.country = 12", "2");
	assert_ids("attr.country != \"NL\"", "2,3,4,5");
	assert_ids("attr.size ~ \"x\"", "3");
	assert_ids("attr.none = 1", "");
	assert_error("attr.Country = 1", "1:1: invalid attribute name \"Country\"");
	assert_error("attr. = 1", "1:1: invalid attribute name \"\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expr__empty__error),
		cmocka_unit_test(expr__unknown_field__error_with_suggestion),
		cmocka_unit_test(expr__unknown_field__error_without_suggestion),
		cmocka_unit_test(expr__bad_string__error),
		cmocka_unit_test(expr__unexpected_character__error),
		cmocka_unit_test(expr__missing_value__error),
		cmocka_unit_test(expr__bare_identifier__quote_hint),
		cmocka_unit_test(expr__wrong_type__error),
		cmocka_unit_test_setup_teardown(expr__number_given_for_text__compared_as_text, setup, teardown),
		cmocka_unit_test(expr__bad_number__error),
		cmocka_unit_test(expr__tilde_on_non_text__error),
		cmocka_unit_test(expr__bool_with_order__error),
		cmocka_unit_test(expr__in_list__errors),
		cmocka_unit_test(expr__parentheses__errors),
		cmocka_unit_test_setup_teardown(expr__nesting__limited, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__long_expression__limited, setup, teardown),
		cmocka_unit_test(expr__pattern_too_long__error),
		cmocka_unit_test(expr__invalid_utf8__error),
		cmocka_unit_test(expr__invalid_tag__error),
		cmocka_unit_test(expr__invalid_custom_field__error),
		cmocka_unit_test(expr__bad_date__error),
		cmocka_unit_test(expr__second_line__positions),
		cmocka_unit_test_setup_teardown(expr__embedded_nul__ends_expression, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__text_operators__case_insensitive, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__tilde__glob, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__numbers__compare, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__age__birthday_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__bare_today__same_as_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__dates__compare, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__times__whole_days, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__money__default_currency, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__purchase_times__relative, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__bools__bare_and_compared, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__tags__exact, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__custom_fields__text_and_number, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__attr__latest_interactions_value, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__is_null__empty_text_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__missing_values__two_valued_logic, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__and_or__precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__interactions__counts, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__rfm_and_cluster__scores, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__base__numbers_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__injection__never_executed, setup, teardown),
		cmocka_unit_test_setup_teardown(expr__value__numbers_for_each_type, setup, teardown),
		cmocka_unit_test(expr__value__text_and_bad_names__error),
		cmocka_unit_test(expr__field_help__listed),
		cmocka_unit_test_setup_teardown(expr__registry__every_listed_field_compiles, setup,
						teardown),
		cmocka_unit_test_setup_teardown(expr__column__every_kind_as_the_filter_reads_it,
						setup, teardown),
		cmocka_unit_test(expr__column__unknown_and_bad_names),
		cmocka_unit_test_setup_teardown(expr__known_names__match_the_field_table,
						setup, teardown),
	};

	return cmocka_run_group_tests_name("expr", tests, NULL, NULL);
}
