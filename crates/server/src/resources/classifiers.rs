//! Document classifiers: create/describe/list/delete/stop, and the training job.
//!
//! Lifecycle: SUBMITTED → TRAINING → TRAINED (TRAINED_WITH_WARNING when the test data
//! has labels the training data lacks) or IN_ERROR with a message; StopTraining moves
//! TRAINING to STOP_REQUESTED and the job to STOPPED (or TRAINED if it finished first);
//! Delete moves a terminal version to DELETING and a job removes it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use comprehend_ml::{Document, MlError, Mode, Progress, TrainParams, Trained};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord, NewClassifier};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Condition, Creation, Job, JobKind, Order};

use super::data::{self, ml_mode};
use super::{
    Replay, at_most_one_filter, name_taken, opt_ts, owned_arn, replay, round4, stable_id, tags,
    time_window, ts, with_response,
};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::runner::JobError;
use crate::state::{Shared, State, now_ms};

/// Languages custom classifiers train in (FACTS.md §8); the model's other values are
/// answered with UnsupportedLanguageException.
pub const TRAINING_LANGUAGES: &[LanguageCode] = &[
    LanguageCode::En,
    LanguageCode::Es,
    LanguageCode::Fr,
    LanguageCode::De,
    LanguageCode::It,
    LanguageCode::Pt,
];

/// Statuses in which a version can serve inference.
pub const USABLE: &[ModelStatus] = &[ModelStatus::Trained, ModelStatus::TrainedWithWarning];

const TERMINAL: &[ModelStatus] = &[
    ModelStatus::Trained,
    ModelStatus::TrainedWithWarning,
    ModelStatus::InError,
    ModelStatus::Stopped,
];

/// CreateDocumentClassifier.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateDocumentClassifierRequest,
) -> Result<CreateDocumentClassifierResponse> {
    let token = input.client_request_token.take();
    let record = match replay(
        state,
        ctx,
        "CreateDocumentClassifier",
        token.as_deref(),
        &input,
    )
    .await?
    {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    if !TRAINING_LANGUAGES.contains(&input.language_code) {
        return Err(ServiceError::unsupported_language(format!(
            "Custom classifiers can't be trained in {}: supported languages are en, es, fr, de, it and pt.",
            input.language_code
        ))
        .into());
    }
    check_input(&input.input_data_config)?;
    if let Some(uri) = input
        .output_data_config
        .as_ref()
        .and_then(|o| o.s3_uri.as_deref())
    {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    let tags = tags::incoming(input.tags.take())?;
    let arn = Arn::new(
        ctx,
        Resource::DocumentClassifier {
            name: input.document_classifier_name.clone(),
            version: input.version_name.clone(),
        },
    )
    .to_string();
    let response = CreateDocumentClassifierResponse {
        document_classifier_arn: Some(arn.clone()),
    };
    let now = now_ms();
    // What Describe echoes: defaults filled in as the service shows them.
    input
        .input_data_config
        .data_format
        .get_or_insert(DocumentClassifierDataFormat::ComprehendCsv);
    let mode = *input.mode.get_or_insert(DocumentClassifierMode::MultiClass);
    let new = NewClassifier {
        arn: arn.clone(),
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.document_classifier_name.clone(),
        version: input.version_name.clone(),
        status: ModelStatus::Submitted,
        language_code: input.language_code,
        mode,
        submit_time: now,
        request: input,
        flywheel_arn: None,
        flywheel_stats_prefix: None,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::TrainClassifier),
        idempotency: with_response(record, &response),
        now,
    };
    state
        .store
        .insert_classifier(&new, &creation)
        .await
        .map_err(name_taken(format!(
            "A document classifier named '{}'{} already exists.",
            new.name,
            new.version
                .as_deref()
                .map(|v| format!(" with version '{v}'"))
                .unwrap_or_default()
        )))?;
    state.wakeup.notify();
    Ok(response)
}

/// Business rules of InputDataConfig beyond the model's constraints.
fn check_input(input: &DocumentClassifierInputDataConfig) -> Result<()> {
    let invalid = |m: &str| Err(ServiceError::invalid_request(m).into());
    if input.document_type == Some(DocumentClassifierDocumentTypeFormat::SemiStructuredDocument)
        || input.documents.is_some()
        || input.document_reader_config.is_some()
    {
        return invalid(
            "Native document (PDF, Word, image) classifiers are not supported by comprehend-local; train on plain text.",
        );
    }
    match input
        .data_format
        .unwrap_or(DocumentClassifierDataFormat::ComprehendCsv)
    {
        DocumentClassifierDataFormat::ComprehendCsv => {
            let Some(uri) = &input.s3_uri else {
                return invalid(
                    "InputDataConfig.S3Uri is required when DataFormat is COMPREHEND_CSV.",
                );
            };
            if input.augmented_manifests.is_some() {
                return invalid(
                    "InputDataConfig.AugmentedManifests can only be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for uri in std::iter::once(uri).chain(input.test_s3_uri.as_ref()) {
                S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
        DocumentClassifierDataFormat::AugmentedManifest => {
            let manifests = input.augmented_manifests.as_deref().unwrap_or_default();
            if manifests.is_empty() {
                return invalid(
                    "InputDataConfig.AugmentedManifests is required when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            if manifests.len() > 5 {
                return invalid("At most 5 augmented manifest files can be used for training.");
            }
            if input.s3_uri.is_some() || input.test_s3_uri.is_some() {
                return invalid(
                    "InputDataConfig.S3Uri and TestS3Uri can't be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for manifest in manifests {
                if manifest.attribute_names.is_empty() || manifest.attribute_names.len() > 5 {
                    return invalid("Each augmented manifest needs 1 to 5 AttributeNames.");
                }
                if manifest.document_type
                    == Some(AugmentedManifestsDocumentTypeFormat::SemiStructuredDocument)
                {
                    return invalid(
                        "Semi-structured augmented manifests are not supported by comprehend-local.",
                    );
                }
                S3Uri::parse(&manifest.s3_uri)
                    .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
    }
    Ok(())
}

async fn owned(state: &State, ctx: &RequestContext, arn: &str) -> Result<ClassifierRecord> {
    owned_arn(ctx, arn)?;
    state
        .store
        .classifier(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// A usable (trained) classifier version of the caller, for endpoints, jobs and flywheels.
pub async fn usable(state: &State, ctx: &RequestContext, arn: &str) -> Result<ClassifierRecord> {
    let record = owned(state, ctx, arn).await?;
    if !USABLE.contains(&record.status) {
        return Err(ServiceError::invalid_request(format!(
            "The model {arn} is {}; only a TRAINED model can be used.",
            record.status
        ))
        .into());
    }
    Ok(record)
}

/// The wire properties of a stored classifier.
pub fn properties(record: ClassifierRecord) -> DocumentClassifierProperties {
    let request = record.request;
    let mut output = request.output_data_config.unwrap_or_default();
    if let Some(uri) = record.output_s3_uri {
        output.s3_uri = Some(uri);
    }
    if let Some(prefix) = record.flywheel_stats_prefix {
        output.flywheel_stats_s3_prefix = Some(prefix);
    }
    DocumentClassifierProperties {
        document_classifier_arn: Some(record.arn),
        language_code: Some(record.language_code),
        status: Some(record.status),
        message: record.message,
        submit_time: Some(ts(record.submit_time)),
        end_time: opt_ts(record.end_time),
        training_start_time: opt_ts(record.training_start_time),
        training_end_time: opt_ts(record.training_end_time),
        input_data_config: Some(request.input_data_config),
        output_data_config: Some(output),
        classifier_metadata: record.metadata,
        data_access_role_arn: Some(request.data_access_role_arn),
        volume_kms_key_id: request.volume_kms_key_id,
        vpc_config: request.vpc_config,
        mode: Some(record.mode),
        model_kms_key_id: request.model_kms_key_id,
        version_name: record.version,
        source_model_arn: record.source_model_arn,
        flywheel_arn: record.flywheel_arn,
    }
}

/// DescribeDocumentClassifier.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeDocumentClassifierRequest,
) -> Result<DescribeDocumentClassifierResponse> {
    let record = owned(state, ctx, &input.document_classifier_arn).await?;
    Ok(DescribeDocumentClassifierResponse {
        document_classifier_properties: Some(properties(record)),
    })
}

/// ListDocumentClassifiers.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDocumentClassifiersRequest,
) -> Result<ListDocumentClassifiersResponse> {
    const OP: &str = "ListDocumentClassifiers";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    at_most_one_filter(&[
        filter.status.is_some(),
        filter.document_classifier_name.is_some(),
        filter.submit_time_before.is_some(),
        filter.submit_time_after.is_some(),
    ])?;
    let mut conditions = Vec::new();
    let mut order = Order::Ascending;
    if let Some(status) = filter.status {
        conditions.push(Condition::Eq("status", status.as_str().into()));
    }
    if let Some(name) = filter.document_classifier_name {
        conditions.push(Condition::Eq("name", name));
    }
    if filter.submit_time_after.is_some() {
        order = Order::Descending;
    }
    conditions.extend(time_window(
        "submit_time",
        filter.submit_time_after,
        filter.submit_time_before,
    ));
    let page = state
        .store
        .list_classifiers(&ctx.account_id, &ctx.region, &conditions, order, page)
        .await?;
    Ok(ListDocumentClassifiersResponse {
        next_token: next_token(OP, &page),
        document_classifier_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}

/// ListDocumentClassifierSummaries.
pub async fn summaries(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDocumentClassifierSummariesRequest,
) -> Result<ListDocumentClassifierSummariesResponse> {
    const OP: &str = "ListDocumentClassifierSummaries";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let page = state
        .store
        .classifier_summaries(&ctx.account_id, &ctx.region, page)
        .await?;
    Ok(ListDocumentClassifierSummariesResponse {
        next_token: next_token(OP, &page),
        document_classifier_summaries_list: Some(
            page.items
                .into_iter()
                .map(|s| DocumentClassifierSummary {
                    document_classifier_name: Some(s.name),
                    number_of_versions: Some(s.versions as i32),
                    latest_version_created_at: Some(ts(s.latest_submit_time)),
                    latest_version_name: s.latest_version,
                    latest_version_status: Some(s.latest_status),
                })
                .collect(),
        ),
    })
}

/// StopTrainingDocumentClassifier: TRAINING (or SUBMITTED) → STOP_REQUESTED; the job
/// then stops within about one optimizer iteration. Stopping a finished version does nothing.
pub async fn stop(
    state: &Shared,
    ctx: &RequestContext,
    input: StopTrainingDocumentClassifierRequest,
) -> Result<StopTrainingDocumentClassifierResponse> {
    let record = owned(state, ctx, &input.document_classifier_arn).await?;
    if matches!(
        record.status,
        ModelStatus::Submitted | ModelStatus::Training
    ) {
        let now = now_ms();
        state
            .store
            .transition_classifier(
                &record.arn,
                &[ModelStatus::Submitted, ModelStatus::Training],
                ModelStatus::StopRequested,
                ClassifierChanges::default(),
            )
            .await?;
        state.store.request_stop(&record.arn, now).await?;
        // A version a flywheel iteration is training: the iteration stops with it.
        if let Some(flywheel) = &record.flywheel_arn {
            let running = state
                .store
                .running_iterations(&record.account, &record.region)
                .await?;
            for iteration in running.iter().filter(|i| &i.flywheel_arn == flywheel) {
                state
                    .store
                    .transition_iteration(
                        flywheel,
                        &iteration.iteration_id,
                        &[FlywheelIterationStatus::Training],
                        FlywheelIterationStatus::StopRequested,
                        Default::default(),
                    )
                    .await?;
            }
        }
    }
    Ok(StopTrainingDocumentClassifierResponse {})
}

/// DeleteDocumentClassifier: only finished versions that nothing uses.
pub async fn delete(
    state: &Shared,
    ctx: &RequestContext,
    input: DeleteDocumentClassifierRequest,
) -> Result<DeleteDocumentClassifierResponse> {
    let record = owned(state, ctx, &input.document_classifier_arn).await?;
    if record.status == ModelStatus::Deleting {
        return Ok(DeleteDocumentClassifierResponse {});
    }
    let in_use = |why: String| Err(ServiceError::resource_in_use(why).into());
    if !TERMINAL.contains(&record.status) {
        return in_use(format!(
            "The document classifier {} is {}; only a classifier that has finished training (or was stopped) can be deleted.",
            record.arn, record.status
        ));
    }
    let endpoints = state.store.endpoints_using_model(&record.arn).await?;
    if let Some(endpoint) = endpoints.first() {
        return in_use(format!(
            "The document classifier {} is used by the endpoint {}.",
            record.arn, endpoint.arn
        ));
    }
    if state.store.active_jobs_using_model(&record.arn).await? > 0 {
        return in_use(format!(
            "The document classifier {} is used by a running classification job.",
            record.arn
        ));
    }
    if let Some(flywheel) = state
        .store
        .flywheels_with_active_model(&record.arn)
        .await?
        .first()
    {
        return in_use(format!(
            "The document classifier {} is the active model of the flywheel {}.",
            record.arn, flywheel.arn
        ));
    }
    let moved = state
        .store
        .transition_classifier(
            &record.arn,
            TERMINAL,
            ModelStatus::Deleting,
            ClassifierChanges::default(),
        )
        .await?;
    if moved {
        state
            .store
            .enqueue(JobKind::DeleteClassifier, &record.arn, now_ms())
            .await?;
        state.wakeup.notify();
    }
    Ok(DeleteDocumentClassifierResponse {})
}

/// Marks a classifier failed (a job error, or a job given up after crashes).
pub async fn fail(state: &State, arn: &str, message: &str) -> Result<()> {
    let now = now_ms();
    state
        .store
        .transition_classifier(
            arn,
            &[
                ModelStatus::Submitted,
                ModelStatus::Training,
                ModelStatus::StopRequested,
                ModelStatus::Deleting,
            ],
            ModelStatus::InError,
            ClassifierChanges {
                message: Some(Some(message.to_owned())),
                end_time: Some(now),
                ..Default::default()
            },
        )
        .await?;
    Ok(())
}

/// The DeleteClassifier job: removes the model file, then the row.
pub async fn run_delete(state: &Shared, job: &Job) -> Result<(), JobError> {
    if let Some(record) = state.store.classifier(&job.resource_arn).await? {
        if let Some(key) = &record.model_key {
            state.models.delete(key).await?;
        }
        state.store.delete_classifier(&record.arn).await?;
    }
    Ok(())
}

/// The TrainClassifier job: reads the data, trains, evaluates, stores the model and the
/// training output. Safe to run again from the start after a crash.
pub async fn run_training(state: &Shared, job: &Job) -> Result<(), JobError> {
    let Some(record) = state.store.classifier(&job.resource_arn).await? else {
        return Ok(());
    };
    let arn = record.arn.clone();
    let now = now_ms();
    match record.status {
        ModelStatus::Submitted | ModelStatus::Training => {}
        ModelStatus::StopRequested => {
            let stopped = ClassifierChanges {
                end_time: Some(now),
                ..Default::default()
            };
            state
                .store
                .transition_classifier(
                    &arn,
                    &[ModelStatus::StopRequested],
                    ModelStatus::Stopped,
                    stopped,
                )
                .await?;
            return Ok(());
        }
        _ => return Ok(()),
    }
    let started = ClassifierChanges {
        training_start_time: Some(record.training_start_time.unwrap_or(now)),
        message: Some(None),
        ..Default::default()
    };
    let active = [ModelStatus::Submitted, ModelStatus::Training];
    if !state
        .store
        .transition_classifier(&arn, &active, ModelStatus::Training, started)
        .await?
    {
        // A stop (or delete) won the race since the job was claimed: settle it.
        let stopped = ClassifierChanges {
            end_time: Some(now_ms()),
            ..Default::default()
        };
        state
            .store
            .transition_classifier(
                &arn,
                &[ModelStatus::StopRequested],
                ModelStatus::Stopped,
                stopped,
            )
            .await?;
        return Ok(());
    }
    let mode = ml_mode(record.mode);
    let (train_docs, test_docs) =
        match read_input(state, &record.request.input_data_config, mode).await {
            Ok(docs) => docs,
            Err(message) => return failed(state, &arn, message).await,
        };
    let outcome = train_with_stop(state, job.id, &arn, train_docs, test_docs, mode).await;
    let trained = match outcome {
        Ok(trained) => trained,
        Err(TrainFailure::Cancelled) => {
            let now = now_ms();
            let changes = ClassifierChanges {
                training_end_time: Some(now),
                end_time: Some(now),
                message: Some(Some(
                    "Training was stopped by StopTrainingDocumentClassifier.".into(),
                )),
                ..Default::default()
            };
            state
                .store
                .transition_classifier(
                    &arn,
                    &[ModelStatus::Training, ModelStatus::StopRequested],
                    ModelStatus::Stopped,
                    changes,
                )
                .await?;
            return Ok(());
        }
        Err(TrainFailure::Failed(message)) => return failed(state, &arn, message).await,
    };
    complete(state, &record, trained).await
}

async fn failed(state: &State, arn: &str, message: String) -> Result<(), JobError> {
    fail(state, arn, &message).await?;
    Err(JobError::Failed(message))
}

/// Reads a classifier's training data and optional test data.
pub async fn read_input(
    state: &State,
    input: &DocumentClassifierInputDataConfig,
    mode: Mode,
) -> Result<(Vec<Document>, Option<Vec<Document>>), String> {
    match input
        .data_format
        .unwrap_or(DocumentClassifierDataFormat::ComprehendCsv)
    {
        DocumentClassifierDataFormat::ComprehendCsv => {
            let delimiter = data::delimiter(input.label_delimiter.as_deref());
            let uri = input
                .s3_uri
                .as_deref()
                .ok_or("InputDataConfig.S3Uri is missing")?;
            let train = data::read_csv(state, uri, mode, delimiter, "training data").await?;
            let test = match &input.test_s3_uri {
                Some(uri) => Some(data::read_csv(state, uri, mode, delimiter, "test data").await?),
                None => None,
            };
            Ok((train, test))
        }
        DocumentClassifierDataFormat::AugmentedManifest => {
            let mut train = Vec::new();
            let mut test: Option<Vec<Document>> = None;
            for manifest in input.augmented_manifests.as_deref().unwrap_or_default() {
                let attribute = manifest
                    .attribute_names
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default();
                let docs = data::read_manifest(
                    state,
                    &manifest.s3_uri,
                    attribute,
                    mode,
                    "augmented manifest",
                )
                .await?;
                match manifest.split.unwrap_or(Split::Train) {
                    Split::Train => train.extend(docs),
                    Split::Test => test.get_or_insert_with(Vec::new).extend(docs),
                }
            }
            Ok((train, test))
        }
    }
}

/// Why training did not produce a model.
pub enum TrainFailure {
    /// A stop was requested.
    Cancelled,
    /// The data or the optimizer failed; the message is for the user.
    Failed(String),
}

/// Trains on a blocking thread, logging progress and stopping when the job's stop flag is set.
pub async fn train_with_stop(
    state: &State,
    job_id: i64,
    label: &str,
    train: Vec<Document>,
    test: Option<Vec<Document>>,
    mode: Mode,
) -> Result<Trained, TrainFailure> {
    let cancel = Arc::new(AtomicBool::new(false));
    // Stop when the job is asked to (StopTraining on this version) or the version is
    // STOP_REQUESTED (a flywheel iteration trains it under the iteration's job). At a
    // shutdown the blocking thread is told to stop too: the worker awaiting it is gone,
    // and the job resumes at the next start.
    let watcher = {
        let cancel = cancel.clone();
        let store = state.store.clone();
        let arn = label.to_owned();
        let shutting_down = state.shutting_down.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if shutting_down.load(Ordering::Relaxed) {
                    cancel.store(true, Ordering::Relaxed);
                    break;
                }
                let job_stopped = store.stop_requested(job_id).await.unwrap_or(false);
                let version = store.classifier(&arn).await.ok().flatten();
                if job_stopped || version.is_some_and(|v| v.status == ModelStatus::StopRequested) {
                    cancel.store(true, Ordering::Relaxed);
                    break;
                }
            }
        })
    };
    let label = label.to_owned();
    let result = tokio::task::spawn_blocking(move || {
        let params = TrainParams::new(mode);
        let mut last_logged = 0;
        let mut progress = |p: Progress| {
            if p.iteration == 0 || p.iteration >= last_logged + 10 || p.iteration == p.max_iter {
                last_logged = p.iteration;
                tracing::info!(model = %label, phase = ?p.phase, iteration = p.iteration, max_iter = p.max_iter,
                    loss = p.loss.unwrap_or(f64::NAN), "training progress");
            }
        };
        comprehend_ml::train(train, test, &params, &mut progress, &cancel)
    })
    .await;
    watcher.abort();
    match result {
        Ok(Ok(trained)) => Ok(trained),
        Ok(Err(MlError::Cancelled)) => Err(TrainFailure::Cancelled),
        Ok(Err(e)) => Err(TrainFailure::Failed(capitalise(&e.to_string()))),
        Err(e) => Err(TrainFailure::Failed(format!(
            "Training failed unexpectedly: {e}"
        ))),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// ClassifierMetadata from an evaluation.
pub fn metadata(evaluation: &comprehend_ml::Evaluation) -> ClassifierMetadata {
    let m = &evaluation.metrics;
    ClassifierMetadata {
        number_of_labels: Some(evaluation.number_of_labels as i32),
        number_of_trained_documents: Some(evaluation.number_of_trained_documents as i32),
        number_of_test_documents: Some(evaluation.number_of_test_documents as i32),
        evaluation_metrics: Some(ClassifierEvaluationMetrics {
            accuracy: Some(round4(m.accuracy)),
            precision: Some(round4(m.precision)),
            recall: Some(round4(m.recall)),
            f1_score: Some(round4(m.f1_score)),
            micro_precision: Some(round4(m.micro_precision)),
            micro_recall: Some(round4(m.micro_recall)),
            micro_f1_score: Some(round4(m.micro_f1_score)),
            hamming_loss: Some(round4(m.hamming_loss)),
        }),
    }
}

/// The private model store key of a version.
pub fn model_key(record: &ClassifierRecord) -> String {
    format!(
        "{}/{}/{}.model",
        record.account,
        record.region,
        stable_id(&format!("{}@{}", record.arn, record.submit_time))
    )
}

/// Stores a trained model, writes `output.tar.gz` when asked, and marks the version TRAINED.
pub async fn complete(
    state: &State,
    record: &ClassifierRecord,
    trained: Trained,
) -> Result<(), JobError> {
    let key = model_key(record);
    let evaluation = trained.evaluation;
    state.models.save(&key, Arc::new(trained.model)).await?;
    let mut output_uri = None;
    if let Some(prefix) = record
        .request
        .output_data_config
        .as_ref()
        .and_then(|o| o.s3_uri.as_deref())
    {
        let folder = format!(
            "{}-CLR-{}",
            record.account,
            stable_id(&format!("{}@{}", record.arn, record.submit_time))
        );
        let uri = data::under_prefix(prefix, &format!("{folder}/output/output.tar.gz"));
        let archive = data::tar_gz(&[(
            "confusion_matrix.json",
            evaluation.confusion_matrix.to_json().as_bytes(),
        )])
        .map_err(|e| JobError::Failed(format!("Cannot build output.tar.gz: {e}")))?;
        let target = S3Uri::parse(&uri).map_err(|e| JobError::Failed(e.to_string()))?;
        if let Err(e) = state.objects.put(&target, Bytes::from(archive)).await {
            let message = format!(
                "Training finished but the output could not be written: {}",
                data::object_message(e, &uri)
            );
            return failed(state, &record.arn, message).await;
        }
        output_uri = Some(uri);
    }
    let missing = &evaluation.labels_missing_from_training;
    let (status, message) = if missing.is_empty() {
        (ModelStatus::Trained, None)
    } else {
        (
            ModelStatus::TrainedWithWarning,
            Some(format!(
                "The test data has labels the training data lacks: {}.",
                missing.join(", ")
            )),
        )
    };
    let now = now_ms();
    let changes = ClassifierChanges {
        message: Some(message),
        training_end_time: Some(now),
        end_time: Some(now),
        output_s3_uri: output_uri,
        metadata: Some(metadata(&evaluation)),
        model_key: Some(key),
        training_start_time: None,
    };
    state
        .store
        .transition_classifier(
            &record.arn,
            &[ModelStatus::Training, ModelStatus::StopRequested],
            status,
            changes,
        )
        .await?;
    tracing::info!(model = %record.arn, status = %status, f1 = evaluation.metrics.f1_score, "model trained");
    Ok(())
}
