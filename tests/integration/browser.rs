//! The console in a real browser: Debian's headless Chromium, driven over WebDriver
//! (chromedriver) with fantoccini. The test walks a trained flywheel's pages as a user
//! would, asserts on the rendered DOM against what the API answers, and saves a
//! screenshot of each page under `target/console-screenshots/`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::console::{SCRIPT, Walked, classifier_with_output, walked_flywheel};
use crate::harness::{Env, endpoint_ready};

/// A chromedriver child process, killed on drop.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free port and opens a headless Chromium session.
async fn browser() -> (Driver, Client) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (tests/run.sh installs Debian's chromium-driver)");
    let driver = Driver(child);
    // The flags keep Chromium off the network (this machine has none) and fit a root
    // user in a container.
    let options = json!({
        "binary": "/usr/bin/chromium",
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1800"]
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let session = ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match session {
            Ok(client) => return (driver, client),
            Err(e) if started.elapsed() > Duration::from_secs(30) => {
                panic!("no browser session: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Saves the page as `target/console-screenshots/<name>.png`, `height` pixels high.
async fn screenshot(client: &Client, name: &str, height: u32) {
    client.set_window_size(1280, height).await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Clicks what `locator` finds, then waits for `css` on the page it leads to (a click's
/// navigation may still be under way when the click returns).
async fn follow(client: &Client, locator: Locator<'_>, css: &str) {
    client.find(locator).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} after the click: {e}"));
}

/// The `data-` attribute `name` of every element `css` matches.
async fn attrs(client: &Client, css: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        values.push(element.attr(name).await.unwrap().unwrap_or_default());
    }
    values
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_walks_the_console_in_a_browser() {
    let env = Env::start().await;
    let walked = walked_flywheel(&env).await;
    let matrix_model = classifier_with_output(&env).await;
    let (_driver, client) = browser().await;

    flywheel_pages(&env, &client, &walked).await;
    heat_map(&env, &client, &matrix_model).await;
    try_it(&env, &client, &walked).await;
    client.close().await.unwrap();
}

/// The flywheel list links to the flywheel; its chart's points are the iteration's F1s;
/// promotion shows; the scripted tag is text.
async fn flywheel_pages(env: &Env, client: &Client, walked: &Walked) {
    client.goto(&format!("{}/console", env.url)).await.unwrap();
    follow(client, Locator::LinkText("console-fw"), "circle.point").await;
    let evaluated = attrs(client, "circle.point.evaluated", "data-f1").await;
    let trained = attrs(client, "circle.point.trained", "data-f1").await;
    assert_eq!(evaluated, [format!("{:.4}", walked.evaluated)]);
    assert_eq!(trained, [format!("{:.4}", walked.trained)]);
    let scripts = client
        .execute("return document.scripts.length", vec![])
        .await
        .unwrap();
    assert_eq!(scripts, json!(0), "the tag did not become a script");
    let tags = client
        .find(Locator::Css("table.tags"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tags.contains(SCRIPT), "the tag shows as written: {tags}");

    env.comprehend
        .update_flywheel()
        .flywheel_arn(&walked.flywheel)
        .active_model_arn(&walked.new_version)
        .send()
        .await
        .unwrap();
    client.refresh().await.unwrap();
    let promoted = attrs(client, "line.promotion", "data-iteration").await;
    assert_eq!(promoted, std::slice::from_ref(&walked.iteration));
    screenshot(client, "flywheel", 1150).await;
}

/// A classifier's page shows one heat-map cell per pair of labels, matching the counts.
async fn heat_map(env: &Env, client: &Client, model: &str) {
    client
        .goto(&format!("{}/console/models", env.url))
        .await
        .unwrap();
    follow(client, Locator::LinkText("matrix"), "rect.cell").await;
    let counts = attrs(client, "rect.cell", "data-count").await;
    let diagonal = attrs(client, "rect.cell.diagonal", "data-count").await;
    let labels = diagonal.len();
    assert!(labels >= 2 && counts.len() == labels * labels, "{counts:?}");
    let props = env
        .comprehend
        .describe_document_classifier()
        .document_classifier_arn(model)
        .send()
        .await
        .unwrap();
    let tested = props
        .document_classifier_properties()
        .unwrap()
        .classifier_metadata()
        .unwrap()
        .number_of_test_documents()
        .unwrap();
    let total: i64 = counts.iter().map(|c| c.parse::<i64>().unwrap()).sum();
    assert_eq!(
        total,
        i64::from(tested),
        "every test document is in one cell"
    );
    screenshot(client, "model", 1700).await;
}

/// The try-it box of an endpoint on the flywheel answers what ClassifyDocument answers.
async fn try_it(env: &Env, client: &Client, walked: &Walked) {
    let endpoint = env
        .comprehend
        .create_endpoint()
        .endpoint_name("browser")
        .flywheel_arn(&walked.flywheel)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    endpoint_ready(&env.comprehend, &endpoint).await;
    let text = "a large bird of prey with a hooked beak";
    let api = env
        .comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(text)
        .send()
        .await
        .unwrap();
    client
        .goto(&format!("{}/console/endpoints", env.url))
        .await
        .unwrap();
    follow(client, Locator::LinkText("browser"), "form.try-it textarea").await;
    client
        .find(Locator::Css("form.try-it textarea"))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
    follow(client, Locator::Css("form.try-it button"), "tr.score").await;
    let names = attrs(client, "tr.score", "data-name").await;
    let scores = attrs(client, "tr.score", "data-score").await;
    let best = &api.classes()[0];
    assert_eq!(names.len(), api.classes().len());
    assert_eq!(names[0], best.name().unwrap());
    assert_eq!(scores[0], format!("{:.4}", best.score().unwrap()));
    screenshot(client, "endpoint", 900).await;
}
