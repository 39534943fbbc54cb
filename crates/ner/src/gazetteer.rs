//! The gazetteer: surface forms with their entity type, matched case-sensitively,
//! leftmost-longest, and only where a match starts and ends on token boundaries.
//!
//! It serves two purposes: annotating documents from an entity list (see
//! [`crate::EntityList::annotate`]) and the `gaz` feature of the tagger, whose entries come from
//! the entity list and from the mentions annotated in the training split.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::tokenize::Token;

/// One surface form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The exact text.
    pub text: String,
    /// Index of its entity type.
    pub entity_type: u16,
    /// Whether it comes from an entity list (rather than only from training mentions).
    pub from_list: bool,
    /// Training documents that annotate it (0 for list-only entries).
    pub documents: u32,
}

/// A match on tokens `start..end` of entry `entry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Index into [`Gazetteer::entries`].
    pub entry: usize,
}

/// Entries and their matcher.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    matcher: Option<AhoCorasick>,
}

impl Gazetteer {
    /// A gazetteer of `entries` (texts unique, non-empty).
    pub fn new(entries: Vec<Entry>) -> Gazetteer {
        // Standard semantics so that every overlapping match is seen; leftmost-longest is
        // applied after dropping matches that are not on token boundaries. Building fails only
        // past aho-corasick's size limits (billions of states), far beyond Comprehend's entity
        // list limits; such a list then matches nothing rather than panicking.
        let matcher = if entries.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(entries.iter().map(|e| e.text.as_bytes()))
                .ok()
        };
        Gazetteer { entries, matcher }
    }

    /// The entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Non-overlapping leftmost-longest matches on token boundaries of `text`, in text order.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<Match> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let token_starting = |byte: usize| {
            let i = tokens.partition_point(|t| t.byte_begin < byte);
            (i < tokens.len() && tokens[i].byte_begin == byte).then_some(i)
        };
        let token_ending = |byte: usize| {
            let i = tokens.partition_point(|t| t.byte_end < byte);
            (i < tokens.len() && tokens[i].byte_end == byte).then_some(i + 1)
        };
        let mut found: Vec<Match> = matcher
            .find_overlapping_iter(text)
            .filter_map(|m| {
                Some(Match {
                    start: token_starting(m.start())?,
                    end: token_ending(m.end())?,
                    entry: m.pattern().as_usize(),
                })
            })
            .collect();
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Match> = Vec::new();
        for m in found {
            if out.last().is_none_or(|last| m.start >= last.end) {
                out.push(m);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn entry(text: &str) -> Entry {
        Entry {
            text: text.into(),
            entity_type: 0,
            from_list: true,
            documents: 0,
        }
    }

    #[test]
    fn leftmost_longest_on_token_boundaries() {
        let g = Gazetteer::new(vec![
            entry("Jane Smith"),
            entry("Smith"),
            entry("Jane"),
            entry("Ann"),
        ]);
        let text = "Jane Smith and Smithers met Ann, not Annie or jane";
        let found: Vec<&str> = g
            .find(text, &tokenize(text))
            .iter()
            .map(|m| g.entries()[m.entry].text.as_str())
            .collect();
        assert_eq!(found, ["Jane Smith", "Ann"]);
    }
}
