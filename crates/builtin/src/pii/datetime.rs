//! Dates and times: numeric dates, dates with month names (English and Spanish) and clock
//! times.

use super::PiiType::DateTime;
use super::checks::digits;
use super::recognizer::{Recognizer, any};

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    // 2024-03-05, 2024-03-05T10:30:00Z
    date(
        r"\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?Z?)?\b",
        year_first,
    ),
    // 03/05/2024, 5.3.2024, 3-5-24
    date(
        r"\b[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})\b",
        day_month,
    ),
    // March 5, 2024; Sept. 5th
    date(
        r"(?i)\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.? [0-9]{1,2}(?:st|nd|rd|th)?(?:,? [0-9]{4})?\b",
        any,
    ),
    // 5 March 2024, 5th of March
    date(
        r"(?i)\b[0-9]{1,2}(?:st|nd|rd|th)?(?: of)? (?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b(?:,? [0-9]{4}\b)?",
        any,
    ),
    // 5 de marzo de 2024
    date(
        r"(?i)\b[0-9]{1,2} de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)(?: del? [0-9]{4})?\b",
        any,
    ),
    // March 2024, marzo de 2024
    date(
        r"(?i)\b(?:january|february|march|april|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) (?:de )?[0-9]{4}\b",
        any,
    ),
    // 10:30, 10:30:15 PM, 22:05 h
    date(
        r"(?i)\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?: ?(?:[ap]\.m\.|[ap]m\b))?",
        any,
    ),
    // 11 am, 7 p.m.
    date(r"(?i)\b(?:1[0-2]|0?[1-9]) ?(?:[ap]\.m\.|[ap]m\b)", any),
];

const fn date(pattern: &'static str, validate: fn(&str) -> bool) -> Recognizer {
    Recognizer::new(DateTime, pattern, validate)
        .scored(0.9, 0.9)
        .joining_numbers()
}

/// The numbers of a numeric date, in order.
fn fields(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|f| !f.is_empty())
        .map(|f| f.parse().unwrap_or(u32::MAX))
        .collect()
}

/// Year, month (1–12), day (1–31).
fn year_first(s: &str) -> bool {
    let f = fields(s);
    f.len() >= 3 && (1..=12).contains(&f[1]) && (1..=31).contains(&f[2])
}

/// Month/day or day/month, then the year; with dots only a four-digit year (`1.2.10` is a
/// version number).
fn day_month(s: &str) -> bool {
    let f = fields(s);
    if f.len() != 3 || (s.contains('.') && digits(s).len() < 6) {
        return false;
    }
    let (a, b) = (f[0], f[1]);
    let day = |d: u32| (1..=31).contains(&d);
    let month = |m: u32| (1..=12).contains(&m);
    (month(a) && day(b)) || (day(a) && month(b))
}
