-- 0008: history_imports found by its history row.
--
-- Deleting a history row (erase) checks the foreign key
-- history_imports.history_id; without this index SQLite scans every
-- range of every import to check it. A migration of its own, not an edit
-- of 0007, so that stores already at version 7 get it too.
CREATE INDEX history_imports_by_history ON history_imports(history_id);
