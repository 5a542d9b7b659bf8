/* csvio.h - streaming CSV and TSV reading and writing.
 *
 * Reading: CSV (RFC 4180, parsed by libcsv in strict mode) with ',' or
 * ';' between fields, TSV (one record per line, fields split on tab,
 * \t \n \r \\ unescaped) or whitespace-separated columns, the format
 * forced or detected from the first line. A UTF-8 BOM is dropped,
 * CRLF and LF are both line ends, blank lines are skipped. Memory stays
 * bounded by the field size limit, whatever the input size.
 *
 * Bad records do not stop the reader: a record with invalid UTF-8, a NUL
 * byte, a field over the size limit or a quote error is returned with
 * row->error set and its line number, and reading goes on with the next
 * record. Only an I/O error ends the stream early.
 */
#ifndef CRM_CSVIO_H
#define CRM_CSVIO_H

#include <stddef.h>
#include <stdio.h>

struct crm_buf;
struct crm_err;

enum crm_csv_format {
	CRM_CSV_AUTO = 0, /* detect from the first non-blank line, counting
			     tabs, commas and semicolons outside double
			     quotes: tab if more tabs than commas; else
			     semicolon if no tab, no comma and at least one
			     semicolon; else comma */
	CRM_CSV_COMMA,
	CRM_CSV_TAB,
	CRM_CSV_SEMICOLON, /* CSV (RFC 4180 quoting) with ';' between fields,
			      as European spreadsheets write it */
	CRM_CSV_WHITESPACE, /* fields separated by runs of spaces and tabs,
			       no quoting, leading and trailing blanks (and
			       a CR before the LF) ignored: column-aligned
			       text; never detected */
};

#define CRM_CSV_FIELD_MAX_DEFAULT (1024u * 1024u) /* 1 MiB */

struct crm_csv_row {
	size_t nfields;
	char **fields;        /* NUL-terminated, owned by the reader, valid
				 until the next crm_csv_next() */
	size_t *lens;         /* byte length of each field */
	unsigned long line;   /* physical line (1-based) where it starts */
	const char *error;    /* NULL for a good record, else a reason such as
				 "invalid UTF-8 in field 3",
				 "NUL byte in field 2",
				 "field 4 longer than 1048576 bytes",
				 "unterminated quoted field",
				 "malformed quoting"; fields then hold what
				 could be read (possibly nothing) */
};

struct crm_csv_reader;

/* Reads from fp (not closed by the reader). name is used in messages.
 * field_max 0 means CRM_CSV_FIELD_MAX_DEFAULT. */
struct crm_csv_reader *crm_csv_open(FILE *fp, const char *name,
				    enum crm_csv_format format,
				    size_t field_max);

/* Next record: returns 1 with *row filled, 0 at end of input, or
 * CRM_EX_IOERR (74) with e set on a read error. */
int crm_csv_next(struct crm_csv_reader *r, struct crm_csv_row *row,
		 struct crm_err *e);

/* The format in use (after detection, once the first record was read). */
enum crm_csv_format crm_csv_format_of(const struct crm_csv_reader *r);

/* Bytes of input consumed so far, for progress meters. */
unsigned long long crm_csv_offset(const struct crm_csv_reader *r);

/* Where the next record starts, after the record last read: its byte
 * offset (as crm_csv_offset) and the line number of that byte. */
void crm_csv_tell(const struct crm_csv_reader *r, unsigned long long *offset,
		  unsigned long *line);

/* Goes on reading at a place crm_csv_tell gave for the same input read the
 * same way (fp must be seekable, the reader opened at its start): the
 * format is detected from the input's start first, as without a seek.
 * Returns 0, or CRM_EX_IOERR with e set. */
int crm_csv_seek(struct crm_csv_reader *r, unsigned long long offset,
		 unsigned long line, struct crm_err *e);

void crm_csv_close(struct crm_csv_reader *r);

/* Writing: appends one field to out.
 * CSV: quoted only when it holds a comma, quote, CR, LF, or leading or
 * trailing space; quotes doubled.
 * TSV: tab, LF, CR and backslash written as \t \n \r \\.
 * safe: guard against spreadsheet formula injection (OWASP): a cell whose
 * first character, after any leading spaces and control characters, is
 * = + - or @, or which starts with tab, CR or LF, gets a leading '
 * unless the whole cell is a plain number such as -12.50. */
void crm_csv_put_field(struct crm_buf *out, const char *s, size_t n, int safe);
void crm_tsv_put_field(struct crm_buf *out, const char *s, size_t n, int safe);
/* 1 if the cell would be prefixed by the formula guard. */
int crm_cell_needs_guard(const char *s, size_t n);

#endif
