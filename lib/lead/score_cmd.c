/* score_cmd.c - crm-lead score: its sub-commands (score_cmd.h). They
 * parse their arguments, call score.h and print, as a cmd/ file does. */
#include "lead/score_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "lead/deal.h"
#include "lead/score.h"
#include "lead/score_print.h"
#include "store/store.h"

enum {
	OPT_MODEL = 0x2100,
	OPT_RULES,
};

static int rule_add(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	char *end;
	long long points;
	int rc;

	s = crm_command_begin(crm, argc, argv, 3, 3, "give NAME, EXPR and POINTS", CRM_STORE_WRITE,
			      &rc);
	if (s == NULL)
		return rc;
	points = strtoll(argv[optind + 2], &end, 10);
	if (*end != '\0' || end == argv[optind + 2] || points < -1000000 || points > 1000000)
		return crm_usage_error(crm, "POINTS is a whole number (-1000000 to 1000000)");
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_score_rule_add(s, argv[optind], argv[optind + 1], points, crm_now(), &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int rule_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "rule", "points", "expr", "created" };
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_print_query(crm, s, crm_score_rule_list_stmt(s), 4, cols, " n");
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

static int rule_rm(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one rule name", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_score_rule_rm(s, argv[optind], &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static const struct crm_command rule_subs[] = {
	{ "add", rule_add, "score rule add NAME EXPR POINTS", "a scoring rule", NULL },
	{ "list", rule_list, "score rule list", "the scoring rules", NULL },
	{ "rm", rule_rm, "score rule rm NAME", "remove a scoring rule", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int score_rule(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, rule_subs, "add, list, rm");
}

static void train_progress(void *ctx, const char *what)
{
	crm_stage(ctx, "%s...", what);
}

static int score_train(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		CRM_SCORE_TRAIN_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_score_train_opts o = { NULL, NULL, NULL, 1.0, 5, 1, crm_now() };
	struct crm_score_trained t;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		if ((rc = crm_score_train_option(&o, opt, optarg, &e)) != 0)
			return crm_finish_option(crm, rc, &e);
	}
	if (optind != argc)
		return crm_usage_error(crm, "unexpected argument \"%.40s\"", argv[optind]);
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_score_train(s, &o, &t, train_progress, crm, &e);
	crm_stage_done(crm);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < t.ndropped; i++)
		crm_warn(crm, "feature \"%s\" has one value in every deal: left out", t.dropped[i]);
	if (t.info.separated)
		crm_warn(crm, "the features separate won from lost deals perfectly: the"
			 " coefficients are as large as --lambda %g lets them be", o.lambda);
	if (!t.info.converged)
		crm_warn(crm, "the fit did not converge in %d iterations", t.info.iterations);
	if (!crm->quiet)
		fprintf(stderr, "%s: score train: model %lld: %zu won, %zu lost; %zu-fold"
			" cross-validated AUC %.3f, log-loss %.3f, Brier %.3f\n", crm->prog,
			(long long)t.version, t.won, t.lost, t.cv.folds, t.cv.auc, t.cv.log_loss,
			t.cv.brier);
	rc = crm_score_print_trained(crm, &t);
	crm_score_trained_free(&t);
	return rc;
}

static int score_apply(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "rules", no_argument, NULL, OPT_RULES },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_score_applied a;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	long long version = 0;
	int64_t n = 0;
	int opt, rc, rules_only = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_MODEL && (version = strtoll(optarg, NULL, 10)) < 1)
			return crm_usage_error(crm, "--model takes a version number");
		else if (opt == OPT_RULES)
			rules_only = 1;
		else if (opt == '?')
			return CRM_EX_USAGE;
	}
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	memset(&a, 0, sizeof(a));
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_score_rules_apply(s, crm_now(), &n, &e);
	if (rc == 0 && !rules_only) {
		rc = crm_score_apply(s, version, crm_now(), &a, &e);
		if (rc == CRM_EX_NOTFOUND && version == 0)
			rc = 0;   /* no model yet: the rules alone */
	}
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && a.unparsed + a.unseen > 0)
		crm_warn(crm, "model %lld: %zu values were not numbers and %zu not seen in"
			 " training: scored as missing or as the most common value",
			 (long long)a.version, a.unparsed, a.unseen);
	if (rc == 0 && !crm->quiet)
		fprintf(stderr, "%s: score apply: %lld open deals: rule points%s\n", crm->prog,
			(long long)n, a.version > 0 ? ", model score" : " (no model trained)");
	return rc;
}

static int score_explain(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, OPT_MODEL },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_score_explained x;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	long long version = 0;
	int64_t id;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_MODEL && (version = strtoll(optarg, NULL, 10)) < 1)
			return crm_usage_error(crm, "--model takes a version number");
		else if (opt != OPT_MODEL)
			return CRM_EX_USAGE;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one deal id");
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_deal_resolve(s, argv[optind], &id, &e);
	if (rc == 0)
		rc = crm_score_explain(s, id, version, crm_now(), &x, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	rc = crm_score_print_explained(crm, &x);
	crm_score_explained_free(&x);
	return rc;
}

static int score_models(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = {
		"model", "trained", "by", "won", "lost", "metrics", "features"
	};
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_print_query(crm, s, crm_score_models_stmt(s), 7, cols, "n  nn");
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

static const struct crm_command score_subs[] = {
	{ "rule", score_rule, "score rule add|list|rm ...", "scoring rules", NULL },
	{ "train", score_train, "score train [--features F,...] [--categorical F,...] [--since DATE]",
	  "fit a model on the closed deals",
	  CRM_SCORE_TRAIN_HELP },
	{ "apply", score_apply, "score apply [--model V] [--rules]",
	  "write rule points and the model's score (0-100) to every open deal",
	  "  --model V         a model version (default the latest)\n"
	  "  --rules           the rules' points only\n" },
	{ "explain", score_explain, "score explain [--model V] ID",
	  "what moved a deal's score, largest first", NULL },
	{ "models", score_models, "score models", "the trained models and their metrics", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_lead_score_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, score_subs, "rule, train, apply, explain, models");
}
