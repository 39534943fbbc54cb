-- Every asynchronous analysis job in one table, whatever its family: `family` is the
-- `<TYPE>` of its output folder (`<S3Uri><account>-<TYPE>-<JobId>/output/`): CLN for
-- document classification, NER for entities detection. `model_arn` is the model version
-- the job runs with (none for built-in analysis), `flywheel_arn` the flywheel the request
-- named, `request` the JSON of the start request (echoed by Describe/List).
CREATE TABLE document_jobs (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    family        TEXT NOT NULL,
    job_id        TEXT NOT NULL UNIQUE,
    arn           TEXT NOT NULL UNIQUE,
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    job_name      TEXT,
    status        TEXT NOT NULL,
    message       TEXT,
    submit_time   INTEGER NOT NULL,
    end_time      INTEGER,
    model_arn     TEXT,
    flywheel_arn  TEXT,
    request       TEXT NOT NULL,
    output_s3_uri TEXT NOT NULL
);
CREATE INDEX document_jobs_by_family ON document_jobs (account, region, family, seq);
CREATE INDEX document_jobs_by_model ON document_jobs (model_arn, status);

-- The rows of the two tables the families had before, each family in its own order.
INSERT INTO document_jobs (family, job_id, arn, account, region, job_name, status, message,
                           submit_time, end_time, model_arn, flywheel_arn, request, output_s3_uri)
SELECT 'CLN', job_id, arn, account, region, job_name, status, message, submit_time,
       end_time, document_classifier_arn, flywheel_arn, request, output_s3_uri
  FROM classification_jobs ORDER BY seq;
INSERT INTO document_jobs (family, job_id, arn, account, region, job_name, status, message,
                           submit_time, end_time, model_arn, flywheel_arn, request, output_s3_uri)
SELECT 'NER', job_id, arn, account, region, job_name, status, message, submit_time,
       end_time, entity_recognizer_arn, json_extract(request, '$.FlywheelArn'), request,
       output_s3_uri
  FROM entities_detection_jobs ORDER BY seq;
DROP TABLE classification_jobs;
DROP TABLE entities_detection_jobs;

-- One job kind runs every family (it reads the family from the job's row).
UPDATE jobs SET kind = 'analyze_documents' WHERE kind IN ('classify_documents', 'detect_entities');
