/* test_vcard.c - unit tests for lib/vcard.c. */
#define _GNU_SOURCE /* fopencookie */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "io/vcard.h"

#define MAXCARDS 8

/* Every card of s[0..n), read with the given limits (0: defaults). */
struct rd {
	struct crm_vcard card[MAXCARDS];
	size_t ncards;
	int rc;
	struct crm_err e;
};

static void rd_lim(struct rd *rd, const char *s, size_t n, size_t line_max,
		   size_t card_max)
{
	char *copy = malloc(n > 0 ? n : 1);
	struct crm_vcard_reader *r;
	struct crm_vcard c;
	FILE *fp;

	memset(rd, 0, sizeof(*rd));
	assert_non_null(copy);
	memcpy(copy, s, n);
	fp = n > 0 ? fmemopen(copy, n, "r") : fopen("/dev/null", "r");
	assert_non_null(fp);
	r = crm_vcard_open(fp, "test.vcf");
	assert_non_null(r);
	crm_vcard_set_limits(r, line_max, card_max);
	while ((rd->rc = crm_vcard_next(r, &c, &rd->e)) == 1) {
		assert_true(rd->ncards < MAXCARDS);
		rd->card[rd->ncards++] = c;
	}
	crm_vcard_close(r);
	fclose(fp);
	free(copy);
}

static void rd_free(struct rd *rd)
{
	for (size_t i = 0; i < rd->ncards; i++)
		crm_vcard_free(&rd->card[i]);
}

/* For string literals, which may hold NUL bytes. */
#define RD(rd, lit) rd_lim((rd), (lit), sizeof(lit) - 1, 0, 0)

/* One good card expected. */
static const struct crm_vcard *rd_one(struct rd *rd)
{
	assert_int_equal(rd->rc, 0);
	assert_int_equal(rd->ncards, 1);
	if (rd->card[0].error != NULL)
		fail_msg("card error: %s", rd->card[0].error);
	return &rd->card[0];
}

static void str_eq(const char *got, const char *want)
{
	if (want == NULL) {
		if (got != NULL)
			fail_msg("got \"%s\", wanted NULL", got);
		return;
	}
	if (got == NULL)
		fail_msg("got NULL, wanted \"%s\"", want);
	assert_string_equal(got, want);
}

static void item_eq(const struct crm_vcard_item *it, const char *type,
		    const char *value, int pref)
{
	str_eq(it->type, type);
	str_eq(it->value, value);
	assert_int_equal(it->pref, pref);
}

static void adr_eq(const struct crm_vcard_adr *a, const char *type, int pref,
		   const char *street, const char *locality, const char *region,
		   const char *postal_code, const char *country)
{
	str_eq(a->type, type);
	assert_int_equal(a->pref, pref);
	str_eq(a->street, street);
	str_eq(a->locality, locality);
	str_eq(a->region, region);
	str_eq(a->postal_code, postal_code);
	str_eq(a->country, country);
}

/* --- real exporters ----------------------------------------------------- */

static void vcard__apple_30__groups_types_and_pref(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"PRODID:-//Apple Inc.//iPhone OS 17.2//EN\r\n"
		"N:Appleseed;Johnny;;;\r\n"
		"FN:Johnny Appleseed\r\n"
		"ORG:Apple Inc.;\r\n"
		"TITLE:Engineer\r\n"
		"item1.EMAIL;type=INTERNET;type=WORK;type=pref:johnny@apple.example\r\n"
		"item1.X-ABLabel:_$!<Work>!$_\r\n"
		"item2.EMAIL;type=INTERNET,HOME:j@home.example\r\n"
		"item2.X-ABLabel:_$!<Other>!$_\r\n"
		"TEL;type=CELL;type=VOICE;type=pref:(408) 555-0101\r\n"
		"TEL;type=IPHONE;type=CELL;type=VOICE:(408) 555-0102\r\n"
		"item3.ADR;type=WORK;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States\r\n"
		"item3.X-ABADR:us\r\n"
		"item4.URL;type=pref:http\\://www.apple.example/\r\n"
		"item4.X-ABLabel:_$!<HomePage>!$_\r\n"
		"BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12\r\n"
		"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/\r\n"
		"X-SOCIALPROFILE;type=twitter:x-apple:johnny\r\n"
		"END:VCARD\r\n");
	c = rd_one(&rd);
	assert_int_equal(c->version, 30);
	assert_int_equal(c->line, 1);
	str_eq(c->fn, "Johnny Appleseed");
	str_eq(c->family, "Appleseed");
	str_eq(c->given, "Johnny");
	str_eq(c->additional, NULL);
	str_eq(c->org, "Apple Inc.");
	str_eq(c->org_unit, NULL);
	str_eq(c->title, "Engineer");
	str_eq(c->bday, NULL); /* year omitted */
	assert_int_equal(c->nemails, 2);
	item_eq(&c->emails[0], "work", "johnny@apple.example", 1);
	item_eq(&c->emails[1], "home", "j@home.example", 0);
	assert_int_equal(c->nphones, 2);
	item_eq(&c->phones[0], "cell,voice", "(408) 555-0101", 1);
	item_eq(&c->phones[1], "iphone,cell,voice", "(408) 555-0102", 0);
	assert_int_equal(c->nadrs, 1);
	adr_eq(&c->adrs[0], "work", 1, "1 Infinite Loop", "Cupertino", "CA",
	       "95014", "United States");
	assert_int_equal(c->nurls, 1);
	item_eq(&c->urls[0], NULL, "http://www.apple.example/", 1);
	rd_free(&rd);
}

static void vcard__google_30__all_fields(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"FN:Łukasz Nowak\r\n"
		"N:Nowak;Łukasz;;;\r\n"
		"EMAIL;TYPE=INTERNET;TYPE=HOME:lukasz@example.pl\r\n"
		"EMAIL;TYPE=INTERNET:lnowak@work.example\r\n"
		"TEL;TYPE=CELL:+48 600 100 200\r\n"
		"ADR;TYPE=HOME:;;ul. Długa 5;Gdańsk;;80-831;Polska\r\n"
		"ORG:Firma sp. z o.o.\r\n"
		"TITLE:Kierownik\r\n"
		"BDAY:1990-01-31\r\n"
		"URL:https://example.pl\r\n"
		"NOTE:Met at the conference\\, 2023.\\nLikes tea.\r\n"
		"CATEGORIES:myContacts,Starred in Android\r\n"
		"END:VCARD\r\n");
	c = rd_one(&rd);
	str_eq(c->fn, "Łukasz Nowak");
	str_eq(c->given, "Łukasz");
	str_eq(c->family, "Nowak");
	assert_int_equal(c->nemails, 2);
	item_eq(&c->emails[0], "home", "lukasz@example.pl", 0);
	item_eq(&c->emails[1], NULL, "lnowak@work.example", 0);
	item_eq(&c->phones[0], "cell", "+48 600 100 200", 0);
	adr_eq(&c->adrs[0], "home", 0, "ul. Długa 5", "Gdańsk", NULL, "80-831",
	       "Polska");
	str_eq(c->org, "Firma sp. z o.o.");
	str_eq(c->title, "Kierownik");
	str_eq(c->bday, "1990-01-31");
	item_eq(&c->urls[0], NULL, "https://example.pl", 0);
	str_eq(c->note, "Met at the conference, 2023.\nLikes tea.");
	assert_int_equal(c->ncategories, 2);
	str_eq(c->categories[0], "myContacts");
	str_eq(c->categories[1], "Starred in Android");
	rd_free(&rd);
}

static void vcard__outlook_21_qp_latin1__utf8(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\r\n"
		"VERSION:2.1\r\n"
		"N;LANGUAGE=de-de;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
		"FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller\r\n"
		"ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller GmbH;Vertrieb\r\n"
		"TITLE;CHARSET=ISO-8859-1:Gesch\xE4" "ftsf\xFChrer\r\n"
		"TEL;WORK;VOICE:+49 (89) 1234-0\r\n"
		"TEL;CELL;VOICE:+49 171 2345678\r\n"
		"ADR;WORK;PREF;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Stra=DFe 1;M=FCnchen;Bayern;80331;Deutschland\r\n"
		"LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:Stra=DFe 1=0D=0A=\r\n"
		"M=FCnchen 80331\r\n"
		"EMAIL;PREF;INTERNET:juergen@mueller.example\r\n"
		"NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Preis: 5 =80 =96 =93ok=94=0D=0A=\r\n"
		"zweite Zeile\r\n"
		"REV:20240101T120000Z\r\n"
		"END:VCARD\r\n");
	c = rd_one(&rd);
	assert_int_equal(c->version, 21);
	str_eq(c->family, "Müller");
	str_eq(c->given, "Jürgen");
	str_eq(c->fn, "Jürgen Müller");
	str_eq(c->org, "Müller GmbH");
	str_eq(c->org_unit, "Vertrieb");
	str_eq(c->title, "Geschäftsführer");
	assert_int_equal(c->nphones, 2);
	item_eq(&c->phones[0], "work,voice", "+49 (89) 1234-0", 0);
	item_eq(&c->phones[1], "cell,voice", "+49 171 2345678", 0);
	adr_eq(&c->adrs[0], "work", 1, "Straße 1", "München", "Bayern", "80331",
	       "Deutschland");
	item_eq(&c->emails[0], NULL, "juergen@mueller.example", 1);
	str_eq(c->note, "Preis: 5 € – “ok”\nzweite Zeile");
	str_eq(c->rev, "20240101T120000Z");
	rd_free(&rd);
}

static void vcard__android_21_qp_soft_break__joined(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	/* The soft break falls inside the three bytes of U+30B3; the line
	 * after it starts with '=', and the next one with a space that is
	 * data, not a fold. */
	RD(&rd, "BEGIN:VCARD\n"
		"VERSION:2.1\n"
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0;=E5=A4=AA=E9=83=8E;;;\n"
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0=E5=A4=AA=E9=83=8E\n"
		"TEL;CELL:090-1234-5678\n"
		"EMAIL;HOME:taro@example.jp\n"
		"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=B1=E4=BA=AC=E3=81=AE=E5=8F=8B=E4=BA=BA=0A=E3=82=\n"
		"=B3=E3=83=BC=E3=83=92=E3=83=BC=\n"
		" and tea\n"
		"X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Taro;1;;;;;;;;;;;;;\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	str_eq(c->family, "山田");
	str_eq(c->given, "太郎");
	str_eq(c->fn, "山田太郎");
	item_eq(&c->phones[0], "cell", "090-1234-5678", 0);
	item_eq(&c->emails[0], "home", "taro@example.jp", 0);
	str_eq(c->note, "東京の友人\nコーヒー and tea");
	rd_free(&rd);
}

static void vcard__v40_uri_tel_and_pref__values_stripped(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n"
		"FN:Zoë Durand\r\n"
		"N:Durand;Zoë;;;\r\n"
		"GENDER:F;she/her\r\n"
		"LANG;PREF=2:en\r\n"
		"LANG;PREF=1:fr\r\n"
		"TEL;VALUE=uri;TYPE=\"voice,home\";PREF=1:tel:+33-1-23-45-67-89\r\n"
		"TEL;VALUE=uri;TYPE=work:tel:+1-201-555-0123;ext=456\r\n"
		"EMAIL;TYPE=work;PREF=1:mailto:zoe@example.fr\r\n"
		"EMAIL;PREF=2:zoe@home.example\r\n"
		"ADR;TYPE=home;LABEL=\"12 rue X\\n75001 Paris: France\":;;12 rue X;Paris;;75001;France\r\n"
		"BDAY:--0412\r\n"
		"ANNIVERSARY:19960415\r\n"
		"REV:20240315T093000Z\r\n"
		"END:VCARD\r\n");
	c = rd_one(&rd);
	assert_int_equal(c->version, 40);
	str_eq(c->uid, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
	str_eq(c->fn, "Zoë Durand");
	str_eq(c->gender, "F");
	str_eq(c->lang, "fr");
	assert_int_equal(c->nphones, 2);
	item_eq(&c->phones[0], "voice,home", "+33-1-23-45-67-89", 1);
	item_eq(&c->phones[1], "work", "+1-201-555-0123 ext 456", 0);
	item_eq(&c->emails[0], "work", "zoe@example.fr", 1);
	item_eq(&c->emails[1], NULL, "zoe@home.example", 0);
	adr_eq(&c->adrs[0], "home", 0, "12 rue X", "Paris", NULL, "75001",
	       "France");
	str_eq(c->bday, NULL);
	str_eq(c->rev, "20240315T093000Z");
	rd_free(&rd);
}

/* --- syntax --------------------------------------------------------------- */

static void vcard__folded_lines__unfolded(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	/* Folds inside the name, inside a parameter, inside the two bytes of
	 * "ë" and the three of "山", by space and by tab. */
	RD(&rd, "BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"FN:Zo\xC3\r\n \xAB Smith-\xE5\r\n\t\xB1\xB1\r\n"
		"NOTE:This is a long note that is folded\r\n"
		"  across lines\r\n"
		"EM\r\n AIL;TY\r\n PE=wo\r\n rk:zoe\r\n @example.com\r\n"
		"END:VCARD\r\n");
	c = rd_one(&rd);
	str_eq(c->fn, "Zoë Smith-山");
	str_eq(c->note, "This is a long note that is folded across lines");
	item_eq(&c->emails[0], "work", "zoe@example.com", 0);
	rd_free(&rd);
}

static void vcard__escapes__unescaped(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\n"
		"VERSION:3.0\n"
		"FN:a\\,b\\;c\\nd\\Ne\\\\f\\:g\\xh\\\n"
		"N:O\\;Brien;Pat\\,Jr;;;\n"
		"ORG:Smith\\, Jones & Co;R\\;D;;Labs\n"
		"NOTE:C:\\\\new\\\\x\n"
		"ADR:;;1 Main St\\, Apt 2;Town\\;ville;;;\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	str_eq(c->fn, "a,b;c\nd\ne\\f:g\\xh\\");
	str_eq(c->family, "O;Brien");
	str_eq(c->given, "Pat,Jr");
	str_eq(c->org, "Smith, Jones & Co");
	str_eq(c->org_unit, "R;D, Labs");
	str_eq(c->note, "C:\\new\\x");
	adr_eq(&c->adrs[0], NULL, 0, "1 Main St, Apt 2", "Town;ville", NULL,
	       NULL, NULL);
	rd_free(&rd);
}

static void vcard__params__every_form_read(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\n"
		"VERSION:3.0\n"
		"email;Type=Work,Voice:a@x\n"
		"EMAIL;TYPE=\"work,home\";type=WORK:b@x\n"
		"EMAIL;TYPE=work;TYPE=home;PREF=1:c@x\n"
		"EMAIL;INTERNET;PREF:d@x\n"
		"EMAIL;TYPE=x-custom;TYPE=bad_token;TYPE=\"spa ce\";TYPE=:e@x\n"
		"TEL;WORK;VOICE;PREF:1\n"
		"TEL;type=\"cell\",\"home\":2\n"
		"TEL;X-FOO=\"a;b:c\";TYPE=fax:3\n"
		"ADR;POSTAL;PARCEL;DOM;HOME:;;s;l;r;p;c\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	assert_int_equal(c->nemails, 5);
	item_eq(&c->emails[0], "work,voice", "a@x", 0);
	item_eq(&c->emails[1], "work,home", "b@x", 0);
	item_eq(&c->emails[2], "work,home", "c@x", 1);
	item_eq(&c->emails[3], NULL, "d@x", 1);
	item_eq(&c->emails[4], "x-custom", "e@x", 0);
	assert_int_equal(c->nphones, 3);
	item_eq(&c->phones[0], "work,voice", "1", 1);
	item_eq(&c->phones[1], "cell,home", "2", 0);
	item_eq(&c->phones[2], "fax", "3", 0);
	adr_eq(&c->adrs[0], "postal,parcel,dom,home", 0, "s", "l", "r", "p",
	       "c");
	rd_free(&rd);
}

static void vcard__line_ends__lf_crlf_cr_alike(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nFN:A\nEND:VCARD\n"
		"BEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\rFN:C\rEND:VCARD\r"
		"BEGIN:VCARD\nFN:D\r\n \r\nNOTE:x\nEND:VCARD");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 4);
	str_eq(rd.card[0].fn, "A");
	str_eq(rd.card[1].fn, "B");
	str_eq(rd.card[2].fn, "C");
	str_eq(rd.card[3].fn, "D");
	str_eq(rd.card[3].note, "x");
	assert_int_equal(rd.card[0].line, 1);
	assert_int_equal(rd.card[1].line, 4);
	assert_int_equal(rd.card[2].line, 7);
	assert_int_equal(rd.card[3].line, 10);
	for (size_t i = 0; i < rd.ncards; i++) {
		assert_null(rd.card[i].error);
		assert_int_equal(rd.card[i].version, 0);
	}
	rd_free(&rd);
}

static void vcard__items__several_with_types(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\n"
		"VERSION:4.0\n"
		"FN:Multi\n"
		"EMAIL;TYPE=work:w@x\n"
		"EMAIL;TYPE=home;PREF=1:h@x\n"
		"EMAIL:  o@x  \n"
		"EMAIL:\n"
		"TEL;TYPE=cell:1\n"
		"TEL;TYPE=work,fax:2\n"
		"TEL;TYPE=home:3\n"
		"ADR;TYPE=work:;;W;;;;\n"
		"ADR;TYPE=home;PREF=1:PO Box 7;Suite 5;1 Main St;Town;ST;12345;US\n"
		"ADR:;;;;;;\n"
		"URL;TYPE=work:https://w.example\n"
		"URL:https://h.example\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	assert_int_equal(c->nemails, 3);
	item_eq(&c->emails[0], "work", "w@x", 0);
	item_eq(&c->emails[1], "home", "h@x", 1);
	item_eq(&c->emails[2], NULL, "o@x", 0);
	assert_int_equal(c->nphones, 3);
	item_eq(&c->phones[0], "cell", "1", 0);
	item_eq(&c->phones[1], "work,fax", "2", 0);
	item_eq(&c->phones[2], "home", "3", 0);
	assert_int_equal(c->nadrs, 2);
	adr_eq(&c->adrs[0], "work", 0, "W", NULL, NULL, NULL, NULL);
	adr_eq(&c->adrs[1], "home", 1, "1 Main St, Suite 5, PO Box 7", "Town",
	       "ST", "12345", "US");
	assert_int_equal(c->nurls, 2);
	item_eq(&c->urls[0], "work", "https://w.example", 0);
	item_eq(&c->urls[1], NULL, "https://h.example", 0);
	rd_free(&rd);
}

static void vcard__non_ascii__kept(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nVERSION:4.0\nFN:Zoë Saldaña\nN:Saldaña;Zoë;;;\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:4.0\nFN:山田太郎\nN:山田;太郎;;;\nNOTE:😀 ok\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:3.0\nFN:Łukasz Żółć\nORG:Zakład Łódź\nEND:VCARD\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 3);
	str_eq(rd.card[0].fn, "Zoë Saldaña");
	str_eq(rd.card[0].given, "Zoë");
	str_eq(rd.card[1].fn, "山田太郎");
	str_eq(rd.card[1].family, "山田");
	str_eq(rd.card[1].note, "😀 ok");
	str_eq(rd.card[2].fn, "Łukasz Żółć");
	str_eq(rd.card[2].org, "Zakład Łódź");
	rd_free(&rd);
}

static void vcard__categories_escaped_comma__split(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nVERSION:3.0\nFN:x\n"
		"CATEGORIES:Friends\\, close, Work ,,Work\n"
		"CATEGORIES:VIP,Friends\\, close\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	assert_int_equal(c->ncategories, 3);
	str_eq(c->categories[0], "Friends, close");
	str_eq(c->categories[1], "Work");
	str_eq(c->categories[2], "VIP");
	rd_free(&rd);
}

static void vcard__bday_forms__normalised_or_null(void **state)
{
	static const struct {
		const char *line;
		const char *want;
	} t[] = {
		{ "BDAY:19850412", "1985-04-12" },
		{ "BDAY:1985-04-12", "1985-04-12" },
		{ "BDAY:1985-04-12T00:00:00Z", "1985-04-12" },
		{ "BDAY;VALUE=date:19850412T000000", "1985-04-12" },
		{ "BDAY: 2000-02-29 ", "2000-02-29" },
		{ "BDAY:--0412", NULL },
		{ "BDAY:--04-12", NULL },
		{ "BDAY:1985", NULL },
		{ "BDAY:1985-04", NULL },
		{ "BDAY:1985-02-29", NULL },
		{ "BDAY:1900-02-29", NULL },
		{ "BDAY:1985-13-01", NULL },
		{ "BDAY:0000-01-01", NULL },
		{ "BDAY;VALUE=text:circa 1800", NULL },
		{ "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12", NULL },
		{ "BDAY;X-APPLE-OMIT-YEAR=1604:1984-04-12", "1984-04-12" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct crm_buf b = CRM_BUF_INIT;
		struct rd rd;

		crm_buf_addf(&b, "BEGIN:VCARD\nVERSION:4.0\n%s\nEND:VCARD\n",
			     t[i].line);
		rd_lim(&rd, b.data, b.len, 0, 0);
		str_eq(rd_one(&rd)->bday, t[i].want);
		rd_free(&rd);
		crm_buf_free(&b);
	}
}

static void vcard__single_properties__first_non_empty_wins(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nVERSION:3.0\n"
		"FN:\nFN:First\nFN:Second\n"
		"N:;;;;\nN:Doe;Jane;;;\nN:Roe;Rick;;;\n"
		"ORG:A;B\nORG:C\n"
		"BDAY:--0101\nBDAY:1970-01-02\n"
		"LANG:de\nLANG:en\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	str_eq(c->fn, "First");
	str_eq(c->family, "Doe");
	str_eq(c->given, "Jane");
	str_eq(c->org, "A");
	str_eq(c->org_unit, "B");
	str_eq(c->bday, "1970-01-02");
	str_eq(c->lang, "de");
	rd_free(&rd);
}

static void vcard__several_cards_and_junk__all_read(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "\xEF\xBB\xBF" "BEGIN:VCARD\nFN:one\nEND:VCARD\n"
		"some junk between\n\n"
		"begin:vcard\nfn:two\nend:vcard\n"
		"BEGIN:VCALENDAR\nEND:VCALENDAR\n"
		"BEGIN:VCARD  \nFN:three\nEND:VCARD  \n"
		"trailing junk");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 3);
	str_eq(rd.card[0].fn, "one");
	str_eq(rd.card[1].fn, "two");
	str_eq(rd.card[2].fn, "three");
	assert_int_equal(rd.card[1].line, 6);
	assert_int_equal(rd.card[2].line, 11);
	rd_free(&rd);
}

static void vcard__charsets__converted(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	/* Shift_JIS "表n": the second byte of 表 is 0x5C, a backslash, which
	 * must not escape the n. */
	RD(&rd, "BEGIN:VCARD\nVERSION:2.1\n"
		"NOTE;CHARSET=SHIFT_JIS:\x95\x5Cn\n"
		"FN;CHARSET=ISO-8859-1:Ren\xE9\n"
		"ORG;CHARSET=us-ascii:plain\n"
		"TITLE;ENCODING=BASE64;CHARSET=UTF-8:WsO2w6s=\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	str_eq(c->note, "表n");
	str_eq(c->fn, "René");
	str_eq(c->org, "plain");
	str_eq(c->title, "Zöë");
	rd_free(&rd);
}

static void vcard__base64_photo_21__skipped(void **state)
{
	struct rd rd;
	const struct crm_vcard *c;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nVERSION:2.1\nFN:Pic\n"
		"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\n"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
		"  BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB==\n"
		"\n"
		"TEL:1\n"
		"END:VCARD\n");
	c = rd_one(&rd);
	str_eq(c->fn, "Pic");
	item_eq(&c->phones[0], NULL, "1", 0);
	rd_free(&rd);
}

/* --- bad input ------------------------------------------------------------ */

static void vcard__missing_end__card_error(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nFN:a\n"
		"BEGIN:VCARD\nFN:b\nEND:VCARD\n"
		"BEGIN:VCARD\nFN:c\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 3);
	str_eq(rd.card[0].error, "missing END:VCARD");
	str_eq(rd.card[0].fn, "a");
	assert_int_equal(rd.card[0].line, 1);
	assert_null(rd.card[1].error);
	str_eq(rd.card[1].fn, "b");
	assert_int_equal(rd.card[1].line, 3);
	str_eq(rd.card[2].error, "missing END:VCARD");
	assert_int_equal(rd.card[2].line, 6);
	rd_free(&rd);
}

static void vcard__invalid_utf8__card_error_next_card_read(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nVERSION:3.0\nFN:ok\nNOTE:bad \xC3\x28 byte\nTITLE:t\nEND:VCARD\n"
		"BEGIN:VCARD\nFN:M\xFCller\nEND:VCARD\n"
		"BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=ED=A0=80\nEND:VCARD\n"
		"BEGIN:VCARD\nFN:fine\nEND:VCARD\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 4);
	str_eq(rd.card[0].error, "invalid UTF-8 on line 4");
	str_eq(rd.card[0].fn, "ok");
	str_eq(rd.card[0].title, NULL); /* nothing read after the error */
	str_eq(rd.card[1].error, "invalid UTF-8 on line 8");
	str_eq(rd.card[2].error, "invalid UTF-8 on line 11");
	assert_null(rd.card[3].error);
	str_eq(rd.card[3].fn, "fine");
	rd_free(&rd);
}

static void vcard__nul_byte__card_error(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nFN:a\0b\nEND:VCARD\n"
		"BEGIN:VCARD\nX-THING:\0\nEND:VCARD\n"
		"BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:a=00b\nEND:VCARD\n"
		"junk \0 outside\n"
		"BEGIN:VCARD\nFN:ok\nEND:VCARD\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 4);
	str_eq(rd.card[0].error, "NUL byte on line 2");
	str_eq(rd.card[1].error, "NUL byte on line 5");
	str_eq(rd.card[2].error, "NUL byte on line 8");
	assert_null(rd.card[3].error);
	rd_free(&rd);
}

static void vcard__malformed__card_error(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "BEGIN:VCARD\nFN:a\nthis line has no colon\nEND:VCARD\n"
		"BEGIN:VCARD\nbad name:x\nEND:VCARD\n"
		"BEGIN:VCARD\nTEL;TYPE=\"unterminated:1\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:5.0\nEND:VCARD\n"
		"BEGIN:VCARD\nFN;CHARSET=KLINGON:x\nEND:VCARD\n"
		"BEGIN:VCARD\nFN;ENCODING=UUENCODE:x\nEND:VCARD\n"
		"BEGIN:VCARD\nFN;ENCODING=B:!!!\nEND:VCARD\n"
		"BEGIN:VCARD\nFN;CHARSET=SHIFT_JIS:\x81\nEND:VCARD\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 8);
	str_eq(rd.card[0].error, "malformed line 3");
	str_eq(rd.card[1].error, "malformed line 6");
	str_eq(rd.card[2].error, "malformed line 9");
	str_eq(rd.card[3].error, "unsupported version \"5.0\" on line 12");
	str_eq(rd.card[4].error, "unsupported charset \"KLINGON\" on line 15");
	str_eq(rd.card[5].error, "unsupported encoding \"UUENCODE\" on line 18");
	str_eq(rd.card[6].error, "invalid base64 on line 21");
	str_eq(rd.card[7].error, "invalid SHIFT_JIS text on line 24");
	rd_free(&rd);
}

static void vcard__huge_line__card_error(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct rd rd;

	(void)state;
	crm_buf_adds(&b, "BEGIN:VCARD\nFN:big\nNOTE:");
	for (size_t i = 0; i < 2u * 1024u * 1024u; i++)
		crm_buf_addc(&b, 'x');
	crm_buf_adds(&b, "\nEND:VCARD\nBEGIN:VCARD\nFN:next\nEND:VCARD\n");
	rd_lim(&rd, b.data, b.len, 0, 0);
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 2);
	str_eq(rd.card[0].error, "line 3 longer than 1048576 bytes");
	str_eq(rd.card[0].note, NULL);
	str_eq(rd.card[1].fn, "next");
	assert_int_equal(rd.card[1].line, 5);
	rd_free(&rd);
	crm_buf_free(&b);
}

static void vcard__huge_photo__skipped_without_error(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct rd rd;

	(void)state;
	crm_buf_adds(&b, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:pic\r\n"
			 "PHOTO:data:image/jpeg;base64,");
	for (size_t i = 0; i < 40000; i++)
		crm_buf_adds(&b, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xt\r\n ");
	crm_buf_adds(&b, "AA==\r\nEMAIL:p@x\r\nEND:VCARD\r\n");
	rd_lim(&rd, b.data, b.len, 0, 0);
	str_eq(rd_one(&rd)->fn, "pic");
	item_eq(&rd.card[0].emails[0], NULL, "p@x", 0);
	rd_free(&rd);
	crm_buf_free(&b);
}

static void vcard__limits__card_and_line_caps(void **state)
{
	static const char lim[] =
		"BEGIN:VCARD\nNOTE:0123456789\nFN:abc\nEND:VCARD\n"
		"BEGIN:VCARD\nNOTE:01234567890123456789\nEND:VCARD\n"
		"BEGIN:VCARD\nEMAIL:a@x\nEMAIL:b@x\nEMAIL:c@x\nEND:VCARD\n";
	struct rd rd;

	(void)state;
	rd_lim(&rd, lim, sizeof(lim) - 1, 16, 24);
	assert_int_equal(rd.ncards, 3);
	assert_null(rd.card[0].error);
	str_eq(rd.card[1].error, "line 6 longer than 16 bytes");
	str_eq(rd.card[2].error, "card longer than 24 bytes");
	assert_int_equal(rd.card[2].nemails, 2);
	rd_free(&rd);
}

static void vcard__many_types_and_categories__capped(void **state)
{
	struct crm_buf b = CRM_BUF_INIT, want = CRM_BUF_INIT;
	struct rd rd;

	(void)state;
	crm_buf_adds(&b, "BEGIN:VCARD\nTEL;TYPE=t0");
	crm_buf_adds(&want, "t0");
	for (int i = 1; i < 20; i++) {
		crm_buf_addf(&b, ",t%d", i);
		if (i < 16)
			crm_buf_addf(&want, ",t%d", i);
	}
	crm_buf_adds(&b, ";TYPE=pref:1\nEND:VCARD\nBEGIN:VCARD\nCATEGORIES:c");
	for (int i = 0; i < 1001; i++)
		crm_buf_addf(&b, ",c%d", i);
	crm_buf_adds(&b, "\nEND:VCARD\n");
	rd_lim(&rd, b.data, b.len, 0, 0);
	assert_int_equal(rd.ncards, 2);
	assert_null(rd.card[0].error);
	item_eq(&rd.card[0].phones[0], want.data, "1", 1);
	str_eq(rd.card[1].error, "more than 1000 categories on line 5");
	assert_int_equal(rd.card[1].ncategories, 1000);
	rd_free(&rd);
	crm_buf_free(&b);
	crm_buf_free(&want);
}

static void vcard__empty_and_junk_files__no_cards(void **state)
{
	struct rd rd;

	(void)state;
	rd_lim(&rd, "", 0, 0, 0);
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 0);
	RD(&rd, "\n\r\n   \nnot a vcard\nEND:VCARD\n");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 0);
	RD(&rd, "\xEF\xBB\xBF");
	assert_int_equal(rd.rc, 0);
	assert_int_equal(rd.ncards, 0);
}

static void vcard__utf16_input__dataerr(void **state)
{
	struct rd rd;

	(void)state;
	RD(&rd, "\xFF\xFE" "B\0E\0G\0I\0N\0:\0V\0C\0A\0R\0D\0\r\0\n\0");
	assert_int_equal(rd.rc, CRM_EX_DATAERR);
	assert_int_equal(rd.ncards, 0);
	assert_string_equal(rd.e.msg,
			    "test.vcf: UTF-16 text: convert it to UTF-8 first");
}

static ssize_t fail_read(void *cookie, char *out, size_t n)
{
	int *calls = cookie;
	static const char head[] = "BEGIN:VCARD\nFN:a\n";

	(void)n;
	if ((*calls)++ == 0) {
		memcpy(out, head, sizeof(head) - 1);
		return (ssize_t)(sizeof(head) - 1);
	}
	errno = EIO;
	return -1;
}

static void vcard__read_error__ioerr(void **state)
{
	cookie_io_functions_t io = { fail_read, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };
	struct crm_vcard_reader *r;
	struct crm_vcard c;
	int calls = 0;
	FILE *fp;

	(void)state;
	fp = fopencookie(&calls, "r", io);
	assert_non_null(fp);
	r = crm_vcard_open(fp, "in.vcf");
	assert_int_equal(crm_vcard_next(r, &c, &e), CRM_EX_IOERR);
	assert_string_equal(e.msg, "in.vcf: read error: Input/output error");
	assert_null(c.fn);
	crm_vcard_close(r);
	fclose(fp);
}

/* A 64 MiB line of one property, generated on the fly. */
struct gen {
	size_t total;
	size_t pos;
};

static ssize_t gen_read(void *cookie, char *out, size_t n)
{
	static const char head[] = "BEGIN:VCARD\nNOTE:";
	static const char tail[] = "\nEND:VCARD\nBEGIN:VCARD\nFN:ok\nEND:VCARD\n";
	struct gen *g = cookie;
	size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1, done = 0;

	while (done < n && g->pos < hl + g->total + tl) {
		size_t p = g->pos;

		if (p < hl)
			out[done] = head[p];
		else if (p < hl + g->total)
			out[done] = 'x';
		else
			out[done] = tail[p - hl - g->total];
		done++;
		g->pos++;
	}
	return (ssize_t)done;
}

static void vcard__64mib_line__memory_bounded(void **state)
{
	cookie_io_functions_t io = { gen_read, NULL, NULL, NULL };
	struct gen g = { 64u * 1024u * 1024u, 0 };
	struct crm_err e = { 0, "" };
	struct crm_vcard_reader *r;
	struct crm_vcard c;
	struct mallinfo2 before, after;
	FILE *fp;

	(void)state;
	fp = fopencookie(&g, "r", io);
	assert_non_null(fp);
	before = mallinfo2();
	r = crm_vcard_open(fp, "gen");
	assert_int_equal(crm_vcard_next(r, &c, &e), 1);
	str_eq(c.error, "line 2 longer than 1048576 bytes");
	/* The reader's line buffer is still allocated: it must be about
	 * the 1 MiB limit, not the 64 MiB line. */
	after = mallinfo2();
	assert_true(after.uordblks - before.uordblks < 3u * 1024u * 1024u);
	crm_vcard_free(&c);
	assert_int_equal(crm_vcard_next(r, &c, &e), 1);
	str_eq(c.fn, "ok");
	crm_vcard_free(&c);
	assert_int_equal(crm_vcard_next(r, &c, &e), 0);
	crm_vcard_close(r);
	fclose(fp);
}

/* --- writing -------------------------------------------------------------- */

static void vcard__write_40__expected_text(void **state)
{
	struct crm_vcard_item emails[] = {
		{ "work", "a@x", 1 }, { NULL, "b@x", 0 }, { "home", "", 0 },
	};
	struct crm_vcard_item phones[] = { { "cell,VOICE,pref,b@d", "+1 555", 0 } };
	struct crm_vcard_item urls[] = { { NULL, "https://x.example/a,b;c", 0 } };
	struct crm_vcard_adr adrs[] = {
		{ "home", 1, "1 Main St\nFlat 2", "Town", NULL, "123", "NL" },
	};
	char *cats[] = { "VIP", "a,b", "" };
	struct crm_vcard c;
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.given = "Jan";
	c.family = "de Vries";
	c.org = "Acme; Ltd";
	c.org_unit = "R&D";
	c.title = "Boss\\Chief";
	c.bday = "1970-01-02";
	c.note = "line 1\r\nline 2\rline 3";
	c.gender = "M";
	c.lang = "nl";
	c.uid = "u-1";
	c.rev = "20240101T000000Z";
	c.emails = emails;
	c.nemails = 3;
	c.phones = phones;
	c.nphones = 1;
	c.urls = urls;
	c.nurls = 1;
	c.adrs = adrs;
	c.nadrs = 1;
	c.categories = cats;
	c.ncategories = 3;
	crm_vcard_write(&b, &c, 4);
	assert_string_equal(crm_buf_str(&b),
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Jan de Vries\r\n"
		"N:de Vries;Jan;;;\r\n"
		"ORG:Acme\\; Ltd;R&D\r\n"
		"TITLE:Boss\\\\Chief\r\n"
		"EMAIL;TYPE=work;PREF=1:a@x\r\n"
		"EMAIL:b@x\r\n"
		"TEL;TYPE=cell,voice;PREF=1:+1 555\r\n"
		"ADR;TYPE=home;PREF=1:;;1 Main St\\nFlat 2;Town;;123;NL\r\n"
		"URL:https://x.example/a,b;c\r\n"
		"BDAY:1970-01-02\r\n"
		"GENDER:M\r\n"
		"LANG:nl\r\n"
		"CATEGORIES:VIP,a\\,b\r\n"
		"NOTE:line 1\\nline 2\\nline 3\r\n"
		"UID:u-1\r\n"
		"REV:20240101T000000Z\r\n"
		"END:VCARD\r\n");

	crm_buf_reset(&b);
	crm_vcard_write(&b, &c, 3);
	assert_string_equal(crm_buf_str(&b),
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"FN:Jan de Vries\r\n"
		"N:de Vries;Jan;;;\r\n"
		"ORG:Acme\\; Ltd;R&D\r\n"
		"TITLE:Boss\\\\Chief\r\n"
		"EMAIL;TYPE=work,pref:a@x\r\n"
		"EMAIL:b@x\r\n"
		"TEL;TYPE=cell,voice,pref:+1 555\r\n"
		"ADR;TYPE=home,pref:;;1 Main St\\nFlat 2;Town;;123;NL\r\n"
		"URL:https://x.example/a,b;c\r\n"
		"BDAY:1970-01-02\r\n"
		"CATEGORIES:VIP,a\\,b\r\n"
		"NOTE:line 1\\nline 2\\nline 3\r\n"
		"UID:u-1\r\n"
		"REV:20240101T000000Z\r\n"
		"END:VCARD\r\n");
	crm_buf_free(&b);
}

static void vcard__write_fn__built_from_name_org_or_email(void **state)
{
	struct crm_vcard_item emails[] = { { NULL, "e@x", 0 } };
	struct crm_vcard c;
	struct crm_buf b = CRM_BUF_INIT;
	char *s;

	(void)state;
	memset(&c, 0, sizeof(c));
	crm_vcard_write(&b, &c, 4);
	assert_string_equal(crm_buf_str(&b),
			    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\r\nEND:VCARD\r\n");
	crm_buf_reset(&b);
	crm_vcard_write(&b, &c, 3);
	assert_string_equal(crm_buf_str(&b),
			    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nN:;;;;\r\n"
			    "END:VCARD\r\n");
	crm_buf_free(&b);

	c.emails = emails;
	c.nemails = 1;
	s = crm_vcard_display_name(&c);
	str_eq(s, "e@x");
	free(s);
	c.org = "Org";
	s = crm_vcard_display_name(&c);
	str_eq(s, "Org");
	free(s);
	c.prefix = "Dr.";
	c.given = "Ann";
	c.additional = "B.";
	c.family = "Carr";
	c.suffix = "PhD";
	s = crm_vcard_display_name(&c);
	str_eq(s, "Dr. Ann B. Carr PhD");
	free(s);
	c.fn = "Annie";
	s = crm_vcard_display_name(&c);
	str_eq(s, "Annie");
	free(s);
}

static void vcard__write_fold__75_octets_utf8_whole(void **state)
{
	struct crm_buf b = CRM_BUF_INIT, note = CRM_BUF_INIT;
	struct crm_vcard c;
	const char *p, *end;
	struct rd rd;
	size_t lines = 0;

	(void)state;
	for (int i = 0; i < 60; i++)
		crm_buf_adds(&note, i % 3 == 0 ? "山" : i % 3 == 1 ? "ë" : "a😀");
	memset(&c, 0, sizeof(c));
	c.fn = "F";
	c.note = note.data;
	crm_vcard_write(&b, &c, 4);
	p = crm_buf_str(&b);
	end = p + b.len;
	while (p < end) {
		const char *nl = strstr(p, "\r\n");
		size_t n;

		assert_non_null(nl);
		n = (size_t)(nl - p);
		assert_true(n <= 75);
		/* BEGIN, VERSION, FN, NOTE, its continuations, END */
		if (lines > 3 && strncmp(p, "END:VCARD\r\n", 11) != 0)
			assert_int_equal(p[0], ' ');
		/* No line starts or ends inside a character. */
		if (n > 0) {
			unsigned char last = (unsigned char)nl[-1];
			unsigned char first = (unsigned char)p[p[0] == ' ' ? 1 : 0];

			assert_true(last < 0x80 || (last & 0xC0) == 0x80);
			assert_true((first & 0xC0) != 0x80);
		}
		lines++;
		p = nl + 2;
	}
	assert_true(lines > 6);
	rd_lim(&rd, b.data, b.len, 0, 0);
	str_eq(rd_one(&rd)->note, note.data);
	rd_free(&rd);
	crm_buf_free(&b);
	crm_buf_free(&note);
}

/* --- round trip ----------------------------------------------------------- */

static void items_eq(const struct crm_vcard_item *a, size_t na,
		     const struct crm_vcard_item *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		item_eq(&b[i], a[i].type, a[i].value, a[i].pref);
}

static void cards_eq(const struct crm_vcard *a, const struct crm_vcard *b,
		     int version)
{
	assert_null(b->error);
	str_eq(b->fn, a->fn);
	str_eq(b->family, a->family);
	str_eq(b->given, a->given);
	str_eq(b->additional, a->additional);
	str_eq(b->prefix, a->prefix);
	str_eq(b->suffix, a->suffix);
	str_eq(b->org, a->org);
	str_eq(b->org_unit, a->org_unit);
	str_eq(b->title, a->title);
	str_eq(b->bday, a->bday);
	str_eq(b->note, a->note);
	str_eq(b->gender, version == 4 ? a->gender : NULL);
	str_eq(b->lang, version == 4 ? a->lang : NULL);
	str_eq(b->rev, a->rev);
	str_eq(b->uid, a->uid);
	items_eq(a->emails, a->nemails, b->emails, b->nemails);
	items_eq(a->phones, a->nphones, b->phones, b->nphones);
	items_eq(a->urls, a->nurls, b->urls, b->nurls);
	assert_int_equal(a->nadrs, b->nadrs);
	for (size_t i = 0; i < a->nadrs; i++)
		adr_eq(&b->adrs[i], a->adrs[i].type, a->adrs[i].pref,
		       a->adrs[i].street, a->adrs[i].locality,
		       a->adrs[i].region, a->adrs[i].postal_code,
		       a->adrs[i].country);
	assert_int_equal(a->ncategories, b->ncategories);
	for (size_t i = 0; i < a->ncategories; i++)
		str_eq(b->categories[i], a->categories[i]);
}

static void vcard__round_trip__every_field_back(void **state)
{
	static const char in[] =
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"UID:urn:uuid:1234\\;5\r\n"
		"FN:Dr. Zoë \\\"Z\\\" O\\;Brien-山田\\, Jr.\r\n"
		"N:O\\;Brien-山田;Zoë;Anne,Marie;Dr.;Jr.\r\n"
		"ORG:Łódź\\, Inc.;R&D;Labs\r\n"
		"TITLE:Head\\\\of\\nThings\r\n"
		"BDAY:19800229\r\n"
		"NOTE:A note with\\nnewlines\\, commas\\; semicolons and a very long"
		" tail that must be folded more than once because it goes on and on"
		" — with 😀 emoji and ünïcödé all the way to the end\\\\\r\n"
		"GENDER:O;nonbinary\r\n"
		"LANG:pl\r\n"
		"REV:20240101T000000Z\r\n"
		"EMAIL;TYPE=work,x-other;PREF=1:a@x.example\r\n"
		"EMAIL:b;c,d\\\\@x.example\r\n"
		"TEL;TYPE=cell:+48 600 100 200\r\n"
		"TEL;TYPE=home,fax;PREF=1:tel:+1-555-0100;ext=9\r\n"
		"URL:https://x.example/?a=1,b=2;c\r\n"
		"ADR;TYPE=work;PREF=1:Box 1;Fl. 2;ul. Długa 5\\, m. 3;Gdańsk;Pom.;80-831;PL\r\n"
		"ADR:;;;Town;;;\r\n"
		"CATEGORIES:a\\,b,c\\;d,e\\\\f\r\n"
		"END:VCARD\r\n";
	struct rd first, again;

	(void)state;
	RD(&first, in);
	rd_one(&first);
	for (int version = 3; version <= 4; version++) {
		struct crm_buf b = CRM_BUF_INIT;

		crm_vcard_write(&b, &first.card[0], version);
		rd_lim(&again, b.data, b.len, 0, 0);
		assert_int_equal(rd_one(&again)->version, version * 10);
		cards_eq(&first.card[0], &again.card[0], version);
		rd_free(&again);
		crm_buf_free(&b);
	}
	/* and the values really were read */
	str_eq(first.card[0].family, "O;Brien-山田");
	str_eq(first.card[0].org_unit, "R&D, Labs");
	str_eq(first.card[0].gender, "O");
	item_eq(&first.card[0].phones[1], "home,fax", "+1-555-0100 ext 9", 1);
	adr_eq(&first.card[0].adrs[0], "work", 1, "ul. Długa 5, m. 3, Fl. 2, Box 1",
	       "Gdańsk", "Pom.", "80-831", "PL");
	rd_free(&first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vcard__apple_30__groups_types_and_pref),
		cmocka_unit_test(vcard__google_30__all_fields),
		cmocka_unit_test(vcard__outlook_21_qp_latin1__utf8),
		cmocka_unit_test(vcard__android_21_qp_soft_break__joined),
		cmocka_unit_test(vcard__v40_uri_tel_and_pref__values_stripped),
		cmocka_unit_test(vcard__folded_lines__unfolded),
		cmocka_unit_test(vcard__escapes__unescaped),
		cmocka_unit_test(vcard__params__every_form_read),
		cmocka_unit_test(vcard__line_ends__lf_crlf_cr_alike),
		cmocka_unit_test(vcard__items__several_with_types),
		cmocka_unit_test(vcard__non_ascii__kept),
		cmocka_unit_test(vcard__categories_escaped_comma__split),
		cmocka_unit_test(vcard__bday_forms__normalised_or_null),
		cmocka_unit_test(vcard__single_properties__first_non_empty_wins),
		cmocka_unit_test(vcard__several_cards_and_junk__all_read),
		cmocka_unit_test(vcard__charsets__converted),
		cmocka_unit_test(vcard__base64_photo_21__skipped),
		cmocka_unit_test(vcard__missing_end__card_error),
		cmocka_unit_test(vcard__invalid_utf8__card_error_next_card_read),
		cmocka_unit_test(vcard__nul_byte__card_error),
		cmocka_unit_test(vcard__malformed__card_error),
		cmocka_unit_test(vcard__huge_line__card_error),
		cmocka_unit_test(vcard__huge_photo__skipped_without_error),
		cmocka_unit_test(vcard__limits__card_and_line_caps),
		cmocka_unit_test(vcard__many_types_and_categories__capped),
		cmocka_unit_test(vcard__empty_and_junk_files__no_cards),
		cmocka_unit_test(vcard__utf16_input__dataerr),
		cmocka_unit_test(vcard__read_error__ioerr),
		cmocka_unit_test(vcard__64mib_line__memory_bounded),
		cmocka_unit_test(vcard__write_40__expected_text),
		cmocka_unit_test(vcard__write_fn__built_from_name_org_or_email),
		cmocka_unit_test(vcard__write_fold__75_octets_utf8_whole),
		cmocka_unit_test(vcard__round_trip__every_field_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
