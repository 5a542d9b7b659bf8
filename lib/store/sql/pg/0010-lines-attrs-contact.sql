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
--   to its lines (SQLite's merge moves them itself: store/domain.h).

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
