/* transport.c - the transport options, and sending through sendmail
 * (transport.h); files are transport_file.c, SMTP transport_smtp.c. */
#include "mailer/transport.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "mailer/transport_parts.h"

int crm_transport_option(int opt, const char *arg, struct crm_transport *t, int *given,
			 struct crm_err *e)
{
	static const char *const names[] = { "--sendmail", "--smtp", "--mbox", "--maildir" };
	int k = opt - CRM_TRANSPORT_OPT;

	if (k < 0 || k > 3)
		return crm_err_set(e, CRM_EX_SOFTWARE, "not a transport option");
	if (*given > 0)
		return crm_err_set(e, CRM_EX_USAGE, "give one of --sendmail, --smtp, --mbox and"
				   " --maildir");
	if (arg[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "%s: empty", names[k]);
	if (k == 1 && strncmp(arg, "smtp://", 7) != 0 && strncmp(arg, "smtps://", 8) != 0)
		return crm_err_set(e, CRM_EX_USAGE, "--smtp: not an SMTP URL: \"%.60s\""
				   " (smtp://host[:port] or smtps://host[:port])", arg);
	if (k == 1 && crm_transport_url_has_password(arg))
		return crm_err_set(e, CRM_EX_USAGE, "--smtp: a password on the command line shows"
				   " in ps(1): give it in $CRM_SMTP_PASSWORD or ~/.netrc");
	t->kind = (enum crm_transport_kind)k;
	t->target = arg;
	(*given)++;
	return 0;
}

/* Writes all of msg to fd; 0, or -1 with errno. */
static int write_all(int fd, const char *msg, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, msg, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		msg += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The child: the message on stdin, its output on our stderr (our stdout
 * is the caller's report), the command with -f SENDER; the recipients
 * are the message's own (sendmail -t), so none is passed twice. */
static void exec_sendmail(const char *cmd, int in, const char *sender)
{
	char *argv[8];
	struct crm_buf script = CRM_BUF_INIT;
	size_t k = 0;

	crm_buf_addf(&script, "%s \"$@\"", cmd);

	argv[k++] = (char *)"/bin/sh";
	argv[k++] = (char *)"-c";
	argv[k++] = crm_buf_detach(&script);
	argv[k++] = (char *)"sendmail";
	argv[k++] = (char *)"-f";
	argv[k++] = (char *)sender;
	argv[k] = NULL;
	if (dup2(in, 0) < 0 || dup2(2, 1) < 0)
		_exit(71);
	if (in != 0)
		close(in);
	execv("/bin/sh", argv);
	_exit(127);
}

static int send_sendmail(const char *cmd, const char *sender, const char *msg, size_t len,
			 struct crm_err *e)
{
	struct sigaction ignore, saved;
	int fds[2], status, werr = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return crm_err_set(e, CRM_EX_OSERR, "sendmail: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return crm_err_set(e, CRM_EX_OSERR, "sendmail: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[1]);
		exec_sendmail(cmd, fds[0], sender);
	}
	close(fds[0]);
	/* a command that exits without reading all must not kill us */
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ignore, &saved);
	if (write_all(fds[1], msg, len) != 0)
		werr = errno;
	close(fds[1]);
	sigaction(SIGPIPE, &saved, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return crm_err_set(e, CRM_EX_OSERR, "sendmail: wait: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return crm_err_set(e, CRM_EX_TEMPFAIL, "sendmail: \"%.60s\" was killed by signal %d",
				   cmd, WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
		return crm_err_set(e, CRM_EX_UNAVAILABLE, "sendmail: \"%.60s\" not found (give"
				   " --sendmail CMD, --smtp URL, --mbox FILE or --maildir DIR)", cmd);
	if (WEXITSTATUS(status) != 0)
		return crm_err_set(e, WEXITSTATUS(status) == CRM_EX_TEMPFAIL ? CRM_EX_TEMPFAIL
				   : CRM_EX_UNAVAILABLE, "sendmail: \"%.60s\" exited %d: not sent",
				   cmd, WEXITSTATUS(status));
	if (werr != 0)
		return crm_err_set(e, CRM_EX_UNAVAILABLE, "sendmail: \"%.60s\" did not read the"
				   " message: %s", cmd, strerror(werr));
	return 0;
}

int crm_transport_send(const struct crm_transport *t, const char *sender,
		       const char *const *rcpt, size_t nrcpt, const char *msg, size_t len,
		       struct crm_err *e)
{
	switch (t->kind) {
	case CRM_TRANSPORT_SENDMAIL:
		return send_sendmail(t->target != NULL ? t->target : CRM_SENDMAIL_DEFAULT, sender,
				     msg, len, e);
	case CRM_TRANSPORT_SMTP:
		return crm_transport_smtp(t->target, sender, rcpt, nrcpt, msg, len, e);
	case CRM_TRANSPORT_MBOX:
		return crm_transport_mbox(t->target, sender, msg, len, e);
	case CRM_TRANSPORT_MAILDIR:
		return crm_transport_maildir(t->target, msg, len, e);
	}
	return crm_err_set(e, CRM_EX_SOFTWARE, "unknown transport");
}
