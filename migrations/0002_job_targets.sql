-- A job's target is typed: a resource ARN, or a flywheel iteration (the flywheel's ARN
-- and the iteration id). Older data dirs stored iterations as "<flywheel arn>#<id>".
ALTER TABLE jobs ADD COLUMN iteration_id TEXT;
UPDATE jobs
   SET iteration_id = substr(resource_arn, instr(resource_arn, '#') + 1),
       resource_arn = substr(resource_arn, 1, instr(resource_arn, '#') - 1)
 WHERE instr(resource_arn, '#') > 0;
CREATE INDEX jobs_by_target ON jobs (resource_arn, iteration_id, state);
