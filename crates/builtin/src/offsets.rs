//! Byte offsets (what Rust slices speak) to code-point offsets (what the service speaks).

/// Maps byte offsets of one text to code-point offsets.
#[derive(Debug, Clone)]
pub struct CodePoints {
    /// The byte offset of every code point, then the text's length.
    starts: Vec<usize>,
}

impl CodePoints {
    /// The map of `text`.
    pub fn new(text: &str) -> CodePoints {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CodePoints { starts }
    }

    /// The code-point offset of byte offset `byte` (a char boundary, or the text's end).
    pub fn at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_count_as_one_code_point() {
        let text = "😀 Ann";
        let map = CodePoints::new(text);
        let ann = text.find("Ann").unwrap();
        assert_eq!((map.at(ann), map.at(text.len())), (2, 5));
    }
}
