/* admin_copy.c - a whole store into another, maybe of the other backend,
 * verified table by table before it is committed (admin.h).
 *
 * A table is read through one statement marked crm_stmt_stream (on
 * PostgreSQL a cursor: a plain SELECT held a table's rows whole in
 * memory, twice over for the copy and its checksum), and written in
 * batches: by COPY where the target takes bulk rows (PostgreSQL, where
 * an INSERT is a round trip), else by INSERTs of BATCH_ROWS rows. The
 * memory of a copy does not grow with the store. */
#include "store/admin.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/hash64.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"

/* The table's columns as a select list: "a", "b", ... */
static void column_list(struct crm_buf *b, char **cols, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++) {
		if (i > 0)
			crm_buf_adds(b, ", ");
		crm_admin_quote(b, cols[i]);
	}
}

static int select_all(struct crm_store *s, const char *table, char **cols, size_t ncols,
		      struct crm_stmt **st, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int rc;

	crm_buf_adds(&sql, "SELECT ");
	column_list(&sql, cols, ncols);
	crm_buf_adds(&sql, " FROM ");
	crm_admin_quote(&sql, table);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), st, e);
	crm_buf_free(&sql);
	/* a table of millions of rows: PostgreSQL reads it through a cursor
	 * rather than whole into memory */
	if (rc == 0)
		crm_stmt_stream(*st);
	return rc;
}

/* One value as the checksum sees it: NULL, or its text with its length
 * (numbers printed alike on both backends, floats to 17 digits). */
static void add_value(struct crm_buf *b, struct crm_stmt *st, int i)
{
	char num[40];

	switch (crm_column_type(st, i)) {
	case CRM_NULL:
		crm_buf_addc(b, 'N');
		return;
	case CRM_INTEGER:
		snprintf(num, sizeof(num), "%" PRId64, crm_column_int64(st, i));
		crm_buf_addf(b, "V%zu:%s", strlen(num), num);
		return;
	case CRM_FLOAT:
		snprintf(num, sizeof(num), "%.17g", crm_column_double(st, i));
		crm_buf_addf(b, "V%zu:%s", strlen(num), num);
		return;
	default:
		crm_buf_addf(b, "V%zu:", crm_column_bytes(st, i));
		crm_buf_add(b, crm_column_text(st, i), crm_column_bytes(st, i));
		return;
	}
}

/* The rows of table and the sum of their hashes: the same whatever order
 * the backend returns them in. */
static int checksum(struct crm_store *s, const char *table, char **cols, size_t ncols,
		    int64_t *rows, uint64_t *sum, struct crm_err *e)
{
	struct crm_buf row = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	int rc = select_all(s, table, cols, ncols, &st, e);

	*rows = 0;
	*sum = 0;
	if (rc != 0)
		return rc;
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		crm_buf_reset(&row);
		for (size_t i = 0; i < ncols; i++)
			add_value(&row, st, (int)i);
		*sum += crm_hash64(row.data, row.len, 0);
		(*rows)++;
	}
	crm_stmt_free(st);
	crm_buf_free(&row);
	return rc == CRM_DONE ? 0 : e->code != 0 ? e->code : CRM_EX_SOFTWARE;
}

int crm_admin_checksum(struct crm_store *s, const char *table, int64_t *rows, uint64_t *sum,
		       struct crm_err *e)
{
	char **cols = NULL;
	size_t ncols = 0;
	int rc = crm_store_columns(s, table, &cols, &ncols, e);

	*rows = 0;
	*sum = 0;
	if (rc == 0 && ncols == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no table %s", table);
	if (rc == 0)
		rc = checksum(s, table, cols, ncols, rows, sum, e);
	crm_store_names_free(cols, ncols);
	return rc;
}

/* Rows of a batch: one INSERT of up to this many rows (fewer when the
 * backend's limit of parameters says so), and a progress report after
 * each. */
#define BATCH_ROWS 100

/* The values of the rows read but not yet written, as read. */
struct pending {
	size_t ncols, nrows;
	enum crm_type *type;
	int64_t *i64;
	double *dbl;
	size_t *off, *len;      /* text in text */
	struct crm_buf text;
};

static void pending_init(struct pending *p, size_t ncols, size_t rows)
{
	memset(p, 0, sizeof(*p));
	p->ncols = ncols;
	p->type = xcalloc(ncols * rows, sizeof(*p->type));
	p->i64 = xcalloc(ncols * rows, sizeof(*p->i64));
	p->dbl = xcalloc(ncols * rows, sizeof(*p->dbl));
	p->off = xcalloc(ncols * rows, sizeof(*p->off));
	p->len = xcalloc(ncols * rows, sizeof(*p->len));
}

static void pending_free(struct pending *p)
{
	free(p->type);
	free(p->i64);
	free(p->dbl);
	free(p->off);
	free(p->len);
	crm_buf_free(&p->text);
}

static void pending_add(struct pending *p, struct crm_stmt *st)
{
	for (size_t i = 0; i < p->ncols; i++) {
		size_t k = p->nrows * p->ncols + i;

		p->type[k] = crm_column_type(st, (int)i);
		if (p->type[k] == CRM_INTEGER) {
			p->i64[k] = crm_column_int64(st, (int)i);
		} else if (p->type[k] == CRM_FLOAT) {
			p->dbl[k] = crm_column_double(st, (int)i);
		} else if (p->type[k] != CRM_NULL) {
			p->type[k] = CRM_TEXT;
			p->off[k] = p->text.len;
			p->len[k] = crm_column_bytes(st, (int)i);
			crm_buf_add(&p->text, crm_column_text(st, (int)i), p->len[k]);
		}
	}
	p->nrows++;
}

/* INSERT INTO table (cols) VALUES (?1, ...), ... of rows rows. */
static int prepare_insert(struct crm_store *s, const char *table, char **cols, size_t ncols,
			  size_t rows, struct crm_stmt **st, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int rc;

	crm_buf_adds(&sql, "INSERT INTO ");
	crm_admin_quote(&sql, table);
	crm_buf_adds(&sql, " (");
	column_list(&sql, cols, ncols);
	crm_buf_adds(&sql, ") VALUES ");
	for (size_t r = 0; r < rows; r++) {
		crm_buf_adds(&sql, r > 0 ? ", (" : "(");
		for (size_t i = 0; i < ncols; i++)
			crm_buf_addf(&sql, "%s?%zu", i > 0 ? ", " : "", r * ncols + i + 1);
		crm_buf_addc(&sql, ')');
	}
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), st, e);
	crm_buf_free(&sql);
	return rc;
}

/* Writes the pending rows with put (prepared for exactly that many). */
static int flush(struct crm_store *to, struct crm_stmt *put, struct pending *p,
		 struct crm_err *e)
{
	int rc;

	for (size_t k = 0; k < p->nrows * p->ncols; k++) {
		int n = (int)k + 1;

		switch (p->type[k]) {
		case CRM_NULL:
			crm_bind_null(put, n);
			break;
		case CRM_INTEGER:
			crm_bind_int64(put, n, p->i64[k]);
			break;
		case CRM_FLOAT:
			crm_bind_double(put, n, p->dbl[k]);
			break;
		default:
			crm_bind_text_n(put, n, p->text.data + p->off[k], p->len[k]);
			break;
		}
	}
	rc = crm_store_run(to, put, e);
	p->nrows = 0;
	crm_buf_reset(&p->text);
	return rc;
}

/* A table's rows by INSERTs of BATCH_ROWS rows, in the target's
 * transaction: SQLite's way (each costs no round trip). */
static int copy_inserts(struct crm_store *to, const char *table, char **cols, size_t ncols,
			struct crm_stmt *get, int64_t total, const struct crm_admin_out *out,
			struct crm_err *e)
{
	struct crm_store *from = get->store;
	struct crm_stmt *put = NULL, *rest = NULL;
	struct pending p;
	int64_t done = 0;
	int limit = crm_store_limit(to, CRM_LIMIT_PARAMS);
	size_t per = ncols > 0 && limit > 0 ? (size_t)limit / ncols : 1;
	int rc, step = CRM_DONE;

	if (per > BATCH_ROWS)
		per = BATCH_ROWS;
	if (per < 1)
		per = 1;
	pending_init(&p, ncols, per);
	rc = prepare_insert(to, table, cols, ncols, per, &put, e);
	while (rc == 0 && (step = crm_store_step(from, get, e)) == CRM_ROW) {
		pending_add(&p, get);
		done++;
		if (p.nrows == per) {
			rc = flush(to, put, &p, e);
			if (out->progress != NULL)
				out->progress(out->ctx, table, done, total);
		}
	}
	if (rc == 0 && step != CRM_DONE)
		rc = e->code != 0 ? e->code : CRM_EX_SOFTWARE;
	if (rc == 0 && p.nrows > 0)
		rc = prepare_insert(to, table, cols, ncols, p.nrows, &rest, e);
	if (rc == 0 && p.nrows > 0)
		rc = flush(to, rest, &p, e);
	if (rc == 0 && out->progress != NULL)
		out->progress(out->ctx, table, done, total);
	crm_stmt_free(put);
	crm_stmt_free(rest);
	pending_free(&p);
	return rc;
}

/* Rows gathered for one COPY on a target that takes bulk rows: a round
 * trip per this many bytes, and memory that does not grow with the
 * table. */
#define BULK_BYTES (4u << 20)

/* One value of st's row as the target's column reads it back: text as it
 * is, numbers in decimal (floats to 17 digits, as the checksum prints
 * them). */
static void copy_value(struct crm_copy *c, struct crm_stmt *st, int i)
{
	char num[40];

	switch (crm_column_type(st, i)) {
	case CRM_NULL:
		crm_copy_null(c);
		return;
	case CRM_INTEGER:
		crm_copy_int64(c, crm_column_int64(st, i));
		return;
	case CRM_FLOAT:
		snprintf(num, sizeof(num), "%.17g", crm_column_double(st, i));
		crm_copy_text(c, num);
		return;
	default:
		crm_copy_text_n(c, crm_column_text(st, i), crm_column_bytes(st, i));
		return;
	}
}

/* A table's rows by COPY (crm_store_copy), BULK_BYTES at a time: a
 * server's way (PostgreSQL: an INSERT of 100 rows is a round trip). */
static int copy_bulk(struct crm_store *to, const char *table, char **cols, size_t ncols,
		     struct crm_stmt *get, int64_t total, const struct crm_admin_out *out,
		     struct crm_err *e)
{
	struct crm_store *from = get->store;
	struct crm_buf names = CRM_BUF_INIT;
	struct crm_copy c = CRM_COPY_INIT;
	int64_t done = 0;
	int rc = 0, step;

	column_list(&names, cols, ncols);
	while ((step = crm_store_step(from, get, e)) == CRM_ROW) {
		for (size_t i = 0; i < ncols; i++)
			copy_value(&c, get, (int)i);
		crm_copy_end_row(&c);
		done++;
		if (c.data.len >= BULK_BYTES) {
			rc = crm_store_copy(to, table, crm_buf_str(&names), &c, e);
			if (rc != 0)
				break;
			if (out->progress != NULL)
				out->progress(out->ctx, table, done, total);
		}
	}
	if (rc == 0 && step != CRM_DONE)
		rc = e->code != 0 ? e->code : CRM_EX_SOFTWARE;
	if (rc == 0)
		rc = crm_store_copy(to, table, crm_buf_str(&names), &c, e);
	if (rc == 0 && out->progress != NULL)
		out->progress(out->ctx, table, done, total);
	crm_copy_free(&c);
	crm_buf_free(&names);
	return rc;
}

/* Copies table's rows, read through a cursor (select_all), in bulk where
 * the target takes bulk rows, else by INSERTs. */
static int copy_rows(struct crm_store *from, struct crm_store *to, const char *table,
		     char **cols, size_t ncols, const struct crm_admin_out *out,
		     struct crm_err *e)
{
	struct crm_stmt *get = NULL;
	int64_t total = 0;
	int rc = crm_admin_count(from, table, &total, e);

	if (rc == 0)
		rc = select_all(from, table, cols, ncols, &get, e);
	if (rc == 0 && crm_store_can_copy(to) && crm_store_plain_name(table))
		rc = copy_bulk(to, table, cols, ncols, get, total, out, e);
	else if (rc == 0)
		rc = copy_inserts(to, table, cols, ncols, get, total, out, e);
	if (rc != 0)
		crm_err_prefix(e, "table %s", table);
	crm_stmt_free(get);
	return rc;
}

static int has_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* The tables table refers to (itself left out), as a list of names. */
static int refs_of(struct crm_store *s, const char *table, struct crm_buf *refs,
		   struct crm_err *e)
{
	struct crm_stmt *st = NULL;
	int rc = crm_store_prepare_built(s, s->be->refs_sql, &st, e);

	crm_buf_reset(refs);
	if (rc != 0)
		return rc;
	crm_bind_text(st, 1, table);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW)
		if (strcmp(crm_column_text(st, 0), table) != 0)
			crm_buf_addf(refs, "%s%c", crm_column_text(st, 0), '\0');
	crm_stmt_free(st);
	return rc == CRM_DONE ? 0 : e->code != 0 ? e->code : CRM_EX_SOFTWARE;
}

/* Orders tables so that a table comes after those it refers to (a
 * circle, which the schema has none of, is left in name order). */
static int order_tables(struct crm_store *s, char **tables, size_t n, struct crm_err *e)
{
	struct crm_buf *refs = xcalloc(n ? n : 1, sizeof(*refs));
	char **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	unsigned char *placed = xcalloc(n ? n : 1, 1);
	size_t got = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = refs_of(s, tables[i], &refs[i], e);
	while (rc == 0 && got < n) {
		size_t pick = n;

		for (size_t i = 0; i < n && pick == n; i++) {
			int ready = !placed[i];

			for (size_t off = 0; ready && off < refs[i].len;
			     off += strlen(refs[i].data + off) + 1)
				for (size_t j = 0; j < n; j++)
					if (!placed[j] && strcmp(tables[j], refs[i].data + off) == 0)
						ready = 0;
			if (ready)
				pick = i;
		}
		for (size_t i = 0; i < n && pick == n; i++)
			if (!placed[i])
				pick = i;
		placed[pick] = 1;
		sorted[got++] = tables[pick];
	}
	if (rc == 0)
		memcpy(tables, sorted, n * sizeof(*tables));
	for (size_t i = 0; i < n; i++)
		crm_buf_free(&refs[i]);
	free(refs);
	free(sorted);
	free(placed);
	return rc;
}

/* to is new: the same version as from, the same tables, none with a row. */
static int check_target(struct crm_store *from, struct crm_store *to, char **tables,
			size_t n, struct crm_err *e)
{
	char **have = NULL;
	size_t nhave = 0;
	int vf = crm_store_schema_version(from), vt = crm_store_schema_version(to);
	int rc;

	if (vf != vt)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "%s has schema version %d, %s has %d: copy needs the same",
				   from->path, vf, to->path, vt);
	rc = crm_store_tables(to, &have, &nhave, e);
	for (size_t i = 0; rc == 0 && i < nhave; i++) {
		int64_t rows = 0;

		rc = crm_admin_count(to, have[i], &rows, e);
		if (rc == 0 && rows > 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "%s is not empty (table %s has %" PRId64 " rows): copy"
					 " writes only into a new store", to->path, have[i], rows);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!has_name(have, nhave, tables[i]))
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s has no table %s: not the same schema",
					 to->path, tables[i]);
	crm_store_names_free(have, nhave);
	return rc;
}

static int copy_table(struct crm_store *from, struct crm_store *to, const char *table,
		      const struct crm_admin_out *out, struct crm_err *e)
{
	char **cols = NULL;
	size_t ncols = 0;
	int64_t rows_from = 0, rows_to = 0, floor = 0;
	uint64_t sum_from = 0, sum_to = 0;
	int rc = crm_store_columns(from, table, &cols, &ncols, e);

	if (rc == 0)
		rc = copy_rows(from, to, table, cols, ncols, out, e);
	if (rc == 0 && has_name(cols, ncols, "id"))
		rc = from->be->id_counter(from, table, &floor, e);
	if (rc == 0 && has_name(cols, ncols, "id"))
		rc = to->be->after_copy(to, table, floor, e);
	if (rc == 0)
		rc = checksum(from, table, cols, ncols, &rows_from, &sum_from, e);
	if (rc == 0)
		rc = checksum(to, table, cols, ncols, &rows_to, &sum_to, e);
	if (rc == 0 && (rows_from != rows_to || sum_from != sum_to))
		rc = crm_err_set(e, CRM_EX_SOFTWARE,
				 "table %s differs after the copy: %" PRId64 " rows, checksum %016" PRIx64
				 " in %s; %" PRId64 " rows, checksum %016" PRIx64 " in %s: nothing copied",
				 table, rows_from, sum_from, from->path, rows_to, sum_to, to->path);
	if (rc == 0 && out->table != NULL)
		out->table(out->ctx, table, rows_to, sum_to);
	crm_store_names_free(cols, ncols);
	return rc;
}

int crm_admin_copy(struct crm_store *from, struct crm_store *to,
		   const struct crm_admin_out *out, struct crm_err *e)
{
	char **tables = NULL;
	size_t n = 0;
	int rc = crm_store_exec(from, from->be->snapshot_sql, e);

	if (rc == 0)
		rc = crm_store_tables(from, &tables, &n, e);
	if (rc == 0)
		rc = check_target(from, to, tables, n, e);
	if (rc == 0)
		rc = order_tables(from, tables, n, e);
	if (rc == 0)
		rc = crm_store_begin(to, e);
	if (rc == 0)
		crm_store_bulk(to);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = copy_table(from, to, tables[i], out, e);
	if (rc == 0)
		rc = crm_store_commit(to, e);
	crm_store_rollback(to);
	crm_store_rollback(from);
	crm_store_names_free(tables, n);
	return rc;
}
