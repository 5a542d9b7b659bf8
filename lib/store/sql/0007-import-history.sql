-- 0007: the contacts an import creates share one history row.
--
-- An import writes one history row for itself (entity 'import', action
-- 'import', entity_id 0) instead of a "create" row for every new contact,
-- and here the ranges of contact ids it created: contacts first_id to
-- last_id were all created by the import of history row history_id (a
-- range is written once a transaction, in the transaction that creates
-- the contacts, so no other program's contact is ever inside one).
-- Readers show each of those contacts a "create" row with that row's id,
-- time and user, and the note "import ID". Updates an import makes are
-- history rows of their own, as before.
CREATE TABLE history_imports (
	first_id   INTEGER PRIMARY KEY,
	last_id    INTEGER NOT NULL CHECK (last_id >= first_id),
	history_id INTEGER NOT NULL REFERENCES history(id)
);
