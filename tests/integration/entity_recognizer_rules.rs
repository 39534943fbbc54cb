//! Custom entity recognizers' request rules through aws-sdk-comprehend: validation,
//! idempotency and tags, StopTraining, the Delete rules, List filters and pages. These
//! servers run no workers (`workers = 0`) unless a test needs training, so statuses stay
//! where a test puts them.

use aws_sdk_comprehend::types::{
    AugmentedManifestsListItem, EntityRecognizerEntityList, EntityRecognizerFilter, LanguageCode,
    ModelStatus, Tag,
};
use comprehend_store::Creation;
use comprehend_store::endpoints::EndpointRecord;
use comprehend_store::entity_recognizers::RecognizerChanges;

use crate::harness::{ACCOUNT, Env, ROLE, code, message};
use crate::ner_support::{annotated, create, describe, types};

fn paused() -> impl FnOnce(&mut comprehend_local::Config) {
    |c| c.workers = Some(0)
}

fn store(env: &Env) -> comprehend_store::Store {
    env.server.as_ref().unwrap().api().state().store.clone()
}

/// Moves a version on as its training job would (the tests of training prove the job).
async fn settle(env: &Env, arn: &str, to: ModelStatus) {
    let store = store(env);
    let to = comprehend_protocol::ModelStatus::parse(to.as_str()).unwrap();
    for step in [comprehend_protocol::ModelStatus::Training, to] {
        assert!(
            store
                .transition_recognizer(arn, step, RecognizerChanges::default())
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn create_checks_its_request() {
    let env = Env::start_with(paused()).await;
    let create_with = |language: LanguageCode, input| {
        env.comprehend
            .create_entity_recognizer()
            .recognizer_name("checked")
            .data_access_role_arn(ROLE)
            .language_code(language)
            .input_data_config(input)
            .send()
    };
    let good = || annotated("b", "docs/", "notes.csv");
    let err = create_with(LanguageCode::Ja, good()).await.unwrap_err();
    assert_eq!(code(&err), "UnsupportedLanguageException");

    let mut neither = good();
    neither.annotations = None;
    let both = {
        let mut input = good();
        input.entity_list = Some(EntityRecognizerEntityList::builder().s3_uri("s3://b/l.csv").build().unwrap());
        input
    };
    let mut duplicated = good();
    duplicated.entity_types = types(&["PERSON", "PERSON"]);
    let mut no_types = good();
    no_types.entity_types = Vec::new();
    let mut half_test = good();
    half_test.documents.as_mut().unwrap().test_s3_uri = Some("s3://b/test/".into());
    let mut manifests_in_csv = good();
    manifests_in_csv.augmented_manifests = Some(vec![
        AugmentedManifestsListItem::builder()
            .s3_uri("s3://b/m.jsonl")
            .attribute_names("a")
            .build()
            .unwrap(),
    ]);
    let mut bad_uri = good();
    bad_uri.documents.as_mut().unwrap().s3_uri = "s3://".into();
    for (what, input) in [
        ("neither annotations nor list", neither),
        ("both", both),
        ("duplicated types", duplicated),
        ("no types", no_types),
        ("test documents without test annotations", half_test),
        ("manifests in CSV", manifests_in_csv),
        ("bad URI", bad_uri),
    ] {
        let err = create_with(LanguageCode::En, input).await.unwrap_err();
        assert!(
            matches!(
                code(&err).as_str(),
                "InvalidRequestException" | "ValidationException"
            ),
            "{what}: {err:?}"
        );
        assert!(!message(&err).is_empty(), "{what}");
    }
    let listed = env.comprehend.list_entity_recognizers().send().await.unwrap();
    assert!(listed.entity_recognizer_properties_list().is_empty());
}

#[tokio::test]
async fn names_tokens_and_tags() {
    let env = Env::start_with(paused()).await;
    let tag = Tag::builder().key("team").value("ner").build().unwrap();
    let send = |token: &'static str, version: &'static str| {
        env.comprehend
            .create_entity_recognizer()
            .recognizer_name("tokened")
            .version_name(version)
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .input_data_config(annotated("b", "docs/", "notes.csv"))
            .client_request_token(token)
            .tags(tag.clone())
            .send()
    };
    let first = send("token-1", "v1").await.unwrap();
    let replayed = send("token-1", "v1").await.unwrap();
    assert_eq!(first.entity_recognizer_arn(), replayed.entity_recognizer_arn());
    let err = send("token-1", "v2").await.unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = send("token-2", "v1").await.unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException", "{}", message(&err));
    let arn = first.entity_recognizer_arn().unwrap();
    let tags = env
        .comprehend
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags()[0].key(), "team");
    let props = describe(&env, arn).await;
    assert_eq!(props.status(), Some(&ModelStatus::Submitted));
    assert_eq!(props.version_name(), Some("v1"));
    assert_eq!(props.data_access_role_arn(), Some(ROLE));
    let listed = env.comprehend.list_entity_recognizers().send().await.unwrap();
    assert_eq!(listed.entity_recognizer_properties_list().len(), 1, "one version");
}

#[tokio::test]
async fn stop_training_ends_stopped_and_a_stopped_version_can_be_deleted() {
    let env = Env::start_with(paused()).await;
    let arn = create(&env, "stopped", None, annotated("b", "docs/", "notes.csv")).await;
    let stop = || {
        env.comprehend
            .stop_training_entity_recognizer()
            .entity_recognizer_arn(&arn)
            .send()
    };
    stop().await.unwrap();
    assert_eq!(describe(&env, &arn).await.status(), Some(&ModelStatus::StopRequested));
    stop().await.unwrap();
    env.drain().await;
    let props = describe(&env, &arn).await;
    assert_eq!(props.status(), Some(&ModelStatus::Stopped));
    assert!(props.end_time().is_some());
    stop().await.expect("stopping a stopped version does nothing");

    let missing = env.arn("entity-recognizer/none");
    let err = env
        .comprehend
        .stop_training_entity_recognizer()
        .entity_recognizer_arn(&missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");

    let delete = || env.comprehend.delete_entity_recognizer().entity_recognizer_arn(&arn).send();
    delete().await.unwrap();
    assert_eq!(describe(&env, &arn).await.status(), Some(&ModelStatus::Deleting));
    delete().await.expect("a retried delete answers as the first did");
    env.drain().await;
    let err = env
        .comprehend
        .describe_entity_recognizer()
        .entity_recognizer_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn delete_only_finished_versions_no_endpoint_serves() {
    let env = Env::start_with(paused()).await;
    let input = || annotated("b", "docs/", "notes.csv");
    let training = create(&env, "busy", None, input()).await;
    let delete = |arn: String| {
        env.comprehend.delete_entity_recognizer().entity_recognizer_arn(arn).send()
    };
    let err = delete(training.clone()).await.unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException", "SUBMITTED");

    let served = create(&env, "served", Some("v1"), input()).await;
    settle(&env, &served, ModelStatus::Trained).await;
    let endpoint = EndpointRecord {
        seq: 0,
        arn: env.arn("entity-recognizer-endpoint/ep"),
        account: ACCOUNT.into(),
        region: "us-east-1".into(),
        name: "ep".into(),
        status: comprehend_protocol::EndpointStatus::InService,
        message: None,
        model_arn: Some(served.clone()),
        desired_model_arn: Some(served.clone()),
        desired_inference_units: 1,
        current_inference_units: Some(1),
        data_access_role_arn: None,
        desired_data_access_role_arn: None,
        flywheel_arn: None,
        creation_time: 1,
        last_modified_time: 1,
    };
    store(&env).insert_endpoint(&endpoint, &Creation::default()).await.unwrap();
    let err = delete(served.clone()).await.unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    assert!(message(&err).contains("entity-recognizer-endpoint/ep"), "{}", message(&err));

    let failed = create(&env, "failed", None, input()).await;
    settle(&env, &failed, ModelStatus::InError).await;
    delete(failed.clone()).await.unwrap();
    env.drain().await;
    let listed = env.comprehend.list_entity_recognizers().send().await.unwrap();
    let arns: Vec<&str> = listed
        .entity_recognizer_properties_list()
        .iter()
        .map(|p| p.entity_recognizer_arn().unwrap())
        .collect();
    assert!(!arns.contains(&failed.as_str()), "{arns:?}");
    assert_eq!(arns.len(), 2);
}

#[tokio::test]
async fn list_filters_and_pages() {
    let env = Env::start_with(paused()).await;
    let input = || annotated("b", "docs/", "notes.csv");
    let mut arns = Vec::new();
    for version in ["v1", "v2", "v3"] {
        arns.push(create(&env, "paged", Some(version), input()).await);
    }
    let other = create(&env, "other", None, input()).await;
    settle(&env, &other, ModelStatus::InError).await;

    let mut seen = Vec::new();
    let mut next = None;
    loop {
        let page = env
            .comprehend
            .list_entity_recognizers()
            .max_results(1)
            .set_next_token(next)
            .send()
            .await
            .unwrap();
        assert!(page.entity_recognizer_properties_list().len() <= 1);
        seen.extend(
            page.entity_recognizer_properties_list()
                .iter()
                .map(|p| p.entity_recognizer_arn().unwrap().to_owned()),
        );
        next = page.next_token().map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 4);

    let filtered = |filter: EntityRecognizerFilter| {
        env.comprehend.list_entity_recognizers().filter(filter).send()
    };
    let by_name = filtered(EntityRecognizerFilter::builder().recognizer_name("paged").build());
    assert_eq!(by_name.await.unwrap().entity_recognizer_properties_list().len(), 3);
    let in_error = filtered(EntityRecognizerFilter::builder().status(ModelStatus::InError).build());
    let in_error = in_error.await.unwrap();
    assert_eq!(in_error.entity_recognizer_properties_list().len(), 1);
    assert_eq!(
        in_error.entity_recognizer_properties_list()[0].entity_recognizer_arn(),
        Some(other.as_str())
    );
    let future = aws_sdk_comprehend::primitives::DateTime::from_secs(4_102_444_800);
    let after = filtered(EntityRecognizerFilter::builder().submit_time_after(future).build());
    assert!(after.await.unwrap().entity_recognizer_properties_list().is_empty());
    let before = filtered(EntityRecognizerFilter::builder().submit_time_before(future).build());
    assert_eq!(before.await.unwrap().entity_recognizer_properties_list().len(), 4);
    let two = EntityRecognizerFilter::builder()
        .recognizer_name("paged")
        .status(ModelStatus::Submitted)
        .build();
    let err = filtered(two).await.unwrap_err();
    assert_eq!(code(&err), "InvalidFilterException");

    let summaries = env
        .comprehend
        .list_entity_recognizer_summaries()
        .max_results(1)
        .send()
        .await
        .unwrap();
    let first = &summaries.entity_recognizer_summaries_list()[0];
    assert_eq!(first.recognizer_name(), Some("paged"));
    assert_eq!(first.number_of_versions(), Some(3));
    assert_eq!(first.latest_version_name(), Some("v3"));
    assert!(summaries.next_token().is_some());
}
