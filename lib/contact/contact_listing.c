/* contact_listing.c - tags, emails and phones as listings. */
#include "contact/contact_listing.h"

#include "store/store.h"

const char *const crm_contact_tags_columns[2] = { "tag", "contacts" };
const char *const crm_contact_details_columns[4] = { "contact", "value", "type", "primary" };

struct crm_stmt *crm_contact_tags_stmt(struct crm_store *s, int64_t id)
{
	struct crm_stmt *st;

	if (id == 0)
		return crm_store_prepare(s,
			"SELECT tag, count(*) FROM contact_tags GROUP BY tag ORDER BY tag");
	st = crm_store_prepare(s, "SELECT tag, 1 FROM contact_tags WHERE contact_id = ?1 ORDER BY tag");
	crm_bind_int64(st, 1, id);
	return st;
}

struct crm_stmt *crm_contact_details_stmt(struct crm_store *s, int64_t id, int phone)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "SELECT id, phone, NULL, 'yes', 0 FROM contacts WHERE id = ?1 AND phone IS NOT NULL"
		  " UNION ALL SELECT contact_id, phone, type, 'no', id FROM contact_phones"
		  " WHERE contact_id = ?1 ORDER BY 5"
		: "SELECT id, email, NULL, 'yes', 0 FROM contacts WHERE id = ?1 AND email IS NOT NULL"
		  " UNION ALL SELECT contact_id, email, type, 'no', id FROM contact_emails"
		  " WHERE contact_id = ?1 ORDER BY 5");

	crm_bind_int64(st, 1, id);
	return st;
}
