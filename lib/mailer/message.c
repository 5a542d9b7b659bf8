/* message.c - mail messages built with GMime 3 (message.h). */
#include "mailer/message.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

/* GMime is started on first use, g_mime_init counting the calls, and
 * left running until the process exits: it cannot be started again once
 * g_mime_shutdown has run, so nothing here calls that. */

/* A value bound for a header: CR and LF would end it and start another. */
static int header_safe(const char *header, const char *v, struct crm_err *e)
{
	if (v != NULL && strpbrk(v, "\r\n") != NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "%s: a line break in \"%.40s\" (a header"
				   " value is one line)", header, v);
	if (v != NULL && !crm_utf8_valid(v, strlen(v), NULL))
		return crm_err_set(e, CRM_EX_DATAERR, "%s: not UTF-8", header);
	return 0;
}

/* A Message-ID without its <>: left@right, printable ASCII, no space. */
static int message_id_safe(const char *id, struct crm_err *e)
{
	const char *at = strchr(id, '@');

	for (const char *p = id; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '<' || *p == '>')
			at = NULL;
	if (at == NULL || at == id || at[1] == '\0' || strlen(id) > 250)
		return crm_err_set(e, CRM_EX_DATAERR, "not a Message-ID: \"%.60s\"", id);
	return 0;
}

int crm_mail_address_parse(const char *what, const char *s, struct crm_mail_address *out,
			   struct crm_err *e)
{
	InternetAddressList *list;
	InternetAddress *ia;
	const char *addr, *name, *at;
	int rc = header_safe(what, s, e);

	memset(out, 0, sizeof(*out));
	if (rc != 0)
		return rc;
	g_mime_init();
	list = internet_address_list_parse(NULL, s);
	ia = list != NULL && internet_address_list_length(list) == 1
		     ? internet_address_list_get_address(list, 0) : NULL;
	addr = ia != NULL && INTERNET_ADDRESS_IS_MAILBOX(ia)
		       ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)) : NULL;
	at = addr != NULL ? strchr(addr, '@') : NULL;
	if (at == NULL || at == addr || at[1] == '\0' || strchr(at + 1, '.') == NULL ||
	    strlen(addr) >= sizeof(out->addr))
		rc = crm_err_set(e, CRM_EX_USAGE, "%s: not one mail address: \"%.60s\"", what, s);
	if (rc == 0) {
		name = internet_address_get_name(ia);
		snprintf(out->addr, sizeof(out->addr), "%s", addr);
		snprintf(out->name, sizeof(out->name), "%s", name != NULL ? name : "");
	}
	if (list != NULL)
		g_object_unref(list);
	return rc;
}

static void add_mailbox(GMimeMessage *msg, GMimeAddressType type, const struct crm_mail_address *a)
{
	InternetAddress *ia = internet_address_mailbox_new(a->name[0] != '\0' ? a->name : NULL,
							   a->addr);

	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(msg, type), ia);
	g_object_unref(ia);
}

/* In-Reply-To and References, each id in <>. */
static void add_thread(GMimeMessage *msg, const struct crm_mail_new *m)
{
	GString *refs = g_string_new(NULL);

	if (m->in_reply_to != NULL) {
		char *v = g_strdup_printf("<%s>", m->in_reply_to);

		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", v, NULL);
		g_free(v);
	}
	for (size_t i = 0; i < m->nreferences; i++)
		g_string_append_printf(refs, "%s<%s>", i > 0 ? " " : "", m->references[i]);
	if (refs->len > 0)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs->str, NULL);
	g_string_free(refs, TRUE);
}

static int check(const struct crm_mail_new *m, struct crm_err *e)
{
	int rc = header_safe("From", m->from.name, e);

	if (rc == 0)
		rc = header_safe("From", m->from.addr, e);
	if (rc == 0)
		rc = header_safe("To", m->to.name, e);
	if (rc == 0)
		rc = header_safe("To", m->to.addr, e);
	if (rc == 0)
		rc = header_safe("Subject", m->subject, e);
	if (rc == 0 && m->in_reply_to != NULL)
		rc = message_id_safe(m->in_reply_to, e);
	for (size_t i = 0; rc == 0 && i < m->nreferences; i++)
		rc = message_id_safe(m->references[i], e);
	if (rc == 0 && (m->from.addr[0] == '\0' || m->to.addr[0] == '\0'))
		rc = crm_err_set(e, CRM_EX_USAGE, "a message needs From and To");
	if (rc == 0 && !crm_utf8_valid(m->body, strlen(m->body), NULL))
		rc = crm_err_set(e, CRM_EX_DATAERR, "the body is not UTF-8");
	return rc;
}

int crm_mail_build(const struct crm_mail_new *m, struct crm_mail_built *out, struct crm_err *e)
{
	GMimeMessage *msg;
	GMimeTextPart *part;
	GMimeStream *stream;
	GMimeDataWrapper *content;
	GMimeFormatOptions *fo;
	GDateTime *date;
	char *id, *text;
	int rc = check(m, e);

	memset(out, 0, sizeof(*out));
	if (rc != 0)
		return rc;
	g_mime_init();
	msg = g_mime_message_new(TRUE);
	add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, &m->from);
	add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, &m->to);
	g_mime_message_set_subject(msg, m->subject != NULL ? m->subject : "", "utf-8");
	date = g_date_time_new_from_unix_utc(m->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	id = g_mime_utils_generate_message_id(strchr(m->from.addr, '@') + 1);
	g_mime_message_set_message_id(msg, id);
	snprintf(out->message_id, sizeof(out->message_id), "%s", id);
	g_free(id);
	add_thread(msg, m);
	if (m->auto_generated)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted", "auto-generated", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "MIME-Version", "1.0", NULL);

	/* the body's bytes as they are, UTF-8 (set_text would pick Latin-1) */
	part = g_mime_text_part_new_with_subtype("plain");
	stream = g_mime_stream_mem_new_with_buffer(m->body, strlen(m->body));
	content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(part), content);
	g_object_unref(content);
	g_object_unref(stream);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	text = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	out->text = xstrdup(text);
	out->len = strlen(out->text);
	g_free(text);
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	return 0;
}

void crm_mail_built_free(struct crm_mail_built *b)
{
	free(b->text);
	memset(b, 0, sizeof(*b));
}
