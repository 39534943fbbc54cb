//! Key phrases quality benchmark: the share of hand-marked noun phrases found exactly (same
//! offsets) and by overlap, the share of answered phrases that are exact (precision), and the
//! time per document.
//!
//! `cargo run --release -p comprehend-builtin --example key_phrases_quality -- [FILE.jsonl] [--misses]`
//! (`--misses` prints each sentence whose answer differs from the marks)
//! (default: `crates/builtin/benches/data/key_phrases/en.jsonl`, read as English).

use comprehend_builtin::Language;
use comprehend_builtin::key_phrases::detect;
use serde::Deserialize;
use std::time::Instant;

/// One hand-marked sentence.
#[derive(Deserialize)]
struct Marked {
    text: String,
    phrases: Vec<(usize, usize)>,
}

/// Counts over the set.
#[derive(Default)]
struct Counts {
    gold: usize,
    exact: usize,
    overlap: usize,
    answered: usize,
}

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let path = std::env::args()
        .skip(1)
        .find(|a| a != "--misses")
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/data/key_phrases/en.jsonl"
            )
            .to_string()
        });
    let data = std::fs::read_to_string(&path).expect("read the evaluation set");
    let set: Vec<Marked> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    detect("Warm up the tagger.", Language::En);
    let mut counts = Counts::default();
    let start = Instant::now();
    for doc in &set {
        let found: Vec<(usize, usize)> = detect(&doc.text, Language::En)
            .iter()
            .map(|p| (p.begin, p.end))
            .collect();
        count(&doc.phrases, &found, &mut counts);
        if show_misses && found != doc.phrases {
            let cut = |&(b, e): &(usize, usize)| doc.text.chars().skip(b).take(e - b).collect();
            let cut_all = |s: &[(usize, usize)]| s.iter().map(cut).collect::<Vec<String>>();
            eprintln!(
                "{}\n  marked {:?}\n  found  {:?}",
                doc.text,
                cut_all(&doc.phrases),
                cut_all(&found)
            );
        }
    }
    let per_doc = start.elapsed().as_secs_f64() * 1e6 / set.len().max(1) as f64;
    let share = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    println!("documents: {}, marked phrases: {}", set.len(), counts.gold);
    println!("found exactly: {:.1}%", share(counts.exact, counts.gold));
    println!(
        "found by overlap: {:.1}%",
        share(counts.overlap, counts.gold)
    );
    println!(
        "answered phrases exact (precision): {:.1}% of {}",
        share(counts.exact, counts.answered),
        counts.answered
    );
    println!("time per document: {per_doc:.1} µs");
    large_documents(&set);
}

/// The time of one 100 KB document (the service's DetectKeyPhrases limit) per language family.
fn large_documents(set: &[Marked]) {
    let all: String = set
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let big = all.repeat(100_000 / all.len().max(1) + 1);
    let zh = "我們今天下午去圖書館學習中文，然後在附近的餐廳吃晚飯。".repeat(1_200);
    for (name, text, language) in [("en", &big, Language::En), ("zh", &zh, Language::Zh)] {
        let start = Instant::now();
        let n = detect(text, language).len();
        println!(
            "{name}: {} KB, {n} phrases, {:.1} ms",
            text.len() / 1000,
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// Adds one document's matches to `counts`.
fn count(gold: &[(usize, usize)], found: &[(usize, usize)], counts: &mut Counts) {
    counts.gold += gold.len();
    counts.answered += found.len();
    for &(b, e) in gold {
        if found.contains(&(b, e)) {
            counts.exact += 1;
        }
        if found.iter().any(|&(fb, fe)| fb < e && b < fe) {
            counts.overlap += 1;
        }
    }
}
