/* test_cluster.c - unit tests for lib/cluster.c: k-means over contact
 * features on a crafted store (groups found, centroids in the features'
 * own units, sizes, skipped contacts, the stored tables, k chosen by
 * silhouette) and the errors for bad features and too few contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "segment/cluster.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "cluster", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

/* ---- helpers ---- */

/* Contact id with custom fields score and spend ("" leaves one out). */
static void contact(void **state, int id, const char *score, const char *spend)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO contacts (id, uid, created_at, updated_at)"
		 " VALUES (%d, 'c%d', '" NOW_TEXT "', '" NOW_TEXT "')", id, id);
	exec_ok(store(state), sql);
	if (score[0] != '\0') {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO contact_fields VALUES (%d, 'score', '%s')", id, score);
		exec_ok(store(state), sql);
	}
	if (spend[0] != '\0') {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO contact_fields VALUES (%d, 'spend', '%s')", id, spend);
		exec_ok(store(state), sql);
	}
}

static struct crm_cluster_opts opts(const char *features, size_t k)
{
	struct crm_cluster_opts o;

	memset(&o, 0, sizeof(o));
	o.features = features;
	o.k = k;
	o.kmin = 2;
	o.kmax = 6;
	o.seed = 42;
	o.restarts = 5;
	o.now = now;
	return o;
}

static void run_ok(void **state, const struct crm_cluster_opts *o, struct crm_cluster_result *r)
{
	struct crm_err e = { 0, "" };

	if (crm_cluster_run(store(state), o, r, &e) != 0)
		fail_msg("cluster: %s", e.msg);
}

static void run_bad(void **state, const struct crm_cluster_opts *o, int want_rc,
		    const char *want_msg)
{
	struct crm_cluster_result r;
	struct crm_err e = { 0, "" };
	int rc = crm_cluster_run(store(state), o, &r, &e);

	crm_cluster_result_free(&r);
	if (rc != want_rc)
		fail_msg("cluster: rc %d (%s), want %d", rc, e.msg, want_rc);
	assert_string_equal(e.msg, want_msg);
}

/* The cluster (1-based) whose centroid of feature 0 is nearest v. */
static size_t cluster_near(const struct crm_cluster_result *r, double v)
{
	size_t best = 0;

	for (size_t c = 1; c < r->k; c++)
		if (fabs(r->centroids[c * r->d] - v) < fabs(r->centroids[best * r->d] - v))
			best = c;
	return best;
}

/* ---- two groups ---- */

static void two_groups(void **state)
{
	contact(state, 1, "1", "10");
	contact(state, 2, "2", "20");
	contact(state, 3, "3", "30");
	contact(state, 4, "100", "1000");
	contact(state, 5, "101", "1010");
	contact(state, 6, "102", "1020");
	contact(state, 7, "", "5");          /* no score: skipped */
	contact(state, 8, "lots", "5");      /* not a number: skipped */
}

static void cluster__two_groups__found_with_centroids(void **state)
{
	struct crm_cluster_opts o = opts("field.score,field.spend", 2);
	struct crm_cluster_result r;
	size_t lo, hi;

	two_groups(state);
	run_ok(state, &o, &r);
	assert_int_equal(r.k, 2);
	assert_int_equal(r.d, 2);
	assert_int_equal(r.n, 6);
	assert_int_equal(r.skipped, 2);
	assert_string_equal(r.names[0], "field.score");
	assert_string_equal(r.names[1], "field.spend");
	lo = cluster_near(&r, 2);
	hi = cluster_near(&r, 101);
	assert_int_not_equal(lo, hi);
	/* centroids in the features' own units, not z-scores */
	assert_true(fabs(r.centroids[lo * 2] - 2) < 1e-9);
	assert_true(fabs(r.centroids[lo * 2 + 1] - 20) < 1e-9);
	assert_true(fabs(r.centroids[hi * 2] - 101) < 1e-9);
	assert_true(fabs(r.centroids[hi * 2 + 1] - 1010) < 1e-9);
	assert_int_equal(r.sizes[lo], 3);
	assert_int_equal(r.sizes[hi], 3);
	/* tight groups far apart: silhouette near 1, small within-cluster sum */
	assert_true(r.silhouette > 0.9 && r.silhouette <= 1.0);
	assert_true(r.wss > 0 && r.wss < 0.01);
	/* stored: each contact's cluster (1-based), each centroid */
	{
		char want[256];

		snprintf(want, sizeof(want), "1,2,3|%zu\n4,5,6|%zu\n", lo + 1, hi + 1);
		assert_rows(store(state),
			    "SELECT group_concat(contact_id), cluster FROM"
			    " (SELECT * FROM contact_clusters ORDER BY contact_id)"
			    " GROUP BY cluster ORDER BY min(contact_id)", want);
		snprintf(want, sizeof(want),
			 "%zu|field.score|2.0|3|" NOW_TEXT "\n%zu|field.spend|20.0|3|" NOW_TEXT "\n"
			 "%zu|field.score|101.0|3|" NOW_TEXT "\n%zu|field.spend|1010.0|3|" NOW_TEXT "\n",
			 lo + 1, lo + 1, hi + 1, hi + 1);
		assert_rows(store(state),
			    "SELECT cluster, feature, round(value, 6), size, run_at FROM cluster_centroids"
			    " ORDER BY value > 50, feature", want);
	}
	crm_cluster_result_free(&r);
	assert_null(r.names);
	assert_int_equal(r.d, 0);
}

static void cluster__same_seed__same_result(void **state)
{
	struct crm_cluster_opts o = opts("field.score", 3);
	struct crm_cluster_result r1, r2;

	for (int i = 1; i <= 30; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", (i * 37) % 101);
		contact(state, i, v, "");
	}
	run_ok(state, &o, &r1);
	{
		char *first = q_rows(store(state), "SELECT * FROM contact_clusters ORDER BY contact_id");

		run_ok(state, &o, &r2);
		assert_rows(store(state), "SELECT * FROM contact_clusters ORDER BY contact_id", first);
		free(first);
	}
	assert_int_equal(r1.k, r2.k);
	assert_true(r1.wss == r2.wss);
	for (size_t c = 0; c < r1.k; c++)
		assert_true(r1.centroids[c] == r2.centroids[c]);
	crm_cluster_result_free(&r1);
	crm_cluster_result_free(&r2);
}

static void cluster__auto_k__silhouette_picks_three(void **state)
{
	struct crm_cluster_opts o = opts("field.score", 0);
	struct crm_cluster_result r;
	int id = 1;

	for (int g = 0; g < 3; g++)
		for (int i = 0; i < 5; i++) {
			char v[16];

			snprintf(v, sizeof(v), "%d", g * 1000 + i);
			contact(state, id++, v, "");
		}
	run_ok(state, &o, &r);
	assert_int_equal(r.k, 3);
	assert_int_equal(r.n, 15);
	for (size_t c = 0; c < r.k; c++)
		assert_int_equal(r.sizes[c], 5);
	assert_rows(store(state), "SELECT count(DISTINCT cluster), count(*) FROM contact_clusters",
		    "3|15\n");
	assert_rows(store(state), "SELECT count(*) FROM cluster_centroids", "3\n");
	crm_cluster_result_free(&r);
}

static void cluster__run_again__replaces_tables(void **state)
{
	struct crm_cluster_opts o2 = opts("field.score,field.spend", 2);
	struct crm_cluster_opts o1 = opts("field.spend", 3);
	struct crm_cluster_result r;

	two_groups(state);
	run_ok(state, &o1, &r);
	/* contacts 7 and 8 have a spend: clustered this time */
	assert_int_equal(r.n, 8);
	crm_cluster_result_free(&r);
	assert_rows(store(state), "SELECT count(*) FROM contact_clusters", "8\n");
	assert_rows(store(state), "SELECT count(*), count(DISTINCT feature) FROM cluster_centroids",
		    "3|1\n");
	run_ok(state, &o2, &r);
	crm_cluster_result_free(&r);
	assert_rows(store(state), "SELECT count(*) FROM contact_clusters WHERE contact_id IN (7, 8)",
		    "0\n");
	assert_rows(store(state), "SELECT count(*), count(DISTINCT feature) FROM cluster_centroids",
		    "4|2\n");
}

/* ---- errors ---- */

static void cluster__too_few__dataerr(void **state)
{
	struct crm_cluster_opts o = opts("field.score", 7);

	two_groups(state);
	run_bad(state, &o, CRM_EX_DATAERR,
		"6 contacts have every feature (2 skipped): too few for 7 clusters");
	o = opts("field.score", 0);
	o.kmin = 7;
	o.kmax = 9;
	run_bad(state, &o, CRM_EX_DATAERR,
		"6 contacts have every feature (2 skipped): too few for 7 clusters");
	/* nothing stored */
	assert_rows(store(state), "SELECT count(*) FROM contact_clusters", "0\n");
}

static void cluster__one_contact__dataerr(void **state)
{
	struct crm_cluster_opts o = opts("field.score", 1);

	contact(state, 1, "5", "");
	contact(state, 2, "", "");
	run_bad(state, &o, CRM_EX_DATAERR,
		"1 contacts have every feature (1 skipped): too few for 1 clusters");
}

static void cluster__bad_features__usage(void **state)
{
	struct crm_cluster_opts o = opts("", 2);
	char many[512] = "";

	two_groups(state);
	run_bad(state, &o, CRM_EX_USAGE, "--features: no feature given");
	/* the feature named first, then what the filter language says */
	o = opts("country", 2);
	{
		struct crm_cluster_result r;
		struct crm_err e = { 0, "" };
		const char *tail = "country is text, not a number";

		assert_int_equal(crm_cluster_run(store(state), &o, &r, &e), CRM_EX_USAGE);
		assert_int_equal(strncmp(e.msg, "--features: country: ", 21), 0);
		assert_true(strlen(e.msg) > strlen(tail));
		assert_string_equal(e.msg + strlen(e.msg) - strlen(tail), tail);
		crm_cluster_result_free(&r);
	}
	o = opts("field.score,nosuch", 2);
	{
		struct crm_cluster_result r;
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_cluster_run(store(state), &o, &r, &e), CRM_EX_USAGE);
		assert_int_equal(strncmp(e.msg, "--features: nosuch: ", 20), 0);
		assert_non_null(strstr(e.msg, "unknown field \"nosuch\""));
		crm_cluster_result_free(&r);
	}
	for (int i = 0; i < 17; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sfield.f%d",
			 i > 0 ? "," : "", i);
	o = opts(many, 2);
	run_bad(state, &o, CRM_EX_USAGE, "at most 16 features");
	assert_rows(store(state), "SELECT count(*) FROM contact_clusters", "0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cluster__two_groups__found_with_centroids, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__same_seed__same_result, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__auto_k__silhouette_picks_three, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__run_again__replaces_tables, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__too_few__dataerr, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__one_contact__dataerr, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cluster__bad_features__usage, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
