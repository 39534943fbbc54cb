//! Measures the error answer to an UntagResource request whose TagKeys hold N empty
//! strings (each violates TagKey's `min` of 1): body size, time, peak memory.
//! `cargo run --release -p comprehend-protocol --example measure_validation -- 3300000`

use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3_300_000);
    let mut body = String::with_capacity(n * 3 + 128);
    body.push_str(
        "{\"ResourceArn\":\"arn:aws:comprehend:us-east-1:123456789012:flywheel/f\",\"TagKeys\":[",
    );
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str("\"\"");
    }
    body.push_str("]}");
    let start = Instant::now();
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let parsed = start.elapsed();
    let result = comprehend_protocol::validate::validate("UntagResourceRequest", &value)
        .map(|()| serde_json::Value::Null);
    let validated = start.elapsed();
    let handled = comprehend_protocol::json::respond(result, None, "id".into());
    let total = start.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    let answer = handled.response.body();
    println!(
        "request {} bytes, {n} elements; response {} {} bytes; parse {:?}, validate {:?}, total {:?}; {hwm}",
        body.len(),
        handled.response.status(),
        answer.len(),
        parsed,
        validated - parsed,
        total,
    );
    println!(
        "{}",
        String::from_utf8_lossy(&answer[..answer.len().min(8192)])
    );
}
