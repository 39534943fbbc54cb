//! English Penn Treebank tags from Eric Brill's transformation-based tagger (Brill 1992, 1995):
//! each word gets its most frequent tag from the lexicon, unknown words a tag guessed from
//! their shape and the lexical (morphology) rules, then the contextual rules fix tags by their
//! neighbours, each rule over the whole sentence in the order it was learned.
//!
//! Data: the lexicon and both rule files of Brill's tagger v1.14 (trained on the Brown corpus
//! and the Penn Treebank), as shipped by Pattern (BSD-3) and TextBlob (MIT); see data/NOTICE.
//! The implementation here is written from Brill's description of the rule templates.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const LEXICON: &str = include_str!("../../data/syntax/en-lexicon.txt");
const MORPHOLOGY: &str = include_str!("../../data/syntax/en-morphology.txt");
const CONTEXT: &str = include_str!("../../data/syntax/en-context.txt");

/// A Penn tag, interned.
pub type Tag = u8;

/// How a token's tag was chosen: what its confidence rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The lexicon's tag for the word as written (or lowercased at a sentence's start).
    Lexicon,
    /// The lexicon's tag, changed by a contextual rule.
    Context,
    /// An unknown word, tagged by its shape or a lexical rule.
    Guess,
}

/// The tagger's tables, built once from the shipped files.
pub struct Brill {
    names: Vec<&'static str>,
    ids: FxHashMap<&'static str, Tag>,
    lexicon: FxHashMap<&'static str, Tag>,
    morphology: Vec<Lexical>,
    context: Vec<Contextual>,
}

/// A lexical rule: `from` (if any) becomes `to` when the word passes the test.
struct Lexical {
    from: Option<Tag>,
    test: WordTest,
    arg: &'static str,
    to: Tag,
}

#[derive(Clone, Copy)]
enum WordTest {
    Char,
    HasPref,
    HasSuf,
    AddPref,
    AddSuf,
    DeletePref,
    DeleteSuf,
    /// The next word is the argument (Brill's "goodleft": the word is good to the left of x).
    GoodLeft,
    /// The previous word is the argument.
    GoodRight,
}

/// A contextual rule: `from` (None: any tag) becomes `to` where the template holds.
struct Contextual {
    from: Option<Tag>,
    to: Tag,
    template: Template,
    x: Arg,
    y: Arg,
}

/// A rule argument: a tag or a word (templates know which).
#[derive(Clone, Copy)]
struct Arg {
    word: &'static str,
    tag: Option<Tag>,
}

#[derive(Clone, Copy)]
enum Template {
    PrevTag,
    NextTag,
    Prev2Tag,
    Next2Tag,
    Prev1Or2Tag,
    Next1Or2Tag,
    Prev1Or2Or3Tag,
    Next1Or2Or3Tag,
    SurroundTag,
    CurWd,
    PrevWd,
    NextWd,
    Prev1Or2Wd,
    Next1Or2Wd,
    PrevWdTag,
    NextWdTag,
    WdPrevTag,
    WdNextTag,
    WdAnd2Aft,
    WdAnd2TagBfr,
    WdAnd2TagAft,
    LBigram,
    RBigram,
    PrevBigram,
    NextBigram,
}

/// The data lines of a Brill file (";;;" starts a comment).
fn lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(";;;"))
        .map(|l| l.split_whitespace().collect())
}

impl Brill {
    /// The shared tagger.
    pub fn get() -> &'static Brill {
        static BRILL: OnceLock<Brill> = OnceLock::new();
        BRILL.get_or_init(Brill::load)
    }

    fn load() -> Brill {
        let mut b = Brill {
            names: Vec::new(),
            ids: FxHashMap::default(),
            lexicon: FxHashMap::default(),
            morphology: Vec::new(),
            context: Vec::new(),
        };
        for tag in ["NN", "NNP", "CD", "STAART"] {
            b.intern(tag);
        }
        for fields in lines(LEXICON) {
            if let [word, tags, ..] = fields[..] {
                // A few entries list alternatives ("NN|JJ"): the first is the most frequent.
                let tag = tags.split('|').next().unwrap_or(tags);
                let id = b.intern(tag);
                b.lexicon.entry(word).or_insert(id);
            }
        }
        let morphology: Vec<_> = lines(MORPHOLOGY).filter_map(|f| b.lexical(&f)).collect();
        let context: Vec<_> = lines(CONTEXT).filter_map(|f| b.contextual(&f)).collect();
        b.morphology = morphology;
        b.context = context;
        b
    }

    fn intern(&mut self, tag: &'static str) -> Tag {
        if let Some(&id) = self.ids.get(tag) {
            return id;
        }
        // Brill's data holds about 45 tags; past 255 further tags share the last id.
        let id = Tag::try_from(self.names.len()).unwrap_or(Tag::MAX);
        self.names.push(tag);
        self.ids.insert(tag, id);
        id
    }

    /// "ly hassuf 2 RB x" or "NN s fhassuf 1 NNS x".
    fn lexical(&mut self, f: &[&'static str]) -> Option<Lexical> {
        let (from, arg, cmd, to) = match f {
            [arg, cmd, _, to, ..] if !cmd.starts_with('f') => (None, *arg, *cmd, *to),
            [from, arg, cmd, _, to, ..] => (Some(self.intern(from)), *arg, &cmd[1..], *to),
            _ => return None,
        };
        let test = match cmd.to_ascii_lowercase().as_str() {
            "char" => WordTest::Char,
            "haspref" => WordTest::HasPref,
            "hassuf" => WordTest::HasSuf,
            "addpref" => WordTest::AddPref,
            "addsuf" => WordTest::AddSuf,
            "deletepref" => WordTest::DeletePref,
            "deletesuf" => WordTest::DeleteSuf,
            "goodleft" => WordTest::GoodLeft,
            "goodright" => WordTest::GoodRight,
            _ => return None,
        };
        Some(Lexical {
            from,
            test,
            arg,
            to: self.intern(to),
        })
    }

    /// "VBD VB PREVTAG TO" or "NN VB SURROUNDTAG TO DT".
    fn contextual(&mut self, f: &[&'static str]) -> Option<Contextual> {
        let [from, to, template, rest @ ..] = f else {
            return None;
        };
        let template = match template.to_ascii_lowercase().as_str() {
            "prevtag" => Template::PrevTag,
            "nexttag" => Template::NextTag,
            "prev2tag" => Template::Prev2Tag,
            "next2tag" => Template::Next2Tag,
            "prev1or2tag" => Template::Prev1Or2Tag,
            "next1or2tag" => Template::Next1Or2Tag,
            "prev1or2or3tag" => Template::Prev1Or2Or3Tag,
            "next1or2or3tag" => Template::Next1Or2Or3Tag,
            "surroundtag" => Template::SurroundTag,
            "curwd" => Template::CurWd,
            "prevwd" => Template::PrevWd,
            "nextwd" => Template::NextWd,
            "prev1or2wd" => Template::Prev1Or2Wd,
            "next1or2wd" => Template::Next1Or2Wd,
            "prevwdtag" => Template::PrevWdTag,
            "nextwdtag" => Template::NextWdTag,
            "wdprevtag" => Template::WdPrevTag,
            "wdnexttag" => Template::WdNextTag,
            "wdand2aft" => Template::WdAnd2Aft,
            "wdand2tagbfr" => Template::WdAnd2TagBfr,
            "wdand2tagaft" => Template::WdAnd2TagAft,
            "lbigram" => Template::LBigram,
            "rbigram" => Template::RBigram,
            "prevbigram" => Template::PrevBigram,
            "nextbigram" => Template::NextBigram,
            _ => return None,
        };
        let mut arg = |i: usize| {
            let word = rest.get(i).copied().unwrap_or("");
            Arg {
                word,
                tag: Some(self.intern(word)),
            }
        };
        let (x, y) = (arg(0), arg(1));
        let from = (*from != "*").then(|| self.intern(from));
        Some(Contextual {
            from,
            to: self.intern(to),
            template,
            x,
            y,
        })
    }

    /// The Penn name of `tag`.
    pub fn name(&self, tag: Tag) -> &'static str {
        self.names.get(usize::from(tag)).copied().unwrap_or("NN")
    }

    /// The Penn tags of one sentence's tokens, and what each rests on.
    pub fn tag(&self, words: &[&str]) -> Vec<(Tag, Source)> {
        let mut tags: Vec<(Tag, Source)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| match self.known(w, i == 0) {
                Some(t) => (t, Source::Lexicon),
                None => (self.guess(words, i), Source::Guess),
            })
            .collect();
        self.apply_context(words, &mut tags);
        tags
    }

    /// The lexicon's tag for `word` (lowercased too at a sentence's start).
    fn known(&self, word: &str, first: bool) -> Option<Tag> {
        if let Some(&t) = self.lexicon.get(word) {
            return Some(t);
        }
        let lower = word.to_lowercase();
        // "US" is the country, not "us" in capitals.
        if word == "US" {
            return Some(self.ids["NNP"]);
        }
        if first || word.chars().all(|c| !c.is_lowercase()) && word.chars().count() > 1 {
            // A sentence's first word, or a word in capitals ("THE"), read in lowercase.
            return self.lexicon.get(lower.as_str()).copied();
        }
        None
    }

    /// The tag of an unknown word: NNP if capitalised, CD if a number, else NN improved by
    /// the lexical rules.
    fn guess(&self, words: &[&str], i: usize) -> Tag {
        let word = words[i];
        let mut chars = word.chars();
        let first = chars.next().unwrap_or(' ');
        if first.is_uppercase() && chars.all(|c| !c.is_uppercase() || c == '.') {
            return self.ids["NNP"];
        }
        if word
            .chars()
            .all(|c| c.is_ascii_digit() || "-,.:/%$".contains(c))
        {
            return self.ids["CD"];
        }
        let prev = i.checked_sub(1).and_then(|p| words.get(p)).copied();
        let next = words.get(i + 1).copied();
        let mut tag = self.ids["NN"];
        for rule in &self.morphology {
            if rule.from.is_some_and(|f| f != tag) {
                continue;
            }
            if self.word_test(rule, word, prev, next) {
                tag = rule.to;
            }
        }
        tag
    }

    fn word_test(
        &self,
        rule: &Lexical,
        word: &str,
        prev: Option<&str>,
        next: Option<&str>,
    ) -> bool {
        let x = rule.arg;
        let known = |w: &str| self.lexicon.contains_key(w);
        match rule.test {
            WordTest::Char => word.contains(x),
            WordTest::HasPref => word.starts_with(x),
            WordTest::HasSuf => word.ends_with(x),
            WordTest::AddPref => known(&format!("{x}{word}")),
            WordTest::AddSuf => known(&format!("{word}{x}")),
            WordTest::DeletePref => word.strip_prefix(x).is_some_and(known),
            WordTest::DeleteSuf => word.strip_suffix(x).is_some_and(known),
            WordTest::GoodLeft => next == Some(x),
            WordTest::GoodRight => prev == Some(x),
        }
    }

    /// Applies each contextual rule, in order, across the sentence.
    fn apply_context(&self, words: &[&str], tags: &mut [(Tag, Source)]) {
        let n = tags.len();
        let staart = self.ids["STAART"];
        let mut t: Vec<Tag> = tags.iter().map(|&(t, _)| t).collect();
        // Which tags the sentence holds: most rules' starting tag is absent from a sentence.
        let mut present = [false; 256];
        for &tag in &t {
            present[usize::from(tag)] = true;
        }
        for rule in &self.context {
            if rule.from.is_some_and(|f| !present[usize::from(f)]) {
                continue;
            }
            for i in 0..n {
                if rule.from.is_some_and(|f| f != t[i]) || t[i] == rule.to {
                    continue;
                }
                let view = View {
                    words,
                    tags: &t,
                    i,
                    staart,
                };
                if view.holds(rule) {
                    t[i] = rule.to;
                    present[usize::from(rule.to)] = true;
                    tags[i] = (rule.to, Source::Context);
                }
            }
        }
    }
}

/// A position in a sentence, with the words and tags around it (outside: "STAART").
struct View<'a> {
    words: &'a [&'a str],
    tags: &'a [Tag],
    i: usize,
    staart: Tag,
}

impl View<'_> {
    fn tag(&self, offset: isize) -> Tag {
        self.i
            .checked_add_signed(offset)
            .and_then(|j| self.tags.get(j))
            .copied()
            .unwrap_or(self.staart)
    }

    fn word(&self, offset: isize) -> &str {
        self.i
            .checked_add_signed(offset)
            .and_then(|j| self.words.get(j))
            .copied()
            .unwrap_or("STAART")
    }

    fn holds(&self, r: &Contextual) -> bool {
        let (xt, yt) = (r.x.tag.unwrap_or(u8::MAX), r.y.tag.unwrap_or(u8::MAX));
        let (xw, yw) = (r.x.word, r.y.word);
        let t = |o| self.tag(o);
        let w = |o| self.word(o);
        match r.template {
            Template::PrevTag => t(-1) == xt,
            Template::NextTag => t(1) == xt,
            Template::Prev2Tag => t(-2) == xt,
            Template::Next2Tag => t(2) == xt,
            Template::Prev1Or2Tag => t(-1) == xt || t(-2) == xt,
            Template::Next1Or2Tag => t(1) == xt || t(2) == xt,
            Template::Prev1Or2Or3Tag => (1..=3).any(|k| t(-k) == xt),
            Template::Next1Or2Or3Tag => (1..=3).any(|k| t(k) == xt),
            Template::SurroundTag => t(-1) == xt && t(1) == yt,
            Template::CurWd => w(0) == xw,
            Template::PrevWd => w(-1) == xw,
            Template::NextWd => w(1) == xw,
            Template::Prev1Or2Wd => w(-1) == xw || w(-2) == xw,
            Template::Next1Or2Wd => w(1) == xw || w(2) == xw,
            Template::PrevWdTag => w(-1) == xw && t(-1) == yt,
            Template::NextWdTag => w(1) == xw && t(1) == yt,
            Template::WdPrevTag => t(-1) == xt && w(0) == yw,
            Template::WdNextTag => w(0) == xw && t(1) == yt,
            Template::WdAnd2Aft => w(0) == xw && w(2) == yw,
            Template::WdAnd2TagBfr => t(-2) == xt && w(0) == yw,
            Template::WdAnd2TagAft => w(0) == xw && t(2) == yt,
            Template::LBigram => w(-1) == xw && w(0) == yw,
            Template::RBigram => w(0) == xw && w(1) == yw,
            Template::PrevBigram => t(-2) == xt && t(-1) == yt,
            Template::NextBigram => t(1) == xt && t(2) == yt,
        }
    }
}
