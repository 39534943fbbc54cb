//! End-to-end tests: the real server driven by real clients (aws-sdk-comprehend,
//! aws-sdk-s3, the AWS CLI, boto3) and by raw HTTP for malformed requests.

mod harness;

mod boto3;
mod browser;
mod builtin_analysis;
mod cbor_protocol;
mod classifiers;
mod cli;
mod console;
mod durability;
mod entity_inference;
mod entity_jobs;
mod entity_recognizer_durability;
mod entity_recognizer_rules;
mod entity_recognizers;
mod external_s3;
mod flywheels;
mod full_disk;
mod inference;
mod job_families;
mod model_kinds;
mod ner_support;
mod protocol;
mod races;
mod recognizer_flywheel_rules;
mod recognizer_flywheels;
mod s3;
mod s3_behaviour;
mod s3_fuzz;
mod tags;
mod validation_limits;
