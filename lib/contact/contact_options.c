/* contact_options.c - the options of contact fields and listings. */
#include "contact/contact_options.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/num.h"
#include "base/xalloc.h"
#include "contact/contact_query.h"

const struct option *crm_contact_field_options(struct crm_contact_field_options *fo,
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
		fo->opts[n].val = CRM_CONTACT_OPT_FIELD + f;
		n++;
	}
	for (size_t i = 0; extra != NULL && extra->name != NULL && i < 7; extra++, i++)
		fo->opts[n++] = *extra;
	memset(&fo->opts[n], 0, sizeof(fo->opts[n]));
	return fo->opts;
}

int crm_contact_option(struct crm_contact *c, int opt, const char *arg, int64_t now,
		       struct crm_err *e)
{
	if (opt >= CRM_CONTACT_OPT_FIELD && opt < CRM_CONTACT_OPT_FIELD + CRM_CONTACT_NFIELDS)
		return crm_contact_set(c, opt - CRM_CONTACT_OPT_FIELD, arg, now, e);
	if (opt == CRM_CONTACT_OPT_ADD_TAG)
		return crm_contact_add_tags(c, arg, e);
	if (opt == CRM_CONTACT_OPT_UNSET)
		return crm_contact_set_named(c, arg, NULL, now, e);
	return -1;
}

int crm_contact_set_pair(struct crm_contact *c, const char *arg, int64_t now,
			 struct crm_err *e)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int rc;

	if (eq == NULL || eq == arg)
		return -1;
	name = xstrndup(arg, (size_t)(eq - arg));
	rc = crm_contact_set_named(c, name, eq + 1, now, e);
	free(name);
	return rc;
}

int crm_contact_query_option(struct crm_contact_query *q, int opt, const char *arg,
			     int64_t now, struct crm_err *e)
{
	const char *why;
	int rc = 0;

	switch (opt) {
	case CRM_CONTACT_OPT_TAG:
		crm_contact_query_tag(q, arg);
		break;
	case CRM_CONTACT_OPT_SEARCH:
		free(q->search);
		q->search = xstrdup(arg);
		break;
	case CRM_CONTACT_OPT_WHERE:
		rc = crm_contact_query_where(q, arg, e);
		break;
	case CRM_CONTACT_OPT_SORT:
		rc = crm_contact_query_sort(q, arg, e);
		break;
	case CRM_CONTACT_OPT_FIELDS:
		rc = crm_contact_query_columns(q, arg, e);
		break;
	case CRM_CONTACT_OPT_FILTER:
		free(q->filter);
		q->filter = xstrdup(arg);
		q->now = now;
		break;
	case CRM_CONTACT_OPT_LIMIT:
		if (crm_parse_i64(arg, 1, INT64_MAX, &q->limit, &why) != 0)
			return crm_err_set(e, CRM_EX_USAGE, "--limit: %s number \"%s\"", why, arg);
		break;
	default:
		return -1;
	}
	if (rc != 0)
		e->code = CRM_EX_USAGE; /* every refusal here is the user's */
	return rc == 0 ? 0 : CRM_EX_USAGE;
}
