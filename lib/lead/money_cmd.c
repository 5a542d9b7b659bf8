/* money_cmd.c - crm-lead rates, quota, commission and tax (money_cmd.h). They parse their
 * arguments, call lib/lead and print, as a cmd/ file does. */
#include "lead/money_cmd.h"

#include <stdio.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "lead/commission_report.h"
#include "lead/plans.h"
#include "lead/quota.h"
#include "lead/rates.h"
#include "store/store.h"

enum { OPT_DATE = 0x2200, OPT_CURRENCY, OPT_PIPELINE, OPT_TIERS, OPT_PERIOD, OPT_OWNER };

/* The options of a set or rm: --date D (rates) or --currency C (quota);
 * then want operands. 0, or the exit code after printing. */
static int group_options(int argc, char **argv, struct crm *crm, int nmin, int nmax,
			 const char *want, char day[16], const char **currency)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "currency", required_argument, NULL, OPT_CURRENCY },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	int64_t y;
	int opt, m, d;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_DATE && day != NULL) {
			if (crm_date_parse(optarg, crm_now(), &y, &m, &d, &e) != 0)
				return crm_usage_error(crm, "--date: invalid date \"%.40s\"", optarg);
			crm_date_format(y, m, d, day);
		} else if (opt == OPT_CURRENCY && currency != NULL) {
			*currency = optarg;
		} else {
			return opt == '?' ? CRM_EX_USAGE :
			       crm_usage_error(crm, "unexpected option \"%.40s\"", argv[optind - 1]);
		}
	}
	if (argc - optind < nmin || argc - optind > nmax)
		return crm_usage_error(crm, "%s", want);
	return 0;
}

/* A write in a transaction, printed the usual way. */
static int finish_write(struct crm *crm, int (*write)(struct crm_store *, char **, const char *,
						      const char *, struct crm_err *),
			char **args, const char *day, const char *currency)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc;

	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = write(s, args, day, currency, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static void today(char day[16])
{
	int64_t y;
	int m, d;

	crm_civil_from_days(crm_local_days(crm_now()), &y, &m, &d);
	crm_date_format(y, m, d, day);
}

/* ---- rates ------------------------------------------------------------------- */

static int write_rate(struct crm_store *s, char **a, const char *day, const char *cur,
		      struct crm_err *e)
{
	(void)cur;
	return crm_rates_set(s, a[0], a[1], a[2], day, e);
}

static int write_rate_rm(struct crm_store *s, char **a, const char *day, const char *cur,
			 struct crm_err *e)
{
	(void)cur;
	return crm_rates_rm(s, a[0], a[1], day[0] != '\0' ? day : NULL, e);
}

static int rates_set(int argc, char **argv, struct crm *crm)
{
	char day[16];
	int rc;

	today(day);
	rc = group_options(argc, argv, crm, 3, 3, "give BASE, QUOTE and RATE (1 BASE = RATE QUOTE)",
			   day, NULL);
	return rc != 0 ? rc : finish_write(crm, write_rate, argv + optind, day, NULL);
}

static int rates_rm(int argc, char **argv, struct crm *crm)
{
	char day[16] = "";
	int rc = group_options(argc, argv, crm, 2, 2, "give BASE and QUOTE", day, NULL);

	return rc != 0 ? rc : finish_write(crm, write_rate_rm, argv + optind, day, NULL);
}

static int rates_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "base", "quote", "day", "rate" };

	return crm_list_command(argc, argv, crm, crm_rates_list_stmt, 4, cols, "   n");
}

static const struct crm_command rates_subs[] = {
	{ "set", rates_set, "rates set BASE QUOTE RATE [--date DATE]",
	  "1 BASE is RATE QUOTE from DATE on (default today)",
	  "  --date DATE       the first day it holds (default today)\n" },
	{ "list", rates_list, "rates list", "the exchange rates", NULL },
	{ "rm", rates_rm, "rates rm BASE QUOTE [--date DATE]", "remove rates (of DATE only)",
	  "  --date DATE       only the rate set for that day\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_lead_rates_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, rates_subs, "set, list, rm");
}

/* ---- quota ------------------------------------------------------------------- */

static int write_quota(struct crm_store *s, char **a, const char *day, const char *cur,
		       struct crm_err *e)
{
	(void)day;
	return crm_quota_set(s, a[0], a[1], a[2], cur, e);
}

static int write_quota_rm(struct crm_store *s, char **a, const char *day, const char *cur,
			  struct crm_err *e)
{
	(void)day;
	return crm_quota_rm(s, a[0], a[1], cur, e);
}

static int quota_set(int argc, char **argv, struct crm *crm)
{
	const char *cur = crm_default_currency();
	int rc = group_options(argc, argv, crm, 3, 3, "give OWNER, PERIOD and AMOUNT", NULL, &cur);

	return rc != 0 ? rc : finish_write(crm, write_quota, argv + optind, NULL, cur);
}

static int quota_rm(int argc, char **argv, struct crm *crm)
{
	const char *cur = NULL;
	int rc = group_options(argc, argv, crm, 2, 2, "give OWNER and PERIOD", NULL, &cur);

	return rc != 0 ? rc : finish_write(crm, write_quota_rm, argv + optind, NULL, cur);
}

static int quota_list(int argc, char **argv, struct crm *crm)
{
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_quota_list(crm, s);
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

static const struct crm_command quota_subs[] = {
	{ "set", quota_set, "quota set OWNER PERIOD AMOUNT [--currency C]",
	  "OWNER's target for a month (2026-10) or a quarter (2026-Q4)",
	  "  --currency C      ISO 4217 code (default $CRM_CURRENCY, else EUR)\n" },
	{ "list", quota_list, "quota list", "the quotas", NULL },
	{ "rm", quota_rm, "quota rm OWNER PERIOD [--currency C]", "remove a quota",
	  "  --currency C      only the quota in C\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_lead_quota_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, quota_subs, "set, list, rm");
}

/* ---- commission and tax ------------------------------------------------------ */

/* The options of commission set|rm and tax set|rm. */
struct plan_args {
	char day[16];          /* --from, "" when not given */
	const char *pipeline;  /* --pipeline */
	const char *tiers;     /* --tiers */
	char **operands;
	int n;
};

static int plan_options(int argc, char **argv, struct crm *crm, int holders, struct plan_args *a)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_DATE },
		{ "pipeline", required_argument, NULL, OPT_PIPELINE },
		{ "tiers", required_argument, NULL, OPT_TIERS },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	int64_t y;
	int opt, m, d;

	memset(a, 0, sizeof(*a));
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_DATE) {
			if (crm_date_parse(optarg, crm_now(), &y, &m, &d, &e) != 0)
				return crm_usage_error(crm, "--from: invalid date \"%.40s\"", optarg);
			crm_date_format(y, m, d, a->day);
		} else if (opt == OPT_PIPELINE && holders) {
			a->pipeline = optarg;
		} else if (opt == OPT_TIERS && holders) {
			a->tiers = optarg;
		} else {
			return opt == '?' ? CRM_EX_USAGE :
			       crm_usage_error(crm, "unexpected option \"%.40s\"", argv[optind - 1]);
		}
	}
	a->operands = argv + optind;
	a->n = argc - optind;
	return 0;
}

static int write_plan(struct crm_store *s, char **a, const char *day, const char *pipeline,
		      struct crm_err *e)
{
	/* a: owner or NULL, rate or NULL, tiers or NULL */
	return crm_plan_set(s, a[0], pipeline, day, a[1], a[2], e);
}

static int write_plan_rm(struct crm_store *s, char **a, const char *day, const char *pipeline,
			 struct crm_err *e)
{
	return crm_plan_rm(s, a[0], pipeline, day[0] != '\0' ? day : NULL, e);
}

static int write_tax(struct crm_store *s, char **a, const char *day, const char *unused,
		     struct crm_err *e)
{
	(void)unused;
	return crm_tax_set(s, a[0], a[1], day, e);
}

static int write_tax_rm(struct crm_store *s, char **a, const char *day, const char *unused,
			struct crm_err *e)
{
	(void)unused;
	return crm_tax_rm(s, a[0], day[0] != '\0' ? day : NULL, e);
}

static int commission_set(int argc, char **argv, struct crm *crm)
{
	struct plan_args a;
	char *args[3];
	int rc = plan_options(argc, argv, crm, 1, &a), need;

	if (rc != 0)
		return rc;
	/* operands: [OWNER] [RATE]; the owner is absent with --pipeline, the
	 * rate with --tiers */
	need = (a.pipeline == NULL) + (a.tiers == NULL);
	if (a.n != need)
		return crm_usage_error(crm, "give OWNER or --pipeline P, and RATE or --tiers T");
	args[0] = a.pipeline == NULL ? a.operands[0] : NULL;
	args[1] = a.tiers == NULL ? a.operands[need - 1] : NULL;
	args[2] = (char *)a.tiers;
	if (a.day[0] == '\0')
		today(a.day);
	return finish_write(crm, write_plan, args, a.day, a.pipeline);
}

static int commission_rm(int argc, char **argv, struct crm *crm)
{
	struct plan_args a;
	char *args[1];
	int rc = plan_options(argc, argv, crm, 1, &a);

	if (rc != 0)
		return rc;
	if (a.tiers != NULL)
		return crm_usage_error(crm, "unexpected option \"--tiers\"");
	if (a.n != (a.pipeline == NULL))
		return crm_usage_error(crm, "give OWNER or --pipeline P");
	args[0] = a.pipeline == NULL ? a.operands[0] : NULL;
	return finish_write(crm, write_plan_rm, args, a.day, a.pipeline);
}

static int commission_plans(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "owner", "pipeline", "from", "rate", "tiers" };

	return crm_list_command(argc, argv, crm, crm_plan_list_stmt, 5, cols, "     ");
}

static int commission_report(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_commission_opts o = { NULL, NULL };
	struct crm_store *s;
	char month[16];
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_PERIOD)
			o.period = optarg;
		else if (opt == OPT_OWNER)
			o.owner = optarg;
		else
			return CRM_EX_USAGE;
	}
	if (optind != argc)
		return crm_usage_error(crm, "unexpected argument \"%.40s\"", argv[optind]);
	if (o.period == NULL) {
		today(month);
		month[7] = '\0';
		o.period = month;
	}
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	return crm_commission_report(crm, s, &o);
}

static const struct crm_command commission_subs[] = {
	{ "set", commission_set,
	  "commission set OWNER|--pipeline P RATE|--tiers T [--from DATE]",
	  "the commission plan of an owner, or of a pipeline's deals, from DATE on",
	  "  --pipeline P      the plan of P's deals whose owner has none\n"
	  "  --tiers T         marginal tiers, e.g. 0-10000:5%,10000-:7%\n"
	  "  --from DATE       the first day it holds (default today)\n" },
	{ "plans", commission_plans, "commission plans", "the commission plans", NULL },
	{ "rm", commission_rm, "commission rm OWNER|--pipeline P [--from DATE]",
	  "remove plans (of DATE only)",
	  "  --pipeline P      the plans of pipeline P\n"
	  "  --from DATE       only the plan from that day\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_lead_commission_command(int argc, char **argv, struct crm *crm)
{
	if (argc >= 2 && argv[1][0] != '-')
		return crm_sub_command(argc, argv, crm, commission_subs, "set, plans, rm");
	crm->help = "  --period P        a month (2026-10) or a quarter (2026-Q4); default this month\n"
		    "  --owner O         only O's deals\n";
	return commission_report(argc, argv, crm);
}

static int tax_set(int argc, char **argv, struct crm *crm)
{
	struct plan_args a;
	int rc = plan_options(argc, argv, crm, 0, &a);

	if (rc != 0)
		return rc;
	if (a.n != 2)
		return crm_usage_error(crm, "give COUNTRY and RATE");
	if (a.day[0] == '\0')
		today(a.day);
	return finish_write(crm, write_tax, a.operands, a.day, NULL);
}

static int tax_rm(int argc, char **argv, struct crm *crm)
{
	struct plan_args a;
	int rc = plan_options(argc, argv, crm, 0, &a);

	if (rc != 0)
		return rc;
	if (a.n != 1)
		return crm_usage_error(crm, "give COUNTRY");
	return finish_write(crm, write_tax_rm, a.operands, a.day, NULL);
}

static int tax_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "country", "from", "rate" };

	return crm_list_command(argc, argv, crm, crm_tax_list_stmt, 3, cols, "   ");
}

static const struct crm_command tax_subs[] = {
	{ "set", tax_set, "tax set COUNTRY RATE [--from DATE]",
	  "the tax rate of COUNTRY (as contacts name it) from DATE on",
	  "  --from DATE       the first day it holds (default today)\n" },
	{ "list", tax_list, "tax list", "the tax rates", NULL },
	{ "rm", tax_rm, "tax rm COUNTRY [--from DATE]", "remove tax rates (of DATE only)",
	  "  --from DATE       only the rate from that day\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_lead_tax_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, tax_subs, "set, list, rm");
}
