//! Toxic content (DetectToxicContent, English). CONTRACT — to be implemented.

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
    segments
        .iter()
        .map(|_| Toxicity {
            toxicity: 0.0,
            labels: ToxicLabel::ALL.iter().map(|&l| (l, 0.0)).collect(),
        })
        .collect()
}
