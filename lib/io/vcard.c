/* vcard.c - streaming vCard reading and writing (see vcard.h).
 *
 * Reading goes in three layers:
 *   - physical lines, from a chunk read with fread (CR, LF or CRLF end a
 *     line), appended to the logical line but never past line_max bytes;
 *   - logical lines: the physical line plus the lines that continue it, a
 *     fold (next line starts with a space or tab, which is dropped) or, for a
 *     quoted-printable property, a soft line break (the line ends in "=",
 *     which is dropped, and the next line is taken whole). Whether a line is
 *     quoted-printable is known once its unquoted ':' has been seen, by the
 *     same parameter parser the properties use;
 *   - cards: BEGIN:VCARD .. END:VCARD, one property per logical line.
 *
 * A value goes through: transfer encoding (quoted-printable, base64), then
 * the charset (to UTF-8), then CR and CRLF become LF and the result must be
 * valid UTF-8; only then is it split on unescaped ';' or ',' and unescaped,
 * so that a Shift_JIS second byte 0x5C is never taken for a backslash.
 */
#include "io/vcard.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

/* Bytes read from the file at a time; the fuzz build makes it tiny so that
 * chunk ends fall everywhere. */
#ifndef CRM_VCARD_CHUNK
#define CRM_VCARD_CHUNK (64u * 1024u)
#endif

/* At most this many types per item; later ones are dropped (a 1 MiB TYPE
 * list would otherwise cost quadratic time to deduplicate). */
#define VC_TYPES_MAX 16
/* At most this many categories per card, for the same reason. */
#define VC_CATEGORIES_MAX 1000
/* Column at which written lines are folded (RFC 6350 3.2). */
#define VC_FOLD 75

#define VC_NOCOLON SIZE_MAX

enum vc_enc { VC_ENC_NONE, VC_ENC_QP, VC_ENC_B64, VC_ENC_BAD };

enum vc_prop {
	P_OTHER, P_BEGIN, P_END, P_VERSION, P_FN, P_N, P_ORG, P_TITLE, P_BDAY,
	P_NOTE, P_GENDER, P_LANG, P_REV, P_UID, P_EMAIL, P_TEL, P_URL, P_ADR,
	P_CATEGORIES,
};

static const struct {
	const char *name;
	enum vc_prop prop;
} vc_props[] = {
	{ "BEGIN", P_BEGIN }, { "END", P_END }, { "VERSION", P_VERSION },
	{ "FN", P_FN }, { "N", P_N }, { "ORG", P_ORG }, { "TITLE", P_TITLE },
	{ "BDAY", P_BDAY }, { "NOTE", P_NOTE }, { "GENDER", P_GENDER },
	{ "LANG", P_LANG }, { "REV", P_REV }, { "UID", P_UID },
	{ "EMAIL", P_EMAIL }, { "TEL", P_TEL }, { "URL", P_URL },
	{ "ADR", P_ADR }, { "CATEGORIES", P_CATEGORIES },
};

/* The parameters of one property. Pointers go into the logical line. */
struct vc_params {
	int want_types;          /* collect TYPE values into types */
	int email;               /* drop the type "internet" */
	struct crm_buf types;    /* comma-joined, lowercased, deduplicated */
	int ntypes;
	int pref;
	enum vc_enc enc;
	const char *bad_enc;     /* the unknown ENCODING value */
	size_t bad_enc_len;
	const char *charset;
	size_t charset_len;
	const char *omit_year;   /* X-APPLE-OMIT-YEAR */
	size_t omit_year_len;
};

struct crm_vcard_reader {
	FILE *fp;
	char *name;
	size_t line_max;
	size_t card_max;

	char *chunk;
	size_t chunk_len;
	size_t chunk_pos;
	int eof;
	int read_errno;
	unsigned long line;        /* physical lines begun so far */
	unsigned char phys_last;   /* last byte of the last physical line */

	/* The logical line. */
	struct crm_buf lb;
	unsigned long lb_line;
	int lb_over;               /* longer than line_max: the rest dropped */
	size_t lb_scan;            /* where the search for ':' goes on */
	int lb_inparams;
	int lb_inq;
	size_t lb_name_end;        /* end of group.name: first ';' or ':' */
	size_t lb_colon;           /* the ':' before the value, or VC_NOCOLON */
	int lb_qp;

	int utf16;                 /* input starts with a UTF-16 BOM */
	int pending;               /* a BEGIN:VCARD was read inside a card */
	unsigned long pending_line;

	/* The card being read. */
	size_t card_bytes;
	int lang_pref;
	int in_b64;                /* 2.1: unindented base64 lines may follow */

	struct crm_buf val;        /* the decoded value */
	struct crm_buf tmp;
};

/* --- small helpers ------------------------------------------------------ */

static int vc_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int vc_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static char vc_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int vc_is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

/* 1 if s[0..n) equals the NUL-terminated word, ignoring ASCII case. */
static int vc_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static int vc_has_prefix(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	return n >= k && strncasecmp(s, word, k) == 0;
}

static void vc_trim(const char **s, size_t *n, int (*is)(char))
{
	while (*n > 0 && is((*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is((*s)[*n - 1]))
		(*n)--;
}

static char *vc_dup_or_null(const char *s, size_t n)
{
	return n == 0 ? NULL : xstrndup(s, n);
}

/* Appends s[0..n) for a message: printable ASCII only, at most 40 bytes. */
static void vc_add_safe(struct crm_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		crm_buf_addc(b, c >= 0x20 && c < 0x7F && c != '"' ? (char)c : '?');
	}
	if (n > 40)
		crm_buf_adds(b, "...");
}

__attribute__((format(printf, 2, 3)))
static void vc_card_error(struct crm_vcard *card, const char *fmt, ...)
{
	struct crm_buf b = CRM_BUF_INIT;
	va_list ap;

	if (card->error != NULL)
		return;
	va_start(ap, fmt);
	crm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	card->error = crm_buf_detach(&b);
}

static void vc_card_error_token(struct crm_vcard *card, const char *what,
				const char *s, size_t n, unsigned long line)
{
	struct crm_buf b = CRM_BUF_INIT;

	vc_add_safe(&b, s, n);
	vc_card_error(card, "unsupported %s \"%s\" on line %lu", what,
		      crm_buf_str(&b), line);
	crm_buf_free(&b);
}

/* Appends code point cp as UTF-8. */
static void vc_put_utf8(struct crm_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	crm_buf_add(b, u, n);
}

/* --- types -------------------------------------------------------------- */

/* Adds one type token (as the reader and writer both filter them): letters,
 * digits and '-' only, lowercased; "pref" sets *pref; "internet" is
 * dropped for emails; duplicates and tokens past VC_TYPES_MAX dropped. */
static void vc_add_type(struct crm_buf *types, int *ntypes, int *pref,
			const char *s, size_t n, int email)
{
	const char *p, *end;
	char low[32];

	vc_trim(&s, &n, vc_is_space);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (!vc_is_token_char(s[i]))
			return;
	if (vc_eq(s, n, "pref")) {
		*pref = 1;
		return;
	}
	if (email && vc_eq(s, n, "internet"))
		return;
	if (*ntypes >= VC_TYPES_MAX)
		return;
	/* Duplicate? Tokens are compared without case. */
	p = crm_buf_str(types);
	end = p + types->len;
	while (p < end) {
		const char *q = memchr(p, ',', (size_t)(end - p));
		size_t k = q != NULL ? (size_t)(q - p) : (size_t)(end - p);

		if (k == n && strncasecmp(p, s, n) == 0)
			return;
		p += k + 1;
	}
	if (types->len > 0)
		crm_buf_addc(types, ',');
	while (n > 0) {
		size_t k = n < sizeof(low) ? n : sizeof(low);

		for (size_t i = 0; i < k; i++)
			low[i] = vc_lower(s[i]);
		crm_buf_add(types, low, k);
		s += k;
		n -= k;
	}
	(*ntypes)++;
}

/* --- parameters --------------------------------------------------------- */

static enum vc_enc vc_encoding(const char *s, size_t n)
{
	if (vc_eq(s, n, "QUOTED-PRINTABLE"))
		return VC_ENC_QP;
	if (vc_eq(s, n, "BASE64") || vc_eq(s, n, "B"))
		return VC_ENC_B64;
	if (vc_eq(s, n, "8BIT") || vc_eq(s, n, "7BIT"))
		return VC_ENC_NONE;
	return VC_ENC_BAD;
}

static void vc_set_encoding(struct vc_params *pp, const char *s, size_t n)
{
	enum vc_enc enc = vc_encoding(s, n);

	if (enc == VC_ENC_BAD && pp->bad_enc == NULL) {
		pp->bad_enc = s;
		pp->bad_enc_len = n;
	}
	if (pp->enc != VC_ENC_BAD)
		pp->enc = enc;
}

/* One value of parameter name[0..nn): s[0..n), quotes still around it. */
static void vc_param_value(struct vc_params *pp, const char *name, size_t nn,
			   const char *s, size_t n)
{
	vc_trim(&s, &n, vc_is_space);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (vc_eq(name, nn, "TYPE")) {
		/* TYPE="work,voice": a list inside the quotes. */
		while (pp->want_types) {
			const char *c = memchr(s, ',', n);
			size_t k = c != NULL ? (size_t)(c - s) : n;

			vc_add_type(&pp->types, &pp->ntypes, &pp->pref, s, k,
				    pp->email);
			if (c == NULL)
				break;
			s += k + 1;
			n -= k + 1;
		}
	} else if (vc_eq(name, nn, "PREF")) {
		size_t i = 0;

		while (i < n && s[i] == '0')
			i++;
		if (n - i == 1 && s[i] == '1')
			pp->pref = 1;
	} else if (vc_eq(name, nn, "ENCODING")) {
		vc_set_encoding(pp, s, n);
	} else if (vc_eq(name, nn, "CHARSET")) {
		if (pp->charset == NULL) {
			pp->charset = s;
			pp->charset_len = n;
		}
	} else if (vc_eq(name, nn, "X-APPLE-OMIT-YEAR")) {
		pp->omit_year = s;
		pp->omit_year_len = n;
	}
}

/* One parameter, s[0..n) between ';' and ';' or ':'. */
static void vc_param(struct vc_params *pp, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	const char *name = s, *v, *end = s + n;
	size_t nn;

	if (eq == NULL) {
		/* vCard 2.1's bare parameters: TEL;WORK;PREF;QUOTED-PRINTABLE */
		vc_trim(&s, &n, vc_is_space);
		if (vc_encoding(s, n) != VC_ENC_BAD)
			vc_set_encoding(pp, s, n);
		else if (pp->want_types)
			vc_add_type(&pp->types, &pp->ntypes, &pp->pref, s, n,
				    pp->email);
		return;
	}
	nn = (size_t)(eq - s);
	vc_trim(&name, &nn, vc_is_space);
	v = eq + 1;
	while (v <= end) {
		const char *p = v;
		int inq = 0;

		while (p < end && (inq || *p != ',')) {
			if (*p == '"')
				inq = !inq;
			p++;
		}
		vc_param_value(pp, name, nn, v, (size_t)(p - v));
		v = p + 1;
	}
}

/* Parses s[0..n), which starts at the ';' after the property name (or is
 * empty) and ends before the value's ':'. A '"' toggles quoting, as in the
 * search for that ':' (vc_scan). */
static void vc_params(struct vc_params *pp, const char *s, size_t n)
{
	size_t pos = 0;

	while (pos < n) {
		size_t start = ++pos;
		int inq = 0;

		while (pos < n && (inq || s[pos] != ';')) {
			if (s[pos] == '"')
				inq = !inq;
			pos++;
		}
		vc_param(pp, s + start, pos - start);
	}
}

/* --- input -------------------------------------------------------------- */

/* 1 if a byte is ready at chunk_pos, else 0 (end of input or error). */
static int vc_fill(struct crm_vcard_reader *r)
{
	size_t n;

	if (r->chunk_pos < r->chunk_len)
		return 1;
	if (r->eof || r->read_errno != 0)
		return 0;
	n = fread(r->chunk, 1, CRM_VCARD_CHUNK, r->fp);
	r->chunk_len = n;
	r->chunk_pos = 0;
	if (n == 0) {
		if (ferror(r->fp))
			r->read_errno = errno != 0 ? errno : EIO;
		else
			r->eof = 1;
		return 0;
	}
	return 1;
}

static int vc_peek(struct crm_vcard_reader *r)
{
	return vc_fill(r) ? (unsigned char)r->chunk[r->chunk_pos] : -1;
}

/* Appends to the logical line, up to line_max bytes. */
static void vc_keep(struct crm_vcard_reader *r, const char *p, size_t n)
{
	size_t room;

	if (n == 0)
		return;
	r->phys_last = (unsigned char)p[n - 1];
	if (r->lb_over)
		return;
	room = r->line_max - r->lb.len;
	if (n > room) {
		n = room;
		r->lb_over = 1;
	}
	crm_buf_add(&r->lb, p, n);
}

/* Appends the rest of the physical line (the caller counted it) to the
 * logical line, and consumes its line end. */
static void vc_physical(struct crm_vcard_reader *r)
{
	r->phys_last = 0;
	while (vc_fill(r)) {
		const char *p = r->chunk + r->chunk_pos;
		size_t n = r->chunk_len - r->chunk_pos, i = 0;
		char c;

		while (i < n && p[i] != '\n' && p[i] != '\r')
			i++;
		vc_keep(r, p, i);
		r->chunk_pos += i;
		if (i == n)
			continue;
		c = p[i];
		r->chunk_pos++;
		if (c == '\r' && vc_peek(r) == '\n')
			r->chunk_pos++;
		return;
	}
}

/* Goes on looking for the ':' that starts the value; once found, parses the
 * parameters to learn whether the line is quoted-printable. */
static void vc_scan(struct crm_vcard_reader *r)
{
	const char *s = crm_buf_str(&r->lb);
	size_t i = r->lb_scan, n = r->lb.len;

	if (r->lb_colon != VC_NOCOLON)
		return;
	for (; i < n; i++) {
		char c = s[i];

		if (!r->lb_inparams) {
			if (c == ':' || c == ';')
				r->lb_name_end = i;
			if (c == ':')
				break;
			if (c == ';')
				r->lb_inparams = 1;
		} else if (c == '"') {
			r->lb_inq = !r->lb_inq;
		} else if (c == ':' && !r->lb_inq) {
			break;
		}
	}
	r->lb_scan = i;
	if (i < n) {
		struct vc_params pp;

		r->lb_colon = i;
		memset(&pp, 0, sizeof(pp));
		vc_params(&pp, s + r->lb_name_end, i - r->lb_name_end);
		r->lb_qp = pp.enc == VC_ENC_QP;
	}
}

/* Reads the next logical line into r->lb; 0 at end of input. */
static int vc_logical(struct crm_vcard_reader *r)
{
	crm_buf_reset(&r->lb);
	r->lb_over = 0;
	r->lb_scan = 0;
	r->lb_inparams = 0;
	r->lb_inq = 0;
	r->lb_name_end = VC_NOCOLON;
	r->lb_colon = VC_NOCOLON;
	r->lb_qp = 0;
	if (vc_peek(r) < 0)
		return 0;
	r->lb_line = ++r->line;
	vc_physical(r);
	if (r->lb_line == 1 && r->lb.len >= 2) {
		const unsigned char *u = (const unsigned char *)r->lb.data;

		if (r->lb.len >= 3 && u[0] == 0xEF && u[1] == 0xBB &&
		    u[2] == 0xBF) {
			memmove(r->lb.data, r->lb.data + 3, r->lb.len - 2);
			r->lb.len -= 3;
		} else if ((u[0] == 0xFF && u[1] == 0xFE) ||
			   (u[0] == 0xFE && u[1] == 0xFF)) {
			r->utf16 = 1;
		}
	}
	vc_scan(r);
	for (;;) {
		int c = vc_peek(r);

		if (c < 0)
			break;
		if (r->lb_qp && r->phys_last == '=') {
			/* A soft line break: drop the '=', take the next
			 * line whole. */
			if (!r->lb_over && r->lb.len > r->lb_colon &&
			    r->lb.data[r->lb.len - 1] == '=')
				r->lb.data[--r->lb.len] = '\0';
		} else if (c == ' ' || c == '\t') {
			r->chunk_pos++;
		} else {
			break;
		}
		r->line++;
		vc_physical(r);
		vc_scan(r);
	}
	return 1;
}

/* --- values ------------------------------------------------------------- */

static int vc_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = vc_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable: =XX is a byte; any other '=' is kept. */
static void vc_qp_decode(struct crm_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;

		if (s[i] == '=' && i + 2 < n && (h = vc_hex(s[i + 1])) >= 0 &&
		    (l = vc_hex(s[i + 2])) >= 0) {
			crm_buf_addc(out, (char)(h * 16 + l));
			i += 2;
		} else {
			crm_buf_addc(out, s[i]);
		}
	}
}

static int vc_b64(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64, spaces ignored, '=' padding optional; -1 on a bad character. */
static int vc_b64_decode(struct crm_buf *out, const char *s, size_t n)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;

	for (size_t i = 0; i < n; i++) {
		int v;

		if (vc_is_space(s[i]))
			continue;
		if (s[i] == '=') {
			pad = 1;
			continue;
		}
		v = vc_b64(s[i]);
		if (v < 0 || pad)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			crm_buf_addc(out, (char)((acc >> bits) & 0xFF));
		}
	}
	return 0;
}

/* windows-1252 bytes 0x80..0x9F; the five it leaves undefined map to the
 * C1 controls, as in the WHATWG encoding standard. */
static const uint16_t vc_cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void vc_from_cp1252(struct crm_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			crm_buf_addc(out, (char)c);
		else if (c < 0xA0)
			vc_put_utf8(out, vc_cp1252[c - 0x80]);
		else
			vc_put_utf8(out, c);
	}
}

/* Converts s[0..n) from charset cs to UTF-8 with iconv(3). Returns 0, -1
 * for an unknown charset, -2 for input that is not in that charset. */
static int vc_iconv(struct crm_buf *out, const char *cs, const char *s,
		    size_t n)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char *in = (char *)s;
	size_t left = n;
	int flush = 0;

	if (cd == (iconv_t)-1)
		return -1;
	for (;;) {
		char tmp[256], *o = tmp;
		size_t room = sizeof(tmp), k;

		/* Input first, then the shift state of stateful charsets. */
		if (!flush)
			k = iconv(cd, &in, &left, &o, &room);
		else
			k = iconv(cd, NULL, NULL, &o, &room);
		crm_buf_add(out, tmp, sizeof(tmp) - room);
		if (k == (size_t)-1 && errno == E2BIG)
			continue;
		if (k == (size_t)-1) {
			iconv_close(cd);
			return -2;
		}
		if (flush)
			break;
		flush = left == 0;
	}
	iconv_close(cd);
	return 0;
}

/* The value of the logical line, decoded into r->val as UTF-8 text whose
 * escapes are still in place. Returns 0, or -1 with a card error. */
static int vc_decode(struct crm_vcard_reader *r, struct crm_vcard *card,
		     const struct vc_params *pp, const char *v, size_t n)
{
	struct crm_buf *raw = &r->tmp, *out = &r->val;
	const char *cs = pp->charset;
	size_t csn = pp->charset_len, bad = 0;

	crm_buf_reset(raw);
	crm_buf_reset(out);
	if (pp->enc == VC_ENC_BAD) {
		vc_card_error_token(card, "encoding", pp->bad_enc,
				    pp->bad_enc_len, r->lb_line);
		return -1;
	}
	if (pp->enc == VC_ENC_QP) {
		vc_qp_decode(raw, v, n);
	} else if (pp->enc == VC_ENC_B64) {
		if (vc_b64_decode(raw, v, n) < 0) {
			vc_card_error(card, "invalid base64 on line %lu",
				      r->lb_line);
			return -1;
		}
	} else {
		crm_buf_add(raw, v, n);
	}
	v = crm_buf_str(raw);
	n = raw->len;

	if (cs == NULL || csn == 0 || vc_eq(cs, csn, "UTF-8") ||
	    vc_eq(cs, csn, "UTF8") || vc_eq(cs, csn, "US-ASCII") ||
	    vc_eq(cs, csn, "ASCII")) {
		crm_buf_add(out, v, n);
	} else if (vc_eq(cs, csn, "ISO-8859-1") || vc_eq(cs, csn, "ISO8859-1") ||
		   vc_eq(cs, csn, "ISO_8859-1") || vc_eq(cs, csn, "LATIN1") ||
		   vc_eq(cs, csn, "WINDOWS-1252") || vc_eq(cs, csn, "CP1252")) {
		vc_from_cp1252(out, v, n);
	} else {
		char name[64];
		int rc;

		if (csn >= sizeof(name) || memchr(cs, '\0', csn) != NULL) {
			rc = -1;
		} else {
			memcpy(name, cs, csn);
			name[csn] = '\0';
			rc = vc_iconv(out, name, v, n);
		}
		if (rc == -1) {
			vc_card_error_token(card, "charset", cs, csn,
					    r->lb_line);
			return -1;
		}
		if (rc == -2) {
			struct crm_buf b = CRM_BUF_INIT;

			vc_add_safe(&b, cs, csn);
			vc_card_error(card, "invalid %s text on line %lu",
				      crm_buf_str(&b), r->lb_line);
			crm_buf_free(&b);
			return -1;
		}
	}

	/* CR and CRLF become LF. */
	if (memchr(crm_buf_str(out), '\r', out->len) != NULL) {
		char *s = out->data;
		size_t j = 0;

		for (size_t i = 0; i < out->len; i++) {
			if (s[i] == '\r') {
				s[j++] = '\n';
				if (i + 1 < out->len && s[i + 1] == '\n')
					i++;
			} else {
				s[j++] = s[i];
			}
		}
		out->len = j;
		s[j] = '\0';
	}
	if (!crm_utf8_valid(crm_buf_str(out), out->len, &bad)) {
		vc_card_error(card, "%s on line %lu",
			      out->data[bad] == '\0' ? "NUL byte" :
			      "invalid UTF-8", r->lb_line);
		return -1;
	}
	return 0;
}

/* End of the component that starts at s: the first sep not escaped. */
static const char *vc_part_end(const char *s, const char *end, char sep)
{
	while (s < end && *s != sep) {
		if (*s == '\\' && s + 1 < end)
			s++;
		s++;
	}
	return s;
}

/* Unescaped s[0..n), trimmed of spaces, tabs and line breaks if trim;
 * NULL when empty. */
static char *vc_text(struct crm_buf *tmp, const char *s, size_t n, int trim)
{
	const char *t;
	size_t tn;

	crm_buf_reset(tmp);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			char e = s[i + 1];

			i++;
			if (e == 'n' || e == 'N') {
				crm_buf_addc(tmp, '\n');
			} else if (e == '\\' || e == ',' || e == ';' ||
				   e == ':') {
				crm_buf_addc(tmp, e);
			} else {
				crm_buf_addc(tmp, '\\');
				crm_buf_addc(tmp, e);
			}
		} else {
			crm_buf_addc(tmp, c);
		}
	}
	t = crm_buf_str(tmp);
	tn = tmp->len;
	if (trim)
		vc_trim(&t, &tn, vc_is_blank);
	return vc_dup_or_null(t, tn);
}

/* Splits s[0..n) on unescaped sep into at most max parts (the rest is
 * dropped); each part unescaped, NULL when empty. Returns the count. */
static size_t vc_split(struct crm_buf *tmp, const char *s, size_t n, char sep,
		       char **parts, size_t max)
{
	const char *end = s + n;
	size_t k = 0;

	for (size_t i = 0; i < max; i++)
		parts[i] = NULL;
	while (k < max) {
		const char *e = vc_part_end(s, end, sep);

		parts[k++] = vc_text(tmp, s, (size_t)(e - s), 0);
		if (e == end)
			break;
		s = e + 1;
	}
	return k;
}

/* --- properties --------------------------------------------------------- */

static int vc_digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* "YYYY-MM-DD" from the forms in vcard.h, or NULL. */
static char *vc_bday(const char *s, size_t n, const char *omit, size_t omitn)
{
	int y, m, d, o;
	size_t len;
	char out[32];
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (n >= 8 && vc_digits(s, 4, &y) && vc_digits(s + 4, 2, &m) &&
	    vc_digits(s + 6, 2, &d))
		len = 8;
	else if (n >= 10 && s[4] == '-' && s[7] == '-' && vc_digits(s, 4, &y) &&
		 vc_digits(s + 5, 2, &m) && vc_digits(s + 8, 2, &d))
		len = 10;
	else
		return NULL;
	if (n > len && s[len] != 'T' && s[len] != 't' && s[len] != ' ')
		return NULL;
	if (y == 0 || m < 1 || m > 12 || d < 1)
		return NULL;
	if (d > days[m - 1] + (m == 2 && y % 4 == 0 &&
			       (y % 100 != 0 || y % 400 == 0)))
		return NULL;
	if (omit != NULL && omitn > 0 && omitn <= 4 &&
	    vc_digits(omit, omitn, &o) && o == y)
		return NULL;
	snprintf(out, sizeof(out), "%04d-%02d-%02d", y, m, d);
	return xstrdup(out);
}

/* Removes the URI scheme (mailto:, tel:) from an email or phone, however
 * often it is repeated, and trims. */
static char *vc_contact_value(struct crm_buf *tmp, const char *s, size_t n,
			      const char *scheme, int tel)
{
	size_t k = strlen(scheme);
	char *v = vc_text(tmp, s, n, 1);
	int stripped = 0;

	while (v != NULL && vc_has_prefix(v, strlen(v), scheme)) {
		const char *t = v + k;
		size_t tn = strlen(t);
		char *w;

		vc_trim(&t, &tn, vc_is_blank);
		w = vc_dup_or_null(t, tn);
		free(v);
		v = w;
		stripped = 1;
	}
	if (v != NULL && tel && stripped) {
		/* RFC 3966: tel:+1-201-555-0123;ext=456 */
		for (char *p = v; *p != '\0'; p++) {
			struct crm_buf b = CRM_BUF_INIT;
			const char *t;
			size_t tn;

			if (strncasecmp(p, ";ext=", 5) != 0)
				continue;
			crm_buf_add(&b, v, (size_t)(p - v));
			crm_buf_adds(&b, " ext ");
			crm_buf_adds(&b, p + 5);
			t = crm_buf_str(&b);
			tn = b.len;
			vc_trim(&t, &tn, vc_is_blank);
			free(v);
			v = vc_dup_or_null(t, tn);
			crm_buf_free(&b);
			break;
		}
	}
	return v;
}

static void vc_add_item(struct crm_vcard_item **items, size_t *n,
			struct vc_params *pp, char *value)
{
	struct crm_vcard_item *it;

	*items = xreallocarray(*items, *n + 1, sizeof(**items));
	it = &(*items)[(*n)++];
	it->type = pp->types.len > 0 ? xstrdup(crm_buf_str(&pp->types)) : NULL;
	it->value = value;
	it->pref = pp->pref;
}

/* Joins the non-NULL strings of v[0..n) with sep, freeing them. */
static char *vc_join(char **v, size_t n, const char *sep)
{
	struct crm_buf b = CRM_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		if (b.len > 0)
			crm_buf_adds(&b, sep);
		crm_buf_adds(&b, v[i]);
		free(v[i]);
		v[i] = NULL;
	}
	return b.len > 0 ? crm_buf_detach(&b) : NULL;
}

static void vc_adr(struct crm_vcard_reader *r, struct crm_vcard *card,
		   struct vc_params *pp, const char *s, size_t n)
{
	char *c[7], *street[3];
	struct crm_vcard_adr *a;

	vc_split(&r->tmp, s, n, ';', c, 7);
	street[0] = c[2];
	street[1] = c[1];
	street[2] = c[0];
	c[2] = vc_join(street, 3, ", ");
	if (c[2] == NULL && c[3] == NULL && c[4] == NULL && c[5] == NULL &&
	    c[6] == NULL)
		return;
	card->adrs = xreallocarray(card->adrs, card->nadrs + 1,
				   sizeof(*card->adrs));
	a = &card->adrs[card->nadrs++];
	a->type = pp->types.len > 0 ? xstrdup(crm_buf_str(&pp->types)) : NULL;
	a->pref = pp->pref;
	a->street = c[2];
	a->locality = c[3];
	a->region = c[4];
	a->postal_code = c[5];
	a->country = c[6];
}

static void vc_categories(struct crm_vcard_reader *r, struct crm_vcard *card,
			  const char *s, size_t n)
{
	const char *end = s + n;

	for (;;) {
		const char *e = vc_part_end(s, end, ',');
		char *c = vc_text(&r->tmp, s, (size_t)(e - s), 1);
		size_t i;

		for (i = 0; c != NULL && i < card->ncategories; i++)
			if (strcmp(card->categories[i], c) == 0)
				break;
		if (c != NULL && i == card->ncategories) {
			if (card->ncategories >= VC_CATEGORIES_MAX) {
				vc_card_error(card, "more than %d categories "
					      "on line %lu", VC_CATEGORIES_MAX,
					      r->lb_line);
				free(c);
				return;
			}
			card->categories = xreallocarray(card->categories,
							 card->ncategories + 1,
							 sizeof(char *));
			card->categories[card->ncategories++] = c;
		} else {
			free(c);
		}
		if (e == end)
			break;
		s = e + 1;
	}
}

/* Sets *field to the unescaped value if it is still NULL. */
static void vc_set_text(struct crm_vcard_reader *r, char **field,
			const char *s, size_t n)
{
	if (*field == NULL)
		*field = vc_text(&r->tmp, s, n, 0);
}

static void vc_property(struct crm_vcard_reader *r, struct crm_vcard *card,
			enum vc_prop prop, struct vc_params *pp)
{
	const char *s = crm_buf_str(&r->val);
	size_t n = r->val.len;
	char *part[5], *v;

	switch (prop) {
	case P_FN:
		vc_set_text(r, &card->fn, s, n);
		break;
	case P_TITLE:
		vc_set_text(r, &card->title, s, n);
		break;
	case P_NOTE:
		vc_set_text(r, &card->note, s, n);
		break;
	case P_REV:
		vc_set_text(r, &card->rev, s, n);
		break;
	case P_UID:
		vc_set_text(r, &card->uid, s, n);
		break;
	case P_LANG:
		if (card->lang != NULL && (r->lang_pref || !pp->pref))
			break;
		v = vc_text(&r->tmp, s, n, 0);
		if (v != NULL) {
			free(card->lang);
			card->lang = v;
			r->lang_pref = pp->pref;
		}
		break;
	case P_GENDER: /* sex;identity: the sex only */
		if (card->gender == NULL)
			card->gender = vc_text(&r->tmp, s, (size_t)
					       (vc_part_end(s, s + n, ';') - s), 0);
		break;
	case P_N:
		if (card->family != NULL || card->given != NULL ||
		    card->additional != NULL || card->prefix != NULL ||
		    card->suffix != NULL)
			break;
		vc_split(&r->tmp, s, n, ';', part, 5);
		card->family = part[0];
		card->given = part[1];
		card->additional = part[2];
		card->prefix = part[3];
		card->suffix = part[4];
		break;
	case P_ORG: {
		const char *end = s + n, *e = vc_part_end(s, end, ';');
		struct crm_buf units = CRM_BUF_INIT;

		if (card->org != NULL || card->org_unit != NULL)
			break;
		card->org = vc_text(&r->tmp, s, (size_t)(e - s), 0);
		while (e < end) {
			s = e + 1;
			e = vc_part_end(s, end, ';');
			v = vc_text(&r->tmp, s, (size_t)(e - s), 0);
			if (v == NULL)
				continue;
			if (units.len > 0)
				crm_buf_adds(&units, ", ");
			crm_buf_adds(&units, v);
			free(v);
		}
		card->org_unit = units.len > 0 ? crm_buf_detach(&units) : NULL;
		crm_buf_free(&units);
		break;
	}
	case P_BDAY:
		if (card->bday == NULL) {
			v = vc_text(&r->tmp, s, n, 1);
			if (v != NULL)
				card->bday = vc_bday(v, strlen(v), pp->omit_year,
						     pp->omit_year_len);
			free(v);
		}
		break;
	case P_EMAIL:
		v = vc_contact_value(&r->tmp, s, n, "mailto:", 0);
		if (v != NULL)
			vc_add_item(&card->emails, &card->nemails, pp, v);
		break;
	case P_TEL:
		v = vc_contact_value(&r->tmp, s, n, "tel:", 1);
		if (v != NULL)
			vc_add_item(&card->phones, &card->nphones, pp, v);
		break;
	case P_URL:
		v = vc_text(&r->tmp, s, n, 1);
		if (v != NULL)
			vc_add_item(&card->urls, &card->nurls, pp, v);
		break;
	case P_ADR:
		vc_adr(r, card, pp, s, n);
		break;
	case P_CATEGORIES:
		vc_categories(r, card, s, n);
		break;
	default:
		break;
	}
}

/* The property of the logical line: P_OTHER for an unknown one, -1 for a
 * malformed name (group.name: letters, digits and '-'). */
static int vc_prop_of(const struct crm_vcard_reader *r)
{
	const char *s = crm_buf_str(&r->lb), *name = s;
	size_t n = r->lb_name_end;

	if (n == VC_NOCOLON) {
		/* No ';' or ':' (an over-long line): the name is what looks
		 * like one. */
		n = 0;
		while (n < r->lb.len && (vc_is_token_char(s[n]) || s[n] == '.'))
			n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s + i == name)
				return -1;
			name = s + i + 1;
		} else if (!vc_is_token_char(s[i])) {
			return -1;
		}
	}
	if (name == s + n)
		return -1;
	for (size_t i = 0; i < sizeof(vc_props) / sizeof(vc_props[0]); i++)
		if (vc_eq(name, (size_t)(s + n - name), vc_props[i].name))
			return (int)vc_props[i].prop;
	return P_OTHER;
}

/* The value of BEGIN, END or VERSION, trimmed. */
static void vc_simple_value(const struct crm_vcard_reader *r, const char **v,
			    size_t *n)
{
	*v = crm_buf_str(&r->lb) + r->lb_colon + 1;
	*n = r->lb.len - r->lb_colon - 1;
	vc_trim(v, n, vc_is_space);
}

/* 1 if the logical line is BEGIN:VCARD (what == P_BEGIN) or END:VCARD. */
static int vc_is_marker(const struct crm_vcard_reader *r, enum vc_prop what)
{
	const char *v;
	size_t n;

	if (r->lb_colon == VC_NOCOLON || r->lb_over ||
	    vc_prop_of(r) != (int)what)
		return 0;
	vc_simple_value(r, &v, &n);
	return vc_eq(v, n, "VCARD");
}

static int vc_all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vc_is_space(s[i]))
			return 0;
	return 1;
}

/* One logical line inside a card (not BEGIN or END). */
static void vc_line(struct crm_vcard_reader *r, struct crm_vcard *card)
{
	const char *s = crm_buf_str(&r->lb), *v;
	struct vc_params pp;
	int prop;
	size_t n;

	if (vc_all_space(s, r->lb.len) && !r->lb_over) {
		r->in_b64 = 0; /* a blank line ends 2.1 base64 data */
		return;
	}
	if (card->error != NULL)
		return;
	if (memchr(s, '\0', r->lb.len) != NULL) {
		vc_card_error(card, "NUL byte on line %lu", r->lb_line);
		return;
	}
	prop = vc_prop_of(r);
	if (r->lb_colon == VC_NOCOLON && !r->lb_over) {
		if (!r->in_b64)
			vc_card_error(card, "malformed line %lu", r->lb_line);
		return;
	}
	r->in_b64 = 0;
	if (prop < 0) {
		vc_card_error(card, "malformed line %lu", r->lb_line);
		return;
	}
	if (prop == P_OTHER || prop == P_BEGIN || prop == P_END) {
		if (r->lb_colon != VC_NOCOLON) {
			memset(&pp, 0, sizeof(pp));
			vc_params(&pp, s + r->lb_name_end,
				  r->lb_colon - r->lb_name_end);
			r->in_b64 = pp.enc == VC_ENC_B64;
		}
		return;
	}
	if (r->lb_over) {
		vc_card_error(card, "line %lu longer than %zu bytes",
			      r->lb_line, r->line_max);
		return;
	}
	if (r->lb.len > r->card_max - r->card_bytes) {
		vc_card_error(card, "card longer than %zu bytes", r->card_max);
		return;
	}
	r->card_bytes += r->lb.len;
	if (prop == P_VERSION) {
		vc_simple_value(r, &v, &n);
		if (vc_eq(v, n, "2.1"))
			card->version = 21;
		else if (vc_eq(v, n, "3.0"))
			card->version = 30;
		else if (vc_eq(v, n, "4.0"))
			card->version = 40;
		else
			vc_card_error_token(card, "version", v, n, r->lb_line);
		return;
	}
	memset(&pp, 0, sizeof(pp));
	pp.want_types = 1;
	pp.email = prop == P_EMAIL;
	vc_params(&pp, s + r->lb_name_end, r->lb_colon - r->lb_name_end);
	if (vc_decode(r, card, &pp, s + r->lb_colon + 1,
		      r->lb.len - r->lb_colon - 1) == 0)
		vc_property(r, card, (enum vc_prop)prop, &pp);
	crm_buf_free(&pp.types);
}

/* --- reader API --------------------------------------------------------- */

struct crm_vcard_reader *crm_vcard_open(FILE *fp, const char *name)
{
	struct crm_vcard_reader *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = xstrdup(name != NULL ? name : "-");
	r->line_max = CRM_VCARD_LINE_MAX_DEFAULT;
	r->card_max = CRM_VCARD_CARD_MAX_DEFAULT;
	r->chunk = xmalloc(CRM_VCARD_CHUNK);
	crm_buf_init(&r->lb);
	crm_buf_init(&r->val);
	crm_buf_init(&r->tmp);
	return r;
}

void crm_vcard_set_limits(struct crm_vcard_reader *r, size_t line_max,
			  size_t card_max)
{
	r->line_max = line_max != 0 ? line_max : CRM_VCARD_LINE_MAX_DEFAULT;
	r->card_max = card_max != 0 ? card_max : CRM_VCARD_CARD_MAX_DEFAULT;
}

int crm_vcard_next(struct crm_vcard_reader *r, struct crm_vcard *card,
		   struct crm_err *e)
{
	memset(card, 0, sizeof(*card));
	if (r->pending) {
		card->line = r->pending_line;
		r->pending = 0;
	} else {
		for (;;) {
			if (!vc_logical(r))
				goto eof;
			if (r->utf16)
				return crm_err_set(e, CRM_EX_DATAERR,
						   "%s: UTF-16 text: convert it "
						   "to UTF-8 first", r->name);
			if (vc_is_marker(r, P_BEGIN))
				break;
		}
		card->line = r->lb_line;
	}
	r->card_bytes = 0;
	r->lang_pref = 0;
	r->in_b64 = 0;
	for (;;) {
		if (!vc_logical(r)) {
			if (r->read_errno != 0)
				goto eof;
			vc_card_error(card, "missing END:VCARD");
			return 1;
		}
		if (vc_is_marker(r, P_END))
			return 1;
		if (vc_is_marker(r, P_BEGIN)) {
			r->pending = 1;
			r->pending_line = r->lb_line;
			vc_card_error(card, "missing END:VCARD");
			return 1;
		}
		vc_line(r, card);
	}
eof:
	crm_vcard_free(card);
	if (r->read_errno != 0)
		return crm_err_set(e, CRM_EX_IOERR, "%s: read error: %s",
				   r->name, strerror(r->read_errno));
	return 0;
}

static void vc_free_items(struct crm_vcard_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].type);
		free(items[i].value);
	}
	free(items);
}

void crm_vcard_free(struct crm_vcard *card)
{
	char **strs[] = {
		&card->uid, &card->fn, &card->family, &card->given,
		&card->additional, &card->prefix, &card->suffix, &card->org,
		&card->org_unit, &card->title, &card->bday, &card->note,
		&card->gender, &card->lang, &card->rev, &card->error,
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	vc_free_items(card->emails, card->nemails);
	vc_free_items(card->phones, card->nphones);
	vc_free_items(card->urls, card->nurls);
	for (size_t i = 0; i < card->nadrs; i++) {
		struct crm_vcard_adr *a = &card->adrs[i];

		free(a->type);
		free(a->street);
		free(a->locality);
		free(a->region);
		free(a->postal_code);
		free(a->country);
	}
	free(card->adrs);
	for (size_t i = 0; i < card->ncategories; i++)
		free(card->categories[i]);
	free(card->categories);
	memset(card, 0, sizeof(*card));
}

void crm_vcard_close(struct crm_vcard_reader *r)
{
	if (r == NULL)
		return;
	crm_buf_free(&r->lb);
	crm_buf_free(&r->val);
	crm_buf_free(&r->tmp);
	free(r->chunk);
	free(r->name);
	free(r);
}

/* --- writer ------------------------------------------------------------- */

static int vc_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Appends s escaped: backslash and line breaks always, ',' and ';' when
 * full (text values; emails, phones and URLs keep them as they are). */
static void vc_esc(struct crm_buf *b, const char *s, int full)
{
	for (; s != NULL && *s != '\0'; s++) {
		char c = *s;

		if (c == '\\') {
			crm_buf_adds(b, "\\\\");
		} else if (c == '\n' || c == '\r') {
			crm_buf_adds(b, "\\n");
			if (c == '\r' && s[1] == '\n')
				s++;
		} else if (full && (c == ',' || c == ';')) {
			crm_buf_addc(b, '\\');
			crm_buf_addc(b, c);
		} else {
			crm_buf_addc(b, c);
		}
	}
}

/* Appends one content line folded at VC_FOLD octets, never before a UTF-8
 * continuation byte, with CRLF. */
static void vc_put_line(struct crm_buf *out, const char *s, size_t n)
{
	size_t max = VC_FOLD;

	while (n > max) {
		size_t cut = max;

		while (cut > max - 3 &&
		       ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		crm_buf_add(out, s, cut);
		crm_buf_adds(out, "\r\n ");
		s += cut;
		n -= cut;
		max = VC_FOLD - 1;
	}
	crm_buf_add(out, s, n);
	crm_buf_adds(out, "\r\n");
}

static void vc_flush(struct crm_buf *out, struct crm_buf *line)
{
	vc_put_line(out, crm_buf_str(line), line->len);
	crm_buf_reset(line);
}

/* ";TYPE=..." and the preference, in the style of the version. */
static void vc_put_params(struct crm_buf *line, const char *type, int pref,
			  int email, int version)
{
	struct crm_buf types = CRM_BUF_INIT;
	int ntypes = 0, p = pref;

	while (type != NULL && *type != '\0') {
		const char *c = strchr(type, ',');
		size_t k = c != NULL ? (size_t)(c - type) : strlen(type);

		vc_add_type(&types, &ntypes, &p, type, k, email);
		type += k + (c != NULL);
	}
	if (version == 3 && p) {
		if (types.len > 0)
			crm_buf_addc(&types, ',');
		crm_buf_adds(&types, "pref");
	}
	if (types.len > 0) {
		crm_buf_adds(line, ";TYPE=");
		crm_buf_add(line, crm_buf_str(&types), types.len);
	}
	if (version == 4 && p)
		crm_buf_adds(line, ";PREF=1");
	crm_buf_free(&types);
}

static void vc_put_text(struct crm_buf *out, struct crm_buf *line,
			const char *name, const char *value)
{
	if (!vc_set(value))
		return;
	crm_buf_adds(line, name);
	crm_buf_addc(line, ':');
	vc_esc(line, value, 1);
	vc_flush(out, line);
}

static void vc_put_items(struct crm_buf *out, struct crm_buf *line,
			 const char *name, const struct crm_vcard_item *items,
			 size_t n, int email, int version)
{
	for (size_t i = 0; i < n; i++) {
		if (!vc_set(items[i].value))
			continue;
		crm_buf_adds(line, name);
		vc_put_params(line, items[i].type, items[i].pref, email,
			      version);
		crm_buf_addc(line, ':');
		vc_esc(line, items[i].value, 0);
		vc_flush(out, line);
	}
}

char *crm_vcard_display_name(const struct crm_vcard *card)
{
	const char *parts[] = {
		card->prefix, card->given, card->additional, card->family,
		card->suffix,
	};
	struct crm_buf b = CRM_BUF_INIT;

	if (vc_set(card->fn))
		return xstrdup(card->fn);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!vc_set(parts[i]))
			continue;
		if (b.len > 0)
			crm_buf_addc(&b, ' ');
		crm_buf_adds(&b, parts[i]);
	}
	if (b.len > 0)
		return crm_buf_detach(&b);
	if (vc_set(card->org))
		return xstrdup(card->org);
	for (size_t i = 0; i < card->nemails; i++)
		if (vc_set(card->emails[i].value))
			return xstrdup(card->emails[i].value);
	return NULL;
}

void crm_vcard_write(struct crm_buf *out, const struct crm_vcard *card,
		     int version)
{
	struct crm_buf line = CRM_BUF_INIT;
	char *fn = crm_vcard_display_name(card);
	const char *n[] = {
		card->family, card->given, card->additional, card->prefix,
		card->suffix,
	};
	int has_n = 0;

	version = version == 3 ? 3 : 4;
	crm_buf_adds(out, "BEGIN:VCARD\r\n");
	crm_buf_adds(out, version == 3 ? "VERSION:3.0\r\n" : "VERSION:4.0\r\n");
	crm_buf_adds(&line, "FN:");
	vc_esc(&line, fn, 1);
	vc_flush(out, &line);
	free(fn);

	for (size_t i = 0; i < 5; i++)
		has_n |= vc_set(n[i]);
	if (has_n || version == 3) {
		crm_buf_adds(&line, "N:");
		for (size_t i = 0; i < 5; i++) {
			if (i > 0)
				crm_buf_addc(&line, ';');
			vc_esc(&line, n[i], 1);
		}
		vc_flush(out, &line);
	}
	if (vc_set(card->org) || vc_set(card->org_unit)) {
		crm_buf_adds(&line, "ORG:");
		vc_esc(&line, card->org, 1);
		if (vc_set(card->org_unit)) {
			crm_buf_addc(&line, ';');
			vc_esc(&line, card->org_unit, 1);
		}
		vc_flush(out, &line);
	}
	vc_put_text(out, &line, "TITLE", card->title);
	vc_put_items(out, &line, "EMAIL", card->emails, card->nemails, 1,
		     version);
	vc_put_items(out, &line, "TEL", card->phones, card->nphones, 0,
		     version);
	for (size_t i = 0; i < card->nadrs; i++) {
		const struct crm_vcard_adr *a = &card->adrs[i];
		const char *c[] = {
			a->street, a->locality, a->region, a->postal_code,
			a->country,
		};
		int any = 0;

		for (size_t k = 0; k < 5; k++)
			any |= vc_set(c[k]);
		if (!any)
			continue;
		crm_buf_adds(&line, "ADR");
		vc_put_params(&line, a->type, a->pref, 0, version);
		crm_buf_adds(&line, ":;;");
		for (size_t k = 0; k < 5; k++) {
			if (k > 0)
				crm_buf_addc(&line, ';');
			vc_esc(&line, c[k], 1);
		}
		vc_flush(out, &line);
	}
	vc_put_items(out, &line, "URL", card->urls, card->nurls, 0, version);
	vc_put_text(out, &line, "BDAY", card->bday);
	if (version == 4) {
		vc_put_text(out, &line, "GENDER", card->gender);
		vc_put_text(out, &line, "LANG", card->lang);
	}
	for (size_t i = 0; i < card->ncategories; i++) {
		if (!vc_set(card->categories[i]))
			continue;
		crm_buf_adds(&line, line.len == 0 ? "CATEGORIES:" : ",");
		vc_esc(&line, card->categories[i], 1);
	}
	if (line.len > 0)
		vc_flush(out, &line);
	vc_put_text(out, &line, "NOTE", card->note);
	vc_put_text(out, &line, "UID", card->uid);
	vc_put_text(out, &line, "REV", card->rev);
	crm_buf_adds(out, "END:VCARD\r\n");
	crm_buf_free(&line);
}
