/* crm-ticket - service requests: tickets of contacts with their thread
 * and every event, assignment to agents and teams, ratings. See
 * crm-ticket(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "contact/contact.h"
#include "io/output.h"
#include "log/body.h"
#include "mailer/message.h"
#include "mailer/transport.h"
#include "store/store.h"
#include "ticket/ticket.h"
#include "ticket/reply.h"
#include "ticket/sla_cmd.h"
#include "ticket/ticket_list.h"
#include "ticket/ticket_stats.h"

enum {
	OPT_SUBJECT = 0x2400, OPT_PRIORITY, OPT_CHANNEL, OPT_TEAM, OPT_CATEGORY, OPT_BODY_FILE,
	OPT_AT, OPT_STATUS, OPT_ASSIGNEE, OPT_CONTACT, OPT_AGE, OPT_FILTER, OPT_FIELDS, OPT_SORT,
	OPT_LIMIT, OPT_AUTO, OPT_ROUND_ROBIN, OPT_EMAIL, OPT_COMMENT, OPT_FROM, OPT_DRY_RUN,
	OPT_BREACHED, OPT_DUE_WITHIN, OPT_SINCE, OPT_UNTIL, OPT_BY,
};

/* A ticket number operand: 0, or a usage error after printing. */
static int ticket_id(struct crm *crm, const char *arg, int64_t *id)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	*id = 0;
	if (arg[0] == '\0' || *end != '\0' || v <= 0)
		return crm_usage_error(crm, "a ticket number, not \"%.40s\"", arg);
	*id = v;
	return 0;
}

/* A write in one transaction: begin, run, commit or roll back, report. */
static struct crm_store *begin_write(struct crm *crm, int *rc, struct crm_err *e)
{
	struct crm_store *s = crm_store_get(crm, CRM_STORE_WRITE, rc);

	if (s != NULL)
		*rc = crm_store_begin(s, e);
	return s;
}

/* ---- open, note, status, reopen, assign, merge, csat ------------------------ */

static int cmd_open(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "channel", required_argument, NULL, OPT_CHANNEL },
		{ "team", required_argument, NULL, OPT_TEAM },
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "body-file", required_argument, NULL, OPT_BODY_FILE },
		{ "at", required_argument, NULL, OPT_AT },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_ticket_new t = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *body_file = NULL;
	char *body = NULL, at[32];
	int64_t contact, id, when;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_SUBJECT: t.subject = optarg; break;
		case OPT_PRIORITY: t.priority = optarg; break;
		case OPT_CHANNEL: t.channel = optarg; break;
		case OPT_TEAM: t.team = optarg; break;
		case OPT_CATEGORY: t.category = optarg; break;
		case OPT_BODY_FILE: body_file = optarg; break;
		case OPT_AT:
			if (crm_time_parse(optarg, crm_now(), &when, &e) != 0)
				return crm_usage_error(crm, "--at: invalid time \"%.40s\"", optarg);
			crm_time_format(when, at);
			t.at = at;
			break;
		default: return CRM_EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one CONTACT (an id, uid or email)");
	if (t.priority != NULL && crm_ticket_priority_check(t.priority, &e) != 0)
		return crm_finish_option(crm, CRM_EX_USAGE, &e);
	if (body_file != NULL && (rc = crm_body_read(body_file, &body, &e)) != 0)
		return crm_finish_option(crm, rc, &e);
	t.body = body;
	s = begin_write(crm, &rc, &e);
	if (s == NULL) {
		free(body);
		return rc;
	}
	if (rc == 0)
		rc = crm_contact_resolve(s, argv[optind], &contact, &e);
	if (rc == 0)
		rc = crm_ticket_open(s, contact, &t, &id, &e);
	free(body);
	if (rc == 0)
		printf("%lld\n", (long long)id);
	return crm_finish_tx(crm, s, rc, &e);
}

/* The text of a note or reply: --body-file F, or the operands after the
 * ticket number joined by spaces; *body is the caller's to free. */
static int message_body(struct crm *crm, int argc, char **argv, const char *body_file,
			const char *what, char **body, struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;

	*body = NULL;
	if (argc - optind < 1 || (body_file == NULL) == (argc - optind < 2) ||
	    (body_file != NULL && argc - optind > 1))
		return crm_usage_error(crm, "give ID and the %s's TEXT, or ID and --body-file F",
				       what);
	if (body_file != NULL)
		return crm_body_read(body_file, body, e);
	for (int i = optind + 1; i < argc; i++)
		crm_buf_addf(&b, "%s%s", i > optind + 1 ? " " : "", argv[i]);
	*body = xstrdup(crm_buf_str(&b));
	crm_buf_free(&b);
	return 0;
}

static int cmd_note(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "body-file", required_argument, NULL, OPT_BODY_FILE },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *body_file = NULL;
	char *body = NULL;
	int64_t id;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_BODY_FILE)
			return CRM_EX_USAGE;
		body_file = optarg;
	}
	if ((rc = message_body(crm, argc, argv, body_file, "note", &body, &e)) != 0)
		return e.code == rc ? crm_finish_option(crm, rc, &e) : rc;
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0) {
		free(body);
		return rc;
	}
	s = begin_write(crm, &rc, &e);
	if (s != NULL && rc == 0)
		rc = crm_ticket_note(s, id, body, &e);
	free(body);
	return s == NULL ? rc : crm_finish_tx(crm, s, rc, &e);
}

static int cmd_reply(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "body-file", required_argument, NULL, OPT_BODY_FILE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		CRM_TRANSPORT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_transport transport = { CRM_TRANSPORT_SENDMAIL, NULL };
	struct crm_ticket_reply r = { NULL, NULL, NULL, &transport };
	struct crm_mail_built mail = { NULL, 0, "" };
	struct crm_store *s;
	const char *body_file = NULL;
	char *body = NULL;
	int64_t id;
	int opt, rc, given = 0, dry_run = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		if (opt >= CRM_TRANSPORT_OPT && opt <= CRM_TRANSPORT_OPT + 3 &&
		    (rc = crm_transport_option(opt, optarg, &transport, &given, &e)) != 0)
			return crm_finish_option(crm, rc, &e);
		body_file = opt == OPT_BODY_FILE ? optarg : body_file;
		r.from = opt == OPT_FROM ? optarg : r.from;
		r.status = opt == OPT_STATUS ? optarg : r.status;
		dry_run = dry_run || opt == OPT_DRY_RUN;
	}
	if (r.from == NULL && getenv("CRM_FROM") != NULL && getenv("CRM_FROM")[0] != '\0')
		r.from = getenv("CRM_FROM");
	if ((rc = message_body(crm, argc, argv, body_file, "reply", &body, &e)) != 0)
		return e.code == rc ? crm_finish_option(crm, rc, &e) : rc;
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0) {
		free(body);
		return rc;
	}
	r.body = body;
	r.transport = dry_run ? NULL : &transport;
	s = begin_write(crm, &rc, &e);
	if (s != NULL && rc == 0)
		rc = crm_ticket_reply(s, id, &r, &mail, &e);
	free(body);
	if (s != NULL && rc == 0)
		fputs(dry_run ? mail.text : mail.message_id, stdout);
	if (s != NULL && rc == 0 && !dry_run)
		putchar('\n');
	crm_mail_built_free(&mail);
	return s == NULL ? rc : crm_finish_tx(crm, s, rc, &e);
}

static int cmd_status(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc, changed;

	s = crm_command_begin(crm, argc, argv, 2, 2, "give ID and STATUS", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0)
		return rc;
	if (crm_ticket_status_check(argv[optind + 1], &e) != 0)
		return crm_finish_option(crm, CRM_EX_USAGE, &e);
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_ticket_set_status(s, id, argv[optind + 1], &changed, &e);
	if (rc == 0 && !changed && crm->verbose)
		fprintf(stderr, "%s: status: ticket %lld is %s already\n", crm->prog, (long long)id,
			argv[optind + 1]);
	return crm_finish_tx(crm, s, rc, &e);
}

static int cmd_reopen(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one ticket ID", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_ticket_reopen(s, id, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int assign_auto(struct crm *crm, int round_robin)
{
	static const char *const cols[] = { "ticket", "agent" };
	struct crm_ticket_assigned *done = NULL;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	size_t n = 0, left = 0;
	int rc;

	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0)
		rc = crm_ticket_assign_auto(s, round_robin, &done, &n, &left, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0) {
		struct crm_out *out = crm_out_open(stdout, &crm->out);

		crm_out_columns(out, 2, cols);
		crm_out_numeric(out, 0);
		for (size_t i = 0; i < n; i++) {
			char num[32];
			const char *v[2] = { num, done[i].agent };

			snprintf(num, sizeof(num), "%lld", (long long)done[i].ticket);
			crm_out_row(out, v);
		}
		rc = crm_finish_output(crm, out, 0, &e);
		if (left > 0)
			fprintf(stderr, "%s: assign: %zu tickets had no active agent to take them\n",
				crm->prog, left);
		if (rc == 0 && n == 0)
			rc = CRM_EX_NOTFOUND;
	}
	free(done);
	return rc;
}

static int cmd_assign(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "team", required_argument, NULL, OPT_TEAM },
		{ "auto", no_argument, NULL, OPT_AUTO },
		{ "round-robin", no_argument, NULL, OPT_ROUND_ROBIN },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *team = NULL;
	int64_t id;
	int opt, rc, changed, automatic = 0, round_robin = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_TEAM)
			team = optarg;
		else if (opt == OPT_AUTO)
			automatic = 1;
		else if (opt == OPT_ROUND_ROBIN)
			automatic = round_robin = 1;
		else
			return CRM_EX_USAGE;
	}
	if (automatic) {
		if (team != NULL || optind != argc)
			return crm_usage_error(crm, "--auto takes no ID, AGENT or --team");
		return assign_auto(crm, round_robin);
	}
	if (argc - optind != (team != NULL ? 1 : 2) && argc - optind != 2)
		return crm_usage_error(crm, "give ID and AGENT, or ID --team T");
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0)
		return rc;
	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0)
		rc = crm_ticket_assign(s, id, argc - optind == 2 ? argv[optind + 1] : NULL, team,
				       &changed, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int cmd_merge(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t keep, other;
	int rc;

	s = crm_command_begin(crm, argc, argv, 2, -1, "give KEEP and at least one OTHER",
			      CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	if ((rc = ticket_id(crm, argv[optind], &keep)) != 0)
		return rc;
	rc = crm_store_begin(s, &e);
	for (int i = optind + 1; rc == 0 && i < argc; i++) {
		rc = ticket_id(crm, argv[i], &other);
		if (rc != 0) {
			crm_store_rollback(s);
			return rc;
		}
		rc = crm_ticket_merge(s, keep, other, &e);
	}
	return crm_finish_tx(crm, s, rc, &e);
}

static int cmd_csat(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "comment", required_argument, NULL, OPT_COMMENT },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *comment = NULL;
	char *end;
	long score;
	int64_t id;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_COMMENT)
			return CRM_EX_USAGE;
		comment = optarg;
	}
	if (argc - optind != 2)
		return crm_usage_error(crm, "give ID and a rating 1 to 5");
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0)
		return rc;
	score = strtol(argv[optind + 1], &end, 10);
	if (*end != '\0' || end == argv[optind + 1] || score < 1 || score > 5)
		return crm_usage_error(crm, "a rating is a whole 1 to 5, not \"%.40s\"",
				       argv[optind + 1]);
	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0)
		rc = crm_ticket_csat(s, id, (int)score, comment, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

/* ---- show and list ----------------------------------------------------------- */

static int cmd_show(int argc, char **argv, struct crm *crm)
{
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one ticket ID", CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if ((rc = ticket_id(crm, argv[optind], &id)) != 0)
		return rc;
	return crm_ticket_show(crm, s, id);
}

static int cmd_list(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "assignee", required_argument, NULL, OPT_ASSIGNEE },
		{ "team", required_argument, NULL, OPT_TEAM },
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "channel", required_argument, NULL, OPT_CHANNEL },
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ "age", required_argument, NULL, OPT_AGE },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "breached", no_argument, NULL, OPT_BREACHED },
		{ "due-within", required_argument, NULL, OPT_DUE_WITHIN },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_ticket_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *contact = NULL;
	char *end;
	int opt, rc;

	memset(&q, 0, sizeof(q));
	q.now = crm_now();
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_STATUS: q.status = optarg; break;
		case OPT_PRIORITY: q.priority = optarg; break;
		case OPT_ASSIGNEE: q.assignee = optarg; break;
		case OPT_TEAM: q.team = optarg; break;
		case OPT_CATEGORY: q.category = optarg; break;
		case OPT_CHANNEL: q.channel = optarg; break;
		case OPT_CONTACT: contact = optarg; break;
		case OPT_FILTER: q.filter = optarg; break;
		case OPT_FIELDS: q.fields = optarg; break;
		case OPT_SORT: q.sort = optarg; break;
		case OPT_AGE:
			if (crm_span_parse(optarg, &q.age, &e) != 0)
				return crm_finish_option(crm, CRM_EX_USAGE, &e);
			break;
		case OPT_BREACHED: q.breached = 1; break;
		case OPT_DUE_WITHIN:
			if (crm_span_parse(optarg, &q.due_within, &e) != 0)
				return crm_finish_option(crm, CRM_EX_USAGE, &e);
			break;
		case OPT_LIMIT:
			q.limit = strtol(optarg, &end, 10);
			if (*end != '\0' || q.limit < 1)
				return crm_usage_error(crm, "--limit takes a whole number from 1");
			break;
		default: return CRM_EX_USAGE;
		}
	}
	if (optind != argc)
		return crm_usage_error(crm, "unexpected argument \"%.40s\"", argv[optind]);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if (contact != NULL && (rc = crm_contact_resolve(s, contact, &q.contact, &e)) != 0)
		return crm_report(crm, &e);
	return crm_ticket_list(crm, s, &q);
}

/* ---- agents and teams -------------------------------------------------------- */

static int agent_add(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "team", required_argument, NULL, OPT_TEAM },
		{ "email", required_argument, NULL, OPT_EMAIL },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *team = NULL, *email = NULL;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_TEAM)
			team = optarg;
		else if (opt == OPT_EMAIL)
			email = optarg;
		else
			return CRM_EX_USAGE;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one agent NAME");
	s = begin_write(crm, &rc, &e);
	if (s == NULL)
		return rc;
	if (rc == 0)
		rc = crm_agent_add(s, argv[optind], team, email, &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int name_write(int argc, char **argv, struct crm *crm,
		      int (*write)(struct crm_store *, const char *, struct crm_err *))
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1, "give one NAME", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = write(s, argv[optind], &e);
	return crm_finish_tx(crm, s, rc, &e);
}

static int agent_rm(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, crm_agent_rm);
}

static int team_add(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, crm_team_add);
}

static int team_rm(int argc, char **argv, struct crm *crm)
{
	return name_write(argc, argv, crm, crm_team_rm);
}

static int agent_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "agent", "team", "email", "active", "open" };

	return crm_list_command(argc, argv, crm, crm_agent_list_stmt, 5, cols, "   nn");
}

static int team_list(int argc, char **argv, struct crm *crm)
{
	static const char *const cols[] = { "team", "agents", "open" };

	return crm_list_command(argc, argv, crm, crm_team_list_stmt, 3, cols, " nn");
}

static const struct crm_command agent_subs[] = {
	{ "add", agent_add, "agent add NAME [--team T] [--email E]",
	  "an agent (again: its team and email changed)",
	  "  --team T          the agent's team\n"
	  "  --email E         where its mail goes\n" },
	{ "list", agent_list, "agent list", "the agents and their open tickets", NULL },
	{ "rm", agent_rm, "agent rm NAME", "no more tickets for NAME (its own stay)", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct crm_command team_subs[] = {
	{ "add", team_add, "team add NAME", "a team", NULL },
	{ "list", team_list, "team list", "the teams, their agents and open tickets", NULL },
	{ "rm", team_rm, "team rm NAME", "remove a team (its tickets and agents keep none)",
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int cmd_agent(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, agent_subs, "add, list, rm");
}

static int cmd_team(int argc, char **argv, struct crm *crm)
{
	return crm_sub_command(argc, argv, crm, team_subs, "add, list, rm");
}

static int cmd_stats(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "by", required_argument, NULL, OPT_BY },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_ticket_stats_opts o = { 0, 0, NULL, crm_now() };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int opt, rc;

	o.until = o.now + 1;
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		int64_t *t = opt == OPT_SINCE ? &o.since : opt == OPT_UNTIL ? &o.until : NULL;

		if (opt == '?')
			return CRM_EX_USAGE;
		if (t != NULL && crm_time_parse(optarg, o.now, t, &e) != 0)
			return crm_finish_option(crm, CRM_EX_USAGE, &e);
		o.by = opt == OPT_BY ? optarg : o.by;
	}
	if (o.until <= o.since)
		return crm_usage_error(crm, "--until must be after --since");
	s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);
	return s == NULL ? rc : crm_ticket_stats(crm, s, &o);
}

/* ---- the command table ------------------------------------------------------- */

static const struct crm_command commands[] = {
	{ "open", cmd_open, "open CONTACT --subject S [options]", "open a ticket; prints its number",
	  "  --subject S       what it is about (required)\n"
	  "  --priority P      low, normal (default), high or urgent\n"
	  "  --channel C --team T --category C\n"
	  "  --body-file F     the customer's words (- for standard input)\n"
	  "  --at TIME         when it was opened (default now)\n" },
	{ "show", cmd_show, "show ID", "a ticket, its thread and its events", NULL },
	{ "list", cmd_list, "list [options]", "tickets", CRM_TICKET_LIST_HELP },
	{ "note", cmd_note, "note ID TEXT...|--body-file F", "an internal note",
	  "  --body-file F     the note from a file (- for standard input)\n" },
	{ "reply", cmd_reply, "reply ID TEXT...|--body-file F [--from A] [--status S] [--dry-run]",
	  "answer the customer by mail, threaded; prints its Message-ID",
	  "  --body-file F     the reply from a file (- for standard input)\n"
	  "  --from ADDRESS    the sender (default $CRM_FROM, else the agent's email)\n"
	  "  --status S        the ticket's status after it (pending: waiting on them)\n"
	  "  --dry-run         print the message; send and record nothing\n"
	  CRM_TRANSPORT_HELP },
	{ "status", cmd_status, "status ID new|open|pending|resolved|closed", "set the status", NULL },
	{ "reopen", cmd_reopen, "reopen ID", "a resolved or closed ticket open again", NULL },
	{ "assign", cmd_assign, "assign ID AGENT | ID --team T | --auto [--round-robin]",
	  "give tickets to agents or teams",
	  "  --team T          to a team's queue (with AGENT: the agent, in team T)\n"
	  "  --auto            every unassigned open ticket to the agent of its team\n"
	  "                    with the fewest open tickets\n"
	  "  --round-robin     with --auto: to the agent given one least recently\n" },
	{ "merge", cmd_merge, "merge KEEP OTHER...", "join OTHER's thread to KEEP's", NULL },
	{ "csat", cmd_csat, "csat ID 1-5 [--comment T]", "the customer's rating",
	  "  --comment T       what the customer said\n" },
	{ "agent", cmd_agent, "agent add|list|rm ...", "agents", NULL },
	{ "team", cmd_team, "team add|list|rm ...", "teams", NULL },
	{ "calendar", crm_ticket_calendar_command, "calendar set|list|rm|holiday ...",
	  "business hours and holidays", NULL },
	{ "sla", crm_ticket_sla_command, "sla set|list|rm PRIORITY ...",
	  "what tickets are promised, by priority and team", NULL },
	{ "stats", cmd_stats, "stats [--since T] [--until T] [--by K]",
	  "how the service did: volumes, times in business hours, SLA, CSAT",
	  "  --since T --until T  the period [T, T) (default: all until now)\n"
	  "  --by K            a row for each agent, team, priority, category or channel\n" },
	{ "escalation", crm_ticket_escalation_command, "escalation rule add|list|rm ...",
	  "who gets escalated tickets", NULL },
	{ "escalate", crm_ticket_escalate_command, "escalate [--warn SPAN] [--notify [--from A]]",
	  "raise tickets near (--warn) or past their due times; for cron",
	  "  --warn SPAN       level 1 for a clock due within SPAN (default: past due only)\n"
	  "  --notify          mail each agent concerned one digest\n"
	  "  --from ADDRESS    its sender (default $CRM_FROM)\n"
	  CRM_TRANSPORT_HELP },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-ticket",
			"Service: tickets, their threads, agents and teams.", commands);
}
