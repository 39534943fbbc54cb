//! No allocation sized by an untrusted length: hostile CBOR bodies (lengths of 2^64 - 1,
//! ten million levels of nesting) are refused with a few KB of heap beyond the body.
//! Its own test binary, because it counts every allocation of the process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use comprehend_protocol::{ErrorCode, cbor};

/// Counts the bytes allocated and not yet freed, and the peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes a refusal may allocate beyond the body: the error message and its parts.
const ALLOWED: usize = 64 * 1024;

fn member(key: &str, value: &[u8]) -> Vec<u8> {
    let mut body = vec![0xa1, 0x60 | key.len() as u8];
    body.extend_from_slice(key.as_bytes());
    body.extend_from_slice(value);
    body
}

fn hostile_values() -> Vec<(&'static str, Vec<u8>)> {
    let huge = |head: u8| [vec![head], vec![0xff; 8]].concat();
    let n = 10_000_000;
    vec![
        ("text of 2^64-1 bytes", huge(0x7b)),
        ("bytes of 2^64-1", huge(0x5b)),
        ("array of 2^64-1 items", huge(0x9b)),
        ("map of 2^64-1 pairs", huge(0xbb)),
        ("10M nested arrays", vec![0x81; n]),
        ("10M nested indefinite arrays", vec![0x9f; n]),
        ("10M alternating arrays", [0x82, 0x9f].repeat(n / 2)),
        ("10M nested tags", vec![0xc1; n]),
    ]
}

/// The peak of live bytes while `body` is read.
fn peak_while_reading(
    body: &[u8],
) -> (
    Result<serde_json::Value, comprehend_protocol::ServiceError>,
    usize,
) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = cbor::parse_body("UntagResourceRequest", body);
    (result, PEAK.load(Ordering::Relaxed) - before)
}

/// Every hostile value, under an unknown key, at a string and at a list, is a
/// `SerializationException` that allocates at most [`ALLOWED`] bytes.
#[test]
fn hostile_bodies_allocate_nothing_sized_by_their_lengths() {
    // The model is parsed once, on first use: not part of any request's cost.
    cbor::parse_body("UntagResourceRequest", &[0xa0]).unwrap();
    // The counter sees what reading allocates: a 100 KB string is 100 KB.
    let arn = [vec![0x7a, 0x00, 0x01, 0x86, 0xa0], vec![b'a'; 100_000]].concat();
    let (read, used) = peak_while_reading(&member("ResourceArn", &arn));
    assert!(read.is_ok() && used >= 100_000, "{used}");
    for (name, value) in hostile_values() {
        for key in ["Unknown", "ResourceArn", "TagKeys"] {
            let (read, used) = peak_while_reading(&member(key, &value));
            let err = read.unwrap_err();
            assert_eq!(err.code, ErrorCode::Serialization, "{name} at {key}");
            assert!(used < ALLOWED, "{name} at {key}: {used} bytes");
        }
    }
}
