/* test_contact.c - unit tests for lib/contact.c: field validation and the
 * store operations on a temporary store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "base/utf8.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"

/* 2024-06-15T12:00:00Z, the "now" of every test. */
#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static int setup(void **state)
{
	return fixture_setup(state, "contact", NOW_TEXT);
}

/* ---- helpers ---- */

static void norm_ok(int field, const char *raw, const char *want)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	int rc = crm_contact_normalize(field, raw, now, &out, &e);

	if (rc != 0)
		fail_msg("%s \"%s\": rejected: %s", crm_contact_fields[field].name, raw, e.msg);
	if (strcmp(crm_buf_str(&out), want) != 0)
		fail_msg("%s \"%s\": got \"%s\", want \"%s\"", crm_contact_fields[field].name,
			 raw, crm_buf_str(&out), want);
	crm_buf_free(&out);
}

static void norm_bad(int field, const char *raw, const char *want_msg)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	int rc = crm_contact_normalize(field, raw, now, &out, &e);

	if (rc != CRM_EX_DATAERR)
		fail_msg("%s \"%s\": accepted as \"%s\" (rc %d)", crm_contact_fields[field].name,
			 raw, crm_buf_str(&out), rc);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	if (want_msg != NULL && strcmp(e.msg, want_msg) != 0)
		fail_msg("%s \"%s\": message \"%s\", want \"%s\"", crm_contact_fields[field].name,
			 raw, e.msg, want_msg);
	crm_buf_free(&out);
}

/* A contact from name=value pairs ("first_name", "Jane", ..., NULL). */
static void make(struct crm_contact *c, ...)
{
	struct crm_err e = { 0, "" };
	va_list ap;
	const char *name;

	crm_contact_init(c);
	va_start(ap, c);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		if (strcmp(name, "tags") == 0) {
			assert_int_equal(crm_contact_add_tags(c, value, &e), 0);
			continue;
		}
		if (crm_contact_set_named(c, name, value, now, &e) != 0)
			fail_msg("set %s=%s: %s", name, value, e.msg);
	}
	va_end(ap);
}

/* Creates a contact from name=value pairs; returns its id. */
static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

/* ---- field table ---- */

static void contact__field_index__names_and_dashes(void **state)
{
	(void)state;
	assert_int_equal(crm_contact_field_index("id"), CRM_CF_ID);
	assert_int_equal(crm_contact_field_index("first_name"), CRM_CF_FIRST_NAME);
	assert_int_equal(crm_contact_field_index("first-name"), CRM_CF_FIRST_NAME);
	assert_int_equal(crm_contact_field_index("preferred-channel"), CRM_CF_PREFERRED_CHANNEL);
	assert_int_equal(crm_contact_field_index("updated_at"), CRM_CF_UPDATED_AT);
	assert_int_equal(crm_contact_field_index("First_Name"), -1);
	assert_int_equal(crm_contact_field_index("firstname"), -1);
	assert_int_equal(crm_contact_field_index(""), -1);
	assert_int_equal(crm_contact_field_index("tags"), -1);
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++)
		assert_int_equal(crm_contact_field_index(crm_contact_fields[f].name), f);
}

static void contact__header_key__letters_digits_lowercase(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_contact_header_key("E-mail Address", &b);
	assert_string_equal(crm_buf_str(&b), "emailaddress");
	crm_contact_header_key(" Phone 1 - Value ", &b);
	assert_string_equal(crm_buf_str(&b), "phone1value");
	crm_contact_header_key("Größe", &b);
	assert_string_equal(crm_buf_str(&b), "gre");
	crm_contact_header_key("", &b);
	assert_string_equal(crm_buf_str(&b), "");
	crm_buf_free(&b);
}

static void contact__header_field__aliases(void **state)
{
	(void)state;
	assert_int_equal(crm_contact_header_field("E-mail Address"), CRM_CF_EMAIL);
	assert_int_equal(crm_contact_header_field("EMAIL"), CRM_CF_EMAIL);
	assert_int_equal(crm_contact_header_field("E-mail 1 - Value"), CRM_CF_EMAIL);
	assert_int_equal(crm_contact_header_field("Given Name"), CRM_CF_FIRST_NAME);
	assert_int_equal(crm_contact_header_field("first_name"), CRM_CF_FIRST_NAME);
	assert_int_equal(crm_contact_header_field("Surname"), CRM_CF_LAST_NAME);
	assert_int_equal(crm_contact_header_field("Mobile Phone"), CRM_CF_PHONE);
	assert_int_equal(crm_contact_header_field("Phone 1 - Value"), CRM_CF_PHONE);
	assert_int_equal(crm_contact_header_field("Zip"), CRM_CF_POSTAL_CODE);
	assert_int_equal(crm_contact_header_field("ZIP/Postal Code"), CRM_CF_POSTAL_CODE);
	assert_int_equal(crm_contact_header_field("Organization"), CRM_CF_COMPANY);
	assert_int_equal(crm_contact_header_field("Job Title"), CRM_CF_TITLE);
	assert_int_equal(crm_contact_header_field("State/Province"), CRM_CF_REGION);
	assert_int_equal(crm_contact_header_field("Date of Birth"), CRM_CF_BIRTHDATE);
	assert_int_equal(crm_contact_header_field("Lead Source"), CRM_CF_SOURCE);
	assert_int_equal(crm_contact_header_field("Preferred Channel"), CRM_CF_PREFERRED_CHANNEL);
	assert_int_equal(crm_contact_header_field("Unsubscribed"), CRM_CF_EMAIL_OPT_OUT);
	assert_int_equal(crm_contact_header_field("Created Date"), CRM_CF_CREATED_AT);
	assert_int_equal(crm_contact_header_field("External ID"), CRM_CF_UID);
	assert_int_equal(crm_contact_header_field("ID"), CRM_CF_ID);
	assert_int_equal(crm_contact_header_field("Tags"), CRM_CONTACT_HDR_TAGS);
	assert_int_equal(crm_contact_header_field("Categories"), CRM_CONTACT_HDR_TAGS);
	assert_int_equal(crm_contact_header_field("Full Name"), CRM_CONTACT_HDR_NAME);
	assert_int_equal(crm_contact_header_field("Name"), CRM_CONTACT_HDR_NAME);
	assert_int_equal(crm_contact_header_field("Display Name"), CRM_CONTACT_HDR_NAME);
	assert_int_equal(crm_contact_header_field("Shoe Size"), -1);
	assert_int_equal(crm_contact_header_field("Notes"), -1);
	assert_int_equal(crm_contact_header_field(""), -1);
	assert_int_equal(crm_contact_header_field("---"), -1);
	/* An alias is a whole word, not a prefix. */
	assert_int_equal(crm_contact_header_field("Emai"), -1);
	assert_int_equal(crm_contact_header_field("Phone s"), CRM_CONTACT_HDR_PHONES);
	assert_int_equal(crm_contact_header_field("Other Emails"), CRM_CONTACT_HDR_EMAILS);
	assert_int_equal(crm_contact_header_field("Phones 2"), -1);
}

static void custom_name_is(const char *header, const char *want)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_contact_custom_name(header, &b);
	assert_string_equal(crm_buf_str(&b), want);
	crm_buf_free(&b);
}

static void contact__custom_name__from_header(void **state)
{
	(void)state;
	custom_name_is("Shoe Size", "shoe_size");
	custom_name_is("2nd Phone", "f_2nd_phone");
	custom_name_is("  Lead -- Score!! ", "lead_score");
	custom_name_is("NPS (0-10)", "nps_0_10");
	custom_name_is("!!!", "");
	custom_name_is("", "");
	custom_name_is("already_snake", "already_snake");
}

static void contact__custom_name_long__valid_name(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	char header[200];

	(void)state;
	memset(header, 'a', 100);
	header[100] = '\0';
	crm_contact_custom_name(header, &b);
	assert_int_equal(b.len, 63);
	assert_int_equal(crm_contact_check_custom_name(crm_buf_str(&b), &e), 0);
	crm_buf_free(&b);
}

/* Was a bug (lib/contact.c, crm_contact_custom_name): the length cap applies to
 * letters and digits but not to the '_' separators, so once 63 characters
 * are written every further word still adds one '_': 63 a's followed by
 * " b c d e" gives 63 a's and "____" (67 bytes), a name that
 * crm_contact_check_custom_name rejects (more than 64 bytes), so such an
 * import column cannot be used; 62 a's and " b" gives a name ending in
 * '_'. Expected: at most 63 bytes, no trailing '_', always a valid name. */
static void contact__custom_name_many_words__capped(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	char header[200];
	int ok;

	(void)state;
	memset(header, 'a', 63);
	snprintf(header + 63, sizeof(header) - 63, " b c d e");
	crm_contact_custom_name(header, &b);
	ok = b.len <= 63 && crm_buf_str(&b)[b.len - 1] != '_' &&
	     crm_contact_check_custom_name(crm_buf_str(&b), &e) == 0;
	crm_buf_free(&b);
	if (!ok)
		fail_msg("regression: the bug described above is back");
}

static void custom_name_rejected(const char *name, const char *want)
{
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_contact_check_custom_name(name, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, want);
}

static void contact__check_custom_name__rules(void **state)
{
	struct crm_err e = { 0, "" };
	char name[80];

	(void)state;
	assert_int_equal(crm_contact_check_custom_name("shoe_size", &e), 0);
	assert_int_equal(crm_contact_check_custom_name("f_2nd_phone", &e), 0);
	assert_int_equal(crm_contact_check_custom_name("x", &e), 0);
	memset(name, 'a', 64);
	name[64] = '\0';
	assert_int_equal(crm_contact_check_custom_name(name, &e), 0);
	name[64] = 'a';
	name[65] = '\0';
	assert_int_equal(crm_contact_check_custom_name(name, &e), CRM_EX_DATAERR);
	custom_name_rejected("Shoe", "invalid field name \"Shoe\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	custom_name_rejected("1abc", "invalid field name \"1abc\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	custom_name_rejected("_x", "invalid field name \"_x\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	custom_name_rejected("shoe-size", "invalid field name \"shoe-size\" (use a-z, 0-9"
			     " and _, starting with a letter)");
	custom_name_rejected("a b", "invalid field name \"a b\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	custom_name_rejected("", "invalid field name \"\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	custom_name_rejected("x'; DROP TABLE contacts; --", "invalid field name"
			     " \"x'; DROP TABLE contacts; --\" (use a-z, 0-9 and _,"
			     " starting with a letter)");
	/* Standard fields, their aliases and the pseudo-fields are reserved. */
	custom_name_rejected("email", "field name \"email\" is reserved for a standard field");
	custom_name_rejected("first_name", "field name \"first_name\" is reserved for a standard field");
	custom_name_rejected("id", "field name \"id\" is reserved for a standard field");
	custom_name_rejected("firstname", "field name \"firstname\" is reserved for a standard field");
	custom_name_rejected("zip", "field name \"zip\" is reserved for a standard field");
	custom_name_rejected("tags", "field name \"tags\" is reserved for a standard field");
	custom_name_rejected("name", "field name \"name\" is reserved for a standard field");
	custom_name_rejected("full_name", "field name \"full_name\" is reserved for a standard field");
	assert_int_equal(crm_contact_check_custom_name("email", NULL), CRM_EX_DATAERR);
}

/* ---- normalisation ---- */

static void contact__email_valid__normalised(void **state)
{
	(void)state;
	norm_ok(CRM_CF_EMAIL, "jane@example.org", "jane@example.org");
	/* The domain is lowercased, the local part kept as written. */
	norm_ok(CRM_CF_EMAIL, "Jane.Doe@Example.ORG", "Jane.Doe@example.org");
	norm_ok(CRM_CF_EMAIL, "  jane@example.org\t", "jane@example.org");
	norm_ok(CRM_CF_EMAIL, "o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk");
	norm_ok(CRM_CF_EMAIL, "a@b.co", "a@b.co");
	norm_ok(CRM_CF_EMAIL, "a@x-y.org", "a@x-y.org");
	norm_ok(CRM_CF_EMAIL, "a@1.org", "a@1.org");
	norm_ok(CRM_CF_EMAIL, "ünï@exämple.org", "ünï@exämple.org");
	norm_ok(CRM_CF_EMAIL, "", "");
	norm_ok(CRM_CF_EMAIL, "   ", "");
}

static void contact__email_invalid__rejected(void **state)
{
	static const char *const bad[] = {
		"foo@", "@x.org", "a@b", "a..b@x.org", "a@-x.org", "a@x-.org",
		"a@x.123", "a@1.2.3.4", "a b@x.org", "a@x .org", "a@b@x.org",
		".a@x.org", "a.@x.org", "a@x..org", "a@.x.org", "a@x.org.",
		"a(b)@x.org", "a@x_y.org", "plainaddress", "a@xy", NULL,
	};

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		char want[128];

		snprintf(want, sizeof(want), "invalid email \"%s\"", bad[i]);
		norm_bad(CRM_CF_EMAIL, bad[i], want);
	}
}

static void contact__email_long_local_part__rejected(void **state)
{
	char addr[100], want[160];

	(void)state;
	memset(addr, 'a', 64);
	snprintf(addr + 64, sizeof(addr) - 64, "@x.org");
	norm_ok(CRM_CF_EMAIL, addr, addr);
	memset(addr, 'a', 65);
	snprintf(addr + 65, sizeof(addr) - 65, "@x.org");
	/* Quoted in the message: the first 64 bytes, then "...". */
	memset(want, 0, sizeof(want));
	memcpy(want, "invalid email \"", 15);
	memset(want + 15, 'a', 64);
	memcpy(want + 79, "...\"", 4);
	norm_bad(CRM_CF_EMAIL, addr, want);
}

/* Was a bug (lib/contact.c, quote_for_message): a long value is cut at 64
 * bytes, which may split a UTF-8 character, so the one-line message
 * carries invalid UTF-8: first_name of 63 'a' + "é\x01bcdefgh" gives
 * "control character in first_name \"aaa...a\xc3...\"" with a lone
 * lead byte. Expected: the cut falls on a character boundary. */
static void contact__message_long_utf8__cut_on_character(void **state)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	char raw[200];
	int valid;

	(void)state;
	memset(raw, 'a', 63);
	snprintf(raw + 63, sizeof(raw) - 63, "\xc3\xa9\x01" "bcdefgh");
	assert_int_equal(crm_contact_normalize(CRM_CF_FIRST_NAME, raw, now, &out, &e),
			 CRM_EX_DATAERR);
	crm_buf_free(&out);
	assert_true(strncmp(e.msg, "control character in first_name \"aaa", 36) == 0);
	valid = crm_utf8_valid(e.msg, strlen(e.msg), NULL);
	if (!valid)
		fail_msg("regression: the bug described above is back");
	assert_non_null(strstr(e.msg, "...\""));
}

static void contact__phone_valid__normalised(void **state)
{
	(void)state;
	norm_ok(CRM_CF_PHONE, "+31 20 123 4567", "+31 20 123 4567");
	norm_ok(CRM_CF_PHONE, "(020) 123-4567 x12", "(020) 123-4567 x12");
	norm_ok(CRM_CF_PHONE, "  +31   20\t123  ", "+31 20 123");
	norm_ok(CRM_CF_PHONE, "555-1234 ext. 5", "555-1234 ext. 5");
	norm_ok(CRM_CF_PHONE, "555-1234 EXT 55", "555-1234 ext 55");
	norm_ok(CRM_CF_PHONE, "555-1234ext.7", "555-1234ext.7");
	norm_ok(CRM_CF_PHONE, "020.123.45.67", "020.123.45.67");
	norm_ok(CRM_CF_PHONE, "112", "112");
	norm_ok(CRM_CF_PHONE, "12345678901234567890", "12345678901234567890");
}

static void contact__phone_invalid__rejected(void **state)
{
	static const char *const bad[] = {
		"555-CALL-NOW", "12", "1-2", "tel: 123", "12+345", "123456789012345678901",
		"123 x4 x5", "123#45", "+", "++31 20", "31 20 +1", NULL,
	};

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		char want[128];

		snprintf(want, sizeof(want), "invalid phone number \"%s\"", bad[i]);
		norm_bad(CRM_CF_PHONE, bad[i], want);
	}
}

/* Was a bug (lib/contact.c, check_phone): the 3-20 digit rule counts the
 * digits of the extension too, and an extension may come first, so a
 * value with no number before its extension passes: "x123" and "ext 123"
 * are accepted as phone numbers, and "12 x3" (a two-digit number) too.
 * Expected: invalid phone number "x123" (the digits before any extension
 * should be what is counted). */
static void contact__phone_only_extension__rejected(void **state)
{
	static const char *const bad[] = { "x123", "ext 123", "12 x3", NULL };

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		struct crm_buf out = CRM_BUF_INIT;
		struct crm_err e = { 0, "" };
		int rc = crm_contact_normalize(CRM_CF_PHONE, bad[i], now, &out, &e);

		crm_buf_free(&out);
		if (rc == 0)
			fail_msg("regression: the bug described above is back");
		assert_int_equal(rc, CRM_EX_DATAERR);
	}
}

static void contact__date_valid__canonical(void **state)
{
	(void)state;
	norm_ok(CRM_CF_BIRTHDATE, "1980-02-29", "1980-02-29");
	norm_ok(CRM_CF_BIRTHDATE, "1900-01-01", "1900-01-01");
	norm_ok(CRM_CF_BIRTHDATE, "2024-06-15", "2024-06-15");
	norm_ok(CRM_CF_BIRTHDATE, " today ", "2024-06-15");
	norm_ok(CRM_CF_BIRTHDATE, "yesterday", "2024-06-14");
	norm_ok(CRM_CF_BIRTHDATE, "-30d", "2024-05-16");
	norm_ok(CRM_CF_BIRTHDATE, "-1y", "2023-06-15");
	norm_ok(CRM_CF_BIRTHDATE, "-2w", "2024-06-01");
}

static void contact__date_invalid__rejected(void **state)
{
	(void)state;
	norm_bad(CRM_CF_BIRTHDATE, "2023-02-30", "invalid date \"2023-02-30\"");
	norm_bad(CRM_CF_BIRTHDATE, "2023-13-01", "invalid date \"2023-13-01\"");
	norm_bad(CRM_CF_BIRTHDATE, "15/06/1980", "invalid date \"15/06/1980\"");
	norm_bad(CRM_CF_BIRTHDATE, "1980-1-2", "invalid date \"1980-1-2\"");
	norm_bad(CRM_CF_BIRTHDATE, "1980-01-02T10:00", "invalid date \"1980-01-02T10:00\"");
	norm_bad(CRM_CF_BIRTHDATE, "2024-06-16", "birthdate \"2024-06-16\" is in the future");
	norm_bad(CRM_CF_BIRTHDATE, "tomorrow", "birthdate \"tomorrow\" is in the future");
	norm_bad(CRM_CF_BIRTHDATE, "+1d", "birthdate \"+1d\" is in the future");
	norm_bad(CRM_CF_BIRTHDATE, "1899-12-31", "birthdate \"1899-12-31\" is before 1900");
	norm_bad(CRM_CF_BIRTHDATE, "0001-01-01", "birthdate \"0001-01-01\" is before 1900");
}

static void contact__time__utc_iso(void **state)
{
	(void)state;
	norm_ok(CRM_CF_CREATED_AT, "2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05Z");
	norm_ok(CRM_CF_CREATED_AT, "2024-01-02", "2024-01-02T00:00:00Z");
	norm_ok(CRM_CF_CREATED_AT, "now", NOW_TEXT);
	norm_bad(CRM_CF_CREATED_AT, "soon", "invalid date \"soon\"");
}

static void contact__status_and_channel__enums(void **state)
{
	(void)state;
	norm_ok(CRM_CF_STATUS, "lead", "lead");
	norm_ok(CRM_CF_STATUS, "Customer", "customer");
	norm_ok(CRM_CF_STATUS, " PROSPECT ", "prospect");
	norm_ok(CRM_CF_STATUS, "former", "former");
	norm_bad(CRM_CF_STATUS, "vip",
		 "invalid status \"vip\" (use lead, prospect, customer or former)");
	norm_bad(CRM_CF_STATUS, "customers",
		 "invalid status \"customers\" (use lead, prospect, customer or former)");
	norm_ok(CRM_CF_PREFERRED_CHANNEL, "EMAIL", "email");
	norm_ok(CRM_CF_PREFERRED_CHANNEL, "Sms", "sms");
	norm_ok(CRM_CF_PREFERRED_CHANNEL, "meeting", "meeting");
	norm_bad(CRM_CF_PREFERRED_CHANNEL, "fax",
		 "invalid channel \"fax\" (use email, phone, sms, chat, social, meeting,"
		 " post, web or other)");
}

static void contact__bool__yes_no(void **state)
{
	static const char *const yes[] = { "yes", "YES", "y", "1", "true", "True", "t", "x", "X", "on", NULL };
	static const char *const no[] = { "no", "No", "n", "0", "false", "FALSE", "f", "off", NULL };

	(void)state;
	for (size_t i = 0; yes[i] != NULL; i++)
		norm_ok(CRM_CF_EMAIL_OPT_OUT, yes[i], "1");
	for (size_t i = 0; no[i] != NULL; i++)
		norm_ok(CRM_CF_SMS_OPT_OUT, no[i], "0");
	norm_bad(CRM_CF_EMAIL_OPT_OUT, "maybe", "invalid email_opt_out \"maybe\" (use yes or no)");
	norm_bad(CRM_CF_SMS_OPT_OUT, "2", "invalid sms_opt_out \"2\" (use yes or no)");
	norm_bad(CRM_CF_SMS_OPT_OUT, "yess", "invalid sms_opt_out \"yess\" (use yes or no)");
}

static void contact__text__control_characters_rejected(void **state)
{
	char big[1100];

	(void)state;
	norm_ok(CRM_CF_FIRST_NAME, "  Jane  ", "Jane");
	norm_ok(CRM_CF_FIRST_NAME, "Zoë 李", "Zoë 李");
	norm_ok(CRM_CF_COMPANY, "O'Reilly; \"Media\" -- /* x */", "O'Reilly; \"Media\" -- /* x */");
	norm_bad(CRM_CF_FIRST_NAME, "Ja\x01ne", "control character in first_name \"Ja?ne\"");
	norm_bad(CRM_CF_FIRST_NAME, "Ja\nne", "control character in first_name \"Ja?ne\"");
	norm_bad(CRM_CF_COMPANY, "A\tB", "control character in company \"A?B\"");
	norm_bad(CRM_CF_CITY, "x\x7fy", "control character in city \"x?y\"");
	norm_bad(CRM_CF_LAST_NAME, "bad \xff utf8", "invalid UTF-8 in last_name");
	norm_bad(CRM_CF_LAST_NAME, "\xc3\x28", "invalid UTF-8 in last_name");
	memset(big, 'a', 1000);
	big[1000] = '\0';
	norm_ok(CRM_CF_TITLE, big, big);
	big[1000] = 'a';
	big[1001] = '\0';
	norm_bad(CRM_CF_TITLE, big, "title longer than 1000 bytes");
}

static void contact__address__newlines_kept_crlf_to_lf(void **state)
{
	char big[4100];

	(void)state;
	norm_ok(CRM_CF_ADDRESS, "Main St 1\nApt 2", "Main St 1\nApt 2");
	norm_ok(CRM_CF_ADDRESS, "Main St 1\r\nApt 2\r\nTop", "Main St 1\nApt 2\nTop");
	norm_ok(CRM_CF_ADDRESS, "\r\nMain St 1\r\n", "Main St 1");
	norm_ok(CRM_CF_ADDRESS, "a\tb", "a\tb");
	norm_bad(CRM_CF_ADDRESS, "Main\rSt", "control character in address \"Main?St\"");
	norm_bad(CRM_CF_ADDRESS, "Main\x1bSt", "control character in address \"Main?St\"");
	memset(big, 'a', 4000);
	big[4000] = '\0';
	norm_ok(CRM_CF_ADDRESS, big, big);
	big[4000] = 'a';
	big[4001] = '\0';
	norm_bad(CRM_CF_ADDRESS, big, "address longer than 4000 bytes");
}

static void contact__uid__charset(void **state)
{
	char big[140];

	(void)state;
	norm_ok(CRM_CF_UID, "ext:123/A+b@c.d-e", "ext:123/A+b@c.d-e");
	norm_ok(CRM_CF_UID, " 0042 ", "0042");
	norm_bad(CRM_CF_UID, "a b", "invalid uid \"a b\"");
	norm_ok(CRM_CF_UID, "a_b", "a_b");
	norm_bad(CRM_CF_UID, "a;b", "invalid uid \"a;b\"");
	norm_bad(CRM_CF_UID, "x'--", "invalid uid \"x'--\"");
	norm_bad(CRM_CF_UID, "ü", "invalid uid \"ü\"");
	memset(big, 'u', 128);
	big[128] = '\0';
	norm_ok(CRM_CF_UID, big, big);
	big[128] = 'u';
	big[129] = '\0';
	norm_bad(CRM_CF_UID, big, NULL);
}

static void contact__id__read_only(void **state)
{
	(void)state;
	norm_bad(CRM_CF_ID, "5", "id cannot be set");
	/* Empty input is always fine: it means "clear" or "not given". */
	norm_ok(CRM_CF_ID, "", "");
}

static void contact__check_tag__rules(void **state)
{
	static const char *const good[] = { "vip", "VIP", "a-b_c.d", "ünïcödé", "#1", "x", NULL };
	static const char *const bad[] = { "", "a b", "a,b", "a;b", "a\tb", "a\nb", "a\x7f", " vip", NULL };
	struct crm_err e = { 0, "" };
	char big[80];

	(void)state;
	for (size_t i = 0; good[i] != NULL; i++)
		assert_int_equal(crm_contact_check_tag(good[i], &e), 0);
	for (size_t i = 0; bad[i] != NULL; i++)
		assert_int_equal(crm_contact_check_tag(bad[i], &e), CRM_EX_DATAERR);
	assert_int_equal(crm_contact_check_tag("\xff", &e), CRM_EX_DATAERR);
	memset(big, 't', 64);
	big[64] = '\0';
	assert_int_equal(crm_contact_check_tag(big, &e), 0);
	big[64] = 't';
	big[65] = '\0';
	assert_int_equal(crm_contact_check_tag(big, &e), CRM_EX_DATAERR);
	crm_contact_check_tag("a b", &e);
	assert_string_equal(e.msg, "invalid tag \"a b\" (1-64 characters, no spaces,"
			    " commas or semicolons)");
	crm_contact_check_tag("a\tb", &e);
	assert_string_equal(e.msg, "invalid tag \"a?b\" (1-64 characters, no spaces,"
			    " commas or semicolons)");
}

/* ---- the in-memory record ---- */

static void contact__add_tags__split_trimmed_deduplicated(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_int_equal(crm_contact_add_tags(&c, "vip, gold;vip ,, ;", &e), 0);
	assert_int_equal(c.ntags, 2);
	assert_string_equal(c.tags[0], "vip");
	assert_string_equal(c.tags[1], "gold");
	assert_int_equal(crm_contact_add_tags(&c, "gold,new", &e), 0);
	assert_int_equal(c.ntags, 3);
	assert_string_equal(c.tags[2], "new");
	assert_int_equal(crm_contact_add_tags(&c, "ok,bad tag", &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid tag \"bad tag\" (1-64 characters, no spaces,"
			    " commas or semicolons)");
	crm_contact_free(&c);
	assert_int_equal(c.ntags, 0);
	assert_null(c.tags);
}

static void contact__set__normalised_or_unchanged(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set(&c, CRM_CF_EMAIL, "Jane@Example.org", now, &e), 0);
	assert_string_equal(c.v[CRM_CF_EMAIL], "Jane@example.org");
	/* A bad value leaves the good one in place. */
	assert_int_equal(crm_contact_set(&c, CRM_CF_EMAIL, "foo@", now, &e), CRM_EX_DATAERR);
	assert_string_equal(c.v[CRM_CF_EMAIL], "Jane@example.org");
	assert_int_equal(crm_contact_set(&c, CRM_CF_EMAIL, "", now, &e), 0);
	assert_string_equal(c.v[CRM_CF_EMAIL], "");
	crm_contact_free(&c);
}

static void contact__set_named__standard_custom_read_only(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set_named(&c, "first-name", "Jane", now, &e), 0);
	assert_string_equal(c.v[CRM_CF_FIRST_NAME], "Jane");
	assert_int_equal(crm_contact_set_named(&c, "shoe_size", "42", now, &e), 0);
	assert_int_equal(crm_contact_set_named(&c, "shoe_size", "43", now, &e), 0);
	assert_int_equal(crm_contact_set_named(&c, "hobby", NULL, now, &e), 0);
	assert_int_equal(c.ncustom, 2);
	assert_string_equal(c.custom[0].name, "shoe_size");
	assert_string_equal(c.custom[0].value, "43");
	assert_string_equal(c.custom[1].name, "hobby");
	assert_null(c.custom[1].value);
	assert_int_equal(crm_contact_set_named(&c, "id", "5", now, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "id cannot be set");
	assert_int_equal(crm_contact_set_named(&c, "updated_at", "2020-01-01", now, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "updated_at cannot be set");
	assert_int_equal(crm_contact_set_named(&c, "Bad Name", "x", now, &e), CRM_EX_DATAERR);
	/* Only the field's own name sets it; an import alias is refused. */
	assert_int_equal(crm_contact_set_named(&c, "zip", "x", now, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "field name \"zip\" is reserved for a standard field");
	assert_null(c.v[CRM_CF_POSTAL_CODE]);
	crm_contact_free(&c);
}

static void contact__set_named_custom__utf8_and_size_checked(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	char *big = malloc(65538);

	(void)state;
	assert_non_null(big);
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set_named(&c, "note", "bad \xff", now, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid UTF-8 in note");
	memset(big, 'n', 65537);
	big[65537] = '\0';
	assert_int_equal(crm_contact_set_named(&c, "note", big, now, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "note longer than 65536 bytes");
	big[65536] = '\0';
	assert_int_equal(crm_contact_set_named(&c, "note", big, now, &e), 0);
	/* Custom values keep inner line breaks and spaces; like standard
	 * fields they lose white space at both ends. */
	assert_int_equal(crm_contact_set_named(&c, "note", " two\n lines \n", now, &e), 0);
	assert_string_equal(c.custom[0].value, "two\n lines");
	free(big);
	crm_contact_free(&c);
}

static void split_is(const char *full, const char *first, const char *last)
{
	struct crm_contact c;

	crm_contact_init(&c);
	crm_contact_split_name(&c, full);
	if (first == NULL)
		assert_null(c.v[CRM_CF_FIRST_NAME]);
	else
		assert_string_equal(c.v[CRM_CF_FIRST_NAME], first);
	if (last == NULL)
		assert_null(c.v[CRM_CF_LAST_NAME]);
	else
		assert_string_equal(c.v[CRM_CF_LAST_NAME], last);
	crm_contact_free(&c);
}

static void contact__split_name__last_word_is_last_name(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	split_is("Jane Doe", "Jane", "Doe");
	split_is("  Jane   Doe  ", "Jane", "Doe");
	split_is("Jean Claude Van Damme", "Jean Claude Van", "Damme");
	split_is("Cher", "Cher", NULL);
	split_is("", NULL, NULL);
	split_is("   ", NULL, NULL);
	/* A name already given wins. */
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set(&c, CRM_CF_LAST_NAME, "Smith", now, &e), 0);
	crm_contact_split_name(&c, "Jane Doe");
	assert_null(c.v[CRM_CF_FIRST_NAME]);
	assert_string_equal(c.v[CRM_CF_LAST_NAME], "Smith");
	crm_contact_free(&c);
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set(&c, CRM_CF_FIRST_NAME, "", now, &e), 0);
	crm_contact_split_name(&c, "Jane Doe");
	assert_string_equal(c.v[CRM_CF_FIRST_NAME], "Jane");
	assert_string_equal(c.v[CRM_CF_LAST_NAME], "Doe");
	crm_contact_free(&c);
}

static void contact__is_empty__identifying_fields(void **state)
{
	struct crm_contact c;

	(void)state;
	make(&c, "city", "Paris", "status", "customer", "shoe_size", "42", "tags", "vip", NULL);
	assert_true(crm_contact_is_empty(&c));
	crm_contact_free(&c);
	make(&c, "email", "", "first_name", "", NULL);
	assert_true(crm_contact_is_empty(&c));
	crm_contact_free(&c);
	make(&c, "company", "Acme", NULL);
	assert_false(crm_contact_is_empty(&c));
	crm_contact_free(&c);
	make(&c, "uid", "x1", NULL);
	assert_false(crm_contact_is_empty(&c));
	crm_contact_free(&c);
	make(&c, "phone", "112", NULL);
	assert_false(crm_contact_is_empty(&c));
	crm_contact_free(&c);
}

/* ---- on the store ---- */

static int is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* A version 7 uid: time-ordered, its first 48 bits the milliseconds. */
static void assert_uuid_v4(const char *u)
{
	assert_int_equal(strlen(u), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else if (!is_hex(u[i]))
			fail_msg("uid \"%s\": not lowercase hex at %d", u, i);
	}
	assert_int_equal(u[14], '7');
	assert_non_null(strchr("89ab", u[19]));
	{
		/* The leading 12 hex digits are Unix milliseconds of about now. */
		char ms_hex[13];
		long long ms;

		memcpy(ms_hex, u, 8);
		memcpy(ms_hex + 8, u + 9, 4);
		ms_hex[12] = '\0';
		ms = strtoll(ms_hex, NULL, 16);
		assert_true(ms > 1700000000000LL && ms < 4102444800000LL);
	}
}

static void contact__create__uid_generated_defaults_history(void **state)
{
	struct crm_store *d = store(state);
	int64_t a = create(state, "first_name", "Jane", "last_name", "Doe",
			   "email", "Jane@Example.org", NULL);
	int64_t b = create(state, "company", "Acme", NULL);
	char *rows = q_rows(d, "SELECT uid FROM contacts ORDER BY id");

	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	/* Two lines of 36 characters each. */
	assert_int_equal(strlen(rows), 74);
	rows[36] = '\0';
	rows[73] = '\0';
	assert_uuid_v4(rows);
	assert_uuid_v4(rows + 37);
	assert_string_not_equal(rows, rows + 37);
	free(rows);
	assert_rows(d, "SELECT first_name, last_name, email, status, email_opt_out,"
		    " sms_opt_out, created_at, updated_at, phone FROM contacts WHERE id = 1",
		    "Jane|Doe|Jane@example.org|lead|0|0|" NOW_TEXT "|" NOW_TEXT "|NULL\n");
	assert_rows(d, "SELECT who, at, entity, entity_id, action, field, old_value, new_value"
		    " FROM history ORDER BY id",
		    "tester|" NOW_TEXT "|contact|1|create|NULL|NULL|NULL\n"
		    "tester|" NOW_TEXT "|contact|2|create|NULL|NULL|NULL\n");
}

static void contact__create__given_values_kept(void **state)
{
	struct crm_store *d = store(state);

	create(state, "uid", "crm:42", "status", "Customer", "email_opt_out", "yes",
	       "created_at", "2020-01-02T03:04:05Z", "shoe_size", "42", "empty_one", "",
	       "tags", "vip,gold", NULL);
	assert_rows(d, "SELECT uid, status, email_opt_out, typeof(email_opt_out),"
		    " created_at, updated_at FROM contacts",
		    "crm:42|customer|1|integer|2020-01-02T03:04:05Z|" NOW_TEXT "\n");
	/* An empty custom value is not stored. */
	assert_rows(d, "SELECT name, value FROM contact_fields ORDER BY name",
		    "shoe_size|42\n");
	assert_rows(d, "SELECT tag FROM contact_tags ORDER BY tag", "gold\nvip\n");
}

static void contact__create_duplicates__dataerr_message(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	create(state, "uid", "u1", "email", "jane@example.org", NULL);
	make(&c, "email", "JANE@example.org", NULL);
	assert_int_equal(crm_contact_create(store(state), &c, &id, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "email \"JANE@example.org\" belongs to another contact");
	crm_contact_free(&c);
	make(&c, "uid", "u1", "email", "other@example.org", NULL);
	assert_int_equal(crm_contact_create(store(state), &c, &id, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "uid \"u1\" belongs to another contact");
	crm_contact_free(&c);
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 1);
}

static void resolve_is(void **state, const char *ref, int64_t want)
{
	struct crm_err e = { 0, "" };
	int64_t id = -1;
	int rc = crm_contact_resolve(store(state), ref, &id, &e);

	if (rc != 0)
		fail_msg("resolve \"%s\": %d %s", ref, rc, e.msg);
	assert_int_equal(id, want);
}

static void contact__resolve__id_uid_email(void **state)
{
	int64_t a = create(state, "uid", "ext-1", "email", "jane@example.org", NULL);
	int64_t b = create(state, "uid", "12345", "email", "bob@example.org", NULL);
	int64_t c = create(state, "uid", "1", NULL);

	resolve_is(state, "2", b);
	resolve_is(state, "3", c);
	resolve_is(state, "ext-1", a);
	resolve_is(state, "12345", b);           /* digits, no such id: the uid */
	resolve_is(state, "jane@example.org", a);
	resolve_is(state, "JANE@EXAMPLE.ORG", a);
	resolve_is(state, "Bob@Example.Org", b);
}

static void contact__resolve_id_and_uid__ambiguous_refused(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = -1;

	create(state, "uid", "ext-1", "email", "jane@example.org", NULL);
	create(state, "uid", "1", NULL);
	/* "1" is contact 1's id and contact 2's uid: never guessed */
	assert_int_equal(crm_contact_resolve(store(state), "1", &id, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "\"1\" is both contact 1's id and contact 2's uid:"
			    " name the contact by email, or in a file by one key");
	/* a contact whose uid is its own id is no puzzle */
	create(state, "uid", "3", NULL);
	resolve_is(state, "3", 3);
}

/* The uid check of a numeric reference failing (busy, I/O, ...) is that
 * failure, not "no contact has that uid": the id is not taken on trust. */
static void contact__resolve_uid_check_fails__error_not_the_id(void **state)
{
	struct crm_err e = { 0, "" };
	struct fault f;
	int64_t id = -1;
	int rc;

	create(state, "uid", "ext-1", NULL);
	fault_arm(&f, db(state), "WHERE uid = ?1");
	rc = crm_contact_resolve(store(state), "1", &id, &e);
	fault_disarm(&f);
	assert_true(f.hits > 0);
	assert_int_equal(rc, CRM_EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "interrupted"));
	resolve_is(state, "1", 1);
}

/* A busy store is 75 from every lookup of a reference. */
static void contact__resolve_busy__tempfail(void **state)
{
	struct fault_lock l;
	struct crm_err e = { 0, "" };
	int64_t id = -1;

	create(state, "uid", "ext-1", "email", "jane@example.org", NULL);
	reopen_shared(state);
	fault_lock(&l, ((struct fixture_store *)*state)->path, "contacts");
	assert_int_equal(crm_contact_resolve(store(state), "1", &id, &e), CRM_EX_TEMPFAIL);
	assert_int_equal(crm_contact_resolve(store(state), "ext-1", &id, &e), CRM_EX_TEMPFAIL);
	assert_int_equal(crm_contact_resolve(store(state), "jane@example.org", &id, &e),
			 CRM_EX_TEMPFAIL);
	fault_unlock(&l);
	resolve_is(state, "ext-1", 1);
}

static void contact__resolve_unknown__notfound_message(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = -1;

	create(state, "uid", "ext-1", "email", "jane@example.org", NULL);
	assert_int_equal(crm_contact_resolve(store(state), "x", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"x\"");
	assert_int_equal(crm_contact_resolve(store(state), "99", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"99\"");
	assert_int_equal(crm_contact_resolve(store(state), "", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"\"");
	assert_int_equal(crm_contact_resolve(store(state), "nobody@example.org", &id, &e),
			 CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"nobody@example.org\"");
	/* Digits too many for an id; the quoted value has no control bytes. */
	assert_int_equal(crm_contact_resolve(store(state), "99999999999999999999", &id, &e),
			 CRM_EX_NOTFOUND);
	assert_int_equal(crm_contact_resolve(store(state), "a\nb", &id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"a?b\"");
	assert_int_equal(crm_contact_resolve(store(state), "1' OR '1'='1", &id, &e),
			 CRM_EX_NOTFOUND);
	assert_int_equal(id, -1);
}

static void contact__find__uid_then_email(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	int64_t a = create(state, "uid", "u-a", "email", "a@example.org", NULL);
	int64_t b = create(state, "uid", "u-b", "email", "b@example.org", NULL);
	int64_t id = -1;
	const char *key = NULL;

	make(&c, "uid", "u-b", "email", "a@example.org", NULL);
	assert_int_equal(crm_contact_find(store(state), &c, &id, &key, &e), 0);
	assert_int_equal(id, b);
	assert_string_equal(key, "uid");
	crm_contact_free(&c);
	make(&c, "uid", "new", "email", "A@example.org", NULL);
	assert_int_equal(crm_contact_find(store(state), &c, &id, &key, &e), 0);
	assert_int_equal(id, a);
	assert_string_equal(key, "email");
	crm_contact_free(&c);
	make(&c, "first_name", "Nobody", NULL);
	assert_int_equal(crm_contact_find(store(state), &c, &id, &key, &e), CRM_EX_NOTFOUND);
	crm_contact_free(&c);
}

static int update(void **state, int64_t id, int *changed, struct crm_err *e, ...)
{
	struct crm_contact c;
	va_list ap;
	const char *name;
	int rc;

	crm_contact_init(&c);
	va_start(ap, e);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		if (strcmp(name, "tags") == 0)
			assert_int_equal(crm_contact_add_tags(&c, value, e), 0);
		else if (crm_contact_set_named(&c, name, value, now, e) != 0)
			fail_msg("set %s=%s: %s", name, value, e->msg);
	}
	va_end(ap);
	rc = crm_contact_update(store(state), id, &c, changed, e);
	crm_contact_free(&c);
	return rc;
}

static void contact__update__only_changed_fields_with_history(void **state)
{
	struct crm_store *d;
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t id;

	setenv("CRM_NOW", "2024-01-01T00:00:00Z", 1);
	reopen(state, "creator", NULL);
	id = create(state, "first_name", "Jane", "last_name", "Doe", "city", "Paris", NULL);
	setenv("CRM_NOW", NOW_TEXT, 1);
	reopen(state, "editor", NULL);
	d = store(state);

	assert_int_equal(update(state, id, &changed, &e, "first_name", "Janet",
				"last_name", "Doe", "city", "Paris", NULL), 0);
	assert_int_equal(changed, 1);
	assert_rows(d, "SELECT first_name, last_name, city, created_at, updated_at FROM contacts",
		    "Janet|Doe|Paris|2024-01-01T00:00:00Z|" NOW_TEXT "\n");
	assert_rows(d, "SELECT who, at, action, field, old_value, new_value FROM history"
		    " WHERE action = 'update' ORDER BY id",
		    "editor|" NOW_TEXT "|update|first_name|Jane|Janet\n");
	/* The same values again: nothing changes, nothing is recorded. */
	assert_int_equal(update(state, id, &changed, &e, "first_name", "Janet", NULL), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(q_int(d, "SELECT count(*) FROM history WHERE action = 'update'"), 1);
	/* Several at once, each with its own row; NULL old value for a new field. */
	assert_int_equal(update(state, id, &changed, &e, "email", "j@example.org",
				"status", "customer", "email_opt_out", "yes", NULL), 0);
	assert_int_equal(changed, 3);
	assert_rows(d, "SELECT field, old_value, new_value FROM history"
		    " WHERE action = 'update' ORDER BY id",
		    "first_name|Jane|Janet\n"
		    "email|NULL|j@example.org\n"
		    "status|lead|customer\n"
		    "email_opt_out|0|1\n");
	assert_rows(d, "SELECT email, status, email_opt_out FROM contacts",
		    "j@example.org|customer|1\n");
}

static void contact__update_empty__clears(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t id = create(state, "first_name", "Jane", "email", "j@example.org",
			    "sms_opt_out", "yes", NULL);

	assert_int_equal(update(state, id, &changed, &e, "email", "", "sms_opt_out", "", NULL), 0);
	assert_int_equal(changed, 2);
	assert_rows(d, "SELECT first_name, email, sms_opt_out FROM contacts", "Jane|NULL|0\n");
	assert_rows(d, "SELECT field, old_value, new_value FROM history"
		    " WHERE action = 'update' ORDER BY id",
		    "email|j@example.org|NULL\n"
		    "sms_opt_out|1|0\n");
	/* Clearing what is already empty changes nothing. */
	assert_int_equal(update(state, id, &changed, &e, "email", "", "phone", "", NULL), 0);
	assert_int_equal(changed, 0);
}

static void contact__update_status_or_uid_empty__refused(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t id = create(state, "uid", "u1", "status", "customer", NULL);

	assert_int_equal(update(state, id, &changed, &e, "status", "", NULL), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "status cannot be cleared");
	assert_int_equal(update(state, id, &changed, &e, "uid", "", NULL), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "uid cannot be cleared");
	assert_rows(d, "SELECT uid, status FROM contacts", "u1|customer\n");
}

static void contact__update_email_taken__dataerr(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t a = create(state, "email", "a@example.org", NULL);
	int64_t b = create(state, "email", "b@example.org", NULL);

	(void)a;
	assert_int_equal(crm_store_begin(store(state), &e), 0);
	assert_int_equal(update(state, b, &changed, &e, "email", "A@Example.org", NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_string_equal(e.msg, "email \"A@example.org\" belongs to another contact");
	crm_store_rollback(store(state));
	assert_rows(d, "SELECT id, email FROM contacts ORDER BY id",
		    "1|a@example.org\n2|b@example.org\n");
	assert_int_equal(update(state, b, &changed, &e, "uid", "x", NULL), 0);
	assert_int_equal(update(state, a, &changed, &e, "uid", "x", NULL), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "uid \"x\" belongs to another contact");
}

static void contact__update_custom_and_tags__history(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t id = create(state, "first_name", "Jane", "shoe_size", "42", NULL);

	assert_int_equal(update(state, id, &changed, &e, "shoe_size", "43", "hobby", "chess",
				"tags", "vip", NULL), 0);
	assert_int_equal(changed, 3);
	assert_int_equal(update(state, id, &changed, &e, "shoe_size", "43", "tags", "vip", NULL), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(update(state, id, &changed, &e, "hobby", "", "nothing", NULL, NULL), 0);
	assert_int_equal(changed, 1);
	assert_rows(d, "SELECT name, value FROM contact_fields ORDER BY name", "shoe_size|43\n");
	assert_rows(d, "SELECT action, field, old_value, new_value FROM history"
		    " WHERE action <> 'create' ORDER BY id",
		    "update|shoe_size|42|43\n"
		    "update|hobby|NULL|chess\n"
		    "tag|tags|NULL|vip\n"
		    "update|hobby|chess|NULL\n");
}

static void contact__update_unknown__notfound(void **state)
{
	struct crm_err e = { 0, "" };
	int changed = -1;

	assert_int_equal(update(state, 99, &changed, &e, "first_name", "X", NULL), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"99\"");
}

static void contact__delete__history_and_cascade(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int64_t keep = create(state, "uid", "k", "first_name", "Keep", "tags", "vip",
			      "shoe_size", "40", NULL);
	int64_t id = create(state, "uid", "u1", "first_name", "Jane",
			    "email", "j@example.org", "tags", "vip,gold", "shoe_size", "42", NULL);

	assert_int_equal(crm_contact_delete(store(state), id, &e), 0);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contacts"), 1);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_tags WHERE contact_id = 2"), 0);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_fields WHERE contact_id = 2"), 0);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_tags WHERE contact_id = 1"), 1);
	assert_int_equal(q_int(d, "SELECT count(*) FROM contact_fields WHERE contact_id = 1"), 1);
	assert_rows(d, "SELECT who, entity_id, action, field, old_value, new_value FROM history"
		    " WHERE action = 'delete' ORDER BY field",
		    "tester|2|delete|created_at|" NOW_TEXT "|NULL\n"
		    "tester|2|delete|email|j@example.org|NULL\n"
		    "tester|2|delete|email_opt_out|0|NULL\n"
		    "tester|2|delete|first_name|Jane|NULL\n"
		    "tester|2|delete|shoe_size|42|NULL\n"
		    "tester|2|delete|sms_opt_out|0|NULL\n"
		    "tester|2|delete|status|lead|NULL\n"
		    "tester|2|delete|tags|gold|NULL\n"
		    "tester|2|delete|tags|vip|NULL\n"
		    "tester|2|delete|uid|u1|NULL\n"
		    "tester|2|delete|updated_at|" NOW_TEXT "|NULL\n");
	(void)keep;
	assert_int_equal(crm_contact_delete(store(state), id, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"2\"");
}

static void contact__tag_add_remove__idempotent(void **state)
{
	struct crm_store *d = store(state);
	struct crm_err e = { 0, "" };
	int changed = -1;
	int64_t id = create(state, "first_name", "Jane", NULL);

	assert_int_equal(crm_contact_tag(store(state), id, "vip", 1, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(crm_contact_tag(store(state), id, "vip", 1, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(crm_contact_tag(store(state), id, "gold", 1, &changed, &e), 0);
	assert_rows(d, "SELECT tag FROM contact_tags ORDER BY tag", "gold\nvip\n");
	assert_int_equal(crm_contact_tag(store(state), id, "vip", 0, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(crm_contact_tag(store(state), id, "vip", 0, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(crm_contact_tag(store(state), id, "never", 0, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_rows(d, "SELECT tag FROM contact_tags", "gold\n");
	assert_rows(d, "SELECT action, field, old_value, new_value FROM history"
		    " WHERE action <> 'create' ORDER BY id",
		    "tag|tags|NULL|vip\n"
		    "tag|tags|NULL|gold\n"
		    "untag|tags|vip|NULL\n");
}

static void contact__tag_unknown_contact__error(void **state)
{
	struct crm_err e = { 0, "" };
	int changed = -1;

	/* Foreign keys are on: no tag for a contact that does not exist. */
	assert_int_equal(crm_contact_tag(store(state), 42, "vip", 1, &changed, &e), CRM_EX_DATAERR);
	assert_int_equal(changed, 0);
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contact_tags"), 0);
}

static void label_is(void **state, int64_t id, const char *want)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_contact_label(store(state), id, &b, &e), 0);
	assert_string_equal(crm_buf_str(&b), want);
	crm_buf_free(&b);
}

static void contact__label__name_company_email(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	int64_t a = create(state, "first_name", "Jane", "last_name", "Doe",
			   "email", "jane@example.org", "company", "Acme", NULL);
	int64_t c = create(state, "company", "Acme", NULL);
	int64_t d = create(state, "last_name", "Solo", NULL);
	int64_t u = create(state, "uid", "only", NULL);

	label_is(state, a, "1 Jane Doe <jane@example.org>");
	label_is(state, c, "2 Acme");
	label_is(state, d, "3 Solo");
	label_is(state, u, "4");
	assert_int_equal(crm_contact_label(store(state), 77, &b, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"77\"");
	crm_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test(name)
#define S(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)
		T(contact__field_index__names_and_dashes),
		T(contact__header_key__letters_digits_lowercase),
		T(contact__header_field__aliases),
		T(contact__custom_name__from_header),
		T(contact__custom_name_long__valid_name),
		T(contact__custom_name_many_words__capped),
		T(contact__check_custom_name__rules),
		T(contact__email_valid__normalised),
		T(contact__email_invalid__rejected),
		T(contact__email_long_local_part__rejected),
		T(contact__message_long_utf8__cut_on_character),
		T(contact__phone_valid__normalised),
		T(contact__phone_invalid__rejected),
		T(contact__phone_only_extension__rejected),
		T(contact__date_valid__canonical),
		T(contact__date_invalid__rejected),
		T(contact__time__utc_iso),
		T(contact__status_and_channel__enums),
		T(contact__bool__yes_no),
		T(contact__text__control_characters_rejected),
		T(contact__address__newlines_kept_crlf_to_lf),
		T(contact__uid__charset),
		T(contact__id__read_only),
		T(contact__check_tag__rules),
		T(contact__add_tags__split_trimmed_deduplicated),
		T(contact__set__normalised_or_unchanged),
		T(contact__set_named__standard_custom_read_only),
		T(contact__set_named_custom__utf8_and_size_checked),
		T(contact__split_name__last_word_is_last_name),
		T(contact__is_empty__identifying_fields),
		S(contact__create__uid_generated_defaults_history),
		S(contact__create__given_values_kept),
		S(contact__create_duplicates__dataerr_message),
		S(contact__resolve__id_uid_email),
		S(contact__resolve_id_and_uid__ambiguous_refused),
		S(contact__resolve_uid_check_fails__error_not_the_id),
		S(contact__resolve_busy__tempfail),
		S(contact__resolve_unknown__notfound_message),
		S(contact__find__uid_then_email),
		S(contact__update__only_changed_fields_with_history),
		S(contact__update_empty__clears),
		S(contact__update_status_or_uid_empty__refused),
		S(contact__update_email_taken__dataerr),
		S(contact__update_custom_and_tags__history),
		S(contact__update_unknown__notfound),
		S(contact__delete__history_and_cascade),
		S(contact__tag_add_remove__idempotent),
		S(contact__tag_unknown_contact__error),
		S(contact__label__name_company_email),
#undef T
#undef S
	};
	struct crm_err e = { 0, "" };

	if (crm_time_parse(NOW_TEXT, 0, &now, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	return cmocka_run_group_tests_name("contact", tests, NULL, NULL);
}
