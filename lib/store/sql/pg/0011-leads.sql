-- 0011 (PostgreSQL 15): sales: pipelines, stages, deals and their events,
-- scoring rules and models, quotas, rates, commissions and taxes. As
-- ../0011-leads.sql, with what a store distributed by contact needs (as
-- pg/0010, listed in pg/differences): contact_id in the primary key of
-- every table of a contact's rows, the deal's own rows keyed to it by
-- (lead_id, contact_id) with ON UPDATE CASCADE (a merge moves a deal and
-- its rows follow), and a deal's import key kept unique by the directory
-- crm_keys ('leads.ext_key') rather than by a unique index. Pipelines,
-- stages and the rest are small tables every shard reads (Citus:
-- reference tables).

-- crm_next_id plans the known tables once a session (pg/0001): the two
-- tables of this migration that an import fills join them.
CREATE OR REPLACE FUNCTION crm_next_id(t text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	n bigint;
BEGIN
	CASE t
	WHEN 'contacts' THEN SELECT max(id) INTO n FROM contacts;
	WHEN 'interactions' THEN SELECT max(id) INTO n FROM interactions;
	WHEN 'history' THEN SELECT max(id) INTO n FROM history;
	WHEN 'contact_emails' THEN SELECT max(id) INTO n FROM contact_emails;
	WHEN 'contact_phones' THEN SELECT max(id) INTO n FROM contact_phones;
	WHEN 'leads' THEN SELECT max(id) INTO n FROM leads;
	WHEN 'lead_events' THEN SELECT max(id) INTO n FROM lead_events;
	ELSE EXECUTE format('SELECT max(id) FROM %I', t) INTO n;
	END CASE;
	RETURN greatest(coalesce(n, 0), coalesce((SELECT last FROM crm_ids WHERE name = t), 0)) + 1;
END
$$;

CREATE TABLE pipelines (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('pipelines'),
	name        citext NOT NULL UNIQUE,
	created_at  text NOT NULL
);
CREATE TABLE stages (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('stages'),
	pipeline_id bigint NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
	name        citext NOT NULL,
	position    bigint NOT NULL,
	probability bigint NOT NULL CHECK (probability >= 0 AND probability <= 100),
	kind        text NOT NULL DEFAULT 'open'
	            CHECK (kind = 'open' OR kind = 'won' OR kind = 'lost'),
	UNIQUE (pipeline_id, name)
);

CREATE TABLE leads (
	id             bigint NOT NULL DEFAULT crm_next_id('leads'),
	contact_id     bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	title          text,
	value          bigint NOT NULL CHECK (value >= 0),
	currency       text NOT NULL,
	pipeline_id    bigint NOT NULL REFERENCES pipelines(id),
	stage_id       bigint NOT NULL REFERENCES stages(id),
	owner          text,
	source         text,
	campaign       text,
	expected_close text,
	reason         text,
	stage_at       text NOT NULL,
	closed_at      text,
	score          bigint CHECK (score >= 0 AND score <= 100),
	score_model    bigint,
	points         bigint,
	ext_key        text,
	converted_at   text,
	created_at     text NOT NULL,
	updated_at     text NOT NULL,
	PRIMARY KEY (id, contact_id)
);
CREATE INDEX leads_by_contact ON leads(contact_id, closed_at);
CREATE INDEX leads_by_stage ON leads(stage_id);
CREATE INDEX leads_by_close ON leads(expected_close);
CREATE INDEX leads_by_ext_key ON leads(ext_key);

CREATE TABLE lead_events (
	id          bigint NOT NULL DEFAULT crm_next_id('lead_events'),
	lead_id     bigint NOT NULL,
	contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          text NOT NULL,
	kind        text NOT NULL
	            CHECK (kind = 'created' OR kind = 'moved' OR kind = 'edited' OR
	                   kind = 'reopened' OR kind = 'converted'),
	from_stage  text,
	to_stage    text,
	who         text NOT NULL,
	detail      text,
	PRIMARY KEY (id, contact_id),
	FOREIGN KEY (lead_id, contact_id) REFERENCES leads(id, contact_id)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_events_by_lead ON lead_events(lead_id, at);
CREATE INDEX lead_events_by_contact ON lead_events(contact_id, at);

CREATE TABLE lead_tags (
	lead_id    bigint NOT NULL,
	tag        text NOT NULL,
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (lead_id, tag, contact_id),
	FOREIGN KEY (lead_id, contact_id) REFERENCES leads(id, contact_id)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_tags_by_contact ON lead_tags(contact_id);
CREATE TABLE lead_fields (
	lead_id    bigint NOT NULL,
	name       text NOT NULL,
	value      text NOT NULL,
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (lead_id, name, contact_id),
	FOREIGN KEY (lead_id, contact_id) REFERENCES leads(id, contact_id)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_fields_by_contact ON lead_fields(contact_id);

CREATE TABLE score_rules (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('score_rules'),
	name       text NOT NULL UNIQUE,
	expr       text NOT NULL,
	points     bigint NOT NULL,
	created_at text NOT NULL
);

CREATE TABLE lead_models (
	version     bigint PRIMARY KEY DEFAULT crm_next_id('lead_models'),
	trained_at  text NOT NULL,
	who         text NOT NULL,
	features    text NOT NULL,
	encoding    text NOT NULL,
	model       text NOT NULL,
	metrics     text NOT NULL,
	won         bigint NOT NULL,
	lost        bigint NOT NULL,
	since       text
);

CREATE TABLE quotas (
	owner    text NOT NULL,
	period   text NOT NULL,
	currency text NOT NULL,
	amount   bigint NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (owner, period, currency)
);

CREATE TABLE rates (
	base  text NOT NULL,
	quote text NOT NULL,
	day   text NOT NULL,
	rate  text NOT NULL,
	PRIMARY KEY (base, quote, day)
);

CREATE TABLE commission_plans (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('commission_plans'),
	owner       text,
	pipeline_id bigint REFERENCES pipelines(id) ON DELETE CASCADE,
	day         text NOT NULL,
	rate        text,
	tiers       text,
	CHECK ((owner IS NULL) <> (pipeline_id IS NULL)),
	CHECK ((rate IS NULL) <> (tiers IS NULL))
);
CREATE UNIQUE INDEX commission_plans_by_owner ON commission_plans(owner, day) WHERE owner IS NOT NULL;
CREATE UNIQUE INDEX commission_plans_by_pipeline ON commission_plans(pipeline_id, day) WHERE pipeline_id IS NOT NULL;

CREATE TABLE tax_rates (
	country text NOT NULL,
	day     text NOT NULL,
	rate    text NOT NULL,
	PRIMARY KEY (country, day)
);

-- The keys of leads: leads.ext_key, as pg/0010 keeps interactions.ext_key.
CREATE FUNCTION crm_keys_leads() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM crm_keys k USING old_rows o
		WHERE k.kind = 'leads.ext_key' AND k.value = o.ext_key;
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM crm_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'leads.ext_key' AND k.value = o.ext_key
		  AND n.ext_key IS DISTINCT FROM o.ext_key;
		UPDATE crm_keys k SET contact = n.contact_id FROM old_rows o JOIN new_rows n ON n.id = o.id
		WHERE k.kind = 'leads.ext_key' AND k.value = n.ext_key
		  AND n.ext_key = o.ext_key AND n.contact_id <> o.contact_id;
		WITH new_keys AS (
			SELECT 'leads.ext_key'::text AS kind, n.ext_key::text AS value, n.contact_id AS contact
			FROM old_rows o JOIN new_rows n ON n.id = o.id
			WHERE n.ext_key IS NOT NULL AND n.ext_key IS DISTINCT FROM o.ext_key),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	ELSE
		WITH new_keys AS (
			SELECT 'leads.ext_key'::text AS kind, n.ext_key::text AS value, n.contact_id AS contact
			FROM new_rows n WHERE n.ext_key IS NOT NULL),
		added AS (INSERT INTO crm_keys SELECT * FROM new_keys ON CONFLICT DO NOTHING
			RETURNING 1)
		SELECT n.kind, n.value INTO bad FROM new_keys n
		WHERE (SELECT count(*) FROM added) < (SELECT count(*) FROM new_keys)
		  AND (EXISTS (SELECT 1 FROM crm_keys c WHERE c.kind = n.kind AND c.value = n.value
				     AND c.contact <> n.contact)
		       OR (SELECT count(*) FROM new_keys d WHERE d.kind = n.kind AND d.value = n.value) > 1)
		LIMIT 1;
	END IF;
	IF FOUND THEN
		PERFORM crm_key_taken(bad.kind, bad.value);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER crm_keys_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_leads();
CREATE TRIGGER crm_keys_update AFTER UPDATE ON leads
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_leads();
CREATE TRIGGER crm_keys_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION crm_keys_leads();

-- crm store check: the directory against the keys the rows hold, deals'
-- keys now among them (as pg/0010).
CREATE OR REPLACE FUNCTION crm_keys_drift() RETURNS bigint LANGUAGE sql STABLE AS $$
	WITH held AS (
		SELECT 'contacts.uid' AS kind, uid AS value, id AS contact FROM contacts
		UNION ALL SELECT 'contacts.email', lower(email), id FROM contacts
			WHERE email IS NOT NULL
		UNION ALL SELECT 'contact_emails.email', lower(email), contact_id FROM contact_emails
		UNION ALL SELECT 'interactions.ext_key', ext_key, contact_id FROM interactions
			WHERE ext_key IS NOT NULL
		UNION ALL SELECT 'leads.ext_key', ext_key, contact_id FROM leads
			WHERE ext_key IS NOT NULL
		UNION ALL SELECT 'field.' || f.name, f.value, f.contact_id FROM contact_fields f
			JOIN contact_key_fields k ON k.name = f.name)
	SELECT count(*) FROM ((SELECT * FROM held EXCEPT ALL SELECT kind, value, contact FROM crm_keys)
		UNION ALL (SELECT kind, value, contact FROM crm_keys EXCEPT ALL SELECT * FROM held)) d
$$;
