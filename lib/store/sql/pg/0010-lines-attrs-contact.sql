-- 0010 (PostgreSQL 15): every table of a contact's rows has contact_id in
-- its primary key, ready to be distributed by contact (Citus, crm(7)
-- "Distributing a store"). As ../0010-lines-attrs-contact.sql: order lines
-- and attributes carry their interaction's contact_id. Beyond it, what
-- only a distributed table needs (Citus takes a PRIMARY KEY, UNIQUE or
-- FOREIGN KEY only with the distribution column in it), kept apart from
-- SQLite's schema in pg/differences and checked by tests/e2e/backends.sh:
--
-- - the primary key of a contact-owned table with an id of its own is
--   (id, contact_id), not (id): id first, so that a lookup by id alone,
--   and crm_next_id's max(id), still use it;
-- - order lines and attributes are keyed (interaction_id, ..., contact_id)
--   and point at their interaction by (interaction_id, contact_id); ON
--   UPDATE CASCADE carries a merge's new contact_id from the interaction
--   to its lines (SQLite's merge moves them itself: store/domain.h);
-- - the keys unique across contacts (a contact's uid and email, its other
--   emails, an interaction's key) are kept unique by a directory,
--   crm_keys, not by unique indexes on the tables (below).

ALTER TABLE interaction_lines ADD COLUMN contact_id bigint REFERENCES contacts(id) ON DELETE CASCADE;
UPDATE interaction_lines l SET contact_id = i.contact_id FROM interactions i
	WHERE i.id = l.interaction_id;
ALTER TABLE interaction_lines ALTER COLUMN contact_id SET NOT NULL;
ALTER TABLE interaction_attrs ADD COLUMN contact_id bigint REFERENCES contacts(id) ON DELETE CASCADE;
UPDATE interaction_attrs a SET contact_id = i.contact_id FROM interactions i
	WHERE i.id = a.interaction_id;
ALTER TABLE interaction_attrs ALTER COLUMN contact_id SET NOT NULL;
CREATE INDEX interaction_lines_by_contact ON interaction_lines(contact_id);
CREATE INDEX interaction_attrs_by_contact ON interaction_attrs(contact_id);

ALTER TABLE interaction_lines DROP CONSTRAINT interaction_lines_interaction_id_fkey;
ALTER TABLE interaction_attrs DROP CONSTRAINT interaction_attrs_interaction_id_fkey;
ALTER TABLE interactions DROP CONSTRAINT interactions_pkey,
	ADD CONSTRAINT interactions_pkey PRIMARY KEY (id, contact_id);
ALTER TABLE interaction_lines DROP CONSTRAINT interaction_lines_pkey,
	ADD CONSTRAINT interaction_lines_pkey PRIMARY KEY (interaction_id, line, contact_id),
	ADD CONSTRAINT interaction_lines_interaction_id_fkey FOREIGN KEY (interaction_id, contact_id)
		REFERENCES interactions(id, contact_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE interaction_attrs DROP CONSTRAINT interaction_attrs_pkey,
	ADD CONSTRAINT interaction_attrs_pkey PRIMARY KEY (interaction_id, name, contact_id),
	ADD CONSTRAINT interaction_attrs_interaction_id_fkey FOREIGN KEY (interaction_id, contact_id)
		REFERENCES interactions(id, contact_id) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE contact_emails DROP CONSTRAINT contact_emails_pkey,
	ADD CONSTRAINT contact_emails_pkey PRIMARY KEY (id, contact_id);
ALTER TABLE contact_phones DROP CONSTRAINT contact_phones_pkey,
	ADD CONSTRAINT contact_phones_pkey PRIMARY KEY (id, contact_id);
ALTER TABLE contact_merges DROP CONSTRAINT contact_merges_pkey,
	ADD CONSTRAINT contact_merges_pkey PRIMARY KEY (id, contact_id);
ALTER TABLE erasures DROP CONSTRAINT erasures_pkey,
	ADD CONSTRAINT erasures_pkey PRIMARY KEY (id, contact_id);

-- A contact found by another email than its own: contact_detail.c adds an
-- email to a contact, or changes its type, with ON CONFLICT on this
-- (and so on both backends: ../0010 has it too).
CREATE UNIQUE INDEX contact_emails_by_contact_email ON contact_emails(contact_id, email);

-- ---- keys unique across contacts: the directory ------------------------------
-- crm_keys holds every key value that must be unique across all contacts,
-- by kind ('contacts.uid', 'contacts.email', 'contact_emails.email',
-- 'interactions.ext_key'), with the contact that holds it. Sharded, it
-- goes by value (its primary key), so a lookup or a new key touches one
-- shard, whoever holds it. The tables' own UNIQUE constraints give way to
-- plain indexes for the lookups, and the triggers below keep the directory
-- in step in the statement that writes the rows: one INSERT ... SELECT a
-- statement (transition tables), so a COPY of 2,000 rows costs one, not
-- 2,000. An email is kept as lower(email): citext compares so.
--
-- A key taken is refused as the unique constraint refused it:
-- unique_violation naming the constraint, table and column, and the
-- detail "Key (email)=(...) already exists.", which store/pg.c turns
-- into SQLite's "UNIQUE constraint failed: contacts.email".
-- A key already held, or given twice in one statement, is refused; the
-- statement's other keys go with it (the error ends the statement). The
-- keys go in with ON CONFLICT DO NOTHING, and only when fewer went in
-- than were given is the one refused looked for (a join of what went in
-- with what was given, unplanned for its size, cost 50 ms a COPY).
CREATE TABLE crm_keys (
	kind    text NOT NULL,
	value   text NOT NULL,
	contact bigint NOT NULL,
	PRIMARY KEY (kind, value)
);

-- kind is 'table.column', or 'field.NAME' for a custom field made a key
-- (contact_key_fields below): the value of contact_fields row NAME.
CREATE FUNCTION crm_key_taken(kind text, value text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	tbl text := split_part(kind, '.', 1);
	col text := split_part(kind, '.', 2);
	con text := format('%s_%s_key', tbl, col);
BEGIN
	IF tbl = 'field' THEN
		con := left('contact_fields_key_' || col, 63);
		tbl := 'contact_fields';
		col := 'value';
	END IF;
	RAISE unique_violation USING
		MESSAGE = format('duplicate key value violates unique constraint "%s"', con),
		DETAIL = format('Key (%s)=(%s) already exists.', col, value),
		SCHEMA = current_schema(), TABLE = tbl, COLUMN = col, CONSTRAINT = con;
END
$$;

-- The keys of contacts: contacts.uid, contacts.email.
CREATE FUNCTION crm_keys_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o
		WHERE k.kind = 'contacts.uid' AND k.value = o.uid;
		DELETE FROM crm_keys k USING old_rows o
		WHERE k.kind = 'contacts.email' AND k.value = lower(o.email);
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM crm_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'contacts.uid' AND k.value = o.uid
		  AND n.uid IS DISTINCT FROM o.uid;
		DELETE FROM crm_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'contacts.email' AND k.value = lower(o.email)
		  AND lower(n.email) IS DISTINCT FROM lower(o.email);
		WITH new_keys AS (
			SELECT 'contacts.uid'::text AS kind, n.uid::text AS value, n.id AS contact
			FROM old_rows o JOIN new_rows n ON n.id = o.id
			WHERE n.uid IS NOT NULL AND n.uid IS DISTINCT FROM o.uid
			UNION ALL SELECT 'contacts.email'::text AS kind, lower(n.email)::text AS value, n.id AS contact
			FROM old_rows o JOIN new_rows n ON n.id = o.id
			WHERE n.email IS NOT NULL AND lower(n.email) IS DISTINCT FROM lower(o.email)),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	ELSE
		WITH new_keys AS (
			SELECT 'contacts.uid'::text AS kind, n.uid::text AS value, n.id AS contact
			FROM new_rows n WHERE n.uid IS NOT NULL
			UNION ALL SELECT 'contacts.email'::text AS kind, lower(n.email)::text AS value, n.id AS contact
			FROM new_rows n WHERE n.email IS NOT NULL),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	END IF;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contacts();
CREATE TRIGGER crm_keys_update AFTER UPDATE ON contacts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contacts();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contacts();
INSERT INTO crm_keys SELECT 'contacts.uid', x.uid, x.id FROM contacts x WHERE x.uid IS NOT NULL;
INSERT INTO crm_keys SELECT 'contacts.email', lower(x.email), x.id FROM contacts x WHERE x.email IS NOT NULL;

-- The keys of contact_emails: contact_emails.email.
CREATE FUNCTION crm_keys_contact_emails() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o
		WHERE k.kind = 'contact_emails.email' AND k.value = lower(o.email);
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM crm_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'contact_emails.email' AND k.value = lower(o.email)
		  AND lower(n.email) IS DISTINCT FROM lower(o.email);
		UPDATE crm_keys k SET contact = n.contact_id FROM old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'contact_emails.email' AND k.value = lower(n.email)
		  AND lower(n.email) = lower(o.email) AND n.contact_id <> o.contact_id;
		WITH new_keys AS (
			SELECT 'contact_emails.email'::text AS kind, lower(n.email)::text AS value, n.contact_id AS contact
			FROM old_rows o JOIN new_rows n ON n.id = o.id
			WHERE n.email IS NOT NULL AND lower(n.email) IS DISTINCT FROM lower(o.email)),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	ELSE
		WITH new_keys AS (
			SELECT 'contact_emails.email'::text AS kind, lower(n.email)::text AS value, n.contact_id AS contact
			FROM new_rows n WHERE n.email IS NOT NULL),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	END IF;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON contact_emails REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_emails();
CREATE TRIGGER crm_keys_update AFTER UPDATE ON contact_emails
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_emails();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON contact_emails REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_emails();
INSERT INTO crm_keys SELECT 'contact_emails.email', lower(x.email), x.contact_id FROM contact_emails x WHERE x.email IS NOT NULL;

-- The keys of interactions: interactions.ext_key.
CREATE FUNCTION crm_keys_interactions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o
		WHERE k.kind = 'interactions.ext_key' AND k.value = o.ext_key;
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM crm_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'interactions.ext_key' AND k.value = o.ext_key
		  AND n.ext_key IS DISTINCT FROM o.ext_key;
		UPDATE crm_keys k SET contact = n.contact_id FROM old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'interactions.ext_key' AND k.value = n.ext_key
		  AND n.ext_key = o.ext_key AND n.contact_id <> o.contact_id;
		WITH new_keys AS (
			SELECT 'interactions.ext_key'::text AS kind, n.ext_key::text AS value, n.contact_id AS contact
			FROM old_rows o JOIN new_rows n ON n.id = o.id
			WHERE n.ext_key IS NOT NULL AND n.ext_key IS DISTINCT FROM o.ext_key),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	ELSE
		WITH new_keys AS (
			SELECT 'interactions.ext_key'::text AS kind, n.ext_key::text AS value, n.contact_id AS contact
			FROM new_rows n WHERE n.ext_key IS NOT NULL),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	END IF;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON interactions REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_interactions();
CREATE TRIGGER crm_keys_update AFTER UPDATE ON interactions
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_interactions();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON interactions REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_interactions();
INSERT INTO crm_keys SELECT 'interactions.ext_key', x.ext_key, x.contact_id FROM interactions x WHERE x.ext_key IS NOT NULL;

-- The unique constraints the directory replaces, as plain indexes for the
-- lookups by key.
ALTER TABLE contacts DROP CONSTRAINT contacts_uid_key, DROP CONSTRAINT contacts_email_key;
CREATE INDEX contacts_by_uid ON contacts(uid);
CREATE INDEX contacts_by_email ON contacts(email);
ALTER TABLE contact_emails DROP CONSTRAINT contact_emails_email_key;
CREATE INDEX contact_emails_by_email ON contact_emails(email);
ALTER TABLE interactions DROP CONSTRAINT interactions_ext_key_key;
CREATE INDEX interactions_by_ext_key ON interactions(ext_key);

-- ---- custom fields made keys ------------------------------------------------
-- As ../0010: the names of the custom fields made keys. A name added here
-- (crm_contact_key_prepare) brings its values into the directory, as
-- 'field.NAME'; from then on the trigger on contact_fields keeps them
-- there. The field's index (contact_fields_key_NAME, made by
-- crm_contact_key_prepare) is a plain one here: the directory keeps the
-- values unique, the index serves the lookups. Those made before this
-- migration were unique: they are made plain, their names read from their
-- definitions.
CREATE TABLE contact_key_fields (
	name text PRIMARY KEY
);

-- The keys of contact_key_fields' fields in contact_fields.
CREATE FUNCTION crm_keys_contact_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM contact_key_fields) THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o JOIN contact_key_fields f ON f.name = o.name
		WHERE k.kind = 'field.' || o.name AND k.value = o.value;
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		-- rows are not paired (a merge moves them to another contact):
		-- the old keys go, the new ones come
		DELETE FROM crm_keys k USING old_rows o JOIN contact_key_fields f ON f.name = o.name
		WHERE k.kind = 'field.' || o.name AND k.value = o.value;
		WITH new_keys AS (
			SELECT 'field.' || n.name AS kind, n.value AS value, n.contact_id AS contact
			FROM new_rows n JOIN contact_key_fields f ON f.name = n.name),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	ELSE
		WITH new_keys AS (
			SELECT 'field.' || n.name AS kind, n.value AS value, n.contact_id AS contact
			FROM new_rows n JOIN contact_key_fields f ON f.name = n.name),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	END IF;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON contact_fields REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_fields();
CREATE TRIGGER crm_keys_update AFTER UPDATE ON contact_fields
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_fields();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON contact_fields REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_contact_fields();

-- A field made a key: its values into the directory (one held twice is
-- refused, as the unique index refused it); no longer a key: out.
CREATE FUNCTION crm_keys_key_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o WHERE k.kind = 'field.' || o.name;
		RETURN NULL;
	END IF;
	WITH new_keys AS (
		SELECT 'field.' || f.name AS kind, f.value AS value, f.contact_id AS contact
		FROM new_rows n JOIN contact_fields f ON f.name = n.name),
	added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
		RETURNING 1)
	SELECT n.kind, n.value INTO bad FROM new_keys n
	WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
	  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
			     AND c.contact <> n.contact)
	       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
	LIMIT 1;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON contact_key_fields REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_key_fields();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON contact_key_fields REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_key_fields();

DO $$
DECLARE
	i record;
BEGIN
	FOR i IN SELECT indexname, substring(indexdef from $re$WHERE \(name = '([a-z0-9_]+)'::text\)$re$) AS field
		 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'contact_fields'
		 AND indexname LIKE 'contact\_fields\_key\_%' LOOP
		CONTINUE WHEN i.field IS NULL;
		INSERT INTO contact_key_fields VALUES (i.field) ON CONFLICT DO NOTHING;
		EXECUTE format('DROP INDEX %I', i.indexname);
		EXECUTE format('CREATE INDEX %I ON contact_fields(value) WHERE name = %L', i.indexname, i.field);
	END LOOP;
END
$$;

-- How many keys the directory and the rows disagree on (missing from
-- crm_keys, or there for no row): 0 in a sound store. crm store check
-- reports any other number.
CREATE FUNCTION crm_keys_drift() RETURNS bigint LANGUAGE sql STABLE AS $$
	WITH held AS (
		SELECT 'contacts.uid' AS kind, uid AS value, id AS contact FROM contacts
		UNION ALL SELECT 'contacts.email', lower(email), id FROM contacts
			WHERE email IS NOT NULL
		UNION ALL SELECT 'contact_emails.email', lower(email), contact_id FROM contact_emails
		UNION ALL SELECT 'interactions.ext_key', ext_key, contact_id FROM interactions
			WHERE ext_key IS NOT NULL
		UNION ALL SELECT 'field.' || f.name, f.value, f.contact_id FROM contact_fields f
			JOIN contact_key_fields k ON k.name = f.name)
	SELECT count(*) FROM ((SELECT * FROM held EXCEPT ALL SELECT kind, value, contact FROM crm_keys)
		UNION ALL (SELECT kind, value, contact FROM crm_keys EXCEPT ALL SELECT * FROM held)) d
$$;
