-- 0006 (PostgreSQL 15): what an imported interaction carries beyond its
-- own columns. As ../0006-interaction-lines-attrs.sql (WITHOUT ROWID
-- tables are plain tables here).
--
-- interaction_lines: the line items of an order (crm-log import with an
-- order column). A line is known by its order and its position: the Nth
-- row of the input with that order number (line), so importing the same
-- file again, or an order whose rows fall into two blocks of the import,
-- stores every line once. quantity is an integer (negative for a
-- cancellation); unit_price the decimal as given ("2.55"); total the line
-- total, quantity x unit price, in millionths of the major unit of the
-- order's currency, exactly. The order's amount is the sum of its lines'
-- totals rounded once to the currency's minor unit.
--
-- interaction_attrs: a column crm-log import does not know, kept as
-- attr.NAME of the interaction its row made.
--
-- Neither names a contact: both go with their interaction (CASCADE);
-- erasure deletes the attributes and clears the lines' descriptions.

CREATE TABLE interaction_lines (
	interaction_id bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	line           bigint NOT NULL CHECK (line >= 1),
	product_code   text,
	description    text,
	quantity       bigint NOT NULL,
	unit_price     text NOT NULL,
	total          bigint NOT NULL,
	PRIMARY KEY (interaction_id, line)
);
CREATE INDEX interaction_lines_by_product ON interaction_lines(product_code);

-- value stays text. A btree entry is at most about 2700 bytes (after
-- compression), so a value longer than that fails to insert here, where
-- SQLite takes any length.
CREATE TABLE interaction_attrs (
	interaction_id bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	name           text NOT NULL,
	value          text NOT NULL,
	PRIMARY KEY (interaction_id, name)
);
CREATE INDEX interaction_attrs_by_name ON interaction_attrs(name, value);
