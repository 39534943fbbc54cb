//! The behaviour every kind of custom model shares, run over each kind: create and train,
//! list by name, stop before training, idempotent retries, in-use refusal while an
//! endpoint serves the version, delete, and training resumed after a `kill -9`. A new model kind gets the whole suite by
//! implementing [`Kind`] and adding itself to [`over_model_kinds!`].
//! `kill -9` while a version trains runs the server as a child process; `durability.rs`
//! and `entity_recognizer_durability.rs` check more of each kind after a crash.

use aws_sdk_comprehend::types::{
    DocumentClassifierFilter, DocumentClassifierInputDataConfig, EntityRecognizerFilter,
    LanguageCode,
};

use crate::durability::synthetic_csv;
use crate::harness::{Env, ROLE, code, endpoint_ready, wait_for};
use crate::ner_support::{annotated, ner_bucket, repeated};

/// One kind of custom model, through its own operations.
trait Kind {
    /// The ARN word of an endpoint serving this kind.
    const ENDPOINT: &'static str;
    /// Puts the kind's training data in `bucket`.
    async fn data(env: &Env, bucket: &str);
    /// Puts training data that takes seconds to train on in `bucket`, where `data` puts it.
    async fn big_data(env: &Env, bucket: &str);
    /// Creates version `version` of `name`, optionally with a ClientRequestToken; the
    /// ARN, or the error code.
    async fn create(
        env: &Env,
        bucket: &str,
        name: &str,
        version: &str,
        token: Option<&str>,
    ) -> Result<String, String>;
    /// The version's status.
    async fn status(env: &Env, arn: &str) -> Result<String, String>;
    /// The ARNs ListX returns for `name`.
    async fn listed(env: &Env, name: &str) -> Vec<String>;
    /// StopTrainingX.
    async fn stop(env: &Env, arn: &str) -> Result<(), String>;
    /// DeleteX.
    async fn delete(env: &Env, arn: &str) -> Result<(), String>;
}

struct Classifier;
struct Recognizer;

impl Kind for Classifier {
    const ENDPOINT: &'static str = "document-classifier-endpoint";

    async fn data(env: &Env, bucket: &str) {
        env.s3.create_bucket().bucket(bucket).send().await.unwrap();
        env.put(bucket, "train.csv", synthetic_csv(120, 3)).await;
    }

    async fn big_data(env: &Env, bucket: &str) {
        env.s3.create_bucket().bucket(bucket).send().await.unwrap();
        env.put(bucket, "train.csv", synthetic_csv(80_000, 40))
            .await;
    }

    async fn create(
        env: &Env,
        bucket: &str,
        name: &str,
        version: &str,
        token: Option<&str>,
    ) -> Result<String, String> {
        env.comprehend
            .create_document_classifier()
            .document_classifier_name(name)
            .version_name(version)
            .set_client_request_token(token.map(str::to_owned))
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .s3_uri(format!("s3://{bucket}/train.csv"))
                    .build(),
            )
            .send()
            .await
            .map(|out| out.document_classifier_arn.unwrap())
            .map_err(|e| code(&e))
    }

    async fn status(env: &Env, arn: &str) -> Result<String, String> {
        env.comprehend
            .describe_document_classifier()
            .document_classifier_arn(arn)
            .send()
            .await
            .map(|out| {
                let props = out.document_classifier_properties.unwrap();
                props.status().unwrap().as_str().to_owned()
            })
            .map_err(|e| code(&e))
    }

    async fn listed(env: &Env, name: &str) -> Vec<String> {
        let filter = DocumentClassifierFilter::builder()
            .document_classifier_name(name)
            .build();
        let out = env
            .comprehend
            .list_document_classifiers()
            .filter(filter)
            .send()
            .await
            .unwrap();
        out.document_classifier_properties_list()
            .iter()
            .filter_map(|p| p.document_classifier_arn().map(str::to_owned))
            .collect()
    }

    async fn stop(env: &Env, arn: &str) -> Result<(), String> {
        let stop = env.comprehend.stop_training_document_classifier();
        let sent = stop.document_classifier_arn(arn).send().await;
        sent.map(|_| ()).map_err(|e| code(&e))
    }

    async fn delete(env: &Env, arn: &str) -> Result<(), String> {
        let delete = env.comprehend.delete_document_classifier();
        let sent = delete.document_classifier_arn(arn).send().await;
        sent.map(|_| ()).map_err(|e| code(&e))
    }
}

impl Kind for Recognizer {
    const ENDPOINT: &'static str = "entity-recognizer-endpoint";

    async fn data(env: &Env, bucket: &str) {
        ner_bucket(env, bucket).await;
    }

    async fn big_data(env: &Env, bucket: &str) {
        env.s3.create_bucket().bucket(bucket).send().await.unwrap();
        let (text, csv) = repeated(300);
        env.put(bucket, "train/documents.txt", text).await;
        let csv = csv.replace("\nbig.txt,", "\ndocuments.txt,");
        env.put(bucket, "annotations/train.csv", csv).await;
    }

    async fn create(
        env: &Env,
        bucket: &str,
        name: &str,
        version: &str,
        token: Option<&str>,
    ) -> Result<String, String> {
        env.comprehend
            .create_entity_recognizer()
            .recognizer_name(name)
            .version_name(version)
            .set_client_request_token(token.map(str::to_owned))
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .input_data_config(annotated(
                bucket,
                "train/documents.txt",
                "annotations/train.csv",
            ))
            .send()
            .await
            .map(|out| out.entity_recognizer_arn.unwrap())
            .map_err(|e| code(&e))
    }

    async fn status(env: &Env, arn: &str) -> Result<String, String> {
        env.comprehend
            .describe_entity_recognizer()
            .entity_recognizer_arn(arn)
            .send()
            .await
            .map(|out| {
                let props = out.entity_recognizer_properties.unwrap();
                props.status().unwrap().as_str().to_owned()
            })
            .map_err(|e| code(&e))
    }

    async fn listed(env: &Env, name: &str) -> Vec<String> {
        let filter = EntityRecognizerFilter::builder()
            .recognizer_name(name)
            .build();
        let out = env
            .comprehend
            .list_entity_recognizers()
            .filter(filter)
            .send()
            .await
            .unwrap();
        out.entity_recognizer_properties_list()
            .iter()
            .filter_map(|p| p.entity_recognizer_arn().map(str::to_owned))
            .collect()
    }

    async fn stop(env: &Env, arn: &str) -> Result<(), String> {
        let stop = env.comprehend.stop_training_entity_recognizer();
        let sent = stop.entity_recognizer_arn(arn).send().await;
        sent.map(|_| ()).map_err(|e| code(&e))
    }

    async fn delete(env: &Env, arn: &str) -> Result<(), String> {
        let delete = env.comprehend.delete_entity_recognizer();
        let sent = delete.entity_recognizer_arn(arn).send().await;
        sent.map(|_| ()).map_err(|e| code(&e))
    }
}

/// Runs a common test over every model kind.
macro_rules! over_model_kinds {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn classifier() {
                super::$name::<super::Classifier>().await;
            }

            #[tokio::test]
            async fn recognizer() {
                super::$name::<super::Recognizer>().await;
            }
        }
    };
}

/// Waits until a version has left SUBMITTED/TRAINING/STOP_REQUESTED; its final status.
async fn settled<K: Kind>(env: &Env, arn: &str) -> String {
    wait_for(&format!("{arn} to settle"), 180, || async {
        let status = K::status(env, arn).await.ok()?;
        (!["SUBMITTED", "TRAINING", "STOP_REQUESTED"].contains(&status.as_str())).then_some(status)
    })
    .await
}

/// Waits until a version (or endpoint, through `status`) is gone.
async fn gone<K: Kind>(env: &Env, arn: &str) {
    wait_for(&format!("{arn} to be removed"), 60, || async {
        (K::status(env, arn).await == Err("ResourceNotFoundException".to_owned())).then_some(())
    })
    .await;
}

over_model_kinds!(a_version_trains_lists_and_deletes);
async fn a_version_trains_lists_and_deletes<K: Kind>() {
    let env = Env::start().await;
    K::data(&env, "kinds-train").await;
    let arn = K::create(&env, "kinds-train", "kinds", "v1", None)
        .await
        .unwrap();
    assert_eq!(settled::<K>(&env, &arn).await, "TRAINED");
    assert_eq!(K::listed(&env, "kinds").await, vec![arn.clone()]);
    assert!(K::listed(&env, "other").await.is_empty());
    // Stopping a trained version changes nothing.
    K::stop(&env, &arn).await.unwrap();
    assert_eq!(K::status(&env, &arn).await.unwrap(), "TRAINED");
    K::delete(&env, &arn).await.unwrap();
    gone::<K>(&env, &arn).await;
    assert!(K::listed(&env, "kinds").await.is_empty());
    assert_eq!(
        K::delete(&env, &arn).await,
        Err("ResourceNotFoundException".to_owned())
    );
}

over_model_kinds!(a_version_stopped_before_training_ends_stopped);
async fn a_version_stopped_before_training_ends_stopped<K: Kind>() {
    // The queue is paused: the version is SUBMITTED until the test drives the queue.
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    K::data(&env, "kinds-stop").await;
    let arn = K::create(&env, "kinds-stop", "kinds", "v1", None)
        .await
        .unwrap();
    assert_eq!(K::status(&env, &arn).await.unwrap(), "SUBMITTED");
    // Not finished: it can't be deleted yet.
    assert_eq!(
        K::delete(&env, &arn).await,
        Err("ResourceInUseException".to_owned())
    );
    K::stop(&env, &arn).await.unwrap();
    assert_eq!(K::status(&env, &arn).await.unwrap(), "STOP_REQUESTED");
    env.drain().await;
    assert_eq!(K::status(&env, &arn).await.unwrap(), "STOPPED");
    K::delete(&env, &arn).await.unwrap();
    env.drain().await;
    gone::<K>(&env, &arn).await;
}

over_model_kinds!(a_retried_create_trains_once);
async fn a_retried_create_trains_once<K: Kind>() {
    let env = Env::start().await;
    K::data(&env, "kinds-retry").await;
    let first = K::create(&env, "kinds-retry", "kinds", "v1", Some("token-1"))
        .await
        .unwrap();
    let again = K::create(&env, "kinds-retry", "kinds", "v1", Some("token-1"))
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(K::listed(&env, "kinds").await, vec![first.clone()]);
    // The same token with another request is refused; without a token the name is taken.
    assert_eq!(
        K::create(&env, "kinds-retry", "kinds", "v2", Some("token-1")).await,
        Err("InvalidRequestException".to_owned())
    );
    assert_eq!(
        K::create(&env, "kinds-retry", "kinds", "v1", None).await,
        Err("ResourceInUseException".to_owned())
    );
    assert_eq!(settled::<K>(&env, &first).await, "TRAINED");
}

over_model_kinds!(a_served_version_is_not_deleted);
async fn a_served_version_is_not_deleted<K: Kind>() {
    let env = Env::start().await;
    K::data(&env, "kinds-served").await;
    let arn = K::create(&env, "kinds-served", "kinds", "v1", None)
        .await
        .unwrap();
    assert_eq!(settled::<K>(&env, &arn).await, "TRAINED");
    let endpoint = env
        .comprehend
        .create_endpoint()
        .endpoint_name("kinds-served")
        .model_arn(&arn)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    assert_eq!(endpoint, env.arn(&format!("{}/kinds-served", K::ENDPOINT)));
    endpoint_ready(&env.comprehend, &endpoint).await;
    assert_eq!(
        K::delete(&env, &arn).await,
        Err("ResourceInUseException".to_owned())
    );
    env.comprehend
        .delete_endpoint()
        .endpoint_arn(&endpoint)
        .send()
        .await
        .unwrap();
    wait_for("the endpoint to be removed", 60, || async {
        let described = env.comprehend.describe_endpoint().endpoint_arn(&endpoint);
        described.send().await.is_err().then_some(())
    })
    .await;
    K::delete(&env, &arn).await.unwrap();
    gone::<K>(&env, &arn).await;
}

over_model_kinds!(kill_9_during_training_then_restart_trains);
async fn kill_9_during_training_then_restart_trains<K: Kind>() {
    let (mut env, process) = Env::child_process();
    K::big_data(&env, "kinds-kill").await;
    let arn = K::create(&env, "kinds-kill", "kinds", "v1", None)
        .await
        .unwrap();
    let training = wait_for("training to start", 60, || async {
        let status = K::status(&env, &arn).await.ok()?;
        (status != "SUBMITTED").then_some(status)
    })
    .await;
    assert_eq!(
        training, "TRAINING",
        "the kill lands while the version trains"
    );
    let _process = env.kill_and_restart(process);
    assert_eq!(settled::<K>(&env, &arn).await, "TRAINED");
    assert_eq!(K::listed(&env, "kinds").await, vec![arn]);
}
