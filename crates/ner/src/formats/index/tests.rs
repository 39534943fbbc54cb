use std::collections::HashMap;

use super::*;
use crate::formats::annotations::{Attached, attach_annotations, read_annotations};
use crate::{Limits, read_documents};

/// `attach_annotations` as it was before the index: the reference for the errors. An
/// unknown document is located by the annotation's row in `source` when that is known.
fn reference(
    docs: Vec<Document>,
    annotations: Vec<Annotation>,
    entity_types: &[String],
    source: Option<&str>,
) -> Result<Attached, FormatError> {
    let index: HashMap<(&str, Option<u64>), usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.file.as_str(), d.line), i))
        .collect();
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); docs.len()];
    let mut ignored = BTreeMap::new();
    for a in annotations {
        let Some(&i) = index.get(&(a.file.as_str(), a.line)) else {
            let (object, line) = match source {
                Some(csv) => (csv.to_owned(), Some(a.csv_line)),
                None => (a.file.clone(), a.line.map(|l| l + 1)),
            };
            return Err(FormatError {
                object,
                line,
                kind: FormatErrorKind::UnknownDocument {
                    file: a.file,
                    line: a.line,
                },
            });
        };
        if !entity_types.contains(&a.entity_type) {
            *ignored.entry(a.entity_type).or_insert(0) += 1;
            continue;
        }
        let length = docs[i].text.chars().count();
        if a.end > length {
            return Err(doc_error(
                &docs[i],
                FormatErrorKind::OffsetPastEnd { end: a.end, length },
            ));
        }
        if a.end > a.begin {
            spans[i].push(Span {
                begin: a.begin,
                end: a.end,
                entity_type: a.entity_type,
            });
        }
    }
    let mut documents = Vec::with_capacity(docs.len());
    for (document, mut spans) in docs.into_iter().zip(spans) {
        sort_and_check(&document, &mut spans)?;
        documents.push(AnnotatedDocument { document, spans });
    }
    Ok(Attached { documents, ignored })
}

const DOCS: &str = "Ann Lee met Bob in Paris\n\nZoë visited Köln today\nnothing here\n";

/// Annotation files with at most one error each, and what they test.
const CASES: [(&str, &str); 8] = [
    (
        "valid, with an ignored type, an empty span and a duplicate",
        "0,0,7,PER\n2,12,16,LOC\n0,19,24,LOC\n0,8,11,MISC\n0,3,3,PER\n0,0,7,PER\n",
    ),
    ("unknown line", "0,0,7,PER\n9,0,1,PER\n"),
    ("unknown file", "0,0,7,PER\n"),
    (
        "unknown document of an ignored type",
        "0,0,3,PER\n7,0,1,MISC\n",
    ),
    (
        "offset past the end",
        "2,0,3,PER\n2,18,30,LOC\n2,0,40,PER\n",
    ),
    ("overlap", "0,0,7,PER\n0,4,11,PER\n"),
    ("overlap across types", "0,0,7,PER\n0,4,7,LOC\n"),
    ("nothing", ""),
];

fn types() -> Vec<String> {
    vec!["PER".to_string(), "LOC".to_string()]
}

fn csv(case: usize, rows: &str) -> String {
    let file = if case == 2 { "other.txt" } else { "d.txt" };
    let mut out = String::from("File, Line, Begin Offset, End Offset, Type\n");
    for row in rows.lines() {
        out.push_str(&format!("{file},{row}\n"));
    }
    out
}

fn docs() -> Vec<Document> {
    let limits = Limits::default();
    read_documents(
        "d.txt",
        DOCS.as_bytes(),
        InputFormat::OneDocPerLine,
        &limits,
    )
    .unwrap()
}

/// Through the streaming reader: annotations first, then documents one at a time.
fn streamed(csv: &str) -> Result<Attached, FormatError> {
    let mut index = AnnotationIndex::new(&types());
    read_annotations_into(
        "a.csv",
        csv.as_bytes(),
        InputFormat::OneDocPerLine,
        &mut index,
    )?;
    let mut documents = Vec::new();
    for d in docs() {
        documents.push(index.attach(d)?);
    }
    let ignored = index.finish()?;
    Ok(Attached { documents, ignored })
}

#[test]
fn the_index_gives_the_results_and_errors_of_the_old_join() {
    for (case, (what, rows)) in CASES.iter().enumerate() {
        let csv = csv(case, rows);
        let ann = read_annotations("a.csv", csv.as_bytes(), InputFormat::OneDocPerLine).unwrap();
        let expected = reference(docs(), ann.clone(), &types(), None);
        let from_csv = reference(docs(), ann.clone(), &types(), Some("a.csv"));
        assert_eq!(
            attach_annotations(docs(), ann, &types()),
            expected,
            "{what}"
        );
        assert_eq!(streamed(&csv), from_csv, "{what}");
    }
}

#[test]
fn one_document_per_file_and_errors_in_csv_order() {
    let doc = |file: &str, text: &str| Document {
        file: file.into(),
        line: None,
        text: text.into(),
    };
    let docs = vec![doc("a.txt", "Ann Lee"), doc("b.txt", "Bob")];
    let mut index = AnnotationIndex::new(&types());
    let csv = "File, Begin Offset, End Offset, Type\nb.txt, 0, 3, PER\nz.txt, 0, 1, PER\ny.txt, 0, 1, PER\na.txt, 0, 3, PER\n";
    read_annotations_into(
        "a.csv",
        csv.as_bytes(),
        InputFormat::OneDocPerFile,
        &mut index,
    )
    .unwrap();
    assert_eq!(index.len(), 4);
    for d in docs {
        assert_eq!(index.attach(d).unwrap().spans.len(), 1);
    }
    let err = index.finish().unwrap_err();
    assert_eq!(
        (err.object.as_str(), err.line),
        ("a.csv", Some(3)),
        "its row"
    );
    assert_eq!(
        err.kind,
        FormatErrorKind::UnknownDocument {
            file: "z.txt".into(),
            line: None
        }
    );
}
