/* strmap.h - a hash table from strings to a number and a small state,
 * for what an import learns about a block of rows at once (the keys a
 * block names, looked up in one query, and what the block's own rows did
 * to them).
 *
 * Open addressing with linear probing; keys are copied and owned by the
 * map. Entries move when the map grows: a pointer from crm_strmap_get or
 * crm_strmap_put is valid until the next put.
 */
#ifndef CRM_STRMAP_H
#define CRM_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct crm_strmap_entry {
	char *key;      /* NULL: a free slot */
	size_t len;
	uint64_t hash;
	int64_t value;
	int64_t value2;
	int state;
};

struct crm_strmap {
	struct crm_strmap_entry *slots;
	size_t cap;     /* a power of two, or 0 */
	size_t n;
};

#define CRM_STRMAP_INIT { NULL, 0, 0 }

void crm_strmap_free(struct crm_strmap *m);
/* Empties the map, keeping its slots for reuse. */
void crm_strmap_clear(struct crm_strmap *m);
/* The entry of key[0..len), or NULL. */
struct crm_strmap_entry *crm_strmap_get(const struct crm_strmap *m, const char *key, size_t len);
/* The entry of key[0..len), made (value, value2 and state 0) if absent. */
struct crm_strmap_entry *crm_strmap_put(struct crm_strmap *m, const char *key, size_t len);

#endif
