/* contact_listing.h - the small listings of crm-contact: tags with their
 * counts, one contact's tags, one contact's emails or phones. Each is a
 * bound statement, not yet stepped, for crm_print_query (the store's
 * cache owns it); the column names below go with it. */
#ifndef CRM_CONTACT_LISTING_H
#define CRM_CONTACT_LISTING_H

#include <stdint.h>

struct crm_store;
struct crm_stmt;

/* id 0: tag, contacts (how many have it) for every tag; else tag, 1 for
 * each of contact id's tags. By tag. */
extern const char *const crm_contact_tags_columns[2];
struct crm_stmt *crm_contact_tags_stmt(struct crm_store *s, int64_t id);

/* contact, value, type, primary ("yes" or "no") for each of contact id's
 * emails (phone 0) or phones (phone 1): the primary one first, then the
 * others in the order they were added. */
extern const char *const crm_contact_details_columns[4];
struct crm_stmt *crm_contact_details_stmt(struct crm_store *s, int64_t id, int phone);

#endif
