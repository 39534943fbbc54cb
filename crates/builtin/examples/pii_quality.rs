//! PII quality on the generated labelled set: per-type and overall precision and recall of
//! exact spans (type, begin, end in code points), and the time per document.
//!
//!     cargo run --release -p comprehend-builtin --example pii_quality [-- path/to/set.jsonl]
//!
//! With `PII_ERRORS=1` it also prints every document it gets wrong.
//!
//! The set is made by `benches/pii_make_set.py`; `benches/pii_reference.py` scores
//! presidio-analyzer's pattern recognizers on the same file the same way.

use comprehend_builtin::Language;
use comprehend_builtin::pii::{PiiType, detect};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

const DEFAULT_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/data/pii/pii_set.jsonl"
);

/// The types presidio-analyzer has a pattern recognizer for (benches/pii_reference.py), for
/// a like-for-like line.
const PRESIDIO_COVERS: [&str; 21] = [
    "CREDIT_DEBIT_NUMBER",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "SSN",
    "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "EMAIL",
    "URL",
    "IP_ADDRESS",
    "MAC_ADDRESS",
    "PHONE",
    "DATE_TIME",
    "BANK_ROUTING",
    "BANK_ACCOUNT_NUMBER",
    "PASSPORT_NUMBER",
    "DRIVER_ID",
    "CA_SOCIAL_INSURANCE_NUMBER",
    "UK_NATIONAL_INSURANCE_NUMBER",
    "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "IN_AADHAAR",
    "IN_PERMANENT_ACCOUNT_NUMBER",
    "IN_VOTER_NUMBER",
    "LICENSE_PLATE",
];

/// A labelled document.
struct Doc {
    text: String,
    language: Language,
    gold: BTreeSet<(String, usize, usize)>,
}

fn load(path: &str) -> Vec<Doc> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(parse_doc)
        .collect()
}

fn parse_doc(line: &str) -> Doc {
    let v: Value = serde_json::from_str(line).expect("a JSON line");
    let language =
        Language::from_code(v["language"].as_str().unwrap_or("en")).unwrap_or(Language::En);
    let gold = v["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let at = |k: &str| e[k].as_u64().unwrap_or(0) as usize;
            (
                e["type"].as_str().unwrap_or("").to_string(),
                at("begin"),
                at("end"),
            )
        })
        .collect();
    Doc {
        text: v["text"].as_str().unwrap_or("").to_string(),
        language,
        gold,
    }
}

/// True positives, false positives and false negatives of one type.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 { 1.0 } else { a as f64 / b as f64 }
    }

    fn line(&self, name: &str) -> String {
        let p = Self::ratio(self.tp, self.tp + self.fp);
        let r = Self::ratio(self.tp, self.tp + self.fn_);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        format!(
            "{name:<40} {:>5} {:>5} {:>5}  {p:.3}  {r:.3}  {f:.3}",
            self.tp, self.fp, self.fn_
        )
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT_SET.to_string());
    let docs = load(&path);
    // Warm up: the regexes compile and the phone metadata loads once per process.
    let _ = detect("warm up 4111 1111 1111 1111, (206) 555-0142", Language::En);
    let started = Instant::now();
    let found: Vec<BTreeSet<(String, usize, usize)>> = docs
        .iter()
        .map(|d| {
            detect(&d.text, d.language)
                .into_iter()
                .map(|e| (e.kind.name().to_string(), e.begin, e.end))
                .collect()
        })
        .collect();
    let elapsed = started.elapsed();
    let show = std::env::var_os("PII_ERRORS").is_some();
    let mut per_type: BTreeMap<String, Counts> = BTreeMap::new();
    for (doc, found) in docs.iter().zip(&found) {
        if show && *found != doc.gold {
            println!("{}\n  gold  {:?}\n  found {:?}", doc.text, doc.gold, found);
        }
        for e in found.union(&doc.gold) {
            let c = per_type.entry(e.0.clone()).or_default();
            match (doc.gold.contains(e), found.contains(e)) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                _ => c.fn_ += 1,
            }
        }
    }
    report(&per_type, docs.len(), elapsed.as_secs_f64());
}

fn report(per_type: &BTreeMap<String, Counts>, docs: usize, seconds: f64) {
    let learned = [PiiType::Name.name(), PiiType::Address.name()];
    println!(
        "{:<40} {:>5} {:>5} {:>5}  prec   rec    f1",
        "type", "tp", "fp", "fn"
    );
    let (mut structured, mut names) = (Counts::default(), Counts::default());
    let mut covered = Counts::default();
    for (kind, c) in per_type {
        println!("{}", c.line(kind));
        if learned.contains(&kind.as_str()) {
            names.add(*c)
        } else {
            structured.add(*c)
        }
        if PRESIDIO_COVERS.contains(&kind.as_str()) {
            covered.add(*c);
        }
    }
    println!("{}", structured.line("OVERALL structured types"));
    println!("{}", covered.line("OVERALL types presidio covers"));
    if names.tp + names.fp + names.fn_ > 0 {
        println!("{}", names.line("OVERALL NAME/ADDRESS"));
    }
    println!(
        "documents: {docs}, time per document: {:.1} µs",
        seconds * 1e6 / docs as f64
    );
}
