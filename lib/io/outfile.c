/* outfile.c - output files written through a temporary file. */
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"

static int fail(struct crm_outfile *of, const char *path, int errnum,
		struct crm_err *e)
{
	if (of->what != NULL)
		return crm_err_set(e, CRM_EX_IOERR, "cannot write %s to %s: %s", of->what,
				   path, strerror(errnum));
	return crm_err_set(e, CRM_EX_IOERR, "cannot write %s: %s", path, strerror(errnum));
}

static void outfile_clear(struct crm_outfile *of)
{
	free(of->path);
	free(of->tmp);
	of->fp = NULL;
	of->path = NULL;
	of->tmp = NULL;
}

/* The descriptor path names when it is one of the process's own streams
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1. */
static int own_stream(const char *path)
{
	const char *n = NULL;
	char *end;
	long fd;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		n = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		n = path + 14;
	if (n == NULL || *n < '0' || *n > '9')
		return -1;
	fd = strtol(n, &end, 10);
	return *end == '\0' && fd <= 1024 ? (int)fd : -1;
}

/* A device, pipe or socket: written as it is, never replaced. One of our
 * own streams is duplicated rather than opened again, so what is written
 * lands after what the stream already holds. */
static int open_direct(struct crm_outfile *of, const char *path, struct crm_err *e)
{
	int own = own_stream(path);
	int fd = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 3) : open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || (of->fp = fdopen(fd, "w")) == NULL) {
		int rc = fail(of, path, errno, e);

		if (fd >= 0)
			close(fd);
		return rc;
	}
	of->path = xstrdup(path);
	return 0;
}

int crm_outfile_open(struct crm_outfile *of, const char *path, const char *what,
		     struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat link_st, st;
	int fd;

	memset(of, 0, sizeof(*of));
	of->what = what;
	/* The process's own streams, whatever they are redirected to. */
	if (own_stream(path) >= 0)
		return open_direct(of, path, e);
	if (lstat(path, &link_st) == 0) {
		int target = stat(path, &st) == 0;

		if (target && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return open_direct(of, path, e);
		if (S_ISLNK(link_st.st_mode))
			return crm_err_set(e, CRM_EX_IOERR,
					   "%s is a symbolic link: give the path of the file itself",
					   path);
		if (S_ISDIR(link_st.st_mode))
			return fail(of, path, EISDIR, e);
	}
	/* dir/.name.XXXXXX: in the same directory, so the rename stays on
	 * one file system and is atomic. */
	if (slash != NULL)
		crm_buf_addf(&b, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		crm_buf_addf(&b, ".%s.XXXXXX", path);
	of->tmp = crm_buf_detach(&b);
	fd = mkstemp(of->tmp);
	if (fd < 0 || (of->fp = fdopen(fd, "w")) == NULL) {
		int rc = fail(of, path, errno, e);

		if (fd >= 0) {
			close(fd);
			unlink(of->tmp);
		}
		outfile_clear(of);
		return rc;
	}
	of->path = xstrdup(path);
	return 0;
}

int crm_outfile_commit(struct crm_outfile *of, struct crm_err *e)
{
	int failed, saved, rc = 0;

	if (of->fp == NULL)
		return 0;
	failed = fflush(of->fp) != 0 || ferror(of->fp) ||
		 (of->tmp != NULL && fsync(fileno(of->fp)) != 0);
	saved = errno;
	if (fclose(of->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	of->fp = NULL;
	if (!failed && of->tmp != NULL && rename(of->tmp, of->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		rc = fail(of, of->path, saved, e);
		if (of->tmp != NULL)
			unlink(of->tmp);
	}
	outfile_clear(of);
	return rc;
}

void crm_outfile_abort(struct crm_outfile *of)
{
	if (of->fp != NULL) {
		fclose(of->fp);
		if (of->tmp != NULL)
			unlink(of->tmp);
	}
	outfile_clear(of);
}
