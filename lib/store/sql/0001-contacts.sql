-- 0001: contacts with their custom fields and tags, and the change history.
-- Times are UTC ISO 8601 text ("2026-11-23T15:55:48Z"), calendar dates
-- "YYYY-MM-DD". Every table has a stable integer id. CHECKs on a set of
-- values are written as OR chains: SQLite 3.40 builds a temporary table
-- for every IN (...) it checks, which cost 10% of an import.

-- AUTOINCREMENT: an id is never given again after its contact is merged
-- away or removed, so history, snapshots and other programs' rows that keep
-- an id never point at somebody else.
CREATE TABLE contacts (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	uid               TEXT NOT NULL UNIQUE,
	first_name        TEXT,
	last_name         TEXT,
	email             TEXT COLLATE NOCASE UNIQUE,
	phone             TEXT,
	company           TEXT,
	title             TEXT,
	address           TEXT,
	city              TEXT,
	region            TEXT,
	postal_code       TEXT,
	country           TEXT,
	birthdate         TEXT,
	gender            TEXT,
	language          TEXT,
	source            TEXT,
	owner             TEXT,
	status            TEXT NOT NULL DEFAULT 'lead'
	                  CHECK (status = 'lead' OR status = 'prospect' OR
	                         status = 'customer' OR status = 'former'),
	preferred_channel TEXT,
	email_opt_out     INTEGER NOT NULL DEFAULT 0 CHECK (email_opt_out = 0 OR email_opt_out = 1),
	sms_opt_out       INTEGER NOT NULL DEFAULT 0 CHECK (sms_opt_out = 0 OR sms_opt_out = 1),
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);

-- Custom fields: any name that is not a standard field.
CREATE TABLE contact_fields (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	value      TEXT NOT NULL,
	PRIMARY KEY (contact_id, name)
) WITHOUT ROWID;

CREATE TABLE contact_tags (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	tag        TEXT NOT NULL,
	PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags(tag);

-- Who changed what and when. entity is 'contact' (later also 'lead',
-- 'ticket'); action is create, update, delete, tag, untag; field, old_value
-- and new_value say what changed (NULL where it does not apply).
CREATE TABLE history (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	who       TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	action    TEXT NOT NULL,
	field     TEXT,
	old_value TEXT,
	new_value TEXT
);
CREATE INDEX history_by_entity ON history(entity, entity_id);
