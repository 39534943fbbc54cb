//! Phone numbers: a loose shape, then the `phonenumber` crate (Google's libphonenumber
//! metadata) says whether the number can exist.

use super::PiiType::Phone;
use super::checks::digits;
use super::recognizer::Recognizer;
use phonenumber::country::Id;

const PHONE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "tel",
    "call",
    "mobile",
    "cell",
    "fax",
    "contact",
    "text",
    "teléfono",
    "telefono",
    "móvil",
    "movil",
    "celular",
    "llame",
    "llamar",
    "llámame",
    "llamame",
    "tlf",
];

pub(super) const RECOGNIZERS: &[Recognizer] =
    &[
        Recognizer::new(Phone, r"\+?\(?[0-9][0-9 ().-]{5,20}[0-9]", phone)
            .boosted_by(PHONE_WORDS)
            .scored(0.85, 0.99),
    ];

/// Loads the phone metadata now, so the first text with a phone number pays no start-up.
pub(super) fn load_metadata() {
    let _ = phonenumber::parse(None, "+1 206 555 0142");
}

/// Read as international with a leading `+`, else as a North American number written in its
/// usual groups (so `078-05-1120`, grouped as an SSN, is not read as a phone number).
fn phone(s: &str) -> bool {
    let count = digits(s).len();
    if !(7..=15).contains(&count) {
        return false;
    }
    let valid = |region: Option<Id>| {
        phonenumber::parse(region, s).is_ok_and(|number| phonenumber::is_valid(&number))
    };
    if s.starts_with('+') {
        valid(None)
    } else {
        north_american_groups(s) && valid(Some(Id::US))
    }
}

/// Digit groups of a NANP number: 3-3-4, with or without a leading 1, or run together.
fn north_american_groups(s: &str) -> bool {
    let groups: Vec<usize> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    matches!(
        groups.as_slice(),
        [3, 3, 4] | [1, 3, 3, 4] | [10] | [11] | [3, 7]
    )
}
