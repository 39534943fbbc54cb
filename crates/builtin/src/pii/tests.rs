//! Real texts with the answers the service gives for them.

use super::*;

fn found(text: &str, language: Language) -> Vec<(PiiType, &str)> {
    let chars: Vec<char> = text.chars().collect();
    detect(text, language)
        .into_iter()
        .map(|e| {
            let piece: String = chars[e.begin..e.end].iter().collect();
            (e.kind, &*Box::leak(piece.into_boxed_str()))
        })
        .collect()
}

fn en(text: &str) -> Vec<(PiiType, &str)> {
    found(text, Language::En)
}

fn kinds(text: &str) -> Vec<PiiType> {
    en(text).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn paragraph_with_emoji_gives_phone_email_card_at_code_point_offsets() {
    let text = "😀 Call me at (206) 555-0142 or mail jane.doe@example.com; my card is 4111 1111 1111 1111.";
    let entities = detect(text, Language::En);
    let spans: Vec<(PiiType, usize, usize)> =
        entities.iter().map(|e| (e.kind, e.begin, e.end)).collect();
    assert_eq!(
        spans,
        vec![
            (PiiType::Phone, 13, 27),
            (PiiType::Email, 36, 56),
            (PiiType::CreditDebitNumber, 69, 88),
        ]
    );
    assert!(entities.iter().all(|e| (0.0..=1.0).contains(&e.score)));
}

#[test]
fn luhn_invalid_card_is_not_a_card() {
    assert_eq!(kinds("my card is 4111 1111 1111 1112."), vec![]);
    assert_eq!(
        kinds("my card is 5500-0000-0000-0004"),
        vec![PiiType::CreditDebitNumber]
    );
}

#[test]
fn pin_only_near_pin() {
    assert_eq!(en("My PIN is 4821."), vec![(PiiType::Pin, "4821")]);
    assert_eq!(kinds("We sold 4821 units."), vec![]);
    assert_eq!(
        en("PIN 1234 and CVV 567"),
        vec![(PiiType::Pin, "1234"), (PiiType::CreditDebitCvv, "567")]
    );
}

#[test]
fn iban_valid_and_invalid() {
    assert_eq!(
        en("Send it to IBAN GB82 WEST 1234 5698 7654 32 today."),
        vec![(
            PiiType::InternationalBankAccountNumber,
            "GB82 WEST 1234 5698 7654 32"
        )]
    );
    assert_eq!(
        kinds("Send it to IBAN GB82 WEST 1234 5698 7654 33 today."),
        vec![]
    );
    assert_eq!(
        kinds("DE89370400440532013000"),
        vec![PiiType::InternationalBankAccountNumber]
    );
}

#[test]
fn ssn_rules() {
    assert_eq!(en("SSN 078-05-1120"), vec![(PiiType::Ssn, "078-05-1120")]);
    assert_eq!(kinds("SSN 000-12-3456"), vec![]);
    assert_eq!(
        kinds("SSN 666-12-3456 or 123-00-4567 or 123-45-0000"),
        vec![]
    );
    assert_eq!(
        kinds("ITIN 912-70-1234"),
        vec![PiiType::UsIndividualTaxIdentificationNumber]
    );
    assert_eq!(kinds("ITIN 912-93-1234"), vec![]);
}

#[test]
fn spanish_password_and_user() {
    let got = found(
        "Mi usuario es juan_p y mi contraseña es Gato#2024.",
        Language::Es,
    );
    assert_eq!(
        got,
        vec![
            (PiiType::Username, "juan_p"),
            (PiiType::Password, "Gato#2024")
        ]
    );
    assert_eq!(
        found("Nací el 5 de marzo de 1990 y tengo 34 años.", Language::Es),
        vec![
            (PiiType::DateTime, "5 de marzo de 1990"),
            (PiiType::Age, "34 años")
        ]
    );
}

#[test]
fn contains_agrees_with_detect() {
    let text = "Email a@b.co, phone +1 206 555 0142, again c@d.org; password: x9!k2.";
    let entities = detect(text, Language::En);
    let labels = contains(text, Language::En);
    assert_eq!(
        labels.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        vec![PiiType::Email, PiiType::Phone, PiiType::Password]
    );
    for (kind, score) in labels {
        let best = entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.score)
            .fold(0.0, f32::max);
        assert_eq!(score, best);
    }
    assert!(contains("nothing here", Language::En).is_empty());
}

#[test]
fn checksummed_identifiers() {
    assert_eq!(kinds("Aadhaar 8914 1777 6314"), vec![PiiType::InAadhaar]);
    assert_eq!(kinds("Aadhaar 8914 1777 6318"), vec![]);
    assert_eq!(
        kinds("NHS number 943 476 5919"),
        vec![PiiType::UkNationalHealthServiceNumber]
    );
    // A wrong check digit: no NHS number (though it may still read as a US phone number).
    assert!(!kinds("NHS number 943 476 5918").contains(&PiiType::UkNationalHealthServiceNumber));
    assert_eq!(
        kinds("VIN 1M8GDM9AXKP042788"),
        vec![PiiType::VehicleIdentificationNumber]
    );
    assert_eq!(
        kinds("routing number 021000021"),
        vec![PiiType::BankRouting]
    );
    assert_eq!(kinds("routing number 021000022"), vec![]);
    assert_eq!(
        kinds("SIN 130 692 544"),
        vec![PiiType::CaSocialInsuranceNumber]
    );
    assert_eq!(
        kinds("NINO AB 12 34 56 C"),
        vec![PiiType::UkNationalInsuranceNumber]
    );
    assert_eq!(kinds("NINO GB 12 34 56 C"), vec![]);
    assert_eq!(
        kinds("PAN ABCPE1234F"),
        vec![PiiType::InPermanentAccountNumber]
    );
    assert_eq!(kinds("SWIFT DEUTDEFF500"), vec![PiiType::SwiftCode]);
    assert_eq!(kinds("the DEADLINE is near"), vec![]);
}

#[test]
fn network_values() {
    assert_eq!(
        en("host 192.168.1.20 or fe80::1ff:fe23:4567:890a, mac 00:1A:2B:3C:4D:5E"),
        vec![
            (PiiType::IpAddress, "192.168.1.20"),
            (PiiType::IpAddress, "fe80::1ff:fe23:4567:890a"),
            (PiiType::MacAddress, "00:1A:2B:3C:4D:5E"),
        ]
    );
    assert_eq!(kinds("version 999.1.1.1"), vec![]);
    assert_eq!(
        en("see https://example.com/a?b=1. Key AKIAIOSFODNN7EXAMPLE"),
        vec![
            (PiiType::Url, "https://example.com/a?b=1"),
            (PiiType::AwsAccessKey, "AKIAIOSFODNN7EXAMPLE")
        ]
    );
    assert_eq!(
        kinds("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        vec![PiiType::AwsSecretKey]
    );
}

#[test]
fn dates_times_and_ages() {
    assert_eq!(
        en("On March 5, 2024 at 10:30 PM she turned 40 years old; call at 11 am."),
        vec![
            (PiiType::DateTime, "March 5, 2024"),
            (PiiType::DateTime, "10:30 PM"),
            (PiiType::Age, "40 years"),
            (PiiType::DateTime, "11 am"),
        ]
    );
    assert_eq!(
        kinds("expires 09/27, CVV 123"),
        vec![PiiType::CreditDebitExpiry, PiiType::CreditDebitCvv]
    );
}

#[test]
fn odd_input_does_not_panic() {
    for text in [
        "",
        " ",
        "\0\u{1}\u{7f}",
        "é",
        "😀😀",
        "PIN",
        "password:",
        "+",
        "::",
        "4111 ",
        "a@",
        "\u{202e}1234",
    ] {
        let _ = detect(text, Language::En);
        let _ = contains(text, Language::Es);
    }
    let long = "ÿ1-".repeat(10_000);
    let _ = detect(&long, Language::En);
}

#[test]
fn hundred_kilobytes_in_milliseconds() {
    let unit =
        "Call me at (206) 555-0142 or mail jane.doe@example.com; card 4111 1111 1111 1111. 😀 ";
    let text = unit.repeat(100_000 / unit.len());
    let started = std::time::Instant::now();
    let entities = detect(&text, Language::En);
    assert_eq!(entities.len(), 3 * (100_000 / unit.len()));
    // Generous for an unoptimised test build on a shared machine.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn international_phones_and_labels_stay_in_their_sentence() {
    assert_eq!(
        en("Mi teléfono es +34 975668397."),
        vec![(PiiType::Phone, "+34 975668397")]
    );
    assert_eq!(
        en("UK office: +441184960684"),
        vec![(PiiType::Phone, "+441184960684")]
    );
    // "account" ends its sentence: the card that follows is no account number.
    assert_eq!(
        kinds("It is linked to the account. Please charge 3530-1113-3330-0000 now."),
        vec![PiiType::CreditDebitNumber]
    );
}
