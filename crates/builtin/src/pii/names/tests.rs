use super::*;

fn spans(text: &str, language: Language) -> Vec<(PiiType, &str)> {
    let mut out = Vec::new();
    find(text, language, &mut out);
    out.iter()
        .map(|c| (c.kind, &text[c.start..c.end]))
        .collect()
}

fn of_kind(text: &str, language: Language, kind: PiiType) -> Vec<&str> {
    spans(text, language)
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, s)| s)
        .collect()
}

#[test]
fn training_is_deterministic() {
    let a = training::recognizer().expect("the shipped data trains");
    let b = training::recognizer().expect("the shipped data trains");
    assert!(a.to_bytes() == b.to_bytes());
}

#[test]
fn name_and_full_address() {
    let text = "My name is John Smith and I live at 123 Main Street, Seattle, WA 98101.";
    assert_eq!(
        spans(text, Language::En),
        vec![
            (PiiType::Name, "John Smith"),
            (PiiType::Address, "123 Main Street, Seattle, WA 98101")
        ]
    );
}

#[test]
fn company_alone_is_no_name() {
    assert!(of_kind("Amazon Web Services", Language::En, PiiType::Name).is_empty());
    let text = "Amazon Web Services announced a new region today.";
    assert!(of_kind(text, Language::En, PiiType::Name).is_empty());
}

#[test]
fn spanish_name_and_address() {
    let text = "Mi nombre es María García y vivo en Calle Mayor 5, 28013 Madrid.";
    assert_eq!(
        of_kind(text, Language::Es, PiiType::Name),
        vec!["María García"]
    );
    assert_eq!(
        of_kind(text, Language::Es, PiiType::Address),
        vec!["Calle Mayor 5, 28013 Madrid"]
    );
}

#[test]
fn titles_stay_out_of_names() {
    let text = "Yesterday Dr. Jane Smith examined the patient.";
    assert_eq!(
        of_kind(text, Language::En, PiiType::Name),
        vec!["Jane Smith"]
    );
    let text = "Estimado Sr. Pedro Sánchez: le escribimos por su pedido.";
    assert_eq!(
        of_kind(text, Language::Es, PiiType::Name),
        vec!["Pedro Sánchez"]
    );
}

#[test]
fn emoji_before_a_name_keeps_byte_offsets() {
    let text = "😀🎉 Hi, this is Laura Jones.";
    let mut out = Vec::new();
    find(text, Language::En, &mut out);
    let name = out
        .iter()
        .find(|c| c.kind == PiiType::Name)
        .expect("a name");
    assert_eq!(&text[name.start..name.end], "Laura Jones");
    assert_eq!(name.start, text.find("Laura").unwrap());
}

#[test]
fn other_languages_are_not_read() {
    assert!(spans("My name is John Smith.", Language::Fr).is_empty());
}

#[test]
fn odd_input_does_not_panic() {
    let long = "Mr. ".repeat(5000);
    let odd = [
        "",
        " ",
        "\u{0}\u{1}\u{7f}",
        "Dr.",
        "Mr. Mr. Mr.",
        "\u{200b}\u{feff}é́́",
        "👩‍👩‍👧‍👦 José 👩‍👩‍👧‍👦",
        long.as_str(),
    ];
    for text in odd {
        for (_, span) in spans(text, Language::En) {
            assert!(!span.is_empty());
        }
    }
}

#[test]
fn scores_are_probabilities() {
    let mut out = Vec::new();
    find("Please call Robert Brown tomorrow.", Language::En, &mut out);
    assert!(!out.is_empty());
    assert!(out.iter().all(|c| c.score > 0.0 && c.score <= 1.0));
}
