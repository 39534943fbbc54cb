//! Writing an async job's `output.tar.gz`: the results, written line by line to a
//! scratch file while the job runs, archived under the member name the service uses,
//! compressed as a stream and uploaded in parts — so memory stays flat however many
//! documents the job has.

use std::io::Write;
use std::path::{Path, PathBuf};

use comprehend_store::objects::S3Uri;

use crate::data;
use crate::state::State;

/// Archives `results` as the one member `member` of a tar.gz at `archive`, then uploads
/// it to `output_uri`.
pub async fn upload(
    state: &State,
    results: &Path,
    archive: &Path,
    member: &'static str,
    output_uri: &str,
) -> Result<(), String> {
    let (source, target) = (results.to_path_buf(), archive.to_path_buf());
    tokio::task::spawn_blocking(move || archive_file(&source, &target, member))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot build output.tar.gz: {e}"))?;
    let output = S3Uri::parse(output_uri).map_err(|e| e.to_string())?;
    state
        .objects
        .put_file(&output, archive)
        .await
        .map_err(|e| data::object_message(e, output_uri))
}

fn archive_file(source: &PathBuf, target: &PathBuf, member: &str) -> std::io::Result<()> {
    let file = std::fs::File::create(target)?;
    let encoder = flate2::write::GzEncoder::new(
        std::io::BufWriter::new(file),
        flate2::Compression::default(),
    );
    let mut archive = tar::Builder::new(encoder);
    archive.append_path_with_name(source, member)?;
    archive.into_inner()?.finish()?.flush()
}

/// The `File` an object's results name: its key relative to the input location's
/// folder (the input S3Uri up to its last `/`).
pub fn file_name(input_uri: &str, object: &S3Uri) -> String {
    let folder = match input_uri.rfind('/') {
        Some(i) if i > "s3://".len() => input_uri[..=i].to_owned(),
        _ => format!("{input_uri}/"),
    };
    object
        .to_string()
        .strip_prefix(&folder)
        .unwrap_or(&object.key)
        .to_owned()
}
