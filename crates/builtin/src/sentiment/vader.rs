//! VADER's rules over a token sequence (Hutto & Gilbert, "VADER: A Parsimonious Rule-based
//! Model for Sentiment Analysis of Social Media Text", ICWSM 2014), written for this crate
//! from the paper's and the vaderSentiment README's description:
//! - each lexicon word contributes its valence; booster words are not scored themselves;
//! - a word in capitals among mixed-case words gains 0.733 in magnitude;
//! - a booster/dampener up to three words before adds/subtracts 0.293 (×1, ×0.95, ×0.9 by
//!   distance), in the word's direction;
//! - a negator up to three words before multiplies by -0.74 ("never so good" intensifies);
//!   in languages that negate after the word (Hindi, Japanese, Korean) a negator up to three
//!   tokens after does, and in German and French a clause-final "nicht"/"pas" does;
//! - words before the first "but" weigh ×0.5, words after it ×1.5;
//! - "!" adds 0.292 each (up to 4), repeated "?" adds 0.18 each (0.96 past three);
//! - compound = x / √(x² + 15); pos/neg/neu are the shares of positive, negative and neutral
//!   tokens, each sentiment word counting 1 + |valence|.

use super::lexicon::{NEGATION, Vocabulary};
use super::tokens::Token;
use crate::Language;

const CAPS_BOOST: f32 = 0.733;
const BOOSTER_DECAY: [f32; 3] = [1.0, 0.95, 0.9];
const EXCLAMATION: f32 = 0.292;
const QUESTION: f32 = 0.18;
const NORMALISER: f32 = 15.0;

/// VADER's four numbers for a text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Polarity {
    /// Share of positive weight, in [0, 1].
    pub positive: f32,
    /// Share of negative weight, in [0, 1].
    pub negative: f32,
    /// Share of neutral tokens, in [0, 1].
    pub neutral: f32,
    /// The normalised sum of valences, in [-1, 1].
    pub compound: f32,
    /// The summed valence of the positive words, before "but" reweighs them.
    pub positive_mass: f32,
    /// The summed |valence| of the negative words, before "but" reweighs them.
    pub negative_mass: f32,
    /// The summed net valence of the clauses that lean positive (clauses end at , ; . ! ?
    /// and before a contrast word: "but", "although", "while", …), before "but" reweighs.
    pub positive_clauses: f32,
    /// The summed |net valence| of the clauses that lean negative.
    pub negative_clauses: f32,
}

/// The context every token's valence is read in.
struct Context<'a> {
    tokens: &'a [Token<'a>],
    /// Some but not all words are in capitals, so capitals mean emphasis.
    caps_contrast: bool,
    english: bool,
    post_negation: bool,
}

/// VADER's polarity of `tokens`, read from `text` (for its punctuation).
pub(crate) fn polarity(text: &str, tokens: &[Token<'_>], vocabulary: &Vocabulary) -> Polarity {
    let cased = tokens.iter().filter(|t| t.cased);
    let (words, shouting) = cased.fold((0, 0), |(n, s), t| (n + 1, s + usize::from(t.shouted)));
    let rules = vocabulary.rules;
    let context = Context {
        tokens,
        caps_contrast: shouting > 0 && shouting < words,
        english: vocabulary.language == Language::En,
        post_negation: !rules.post_negators.is_empty() || !rules.final_negators.is_empty(),
    };
    // "but": words before the first contrast word weigh half, words after it half again more.
    let pivot = tokens.iter().position(|t| t.function.contrast);
    let mut tally = Tally::default();
    for (i, token) in tokens.iter().enumerate() {
        if token.function.opens_clause {
            tally.close_clause();
        }
        let v = valence_at(&context, i);
        tally.mass(v);
        tally.add(match pivot {
            Some(p) if i < p => v * 0.5,
            Some(_) => v * 1.5,
            None => v,
        });
        if token.clause_end {
            tally.close_clause();
        }
    }
    tally.close_clause();
    Polarity {
        positive_mass: tally.positive_mass,
        negative_mass: tally.negative_mass,
        positive_clauses: tally.positive_clauses,
        negative_clauses: tally.negative_clauses,
        ..tally.summarise(punctuation_emphasis(text))
    }
}

/// The weight "!" and "??" add to a text's dominant direction.
fn punctuation_emphasis(text: &str) -> f32 {
    let (mut exclamations, mut questions) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '!' | '！' => exclamations += 1,
            '?' | '？' | '؟' => questions += 1,
            _ => {}
        }
    }
    let questions = match questions {
        0 | 1 => 0.0,
        n @ 2..=3 => n as f32 * QUESTION,
        _ => 0.96,
    };
    exclamations.min(4) as f32 * EXCLAMATION + questions
}

/// The running sums VADER's scores are made of.
#[derive(Default)]
struct Tally {
    total: f32,
    /// Σ (1 + v) over positive words (the 1 weighs them against neutral words).
    positive: f32,
    /// Σ (1 + |v|) over negative words.
    negative: f32,
    neutral: f32,
    positive_mass: f32,
    negative_mass: f32,
    /// The net valence of the clause being read.
    clause: f32,
    positive_clauses: f32,
    negative_clauses: f32,
}

impl Tally {
    fn mass(&mut self, v: f32) {
        self.clause += v;
        if v > 0.0 {
            self.positive_mass += v;
        } else {
            self.negative_mass -= v;
        }
    }

    /// Ends the current clause: its net valence goes to the side it leans to.
    fn close_clause(&mut self) {
        if self.clause > 0.0 {
            self.positive_clauses += self.clause;
        } else {
            self.negative_clauses -= self.clause;
        }
        self.clause = 0.0;
    }

    fn add(&mut self, v: f32) {
        self.total += v;
        if v > 0.0 {
            self.positive += v + 1.0;
        } else if v < 0.0 {
            self.negative += 1.0 - v;
        } else {
            self.neutral += 1.0;
        }
    }

    fn summarise(self, emphasis: f32) -> Polarity {
        let Tally {
            total,
            mut positive,
            mut negative,
            neutral,
            ..
        } = self;
        if positive + negative + neutral == 0.0 {
            return Polarity::default();
        }
        let compound = if total == 0.0 {
            0.0
        } else {
            let x = total + emphasis.copysign(total);
            (x / (x * x + NORMALISER).sqrt()).clamp(-1.0, 1.0)
        };
        if positive > negative {
            positive += emphasis;
        } else if negative > positive {
            negative += emphasis;
        }
        let sum = positive + negative + neutral;
        Polarity {
            positive: positive / sum,
            negative: negative / sum,
            neutral: neutral / sum,
            compound,
            ..Polarity::default()
        }
    }
}

/// The valence token `i` contributes after VADER's rules.
fn valence_at(context: &Context, i: usize) -> f32 {
    let tokens = context.tokens;
    let token = &tokens[i];
    if token.function.scalar != 0.0 {
        return 0.0;
    }
    let Some(mut v) = token.valence else {
        return 0.0;
    };
    let next_is_sentiment = tokens.get(i + 1).is_some_and(|t| t.valence.is_some());
    if v == 0.0 || context.english && token.text == "no" && next_is_sentiment {
        return 0.0;
    }
    if token.shouted && context.caps_contrast {
        v += CAPS_BOOST.copysign(v);
    }
    let mut negated = false;
    for distance in 1..=i.min(3) {
        let before = &tokens[i - distance];
        if before.valence.is_some() && !before.is_function() {
            continue;
        }
        v += scalar(before, v, context.caps_contrast) * BOOSTER_DECAY[distance - 1];
        let factor = negation(context, i, distance);
        // VADER multiplies every negator in reach; elsewhere one negation is split over two
        // words ("ne … pas", "ni … ni"), so it counts once.
        if !(negated && factor < 0.0 && !context.english) {
            v *= factor;
        }
        negated |= factor < 0.0;
    }
    if context.english {
        v *= english_specials(tokens, i);
    }
    if context.post_negation && !negated && negated_after(tokens, i) {
        v *= NEGATION;
    }
    v
}

/// The booster/dampener effect of `before` on a word of valence `v`.
fn scalar(before: &Token<'_>, v: f32, caps_contrast: bool) -> f32 {
    let s = before.function.scalar;
    if s == 0.0 {
        return 0.0;
    }
    let s = if v < 0.0 { -s } else { s };
    if before.shouted && caps_contrast {
        s + CAPS_BOOST.copysign(v)
    } else {
        s
    }
}

/// The factor a negator `distance` tokens before token `i` applies: -0.74, or in English
/// "never so/this …" ×1.25 and "without doubt …" ×1.
fn negation(context: &Context, i: usize, distance: usize) -> f32 {
    let tokens = context.tokens;
    let before = &tokens[i - distance];
    if !before.function.negator {
        return 1.0;
    }
    if context.english && distance > 1 {
        let between = &tokens[i - distance + 1..i];
        let has = |w: &str| between.iter().any(|t| t.text == w);
        if before.text == "never" && (has("so") || has("this")) {
            return 1.25;
        }
        if before.text == "without" && has("doubt") {
            return 1.0;
        }
    }
    NEGATION
}

/// English's "at least"/"least" and "no" rules: "least good" and "no good" negate.
fn english_specials(tokens: &[Token<'_>], i: usize) -> f32 {
    let word = |at: usize| tokens.get(at).map_or("", |t| t.text.as_ref());
    let before = |d: usize| if i >= d { word(i - d) } else { "" };
    let least = before(1) == "least" && !matches!(before(2), "at" | "very");
    let no = before(1) == "no"
        || before(2) == "no"
        || before(3) == "no" && matches!(before(1), "or" | "nor");
    if least || no { NEGATION } else { 1.0 }
}

/// Whether a negator follows token `i` within three tokens of its clause, before any other
/// sentiment word (Hindi "अच्छा नहीं", Japanese 良くない, German "ich mag es nicht.").
fn negated_after(tokens: &[Token<'_>], i: usize) -> bool {
    for j in i + 1..tokens.len().min(i + 4) {
        if tokens[j - 1].clause_end {
            return false;
        }
        let t = &tokens[j];
        let closes = t.clause_end || j + 1 == tokens.len();
        if t.function.post_negator || t.function.final_negator && closes {
            return true;
        }
        if t.valence.is_some() && !t.is_function() {
            return false;
        }
    }
    false
}
