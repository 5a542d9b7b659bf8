/* contact_options.h - contacts on the command line, spelled alike by
 * every program: an option for each settable field (--first-name,
 * --email, ..., --created-at), as add and edit take them, and the
 * options that choose and shape a listing of contacts (--tag, --search,
 * --where, --sort, --limit, --fields, --filter), as list and export take
 * them. */
#ifndef CRM_CONTACT_OPTIONS_H
#define CRM_CONTACT_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

#include "contact/contact_field.h"

struct crm_contact;
struct crm_contact_query;
struct crm_err;

/* The getopt value of field f's option is CRM_CONTACT_OPT_FIELD + f. */
enum { CRM_CONTACT_OPT_FIELD = 0x2000 };

/* --tag TAG[,TAG] (add and edit) and --unset FIELD (edit), for the extra
 * options of crm_contact_field_options. */
enum { CRM_CONTACT_OPT_ADD_TAG = 0x2100, CRM_CONTACT_OPT_UNSET };
#define CRM_CONTACT_OPT_TAG_LONGOPT { "tag", required_argument, NULL, CRM_CONTACT_OPT_ADD_TAG }
#define CRM_CONTACT_OPT_UNSET_LONGOPT { "unset", required_argument, NULL, CRM_CONTACT_OPT_UNSET }

/* Room for every field's option, up to 7 extra ones, and the end. */
struct crm_contact_field_options {
	struct option opts[CRM_CONTACT_NFIELDS + 8];
	char names[CRM_CONTACT_NFIELDS][32];
};

/* Fills fo with --NAME (underscores as dashes) for each field that is not
 * read-only, then the options of extra (ended by a zeroed one; at most
 * 7), and returns fo->opts. */
const struct option *crm_contact_field_options(struct crm_contact_field_options *fo,
					       const struct option *extra);

/* Applies a field option, --tag or --unset to c (now anchors relative
 * dates). Returns 0; -1 if opt is none of them; an exit code with e set
 * for a value the field refuses (65). */
int crm_contact_option(struct crm_contact *c, int opt, const char *arg, int64_t now,
		       struct crm_err *e);

/* Applies an operand "FIELD=VALUE" (a standard or custom field; an empty
 * VALUE clears it) to c. Returns 0; -1 if arg is not of that shape; an
 * exit code with e set for a value the field refuses. */
int crm_contact_set_pair(struct crm_contact *c, const char *arg, int64_t now,
			 struct crm_err *e);

/* The listing options; put CRM_CONTACT_QUERY_LONGOPTS in the command's
 * option table and hand each option to crm_contact_query_option. */
enum {
	CRM_CONTACT_OPT_TAG = 0x4200,
	CRM_CONTACT_OPT_SEARCH,
	CRM_CONTACT_OPT_WHERE,
	CRM_CONTACT_OPT_SORT,
	CRM_CONTACT_OPT_LIMIT,
	CRM_CONTACT_OPT_FIELDS,
	CRM_CONTACT_OPT_FILTER,
};
#define CRM_CONTACT_QUERY_LONGOPTS \
	{ "tag", required_argument, NULL, CRM_CONTACT_OPT_TAG }, \
	{ "search", required_argument, NULL, CRM_CONTACT_OPT_SEARCH }, \
	{ "where", required_argument, NULL, CRM_CONTACT_OPT_WHERE }, \
	{ "sort", required_argument, NULL, CRM_CONTACT_OPT_SORT }, \
	{ "limit", required_argument, NULL, CRM_CONTACT_OPT_LIMIT }, \
	{ "fields", required_argument, NULL, CRM_CONTACT_OPT_FIELDS }, \
	{ "filter", required_argument, NULL, CRM_CONTACT_OPT_FILTER }

/* Applies option opt with its argument to q (arg is copied; --filter
 * anchors relative dates at now). Returns 0; -1 if opt is not one of
 * them; CRM_EX_USAGE with the message in e ("--limit: invalid number
 * \"x\"", an unknown field, ...). */
int crm_contact_query_option(struct crm_contact_query *q, int opt, const char *arg,
			     int64_t now, struct crm_err *e);

#endif
