/* score_print.c - printing trained models and explanations (score_print.h). */
#include "lead/score_print.h"

#include <stdio.h>

#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "lead/score.h"

int crm_score_print_trained(struct crm *crm, const struct crm_score_trained *t)
{
	static const char *const cols[] = { "term", "coefficient", "std_error", "z" };
	struct crm_err e = { 0, "" };
	struct crm_out *out = crm_out_open(stdout, &crm->out);

	crm_out_columns(out, 4, cols);
	for (size_t i = 1; i < 4; i++)
		crm_out_numeric(out, i);
	for (size_t j = 0; j <= t->model.d; j++) {
		char b[3][32];
		const char *v[4] = { j == 0 ? "(intercept)" : t->colnames[j - 1], b[0], b[1], b[2] };
		double c = j == 0 ? t->model.intercept : t->model.beta[j - 1];
		double se = j == 0 ? t->model.se_intercept : t->model.se[j - 1];

		snprintf(b[0], 32, "%.4f", c);
		snprintf(b[1], 32, "%.4f", se);
		snprintf(b[2], 32, "%.2f", c / se);
		crm_out_row(out, v);
	}
	return crm_finish_output(crm, out, 0, &e);
}

int crm_score_print_explained(struct crm *crm, const struct crm_score_explained *x)
{
	static const char *const cols[] = { "reason", "value", "log_odds" };
	struct crm_err e = { 0, "" };
	struct crm_out *out = crm_out_open(stdout, &crm->out);

	crm_out_columns(out, 3, cols);
	crm_out_numeric(out, 2);
	for (size_t i = 0; i <= x->n + 1; i++) {
		char line[300], num[32];
		const char *v[3] = { line, "", num };
		double c = i == 0 ? x->intercept : i <= x->n ? x->r[i - 1].contribution : x->log_odds;

		if (i == 0)
			snprintf(line, sizeof(line), "baseline (model %lld)", (long long)x->version);
		else if (i <= x->n)
			snprintf(line, sizeof(line), "%s: %+.2f", x->r[i - 1].feature, c);
		else
			snprintf(line, sizeof(line), "total: P(won) = %.2f", x->probability);
		if (i > 0 && i <= x->n)
			v[1] = x->r[i - 1].value;
		snprintf(num, sizeof(num), "%+.4f", c);
		crm_out_row(out, v);
	}
	return crm_finish_output(crm, out, 0, &e);
}
