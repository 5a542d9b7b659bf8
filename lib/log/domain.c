/* domain.c - what the log domain registers (store/domain.h). */
#include "store/domain.h"

/* An erased person's interactions stay for counts and sums (purchases
 * are interactions too) without their text or key; the columns an import
 * kept with them may be anything and go; order lines keep product,
 * quantity and price but not their description. Merge moves them all. */
static const char *const interaction_personal[] = {
	"subject", "body", "outcome", "ext_key", NULL
};
static const char *const line_personal[] = { "description", NULL };

static const struct crm_contact_table log_tables[] = {
	{ .table = "interactions", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = interaction_personal, .merge = CRM_MERGE_REPOINT, .export = 1 },
	{ .table = "interaction_attrs", .parent = "interactions", .parent_key = "interaction_id",
	  .erase = CRM_ERASE_DELETE, .merge = CRM_MERGE_PARENT, .export = 1,
	  .export_order = "interaction_id, name" },
	{ .table = "interaction_lines", .parent = "interactions", .parent_key = "interaction_id",
	  .erase = CRM_ERASE_CLEAR, .personal = line_personal, .merge = CRM_MERGE_PARENT,
	  .export = 1, .export_order = "interaction_id, line" },
};

const struct crm_domain crm_log_domain = {
	.name = "log",
	.tables = log_tables,
	.ntables = sizeof(log_tables) / sizeof(log_tables[0]),
};
