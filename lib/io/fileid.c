/* fileid.c - an input file's size and the digest of its bytes. */
#include "io/fileid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/hash64.h"
#include "base/xalloc.h"

#define CHUNK (1024 * 1024)

int crm_fileid_of(int fd, struct crm_fileid *id, struct crm_err *e)
{
	struct stat st;
	unsigned long long off = 0;
	unsigned char *buf;
	uint64_t h;
	int rc = 0;

	if (fstat(fd, &st) != 0)
		return crm_err_set(e, CRM_EX_IOERR, "fstat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return crm_err_set(e, CRM_EX_NOINPUT, "not a regular file");
	buf = xmalloc(CHUNK);
	h = 0;
	for (;;) {
		ssize_t n = pread(fd, buf, CHUNK, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = crm_err_set(e, CRM_EX_IOERR, "read error: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		h = crm_hash64(buf, (size_t)n, h);
		off += (unsigned long long)n;
	}
	free(buf);
	id->size = off;
	id->digest = h;
	return rc;
}

void crm_fileid_hex(const struct crm_fileid *id, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, id->digest);
}
