/* test_output.c - unit tests for lib/output.c. */
#define _XOPEN_SOURCE 700 /* posix_openpt, for the terminal default */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "io/output.h"

/* Output captured in memory. */
struct capture {
	FILE *fp;
	char *data;
	size_t len;
};

static void capture_open(struct capture *c)
{
	c->data = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->data, &c->len);
	assert_non_null(c->fp);
}

/* Closes the stream; c->data then holds everything written. */
static void capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->fp), 0);
	c->fp = NULL;
}

/* Writes ncols columns named names and nrows rows from cells (row-major)
 * in format fmt; numeric is a string of '0' and '1', one per column, or
 * NULL. Returns what was written (free() it). */
static char *render(enum crm_format fmt, int header, int safe, size_t ncols,
		    const char *const *names, const char *numeric,
		    size_t nrows, const char *const *cells)
{
	struct crm_out_opts opts = { fmt, header, safe };
	struct crm_err e = { 0, "" };
	struct capture c;
	struct crm_out *o;

	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	assert_non_null(o);
	crm_out_columns(o, ncols, names);
	for (size_t i = 0; numeric != NULL && numeric[i] != '\0'; i++)
		if (numeric[i] == '1')
			crm_out_numeric(o, i);
	for (size_t r = 0; r < nrows; r++)
		crm_out_row(o, cells + r * ncols);
	assert_int_equal(crm_out_close(o, &e), 0);
	assert_int_equal(e.code, 0);
	capture_close(&c);
	return c.data;
}

static void assert_render(const char *want, enum crm_format fmt, int header,
			  int safe, size_t ncols, const char *const *names,
			  const char *numeric, size_t nrows,
			  const char *const *cells)
{
	char *got = render(fmt, header, safe, ncols, names, numeric, nrows,
			   cells);

	assert_string_equal(got, want);
	free(got);
}

/* crm_json_put_string over s[0..n), returned as a malloc'd string. */
static char *json_string(const char *s, size_t n)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_json_put_string(&b, s, n);
	return crm_buf_detach(&b);
}

static void assert_json_string(const char *s, size_t n, const char *want)
{
	char *got = json_string(s, n);

	assert_string_equal(got, want);
	free(got);
}

/* A string of n copies of c (free() it). */
static char *repeat(const char *unit, size_t n)
{
	struct crm_buf b = CRM_BUF_INIT;

	for (size_t i = 0; i < n; i++)
		crm_buf_adds(&b, unit);
	return crm_buf_detach(&b);
}

static const char *const names3[] = { "id", "name", "email" };

/* ---- crm_format_parse ---- */

static void output__format_parse_known__sets_format(void **state)
{
	enum crm_format f = CRM_FMT_DEFAULT;

	(void)state;
	assert_int_equal(crm_format_parse("tsv", &f), 0);
	assert_int_equal(f, CRM_FMT_TSV);
	assert_int_equal(crm_format_parse("csv", &f), 0);
	assert_int_equal(f, CRM_FMT_CSV);
	assert_int_equal(crm_format_parse("jsonl", &f), 0);
	assert_int_equal(f, CRM_FMT_JSONL);
	assert_int_equal(crm_format_parse("table", &f), 0);
	assert_int_equal(f, CRM_FMT_TABLE);
}

static void output__format_parse_unknown__returns_minus_one(void **state)
{
	enum crm_format f = CRM_FMT_CSV;

	(void)state;
	assert_int_equal(crm_format_parse("json", &f), -1);
	assert_int_equal(crm_format_parse("TSV", &f), -1);
	assert_int_equal(crm_format_parse("", &f), -1);
	assert_int_equal(crm_format_parse("tsv ", &f), -1);
	assert_int_equal(crm_format_parse("default", &f), -1);
	assert_int_equal(crm_format_parse(NULL, &f), -1);
	assert_int_equal(f, CRM_FMT_CSV);
}

/* ---- the default format ---- */

static void output__default_not_a_terminal__resolves_to_tsv(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_DEFAULT, 1, 0 };
	struct crm_err e = { 0, "" };
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	assert_int_equal(crm_out_format(o), CRM_FMT_TSV);
	crm_out_columns(o, 2, (const char *[]){ "a", "b" });
	crm_out_row(o, (const char *[]){ "1", "2" });
	assert_int_equal(crm_out_close(o, &e), 0);
	capture_close(&c);
	assert_string_equal(c.data, "a\tb\n1\t2\n");
	free(c.data);
}

static void output__default_terminal__resolves_to_table(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_DEFAULT, 1, 0 };
	struct crm_err e = { 0, "" };
	struct crm_out *o;
	const char *name;
	FILE *fp;
	int master, slave;

	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (name = ptsname(master)) == NULL) {
		if (master >= 0)
			close(master);
		skip();
	}
	slave = open(name, O_WRONLY | O_NOCTTY);
	assert_true(slave >= 0);
	fp = fdopen(slave, "w");
	assert_non_null(fp);
	o = crm_out_open(fp, &opts);
	assert_int_equal(crm_out_format(o), CRM_FMT_TABLE);
	assert_int_equal(crm_out_close(o, &e), 0);
	fclose(fp);
	close(master);
}

static void output__null_opts__tsv_with_header(void **state)
{
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, NULL);
	assert_int_equal(crm_out_format(o), CRM_FMT_TSV);
	crm_out_columns(o, 1, (const char *[]){ "id" });
	crm_out_row(o, (const char *[]){ "=1" });
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	assert_string_equal(c.data, "id\n=1\n");
	free(c.data);
}

static void output__explicit_format__kept(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_CSV, 1, 0 };
	struct crm_out *o = crm_out_open(stdout, &opts);

	(void)state;
	assert_int_equal(crm_out_format(o), CRM_FMT_CSV);
	assert_int_equal(crm_out_close(o, NULL), 0);
}

/* ---- tsv ---- */

static void output__tsv_rows__header_then_tab_separated_lines(void **state)
{
	const char *const cells[] = {
		"1", "Ann Lee", "ann@example.com",
		"2", "Bo", "bo@example.org",
	};

	(void)state;
	assert_render("id\tname\temail\n"
		      "1\tAnn Lee\tann@example.com\n"
		      "2\tBo\tbo@example.org\n",
		      CRM_FMT_TSV, 1, 0, 3, names3, NULL, 2, cells);
}

static void output__tsv_no_header__rows_only(void **state)
{
	const char *const cells[] = { "1", "Ann", "a@x" };

	(void)state;
	assert_render("1\tAnn\ta@x\n", CRM_FMT_TSV, 0, 0, 3, names3, NULL, 1,
		      cells);
}

static void output__tsv_null_value__empty_cell(void **state)
{
	const char *const cells[] = { "1", NULL, NULL };

	(void)state;
	assert_render("1\t\t\n", CRM_FMT_TSV, 0, 0, 3, names3, NULL, 1, cells);
}

static void output__tsv_special_chars__escaped(void **state)
{
	const char *const cells[] = { "a\tb", "line1\nline2\r", "c:\\dir" };

	(void)state;
	assert_render("a\\tb\tline1\\nline2\\r\tc:\\\\dir\n", CRM_FMT_TSV, 0,
		      0, 3, names3, NULL, 1, cells);
}

static void output__tsv_safe_formula__guarded(void **state)
{
	const char *const cells[] = { "=SUM(A1:A9)", "@cmd", "-12.50" };

	(void)state;
	assert_render("'=SUM(A1:A9)\t'@cmd\t-12.50\n", CRM_FMT_TSV, 0, 1, 3,
		      names3, NULL, 1, cells);
	assert_render("=SUM(A1:A9)\t@cmd\t-12.50\n", CRM_FMT_TSV, 0, 0, 3,
		      names3, NULL, 1, cells);
}

static void output__tsv_empty_result__header_only(void **state)
{
	(void)state;
	assert_render("id\tname\temail\n", CRM_FMT_TSV, 1, 0, 3, names3, NULL,
		      0, NULL);
	assert_render("", CRM_FMT_TSV, 0, 0, 3, names3, NULL, 0, NULL);
}

static void output__tsv_row__written_before_close(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 1, (const char *[]){ "id" });
	crm_out_row(o, (const char *[]){ "7" });
	fflush(c.fp);
	assert_int_equal(c.len, 5);
	assert_memory_equal(c.data, "id\n7\n", 5);
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	free(c.data);
}

static void output__tsv_many_rows__all_written_in_order(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 0, 0 };
	struct crm_buf want = CRM_BUF_INIT;
	struct capture c;
	struct crm_out *o;
	char num[32];

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 2, (const char *[]){ "n", "sq" });
	for (int i = 0; i < 10000; i++) {
		char sq[32];

		snprintf(num, sizeof(num), "%d", i);
		snprintf(sq, sizeof(sq), "%ld", (long)i * i);
		crm_out_row(o, (const char *[]){ num, sq });
		crm_buf_addf(&want, "%s\t%s\n", num, sq);
	}
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	assert_int_equal(c.len, want.len);
	assert_memory_equal(c.data, want.data, want.len);
	free(c.data);
	crm_buf_free(&want);
}

/* ---- csv ---- */

static void output__csv_rows__header_and_minimal_quoting(void **state)
{
	const char *const cells[] = {
		"1", "Lee, Ann", "ann@example.com",
		"2", "Bo \"B\"", NULL,
		"3", "two\nlines", "plain",
	};

	(void)state;
	assert_render("id,name,email\n"
		      "1,\"Lee, Ann\",ann@example.com\n"
		      "2,\"Bo \"\"B\"\"\",\n"
		      "3,\"two\nlines\",plain\n",
		      CRM_FMT_CSV, 1, 0, 3, names3, NULL, 3, cells);
}

static void output__csv_safe_formula__guarded(void **state)
{
	const char *const cells[] = { "+1+2", "=HYPERLINK(x)", "42" };

	(void)state;
	assert_render("'+1+2,'=HYPERLINK(x),42\n", CRM_FMT_CSV, 0, 1, 3,
		      names3, NULL, 1, cells);
}

static void output__csv_one_empty_column__quoted_not_blank_line(void **state)
{
	const char *const cells[] = { "", NULL, "x" };

	(void)state;
	assert_render("n\n\"\"\n\"\"\nx\n", CRM_FMT_CSV, 1, 0, 1,
		      (const char *[]){ "n" }, NULL, 3, cells);
	assert_render(",\n", CRM_FMT_CSV, 0, 0, 2,
		      (const char *[]){ "a", "b" }, NULL, 1,
		      (const char *[]){ "", NULL });
}

static void output__csv_empty_result__header_only(void **state)
{
	(void)state;
	assert_render("id,name,email\n", CRM_FMT_CSV, 1, 0, 3, names3, NULL, 0,
		      NULL);
}

/* ---- jsonl ---- */

static void output__jsonl_rows__one_object_per_line(void **state)
{
	const char *const cells[] = {
		"1", "Ann", "ann@example.com",
		"2", "Bo", "bo@example.org",
	};

	(void)state;
	assert_render("{\"id\":1,\"name\":\"Ann\",\"email\":\"ann@example.com\"}\n"
		      "{\"id\":2,\"name\":\"Bo\",\"email\":\"bo@example.org\"}\n",
		      CRM_FMT_JSONL, 1, 0, 3, names3, "100", 2, cells);
}

static void output__jsonl_null__written_as_null(void **state)
{
	const char *const cells[] = { NULL, NULL, "" };

	(void)state;
	assert_render("{\"id\":null,\"name\":null,\"email\":\"\"}\n",
		      CRM_FMT_JSONL, 1, 0, 3, names3, "100", 1, cells);
}

static void output__jsonl_header_option__ignored(void **state)
{
	const char *const cells[] = { "1", "A", "a@x" };

	(void)state;
	assert_render("{\"id\":\"1\",\"name\":\"A\",\"email\":\"a@x\"}\n",
		      CRM_FMT_JSONL, 0, 0, 3, names3, NULL, 1, cells);
	assert_render("", CRM_FMT_JSONL, 1, 0, 3, names3, NULL, 0, NULL);
}

static void output__jsonl_valid_numbers__written_bare(void **state)
{
	static const char *const good[] = {
		"0", "-0", "7", "42", "-12.50", "3.14159", "1e10", "1E+2",
		"-1.5e-3", "0.0", "123456789012345678901234567890",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct crm_buf want = CRM_BUF_INIT;
		const char *const cells[] = { good[i] };

		crm_buf_addf(&want, "{\"n\":%s}\n", good[i]);
		assert_render(crm_buf_str(&want), CRM_FMT_JSONL, 1, 0, 1,
			      (const char *[]){ "n" }, "1", 1, cells);
		crm_buf_free(&want);
	}
}

static void output__jsonl_invalid_numbers__written_as_strings(void **state)
{
	static const char *const bad[] = {
		"", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "1.e5",
		"0x10", "NaN", "Infinity", " 1", "1 ", "1,5", "12abc", "--1",
		"1e5.5", "١٢",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct crm_buf want = CRM_BUF_INIT;
		const char *const cells[] = { bad[i] };

		crm_buf_addf(&want, "{\"n\":\"%s\"}\n", bad[i]);
		assert_render(crm_buf_str(&want), CRM_FMT_JSONL, 1, 0, 1,
			      (const char *[]){ "n" }, "1", 1, cells);
		crm_buf_free(&want);
	}
}

static void output__jsonl_number_in_text_column__written_as_string(void **state)
{
	const char *const cells[] = { "42", "42", "42" };

	(void)state;
	assert_render("{\"id\":42,\"name\":\"42\",\"email\":\"42\"}\n",
		      CRM_FMT_JSONL, 1, 0, 3, names3, "100", 1, cells);
}

static void output__jsonl_key_and_value__escaped(void **state)
{
	const char *const names[] = { "a\"b", "tab\tkey" };
	const char *const cells[] = { "say \"hi\"\n", "back\\slash" };

	(void)state;
	assert_render("{\"a\\\"b\":\"say \\\"hi\\\"\\n\","
		      "\"tab\\tkey\":\"back\\\\slash\"}\n",
		      CRM_FMT_JSONL, 1, 0, 2, names, NULL, 1, cells);
}

static void output__jsonl_invalid_utf8__replaced(void **state)
{
	const char *const cells[] = { "caf\xe9" };

	(void)state;
	assert_render("{\"n\":\"caf\xef\xbf\xbd\"}\n", CRM_FMT_JSONL, 1, 0, 1,
		      (const char *[]){ "n" }, NULL, 1, cells);
}

static void output__jsonl_safe_option__no_effect(void **state)
{
	const char *const cells[] = { "=1+1" };

	(void)state;
	assert_render("{\"n\":\"=1+1\"}\n", CRM_FMT_JSONL, 1, 1, 1,
		      (const char *[]){ "n" }, NULL, 1, cells);
}

/* ---- crm_json_put_string ---- */

static void output__json_string_plain__quoted(void **state)
{
	(void)state;
	assert_json_string("", 0, "\"\"");
	assert_json_string("hello world", 11, "\"hello world\"");
	assert_json_string("a/b", 3, "\"a/b\"");
	assert_json_string("abcdef", 3, "\"abc\"");
}

static void output__json_string_specials__escaped(void **state)
{
	(void)state;
	assert_json_string("\"", 1, "\"\\\"\"");
	assert_json_string("\\", 1, "\"\\\\\"");
	assert_json_string("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
}

static void output__json_string_control_chars__u00xx(void **state)
{
	(void)state;
	assert_json_string("\x01", 1, "\"\\u0001\"");
	assert_json_string("\x1f", 1, "\"\\u001f\"");
	assert_json_string("\x0b", 1, "\"\\u000b\"");
	assert_json_string("a\0b", 3, "\"a\\u0000b\"");
	assert_json_string("\x7f", 1, "\"\x7f\""); /* DEL is legal in JSON */
}

static void output__json_string_valid_utf8__passed_through(void **state)
{
	(void)state;
	assert_json_string("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	assert_json_string("\xe4\xb8\xad\xe6\x96\x87", 6,
			   "\"\xe4\xb8\xad\xe6\x96\x87\"");
	assert_json_string("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	assert_json_string("\xe2\x80\xa8", 3, "\"\xe2\x80\xa8\"");
	assert_json_string("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");
}

static void output__json_string_invalid_utf8__each_bad_byte_replaced(void **state)
{
	(void)state;
	/* lone bytes */
	assert_json_string("\xff", 1, "\"\xef\xbf\xbd\"");
	assert_json_string("a\x80z", 3, "\"a\xef\xbf\xbdz\"");
	/* truncated at the end of the input */
	assert_json_string("\xe2\x82", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	/* truncated by n, although the bytes after n would complete it */
	assert_json_string("\xe2\x82\xac", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	/* overlong "/" */
	assert_json_string("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	/* surrogate U+D800 */
	assert_json_string("\xed\xa0\x80", 3,
			   "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	/* bad continuation: the ASCII byte after it survives */
	assert_json_string("\xe2(x", 3, "\"\xef\xbf\xbd(x\"");
}

static void output__json_string_appends__keeps_earlier_content(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_adds(&b, "[");
	crm_json_put_string(&b, "x", 1);
	crm_buf_adds(&b, ",");
	crm_json_put_string(&b, "y", 1);
	crm_buf_adds(&b, "]");
	assert_string_equal(crm_buf_str(&b), "[\"x\",\"y\"]");
	crm_buf_free(&b);
}

/* ---- table ---- */

static void output__table_rows__aligned_with_two_spaces(void **state)
{
	const char *const cells[] = {
		"1", "Ann Lee", "ann@example.com",
		"22", "Bo", "bo@x.org",
	};

	(void)state;
	assert_render("id  name     email\n"
		      "1   Ann Lee  ann@example.com\n"
		      "22  Bo       bo@x.org\n",
		      CRM_FMT_TABLE, 1, 0, 3, names3, NULL, 2, cells);
}

static void output__table_numeric_column__right_aligned(void **state)
{
	const char *const names[] = { "id", "name", "amount" };
	const char *const cells[] = {
		"1", "Ann", "12.50",
		"100", "Bo", "3.00",
	};

	(void)state;
	assert_render(" id  name  amount\n"
		      "  1  Ann    12.50\n"
		      "100  Bo      3.00\n",
		      CRM_FMT_TABLE, 1, 0, 3, names, "101", 2, cells);
}

static void output__table_short_last_cells__no_trailing_spaces(void **state)
{
	const char *const cells[] = {
		"1", "", "",
		"2", "Bartholomew", NULL,
		"3", NULL, "x",
	};

	(void)state;
	assert_render("id  name         email\n"
		      "1\n"
		      "2   Bartholomew\n"
		      "3                x\n",
		      CRM_FMT_TABLE, 1, 0, 3, names3, NULL, 3, cells);
}

static void output__table_no_header__rows_only(void **state)
{
	const char *const cells[] = { "1", "Ann", "a@x", "2", "Bo", "b@x" };

	(void)state;
	assert_render("1  Ann  a@x\n"
		      "2  Bo   b@x\n",
		      CRM_FMT_TABLE, 0, 0, 3, names3, NULL, 2, cells);
}

static void output__table_empty_result__header_only(void **state)
{
	(void)state;
	assert_render("id  name  email\n", CRM_FMT_TABLE, 1, 0, 3, names3,
		      NULL, 0, NULL);
	assert_render("", CRM_FMT_TABLE, 0, 0, 3, names3, NULL, 0, NULL);
}

static void output__table_control_chars__escaped(void **state)
{
	const char *const cells[] = { "a\nb", "t\tr\r", "\x1b[31mred\x7f" };

	(void)state;
	assert_render("id    name    email\n"
		      "a\\nb  t\\tr\\r  \\x1b[31mred\\x7f\n",
		      CRM_FMT_TABLE, 1, 0, 3, names3, NULL, 1, cells);
}

static void output__table_c1_and_invalid_bytes__escaped(void **state)
{
	/* U+009B (CSI) is a terminal control too; a lone 0xff is not UTF-8 */
	const char *const cells[] = { "\xc2\x9b" "1m", "a\xff" "b" };

	(void)state;
	assert_render("\\xc2\\x9b1m  a\\xffb\n", CRM_FMT_TABLE, 0, 0, 2,
		      (const char *[]){ "x", "y" }, NULL, 1, cells);
}

static void output__table_wide_and_combining__aligned_by_width(void **state)
{
	const char *const names[] = { "name", "city" };
	const char *const cells[] = {
		"\xe5\xbc\xa0\xe4\xbc\x9f", "x",       /* 2 wide: 4 cols */
		"Jose\xcc\x81", "y",                   /* e + U+0301: 4 cols */
		"\xf0\x9f\x98\x80", "z",               /* emoji: 2 cols */
		"Zo\xc3\xab", "w",                     /* precomposed: 3 cols */
	};

	(void)state;
	assert_render("name  city\n"
		      "\xe5\xbc\xa0\xe4\xbc\x9f  x\n"
		      "Jose\xcc\x81  y\n"
		      "\xf0\x9f\x98\x80    z\n"
		      "Zo\xc3\xab   w\n",
		      CRM_FMT_TABLE, 1, 0, 2, names, NULL, 4, cells);
}

static void output__table_60_columns__not_cut(void **state)
{
	char *cell = repeat("a", 60);
	struct crm_buf want = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&want, "%s\n", cell);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 0, 0, 1,
		      (const char *[]){ "x" }, NULL, 1,
		      (const char *[]){ cell });
	crm_buf_free(&want);
	free(cell);
}

static void output__table_61_columns__cut_to_57_and_dots(void **state)
{
	char *cell = repeat("a", 61);
	char *kept = repeat("a", 57);
	struct crm_buf want = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&want, "%s...  1\n", kept);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 0, 0, 2,
		      (const char *[]){ "x", "y" }, NULL, 1,
		      (const char *[]){ cell, "1" });
	crm_buf_free(&want);
	free(kept);
	free(cell);
}

static void output__table_long_wide_cell__cut_between_characters(void **state)
{
	/* 40 CJK characters are 80 columns; 57 columns hold 28 of them */
	char *cell = repeat("\xe4\xb8\xad", 40);
	char *kept = repeat("\xe4\xb8\xad", 28);
	struct crm_buf want = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&want, "%s...  |\n", kept);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 0, 0, 2,
		      (const char *[]){ "x", "y" }, NULL, 1,
		      (const char *[]){ cell, "|" });
	crm_buf_free(&want);
	free(kept);
	free(cell);
}

static void output__table_long_cell_with_escape__escape_not_split(void **state)
{
	/* 55 letters, then a tab shown as \t (cols 56-57), then more: fits */
	char *a55 = repeat("a", 55);
	char *a56 = repeat("a", 56);
	struct crm_buf in = CRM_BUF_INIT, want = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&in, "%s\tbbbbbbbbbb", a55);
	crm_buf_addf(&want, "%s\\t...\n", a55);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 0, 0, 1,
		      (const char *[]){ "x" }, NULL, 1,
		      (const char *[]){ crm_buf_str(&in) });

	/* one letter more: \t would need cols 57-58, so it goes whole */
	crm_buf_reset(&in);
	crm_buf_reset(&want);
	crm_buf_addf(&in, "%s\tbbbbbbbbbb", a56);
	crm_buf_addf(&want, "%s...\n", a56);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 0, 0, 1,
		      (const char *[]){ "x" }, NULL, 1,
		      (const char *[]){ crm_buf_str(&in) });
	crm_buf_free(&in);
	crm_buf_free(&want);
	free(a55);
	free(a56);
}

static void output__table_long_header__cut_too(void **state)
{
	char *name = repeat("n", 70);
	char *kept = repeat("n", 57);
	struct crm_buf want = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&want, "%s...\nv\n", kept);
	assert_render(crm_buf_str(&want), CRM_FMT_TABLE, 1, 0, 1,
		      (const char *[]){ name }, NULL, 1,
		      (const char *[]){ "v" });
	crm_buf_free(&want);
	free(kept);
	free(name);
}

static void output__table_row__not_written_before_close(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TABLE, 1, 0 };
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 1, (const char *[]){ "id" });
	crm_out_row(o, (const char *[]){ "7" });
	fflush(c.fp);
	assert_int_equal(c.len, 0);
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	assert_string_equal(c.data, "id\n7\n");
	free(c.data);
}

static void output__table_values_copied__caller_may_reuse(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TABLE, 0, 0 };
	struct capture c;
	struct crm_out *o;
	char val[16];
	char name[8] = "col";

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 1, (const char *[]){ name });
	memcpy(name, "XXX", 4);
	for (int i = 0; i < 3; i++) {
		snprintf(val, sizeof(val), "v%d", i);
		crm_out_row(o, (const char *[]){ val });
	}
	memcpy(val, "gone", 5);
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	assert_string_equal(c.data, "v0\nv1\nv2\n");
	free(c.data);
}

static void output__table_safe_option__no_effect(void **state)
{
	(void)state;
	assert_render("=1+1\n", CRM_FMT_TABLE, 0, 1, 1,
		      (const char *[]){ "n" }, NULL, 1,
		      (const char *[]){ "=1+1" });
}

static void output__table_many_rows__all_aligned(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TABLE, 1, 0 };
	struct crm_buf want = CRM_BUF_INIT;
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 2, (const char *[]){ "n", "label" });
	crm_out_numeric(o, 0);
	crm_buf_adds(&want, "  n  label\n");
	for (int i = 0; i < 1000; i++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", i);
		crm_out_row(o, (const char *[]){ num, i % 2 ? "odd" : "even" });
		crm_buf_addf(&want, "%3d  %s\n", i, i % 2 ? "odd" : "even");
	}
	assert_int_equal(crm_out_close(o, NULL), 0);
	capture_close(&c);
	assert_string_equal(c.data, crm_buf_str(&want));
	free(c.data);
	crm_buf_free(&want);
}

/* ---- crm_out_close and write errors ---- */

static void close_on_dev_full(enum crm_format fmt, int nrows)
{
	struct crm_out_opts opts = { fmt, 1, 0 };
	struct crm_err e = { 0, "" };
	struct crm_out *o;
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	o = crm_out_open(fp, &opts);
	crm_out_columns(o, 2, (const char *[]){ "id", "name" });
	for (int i = 0; i < nrows; i++)
		crm_out_row(o, (const char *[]){ "1", "a name long enough" });
	assert_int_equal(crm_out_close(o, &e), CRM_EX_IOERR);
	assert_int_equal(e.code, CRM_EX_IOERR);
	assert_string_equal(e.msg, "write error: No space left on device");
	fclose(fp);
}

static void output__close_dev_full_tsv__ioerr(void **state)
{
	(void)state;
	close_on_dev_full(CRM_FMT_TSV, 1);
}

static void output__close_dev_full_many_rows__ioerr(void **state)
{
	(void)state;
	close_on_dev_full(CRM_FMT_CSV, 100000);
}

static void output__close_dev_full_jsonl__ioerr(void **state)
{
	(void)state;
	close_on_dev_full(CRM_FMT_JSONL, 3);
}

static void output__close_dev_full_table__ioerr(void **state)
{
	(void)state;
	close_on_dev_full(CRM_FMT_TABLE, 3);
}

static void output__close_dev_full_header_only__ioerr(void **state)
{
	(void)state;
	close_on_dev_full(CRM_FMT_TABLE, 0);
}

static void output__close_read_only_stream__ioerr(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct crm_err e = { 0, "" };
	struct crm_out *o;
	FILE *fp = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(fp);
	o = crm_out_open(fp, &opts);
	crm_out_columns(o, 1, (const char *[]){ "id" });
	crm_out_row(o, (const char *[]){ "1" });
	assert_int_equal(crm_out_close(o, &e), CRM_EX_IOERR);
	assert_int_equal(strncmp(e.msg, "write error: ", 13), 0);
	fclose(fp);
}

static void output__close_ok__returns_zero_and_leaves_err(void **state)
{
	struct crm_out_opts opts = { CRM_FMT_CSV, 1, 0 };
	struct crm_err e = { 0, "untouched" };
	struct capture c;
	struct crm_out *o;

	(void)state;
	capture_open(&c);
	o = crm_out_open(c.fp, &opts);
	crm_out_columns(o, 1, (const char *[]){ "id" });
	assert_int_equal(crm_out_close(o, &e), 0);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.msg, "untouched");
	capture_close(&c);
	free(c.data);
}

static void output__close_without_columns__writes_nothing(void **state)
{
	static const enum crm_format fmts[] = {
		CRM_FMT_TSV, CRM_FMT_CSV, CRM_FMT_JSONL, CRM_FMT_TABLE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct crm_out_opts opts = { fmts[i], 1, 0 };
		struct capture c;

		capture_open(&c);
		assert_int_equal(crm_out_close(crm_out_open(c.fp, &opts),
					       NULL), 0);
		capture_close(&c);
		assert_int_equal(c.len, 0);
		free(c.data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output__format_parse_known__sets_format),
		cmocka_unit_test(output__format_parse_unknown__returns_minus_one),
		cmocka_unit_test(output__default_not_a_terminal__resolves_to_tsv),
		cmocka_unit_test(output__default_terminal__resolves_to_table),
		cmocka_unit_test(output__null_opts__tsv_with_header),
		cmocka_unit_test(output__explicit_format__kept),
		cmocka_unit_test(output__tsv_rows__header_then_tab_separated_lines),
		cmocka_unit_test(output__tsv_no_header__rows_only),
		cmocka_unit_test(output__tsv_null_value__empty_cell),
		cmocka_unit_test(output__tsv_special_chars__escaped),
		cmocka_unit_test(output__tsv_safe_formula__guarded),
		cmocka_unit_test(output__tsv_empty_result__header_only),
		cmocka_unit_test(output__tsv_row__written_before_close),
		cmocka_unit_test(output__tsv_many_rows__all_written_in_order),
		cmocka_unit_test(output__csv_rows__header_and_minimal_quoting),
		cmocka_unit_test(output__csv_safe_formula__guarded),
		cmocka_unit_test(output__csv_one_empty_column__quoted_not_blank_line),
		cmocka_unit_test(output__csv_empty_result__header_only),
		cmocka_unit_test(output__jsonl_rows__one_object_per_line),
		cmocka_unit_test(output__jsonl_null__written_as_null),
		cmocka_unit_test(output__jsonl_header_option__ignored),
		cmocka_unit_test(output__jsonl_valid_numbers__written_bare),
		cmocka_unit_test(output__jsonl_invalid_numbers__written_as_strings),
		cmocka_unit_test(output__jsonl_number_in_text_column__written_as_string),
		cmocka_unit_test(output__jsonl_key_and_value__escaped),
		cmocka_unit_test(output__jsonl_invalid_utf8__replaced),
		cmocka_unit_test(output__jsonl_safe_option__no_effect),
		cmocka_unit_test(output__json_string_plain__quoted),
		cmocka_unit_test(output__json_string_specials__escaped),
		cmocka_unit_test(output__json_string_control_chars__u00xx),
		cmocka_unit_test(output__json_string_valid_utf8__passed_through),
		cmocka_unit_test(output__json_string_invalid_utf8__each_bad_byte_replaced),
		cmocka_unit_test(output__json_string_appends__keeps_earlier_content),
		cmocka_unit_test(output__table_rows__aligned_with_two_spaces),
		cmocka_unit_test(output__table_numeric_column__right_aligned),
		cmocka_unit_test(output__table_short_last_cells__no_trailing_spaces),
		cmocka_unit_test(output__table_no_header__rows_only),
		cmocka_unit_test(output__table_empty_result__header_only),
		cmocka_unit_test(output__table_control_chars__escaped),
		cmocka_unit_test(output__table_c1_and_invalid_bytes__escaped),
		cmocka_unit_test(output__table_wide_and_combining__aligned_by_width),
		cmocka_unit_test(output__table_60_columns__not_cut),
		cmocka_unit_test(output__table_61_columns__cut_to_57_and_dots),
		cmocka_unit_test(output__table_long_wide_cell__cut_between_characters),
		cmocka_unit_test(output__table_long_cell_with_escape__escape_not_split),
		cmocka_unit_test(output__table_long_header__cut_too),
		cmocka_unit_test(output__table_row__not_written_before_close),
		cmocka_unit_test(output__table_values_copied__caller_may_reuse),
		cmocka_unit_test(output__table_safe_option__no_effect),
		cmocka_unit_test(output__table_many_rows__all_aligned),
		cmocka_unit_test(output__close_dev_full_tsv__ioerr),
		cmocka_unit_test(output__close_dev_full_many_rows__ioerr),
		cmocka_unit_test(output__close_dev_full_jsonl__ioerr),
		cmocka_unit_test(output__close_dev_full_table__ioerr),
		cmocka_unit_test(output__close_dev_full_header_only__ioerr),
		cmocka_unit_test(output__close_read_only_stream__ioerr),
		cmocka_unit_test(output__close_ok__returns_zero_and_leaves_err),
		cmocka_unit_test(output__close_without_columns__writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
