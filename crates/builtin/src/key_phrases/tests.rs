use super::*;

/// The phrases' texts (code points sliced).
fn texts(text: &str, language: Language) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    detect(text, language)
        .iter()
        .map(|p| chars[p.begin..p.end].iter().collect())
        .collect()
}

fn well_formed(text: &str, language: Language) {
    let n = text.chars().count();
    let phrases = detect(text, language);
    for p in &phrases {
        assert!(p.begin < p.end && p.end <= n, "{p:?} in {text:?}");
        assert!(p.score > 0.0 && p.score <= 1.0, "{p:?}");
    }
    for w in phrases.windows(2) {
        assert!(w[0].end <= w[1].begin, "overlap or disorder: {w:?}");
    }
}

const BANK: &str = "I'd like to check my bank account balance and pay the minimum payment.";

#[test]
fn english_noun_phrases_with_determiners_and_possessives() {
    let phrases = detect(BANK, Language::En);
    let spans: Vec<(usize, usize)> = phrases.iter().map(|p| (p.begin, p.end)).collect();
    assert!(spans.contains(&(18, 41)), "{spans:?}"); // my bank account balance
    assert!(spans.contains(&(50, 69)), "{spans:?}"); // the minimum payment
    let t = texts(BANK, Language::En);
    assert!(t.contains(&"my bank account balance".to_string()), "{t:?}");
    assert!(t.contains(&"the minimum payment".to_string()), "{t:?}");
    well_formed(BANK, Language::En);
}

#[test]
fn emoji_before_a_phrase_keeps_code_point_offsets() {
    let text = format!("😀🎉 {BANK}");
    let spans: Vec<(usize, usize)> = detect(&text, Language::En)
        .iter()
        .map(|p| (p.begin, p.end))
        .collect();
    assert!(spans.contains(&(21, 44)), "{spans:?}");
    assert!(spans.contains(&(53, 72)), "{spans:?}");
}

#[test]
fn spanish_noun_phrases() {
    let text = "Quiero pagar la factura mensual con mi tarjeta de crédito.";
    let t = texts(text, Language::Es);
    assert!(t.contains(&"la factura mensual".to_string()), "{t:?}");
    assert!(t.iter().any(|p| p.starts_with("mi tarjeta")), "{t:?}");
    well_formed(text, Language::Es);
}

#[test]
fn chinese_and_the_other_fallbacks_find_something() {
    let cases = [
        ("我們今天下午去圖書館學習中文。", Language::ZhTw),
        ("我想查询我的银行账户余额。", Language::Zh),
        ("東京駅で新しいスマートフォンを買いました。", Language::Ja),
        ("나는 서울에서 새로운 노트북을 샀다.", Language::Ko),
        ("मैं दिल्ली में एक नया घर खरीदना चाहता हूं।", Language::Hi),
        ("أريد أن أدفع فاتورة الكهرباء في البنك.", Language::Ar),
    ];
    for (text, language) in cases {
        assert!(!detect(text, language).is_empty(), "{text}");
        well_formed(text, language);
    }
    let ja = texts(cases[2].0, Language::Ja);
    assert!(ja.contains(&"スマートフォン".to_string()), "{ja:?}");
    let ko = texts(cases[3].0, Language::Ko);
    assert!(ko.contains(&"서울".to_string()), "{ko:?}");
    assert!(ko.iter().any(|p| p.ends_with("노트북")), "{ko:?}");
}

#[test]
fn odd_input_never_panics() {
    let odd = [
        "",
        " ",
        "😀😀😀",
        "\u{0}\u{7}\t\n",
        "'s 's the the a",
        "é\u{301}\u{200d}",
        "... ??? !!!",
    ];
    for text in odd {
        for language in Language::ALL {
            well_formed(text, language);
        }
    }
}

#[test]
fn large_text_stays_linear() {
    let text = BANK.repeat(1_500); // ~100 KB
    let start = std::time::Instant::now();
    for language in [Language::En, Language::Zh, Language::Ko] {
        well_formed(&text, language);
    }
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn english_participles_numbers_and_time_phrases() {
    let t = texts(
        "The package arrived two days late with a broken lid.",
        Language::En,
    );
    assert_eq!(t, ["The package", "two days", "a broken lid"]);
    let t = texts(
        "I lost my credit card at the train station yesterday.",
        Language::En,
    );
    assert_eq!(t, ["my credit card", "the train station", "yesterday"]);
}

#[test]
fn a_possessive_clitic_stays_inside_the_phrase() {
    let t = texts("John's car broke down.", Language::En);
    assert_eq!(t.first().map(String::as_str), Some("John's car"));
}

#[test]
fn romance_guessed_verbs_and_fused_articles_stay_out() {
    let fr = texts(
        "Je voudrais réserver une table pour deux personnes ce soir.",
        Language::Fr,
    );
    assert!(fr.contains(&"une table".to_string()), "{fr:?}");
    assert!(!fr.contains(&"voudrais".to_string()), "{fr:?}");
    let it = texts(
        "Vorrei prenotare una camera doppia nel vostro albergo.",
        Language::It,
    );
    assert!(it.contains(&"una camera doppia".to_string()), "{it:?}");
    assert!(it.contains(&"vostro albergo".to_string()), "{it:?}");
}

#[test]
fn japanese_inflected_stems_and_korean_pronouns_are_no_phrases() {
    let ja = texts("東京駅で新しいスマートフォンを買いました。", Language::Ja);
    assert_eq!(ja, ["東京駅", "スマートフォン"]);
    let ko = texts("나는 서울에서 새로운 노트북을 샀다.", Language::Ko);
    assert_eq!(ko, ["서울", "새로운 노트북"]);
}
