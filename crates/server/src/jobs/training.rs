//! Training a model version. The steps both kinds share are written once over the
//! store's `Version` (the version a job works on, starting, watching for a stop, settling
//! STOPPED or IN_ERROR, deleting); the rest is a classifier's, shared by the
//! TrainClassifier job and flywheel iterations: reading the data, training on a blocking
//! thread that stops when asked, and storing the result (model file, `output.tar.gz`,
//! metrics, final status).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use comprehend_ml::{Document, MlError, Mode, Progress, TrainParams, Trained};
use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::versions::{Version, VersionChanges};
use comprehend_store::{Job, Target};

use super::error::{JobError, resource_arn};
use crate::data;
use crate::domain::{round4, stable_id};
use crate::error::Error;
use crate::phase::{Phase, Timer};
use crate::state::State;

/// Why training did not produce a model (either kind's engine).
pub enum TrainFailure {
    /// A stop was requested (or the server is shutting down).
    Cancelled,
    /// The data or the optimizer failed; the message is for the user.
    Failed(String),
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
            read_manifests(state, input.augmented_manifests.as_deref(), mode).await
        }
    }
}

async fn read_manifests(
    state: &State,
    manifests: Option<&[AugmentedManifestsListItem]>,
    mode: Mode,
) -> Result<(Vec<Document>, Option<Vec<Document>>), String> {
    let mut train = Vec::new();
    let mut test: Option<Vec<Document>> = None;
    for manifest in manifests.unwrap_or_default() {
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

/// Trains on a blocking thread, logging its phases and stopping when the job's stop flag
/// is set, the version is STOP_REQUESTED, or the server shuts down.
pub async fn train_with_stop(
    state: &State,
    job_id: i64,
    arn: &str,
    train: Vec<Document>,
    test: Option<Vec<Document>>,
    mode: Mode,
) -> Result<Trained, TrainFailure> {
    let span = tracing::Span::current();
    let label = arn.to_owned();
    let live = state.progress.clone();
    stoppable::<ClassifierRecord, _>(state, job_id, arn, move |cancel| {
        // The fit reports from a rayon thread: enter the job's span there too.
        let _entered = span.enter();
        let mut phases = PhaseLog::new(span.clone());
        let trained = comprehend_ml::train(
            train,
            test,
            &TrainParams::new(mode),
            &mut |p| {
                // The console shows the latest report; the log, every phase with its duration.
                live.report(&label, crate::progress::classifier_text(&p));
                phases.report(p);
            },
            cancel,
        );
        phases.finish();
        if let Ok(t) = &trained {
            let s = &t.stats;
            tracing::info!(features = s.n_features, nnz = s.nnz, evaluations = s.evaluations,
                gradient_seconds = (s.gradient_seconds * 1e3).round() / 1e3, history = s.lbfgs_history,
                termination = %s.termination, "fit stats");
        }
        trained.map_err(|e| match e {
            MlError::Cancelled => TrainFailure::Cancelled,
            e => TrainFailure::Failed(capitalise(&e.to_string())),
        })
    })
    .await
}

/// Runs `train` on a blocking thread with a flag that is set when the job's stop flag is
/// set, the version (of kind `V`) is STOP_REQUESTED, or the server shuts down; then
/// clears the version's live progress.
pub async fn stoppable<V: Version, T: Send + 'static>(
    state: &State,
    job_id: i64,
    arn: &str,
    train: impl FnOnce(&AtomicBool) -> Result<T, TrainFailure> + Send + 'static,
) -> Result<T, TrainFailure> {
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch_for_stop::<V>(state, job_id, arn, cancel.clone()));
    let result = tokio::task::spawn_blocking(move || train(&cancel)).await;
    watcher.abort();
    state.progress.clear(arn);
    result.unwrap_or_else(|e| {
        Err(TrainFailure::Failed(format!(
            "Training failed unexpectedly: {e}"
        )))
    })
}

/// Turns the engine's progress reports into phase log lines: each phase's start and end
/// with its duration, and the fit's iteration and loss every ten iterations and at its end.
struct PhaseLog {
    span: tracing::Span,
    current: Option<Timer>,
    last: Option<Progress>,
}

impl PhaseLog {
    fn new(span: tracing::Span) -> Self {
        PhaseLog {
            span,
            current: None,
            last: None,
        }
    }

    fn report(&mut self, p: Progress) {
        let span = self.span.clone();
        let _entered = span.enter();
        if p.iteration == 0 {
            self.finish();
            self.current = Some(Timer::start(Phase::from(p.phase)));
        } else if p.iteration.is_multiple_of(10) {
            tracing::info!(phase = %Phase::Fit, iteration = p.iteration, max_iter = p.max_iter,
                loss = p.loss.unwrap_or(f64::NAN), "fit progress");
        }
        self.last = Some(p);
    }

    /// Ends the current phase.
    fn finish(&mut self) {
        let Some(timer) = self.current.take() else {
            return;
        };
        match self.last.filter(|_| timer.phase() == Phase::Fit) {
            Some(last) => tracing::info!(phase = %timer.phase(), seconds = timer.seconds(),
                iterations = last.iteration, loss = last.loss.unwrap_or(f64::NAN), "phase done"),
            None => timer.done(),
        }
    }
}

/// Sets `cancel` when the job is asked to stop (StopTraining on this version), the
/// version is STOP_REQUESTED (a flywheel iteration trains it under the iteration's job),
/// or the server shuts down (the worker awaiting the training is gone; the job resumes
/// at the next start).
fn watch_for_stop<V: Version>(
    state: &State,
    job_id: i64,
    arn: &str,
    cancel: Arc<AtomicBool>,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let store = state.store.clone();
    let shutting_down = state.shutting_down.clone();
    let arn = arn.to_owned();
    async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if shutting_down.load(Ordering::Relaxed) {
                cancel.store(true, Ordering::Relaxed);
                break;
            }
            let job_stopped = store.stop_requested(job_id).await.unwrap_or(false);
            let version = store.version::<V>(&arn).await.ok().flatten();
            if job_stopped || version.is_some_and(|v| v.status() == ModelStatus::StopRequested) {
                cancel.store(true, Ordering::Relaxed);
                break;
            }
        }
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

/// The seed of a version's stable ids (its model file and output folder).
fn version_seed(record: &ClassifierRecord) -> String {
    format!("{}@{}", record.arn, record.submit_time)
}

/// The private model store key of a version.
fn model_key(record: &ClassifierRecord) -> String {
    format!(
        "{}/{}/{}.model",
        record.account,
        record.region,
        stable_id(&version_seed(record))
    )
}

/// Writes `output.tar.gz` (the confusion matrix) under the request's output location,
/// at `<S3Uri><account>-CLR-<id>/output/output.tar.gz`; None when no location was given.
async fn write_output(
    state: &State,
    record: &ClassifierRecord,
    evaluation: &comprehend_ml::Evaluation,
) -> Result<Option<String>, String> {
    let Some(prefix) = record
        .request
        .output_data_config
        .as_ref()
        .and_then(|o| o.s3_uri.as_deref())
    else {
        return Ok(None);
    };
    let folder = format!(
        "{}-CLR-{}",
        record.account,
        stable_id(&version_seed(record))
    );
    let uri = data::under_prefix(prefix, &format!("{folder}/output/output.tar.gz"));
    let matrix = evaluation.confusion_matrix.to_json();
    let archive = data::tar_gz(&[("confusion_matrix.json", matrix.as_bytes())])
        .map_err(|e| format!("Cannot build output.tar.gz: {e}"))?;
    let target = S3Uri::parse(&uri).map_err(|e| e.to_string())?;
    if let Err(e) = state.objects.put(&target, Bytes::from(archive)).await {
        return Err(format!(
            "Training finished but the output could not be written: {}",
            data::object_message(e, &uri)
        ));
    }
    Ok(Some(uri))
}

/// Stores a trained model, writes `output.tar.gz` when asked, and marks the version TRAINED.
pub async fn complete(
    state: &State,
    record: &ClassifierRecord,
    trained: Trained,
) -> Result<(), JobError> {
    let key = model_key(record);
    let evaluation = trained.evaluation;
    let saving = Timer::start(Phase::ModelSave);
    state.models.save(&key, Arc::new(trained.model)).await?;
    saving.done();
    let archiving = Timer::start(Phase::OutputArchive);
    let output_uri = match write_output(state, record, &evaluation).await {
        Ok(uri) => uri,
        Err(message) => return failed::<ClassifierRecord>(state, &record.arn, message).await,
    };
    archiving.done();
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
    let now = state.now_ms();
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
        .transition_classifier(&record.arn, status, changes)
        .await?;
    tracing::info!(model = %record.arn, status = %status, f1 = evaluation.metrics.f1_score, "model trained");
    Ok(())
}

/// The version a job works on, if it is still there.
pub async fn version<V: Version>(state: &State, job: &Job) -> Result<Option<V>, JobError> {
    match resource_arn(&job.target) {
        Some(arn) => Ok(state.store.version(arn).await?),
        None => Ok(None),
    }
}

/// Moves the version to TRAINING (keeping the start of an earlier attempt); false when
/// there is nothing to train (it finished, or a stop won the race since the job was
/// claimed — then the stop is settled here, with `stopped` as its message if any).
pub async fn start<V: Version>(
    state: &State,
    arn: &str,
    training_start_time: Option<i64>,
    stopped: Option<&str>,
) -> Result<bool, JobError> {
    let now = state.now_ms();
    let started = VersionChanges::<V::Metadata> {
        training_start_time: Some(training_start_time.unwrap_or(now)),
        message: Some(None),
        ..Default::default()
    };
    let training = ModelStatus::Training;
    if state
        .store
        .transition_version::<V>(arn, training, started)
        .await?
    {
        return Ok(true);
    }
    let settled = VersionChanges::<V::Metadata> {
        end_time: Some(now),
        message: stopped.map(|m| Some(m.to_owned())),
        ..Default::default()
    };
    let stopped = ModelStatus::Stopped;
    state
        .store
        .transition_version::<V>(arn, stopped, settled)
        .await?;
    Ok(false)
}

/// What a training job's training came to: the model to store, or `None` when the job
/// ends here (the version settled STOPPED, with `stopped_message`, after a
/// StopTraining). Failed training fails the version and the job; the shutdown's cancel
/// leaves the version TRAINING and its job claimed, so the shutdown (or the next start's
/// recovery) queues it again.
pub async fn trained<V: Version, T>(
    state: &State,
    arn: &str,
    outcome: Result<T, TrainFailure>,
    stopped_message: &str,
) -> Result<Option<T>, JobError> {
    match outcome {
        Ok(trained) => Ok(Some(trained)),
        Err(TrainFailure::Cancelled) if state.shutting_down.load(Ordering::Relaxed) => {
            Err(JobError::Interrupted)
        }
        Err(TrainFailure::Cancelled) => {
            stopped::<V>(state, arn, Some(stopped_message)).await?;
            Ok(None)
        }
        Err(TrainFailure::Failed(message)) => failed::<V>(state, arn, message).await.map(|_| None),
    }
}

/// Marks a version STOPPED after its training was cancelled.
pub async fn stopped<V: Version>(
    state: &State,
    arn: &str,
    message: Option<&str>,
) -> Result<(), JobError> {
    let now = state.now_ms();
    let changes = VersionChanges::<V::Metadata> {
        training_end_time: Some(now),
        end_time: Some(now),
        message: message.map(|m| Some(m.to_owned())),
        ..Default::default()
    };
    state
        .store
        .transition_version::<V>(arn, ModelStatus::Stopped, changes)
        .await?;
    Ok(())
}

/// Marks a version IN_ERROR with `message` (a job error, or a job given up after crashes).
pub async fn fail_version<V: Version>(
    state: &State,
    arn: &str,
    message: &str,
) -> Result<(), Error> {
    let changes = VersionChanges::<V::Metadata> {
        message: Some(Some(crate::disk::failure_message(state, message))),
        end_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_version::<V>(arn, ModelStatus::InError, changes)
        .await?;
    Ok(())
}

/// Fails a version and ends the job with the same message.
pub async fn failed<V: Version>(state: &State, arn: &str, message: String) -> Result<(), JobError> {
    fail_version::<V>(state, arn, &message).await?;
    Err(JobError::Failed(message))
}

/// Marks the version of a training or deletion job IN_ERROR (it failed, or was given up).
pub async fn fail<V: Version>(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => fail_version::<V>(state, arn, message).await,
        None => Ok(()),
    }
}

/// The deletion job: removes the model file, then the row (only while DELETING).
pub async fn delete<V: Version>(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(record) = version::<V>(state, job).await? else {
        return Ok(());
    };
    if record.status() != ModelStatus::Deleting {
        return Ok(());
    }
    if let Some(key) = record.model_key() {
        // A key names one model file: forgetting it in both caches is harmless.
        state.models.delete(key).await?;
        state.recognizers.forget(key);
    }
    let mut tx = state.store.begin().await?;
    tx.delete_version::<V>(record.arn()).await?;
    tx.commit().await?;
    Ok(())
}
