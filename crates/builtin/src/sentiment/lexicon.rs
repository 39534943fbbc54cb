//! The valence lexicons, built once per process from the shipped data: VADER's English
//! lexicon, its emoji descriptions, and the hand-translated lexicon of the other languages.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use super::rules::{Rules, rules};
use crate::Language;

/// VADER's lexicon (word → mean valence in [-4, 4]), trimmed to its first two columns.
const VADER_LEXICON: &str = include_str!("../../data/sentiment/vader_lexicon.tsv");
/// VADER's emoji → English description table, kept to the emoji whose description holds a
/// lexicon word (the others score 0 anyway).
const EMOJI: &str = include_str!("../../data/sentiment/emoji_descriptions.tsv");
/// English entries translated into the other eleven languages (see the file's header).
const TRANSLATED: &str = include_str!("../../data/sentiment/lexicon_translated.txt");

/// The scalar VADER adds for a booster word and subtracts for a dampener (paper, §3.2).
pub(crate) const BOOST: f32 = 0.293;
/// The factor VADER applies to a negated word (paper, §3.2).
pub(crate) const NEGATION: f32 = -0.74;

/// What a function word does to the sentiment words around it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Function {
    pub negator: bool,
    pub post_negator: bool,
    pub final_negator: bool,
    pub contrast: bool,
    /// Starts a new clause for the two-sidedness measure (a contrast word, or English
    /// "although", "however", "while", … which VADER's "but" rule leaves alone).
    pub opens_clause: bool,
    /// +BOOST for a booster, -BOOST for a dampener, 0 otherwise.
    pub scalar: f32,
}

/// Everything known of one written form, found with one lookup.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    pub valence: Option<f32>,
    pub function: Function,
    /// The first word of a multi-word entry ("kind of", "un poco").
    pub starts_phrase: bool,
}

/// One language's words: valences, function words and how to find them.
pub(crate) struct Vocabulary {
    valence: HashMap<String, f32>,
    entries: HashMap<String, Entry>,
    /// The longest entry, in characters (bounds the longest match of CJK segmentation).
    pub max_chars: usize,
    pub rules: &'static Rules,
    pub language: Language,
}

impl Vocabulary {
    /// The entry of `word` (already normalised), exactly as written.
    pub fn entry(&self, word: &str) -> Option<&Entry> {
        self.entries.get(word)
    }

    /// The valence of `word` (already normalised): the entry itself, else the entry its
    /// inflection or clitics hide.
    #[cfg(test)]
    pub fn valence(&self, word: &str) -> Option<f32> {
        if let Some(v) = self.valence.get(word) {
            return Some(*v);
        }
        self.hidden_valence(word)
    }

    /// The valence of the entry that `word`'s inflection, clitics or compounding hide.
    pub fn hidden_valence(&self, word: &str) -> Option<f32> {
        self.inflected(word)
            .or_else(|| self.without_prefix(word))
            .or_else(|| self.compound_head(word))
    }

    fn without_prefix(&self, word: &str) -> Option<f32> {
        self.rules.prefixes.iter().find_map(|p| {
            let rest = word.strip_prefix(p)?;
            if rest.chars().count() < 2 {
                return None;
            }
            self.valence
                .get(rest)
                .copied()
                .or_else(|| self.inflected(rest))
        })
    }

    /// The valence of the longest entry (five letters or more) that ends a compound; the
    /// prefix "un" negates it ("unfreundlich"), with VADER's negation factor.
    fn compound_head(&self, word: &str) -> Option<f32> {
        if !self.rules.compound_heads {
            return None;
        }
        word.char_indices().skip(1).find_map(|(at, _)| {
            let head = &word[at..];
            if head.chars().count() < 5 {
                return None;
            }
            let v = self
                .valence
                .get(head)
                .copied()
                .or_else(|| self.inflected(head))?;
            Some(if &word[..at] == "un" { v * NEGATION } else { v })
        })
    }

    fn inflected(&self, word: &str) -> Option<f32> {
        self.rules
            .suffixes
            .iter()
            .find_map(|(suffix, replacement)| {
                let stem = word.strip_suffix(suffix)?;
                if stem.chars().count() < 2 {
                    return None;
                }
                self.valence.get(&format!("{stem}{replacement}")).copied()
            })
    }

    /// Whether `key` is an entry, a valence or a function word, exactly as written.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }
}

/// The vocabulary of `language`, built on first use.
pub(crate) fn vocabulary(language: Language) -> &'static Vocabulary {
    static CELLS: [OnceLock<Vocabulary>; 12] = [const { OnceLock::new() }; 12];
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    CELLS[index].get_or_init(|| build(language))
}

/// VADER's English valences (emoticons and emoji descriptions are read with them in every
/// language).
pub(crate) fn english(word: &str) -> Option<f32> {
    vocabulary(Language::En).valence.get(word).copied()
}

/// Emoji → English description, and the longest emoji in characters.
pub(crate) fn emoji() -> &'static (HashMap<&'static str, &'static str>, usize) {
    static EMOJI_TABLE: OnceLock<(HashMap<&'static str, &'static str>, usize)> = OnceLock::new();
    EMOJI_TABLE.get_or_init(|| {
        let table: HashMap<_, _> = EMOJI.lines().filter_map(|l| l.split_once('\t')).collect();
        let longest = table.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        (table, longest)
    })
}

fn build(language: Language) -> Vocabulary {
    let rules = rules(language);
    let valence = if language == Language::En {
        parse_vader()
    } else {
        translated(language)
    };
    let mut functions: HashMap<String, Function> = HashMap::default();
    let mut mark = |words: &[&str], set: &dyn Fn(&mut Function)| {
        for w in words {
            set(functions.entry(normalise(language, w)).or_default());
        }
    };
    mark(rules.negators, &|f| f.negator = true);
    mark(rules.post_negators, &|f| f.post_negator = true);
    mark(rules.final_negators, &|f| f.final_negator = true);
    mark(rules.contrast, &|f| f.contrast = true);
    mark(rules.contrast, &|f| f.opens_clause = true);
    mark(rules.clause_openers, &|f| f.opens_clause = true);
    mark(rules.boosters, &|f| f.scalar = BOOST);
    mark(rules.dampeners, &|f| f.scalar = -BOOST);
    let entries = entries(&valence, functions);
    let max_chars = entries.keys().map(|k| k.chars().count()).max().unwrap_or(1);
    Vocabulary {
        valence,
        entries,
        max_chars,
        rules,
        language,
    }
}

fn entries(
    valence: &HashMap<String, f32>,
    functions: HashMap<String, Function>,
) -> HashMap<String, Entry> {
    let mut entries: HashMap<String, Entry> = functions
        .into_iter()
        .map(|(k, function)| {
            (
                k,
                Entry {
                    function,
                    ..Entry::default()
                },
            )
        })
        .collect();
    for (word, v) in valence {
        entries.entry(word.clone()).or_default().valence = Some(*v);
    }
    let heads: Vec<String> = entries
        .keys()
        .filter_map(|k| k.split_once(' ').map(|(head, _)| head.to_string()))
        .collect();
    for head in heads {
        entries.entry(head).or_default().starts_phrase = true;
    }
    entries
}

fn parse_vader() -> HashMap<String, f32> {
    VADER_LEXICON
        .lines()
        .filter_map(|line| {
            let (word, valence) = line.split_once('\t')?;
            Some((word.to_string(), valence.trim().parse().ok()?))
        })
        .collect()
}

/// The column of `language` in the translated table (0 is English).
fn column(language: Language) -> usize {
    Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0)
}

fn translated(language: Language) -> HashMap<String, f32> {
    let english = &vocabulary(Language::En).valence;
    let col = column(language);
    let mut map = HashMap::default();
    for line in TRANSLATED.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let valence = match cells[0] {
            "0" => Some(0.0),
            key => english.get(key).copied(),
        };
        let (Some(valence), Some(forms)) = (valence, cells.get(col)) else {
            continue;
        };
        for form in forms
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty() && *f != "-")
        {
            map.entry(normalise(language, form)).or_insert(valence);
        }
    }
    map
}

/// The form words are compared in: lower case, one apostrophe; Arabic without diacritics and
/// with one alef, ي for ى and ه for ة; Hindi without nukta (writers drop it freely).
pub(crate) fn normalise(language: Language, word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let lower = word.to_lowercase();
    match language {
        Language::Ar => lower
            .chars()
            .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}'))
            .map(|c| match c {
                'أ' | 'إ' | 'آ' => 'ا',
                'ى' => 'ي',
                'ة' => 'ه',
                other => other,
            })
            .collect(),
        Language::Hi => lower.chars().filter(|c| *c != '\u{093C}').collect(),
        _ if lower.contains('’') => lower.replace('’', "'"),
        _ => lower,
    }
}

/// Every English key of the translated table that VADER's lexicon lacks (a test keeps it
/// empty: a row must take a published valence).
#[cfg(test)]
pub(crate) fn untranslatable_rows() -> Vec<String> {
    let english = parse_vader();
    TRANSLATED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('|').next().map(str::trim))
        .filter(|k| *k != "0" && !english.contains_key(*k))
        .map(str::to_string)
        .collect()
}
