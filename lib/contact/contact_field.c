/* contact_field.c - the contact record: its fields, their validation and
 * normalisation, a set of changes; nothing here touches the store. */
#include "contact/contact_field.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define TEXT_MAX 1000
#define LONGTEXT_MAX 4000
#define CUSTOM_VALUE_MAX 65536
#define CUSTOM_NAME_MAX 64
#define TAG_MAX 64

int crm_detail_type(const char *raw, char out[16], struct crm_err *e)
{
	static const char *const types[] = { "work", "home", "mobile", "other", NULL };

	out[0] = '\0';
	if (raw == NULL || raw[0] == '\0')
		return 0;
	for (size_t i = 0; types[i] != NULL; i++) {
		if (strcasecmp(raw, types[i]) == 0) {
			memcpy(out, types[i], strlen(types[i]) + 1);
			return 0;
		}
	}
	return crm_err_set(e, CRM_EX_DATAERR,
			   "invalid type \"%.32s\" (use work, home, mobile or other)", raw);
}

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
const char *const crm_contact_channels[] = {
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
void crm_contact_quote(const char *s, size_t n, char out[80])
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
	crm_contact_quote(s, n, shown);
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
		if (check_enum(s, n, crm_contact_channels, out) != 0)
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

	crm_contact_quote(tag, n, shown);
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

