//! comprehend-local: a local, AWS-compatible Amazon Comprehend (custom classifiers and
//! entity recognizers, flywheels, endpoints and asynchronous analysis jobs) that really
//! trains, evaluates and serves models.
//!
//! Request path: [`app`] (axum: routing, body limit, request log) → the protocol crate
//! (target, validation, typed input) → [`api`] → a resource service in [`resources`]
//! → the store crate (SQLite rows and the job queue, written in one transaction).
//! Work that runs later: the workers in [`jobs`] claim jobs and call the engines (the
//! `ml` and `ner` crates).
//! `main.rs` only parses [`config::Config`] and starts [`app::Server`].

pub mod api;
pub mod app;
pub mod clock;
pub mod config;
mod console;
pub mod data;
pub mod disk;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod lake;
pub mod models;
pub mod pagination;
pub mod phase;
pub mod progress;
pub mod resources;
pub mod s3;
pub mod state;
pub mod throttle;

pub use app::Server;
pub use config::Config;
