-- 0004: more than one email and phone per contact, where merged values
-- came from, and erasures.
--
-- contacts.email and contacts.phone stay the primary ones, what `email` and
-- `phone` show; contact_emails and contact_phones hold the others, each
-- with a type (work, home, mobile, other). An email belongs to at most one
-- contact across both places (checked by libcrm; each table is unique on
-- its own). phones keep the number as written and its E.164 form.

CREATE TABLE contact_emails (
	id         INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	email      TEXT NOT NULL COLLATE NOCASE UNIQUE,
	type       TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX contact_emails_by_contact ON contact_emails(contact_id);

CREATE TABLE contact_phones (
	id         INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	phone      TEXT NOT NULL,
	e164       TEXT,
	type       TEXT,
	created_at TEXT NOT NULL,
	UNIQUE (contact_id, phone)
);
CREATE INDEX contact_phones_by_e164 ON contact_phones(e164);

-- Where a value came from, e.g. "merged from contact 12".
ALTER TABLE history ADD COLUMN note TEXT;

-- An erased contact keeps its id (so counts in reports stay right) and
-- nothing else: every personal field is cleared and erased_at set.
ALTER TABLE contacts ADD COLUMN erased_at TEXT;

-- That an erasure happened, and no more.
CREATE TABLE erasures (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	who        TEXT NOT NULL,
	contact_id INTEGER NOT NULL
);
