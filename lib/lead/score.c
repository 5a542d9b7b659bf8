/* score.c - lead scoring by rules and by a learned model (score.h). */
#include "lead/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/features.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "filter/expr.h"
#include "store/store.h"

const char crm_score_default_features[] =
	"lead.source,lead.owner,lead.value,country,status,lead.touches_90d.in,"
	"lead.touches_90d.out,lead.touches_90d.email,lead.touches_90d.phone,"
	"lead.touches_90d.meeting,lead.first_touch_days";

#define DEALS_FROM " FROM leads l JOIN contacts c ON c.id = l.contact_id" \
	" JOIN stages t ON t.id = l.stage_id"

/* ---- rules ------------------------------------------------------------------ */

/* Compiles expr and prepares it over the deals, to refuse a rule that
 * would fail when applied. */
static int check_expr(struct crm_store *s, const char *expr, int64_t now, struct crm_err *e)
{
	struct crm_expr_sql x;
	struct crm_buf sql;
	struct crm_stmt *st = NULL;
	int rc = crm_expr_compile_in(expr, now, 1, CRM_SCOPE_DEAL, &x, e);

	if (rc == 0) {
		crm_buf_init(&sql);
		crm_buf_addf(&sql, "SELECT 1" DEALS_FROM " WHERE %s LIMIT 1", crm_buf_str(&x.where));
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
		if (rc != 0)
			rc = crm_err_set(e, CRM_EX_USAGE, "the rule does not apply to deals: %s",
					 e->msg);
		crm_stmt_free(st);
		crm_buf_free(&sql);
	}
	crm_expr_sql_free(&x);
	return rc;
}

int crm_score_rule_add(struct crm_store *s, const char *name, const char *expr, int64_t points,
		       int64_t now, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t id;
	int rc;

	if (name[0] == '\0' || strlen(name) > 100)
		return crm_err_set(e, CRM_EX_USAGE, "a rule's name is 1 to 100 bytes");
	rc = check_expr(s, expr, now, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO score_rules (name, expr, points, created_at)"
			       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING RETURNING id");
	crm_bind_text(st, 1, name);
	crm_bind_text(st, 2, expr);
	crm_bind_int64(st, 3, points);
	crm_bind_text(st, 4, crm_store_now(s));
	rc = crm_store_insert_id(s, st, &id, e);
	if (rc == 0 && id == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "rule \"%.64s\" exists (rm it first)", name);
	return rc;
}

int crm_score_rule_rm(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "DELETE FROM score_rules WHERE name = ?1");

	crm_bind_text(st, 1, name);
	return crm_store_run_named(s, st, e, "no rule \"%.64s\"", name);
}

struct crm_stmt *crm_score_rule_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s, "SELECT name, points, expr, created_at FROM score_rules"
				 " ORDER BY name");
}

int crm_score_rules_apply(struct crm_store *s, int64_t now, int64_t *n, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT expr, points FROM score_rules"
						" ORDER BY name");
	struct crm_expr_sql all;
	struct crm_buf sum, sql;
	struct crm_stmt *up = NULL;
	int step, rc = 0;

	memset(&all, 0, sizeof(all));
	crm_buf_init(&all.where);
	all.base = 1;
	crm_buf_init(&sum);
	crm_buf_adds(&sum, "0");
	while ((step = crm_store_step(s, st, e)) == CRM_ROW && rc == 0) {
		struct crm_expr_sql x;

		rc = crm_expr_compile_in(crm_column_text(st, 0), now, (int)all.nparams + 1,
					 CRM_SCOPE_DEAL, &x, e);
		if (rc == 0) {
			crm_buf_addf(&sum, " + CASE WHEN %s THEN %lld ELSE 0 END",
				     crm_buf_str(&x.where), (long long)crm_column_int64(st, 1));
			all.params = xreallocarray(all.params, all.nparams + x.nparams + 1,
						   sizeof(*all.params));
			for (size_t i = 0; i < x.nparams; i++) {
				all.params[all.nparams++] = x.params[i];
				x.params[i].text = NULL;
			}
		}
		crm_expr_sql_free(&x);
	}
	crm_stmt_reset(st);
	if (step < 0)
		rc = e->code;
	crm_buf_init(&sql);
	crm_buf_addf(&sql, "UPDATE leads SET points = (SELECT %s" DEALS_FROM
		     " WHERE l.id = leads.id) WHERE stage_id IN (SELECT id FROM stages"
		     " WHERE kind = 'open')", crm_buf_str(&sum));
	if (rc == 0)
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &up, e);
	if (rc == 0) {
		crm_expr_bind(&all, up);
		rc = crm_store_run(s, up, e);
		*n = crm_store_changes(s);
	}
	crm_stmt_free(up);
	crm_buf_free(&sql);
	crm_buf_free(&sum);
	crm_expr_sql_free(&all);
	return rc;
}

int crm_score_train_option(struct crm_score_train_opts *o, int opt, const char *arg,
			   struct crm_err *e)
{
	char *end;

	switch (opt - CRM_SCORE_OPT) {
	case 0:
		o->features = arg;
		return 0;
	case 1:
		o->categorical = arg;
		return 0;
	case 2:
		o->since = arg;
		return 0;
	case 3:
		o->lambda = strtod(arg, &end);
		if (!(o->lambda >= 0 && o->lambda <= 1e6) || *end != '\0' || end == arg)
			return crm_err_set(e, CRM_EX_USAGE, "--lambda takes a number from 0 to 1000000");
		return 0;
	case 4:
		o->folds = (int)strtol(arg, &end, 10);
		if (o->folds < 2 || o->folds > 20 || *end != '\0')
			return crm_err_set(e, CRM_EX_USAGE, "--folds takes a whole number from 2 to 20");
		return 0;
	case 5:
		o->seed = strtoull(arg, &end, 10);
		if (*end != '\0' || end == arg)
			return crm_err_set(e, CRM_EX_USAGE, "--seed takes a whole number");
		return 0;
	default:
		return crm_err_set(e, CRM_EX_USAGE, "unexpected option");
	}
}

/* ---- features of deals ------------------------------------------------------ */

static void split_list(const char *list, char ***out, size_t *n)
{
	char *copy = xstrdup(list), *save = NULL;

	*out = NULL;
	*n = 0;
	for (char *f = strtok_r(copy, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save)) {
		f += strspn(f, " ");
		if (*f == '\0')
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = xstrdup(f);
	}
	free(copy);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* SELECT l.id, won, f1..fm FROM the deals WHERE where_sql ORDER BY l.id
 * limit: prepared into *out with its parameters in *x (numbered from 1). */
static int feature_query(struct crm_store *s, char *const *names, size_t m, int64_t now,
			 const char *where_sql, const char *limit, struct crm_expr_sql *x,
			 struct crm_stmt **out, enum crm_expr_show *shows, struct crm_err *e)
{
	struct crm_buf sql;
	int rc = 0;

	memset(x, 0, sizeof(*x));
	crm_buf_init(&x->where);
	x->base = 1;
	crm_buf_init(&sql);
	crm_buf_adds(&sql, "SELECT l.id, CASE WHEN t.kind = 'won' THEN 1 ELSE 0 END");
	for (size_t j = 0; rc == 0 && j < m; j++) {
		struct crm_expr_sql y;
		enum crm_expr_show show;

		rc = crm_expr_column_in(names[j], now, (int)x->nparams + 1, CRM_SCOPE_DEAL, &y,
					&show, e);
		if (rc == CRM_EX_NOTFOUND)
			rc = crm_err_set(e, CRM_EX_USAGE, "unknown feature \"%.64s\" (a name of"
					 " crm-filter(7))", names[j]);
		if (rc == 0 && shows != NULL)
			shows[j] = show;
		if (rc == 0) {
			crm_buf_addf(&sql, ", %s", crm_buf_str(&y.where));
			x->params = xreallocarray(x->params, x->nparams + y.nparams + 1,
						  sizeof(*x->params));
			for (size_t i = 0; i < y.nparams; i++) {
				x->params[x->nparams++] = y.params[i];
				y.params[i].text = NULL;
			}
		}
		crm_expr_sql_free(&y);
	}
	crm_buf_addf(&sql, DEALS_FROM " WHERE %s ORDER BY l.id%s", where_sql, limit);
	if (rc == 0)
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), out, e);
	if (rc == 0)
		crm_expr_bind(x, *out);
	crm_buf_free(&sql);
	return rc;
}

/* ---- training --------------------------------------------------------------- */

void crm_score_trained_free(struct crm_score_trained *t)
{
	free_list(t->colnames, t->model.d);   /* before the model, which holds d */
	crm_logit_model_free(&t->model);
	free_list(t->dropped, t->ndropped);
	memset(t, 0, sizeof(*t));
}

struct table {
	char **v;        /* n x m, row-major; NULL: missing */
	double *y;
	size_t n, m, cap;
};

static void table_free(struct table *T)
{
	for (size_t i = 0; i < T->n * T->m; i++)
		free(T->v[i]);
	free(T->v);
	free(T->y);
}

/* Reads the rows of st (id, won, m features) into T. */
static int read_table(struct crm_store *s, struct crm_stmt *st, struct table *T,
		      struct crm_err *e)
{
	int step;

	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		if (T->n == T->cap) {
			T->cap = T->cap ? T->cap * 2 : 1024;
			T->v = xreallocarray(T->v, T->cap * T->m, sizeof(*T->v));
			T->y = xreallocarray(T->y, T->cap, sizeof(*T->y));
		}
		T->y[T->n] = (double)crm_column_int(st, 1);
		for (size_t j = 0; j < T->m; j++) {
			const char *v = crm_column_text(st, (int)j + 2);

			T->v[T->n * T->m + j] = v != NULL ? xstrdup(v) : NULL;
		}
		T->n++;
	}
	return step < 0 ? e->code : 0;
}

static void metrics_text(const struct crm_score_trained *t, struct crm_buf *b)
{
	crm_buf_addf(b, "auc=%.6f log_loss=%.6f brier=%.6f folds=%zu lambda=%.17g"
		     " iterations=%d converged=%d separated=%d loglik=%.17g",
		     t->cv.auc, t->cv.log_loss, t->cv.brier, t->cv.folds, t->model.lambda,
		     t->info.iterations, t->info.converged, t->info.separated, t->info.loglik);
}

int crm_score_train(struct crm_store *s, const struct crm_score_train_opts *o,
		    struct crm_score_trained *out,
		    void (*progress)(void *ctx, const char *what), void *ctx,
		    struct crm_err *e)
{
	char **names = NULL, **cats = NULL;
	size_t m = 0, ncats = 0;
	unsigned char *catflag = NULL;
	struct crm_expr_sql x;
	struct crm_stmt *st = NULL;
	struct crm_buf where, enc_text, model_text, metrics;
	struct crm_features enc;
	struct table T;
	double *xs = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&enc, 0, sizeof(enc));
	memset(&T, 0, sizeof(T));
	split_list(o->features != NULL ? o->features : crm_score_default_features, &names, &m);
	if (o->categorical != NULL)
		split_list(o->categorical, &cats, &ncats);
	if (m == 0) {
		free(names);
		return crm_err_set(e, CRM_EX_USAGE, "--features: no feature given");
	}
	catflag = xcalloc(m, 1);
	rc = 0;
	for (size_t c = 0; c < ncats && rc == 0; c++) {
		size_t j;

		for (j = 0; j < m && strcmp(names[j], cats[c]) != 0; j++)
			;
		if (j == m)
			rc = crm_err_set(e, CRM_EX_USAGE, "--categorical: \"%.64s\" is not one of the"
					 " features", cats[c]);
		else
			catflag[j] = 1;
	}
	crm_buf_init(&where);
	crm_buf_adds(&where, "t.kind <> 'open'");
	if (o->since != NULL) {
		int64_t since = 0;
		char text[32];

		if (rc == 0)
			rc = crm_time_parse(o->since, o->now, &since, e);
		if (rc == 0) {
			crm_time_format(since, text);
			crm_buf_addf(&where, " AND l.closed_at >= '%s'", text);
		}
	}
	if (progress != NULL)
		progress(ctx, "reading the closed deals");
	if (rc == 0)
		rc = feature_query(s, names, m, o->now, crm_buf_str(&where), "", &x, &st, NULL, e);
	T.m = m;
	if (rc == 0)
		rc = read_table(s, st, &T, e);
	crm_stmt_free(st);
	crm_expr_sql_free(&x);
	crm_buf_free(&where);
	for (size_t i = 0; rc == 0 && i < T.n; i++)
		out->won += T.y[i] > 0.5;
	out->lost = T.n - out->won;
	if (rc == 0 && (out->won < 20 || out->lost < 20))
		rc = crm_err_set(e, CRM_EX_DATAERR, "too few closed deals to train: %zu won, %zu lost"
				 " (20 of each are needed)", out->won, out->lost);
	if (rc == 0) {
		struct crm_features_opts fo = { 0, 0, catflag, 1 };

		rc = crm_features_learn((const char *const *)T.v, T.n, m, (const char *const *)names,
					&fo, &enc, e);
	}
	if (rc == 0 && enc.ncols == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no feature tells the deals apart: every one"
				 " has one value in every deal");
	if (rc == 0) {
		xs = xcalloc(T.n * enc.ncols, sizeof(*xs));
		crm_features_encode_rows(&enc, (const char *const *)T.v, T.n, xs, NULL);
		for (size_t j = 0; j < enc.m; j++)
			if (enc.f[j].dropped) {
				out->dropped = xreallocarray(out->dropped, out->ndropped + 1,
							     sizeof(*out->dropped));
				out->dropped[out->ndropped++] = xstrdup(enc.f[j].name);
			}
		if (progress != NULL)
			progress(ctx, "fitting the model");
		rc = crm_logit_fit(xs, T.y, NULL, T.n, enc.ncols, o->lambda, &out->model, &out->info,
				   e);
	}
	if (rc == 0) {
		if (progress != NULL)
			progress(ctx, "cross-validating");
		rc = crm_logit_cv(xs, T.y, T.n, enc.ncols, o->lambda, (size_t)o->folds, o->seed,
				  &out->cv, e);
	}
	if (rc == 0) {
		out->colnames = xcalloc(enc.ncols, sizeof(*out->colnames));
		for (size_t j = 0; j < enc.ncols; j++)
			out->colnames[j] = xstrdup(enc.colname[j]);
		crm_buf_init(&enc_text);
		crm_buf_init(&model_text);
		crm_buf_init(&metrics);
		crm_features_save(&enc, &enc_text);
		crm_logit_save(&out->model, &model_text);
		metrics_text(out, &metrics);
		st = crm_store_prepare(s,
			"INSERT INTO lead_models (version, trained_at, who, features, encoding, model,"
			" metrics, won, lost, since) VALUES ((SELECT coalesce(max(version), 0) + 1"
			" FROM lead_models), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING version");
		crm_bind_text(st, 1, crm_store_now(s));
		crm_bind_text(st, 2, crm_store_who(s));
		crm_bind_text(st, 3, o->features != NULL ? o->features : crm_score_default_features);
		crm_bind_text(st, 4, crm_buf_str(&enc_text));
		crm_bind_text(st, 5, crm_buf_str(&model_text));
		crm_bind_text(st, 6, crm_buf_str(&metrics));
		crm_bind_int64(st, 7, (int64_t)out->won);
		crm_bind_int64(st, 8, (int64_t)out->lost);
		if (o->since != NULL)
			crm_bind_text(st, 9, o->since);
		else
			crm_bind_null(st, 9);
		rc = crm_store_insert_id(s, st, &out->version, e);
		crm_buf_free(&enc_text);
		crm_buf_free(&model_text);
		crm_buf_free(&metrics);
	}
	free(xs);
	table_free(&T);
	crm_features_free(&enc);
	free_list(names, m);
	free_list(cats, ncats);
	free(catflag);
	if (rc != 0)
		crm_score_trained_free(out);   /* nothing half-made for the caller */
	return rc;
}

/* ---- a stored model --------------------------------------------------------- */

struct stored {
	int64_t version;
	struct crm_features enc;
	struct crm_logit_model model;
	char **names;    /* enc.m raw feature names */
};

static void stored_free(struct stored *m)
{
	crm_features_free(&m->enc);
	crm_logit_model_free(&m->model);
	free(m->names);
}

static int load_model(struct crm_store *s, int64_t version, struct stored *m, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT version, encoding, model FROM lead_models"
		" WHERE version = ?1 OR (?1 = 0 AND version = (SELECT max(version) FROM lead_models))");
	int step, rc = 0;

	memset(m, 0, sizeof(*m));
	crm_bind_int64(st, 1, version);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		m->version = crm_column_int64(st, 0);
		rc = crm_features_load(crm_column_text(st, 1), &m->enc, e);
		if (rc == 0)
			rc = crm_logit_load(crm_column_text(st, 2), &m->model, e);
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (step != CRM_ROW)
		return version == 0 ? crm_err_set(e, CRM_EX_NOTFOUND, "no model yet (crm-lead score"
						  " train)")
			: crm_err_set(e, CRM_EX_NOTFOUND, "no model %lld", (long long)version);
	if (rc == 0 && m->model.d != m->enc.ncols)
		rc = crm_err_set(e, CRM_EX_DATAERR, "model %lld is damaged: %zu coefficients for %zu"
				 " columns", (long long)m->version, m->model.d, m->enc.ncols);
	if (rc == 0) {
		m->names = xcalloc(m->enc.m + 1, sizeof(*m->names));
		for (size_t j = 0; j < m->enc.m; j++)
			m->names[j] = m->enc.f[j].name;
	}
	return rc;
}

/* The model's feature query over where_sql; a feature no longer known is
 * the model's fault, not the user's. */
static int model_query(struct crm_store *s, const struct stored *m, int64_t now,
		       const char *where_sql, const char *limit, struct crm_expr_sql *x,
		       struct crm_stmt **st, enum crm_expr_show *shows, struct crm_err *e)
{
	int rc = feature_query(s, m->names, m->enc.m, now, where_sql, limit, x, st, shows, e);

	if (rc == CRM_EX_USAGE)
		rc = crm_err_set(e, CRM_EX_DATAERR, "model %lld: %s, which is not known here now:"
				 " train again", (long long)m->version, e->msg);
	return rc;
}

int crm_score_apply(struct crm_store *s, int64_t version, int64_t now,
		    struct crm_score_applied *out, struct crm_err *e)
{
	struct stored m;
	struct crm_features_tally tally = { 0, 0, 0 };
	int64_t last = 0;
	int rc = load_model(s, version, &m, e);
	double *row = NULL;
	const char **vals = NULL;

	memset(out, 0, sizeof(*out));
	if (rc != 0) {
		stored_free(&m);
		return rc;
	}
	out->version = m.version;
	row = xcalloc(m.enc.ncols + 1, sizeof(*row));
	vals = xcalloc(m.enc.m + 1, sizeof(*vals));
	for (;;) {
		struct crm_expr_sql x;
		struct crm_stmt *st = NULL;
		struct crm_buf where;
		int64_t ids[5000];
		int scores[5000];
		size_t k = 0;
		int step;

		crm_buf_init(&where);
		crm_buf_addf(&where, "t.kind = 'open' AND l.id > %lld", (long long)last);
		rc = model_query(s, &m, now, crm_buf_str(&where), " LIMIT 5000", &x, &st, NULL, e);
		crm_buf_free(&where);
		while (rc == 0 && (step = crm_store_step(s, st, e)) == CRM_ROW) {
			for (size_t j = 0; j < m.enc.m; j++)
				vals[j] = crm_column_text(st, (int)j + 2);
			crm_features_encode(&m.enc, vals, row, &tally);
			ids[k] = crm_column_int64(st, 0);
			scores[k++] = (int)lround(100.0 * crm_logit_predict(&m.model, row));
		}
		if (rc == 0 && step < 0)
			rc = e->code;
		crm_stmt_free(st);
		crm_expr_sql_free(&x);
		for (size_t i = 0; rc == 0 && i < k; i++) {
			struct crm_stmt *up = crm_store_prepare(s,
				"UPDATE leads SET score = ?2, score_model = ?3 WHERE id = ?1");

			crm_bind_int64(up, 1, ids[i]);
			crm_bind_int(up, 2, scores[i]);
			crm_bind_int64(up, 3, m.version);
			rc = crm_store_run(s, up, e);
		}
		out->deals += (int64_t)k;
		if (rc != 0 || k < 5000)
			break;
		last = ids[k - 1];
	}
	out->unparsed = tally.unparsed;
	out->unseen = tally.unseen;
	out->missing = tally.missing;
	free(row);
	free(vals);
	stored_free(&m);
	return rc;
}

void crm_score_explained_free(struct crm_score_explained *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->r[i].feature);
		free(x->r[i].value);
	}
	free(x->r);
	memset(x, 0, sizeof(*x));
}

/* A feature's value as a salesperson reads it: money as an amount of the
 * default currency (the language's minor units: lead.value of 1500.00,
 * not 150000), anything else as the store gave it. */
static char *feature_text(const char *v, enum crm_expr_show show)
{
	char cur[4], amount[32], *end;
	double minor;

	if (v == NULL)
		return xstrdup("");
	if (show != CRM_EXPR_SHOW_MONEY)
		return xstrdup(v);
	minor = strtod(v, &end);
	if (end == v || *end != '\0' || !isfinite(minor) || fabs(minor) > 9e18)
		return xstrdup(v);
	crm_default_currency_code(cur);
	crm_amount_format((int64_t)llround(minor), cur, amount);
	return xstrdup(amount);
}

static int by_size(const void *a, const void *b)
{
	double x = fabs(((const struct crm_score_reason *)a)->contribution);
	double y = fabs(((const struct crm_score_reason *)b)->contribution);

	return x < y ? 1 : x > y ? -1 : 0;
}

int crm_score_explain(struct crm_store *s, int64_t id, int64_t version, int64_t now,
		      struct crm_score_explained *out, struct crm_err *e)
{
	struct stored m;
	struct crm_expr_sql x;
	struct crm_stmt *st = NULL;
	char where[64];
	enum crm_expr_show *shows = NULL;
	int step = CRM_DONE, rc = load_model(s, version, &m, e);

	memset(out, 0, sizeof(*out));
	snprintf(where, sizeof(where), "l.id = %lld", (long long)id);
	if (rc == 0) {
		shows = xcalloc(m.enc.m + 1, sizeof(*shows));
		rc = model_query(s, &m, now, where, "", &x, &st, shows, e);
	}
	if (rc == 0 && (step = crm_store_step(s, st, e)) == CRM_ROW) {
		const char **vals = xcalloc(m.enc.m + 1, sizeof(*vals));
		double *row = xcalloc(m.enc.ncols + 1, sizeof(*row));
		double *contrib = xcalloc(m.enc.ncols + 1, sizeof(*contrib));

		for (size_t j = 0; j < m.enc.m; j++)
			vals[j] = crm_column_text(st, (int)j + 2);
		crm_features_encode(&m.enc, vals, row, NULL);
		out->version = m.version;
		out->intercept = m.model.intercept;
		out->log_odds = crm_logit_explain(&m.model, row, contrib);
		out->probability = 1.0 / (1.0 + exp(-out->log_odds));
		out->r = xcalloc(m.enc.ncols + 1, sizeof(*out->r));
		for (size_t c = 0; c < m.enc.ncols; c++) {
			const char *v = vals[m.enc.colfeat[c]];

			if (contrib[c] == 0.0)
				continue;
			out->r[out->n].feature = xstrdup(m.enc.colname[c]);
			out->r[out->n].value = feature_text(v, shows[m.enc.colfeat[c]]);
			out->r[out->n++].contribution = contrib[c];
		}
		qsort(out->r, out->n, sizeof(*out->r), by_size);
		free(vals);
		free(row);
		free(contrib);
	} else if (rc == 0 && step >= 0) {
		rc = crm_err_set(e, CRM_EX_NOTFOUND, "no deal %lld", (long long)id);
	} else if (rc == 0) {
		rc = e->code;
	}
	if (m.names != NULL)
		crm_expr_sql_free(&x);
	crm_stmt_free(st);
	free(shows);
	stored_free(&m);
	return rc;
}

struct crm_stmt *crm_score_models_stmt(struct crm_store *s)
{
	return crm_store_prepare(s, "SELECT version, trained_at, who, won, lost, metrics, features"
				 " FROM lead_models ORDER BY version");
}
