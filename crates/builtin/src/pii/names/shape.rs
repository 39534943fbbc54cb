//! Shape guards: what a span must look like to be a NAME or an ADDRESS at all, whatever the
//! tagger's context features say. The tagger learns from context, and a context it was never
//! shown ("Key AKIA…", a card number after "my card is") can put any token in a span; these
//! checks drop spans that cannot be what Comprehend means by the type
//! (docs.aws.amazon.com/comprehend/latest/dg/how-pii.html), so such errors never reach the
//! caller. They are necessary conditions only, never a reason to add a span.

use super::PiiType;

/// Whether `span` has the shape of an entity of `kind`.
pub(super) fn plausible(kind: PiiType, span: &str) -> bool {
    match kind {
        PiiType::Name => name_shaped(span),
        PiiType::Address => address_shaped(span),
        _ => true,
    }
}

/// A person's name is written in letters — no digits — and opens with a letter; its last word,
/// the surname or the given name, is capitalised (lower-case particles such as "de" or "van"
/// may come before it: "de Staël").
fn name_shaped(span: &str) -> bool {
    if span.chars().any(|c| c.is_numeric()) || !span.starts_with(char::is_alphabetic) {
        return false;
    }
    span.split_whitespace()
        .next_back()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase)
}

/// An address names something — a street, a city, a country — so it holds a word of at least
/// two letters; digit groups alone ("4111 1111 1111 1112", "8914 1777 6318") are numbers. A
/// word here is a run of letters, so "4B" or "GB82" hold no word.
fn address_shaped(span: &str) -> bool {
    span.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_letters_with_a_capitalised_last_word() {
        assert!(plausible(PiiType::Name, "Jane Smith"));
        assert!(plausible(PiiType::Name, "María García"));
        assert!(plausible(PiiType::Name, "de Staël"));
        assert!(plausible(PiiType::Name, "O'Neil"));
        assert!(!plausible(PiiType::Name, "1944"));
        assert!(!plausible(PiiType::Name, "Room 101"));
        assert!(!plausible(PiiType::Name, "jane smith"));
        assert!(!plausible(PiiType::Name, "(Jane"));
        assert!(!plausible(PiiType::Name, ""));
    }

    #[test]
    fn addresses_hold_a_word() {
        assert!(plausible(
            PiiType::Address,
            "123 Main St, Seattle, WA 98101"
        ));
        assert!(plausible(PiiType::Address, "C/ Mayor 5"));
        assert!(!plausible(PiiType::Address, "4111 1111 1111 1112"));
        assert!(!plausible(PiiType::Address, "8914-1777-6318"));
        assert!(!plausible(PiiType::Address, "4B 12"));
        assert!(!plausible(PiiType::Address, ""));
    }
}
