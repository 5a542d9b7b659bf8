-- 0011: sales: pipelines and their stages, deals (leads) through them with
-- every event, lead scoring (rules and learned models), quotas, exchange
-- rates, commissions and taxes (crm-lead(1)).
--
-- Money is in integer minor units of its currency (ISO 4217); a rate,
-- probability or percentage is kept as the text the user gave
-- ("7.5%"), parsed exactly where it is used. Dates are "YYYY-MM-DD",
-- times UTC ISO 8601, as everywhere.

-- Pipelines and stages are data. A stage's probability is a whole
-- percentage; kind says whether a deal in it is open, won or lost (a
-- pipeline may have several won or lost stages). position orders them.
CREATE TABLE pipelines (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
	created_at  TEXT NOT NULL
);
CREATE TABLE stages (
	id          INTEGER PRIMARY KEY,
	pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
	name        TEXT NOT NULL COLLATE NOCASE,
	position    INTEGER NOT NULL,
	probability INTEGER NOT NULL CHECK (probability >= 0 AND probability <= 100),
	kind        TEXT NOT NULL DEFAULT 'open'
	            CHECK (kind = 'open' OR kind = 'won' OR kind = 'lost'),
	UNIQUE (pipeline_id, name)
);

-- A deal of a contact. value >= 0 in minor units of currency. stage_at is
-- when it entered its stage; closed_at when it entered a won or lost one
-- (NULL while open), reason why. The title is NULL only once its contact
-- was erased. ext_key is the key of the row an import
-- took it from (an upsert names it by that). score is the learned model's
-- calibrated probability (0-100) where `score apply` wrote one, points
-- the sum of the scoring rules that hold; converted_at when `convert` made
-- its contact a customer.
CREATE TABLE leads (
	id             INTEGER PRIMARY KEY,
	contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	title          TEXT,
	value          INTEGER NOT NULL CHECK (value >= 0),
	currency       TEXT NOT NULL,
	pipeline_id    INTEGER NOT NULL REFERENCES pipelines(id),
	stage_id       INTEGER NOT NULL REFERENCES stages(id),
	owner          TEXT,
	source         TEXT,
	campaign       TEXT,
	expected_close TEXT,
	reason         TEXT,
	stage_at       TEXT NOT NULL,
	closed_at      TEXT,
	score          INTEGER CHECK (score >= 0 AND score <= 100),
	score_model    INTEGER,
	points         INTEGER,
	ext_key        TEXT UNIQUE,
	converted_at   TEXT,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX leads_by_contact ON leads(contact_id, closed_at);
CREATE INDEX leads_by_stage ON leads(stage_id);
CREATE INDEX leads_by_close ON leads(expected_close);

-- Everything that happened to a deal, for its history and the contact's
-- timeline: kind is created, moved, edited, reopened, converted or
-- scored; a move names the stages from and to (by name: a stage removed
-- later still reads), who did it and why.
CREATE TABLE lead_events (
	id          INTEGER PRIMARY KEY,
	lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
	contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	kind        TEXT NOT NULL
	            CHECK (kind = 'created' OR kind = 'moved' OR kind = 'edited' OR
	                   kind = 'reopened' OR kind = 'converted'),
	from_stage  TEXT,
	to_stage    TEXT,
	who         TEXT NOT NULL,
	detail      TEXT
);
CREATE INDEX lead_events_by_lead ON lead_events(lead_id, at);
CREATE INDEX lead_events_by_contact ON lead_events(contact_id, at);

-- A deal's tags and custom fields, as a contact's.
CREATE TABLE lead_tags (
	lead_id    INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
	tag        TEXT NOT NULL,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (lead_id, tag)
) WITHOUT ROWID;
CREATE INDEX lead_tags_by_contact ON lead_tags(contact_id);
CREATE TABLE lead_fields (
	lead_id    INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	value      TEXT NOT NULL,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (lead_id, name)
) WITHOUT ROWID;
CREATE INDEX lead_fields_by_contact ON lead_fields(contact_id);

-- Scoring rules: a filter expression and the points a deal gets when it
-- holds.
CREATE TABLE score_rules (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	expr       TEXT NOT NULL,
	points     INTEGER NOT NULL,
	created_at TEXT NOT NULL
);

-- Learned models, versioned: the features, their encoding and the
-- coefficients as text (base/features.h, base/logit.h), the metrics of
-- their cross-validation, when and on what they were trained.
CREATE TABLE lead_models (
	version     INTEGER PRIMARY KEY,
	trained_at  TEXT NOT NULL,
	who         TEXT NOT NULL,
	features    TEXT NOT NULL,
	encoding    TEXT NOT NULL,
	model       TEXT NOT NULL,
	metrics     TEXT NOT NULL,
	won         INTEGER NOT NULL,
	lost        INTEGER NOT NULL,
	since       TEXT
);

-- Quotas: an owner's target for a period ("2026-10", "2026-Q4") in a
-- currency.
CREATE TABLE quotas (
	owner    TEXT NOT NULL,
	period   TEXT NOT NULL,
	currency TEXT NOT NULL,
	amount   INTEGER NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (owner, period, currency)
) WITHOUT ROWID;

-- Exchange rates: one unit of base is rate units of quote, from day on.
CREATE TABLE rates (
	base  TEXT NOT NULL,
	quote TEXT NOT NULL,
	day   TEXT NOT NULL,
	rate  TEXT NOT NULL,
	PRIMARY KEY (base, quote, day)
) WITHOUT ROWID;

-- Commission plans, of an owner or of a pipeline (one of them), from a
-- day on: a flat rate or marginal tiers ("0-10000:5%,10000-:7%").
CREATE TABLE commission_plans (
	id          INTEGER PRIMARY KEY,
	owner       TEXT,
	pipeline_id INTEGER REFERENCES pipelines(id) ON DELETE CASCADE,
	day         TEXT NOT NULL,
	rate        TEXT,
	tiers       TEXT,
	CHECK ((owner IS NULL) <> (pipeline_id IS NULL)),
	CHECK ((rate IS NULL) <> (tiers IS NULL))
);
CREATE UNIQUE INDEX commission_plans_by_owner ON commission_plans(owner, day) WHERE owner IS NOT NULL;
CREATE UNIQUE INDEX commission_plans_by_pipeline ON commission_plans(pipeline_id, day) WHERE pipeline_id IS NOT NULL;

-- Tax rates by country (ISO 3166 alpha-2, as contacts have it), from a
-- day on.
CREATE TABLE tax_rates (
	country TEXT NOT NULL,
	day     TEXT NOT NULL,
	rate    TEXT NOT NULL,
	PRIMARY KEY (country, day)
) WITHOUT ROWID;
