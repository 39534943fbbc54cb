//! Check digits and validity rules of structured identifiers, written by hand: each is a few
//! lines of published arithmetic, smaller than any crate that would bring it.

/// The ASCII digits of `s`, ignoring separators.
pub(super) fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// Whether the separators of `s` (what is not a letter or digit) are all the same character:
/// `078-05-1120` and `078 05 1120`, not `078-05 1120`.
pub(super) fn one_separator(s: &str) -> bool {
    let mut seps = s.chars().filter(|c| !c.is_ascii_alphanumeric());
    match seps.next() {
        Some(first) => seps.all(|c| c == first),
        None => true,
    }
}

/// The Luhn (mod 10) check of payment cards and Canada's SIN (ISO/IEC 7812-1).
pub(super) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).
pub(super) fn aba(digits: &[u8]) -> bool {
    if digits.len() != 9 {
        return false;
    }
    let weights = [3u32, 7, 1];
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| weights[i % 3] * u32::from(d))
        .sum();
    sum.is_multiple_of(10)
}

/// ISO 7064 mod 97-10, as IBANs use it: the first four characters moved to the end, letters
/// read as 10–35, the whole number ≡ 1 (mod 97).
pub(super) fn mod97(code: &str) -> bool {
    if code.len() < 5 || !code.is_ascii() {
        return false;
    }
    let (head, tail) = code.split_at(4);
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rest = if v < 10 {
            (rest * 10 + v) % 97
        } else {
            (rest * 100 + v) % 97
        };
    }
    rest == 1
}

/// The Verhoeff check (dihedral group D5) that Aadhaar numbers carry in their last digit.
pub(super) fn verhoeff(digits: &[u8]) -> bool {
    // Multiplication in D5, and the permutation applied to the digit at each position.
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P1: [u8; 10] = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    let permute =
        |position: usize, digit: u8| (0..position % 8).fold(digit, |d, _| P1[usize::from(d)]);
    let check = digits.iter().rev().enumerate().fold(0u8, |c, (i, &d)| {
        D[usize::from(c)][usize::from(permute(i, d))]
    });
    !digits.is_empty() && check == 0
}

/// The NHS number's mod-11 check digit: weights 10 down to 2 on the first nine digits.
pub(super) fn nhs(digits: &[u8]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    match 11 - sum % 11 {
        11 => digits[9] == 0,
        10 => false,
        check => u32::from(digits[9]) == check,
    }
}

/// The North American VIN check digit (position 9) of ISO 3779 identifiers.
pub(super) fn vin(code: &str) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let bytes = code.as_bytes();
    if bytes.len() != 17 {
        return false;
    }
    let mut sum = 0;
    for (&b, w) in bytes.iter().zip(WEIGHTS) {
        let Some(v) = vin_value(b) else {
            return false;
        };
        sum += v * w;
    }
    let check = match sum % 11 {
        10 => b'X',
        d => b'0' + d as u8,
    };
    bytes[8] == check
}

/// The transliteration of a VIN character (I, O and Q never appear).
fn vin_value(b: u8) -> Option<u32> {
    const LETTERS: &[u8; 26] = b"12345678.12345.7.923456789";
    let digit = match b {
        b'0'..=b'9' => b,
        b'A'..=b'Z' => LETTERS[usize::from(b - b'A')],
        _ => return None,
    };
    digit.is_ascii_digit().then(|| u32::from(digit - b'0'))
}
