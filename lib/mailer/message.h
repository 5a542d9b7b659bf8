/* message.h - mail messages built with GMime 3: valid RFC 5322 and MIME,
 * whatever the data holds.
 *
 * A message has Date, a new Message-ID, MIME-Version, From, To and
 * Subject (non-ASCII names and subjects as RFC 2047 encoded words), and a
 * text/plain UTF-8 body in quoted-printable, so no line is longer than 76
 * octets. A value bound for a header that holds CR or LF is refused
 * (CRM_EX_DATAERR, naming the header): data never adds a header.
 */
#ifndef CRM_MAILER_MESSAGE_H
#define CRM_MAILER_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;

/* An address, parsed: the mailbox alone ("ann@example.com") and its
 * display name ("" when none). */
struct crm_mail_address {
	char addr[256];
	char name[256];
};

/* Parses s, one mailbox ("Ann Lee <ann@example.com>" or a bare address),
 * into *out. CRM_EX_USAGE `--from: not one mail address: "x"`, what
 * naming the option or field. */
int crm_mail_address_parse(const char *what, const char *s, struct crm_mail_address *out,
			   struct crm_err *e);

struct crm_mail_new {
	struct crm_mail_address from;
	struct crm_mail_address to;
	const char *subject;
	const char *body;                 /* UTF-8 text */
	int64_t date;                     /* Unix time */
	const char *in_reply_to;          /* a Message-ID without <>, or NULL */
	const char *const *references;    /* Message-IDs without <>, oldest first */
	size_t nreferences;
	int auto_generated;               /* Auto-Submitted: auto-generated (RFC 3834) */
};

/* A message built: its text (LF line ends; free with
 * crm_mail_built_free) and its Message-ID without <>. */
struct crm_mail_built {
	char *text;
	size_t len;
	char message_id[320];
};

/* Builds m. CRM_EX_DATAERR for a header value with CR or LF, a body that
 * is not UTF-8, or a Message-ID that is not one. */
int crm_mail_build(const struct crm_mail_new *m, struct crm_mail_built *out, struct crm_err *e);
void crm_mail_built_free(struct crm_mail_built *b);

#endif
