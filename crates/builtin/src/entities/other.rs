//! OTHER: the service types e-mail addresses, URLs and card numbers it finds as OTHER, "entities
//! that don't fit into any of the other entity categories"
//! (docs.aws.amazon.com/comprehend/latest/dg/how-entities.html). They are found by the PII
//! module's validated patterns (checksums, issuer prefixes, libphonenumber metadata), not by a
//! second copy of them.

use super::{Candidate, EntityType, Source};
use crate::pii::{self, PiiType};

/// The PII types read as OTHER.
const KINDS: [PiiType; 5] = [
    PiiType::Email,
    PiiType::Url,
    PiiType::CreditDebitNumber,
    PiiType::IpAddress,
    PiiType::Phone,
];

/// Pushes the OTHER candidates of `text` onto `out`.
pub(super) fn find(text: &str, out: &mut Vec<Candidate>) {
    out.extend(
        pii::find_patterns(text, &KINDS)
            .into_iter()
            .map(|c| Candidate {
                kind: EntityType::Other,
                start: c.start,
                end: c.end,
                score: c.score,
                source: Source::Validated,
            }),
    );
}
