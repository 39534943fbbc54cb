//! TagResource, UntagResource, ListTagsForResource.

use aws_sdk_comprehend::types::Tag;

use crate::harness::{Env, Wire, code, over_both_wires};

#[tokio::test]
async fn tagging_an_unknown_or_foreign_resource_is_not_found() {
    let env = Env::start().await;
    let tag = Tag::builder().key("team").value("ml").build().unwrap();
    let err = env
        .comprehend
        .tag_resource()
        .resource_arn(env.arn("flywheel/nope"))
        .tags(tag.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = env
        .comprehend
        .list_tags_for_resource()
        .resource_arn("arn:aws:comprehend:us-east-1:000000000000:bad")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "ValidationException",
        "an ARN that breaks the model's pattern"
    );
}

over_both_wires!(tags_are_added_listed_limited_and_removed);

async fn tags_are_added_listed_limited_and_removed(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    env.bucket_with("tags-data", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    let arn = create_tagged_classifier(&env).await;
    env.comprehend
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("team", "ml"))
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    let listed = env
        .comprehend
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.resource_arn(), Some(arn.as_str()));
    let keys: Vec<&str> = listed.tags().iter().map(|t| t.key()).collect();
    assert_eq!(keys, ["created", "env", "team"]);

    assert_tag_limits(&env, &arn).await;
    env.comprehend
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    let keys: Vec<String> = env
        .comprehend
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags()
        .iter()
        .map(|t| t.key().to_owned())
        .collect();
    assert_eq!(keys, ["created", "env"]);

    let err = env
        .comprehend
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("aws:reserved", "x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
}

/// A classifier "tagged" on `s3://tags-data/train.csv`, created with the tag `created`.
async fn create_tagged_classifier(env: &Env) -> String {
    env.comprehend
        .create_document_classifier()
        .document_classifier_name("tagged")
        .data_access_role_arn(crate::harness::ROLE)
        .language_code(aws_sdk_comprehend::types::LanguageCode::En)
        .input_data_config(
            aws_sdk_comprehend::types::DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://tags-data/train.csv")
                .build(),
        )
        .tags(
            Tag::builder()
                .key("created")
                .value("at-create")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap()
}

/// 50 tags at most, counting those already there; nothing changes when refused. At most
/// 50 keys to untag at once.
async fn assert_tag_limits(env: &Env, arn: &str) {
    let mut request = env.comprehend.tag_resource().resource_arn(arn);
    for i in 0..48 {
        request = request.tags(tag(&format!("k{i:02}"), "v"));
    }
    let err = request.send().await.unwrap_err();
    assert_eq!(code(&err), "TooManyTagsException");
    assert_eq!(
        env.comprehend
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        3
    );

    let mut request = env.comprehend.untag_resource().resource_arn(arn);
    for i in 0..51 {
        request = request.tag_keys(format!("k{i}"));
    }
    assert_eq!(
        code(&request.send().await.unwrap_err()),
        "TooManyTagKeysException"
    );
}

/// A tag.
fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

#[tokio::test]
async fn resources_are_isolated_per_account_and_region() {
    let env = Env::start().await;
    env.bucket_with("iso-data", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    let other_account = env.comprehend_as("111122223333", "us-east-1");
    let arn = other_account
        .create_document_classifier()
        .document_classifier_name("mine")
        .data_access_role_arn(crate::harness::ROLE)
        .language_code(aws_sdk_comprehend::types::LanguageCode::En)
        .input_data_config(
            aws_sdk_comprehend::types::DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://iso-data/train.csv")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    assert_eq!(
        arn,
        "arn:aws:comprehend:us-east-1:111122223333:document-classifier/mine"
    );
    let other_region = env.comprehend_as("111122223333", "eu-west-1");
    assert!(
        other_region
            .list_document_classifiers()
            .send()
            .await
            .unwrap()
            .document_classifier_properties_list()
            .is_empty()
    );
    assert_eq!(
        code(
            &other_region
                .describe_document_classifier()
                .document_classifier_arn(&arn)
                .send()
                .await
                .unwrap_err()
        ),
        "ResourceNotFoundException"
    );
    assert!(
        env.comprehend
            .list_document_classifiers()
            .send()
            .await
            .unwrap()
            .document_classifier_properties_list()
            .is_empty()
    );
    assert_eq!(
        other_account
            .list_document_classifiers()
            .send()
            .await
            .unwrap()
            .document_classifier_properties_list()
            .len(),
        1
    );
}
