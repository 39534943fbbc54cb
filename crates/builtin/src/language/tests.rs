use super::*;

fn top(text: &str) -> &'static str {
    detect(text)[0].code
}

#[test]
fn english() {
    assert_eq!(
        top("The weather is lovely today, so we are going for a walk in the park."),
        "en"
    );
}

#[test]
fn french() {
    let got = detect("Bonjour, je voudrais réserver une table pour deux personnes ce soir.");
    assert_eq!(got[0].code, "fr");
    assert!(got[0].score > 0.9, "{got:?}");
}

#[test]
fn spanish_and_portuguese() {
    assert_eq!(
        top("Deberíamos salir temprano para evitar el tráfico."),
        "es"
    );
    assert_eq!(
        top("Lembre-se de regar as plantas enquanto eu estiver fora."),
        "pt"
    );
}

#[test]
fn german_and_italian() {
    assert_eq!(
        top("Können Sie mir sagen, wie ich zur nächsten Apotheke komme?"),
        "de"
    );
    assert_eq!(
        top("Dovremmo partire presto per evitare il traffico."),
        "it"
    );
}

#[test]
fn japanese_korean_arabic_hindi() {
    assert_eq!(top("今朝、電車の中に傘を置き忘れてしまいました。"), "ja");
    assert_eq!(top("오늘 아침에 지하철에 우산을 두고 내렸어요."), "ko");
    assert_eq!(top("نسيت مظلتي في القطار هذا الصباح."), "ar");
    assert_eq!(top("आज सुबह मैं अपना छाता ट्रेन में ही भूल गया।"), "hi");
}

#[test]
fn simplified_and_traditional_chinese() {
    assert_eq!(top("我们今天去图书馆学习"), "zh");
    assert_eq!(top("我們今天去圖書館學習"), "zh-TW");
}

#[test]
fn other_languages_use_service_codes() {
    assert_eq!(
        top("De kinderen bouwden een enorm zandkasteel op het strand."),
        "nl"
    );
    assert_eq!(
        top("Дети построили на пляже огромный замок из песка."),
        "ru"
    );
    assert_eq!(top("طبق پیش‌بینی هواشناسی تمام هفته باران می‌بارد."), "fa");
}

#[test]
fn clear_text_has_one_confident_candidate() {
    let got = detect("Please remember to water the plants while I'm away on holiday next week.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].score > 0.9);
}

#[test]
fn ambiguous_text_has_several_candidates() {
    // "Pedro" and "casa" are both Spanish and Portuguese.
    let got = detect("Pedro casa");
    assert!(got.len() >= 2, "{got:?}");
}

#[test]
fn scores_are_sorted_and_in_range() {
    for text in ["Pedro casa", "我的天", "Hello", "Ciao amore mio", "x"] {
        let got = detect(text);
        assert!(!got.is_empty());
        assert!(got.windows(2).all(|w| w[0].score >= w[1].score), "{got:?}");
        assert!(
            got.iter().all(|l| l.score > 0.0 && l.score <= 1.0),
            "{got:?}"
        );
    }
}

#[test]
fn no_letters_is_english_with_a_low_score() {
    for text in ["12345 678", "😀🎉👍", "!!! ??? ...", "", "\u{0}\u{7}\n\t"] {
        let got = detect(text);
        assert_eq!(
            got,
            [LanguageScore {
                code: "en",
                score: NO_LETTERS_SCORE
            }],
            "{text:?}"
        );
    }
}

#[test]
fn odd_and_huge_input_does_not_panic() {
    let huge = "Il était une fois une petite fille. ".repeat(5_000);
    assert_eq!(top(&huge), "fr");
    let _ = detect("\u{202e}\u{200d}\u{fffd}a\u{301}\u{10ffff}");
}

#[test]
fn deterministic() {
    let text = "Não sei se a loja abre aos domingos.";
    assert_eq!(detect(text), detect(text));
}
