//! No code: this crate only names dependency features so that `cargo run` and `cargo test`
//! resolve the same features and share one build (see its Cargo.toml).
