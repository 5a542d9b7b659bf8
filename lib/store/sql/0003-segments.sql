-- 0003: saved segments, their snapshots, and the scores crm-segment
-- writes per contact (RFM, clusters).

CREATE TABLE segments (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	expr       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	created_by TEXT NOT NULL
);

-- A snapshot freezes who was in a segment at a time, so a mailing or a
-- report can say exactly who was in it. Members keep the contact id even
-- after the contact is deleted.
CREATE TABLE segment_snapshots (
	id         INTEGER PRIMARY KEY,
	segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
	taken_at   TEXT NOT NULL,
	expr       TEXT NOT NULL,
	size       INTEGER NOT NULL,
	label      TEXT,
	taken_by   TEXT NOT NULL
);
CREATE TABLE segment_members (
	snapshot_id INTEGER NOT NULL REFERENCES segment_snapshots(id) ON DELETE CASCADE,
	contact_id  INTEGER NOT NULL,
	PRIMARY KEY (snapshot_id, contact_id)
) WITHOUT ROWID;

-- RFM scores 1-5 as of a day; recency in days, monetary in minor units.
CREATE TABLE contact_rfm (
	contact_id   INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
	r            INTEGER NOT NULL CHECK (r BETWEEN 1 AND 5),
	f            INTEGER NOT NULL CHECK (f BETWEEN 1 AND 5),
	m            INTEGER NOT NULL CHECK (m BETWEEN 1 AND 5),
	recency_days INTEGER NOT NULL,
	frequency    INTEGER NOT NULL,
	monetary     INTEGER NOT NULL,
	segment      TEXT NOT NULL,
	as_of        TEXT NOT NULL
);
CREATE INDEX contact_rfm_by_segment ON contact_rfm(segment);

-- The last cluster analysis: each contact's cluster, and each cluster's
-- size and centroid in the features' own units.
CREATE TABLE contact_clusters (
	contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
	cluster    INTEGER NOT NULL
);
CREATE TABLE cluster_centroids (
	cluster  INTEGER NOT NULL,
	feature  TEXT NOT NULL,
	value    REAL,
	size     INTEGER NOT NULL,
	run_at   TEXT NOT NULL,
	PRIMARY KEY (cluster, feature)
) WITHOUT ROWID;

-- Purchase statistics read the purchases alone, in contact order.
CREATE INDEX interactions_purchases ON interactions(contact_id, at, amount, type)
	WHERE type = 'purchase' OR type = 'refund';
