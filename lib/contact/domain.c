/* domain.c - what the contact domain registers (store/domain.h). */
#include "store/domain.h"

/* The contact's own history on its timeline (crm-log timeline --changes):
 * every change to the record, and for a contact an import created, that
 * import's one row (history_imports, migration 0007), unless the contact
 * was erased. */
static const struct crm_timeline_source contact_timeline[] = {
	{ "history", 1,
	  "SELECT at, 'change', id, NULL, NULL, action, coalesce(field, '') ||"
	  " coalesce(': ' || old_value, '') || coalesce(' -> ' || new_value, ''), who,"
	  " NULL, NULL FROM history WHERE entity = 'contact' AND entity_id = ?1"
	  " UNION ALL SELECT h.at, 'change', h.id, NULL, NULL, 'create', '', h.who, NULL, NULL"
	  " FROM history_imports r, history h WHERE h.id = r.history_id"
	  " AND r.first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
	  " AND r.last_id >= ?1 AND NOT EXISTS"
	  " (SELECT 1 FROM contacts c WHERE c.id = ?1 AND c.erased_at IS NOT NULL)" },
};

const struct crm_domain crm_contact_domain = {
	.name = "contact",
	.timeline = contact_timeline,
	.ntimeline = sizeof(contact_timeline) / sizeof(contact_timeline[0]),
};
