-- 0004 (PostgreSQL 15): more than one email and phone per contact, where
-- merged values came from, and erasures. As ../0004-contact-details.sql.
--
-- contacts.email and contacts.phone stay the primary ones, what `email` and
-- `phone` show; contact_emails and contact_phones hold the others, each
-- with a type (work, home, mobile, other). An email belongs to at most one
-- contact across both places (checked by libcrm; each table is unique on
-- its own). phones keep the number as written and its E.164 form.

-- email is citext, as contacts.email (0001): NOCASE equality and UNIQUE.
CREATE TABLE contact_emails (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('contact_emails'),
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	email      citext NOT NULL UNIQUE,
	type       text,
	created_at text NOT NULL
);
CREATE INDEX contact_emails_by_contact ON contact_emails(contact_id);

CREATE TABLE contact_phones (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('contact_phones'),
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	phone      text NOT NULL,
	e164       text,
	type       text,
	created_at text NOT NULL,
	UNIQUE (contact_id, phone)
);
CREATE INDEX contact_phones_by_e164 ON contact_phones(e164);

-- Where a value came from, e.g. "merged from contact 12".
ALTER TABLE history ADD COLUMN note text;

-- An erased contact keeps its id (so counts in reports stay right) and
-- nothing else: every personal field is cleared and erased_at set.
ALTER TABLE contacts ADD COLUMN erased_at text;

-- That an erasure happened, and no more.
CREATE TABLE erasures (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('erasures'),
	at         text NOT NULL,
	who        text NOT NULL,
	contact_id bigint NOT NULL
);
