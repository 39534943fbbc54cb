//! Benchmark on wikigold (or any data in Comprehend's plain-text entity formats): trains on the
//! train files, scores the test files, prints one JSON object shaped like the CRFsuite
//! reference script's (precision/recall/F1 on 0–1 for side-by-side reading).
//!
//! usage: wikigold DATA_DIR [--c2 X] [--max-iter N] [--dropout X] [--no-mention-gazetteer]
//!        [--entity-list] [--seed N] [--delta X] [--crf] [--dev] [--spill]
//!
//! `--entity-list` trains from `wikigold-entity-list.csv` instead of the train annotations
//! (the documents are annotated by the list) and scores against the gold test annotations.
//! `--crf` uses the CRF learner (100 L-BFGS iterations unless `--max-iter` follows it).
//! `--dev` trains on the train files only and scores the automatic hold-out.
//! `--spill` reads the files with the streaming readers and an `AnnotationIndex` into
//! `SpilledCorpus`es in temporary files and trains with `train_corpus` on file scratch space,
//! as the server does: memory then stays flat in the number of documents.

use std::fs::File;
use std::io::BufReader;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use comprehend_ner::{
    AnnotatedDocument, AnnotationIndex, Corpus, EntityList, InputFormat, Limits, SpilledCorpus,
    TrainParams, Trained, attach_annotations, for_each_document, read_annotations,
    read_annotations_into, read_documents, read_entity_list, train, train_corpus,
};

const TYPES: [&str; 4] = ["LOC", "MISC", "ORG", "PER"];

fn load(dir: &str, split: &str, types: &[String]) -> Vec<AnnotatedDocument> {
    let name = format!("wikigold-{split}.txt");
    let docs = read_documents(
        &name,
        File::open(format!("{dir}/{name}")).expect("documents"),
        InputFormat::OneDocPerLine,
        &Limits::default(),
    )
    .expect("valid documents");
    let ann_name = format!("wikigold-{split}-annotations.csv");
    let ann = read_annotations(
        &ann_name,
        File::open(format!("{dir}/{ann_name}")).expect("annotations"),
        InputFormat::OneDocPerLine,
    )
    .expect("valid annotations");
    attach_annotations(docs, ann, types)
        .expect("annotations fit")
        .documents
}

/// Flags that are not training parameters.
#[derive(Default)]
struct Mode {
    entity_list: bool,
    dev: bool,
    spill: bool,
}

fn params_from_args(args: &[String]) -> (TrainParams, Mode) {
    let mut p = TrainParams::default();
    let mut mode = Mode::default();
    let mut i = 0;
    while i < args.len() {
        let value = || {
            args.get(i + 1)
                .expect("a value")
                .parse::<f64>()
                .expect("a number")
        };
        match args[i].as_str() {
            "--c2" => p.c2 = value(),
            "--max-iter" => p.max_iterations = value() as u64,
            "--dropout" => p.gazetteer_dropout = value(),
            "--seed" => p.seed = value() as u64,
            "--delta" => p.delta = value(),
            "--crf" => {
                p.learner = comprehend_ner::Learner::Crf;
                p.max_iterations = 100;
                i -= 1;
            }
            "--no-mention-gazetteer" => {
                p.mention_gazetteer = false;
                i -= 1;
            }
            "--entity-list" => {
                mode.entity_list = true;
                i -= 1;
            }
            "--dev" => {
                mode.dev = true;
                i -= 1;
            }
            "--spill" => {
                mode.spill = true;
                i -= 1;
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    (p, mode)
}

/// Trains on the train file alone with the automatic 10 % hold-out and prints the hold-out
/// micro F1 (for choosing settings without looking at the test file).
fn dev_run(
    docs: Vec<AnnotatedDocument>,
    types: &[String],
    list: Option<&comprehend_ner::EntityList>,
    params: &TrainParams,
) {
    let trained = train(
        docs,
        None,
        types,
        list,
        params,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("training succeeds");
    let e = &trained.evaluation;
    println!(
        "dev: {} train / {} held out, micro F1 {:.4}",
        e.number_of_trained_documents,
        e.number_of_test_documents,
        e.overall.f1_score / 100.0
    );
}

fn learner_name(p: &TrainParams) -> String {
    match p.learner {
        comprehend_ner::Learner::Perceptron => {
            format!("averaged perceptron, {} epochs", p.max_iterations)
        }
        comprehend_ner::Learner::Crf => {
            format!("CRF, L-BFGS, c2={}, max_iter={}", p.c2, p.max_iterations)
        }
    }
}

/// Mean score of the entities detected in the test documents.
fn mean_score(model: &comprehend_ner::Recognizer, docs: &[AnnotatedDocument]) -> f64 {
    let scores: Vec<f64> = docs
        .iter()
        .flat_map(|d| model.detect(&d.document.text))
        .map(|e| e.score)
        .collect();
    scores.iter().sum::<f64>() / scores.len().max(1) as f64
}

/// Streams one split's documents, annotated from the annotations CSV (or by `list`), into a
/// temporary file.
fn spill(
    dir: &str,
    split: &str,
    types: &[String],
    list: Option<&EntityList>,
) -> SpilledCorpus<File> {
    let mut index = AnnotationIndex::new(types);
    let ann_name = format!("wikigold-{split}-annotations.csv");
    let ann = File::open(format!("{dir}/{ann_name}")).expect("annotations");
    read_annotations_into(
        &ann_name,
        BufReader::new(ann),
        InputFormat::OneDocPerLine,
        &mut index,
    )
    .expect("valid annotations");
    let mut corpus = SpilledCorpus::new(tempfile::tempfile().expect("a temporary file"));
    let name = format!("wikigold-{split}.txt");
    let docs = BufReader::new(File::open(format!("{dir}/{name}")).expect("documents"));
    let limits = Limits::default();
    for_each_document(&name, docs, InputFormat::OneDocPerLine, &limits, &mut |d| {
        let doc = index.attach(d)?;
        let doc = match list {
            Some(list) => list.annotate_one(doc.document, types),
            None => doc,
        };
        corpus.push(&doc).expect("room for the corpus");
        Ok(())
    })
    .expect("valid documents");
    index.finish().expect("annotations fit");
    corpus
}

/// `--spill`: streams the data through temporary files and prints the evaluation training
/// made (the same figures as the in-memory run) with the number of documents.
fn spill_run(dir: &str, types: &[String], params: &TrainParams, mode: &Mode) {
    let t0 = Instant::now();
    let list = mode.entity_list.then(|| {
        read_entity_list(
            "wikigold-entity-list.csv",
            File::open(format!("{dir}/wikigold-entity-list.csv")).expect("entity list"),
        )
        .expect("valid entity list")
    });
    let train_docs = spill(dir, "train", types, list.as_ref());
    let test_docs = (!mode.dev).then(|| spill(dir, "test", types, None));
    let trained = train_corpus(
        &train_docs,
        test_docs.as_ref().map(|t| t as &dyn Corpus),
        types,
        list.as_ref(),
        params,
        &mut || Ok(Box::new(tempfile::tempfile()?)),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("training succeeds");
    report(&trained, params, mode, t0.elapsed().as_secs_f64());
}

fn report(trained: &Trained, params: &TrainParams, mode: &Mode, seconds: f64) {
    let e = &trained.evaluation;
    let prf = |s: &comprehend_ner::Scores| {
        format!(
            "{{\"precision\": {:.4}, \"recall\": {:.4}, \"f1\": {:.4}}}",
            s.precision / 100.0,
            s.recall / 100.0,
            s.f1_score / 100.0
        )
    };
    println!(
        "{{\n \"engine\": \"comprehend-ner ({}, spilled, entity list={})\",\n \"n_train_docs\": {},\n \"n_test_docs\": {},\n \"n_weights\": {},\n \"score_temperature\": {:.3},\n \"t_train_s\": {seconds:.3},\n \"micro\": {}\n}}",
        learner_name(params),
        mode.entity_list,
        e.number_of_trained_documents,
        e.number_of_test_documents,
        trained.model.number_of_weights(),
        trained.model.temperature(),
        prf(&e.overall),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/data/wikigold".into());
    let (params, mode) = params_from_args(&args[1.min(args.len())..]);
    let use_list = mode.entity_list;
    let types: Vec<String> = TYPES.iter().map(|t| t.to_string()).collect();
    if mode.spill {
        return spill_run(&dir, &types, &params, &mode);
    }
    let t0 = Instant::now();
    let (train_docs, list) = if use_list {
        let list = read_entity_list(
            "wikigold-entity-list.csv",
            File::open(format!("{dir}/wikigold-entity-list.csv")).expect("entity list"),
        )
        .expect("valid entity list");
        let docs = load(&dir, "train", &types)
            .into_iter()
            .map(|d| d.document)
            .collect();
        (list.annotate(docs, &types), Some(list))
    } else {
        (load(&dir, "train", &types), None)
    };
    let n_train = train_docs.len();
    if mode.dev {
        return dev_run(train_docs, &types, list.as_ref(), &params);
    }
    let test_docs = load(&dir, "test", &types);
    let trained = train(
        train_docs,
        Some(test_docs.clone()),
        &types,
        list.as_ref(),
        &params,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("training succeeds");
    let t_total = t0.elapsed().as_secs_f64();
    // train() also scores the test split; time that alone and take it out of the train time.
    let t1 = Instant::now();
    let evaluation = trained.model.evaluate(&test_docs);
    let t_test = t1.elapsed().as_secs_f64();
    let prf = |s: &comprehend_ner::Scores| {
        format!(
            "{{\"precision\": {:.4}, \"recall\": {:.4}, \"f1\": {:.4}}}",
            s.precision / 100.0,
            s.recall / 100.0,
            s.f1_score / 100.0
        )
    };
    let per_type: Vec<String> = evaluation
        .per_type
        .iter()
        .map(|t| format!("  \"{}\": {}", t.entity_type, prf(&t.scores)))
        .collect();
    println!(
        "{{\n \"engine\": \"comprehend-ner ({}, gazetteer dropout={}, mention gazetteer={}, entity list={})\",\n \"n_train_docs\": {n_train},\n \"n_test_docs\": {},\n \"n_weights\": {},\n \"score_temperature\": {:.3},\n \"mean_score\": {:.4},\n \"t_train_s\": {:.3},\n \"t_test_s\": {:.3},\n \"micro\": {},\n \"per_type\": {{\n{}\n }}\n}}",
        learner_name(&params),
        params.gazetteer_dropout,
        params.mention_gazetteer,
        use_list,
        test_docs.len(),
        trained.model.number_of_weights(),
        trained.model.temperature(),
        mean_score(&trained.model, &test_docs),
        t_total - t_test,
        t_test,
        prf(&evaluation.overall),
        per_type.join(",\n")
    );
}
