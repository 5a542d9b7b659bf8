/* fuzz_dates.c - libFuzzer target for lib/dates.c: ISO and relative times,
 * --date-format formats and cells, local time in Europe/Amsterdam.
 *
 * Input: a format, a NUL byte, then a cell (no NUL: the whole input is the
 * cell, read as ISO). For each input:
 *   - crm_time_parse and crm_date_parse of the cell never read past it, and
 *     what they accept formats and parses back to the same value, both as
 *     stored text (UTC) and as local text with its offset;
 *   - a format crm_datefmt_check accepts reads the cell, when it can, as a
 *     real calendar date in range, and crm_date_cell agrees with
 *     crm_datefmt_scan and writes text that crm_time_parse or
 *     crm_date_parse read back to the same instant or day.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_dates: " __VA_ARGS__);            \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

/* 2026-03-29T00:30:00Z, an hour before Amsterdam's clocks skip. */
#define NOW INT64_C(1774744200)

static void round_trip(const char *s)
{
	char text[40], local[40];
	int64_t t, back, y, y2;
	int m, d, m2, d2;

	if (crm_time_parse(s, NOW, &t, NULL) == 0) {
		crm_time_format(t, text);
		if (crm_time_parse(text, 0, &back, NULL) != 0 || back != t)
			FAIL("\"%s\": %s does not read back", s, text);
		crm_time_format_local(t, local);
		if (crm_time_parse(local, 0, &back, NULL) != 0 || back != t)
			FAIL("\"%s\": local %s does not read back", s, local);
	}
	if (crm_date_parse(s, NOW, &y, &m, &d, NULL) == 0) {
		if (!crm_date_valid(y, m, d) || y < 1 || y > 9999)
			FAIL("\"%s\": not a date", s);
		crm_date_format(y, m, d, text);
		if (crm_date_parse(text, 0, &y2, &m2, &d2, NULL) != 0 || y2 != y || m2 != m || d2 != d)
			FAIL("\"%s\": %s does not read back", s, text);
	}
}

static void with_format(const char *fmt, const char *cell)
{
	struct crm_err e = { 0, "" };
	char out[32];
	int64_t y, t, back, y2;
	int m, d, m2, d2, rc, scanned;

	if (crm_datefmt_check(fmt, &e) != 0) {
		if (e.code != 64 || strchr(e.msg, '\n') != NULL)
			FAIL("check: bad error %d %s", e.code, e.msg);
		return;
	}
	scanned = crm_datefmt_scan(fmt, cell, &y, &m, &d, &t) == 0;
	if (scanned && (!crm_date_valid(y, m, d) || y < 1 || y > 9999))
		FAIL("\"%s\" by \"%s\": %lld-%d-%d", cell, fmt, (long long)y, m, d);
	for (int is_time = 0; is_time <= 1; is_time++) {
		rc = crm_date_cell("col", cell, fmt, is_time, NOW, out, &e);
		if (rc == 1)
			continue;
		if (rc != 0) {
			if (strncmp(e.msg, "column \"col\": invalid date \"", 28) != 0)
				FAIL("cell: bad message %s", e.msg);
			continue;
		}
		if (is_time) {
			if (crm_time_parse(out, 0, &back, NULL) != 0)
				FAIL("cell \"%s\": %s does not parse", cell, out);
			if (scanned && back != t)
				FAIL("cell \"%s\": %s is not the scanned time", cell, out);
		} else if (crm_date_parse(out, 0, &y2, &m2, &d2, NULL) != 0) {
			FAIL("cell \"%s\": %s does not parse", cell, out);
		} else if (scanned && (y2 != y || m2 != m || d2 != d)) {
			FAIL("cell \"%s\": %s is not the scanned date", cell, out);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int zoned;
	char *buf = malloc(size + 1);
	const char *nul;

	if (!zoned) {
		setenv("TZ", "Europe/Amsterdam", 1);
		tzset();
		zoned = 1;
	}
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nul = memchr(buf, '\0', size);
	if (nul == NULL)
		round_trip(buf);
	else
		with_format(buf, nul + 1);
	free(buf);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
/* A plain driver for replaying inputs without libFuzzer, e.g. under
 * valgrind: fuzz_dates_replay FILE... */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		struct crm_buf b = CRM_BUF_INIT;
		char tmp[4096];
		size_t n;

		if (fp == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
			crm_buf_add(&b, tmp, n);
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)crm_buf_str(&b), b.len);
		crm_buf_free(&b);
	}
	return 0;
}
#endif
