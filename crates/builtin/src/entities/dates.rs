//! DATE: "a full date (for example, 11/25/2017), day (Tuesday), month (May), or time (8:30
//! a.m.)" (docs.aws.amazon.com/comprehend/latest/dg/how-entities.html), and the relative
//! dates people write ("last week", "la semana pasada", "3 days ago").
//!
//! Patterns over the month and weekday names of each language that has them in this crate
//! (en, es, fr, de, it, pt), and over digits everywhere (ISO and numeric dates, clock times,
//! `2025年3月3日`, `2025년 3월 3일`). The regex crate is used rather than a date-parsing crate:
//! the task is finding the span of a date in prose, which the parsers (chrono, dateparser) do
//! not do.

use std::sync::LazyLock;

use super::rules::{Compiled, Rule, compile, scan};
use super::{Candidate, EntityType};
use crate::Language;

/// A day of the month, with an English ordinal ending.
const DAY: &str = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?";
/// A year of the last millennium or this century.
const YEAR: &str = r"(?:1[0-9]{3}|20[0-9]{2})";

/// The calendar words of one language.
struct Calendar {
    /// Month names (alternatives, longest forms first).
    months: &'static str,
    /// The month names that are a date alone.
    lone_months: &'static str,
    weekdays: &'static str,
    /// Relative dates ("yesterday", "last week"), as a pattern; `{WD}` stands for a weekday.
    relative: &'static str,
    /// Words before a year that make it a date ("in 1997", "desde 2010").
    year_context: &'static str,
    /// The word between a day and its month and between a month and its year (`de` in
    /// Spanish and Portuguese).
    of: &'static str,
}

const EN: Calendar = Calendar {
    // Capitalised, abbreviations too (with their dot): "may" and "march" are also verbs.
    months: r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)",
    // A lone "May" is far more often the verb, and the abbreviations are words ("Mar",
    // "Dec"): only the other full names count alone.
    lone_months: r"(?:January|February|March|April|June|July|August|September|October|November|December)",
    weekdays: r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    relative: r"(?i:the\s+day\s+(?:before|after)\s+(?:yesterday|tomorrow)|(?:yesterday|tomorrow|this)\s+(?:morning|afternoon|evening)|yesterday|tomorrow|today|tonight|(?:this|last|next|past|coming)\s+(?:week(?:end)?|month|year|quarter|decade|century|morning|afternoon|evening|night|spring|summer|autumn|fall|winter|{WD})|(?:[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)\s+(?:days?|weeks?|months?|years?|decades?)\s+ago)",
    year_context: r"(?i:in|since|until|till|by|from|during|before|after|of|around|circa|early|late|mid-?|year|fiscal|spring|summer|autumn|fall|winter)",
    of: r"(?:\s+of)?",
};

const MONTHS_ES: &str = r"(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)";

const ES: Calendar = Calendar {
    months: MONTHS_ES,
    lone_months: MONTHS_ES,
    weekdays: r"(?i:lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo)",
    relative: r"(?i:(?:el\s+)?(?:próximo|proximo)\s+{WD}|(?:el\s+)?{WD}\s+(?:pasado|que\s+viene|próximo)|(?:la\s+)?semana\s+(?:pasada|que\s+viene|próxima)|(?:el\s+)?(?:mes|año|fin\s+de\s+semana)\s+(?:pasado|que\s+viene|próximo)|(?:esta|esa)\s+(?:mañana|tarde|noche|semana)|(?:este|ese)\s+(?:mes|año|fin\s+de\s+semana)|pasado\s+mañana|anteayer|antier|anoche|ayer|hoy|mañana|hace\s+(?:[0-9]+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|unos|unas)\s+(?:días?|semanas?|meses|mes|años?))",
    year_context: r"(?i:en|desde|hasta|del?|año|antes\s+de|después\s+de|durante)",
    of: r"(?:\s+del?)?",
};

const MONTHS_FR: &str = r"(?i:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)";

const FR: Calendar = Calendar {
    months: MONTHS_FR,
    lone_months: MONTHS_FR,
    weekdays: r"(?i:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
    relative: r"(?i:avant-hier|après-demain|hier|aujourd['’]hui|demain|la\s+semaine\s+(?:dernière|prochaine)|l['’]année\s+(?:dernière|prochaine)|le\s+mois\s+(?:dernier|prochain))",
    year_context: r"(?i:en|depuis|jusqu['’]en|avant|après|de)",
    of: "",
};

const MONTHS_DE: &str =
    r"(?:Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)";

const DE: Calendar = Calendar {
    months: MONTHS_DE,
    lone_months: MONTHS_DE,
    weekdays: r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)",
    relative: r"(?:vorgestern|übermorgen|gestern|heute|letzte\s+Woche|nächste\s+Woche|letztes\s+Jahr|nächstes\s+Jahr)",
    year_context: r"(?:im\s+Jahr|seit|bis|vor|nach|ab|im|in)",
    of: "",
};

const MONTHS_IT: &str = r"(?i:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)";

const IT: Calendar = Calendar {
    months: MONTHS_IT,
    lone_months: MONTHS_IT,
    weekdays: r"(?i:lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica)",
    relative: r"(?i:l['’]altro\s+ieri|dopodomani|ieri|oggi|domani|la\s+settimana\s+(?:scorsa|prossima)|l['’]anno\s+(?:scorso|prossimo)|il\s+mese\s+(?:scorso|prossimo))",
    year_context: r"(?i:nel|dal|fino\s+al|prima\s+del|dopo\s+il|anno)",
    of: "",
};

const MONTHS_PT: &str = r"(?i:janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)";

const PT: Calendar = Calendar {
    months: MONTHS_PT,
    lone_months: MONTHS_PT,
    weekdays: r"(?i:segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|sábado|sabado|domingo)",
    relative: r"(?i:anteontem|ontem|hoje|amanhã|depois\s+de\s+amanhã|a\s+semana\s+passada|a\s+próxima\s+semana|o\s+ano\s+passado|o\s+mês\s+passado)",
    year_context: r"(?i:em|desde|até|de|ano)",
    of: r"(?:\s+de)?",
};

/// The rules of one language's calendar words.
fn calendar_rules(c: &Calendar) -> Vec<Rule> {
    let (m, wd, of, yc) = (c.months, c.weekdays, c.of, c.year_context);
    let date = EntityType::Date;
    let full = format!(
        r"\b(?:{wd},?\s+)?(?:{m}\s+{DAY}\b(?:,?\s+{YEAR}\b)?|{DAY}\.?{of}\s+{m}(?:,?{of}\s+{YEAR}\b)?|{m},?{of}\s+{YEAR}\b)"
    );
    let relative = c.relative.replace("{WD}", wd);
    vec![
        Rule::new(date, full, 0.99),
        Rule::new(date, format!(r"\b(?:{relative})\b"), 0.9),
        Rule::new(
            date,
            format!(r"\b{wd}s?(?:\s+(?i:morning|afternoon|evening|night))?\b"),
            0.9,
        ),
        Rule::new(date, format!(r"\b{yc}\s+(?<v>{YEAR}s?)\b"), 0.9),
        Rule::new(date, format!(r"\b{}\b", c.lone_months), 0.85),
    ]
}

/// The rules over digits, for every language.
fn digit_rules() -> Vec<Rule> {
    let date = EntityType::Date;
    vec![
        Rule::new(
            date,
            format!(
                r"\b(?:{YEAR}-(?:1[0-2]|0?[1-9])-(?:3[01]|[12][0-9]|0?[1-9])|(?:3[01]|[12][0-9]|0?[1-9])[/.-](?:3[01]|[12][0-9]|0?[1-9])[/.-](?:{YEAR}|[0-9]{{2}}))\b"
            ),
            0.95,
        ),
        Rule::new(
            date,
            r"\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:\s?(?:[ap]\.m\.|[AP]\.M\.|(?i:am|pm)\b|(?i:horas|uhr|h)\b))?",
            0.95,
        ),
        Rule::new(
            date,
            r"\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[AP]\.M\.|(?i:am|pm)\b)",
            0.95,
        ),
        Rule::new(date, r"\b(?i:noon|midnight|mediodía|medianoche)\b", 0.85),
        Rule::new(date, r"\b1[0-9]{2}0s\b", 0.9),
        // Chinese and Japanese (年月日) and Korean (년월일) dates.
        Rule::new(
            date,
            r"[0-9]{1,4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}[日号])?)?|[0-9]{1,2}月[0-9]{1,2}[日号]",
            0.95,
        ),
        Rule::new(
            date,
            r"[0-9]{1,4}년(?:\s?[0-9]{1,2}월(?:\s?[0-9]{1,2}일)?)?|[0-9]{1,2}월\s?[0-9]{1,2}일",
            0.95,
        ),
    ]
}

/// The languages with calendar words, in the order of [`WORD_RULES`].
const CALENDARS: [(Language, Calendar); 6] = [
    (Language::En, EN),
    (Language::Es, ES),
    (Language::Fr, FR),
    (Language::De, DE),
    (Language::It, IT),
    (Language::Pt, PT),
];

/// The compiled rules of each language with calendar words.
static WORD_RULES: LazyLock<Vec<(Language, Vec<Compiled>)>> = LazyLock::new(|| {
    CALENDARS
        .iter()
        .map(|(l, c)| (*l, compile(calendar_rules(c))))
        .collect()
});

/// The compiled rules over digits.
static DIGIT_RULES: LazyLock<Vec<Compiled>> = LazyLock::new(|| compile(digit_rules()));

/// Pushes the DATE candidates of `text` onto `out`.
pub(super) fn find(text: &str, language: Language, out: &mut Vec<Candidate>) {
    if let Some((_, rules)) = WORD_RULES.iter().find(|(l, _)| *l == language) {
        scan(rules, text, out);
    }
    scan(&DIGIT_RULES, text, out);
}

/// Whether every rule that applies to `language` compiles.
#[cfg(test)]
pub(super) fn every_rule_compiles(language: Language) -> bool {
    let words = CALENDARS
        .iter()
        .filter(|(l, _)| *l == language)
        .all(|(_, c)| super::rules::all_compile(&calendar_rules(c)));
    words && super::rules::all_compile(&digit_rules())
}
