/* buf.h - a growable byte string (after git's strbuf).
 *
 * data is always NUL-terminated once anything was added, and never NULL
 * when read through crm_buf_str(). The buffer owns data.
 */
#ifndef CRM_BUF_H
#define CRM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct crm_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define CRM_BUF_INIT { NULL, 0, 0 }

void crm_buf_init(struct crm_buf *b);
void crm_buf_free(struct crm_buf *b);
/* Empties the buffer and keeps its memory for reuse. */
void crm_buf_reset(struct crm_buf *b);
void crm_buf_grow(struct crm_buf *b, size_t extra);
void crm_buf_add(struct crm_buf *b, const void *p, size_t n);
void crm_buf_adds(struct crm_buf *b, const char *s);
void crm_buf_addc(struct crm_buf *b, char c);
void crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap);
/* The contents, "" for an empty buffer; valid until the next change. */
const char *crm_buf_str(const struct crm_buf *b);
/* Hands data to the caller (free() it) and leaves b empty. */
char *crm_buf_detach(struct crm_buf *b);

#endif
