//! Asynchronous entities detection with custom recognizers: StartEntitiesDetectionJob,
//! DescribeEntitiesDetectionJob, ListEntitiesDetectionJobs and StopEntitiesDetectionJob,
//! a family of [`document_jobs`].

use comprehend_protocol::arn::Resource;
use comprehend_protocol::*;
use comprehend_store::Tx;
use comprehend_store::document_jobs::DocumentJobRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;

use super::document_jobs::{self, Analyzer, Family, job_operations, job_properties, job_started};
use crate::domain::ENTITIES_JOBS;
use crate::error::Result;

/// The entities detection family (custom recognizers).
pub struct EntitiesDetection;

impl Family for EntitiesDetection {
    const FAMILY: &'static str = ENTITIES_JOBS;
    const START: &'static str = "StartEntitiesDetectionJob";
    const LIST: &'static str = "ListEntitiesDetectionJobs";
    const NOUN: &'static str = "an entities detection job";
    type Start = StartEntitiesDetectionJobRequest;
    type Started = StartEntitiesDetectionJobResponse;
    type Properties = EntitiesDetectionJobProperties;

    fn resource(id: String) -> Resource {
        Resource::EntitiesDetectionJob { id }
    }

    /// A custom recognizer (built-in entity types are not emulated), usable.
    async fn analyzer(tx: &mut Tx, ctx: &RequestContext, input: &Self::Start) -> Result<Analyzer> {
        let named = (
            input.entity_recognizer_arn.as_ref(),
            input.flywheel_arn.as_ref(),
        );
        let messages = (
            "Specify either EntityRecognizerArn or FlywheelArn, not both.",
            "comprehend-local emulates custom entity recognizers only; the built-in entity types are not emulated. Give EntityRecognizerArn or FlywheelArn.",
        );
        let analyzer = document_jobs::custom_model::<RecognizerRecord>(tx, ctx, named, messages);
        let analyzer = analyzer.await?;
        document_jobs::check_io(&input.input_data_config, &input.output_data_config)?;
        Ok(analyzer)
    }

    fn started(job: &DocumentJobRecord) -> Self::Started {
        job_started!(
            StartEntitiesDetectionJobResponse,
            job,
            entity_recognizer_arn
        )
    }

    fn properties(job: DocumentJobRecord, request: Self::Start) -> Self::Properties {
        job_properties!(EntitiesDetectionJobProperties, job, request, {
            entity_recognizer_arn: job.model_arn,
            language_code: Some(request.language_code),
            flywheel_arn: request.flywheel_arn,
        })
    }
}

job_operations!(
    EntitiesDetection,
    describe: DescribeEntitiesDetectionJobRequest -> DescribeEntitiesDetectionJobResponse { entities_detection_job_properties },
    list: ListEntitiesDetectionJobsRequest -> ListEntitiesDetectionJobsResponse { entities_detection_job_properties_list },
    stop: StopEntitiesDetectionJobRequest -> StopEntitiesDetectionJobResponse,
);
