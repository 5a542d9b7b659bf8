-- 0008 (PostgreSQL 15): history_imports found by its history row. As
-- ../0008-history-imports-index.sql.
--
-- Deleting a history row (erase) checks the foreign key
-- history_imports.history_id; without this index every range of every
-- import is scanned to check it (PostgreSQL, like SQLite, does not index a
-- referencing column by itself).
CREATE INDEX history_imports_by_history ON history_imports(history_id);
