-- 0001 (PostgreSQL 15): contacts with their custom fields and tags, and
-- the change history. The same tables, columns and indexes as
-- ../0001-contacts.sql; what differs is said where it differs, and in
-- PG-NOTES.md.
-- Times are UTC ISO 8601 text ("2026-11-23T15:55:48Z"), calendar dates
-- "YYYY-MM-DD", as in SQLite. Every integer is bigint, so the C code reads
-- them all alike; SQLite's 0/1 booleans stay bigint with the same CHECK.

-- COLLATE NOCASE columns are citext: = and UNIQUE on them ignore case, as
-- NOCASE does (a lower() index would give the uniqueness but leave
-- email = ? case-sensitive). citext folds by the database's LC_CTYPE: in
-- a database made with the C locale (scripts/pg-server) it folds ASCII
-- only, exactly as NOCASE; in another locale it folds other letters too.
CREATE EXTENSION IF NOT EXISTS citext;

-- What the toolkit's SQL calls that SQLite has and PostgreSQL lacks, as
-- SQL functions of the same names, so the SQL is written once (the rest of
-- the dialect is in lib/store/pg_dialect.c).

-- Row ids as SQLite gives them: one more than the highest id in the table
-- (its primary key's last entry), so a rolled-back insert leaves no gap
-- (a sequence would) and a store gives the same ids on both backends.
-- crm_ids holds a floor under that: the highest id ever deleted from
-- contacts (SQLite's AUTOINCREMENT never gives a contact's id again),
-- and the ids a store copied from elsewhere had given (crm store copy).
-- Writers are serialized (the store takes an advisory lock at BEGIN), so
-- two never draw the same id. (A counter row updated at every insert
-- would keep each update's dead version until commit: an import's
-- inserts grew slower and slower, 1 ms each after 3,000.)
CREATE TABLE crm_ids (
	name text PRIMARY KEY,
	last bigint NOT NULL
);
-- The known tables by name: PL/pgSQL plans a static statement once a
-- session, where EXECUTE plans at every call (a third of an insert's time).
CREATE FUNCTION crm_next_id(t text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	n bigint;
BEGIN
	CASE t
	WHEN 'contacts' THEN SELECT max(id) INTO n FROM contacts;
	WHEN 'interactions' THEN SELECT max(id) INTO n FROM interactions;
	WHEN 'history' THEN SELECT max(id) INTO n FROM history;
	WHEN 'contact_emails' THEN SELECT max(id) INTO n FROM contact_emails;
	WHEN 'contact_phones' THEN SELECT max(id) INTO n FROM contact_phones;
	ELSE EXECUTE format('SELECT max(id) FROM %I', t) INTO n;
	END CASE;
	RETURN greatest(coalesce(n, 0), coalesce((SELECT last FROM crm_ids WHERE name = t), 0)) + 1;
END
$$;

-- COLLATE NOCASE: equal without regard to case (ICU, level 2).
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2',
	deterministic = false);

-- SQLite's time values: ISO text ("2026-11-23T15:55:48Z", "2026-11-23")
-- with modifiers ('+3 days', '-6 days', 'weekday 0', 'start of month',
-- 'start of year', 'start of day'); NULL for anything else, as in SQLite.
CREATE FUNCTION crm_sqlite_time(t text, mods text[]) RETURNS timestamp
LANGUAGE plpgsql STABLE AS $$
DECLARE
	ts timestamp;
	m text;
	wd int;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		ts := replace(replace(t, 'T', ' '), 'Z', '')::timestamp;
	EXCEPTION WHEN others THEN
		RETURN NULL;
	END;
	FOREACH m IN ARRAY coalesce(mods, '{}'::text[]) LOOP
		m := lower(btrim(m));
		IF m ~ '^[+-]?[0-9]+(\.[0-9]+)? +(day|hour|minute|second|month|year)s?$' THEN
			ts := ts + m::interval;
		ELSIF m = 'start of month' THEN
			ts := date_trunc('month', ts);
		ELSIF m = 'start of year' THEN
			ts := date_trunc('year', ts);
		ELSIF m = 'start of day' THEN
			ts := date_trunc('day', ts);
		ELSIF m ~ '^weekday [0-6]$' THEN
			wd := substr(m, 9)::int;
			ts := ts + ((wd - extract(dow FROM ts)::int + 7) % 7) * interval '1 day';
		ELSE
			RETURN NULL;
		END IF;
	END LOOP;
	RETURN ts;
END
$$;

CREATE FUNCTION strftime(fmt text, t text, VARIADIC mods text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	ts timestamp := crm_sqlite_time(t, mods);
	res text := '';
	i int := 1;
	c text;
BEGIN
	IF ts IS NULL OR fmt IS NULL THEN
		RETURN NULL;
	END IF;
	WHILE i <= length(fmt) LOOP
		c := substr(fmt, i, 1);
		IF c = '%' AND i < length(fmt) THEN
			i := i + 1;
			c := substr(fmt, i, 1);
			res := res || CASE c
				WHEN 'Y' THEN to_char(ts, 'YYYY')
				WHEN 'm' THEN to_char(ts, 'MM')
				WHEN 'd' THEN to_char(ts, 'DD')
				WHEN 'H' THEN to_char(ts, 'HH24')
				WHEN 'M' THEN to_char(ts, 'MI')
				WHEN 'S' THEN to_char(ts, 'SS')
				WHEN 'f' THEN to_char(ts, 'SS.MS')
				WHEN 'j' THEN to_char(ts, 'DDD')
				WHEN 'w' THEN extract(dow FROM ts)::int::text
				WHEN 'W' THEN lpad(((extract(doy FROM ts)::int + 6
					- (extract(dow FROM ts)::int + 6) % 7) / 7)::text, 2, '0')
				WHEN 's' THEN floor(extract(epoch FROM ts))::bigint::text
				WHEN '%' THEN '%'
				ELSE '%' || c END;
		ELSE
			res := res || c;
		END IF;
		i := i + 1;
	END LOOP;
	RETURN res;
END
$$;

CREATE FUNCTION julianday(t text, VARIADIC mods text[] DEFAULT '{}')
RETURNS double precision LANGUAGE sql STABLE AS $$
	SELECT extract(epoch FROM crm_sqlite_time(t, mods))::double precision / 86400 + 2440587.5
$$;

-- printf with one %.Nf conversion (and %% for a per cent sign).
CREATE FUNCTION printf(fmt text, v double precision) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	m text[] := regexp_match(fmt, '^(.*?)%\.([0-9]+)f(.*)$');
BEGIN
	IF m IS NULL THEN
		RETURN replace(fmt, '%%', '%');
	END IF;
	RETURN replace(m[1], '%%', '%') || round(coalesce(v, 0)::numeric, m[2]::int)::text
		|| replace(m[3], '%%', '%');
END
$$;

-- total(): a sum that is 0.0 over no rows; sum() over conditions, which
-- SQLite counts as 1 and 0; group_concat with SQLite's default ','.
CREATE AGGREGATE total(double precision) (SFUNC = float8pl, STYPE = double precision,
	INITCOND = '0');
CREATE FUNCTION crm_bool_add(n bigint, b boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN b IS NULL THEN n ELSE coalesce(n, 0) + CASE WHEN b THEN 1 ELSE 0 END END
$$;
CREATE AGGREGATE sum(boolean) (SFUNC = crm_bool_add, STYPE = bigint);
CREATE FUNCTION crm_concat(acc text, v anynonarray, sep text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text
		ELSE acc || sep || v::text END
$$;
CREATE FUNCTION crm_concat(acc text, v anynonarray) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT crm_concat(acc, v, ',')
$$;
CREATE AGGREGATE group_concat(anynonarray, text) (SFUNC = crm_concat, STYPE = text);
CREATE AGGREGATE group_concat(anynonarray) (SFUNC = crm_concat, STYPE = text);

-- UPDATE OR IGNORE for a merge's move of a contact's rows (the store's
-- crm_store_move_rows): each row moved under a savepoint of its own, and
-- left where the move would break a unique key.
CREATE FUNCTION crm_repoint(t text, col text, keep bigint, other bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	n bigint := 0;
BEGIN
	FOR r IN EXECUTE format('SELECT ctid AS c FROM %I WHERE %I = $1', t, col) USING other LOOP
		BEGIN
			EXECUTE format('UPDATE %I SET %I = $1 WHERE ctid = $2', t, col) USING keep, r.c;
			n := n + 1;
		EXCEPTION WHEN unique_violation THEN
			NULL;
		END;
	END LOOP;
	RETURN n;
END
$$;

-- crm_number(text): the number a text is (spaces around it allowed), or
-- NULL; the filter language compares a custom field with a number through
-- it (store/sqlite.c has the same in C).
CREATE FUNCTION crm_number(t text) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN btrim(t, ' ') ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$'
		THEN btrim(t, ' ')::double precision END
$$;

-- round() of a double, which PostgreSQL has for numeric only.
CREATE FUNCTION round(v double precision, n integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
	SELECT round(v::numeric, n)::double precision
$$;


-- AUTOINCREMENT: an id is never given again after its contact is merged
-- away or removed, so history, snapshots and other programs' rows that keep
-- an id never point at somebody else: crm_next_id's floor (crm_ids) and
-- the trigger contacts_deleted below keep it so.
CREATE TABLE contacts (
	id                bigint PRIMARY KEY DEFAULT crm_next_id('contacts'),
	uid               text NOT NULL UNIQUE,
	first_name        text,
	last_name         text,
	email             citext UNIQUE,
	phone             text,
	company           text,
	title             text,
	address           text,
	city              text,
	region            text,
	postal_code       text,
	country           text,
	birthdate         text,
	gender            text,
	language          text,
	source            text,
	owner             text,
	status            text NOT NULL DEFAULT 'lead'
	                  CHECK (status = 'lead' OR status = 'prospect' OR
	                         status = 'customer' OR status = 'former'),
	preferred_channel text,
	email_opt_out     bigint NOT NULL DEFAULT 0 CHECK (email_opt_out = 0 OR email_opt_out = 1),
	sms_opt_out       bigint NOT NULL DEFAULT 0 CHECK (sms_opt_out = 0 OR sms_opt_out = 1),
	created_at        text NOT NULL,
	updated_at        text NOT NULL
);

-- A deleted contact's id is never given again (AUTOINCREMENT): deleting
-- the highest one raises the floor of crm_next_id.
CREATE FUNCTION crm_contacts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	top bigint := (SELECT max(id) FROM gone);
BEGIN
	IF top IS NOT NULL AND top > coalesce((SELECT max(id) FROM contacts), 0) THEN
		INSERT INTO crm_ids AS i VALUES ('contacts', top)
		ON CONFLICT (name) DO UPDATE SET last = greatest(i.last, excluded.last);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION crm_contacts_deleted();

-- Custom fields: any name that is not a standard field.
-- (WITHOUT ROWID in SQLite: a plain table here.)
CREATE TABLE contact_fields (
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	name       text NOT NULL,
	value      text NOT NULL,
	PRIMARY KEY (contact_id, name)
);

CREATE TABLE contact_tags (
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	tag        text NOT NULL,
	PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_by_tag ON contact_tags(tag);

-- Who changed what and when. entity is 'contact' (later also 'lead',
-- 'ticket'); action is create, update, delete, tag, untag; field, old_value
-- and new_value say what changed (NULL where it does not apply).
-- SQLite's INTEGER PRIMARY KEY gives max(id) + 1, so the id of a deleted
-- last row comes again; so does crm_next_id.
CREATE TABLE history (
	id        bigint PRIMARY KEY DEFAULT crm_next_id('history'),
	at        text NOT NULL,
	who       text NOT NULL,
	entity    text NOT NULL,
	entity_id bigint NOT NULL,
	action    text NOT NULL,
	field     text,
	old_value text,
	new_value text
);
CREATE INDEX history_by_entity ON history(entity, entity_id);
