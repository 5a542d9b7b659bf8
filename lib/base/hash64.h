/* hash64.h - a fast 64-bit hash of bytes (XXH64, Yann Collet's xxHash).
 *
 * Not a cryptographic digest: it tells whether a file an import saw
 * before is the same file (cli/batch.c), where a change is an accident,
 * not an attack. Runs at several GB/s, so hashing a whole input file costs
 * a small part of importing it.
 */
#ifndef CRM_HASH64_H
#define CRM_HASH64_H

#include <stddef.h>
#include <stdint.h>

/* XXH64 of p[0..n) with seed: the same value the reference xxHash gives. */
uint64_t crm_hash64(const void *p, size_t n, uint64_t seed);

#endif
