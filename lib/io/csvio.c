/* csvio.c - streaming CSV and TSV reading and writing.
 *
 * CSV goes through libcsv (strict mode, spaces kept), fed one piece at a
 * time: a piece ends after the next CR or LF, or at the end of the chunk
 * read from the file. Records can only end at a CR or LF, so at most one
 * record completes per piece and it completes at the piece's last byte;
 * the line number of the record is known from the pieces fed so far.
 *
 * Field size cap: libcsv grows its entry buffer without limit. After each
 * piece (at most one chunk) the reader looks at the parser's entry_pos; once
 * the field in progress is over the limit it is marked oversized and the
 * buffer is cut back to its last byte (libcsv may still drop that byte, the
 * closing quote of a quoted field). libcsv's state machine keeps running, so
 * quotes, embedded newlines and the end of the record are still found
 * exactly, and the parser's buffer never holds more than the limit plus one
 * chunk plus one growth block. The same holds for a whole record: a record
 * whose fields add up to more than record_max is marked and its further
 * fields dropped.
 *
 * TSV is read by the small state machine below, never by libcsv: a `"` is
 * data, and \t \n \r \\ are the only escapes (others are kept as they are).
 * Whitespace-separated text is read by another, smaller one: a field is a
 * run of bytes other than space, tab, CR and LF; nothing is quoted.
 */
#include "io/csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

/* Bytes read from the file at a time. The fuzz build makes it tiny so that
 * chunk boundaries fall everywhere. */
#ifndef CRM_CSV_CHUNK
#define CRM_CSV_CHUNK (64u * 1024u)
#endif
_Static_assert(CRM_CSV_CHUNK >= 4, "the BOM must fit in the first chunk");

/* Step by which libcsv grows its entry buffer (its default is 128 bytes,
 * which makes a 1 MiB field cost 8,192 reallocs). */
#define CRM_CSV_BLOCK (64u * 1024u)

/* A record may hold at most max(4 * field_max, this) bytes, counting
 * CRM_CSV_FIELD_COST per field, so a line of a million commas cannot make
 * the reader allocate without bound. */
#define CRM_CSV_RECORD_MIN (16u * 1024u * 1024u)
#define CRM_CSV_FIELD_COST (2 * sizeof(size_t) + sizeof(char *) + 1)

/* libcsv.c's parser state for "between records" (csv.h does not export the
 * names; the value has been 0 since libcsv 1.0). */
#define CRM_LIBCSV_ROW_NOT_BEGUN 0

#define CRM_UTF8_BOM "\xEF\xBB\xBF"

struct crm_csv_reader {
	FILE *fp;
	char *name;
	enum crm_csv_format format;
	size_t field_max;
	size_t record_max;
	struct csv_parser csv;

	char *chunk;               /* CRM_CSV_CHUNK bytes */
	size_t chunk_len;
	size_t chunk_pos;
	unsigned long long nread;  /* bytes read from fp so far */
	int started;               /* first chunk read: BOM dropped, format set */
	int eof;                   /* fp hit end of file */
	int read_errno;            /* fp failed with this errno */
	unsigned long line;        /* line of the byte at chunk_pos */

	/* The record being read. Field i is data[offs[i]..offs[i]+lens[i]),
	 * NUL-terminated; pointers are made only when it is handed out, since
	 * data may move while it grows. */
	struct crm_buf data;
	size_t fstart;             /* where the field in progress starts */
	size_t *offs;
	size_t *lens;
	char **fields;
	size_t nfields;
	size_t cap;
	size_t cost;               /* counted against record_max */
	unsigned long rec_line;
	int rec_done;              /* the record is complete */
	int rec_full;              /* over record_max: later fields dropped */
	int field_over;            /* the field in progress is over field_max */
	int skip_line;             /* after a quote error: drop to CR or LF */
	int tsv_esc;               /* TSV: a backslash waits for its letter */
	int tsv_cr;                /* TSV: a CR waits to see if LF follows */
	int ws_in;                 /* whitespace: inside a field */
	const char *error;
	char errbuf[96];
};

/* Keep every space: libcsv otherwise trims unquoted fields. */
static int crm_csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void crm_csv_parser_init(struct crm_csv_reader *r)
{
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_space_func(&r->csv, crm_csv_no_space);
	/* Running out of memory is fatal, as everywhere in crm. */
	csv_set_realloc_func(&r->csv, xrealloc);
	csv_set_blk_size(&r->csv, CRM_CSV_BLOCK);
	csv_set_delim(&r->csv, r->format == CRM_CSV_SEMICOLON ? ';' : ',');
}

/* Throws away the parser's state, e.g. the rest of a row after a quote
 * error (csv_fini would hand that partial row over as if it were good). */
static void crm_csv_parser_reset(struct crm_csv_reader *r)
{
	csv_free(&r->csv);
	crm_csv_parser_init(r);
	r->field_over = 0;
}

/* Record errors: the first one found wins, except that a quote error
 * replaces any other (field numbers mean little once quoting is wrong). */
static void crm_csv_set_error(struct crm_csv_reader *r, const char *what,
			      size_t field)
{
	if (r->error != NULL)
		return;
	snprintf(r->errbuf, sizeof(r->errbuf), "%s in field %zu", what, field);
	r->error = r->errbuf;
}

static void crm_csv_set_oversize(struct crm_csv_reader *r, size_t field)
{
	if (r->error != NULL)
		return;
	snprintf(r->errbuf, sizeof(r->errbuf), "field %zu longer than %zu bytes",
		 field, r->field_max);
	r->error = r->errbuf;
}

static void crm_csv_set_quote_error(struct crm_csv_reader *r, const char *msg)
{
	r->error = msg;
}

/* 1 if s[0..n) is ASCII without NUL bytes, checked a word at a time; the
 * common case, which then needs no UTF-8 decoding. */
static int crm_csv_plain_ascii(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u;
	const uint64_t highs = 0x8080808080808080u;
	size_t i = 0;
	uint64_t v;

	for (; i + 8 <= n; i += 8) {
		memcpy(&v, s + i, 8);
		if ((v & highs) != 0 || ((v - ones) & ~v & highs) != 0)
			return 0;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0 || c >= 0x80)
			return 0;
	}
	return 1;
}

static void crm_csv_check_text(struct crm_csv_reader *r, const char *s,
			       size_t n, size_t field)
{
	size_t bad = 0;

	if (crm_csv_plain_ascii(s, n) || crm_utf8_valid(s, n, &bad))
		return;
	crm_csv_set_error(r, s[bad] == '\0' ? "NUL byte" : "invalid UTF-8", field);
}

/* crm_buf_add(&r->data, p, n), inlined for the hot path: it runs for
 * every field. */
static void crm_csv_put(struct crm_csv_reader *r, const void *p, size_t n)
{
	struct crm_buf *b = &r->data;

	if (b->cap - b->len <= n)
		crm_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Drops what the field in progress put into data. */
static void crm_csv_drop_field(struct crm_csv_reader *r)
{
	r->data.len = r->fstart;
	if (r->data.data != NULL)
		r->data.data[r->data.len] = '\0';
}

/* Ends the field in progress, whose bytes are data[fstart..len). */
static void crm_csv_end_field(struct crm_csv_reader *r)
{
	size_t idx = r->nfields;
	size_t len;

	if (r->rec_full) {
		crm_csv_drop_field(r);
		r->field_over = 0;
		return;
	}
	if (r->field_over) {
		/* Kept as an empty field so later field numbers stay right. */
		crm_csv_drop_field(r);
		crm_csv_set_oversize(r, idx + 1);
		r->field_over = 0;
	}
	len = r->data.len - r->fstart;
	if (len + CRM_CSV_FIELD_COST > r->record_max - r->cost) {
		crm_csv_drop_field(r);
		r->rec_full = 1;
		if (r->error == NULL) {
			snprintf(r->errbuf, sizeof(r->errbuf),
				 "record longer than %zu bytes", r->record_max);
			r->error = r->errbuf;
		}
		return;
	}
	if (r->error == NULL)
		crm_csv_check_text(r, crm_buf_str(&r->data) + r->fstart, len,
				   idx + 1);
	crm_csv_put(r, "", 1); /* the NUL ending the field */
	if (idx == r->cap) {
		r->cap *= 2;
		r->offs = xreallocarray(r->offs, r->cap, sizeof(*r->offs));
		r->lens = xreallocarray(r->lens, r->cap, sizeof(*r->lens));
		r->fields = xreallocarray(r->fields, r->cap, sizeof(*r->fields));
	}
	r->offs[idx] = r->fstart;
	r->lens[idx] = len;
	r->nfields++;
	r->cost += len + CRM_CSV_FIELD_COST;
	r->fstart = r->data.len;
}

/* Appends field bytes, unless the field or record is already over. */
static void crm_csv_add(struct crm_csv_reader *r, const void *p, size_t n)
{
	if (r->field_over || r->rec_full)
		return;
	if (n > r->field_max - (r->data.len - r->fstart)) {
		crm_csv_drop_field(r);
		r->field_over = 1;
		return;
	}
	crm_csv_put(r, p, n);
}

static void crm_csv_rec_clear(struct crm_csv_reader *r)
{
	crm_buf_reset(&r->data);
	r->fstart = 0;
	r->nfields = 0;
	r->cost = 0;
	r->rec_done = 0;
	r->rec_full = 0;
	r->field_over = 0;
	r->error = NULL;
}

static void crm_csv_fill_row(struct crm_csv_reader *r, struct crm_csv_row *row)
{
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->data.data + r->offs[i];
	row->nfields = r->nfields;
	row->fields = r->fields;
	row->lens = r->lens;
	row->line = r->rec_line;
	row->error = r->error;
}

/* libcsv callbacks. */
static void crm_csv_on_field(void *s, size_t len, void *data)
{
	struct crm_csv_reader *r = data;

	if (len > r->field_max)
		r->field_over = 1;
	crm_csv_add(r, s, len);
	crm_csv_end_field(r);
}

static void crm_csv_on_row(int c, void *data)
{
	struct crm_csv_reader *r = data;

	(void)c;
	r->rec_done = 1;
}

/* The first CR or LF in s[0..n), or NULL. */
static const char *crm_csv_find_eol(const char *s, size_t n)
{
	const char *lf = memchr(s, '\n', n);
	const char *cr = memchr(s, '\r', lf != NULL ? (size_t)(lf - s) : n);

	return cr != NULL ? cr : lf;
}

/* Format detection on the first non-blank line in s[0..n), counting
 * outside double quotes: tab when it has more tabs than commas; semicolon
 * when it has no tab and no comma but a semicolon; else comma. Only the
 * first chunk is looked at, so a first line longer than that is judged by
 * its start. */
static enum crm_csv_format crm_csv_detect(const char *s, size_t n)
{
	size_t i = 0, tabs = 0, commas = 0, semis = 0;
	int quoted = 0;

	while (i < n && (s[i] == '\n' || s[i] == '\r'))
		i++;
	for (; i < n && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == '\t')
			tabs++;
		else if (s[i] == ',')
			commas++;
		else if (s[i] == ';')
			semis++;
	}
	if (tabs > commas)
		return CRM_CSV_TAB;
	return tabs == 0 && commas == 0 && semis > 0 ? CRM_CSV_SEMICOLON : CRM_CSV_COMMA;
}

/* Reads the next chunk: 1 with data, 0 at end of input, -1 with e set. */
static int crm_csv_fill(struct crm_csv_reader *r, struct crm_err *e)
{
	size_t n = 0;

	r->chunk_pos = 0;
	r->chunk_len = 0;
	if (r->read_errno == 0 && !r->eof) {
		n = fread(r->chunk, 1, CRM_CSV_CHUNK, r->fp);
		if (n < CRM_CSV_CHUNK) {
			if (ferror(r->fp))
				r->read_errno = errno != 0 ? errno : EIO;
			else
				r->eof = 1;
		}
		r->chunk_len = n;
		r->nread += n;
	}
	if (!r->started) {
		r->started = 1;
		if (n >= 3 && memcmp(r->chunk, CRM_UTF8_BOM, 3) == 0)
			r->chunk_pos = 3;
		if (r->format == CRM_CSV_AUTO) {
			r->format = crm_csv_detect(r->chunk + r->chunk_pos,
						   n - r->chunk_pos);
			if (r->format == CRM_CSV_SEMICOLON)
				csv_set_delim(&r->csv, ';');
		}
	}
	if (n > 0)
		return 1;
	if (r->read_errno != 0) {
		crm_err_set(e, CRM_EX_IOERR, "%s: read error: %s", r->name,
			    strerror(r->read_errno));
		return -1;
	}
	return 0;
}

/* At end of input: hands over a record still in the parser. */
static int crm_csv_finish_csv(struct crm_csv_reader *r)
{
	if (r->skip_line) {
		r->skip_line = 0;
		return 1;
	}
	if (csv_fini(&r->csv, crm_csv_on_field, crm_csv_on_row, r) != 0) {
		/* Only with CSV_STRICT_FINI: a quote still open. */
		crm_csv_set_quote_error(r, "unterminated quoted field");
		crm_csv_parser_reset(r);
		return 1;
	}
	return r->rec_done;
}

/* Reads one CSV record: 1, 0 at end of input, or an error code. */
static int crm_csv_next_csv(struct crm_csv_reader *r, struct crm_err *e)
{
	for (;;) {
		const char *s, *t;
		size_t avail, n, done;
		int rc;

		if (r->chunk_pos == r->chunk_len) {
			rc = crm_csv_fill(r, e);
			if (rc < 0)
				return CRM_EX_IOERR;
			if (rc == 0)
				return crm_csv_finish_csv(r);
		}
		s = r->chunk + r->chunk_pos;
		avail = r->chunk_len - r->chunk_pos;
		t = crm_csv_find_eol(s, avail);
		if (r->skip_line) {
			/* Resynchronise after a quote error: the record ends
			 * with the rest of this line, unread. */
			if (t == NULL) {
				r->chunk_pos = r->chunk_len;
				continue;
			}
			r->chunk_pos += (size_t)(t - s) + 1;
			if (*t == '\n')
				r->line++;
			r->skip_line = 0;
			return 1;
		}
		n = t != NULL ? (size_t)(t - s) + 1 : avail;
		if (r->csv.pstate == CRM_LIBCSV_ROW_NOT_BEGUN)
			r->rec_line = r->line;
		done = csv_parse(&r->csv, s, n, crm_csv_on_field,
				 crm_csv_on_row, r);
		if (done < n) {
			if (csv_error(&r->csv) != CSV_EPARSE)
				return crm_err_set(e, CRM_EX_SOFTWARE,
						   "%s: csv parser: %s", r->name,
						   csv_strerror(csv_error(&r->csv)));
			/* The offending byte is never a CR or LF, so the
			 * record has not ended yet. */
			crm_csv_set_quote_error(r, "malformed quoting");
			crm_csv_parser_reset(r);
			r->chunk_pos += done;
			r->skip_line = 1;
			continue;
		}
		r->chunk_pos += n;
		if (t != NULL && *t == '\n')
			r->line++;
		if (r->csv.entry_pos > 1 && r->csv.entry_pos - 1 > r->field_max) {
			/* Over the cap even if the last byte is a closing
			 * quote: keep only that byte (see the top). */
			r->field_over = 1;
			r->csv.entry_buf[0] = r->csv.entry_buf[r->csv.entry_pos - 1];
			r->csv.entry_pos = 1;
		}
		if (r->rec_done)
			return 1;
	}
}

/* TSV: the bytes that end a run of plain field bytes. */
static int crm_csv_tsv_special(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\\';
}

/* TSV: at an LF. 1 if it ended a record, 0 for a blank line. */
static int crm_csv_tsv_eol(struct crm_csv_reader *r)
{
	r->rec_line = r->line++;
	if (r->nfields == 0 && r->data.len == r->fstart && !r->field_over)
		return 0;
	crm_csv_end_field(r);
	return 1;
}

/* TSV: handles one byte that is special or follows a backslash or CR.
 * Returns 1 when it ended a record. */
static int crm_csv_tsv_byte(struct crm_csv_reader *r, unsigned char c)
{
	if (r->tsv_cr) {
		r->tsv_cr = 0;
		if (c == '\n')
			return crm_csv_tsv_eol(r);
		crm_csv_add(r, "\r", 1);
	}
	if (r->tsv_esc) {
		const char *u = NULL;

		r->tsv_esc = 0;
		switch (c) {
		case 't':
			u = "\t";
			break;
		case 'n':
			u = "\n";
			break;
		case 'r':
			u = "\r";
			break;
		case '\\':
			u = "\\";
			break;
		}
		if (u != NULL) {
			crm_csv_add(r, u, 1);
			return 0;
		}
		/* An unknown escape is kept as it is. */
		crm_csv_add(r, "\\", 1);
	}
	switch (c) {
	case '\t':
		crm_csv_end_field(r);
		return 0;
	case '\n':
		return crm_csv_tsv_eol(r);
	case '\r':
		r->tsv_cr = 1; /* dropped if LF follows */
		return 0;
	case '\\':
		r->tsv_esc = 1;
		return 0;
	default:
		crm_csv_add(r, &c, 1);
		return 0;
	}
}

/* Reads one TSV record: 1, 0 at end of input, or an error code. */
static int crm_csv_next_tsv(struct crm_csv_reader *r, struct crm_err *e)
{
	for (;;) {
		const unsigned char *s;
		size_t i, n;
		int rc;

		if (r->chunk_pos == r->chunk_len) {
			rc = crm_csv_fill(r, e);
			if (rc < 0)
				return CRM_EX_IOERR;
			if (rc == 0) {
				/* A last line without LF; a CR at its end is
				 * dropped as before an LF. */
				r->tsv_cr = 0;
				if (r->tsv_esc) {
					r->tsv_esc = 0;
					crm_csv_add(r, "\\", 1);
				}
				r->rec_line = r->line;
				if (r->nfields == 0 && r->data.len == r->fstart &&
				    !r->field_over)
					return 0;
				crm_csv_end_field(r);
				return 1;
			}
		}
		s = (const unsigned char *)r->chunk;
		i = r->chunk_pos;
		n = r->chunk_len;
		while (i < n) {
			if (!r->tsv_esc && !r->tsv_cr) {
				size_t j = i;

				while (j < n && !crm_csv_tsv_special(s[j]))
					j++;
				if (j > i)
					crm_csv_add(r, s + i, j - i);
				i = j;
				if (i == n)
					break;
			}
			if (crm_csv_tsv_byte(r, s[i++])) {
				r->chunk_pos = i;
				return 1;
			}
		}
		r->chunk_pos = n;
	}
}

/* Whitespace-separated: the bytes that end a run of field bytes. */
static int crm_csv_ws_special(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads one whitespace-separated record: 1, 0 at end of input, or an error
 * code. A record is one line; blank lines are skipped. */
static int crm_csv_next_ws(struct crm_csv_reader *r, struct crm_err *e)
{
	for (;;) {
		const unsigned char *s;
		size_t i, n;
		int rc;

		if (r->chunk_pos == r->chunk_len) {
			rc = crm_csv_fill(r, e);
			if (rc < 0)
				return CRM_EX_IOERR;
			if (rc == 0) {
				/* A last line without LF. */
				r->rec_line = r->line;
				if (r->ws_in) {
					r->ws_in = 0;
					crm_csv_end_field(r);
				}
				return r->nfields > 0;
			}
		}
		s = (const unsigned char *)r->chunk;
		i = r->chunk_pos;
		n = r->chunk_len;
		while (i < n) {
			size_t j = i;

			while (j < n && !crm_csv_ws_special(s[j]))
				j++;
			if (j > i) {
				crm_csv_add(r, s + i, j - i);
				r->ws_in = 1;
				i = j;
				continue;
			}
			if (r->ws_in) {
				r->ws_in = 0;
				crm_csv_end_field(r);
			}
			if (s[i++] != '\n')
				continue;
			r->rec_line = r->line++;
			if (r->nfields > 0) {
				r->chunk_pos = i;
				return 1;
			}
		}
		r->chunk_pos = n;
	}
}

struct crm_csv_reader *crm_csv_open(FILE *fp, const char *name,
				    enum crm_csv_format format,
				    size_t field_max)
{
	struct crm_csv_reader *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = xstrdup(name != NULL ? name : "-");
	r->format = format;
	r->field_max = field_max != 0 ? field_max : CRM_CSV_FIELD_MAX_DEFAULT;
	r->record_max = r->field_max <= SIZE_MAX / 4 ? r->field_max * 4 : SIZE_MAX;
	if (r->record_max < CRM_CSV_RECORD_MIN)
		r->record_max = CRM_CSV_RECORD_MIN;
	crm_csv_parser_init(r);
	r->chunk = xmalloc(CRM_CSV_CHUNK);
	r->line = 1;
	crm_buf_init(&r->data);
	r->cap = 16;
	r->offs = xreallocarray(NULL, r->cap, sizeof(*r->offs));
	r->lens = xreallocarray(NULL, r->cap, sizeof(*r->lens));
	r->fields = xreallocarray(NULL, r->cap, sizeof(*r->fields));
	return r;
}

int crm_csv_next(struct crm_csv_reader *r, struct crm_csv_row *row,
		 struct crm_err *e)
{
	int rc;

	crm_csv_rec_clear(r);
	memset(row, 0, sizeof(*row));
	if (!r->started) {
		rc = crm_csv_fill(r, e);
		if (rc < 0)
			return CRM_EX_IOERR;
	}
	if (r->format == CRM_CSV_TAB)
		rc = crm_csv_next_tsv(r, e);
	else if (r->format == CRM_CSV_WHITESPACE)
		rc = crm_csv_next_ws(r, e);
	else
		rc = crm_csv_next_csv(r, e);
	if (rc == 1)
		crm_csv_fill_row(r, row);
	return rc;
}

enum crm_csv_format crm_csv_format_of(const struct crm_csv_reader *r)
{
	return r->format;
}

unsigned long long crm_csv_offset(const struct crm_csv_reader *r)
{
	return r->nread - (r->chunk_len - r->chunk_pos);
}

void crm_csv_tell(const struct crm_csv_reader *r, unsigned long long *offset,
		  unsigned long *line)
{
	*offset = crm_csv_offset(r);
	*line = r->line;
}

/* Between records the parser holds nothing: a CSV record ends at its CR
 * or LF (the LF of a CRLF is then a blank line, skipped), a TSV or
 * whitespace record at its LF; so a fresh parser at the offset reads on
 * as the old one would have. */
int crm_csv_seek(struct crm_csv_reader *r, unsigned long long offset,
		 unsigned long line, struct crm_err *e)
{
	if (!r->started && crm_csv_fill(r, e) < 0)
		return CRM_EX_IOERR;
	if (fseeko(r->fp, (off_t)offset, SEEK_SET) != 0)
		return crm_err_set(e, CRM_EX_IOERR, "%s: cannot seek: %s", r->name,
				   strerror(errno));
	crm_csv_rec_clear(r);
	crm_csv_parser_reset(r);
	r->chunk_len = 0;
	r->chunk_pos = 0;
	r->nread = offset;
	r->eof = 0;
	r->line = line;
	r->skip_line = 0;
	r->tsv_esc = 0;
	r->tsv_cr = 0;
	r->ws_in = 0;
	return 0;
}

void crm_csv_close(struct crm_csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->csv);
	crm_buf_free(&r->data);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r->chunk);
	free(r->name);
	free(r);
}

/* Writing. */

/* 1 for a cell that is a plain number: ^[+-]?[0-9]+(\.[0-9]+)?$. */
static int crm_csv_plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (digits == 0)
		return 0;
	if (i == n)
		return 1;
	if (s[i] != '.')
		return 0;
	i++;
	digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	return digits > 0 && i == n;
}

/* Formula-injection guard (OWASP "CSV injection"). A spreadsheet may run a
 * cell as a formula when its first character is = + - or @, and several
 * trim leading blanks first, so those are skipped before looking: ASCII
 * space, every control character (including tab, CR, LF, NUL) and U+00A0.
 * A cell starting with tab, CR or LF is guarded whatever follows. Plain
 * numbers such as -12.50 or +31 are left alone (a spreadsheet reads them as
 * the same number either way), but only when the whole cell is one:
 * "+31 20 123 4567" or "-1+2" are guarded. */
int crm_cell_needs_guard(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (n == 0)
		return 0;
	if (u[0] == '\t' || u[0] == '\r' || u[0] == '\n')
		return 1;
	while (i < n) {
		if (u[i] == ' ' || u[i] < 0x20 || u[i] == 0x7F)
			i++;
		else if (u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0xA0)
			i += 2;
		else
			break;
	}
	if (i == n)
		return 0;
	if (u[i] != '=' && u[i] != '+' && u[i] != '-' && u[i] != '@')
		return 0;
	return !crm_csv_plain_number(s, n);
}

/* Spaces in the sense of "leading or trailing space": other readers (and
 * libcsv by default) trim both. */
static int crm_csv_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void crm_csv_put_field(struct crm_buf *out, const char *s, size_t n, int safe)
{
	int guard = safe && crm_cell_needs_guard(s, n);
	int quote = 0;
	size_t i;

	if (n > 0 && ((!guard && crm_csv_is_blank(s[0])) ||
		      crm_csv_is_blank(s[n - 1])))
		quote = 1;
	for (i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	crm_buf_grow(out, n + 3);
	if (quote)
		crm_buf_addc(out, '"');
	if (guard)
		crm_buf_addc(out, '\'');
	if (!quote) {
		crm_buf_add(out, s, n);
		return;
	}
	while (n > 0) {
		const char *q = memchr(s, '"', n);
		size_t run = q != NULL ? (size_t)(q - s) + 1 : n;

		crm_buf_add(out, s, run);
		if (q != NULL)
			crm_buf_addc(out, '"');
		s += run;
		n -= run;
	}
	crm_buf_addc(out, '"');
}

void crm_tsv_put_field(struct crm_buf *out, const char *s, size_t n, int safe)
{
	size_t i = 0, j;

	crm_buf_grow(out, n + 1);
	if (safe && crm_cell_needs_guard(s, n))
		crm_buf_addc(out, '\'');
	while (i < n) {
		for (j = i; j < n && !crm_csv_tsv_special((unsigned char)s[j]); j++)
			;
		crm_buf_add(out, s + i, j - i);
		if (j == n)
			break;
		crm_buf_addc(out, '\\');
		switch (s[j]) {
		case '\t':
			crm_buf_addc(out, 't');
			break;
		case '\n':
			crm_buf_addc(out, 'n');
			break;
		case '\r':
			crm_buf_addc(out, 'r');
			break;
		default:
			crm_buf_addc(out, '\\');
			break;
		}
		i = j + 1;
	}
}
