-- comprehend-local metadata. Times are milliseconds since the epoch (UTC).
-- Every resource row carries its (account, region); ARNs are unique across all.
-- `seq` orders List results and is what pagination tokens point at.
-- Members that are only echoed back (input/output configs, VPC and KMS settings)
-- are kept as the JSON of their wire structures in `request`/`config` columns.

CREATE TABLE tags (
    arn   TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (arn, key)
);

-- ClientRequestToken replay: the same token and body answers the stored response.
CREATE TABLE idempotency (
    account      TEXT NOT NULL,
    region       TEXT NOT NULL,
    operation    TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (account, region, operation, token)
);

-- The durable job queue: a row is committed in the same transaction as the resource
-- it works on, claimed by one worker at a time, and requeued after a crash.
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL,
    resource_arn   TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, id);
CREATE INDEX jobs_by_resource ON jobs (resource_arn);

CREATE TABLE document_classifiers (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    arn                   TEXT NOT NULL UNIQUE,
    account               TEXT NOT NULL,
    region                TEXT NOT NULL,
    name                  TEXT NOT NULL,
    version               TEXT,
    status                TEXT NOT NULL,
    message               TEXT,
    language_code         TEXT NOT NULL,
    mode                  TEXT NOT NULL,
    submit_time           INTEGER NOT NULL,
    training_start_time   INTEGER,
    training_end_time     INTEGER,
    end_time              INTEGER,
    request               TEXT NOT NULL,
    output_s3_uri         TEXT,
    metadata              TEXT,
    model_key             TEXT,
    flywheel_arn          TEXT,
    flywheel_stats_prefix TEXT,
    source_model_arn      TEXT
);
CREATE UNIQUE INDEX document_classifiers_name_version
    ON document_classifiers (account, region, name, COALESCE(version, ''));

CREATE TABLE flywheels (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    arn                  TEXT NOT NULL UNIQUE,
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    name                 TEXT NOT NULL,
    status               TEXT NOT NULL,
    message              TEXT,
    active_model_arn     TEXT,
    data_access_role_arn TEXT NOT NULL,
    model_type           TEXT NOT NULL,
    task_config          TEXT NOT NULL,
    data_lake_s3_uri     TEXT NOT NULL,
    data_security_config TEXT NOT NULL,
    creation_time        INTEGER NOT NULL,
    last_modified_time   INTEGER NOT NULL,
    latest_iteration_id  TEXT
);

CREATE TABLE datasets (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    arn                 TEXT NOT NULL UNIQUE,
    flywheel_arn        TEXT NOT NULL,
    account             TEXT NOT NULL,
    region              TEXT NOT NULL,
    name                TEXT NOT NULL,
    dataset_type        TEXT NOT NULL,
    description         TEXT,
    status              TEXT NOT NULL,
    message             TEXT,
    number_of_documents INTEGER,
    dataset_s3_uri      TEXT NOT NULL,
    creation_time       INTEGER NOT NULL,
    end_time            INTEGER,
    request             TEXT NOT NULL
);
CREATE INDEX datasets_by_flywheel ON datasets (flywheel_arn);

CREATE TABLE flywheel_iterations (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    flywheel_arn          TEXT NOT NULL,
    iteration_id          TEXT NOT NULL,
    status                TEXT NOT NULL,
    message               TEXT,
    creation_time         INTEGER NOT NULL,
    end_time              INTEGER,
    evaluated_model_arn   TEXT,
    evaluated_metrics     TEXT,
    trained_model_arn     TEXT,
    trained_metrics       TEXT,
    evaluation_prefix     TEXT,
    UNIQUE (flywheel_arn, iteration_id)
);

CREATE TABLE endpoints (
    seq                          INTEGER PRIMARY KEY AUTOINCREMENT,
    arn                          TEXT NOT NULL UNIQUE,
    account                      TEXT NOT NULL,
    region                       TEXT NOT NULL,
    name                         TEXT NOT NULL,
    status                       TEXT NOT NULL,
    message                      TEXT,
    model_arn                    TEXT,
    desired_model_arn            TEXT,
    desired_inference_units      INTEGER NOT NULL,
    current_inference_units      INTEGER,
    data_access_role_arn         TEXT,
    desired_data_access_role_arn TEXT,
    flywheel_arn                 TEXT,
    creation_time                INTEGER NOT NULL,
    last_modified_time           INTEGER NOT NULL
);

CREATE TABLE classification_jobs (
    seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id                  TEXT NOT NULL UNIQUE,
    arn                     TEXT NOT NULL UNIQUE,
    account                 TEXT NOT NULL,
    region                  TEXT NOT NULL,
    job_name                TEXT,
    status                  TEXT NOT NULL,
    message                 TEXT,
    submit_time             INTEGER NOT NULL,
    end_time                INTEGER,
    document_classifier_arn TEXT,
    flywheel_arn            TEXT,
    request                 TEXT NOT NULL,
    output_s3_uri           TEXT NOT NULL
);
