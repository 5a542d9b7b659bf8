/* output.h - one writer for every listing: tsv, csv, jsonl or table.
 *
 *   struct crm_out *o = crm_out_open(stdout, &opts);
 *   crm_out_columns(o, 3, (const char *[]){ "id", "name", "email" });
 *   crm_out_numeric(o, 0);
 *   crm_out_row(o, vals);   ... as many as there are
 *   rc = crm_out_close(o, &err);   -- 0, or CRM_EX_IOERR if a write failed
 *
 * tsv and csv write a header line unless opts.header is 0, then rows as
 * they come (streaming). jsonl writes one object per row keyed by column
 * name; NULL values become null, numeric columns are written as JSON numbers
 * when the value is a valid number. table buffers all rows, then writes
 * them aligned by display width with two spaces between columns; control
 * characters in cells are shown as \n, \t, \r or \xNN, and a cell wider than
 * 60 columns is cut with "..." (table is for eyes, never for pipes).
 */
#ifndef CRM_OUTPUT_H
#define CRM_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

struct crm_err;

enum crm_format {
	CRM_FMT_DEFAULT = 0, /* table when the stream is a terminal, else tsv */
	CRM_FMT_TSV,
	CRM_FMT_CSV,
	CRM_FMT_JSONL,
	CRM_FMT_TABLE,
};

struct crm_out_opts {
	enum crm_format format;
	int header;    /* 1: write the header line (tsv, csv, table) */
	int safe_csv;  /* 1: formula-injection guard on every cell (tsv, csv) */
};

/* Parses "tsv", "csv", "jsonl" or "table". Returns 0, or -1 if unknown. */
int crm_format_parse(const char *s, enum crm_format *out);

/* The writer does not close fp. CRM_FMT_DEFAULT is resolved here with
 * isatty(fileno(fp)). */
struct crm_out *crm_out_open(FILE *fp, const struct crm_out_opts *opts);

/* Sets the columns; names are copied. Call once, before the first row. */
void crm_out_columns(struct crm_out *o, size_t n, const char *const *names);

/* Marks column col as numeric (jsonl writes numbers unquoted, table
 * right-aligns it). */
void crm_out_numeric(struct crm_out *o, size_t col);

/* Writes one row of as many values as there are columns; a NULL value is an
 * empty cell (null in jsonl). Values are copied where needed. */
void crm_out_row(struct crm_out *o, const char *const *vals);

/* The format actually used. */
enum crm_format crm_out_format(const struct crm_out *o);

/* Flushes (writes the table), checks the stream for write errors and frees
 * o. Returns 0, or CRM_EX_IOERR with e set ("write error: No space left on
 * device"). */
int crm_out_close(struct crm_out *o, struct crm_err *e);

/* Appends s[0..n) as a JSON string literal, quotes included. */
struct crm_buf;
void crm_json_put_string(struct crm_buf *out, const char *s, size_t n);

#endif
