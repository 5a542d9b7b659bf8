/* dupes_run.c - dupes as a command runs it. */
#include "contact/dupes_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "contact/dupes.h"
#include "io/output.h"

struct writer {
	struct crm_out *out;
	const struct crm_dupes_opts *o;   /* the caller's split and ctx */
};

int crm_dupes_option(struct crm_dupes_opts *o, int opt, const char *arg, struct crm_err *e)
{
	unsigned long long v;
	char *end;

	switch (opt) {
	case CRM_DUPES_OPT_MIN_SCORE:
		o->min_score = strtod(arg, &end);
		if (*end != '\0' || end == arg || !(o->min_score >= 0 && o->min_score <= 1))
			return crm_err_set(e, CRM_EX_USAGE, "--min-score: a number from 0 to 1, not \"%s\"",
					   arg);
		return 0;
	case CRM_DUPES_OPT_MAX_BLOCK:
		errno = 0;
		v = strtoull(arg, &end, 10);
		if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || v < 2 || v > 1000000)
			return crm_err_set(e, CRM_EX_USAGE,
					   "--max-block: a number from 2 to 1000000, not \"%s\"", arg);
		o->max_block = (size_t)v;
		return 0;
	default:
		return -1;
	}
}

void crm_dupes_score_text(double score, char out[5])
{
	/* "%.2f" by hand: printf's float path was 7% of a 1M-contact run. */
	long c = (long)(score * 100 + 0.5);

	out[0] = (char)('0' + c / 100);
	out[1] = '.';
	out[2] = (char)('0' + c / 10 % 10);
	out[3] = (char)('0' + c % 10);
	out[4] = '\0';
}

static int write_pair(void *ctx, const struct crm_dupe *d, struct crm_err *e)
{
	struct writer *w = ctx;
	char ka[32], kb[32], score[5];
	const char *vals[8];

	(void)e;
	snprintf(ka, sizeof(ka), "%lld", (long long)d->keep);
	snprintf(kb, sizeof(kb), "%lld", (long long)d->other);
	crm_dupes_score_text(d->score, score);
	vals[0] = ka;
	vals[1] = kb;
	vals[2] = score;
	vals[3] = d->reason;
	vals[4] = d->keep_name;
	vals[5] = d->keep_email;
	vals[6] = d->other_name;
	vals[7] = d->other_email;
	crm_out_row(w->out, vals);
	return 0;
}

static void split(void *ctx, const char *reason, const char *key, size_t n, size_t parts)
{
	struct writer *w = ctx;

	w->o->split(w->o->ctx, reason, key, n, parts);
}

int crm_dupes_write(struct crm_store *s, const struct crm_dupes_opts *o,
		    struct crm_out *out, struct crm_dupes_stats *stats, struct crm_err *e)
{
	static const char *const cols[] = {
		"keep", "other", "score", "reason", "keep_name", "keep_email", "other_name", "other_email",
	};
	struct writer w = { out, o };
	struct crm_dupes_opts mine = *o;

	crm_out_columns(out, 8, cols);
	crm_out_numeric(out, 0);
	crm_out_numeric(out, 1);
	crm_out_numeric(out, 2);
	mine.emit = write_pair;
	mine.split = o->split != NULL ? split : NULL;
	mine.ctx = &w;
	return crm_dupes_scan(s, &mine, stats, e);
}
