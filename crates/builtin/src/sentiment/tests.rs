use super::*;

fn sentiment(text: &str, language: Language) -> Sentiment {
    analyse(text, language).sentiment
}

fn sums_to_one(a: &Analysis) -> bool {
    let s = a.score;
    let sum =
        f64::from(s.positive) + f64::from(s.negative) + f64::from(s.neutral) + f64::from(s.mixed);
    (sum - 1.0).abs() <= 1e-6
}

#[test]
fn clear_english_positive_and_negative() {
    let good = analyse(
        "The hotel was wonderful and the staff were so friendly!",
        Language::En,
    );
    assert_eq!(good.sentiment, Sentiment::Positive);
    assert!(good.score.positive > 0.7, "{good:?}");
    let bad = analyse(
        "This is the worst phone I have ever owned. Terrible.",
        Language::En,
    );
    assert_eq!(bad.sentiment, Sentiment::Negative);
    assert!(bad.score.negative > 0.7, "{bad:?}");
}

#[test]
fn neutral_facts_are_neutral() {
    for text in [
        "The train leaves from platform four at 7:45.",
        "The package contains four batteries and a cable.",
        "The meeting was moved to Thursday.",
    ] {
        assert_eq!(sentiment(text, Language::En), Sentiment::Neutral, "{text}");
    }
}

#[test]
fn strong_opposite_evidence_is_mixed() {
    let a = analyse(
        "The food was wonderful but the service was terrible.",
        Language::En,
    );
    assert_eq!(a.sentiment, Sentiment::Mixed, "{a:?}");
    let b = analyse("Loved the music, hated the crowd.", Language::En);
    assert_eq!(b.sentiment, Sentiment::Mixed, "{b:?}");
    let plain = analyse("The food was wonderful.", Language::En);
    assert!(plain.score.mixed < 0.05, "{plain:?}");
}

#[test]
fn canonical_cases() {
    for (text, expected) in [
        (
            "The food was wonderful but the service was terrible.",
            Sentiment::Mixed,
        ),
        (
            "I love this phone, the camera is wonderful!",
            Sentiment::Positive,
        ),
        (
            "The delivery was late and the box was broken. Awful.",
            Sentiment::Negative,
        ),
        ("The meeting is at 3 pm in room 204.", Sentiment::Neutral),
        ("Great product, works perfectly.", Sentiment::Positive),
        ("Terrible, it broke after one day.", Sentiment::Negative),
        ("I hate waiting.", Sentiment::Negative),
        ("What a fantastic, delightful day!", Sentiment::Positive),
    ] {
        let a = analyse(text, Language::En);
        assert_eq!(a.sentiment, expected, "{text}: {a:?}");
    }
}

#[test]
fn contrast_connectives_in_either_order_are_mixed() {
    for text in [
        "The service was terrible, but the food was wonderful.",
        "Although the hotel was beautiful, the staff were rude.",
        "The staff were rude, although the hotel was beautiful.",
        "While the screen is gorgeous, the battery is awful.",
        "The battery is awful; however, the screen is gorgeous.",
        "The plot is stupid; on the other hand, the music is excellent.",
        "The price is great, yet the quality is terrible.",
    ] {
        let a = analyse(text, Language::En);
        assert_eq!(a.sentiment, Sentiment::Mixed, "{text}: {a:?}");
    }
}

#[test]
fn one_sided_contrast_is_not_mixed() {
    for (text, expected) in [
        (
            "The room was small but the view was wonderful.",
            Sentiment::Positive,
        ),
        (
            "I wanted to like it, but it was awful.",
            Sentiment::Negative,
        ),
        ("It is not bad, it is really good.", Sentiment::Positive),
    ] {
        let a = analyse(text, Language::En);
        assert_eq!(a.sentiment, expected, "{text}: {a:?}");
    }
}

#[test]
fn clauses_split_at_punctuation_and_contrast_words() {
    let p = polarity("Wonderful beach, terrible hotel.", Language::En);
    assert!(
        p.positive_clauses > 2.0 && p.negative_clauses > 2.0,
        "{p:?}"
    );
    let q = polarity(
        "The beach was wonderful although the hotel was terrible.",
        Language::En,
    );
    assert!(
        q.positive_clauses > 2.0 && q.negative_clauses > 2.0,
        "{q:?}"
    );
    // Opposite words inside one clause net out there.
    let r = polarity("A wonderful and terrible film.", Language::En);
    assert!(r.positive_clauses.min(r.negative_clauses) == 0.0, "{r:?}");
    assert!(r.positive_mass.min(r.negative_mass) > 2.0, "{r:?}");
}

#[test]
fn negation_flips_polarity() {
    assert_eq!(
        sentiment("The movie was good.", Language::En),
        Sentiment::Positive
    );
    assert_eq!(
        sentiment("The movie was not good.", Language::En),
        Sentiment::Negative
    );
    assert_eq!(
        sentiment("It isn't bad at all.", Language::En),
        Sentiment::Positive
    );
    assert_eq!(
        sentiment("I don't like it.", Language::En),
        Sentiment::Negative
    );
}

#[test]
fn emphasis_strengthens() {
    let base = polarity("The food is good.", Language::En).compound;
    let boosted = polarity("The food is very good.", Language::En).compound;
    let shouted = polarity("The food is GOOD.", Language::En).compound;
    let exclaimed = polarity("The food is good!!!", Language::En).compound;
    let damped = polarity("The food is slightly good.", Language::En).compound;
    assert!(
        boosted > base && shouted > base && exclaimed > base,
        "{base}"
    );
    assert!(damped < base);
    // Capitals are emphasis only against lower-case words: an all-caps text is not louder.
    let all_caps = polarity("THE FOOD IS GOOD.", Language::En).compound;
    assert!((all_caps - base).abs() < 1e-6);
}

#[test]
fn but_shifts_weight_to_the_second_clause() {
    let p = polarity("The room was nice but the bed was awful.", Language::En);
    assert!(p.compound < 0.0, "{p:?}");
    let q = polarity("The bed was awful but the room was nice.", Language::En);
    assert!(q.compound > 0.0, "{q:?}");
}

#[test]
fn emoji_and_emoticons_count() {
    assert_eq!(
        sentiment("Dinner tonight 😍", Language::En),
        Sentiment::Positive
    );
    assert_eq!(
        sentiment("Dinner tonight :(", Language::En),
        Sentiment::Negative
    );
    assert_eq!(sentiment("😠😠", Language::Ja), Sentiment::Negative);
}

#[test]
fn every_language_reads_positive_and_negative() {
    use Language::*;
    let cases = [
        (
            Es,
            "La comida estaba deliciosa y el servicio fue excelente.",
            "El hotel era sucio y el personal muy grosero.",
        ),
        (
            Fr,
            "Le film était vraiment génial, j'ai adoré.",
            "Le service était horrible et la chambre sale.",
        ),
        (
            De,
            "Das Essen war sehr lecker und das Personal freundlich.",
            "Der Film war langweilig und schrecklich.",
        ),
        (
            It,
            "Il ristorante è ottimo, il cibo delizioso.",
            "Il servizio è stato pessimo e la camera sporca.",
        ),
        (
            Pt,
            "O hotel é maravilhoso e os funcionários muito simpáticos.",
            "O produto chegou quebrado, péssimo atendimento.",
        ),
        (
            Ar,
            "الفندق رائع والخدمة ممتازة",
            "الطعام سيء جدا والخدمة فظيعة",
        ),
        (Hi, "यह फ़िल्म बहुत अच्छी है", "खाना बहुत खराब था"),
        (
            Ja,
            "このレストランは本当に素晴らしい。料理も美味しい。",
            "サービスは最悪で、部屋も汚かった。",
        ),
        (
            Ko,
            "이 영화 정말 재미있어요. 최고예요!",
            "서비스가 너무 불친절하고 최악이었어요.",
        ),
        (Zh, "这家餐厅非常好，菜很好吃。", "服务太差了，我很失望。"),
        (ZhTw, "這家餐廳非常好，菜很好吃。", "服務太差了，我很失望。"),
    ];
    for (language, positive, negative) in cases {
        assert_eq!(
            sentiment(positive, language),
            Sentiment::Positive,
            "{positive}"
        );
        assert_eq!(
            sentiment(negative, language),
            Sentiment::Negative,
            "{negative}"
        );
    }
}

#[test]
fn negation_in_other_languages() {
    use Language::*;
    for (language, text) in [
        (Es, "La película no es buena."),
        (Fr, "Ce n'est pas bon."),
        (De, "Das Essen war nicht gut."),
        (De, "Ich mag es nicht."),
        (Hi, "यह फ़िल्म अच्छी नहीं है"),
        (Ja, "この料理は美味しくない。"),
        (Ko, "음식이 좋지 않았어요."),
        (Zh, "这个电影不好看。"),
    ] {
        assert_eq!(sentiment(text, language), Sentiment::Negative, "{text}");
    }
}

#[test]
fn scores_sum_to_one_and_argmax_is_the_sentiment() {
    let texts = [
        "Great!",
        "awful",
        "a fact",
        "good but bad",
        "",
        "NOT GOOD AT ALL!!!",
    ];
    for language in Language::ALL {
        for text in texts {
            let a = analyse(text, language);
            assert!(sums_to_one(&a), "{text} {a:?}");
            let s = a.score;
            let top = s.positive.max(s.negative).max(s.neutral).max(s.mixed);
            let chosen = match a.sentiment {
                Sentiment::Positive => s.positive,
                Sentiment::Negative => s.negative,
                Sentiment::Neutral => s.neutral,
                Sentiment::Mixed => s.mixed,
            };
            assert_eq!(chosen, top);
        }
    }
}

#[test]
fn odd_input_does_not_panic() {
    let long = "good bad ".repeat(20_000);
    let inputs = [
        "",
        " ",
        "\n\t  ",
        "🙂",
        "😀😀😀",
        "!!!???",
        "\u{0}\u{1}\u{7f}",
        "'",
        "n'",
        "l'",
        "a\u{301}\u{301}\u{301}",
        "🇫🇷👨‍👩‍👧",
        "안",
        "不",
        "ない",
        long.as_str(),
        "ﷺ",
        "\u{FEFF}",
    ];
    for language in Language::ALL {
        for text in inputs {
            let a = analyse(text, language);
            assert!(sums_to_one(&a), "{text:?}");
        }
    }
    assert_eq!(sentiment("   ", Language::En), Sentiment::Neutral);
    assert_eq!(sentiment("", Language::Zh), Sentiment::Neutral);
}

#[test]
fn deterministic() {
    let text = "The view was amazing but the bed was uncomfortable.";
    assert_eq!(analyse(text, Language::En), analyse(text, Language::En));
}

#[test]
fn every_translated_row_takes_a_vader_valence() {
    assert!(
        lexicon::untranslatable_rows().is_empty(),
        "{:?}",
        lexicon::untranslatable_rows()
    );
}

#[test]
fn inflection_and_clitics_reach_the_lexicon() {
    let es = lexicon::vocabulary(Language::Es);
    assert!(es.valence("buenas").is_some_and(|v| v > 0.0));
    let ar = lexicon::vocabulary(Language::Ar);
    let word = lexicon::normalise(Language::Ar, "والجميلة");
    assert!(ar.valence(&word).is_some_and(|v| v > 0.0));
    let de = lexicon::vocabulary(Language::De);
    assert!(de.valence("schreckliche").is_some_and(|v| v < 0.0));
    assert!(de.valence("zeitverschwendung").is_some_and(|v| v < 0.0));
    assert!(de.valence("unfreundlicher").is_some_and(|v| v < 0.0));
}

#[test]
fn chinese_neutral_words_hide_no_sentiment() {
    assert_eq!(
        sentiment("你好，我想问一下。", Language::Zh),
        Sentiment::Neutral
    );
}
