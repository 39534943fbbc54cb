//! DetectEntities quality on the held-out set: micro and per-type precision, recall and F1 of
//! exact spans (type, begin, end in code points), the first-use training time and the time per
//! document.
//!
//!     cargo run --release -p comprehend-builtin --example entities_quality [-- set.jsonl]
//!
//! Two parts, each scored on its own types: wikigold's test sentences (never trained on) for
//! PERSON, LOCATION and ORGANIZATION, and the generated en/es sentences for DATE and QUANTITY.
//! With `ENTITIES_ERRORS=1` it also prints every document it gets wrong.
//! `benches/entities_reference.py` scores spaCy's `en_core_web_sm` on the same file.

use comprehend_builtin::Language;
use comprehend_builtin::entities::detect;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

const DEFAULT_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/data/entities/entities-test.jsonl"
);

/// The parts of the set, the prefix of their `source`, and the types each is scored on.
const PARTS: [(&str, &[&str]); 5] = [
    ("wikigold", &["PERSON", "LOCATION", "ORGANIZATION"]),
    ("datequantity-en", &["DATE", "QUANTITY"]),
    ("datequantity-es", &["DATE", "QUANTITY"]),
    ("handmarked-en", &["DATE", "QUANTITY"]),
    ("handmarked-es", &["DATE", "QUANTITY"]),
];

type Spans = BTreeSet<(String, usize, usize)>;

struct Doc {
    text: String,
    source: String,
    gold: Spans,
}

fn load(path: &str) -> Vec<Doc> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let gold = v["entities"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    let n = |k: &str| e[k].as_u64().expect("an offset") as usize;
                    (
                        e["type"].as_str().expect("a type").to_string(),
                        n("begin"),
                        n("end"),
                    )
                })
                .collect();
            Doc {
                text: v["text"].as_str().expect("a text").to_string(),
                source: v["source"].as_str().unwrap_or_default().to_string(),
                gold,
            }
        })
        .collect()
}

fn language_of(source: &str) -> Language {
    if source.ends_with("-es") {
        Language::Es
    } else {
        Language::En
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn prf(self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT_SET.to_string());
    let docs = load(&path);
    let started = Instant::now();
    let _ = detect("Warm up in Paris on Monday for $5.", Language::En);
    let first_use = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let rounds = 5;
    let mut found: Vec<Spans> = Vec::new();
    for _ in 0..rounds {
        found = docs
            .iter()
            .map(|d| {
                detect(&d.text, language_of(&d.source))
                    .into_iter()
                    .map(|e| (e.kind.name().to_string(), e.begin, e.end))
                    .collect()
            })
            .collect();
    }
    let per_doc = started.elapsed().as_secs_f64() / (rounds * docs.len()) as f64;
    println!("first use (training the tagger, compiling the rules): {first_use:.2} s");
    println!(
        "{} documents, {:.1} µs per document",
        docs.len(),
        per_doc * 1e6
    );
    let show = std::env::var_os("ENTITIES_ERRORS").is_some();
    for (prefix, types) in PARTS {
        score_part(&docs, &found, prefix, types, show);
    }
}

fn score_part(docs: &[Doc], found: &[Spans], prefix: &str, types: &[&str], show: bool) {
    let keep = |s: &Spans| -> Spans {
        s.iter()
            .filter(|e| types.contains(&e.0.as_str()))
            .cloned()
            .collect()
    };
    let mut per_type: BTreeMap<String, Counts> = BTreeMap::new();
    let mut n = 0;
    for (doc, found) in docs
        .iter()
        .zip(found)
        .filter(|(d, _)| d.source.starts_with(prefix))
    {
        n += 1;
        let (gold, found) = (keep(&doc.gold), keep(found));
        if show && gold != found {
            println!("{}\n  gold  {gold:?}\n  found {found:?}", doc.text);
        }
        for e in found.union(&gold) {
            let c = per_type.entry(e.0.clone()).or_default();
            match (gold.contains(e), found.contains(e)) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                _ => c.fn_ += 1,
            }
        }
    }
    println!("\n{prefix} ({n} documents)");
    println!(
        "{:<14} {:>5} {:>5} {:>5}  prec   rec    f1",
        "type", "tp", "fp", "fn"
    );
    let mut all = Counts::default();
    for (t, c) in &per_type {
        let (p, r, f) = c.prf();
        println!(
            "{t:<14} {:>5} {:>5} {:>5}  {p:.3}  {r:.3}  {f:.3}",
            c.tp, c.fp, c.fn_
        );
        all.tp += c.tp;
        all.fp += c.fp;
        all.fn_ += c.fn_;
    }
    let (p, r, f) = all.prf();
    println!(
        "{:<14} {:>5} {:>5} {:>5}  {p:.3}  {r:.3}  {f:.3}",
        "micro", all.tp, all.fp, all.fn_
    );
}
