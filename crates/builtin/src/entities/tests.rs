use super::*;

/// The entities of `text` as (type, text of the span) pairs.
fn spans(text: &str, language: Language) -> Vec<(EntityType, String)> {
    detect(text, language)
        .into_iter()
        .map(|e| {
            let s: String = text.chars().skip(e.begin).take(e.end - e.begin).collect();
            (e.kind, s)
        })
        .collect()
}

fn has(text: &str, language: Language, kind: EntityType, span: &str) -> bool {
    spans(text, language)
        .iter()
        .any(|(k, s)| *k == kind && s == span)
}

const SENTENCE: &str = "Jane Smith flew from Seattle to Paris on Monday, March 3, 2025 to meet Amazon's CEO and paid $1,200.";

#[test]
fn the_types_of_a_sentence_with_exact_offsets() {
    use EntityType::*;
    let found: Vec<(EntityType, usize, usize)> = detect(SENTENCE, Language::En)
        .into_iter()
        .map(|e| (e.kind, e.begin, e.end))
        .collect();
    assert_eq!(
        found,
        vec![
            (Person, 0, 10),
            (Location, 21, 28),
            (Location, 32, 37),
            (Date, 41, 62),
            (Organization, 71, 77),
            (Quantity, 93, 99),
        ]
    );
}

#[test]
fn emoji_before_keep_code_point_offsets() {
    let text = format!("😀🎉 {SENTENCE}");
    let plain = detect(SENTENCE, Language::En);
    let shifted = detect(&text, Language::En);
    assert_eq!(plain.len(), shifted.len());
    for (a, b) in plain.iter().zip(&shifted) {
        assert_eq!((a.kind, a.begin + 3, a.end + 3), (b.kind, b.begin, b.end));
    }
}

#[test]
fn spanish_dates_and_amounts() {
    let text = "Pagamos 1.200 euros el 3 de marzo de 2025 y volvimos la semana pasada.";
    assert!(has(text, Language::Es, EntityType::Quantity, "1.200 euros"));
    assert!(has(
        text,
        Language::Es,
        EntityType::Date,
        "3 de marzo de 2025"
    ));
    assert!(has(
        text,
        Language::Es,
        EntityType::Date,
        "la semana pasada"
    ));
}

#[test]
fn english_dates_times_and_quantities() {
    let en = Language::En;
    let text = "Last week we met at 8:30 a.m. and again 3 days ago; in 1997 it cost 25% more.";
    assert!(has(text, en, EntityType::Date, "Last week"));
    assert!(has(text, en, EntityType::Date, "8:30 a.m."));
    assert!(has(text, en, EntityType::Date, "3 days ago"));
    assert!(has(text, en, EntityType::Date, "1997"));
    assert!(has(text, en, EntityType::Quantity, "25%"));
    let text = "The drive holds 512 GB and weighs three pounds; we have 500 members.";
    assert!(has(text, en, EntityType::Quantity, "512 GB"));
    assert!(has(text, en, EntityType::Quantity, "three pounds"));
    assert!(has(text, en, EntityType::Quantity, "500"));
}

#[test]
fn may_the_verb_is_no_date() {
    let found = spans("May I ask you something?", Language::En);
    assert!(
        found.iter().all(|(k, _)| *k != EntityType::Date),
        "{found:?}"
    );
    assert!(has(
        "It opens in May 2026.",
        Language::En,
        EntityType::Date,
        "May 2026"
    ));
}

#[test]
fn emails_urls_and_cards_are_other() {
    let text =
        "Write to jane@example.com, see https://example.com/a or pay with 4111 1111 1111 1111.";
    let other: Vec<String> = spans(text, Language::En)
        .into_iter()
        .filter(|(k, _)| *k == EntityType::Other)
        .map(|(_, s)| s)
        .collect();
    assert_eq!(
        other,
        [
            "jane@example.com",
            "https://example.com/a",
            "4111 1111 1111 1111"
        ]
    );
}

#[test]
fn digits_work_in_every_language() {
    assert!(has(
        "会议在2025年3月3日举行。",
        Language::Zh,
        EntityType::Date,
        "2025年3月3日"
    ));
    assert!(has(
        "회의는 2025년 3월 3일입니다.",
        Language::Ko,
        EntityType::Date,
        "2025년 3월 3일"
    ));
    assert!(has(
        "السعر 25% فقط",
        Language::Ar,
        EntityType::Quantity,
        "25%"
    ));
    assert!(has(
        "Die Sitzung ist am 3. März 2025.",
        Language::De,
        EntityType::Date,
        "3. März 2025"
    ));
}

#[test]
fn names_depend_on_the_text() {
    let a = spans("Maria Lopez moved to Chicago.", Language::En);
    let b = spans("Peter Brown moved to Denver.", Language::En);
    assert!(
        a.contains(&(EntityType::Person, "Maria Lopez".into())),
        "{a:?}"
    );
    assert!(
        b.contains(&(EntityType::Location, "Denver".into())),
        "{b:?}"
    );
    assert!(spans("the cat sat on the mat", Language::En).is_empty());
}

#[test]
fn odd_input_never_panics_and_spans_stay_inside() {
    let long = "Ann Lee paid $5 in Paris. ".repeat(2_000);
    let texts = [
        "",
        " ",
        "\u{0}\u{1}\u{7f}",
        "'s",
        "’s’s'",
        "$",
        "%%%",
        "1,",
        "😀😀😀",
        "\u{202e}Jane\u{200d}Smith",
        "e\u{301}\u{301}\u{301} 3:99 99/99/9999",
        &long,
    ];
    for text in texts {
        for language in Language::ALL {
            let found = detect(text, language);
            let n = text.chars().count();
            for pair in found.windows(2) {
                assert!(pair[0].end <= pair[1].begin);
            }
            assert!(found.iter().all(|e| e.begin < e.end && e.end <= n));
            assert!(found.iter().all(|e| (0.0..=1.0).contains(&e.score)));
        }
    }
}

#[test]
fn detection_is_deterministic() {
    for language in Language::ALL {
        assert_eq!(detect(SENTENCE, language), detect(SENTENCE, language));
    }
}

#[test]
fn every_type_has_its_wire_name() {
    let names: Vec<&str> = EntityType::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(
        names,
        [
            "PERSON",
            "LOCATION",
            "ORGANIZATION",
            "COMMERCIAL_ITEM",
            "EVENT",
            "DATE",
            "QUANTITY",
            "TITLE",
            "OTHER"
        ]
    );
}

#[test]
fn every_rule_compiles() {
    for language in Language::ALL {
        // A pattern that fails to compile is dropped silently at run time: none may.
        assert!(dates::every_rule_compiles(language));
        assert!(quantities::every_rule_compiles(language));
    }
}
