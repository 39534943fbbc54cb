-- The built-in S3's index. Object bytes live in content files named by `content_id`;
-- a row is written only after its content file is complete, so a row never points at a
-- partial object.

CREATE TABLE buckets (
    name TEXT PRIMARY KEY NOT NULL,
    -- The region the bucket was created in (GetBucketLocation, re-create answers).
    region TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE objects (
    bucket TEXT NOT NULL REFERENCES buckets (name),
    key TEXT NOT NULL,
    content_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    -- JSON: content type and the other stored headers, user metadata.
    attributes TEXT NOT NULL,
    -- JSON: [[key, value], ...].
    tags TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

CREATE TABLE uploads (
    upload_id TEXT PRIMARY KEY NOT NULL,
    bucket TEXT NOT NULL REFERENCES buckets (name),
    key TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    initiated_ms INTEGER NOT NULL
);

CREATE INDEX uploads_by_key ON uploads (bucket, key, upload_id);

CREATE TABLE parts (
    upload_id TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    content_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
