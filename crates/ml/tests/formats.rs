//! The readers: COMPREHEND_CSV and AUGMENTED_MANIFEST, and every format error with its line.

use comprehend_ml::{
    Document, FormatError, Mode, append_comprehend_csv, read_augmented_manifest,
    read_comprehend_csv,
};

fn csv(text: &str, mode: Mode) -> Result<Vec<Document>, FormatError> {
    read_comprehend_csv(text.as_bytes(), mode, '|')
}

#[test]
fn multi_class_csv_with_quoting_crlf_and_bom() {
    let text = "\u{feff}SPORT,\"Goal, then another goal\"\r\nFOOD,plain text\r\n\r\nMY LABEL,\"a \"\"quoted\"\" word\nover two lines\"\n";
    let docs = csv(text, Mode::MultiClass).unwrap();
    assert_eq!(
        docs,
        [
            Document::new("SPORT", "Goal, then another goal"),
            Document::new("FOOD", "plain text"),
            Document::new("MY LABEL", "a \"quoted\" word\nover two lines"),
        ]
    );
}

#[test]
fn multi_class_keeps_the_delimiter_inside_the_label() {
    let docs = csv("A|B,text\n", Mode::MultiClass).unwrap();
    assert_eq!(docs[0].labels, ["A|B"]);
}

#[test]
fn a_header_row_is_refused_with_a_message_saying_so() {
    for first in ["label,text", "\u{feff}Label,Text", "class,\"document\""] {
        let err = csv(&format!("{first}\nA,first doc\n"), Mode::MultiClass).unwrap_err();
        assert!(
            matches!(err, FormatError::HeaderRow { line: 1, .. }),
            "{first}: {err}"
        );
        assert!(err.to_string().contains("header row"), "{err}");
    }
    // Only the first line, and only column names, count as a header.
    let docs = csv("A,some text\nlabel,text\n", Mode::MultiClass).unwrap();
    assert_eq!(docs[1], Document::new("label", "text"));
    assert!(csv("LABEL,a text about labels\n", Mode::MultiClass).is_ok());
}

#[test]
fn unquoted_commas_in_the_text_are_kept() {
    // Like the scikit-learn baseline: extra fields are glued back with commas.
    let docs = csv("A,one, two, three\n", Mode::MultiClass).unwrap();
    assert_eq!(docs[0].text, "one, two, three");
}

#[test]
fn multi_label_csv_splits_on_the_delimiter() {
    let docs = read_comprehend_csv(
        "A|B|A,text one\nC,text two\n".as_bytes(),
        Mode::MultiLabel,
        '|',
    )
    .unwrap();
    assert_eq!(docs[0].labels, ["A", "B"], "split, duplicates dropped");
    assert_eq!(docs[1].labels, ["C"]);
    let docs = read_comprehend_csv("A~B,text\n".as_bytes(), Mode::MultiLabel, '~').unwrap();
    assert_eq!(docs[0].labels, ["A", "B"]);
    // Another character than the configured one makes one combined label (the guide:
    // labels are split on the configured LabelDelimiter only).
    let docs = read_comprehend_csv("A~B,text\n".as_bytes(), Mode::MultiLabel, '|').unwrap();
    assert_eq!(docs[0].labels, ["A~B"]);
    let docs = read_comprehend_csv("A\tB,text\n".as_bytes(), Mode::MultiLabel, '\t').unwrap();
    assert_eq!(docs[0].labels, ["A", "B"]);
}

#[test]
fn only_comprehend_delimiters_are_accepted() {
    for bad in [',', 'a', '&', '"', '\n'] {
        assert_eq!(
            read_comprehend_csv("A,text\n".as_bytes(), Mode::MultiLabel, bad).unwrap_err(),
            FormatError::InvalidDelimiter(bad)
        );
    }
}

#[test]
fn append_concatenates_objects_of_a_prefix() {
    let mut docs = Vec::new();
    assert_eq!(
        append_comprehend_csv("A,one\n".as_bytes(), Mode::MultiClass, '|', &mut docs).unwrap(),
        1
    );
    assert_eq!(
        append_comprehend_csv(
            "B,two\nC,three\n".as_bytes(),
            Mode::MultiClass,
            '|',
            &mut docs
        )
        .unwrap(),
        2
    );
    assert_eq!(docs.len(), 3);
}

#[test]
fn csv_errors_name_the_line() {
    let cases: &[(&[u8], FormatError)] = &[
        (b"", FormatError::EmptyFile),
        (b"\n\n  \n", FormatError::EmptyFile),
        (b"A,ok\nlabel only\n", FormatError::MissingText { line: 2 }),
        (b"A,ok\nB,   \n", FormatError::MissingText { line: 2 }),
        (
            b"A,ok\nA,ok\n,no label\n",
            FormatError::EmptyLabel { line: 3 },
        ),
        (b"A,ok\nA,caf\xe9\n", FormatError::InvalidUtf8 { line: 2 }),
        (b"A\x07B,text\n", FormatError::InvalidLabel { line: 1 }),
    ];
    for (input, expected) in cases {
        assert_eq!(
            &read_comprehend_csv(*input, Mode::MultiClass, '|').unwrap_err(),
            expected
        );
    }
    assert_eq!(
        read_comprehend_csv(&b"A|B,ok\nA||B,text\n"[..], Mode::MultiLabel, '|').unwrap_err(),
        FormatError::EmptyLabel { line: 2 }
    );
    // Line numbers count physical lines, also after a quoted multi-line field.
    assert_eq!(
        csv("A,\"two\nlines\"\nB\n", Mode::MultiClass).unwrap_err(),
        FormatError::MissingText { line: 3 }
    );
}

#[test]
fn error_messages_say_what_to_fix() {
    let msg = csv("A,ok\nlabel only\n", Mode::MultiClass)
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("line 2: missing the document text"),
        "{msg}"
    );
    let msg = FormatError::InvalidUtf8 { line: 7 }.to_string();
    assert_eq!(
        msg,
        "line 7: the text is not valid UTF-8; save the file as UTF-8"
    );
}

const MC_LINE: &str = r#"{"source": "Goal in the last minute", "sport": 1, "sport-metadata": {"class-name": "SPORT", "confidence": 0.9, "type": "groundtruth/text-classification", "human-annotated": "yes"}}"#;
const ML_LINE: &str = r#"{"source": "Pasta at the stadium", "genre": [0, 2], "genre-metadata": {"class-map": {"0": "FOOD", "2": "SPORT"}, "type": "groundtruth/text-classification-multilabel"}}"#;

#[test]
fn augmented_manifest_both_modes() {
    let text = format!("{MC_LINE}\n\n{MC_LINE}\r\n");
    let docs = read_augmented_manifest(text.as_bytes(), "sport", Mode::MultiClass).unwrap();
    assert_eq!(
        docs,
        vec![Document::new("SPORT", "Goal in the last minute"); 2]
    );
    let docs = read_augmented_manifest(ML_LINE.as_bytes(), "genre", Mode::MultiLabel).unwrap();
    assert_eq!(docs[0].labels, ["FOOD", "SPORT"]);
    assert_eq!(docs[0].text, "Pasta at the stadium");
}

#[test]
fn augmented_manifest_errors_name_the_line() {
    let read = |text: String, attr: &str, mode| {
        read_augmented_manifest(text.as_bytes(), attr, mode).unwrap_err()
    };
    assert_eq!(
        read(String::new(), "sport", Mode::MultiClass),
        FormatError::EmptyFile
    );
    assert!(matches!(
        read(format!("{MC_LINE}\nnot json\n"), "sport", Mode::MultiClass),
        FormatError::Json { line: 2, .. }
    ));
    assert!(matches!(
        read(r#"{"sport": 1}"#.into(), "sport", Mode::MultiClass),
        FormatError::MissingSource { line: 1, .. }
    ));
    let msg = read(
        r#"{"source-ref": "s3://b/k", "sport": 1}"#.into(),
        "sport",
        Mode::MultiClass,
    )
    .to_string();
    assert!(msg.contains("source-ref"), "{msg}");
    assert_eq!(
        read(
            r#"{"source": " ", "sport": 1}"#.into(),
            "sport",
            Mode::MultiClass
        ),
        FormatError::MissingText { line: 1 }
    );
    let msg = read(MC_LINE.into(), "genre", Mode::MultiClass).to_string();
    assert_eq!(msg, "line 1: missing the label attribute `genre`");
    let msg = read(
        r#"{"source": "x", "sport": 1}"#.into(),
        "sport",
        Mode::MultiClass,
    )
    .to_string();
    assert!(msg.contains("`sport-metadata`"), "{msg}");
    let msg = read(MC_LINE.into(), "sport", Mode::MultiLabel).to_string();
    assert!(msg.contains("list of class indexes"), "{msg}");
    let msg = read(
        ML_LINE.replace("[0, 2]", "[0, 5]"),
        "genre",
        Mode::MultiLabel,
    )
    .to_string();
    assert!(msg.contains("class index 5 has no name"), "{msg}");
    assert_eq!(
        read(ML_LINE.replace("[0, 2]", "[]"), "genre", Mode::MultiLabel),
        FormatError::EmptyLabel { line: 1 }
    );
    assert_eq!(
        read(
            MC_LINE.replace("\"SPORT\"", "\"\""),
            "sport",
            Mode::MultiClass
        ),
        FormatError::EmptyLabel { line: 1 }
    );
    let mut bytes = MC_LINE.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n{\"source\": \"caf\xe9\"}\n");
    assert_eq!(
        read_augmented_manifest(&bytes[..], "sport", Mode::MultiClass).unwrap_err(),
        FormatError::InvalidUtf8 { line: 2 }
    );
}

#[test]
fn streaming_reader_yields_documents_one_by_one() {
    let reader =
        comprehend_ml::CsvDocuments::new("A,one\nB,two\n".as_bytes(), Mode::MultiClass, '|')
            .unwrap();
    let docs: Result<Vec<_>, _> = reader.collect();
    assert_eq!(docs.unwrap().len(), 2);
}
