/* err.c - error values passed from libcrm to the programs. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int crm_err_vset(struct crm_err *e, int code, const char *fmt, va_list ap)
{
	char msg[sizeof(e->msg)];   /* e->msg may be one of the arguments */

	if (e == NULL)
		return code;
	e->code = code;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(e->msg, msg, sizeof(msg));
	return code;
}

int crm_err_set(struct crm_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = crm_err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

void crm_err_prefix(struct crm_err *e, const char *fmt, ...)
{
	char prefix[512];
	char old[sizeof(e->msg)];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	size_t n = strlen(prefix);
	if (n > sizeof(e->msg) - 3)
		n = sizeof(e->msg) - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	size_t room = sizeof(e->msg) - n - 2;
	size_t oldlen = strnlen(old, sizeof(old) - 1);
	if (oldlen >= room)
		oldlen = room - 1;
	memcpy(e->msg + n + 2, old, oldlen);
	e->msg[n + 2 + oldlen] = '\0';
}

void crm_err_clear(struct crm_err *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}
