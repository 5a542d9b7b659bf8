/* merge.h - merging duplicate contacts into one.
 *
 * KEEP's values win; its empty fields are filled from OTHER; an opt-out
 * on either side stays an opt-out; the earlier created_at is kept. Tags,
 * custom fields (KEEP's win), emails and phones are united (OTHER's primary
 * ones become KEEP's other ones, or its primary ones where KEEP has none).
 * Every row in any table that points at OTHER (interactions, segment
 * members, and whatever later programs add) is repointed to KEEP; scores
 * derived from OTHER (RFM, clusters) are dropped. History records each
 * value taken, with a note naming the contact it came from, and
 * contact_merges the merge itself (OTHER's history up to it belongs to
 * KEEP's person; OTHER's own merge rows are repointed to KEEP like any
 * other). All inside the caller's transaction.
 */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include <stdint.h>

struct crm_err;
struct crm_store;

/* *taken is the number of values KEEP got from OTHER. */
int crm_contact_merge(struct crm_store *s, int64_t keep, int64_t other,
		      int *taken, struct crm_err *e);

/* Calls fn for every table other than contacts with a contact_id column
 * (names are from the schema and safe to put in SQL). */
int crm_contact_tables(struct crm_store *s,
		       int (*fn)(void *ctx, const char *table, struct crm_err *e),
		       void *ctx, struct crm_err *e);

#endif
