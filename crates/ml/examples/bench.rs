//! Benchmark: `cargo run --release -p comprehend-ml --example bench -- TRAIN.csv TEST.csv`
//!
//! Runs the same pipeline as `shared/data/sklearn_baseline.py --ngrams 1` (TF-IDF with
//! sublinear TF and min_df=2, logistic regression with C=1 and at most 100 L-BFGS iterations)
//! through this crate's public API and prints one JSON object with the baseline's field names,
//! plus peak memory, single-document scoring latency and model save/load figures.
//!
//! The timings come from `train()` itself (its progress callback marks the phases), so what is
//! measured is what the server runs: `t_vectorize_s` is vocabulary + IDF + matrix, `t_fit_s`
//! the optimizer, `t_predict_s` the evaluation of the test file (vectorize + score + metrics).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use comprehend_ml::{
    ConfusionMatrix, Document, Mode, Model, Phase, TrainParams, Trained, read_comprehend_csv, train,
};

fn main() {
    let (mut params, train_path, test_path) = parse_args();
    let t = Instant::now();
    let train_docs = read(&train_path);
    let test_docs = read(&test_path);
    let t_read = t.elapsed().as_secs_f64();
    let (n_train, n_test) = (train_docs.len(), test_docs.len());
    let n_classes = {
        let mut l: Vec<&str> = train_docs.iter().map(|d| d.labels[0].as_str()).collect();
        l.sort_unstable();
        l.dedup();
        l.len()
    };
    let one_kb = one_kb_document(&test_docs);

    // The benchmark uses every training document, like the baseline; the limits are for users.
    params.limits.min_docs_per_label = 1;
    let (trained, phases) = timed_train(train_docs, test_docs, &params);
    let (lat, bytes, t_save, loads) = model_figures(&trained.model, &one_kb);

    let run = run_json(&trained, &phases);
    let out = serde_json::json!({
        "train": train_path,
        "test": test_path,
        "n_train": n_train,
        "n_test": n_test,
        "n_classes": n_classes,
        "t_read_s": round3(t_read),
        "t_read_vectorize_fit_s": round3(t_read + phases.vectorize + phases.fit),
        "env": {"engine": "comprehend-ml", "threads": rayon_threads(), "cpus": std::thread::available_parallelism().map_or(0, |n| n.get())},
        "runs": [run],
        "peak_rss_mb": peak_rss_mb(),
        "predict_1kb_us": {"median": round3(lat[lat.len() / 2]), "p99": round3(lat[lat.len() * 99 / 100])},
        "model_bytes": bytes.len(),
        "model_save_ms": round3(t_save * 1e3),
        "model_load_ms": round3(loads[loads.len() / 2]),
    });
    println!("{}", serde_json::to_string_pretty(&out).expect("json"));
}

/// The training parameters and the two CSV paths from the command line (exits on misuse).
fn parse_args() -> (TrainParams, String, String) {
    let mut args: Vec<String> = Vec::new();
    let mut params = TrainParams::new(Mode::MultiClass);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().expect("option value");
        match a.as_str() {
            "--max-iter" => params.max_iter = value().parse().expect("--max-iter N"),
            "--tol" => params.tolerance = value().parse().expect("--tol X"),
            "--history" => params.lbfgs_history = Some(value().parse().expect("--history M")),
            "--min-df" => params.min_df = value().parse().expect("--min-df N"),
            _ => args.push(a),
        }
    }
    if args.len() != 2 {
        eprintln!(
            "usage: bench TRAIN.csv TEST.csv [--max-iter N] [--tol X] [--history M] [--min-df N]"
        );
        std::process::exit(2);
    }
    let test_path = args.pop().expect("two paths");
    let train_path = args.pop().expect("two paths");
    (params, train_path, test_path)
}

/// A MULTI_CLASS Comprehend CSV file (panics with the path on error).
fn read(p: &str) -> Vec<Document> {
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    read_comprehend_csv(
        std::io::BufReader::with_capacity(1 << 20, f),
        Mode::MultiClass,
        '|',
    )
    .unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A 1 KB document from the test set for the latency figure.
fn one_kb_document(test_docs: &[Document]) -> String {
    let mut one_kb = String::new();
    for d in test_docs {
        if one_kb.len() >= 1024 {
            break;
        }
        one_kb.push_str(&d.text);
        one_kb.push(' ');
    }
    one_kb.truncate(one_kb.floor_char_boundary(1024));
    one_kb
}

/// Seconds spent in each phase of `train()`, rounded to milliseconds.
struct Phases {
    vectorize: f64,
    fit: f64,
    predict: f64,
}

/// Trains and evaluates, timing the phases through the progress callback.
fn timed_train(
    train_docs: Vec<Document>,
    test_docs: Vec<Document>,
    params: &TrainParams,
) -> (Trained, Phases) {
    let mut marks: BTreeMap<&'static str, Instant> = BTreeMap::new();
    let trained = train(
        train_docs,
        Some(test_docs),
        params,
        &mut |p| {
            let key = match p.phase {
                Phase::Vocabulary => "vectorize",
                Phase::Fitting => "fit",
                Phase::Evaluating => "predict",
                _ => return,
            };
            marks.entry(key).or_insert_with(Instant::now);
        },
        &AtomicBool::new(false),
    )
    .expect("training");
    let end = Instant::now();
    let secs = |a: &str, b: Option<&str>| {
        let to = b.map_or(end, |b| marks[b]);
        round3(to.duration_since(marks[a]).as_secs_f64())
    };
    let phases = Phases {
        vectorize: secs("vectorize", Some("fit")),
        fit: secs("fit", Some("predict")),
        predict: secs("predict", None),
    };
    (trained, phases)
}

/// Single-document latencies in µs (sorted), the saved model, its save time in s and
/// load times in ms (sorted).
fn model_figures(model: &Model, one_kb: &str) -> (Vec<f64>, Vec<u8>, f64, Vec<f64>) {
    // Single-document latency: median of many runs after a warm-up.
    for _ in 0..100 {
        std::hint::black_box(model.predict(one_kb));
    }
    let mut lat: Vec<f64> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(model.predict(std::hint::black_box(one_kb)));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    lat.sort_by(f64::total_cmp);

    let t = Instant::now();
    let bytes = model.to_bytes();
    let t_save = t.elapsed().as_secs_f64();
    let mut loads: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(Model::from_bytes(&bytes).expect("load"));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    loads.sort_by(f64::total_cmp);
    (lat, bytes, t_save, loads)
}

/// The run's entry, with the baseline's field names.
fn run_json(trained: &Trained, phases: &Phases) -> serde_json::Value {
    let m = &trained.evaluation.metrics;
    let weighted_f1 = match &trained.evaluation.confusion_matrix {
        ConfusionMatrix::MultiClass {
            confusion_matrix, ..
        } => weighted_f1(confusion_matrix),
        ConfusionMatrix::MultiLabel { .. } => f64::NAN,
    };
    let stats = &trained.stats;
    serde_json::json!({
        "ngram_range": [1, 1],
        "t_vectorize_s": phases.vectorize,
        "t_transform_test_s": serde_json::Value::Null,
        "n_features": stats.n_features,
        "nnz_train": stats.nnz,
        "t_fit_s": phases.fit,
        "n_iter": stats.iterations,
        "converged": stats.converged,
        "termination": stats.termination,
        "evaluations": stats.evaluations,
        "t_gradient_s": round3(stats.gradient_seconds),
        "lbfgs_history": stats.lbfgs_history,
        "t_predict_s": phases.predict,
        "t_total_train_s": round3(phases.vectorize + phases.fit),
        "accuracy": round4(m.accuracy),
        "macro_precision": round4(m.precision),
        "macro_recall": round4(m.recall),
        "macro_f1": round4(m.f1_score),
        "micro_f1": round4(m.micro_f1_score),
        "weighted_f1": round4(weighted_f1),
    })
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn weighted_f1(cm: &[Vec<u64>]) -> f64 {
    let n = cm.len();
    let total: u64 = cm.iter().flatten().sum();
    let mut acc = 0.0;
    for i in 0..n {
        let tp = cm[i][i] as f64;
        let support: u64 = cm[i].iter().sum();
        let predicted: u64 = cm.iter().map(|r| r[i]).sum();
        let denom = support as f64 + predicted as f64;
        let f1 = if denom == 0.0 { 0.0 } else { 2.0 * tp / denom };
        acc += f1 * support as f64;
    }
    if total == 0 { 0.0 } else { acc / total as f64 }
}

/// Peak resident set size (VmHWM) of this process in MB, from /proc (Linux only).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(round3(kb / 1024.0))
}

fn round3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}
