//! Skipping one CBOR data item a request holds where the model has nothing (an unknown
//! member), or where the model wants something else (a map where a string is due).
//!
//! The body is untrusted, so the skip is iterative with a fixed stack of
//! [`MAX_DEPTH`] levels: it neither recurses on the input's nesting nor allocates, and
//! declared lengths are only counted down, never used to reserve memory. (minicbor's own
//! `Decoder::skip` keeps a growable stack, which a body of nested indefinite arrays
//! grows with its size.)

use minicbor::Decoder;
use minicbor::data::Type;

use super::DecodeError;

/// The deepest nesting a skipped item may have, as deep as a JSON body may nest
/// (serde_json's recursion limit).
pub(crate) const MAX_DEPTH: usize = 128;

/// What is left of an open container.
#[derive(Clone, Copy)]
enum Level {
    /// Items still due in a definite-length array or map (a map's pairs count twice).
    Definite(u64),
    /// An indefinite-length array, closed by a break.
    IndefiniteArray,
    /// An indefinite-length map, closed by a break after a whole number of pairs.
    IndefiniteMap { odd: bool },
}

/// What the next item's head turned out to be.
enum Head {
    /// A whole item was read (a scalar, or a possibly chunked string).
    Item,
    /// A container was opened; its items follow.
    Open(Level),
}

/// Skips the next data item, whatever it holds.
pub(crate) fn skip(d: &mut Decoder<'_>) -> Result<(), DecodeError> {
    let mut stack = [Level::IndefiniteArray; MAX_DEPTH];
    let mut depth = 0;
    loop {
        let closes = depth > 0
            && !matches!(stack[depth - 1], Level::Definite(_))
            && d.datatype()? == Type::Break;
        if closes {
            if let Level::IndefiniteMap { odd: true } = stack[depth - 1] {
                return Err(DecodeError::malformed(
                    "a map ends between a key and its value",
                ));
            }
            d.set_position(d.position() + 1);
            depth -= 1;
        } else {
            match head(d)? {
                Head::Open(Level::Definite(0)) | Head::Item => {}
                Head::Open(level) if depth < MAX_DEPTH => {
                    stack[depth] = level;
                    depth += 1;
                    continue;
                }
                Head::Open(_) => return Err(DecodeError::TooDeep),
            }
        }
        // An item is complete: it counts against the container holding it, which may
        // complete in turn.
        loop {
            let Some(level) = depth.checked_sub(1).map(|i| &mut stack[i]) else {
                return Ok(());
            };
            match level {
                Level::Definite(left) => {
                    *left -= 1;
                    if *left == 0 {
                        depth -= 1;
                        continue;
                    }
                }
                Level::IndefiniteMap { odd } => *odd = !*odd,
                Level::IndefiniteArray => {}
            }
            break;
        }
    }
}

/// Reads the head of the next item: any tags before it, then either the whole item
/// (scalars and strings are flat) or a container's length.
fn head(d: &mut Decoder<'_>) -> Result<Head, DecodeError> {
    let mut tags = 0;
    loop {
        let open = match d.datatype()? {
            Type::Tag if tags < MAX_DEPTH => {
                tags += 1;
                d.tag()?;
                continue;
            }
            Type::Tag => return Err(DecodeError::TooDeep),
            Type::Array | Type::ArrayIndef => match d.array()? {
                Some(n) => Level::Definite(n),
                None => Level::IndefiniteArray,
            },
            Type::Map | Type::MapIndef => match d.map()? {
                Some(n) => Level::Definite(
                    n.checked_mul(2)
                        .ok_or_else(|| DecodeError::malformed("a map declares too many pairs"))?,
                ),
                None => Level::IndefiniteMap { odd: false },
            },
            Type::String | Type::StringIndef => {
                for chunk in d.str_iter()? {
                    chunk?;
                }
                return Ok(Head::Item);
            }
            Type::Bytes | Type::BytesIndef => {
                for chunk in d.bytes_iter()? {
                    chunk?;
                }
                return Ok(Head::Item);
            }
            Type::Break => return Err(DecodeError::malformed("a break where an item is due")),
            // RFC 8949 §3.3: simple values other than false, true, null and undefined
            // are unassigned; the protocol gives them no meaning.
            Type::Simple => return Err(DecodeError::malformed("an unassigned simple value")),
            Type::Unknown(b) => {
                return Err(DecodeError::malformed(format!(
                    "reserved initial byte {b:#04x}"
                )));
            }
            // The rest are scalars: minicbor's skip reads them without a stack.
            _ => {
                d.skip()?;
                return Ok(Head::Item);
            }
        };
        return Ok(Head::Open(open));
    }
}
