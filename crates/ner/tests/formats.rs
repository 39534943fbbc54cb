//! Every reader's errors name the object and the line; annotations attach by file and line.

use comprehend_ner::{
    FormatErrorKind, InputFormat, Limits, MAX_ENTRIES, MAX_ENTRY_CHARS, attach_annotations,
    read_annotations, read_documents, read_entity_list, read_manifest,
};

fn types() -> Vec<String> {
    vec!["ENGINEER".to_string(), "MANAGER".to_string()]
}

const DOCS: &str = "Diego Ramirez and Mateo Jackson met.\nJane Doe left.\n";

fn docs() -> Vec<comprehend_ner::Document> {
    read_documents(
        "documents.txt",
        DOCS.as_bytes(),
        InputFormat::OneDocPerLine,
        &Limits::default(),
    )
    .unwrap()
}

fn annotations(csv: &str) -> Result<Vec<comprehend_ner::Annotation>, comprehend_ner::FormatError> {
    read_annotations(
        "annotations.csv",
        csv.as_bytes(),
        InputFormat::OneDocPerLine,
    )
}

#[test]
fn the_guide_example_with_spaces_attaches() {
    let csv = "File, Line, Begin Offset, End Offset, Type\n\
               documents.txt, 0, 0, 13, ENGINEER\n\
               documents.txt, 0, 18, 31, MANAGER\n\
               documents.txt, 1, 0, 8, INTERN\n";
    let ann = annotations(csv).unwrap();
    assert_eq!(ann[1].csv_line, 3);
    let attached = attach_annotations(docs(), ann, &types()).unwrap();
    let spans = &attached.documents[0].spans;
    assert_eq!((spans[0].begin, spans[0].end), (0, 13));
    assert_eq!(spans[1].entity_type, "MANAGER");
    assert!(attached.documents[1].spans.is_empty());
    assert_eq!(attached.ignored.get("INTERN"), Some(&1));
}

#[test]
fn one_doc_per_file_needs_no_line_column() {
    let csv = "File,Begin Offset,End Offset,Type\nnote.txt,5,9,MANAGER\n";
    let ann = read_annotations("a.csv", csv.as_bytes(), InputFormat::OneDocPerFile).unwrap();
    assert_eq!(ann[0].line, None);
    let doc = read_documents(
        "note.txt",
        "Dear Jane,".as_bytes(),
        InputFormat::OneDocPerFile,
        &Limits::default(),
    )
    .unwrap();
    let attached = attach_annotations(doc, ann, &types()).unwrap();
    assert_eq!(attached.documents[0].spans[0].end, 9);
}

#[test]
fn missing_header() {
    let err = annotations("documents.txt,0,0,13,ENGINEER\n").unwrap_err();
    assert!(matches!(err.kind, FormatErrorKind::MissingHeader { .. }));
    assert!(err.to_string().contains("annotations.csv"), "{err}");
}

#[test]
fn end_before_begin_uses_the_service_wording() {
    let err =
        annotations("File,Line,Begin Offset,End Offset,Type\ndocuments.txt,0,13,3,ENGINEER\n")
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "An incorrect annotation is located in the file annotations.csv on line 2. The offset begins at position 13 and ends at position 3. End Offset cannot be less than Begin Offset."
    );
}

#[test]
fn not_a_number() {
    let err =
        annotations("File,Line,Begin Offset,End Offset,Type\ndocuments.txt,zero,0,3,ENGINEER\n")
            .unwrap_err();
    assert!(matches!(
        err.kind,
        FormatErrorKind::NotANumber { column: "Line", .. }
    ));
    assert_eq!(err.line, Some(2));
}

#[test]
fn unknown_document() {
    let ann = annotations("File,Line,Begin Offset,End Offset,Type\ndocuments.txt,7,0,3,ENGINEER\n")
        .unwrap();
    let err = attach_annotations(docs(), ann, &types()).unwrap_err();
    assert!(matches!(
        err.kind,
        FormatErrorKind::UnknownDocument { line: Some(7), .. }
    ));
    let ann =
        annotations("File,Line,Begin Offset,End Offset,Type\nother.txt,0,0,3,ENGINEER\n").unwrap();
    assert!(attach_annotations(docs(), ann, &types()).is_err());
}

#[test]
fn offset_past_the_document() {
    let ann =
        annotations("File,Line,Begin Offset,End Offset,Type\ndocuments.txt,1,0,99,ENGINEER\n")
            .unwrap();
    let err = attach_annotations(docs(), ann, &types()).unwrap_err();
    assert_eq!((err.object.as_str(), err.line), ("documents.txt", Some(2)));
    assert!(
        err.to_string().starts_with(
            "An offset exceeds the maximum length in the file documents.txt on line 2."
        )
    );
}

#[test]
fn overlapping_annotations_use_the_service_wording() {
    let csv = "File,Line,Begin Offset,End Offset,Type\n\
               documents.txt,0,0,13,ENGINEER\n\
               documents.txt,0,6,31,MANAGER\n";
    let err = attach_annotations(docs(), annotations(csv).unwrap(), &types()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Overlapping annotations are located in the file documents.txt on line 1. Annotations must not overlap. The annotations are: 0-13 ENGINEER and 6-31 MANAGER."
    );
}

#[test]
fn invalid_utf8_in_annotations() {
    let err = read_annotations(
        "a.csv",
        &b"File,Line,Begin Offset,End Offset,Type\nd\xff.txt,0,0,1,X\n"[..],
        InputFormat::OneDocPerLine,
    )
    .unwrap_err();
    assert_eq!(err.kind, FormatErrorKind::InvalidUtf8);
}

#[test]
fn entity_list_is_case_sensitive_and_needs_its_header() {
    let list = read_entity_list(
        "list.csv",
        "Text,Type\nJane Doe,MANAGER\n jane doe , ENGINEER\nJane Doe,ENGINEER\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list.entries()[1],
        ("jane doe".to_string(), "ENGINEER".to_string())
    );
    let err = read_entity_list("list.csv", "Name,Kind\nJane,MANAGER\n".as_bytes()).unwrap_err();
    assert!(matches!(err.kind, FormatErrorKind::MissingHeader { .. }));
    let err = read_entity_list("list.csv", "Text,Type\n,MANAGER\n".as_bytes()).unwrap_err();
    assert_eq!(err.line, Some(2));
}

/// The service's entity list quotas: entries of 1–5,000 characters after trimming, at most
/// 1,000,000 of them; past either, the error names the line.
#[test]
fn entity_list_limits_name_the_line() {
    let long = "é".repeat(MAX_ENTRY_CHARS);
    let ok = format!("Text,Type\n {long} ,MANAGER\n");
    assert_eq!(
        read_entity_list("list.csv", ok.as_bytes()).unwrap().len(),
        1
    );
    let too_long = format!("Text,Type\nJane,MANAGER\n{long}x,MANAGER\n");
    let err = read_entity_list("list.csv", too_long.as_bytes()).unwrap_err();
    assert_eq!(err.kind, FormatErrorKind::EntryTooLong { limit: 5_000 });
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("list.csv") && err.to_string().contains("line 3"));
    let mut many = String::from("Text,Type\n");
    for i in 0..=MAX_ENTRIES {
        many.push_str(&format!("n{i},T\n"));
    }
    let err = read_entity_list("list.csv", many.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind,
        FormatErrorKind::TooManyEntries { limit: 1_000_000 }
    );
    assert_eq!(err.line, Some(MAX_ENTRIES as u64 + 2));
}

#[test]
fn entity_list_annotates_leftmost_longest_on_tokens() {
    let list = read_entity_list(
        "list.csv",
        "Text,Type\nJane,MANAGER\nJane Doe,ENGINEER\nDoe,MANAGER\n".as_bytes(),
    )
    .unwrap();
    let annotated = list.annotate(docs(), &types());
    let spans = &annotated[1].spans;
    assert_eq!(spans.len(), 1);
    assert_eq!(
        (spans[0].begin, spans[0].end, spans[0].entity_type.as_str()),
        (0, 8, "ENGINEER")
    );
}

const MANIFEST_LINE: &str = r#"{"source": "Diego Ramirez is an engineer.", "labels": {"annotations": {"entities": [{"startOffset": 0, "endOffset": 13, "label": "ENGINEER"}], "labels": [{"label": "ENGINEER"}]}}, "labels-metadata": {"type": "groundtruth/text-span"}}"#;

#[test]
fn manifest_reads_entities() {
    let attrs = vec!["labels".to_string()];
    let docs = read_manifest(
        "m.manifest",
        format!("{MANIFEST_LINE}\n").as_bytes(),
        &attrs,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(docs[0].spans[0].end, 13);
    assert_eq!(docs[0].document.line, Some(0));
}

#[test]
fn manifest_errors() {
    let attrs = vec!["labels".to_string()];
    let read = |text: String| {
        read_manifest("m.manifest", text.as_bytes(), &attrs, &Limits::default()).unwrap_err()
    };
    let err = read(format!("{MANIFEST_LINE}\n{{not json\n"));
    assert_eq!(
        err.to_string(),
        "An augmented manifest file in your request is an invalid JSON lines file. Amazon Comprehend is unable to parse line 2 in the file m.manifest. Correct the file and try again."
    );
    let err = read(r#"{"text": "no source"}"#.to_string());
    assert!(matches!(err.kind, FormatErrorKind::Manifest(_)));
    let err = read(MANIFEST_LINE.replace("\"labels\"", "\"other\""));
    assert!(matches!(err.kind, FormatErrorKind::Manifest(_)));
    let err = read(MANIFEST_LINE.replace("13", "99"));
    assert!(matches!(err.kind, FormatErrorKind::OffsetPastEnd { .. }));
    let big = MANIFEST_LINE.replace("is an engineer.", &"x".repeat(6000));
    assert!(matches!(
        read(big).kind,
        FormatErrorKind::DocumentTooLarge { limit: 5000 }
    ));
}
