-- Asynchronous entities detection jobs (StartEntitiesDetectionJob), one row per job.
-- `entity_recognizer_arn` is the recognizer version the job runs with; `request` is the
-- JSON of the start request (echoed by Describe/List); `output_s3_uri` is where
-- output.tar.gz goes (`<S3Uri><account>-NER-<JobId>/output/output.tar.gz`).
CREATE TABLE entities_detection_jobs (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id                TEXT NOT NULL UNIQUE,
    arn                   TEXT NOT NULL UNIQUE,
    account               TEXT NOT NULL,
    region                TEXT NOT NULL,
    job_name              TEXT,
    status                TEXT NOT NULL,
    message               TEXT,
    submit_time           INTEGER NOT NULL,
    end_time              INTEGER,
    entity_recognizer_arn TEXT NOT NULL,
    request               TEXT NOT NULL,
    output_s3_uri         TEXT NOT NULL
);
CREATE INDEX entities_detection_jobs_by_recognizer
    ON entities_detection_jobs (entity_recognizer_arn, status);
