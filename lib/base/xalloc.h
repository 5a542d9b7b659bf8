/* xalloc.h - allocation that cannot fail.
 *
 * Running out of memory is fatal: the process prints
 * "crm: out of memory allocating N bytes" and exits 70. Callers own what
 * these return and release it with free().
 */
#ifndef CRM_XALLOC_H
#define CRM_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Overflow-checked xrealloc(ptr, nmemb * size). */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
