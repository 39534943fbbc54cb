//! Readers of Amazon Comprehend's custom entity recognizer inputs. Each reads one object
//! through `std::io::Read` and reports a bad record as a [`crate::FormatError`] naming the
//! object and line.

pub mod annotations;
pub mod documents;
pub mod entity_list;
pub mod index;
pub mod manifest;
