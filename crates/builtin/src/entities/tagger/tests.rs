use super::*;

#[test]
fn training_is_deterministic() {
    let a = training::recognizer().expect("the shipped data trains");
    let b = training::recognizer().expect("the shipped data trains");
    assert!(a.to_bytes() == b.to_bytes());
}

/// Gold spans and found spans (with scores) of one held-out document, in code points.
type Gold = Vec<(EntityType, usize, usize)>;
type Found = Vec<(EntityType, usize, usize, f32)>;

/// The held-out tenth of the training documents from `source` (the documents the shipped model
/// is calibrated on and never fitted to): their gold spans and the tagger's.
fn held_out(source: &str) -> Vec<(Gold, Found)> {
    let docs = training::documents(training::TRAINING_DATA).expect("the shipped data parses");
    let sources: Vec<String> = training::TRAINING_DATA
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["source"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let types: Vec<String> = training::ENTITY_TYPES
        .iter()
        .map(|t| t.to_string())
        .collect();
    let params = training::params();
    let held = comprehend_ner::split::holdout(&docs, &types, params.test_fraction, params.seed);
    let model = model().expect("the shipped data trains");
    docs.iter()
        .zip(held)
        .zip(&sources)
        .filter(|((_, h), s)| *h && s.starts_with(source))
        .map(|((d, _), _)| {
            let text = &d.document.text;
            let gold = d
                .spans
                .iter()
                .filter_map(|s| {
                    let kind = match s.entity_type.as_str() {
                        "PERSON" => EntityType::Person,
                        "LOCATION" => EntityType::Location,
                        "ORGANIZATION" => EntityType::Organization,
                        _ => return None,
                    };
                    Some((kind, s.begin, s.end))
                })
                .collect();
            let cp = |b: usize| text[..b].chars().count();
            let found = tagged(model, text)
                .into_iter()
                .filter(|c| {
                    matches!(
                        c.kind,
                        EntityType::Person | EntityType::Location | EntityType::Organization
                    )
                })
                .map(|c| (c.kind, cp(c.start), cp(c.end), c.score))
                .collect();
            (gold, found)
        })
        .collect()
}

/// Exact-match precision, recall and F1 of the spans scoring at least `floor`.
fn f1_at(docs: &[(Gold, Found)], floor: f32) -> (f64, f64, f64) {
    let (mut hit, mut predicted, mut gold) = (0usize, 0usize, 0usize);
    for (g, found) in docs {
        gold += g.len();
        for &(k, b, e, _) in found.iter().filter(|f| f.3 >= floor) {
            predicted += 1;
            hit += usize::from(g.contains(&(k, b, e)));
        }
    }
    let p = hit as f64 / predicted.max(1) as f64;
    let r = hit as f64 / gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// The score floor is where the held-out documents' PERSON/LOCATION/ORGANIZATION F1, averaged
/// over the two sources (real prose from wikigold, generated sentences), peaks — within 0.002,
/// ties to the lower floor. The sources are averaged so that the generated sentences, written
/// from the training templates, do not outvote the real prose.
/// `cargo test -p comprehend-builtin entities::tagger -- --nocapture` prints the sweep.
#[test]
fn floor_on_held_out_split() {
    let wiki = held_out("wikigold");
    let generated = held_out("generated");
    let mean_f1 = |floor: f32| (f1_at(&wiki, floor).2 + f1_at(&generated, floor).2) / 2.0;
    let mut best = (f64::MIN, 0.0f32);
    for step in 0..20 {
        let floor = step as f32 * 0.05;
        let (wp, wr, wf) = f1_at(&wiki, floor);
        let (gp, gr, gf) = f1_at(&generated, floor);
        let m = mean_f1(floor);
        println!(
            "floor {floor:.2}: mean F1 {m:.4} | wikigold P {wp:.4} R {wr:.4} F1 {wf:.4} | generated P {gp:.4} R {gr:.4} F1 {gf:.4}"
        );
        if m > best.0 + 1e-9 {
            best = (m, floor);
        }
    }
    println!(
        "{} wikigold and {} generated held-out documents; best floor {:.2} (mean F1 {:.4}); shipped {SCORE_FLOOR} ({:.4})",
        wiki.len(),
        generated.len(),
        best.1,
        best.0,
        mean_f1(SCORE_FLOOR)
    );
    assert!(mean_f1(SCORE_FLOOR) >= best.0 - 0.002);
}

#[test]
fn possessive_stays_outside_the_name() {
    let text = "We met at Amazon’s office and at Google's.";
    let model = model().expect("the shipped data trains");
    let names: Vec<&str> = tagged(model, text)
        .iter()
        .map(|c| &text[c.start..c.end])
        .collect();
    assert!(names.contains(&"Amazon"), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with('s') && n.contains('\'')));
}

#[test]
fn misc_spans_are_sorted_by_their_words() {
    let sort = |text: &str, span: &str| {
        let start = text.find(span).expect("span in text");
        misc::sort(text, start, start + span.len())
    };
    assert_eq!(
        sort("He fought in World War II.", "World War II"),
        EntityType::Event
    );
    assert_eq!(
        sort("The album Thriller sold well.", "Thriller"),
        EntityType::Title
    );
    assert_eq!(
        sort("She bought an Xbox 360 yesterday.", "Xbox 360"),
        EntityType::CommercialItem
    );
    assert_eq!(
        sort("He is American by birth.", "American"),
        EntityType::Other
    );
}

/// How much generated text joins wikigold in training, chosen on wikigold's TRAINING split
/// alone (never the benchmark's test sentences): for each share, three folds of a fifth of the
/// wikigold training documents are held out, the tagger is trained on the rest plus that many
/// generated sentences, and the PERSON/LOCATION/ORGANIZATION F1 on the held-out fold is
/// averaged. `cargo test -p comprehend-builtin generated_share -- --ignored --nocapture`
/// (about half a minute in a debug build) prints the table behind
/// `data/entities/make_entities_data.py`'s counts. Measured: 0.715 with no generated text,
/// 0.719 with 500 en + 250 es, 0.719 with all (1,100 + 600) — the same within the folds'
/// spread (±0.02): the generated sentences cost wikigold nothing, and they are kept for what
/// wikigold lacks (Spanish, everyday sentences, possessives).
#[test]
#[ignore]
fn generated_share_on_wikigold_folds() {
    use comprehend_ner::{AnnotatedDocument, train};
    use std::sync::atomic::AtomicBool;
    let all = training::documents(training::TRAINING_DATA).expect("the shipped data parses");
    let sources: Vec<String> = training::TRAINING_DATA
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["source"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let of = |s: &str| -> Vec<AnnotatedDocument> {
        all.iter()
            .zip(&sources)
            .filter(|(_, src)| src.as_str() == s)
            .map(|(d, _)| d.clone())
            .collect()
    };
    let (wiki, en, es) = (of("wikigold"), of("generated-en"), of("generated-es"));
    let types: Vec<String> = training::ENTITY_TYPES
        .iter()
        .map(|t| t.to_string())
        .collect();
    for (n_en, n_es) in [(0, 0), (500, 250), (1100, 600)] {
        let mut f1s = Vec::new();
        for fold in 0..3u64 {
            let held = comprehend_ner::split::holdout(&wiki, &types, 0.2, 100 + fold);
            let mut docs: Vec<AnnotatedDocument> = wiki
                .iter()
                .zip(&held)
                .filter(|(_, h)| !**h)
                .map(|(d, _)| d.clone())
                .collect();
            docs.extend_from_slice(&en[..n_en.min(en.len())]);
            docs.extend_from_slice(&es[..n_es.min(es.len())]);
            let cancel = AtomicBool::new(false);
            let m = train(
                docs,
                None,
                &types,
                None,
                &training::params(),
                &mut |_| {},
                &cancel,
            )
            .expect("trains")
            .model;
            let dev: Vec<&AnnotatedDocument> = wiki
                .iter()
                .zip(&held)
                .filter(|(_, h)| **h)
                .map(|(d, _)| d)
                .collect();
            f1s.push(dev_f1(&m, &dev));
        }
        let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
        println!("generated en {n_en} es {n_es}: folds {f1s:.3?} mean F1 {mean:.4}");
    }
}

/// PERSON/LOCATION/ORGANIZATION exact-span F1 of `model` on `docs`, at the shipped floor.
fn dev_f1(model: &Recognizer, docs: &[&comprehend_ner::AnnotatedDocument]) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for d in docs {
        let text = &d.document.text;
        let gold: Vec<(String, usize, usize)> = d
            .spans
            .iter()
            .filter(|s| s.entity_type != "MISC")
            .map(|s| (s.entity_type.clone(), s.begin, s.end))
            .collect();
        let cp = |b: usize| text[..b].chars().count();
        let found: Vec<(String, usize, usize)> = tagged(model, text)
            .into_iter()
            .filter(|c| c.score >= SCORE_FLOOR)
            .filter_map(|c| {
                let k = match c.kind {
                    EntityType::Person => "PERSON",
                    EntityType::Location => "LOCATION",
                    EntityType::Organization => "ORGANIZATION",
                    _ => return None,
                };
                Some((k.to_string(), cp(c.start), cp(c.end)))
            })
            .collect();
        tp += found.iter().filter(|f| gold.contains(f)).count();
        fp += found.iter().filter(|f| !gold.contains(f)).count();
        fn_ += gold.iter().filter(|g| !found.contains(g)).count();
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}
