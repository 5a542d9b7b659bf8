-- 0005 (PostgreSQL 15): what merged into what, as data; and an index on
-- contact_id for every table a data-subject request reads by it. As
-- ../0005-merges.sql.
--
-- One row per merge. merged_id is the contact merged away and into_id the
-- one it was merged into; contact_id is the contact it belongs to now:
-- merge repoints it like every contact_id column, so when 7 is merged into
-- 9 later the row of 3-into-7 says contact_id 9, and a person's merged
-- contacts, however indirectly, are one indexed lookup. The merged
-- contact's history up to last_history_id (its "merged" note) is the
-- person's.
CREATE TABLE contact_merges (
	id              bigint PRIMARY KEY DEFAULT crm_next_id('contact_merges'),
	contact_id      bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	merged_id       bigint NOT NULL,
	into_id         bigint NOT NULL,
	last_history_id bigint NOT NULL,
	at              text NOT NULL
);
CREATE INDEX contact_merges_by_contact ON contact_merges(contact_id);

-- Stores merged before this migration: the "merged into contact N" notes,
-- each followed forward through later merges of N to the contact that
-- holds it now (a contact removed since has no row). A PostgreSQL store
-- starts empty at 0001, so this finds nothing; it is kept so the two
-- migrations say the same. SQLite's CAST('12x' AS INTEGER) is 12 where
-- PostgreSQL's fails: the number is cut out with a pattern first.
CREATE TEMP TABLE merge_notes (
	merged_id bigint NOT NULL,
	into_id   bigint NOT NULL,
	upto      bigint NOT NULL,
	at        text NOT NULL
);
INSERT INTO merge_notes
	SELECT entity_id, CAST(substring(note FROM '^merged into contact ([0-9]+)') AS bigint), id, at
	FROM history
	WHERE entity = 'contact' AND action = 'merged'
	AND note ~ '^merged into contact [0-9]';
CREATE INDEX merge_notes_by_merged ON merge_notes(merged_id, upto);
INSERT INTO contact_merges (contact_id, merged_id, into_id, last_history_id, at)
	WITH RECURSIVE walk(merged_id, into_id, upto, at, holder, since) AS (
		SELECT merged_id, into_id, upto, at, into_id, upto FROM merge_notes
		UNION ALL
		SELECT w.merged_id, w.into_id, w.upto, w.at, n.into_id, n.upto
		FROM walk w, merge_notes n WHERE n.merged_id = w.holder AND n.upto > w.since
	)
	SELECT holder, merged_id, into_id, upto, at FROM walk w
	WHERE NOT EXISTS (SELECT 1 FROM merge_notes n
			  WHERE n.merged_id = w.holder AND n.upto > w.since)
	AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = w.holder)
	ORDER BY upto;
DROP TABLE pg_temp.merge_notes;

-- Export and erase read every table with a contact_id by it; these two
-- had no index that starts with it (segment_members is keyed by snapshot).
CREATE INDEX segment_members_by_contact ON segment_members(contact_id);
CREATE INDEX erasures_by_contact ON erasures(contact_id);
