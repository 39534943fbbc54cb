//! Asynchronous classification jobs: StartDocumentClassificationJob,
//! DescribeDocumentClassificationJob and ListDocumentClassificationJobs, a family of
//! [`document_jobs`] (the API has no operation to stop one).

use comprehend_protocol::arn::Resource;
use comprehend_protocol::*;
use comprehend_store::Tx;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::document_jobs::DocumentJobRecord;

use super::document_jobs::{self, Analyzer, Family, job_operations, job_properties, job_started};
use crate::domain::CLASSIFICATION_JOBS;
use crate::error::Result;

/// The document classification family.
pub struct Classification;

impl Family for Classification {
    const FAMILY: &'static str = CLASSIFICATION_JOBS;
    const START: &'static str = "StartDocumentClassificationJob";
    const LIST: &'static str = "ListDocumentClassificationJobs";
    const NOUN: &'static str = "a document classification job";
    type Start = StartDocumentClassificationJobRequest;
    type Started = StartDocumentClassificationJobResponse;
    type Properties = DocumentClassificationJobProperties;

    fn resource(id: String) -> Resource {
        Resource::ClassificationJob { id }
    }

    /// The classifier version (named directly, or a flywheel's active version), usable.
    async fn analyzer(tx: &mut Tx, ctx: &RequestContext, input: &Self::Start) -> Result<Analyzer> {
        let named = (
            input.document_classifier_arn.as_ref(),
            input.flywheel_arn.as_ref(),
        );
        let messages = (
            "Specify either DocumentClassifierArn or FlywheelArn, not both.",
            "Specify the model: DocumentClassifierArn, or FlywheelArn to use a flywheel's active version.",
        );
        let analyzer = document_jobs::custom_model::<ClassifierRecord>(tx, ctx, named, messages);
        let analyzer = analyzer.await?;
        document_jobs::check_io(&input.input_data_config, &input.output_data_config)?;
        Ok(analyzer)
    }

    fn started(job: &DocumentJobRecord) -> Self::Started {
        job_started!(
            StartDocumentClassificationJobResponse,
            job,
            document_classifier_arn
        )
    }

    fn properties(job: DocumentJobRecord, request: Self::Start) -> Self::Properties {
        job_properties!(DocumentClassificationJobProperties, job, request, {
            document_classifier_arn: job.model_arn,
            flywheel_arn: job.flywheel_arn,
        })
    }
}

job_operations!(
    Classification,
    describe: DescribeDocumentClassificationJobRequest -> DescribeDocumentClassificationJobResponse { document_classification_job_properties },
    list: ListDocumentClassificationJobsRequest -> ListDocumentClassificationJobsResponse { document_classification_job_properties_list },
);
