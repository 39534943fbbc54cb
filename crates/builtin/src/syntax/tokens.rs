//! Splitting a text into the service's syntax tokens: words and punctuation marks, with
//! code-point offsets (end exclusive), whitespace skipped.
//!
//! Hand-written rather than a crate's word splitter (unicode-segmentation) because the tagger's
//! lexicon follows the Penn Treebank's tokens: "don't" is "do" + "n't", "Seattle." is
//! "Seattle" + ".", but "U.S.", "3.5", "e-mail" and "me@example.com" stay one token.

/// One token: its text (a slice of the input) and its code-point span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub begin: usize,
    pub end: usize,
}

/// Abbreviations whose final period belongs to the word (lowercase, without the period).
use crate::Language;

const ABBREVIATIONS: [&str; 22] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
    "jan", "feb", "aug", "sept", "oct", "nov", "dec", "no",
];

/// English clitics split off the end of a word, as the Penn Treebank does.
const CLITICS: [&str; 7] = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"];

/// The tokens of `text`, in order.
pub fn split(text: &str, language: Language) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut cp = 0;
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c.is_control() {
            chars.next();
            cp += 1;
            continue;
        }
        let (len_bytes, len_cp) = chunk_len(&text[start..]);
        let chunk = &text[start..start + len_bytes];
        split_chunk(chunk, cp, language, &mut pieces);
        for _ in 0..len_cp {
            chars.next();
        }
        cp += len_cp;
    }
    pieces
}

/// The length (bytes, code points) of the token starting `rest`: a word (letters, digits and
/// the joiners between them) or a run of one punctuation mark.
fn chunk_len(rest: &str) -> (usize, usize) {
    let mut it = rest.char_indices().peekable();
    let Some((_, first)) = it.next() else {
        return (0, 0);
    };
    if !is_word_char(first) {
        // "...", "--", "!!" stay one token; any other mark is a token of its own.
        let n = rest.chars().take_while(|&c| c == first).count();
        let n = if matches!(first, '.' | '-' | '!' | '?' | '*' | '=') {
            n
        } else {
            1
        };
        return (first.len_utf8() * n, n);
    }
    let (mut bytes, mut cps) = (first.len_utf8(), 1);
    while let Some((i, c)) = it.next() {
        let joined = is_joiner(c) && it.peek().is_some_and(|&(_, n)| is_word_char(n));
        if is_word_char(c) || joined {
            bytes = i + c.len_utf8();
            cps += 1;
        } else {
            break;
        }
    }
    (bytes, cps)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (a decomposed accent) belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters that join two runs of letters or digits into one token: "e-mail", "3.5",
/// "don't", "me@example.com", "1,000", "12:30", "and/or".
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '\'' | '’' | '@' | ',' | ':' | '/' | '_' | '&'
    )
}

/// Splits a word chunk into its clitics and keeps an abbreviation's period.
fn split_chunk<'a>(chunk: &'a str, begin: usize, language: Language, out: &mut Vec<Piece<'a>>) {
    let first = chunk.chars().next().unwrap_or(' ');
    if !is_word_char(first) {
        out.push(piece(chunk, begin));
        return;
    }
    let at = match language {
        Language::En => english_clitic(chunk),
        Language::Fr | Language::It => elision(chunk),
        _ => None,
    };
    if let Some(at) = at.filter(|&at| at > 0 && at < chunk.len()) {
        out.push(piece(&chunk[..at], begin));
        out.push(piece(&chunk[at..], begin + chunk[..at].chars().count()));
        return;
    }
    out.push(piece(chunk, begin));
}

/// Where an English clitic starts: "can't" → "ca" + "n't" as in the Penn Treebank, "it's" →
/// "it" + "'s".
fn english_clitic(chunk: &str) -> Option<usize> {
    let lower = chunk.to_ascii_lowercase();
    CLITICS.iter().find_map(|clitic| {
        let curly = clitic.replace('\'', "’");
        [clitic.to_string(), curly]
            .iter()
            .find(|c| lower.len() > c.len() && lower.ends_with(c.as_str()))
            .map(|c| chunk.len() - c.len())
            .filter(|&at| chunk.is_char_boundary(at))
    })
}

/// Where the word after a French or Italian elision starts: "l'homme" → "l'" + "homme".
fn elision(chunk: &str) -> Option<usize> {
    let (i, c) = chunk.char_indices().find(|&(_, c)| c == '\'' || c == '’')?;
    (chunk[..i].chars().count() <= 5).then_some(i + c.len_utf8())
}

fn piece(text: &str, begin: usize) -> Piece<'_> {
    Piece {
        text,
        begin,
        end: begin + text.chars().count(),
    }
}

/// Whether the period after `word` belongs to it (an abbreviation: "Dr.", "U.S.", "J.").
pub fn takes_period(word: &str) -> bool {
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || (word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.'))
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

/// Joins an abbreviation and its period into one token.
pub fn join_abbreviations<'a>(pieces: Vec<Piece<'a>>, text: &'a str) -> Vec<Piece<'a>> {
    let mut out: Vec<Piece<'a>> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if p.text == "."
            && let Some(last) = out.last_mut()
            && last.end == p.begin
            && takes_period(last.text)
        {
            let start = last.text.as_ptr() as usize - text.as_ptr() as usize;
            let stop = p.text.as_ptr() as usize - text.as_ptr() as usize + 1;
            if let Some(joined) = text.get(start..stop) {
                last.text = joined;
                last.end = p.end;
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// The tokens of `text`, abbreviations joined with their period.
pub fn tokens(text: &str, language: Language) -> Vec<Piece<'_>> {
    join_abbreviations(split(text, language), text)
}
