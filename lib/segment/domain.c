/* domain.c - what the segment domain registers (store/domain.h). */
#include "store/domain.h"

#include <stddef.h>

#include "filter/field.h"

/* ---- fields of the filter language (filter/field.h) ---------------------- */

#define RFM_WHERE " FROM contact_rfm WHERE contact_id = c.id)"

static const struct crm_filter_field fields[] = {
	{ "rfm.segment", CRM_FILTER_TEXT, "(SELECT segment" RFM_WHERE,
	  "rfm.segment\ttext\tRFM segment, once `crm-segment rfm` has run", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "rfm.r", CRM_FILTER_NUMBER, "(SELECT r" RFM_WHERE,
	  "rfm.r, rfm.f, rfm.m, rfm.score\tnumber\tRFM scores 1-5 (score: r+f+m)", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "rfm.f", CRM_FILTER_NUMBER, "(SELECT f" RFM_WHERE, NULL, NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "rfm.m", CRM_FILTER_NUMBER, "(SELECT m" RFM_WHERE, NULL, NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "rfm.score", CRM_FILTER_NUMBER, "(SELECT r + f + m" RFM_WHERE, NULL, NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "cluster", CRM_FILTER_NUMBER, "(SELECT cluster FROM contact_clusters WHERE contact_id = c.id)",
	  "cluster\tnumber\tcluster, once `crm-segment cluster` has run", NULL, NULL, 0, CRM_SCOPE_CONTACT },
};

/* ---- tables that name a contact: erase, merge, export (store/domain.h) ---- */

/* Nothing personal: an erased person stays in the snapshots and scores,
 * so counts stay right. Merge moves OTHER's memberships (one snapshot
 * holding both keeps KEEP's) and drops OTHER's scores, which were
 * computed from OTHER alone. */
static const struct crm_contact_table segment_tables[] = {
	{ .table = "segment_members", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "snapshot_id" },
	{ .table = "contact_rfm", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_DROP, .export = 1 },
	{ .table = "contact_clusters", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_DROP, .export = 1 },
};

const struct crm_domain crm_segment_domain = {
	.name = "segment",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.tables = segment_tables,
	.ntables = sizeof(segment_tables) / sizeof(segment_tables[0]),
};
