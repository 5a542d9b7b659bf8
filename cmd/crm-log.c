/* crm-log - every interaction on one timeline: add, import, timeline,
 * list, purchases, tasks and reminders, preferred channels.
 * See crm-log(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_key.h"
#include "base/dates.h"
#include "base/err.h"
#include "log/body.h"
#include "log/channels.h"
#include "log/interaction.h"
#include "log/listing.h"
#include "log/log_rows.h"
#include "log/tasks.h"
#include "log/timeline.h"
#include "base/money.h"
#include "base/num.h"
#include "io/output.h"
#include "store/domain.h"
#include "store/store.h"
#include "base/xalloc.h"

enum {
	OPT_IT = 0x2000,     /* OPT_IT + enum crm_it_field: --channel ... */
	OPT_BODY_FILE = 0x3000,
	OPT_NO_FUTURE,
	OPT_MAP,
	OPT_CREATE_CONTACTS,
	OPT_CONTACT_KEY,
	OPT_BLOCK_SIZE,
	OPT_FIELDS,
	OPT_ATTR,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_LIMIT,
	OPT_CONTACT,
	OPT_OVERDUE,
	OPT_WITHIN,
	OPT_ALL,
	OPT_UPDATE,
	OPT_CHANGES,
	OPT_ASSIGN,
	OPT_WINDOW,
};

/* Writes it in one transaction; prints the id. */
static int store_interaction(struct crm *crm, struct crm_interaction *it,
			     const char *ref, int no_future)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id, now = crm_now();
	int rc, existed = 0;

	rc = crm_interaction_finish(it, crm->user, now, no_future, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_contact_resolve(s, ref, &it->contact_id, &e);
	if (rc == 0)
		rc = crm_interaction_add(s, it, &id, &existed, &e);
	if (rc == 0) {
		/* Printed before the commit: no id written, nothing logged. */
		printf("%lld\n", (long long)id);
		rc = crm_flush_stdout(&e);
	}
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	if (existed && crm->verbose)
		crm_warn(crm, "key \"%s\" was already logged as %lld: nothing added",
			 it->v[CRM_IT_KEY], (long long)id);
	return 0;
}

static int cmd_add(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, OPT_IT + CRM_IT_AT },
		{ "channel", required_argument, NULL, OPT_IT + CRM_IT_CHANNEL },
		{ "direction", required_argument, NULL, OPT_IT + CRM_IT_DIRECTION },
		{ "type", required_argument, NULL, OPT_IT + CRM_IT_TYPE },
		{ "subject", required_argument, NULL, OPT_IT + CRM_IT_SUBJECT },
		{ "body", required_argument, NULL, OPT_IT + CRM_IT_BODY },
		{ "agent", required_argument, NULL, OPT_IT + CRM_IT_AGENT },
		{ "outcome", required_argument, NULL, OPT_IT + CRM_IT_OUTCOME },
		{ "duration", required_argument, NULL, OPT_IT + CRM_IT_DURATION },
		{ "amount", required_argument, NULL, OPT_IT + CRM_IT_AMOUNT },
		{ "currency", required_argument, NULL, OPT_IT + CRM_IT_CURRENCY },
		{ "lead", required_argument, NULL, OPT_IT + CRM_IT_LEAD },
		{ "ticket", required_argument, NULL, OPT_IT + CRM_IT_TICKET },
		{ "key", required_argument, NULL, OPT_IT + CRM_IT_KEY },
		{ "due", required_argument, NULL, OPT_IT + CRM_IT_DUE },
		{ "assign", required_argument, NULL, OPT_IT + CRM_IT_ASSIGNEE },
		{ "body-file", required_argument, NULL, OPT_BODY_FILE },
		{ "no-future", no_argument, NULL, OPT_NO_FUTURE },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	int64_t now = crm_now();
	int rc = 0, opt, no_future = 0;

	crm_interaction_init(&it);
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt >= OPT_IT && opt < OPT_IT + CRM_IT_NFIELDS) {
			if (crm_interaction_set(&it, opt - OPT_IT, optarg, now, &e) != 0)
				rc = crm_report(crm, &e);
		} else if (opt == OPT_BODY_FILE) {
			char *body = NULL;

			if (crm_body_read(optarg, &body, &e) != 0 ||
			    crm_interaction_set(&it, CRM_IT_BODY, body, now, &e) != 0)
				rc = crm_report(crm, &e);
			free(body);
		} else if (opt == OPT_NO_FUTURE) {
			no_future = 1;
		} else {
			rc = CRM_EX_USAGE;
		}
	}
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one contact: an id, uid or email");
	if (rc == 0)
		rc = store_interaction(crm, &it, argv[optind], no_future);
	crm_interaction_free(&it);
	return rc;
}

static int cmd_import(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		CRM_BATCH_LONGOPTS,
		{ "map", required_argument, NULL, OPT_MAP },
		{ "create-contacts", no_argument, NULL, OPT_CREATE_CONTACTS },
		{ "contact-key", required_argument, NULL, OPT_CONTACT_KEY },
		{ "block-size", required_argument, NULL, OPT_BLOCK_SIZE },
		{ "currency", required_argument, NULL, OPT_IT + CRM_IT_CURRENCY },
		{ "no-future", no_argument, NULL, OPT_NO_FUTURE },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_batch_opts bo = { .format = CRM_CSV_AUTO };
	struct crm_interaction_import ii;
	struct crm_contact_key key;
	struct crm_batch_counts counts;
	struct crm_err e = { 0, "" };
	int64_t n;
	const char *why;
	int rc = 0, opt;

	crm_interaction_import_init(&ii, crm);
	ii.who = crm->user;
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "n", opts)) != -1) {
		if (crm_batch_option(&bo, opt, optarg))
			continue;
		switch (opt) {
		case OPT_MAP:
			if (strchr(optarg, '=') == NULL || optarg[0] == '=') {
				rc = crm_usage_error(crm, "--map wants COLUMN=FIELD, not \"%s\"", optarg);
				break;
			}
			ii.maps = xreallocarray(ii.maps, ii.nmaps + 1, sizeof(*ii.maps));
			ii.maps[ii.nmaps++] = optarg;
			break;
		case OPT_CREATE_CONTACTS:
			ii.create_contacts = 1;
			break;
		case OPT_CONTACT_KEY:
			if (crm_contact_key_parse(optarg, &key, &e) != 0)
				rc = crm_usage_error(crm, "--contact-key: %s", e.msg);
			ii.contact_key = &key;
			break;
		case OPT_IT + CRM_IT_CURRENCY:
			if (crm_currency_parse(optarg, ii.currency, &e) != 0)
				rc = crm_usage_error(crm, "--currency: %s", e.msg);
			break;
		case OPT_BLOCK_SIZE:
			if (crm_parse_i64(optarg, 1, 1000000, &n, &why) != 0)
				rc = crm_usage_error(crm, "--block-size: %s number \"%s\" (1 to 1000000)",
						     why, optarg);
			bo.block_rows = (size_t)n;
			break;
		case OPT_NO_FUTURE:
			ii.no_future = 1;
			break;
		default:
			rc = CRM_EX_USAGE;
		}
	}
	if (rc == 0 && argc - optind != 1)
		rc = crm_usage_error(crm, "give one input file, or - for stdin");
	if (rc == 0) {
		bo.path = argv[optind];
		if (crm->out.format == CRM_FMT_CSV)
			bo.format = CRM_CSV_COMMA;
		else if (crm->out.format == CRM_FMT_TSV)
			bo.format = CRM_CSV_TAB;
		else if (crm->out.format != CRM_FMT_DEFAULT)
			rc = crm_usage_error(crm, "--format for import is csv or tsv");
	}
	if (rc == 0 && !crm->out.header)
		bo.no_header = 1; /* given before the command */
	if (rc == 0)
		rc = crm_batch_check(crm, &bo);
	ii.decimal = crm_batch_decimal(&bo);
	if (rc == 0) {
		ii.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
		ii.date_format = bo.date_format;
		if (ii.store != NULL)
			rc = crm_batch_run(crm, ii.store, &bo, &crm_interaction_import_ops, &ii, &counts);
	}
	crm_interaction_import_free(&ii);
	return rc;
}

/* ---- listings ------------------------------------------------------------ */

/* What a listing's options ask for: the filter, and the contact as given. */
struct filter {
	struct crm_log_filter f;
	const char *contact;     /* id, uid or email */
};

static int parse_time_opt(struct crm *crm, const char *opt, const char *arg,
			  char out[32])
{
	struct crm_err e = { 0, "" };
	int64_t t;

	if (crm_time_parse(arg, crm_now(), &t, &e) != 0)
		return crm_usage_error(crm, "%s: %s", opt, e.msg);
	crm_time_format(t, out);
	return 0;
}

/* Options common to timeline, list and purchases; -1 if not one. */
static int filter_option(struct crm *crm, struct filter *lf, int opt, const char *arg)
{
	struct crm_log_filter *f = &lf->f;
	struct crm_err e = { 0, "" };
	const char *why;

	switch (opt) {
	case OPT_SINCE:
		return parse_time_opt(crm, "--since", arg, f->since);
	case OPT_UNTIL:
		return parse_time_opt(crm, "--until", arg, f->until);
	case OPT_CONTACT:
		lf->contact = arg;
		return 0;
	case OPT_LIMIT:
		if (crm_parse_i64(arg, 1, INT64_MAX, &f->limit, &why) != 0)
			return crm_usage_error(crm, "--limit: %s number \"%s\"", why, arg);
		return 0;
	case OPT_IT + CRM_IT_AGENT:
		f->agent = arg;
		return 0;
	case OPT_CHANGES:
		f->changes = 1;
		return 0;
	case OPT_IT + CRM_IT_CHANNEL:
	case OPT_IT + CRM_IT_TYPE:
	case OPT_IT + CRM_IT_DIRECTION:
		if (crm_log_filter_check(opt - OPT_IT, arg, &e) != 0)
			return crm_usage_error(crm, "%s", e.msg);
		if (opt == OPT_IT + CRM_IT_CHANNEL)
			f->channel = arg;
		else if (opt == OPT_IT + CRM_IT_TYPE)
			f->type = arg;
		else
			f->direction = arg;
		return 0;
	default:
		return -1;
	}
}

#define FILTER_OPTIONS \
	{ "since", required_argument, NULL, OPT_SINCE }, \
	{ "until", required_argument, NULL, OPT_UNTIL }, \
	{ "channel", required_argument, NULL, OPT_IT + CRM_IT_CHANNEL }, \
	{ "type", required_argument, NULL, OPT_IT + CRM_IT_TYPE }, \
	{ "limit", required_argument, NULL, OPT_LIMIT }

/* Writes the rows of r as the columns cols[0..ncols-1], row column
 * pick[i] as column i (pick NULL: the first ncols), and closes r. With
 * silent_if_empty, no row writes nothing at all, not even the header.
 * Returns 0, 1 if there was no row, or an exit code after the error. */
static int write_rows(struct crm *crm, struct crm_log_rows *r, const char *const *cols,
		      size_t ncols, const int *pick, int silent_if_empty)
{
	struct crm_err e = { 0, "" };
	struct crm_out *out;
	const char *const *vals = NULL;
	unsigned long n = 0;
	int step, rc;

	step = crm_log_rows_next(r, &vals, &e);
	if (silent_if_empty && step <= 0) {
		crm_log_rows_close(r);
		return step < 0 ? crm_report(crm, &e) : CRM_EX_NOTFOUND;
	}
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, ncols, cols);
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(cols[i], "id") == 0 || strcmp(cols[i], "contact") == 0 ||
		    strcmp(cols[i], "duration") == 0 || strcmp(cols[i], "amount") == 0)
			crm_out_numeric(out, i);
	for (; step > 0; step = crm_log_rows_next(r, &vals, &e)) {
		const char *picked[CRM_LOG_ROWS_MAX];

		for (size_t i = 0; i < ncols && i < CRM_LOG_ROWS_MAX; i++) {
			size_t col = pick != NULL ? (size_t)pick[i] : i;

			picked[i] = col < crm_log_rows_ncols(r) ? vals[col] : NULL;
		}
		crm_out_row(out, picked);
		n++;
	}
	crm_log_rows_close(r);
	rc = crm_out_close(out, &e);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

static int resolve_filter_contact(struct crm *crm, struct crm_store *s, struct filter *lf)
{
	struct crm_err e = { 0, "" };

	if (lf->contact == NULL)
		return 0;
	if (crm_contact_resolve(s, lf->contact, &lf->f.contact_id, &e) != 0)
		return crm_report(crm, &e);
	return 0;
}

static int list_interactions(int argc, char **argv, struct crm *crm, int purchases)
{
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ "agent", required_argument, NULL, OPT_IT + CRM_IT_AGENT },
		{ "direction", required_argument, NULL, OPT_IT + CRM_IT_DIRECTION },
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "attr", required_argument, NULL, OPT_ATTR },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct filter lf;
	struct crm_log_fields pf;
	const char *attr_where[CRM_LOG_FIELDS_MAX];  /* --attr NAME=VALUE, as given */
	size_t nwhere = 0;
	struct crm_store *s;
	struct crm_log_rows *r;
	int rc = 0, opt;

	memset(&lf, 0, sizeof(lf));
	memset(&pf, 0, sizeof(pf));
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_FIELDS) {
			crm_log_fields_free(&pf);
			if (crm_log_fields_parse(optarg, &pf, &e) != 0)
				rc = crm_usage_error(crm, "--fields: %s", e.msg);
		} else if (opt == OPT_ATTR) {
			if (crm_log_attr_check(optarg) != 0)
				rc = crm_usage_error(crm, "--attr wants NAME=VALUE (NAME: a-z, 0-9 and _), not \"%.64s\"",
						     optarg);
			else if (nwhere == CRM_LOG_FIELDS_MAX)
				rc = crm_usage_error(crm, "--attr: at most %d", CRM_LOG_FIELDS_MAX);
			else
				attr_where[nwhere++] = optarg;
		} else {
			rc = opt == '?' ? CRM_EX_USAGE : filter_option(crm, &lf, opt, optarg);
		}
		if (rc != 0)
			goto out;
	}
	if (optind < argc) {
		rc = crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		goto out;
	rc = resolve_filter_contact(crm, s, &lf);
	if (rc != 0)
		goto out;
	r = crm_log_list_open(s, &lf.f, purchases, &pf, attr_where, nwhere);
	if (pf.n > 0)
		rc = write_rows(crm, r, pf.names, pf.n, pf.col, 0);
	else
		rc = write_rows(crm, r, crm_log_list_cols, CRM_LOG_NLIST, NULL, 0);
out:
	if (rc < 0)
		rc = CRM_EX_USAGE;
	crm_log_fields_free(&pf);
	return rc;
}

static int cmd_list(int argc, char **argv, struct crm *crm)
{
	return list_interactions(argc, argv, crm, 0);
}

static int cmd_purchases(int argc, char **argv, struct crm *crm)
{
	return list_interactions(argc, argv, crm, 1);
}

static int cmd_timeline(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "changes", no_argument, NULL, OPT_CHANGES },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct filter lf;
	struct crm_store *s;
	struct crm_log_rows *r;
	int rc = 0, opt;

	memset(&lf, 0, sizeof(lf));
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		rc = opt == '?' ? CRM_EX_USAGE : filter_option(crm, &lf, opt, optarg);
		if (rc != 0)
			return rc < 0 ? CRM_EX_USAGE : rc;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one contact: an id, uid or email");
	lf.contact = argv[optind];
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = resolve_filter_contact(crm, s, &lf);
	if (rc != 0)
		return rc;
	if (crm_timeline_open(s, crm_domains, &lf.f, &r, &e) != 0)
		return crm_report(crm, &e);
	return write_rows(crm, r, crm_timeline_cols, CRM_TIMELINE_NCOLS, NULL, 0);
}

/* ---- tasks and reminders -------------------------------------------------- */

static int task_add(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "due", required_argument, NULL, OPT_IT + CRM_IT_DUE },
		{ "assign", required_argument, NULL, OPT_IT + CRM_IT_ASSIGNEE },
		{ "at", required_argument, NULL, OPT_IT + CRM_IT_AT },
		{ "key", required_argument, NULL, OPT_IT + CRM_IT_KEY },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_interaction it;
	struct crm_err e = { 0, "" };
	struct crm_buf text = CRM_BUF_INIT;
	int64_t now = crm_now();
	int rc = 0, opt;

	crm_interaction_init(&it);
	while (rc == 0 && (opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt >= OPT_IT && opt < OPT_IT + CRM_IT_NFIELDS) {
			if (crm_interaction_set(&it, opt - OPT_IT, optarg, now, &e) != 0)
				rc = crm_report(crm, &e);
		} else {
			rc = CRM_EX_USAGE;
		}
	}
	if (rc == 0 && argc - optind < 2)
		rc = crm_usage_error(crm, "give a contact and the task's text");
	if (rc == 0 && it.v[CRM_IT_DUE] == NULL)
		rc = crm_usage_error(crm, "a task needs --due DATE");
	for (int i = optind + 1; rc == 0 && i < argc; i++)
		crm_buf_addf(&text, "%s%s", i > optind + 1 ? " " : "", argv[i]);
	if (rc == 0 && crm_interaction_set(&it, CRM_IT_SUBJECT, crm_buf_str(&text), now, &e) != 0)
		rc = crm_report(crm, &e);
	if (rc == 0 && it.v[CRM_IT_ASSIGNEE] == NULL)
		it.v[CRM_IT_ASSIGNEE] = xstrdup(crm->user);
	if (rc == 0) {
		it.v[CRM_IT_TYPE] = xstrdup("task");
		rc = store_interaction(crm, &it, argv[optind], 0);
	}
	crm_buf_free(&text);
	crm_interaction_free(&it);
	return rc;
}


static int task_done(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc, missing = 0;

	s = crm_command_begin(crm, argc, argv, 1, -1,
			      "give the ids of the tasks done", CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	for (int i = optind; rc == 0 && i < argc; i++) {
		int64_t id;
		int found = 0;
		const char *why;

		if (crm_parse_i64(argv[i], 1, INT64_MAX, &id, &why) != 0) {
			crm_store_rollback(s);
			return crm_usage_error(crm, "invalid task id \"%s\"", argv[i]);
		}
		rc = crm_task_done(s, id, &found, &e);
		if (rc == 0 && !found) {
			crm_warn(crm, "no task %lld", (long long)id);
			missing = 1;
		}
	}
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	return missing ? CRM_EX_NOTFOUND : 0;
}

static int cmd_task(int argc, char **argv, struct crm *crm)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return task_add(argc - 1, argv + 1, crm);
	if (argc >= 2 && strcmp(argv[1], "done") == 0)
		return task_done(argc - 1, argv + 1, crm);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		/* The common options come with every command's own --help. */
		optind = 0;
		return crm_getopt(crm, argc, argv, "", NULL) == '?' ? CRM_EX_USAGE : 0;
	}
	return crm_usage_error(crm, "give add or done");
}

static int cmd_due(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "agent", required_argument, NULL, OPT_IT + CRM_IT_AGENT },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "within", required_argument, NULL, OPT_WITHIN },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *agent = NULL;
	char now_text[32], until[32] = "";
	int64_t now = crm_now();
	int rc = 0, opt, overdue = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_IT + CRM_IT_AGENT) {
			agent = optarg;
		} else if (opt == OPT_OVERDUE) {
			overdue = 1;
		} else if (opt == OPT_WITHIN) {
			char rel[64];
			int64_t t;

			/* "2d" means from now on: +2d. */
			snprintf(rel, sizeof(rel), "%s%s", optarg[0] == '+' ? "" : "+", optarg);
			if (crm_time_parse(rel, now, &t, &e) != 0)
				return crm_usage_error(crm, "--within: %s (use 2d, 1w, 12h)", e.msg);
			crm_time_format(t, until);
		} else {
			return CRM_EX_USAGE;
		}
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	crm_time_format(now, now_text);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	/* Nothing due prints nothing at all, so a cron job mails only when
	 * there is work. */
	return write_rows(crm, crm_tasks_due(s, now_text, agent, overdue, until),
			  crm_tasks_due_cols, CRM_TASKS_DUE_NCOLS, NULL, 1);
}

/* ---- preferred channels ---------------------------------------------------- */

static int cmd_channels(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, OPT_ALL },
		{ "update", no_argument, NULL, OPT_UPDATE },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const one_cols[] = {
		"channel", "inbound", "outbound", "answered", "score", "preferred",
	};
	static const char *const all_cols[] = {
		"id", "email", "preferred", "score", "inbound", "answered", "stored",
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out = NULL;
	struct crm_channels *ch;
	struct crm_channel_row row;
	int64_t id = 0, window = 7;
	unsigned long n = 0, updated = 0;
	int rc = 0, opt, all = 0, update = 0, step;
	const char *why;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_ALL)
			all = 1;
		else if (opt == OPT_UPDATE)
			update = 1;
		else if (opt == OPT_WINDOW && crm_parse_i64(optarg, 1, 3650, &window, &why) == 0)
			continue;
		else if (opt == OPT_WINDOW)
			return crm_usage_error(crm, "--window: days from 1 to 3650, not \"%s\"", optarg);
		else
			return CRM_EX_USAGE;
	}
	if (all == (argc - optind == 1) || argc - optind > 1)
		return crm_usage_error(crm, "give one contact, or --all");
	s = crm_store_get(crm, update ? CRM_STORE_WRITE : CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	if (update)
		rc = crm_store_begin(s, &e);
	if (rc == 0 && !all)
		rc = crm_contact_resolve(s, argv[optind], &id, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	ch = crm_channels_open(s, id, window, update);
	out = crm_out_open(stdout, &crm->out);
	if (all) {
		crm_out_columns(out, 7, all_cols);
		crm_out_numeric(out, 0);
		crm_out_numeric(out, 3);
		crm_out_numeric(out, 4);
		crm_out_numeric(out, 5);
	} else {
		crm_out_columns(out, 6, one_cols);
		for (size_t i = 1; i < 5; i++)
			crm_out_numeric(out, i);
	}
	while ((step = crm_channels_next(ch, &row, &e)) > 0) {
		if (all) {
			const char *vals[7] = { row.id, row.email, row.channel, row.score,
						row.inbound, row.answered, row.stored };

			crm_out_row(out, vals);
		} else {
			const char *vals[6] = { row.channel, row.inbound, row.outbound,
						row.answered, row.score,
						row.rank == 1 ? "yes" : "no" };

			crm_out_row(out, vals);
		}
		n++;
	}
	if (step < 0)
		rc = e.code;
	if (rc == 0)
		rc = crm_channels_update(ch, &updated, &e);
	crm_channels_close(ch);
	if (rc == 0 && update)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		crm_out_close(out, NULL);
		return crm_report(crm, &e);
	}
	if (crm_out_close(out, &e) != 0)
		return crm_report(crm, &e);
	if (update && crm->verbose)
		crm_warn(crm, "%lu contact%s updated", updated, updated == 1 ? "" : "s");
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

/* ---- the command table ------------------------------------------------- */

#define FILTER_HELP \
	"  --since DATE      from DATE on (ISO 8601, -30d, today, ...)\n" \
	"  --until DATE      before DATE\n" \
	"  --channel C       only channel C\n" \
	"  --type T          only type T\n" \
	"  --limit N         at most N rows\n"

static const struct crm_command commands[] = {
	{ "add", cmd_add, "add [options] CONTACT", "log one interaction; prints its id",
	  "  --type T          note (default), call, email, meeting, message,\n"
	  "                    purchase (default with --amount), refund, task\n"
	  "  --channel C       email, phone, sms, chat, social, meeting, post, web,\n"
	  "                    other (default: what the type implies)\n"
	  "  --direction D     in or out\n"
	  "  --at TIME         when (default now)\n"
	  "  --subject TEXT    --body TEXT   --body-file FILE|-\n"
	  "  --agent NAME      who (default $CRM_USER or the login name)\n"
	  "  --outcome TEXT    --duration 15m|1h30m|1:30:00|SECONDS\n"
	  "  --amount N        for purchase and refund, e.g. 12.50\n"
	  "  --currency CODE   ISO 4217 (default $CRM_CURRENCY or EUR)\n"
	  "  --lead ID         --ticket ID   what it belongs to\n"
	  "  --key KEY         an external key (Message-ID, order number):\n"
	  "                    logging the same key again adds nothing\n"
	  "  --due DATE        --assign AGENT   for a task (type task by default\n"
	  "                    with --due; the assignee defaults to the agent)\n"
	  "  --no-future       refuse a time after now\n" },
	{ "import", cmd_import, "import [options] FILE|-", "log interactions from CSV or TSV",
	  "  --rejects FILE    write rejected rows to FILE (CSV with line and reason)\n"
	  "  --strict          all or nothing\n"
	  "  --no-resume       read from the top, not from where a killed run stopped\n"
	  "  -n, --dry-run     check everything, write nothing\n"
	  "  --map COL=FIELD   read column COL as FIELD (- ignores it; =order reads\n"
	  "                    order lines; =attr.NAME keeps it as attribute NAME)\n"
	  "  --contact-key K   find contacts by K alone: id, email, uid, phone,\n"
	  "                    field.NAME\n"
	  "  --create-contacts create unknown contacts (from an email, or the key)\n"
	  "  --currency CODE   for purchases that give none (default $CRM_CURRENCY)\n"
	  "  --no-future       reject rows dated after now\n"
	  "  --block-size N    rows per sorted block (default 50000)\n"
	  "  --format csv|tsv  the input format (default: detected)\n"
	  "  --date-format FMT at and due as the file writes them: %m/%d/%y %H:%M,\n"
	  "                    %d.%m.%Y %H:%M, %Y%m%d ... (default ISO 8601);\n"
	  "                    times without an offset are local ($TZ)\n"
	  CRM_BATCH_INPUT_HELP },
	{ "timeline", cmd_timeline, "timeline [options] CONTACT",
	  "everything about one contact, newest first",
	  FILTER_HELP
	  "  --changes         include changes to the contact record\n" },
	{ "list", cmd_list, "list [options]", "interactions across contacts",
	  FILTER_HELP
	  "  --contact C       one contact\n"
	  "  --agent NAME      one agent\n"
	  "  --direction D     in or out\n"
	  "  --fields LIST     these columns, attr.NAME too\n"
	  "  --attr NAME=VALUE only those whose attribute NAME is VALUE\n" },
	{ "purchases", cmd_purchases, "purchases [options]", "purchases and refunds",
	  FILTER_HELP
	  "  --contact C       one contact\n"
	  "  --agent NAME      one agent\n"
	  "  --direction D     in or out\n"
	  "  --fields LIST     these columns, attr.NAME too\n"
	  "  --attr NAME=VALUE only those whose attribute NAME is VALUE\n" },
	{ "task", cmd_task, "task add CONTACT --due DATE [--assign AGENT] TEXT... | task done ID...",
	  "tasks and reminders",
	  "  task add CONTACT --due DATE [--assign AGENT] [--at TIME] [--key KEY] TEXT...\n"
	  "                    a task for AGENT (default you); prints its id\n"
	  "  task done ID...   mark tasks done\n" },
	{ "due", cmd_due, "due [--agent A] [--overdue] [--within 2d]",
	  "open tasks by due date (prints nothing when none)",
	  "  --agent A         tasks assigned to A\n"
	  "  --overdue         only tasks past their due time\n"
	  "  --within D        due within D from now (2d, 1w, 12h)\n" },
	{ "channels", cmd_channels, "channels [--update] [--window DAYS] CONTACT|--all",
	  "the preferred channel of contacts",
	  "  --all             one line per contact: the learned channel\n"
	  "  --update          write it to the contacts' preferred_channel\n"
	  "  --window DAYS     an answer counts within DAYS (default 7)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-log",
			"Interactions on every channel, purchases, tasks and reminders.",
			commands);
}
