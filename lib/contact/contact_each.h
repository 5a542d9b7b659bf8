/* contact_each.h - the contacts a command names: ids, uids or emails on
 * its command line, "-" for a contact stream on stdin, and a stream in a
 * file (--from FILE), each handed to one function, all in one
 * transaction. What `crm-contact rm` and `tag` do to several contacts at
 * once, and any other program that takes a list of contacts. */
#ifndef CRM_CONTACT_EACH_H
#define CRM_CONTACT_EACH_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;

struct crm_contact_each {
	struct crm *crm;          /* warnings and errors are printed here */
	struct crm_store *store;  /* open for writing */
	const char *from;         /* a contact stream file, read first; or NULL */
	/* Called for each contact; non-zero (e set) stops and rolls back. */
	int (*fn)(void *ctx, int64_t id, struct crm_err *e);
	void *ctx;
};

/* Calls w->fn for every contact of w->from, then of refs (nrefs of them;
 * "-" reads a contact stream from stdin), in one transaction. A reference
 * or stream row naming no contact is reported and skipped. Returns 0;
 * CRM_EX_NOTFOUND if some named no contact (the others are done and
 * committed); or an exit code after printing the error, with nothing
 * done: 66 for a --from file that cannot be opened, fn's code, or a
 * store error (75 busy, ...). */
int crm_contact_each(const struct crm_contact_each *w, int nrefs, char *const *refs);

/* The same for a person at a terminal, for refs alone (no stream):
 * ask(ask_ctx, id, e) is called for each contact first and returns 0 to
 * go on with it, 1 to leave it, else an exit code with e set. Asking
 * holds no lock (a person may think a while); the contacts agreed to are
 * then looked up again and handed to w->fn in one transaction (w->from
 * is not read). Returns as crm_contact_each. */
int crm_contact_each_asked(const struct crm_contact_each *w, int nrefs, char *const *refs,
			   int (*ask)(void *ctx, int64_t id, struct crm_err *e), void *ask_ctx);

/* What rm and tag do to each contact: functions for crm_contact_each
 * whose ctx is a struct crm_contact_change. */
struct crm_contact_change {
	struct crm_store *store;
	char *const *tags;    /* tag: the tags to add or remove */
	int ntags;
	int add;              /* 1: add the tags, 0: remove them */
	unsigned long done;   /* contacts deleted, or tags added or removed */
};
int crm_contact_change_delete(void *ctx, int64_t id, struct crm_err *e);
int crm_contact_change_tags(void *ctx, int64_t id, struct crm_err *e);

#endif
