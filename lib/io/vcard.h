/* vcard.h - streaming vCard reading (2.1, 3.0, 4.0) and writing (3.0, 4.0).
 *
 * Reading follows what real exporters write (RFC 6350, RFC 2426, vCard 2.1):
 * CRLF, LF or CR line ends; a UTF-8 BOM is dropped; folded lines (a line
 * starting with a space or tab continues the one before, that one character
 * removed); property groups (item1.EMAIL); parameters in any case, in lists
 * (TYPE=work,voice), quoted (TYPE="work,voice"), repeated, or bare as in 2.1
 * (TEL;WORK;VOICE, EMAIL;INTERNET;PREF); the escapes \, \; \: \\ \n \N (other
 * backslashes are kept as they are); ENCODING=QUOTED-PRINTABLE (or bare
 * QUOTED-PRINTABLE) with soft line breaks, ENCODING=BASE64/B; CHARSET=
 * (UTF-8 by default; ISO-8859-1 and windows-1252 are both read as
 * windows-1252, as browsers do; other names go through iconv(3)).
 * Unknown properties are skipped, several cards per file are read one at a
 * time, and lines outside BEGIN:VCARD ... END:VCARD are skipped silently.
 *
 * What a card holds:
 *   - every string is owned by the card, valid UTF-8 without NUL bytes,
 *     never empty (an empty value is NULL), line breaks as "\n" (a CR or CRLF
 *     in a decoded value becomes "\n");
 *   - a single-valued property (FN, N, ORG, TITLE, BDAY, NOTE, GENDER, REV,
 *     UID) is taken from its first non-empty occurrence; LANG from the first
 *     one with PREF=1, else the first;
 *   - N: family;given;additional;prefix;suffix, components kept as written
 *     (a component list such as "Jr.,M.D." stays one string);
 *   - ORG: org is the organisation name (first component), org_unit the
 *     units after it joined with ", " ("ORG:Acme;Sales;EMEA" gives "Acme"
 *     and "Sales, EMEA");
 *   - BDAY: "YYYY-MM-DD" from 19850412, 1985-04-12, 1985-04-12T00:00:00Z
 *     and the like; NULL when there is no year (--0412, Apple's
 *     X-APPLE-OMIT-YEAR), only part of a date (1985, 1985-04), or the date
 *     is not a real one (1985-02-30, VALUE=text "circa 1800");
 *   - GENDER: the sex component only (M, F, O, N, U as written); the
 *     identity text after the ";" is dropped;
 *   - EMAIL, TEL, URL: one item per property, the value trimmed of spaces,
 *     tabs and line breaks; "mailto:" (EMAIL) and "tel:" (TEL) prefixes
 *     removed, a tel: URI's ";ext=123" becoming " ext 123";
 *   - item and address types: TYPE values and 2.1 bare parameters,
 *     lowercased, in order, without duplicates, comma-joined; only tokens of
 *     letters, digits and "-" are kept; "pref" sets pref instead, and
 *     "internet" is dropped from emails (it is the only kind left);
 *   - ADR: components 3..7; box and extended address are appended to street,
 *     joined with ", " (street, extended, box), so ";Suite 5;1 Main St" gives
 *     "1 Main St, Suite 5"; an address with all components empty is skipped;
 *   - CATEGORIES: split on unescaped commas, trimmed, empty and duplicate
 *     names dropped, from every CATEGORIES property in the card.
 *
 * Limits: a logical (unfolded) property line may hold at most line_max
 * bytes (default 1 MiB) and the properties a card keeps at most card_max
 * bytes in all (default 4 MiB). Over-long lines of properties the reader
 * skips anyway (PHOTO, LOGO, SOUND, KEY, X-...) are skipped without error.
 * Memory stays bounded by these limits, whatever the input.
 *
 * A malformed card does not stop the reader: it comes back with error set
 * (the fields hold what was read before the error) and reading goes on after
 * its END:VCARD. Errors: "missing END:VCARD" (end of input, or a new
 * BEGIN:VCARD, before END:VCARD), "invalid UTF-8 on line 12",
 * "NUL byte on line 12", "line 12 longer than 1048576 bytes",
 * "card longer than 4194304 bytes", "malformed line 12",
 * "unsupported version \"5.0\" on line 12",
 * "unsupported charset \"x\" on line 12", "invalid SHIFT_JIS text on line 12",
 * "unsupported encoding \"x\" on line 12", "invalid base64 on line 12",
 * "more than 1000 categories on line 12".
 */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>
#include <stdio.h>

struct crm_buf;
struct crm_err;

#define CRM_VCARD_LINE_MAX_DEFAULT (1024u * 1024u)      /* 1 MiB */
#define CRM_VCARD_CARD_MAX_DEFAULT (4u * 1024u * 1024u) /* 4 MiB */

/* EMAIL, TEL or URL. */
struct crm_vcard_item {
	char *type;  /* "work", "home,cell", ... (see above) or NULL */
	char *value;
	int pref;    /* 1 for PREF=1, TYPE=pref or 2.1's bare PREF */
};

struct crm_vcard_adr {
	char *type;
	int pref;
	char *street, *locality, *region, *postal_code, *country;
};

struct crm_vcard {
	char *uid, *fn;
	char *family, *given, *additional, *prefix, *suffix;   /* N */
	char *org, *org_unit, *title;
	char *bday;   /* "YYYY-MM-DD" or NULL (see above) */
	char *note, *gender, *lang, *rev;
	struct crm_vcard_item *emails, *phones, *urls;
	size_t nemails, nphones, nurls;
	struct crm_vcard_adr *adrs;
	size_t nadrs;
	char **categories;
	size_t ncategories;

	int version;          /* 21, 30 or 40 from VERSION; 0 when missing */
	unsigned long line;   /* line of BEGIN:VCARD (1-based) */
	char *error;          /* NULL for a good card, else why it is bad */
};

struct crm_vcard_reader;

/* Reads from fp (not closed by the reader); name is used in messages. */
struct crm_vcard_reader *crm_vcard_open(FILE *fp, const char *name);

/* Changes the limits (0 keeps the default); call before the first read. */
void crm_vcard_set_limits(struct crm_vcard_reader *r, size_t line_max,
			  size_t card_max);

/* Next card: returns 1 with *card filled (its old contents are overwritten,
 * not freed; the caller owns the new ones and releases them with
 * crm_vcard_free), 0 at end of input, CRM_EX_IOERR (74) on a read error, or
 * CRM_EX_DATAERR (65) for input that starts with a UTF-16 byte order mark;
 * e is set on either error and *card is then empty. */
int crm_vcard_next(struct crm_vcard_reader *r, struct crm_vcard *card,
		   struct crm_err *e);

/* Frees what the card owns and zeroes it. */
void crm_vcard_free(struct crm_vcard *card);

void crm_vcard_close(struct crm_vcard_reader *r);

/* The name FN is written with: fn, else the N parts (prefix, given,
 * additional, family, suffix) joined with spaces, else org, else the first
 * email; NULL when there is none of these. Caller frees. */
char *crm_vcard_display_name(const struct crm_vcard *card);

/* Appends the card to out as vCard version 4 (4.0) or 3 (3.0), CRLF line
 * ends, lines folded at 75 octets without splitting a UTF-8 character.
 * Only reads card: its strings may be borrowed from anywhere (then do not
 * pass it to crm_vcard_free). NULL and empty strings are left out, types are
 * filtered as the reader does, line breaks in values are written as \n.
 * Properties: VERSION, FN (always, from crm_vcard_display_name, empty when
 * NULL), N (3.0: always, as RFC 2426 requires; 4.0: when there is a part),
 * ORG, TITLE, EMAIL, TEL, ADR, URL, BDAY, GENDER and LANG (4.0 only: 3.0 has
 * neither, and they are dropped), CATEGORIES, NOTE, UID, REV.
 * Preference: 4.0 writes PREF=1, 3.0 adds "pref" to TYPE. */
void crm_vcard_write(struct crm_buf *out, const struct crm_vcard *card,
		     int version);

#endif
