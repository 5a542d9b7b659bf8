/* contact_export.h - what `crm-contact list` and `export` write: the
 * contacts of a query, with its columns, else every column (export) or
 * the listing's default ones (list), as vCards or in a listing format. */
#ifndef CRM_CONTACT_EXPORT_H
#define CRM_CONTACT_EXPORT_H

#include <stdio.h>

struct crm_contact_query;
struct crm_err;
struct crm_out_opts;
struct crm_store;

/* The columns of list when none are asked for. */
#define CRM_CONTACT_LIST_COLUMNS "id,first_name,last_name,email,phone,company,status"

/* Writes the contacts of q to fp: as vCards of version vcard (3 or 4),
 * or with vcard 0 in the format of opts. A query without columns gets
 * every column (all 1: standard fields, tags, emails, phones, every
 * custom field) or CRM_CONTACT_LIST_COLUMNS (all 0). *n is how many
 * contacts were written. Returns 0, or an exit code with e set. */
int crm_contact_write(struct crm_store *s, struct crm_contact_query *q, int all, int vcard,
		      FILE *fp, const struct crm_out_opts *opts, unsigned long *n,
		      struct crm_err *e);

/* export --subject: everything the store holds about the contact ref
 * names, as one JSON document (privacy.h), to fp. Returns 0, or an exit
 * code with e set (CRM_EX_NOTFOUND: no such contact). */
int crm_contact_export_subject(struct crm_store *s, const char *ref, FILE *fp,
			       struct crm_err *e);

#endif
