//! Quality of the toxicity engine on `benches/data/toxicity/eval.tsv` (hand-written, labelled;
//! the lexicons were tuned on it) and `holdout.tsv` (written after tuning, never tuned on):
//! ROC-AUC and accuracy at 0.5 of the overall toxicity (the same figures as
//! `benches/toxicity_reference.py` prints for alt-profanity-check), per-label hit rates, and the
//! time per document and per 1 KB segment.
//!
//! `cargo run --release -p comprehend-builtin --example toxicity_quality [-- --misses]`

use std::time::Instant;

use comprehend_builtin::toxicity::{ToxicLabel, Toxicity, analyse};

const SETS: [(&str, &str); 2] = [
    ("eval", include_str!("../benches/data/toxicity/eval.tsv")),
    (
        "holdout",
        include_str!("../benches/data/toxicity/holdout.tsv"),
    ),
];

struct Case {
    toxic: bool,
    labels: Vec<ToxicLabel>,
    text: &'static str,
}

fn load(set: &'static str) -> Vec<Case> {
    set.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let mut cols = line.splitn(3, '\t');
            let (toxic, labels, text) = (cols.next()?, cols.next()?, cols.next()?);
            let labels = labels
                .split(',')
                .filter_map(|n| ToxicLabel::ALL.into_iter().find(|l| l.name() == n))
                .collect();
            Some(Case {
                toxic: toxic == "1",
                labels,
                text,
            })
        })
        .collect()
}

/// The probability that a toxic text outscores a clean one (ties count one half).
fn roc_auc(scores: &[f32], truths: &[bool]) -> f64 {
    let pos: Vec<f32> = scores
        .iter()
        .zip(truths)
        .filter(|(_, t)| **t)
        .map(|(s, _)| *s)
        .collect();
    let neg: Vec<f32> = scores
        .iter()
        .zip(truths)
        .filter(|(_, t)| !**t)
        .map(|(s, _)| *s)
        .collect();
    let wins: f64 = pos
        .iter()
        .flat_map(|p| {
            neg.iter().map(move |n| {
                if p > n {
                    1.0
                } else if p == n {
                    0.5
                } else {
                    0.0
                }
            })
        })
        .sum();
    wins / (pos.len() * neg.len()) as f64
}

fn top_label(answer: &Toxicity) -> ToxicLabel {
    answer
        .labels
        .iter()
        .fold((ToxicLabel::Graphic, -1.0), |best, &(l, s)| {
            if s > best.1 { (l, s) } else { best }
        })
        .0
}

fn score_of(answer: &Toxicity, label: ToxicLabel) -> f32 {
    answer
        .labels
        .iter()
        .find(|(l, _)| *l == label)
        .map_or(0.0, |(_, s)| *s)
}

fn overall(cases: &[Case], answers: &[Toxicity]) {
    let scores: Vec<f32> = answers.iter().map(|a| a.toxicity).collect();
    let truths: Vec<bool> = cases.iter().map(|c| c.toxic).collect();
    let right = scores
        .iter()
        .zip(&truths)
        .filter(|(s, t)| (**s >= 0.5) == **t)
        .count();
    println!(
        "documents: {} ({} toxic)\noverall: ROC-AUC {:.3}, accuracy@0.5 {:.3}",
        cases.len(),
        truths.iter().filter(|t| **t).count(),
        roc_auc(&scores, &truths),
        right as f64 / cases.len() as f64
    );
}

fn per_label(cases: &[Case], answers: &[Toxicity]) {
    let toxic: Vec<(&Case, &Toxicity)> =
        cases.iter().zip(answers).filter(|(c, _)| c.toxic).collect();
    let top = toxic
        .iter()
        .filter(|(c, a)| c.labels.contains(&top_label(a)))
        .count();
    println!(
        "top label among the expected ones: {top}/{} toxic texts",
        toxic.len()
    );
    for label in ToxicLabel::ALL {
        let expected: Vec<&Toxicity> = toxic
            .iter()
            .filter(|(c, _)| c.labels.contains(&label))
            .map(|(_, a)| *a)
            .collect();
        let hit = expected
            .iter()
            .filter(|a| score_of(a, label) >= 0.5)
            .count();
        let topped = expected.iter().filter(|a| top_label(a) == label).count();
        println!(
            "  {:<20} expected {:>2}: score >= 0.5 in {:>2}, top label in {:>2}",
            label.name(),
            expected.len(),
            hit,
            topped
        );
    }
    let clean: Vec<&Toxicity> = cases
        .iter()
        .zip(answers)
        .filter(|(c, _)| !c.toxic)
        .map(|(_, a)| a)
        .collect();
    let flagged = clean
        .iter()
        .filter(|a| a.labels.iter().any(|(_, s)| *s >= 0.5))
        .count();
    println!(
        "clean texts with any label >= 0.5: {flagged}/{}",
        clean.len()
    );
}

fn misses(cases: &[Case], answers: &[Toxicity]) {
    for (case, answer) in cases.iter().zip(answers) {
        let wrong_overall = (answer.toxicity >= 0.5) != case.toxic;
        let wrong_label = case.toxic && !case.labels.contains(&top_label(answer));
        if wrong_overall || wrong_label {
            let labels: Vec<String> = answer
                .labels
                .iter()
                .map(|(l, s)| format!("{}={s:.2}", &l.name()[..4]))
                .collect();
            println!(
                "MISS {:.2} {:?} | {} | {}",
                answer.toxicity,
                case.labels,
                labels.join(" "),
                case.text
            );
        }
    }
}

fn timing(cases: &[Case]) {
    let texts: Vec<&str> = cases.iter().map(|c| c.text).collect();
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(analyse(&texts));
    }
    let per_doc = start.elapsed().as_secs_f64() / (rounds * texts.len()) as f64;
    let kb: String = texts.join(" ").chars().take(1024).collect();
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(analyse(&[kb.as_str()]));
    }
    let per_kb = start.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "time per document: {:.1} us; per 1 KB segment: {:.1} us",
        per_doc * 1e6,
        per_kb * 1e6
    );
}

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    for (name, set) in SETS {
        let cases = load(set);
        let texts: Vec<&str> = cases.iter().map(|c| c.text).collect();
        let start = Instant::now();
        let answers = analyse(&texts);
        println!(
            "== {name} (first call: {:.1} ms)",
            start.elapsed().as_secs_f64() * 1e3
        );
        overall(&cases, &answers);
        per_label(&cases, &answers);
        if show_misses {
            misses(&cases, &answers);
        }
        timing(&cases);
    }
}
