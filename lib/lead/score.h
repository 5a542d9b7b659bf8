/* score.h - lead scoring, two ways, both explained (crm-lead score):
 *
 *   - rules: a filter expression over the deal (lead.*), its contact and
 *     the contact's interactions, and the points a deal gets when it
 *     holds; `score apply` writes their sum to every open deal (points);
 *   - a model: an L2-regularised logistic regression (base/logit.h) on
 *     the closed deals, won = 1 and lost = 0, over features that are
 *     names of the filter language, encoded by base/features.h (numbers
 *     standardised, anything else one level a column, a missing value its
 *     own indicator). Each training is a version in lead_models, with its
 *     encoding, coefficients and cross-validated metrics; `score apply`
 *     writes the calibrated probability (0-100) of the latest (or a
 *     given) version to every open deal (score), `score explain` lists
 *     what moved a deal's log-odds.
 */
#ifndef CRM_LEAD_SCORE_H
#define CRM_LEAD_SCORE_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "base/logit.h"

struct crm_err;
struct crm_stmt;
struct crm_store;

/* The default features of score train. */
extern const char crm_score_default_features[];

/* ---- rules ---- */
int crm_score_rule_add(struct crm_store *s, const char *name, const char *expr, int64_t points,
		       int64_t now, struct crm_err *e);
int crm_score_rule_rm(struct crm_store *s, const char *name, struct crm_err *e);
/* name, points, expr, created. */
struct crm_stmt *crm_score_rule_list_stmt(struct crm_store *s);
/* Writes every open deal's points (0 with no rule); *n deals. */
int crm_score_rules_apply(struct crm_store *s, int64_t now, int64_t *n, struct crm_err *e);

/* ---- the model ---- */
struct crm_score_train_opts {
	const char *features;      /* comma list; NULL: the default */
	const char *categorical;   /* comma list of features made categorical */
	const char *since;         /* only deals closed from this time */
	double lambda;             /* the L2 penalty (default 1) */
	int folds;                 /* cross-validation folds (default 5) */
	uint64_t seed;
	int64_t now;
};

/* --features --categorical --since --lambda --folds --seed, into o (arg
 * kept, not copied): 0, or CRM_EX_USAGE with e set. */
enum { CRM_SCORE_OPT = 0x5500 };
#define CRM_SCORE_TRAIN_LONGOPTS \
	{ "features", required_argument, NULL, CRM_SCORE_OPT + 0 }, \
	{ "categorical", required_argument, NULL, CRM_SCORE_OPT + 1 }, \
	{ "since", required_argument, NULL, CRM_SCORE_OPT + 2 }, \
	{ "lambda", required_argument, NULL, CRM_SCORE_OPT + 3 }, \
	{ "folds", required_argument, NULL, CRM_SCORE_OPT + 4 }, \
	{ "seed", required_argument, NULL, CRM_SCORE_OPT + 5 }
int crm_score_train_option(struct crm_score_train_opts *o, int opt, const char *arg,
			   struct crm_err *e);

struct crm_score_trained {
	int64_t version;
	size_t won, lost;
	struct crm_logit_fit_info info;
	struct crm_logit_cv_result cv;
	struct crm_logit_model model;
	char **colnames;           /* model.d names of the encoded columns */
	char **dropped;            /* features skipped: one value in every row */
	size_t ndropped;
};

void crm_score_trained_free(struct crm_score_trained *t);

/* Trains a new version on the closed deals. Fewer than 20 deals of either
 * class is CRM_EX_DATAERR (`too few closed deals to train: 12 won, 30
 * lost (20 of each are needed)`); a feature the language does not know is
 * CRM_EX_USAGE. In the caller's transaction. On success free out with
 * crm_score_trained_free; on failure it holds nothing. progress (or NULL) is told
 * what stage the work is at. */
int crm_score_train(struct crm_store *s, const struct crm_score_train_opts *o,
		    struct crm_score_trained *out,
		    void (*progress)(void *ctx, const char *what), void *ctx,
		    struct crm_err *e);

struct crm_score_applied {
	int64_t version;
	int64_t deals;
	size_t unparsed, unseen, missing;  /* what the encoding met that
					      training had not */
};

/* Scores every open deal with version (0: the latest): score =
 * round(100 p), score_model = the version. A feature the store no longer
 * knows is CRM_EX_DATAERR (`model 3 uses feature "x", which is not known
 * here now: train again`). Reads and writes the deals in chunks of 5,000,
 * so memory is the model's, not the deals'. */
int crm_score_apply(struct crm_store *s, int64_t version, int64_t now,
		    struct crm_score_applied *out, struct crm_err *e);

struct crm_score_reason {
	char *feature;     /* "source = referral", "value" */
	char *value;       /* the deal's value of the raw feature */
	double contribution;
};

struct crm_score_explained {
	int64_t version;
	double intercept, log_odds, probability;
	struct crm_score_reason *r;   /* largest |contribution| first */
	size_t n;
};

void crm_score_explained_free(struct crm_score_explained *x);
/* Why deal id scores as it does under version (0: the latest). */
int crm_score_explain(struct crm_store *s, int64_t id, int64_t version, int64_t now,
		      struct crm_score_explained *out, struct crm_err *e);

/* version, trained, by, won, lost, auc, log_loss, brier, features. */
struct crm_stmt *crm_score_models_stmt(struct crm_store *s);

/* The options' lines for --help. */
#define CRM_SCORE_TRAIN_HELP \
	"  --features F,...  names of crm-filter(7) (default: source, owner, value,\n" \
	"                    country, status, interactions before close, first touch)\n" \
	"  --categorical F,...  features taken as categories even if numbers\n" \
	"  --since DATE      deals closed from DATE\n" \
	"  --lambda L        the L2 penalty (default 1)\n" \
	"  --folds K         cross-validation folds (default 5)\n" \
	"  --seed N          the folds' random seed (default 1)\n"

#endif
