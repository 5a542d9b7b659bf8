-- 0002 (PostgreSQL 15): every touch between the business and a contact:
-- notes, calls, mails, meetings, messages, purchases and refunds, tasks.
-- As ../0002-interactions.sql.
-- amount is in minor units of currency (ISO 4217), a refund negative.
-- duration is in seconds. ext_key (a Message-ID, an order number) makes
-- re-adding the same event a no-op. Tasks have due_at, assignee, done_at.

CREATE TABLE interactions (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('interactions'),
	contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          text NOT NULL,
	channel     text NOT NULL DEFAULT 'other'
	            CHECK (channel = 'email' OR channel = 'phone' OR channel = 'sms' OR
	                   channel = 'chat' OR channel = 'social' OR channel = 'meeting' OR
	                   channel = 'post' OR channel = 'web' OR channel = 'other'),
	direction   text CHECK (direction = 'in' OR direction = 'out'),
	type        text NOT NULL
	            CHECK (type = 'note' OR type = 'call' OR type = 'email' OR
	                   type = 'meeting' OR type = 'message' OR type = 'purchase' OR
	                   type = 'refund' OR type = 'task'),
	subject     text,
	body        text,
	agent       text,
	outcome     text,
	duration    bigint CHECK (duration >= 0),
	amount      bigint,
	currency    text,
	lead_id     bigint,
	ticket_id   bigint,
	ext_key     text UNIQUE,
	due_at      text,
	assignee    text,
	done_at     text,
	created_at  text NOT NULL,
	-- boolean = boolean: the same test as SQLite's 0/1 = 0/1.
	CHECK ((type = 'purchase' OR type = 'refund') = (amount IS NOT NULL AND currency IS NOT NULL))
);
-- By contact and time, covering type, channel and direction: the timeline
-- and every per-contact count of the filter language read this index alone
-- (on PostgreSQL an index-only scan needs the visibility map: VACUUM after
-- a bulk load).
CREATE INDEX interactions_by_contact ON interactions(contact_id, at, type, channel, direction);
CREATE INDEX interactions_open_tasks ON interactions(due_at)
	WHERE type = 'task' AND done_at IS NULL;
