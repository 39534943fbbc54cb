//! Toxic content (DetectToxicContent, English): an overall toxicity and seven label scores per
//! segment, as the service defines them
//! (<https://docs.aws.amazon.com/comprehend/latest/dg/trust-safety.html>).
//!
//! Three sources, each doing what it is good at:
//! - [`svm`]: the overall probability from a trained TF-IDF + linear SVM (alt-profanity-check's
//!   weights): a real classifier, measured at ROC-AUC 0.90 on our set on its own;
//! - [`wordlist`]: the rustrict crate's list of rated bad words (profane, sexual, offensive,
//!   mean), looked up word by word with inflections and simple evasions undone;
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
mod tests {
    use super::*;

    fn one(text: &str) -> Toxicity {
        analyse(&[text]).remove(0)
    }

    fn score(answer: &Toxicity, label: ToxicLabel) -> f32 {
        answer.labels[label.index()].1
    }

    fn top(answer: &Toxicity) -> ToxicLabel {
        let best = answer.labels.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        best.map_or(ToxicLabel::Graphic, |(l, _)| *l)
    }

    #[test]
    fn an_insult_is_toxic_and_an_insult() {
        let insult = one("You are a worthless idiot");
        let thanks = one("Thank you so much for your help!");
        assert!(insult.toxicity > 0.8 && thanks.toxicity < 0.2);
        assert_eq!(top(&insult), ToxicLabel::Insult);
    }

    #[test]
    fn a_threat_is_violence_first() {
        let threat = one("I'm going to find you and I will kill you.");
        assert_eq!(top(&threat), ToxicLabel::ViolenceOrThreat);
        assert!(score(&threat, ToxicLabel::ViolenceOrThreat) > 0.8);
    }

    #[test]
    fn swearing_is_profanity() {
        let swearing = one("This fucking printer is a pile of shit.");
        assert_eq!(top(&swearing), ToxicLabel::Profanity);
        assert!(score(&swearing, ToxicLabel::Profanity) > 0.7);
    }

    #[test]
    fn each_label_has_its_texts() {
        let cases = [
            (
                "Go kill yourself, nobody likes you.",
                ToxicLabel::HarassmentOrAbuse,
            ),
            (
                "Immigrants are vermin and should be deported.",
                ToxicLabel::HateSpeech,
            ),
            ("Send me nudes, I'm so horny.", ToxicLabel::Sexual),
            (
                "His guts spilled out and maggots crawled over the mutilated corpse.",
                ToxicLabel::Graphic,
            ),
        ];
        for (text, label) in cases {
            assert_eq!(top(&one(text)), label, "{text}");
        }
    }

    #[test]
    fn clean_text_is_low_everywhere() {
        for text in [
            "The weather in Scunthorpe is grey again today.",
            "We need to assess the risks, then kill the process and restart it.",
            "The meeting has been moved to 3 pm on Thursday.",
        ] {
            let answer = one(text);
            assert!(answer.toxicity < 0.5, "{text}: {answer:?}");
            assert!(
                answer.labels.iter().all(|(_, s)| *s < 0.5),
                "{text}: {answer:?}"
            );
        }
    }

    #[test]
    fn one_answer_per_segment_with_seven_labels_in_order() {
        let long = "you idiot ".repeat(10_000);
        let odd = [
            "",
            " ",
            "\u{0}\u{7}\t\r\n",
            "\u{202e}💩🍆",
            "ǅ𝔣𝔲𝔠𝔨",
            long.as_str(),
        ];
        let answers = analyse(&odd);
        assert_eq!(answers.len(), odd.len());
        for answer in &answers {
            let labels: Vec<ToxicLabel> = answer.labels.iter().map(|(l, _)| *l).collect();
            assert_eq!(labels, ToxicLabel::ALL);
            let scores = answer
                .labels
                .iter()
                .map(|(_, s)| *s)
                .chain([answer.toxicity]);
            assert!(scores.into_iter().all(|s| (0.0..=1.0).contains(&s)));
        }
        assert!(analyse(&[]).is_empty());
        assert!(answers[0].toxicity < 0.2);
    }

    #[test]
    fn index_follows_all() {
        for (i, label) in ToxicLabel::ALL.into_iter().enumerate() {
            assert_eq!(label.index(), i);
        }
    }
}
