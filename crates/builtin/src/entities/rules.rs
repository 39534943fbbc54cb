//! Pattern rules shared by DATE and QUANTITY: a regex, the type and the confidence of what it
//! matches. A pattern may name a group `v`: then only that group is the entity, and the rest
//! of the match is its context ("in 1997" marks the year 1997 a date).

use regex::Regex;

use super::{Candidate, EntityType, Source};

/// One rule as written.
pub(super) struct Rule {
    pub kind: EntityType,
    pub pattern: String,
    /// Fixed confidence: how firm the rule's evidence is (a full date over a lone weekday
    /// name, an amount with its currency over a bare number). These are the rules' own
    /// judgements, not calibrated probabilities.
    pub score: f32,
}

impl Rule {
    pub(super) fn new(kind: EntityType, pattern: impl Into<String>, score: f32) -> Rule {
        Rule {
            kind,
            pattern: pattern.into(),
            score,
        }
    }
}

/// A rule with its regex compiled.
pub(super) struct Compiled {
    kind: EntityType,
    score: f32,
    regex: Regex,
    group: Option<usize>,
}

/// Compiles the rules (at first use; the patterns are this crate's own, so a failure is a bug
/// that the unit tests catch — such a rule is left out rather than panicking a request).
pub(super) fn compile(rules: Vec<Rule>) -> Vec<Compiled> {
    rules
        .into_iter()
        .filter_map(|r| {
            let regex = Regex::new(&r.pattern).ok()?;
            let group = regex.capture_names().position(|n| n == Some("v"));
            Some(Compiled {
                kind: r.kind,
                score: r.score,
                regex,
                group,
            })
        })
        .collect()
}

/// Pushes every match of every rule in `text` onto `out`.
pub(super) fn scan(rules: &[Compiled], text: &str, out: &mut Vec<Candidate>) {
    for rule in rules {
        match rule.group {
            None => out.extend(
                rule.regex
                    .find_iter(text)
                    .map(|m| candidate(rule, m.start(), m.end())),
            ),
            Some(g) => out.extend(
                rule.regex
                    .captures_iter(text)
                    .filter_map(|c| c.get(g))
                    .map(|m| candidate(rule, m.start(), m.end())),
            ),
        }
    }
}

fn candidate(rule: &Compiled, start: usize, end: usize) -> Candidate {
    Candidate {
        kind: rule.kind,
        start,
        end,
        score: rule.score,
        source: Source::Rule,
    }
}

/// Whether every rule's pattern compiles.
#[cfg(test)]
pub(super) fn all_compile(rules: &[Rule]) -> bool {
    rules.iter().all(|r| Regex::new(&r.pattern).is_ok())
}
