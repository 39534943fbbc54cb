//! Rated bad words from the `rustrict` crate's list (MIT; `data/toxicity/rustrict_profanity.csv`,
//! a verbatim copy of its `profanity.csv`), mapped onto the labels.
//!
//! Why the list and not the crate: rustrict's own matcher (evasions, look-alike Unicode, false
//! positives) measured 250 µs per 1 KB here, over this engine's budget of 200 µs for the whole
//! analysis; a hash lookup of each word, with common inflections and simple evasions undone,
//! takes a few µs. The list rates each entry 0–3 in four categories that map onto the labels:
//! profane → PROFANITY, sexual → SEXUAL, mean → INSULT, offensive → HATE_SPEECH (only half as
//! much for an entry that is also profane or sexual: "bastard" is offensive, not hate; and
//! sexual only 60 % as much for an entry that is also profane).

use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::ToxicLabel;

/// One entry's ratings, 0 (none) to 3 (severe).
#[derive(Debug, Clone, Copy, Default)]
struct Rating {
    profane: u8,
    offensive: u8,
    sexual: u8,
    mean: u8,
}

impl Rating {
    fn worst(self) -> u8 {
        self.profane
            .max(self.offensive)
            .max(self.sexual)
            .max(self.mean)
    }
}

/// The rated entries, and the words that can open an entry of several words or a run-together
/// one, so that only those pay for the look-ups of word pairs and triples.
struct Table {
    words: HashMap<String, Rating>,
    openers: HashSet<String>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let words = parse(include_str!("../../data/toxicity/rustrict_profanity.csv"));
    let mut openers = HashSet::default();
    for entry in words.keys() {
        if let Some((first, _)) = entry.split_once(' ') {
            openers.insert(first.to_string());
        } else if entry.len() >= 7 {
            openers.extend((2..entry.len()).map(|n| entry[..n].to_string()));
        }
    }
    Table { words, openers }
});

/// `word,profane,offensive,sexual,mean,evasive`; entries of letters and spaces only (the rest
/// are emoji and symbol art that word lookup cannot see).
fn parse(csv: &str) -> HashMap<String, Rating> {
    let mut words = HashMap::default();
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let [word, p, o, s, m, ..] = cols.as_slice() else {
            continue;
        };
        let word = word.trim();
        if word.is_empty() || !word.chars().all(|c| c.is_ascii_lowercase() || c == ' ') {
            continue;
        }
        let level = |x: &str| x.trim().parse::<u8>().unwrap_or(0).min(3);
        let rating = Rating {
            profane: level(p),
            offensive: level(o),
            sexual: level(s),
            mean: level(m),
        };
        words.insert(word.to_string(), rating);
    }
    words
}

/// Word pairs whose first word is listed but whose sense here is innocent.
const INNOCENT_PAIRS: [(&str, &str); 6] = [
    ("breast", "cancer"),
    ("breast", "feeding"),
    ("breast", "milk"),
    ("butt", "of"),
    ("hell", "of"),
    ("sex", "education"),
];

/// The lower-cased words, evasions undone; `@ $` stay inside a word, where they stand for letters.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '@' || c == '$'))
        .filter(|w| !w.is_empty())
        .map(unevaded)
        .collect()
}

/// Undoes the simplest evasions: digits and symbols for letters ("sh1t"), and letters repeated
/// three or more times ("fuuuck").
fn unevaded(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut run = (' ', 0);
    for c in word.chars() {
        let c = match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            _ => c,
        };
        run = if run.0 == c { (c, run.1 + 1) } else { (c, 1) };
        match run.1 {
            1 | 2 => out.push(c),
            // A third repeat shows the run is an evasion: keep one letter of it.
            3 => _ = out.pop(),
            _ => {}
        }
    }
    out
}

/// Endings too common in names to read as a compound ("Hitchcock", "Benedick").
const NAME_ENDINGS: [&str; 2] = ["cock", "dick"];

/// A listed word, or a compound ending in a listed profanity of four letters or more
/// ("bullshit", "dumbfuck"); only endings, as a bad word inside or at the start of a word is
/// the classic false positive ("Scunthorpe", "cocktail").
fn listed(words: &HashMap<String, Rating>, word: &str) -> Option<Rating> {
    words.get(word).copied().or_else(|| {
        (3..word.len().saturating_sub(3)).find_map(|at| {
            let tail = word.get(at..)?;
            let rating = words.get(tail)?;
            (rating.profane >= 2 && !NAME_ENDINGS.contains(&tail)).then_some(*rating)
        })
    })
}

/// A word, then the word without a common inflection ("fuckers" → "fucker" → "fuck"). The
/// suffixes that also end innocent words ("butter", "cumin") only undo to a stem of four or
/// more letters rated moderate or worse.
fn lookup(words: &HashMap<String, Rating>, word: &str) -> Option<Rating> {
    const SAFE: [&str; 7] = ["s", "es", "ed", "ers", "ing", "ty", "ier"];
    const RISKY: [&str; 3] = ["er", "in", "y"];
    // "assess" is no plural of "asses": a word ending in "ss" keeps its last "s".
    let stem_of = |suffix: &str| {
        let stem = word.strip_suffix(suffix)?;
        (stem.len() >= 3 && !(suffix == "s" && stem.ends_with('s'))).then_some(stem)
    };
    let safe = || SAFE.iter().find_map(|s| listed(words, stem_of(s)?));
    let risky = || {
        RISKY.iter().find_map(|s| {
            let rating = listed(words, stem_of(s).filter(|stem| stem.len() >= 4)?)?;
            (rating.worst() >= 2).then_some(rating)
        })
    };
    listed(words, word).or_else(safe).or_else(risky)
}

/// Every rated entry in the text: single words, listed phrases of two or three words, and
/// listed run-together phrases ("kill yourself" is listed as `killyourself`).
fn ratings(text: &str) -> Vec<Rating> {
    let table = &*TABLE;
    let tokens = words(text);
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map_or("", String::as_str);
        if INNOCENT_PAIRS.contains(&(token.as_str(), next)) {
            continue;
        }
        found.extend(lookup(&table.words, token));
        if !table.openers.contains(token) {
            continue;
        }
        for n in 2..=3 {
            let Some(window) = tokens.get(i..i + n) else {
                break;
            };
            found.extend(table.words.get(&window.join(" ")).copied());
            let joined = window.concat();
            if joined.len() >= 7 {
                found.extend(table.words.get(&joined).copied());
            }
        }
    }
    found
}

/// The score of a rating: mild words ("crap", "stupid") are weaker evidence than severe ones.
fn weight(level: u8) -> f32 {
    [0.0, 0.5, 0.75, 0.9][usize::from(level.min(3))]
}

/// For each label of [`ToxicLabel::ALL`], the score of the worst entry of its category.
pub fn evidence(text: &str) -> [f32; 7] {
    let mut out = [0.0f32; 7];
    let mut raise = |label: ToxicLabel, score: f32| {
        let slot = &mut out[label.index()];
        *slot = slot.max(score);
    };
    for r in ratings(text) {
        raise(ToxicLabel::Profanity, weight(r.profane));
        // A swear word's sexual sense is the rarer one ("fucking printer"); the triggers
        // catch it where the sentence is sexual.
        let swear = if r.profane > 0 { 0.6 } else { 1.0 };
        raise(ToxicLabel::Sexual, weight(r.sexual) * swear);
        raise(ToxicLabel::Insult, weight(r.mean));
        let hate = weight(r.offensive);
        let vulgar = r.profane > 0 || r.sexual > 0;
        raise(
            ToxicLabel::HateSpeech,
            if vulgar { hate / 2.0 } else { hate },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str, label: ToxicLabel) -> f32 {
        evidence(text)[label.index()]
    }

    #[test]
    fn the_shipped_list_is_loaded() {
        assert!(TABLE.words.len() > 2000);
        assert_eq!(TABLE.words.get("fuck").map(|r| r.profane), Some(2));
        assert!(TABLE.openers.contains("kill"));
    }

    #[test]
    fn categories_reach_their_labels() {
        assert!(score("this is fucking bullshit", ToxicLabel::Profanity) >= 0.75);
        assert!(score("what an idiot", ToxicLabel::Insult) >= 0.5);
        assert!(score("porn", ToxicLabel::Sexual) >= 0.9);
    }

    #[test]
    fn inflections_and_evasions_are_undone() {
        assert!(score("you fuckers", ToxicLabel::Profanity) >= 0.75);
        assert!(score("sh1t", ToxicLabel::Profanity) >= 0.75);
        assert!(score("fuuuuuck", ToxicLabel::Profanity) >= 0.75);
        assert!(score("what bullshit", ToxicLabel::Profanity) >= 0.75);
        assert!(score("kill ur self", ToxicLabel::Insult) >= 0.75);
    }

    #[test]
    fn innocent_words_stay_clean() {
        for text in [
            "Scunthorpe",
            "we assess the class",
            "a cocktail",
            "kill the process",
            "shiitake",
            "butter and cumin",
            "Hitchcock and the peacock",
            "Middlesex",
            "breast cancer screening",
            "",
            "\u{0}\u{202e}",
        ] {
            assert_eq!(evidence(text), [0.0; 7], "{text}");
        }
    }
}
