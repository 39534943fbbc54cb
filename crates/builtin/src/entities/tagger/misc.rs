//! Sorting a MISC span (wikigold's class of the names that are neither people, places nor
//! organisations) into the service's EVENT, TITLE, COMMERCIAL_ITEM or OTHER
//! (docs.aws.amazon.com/comprehend/latest/dg/how-entities.html): EVENT "festivals, concerts,
//! elections, wars", TITLE "an official name given to any creation or creative work",
//! COMMERCIAL_ITEM "any branded product", OTHER the rest (nationalities, languages, …).

use super::EntityType;

/// Words that make a name an event ("World War II", "the 2008 Summer Olympics", "Copa
/// América").
const EVENT_WORDS: &[&str] = &[
    "war",
    "battle",
    "revolution",
    "olympics",
    "olympic",
    "games",
    "cup",
    "championship",
    "championships",
    "tournament",
    "festival",
    "election",
    "elections",
    "marathon",
    "expo",
    "summit",
    "conference",
    "awards",
    "prix",
    "open",
    "series",
    "fair",
    "carnival",
    "crusade",
    "uprising",
    "rebellion",
    "siege",
    "massacre",
    "derby",
    "bowl",
    "guerra",
    "batalla",
    "revolución",
    "juegos",
    "copa",
    "campeonato",
    "torneo",
    "elecciones",
    "feria",
    "mundial",
    "olimpiadas",
    "guerre",
    "bataille",
    "coupe",
    "jeux",
    "coppa",
    "giochi",
    "jogos",
];

/// Nouns that, just before a name, make it the title of a creative work ("the album Thriller",
/// "the novel Dune").
const WORK_WORDS: &[&str] = &[
    "album",
    "single",
    "song",
    "film",
    "movie",
    "novel",
    "book",
    "play",
    "opera",
    "series",
    "show",
    "poem",
    "painting",
    "ep",
    "soundtrack",
    "musical",
    "episode",
    "game",
    "magazine",
    "álbum",
    "canción",
    "película",
    "novela",
    "libro",
    "serie",
    "disco",
    "obra",
    "chanson",
    "roman",
    "livre",
    "romanzo",
    "canzone",
    "livro",
    "filme",
];

/// Quotation marks that open a title.
const OPENING_QUOTES: [char; 7] = ['"', '“', '«', '\'', '‘', '„', '「'];

/// The type of the MISC span `start..end` (bytes) of `text`.
pub(super) fn sort(text: &str, start: usize, end: usize) -> EntityType {
    let span = text.get(start..end).unwrap_or_default();
    let before = text.get(..start).unwrap_or_default();
    let words: Vec<String> = span
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.iter().any(|w| EVENT_WORDS.contains(&w.as_str())) {
        EntityType::Event
    } else if quoted(before) || after_work_word(before) {
        EntityType::Title
    } else if looks_like_product(span) {
        EntityType::CommercialItem
    } else {
        EntityType::Other
    }
}

/// Whether the text before a span ends with an opening quotation mark.
fn quoted(before: &str) -> bool {
    before
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| OPENING_QUOTES.contains(&c))
}

/// Whether one of the two words before a span names a kind of creative work.
fn after_work_word(before: &str) -> bool {
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(2)
        .any(|w| WORK_WORDS.contains(&w.to_lowercase().as_str()))
}

/// A product's name mixes letters and a model number ("Xbox 360", "Boeing 747") or has a
/// capital inside a word ("iPhone", "PlayStation").
fn looks_like_product(span: &str) -> bool {
    let has_digit = span.chars().any(|c| c.is_ascii_digit());
    let has_letter = span.chars().any(char::is_alphabetic);
    let inner_capital = span.split_whitespace().any(|w| {
        let mut chars = w.chars();
        chars.next();
        chars.any(char::is_uppercase) && w.chars().any(char::is_lowercase)
    });
    (has_digit && has_letter) || inner_capital
}
