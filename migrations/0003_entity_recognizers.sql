-- Custom entity recognizer versions (CreateEntityRecognizer). Same shape as
-- document_classifiers: the create request is echoed from `request` (tags and token
-- removed, defaults filled in), `metadata` is the wire EntityRecognizerMetadata once
-- trained, `model_key` names the model file in the private model store.
CREATE TABLE entity_recognizers (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    arn                   TEXT NOT NULL UNIQUE,
    account               TEXT NOT NULL,
    region                TEXT NOT NULL,
    name                  TEXT NOT NULL,
    version               TEXT,
    status                TEXT NOT NULL,
    message               TEXT,
    language_code         TEXT NOT NULL,
    submit_time           INTEGER NOT NULL,
    training_start_time   INTEGER,
    training_end_time     INTEGER,
    end_time              INTEGER,
    request               TEXT NOT NULL,
    metadata              TEXT,
    model_key             TEXT,
    flywheel_arn          TEXT,
    flywheel_stats_prefix TEXT,
    source_model_arn      TEXT
);
CREATE UNIQUE INDEX entity_recognizers_name_version
    ON entity_recognizers (account, region, name, COALESCE(version, ''));
