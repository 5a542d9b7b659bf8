/* crm-lead - deals through pipelines: pipelines and stages, deals, lead
 * scoring, forecasts, velocity, quotas, rates, commissions and taxes.
 * See crm-lead(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "contact/contact.h"
#include "contact/contact_stream.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "cli/batch.h"
#include "lead/deal.h"
#include "lead/deal_import.h"
#include "lead/deal_list.h"
#include "lead/deal_options.h"
#include "lead/forecast.h"
#include "lead/pipeline.h"
#include "lead/money_cmd.h"
#include "lead/score_cmd.h"
#include "lead/velocity.h"
#include "io/output.h"
#include "store/store.h"

enum {
	OPT_REASON = 0x2000,
	OPT_REOPEN,
	OPT_AT,
};

static struct crm_store *begin_write(struct crm *crm, int *rc, struct crm_err *e)
{
	struct crm_store *s = crm_store_get(crm, CRM_STORE_WRITE, rc);

	if (s == NULL)
		return NULL;
	*rc = crm_store_begin(s, e);
	if (*rc == 0)
		*rc = crm_pipeline_ensure(s, e);
	return s;
}

/* ---- pipeline ---------------------------------------------------------------- */

/* pipeline add and rm: one name, in a transaction. */
static int pipeline_write(int argc, char **argv, struct crm *crm, int add)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one pipeline name", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = add ? crm_pipeline_ensure(s, &e) : 0;
	if (rc == 0)
		rc = add ? crm_pipeline_add(s, argv[optind], &id, &e) : crm_pipeline_rm(s, argv[optind], &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int pipeline_add(int argc, char **argv, struct crm *crm)
{
	return pipeline_write(argc, argv, crm, 1);
}

static int pipeline_rm(int argc, char **argv, struct crm *crm)
{
	return pipeline_write(argc, argv, crm, 0);
}

static int pipeline_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "pipeline", "stages", "open", "won", "lost" };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_pipeline_ensure(s, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	return rc != 0 ? rc : crm_print_query(crm, s, crm_pipeline_list_stmt(s), 5, cols, " nnnn");
}

static int pipeline_show(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = {
		"pipeline", "order", "stage", "probability", "kind", "deals"
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 1, "give one pipeline name", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_pipeline_ensure(s, &e);
	if (rc == 0)
		rc = crm_pipeline_find(s, optind < argc ? argv[optind] : CRM_DEFAULT_PIPELINE, &id, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc != 0)
		return rc;
	rc = crm_print_query(crm, s, crm_pipeline_stages_stmt(s, id), 6, cols, " n n n");
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

static const struct crm_command pipeline_subs[] = {
	{ "add", pipeline_add, "pipeline add NAME", "add a pipeline (then its stages)", NULL },
	{ "list", pipeline_list, "pipeline list", "the pipelines and their deals", NULL },
	{ "show", pipeline_show, "pipeline show [NAME]", "a pipeline's stages", NULL },
	{ "rm", pipeline_rm, "pipeline rm NAME", "remove a pipeline that holds no deal", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int cmd_pipeline(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, pipeline_subs, "add, list, show, rm");
}

/* ---- stage ------------------------------------------------------------------- */

static int stage_options(int argc, char **argv, struct crm *crm, struct crm_stage_args *a,
			 struct crm_err *e)
{
	static const struct option opts[] = {
		CRM_STAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc = 0;

	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "", opts)) != -1)
		rc = opt == '?' ? -1 : crm_stage_option(a, opt, optarg, e);
	if (rc == 0 && argc - optind != 2)
		rc = crm_err_set(e, CRM_EX_USAGE, "give PIPELINE and STAGE");
	return rc;
}

static int stage_run(int argc, char **argv, struct crm *crm, int what)
{
	struct crm_stage_args a = { -1, 0, 0, CRM_STAGE_OPEN, NULL, NULL };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t moved = 0;
	int rc = stage_options(argc, argv, crm, &a, &e);

	if (rc != 0)
		return crm_finish_option(crm, rc, &e);
	if (what == 'a' && a.probability < 0)
		return crm_usage_error(crm, "a stage needs --probability P%%");
	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0 && what == 'a')
		rc = crm_stage_add(s, argv[optind], argv[optind + 1], a.probability, a.order,
				   a.kind, &e);
	else if (rc == 0 && what == 'e')
		rc = crm_stage_edit(s, argv[optind], argv[optind + 1], a.name, a.probability,
				    a.order, a.has_kind ? &a.kind : NULL, &e);
	else if (rc == 0)
		rc = crm_stage_rm(s, argv[optind], argv[optind + 1], a.move_to, crm->user, &moved, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && moved > 0 && !crm->quiet)
		fprintf(stderr, "%s: stage rm: %lld deals moved to \"%s\"\n", crm->prog,
			(long long)moved, a.move_to);
	return rc;
}

static int stage_add(int argc, char **argv, struct crm *crm)
{
	return stage_run(argc, argv, crm, 'a');
}

static int stage_edit(int argc, char **argv, struct crm *crm)
{
	return stage_run(argc, argv, crm, 'e');
}

static int stage_rm(int argc, char **argv, struct crm *crm)
{
	return stage_run(argc, argv, crm, 'r');
}

static const struct crm_command stage_subs[] = {
	{ "add", stage_add, "stage add PIPELINE NAME --probability P% [--order N] [--kind open|won|lost]",
	  "add a stage",
	  "  --probability P%  the chance a deal in it is won (0% to 100%)\n"
	  "  --order N         its place (default: after the last)\n"
	  "  --kind K          open (default), won or lost\n" },
	{ "edit", stage_edit, "stage edit PIPELINE NAME [--name NEW] [--probability P%] [--order N] [--kind K]",
	  "change a stage", "  --name NEW        rename it\n" },
	{ "rm", stage_rm, "stage rm PIPELINE NAME [--move-to STAGE]", "remove a stage",
	  "  --move-to STAGE   where its deals go (required when it holds any)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int cmd_stage(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, stage_subs, "add, edit, rm");
}

/* ---- deals ------------------------------------------------------------------- */

static const struct option deal_opts[] = {
	CRM_DEAL_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/* Parses the deal options into d; 0, or the exit code after printing. */
static int deal_options(int argc, char **argv, struct crm *crm, struct crm_deal *d)
{
	struct crm_err e = { 0, "" };
	int64_t now = crm_now();
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", deal_opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		rc = crm_deal_option(d, opt, optarg, now, &e);
		if (rc == 0)
			return crm_usage_error(crm, "unexpected option");
		if (rc != 1)
			return crm_finish_option(crm, rc, &e);
	}
	return 0;
}

struct add_ctx {
	struct crm_store *s;
	const struct crm_deal *d;
	unsigned long added;
};

static int add_one(void *ctx, int64_t contact, struct crm_err *e)
{
	struct add_ctx *a = ctx;
	int64_t id;
	int existed, rc = crm_deal_add(a->s, a->d, contact, &id, &existed, e);

	if (rc == 0) {
		printf("%lld\n", (long long)id);
		a->added += !existed;
	}
	return rc;
}

static int cmd_add(int argc, char **argv, struct crm *crm)
{
	struct crm_deal d;
	struct crm_err e = { 0, "" };
	struct add_ctx a = { NULL, &d, 0 };
	int64_t contact;
	int rc;

	crm_deal_init(&d);
	rc = deal_options(argc, argv, crm, &d);
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one contact (id, uid or email), or - for a stream");
	if (rc == 0 && (rc = crm_deal_finish(&d, 1, 0, &e)) != 0)
		rc = crm_finish_option(crm, rc, &e);
	if (rc == 0 && (a.s = begin_write(crm, &rc, &e)) != NULL) {
		if (rc == 0 && strcmp(argv[optind], "-") == 0) {
			rc = crm_contact_stream(crm, a.s, stdin, "stdin", add_one, &a);
			if (rc == 0 || rc == 1)
				rc = crm_flush_stdout(&e) != 0 ? CRM_EX_IOERR : rc;
			if (rc == 0 || rc == 1) {
				int r2 = crm_finish_tx(crm, a.s, 0, &e);

				rc = r2 != 0 ? r2 : rc;
			} else {
				crm_store_rollback(a.s);
			}
		} else {
			if (rc == 0)
				rc = crm_contact_resolve(a.s, argv[optind], &contact, &e);
			if (rc == 0)
				rc = add_one(&a, contact, &e);
			if (rc == 0)
				rc = crm_flush_stdout(&e);
			rc = crm_finish_tx(crm, a.s, rc, &e);
		}
	}
	crm_deal_free(&d);
	return rc;
}

static int cmd_edit(int argc, char **argv, struct crm *crm)
{
	struct crm_deal d;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int changed = 0, rc;

	crm_deal_init(&d);
	rc = deal_options(argc, argv, crm, &d);
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one deal id");
	if (rc == 0 && (rc = crm_deal_finish(&d, 0, 0, &e)) != 0)
		rc = crm_finish_option(crm, rc, &e);
	if (rc == 0 && (s = begin_write(crm, &rc, &e)) != NULL) {
		if (rc == 0)
			rc = crm_deal_resolve(s, argv[optind], &id, &e);
		if (rc == 0)
			rc = crm_deal_edit(s, id, &d, &changed, &e);
		rc = crm_finish_tx(crm, s, rc, &e);
		if (rc == 0 && changed == 0 && crm->verbose)
			crm_warn(crm, "deal %lld: nothing changed", (long long)id);
	}
	crm_deal_free(&d);
	return rc;
}

/* rm and convert: one deal id, one function in a transaction. */
static int one_deal(int argc, char **argv, struct crm *crm, int convert)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int was = 0, rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one deal id", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_deal_resolve(s, argv[optind], &id, &e);
	if (rc == 0)
		rc = convert ? crm_deal_convert(s, id, &was, &e) : crm_deal_rm(s, id, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && was && !crm->quiet)
		crm_warn(crm, "deal %lld: its contact was a customer already", (long long)id);
	return rc;
}

static int cmd_rm(int argc, char **argv, struct crm *crm)
{
	return one_deal(argc, argv, crm, 0);
}

static int cmd_convert(int argc, char **argv, struct crm *crm)
{
	return one_deal(argc, argv, crm, 1);
}

static int cmd_move(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "reopen", no_argument, NULL, OPT_REOPEN },
		{ "at", required_argument, NULL, OPT_AT },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *reason = NULL;
	char at[32];
	int64_t id, t;
	int opt, reopen = 0, changed = 0, rc, has_at = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_REASON)
			reason = optarg;
		else if (opt == OPT_REOPEN)
			reopen = 1;
		else if (opt == OPT_AT) {
			if (crm_time_parse(optarg, crm_now(), &t, &e) != 0)
				return crm_finish_option(crm, CRM_EX_USAGE, &e);
			crm_time_format(t, at);
			has_at = 1;
		} else
			return CRM_EX_USAGE;
	}
	if (argc - optind != 2)
		return crm_usage_error(crm, "give a deal id and a stage");
	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0)
		rc = crm_deal_resolve(s, argv[optind], &id, &e);
	if (rc == 0)
		rc = crm_deal_move(s, id, argv[optind + 1], reason, reopen, has_at ? at : NULL,
				   &changed, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && !changed && crm->verbose)
		crm_warn(crm, "deal %lld is in stage \"%s\" already", (long long)id, argv[optind + 1]);
	return rc;
}

static int cmd_show(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one deal id", CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if ((rc = crm_deal_resolve(s, argv[optind], &id, &e)) != 0)
		return crm_report(crm, &e);
	return crm_deal_show(crm, s, id);
}

static int list_run(int argc, char **argv, struct crm *crm, int export)
{
	static const struct option opts[] = {
		CRM_DEAL_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_deal_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int opt, rc;

	memset(&q, 0, sizeof(q));
	q.now = crm_now();
	q.export = export;
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		if ((rc = crm_deal_query_option(&q, opt, optarg, &e)) != 0)
			return crm_finish_option(crm, rc, &e);
	}
	if (optind != argc)
		return crm_usage_error(crm, "unexpected argument \"%.40s\"", argv[optind]);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_deal_list(crm, s, &q);
	return rc == CRM_EX_NOTFOUND && export ? 0 : rc;
}

static int cmd_list(int argc, char **argv, struct crm *crm)
{
	return list_run(argc, argv, crm, 0);
}

static int cmd_export(int argc, char **argv, struct crm *crm)
{
	return list_run(argc, argv, crm, 1);
}

static int cmd_import(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		CRM_BATCH_LONGOPTS,
		CRM_DEAL_IMPORT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_batch_opts bo = { .format = CRM_CSV_AUTO };
	struct crm_deal_import di;
	struct crm_batch_counts counts;
	struct crm_err e = { 0, "" };
	int rc = 0, opt;

	crm_deal_import_init(&di, crm);
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "n", opts)) != -1) {
		if (opt == '?')
			rc = CRM_EX_USAGE;
		else if (!crm_batch_option(&bo, opt, optarg) &&
			 (rc = crm_deal_import_option(&di, opt, optarg, &e)) != 0)
			rc = crm_finish_option(crm, rc, &e);
	}
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one input file, or - for stdin");
	if (rc == 0) {
		bo.path = argv[optind];
		bo.no_header = bo.no_header || !crm->out.header;
		if (crm->out.format == CRM_FMT_CSV || crm->out.format == CRM_FMT_TSV)
			bo.format = crm->out.format == CRM_FMT_CSV ? CRM_CSV_COMMA : CRM_CSV_TAB;
		else if (crm->out.format != CRM_FMT_DEFAULT)
			rc = crm_usage_error(crm, "--format for import is csv or tsv");
	}
	if (rc == 0)
		rc = crm_batch_check(crm, &bo);
	if (rc == 0) {
		di.decimal = crm_batch_decimal(&bo);
		di.date_format = bo.date_format;
		di.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
		if (di.store != NULL)
			rc = crm_batch_run(crm, di.store, &bo, &crm_deal_import_ops, &di, &counts);
	}
	crm_deal_import_free(&di);
	return rc;
}

static int cmd_forecast(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "periods", required_argument, NULL, 'p' },
		{ "simulate", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "currency", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_forecast_opts o = { CRM_BY_MONTH, 0, 0, 1, crm_now(), NULL };
	struct crm_err e = { 0, "" };
	char cur[4];
	struct crm_store *s;
	char *end;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == 'b' && crm_forecast_by_parse(optarg, &o.by) != 0)
			return crm_usage_error(crm, "--by is month, quarter, owner, stage or pipeline");
		if (opt == 'p' && ((o.periods = (int)strtol(optarg, &end, 10)) < 1 || *end ||
				   o.periods > 120))
			return crm_usage_error(crm, "--periods takes a whole number from 1 to 120");
		if (opt == 's' && ((o.simulate = strtol(optarg, &end, 10)) < 1 || *end ||
				   o.simulate > 1000000))
			return crm_usage_error(crm, "--simulate takes runs from 1 to 1000000");
		if (opt == 'S')
			o.seed = strtoull(optarg, NULL, 10);
		if (opt == 'c' && crm_currency_parse(optarg, cur, &e) != 0)
			return crm_finish_option(crm, CRM_EX_USAGE, &e);
		if (opt == 'c')
			o.currency = cur;
		if (opt == '?')
			return CRM_EX_USAGE;
	}
	if (o.periods == 0)
		o.periods = o.by == CRM_BY_QUARTER ? 4 : 6;
	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	return s == NULL ? rc : crm_forecast(crm, s, &o);
}

static int cmd_velocity(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "pipeline", required_argument, NULL, 'p' },
		{ "owner", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_velocity_opts o = { "", "", NULL, NULL };
	struct crm_err e = { 0, "" };
	const char *since = NULL, *until = NULL;
	struct crm_store *s;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		since = opt == 's' ? optarg : since;
		until = opt == 'u' ? optarg : until;
		o.pipeline = opt == 'p' ? optarg : o.pipeline;
		o.owner = opt == 'o' ? optarg : o.owner;
	}
	if (crm_velocity_window(&o, since, until, crm_now(), &e) != 0)
		return crm_finish_option(crm, CRM_EX_USAGE, &e);
	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	return s == NULL ? rc : crm_velocity(crm, s, &o);
}

/* ---- the command table ------------------------------------------------------- */

static const struct crm_command commands[] = {
	{ "pipeline", cmd_pipeline, "pipeline add|list|show|rm [NAME]", "pipelines", NULL },
	{ "stage", cmd_stage, "stage add|edit|rm PIPELINE NAME [options]", "stages of a pipeline",
	  NULL },
	{ "add", cmd_add, "add [options] CONTACT|-", "add a deal; prints its id", CRM_DEAL_ADD_HELP },
	{ "show", cmd_show, "show ID", "a deal, its stage history and events", NULL },
	{ "edit", cmd_edit, "edit [options] ID", "change a deal (its stage: move)", CRM_DEAL_HELP },
	{ "rm", cmd_rm, "rm ID", "remove a deal and its events", NULL },
	{ "move", cmd_move, "move [--reason R] [--reopen] [--at TIME] ID STAGE",
	  "move a deal to a stage",
	  CRM_DEAL_MOVE_HELP },
	{ "convert", cmd_convert, "convert ID", "make the deal's contact a customer, once", NULL },
	{ "list", cmd_list, "list [options]", "deals", CRM_DEAL_QUERY_HELP
	  "  --fields F,...    columns: the deal's (id, title, value, stage, ...) or any\n"
	  "                    name of crm-filter(7)\n"
	  "  --sort F,...      by these columns, -F descending\n"
	  "  --limit N         at most N deals\n" },
	{ "export", cmd_export, "export [options]", "every column of the deals, for import",
	  CRM_DEAL_QUERY_HELP },
	{ "forecast", cmd_forecast, "forecast [--by month|quarter|owner|stage|pipeline] [--periods N] [--simulate RUNS [--seed S]] [--currency C]",
	  "open value weighted by probability, beside value won",
	  CRM_FORECAST_HELP },
	{ "velocity", cmd_velocity, "velocity [--since DATE] [--until DATE] [--pipeline P] [--owner O]",
	  "days in each stage, conversion, win rate, value won, sales cycle",
	  CRM_VELOCITY_HELP },
	{ "score", crm_lead_score_command, "score rule|train|apply|explain|models ...",
	  "lead scoring", NULL },
	{ "quota", crm_lead_quota_command, "quota set|list|rm ...", "sales targets by owner and period",
	  NULL },
	{ "rates", crm_lead_rates_command, "rates set|list|rm ...", "exchange rates for --currency",
	  NULL },
	{ "commission", crm_lead_commission_command, "commission [set|plans|rm ...] [--period P] [--owner O]",
	  "commission plans, and what each owner earned on the deals won", NULL },
	{ "tax", crm_lead_tax_command, "tax set|list|rm ...", "tax rates by country", NULL },
	{ "import", cmd_import, "import [options] FILE|-",
	  "add or update deals from CSV/TSV (our own, Salesforce, HubSpot, Pipedrive)",
	  CRM_DEAL_IMPORT_HELP },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-lead",
			"Sales: pipelines, deals, lead scoring, forecasts, commissions.", commands);
}
