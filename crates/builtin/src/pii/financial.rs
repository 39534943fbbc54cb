//! Payment cards, bank accounts, routing numbers, IBANs and SWIFT codes.

use super::PiiType::{
    BankAccountNumber, BankRouting, CreditDebitCvv, CreditDebitExpiry, CreditDebitNumber,
    InternationalBankAccountNumber, Pin, SwiftCode,
};
use super::checks::{aba, digits, luhn, mod97, one_separator};
use super::recognizer::{Recognizer, any};

const CARD_WORDS: &[&str] = &[
    "card",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "discover",
    "tarjeta",
    "crédito",
    "credito",
    "débito",
    "debito",
];
const CVV_WORDS: &[&str] = &[
    "cvv",
    "cvc",
    "cvv2",
    "cvc2",
    "cid",
    "csc",
    "security code",
    "card verification",
    "código de seguridad",
    "codigo de seguridad",
];
const EXPIRY_WORDS: &[&str] = &[
    "exp",
    "expires",
    "expiry",
    "expiration",
    "expiration date",
    "valid thru",
    "valid through",
    "good thru",
    "vence",
    "vencimiento",
    "caduca",
    "caducidad",
    "válida hasta",
    "valida hasta",
];
const PIN_WORDS: &[&str] = &["pin", "nip", "pin code", "pin number"];
const ACCOUNT_WORDS: &[&str] = &[
    "account",
    "acct",
    "a/c",
    "checking",
    "savings",
    "cuenta",
    "cuenta bancaria",
];
const ROUTING_WORDS: &[&str] = &[
    "routing",
    "aba",
    "rtn",
    "transit",
    "routing number",
    "número de ruta",
    "numero de ruta",
    "ruta",
];
const IBAN_WORDS: &[&str] = &[
    "iban",
    "bank",
    "banco",
    "cuenta",
    "transfer",
    "transferencia",
];
const SWIFT_WORDS: &[&str] = &["swift", "bic", "swift code", "código swift", "codigo swift"];

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    Recognizer::new(CreditDebitNumber, r"\b[0-9](?:[ -]?[0-9]){12,18}\b", card)
        .boosted_by(CARD_WORDS)
        .scored(0.9, 0.99),
    Recognizer::new(CreditDebitCvv, r"\b[0-9]{3,4}\b", any)
        .only_after(CVV_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(
        CreditDebitExpiry,
        r"\b(?:0?[1-9]|1[0-2]) ?[/-] ?(?:20[0-9]{2}|[0-9]{2})\b",
        any,
    )
    .only_after(EXPIRY_WORDS)
    .scored(0.95, 0.95),
    Recognizer::new(Pin, r"\b[0-9]{4,6}\b", any)
        .only_after(PIN_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(BankAccountNumber, r"\b[0-9][0-9 -]{4,22}[0-9]\b", account)
        .only_after(ACCOUNT_WORDS)
        .scored(0.9, 0.9),
    Recognizer::new(BankRouting, r"\b[0-9]{9}\b", routing)
        .only_after(ROUTING_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(
        InternationalBankAccountNumber,
        r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
        iban,
    )
    .boosted_by(IBAN_WORDS)
    .scored(0.95, 0.99),
    // Letters only (DEUTDEFF) reads like any shouted word: only when labelled.
    Recognizer::new(
        SwiftCode,
        r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b",
        swift_marked,
    )
    .boosted_by(SWIFT_WORDS)
    .scored(0.85, 0.99),
    Recognizer::new(SwiftCode, r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b", swift)
        .only_after(SWIFT_WORDS)
        .scored(0.95, 0.95),
];

/// 13 to 19 digits in one style of grouping, a known issuer prefix, and the Luhn check.
fn card(s: &str) -> bool {
    let d = digits(s);
    (13..=19).contains(&d.len()) && one_separator(s) && known_issuer(&d) && luhn(&d)
}

/// Issuer identification numbers of the card networks (ISO/IEC 7812): Visa 4; Mastercard
/// 51–55 and 2221–2720; American Express 34, 37; Diners 300–305, 36, 38–39; JCB 3528–3589;
/// Discover and UnionPay 60, 62, 64–65; Maestro 50, 56–58, 67; RuPay 81–82.
fn known_issuer(d: &[u8]) -> bool {
    let prefix = |n: usize| {
        d.iter()
            .take(n)
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x))
    };
    let (two, four) = (prefix(2), prefix(4));
    match d.first() {
        Some(4) => true,
        Some(2) => (2221..=2720).contains(&four),
        Some(3) => {
            matches!(two, 34 | 36 | 37 | 38 | 39)
                || (300..=305).contains(&prefix(3))
                || (3528..=3589).contains(&four)
        }
        Some(5) => matches!(two, 50..=58),
        Some(6) => matches!(two, 60 | 62 | 64 | 65 | 67),
        Some(8) => matches!(two, 81 | 82),
        _ => false,
    }
}

/// 6 to 17 digits, one style of grouping.
fn account(s: &str) -> bool {
    (6..=17).contains(&digits(s).len()) && one_separator(s)
}

/// The ABA checksum, and a first two digits the Federal Reserve assigns (00–12 banks,
/// 21–32 thrifts, 61–72 electronic, 80 traveller's cheques).
fn routing(s: &str) -> bool {
    let d = digits(s);
    let head = d
        .first()
        .map_or(99, |&a| a * 10 + d.get(1).copied().unwrap_or(0));
    aba(&d) && matches!(head, 0..=12 | 21..=32 | 61..=72 | 80)
}

/// The country's IBAN length and the mod-97 check.
fn iban(s: &str) -> bool {
    let code: String = s.chars().filter(|c| *c != ' ').collect();
    let country = code.get(..2).unwrap_or("");
    iban_length(country) == Some(code.len()) && one_separator(s) && mod97(&code)
}

/// IBAN lengths by country (the SWIFT IBAN registry).
fn iban_length(country: &str) -> Option<usize> {
    const LENGTHS: &str = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 \
        CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 \
        IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 \
        MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 \
        ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20";
    LENGTHS
        .split_whitespace()
        .find(|entry| entry.starts_with(country) && country.len() == 2)
        .and_then(|entry| entry[2..].parse().ok())
}

/// ISO 9362: bank (4 letters), ISO 3166 country, location (2), optional branch (3).
fn swift(s: &str) -> bool {
    s.get(4..6).is_some_and(is_country)
}

/// A SWIFT code that does not read as a word: a digit in its location or branch, or the
/// primary-office branch `XXX`.
fn swift_marked(s: &str) -> bool {
    swift(s) && (s[6..].bytes().any(|b| b.is_ascii_digit()) || s.ends_with("XXX"))
}

/// ISO 3166-1 alpha-2 country codes (and XK, which SWIFT uses for Kosovo). A string is
/// smaller than a dependency for 250 codes that change once in years.
fn is_country(code: &str) -> bool {
    const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
        BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX \
        CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL \
        GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
        KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK \
        ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE \
        PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
        SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY \
        UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";
    code.len() == 2 && CODES.split_whitespace().any(|c| c == code)
}
