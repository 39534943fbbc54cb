//! Syntax quality benchmark: universal-tag accuracy on a CoNLL-U treebank's own tokens (the
//! held-out English Web Treebank test set; not shipped, CC BY-SA — see benches/syntax.md for
//! where it comes from) and the time per document of the whole analysis (tokens and tags).
//!
//! `cargo run --release -p comprehend-builtin --example syntax_quality -- FILE.conllu`
//! (default: `target/syntax-bench/en_ewt-ud-test.conllu`, where benches/syntax_reference.py
//! puts it). Gold AUX counts as VERB and gold X as O: the service tags auxiliaries VERB and has
//! no X (https://docs.aws.amazon.com/comprehend/latest/dg/how-syntax.html).

use comprehend_builtin::Language;
use comprehend_builtin::syntax::{analyse, tag_words};
use std::collections::BTreeMap;
use std::time::Instant;

/// A sentence: its text, its tokens and their gold tags.
struct Sentence {
    text: String,
    words: Vec<String>,
    gold: Vec<String>,
}

/// Documents (`# newdoc`) of sentences.
fn read(conllu: &str) -> Vec<Vec<Sentence>> {
    let mut docs: Vec<Vec<Sentence>> = vec![Vec::new()];
    let mut current = Sentence {
        text: String::new(),
        words: Vec::new(),
        gold: Vec::new(),
    };
    for line in conllu.lines() {
        if line.starts_with("# newdoc") && !docs.last().is_some_and(Vec::is_empty) {
            docs.push(Vec::new());
        } else if let Some(text) = line.strip_prefix("# text = ") {
            current.text = text.to_string();
        } else if line.is_empty() && !current.words.is_empty() {
            let done = std::mem::replace(
                &mut current,
                Sentence {
                    text: String::new(),
                    words: Vec::new(),
                    gold: Vec::new(),
                },
            );
            docs.last_mut().expect("a document").push(done);
        } else {
            let cells: Vec<&str> = line.split('\t').collect();
            // Multi-word token ranges ("1-2") and empty nodes ("1.1") carry no tag of their own.
            if cells.len() > 3 && cells[0].chars().all(|c| c.is_ascii_digit()) {
                current.words.push(cells[1].to_string());
                current.gold.push(service_tag(cells[3]).to_string());
            }
        }
    }
    docs.retain(|d| !d.is_empty());
    docs
}

fn service_tag(upos: &str) -> &str {
    match upos {
        "AUX" => "VERB",
        "X" => "O",
        other => other,
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/syntax-bench/en_ewt-ud-test.conllu".to_string());
    let conllu = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run benches/syntax_reference.py first)"));
    let docs = read(&conllu);
    let (mut right, mut total) = (0usize, 0usize);
    let mut by_score: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut errors: BTreeMap<(String, String), usize> = BTreeMap::new();
    for s in docs.iter().flatten() {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let tagged = tag_words(&words, Language::En);
        for (i, ((tag, score), gold)) in tagged.iter().zip(&s.gold).enumerate() {
            let ok = tag.name() == gold;
            if !ok && std::env::var_os("SYNTAX_ERRORS").is_some() {
                // Benchmark diagnostics: each miss with its word.
                eprintln!("{gold}\t{}\t{}", tag.name(), words[i]);
            }
            right += usize::from(ok);
            total += 1;
            let e = by_score.entry(format!("{score:.2}")).or_default();
            e.0 += usize::from(ok);
            e.1 += 1;
            if !ok {
                *errors
                    .entry((gold.clone(), tag.name().to_string()))
                    .or_default() += 1;
            }
        }
    }
    let texts: Vec<String> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    analyse("warm up", Language::En);
    let start = Instant::now();
    let rounds = 5;
    let mut produced = 0;
    for _ in 0..rounds {
        for text in &texts {
            produced += analyse(text, Language::En).len();
        }
    }
    let per_doc = start.elapsed().as_secs_f64() / (rounds * texts.len()) as f64;
    println!("set: {path}");
    println!(
        "documents: {}, sentences: {}, gold tokens: {total}",
        docs.len(),
        docs.iter().map(Vec::len).sum::<usize>()
    );
    println!(
        "accuracy (gold tokens, AUX→VERB, X→O): {:.4}",
        right as f64 / total as f64
    );
    println!(
        "time per document (analyse on the document's text): {:.1} µs ({} tokens/round)",
        per_doc * 1e6,
        produced / rounds
    );
    println!("accuracy by confidence:");
    for (score, (ok, n)) in &by_score {
        println!("  score {score}: {:.3} of {n}", *ok as f64 / *n as f64);
    }
    let mut worst: Vec<_> = errors.into_iter().collect();
    worst.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!("most frequent confusions (gold → ours):");
    for ((gold, ours), n) in worst.iter().take(12) {
        println!("  {gold:>6} → {ours:<6} {n}");
    }
}
