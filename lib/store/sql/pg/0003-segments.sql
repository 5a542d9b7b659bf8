-- 0003 (PostgreSQL 15): saved segments, their snapshots, and the scores
-- crm-segment writes per contact (RFM, clusters). As ../0003-segments.sql.

CREATE TABLE segments (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('segments'),
	name       text NOT NULL UNIQUE,
	expr       text NOT NULL,
	created_at text NOT NULL,
	updated_at text NOT NULL,
	created_by text NOT NULL
);

-- A snapshot freezes who was in a segment at a time, so a mailing or a
-- report can say exactly who was in it. Members keep the contact id even
-- after the contact is deleted.
CREATE TABLE segment_snapshots (
	id         bigint PRIMARY KEY DEFAULT crm_next_id('segment_snapshots'),
	segment_id bigint NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
	taken_at   text NOT NULL,
	expr       text NOT NULL,
	size       bigint NOT NULL,
	label      text,
	taken_by   text NOT NULL
);
CREATE TABLE segment_members (
	snapshot_id bigint NOT NULL REFERENCES segment_snapshots(id) ON DELETE CASCADE,
	contact_id  bigint NOT NULL,
	PRIMARY KEY (snapshot_id, contact_id)
);

-- RFM scores 1-5 as of a day; recency in days, monetary in minor units.
-- contact_id is always given (it is a contact's id): a plain bigint key,
-- not an identity, though SQLite's INTEGER PRIMARY KEY would number a row
-- inserted without one.
CREATE TABLE contact_rfm (
	contact_id   bigint PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
	r            bigint NOT NULL CHECK (r BETWEEN 1 AND 5),
	f            bigint NOT NULL CHECK (f BETWEEN 1 AND 5),
	m            bigint NOT NULL CHECK (m BETWEEN 1 AND 5),
	recency_days bigint NOT NULL,
	frequency    bigint NOT NULL,
	monetary     bigint NOT NULL,
	segment      text NOT NULL,
	as_of        text NOT NULL
);
CREATE INDEX contact_rfm_by_segment ON contact_rfm(segment);

-- The last cluster analysis: each contact's cluster, and each cluster's
-- size and centroid in the features' own units.
CREATE TABLE contact_clusters (
	contact_id bigint PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
	cluster    bigint NOT NULL
);
CREATE TABLE cluster_centroids (
	cluster  bigint NOT NULL,
	feature  text NOT NULL,
	value    double precision,
	size     bigint NOT NULL,
	run_at   text NOT NULL,
	PRIMARY KEY (cluster, feature)
);

-- Purchase statistics read the purchases alone, in contact order.
CREATE INDEX interactions_purchases ON interactions(contact_id, at, amount, type)
	WHERE type = 'purchase' OR type = 'refund';
