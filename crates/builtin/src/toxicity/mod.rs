//! Toxic content (DetectToxicContent, English): an overall toxicity and seven label scores per
//! segment, as the service defines them
//! (<https://docs.aws.amazon.com/comprehend/latest/dg/trust-safety.html>).
//!
//! Three sources, each doing what it is good at:
//! - [`svm`]: the overall probability from a trained TF-IDF + linear SVM (alt-profanity-check's
//!   weights): a real classifier, measured at ROC-AUC 0.90 on our set on its own;
//! - [`wordlist`]: the rustrict crate's rated bad words (profane, sexual, offensive, mean), robust
//!   to evasions and to innocent words that contain bad ones;
//! - [`triggers`]: hand-written phrase patterns that carry each label's meaning (threats,
//!   harassment, hate, insults, sexual and graphic language), which no word list sees.
//!
//! The service reads a segment's predecessors as context; this engine scores each segment on its
//! own (the documented behaviour is optional and unquantified).

mod svm;
mod triggers;
mod wordlist;

/// The service's `ToxicContentType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToxicLabel {
    Graphic,
    HarassmentOrAbuse,
    HateSpeech,
    Insult,
    Profanity,
    Sexual,
    ViolenceOrThreat,
}

impl ToxicLabel {
    /// Every label, in the model's order.
    pub const ALL: [ToxicLabel; 7] = [
        ToxicLabel::Graphic,
        ToxicLabel::HarassmentOrAbuse,
        ToxicLabel::HateSpeech,
        ToxicLabel::Insult,
        ToxicLabel::Profanity,
        ToxicLabel::Sexual,
        ToxicLabel::ViolenceOrThreat,
    ];

    /// The label's position in [`ToxicLabel::ALL`] (the variants are declared in that order).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            ToxicLabel::Graphic => "GRAPHIC",
            ToxicLabel::HarassmentOrAbuse => "HARASSMENT_OR_ABUSE",
            ToxicLabel::HateSpeech => "HATE_SPEECH",
            ToxicLabel::Insult => "INSULT",
            ToxicLabel::Profanity => "PROFANITY",
            ToxicLabel::Sexual => "SEXUAL",
            ToxicLabel::ViolenceOrThreat => "VIOLENCE_OR_THREAT",
        }
    }
}

/// One segment's answer: the overall toxicity and a score for each of the seven labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Toxicity {
    /// Overall toxicity, 0–1.
    pub toxicity: f32,
    /// Every label of [`ToxicLabel::ALL`], in that order, with its score 0–1.
    pub labels: Vec<(ToxicLabel, f32)>,
}

/// One answer per segment, in order.
pub fn analyse(segments: &[&str]) -> Vec<Toxicity> {
    segments.iter().map(|text| score(text)).collect()
}

/// What share of the classifier's overall probability each label takes when no word or phrase
/// names the kind of toxicity: the classifier was trained on abusive comments, most of them
/// insults and personal attacks, so those two get most of it.
const PRIOR: [f32; 7] = [0.1, 0.45, 0.1, 0.6, 0.2, 0.1, 0.1];

fn score(text: &str) -> Toxicity {
    let overall = svm::probability(text);
    let phrases = triggers::evidence(text);
    let words = wordlist::evidence(text);
    let mut scores = [0.0f32; 7];
    for (i, score) in scores.iter_mut().enumerate() {
        let evidence = noisy_or(phrases[i], words[i]);
        // A trigger is strong evidence alone, but weaker where the classifier sees no toxicity
        // ("kill the process", "the blood test"); it never drops below 70 % of its weight.
        *score = (evidence * (0.7 + 0.3 * overall)).max(PRIOR[i] * overall);
    }
    let strongest = scores.iter().copied().fold(0.0, f32::max);
    Toxicity {
        toxicity: clamp(noisy_or(overall, strongest)),
        labels: ToxicLabel::ALL
            .iter()
            .map(|&l| (l, clamp(scores[l.index()])))
            .collect(),
    }
}

/// The probability that at least one of two independent signals fires.
fn noisy_or(a: f32, b: f32) -> f32 {
    1.0 - (1.0 - a) * (1.0 - b)
}

fn clamp(x: f32) -> f32 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod timing_probe {
    #[test]
    #[ignore]
    fn probe() {
        let text: String =
            "Shut up, loser, nobody likes you. The weather in Scunthorpe is grey again today. "
                .repeat(13);
        let text = &text[..1024];
        for (name, f) in [
            (
                "svm",
                (|t: &str| {
                    super::svm::probability(t);
                }) as fn(&str),
            ),
            ("triggers", |t: &str| {
                super::triggers::evidence(t);
            }),
            ("wordlist", |t: &str| {
                super::wordlist::evidence(t);
            }),
        ] {
            f(text);
            let start = std::time::Instant::now();
            for _ in 0..200 {
                f(text);
            }
            eprintln!(
                "{name}: {:.1} us",
                start.elapsed().as_secs_f64() * 1e6 / 200.0
            );
        }
    }
}
