/* transport_file.c - messages into an mbox file or a maildir
 * (transport.h). */
#include "mailer/transport_parts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The mboxrd form of msg: a From_ line, each line that reads ">*From "
 * quoted with one more '>', and a blank line after it. */
static void mboxrd(struct crm_buf *out, const char *sender, const char *msg, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[32];
	size_t i = 0;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	crm_buf_addf(out, "From %s %s\n", sender, when);
	while (i < len) {
		const char *nl = memchr(msg + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (msg + i)) + 1 : len - i;
		size_t q = 0;

		while (q < n && msg[i + q] == '>')
			q++;
		if (n - q >= 5 && memcmp(msg + i + q, "From ", 5) == 0)
			crm_buf_addc(out, '>');
		crm_buf_add(out, msg + i, n);
		i += n;
	}
	if (len == 0 || msg[len - 1] != '\n')
		crm_buf_addc(out, '\n');
	crm_buf_addc(out, '\n');
}

int crm_transport_mbox(const char *path, const char *sender, const char *msg, size_t len,
		       struct crm_err *e)
{
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct crm_buf text = CRM_BUF_INIT;
	struct stat sb;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0)
		return crm_err_set(e, CRM_EX_IOERR, "--mbox %s: %s", path, strerror(errno));
	while (fcntl(fd, F_SETLKW, &lock) != 0)
		if (errno != EINTR) {
			rc = crm_err_set(e, CRM_EX_IOERR, "--mbox %s: lock: %s", path, strerror(errno));
			break;
		}
	if (rc == 0 && fstat(fd, &sb) != 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "--mbox %s: %s", path, strerror(errno));
	if (rc == 0) {
		mboxrd(&text, sender, msg, len);
		if (write_all(fd, text.data, text.len) != 0 || fsync(fd) != 0) {
			rc = crm_err_set(e, CRM_EX_IOERR, "--mbox %s: %s", path, strerror(errno));
			/* never half a message: the file as it was */
			if (ftruncate(fd, sb.st_size) != 0)
				crm_err_prefix(e, "and could not cut it back");
		}
	}
	crm_buf_free(&text);
	if (close(fd) != 0 && rc == 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "--mbox %s: %s", path, strerror(errno));
	return rc;
}

/* DIR/sub made if missing. */
static int ensure_dir(const char *dir, const char *sub, struct crm_err *e)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s%s", dir, sub[0] != '\0' ? "/" : "", sub);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", path, strerror(errno));
	return 0;
}

/* A name no other delivery uses: time, microseconds, pid, 32 random
 * bits and the host (its '/' and ':' replaced). */
static void unique_name(char *out, size_t size)
{
	struct timeval tv;
	unsigned int r = 0;
	char host[256] = "localhost";

	gettimeofday(&tv, NULL);
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned int)tv.tv_usec ^ (unsigned int)getpid() << 16;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p != '\0'; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	snprintf(out, size, "%lld.M%06ldP%dR%08x.%s", (long long)tv.tv_sec, (long)tv.tv_usec,
		 (int)getpid(), r, host);
}

int crm_transport_maildir(const char *dir, const char *msg, size_t len, struct crm_err *e)
{
	char name[400], tmp[4096], dest[4096], newdir[4096];
	int rc = ensure_dir(dir, "", e), fd, dfd;

	for (size_t i = 0; rc == 0 && i < 3; i++)
		rc = ensure_dir(dir, (const char *const[]){ "tmp", "new", "cur" }[i], e);
	if (rc != 0)
		return rc;
	unique_name(name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s", dir, name);
	snprintf(dest, sizeof(dest), "%s/new/%s", dir, name);
	snprintf(newdir, sizeof(newdir), "%s/new", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", tmp, strerror(errno));
	if (write_all(fd, msg, len) != 0 || fsync(fd) != 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, dest) != 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", dest, strerror(errno));
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	/* the rename itself on disk */
	dfd = open(newdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) != 0)
			rc = crm_err_set(e, CRM_EX_IOERR, "--maildir %s: %s", newdir, strerror(errno));
		close(dfd);
	}
	return rc;
}
