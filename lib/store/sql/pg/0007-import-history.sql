-- 0007 (PostgreSQL 15): the contacts an import creates share one history
-- row. As ../0007-import-history.sql.
--
-- An import writes one history row for itself (entity 'import', action
-- 'import', entity_id 0) instead of a "create" row for every new contact,
-- and here the ranges of contact ids it created: contacts first_id to
-- last_id were all created by the import of history row history_id (a
-- range is written once a transaction, in the transaction that creates
-- the contacts). Readers show each of those contacts a "create" row with
-- that row's id, time and user, and the note "import ID". Updates an
-- import makes are history rows of their own, as before.
--
-- SQLite has one writer at a time, so no other program's contact is ever
-- inside a range. So has the PostgreSQL store: every write transaction
-- takes the same advisory lock first (the backend's BEGIN).
--
-- first_id is a contact's id, always given: a plain bigint key.
CREATE TABLE history_imports (
	first_id   bigint PRIMARY KEY,
	last_id    bigint NOT NULL CHECK (last_id >= first_id),
	history_id bigint NOT NULL REFERENCES history(id)
);
