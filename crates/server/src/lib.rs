//! comprehend-local: a local, AWS-compatible Amazon Comprehend (custom document
//! classification and flywheels) that really trains, evaluates and serves models.
//!
//! Request path: [`app`] (axum: routing, body limit, request log) → the protocol crate
//! (target, validation, typed input) → [`api`] → a resource service in [`resources`]
//! → the store crate (SQLite, object stores) and the job queue → [`runner`] → the ML crate.
//! `main.rs` only parses [`config::Config`] and starts [`app::Server`].

pub mod api;
pub mod app;
pub mod config;
pub mod error;
pub mod models;
pub mod pagination;
pub mod resources;
pub mod runner;
pub mod s3;
pub mod state;
pub mod throttle;

pub use app::Server;
pub use config::Config;
