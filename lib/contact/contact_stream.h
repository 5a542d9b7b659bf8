/* contact_stream.h - reading a contact stream: CSV or TSV with an id, uid
 * or email column (DESIGN.md), such as `crm-contact list` or
 * `crm-segment run` write, so that programs can be piped together. */
#ifndef CRM_CONTACT_STREAM_H
#define CRM_CONTACT_STREAM_H

#include <stdint.h>
#include <stdio.h>

struct crm;
struct crm_err;
struct crm_store;

/* Calls fn(ctx, id) for each contact of the stream in fp, found by its id
 * column, else uid, else email. A row naming no known contact is reported
 * on stderr and skipped. Returns 0; 1 if some row named no contact;
 * 65 if the stream has no id, uid or email column; fn's own non-zero
 * code (after printing e); 74 on a read error. */
int crm_contact_stream(struct crm *crm, struct crm_store *s, FILE *fp,
		       const char *name,
		       int (*fn)(void *ctx, int64_t id, struct crm_err *e),
		       void *ctx);

#endif
