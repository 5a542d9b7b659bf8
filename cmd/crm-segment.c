/* crm-segment - who a mailing, a report or a sales push is for: filter
 * expressions (crm-filter(7)), saved segments and snapshots, RFM, cluster
 * analysis, personas and cohorts. See crm-segment(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "segment/cluster.h"
#include "segment/cohort.h"
#include "contact/contact_query.h"
#include "base/dates.h"
#include "base/err.h"
#include "filter/expr.h"
#include "base/money.h"
#include "base/num.h"
#include "io/output.h"
#include "segment/persona.h"
#include "segment/rfm.h"
#include "segment/segment.h"
#include "store/store.h"
#include "base/xalloc.h"

enum {
	OPT_FIELDS = 0x3000,
	OPT_LIMIT,
	OPT_REPLACE,
	OPT_LABEL,
	OPT_AS_OF,
	OPT_K,
	OPT_FEATURES,
	OPT_SEED,
	OPT_RESTARTS,
	OPT_BY,
	OPT_METRIC,
	OPT_PERIODS,
	OPT_TEXT,
	OPT_WHERE,
};

static const char *const stream_fields = "id,uid,email,first_name,last_name";

/* run and count: a saved segment or an expression. */
static int cmd_run(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct crm_buf fields = CRM_BUF_INIT;
	struct crm_store *s;
	struct crm_out *out;
	char *name = NULL;
	unsigned long n = 0;
	const char *why;
	int rc = 0, opt;

	crm_contact_query_init(&q);
	crm_buf_adds(&fields, stream_fields);
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_FIELDS)
			crm_buf_addf(&fields, ",%s", optarg);
		else if (opt == OPT_LIMIT && crm_parse_i64(optarg, 1, INT64_MAX, &q.limit, &why) != 0)
			rc = crm_usage_error(crm, "--limit: %s number \"%s\"", why, optarg);
		else if (opt != OPT_LIMIT)
			rc = CRM_EX_USAGE;
	}
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one expression or segment name");
	if (rc != 0)
		goto out;
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		goto out;
	q.now = crm_now();
	rc = crm_segment_resolve(s, argv[optind], &q.filter, &name, &e);
	if (rc == 0) {
		/* A bad expression writes nothing, not even the header. */
		struct crm_expr_sql x;

		rc = crm_expr_compile(q.filter, q.now, 1, &x, &e);
		crm_expr_sql_free(&x);
	}
	if (rc == 0)
		rc = crm_contact_query_columns(&q, crm_buf_str(&fields), &e);
	if (rc != 0) {
		rc = crm_report(crm, &e);
		goto out;
	}
	out = crm_out_open(stdout, &crm->out);
	rc = crm_contact_query_run(s, &q, out, &n, &e);
	if (rc != 0) {
		crm_out_close(out, NULL);
		rc = crm_report(crm, &e);
		goto out;
	}
	rc = crm_out_close(out, &e) != 0 ? crm_report(crm, &e) : n == 0 ? CRM_EX_NOTFOUND : 0;
out:
	free(name);
	crm_buf_free(&fields);
	crm_contact_query_free(&q);
	return rc;
}

static int cmd_count(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	char *expr = NULL, *name = NULL;
	int64_t count = 0;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1,
			      "give one expression or segment name", CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_segment_resolve(s, argv[optind], &expr, &name, &e);
	if (rc == 0)
		rc = crm_segment_count(s, expr, crm_now(), &count, &e);
	free(expr);
	free(name);
	if (rc != 0)
		return crm_report(crm, &e);
	printf("%lld\n", (long long)count);
	return count == 0 ? CRM_EX_NOTFOUND : 0;
}

/* Runs fn inside one write transaction and reports its error. */
static int in_tx(struct crm *crm, struct crm_store *s,
		 int (*fn)(struct crm_store *, void *, struct crm_err *), void *ctx)
{
	struct crm_err e = { 0, "" };
	int rc = crm_store_begin(s, &e);

	if (rc == 0)
		rc = fn(s, ctx, &e);
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	return 0;
}

struct save_args {
	const char *name, *expr;
	int replace;
};

static int do_save(struct crm_store *s, void *ctx, struct crm_err *e)
{
	struct save_args *a = ctx;

	return crm_segment_save(s, a->name, a->expr, a->replace, crm_now(), e);
}

static int cmd_save(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "replace", no_argument, NULL, OPT_REPLACE },
		{ NULL, 0, NULL, 0 },
	};
	struct save_args a = { NULL, NULL, 0 };
	struct crm_store *s;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_REPLACE)
			return CRM_EX_USAGE;
		a.replace = 1;
	}
	if (argc - optind != 2)
		return crm_usage_error(crm, "give a name and an expression");
	a.name = argv[optind];
	a.expr = argv[optind + 1];
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	return s == NULL ? rc : in_tx(crm, s, do_save, &a);
}

static int do_rm(struct crm_store *s, void *ctx, struct crm_err *e)
{
	return crm_segment_remove(s, ctx, e);
}

static int cmd_rm(int argc, char **argv, struct crm *crm)
{
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one segment name", CRM_STORE_WRITE, &rc);
	return s == NULL ? rc : in_tx(crm, s, do_rm, argv[optind]);
}

static int cmd_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = {
		"id", "name", "expr", "snapshots", "last_snapshot", "updated_at",
	};
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	return crm_print_query(crm, s, crm_segment_list_query(s), 6, cols, "nnnn");
}

static int cmd_show(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = {
		"snapshot", "taken_at", "size", "label", "taken_by", "expr",
	};
	struct crm_err e = { 0, "" };
	struct crm_segment_info g;
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one segment name", CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if (crm_segment_get(s, argv[optind], &g, &e) != 0)
		return crm_report(crm, &e);
	if (crm->verbose)
		fprintf(stderr, "%s: %s\n  created %s by %s, changed %s\n",
			g.name, g.expr, g.created_at, g.created_by, g.updated_at);
	crm_segment_info_free(&g);
	rc = crm_print_query(crm, s, crm_segment_snapshots_query(s, argv[optind]), 6, cols, "n n");
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

struct snapshot_args {
	const char *name, *label;
	int64_t id, size;
};

static int do_snapshot(struct crm_store *s, void *ctx, struct crm_err *e)
{
	struct snapshot_args *a = ctx;

	return crm_segment_snapshot(s, a->name, a->label, crm_now(), &a->id, &a->size, e);
}

static int cmd_snapshot(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, OPT_LABEL },
		{ NULL, 0, NULL, 0 },
	};
	struct snapshot_args a = { NULL, NULL, 0, 0 };
	struct crm_store *s;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_LABEL)
			return CRM_EX_USAGE;
		a.label = optarg;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one segment name");
	a.name = argv[optind];
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = in_tx(crm, s, do_snapshot, &a);
	if (rc == 0)
		printf("%lld\t%lld\n", (long long)a.id, (long long)a.size);
	return rc;
}

/* A snapshot id, or NAME for its latest, or NAME~1 for the one before. */
static int snapshot_id(struct crm *crm, struct crm_store *s, const char *arg, int64_t *id)
{
	struct crm_err e = { 0, "" };
	int rc = crm_segment_snapshot_id(s, arg, id, &e);

	if (rc == CRM_EX_USAGE)
		return crm_usage_error(crm, "%s", e.msg);
	return rc != 0 ? crm_report(crm, &e) : 0;
}

static int cmd_diff(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "id", "email", "change" };
	struct crm_store *s;
	int64_t a, b;
	int rc;

	if (crm_getopt(crm, argc, argv, "", NULL) != -1)
		return CRM_EX_USAGE;
	if (argc - optind == 1) {
		/* NAME alone: its two latest snapshots. */
		char older[96];

		snprintf(older, sizeof(older), "%s~1", argv[optind]);
		s = crm_store_get(crm, CRM_STORE_READ, &rc);
		if (s == NULL)
			return rc;
		if ((rc = snapshot_id(crm, s, older, &a)) != 0 ||
		    (rc = snapshot_id(crm, s, argv[optind], &b)) != 0)
			return rc;
	} else if (argc - optind == 2) {
		s = crm_store_get(crm, CRM_STORE_READ, &rc);
		if (s == NULL)
			return rc;
		if ((rc = snapshot_id(crm, s, argv[optind], &a)) != 0 ||
		    (rc = snapshot_id(crm, s, argv[optind + 1], &b)) != 0)
			return rc;
	} else {
		return crm_usage_error(crm, "give two snapshots, or a segment name");
	}
	return crm_print_query(crm, s, crm_segment_diff_query(s, a, b), 3, cols, "n");
}

/* ---- RFM ------------------------------------------------------------------- */

struct rfm_args {
	int64_t as_of;
	unsigned long scored;
};

static int do_rfm(struct crm_store *s, void *ctx, struct crm_err *e)
{
	struct rfm_args *a = ctx;

	return crm_rfm_score(s, a->as_of, &a->scored, e);
}

static int cmd_rfm(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ NULL, 0, NULL, 0 },
	};
	struct rfm_args a = { crm_now(), 0 };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_AS_OF)
			return CRM_EX_USAGE;
		if (crm_time_parse(optarg, crm_now(), &a.as_of, &e) != 0)
			return crm_usage_error(crm, "--as-of: %s", e.msg);
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	crm_stage(crm, "scoring recency, frequency and money...");
	rc = in_tx(crm, s, do_rfm, &a);
	crm_stage_done(crm);
	if (rc != 0)
		return rc;
	if (a.scored == 0)
		return crm_fail(crm, CRM_EX_NOTFOUND, "no purchases before the as-of time: nothing scored");
	out = crm_out_open(stdout, &crm->out);
	rc = crm_rfm_report(s, a.scored, out, &e);
	if (crm_out_close(out, rc == 0 ? &e : NULL) != 0 || rc != 0)
		return crm_report(crm, &e);
	if (crm->verbose)
		crm_warn(crm, "%lu contacts scored", a.scored);
	return 0;
}

/* ---- cohorts ------------------------------------------------------------------ */

/* One row of the cohort table: a cell per period, empty where no one of
 * the cohort bought or refunded. */
static void cohort_row(struct crm_out *out, const struct crm_cohort *c, int64_t periods,
		       int revenue, const char *code, const char **row, char (*cell)[32])
{
	char size[32];

	snprintf(size, sizeof(size), "%lld", (long long)c->size);
	row[0] = c->label;
	row[1] = size;
	for (int64_t i = 0; i < periods; i++) {
		const struct crm_cohort_cell *x = &c->cells[i];

		row[i + 2] = x->set ? cell[i] : NULL;
		if (x->set && revenue)
			crm_amount_format(x->revenue, code, cell[i]);
		else if (x->set)
			snprintf(cell[i], sizeof(cell[i]), "%.1f",
				 100.0 * (double)x->buyers / (double)(c->size > 0 ? c->size : 1));
	}
	crm_out_row(out, row);
}

static int cmd_cohort(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "metric", required_argument, NULL, OPT_METRIC },
		{ "periods", required_argument, NULL, OPT_PERIODS },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_cohorts t;
	struct crm_store *s;
	struct crm_out *out;
	int week = 0, revenue = 0, opt, rc;
	int64_t periods = 12;
	const char *why;
	char code[4];
	char (*colname)[16];
	char (*cell)[32];
	const char **row;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_BY && (strcmp(optarg, "month") == 0 || strcmp(optarg, "week") == 0))
			week = optarg[0] == 'w';
		else if (opt == OPT_METRIC && (strcmp(optarg, "retention") == 0 ||
					       strcmp(optarg, "revenue") == 0))
			revenue = optarg[2] == 'v';
		else if (opt == OPT_PERIODS &&
			 crm_parse_i64(optarg, 1, CRM_COHORT_PERIODS_MAX, &periods, &why) == 0)
			continue;
		else if (opt == OPT_BY || opt == OPT_METRIC || opt == OPT_PERIODS)
			return crm_usage_error(crm, "bad value \"%s\" (--by month|week, --metric retention|revenue, --periods 1-%d)",
					       optarg, CRM_COHORT_PERIODS_MAX);
		else
			return CRM_EX_USAGE;
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	crm_default_currency_code(code);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if (crm_cohorts(s, week, periods, &t, &e) != 0) {
		crm_cohorts_free(&t);
		return crm_report(crm, &e);
	}
	colname = xcalloc((size_t)periods, sizeof(*colname));
	cell = xcalloc((size_t)periods, sizeof(*cell));
	row = xcalloc((size_t)periods + 2, sizeof(*row));
	row[0] = "cohort";
	row[1] = "size";
	for (int64_t i = 0; i < periods; i++) {
		snprintf(colname[i], sizeof(colname[i]), "%s%d", week ? "w" : "m", (int)i);
		row[i + 2] = colname[i];
	}
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, (size_t)periods + 2, row);
	for (size_t i = 1; i < (size_t)periods + 2; i++)
		crm_out_numeric(out, i);
	for (size_t i = 0; i < t.n; i++)
		cohort_row(out, &t.rows[i], periods, revenue, code, row, cell);
	rc = crm_out_close(out, &e) != 0 ? crm_report(crm, &e) : t.n == 0 ? CRM_EX_NOTFOUND : 0;
	free(colname);
	free(cell);
	free(row);
	crm_cohorts_free(&t);
	return rc;
}

/* ---- cluster analysis and personas -------------------------------------------- */

struct cluster_args {
	struct crm_cluster_opts o;
	struct crm_cluster_result r;
};

static int do_cluster(struct crm_store *s, void *ctx, struct crm_err *e)
{
	struct cluster_args *a = ctx;

	return crm_cluster_run(s, &a->o, &a->r, e);
}

static int cmd_cluster(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "k", required_argument, NULL, OPT_K },
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "restarts", required_argument, NULL, OPT_RESTARTS },
		{ NULL, 0, NULL, 0 },
	};
	struct cluster_args a;
	struct crm_store *s;
	struct crm_out *out;
	struct crm_err e = { 0, "" };
	const char *why;
	int64_t v;
	int opt, rc = 0, end = 0;

	memset(&a, 0, sizeof(a));
	a.o.kmin = 2;
	a.o.kmax = 8;
	a.o.seed = 1;
	a.o.restarts = 5;
	a.o.now = crm_now();
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_K:
			if (strcmp(optarg, "auto") == 0)
				a.o.k = 0;
			else if (strncmp(optarg, "auto:", 5) == 0 &&
				 sscanf(optarg + 5, "%zu-%zu%n", &a.o.kmin, &a.o.kmax, &end) == 2 &&
				 optarg[5 + end] == '\0' && a.o.kmin >= 2 && a.o.kmin <= a.o.kmax && a.o.kmax <= 50)
				a.o.k = 0;
			else if (crm_parse_i64(optarg, 1, 1000, &v, &why) == 0)
				a.o.k = (size_t)v;
			else
				rc = crm_usage_error(crm, "--k: a number 1-1000, auto or auto:MIN-MAX, not \"%s\"", optarg);
			break;
		case OPT_FEATURES:
			a.o.features = optarg;
			break;
		case OPT_SEED:
			if (crm_parse_i64(optarg, 0, INT64_MAX, &v, &why) != 0)
				rc = crm_usage_error(crm, "--seed: %s number \"%s\"", why, optarg);
			a.o.seed = (uint64_t)v;
			break;
		case OPT_RESTARTS:
			if (crm_parse_i64(optarg, 1, 100, &v, &why) != 0)
				rc = crm_usage_error(crm, "--restarts: 1-100, not \"%s\"", optarg);
			a.o.restarts = (int)v;
			break;
		default:
			rc = CRM_EX_USAGE;
		}
	}
	if (rc != 0)
		return rc;
	if (a.o.features == NULL)
		return crm_usage_error(crm, "give --features, e.g. age,purchases.total,interactions.count");
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	crm_stage(crm, "reading features, then k-means (%s)...",
		  a.o.k == 0 ? "choosing k by silhouette" : "fixed k");
	rc = in_tx(crm, s, do_cluster, &a);
	crm_stage_done(crm);
	if (rc != 0) {
		crm_cluster_result_free(&a.r);
		return rc;
	}
	{
		const char **names = xcalloc(a.r.d + 2, sizeof(*names));
		const char **vals = xcalloc(a.r.d + 2, sizeof(*vals));
		char (*cells)[32] = xcalloc(a.r.d + 2, 32);

		names[0] = "cluster";
		names[1] = "size";
		for (size_t j = 0; j < a.r.d; j++)
			names[j + 2] = a.r.names[j];
		out = crm_out_open(stdout, &crm->out);
		crm_out_columns(out, a.r.d + 2, names);
		for (size_t j = 0; j < a.r.d + 2; j++)
			crm_out_numeric(out, j);
		for (size_t c = 0; c < a.r.k; c++) {
			snprintf(cells[0], 32, "%zu", c + 1);
			snprintf(cells[1], 32, "%zu", a.r.sizes[c]);
			for (size_t j = 0; j < a.r.d; j++)
				snprintf(cells[j + 2], 32, "%.2f", a.r.centroids[c * a.r.d + j]);
			for (size_t j = 0; j < a.r.d + 2; j++)
				vals[j] = cells[j];
			crm_out_row(out, vals);
		}
		rc = crm_out_close(out, &e);
		free(names);
		free(vals);
		free(cells);
	}
	if (rc != 0)
		rc = crm_report(crm, &e);
	else if (!crm->quiet && (crm->verbose || a.r.skipped > 0))
		crm_warn(crm, "k=%zu, %zu contacts clustered, %zu skipped (a feature missing), silhouette %.3f",
			 a.r.k, a.r.n, a.r.skipped, a.r.silhouette);
	crm_cluster_result_free(&a.r);
	return rc;
}

static int cmd_personas(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "text", no_argument, NULL, OPT_TEXT },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"group", "size", "age_band", "countries", "gender", "avg_spend",
		"channel", "tags",
	};
	enum crm_persona_by by = CRM_PERSONA_CLUSTER;
	struct crm_persona *p = NULL;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out;
	size_t n = 0;
	int opt, rc, text = 0;
	char code[4];

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_BY && strcmp(optarg, "cluster") == 0)
			by = CRM_PERSONA_CLUSTER;
		else if (opt == OPT_BY && strcmp(optarg, "rfm") == 0)
			by = CRM_PERSONA_RFM;
		else if (opt == OPT_BY)
			return crm_usage_error(crm, "--by cluster or rfm, not \"%s\"", optarg);
		else if (opt == OPT_TEXT)
			text = 1;
		else
			return CRM_EX_USAGE;
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	crm_default_currency_code(code);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	crm_stage(crm, "profiling...");
	rc = crm_personas(s, by, crm_now(), &p, &n, &e);
	crm_stage_done(crm);
	if (rc != 0)
		return crm_report(crm, &e);
	if (text) {
		for (size_t i = 0; i < n; i++) {
			char *line = crm_persona_text(&p[i], by, code);

			printf("%s\n", line);
			free(line);
		}
	} else {
		out = crm_out_open(stdout, &crm->out);
		crm_out_columns(out, 8, cols);
		crm_out_numeric(out, 1);
		crm_out_numeric(out, 5);
		for (size_t i = 0; i < n; i++) {
			char size[32], spend[32];
			const char *vals[8] = { p[i].group, size, p[i].age_band, p[i].countries,
						p[i].genders, spend, p[i].channel, p[i].tags };

			snprintf(size, sizeof(size), "%lld", (long long)p[i].size);
			snprintf(spend, sizeof(spend), "%.2f", p[i].spend);
			crm_out_row(out, vals);
		}
		if (crm_out_close(out, &e) != 0)
			rc = crm_report(crm, &e);
	}
	crm_personas_free(p, n);
	return rc;
}

/* ---- the command table --------------------------------------------------- */

static const struct crm_command commands[] = {
	{ "run", cmd_run, "run [--fields F] [--limit N] EXPR|NAME",
	  "the matching contacts, as a contact stream",
	  "  EXPR              a filter expression (crm-filter(7)), or\n"
	  "  NAME              a saved segment\n"
	  "  --fields F        more columns: any name of crm-filter(7) (cluster,\n"
	  "                    rfm.segment, purchases.total, ...), tags, custom\n"
	  "  --limit N         at most N contacts\n" },
	{ "count", cmd_count, "count EXPR|NAME", "how many contacts match", NULL },
	{ "save", cmd_save, "save [--replace] NAME EXPR", "save a segment",
	  "  --replace         change an existing segment\n" },
	{ "list", cmd_list, "list", "saved segments", NULL },
	{ "show", cmd_show, "show NAME", "a segment and its snapshots", NULL },
	{ "rm", cmd_rm, "rm NAME", "delete a segment and its snapshots", NULL },
	{ "snapshot", cmd_snapshot, "snapshot [--label TEXT] NAME",
	  "freeze the members of a segment; prints snapshot id and size",
	  "  --label TEXT      say what the snapshot is for\n" },
	{ "diff", cmd_diff, "diff A B | diff NAME",
	  "who entered and left between two snapshots",
	  "  A, B              snapshot ids, NAME (latest) or NAME~N (N before)\n"
	  "  NAME              the two latest snapshots of NAME\n" },
	{ "rfm", cmd_rfm, "rfm [--as-of DATE]",
	  "score recency, frequency, money 1-5 and name segments",
	  "  --as-of DATE      score as of DATE (default now)\n" },
	{ "cluster", cmd_cluster, "cluster --features F,... [--k K|auto|auto:MIN-MAX] [--seed N] [--restarts N]",
	  "k-means cluster analysis",
	  "  --features F,...  numeric fields (age, purchases.total, field.x, ...)\n"
	  "  --k K             clusters; auto (default, 2-8) picks by silhouette\n"
	  "  --seed N          the random seed (default 1): same seed, same result\n"
	  "  --restarts N      k-means++ seedings, the best kept (default 5)\n" },
	{ "personas", cmd_personas, "personas [--by cluster|rfm] [--text]",
	  "a profile of each cluster or RFM segment",
	  "  --by cluster|rfm  what to profile (default cluster)\n"
	  "  --text            a sentence per group instead of a table\n" },
	{ "cohort", cmd_cohort, "cohort [--by month|week] [--metric retention|revenue] [--periods N]",
	  "first-purchase cohorts",
	  "  --by month|week   the cohort period (default month)\n"
	  "  --metric M        retention (% of the cohort buying; default) or revenue\n"
	  "  --periods N       periods after the first (default 12)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-segment",
			"Segments: filters, saved segments, RFM, clusters, personas, cohorts.",
			commands);
}
