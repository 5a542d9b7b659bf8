/* transport_smtp.c - a message to an SMTP server with libcurl
 * (transport.h): STARTTLS when offered, required before a password
 * leaves this host; AUTH as the server offers it. */
#include "mailer/transport_parts.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"

struct upload {
	const char *p;
	size_t left;
};

static size_t read_upload(char *to, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems < u->left ? size * nitems : u->left;

	memcpy(to, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* msg with CRLF line ends, as SMTP wants them (curl dot-stuffs). */
static void crlf(struct crm_buf *out, const char *msg, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			crm_buf_addc(out, '\r');
		crm_buf_addc(out, msg[i]);
	}
}

/* Where url's authority starts (after "scheme://"), where its host
 * starts (after any "user[:password]@"), and whether a password is in
 * it. */
static const char *authority(const char *url)
{
	const char *h = strstr(url, "://");

	return h != NULL ? h + 3 : url;
}

static const char *host_of(const char *url)
{
	const char *h = authority(url), *at = strchr(h, '@'), *slash = strchr(h, '/');

	return at != NULL && (slash == NULL || at < slash) ? at + 1 : h;
}

int crm_transport_url_has_password(const char *url)
{
	const char *h = authority(url), *host = host_of(url), *colon = strchr(h, ':');

	return host != h && colon != NULL && colon < host;
}

/* Whether a login may go with the mail: a user in the URL, a password
 * in the environment, or a ~/.netrc for curl to read. */
static int may_log_in(const char *url, const char *password)
{
	const char *home = getenv("HOME");
	char netrc[4096];

	if (host_of(url) != authority(url) || (password != NULL && password[0] != '\0'))
		return 1;
	if (home == NULL)
		return 0;
	snprintf(netrc, sizeof(netrc), "%s/.netrc", home);
	return access(netrc, R_OK) == 0;
}

/* Whether url names this host: the whole host localhost, [::1], or a
 * dotted quad 127.a.b.c (not a prefix: localhost.example is another). */
static int to_this_host(const char *url)
{
	const char *h = host_of(url);
	size_t n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	unsigned a, b, c, d;
	char end;

	if ((n == 9 && strncmp(h, "localhost", 9) == 0) || (n == 5 && strncmp(h, "[::1]", 5) == 0))
		return 1;
	if (n >= 7 && n < 16) {
		char quad[16];

		memcpy(quad, h, n);
		quad[n] = '\0';
		return sscanf(quad, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4 && a == 127 &&
		       b < 256 && c < 256 && d < 256;
	}
	return 0;
}

/* The exit code of a failure: later for what may pass later, a refusal
 * for the server's 5xx, the login's own code for a login refused. */
static int failure_code(CURLcode c, long response)
{
	if (c == CURLE_LOGIN_DENIED)
		return CRM_EX_NOPERM;
	if (response >= 500)
		return CRM_EX_UNAVAILABLE;
	if (c == CURLE_USE_SSL_FAILED || c == CURLE_URL_MALFORMAT ||
	    c == CURLE_UNSUPPORTED_PROTOCOL)
		return CRM_EX_UNAVAILABLE;
	return CRM_EX_TEMPFAIL;
}

int crm_transport_smtp(const char *url, const char *sender, const char *const *rcpt,
		       size_t nrcpt, const char *msg, size_t len, struct crm_err *e)
{
	struct crm_buf text = CRM_BUF_INIT, from = CRM_BUF_INIT;
	struct curl_slist *to = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *password = getenv("CRM_SMTP_PASSWORD");
	struct upload u;
	struct sigaction ignore, saved;
	long response = 0;
	CURLcode c;
	CURL *curl;
	int rc = 0, secret = may_log_in(url, password);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (curl = curl_easy_init()) == NULL)
		return crm_err_set(e, CRM_EX_OSERR, "--smtp: libcurl cannot start");
	crlf(&text, msg, len);
	u.p = text.data;
	u.left = text.len;
	crm_buf_addf(&from, "<%s>", sender);
	for (size_t i = 0; i < nrcpt; i++) {
		struct crm_buf r = CRM_BUF_INIT;

		crm_buf_addf(&r, "<%s>", rcpt[i]);
		to = curl_slist_append(to, r.data);
		crm_buf_free(&r);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.data);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (strncmp(url, "smtp://", 7) == 0)
		curl_easy_setopt(curl, CURLOPT_USE_SSL,
				 secret && !to_this_host(url) ? (long)CURLUSESSL_ALL
							       : (long)CURLUSESSL_TRY);
	if (password != NULL && password[0] != '\0' && !crm_transport_url_has_password(url))
		curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
	else
		curl_easy_setopt(curl, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	/* CURLOPT_NOSIGNAL leaves SIGPIPE to us: a peer gone mid-DATA must
	 * be an error, not the end of the process */
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ignore, &saved);
	c = curl_easy_perform(curl);
	sigaction(SIGPIPE, &saved, NULL);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
	if (c != CURLE_OK) {
		char answered[48] = "";

		if (response > 0)
			snprintf(answered, sizeof(answered), " (the server answered %ld)", response);
		/* the host alone: never a password in a message */
		rc = crm_err_set(e, failure_code(c, response), "--smtp %.*s%s: %s%s: not sent",
				 (int)(authority(url) - url), url, host_of(url),
				 errbuf[0] != '\0' ? errbuf : curl_easy_strerror(c), answered);
	}
	curl_slist_free_all(to);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	crm_buf_free(&text);
	crm_buf_free(&from);
	return rc;
}
