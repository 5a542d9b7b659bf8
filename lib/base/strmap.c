/* strmap.c - a string-keyed hash table (see strmap.h). */
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash64.h"
#include "base/xalloc.h"

void crm_strmap_free(struct crm_strmap *m)
{
	crm_strmap_clear(m);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
}

void crm_strmap_clear(struct crm_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->n = 0;
}

static struct crm_strmap_entry *probe(const struct crm_strmap *m, const char *key, size_t len,
				      uint64_t h)
{
	size_t mask = m->cap - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct crm_strmap_entry *s = &m->slots[i];

		if (s->key == NULL ||
		    (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

struct crm_strmap_entry *crm_strmap_get(const struct crm_strmap *m, const char *key, size_t len)
{
	struct crm_strmap_entry *s;

	if (m->n == 0)
		return NULL;
	s = probe(m, key, len, crm_hash64(key, len, 0));
	return s->key != NULL ? s : NULL;
}

/* Doubles the table (or makes the first one), moving every entry. */
static void grow(struct crm_strmap *m)
{
	struct crm_strmap old = *m;

	m->cap = old.cap > 0 ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key != NULL)
			*probe(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

struct crm_strmap_entry *crm_strmap_put(struct crm_strmap *m, const char *key, size_t len)
{
	uint64_t h = crm_hash64(key, len, 0);
	struct crm_strmap_entry *s;

	/* At most half full: probes stay short. */
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = probe(m, key, len, h);
	if (s->key != NULL)
		return s;
	s->key = xmalloc(len + 1);
	memcpy(s->key, key, len);
	s->key[len] = '\0';
	s->len = len;
	s->hash = h;
	s->value = s->value2 = 0;
	s->state = 0;
	m->n++;
	return s;
}
