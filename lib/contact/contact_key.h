/* contact_key.h - the field that identifies a contact in a file: the
 * upsert key of `crm-contact import --key FIELD` and the link of
 * `crm-log import --contact-key FIELD`.
 *
 * A key is id (lookups only), email, uid, phone or a custom field
 * (field.NAME). A value is
 * looked up by that key alone: a numeric uid or customer number is never
 * taken for a contact id. A custom field made a key is unique: the first
 * use creates a unique partial index on its values (contact_fields_key_NAME,
 * WHERE name = 'NAME'), and fails when two contacts share a value. A name
 * too long for PostgreSQL's 63-byte identifiers is cut and ended by a hash
 * of the whole name (crm_contact_key_index), the same on both backends.
 */
#ifndef CRM_CONTACT_KEY_H
#define CRM_CONTACT_KEY_H

#include <stdint.h>

struct crm_contact;
struct crm_err;
struct crm_store;

struct crm_contact_key {
	int field;           /* CRM_CF_ID, _EMAIL, _UID, _PHONE, or -1 */
	char name[72];       /* the custom field's name when field is -1 */
	char spec[80];       /* as the user wrote it, for messages */
};

/* The longest index name both backends keep whole (PostgreSQL's
 * NAMEDATALEN - 1), and room for it. */
#define CRM_CONTACT_KEY_INDEX_MAX 63

/* The name of the unique index that makes custom field name a key. */
void crm_contact_key_index(const char *name, char out[CRM_CONTACT_KEY_INDEX_MAX + 1]);

/* Parses "id", "email", "uid", "phone" or "field.NAME". Returns 0, or
 * CRM_EX_USAGE with e set. */
int crm_contact_key_parse(const char *spec, struct crm_contact_key *k,
			  struct crm_err *e);

/* For a custom field: CRM_EX_DATAERR when two contacts share a value
 * (naming both), so it cannot be a key; reads only. */
int crm_contact_key_check(struct crm_store *s, const struct crm_contact_key *k,
			  struct crm_err *e);

/* *is_key: whether custom field name has been made a key (a --key
 * field.NAME import before). Returns 0 or a store error. */
int crm_contact_key_is_key(struct crm_store *s, const char *name, int *is_key,
			   struct crm_err *e);

/* Makes the store ready for lookups by k: for a custom field its name in
 * contact_key_fields and its index, unique (or plain where the store's
 * directory keeps the values unique: crm_store_keys_in_directory), and
 * CRM_EX_DATAERR when two contacts share a value, naming both; for phone
 * a plain index. Call once, inside a write transaction. */
int crm_contact_key_prepare(struct crm_store *s, const struct crm_contact_key *k,
			    struct crm_err *e);

/* The key's value in c (normalised as c holds it), or NULL when c has
 * none. */
const char *crm_contact_key_value(const struct crm_contact_key *k,
				  const struct crm_contact *c);

/* Sets the key's value in c from raw text, validated and normalised as an
 * import would (0 or CRM_EX_DATAERR). */
int crm_contact_key_set(const struct crm_contact_key *k, struct crm_contact *c,
			const char *raw, int64_t now, struct crm_err *e);

/* Finds the contact whose key is value (already normalised): 0 with *id,
 * CRM_EX_NOTFOUND with e set (`no contact with customer_id "17850"`),
 * CRM_EX_DATAERR when a phone is several contacts', or a store error. */
int crm_contact_key_find(struct crm_store *s, const struct crm_contact_key *k,
			 const char *value, int64_t *id, struct crm_err *e);

#endif
