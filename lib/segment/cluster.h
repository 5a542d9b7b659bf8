/* cluster.h - k-means cluster analysis of contacts over numeric features
 * (any field crm_expr_value accepts), standardised to z-scores; results
 * are written to contact_clusters and cluster_centroids. */
#ifndef CRM_CLUSTER_H
#define CRM_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;

struct crm_cluster_opts {
	const char *features;  /* "age,purchases.total,interactions.count" */
	size_t k;              /* 0: choose by silhouette from kmin..kmax */
	size_t kmin, kmax;
	uint64_t seed;
	int restarts;
	int64_t now;
};

struct crm_cluster_result {
	size_t k;              /* clusters */
	size_t d;              /* features */
	size_t n;              /* contacts clustered */
	size_t skipped;        /* contacts missing a feature */
	char **names;          /* d feature names (owned) */
	double *centroids;     /* k * d, in the features' own units */
	size_t *sizes;         /* k */
	double wss;            /* within-cluster sum of squares (z-scores) */
	double silhouette;     /* estimated on a sample */
};

/* Clusters, then replaces contact_clusters and cluster_centroids (in the
 * caller's transaction). */
int crm_cluster_run(struct crm_store *s, const struct crm_cluster_opts *o,
		    struct crm_cluster_result *r, struct crm_err *e);
void crm_cluster_result_free(struct crm_cluster_result *r);

#endif
