//! The console over plain HTTP: its pages show what the API answers, in the page's
//! account and region, with every user-supplied string escaped.

use aws_sdk_comprehend::types::{DatasetType, Tag};

use crate::harness::{
    Env, ROLE, create_dataset, finished_classifier, finished_iteration, served_endpoint,
    settled_dataset, settled_flywheel, start_iteration, trained_wordnet,
};

pub(crate) const SCRIPT: &str = "<script>alert(1)</script>";

/// GETs a console page the way a browser does (unsigned); returns status and body.
async fn page(env: &Env, path: &str, query: &[(&str, &str)]) -> (u16, String) {
    let url = reqwest::Url::parse_with_params(&format!("{}{path}", env.url), query).unwrap();
    let response = reqwest::Client::new()
        .get(url)
        .send()
        .await
        .expect("console answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// The `data-` attributes the chart gives an iteration's point of `series`.
fn point(series: &str, iteration: &str, f1: f64) -> String {
    format!(r#"data-series="{series}" data-iteration="{iteration}" data-f1="{f1:.4}""#)
}

/// A flywheel as the walkthrough leaves it before promotion: one finished iteration,
/// tagged with a script.
pub(crate) struct Walked {
    pub flywheel: String,
    pub iteration: String,
    pub evaluated: f64,
    pub trained: f64,
    pub new_version: String,
}

pub(crate) async fn walked_flywheel(env: &Env) -> Walked {
    let model = trained_wordnet(env, "console-data", "console").await;
    env.s3
        .create_bucket()
        .bucket("console-lake")
        .send()
        .await
        .unwrap();
    let tag = Tag::builder().key("owner").value(SCRIPT).build().unwrap();
    let flywheel = env
        .comprehend
        .create_flywheel()
        .flywheel_name("console-fw")
        .active_model_arn(&model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://console-lake/lake")
        .tags(tag)
        .send()
        .await
        .unwrap()
        .flywheel_arn
        .unwrap();
    settled_flywheel(&env.comprehend, &flywheel).await;
    let uri = "s3://console-data/more.csv";
    let more = create_dataset(env, &flywheel, "more", DatasetType::Train, uri).await;
    settled_dataset(&env.comprehend, &more).await;
    let iteration = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &iteration).await;
    Walked {
        evaluated: it
            .evaluated_model_metrics()
            .unwrap()
            .average_f1_score()
            .unwrap(),
        trained: it
            .trained_model_metrics()
            .unwrap()
            .average_f1_score()
            .unwrap(),
        new_version: it.trained_model_arn().unwrap().to_owned(),
        flywheel,
        iteration,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flywheel_page_charts_its_iterations_and_marks_promotion() {
    let env = Env::start().await;
    let Walked {
        flywheel,
        iteration: id,
        evaluated,
        trained,
        new_version,
    } = walked_flywheel(&env).await;

    let (status, html) = page(&env, "/console/flywheel", &[("arn", &flywheel)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&point("evaluated", &id, evaluated)), "{html}");
    assert!(html.contains(&point("trained", &id, trained)), "{html}");
    assert!(!html.contains("class=\"promotion\""), "not promoted yet");
    assert!(html.contains("<td>more</td>"), "the dataset is listed");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the tag is shown as text"
    );
    assert!(!html.contains(SCRIPT), "no user string is markup");

    env.comprehend
        .update_flywheel()
        .flywheel_arn(&flywheel)
        .active_model_arn(&new_version)
        .send()
        .await
        .unwrap();
    let (_, html) = page(&env, "/console/flywheel", &[("arn", &flywheel)]).await;
    let promotion =
        format!(r#"class="promotion" x1="336" x2="336" y1="16" y2="220" data-iteration="{id}""#);
    assert!(html.contains(&promotion), "the promotion is marked: {html}");

    // Both versions are on the models page, each linking to its own page.
    let (_, models) = page(&env, "/console/models", &[]).await;
    assert!(
        models.contains("version%2Fv1")
            && models.contains(&new_version.replace(':', "%3A").replace('/', "%2F")),
        "{models}"
    );
    let (status, version) = page(&env, "/console/model", &[("arn", &new_version)]).await;
    assert_eq!(status, 200);
    assert!(
        version.contains("F1 (macro)") && version.contains("TRAINED"),
        "{version}"
    );
    // A version the flywheel trained keeps its confusion matrix in the data lake.
    assert_eq!(
        version.matches("<rect class=\"cell").count(),
        10 * 10,
        "{version}"
    );
    assert_jobs_page(&env, &id).await;
}

/// The jobs page shows the work behind the walked flywheel: two trainings, the ingestion
/// of "more" (3,000 documents) and the iteration.
async fn assert_jobs_page(env: &Env, id: &str) {
    let (_, jobs) = page(env, "/console/jobs", &[]).await;
    let section = |from: &str, to: &str| {
        let start = jobs.find(from).unwrap();
        jobs[start..start + jobs[start..].find(to).unwrap()].to_owned()
    };
    let training = section("<h2>Training</h2>", "<h2>Dataset ingestion</h2>");
    assert_eq!(training.matches("<tr>").count(), 1 + 2, "{training}");
    let ingestion = section("<h2>Dataset ingestion</h2>", "<h2>Flywheel iterations</h2>");
    assert!(
        ingestion.contains("<td>more</td>") && ingestion.contains("3000 documents"),
        "{ingestion}"
    );
    let iterations = section(
        "<h2>Flywheel iterations</h2>",
        "<h2>Document classification jobs</h2>",
    );
    assert!(
        iterations.contains(&format!("<td>{id}</td>")),
        "{iterations}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_the_scope_escape_messages_and_refuse_unknown_resources() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("console-bad")
        .send()
        .await
        .unwrap();
    // A classifier in another account and region, on data that does not exist: its
    // message quotes the S3 URI, which may hold any character.
    let other = env.comprehend_as("111122223333", "eu-west-1");
    let uri = format!("s3://console-bad/{SCRIPT}.csv");
    let arn = other
        .create_document_classifier()
        .document_classifier_name("broken")
        .data_access_role_arn(ROLE)
        .language_code(aws_sdk_comprehend::types::LanguageCode::En)
        .input_data_config(
            aws_sdk_comprehend::types::DocumentClassifierInputDataConfig::builder()
                .s3_uri(&uri)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    let failed = finished_classifier(&other, &arn).await;
    assert!(failed.message().unwrap().contains(SCRIPT));

    // Without a scope the console opens in the last request's account and region.
    let (_, models) = page(&env, "/console/models", &[]).await;
    assert!(
        models.contains(">broken<") && models.contains("IN_ERROR"),
        "{models}"
    );
    let (_, elsewhere) = page(
        &env,
        "/console/models",
        &[("account", "000000000000"), ("region", "us-east-1")],
    )
    .await;
    assert!(!elsewhere.contains(">broken<"), "{elsewhere}");

    let scope = [
        ("account", "111122223333"),
        ("region", "eu-west-1"),
        ("arn", arn.as_str()),
    ];
    let (status, detail) = page(&env, "/console/model", &scope).await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"),
        "{detail}"
    );
    assert!(!detail.contains(SCRIPT), "{detail}");

    let missing = env.arn("flywheel/none");
    let (status, html) = page(&env, "/console/flywheel", &[("arn", &missing)]).await;
    assert_eq!(status, 404);
    assert!(html.contains("ResourceNotFoundException"), "{html}");
    assert_eq!(page(&env, "/console/flywheel", &[]).await.0, 400);
    assert_eq!(page(&env, "/console/nothing-here", &[]).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_can_be_turned_off_and_never_answers_signed_requests() {
    let env = Env::start_with(|c| c.console = false).await;
    let (status, body) = page(&env, "/console/flywheels", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("NoSuchBucket"), "S3 answers instead: {body}");

    // With the console on, S3 clients still reach a bucket named "console".
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("console")
        .send()
        .await
        .unwrap();
    env.put("console", "flywheels", "an object").await;
    assert_eq!(env.get("console", "flywheels").await, b"an object");
    let (status, html) = page(&env, "/console/flywheels", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("No flywheels"), "{html}");
}

/// POSTs the try-it form of an endpoint's page; returns status and body.
async fn try_it(env: &Env, endpoint: &str, text: &str) -> (u16, String) {
    let url = format!("{}/console/endpoint", env.url);
    let url = reqwest::Url::parse_with_params(&url, [("arn", endpoint)]).unwrap();
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("text", text)]).unwrap())
        .send()
        .await
        .expect("console answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_try_it_box_answers_as_the_api_does() {
    let env = Env::start().await;
    let model = trained_wordnet(&env, "try-data", "try").await;
    let endpoint = served_endpoint(&env, &model, "try").await;
    let text = "a person who paints pictures";
    let api = env
        .comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(text)
        .send()
        .await
        .unwrap();
    let best = &api.classes()[0];
    let (status, html) = try_it(&env, &endpoint, text).await;
    assert_eq!(status, 200);
    let first_row = format!(
        r#"<tr class="score" data-name="{}" data-score="{:.4}">"#,
        best.name().unwrap(),
        best.score().unwrap()
    );
    let first = html.find("<tr class=\"score\"").expect("scores are shown");
    assert!(
        html[first..].starts_with(&first_row),
        "best first: {}",
        &html[first..first + 120]
    );
    assert_eq!(
        html.matches("<tr class=\"score\"").count(),
        10,
        "every class"
    );

    let (_, html) = try_it(&env, &endpoint, &"x".repeat(10_001)).await;
    assert!(html.contains("TextSizeLimitExceededException"), "{html}");
    let (_, html) = try_it(&env, &endpoint, "").await;
    assert!(html.contains("ValidationException"), "{html}");

    let recognizer = crate::entity_inference::trained_recognizer(&env, "try-ner", "devices").await;
    let ner = crate::entity_inference::recognizer_endpoint(&env, &recognizer, "devices").await;
    let (status, html) = try_it(&env, &ner, "I bought a Pixel 7 <b>last</b> week.").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<mark class="entity" data-type="DEVICE""#)
            && html.contains(">Pixel 7<sub>DEVICE</sub></mark>"),
        "{html}"
    );
    assert!(
        html.contains("&lt;b&gt;last&lt;/b&gt; week."),
        "the text stays text: {html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classifier_page_draws_its_confusion_matrix() {
    use std::io::Read;
    let env = Env::start().await;
    let arn = classifier_with_output(&env).await;
    let props = finished_classifier(&env.comprehend, &arn).await;
    let output = props.output_data_config().unwrap().s3_uri().unwrap();
    let key = output.strip_prefix("s3://matrix-data/").unwrap();
    let archive = env.get("matrix-data", key).await;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()));
    let mut json = String::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().ends_with("confusion_matrix.json") {
            entry.read_to_string(&mut json).unwrap();
        }
    }
    let written: serde_json::Value = serde_json::from_str(&json).unwrap();
    let labels: Vec<&str> = written["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();

    let (status, html) = page(&env, "/console/model", &[("arn", &arn)]).await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<rect class=\"cell").count(),
        labels.len() * labels.len(),
        "{html}"
    );
    for (i, actual) in labels.iter().enumerate() {
        for (j, predicted) in labels.iter().enumerate() {
            let count = &written["confusion_matrix"][i][j];
            let cell = format!(
                r#"data-actual="{actual}" data-predicted="{predicted}" data-count="{count}""#
            );
            assert!(html.contains(&cell), "{cell}");
        }
    }
}

/// A classifier trained (and finished) with an output location, so that its confusion
/// matrix exists.
pub(crate) async fn classifier_with_output(env: &Env) -> String {
    env.bucket_with("matrix-data", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    let arn = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("matrix")
        .data_access_role_arn(ROLE)
        .language_code(aws_sdk_comprehend::types::LanguageCode::En)
        .input_data_config(
            aws_sdk_comprehend::types::DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://matrix-data/train.csv")
                .build(),
        )
        .output_data_config(
            aws_sdk_comprehend::types::DocumentClassifierOutputDataConfig::builder()
                .s3_uri("s3://matrix-data/out/")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    finished_classifier(&env.comprehend, &arn).await;
    arn
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_s3_browser_lists_folders_and_previews_objects() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("browse")
        .send()
        .await
        .unwrap();
    let lines: String = (0..100)
        .map(|i| format!("LABEL_{i},document {i}\n"))
        .collect();
    env.put("browse", "data/train.csv", lines.clone()).await;
    env.put("browse", "data/nested/deep.txt", "deep").await;
    // A key is any text: markup in one (without a slash, which would make a folder).
    env.put("browse", "<img src=x onerror=alert(1)>.txt", "x")
        .await;

    let (status, html) = page(&env, "/console/s3", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains(">browse</a>"), "{html}");

    let (_, root) = page(&env, "/console/s3", &[("bucket", "browse"), ("prefix", "")]).await;
    assert!(root.contains(">data/</a>"), "{root}");
    assert!(
        root.contains("&lt;img src=x onerror=alert(1)&gt;.txt"),
        "{root}"
    );
    assert!(!root.contains("<img"), "{root}");

    let (_, data) = page(
        &env,
        "/console/s3",
        &[("bucket", "browse"), ("prefix", "data/")],
    )
    .await;
    assert!(
        data.contains(">nested/</a>") && data.contains(">train.csv</a>"),
        "{data}"
    );
    let size = format!(r#"data-size="{}""#, lines.len());
    assert!(data.contains(&size), "{data}");

    let (_, preview) = page(
        &env,
        "/console/s3",
        &[("bucket", "browse"), ("key", "data/train.csv")],
    )
    .await;
    assert!(
        preview.contains("LABEL_0,document 0\nLABEL_1,document 1"),
        "{preview}"
    );
    assert!(
        preview.contains("LABEL_19,") && !preview.contains("LABEL_20,"),
        "20 lines: {preview}"
    );

    let (_, missing) = page(&env, "/console/s3", &[("bucket", "nope"), ("prefix", "")]).await;
    assert!(missing.contains("No such bucket"), "{missing}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_in_training_shows_its_progress() {
    let env = Env::start_with(|c| c.workers = Some(1)).await;
    env.s3
        .create_bucket()
        .bucket("progress")
        .send()
        .await
        .unwrap();
    let big = crate::durability::synthetic_csv(60_000, 40);
    env.put("progress", "big.csv", big).await;
    let arn = crate::harness::create_classifier(&env, "slow", None, "s3://progress/big.csv").await;
    crate::harness::training_started(&env.comprehend, &arn).await;
    let shown = crate::harness::wait_for("the progress on the page", 60, || async {
        let (_, html) = page(&env, "/console/model", &[("arn", &arn)]).await;
        let start = html.find(r#"<span class="progress">"#)?;
        Some(html[start..start + html[start..].find("</span>")?].to_owned())
    })
    .await;
    assert!(shown.len() > r#"<span class="progress">"#.len(), "{shown}");
    let (_, list) = page(&env, "/console/models", &[]).await;
    assert!(
        list.contains(r#"<span class="progress">"#) || list.contains("TRAINED"),
        "{list}"
    );
    env.comprehend
        .stop_training_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap();
    finished_classifier(&env.comprehend, &arn).await;
    let (_, done) = page(&env, "/console/model", &[("arn", &arn)]).await;
    assert!(
        !done.contains(r#"<span class="progress">"#),
        "gone once it ends: {done}"
    );
}
