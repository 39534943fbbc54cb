//! QUANTITY: "a quantified amount, such as currency, percentages, numbers, bytes, etc."
//! (docs.aws.amazon.com/comprehend/latest/dg/how-entities.html).
//!
//! Patterns over digits (with the thousands and decimal separators of both conventions,
//! `1,200.50` and `1.200,50`), scale words, currency signs and codes, units of measure, bytes
//! and durations, and the number words of each language this crate knows (en, es, fr, de, it,
//! pt). A counted noun stays outside the span ("500 members" gives "500"), a unit inside it
//! ("3 kg", "$1,200", "25 %").

use std::sync::LazyLock;

use super::rules::{Compiled, Rule, compile, scan};
use super::{Candidate, EntityType};
use crate::Language;

/// A number written with digits.
const NUMBER: &str = r"(?:[0-9]{1,3}(?:[,.][0-9]{3})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?)";

/// Scale words after a number ("1.5 million", "5,3 millones").
const SCALE: &str = r"(?:\s+(?i:thousand|million|billion|trillion|millones|millón|millon|mil\s+millones|billones|millions?|milliards?|millionen|million|milliarden|milliarde|milioni|milione|miliardi|milhões|milhão|bilhões|bilhão|mil))?";

/// Currency signs, written before or after the amount.
const CURRENCY_SIGN: &str = r"(?:US\$|R\$|C\$|A\$|[$€£¥₹₩])";

/// Currency names and ISO 4217 codes, written after the amount.
const CURRENCY_WORD: &str = r"(?:(?i:dollars?|euros?|pounds?\s+sterling|yen|yuan|renminbi|pesos?|rupees?|francs?|dólares|dolares|libras|reais|real|won|dollari|sterline|franken|cents?|céntimos|centavos)|USD|EUR|GBP|JPY|CNY|MXN|INR|CHF|CAD|AUD|BRL|KRW)";

/// Percent words.
const PERCENT: &str = r"(?:%|(?i:percent|per\s+cent|percentage\s+points?|por\s+ciento|pour\s+cent|prozent|per\s+cento|por\s+cento)\b)";

/// Units of measure, bytes and durations.
const UNIT: &str = r"(?:(?i:kilograms?|kilogramos?|kilos?|kg|grams?|gramos?|grammes?|mg|pounds?|lbs?|ounces?|oz|tons?|tonnes?|toneladas?|kilometers?|kilometres?|kilómetros?|kilometri|quilômetros?|km/h|kph|km|meters?|metres?|metros?|metri|cm|mm|miles?|millas?|mph|feet|foot|ft|inches|yards?|liters?|litres?|litros?|litri|ml|gallons?|galones|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?|bits?|gbps|mbps|ghz|mhz|hz|kwh|kw|mw|watts?|volts?|hours?|hrs?|horas?|heures?|stunden|ore|minutes?|mins?|minutos?|minuten|minuti|seconds?|secs?|segundos?|sekunden|secondi|days?|días?|jours?|tage|giorni|dias?|weeks?|semanas?|semaines?|wochen|settimane|months?|meses|mois|monate|mesi|years?|años?|ans|jahre|anni|anos|degrees?|grados?)\b|GB|MB|KB|kB|TB|PB|°\s?[CF]?)";

/// The number words of each language (one and its homographs left out: "one of them", "un",
/// "una" are mostly not amounts).
const NUMBER_WORDS: [(Language, &str); 6] = [
    (
        Language::En,
        r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen",
    ),
    (
        Language::Es,
        r"dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciséis|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|cientos|mil|docena",
    ),
    (
        Language::Fr,
        r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|vingt|trente|quarante|cinquante|soixante|cent|mille",
    ),
    (
        Language::De,
        r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|hundert|tausend",
    ),
    (
        Language::It,
        r"due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|venti|trenta|quaranta|cinquanta|cento|mille",
    ),
    (
        Language::Pt,
        r"dois|duas|três|tres|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|vinte|trinta|quarenta|cinquenta|cem|cento|mil",
    ),
];

/// The rules over digits, for the languages that separate words with spaces.
fn digit_rules() -> Vec<Rule> {
    let q = EntityType::Quantity;
    vec![
        Rule::new(q, format!(r"{CURRENCY_SIGN}\s?{NUMBER}\b{SCALE}\b"), 0.99),
        Rule::new(
            q,
            format!(r"\b{NUMBER}{SCALE}\s?(?:(?i:de\s+)?{CURRENCY_WORD}\b|{CURRENCY_SIGN})"),
            0.99,
        ),
        Rule::new(q, format!(r"\b{NUMBER}\s?{PERCENT}"), 0.99),
        Rule::new(q, format!(r"\b{NUMBER}{SCALE}\s?{UNIT}"), 0.95),
        Rule::new(q, format!(r"\b{NUMBER}{SCALE}\b"), 0.85),
    ]
}

/// Numbers in Chinese, Japanese and Korean text, where no space or word boundary parts a
/// number from the characters around it; a counter or currency after it joins the span.
fn cjk_rules() -> Vec<Rule> {
    let q = EntityType::Quantity;
    vec![Rule::new(
        q,
        format!(
            r"{CURRENCY_SIGN}\s?{NUMBER}|{NUMBER}(?:\s?(?:%|万円|円|元|万|億|亿|ドル|달러|원|개|명|人|個|个|件|歳|岁|세|kg|km|GB|MB))?"
        ),
        0.9,
    )]
}

/// The number words of `language`, with a scale or unit after them ("three hours").
fn word_rule(words: &str) -> Rule {
    Rule::new(
        EntityType::Quantity,
        format!(r"\b(?i:{words})\b(?:\s+{UNIT})?"),
        0.85,
    )
}

/// The compiled rules per language.
static RULES: LazyLock<Vec<(Language, Vec<Compiled>)>> = LazyLock::new(|| {
    Language::ALL
        .iter()
        .map(|&language| (language, compile(rules_of(language))))
        .collect()
});

/// The rules that apply to `language`.
fn rules_of(language: Language) -> Vec<Rule> {
    if matches!(
        language,
        Language::Ja | Language::Ko | Language::Zh | Language::ZhTw
    ) {
        return cjk_rules();
    }
    let mut rules = digit_rules();
    rules.extend(
        NUMBER_WORDS
            .iter()
            .filter(|(l, _)| *l == language)
            .map(|(_, words)| word_rule(words)),
    );
    rules
}

/// Pushes the QUANTITY candidates of `text` onto `out`.
pub(super) fn find(text: &str, language: Language, out: &mut Vec<Candidate>) {
    if let Some((_, rules)) = RULES.iter().find(|(l, _)| *l == language) {
        scan(rules, text, out);
    }
}

/// Whether every rule that applies to `language` compiles.
#[cfg(test)]
pub(super) fn every_rule_compiles(language: Language) -> bool {
    super::rules::all_compile(&rules_of(language))
}
