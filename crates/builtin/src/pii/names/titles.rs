//! Courtesy titles before a name. Comprehend's NAME is "an individual's name … does not
//! include titles, such as Dr., Mr., Mrs., or Miss" (docs.aws.amazon.com/comprehend/latest/dg/how-pii.html);
//! the tagger is trained with titles outside the span, and this list trims any that still
//! slip in at the start of a detected name.

/// Titles of English and Spanish, without their final period, compared case-insensitively.
const TITLES: [&str; 24] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "madam",
    "rev",
    "sr",
    "sra",
    "srta",
    "dra",
    "don",
    "doña",
    "dña",
    "d",
    "lic",
    "ing",
    "señor",
    "señora",
    "señorita",
    "professor",
];

/// The byte length of the titles (each with its optional `.` and the spaces after it) that
/// open `span`, or 0. Never the whole span: a lone "Don" may be a name.
pub(super) fn leading_len(span: &str) -> usize {
    let mut skipped = 0;
    loop {
        let rest = &span[skipped..];
        let word_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        if word.is_empty() || !TITLES.iter().any(|t| word.to_lowercase() == *t) {
            return skipped;
        }
        let after = rest[word_end..]
            .strip_prefix('.')
            .unwrap_or(&rest[word_end..]);
        let spaces = after.len() - after.trim_start().len();
        if spaces == 0 || spaces == after.len() {
            return skipped;
        }
        skipped = span.len() - after.len() + spaces;
    }
}

#[cfg(test)]
mod tests {
    use super::leading_len;

    #[test]
    fn titles_are_measured_and_names_kept() {
        assert_eq!(leading_len("Dr. Jane Smith"), 4);
        assert_eq!(leading_len("Sra. Doña María López"), 11);
        assert_eq!(leading_len("Mr Smith"), 3);
        assert_eq!(leading_len("Jane Smith"), 0);
        assert_eq!(leading_len("Don"), 0);
        assert_eq!(leading_len("Drake Bell"), 0);
        assert_eq!(leading_len(""), 0);
    }
}
