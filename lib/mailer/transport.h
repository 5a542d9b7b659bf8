/* transport.h - where a finished message goes: the machine's sendmail,
 * an SMTP server (libcurl: STARTTLS, AUTH), an mbox file or a maildir.
 * Shared by crm-ticket reply and crm-mail send.
 *
 *   sendmail CMD   /bin/sh -c 'CMD "$@"' with -f SENDER as its
 *                  arguments and the message on its standard input; the
 *                  recipients are the message's (sendmail -t); done when
 *                  it exits 0. Default CRM_SENDMAIL_DEFAULT.
 *   smtp URL       smtp://[user@]host[:port] (STARTTLS when the server
 *                  offers it; required when a password goes to a host
 *                  other than this one) or smtps://; the password from
 *                  $CRM_SMTP_PASSWORD or ~/.netrc, never from the
 *                  command line (a URL with one is refused).
 *   mbox FILE      appended under an fcntl lock, mboxrd quoting
 *                  (">From "), fsync'ed; a failed write is cut off again,
 *                  so the file never keeps half a message.
 *   maildir DIR    written in DIR/tmp, fsync'ed, then renamed into
 *                  DIR/new (tmp, new and cur are made if missing).
 *
 * Errors are one line in e: CRM_EX_TEMPFAIL (75) for what may work later
 * (a server unreachable or answering 4xx, sendmail exiting 75),
 * CRM_EX_UNAVAILABLE (69) for a refusal (5xx, sendmail failing),
 * CRM_EX_NOPERM (77) for a login refused, CRM_EX_IOERR (74) for a file
 * that cannot be written, CRM_EX_USAGE for a transport given wrongly.
 */
#ifndef CRM_MAILER_TRANSPORT_H
#define CRM_MAILER_TRANSPORT_H

#include <stddef.h>

struct crm_err;

#define CRM_SENDMAIL_DEFAULT "/usr/sbin/sendmail -t -i"

enum crm_transport_kind {
	CRM_TRANSPORT_SENDMAIL,
	CRM_TRANSPORT_SMTP,
	CRM_TRANSPORT_MBOX,
	CRM_TRANSPORT_MAILDIR,
};

struct crm_transport {
	enum crm_transport_kind kind;
	const char *target;   /* the command, URL, file or folder; NULL: the default */
};

/* The long options a sending command takes, their help, and what they
 * set: --sendmail CMD, --smtp URL, --mbox FILE, --maildir DIR (one of
 * them; two is CRM_EX_USAGE). */
#define CRM_TRANSPORT_OPT 0x4d00
#define CRM_TRANSPORT_LONGOPTS \
	{ "sendmail", required_argument, NULL, CRM_TRANSPORT_OPT + 0 }, \
	{ "smtp", required_argument, NULL, CRM_TRANSPORT_OPT + 1 }, \
	{ "mbox", required_argument, NULL, CRM_TRANSPORT_OPT + 2 }, \
	{ "maildir", required_argument, NULL, CRM_TRANSPORT_OPT + 3 }
#define CRM_TRANSPORT_HELP \
	"  --sendmail CMD    send with CMD (default " CRM_SENDMAIL_DEFAULT ")\n" \
	"  --smtp URL        send to an SMTP server: smtp://[user@]host[:port]\n" \
	"                    (the password from $CRM_SMTP_PASSWORD or ~/.netrc)\n" \
	"  --mbox FILE       append to an mbox file instead of sending\n" \
	"  --maildir DIR     deliver into a maildir instead of sending\n"

/* Takes option opt (CRM_TRANSPORT_OPT + n) with its argument into *t,
 * which starts as { CRM_TRANSPORT_SENDMAIL, NULL }; *given counts them. */
int crm_transport_option(int opt, const char *arg, struct crm_transport *t, int *given,
			 struct crm_err *e);

/* Sends msg (len bytes, LF line ends) from sender (an address) to the
 * nrcpt recipients' addresses. */
int crm_transport_send(const struct crm_transport *t, const char *sender,
		       const char *const *rcpt, size_t nrcpt, const char *msg, size_t len,
		       struct crm_err *e);

#endif
