/* crm-contact - contacts: add, show, edit, rm, list, tag, import, export,
 * history. See crm-contact(1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "batch.h"
#include "buf.h"
#include "cli.h"
#include "contact.h"
#include "contact_import.h"
#include "contact_query.h"
#include "contact_stream.h"
#include "dates.h"
#include "err.h"
#include "num.h"
#include "output.h"
#include "store.h"
#include "xalloc.h"

enum {
	OPT_FIELD = 0x2000,   /* OPT_FIELD + field index: --first-name ... */
	OPT_TAG = 0x3000,
	OPT_UNSET,
	OPT_FORCE,
	OPT_SEARCH,
	OPT_WHERE,
	OPT_SORT,
	OPT_LIMIT,
	OPT_FIELDS,
	OPT_REJECTS,
	OPT_STRICT,
	OPT_DRY_RUN,
	OPT_ON_CONFLICT,
	OPT_MAP,
	OPT_SINCE,
};

/* ---- add and edit ---------------------------------------------------- */

struct field_opts {
	struct option opts[CRM_CONTACT_NFIELDS + 4];
	char names[CRM_CONTACT_NFIELDS][32];
};

/* --first-name, --email, ... for every settable field, then extra. */
static const struct option *field_options(struct field_opts *fo,
					  const struct option *extra)
{
	size_t n = 0;

	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		if (crm_contact_fields[f].read_only)
			continue;
		snprintf(fo->names[f], sizeof(fo->names[f]), "%s", crm_contact_fields[f].name);
		for (char *p = fo->names[f]; *p != '\0'; p++)
			if (*p == '_')
				*p = '-';
		fo->opts[n].name = fo->names[f];
		fo->opts[n].has_arg = required_argument;
		fo->opts[n].flag = NULL;
		fo->opts[n].val = OPT_FIELD + f;
		n++;
	}
	for (; extra->name != NULL; extra++)
		fo->opts[n++] = *extra;
	memset(&fo->opts[n], 0, sizeof(fo->opts[n]));
	return fo->opts;
}

/* Applies FIELD=VALUE operands to c. */
static int set_pairs(struct crm *crm, struct crm_contact *c, int argc,
		     char **argv, int64_t now)
{
	struct crm_err e = { 0, "" };

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char *name;
		int rc;

		if (eq == NULL || eq == argv[i])
			return crm_usage_error(crm, "expected FIELD=VALUE, not \"%s\"", argv[i]);
		name = xstrndup(argv[i], (size_t)(eq - argv[i]));
		rc = crm_contact_set_named(c, name, eq + 1, now, &e);
		free(name);
		if (rc != 0)
			return crm_report(crm, &e);
	}
	return 0;
}

/* Options shared by add and edit; returns 0, or an exit code. */
static int parse_contact_options(struct crm *crm, int argc, char **argv,
				 const struct option *extra,
				 struct crm_contact *c, int64_t now,
				 int (*other)(struct crm *, int, const char *, void *),
				 void *ctx)
{
	struct field_opts fo;
	const struct option *opts = field_options(&fo, extra);
	struct crm_err e = { 0, "" };
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return CRM_EX_USAGE;
		if (opt >= OPT_FIELD && opt < OPT_FIELD + CRM_CONTACT_NFIELDS) {
			rc = crm_contact_set(c, opt - OPT_FIELD, optarg, now, &e);
			if (rc != 0)
				return crm_report(crm, &e);
		} else if (opt == OPT_TAG) {
			rc = crm_contact_add_tags(c, optarg, &e);
			if (rc != 0)
				return crm_report(crm, &e);
		} else if (other == NULL || (rc = other(crm, opt, optarg, ctx)) != 0) {
			return other == NULL ? CRM_EX_USAGE : rc;
		}
	}
	return 0;
}

static int cmd_add(int argc, char **argv, struct crm *crm)
{
	static const struct option extra[] = {
		{ "tag", required_argument, NULL, OPT_TAG },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id, now = crm_now();
	int rc;

	crm_contact_init(&c);
	rc = parse_contact_options(crm, argc, argv, extra, &c, now, NULL, NULL);
	if (rc == 0)
		rc = set_pairs(crm, &c, argc - optind, argv + optind, now);
	if (rc != 0)
		goto out;
	if (crm_contact_is_empty(&c)) {
		rc = crm_usage_error(crm, "nothing to add: give a name, email, phone, company or uid");
		goto out;
	}
	s = crm_store_get(crm, &rc);
	if (s == NULL)
		goto out;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_contact_create(s, &c, &id, &e);
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		rc = crm_report(crm, &e);
		goto out;
	}
	printf("%lld\n", (long long)id);
out:
	crm_contact_free(&c);
	return rc;
}

struct edit_opts {
	struct crm_contact *c;
	int64_t now;
};

static int edit_option(struct crm *crm, int opt, const char *arg, void *ctx)
{
	struct edit_opts *eo = ctx;
	struct crm_err e = { 0, "" };

	if (opt != OPT_UNSET)
		return CRM_EX_USAGE;
	if (crm_contact_set_named(eo->c, arg, NULL, eo->now, &e) != 0)
		return crm_report(crm, &e);
	return 0;
}

static int cmd_edit(int argc, char **argv, struct crm *crm)
{
	static const struct option extra[] = {
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "unset", required_argument, NULL, OPT_UNSET },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact c;
	struct edit_opts eo = { &c, crm_now() };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc, changed = 0;

	crm_contact_init(&c);
	rc = parse_contact_options(crm, argc, argv, extra, &c, eo.now, edit_option, &eo);
	if (rc == 0 && c.v[CRM_CF_CREATED_AT] != NULL)
		rc = crm_usage_error(crm, "created_at cannot be changed");
	if (rc != 0)
		goto out;
	if (optind >= argc) {
		rc = crm_usage_error(crm, "which contact? give an id, uid or email");
		goto out;
	}
	rc = set_pairs(crm, &c, argc - optind - 1, argv + optind + 1, eo.now);
	if (rc != 0)
		goto out;
	s = crm_store_get(crm, &rc);
	if (s == NULL)
		goto out;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_contact_resolve(s, argv[optind], &id, &e);
	if (rc == 0)
		rc = crm_contact_update(s, id, &c, &changed, &e);
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		rc = crm_report(crm, &e);
		goto out;
	}
	if (crm->verbose)
		crm_warn(crm, "%d change%s", changed, changed == 1 ? "" : "s");
out:
	crm_contact_free(&c);
	return rc;
}

/* ---- show, list, export ------------------------------------------------ */

struct show_ctx {
	struct crm_out *out;
	int vertical;
	int found;
};

static int show_row(void *ctx, size_t n, const char *const *names,
		    const char *const *vals)
{
	struct show_ctx *sc = ctx;

	sc->found = 1;
	if (!sc->vertical) {
		crm_out_row(sc->out, vals);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const char *pair[2] = { names[i], vals[i] };

		if (vals[i] != NULL && vals[i][0] != '\0')
			crm_out_row(sc->out, pair);
	}
	return 0;
}

static int cmd_show(int argc, char **argv, struct crm *crm)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out = NULL;
	struct show_ctx sc = { NULL, 0, 0 };
	int rc, opt;

	while ((opt = crm_getopt(crm, argc, argv, "", NULL)) != -1)
		return CRM_EX_USAGE;
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one contact: an id, uid or email");
	s = crm_store_get(crm, &rc);
	if (s == NULL)
		return rc;
	crm_contact_query_init(&q);
	rc = crm_contact_resolve(s, argv[optind], &q.id, &e);
	if (rc == 0)
		rc = crm_contact_query_all_columns(&q, s, &e);
	if (rc != 0) {
		crm_contact_query_free(&q);
		return crm_report(crm, &e);
	}
	out = crm_out_open(stdout, &crm->out);
	sc.out = out;
	sc.vertical = crm_out_format(out) == CRM_FMT_TABLE;
	if (sc.vertical) {
		crm_out_columns(out, 2, (const char *const[]){ "field", "value" });
	} else {
		const char **names = xcalloc(q.ncols, sizeof(*names));

		for (size_t i = 0; i < q.ncols; i++)
			names[i] = crm_contact_column_name(&q.cols[i]);
		crm_out_columns(out, q.ncols, names);
		for (size_t i = 0; i < q.ncols; i++)
			if (crm_contact_column_numeric(&q.cols[i]))
				crm_out_numeric(out, i);
		free(names);
	}
	rc = crm_contact_query_each(s, &q, show_row, &sc, &e);
	crm_contact_query_free(&q);
	if (rc != 0) {
		crm_out_close(out, NULL);
		return crm_report(crm, &e);
	}
	if (crm_out_close(out, &e) != 0)
		return crm_report(crm, &e);
	return 0;
}

/* Filters shared by list and export; returns 0, 64 or -1 (not ours). */
static int query_option(struct crm *crm, struct crm_contact_query *q, int opt,
			const char *arg)
{
	struct crm_err e = { 0, "" };
	const char *err;
	int rc = 0;

	switch (opt) {
	case OPT_TAG:
		crm_contact_query_tag(q, arg);
		break;
	case OPT_SEARCH:
		free(q->search);
		q->search = xstrdup(arg);
		break;
	case OPT_WHERE:
		rc = crm_contact_query_where(q, arg, &e);
		break;
	case OPT_SORT:
		rc = crm_contact_query_sort(q, arg, &e);
		break;
	case OPT_FIELDS:
		rc = crm_contact_query_columns(q, arg, &e);
		break;
	case OPT_LIMIT:
		if (crm_parse_i64(arg, 1, INT64_MAX, &q->limit, &err) != 0)
			return crm_usage_error(crm, "--limit: %s number \"%s\"", err, arg);
		break;
	default:
		return -1;
	}
	return rc == 0 ? 0 : crm_usage_error(crm, "%s", e.msg);
}

static const struct option query_longopts[] = {
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "search", required_argument, NULL, OPT_SEARCH },
	{ "where", required_argument, NULL, OPT_WHERE },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ NULL, 0, NULL, 0 },
};

/* list and export: the same query, different default columns. */
static int list_or_export(int argc, char **argv, struct crm *crm, int export)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out;
	unsigned long n = 0;
	int rc = 0, opt;

	crm_contact_query_init(&q);
	while ((opt = crm_getopt(crm, argc, argv, "", query_longopts)) != -1) {
		rc = opt == '?' ? CRM_EX_USAGE : query_option(crm, &q, opt, optarg);
		if (rc != 0)
			goto out;
	}
	if (optind < argc) {
		rc = crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	s = crm_store_get(crm, &rc);
	if (s == NULL)
		goto out;
	if (q.ncols == 0)
		rc = export ? crm_contact_query_all_columns(&q, s, &e)
			    : crm_contact_query_columns(&q,
				"id,first_name,last_name,email,phone,company,status", &e);
	if (rc != 0) {
		rc = crm_report(crm, &e);
		goto out;
	}
	out = crm_out_open(stdout, &crm->out);
	rc = crm_contact_query_run(s, &q, out, &n, &e);
	if (rc != 0) {
		crm_out_close(out, NULL);
		rc = crm_report(crm, &e);
		goto out;
	}
	if (crm_out_close(out, &e) != 0)
		rc = crm_report(crm, &e);
	else if (!export && n == 0)
		rc = CRM_EX_NOTFOUND;
out:
	crm_contact_query_free(&q);
	return rc;
}

static int cmd_list(int argc, char **argv, struct crm *crm)
{
	return list_or_export(argc, argv, crm, 0);
}

static int cmd_export(int argc, char **argv, struct crm *crm)
{
	return list_or_export(argc, argv, crm, 1);
}

/* ---- rm and tag: one contact, several, or a stream ------------------- */

struct each_ctx {
	struct crm *crm;
	struct crm_store *store;
	int (*fn)(struct each_ctx *ctx, int64_t id, struct crm_err *e);
	char **tags;
	int ntags;
	int add;
	int force;
	unsigned long done;
};

static int each_stream_cb(void *ctx, int64_t id, struct crm_err *e)
{
	struct each_ctx *ec = ctx;

	return ec->fn(ec, id, e);
}

/* Runs ec->fn for each contact named in refs ("-" reads a contact stream
 * from stdin), all in one transaction. */
static int for_each_contact(struct each_ctx *ec, int nrefs, char **refs)
{
	struct crm_err e = { 0, "" };
	int rc, missing = 0;

	rc = crm_store_begin(ec->store, &e);
	if (rc != 0)
		return crm_report(ec->crm, &e);
	for (int i = 0; i < nrefs && rc == 0; i++) {
		int64_t id;

		if (strcmp(refs[i], "-") == 0) {
			rc = crm_contact_stream(ec->crm, ec->store, stdin, "<stdin>",
						each_stream_cb, ec);
			if (rc == CRM_EX_NOTFOUND) {
				missing = 1;
				rc = 0;
			} else if (rc != 0) {
				crm_store_rollback(ec->store);
				return rc;
			}
			continue;
		}
		rc = crm_contact_resolve(ec->store, refs[i], &id, &e);
		if (rc == CRM_EX_NOTFOUND) {
			crm_report(ec->crm, &e);
			missing = 1;
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = ec->fn(ec, id, &e);
	}
	if (rc == 0)
		rc = crm_store_commit(ec->store, &e);
	if (rc != 0) {
		crm_store_rollback(ec->store);
		return crm_report(ec->crm, &e);
	}
	return missing ? CRM_EX_NOTFOUND : 0;
}

static int confirm(struct each_ctx *ec, int64_t id, struct crm_err *e)
{
	struct crm_buf label = CRM_BUF_INIT;
	char answer[16];
	int rc;

	rc = crm_contact_label(ec->store, id, &label, e);
	if (rc != 0) {
		crm_buf_free(&label);
		return rc;
	}
	fprintf(stderr, "%s: rm: delete contact %s? [y/N] ", ec->crm->prog,
		crm_buf_str(&label));
	crm_buf_free(&label);
	if (fgets(answer, sizeof(answer), stdin) == NULL)
		return 1;
	return answer[0] == 'y' || answer[0] == 'Y' ? 0 : 1;
}

static int rm_one(struct each_ctx *ec, int64_t id, struct crm_err *e)
{
	int rc;

	if (!ec->force) {
		rc = confirm(ec, id, e);
		if (rc == 1)
			return 0; /* kept */
		if (rc != 0)
			return rc;
	}
	rc = crm_contact_delete(ec->store, id, e);
	if (rc == 0)
		ec->done++;
	return rc;
}

/* rm on a terminal: ask about each contact first, holding no lock while a
 * person thinks, then delete the confirmed ones in one transaction. */
static int rm_asking(struct each_ctx *ec, int nrefs, char **refs)
{
	struct crm_err e = { 0, "" };
	char **yes = xcalloc((size_t)nrefs + 1, sizeof(*yes));
	int n = 0, rc = 0, missing = 0;

	for (int i = 0; i < nrefs && rc == 0; i++) {
		int64_t id;

		rc = crm_contact_resolve(ec->store, refs[i], &id, &e);
		if (rc == CRM_EX_NOTFOUND) {
			crm_report(ec->crm, &e);
			missing = 1;
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = confirm(ec, id, &e);
		if (rc == 1) {
			rc = 0; /* kept */
		} else if (rc == 0) {
			yes[n] = xmalloc(32);
			snprintf(yes[n++], 32, "%lld", (long long)id);
		}
	}
	if (rc != 0)
		rc = crm_report(ec->crm, &e);
	else if (n > 0) {
		ec->force = 1;
		rc = for_each_contact(ec, n, yes);
	}
	for (int i = 0; i < n; i++)
		free(yes[i]);
	free(yes);
	return rc != 0 ? rc : missing ? CRM_EX_NOTFOUND : 0;
}

static int cmd_rm(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct each_ctx ec = { crm, NULL, rm_one, NULL, 0, 0, 0, 0 };
	int rc, opt;

	while ((opt = crm_getopt(crm, argc, argv, "f", opts)) != -1) {
		if (opt != 'f')
			return CRM_EX_USAGE;
		ec.force = 1;
	}
	if (optind >= argc)
		return crm_usage_error(crm, "which contacts? give ids, uids or emails, or - for a stream");
	for (int i = optind; i < argc && !ec.force; i++)
		if (strcmp(argv[i], "-") == 0)
			return crm_usage_error(crm, "deleting a stream from stdin needs --force");
	if (!ec.force && !isatty(STDIN_FILENO))
		return crm_usage_error(crm, "stdin is not a terminal: use --force to delete without asking");
	ec.store = crm_store_get(crm, &rc);
	if (ec.store == NULL)
		return rc;
	if (ec.force)
		rc = for_each_contact(&ec, argc - optind, argv + optind);
	else
		rc = rm_asking(&ec, argc - optind, argv + optind);
	if (crm->verbose)
		crm_warn(crm, "%lu deleted", ec.done);
	return rc;
}

static int tag_one(struct each_ctx *ec, int64_t id, struct crm_err *e)
{
	for (int i = 0; i < ec->ntags; i++) {
		int changed, rc = crm_contact_tag(ec->store, id, ec->tags[i], ec->add,
						  &changed, e);

		if (rc != 0)
			return rc;
		ec->done += (unsigned long)changed;
	}
	return 0;
}

static int tag_list(struct crm *crm, struct crm_store *s, const char *ref)
{
	struct crm_err e = { 0, "" };
	struct crm_out *out;
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc, step;
	unsigned long n = 0;

	if (ref != NULL) {
		rc = crm_contact_resolve(s, ref, &id, &e);
		if (rc != 0)
			return crm_report(crm, &e);
		st = crm_store_prepare(s, "SELECT tag, 1 FROM contact_tags WHERE contact_id = ?1 ORDER BY tag");
		sqlite3_bind_int64(st, 1, id);
	} else {
		st = crm_store_prepare(s, "SELECT tag, count(*) FROM contact_tags GROUP BY tag ORDER BY tag");
	}
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, 2, (const char *const[]){ "tag", "contacts" });
	crm_out_numeric(out, 1);
	while ((step = crm_store_step(s, st, &e)) == SQLITE_ROW) {
		const char *vals[2] = { (const char *)sqlite3_column_text(st, 0),
					(const char *)sqlite3_column_text(st, 1) };

		crm_out_row(out, vals);
		n++;
	}
	sqlite3_reset(st);
	rc = crm_out_close(out, &e);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

static int cmd_tag(int argc, char **argv, struct crm *crm)
{
	struct each_ctx ec = { crm, NULL, tag_one, NULL, 0, 0, 0, 0 };
	struct crm_err e = { 0, "" };
	int rc, opt;

	while ((opt = crm_getopt(crm, argc, argv, "", NULL)) != -1)
		return CRM_EX_USAGE;
	if (optind >= argc)
		return crm_usage_error(crm, "give add, rm or list");
	const char *verb = argv[optind];

	if (strcmp(verb, "list") == 0) {
		if (argc - optind > 2)
			return crm_usage_error(crm, "tag list takes at most one contact");
		ec.store = crm_store_get(crm, &rc);
		return ec.store == NULL ? rc : tag_list(crm, ec.store, argv[optind + 1]);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "rm") != 0)
		return crm_usage_error(crm, "unknown tag command \"%s\" (use add, rm or list)", verb);
	if (argc - optind < 3)
		return crm_usage_error(crm, "tag %s needs a contact and at least one tag", verb);
	ec.add = strcmp(verb, "add") == 0;
	ec.tags = argv + optind + 2;
	ec.ntags = argc - optind - 2;
	for (int i = 0; i < ec.ntags; i++)
		if (crm_contact_check_tag(ec.tags[i], &e) != 0)
			return crm_report(crm, &e);
	ec.store = crm_store_get(crm, &rc);
	if (ec.store == NULL)
		return rc;
	return for_each_contact(&ec, 1, argv + optind + 1);
}

/* ---- history ------------------------------------------------------------ */

static int cmd_history(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "at", "who", "contact", "action", "field", "old", "new"
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out;
	sqlite3_stmt *st;
	int64_t id = 0, since = 0;
	char since_text[32] = "";
	unsigned long n = 0;
	int rc, opt, step;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_SINCE)
			return CRM_EX_USAGE;
		if (crm_time_parse(optarg, crm_now(), &since, &e) != 0)
			return crm_usage_error(crm, "--since: %s", e.msg);
		crm_time_format(since, since_text);
	}
	if (argc - optind > 1)
		return crm_usage_error(crm, "give at most one contact");
	if (argc - optind == 0 && since_text[0] == '\0')
		return crm_usage_error(crm, "give a contact, or --since DATE for all contacts");
	s = crm_store_get(crm, &rc);
	if (s == NULL)
		return rc;
	if (optind < argc) {
		rc = crm_contact_resolve(s, argv[optind], &id, &e);
		if (rc == CRM_EX_NOTFOUND) {
			/* A deleted contact keeps its history: accept its id. */
			const char *err;

			if (crm_parse_i64(argv[optind], 1, INT64_MAX, &id, &err) != 0)
				return crm_report(crm, &e);
			rc = 0;
		}
		if (rc != 0)
			return crm_report(crm, &e);
	}
	st = crm_store_prepare(s,
		"SELECT id, at, who, entity_id, action, field, old_value, new_value"
		" FROM history WHERE entity = 'contact' AND (?1 = 0 OR entity_id = ?1)"
		" AND at >= ?2 ORDER BY id");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, since_text, -1, SQLITE_STATIC);
	out = crm_out_open(stdout, &crm->out);
	crm_out_columns(out, 8, cols);
	crm_out_numeric(out, 0);
	crm_out_numeric(out, 3);
	while ((step = crm_store_step(s, st, &e)) == SQLITE_ROW) {
		const char *vals[8];

		for (int i = 0; i < 8; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		crm_out_row(out, vals);
		n++;
	}
	sqlite3_reset(st);
	rc = crm_out_close(out, &e);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	if (n == 0 && id != 0)
		return crm_fail(crm, CRM_EX_NOTFOUND, "no history for contact %lld", (long long)id);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

/* ---- import ------------------------------------------------------------- */

static int cmd_import(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "on-conflict", required_argument, NULL, OPT_ON_CONFLICT },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_batch_opts bo = { NULL, CRM_CSV_AUTO, NULL, 0, 0 };
	struct crm_contact_import ic;
	struct crm_batch_counts counts;
	struct crm_err e = { 0, "" };
	int rc = 0, opt;

	crm_contact_import_init(&ic, crm);
	while ((opt = crm_getopt(crm, argc, argv, "n", opts)) != -1) {
		switch (opt) {
		case OPT_REJECTS:
			bo.rejects_path = optarg;
			break;
		case OPT_STRICT:
			bo.strict = 1;
			break;
		case 'n':
			bo.dry_run = 1;
			break;
		case OPT_ON_CONFLICT:
			if (strcmp(optarg, "update") != 0 && strcmp(optarg, "skip") != 0 &&
			    strcmp(optarg, "error") != 0)
				rc = crm_usage_error(crm, "--on-conflict: use update, skip or error, not \"%s\"", optarg);
			ic.on_conflict = optarg[0];
			break;
		case OPT_MAP:
			if (strchr(optarg, '=') == NULL || optarg[0] == '=')
				rc = crm_usage_error(crm, "--map wants COLUMN=FIELD, not \"%s\"", optarg);
			ic.maps = xreallocarray(ic.maps, ic.nmaps + 1, sizeof(*ic.maps));
			ic.maps[ic.nmaps++] = optarg;
			break;
		case OPT_TAG:
			if (crm_contact_add_tags(&ic.c, optarg, &e) != 0)
				rc = crm_report(crm, &e); /* checked here, applied per row */
			ic.tags = xreallocarray(ic.tags, ic.ntags + 1, sizeof(*ic.tags));
			ic.tags[ic.ntags++] = optarg;
			break;
		default:
			rc = CRM_EX_USAGE;
		}
		if (rc != 0)
			goto out;
	}
	if (argc - optind != 1) {
		rc = crm_usage_error(crm, "give one input file, or - for stdin");
		goto out;
	}
	bo.path = argv[optind];
	switch (crm->out.format) {
	case CRM_FMT_CSV:
		bo.format = CRM_CSV_COMMA;
		break;
	case CRM_FMT_TSV:
		bo.format = CRM_CSV_TAB;
		break;
	case CRM_FMT_DEFAULT:
		break;
	default:
		rc = crm_usage_error(crm, "--format for import is csv or tsv");
		goto out;
	}
	ic.store = crm_store_get(crm, &rc);
	if (ic.store == NULL)
		goto out;
	rc = crm_batch_run(crm, ic.store, &bo, &crm_contact_import_ops, &ic, &counts);
out:
	crm_contact_import_free(&ic);
	return rc;
}

/* ---- the command table ------------------------------------------------- */

static const struct crm_command commands[] = {
	{ "add", cmd_add, "add [--FIELD VALUE]... [--tag TAG]... [FIELD=VALUE]...",
	  "add a contact; prints its id",
	  "  --first-name, --last-name, --email, --phone, --company, --title,\n"
	  "  --address, --city, --region, --postal-code, --country, --birthdate,\n"
	  "  --gender, --language, --source, --owner, --status, --preferred-channel,\n"
	  "  --email-opt-out, --sms-opt-out, --uid, --created-at VALUE\n"
	  "                    set a standard field\n"
	  "  --tag TAG[,TAG]   tag the contact\n"
	  "  FIELD=VALUE       set a standard or custom field\n" },
	{ "show", cmd_show, "show CONTACT", "show every field of one contact", NULL },
	{ "edit", cmd_edit, "edit [--FIELD VALUE]... [--unset FIELD]... [--tag TAG]... CONTACT [FIELD=VALUE]...",
	  "change fields of a contact",
	  "  --FIELD VALUE     set a standard field (as for add)\n"
	  "  --unset FIELD     clear a standard or remove a custom field\n"
	  "  --tag TAG         add a tag\n"
	  "  FIELD=VALUE       set a standard or custom field (empty VALUE clears)\n" },
	{ "rm", cmd_rm, "rm [-f] CONTACT...|-", "delete contacts",
	  "  -f, --force       do not ask (needed when stdin is not a terminal)\n"
	  "  -                 read a contact stream from stdin\n" },
	{ "list", cmd_list, "list [--tag TAG]... [--search TEXT] [--where FIELD=VALUE]... [--sort FIELDS] [--limit N] [--fields FIELDS]",
	  "list contacts",
	  "  --tag TAG         only contacts with this tag (repeat: all of them)\n"
	  "  --search TEXT     TEXT in the name, email or company\n"
	  "  --where F=V       field F equals V (V empty: F is empty)\n"
	  "  --sort FIELDS     order by fields, -FIELD for descending\n"
	  "  --limit N         at most N contacts\n"
	  "  --fields FIELDS   columns to show (standard fields, tags, custom)\n" },
	{ "tag", cmd_tag, "tag add|rm CONTACT|- TAG... | tag list [CONTACT]",
	  "add, remove or list tags",
	  "  add CONTACT TAG...  tag a contact (- reads a contact stream)\n"
	  "  rm CONTACT TAG...   remove tags\n"
	  "  list [CONTACT]      all tags with counts, or one contact's tags\n" },
	{ "import", cmd_import, "import [options] FILE|-", "import contacts from CSV or TSV",
	  "  --rejects FILE    write rejected rows to FILE (CSV with line and reason)\n"
	  "  --strict          all or nothing: commit only if every row is good\n"
	  "  -n, --dry-run     check everything, write nothing\n"
	  "  --on-conflict A   an existing email or uid: update (default), skip, error\n"
	  "  --map COL=FIELD   read column COL as FIELD (- ignores the column)\n"
	  "  --tag TAG         tag every imported contact\n"
	  "  --format csv|tsv  the input format (default: detected)\n" },
	{ "export", cmd_export, "export [list options]", "write contacts with every field",
	  "  takes the options of list; default fields are all of them\n" },
	{ "history", cmd_history, "history CONTACT | history --since DATE", "show changes",
	  "  --since DATE      changes since DATE (ISO 8601 or -7d, today, ...)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-contact", "Contacts: add, find, tag, import and export.",
			commands);
}
