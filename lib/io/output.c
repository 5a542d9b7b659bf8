/* output.c - one writer for every listing: tsv, csv, jsonl or table.
 *
 * tsv, csv and jsonl build each line in one reused buffer and write it at
 * once, so memory stays flat however many rows there are. table keeps the
 * escaped, cut cells of every row in one text buffer with an array of end
 * offsets and widths, and writes them all when the writer is closed.
 *
 * Decisions where output.h is silent:
 * - opts may be NULL: the default format, with a header, no formula guard.
 * - tsv and csv write the header line from crm_out_columns(), so an empty
 *   result still names its columns; the formula guard (safe_csv) applies to
 *   header cells too, and only to tsv and csv. With one column, an empty
 *   csv cell is written "" so the record is not a blank line.
 * - jsonl: each byte that is not part of valid UTF-8 becomes one U+FFFD.
 *   DEL, U+2028 and U+2029 pass through (legal in JSON).
 * - table: besides C0 controls and DEL, C1 controls (U+0080..U+009F, e.g.
 *   CSI) and bytes that are not valid UTF-8 are shown as \xNN per byte, so
 *   nothing a cell holds can drive the terminal; a cut never splits a
 *   character or an escape. The header cell of a numeric column is
 *   right-aligned like the column. Trailing spaces are trimmed from every
 *   line, including spaces that end the last cell.
 * - Calling crm_out_columns() twice, or crm_out_numeric() or crm_out_row()
 *   before it, is a bug in the caller (assert).
 */
#include "io/output.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "io/csvio.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define TABLE_CELL_MAX 60  /* widest cell shown whole */
#define TABLE_CELL_CUT 57  /* a wider cell keeps this many columns + "..." */
#define TABLE_GAP 2        /* spaces between columns */

struct crm_out {
	FILE *fp;
	enum crm_format format;
	int header;
	int safe;
	int werr;              /* errno of the first failed write, or 0 */

	size_t ncols;
	int have_cols;
	char **names;
	unsigned char *numeric;

	struct crm_buf line;   /* the line being built, reused */

	/* jsonl: "\"name\":" of each column, back to back */
	struct crm_buf keys;
	size_t *key_end;

	/* table: every cell (header first), escaped and cut */
	struct crm_buf text;
	size_t *cell_end;      /* end offset of each cell in text */
	size_t *cell_width;    /* display width of each cell */
	size_t ncells;
	size_t cells_cap;
	size_t *col_width;

	/* stored times shown in local time: a row's cells, some replaced */
	const char **local_vals;
	char (*local_text)[40];
};

static const char *const format_names[] = {
	[CRM_FMT_TSV] = "tsv",
	[CRM_FMT_CSV] = "csv",
	[CRM_FMT_JSONL] = "jsonl",
	[CRM_FMT_TABLE] = "table",
};

static void out_write(struct crm_out *o, const char *p, size_t n)
{
	if (o->werr != 0 || n == 0)
		return;
	errno = 0;
	if (fwrite(p, 1, n, o->fp) != n)
		o->werr = errno != 0 ? errno : EIO;
}

static void out_line(struct crm_out *o)
{
	crm_buf_addc(&o->line, '\n');
	out_write(o, o->line.data, o->line.len);
	crm_buf_reset(&o->line);
}

/* ---- tsv and csv ---- */

static void delim_put_row(struct crm_out *o, const char *const *vals)
{
	crm_buf_reset(&o->line);
	for (size_t i = 0; i < o->ncols; i++) {
		const char *v = vals[i] != NULL ? vals[i] : "";
		size_t n = strlen(v);

		if (o->format == CRM_FMT_CSV) {
			if (i > 0)
				crm_buf_addc(&o->line, ',');
			crm_csv_put_field(&o->line, v, n, o->safe);
		} else {
			if (i > 0)
				crm_buf_addc(&o->line, '\t');
			crm_tsv_put_field(&o->line, v, n, o->safe);
		}
	}
	/* a lone empty csv cell is quoted, or the record would read back as
	 * a blank line, which readers skip */
	if (o->format == CRM_FMT_CSV && o->ncols == 1 && o->line.len == 0)
		crm_buf_add(&o->line, "\"\"", 2);
	out_line(o);
}

/* ---- jsonl ---- */

/* 1 if s[0..n) matches the JSON number grammar of RFC 8259:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_is_number(const char *s, size_t n)
{
	size_t i = 0, start;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && s[i] == '.') {
		start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return 0;
	}
	return i == n;
}

static void json_put_row(struct crm_out *o, const char *const *vals)
{
	size_t kstart = 0;

	crm_buf_reset(&o->line);
	crm_buf_addc(&o->line, '{');
	for (size_t i = 0; i < o->ncols; i++) {
		const char *v = vals[i];

		if (i > 0)
			crm_buf_addc(&o->line, ',');
		crm_buf_add(&o->line, o->keys.data + kstart,
			    o->key_end[i] - kstart);
		kstart = o->key_end[i];
		if (v == NULL) {
			crm_buf_add(&o->line, "null", 4);
			continue;
		}
		size_t n = strlen(v);
		if (o->numeric[i] && json_is_number(v, n))
			crm_buf_add(&o->line, v, n);
		else
			crm_json_put_string(&o->line, v, n);
	}
	crm_buf_addc(&o->line, '}');
	out_line(o);
}

/* ---- table ---- */

/* The shown form of the character or byte at s[0..n), n > 0: control
 * characters (C0, DEL and C1) as \n \t \r or \xNN per byte, a byte that is
 * not valid UTF-8 as \xNN, anything else as is. Sets *shown and *shown_len
 * (shown may point into s or into tmp) and returns the input bytes used. */
static size_t table_unit(const char *s, size_t n, char tmp[16],
			 const char **shown, size_t *shown_len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	int len;

	if (c >= 0x20 && c < 0x7f) {
		*shown = s;
		*shown_len = 1;
		return 1;
	}
	switch (c) {
	case '\n':
		*shown = "\\n";
		*shown_len = 2;
		return 1;
	case '\t':
		*shown = "\\t";
		*shown_len = 2;
		return 1;
	case '\r':
		*shown = "\\r";
		*shown_len = 2;
		return 1;
	default:
		break;
	}
	len = c < 0x80 ? -1 : crm_utf8_decode(s, n, &cp);
	if (len > 0 && cp >= 0xa0) {
		*shown = s;
		*shown_len = (size_t)len;
		return (size_t)len;
	}
	if (len < 0)
		len = 1; /* C0, DEL or a bad byte: escape this byte alone */
	/* else a C1 control: escape each of its bytes */
	for (int i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];

		tmp[4 * i] = '\\';
		tmp[4 * i + 1] = 'x';
		tmp[4 * i + 2] = hex[b >> 4];
		tmp[4 * i + 3] = hex[b & 0xf];
	}
	*shown = tmp;
	*shown_len = 4 * (size_t)len;
	return (size_t)len;
}

/* Appends the shown form of s[0..n) to out; a form wider than
 * TABLE_CELL_MAX columns is cut to TABLE_CELL_CUT columns, between two
 * characters or escapes, and ends in "...". Returns its display width. */
static size_t table_put_cell(struct crm_buf *out, const char *s, size_t n)
{
	size_t start = out->len, i, width, cut, off;
	const char *shown;
	size_t slen;
	char tmp[16];

	for (i = 0; i < n; ) {
		i += table_unit(s + i, n - i, tmp, &shown, &slen);
		crm_buf_add(out, shown, slen);
	}
	width = crm_utf8_width(crm_buf_str(out) + start, out->len - start);
	if (width <= TABLE_CELL_MAX)
		return width;

	cut = crm_utf8_prefix_for_width(out->data + start, out->len - start,
					TABLE_CELL_CUT);
	/* back off to the start of the escape the cut may fall in */
	off = 0;
	for (i = 0; i < n; ) {
		i += table_unit(s + i, n - i, tmp, &shown, &slen);
		if (off + slen > cut)
			break;
		off += slen;
	}
	out->len = start + off;
	crm_buf_add(out, "...", 3);
	return crm_utf8_width(out->data + start, out->len - start);
}

static void table_add_row(struct crm_out *o, const char *const *vals)
{
	if (o->ncells + o->ncols > o->cells_cap) {
		size_t cap = o->cells_cap ? o->cells_cap : 64;

		while (cap < o->ncells + o->ncols) {
			if (cap > SIZE_MAX / 2)
				cap = o->ncells + o->ncols;
			else
				cap *= 2;
		}
		o->cell_end = xreallocarray(o->cell_end, cap,
					    sizeof(o->cell_end[0]));
		o->cell_width = xreallocarray(o->cell_width, cap,
					      sizeof(o->cell_width[0]));
		o->cells_cap = cap;
	}
	for (size_t i = 0; i < o->ncols; i++) {
		const char *v = vals[i] != NULL ? vals[i] : "";
		size_t w = table_put_cell(&o->text, v, strlen(v));

		o->cell_end[o->ncells] = o->text.len;
		o->cell_width[o->ncells] = w;
		o->ncells++;
		if (w > o->col_width[i])
			o->col_width[i] = w;
	}
}

static void add_spaces(struct crm_buf *b, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		crm_buf_add(b, spaces, k);
		n -= k;
	}
}

static void table_write(struct crm_out *o)
{
	size_t start = 0;

	if (o->ncols == 0)
		return;
	for (size_t c = 0; c < o->ncells; c++) {
		size_t col = c % o->ncols;
		size_t pad = o->col_width[col] - o->cell_width[c];

		if (col > 0)
			add_spaces(&o->line, TABLE_GAP);
		if (o->numeric[col])
			add_spaces(&o->line, pad);
		crm_buf_add(&o->line, crm_buf_str(&o->text) + start,
			    o->cell_end[c] - start);
		if (!o->numeric[col] && col + 1 < o->ncols)
			add_spaces(&o->line, pad);
		start = o->cell_end[c];
		if (col + 1 == o->ncols) {
			while (o->line.len > 0 &&
			       o->line.data[o->line.len - 1] == ' ')
				o->line.len--;
			out_line(o);
		}
	}
}

/* ---- public ---- */

int crm_format_parse(const char *s, enum crm_format *out)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]);
	     i++) {
		if (format_names[i] != NULL && strcmp(s, format_names[i]) == 0) {
			*out = (enum crm_format)i;
			return 0;
		}
	}
	return -1;
}

struct crm_out *crm_out_open(FILE *fp, const struct crm_out_opts *opts)
{
	struct crm_out *o = xcalloc(1, sizeof(*o));

	o->fp = fp;
	o->format = opts != NULL ? opts->format : CRM_FMT_DEFAULT;
	o->header = opts != NULL ? opts->header != 0 : 1;
	o->safe = opts != NULL ? opts->safe_csv != 0 : 0;
	if (o->format == CRM_FMT_DEFAULT) {
		int fd = fileno(fp);

		o->format = fd >= 0 && isatty(fd) ? CRM_FMT_TABLE : CRM_FMT_TSV;
	}
	crm_buf_init(&o->line);
	crm_buf_init(&o->keys);
	crm_buf_init(&o->text);
	return o;
}

void crm_out_columns(struct crm_out *o, size_t n, const char *const *names)
{
	assert(!o->have_cols);
	if (o->have_cols)
		return;
	o->have_cols = 1;
	o->ncols = n;
	o->names = xcalloc(n, sizeof(o->names[0]));
	o->numeric = xcalloc(n, sizeof(o->numeric[0]));
	for (size_t i = 0; i < n; i++)
		o->names[i] = xstrdup(names[i]);

	switch (o->format) {
	case CRM_FMT_TSV:
	case CRM_FMT_CSV:
		if (o->header)
			delim_put_row(o, (const char *const *)o->names);
		break;
	case CRM_FMT_JSONL:
		o->key_end = xcalloc(n, sizeof(o->key_end[0]));
		for (size_t i = 0; i < n; i++) {
			crm_json_put_string(&o->keys, o->names[i],
					    strlen(o->names[i]));
			crm_buf_addc(&o->keys, ':');
			o->key_end[i] = o->keys.len;
		}
		break;
	case CRM_FMT_TABLE:
	default:
		o->col_width = xcalloc(n, sizeof(o->col_width[0]));
		if (o->header)
			table_add_row(o, (const char *const *)o->names);
		break;
	}
}

void crm_out_numeric(struct crm_out *o, size_t col)
{
	assert(col < o->ncols);
	if (col < o->ncols)
		o->numeric[col] = 1;
}

/* vals with every cell that is a stored time (crm_time_is_stored) shown
 * in local time with its offset: unchanged under UTC. */
static const char *const *local_times(struct crm_out *o, const char *const *vals)
{
	int any = 0;

	for (size_t i = 0; i < o->ncols; i++) {
		int64_t t;

		if (vals[i] == NULL || !crm_time_is_stored(vals[i], strlen(vals[i])) ||
		    crm_time_parse(vals[i], 0, &t, NULL) != 0)
			continue;
		if (o->local_vals == NULL) {
			o->local_vals = xcalloc(o->ncols, sizeof(*o->local_vals));
			o->local_text = xcalloc(o->ncols, sizeof(*o->local_text));
		}
		if (!any)
			memcpy(o->local_vals, vals, o->ncols * sizeof(*vals));
		any = 1;
		crm_time_format_local(t, o->local_text[i]);
		o->local_vals[i] = o->local_text[i];
	}
	return any ? o->local_vals : vals;
}

void crm_out_row(struct crm_out *o, const char *const *vals)
{
	assert(o->have_cols);
	vals = local_times(o, vals);
	switch (o->format) {
	case CRM_FMT_TSV:
	case CRM_FMT_CSV:
		if (o->werr == 0)
			delim_put_row(o, vals);
		break;
	case CRM_FMT_JSONL:
		if (o->werr == 0)
			json_put_row(o, vals);
		break;
	case CRM_FMT_TABLE:
	default:
		table_add_row(o, vals);
		break;
	}
}

enum crm_format crm_out_format(const struct crm_out *o)
{
	return o->format;
}

int crm_out_close(struct crm_out *o, struct crm_err *e)
{
	int werr;

	if (o == NULL)
		return 0;
	if (o->format == CRM_FMT_TABLE)
		table_write(o);
	werr = o->werr;
	errno = 0;
	if (fflush(o->fp) == EOF && werr == 0)
		werr = errno != 0 ? errno : EIO;
	if (ferror(o->fp) && werr == 0)
		werr = EIO;

	for (size_t i = 0; i < o->ncols; i++)
		free(o->names[i]);
	free(o->names);
	free(o->numeric);
	free(o->key_end);
	free(o->cell_end);
	free(o->cell_width);
	free(o->col_width);
	free(o->local_vals);
	free(o->local_text);
	crm_buf_free(&o->line);
	crm_buf_free(&o->keys);
	crm_buf_free(&o->text);
	free(o);

	if (werr != 0)
		return crm_err_set(e, CRM_EX_IOERR, "write error: %s",
				   strerror(werr));
	return 0;
}

void crm_json_put_string(struct crm_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;

	crm_buf_grow(out, n + 2);
	crm_buf_addc(out, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		int len;

		/* copy the longest run of bytes that need no care at once */
		for (run = i; run < n; run++) {
			unsigned char r = (unsigned char)s[run];

			if (r < 0x20 || r == '"' || r == '\\' || r >= 0x80)
				break;
		}
		if (run > i) {
			crm_buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		switch (c) {
		case '"':
			crm_buf_add(out, "\\\"", 2);
			i++;
			continue;
		case '\\':
			crm_buf_add(out, "\\\\", 2);
			i++;
			continue;
		case '\b':
			crm_buf_add(out, "\\b", 2);
			i++;
			continue;
		case '\f':
			crm_buf_add(out, "\\f", 2);
			i++;
			continue;
		case '\n':
			crm_buf_add(out, "\\n", 2);
			i++;
			continue;
		case '\r':
			crm_buf_add(out, "\\r", 2);
			i++;
			continue;
		case '\t':
			crm_buf_add(out, "\\t", 2);
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20) {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				      hex[c & 0xf] };

			crm_buf_add(out, u, sizeof(u));
			i++;
			continue;
		}
		len = crm_utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			crm_buf_add(out, "\xef\xbf\xbd", 3); /* U+FFFD */
			i++;
		} else {
			crm_buf_add(out, s + i, (size_t)len);
			i += (size_t)len;
		}
	}
	crm_buf_addc(out, '"');
}
