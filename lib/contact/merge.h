/* merge.h - merging duplicate contacts into one.
 *
 * KEEP's values win; its empty fields are filled from OTHER; an opt-out
 * on either side stays an opt-out; the earlier created_at is kept. Tags,
 * custom fields (KEEP's win), emails and phones are united (OTHER's primary
 * ones become KEEP's other ones, or its primary ones where KEEP has none).
 * Every row in any table that points at OTHER is dealt with as its
 * domain registered it (struct crm_contact_table, store/domain.h):
 * repointed to KEEP (interactions, segment members, ...), or dropped when
 * derived from OTHER (RFM, clusters); a table no domain registers, such
 * as a newer program's, is repointed. History records each
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

#endif
