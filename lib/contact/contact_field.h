/* contact_field.h - the contact record without the store: its standard
 * fields, the validation and normalisation of their values, import header
 * matching, and struct crm_contact, the set of changes that add, edit and
 * import carry to the store (contact.h).
 */
#ifndef CRM_CONTACT_FIELD_H
#define CRM_CONTACT_FIELD_H

#include <stddef.h>
#include <stdint.h>

struct crm_buf;
struct crm_err;

enum crm_field_type {
	CRM_FT_ID,       /* the integer id: read only */
	CRM_FT_UID,      /* external key: [A-Za-z0-9._:@/+-], 1-128 bytes */
	CRM_FT_TEXT,     /* one line of text, at most 1000 bytes */
	CRM_FT_LONGTEXT, /* text that may hold line breaks (address) */
	CRM_FT_EMAIL,
	CRM_FT_PHONE,
	CRM_FT_DATE,     /* YYYY-MM-DD, not in the future */
	CRM_FT_STATUS,   /* lead, prospect, customer, former */
	CRM_FT_CHANNEL,  /* email, phone, sms, chat, social, meeting, post, web, other */
	CRM_FT_BOOL,     /* stored 0/1; yes/no, true/false, y/n, 1/0 accepted */
	CRM_FT_TIME,     /* ISO 8601 instant, stored UTC */
};

struct crm_contact_field {
	const char *name;          /* column name, also the option --first-name */
	enum crm_field_type type;
	const char *aliases;       /* import header spellings, normalised (see
				      crm_contact_header_key), space separated */
	int read_only;             /* set by the store, not by users */
};

enum {
	CRM_CF_ID, CRM_CF_UID, CRM_CF_FIRST_NAME, CRM_CF_LAST_NAME, CRM_CF_EMAIL,
	CRM_CF_PHONE, CRM_CF_COMPANY, CRM_CF_TITLE, CRM_CF_ADDRESS, CRM_CF_CITY,
	CRM_CF_REGION, CRM_CF_POSTAL_CODE, CRM_CF_COUNTRY, CRM_CF_BIRTHDATE,
	CRM_CF_GENDER, CRM_CF_LANGUAGE, CRM_CF_SOURCE, CRM_CF_OWNER, CRM_CF_STATUS,
	CRM_CF_PREFERRED_CHANNEL, CRM_CF_EMAIL_OPT_OUT, CRM_CF_SMS_OPT_OUT,
	CRM_CF_CREATED_AT, CRM_CF_UPDATED_AT,
	CRM_CONTACT_NFIELDS
};

extern const struct crm_contact_field crm_contact_fields[CRM_CONTACT_NFIELDS];

/* The field index of a standard field name ("first_name"; '-' is read as
 * '_'), or -1. */
int crm_contact_field_index(const char *name);

/* Normalises an import header for matching: ASCII letters lowercased,
 * everything but letters and digits dropped ("E-mail Address" ->
 * "emailaddress"). */
void crm_contact_header_key(const char *header, struct crm_buf *out);

/* The standard field an import header stands for (by name or alias), or -1.
 * The pseudo-fields "name" (a full name to split) and "tags" are reported
 * as CRM_CONTACT_HDR_NAME and CRM_CONTACT_HDR_TAGS. */
enum {
	CRM_CONTACT_HDR_NAME = 1000,
	CRM_CONTACT_HDR_TAGS = 1001,
	CRM_CONTACT_HDR_EMAILS = 1002,  /* other emails, as export writes them */
	CRM_CONTACT_HDR_PHONES = 1003,
};
int crm_contact_header_field(const char *header);

/* A custom field name made from an import header: lowercase ASCII letters,
 * digits and '_' ("Shoe Size" -> "shoe_size"); empty if nothing is left. */
void crm_contact_custom_name(const char *header, struct crm_buf *out);

/* Validates a custom field name: [a-z][a-z0-9_]{0,63}, not a standard
 * field or alias. Returns 0 or CRM_EX_DATAERR. */
int crm_contact_check_custom_name(const char *name, struct crm_err *e);

/* Validates and normalises raw for field (trims spaces, lowercases the
 * email domain, canonical dates, 0/1 for booleans). Empty input gives an
 * empty out. Returns 0 or CRM_EX_DATAERR: `invalid email "foo@"`. */
int crm_contact_normalize(int field, const char *raw, int64_t now,
			  struct crm_buf *out, struct crm_err *e);

/* Validates a tag: 1-64 bytes of UTF-8 without spaces, commas, semicolons
 * or control characters. */
int crm_contact_check_tag(const char *tag, struct crm_err *e);

struct crm_kv {
	char *name;
	char *value;    /* NULL: remove the custom field */
};

/* A set of changes to one contact: what add, edit and import carry. */
struct crm_contact {
	char *v[CRM_CONTACT_NFIELDS]; /* normalised; NULL = not given; "" = clear */
	struct crm_kv *custom;
	size_t ncustom;
	char **tags;
	size_t ntags;
	struct crm_kv *emails;    /* other emails: name = address, value = type */
	size_t nemails;
	struct crm_kv *phones;    /* other phones, the same way */
	size_t nphones;
};

void crm_contact_init(struct crm_contact *c);
void crm_contact_free(struct crm_contact *c);
/* Validates and sets a standard field (raw may be ""; see normalize). */
int crm_contact_set(struct crm_contact *c, int field, const char *raw,
		    int64_t now, struct crm_err *e);
/* Sets a standard field if name is one, else a custom field (value NULL
 * removes it). Returns 0 or CRM_EX_DATAERR. */
int crm_contact_set_named(struct crm_contact *c, const char *name,
			  const char *value, int64_t now, struct crm_err *e);
/* Sets a custom field whose name the caller has checked already (with
 * crm_contact_check_custom_name): an import checks each column once, not
 * each cell. value NULL removes the field. */
int crm_contact_set_custom(struct crm_contact *c, const char *name,
			   const char *value, struct crm_err *e);
/* Adds tags from a list separated by commas or semicolons. */
int crm_contact_add_tags(struct crm_contact *c, const char *list,
			 struct crm_err *e);
/* Adds other emails (phone 0) or phones (phone 1) from a list such as
 * "b@x.org (work); c@y.org", each validated; the type in parentheses is
 * optional. Applied by create and update. */
int crm_contact_add_others(struct crm_contact *c, int phone, const char *list,
			   int64_t now, struct crm_err *e);
/* Adds one other email or phone with its type (may be NULL). */
int crm_contact_add_other(struct crm_contact *c, int phone, const char *value,
			  const char *type, int64_t now, struct crm_err *e);

/* Splits a full name into first and last name (the last word is the last
 * name) where those are not given. */
void crm_contact_split_name(struct crm_contact *c, const char *full);
/* 1 if nothing identifies or describes the contact (no name, email, phone,
 * company or uid). */
int crm_contact_is_empty(const struct crm_contact *c);

/* Checks the type of an email or phone: work, home, mobile, other
 * (case-insensitive), written lowercase to out. NULL or "" is no type. */
int crm_detail_type(const char *raw, char out[16], struct crm_err *e);

/* The value quoted for a message: at most 64 bytes of it, control
 * characters shown as '?', "..." where it was cut. */
void crm_contact_quote(const char *s, size_t n, char out[80]);

/* The channels of a contact's preferred channel and of interactions:
 * email, phone, sms, chat, social, meeting, post, web, other; NULL after
 * the last. */
extern const char *const crm_contact_channels[];

#endif
