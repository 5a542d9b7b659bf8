/* buf.c - a growable byte string. */
#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void crm_buf_init(struct crm_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void crm_buf_free(struct crm_buf *b)
{
	free(b->data);
	crm_buf_init(b);
}

void crm_buf_reset(struct crm_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void crm_buf_grow(struct crm_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - 1 - b->len)
		need = SIZE_MAX; /* xrealloc will fail and report it */
	else
		need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void crm_buf_add(struct crm_buf *b, const void *p, size_t n)
{
	crm_buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void crm_buf_adds(struct crm_buf *b, const char *s)
{
	crm_buf_add(b, s, strlen(s));
}

void crm_buf_addc(struct crm_buf *b, char c)
{
	crm_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void crm_buf_vaddf(struct crm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	crm_buf_grow(b, 64);
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->data[b->len] = '\0'; /* drop whatever a failed format wrote */
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		crm_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *crm_buf_str(const struct crm_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *crm_buf_detach(struct crm_buf *b)
{
	char *p = b->data != NULL ? b->data : xstrdup("");

	crm_buf_init(b);
	return p;
}
