-- 0009 (PostgreSQL 15): where an unfinished import of a file got to, so a
-- re-run resumes. As ../0009-import-resume.sql.
--
-- A batch import (cli/batch.c) commits about every second. With each
-- commit it writes here, in the same transaction, which file it reads
-- (its size and a digest of all its bytes: XXH64 of each 1 MiB, each
-- seeding the next, io/fileid.h) and how
-- far the committed rows go: the byte offset and line number where the
-- next row starts, how many rows were read before it and how many of
-- those were rejected, with their lines of the rejects file (CSV, no
-- header) in import_resume_rejects, a row a commit, so that a commit
-- writes only its own. A re-run of the same command on the same bytes,
-- read the same way, starts there; the commit that ends an import deletes
-- its rows, so a later import of the same file reads it all again (upsert
-- rules).
-- path is the file as it was given; the rejects hold the cells of rejected
-- rows, as the rejects file does, only until the import finishes (or a
-- run of other contents of the path starts from the top); an erasure
-- deletes every record, so no erased person's cells stay here. A record
-- is kept for the same command options too (reading): a run with other
-- --map, --tag, --key, ... starts from the top.
CREATE TABLE import_resume (
	command     text NOT NULL,     -- "crm-contact import"
	size        bigint NOT NULL,   -- bytes
	digest      text NOT NULL,     -- 16 hex digits
	reading     text NOT NULL,     -- how it is read: format and options
	path        text NOT NULL,
	byte_offset bigint NOT NULL,
	line        bigint NOT NULL,
	rows_done   bigint NOT NULL,
	rejected    bigint NOT NULL,
	updated_at  text NOT NULL,
	PRIMARY KEY (command, size, digest)
);
CREATE TABLE import_resume_rejects (
	command     text NOT NULL,
	size        bigint NOT NULL,
	digest      text NOT NULL,
	seq         bigint NOT NULL,   -- 1, 2, ...: the order they were written
	lines       text NOT NULL,
	PRIMARY KEY (command, size, digest, seq),
	FOREIGN KEY (command, size, digest) REFERENCES import_resume (command, size, digest)
		ON DELETE CASCADE
);
