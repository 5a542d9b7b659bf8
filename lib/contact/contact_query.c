/* contact_query.c - listing contacts: columns, filters, order, limit. */
#include "contact/contact_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "base/dates.h"
#include "base/err.h"
#include "filter/expr.h"
#include "filter/field.h"
#include "base/money.h"
#include "base/num.h"
#include "io/output.h"
#include "store/store.h"
#include "base/xalloc.h"

/* The values bound to ?1, ?2, ... in the order the SQL text names them
 * (NULL for an expression's own, bound by it). Only filters and computed
 * columns take any: custom fields are read in a second pass (struct
 * pivot), so the number of fields a store holds meets no SQLite limit. */
struct params {
	const char **v;
	size_t n, cap;
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

/* `--fields: unknown field "name" (did you mean "x"?); known: ...`, from
 * the filter language's own list, cut at a name with ", ..." where the
 * whole would not fit in a message (the language grows with every
 * program). */
static int unknown_column(const char *name, struct crm_err *e)
{
	static const char tail[] = ", tags, emails, phones and the name of any custom field a"
				   " contact has";
	struct crm_buf known = CRM_BUF_INIT;
	char head[200], hint[100] = "", near[64];
	const char *best = name[0] != '\0' ? crm_filter_suggest(name, CRM_SCOPE_CONTACT, near) : NULL;
	size_t room, len;

	if (best != NULL)
		snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", best);
	snprintf(head, sizeof(head), "--fields: unknown field \"%.64s\"%s; known: ", name, hint);
	crm_expr_known_names(&known);
	room = sizeof(e->msg) - 1 - strlen(head) - (sizeof(tail) - 1);
	len = known.len;
	if (len > room) {
		const char *s = crm_buf_str(&known);

		len = room - 5;   /* ", ..." */
		while (len > 0 && !(s[len] == ',' && s[len + 1] == ' '))
			len--;
	}
	crm_err_set(e, CRM_EX_USAGE, "%s%.*s%s%s", head, (int)len, crm_buf_str(&known),
		    len < known.len ? ", ..." : "", tail);
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
	struct crm_stmt *st;
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
		crm_bind_int64(st, 1, q->id);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW)
		add_column(q, -1, 0, (const char *)crm_column_text(st, 0));
	crm_stmt_reset(st);
	return rc == CRM_DONE ? 0 : e->code;
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

static void push_param(struct params *pp, const char *v)
{
	if (pp->n == pp->cap) {
		pp->cap = pp->cap == 0 ? 16 : pp->cap * 2;
		pp->v = xreallocarray(pp->v, pp->cap, sizeof(*pp->v));
	}
	pp->v[pp->n++] = v;
}

static void param(struct params *pp, const char *v, struct crm_buf *sql)
{
	push_param(pp, v);
	crm_buf_addf(sql, "?%zu", pp->n);
}

/* Takes the numbers of the n parameters an expression binds itself. */
static void reserve(struct params *pp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		push_param(pp, NULL);
}

static int custom(const struct crm_contact_column *c)
{
	return c->field < 0 && c->expr == NULL && c->tags == CRM_COL_FIELD;
}

/* The terms of q's WHERE: each tag, --where and --filter, the search,
 * and the one that leaves out erased contacts (or picks q->id). */
static size_t filters(const struct crm_contact_query *q)
{
	return 1 + q->ntags + q->nwhere + (q->search != NULL) + (q->filter != NULL);
}

/* Custom fields looked up one by one in the SQL, at most. */
#define INLINE_CUSTOM_MAX 16

/* 1 if q's custom field columns are read by the pivot (struct pivot), 0
 * if by a lookup each in the SQL. The pivot reads every field of each
 * contact in one pass: what an export of all of them needs, in id order
 * without a seek; any number of them. A few of them, of contacts in
 * another order or picked by filters, cost less as lookups (a listing
 * of 100k contacts sorted by name with two custom fields, of 11 each
 * contact has: 0.3 s of CPU against 0.6 s by the pivot). */
static int pivot_custom(const struct crm_contact_query *q)
{
	size_t n = 0;

	for (size_t i = 0; i < q->ncols; i++)
		n += custom(&q->cols[i]);
	return n > INLINE_CUSTOM_MAX || (q->nsort == 0 && filters(q) == 1 && q->id == 0);
}

/* q's statement; custom field columns left to the pivot if pivot. */
static int build_sql(const struct crm_contact_query *q, int pivot, struct crm_buf *sql,
		     struct params *pp, char *like, struct crm_expr_sql *x,
		     struct crm_expr_sql *xcols, struct crm_err *e)
{
	const char *glue = " WHERE ";
	int64_t now = q->now != 0 ? q->now : crm_now();

	/* c.id first: the pivot finds the contact's custom fields by it */
	crm_buf_adds(sql, "SELECT c.id");
	for (size_t i = 0; i < q->ncols; i++) {
		const struct crm_contact_column *c = &q->cols[i];

		if (pivot && custom(c))
			continue;
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
			reserve(pp, xcols[i].nparams);
		} else if (c->tags == CRM_COL_TAGS) {
			crm_buf_adds(sql, "(SELECT group_concat(tag, ';') FROM (SELECT tag"
				     " FROM contact_tags WHERE contact_id = c.id ORDER BY tag) AS t)");
		} else if (c->tags == CRM_COL_EMAILS || c->tags == CRM_COL_PHONES) {
			int phones = c->tags == CRM_COL_PHONES;

			crm_buf_addf(sql, "(SELECT group_concat(v, '; ') FROM (SELECT %s ||"
				     " coalesce(' (' || type || ')', '') AS v FROM %s"
				     " WHERE contact_id = c.id ORDER BY id) AS t)",
				     phones ? "phone" : "email",
				     phones ? "contact_phones" : "contact_emails");
		} else {
			crm_buf_adds(sql, "(SELECT value FROM contact_fields WHERE"
				     " contact_id = c.id AND name = ");
			param(pp, c->custom, sql);
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
		param(pp, q->tags[i], sql);
		crm_buf_addc(sql, ')');
		glue = " AND ";
	}
	if (q->search != NULL) {
		crm_buf_addf(sql, "%s(coalesce(c.first_name, '') || ' ' ||"
			     " coalesce(c.last_name, '') LIKE ", glue);
		param(pp, like, sql);
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
			param(pp, w->value, sql);
		} else {
			crm_buf_addf(sql, "%scoalesce((SELECT value FROM contact_fields WHERE"
				     " contact_id = c.id AND name = ", glue);
			param(pp, w->custom, sql);
			crm_buf_adds(sql, "), '') = ");
			param(pp, w->value, sql);
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
	struct crm_stmt *st = NULL;
	int rc = 0;

	for (size_t i = 0; i < q->ncols && rc == 0; i++) {
		if (!q->cols[i].check)
			continue;
		if (st == NULL)
			st = crm_store_prepare(s, "SELECT 1 FROM contact_fields WHERE name = ?1 LIMIT 1");
		crm_bind_text_ref(st, 1, q->cols[i].custom);
		rc = crm_store_step(s, st, e);
		crm_stmt_reset(st);
		rc = rc == CRM_ROW ? 0 : rc == CRM_DONE ? unknown_column(q->cols[i].custom, e)
		   : e->code;
	}
	return rc;
}

/* The custom field columns of a query, filled for each contact from one
 * statement over contact_fields in key order (contact id, name), merged
 * with the contacts' rows: a listing in id order reads contact_fields
 * once, front to back, and seeks again only where a contact's id is not
 * ahead of where it stands (another order, a filter that skips). */
struct pivot {
	struct crm_stmt *st;
	int seeked;         /* st stands on a row, or at its end */
	int64_t lo;         /* st was seeked to, or served, lo: no row of a */
	int64_t cur;        /* contact between lo and cur is left; cur is the
			     * contact of its row, INT64_MAX at the end */
	struct slot {
		const char *name;
		size_t col;
	} *slots;           /* the custom columns, ordered by name */
	size_t nslots;
	struct crm_buf vals;  /* this contact's values, NUL-terminated */
	size_t *off;          /* per column: offset in vals, or SIZE_MAX */
};

static int by_name(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : x->col < y->col ? -1 : x->col > y->col;
}

static void pivot_free(struct pivot *pv)
{
	crm_stmt_free(pv->st);
	free(pv->slots);
	free(pv->off);
	crm_buf_free(&pv->vals);
	memset(pv, 0, sizeof(*pv));
}

static int pivot_init(struct crm_store *s, const struct crm_contact_query *q,
		      struct pivot *pv, struct crm_err *e)
{
	int rc;

	memset(pv, 0, sizeof(*pv));
	for (size_t i = 0; i < q->ncols; i++)
		if (custom(&q->cols[i])) {
			pv->slots = xreallocarray(pv->slots, pv->nslots + 1, sizeof(*pv->slots));
			pv->slots[pv->nslots].name = q->cols[i].custom;
			pv->slots[pv->nslots++].col = i;
		}
	if (pv->nslots == 0)
		return 0;
	qsort(pv->slots, pv->nslots, sizeof(*pv->slots), by_name);
	pv->off = xcalloc(q->ncols, sizeof(*pv->off));
	rc = crm_store_prepare_built(s,
		"SELECT contact_id, name, value FROM contact_fields WHERE contact_id >= ?1"
		" ORDER BY contact_id, name", &pv->st, e);
	if (rc == 0 && q->id == 0 && (q->limit == 0 || q->limit > 2000))
		crm_stmt_stream(pv->st);
	return rc;
}

/* Steps the pivot's statement: cur is the contact of its new row. */
static int pivot_step(struct crm_store *s, struct pivot *pv, struct crm_err *e)
{
	int rc = crm_store_step(s, pv->st, e);

	if (rc < 0)
		return e->code;
	pv->cur = rc == CRM_ROW ? crm_column_int64(pv->st, 0) : INT64_MAX;
	return 0;
}

/* The slot of custom field name, the first of several with that name,
 * or pv->nslots when no column asks for it. */
static size_t pivot_find(const struct pivot *pv, const char *name)
{
	size_t lo = 0, hi = pv->nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(pv->slots[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pv->nslots && strcmp(pv->slots[lo].name, name) == 0 ? lo : pv->nslots;
}

/* Sets vals[i] of every custom column to contact id's value, NULL where
 * it has none. */
static int pivot_fill(struct crm_store *s, struct pivot *pv, int64_t id,
		      const char **vals, struct crm_err *e)
{
	int rc = 0;

	if (pv->nslots == 0)
		return 0;
	for (size_t k = 0; k < pv->nslots; k++)
		pv->off[pv->slots[k].col] = SIZE_MAX;
	crm_buf_reset(&pv->vals);
	if (!pv->seeked || id < pv->lo || id > pv->cur) {
		crm_stmt_reset(pv->st);
		crm_bind_int64(pv->st, 1, id);
		pv->seeked = 1;
		rc = pivot_step(s, pv, e);
	}
	pv->lo = id;
	while (rc == 0 && pv->cur == id) {
		const char *name = (const char *)crm_column_text(pv->st, 1);
		const char *v = (const char *)crm_column_text(pv->st, 2);

		for (size_t k = pivot_find(pv, name);
		     k < pv->nslots && strcmp(pv->slots[k].name, name) == 0; k++) {
			pv->off[pv->slots[k].col] = pv->vals.len;
			crm_buf_add(&pv->vals, v, strlen(v) + 1);
		}
		rc = pivot_step(s, pv, e);
	}
	if (rc != 0) {
		pv->seeked = 0;
		return rc;
	}
	for (size_t k = 0; k < pv->nslots; k++) {
		size_t i = pv->slots[k].col;

		vals[i] = pv->off[i] == SIZE_MAX ? NULL : pv->vals.data + pv->off[i];
	}
	return 0;
}

/* A query prepared and being stepped. */
struct exec {
	struct crm_stmt *st;
	struct params pp;
	struct crm_expr_sql x;       /* the filter's */
	struct crm_expr_sql *xcols;  /* each computed column's */
	int *sqlcol;                 /* each column's in st, or -1: pivoted */
	int pivot;                   /* custom fields by the pivot */
	char *like;
	struct pivot pv;
	const char **names;
	const char **vals;
	char (*money)[32];
	char code[4];
};

static void exec_close(const struct crm_contact_query *q, struct exec *x)
{
	crm_stmt_free(x->st);
	crm_expr_sql_free(&x->x);
	for (size_t i = 0; i < q->ncols; i++)
		crm_expr_sql_free(&x->xcols[i]);
	free(x->xcols);
	free(x->sqlcol);
	free(x->pp.v);
	free(x->like);
	pivot_free(&x->pv);
	free(x->names);
	free(x->vals);
	free(x->money);
	memset(x, 0, sizeof(*x));
}

/* Builds, checks and prepares q's statement, before anything is written:
 * what fails here is a usage error or a bug, never the store's data. */
static int exec_open(struct crm_store *s, const struct crm_contact_query *q,
		     struct exec *x, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int depth = crm_store_limit(s, CRM_LIMIT_EXPR_DEPTH) - 10;
	int maxcols = crm_store_limit(s, CRM_LIMIT_COLUMNS);
	int maxparams = crm_store_limit(s, CRM_LIMIT_PARAMS);
	int ncols = 1, rc;

	memset(x, 0, sizeof(*x));
	x->xcols = xcalloc(q->ncols, sizeof(*x->xcols));
	x->sqlcol = xcalloc(q->ncols, sizeof(*x->sqlcol));
	x->names = xcalloc(q->ncols, sizeof(*x->names));
	x->vals = xcalloc(q->ncols, sizeof(*x->vals));
	x->money = xcalloc(q->ncols, sizeof(*x->money));
	x->like = q->search != NULL ? like_pattern(q->search) : NULL;
	crm_default_currency_code(x->code);
	x->pivot = pivot_custom(q);
	for (size_t i = 0; i < q->ncols; i++) {
		x->names[i] = crm_contact_column_name(&q->cols[i]);
		x->sqlcol[i] = x->pivot && custom(&q->cols[i]) ? -1 : ncols++;
	}
	rc = build_sql(q, x->pivot, &sql, &x->pp, x->like, &x->x, x->xcols, e);
	/* Only what the command line asks for reaches these limits: the
	 * filters are a chain of ANDs as deep as they are many, the computed
	 * columns and the values they and the filters bind. */
	if (rc == 0 && filters(q) > (size_t)depth)
		rc = crm_err_set(e, CRM_EX_USAGE, "too many filters: %zu, at most %d", filters(q),
				 depth);
	if (rc == 0 && ncols > maxcols)
		rc = crm_err_set(e, CRM_EX_USAGE, "too many computed columns: %d, at most %d",
				 ncols - 1, maxcols - 1);
	if (rc == 0 && x->pp.n + x->x.nparams > (size_t)maxparams)
		rc = crm_err_set(e, CRM_EX_USAGE, "too many filters and computed columns: %zu values,"
				 " at most %d", x->pp.n + x->x.nparams, maxparams);
	if (rc == 0)
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &x->st, e);
	crm_buf_free(&sql);
	/* Every contact, for an export: in pieces (a cursor costs a few
	 * round trips more, worth it only for many rows). */
	if (rc == 0 && q->id == 0 && (q->limit == 0 || q->limit > 2000))
		crm_stmt_stream(x->st);
	if (rc == 0 && x->pivot)
		rc = pivot_init(s, q, &x->pv, e);
	if (rc != 0) {
		exec_close(q, x);
		return rc;
	}
	for (size_t i = 0; i < x->pp.n; i++)
		if (x->pp.v[i] != NULL)  /* else an expression's, bound below */
			crm_bind_text_ref(x->st, (int)i + 1, x->pp.v[i]);
	for (size_t i = 0; i < q->ncols; i++)
		crm_expr_bind(&x->xcols[i], x->st);
	crm_expr_bind(&x->x, x->st);
	return 0;
}

/* The next contact into x->vals: CRM_ROW, CRM_DONE, or -1 with e
 * set. */
static int exec_next(struct crm_store *s, const struct crm_contact_query *q,
		     struct exec *x, struct crm_err *e)
{
	int rc = crm_store_step(s, x->st, e);

	if (rc != CRM_ROW)
		return rc;
	for (size_t i = 0; i < q->ncols; i++) {
		int c = x->sqlcol[i];

		if (c < 0)
			continue;
		if (q->cols[i].show == CRM_EXPR_SHOW_MONEY &&
		    crm_column_type(x->st, c) != CRM_NULL) {
			crm_amount_format(crm_column_int64(x->st, c), x->code, x->money[i]);
			x->vals[i] = x->money[i];
		} else {
			x->vals[i] = (const char *)crm_column_text(x->st, c);
		}
	}
	if (pivot_fill(s, &x->pv, crm_column_int64(x->st, 0), x->vals, e) != 0)
		return -1;
	return CRM_ROW;
}

/* crm_contact_query_each once the columns are checked. */
static int query_each(struct crm_store *s, const struct crm_contact_query *q,
		      int (*row)(void *ctx, size_t n, const char *const *names,
				 const char *const *vals),
		      void *ctx, struct crm_err *e)
{
	struct exec x;
	int rc = exec_open(s, q, &x, e);

	if (rc != 0)
		return rc;
	while ((rc = exec_next(s, q, &x, e)) == CRM_ROW) {
		rc = row(ctx, q->ncols, x.names, x.vals);
		if (rc != 0)
			break;
	}
	if (rc == CRM_DONE)
		rc = 0;
	else if (rc < 0)
		rc = e->code;
	exec_close(q, &x);
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

int crm_contact_query_run(struct crm_store *s,
			  const struct crm_contact_query *q,
			  struct crm_out *out, unsigned long *nrows,
			  struct crm_err *e)
{
	struct exec x;
	unsigned long n = 0;
	int rc = check_columns(s, q, e);

	/* before the header: a bad column or query writes nothing */
	if (rc == 0)
		rc = exec_open(s, q, &x, e);
	if (rc != 0)
		return rc;
	crm_out_columns(out, q->ncols, x.names);
	for (size_t i = 0; i < q->ncols; i++)
		if (crm_contact_column_numeric(&q->cols[i]))
			crm_out_numeric(out, i);
	while ((rc = exec_next(s, q, &x, e)) == CRM_ROW) {
		crm_out_row(out, x.vals);
		n++;
	}
	rc = rc == CRM_DONE ? 0 : e->code;
	exec_close(q, &x);
	if (nrows != NULL)
		*nrows = n;
	return rc;
}
