/* contact_vcard.h - contacts to and from vCard (vcard.h does the format).
 *
 * Import reads each card as a row of a table with the columns below, so a
 * vCard file goes through the same import as a CSV file: field mapping,
 * validation, rejects, --strict, --dry-run, upsert on uid or email.
 *
 *   uid first_name last_name name email emails phone phones company title
 *   address city region postal_code country birthdate gender language
 *   tags note url other_addresses
 *
 * The preferred (else the first) email, phone and address are the
 * primary ones; the others go to emails and phones with their types
 * (work, home, mobile, other), further addresses to other_addresses.
 * CATEGORIES become tags (spaces turned into '-'). NOTE and URL become the
 * custom fields note and url.
 *
 * Export writes what the store holds back the same way, so a round trip
 * keeps every field a vCard can hold.
 */
#ifndef CRM_CONTACT_VCARD_H
#define CRM_CONTACT_VCARD_H

#include <stdio.h>

struct crm_batch_source;
struct crm_csv_row;
struct crm_err;
struct crm_store;
struct crm_contact_query;

struct crm_vcard_rows;

/* Reads cards from fp; the first row is the header above. */
struct crm_vcard_rows *crm_vcard_rows_open(FILE *fp, const char *name);
/* 1 with *row, 0 at the end, CRM_EX_IOERR with e set. */
int crm_vcard_rows_next(struct crm_vcard_rows *r, struct crm_csv_row *row,
			struct crm_err *e);
unsigned long long crm_vcard_rows_offset(const struct crm_vcard_rows *r);
void crm_vcard_rows_close(struct crm_vcard_rows *r);

/* 1 if the file starts (after a BOM and blank lines) with BEGIN:VCARD;
 * fp must be seekable; it is left where it was. */
int crm_vcard_detect(FILE *fp);

/* The vCard reader above for the batch driver (cli/batch.h): an import
 * sets opts.source to it, and use_source to 1 (--format vcard) or -1
 * (when the file starts with BEGIN:VCARD). */
extern const struct crm_batch_source crm_contact_vcard_source;

/* Writes the contacts of q (its columns are replaced) as vCard version 3
 * (3.0) or 4 (4.0). */
int crm_contact_vcard_export(struct crm_store *s, struct crm_contact_query *q,
			     int version, FILE *out, unsigned long *n,
			     struct crm_err *e);

#endif
