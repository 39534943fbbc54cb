use super::*;
use PartOfSpeech as P;

fn tags(text: &str, language: Language) -> Vec<&'static str> {
    analyse(text, language)
        .iter()
        .map(|t| t.tag.name())
        .collect()
}

fn words(text: &str, language: Language) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    analyse(text, language)
        .iter()
        .map(|t| chars[t.begin..t.end].iter().collect())
        .collect()
}

#[test]
fn i_love_seattle() {
    let got: Vec<_> = analyse("I love Seattle.", Language::En)
        .iter()
        .map(|t| (t.id, t.begin, t.end, t.tag))
        .collect();
    assert_eq!(
        got,
        [
            (1, 0, 1, P::Pron),
            (2, 2, 6, P::Verb),
            (3, 7, 14, P::Propn),
            (4, 14, 15, P::Punct)
        ]
    );
}

#[test]
fn is_is_a_verb_as_in_the_service_examples() {
    assert_eq!(
        tags("It is raining today.", Language::En),
        ["PRON", "VERB", "VERB", "NOUN", "PUNCT"]
    );
}

#[test]
fn english_sentences() {
    assert_eq!(
        tags("The old man walked over the small bridge.", Language::En),
        [
            "DET", "ADJ", "NOUN", "VERB", "ADP", "DET", "ADJ", "NOUN", "PUNCT"
        ]
    );
    assert_eq!(
        tags(
            "She wanted to buy 3 new books because they were cheap.",
            Language::En
        ),
        [
            "PRON", "VERB", "PART", "VERB", "NUM", "ADJ", "NOUN", "SCONJ", "PRON", "VERB", "ADJ",
            "PUNCT"
        ]
    );
}

#[test]
fn contractions_split_as_in_the_penn_treebank() {
    assert_eq!(
        words("I don't know.", Language::En),
        ["I", "do", "n't", "know", "."]
    );
    assert_eq!(
        tags("I don't know.", Language::En),
        ["PRON", "VERB", "PART", "VERB", "PUNCT"]
    );
    assert_eq!(
        words("Dr. Smith lives in the U.S. now.", Language::En)[..2],
        ["Dr.", "Smith"]
    );
    assert_eq!(
        words("Mail me@example.com or call 555-0142!", Language::En).len(),
        6
    );
}

#[test]
fn emoji_before_a_word_keeps_code_point_offsets() {
    let got = analyse("😀😀 Seattle rocks", Language::En);
    assert_eq!((got[0].begin, got[0].end), (0, 1));
    assert_eq!((got[2].begin, got[2].end), (3, 10));
    assert_eq!(got[2].tag, P::Propn);
    assert_eq!(got.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[test]
fn spanish_french_german_italian_portuguese() {
    assert_eq!(
        tags("El perro come rápidamente en la casa.", Language::Es),
        ["DET", "NOUN", "NOUN", "ADV", "ADP", "DET", "NOUN", "PUNCT"]
    );
    assert_eq!(
        words("L'homme est là.", Language::Fr),
        ["L'", "homme", "est", "là", "."]
    );
    assert_eq!(
        tags("L'homme est là.", Language::Fr),
        ["DET", "NOUN", "VERB", "ADV", "PUNCT"]
    );
    assert_eq!(
        tags("Ich habe die Rechnung nicht bezahlt.", Language::De),
        ["PRON", "VERB", "DET", "NOUN", "ADV", "VERB", "PUNCT"]
    );
    assert_eq!(
        tags("Io sono andato a Roma con mia sorella.", Language::It),
        [
            "PRON", "VERB", "VERB", "ADP", "PROPN", "ADP", "DET", "NOUN", "PUNCT"
        ]
    );
    assert_eq!(
        tags("Nós vamos comprar uma casa em Lisboa.", Language::Pt),
        [
            "PRON", "VERB", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"
        ]
    );
}

#[test]
fn other_languages_get_shapes_or_o() {
    assert_eq!(tags("東京 2024 !", Language::Ja), ["O", "NUM", "PUNCT"]);
}

#[test]
fn never_panics_on_odd_input() {
    let noise: String = (0..5000u32)
        .map(|i| char::from_u32((i.wrapping_mul(2_654_435_761) >> 7) % 0x3_0000).unwrap_or('x'))
        .collect();
    for text in [
        "",
        "   \n\t ",
        "😀😀😀",
        "'",
        "n't",
        "...",
        "a.",
        "\u{0301}x",
        noise.as_str(),
    ] {
        for language in Language::ALL {
            let got = analyse(text, language);
            let n = text.chars().count();
            for (i, t) in got.iter().enumerate() {
                assert_eq!(t.id, i + 1);
                assert!(t.begin < t.end && t.end <= n, "{text:?} {t:?}");
                assert!(t.score > 0.0 && t.score <= 1.0);
            }
        }
    }
    assert!(analyse("", Language::En).is_empty());
    assert!(analyse(" \n ", Language::En).is_empty());
}

#[test]
fn every_tag_has_a_distinct_name() {
    let names: std::collections::HashSet<_> = PartOfSpeech::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names.len(), 18);
}
