//! Key phrases of the languages no tagger reads (ar hi ja ko zh zh-TW): runs of content between
//! punctuation and function words.
//!
//! - Arabic, Hindi: words between stop words (prepositions, postpositions, pronouns,
//!   auxiliaries, conjunctions), at most [`MAX_WORDS`] words a phrase.
//! - Korean: words (eojeol) up to a predicate ending ("-다", "-요"); a case particle ("을",
//!   "에서", …) ends the phrase, and is left out of it.
//! - Japanese: runs of kanji, katakana, Latin letters and digits; hiragana (particles,
//!   inflections) and punctuation end them.
//! - Chinese: runs of two or more characters between punctuation and function characters
//!   ("的", "了", "是", pronouns …).
//!
//! Word lists are short and hand-written (they are the commonest function words of each
//! language); the phrases are rougher than the tagged languages', so their confidence is lower.

use super::KeyPhrase;
use crate::Language;

/// The longest phrase, in words (spaced scripts) or characters (Chinese, Japanese).
const MAX_WORDS: usize = 4;
const MAX_CHARS: usize = 12;
/// The confidence of a fallback phrase: no tagger stands behind it.
const SCORE: f32 = 0.6;

/// A unit of the text: its code-point span and what it does to a phrase.
#[derive(Debug, Clone, Copy)]
struct Unit {
    begin: usize,
    end: usize,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Inside a phrase.
    Content,
    /// Inside, and the phrase ends after it (a Korean noun before its particle).
    Last,
    /// Ends any phrase and is no part of one.
    Break,
}

/// The phrases of `text`, in order.
pub fn phrases(text: &str, language: Language) -> Vec<KeyPhrase> {
    match language {
        Language::Ja => without_stems(text, runs(&chars(text, japanese), MAX_CHARS, 1)),
        Language::Zh | Language::ZhTw => runs(&chars(text, chinese), MAX_CHARS, 2),
        Language::Ko => runs(&words(text, korean), MAX_WORDS, 1),
        Language::Hi => runs(&words(text, |w| stop(w, &HINDI)), MAX_WORDS, 1),
        _ => runs(&words(text, |w| stop(w, &ARABIC)), MAX_WORDS, 1),
    }
}

/// Japanese runs less the stems of inflected words: a kanji run followed by hiragana that is
/// not a particle is a verb or adjective ("新しい", "買いました"), not a noun.
fn without_stems(text: &str, phrases: Vec<KeyPhrase>) -> Vec<KeyPhrase> {
    let chars: Vec<char> = text.chars().collect();
    let hiragana = |c: char| ('\u{3041}'..='\u{309F}').contains(&c);
    phrases
        .into_iter()
        .filter(|p| match chars.get(p.end) {
            Some(&c) if hiragana(c) => JA_PARTICLES.contains(&c),
            _ => true,
        })
        .collect()
}

/// Japanese particles that follow a noun (one character each).
const JA_PARTICLES: [char; 10] = ['を', 'が', 'は', 'に', 'で', 'と', 'も', 'の', 'へ', 'や'];

/// Maximal runs of content units (at most `max` units), kept when at least `min` long.
fn runs(units: &[Unit], max: usize, min: usize) -> Vec<KeyPhrase> {
    let mut out = Vec::new();
    let mut run: Vec<Unit> = Vec::new();
    let mut flush = |run: &mut Vec<Unit>| {
        if let (Some(first), Some(last)) = (run.first(), run.last())
            && run.len() >= min
        {
            out.push(KeyPhrase {
                begin: first.begin,
                end: last.end,
                score: SCORE,
            });
        }
        run.clear();
    };
    for unit in units {
        if unit.role == Role::Break {
            flush(&mut run);
            continue;
        }
        run.push(*unit);
        if unit.role == Role::Last || run.len() >= max {
            flush(&mut run);
        }
    }
    flush(&mut run);
    out
}

/// One unit per character (a run of Latin letters or digits is one), roles by `role`;
/// whitespace breaks.
fn chars(text: &str, role: fn(char) -> Role) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut ascii_run = false;
    for (cp, c) in text.chars().enumerate() {
        let ascii = c.is_ascii_alphanumeric();
        match units.last_mut() {
            Some(last) if ascii && ascii_run => last.end = cp + 1,
            _ => units.push(Unit {
                begin: cp,
                end: cp + 1,
                role: if c.is_whitespace() {
                    Role::Break
                } else {
                    role(c)
                },
            }),
        }
        ascii_run = ascii;
    }
    units
}

/// Words (runs of word characters) and the punctuation between them, roles by `role`.
fn words(text: &str, role: impl Fn(&str) -> Role) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, code point)
    let mut cp = 0;
    for (b, c) in text.char_indices() {
        let word = is_word_char(c);
        match (word, start) {
            (true, None) => start = Some((b, cp)),
            (false, Some((sb, scp))) => {
                units.push(word_unit(&text[sb..b], scp, cp, &role));
                start = None;
            }
            _ => {}
        }
        if !word && !c.is_whitespace() {
            units.push(Unit {
                begin: cp,
                end: cp + 1,
                role: Role::Break,
            });
        }
        cp += 1;
    }
    if let Some((sb, scp)) = start {
        units.push(word_unit(&text[sb..], scp, cp, &role));
    }
    units
}

/// A word's unit; a Korean `Last` word ends before its particle.
fn word_unit(word: &str, begin: usize, end: usize, role: &impl Fn(&str) -> Role) -> Unit {
    let r = role(word);
    let end = match r {
        Role::Last => end - particle(word).map_or(0, |p| p.chars().count()),
        _ => end,
    };
    Unit {
        begin,
        end,
        role: r,
    }
}

/// Letters, digits and the combining marks of Devanagari and Arabic (which `is_alphanumeric`
/// does not count), less their punctuation (danda, Arabic comma …).
fn is_word_char(c: char) -> bool {
    let u = c as u32;
    let devanagari = (0x0900..=0x097F).contains(&u) && !matches!(u, 0x0964 | 0x0965);
    let arabic = (0x0600..=0x06FF).contains(&u)
        && !matches!(u, 0x060C | 0x061B | 0x061F | 0x066A..=0x066D | 0x06D4);
    c.is_alphanumeric() || devanagari || arabic
}

fn stop(word: &str, list: &[&str]) -> Role {
    if list.contains(&word) {
        Role::Break
    } else {
        Role::Content
    }
}

/// Japanese: hiragana (particles, inflections), punctuation and symbols break.
fn japanese(c: char) -> Role {
    let u = c as u32;
    let kanji = (0x4E00..=0x9FFF).contains(&u) || (0x3400..=0x4DBF).contains(&u) || c == '々';
    let katakana = (0x30A0..=0x30FF).contains(&u) && c != '・';
    if kanji || katakana || c.is_alphanumeric() && !(0x3040..=0x309F).contains(&u) {
        Role::Content
    } else {
        Role::Break
    }
}

/// Chinese: function characters, punctuation and symbols break.
fn chinese(c: char) -> Role {
    if c.is_alphanumeric() && !CHINESE.contains(&c) {
        Role::Content
    } else {
        Role::Break
    }
}

/// Korean: a predicate breaks; a noun with a particle ends its phrase.
/// A particle longer than the predicate ending a word ends with wins ("서울에서": "에서", not
/// the connective "-서").
fn korean(word: &str) -> Role {
    let particle = particle(word).map_or(0, str::len);
    let ending = PREDICATE_ENDINGS
        .iter()
        .filter(|e| word.len() > e.len() && word.ends_with(*e))
        .map(|e| e.len())
        .max()
        .unwrap_or(0);
    let stem = &word[..word.len() - particle];
    if KOREAN_STOPS.contains(&stem) || ending > particle {
        Role::Break
    } else if particle > 0 {
        Role::Last
    } else {
        Role::Content
    }
}

/// The Korean particle ending `word`, if any (the longest; never the whole word).
fn particle(word: &str) -> Option<&'static str> {
    PARTICLES
        .iter()
        .copied()
        .filter(|p| word.len() > p.len() && word.ends_with(p))
        .max_by_key(|p| p.len())
}

const CHINESE: [char; 60] = [
    '的', '了', '是', '在', '和', '与', '與', '也', '都', '就', '不', '很', '有', '这', '這', '那',
    '们', '們', '吗', '嗎', '呢', '吧', '啊', '我', '你', '他', '她', '它', '您', '个', '個', '着',
    '著', '过', '過', '把', '被', '给', '給', '对', '對', '从', '從', '向', '到', '为', '為', '又',
    '还', '還', '而', '并', '並', '或', '但', '去', '来', '來', '得', '地',
];

const KOREAN_STOPS: [&str; 17] = [
    "나",
    "너",
    "우리",
    "저희",
    "그녀",
    "그",
    "이",
    "저",
    "그리고",
    "하지만",
    "그러나",
    "또",
    "및",
    "더",
    "잘",
    "안",
    "못",
];

const PREDICATE_ENDINGS: [&str; 14] = [
    "다", "요", "까", "죠", "고", "서", "며", "면", "지만", "는데", "니다", "세요", "게", "지",
];

const PARTICLES: [&str; 22] = [
    "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "에서", "으로",
    "에게", "까지", "부터", "처럼", "보다", "하고", "께서",
];

const HINDI: [&str; 58] = [
    "हूं",
    "हूँ",
    "चाहता",
    "चाहती",
    "चाहते",
    "करना",
    "करता",
    "करती",
    "करते",
    "सकता",
    "का",
    "की",
    "के",
    "में",
    "से",
    "को",
    "पर",
    "ने",
    "है",
    "हैं",
    "था",
    "थे",
    "थी",
    "और",
    "या",
    "यह",
    "वह",
    "ये",
    "वे",
    "मैं",
    "हम",
    "आप",
    "तुम",
    "भी",
    "तो",
    "ही",
    "नहीं",
    "कि",
    "जो",
    "हो",
    "कर",
    "रहा",
    "रही",
    "रहे",
    "गया",
    "गई",
    "लिए",
    "साथ",
    "बहुत",
    "मेरा",
    "मेरी",
    "मेरे",
    "उसका",
    "उसकी",
    "इस",
    "उस",
    "एक",
    "क्या",
];

const ARABIC: [&str; 48] = [
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "مع",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "و",
    "أو",
    "أن",
    "إن",
    "ان",
    "كان",
    "كانت",
    "يكون",
    "هو",
    "هي",
    "هم",
    "نحن",
    "أنا",
    "أنت",
    "لا",
    "لم",
    "لن",
    "ما",
    "قد",
    "كل",
    "بعض",
    "ثم",
    "حتى",
    "عند",
    "بين",
    "بعد",
    "قبل",
    "لكن",
    "أي",
    "هل",
    "كما",
    "إذا",
    "منذ",
    "ليس",
];
