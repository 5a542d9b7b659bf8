/* body.h - the body of an interaction read from a file (crm-log add
 * --body-file): text of at most 1 MiB with no NUL byte.
 */
#ifndef CRM_LOG_BODY_H
#define CRM_LOG_BODY_H

struct crm_err;

#define CRM_BODY_MAX (1024 * 1024)

/* Reads all of path ("-" is standard input) into *out (the caller frees
 * it). Returns 0, or with e set CRM_EX_NOINPUT (cannot open), CRM_EX_IOERR
 * (a read error) or CRM_EX_DATAERR (over 1 MiB, or a NUL byte). */
int crm_body_read(const char *path, char **out, struct crm_err *e);

#endif
