/* crm-contact - contacts: add, show, edit, rm, list, tag, import, export,
 * history. See crm-contact(1). Argument parsing and output; the work is
 * in lib/contact/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/phone.h"
#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "contact/contact_each.h"
#include "contact/contact_export.h"
#include "contact/contact_history.h"
#include "contact/contact_import.h"
#include "contact/contact_import_options.h"
#include "contact/contact_listing.h"
#include "contact/contact_options.h"
#include "contact/contact_query.h"
#include "contact/contact_show.h"
#include "contact/contact_vcard.h"
#include "contact/dupes.h"
#include "contact/dupes_run.h"
#include "contact/merge_pairs.h"
#include "contact/privacy.h"
#include "io/csvio.h"
#include "io/output.h"
#include "store/store.h"

enum {
	OPT_SINCE = 0x3000,
	OPT_TYPE,
	OPT_PRIMARY,
	OPT_REGION,
	OPT_FROM,
	OPT_SUBJECT,
	OPT_IO_FORMAT,
	OPT_VCARD_VERSION,
};

/* ---- add and edit ---------------------------------------------------- */

/* Applies FIELD=VALUE operands to c. */
static int set_pairs(struct crm *crm, struct crm_contact *c, int argc,
		     char **argv, int64_t now)
{
	struct crm_err e = { 0, "" };

	for (int i = 0; i < argc; i++) {
		int rc = crm_contact_set_pair(c, argv[i], now, &e);

		if (rc < 0)
			return crm_usage_error(crm, "expected FIELD=VALUE, not \"%s\"", argv[i]);
		if (rc != 0)
			return crm_report(crm, &e);
	}
	return 0;
}

/* The options of add, or with --unset of edit; returns 0, or an exit
 * code. */
static int contact_options(struct crm *crm, int argc, char **argv, int edit,
			   struct crm_contact *c, int64_t now)
{
	static const struct option add_opts[] = {
		CRM_CONTACT_OPT_TAG_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	static const struct option edit_opts[] = {
		CRM_CONTACT_OPT_TAG_LONGOPT,
		CRM_CONTACT_OPT_UNSET_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact_field_options fo;
	const struct option *opts = crm_contact_field_options(&fo, edit ? edit_opts : add_opts);
	struct crm_err e = { 0, "" };
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		rc = opt == '?' ? -1 : crm_contact_option(c, opt, optarg, now, &e);
		if (rc != 0)
			return rc < 0 ? CRM_EX_USAGE : crm_report(crm, &e);
	}
	return 0;
}

static int cmd_add(int argc, char **argv, struct crm *crm)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id, now = crm_now();
	int rc;

	crm_contact_init(&c);
	rc = contact_options(crm, argc, argv, 0, &c, now);
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
	rc = crm_finish_tx(crm, s, rc, &e);
out:
	crm_contact_free(&c);
	return rc;
}

static int cmd_edit(int argc, char **argv, struct crm *crm)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int64_t id, now = crm_now();
	int rc, changed = 0;

	crm_contact_init(&c);
	rc = contact_options(crm, argc, argv, 1, &c, now);
	if (rc == 0 && c.v[CRM_CF_CREATED_AT] != NULL)
		rc = crm_usage_error(crm, "created_at cannot be changed");
	if (rc == 0 && optind >= argc)
		rc = crm_usage_error(crm, "which contact? give an id, uid or email");
	if (rc == 0)
		rc = set_pairs(crm, &c, argc - optind - 1, argv + optind + 1, now);
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
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && crm->verbose)
		crm_warn(crm, "%d change%s", changed, changed == 1 ? "" : "s");
out:
	crm_contact_free(&c);
	return rc;
}

/* ---- show, list, export ------------------------------------------------ */

static int cmd_show(int argc, char **argv, struct crm *crm)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc;

	s = crm_command_begin(crm, argc, argv, 1, 1,
			      "give one contact: an id, uid or email", CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	rc = crm_contact_show(s, argv[optind], stdout, &crm->out, &e);
	return rc == 0 ? 0 : crm_report(crm, &e);
}

static const struct option list_longopts[] = {
	CRM_CONTACT_QUERY_LONGOPTS,
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ "format", required_argument, NULL, OPT_IO_FORMAT },
	{ "vcard-version", required_argument, NULL, OPT_VCARD_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* --format and --vcard-version of list and export: 0, or 64 after the
 * message. *vcard becomes the vCard version (export only). */
static int list_format(struct crm *crm, int opt, const char *arg, int export, int *vcard)
{
	if (opt == OPT_IO_FORMAT && export && strcmp(arg, "vcard") == 0) {
		*vcard = *vcard == 0 ? 4 : *vcard;
	} else if (opt == OPT_IO_FORMAT) {
		if (crm_format_parse(arg, &crm->out.format) != 0)
			return crm_usage_error(crm, "unknown format \"%s\" (use tsv, csv, jsonl or table%s)",
					       arg, export ? ", or vcard" : "");
	} else if (strcmp(arg, "3.0") == 0 || strcmp(arg, "3") == 0) {
		*vcard = 3;
	} else if (strcmp(arg, "4.0") == 0 || strcmp(arg, "4") == 0) {
		*vcard = 4;
	} else {
		return crm_usage_error(crm, "--vcard-version: 3.0 or 4.0, not \"%s\"", arg);
	}
	return 0;
}

/* list and export: the same query, different default columns. */
static int list_or_export(int argc, char **argv, struct crm *crm, int export)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	const char *subject = NULL;
	unsigned long n = 0;
	int rc = 0, opt, vcard = 0;

	crm_contact_query_init(&q);
	while ((opt = crm_getopt(crm, argc, argv, "", list_longopts)) != -1) {
		if (opt == OPT_SUBJECT && export)
			subject = optarg;
		else if (opt == OPT_IO_FORMAT || (opt == OPT_VCARD_VERSION && export))
			rc = list_format(crm, opt, optarg, export, &vcard);
		else if (opt == '?' || opt == OPT_SUBJECT || opt == OPT_VCARD_VERSION)
			rc = CRM_EX_USAGE;
		else if ((rc = crm_contact_query_option(&q, opt, optarg, crm_now(), &e)) != 0)
			rc = crm_finish_option(crm, rc, &e);
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
	/* --subject: everything about one person, as JSON. */
	rc = subject != NULL ? crm_contact_export_subject(s, subject, stdout, &e)
			     : crm_contact_write(s, &q, export, vcard, stdout, &crm->out, &n, &e);
	if (rc != 0)
		rc = crm_report(crm, &e);
	else if (!export && subject == NULL && n == 0)
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

/* Asks on the terminal: 0 yes, 1 no, or an exit code with e set. */
static int confirm(struct crm *crm, struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct crm_buf label = CRM_BUF_INIT;
	char answer[16];
	int rc;

	rc = crm_contact_label(s, id, &label, e);
	if (rc != 0) {
		crm_buf_free(&label);
		return rc;
	}
	fprintf(stderr, "%s: %s: %s contact %s? [y/N] ", crm->prog, crm->cmd,
		strcmp(crm->cmd, "erase") == 0 ? "erase all data of" : "delete",
		crm_buf_str(&label));
	crm_buf_free(&label);
	if (fgets(answer, sizeof(answer), stdin) == NULL)
		return 1;
	return answer[0] == 'y' || answer[0] == 'Y' ? 0 : 1;
}

/* rm on a terminal: "delete contact 12 Ann <ann@x.org>? [y/N]". */
static int rm_ask(void *ctx, int64_t id, struct crm_err *e)
{
	const struct crm_contact_each *w = ctx;

	return confirm(w->crm, w->store, id, e);
}

static int cmd_rm(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact_change ch = { NULL, NULL, 0, 0, 0 };
	struct crm_contact_each w = { crm, NULL, NULL, crm_contact_change_delete, &ch };
	int rc, opt, force = 0;

	while ((opt = crm_getopt(crm, argc, argv, "f", opts)) != -1) {
		if (opt == 'f')
			force = 1;
		else if (opt == OPT_FROM)
			w.from = optarg;
		else
			return CRM_EX_USAGE;
	}
	if (optind >= argc && w.from == NULL)
		return crm_usage_error(crm, "which contacts? give ids, uids or emails, - or --from FILE for a stream");
	if (w.from != NULL && !force)
		return crm_usage_error(crm, "deleting a stream from a file needs --force");
	for (int i = optind; i < argc && !force; i++)
		if (strcmp(argv[i], "-") == 0)
			return crm_usage_error(crm, "deleting a stream from stdin needs --force");
	if (!force && !isatty(STDIN_FILENO))
		return crm_usage_error(crm, "stdin is not a terminal: use --force to delete without asking");
	w.store = ch.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (w.store == NULL)
		return rc;
	if (force)
		rc = crm_contact_each(&w, argc - optind, argv + optind);
	else
		rc = crm_contact_each_asked(&w, argc - optind, argv + optind, rm_ask, &w);
	if (crm->verbose)
		crm_warn(crm, "%lu deleted", ch.done);
	return rc;
}

/* tag list [CONTACT]: every tag with its count, or one contact's. */
static int tag_list(struct crm *crm, struct crm_store *s, const char *ref)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	if (ref != NULL && crm_contact_resolve(s, ref, &id, &e) != 0)
		return crm_report(crm, &e);
	return crm_print_query(crm, s, crm_contact_tags_stmt(s, id), 2, crm_contact_tags_columns,
			       " n");
}

static int cmd_tag(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact_change ch = { NULL, NULL, 0, 0, 0 };
	struct crm_contact_each w = { crm, NULL, NULL, crm_contact_change_tags, &ch };
	struct crm_err e = { 0, "" };
	const char *verb;
	int rc, opt, first_tag;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt != OPT_FROM)
			return CRM_EX_USAGE;
		w.from = optarg;
	}
	if (optind >= argc)
		return crm_usage_error(crm, "give add, rm or list");
	verb = argv[optind];
	if (strcmp(verb, "list") == 0) {
		if (argc - optind > 2)
			return crm_usage_error(crm, "tag list takes at most one contact");
		w.store = crm_store_get(crm, CRM_STORE_READ, &rc);
		return w.store == NULL ? rc : tag_list(crm, w.store, argv[optind + 1]);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "rm") != 0)
		return crm_usage_error(crm, "unknown tag command \"%s\" (use add, rm or list)", verb);
	/* With --from FILE the contacts are in the file: no contact operand. */
	first_tag = optind + (w.from != NULL ? 1 : 2);
	if (argc - first_tag < 1)
		return crm_usage_error(crm, "tag %s needs %sat least one tag", verb,
				       w.from != NULL ? "" : "a contact and ");
	ch.add = strcmp(verb, "add") == 0;
	ch.tags = argv + first_tag;
	ch.ntags = argc - first_tag;
	for (int i = 0; i < ch.ntags; i++)
		if (crm_contact_check_tag(ch.tags[i], &e) != 0)
			return crm_report(crm, &e);
	w.store = ch.store = crm_store_get(crm, CRM_STORE_WRITE, &rc);
	if (w.store == NULL)
		return rc;
	return crm_contact_each(&w, w.from != NULL ? 0 : 1, argv + optind + 1);
}

/* ---- history ------------------------------------------------------------ */

static int cmd_history(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
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
	if (optind < argc && crm_contact_history_subject(s, argv[optind], &id, &e) != 0)
		return crm_report(crm, &e);
	rc = crm_print_query(crm, s, crm_contact_history_stmt(s, id, since_text),
			     CRM_CONTACT_HISTORY_NCOLS, crm_contact_history_columns,
			     CRM_CONTACT_HISTORY_NUMERIC);
	if (rc == CRM_EX_NOTFOUND && id != 0)
		return crm_fail(crm, CRM_EX_NOTFOUND, "no history for contact %lld", (long long)id);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

static int cmd_import(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		CRM_BATCH_LONGOPTS,
		CRM_CONTACT_IMPORT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_batch_opts bo = { .format = CRM_CSV_AUTO, .source = &crm_contact_vcard_source,
				     .use_source = -1 };
	struct crm_contact_import ic;
	struct crm_contact_import_args args = { &ic, &bo, { 0 } };
	struct crm_batch_counts counts;
	struct crm_err e = { 0, "" };
	int rc = 0, opt;

	crm_contact_import_init(&ic, crm);
	while ((opt = crm_getopt(crm, argc, argv, "n", opts)) != -1) {
		if (crm_batch_option(&bo, opt, optarg))
			continue;
		rc = opt == '?' ? -1 : crm_contact_import_option(&args, opt, optarg, &e);
		if (rc != 0) {
			rc = crm_finish_option(crm, rc, &e);
			goto out;
		}
	}
	if (argc - optind != 1) {
		rc = crm_usage_error(crm, "give one input file, or - for stdin");
		goto out;
	}
	bo.path = argv[optind];
	if (crm_contact_import_format(crm->out.format, &bo, &e) != 0) {
		rc = crm_usage_error(crm, "%s", e.msg);
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

/* --default-region R (else $CRM_REGION): none, or a region crm knows. */
static int check_region(struct crm *crm, const char *region)
{
	if (region == NULL || region[0] == '\0' || crm_phone_country_code(region) != NULL)
		return 0;
	return crm_usage_error(crm, "--default-region: unknown region \"%s\" (use an ISO code such as NL)",
			       region);
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
	if ((rc = check_region(crm, region)) != 0)
		return rc;
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
	if (strcmp(verb, "list") == 0) {
		rc = crm_print_query(crm, s, crm_contact_details_stmt(s, id, phone), 4,
				     crm_contact_details_columns, "n");
		return rc == CRM_EX_NOTFOUND ? 0 : rc;
	}
	rc = crm_store_begin(s, &e);
	if (rc == 0 && verb[0] == 'a')
		rc = phone ? crm_contact_add_phone(s, id, argv[optind + 2], type, primary, region, &e)
			   : crm_contact_add_email(s, id, argv[optind + 2], type, primary, &e);
	else if (rc == 0)
		rc = phone ? crm_contact_remove_phone(s, id, argv[optind + 2], &e)
			   : crm_contact_remove_email(s, id, argv[optind + 2], &e);
	return crm_finish_tx(crm, s, rc, &e);
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

/* With -v, one line for each block split on its second key. */
static void dupes_split(void *ctx, const char *reason, const char *key, size_t n, size_t parts)
{
	const struct crm *crm = ctx;

	if (crm->verbose && !crm->quiet)
		crm_warn(crm, "block \"%s\" (%s) of %zu contacts split into %zu parts",
			 key, reason, n, parts);
}

static int cmd_dupes(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "default-region", required_argument, NULL, OPT_REGION },
		CRM_DUPES_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_dupes_opts o = { getenv("CRM_REGION"), 0.45, CRM_DUPES_MAX_BLOCK, NULL,
				    dupes_split, crm };
	struct crm_dupes_stats stats;
	struct crm_store *s;
	struct crm_out *out;
	int opt, rc;

	while ((opt = crm_getopt(crm, argc, argv, "", opts)) != -1) {
		if (opt == OPT_REGION)
			o.region = optarg;
		else if ((rc = crm_dupes_option(&o, opt, optarg, &e)) != 0)
			return crm_finish_option(crm, rc, &e);
	}
	if (optind < argc)
		return crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
	if ((rc = check_region(crm, o.region)) != 0)
		return rc;
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	out = crm_out_open(stdout, &crm->out);
	crm_stage(crm, "comparing emails, phones and names...");
	rc = crm_dupes_write(s, &o, out, &stats, &e);
	crm_stage_done(crm);
	rc = crm_finish_output(crm, out, rc, &e);
	if (rc != 0)
		return rc;
	for (int pass = 0; pass < 5 && !crm->quiet; pass++)
		if (stats.split[pass] > 0)
			crm_warn(crm, "%zu block%s of more than %zu contacts (%s) split on %s",
				 stats.split[pass], stats.split[pass] == 1 ? "" : "s", o.max_block,
				 crm_dupes_pass_reason(pass), crm_dupes_pass_second(pass));
	return stats.pairs == 0 ? CRM_EX_NOTFOUND : 0;
}

/* A pair naming a contact merged away already: said, and the run goes on. */
static void merge_skipped(void *ctx, const char *why)
{
	crm_warn(ctx, "%s: skipped", why);
}

static int cmd_merge(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_merge_pairs m = { NULL, merge_skipped, crm, 0, 0 };
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
		rc = crm_merge_pairs_from(&m, from, &e);
	for (int i = optind + 1; rc == 0 && from == NULL && i < argc; i++)
		rc = crm_merge_pair(&m, argv[optind], argv[i], &e);
	rc = crm_finish_tx(crm, m.store, rc, &e);
	if (rc != 0)
		return rc;
	if (crm->verbose || m.skipped_n > 0)
		crm_warn(crm, "%lu merged, %lu skipped", m.merged, m.skipped_n);
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
	if (rc == 0 && !force) {
		rc = confirm(crm, s, id, &e);
		if (rc == 1)
			return 0;
	}
	if (rc != 0)
		return crm_report(crm, &e);
	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = crm_privacy_erase(s, id, &e);
	rc = crm_finish_tx(crm, s, rc, &e);
	if (rc == 0 && crm_privacy_checkpoint(s, &e) != 0)
		rc = crm_report(crm, &e);
	if (rc == 0 && crm->verbose)
		crm_warn(crm, "contact %lld erased", (long long)id);
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
