//! E-mail addresses, URLs, IP and MAC addresses, AWS access keys and secret keys.

use super::PiiType::{AwsAccessKey, AwsSecretKey, Email, IpAddress, MacAddress, Url};
use super::checks::one_separator;
use super::recognizer::{Recognizer, any};
use std::net::{Ipv4Addr, Ipv6Addr};

const EMAIL_WORDS: &[&str] = &["email", "e-mail", "mail", "correo", "correo electrónico"];
const URL_WORDS: &[&str] = &[
    "url", "website", "web", "link", "site", "sitio", "página", "enlace",
];
const IP_WORDS: &[&str] = &[
    "ip",
    "ip address",
    "host",
    "server",
    "dirección ip",
    "servidor",
];
const MAC_WORDS: &[&str] = &["mac", "mac address", "hardware address", "dirección mac"];
const ACCESS_WORDS: &[&str] = &[
    "aws",
    "access key",
    "key id",
    "aws_access_key_id",
    "clave de acceso",
];
const SECRET_WORDS: &[&str] = &[
    "secret",
    "secret key",
    "secret access key",
    "aws_secret_access_key",
    "clave secreta",
    "secreta",
];

/// Top-level domains a bare domain (no scheme, no `www.`) is read as a URL with.
const BARE_URL: &str = r#"\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|org|net|edu|gov|io|info|biz|co|us|uk|es|mx|ar|cl|ca|de|fr|in)(?:/[^\s<>"'()\[\]{}]*[^\s<>"'()\[\]{}.,;:!?])?"#;

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    Recognizer::new(
        Email,
        r"\b[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b",
        email,
    )
    .boosted_by(EMAIL_WORDS)
    .scored(0.99, 0.99),
    Recognizer::new(
        Url,
        r#"\b(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>"'()\[\]{}]*[^\s<>"'()\[\]{}.,;:!?]"#,
        any,
    )
    .boosted_by(URL_WORDS)
    .scored(0.95, 0.99),
    Recognizer::new(Url, BARE_URL, any).boosted_by(URL_WORDS).scored(0.8, 0.95),
    Recognizer::new(IpAddress, r"\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b", ipv4)
        .boosted_by(IP_WORDS)
        .scored(0.9, 0.99),
    Recognizer::new(
        IpAddress,
        r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{1,4})?",
        ipv6,
    )
    .boosted_by(IP_WORDS)
    .scored(0.9, 0.99),
    Recognizer::new(MacAddress, r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b", one_separator)
        .boosted_by(MAC_WORDS)
        .scored(0.9, 0.99),
    Recognizer::new(MacAddress, r"\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b", any)
        .boosted_by(MAC_WORDS)
        .scored(0.85, 0.99),
    // Access key IDs: AKIA (long-term) or ASIA (temporary) and 16 characters (IAM user guide,
    // "Understanding unique ID prefixes").
    Recognizer::new(AwsAccessKey, r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", any)
        .boosted_by(ACCESS_WORDS)
        .scored(0.95, 0.99),
    Recognizer::new(AwsSecretKey, r"[A-Za-z0-9/+]{40}", secret_key)
        .only_after(SECRET_WORDS)
        .scored(0.95, 0.95),
];

/// No empty label (`a..b`), as RFC 5321 forbids.
fn email(s: &str) -> bool {
    !s.contains("..")
}

/// Four decimal octets as `std::net` reads them (no leading zeros, none over 255).
fn ipv4(s: &str) -> bool {
    s.parse::<Ipv4Addr>().is_ok()
}

/// An IPv6 address as `std::net` reads it, with at least one hexadecimal digit (not a bare
/// `::`).
fn ipv6(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_hexdigit()) && s.parse::<Ipv6Addr>().is_ok()
}

/// A secret access key mixes upper case, lower case and digits; a 40-letter word does not.
fn secret_key(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes().any(|b| b.is_ascii_lowercase())
        && s.bytes()
            .any(|b| b.is_ascii_digit() || b == b'/' || b == b'+')
}
