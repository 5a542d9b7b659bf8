/* test_csvio.c - unit tests for lib/csvio.c. */
#define _GNU_SOURCE /* fopencookie */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "io/csvio.h"
#include "base/err.h"

#define END ((const char *)NULL)

/* A reader over a copy of a string. */
struct rd {
	char *buf;
	FILE *fp;
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	struct crm_err e;
};

static void rd_open(struct rd *rd, const char *s, size_t n,
		    enum crm_csv_format f, size_t max)
{
	memset(rd, 0, sizeof(*rd));
	rd->buf = malloc(n > 0 ? n : 1);
	assert_non_null(rd->buf);
	memcpy(rd->buf, s, n);
	if (n > 0)
		rd->fp = fmemopen(rd->buf, n, "r");
	else
		rd->fp = fopen("/dev/null", "r");
	assert_non_null(rd->fp);
	rd->r = crm_csv_open(rd->fp, "test.csv", f, max);
	assert_non_null(rd->r);
}

/* For string literals, which may hold NUL bytes. */
#define RD_OPEN(rd, lit, f) rd_open((rd), (lit), sizeof(lit) - 1, (f), 0)
#define RD_OPEN_MAX(rd, lit, f, max) \
	rd_open((rd), (lit), sizeof(lit) - 1, (f), (max))

static void rd_close(struct rd *rd)
{
	crm_csv_close(rd->r);
	fclose(rd->fp);
	free(rd->buf);
}

static int rd_next(struct rd *rd)
{
	return crm_csv_next(rd->r, &rd->row, &rd->e);
}

static void check_fields(const struct crm_csv_row *row, va_list ap)
{
	const char *want;
	size_t i = 0;

	while ((want = va_arg(ap, const char *)) != NULL) {
		size_t n = strlen(want);

		if (i >= row->nfields)
			fail_msg("line %lu: %zu fields, wanted more", row->line,
				 row->nfields);
		if (row->lens[i] != n || memcmp(row->fields[i], want, n) != 0)
			fail_msg("line %lu field %zu: \"%.*s\", wanted \"%s\"",
				 row->line, i + 1, (int)row->lens[i],
				 row->fields[i], want);
		assert_int_equal(row->fields[i][n], '\0');
		i++;
	}
	assert_int_equal(row->nfields, i);
}

/* The next record is good, starts on line and holds the fields given
 * (a NULL-terminated list). */
static void expect_row(struct rd *rd, unsigned long line, ...)
{
	va_list ap;

	assert_int_equal(rd_next(rd), 1);
	if (rd->row.error != NULL)
		fail_msg("line %lu: unexpected error \"%s\"", rd->row.line,
			 rd->row.error);
	assert_int_equal(rd->row.line, line);
	va_start(ap, line);
	check_fields(&rd->row, ap);
	va_end(ap);
}

/* The next record is bad, with this reason; then the fields read. */
static void expect_bad(struct rd *rd, unsigned long line, const char *error,
		       ...)
{
	va_list ap;

	assert_int_equal(rd_next(rd), 1);
	assert_non_null(rd->row.error);
	assert_string_equal(rd->row.error, error);
	assert_int_equal(rd->row.line, line);
	va_start(ap, error);
	check_fields(&rd->row, ap);
	va_end(ap);
}

static void expect_eof(struct rd *rd)
{
	assert_int_equal(rd_next(rd), 0);
	assert_int_equal(rd_next(rd), 0);
}

/* Reading CSV. */

static void csvio__plain_rows__fields_split(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "id,name,email\n1,Ann,ann@example.org\n2,Bob,\n",
		CRM_CSV_COMMA);
	expect_row(&rd, 1, "id", "name", "email", END);
	expect_row(&rd, 2, "1", "Ann", "ann@example.org", END);
	expect_row(&rd, 3, "2", "Bob", "", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__empty_fields__kept(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, ",,\n\"\"\na,\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "", "", "", END);
	expect_row(&rd, 2, "", END);
	expect_row(&rd, 3, "a", "", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__quoted_comma_quote__unescaped(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a,b", "say \"hi\"", "\"", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__quoted_newline__one_field_line_counted(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "1,\"two\nlines\"\n2,x\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "1", "two\nlines", END);
	expect_row(&rd, 3, "2", "x", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__line_numbers__across_multiline_fields(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "h\n\"a\nb\nc\"\n\nd\n\"e\r\nf\",g\r\n\"\n\",\"\n\"\nlast",
		CRM_CSV_COMMA);
	expect_row(&rd, 1, "h", END);
	expect_row(&rd, 2, "a\nb\nc", END);
	expect_row(&rd, 6, "d", END);
	expect_row(&rd, 7, "e\r\nf", "g", END);
	expect_row(&rd, 9, "\n", "\n", END);
	expect_row(&rd, 12, "last", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__crlf__cr_not_in_last_field(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a,b\r\n1,2\r\n\"q\"\r\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a", "b", END);
	expect_row(&rd, 2, "1", "2", END);
	expect_row(&rd, 3, "q", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__quoted_crlf__cr_kept(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\"x\r\ny\r\",\"\r\"\r\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "x\r\ny\r", "\r", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__bare_cr__ends_record(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a,b\rc,d\re", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a", "b", END);
	expect_row(&rd, 1, "c", "d", END);
	expect_row(&rd, 1, "e", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__bom_crlf__bom_dropped(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\xEF\xBB\xBFid,name\r\n1,Ann\r\n", CRM_CSV_AUTO);
	expect_row(&rd, 1, "id", "name", END);
	expect_row(&rd, 2, "1", "Ann", END);
	expect_eof(&rd);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_COMMA);
	rd_close(&rd);

	/* Only at the very start: later it is data. */
	RD_OPEN(&rd, "\xEF\xBB\xBF\xEF\xBB\xBFx\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "\xEF\xBB\xBFx", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__blank_lines__skipped(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\n\r\na\n\n\n\r\nb\n\n", CRM_CSV_COMMA);
	expect_row(&rd, 3, "a", END);
	expect_row(&rd, 7, "b", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__last_line_without_newline__is_record(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a,b\nc,\"d\"", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a", "b", END);
	expect_row(&rd, 2, "c", "d", END);
	expect_eof(&rd);
	rd_close(&rd);

	RD_OPEN(&rd, "a,", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a", "", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__empty_file__eof(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "", CRM_CSV_AUTO);
	expect_eof(&rd);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_COMMA);
	assert_int_equal(crm_csv_offset(rd.r), 0);
	rd_close(&rd);

	RD_OPEN(&rd, "\xEF\xBB\xBF\r\n\n", CRM_CSV_AUTO);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__header_only__one_row(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "id,email\n", CRM_CSV_AUTO);
	expect_row(&rd, 1, "id", "email", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__spaces__preserved(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, " a , b ,\t\n\" q \"\n   \n", CRM_CSV_COMMA);
	expect_row(&rd, 1, " a ", " b ", "\t", END);
	expect_row(&rd, 2, " q ", END);
	expect_row(&rd, 3, "   ", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__unbalanced_quote_at_eof__unterminated(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a,b\nc,\"d,e\nf,g\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a", "b", END);
	/* The partial row is never handed over as good. */
	expect_bad(&rd, 2, "unterminated quoted field", "c", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__malformed_quote_mid_file__error_then_good_rows(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "h1,h2\na,b\"c,d\n\"a\"b,x\nok,1\n\"e\nf\"g,h\nok,2\n"
		"x, \"y\"\nok,3\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "h1", "h2", END);
	expect_bad(&rd, 2, "malformed quoting", "a", END);
	expect_bad(&rd, 3, "malformed quoting", END);
	expect_row(&rd, 4, "ok", "1", END);
	/* Started on line 5, went wrong on line 6: resync after line 6. */
	expect_bad(&rd, 5, "malformed quoting", END);
	expect_row(&rd, 7, "ok", "2", END);
	/* Strict: no space between the comma and an opening quote. */
	expect_bad(&rd, 8, "malformed quoting", "x", END);
	expect_row(&rd, 9, "ok", "3", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__malformed_quote_last_line__error_then_eof(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "ok\n\"a\"b", CRM_CSV_COMMA);
	expect_row(&rd, 1, "ok", END);
	expect_bad(&rd, 2, "malformed quoting", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__invalid_utf8__field_named(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "ok,\xC3\xA9t\xC3\xA9,\xFF\xFE\n\xC0\x80\n\xED\xA0\x80,x\n"
		"fine,\xE2\x82\xAC\n", CRM_CSV_COMMA);
	expect_bad(&rd, 1, "invalid UTF-8 in field 3", "ok", "\xC3\xA9t\xC3\xA9",
		   "\xFF\xFE", END);
	expect_bad(&rd, 2, "invalid UTF-8 in field 1", "\xC0\x80", END);
	expect_bad(&rd, 3, "invalid UTF-8 in field 1", "\xED\xA0\x80", "x", END);
	expect_row(&rd, 4, "fine", "\xE2\x82\xAC", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__nul_byte__field_named(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a,b\0c,d\n\"\0\"\nok\n", CRM_CSV_COMMA);
	assert_int_equal(rd_next(&rd), 1);
	assert_string_equal(rd.row.error, "NUL byte in field 2");
	assert_int_equal(rd.row.nfields, 3);
	assert_int_equal(rd.row.lens[1], 3);
	assert_memory_equal(rd.row.fields[1], "b\0c", 4);
	assert_int_equal(rd_next(&rd), 1);
	assert_string_equal(rd.row.error, "NUL byte in field 1");
	assert_int_equal(rd.row.line, 2);
	assert_int_equal(rd.row.nfields, 1);
	assert_int_equal(rd.row.lens[0], 1);
	expect_row(&rd, 3, "ok", END);
	expect_eof(&rd);
	rd_close(&rd);
}

/* "a,<big>,b\n" with big made of n bytes of c, optionally quoted and with
 * an LF every 1000 bytes. */
static char *make_big(size_t n, int quoted, size_t *len)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_adds(&b, "head\nr1,");
	if (quoted)
		crm_buf_addc(&b, '"');
	for (size_t i = 0; i < n; i++)
		crm_buf_addc(&b, quoted && i % 1000 == 999 ? '\n' : 'x');
	if (quoted)
		crm_buf_addc(&b, '"');
	crm_buf_adds(&b, ",tail\nr2,ok\n");
	*len = b.len;
	return crm_buf_detach(&b);
}

static void csvio__oversized_field__error_then_good_row(void **state)
{
	struct rd rd;
	size_t n;
	char *s;

	(void)state;
	s = make_big(3u * 1024u * 1024u, 0, &n);
	rd_open(&rd, s, n, CRM_CSV_COMMA, 0);
	expect_row(&rd, 1, "head", END);
	expect_bad(&rd, 2, "field 2 longer than 1048576 bytes", "r1", "", "tail",
		   END);
	expect_row(&rd, 3, "r2", "ok", END);
	expect_eof(&rd);
	rd_close(&rd);
	free(s);

	/* Quoted, with 3,145 LFs inside: the lines still count. */
	s = make_big(3u * 1024u * 1024u, 1, &n);
	rd_open(&rd, s, n, CRM_CSV_AUTO, 0);
	expect_row(&rd, 1, "head", END);
	expect_bad(&rd, 2, "field 2 longer than 1048576 bytes", "r1", "", "tail",
		   END);
	expect_row(&rd, 2 + 3u * 1024u * 1024u / 1000 + 1, "r2", "ok", END);
	expect_eof(&rd);
	rd_close(&rd);
	free(s);
}

static void csvio__field_at_limit__good(void **state)
{
	struct rd rd;

	(void)state;
	/* Limit 4: "abcd" fits, quoted or not; "abcde" does not. */
	RD_OPEN_MAX(&rd, "abcd,\"abcd\",\"ab\"\"c\"\nabcde\n\"abcde\"\nx\n",
		    CRM_CSV_COMMA, 4);
	expect_row(&rd, 1, "abcd", "abcd", "ab\"c", END);
	expect_bad(&rd, 2, "field 1 longer than 4 bytes", "", END);
	expect_bad(&rd, 3, "field 1 longer than 4 bytes", "", END);
	expect_row(&rd, 4, "x", END);
	expect_eof(&rd);
	rd_close(&rd);
}

/* A stream of "1,\"xxx...\",z\n2,ok\n" made on the fly, never in memory. */
struct gen {
	size_t total;  /* bytes of x */
	size_t pos;    /* of the whole stream */
};

static ssize_t gen_read(void *cookie, char *out, size_t n)
{
	static const char head[] = "1,\"";
	static const char tail[] = "\",z\n2,ok\n";
	struct gen *g = cookie;
	size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1;
	size_t done = 0;

	while (done < n && g->pos < hl + g->total + tl) {
		size_t p = g->pos;
		char c;

		if (p < hl)
			c = head[p];
		else if (p < hl + g->total)
			c = (p - hl) % 100 == 99 ? '\n' : 'x';
		else
			c = tail[p - hl - g->total];
		out[done++] = c;
		g->pos++;
	}
	return (ssize_t)done;
}

static void csvio__oversized_stream__memory_bounded(void **state)
{
	cookie_io_functions_t io = { gen_read, NULL, NULL, NULL };
	struct gen g = { 64u * 1024u * 1024u, 0 };
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	struct mallinfo2 before, after;
	FILE *fp;

	(void)state;
	fp = fopencookie(&g, "r", io);
	assert_non_null(fp);
	before = mallinfo2();
	r = crm_csv_open(fp, "gen", CRM_CSV_COMMA, 64u * 1024u);
	assert_int_equal(crm_csv_next(r, &row, &e), 1);
	assert_string_equal(row.error, "field 2 longer than 65536 bytes");
	assert_int_equal(row.line, 1);
	/* libcsv's buffer never shrinks, so its peak is still allocated:
	 * a 64 MiB field must have left well under 1 MiB behind. (mallinfo2
	 * sees nothing under ASan or valgrind, where this checks nothing.) */
	after = mallinfo2();
	assert_true(after.uordblks + after.hblkhd <
		    before.uordblks + before.hblkhd + 1024u * 1024u);
	assert_int_equal(crm_csv_next(r, &row, &e), 1);
	assert_null(row.error);
	assert_int_equal(row.line, 2 + g.total / 100);
	assert_int_equal(row.nfields, 2);
	assert_string_equal(row.fields[1], "ok");
	assert_int_equal(crm_csv_next(r, &row, &e), 0);
	crm_csv_close(r);
	fclose(fp);
}

static void csvio__record_too_long__error_then_good_row(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct rd rd;

	(void)state;
	for (size_t i = 0; i < 1000000; i++)
		crm_buf_addc(&b, ',');
	crm_buf_adds(&b, "\nok\n");
	rd_open(&rd, b.data, b.len, CRM_CSV_COMMA, 0);
	assert_int_equal(rd_next(&rd), 1);
	assert_string_equal(rd.row.error, "record longer than 16777216 bytes");
	assert_true(rd.row.nfields < 1000000);
	expect_row(&rd, 2, "ok", END);
	expect_eof(&rd);
	rd_close(&rd);
	crm_buf_free(&b);
}

static void csvio__chunk_boundaries__fields_intact(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_buf want = CRM_BUF_INIT;
	struct rd rd;
	char num[32];

	(void)state;
	/* 2 lines per record, ~700 KB: every kind of byte meets a chunk end. */
	for (size_t i = 0; i < 6000; i++) {
		crm_buf_addf(&b, "%zu,\"l1\r\nl2 \"\"q\"\" %zu", i, i);
		for (size_t j = 0; j < i % 97; j++)
			crm_buf_addc(&b, 'x');
		crm_buf_adds(&b, "\",\xC3\xA9\r\n");
	}
	rd_open(&rd, b.data, b.len, CRM_CSV_AUTO, 0);
	for (size_t i = 0; i < 6000; i++) {
		crm_buf_reset(&want);
		crm_buf_addf(&want, "l1\r\nl2 \"q\" %zu", i);
		for (size_t j = 0; j < i % 97; j++)
			crm_buf_addc(&want, 'x');
		snprintf(num, sizeof(num), "%zu", i);
		expect_row(&rd, 2 * i + 1, num, want.data, "\xC3\xA9", END);
	}
	expect_eof(&rd);
	assert_int_equal(crm_csv_offset(rd.r), b.len);
	rd_close(&rd);
	crm_buf_free(&b);
	crm_buf_free(&want);
}

static void csvio__offset__counts_bytes_consumed(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "ab\ncd\n", CRM_CSV_COMMA);
	assert_int_equal(crm_csv_offset(rd.r), 0);
	expect_row(&rd, 1, "ab", END);
	assert_int_equal(crm_csv_offset(rd.r), 3);
	expect_row(&rd, 2, "cd", END);
	expect_eof(&rd);
	assert_int_equal(crm_csv_offset(rd.r), 6);
	rd_close(&rd);
}

static void csvio__read_error__ioerr(void **state)
{
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	FILE *fp;

	(void)state;
	fp = fopen("/", "r"); /* opens, but read(2) fails with EISDIR */
	assert_non_null(fp);
	r = crm_csv_open(fp, "dir.csv", CRM_CSV_AUTO, 0);
	assert_int_equal(crm_csv_next(r, &row, &e), CRM_EX_IOERR);
	assert_int_equal(e.code, CRM_EX_IOERR);
	assert_string_equal(e.msg, "dir.csv: read error: Is a directory");
	crm_csv_close(r);
	fclose(fp);
}

/* Reading TSV. */

static void csvio__tsv_escapes__unescaped(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a\\tb\\nc\\\\d\\re\tx\\q\\\\t\tend\\\n\\\\\n", CRM_CSV_TAB);
	expect_row(&rd, 1, "a\tb\nc\\d\re", "x\\q\\t", "end\\", END);
	expect_row(&rd, 2, "\\", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__tsv_leading_quote__is_data(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\"a\tb\"\n\"open\tc\nnext\t\"\"\n", CRM_CSV_TAB);
	expect_row(&rd, 1, "\"a", "b\"", END);
	expect_row(&rd, 2, "\"open", "c", END);
	expect_row(&rd, 3, "next", "\"\"", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__tsv_crlf_blank_bom__handled(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\xEF\xBB\xBF" "id\tname\r\n\r\n\n1\t a,b \r\n\t\nx\ry\t\r",
		CRM_CSV_AUTO);
	expect_row(&rd, 1, "id", "name", END);
	expect_row(&rd, 4, "1", " a,b ", END);
	expect_row(&rd, 5, "", "", END);
	expect_row(&rd, 6, "x\ry", "", END);
	expect_eof(&rd);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_TAB);
	rd_close(&rd);
}

static void csvio__tsv_bad_fields__error_then_good_row(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN_MAX(&rd, "abcde\tx\nab\\t\\t\tx\nok\t\xFF\nn\0l\nfine\n",
		    CRM_CSV_TAB, 4);
	expect_bad(&rd, 1, "field 1 longer than 4 bytes", "", "x", END);
	expect_row(&rd, 2, "ab\t\t", "x", END);
	expect_bad(&rd, 3, "invalid UTF-8 in field 2", "ok", "\xFF", END);
	assert_int_equal(rd_next(&rd), 1);
	assert_string_equal(rd.row.error, "NUL byte in field 1");
	assert_int_equal(rd.row.line, 4);
	expect_row(&rd, 5, "fine", END);
	expect_eof(&rd);
	rd_close(&rd);
}

/* Semicolons and whitespace. */

static void csvio__semicolon__quoted_fields_commas_are_data(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\"age\";\"job\";\"balance\"\n58;\"management\";\"1.234,50\"\n"
		"\"a;b\";x,y;\"say \"\"hi\"\"\"\r\n;;\n", CRM_CSV_SEMICOLON);
	expect_row(&rd, 1, "age", "job", "balance", END);
	expect_row(&rd, 2, "58", "management", "1.234,50", END);
	expect_row(&rd, 3, "a;b", "x,y", "say \"hi\"", END);
	expect_row(&rd, 4, "", "", "", END);
	expect_eof(&rd);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_SEMICOLON);
	rd_close(&rd);
}

static void csvio__semicolon_detected__bom_crlf_european_excel(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\xEF\xBB\xBF" "email;name;balance\r\nann@x.org;Ann;12,50\r\n"
		"\"b;c@x.org\";\"Bo, B\";\"1.234,50\"\r\n", CRM_CSV_AUTO);
	expect_row(&rd, 1, "email", "name", "balance", END);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_SEMICOLON);
	expect_row(&rd, 2, "ann@x.org", "Ann", "12,50", END);
	expect_row(&rd, 3, "b;c@x.org", "Bo, B", "1.234,50", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__semicolon_after_quote_error__still_semicolon(void **state)
{
	struct rd rd;

	(void)state;
	/* the parser is reset after a quote error: its delimiter too */
	RD_OPEN(&rd, "a;b\n\"x\"y;1\nc;d\n", CRM_CSV_AUTO);
	expect_row(&rd, 1, "a", "b", END);
	assert_int_equal(rd_next(&rd), 1);
	assert_string_equal(rd.row.error, "malformed quoting");
	expect_row(&rd, 3, "c", "d", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__whitespace__runs_of_blanks_split(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "00001 19970101 1 11.77\n"
		"  00002\t19970112   2    0.00  \r\n"
		"\n   \t \r\n"
		"\"a b\" 1,5;x\n"
		"last   one", CRM_CSV_WHITESPACE);
	expect_row(&rd, 1, "00001", "19970101", "1", "11.77", END);
	expect_row(&rd, 2, "00002", "19970112", "2", "0.00", END);
	expect_row(&rd, 5, "\"a", "b\"", "1,5;x", END);
	expect_row(&rd, 6, "last", "one", END);
	expect_eof(&rd);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_WHITESPACE);
	rd_close(&rd);
}

static void csvio__whitespace_bom_empty__handled(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "\xEF\xBB\xBF" "a  b\n", CRM_CSV_WHITESPACE);
	expect_row(&rd, 1, "a", "b", END);
	expect_eof(&rd);
	rd_close(&rd);
	RD_OPEN(&rd, "", CRM_CSV_WHITESPACE);
	expect_eof(&rd);
	rd_close(&rd);
	RD_OPEN(&rd, " \n\t\n", CRM_CSV_WHITESPACE);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__whitespace_bad_fields__error_then_good_row(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN_MAX(&rd, "abcdefgh x\nok \xC3 y\nfine 1\n", CRM_CSV_WHITESPACE, 4);
	expect_bad(&rd, 1, "field 1 longer than 4 bytes", "", "x", END);
	expect_bad(&rd, 2, "invalid UTF-8 in field 2", "ok", "\xC3", "y", END);
	expect_row(&rd, 3, "fine", "1", END);
	expect_eof(&rd);
	rd_close(&rd);
}

static void csvio__whitespace_chunk_boundaries__fields_intact(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct rd rd;
	char id[16], qty[16], amount[32];

	(void)state;
	/* ~600 KB of CDNOW-shaped lines with ragged padding: field ends,
	 * blank runs and CRLF pairs all meet a chunk end somewhere. */
	for (size_t i = 0; i < 20000; i++)
		crm_buf_addf(&b, "%05zu%*s19970101 %zu%*s%zu.%02zu%s", i, (int)(1 + i % 7), "",
			     i % 5, (int)(1 + i % 3), "", i, i % 100, i % 2 ? "\r\n" : " \n");
	rd_open(&rd, b.data, b.len, CRM_CSV_WHITESPACE, 0);
	for (size_t i = 0; i < 20000; i++) {
		snprintf(id, sizeof(id), "%05zu", i);
		snprintf(qty, sizeof(qty), "%zu", i % 5);
		snprintf(amount, sizeof(amount), "%zu.%02zu", i, i % 100);
		expect_row(&rd, i + 1, id, "19970101", qty, amount, END);
	}
	expect_eof(&rd);
	assert_int_equal(crm_csv_offset(rd.r), b.len);
	rd_close(&rd);
	crm_buf_free(&b);
}

/* Format detection. */

static enum crm_csv_format detect(const char *s)
{
	struct rd rd;
	enum crm_csv_format f;

	rd_open(&rd, s, strlen(s), CRM_CSV_AUTO, 0);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_AUTO);
	assert_int_equal(rd_next(&rd), 1);
	f = crm_csv_format_of(rd.r);
	rd_close(&rd);
	return f;
}

static void csvio__detect__comma_or_tab(void **state)
{
	(void)state;
	assert_int_equal(detect("a,b,c\n1\t2\t3\t4\n"), CRM_CSV_COMMA);
	assert_int_equal(detect("a\tb\tc\n1,2,3,4\n"), CRM_CSV_TAB);
	assert_int_equal(detect("a,b\tc\n"), CRM_CSV_COMMA);
	assert_int_equal(detect("only\n"), CRM_CSV_COMMA);
	assert_int_equal(detect("\"x,y,z\"\tb\tc\n"), CRM_CSV_TAB);
	assert_int_equal(detect("\"x\ty\tz\",b\n"), CRM_CSV_COMMA);
	assert_int_equal(detect("\r\n\na\tb\n"), CRM_CSV_TAB);
	assert_int_equal(detect("\xEF\xBB\xBF" "a\tb\n"), CRM_CSV_TAB);
}

static void csvio__detect__semicolon_when_no_comma_or_tab(void **state)
{
	(void)state;
	/* the UCI Bank Marketing header line */
	assert_int_equal(detect("\"age\";\"job\";\"marital\";\"education\";\"default\";"
				"\"balance\";\"housing\";\"loan\"\n"), CRM_CSV_SEMICOLON);
	assert_int_equal(detect("email;name\n"), CRM_CSV_SEMICOLON);
	assert_int_equal(detect("\xEF\xBB\xBF" "a;b\r\n1,5;2\r\n"), CRM_CSV_SEMICOLON);
	assert_int_equal(detect("\r\n\na;b\n"), CRM_CSV_SEMICOLON);
	assert_int_equal(detect("\"a,b\";c\n"), CRM_CSV_SEMICOLON); /* quoted comma */
	assert_int_equal(detect("a;b,c\n"), CRM_CSV_COMMA);     /* a comma: comma */
	assert_int_equal(detect("a;b\tc\n"), CRM_CSV_TAB);     /* a tab: tab */
	assert_int_equal(detect("a;b;c\td,e\n"), CRM_CSV_COMMA); /* 1 tab, 1 comma */
	assert_int_equal(detect("\"a;b\"\n"), CRM_CSV_COMMA);   /* quoted: one column */
	assert_int_equal(detect("a\nb;c\n"), CRM_CSV_COMMA);   /* only the first line */
}

static void csvio__forced_format__not_detected(void **state)
{
	struct rd rd;

	(void)state;
	RD_OPEN(&rd, "a\tb\n", CRM_CSV_COMMA);
	expect_row(&rd, 1, "a\tb", END);
	assert_int_equal(crm_csv_format_of(rd.r), CRM_CSV_COMMA);
	rd_close(&rd);
	RD_OPEN(&rd, "a,b,c\n", CRM_CSV_TAB);
	expect_row(&rd, 1, "a,b,c", END);
	rd_close(&rd);
}

/* Writing. */

static void put_csv(struct crm_buf *b, const char *s, int safe)
{
	crm_buf_reset(b);
	crm_csv_put_field(b, s, strlen(s), safe);
}

static void put_tsv(struct crm_buf *b, const char *s, int safe)
{
	crm_buf_reset(b);
	crm_tsv_put_field(b, s, strlen(s), safe);
}

static void csvio__csv_writer__minimal_quoting(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	put_csv(&b, "plain text", 0);
	assert_string_equal(crm_buf_str(&b), "plain text");
	put_csv(&b, "", 0);
	assert_string_equal(crm_buf_str(&b), "");
	put_csv(&b, "a,b", 0);
	assert_string_equal(crm_buf_str(&b), "\"a,b\"");
	put_csv(&b, "say \"hi\"", 0);
	assert_string_equal(crm_buf_str(&b), "\"say \"\"hi\"\"\"");
	put_csv(&b, "x\ny", 0);
	assert_string_equal(crm_buf_str(&b), "\"x\ny\"");
	put_csv(&b, "x\r", 0);
	assert_string_equal(crm_buf_str(&b), "\"x\r\"");
	put_csv(&b, " lead", 0);
	assert_string_equal(crm_buf_str(&b), "\" lead\"");
	put_csv(&b, "trail ", 0);
	assert_string_equal(crm_buf_str(&b), "\"trail \"");
	put_csv(&b, "in side", 0);
	assert_string_equal(crm_buf_str(&b), "in side");
	put_csv(&b, "it's", 0);
	assert_string_equal(crm_buf_str(&b), "it's");
	put_csv(&b, "\xC3\xA9t\xC3\xA9", 0);
	assert_string_equal(crm_buf_str(&b), "\xC3\xA9t\xC3\xA9");
	/* Appends: */
	crm_buf_reset(&b);
	crm_csv_put_field(&b, "a", 1, 0);
	crm_buf_addc(&b, ',');
	crm_csv_put_field(&b, "\"", 1, 0);
	assert_string_equal(crm_buf_str(&b), "a,\"\"\"\"");
	crm_buf_free(&b);
}

static void csvio__tsv_writer__escapes(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	put_tsv(&b, "plain \"text\", too", 0);
	assert_string_equal(crm_buf_str(&b), "plain \"text\", too");
	put_tsv(&b, "a\tb\nc\\d\re", 0);
	assert_string_equal(crm_buf_str(&b), "a\\tb\\nc\\\\d\\re");
	put_tsv(&b, "\\", 0);
	assert_string_equal(crm_buf_str(&b), "\\\\");
	put_tsv(&b, "", 0);
	assert_string_equal(crm_buf_str(&b), "");
	crm_buf_free(&b);
}

static void csvio__safe_writer__guard_prefixed(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	put_csv(&b, "=1+1", 1);
	assert_string_equal(crm_buf_str(&b), "'=1+1");
	put_csv(&b, "=1+1", 0);
	assert_string_equal(crm_buf_str(&b), "=1+1");
	put_csv(&b, "=SUM(A1,B1)", 1);
	assert_string_equal(crm_buf_str(&b), "\"'=SUM(A1,B1)\"");
	put_csv(&b, " =cmd", 1);
	assert_string_equal(crm_buf_str(&b), "' =cmd");
	put_csv(&b, "@x ", 1);
	assert_string_equal(crm_buf_str(&b), "\"'@x \"");
	put_csv(&b, "-12.50", 1);
	assert_string_equal(crm_buf_str(&b), "-12.50");
	put_tsv(&b, "\t=x", 1);
	assert_string_equal(crm_buf_str(&b), "'\\t=x");
	put_tsv(&b, "+31 20 123", 1);
	assert_string_equal(crm_buf_str(&b), "'+31 20 123");
	put_tsv(&b, "+31", 1);
	assert_string_equal(crm_buf_str(&b), "+31");
	crm_buf_free(&b);
}

static int guard(const char *s)
{
	return crm_cell_needs_guard(s, strlen(s));
}

static void csvio__guard__formula_cells_guarded(void **state)
{
	(void)state;
	assert_true(guard("=1+1"));
	assert_true(guard("=HYPERLINK(\"http://x\")"));
	assert_true(guard("+1+1"));
	assert_true(guard("-1+2"));
	assert_true(guard("@x"));
	assert_true(guard("@SUM(1)"));
	assert_true(guard(" =cmd"));
	assert_true(guard("   @x"));
	assert_true(guard("\t=x"));
	assert_true(guard("\tplain"));
	assert_true(guard("\r"));
	assert_true(guard("\nx"));
	assert_true(guard("\x01\x02=x"));
	assert_true(guard(" \x7F-x"));
	assert_true(guard("\xC2\xA0=x"));
	assert_true(guard("+31 20 123 4567"));
	assert_true(guard("+"));
	assert_true(guard("-"));
	assert_true(guard("-1e5"));
	assert_true(guard("-.5"));
	assert_true(guard("-5."));
	assert_true(guard(" -12"));
	assert_true(crm_cell_needs_guard("\0=x", 3));
}

static void csvio__guard__plain_cells_not_guarded(void **state)
{
	(void)state;
	assert_false(guard(""));
	assert_false(guard("abc"));
	assert_false(guard("a=b"));
	assert_false(guard("x@example.org"));
	assert_false(guard("   "));
	assert_false(guard(" x"));
	assert_false(guard("42"));
	assert_false(guard("-12.50"));
	assert_false(guard("+31"));
	assert_false(guard("-0"));
	assert_false(guard("1.5"));
	assert_false(guard("'=already"));
}

/* Writer then reader gives back the same fields. */
static const char *const tricky[] = {
	"", " ", "a,b", "\"", "\"\"", "x\r\ny", "\r", "\n", "\r\n", "tab\there",
	"back\\slash", "\\t", " lead", "trail ", "=1+1", "\xC3\xBCn\xC3\xAF",
	"\"quoted\"", "a\"b", ",", "\\", "\t", "'", "end\\",
};
#define NTRICKY (sizeof(tricky) / sizeof(tricky[0]))

static void round_trip(enum crm_csv_format f)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct rd rd;

	for (size_t i = 0; i < NTRICKY; i++) {
		if (i > 0)
			crm_buf_addc(&b, f == CRM_CSV_TAB ? '\t' : ',');
		if (f == CRM_CSV_TAB)
			crm_tsv_put_field(&b, tricky[i], strlen(tricky[i]), 0);
		else
			crm_csv_put_field(&b, tricky[i], strlen(tricky[i]), 0);
	}
	crm_buf_adds(&b, "\r\nnext\n");
	rd_open(&rd, b.data, b.len, f, 0);
	assert_int_equal(rd_next(&rd), 1);
	assert_null(rd.row.error);
	assert_int_equal(rd.row.nfields, NTRICKY);
	for (size_t i = 0; i < NTRICKY; i++) {
		assert_int_equal(rd.row.lens[i], strlen(tricky[i]));
		assert_string_equal(rd.row.fields[i], tricky[i]);
	}
	expect_row(&rd, 1 + (f == CRM_CSV_TAB ? 1 : 4), "next", END);
	expect_eof(&rd);
	rd_close(&rd);
	crm_buf_free(&b);
}

static void csvio__round_trip_csv__same_fields(void **state)
{
	(void)state;
	round_trip(CRM_CSV_COMMA);
}

static void csvio__round_trip_tsv__same_fields(void **state)
{
	(void)state;
	round_trip(CRM_CSV_TAB);
}

/* Each record as "line:field|field". */
static void rec_text(const struct crm_csv_row *row, char *out, size_t size)
{
	int n = snprintf(out, size, "%lu:", row->line);

	for (size_t i = 0; i < row->nfields && n >= 0 && (size_t)n < size; i++)
		n += snprintf(out + n, size - (size_t)n, "%s%s", i > 0 ? "|" : "", row->fields[i]);
}

/* Read to the end in one go, and again seeking after the first record to
 * where crm_csv_tell said record k ended: the same records from there on,
 * at the same lines. */
static void csvio__seek_to_tell__reads_on_as_before(void **state)
{
	static const struct {
		const char *s;
		enum crm_csv_format f;
	} tab[] = {
		{ "a,b\n1,2\n3,4\n\n5,6\n", CRM_CSV_AUTO },
		{ "\xEF\xBB\xBF" "a,b\r\n1,2\r\n\"x\r\ny\",4\r\n5,6\r\n7,8", CRM_CSV_AUTO },
		{ "a;b\n1;2\n\"q\"\"\";4\n5;\"bad\"x\n7;8\n", CRM_CSV_AUTO },
		{ "a\tb\r\n1\t2\r\n3\\t\t4\n\n5\t6\n", CRM_CSV_AUTO },
		{ "  a   b\n  1   2\n\n  3   4\n", CRM_CSV_WHITESPACE },
	};

	(void)state;
	for (size_t t = 0; t < sizeof(tab) / sizeof(tab[0]); t++) {
		char want[16][64], got[64];
		unsigned long long off[16];
		unsigned long line[16];
		size_t n = 0;
		struct rd rd;

		rd_open(&rd, tab[t].s, strlen(tab[t].s), tab[t].f, 0);
		while (rd_next(&rd) == 1) {
			assert_true(n < 16);
			rec_text(&rd.row, want[n], sizeof(want[n]));
			crm_csv_tell(rd.r, &off[n], &line[n]);
			n++;
		}
		rd_close(&rd);
		for (size_t k = 0; k < n; k++) {
			size_t i = k + 1;

			rd_open(&rd, tab[t].s, strlen(tab[t].s), tab[t].f, 0);
			assert_int_equal(rd_next(&rd), 1);
			assert_int_equal(crm_csv_seek(rd.r, off[k], line[k], &rd.e), 0);
			for (; rd_next(&rd) == 1; i++) {
				rec_text(&rd.row, got, sizeof(got));
				if (i >= n || strcmp(got, want[i]) != 0)
					fail_msg("input %zu, after record %zu: got %s, want %s", t, k,
						 got, i < n ? want[i] : "the end");
			}
			if (i != n)
				fail_msg("input %zu, after record %zu: ended at record %zu of %zu",
					 t, k, i, n);
			rd_close(&rd);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csvio__plain_rows__fields_split),
		cmocka_unit_test(csvio__empty_fields__kept),
		cmocka_unit_test(csvio__quoted_comma_quote__unescaped),
		cmocka_unit_test(csvio__quoted_newline__one_field_line_counted),
		cmocka_unit_test(csvio__line_numbers__across_multiline_fields),
		cmocka_unit_test(csvio__crlf__cr_not_in_last_field),
		cmocka_unit_test(csvio__quoted_crlf__cr_kept),
		cmocka_unit_test(csvio__bare_cr__ends_record),
		cmocka_unit_test(csvio__bom_crlf__bom_dropped),
		cmocka_unit_test(csvio__blank_lines__skipped),
		cmocka_unit_test(csvio__last_line_without_newline__is_record),
		cmocka_unit_test(csvio__empty_file__eof),
		cmocka_unit_test(csvio__header_only__one_row),
		cmocka_unit_test(csvio__spaces__preserved),
		cmocka_unit_test(csvio__unbalanced_quote_at_eof__unterminated),
		cmocka_unit_test(csvio__malformed_quote_mid_file__error_then_good_rows),
		cmocka_unit_test(csvio__malformed_quote_last_line__error_then_eof),
		cmocka_unit_test(csvio__invalid_utf8__field_named),
		cmocka_unit_test(csvio__nul_byte__field_named),
		cmocka_unit_test(csvio__oversized_field__error_then_good_row),
		cmocka_unit_test(csvio__field_at_limit__good),
		cmocka_unit_test(csvio__oversized_stream__memory_bounded),
		cmocka_unit_test(csvio__record_too_long__error_then_good_row),
		cmocka_unit_test(csvio__chunk_boundaries__fields_intact),
		cmocka_unit_test(csvio__offset__counts_bytes_consumed),
		cmocka_unit_test(csvio__read_error__ioerr),
		cmocka_unit_test(csvio__tsv_escapes__unescaped),
		cmocka_unit_test(csvio__tsv_leading_quote__is_data),
		cmocka_unit_test(csvio__tsv_crlf_blank_bom__handled),
		cmocka_unit_test(csvio__tsv_bad_fields__error_then_good_row),
		cmocka_unit_test(csvio__semicolon__quoted_fields_commas_are_data),
		cmocka_unit_test(csvio__semicolon_detected__bom_crlf_european_excel),
		cmocka_unit_test(csvio__semicolon_after_quote_error__still_semicolon),
		cmocka_unit_test(csvio__whitespace__runs_of_blanks_split),
		cmocka_unit_test(csvio__whitespace_bom_empty__handled),
		cmocka_unit_test(csvio__whitespace_bad_fields__error_then_good_row),
		cmocka_unit_test(csvio__whitespace_chunk_boundaries__fields_intact),
		cmocka_unit_test(csvio__detect__comma_or_tab),
		cmocka_unit_test(csvio__detect__semicolon_when_no_comma_or_tab),
		cmocka_unit_test(csvio__forced_format__not_detected),
		cmocka_unit_test(csvio__csv_writer__minimal_quoting),
		cmocka_unit_test(csvio__tsv_writer__escapes),
		cmocka_unit_test(csvio__safe_writer__guard_prefixed),
		cmocka_unit_test(csvio__guard__formula_cells_guarded),
		cmocka_unit_test(csvio__guard__plain_cells_not_guarded),
		cmocka_unit_test(csvio__round_trip_csv__same_fields),
		cmocka_unit_test(csvio__round_trip_tsv__same_fields),
		cmocka_unit_test(csvio__seek_to_tell__reads_on_as_before),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
