//! Quality of the NAME and ADDRESS finder on the held-out set
//! `benches/data/pii/names-test.jsonl` (wikigold's test sentences and generated en/es texts
//! from other templates and seeds than the training data): precision, recall and F1 per type,
//! by exact span and by overlap, overall and per source, and the time per document.
//!
//! `cargo run --release -p comprehend-builtin --example pii_names_quality [-- FILE]`

use std::collections::BTreeMap;
use std::time::Instant;

use comprehend_builtin::Language;
use comprehend_builtin::pii::{self, PiiType};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    text: String,
    entities: Vec<Gold>,
    source: String,
}

#[derive(Deserialize)]
struct Gold {
    #[serde(rename = "type")]
    kind: String,
    begin: usize,
    end: usize,
}

/// Counts of one (source, type): predictions, gold spans, and the matches of each kind.
#[derive(Default, Clone, Copy)]
struct Tally {
    predicted: usize,
    gold: usize,
    exact: usize,
    pred_overlapping: usize,
    gold_overlapped: usize,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.exact += o.exact;
        self.pred_overlapping += o.pred_overlapping;
        self.gold_overlapped += o.gold_overlapped;
    }
}

fn prf(hit_p: usize, predicted: usize, hit_r: usize, gold: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(hit_p, predicted), ratio(hit_r, gold));
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

type Spans = Vec<(usize, usize)>;

fn tally(pred: &Spans, gold: &Spans) -> Tally {
    let overlaps = |a: &(usize, usize), b: &(usize, usize)| a.0 < b.1 && b.0 < a.1;
    Tally {
        predicted: pred.len(),
        gold: gold.len(),
        exact: pred.iter().filter(|p| gold.contains(p)).count(),
        pred_overlapping: pred
            .iter()
            .filter(|p| gold.iter().any(|g| overlaps(p, g)))
            .count(),
        gold_overlapped: gold
            .iter()
            .filter(|g| pred.iter().any(|p| overlaps(p, g)))
            .count(),
    }
}

fn language(source: &str) -> Language {
    if source.ends_with("-es") {
        Language::Es
    } else {
        Language::En
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/pii/names-test.jsonl"
        )
        .into()
    });
    let text = std::fs::read_to_string(&path).expect("the test set");
    let docs: Vec<Doc> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let started = Instant::now();
    pii::detect("warm up", Language::En);
    let first_use = started.elapsed();
    let mut tallies: BTreeMap<(String, &str), Tally> = BTreeMap::new();
    let started = Instant::now();
    let found: Vec<_> = docs
        .iter()
        .map(|d| pii::detect(&d.text, language(&d.source)))
        .collect();
    let per_doc = started.elapsed().as_secs_f64() / docs.len() as f64;
    for (doc, found) in docs.iter().zip(&found) {
        for (kind, name) in [(PiiType::Name, "NAME"), (PiiType::Address, "ADDRESS")] {
            let pred: Spans = found
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| (e.begin, e.end))
                .collect();
            let gold: Spans = doc
                .entities
                .iter()
                .filter(|g| g.kind == name)
                .map(|g| (g.begin, g.end))
                .collect();
            let t = tally(&pred, &gold);
            tallies
                .entry((doc.source.clone(), name))
                .or_default()
                .add(t);
            tallies.entry(("all".into(), name)).or_default().add(t);
        }
    }
    print_table(&tallies);
    println!(
        "\n{} documents; first use (training the tagger) {:.2} s; {:.3} ms per document",
        docs.len(),
        first_use.as_secs_f64(),
        per_doc * 1e3
    );
}

fn print_table(tallies: &BTreeMap<(String, &str), Tally>) {
    println!(
        "| source | type | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for ((source, kind), t) in tallies {
        let (ep, er, ef) = prf(t.exact, t.predicted, t.exact, t.gold);
        let (op, or, of) = prf(t.pred_overlapping, t.predicted, t.gold_overlapped, t.gold);
        println!(
            "| {source} | {kind} | {} | {} | {ep:.3} | {er:.3} | {ef:.3} | {op:.3} | {or:.3} | {of:.3} |",
            t.gold, t.predicted
        );
    }
}
