/* contact.c - the contact record: fields, validation, store operations. */
#include "contact.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "contact_detail.h"
#include "dates.h"
#include "err.h"
#include "store.h"
#include "utf8.h"
#include "xalloc.h"

#define TEXT_MAX 1000
#define LONGTEXT_MAX 4000
#define CUSTOM_VALUE_MAX 65536
#define CUSTOM_NAME_MAX 64
#define TAG_MAX 64

/* Aliases are header keys (see crm_contact_header_key) that exports of
 * Outlook, Google Contacts, HubSpot, Salesforce and plain spreadsheets use. */
const struct crm_contact_field crm_contact_fields[CRM_CONTACT_NFIELDS] = {
	{ "id", CRM_FT_ID, "", 1 },
	{ "uid", CRM_FT_UID, "uid externalid externalkey contactid", 0 },
	{ "first_name", CRM_FT_TEXT,
	  "firstname first givenname forename fname", 0 },
	{ "last_name", CRM_FT_TEXT,
	  "lastname last surname familyname lname", 0 },
	{ "email", CRM_FT_EMAIL,
	  "email emailaddress mail email1 email1value emailaddress1 "
	  "primaryemail workemail businessemail", 0 },
	{ "phone", CRM_FT_PHONE,
	  "phone phonenumber telephone tel mobile mobilephone mobilenumber "
	  "cell cellphone businessphone workphone homephone primaryphone "
	  "phone1value", 0 },
	{ "company", CRM_FT_TEXT,
	  "company companyname organization organisation org account "
	  "accountname organization1name employer", 0 },
	{ "title", CRM_FT_TEXT,
	  "title jobtitle position role organization1title", 0 },
	{ "address", CRM_FT_LONGTEXT,
	  "address street streetaddress address1 addressline1 businessstreet "
	  "homestreet mailingstreet address1street", 0 },
	{ "city", CRM_FT_TEXT,
	  "city town businesscity homecity mailingcity address1city", 0 },
	{ "region", CRM_FT_TEXT,
	  "region state province stateprovince stateregion county "
	  "businessstate homestate mailingstate mailingstateprovince "
	  "address1region", 0 },
	{ "postal_code", CRM_FT_TEXT,
	  "postalcode postcode zip zipcode zippostalcode businesspostalcode "
	  "homepostalcode mailingzippostalcode mailingpostalcode "
	  "address1postalcode", 0 },
	{ "country", CRM_FT_TEXT,
	  "country countrycode countryregion businesscountryregion "
	  "homecountryregion mailingcountry address1country", 0 },
	{ "birthdate", CRM_FT_DATE,
	  "birthdate birthday dateofbirth dob", 0 },
	{ "gender", CRM_FT_TEXT, "gender sex", 0 },
	{ "language", CRM_FT_TEXT, "language lang preferredlanguage", 0 },
	{ "source", CRM_FT_TEXT, "source leadsource origin", 0 },
	{ "owner", CRM_FT_TEXT,
	  "owner contactowner accountowner salesrep", 0 },
	{ "status", CRM_FT_STATUS, "status contactstatus", 0 },
	{ "preferred_channel", CRM_FT_CHANNEL,
	  "preferredchannel channel", 0 },
	{ "email_opt_out", CRM_FT_BOOL,
	  "emailoptout optout unsubscribed donotemail hasoptedoutofemail", 0 },
	{ "sms_opt_out", CRM_FT_BOOL, "smsoptout donottext donotsms", 0 },
	{ "created_at", CRM_FT_TIME, "createdat created createdon createddate", 0 },
	{ "updated_at", CRM_FT_TIME, "updatedat", 1 },
};

static const char name_aliases[] = "name fullname displayname contactname";
static const char tag_aliases[] = "tags tag categories labels groups";
static const char emails_aliases[] = "emails otheremails";
static const char phones_aliases[] = "phones otherphones";

static const char *const statuses[] = { "lead", "prospect", "customer", "former", NULL };
static const char *const channels[] = {
	"email", "phone", "sms", "chat", "social", "meeting", "post", "web", "other", NULL
};

/* 1 if word is one of the space-separated words of list. */
static int in_word_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	if (n == 0)
		return 0;
	for (const char *p = list; *p != '\0';) {
		const char *end = strchr(p, ' ');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == n && memcmp(p, word, n) == 0)
			return 1;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

int crm_contact_field_index(const char *name)
{
	char key[64];
	size_t i;

	for (i = 0; name[i] != '\0' && i < sizeof(key) - 1; i++)
		key[i] = name[i] == '-' ? '_' : name[i];
	if (name[i] != '\0')
		return -1;
	key[i] = '\0';
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++)
		if (strcmp(crm_contact_fields[f].name, key) == 0)
			return f;
	return -1;
}

void crm_contact_header_key(const char *header, struct crm_buf *out)
{
	crm_buf_reset(out);
	for (const unsigned char *p = (const unsigned char *)header; *p != '\0'; p++)
		if (isalnum(*p) && *p < 0x80)
			crm_buf_addc(out, (char)tolower(*p));
}

int crm_contact_header_field(const char *header)
{
	struct crm_buf key = CRM_BUF_INIT;
	int found = -1;

	crm_contact_header_key(header, &key);
	for (int f = 0; f < CRM_CONTACT_NFIELDS && found < 0; f++) {
		struct crm_buf own = CRM_BUF_INIT;

		crm_contact_header_key(crm_contact_fields[f].name, &own);
		if (strcmp(crm_buf_str(&own), crm_buf_str(&key)) == 0 ||
		    in_word_list(crm_contact_fields[f].aliases, crm_buf_str(&key)))
			found = f;
		crm_buf_free(&own);
	}
	if (found < 0 && in_word_list(name_aliases, crm_buf_str(&key)))
		found = CRM_CONTACT_HDR_NAME;
	if (found < 0 && in_word_list(tag_aliases, crm_buf_str(&key)))
		found = CRM_CONTACT_HDR_TAGS;
	if (found < 0 && in_word_list(emails_aliases, crm_buf_str(&key)))
		found = CRM_CONTACT_HDR_EMAILS;
	if (found < 0 && in_word_list(phones_aliases, crm_buf_str(&key)))
		found = CRM_CONTACT_HDR_PHONES;
	crm_buf_free(&key);
	return found;
}

void crm_contact_custom_name(const char *header, struct crm_buf *out)
{
	int pending_sep = 0;

	crm_buf_reset(out);
	for (const unsigned char *p = (const unsigned char *)header; *p != '\0'; p++) {
		if (!(*p < 0x80 && isalnum(*p))) {
			pending_sep = 1;
			continue;
		}
		/* Room for a separator and this character within the cap. */
		if (out->len + (pending_sep && out->len > 0) + 1 > CUSTOM_NAME_MAX - 1)
			break;
		if (pending_sep && out->len > 0)
			crm_buf_addc(out, '_');
		pending_sep = 0;
		if (out->len == 0 && isdigit(*p))
			crm_buf_adds(out, "f_");
		crm_buf_addc(out, (char)tolower(*p));
	}
}

int crm_contact_check_custom_name(const char *name, struct crm_err *e)
{
	size_t n = strlen(name);

	if (n == 0 || n > CUSTOM_NAME_MAX || !(name[0] >= 'a' && name[0] <= 'z'))
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			goto bad;
	if (crm_contact_field_index(name) >= 0 || crm_contact_header_field(name) >= 0)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "field name \"%s\" is reserved for a standard field", name);
	return 0;
bad:
	return crm_err_set(e, CRM_EX_DATAERR,
			   "invalid field name \"%.64s\" (use a-z, 0-9 and _, starting with a letter)",
			   name);
}

/* The value, trimmed of ASCII white space at both ends. */
static void trim(const char *raw, const char **start, size_t *len)
{
	const char *s = raw, *end = raw + strlen(raw);

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
			   end[-1] == '\n'))
		end--;
	*start = s;
	*len = (size_t)(end - s);
}

static int is_email_local_char(unsigned char c)
{
	return c >= 0x80 || isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL;
}

static int check_email(const char *s, size_t n, struct crm_buf *out)
{
	const char *at = memchr(s, '@', n);
	const char *domain, *end = s + n;
	size_t local_len, labels = 0;

	if (at == NULL || memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL)
		return -1;
	local_len = (size_t)(at - s);
	if (local_len == 0 || local_len > 64 || s[0] == '.' || at[-1] == '.')
		return -1;
	for (const char *p = s; p < at; p++)
		if (!is_email_local_char((unsigned char)*p) || (p[0] == '.' && p[1] == '.'))
			return -1;
	domain = at + 1;
	if (end - domain < 3 || end - domain > 253)
		return -1;
	for (const char *label = domain; label <= end;) {
		const char *dot = memchr(label, '.', (size_t)(end - label));
		const char *lend = dot != NULL ? dot : end;
		size_t len = (size_t)(lend - label);
		int all_digits = 1;

		if (len == 0 || len > 63 || label[0] == '-' || lend[-1] == '-')
			return -1;
		for (const char *p = label; p < lend; p++) {
			unsigned char c = (unsigned char)*p;

			if (!(c >= 0x80 || isalnum(c) || c == '-'))
				return -1;
			if (!isdigit(c))
				all_digits = 0;
		}
		labels++;
		if (dot == NULL) {
			if (all_digits)
				return -1; /* a top-level domain is never numeric */
			break;
		}
		label = dot + 1;
	}
	if (labels < 2)
		return -1;
	crm_buf_add(out, s, local_len + 1);
	for (const char *p = domain; p < end; p++)
		crm_buf_addc(out, (char)((unsigned char)*p < 0x80 ? tolower((unsigned char)*p) : *p));
	return 0;
}

/* Digits, spaces, + at the start, - ( ) . / and an extension (x123,
 * ext 123) after the number; 3 to 20 digits before the extension. Runs of
 * spaces become one. */
static int check_phone(const char *s, size_t n, struct crm_buf *out)
{
	size_t digits = 0, ext_digits = 0;
	int in_ext = 0, space = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdigit(c)) {
			if (in_ext)
				ext_digits++;
			else
				digits++;
		} else if (c == '+') {
			if (out->len != 0)
				return -1;
		} else if (c == ' ' || c == '\t') {
			space = 1;
			continue;
		} else if (!in_ext && digits > 0 && (c == 'x' || c == 'X')) {
			in_ext = 1;
		} else if (!in_ext && digits > 0 && (c == 'e' || c == 'E') && i + 2 < n &&
			   strncasecmp(s + i, "ext", 3) == 0) {
			in_ext = 1;
			crm_buf_adds(out, space ? " ext" : "ext");
			space = 0;
			i += 2;
			if (i + 1 < n && s[i + 1] == '.')
				crm_buf_addc(out, s[++i]);
			continue;
		} else if (strchr("-()./", c) == NULL || in_ext) {
			return -1;
		}
		if (space && out->len > 0)
			crm_buf_addc(out, ' ');
		space = 0;
		crm_buf_addc(out, (char)c);
	}
	if (in_ext && ext_digits == 0)
		return -1;
	return digits >= 3 && digits <= 20 ? 0 : -1;
}

/* s is valid UTF-8 (crm_contact_normalize checked): copied whole, a run
 * at a time, not a byte at a time. */
static int check_text(const char *s, size_t n, int multiline, size_t max,
		      struct crm_buf *out)
{
	size_t from = 0;

	if (n > max)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			continue;
		if (c == '\r' && multiline && i + 1 < n && s[i + 1] == '\n') {
			crm_buf_add(out, s + from, i - from); /* CRLF -> LF */
			from = i + 1;
			continue;
		}
		if (!(multiline && (c == '\n' || c == '\t')))
			return -1;
	}
	crm_buf_add(out, s + from, n - from);
	return 0;
}

static int check_enum(const char *s, size_t n, const char *const *words,
		      struct crm_buf *out)
{
	for (size_t w = 0; words[w] != NULL; w++) {
		if (strlen(words[w]) == n && strncasecmp(words[w], s, n) == 0) {
			crm_buf_adds(out, words[w]);
			return 0;
		}
	}
	return -1;
}

static int check_bool(const char *s, size_t n, struct crm_buf *out)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "x", "on", NULL };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off", NULL };
	struct crm_buf tmp = CRM_BUF_INIT;
	int rc = 0;

	if (check_enum(s, n, yes, &tmp) == 0)
		crm_buf_addc(out, '1');
	else if (check_enum(s, n, no, &tmp) == 0)
		crm_buf_addc(out, '0');
	else
		rc = -1;
	crm_buf_free(&tmp);
	return rc;
}

static int check_uid(const char *s, size_t n, struct crm_buf *out)
{
	if (n == 0 || n > 128)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._:@/+-", s[i]) == NULL)
			return -1;
	crm_buf_add(out, s, n);
	return 0;
}

/* The value quoted for a message: at most 64 bytes, control characters
 * shown as '?'. */
static void quote_for_message(const char *s, size_t n, char out[80])
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < 64; i++)
		out[k++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	if (k < n) {
		/* Never cut a UTF-8 character in two. */
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

int crm_contact_normalize(int field, const char *raw, int64_t now,
			  struct crm_buf *out, struct crm_err *e)
{
	const struct crm_contact_field *f = &crm_contact_fields[field];
	const char *s;
	size_t n;
	char shown[80];
	int bad = 0;

	crm_buf_reset(out);
	trim(raw, &s, &n);
	if (n == 0)
		return 0;
	quote_for_message(s, n, shown);
	if (!crm_utf8_valid(s, n, NULL))
		return crm_err_set(e, CRM_EX_DATAERR, "invalid UTF-8 in %s", f->name);
	switch (f->type) {
	case CRM_FT_ID:
		return crm_err_set(e, CRM_EX_DATAERR, "%s cannot be set", f->name);
	case CRM_FT_UID:
		bad = check_uid(s, n, out);
		break;
	case CRM_FT_TEXT:
		if (n > TEXT_MAX)
			return crm_err_set(e, CRM_EX_DATAERR, "%s longer than %d bytes",
					   f->name, TEXT_MAX);
		bad = check_text(s, n, 0, TEXT_MAX, out);
		if (bad)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "control character in %s \"%s\"", f->name, shown);
		break;
	case CRM_FT_LONGTEXT:
		if (n > LONGTEXT_MAX)
			return crm_err_set(e, CRM_EX_DATAERR, "%s longer than %d bytes",
					   f->name, LONGTEXT_MAX);
		bad = check_text(s, n, 1, LONGTEXT_MAX, out);
		if (bad)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "control character in %s \"%s\"", f->name, shown);
		break;
	case CRM_FT_EMAIL:
		bad = check_email(s, n, out);
		break;
	case CRM_FT_PHONE:
		bad = check_phone(s, n, out);
		break;
	case CRM_FT_DATE: {
		int64_t y;
		int m, d;
		char text[16];
		char *copy = xstrndup(s, n);
		struct crm_err de;

		bad = crm_date_parse(copy, now, &y, &m, &d, &de) != 0;
		free(copy);
		if (bad)
			break;
		if (crm_days_from_civil(y, m, d) > crm_local_days(now))
			return crm_err_set(e, CRM_EX_DATAERR, "%s \"%s\" is in the future",
					   f->name, shown);
		if (y < 1900)
			return crm_err_set(e, CRM_EX_DATAERR, "%s \"%s\" is before 1900",
					   f->name, shown);
		crm_date_format(y, m, d, text);
		crm_buf_adds(out, text);
		break;
	}
	case CRM_FT_TIME: {
		int64_t t;
		char text[32];
		char *copy = xstrndup(s, n);
		struct crm_err de;

		bad = crm_time_parse(copy, now, &t, &de) != 0;
		free(copy);
		if (!bad) {
			crm_time_format(t, text);
			crm_buf_adds(out, text);
		}
		break;
	}
	case CRM_FT_STATUS:
		if (check_enum(s, n, statuses, out) != 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "invalid status \"%s\" (use lead, prospect, customer or former)",
					   shown);
		break;
	case CRM_FT_CHANNEL:
		if (check_enum(s, n, channels, out) != 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "invalid channel \"%s\" (use email, phone, sms, chat, social, meeting, post, web or other)",
					   shown);
		break;
	case CRM_FT_BOOL:
		if (check_bool(s, n, out) != 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "invalid %s \"%s\" (use yes or no)", f->name, shown);
		break;
	}
	if (bad) {
		const char *what = f->type == CRM_FT_EMAIL ? "email"
				 : f->type == CRM_FT_PHONE ? "phone number"
				 : f->type == CRM_FT_DATE || f->type == CRM_FT_TIME ? "date"
				 : f->name;

		crm_buf_reset(out);
		return crm_err_set(e, CRM_EX_DATAERR, "invalid %s \"%s\"", what, shown);
	}
	return 0;
}

int crm_contact_check_tag(const char *tag, struct crm_err *e)
{
	size_t n = strlen(tag);
	char shown[80];

	quote_for_message(tag, n, shown);
	if (n == 0 || n > TAG_MAX || !crm_utf8_valid(tag, n, NULL))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tag[i];

		if (c <= 0x20 || c == 0x7f || c == ',' || c == ';')
			goto bad;
	}
	return 0;
bad:
	return crm_err_set(e, CRM_EX_DATAERR,
			   "invalid tag \"%s\" (1-%d characters, no spaces, commas or semicolons)",
			   shown, TAG_MAX);
}

void crm_contact_init(struct crm_contact *c)
{
	memset(c, 0, sizeof(*c));
}

void crm_contact_free(struct crm_contact *c)
{
	for (int i = 0; i < CRM_CONTACT_NFIELDS; i++)
		free(c->v[i]);
	for (size_t i = 0; i < c->ncustom; i++) {
		free(c->custom[i].name);
		free(c->custom[i].value);
	}
	free(c->custom);
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	for (size_t i = 0; i < c->nemails; i++) {
		free(c->emails[i].name);
		free(c->emails[i].value);
	}
	free(c->emails);
	for (size_t i = 0; i < c->nphones; i++) {
		free(c->phones[i].name);
		free(c->phones[i].value);
	}
	free(c->phones);
	crm_contact_init(c);
}

int crm_contact_add_other(struct crm_contact *c, int phone, const char *value,
			  const char *type, int64_t now, struct crm_err *e)
{
	struct crm_buf norm = CRM_BUF_INIT;
	char t[16];
	struct crm_kv **list = phone ? &c->phones : &c->emails;
	size_t *n = phone ? &c->nphones : &c->nemails;
	int rc = crm_contact_normalize(phone ? CRM_CF_PHONE : CRM_CF_EMAIL, value, now, &norm, e);

	if (rc == 0)
		rc = crm_detail_type(type, t, e);
	if (rc == 0 && norm.len > 0) {
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[*n].name = crm_buf_detach(&norm);
		(*list)[*n].value = t[0] != '\0' ? xstrdup(t) : NULL;
		(*n)++;
	}
	crm_buf_free(&norm);
	return rc;
}

int crm_contact_add_others(struct crm_contact *c, int phone, const char *list,
			   int64_t now, struct crm_err *e)
{
	const char *p = list;
	int rc = 0;

	while (*p != '\0' && rc == 0) {
		size_t len = strcspn(p, ";");
		char *item = xstrndup(p, len);
		char *open = strrchr(item, '(');
		char *type = NULL;

		if (open != NULL && strchr(open, ')') != NULL) {
			*strchr(open, ')') = '\0';
			type = open + 1;
			*open = '\0';
		}
		rc = crm_contact_add_other(c, phone, item, type, now, e);
		free(item);
		p += len;
		if (*p == ';')
			p++;
	}
	return rc;
}

/* Writes c's other emails and phones to contact id. */
static int apply_others(struct crm_store *s, int64_t id, const struct crm_contact *c,
			int *changed, struct crm_err *e)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < c->nemails; i++) {
		int64_t owner;

		if (crm_contact_email_owner(s, c->emails[i].name, &owner, e) == 0 && owner == id)
			continue;
		rc = crm_contact_add_email(s, id, c->emails[i].name, c->emails[i].value, 0, e);
		*changed += rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < c->nphones; i++) {
		sqlite3_stmt *st = crm_store_prepare(s,
			"SELECT 1 FROM contacts WHERE id = ?1 AND phone = ?2 UNION ALL"
			" SELECT 1 FROM contact_phones WHERE contact_id = ?1 AND phone = ?2");
		int step;

		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, c->phones[i].name, -1, SQLITE_STATIC);
		step = crm_store_step(s, st, e);
		sqlite3_reset(st);
		if (step < 0)
			return e->code;
		if (step == SQLITE_ROW)
			continue; /* has it already */
		rc = crm_contact_add_phone(s, id, c->phones[i].name, c->phones[i].value, 0, NULL, e);
		*changed += rc == 0;
	}
	return rc;
}

int crm_contact_set(struct crm_contact *c, int field, const char *raw,
		    int64_t now, struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	int rc = crm_contact_normalize(field, raw, now, &b, e);

	if (rc != 0) {
		crm_buf_free(&b);
		return rc;
	}
	free(c->v[field]);
	c->v[field] = crm_buf_detach(&b);
	return 0;
}

int crm_contact_set_named(struct crm_contact *c, const char *name,
			  const char *value, int64_t now, struct crm_err *e)
{
	int f = crm_contact_field_index(name);
	int rc;

	if (f >= 0) {
		if (crm_contact_fields[f].read_only)
			return crm_err_set(e, CRM_EX_DATAERR, "%s cannot be set",
					   crm_contact_fields[f].name);
		return crm_contact_set(c, f, value != NULL ? value : "", now, e);
	}
	rc = crm_contact_check_custom_name(name, e);
	if (rc != 0)
		return rc;
	return crm_contact_set_custom(c, name, value, e);
}

int crm_contact_set_custom(struct crm_contact *c, const char *name,
			   const char *value, struct crm_err *e)
{
	char *value_copy = NULL;

	if (value != NULL) {
		const char *start;
		size_t n;

		trim(value, &start, &n);
		if (n > CUSTOM_VALUE_MAX)
			return crm_err_set(e, CRM_EX_DATAERR, "%s longer than %d bytes",
					   name, CUSTOM_VALUE_MAX);
		if (!crm_utf8_valid(start, n, NULL))
			return crm_err_set(e, CRM_EX_DATAERR, "invalid UTF-8 in %s", name);
		value_copy = xstrndup(start, n);
	}
	for (size_t i = 0; i < c->ncustom; i++) {
		if (strcmp(c->custom[i].name, name) == 0) {
			free(c->custom[i].value);
			c->custom[i].value = value_copy;
			return 0;
		}
	}
	c->custom = xreallocarray(c->custom, c->ncustom + 1, sizeof(*c->custom));
	c->custom[c->ncustom].name = xstrdup(name);
	c->custom[c->ncustom].value = value_copy;
	c->ncustom++;
	return 0;
}

int crm_contact_add_tags(struct crm_contact *c, const char *list,
			 struct crm_err *e)
{
	const char *p = list;

	while (*p != '\0') {
		size_t len = strcspn(p, ",;");
		const char *s;
		size_t n;
		char *tag = xstrndup(p, len);
		int rc, dup = 0;

		trim(tag, &s, &n);
		if (n > 0) {
			char *t = xstrndup(s, n);

			rc = crm_contact_check_tag(t, e);
			if (rc != 0) {
				free(t);
				free(tag);
				return rc;
			}
			for (size_t i = 0; i < c->ntags && !dup; i++)
				dup = strcmp(c->tags[i], t) == 0;
			if (dup) {
				free(t);
			} else {
				c->tags = xreallocarray(c->tags, c->ntags + 1, sizeof(*c->tags));
				c->tags[c->ntags++] = t;
			}
		}
		free(tag);
		p += len;
		if (*p != '\0')
			p++;
	}
	return 0;
}

void crm_contact_split_name(struct crm_contact *c, const char *full)
{
	const char *s, *space;
	size_t n;
	char *copy;

	trim(full, &s, &n);
	if (n == 0 || (c->v[CRM_CF_FIRST_NAME] != NULL && c->v[CRM_CF_FIRST_NAME][0]) ||
	    (c->v[CRM_CF_LAST_NAME] != NULL && c->v[CRM_CF_LAST_NAME][0]))
		return;
	copy = xstrndup(s, n);
	space = strrchr(copy, ' ');
	if (space == NULL) {
		crm_contact_set(c, CRM_CF_FIRST_NAME, copy, 0, NULL);
	} else {
		char *first = xstrndup(copy, (size_t)(space - copy));

		crm_contact_set(c, CRM_CF_FIRST_NAME, first, 0, NULL);
		crm_contact_set(c, CRM_CF_LAST_NAME, space + 1, 0, NULL);
		free(first);
	}
	free(copy);
}

static int given(const struct crm_contact *c, int f)
{
	return c->v[f] != NULL && c->v[f][0] != '\0';
}

int crm_contact_is_empty(const struct crm_contact *c)
{
	return !given(c, CRM_CF_FIRST_NAME) && !given(c, CRM_CF_LAST_NAME) &&
	       !given(c, CRM_CF_EMAIL) && !given(c, CRM_CF_PHONE) &&
	       !given(c, CRM_CF_COMPANY) && !given(c, CRM_CF_UID);
}

static int lookup_id(struct crm_store *s, const char *sql, const char *key,
		     int64_t *id, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, sql);
	int rc;

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = crm_store_step(s, st, e);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CRM_EX_NOTFOUND : e->code;
}

int crm_contact_resolve(struct crm_store *s, const char *ref, int64_t *id,
			struct crm_err *e)
{
	int rc = CRM_EX_NOTFOUND;
	size_t n = strlen(ref);

	if (n > 0 && strspn(ref, "0123456789") == n && n < 19) {
		int64_t other;

		rc = lookup_id(s, "SELECT id FROM contacts WHERE id = CAST(?1 AS INTEGER)",
			       ref, id, e);
		/* A numeric uid is never taken for an id, nor an id for a
		 * uid: a reference that is both is refused. */
		if (rc == 0 && lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1", ref,
					 &other, e) == 0 && other != *id)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "\"%s\" is both contact %lld's id and contact %lld's uid: name the contact by email, or in a file by one key",
					   ref, (long long)*id, (long long)other);
	}
	/* An email is tried first when the reference looks like one: that is
	 * what it nearly always is (a batch of interactions saves a lookup a
	 * row), and a uid with an @ is still found after. */
	if (rc == CRM_EX_NOTFOUND && strchr(ref, '@') != NULL)
		rc = crm_contact_email_owner(s, ref, id, e);
	if (rc == CRM_EX_NOTFOUND)
		rc = lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1", ref, id, e);
	if (rc == CRM_EX_NOTFOUND) {
		char shown[80];

		quote_for_message(ref, n, shown);
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%s\"", shown);
	}
	return rc;
}

int crm_contact_email_owner(struct crm_store *s, const char *email, int64_t *id,
			    struct crm_err *e)
{
	/* One statement, not two: the primary email first. */
	return lookup_id(s, "SELECT id FROM contacts WHERE email = ?1 UNION ALL"
			 " SELECT contact_id FROM contact_emails WHERE email = ?1 LIMIT 1",
			 email, id, e);
}

int crm_contact_find(struct crm_store *s, const struct crm_contact *c,
		     int64_t *id, const char **key, struct crm_err *e)
{
	int rc = CRM_EX_NOTFOUND;

	*key = NULL;
	if (given(c, CRM_CF_UID)) {
		rc = lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1",
			       c->v[CRM_CF_UID], id, e);
		*key = "uid";
	}
	if (rc == CRM_EX_NOTFOUND && given(c, CRM_CF_EMAIL)) {
		rc = crm_contact_email_owner(s, c->v[CRM_CF_EMAIL], id, e);
		*key = "email";
	}
	return rc;
}

/* A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds,
 * then random bits), so new uids land at the end of the uid index instead
 * of all over it. It tells when the contact was made, as created_at does. */
static void new_uid(struct crm_store *s, char out[37])
{
	unsigned char r[16];
	struct timespec ts;
	uint64_t ms;

	crm_store_random(s, r, sizeof(r));
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (int i = 0; i < 6; i++)
		r[i] = (unsigned char)(ms >> (40 - 8 * i));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x70);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	/* 8-4-4-4-12 hex digits; by hand, snprintf took 6% of an import. */
	for (int i = 0, k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = "0123456789abcdef"[r[i] >> 4];
		out[k++] = "0123456789abcdef"[r[i] & 15];
	}
	out[36] = '\0';
}

/* Binds field f's value: "" and NULL as NULL, booleans as integers. */
static void bind_field(sqlite3_stmt *st, int i, int f, const char *v)
{
	if (v == NULL || v[0] == '\0')
		sqlite3_bind_null(st, i);
	else if (crm_contact_fields[f].type == CRM_FT_BOOL)
		sqlite3_bind_int(st, i, v[0] == '1');
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC); /* outlives the step */
}

static int set_custom(struct crm_store *s, int64_t id, const char *name,
		      const char *value, struct crm_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (value == NULL) {
		st = crm_store_prepare(s, "DELETE FROM contact_fields WHERE contact_id = ?1 AND name = ?2");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	} else {
		st = crm_store_prepare(s,
			"INSERT INTO contact_fields (contact_id, name, value) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	}
	rc = crm_store_run(s, st, e);
	/* A custom field made a key (contact_key.h) is unique. */
	if (rc == CRM_EX_DATAERR && strstr(e->msg, "contact_fields.value") != NULL)
		rc = crm_err_set(e, rc, "%s \"%.64s\" belongs to another contact (%s is a key)",
				 name, value, name);
	return rc;
}

static const char insert_sql[] =
	"INSERT INTO contacts (uid, first_name, last_name, email, phone, company,"
	" title, address, city, region, postal_code, country, birthdate, gender,"
	" language, source, owner, status, preferred_channel, email_opt_out,"
	" sms_opt_out, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" coalesce(?18, 'lead'), ?19, coalesce(?20, 0), coalesce(?21, 0),"
	" coalesce(?22, ?23), ?23)";

/* Friendlier words for the constraint failures a user can cause. */
static int constraint_message(int rc, const struct crm_contact *c,
			      struct crm_err *e)
{
	if (rc != CRM_EX_DATAERR)
		return rc;
	if (strstr(e->msg, "contacts.email") != NULL)
		return crm_err_set(e, rc, "email \"%s\" belongs to another contact",
				   c->v[CRM_CF_EMAIL]);
	if (strstr(e->msg, "contacts.uid") != NULL)
		return crm_err_set(e, rc, "uid \"%s\" belongs to another contact",
				   c->v[CRM_CF_UID]);
	return rc;
}

static int add_tag(struct crm_store *s, int64_t id, const char *tag,
		   int *changed, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)");
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
	rc = crm_store_run(s, st, e);
	if (rc == 0 && sqlite3_changes(crm_store_db(s)) > 0) {
		*changed = 1;
		rc = crm_history_add(s, "contact", id, "tag", "tags", NULL, tag, e);
	}
	return rc;
}

/* A primary email must not be another contact's other email; the
 * contact's own other email becoming its primary one leaves that list. */
static int claim_email(struct crm_store *s, int64_t id, const char *email,
		       struct crm_err *e)
{
	sqlite3_stmt *st;
	int64_t owner;
	int rc;

	if (email == NULL || email[0] == '\0')
		return 0;
	rc = lookup_id(s, "SELECT contact_id FROM contact_emails WHERE email = ?1", email, &owner, e);
	if (rc == CRM_EX_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (owner != id)
		return crm_err_set(e, CRM_EX_DATAERR, "email \"%s\" belongs to another contact", email);
	st = crm_store_prepare(s, "DELETE FROM contact_emails WHERE email = ?1");
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	return crm_store_run(s, st, e);
}

/* imported: the caller found c's email free and records the create. */
static int create(struct crm_store *s, const struct crm_contact *c, int imported,
		  int64_t *id, struct crm_err *e)
{
	sqlite3_stmt *st;
	char uid[37];
	int rc, changed = 0;

	rc = imported ? 0 : claim_email(s, 0, c->v[CRM_CF_EMAIL], e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, insert_sql);

	if (given(c, CRM_CF_UID)) {
		sqlite3_bind_text(st, 1, c->v[CRM_CF_UID], -1, SQLITE_STATIC);
	} else {
		new_uid(s, uid);
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
	}
	for (int f = CRM_CF_FIRST_NAME; f <= CRM_CF_CREATED_AT; f++)
		bind_field(st, f, f, c->v[f]);
	sqlite3_bind_text(st, 23, crm_store_now(s), -1, SQLITE_STATIC);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return constraint_message(rc, c, e);
	*id = sqlite3_last_insert_rowid(crm_store_db(s));
	for (size_t i = 0; rc == 0 && i < c->ncustom; i++)
		if (c->custom[i].value != NULL && c->custom[i].value[0] != '\0')
			rc = set_custom(s, *id, c->custom[i].name, c->custom[i].value, e);
	for (size_t i = 0; rc == 0 && i < c->ntags; i++) {
		sqlite3_stmt *t = crm_store_prepare(s,
			"INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)");

		sqlite3_bind_int64(t, 1, *id);
		sqlite3_bind_text(t, 2, c->tags[i], -1, SQLITE_STATIC);
		rc = crm_store_run(s, t, e);
	}
	if (rc == 0 && !imported)
		rc = crm_history_add(s, "contact", *id, "create", NULL, NULL, NULL, e);
	if (rc == 0)
		rc = apply_others(s, *id, c, &changed, e);
	return rc;
}

int crm_contact_create(struct crm_store *s, const struct crm_contact *c,
		       int64_t *id, struct crm_err *e)
{
	return create(s, c, 0, id, e);
}

int crm_contact_create_imported(struct crm_store *s, const struct crm_contact *c,
				int64_t *id, struct crm_err *e)
{
	return create(s, c, 1, id, e);
}

static const char select_sql[] =
	"SELECT id, uid, first_name, last_name, email, phone, company, title,"
	" address, city, region, postal_code, country, birthdate, gender,"
	" language, source, owner, status, preferred_channel, email_opt_out,"
	" sms_opt_out, created_at, updated_at FROM contacts WHERE id = ?1";

static const char update_sql[] =
	"UPDATE contacts SET uid = ?1, first_name = ?2, last_name = ?3,"
	" email = ?4, phone = ?5, company = ?6, title = ?7, address = ?8,"
	" city = ?9, region = ?10, postal_code = ?11, country = ?12,"
	" birthdate = ?13, gender = ?14, language = ?15, source = ?16,"
	" owner = ?17, status = ?18, preferred_channel = ?19,"
	" email_opt_out = ?20, sms_opt_out = ?21, updated_at = ?22 WHERE id = ?23";

/* Reads contact id's standard fields as text ("" for NULL) into vals. */
static int load_fields(struct crm_store *s, int64_t id,
		       char *vals[CRM_CONTACT_NFIELDS], struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, select_sql);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? crm_err_set(e, CRM_EX_NOTFOUND,
						       "no contact \"%lld\"", (long long)id)
					 : e->code;
	}
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		const unsigned char *t = sqlite3_column_text(st, f);

		vals[f] = xstrdup(t != NULL ? (const char *)t : "");
	}
	sqlite3_reset(st);
	return 0;
}

static void free_fields(char *vals[CRM_CONTACT_NFIELDS])
{
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		free(vals[f]);
		vals[f] = NULL;
	}
}

static int get_custom(struct crm_store *s, int64_t id, const char *name,
		      char **value, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT value FROM contact_fields WHERE contact_id = ?1 AND name = ?2");
	int rc;

	*value = NULL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = crm_store_step(s, st, e);
	if (rc == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_contact_update(struct crm_store *s, int64_t id,
		       const struct crm_contact *c, int *changed,
		       struct crm_err *e)
{
	char *old[CRM_CONTACT_NFIELDS] = { 0 };
	const char *now_v[CRM_CONTACT_NFIELDS];
	int rc, nchanged = 0;

	rc = load_fields(s, id, old, e);
	if (rc != 0)
		return rc;
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		const char *nv = c->v[f];

		now_v[f] = old[f];
		if (nv == NULL || crm_contact_fields[f].read_only || f == CRM_CF_CREATED_AT)
			continue;
		if (nv[0] == '\0' && (f == CRM_CF_STATUS || f == CRM_CF_UID)) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s cannot be cleared",
					 crm_contact_fields[f].name);
			goto out;
		}
		if (nv[0] == '\0' && crm_contact_fields[f].type == CRM_FT_BOOL)
			nv = "0";
		if (strcmp(nv, old[f]) == 0)
			continue;
		rc = crm_history_add(s, "contact", id, "update", crm_contact_fields[f].name,
				     old[f][0] != '\0' ? old[f] : NULL,
				     nv[0] != '\0' ? nv : NULL, e);
		if (rc != 0)
			goto out;
		now_v[f] = nv;
		nchanged++;
	}
	if (now_v[CRM_CF_EMAIL] != old[CRM_CF_EMAIL]) {
		rc = claim_email(s, id, now_v[CRM_CF_EMAIL], e);
		if (rc != 0)
			goto out;
	}
	if (nchanged > 0) {
		sqlite3_stmt *st = crm_store_prepare(s, update_sql);

		for (int f = CRM_CF_UID; f <= CRM_CF_SMS_OPT_OUT; f++)
			bind_field(st, f, f, now_v[f]);
		sqlite3_bind_text(st, 22, crm_store_now(s), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 23, id);
		rc = crm_store_run(s, st, e);
		if (rc != 0) {
			rc = constraint_message(rc, c, e);
			goto out;
		}
		/* A new primary email does not lose the old one: it stays as
		 * another email, as `email add --primary` keeps it. */
		if (now_v[CRM_CF_EMAIL] != old[CRM_CF_EMAIL] && old[CRM_CF_EMAIL][0] != '\0' &&
		    strcasecmp(old[CRM_CF_EMAIL], now_v[CRM_CF_EMAIL]) != 0) {
			sqlite3_stmt *keep = crm_store_prepare(s,
				"INSERT OR IGNORE INTO contact_emails (contact_id, email, created_at)"
				" VALUES (?1, ?2, ?3)");

			sqlite3_bind_int64(keep, 1, id);
			sqlite3_bind_text(keep, 2, old[CRM_CF_EMAIL], -1, SQLITE_STATIC);
			sqlite3_bind_text(keep, 3, crm_store_now(s), -1, SQLITE_STATIC);
			rc = crm_store_run(s, keep, e);
			if (rc == 0)
				rc = crm_history_note(s, "contact", id, "add", "emails", NULL,
						      old[CRM_CF_EMAIL], "the primary email before", e);
			if (rc != 0)
				goto out;
		}
	}
	for (size_t i = 0; i < c->ncustom; i++) {
		const char *nv = c->custom[i].value;
		char *ov = NULL;

		if (nv != NULL && nv[0] == '\0')
			nv = NULL;
		rc = get_custom(s, id, c->custom[i].name, &ov, e);
		if (rc == 0 && !((ov == NULL && nv == NULL) ||
				 (ov != NULL && nv != NULL && strcmp(ov, nv) == 0))) {
			rc = set_custom(s, id, c->custom[i].name, nv, e);
			if (rc == 0)
				rc = crm_history_add(s, "contact", id, "update",
						     c->custom[i].name, ov, nv, e);
			nchanged++;
		}
		free(ov);
		if (rc != 0)
			goto out;
	}
	for (size_t i = 0; i < c->ntags; i++) {
		int tag_changed = 0;

		rc = add_tag(s, id, c->tags[i], &tag_changed, e);
		if (rc != 0)
			goto out;
		nchanged += tag_changed;
	}
	rc = apply_others(s, id, c, &nchanged, e);
	if (rc != 0)
		goto out;
	if (nchanged > 0 && c->ncustom + c->ntags > 0) {
		sqlite3_stmt *st = crm_store_prepare(s,
			"UPDATE contacts SET updated_at = ?1 WHERE id = ?2");

		sqlite3_bind_text(st, 1, crm_store_now(s), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		rc = crm_store_run(s, st, e);
	}
out:
	free_fields(old);
	if (changed != NULL)
		*changed = nchanged;
	return rc;
}

int crm_contact_delete(struct crm_store *s, int64_t id, struct crm_err *e)
{
	char *old[CRM_CONTACT_NFIELDS] = { 0 };
	sqlite3_stmt *st;
	int rc;

	rc = load_fields(s, id, old, e);
	for (int f = CRM_CF_UID; rc == 0 && f < CRM_CONTACT_NFIELDS; f++)
		if (old[f][0] != '\0')
			rc = crm_history_add(s, "contact", id, "delete",
					     crm_contact_fields[f].name, old[f], NULL, e);
	free_fields(old);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "SELECT name, value FROM contact_fields WHERE contact_id = ?1"
			       " UNION ALL SELECT 'tags', tag FROM contact_tags WHERE contact_id = ?1");
	sqlite3_bind_int64(st, 1, id);
	while (rc == 0 && (rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		char *name = xstrdup((const char *)sqlite3_column_text(st, 0));
		char *value = xstrdup((const char *)sqlite3_column_text(st, 1));

		rc = crm_history_add(s, "contact", id, "delete", name, value, NULL, e);
		free(name);
		free(value);
	}
	sqlite3_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != SQLITE_DONE && rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM contacts WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	return crm_store_run(s, st, e);
}

int crm_contact_tag(struct crm_store *s, int64_t id, const char *tag, int add,
		    int *changed, struct crm_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*changed = 0;
	if (add)
		rc = add_tag(s, id, tag, changed, e);
	else {
		st = crm_store_prepare(s, "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
		rc = crm_store_run(s, st, e);
		if (rc == 0 && sqlite3_changes(crm_store_db(s)) > 0) {
			*changed = 1;
			rc = crm_history_add(s, "contact", id, "untag", "tags", tag, NULL, e);
		}
	}
	if (rc == 0 && *changed) {
		st = crm_store_prepare(s, "UPDATE contacts SET updated_at = ?1 WHERE id = ?2");
		sqlite3_bind_text(st, 1, crm_store_now(s), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

int crm_contact_label(struct crm_store *s, int64_t id, struct crm_buf *out,
		      struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s,
		"SELECT trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')),"
		" email, company FROM contacts WHERE id = ?1");
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *email = (const char *)sqlite3_column_text(st, 1);
		const char *company = (const char *)sqlite3_column_text(st, 2);

		crm_buf_addf(out, "%lld", (long long)id);
		if (name != NULL && name[0] != '\0')
			crm_buf_addf(out, " %s", name);
		else if (company != NULL)
			crm_buf_addf(out, " %s", company);
		if (email != NULL)
			crm_buf_addf(out, " <%s>", email);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%lld\"", (long long)id);
	return rc == SQLITE_ROW ? 0 : e->code;
}
