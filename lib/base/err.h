/* err.h - error values passed from libcrm to the programs.
 *
 * Library functions never print. They fill a struct crm_err with a one-line
 * message (no program name, no trailing newline) and a sysexits(3) code, and
 * return that code; the program prefixes its name and prints it.
 */
#ifndef CRM_ERR_H
#define CRM_ERR_H

#include <stdarg.h>
#include <sysexits.h>

/* Exit codes used across the toolkit (DESIGN.md, "Command-line conventions"). */
enum {
	CRM_EX_OK = 0,
	CRM_EX_NOTFOUND = 1,          /* nothing found: unknown id, empty result */
	CRM_EX_USAGE = EX_USAGE,      /* 64 */
	CRM_EX_DATAERR = EX_DATAERR,  /* 65 bad input data */
	CRM_EX_NOINPUT = EX_NOINPUT,  /* 66 input file missing or unreadable */
	CRM_EX_UNAVAILABLE = EX_UNAVAILABLE, /* 69 a service or feature is not there */
	CRM_EX_SOFTWARE = EX_SOFTWARE,/* 70 internal error, a bug */
	CRM_EX_OSERR = EX_OSERR,      /* 71 the system failed (out of memory) */
	CRM_EX_IOERR = EX_IOERR,      /* 74 read or write failed */
	CRM_EX_TEMPFAIL = EX_TEMPFAIL,/* 75 store busy: try again later */
	CRM_EX_NOPERM = EX_NOPERM,    /* 77 refused: a login or a right */
	CRM_EX_CONFIG = EX_CONFIG,    /* 78 bad configuration */
};

struct crm_err {
	int code;        /* one of the codes above; 0 when clear */
	char msg[1024];  /* one line, lowercase, no trailing full stop */
};

/* Sets e (which may be NULL) and returns code, so callers can write
 * `return crm_err_set(e, CRM_EX_DATAERR, "invalid email \"%s\"", s);`.
 * e->msg may be an argument: `crm_err_set(e, c, "deal %d: %s", id, e->msg)`. */
int crm_err_set(struct crm_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* crm_err_set with a va_list. */
int crm_err_vset(struct crm_err *e, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prepends "prefix: " to an existing message, e.g. a file name and line. */
void crm_err_prefix(struct crm_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void crm_err_clear(struct crm_err *e);

#endif
