/* body.c - an interaction's body from a file (body.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "log/body.h"

int crm_body_read(const char *path, char **out, struct crm_err *e)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc = 0;

	if (fp == NULL)
		return crm_err_set(e, CRM_EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > CRM_BODY_MAX)
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s: body over 1 MiB", path);
		else
			crm_buf_add(&b, chunk, n);
	}
	if (rc == 0 && ferror(fp))
		rc = crm_err_set(e, CRM_EX_IOERR, "%s: read error: %s", path, strerror(errno));
	if (fp != stdin)
		fclose(fp);
	if (rc == 0 && memchr(crm_buf_str(&b), '\0', b.len) != NULL)
		rc = crm_err_set(e, CRM_EX_DATAERR, "%s: body has a NUL byte", path);
	if (rc != 0) {
		crm_buf_free(&b);
		return rc;
	}
	*out = crm_buf_detach(&b);
	return 0;
}
