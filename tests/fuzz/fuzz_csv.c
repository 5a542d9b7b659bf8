/* fuzz_csv.c - libFuzzer target for the CSV/TSV reader and writers.
 *
 * Input: byte 0 picks the format (auto, comma, tab, semicolon, whitespace)
 * and whether the writers guard cells, byte 1 the field size limit (1..64 bytes, or the default),
 * the rest is the file. For each input:
 *   - the reader's records (fields, lines, errors) must equal those of the
 *     small in-memory reference parser below, which follows RFC 4180 as
 *     libcsv does in strict mode, plus the resynchronisation, size and
 *     encoding rules of csvio.h;
 *   - the good records, written back with crm_csv_put_field or
 *     crm_tsv_put_field (as comma CSV when they were read as semicolon
 *     or whitespace-separated) and read again, must give the same fields
 *     (with a leading ' on guarded cells when the guard is on).
 * Built with a tiny CRM_CSV_CHUNK (see Makefile), so that chunk ends fall
 * inside quotes, escapes, CRLF pairs and the BOM's neighbourhood.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "io/csvio.h"
#include "base/err.h"
#include "base/utf8.h"

#ifndef CRM_CSV_CHUNK
#define CRM_CSV_CHUNK (64u * 1024u)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_csv: " __VA_ARGS__);              \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

/* The reference parser: whole input in memory, one byte at a time. */
struct ref {
	size_t fmax;
	struct crm_buf out;     /* serialised records */
	struct crm_buf fields;  /* serialised fields of the record in progress */
	struct crm_buf field;   /* the field in progress */
	size_t nfields;
	unsigned long line;     /* where the record in progress starts */
	char err[96];
	int has_err;
};

static void ref_end_field(struct ref *f)
{
	const char *p = crm_buf_str(&f->field);
	size_t n = f->field.len, bad = 0;

	if (n > f->fmax) {
		if (!f->has_err)
			snprintf(f->err, sizeof(f->err),
				 "field %zu longer than %zu bytes",
				 f->nfields + 1, f->fmax);
		f->has_err = 1;
		n = 0;
	} else if (!f->has_err && !crm_utf8_valid(p, n, &bad)) {
		snprintf(f->err, sizeof(f->err), "%s in field %zu",
			 p[bad] == '\0' ? "NUL byte" : "invalid UTF-8",
			 f->nfields + 1);
		f->has_err = 1;
	}
	crm_buf_addf(&f->fields, " %zu:", n);
	crm_buf_add(&f->fields, p, n);
	f->nfields++;
	crm_buf_reset(&f->field);
}

static void ref_end_row(struct ref *f, const char *quote_error)
{
	const char *e = quote_error != NULL ? quote_error :
			f->has_err ? f->err : "-";

	crm_buf_addf(&f->out, "L%lu E%s N%zu", f->line, e, f->nfields);
	crm_buf_add(&f->out, crm_buf_str(&f->fields), f->fields.len);
	crm_buf_addc(&f->out, '\n');
	crm_buf_reset(&f->fields);
	crm_buf_reset(&f->field);
	f->nfields = 0;
	f->has_err = 0;
}

static void ref_csv(struct ref *f, const unsigned char *s, size_t n,
		    unsigned char delim)
{
	enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, IN_FIELD, QUOTE_IN_QUOTED } st;
	unsigned long line = 1;
	int quoted = 0;
	size_t i = 0;

	st = ROW_NOT_BEGUN;
	while (i < n) {
		unsigned char c = s[i];
		int term = c == '\r' || c == '\n';

		if (st == ROW_NOT_BEGUN) {
			if (term) {
				line += c == '\n';
				i++;
				continue;
			}
			f->line = line;
			st = FIELD_NOT_BEGUN;
		}
		if (st == FIELD_NOT_BEGUN) {
			if (term) {
				ref_end_field(f);
				ref_end_row(f, NULL);
				st = ROW_NOT_BEGUN;
			} else if (c == delim) {
				ref_end_field(f);
			} else if (c == '"') {
				st = IN_FIELD;
				quoted = 1;
			} else {
				st = IN_FIELD;
				quoted = 0;
				crm_buf_addc(&f->field, (char)c);
			}
		} else if (st == IN_FIELD) {
			if (c == '"') {
				if (!quoted)
					goto malformed;
				st = QUOTE_IN_QUOTED;
			} else if (c == delim && !quoted) {
				ref_end_field(f);
				st = FIELD_NOT_BEGUN;
			} else if (term && !quoted) {
				ref_end_field(f);
				ref_end_row(f, NULL);
				st = ROW_NOT_BEGUN;
			} else {
				crm_buf_addc(&f->field, (char)c);
			}
		} else {
			if (c == delim) {
				ref_end_field(f);
				st = FIELD_NOT_BEGUN;
			} else if (term) {
				ref_end_field(f);
				ref_end_row(f, NULL);
				st = ROW_NOT_BEGUN;
			} else if (c == '"') {
				crm_buf_addc(&f->field, '"');
				st = IN_FIELD;
			} else {
				goto malformed;
			}
		}
		line += c == '\n';
		i++;
		continue;
malformed:
		/* Drop the rest of the line, through its CR or LF. */
		while (i < n && s[i] != '\r' && s[i] != '\n')
			i++;
		if (i < n)
			line += s[i++] == '\n';
		ref_end_row(f, "malformed quoting");
		st = ROW_NOT_BEGUN;
	}
	if (st == IN_FIELD && quoted) {
		ref_end_row(f, "unterminated quoted field");
	} else if (st != ROW_NOT_BEGUN) {
		ref_end_field(f);
		ref_end_row(f, NULL);
	}
}

static void ref_tsv(struct ref *f, const unsigned char *s, size_t n)
{
	unsigned long line = 1;
	size_t i = 0;

	while (i < n) {
		size_t e = i, end;

		while (e < n && s[e] != '\n')
			e++;
		end = e;
		if (end > i && s[end - 1] == '\r')
			end--;
		if (end > i) {
			f->line = line;
			for (size_t k = i; k < end; k++) {
				unsigned char c = s[k];

				if (c == '\t') {
					ref_end_field(f);
					continue;
				}
				if (c == '\\' && k + 1 < end) {
					char u = 0;

					switch (s[k + 1]) {
					case 't': u = '\t'; break;
					case 'n': u = '\n'; break;
					case 'r': u = '\r'; break;
					case '\\': u = '\\'; break;
					}
					if (u != 0) {
						crm_buf_addc(&f->field, u);
						k++;
						continue;
					}
				}
				crm_buf_addc(&f->field, (char)c);
			}
			ref_end_field(f);
			ref_end_row(f, NULL);
		}
		line++;
		i = e + 1;
	}
}

/* Whitespace-separated: a field is a run of bytes other than space, tab,
 * CR and LF; a record is a line with at least one. */
static void ref_ws(struct ref *f, const unsigned char *s, size_t n)
{
	unsigned long line = 1;
	size_t i = 0;

	while (i < n) {
		size_t e = i;

		while (e < n && s[e] != '\n')
			e++;
		f->line = line;
		for (size_t k = i; k < e;) {
			if (s[k] == ' ' || s[k] == '\t' || s[k] == '\r') {
				k++;
				continue;
			}
			while (k < e && s[k] != ' ' && s[k] != '\t' && s[k] != '\r')
				crm_buf_addc(&f->field, (char)s[k++]);
			ref_end_field(f);
		}
		if (f->nfields > 0)
			ref_end_row(f, NULL);
		line++;
		i = e + 1;
	}
}

static enum crm_csv_format ref_detect(const unsigned char *s, size_t n)
{
	size_t i = 0, tabs = 0, commas = 0, semis = 0;
	int quoted = 0;

	if (n > CRM_CSV_CHUNK)
		n = CRM_CSV_CHUNK;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (s[i] == '\n' || s[i] == '\r'))
		i++;
	for (; i < n && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == '\t')
			tabs++;
		else if (!quoted && s[i] == ',')
			commas++;
		else if (!quoted && s[i] == ';')
			semis++;
	}
	if (tabs > commas)
		return CRM_CSV_TAB;
	return tabs == 0 && commas == 0 && semis > 0 ? CRM_CSV_SEMICOLON : CRM_CSV_COMMA;
}

static void ser_row(struct crm_buf *o, const struct crm_csv_row *row,
		    int with_line)
{
	if (with_line)
		crm_buf_addf(o, "L%lu E%s ", row->line,
			     row->error != NULL ? row->error : "-");
	crm_buf_addf(o, "N%zu", row->nfields);
	for (size_t i = 0; i < row->nfields; i++) {
		if (row->fields[i][row->lens[i]] != '\0')
			FAIL("field %zu of line %lu not NUL-terminated", i,
			     row->line);
		crm_buf_addf(o, " %zu:", row->lens[i]);
		crm_buf_add(o, row->fields[i], row->lens[i]);
	}
	crm_buf_addc(o, '\n');
}

static void put_field(struct crm_buf *o, enum crm_csv_format f,
		      const char *s, size_t n, int safe)
{
	if (f == CRM_CSV_TAB)
		crm_tsv_put_field(o, s, n, safe);
	else
		crm_csv_put_field(o, s, n, safe);
}

struct sink {
	struct crm_buf lined;   /* records with line and error */
	struct crm_buf plain;   /* fields only */
	struct crm_buf again;   /* the good records written back */
	struct crm_buf expect;  /* what reading again must give */
	size_t bad;             /* records with an error */
};

static void sink_free(struct sink *k)
{
	crm_buf_free(&k->lined);
	crm_buf_free(&k->plain);
	crm_buf_free(&k->again);
	crm_buf_free(&k->expect);
}

/* Writes a good record back, and what reading it must give. */
static void write_back(struct sink *k, const struct crm_csv_row *row,
		       enum crm_csv_format f, int safe)
{
	if (row->nfields == 1 && row->lens[0] == 0) {
		/* An empty line would be skipped: CSV can say "". */
		if (f == CRM_CSV_TAB)
			FAIL("TSV record of one empty field");
		crm_buf_adds(&k->again, "\"\"\n");
		crm_buf_adds(&k->expect, "N1 0:\n");
		return;
	}
	crm_buf_addf(&k->expect, "N%zu", row->nfields);
	for (size_t i = 0; i < row->nfields; i++) {
		int g = safe && crm_cell_needs_guard(row->fields[i], row->lens[i]);

		if (i > 0)
			crm_buf_addc(&k->again, f == CRM_CSV_TAB ? '\t' : ',');
		put_field(&k->again, f, row->fields[i], row->lens[i], safe);
		crm_buf_addf(&k->expect, " %zu:%s", row->lens[i] + (size_t)g,
			     g ? "'" : "");
		crm_buf_add(&k->expect, row->fields[i], row->lens[i]);
	}
	crm_buf_addc(&k->again, '\n');
	crm_buf_addc(&k->expect, '\n');
}

/* Reads s[0..n) to the end into k; returns the format used. */
static enum crm_csv_format read_all(const uint8_t *s, size_t n,
				    enum crm_csv_format format, size_t fmax,
				    int safe, struct sink *k)
{
	struct crm_err e = { 0, "" };
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	enum crm_csv_format used;
	unsigned long last = 1;
	void *copy = malloc(n > 0 ? n : 1);
	FILE *fp;
	int rc;

	if (copy == NULL)
		abort();
	memcpy(copy, s, n);
	fp = fmemopen(copy, n, "r");
	if (fp == NULL)
		abort();
	r = crm_csv_open(fp, "fuzz", format, fmax);
	while ((rc = crm_csv_next(r, &row, &e)) == 1) {
		if (row.line < last)
			FAIL("line %lu after line %lu", row.line, last);
		last = row.line;
		ser_row(&k->lined, &row, 1);
		ser_row(&k->plain, &row, 0);
		if (row.error != NULL)
			k->bad++;
		else
			write_back(k, &row, crm_csv_format_of(r) == CRM_CSV_TAB
				   ? CRM_CSV_TAB : CRM_CSV_COMMA, safe);
	}
	if (rc != 0)
		FAIL("crm_csv_next returned %d: %s", rc, e.msg);
	if (crm_csv_offset(r) != n)
		FAIL("offset %llu at end of %zu bytes", crm_csv_offset(r), n);
	used = crm_csv_format_of(r);
	crm_csv_close(r);
	fclose(fp);
	free(copy);
	return used;
}

static int same(const struct crm_buf *a, const struct crm_buf *b)
{
	return a->len == b->len &&
	       memcmp(crm_buf_str(a), crm_buf_str(b), a->len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink got, back;
	struct crm_buf file = CRM_BUF_INIT;
	struct ref ref;
	enum crm_csv_format format, used;
	const uint8_t *s;
	size_t n, fmax;
	int safe;

	if (size < 2)
		return 0;
	format = (enum crm_csv_format)(data[0] % 5);
	safe = (data[0] >> 3) & 1;
	fmax = data[1] & 0x80 ? 0 : 1 + (size_t)(data[1] & 63);
	s = data + 2;
	n = size - 2;
	memset(&got, 0, sizeof(got));
	memset(&back, 0, sizeof(back));
	memset(&ref, 0, sizeof(ref));

	used = read_all(s, n, format, fmax, safe, &got);
	if (format == CRM_CSV_AUTO && used != ref_detect(s, n))
		FAIL("detected format %d, reference says %d", (int)used,
		     (int)ref_detect(s, n));
	if (format != CRM_CSV_AUTO && used != format)
		FAIL("format %d forced, %d used", (int)format, (int)used);

	ref.fmax = fmax != 0 ? fmax : CRM_CSV_FIELD_MAX_DEFAULT;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (used == CRM_CSV_TAB)
		ref_tsv(&ref, s, n);
	else if (used == CRM_CSV_WHITESPACE)
		ref_ws(&ref, s, n);
	else
		ref_csv(&ref, s, n, used == CRM_CSV_SEMICOLON ? ';' : ',');
	if (!same(&got.lined, &ref.out))
		FAIL("reader and reference differ\n--- reader:\n%s"
		     "--- reference:\n%s", crm_buf_str(&got.lined),
		     crm_buf_str(&ref.out));

	/* Round trip, behind a BOM so a field starting with U+FEFF keeps
	 * it; a guarded cell is one byte longer. */
	crm_buf_adds(&file, "\xEF\xBB\xBF");
	crm_buf_add(&file, crm_buf_str(&got.again), got.again.len);
	read_all((const uint8_t *)file.data, file.len,
		 used == CRM_CSV_TAB ? CRM_CSV_TAB : CRM_CSV_COMMA,
		 fmax != 0 ? fmax + (size_t)safe : 0, 0, &back);
	if (back.bad != 0 || !same(&back.plain, &got.expect))
		FAIL("round trip differs\n--- written:\n%s--- read back:\n%s"
		     "--- expected:\n%s", crm_buf_str(&got.again),
		     crm_buf_str(&back.lined), crm_buf_str(&got.expect));

	crm_buf_free(&file);
	sink_free(&got);
	sink_free(&back);
	crm_buf_free(&ref.out);
	crm_buf_free(&ref.fields);
	crm_buf_free(&ref.field);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
/* A plain driver for replaying inputs without libFuzzer, e.g. under
 * valgrind (where libcsv itself is checked too): fuzz_csv_replay FILE... */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		struct crm_buf b = CRM_BUF_INIT;
		char tmp[4096];
		size_t n;

		if (fp == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
			crm_buf_add(&b, tmp, n);
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)crm_buf_str(&b), b.len);
		crm_buf_free(&b);
	}
	return 0;
}
#endif
