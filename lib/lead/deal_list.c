/* deal_list.c - listing, exporting and showing deals (deal_list.h). */
#include "lead/deal_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "filter/expr.h"
#include "io/output.h"
#include "store/store.h"

const char crm_deal_list_fields[] =
	"id,contact,title,value,currency,pipeline,stage,status,probability,owner,"
	"expected_close,score";

/* The deal's own columns: name, SQL over l (the deal), c (its contact),
 * t (its stage) and p (its pipeline), and how it prints: 'n' a number,
 * 'm' money in the deal's currency, 't' text. */
static const struct column {
	const char *name;
	const char *sql;
	char kind;
} deal_columns[] = {
	{ "id", "l.id", 'n' },
	{ "contact_id", "l.contact_id", 'n' },
	{ "contact", "coalesce(c.email, nullif(trim(coalesce(c.first_name, '') || ' ' ||"
		     " coalesce(c.last_name, '')), ''), c.uid)", 't' },
	{ "email", "c.email", 't' },
	{ "title", "l.title", 't' },
	{ "value", "l.value", 'm' },
	{ "currency", "l.currency", 't' },
	{ "pipeline", "p.name", 't' },
	{ "stage", "t.name", 't' },
	{ "status", "t.kind", 't' },
	{ "probability", "t.probability", 'n' },
	{ "owner", "l.owner", 't' },
	{ "source", "l.source", 't' },
	{ "campaign", "l.campaign", 't' },
	{ "expected_close", "l.expected_close", 't' },
	{ "reason", "l.reason", 't' },
	{ "stage_at", "l.stage_at", 't' },
	{ "closed", "l.closed_at", 't' },
	{ "created", "l.created_at", 't' },
	{ "updated", "l.updated_at", 't' },
	{ "score", "l.score", 'n' },
	{ "points", "l.points", 'n' },
	{ "key", "l.ext_key", 't' },
	{ "converted", "l.converted_at", 't' },
	{ "tags", "(SELECT group_concat(tag, ';') FROM (SELECT tag FROM lead_tags"
		  " WHERE lead_id = l.id AND contact_id = l.contact_id ORDER BY tag) AS g)", 't' },
};
#define NDEAL_COLUMNS (sizeof(deal_columns) / sizeof(deal_columns[0]))

static const char export_fields[] =
	"id,key,contact_id,email,title,value,currency,pipeline,stage,owner,source,campaign,"
	"expected_close,reason,created,closed,score,points,tags";

int crm_deal_query_option(struct crm_deal_query *q, int opt, const char *arg,
			  struct crm_err *e)
{
	const char **text[] = { &q->stage, &q->owner, &q->source, &q->pipeline, &q->status,
		&q->min_value, &q->max_value, &q->closing_before, &q->closing_after, NULL,
		&q->filter, &q->fields, &q->sort, NULL };
	int k = opt - CRM_DEAL_Q_OPT;
	char *end;

	if (k < 0 || k > 13)
		return crm_err_set(e, CRM_EX_USAGE, "unexpected option");
	if (text[k] != NULL) {
		*text[k] = arg;
		return 0;
	}
	if (k == 9 && ((q->stale_days = strtol(arg, &end, 10)) < 1 || *end != '\0' ||
		       q->stale_days > 36500))
		return crm_err_set(e, CRM_EX_USAGE, "--stale takes a number of days (1-36500)");
	if (k == 13 && ((q->limit = strtol(arg, &end, 10)) < 1 || *end != '\0'))
		return crm_err_set(e, CRM_EX_USAGE, "--limit takes a whole number from 1");
	return 0;
}

static const struct column *deal_column(const char *name)
{
	for (size_t i = 0; i < NDEAL_COLUMNS; i++)
		if (strcmp(deal_columns[i].name, name) == 0)
			return &deal_columns[i];
	return NULL;
}

struct listing {
	struct crm_buf sql;
	struct crm_expr_sql x;        /* the parameters of every part */
	char **names;                 /* the output columns */
	char *kinds;                  /* 'n', 'm', 'M' (default currency), 't' */
	size_t ncols;
	int currency_col;             /* the SQL column of the deal's currency
					 (after the output columns) */
};

static void listing_free(struct listing *L)
{
	for (size_t i = 0; i < L->ncols; i++)
		free(L->names[i]);
	free(L->names);
	free(L->kinds);
	crm_buf_free(&L->sql);
	crm_expr_sql_free(&L->x);
}

/* Moves the parameters of y (numbered from L's next) into L. */
static void take_params(struct listing *L, struct crm_expr_sql *y)
{
	L->x.params = xreallocarray(L->x.params, L->x.nparams + y->nparams + 1,
				    sizeof(*L->x.params));
	for (size_t i = 0; i < y->nparams; i++) {
		L->x.params[L->x.nparams++] = y->params[i];
		y->params[i].text = NULL;
	}
}

static void add_name(struct listing *L, const char *name, char kind)
{
	L->names = xreallocarray(L->names, L->ncols + 1, sizeof(*L->names));
	L->kinds = xrealloc(L->kinds, L->ncols + 2);
	L->names[L->ncols] = xstrdup(name);
	L->kinds[L->ncols++] = kind;
	L->kinds[L->ncols] = '\0';
}

/* One output column, a deal column or a name of the filter language. */
static int add_column(struct listing *L, const char *name, int64_t now, struct crm_err *e)
{
	/* lead.value is the deal's value column, printed in its currency (the
	 * language's, scaled to the default currency's decimals, would print
	 * 1.234 KWD as 1.23) */
	const struct column *c = deal_column(strcmp(name, "lead.value") == 0 ? "value" : name);
	struct crm_expr_sql y;
	enum crm_expr_show show;
	int rc;

	if (L->ncols > 0)
		crm_buf_adds(&L->sql, ", ");
	if (c != NULL) {
		crm_buf_adds(&L->sql, c->sql);
		add_name(L, name, c->kind);
		return 0;
	}
	rc = crm_expr_column_in(name, now, (int)L->x.nparams + 1, CRM_SCOPE_DEAL, &y, &show,
				e);
	if (rc == 0) {
		crm_buf_adds(&L->sql, crm_buf_str(&y.where));
		take_params(L, &y);
		add_name(L, name, show == CRM_EXPR_SHOW_MONEY ? 'M' :
			 show == CRM_EXPR_SHOW_NUMBER ? 'n' : 't');
	} else if (rc == CRM_EX_NOTFOUND) {
		rc = crm_err_set(e, CRM_EX_USAGE, "--fields: unknown field \"%.64s\" (a deal's"
				 " column, such as title or stage, or a name of crm-filter(7))", name);
	}
	crm_expr_sql_free(&y);
	return rc;
}

static void where(struct listing *L, int *first, const char *cond)
{
	crm_buf_adds(&L->sql, *first ? " WHERE " : " AND ");
	crm_buf_adds(&L->sql, cond);
	*first = 0;
}

static void cond_text(struct listing *L, int *first, const char *lhs, const char *v)
{
	where(L, first, lhs);
	crm_expr_param_text(&L->x, &L->sql, v);
}

/* value >= or <= v major units, in each currency the deals hold. v is
 * read once in thousandths (the most decimals a currency has: KWD's
 * three), then made each currency's minor units, rounded up for >= and
 * down for <=: --min-value 999.99 holds for 1000 JPY and not for 999,
 * and a JPY deal in the store refuses no --min-value 10.50. */
static int cond_value(struct listing *L, struct crm_store *s, int *first, const char *v,
		      const char *op, const char *opt, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t milli;
	int step, n = 0;

	if (crm_amount_parse(v, "KWD", &milli, e) != 0)
		return crm_err_set(e, CRM_EX_USAGE, "%s: invalid value \"%.40s\" (a number, at"
				   " most 3 decimals)", opt, v);
	st = crm_store_prepare(s, "SELECT DISTINCT currency FROM leads");
	where(L, first, "(");
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char *cur = crm_column_text(st, 0);
		int64_t per = 1000 / crm_currency_minor_per_major(cur);
		int64_t minor = milli / per, rest = milli % per;

		if (rest != 0 && op[0] == '>' && milli > 0)
			minor++;
		else if (rest != 0 && op[0] == '<' && milli < 0)
			minor--;
		crm_buf_adds(&L->sql, n++ > 0 ? " OR (l.currency = " : "(l.currency = ");
		crm_expr_param_text(&L->x, &L->sql, cur);
		crm_buf_addf(&L->sql, " AND l.value %s ", op);
		crm_expr_param_int(&L->x, &L->sql, minor);
		crm_buf_addc(&L->sql, ')');
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	crm_buf_adds(&L->sql, n == 0 ? "1 = 0)" : ")");
	return 0;
}

static int cond_date(struct listing *L, int *first, const char *lhs, const char *v,
		     int64_t now, const char *opt, struct crm_err *e)
{
	int64_t y;
	int m, d;
	char day[16];

	if (crm_date_parse(v, now, &y, &m, &d, e) != 0)
		return crm_err_set(e, CRM_EX_USAGE, "%s: invalid date \"%.40s\"", opt, v);
	crm_date_format(y, m, d, day);
	cond_text(L, first, lhs, day);
	return 0;
}

static int add_sort(struct listing *L, const char *sort, struct crm_err *e)
{
	char *copy = xstrdup(sort), *save = NULL;
	int n = 0, rc = 0;

	for (char *k = strtok_r(copy, ",", &save); k != NULL; k = strtok_r(NULL, ",", &save)) {
		int desc = k[0] == '-';
		const char *name = k + desc;
		size_t i;

		for (i = 0; i < L->ncols && strcmp(L->names[i], name) != 0; i++)
			;
		if (i < L->ncols) {
			crm_buf_addf(&L->sql, "%s%zu%s", n++ == 0 ? " ORDER BY " : ", ", i + 1,
				     desc ? " DESC NULLS LAST" : " NULLS FIRST");
		} else if (deal_column(name) != NULL) {
			/* a column of the deal's own that the listing does not show */
			crm_buf_addf(&L->sql, "%s%s%s", n++ == 0 ? " ORDER BY " : ", ",
				     deal_column(name)->sql, desc ? " DESC NULLS LAST" : " NULLS FIRST");
		} else {
			rc = crm_err_set(e, CRM_EX_USAGE, "--sort: \"%.64s\" is neither a column of"
					 " the listing nor of a deal (add it to --fields)", name);
			break;
		}
	}
	free(copy);
	crm_buf_adds(&L->sql, n == 0 ? " ORDER BY l.id" : ", l.id");
	return rc;
}

/* export: a column field.NAME for every custom field a deal has, in
 * name order, as import reads them back. */
static int add_custom_columns(struct listing *L, struct crm_store *s, int64_t now,
			      struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT DISTINCT name FROM lead_fields"
						" ORDER BY name");
	char **names = NULL;
	size_t n = 0;
	int step, rc = 0;

	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(crm_column_text(st, 0));
	}
	if (step < 0)
		rc = e->code;
	for (size_t i = 0; i < n; i++) {
		char name[160];

		snprintf(name, sizeof(name), "lead.field.%s", names[i]);
		if (rc == 0)
			rc = add_column(L, name, now, e);
		if (rc == 0) {
			free(L->names[L->ncols - 1]);
			L->names[L->ncols - 1] = xstrdup(name + 5);   /* "field.NAME" */
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int build(struct listing *L, struct crm_store *s, const struct crm_deal_query *q,
		 struct crm_err *e)
{
	const char *fields = q->export ? export_fields : q->fields != NULL ? q->fields
		: crm_deal_list_fields;
	char *copy = xstrdup(fields), *save = NULL;
	int first = 1, rc = 0;

	crm_buf_adds(&L->sql, "SELECT ");
	for (char *f = strtok_r(copy, ",", &save); rc == 0 && f != NULL;
	     f = strtok_r(NULL, ",", &save))
		rc = add_column(L, f, q->now, e);
	free(copy);
	if (rc == 0 && q->export)
		rc = add_custom_columns(L, s, q->now, e);
	if (rc == 0 && L->ncols == 0)
		rc = crm_err_set(e, CRM_EX_USAGE, "--fields: no field given");
	if (rc != 0)
		return rc;
	/* the deal's currency last, for its money columns */
	crm_buf_adds(&L->sql, ", l.currency");
	L->currency_col = (int)L->ncols;
	crm_buf_adds(&L->sql, " FROM leads l JOIN contacts c ON c.id = l.contact_id"
		     " JOIN stages t ON t.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id");
	if (q->stage != NULL)
		cond_text(L, &first, "t.name = ", q->stage);
	if (q->pipeline != NULL)
		cond_text(L, &first, "p.name = ", q->pipeline);
	if (q->owner != NULL)
		cond_text(L, &first, "l.owner = ", q->owner);
	if (q->source != NULL)
		cond_text(L, &first, "l.source = ", q->source);
	if (q->status != NULL) {
		if (strcmp(q->status, "closed") == 0)
			where(L, &first, "t.kind <> 'open'");
		else if (strcmp(q->status, "open") == 0 || strcmp(q->status, "won") == 0 ||
			 strcmp(q->status, "lost") == 0)
			cond_text(L, &first, "t.kind = ", q->status);
		else
			return crm_err_set(e, CRM_EX_USAGE, "--status: \"%.40s\" is not open, won,"
					   " lost or closed", q->status);
	}
	if (rc == 0 && q->min_value != NULL)
		rc = cond_value(L, s, &first, q->min_value, ">=", "--min-value", e);
	if (rc == 0 && q->max_value != NULL)
		rc = cond_value(L, s, &first, q->max_value, "<=", "--max-value", e);
	if (rc == 0 && q->closing_before != NULL)
		rc = cond_date(L, &first, "l.expected_close < ", q->closing_before, q->now,
			       "--closing-before", e);
	if (rc == 0 && q->closing_after != NULL)
		rc = cond_date(L, &first, "l.expected_close > ", q->closing_after, q->now,
			       "--closing-after", e);
	if (rc == 0 && q->stale_days > 0) {
		char since[32];

		crm_time_format(q->now - (int64_t)q->stale_days * 86400, since);
		where(L, &first, "t.kind = 'open' AND l.stage_at < ");
		crm_expr_param_text(&L->x, &L->sql, since);
		crm_buf_adds(&L->sql, " AND NOT EXISTS (SELECT 1 FROM interactions i"
			     " WHERE i.contact_id = l.contact_id AND i.type <> 'task' AND i.at >= ");
		crm_expr_param_text(&L->x, &L->sql, since);
		crm_buf_addc(&L->sql, ')');
	}
	if (rc == 0 && q->filter != NULL) {
		struct crm_expr_sql y;

		rc = crm_expr_compile_in(q->filter, q->now, (int)L->x.nparams + 1,
					 CRM_SCOPE_DEAL, &y, e);
		if (rc == 0) {
			where(L, &first, crm_buf_str(&y.where));
			take_params(L, &y);
		} else {
			crm_err_prefix(e, "--filter");
		}
		crm_expr_sql_free(&y);
	}
	if (rc == 0)
		rc = add_sort(L, q->sort != NULL ? q->sort : "", e);
	if (rc == 0 && q->limit > 0)
		crm_buf_addf(&L->sql, " LIMIT %ld", q->limit);
	return rc;
}

/* Money in minor units (text) as its currency writes it, into out. */
static const char *money_text(const char *minor, const char *cur, char out[32])
{
	char def[4];

	if (minor == NULL)
		return NULL;
	if (cur == NULL) {
		crm_default_currency_code(def);
		cur = def;
	}
	crm_amount_format(strtoll(minor, NULL, 10), cur, out);
	return out;
}

int crm_deal_list(struct crm *crm, struct crm_store *s, const struct crm_deal_query *q)
{
	struct listing L;
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;
	struct crm_out *out;
	const char **vals;
	char (*money)[32];
	unsigned long n = 0;
	int rc, step = CRM_DONE;

	memset(&L, 0, sizeof(L));
	crm_buf_init(&L.sql);
	crm_buf_init(&L.x.where);
	L.x.base = 1;
	L.currency_col = -1;
	rc = build(&L, s, q, &e);
	if (rc == 0)
		rc = crm_store_prepare_built(s, crm_buf_str(&L.sql), &st, &e);
	if (rc != 0) {
		listing_free(&L);
		return crm_report(crm, &e);
	}
	crm_expr_bind(&L.x, st);
	crm_stmt_stream(st);
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, L.ncols, (const char *const *)L.names);
	for (size_t i = 0; i < L.ncols; i++)
		if (L.kinds[i] != 't' && !(q->export && L.kinds[i] == 'm'))
			crm_out_numeric(out, i);
	vals = xcalloc(L.ncols, sizeof(*vals));
	money = xcalloc(L.ncols, sizeof(*money));
	while ((step = crm_store_step(s, st, &e)) == CRM_ROW) {
		const char *cur = crm_column_text(st, L.currency_col);

		for (size_t i = 0; i < L.ncols; i++) {
			const char *v = crm_column_text(st, (int)i);

			if (L.kinds[i] == 'm')
				v = money_text(v, cur, money[i]);
			else if (L.kinds[i] == 'M')
				v = money_text(v, NULL, money[i]);
			vals[i] = v;
		}
		crm_out_row(out, vals);
		n++;
	}
	rc = crm_out_close(out, &e);
	free(vals);
	free(money);
	crm_stmt_free(st);
	listing_free(&L);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

/* ---- show ------------------------------------------------------------------- */

/* Prints the rows of st as a listing of ncols columns; money columns
 * ('m' in kinds) in the currency of column cur. */
static int print_rows(struct crm *crm, struct crm_store *s, struct crm_stmt *st, size_t ncols,
		      const char *const *cols, const char *kinds, int cur, struct crm_err *e)
{
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	const char *vals[16];
	char money[16][32];
	int step, rc;

	crm_out_columns(out, ncols, cols);
	for (size_t i = 0; i < ncols; i++)
		if (kinds[i] == 'n')
			crm_out_numeric(out, i);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		for (size_t i = 0; i < ncols; i++) {
			vals[i] = crm_column_text(st, (int)i);
			/* money where its row names a currency (show's value) */
			if (kinds[i] == 'm' && crm_column_text(st, cur) != NULL)
				vals[i] = money_text(vals[i], crm_column_text(st, cur), money[i]);
		}
		crm_out_row(out, vals);
	}
	crm_stmt_reset(st);
	rc = crm_out_close(out, e);
	return step < 0 ? e->code : rc;
}

int crm_deal_show(struct crm *crm, struct crm_store *s, int64_t id)
{
	static const char *const pair_cols[] = { "field", "value" };
	static const char *const stage_cols[] = {
		"stage", "entered", "left", "days", "by", "reason"
	};
	static const char *const event_cols[] = { "at", "event", "from", "to", "by", "detail" };
	struct crm_err e = { 0, "" };
	struct crm_stmt *st;
	char now[32];
	int rc;

	st = crm_store_prepare(s,
		"SELECT f, v, k FROM (SELECT 1 AS o, 'id' AS f, CAST(l.id AS TEXT) AS v, NULL AS k,"
		" 0 AS n FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 2, 'contact', coalesce(c.email, c.uid) || ' (' ||"
		" CAST(c.id AS TEXT) || ')', NULL, 0 FROM leads l JOIN contacts c ON c.id = l.contact_id"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 3, 'title', l.title, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 4, 'value', CAST(l.value AS TEXT), l.currency, 0 FROM leads l"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 5, 'currency', l.currency, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 6, 'pipeline', p.name, NULL, 0 FROM leads l JOIN pipelines p"
		" ON p.id = l.pipeline_id WHERE l.id = ?1"
		" UNION ALL SELECT 7, 'stage', t.name || ' (' || t.kind || ', ' ||"
		" CAST(t.probability AS TEXT) || '%)', NULL, 0 FROM leads l JOIN stages t"
		" ON t.id = l.stage_id WHERE l.id = ?1"
		" UNION ALL SELECT 8, 'owner', l.owner, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 9, 'source', l.source, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 10, 'campaign', l.campaign, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 11, 'expected_close', l.expected_close, NULL, 0 FROM leads l"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 12, 'reason', l.reason, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 13, 'created', l.created_at, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 14, 'closed', l.closed_at, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 15, 'score', CAST(l.score AS TEXT), NULL, 0 FROM leads l"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 16, 'points', CAST(l.points AS TEXT), NULL, 0 FROM leads l"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 17, 'key', l.ext_key, NULL, 0 FROM leads l WHERE l.id = ?1"
		" UNION ALL SELECT 18, 'converted', l.converted_at, NULL, 0 FROM leads l"
		" WHERE l.id = ?1"
		" UNION ALL SELECT 19, 'tag', tag, NULL, 0 FROM lead_tags WHERE lead_id = ?1"
		" UNION ALL SELECT 20, 'field.' || name, value, NULL, 0 FROM lead_fields"
		" WHERE lead_id = ?1) AS x WHERE v IS NOT NULL ORDER BY o, f, v");
	crm_bind_int64(st, 1, id);
	rc = print_rows(crm, s, st, 2, pair_cols, "tm", 2, &e);
	crm_time_format(crm_now(), now);
	if (rc == 0) {
		printf("\n");
		st = crm_store_prepare(s,
			"SELECT to_stage, at, nxt,"
			" printf('%.1f', julianday(coalesce(nxt, ?2)) - julianday(at)), who, detail"
			" FROM (SELECT to_stage, at, who, detail, id,"
			" lead(at) OVER (ORDER BY at, id) AS nxt FROM lead_events"
			" WHERE lead_id = ?1 AND to_stage IS NOT NULL) AS h ORDER BY at, id");
		crm_bind_int64(st, 1, id);
		crm_bind_text(st, 2, now);
		rc = print_rows(crm, s, st, 6, stage_cols, "tttntt", 0, &e);
	}
	if (rc == 0) {
		printf("\n");
		st = crm_store_prepare(s,
			"SELECT at, kind, from_stage, to_stage, who, detail FROM lead_events"
			" WHERE lead_id = ?1 ORDER BY at, id");
		crm_bind_int64(st, 1, id);
		rc = print_rows(crm, s, st, 6, event_cols, "tttttt", 0, &e);
	}
	return rc != 0 ? crm_report(crm, &e) : 0;
}
