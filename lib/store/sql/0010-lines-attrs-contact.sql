-- 0010: the order lines and the attributes of an interaction name its
-- contact themselves (contact_id, the interaction's).
--
-- Every table that holds a contact's rows carries contact_id, so that a
-- store can be distributed by contact (Citus, crm(7) "Distributing a
-- store"): a shard then holds a contact's lines beside the contact's
-- interactions. SQLite itself needs nothing of this; the column is here
-- too so that the SQL that writes and reads it is the same on both
-- backends. It is the interaction's contact, always: the toolkit writes it
-- with the line, and merge moves both (store/domain.h). Erasure keeps its
-- rules (0006): attributes deleted, lines' descriptions cleared.
--
-- SQLite cannot add a NOT NULL column with no default, so both tables are
-- made anew (the rows copied, contact_id from their interaction) and take
-- the old names; contact_id goes last, where PostgreSQL's ALTER TABLE
-- ADD COLUMN puts it (pg/0010).

CREATE TABLE interaction_lines_0010 (
	interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	line           INTEGER NOT NULL CHECK (line >= 1),
	product_code   TEXT,
	description    TEXT,
	quantity       INTEGER NOT NULL,
	unit_price     TEXT NOT NULL,
	total          INTEGER NOT NULL,
	contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (interaction_id, line)
) WITHOUT ROWID;
INSERT INTO interaction_lines_0010
	SELECT l.interaction_id, l.line, l.product_code, l.description, l.quantity,
	       l.unit_price, l.total, i.contact_id
	FROM interaction_lines l JOIN interactions i ON i.id = l.interaction_id;
DROP TABLE interaction_lines;
ALTER TABLE interaction_lines_0010 RENAME TO interaction_lines;
CREATE INDEX interaction_lines_by_product ON interaction_lines(product_code);
CREATE INDEX interaction_lines_by_contact ON interaction_lines(contact_id);

CREATE TABLE interaction_attrs_0010 (
	interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	name           TEXT NOT NULL,
	value          TEXT NOT NULL,
	contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (interaction_id, name)
) WITHOUT ROWID;
INSERT INTO interaction_attrs_0010
	SELECT a.interaction_id, a.name, a.value, i.contact_id
	FROM interaction_attrs a JOIN interactions i ON i.id = a.interaction_id;
DROP TABLE interaction_attrs;
ALTER TABLE interaction_attrs_0010 RENAME TO interaction_attrs;
CREATE INDEX interaction_attrs_by_name ON interaction_attrs(name, value);
CREATE INDEX interaction_attrs_by_contact ON interaction_attrs(contact_id);

-- A contact found by another email than its own: contact_detail.c adds an
-- email to a contact, or changes its type, with ON CONFLICT on this. (The
-- email alone is unique here too; on PostgreSQL a directory keeps it so,
-- pg/0010, and this index is the conflict target both have.)
CREATE UNIQUE INDEX contact_emails_by_contact_email ON contact_emails(contact_id, email);

-- The custom fields made keys (crm-contact import --key field.NAME,
-- contact/contact_key.h), by name: a bulk import asks here whether a
-- column is one, and on PostgreSQL a directory keeps their values unique
-- by it (pg/0010). Here each also has its unique index, as before; the
-- indexes made before this migration name them.
CREATE TABLE contact_key_fields (
	name TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO contact_key_fields
	SELECT substr(name, 20) FROM sqlite_master
	WHERE type = 'index' AND name LIKE 'contact\_fields\_key\_%' ESCAPE '\';
