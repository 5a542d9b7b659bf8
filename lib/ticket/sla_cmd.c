/* sla_cmd.c - crm-ticket calendar and sla (sla_cmd.h). They parse their
 * arguments, call lib/ticket and print, as a cmd/ file does. */
#include "ticket/sla_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "store/store.h"
#include "mailer/transport.h"
#include "ticket/escalate.h"
#include "ticket/escalate_notify.h"
#include "ticket/sla.h"
#include "ticket/ticket.h"

enum {
	OPT_HOURS = 0x2600, OPT_TZ, OPT_TEAM, OPT_FIRST, OPT_NEXT, OPT_RESOLUTION, OPT_CALENDAR,
	OPT_TO, OPT_PRIORITY, OPT_WARN, OPT_NOTIFY, OPT_FROM,
};

/* The write in one transaction, reported as every command reports. */
struct write {
	const char *a, *b, *c;
	int level;
	const char *calendar;
	struct crm_sla_targets targets;
	int (*run)(struct crm_store *, const struct write *, struct crm_err *);
};

static int finish_write(struct crm *crm, const struct write *w)
{
	struct crm_err e = { 0, "" };
	int rc;
	struct crm_store *s = crm_store_get(crm, CRM_STORE_WRITE, &rc);

	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = w->run(s, w, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

/* ---- calendar ---------------------------------------------------------------- */

static int run_calendar_set(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_calendar_set(s, w->a, w->b, w->c, e);
}

static int run_calendar_rm(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_calendar_rm(s, w->a, e);
}

static int run_holiday_add(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_calendar_holiday_add(s, w->a, w->b, e);
}

static int run_holiday_rm(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_calendar_holiday_rm(s, w->a, w->b, e);
}

static int calendar_set(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "hours", required_argument, NULL, OPT_HOURS },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ NULL, 0, NULL, 0 },
	};
	struct write w = { NULL, NULL, NULL, 0, NULL, { 0, 0, 0 }, run_calendar_set };
	int opt;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		w.b = opt == OPT_HOURS ? optarg : w.b;
		w.c = opt == OPT_TZ ? optarg : w.c;
	}
	if (argc - optind != 1 || w.b == NULL || w.c == NULL)
		return crm_usage_error(crm, "give NAME, --hours H and --tz ZONE");
	w.a = argv[optind];
	return finish_write(crm, &w);
}

static int name_write(int argc, char **argv, struct crm *crm, int noperands, const char *want,
		      int (*run)(struct crm_store *, const struct write *, struct crm_err *))
{
	struct write w = { NULL, NULL, NULL, 0, NULL, { 0, 0, 0 }, run };
	struct crm_err e = { 0, "" };
	int rc;
	struct crm_store *s = crm_command_begin(crm, argc, argv, noperands, noperands, want,
						CRM_STORE_WRITE, &rc);

	if (s == NULL)
		return rc;
	w.a = argv[optind];
	w.b = noperands > 1 ? argv[optind + 1] : NULL;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = run(s, &w, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int calendar_rm(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, 1, "give one calendar NAME", run_calendar_rm);
}

static int holiday_add(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, 2, "give NAME and DAY", run_holiday_add);
}

static int holiday_rm(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, 2, "give NAME and DAY", run_holiday_rm);
}

static int calendar_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "calendar", "hours", "tz", "holidays" };

	return crm_list_command(argc, argv, crm, crm_calendar_list_stmt, 4, cols, "   n");
}

static const struct crm_command holiday_subs[] = {
	{ "add", holiday_add, "calendar holiday add NAME DAY", "a day with no hours", NULL },
	{ "rm", holiday_rm, "calendar holiday rm NAME DAY", "a working day again", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int calendar_holiday(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, holiday_subs, "add, rm");
}

static const struct crm_command calendar_subs[] = {
	{ "set", calendar_set, "calendar set NAME --hours H --tz ZONE",
	  "business hours in a time zone (again: new hours)",
	  "  --hours H         such as 'mon-fri 09:00-17:00; sat 10:00-14:00'\n"
	  "  --tz ZONE         a name of the tz database, such as Europe/Amsterdam\n" },
	{ "list", calendar_list, "calendar list", "the calendars", NULL },
	{ "rm", calendar_rm, "calendar rm NAME", "remove a calendar no policy uses", NULL },
	{ "holiday", calendar_holiday, "calendar holiday add|rm NAME DAY", "holidays", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_ticket_calendar_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, calendar_subs, "set, list, rm, holiday");
}

/* ---- sla --------------------------------------------------------------------- */

static int run_sla_set(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_sla_set(s, w->a, w->b, &w->targets, w->calendar, e);
}

static int run_sla_rm(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_sla_rm(s, w->a, w->b, e);
}

static int sla_write(int argc, char **argv, struct crm *crm, int targets)
{
	static const struct option opts[] = {
		{ "team", required_argument, NULL, OPT_TEAM },
		{ "first-response", required_argument, NULL, OPT_FIRST },
		{ "next-response", required_argument, NULL, OPT_NEXT },
		{ "resolution", required_argument, NULL, OPT_RESOLUTION },
		{ "calendar", required_argument, NULL, OPT_CALENDAR },
		{ NULL, 0, NULL, 0 },
	};
	struct write w = { NULL, NULL, NULL, 0, NULL, { 0, 0, 0 }, targets ? run_sla_set : run_sla_rm };
	struct crm_err e = { 0, "" };
	int opt;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		int64_t *span = opt == OPT_FIRST ? &w.targets.first_response
				: opt == OPT_NEXT ? &w.targets.next_response
				: opt == OPT_RESOLUTION ? &w.targets.resolution : NULL;

		if (opt == '?' || (!targets && opt != OPT_TEAM))
			return opt == '?' ? CRM_EX_USAGE
			       : crm_usage_error(crm, "unexpected option \"%.40s\"", argv[optind - 1]);
		if (span != NULL && (crm_span_parse(optarg, span, &e) != 0 || *span <= 0))
			return crm_usage_error(crm, "%s", e.msg[0] != '\0' ? e.msg : "a span above 0");
		w.b = opt == OPT_TEAM ? optarg : w.b;
		w.calendar = opt == OPT_CALENDAR ? optarg : w.calendar;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one PRIORITY");
	w.a = argv[optind];
	return finish_write(crm, &w);
}

static int sla_set(int argc, char **argv, struct crm *crm)
{
	return sla_write(argc, argv, crm, 1);
}

static int sla_rm(int argc, char **argv, struct crm *crm)
{
	return sla_write(argc, argv, crm, 0);
}

static int sla_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "priority", "team", "first_response", "next_response",
					    "resolution", "calendar" };

	return crm_list_command(argc, argv, crm, crm_sla_list_stmt, 6, cols, "      ");
}

static const struct crm_command sla_subs[] = {
	{ "set", sla_set, "sla set PRIORITY [--team T] [--first-response S] [--next-response S]"
	  " [--resolution S] [--calendar C]",
	  "what a ticket of PRIORITY is promised, in business time",
	  "  --team T          for the team's tickets (default: any team's)\n"
	  "  --first-response S  to the first reply, a span such as 4h\n"
	  "  --next-response S   to each next reply after the customer wrote\n"
	  "  --resolution S    to resolved, such as 2d\n"
	  "  --calendar C      counted in C's hours (default: around the clock)\n" },
	{ "list", sla_list, "sla list", "the policies", NULL },
	{ "rm", sla_rm, "sla rm PRIORITY [--team T]", "remove a policy", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_ticket_sla_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, sla_subs, "set, list, rm");
}

/* ---- escalate, escalation rules -------------------------------------------- */

static int run_rule_add(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_escalation_rule_add(s, w->level, w->b, w->c, e);
}

static int run_rule_rm(struct crm_store *s, const struct write *w, struct crm_err *e)
{
	return crm_escalation_rule_rm(s, w->level, w->c, e);
}

static int rule_write(int argc, char **argv, struct crm *crm, int add)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ NULL, 0, NULL, 0 },
	};
	struct write w = { NULL, NULL, NULL, 0, NULL, { 0, 0, 0 }, add ? run_rule_add : run_rule_rm };
	char *end;
	int opt;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?' || (!add && opt == OPT_TO))
			return opt == '?' ? CRM_EX_USAGE
			       : crm_usage_error(crm, "unexpected option \"%.40s\"", argv[optind - 1]);
		w.b = opt == OPT_TO ? optarg : w.b;
		w.c = opt == OPT_PRIORITY ? optarg : w.c;
	}
	if (argc - optind != 1 || (add && w.b == NULL))
		return crm_usage_error(crm, add ? "give LEVEL and --to AGENT|TEAM" : "give LEVEL");
	w.level = (int)strtol(argv[optind], &end, 10);
	if (*end != '\0' || w.level < 1 || w.level > 99)
		return crm_usage_error(crm, "a level is a whole number from 1, not \"%.20s\"",
				       argv[optind]);
	return finish_write(crm, &w);
}

static int rule_add(int argc, char **argv, struct crm *crm)
{
	return rule_write(argc, argv, crm, 1);
}

static int rule_rm(int argc, char **argv, struct crm *crm)
{
	return rule_write(argc, argv, crm, 0);
}

static int rule_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "level", "priority", "to", "kind" };

	return crm_list_command(argc, argv, crm, crm_escalation_rule_list_stmt, 4, cols, "n   ");
}

static const struct crm_command rule_subs[] = {
	{ "add", rule_add, "escalation rule add LEVEL --to AGENT|TEAM [--priority P]",
	  "who gets tickets raised to LEVEL (1: near due, 2: past it)",
	  "  --to NAME         an agent, else a team\n"
	  "  --priority P      for tickets of P only (default: any)\n" },
	{ "list", rule_list, "escalation rule list", "the rules", NULL },
	{ "rm", rule_rm, "escalation rule rm LEVEL [--priority P]", "remove a rule", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int escalation_rule(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, rule_subs, "add, list, rm");
}

static const struct crm_command escalation_subs[] = {
	{ "rule", escalation_rule, "escalation rule add|list|rm ...", "escalation rules", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_ticket_escalation_command(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, escalation_subs, "rule");
}

int crm_ticket_escalate_command(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "warn", required_argument, NULL, OPT_WARN },
		{ "notify", no_argument, NULL, OPT_NOTIFY },
		{ "from", required_argument, NULL, OPT_FROM },
		CRM_TRANSPORT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = { "ticket", "from", "to", "clock", "due", "assigned",
					    "assignee" };
	struct crm_err e = { 0, "" };
	struct crm_transport transport = { CRM_TRANSPORT_SENDMAIL, NULL };
	struct crm_escalated *done = NULL;
	struct crm_store *s;
	const char *from = getenv("CRM_FROM");
	int64_t warn = 0;
	size_t n = 0;
	int opt, rc, notify = 0, given = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		if (opt == OPT_WARN && crm_span_parse(optarg, &warn, &e) != 0)
			return crm_finish_option(crm, CRM_EX_USAGE, &e);
		if (opt >= CRM_TRANSPORT_OPT && opt <= CRM_TRANSPORT_OPT + 3 &&
		    (rc = crm_transport_option(opt, optarg, &transport, &given, &e)) != 0)
			return crm_finish_option(crm, rc, &e);
		notify = notify || opt == OPT_NOTIFY;
		from = opt == OPT_FROM ? optarg : from;
	}
	if (notify && (from == NULL || from[0] == '\0'))
		return crm_usage_error(crm, "--notify: who sends the digests? give --from ADDRESS"
				       " (or set CRM_FROM)");
	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_ticket_escalate(s, crm_now(), warn, &done, &n, &e);
	if (rc != 0)
		crm_report(crm, &e);
	/* what was raised is printed even when a later ticket failed;
	 * nothing at all when nothing was */
	if (n > 0) {
		struct crm_out *out = crm_out_open(stdout, &crm->out);
		struct crm_err oe = { 0, "" };
		int orc;

		crm_out_columns(out, 7, cols);
		crm_out_numeric(out, 0);
		crm_out_numeric(out, 1);
		crm_out_numeric(out, 2);
		for (size_t i = 0; i < n; i++) {
			char id[24], lfrom[16], lto[16];
			const char *v[7] = { id, lfrom, lto, done[i].clock, done[i].due, done[i].assigned,
					     done[i].assignee };

			snprintf(id, sizeof(id), "%lld", (long long)done[i].ticket);
			snprintf(lfrom, sizeof(lfrom), "%d", done[i].from);
			snprintf(lto, sizeof(lto), "%d", done[i].to);
			crm_out_row(out, v);
		}
		orc = crm_finish_output(crm, out, 0, &oe);
		rc = rc != 0 ? rc : orc;
	}
	for (size_t i = 0; i < n; i++)
		if (done[i].warning[0] != '\0')
			fprintf(stderr, "%s: escalate: ticket %lld raised, not given: %s\n", crm->prog,
				(long long)done[i].ticket, done[i].warning);
	/* what was raised is told, even after an error: it will not be again */
	if (notify && n > 0) {
		size_t sent, skipped;
		int nrc = crm_ticket_escalate_notify(s, done, n, from, &transport, &sent, &skipped, &e);

		if (nrc != 0)
			crm_report(crm, &e);
		else if (skipped > 0)
			fprintf(stderr, "%s: escalate: %zu agent%s without an email not notified\n",
				crm->prog, skipped, skipped == 1 ? "" : "s");
		rc = rc != 0 ? rc : nrc;
	}
	free(done);
	return rc == 0 && n == 0 ? CRM_EX_NOTFOUND : rc;
}
