/* phone.h - phone numbers in E.164 form (+31201234567) for comparing. */
#ifndef CRM_PHONE_H
#define CRM_PHONE_H

#include <stddef.h>

/* The country calling code of an ISO 3166 region ("NL" -> "31"), or NULL
 * for a region this table does not know. */
const char *crm_phone_country_code(const char *region);

/* The E.164 form of phone into out (at least 20 bytes): "+" and the digits
 * for a number written with + or 00; with a default region, a national
 * number loses its trunk 0 and gains the region's code. An extension is
 * dropped. Returns 0, or -1 when no E.164 form can be made (a national
 * number without a region, too few or too many digits). */
int crm_phone_e164(const char *phone, const char *region, char *out, size_t size);

#endif
