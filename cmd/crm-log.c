/* crm-log - every interaction on one timeline: add, import, timeline,
 * list, purchases, tasks and reminders, preferred channels.
 * See crm-log(1). */
#include <errno.h>
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
#include "log/interaction.h"
#include "base/money.h"
#include "base/num.h"
#include "io/output.h"
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

/* Reads all of path ("-" is stdin) as the body; caller frees *out. */
static int read_body(struct crm *crm, const char *path, char **out)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[8192];
	size_t n;

	if (fp == NULL)
		return crm_fail(crm, CRM_EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > 1024 * 1024) {
			crm_buf_free(&b);
			if (fp != stdin)
				fclose(fp);
			return crm_fail(crm, CRM_EX_DATAERR, "%s: body over 1 MiB", path);
		}
		crm_buf_add(&b, chunk, n);
	}
	if (ferror(fp)) {
		crm_buf_free(&b);
		if (fp != stdin)
			fclose(fp);
		return crm_fail(crm, CRM_EX_IOERR, "%s: read error: %s", path, strerror(errno));
	}
	if (fp != stdin)
		fclose(fp);
	if (memchr(crm_buf_str(&b), '\0', b.len) != NULL) {
		crm_buf_free(&b);
		return crm_fail(crm, CRM_EX_DATAERR, "%s: body has a NUL byte", path);
	}
	*out = crm_buf_detach(&b);
	return 0;
}

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

			rc = read_body(crm, optarg, &body);
			if (rc == 0 && crm_interaction_set(&it, CRM_IT_BODY, body, now, &e) != 0)
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

struct filter {
	const char *contact;     /* id, uid or email */
	int64_t contact_id;
	char since[32];
	char until[32];
	const char *channel;
	const char *type;
	const char *agent;
	const char *direction;
	int64_t limit;
	int changes;
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
static int filter_option(struct crm *crm, struct filter *f, int opt, const char *arg)
{
	struct crm_interaction probe;
	struct crm_err e = { 0, "" };
	const char *why;
	int rc = 0;

	switch (opt) {
	case OPT_SINCE:
		return parse_time_opt(crm, "--since", arg, f->since);
	case OPT_UNTIL:
		return parse_time_opt(crm, "--until", arg, f->until);
	case OPT_CONTACT:
		f->contact = arg;
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
		/* Validated as crm_interaction_set would, so a typo is an error,
		 * not an empty listing. */
		crm_interaction_init(&probe);
		rc = crm_interaction_set(&probe, opt - OPT_IT, arg, 0, &e);
		crm_interaction_free(&probe);
		if (rc != 0)
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

static const char *const listing_cols[] = {
	"id", "at", "contact", "email", "channel", "direction", "type", "subject",
	"agent", "outcome", "duration", "amount", "currency", "key",
};
#define NLISTING (sizeof(listing_cols) / sizeof(listing_cols[0]))

/* Runs a listing query whose first columns are listing_cols (amount in
 * minor units) and writes it. Returns 0, 1 if nothing was found, or an
 * exit code. */
static int write_listing_picked(struct crm *crm, struct crm_store *s, sqlite3_stmt *st,
				const char *const *cols, size_t ncols, int amount_col,
				int currency_col, const int *pick);

static int write_listing(struct crm *crm, struct crm_store *s, sqlite3_stmt *st,
			 const char *const *cols, size_t ncols, int amount_col,
			 int currency_col)
{
	return write_listing_picked(crm, s, st, cols, ncols, amount_col, currency_col, NULL);
}

/* write_listing for the columns pick[0..ncols-1] of st (NULL: the first
 * ncols), named cols. */
static int write_listing_picked(struct crm *crm, struct crm_store *s, sqlite3_stmt *st,
				const char *const *cols, size_t ncols, int amount_col,
				int currency_col, const int *pick)
{
	struct crm_err e = { 0, "" };
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	unsigned long n = 0;
	int step, rc;

	crm_out_columns(out, ncols, cols);
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(cols[i], "id") == 0 || strcmp(cols[i], "contact") == 0 ||
		    strcmp(cols[i], "duration") == 0 || strcmp(cols[i], "amount") == 0)
			crm_out_numeric(out, i);
	while ((step = crm_store_step(s, st, &e)) == SQLITE_ROW) {
		const char *vals[64], *picked[64];
		char amount[32];
		int nst = sqlite3_column_count(st);

		for (int i = 0; i < nst && i < 64; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (amount_col >= 0 && sqlite3_column_type(st, amount_col) != SQLITE_NULL) {
			crm_amount_format(sqlite3_column_int64(st, amount_col),
					  vals[currency_col] != NULL ? vals[currency_col] : "",
					  amount);
			vals[amount_col] = amount;
		}
		for (size_t i = 0; i < ncols && i < 64; i++)
			picked[i] = vals[pick != NULL ? pick[i] : (int)i];
		crm_out_row(out, picked);
		n++;
	}
	rc = crm_out_close(out, &e);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

static int resolve_filter_contact(struct crm *crm, struct crm_store *s, struct filter *f)
{
	struct crm_err e = { 0, "" };

	if (f->contact == NULL)
		return 0;
	if (crm_contact_resolve(s, f->contact, &f->contact_id, &e) != 0)
		return crm_report(crm, &e);
	return 0;
}

/* Binds the filter to the ?1..?8 of the listing queries. */
static void bind_filter(sqlite3_stmt *st, const struct filter *f)
{
	sqlite3_bind_int64(st, 1, f->contact_id);
	sqlite3_bind_text(st, 2, f->since, -1, SQLITE_STATIC);
	if (f->until[0] != '\0')
		sqlite3_bind_text(st, 3, f->until, -1, SQLITE_STATIC);
	crm_bind_text(st, 4, f->channel);
	crm_bind_text(st, 5, f->type);
	crm_bind_text(st, 6, f->agent);
	crm_bind_text(st, 7, f->direction);
	sqlite3_bind_int64(st, 8, f->limit > 0 ? f->limit : -1);
}

#define LISTING_COLUMNS \
	"SELECT i.id, i.at, i.contact_id, c.email, i.channel, i.direction, i.type," \
	" i.subject, i.agent, i.outcome, i.duration, i.amount, i.currency, i.ext_key"
#define LISTING_FROM \
	" FROM interactions i JOIN contacts c ON c.id = i.contact_id" \
	" WHERE (?1 = 0 OR i.contact_id = ?1) AND i.at >= ?2" \
	" AND (?3 IS NULL OR i.at < ?3) AND (?4 IS NULL OR i.channel = lower(?4))" \
	" AND (?5 IS NULL OR i.type = lower(?5)) AND (?6 IS NULL OR i.agent = ?6)" \
	" AND (?7 IS NULL OR i.direction = lower(?7))"
#define LISTING_SELECT LISTING_COLUMNS LISTING_FROM

#define FIELDS_MAX 32

/* --fields LIST: listing columns and attr.NAME (an imported column kept
 * with the interaction), in the order given. */
struct picked_fields {
	size_t n;
	const char *names[FIELDS_MAX];   /* into list */
	int col[FIELDS_MAX];             /* the statement's column */
	const char *attrs[FIELDS_MAX];   /* attribute names, bound ?9... */
	size_t nattrs;
	char *list;                      /* owned copy, split in place */
};

static int pick_fields(struct crm *crm, const char *arg, struct picked_fields *pf)
{
	char *p;

	pf->list = xstrdup(arg);
	p = pf->list;
	for (;;) {
		char *end = strchr(p, ',');
		size_t k;

		if (end != NULL)
			*end = '\0';
		if (pf->n == FIELDS_MAX)
			return crm_usage_error(crm, "--fields: at most %d fields", FIELDS_MAX);
		for (k = 0; k < NLISTING && strcmp(listing_cols[k], p) != 0; k++)
			;
		if (k < NLISTING) {
			pf->col[pf->n] = (int)k;
		} else if (strncmp(p, "attr.", 5) == 0 && p[5] >= 'a' && p[5] <= 'z' &&
			   strlen(p + 5) <= 64 &&
			   strspn(p + 5, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(p + 5)) {
			pf->col[pf->n] = (int)(NLISTING + pf->nattrs);
			pf->attrs[pf->nattrs++] = p + 5;
		} else {
			return crm_usage_error(crm,
				"--fields: unknown field \"%.64s\" (use id, at, contact, email, channel, direction, type, subject, agent, outcome, duration, amount, currency, key or attr.NAME)",
				p);
		}
		pf->names[pf->n++] = p;
		if (end == NULL)
			break;
		p = end + 1;
	}
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
	struct filter f;
	struct picked_fields pf;
	const char *attr_where[FIELDS_MAX];  /* --attr NAME=VALUE, as given */
	size_t nwhere = 0;
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_store *s;
	sqlite3_stmt *st;
	int rc = 0, opt;

	memset(&f, 0, sizeof(f));
	memset(&pf, 0, sizeof(pf));
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_FIELDS) {
			free(pf.list);
			memset(&pf, 0, sizeof(pf));
			rc = pick_fields(crm, optarg, &pf);
		} else if (opt == OPT_ATTR) {
			const char *eq = strchr(optarg, '=');
			size_t len = eq != NULL ? (size_t)(eq - optarg) : 0;

			if (eq == NULL || len == 0 || len > 64 || optarg[0] < 'a' || optarg[0] > 'z' ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
				rc = crm_usage_error(crm, "--attr wants NAME=VALUE (NAME: a-z, 0-9 and _), not \"%.64s\"",
						     optarg);
			else if (nwhere == FIELDS_MAX)
				rc = crm_usage_error(crm, "--attr: at most %d", FIELDS_MAX);
			else
				attr_where[nwhere++] = optarg;
		} else {
			rc = opt == '?' ? CRM_EX_USAGE : filter_option(crm, &f, opt, optarg);
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
	rc = resolve_filter_contact(crm, s, &f);
	if (rc != 0)
		goto out;
	crm_buf_adds(&sql, LISTING_COLUMNS);
	for (size_t i = 0; i < pf.nattrs; i++)
		crm_buf_addf(&sql, ", (SELECT value FROM interaction_attrs WHERE interaction_id = i.id"
			     " AND name = ?%zu)", 9 + i);
	crm_buf_adds(&sql, LISTING_FROM);
	if (purchases)
		crm_buf_adds(&sql, " AND (i.type = 'purchase' OR i.type = 'refund')");
	/* Each --attr: the attribute has that value (compared without
	 * regard to case, as the filter language compares text). */
	for (size_t i = 0; i < nwhere; i++)
		crm_buf_addf(&sql, " AND EXISTS (SELECT 1 FROM interaction_attrs a WHERE"
			     " a.interaction_id = i.id AND a.name = ?%zu AND a.value = ?%zu COLLATE NOCASE)",
			     9 + pf.nattrs + 2 * i, 10 + pf.nattrs + 2 * i);
	crm_buf_adds(&sql, " ORDER BY i.at, i.id LIMIT ?8");
	st = crm_store_prepare(s, crm_buf_str(&sql));
	bind_filter(st, &f);
	for (size_t i = 0; i < pf.nattrs; i++)
		sqlite3_bind_text(st, (int)(9 + i), pf.attrs[i], -1, SQLITE_STATIC);
	for (size_t i = 0; i < nwhere; i++) {
		const char *eq = strchr(attr_where[i], '=');

		sqlite3_bind_text(st, (int)(9 + pf.nattrs + 2 * i), attr_where[i],
				  (int)(eq - attr_where[i]), SQLITE_STATIC);
		sqlite3_bind_text(st, (int)(10 + pf.nattrs + 2 * i), eq + 1, -1, SQLITE_STATIC);
	}
	if (pf.n > 0)
		rc = write_listing_picked(crm, s, st, pf.names, pf.n, 11, 12, pf.col);
	else
		rc = write_listing(crm, s, st, listing_cols, NLISTING, 11, 12);
out:
	if (rc < 0)
		rc = CRM_EX_USAGE;
	crm_buf_free(&sql);
	free(pf.list);
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

/* *found is 1 when the table exists. A failing step (a busy or damaged
 * store) is an error with its exit code, never "not there". */
static int table_exists(struct crm_store *s, const char *name, int *found,
			struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
	int rc;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = crm_store_step(s, st, e);
	sqlite3_reset(st);
	if (rc < 0)
		return e->code;
	*found = rc == SQLITE_ROW;
	return 0;
}

/* Every source of the timeline, in one shape: at, source, id, channel,
 * direction, type, subject, agent, amount, currency. Each is used when its
 * table exists, so programs that come later add their events here. */
static const struct timeline_source {
	const char *table;
	int optional;      /* only with --changes */
	const char *sql;
} timeline_sources[] = {
	{ "interactions", 0,
	  "SELECT at, 'interaction' AS source, id, channel, direction, type, subject,"
	  " agent, amount, currency FROM interactions WHERE contact_id = ?1" },
	{ "history", 1,
	  "SELECT at, 'change', id, NULL, NULL, action, coalesce(field, '') ||"
	  " coalesce(': ' || old_value, '') || coalesce(' -> ' || new_value, ''), who,"
	  " NULL, NULL FROM history WHERE entity = 'contact' AND entity_id = ?1"
	  /* a contact an import created: its import's row (migration 0007) */
	  " UNION ALL SELECT h.at, 'change', h.id, NULL, NULL, 'create', '', h.who, NULL, NULL"
	  " FROM history_imports r, history h WHERE h.id = r.history_id"
	  " AND r.first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
	  " AND r.last_id >= ?1 AND NOT EXISTS"
	  " (SELECT 1 FROM contacts c WHERE c.id = ?1 AND c.erased_at IS NOT NULL)" },
};

static int cmd_timeline(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "changes", no_argument, NULL, OPT_CHANGES },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"at", "source", "id", "channel", "direction", "type", "subject",
		"agent", "amount", "currency",
	};
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct filter f;
	struct crm_store *s;
	sqlite3_stmt *st = NULL;
	int rc = 0, opt, n = 0;

	memset(&f, 0, sizeof(f));
	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		rc = opt == '?' ? CRM_EX_USAGE : filter_option(crm, &f, opt, optarg);
		if (rc != 0)
			return rc < 0 ? CRM_EX_USAGE : rc;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one contact: an id, uid or email");
	f.contact = argv[optind];
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = resolve_filter_contact(crm, s, &f);
	if (rc != 0)
		return rc;
	crm_buf_adds(&sql, "SELECT * FROM (");
	for (size_t i = 0; i < sizeof(timeline_sources) / sizeof(timeline_sources[0]); i++) {
		const struct timeline_source *src = &timeline_sources[i];

		int found = 0;

		if (src->optional && !f.changes)
			continue;
		rc = table_exists(s, src->table, &found, &e);
		if (rc != 0) {
			crm_buf_free(&sql);
			return crm_report(crm, &e);
		}
		if (!found)
			continue;
		crm_buf_addf(&sql, "%s%s", n++ > 0 ? " UNION ALL " : "", src->sql);
	}
	crm_buf_adds(&sql, ") WHERE at >= ?2 AND (?3 IS NULL OR at < ?3)"
		     " AND (?4 IS NULL OR channel = lower(?4)) AND (?5 IS NULL OR type = lower(?5))"
		     " AND (?6 IS NULL OR agent = ?6) AND (?7 IS NULL OR direction = lower(?7))"
		     " ORDER BY at DESC, id DESC LIMIT ?8");
	rc = sqlite3_prepare_v2(crm_store_db(s), crm_buf_str(&sql), -1, &st, NULL);
	crm_buf_free(&sql);
	if (rc != SQLITE_OK) {
		crm_store_error(s, rc, &e);
		return crm_report(crm, &e);
	}
	bind_filter(st, &f);
	rc = write_listing(crm, s, st, cols, 10, 8, 9);
	sqlite3_finalize(st);
	return rc;
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

	if (crm_getopt(crm, argc, argv, "", NULL) != -1)
		return CRM_EX_USAGE;
	if (optind >= argc)
		return crm_usage_error(crm, "give the ids of the tasks done");
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_store_begin(s, &e);
	for (int i = optind; rc == 0 && i < argc; i++) {
		sqlite3_stmt *st = crm_store_prepare(s,
			"UPDATE interactions SET done_at = coalesce(done_at, ?2)"
			" WHERE id = ?1 AND type = 'task'");
		int64_t id;
		const char *why;

		if (crm_parse_i64(argv[i], 1, INT64_MAX, &id, &why) != 0) {
			crm_store_rollback(s);
			return crm_usage_error(crm, "invalid task id \"%s\"", argv[i]);
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, crm_store_now(s), -1, SQLITE_STATIC);
		rc = crm_store_run(s, st, &e);
		if (rc == 0 && sqlite3_changes(crm_store_db(s)) == 0) {
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
	static const char *const cols[] = {
		"id", "due", "assignee", "contact", "name", "email", "subject", "overdue",
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	sqlite3_stmt *st;
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
	st = crm_store_prepare(s,
		"SELECT i.id, i.due_at, i.assignee, i.contact_id,"
		" trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
		" c.email, i.subject, CASE WHEN i.due_at < ?1 THEN 'yes' ELSE 'no' END"
		" FROM interactions i JOIN contacts c ON c.id = i.contact_id"
		" WHERE i.type = 'task' AND i.done_at IS NULL AND i.due_at IS NOT NULL"
		" AND (?2 IS NULL OR i.assignee = ?2) AND (?3 = 0 OR i.due_at < ?1)"
		" AND (?4 = '' OR i.due_at <= ?4) ORDER BY i.due_at, i.id");
	sqlite3_bind_text(st, 1, now_text, -1, SQLITE_STATIC);
	crm_bind_text(st, 2, agent);
	sqlite3_bind_int(st, 3, overdue);
	sqlite3_bind_text(st, 4, until, -1, SQLITE_STATIC);
	/* Nothing due prints nothing at all, so a cron job mails only when
	 * there is work. */
	rc = crm_store_step(s, st, &e);
	if (rc < 0)
		return crm_report(crm, &e);
	if (rc == SQLITE_DONE)
		return CRM_EX_NOTFOUND;
	sqlite3_reset(st);
	return write_listing(crm, s, st, cols, 8, -1, -1);
}

/* ---- preferred channels ---------------------------------------------------- */

/* Per contact and channel: inbound and outbound counts, outbound answered by
 * an inbound interaction within ?2 days, and a score (inbound + answered);
 * rank 1 is the preferred channel (ties: the latest inbound, then name). */
static const char channels_sql[] =
	"WITH io AS (SELECT contact_id, channel, direction, at FROM interactions"
	"  WHERE direction IS NOT NULL AND (?1 = 0 OR contact_id = ?1)),"
	" per AS (SELECT contact_id, channel,"
	"  sum(direction = 'in') AS inbound, sum(direction = 'out') AS outbound,"
	"  sum(direction = 'out' AND EXISTS (SELECT 1 FROM interactions r"
	"   WHERE r.contact_id = io.contact_id AND r.direction = 'in' AND r.at > io.at"
	"   AND r.at <= strftime('%Y-%m-%dT%H:%M:%SZ', io.at, '+' || ?2 || ' days'))) AS answered,"
	"  max(CASE WHEN direction = 'in' THEN at END) AS last_in"
	"  FROM io GROUP BY contact_id, channel),"
	" ranked AS (SELECT *, inbound + answered AS score, row_number() OVER ("
	"  PARTITION BY contact_id ORDER BY inbound + answered DESC,"
	"  last_in DESC NULLS LAST, channel) AS rank FROM per)"
	" SELECT r.contact_id, c.email, r.channel, r.inbound, r.outbound, r.answered,"
	"  r.score, r.rank, c.preferred_channel FROM ranked r"
	"  JOIN contacts c ON c.id = r.contact_id"
	" WHERE r.score > 0 AND (?1 <> 0 OR r.rank = 1)"
	" ORDER BY r.contact_id, r.rank";

static int update_preferred(struct crm_store *s, int64_t id, const char *channel,
			    struct crm_err *e)
{
	struct crm_contact c;
	int rc, changed;

	crm_contact_init(&c);
	rc = crm_contact_set(&c, CRM_CF_PREFERRED_CHANNEL, channel, 0, e);
	if (rc == 0)
		rc = crm_contact_update(s, id, &c, &changed, e);
	crm_contact_free(&c);
	return rc;
}

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
	sqlite3_stmt *st;
	struct pending_channel {
		int64_t id;
		char *channel;
	} *changes = NULL;
	size_t nchanges = 0;
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
	st = crm_store_prepare(s, channels_sql);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, window);
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
	while ((step = crm_store_step(s, st, &e)) == SQLITE_ROW) {
#define COL(i) ((const char *)sqlite3_column_text(st, (i)))
		int64_t cid = sqlite3_column_int64(st, 0);
		int rank = sqlite3_column_int(st, 7);

		if (all) {
			const char *vals[7] = { COL(0), COL(1), COL(2), COL(6), COL(3), COL(5), COL(8) };

			crm_out_row(out, vals);
		} else {
			const char *vals[6] = { COL(2), COL(3), COL(4), COL(5), COL(6),
						rank == 1 ? "yes" : "no" };

			crm_out_row(out, vals);
		}
		n++;
		if (update && rank == 1 && (COL(8) == NULL || strcmp(COL(8), COL(2)) != 0)) {
			/* Written after the query: changing contacts while
			 * a query over them runs is undefined in SQLite. */
			changes = xreallocarray(changes, nchanges + 1, sizeof(*changes));
			changes[nchanges].id = cid;
			changes[nchanges].channel = xstrdup(COL(2));
			nchanges++;
		}
#undef COL
	}
	sqlite3_reset(st);
	if (step < 0)
		rc = e.code;
	for (size_t i = 0; i < nchanges; i++) {
		if (rc == 0)
			rc = update_preferred(s, changes[i].id, changes[i].channel, &e);
		if (rc == 0)
			updated++;
		free(changes[i].channel);
	}
	free(changes);
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
