//! Per-label trigger phrases (`data/toxicity/triggers.tsv`), matched in one pass.
//!
//! The overall classifier (`svm`) says *whether* a text is toxic, not *how*; the labels need
//! phrases that carry their meaning ("I will kill you" is a threat, "nobody likes you" is
//! harassment). They are regular expressions over a normalised text, compiled once into a
//! `regex::bytes::RegexSet` — a lazy DFA that reports every matching trigger in linear time.

use std::sync::LazyLock;

use regex::bytes::{RegexSet, RegexSetBuilder};

use super::ToxicLabel;

/// One trigger: its label and the weight it gives that label.
struct Trigger {
    label: ToxicLabel,
    weight: f32,
}

struct Triggers {
    set: RegexSet,
    triggers: Vec<Trigger>,
}

static TRIGGERS: LazyLock<Triggers> =
    LazyLock::new(|| build(include_str!("../../data/toxicity/triggers.tsv")));

/// The wire name's label.
fn label_named(name: &str) -> Option<ToxicLabel> {
    ToxicLabel::ALL.into_iter().find(|l| l.name() == name)
}

/// Reads slot definitions and triggers (format in the file's header) and compiles them.
fn build(tsv: &str) -> Triggers {
    let mut slots: Vec<(String, String)> = Vec::new();
    let mut patterns = Vec::new();
    let mut triggers = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        match cols.as_slice() {
            [slot, regex] if slot.starts_with('{') => {
                slots.push((slot.to_string(), expand(regex, &slots)));
            }
            [label, weight, regex] => {
                let (Some(label), Ok(weight)) = (label_named(label), weight.parse()) else {
                    continue;
                };
                // Each alternative of a weak line is its own trigger, so that several of its
                // words ("flesh", "bone", "splattered") add up; strong lines stay whole, as
                // every extra pattern costs the DFA time.
                let regex = expand(regex, &slots);
                let parts = if weight < 0.7 {
                    alternatives(&regex)
                } else {
                    vec![regex.as_str()]
                };
                for alternative in parts {
                    patterns.push(format!(r"\b(?:{alternative})\b"));
                    triggers.push(Trigger { label, weight });
                }
            }
            _ => {}
        }
    }
    // The shipped file is checked by the tests; an unreadable one degrades to no triggers.
    let set = RegexSetBuilder::new(&patterns)
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .unwrap_or_else(|_| RegexSet::empty());
    Triggers { set, triggers }
}

/// The top-level alternatives of a regular expression (`a|b(?:c|d)` → `a`, `b(?:c|d)`).
fn alternatives(regex: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start, mut escaped) = (Vec::new(), 0i32, 0, false);
    for (at, c) in regex.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => {
                parts.push(&regex[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&regex[start..]);
    parts
}

fn expand(regex: &str, slots: &[(String, String)]) -> String {
    slots.iter().fold(regex.to_string(), |acc, (name, body)| {
        acc.replace(name, body)
    })
}

/// The text as the triggers read it: ASCII lower case, apostrophes kept, other punctuation as
/// one space, sentence ends as " | " so that a phrase does not run across two sentences.
fn normalise(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b' ');
    let mut pending: Option<u8> = None;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            _ => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() || c == '\'' {
            if let Some(sep) = pending.take() {
                out.extend_from_slice(if sep == b'|' { b" | " } else { b" " });
            }
            out.push(c as u8);
        } else {
            let sep = if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n') {
                b'|'
            } else {
                b' '
            };
            pending = Some(pending.map_or(sep, |p| p.max(sep)));
        }
    }
    out.push(b' ');
    out
}

/// For each label of [`ToxicLabel::ALL`], the noisy-or of the weights of its matching triggers.
pub fn evidence(text: &str) -> [f32; 7] {
    let triggers = &*TRIGGERS;
    let mut miss = [1.0f32; 7];
    for index in triggers.set.matches(&normalise(text)).iter() {
        if let Some(t) = triggers.triggers.get(index) {
            miss[t.label as usize] *= 1.0 - t.weight;
        }
    }
    miss.map(|m| 1.0 - m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str, label: ToxicLabel) -> f32 {
        evidence(text)[label as usize]
    }

    #[test]
    fn the_shipped_file_compiles_whole() {
        let t = &*TRIGGERS;
        assert!(t.triggers.len() > 50);
        assert_eq!(t.set.len(), t.triggers.len());
    }

    #[test]
    fn normalises_case_punctuation_and_sentence_ends() {
        assert_eq!(
            normalise("Shut UP,  loser! You’re"),
            b" shut up loser | you're ".to_vec()
        );
        assert_eq!(normalise(""), b"  ".to_vec());
    }

    #[test]
    fn splits_only_top_level_alternatives() {
        assert_eq!(
            alternatives(r"a|b(?:c|d)|\|e"),
            vec!["a", "b(?:c|d)", r"\|e"]
        );
    }

    #[test]
    fn words_of_one_line_add_up() {
        let one = score("flesh", ToxicLabel::Graphic);
        assert!(score("flesh and bone", ToxicLabel::Graphic) > one);
    }

    #[test]
    fn threats_need_a_person() {
        assert!(score("I'll fucking kill you", ToxicLabel::ViolenceOrThreat) > 0.8);
        assert!(score("Please kill the process", ToxicLabel::ViolenceOrThreat) < 0.1);
    }

    #[test]
    fn a_phrase_does_not_cross_a_sentence_end() {
        assert!(score("Nobody likes you", ToxicLabel::HarassmentOrAbuse) > 0.7);
        assert!(score("Nobody likes it. You know.", ToxicLabel::HarassmentOrAbuse) < 0.1);
    }
}
