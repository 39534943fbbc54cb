//! The protocol's own share of a ClassifyDocument request, per protocol: read the body,
//! validate it against the model, write a ten-class answer. The HTTP server and the model
//! are left out, so the two codecs compare without the noise of a whole server.
//! `cargo run --release -p comprehend-protocol --example codec_bench -- [wordnet10/test.csv] [rounds]`

use std::time::{Duration, Instant};

use comprehend_protocol::{Operation, cbor, json, validate};
use serde_json::{Value, json};

const ENDPOINT: &str =
    "arn:aws:comprehend:us-east-1:000000000000:document-classifier-endpoint/bench";

fn main() {
    let mut args = std::env::args().skip(1);
    let texts = texts(args.next());
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let json_bodies: Vec<Vec<u8>> = texts.iter().map(|t| json_body(t)).collect();
    let cbor_bodies: Vec<Vec<u8>> = texts.iter().map(|t| cbor_body(t)).collect();
    let output = answer();
    let op = Operation::ClassifyDocument;
    let mut best = [Duration::MAX; 2];
    for _ in 0..rounds {
        // Alternate, so that drift on a shared machine hits both alike.
        best[0] = best[0].min(time(&json_bodies, |body| {
            let value = json::parse_body(body).expect("JSON body");
            let result = validate::validate(op.input_shape(), &value).map(|()| output.clone());
            json::respond(result, Some(op), String::new())
                .response
                .into_body()
                .len()
        }));
        best[1] = best[1].min(time(&cbor_bodies, |body| {
            let value = cbor::parse_body(op.input_shape(), body).expect("CBOR body");
            let result = validate::validate(op.input_shape(), &value).map(|()| output.clone());
            cbor::respond(result, Some(op), String::new())
                .response
                .into_body()
                .len()
        }));
    }
    let n = texts.len() as f64;
    for (name, t, bodies) in [
        ("AWS JSON 1.1", best[0], &json_bodies),
        ("RPC v2 CBOR", best[1], &cbor_bodies),
    ] {
        let bytes: usize = bodies.iter().map(Vec::len).sum();
        println!(
            "{name:13} {:6.2} µs per request (read, validate, answer), {:5.1} request bytes on average",
            t.as_secs_f64() * 1e6 / n,
            bytes as f64 / n
        );
    }
}

/// Runs `one` over every body; the fastest round counts.
fn time(bodies: &[Vec<u8>], mut one: impl FnMut(&[u8]) -> usize) -> Duration {
    let start = Instant::now();
    let written: usize = bodies.iter().map(|b| one(b)).sum();
    std::hint::black_box(written);
    start.elapsed()
}

/// The documents of a labelled CSV (label, text), or a fixed set.
fn texts(path: Option<String>) -> Vec<String> {
    let Some(path) = path else {
        return (0..5_000)
            .map(|i| {
                format!("document {i}: a large bird of prey with a hooked beak and keen sight")
            })
            .collect();
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("CSV file")
        .records()
        .map(|r| r.expect("CSV record")[1].to_owned())
        .collect()
}

fn json_body(text: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"EndpointArn": ENDPOINT, "Text": text})).expect("JSON")
}

fn cbor_body(text: &str) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(2)
        .and_then(|e| e.str("EndpointArn"))
        .and_then(|e| e.str(ENDPOINT))
        .and_then(|e| e.str("Text"))
        .and_then(|e| e.str(text))
        .expect("CBOR");
    e.into_writer()
}

/// A ClassifyDocument answer with ten classes, as the handler returns it.
fn answer() -> Value {
    let classes: Vec<Value> = (0..10)
        .map(|i| json!({"Name": format!("CLASS_{i}"), "Score": 0.5 / f64::from(i + 1)}))
        .collect();
    json!({"Classes": classes})
}
