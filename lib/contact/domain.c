/* domain.c - what the contact domain registers (store/domain.h). */
#include "store/domain.h"

/* The contact's own details go with the person on erase; merge unites
 * them (KEEP's custom field wins), emails and phones value by value
 * (merge.c). contact_merges says whose history is whose: erase deletes
 * that history before it (privacy.c). An erasure is recorded by id alone. */
static const struct crm_contact_table contact_tables[] = {
	{ .table = "contact_fields", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1 },
	{ .table = "contact_tags", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1 },
	{ .table = "contact_emails", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_OWN, .export = 1 },
	{ .table = "contact_phones", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_OWN, .export = 1 },
	{ .table = "contact_merges", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1 },
	{ .table = "erasures", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_REPOINT, .export = 1 },
};

const struct crm_domain crm_contact_domain = {
	.name = "contact",
	.tables = contact_tables,
	.ntables = sizeof(contact_tables) / sizeof(contact_tables[0]),
};
