/* copy.c - rows gathered for a bulk write (crm_store_copy, store.h).
 *
 * The format is PostgreSQL's COPY text format, the one backend that
 * takes bulk rows: a tab between values, a newline after each row, \N
 * for NULL, and a backslash before a backslash, tab, newline or carriage
 * return in a value (written as \\, \t, \n, \r).
 */
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "store/backend.h"

void crm_copy_free(struct crm_copy *c)
{
	crm_buf_free(&c->data);
	c->rows = c->values = 0;
}

/* A tab before every value but a row's first. */
static void separate(struct crm_copy *c)
{
	if (c->values++ > 0)
		crm_buf_addc(&c->data, '\t');
}

void crm_copy_text(struct crm_copy *c, const char *v)
{
	if (v == NULL)
		crm_copy_null(c);
	else
		crm_copy_text_n(c, v, strlen(v));
}

void crm_copy_text_n(struct crm_copy *c, const char *v, size_t n)
{
	const char *run = v, *end = v + n;

	separate(c);
	for (; v < end; v++) {
		char esc = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : *v == '\r' ? 'r' : 0;

		if (esc == 0)
			continue;
		crm_buf_add(&c->data, run, (size_t)(v - run));
		crm_buf_addc(&c->data, '\\');
		crm_buf_addc(&c->data, esc);
		run = v + 1;
	}
	crm_buf_add(&c->data, run, (size_t)(end - run));
}

void crm_copy_int64(struct crm_copy *c, int64_t v)
{
	separate(c);
	crm_buf_addf(&c->data, "%" PRId64, v);
}

void crm_copy_null(struct crm_copy *c)
{
	separate(c);
	crm_buf_add(&c->data, "\\N", 2);
}

void crm_copy_end_row(struct crm_copy *c)
{
	crm_buf_addc(&c->data, '\n');
	c->values = 0;
	c->rows++;
}

int crm_store_can_copy(const struct crm_store *s)
{
	return s->be->copy_in != NULL;
}

int crm_store_copy(struct crm_store *s, const char *table, const char *columns,
		   struct crm_copy *c, struct crm_err *e)
{
	int rc = 0;

	if (s->be->copy_in == NULL)
		rc = crm_err_set(e, CRM_EX_SOFTWARE, "store %s takes no bulk rows", s->path);
	else if (!crm_store_plain_name(table))
		rc = crm_err_set(e, CRM_EX_SOFTWARE, "unexpected table \"%.64s\"", table);
	else if (c->rows > 0)
		rc = s->be->copy_in(s, table, columns, c->data.data, c->data.len, e);
	crm_buf_reset(&c->data);
	c->rows = c->values = 0;
	return rc;
}

int crm_store_next_id(struct crm_store *s, const char *table, int64_t *id, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st;
	int64_t floor = 0, highest = 0;
	int rc;

	*id = 0;
	if (!crm_store_plain_name(table))
		return crm_err_set(e, CRM_EX_SOFTWARE, "unexpected table \"%.64s\"", table);
	rc = s->be->id_counter(s, table, &floor, e);
	if (rc != 0)
		return rc;
	crm_buf_addf(&sql, "SELECT max(id) FROM %s", table);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	crm_buf_free(&sql);
	if (rc != 0)
		return rc;
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		highest = crm_column_int64(st, 0);
	crm_stmt_free(st);
	if (rc < 0)
		return e->code;
	*id = (highest > floor ? highest : floor) + 1;
	return 0;
}
