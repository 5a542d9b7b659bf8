-- 0006: what an imported interaction carries beyond its own columns.
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
	interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	line           INTEGER NOT NULL CHECK (line >= 1),
	product_code   TEXT,
	description    TEXT,
	quantity       INTEGER NOT NULL,
	unit_price     TEXT NOT NULL,
	total          INTEGER NOT NULL,
	PRIMARY KEY (interaction_id, line)
) WITHOUT ROWID;
CREATE INDEX interaction_lines_by_product ON interaction_lines(product_code);

CREATE TABLE interaction_attrs (
	interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
	name           TEXT NOT NULL,
	value          TEXT NOT NULL,
	PRIMARY KEY (interaction_id, name)
) WITHOUT ROWID;
CREATE INDEX interaction_attrs_by_name ON interaction_attrs(name, value);
