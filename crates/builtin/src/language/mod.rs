//! Dominant language identification (DetectDominantLanguage).
//!
//! The service names the languages of a text with RFC 5646 codes and one confidence per
//! language, each independent of the others (Developer Guide, "Dominant language":
//! docs.aws.amazon.com/comprehend/latest/dg/how-languages.html). Three engines answer here:
//!
//! - [`whatlang`] reads every text first: 69 languages in ~1 MB of binary, by script and
//!   trigram profiles. On our short-sentence set (`benches/data/language/`) it is right on
//!   96.7% of the service's languages, and fast; its errors are nearly all between Romance
//!   languages (es → pt, es → ca, pt → es/it, fr → af).
//! - [`lingua`] settles those when whatlang is unsure: it is near perfect on them, but its
//!   models cost 4–5 MB each (all 75 languages: +298 MB of binary), so only French, Italian,
//!   Portuguese and Spanish ship (+27.5 MB with whatlang) — see [`romance`]. Together: 98.5%
//!   on the service's languages (`examples/language_quality.rs`).
//! - Chinese is split into simplified `zh` and traditional `zh-TW` by the characters that
//!   exist in only one form — see [`chinese`].
//!
//! A text with no letter at all (digits, emoji, punctuation) has no language to find; it is
//! answered `en` with a low score ([`NO_LETTERS_SCORE`]), the service's default language,
//! rather than an empty list, which the API never returns.

mod chinese;
mod codes;
mod romance;

use whatlang::{Detector, Info, Lang, Script};

/// One candidate language and the model's confidence in it.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageScore {
    /// RFC 5646 code as the service writes it: ISO 639-1 where one exists, else ISO 639-2
    /// (`ceb`), `zh` for simplified and `zh-TW` for traditional Chinese.
    pub code: &'static str,
    /// Confidence in (0, 1]; independent per language, not a share of the text.
    pub score: f32,
}

/// The score of `en` for a text with no letter in it.
pub const NO_LETTERS_SCORE: f32 = 0.1;

/// Candidates below this confidence are left out of the answer.
const MIN_SCORE: f64 = 0.05;

/// How much of a text is read: the first characters decide as well as the whole for a
/// dominant language, and this bounds the time of a 100 KB document.
const MAX_CHARS: usize = 2_000;

/// The languages of `text` (non-empty), highest score first, at least one entry.
pub fn detect(text: &str) -> Vec<LanguageScore> {
    let text = head(text, MAX_CHARS);
    let ranked = match whatlang::detect(text) {
        Some(info) => rank(text, &info),
        None => Vec::new(),
    };
    into_scores(ranked)
}

/// Candidates with their confidences, highest first, after whatlang's first reading `info`.
fn rank(text: &str, info: &Info) -> Vec<(&'static str, f64)> {
    if info.lang() == Lang::Cmn {
        return chinese::split(text);
    }
    // whatlang's confidence `c` is how far its best language stands from the next. A clear
    // text has one candidate, `(1 + c) / 2`, near 1; whatlang's answers were right whenever
    // it was sure on our set, so lingua is asked only when it is not.
    let c = info.confidence().clamp(0.0, 1.0);
    let first = (codes::code(info.lang()), (1.0 + c) / 2.0);
    if info.is_reliable() {
        return vec![first];
    }
    if is_covered(info.lang()) {
        return romance_or(text, vec![first]);
    }
    let Some(second) = runner_up(text, info.lang()) else {
        return vec![first];
    };
    let whatlangs = vec![first, (codes::code(second), (1.0 - c) / 2.0)];
    if reads_romance(info, second) {
        return romance_or(text, whatlangs);
    }
    whatlangs
}

/// Whether an unsure Latin-script answer is likely Romance text misread: whatlang's unsure
/// answers on Romance text are Catalan or Afrikaans with the right language next. English
/// and German it reads well, and lingua does not know them here, so those stay whatlang's.
fn reads_romance(info: &Info, second: Lang) -> bool {
    info.script() == Script::Latin
        && !matches!(info.lang(), Lang::Eng | Lang::Deu)
        && is_covered(second)
}

fn is_covered(lang: Lang) -> bool {
    romance::covers(codes::code(lang))
}

/// lingua's ranking of the Romance languages, or `otherwise` when it finds nothing to read.
fn romance_or(text: &str, otherwise: Vec<(&'static str, f64)>) -> Vec<(&'static str, f64)> {
    let ranked = romance::rank(text);
    if ranked.first().is_some_and(|(_, s)| *s > 0.0) {
        ranked
    } else {
        otherwise
    }
}

/// whatlang's best language once `first` is set aside (Mandarin aside too: its split is by
/// characters, not by a second reading).
fn runner_up(text: &str, first: Lang) -> Option<Lang> {
    Detector::with_denylist(vec![first])
        .detect_lang(text)
        .filter(|l| *l != Lang::Cmn)
}

/// The answer: scores in (0, 1], highest first, never empty.
fn into_scores(ranked: Vec<(&'static str, f64)>) -> Vec<LanguageScore> {
    let mut out: Vec<LanguageScore> = ranked
        .into_iter()
        .filter(|(_, s)| *s >= MIN_SCORE)
        .map(|(code, score)| LanguageScore {
            code,
            score: (score as f32).clamp(f32::EPSILON, 1.0),
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    if out.is_empty() {
        out.push(LanguageScore {
            code: "en",
            score: NO_LETTERS_SCORE,
        });
    }
    out
}

/// The first `n` characters of `text`.
fn head(text: &str, n: usize) -> &str {
    text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i])
}

#[cfg(test)]
mod tests;
