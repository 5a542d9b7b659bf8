/* crm-contact - contacts: add, show, edit, rm, list, tag, import, export,
 * history. See crm-contact(1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_import.h"
#include "contact/contact_query.h"
#include "contact/contact_stream.h"
#include "contact/contact_vcard.h"
#include "contact/contact_detail.h"
#include "contact/dupes.h"
#include "io/csvio.h"
#include "base/phone.h"
#include "contact/merge.h"
#include "contact/privacy.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/num.h"
#include "io/output.h"
#include "store/store.h"
#include "base/xalloc.h"

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
	OPT_DRY_RUN,
	OPT_ON_CONFLICT,
	OPT_KEY,
	OPT_MAP,
	OPT_SINCE,
	OPT_TYPE,
	OPT_PRIMARY,
	OPT_REGION,
	OPT_MIN_SCORE,
	OPT_FROM,
	OPT_SUBJECT,
	OPT_IO_FORMAT,
	OPT_VCARD_VERSION,
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
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		goto out;
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_contact_create(s, &c, &id, &e);
	if (rc == 0) {
		/* The id is printed before the commit: if it cannot be
		 * written, nothing is added (a retrying script makes no
		 * duplicate). */
		printf("%lld\n", (long long)id);
		rc = crm_flush_stdout(&e);
	}
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		rc = crm_report(crm, &e);
	}
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
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
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
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
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
	case OPT_WHERE + 0x100:
		free(q->filter);
		q->filter = xstrdup(arg);
		q->now = crm_now();
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
	{ "filter", required_argument, NULL, OPT_WHERE + 0x100 },
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ "format", required_argument, NULL, OPT_IO_FORMAT },
	{ "vcard-version", required_argument, NULL, OPT_VCARD_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* export --subject CONTACT: everything about one person, as JSON. */
static int export_subject(struct crm *crm, const char *ref)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int rc;

	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_contact_resolve(s, ref, &id, &e);
	if (rc == 0)
		rc = crm_privacy_export(s, id, stdout, &e);
	return rc == 0 ? 0 : crm_report(crm, &e);
}

/* list and export: the same query, different default columns. */
static int list_or_export(int argc, char **argv, struct crm *crm, int export)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	struct crm_out *out;
	const char *subject = NULL;
	unsigned long n = 0;
	int rc = 0, opt, vcard = 0;

	crm_contact_query_init(&q);
	while ((opt = crm_getopt(crm, argc, argv, "", query_longopts)) != -1) {
		if (opt == OPT_SUBJECT && export) {
			subject = optarg;
			continue;
		}
		if (opt == OPT_IO_FORMAT && export && strcmp(optarg, "vcard") == 0) {
			vcard = vcard == 0 ? 4 : vcard;
			continue;
		}
		if (opt == OPT_IO_FORMAT) {
			if (crm_format_parse(optarg, &crm->out.format) != 0) {
				rc = crm_usage_error(crm, "unknown format \"%s\" (use tsv, csv, jsonl or table%s)",
						     optarg, export ? ", or vcard" : "");
				goto out;
			}
			continue;
		}
		if (opt == OPT_VCARD_VERSION && export) {
			if (strcmp(optarg, "3.0") == 0 || strcmp(optarg, "3") == 0)
				vcard = 3;
			else if (strcmp(optarg, "4.0") == 0 || strcmp(optarg, "4") == 0)
				vcard = 4;
			else {
				rc = crm_usage_error(crm, "--vcard-version: 3.0 or 4.0, not \"%s\"", optarg);
				goto out;
			}
			continue;
		}
		rc = opt == '?' || opt == OPT_SUBJECT || opt == OPT_VCARD_VERSION
			? CRM_EX_USAGE : query_option(crm, &q, opt, optarg);
		if (rc != 0)
			goto out;
	}
	if (subject != NULL) {
		rc = optind < argc ? crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind])
				   : export_subject(crm, subject);
		goto out;
	}
	if (optind < argc) {
		rc = crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
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
	if (vcard != 0) {
		rc = crm_contact_vcard_export(s, &q, vcard, stdout, &n, &e);
		if (rc != 0)
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
	const char *from;     /* --from FILE: a contact stream in a file */
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

	FILE *from = NULL;

	if (ec->from != NULL) {
		from = fopen(ec->from, "r");
		if (from == NULL)
			return crm_fail(ec->crm, CRM_EX_NOINPUT, "cannot open %s: %s", ec->from,
					strerror(errno));
	}
	rc = crm_store_begin(ec->store, &e);
	if (rc != 0) {
		if (from != NULL)
			fclose(from);
		return crm_report(ec->crm, &e);
	}
	if (from != NULL) {
		rc = crm_contact_stream(ec->crm, ec->store, from, ec->from, each_stream_cb, ec);
		fclose(from);
		if (rc == CRM_EX_NOTFOUND) {
			missing = 1;
			rc = 0;
		} else if (rc != 0) {
			crm_store_rollback(ec->store);
			return rc;
		}
	}
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
	fprintf(stderr, "%s: %s: %s contact %s? [y/N] ", ec->crm->prog, ec->crm->cmd,
		strcmp(ec->crm->cmd, "erase") == 0 ? "erase all data of" : "delete",
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
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct each_ctx ec = { crm, NULL, rm_one, NULL, 0, 0, 0, 0, NULL };
	int rc, opt;

	while ((opt = crm_getopt(crm, argc, argv, "f", opts)) != -1) {
		if (opt == 'f')
			ec.force = 1;
		else if (opt == OPT_FROM)
			ec.from = optarg;
		else
			return CRM_EX_USAGE;
	}
	if (optind >= argc && ec.from == NULL)
		return crm_usage_error(crm, "which contacts? give ids, uids or emails, - or --from FILE for a stream");
	if (ec.from != NULL && !ec.force)
		return crm_usage_error(crm, "deleting a stream from a file needs --force");
	for (int i = optind; i < argc && !ec.force; i++)
		if (strcmp(argv[i], "-") == 0)
			return crm_usage_error(crm, "deleting a stream from stdin needs --force");
	if (!ec.force && !isatty(STDIN_FILENO))
		return crm_usage_error(crm, "stdin is not a terminal: use --force to delete without asking");
	ec.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
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
	static const char *const cols[] = { "tag", "contacts" };
	struct crm_err e = { 0, "" };
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (ref != NULL) {
		rc = crm_contact_resolve(s, ref, &id, &e);
		if (rc != 0)
			return crm_report(crm, &e);
		st = crm_store_prepare(s, "SELECT tag, 1 FROM contact_tags WHERE contact_id = ?1 ORDER BY tag");
		sqlite3_bind_int64(st, 1, id);
	} else {
		st = crm_store_prepare(s, "SELECT tag, count(*) FROM contact_tags GROUP BY tag ORDER BY tag");
	}
	return crm_print_query(crm, s, st, 2, cols, " n");
}

static int cmd_tag(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct each_ctx ec = { crm, NULL, tag_one, NULL, 0, 0, 0, 0, NULL };
	struct crm_err e = { 0, "" };
	int rc, opt, first_tag;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_FROM)
			return CRM_EX_USAGE;
		ec.from = optarg;
	}
	if (optind >= argc)
		return crm_usage_error(crm, "give add, rm or list");
	const char *verb = argv[optind];

	if (strcmp(verb, "list") == 0) {
		if (argc - optind > 2)
			return crm_usage_error(crm, "tag list takes at most one contact");
		ec.store = crm_store_get(crm, CRM_STORE_READ, &rc);
		return ec.store == NULL ? rc : tag_list(crm, ec.store, argv[optind + 1]);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "rm") != 0)
		return crm_usage_error(crm, "unknown tag command \"%s\" (use add, rm or list)", verb);
	/* With --from FILE the contacts are in the file: no contact operand. */
	first_tag = optind + (ec.from != NULL ? 1 : 2);
	if (argc - first_tag < 1)
		return crm_usage_error(crm, "tag %s needs %sat least one tag", verb,
				       ec.from != NULL ? "" : "a contact and ");
	ec.add = strcmp(verb, "add") == 0;
	ec.tags = argv + first_tag;
	ec.ntags = argc - first_tag;
	for (int i = 0; i < ec.ntags; i++)
		if (crm_contact_check_tag(ec.tags[i], &e) != 0)
			return crm_report(crm, &e);
	ec.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (ec.store == NULL)
		return rc;
	return for_each_contact(&ec, ec.from != NULL ? 0 : 1, argv + optind + 1);
}

/* ---- history ------------------------------------------------------------ */

static int cmd_history(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "at", "who", "contact", "action", "field", "old", "new", "note"
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	sqlite3_stmt *st;
	int64_t id = 0, since = 0;
	char since_text[32] = "";
	int rc, opt;

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
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
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
	/* The contacts an import created have no history row each but a
	 * range in history_imports (migration 0007): made lists them, the
	 * range holding ?1, or every range of an import since ?2. */
	st = crm_store_prepare(s,
		"WITH RECURSIVE made(cid, last, hid) AS ("
		" SELECT r.first_id, r.last_id, r.history_id FROM history_imports r, history h"
		"  WHERE ?1 = 0 AND h.id = r.history_id AND h.at >= ?2"
		" UNION ALL SELECT ?1, ?1, history_id FROM history_imports WHERE ?1 <> 0"
		"  AND first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
		"  AND last_id >= ?1"
		" UNION ALL SELECT cid + 1, last, hid FROM made WHERE cid < last)"
		" SELECT id, at, who, entity_id, action, field, old_value, new_value, note"
		" FROM history WHERE entity = 'contact' AND (?1 = 0 OR entity_id = ?1)"
		" AND at >= ?2"
		" UNION ALL SELECT h.id, h.at, h.who, m.cid, 'create', NULL, NULL, NULL, 'import ' || h.id"
		" FROM made m, history h WHERE h.id = m.hid AND h.at >= ?2 AND NOT EXISTS"
		" (SELECT 1 FROM contacts c WHERE c.id = m.cid AND c.erased_at IS NOT NULL)"
		" ORDER BY 1, 4");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, since_text, -1, SQLITE_STATIC);
	rc = crm_print_query(crm, s, st, 9, cols, "n  n");
	if (rc == CRM_EX_NOTFOUND && id != 0)
		return crm_fail(crm, CRM_EX_NOTFOUND, "no history for contact %lld", (long long)id);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

static int cmd_import(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		CRM_BATCH_LONGOPTS,
		{ "on-conflict", required_argument, NULL, OPT_ON_CONFLICT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "format", required_argument, NULL, OPT_IO_FORMAT },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_batch_opts bo = { .format = CRM_CSV_AUTO, .source = &crm_contact_vcard_source,
				     .use_source = -1 };
	struct crm_contact_import ic;
	struct crm_contact_key key;
	struct crm_batch_counts counts;
	struct crm_err e = { 0, "" };
	int rc = 0, opt;

	crm_contact_import_init(&ic, crm);
	while ((opt = crm_getopt(crm, argc, argv, "n", opts)) != -1) {
		if (crm_batch_option(&bo, opt, optarg))
			continue;
		switch (opt) {
		case OPT_ON_CONFLICT:
			if (strcmp(optarg, "update") != 0 && strcmp(optarg, "skip") != 0 &&
			    strcmp(optarg, "error") != 0)
				rc = crm_usage_error(crm, "--on-conflict: use update, skip or error, not \"%s\"", optarg);
			ic.on_conflict = optarg[0];
			break;
		case OPT_KEY:
			if (crm_contact_key_parse(optarg, &key, &e) != 0)
				rc = crm_usage_error(crm, "--key: %s", e.msg);
			else if (key.field == CRM_CF_ID)
				rc = crm_usage_error(crm, "--key: ids are the store's, not a key of a file");
			ic.key = &key;
			break;
		case OPT_MAP:
			if (strchr(optarg, '=') == NULL || optarg[0] == '=')
				rc = crm_usage_error(crm, "--map wants COLUMN=FIELD, not \"%s\"", optarg);
			ic.maps = xreallocarray(ic.maps, ic.nmaps + 1, sizeof(*ic.maps));
			ic.maps[ic.nmaps++] = optarg;
			break;
		case OPT_IO_FORMAT:
			if (strcmp(optarg, "csv") == 0) {
				bo.format = CRM_CSV_COMMA;
				bo.use_source = 0;
			} else if (strcmp(optarg, "tsv") == 0) {
				bo.format = CRM_CSV_TAB;
				bo.use_source = 0;
			} else if (strcmp(optarg, "vcard") == 0) {
				bo.use_source = 1;
			} else {
				rc = crm_usage_error(crm, "--format for import is csv, tsv or vcard, not \"%s\"", optarg);
			}
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
		bo.use_source = 0;
		break;
	case CRM_FMT_TSV:
		bo.format = CRM_CSV_TAB;
		bo.use_source = 0;
		break;
	case CRM_FMT_DEFAULT:
		break;
	default:
		rc = crm_usage_error(crm, "--format for import is csv, tsv or vcard");
		goto out;
	}
	if (!crm->out.header)
		bo.no_header = 1; /* given before the command */
	rc = crm_batch_check(crm, &bo);
	if (rc != 0)
		goto out;
	ic.decimal = crm_batch_decimal(&bo);
	ic.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (ic.store == NULL)
		goto out;
	ic.date_format = bo.date_format;
	rc = crm_batch_run(crm, ic.store, &bo, &crm_contact_import_ops, &ic, &counts);
out:
	crm_contact_import_free(&ic);
	return rc;
}

/* ---- other emails and phones ---------------------------------------------- */

static int detail_list(struct crm *crm, struct crm_store *s, int64_t id, int phone)
{
	static const char *const cols[] = { "contact", "value", "type", "primary" };
	sqlite3_stmt *st = crm_store_prepare(s, phone
		? "SELECT id, phone, NULL, 'yes', 0 FROM contacts WHERE id = ?1 AND phone IS NOT NULL"
		  " UNION ALL SELECT contact_id, phone, type, 'no', id FROM contact_phones"
		  " WHERE contact_id = ?1 ORDER BY 5"
		: "SELECT id, email, NULL, 'yes', 0 FROM contacts WHERE id = ?1 AND email IS NOT NULL"
		  " UNION ALL SELECT contact_id, email, type, 'no', id FROM contact_emails"
		  " WHERE contact_id = ?1 ORDER BY 5");
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = crm_print_query(crm, s, st, 4, cols, "n");
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

/* email|phone add CONTACT VALUE [--type T] [--primary], rm CONTACT VALUE,
 * list CONTACT. */
static int details(int argc, char **argv, struct crm *crm, int phone)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "primary", no_argument, NULL, OPT_PRIMARY },
		{ "default-region", required_argument, NULL, OPT_REGION },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *verb, *region = getenv("CRM_REGION");
	char type[16] = "";
	int64_t id;
	int opt, rc, primary = 0;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_TYPE && crm_detail_type(optarg, type, &e) == 0)
			continue;
		else if (opt == OPT_TYPE)
			return crm_usage_error(crm, "%s", e.msg);
		else if (opt == OPT_PRIMARY)
			primary = 1;
		else if (opt == OPT_REGION)
			region = optarg;
		else
			return CRM_EX_USAGE;
	}
	if (region != NULL && region[0] != '\0' && crm_phone_country_code(region) == NULL)
		return crm_usage_error(crm, "--default-region: unknown region \"%s\" (use an ISO code such as NL)",
				       region);
	verb = optind < argc ? argv[optind] : "";
	if (!((strcmp(verb, "list") == 0 && argc - optind == 2) ||
	      ((strcmp(verb, "add") == 0 || strcmp(verb, "rm") == 0) && argc - optind == 3)))
		return crm_usage_error(crm, "give add CONTACT VALUE, rm CONTACT VALUE or list CONTACT");
	s = crm_store_get(crm, strcmp(verb, "list") == 0 ? CRM_STORE_READ : CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_contact_resolve(s, argv[optind + 1], &id, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	if (strcmp(verb, "list") == 0)
		return detail_list(crm, s, id, phone);
	rc = crm_store_begin(s, &e);
	if (rc == 0 && verb[0] == 'a')
		rc = phone ? crm_contact_add_phone(s, id, argv[optind + 2], type, primary, region, &e)
			   : crm_contact_add_email(s, id, argv[optind + 2], type, primary, &e);
	else if (rc == 0)
		rc = phone ? crm_contact_remove_phone(s, id, argv[optind + 2], &e)
			   : crm_contact_remove_email(s, id, argv[optind + 2], &e);
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	return 0;
}

static int cmd_email(int argc, char **argv, struct crm *crm)
{
	return details(argc, argv, crm, 0);
}

static int cmd_phone(int argc, char **argv, struct crm *crm)
{
	return details(argc, argv, crm, 1);
}

/* ---- duplicates and merging -------------------------------------------------- */

struct dupes_ctx {
	struct crm *crm;
	struct crm_out *out;
};

static int dupes_emit(void *ctx, const struct crm_dupe *d, struct crm_err *e)
{
	struct dupes_ctx *dc = ctx;
	char ka[32], kb[32], score[16];
	const char *vals[8];

	(void)e;
	snprintf(ka, sizeof(ka), "%lld", (long long)d->keep);
	snprintf(kb, sizeof(kb), "%lld", (long long)d->other);
	{
		/* "%.2f" by hand: printf's float path was 7% of a 1M-contact run. */
		long c = (long)(d->score * 100 + 0.5);

		score[0] = (char)('0' + c / 100);
		score[1] = '.';
		score[2] = (char)('0' + c / 10 % 10);
		score[3] = (char)('0' + c % 10);
		score[4] = '\0';
	}
	vals[0] = ka;
	vals[1] = kb;
	vals[2] = score;
	vals[3] = d->reason;
	vals[4] = d->keep_name;
	vals[5] = d->keep_email;
	vals[6] = d->other_name;
	vals[7] = d->other_email;
	crm_out_row(dc->out, vals);
	return 0;
}

/* With -v, one line for each block split on its second key. */
static void dupes_split(void *ctx, const char *reason, const char *key, size_t n, size_t parts)
{
	struct dupes_ctx *dc = ctx;

	if (dc->crm->verbose && !dc->crm->quiet)
		crm_warn(dc->crm, "block \"%s\" (%s) of %zu contacts split into %zu parts",
			 key, reason, n, parts);
}

static int cmd_dupes(int argc, char **argv, struct crm *crm)
{
	enum { OPT_MAX_BLOCK = 0x3800 }; /* dupes only, clear of the enum above */
	static const struct option opts[] = {
		{ "default-region", required_argument, NULL, OPT_REGION },
		{ "min-score", required_argument, NULL, OPT_MIN_SCORE },
		{ "max-block", required_argument, NULL, OPT_MAX_BLOCK },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"keep", "other", "score", "reason", "keep_name", "keep_email", "other_name", "other_email",
	};
	struct crm_err e = { 0, "" };
	struct crm_dupes_opts o = { getenv("CRM_REGION"), 0.45, CRM_DUPES_MAX_BLOCK, dupes_emit,
				    dupes_split, NULL };
	struct crm_dupes_stats stats;
	struct dupes_ctx dc = { crm, NULL };
	struct crm_store *s;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		char *end;

		if (opt == OPT_REGION) {
			o.region = optarg;
		} else if (opt == OPT_MIN_SCORE) {
			o.min_score = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || !(o.min_score >= 0 && o.min_score <= 1))
				return crm_usage_error(crm, "--min-score: a number from 0 to 1, not \"%s\"", optarg);
		} else if (opt == OPT_MAX_BLOCK) {
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || errno != 0 ||
			    v < 2 || v > 1000000)
				return crm_usage_error(crm, "--max-block: a number from 2 to 1000000, not \"%s\"",
						       optarg);
			o.max_block = (size_t)v;
		} else {
			return CRM_EX_USAGE;
		}
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	if (o.region != NULL && o.region[0] != '\0' && crm_phone_country_code(o.region) == NULL)
		return crm_usage_error(crm, "--default-region: unknown region \"%s\" (use an ISO code such as NL)",
				       o.region);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	dc.out = crm_out_open(stdout, &crm->out);
	crm_out_columns(dc.out, 8, cols);
	crm_out_numeric(dc.out, 0);
	crm_out_numeric(dc.out, 1);
	crm_out_numeric(dc.out, 2);
	o.ctx = &dc;
	crm_stage(crm, "comparing emails, phones and names...");
	rc = crm_dupes_scan(s, &o, &stats, &e);
	crm_stage_done(crm);
	if (rc != 0) {
		struct crm_err ignored = { 0, "" };

		crm_out_close(dc.out, &ignored);
		return crm_report(crm, &e);
	}
	if (crm_out_close(dc.out, &e) != 0)
		return crm_report(crm, &e);
	for (int pass = 0; pass < 5 && !crm->quiet; pass++)
		if (stats.split[pass] > 0)
			crm_warn(crm, "%zu block%s of more than %zu contacts (%s) split on %s",
				 stats.split[pass], stats.split[pass] == 1 ? "" : "s", o.max_block,
				 crm_dupes_pass_reason(pass), crm_dupes_pass_second(pass));
	return stats.pairs == 0 ? CRM_EX_NOTFOUND : 0;
}

struct merge_ctx {
	struct crm *crm;
	struct crm_store *store;
	unsigned long merged, skipped;
};

/* One pair; a contact already merged away is skipped with a warning. */
static int merge_pair(struct merge_ctx *m, const char *keep_ref, const char *other_ref,
		      struct crm_err *e)
{
	int64_t keep, other;
	int rc, taken;

	rc = crm_contact_resolve(m->store, keep_ref, &keep, e);
	if (rc == 0)
		rc = crm_contact_resolve(m->store, other_ref, &other, e);
	if (rc == CRM_EX_NOTFOUND) {
		crm_warn(m->crm, "%s: skipped", e->msg);
		m->skipped++;
		return 0;
	}
	if (rc == 0)
		rc = crm_contact_merge(m->store, keep, other, &taken, e);
	if (rc == 0)
		m->merged++;
	return rc;
}

static int merge_from(struct merge_ctx *m, const char *path, struct crm_err *e)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	int keep_col = -1, other_col = -1, rc;

	if (fp == NULL)
		return crm_err_set(e, CRM_EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
	if (fp == stdin)
		path = "<stdin>";
	r = crm_csv_open(fp, path, CRM_CSV_AUTO, 0);
	rc = crm_csv_next(r, &row, e);
	if (rc == 1 && row.error == NULL)
		for (size_t i = 0; i < row.nfields; i++) {
			if (strcmp(row.fields[i], "keep") == 0)
				keep_col = (int)i;
			else if (strcmp(row.fields[i], "other") == 0)
				other_col = (int)i;
		}
	if (rc == 1 && (keep_col < 0 || other_col < 0))
		rc = crm_err_set(e, CRM_EX_DATAERR, "%s: needs keep and other columns (as dupes writes)", path);
	else if (rc == 1)
		rc = 0;
	else if (rc == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "%s: empty input", path);
	while (rc == 0 && (rc = crm_csv_next(r, &row, e)) == 1) {
		if (row.error != NULL || (size_t)keep_col >= row.nfields || (size_t)other_col >= row.nfields) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s:%lu: %s", path, row.line,
					 row.error != NULL ? row.error : "missing keep or other");
			break;
		}
		rc = merge_pair(m, row.fields[keep_col], row.fields[other_col], e);
	}
	crm_csv_close(r);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

static int cmd_merge(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct merge_ctx m = { crm, NULL, 0, 0 };
	struct crm_err e = { 0, "" };
	const char *from = NULL;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_FROM)
			return CRM_EX_USAGE;
		from = optarg;
	}
	if ((from == NULL && argc - optind < 2) || (from != NULL && optind < argc))
		return crm_usage_error(crm, "give KEEP OTHER..., or --from FILE");
	m.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (m.store == NULL)
		return rc;
	/* One transaction: all pairs merge, or none. */
	rc = crm_store_begin(m.store, &e);
	if (rc == 0 && from != NULL)
		rc = merge_from(&m, from, &e);
	for (int i = optind + 1; rc == 0 && from == NULL && i < argc; i++)
		rc = merge_pair(&m, argv[optind], argv[i], &e);
	if (rc == 0)
		rc = crm_store_commit(m.store, &e);
	if (rc != 0) {
		crm_store_rollback(m.store);
		return crm_report(crm, &e);
	}
	if (crm->verbose || m.skipped > 0)
		crm_warn(crm, "%lu merged, %lu skipped", m.merged, m.skipped);
	return m.merged == 0 ? CRM_EX_NOTFOUND : 0;
}

/* ---- privacy requests ------------------------------------------------------------ */

static int cmd_erase(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id;
	int opt, rc, force = 0;

	while ((opt = crm_getopt(crm, argc, argv, "f", opts)) != -1) {
		if (opt != 'f')
			return CRM_EX_USAGE;
		force = 1;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, "give one contact: an id, uid or email");
	if (!force && !isatty(STDIN_FILENO))
		return crm_usage_error(crm, "stdin is not a terminal: use --force to erase without asking");
	s = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (s == NULL)
		return rc;
	rc = crm_contact_resolve(s, argv[optind], &id, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	if (!force) {
		struct each_ctx ec = { crm, s, NULL, NULL, 0, 0, 0, 0, NULL };

		rc = confirm(&ec, id, &e);
		if (rc == 1)
			return 0;
		if (rc != 0)
			return crm_report(crm, &e);
	}
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_privacy_erase(s, id, &e);
	if (rc == 0)
		rc = crm_store_commit(s, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		return crm_report(crm, &e);
	}
	rc = crm_privacy_checkpoint(s, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	if (crm->verbose)
		crm_warn(crm, "contact %lld erased", (long long)id);
	return 0;
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
	{ "rm", cmd_rm, "rm [-f] CONTACT...|- | rm -f --from FILE", "delete contacts",
	  "  -f, --force       do not ask (needed when stdin is not a terminal)\n"
	  "  -                 read a contact stream from stdin\n"
	  "  --from FILE       read a contact stream from FILE\n" },
	{ "list", cmd_list, "list [--tag TAG]... [--search TEXT] [--where FIELD=VALUE]... [--sort FIELDS] [--limit N] [--fields FIELDS]",
	  "list contacts",
	  "  --tag TAG         only contacts with this tag (repeat: all of them)\n"
	  "  --search TEXT     TEXT in the name, email or company\n"
	  "  --where F=V       field F equals V (V empty: F is empty)\n"
	  "  --sort FIELDS     order by fields, -FIELD for descending\n"
	  "  --limit N         at most N contacts\n"
	  "  --fields FIELDS   columns to show (standard fields, tags, emails,\n"
	  "                    phones, custom, any name of crm-filter(7):\n"
	  "                    purchases.total, rfm.segment, cluster, ...)\n"
	  "  --filter EXPR     a filter expression (crm-filter(7))\n" },
	{ "tag", cmd_tag, "tag add|rm CONTACT|- TAG... | tag add|rm --from FILE TAG... | tag list [CONTACT]",
	  "add, remove or list tags",
	  "  add CONTACT TAG...  tag a contact (- reads a contact stream)\n"
	  "  --from FILE         the contacts are the stream in FILE\n"
	  "  rm CONTACT TAG...   remove tags\n"
	  "  list [CONTACT]      all tags with counts, or one contact's tags\n" },
	{ "import", cmd_import, "import [options] FILE|-", "import contacts from CSV or TSV",
	  "  --rejects FILE    write rejected rows to FILE (CSV with line and reason)\n"
	  "  --strict          all or nothing: commit only if every row is good\n"
	  "  --no-resume       read from the top, not from where a killed run stopped\n"
	  "  -n, --dry-run     check everything, write nothing\n"
	  "  --on-conflict A   an existing email or uid: update (default), skip, error\n"
	  "  --key K           match contacts by K alone: email, uid, phone, field.NAME\n"
	  "  --map COL=FIELD   read column COL as FIELD (- ignores the column)\n"
	  "  --tag TAG         tag every imported contact\n"
	  "  --format csv|tsv|vcard\n"
	  "                    the input format (default: detected; a file that\n"
	  "                    starts with BEGIN:VCARD is read as vCard)\n"
	  "  --date-format FMT dates as the file writes them: %m/%d/%Y, %d.%m.%Y,\n"
	  "                    %Y%m%d ... (default ISO 8601; an Outlook export\n"
	  "                    %m/%d/%Y); times without an offset are local ($TZ)\n"
	  CRM_BATCH_INPUT_HELP },
	{ "export", cmd_export, "export [list options] | export --subject CONTACT",
	  "write contacts with every field",
	  "  takes the options of list; default fields are all of them\n"
	  "  --subject CONTACT   everything the store holds about one person, as JSON\n"
	  "  --format vcard      vCard 4.0 for address books (or any list format)\n"
	  "  --vcard-version V   3.0 for older address books\n" },
	{ "email", cmd_email, "email add|rm CONTACT EMAIL [--type T] [--primary] | email list CONTACT",
	  "a contact's emails",
	  "  add CONTACT EMAIL   add an email (--type work|home|mobile|other;\n"
	  "                      --primary makes it the one `email` shows)\n"
	  "  rm CONTACT EMAIL    remove one (the oldest other replaces a primary)\n"
	  "  list CONTACT        every email with its type\n" },
	{ "phone", cmd_phone, "phone add|rm CONTACT PHONE [--type T] [--primary] [--default-region R] | phone list CONTACT",
	  "a contact's phones",
	  "  as email; --default-region R (ISO code) gives national numbers\n"
	  "  their E.164 form\n" },
	{ "dupes", cmd_dupes, "dupes [--default-region R] [--min-score S] [--max-block N]",
	  "likely duplicates: pairs with a score and a reason",
	  "  --default-region R  region of national phone numbers (default $CRM_REGION)\n"
	  "  --min-score S       only pairs scoring at least S (0-1, default 0.45)\n"
	  "  --max-block N       split blocks of more than N contacts (default 1000)\n" },
	{ "merge", cmd_merge, "merge KEEP OTHER... | merge --from FILE",
	  "merge contacts into KEEP; every reference is repointed",
	  "  --from FILE         merge the keep/other pairs of FILE (dupes output)\n" },
	{ "erase", cmd_erase, "erase [-f] CONTACT",
	  "erase a person's data (privacy request)",
	  "  -f, --force         do not ask (needed when stdin is not a terminal)\n" },
	{ "history", cmd_history, "history CONTACT | history --since DATE", "show changes",
	  "  --since DATE      changes since DATE (ISO 8601 or -7d, today, ...)\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return crm_main(argc, argv, "crm-contact", "Contacts: add, find, tag, import and export.",
			commands);
}
