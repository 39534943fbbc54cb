//! Quality of dominant language detection on the labelled short-sentence set
//! `benches/data/language/sentences.tsv`: top-1 accuracy per language, over the service's
//! twelve languages, over the other languages, and the time per document.
//!
//! cargo run --release -p comprehend-builtin --example language_quality

use std::collections::BTreeMap;
use std::time::Instant;

use comprehend_builtin::Language;
use comprehend_builtin::language::detect;

const SET: &str = include_str!("../benches/data/language/sentences.tsv");

fn main() {
    let rows: Vec<(&str, &str)> = SET
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .collect();
    // A first pass builds the detectors (once per process, as a server's first requests
    // would); the second is timed.
    rows.iter().for_each(|(_, text)| drop(detect(text)));
    let start = Instant::now();
    let guesses: Vec<&str> = rows.iter().map(|(_, text)| detect(text)[0].code).collect();
    let per_doc = start.elapsed().as_secs_f64() / rows.len() as f64;

    let mut per_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((lang, text), guess) in rows.iter().zip(&guesses) {
        let entry = per_lang.entry(lang).or_default();
        entry.1 += 1;
        if lang == guess {
            entry.0 += 1;
        } else if std::env::args().any(|a| a == "--errors") {
            println!("  {lang} -> {guess}: {text}");
        }
    }
    report(&per_lang, per_doc);
}

fn report(per_lang: &BTreeMap<&str, (usize, usize)>, per_doc: f64) {
    let service = |lang: &str| Language::from_code(lang).is_some();
    let sum = |keep: &dyn Fn(&str) -> bool| {
        per_lang
            .iter()
            .filter(|(l, _)| keep(l))
            .fold((0, 0), |a, (_, c)| (a.0 + c.0, a.1 + c.1))
    };
    for (lang, (ok, n)) in per_lang {
        println!("{lang:6} {ok:3}/{n:3}  {:.3}", *ok as f64 / *n as f64);
    }
    let (ok, n) = sum(&|l| service(l));
    println!(
        "service languages  top-1 accuracy {:.4} ({ok}/{n})",
        ok as f64 / n as f64
    );
    let (ok, n) = sum(&|l| !service(l));
    println!(
        "other languages    top-1 accuracy {:.4} ({ok}/{n})",
        ok as f64 / n as f64
    );
    println!("time per document  {:.1} µs", per_doc * 1e6);
}
