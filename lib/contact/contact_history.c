/* contact_history.c - the history of contacts, as `history` lists it. */
#include "contact/contact_history.h"

#include <stdint.h>

#include "base/err.h"
#include "base/num.h"
#include "contact/contact.h"
#include "store/store.h"

const char *const crm_contact_history_columns[CRM_CONTACT_HISTORY_NCOLS] = {
	"id", "at", "who", "contact", "action", "field", "old", "new", "note"
};

int crm_contact_history_subject(struct crm_store *s, const char *ref, int64_t *id,
				struct crm_err *e)
{
	const char *why;
	int rc = crm_contact_resolve(s, ref, id, e);

	if (rc != CRM_EX_NOTFOUND)
		return rc;
	/* Not in the store: a deleted contact's id still names its history. */
	return crm_parse_i64(ref, 1, INT64_MAX, id, &why) == 0 ? 0 : rc;
}

struct crm_stmt *crm_contact_history_stmt(struct crm_store *s, int64_t id, const char *since)
{
	/* The contacts an import created have no history row each but a
	 * range in history_imports: made lists them, the range holding ?1,
	 * or every range of an import since ?2. */
	struct crm_stmt *st = crm_store_prepare(s,
		"WITH RECURSIVE made(cid, last, hid) AS ("
		" SELECT r.first_id, r.last_id, r.history_id FROM history_imports r, history h"
		"  WHERE ?1 = 0 AND h.id = r.history_id AND h.at >= ?2"
		" UNION ALL SELECT ?1, ?1, history_id FROM history_imports WHERE ?1 <> 0"
		"  AND first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
		"  AND last_id >= ?1"
		" UNION ALL SELECT cid + 1, last, hid FROM made WHERE cid < last)"
		" SELECT id, at, who, entity_id, action, field, old_value, new_value, note"
		" FROM history WHERE entity = 'contact' AND (?1 = 0 OR entity_id = ?1)"
		" AND at >= ?2"
		" UNION ALL SELECT h.id, h.at, h.who, m.cid, 'create', NULL, NULL, NULL, 'import ' || h.id"
		" FROM made m, history h WHERE h.id = m.hid AND h.at >= ?2 AND NOT EXISTS"
		" (SELECT 1 FROM contacts c WHERE c.id = m.cid AND c.erased_at IS NOT NULL)"
		" ORDER BY 1, 4");

	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, since);
	return st;
}
