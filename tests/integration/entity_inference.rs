//! Custom entity recognizers in service: recognizer endpoints and DetectEntities on a
//! recognizer trained from generated sentences (no fixture files: the data is written by
//! `corpus` below). The jobs on the same recognizer are in `entity_jobs`.

use aws_sdk_comprehend::types::{
    EndpointStatus, EntityRecognizerDocuments, EntityRecognizerEntityList,
    EntityRecognizerInputDataConfig, EntityTypesListItem, InputDataConfig, LanguageCode,
    ModelStatus, OutputDataConfig,
};

use crate::harness::{Env, ROLE, Wire, code, endpoint_ready, message, over_both_wires, wait_for};

/// The custom entity type the test recognizer finds.
pub(crate) const DEVICE: &str = "DEVICE";

const DEVICES: &[&str] = &[
    "Pixel 7",
    "Galaxy S23",
    "ThinkPad X1",
    "Kindle Oasis",
    "Surface Pro",
    "MacBook Air",
    "Apple Watch",
    "Echo Dot",
    "Fire Stick",
    "Chromecast",
    "Xperia 5",
    "Nokia G60",
];

const TEMPLATES: &[&str] = &[
    "I bought a {} last week and it works well.",
    "My {} stopped charging yesterday.",
    "The store had the {} on sale for the holidays.",
    "She returned the {} because the screen cracked.",
    "Can the {} connect to my television?",
    "We gave our daughter a {} for her birthday.",
    "The battery of the {} lasts two days.",
    "He dropped his {} in the lake.",
    // Capitalised words, accents and colons that are not devices, so that the model does
    // not learn "capitalised means DEVICE".
    "Anna said: the {} in Paris was cheaper.",
    "On Monday, Café Luna showed the {} to Tom.",
    "Note: Berlin shops sell the {} too.",
    "Déjà vu: Oscar lost his {} in Madrid.",
];

/// Sentences without a device.
const PLAIN: &[&str] = &[
    "Café Luna in Paris opens on Monday.",
    "Anna and Tom met in Berlin: it rained.",
    "Oscar wrote to Madrid about the weather.",
    "Déjà vu: the Monday meeting moved again.",
];

/// Generated training documents (one per line) and the entity list naming the devices.
pub(crate) fn corpus() -> (String, String) {
    let mut documents = String::new();
    for i in 0..240 {
        let device = DEVICES[i % DEVICES.len()];
        let template = TEMPLATES[(i / DEVICES.len()) % TEMPLATES.len()];
        documents.push_str(&template.replace("{}", device));
        documents.push('\n');
        if i % 4 == 0 {
            documents.push_str(PLAIN[(i / 4) % PLAIN.len()]);
            documents.push('\n');
        }
    }
    let mut list = String::from("Text,Type\n");
    for device in DEVICES {
        list.push_str(&format!("{device},{DEVICE}\n"));
    }
    (documents, list)
}

/// Trains a recognizer on the generated corpus and waits until it is TRAINED.
pub(crate) async fn trained_recognizer(env: &Env, bucket: &str, name: &str) -> String {
    train_with(&env.comprehend, &env.s3, bucket, name).await
}

pub(crate) async fn put(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    body: impl Into<Vec<u8>>,
) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(aws_sdk_s3::primitives::ByteStream::from(body.into()))
        .send()
        .await
        .expect("put object");
}

pub(crate) async fn train_with(
    comprehend: &aws_sdk_comprehend::Client,
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    name: &str,
) -> String {
    let (documents, list) = corpus();
    s3.create_bucket().bucket(bucket).send().await.ok();
    put(s3, bucket, "train/documents.txt", documents).await;
    put(s3, bucket, "train/entities.csv", list).await;
    let created = comprehend
        .create_entity_recognizer()
        .recognizer_name(name)
        .language_code(LanguageCode::En)
        .data_access_role_arn(ROLE)
        .input_data_config(
            EntityRecognizerInputDataConfig::builder()
                .entity_types(
                    EntityTypesListItem::builder()
                        .r#type(DEVICE)
                        .build()
                        .unwrap(),
                )
                .documents(
                    EntityRecognizerDocuments::builder()
                        .s3_uri(format!("s3://{bucket}/train/documents.txt"))
                        .build()
                        .unwrap(),
                )
                .entity_list(
                    EntityRecognizerEntityList::builder()
                        .s3_uri(format!("s3://{bucket}/train/entities.csv"))
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("CreateEntityRecognizer");
    let arn = created.entity_recognizer_arn().unwrap().to_owned();
    let status = finished_recognizer(comprehend, &arn).await;
    assert_eq!(status, ModelStatus::Trained, "recognizer {arn}");
    arn
}

async fn finished_recognizer(comprehend: &aws_sdk_comprehend::Client, arn: &str) -> ModelStatus {
    wait_for(&format!("{arn} to finish training"), 180, || async {
        let props = comprehend
            .describe_entity_recognizer()
            .entity_recognizer_arn(arn)
            .send()
            .await
            .ok()?
            .entity_recognizer_properties?;
        match props.status()? {
            ModelStatus::Submitted | ModelStatus::Training | ModelStatus::StopRequested => None,
            status => Some(status.clone()),
        }
    })
    .await
}

/// A recognizer endpoint in service.
pub(crate) async fn recognizer_endpoint(env: &Env, model: &str, name: &str) -> String {
    let created = env
        .comprehend
        .create_endpoint()
        .endpoint_name(name)
        .model_arn(model)
        .desired_inference_units(1)
        .send()
        .await
        .expect("CreateEndpoint");
    let arn = created.endpoint_arn().unwrap().to_owned();
    assert_eq!(arn, env.arn(&format!("entity-recognizer-endpoint/{name}")));
    let props = endpoint_ready(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&EndpointStatus::InService),
        "{props:?}"
    );
    arn
}

/// (begin, end, text, type) of every entity DetectEntities finds.
pub(crate) async fn detect(
    env: &Env,
    endpoint: &str,
    text: &str,
) -> Vec<(i32, i32, String, String)> {
    let out = env
        .comprehend
        .detect_entities()
        .endpoint_arn(endpoint)
        .text(text)
        .language_code(LanguageCode::Fr) // ignored with an endpoint
        .send()
        .await
        .expect("DetectEntities");
    out.entities()
        .iter()
        .map(|e| {
            let score = e.score().unwrap();
            assert!(score > 0.0 && score <= 1.0, "score {score}");
            (
                e.begin_offset().unwrap(),
                e.end_offset().unwrap(),
                e.text().unwrap().to_owned(),
                e.r#type().unwrap().as_str().to_owned(),
            )
        })
        .collect()
}

/// The code-point span of `needle` in `text`.
fn char_span(text: &str, needle: &str) -> (i32, i32) {
    let byte = text.find(needle).expect("needle in text");
    let begin = text[..byte].chars().count() as i32;
    (begin, begin + needle.chars().count() as i32)
}

over_both_wires!(endpoint_finds_entities_with_code_point_offsets);

async fn endpoint_finds_entities_with_code_point_offsets(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    let model = trained_recognizer(&env, "ner-ep", "devices").await;
    let endpoint = recognizer_endpoint(&env, &model, "devices").await;

    let text = "😀 Café déjà-vu: I bought a Pixel 7 last week and it works well.";
    let found = detect(&env, &endpoint, text).await;
    let (begin, end) = char_span(text, "Pixel 7");
    assert_eq!(
        found,
        [(begin, end, "Pixel 7".to_owned(), DEVICE.to_owned())]
    );
    let chars: Vec<char> = text.chars().collect();
    let sliced: String = chars[begin as usize..end as usize].iter().collect();
    assert_eq!(sliced, "Pixel 7");

    let two = "My Galaxy S23 stopped charging, so I bought a Kindle Oasis.";
    let found = detect(&env, &endpoint, two).await;
    let texts: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(texts, ["Galaxy S23", "Kindle Oasis"]);
    assert!(
        found.windows(2).all(|w| w[0].1 <= w[1].0),
        "in order, no overlaps"
    );
    assert!(
        detect(&env, &endpoint, "Nothing to see here.")
            .await
            .is_empty()
    );

    let err = env
        .comprehend
        .detect_entities()
        .endpoint_arn(&endpoint)
        .text("a".repeat(5_001))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "TextSizeLimitExceededException",
        "{}",
        message(&err)
    );
    assert!(
        env.comprehend
            .detect_entities()
            .endpoint_arn(&endpoint)
            .text("é".repeat(2_500))
            .send()
            .await
            .is_ok(),
        "5,000 bytes are accepted"
    );

    let err = env
        .comprehend
        .delete_entity_recognizer()
        .entity_recognizer_arn(&model)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException", "{}", message(&err));

    let err = env
        .comprehend
        .detect_entities()
        .endpoint_arn(env.arn("entity-recognizer-endpoint/missing"))
        .text("My Pixel 7.")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceUnavailableException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_ready_endpoints_and_untrained_models_are_refused() {
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    // Without an endpoint DetectEntities reads the built-in types (builtin_analysis.rs); the
    // asynchronous job of the built-in types is not emulated yet.
    let err = env
        .comprehend
        .start_entities_detection_job()
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://bkt/in/")
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://bkt/out/")
                .build()
                .unwrap(),
        )
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    assert!(message(&err).contains("built-in"), "{}", message(&err));
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("nothing")
        .model_arn(env.arn("entity-recognizer/none"))
        .desired_inference_units(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

/// boto3, unchanged: training, an endpoint, DetectEntities on multi-byte text and a job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_recognizer_end_to_end() {
    let env = Env::start().await;
    let out = std::process::Command::new(crate::harness::tool("python3"))
        .arg(crate::harness::fixture_path("boto3_entities.py"))
        .arg(&env.url)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("boto3 entities OK"),
        "boto3 script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
