/* cluster.c - k-means cluster analysis of contacts. */
#include "segment/cluster.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "filter/expr.h"
#include "base/stats.h"
#include "store/store.h"
#include "base/xalloc.h"

#define FEATURES_MAX 16
#define SILHOUETTE_SAMPLE 2000

void crm_cluster_result_free(struct crm_cluster_result *r)
{
	for (size_t i = 0; i < r->d; i++)
		free(r->names[i]);
	free(r->names);
	free(r->centroids);
	free(r->sizes);
	memset(r, 0, sizeof(*r));
}

/* SELECT c.id, <feature 1>, ... FROM contacts c, with each feature's
 * parameters numbered after the ones before it. */
static int build_query(const struct crm_cluster_opts *o, struct crm_cluster_result *r,
		       struct crm_buf *sql, struct crm_expr_sql *x, struct crm_err *e)
{
	const char *p = o->features;
	int base = 1, rc = 0;

	r->names = xcalloc(FEATURES_MAX, sizeof(*r->names));
	crm_buf_adds(sql, "SELECT c.id");
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char *name = xstrndup(p, len);

		if (r->d == FEATURES_MAX) {
			free(name);
			return crm_err_set(e, CRM_EX_USAGE, "at most %d features", FEATURES_MAX);
		}
		rc = crm_expr_value(name, o->now, base, &x[r->d], e);
		if (rc != 0) {
			crm_err_prefix(e, "--features: %s", name);
			free(name);
			crm_expr_sql_free(&x[r->d]);
			return rc;
		}
		base += (int)x[r->d].nparams;
		crm_buf_addf(sql, ", %s", crm_buf_str(&x[r->d].where));
		r->names[r->d++] = name;
		p += len;
		if (*p == ',')
			p++;
	}
	if (r->d == 0)
		return crm_err_set(e, CRM_EX_USAGE, "--features: no feature given");
	crm_buf_adds(sql, " FROM contacts c ORDER BY c.id");
	return 0;
}

static int save(struct crm_store *s, const int64_t *ids, const int *assign,
		const struct crm_cluster_result *r, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc = crm_store_exec(s, "DELETE FROM contact_clusters; DELETE FROM cluster_centroids", e);

	st = crm_store_prepare(s, "INSERT INTO contact_clusters (contact_id, cluster) VALUES (?1, ?2)");
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		crm_bind_int64(st, 1, ids[i]);
		crm_bind_int(st, 2, assign[i] + 1);
		rc = crm_store_run(s, st, e);
	}
	st = crm_store_prepare(s,
		"INSERT INTO cluster_centroids (cluster, feature, value, size, run_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)");
	for (size_t c = 0; rc == 0 && c < r->k; c++) {
		for (size_t j = 0; rc == 0 && j < r->d; j++) {
			crm_bind_int64(st, 1, (int64_t)c + 1);
			crm_bind_text_ref(st, 2, r->names[j]);
			crm_bind_double(st, 3, r->centroids[c * r->d + j]);
			crm_bind_int64(st, 4, (int64_t)r->sizes[c]);
			crm_bind_text_ref(st, 5, crm_store_now(s));
			rc = crm_store_run(s, st, e);
		}
	}
	return rc;
}

int crm_cluster_run(struct crm_store *s, const struct crm_cluster_opts *o,
		    struct crm_cluster_result *r, struct crm_err *e)
{
	struct crm_expr_sql x[FEATURES_MAX];
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	double *data = NULL, *mean = NULL, *sd = NULL;
	int64_t *ids = NULL;
	int *assign = NULL;
	size_t cap = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(x, 0, sizeof(x));
	rc = build_query(o, r, &sql, x, e);
	if (rc != 0)
		goto out;
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	if (rc != 0)
		goto out;
	for (size_t j = 0; j < r->d; j++)
		crm_expr_bind(&x[j], st);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		int missing = 0;

		for (size_t j = 0; j < r->d; j++)
			missing |= crm_column_type(st, (int)j + 1) == CRM_NULL;
		if (missing) {
			r->skipped++;
			continue;
		}
		if (r->n == cap) {
			cap = cap ? cap * 2 : 4096;
			ids = xreallocarray(ids, cap, sizeof(*ids));
			data = xreallocarray(data, cap, r->d * sizeof(double));
		}
		ids[r->n] = crm_column_int64(st, 0);
		for (size_t j = 0; j < r->d; j++)
			data[r->n * r->d + j] = crm_column_double(st, (int)j + 1);
		r->n++;
	}
	if (rc < 0) {
		rc = e->code;
		goto out;
	}
	rc = 0;
	if (r->n < 2 || (o->k > 0 && o->k > r->n) || (o->k == 0 && o->kmin > r->n)) {
		rc = crm_err_set(e, CRM_EX_DATAERR,
				 "%zu contacts have every feature (%zu skipped): too few for %zu clusters",
				 r->n, r->skipped, o->k > 0 ? o->k : o->kmin);
		goto out;
	}
	mean = xcalloc(r->d, sizeof(double));
	sd = xcalloc(r->d, sizeof(double));
	if (crm_stats_standardize(data, r->n, r->d, mean, sd) != 0) {
		rc = crm_err_set(e, CRM_EX_DATAERR, "a feature has a value that is not a finite number");
		goto out;
	}
	assign = xcalloc(r->n, sizeof(int));
	{
		size_t kmax = o->k > 0 ? o->k : (o->kmax < r->n ? o->kmax : r->n);
		struct crm_kmeans_opts ko = {
			.k = o->k, .restarts = o->restarts, .max_iter = 100, .seed = o->seed, .sample = 0,
		};

		r->centroids = xcalloc(kmax * r->d, sizeof(double));
		if (o->k > 0) {
			r->k = o->k;
			rc = crm_kmeans(data, r->n, r->d, &ko, assign, r->centroids, &r->wss);
		} else {
			rc = crm_kmeans_auto_k(data, r->n, r->d, o->kmin, kmax, &ko,
					       SILHOUETTE_SAMPLE, &r->k, assign, r->centroids,
					       &r->wss, NULL);
		}
		if (rc != 0) {
			rc = crm_err_set(e, rc, "k-means failed for %zu contacts", r->n);
			goto out;
		}
	}
	{
		struct crm_rng rng;

		crm_rng_seed(&rng, o->seed);
		if (crm_stats_silhouette(data, r->n, r->d, assign, r->k, SILHOUETTE_SAMPLE,
					 &rng, &r->silhouette) != 0)
			r->silhouette = 0;
	}
	/* Back to the features' own units. */
	r->sizes = xcalloc(r->k, sizeof(size_t));
	for (size_t i = 0; i < r->n; i++)
		r->sizes[assign[i]]++;
	for (size_t c = 0; c < r->k; c++)
		for (size_t j = 0; j < r->d; j++)
			r->centroids[c * r->d + j] = r->centroids[c * r->d + j] * sd[j] + mean[j];
	rc = save(s, ids, assign, r, e);
out:
	crm_stmt_free(st);
	for (size_t j = 0; j < FEATURES_MAX; j++)
		crm_expr_sql_free(&x[j]);
	crm_buf_free(&sql);
	free(data);
	free(ids);
	free(assign);
	free(mean);
	free(sd);
	return rc;
}
