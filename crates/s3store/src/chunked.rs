//! A streaming decoder for `aws-chunked` request bodies
//! (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0[;…]\r\n[trailers]\r\n`), for a server
//! that does not verify signatures (s3s strips the framing only while verifying chunk
//! signatures, which needs the client's secret).
//!
//! Bounded: it holds at most one chunk header (4 KiB) besides the bytes passing through,
//! sizes are at most 16 hex digits, every length computation is checked, and the decoded
//! body must be exactly the declared `x-amz-decoded-content-length` (at most 5 GiB, S3's
//! single-PUT limit). Malformed framing is an error, never an overflow or a panic.
//! Trailers (checksums) are read and ignored.

use std::collections::VecDeque;

use bytes::{Buf, Bytes, BytesMut};
use futures::{Stream, StreamExt};

/// S3's largest single PUT.
pub const MAX_DECODED: u64 = 5 * 1024 * 1024 * 1024;
/// A chunk header (`<hex size>;chunk-signature=<64 hex>\r\n`) is far shorter than this.
const MAX_CHUNK_HEADER: usize = 4096;

/// Why an aws-chunked body cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChunkedError(String);

fn fail<T>(message: impl Into<String>) -> Result<T, ChunkedError> {
    Err(ChunkedError(message.into()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a chunk header line.
    Header,
    /// Passing through this many more bytes of chunk data.
    Data(u64),
    /// Expecting the CRLF after chunk data (how many of its bytes were seen).
    DataEnd(usize),
    /// After the last (empty) chunk: trailers, ignored.
    Trailers,
}

/// The decoder's state between input pieces.
#[derive(Debug)]
pub struct Decoder {
    state: State,
    line: BytesMut,
    declared: u64,
    decoded: u64,
}

impl Decoder {
    /// A decoder for a body declaring `declared` decoded bytes.
    pub fn new(declared: u64) -> Result<Decoder, ChunkedError> {
        if declared > MAX_DECODED {
            return fail("aws-chunked body larger than S3's 5 GiB limit");
        }
        Ok(Decoder {
            state: State::Header,
            line: BytesMut::new(),
            declared,
            decoded: 0,
        })
    }

    /// Decodes the next piece of input; returns the data bytes it held.
    pub fn push(&mut self, mut input: Bytes) -> Result<Vec<Bytes>, ChunkedError> {
        let mut out = Vec::new();
        while !input.is_empty() {
            match self.state {
                State::Header => self.header(&mut input)?,
                State::Data(left) => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    out.push(input.split_to(n));
                    let left = left - n as u64;
                    self.state = if left == 0 {
                        State::DataEnd(0)
                    } else {
                        State::Data(left)
                    };
                }
                State::DataEnd(seen) => {
                    if input[0] != b"\r\n"[seen] {
                        return fail("aws-chunked chunk data is not followed by CRLF");
                    }
                    input.advance(1);
                    self.state = if seen == 1 {
                        State::Header
                    } else {
                        State::DataEnd(1)
                    };
                }
                State::Trailers => input.clear(),
            }
        }
        Ok(out)
    }

    /// Reads (part of) a chunk header line.
    fn header(&mut self, input: &mut Bytes) -> Result<(), ChunkedError> {
        let Some(end) = input.iter().position(|b| *b == b'\n') else {
            self.line.extend_from_slice(input);
            input.clear();
            return self.check_line_length();
        };
        self.line.extend_from_slice(&input[..=end]);
        input.advance(end + 1);
        self.check_line_length()?;
        let line = std::mem::take(&mut self.line);
        let Some(text) = line.strip_suffix(b"\r\n") else {
            return fail("aws-chunked chunk header does not end with CRLF");
        };
        let text = std::str::from_utf8(text)
            .map_err(|_| ChunkedError("invalid aws-chunked chunk header".into()))?;
        let size_hex = text.split(';').next().unwrap_or_default().trim();
        let size = (1..=16)
            .contains(&size_hex.len())
            .then(|| u64::from_str_radix(size_hex, 16).ok())
            .flatten()
            .ok_or_else(|| ChunkedError(format!("invalid aws-chunked chunk size '{size_hex}'")))?;
        let decoded = self
            .decoded
            .checked_add(size)
            .filter(|d| *d <= self.declared);
        let Some(decoded) = decoded else {
            return fail("aws-chunked body longer than its x-amz-decoded-content-length");
        };
        self.decoded = decoded;
        self.state = if size == 0 {
            State::Trailers
        } else {
            State::Data(size)
        };
        Ok(())
    }

    fn check_line_length(&self) -> Result<(), ChunkedError> {
        if self.line.len() > MAX_CHUNK_HEADER {
            return fail("aws-chunked chunk header longer than 4 KiB");
        }
        Ok(())
    }

    /// Checks that the input ended after the last chunk, with the declared length.
    pub fn finish(&self) -> Result<(), ChunkedError> {
        if self.state != State::Trailers {
            return fail("aws-chunked body ends inside a chunk");
        }
        if self.decoded != self.declared {
            return fail("aws-chunked body shorter than its x-amz-decoded-content-length");
        }
        Ok(())
    }
}

/// Decodes an aws-chunked body as it arrives.
pub fn decode<S, E>(
    body: S,
    declared: u64,
) -> Result<impl Stream<Item = Result<Bytes, ChunkedError>> + Send + 'static, ChunkedError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
    E: std::fmt::Display,
{
    let decoder = Decoder::new(declared)?;
    let state = (body, decoder, VecDeque::<Bytes>::new(), false);
    Ok(futures::stream::try_unfold(
        state,
        |(mut body, mut decoder, mut ready, mut ended)| async move {
            loop {
                if let Some(bytes) = ready.pop_front() {
                    return Ok(Some((bytes, (body, decoder, ready, ended))));
                }
                if ended {
                    return Ok(None);
                }
                match body.next().await {
                    Some(Ok(bytes)) => ready.extend(decoder.push(bytes)?),
                    Some(Err(e)) => return fail(e.to_string()),
                    None => {
                        decoder.finish()?;
                        ended = true;
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` fed in pieces of `step` bytes.
    fn run(input: &str, declared: u64, step: usize) -> Result<Vec<u8>, ChunkedError> {
        let mut decoder = Decoder::new(declared)?;
        let mut out = Vec::new();
        for piece in input.as_bytes().chunks(step) {
            for bytes in decoder.push(Bytes::copy_from_slice(piece))? {
                out.extend_from_slice(&bytes);
            }
        }
        decoder.finish()?;
        Ok(out)
    }

    #[test]
    fn decodes_signed_and_unsigned_chunks_in_any_pieces() {
        let signed = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n\r\n";
        let trailer = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        for step in 1..8 {
            assert_eq!(run(signed, 11, step).unwrap(), b"hello world");
            assert_eq!(run(trailer, 3, step).unwrap(), b"abc");
        }
    }

    #[test]
    fn malformed_framing_is_an_error() {
        let long_header = format!("1;{}\r\na\r\n0\r\n\r\n", "x".repeat(5000));
        for (bad, declared) in [
            ("5\r\nabc", 5),
            ("zz\r\n", 3),
            // usize::MAX: `size + 2` overflowed in the first decoder.
            ("ffffffffffffffff\r\nabc", 3),
            ("10000000000000000\r\n", 3),
            ("\r\n", 3),
            ("3\r\nabcXY0\r\n\r\n", 3),
            ("3\nabc\r\n0\r\n\r\n", 3),
            ("3\r\nabc\r\n0\r\n\r\n", 2),
            ("3\r\nabc\r\n0\r\n\r\n", 4),
            (long_header.as_str(), 1),
        ] {
            assert!(run(bad, declared, 3).is_err(), "{bad:?}");
        }
        assert!(Decoder::new(MAX_DECODED + 1).is_err());
    }
}
