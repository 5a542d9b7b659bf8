/* contact_show.h - one contact with every field, as `crm-contact show`
 * writes it: in a table, one field and value a line (the fields with a
 * value); in tsv, csv or jsonl, one row with every column, as export
 * would write that contact. */
#ifndef CRM_CONTACT_SHOW_H
#define CRM_CONTACT_SHOW_H

#include <stdio.h>

struct crm_err;
struct crm_out_opts;
struct crm_store;

/* Writes the contact ref names (an id, uid or email) to fp in the format
 * of opts. Nothing is written when the contact is not found. Returns 0,
 * or an exit code with e set: CRM_EX_NOTFOUND, 74 for a failed write, a
 * store error (75 busy, ...). */
int crm_contact_show(struct crm_store *s, const char *ref, FILE *fp,
		     const struct crm_out_opts *opts, struct crm_err *e);

#endif
