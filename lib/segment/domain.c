/* domain.c - what the segment domain registers (store/domain.h). */
#include "store/domain.h"

/* Nothing personal: an erased person stays in the snapshots and scores,
 * so counts stay right. Merge moves OTHER's memberships (one snapshot
 * holding both keeps KEEP's) and drops OTHER's scores, which were
 * computed from OTHER alone. */
static const struct crm_contact_table segment_tables[] = {
	{ .table = "segment_members", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_REPOINT, .export = 1 },
	{ .table = "contact_rfm", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_DROP, .export = 1 },
	{ .table = "contact_clusters", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_DROP, .export = 1 },
};

const struct crm_domain crm_segment_domain = {
	.name = "segment",
	.tables = segment_tables,
	.ntables = sizeof(segment_tables) / sizeof(segment_tables[0]),
};
