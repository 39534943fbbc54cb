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

    /// The byte offset of code-point offset `code_point` (the text's length past its end).
    pub fn byte(&self, code_point: usize) -> usize {
        self.starts
            .get(code_point)
            .or(self.starts.last())
            .copied()
            .unwrap_or(0)
    }

    /// The text between two code-point offsets of `text` (the text this map was made of).
    pub fn slice<'a>(&self, text: &'a str, begin: usize, end: usize) -> &'a str {
        text.get(self.byte(begin)..self.byte(end)).unwrap_or("")
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
        assert_eq!(map.slice(text, 2, 5), "Ann");
        assert_eq!(map.slice(text, 2, 99), "Ann");
    }
}
