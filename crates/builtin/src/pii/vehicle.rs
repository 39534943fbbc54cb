//! Vehicles: licence plates and vehicle identification numbers.

use super::PiiType::{LicensePlate, VehicleIdentificationNumber};
use super::checks::vin;
use super::recognizer::Recognizer;

const PLATE_WORDS: &[&str] = &[
    "plate",
    "license plate",
    "licence plate",
    "number plate",
    "registration",
    "tag",
    "matrícula",
    "matricula",
    "placa",
    "patente",
];
const VIN_WORDS: &[&str] = &[
    "vin",
    "vehicle identification",
    "chassis",
    "bastidor",
    "identificación vehicular",
    "niv",
];

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    Recognizer::new(LicensePlate, r"\b[A-Z0-9]{1,4}[- ]?[A-Z0-9]{1,5}\b", plate)
        .only_after(PLATE_WORDS)
        .scored(0.9, 0.9),
    // The check digit (position 9) of North American VINs; a VIN without one (some European
    // makers) cannot be told from any other 17-character code.
    Recognizer::new(
        VehicleIdentificationNumber,
        r"\b[A-HJ-NPR-Z0-9]{17}\b",
        checked_vin,
    )
    .boosted_by(VIN_WORDS)
    .scored(0.9, 0.99),
];

/// 4 to 8 characters mixing letters and digits (`7ABC123`, `ABC-1234`).
fn plate(s: &str) -> bool {
    let n = s.bytes().filter(u8::is_ascii_alphanumeric).count();
    (4..=8).contains(&n) && mixed(s)
}

fn mixed(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_uppercase())
}

fn checked_vin(s: &str) -> bool {
    mixed(s) && vin(s)
}
