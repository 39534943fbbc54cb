//! The type a name's head word gives it. The tagger finds a name's span better than its type
//! when the words are new to it ("Lincoln Reservoir" read as a person, "Soleilmoon Recordings"
//! as a person); a head word that only ever names one kind of thing settles it. English puts
//! the head last ("Bucknell University", "Lincoln Reservoir"), Spanish, French, Italian and
//! Portuguese first ("Universidad de Sevilla", "Río Ebro"), and English does too with "of"
//! ("University of Zurich"): the last word is asked first, then the first.

use super::EntityType;

/// Head words of organisations.
const ORGANIZATION: &[&str] = &[
    "university",
    "college",
    "institute",
    "academy",
    "society",
    "association",
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "party",
    "council",
    "committee",
    "commission",
    "agency",
    "bank",
    "records",
    "club",
    "fc",
    "a.f.c.",
    "union",
    "federation",
    "foundation",
    "ministry",
    "department",
    "orchestra",
    "airlines",
    "airways",
    "times",
    "herald",
    "chronicle",
    "gazette",
    "tribune",
    "journal",
    "laboratory",
    "laboratories",
    "studios",
    "entertainment",
    "technologies",
    "motors",
    "brothers",
    "universidad",
    "instituto",
    "asociación",
    "sociedad",
    "partido",
    "banco",
    "fundación",
    "ministerio",
    "université",
    "société",
    "banque",
    "università",
    "società",
    "universidade",
    "associação",
];

/// Head words of places.
const LOCATION: &[&str] = &[
    "street",
    "road",
    "avenue",
    "boulevard",
    "lane",
    "highway",
    "river",
    "lake",
    "mountain",
    "mountains",
    "mount",
    "island",
    "islands",
    "county",
    "park",
    "bridge",
    "stadium",
    "arena",
    "station",
    "reservoir",
    "airport",
    "valley",
    "bay",
    "square",
    "hill",
    "hills",
    "province",
    "creek",
    "canyon",
    "beach",
    "peninsula",
    "desert",
    "sea",
    "ocean",
    "gulf",
    "harbor",
    "harbour",
    "forest",
    "falls",
    "city",
    "village",
    "district",
    "region",
    "castle",
    "palace",
    "dock",
    "calle",
    "avenida",
    "río",
    "lago",
    "monte",
    "isla",
    "plaza",
    "parque",
    "provincia",
    "estadio",
    "puerto",
    "sierra",
    "playa",
    "bahía",
    "rue",
    "fleuve",
    "île",
    "lac",
    "via",
    "fiume",
    "isola",
    "rua",
    "rio",
    "ilha",
];

/// The type of a tagged name `span` first typed `kind`: its head word's type where that is
/// unambiguous, else `kind`. Only names of more than one word are retyped (a lone "Park" or
/// "Union" is a name in its own right).
pub(super) fn retype(kind: EntityType, span: &str) -> EntityType {
    if !matches!(
        kind,
        EntityType::Person | EntityType::Location | EntityType::Organization
    ) {
        return kind;
    }
    let words: Vec<String> = span
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| c == ',' || c == '(' || c == ')')
                .to_lowercase()
        })
        .collect();
    if words.len() < 2 {
        return kind;
    }
    let of_head = |w: &str| {
        if ORGANIZATION.contains(&w) {
            Some(EntityType::Organization)
        } else if LOCATION.contains(&w) {
            Some(EntityType::Location)
        } else {
            None
        }
    };
    words
        .last()
        .and_then(|w| of_head(w))
        .or_else(|| words.first().and_then(|w| of_head(w)))
        .unwrap_or(kind)
}
