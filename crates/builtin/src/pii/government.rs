//! Government identifiers: US SSN and ITIN, Canada's SIN and health numbers, the UK's NINO,
//! NHS number and UTR, India's Aadhaar, PAN, NREGA job card and voter ID, passports and
//! driver's licences.

use super::PiiType::{
    CaHealthNumber, CaSocialInsuranceNumber, DriverId, InAadhaar, InNrega,
    InPermanentAccountNumber, InVoterNumber, PassportNumber, Ssn, UkNationalHealthServiceNumber,
    UkNationalInsuranceNumber, UkUniqueTaxpayerReferenceNumber,
    UsIndividualTaxIdentificationNumber,
};
use super::checks::{digits, luhn, nhs, one_separator, verhoeff};
use super::recognizer::{Recognizer, any};

const SSN_WORDS: &[&str] = &[
    "ssn",
    "ss#",
    "social security",
    "social security number",
    "seguro social",
    "número de seguro social",
    "numero de seguro social",
];
const ITIN_WORDS: &[&str] = &[
    "itin",
    "taxpayer",
    "tax id",
    "tax identification",
    "individual taxpayer",
    "identificación fiscal",
    "identificacion fiscal",
    "contribuyente",
];
const SIN_WORDS: &[&str] = &["sin", "social insurance", "nas", "assurance sociale"];
const CA_HEALTH_WORDS: &[&str] = &[
    "health card",
    "health number",
    "health insurance number",
    "ohip",
    "phn",
    "carte santé",
    "assurance maladie",
    "tarjeta sanitaria",
    "tarjeta de salud",
];
const NHS_WORDS: &[&str] = &["nhs", "national health service", "health service"];
const UTR_WORDS: &[&str] = &[
    "utr",
    "unique taxpayer reference",
    "taxpayer reference",
    "tax reference",
    "self assessment",
];
const NINO_WORDS: &[&str] = &[
    "national insurance",
    "ni number",
    "nino",
    "nin",
    "insurance number",
];
const AADHAAR_WORDS: &[&str] = &["aadhaar", "aadhar", "uid", "uidai"];
const PAN_WORDS: &[&str] = &["pan", "permanent account number", "income tax"];
const NREGA_WORDS: &[&str] = &["nrega", "mgnrega", "nregs", "job card"];
const VOTER_WORDS: &[&str] = &[
    "voter",
    "epic",
    "electoral",
    "elector",
    "votante",
    "elector's",
];
const PASSPORT_WORDS: &[&str] = &["passport", "pasaporte"];
const DRIVER_WORDS: &[&str] = &[
    "driver",
    "driving",
    "dl",
    "license number",
    "licence number",
    "licencia",
    "conducir",
    "manejo",
    "carnet",
    "carné",
];

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    Recognizer::new(Ssn, r"\b[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}\b", ssn)
        .boosted_by(SSN_WORDS)
        .scored(0.85, 0.99),
    Recognizer::new(Ssn, r"\b[0-9]{9}\b", ssn)
        .only_after(SSN_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(
        UsIndividualTaxIdentificationNumber,
        r"\b9[0-9]{2}[- ][0-9]{2}[- ][0-9]{4}\b",
        itin,
    )
    .boosted_by(ITIN_WORDS)
    .scored(0.85, 0.99),
    Recognizer::new(UsIndividualTaxIdentificationNumber, r"\b9[0-9]{8}\b", itin)
        .only_after(ITIN_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(
        CaSocialInsuranceNumber,
        r"\b[0-9]{3}[- ][0-9]{3}[- ][0-9]{3}\b",
        sin,
    )
    .boosted_by(SIN_WORDS)
    .scored(0.8, 0.99),
    Recognizer::new(CaSocialInsuranceNumber, r"\b[0-9]{9}\b", sin)
        .only_after(SIN_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(
        CaHealthNumber,
        r"\b[0-9]{4}[- ]?[0-9]{3}[- ]?[0-9]{3}\b",
        one_separator,
    )
    .only_after(CA_HEALTH_WORDS)
    .scored(0.95, 0.95),
    Recognizer::new(
        UkNationalHealthServiceNumber,
        r"\b[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}\b",
        nhs_number,
    )
    .only_after(NHS_WORDS)
    .scored(0.99, 0.99),
    Recognizer::new(
        UkUniqueTaxpayerReferenceNumber,
        r"\b[0-9]{5} ?[0-9]{5}K?\b",
        any,
    )
    .only_after(UTR_WORDS)
    .scored(0.95, 0.95),
    Recognizer::new(
        UkNationalInsuranceNumber,
        r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b",
        nino,
    )
    .boosted_by(NINO_WORDS)
    .scored(0.85, 0.99),
    Recognizer::new(
        InAadhaar,
        r"\b[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}\b",
        aadhaar,
    )
    .boosted_by(AADHAAR_WORDS)
    .scored(0.85, 0.99),
    Recognizer::new(
        InPermanentAccountNumber,
        r"\b[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]\b",
        any,
    )
    .boosted_by(PAN_WORDS)
    .scored(0.85, 0.99),
    Recognizer::new(
        InNrega,
        r"\b[A-Z]{2}-[0-9]{2}-[0-9]{3}-[0-9]{3}-[0-9]{3}/[0-9]{1,6}\b",
        nrega,
    )
    .boosted_by(NREGA_WORDS)
    .scored(0.9, 0.99),
    Recognizer::new(InVoterNumber, r"\b[A-Z]{3}[0-9]{7}\b", any)
        .only_after(VOTER_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(PassportNumber, r"\b[A-Z]{0,2}[0-9]{6,9}\b", any)
        .only_after(PASSPORT_WORDS)
        .scored(0.95, 0.95),
    Recognizer::new(DriverId, r"\b[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9]\b", driver_id)
        .only_after(DRIVER_WORDS)
        .scored(0.9, 0.9),
];

/// Digits of an SSN-shaped match: `(area, group, serial)`.
fn ssn_parts(s: &str) -> Option<(u32, u32, u32)> {
    let d = digits(s);
    if d.len() != 9 || !one_separator(s) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    Some((n(0..3), n(3..5), n(5..9)))
}

/// The Social Security Administration never issues area 000, 666 or 900–999, group 00 or
/// serial 0000.
fn ssn(s: &str) -> bool {
    ssn_parts(s).is_some_and(|(area, group, serial)| {
        area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    })
}

/// ITINs start with 9 and have their 4th–5th digits in 50–65, 70–88, 90–92 or 94–99 (IRS).
fn itin(s: &str) -> bool {
    ssn_parts(s).is_some_and(|(area, group, _)| {
        area >= 900 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
    })
}

/// Canada's SIN: nine digits passing Luhn; none start with 0 or 8.
fn sin(s: &str) -> bool {
    let d = digits(s);
    d.len() == 9 && one_separator(s) && !matches!(d[0], 0 | 8) && luhn(&d)
}

fn nhs_number(s: &str) -> bool {
    one_separator(s) && nhs(&digits(s))
}

/// HMRC never issues the prefixes BG, GB, NK, KN, NT, TN and ZZ.
fn nino(s: &str) -> bool {
    let prefix = s.get(..2).unwrap_or("");
    one_separator(s) && !matches!(prefix, "BG" | "GB" | "NK" | "KN" | "NT" | "TN" | "ZZ")
}

fn aadhaar(s: &str) -> bool {
    one_separator(s) && verhoeff(&digits(s))
}

/// An NREGA job card starts with the state's code.
fn nrega(s: &str) -> bool {
    const STATES: &str = "AN AP AR AS BH BR CG CH DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN \
        MP MZ NL OR OD PB PY RJ SK TN TR TS UK UP UT WB";
    s.get(..2)
        .is_some_and(|code| STATES.split_whitespace().any(|c| c == code))
}

/// A licence number holds a digit and at most two dashes.
fn driver_id(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().filter(|&b| b == b'-').count() <= 2
}
