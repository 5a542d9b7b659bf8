/* contact_query.c - listing contacts: columns, filters, order, limit. */
#include "contact/contact_query.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "base/dates.h"
#include "base/err.h"
#include "filter/expr.h"
#include "base/money.h"
#include "base/num.h"
#include "io/output.h"
#include "store/store.h"
#include "base/xalloc.h"

#define MAX_PARAMS 256

/* The values bound to ?1, ?2, ... in the order the SQL text names them. */
struct params {
	const char *v[MAX_PARAMS];
	size_t n;
};

void crm_contact_query_init(struct crm_contact_query *q)
{
	memset(q, 0, sizeof(*q));
}

void crm_contact_query_free_columns(struct crm_contact_query *q)
{
	for (size_t i = 0; i < q->ncols; i++) {
		free(q->cols[i].custom);
		free(q->cols[i].expr);
	}
	free(q->cols);
	q->cols = NULL;
	q->ncols = 0;
}

void crm_contact_query_free(struct crm_contact_query *q)
{
	crm_contact_query_free_columns(q);
	for (size_t i = 0; i < q->ntags; i++)
		free(q->tags[i]);
	free(q->tags);
	free(q->search);
	free(q->filter);
	for (size_t i = 0; i < q->nwhere; i++) {
		free(q->where[i].custom);
		free(q->where[i].value);
	}
	free(q->where);
	crm_contact_query_init(q);
}

static void add_column(struct crm_contact_query *q, int field, int tags,
		       const char *custom)
{
	q->cols = xreallocarray(q->cols, q->ncols + 1, sizeof(*q->cols));
	q->cols[q->ncols].field = field;
	q->cols[q->ncols].tags = tags;
	q->cols[q->ncols].custom = custom != NULL ? xstrdup(custom) : NULL;
	q->cols[q->ncols].expr = NULL;
	q->cols[q->ncols].show = CRM_EXPR_SHOW_TEXT;
	q->cols[q->ncols].check = 0;
	q->ncols++;
}

/* `--fields: unknown field "name"; known: ...`, from the filter
 * language's own list. */
static int unknown_column(const char *name, struct crm_err *e)
{
	struct crm_buf known = CRM_BUF_INIT;

	crm_expr_known_names(&known);
	crm_err_set(e, CRM_EX_USAGE, "--fields: unknown field \"%.64s\"; known: %s, tags, emails,"
		    " phones and the name of any custom field a contact has", name, crm_buf_str(&known));
	crm_buf_free(&known);
	return CRM_EX_USAGE;
}

int crm_contact_query_columns(struct crm_contact_query *q, const char *list,
			      struct crm_err *e)
{
	const char *p = list;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char *name = xstrndup(p, len);
		int f = crm_contact_field_index(name), rc;
		struct crm_expr_sql x;
		enum crm_expr_show show;

		memset(&x, 0, sizeof(x));
		if (f >= 0) {
			add_column(q, f, 0, NULL);
		} else if (strcmp(name, "tags") == 0) {
			add_column(q, -1, CRM_COL_TAGS, NULL);
		} else if (strcmp(name, "emails") == 0) {
			add_column(q, -1, CRM_COL_EMAILS, NULL);
		} else if (strcmp(name, "phones") == 0) {
			add_column(q, -1, CRM_COL_PHONES, NULL);
		} else if ((rc = crm_expr_column(name, q->now, 1, &x, &show, e)) == 0) {
			add_column(q, -1, 0, NULL);
			q->cols[q->ncols - 1].expr = xstrdup(name);
			q->cols[q->ncols - 1].show = (int)show;
		} else if (rc == CRM_EX_NOTFOUND && crm_contact_check_custom_name(name, NULL) == 0) {
			add_column(q, -1, 0, name);
			q->cols[q->ncols - 1].check = 1;
		} else {
			if (rc == CRM_EX_NOTFOUND)
				unknown_column(name, e);
			else
				crm_err_prefix(e, "--fields");
			crm_expr_sql_free(&x);
			free(name);
			return CRM_EX_USAGE;
		}
		crm_expr_sql_free(&x);
		free(name);
		p += len;
		if (*p == ',')
			p++;
	}
	if (q->ncols == 0)
		return crm_err_set(e, CRM_EX_USAGE, "no fields given");
	return 0;
}

int crm_contact_query_all_columns(struct crm_contact_query *q,
				  struct crm_store *s, struct crm_err *e)
{
	sqlite3_stmt *st;
	int rc;

	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++)
		add_column(q, f, 0, NULL);
	add_column(q, -1, CRM_COL_TAGS, NULL);
	add_column(q, -1, CRM_COL_EMAILS, NULL);
	add_column(q, -1, CRM_COL_PHONES, NULL);
	/* One contact: its own custom fields, found by its key, not a scan. */
	st = crm_store_prepare(s, q->id > 0
		? "SELECT name FROM contact_fields WHERE contact_id = ?1 ORDER BY name"
		: "SELECT DISTINCT name FROM contact_fields ORDER BY name");
	if (q->id > 0)
		sqlite3_bind_int64(st, 1, q->id);
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW)
		add_column(q, -1, 0, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : e->code;
}

int crm_contact_query_where(struct crm_contact_query *q, const char *expr,
			    struct crm_err *e)
{
	const char *eq = strchr(expr, '=');
	char *name;
	int f;

	if (eq == NULL || eq == expr)
		return crm_err_set(e, CRM_EX_USAGE, "--where wants FIELD=VALUE, not \"%.64s\"", expr);
	name = xstrndup(expr, (size_t)(eq - expr));
	f = crm_contact_field_index(name);
	if (f < 0 && crm_contact_check_custom_name(name, NULL) != 0) {
		crm_err_set(e, CRM_EX_USAGE, "unknown field \"%.64s\"", name);
		free(name);
		return CRM_EX_USAGE;
	}
	q->where = xreallocarray(q->where, q->nwhere + 1, sizeof(*q->where));
	q->where[q->nwhere].field = f;
	q->where[q->nwhere].custom = f < 0 ? name : NULL;
	q->where[q->nwhere].value = NULL;
	if (f >= 0 && !crm_contact_fields[f].read_only && eq[1] != '\0') {
		/* Compare as stored: status=Customer, email_opt_out=yes. */
		struct crm_buf norm = CRM_BUF_INIT;
		int rc = crm_contact_normalize(f, eq + 1, crm_now(), &norm, e);

		if (rc != 0) {
			crm_buf_free(&norm);
			free(name);
			crm_err_prefix(e, "--where");
			e->code = CRM_EX_USAGE;
			return CRM_EX_USAGE;
		}
		q->where[q->nwhere].value = crm_buf_detach(&norm);
	} else {
		q->where[q->nwhere].value = xstrdup(eq + 1);
	}
	q->nwhere++;
	if (f >= 0)
		free(name);
	return 0;
}

void crm_contact_query_tag(struct crm_contact_query *q, const char *tag)
{
	q->tags = xreallocarray(q->tags, q->ntags + 1, sizeof(*q->tags));
	q->tags[q->ntags++] = xstrdup(tag);
}

int crm_contact_query_sort(struct crm_contact_query *q, const char *spec,
			   struct crm_err *e)
{
	const char *p = spec;

	q->nsort = 0;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		int desc = *p == '-';
		char *name = xstrndup(p + desc, len - (size_t)desc);
		int f = crm_contact_field_index(name);

		if (f < 0 || q->nsort == sizeof(q->sort_field) / sizeof(q->sort_field[0])) {
			crm_err_set(e, CRM_EX_USAGE, f < 0 ? "cannot sort by \"%.64s\"" :
				    "too many sort fields at \"%.64s\"", name);
			free(name);
			return CRM_EX_USAGE;
		}
		free(name);
		q->sort_field[q->nsort] = f;
		q->sort_desc[q->nsort] = desc;
		q->nsort++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int param(struct params *pp, const char *v, struct crm_buf *sql)
{
	if (pp->n == MAX_PARAMS)
		return -1;
	pp->v[pp->n++] = v;
	crm_buf_addf(sql, "?%zu", pp->n);
	return 0;
}

/* Takes the numbers of the n parameters an expression binds itself. */
static int reserve(struct params *pp, size_t n)
{
	if (n > MAX_PARAMS - pp->n)
		return -1;
	for (size_t i = 0; i < n; i++)
		pp->v[pp->n++] = NULL;
	return 0;
}

static int build_sql(const struct crm_contact_query *q, struct crm_buf *sql,
		     struct params *pp, char *like, struct crm_expr_sql *x,
		     struct crm_expr_sql *xcols, struct crm_err *e)
{
	const char *glue = " WHERE ";
	int64_t now = q->now != 0 ? q->now : crm_now();
	int bad = 0;

	crm_buf_adds(sql, "SELECT ");
	for (size_t i = 0; i < q->ncols; i++) {
		const struct crm_contact_column *c = &q->cols[i];

		if (i > 0)
			crm_buf_adds(sql, ", ");
		if (c->field >= 0) {
			crm_buf_addf(sql, "c.%s", crm_contact_fields[c->field].name);
		} else if (c->expr != NULL) {
			/* the filter's own SQL: the same subqueries, no scan */
			enum crm_expr_show show;
			int rc = crm_expr_column(c->expr, now, (int)pp->n + 1, &xcols[i], &show, e);

			if (rc != 0)
				return rc == CRM_EX_NOTFOUND ? crm_err_set(e, CRM_EX_SOFTWARE,
					"column \"%.64s\" no longer known", c->expr) : rc;
			crm_buf_adds(sql, crm_buf_str(&xcols[i].where));
			bad |= reserve(pp, xcols[i].nparams);
		} else if (c->tags == CRM_COL_TAGS) {
			crm_buf_adds(sql, "(SELECT group_concat(tag, ';') FROM (SELECT tag"
				     " FROM contact_tags WHERE contact_id = c.id ORDER BY tag))");
		} else if (c->tags == CRM_COL_EMAILS || c->tags == CRM_COL_PHONES) {
			int phones = c->tags == CRM_COL_PHONES;

			crm_buf_addf(sql, "(SELECT group_concat(v, '; ') FROM (SELECT %s ||"
				     " coalesce(' (' || type || ')', '') AS v FROM %s"
				     " WHERE contact_id = c.id ORDER BY id))",
				     phones ? "phone" : "email",
				     phones ? "contact_phones" : "contact_emails");
		} else {
			crm_buf_adds(sql, "(SELECT value FROM contact_fields WHERE"
				     " contact_id = c.id AND name = ");
			bad |= param(pp, c->custom, sql);
			crm_buf_addc(sql, ')');
		}
	}
	crm_buf_adds(sql, " FROM contacts c");
	if (q->id > 0) {
		crm_buf_addf(sql, "%sc.id = %lld", glue, (long long)q->id);
		glue = " AND ";
	} else {
		/* An erased contact is kept only so reports count right. */
		crm_buf_addf(sql, "%sc.erased_at IS NULL", glue);
		glue = " AND ";
	}
	for (size_t i = 0; i < q->ntags; i++) {
		crm_buf_addf(sql, "%sEXISTS (SELECT 1 FROM contact_tags WHERE"
			     " contact_id = c.id AND tag = ", glue);
		bad |= param(pp, q->tags[i], sql);
		crm_buf_addc(sql, ')');
		glue = " AND ";
	}
	if (q->search != NULL) {
		crm_buf_addf(sql, "%s(coalesce(c.first_name, '') || ' ' ||"
			     " coalesce(c.last_name, '') LIKE ", glue);
		bad |= param(pp, like, sql);
		crm_buf_addf(sql, " ESCAPE '\\' OR c.email LIKE ?%zu ESCAPE '\\'"
			     " OR c.company LIKE ?%zu ESCAPE '\\')", pp->n, pp->n);
		glue = " AND ";
	}
	for (size_t i = 0; i < q->nwhere; i++) {
		const struct crm_contact_where *w = &q->where[i];

		if (w->field >= 0 && w->value[0] == '\0') {
			crm_buf_addf(sql, "%scoalesce(c.%s, '') = ''", glue,
				     crm_contact_fields[w->field].name);
		} else if (w->field >= 0) {
			crm_buf_addf(sql, "%sc.%s = ", glue, crm_contact_fields[w->field].name);
			bad |= param(pp, w->value, sql);
		} else {
			crm_buf_addf(sql, "%scoalesce((SELECT value FROM contact_fields WHERE"
				     " contact_id = c.id AND name = ", glue);
			bad |= param(pp, w->custom, sql);
			crm_buf_adds(sql, "), '') = ");
			bad |= param(pp, w->value, sql);
		}
		glue = " AND ";
	}
	if (q->filter != NULL) {
		/* Its parameters follow ours; nothing after it binds any. */
		int rc = crm_expr_compile(q->filter, now, (int)pp->n + 1, x, e);

		if (rc != 0)
			return rc;
		crm_buf_addf(sql, "%s%s", glue, crm_buf_str(&x->where));
	}
	crm_buf_adds(sql, " ORDER BY ");
	for (size_t i = 0; i < q->nsort; i++)
		crm_buf_addf(sql, "c.%s%s, ", crm_contact_fields[q->sort_field[i]].name,
			     q->sort_desc[i] ? " DESC" : "");
	crm_buf_adds(sql, "c.id");
	if (q->limit > 0)
		crm_buf_addf(sql, " LIMIT %lld", (long long)q->limit);
	if (bad)
		return crm_err_set(e, CRM_EX_USAGE, "too many fields and filters");
	return 0;
}

/* "%text%" with LIKE's wildcards escaped. */
static char *like_pattern(const char *text)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_addc(&b, '%');
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			crm_buf_addc(&b, '\\');
		crm_buf_addc(&b, *p);
	}
	crm_buf_addc(&b, '%');
	return crm_buf_detach(&b);
}

int crm_contact_column_numeric(const struct crm_contact_column *c)
{
	if (c->expr != NULL)
		return c->show != CRM_EXPR_SHOW_TEXT;
	return c->field == CRM_CF_ID || c->field == CRM_CF_EMAIL_OPT_OUT ||
	       c->field == CRM_CF_SMS_OPT_OUT;
}

const char *crm_contact_column_name(const struct crm_contact_column *c)
{
	return c->field >= 0 ? crm_contact_fields[c->field].name
	     : c->expr != NULL ? c->expr
	     : c->tags == CRM_COL_TAGS ? "tags" : c->tags == CRM_COL_EMAILS ? "emails"
	     : c->tags == CRM_COL_PHONES ? "phones" : c->custom;
}

/* A custom field named bare is a column only when some contact has it:
 * else it is a misspelling (`--fields nosuch`). */
static int check_columns(struct crm_store *s, const struct crm_contact_query *q,
			 struct crm_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	for (size_t i = 0; i < q->ncols && rc == 0; i++) {
		if (!q->cols[i].check)
			continue;
		if (st == NULL)
			st = crm_store_prepare(s, "SELECT 1 FROM contact_fields WHERE name = ?1 LIMIT 1");
		sqlite3_bind_text(st, 1, q->cols[i].custom, -1, SQLITE_STATIC);
		rc = crm_store_step(s, st, e);
		sqlite3_reset(st);
		rc = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? unknown_column(q->cols[i].custom, e)
		   : e->code;
	}
	return rc;
}

/* crm_contact_query_each once the columns are checked. */
static int query_each(struct crm_store *s, const struct crm_contact_query *q,
		      int (*row)(void *ctx, size_t n, const char *const *names,
				 const char *const *vals),
		      void *ctx, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct params pp = { { NULL }, 0 };
	const char **names = xcalloc(q->ncols, sizeof(*names));
	const char **vals = xcalloc(q->ncols, sizeof(*vals));
	char (*money)[32] = xcalloc(q->ncols, sizeof(*money));
	struct crm_expr_sql *xcols = xcalloc(q->ncols, sizeof(*xcols));
	char *like = q->search != NULL ? like_pattern(q->search) : NULL;
	struct crm_expr_sql x;
	sqlite3_stmt *st = NULL;
	char code[4];
	int rc;

	memset(&x, 0, sizeof(x));
	crm_default_currency_code(code);
	rc = build_sql(q, &sql, &pp, like, &x, xcols, e);
	if (rc != 0)
		goto out;
	rc = sqlite3_prepare_v2(crm_store_db(s), crm_buf_str(&sql), -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = crm_store_error(s, rc, e);
		goto out;
	}
	for (size_t i = 0; i < pp.n; i++)
		if (pp.v[i] != NULL)  /* else an expression's, bound below */
			sqlite3_bind_text(st, (int)i + 1, pp.v[i], -1, SQLITE_STATIC);
	for (size_t i = 0; i < q->ncols; i++)
		crm_expr_bind(&xcols[i], st);
	crm_expr_bind(&x, st);
	for (size_t i = 0; i < q->ncols; i++)
		names[i] = crm_contact_column_name(&q->cols[i]);
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		for (size_t i = 0; i < q->ncols; i++) {
			if (q->cols[i].show == CRM_EXPR_SHOW_MONEY &&
			    sqlite3_column_type(st, (int)i) != SQLITE_NULL) {
				crm_amount_format(sqlite3_column_int64(st, (int)i), code, money[i]);
				vals[i] = money[i];
			} else {
				vals[i] = (const char *)sqlite3_column_text(st, (int)i);
			}
		}
		rc = row(ctx, q->ncols, names, vals);
		if (rc != 0)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : e->code;
out:
	sqlite3_finalize(st);
	crm_expr_sql_free(&x);
	for (size_t i = 0; i < q->ncols; i++)
		crm_expr_sql_free(&xcols[i]);
	free(xcols);
	crm_buf_free(&sql);
	free(names);
	free(vals);
	free(money);
	free(like);
	return rc;
}

int crm_contact_query_each(struct crm_store *s,
			   const struct crm_contact_query *q,
			   int (*row)(void *ctx, size_t n, const char *const *names,
				      const char *const *vals),
			   void *ctx, struct crm_err *e)
{
	int rc = check_columns(s, q, e);

	return rc != 0 ? rc : query_each(s, q, row, ctx, e);
}

struct run_ctx {
	struct crm_out *out;
	unsigned long n;
};

static int write_row(void *ctx, size_t n, const char *const *names,
		     const char *const *vals)
{
	struct run_ctx *r = ctx;

	(void)n;
	(void)names;
	crm_out_row(r->out, vals);
	r->n++;
	return 0;
}

int crm_contact_query_run(struct crm_store *s,
			  const struct crm_contact_query *q,
			  struct crm_out *out, unsigned long *nrows,
			  struct crm_err *e)
{
	struct run_ctx r = { out, 0 };
	const char **names;
	int rc = check_columns(s, q, e);

	if (rc != 0)  /* before the header: a bad column writes nothing */
		return rc;
	names = xcalloc(q->ncols, sizeof(*names));
	for (size_t i = 0; i < q->ncols; i++)
		names[i] = crm_contact_column_name(&q->cols[i]);
	crm_out_columns(out, q->ncols, names);
	free(names);
	for (size_t i = 0; i < q->ncols; i++)
		if (crm_contact_column_numeric(&q->cols[i]))
			crm_out_numeric(out, i);
	rc = query_each(s, q, write_row, &r, e);
	if (nrows != NULL)
		*nrows = r.n;
	return rc;
}
