/* phone.c - phone numbers in E.164 form. */
#include "base/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct region {
	const char *iso;
	const char *code;
	int trunk_zero;   /* national numbers start with a 0 to drop */
};

static const struct region regions[] = {
	{ "AR", "54", 1 }, { "AT", "43", 1 }, { "AU", "61", 1 }, { "BE", "32", 1 },
	{ "BR", "55", 1 }, { "CA", "1", 0 }, { "CH", "41", 1 }, { "CN", "86", 1 },
	{ "CZ", "420", 0 }, { "DE", "49", 1 }, { "DK", "45", 0 }, { "ES", "34", 0 },
	{ "FI", "358", 1 }, { "FR", "33", 1 }, { "GB", "44", 1 }, { "GR", "30", 0 },
	{ "HU", "36", 0 }, { "IE", "353", 1 }, { "IL", "972", 1 }, { "IN", "91", 1 },
	{ "IT", "39", 0 }, { "JP", "81", 1 }, { "KR", "82", 1 }, { "LU", "352", 0 },
	{ "MX", "52", 0 }, { "NL", "31", 1 }, { "NO", "47", 0 }, { "NZ", "64", 1 },
	{ "PL", "48", 0 }, { "PT", "351", 0 }, { "RO", "40", 1 }, { "RU", "7", 0 },
	{ "SE", "46", 1 }, { "SG", "65", 0 }, { "TR", "90", 1 }, { "UA", "380", 1 },
	{ "UK", "44", 1 }, { "US", "1", 0 }, { "ZA", "27", 1 },
};

static const struct region *find_region(const char *iso)
{
	if (iso == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (strcasecmp(regions[i].iso, iso) == 0)
			return &regions[i];
	return NULL;
}

const char *crm_phone_country_code(const char *region)
{
	const struct region *r = find_region(region);

	return r != NULL ? r->code : NULL;
}

int crm_phone_e164(const char *phone, const char *region, char *out, size_t size)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	const struct region *r = find_region(region);
	const char *p = phone;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p == 'x' || *p == 'X' || *p == 'e' || *p == 'E' || *p == ';' || *p == ',')
			break; /* an extension, or a pause */
		if (p[0] == '(' && p[1] == '0' && p[2] == ')') {
			p += 2; /* +31 (0)20 ...: the trunk 0, not dialled from abroad */
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return -1;
			digits[n++] = *p;
		}
	}
	digits[n] = '\0';
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);
		n -= 2;
		plus = 1;
	}
	if (!plus) {
		const char *national = digits;

		if (r == NULL)
			return -1;
		if (r->trunk_zero && digits[0] == '0')
			national++;
		else if (!r->trunk_zero && strcmp(r->code, "1") == 0 && n == 11 && digits[0] == '1')
			national++; /* 1 555 123 4567 in North America */
		if (snprintf(out, size, "+%s%s", r->code, national) >= (int)size)
			return -1;
	} else if (snprintf(out, size, "+%s", digits) >= (int)size) {
		return -1;
	}
	n = strlen(out) - 1;
	return n >= 7 && n <= 15 ? 0 : -1;
}
